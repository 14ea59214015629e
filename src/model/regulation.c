/* Mechanism 9: regulation cuts both ways. */

/* Rating regulators inspect on a cadence set by the rating, re-inspecting at intervals that vary
 * around it (and sooner on a risk signal, for a risk-based regulator, within an optional budget
 * of inspections), and rate on four levels what they see: the trust's true quality, plus the
 * compliance picture its assurance effort has built, plus noise. Trusts respond strategically:
 * each week a trust sets its assurance effort (inspection readiness, documentation, targets) by
 * how much of its rating is at stake (how near its own performance puts it to a rating line),
 * the regulator's sanctions (its stance), how near the inspection is expected, its pressure and
 * its relational trust with the regulator; that effort
 * costs clinical time and crowds out QI time (time.c charges it). Inadequate trusts enter special
 * measures: an emotional blow, support paid by the supporting body, and a load that drives
 * defensive compliance unless the CEO has QI experience. Relational trust builds per trust towards
 * the regulators' stance over about a year, moves towards the stance at each contact (inspections,
 * support visits; a compact's monthly meetings count as a partner's) and falls with sanctions. */
#include <math.h>

#include "qisim/model.h"

static int32_t cadence(const double *p, int rating)
{
    switch (rating) {
    case QISIM_RATING_INADEQUATE: return (int32_t)p[QP_REGULATION_CADENCE_INADEQUATE];
    case QISIM_RATING_GOOD: return (int32_t)p[QP_REGULATION_CADENCE_GOOD];
    case QISIM_RATING_OUTSTANDING: return (int32_t)p[QP_REGULATION_CADENCE_OUTSTANDING];
    default: return (int32_t)p[QP_REGULATION_CADENCE_REQUIRES_IMPROVEMENT];
    }
}

/* The quality the rating tries to see, 0..1: care reliability, whether the trust is well led
 * (the board's commitment, how it leads and the culture it has built: a new CEO alone does
 * not make a trust well led), and staff wellbeing. */
static double quality_score(const double *p, const qisim_trust *tr)
{
    double reliability = qisim_clamp01((tr->stats.reliability - p[QP_REGULATION_RELIABILITY_FLOOR]) /
                                       p[QP_REGULATION_RELIABILITY_SPAN]);
    double leadership = (tr->board_commitment + tr->style + tr->culture) / 3.0;
    double wr = p[QP_REGULATION_WEIGHT_RELIABILITY], wl = p[QP_REGULATION_WEIGHT_LEADERSHIP];
    double rest = 1.0 - wr - wl;
    return wr * reliability + wl * leadership + (rest > 0.0 ? rest : 0.0) * (1.0 - tr->stats.strain);
}

static int band(const double *p, double score)
{
    return score < p[QP_REGULATION_THRESHOLD_RI] ? QISIM_RATING_INADEQUATE
           : score < p[QP_REGULATION_THRESHOLD_GOOD] ? QISIM_RATING_REQUIRES_IMPROVEMENT
           : score < p[QP_REGULATION_THRESHOLD_OUTSTANDING] ? QISIM_RATING_GOOD
                                                            : QISIM_RATING_OUTSTANDING;
}

/* The regulator that inspects and rates: the first that rates, or -1. */
static int32_t rating_regulator(const qisim_world *w)
{
    for (int32_t g = 0; g < w->n_regulators; g++)
        if (w->regulators[g].rates)
            return g;
    return -1;
}

/* A contact between a regulator of stance `stance` and a trust moves their relational trust
 * towards that stance (B:L470-476: a partner's face-to-face time builds a different relationship;
 * an inspector's visit usually means trouble). */
static void contact(qisim_world *w, qisim_trust *tr, double stance)
{
    tr->relational_trust = qisim_clamp01(tr->relational_trust +
                                         w->params.v[QP_REGULATION_CONTACT_TRUST] * (stance - tr->relational_trust));
}

/* Entering special measures: the news is a blow to every team (W:L215), felt less where the
 * CEO has QI experience and reads it as a need to learn (W:L219, L267); a sanction from an
 * inspector-stance regulator costs relational trust (B:L472). */
static void enter_special_measures(qisim_world *w, int32_t k, double stance)
{
    const double *p = w->params.v;
    qisim_trust *tr = &w->trusts[k];
    tr->special_measures = true;
    tr->special_measures_weeks = 0;
    double blow = p[QP_REGULATION_SM_BLOW] * (tr->ceo_qi_experience ? p[QP_REGULATION_SM_BLOW_LEVER] : 1.0);
    for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++)
        qisim_culture_shake_safety(&w->teams[t], blow);
    tr->relational_trust *= 1.0 - p[QP_REGULATION_SANCTION_TRUST] * (1.0 - stance);
    qisim_world_log(w, QISIM_LEVEL_TRUST, k, "special_measures", "entered lever=%d", tr->ceo_qi_experience);
}

