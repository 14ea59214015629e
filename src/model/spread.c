/* Mechanism 5: spread is social. */

/* A complex contagion: a member starts practising when the weighted share of practising peers
 * (team, lateral ties across the trust, peer organisations) reaches their threshold. Opinion
 * leaders weigh more; visible success and a peer-led identity lower thresholds; mandated,
 * compliance or cost-cutting framing raises them. Members learn know-how from practising peers up
 * to what practice needs. */
#include "qisim/model.h"

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
    f /= 1.0 + p[QP_SPREAD_SUCCESS] * tr->wins;
    return f;
}

void qisim_spread_step(qisim_world *w)
{
    const double *p = w->params.v;
    qisim_staff *s = &w->staff;
    qisim_rng *r = &w->rng[QISIM_STREAM_SPREAD];
    double lateral = p[QP_SPREAD_LATERAL], peer_orgs = p[QP_SPREAD_PEER_ORGS];
    double olw = p[QP_SPREAD_OPINION_LEADER_WEIGHT], knowhow_min = p[QP_SPREAD_KNOWHOW_MIN];
    for (int32_t k = 0; k < w->n_trusts; k++) {
        const qisim_trust *tr = &w->trusts[k];
        double trust_share = tr->stats.n_staff ? (double)tr->stats.n_practising / tr->stats.n_staff : 0.0;
        double f = framing(w, tr);
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            const qisim_team *team = &w->teams[t];
            if (team->qi_time <= 0.0)
                continue; /* no time, no practice to catch */
            int32_t present = team->n_in_post;
            if (present < 2)
                continue;
            /* Opinion leaders count olw times; the pool is weighted the same way, assuming
             * the share of opinion leaders among non-practising members is the staff share. */
            double weighted = team->n_practising + (olw - 1.0) * team->n_leaders_practising;
            double pool = present + (olw - 1.0) * (team->n_leaders_practising +
                                                   p[QP_BUILD_OPINION_LEADER_SHARE] * (present - team->n_practising));
            double team_share = weighted / pool;
            double exposure = (1.0 - lateral - peer_orgs) * team_share + lateral * trust_share +
                              peer_orgs * tr->peer_support;
            float learn = (float)(p[QP_SPREAD_INFORMAL_LEARNING] * knowhow_min * team->n_practising / present);
            double time_factor = team->qi_time / p[QP_TRAINING_TIME_NEEDED];
            double rate = p[QP_SPREAD_RATE] * (time_factor < 1.0 ? time_factor : 1.0);
            int32_t end = team->first_staff + team->n_staff;
            for (int32_t i = team->first_staff; i < end; i++) {
                uint8_t fl = s->flags[i];
                if (fl & (QISIM_STAFF_VACANT | QISIM_STAFF_PRACTISING))
                    continue;
                if ((double)s->knowhow[i] < knowhow_min) {
                    s->knowhow[i] += learn;
                    continue;
                }
                if (exposure >= f * (double)s->threshold[i] && qisim_rng_chance(r, rate))
                    s->flags[i] = fl | QISIM_STAFF_PRACTISING;
            }
        }
    }
}
