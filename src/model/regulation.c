/* Mechanism 9: regulation cuts both ways. */

/* Rating regulators inspect on a cadence set by the rating and rate a noisy view of care and
 * leadership on four levels; inadequate trusts enter special measures, which brings support and a
 * push for new leadership but also a load that drives defensive compliance. Every regulator's
 * demands add to the load; a partner stance builds relational trust over about a year, which
 * lightens it and opens peer learning. */
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

static void inspect(qisim_world *w, int32_t k)
{
    const double *p = w->params.v;
    qisim_trust *tr = &w->trusts[k];
    double seen = quality_score(p, tr) + p[QP_REGULATION_NOISE] * qisim_rng_normal(&w->rng[QISIM_STREAM_REGULATION]);
    int rating = seen < p[QP_REGULATION_THRESHOLD_RI] ? QISIM_RATING_INADEQUATE
                 : seen < p[QP_REGULATION_THRESHOLD_GOOD] ? QISIM_RATING_REQUIRES_IMPROVEMENT
                 : seen < p[QP_REGULATION_THRESHOLD_OUTSTANDING] ? QISIM_RATING_GOOD
                                                                  : QISIM_RATING_OUTSTANDING;
    tr->rating = rating;
    tr->weeks_since_inspection = 0;
    qisim_world_log(w, QISIM_LEVEL_TRUST, k, "inspection", "rating=%s score=%.3f", qisim_rating_name(rating), seen);
    if (rating == QISIM_RATING_INADEQUATE && !tr->special_measures && p[QP_REGULATION_SPECIAL_MEASURES] != 0.0) {
        tr->special_measures = true;
        tr->special_measures_weeks = 0;
        qisim_world_log(w, QISIM_LEVEL_TRUST, k, "special_measures", "%s", "entered");
    } else if (rating > QISIM_RATING_INADEQUATE && tr->special_measures) {
        tr->special_measures = false;
        qisim_world_log(w, QISIM_LEVEL_TRUST, k, "special_measures", "exited after %d weeks", tr->special_measures_weeks);
    }
}

void qisim_regulation_step(qisim_world *w)
{
    const double *p = w->params.v;
    bool rating_regulator = false;
    double stance = 0.0;
    for (int32_t g = 0; g < w->n_regulators; g++) {
        rating_regulator |= w->regulators[g].rates;
        stance = w->regulators[g].stance > stance ? w->regulators[g].stance : stance;
    }
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        tr->relational_trust += ((stance - tr->relational_trust) / p[QP_REGULATION_TRUST_WEEKS]);
        double load = 0.0;
        for (int32_t g = 0; g < w->n_regulators; g++) {
            const qisim_regulator *reg = &w->regulators[g];
            load += reg->demands * (1.0 - p[QP_REGULATION_PARTNER_RELIEF] * reg->stance * tr->relational_trust);
        }
        if (tr->special_measures) {
            load += p[QP_REGULATION_SM_LOAD];
            tr->special_measures_weeks++;
        }
        if (qisim_in_crisis(w, tr))
            load *= 1.0 - p[QP_REGULATION_CRISIS_RELIEF];
        tr->regulatory_load = qisim_clamp01(load);
        if (!rating_regulator)
            continue;
        tr->weeks_since_inspection++;
        if (tr->weeks_since_inspection >= cadence(p, tr->rating))
            inspect(w, k);
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
    tr->special_measures = on;
    tr->special_measures_weeks = 0;
    if (on) {
        tr->rating = QISIM_RATING_INADEQUATE;
        tr->weeks_since_inspection = 0; /* the decision follows an inspection */
    }
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "special_measures", "%s", on ? "entered" : "exited");
    return QISIM_OK;
}

int qisim_regulation_inspect(qisim_world *w, int32_t trust, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    inspect(w, trust);
    return QISIM_OK;
}
