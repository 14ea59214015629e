/* Mechanism 7: leadership gates the journey. */

/* Board commitment follows strategy, a CEO's QI experience, visible results, a trained executive
 * team and the culture, and falls with financial pressure; CEOs turn over every ~2.5 years and a
 * change sets commitment back unless QI is embedded. Style drifts towards enabling under QI,
 * towards control under special measures. */
#include <math.h>

#include "qisim/model.h"

/* How embedded QI is, 0..1: the culture's progress from the usual level (culture.base) to the
 * embedded level (culture.embedded). */
static double embeddedness(const qisim_world *w, const qisim_trust *tr)
{
    double base = w->params.v[QP_CULTURE_BASE], level = w->params.v[QP_CULTURE_EMBEDDED];
    return level > base ? qisim_clamp01((tr->culture - base) / (level - base)) : 1.0;
}

static void change_ceo(qisim_world *w, int32_t k, bool qi_experience)
{
    qisim_trust *tr = &w->trusts[k];
    /* Embedded QI survives a change of chief executive (C:L577). */
    double shielded = w->params.v[QP_LEADERSHIP_EMBEDDED_PROTECTION] * embeddedness(w, tr);
    double loss = w->params.v[QP_LEADERSHIP_CEO_SETBACK] * (1.0 - shielded);
    tr->board_commitment = (tr->board_commitment * (1.0 - loss));
    tr->ceo_tenure = 0;
    tr->ceo_qi_experience = qi_experience;
    /* A programme not yet embedded depends on its sponsor: a successor without QI
     * experience may drop it, with its protected time (C:L202; R:L2808-2813). */
    if (!qi_experience && tr->strategy == QISIM_STRATEGY_QI &&
        qisim_rng_chance(&w->rng[QISIM_STREAM_LEADERSHIP], w->params.v[QP_LEADERSHIP_CEO_ABANDON] * (1.0 - shielded))) {
        tr->strategy = QISIM_STRATEGY_NONE;
        tr->protected_time = 0.0;
        qisim_world_log(w, QISIM_LEVEL_TRUST, k, "programme_dropped", "%s", "new CEO");
    }
    if (qi_experience && tr->style < w->params.v[QP_LEADERSHIP_QI_CEO_STYLE])
        tr->style = w->params.v[QP_LEADERSHIP_QI_CEO_STYLE]; /* brings an enabling style (C:L214) */
    if (qi_experience && tr->board_commitment < w->params.v[QP_LEADERSHIP_QI_CEO_COMMITMENT])
        tr->board_commitment = w->params.v[QP_LEADERSHIP_QI_CEO_COMMITMENT]; /* and the confidence to drive QI (C:L214) */
    qisim_world_log(w, QISIM_LEVEL_TRUST, k, "ceo_change", "qi_experience=%d commitment_after=%.3f",
                    qi_experience, (double)tr->board_commitment);
}

/* Share of the executive team (the trust's first team) trained to leader level or above. */
static double board_trained(const qisim_world *w, const qisim_trust *tr)
{
    const qisim_team *exec = &w->teams[tr->first_team];
    int32_t n = 0, trained = 0;
    for (int32_t i = exec->first_staff; i < exec->first_staff + exec->n_staff; i++) {
        if (w->staff.role[i] != QISIM_ROLE_EXECUTIVE || (w->staff.flags[i] & QISIM_STAFF_VACANT))
            continue;
        n++;
        trained += w->staff.tier[i] >= QISIM_TIER_LEADER;
    }
    return n ? (double)trained / n : 0.0;
}

/* The results the board sees (C:L228 "sharing the impact", C:L592 metrics followed for a year, C:L230
 * the return is cumulative): the gain of every adopted change still in place, whether sustaining
 * or standard work, counted in typical changes (a gain of projects.effect_mean, or of
 * flow_effect_mean for flow), per team. Unlike the news of a win (tr->wins), which fades in
 * projects.wins_weeks, a result stays in view as long as its gain lasts; a harmful change counts
 * against QI. */
static double board_results(const qisim_world *w, const qisim_trust *tr)
{
    const double *p = w->params.v;
    double reliability = 0.0, flow = 0.0;
    for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
        const qisim_team *team = &w->teams[t];
        reliability += team->gains;
        flow += team->flow_gains;
        qisim_projects_add_sustained(w, t, &reliability, &flow);
    }
    double typical = p[QP_PROJECTS_EFFECT_MEAN], typical_flow = p[QP_PROJECTS_FLOW_EFFECT_MEAN];
    double changes = (typical != 0.0 ? reliability / typical : 0.0) + (typical_flow != 0.0 ? flow / typical_flow : 0.0);
    return tr->n_teams ? changes / tr->n_teams : 0.0;
}

