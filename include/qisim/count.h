/* The count of a team's staff, one member at a time: the engine's aggregates and the model's pass. */
#ifndef QISIM_COUNT_H
#define QISIM_COUNT_H

#include <stdint.h>

#include "qisim/world.h"

/* A team's count under way. Inline, so that the model's one pass over a team's staff
 * (src/model/phases.c) counts each member in the same loop that steps them, while they are in
 * cache; world.c's count (qisim_world_aggregate, qisim_world_count_team) runs the same code. */
typedef struct qisim_tally {
    uint8_t *seen; /* what contacts will see of each (QISIM_SEEN_* bits); NULL: not wanted */
    int32_t by_tier[2][QISIM_N_TIERS]; /* members in post by [practising][tier] */
    int32_t leaders, permanent, coached; /* practising opinion leaders, practising non-trainees, coached */
    double knowhow_sum, strain_sum;
} qisim_tally;

/* An empty count of a team's staff, writing what contacts see to `seen` (NULL: not wanted). */
static inline void qisim_tally_begin(uint8_t *seen, qisim_tally *c) { *c = (qisim_tally){.seen = seen}; }

/* qisim_network_seen_of of every flags byte, as a table: the count looks it up for every post
 * every week (world.c; test_engine checks that the two agree). */
extern const uint8_t qisim_seen_of_flags[256];

/* What contacts will see of post i's holder, with flags f now (only when c->seen is set). */
static inline void qisim_tally_seen(qisim_tally *c, int32_t i, uint8_t f)
{
    c->seen[i] = qisim_seen_of_flags[f];
}

/* Counts member i of staff s, in post with flags f now. A histogram by practice and tier, from which
 * qisim_tally_end takes the tier counts, keeps the per-member work short. */
static inline void qisim_tally_member(qisim_tally *c, const qisim_staff *s, int32_t i, uint8_t f)
{
    int practising = (f & QISIM_STAFF_PRACTISING) != 0;
    c->by_tier[practising][s->tier[i]]++;
    c->knowhow_sum += (double)s->knowhow[i];
    c->strain_sum += (double)s->strain[i];
    c->coached += s->support_weeks[i] > 0;
    if (practising) {
        c->leaders += (f & QISIM_STAFF_OPINION_LEADER) != 0;
        c->permanent += s->role[i] != QISIM_ROLE_TRAINEE;
    }
}

/* The finished count as a team's counts. */
static inline void qisim_tally_end(const qisim_tally *c, qisim_team_counts *out)
{
    int32_t n = 0, practising = 0, skilled = 0, peer_coaches = 0;
    for (int tier = 0; tier < QISIM_N_TIERS; tier++) {
        int32_t p = c->by_tier[1][tier];
        out->n_tier[tier] = c->by_tier[0][tier] + p;
        n += out->n_tier[tier];
        practising += p;
        skilled += tier >= QISIM_TIER_PRACTITIONER ? p : 0;
        peer_coaches += tier >= QISIM_TIER_LEADER ? p : 0;
    }
    out->n_in_post = n;
    out->n_practising = practising;
    out->n_leaders_practising = c->leaders;
    out->n_skilled_practising = skilled;
    out->n_permanent_practising = c->permanent;
    out->n_coached = c->coached;
    out->n_peer_coaches = peer_coaches;
    out->mean_knowhow = n ? c->knowhow_sum / n : 0.0;
    out->mean_strain = n ? c->strain_sum / n : 0.0;
}

#endif
