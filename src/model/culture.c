/* Mechanism 6: culture is the slow loop. */

/* Each team has its own climate (psychological safety, learning climate). It follows leadership
 * style, the organisation's culture, the team's recent wins, strain and how data are used, and
 * it jumps when something goes wrong: a serious incident is met either by blame, which teaches
 * people to keep quiet, or by a just-culture review, which teaches them to speak up. Organisation
 * culture is the slow stock these climates feed: it moves towards what the organisation does
 * (how many practise, how safe its teams are, its board, the care it achieves) and what drains it
 * (strain, churn), with diminishing returns as it nears its ceiling. Nothing caps its rate: how
 * long it takes to embed comes out of the loops through practice, safety and performance.
 * Once embedded it declines several times slower (hysteresis: it survives a change of CEO). */
#include <math.h>

#include "qisim/model.h"

/* Chance that a serious incident is met by a just-culture review rather than blame. */
static double just_culture(const double *p, const qisim_trust *tr)
{
    return qisim_clamp01(p[QP_CULTURE_JUST_BASE] + p[QP_CULTURE_JUST_STYLE] * (tr->style - p[QP_LEADERSHIP_STYLE_DEFAULT]) +
                         p[QP_CULTURE_JUST_CULTURE] * (tr->culture - p[QP_CULTURE_BASE]));
}

/* What an incident's answer does, as a deviation from what a usual trust's answers do on
 * average (the convention of every driver here): a usual trust's incidents leave its culture
 * where it is, a more just one's raise it, a more blaming one's lower it. */
static double answered(double learned_gain, double blame_loss, double usual_just, bool learned)
{
    double usual = usual_just * learned_gain - (1.0 - usual_just) * blame_loss;
    return (learned ? learned_gain : -blame_loss) - usual;
}

/* Annual leaving rate (leavers and rotating trainees per post) of a usual trust. */
static double usual_turnover(const double *p)
{
    return p[QP_WORKFORCE_TURNOVER] * (1.0 + p[QP_WORKFORCE_STRAIN_TURNOVER] * p[QP_WORKFORCE_STRAIN_BASE]) +
           p[QP_BUILD_TRAINEE_SHARE] * 52.0 / p[QP_WORKFORCE_ROTATION_WEEKS];
}

void qisim_culture_shake_safety(qisim_team *team, double loss)
{
    team->psych_safety = qisim_clamp01(team->psych_safety - loss);
}

