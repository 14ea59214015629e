/* Training's work on each member in the week's pass over the staff (phases.c). */
#ifndef QISIM_MODEL_TRAINING_H
#define QISIM_MODEL_TRAINING_H

#include <math.h>
#include <stdbool.h>

#include "qisim/model.h"

/* A team's members under training this week: coaching runs down, champions' commitment fades,
 * practice lapses, and the trained convert to practice. Inline, so that the pass steps each
 * member of a team through every mechanism in one loop while the team's staff are in cache. */
typedef struct qisim_training_members {
    const qisim_world *w;
    const qisim_team *team;
    const qisim_training_week *week;
    const double *p;
    qisim_rng *r;
    bool network, organisation;
    double air_cover;
    /* the team's: the chance of lapsing without practising peers (the team's share of them
     * retains; with a network, the member's own contacts do), the chance of converting before
     * the member's own factors, the team's practising share as last counted */
    double drop_alone, convert_base, team_share;
    int32_t stepped_down; /* the trust's champions who stepped down */
} qisim_training_members;

/* Fills *m with trust k's share of it for this week (after qisim_training_trust), and no
 * champion stepped down yet; qisim_training_members_team adds a team's. */
void qisim_training_members_trust(qisim_world *w, const qisim_training_week *c, int32_t k, qisim_training_members *m);

/* Team `team`'s share of *m. */
static inline void qisim_training_members_team(qisim_training_members *m, const qisim_team *team)
{
    const double *p = m->p;
    double time_factor = team->qi_time / p[QP_TRAINING_TIME_NEEDED];
    int32_t present = team->counts.n_in_post;
    time_factor = time_factor < 1.0 ? time_factor : 1.0; /* fmin(1.0, ...), without a call */
    m->team = team;
    m->drop_alone = p[QP_TRAINING_DROP] * (1.0 + p[QP_TRAINING_DROP_NO_TIME] * (1.0 - time_factor));
    m->convert_base = p[QP_TRAINING_CONVERSION] * time_factor * m->air_cover;
    m->team_share = present ? (double)team->counts.n_practising / present : 0.0;
}

/* Applies an odds ratio to a probability. */
static inline double qisim_with_odds_ratio(double prob, double odds_ratio)
{
    return odds_ratio * prob / (1.0 - prob + odds_ratio * prob);
}

static inline double qisim_training_tier_factor(const double *p, int tier)
{
    return tier == QISIM_TIER_AWARENESS ? p[QP_TRAINING_AWARENESS_FACTOR]
           : tier == QISIM_TIER_PRACTITIONER ? 1.0
                                             : p[QP_TRAINING_LEADER_FACTOR];
}

/* How far practising peers retain member i (0..1 of training.peer_retention): fully while the
 * organisation or a coach reinforces their practice; once nothing does, in proportion to how
 * long it was reinforced, up to training.reinforce_weeks (lasting change goes with the duration
 * of reinforcing support, R:L4315-4326; six months did not sustain a pathway, B:L3134). */
static inline double qisim_training_peer_hold(const double *p, const uint16_t *reinforced_weeks, int32_t i,
                                              bool reinforced)
{
    double weeks = p[QP_TRAINING_REINFORCE_WEEKS];
    if (reinforced || weeks <= 0.0)
        return 1.0;
    double share = reinforced_weeks[i] / weeks;
    return share < 1.0 ? share : 1.0; /* fmin(1.0, share), without a call in the pass's loop */
}

/* Whether practising member i lapses this week when the world has a staff network, given
 * their chance of lapsing with no practising contact (`alone`): their own practising contacts
 * retain them as the team's share does without a network (as far as `hold`, qisim_training_peer_hold, lets
 * them), and with none of them a credible core member (an opinion leader or a champion),
 * practice disintegrates faster (network.no_core_lapse, R:L3117-3128). The draw comes first and
 * the ties are read only when it is low enough for the contacts to matter: the chance of
 * lapsing is the same either way. */
