/* Mechanism 5: spread is social. */

/* A complex contagion: a member starts practising when the weighted share of practising peers
 * (team, lateral ties across the trust, peer organisations) reaches their threshold. Opinion
 * leaders weigh more; visible success and a peer-led identity lower thresholds; mandated,
 * compliance or cost-cutting framing and bundling with other initiatives raise them. Members learn know-how from practising peers up
 * to what practice needs. When the world has a staff network (network.c) the peers are the
 * member's own contacts instead, under the rule network.rule (docs/ODD.md §7.6.1). */
#include <stdlib.h>

#include "qisim/model.h"

/* Multiplier on every threshold in a trust this week. */
static double framing(const qisim_world *w, const qisim_trust *tr)
{
    const double *p = w->params.v;
    double f = 1.0;
    if (qisim_national_programme_running(w))
        f *= w->national_mandated ? 1.0 + p[QP_SPREAD_MANDATE_FRAMING] : 1.0 - p[QP_SPREAD_PEER_LED_FRAMING];
    if (tr->strategy == QISIM_STRATEGY_COMPLIANCE)
        f *= 1.0 + p[QP_SPREAD_COMPLIANCE_FRAMING];
    if (tr->strategy != QISIM_STRATEGY_QI)
        f *= 1.0 + p[QP_SPREAD_COST_FRAMING] * tr->finance_pressure;
    f *= 1.0 + p[QP_SPREAD_BUNDLING] * tr->parallel_initiatives;
    f /= 1.0 + p[QP_SPREAD_SUCCESS] * tr->wins;
    return f;
}

/* Weekly chance that a team's member imitates practising peers: spread.rate, less when the
 * team has too little time for QI. */
static double imitation_rate(const double *p, const qisim_team *team)
{
    double time_factor = team->qi_time / p[QP_TRAINING_TIME_NEEDED];
    return p[QP_SPREAD_RATE] * (time_factor < 1.0 ? time_factor : 1.0);
}

/* Whether member i cannot adopt this week: an empty post, already practising, or short of the
 * know-how practice needs (then they learn `learn` from practising peers instead). The arrays
 * come as locals of the caller's loop, so they are not reloaded after each store. */
static bool not_ready(const uint8_t *flags, float *knowhow, int32_t i, double knowhow_min, float learn)
{
    if (flags[i] & (QISIM_STAFF_VACANT | QISIM_STAFF_PRACTISING))
        return true;
    if ((double)knowhow[i] < knowhow_min) {
        knowhow[i] += learn;
        return true;
    }
    return false;
}

enum { RULE_FRACTION, RULE_COUNT, RULE_BOTH, RULE_SHARE };

/* Contagion through each member's own ties. Contacts count as practising if they practised
 * at the end of last week (net.seen), so the update is synchronous and does not depend on the
 * order teams and members are visited in; each member's row is read at most once, and only
 * for members who could adopt this week. */
static void spread_on_network(qisim_world *w, const qisim_trust *tr, const qisim_team *team)
{
    const double *p = w->params.v;
    qisim_staff *s = &w->staff;
    qisim_rng *r = &w->rng[QISIM_STREAM_SPREAD];
    double olw = p[QP_SPREAD_OPINION_LEADER_WEIGHT], knowhow_min = p[QP_SPREAD_KNOWHOW_MIN];
    double external = p[QP_SPREAD_EXTERNAL];
    int rule = (int)p[QP_NETWORK_RULE];
    int32_t need = (int32_t)p[QP_NETWORK_COUNT];
    if (team->qi_time <= 0.0 || team->counts.n_in_post < 1)
        return;
    double f = framing(w, tr);
    float learn = (float)(p[QP_SPREAD_INFORMAL_LEARNING] * knowhow_min * team->counts.n_practising / team->counts.n_in_post);
    double rate = imitation_rate(p, team);
    uint8_t *flags = s->flags;
    float *knowhow = s->knowhow;
    const float *threshold = s->threshold;
    int32_t end = team->first_staff + team->n_staff;
    for (int32_t i = team->first_staff; i < end; i++) {
        if (not_ready(flags, knowhow, i, knowhow_min, learn))
            continue;
        /* The draw comes first: imitation is at most `rate`, so when the draw is above
         * external + rate the member cannot adopt whatever their contacts do, and their
         * ties need not be read (most weeks, for most members: this is what keeps the
         * network pass cheap). The chance of adopting is the same either way. */
        double u = qisim_rng_uniform(r);
        if (u >= external + rate)
            continue;
        qisim_contacts c = qisim_network_contacts(w, team, i, olw);
        bool by_share = c.share >= f * (double)threshold[i], by_count = c.practising >= need;
        double imitation;
        switch (rule) {
        case RULE_COUNT: imitation = by_count ? rate : 0.0; break;
        case RULE_BOTH: imitation = by_share && by_count ? rate : 0.0; break;
        case RULE_SHARE: imitation = rate * c.share; break; /* Bass q x share of contacts */
        default: imitation = by_share ? rate : 0.0; break;
        }
        /* one draw against p + q(...): the discrete Bass hazard, not 1 - (1-p)(1-q...) */
        if (u < external + imitation)
            flags[i] |= QISIM_STAFF_PRACTISING;
    }
}

