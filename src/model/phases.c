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
#include "qisim/model.h"

static bool on(const qisim_world *w, int phase)
{
    return w->params.v[phase] != 0.0;
}

/* The week's one pass over the staff, team by team: the members' drift towards their team's
 * conditions, then learning, then the count. */
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
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            if (workforce)
                qisim_workforce_team(w, t);
            if (training)
                stepped_down += qisim_training_team(w, &week, k, t);
            if (spread)
                qisim_spread_team(w, k, t);
            qisim_world_count_team(w, t); /* next week's aggregates */
        }
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
