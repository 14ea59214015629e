/* Mechanism 4: projects are the fast loop. */

/* A team starts a project when a skilled member practises, has time, the leaders permit it and
 * the climate is safe. Projects advance in PDSA cycles whose pace depends on skill, time,
 * coaching and data; only a share of cycles is done properly, and only proper cycles reveal a
 * harmful change or refine a good one. Adopted changes (small on average, sometimes null or
 * harmful) add to reliability or flow and decay unless permanent staff own them; owned changes
 * become standard work. In a crisis QI goes light-touch: more starts and faster, lower-fidelity
 * cycles, so trusts that had skilled, practising staff before adapt faster (B:L2095-2105). */
#include <math.h>

#include "qisim/model.h"

/* The collaborative the team belongs to, if it is running this week. */
static const qisim_collaborative *running_collaborative(const qisim_world *w, const qisim_team *t)
{
    if (t->collaborative < 0)
        return NULL;
    const qisim_collaborative *c = &w->collaboratives[t->collaborative];
    return w->week >= c->start_week && w->week < c->start_week + c->weeks ? c : NULL;
}

static void start_project(qisim_world *w, qisim_team *team, qisim_project *pr, const qisim_collaborative *c)
{
    const double *p = w->params.v;
    qisim_rng *r = &w->rng[QISIM_STREAM_PROJECTS];
    /* Outside a collaborative a team picks its own aim: some aims are about flow and waits. */
    int topic = c ? c->topic
                  : qisim_rng_chance(r, p[QP_PROJECTS_FLOW_SHARE]) ? QISIM_TOPIC_FLOW : QISIM_TOPIC_RELIABILITY;
    double relevance = 1.0 + p[QP_PROJECTS_PATIENT_RELEVANCE] * team->patient_involvement;
    double mean = topic == QISIM_TOPIC_FLOW ? p[QP_PROJECTS_FLOW_EFFECT_MEAN] : p[QP_PROJECTS_EFFECT_MEAN];
    double sd = topic == QISIM_TOPIC_FLOW ? p[QP_PROJECTS_FLOW_EFFECT_SD] : p[QP_PROJECTS_EFFECT_SD];
    /* Ceiling effects (B:L1888): a change does less where care is already reliable, or where
     * most of the waste in the service has already been removed. */
    double max_eff = p[QP_OUTCOMES_MAX_EFFICIENCY];
    double headroom = topic == QISIM_TOPIC_FLOW ? (max_eff > 1.0 ? qisim_fmax(0.0, (max_eff - team->efficiency) / (max_eff - 1.0)) : 0.0)
                                                : (1.0 - team->reliability) / (1.0 - p[QP_OUTCOMES_RELIABILITY_REF]);
    double effect = (mean * relevance + sd * qisim_rng_normal(r)) * headroom;
    if (c && !c->adapt)
        effect *= 1.0 - p[QP_PROJECTS_COPY_PENALTY]; /* a change copied, not adapted */
    qisim_project_set_state(team, pr, QISIM_PROJECT_ACTIVE);
    pr->topic = (uint8_t)topic;
    pr->cycles = 0;
    pr->weeks = 0;
    pr->progress = 0.0;
    pr->effect = effect;
    pr->gain = 0.0;
    w->trusts[team->trust].stats.projects_started++;
}

void qisim_projects_abandon(qisim_world *w, qisim_team *team, qisim_project *pr)
{
    qisim_project_set_state(team, pr, QISIM_PROJECT_NONE);
    w->trusts[team->trust].stats.projects_failed++;
}

