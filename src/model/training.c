/* Mechanism 1: training is predisposing, not sufficient. */

/* Courses raise know-how by tier; know-how turns into practice only with time, air cover and
 * reinforcement (coaching, a real project, interprofessional learning), and practice lasts only
 * while it is reinforced. */
#include <math.h>
#include <stdlib.h>

#include "qisim/model.h"
#include "training.h"

static double knowhow_gain(const double *p, int tier)
{
    switch (tier) {
    case QISIM_TIER_AWARENESS: return p[QP_TRAINING_GAIN_AWARENESS];
    case QISIM_TIER_PRACTITIONER: return p[QP_TRAINING_GAIN_PRACTITIONER];
    case QISIM_TIER_LEADER: return p[QP_TRAINING_GAIN_LEADER];
    default: return p[QP_TRAINING_GAIN_EXPERT];
    }
}

/* A prime stride: the coaching scan's weekly starting point moves round every trust whose size
 * is not a multiple of it. */
enum { SCAN_STRIDE = 7919 };

/* Trained staff a trust can reinforce at once: its coaches, those the exemplar partner and
 * special measures lend, and its own practising improvement leaders, who coach colleagues
 * too (train-the-trainer, as QSIR's college trains trainers, H:L527), so that coaching capacity
 * grows with the trained share (interorg writes partner state, training reads it). */
static int64_t coaching_capacity(const qisim_world *w, const qisim_trust *tr)
{
    const double *p = w->params.v;
    int32_t own = tr->coaches > tr->coaches_lent ? tr->coaches - tr->coaches_lent : 0; /* the lender loses what it lends */
    int32_t coaches = own + tr->coaches_borrowed +
                      (tr->special_measures ? (int32_t)p[QP_REGULATION_SM_COACHES] : 0);
    int64_t peers = 0;
    for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++)
        peers += w->teams[t].counts.n_peer_coaches;
    return (int64_t)coaches * (int64_t)p[QP_TRAINING_COACH_CASELOAD] + (int64_t)lround((double)peers * p[QP_TRAINING_PEER_CASELOAD]);
}

bool qisim_training_supports_projects(const qisim_world *w, const qisim_trust *tr)
{
    int32_t peer_coaches = 0; /* practising improvement leaders coach too */
    for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++)
        peer_coaches += w->teams[t].counts.n_peer_coaches;
    return tr->coaches > tr->coaches_lent || tr->central_team > 0 || tr->coaches_borrowed > 0 || tr->special_measures ||
           (peer_coaches > 0 && w->params.v[QP_TRAINING_PEER_CASELOAD] > 0.0);
}

/* Coaching reinforces recently trained staff up to the trust's coaching capacity. */
static void assign_coaching(qisim_world *w, const qisim_trust *tr, int64_t capacity)
{
    const double *p = w->params.v;
    qisim_staff *s = &w->staff;
    int64_t supported = 0; /* as counted at the end of last week */
    for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++)
        supported += w->teams[t].counts.n_coached;
    if (supported >= capacity)
        return;
    /* Start the scan at a place that moves each week so no team is always served first. */
    int32_t n = tr->n_staff, start = (int32_t)(((int64_t)w->week * SCAN_STRIDE) % n);
    uint16_t weeks = (uint16_t)p[QP_TRAINING_COACHING_WEEKS];
    /* the trust's staff, indexed from its first */
    const uint16_t *since_training = s->since_training + tr->first_staff;
    const uint8_t *tier = s->tier + tr->first_staff, *flags = s->flags + tr->first_staff;
    uint16_t *support_weeks = s->support_weeks + tr->first_staff;
    /* from start to the end, then from the beginning to start (no division per member); the
     * rarest condition first, in a loop of its own: few members had a course in the last weeks */
    for (int32_t pass = 0, j = start, stop = n; pass < 2; pass++, j = 0, stop = start)
        for (; supported < capacity; j++) {
            while (j < stop && since_training[j] >= weeks)
                j++;
            if (j == stop)
                break;
            if (support_weeks[j] == 0 && tier[j] > QISIM_TIER_NONE && !(flags[j] & QISIM_STAFF_VACANT)) {
                support_weeks[j] = weeks;
                supported++;
            }
        }
}

