/* Mechanism 2 (with the staff side of 3 and 13): who is in post this week. */

/* Turnover rising with strain, trainee rotation every ~4 months, vacancies, sickness, strain
 * following the team's conditions, and know-how that decays without use and leaves with the
 * person. */
#include <math.h>
#include <stdlib.h>

#include "qisim/model.h"

/* A new member in slot i: the post's role, the trust's induction tier, a fresh threshold. */
static void hire(qisim_world *w, int32_t i, const qisim_trust *tr, qisim_team *team)
{
    qisim_rng *r = &w->rng[QISIM_STREAM_WORKFORCE];
    const double *p = w->params.v;
    qisim_staff *s = &w->staff;
    double tmean = p[QP_BUILD_THRESHOLD_MEAN], tshape = p[QP_BUILD_THRESHOLD_SHAPE];
    qisim_network_new_holder(w, i); /* the leaver's secondment and old ties end with them */
    s->tier[i] = (uint8_t)tr->induction_tier;
    s->flags[i] = qisim_rng_chance(r, p[QP_BUILD_OPINION_LEADER_SHARE]) ? QISIM_STAFF_OPINION_LEADER : 0;
    s->knowhow[i] = (p[QP_BUILD_KNOWHOW_MEAN] * 2.0 * qisim_rng_uniform(r));
    if (tr->induction_tier > QISIM_TIER_NONE) {
        s->knowhow[i] += (float)(p[QP_TRAINING_GAIN_AWARENESS] * (1.0 - (double)s->knowhow[i]));
        s->since_training[i] = 0;
        team->course_load += p[QP_TIME_COURSE_DAYS_AWARENESS] / QISIM_WORKING_DAYS; /* induction days are working days too */
    } else {
        s->since_training[i] = UINT16_MAX;
    }
    s->threshold[i] = (float)qisim_rng_beta(r, tmean * tshape, (1.0 - tmean) * tshape);
    s->motivation[i] = (float)qisim_rng_beta(r, p[QP_BUILD_MOTIVATION_A], p[QP_BUILD_MOTIVATION_B]);
    s->strain[i] = (float)p[QP_WORKFORCE_STRAIN_BASE];
    s->tenure[i] = 0;
    s->support_weeks[i] = 0;
    s->reinforced[i] = 0;
}

static void swap_bytes(void *a, void *b, size_t size)
{
    unsigned char *x = a, *y = b;
    for (size_t k = 0; k < size; k++) {
        unsigned char t = x[k];
        x[k] = y[k];
        y[k] = t;
    }
}

/* Exchanges everything two posts' holders carry: their know-how, tier, practice, threshold... */
static void swap_people(qisim_staff *s, int32_t a, int32_t b)
{
#define SWAP_ONE(field) swap_bytes(s->field + a, s->field + b, sizeof *s->field);
    QISIM_STAFF_FIELDS(SWAP_ONE)
#undef SWAP_ONE
}

/* Trainees due to rotate who stay in the region (w->movers[0..n), in id order) move on to one
 * another's posts: within each region, a random cyclic shift, so each takes their know-how,
 * tier, practice (a champion stays one) and threshold to another team or trust and meets the
 * post's colleagues there (B:L4230: juniors rotate every four months; B:L3817: clinicians who
 * work across hospitals spread improvements as they go). They start the post afresh: tenure 0,
 * no coaching place. A region with a single mover has no post to exchange: that trainee leaves
 * as one who leaves the region does. */
static void rotate(qisim_world *w, int32_t n)
{
    qisim_staff *s = &w->staff;
    qisim_rng *r = &w->rng[QISIM_STREAM_WORKFORCE];
    int32_t *movers = w->movers, *region = movers + w->n_trainee_posts, *sorted = region + w->n_trainee_posts;
    int32_t *first = sorted + w->n_trainee_posts; /* n_regions + 1 counts, then starts */
    for (int32_t g = 0; g <= w->n_regions; g++)
        first[g] = 0;
    for (int32_t k = 0, trust = 0; k < n; k++) { /* movers and trusts are both in id order */
        while (movers[k] >= w->trusts[trust].first_staff + w->trusts[trust].n_staff)
            trust++;
        region[k] = w->trusts[trust].region;
        first[region[k] + 1]++;
    }
    for (int32_t g = 0; g < w->n_regions; g++)
        first[g + 1] += first[g];
    for (int32_t k = 0; k < n; k++) /* a stable counting sort by region */
        sorted[first[region[k]]++] = movers[k];
    for (int32_t g = 0, start = 0; g < w->n_regions; g++) {
        int32_t *group = sorted + start, m = first[g] - start;
        start = first[g];
        if (m == 1) {
            int32_t i = group[0], trust = 0, team = 0;
            while (i >= w->trusts[trust].first_staff + w->trusts[trust].n_staff)
                trust++;
            team = w->trusts[trust].first_team;
            while (i >= w->teams[team].first_staff + w->teams[team].n_staff)
                team++;
            hire(w, i, &w->trusts[trust], &w->teams[team]);
            continue;
        }
        for (int32_t k = m - 1; k > 0; k--) { /* Fisher-Yates: which post each moves to */
            int32_t j = (int32_t)qisim_rng_below(r, (uint32_t)k + 1);
            int32_t t = group[k];
            group[k] = group[j];
            group[j] = t;
        }
        for (int32_t k = 0; k < m; k++)
            if (s->flags[group[k]] & QISIM_STAFF_BRIDGED)
                qisim_network_drop_bridges(w, group[k]); /* a secondment ends when its trainee moves on */
        for (int32_t k = 1; k < m; k++) /* the holder of post k - 1 ends in post k, the last in post 0 */
            swap_people(s, group[0], group[k]);
        for (int32_t k = 0; k < m; k++) {
            s->tenure[group[k]] = 0;
            s->support_weeks[group[k]] = 0;
        }
        if (w->net.former) /* each keeps a tie to an old team mate: the old post's nearest contact */
            for (int32_t k = 0; k < m; k++) {
                w->net.seen[group[k]] = 0; /* new colleagues see their practice from next week */
                int32_t old = group[(k + m - 1) % m], mate = -1;
                for (int32_t e = w->net.offsets[old]; e < w->net.offsets[old + 1]; e++) {
                    int32_t c = w->net.ties[e]; /* the ring lattice's neighbours are the nearest ids */
                    if (mate < 0 || abs(c - old) < abs(mate - old))
                        mate = c;
                }
                w->net.former[group[k]] = mate;
            }
    }
}

