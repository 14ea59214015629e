/* Whom a targeted intervention reaches: chosen teams, opinion leaders, or the most connected staff. */
#include <stdlib.h>

#include "qisim/world.h"

const char *const qisim_target_names[] = {"anyone", "opinion_leaders", "connected", NULL};

typedef struct ranked {
    int32_t id, degree;
} ranked;

/* Most ties first; equal degrees in id order, so the choice needs no draw. */
static int by_degree(const void *x, const void *y)
{
    const ranked *a = x, *b = y;
    if (a->degree != b->degree)
        return a->degree < b->degree ? 1 : -1;
    return (a->id > b->id) - (a->id < b->id);
}

static int by_id(const void *x, const void *y)
{
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    return (a > b) - (a < b);
}

/* Whether staff member i's team is one of the target's (every team when none are listed). */
static bool in_teams(const qisim_world *w, const qisim_target *target, int32_t i)
{
    if (!target->teams)
        return true;
    for (int32_t k = 0; k < target->n_teams; k++) {
        const qisim_team *t = &w->teams[target->teams[k]];
        if (i >= t->first_staff && i < t->first_staff + t->n_staff)
            return true;
    }
    return false;
}

int qisim_target_pick(const qisim_world *w, int32_t trust, const qisim_target *target,
                      bool (*eligible)(const qisim_world *w, int32_t i, const void *ctx), const void *ctx,
                      qisim_rng *r, int32_t **chosen, int32_t *n_chosen, qisim_err *err)
{
    *chosen = NULL;
    *n_chosen = 0;
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    const qisim_trust *tr = &w->trusts[trust];
    if (target->who < 0 || target->who >= QISIM_N_TARGETS)
        return qisim_err_set(err, QISIM_EINVAL, "unknown target rule %d", target->who);
    if (!(target->share > 0.0 && target->share <= 1.0))
        return qisim_err_set(err, QISIM_EINVAL, "share %g is outside (0, 1]", target->share);
    for (int32_t k = 0; target->teams && k < target->n_teams; k++) {
        int32_t t = target->teams[k];
        if (t < tr->first_team || t >= tr->first_team + tr->n_teams)
            return qisim_err_set(err, QISIM_EINVAL, "team '%s' is not a team of trust '%s'",
                                 t >= 0 && t < w->n_teams ? qisim_team_name(w, t) : "?", tr->name);
    }
    if (target->who == QISIM_TARGET_CONNECTED && !w->net.offsets)
        return qisim_err_set(err, QISIM_EINVAL,
                             "who = \"connected\" needs the staff network, which is off (network.on = 0) or not built until week 0: act from a scheduled action (at(0, ...))");
    int32_t *out = malloc(((size_t)tr->n_staff + 1) * sizeof *out);
    ranked *rank = target->who == QISIM_TARGET_CONNECTED ? malloc(((size_t)tr->n_staff + 1) * sizeof *rank) : NULL;
    if (!out || (target->who == QISIM_TARGET_CONNECTED && !rank)) {
        free(out);
        free(rank);
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory choosing staff of trust '%s'", tr->name);
    }
    int32_t n = 0;
    for (int32_t i = tr->first_staff; i < tr->first_staff + tr->n_staff; i++) {
        if (!in_teams(w, target, i) || !eligible(w, i, ctx))
            continue;
        switch (target->who) {
        case QISIM_TARGET_CONNECTED:
            rank[n++] = (ranked){i, w->net.offsets[i + 1] - w->net.offsets[i]};
            break;
        case QISIM_TARGET_OPINION_LEADERS:
            if ((w->staff.flags[i] & QISIM_STAFF_OPINION_LEADER) && qisim_rng_chance(r, target->share))
                out[n++] = i;
            break;
        default:
            if (qisim_rng_chance(r, target->share))
                out[n++] = i;
            break;
        }
    }
    if (rank) {
        qsort(rank, (size_t)n, sizeof *rank, by_degree);
        int32_t take = (int32_t)(target->share * n + 0.5);
        if (take < 1 && n > 0)
            take = 1; /* a share above 0 reaches someone */
        for (int32_t k = 0; k < take; k++)
            out[k] = rank[k].id;
        n = take;
        free(rank);
        qsort(out, (size_t)n, sizeof *out, by_id);
    }
    *chosen = out;
    *n_chosen = n;
    return QISIM_OK;
}