/* Advances an active project by this week's PDSA work. Returns true when it completes. */
static bool advance(qisim_world *w, qisim_team *team, qisim_project *pr, double pace, double fidelity)
{
    const double *p = w->params.v;
    qisim_rng *r = &w->rng[QISIM_STREAM_PROJECTS];
    pr->weeks++;
    pr->progress += pace;
    while (pr->progress >= 1.0) {
        pr->progress -= 1.0;
        pr->cycles++;
        if (qisim_rng_chance(r, fidelity)) {
            if (pr->effect < 0.0) { /* the data show the change makes things worse */
                qisim_projects_abandon(w, team, pr);
                return false;
            }
            pr->effect *= (1.0 + p[QP_PROJECTS_REFINE]);
        }
        if (pr->cycles >= (int)p[QP_PROJECTS_CYCLES])
            return true;
    }
    return false;
}

void qisim_projects_step(qisim_world *w)
{
    const double *p = w->params.v;
    qisim_rng *r = &w->rng[QISIM_STREAM_PROJECTS];
    int max_active = (int)p[QP_PROJECTS_MAX_ACTIVE];
    double decay = 1.0 / p[QP_PROJECTS_DECAY_WEEKS];
    double standard_decay = 1.0 / (p[QP_PROJECTS_STANDARD_DECAY_YEARS] * 52.0);
    double wins_decay = 1.0 / p[QP_PROJECTS_WINS_WEEKS];
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        /* Air cover: full once the board's commitment reaches projects.permission_full; an
         * enabling style lets more through than command and control. */
        double ps = p[QP_PROJECTS_PERMISSION_STYLE];
        double permission = qisim_fmin(1.0, tr->board_commitment / p[QP_PROJECTS_PERMISSION_FULL]) * (1.0 - ps + ps * tr->style);
        bool coached = qisim_training_supports_projects(w, tr);
        int32_t adopted = 0;
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            qisim_team *team = &w->teams[t];
            qisim_project *projects = qisim_team_projects(w, t);
            const qisim_collaborative *c = running_collaborative(w, team);
            double present = team->counts.n_in_post;
            double time_factor = qisim_fmin(1.0, team->qi_time / p[QP_TRAINING_TIME_NEEDED]);
            /* Skill: projects.skilled_pair skilled members practising carry a project at full
             * pace; members who practise without formal training count for less. */
            double unskilled = team->counts.n_practising - team->counts.n_skilled_practising;
            double skill = qisim_fmin(1.0, (team->counts.n_skilled_practising + p[QP_PROJECTS_UNSKILLED_WEIGHT] * unskilled) /
                                         p[QP_PROJECTS_SKILLED_PAIR]);
            /* Support, 0..1: coaching and a collaborative's learning sessions. */
            double support = qisim_fmin(1.0, (coached ? p[QP_PROJECTS_COACHING_SUPPORT] : 0.0) +
                                           (c ? 1.0 - p[QP_PROJECTS_COACHING_SUPPORT] : 0.0));
            double fidelity = qisim_fmin(1.0, p[QP_PROJECTS_FIDELITY] + p[QP_PROJECTS_FIDELITY_SUPPORT] * support);
            /* In a crisis QI goes light-touch: faster cycles with stages missing (B:L2060, L2105). */
            bool crisis = qisim_in_crisis(w, tr);
            if (crisis)
                fidelity *= 1.0 - p[QP_PROJECTS_CRISIS_FIDELITY];
            double data = 1.0 - p[QP_PROJECTS_DATA_PACE] * (1.0 - tr->data_maturity);
            /* most teams have no project: then the slots need not be read (the counts say so) */
            bool any = team->projects_active + team->projects_sustaining > 0;
            int active = team->projects_active, free_slot = any ? -1 : 0;
            for (int s = 0; any && s < QISIM_MAX_PROJECTS && free_slot < 0; s++)
                if (projects[s].state == QISIM_PROJECT_NONE)
                    free_slot = s;
            team->overload = (active > max_active ? active - max_active : 0);
            double pace = p[QP_PROJECTS_PACE] * skill * time_factor * data * (1.0 + p[QP_PROJECTS_SUPPORT_PACE] * support) /
                          (active > max_active ? (double)active / max_active : 1.0) *
                          (crisis ? 1.0 + p[QP_PROJECTS_CRISIS_PACE] : 1.0);
            int32_t core = (int32_t)p[QP_PROJECTS_CORE];
            bool owned = team->counts.n_permanent_practising >= core;
            team->success *= (1.0 - wins_decay);

            for (int s = 0; any && s < QISIM_MAX_PROJECTS; s++) {
                qisim_project *pr = &projects[s];
                if (pr->state == QISIM_PROJECT_ACTIVE) {
                    if (team->counts.n_practising == 0 && qisim_rng_chance(r, decay)) {
                        qisim_projects_abandon(w, team, pr); /* nobody left to carry it */
                    } else if (advance(w, team, pr, pace, fidelity)) {
                        qisim_project_set_state(team, pr, QISIM_PROJECT_SUSTAINING);
                        pr->weeks = 0;
                        pr->gain = pr->effect;
                        tr->stats.projects_completed++;
                        adopted++;
                        team->success += 1.0;
                    }
                } else if (pr->state == QISIM_PROJECT_SUSTAINING) {
                    pr->weeks++;
                    if (!owned)
                        pr->gain -= (decay * pr->gain);
                    if (owned && pr->weeks >= (int)p[QP_PROJECTS_SUSTAIN_WEEKS]) {
                        if (pr->topic == QISIM_TOPIC_FLOW)
                            team->flow_gains += pr->gain;
                        else
                            team->gains += pr->gain;
                        qisim_project_set_state(team, pr, QISIM_PROJECT_NONE); /* now standard work */
                    } else if (fabs(pr->gain) < p[QP_PROJECTS_FADED] * fabs(pr->effect)) {
                        qisim_project_set_state(team, pr, QISIM_PROJECT_NONE); /* faded away */
                    }
                }
            }
            /* Standard work needs upkeep: without time to maintain it, it erodes faster. */
            double erosion = standard_decay * (1.0 + p[QP_PROJECTS_EROSION_NO_TIME] * (1.0 - time_factor));
            team->gains -= (erosion * team->gains);
            team->flow_gains -= (erosion * team->flow_gains);

            /* Coaches and a collaborative help a team keep to what it can carry; without them
             * enthusiasm over-commits (B:L252, L2241). */
            int limit = support > 0.0 ? max_active : QISIM_MAX_PROJECTS;
            if (free_slot >= 0 && active < limit && team->counts.n_skilled_practising > 0 &&
                team->counts.n_practising >= core && present > 0) {
                double safety = qisim_fmin(1.0, team->psych_safety / p[QP_PROJECTS_SAFETY_FULL]);
                double start = p[QP_PROJECTS_START] * time_factor * permission * safety *
                               (c ? p[QP_PROJECTS_COLLABORATIVE_START] : 1.0) *
                               (crisis ? 1.0 + p[QP_PROJECTS_CRISIS_START] : 1.0) * /* less bureaucracy (B:L2095) */
                               (1.0 + team->counts.n_skilled_practising / present);
                if (qisim_rng_chance(r, start))
                    start_project(w, team, &projects[free_slot], c);
            }
        }
        tr->wins = (tr->wins * (1.0 - wins_decay) + (double)adopted / tr->n_teams);
    }
}

void qisim_projects_add_sustained(const qisim_world *w, int32_t team, double *reliability, double *flow)
{
    if (w->teams[team].projects_sustaining == 0)
        return; /* nothing to add: the slots need not be read */
    const qisim_project *projects = qisim_team_projects(w, team);
    for (int s = 0; s < QISIM_MAX_PROJECTS; s++) {
        const qisim_project *pr = &projects[s];
        if (pr->state != QISIM_PROJECT_SUSTAINING)
            continue;
        if (pr->topic == QISIM_TOPIC_FLOW)
            *flow += pr->gain;
        else
            *reliability += pr->gain;
    }
}