/* Days in the classroom per course, by tier: time the team does without (time delivers it). */
static const int course_days_param[QISIM_N_TIERS] = {
    0, QP_TIME_COURSE_DAYS_AWARENESS, QP_TIME_COURSE_DAYS_PRACTITIONER, QP_TIME_COURSE_DAYS_LEADER,
    QP_TIME_COURSE_DAYS_EXPERT,
};

/* Pounds per person per course, by tier (outcomes books them). */
static const int cost_param[QISIM_N_TIERS] = {
    0, QP_OUTCOMES_COST_AWARENESS, QP_OUTCOMES_COST_PRACTITIONER, QP_OUTCOMES_COST_LEADER, QP_OUTCOMES_COST_EXPERT,
};

/* Whether a team is carrying a project (active, or an adopted change it is sustaining): its
 * practising practitioners are leading improvement work. */
static bool carries_project(const qisim_team *team)
{
    return team->projects_active + team->projects_sustaining > 0;
}

/* Member i of `team` takes a course of `tier`: know-how rises by the tier's share of the gap,
 * the course's project and interprofessional flags replace the old ones, and its days come out
 * of the team's capacity (time delivers them). The caller books the cost. */
static void take_course(qisim_world *w, qisim_team *team, int32_t i, int tier, uint8_t course_flags)
{
    const double *p = w->params.v;
    qisim_staff *s = &w->staff;
    s->tier[i] = (uint8_t)tier;
    s->knowhow[i] += (float)(knowhow_gain(p, tier) * (1.0 - (double)s->knowhow[i]));
    s->since_training[i] = 0;
    s->flags[i] = (uint8_t)((s->flags[i] & ~(QISIM_STAFF_PROJECT_TRAINING | QISIM_STAFF_INTERPROFESSIONAL)) | course_flags);
    qisim_time_book(team, p[course_days_param[tier]] / QISIM_WORKING_DAYS);
}

/* Whether member i could join an in-house practitioner course: in post, below that tier. */
static bool untrained(const qisim_staff *s, int32_t i)
{
    return !(s->flags[i] & QISIM_STAFF_VACANT) && s->tier[i] < QISIM_TIER_PRACTITIONER;
}

/* Train-the-trainer, building capability from within (H:L288-292; C:L489; H:L527), in a trust
 * that runs it. Step up: a practising practitioner at least training.step_up_weeks past their
 * course, in a team carrying a project, joins the in-house leaders programme (C:L495: to run and
 * lead QI projects, so with a project) with weekly chance training.step_up; at the leader tier
 * they coach as peer coaches (coaching_capacity). Pass on: each of last week's practising
 * leaders teaches colleagues of their own team (B:L3132-3136; C:L497, directorate leaders
 * pick which of their own teams' staff need training) training.trainer_places practitioner places a year, a place at a
 * time to a random untrained member in post (nothing in the seeds says these courses include a
 * project), teaching one cohort of them a year: the course's days come out of the trainer's team
 * too. The loop: trained staff who practise and carry projects become trainers, who train
 * more staff where they work. Critical mass: stepping up needs a core of at least
 * training.step_up_core other practising members in the team as last counted (R:L3124-3128, a
 * core of credible leaders leads and mobilises; H:L256, enthusiasts first, then others follow;
 * R:L4412-4416), so one trained member alone in a team never becomes a trainer, and the loop's
 * gain rises with how densely practice sits in teams. Draws come from their own stream
 * (QISIM_STREAM_TRAINERS), so train-the-trainer never shifts the training stream's draws; trusts
 * that run it share that stream. */