/* Without a network: exposure mixes the team's practising share, the trust's (lateral ties)
 * and peer organisations', all as last week's. */
static void spread_in_teams(qisim_world *w, const qisim_trust *tr, const qisim_team *team)
{
    const double *p = w->params.v;
    qisim_staff *s = &w->staff;
    qisim_rng *r = &w->rng[QISIM_STREAM_SPREAD];
    double lateral = p[QP_SPREAD_LATERAL], peer_orgs = p[QP_SPREAD_PEER_ORGS];
    double olw = p[QP_SPREAD_OPINION_LEADER_WEIGHT], knowhow_min = p[QP_SPREAD_KNOWHOW_MIN];
    double external = p[QP_SPREAD_EXTERNAL];
    if (team->qi_time <= 0.0)
        return; /* no time, no practice to catch */
    int32_t present = team->counts.n_in_post;
    if (present < 2)
        return;
    double trust_share = tr->stats.n_staff ? (double)tr->stats.n_practising / tr->stats.n_staff : 0.0;
    double f = framing(w, tr);
    /* Opinion leaders count olw times; the pool is weighted the same way, assuming
     * the share of opinion leaders among non-practising members is the staff share. */
    double weighted = team->counts.n_practising + (olw - 1.0) * team->counts.n_leaders_practising;
    double pool = present + (olw - 1.0) * (team->counts.n_leaders_practising +
                                           p[QP_BUILD_OPINION_LEADER_SHARE] * (present - team->counts.n_practising));
    double team_share = weighted / pool;
    double exposure = (1.0 - lateral - peer_orgs) * team_share + lateral * trust_share +
                      peer_orgs * tr->peer_support;
    float learn = (float)(p[QP_SPREAD_INFORMAL_LEARNING] * knowhow_min * team->counts.n_practising / present);
    double rate = imitation_rate(p, team);
    uint8_t *flags = s->flags;
    float *knowhow = s->knowhow;
    const float *threshold = s->threshold;
    int32_t end = team->first_staff + team->n_staff;
    for (int32_t i = team->first_staff; i < end; i++) {
        if (not_ready(flags, knowhow, i, knowhow_min, learn))
            continue;
        uint8_t fl = flags[i];
        /* external influence (Bass p) draws only when set, so the default draws as before */
        if ((external > 0.0 && qisim_rng_chance(r, external)) ||
            (exposure >= f * (double)threshold[i] && qisim_rng_chance(r, rate)))
            flags[i] = fl | QISIM_STAFF_PRACTISING;
    }
}

void qisim_spread_team(qisim_world *w, int32_t k, int32_t t)
{
    if (w->net.offsets)
        spread_on_network(w, &w->trusts[k], &w->teams[t]);
    else
        spread_in_teams(w, &w->trusts[k], &w->teams[t]);
}

void qisim_spread_step(qisim_world *w)
{
    for (int32_t k = 0; k < w->n_trusts; k++)
        for (int32_t t = w->trusts[k].first_team; t < w->trusts[k].first_team + w->trusts[k].n_teams; t++)
            qisim_spread_team(w, k, t);
}

/* Champions are chosen among staff who already know enough to practise. */
static bool can_champion(const qisim_world *w, int32_t i, const void *ctx)
{
    const double *knowhow_min = ctx;
    uint8_t f = w->staff.flags[i];
    return !(f & (QISIM_STAFF_VACANT | QISIM_STAFF_CHAMPION)) && (double)w->staff.knowhow[i] >= *knowhow_min;
}

int qisim_spread_champions(qisim_world *w, int32_t trust, const qisim_target *target, qisim_err *err)
{
    double knowhow_min = w->params.v[QP_SPREAD_KNOWHOW_MIN];
    int32_t *chosen, n;
    int rc = qisim_target_pick(w, trust, target, can_champion, &knowhow_min, &w->rng[QISIM_STREAM_SPREAD], &chosen, &n, err);
    if (rc)
        return rc;
    for (int32_t k = 0; k < n; k++) {
        w->staff.flags[chosen[k]] |= QISIM_STAFF_CHAMPION | QISIM_STAFF_PRACTISING;
        w->staff.commitment[chosen[k]] = 1.0f; /* fully committed when designated (training.c fades it) */
    }
    free(chosen);
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "champions", "designated=%d who=%s teams=%d", n,
                    qisim_target_names[target->who], target->teams ? target->n_teams : w->trusts[trust].n_teams);
    return QISIM_OK;
}
