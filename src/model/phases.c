/* The model's week: every mechanism in its phase order, read top to bottom. */

/* Shocks first (they set this week's conditions), then the people (who is here, how
 * stretched), the leaders who decide, the fast loops of learning and doing, the slow loop of
 * culture, the system around the trust, and last the outcomes that everything above produced,
 * then the journey step they add up to. Each phase can be switched off by its parameter.
 *
 * Mechanisms read last week's team and trust aggregates (a synchronous update): the counts of
 * each team's staff are taken in the one pass over the staff (workforce's drift of strain and
 * know-how, training, spread, then the count, team by team while the team's staff are in
 * cache), and become the aggregates only when the week closes. Practice seen through the staff
 * network is last week's too (net.seen), so no team's result depends on the order teams are
 * visited in (tenure, which a tie's newcomer test reads across teams, advances in workforce's
 * phase for everyone before the pass). */
#include "qisim/count.h"
#include "qisim/model.h"
#include "spread.h"
#include "training.h"
#include "workforce.h"

static bool on(const qisim_world *w, int phase)
{
    return w->params.v[phase] != 0.0;
}

/* Team t's members in the week's one pass, workforce, training and spread all on: one loop
 * over the team's staff while they are in cache, each member stepped through every mechanism
 * in phase order (workforce's drift of strain and know-how, training, spread), then counted for
 * next week's aggregates. Each mechanism's per-member work is its own (workforce.h, training.h,
 * spread.h, the count in qisim/count.h), inline here; the member-major order changes no result,
 * since each reads only its own member's state, last week's counts and what contacts were seen
 * doing last week. `trained` and `spreading` hold the trust's share of training and spread. */
static void pass_team(qisim_world *w, int32_t t, const qisim_staff *s, qisim_training_members *trained,
                      qisim_spread_members *spreading)
{
    const qisim_team *team = &w->teams[t];
    qisim_drift drift;
    qisim_tally count;
    qisim_workforce_drift_begin(w, t, &drift);
    qisim_training_members_team(trained, team);
    bool spread = qisim_spread_members_team(spreading, team);
    qisim_tally_begin(w->net.seen_next, &count);
    const uint8_t *flags = s->flags;
    bool network = count.seen != NULL;
    for (int32_t i = team->first_staff, end = team->first_staff + team->n_staff; i < end; i++) {
        uint8_t f = flags[i];
        if (!(f & QISIM_STAFF_VACANT)) {
            qisim_workforce_drift(&drift, s, i, f);
            f = qisim_training_member(trained, s, i, f);
            if (spread)
                f = qisim_spread_member(spreading, s, i, f);
            qisim_tally_member(&count, s, i, f);
        }
        if (network)
            qisim_tally_seen(&count, i, f);
    }
    qisim_tally_end(&count, &w->team_counts[t]);
}

/* Trust k's teams in the pass with all three on; returns the champions who stepped down. */
static int32_t pass_trust(qisim_world *w, const qisim_training_week *week, int32_t k)
{
    const qisim_trust *tr = &w->trusts[k];
    /* Filled out of line, then copied, and the staff arrays copied too: the copies' addresses
     * never leave this function (the pass is inlined here), so the compiler knows the members'
     * byte stores (flags) cannot change them, and keeps them in registers (each array once, for
     * every mechanism) instead of reloading them after each store. */
    qisim_training_members trained_out, trained;
    qisim_spread_members spreading_out, spreading;
    qisim_staff staff = w->staff;
    qisim_training_members_trust(w, week, k, &trained_out);
    qisim_spread_members_trust(w, k, &spreading_out);
    trained = trained_out;
    spreading = spreading_out;
    for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++)
        pass_team(w, t, &staff, &trained, &spreading);
    return trained.stepped_down;
}

/* The same with some of the three off (tests, knock-out scenarios): each mechanism's loop over
 * the team in turn, then the count. */
static int32_t pass_team_apart(qisim_world *w, const qisim_training_week *week, int32_t k, int32_t t,
                               bool workforce, bool training, bool spread)
{
    int32_t stepped_down = 0;
    if (workforce)
        qisim_workforce_team(w, t);
    if (training)
        stepped_down = qisim_training_team(w, week, k, t);
    if (spread)
        qisim_spread_team(w, k, t);
    qisim_world_count_team(w, t); /* next week's aggregates */
    return stepped_down;
}

/* The week's one pass over the staff, team by team, a trust's own training work before its
 * teams. */
static void learning_pass(qisim_world *w)
{
    bool workforce = on(w, QP_WORKFORCE_ON), training = on(w, QP_TRAINING_ON), spread = on(w, QP_SPREAD_ON);
    qisim_training_week week;
    if (training)
        qisim_training_prepare(w, &week);
    for (int32_t k = 0; k < w->n_trusts; k++) {
        const qisim_trust *tr = &w->trusts[k];
        int32_t stepped_down = 0; /* the trust's champions who stepped down this week */
        if (training)
            qisim_training_trust(w, k);
        if (workforce && training && spread)
            stepped_down = pass_trust(w, &week, k);
        else
            for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++)
                stepped_down += pass_team_apart(w, &week, k, t, workforce, training, spread);
        if (training)
            qisim_training_trust_done(w, k, stepped_down);
    }
}

void qisim_model_week(qisim_world *w)
{
    if (on(w, QP_SHOCKS_ON))
        qisim_shocks_step(w);
    if (on(w, QP_WORKFORCE_ON))
        qisim_workforce_step(w);
    if (on(w, QP_TIME_ON))
        qisim_time_step(w);
    if (on(w, QP_LEADERSHIP_ON))
        qisim_leadership_step(w);
    learning_pass(w);
    if (on(w, QP_PROJECTS_ON))
        qisim_projects_step(w);
    if (on(w, QP_DATA_ON))
        qisim_data_step(w);
    if (on(w, QP_PATIENTS_ON))
        qisim_patients_step(w);
    if (on(w, QP_CULTURE_ON))
        qisim_culture_step(w);
    if (on(w, QP_INTERORG_ON))
        qisim_interorg_step(w);
    if (on(w, QP_REGULATION_ON))
        qisim_regulation_step(w);
    if (on(w, QP_OUTCOMES_ON))
        qisim_outcomes_step(w);
    if (on(w, QP_JOURNEY_ON))
        qisim_journey_step(w);
    qisim_world_close_week(w);
}

int qisim_world_step(qisim_world *w, const qisim_host *host, qisim_err *err)
{
    return qisim_world_advance(w, qisim_model_week, host, err);
}
