/* Mechanism 3: time is scarce. */

/* Demand against capacity in post gives each team's workload; QI time is protected plus
 * discretionary time, diverted to firefighting and assurance under pressure. Lost reliability
 * returns as failure demand: the pressure trap's feedback loop. */
#include <math.h>

#include "qisim/model.h"

void qisim_time_step(qisim_world *w)
{
    const double *p = w->params.v;
    double growth = pow(1.0 + p[QP_TIME_DEMAND_GROWTH], w->week / 52.0);
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        double practising = tr->stats.n_staff ? (double)tr->stats.n_practising / tr->stats.n_staff : 0.0;
        /* Organisations that had capability before a crisis absorb more of it (B:L2095-2105). */
        double surge = (tr->shock_demand - 1.0) * (1.0 - p[QP_TIME_CAPABILITY_BUFFER] * practising);
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            qisim_team *team = &w->teams[t];
            double lost = team->base_reliability - team->reliability;
            double demand = growth * (1.0 + surge + p[QP_SHOCKS_DISRUPTION_DEMAND] * tr->setback) *
                            (1.0 + p[QP_TIME_FAILURE_DEMAND] * (lost > 0.0 ? lost : 0.0));
            int32_t present = team->n_in_post - team->sick;
            double capacity = (present > 1 ? present : 1) / (double)team->n_staff;
            team->demand = demand;
            /* Better flow does the same work with less effort: efficiency releases time (Time for
             * Care, B:L260, L1661-1663), easing pressure, strain and sickness. */
            team->workload = demand / (capacity * team->efficiency);
            double over = team->workload - p[QP_WORKFORCE_WORKLOAD_REF];
            double pressure = (over > 0.0 ? over : 0.0) +
                              p[QP_TIME_REGULATION_PRESSURE] * tr->regulatory_load;
            double available = p[QP_TIME_DISCRETIONARY] + tr->protected_time;
            const qisim_collaborative *c = team->collaborative >= 0 ? &w->collaboratives[team->collaborative] : NULL;
            if (c && w->week >= c->start_week && w->week < c->start_week + c->weeks)
                available += p[QP_TIME_COLLABORATIVE]; /* learning sessions and project time */
            team->qi_time = (available / (1.0 + p[QP_TIME_FIREFIGHTING] * pressure));
        }
    }
}

int qisim_time_set_protected(qisim_world *w, int32_t trust, double share, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    if (!(share >= 0.0 && share <= 0.5))
        return qisim_err_set(err, QISIM_EINVAL, "protected time %g is outside [0, 0.5] of working time", share);
    w->trusts[trust].protected_time = share;
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "protected_time", "share=%g", share);
    return QISIM_OK;
}
