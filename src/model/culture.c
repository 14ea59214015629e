/* Mechanism 6: culture is the slow loop. */

/* Team psychological safety follows leadership style, the organisation's culture, success, strain
 * and how data are used; organisation culture follows, over years, how many practise, how safe
 * teams are, the board and performance (virtuous circles, spirals of decline), and can rise no
 * faster than culture.max_rise. Once embedded it declines several times slower (hysteresis: it
 * survives a change of chief executive). */
#include <math.h>

#include "qisim/model.h"

void qisim_culture_step(qisim_world *w)
{
    const double *p = w->params.v;
    double safety_rate = 1.0 / p[QP_CULTURE_SAFETY_WEEKS];
    double up = 1.0 / (p[QP_CULTURE_UP_YEARS] * 52.0), down = 1.0 / (p[QP_CULTURE_DOWN_YEARS] * 52.0);
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        double judged = 1.0 - tr->data_for_improvement;
        double base_reliability = 0.0;
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            qisim_team *team = &w->teams[t];
            /* Deviations from a usual NHS team, whose safety is safety_base. */
            double target = p[QP_CULTURE_SAFETY_BASE] +
                            p[QP_CULTURE_SAFETY_LEADERSHIP] * (tr->style - p[QP_LEADERSHIP_STYLE_DEFAULT]) +
                            p[QP_CULTURE_SAFETY_CULTURE] * (tr->culture - p[QP_CULTURE_BASE]) +
                            p[QP_CULTURE_SAFETY_SUCCESS] * team->success -
                            p[QP_CULTURE_SAFETY_STRAIN] * (team->mean_strain - p[QP_WORKFORCE_STRAIN_BASE]) -
                            p[QP_CULTURE_SAFETY_JUDGEMENT] * (judged - (1.0 - p[QP_DATA_USE_BASE])) -
                            p[QP_CULTURE_SAFETY_DISRUPTION] * tr->setback;
            team->psych_safety += (safety_rate * (qisim_clamp01(target) - team->psych_safety));
            base_reliability += (double)team->base_reliability * team->n_staff;
        }
        const qisim_trust_stats *st = &tr->stats;
        double practising = st->n_staff ? (double)st->n_practising / st->n_staff : 0.0;
        double gained = st->reliability - base_reliability / tr->n_staff;
        double board_ref = p[QP_LEADERSHIP_BASE] * p[QP_LEADERSHIP_STYLE_DEFAULT];
        /* Practice supports culture up to a critical mass (R:L4411-4418), not without limit. */
        double practice = fmin(1.0, practising / p[QP_CULTURE_PRACTICE_FULL]);
        double target = p[QP_CULTURE_BASE] + p[QP_CULTURE_PRACTICE] * practice +
                        p[QP_CULTURE_SAFETY] * (st->psych_safety - p[QP_CULTURE_SAFETY_BASE]) +
                        p[QP_CULTURE_BOARD] * (tr->board_commitment * tr->style - board_ref) +
                        p[QP_CULTURE_PERFORMANCE] * gained -
                        p[QP_CULTURE_STRAIN] * (st->strain - p[QP_WORKFORCE_STRAIN_BASE]);
        target = qisim_clamp01(target);
        bool embedded = tr->culture >= p[QP_CULTURE_EMBEDDED];
        double rate = target > tr->culture ? up : embedded ? down / p[QP_CULTURE_EMBEDDED_RESILIENCE] : down;
        double change = rate * (target - tr->culture);
        double rise = p[QP_CULTURE_MAX_RISE];
        tr->culture += change < rise ? change : rise; /* shared assumptions shift slowly (C:L224) */
    }
}