/* The next inspection's interval: the new rating's cadence, spread (W:L132-140). */
static int32_t next_interval(qisim_world *w, int rating)
{
    const double *p = w->params.v;
    double u = 2.0 * qisim_rng_uniform(&w->rng[QISIM_STREAM_REGULATION]) - 1.0;
    long weeks = lround(cadence(p, rating) * (1.0 + p[QP_REGULATION_INTERVAL_SPREAD] * u));
    return weeks < 1 ? 1 : (int32_t)weeks;
}

static void inspect(qisim_world *w, int32_t k, const char *why)
{
    const double *p = w->params.v;
    qisim_trust *tr = &w->trusts[k];
    int32_t g = rating_regulator(w);
    double stance = g >= 0 ? w->regulators[g].stance : 0.0;
    double truth = quality_score(p, tr);
    /* The inspector sees the compliance picture on top of the truth (H:L442; B:L850). */
    double seen = truth + p[QP_REGULATION_GAMING] * tr->compliance +
                  p[QP_REGULATION_NOISE] * qisim_rng_normal(&w->rng[QISIM_STREAM_REGULATION]);
    int rating = band(p, seen);
    contact(w, tr, stance); /* the inspection itself, before any sanction */
    tr->rating = rating;
    tr->rating_gap = rating - band(p, truth);
    tr->weeks_since_inspection = 0;
    tr->inspection_due = next_interval(w, rating);
    tr->inspections++;
    qisim_world_log(w, QISIM_LEVEL_TRUST, k, "inspection", "rating=%s score=%.3f true=%.3f compliance=%.3f %s",
                    qisim_rating_name(rating), seen, truth, tr->compliance, why);
    if (rating == QISIM_RATING_INADEQUATE && !tr->special_measures && p[QP_REGULATION_SPECIAL_MEASURES] != 0.0) {
        enter_special_measures(w, k, stance);
    } else if (rating > QISIM_RATING_INADEQUATE && tr->special_measures) {
        tr->special_measures = false;
        qisim_world_log(w, QISIM_LEVEL_TRUST, k, "special_measures", "exited after %d weeks", tr->special_measures_weeks);
    }
}

/* How much of its rating a trust sees at stake at quality score q: each rating line weighted by
 * its consequence and by q's nearness to it in units of the reading's noise (1 on the line). */
static double rating_at_stake(const double *p, double q)
{
    const double line[3] = {p[QP_REGULATION_THRESHOLD_RI], p[QP_REGULATION_THRESHOLD_GOOD],
                            p[QP_REGULATION_THRESHOLD_OUTSTANDING]};
    const double weight[3] = {1.0, p[QP_REGULATION_STAKE_GOOD], p[QP_REGULATION_STAKE_GOOD]};
    double noise = p[QP_REGULATION_NOISE], stake = 0.0;
    for (int i = 0; i < 3; i++) {
        double d = q - line[i];
        double z = noise > 0.0 ? d / noise : (d == 0.0 ? 0.0 : HUGE_VAL);
        stake += weight[i] * exp(-0.5 * z * z);
    }
    return stake;
}

/* The assurance effort a trust aims for this week, as a share of the working week. */
static double assurance_target(const qisim_world *w, const qisim_trust *tr, const qisim_regulator *rater)
{
    const double *p = w->params.v;
    double share = 0.0;
    if (rater) {
        /* Stakes: effort pays where it can change the rating (R:L4360-4362: worth the investment
         * where the potential change is major), so the trust weighs each rating line by how near
         * its own performance data put it (B:L1463; the inspector's noise is its uncertainty about
         * the reading). The inadequate line (special measures) has more at stake than the good
         * and outstanding lines; in special measures the existential threat drives defensive
         * compliance whatever the distance (H:L440-442), unless a QI-experienced CEO turns the
         * shock into a lever (W:L267). */
        double stake = rating_at_stake(p, quality_score(p, tr));
        if (tr->special_measures && !tr->ceo_qi_experience)
            stake = qisim_fmax(stake, p[QP_REGULATION_STAKE_SPECIAL_MEASURES]);
        /* Sanctions: hierarchical accountability drives compliance (B:L429-431). */
        double sanction = p[QP_REGULATION_ASSURANCE_PARTNER] + (1.0 - p[QP_REGULATION_ASSURANCE_PARTNER]) * (1.0 - rater->stance);
        /* Urgency: the trust knows the cadence, not the date; readiness work peaks as the
         * expected inspection nears and slackens once it has passed. */
        double to_go = cadence(p, tr->rating) - tr->weeks_since_inspection;
        double floor = p[QP_REGULATION_ASSURANCE_FLOOR];
        double urgency = floor + (1.0 - floor) * exp(-qisim_fmax(0.0, to_go) / p[QP_REGULATION_ANTICIPATION_WEEKS]);
        double defensive = 1.0 + p[QP_REGULATION_ASSURANCE_PRESSURE] * tr->pressure;
        double candour = 1.0 - p[QP_REGULATION_CANDOUR] * tr->relational_trust;
        share = stake * sanction * urgency * defensive * candour;
    }
    /* A mandated national programme targets measures and compliance (B:L730-732, L856). */
    if (qisim_national_programme_running(w) && w->national_mandated)
        share += p[QP_REGULATION_MANDATE_ASSURANCE];
    double target = p[QP_REGULATION_ASSURANCE_MAX] * qisim_clamp01(share);
    /* In a crisis bureaucracy falls (B:L2095): the trust's own, its assurance work (H:L442), not
     * the regulators' demands on it (docs/ODD.md 7.12: cutting both counted it twice). */
    return qisim_in_crisis(w, tr) ? target * (1.0 - p[QP_REGULATION_CRISIS_RELIEF]) : target;
}

