/* Spread's work on each member in the week's pass over the staff (phases.c). */
#ifndef QISIM_MODEL_SPREAD_H
#define QISIM_MODEL_SPREAD_H

#include <stdbool.h>

#include "qisim/model.h"

enum { QISIM_SPREAD_RULE_FRACTION, QISIM_SPREAD_RULE_COUNT, QISIM_SPREAD_RULE_BOTH, QISIM_SPREAD_RULE_SHARE };

/* A team's members exposed to practising peers this week. Inline, so that the pass steps each
 * member of a team through every mechanism in one loop while the team's staff are in cache. */
typedef struct qisim_spread_members {
    const qisim_world *w;
    const qisim_team *team;
    qisim_rng *r;
    bool network;
    int rule;        /* with a network: network.rule */
    int32_t need;    /* with a network: network.count */
    double framing;  /* the multiplier on every threshold in the trust this week */
    double external, olw, knowhow_min, time_needed, base_rate, informal_learning;
    double lateral, peer_orgs, leader_share, trust_share, peer_support; /* without a network */
    /* the team's */
    double rate;     /* the weekly chance of imitating: spread.rate, less without time for QI */
    double exposure; /* without a network: the weighted share of practising peers around them */
    float learn;     /* know-how a member short of what practice needs learns from practising peers */
} qisim_spread_members;

/* Fills *m with trust k's share of it for this week (qisim_spread_members_team adds a team's). */
void qisim_spread_members_trust(qisim_world *w, int32_t k, qisim_spread_members *m);

/* Team `team`'s share of *m; false when none of its members can adopt this week (no time for
 * QI, or too few in post), and then nothing of spread is to be done for the team. */
static inline bool qisim_spread_members_team(qisim_spread_members *m, const qisim_team *team)
{
    int32_t present = team->counts.n_in_post;
    if (team->qi_time <= 0.0 || present < (m->network ? 1 : 2))
        return false; /* no time, no practice to catch */
    double time_factor = team->qi_time / m->time_needed;
    m->team = team;
    m->rate = m->base_rate * (time_factor < 1.0 ? time_factor : 1.0);
    m->learn = (float)(m->informal_learning * m->knowhow_min * team->counts.n_practising / present);
    if (!m->network) {
        /* Opinion leaders count olw times; the pool is weighted the same way, assuming
         * the share of opinion leaders among non-practising members is the staff share. */
        double olw = m->olw;
        double weighted = team->counts.n_practising + (olw - 1.0) * team->counts.n_leaders_practising;
        double pool = present + (olw - 1.0) * (team->counts.n_leaders_practising +
                                               m->leader_share * (present - team->counts.n_practising));
        double team_share = weighted / pool;
        m->exposure = (1.0 - m->lateral - m->peer_orgs) * team_share + m->lateral * m->trust_share +
                      m->peer_orgs * m->peer_support;
    }
    return true;
}

/* Whether member i (flags f) cannot adopt this week: already practising, or short of the
 * know-how practice needs (then they learn from practising peers instead). */
static inline bool qisim_spread_not_ready(const qisim_spread_members *m, const qisim_staff *s, int32_t i, uint8_t f)
{
    if (f & QISIM_STAFF_PRACTISING)
        return true;
    if ((double)s->knowhow[i] < m->knowhow_min) {
        s->knowhow[i] += m->learn;
        return true;
    }
    return false;
}

/* Contagion through member i's own ties. Contacts count as practising if they practised at
 * the end of last week (net.seen), so the update is synchronous and does not depend on the
 * order teams and members are visited in; the member's row is read at most once, and only
 * when they could adopt this week. */
static inline uint8_t qisim_spread_on_network(const qisim_spread_members *m, const qisim_staff *s, int32_t i, uint8_t f)
{
    /* The draw comes first: imitation is at most `rate`, so when the draw is above external +
     * rate the member cannot adopt whatever their contacts do, and their ties need not be read
     * (most weeks, for most members: this is what keeps the network pass cheap). The chance of
     * adopting is the same either way. */
    double u = qisim_rng_uniform(m->r);
    if (u >= m->external + m->rate)
        return f;
    qisim_contacts c = qisim_network_contacts(m->w, m->team, i, m->olw);
    bool by_share = c.share >= m->framing * (double)s->threshold[i], by_count = c.practising >= m->need;
    double imitation;
    switch (m->rule) {
    case QISIM_SPREAD_RULE_COUNT: imitation = by_count ? m->rate : 0.0; break;
    case QISIM_SPREAD_RULE_BOTH: imitation = by_share && by_count ? m->rate : 0.0; break;
    case QISIM_SPREAD_RULE_SHARE: imitation = m->rate * c.share; break; /* Bass q x share of contacts */
    default: imitation = by_share ? m->rate : 0.0; break;
    }
    /* one draw against p + q(...): the discrete Bass hazard, not 1 - (1-p)(1-q...) */
    if (u < m->external + imitation) {
        f |= QISIM_STAFF_PRACTISING;
        s->flags[i] = f;
    }
    return f;
}

/* Without a network: exposure mixes the team's practising share, the trust's (lateral ties)
 * and peer organisations', all as last week's. External influence (Bass p) draws only when
 * set, so the default draws as before it existed. */
static inline uint8_t qisim_spread_in_team(const qisim_spread_members *m, const qisim_staff *s, int32_t i, uint8_t f)
{
    if ((m->external > 0.0 && qisim_rng_chance(m->r, m->external)) ||
        (m->exposure >= m->framing * (double)s->threshold[i] && qisim_rng_chance(m->r, m->rate))) {
        f |= QISIM_STAFF_PRACTISING;
        s->flags[i] = f;
    }
    return f;
}

/* Member i of staff s, in post with flags f, a week exposed to practising peers; returns their flags now. */
static inline uint8_t qisim_spread_member(const qisim_spread_members *m, const qisim_staff *s, int32_t i, uint8_t f)
{
    if (qisim_spread_not_ready(m, s, i, f))
        return f;
    return m->network ? qisim_spread_on_network(m, s, i, f) : qisim_spread_in_team(m, s, i, f);
}

#endif