static inline bool qisim_training_lapses_on_network(const qisim_training_members *m, int32_t i, double alone,
                                                    double hold)
{
    const double *p = m->p;
    double u = qisim_rng_uniform(m->r), no_core = 1.0 + p[QP_NETWORK_NO_CORE_LAPSE];
    if (u >= alone * no_core)
        return false;
    qisim_contacts c = qisim_network_contacts(m->w, m->team, i, p[QP_SPREAD_OPINION_LEADER_WEIGHT]);
    return u < alone * (1.0 - p[QP_TRAINING_PEER_RETENTION] * hold * c.share) * (c.core ? 1.0 : no_core);
}

/* Member i of staff s, in post with flags f, a week under training; returns their flags now. */
static inline uint8_t qisim_training_member(qisim_training_members *m, const qisim_staff *s, int32_t i, uint8_t f)
{
    const double *p = m->p;
    const qisim_training_week *c = m->week;
    bool coached = s->support_weeks[i] > 0;
    if (coached)
        s->support_weeks[i]--;
    bool reinforced = m->organisation || coached;
    if ((f & QISIM_STAFF_PRACTISING) && reinforced && s->reinforced[i] < UINT16_MAX)
        s->reinforced[i]++;
    if (f & QISIM_STAFF_CHAMPION) {
        /* committed: a champion practises while in post; the commitment fades unless the
         * champions' meetings renew it (interorg.c), and one whose commitment has gone
         * steps down to an ordinary practising member (B:L3148; H:L274) */
        if (c->champion_fade > 0.0) {
            s->commitment[i] *= (float)c->champion_fade;
            if (qisim_rng_chance(m->r, (1.0 - (double)s->commitment[i]) / p[QP_TRAINING_CHAMPION_FADE_WEEKS])) {
                f &= (uint8_t)~QISIM_STAFF_CHAMPION;
                s->flags[i] = f;
                m->stepped_down++;
            }
        }
    } else if (f & QISIM_STAFF_PRACTISING) {
        double strained = 1.0 + p[QP_TRAINING_DROP_STRAIN] * (double)s->strain[i];
        double supported = coached ? 1.0 - p[QP_TRAINING_SUPPORT_RETENTION] : 1.0;
        double hold = qisim_training_peer_hold(p, s->reinforced, i, reinforced);
        bool lapse = m->network ? qisim_training_lapses_on_network(m, i, m->drop_alone * strained * supported, hold)
                                : qisim_rng_chance(m->r, m->drop_alone *
                                                             (1.0 - p[QP_TRAINING_PEER_RETENTION] * hold * m->team_share) *
                                                             strained * supported);
        if (lapse) {
            f &= (uint8_t)~QISIM_STAFF_PRACTISING;
            s->flags[i] = f;
            s->reinforced[i] = 0; /* a later start is new practice, reinforced afresh */
        }
    } else if (s->tier[i] > QISIM_TIER_NONE && s->since_training[i] < c->horizon) {
        double chance = m->convert_base * qisim_training_tier_factor(p, s->tier[i]) *
                        c->course_push[s->since_training[i]] * c->motivation_scale * (double)s->motivation[i];
        if (!(chance < p[QP_TRAINING_CONVERSION_MAX])) /* fmin, without a call in the pass's loop */
            chance = p[QP_TRAINING_CONVERSION_MAX];
        if (coached)
            chance = qisim_with_odds_ratio(chance, c->or_coaching);
        if (f & QISIM_STAFF_PROJECT_TRAINING)
            chance = qisim_with_odds_ratio(chance, c->or_project);
        if (f & QISIM_STAFF_INTERPROFESSIONAL)
            chance = qisim_with_odds_ratio(chance, c->or_interprofessional);
        if (qisim_rng_chance(m->r, chance)) {
            f |= QISIM_STAFF_PRACTISING;
            s->flags[i] = f;
        }
    }
    if (s->since_training[i] < UINT16_MAX)
        s->since_training[i]++;
    return f;
}

#endif
