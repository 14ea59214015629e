/* Mechanism 10: learning between organisations. */

/* Peer networks let trusts see each other's practice (more so where the regulator's relational
 * stance has built trust); exemplar partners lend coaches out of their own (which they lose for
 * the partnership's duration) and show what good looks like; a takeover puts the exemplar's
 * leadership, central QI team and method in charge, at the cost of a merger's disruption;
 * collaboratives give a cohort of teams learning sessions and shared changes for a fixed period
 * (projects read the cohort). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "qisim/model.h"

static double practising_share(const qisim_trust *t)
{
    return t->stats.n_staff ? (double)t->stats.n_practising / t->stats.n_staff : 0.0;
}

/* Partnerships that have run their course end; each lender's coaches are shared among the
 * trusts it supports, up to interorg.partner_coaches each, and it loses what it lends. */
static void lend_coaches(qisim_world *w)
{
    int32_t per_partner = (int32_t)w->params.v[QP_INTERORG_PARTNER_COACHES];
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        if (tr->partner >= 0 && tr->partner_until > 0 && w->week >= tr->partner_until) {
            qisim_world_log(w, QISIM_LEVEL_TRUST, k, "exemplar_partner", "ended exemplar=%s", w->trusts[tr->partner].name);
            tr->partner = -1;
            tr->partner_until = 0;
        }
        tr->coaches_lent = 0; /* first a count of the trusts it supports */
    }
    for (int32_t k = 0; k < w->n_trusts; k++)
        if (w->trusts[k].partner >= 0)
            w->trusts[w->trusts[k].partner].coaches_lent++;
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        tr->coaches_borrowed = 0;
        if (tr->partner >= 0) {
            const qisim_trust *lender = &w->trusts[tr->partner];
            int32_t share = lender->coaches / lender->coaches_lent;
            tr->coaches_borrowed = share < per_partner ? share : per_partner;
        }
    }
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        if (tr->coaches_lent > 0) {
            int32_t share = tr->coaches / tr->coaches_lent;
            tr->coaches_lent *= share < per_partner ? share : per_partner;
        }
    }
}

void qisim_interorg_step(qisim_world *w)
{
    const double *p = w->params.v;
    double rate = 1.0 / p[QP_INTERORG_PEER_WEEKS], relational = p[QP_INTERORG_RELATIONAL];
    lend_coaches(w);
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        double seen = 0.0;
        if (tr->network >= 0) {
            double sum = 0.0;
            int32_t n = 0;
            for (int32_t j = 0; j < w->n_trusts; j++) {
                if (j != k && w->trusts[j].network == tr->network) {
                    sum += practising_share(&w->trusts[j]);
                    n++;
                }
            }
            seen = n ? sum / n : 0.0;
            seen *= 1.0 - relational + relational * tr->relational_trust;
        }
        if (tr->partner >= 0) {
            double exemplar = w->trusts[tr->partner].culture;
            seen = exemplar > seen ? exemplar : seen;
        }
        tr->peer_support += (rate * (seen - tr->peer_support));
    }
    for (int32_t t = 0; t < w->n_teams; t++) {
        qisim_team *team = &w->teams[t];
        if (team->collaborative >= 0) {
            const qisim_collaborative *c = &w->collaboratives[team->collaborative];
            if (w->week >= c->start_week + c->weeks)
                team->collaborative = -1; /* the cohort has ended */
            else if (w->week >= c->start_week)
                w->trusts[team->trust].qi_spend_pending += p[QP_OUTCOMES_COST_COLLABORATIVE_TEAM];
        }
    }
}