static void grow_from_within(qisim_world *w, int32_t k)
{
    const double *p = w->params.v;
    qisim_staff *s = &w->staff;
    qisim_trust *tr = &w->trusts[k];
    qisim_rng *r = &w->rng[QISIM_STREAM_TRAINERS];
    uint16_t experience = (uint16_t)p[QP_TRAINING_STEP_UP_WEEKS];
    int32_t core = (int32_t)p[QP_TRAINING_STEP_UP_CORE];
    double step_up = p[QP_TRAINING_STEP_UP], weekly_places = p[QP_TRAINING_TRAINER_PLACES] / 52.0;
    /* a trainer teaches one cohort of training.trainer_places a year, giving the course's days */
    double teaching = weekly_places > 0.0 ? p[course_days_param[QISIM_TIER_PRACTITIONER]] / QISIM_WORKING_DAYS / p[QP_TRAINING_TRAINER_PLACES] : 0.0;
    int32_t stepped = 0, taught = 0;
    for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
        qisim_team *team = &w->teams[t];
        int32_t first = team->first_staff, end = team->first_staff + team->n_staff;
        /* n_practising counts the one stepping up too */
        if (step_up > 0.0 && carries_project(team) && team->counts.n_practising - 1 >= core) {
            for (int32_t i = first; i < end; i++) {
                uint8_t f = s->flags[i];
                if ((f & QISIM_STAFF_VACANT) || !(f & QISIM_STAFF_PRACTISING) ||
                    s->tier[i] != QISIM_TIER_PRACTITIONER || s->since_training[i] < experience ||
                    !qisim_rng_chance(r, step_up))
                    continue;
                take_course(w, team, i, QISIM_TIER_LEADER, QISIM_STAFF_PROJECT_TRAINING);
                stepped++;
            }
        }
        if (team->counts.n_peer_coaches == 0 || weekly_places <= 0.0)
            continue;
        /* this week's places: the whole part of the expected number, and the rest by chance */
        double expected = team->counts.n_peer_coaches * weekly_places;
        int32_t places = (int32_t)expected + qisim_rng_chance(r, expected - floor(expected));
        int32_t candidates = 0;
        for (int32_t i = first; i < end; i++)
            candidates += untrained(s, i);
        for (; places > 0 && candidates > 0; places--, candidates--) {
            int32_t pick = (int32_t)(qisim_rng_uniform(r) * candidates), i = first;
            if (pick >= candidates) /* guards the uniform's upper end */
                pick = candidates - 1;
            for (;; i++) /* the pick-th untrained member of the team */
                if (untrained(s, i) && pick-- == 0)
                    break;
            take_course(w, team, i, QISIM_TIER_PRACTITIONER, 0);
            qisim_time_book(team, teaching); /* and the trainer's share of teaching the course */
            taught++;
        }
    }
    qisim_outcomes_book(tr, stepped * p[cost_param[QISIM_TIER_LEADER]] + taught * p[cost_param[QISIM_TIER_PRACTITIONER]]);
    if (stepped > 0 || taught > 0)
        qisim_world_log(w, QISIM_LEVEL_TRUST, k, "train_the_trainer", "stepped_up=%d taught=%d", stepped, taught);
}

/* Whether the organisation itself supports QI this week: a QI strategy, protected time, its own
 * coaches or a central team. Without any of them, what keeps a member practising is their
 * peers alone, and voluntary peer links alone put practice at risk of disintegration
 * (R:L3117-3121): the QI approach then depends on individuals (C:L220). */
static bool supports_qi(const qisim_trust *tr)
{
    return tr->strategy == QISIM_STRATEGY_QI || tr->protected_time > 0.0 || tr->coaches > 0 || tr->central_team > 0;
}

/* The week's work of training that is the trust's (its board's programme, trainers growing
 * from within, coaching places), before its teams. */
void qisim_training_trust(qisim_world *w, int32_t k)
{
    const qisim_trust *tr = &w->trusts[k];
    if (tr->training_due > 0.0) { /* the board's own programme (leadership decides it) */
        qisim_err err;
        qisim_training_enrol(w, k, QISIM_TIER_PRACTITIONER, 0, qisim_fmin(1.0, tr->training_due), true, false, &err);
        w->trusts[k].training_due = 0.0;
    }
    if (tr->trains_trainers)
        grow_from_within(w, k);
    int64_t capacity = coaching_capacity(w, tr);
    if (capacity > 0)
        assign_coaching(w, tr, capacity);
}