void qisim_culture_step(qisim_world *w)
{
    const double *p = w->params.v;
    qisim_rng *r = &w->rng[QISIM_STREAM_CULTURE];
    double safety_rate = 1.0 / p[QP_CULTURE_SAFETY_WEEKS];
    double up = 1.0 / (p[QP_CULTURE_UP_YEARS] * 52.0), down = 1.0 / (p[QP_CULTURE_DOWN_YEARS] * 52.0);
    double headroom = p[QP_CULTURE_CEILING] - p[QP_CULTURE_BASE];
    double incident_ref = 1.0 - p[QP_OUTCOMES_RELIABILITY_REF];
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        double judged = 1.0 - tr->data_for_improvement;
        double just = just_culture(p, tr);
        double base_reliability = 0.0;
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            qisim_team *team = &w->teams[t];
            /* Deviations from a usual NHS team, whose safety is safety_base. */
            double target = p[QP_CULTURE_SAFETY_BASE] +
                            p[QP_CULTURE_SAFETY_LEADERSHIP] * (tr->style - p[QP_LEADERSHIP_STYLE_DEFAULT]) +
                            p[QP_CULTURE_SAFETY_CULTURE] * (tr->culture - p[QP_CULTURE_BASE]) +
                            p[QP_CULTURE_SAFETY_SUCCESS] * team->success -
                            p[QP_CULTURE_SAFETY_STRAIN] * (team->counts.mean_strain - p[QP_WORKFORCE_STRAIN_BASE]) -
                            p[QP_CULTURE_SAFETY_JUDGEMENT] * (judged - (1.0 - p[QP_DATA_USE_BASE])) -
                            p[QP_CULTURE_SAFETY_DISRUPTION] * tr->setback;
            team->psych_safety += (safety_rate * (qisim_clamp01(target) - team->psych_safety));
            /* Serious incidents: more where care is less reliable. */
            double incident = p[QP_CULTURE_INCIDENT_RATE] * (1.0 - team->reliability) / incident_ref;
            if (qisim_rng_chance(r, qisim_fmin(1.0, incident))) {
                bool learned = qisim_rng_chance(r, just);
                team->psych_safety = qisim_clamp01(team->psych_safety + answered(p[QP_CULTURE_INCIDENT_LEARNING],
                                                                                 p[QP_CULTURE_INCIDENT_BLAME],
                                                                                 p[QP_CULTURE_JUST_BASE], learned));
                if (learned)
                    tr->stats.incidents_learned++;
                else
                    tr->stats.incidents_blamed++;
            }
            base_reliability += (double)team->base_reliability * team->n_staff;
        }
        const qisim_trust_stats *st = &tr->stats;
        double practising = st->n_staff ? (double)st->n_practising / st->n_staff : 0.0;
        double gained = st->reliability - base_reliability / tr->n_staff;
        double board_ref = p[QP_LEADERSHIP_BASE] * p[QP_LEADERSHIP_STYLE_DEFAULT];
        double churn = (st->n_staff ? st->leavers * 52.0 / st->n_staff : 0.0) - usual_turnover(p); /* per member in post */
        /* Practice supports culture up to a critical mass (R:L4411-4418), not without limit. */
        double practice = qisim_fmin(1.0, practising / p[QP_CULTURE_PRACTICE_FULL]);
        /* Staff under strain have no headspace for what the organisation says and does
         * (B:L2956): what supports the culture reaches them in proportion to what is left. */
        double strained = p[QP_CULTURE_HEADSPACE] *
                          qisim_clamp01((st->strain - p[QP_WORKFORCE_STRAIN_BASE]) / (1.0 - p[QP_WORKFORCE_STRAIN_BASE]));
        double support = (1.0 - strained) * (p[QP_CULTURE_PRACTICE] * practice +
                                              p[QP_CULTURE_SAFETY] * (st->psych_safety - p[QP_CULTURE_SAFETY_BASE]) +
                                              p[QP_CULTURE_BOARD] * (tr->board_commitment * tr->style - board_ref) +
                                              p[QP_CULTURE_PERFORMANCE] * gained) -
                         p[QP_CULTURE_STRAIN] * (st->strain - p[QP_WORKFORCE_STRAIN_BASE]) -
                         p[QP_CULTURE_CHURN] * churn;
        /* Diminishing returns towards the ceiling; nothing slows the fall. */
        double target = support > 0.0 && headroom > 0.0 ? p[QP_CULTURE_BASE] + headroom * tanh(support / headroom)
                                                        : p[QP_CULTURE_BASE] + support;
        target = qisim_clamp01(target);
        /* A serious incident reaches the board, whose answer everyone sees: blame, or a
         * restorative review that the organisation learns from (C:L650; H:L151; B:L1244-1248). */
        double serious = p[QP_CULTURE_SERIOUS_RATE] * (1.0 - st->reliability) / incident_ref;
        if (qisim_rng_chance(r, qisim_fmin(1.0, serious))) {
            bool learned = qisim_rng_chance(r, just);
            tr->culture = qisim_clamp01(tr->culture + answered(p[QP_CULTURE_SERIOUS_LEARNING], p[QP_CULTURE_SERIOUS_BLAME],
                                                               p[QP_CULTURE_JUST_BASE], learned));
            qisim_world_log(w, QISIM_LEVEL_TRUST, k, "serious_incident", "response=%s", learned ? "learning" : "blame");
        }
        bool embedded = tr->culture >= p[QP_CULTURE_EMBEDDED];
        double rate = target > tr->culture ? up : embedded ? down / p[QP_CULTURE_EMBEDDED_RESILIENCE] : down;
        tr->culture += rate * (target - tr->culture);
    }
}