int qisim_interorg_collaborative(qisim_world *w, const char *name, const int32_t *teams, int32_t n,
                                 int32_t weeks, int topic, bool adapt, qisim_err *err)
{
    if (n < 2 || n > QISIM_MAX_GROUP)
        return qisim_err_set(err, QISIM_EINVAL, "a collaborative needs 2 to %d teams, not %d", QISIM_MAX_GROUP, n);
    if (weeks < 1 || weeks > QISIM_MAX_WEEKS)
        return qisim_err_set(err, QISIM_EINVAL, "a collaborative of %d weeks is outside [1, %d]", weeks, QISIM_MAX_WEEKS);
    if (topic != QISIM_TOPIC_RELIABILITY && topic != QISIM_TOPIC_FLOW)
        return qisim_err_set(err, QISIM_EINVAL, "unknown collaborative topic %d", topic);
    for (int32_t i = 0; i < n; i++) {
        if (teams[i] < 0 || teams[i] >= w->n_teams)
            return qisim_err_set(err, QISIM_EINVAL, "no team with id %d", teams[i]);
        if (w->teams[teams[i]].collaborative >= 0)
            return qisim_err_set(err, QISIM_EINVAL, "team '%s' is already in a collaborative", w->teams[teams[i]].name);
        for (int32_t j = 0; j < i; j++)
            if (teams[j] == teams[i])
                return qisim_err_set(err, QISIM_EINVAL, "team '%s' is listed twice", w->teams[teams[i]].name);
    }
    if (qisim_world_grow((void **)&w->collaboratives, &w->cap_collaboratives, w->n_collaboratives + 1,
                         sizeof *w->collaboratives, 8))
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory adding a collaborative");
    int32_t id = w->n_collaboratives++;
    qisim_collaborative *c = &w->collaboratives[id];
    memset(c, 0, sizeof *c); /* padding too: collaboratives are saved in checkpoints */
    snprintf(c->name, sizeof c->name, "%s", name && name[0] ? name : "collaborative");
    c->start_week = w->week;
    c->weeks = weeks;
    c->n_teams = n;
    c->topic = topic;
    c->adapt = adapt;
    for (int32_t i = 0; i < n; i++)
        w->teams[teams[i]].collaborative = id;
    qisim_world_log(w, QISIM_LEVEL_SYSTEM, 0, "collaborative", "name=%s teams=%d weeks=%d topic=%s adapt=%d",
                    c->name, n, weeks, qisim_topic_name(topic), adapt);
    return QISIM_OK;
}

int qisim_interorg_network(qisim_world *w, const int32_t *trusts, int32_t n, qisim_err *err)
{
    if (n < 2 || n > QISIM_MAX_GROUP)
        return qisim_err_set(err, QISIM_EINVAL, "a peer network needs 2 to %d trusts, not %d", QISIM_MAX_GROUP, n);
    int32_t network = 0;
    for (int32_t k = 0; k < w->n_trusts; k++)
        if (w->trusts[k].network >= network)
            network = w->trusts[k].network + 1;
    for (int32_t i = 0; i < n; i++) {
        int rc = qisim_world_check_trust(w, trusts[i], err);
        if (rc)
            return rc;
        for (int32_t j = 0; j < i; j++)
            if (trusts[j] == trusts[i])
                return qisim_err_set(err, QISIM_EINVAL, "trust '%s' is listed twice", w->trusts[trusts[i]].name);
    }
    for (int32_t i = 0; i < n; i++)
        w->trusts[trusts[i]].network = network;
    qisim_world_log(w, QISIM_LEVEL_SYSTEM, 0, "peer_network", "network=%d trusts=%d", network, n);
    return QISIM_OK;
}

int qisim_interorg_partner(qisim_world *w, int32_t exemplar, int32_t trust, int32_t weeks, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, exemplar, err);
    if (rc || (rc = qisim_world_check_trust(w, trust, err)))
        return rc;
    if (exemplar == trust)
        return qisim_err_set(err, QISIM_EINVAL, "a trust cannot partner itself");
    if (weeks < 0 || weeks > QISIM_MAX_WEEKS)
        return qisim_err_set(err, QISIM_EINVAL, "a partnership of %d weeks is outside [0, %d] (0: until ended)", weeks,
                             QISIM_MAX_WEEKS);
    w->trusts[trust].partner = exemplar;
    w->trusts[trust].partner_until = weeks > 0 ? w->week + weeks : 0;
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "exemplar_partner", "exemplar=%s weeks=%d", w->trusts[exemplar].name, weeks);
    return QISIM_OK;
}

int qisim_interorg_take_over(qisim_world *w, int32_t exemplar, int32_t trust, qisim_err *err)
{
    int rc = qisim_interorg_partner(w, exemplar, trust, 0, err);
    if (rc)
        return rc;
    qisim_trust *ex = &w->trusts[exemplar], *tr = &w->trusts[trust];
    /* The exemplar's chair, CEO and executives take on the trust (H:L187, L308): its board's
     * commitment, style and QI experience, its method and its use of data. */
    tr->ceo_tenure = 0;
    tr->ceo_qi_experience = true;
    tr->board_commitment = fmax(tr->board_commitment, ex->board_commitment);
    tr->style = fmax(tr->style, ex->style);
    tr->data_for_improvement = fmax(tr->data_for_improvement, ex->data_for_improvement);
    tr->strategy = QISIM_STRATEGY_QI;
    /* Half its central QI team moves across: the lender runs on the rest. */
    int32_t moved = (int32_t)lround(w->params.v[QP_INTERORG_TAKEOVER_CENTRAL] * ex->central_team);
    ex->central_team -= moved;
    tr->central_team += moved;
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "take_over", "exemplar=%s central_team=%d", ex->name, moved);
    /* A merger sets an organisation back by 18 months or more (B:L843). */
    return qisim_shocks_restructure(w, trust, err);
}