void qisim_training_prepare(const qisim_world *w, qisim_training_week *c)
{
    const double *p = w->params.v;
    double fade = 1.0 / p[QP_TRAINING_CONVERSION_WEEKS];
    c->horizon = (uint16_t)qisim_fmin(p[QP_TRAINING_CONVERSION_HORIZON], QISIM_MAX_WEEKS); /* its range's top */
    for (int32_t since = 0; since < c->horizon; since++) /* a course's push fades from its end */
        c->course_push[since] = exp(-fade * since);
    /* Intrinsically motivated staff convert more readily (B:L301, L325): scaled by the inverse
     * of the mean motivation, a / (a + b), so that the mean leaves conversion unchanged. */
    c->motivation_scale = (p[QP_BUILD_MOTIVATION_A] + p[QP_BUILD_MOTIVATION_B]) / p[QP_BUILD_MOTIVATION_A];
    /* The published odds ratios are study-level associations with wide intervals
     * (B:L4183-4188), not individual effects: damping keeps their order without letting one
     * feature decide everything. */
    c->or_coaching = pow(p[QP_TRAINING_OR_COACHING], p[QP_TRAINING_OR_DAMPING]);
    c->or_project = pow(p[QP_TRAINING_OR_PROJECT], p[QP_TRAINING_OR_DAMPING]);
    c->or_interprofessional = pow(p[QP_TRAINING_OR_INTERPROFESSIONAL], p[QP_TRAINING_OR_DAMPING]);
    c->champion_fade = p[QP_TRAINING_CHAMPION_FADE_WEEKS] > 0.0 ? exp(-1.0 / p[QP_TRAINING_CHAMPION_FADE_WEEKS]) : 0.0;
}

void qisim_training_members_trust(qisim_world *w, const qisim_training_week *c, int32_t k, qisim_training_members *m)
{
    const double *p = w->params.v;
    const qisim_trust *tr = &w->trusts[k];
    *m = (qisim_training_members){
        .w = w, .week = c, .p = p, .r = &w->rng[QISIM_STREAM_TRAINING], .network = w->net.offsets != NULL,
        .organisation = supports_qi(tr), .air_cover = qisim_fmin(1.0, p[QP_TRAINING_AIR_COVER_BASE] + tr->board_commitment)};
}

/* Team t's members of trust k this week (the pass runs qisim_training_member itself). Returns
 * the champions who stepped down. */
int32_t qisim_training_team(qisim_world *w, const qisim_training_week *c, int32_t k, int32_t t)
{
    const qisim_team *team = &w->teams[t];
    const uint8_t *flags = w->staff.flags;
    qisim_training_members m;
    qisim_training_members_trust(w, c, k, &m);
    qisim_training_members_team(&m, team);
    for (int32_t i = team->first_staff, end = team->first_staff + team->n_staff; i < end; i++)
        if (!(flags[i] & QISIM_STAFF_VACANT))
            qisim_training_member(&m, &w->staff, i, flags[i]);
    return m.stepped_down;
}

/* After trust k's teams: the week's n champions who stepped down, in the event log. */
void qisim_training_trust_done(qisim_world *w, int32_t k, int32_t n)
{
    if (n > 0)
        qisim_world_log(w, QISIM_LEVEL_TRUST, k, "champions_stepped_down", "n=%d", n);
}

void qisim_training_step(qisim_world *w)
{
    qisim_training_week c;
    qisim_training_prepare(w, &c);
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_training_trust(w, k);
        int32_t stepped_down = 0;
        for (int32_t t = w->trusts[k].first_team; t < w->trusts[k].first_team + w->trusts[k].n_teams; t++)
            stepped_down += qisim_training_team(w, &c, k, t);
        qisim_training_trust_done(w, k, stepped_down);
    }
}

