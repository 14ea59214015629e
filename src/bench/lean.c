/* The lean reference loop: the cheapest honest weekly step of a world of qisim's shape. */
#include "qisim/bench.h"

#include <stdlib.h>
#include <time.h>

#include "qisim/rng.h"

/* Not model numbers: the loop needs some learning and forgetting, and some empty posts, so
 * that its state changes from week to week and its branches are not all taken one way. */
static const float learn_rate = 0.05f, forget_rate = 0.002f;
static const double base_chance = 0.01, peer_chance = 0.2, vacant_share = 0.05;

enum { VACANT = 1, PRACTISING = 2, N_TIERS = 5 };

/* A team's aggregate: what qisim_world_count_team keeps of the staff every week, in short. */
typedef struct lean_team {
    int32_t in_post, practising, tiers[N_TIERS];
    double knowhow, strain;
} lean_team;

double qisim_cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int qisim_lean_run(const int32_t *team_sizes, int32_t n_teams, int32_t weeks, uint64_t seed,
                   qisim_lean_result *out, qisim_err *err)
{
    if (n_teams < 1 || weeks < 1 || !team_sizes)
        return qisim_err_set(err, QISIM_EINVAL, "lean loop: needs at least one team and one week");
    int64_t n_staff = 0;
    for (int32_t t = 0; t < n_teams; t++) {
        if (team_sizes[t] < 0)
            return qisim_err_set(err, QISIM_EINVAL, "lean loop: team %d has %d staff", t, team_sizes[t]);
        n_staff += team_sizes[t];
    }
    if (n_staff < 1)
        return qisim_err_set(err, QISIM_EINVAL, "lean loop: the teams have no staff");

    /* staff: five attributes as arrays; teams: last week's aggregate and next week's */
    uint8_t *flags = malloc((size_t)n_staff);
    uint8_t *tier = malloc((size_t)n_staff);
    float *knowhow = malloc((size_t)n_staff * sizeof *knowhow);
    float *threshold = malloc((size_t)n_staff * sizeof *threshold);
    float *strain = malloc((size_t)n_staff * sizeof *strain);
    lean_team *last = calloc((size_t)n_teams, sizeof *last), *next = calloc((size_t)n_teams, sizeof *next);
    int rc = QISIM_OK;
    if (!flags || !tier || !knowhow || !threshold || !strain || !last || !next) {
        rc = qisim_err_set(err, QISIM_ENOMEM, "lean loop: out of memory for %lld staff", (long long)n_staff);
        goto done;
    }
    qisim_rng rng;
    qisim_rng_seed(&rng, seed, 54u);
    for (int64_t i = 0; i < n_staff; i++) {
        flags[i] = qisim_rng_uniform(&rng) < vacant_share ? VACANT : 0;
        tier[i] = (uint8_t)qisim_rng_below(&rng, N_TIERS);
        knowhow[i] = 0.0f;
        threshold[i] = (float)(0.1 + 0.8 * qisim_rng_uniform(&rng));
        strain[i] = (float)(0.3 * qisim_rng_uniform(&rng));
    }

    double start = qisim_cpu_seconds();
    for (int32_t week = 0; week < weeks; week++) {
        int64_t i = 0;
        for (int32_t t = 0; t < n_teams; t++) {
            /* learning is likelier where more of the team practised last week */
            double share = last[t].in_post ? (double)last[t].practising / last[t].in_post : 0.0;
            uint32_t cut = (uint32_t)((base_chance + peer_chance * share) * 4294967295.0);
            lean_team a = {0};
            for (int64_t end = i + team_sizes[t]; i < end; i++) {
                uint8_t f = flags[i];
                if (f & VACANT)
                    continue;
                float k = knowhow[i];
                k += qisim_rng_next(&rng) < cut ? learn_rate * (1.0f - k) : -forget_rate * k;
                knowhow[i] = k;
                f = (uint8_t)(k > threshold[i] ? f | PRACTISING : f & ~PRACTISING);
                flags[i] = f;
                a.in_post++;
                a.practising += (f & PRACTISING) != 0;
                a.tiers[tier[i]]++;
                a.knowhow += (double)k;
                a.strain += (double)strain[i];
            }
            next[t] = a;
        }
        lean_team *swap = last;
        last = next;
        next = swap;
    }
    double cpu = qisim_cpu_seconds() - start;

    double sum = 0.0;
    for (int64_t i = 0; i < n_staff; i++)
        sum += (double)knowhow[i];
    *out = (qisim_lean_result){cpu, n_staff * weeks, sum / (double)n_staff};
done:
    free(flags);
    free(tier);
    free(knowhow);
    free(threshold);
    free(strain);
    free(last);
    free(next);
    return rc;
}