/* The board's quarterly review, when it decides for itself. It weighs the case for QI as it
 * sees it: its commitment (which already weighs finance), less operational pressure, with
 * some judgement (noise). Boards will not commit without results, and results need commitment (C:L228): a
 * board adopts QI as its method only once the case clears leadership.adopt, drops it when the
 * case falls below leadership.drop, and in between invests in proportion to the case:
 * protected time, coaches, a central team and practitioner courses (H:L221-223, L276). */
static void board_review(qisim_world *w, int32_t k)
{
    const double *p = w->params.v;
    qisim_trust *tr = &w->trusts[k];
    double judgement = p[QP_LEADERSHIP_CASE_NOISE] * qisim_rng_normal(&w->rng[QISIM_STREAM_LEADERSHIP]);
    double the_case = tr->board_commitment - p[QP_LEADERSHIP_CASE_PRESSURE] * tr->pressure + judgement;
    double adopt = p[QP_LEADERSHIP_ADOPT], drop = p[QP_LEADERSHIP_DROP];
    if (tr->strategy != QISIM_STRATEGY_QI && the_case >= adopt) {
        tr->strategy = QISIM_STRATEGY_QI;
        qisim_world_log(w, QISIM_LEVEL_TRUST, k, "board_decision", "adopt qi case=%.3f", the_case);
    } else if (tr->strategy == QISIM_STRATEGY_QI && the_case < drop) {
        tr->strategy = QISIM_STRATEGY_NONE;
        qisim_world_log(w, QISIM_LEVEL_TRUST, k, "board_decision", "drop qi case=%.3f", the_case);
    }
    tr->investment = tr->strategy == QISIM_STRATEGY_QI && adopt > drop ? qisim_clamp01((the_case - drop) / (1.0 - drop)) : 0.0;
    double thousands = tr->n_staff / 1000.0;
    tr->protected_time = tr->investment * p[QP_LEADERSHIP_INVEST_PROTECTED];
    tr->coaches = (int32_t)lround(tr->investment * p[QP_LEADERSHIP_INVEST_COACHES] * thousands);
    tr->central_team = (int32_t)lround(tr->investment * p[QP_LEADERSHIP_INVEST_CENTRAL] * thousands);
    tr->training_due = tr->investment * p[QP_LEADERSHIP_INVEST_TRAINING];
}

