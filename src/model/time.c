/* Mechanism 3: time is scarce, and improvement costs it. */

/* Demand (growth, crises, disruption, and the rework that unreliable care brings back) meets
 * clinical capacity: the staff present, less the hours they spend on QI this week (protected
 * time that managers have not withdrawn, a collaborative's sessions, members' own PDSA work,
 * course days, coaching sessions), plus overtime worked while waits are above the usual.
 * Pressure from an over-stretched service, a growing list and regulatory load diverts QI time
 * to firefighting; assurance effort (regulation) takes QI time first and clinical hours too.
 * Improvement therefore costs capacity before it pays back through reliability
 * (less rework) and flow: the fast loop of the pressure trap (H:L440-442; B:L2958). */
#include <math.h>

#include "qisim/model.h"

void qisim_time_step(qisim_world *w)
{
    const double *p = w->params.v;
    double growth = pow(1.0 + p[QP_TIME_DEMAND_GROWTH], w->week / 52.0);
    double course_rate = 1.0 / p[QP_TIME_COURSE_WEEKS];
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        double practising = tr->stats.n_staff ? (double)tr->stats.n_practising / tr->stats.n_staff : 0.0;
        /* Organisations that had capability before a crisis absorb more of it (B:L2095-2105). */
        double surge = (tr->shock_demand - 1.0) * (1.0 - p[QP_TIME_CAPABILITY_BUFFER] * practising);
        double protected_time = tr->protected_time * (1.0 - tr->time_cut);
        double trust_pressure = 0.0;
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            qisim_team *team = &w->teams[t];
            /* Care below its week-0 reliability comes back as rework; care above it saves some. */
            double rework = 1.0 + p[QP_TIME_FAILURE_DEMAND] * (team->base_reliability - team->reliability);
            double demand = growth * tr->demand_level * (1.0 + surge + p[QP_SHOCKS_DISRUPTION_DEMAND] * tr->setback) * qisim_fmax(0.0, rework);
            /* Last week's stretch and list set this week's pressure (a synchronous update). */
            double over = qisim_fmax(0.0, team->workload - p[QP_WORKFORCE_WORKLOAD_REF]);
            double pressure = over + p[QP_TIME_WAITING_PRESSURE] * qisim_fmax(0.0, team->waiting - 1.0) +
                              p[QP_TIME_REGULATION_PRESSURE] * tr->regulatory_load;
            double divert = 1.0 / (1.0 + p[QP_TIME_FIREFIGHTING] * pressure);
            const qisim_collaborative *c = team->collaborative >= 0 ? &w->collaboratives[team->collaborative] : NULL;
            bool in_collaborative = c && w->week >= c->start_week && w->week < c->start_week + c->weeks;
            /* Time every member is given (protected, a collaborative's sessions), and time
             * practising members find themselves: QI as a "second job" (B:L2958). */
            double scheduled = (protected_time + (in_collaborative ? p[QP_TIME_COLLABORATIVE] : 0.0)) * divert;
            double own = p[QP_TIME_DISCRETIONARY] * divert;
            /* Assurance work draws on the same time and attention first (B:L1461). The usual
             * trust's own assurance is already inside the calibrated usual QI time and capacity,
             * so only the effort above it costs (and effort below it gives time back). */
            double assurance = tr->assurance - p[QP_REGULATION_ASSURANCE_USUAL];
            double total = scheduled + own;
            double taken = qisim_fmin(total, p[QP_REGULATION_CROWDING] * assurance);
            if (total > 0.0) {
                scheduled *= (total - taken) / total;
                own *= (total - taken) / total;
            }
            team->qi_time = scheduled + own;

            int32_t present = team->counts.n_in_post - team->sick;
            double staff = present > 1 ? present : 1;
            double course = team->course_load * course_rate;
            team->course_load -= course;
            double engaged = qisim_fmin(1.0, team->counts.n_practising / staff);
            /* Coaching takes the coachee's session and, where colleagues coach, the coach's. */
            double coaching = (team->counts.n_coached + team->counts.n_peer_coaches * p[QP_TRAINING_PEER_CASELOAD]) * p[QP_TIME_COACHING_SESSION];
            team->qi_cost = p[QP_TIME_CAPACITY_COST] *
                            qisim_fmin(p[QP_TIME_MAX_QI_SHARE], scheduled + own * engaged + (course + coaching) / staff);
            /* Staff work extra hours while the wait is above a usual service's. */
            team->overtime = p[QP_TIME_OVERTIME_MAX] * qisim_clamp01((team->waiting - 1.0) / p[QP_TIME_OVERTIME_SPAN]);
            /* Assurance costs clinical hours too: it is not a free number. */
            assurance *= p[QP_TIME_CAPACITY_COST];
            team->capacity = staff * (1.0 - team->qi_cost - assurance + team->overtime) / team->n_staff;
            team->demand = demand;
            /* Better flow does the same work with less effort: efficiency releases time (Time for
             * Care, B:L260, L1661-1663). Workload is demand over contracted hours: overtime
             * serves the list but does not relieve the strain. */
            team->workload = demand / (staff * (1.0 - team->qi_cost - assurance) / team->n_staff * team->efficiency);
            trust_pressure += pressure * team->n_staff;
        }
        tr->pressure = trust_pressure / tr->n_staff;
    }
}

void qisim_time_book(qisim_team *team, double person_weeks)
{
    team->course_load += person_weeks;
}

int qisim_time_set_protected(qisim_world *w, int32_t trust, double share, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    if (!(share >= 0.0 && share <= 0.5))
        return qisim_err_set(err, QISIM_EINVAL, "protected time %g is outside [0, 0.5] of working time", share);
    qisim_policy_imposed(w, trust);
    w->trusts[trust].protected_time = share;
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "protected_time", "share=%g", share);
    return QISIM_OK;
}
