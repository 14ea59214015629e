/* Mechanism 8: data and feedback. */

/* Data maturity grows towards what investment paid for; audit and feedback closes part of each
 * team's gap to a target, most for low performers and with its amplifiers (repeated, from a
 * colleague, targets, action plans), but teams differ and persistent negative feedback makes
 * defensive teams less safe. Data used to judge rather than to learn breeds fear (culture reads
 * data_for_improvement). */
#include <math.h>

#include "qisim/model.h"

void qisim_data_step(qisim_world *w)
{
    const double *p = w->params.v;
    qisim_rng *r = &w->rng[QISIM_STREAM_DATA];
    double fade = 1.0 / p[QP_DATA_FEEDBACK_FADE_WEEKS], no_data = p[QP_DATA_FEEDBACK_NO_DATA];
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        tr->data_maturity += ((tr->data_target - tr->data_maturity) / p[QP_DATA_BUILD_WEEKS]);
        /* Learning use rises with QI as the method and a partner regulator, falls under
         * special measures and with an inspector's judgement (C:L479; R:L4117-4123). */
        double use = p[QP_DATA_USE_BASE] + (tr->strategy == QISIM_STRATEGY_QI ? p[QP_DATA_USE_QI] : 0.0) +
                     p[QP_DATA_USE_TRUST] * tr->relational_trust - (tr->special_measures ? p[QP_DATA_USE_SPECIAL_MEASURES] : 0.0);
        tr->data_for_improvement += ((qisim_clamp01(use) - tr->data_for_improvement) / p[QP_DATA_USE_WEEKS]);

        bool feeding_back = tr->feedback_weeks > 0;
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            qisim_team *team = &w->teams[t];
            if (feeding_back) {
                if (team->feedback <= 0.0) { /* first week: how will this team respond? */
                    /* Skewed: most teams respond a little, a few a lot, some defensively
                     * (negative): a shifted log-normal, median 1 - shift. */
                    double z = qisim_rng_normal(r);
                    team->responsiveness = exp(p[QP_DATA_RESPONSIVENESS_SIGMA] * z) - p[QP_DATA_RESPONSIVENESS_SHIFT];
                }
                team->feedback = tr->feedback_strength;
                double gap = p[QP_DATA_FEEDBACK_TARGET] - team->reliability;
                double data = no_data + (1.0 - no_data) * tr->data_maturity;
                double change = p[QP_DATA_FEEDBACK_RATE] * team->feedback * data * team->responsiveness *
                                (gap > 0.0 ? gap : 0.0);
                team->feedback_gain += change;
                if (team->responsiveness < 0.0 && gap > 0.0) /* defensive: blame, not learning */
                    qisim_culture_shake_safety(team, p[QP_DATA_DEFENSIVE_STRAIN] * team->feedback);
            } else {
                team->feedback = 0.0;
                /* Gains fade unless the team practises QI and keeps them as its own work. */
                if (team->counts.n_practising == 0)
                    team->feedback_gain -= (fade * team->feedback_gain);
            }
        }
        if (feeding_back)
            tr->feedback_weeks--;
    }
}

void qisim_data_take_use(qisim_trust *tr, double use)
{
    tr->data_for_improvement = qisim_fmax(tr->data_for_improvement, use);
}

int qisim_data_invest(qisim_world *w, int32_t trust, double amount, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    if (!(amount > 0.0 && amount <= 1.0))
        return qisim_err_set(err, QISIM_EINVAL, "data investment %g is outside (0, 1] of maturity", amount);
    qisim_trust *tr = &w->trusts[trust];
    double before = tr->data_target;
    tr->data_target = qisim_clamp01(before + amount);
    qisim_outcomes_book(tr, (tr->data_target - before) * w->params.v[QP_DATA_COST_PER_UNIT] * tr->n_staff / 1000.0);
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "data_investment", "target=%.3f", (double)tr->data_target);
    return QISIM_OK;
}

int qisim_data_audit_feedback(qisim_world *w, int32_t trust, int32_t weeks, bool repeated, bool colleague,
                              bool targets, bool action_plans, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    if (weeks < 1 || weeks > QISIM_MAX_WEEKS)
        return qisim_err_set(err, QISIM_EINVAL, "audit and feedback for %d weeks is outside [1, %d]", weeks,
                             QISIM_MAX_WEEKS);
    /* Each amplifier of B:L1818-1888 adds to the strength of the same feedback. */
    qisim_trust *tr = &w->trusts[trust];
    tr->feedback_weeks = weeks;
    double base = w->params.v[QP_DATA_FEEDBACK_BASE], amplifier = w->params.v[QP_DATA_FEEDBACK_AMPLIFIER];
    tr->feedback_strength = (base + amplifier * repeated + amplifier * colleague + amplifier * targets +
                             amplifier * action_plans);
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "audit_feedback", "weeks=%d strength=%.1f", weeks,
                    (double)tr->feedback_strength);
    return QISIM_OK;
}