void qisim_leadership_step(qisim_world *w)
{
    const double *p = w->params.v;
    qisim_rng *r = &w->rng[QISIM_STREAM_LEADERSHIP];
    double leave = 1.0 / (p[QP_LEADERSHIP_CEO_TENURE] * 52.0);
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        tr->ceo_tenure++;
        double hazard = leave * (tr->special_measures ? p[QP_LEADERSHIP_CEO_TURNOVER_CRISIS] : 1.0);
        if (qisim_rng_chance(r, hazard))
            change_ceo(w, k, qisim_rng_chance(r, p[QP_LEADERSHIP_NEW_CEO_QI]));

        bool qi = tr->strategy == QISIM_STRATEGY_QI;
        double target = p[QP_LEADERSHIP_BASE] + (qi ? p[QP_LEADERSHIP_STRATEGY_QI] : 0.0) +
                        (tr->strategy == QISIM_STRATEGY_COMPLIANCE ? p[QP_LEADERSHIP_STRATEGY_COMPLIANCE] : 0.0) +
                        (tr->ceo_qi_experience ? p[QP_LEADERSHIP_QI_CEO] : 0.0) +
                        p[QP_LEADERSHIP_WINS] * tr->wins +
                        (p[QP_LEADERSHIP_RESULTS] > 0.0 ? p[QP_LEADERSHIP_RESULTS] * board_results(w, tr) : 0.0) +
                        p[QP_LEADERSHIP_TRAINED_BOARD] * board_trained(w, tr) +
                        p[QP_LEADERSHIP_CULTURE] * (tr->culture - p[QP_CULTURE_BASE]) +
                        p[QP_LEADERSHIP_DEVELOPED] * tr->leaders_developed +
                        p[QP_LEADERSHIP_PEERS] * tr->peer_support +
                        (tr->special_measures && tr->ceo_qi_experience ? p[QP_LEADERSHIP_SM_LEVER] : 0.0) -
                        p[QP_LEADERSHIP_FINANCE] * (tr->finance_pressure - p[QP_LEADERSHIP_FINANCE_REF]) *
                            (qi ? p[QP_LEADERSHIP_FINANCE_QI] : 1.0);
        tr->board_commitment += ((qisim_clamp01(target) - tr->board_commitment) / p[QP_LEADERSHIP_RESPONSE_WEEKS]);

        /* Style: enabling with QI as the method and developed leaders; "grip and control"
         * under special measures (B:L2956-2970). */
        /* A CEO with QI experience uses special measures as a lever rather than tightening grip (W:L267). */
        double style_target = tr->special_measures && !tr->ceo_qi_experience
                                  ? p[QP_LEADERSHIP_STYLE_CONTROL]
                                  : p[QP_LEADERSHIP_STYLE_DEFAULT] + (qi ? p[QP_LEADERSHIP_STYLE_QI] : 0.0) +
                                        p[QP_LEADERSHIP_STYLE_DEVELOPED] * tr->leaders_developed +
                                        p[QP_LEADERSHIP_STYLE_CULTURE] * (tr->culture - p[QP_CULTURE_BASE]);
        tr->style += ((qisim_clamp01(style_target) - tr->style) / p[QP_LEADERSHIP_STYLE_WEEKS]);

        /* Managers facing missed targets press staff to firefight and take back the time
         * protected for improvement (H:L440-442); a committed, enabling board gives air cover
         * (H:L221-223). */
        double cut = qisim_clamp01(p[QP_LEADERSHIP_TIME_CUT] * tr->pressure) * (1.0 - tr->board_commitment * tr->style);
        tr->time_cut += (cut - tr->time_cut) / p[QP_LEADERSHIP_TIME_CUT_WEEKS];
        tr->leaders_developed *= (1.0 - 1.0 / (p[QP_LEADERSHIP_DEVELOPED_YEARS] * 52.0));

        /* Reviews are staggered so that trusts do not all decide in the same week. */
        int32_t review = (int32_t)p[QP_LEADERSHIP_REVIEW_WEEKS];
        if (tr->board_decides && (w->week + k) % review == 0)
            board_review(w, k);
    }
}

void qisim_leadership_take_charge(qisim_world *w, int32_t exemplar, int32_t trust, int32_t moved)
{
    qisim_trust *ex = &w->trusts[exemplar], *tr = &w->trusts[trust];
    tr->ceo_tenure = 0;
    tr->ceo_qi_experience = true;
    tr->board_commitment = qisim_fmax(tr->board_commitment, ex->board_commitment);
    tr->style = qisim_fmax(tr->style, ex->style);
    tr->strategy = QISIM_STRATEGY_QI;
    ex->central_team -= moved;
    tr->central_team += moved;
}

int qisim_leadership_set_strategy(qisim_world *w, int32_t trust, int strategy, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    if (strategy < 0 || strategy >= QISIM_N_STRATEGIES)
        return qisim_err_set(err, QISIM_EINVAL, "unknown strategy %d", strategy);
    qisim_policy_imposed(w, trust);
    w->trusts[trust].strategy = strategy;
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "strategy", "strategy=%s", qisim_strategy_name(strategy));
    return QISIM_OK;
}

int qisim_leadership_new_ceo(qisim_world *w, int32_t trust, bool qi_experience, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    change_ceo(w, trust, qi_experience);
    return QISIM_OK;
}

int qisim_leadership_develop(qisim_world *w, int32_t trust, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    qisim_trust *tr = &w->trusts[trust];
    tr->leaders_developed = 1.0;
    qisim_outcomes_book(tr, w->params.v[QP_OUTCOMES_COST_LEADERSHIP_PROGRAMME]);
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "leadership_development", "%s", "");
    return QISIM_OK;
}

int qisim_leadership_set_central_team(qisim_world *w, int32_t trust, int32_t fte, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    if (fte < 0 || fte > QISIM_MAX_FTE)
        return qisim_err_set(err, QISIM_EINVAL, "central QI team of %d FTE is outside [0, %d]", fte, QISIM_MAX_FTE);
    qisim_policy_imposed(w, trust);
    w->trusts[trust].central_team = fte;
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "central_team", "fte=%d", fte);
    return QISIM_OK;
}
int qisim_leadership_board_decides(qisim_world *w, int32_t trust, bool on, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    if (!on) {
        qisim_policy_imposed(w, trust);
        return QISIM_OK;
    }
    w->trusts[trust].board_decides = true;
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "board_decides", "%s", "on");
    return QISIM_OK;
}
