/* Mechanism 2 (with the staff side of 3 and 13): who is in post this week. */

/* Turnover rising with strain, trainee rotation every ~4 months, vacancies, sickness, strain
 * following the team's conditions, and know-how that decays without use and leaves with the
 * person. */
#include <math.h>

#include "qisim/model.h"

/* A new member in slot i: the post's role, the trust's induction tier, a fresh threshold. */
static void hire(qisim_world *w, int32_t i, const qisim_trust *tr, qisim_team *team)
{
    qisim_rng *r = &w->rng[QISIM_STREAM_WORKFORCE];
    const double *p = w->params.v;
    qisim_staff *s = &w->staff;
    double tmean = p[QP_BUILD_THRESHOLD_MEAN], tshape = p[QP_BUILD_THRESHOLD_SHAPE];
    s->tier[i] = (uint8_t)tr->induction_tier;
    s->flags[i] = qisim_rng_chance(r, p[QP_BUILD_OPINION_LEADER_SHARE]) ? QISIM_STAFF_OPINION_LEADER : 0;
    s->knowhow[i] = (p[QP_BUILD_KNOWHOW_MEAN] * 2.0 * qisim_rng_uniform(r));
    if (tr->induction_tier > QISIM_TIER_NONE) {
        s->knowhow[i] += (float)(p[QP_TRAINING_GAIN_AWARENESS] * (1.0 - (double)s->knowhow[i]));
        s->since_training[i] = 0;
        team->course_load += p[QP_TIME_COURSE_DAYS_AWARENESS] / 5.0; /* induction days are working days too */
    } else {
        s->since_training[i] = UINT16_MAX;
    }
    s->threshold[i] = (float)qisim_rng_beta(r, tmean * tshape, (1.0 - tmean) * tshape);
    s->motivation[i] = (float)qisim_rng_beta(r, p[QP_BUILD_MOTIVATION_A], p[QP_BUILD_MOTIVATION_B]);
    s->strain[i] = (float)p[QP_WORKFORCE_STRAIN_BASE];
    s->tenure[i] = 0;
    s->support_weeks[i] = 0;
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
                    hire(w, i, tr, team); /* rotation: the next trainee arrives, the skills leave */
                    continue;
                }
                if (qisim_rng_chance(r, leave_week * (1.0 + strain_leave * (double)s->strain[i]))) {
                    leavers++;
                    uint8_t role = s->role[i];
                    if (role == QISIM_ROLE_TEAM_LEADER || role == QISIM_ROLE_EXECUTIVE)
                        hire(w, i, tr, team); /* leadership posts are covered at once */
                    else {
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
}