void qisim_workforce_step(qisim_world *w)
{
    const double *p = w->params.v;
    qisim_staff *s = &w->staff;
    qisim_rng *r = &w->rng[QISIM_STREAM_WORKFORCE];
    double leave_week = p[QP_WORKFORCE_TURNOVER] / 52.0, strain_leave = p[QP_WORKFORCE_STRAIN_TURNOVER];
    double fill = 1.0 / p[QP_WORKFORCE_FILL_WEEKS];
    uint16_t rotation = (uint16_t)p[QP_WORKFORCE_ROTATION_WEEKS];
    float follow = (float)(1.0 / p[QP_WORKFORCE_STRAIN_WEEKS]);
    float decay = (float)p[QP_WORKFORCE_KNOWHOW_DECAY], practice = (float)p[QP_WORKFORCE_KNOWHOW_PRACTICE];
    double stay = p[QP_WORKFORCE_ROTATION_STAY];
    int32_t n_movers = 0;

    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        int32_t leavers = 0, sick = 0;
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            qisim_team *team = &w->teams[t];
            /* Deviations from a usual NHS team, which settles at strain_base. */
            double target = p[QP_WORKFORCE_STRAIN_BASE] +
                            p[QP_WORKFORCE_STRAIN_WORKLOAD] * (team->workload - p[QP_WORKFORCE_WORKLOAD_REF]) +
                            p[QP_WORKFORCE_STRAIN_REGULATION] * (tr->regulatory_load - p[QP_WORKFORCE_LOAD_REF]) -
                            p[QP_WORKFORCE_STRAIN_SAFETY] * (team->psych_safety - p[QP_CULTURE_SAFETY_BASE]) +
                            p[QP_WORKFORCE_STRAIN_OVERLOAD] * team->overload +
                            p[QP_WORKFORCE_STRAIN_OVERTIME] * team->overtime;
            float strain_target = (float)qisim_clamp01(target);
            int32_t end = team->first_staff + team->n_staff;
            for (int32_t i = team->first_staff; i < end; i++) {
                uint8_t f = s->flags[i];
                if (f & QISIM_STAFF_VACANT) {
                    if (qisim_rng_chance(r, fill))
                        hire(w, i, tr, team);
                    continue;
                }
                if (s->role[i] == QISIM_ROLE_TRAINEE && s->tenure[i] >= rotation) {
                    leavers++;
                    /* (the bound holds unless roles were changed after building: then the rest leave) */
                    if (stay > 0.0 && qisim_rng_chance(r, stay) && n_movers < w->n_trainee_posts)
                        w->movers[n_movers++] = i; /* to another post of the region, below */
                    else
                        hire(w, i, tr, team); /* leaves the region: the next trainee arrives, the skills leave */
                    continue;
                }
                if (qisim_rng_chance(r, leave_week * (1.0 + strain_leave * (double)s->strain[i]))) {
                    leavers++;
                    uint8_t role = s->role[i];
                    if (role == QISIM_ROLE_TEAM_LEADER || role == QISIM_ROLE_EXECUTIVE)
                        hire(w, i, tr, team); /* leadership posts are covered at once */
                    else {
                        qisim_network_new_holder(w, i); /* their secondment and old ties end with them */
                        s->flags[i] = QISIM_STAFF_VACANT;
                        s->support_weeks[i] = 0; /* the coaching place frees up */
                    }
                    continue;
                }
                if (s->tenure[i] < UINT16_MAX)
                    s->tenure[i]++;
                s->strain[i] += follow * (strain_target - s->strain[i]);
                if (f & QISIM_STAFF_PRACTISING)
                    s->knowhow[i] += practice * (1.0f - s->knowhow[i]);
                else
                    s->knowhow[i] -= decay * s->knowhow[i];
            }
            int32_t present = team->n_in_post;
            double p_sick = p[QP_WORKFORCE_SICKNESS] * (1.0 + p[QP_WORKFORCE_STRAIN_SICKNESS] * team->mean_strain);
            team->sick = qisim_rng_binomial(r, present, p_sick > 1.0 ? 1.0 : p_sick);
            sick += team->sick;
        }
        tr->stats.leavers = leavers;
        tr->stats.sick = sick;
    }
    if (n_movers > 0)
        rotate(w, n_movers);
}
