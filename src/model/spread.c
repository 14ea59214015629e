/* Mechanism 5: spread is social. */

/* A complex contagion: a member starts practising when the weighted share of practising peers
 * (team, lateral ties across the trust, peer organisations) reaches their threshold. Opinion
 * leaders weigh more; visible success and a peer-led identity lower thresholds; mandated,
 * compliance or cost-cutting framing and bundling with other initiatives raise them. Members learn know-how from practising peers up
 * to what practice needs. When the world has a staff network (network.c) the peers are the
 * member's own contacts instead, under the rule network.rule (docs/ODD.md §7.6.1). */
#include <stdlib.h>

#include "qisim/model.h"
#include "spread.h"

/* Multiplier on every threshold in a trust this week. */
static double framing(const qisim_world *w, const qisim_trust *tr)
{
    const double *p = w->params.v;
    double f = 1.0;
    if (qisim_national_programme_running(w))
        f *= w->national_mandated ? 1.0 + p[QP_SPREAD_MANDATE_FRAMING] : 1.0 - p[QP_SPREAD_PEER_LED_FRAMING];
    if (tr->strategy == QISIM_STRATEGY_COMPLIANCE)
        f *= 1.0 + p[QP_SPREAD_COMPLIANCE_FRAMING];
    if (tr->strategy != QISIM_STRATEGY_QI)
        f *= 1.0 + p[QP_SPREAD_COST_FRAMING] * tr->finance_pressure;
    f *= 1.0 + p[QP_SPREAD_BUNDLING] * tr->parallel_initiatives;
    f /= 1.0 + p[QP_SPREAD_SUCCESS] * tr->wins;
    return f;
}

void qisim_spread_members_trust(qisim_world *w, int32_t k, qisim_spread_members *m)
{
    const double *p = w->params.v;
    const qisim_trust *tr = &w->trusts[k];
    *m = (qisim_spread_members){
        .w = w, .r = &w->rng[QISIM_STREAM_SPREAD], .network = w->net.offsets != NULL, .rule = (int)p[QP_NETWORK_RULE],
        .need = (int32_t)p[QP_NETWORK_COUNT], .framing = framing(w, tr), .external = p[QP_SPREAD_EXTERNAL],
        .olw = p[QP_SPREAD_OPINION_LEADER_WEIGHT], .knowhow_min = p[QP_SPREAD_KNOWHOW_MIN],
        .time_needed = p[QP_TRAINING_TIME_NEEDED], .base_rate = p[QP_SPREAD_RATE],
        .informal_learning = p[QP_SPREAD_INFORMAL_LEARNING], .lateral = p[QP_SPREAD_LATERAL],
        .peer_orgs = p[QP_SPREAD_PEER_ORGS], .leader_share = p[QP_BUILD_OPINION_LEADER_SHARE],
        .trust_share = tr->stats.n_staff ? (double)tr->stats.n_practising / tr->stats.n_staff : 0.0,
        .peer_support = tr->peer_support};
}

/* Team t's members of trust k this week (the pass runs qisim_spread_member itself). */
void qisim_spread_team(qisim_world *w, int32_t k, int32_t t)
{
    const qisim_team *team = &w->teams[t];
    const uint8_t *flags = w->staff.flags;
    qisim_spread_members m;
    qisim_spread_members_trust(w, k, &m);
    if (!qisim_spread_members_team(&m, team))
        return;
    for (int32_t i = team->first_staff, end = team->first_staff + team->n_staff; i < end; i++)
        if (!(flags[i] & QISIM_STAFF_VACANT))
            qisim_spread_member(&m, &w->staff, i, flags[i]);
}

void qisim_spread_step(qisim_world *w)
{
    for (int32_t k = 0; k < w->n_trusts; k++)
        for (int32_t t = w->trusts[k].first_team; t < w->trusts[k].first_team + w->trusts[k].n_teams; t++)
            qisim_spread_team(w, k, t);
}

/* Champions are chosen among staff who already know enough to practise. */
static bool can_champion(const qisim_world *w, int32_t i, const void *ctx)
{
    const double *knowhow_min = ctx;
    uint8_t f = w->staff.flags[i];
    return !(f & (QISIM_STAFF_VACANT | QISIM_STAFF_CHAMPION)) && (double)w->staff.knowhow[i] >= *knowhow_min;
}

int qisim_spread_champions(qisim_world *w, int32_t trust, const qisim_target *target, qisim_err *err)
{
    double knowhow_min = w->params.v[QP_SPREAD_KNOWHOW_MIN];
    int32_t *chosen, n;
    int rc = qisim_target_pick(w, trust, target, can_champion, &knowhow_min, &w->rng[QISIM_STREAM_SPREAD], &chosen, &n, err);
    if (rc)
        return rc;
    for (int32_t k = 0; k < n; k++) {
        w->staff.flags[chosen[k]] |= QISIM_STAFF_CHAMPION | QISIM_STAFF_PRACTISING;
        w->staff.commitment[chosen[k]] = 1.0f; /* fully committed when designated (training.c fades it) */
    }
    free(chosen);
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "champions", "designated=%d who=%s teams=%d", n,
                    qisim_target_names[target->who], target->teams ? target->n_teams : w->trusts[trust].n_teams);
    return QISIM_OK;
}