/* Weeks from a trust's last inspection to its next due one. */
static int32_t due_weeks(const double *p, const qisim_trust *tr)
{
    return tr->inspection_due > 0 ? tr->inspection_due : cadence(p, tr->rating);
}

/* Whether the rating regulator would inspect the trust now: it is due, or (for a risk-based
 * regulator) long enough after its last inspection with a harm rate above the risk line. */
static bool wants_inspection(const double *p, const qisim_regulator *rater, const qisim_trust *tr)
{
    bool risk = rater->risk_based && tr->weeks_since_inspection >= (int32_t)p[QP_REGULATION_RISK_MIN_WEEKS] &&
                tr->stats.harm_rate > p[QP_REGULATION_RISK_HARM];
    return tr->weeks_since_inspection >= due_weeks(p, tr) || risk;
}

void qisim_regulation_step(qisim_world *w)
{
    const double *p = w->params.v;
    double stance = 0.0;
    for (int32_t g = 0; g < w->n_regulators; g++)
        stance = w->regulators[g].stance > stance ? w->regulators[g].stance : stance;
    int32_t rg = rating_regulator(w);
    qisim_regulator *rater = rg >= 0 ? &w->regulators[rg] : NULL;
    if (rater && w->week - rater->budget_year >= 52) {
        rater->budget_year = w->week;
        rater->budget_used = 0;
    }
    double max_assurance = p[QP_REGULATION_ASSURANCE_MAX];
    bool by_risk = rater && rater->risk_based && rater->budget > 0;
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        /* Relational trust is earned over time with each trust (B:L423, L466, L508): it follows
         * the regulators' stance, and contact builds it (inspections, support visits, below); a
         * compact's monthly meeting is a contact in a protected relational space (B:L460, L470),
         * paid for by the regulator. */
        tr->relational_trust += ((stance - tr->relational_trust) / p[QP_REGULATION_TRUST_WEEKS]);
        if (tr->compact && w->week % (int32_t)p[QP_REGULATION_MEETING_WEEKS] == 0) {
            contact(w, tr, 1.0);
            tr->support_spend_total += p[QP_REGULATION_CONTACT_COST];
        }
        /* The load is what the regulators impose (B:L1461: several regulators overload a trust),
         * whatever their stance and in a crisis too: a partner or a crisis lightens the trust's
         * burden only through its own assurance effort below (B:L429-433, L500, L2095), and a
         * partner asks no less of it (B:L466-484). Special measures add scrutiny and a second
         * body's requests (H:L252, W:L99, W:L281). */
        double load = 0.0;
        for (int32_t g = 0; g < w->n_regulators; g++)
            load += w->regulators[g].demands;
        if (tr->special_measures) {
            load += p[QP_REGULATION_SM_LOAD];
            tr->special_measures_weeks++;
            /* the supporting body pays for the support it sends (coach equivalents) */
            tr->support_spend_total += p[QP_REGULATION_SM_COACHES] * p[QP_OUTCOMES_COST_COACH];
        }
        tr->regulatory_load = qisim_clamp01(load);

        tr->assurance += (assurance_target(w, tr, rater) - tr->assurance) / p[QP_REGULATION_ASSURANCE_WEEKS];
        double effort = max_assurance > 0.0 ? tr->assurance / max_assurance : 0.0;
        tr->compliance = qisim_clamp01(tr->compliance + (effort - tr->compliance) / p[QP_REGULATION_COMPLIANCE_WEEKS]);
        tr->assurance_spend_total += tr->assurance * tr->stats.n_staff * p[QP_OUTCOMES_COST_STAFF_WEEK];
        if (!rater)
            continue;
        tr->weeks_since_inspection++;
        if (by_risk || !wants_inspection(p, rater, tr))
            continue;
        if (rater->budget > 0 && rater->budget_used >= rater->budget)
            continue; /* over budget: the inspection waits (trusts in id order) */
        rater->budget_used++;
        inspect(w, k, due_weeks(p, tr) > tr->weeks_since_inspection ? "risk" : "due");
    }
    /* A risk-based regulator spends a limited budget on the highest risk signal first (the
     * harm rate; equal signals in id order). An inspected trust is no longer waiting, so each
     * pass takes the next; the rest wait for next week or the next budget year. */
    while (by_risk && rater->budget_used < rater->budget) {
        int32_t pick = -1;
        for (int32_t k = 0; k < w->n_trusts; k++)
            if (wants_inspection(p, rater, &w->trusts[k]) &&
                (pick < 0 || w->trusts[k].stats.harm_rate > w->trusts[pick].stats.harm_rate))
                pick = k;
        if (pick < 0)
            break;
        rater->budget_used++;
        inspect(w, pick, due_weeks(p, &w->trusts[pick]) > w->trusts[pick].weeks_since_inspection ? "risk" : "due");
    }
}

