/* Mechanism 13: outcomes. */

/* Care reliability is the week-0 level plus what adopted changes and feedback added, less what
 * strain and disruption take away; harm scales with unreliability. Each service keeps a waiting
 * list as a stock: this week's arrivals (demand) join it, and it is worked down at a pace that
 * rises with its length up to what the service's capacity and efficiency allow; the wait is the
 * list over the throughput (Little's law). QI spend is booked. */
#include <math.h>

#include "qisim/model.h"

/* Patients served in a week from a list of `list` weeks of usual arrivals, by a service that
 * can serve at most `most` a week and takes `weeks` to work through a short list. */
static double served(double list, double most, double weeks)
{
    return most > 0.0 ? most * (1.0 - exp(-list / (most * weeks))) : 0.0;
}

void qisim_outcomes_book(qisim_trust *tr, double pounds)
{
    tr->qi_spend_pending += pounds;
}

void qisim_outcomes_step(qisim_world *w)
{
    const double *p = w->params.v;
    double u0 = p[QP_OUTCOMES_UTILISATION], list_weeks = p[QP_OUTCOMES_LIST_WEEKS];
    double max_eff = p[QP_OUTCOMES_MAX_EFFICIENCY];
    /* A usual service (one week's arrivals, capacity 1/u0 a week) settles where it serves what
     * arrives: its list holds `usual` weeks of arrivals before they join it, and as many wait
     * after each week's service. */
    double usual = -list_weeks / u0 * log(1.0 - u0) - 1.0;
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        double harm = 0.0;
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            qisim_team *team = &w->teams[t];
            double added = team->gains + team->feedback_gain, flow = team->flow_gains;
            qisim_projects_add_sustained(w, t, &added, &flow);
            double strained = team->counts.mean_strain - p[QP_OUTCOMES_STRAIN_REF];
            double reliability = team->base_reliability + added -
                                 p[QP_OUTCOMES_STRAIN_RELIABILITY] * (strained > 0.0 ? strained : 0.0) -
                                 p[QP_OUTCOMES_DISRUPTION_RELIABILITY] * tr->setback;
            team->reliability = qisim_clamp01(reliability);
            team->efficiency = qisim_fmin(max_eff, qisim_fmax(p[QP_OUTCOMES_MIN_EFFICIENCY], 1.0 + flow));
            /* Capacity and efficiency as set at week 0 serve 1/u0 of a usual week's arrivals. */
            double most = team->capacity * team->efficiency * p[QP_WORKFORCE_WORKLOAD_REF] / u0;
            double list = team->backlog * usual + team->demand;
            double out = qisim_fmin(list, served(list, most, list_weeks));
            team->backlog = (list - out) / usual;
            team->waiting = out > 0.0 ? (list - out) / out / usual : team->backlog;
            harm += p[QP_OUTCOMES_HARM_BASE] * (1.0 - team->reliability) / (1.0 - p[QP_OUTCOMES_RELIABILITY_REF]) *
                    team->n_staff;
        }
        tr->stats.harm_rate = harm / tr->n_staff;
        tr->qi_spend_week = tr->qi_spend_pending + (tr->coaches + tr->central_team) * p[QP_OUTCOMES_COST_COACH] +
                             tr->protected_time * tr->stats.n_staff * p[QP_OUTCOMES_COST_STAFF_WEEK];
        tr->qi_spend_total += tr->qi_spend_week;
        tr->qi_spend_pending = 0.0;
    }
}