/* Who a course can take: in post and below its tier, with a role of the mask. */
typedef struct course {
    int tier;
    uint32_t role_mask;
} course;

static bool can_enrol(const qisim_world *w, int32_t i, const void *ctx)
{
    const course *c = ctx;
    const qisim_staff *s = &w->staff;
    return !(s->flags[i] & QISIM_STAFF_VACANT) && s->tier[i] < c->tier &&
           (!c->role_mask || (c->role_mask & (1u << s->role[i])));
}

int qisim_training_enrol(qisim_world *w, int32_t trust, int tier, uint32_t role_mask, double share,
                         bool project, bool interprofessional, qisim_err *err)
{
    qisim_target everyone = {NULL, 0, QISIM_TARGET_ANYONE, share};
    return qisim_training_enrol_target(w, trust, tier, role_mask, &everyone, project, interprofessional, err);
}

int qisim_training_enrol_target(qisim_world *w, int32_t trust, int tier, uint32_t role_mask,
                                const qisim_target *target, bool project, bool interprofessional, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    if (tier < QISIM_TIER_AWARENESS || tier > QISIM_TIER_EXPERT)
        return qisim_err_set(err, QISIM_EINVAL, "training tier %d is not awareness..expert", tier);
    if (!(target->share > 0.0 && target->share <= 1.0))
        return qisim_err_set(err, QISIM_EINVAL, "training share %g is outside (0, 1]", target->share);
    const double *p = w->params.v;
    qisim_trust *tr = &w->trusts[trust];
    course c = {tier, role_mask};
    int32_t *chosen, enrolled;
    if ((rc = qisim_target_pick(w, trust, target, can_enrol, &c, &w->rng[QISIM_STREAM_TRAINING], &chosen, &enrolled, err)))
        return rc;
    uint8_t extra = (uint8_t)((project ? QISIM_STAFF_PROJECT_TRAINING : 0) |
                              (interprofessional ? QISIM_STAFF_INTERPROFESSIONAL : 0));
    qisim_team *team = &w->teams[tr->first_team];
    for (int32_t k = 0; k < enrolled; k++) {
        int32_t i = chosen[k]; /* ascending, so the team pointer only moves forward */
        while (i >= team->first_staff + team->n_staff)
            team++;
        take_course(w, team, i, tier, extra);
    }
    free(chosen);
    qisim_outcomes_book(tr, enrolled * p[cost_param[tier]]);
    if (target->teams || target->who != QISIM_TARGET_ANYONE)
        qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "training", "tier=%s enrolled=%d project=%d interprofessional=%d who=%s teams=%d",
                        qisim_tier_name(tier), enrolled, project, interprofessional, qisim_target_names[target->who],
                        target->teams ? target->n_teams : tr->n_teams);
    else
        qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "training", "tier=%s enrolled=%d project=%d interprofessional=%d",
                        qisim_tier_name(tier), enrolled, project, interprofessional);
    return QISIM_OK;
}

int qisim_training_set_induction(qisim_world *w, int32_t trust, int tier, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    if (tier < QISIM_TIER_NONE || tier > QISIM_TIER_AWARENESS)
        return qisim_err_set(err, QISIM_EINVAL, "induction can give at most awareness-level training");
    w->trusts[trust].induction_tier = tier;
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "induction", "tier=%s", qisim_tier_name(tier));
    return QISIM_OK;
}

int qisim_training_set_coaches(qisim_world *w, int32_t trust, int32_t coaches, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    if (coaches < 0 || coaches > QISIM_MAX_FTE)
        return qisim_err_set(err, QISIM_EINVAL, "%d coaches is outside [0, %d]", coaches, QISIM_MAX_FTE);
    qisim_policy_imposed(w, trust);
    w->trusts[trust].coaches = coaches;
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "coaches", "coaches=%d", coaches);
    return QISIM_OK;
}

int qisim_training_set_trainers(qisim_world *w, int32_t trust, bool on, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    w->trusts[trust].trains_trainers = on; /* a training intervention: the board still decides */
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "train_trainers", "on=%d", on);
    return QISIM_OK;
}