int qisim_regulation_set_stance(qisim_world *w, int32_t regulator, double stance, qisim_err *err)
{
    if (regulator < 0 || regulator >= w->n_regulators)
        return qisim_err_set(err, QISIM_EINVAL, "no regulator with id %d", regulator);
    if (!(stance >= 0.0 && stance <= 1.0))
        return qisim_err_set(err, QISIM_EINVAL, "regulator stance %g is outside [0, 1]", stance);
    w->regulators[regulator].stance = stance;
    qisim_world_log(w, QISIM_LEVEL_SYSTEM, 0, "regulator_stance", "%s stance=%g", w->regulators[regulator].name, stance);
    return QISIM_OK;
}

int qisim_regulation_special_measures(qisim_world *w, int32_t trust, bool on, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    qisim_trust *tr = &w->trusts[trust];
    if (on) {
        int32_t g = rating_regulator(w);
        tr->rating = QISIM_RATING_INADEQUATE;
        tr->weeks_since_inspection = 0; /* the decision follows an inspection */
        tr->inspection_due = next_interval(w, QISIM_RATING_INADEQUATE); /* as after an inspection */
        enter_special_measures(w, trust, g >= 0 ? w->regulators[g].stance : 0.0);
        return QISIM_OK;
    }
    tr->special_measures = false;
    tr->special_measures_weeks = 0;
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "special_measures", "%s", "exited");
    return QISIM_OK;
}

int qisim_regulation_inspect(qisim_world *w, int32_t trust, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    inspect(w, trust, "scenario");
    return QISIM_OK;
}

int qisim_regulation_set_policy(qisim_world *w, int32_t regulator, bool risk_based, int32_t budget, qisim_err *err)
{
    if (regulator < 0 || regulator >= w->n_regulators)
        return qisim_err_set(err, QISIM_EINVAL, "no regulator with id %d", regulator);
    if (budget < 0 || budget > 100000)
        return qisim_err_set(err, QISIM_EINVAL, "an inspection budget of %d a year is outside [0, 100000]", budget);
    qisim_regulator *g = &w->regulators[regulator];
    g->risk_based = risk_based;
    g->budget = budget;
    qisim_world_log(w, QISIM_LEVEL_SYSTEM, 0, "inspection_policy", "%s risk_based=%d budget=%d", g->name, risk_based, budget);
    return QISIM_OK;
}

int qisim_regulation_compact(qisim_world *w, int32_t regulator, int32_t trust, bool on, qisim_err *err)
{
    if (regulator < 0 || regulator >= w->n_regulators)
        return qisim_err_set(err, QISIM_EINVAL, "no regulator with id %d", regulator);
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    w->trusts[trust].compact = on;
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "compact", "%s %s", w->regulators[regulator].name, on ? "on" : "off");
    return QISIM_OK;
}

int qisim_regulation_support_visit(qisim_world *w, int32_t regulator, int32_t trust, qisim_err *err)
{
    if (regulator < 0 || regulator >= w->n_regulators)
        return qisim_err_set(err, QISIM_EINVAL, "no regulator with id %d", regulator);
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    qisim_trust *tr = &w->trusts[trust];
    contact(w, tr, w->regulators[regulator].stance);
    tr->support_spend_total += w->params.v[QP_REGULATION_CONTACT_COST];
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "support_visit", "%s stance=%g trust=%.3f", w->regulators[regulator].name,
                    w->regulators[regulator].stance, tr->relational_trust);
    return QISIM_OK;
}
