/* Mechanism 12: shocks. */

/* A crisis raises demand for a while and suspends bureaucracy (regulation reads it); capability
 * built before absorbs more of it (time reads it). Restructuring and IT go-lives disrupt: a
 * setback that fades over a year or more. National programmes run for a while, mandated or peer-
 * led (spread reads their framing). */
#include "qisim/model.h"

void qisim_shocks_step(qisim_world *w)
{
    double fade = 1.0 / (w->params.v[QP_SHOCKS_SETBACK_YEARS] * 52.0);
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        if (!qisim_in_crisis(w, tr))
            tr->shock_demand = 1.0;
        tr->setback -= (fade * tr->setback);
    }
}

/* Checks a trust argument that may also be -1 (every trust). */
static int each_trust(qisim_world *w, int32_t trust, qisim_err *err)
{
    if (trust == -1)
        return QISIM_OK;
    return qisim_world_check_trust(w, trust, err);
}

int qisim_shocks_crisis(qisim_world *w, int32_t trust, int32_t weeks, double demand, qisim_err *err)
{
    int rc = each_trust(w, trust, err);
    if (rc)
        return rc;
    if (weeks < 1 || weeks > QISIM_MAX_WEEKS)
        return qisim_err_set(err, QISIM_EINVAL, "a crisis of %d weeks is outside [1, %d]", weeks, QISIM_MAX_WEEKS);
    if (!(demand >= 1.0 && demand <= 10.0))
        return qisim_err_set(err, QISIM_EINVAL, "crisis demand %g is outside [1, 10] times normal", demand);
    for (int32_t k = 0; k < w->n_trusts; k++) {
        if (trust != -1 && k != trust)
            continue;
        w->trusts[k].shock_until = w->week + weeks;
        w->trusts[k].shock_demand = demand;
    }
    qisim_world_log(w, trust == -1 ? QISIM_LEVEL_SYSTEM : QISIM_LEVEL_TRUST, trust == -1 ? 0 : trust, "crisis",
                    "weeks=%d demand=%g", weeks, demand);
    return QISIM_OK;
}

static int disrupt(qisim_world *w, int32_t trust, double size, bool abandon, const char *what, qisim_err *err)
{
    int rc = each_trust(w, trust, err);
    if (rc)
        return rc;
    qisim_rng *r = &w->rng[QISIM_STREAM_SHOCKS];
    for (int32_t k = 0; k < w->n_trusts; k++) {
        if (trust != -1 && k != trust)
            continue;
        qisim_trust *tr = &w->trusts[k];
        tr->setback = qisim_clamp01(tr->setback + size);
        if (!abandon)
            continue;
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++)
            for (int s = 0; s < QISIM_MAX_PROJECTS; s++) {
                qisim_project *pr = &qisim_team_projects(w, t)[s];
                if (pr->state == QISIM_PROJECT_ACTIVE && qisim_rng_chance(r, w->params.v[QP_SHOCKS_ABANDON]))
                    qisim_projects_abandon(w, &w->teams[t], pr);
            }
    }
    qisim_world_log(w, trust == -1 ? QISIM_LEVEL_SYSTEM : QISIM_LEVEL_TRUST, trust == -1 ? 0 : trust, what,
                    "setback=%g", size);
    return QISIM_OK;
}

int qisim_shocks_restructure(qisim_world *w, int32_t trust, qisim_err *err)
{
    return disrupt(w, trust, w->params.v[QP_SHOCKS_RESTRUCTURE], true, "restructure", err);
}

int qisim_shocks_it_go_live(qisim_world *w, int32_t trust, qisim_err *err)
{
    return disrupt(w, trust, w->params.v[QP_SHOCKS_IT_GO_LIVE], false, "it_go_live", err);
}

int qisim_shocks_national_programme(qisim_world *w, int32_t weeks, bool mandated, qisim_err *err)
{
    if (weeks < 1 || weeks > QISIM_MAX_WEEKS)
        return qisim_err_set(err, QISIM_EINVAL, "a national programme of %d weeks is outside [1, %d]", weeks,
                             QISIM_MAX_WEEKS);
    w->national_until = w->week + weeks;
    w->national_mandated = mandated;
    qisim_world_log(w, QISIM_LEVEL_SYSTEM, 0, "national_programme", "weeks=%d mandated=%d", weeks, mandated);
    return QISIM_OK;
}
