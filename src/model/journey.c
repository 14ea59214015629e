/* The Health Foundation's improvement journey (H:L50-57) as a state per trust. */

/* A trust is at one of six steps (0: no organisation-wide approach): assessing readiness,
 * securing board support, buy-in and a vision, skills and infrastructure, aligning and
 * coordinating, sustaining. It moves up one step when the next step's entry condition holds
 * and it has spent at least journey.dwell_weeks on its current step (the journey "can take
 * several years", H:L211, L228); it falls back one step when its own step's condition, or an
 * earlier one's, has failed for journey.regress_weeks in a row. Having adopted an organisation-wide approach
 * (reaching buy-in and a vision) is a lasting state of its own, lost only if the journey falls
 * back to the start: many trusts adopt an approach, few reach a mature one (H:L436). */
#include "qisim/model.h"

/* Whether the entry condition of step `stage` (1..6) holds for trust tr this week. */
static bool step_holds(const double *p, const qisim_trust *tr, int stage)
{
    const qisim_trust_stats *st = &tr->stats;
    double n = st->n_staff ? st->n_staff : 1;
    double practising = st->n_practising / n;
    double formal = (st->n_tier[QISIM_TIER_PRACTITIONER] + st->n_tier[QISIM_TIER_LEADER] + st->n_tier[QISIM_TIER_EXPERT]) / n;
    bool qi = tr->strategy == QISIM_STRATEGY_QI;
    switch (stage) {
    case 1: return qi || tr->board_commitment >= p[QP_JOURNEY_READINESS];
    case 2: return tr->board_commitment >= p[QP_JOURNEY_BOARD] && (!tr->special_measures || tr->ceo_qi_experience);
    case 3: return qi && practising >= p[QP_JOURNEY_BUYIN_PRACTISING];
    case 4: return tr->coaches + tr->central_team > 0 && formal >= p[QP_JOURNEY_SKILLS_FORMAL] &&
                   tr->data_maturity >= p[QP_JOURNEY_SKILLS_DATA];
    case 5: return formal >= p[QP_JOURNEY_ALIGNED_FORMAL];
    default: return tr->culture >= p[QP_JOURNEY_SUSTAIN_CULTURE] && practising >= p[QP_JOURNEY_SUSTAIN_PRACTISING];
    }
}

/* Whether trust tr still meets the condition of every step up to `stage`: a trust that drops
 * QI as its method has lost buy-in, however much training it still holds. */
static bool steps_hold(const double *p, const qisim_trust *tr, int stage)
{
    for (int s = 1; s <= stage; s++)
        if (!step_holds(p, tr, s))
            return false;
    return true;
}

void qisim_journey_step(qisim_world *w)
{
    const double *p = w->params.v;
    int32_t dwell = (int32_t)p[QP_JOURNEY_DWELL_WEEKS], regress = (int32_t)p[QP_JOURNEY_REGRESS_WEEKS];
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        int32_t stage = tr->journey_stage;
        tr->journey_weeks++;
        if (stage > 0 && !steps_hold(p, tr, stage)) {
            if (++tr->journey_failing >= regress) {
                tr->journey_stage = stage - 1;
                tr->journey_weeks = tr->journey_failing = 0;
                if (tr->journey_stage == 0 && tr->approach_adopted) {
                    tr->approach_adopted = false;
                    qisim_world_log(w, QISIM_LEVEL_TRUST, k, "journey", "approach abandoned");
                }
                qisim_world_log(w, QISIM_LEVEL_TRUST, k, "journey", "back to step %d", (int)tr->journey_stage);
            }
            continue;
        }
        tr->journey_failing = 0;
        if (stage < 6 && (stage == 0 || tr->journey_weeks >= dwell) && step_holds(p, tr, stage + 1)) {
            tr->journey_stage = stage + 1;
            tr->journey_weeks = 0;
            qisim_world_log(w, QISIM_LEVEL_TRUST, k, "journey", "step %d", (int)tr->journey_stage);
            if (tr->journey_stage >= 3 && !tr->approach_adopted) {
                tr->approach_adopted = true;
                qisim_world_log(w, QISIM_LEVEL_TRUST, k, "journey", "approach adopted");
            }
        }
    }
}
