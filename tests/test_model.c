/* Unit tests of the 13 mechanisms of src/model, each on its own: the direction and rough size of
 * its effect and its limits, on worlds built with the engine API (other mechanisms switched off
 * with their `.on` parameter, or the mechanism's step called directly on a prepared world), and
 * the refusals of every intervention. Expectations are derived from the parameters, not copied
 * from their defaults, so re-tuning does not break them. Statistical checks allow 4 binomial
 * standard deviations, or compare arms with common random numbers (worlds built from one seed). */
#include "test_helpers.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "qisim/metrics.h"
#include "qisim/model.h"
#include "qisim/world.h"

/* ---- building and inspecting worlds ---------------------------------------------------------- */

static const int mechanism_switches[] = {
    QP_SHOCKS_ON, QP_WORKFORCE_ON, QP_TIME_ON, QP_LEADERSHIP_ON, QP_TRAINING_ON, QP_SPREAD_ON, QP_PROJECTS_ON,
    QP_DATA_ON, QP_PATIENTS_ON, QP_CULTURE_ON, QP_INTERORG_ON, QP_REGULATION_ON, QP_OUTCOMES_ON, QP_JOURNEY_ON,
};

/* Switches every mechanism off, then on the listed switches (a list ending in -1). */
static void only(qisim_world *w, ...)
{
    for (size_t k = 0; k < sizeof mechanism_switches / sizeof mechanism_switches[0]; k++)
        w->params.v[mechanism_switches[k]] = 0.0;
    va_list ap;
    va_start(ap, w);
    for (int id = va_arg(ap, int); id >= 0; id = va_arg(ap, int))
        w->params.v[id] = 1.0;
    va_end(ap);
}

static double def(int id) { return qisim_param_desc_at(id)->def; }

/* `trusts` trusts of `teams` teams of `size` staff each, built with no vacancies, trainees or
 * opinion leaders so that counts are exact (the build parameters are then restored), and
 * aggregated so that a mechanism's step can be called directly. */
static qisim_world *make_world(uint64_t seed, int32_t trusts, int32_t teams, int32_t size)
{
    qisim_world *w = qisim_world_create(seed, 0);
    assert_non_null(w);
    w->params.v[QP_BUILD_VACANCY_SHARE] = 0.0;
    w->params.v[QP_BUILD_TRAINEE_SHARE] = 0.0;
    w->params.v[QP_BUILD_OPINION_LEADER_SHARE] = 0.0;
    test_add_trusts(w, trusts, teams, size);
    w->params.v[QP_BUILD_VACANCY_SHARE] = def(QP_BUILD_VACANCY_SHARE);
    w->params.v[QP_BUILD_TRAINEE_SHARE] = def(QP_BUILD_TRAINEE_SHARE);
    w->params.v[QP_BUILD_OPINION_LEADER_SHARE] = def(QP_BUILD_OPINION_LEADER_SHARE);
    w->params.v[QP_NETWORK_ON] = 0.0; /* these tests read spread on team shares; test_diffusion.c has the network */
    qisim_world_aggregate(w);
    return w;
}

static void step(qisim_world *w)
{
    qisim_err err;
    int rc = qisim_world_step(w, NULL, &err);
    if (rc)
        print_error("step failed: %s\n", err.msg);
    assert_int_equal(rc, QISIM_OK);
}

static qisim_team *team_of(qisim_world *w, int32_t trust, int32_t t)
{
    return &w->teams[w->trusts[trust].first_team + t];
}

/* Team t of trust's project slots. */
static qisim_project *projects_of(qisim_world *w, int32_t trust, int32_t t)
{
    return qisim_team_projects(w, w->trusts[trust].first_team + t);
}

/* Puts slot s of team t of trust in `state` (keeping the team's counts) and returns it. */
static qisim_project *set_project(qisim_world *w, int32_t trust, int32_t t, int s, int state)
{
    qisim_project *pr = &projects_of(w, trust, t)[s];
    qisim_project_set_state(team_of(w, trust, t), pr, state);
    return pr;
}

/* The first n members of team (global id) practise QI, trained to `tier`. */
static void practise(qisim_world *w, int32_t team, int32_t n, int tier)
{
    const qisim_team *t = &w->teams[team];
    for (int32_t i = t->first_staff; i < t->first_staff + n; i++) {
        w->staff.flags[i] |= QISIM_STAFF_PRACTISING;
        w->staff.tier[i] = (uint8_t)tier;
    }
}

static int32_t count_practising(const qisim_world *w, int32_t trust)
{
    const qisim_trust *tr = &w->trusts[trust];
    int32_t n = 0;
    for (int32_t i = tr->first_staff; i < tr->first_staff + tr->n_staff; i++)
        n += (w->staff.flags[i] & QISIM_STAFF_PRACTISING) != 0;
    return n;
}

/* Staff of a trust in post who are being coached this week. */
static int32_t count_coached(const qisim_world *w, int32_t trust)
{
    const qisim_trust *tr = &w->trusts[trust];
    int32_t n = 0;
    for (int32_t i = tr->first_staff; i < tr->first_staff + tr->n_staff; i++)
        n += w->staff.support_weeks[i] > 0 && !(w->staff.flags[i] & QISIM_STAFF_VACANT);
    return n;
}

/* Events of `type` logged for trust `trust` (-1: any entity). */
static int32_t count_events(const qisim_world *w, const char *type, int32_t trust)
{
    int32_t n = 0;
    for (int32_t e = 0; e < w->n_events; e++)
        if (strcmp(w->events[e].type, type) == 0 && (trust < 0 || w->events[e].entity == trust))
            n++;
    return n;
}

static void set_qi_time(qisim_world *w, int32_t trust, double q)
{
    for (int32_t t = 0; t < w->trusts[trust].n_teams; t++)
        team_of(w, trust, t)->qi_time = q;
}

static double team_mean(qisim_world *w, int32_t trust, double (*get)(const qisim_team *))
{
    double sum = 0.0;
    for (int32_t t = 0; t < w->trusts[trust].n_teams; t++)
        sum += get(team_of(w, trust, t));
    return sum / w->trusts[trust].n_teams;
}

/* A count drawn as Binomial(n, p): within 4 sd of its mean. */
#define assert_binomial(count, n, p)                                                              \
    assert_close((double)(count), (double)(n) * (p), 4.0 * sqrt((double)(n) * (p) * (1.0 - (p))) + 1e-9)

/* ---- 1 shocks ----------------------------------------------------------------------------------- */

static void shocks_crisis_raises_demand_then_ends(void **state)
{
    (void)state;
    qisim_world *w = make_world(21, 2, 10, 10);
    qisim_err err;
    only(w, QP_SHOCKS_ON, QP_TIME_ON, -1);
    assert_int_equal(qisim_shocks_crisis(w, 0, 6, 1.5, &err), QISIM_OK);
    assert_int_equal(count_events(w, "crisis", 0), 1);
    step(w);
    /* nobody practises, so no capability absorbs the surge: the whole of it arrives */
    for (int32_t t = 0; t < 10; t++) {
        assert_close(team_of(w, 0, t)->demand, 1.5, 1e-12);
        assert_close(team_of(w, 1, t)->demand, 1.0, 1e-12);
    }
    for (int week = 1; week < 12; week++)
        step(w);
    assert_false(qisim_in_crisis(w, &w->trusts[0]));
    assert_close(w->trusts[0].shock_demand, 1.0, 0.0);
    for (int32_t t = 0; t < 10; t++)
        assert_close(team_of(w, 0, t)->demand, 1.0, 1e-12);
    /* trust -1: every trust */
    assert_int_equal(qisim_shocks_crisis(w, -1, 3, 2.0, &err), QISIM_OK);
    assert_close(w->trusts[0].shock_demand, 2.0, 0.0);
    assert_close(w->trusts[1].shock_demand, 2.0, 0.0);
    qisim_world_free(w);
}

static void shocks_crisis_lasts_its_weeks(void **state)
{
    (void)state;
    qisim_world *w = make_world(22, 1, 4, 10);
    qisim_err err;
    only(w, QP_SHOCKS_ON, QP_TIME_ON, -1);
    assert_int_equal(qisim_shocks_crisis(w, 0, 1, 2.0, &err), QISIM_OK);
    step(w);
    assert_close(team_of(w, 0, 0)->demand, 2.0, 1e-12); /* the crisis's only week */
    step(w);
    assert_close(team_of(w, 0, 0)->demand, 1.0, 1e-12);
    assert_int_equal(qisim_shocks_crisis(w, 0, 4, 2.0, &err), QISIM_OK);
    for (int week = 0; week < 4; week++) {
        step(w);
        assert_close(team_of(w, 0, 0)->demand, 2.0, 1e-12);
    }
    step(w);
    assert_close(team_of(w, 0, 0)->demand, 1.0, 1e-12);
    qisim_world_free(w);
}

static void shocks_restructure_sets_back_and_abandons(void **state)
{
    (void)state;
    qisim_world *w = make_world(23, 2, 200, 5);
    qisim_err err;
    only(w, QP_SHOCKS_ON, -1);
    int32_t n_projects = 0;
    for (int32_t k = 0; k < 2; k++)
        for (int32_t t = 0; t < 200; t++)
            for (int s = 0; s < 4; s++) {
                set_project(w, k, t, s, QISIM_PROJECT_ACTIVE);
                n_projects += k == 0;
            }
    assert_int_equal(qisim_shocks_restructure(w, 0, &err), QISIM_OK);
    assert_int_equal(count_events(w, "restructure", 0), 1);
    double size = w->params.v[QP_SHOCKS_RESTRUCTURE];
    assert_close(w->trusts[0].setback, qisim_clamp01(size), 1e-12);
    assert_close(w->trusts[1].setback, 0.0, 0.0);
    int32_t left[2] = {0, 0};
    for (int32_t k = 0; k < 2; k++)
        for (int32_t t = 0; t < 200; t++)
            for (int s = 0; s < QISIM_MAX_PROJECTS; s++)
                left[k] += projects_of(w, k, t)[s].state == QISIM_PROJECT_ACTIVE;
    assert_binomial(left[0], n_projects, 1.0 - w->params.v[QP_SHOCKS_ABANDON]);
    assert_int_equal(w->trusts[0].stats.projects_failed, n_projects - left[0]);
    int32_t counted = 0; /* the teams' counts follow their slots (qisim_projects_abandon) */
    for (int32_t t = 0; t < 200; t++)
        counted += team_of(w, 0, t)->projects_active;
    assert_int_equal(counted, left[0]);
    assert_int_equal(left[1], n_projects); /* the other trust is untouched */

    /* a second restructuring cannot set back beyond 1; the disruption then fades */
    assert_int_equal(qisim_shocks_restructure(w, 0, &err), QISIM_OK);
    assert_close(w->trusts[0].setback, qisim_clamp01(2.0 * size), 1e-12);
    double start = w->trusts[0].setback, fade = 1.0 / (w->params.v[QP_SHOCKS_SETBACK_YEARS] * 52.0);
    for (int week = 0; week < 52; week++)
        step(w);
    assert_close(w->trusts[0].setback, start * pow(1.0 - fade, 52), 1e-9);
    assert_true(w->trusts[0].setback < start);

    /* an IT go-live disrupts (trust -1: every trust) but ends no project */
    int32_t failed = w->trusts[1].stats.projects_failed;
    assert_int_equal(qisim_shocks_it_go_live(w, -1, &err), QISIM_OK);
    assert_close(w->trusts[1].setback, qisim_clamp01(w->params.v[QP_SHOCKS_IT_GO_LIVE]), 1e-12);
    assert_int_equal(w->trusts[1].stats.projects_failed, failed);
    qisim_world_free(w);
}

static void shocks_national_programme_counts_down(void **state)
{
    (void)state;
    qisim_world *w = make_world(24, 1, 2, 5);
    qisim_err err;
    only(w, QP_SHOCKS_ON, -1);
    assert_int_equal(qisim_shocks_national_programme(w, 5, true, &err), QISIM_OK);
    assert_int_equal(w->national_until, w->week + 5);
    assert_true(w->national_mandated);
    assert_int_equal(count_events(w, "national_programme", -1), 1);
    for (int week = 0; week < 8; week++) {
        assert_int_equal(qisim_national_programme_running(w), week < 5); /* weeks 0..4 */
        step(w);
    }
    assert_int_equal(qisim_shocks_national_programme(w, 3, false, &err), QISIM_OK);
    assert_false(w->national_mandated);
    qisim_world_free(w);
}

/* A world where every team has half its members practising, no opinion leaders, QI as the
 * method (no framing) and ample QI time; the others' thresholds are set by the caller.
 * Returns the exposure every non-practising member sees. */
static double half_practising(qisim_world *w, int32_t teams, int32_t size)
{
    w->params.v[QP_BUILD_OPINION_LEADER_SHARE] = 0.0;
    w->trusts[0].strategy = QISIM_STRATEGY_QI;
    for (int32_t t = 0; t < teams; t++) {
        practise(w, t, size / 2, QISIM_TIER_PRACTITIONER);
        w->teams[t].qi_time = w->params.v[QP_TRAINING_TIME_NEEDED];
    }
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.knowhow[i] = 0.5f;
    qisim_world_aggregate(w);
    /* team share = trust share = 1/2; peer organisations show nothing */
    return 0.5 * (1.0 - w->params.v[QP_SPREAD_PEER_ORGS]);
}

static void shocks_national_programme_frames_its_first_week(void **state)
{
    (void)state;
    qisim_world *w = make_world(25, 1, 20, 20);
    qisim_err err;
    only(w, QP_SHOCKS_ON, QP_SPREAD_ON, -1);
    w->params.v[QP_SPREAD_RATE] = 1.0;
    double exposure = half_practising(w, 20, 20);
    /* thresholds met without framing, not met under a mandate's raised thresholds */
    float threshold = (float)(exposure / (1.0 + 0.5 * w->params.v[QP_SPREAD_MANDATE_FRAMING]));
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.threshold[i] = threshold;
    int32_t before = count_practising(w, 0);
    assert_int_equal(qisim_shocks_national_programme(w, 1, true, &err), QISIM_OK);
    step(w);
    assert_int_equal(count_practising(w, 0), before);
    qisim_world_free(w);
}

/* ---- 2 workforce --------------------------------------------------------------------------------- */

/* One week of workforce alone, as the engine steps it: who is in post, each team's drift, then
 * on to the next week (workforce schedules its posts' events by the week). */
static void workforce_week(qisim_world *w)
{
    qisim_workforce_step(w);
    for (int32_t t = 0; t < w->n_teams; t++)
        qisim_workforce_team(w, t);
    w->week++;
}

static void workforce_trainees_rotate(void **state)
{
    (void)state;
    qisim_world *w = make_world(31, 1, 4, 10);
    only(w, QP_WORKFORCE_ON, -1);
    w->params.v[QP_WORKFORCE_TURNOVER] = 0.0;
    w->params.v[QP_WORKFORCE_ROTATION_STAY] = 0.0; /* every one leaves the region (test_diffusion.c has those who stay) */
    int32_t rotation = (int32_t)w->params.v[QP_WORKFORCE_ROTATION_WEEKS];
    qisim_staff *s = &w->staff;
    int32_t first = w->teams[1].first_staff;
    for (int32_t i = 0; i < w->n_staff; i++)
        s->tenure[i] = 0;
    for (int32_t i = first + 1; i <= first + 4; i++) { /* four trainees and, at i = first+5, a nurse */
        s->role[i] = QISIM_ROLE_TRAINEE;
    }
    s->role[first + 5] = QISIM_ROLE_NURSE;
    for (int32_t i = first + 1; i <= first + 5; i++) {
        s->tier[i] = QISIM_TIER_PRACTITIONER;
        s->flags[i] |= QISIM_STAFF_PRACTISING;
        s->knowhow[i] = 0.8f;
    }
    w->trusts[0].induction_tier = QISIM_TIER_NONE;
    /* tenure 0 at week 0: new in post this week, so their rotation_weeks end in week rotation */
    for (int32_t week = 0; week < rotation; week++)
        workforce_week(w);
    for (int32_t i = first + 1; i <= first + 5; i++) {
        assert_int_equal(s->tier[i], QISIM_TIER_PRACTITIONER); /* still in post */
        assert_int_equal(s->tenure[i], rotation);
    }
    assert_int_equal(w->trusts[0].stats.leavers, 0);
    workforce_week(w);
    assert_int_equal(w->trusts[0].stats.leavers, 4);
    for (int32_t i = first + 1; i <= first + 4; i++) {
        /* the next trainee arrives in the same slot; tier, know-how and practice left */
        assert_int_equal(s->role[i], QISIM_ROLE_TRAINEE);
        assert_int_equal(s->tier[i], QISIM_TIER_NONE);
        assert_false(s->flags[i] & (QISIM_STAFF_PRACTISING | QISIM_STAFF_VACANT));
        assert_int_equal(s->tenure[i], 1); /* their first week in post */
        assert_true((double)s->knowhow[i] <= 2.0 * w->params.v[QP_BUILD_KNOWHOW_MEAN]);
    }
    assert_int_equal(s->tier[first + 5], QISIM_TIER_PRACTITIONER); /* a permanent member stays */
    assert_true(s->flags[first + 5] & QISIM_STAFF_PRACTISING);

    /* with induction, the new trainee arrives aware */
    w->trusts[0].induction_tier = QISIM_TIER_AWARENESS;
    for (int32_t week = 0; week <= rotation; week++)
        workforce_week(w);
    for (int32_t i = first + 1; i <= first + 4; i++) {
        assert_int_equal(s->tier[i], QISIM_TIER_AWARENESS);
        assert_true((double)s->knowhow[i] >= w->params.v[QP_TRAINING_GAIN_AWARENESS] - 1e-6);
        assert_int_equal(s->since_training[i], 0);
    }
    qisim_world_free(w);
}

static void workforce_vacancies_are_refilled(void **state)
{
    (void)state;
    qisim_world *w = make_world(32, 1, 100, 20);
    only(w, QP_WORKFORCE_ON, -1);
    w->params.v[QP_WORKFORCE_TURNOVER] = 0.0;
    qisim_staff *s = &w->staff;
    int32_t vacant = 0;
    for (int32_t i = 0; i < w->n_staff; i++) {
        if (s->role[i] == QISIM_ROLE_TEAM_LEADER || s->role[i] == QISIM_ROLE_EXECUTIVE)
            continue;
        s->flags[i] = QISIM_STAFF_VACANT;
        s->tier[i] = QISIM_TIER_PRACTITIONER; /* what the leaver had */
        vacant++;
    }
    qisim_world_aggregate(w);
    assert_int_equal(w->trusts[0].stats.vacancies, vacant);
    int weeks = 10;
    for (int week = 0; week < weeks; week++)
        workforce_week(w);
    int32_t still = 0;
    for (int32_t i = 0; i < w->n_staff; i++) {
        if (s->flags[i] & QISIM_STAFF_VACANT) {
            still++;
        } else if (s->role[i] != QISIM_ROLE_TEAM_LEADER && s->role[i] != QISIM_ROLE_EXECUTIVE) {
            /* a new starter: no QI training without induction, a few weeks in post */
            assert_int_equal(s->tier[i], QISIM_TIER_NONE);
            assert_true(s->tenure[i] <= weeks);
        }
    }
    double stay = pow(1.0 - 1.0 / w->params.v[QP_WORKFORCE_FILL_WEEKS], weeks);
    assert_binomial(still, vacant, stay);
    assert_true(still < vacant);
    qisim_world_free(w);
}

static void workforce_strain_follows_workload(void **state)
{
    (void)state;
    qisim_world *w = make_world(33, 3, 20, 20);
    only(w, QP_WORKFORCE_ON, -1);
    w->params.v[QP_WORKFORCE_TURNOVER] = 0.0;
    const double *p = w->params.v;
    double over[3] = {0.0, 0.5, 5.0}; /* workload above the usual stretch */
    for (int32_t k = 0; k < 3; k++) {
        w->trusts[k].regulatory_load = p[QP_WORKFORCE_LOAD_REF];
        for (int32_t t = 0; t < 20; t++) {
            team_of(w, k, t)->workload = p[QP_WORKFORCE_WORKLOAD_REF] + over[k];
            team_of(w, k, t)->psych_safety = p[QP_CULTURE_SAFETY_BASE];
            team_of(w, k, t)->overload = 0.0;
        }
    }
    int weeks = 8;
    for (int week = 0; week < weeks; week++)
        workforce_week(w);
    double base = p[QP_WORKFORCE_STRAIN_BASE], keep = pow(1.0 - 1.0 / p[QP_WORKFORCE_STRAIN_WEEKS], weeks);
    for (int32_t k = 0; k < 3; k++) {
        double target = qisim_clamp01(base + p[QP_WORKFORCE_STRAIN_WORKLOAD] * over[k]);
        double expect = target + (base - target) * keep;
        const qisim_trust *tr = &w->trusts[k];
        for (int32_t i = tr->first_staff; i < tr->first_staff + tr->n_staff; i++)
            assert_close((double)w->staff.strain[i], expect, 1e-4);
    }
    /* a usual team stays at the usual strain; an overwhelmed one saturates at 1, never above */
    assert_close((double)w->staff.strain[0], base, 1e-6);
    for (int week = 0; week < 200; week++)
        workforce_week(w);
    assert_close((double)w->staff.strain[w->trusts[2].first_staff], 1.0, 1e-4);
    assert_true(w->staff.strain[w->trusts[2].first_staff] <= 1.0f);
    qisim_world_free(w);
}

static void workforce_knowhow_decays_unless_practised(void **state)
{
    (void)state;
    qisim_world *w = make_world(34, 1, 10, 10);
    only(w, QP_WORKFORCE_ON, -1);
    w->params.v[QP_WORKFORCE_TURNOVER] = 0.0;
    for (int32_t i = 0; i < w->n_staff; i++) {
        w->staff.knowhow[i] = 0.5f;
        if (i % 2)
            w->staff.flags[i] |= QISIM_STAFF_PRACTISING;
    }
    int weeks = 52;
    for (int week = 0; week < weeks; week++)
        workforce_week(w);
    double decayed = 0.5 * pow(1.0 - w->params.v[QP_WORKFORCE_KNOWHOW_DECAY], weeks);
    double grown = 1.0 - 0.5 * pow(1.0 - w->params.v[QP_WORKFORCE_KNOWHOW_PRACTICE], weeks);
    for (int32_t i = 0; i < w->n_staff; i++)
        assert_close((double)w->staff.knowhow[i], i % 2 ? grown : decayed, 1e-4);
    assert_true(decayed < 0.5 && grown > 0.5);
    qisim_world_free(w);
}

static void workforce_turnover_and_sickness_rise_with_strain(void **state)
{
    (void)state;
    qisim_world *w = make_world(35, 2, 100, 50);
    only(w, QP_WORKFORCE_ON, -1);
    w->params.v[QP_WORKFORCE_TURNOVER] = 0.5; /* enough leavers in one week to measure */
    const double *p = w->params.v;
    for (int32_t k = 0; k < 2; k++) {
        const qisim_trust *tr = &w->trusts[k];
        for (int32_t i = tr->first_staff; i < tr->first_staff + tr->n_staff; i++)
            w->staff.strain[i] = (float)k; /* trust 0: none, trust 1: burnt out */
    }
    qisim_world_aggregate(w);
    workforce_week(w);
    int32_t n = w->trusts[0].n_staff;
    for (int32_t k = 0; k < 2; k++) {
        double leave = p[QP_WORKFORCE_TURNOVER] / 52.0 * (1.0 + p[QP_WORKFORCE_STRAIN_TURNOVER] * k);
        double sick = fmin(1.0, p[QP_WORKFORCE_SICKNESS] * (1.0 + p[QP_WORKFORCE_STRAIN_SICKNESS] * k));
        assert_binomial(w->trusts[k].stats.leavers, n, leave);
        assert_binomial(w->trusts[k].stats.sick, n, sick);
    }
    assert_true(w->trusts[1].stats.leavers > w->trusts[0].stats.leavers);
    assert_true(w->trusts[1].stats.sick > w->trusts[0].stats.sick);
    /* leadership posts are covered at once; other leavers leave a vacancy */
    int32_t vacant = 0;
    for (int32_t i = 0; i < w->n_staff; i++) {
        if (!(w->staff.flags[i] & QISIM_STAFF_VACANT))
            continue;
        vacant++;
        assert_true(w->staff.role[i] != QISIM_ROLE_TEAM_LEADER && w->staff.role[i] != QISIM_ROLE_EXECUTIVE);
    }
    assert_true(vacant > 0 && vacant <= w->trusts[0].stats.leavers + w->trusts[1].stats.leavers);
    qisim_world_free(w);
}

/* Workforce skips ahead to each post's next event; the weeks still come out as a draw every
 * week would give them. Over 30 weeks of rising strain each week's leavers are the binomial of
 * that week's chance, and when the turnover parameter changes mid-run (no one could leave
 * before) the new chance applies from the next week, not after waits drawn at the old one. */
static void workforce_skipping_ahead_keeps_each_weeks_chance(void **state)
{
    (void)state;
    qisim_world *w = make_world(36, 1, 200, 50);
    only(w, QP_WORKFORCE_ON, -1);
    double *p = w->params.v;
    p[QP_WORKFORCE_TURNOVER] = 0.0;
    p[QP_WORKFORCE_FILL_WEEKS] = 520.0; /* vacancies stay open: the posts in post are counted */
    p[QP_WORKFORCE_ROTATION_WEEKS] = 520.0;
    for (int week = 0; week < 5; week++)
        workforce_week(w);
    assert_int_equal(w->trusts[0].stats.leavers, 0);
    p[QP_WORKFORCE_TURNOVER] = 1.0;
    double total = 0.0, expected = 0.0;
    for (int week = 0; week < 30; week++) {
        int32_t in_post = 0;
        float strain = (float)week / 29.0f;
        for (int32_t i = 0; i < w->n_staff; i++) {
            in_post += !(w->staff.flags[i] & QISIM_STAFF_VACANT);
            w->staff.strain[i] = strain;
        }
        workforce_week(w); /* the chance is taken with the strain set; the drift comes after */
        double leave = p[QP_WORKFORCE_TURNOVER] / 52.0 * (1.0 + p[QP_WORKFORCE_STRAIN_TURNOVER] * (double)strain);
        int32_t leavers = w->trusts[0].stats.leavers;
        if (week % 10 == 0)
            assert_binomial(leavers, in_post, leave);
        total += leavers;
        expected += in_post * leave;
    }
    assert_true(fabs(total - expected) < 5.0 * sqrt(expected));
    qisim_world_free(w);
}

/* The waits are drawn afresh whenever what they were drawn with no longer holds: a change of
 * workforce.rotation_weeks (trainees whose 17 weeks were scheduled must not meet a chance to
 * leave at the bound when those weeks end), and weeks with workforce off (the waits stood still,
 * so on its return every post whose wait ran out would otherwise meet the bound's chance at once). */
static void workforce_waits_are_redrawn_when_their_premises_change(void **state)
{
    (void)state;
    qisim_world *w = make_world(37, 1, 40, 20);
    only(w, QP_WORKFORCE_ON, -1);
    double *p = w->params.v;
    p[QP_WORKFORCE_TURNOVER] = 0.1;
    p[QP_WORKFORCE_FILL_WEEKS] = 520.0;
    int32_t trainees = 0;
    for (int32_t i = 0; i < w->n_staff; i++) {
        w->staff.strain[i] = 0.0f;
        w->staff.tenure[i] = 0;
        if (w->staff.role[i] != QISIM_ROLE_TEAM_LEADER && w->staff.role[i] != QISIM_ROLE_EXECUTIVE) {
            w->staff.role[i] = QISIM_ROLE_TRAINEE;
            trainees++;
        }
    }
    p[QP_WORKFORCE_STRAIN_BASE] = 0.0; /* strain stays 0: the weekly chance is turnover / 52 */
    p[QP_WORKFORCE_STRAIN_WORKLOAD] = p[QP_WORKFORCE_STRAIN_REGULATION] = p[QP_WORKFORCE_STRAIN_SAFETY] = 0.0;
    p[QP_WORKFORCE_STRAIN_OVERLOAD] = p[QP_WORKFORCE_STRAIN_OVERTIME] = 0.0;
    double leave = p[QP_WORKFORCE_TURNOVER] / 52.0;
    for (int week = 0; week < 5; week++)
        workforce_week(w);
    p[QP_WORKFORCE_ROTATION_WEEKS] = 40.0; /* nobody reaches it in the weeks below */
    int32_t leavers = 0;
    for (int week = 5; week < 25; week++) {
        workforce_week(w);
        leavers += w->trusts[0].stats.leavers;
    }
    assert_binomial(leavers, 20 * w->n_staff, leave);
    /* workforce off for a year, then on again: the first week back is an ordinary week */
    p[QP_WORKFORCE_ROTATION_WEEKS] = 520.0;
    workforce_week(w);
    w->week += 52;
    workforce_week(w);
    assert_binomial(w->trusts[0].stats.leavers, w->n_staff, leave);
    assert_true(trainees > 0);
    qisim_world_free(w);
}

/* Tenure advances in workforce's phase, for every post in post, before the week's pass over the
 * staff: that pass reads the tenure of contacts in other teams (whether a tie is still a
 * newcomer's), so it must find every team's as of this week whichever team it visits first. */
static void workforce_tenure_advances_before_the_pass(void **state)
{
    (void)state;
    qisim_world *w = make_world(38, 2, 10, 10);
    only(w, QP_WORKFORCE_ON, -1);
    w->params.v[QP_WORKFORCE_TURNOVER] = 0.0;
    w->params.v[QP_WORKFORCE_FILL_WEEKS] = 520.0;
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.tenure[i] = 3;
    qisim_workforce_step(w); /* who is in post, without the pass's drift */
    for (int32_t i = 0; i < w->n_staff; i++)
        if (!(w->staff.flags[i] & QISIM_STAFF_VACANT) && w->staff.role[i] != QISIM_ROLE_TRAINEE)
            assert_int_equal(w->staff.tenure[i], 4);
    qisim_world_free(w);
}

/* The week's pass over the staff steps each member through workforce's drift, training and
 * spread in one loop, then counts them (phases.c): it must leave every staff array, count and
 * seen flag exactly as each mechanism's own loop over the team in turn would. A world with
 * vacancies, trainees, opinion leaders, a staff network, courses, coaches and champions, so
 * that every branch of the three mechanisms runs. */
static void week_apart(qisim_world *w)
{
    qisim_training_week week;
    qisim_workforce_step(w);
    qisim_time_step(w);
    qisim_training_prepare(w, &week);
    for (int32_t k = 0; k < w->n_trusts; k++) {
        int32_t stepped_down = 0;
        qisim_training_trust(w, k);
        for (int32_t t = w->trusts[k].first_team; t < w->trusts[k].first_team + w->trusts[k].n_teams; t++) {
            qisim_workforce_team(w, t);
            stepped_down += qisim_training_team(w, &week, k, t);
            qisim_spread_team(w, k, t);
            qisim_world_count_team(w, t);
        }
        qisim_training_trust_done(w, k, stepped_down);
    }
    qisim_world_close_week(w);
}

static qisim_world *busy_world_net(bool network)
{
    qisim_world *w = qisim_world_create(53, 0);
    qisim_err err;
    assert_non_null(w);
    test_add_trusts(w, 2, 12, 25);
    only(w, QP_WORKFORCE_ON, QP_TIME_ON, QP_TRAINING_ON, QP_SPREAD_ON, -1);
    w->params.v[QP_NETWORK_ON] = network ? 1.0 : 0.0;
    qisim_world_aggregate(w);
    qisim_target few = {NULL, 0, QISIM_TARGET_ANYONE, 0.05};
    for (int32_t k = 0; k < w->n_trusts; k++) {
        assert_int_equal(qisim_training_enrol(w, k, QISIM_TIER_PRACTITIONER, 0, 0.4, k == 0, true, &err), QISIM_OK);
        assert_int_equal(qisim_training_set_coaches(w, k, 2, &err), QISIM_OK);
        assert_int_equal(qisim_spread_champions(w, k, &few, &err), QISIM_OK);
    }
    return w;
}

/* The pass against the mechanisms apart, with or without a staff network (spread's two rules). */
static void pass_matches_apart(bool network)
{
    qisim_world *one = busy_world_net(network), *apart = busy_world_net(network);
    qisim_err err;
    for (int week = 0; week < 60; week++) {
        assert_int_equal(qisim_world_step(one, NULL, &err), QISIM_OK);
        assert_int_equal(qisim_world_advance(apart, week_apart, NULL, &err), QISIM_OK);
    }
    if (network)
        assert_non_null(one->net.seen);
    else
        assert_null(one->net.seen);
    int32_t n = one->n_staff, practising = 0;
#define SAME_FIELD(field) assert_memory_equal(one->staff.field, apart->staff.field, (size_t)n * sizeof *one->staff.field);
    QISIM_STAFF_FIELDS(SAME_FIELD)
#undef SAME_FIELD
    if (network)
        assert_memory_equal(one->net.seen, apart->net.seen, (size_t)n);
    for (int32_t t = 0; t < one->n_teams; t++) {
        assert_memory_equal(&one->teams[t].counts, &apart->teams[t].counts, sizeof one->teams[t].counts);
        practising += one->teams[t].counts.n_practising;
    }
    assert_true(practising > 0); /* training and spread did something to compare */
    qisim_world_free(one);
    qisim_world_free(apart);
}

static void pass_matches_the_mechanisms_apart(void **state)
{
    (void)state;
    pass_matches_apart(true);
}

static void pass_matches_the_mechanisms_apart_without_network(void **state)
{
    (void)state;
    pass_matches_apart(false);
}

/* ---- 3 time ------------------------------------------------------------------------------------ */

static void time_protected_time_and_pressure(void **state)
{
    (void)state;
    qisim_world *w = make_world(41, 3, 10, 10);
    qisim_err err;
    only(w, QP_TIME_ON, -1);
    const double *p = w->params.v;
    /* trust 0: no pressure at all; trust 1: regulatory load; trust 2: half its posts vacant */
    w->trusts[1].regulatory_load = 0.5;
    for (int32_t t = 0; t < 10; t++) {
        const qisim_team *team = team_of(w, 2, t);
        for (int32_t i = team->first_staff + team->n_staff / 2; i < team->first_staff + team->n_staff; i++)
            w->staff.flags[i] |= QISIM_STAFF_VACANT;
    }
    qisim_world_aggregate(w);
    qisim_time_step(w);
    double disc = p[QP_TIME_DISCRETIONARY], ff = p[QP_TIME_FIREFIGHTING];
    assert_close(team_of(w, 0, 0)->workload, 1.0, 1e-12);
    assert_close(team_of(w, 0, 0)->qi_time, disc, 1e-12); /* 1.0 is below workforce.workload_ref */
    for (int32_t k = 0; k < 3; k++)
        assert_int_equal(qisim_time_set_protected(w, k, 0.2, &err), QISIM_OK);
    assert_int_equal(count_events(w, "protected_time", 0), 1);
    qisim_time_step(w);
    double avail = disc + 0.2;
    assert_close(team_of(w, 0, 3)->qi_time, avail, 1e-12);
    double reg = p[QP_TIME_REGULATION_PRESSURE] * 0.5;
    assert_close(team_of(w, 1, 3)->qi_time, avail / (1.0 + ff * reg), 1e-12);
    double over = fmax(0.0, 2.0 - p[QP_WORKFORCE_WORKLOAD_REF]); /* last week's workload was 2 */
    assert_close(team_of(w, 2, 3)->qi_time, avail / (1.0 + ff * over), 1e-12);
    /* Protected time comes out of clinical capacity: nobody practises, so the cost is the
     * protected share every member gives, less what firefighting took back. */
    double given = 0.2 / (1.0 + ff * over);
    assert_close(team_of(w, 2, 3)->qi_cost, given, 1e-12);
    assert_close(team_of(w, 2, 3)->workload, 2.0 / (1.0 - given), 1e-12);
    assert_close(team_of(w, 0, 3)->workload, 1.0 / (1.0 - 0.2), 1e-12);
    /* The knock-out: improvement that costs nothing leaves the workload where it was. */
    w->params.v[QP_TIME_CAPACITY_COST] = 0.0;
    qisim_time_step(w);
    assert_close(team_of(w, 0, 3)->workload, 1.0, 1e-12);
    assert_true(team_of(w, 1, 3)->qi_time < avail && team_of(w, 2, 3)->qi_time < avail);
    qisim_world_free(w);
}

/* Staff work overtime while the list is long: it serves the list but is not contracted time. */
/* Standard work needs upkeep: a team with no time for QI loses it faster. */
static void projects_standard_work_erodes_without_time(void **state)
{
    (void)state;
    qisim_world *w = make_world(81, 1, 2, 10);
    only(w, QP_PROJECTS_ON, -1);
    const double *p = w->params.v;
    w->teams[0].qi_time = p[QP_TRAINING_TIME_NEEDED];
    w->teams[1].qi_time = 0.0;
    for (int t = 0; t < 2; t++)
        w->teams[t].gains = w->teams[t].flow_gains = 0.1;
    qisim_projects_step(w);
    double decay = 1.0 / (p[QP_PROJECTS_STANDARD_DECAY_YEARS] * 52.0);
    assert_close(w->teams[0].gains, 0.1 * (1.0 - decay), 1e-12);
    assert_close(w->teams[1].gains, 0.1 * (1.0 - decay * (1.0 + p[QP_PROJECTS_EROSION_NO_TIME])), 1e-12);
    assert_close(w->teams[1].flow_gains, w->teams[1].gains, 1e-12);
    qisim_world_free(w);
}

/* A whole trust on a long course in one week: QI takes at most time.max_qi_share of the hours,
 * so the workload stays finite; and a scenario that sets protected time as a field imposes it. */
static void time_qi_cost_is_bounded_and_fields_impose(void **state)
{
    (void)state;
    qisim_world *w = make_world(46, 1, 4, 10);
    qisim_err err;
    only(w, QP_TIME_ON, -1);
    w->params.v[QP_TIME_COURSE_WEEKS] = 1.0; /* all of the course in the first week */
    assert_int_equal(qisim_training_enrol(w, 0, QISIM_TIER_EXPERT, 0, 1.0, false, false, &err), QISIM_OK);
    qisim_time_step(w);
    for (int32_t t = 0; t < 4; t++) {
        assert_true(w->teams[t].qi_cost <= w->params.v[QP_TIME_MAX_QI_SHARE] + 1e-12);
        assert_true(isfinite(w->teams[t].workload) && w->teams[t].workload > 0.0);
    }
    assert_true(w->trusts[0].board_decides);
    assert_int_equal(qisim_trust_set_field(w, 0, "protected_time", 0.1, &err), QISIM_OK);
    assert_false(w->trusts[0].board_decides);
    qisim_world_free(w);
}

static void time_overtime_when_the_list_grows(void **state)
{
    (void)state;
    qisim_world *w = make_world(45, 1, 3, 10);
    only(w, QP_TIME_ON, -1);
    const double *p = w->params.v;
    w->teams[1].waiting = 1.0 + 0.5 * p[QP_TIME_OVERTIME_SPAN];
    w->teams[2].waiting = 1.0 + 5.0 * p[QP_TIME_OVERTIME_SPAN];
    qisim_time_step(w);
    assert_close(w->teams[0].overtime, 0.0, 0.0);
    assert_close(w->teams[1].overtime, 0.5 * p[QP_TIME_OVERTIME_MAX], 1e-12);
    assert_close(w->teams[2].overtime, p[QP_TIME_OVERTIME_MAX], 1e-12); /* there is a limit */
    assert_close(w->teams[2].capacity, w->teams[0].capacity * (1.0 + p[QP_TIME_OVERTIME_MAX]), 1e-12);
    assert_close(w->teams[2].workload / w->teams[2].demand, w->teams[0].workload / w->teams[0].demand, 1e-12);
    qisim_world_free(w);
}

/* Managers under pressure take protected time back, unless the board gives air cover; the
 * time they take back is time nobody spends on QI. */
static void leadership_managers_take_back_time_under_pressure(void **state)
{
    (void)state;
    qisim_world *w = make_world(53, 2, 4, 10);
    qisim_err err;
    only(w, QP_LEADERSHIP_ON, QP_TIME_ON, -1);
    const double *p = w->params.v;
    w->params.v[QP_LEADERSHIP_CEO_TENURE] = 30.0; /* no CEO change in this test */
    w->trusts[1].board_commitment = w->trusts[1].style = 1.0;
    for (int32_t k = 0; k < 2; k++) {
        assert_int_equal(qisim_time_set_protected(w, k, 0.2, &err), QISIM_OK);
        w->trusts[k].pressure = 0.3;
    }
    qisim_leadership_step(w);
    double cut[2];
    for (int32_t k = 0; k < 2; k++) {
        const qisim_trust *tr = &w->trusts[k];
        double target = qisim_clamp01(p[QP_LEADERSHIP_TIME_CUT] * 0.3) * (1.0 - tr->board_commitment * tr->style);
        assert_close(tr->time_cut, target / p[QP_LEADERSHIP_TIME_CUT_WEEKS], 1e-12);
        cut[k] = tr->time_cut;
    }
    assert_true(cut[0] > 2.0 * cut[1]); /* air cover */
    /* time.c gives the protected time that is left */
    w->trusts[0].time_cut = 0.5;
    qisim_time_step(w);
    assert_close(team_of(w, 0, 0)->qi_time, p[QP_TIME_DISCRETIONARY] + 0.1, 1e-12);
    qisim_world_free(w);
}

/* Results reach the board (C:L228, L230, L592): a gain still in place, standard work or a
 * sustaining project, lifts commitment in typical changes per team, long after the news of the
 * win has faded; a harmful change counts against QI; leadership.results=0 removes it. */
static void leadership_board_sees_results_in_place(void **state)
{
    (void)state;
    qisim_world *w = make_world(54, 3, 4, 10);
    only(w, QP_LEADERSHIP_ON, -1);
    const double *p = w->params.v;
    w->params.v[QP_LEADERSHIP_CEO_TENURE] = 30.0; /* no CEO change in this test */
    for (int32_t k = 0; k < 3; k++) {
        w->trusts[k].wins = 0.0; /* no recent news of wins: only results in place */
        w->trusts[k].board_commitment = p[QP_LEADERSHIP_BASE];
    }
    /* trust 1: one team's standard work worth two typical changes, another sustaining one */
    team_of(w, 1, 0)->gains = 2.0 * p[QP_PROJECTS_EFFECT_MEAN];
    qisim_project *pr = set_project(w, 1, 1, 0, QISIM_PROJECT_SUSTAINING);
    pr->topic = QISIM_TOPIC_FLOW;
    pr->gain = p[QP_PROJECTS_FLOW_EFFECT_MEAN];
    /* trust 2: a harmful change became standard work */
    team_of(w, 2, 0)->gains = -p[QP_PROJECTS_EFFECT_MEAN];
    double before[3];
    for (int32_t k = 0; k < 3; k++)
        before[k] = w->trusts[k].board_commitment;
    qisim_leadership_step(w);
    double rise[3];
    for (int32_t k = 0; k < 3; k++)
        rise[k] = w->trusts[k].board_commitment - before[k];
    /* three typical changes over four teams */
    double expected = p[QP_LEADERSHIP_RESULTS] * 3.0 / 4.0 / p[QP_LEADERSHIP_RESPONSE_WEEKS];
    assert_close(rise[1] - rise[0], expected, 1e-9);
    assert_true(rise[2] < rise[0]);
    qisim_world_free(w);

    w = make_world(54, 3, 4, 10);
    only(w, QP_LEADERSHIP_ON, -1);
    w->params.v[QP_LEADERSHIP_CEO_TENURE] = 30.0;
    w->params.v[QP_LEADERSHIP_RESULTS] = 0.0;
    team_of(w, 1, 0)->gains = 2.0 * w->params.v[QP_PROJECTS_EFFECT_MEAN];
    for (int32_t k = 0; k < 2; k++)
        w->trusts[k].wins = 0.0, w->trusts[k].board_commitment = w->params.v[QP_LEADERSHIP_BASE];
    qisim_leadership_step(w);
    assert_close(w->trusts[1].board_commitment, w->trusts[0].board_commitment, 1e-12);
    qisim_world_free(w);
}

/* A board that decides adopts QI when the case clears leadership.adopt, invests in proportion,
 * drops it below leadership.drop; a scenario that imposes a policy takes the decision away. */
static void leadership_board_reviews_adopt_invest_and_drop(void **state)
{
    (void)state;
    qisim_world *w = make_world(54, 1, 10, 100);
    qisim_err err;
    only(w, QP_LEADERSHIP_ON, -1);
    const double *p = w->params.v;
    w->params.v[QP_LEADERSHIP_CASE_NOISE] = 0.0;
    w->params.v[QP_LEADERSHIP_CEO_TENURE] = 30.0;
    qisim_trust *tr = &w->trusts[0];
    assert_true(tr->board_decides);
    tr->board_commitment = 0.9;
    tr->finance_pressure = p[QP_LEADERSHIP_FINANCE_REF];
    qisim_leadership_step(w); /* week 0: trust 0 reviews */
    assert_int_equal(tr->strategy, QISIM_STRATEGY_QI);
    double drop = p[QP_LEADERSHIP_DROP];
    double invest = (tr->board_commitment - drop) / (1.0 - drop);
    assert_close(tr->investment, invest, 1e-12);
    assert_close(tr->protected_time, invest * p[QP_LEADERSHIP_INVEST_PROTECTED], 1e-12);
    assert_int_equal(tr->coaches, (int32_t)lround(invest * p[QP_LEADERSHIP_INVEST_COACHES] * tr->n_staff / 1000.0));
    assert_close(tr->training_due, invest * p[QP_LEADERSHIP_INVEST_TRAINING], 1e-12);
    assert_int_equal(count_events(w, "board_decision", 0), 1);
    /* between reviews nothing is decided */
    tr->board_commitment = 0.1;
    w->week = 1;
    qisim_leadership_step(w);
    assert_int_equal(tr->strategy, QISIM_STRATEGY_QI);
    w->week = (int32_t)p[QP_LEADERSHIP_REVIEW_WEEKS];
    tr->board_commitment = 0.1;
    qisim_leadership_step(w);
    assert_int_equal(tr->strategy, QISIM_STRATEGY_NONE);
    assert_close(tr->protected_time, 0.0, 0.0);
    assert_int_equal(tr->coaches, 0);
    /* an imposed strategy stands, whatever the board thinks */
    assert_int_equal(qisim_leadership_set_strategy(w, 0, QISIM_STRATEGY_QI, &err), QISIM_OK);
    assert_false(tr->board_decides);
    w->week = 2 * (int32_t)p[QP_LEADERSHIP_REVIEW_WEEKS];
    qisim_leadership_step(w);
    assert_int_equal(tr->strategy, QISIM_STRATEGY_QI);
    assert_int_equal(count_events(w, "board_decides", 0), 1);
    qisim_world_free(w);
}

static void time_demand_from_failure_crisis_and_growth(void **state)
{
    (void)state;
    qisim_world *w = make_world(42, 2, 10, 10);
    only(w, QP_TIME_ON, -1);
    const double *p = w->params.v;
    /* reliability lost returns as failure demand; reliability gained saves some rework */
    team_of(w, 0, 0)->reliability = team_of(w, 0, 0)->base_reliability - 0.1;
    team_of(w, 0, 1)->reliability = team_of(w, 0, 1)->base_reliability + 0.1;
    /* a crisis, absorbed in part by a trust whose staff all practise QI */
    for (int32_t t = 0; t < 10; t++)
        practise(w, w->trusts[1].first_team + t, 10, QISIM_TIER_PRACTITIONER);
    qisim_world_aggregate(w);
    w->trusts[0].shock_demand = w->trusts[1].shock_demand = 2.0;
    w->trusts[0].shock_until = w->trusts[1].shock_until = w->week + 5;
    qisim_time_step(w);
    double fd = p[QP_TIME_FAILURE_DEMAND], buffer = p[QP_TIME_CAPABILITY_BUFFER];
    assert_close(team_of(w, 0, 0)->demand, 2.0 * (1.0 + fd * 0.1), 1e-9);
    assert_close(team_of(w, 0, 1)->demand, 2.0 * (1.0 - fd * 0.1), 1e-9);
    assert_close(team_of(w, 1, 1)->demand, 1.0 + (1.0 - buffer), 1e-12);
    /* disruption adds demand; demand grows by time.demand_growth a year */
    w->trusts[0].shock_demand = w->trusts[1].shock_demand = 1.0;
    w->trusts[0].setback = 1.0;
    w->params.v[QP_TIME_DEMAND_GROWTH] = 0.1;
    w->week = 52;
    qisim_time_step(w);
    assert_close(team_of(w, 0, 1)->demand, 1.1 * (1.0 + p[QP_SHOCKS_DISRUPTION_DEMAND]) * (1.0 - fd * 0.1), 1e-9);
    assert_close(team_of(w, 1, 1)->demand, 1.1, 1e-12);
    qisim_world_free(w);
}

static void time_collaborative_gives_time(void **state)
{
    (void)state;
    qisim_world *w = make_world(43, 1, 4, 10);
    qisim_err err;
    only(w, QP_TIME_ON, -1);
    int32_t teams[] = {0, 1};
    assert_int_equal(qisim_interorg_collaborative(w, "c", teams, 2, 10, QISIM_TOPIC_RELIABILITY, true, &err), QISIM_OK);
    step(w);
    double disc = w->params.v[QP_TIME_DISCRETIONARY];
    assert_close(w->teams[0].qi_time, disc + w->params.v[QP_TIME_COLLABORATIVE], 1e-12);
    assert_close(w->teams[2].qi_time, disc, 1e-12);
    qisim_world_free(w);
}

static void time_collaborative_time_ends_with_it(void **state)
{
    (void)state;
    qisim_world *w = make_world(44, 1, 4, 10);
    qisim_err err;
    only(w, QP_TIME_ON, QP_INTERORG_ON, -1);
    int32_t teams[] = {0, 1};
    assert_int_equal(qisim_interorg_collaborative(w, "c", teams, 2, 10, QISIM_TOPIC_RELIABILITY, true, &err), QISIM_OK);
    double disc = w->params.v[QP_TIME_DISCRETIONARY];
    for (int week = 0; week < 10; week++) {
        step(w);
        assert_close(w->teams[0].qi_time, disc + w->params.v[QP_TIME_COLLABORATIVE], 1e-12);
    }
    step(w); /* week 10: the collaborative is over */
    assert_close(w->teams[0].qi_time, disc, 1e-12);
    qisim_world_free(w);
}

/* ---- 4 leadership -------------------------------------------------------------------------------- */

static void leadership_ceo_change_sets_back_unless_embedded(void **state)
{
    (void)state;
    qisim_world *w = make_world(51, 3, 2, 5);
    qisim_err err;
    const double *p = w->params.v;
    double base = p[QP_CULTURE_BASE], embedded = p[QP_CULTURE_EMBEDDED];
    double culture[3] = {base, 0.5 * (base + embedded), embedded};
    double embeddedness[3] = {0.0, 0.5, 1.0};
    for (int32_t k = 0; k < 3; k++) {
        w->trusts[k].culture = culture[k];
        w->trusts[k].board_commitment = 0.6;
        w->trusts[k].style = 0.2;
        w->trusts[k].ceo_tenure = 100;
        assert_int_equal(qisim_leadership_new_ceo(w, k, false, &err), QISIM_OK);
        double loss = p[QP_LEADERSHIP_CEO_SETBACK] * (1.0 - embeddedness[k]);
        double after = 0.6 * (1.0 - loss);
        assert_close(w->trusts[k].board_commitment, after, 1e-9);
        assert_int_equal(w->trusts[k].ceo_tenure, 0);
        assert_false(w->trusts[k].ceo_qi_experience);
        /* A successor with QI experience brings an enabling style and the confidence to
         * drive QI (C:L214), whatever the setback. */
        assert_int_equal(qisim_leadership_new_ceo(w, k, true, &err), QISIM_OK);
        assert_true(w->trusts[k].ceo_qi_experience);
        assert_close(w->trusts[k].style, p[QP_LEADERSHIP_QI_CEO_STYLE], 1e-12);
        assert_close(w->trusts[k].board_commitment, fmax(after * (1.0 - loss), p[QP_LEADERSHIP_QI_CEO_COMMITMENT]), 1e-9);
        assert_int_equal(count_events(w, "ceo_change", k), 2);
    }
    assert_close(w->trusts[2].board_commitment, 0.6, 1e-12); /* embedded: no setback */
    qisim_world_free(w);
}

static void leadership_new_ceo_may_drop_programme(void **state)
{
    (void)state;
    enum { N = 1000 };
    qisim_world *w = make_world(52, 2 * N, 1, 2);
    qisim_err err;
    const double *p = w->params.v;
    for (int32_t k = 0; k < 2 * N; k++) {
        w->trusts[k].strategy = QISIM_STRATEGY_QI;
        w->trusts[k].protected_time = 0.1;
        /* the first N at the usual culture, the others embedded */
        w->trusts[k].culture = k < N ? p[QP_CULTURE_BASE] : p[QP_CULTURE_EMBEDDED];
        assert_int_equal(qisim_leadership_new_ceo(w, k, false, &err), QISIM_OK);
    }
    int32_t dropped[2] = {0, 0};
    for (int32_t k = 0; k < 2 * N; k++) {
        bool drop = w->trusts[k].strategy != QISIM_STRATEGY_QI;
        dropped[k >= N] += drop;
        assert_int_equal(count_events(w, "programme_dropped", k), drop);
        assert_close(w->trusts[k].protected_time, drop ? 0.0 : 0.1, 0.0); /* dropped with its time */
    }
    assert_binomial(dropped[0], N, p[QP_LEADERSHIP_CEO_ABANDON]);
    assert_int_equal(dropped[1], 0);
    /* a successor with QI experience keeps it */
    w->trusts[0].strategy = QISIM_STRATEGY_QI;
    for (int r = 0; r < 20; r++)
        assert_int_equal(qisim_leadership_new_ceo(w, 0, true, &err), QISIM_OK);
    assert_int_equal(w->trusts[0].strategy, QISIM_STRATEGY_QI);
    qisim_world_free(w);
}

/* CEOs still come and go at random, but a change no longer moves commitment, style or the
 * strategy: no setback, never a QI-experienced successor, no programme dropped. */
static void neutral_ceo_changes(qisim_world *w)
{
    w->params.v[QP_LEADERSHIP_CEO_SETBACK] = 0.0;
    w->params.v[QP_LEADERSHIP_NEW_CEO_QI] = 0.0;
    w->params.v[QP_LEADERSHIP_CEO_ABANDON] = 0.0;
}

static void leadership_commitment_follows_strategy_and_finance(void **state)
{
    (void)state;
    qisim_world *w = make_world(53, 4, 2, 5);
    qisim_err err;
    only(w, QP_LEADERSHIP_ON, -1);
    neutral_ceo_changes(w);
    const double *p = w->params.v;
    /* 0: usual trust; 1: QI as the method; 2: finance pressure; 3: both */
    assert_int_equal(qisim_leadership_set_strategy(w, 1, QISIM_STRATEGY_QI, &err), QISIM_OK);
    assert_int_equal(qisim_leadership_set_strategy(w, 3, QISIM_STRATEGY_QI, &err), QISIM_OK);
    assert_int_equal(count_events(w, "strategy", 1), 1);
    w->trusts[2].finance_pressure = w->trusts[3].finance_pressure = 0.8;
    double base = p[QP_LEADERSHIP_BASE], qi = p[QP_LEADERSHIP_STRATEGY_QI], fin = p[QP_LEADERSHIP_FINANCE] * 0.4;
    double target[4] = {base, base + qi, base - fin, base + qi - 0.5 * fin};
    int weeks = 52;
    for (int week = 0; week < weeks; week++)
        step(w);
    double keep = pow(1.0 - 1.0 / p[QP_LEADERSHIP_RESPONSE_WEEKS], weeks);
    for (int32_t k = 0; k < 4; k++) {
        double start = 0.3; /* qisim_trust_spec_defaults */
        double t = qisim_clamp01(target[k]);
        assert_close(w->trusts[k].board_commitment, t - (t - start) * keep, 1e-9);
    }
    assert_true(w->trusts[1].board_commitment > w->trusts[0].board_commitment + 0.5 * qi);
    assert_true(w->trusts[2].board_commitment < w->trusts[0].board_commitment);
    /* finance pressure costs QI boards half as much */
    assert_close(w->trusts[1].board_commitment - w->trusts[3].board_commitment,
                 0.5 * (w->trusts[0].board_commitment - w->trusts[2].board_commitment), 1e-9);
    /* the style drifts towards enabling with QI as the method */
    assert_true(w->trusts[1].style > w->trusts[0].style);
    qisim_world_free(w);
}

static void leadership_development_raises_commitment(void **state)
{
    (void)state;
    qisim_world *w = make_world(54, 2, 2, 5);
    qisim_err err;
    neutral_ceo_changes(w);
    const double *p = w->params.v;
    assert_int_equal(qisim_leadership_develop(w, 1, &err), QISIM_OK);
    assert_close(w->trusts[1].leaders_developed, 1.0, 0.0);
    assert_close(w->trusts[1].qi_spend_pending, p[QP_OUTCOMES_COST_LEADERSHIP_PROGRAMME], 1e-9);
    assert_int_equal(count_events(w, "leadership_development", 1), 1);
    qisim_leadership_step(w);
    double dev = 1.0 - 1.0 / (p[QP_LEADERSHIP_DEVELOPED_YEARS] * 52.0);
    assert_close(w->trusts[1].leaders_developed, dev, 1e-12);
    assert_close(w->trusts[1].board_commitment - w->trusts[0].board_commitment,
                 p[QP_LEADERSHIP_DEVELOPED] / p[QP_LEADERSHIP_RESPONSE_WEEKS], 1e-9);
    assert_true(w->trusts[1].style > w->trusts[0].style);
    qisim_world_free(w);
}

static void leadership_special_measures_speed_ceo_turnover(void **state)
{
    (void)state;
    enum { N = 150 };
    qisim_world *w = make_world(55, 2 * N, 1, 2);
    const double *p = w->params.v;
    w->params.v[QP_LEADERSHIP_NEW_CEO_QI] = 0.0; /* no QI-experienced CEO resets the style */
    for (int32_t k = N; k < 2 * N; k++)
        w->trusts[k].special_measures = true;
    int weeks = 52;
    for (int week = 0; week < weeks; week++)
        qisim_leadership_step(w);
    int32_t changes[2] = {0, 0};
    for (int32_t k = 0; k < 2 * N; k++)
        changes[k >= N] += count_events(w, "ceo_change", k);
    double hazard = 1.0 / (p[QP_LEADERSHIP_CEO_TENURE] * 52.0);
    assert_binomial(changes[0], N * weeks, hazard);
    assert_binomial(changes[1], N * weeks, hazard * p[QP_LEADERSHIP_CEO_TURNOVER_CRISIS]);
    assert_true(changes[1] > changes[0]);
    /* grip and control: the style drifts down in special measures */
    for (int32_t k = 0; k < N; k++)
        assert_true(w->trusts[N + k].style < w->trusts[k].style);
    qisim_world_free(w);
}

/* ---- 5 training ---------------------------------------------------------------------------------- */

static void training_enrolment_raises_tier_and_knowhow(void **state)
{
    (void)state;
    qisim_world *w = make_world(61, 2, 20, 20);
    qisim_err err;
    const double *p = w->params.v;
    qisim_staff *s = &w->staff;
    const qisim_trust *tr = &w->trusts[0];
    float *before = malloc((size_t)w->n_staff * sizeof *before);
    assert_non_null(before);
    for (int32_t i = 0; i < w->n_staff; i++) {
        if (i % 10 == 7)
            s->flags[i] |= QISIM_STAFF_VACANT;
        before[i] = s->knowhow[i];
    }
    assert_int_equal(qisim_training_enrol(w, 0, QISIM_TIER_PRACTITIONER, 0, 1.0, true, false, &err), QISIM_OK);
    int32_t enrolled = 0;
    for (int32_t i = 0; i < w->n_staff; i++) {
        bool in = i >= tr->first_staff && i < tr->first_staff + tr->n_staff && i % 10 != 7;
        if (!in) {
            assert_int_equal(s->tier[i], QISIM_TIER_NONE);
            assert_true(s->knowhow[i] == before[i]);
            continue;
        }
        enrolled++;
        assert_int_equal(s->tier[i], QISIM_TIER_PRACTITIONER);
        double expect = (double)before[i] + p[QP_TRAINING_GAIN_PRACTITIONER] * (1.0 - (double)before[i]);
        assert_close((double)s->knowhow[i], expect, 1e-6);
        assert_int_equal(s->since_training[i], 0);
        assert_true(s->flags[i] & QISIM_STAFF_PROJECT_TRAINING);
        assert_false(s->flags[i] & QISIM_STAFF_PRACTISING); /* trained is not practising */
    }
    assert_close(w->trusts[0].qi_spend_pending, enrolled * p[QP_OUTCOMES_COST_PRACTITIONER], 1e-6);
    assert_close(w->trusts[1].qi_spend_week, 0.0, 0.0);
    assert_int_equal(count_events(w, "training", 0), 1);

    /* staff already at or above the tier are skipped and cost nothing */
    double spend = w->trusts[0].qi_spend_week;
    assert_int_equal(qisim_training_enrol(w, 0, QISIM_TIER_AWARENESS, 0, 1.0, false, false, &err), QISIM_OK);
    assert_close(w->trusts[0].qi_spend_week, spend, 0.0);
    assert_int_equal(s->tier[tr->first_staff], QISIM_TIER_PRACTITIONER);

    /* a share of one profession: only nurses, about half of them */
    int32_t nurses = 0, promoted = 0;
    assert_int_equal(qisim_training_enrol(w, 1, QISIM_TIER_LEADER, 1u << QISIM_ROLE_NURSE, 0.5, false, true, &err),
                     QISIM_OK);
    const qisim_trust *t1 = &w->trusts[1];
    for (int32_t i = t1->first_staff; i < t1->first_staff + t1->n_staff; i++) {
        bool nurse = s->role[i] == QISIM_ROLE_NURSE && !(s->flags[i] & QISIM_STAFF_VACANT);
        nurses += nurse;
        if (s->tier[i] == QISIM_TIER_LEADER) {
            assert_true(nurse);
            assert_true(s->flags[i] & QISIM_STAFF_INTERPROFESSIONAL);
            promoted++;
        }
    }
    assert_true(nurses > 50);
    assert_binomial(promoted, nurses, 0.5);
    assert_close(w->trusts[1].qi_spend_pending, promoted * p[QP_OUTCOMES_COST_LEADER], 1e-6);
    free(before);
    qisim_world_free(w);
}

/* Applies an odds ratio as training.c documents: damped by training.or_damping. */
static double odds(const double *p, double prob, double odds_ratio)
{
    double o = pow(odds_ratio, p[QP_TRAINING_OR_DAMPING]);
    return o * prob / (1.0 - prob + o * prob);
}

static void training_conversion_by_support(void **state)
{
    (void)state;
    enum { ARMS = 5 };
    qisim_world *w = make_world(62, ARMS, 100, 20);
    qisim_err err;
    only(w, QP_TRAINING_ON, -1);
    const double *p = w->params.v;
    /* 0 course alone; 1 with coaching for all; 2 with a project; 3 interprofessional; 4 awareness */
    for (int32_t k = 0; k < ARMS; k++) {
        w->trusts[k].board_commitment = 0.5; /* full air cover */
        set_qi_time(w, k, p[QP_TRAINING_TIME_NEEDED]);
        assert_int_equal(qisim_training_enrol(w, k, k == 4 ? QISIM_TIER_AWARENESS : QISIM_TIER_PRACTITIONER, 0, 1.0,
                                              k == 2, k == 3, &err),
                         QISIM_OK);
    }
    int32_t n = w->trusts[0].n_staff;
    int32_t caseload = (int32_t)p[QP_TRAINING_COACH_CASELOAD];
    assert_int_equal(qisim_training_set_coaches(w, 1, (n + caseload - 1) / caseload, &err), QISIM_OK);
    qisim_training_step(w);
    assert_int_equal(count_coached(w, 1), n);
    double c = p[QP_TRAINING_CONVERSION];
    double expect[ARMS] = {
        c,
        odds(p, c, p[QP_TRAINING_OR_COACHING]),
        odds(p, c, p[QP_TRAINING_OR_PROJECT]),
        odds(p, c, p[QP_TRAINING_OR_INTERPROFESSIONAL]),
        c * p[QP_TRAINING_AWARENESS_FACTOR],
    };
    int32_t converted[ARMS];
    for (int32_t k = 0; k < ARMS; k++) {
        converted[k] = count_practising(w, k);
        assert_binomial(converted[k], n, expect[k]);
    }
    assert_true(converted[1] > converted[0]);
    assert_true(converted[2] > converted[0]);
    assert_true(converted[3] > converted[0]);
    assert_true(converted[4] < converted[0]);
    qisim_world_free(w);
}

static void training_conversion_fades_after_the_course(void **state)
{
    (void)state;
    qisim_world *w = make_world(63, 2, 100, 20);
    qisim_err err;
    const double *p = w->params.v;
    for (int32_t k = 0; k < 2; k++) {
        w->trusts[k].board_commitment = 0.5;
        set_qi_time(w, k, p[QP_TRAINING_TIME_NEEDED]);
        assert_int_equal(qisim_training_enrol(w, k, QISIM_TIER_PRACTITIONER, 0, 1.0, false, false, &err), QISIM_OK);
    }
    /* trust 1 took its course 20 weeks ago */
    const qisim_trust *tr = &w->trusts[1];
    for (int32_t i = tr->first_staff; i < tr->first_staff + tr->n_staff; i++)
        w->staff.since_training[i] = 20;
    qisim_training_step(w);
    int32_t n = tr->n_staff;
    double c = p[QP_TRAINING_CONVERSION];
    assert_binomial(count_practising(w, 0), n, c);
    assert_binomial(count_practising(w, 1), n, c * exp(-20.0 / p[QP_TRAINING_CONVERSION_WEEKS]));
    assert_true(count_practising(w, 1) < count_practising(w, 0));
    qisim_world_free(w);
}

static void training_no_time_no_conversion(void **state)
{
    (void)state;
    qisim_world *w = make_world(64, 1, 50, 20);
    qisim_err err;
    w->trusts[0].board_commitment = 1.0;
    set_qi_time(w, 0, 0.0);
    assert_int_equal(qisim_training_enrol(w, 0, QISIM_TIER_EXPERT, 0, 1.0, true, true, &err), QISIM_OK);
    assert_int_equal(qisim_training_set_coaches(w, 0, 100, &err), QISIM_OK);
    for (int week = 0; week < 20; week++)
        qisim_training_step(w);
    assert_int_equal(count_practising(w, 0), 0);
    assert_true(count_coached(w, 0) > 0); /* coached, trained, with a project: still no time */
    qisim_world_free(w);
}

static void training_coaching_keeps_practice(void **state)
{
    (void)state;
    qisim_world *w = make_world(65, 2, 100, 20);
    const double *p = w->params.v;
    w->params.v[QP_TRAINING_DROP] = 0.2; /* enough stops in one week to measure */
    uint16_t weeks = (uint16_t)p[QP_TRAINING_COACHING_WEEKS];
    for (int32_t k = 0; k < 2; k++) {
        set_qi_time(w, k, p[QP_TRAINING_TIME_NEEDED]);
        w->trusts[k].strategy = QISIM_STRATEGY_QI; /* both support QI, so peers retain in full */
        const qisim_trust *tr = &w->trusts[k];
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++)
            practise(w, t, w->teams[t].n_staff, QISIM_TIER_PRACTITIONER);
        for (int32_t i = tr->first_staff; i < tr->first_staff + tr->n_staff; i++) {
            w->staff.strain[i] = 0.0f;
            w->staff.since_training[i] = 0;
            w->staff.support_weeks[i] = k == 0 ? weeks : 0; /* trust 0 is coached */
        }
    }
    qisim_world_aggregate(w);
    qisim_training_step(w);
    int32_t n = w->trusts[0].n_staff;
    /* everyone practises: the credible core removes training.peer_retention of the rate */
    double drop = p[QP_TRAINING_DROP] * (1.0 - p[QP_TRAINING_PEER_RETENTION]);
    int32_t stopped[2] = {n - count_practising(w, 0), n - count_practising(w, 1)};
    assert_binomial(stopped[0], n, drop * (1.0 - p[QP_TRAINING_SUPPORT_RETENTION]));
    assert_binomial(stopped[1], n, drop);
    assert_true(stopped[0] < stopped[1]);
    assert_int_equal(w->staff.support_weeks[w->trusts[0].first_staff], weeks - 1);
    qisim_world_free(w);
}

/* Practice the organisation no longer supports (no QI strategy, protected time, coaches or
 * central team) is held by peers only as far as it was reinforced: a member whose practice was
 * never reinforced loses all of training.peer_retention, one reinforced for half of
 * training.reinforce_weeks half of it, while in a trust that supports QI peers retain in full.
 * Reinforced weeks count up only while supported, and a lapse clears them. */
static void training_unsupported_practice_lapses_unless_reinforced(void **state)
{
    (void)state;
    qisim_world *w = make_world(67, 3, 100, 20);
    const double *p = w->params.v;
    w->params.v[QP_TRAINING_DROP] = 0.2; /* enough stops in one week to measure */
    uint16_t half = (uint16_t)(p[QP_TRAINING_REINFORCE_WEEKS] / 2);
    for (int32_t k = 0; k < 3; k++) {
        set_qi_time(w, k, p[QP_TRAINING_TIME_NEEDED]);
        const qisim_trust *tr = &w->trusts[k];
        assert_int_equal(tr->coaches + tr->central_team, 0);
        assert_close(tr->protected_time, 0.0, 0.0);
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++)
            practise(w, t, w->teams[t].n_staff, QISIM_TIER_PRACTITIONER);
        for (int32_t i = tr->first_staff; i < tr->first_staff + tr->n_staff; i++) {
            w->staff.strain[i] = 0.0f;
            w->staff.since_training[i] = 0;
            w->staff.reinforced[i] = k == 2 ? half : 0;
        }
    }
    w->trusts[0].strategy = QISIM_STRATEGY_QI; /* trust 0 supports QI; trusts 1 and 2 do not */
    assert_int_not_equal(w->trusts[1].strategy, QISIM_STRATEGY_QI);
    qisim_world_aggregate(w);
    qisim_training_step(w);
    int32_t n = w->trusts[0].n_staff, stopped[3];
    for (int32_t k = 0; k < 3; k++)
        stopped[k] = n - count_practising(w, k);
    double drop = p[QP_TRAINING_DROP], retain = p[QP_TRAINING_PEER_RETENTION];
    assert_binomial(stopped[0], n, drop * (1.0 - retain)); /* everyone practises: a full core */
    assert_binomial(stopped[1], n, drop);
    assert_binomial(stopped[2], n, drop * (1.0 - retain / 2.0));
    assert_true(stopped[0] < stopped[2] && stopped[2] < stopped[1]);
    for (int32_t k = 0; k < 3; k++) {
        const qisim_trust *tr = &w->trusts[k];
        uint16_t kept = k == 0 ? 1 : k == 2 ? half : 0; /* supported weeks count up; unsupported ones do not */
        for (int32_t i = tr->first_staff; i < tr->first_staff + tr->n_staff; i++)
            assert_int_equal(w->staff.reinforced[i], w->staff.flags[i] & QISIM_STAFF_PRACTISING ? kept : 0);
    }
    qisim_world_free(w);
}

static void training_coaches_have_a_caseload(void **state)
{
    (void)state;
    qisim_world *w = make_world(66, 2, 100, 20);
    qisim_err err;
    const double *p = w->params.v;
    int32_t caseload = (int32_t)p[QP_TRAINING_COACH_CASELOAD], weeks = (int32_t)p[QP_TRAINING_COACHING_WEEKS];
    for (int32_t k = 0; k < 2; k++) {
        assert_int_equal(qisim_training_enrol(w, k, QISIM_TIER_PRACTITIONER, 0, 1.0, false, false, &err), QISIM_OK);
        assert_int_equal(qisim_training_set_coaches(w, k, 2, &err), QISIM_OK);
    }
    assert_int_equal(count_events(w, "coaches", 0), 1);
    /* trust 1 was trained too long ago for coaching to be offered */
    const qisim_trust *tr = &w->trusts[1];
    for (int32_t i = tr->first_staff; i < tr->first_staff + tr->n_staff; i++)
        w->staff.since_training[i] = (uint16_t)weeks;
    qisim_training_step(w);
    assert_int_equal(count_coached(w, 0), 2 * caseload);
    assert_int_equal(count_coached(w, 1), 0);
    /* coaching lasts training.coaching_weeks; recent trainees only, so it then ends (coaches
     * see last week's count of whom they coach: the aggregates, as in a real week) */
    for (int32_t week = 1; week < weeks; week++) {
        qisim_world_aggregate(w);
        qisim_training_step(w);
    }
    assert_int_equal(count_coached(w, 0), 0);
    qisim_world_aggregate(w);
    qisim_training_step(w);
    assert_int_equal(count_coached(w, 0), 0);
    qisim_world_free(w);
}

/* Train-the-trainer: practising improvement leaders coach colleagues, with no coach employed. */
static void training_leaders_coach_colleagues(void **state)
{
    (void)state;
    int32_t coached[2];
    for (int peers = 0; peers < 2; peers++) {
        qisim_world *w = make_world(68, 1, 10, 20);
        qisim_err err;
        w->params.v[QP_TRAINING_PEER_CASELOAD] = peers ? def(QP_TRAINING_PEER_CASELOAD) : 0.0;
        for (int32_t t = 0; t < 10; t++)
            practise(w, t, 2, QISIM_TIER_LEADER); /* 20 practising improvement leaders */
        qisim_world_aggregate(w);
        assert_int_equal(qisim_training_enrol(w, 0, QISIM_TIER_PRACTITIONER, 0, 1.0, false, false, &err), QISIM_OK);
        qisim_training_step(w);
        coached[peers] = count_coached(w, 0);
        qisim_world_free(w);
    }
    assert_int_equal(coached[0], 0);
    assert_int_equal(coached[1], (int32_t)lround(20 * def(QP_TRAINING_PEER_CASELOAD)));
}

/* Members of trust k at `tier`, in post. */
static int32_t count_tier(const qisim_world *w, int32_t k, int tier)
{
    const qisim_trust *tr = &w->trusts[k];
    int32_t n = 0;
    for (int32_t i = tr->first_staff; i < tr->first_staff + tr->n_staff; i++)
        n += !(w->staff.flags[i] & QISIM_STAFF_VACANT) && w->staff.tier[i] == tier;
    return n;
}

/* Train-the-trainer from within: in trust 0, which runs it, experienced practising practitioners
 * in teams carrying a project step up to the leader tier at training.step_up a week, and never
 * before training.step_up_weeks or outside such a team; trust 1, which does not, and trust 0
 * with training.step_up = 0 grow no leaders. */
static void training_practitioners_step_up_to_coach(void **state)
{
    (void)state;
    for (int knocked_out = 0; knocked_out < 2; knocked_out++) {
        qisim_world *w = make_world(69, 2, 50, 20);
        qisim_err err;
        const double *p = w->params.v;
        w->params.v[QP_TRAINING_STEP_UP] = knocked_out ? 0.0 : 0.2; /* enough in one week to measure */
        uint16_t experience = (uint16_t)p[QP_TRAINING_STEP_UP_WEEKS];
        for (int32_t k = 0; k < 2; k++) {
            for (int32_t t = 0; t < 50; t++) {
                qisim_team *team = team_of(w, k, t);
                practise(w, w->trusts[k].first_team + t, 16, QISIM_TIER_PRACTITIONER);
                for (int32_t i = team->first_staff; i < team->first_staff + 16; i++)
                    w->staff.since_training[i] = (uint16_t)(i % 2 ? experience : experience - 1); /* half too recent */
                if (t < 25)
                    set_project(w, k, t, 0, QISIM_PROJECT_ACTIVE); /* half the teams carry a project */
            }
        }
        assert_int_equal(qisim_training_set_trainers(w, 0, true, &err), QISIM_OK);
        assert_true(w->trusts[0].trains_trainers && !w->trusts[1].trains_trainers);
        qisim_world_aggregate(w);
        qisim_training_step(w);
        int32_t leaders = count_tier(w, 0, QISIM_TIER_LEADER);
        if (knocked_out) {
            assert_int_equal(leaders, 0);
        } else {
            assert_true(leaders > 0);
            assert_binomial(leaders, 25 * 8, p[QP_TRAINING_STEP_UP]); /* 8 experienced members in 25 teams */
            for (int32_t t = 25; t < 50; t++) /* no project, no step up */
                for (int32_t i = team_of(w, 0, t)->first_staff; i < team_of(w, 0, t)->first_staff + 20; i++)
                    assert_int_not_equal(w->staff.tier[i], QISIM_TIER_LEADER);
            for (int32_t i = w->trusts[0].first_staff; i < w->trusts[0].first_staff + w->trusts[0].n_staff; i++)
                if (w->staff.tier[i] == QISIM_TIER_LEADER)
                    assert_int_equal(i % 2, 1); /* only the experienced */
        }
        assert_int_equal(count_tier(w, 1, QISIM_TIER_LEADER), 0);
        qisim_world_free(w);
    }
}

/* Critical mass of train-the-trainer: in teams that all carry a project, an experienced
 * practising practitioner steps up only with at least training.step_up_core practising
 * colleagues in the team, so step-ups per practising member are nil in sparse teams and
 * training.step_up in dense ones: the loop's gain rises with density. With training.step_up_core
 * = 0 sparse teams step up alike. The draws come from the trainers stream: the training stream
 * is where it would be with train-the-trainer off. */
static void training_step_up_needs_a_core(void **state)
{
    (void)state;
    enum { GROUPS = 5, PER_GROUP = 40 }; /* PER_GROUP teams with 1, 2, ... GROUPS practising */
    for (int core = 0; core < 2; core++) {
        qisim_rng training_after[2];
        for (int on = 0; on < 2; on++) {
            qisim_world *w = make_world(71, 1, GROUPS * PER_GROUP, 20);
            qisim_err err;
            const double *p = w->params.v;
            w->params.v[QP_TRAINING_STEP_UP] = 0.2; /* enough in one week to measure */
            if (!core)
                w->params.v[QP_TRAINING_STEP_UP_CORE] = 0.0;
            int32_t needed = (int32_t)p[QP_TRAINING_STEP_UP_CORE];
            assert_true(!core || needed >= 1); /* the default asks for a core */
            for (int32_t t = 0; t < GROUPS * PER_GROUP; t++) {
                qisim_team *team = team_of(w, 0, t);
                practise(w, w->trusts[0].first_team + t, 1 + t / PER_GROUP, QISIM_TIER_PRACTITIONER);
                for (int32_t i = team->first_staff; i < team->first_staff + team->n_staff; i++)
                    w->staff.since_training[i] = (uint16_t)p[QP_TRAINING_STEP_UP_WEEKS];
                set_project(w, 0, t, 0, QISIM_PROJECT_ACTIVE);
            }
            assert_int_equal(qisim_training_set_trainers(w, 0, on, &err), QISIM_OK);
            qisim_world_aggregate(w);
            qisim_training_step(w);
            training_after[on] = w->rng[QISIM_STREAM_TRAINING];
            for (int g = 0; g < GROUPS; g++) {
                int32_t practising = g + 1, leaders = 0;
                for (int32_t t = g * PER_GROUP; t < (g + 1) * PER_GROUP; t++) {
                    const qisim_team *team = team_of(w, 0, t);
                    for (int32_t i = team->first_staff; i < team->first_staff + team->n_staff; i++)
                        leaders += w->staff.tier[i] == QISIM_TIER_LEADER;
                }
                if (!on || (core && practising - 1 < needed))
                    assert_int_equal(leaders, 0); /* alone, or with too few colleagues: no trainer */
                else {
                    assert_true(leaders > 0);
                    assert_binomial(leaders, PER_GROUP * practising, p[QP_TRAINING_STEP_UP]);
                }
            }
            qisim_world_free(w);
        }
        assert_memory_equal(&training_after[0], &training_after[1], sizeof training_after[0]);
    }
}

/* Train-the-trainer passes skills on: each practising leader of a trust that runs it teaches
 * untrained colleagues of their own team training.trainer_places practitioner places a year,
 * booked as courses (cost and course days); none in a trust that does not, and none with
 * training.trainer_places = 0. */
static void training_leaders_teach_their_teams(void **state)
{
    (void)state;
    qisim_world *w = make_world(70, 2, 50, 40);
    qisim_err err;
    const double *p = w->params.v;
    w->params.v[QP_TRAINING_DROP] = 0.0; /* the leaders keep practising */
    w->params.v[QP_TRAINING_STEP_UP] = 0.0;
    for (int32_t k = 0; k < 2; k++)
        for (int32_t t = 0; t < 50; t++)
            practise(w, w->trusts[k].first_team + t, t < 25 ? 1 : 0, QISIM_TIER_LEADER); /* a leader in half the teams */
    for (int32_t k = 0; k < 2; k++)
        assert_int_equal(qisim_training_set_trainers(w, k, true, &err), QISIM_OK);
    assert_int_equal(qisim_training_set_trainers(w, 1, false, &err), QISIM_OK);
    int weeks = 26;
    for (int week = 0; week < weeks; week++) {
        qisim_world_aggregate(w);
        qisim_training_step(w);
    }
    int32_t taught = count_tier(w, 0, QISIM_TIER_PRACTITIONER);
    assert_binomial(taught, 25 * weeks, p[QP_TRAINING_TRAINER_PLACES] / 52.0); /* under one place a week each */
    for (int32_t t = 25; t < 50; t++) /* leaders teach their own team */
        for (int32_t i = team_of(w, 0, t)->first_staff; i < team_of(w, 0, t)->first_staff + 40; i++)
            assert_int_equal(w->staff.tier[i], QISIM_TIER_NONE);
    assert_true(w->trusts[0].qi_spend_pending >= taught * p[QP_OUTCOMES_COST_PRACTITIONER] - 1e-6);
    assert_true(count_events(w, "train_the_trainer", 0) > 0);
    assert_int_equal(count_tier(w, 1, QISIM_TIER_PRACTITIONER), 0);
    /* with no places to teach, nobody more is trained */
    w->params.v[QP_TRAINING_TRAINER_PLACES] = 0.0;
    qisim_world_aggregate(w);
    qisim_training_step(w);
    assert_int_equal(count_tier(w, 0, QISIM_TIER_PRACTITIONER), taught);
    assert_int_equal(qisim_training_set_trainers(w, 99, true, &err), QISIM_EINVAL);
    qisim_world_free(w);
}

static void training_coaching_frees_leavers_places(void **state)
{
    (void)state;
    qisim_world *w = make_world(67, 1, 100, 20);
    qisim_err err;
    assert_int_equal(qisim_training_enrol(w, 0, QISIM_TIER_PRACTITIONER, 0, 1.0, false, false, &err), QISIM_OK);
    assert_int_equal(qisim_training_set_coaches(w, 0, 1, &err), QISIM_OK);
    qisim_training_step(w);
    int32_t caseload = (int32_t)w->params.v[QP_TRAINING_COACH_CASELOAD];
    assert_int_equal(count_coached(w, 0), caseload);
    for (int32_t i = 0; i < w->n_staff; i++)
        if (w->staff.support_weeks[i] > 0)
            w->staff.flags[i] = QISIM_STAFF_VACANT; /* they leave, as workforce.c records it */
    qisim_training_step(w);
    assert_int_equal(count_coached(w, 0), caseload); /* the coach takes on others */
    qisim_world_free(w);
}

/* ---- 6 spread ------------------------------------------------------------------------------------ */

static void spread_needs_exposure(void **state)
{
    (void)state;
    qisim_world *w = make_world(71, 1, 50, 20);
    only(w, QP_SPREAD_ON, -1);
    w->trusts[0].strategy = QISIM_STRATEGY_QI;
    set_qi_time(w, 0, w->params.v[QP_TRAINING_TIME_NEEDED]);
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.knowhow[i] = i % 2 ? 0.5f : 0.0f;
    for (int week = 0; week < 52; week++)
        step(w);
    /* complex contagion: with nobody practising, nobody is exposed and nobody learns */
    assert_int_equal(count_practising(w, 0), 0);
    for (int32_t i = 0; i < w->n_staff; i++)
        assert_true(w->staff.knowhow[i] == (i % 2 ? 0.5f : 0.0f));
    qisim_world_free(w);
}

static void spread_adopts_when_threshold_met(void **state)
{
    (void)state;
    qisim_world *w = make_world(72, 1, 200, 20);
    const double *p = w->params.v;
    double exposure = half_practising(w, 200, 20);
    /* even teams: thresholds just met; odd teams: just missed */
    int32_t eligible = 0;
    for (int32_t t = 0; t < 200; t++) {
        const qisim_team *team = &w->teams[t];
        for (int32_t i = team->first_staff + 10; i < team->first_staff + 20; i++)
            w->staff.threshold[i] = (float)(exposure * (t % 2 ? 1.1 : 0.9));
        eligible += t % 2 ? 0 : 10;
    }
    int32_t before = count_practising(w, 0);
    qisim_spread_step(w);
    int32_t adopted[2] = {0, 0};
    for (int32_t t = 0; t < 200; t++) {
        const qisim_team *team = &w->teams[t];
        for (int32_t i = team->first_staff + 10; i < team->first_staff + 20; i++)
            adopted[t % 2] += (w->staff.flags[i] & QISIM_STAFF_PRACTISING) != 0;
    }
    assert_int_equal(count_practising(w, 0), before + adopted[0] + adopted[1]);
    assert_binomial(adopted[0], eligible, p[QP_SPREAD_RATE]);
    assert_true(adopted[0] > 0);
    assert_int_equal(adopted[1], 0);
    /* no QI time: nothing to catch */
    set_qi_time(w, 0, 0.0);
    for (int32_t t = 0; t < 200; t += 2) {
        const qisim_team *team = &w->teams[t];
        for (int32_t i = team->first_staff + 10; i < team->first_staff + 20; i++)
            w->staff.flags[i] &= (uint8_t)~QISIM_STAFF_PRACTISING;
    }
    for (int week = 0; week < 10; week++)
        qisim_spread_step(w);
    assert_int_equal(count_practising(w, 0), before);
    qisim_world_free(w);
}

/* Adopters in one week of spread in a world of 200 teams of 20 with `practising` members of
 * each practising (opinion leaders if `leaders`), under a national programme (`national`: 0
 * none, 1 mandated, 2 peer-led). spread.rate is 1, so adoption follows the thresholds alone:
 * checks that exactly the members whose framed threshold the exposure meets adopt. The seed,
 * and so every threshold, is common to every arm. */
static int32_t spread_arm(int national, int32_t practising, bool leaders)
{
    qisim_world *w = make_world(73, 1, 200, 20);
    qisim_err err;
    w->params.v[QP_SPREAD_RATE] = 1.0;
    w->trusts[0].strategy = QISIM_STRATEGY_QI;
    set_qi_time(w, 0, w->params.v[QP_TRAINING_TIME_NEEDED]);
    for (int32_t t = 0; t < 200; t++) {
        practise(w, t, practising, QISIM_TIER_PRACTITIONER);
        for (int32_t i = w->teams[t].first_staff; leaders && i < w->teams[t].first_staff + practising; i++)
            w->staff.flags[i] |= QISIM_STAFF_OPINION_LEADER;
    }
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.knowhow[i] = 0.5f;
    if (national)
        assert_int_equal(qisim_shocks_national_programme(w, 10, national == 1, &err), QISIM_OK);
    qisim_world_aggregate(w);
    /* exposure: the team's share, opinion leaders counted spread.opinion_leader_weight times
     * (and as many in the pool, at their staff share among the others), and the trust's share */
    const double *p = w->params.v;
    double olw = p[QP_SPREAD_OPINION_LEADER_WEIGHT], lateral = p[QP_SPREAD_LATERAL];
    double n_leaders = leaders ? practising : 0.0;
    double team_share = (practising + (olw - 1.0) * n_leaders) /
                        (20.0 + (olw - 1.0) * (n_leaders + p[QP_BUILD_OPINION_LEADER_SHARE] * (20 - practising)));
    double exposure = (1.0 - lateral - p[QP_SPREAD_PEER_ORGS]) * team_share + lateral * practising / 20.0;
    double framing = national == 1 ? 1.0 + p[QP_SPREAD_MANDATE_FRAMING]
                     : national == 2 ? 1.0 - p[QP_SPREAD_PEER_LED_FRAMING]
                                     : 1.0;
    int32_t expected = 0;
    for (int32_t i = 0; i < w->n_staff; i++)
        expected += !(w->staff.flags[i] & QISIM_STAFF_PRACTISING) && exposure >= framing * (double)w->staff.threshold[i];
    int32_t before = count_practising(w, 0);
    qisim_spread_step(w);
    int32_t adopted = count_practising(w, 0) - before;
    assert_int_equal(adopted, expected);
    qisim_world_free(w);
    return adopted;
}

static void spread_mandate_slows_peer_led_speeds(void **state)
{
    (void)state;
    int32_t none = spread_arm(0, 10, false), mandated = spread_arm(1, 10, false), peer_led = spread_arm(2, 10, false);
    assert_true(mandated < none);
    assert_true(peer_led > none);
    assert_true(none > 100);
}

static void spread_opinion_leaders_speed_it(void **state)
{
    (void)state;
    int32_t plain = spread_arm(0, 4, false), leaders = spread_arm(0, 4, true);
    assert_true(leaders > plain);
}

static void spread_peers_teach_knowhow(void **state)
{
    (void)state;
    qisim_world *w = make_world(74, 1, 10, 20);
    const double *p = w->params.v;
    set_qi_time(w, 0, p[QP_TRAINING_TIME_NEEDED]);
    for (int32_t t = 0; t < 10; t++)
        practise(w, t, t % 2 ? 10 : 0, QISIM_TIER_PRACTITIONER);
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.knowhow[i] = 0.0f;
    qisim_world_aggregate(w);
    qisim_spread_step(w);
    double learn = p[QP_SPREAD_INFORMAL_LEARNING] * p[QP_SPREAD_KNOWHOW_MIN] * 0.5;
    for (int32_t t = 0; t < 10; t++) {
        const qisim_team *team = &w->teams[t];
        int32_t i = team->first_staff + 15; /* not practising */
        assert_close((double)w->staff.knowhow[i], t % 2 ? learn : 0.0, 1e-7);
    }
    qisim_world_free(w);
}

/* ---- 7 projects ---------------------------------------------------------------------------------- */

/* A trust whose teams all practise (skilled, permanent), with full air cover, a safe climate
 * and enough QI time: ready to run projects. */
static qisim_world *ready_world(uint64_t seed, int32_t trusts, int32_t teams)
{
    qisim_world *w = make_world(seed, trusts, teams, 10);
    const double *p = w->params.v;
    for (int32_t k = 0; k < trusts; k++) {
        w->trusts[k].board_commitment = p[QP_PROJECTS_PERMISSION_FULL];
        w->trusts[k].style = 1.0;
        set_qi_time(w, k, p[QP_TRAINING_TIME_NEEDED]);
        for (int32_t t = 0; t < teams; t++) {
            team_of(w, k, t)->psych_safety = p[QP_PROJECTS_SAFETY_FULL];
            practise(w, w->trusts[k].first_team + t, 10, QISIM_TIER_PRACTITIONER);
        }
    }
    qisim_world_aggregate(w);
    return w;
}

static int32_t count_projects(const qisim_world *w, int32_t trust, int state)
{
    const qisim_trust *tr = &w->trusts[trust];
    int32_t n = 0;
    for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++)
        for (int s = 0; s < QISIM_MAX_PROJECTS; s++)
            n += qisim_team_projects(w, t)[s].state == state;
    return n;
}

static void projects_need_a_practising_core(void **state)
{
    (void)state;
    qisim_world *w = ready_world(81, 3, 200);
    int32_t core = (int32_t)w->params.v[QP_PROJECTS_CORE];
    for (int32_t i = 0; i < w->n_staff; i++) {
        w->staff.flags[i] &= (uint8_t)~QISIM_STAFF_PRACTISING;
        w->staff.tier[i] = QISIM_TIER_NONE;
    }
    for (int32_t t = 0; t < 200; t++) {
        practise(w, w->trusts[0].first_team + t, core - 1, QISIM_TIER_EXPERT); /* skilled, too few */
        practise(w, w->trusts[1].first_team + t, 10, QISIM_TIER_NONE);        /* many, none skilled */
        practise(w, w->trusts[2].first_team + t, core, QISIM_TIER_PRACTITIONER);
    }
    qisim_world_aggregate(w);
    for (int week = 0; week < 20; week++)
        qisim_projects_step(w);
    assert_int_equal(w->trusts[0].stats.projects_started, 0);
    assert_int_equal(w->trusts[1].stats.projects_started, 0);
    assert_true(w->trusts[2].stats.projects_started > 0);
    qisim_world_free(w);
}

static void projects_start_when_ready(void **state)
{
    (void)state;
    qisim_world *w = ready_world(82, 2, 400);
    const double *p = w->params.v;
    w->trusts[1].board_commitment = 0.5 * p[QP_PROJECTS_PERMISSION_FULL]; /* half the air cover */
    qisim_projects_step(w);
    /* every member is skilled: 1 + skilled/present = 2 */
    double start = p[QP_PROJECTS_START] * 2.0;
    assert_binomial(w->trusts[0].stats.projects_started, 400, start);
    assert_binomial(w->trusts[1].stats.projects_started, 400, 0.5 * start);
    assert_int_equal(count_projects(w, 0, QISIM_PROJECT_ACTIVE), w->trusts[0].stats.projects_started);
    qisim_world_free(w);
}

/* Puts one active project of effect `effect` in every team of the trust. */
static void seed_projects(qisim_world *w, int32_t trust, double effect)
{
    for (int32_t t = 0; t < w->trusts[trust].n_teams; t++) {
        qisim_project *pr = set_project(w, trust, t, 0, QISIM_PROJECT_NONE);
        memset(pr, 0, sizeof *pr);
        set_project(w, trust, t, 0, QISIM_PROJECT_ACTIVE);
        pr->topic = QISIM_TOPIC_RELIABILITY;
        pr->effect = effect;
    }
}

static double get_reliability(const qisim_team *t) { return t->reliability; }
static double get_base_reliability(const qisim_team *t) { return t->base_reliability; }

static void projects_complete_and_raise_reliability(void **state)
{
    (void)state;
    enum { N = 400 };
    qisim_world *w = ready_world(83, 1, N);
    const double *p = w->params.v;
    w->params.v[QP_PROJECTS_START] = 0.0; /* only the seeded projects */
    double effect = 0.02;
    seed_projects(w, 0, effect);
    /* a full skilled team, enough time, no support: cycles at pace x data */
    double pace = p[QP_PROJECTS_PACE] * (1.0 - p[QP_PROJECTS_DATA_PACE] * (1.0 - w->trusts[0].data_maturity));
    int cycles = (int)p[QP_PROJECTS_CYCLES];
    int weeks = (int)ceil(cycles / pace - 1e-9);
    for (int week = 1; week < weeks; week++)
        qisim_projects_step(w);
    assert_int_equal(w->trusts[0].stats.projects_completed, 0);
    qisim_projects_step(w);
    assert_int_equal(w->trusts[0].stats.projects_completed, N); /* a good change is never dropped */
    assert_int_equal(count_projects(w, 0, QISIM_PROJECT_SUSTAINING), N);
    assert_close(w->trusts[0].wins, 1.0, 1e-12); /* one adopted change per team, this week */
    /* each properly done cycle refines the change by projects.refine */
    double f = p[QP_PROJECTS_FIDELITY], r = p[QP_PROJECTS_REFINE];
    double mean = effect * pow(1.0 + r * f, cycles);
    double second = effect * effect * pow(1.0 - f + f * (1.0 + r) * (1.0 + r), cycles);
    double sum = 0.0;
    for (int32_t t = 0; t < N; t++) {
        const qisim_project *pr = &qisim_team_projects(w, t)[0];
        assert_close(pr->gain, pr->effect, 0.0);
        assert_true(pr->gain >= effect);
        sum += pr->gain;
    }
    assert_close(sum / N, mean, 4.0 * sqrt((second - mean * mean) / N));
    /* outcomes adds what sustained changes bring to the week-0 reliability */
    qisim_outcomes_step(w);
    for (int32_t t = 0; t < N; t++)
        assert_close(w->teams[t].reliability, w->teams[t].base_reliability + qisim_team_projects(w, t)[0].gain, 1e-6);
    assert_close(team_mean(w, 0, get_reliability) - team_mean(w, 0, get_base_reliability), sum / N, 1e-6);
    qisim_world_free(w);
}

static void projects_catch_harm_with_fidelity(void **state)
{
    (void)state;
    enum { N = 400 };
    qisim_world *w = ready_world(84, 2, N);
    const double *p = w->params.v;
    w->params.v[QP_PROJECTS_START] = 0.0;
    w->trusts[1].coaches = 1; /* coaching support raises fidelity */
    seed_projects(w, 0, -0.02);
    seed_projects(w, 1, -0.02);
    for (int week = 0; week < 60; week++)
        qisim_projects_step(w);
    int cycles = (int)p[QP_PROJECTS_CYCLES];
    for (int32_t k = 0; k < 2; k++) {
        double fidelity = fmin(1.0, p[QP_PROJECTS_FIDELITY] + p[QP_PROJECTS_FIDELITY_SUPPORT] * 0.5 * k);
        const qisim_trust_stats *st = &w->trusts[k].stats;
        assert_binomial(st->projects_failed, N, 1.0 - pow(1.0 - fidelity, cycles));
        assert_int_equal(st->projects_failed + st->projects_completed, N); /* every one resolved */
    }
    assert_true(w->trusts[1].stats.projects_failed > w->trusts[0].stats.projects_failed);
    /* the harmful changes that slipped through lower reliability */
    qisim_outcomes_step(w);
    assert_true(team_mean(w, 0, get_reliability) < team_mean(w, 0, get_base_reliability));
    qisim_world_free(w);
}

static void projects_gains_need_owners(void **state)
{
    (void)state;
    enum { N = 50 };
    qisim_world *w = ready_world(85, 3, N);
    const double *p = w->params.v;
    w->params.v[QP_PROJECTS_START] = 0.0;
    /* trust 0 owns its changes; trust 1 has nobody practising; trust 2 only trainees */
    for (int32_t k = 1; k < 3; k++) {
        const qisim_trust *tr = &w->trusts[k];
        for (int32_t i = tr->first_staff; i < tr->first_staff + tr->n_staff; i++) {
            if (k == 1)
                w->staff.flags[i] &= (uint8_t)~QISIM_STAFF_PRACTISING;
            else
                w->staff.role[i] = QISIM_ROLE_TRAINEE;
        }
    }
    qisim_world_aggregate(w);
    double effect = 0.02;
    for (int32_t k = 0; k < 3; k++)
        for (int32_t t = 0; t < N; t++) {
            qisim_project *pr = set_project(w, k, t, 0, QISIM_PROJECT_SUSTAINING);
            pr->topic = QISIM_TOPIC_RELIABILITY;
            pr->effect = pr->gain = effect;
        }
    int sustain = (int)p[QP_PROJECTS_SUSTAIN_WEEKS];
    double decay = 1.0 / p[QP_PROJECTS_DECAY_WEEKS], standard = 1.0 / (p[QP_PROJECTS_STANDARD_DECAY_YEARS] * 52.0);
    for (int week = 1; week < sustain; week++)
        qisim_projects_step(w);
    assert_int_equal(count_projects(w, 0, QISIM_PROJECT_SUSTAINING), N);
    assert_close(projects_of(w, 0, 0)[0].gain, effect, 0.0);
    qisim_projects_step(w);
    /* owned: standard work after projects.sustain_weeks, eroding only slowly */
    assert_int_equal(count_projects(w, 0, QISIM_PROJECT_SUSTAINING), 0);
    assert_close(team_of(w, 0, 0)->gains, effect * (1.0 - standard), 1e-12);
    /* not owned: decays every week and never becomes standard work */
    double left = pow(1.0 - decay, sustain);
    for (int32_t k = 1; k < 3; k++) {
        const qisim_team *team = team_of(w, k, 0);
        assert_close(team->gains, 0.0, 0.0);
        if (left >= 0.1)
            assert_close(projects_of(w, k, 0)[0].gain, effect * left, 1e-12);
    }
    for (int week = 0; week < 4 * (int)p[QP_PROJECTS_DECAY_WEEKS]; week++)
        qisim_projects_step(w);
    for (int32_t k = 1; k < 3; k++) {
        assert_int_equal(count_projects(w, k, QISIM_PROJECT_SUSTAINING), 0); /* faded away */
        assert_close(team_of(w, k, 0)->gains, 0.0, 0.0);
    }
    assert_close(team_of(w, 0, 0)->gains, effect * pow(1.0 - standard, 1 + 4 * (int)p[QP_PROJECTS_DECAY_WEEKS]), 1e-12);
    qisim_world_free(w);
}

static void projects_without_practitioners_are_dropped(void **state)
{
    (void)state;
    enum { N = 400 };
    qisim_world *w = ready_world(86, 1, N);
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.flags[i] &= (uint8_t)~QISIM_STAFF_PRACTISING;
    qisim_world_aggregate(w);
    seed_projects(w, 0, 0.02);
    qisim_projects_step(w);
    assert_binomial(w->trusts[0].stats.projects_failed, N, 1.0 / w->params.v[QP_PROJECTS_DECAY_WEEKS]);
    for (int32_t t = 0; t < N; t++)
        assert_close(qisim_team_projects(w, t)[0].progress, 0.0, 0.0); /* nobody to run a cycle */
    qisim_world_free(w);
}

static void projects_overload_slows_them(void **state)
{
    (void)state;
    qisim_world *w = ready_world(87, 1, 2);
    const double *p = w->params.v;
    w->params.v[QP_PROJECTS_START] = 0.0;
    int max_active = (int)p[QP_PROJECTS_MAX_ACTIVE];
    for (int s = 0; s < 2 * max_active; s++) {
        qisim_project *pr = &qisim_team_projects(w, 1)[s];
        qisim_project_set_state(&w->teams[1], pr, QISIM_PROJECT_ACTIVE);
        pr->effect = 0.01;
    }
    qisim_project_set_state(&w->teams[0], &qisim_team_projects(w, 0)[0], QISIM_PROJECT_ACTIVE);
    qisim_team_projects(w, 0)[0].effect = 0.01;
    qisim_projects_step(w);
    assert_close(w->teams[0].overload, 0.0, 0.0);
    assert_close(w->teams[1].overload, max_active, 0.0);
    /* twice the projects a team can carry: each goes at half the pace */
    assert_close(qisim_team_projects(w, 1)[0].progress, 0.5 * qisim_team_projects(w, 0)[0].progress, 1e-12);
    assert_true(qisim_team_projects(w, 0)[0].progress > 0.0);
    qisim_world_free(w);
}

static void projects_support_keeps_to_the_portfolio(void **state)
{
    (void)state;
    enum { N = 400 };
    qisim_world *w = ready_world(88, 2, N);
    const double *p = w->params.v;
    w->trusts[1].coaches = 1;
    int max_active = (int)p[QP_PROJECTS_MAX_ACTIVE];
    for (int32_t k = 0; k < 2; k++)
        for (int32_t t = 0; t < N; t++)
            for (int s = 0; s < max_active; s++) {
                qisim_project *pr = set_project(w, k, t, s, QISIM_PROJECT_ACTIVE);
                pr->effect = 0.01;
            }
    qisim_projects_step(w);
    /* unsupported teams over-commit at the usual rate; coached ones keep to what they can carry */
    assert_binomial(w->trusts[0].stats.projects_started, N, p[QP_PROJECTS_START] * 2.0);
    assert_true(w->trusts[0].stats.projects_started > 0);
    assert_int_equal(w->trusts[1].stats.projects_started, 0);
    qisim_world_free(w);
}

/* ---- 8 data -------------------------------------------------------------------------------------- */

static void data_maturity_follows_investment(void **state)
{
    (void)state;
    qisim_world *w = make_world(91, 3, 4, 10);
    qisim_err err;
    const double *p = w->params.v;
    double m0 = w->trusts[0].data_maturity;
    assert_int_equal(qisim_data_invest(w, 0, 0.4, &err), QISIM_OK);
    assert_int_equal(count_events(w, "data_investment", 0), 1);
    double per_unit = p[QP_DATA_COST_PER_UNIT] * w->trusts[0].n_staff / 1000.0;
    assert_close(w->trusts[0].data_target, m0 + 0.4, 1e-12);
    assert_close(w->trusts[0].qi_spend_pending, 0.4 * per_unit, 1e-6);
    /* the target cannot pass 1, and only what it buys is paid for */
    assert_int_equal(qisim_data_invest(w, 1, 1.0, &err), QISIM_OK);
    assert_close(w->trusts[1].data_target, 1.0, 0.0);
    assert_close(w->trusts[1].qi_spend_pending, (1.0 - m0) * per_unit, 1e-6);
    int weeks = 52;
    for (int week = 0; week < weeks; week++)
        qisim_data_step(w);
    double keep = pow(1.0 - 1.0 / p[QP_DATA_BUILD_WEEKS], weeks);
    assert_close(w->trusts[0].data_maturity, m0 + 0.4 - 0.4 * keep, 1e-9);
    assert_close(w->trusts[1].data_maturity, 1.0 - (1.0 - m0) * keep, 1e-9);
    assert_close(w->trusts[2].data_maturity, m0, 1e-12); /* no investment, no change */
    qisim_world_free(w);
}

/* One week of full-strength audit and feedback to 400 teams whose reliability is `reliability`. */
static qisim_world *feedback_world(double reliability)
{
    qisim_world *w = make_world(92, 1, 400, 5);
    qisim_err err;
    for (int32_t t = 0; t < 400; t++) {
        w->teams[t].reliability = w->teams[t].base_reliability = reliability;
        w->teams[t].psych_safety = 0.5;
    }
    assert_int_equal(qisim_data_audit_feedback(w, 0, 10, true, true, true, true, &err), QISIM_OK);
    assert_int_equal(count_events(w, "audit_feedback", 0), 1);
    qisim_data_step(w);
    return w;
}

static void data_feedback_helps_low_performers_most(void **state)
{
    (void)state;
    qisim_world *low = feedback_world(0.45), *high = feedback_world(0.75), *top = feedback_world(0.95);
    const double *p = low->params.v;
    const qisim_trust *tr = &low->trusts[0];
    double target = p[QP_DATA_FEEDBACK_TARGET];
    double k = p[QP_DATA_FEEDBACK_RATE] * tr->feedback_strength * (0.5 + 0.5 * tr->data_maturity);
    assert_close(tr->feedback_strength, 1.0, 1e-12); /* all four amplifiers */
    int32_t improved = 0;
    double sum = 0.0;
    for (int32_t t = 0; t < 400; t++) {
        const qisim_team *a = &low->teams[t], *b = &high->teams[t];
        assert_close(a->responsiveness, b->responsiveness, 0.0); /* common random numbers */
        assert_close(a->feedback_gain, k * a->responsiveness * (target - 0.45), 1e-12);
        /* the same team closes the same share of a four times larger gap */
        assert_close(a->feedback_gain, b->feedback_gain * (target - 0.45) / (target - 0.75), 1e-12);
        assert_close(top->teams[t].feedback_gain, 0.0, 0.0); /* above the target: nothing to close */
        improved += a->feedback_gain > 0.0;
        sum += a->feedback_gain;
        /* defensive teams (negative response) lose safety; the others keep it */
        double loss = a->responsiveness < 0.0 ? p[QP_DATA_DEFENSIVE_STRAIN] * a->feedback : 0.0;
        assert_close(a->psych_safety, 0.5 - loss, 1e-12);
    }
    /* responsiveness = exp(sigma z) - shift: positive unless z < log(shift) / sigma */
    double sigma = p[QP_DATA_RESPONSIVENESS_SIGMA], shift = p[QP_DATA_RESPONSIVENESS_SHIFT];
    assert_binomial(improved, 400, 0.5 * erfc(log(shift) / (sigma * sqrt(2.0))));
    assert_true(improved < 400); /* some teams respond defensively */
    assert_true(sum > 0.0);      /* on average reliability rises */
    qisim_world_free(low);
    qisim_world_free(high);
    qisim_world_free(top);
}

static void data_feedback_ends_and_fades(void **state)
{
    (void)state;
    qisim_world *w = make_world(93, 1, 40, 5);
    qisim_err err;
    const double *p = w->params.v;
    for (int32_t t = 0; t < 40; t++) {
        w->teams[t].reliability = 0.5;
        practise(w, t, t % 2 ? 0 : 2, QISIM_TIER_PRACTITIONER); /* even teams practise QI */
    }
    qisim_world_aggregate(w);
    assert_int_equal(qisim_data_audit_feedback(w, 0, 4, false, false, false, false, &err), QISIM_OK);
    assert_close(w->trusts[0].feedback_strength, 0.2, 1e-12);
    for (int week = 0; week < 4; week++) {
        assert_int_equal(w->trusts[0].feedback_weeks, 4 - week);
        qisim_data_step(w);
        assert_true(w->teams[0].feedback > 0.0);
    }
    assert_int_equal(w->trusts[0].feedback_weeks, 0);
    double gain[40];
    for (int32_t t = 0; t < 40; t++)
        gain[t] = w->teams[t].feedback_gain;
    int weeks = 10;
    for (int week = 0; week < weeks; week++)
        qisim_data_step(w);
    double keep = pow(1.0 - 1.0 / p[QP_DATA_FEEDBACK_FADE_WEEKS], weeks);
    for (int32_t t = 0; t < 40; t++) {
        assert_close(w->teams[t].feedback, 0.0, 0.0);
        /* teams practising QI keep the gains as their own work; the others lose them slowly */
        assert_close(w->teams[t].feedback_gain, t % 2 ? gain[t] * keep : gain[t], 1e-12);
    }
    qisim_world_free(w);
}

/* ---- 9 patients ---------------------------------------------------------------------------------- */

static void patients_involvement_follows_policy_slowly(void **state)
{
    (void)state;
    qisim_world *w = make_world(101, 1, 3, 20);
    qisim_err err;
    const double *p = w->params.v;
    /* team 0: half practise; team 1: a twentieth (tokenism); team 2: nobody */
    practise(w, 0, 10, QISIM_TIER_PRACTITIONER);
    practise(w, 1, 1, QISIM_TIER_PRACTITIONER);
    qisim_world_aggregate(w);
    assert_int_equal(qisim_patients_set_partnership(w, 0, 1.0, &err), QISIM_OK);
    assert_int_equal(count_events(w, "patient_partnership", 0), 1);
    int weeks = 52;
    for (int week = 0; week < weeks; week++)
        qisim_patients_step(w);
    double rate = 1.0 / p[QP_PATIENTS_INVOLVEMENT_WEEKS], token = p[QP_PATIENTS_TOKENISM_SHARE];
    double share[3] = {0.5, 0.05, 0.0};
    double level[3];
    for (int32_t t = 0; t < 3; t++) {
        double genuine = share[t] < token ? share[t] / token : 1.0;
        level[t] = 1.0 - pow(1.0 - rate * genuine, weeks);
        assert_close(w->teams[t].patient_involvement, level[t], 1e-12);
    }
    assert_true(w->teams[0].patient_involvement < 0.5); /* over years, not weeks */
    assert_true(w->teams[1].patient_involvement < w->teams[0].patient_involvement);
    assert_close(w->teams[2].patient_involvement, 0.0, 0.0);
    /* withdrawn policy: involvement falls whether or not staff practise */
    assert_int_equal(qisim_patients_set_partnership(w, 0, 0.0, &err), QISIM_OK);
    for (int week = 0; week < weeks; week++)
        qisim_patients_step(w);
    for (int32_t t = 0; t < 2; t++)
        assert_close(w->teams[t].patient_involvement, level[t] * pow(1.0 - rate, weeks), 1e-12);
    qisim_world_free(w);
}

/* ---- 10 culture ---------------------------------------------------------------------------------- */

/* Three trusts from one seed: 0 with everybody practising, 1 with nobody, 2 a strong
 * programme (everybody practising, a committed enabling board); trust 1's teams are
 * `safety_shift` safer, and every trust's staff carry `strain`. Incidents are switched off.
 * Returns the change in each trust's culture after a week. */
static void culture_week(double safety_shift, double strain, double change[3])
{
    qisim_world *w = make_world(111, 3, 20, 10);
    w->params.v[QP_CULTURE_INCIDENT_RATE] = w->params.v[QP_CULTURE_SERIOUS_RATE] = 0.0;
    w->params.v[QP_CULTURE_CHURN] = 0.0; /* no workforce phase runs here: leavers are not counted */
    for (int32_t t = 0; t < 20; t++) {
        practise(w, w->trusts[0].first_team + t, 10, QISIM_TIER_PRACTITIONER);
        practise(w, w->trusts[2].first_team + t, 10, QISIM_TIER_PRACTITIONER);
    }
    w->trusts[2].board_commitment = w->trusts[2].style = 1.0;
    qisim_world_aggregate(w);
    for (int k = 0; k < 3; k++)
        w->trusts[k].stats.strain = strain;
    w->trusts[1].stats.psych_safety += safety_shift;
    double before[3] = {w->trusts[0].culture, w->trusts[1].culture, w->trusts[2].culture};
    qisim_culture_step(w);
    for (int k = 0; k < 3; k++)
        change[k] = w->trusts[k].culture - before[k];
    qisim_world_free(w);
}

static void culture_rises_with_practice_and_saturates(void **state)
{
    (void)state;
    double usual = def(QP_WORKFORCE_STRAIN_BASE);
    double calm[3], safer[3], strained[3];
    culture_week(0.0, usual, calm);
    culture_week(0.2, usual, safer);
    culture_week(0.0, usual + 0.4, strained);
    assert_true(calm[0] > calm[1]); /* practice supports culture */
    assert_true(calm[0] > 0.0);
    assert_true(safer[1] > calm[1]); /* so does safety */
    assert_true(calm[2] > calm[0]);  /* and a committed, enabling board */
    /* Strain leaves no headspace: the same programme lifts culture less, or it falls. */
    for (int k = 0; k < 3; k++)
        assert_true(strained[k] < calm[k]);
    assert_true(strained[1] < 0.0);

    /* In the long run a strong programme takes culture towards its ceiling, never past it. */
    qisim_world *w = make_world(112, 1, 20, 10);
    w->params.v[QP_CULTURE_SERIOUS_RATE] = 0.0;
    for (int32_t t = 0; t < 20; t++)
        practise(w, t, 10, QISIM_TIER_PRACTITIONER);
    w->trusts[0].board_commitment = w->trusts[0].style = 1.0;
    qisim_world_aggregate(w);
    double ceiling = w->params.v[QP_CULTURE_CEILING], last = w->trusts[0].culture;
    for (int week = 0; week < 5200; week++) {
        qisim_culture_step(w);
        assert_true(w->trusts[0].culture <= ceiling);
    }
    assert_true(w->trusts[0].culture > w->params.v[QP_CULTURE_EMBEDDED]);
    assert_true(w->trusts[0].culture > last);
    last = w->trusts[0].culture;
    qisim_culture_step(w);
    assert_true(w->trusts[0].culture - last < 1e-4); /* it has settled */
    qisim_world_free(w);
}

/* An incident met with blame costs a team safety; one met with a just-culture review
 * builds it. */
static void culture_incidents_blame_or_learning(void **state)
{
    (void)state;
    double change[2];
    for (int just = 0; just < 2; just++) {
        qisim_world *w = make_world(114, 1, 10, 10);
        w->params.v[QP_CULTURE_INCIDENT_RATE] = 1.0; /* one every week in every team */
        w->params.v[QP_CULTURE_SERIOUS_RATE] = 0.0;
        /* the answer follows leadership style: fully enabling always learns, command blames */
        w->params.v[QP_CULTURE_JUST_STYLE] = 10.0;
        w->params.v[QP_CULTURE_JUST_CULTURE] = 0.0;
        w->trusts[0].style = just;
        double before = w->teams[3].psych_safety;
        qisim_culture_step(w);
        change[just] = w->teams[3].psych_safety - before;
        const qisim_trust_stats *st = &w->trusts[0].stats;
        assert_int_equal(just ? st->incidents_learned : st->incidents_blamed, 10);
        assert_int_equal(just ? st->incidents_blamed : st->incidents_learned, 0);
        qisim_world_free(w);
    }
    /* Each answer counts against what a usual trust's answers do on average, so a usual
     * trust's incidents leave it where it is: blame lowers safety, learning raises it. */
    assert_true(change[0] < 0.0);
    assert_true(change[1] > 0.0);
    double style_effect = def(QP_CULTURE_SAFETY_LEADERSHIP) / def(QP_CULTURE_SAFETY_WEEKS); /* style 1 vs 0 */
    assert_close(change[1] - change[0], def(QP_CULTURE_INCIDENT_LEARNING) + def(QP_CULTURE_INCIDENT_BLAME) + style_effect, 1e-9);
    double usual = def(QP_CULTURE_JUST_BASE) * def(QP_CULTURE_INCIDENT_LEARNING) -
                   (1.0 - def(QP_CULTURE_JUST_BASE)) * def(QP_CULTURE_INCIDENT_BLAME);
    assert_true(usual < 0.0); /* a usual trust blames more than it learns ... */
    assert_true(change[1] > def(QP_CULTURE_INCIDENT_LEARNING)); /* ... so learning counts for more than its size */
}

/* The change in culture after a week of a usual trust whose board has lost interest,
 * starting from `culture` (so culture falls towards a lower target). */
static double culture_fall(double culture)
{
    qisim_world *w = make_world(113, 1, 20, 10);
    w->trusts[0].board_commitment = 0.0;
    w->trusts[0].culture = culture;
    qisim_culture_step(w);
    double change = w->trusts[0].culture - culture;
    qisim_world_free(w);
    return change;
}

static void culture_embedded_declines_slower(void **state)
{
    (void)state;
    double embedded = def(QP_CULTURE_EMBEDDED), down = 1.0 / (def(QP_CULTURE_DOWN_YEARS) * 52.0);
    double hi = embedded + 0.05, lo = embedded - 0.05;
    double fall_hi = culture_fall(hi), fall_lo = culture_fall(lo);
    assert_true(fall_lo < 0.0 && fall_hi < 0.0);
    assert_true(fabs(fall_hi) < fabs(fall_lo));
    /* the same target T in both: fall_lo = down (T - lo); fall_hi = down / resilience (T - hi) */
    double target = lo + fall_lo / down;
    assert_close(fall_hi, down / def(QP_CULTURE_EMBEDDED_RESILIENCE) * (target - hi), 1e-12);
}

static void culture_safety_follows_leadership(void **state)
{
    (void)state;
    qisim_world *a = make_world(114, 1, 20, 10), *b = make_world(114, 1, 20, 10);
    a->params.v[QP_CULTURE_INCIDENT_RATE] = b->params.v[QP_CULTURE_INCIDENT_RATE] = 0.0;
    double style_default = a->params.v[QP_LEADERSHIP_STYLE_DEFAULT];
    a->trusts[0].style = style_default;
    b->trusts[0].style = style_default + 0.5; /* more enabling */
    qisim_culture_step(a);
    qisim_culture_step(b);
    double rate = 1.0 / a->params.v[QP_CULTURE_SAFETY_WEEKS];
    for (int32_t t = 0; t < 20; t++)
        assert_close(b->teams[t].psych_safety - a->teams[t].psych_safety,
                     rate * a->params.v[QP_CULTURE_SAFETY_LEADERSHIP] * 0.5, 1e-12);
    qisim_world_free(a);
    qisim_world_free(b);
}

/* ---- 11 interorg --------------------------------------------------------------------------------- */

static void interorg_collaborative_runs_its_weeks(void **state)
{
    (void)state;
    qisim_world *w = make_world(121, 1, 5, 4);
    qisim_err err;
    only(w, QP_INTERORG_ON, -1);
    int32_t teams[] = {0, 1, 2};
    assert_int_equal(qisim_interorg_collaborative(w, "Flow", teams, 3, 10, QISIM_TOPIC_FLOW, true, &err), QISIM_OK);
    assert_int_equal(w->n_collaboratives, 1);
    assert_int_equal(w->collaboratives[0].topic, QISIM_TOPIC_FLOW);
    assert_int_equal(count_events(w, "collaborative", -1), 1);
    double cost = w->params.v[QP_OUTCOMES_COST_COLLABORATIVE_TEAM];
    /* outcomes is off, so nothing closes the weekly spend: the booked cost accumulates */
    for (int week = 0; week < 10; week++) {
        double before = w->trusts[0].qi_spend_pending;
        step(w);
        assert_int_equal(w->teams[0].collaborative, 0);
        assert_int_equal(w->teams[3].collaborative, -1);
        assert_close(w->trusts[0].qi_spend_pending - before, 3 * cost, 1e-9);
    }
    double booked = w->trusts[0].qi_spend_pending;
    step(w); /* week 10: the cohort has ended */
    for (int32_t t = 0; t < 3; t++)
        assert_int_equal(w->teams[t].collaborative, -1);
    assert_close(w->trusts[0].qi_spend_pending, booked, 0.0);
    /* its teams may join another */
    assert_int_equal(qisim_interorg_collaborative(w, "Next", teams, 3, 5, QISIM_TOPIC_RELIABILITY, false, &err), QISIM_OK);
    assert_int_equal(w->teams[0].collaborative, 1);
    qisim_world_free(w);
}

static void interorg_network_and_partner_raise_peer_support(void **state)
{
    (void)state;
    qisim_world *w = make_world(122, 6, 10, 10);
    qisim_err err;
    const double *p = w->params.v;
    /* networks {0, 1} and {2, 3}: 1 and 3 have half their staff practising; 2 trusts its
     * regulator fully, 0 not at all. 4 is partnered by exemplar 5; 5 practises fully but
     * is in no network. */
    int32_t net_a[] = {0, 1}, net_b[] = {2, 3};
    assert_int_equal(qisim_interorg_network(w, net_a, 2, &err), QISIM_OK);
    assert_int_equal(qisim_interorg_network(w, net_b, 2, &err), QISIM_OK);
    assert_true(w->trusts[0].network != w->trusts[2].network);
    assert_int_equal(count_events(w, "peer_network", -1), 2);
    for (int32_t t = 0; t < 10; t++) {
        practise(w, w->trusts[1].first_team + t, 5, QISIM_TIER_PRACTITIONER);
        practise(w, w->trusts[3].first_team + t, 5, QISIM_TIER_PRACTITIONER);
        practise(w, w->trusts[5].first_team + t, 10, QISIM_TIER_PRACTITIONER);
    }
    qisim_world_aggregate(w);
    w->trusts[0].relational_trust = 0.0;
    w->trusts[2].relational_trust = 1.0;
    w->trusts[5].culture = 0.7;
    assert_int_equal(qisim_interorg_partner(w, 5, 4, 0, &err), QISIM_OK);
    assert_int_equal(w->trusts[4].partner, 5);
    int weeks = 12;
    for (int week = 0; week < weeks; week++)
        qisim_interorg_step(w);
    double reached = 1.0 - pow(1.0 - 1.0 / p[QP_INTERORG_PEER_WEEKS], weeks);
    double relational = p[QP_INTERORG_RELATIONAL];
    assert_close(w->trusts[0].peer_support, 0.5 * (1.0 - relational) * reached, 1e-12);
    assert_close(w->trusts[2].peer_support, 0.5 * reached, 1e-12);
    assert_close(w->trusts[1].peer_support, 0.0, 0.0); /* its peer practises nothing */
    assert_close(w->trusts[5].peer_support, 0.0, 0.0); /* no network, no partner */
    assert_close(w->trusts[4].peer_support, 0.7 * reached, 1e-12); /* what good looks like */
    assert_true(w->trusts[2].peer_support > w->trusts[0].peer_support);
    qisim_world_free(w);
}

static void interorg_partner_lends_coaching(void **state)
{
    (void)state;
    qisim_world *w = make_world(123, 3, 100, 20);
    qisim_err err;
    const double *p = w->params.v;
    for (int32_t k = 0; k < 2; k++)
        assert_int_equal(qisim_training_enrol(w, k, QISIM_TIER_PRACTITIONER, 0, 1.0, false, false, &err), QISIM_OK);
    assert_int_equal(qisim_interorg_partner(w, 2, 0, 0, &err), QISIM_OK);
    w->trusts[2].coaches = 10; /* the lender's own, out of which it lends */
    qisim_interorg_step(w);
    assert_int_equal(w->trusts[2].coaches_lent, (int32_t)p[QP_INTERORG_PARTNER_COACHES]);
    qisim_training_step(w);
    int32_t lent = (int32_t)p[QP_INTERORG_PARTNER_COACHES] * (int32_t)p[QP_TRAINING_COACH_CASELOAD];
    assert_int_equal(count_coached(w, 0), lent < 2000 ? lent : 2000);
    assert_int_equal(count_coached(w, 1), 0); /* no coaches, no partner */
    qisim_world_free(w);
}

/* ---- 12 regulation ------------------------------------------------------------------------------- */

static int32_t cadence_of(const double *p, int rating)
{
    switch (rating) {
    case QISIM_RATING_INADEQUATE: return (int32_t)p[QP_REGULATION_CADENCE_INADEQUATE];
    case QISIM_RATING_GOOD: return (int32_t)p[QP_REGULATION_CADENCE_GOOD];
    case QISIM_RATING_OUTSTANDING: return (int32_t)p[QP_REGULATION_CADENCE_OUTSTANDING];
    default: return (int32_t)p[QP_REGULATION_CADENCE_REQUIRES_IMPROVEMENT];
    }
}

/* Weeks of the inspections of trust k logged so far, up to max. */
static int32_t inspection_weeks(const qisim_world *w, int32_t k, int32_t *weeks, int32_t max)
{
    int32_t n = 0;
    for (int32_t e = 0; e < w->n_events && n < max; e++)
        if (strcmp(w->events[e].type, "inspection") == 0 && w->events[e].entity == k)
            weeks[n++] = w->events[e].week;
    return n;
}

static void regulation_inspects_on_cadence(void **state)
{
    (void)state;
    qisim_world *w = make_world(131, 2, 10, 10);
    qisim_err err;
    int32_t id;
    assert_int_equal(qisim_world_add_regulator(w, "CQC", 0.0, true, 0.3, &id, &err), QISIM_OK);
    only(w, QP_REGULATION_ON, -1);
    w->params.v[QP_REGULATION_INTERVAL_SPREAD] = 0.0; /* intervals exactly the cadence (test_governance.c varies them) */
    const double *p = w->params.v;
    w->trusts[0].rating = QISIM_RATING_REQUIRES_IMPROVEMENT;
    w->trusts[1].rating = QISIM_RATING_GOOD;
    w->trusts[0].weeks_since_inspection = w->trusts[1].weeks_since_inspection = 0;
    int32_t first[2] = {cadence_of(p, QISIM_RATING_REQUIRES_IMPROVEMENT), cadence_of(p, QISIM_RATING_GOOD)};
    int32_t rating_after[2] = {0, 0};
    int32_t horizon = first[1] + 1;
    for (int32_t week = 0; week < horizon; week++) {
        step(w);
        for (int32_t k = 0; k < 2; k++)
            if (week == first[k] - 1)
                rating_after[k] = w->trusts[k].rating;
    }
    int32_t weeks[4];
    /* the first inspection falls in the cadence-th week (week cadence - 1, counting from 0) */
    assert_int_equal(inspection_weeks(w, 1, weeks, 4), 1);
    assert_int_equal(weeks[0], first[1] - 1);
    int32_t n = inspection_weeks(w, 0, weeks, 4);
    assert_true(n >= 1);
    assert_int_equal(weeks[0], first[0] - 1);
    /* the rating the trust holds is the one its inspection logged */
    char logged[64];
    snprintf(logged, sizeof logged, "rating=%s ", qisim_rating_name(rating_after[0]));
    bool found = false;
    for (int32_t i = 0; i < w->n_events; i++)
        found |= w->events[i].entity == 0 && w->events[i].week == first[0] - 1 &&
                 strcmp(w->events[i].type, "inspection") == 0 && strncmp(w->events[i].detail, logged, strlen(logged)) == 0;
    assert_true(found);
    /* the next one follows the cadence of the new rating */
    int32_t second = weeks[0] + cadence_of(p, rating_after[0]);
    if (second < horizon) {
        assert_true(n >= 2);
        assert_int_equal(weeks[1], second);
    } else {
        assert_int_equal(n, 1);
    }
    qisim_world_free(w);

    /* a regulator that does not rate never inspects */
    w = make_world(132, 1, 2, 5);
    assert_int_equal(qisim_world_add_regulator(w, "NHSE", 1.0, false, 0.1, &id, &err), QISIM_OK);
    only(w, QP_REGULATION_ON, -1);
    w->trusts[0].weeks_since_inspection = 0;
    for (int week = 0; week < 200; week++)
        step(w);
    assert_int_equal(count_events(w, "inspection", -1), 0);
    qisim_world_free(w);
}

/* A trust as bad as the quality score can see: unreliable, poorly led, burnt out. */
static void make_failing(qisim_trust *tr)
{
    tr->stats.reliability = 0.3;
    tr->board_commitment = tr->style = tr->culture = 0.0;
    tr->stats.strain = 1.0;
}

static void regulation_special_measures_switch(void **state)
{
    (void)state;
    qisim_world *w = make_world(133, 3, 2, 5);
    qisim_err err;
    make_failing(&w->trusts[0]);
    make_failing(&w->trusts[1]);
    /* quality score 0; regulation.noise (0.06) would need 5 sd to reach a better rating */
    assert_int_equal(qisim_regulation_inspect(w, 0, &err), QISIM_OK);
    assert_int_equal(w->trusts[0].rating, QISIM_RATING_INADEQUATE);
    assert_true(w->trusts[0].special_measures);
    assert_int_equal(w->trusts[0].weeks_since_inspection, 0);
    assert_int_equal(count_events(w, "special_measures", 0), 1);
    w->params.v[QP_REGULATION_SPECIAL_MEASURES] = 0.0;
    assert_int_equal(qisim_regulation_inspect(w, 1, &err), QISIM_OK);
    assert_int_equal(w->trusts[1].rating, QISIM_RATING_INADEQUATE);
    assert_false(w->trusts[1].special_measures);
    assert_int_equal(count_events(w, "special_measures", 1), 0);
    /* an excellent trust in special measures leaves them at its next inspection */
    qisim_trust *tr = &w->trusts[2];
    assert_int_equal(qisim_regulation_special_measures(w, 2, true, &err), QISIM_OK);
    assert_int_equal(tr->rating, QISIM_RATING_INADEQUATE);
    tr->stats.reliability = 0.8;
    tr->board_commitment = tr->style = tr->culture = 1.0;
    tr->stats.strain = 0.0;
    assert_int_equal(qisim_regulation_inspect(w, 2, &err), QISIM_OK);
    assert_int_equal(tr->rating, QISIM_RATING_OUTSTANDING);
    assert_false(tr->special_measures);
    assert_int_equal(count_events(w, "special_measures", 2), 2);
    qisim_world_free(w);
}

static void regulation_load_and_special_measures_support(void **state)
{
    (void)state;
    qisim_world *w = make_world(134, 3, 40, 20);
    qisim_err err;
    int32_t id;
    double demands = 0.3;
    assert_int_equal(qisim_world_add_regulator(w, "CQC", 0.0, false, demands, &id, &err), QISIM_OK);
    const double *p = w->params.v;
    assert_int_equal(qisim_regulation_special_measures(w, 1, true, &err), QISIM_OK);
    w->trusts[2].shock_until = w->week + 5; /* a crisis, which lightens assurance, not the load */
    qisim_regulation_step(w);
    assert_close(w->trusts[0].regulatory_load, demands, 1e-12);
    assert_close(w->trusts[1].regulatory_load, qisim_clamp01(demands + p[QP_REGULATION_SM_LOAD]), 1e-12);
    /* the regulators' demands stand in a crisis: B:L2095's fall in bureaucracy is the trust's own
     * assurance (docs/ODD.md 7.12, a double count removed) */
    assert_true(qisim_in_crisis(w, &w->trusts[2]));
    assert_close(w->trusts[2].regulatory_load, demands, 1e-12);
    assert_int_equal(w->trusts[1].special_measures_weeks, 1);
    /* special measures bring improvement support in coach equivalents */
    for (int32_t k = 0; k < 2; k++)
        assert_int_equal(qisim_training_enrol(w, k, QISIM_TIER_PRACTITIONER, 0, 1.0, false, false, &err), QISIM_OK);
    qisim_training_step(w);
    int32_t support = (int32_t)p[QP_REGULATION_SM_COACHES] * (int32_t)p[QP_TRAINING_COACH_CASELOAD];
    assert_int_equal(count_coached(w, 1), support < 800 ? support : 800);
    assert_int_equal(count_coached(w, 0), 0);
    qisim_world_free(w);
}

static void regulation_partner_stance_builds_trust(void **state)
{
    (void)state;
    double demands = 0.3;
    qisim_world *w[2];
    for (int s = 0; s < 2; s++) {
        qisim_err err;
        int32_t id;
        w[s] = make_world(135, 1, 2, 5);
        assert_int_equal(qisim_world_add_regulator(w[s], "R", 0.0, false, demands, &id, &err), QISIM_OK);
        assert_int_equal(qisim_regulation_set_stance(w[s], 0, (double)s, &err), QISIM_OK);
        assert_int_equal(count_events(w[s], "regulator_stance", -1), 1);
    }
    const double *p = w[0]->params.v;
    int weeks = 52;
    for (int week = 0; week < weeks; week++)
        for (int s = 0; s < 2; s++)
            qisim_regulation_step(w[s]);
    double trust = 1.0 - pow(1.0 - 1.0 / p[QP_REGULATION_TRUST_WEEKS], weeks);
    assert_close(w[0]->trusts[0].relational_trust, 0.0, 0.0);
    assert_close(w[0]->trusts[0].regulatory_load, demands, 1e-12);
    assert_close(w[1]->trusts[0].relational_trust, trust, 1e-12);
    /* the trust a partner has built does not lift the regulator's demands: a partner lightens the
     * burden only through the trust's assurance effort (docs/ODD.md 7.12, a double count removed) */
    assert_true(w[1]->trusts[0].relational_trust > 0.6);
    assert_close(w[1]->trusts[0].regulatory_load, demands, 1e-12);
    qisim_world_free(w[0]);
    qisim_world_free(w[1]);
}

/* ---- 13 outcomes --------------------------------------------------------------------------------- */

static void outcomes_reliability_and_harm(void **state)
{
    (void)state;
    qisim_world *w = make_world(141, 1, 4, 10);
    const double *p = w->params.v;
    qisim_team *t = w->teams;
    t[1].gains = 0.1;                   /* changes that became standard work */
    t[2].gains = 0.05, t[2].feedback_gain = 0.05;
    t[3].gains = 1.0;                   /* cannot pass 1 */
    for (int32_t i = 0; i < 4; i++)
        t[i].counts.mean_strain = p[QP_OUTCOMES_STRAIN_REF];
    qisim_outcomes_step(w);
    double harm_per_unreliability = p[QP_OUTCOMES_HARM_BASE] / (1.0 - p[QP_OUTCOMES_RELIABILITY_REF]);
    assert_close(t[0].reliability, t[0].base_reliability, 1e-12);
    assert_close(t[1].reliability, t[1].base_reliability + 0.1, 1e-12);
    assert_close(t[2].reliability, t[2].base_reliability + 0.1, 1e-12);
    assert_close(t[3].reliability, 1.0, 0.0);
    double harm = 0.0;
    for (int32_t i = 0; i < 4; i++)
        harm += harm_per_unreliability * (1.0 - t[i].reliability) * t[i].n_staff;
    assert_close(w->trusts[0].stats.harm_rate, harm / w->trusts[0].n_staff, 1e-12);
    double harm_before = 0.0;
    for (int32_t i = 0; i < 4; i++)
        harm_before += harm_per_unreliability * (1.0 - t[i].base_reliability) * t[i].n_staff;
    assert_true(w->trusts[0].stats.harm_rate < harm_before / w->trusts[0].n_staff);
    /* strain above outcomes.strain_ref and disruption take reliability away */
    for (int32_t i = 0; i < 4; i++)
        t[i].gains = t[i].feedback_gain = 0.0;
    t[1].counts.mean_strain = p[QP_OUTCOMES_STRAIN_REF] + 0.2;
    w->trusts[0].setback = 0.5;
    qisim_outcomes_step(w);
    double disrupted = p[QP_OUTCOMES_DISRUPTION_RELIABILITY] * 0.5;
    assert_close(t[0].reliability, t[0].base_reliability - disrupted, 1e-12);
    assert_close(t[1].reliability, t[1].base_reliability - disrupted - p[QP_OUTCOMES_STRAIN_RELIABILITY] * 0.2, 1e-9);
    qisim_world_free(w);
}

/* Each service's waiting list is a stock: arrivals join it, service works it down. */
static void outcomes_waiting_list_is_a_stock(void **state)
{
    (void)state;
    qisim_world *w = make_world(142, 1, 4, 10);
    const double *p = w->params.v;
    qisim_team *t = w->teams;
    double usual_capacity = 1.0 / p[QP_WORKFORCE_WORKLOAD_REF];
    for (int32_t i = 0; i < 4; i++) {
        t[i].capacity = usual_capacity;
        t[i].demand = 1.0;
    }
    t[1].demand = 1.2;               /* busier, but within capacity */
    t[2].demand = 1.2;               /* as busy, with better flow */
    t[2].flow_gains = 0.3;
    t[3].demand = 1.0 / p[QP_OUTCOMES_UTILISATION] + 0.1; /* more than it can ever serve */
    qisim_outcomes_step(w);
    assert_close(t[0].backlog, 1.0, 1e-9); /* the usual service holds its usual list and wait */
    assert_close(t[0].waiting, 1.0, 1e-9);
    assert_close(t[2].efficiency, 1.3, 1e-12);
    double first[4];
    for (int i = 0; i < 4; i++)
        first[i] = t[i].backlog;
    for (int week = 0; week < 3000; week++) /* near saturation a list settles slowly */
        qisim_outcomes_step(w);
    assert_close(t[0].waiting, 1.0, 1e-9);
    /* the busier list grew week by week, and settled where arrivals equal what is served */
    assert_true(t[1].backlog > first[1] && t[1].waiting > 1.0);
    double k = p[QP_OUTCOMES_LIST_WEEKS], u0 = p[QP_OUTCOMES_UTILISATION], most = 1.0 / u0;
    double usual = -k / u0 * log(1.0 - u0) - 1.0;
    double settled = -most * k * log(1.0 - 1.2 / most); /* the list once arrivals join it */
    assert_close(t[1].backlog, (settled - 1.2) / usual, 1e-6);
    assert_close(t[1].waiting, (settled - 1.2) / 1.2 / usual, 1e-6);
    assert_true(t[2].waiting < t[1].waiting); /* better flow, shorter wait */
    /* beyond capacity the list grows without end: a stock, not a steady-state queue */
    double before = t[3].backlog;
    qisim_outcomes_step(w);
    assert_close(t[3].backlog - before, (t[3].demand - most) / usual, 1e-6);
    qisim_world_free(w);
}

/* A host whose every action enrols a fifth of trust 0 on a practitioner course. */
static int enrol_action(void *ctx, int32_t ref, bool *truth, qisim_err *err)
{
    (void)ref;
    (void)truth;
    return qisim_training_enrol(ctx, 0, QISIM_TIER_PRACTITIONER, 0, 0.2, false, false, err);
}

static void outcomes_qi_spend_counts_support(void **state)
{
    (void)state;
    qisim_world *w = make_world(143, 2, 10, 20);
    qisim_err err;
    only(w, QP_OUTCOMES_ON, -1);
    const double *p = w->params.v;
    assert_int_equal(qisim_training_set_coaches(w, 0, 3, &err), QISIM_OK);
    assert_int_equal(qisim_leadership_set_central_team(w, 0, 2, &err), QISIM_OK);
    assert_int_equal(qisim_time_set_protected(w, 0, 0.1, &err), QISIM_OK);
    double weekly = 5 * p[QP_OUTCOMES_COST_COACH] + 0.1 * w->trusts[0].stats.n_staff * p[QP_OUTCOMES_COST_STAFF_WEEK];
    for (int week = 0; week < 3; week++) {
        step(w);
        assert_close(w->trusts[0].qi_spend_week, weekly, 1e-6);
        assert_close(w->trusts[1].qi_spend_week, 0.0, 0.0);
    }
    assert_close(w->trusts[0].qi_spend_total, 3 * weekly, 1e-6);
    int metric = qisim_metric_find("qi_spend_total");
    assert_close(qisim_metric_value(w, metric, QISIM_LEVEL_SYSTEM, 0), 3 * weekly, 1e-6);
    /* an intervention run by the scenario during the week is paid for that week */
    qisim_host host = {w, enrol_action};
    qisim_scheduled at = {.kind = QISIM_AT, .week = 3, .action = 1};
    assert_int_equal(qisim_world_schedule(w, &at, &err), QISIM_OK);
    assert_int_equal(qisim_world_step(w, &host, &err), QISIM_OK);
    int32_t trained = w->trusts[0].stats.n_tier[QISIM_TIER_PRACTITIONER];
    assert_true(trained > 0);
    assert_close(w->trusts[0].qi_spend_week, weekly + trained * p[QP_OUTCOMES_COST_PRACTITIONER], 1e-6);
    assert_close(w->trusts[0].qi_spend_total, 4 * weekly + trained * p[QP_OUTCOMES_COST_PRACTITIONER], 1e-6);
    qisim_world_free(w);
}

static void outcomes_spend_before_the_first_week_is_kept(void **state)
{
    (void)state;
    qisim_world *w = make_world(144, 1, 10, 20);
    qisim_err err;
    only(w, QP_OUTCOMES_ON, -1);
    assert_int_equal(qisim_training_enrol(w, 0, QISIM_TIER_PRACTITIONER, 0, 1.0, false, false, &err), QISIM_OK);
    double course = w->trusts[0].qi_spend_pending; /* booked before week 0 */
    assert_true(course > 0.0);
    step(w);
    assert_close(w->trusts[0].qi_spend_total, course, 1e-6);
    qisim_world_free(w);
}

/* Runs the journey for `weeks` weeks. */
static void journey_weeks(qisim_world *w, int weeks)
{
    for (int k = 0; k < weeks; k++)
        qisim_journey_step(w);
}

static void journey_steps_dwell_and_regress(void **state)
{
    (void)state;
    qisim_world *w = make_world(145, 1, 10, 20);
    qisim_err err;
    qisim_trust *tr = &w->trusts[0];
    int dwell = (int)def(QP_JOURNEY_DWELL_WEEKS), regress = (int)def(QP_JOURNEY_REGRESS_WEEKS);
    tr->board_commitment = 0.3;
    journey_weeks(w, 100);
    assert_int_equal(tr->journey_stage, 0); /* a usual trust: no organisation-wide approach */
    assert_int_equal(qisim_leadership_set_strategy(w, 0, QISIM_STRATEGY_QI, &err), QISIM_OK);
    tr->board_commitment = 0.5;
    for (int32_t t = 0; t < 10; t++)
        practise(w, t, 3, QISIM_TIER_PRACTITIONER); /* 15% formally trained and practising */
    qisim_world_aggregate(w);
    tr->coaches = 1;
    tr->data_maturity = 0.4;
    tr->culture = def(QP_JOURNEY_SUSTAIN_CULTURE);
    /* Every condition holds, but each step takes its time: one step, then one per dwell. */
    qisim_journey_step(w);
    assert_int_equal(tr->journey_stage, 1);
    journey_weeks(w, dwell - 1);
    assert_int_equal(tr->journey_stage, 1);
    qisim_journey_step(w);
    assert_int_equal(tr->journey_stage, 2);
    assert_false(tr->approach_adopted);
    journey_weeks(w, dwell);
    assert_int_equal(tr->journey_stage, 3);
    assert_true(tr->approach_adopted); /* buy-in and a vision: an approach is adopted */
    journey_weeks(w, 3 * dwell);
    assert_int_equal(tr->journey_stage, 6);
    /* Losing practice: step 6 fails, and after regress weeks the trust falls back, step by
     * step, while the approach it adopted lasts until the journey is back at the start. */
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.flags[i] &= (uint8_t)~QISIM_STAFF_PRACTISING;
    qisim_world_aggregate(w);
    journey_weeks(w, regress - 1);
    assert_int_equal(tr->journey_stage, 6);
    qisim_journey_step(w);
    assert_int_equal(tr->journey_stage, 5);
    /* Buy-in (step 3) needs practice, so every step above 2 fails: one step back every
     * regress weeks, down to board support, which the board still gives. */
    journey_weeks(w, 5 * regress);
    assert_int_equal(tr->journey_stage, 2);
    assert_true(tr->approach_adopted);
    assert_int_equal(qisim_leadership_set_strategy(w, 0, QISIM_STRATEGY_NONE, &err), QISIM_OK);
    tr->board_commitment = 0.2;
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.tier[i] = QISIM_TIER_NONE;
    qisim_world_aggregate(w);
    journey_weeks(w, 5 * regress);
    assert_int_equal(tr->journey_stage, 0);
    assert_false(tr->approach_adopted);
    assert_int_equal(count_events(w, "journey", 0), 6 + 1 + 6 + 1); /* steps, adopted, falls, abandoned */
    qisim_world_free(w);
}

/* ---- interventions ------------------------------------------------------------------------------- */

/* A copy of everything an intervention could write. */
typedef struct snapshot {
    qisim_trust *trusts;
    qisim_team *teams;
    qisim_regulator *regulators;
    uint8_t *tier, *flags;
    float *knowhow;
    uint16_t *support, *since;
    int32_t n_trusts, n_teams, n_staff, n_regulators, n_events, n_collaboratives, national_until;
    bool national_mandated;
    qisim_rng rng[QISIM_N_STREAMS];
} snapshot;

static void *copy(const void *src, size_t bytes)
{
    void *dst = malloc(bytes ? bytes : 1);
    assert_non_null(dst);
    memcpy(dst, src, bytes);
    return dst;
}

static void snapshot_take(snapshot *s, const qisim_world *w)
{
    s->n_trusts = w->n_trusts;
    s->n_teams = w->n_teams;
    s->n_staff = w->n_staff;
    s->n_regulators = w->n_regulators;
    s->trusts = copy(w->trusts, (size_t)w->n_trusts * sizeof *w->trusts);
    s->teams = copy(w->teams, (size_t)w->n_teams * sizeof *w->teams);
    s->regulators = copy(w->regulators, (size_t)w->n_regulators * sizeof *w->regulators);
    s->tier = copy(w->staff.tier, (size_t)w->n_staff);
    s->flags = copy(w->staff.flags, (size_t)w->n_staff);
    s->knowhow = copy(w->staff.knowhow, (size_t)w->n_staff * sizeof(float));
    s->support = copy(w->staff.support_weeks, (size_t)w->n_staff * sizeof(uint16_t));
    s->since = copy(w->staff.since_training, (size_t)w->n_staff * sizeof(uint16_t));
    s->n_events = w->n_events;
    s->n_collaboratives = w->n_collaboratives;
    s->national_until = w->national_until;
    s->national_mandated = w->national_mandated;
    memcpy(s->rng, w->rng, sizeof s->rng);
}

static void snapshot_check(const snapshot *s, const qisim_world *w)
{
    assert_int_equal(w->n_events, s->n_events); /* nothing logged */
    assert_int_equal(w->n_collaboratives, s->n_collaboratives);
    assert_int_equal(w->national_until, s->national_until);
    assert_true(w->national_mandated == s->national_mandated);
    assert_int_equal(memcmp(w->trusts, s->trusts, (size_t)s->n_trusts * sizeof *w->trusts), 0);
    assert_int_equal(memcmp(w->teams, s->teams, (size_t)s->n_teams * sizeof *w->teams), 0);
    assert_int_equal(memcmp(w->regulators, s->regulators, (size_t)s->n_regulators * sizeof *w->regulators), 0);
    assert_int_equal(memcmp(w->staff.tier, s->tier, (size_t)s->n_staff), 0);
    assert_int_equal(memcmp(w->staff.flags, s->flags, (size_t)s->n_staff), 0);
    assert_int_equal(memcmp(w->staff.knowhow, s->knowhow, (size_t)s->n_staff * sizeof(float)), 0);
    assert_int_equal(memcmp(w->staff.support_weeks, s->support, (size_t)s->n_staff * sizeof(uint16_t)), 0);
    assert_int_equal(memcmp(w->staff.since_training, s->since, (size_t)s->n_staff * sizeof(uint16_t)), 0);
    assert_int_equal(memcmp(w->rng, s->rng, sizeof s->rng), 0);
}

static void snapshot_free(snapshot *s)
{
    free(s->trusts);
    free(s->teams);
    free(s->regulators);
    free(s->tier);
    free(s->flags);
    free(s->knowhow);
    free(s->support);
    free(s->since);
}

/* The call is refused with QISIM_EINVAL and a message containing `needle`, and the world is
 * exactly as it was. */
#define assert_refused(call, needle)                                                             \
    do {                                                                                         \
        snapshot snap_;                                                                          \
        snapshot_take(&snap_, w);                                                                \
        qisim_err_clear(&err);                                                                   \
        assert_int_equal((call), QISIM_EINVAL);                                                  \
        assert_int_equal(err.code, QISIM_EINVAL);                                                \
        if (!strstr(err.msg, (needle))) {                                                        \
            print_error("message '%s' does not contain '%s'\n", err.msg, (needle));              \
            fail();                                                                              \
        }                                                                                        \
        snapshot_check(&snap_, w);                                                               \
        snapshot_free(&snap_);                                                                   \
    } while (0)

static void interventions_refuse_bad_arguments(void **state)
{
    (void)state;
    qisim_world *w = make_world(151, 2, 4, 10);
    qisim_err err;
    int32_t id;
    assert_int_equal(qisim_world_add_regulator(w, "CQC", 0.0, true, 0.3, &id, &err), QISIM_OK);
    int32_t taken[] = {0, 1};
    assert_int_equal(qisim_interorg_collaborative(w, "c", taken, 2, 10, QISIM_TOPIC_RELIABILITY, true, &err), QISIM_OK);
    step(w); /* mid-run, with some state */
    double not_a_number = NAN;

    assert_refused(qisim_training_enrol(w, 2, QISIM_TIER_PRACTITIONER, 0, 0.5, false, false, &err), "no trust with id 2");
    assert_refused(qisim_training_enrol(w, -1, QISIM_TIER_PRACTITIONER, 0, 0.5, false, false, &err), "no trust");
    assert_refused(qisim_training_enrol(w, 0, QISIM_TIER_NONE, 0, 0.5, false, false, &err), "tier 0");
    assert_refused(qisim_training_enrol(w, 0, QISIM_N_TIERS, 0, 0.5, false, false, &err), "tier 5");
    assert_refused(qisim_training_enrol(w, 0, QISIM_TIER_PRACTITIONER, 0, 0.0, false, false, &err), "share 0");
    assert_refused(qisim_training_enrol(w, 0, QISIM_TIER_PRACTITIONER, 0, 1.5, false, false, &err), "share 1.5");
    assert_refused(qisim_training_enrol(w, 0, QISIM_TIER_PRACTITIONER, 0, not_a_number, false, false, &err), "share");
    assert_refused(qisim_training_set_induction(w, 0, QISIM_TIER_PRACTITIONER, &err), "induction");
    assert_refused(qisim_training_set_induction(w, 0, -1, &err), "induction");
    assert_refused(qisim_training_set_induction(w, 7, QISIM_TIER_NONE, &err), "no trust with id 7");
    assert_refused(qisim_training_set_coaches(w, 0, -1, &err), "-1 coaches");
    assert_refused(qisim_training_set_coaches(w, 0, 10001, &err), "10001 coaches");

    assert_refused(qisim_time_set_protected(w, 0, -0.1, &err), "protected time -0.1");
    assert_refused(qisim_time_set_protected(w, 0, 0.6, &err), "protected time 0.6");
    assert_refused(qisim_time_set_protected(w, 0, not_a_number, &err), "protected time");
    assert_refused(qisim_time_set_protected(w, 3, 0.1, &err), "no trust with id 3");

    assert_refused(qisim_leadership_set_strategy(w, 0, QISIM_N_STRATEGIES, &err), "unknown strategy 3");
    assert_refused(qisim_leadership_set_strategy(w, 0, -1, &err), "unknown strategy -1");
    assert_refused(qisim_leadership_new_ceo(w, 5, true, &err), "no trust with id 5");
    assert_refused(qisim_leadership_develop(w, -3, &err), "no trust with id -3");
    assert_refused(qisim_leadership_set_central_team(w, 0, -2, &err), "-2 FTE");
    assert_refused(qisim_leadership_set_central_team(w, 9, 2, &err), "no trust with id 9");

    assert_refused(qisim_data_invest(w, 0, 0.0, &err), "data investment 0");
    assert_refused(qisim_data_invest(w, 0, 1.5, &err), "data investment 1.5");
    assert_refused(qisim_data_invest(w, 0, not_a_number, &err), "data investment");
    assert_refused(qisim_data_invest(w, 2, 0.1, &err), "no trust with id 2");
    assert_refused(qisim_data_audit_feedback(w, 0, 0, true, true, true, true, &err), "for 0 weeks");
    assert_refused(qisim_data_audit_feedback(w, 0, 100000, true, true, true, true, &err), "for 100000 weeks");
    assert_refused(qisim_data_audit_feedback(w, 4, 10, true, true, true, true, &err), "no trust with id 4");

    assert_refused(qisim_patients_set_partnership(w, 0, -0.5, &err), "level -0.5");
    assert_refused(qisim_patients_set_partnership(w, 0, 1.1, &err), "level 1.1");
    assert_refused(qisim_patients_set_partnership(w, 0, not_a_number, &err), "partnership level");
    assert_refused(qisim_patients_set_partnership(w, 2, 0.5, &err), "no trust with id 2");

    int32_t teams[] = {2, 3}, bad_team[] = {2, 99}, busy[] = {2, 0}, trusts[] = {0, 1}, bad_trust[] = {0, 5};
    int32_t twice_team[] = {2, 2}, twice_trust[] = {1, 1};
    assert_refused(qisim_interorg_collaborative(w, "x", teams, 1, 10, QISIM_TOPIC_FLOW, true, &err), "not 1");
    assert_refused(qisim_interorg_collaborative(w, "x", teams, 1001, 10, QISIM_TOPIC_FLOW, true, &err), "not 1001");
    assert_refused(qisim_interorg_collaborative(w, "x", teams, 2, 0, QISIM_TOPIC_FLOW, true, &err), "of 0 weeks");
    assert_refused(qisim_interorg_collaborative(w, "x", teams, 2, 100000, QISIM_TOPIC_FLOW, true, &err), "of 100000 weeks");
    assert_refused(qisim_interorg_collaborative(w, "x", teams, 2, 10, 2, true, &err), "unknown collaborative topic 2");
    assert_refused(qisim_interorg_collaborative(w, "x", bad_team, 2, 10, QISIM_TOPIC_FLOW, true, &err), "no team with id 99");
    assert_refused(qisim_interorg_collaborative(w, "x", busy, 2, 10, QISIM_TOPIC_FLOW, true, &err),
                   "already in a collaborative");
    assert_refused(qisim_interorg_collaborative(w, "x", twice_team, 2, 10, QISIM_TOPIC_FLOW, true, &err), "listed twice");
    assert_refused(qisim_interorg_network(w, twice_trust, 2, &err), "listed twice");
    assert_refused(qisim_interorg_network(w, trusts, 1, &err), "not 1");
    assert_refused(qisim_interorg_network(w, bad_trust, 2, &err), "no trust with id 5");
    assert_refused(qisim_interorg_partner(w, 0, 0, 0, &err), "cannot partner itself");
    assert_refused(qisim_interorg_partner(w, 6, 0, 0, &err), "no trust with id 6");
    assert_refused(qisim_interorg_partner(w, 0, 6, 0, &err), "no trust with id 6");

    assert_refused(qisim_regulation_set_stance(w, 1, 0.5, &err), "no regulator with id 1");
    assert_refused(qisim_regulation_set_stance(w, 0, 1.5, &err), "stance 1.5");
    assert_refused(qisim_regulation_set_stance(w, 0, not_a_number, &err), "stance");
    assert_refused(qisim_regulation_special_measures(w, 2, true, &err), "no trust with id 2");
    assert_refused(qisim_regulation_inspect(w, -1, &err), "no trust with id -1");

    assert_refused(qisim_shocks_crisis(w, 2, 4, 1.5, &err), "no trust with id 2");
    assert_refused(qisim_shocks_crisis(w, -2, 4, 1.5, &err), "no trust with id -2");
    assert_refused(qisim_shocks_crisis(w, 0, 0, 1.5, &err), "crisis of 0 weeks");
    assert_refused(qisim_shocks_crisis(w, 0, 100000, 1.5, &err), "crisis of 100000 weeks");
    assert_refused(qisim_shocks_crisis(w, -1, 4, 0.5, &err), "crisis demand 0.5");
    assert_refused(qisim_shocks_crisis(w, -1, 4, 50.0, &err), "crisis demand 50");
    assert_refused(qisim_shocks_crisis(w, -1, 4, not_a_number, &err), "crisis demand");
    assert_refused(qisim_shocks_restructure(w, 2, &err), "no trust with id 2");
    assert_refused(qisim_shocks_it_go_live(w, -2, &err), "no trust with id -2");
    assert_refused(qisim_shocks_national_programme(w, 0, true, &err), "of 0 weeks");
    assert_refused(qisim_shocks_national_programme(w, 100000, false, &err), "of 100000 weeks");
    qisim_world_free(w);
}

/* Each successful intervention logs one event of its type. */
static void interventions_are_logged(void **state)
{
    (void)state;
    qisim_world *w = make_world(152, 2, 4, 10);
    qisim_err err;
    int32_t id;
    assert_int_equal(qisim_world_add_regulator(w, "CQC", 0.0, true, 0.3, &id, &err), QISIM_OK);
    int32_t teams[] = {0, 4}, trusts[] = {0, 1};
    int n = 0;
#define LOGGED(call, t)                                                                          \
    do {                                                                                         \
        int32_t before_ = w->n_events;                                                           \
        assert_int_equal((call), QISIM_OK);                                                      \
        assert_int_equal(w->n_events, before_ + 1);                                              \
        assert_string_equal(w->events[w->n_events - 1].type, (t));                              \
        n++;                                                                                     \
    } while (0)
    /* a scenario that sets a policy takes it from the board, once */
    LOGGED(qisim_leadership_board_decides(w, 0, false, &err), "board_decides");
    LOGGED(qisim_leadership_board_decides(w, 1, false, &err), "board_decides");
    LOGGED(qisim_training_enrol(w, 0, QISIM_TIER_AWARENESS, 0, 0.5, false, false, &err), "training");
    LOGGED(qisim_training_set_induction(w, 0, QISIM_TIER_AWARENESS, &err), "induction");
    LOGGED(qisim_training_set_coaches(w, 0, 2, &err), "coaches");
    LOGGED(qisim_time_set_protected(w, 0, 0.05, &err), "protected_time");
    LOGGED(qisim_leadership_set_strategy(w, 0, QISIM_STRATEGY_COMPLIANCE, &err), "strategy");
    LOGGED(qisim_leadership_new_ceo(w, 0, true, &err), "ceo_change");
    LOGGED(qisim_leadership_develop(w, 0, &err), "leadership_development");
    LOGGED(qisim_leadership_set_central_team(w, 0, 3, &err), "central_team");
    LOGGED(qisim_data_invest(w, 0, 0.1, &err), "data_investment");
    LOGGED(qisim_data_audit_feedback(w, 0, 4, true, false, false, false, &err), "audit_feedback");
    LOGGED(qisim_patients_set_partnership(w, 0, 0.5, &err), "patient_partnership");
    LOGGED(qisim_interorg_collaborative(w, "c", teams, 2, 10, QISIM_TOPIC_FLOW, true, &err), "collaborative");
    LOGGED(qisim_interorg_network(w, trusts, 2, &err), "peer_network");
    LOGGED(qisim_interorg_partner(w, 1, 0, 0, &err), "exemplar_partner");
    LOGGED(qisim_regulation_set_stance(w, 0, 0.5, &err), "regulator_stance");
    LOGGED(qisim_regulation_special_measures(w, 0, false, &err), "special_measures");
    LOGGED(qisim_shocks_crisis(w, -1, 4, 1.5, &err), "crisis");
    LOGGED(qisim_shocks_restructure(w, 0, &err), "restructure");
    LOGGED(qisim_shocks_it_go_live(w, 1, &err), "it_go_live");
    LOGGED(qisim_shocks_national_programme(w, 10, false, &err), "national_programme");
#undef LOGGED
    assert_int_equal(n, 22);
    qisim_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shocks_crisis_raises_demand_then_ends),
        cmocka_unit_test(shocks_crisis_lasts_its_weeks),
        cmocka_unit_test(shocks_restructure_sets_back_and_abandons),
        cmocka_unit_test(shocks_national_programme_counts_down),
        cmocka_unit_test(shocks_national_programme_frames_its_first_week),
        cmocka_unit_test(workforce_trainees_rotate),
        cmocka_unit_test(workforce_vacancies_are_refilled),
        cmocka_unit_test(workforce_strain_follows_workload),
        cmocka_unit_test(workforce_knowhow_decays_unless_practised),
        cmocka_unit_test(workforce_turnover_and_sickness_rise_with_strain),
        cmocka_unit_test(workforce_skipping_ahead_keeps_each_weeks_chance),
        cmocka_unit_test(workforce_waits_are_redrawn_when_their_premises_change),
        cmocka_unit_test(workforce_tenure_advances_before_the_pass),
        cmocka_unit_test(pass_matches_the_mechanisms_apart),
        cmocka_unit_test(pass_matches_the_mechanisms_apart_without_network),
        cmocka_unit_test(time_protected_time_and_pressure),
        cmocka_unit_test(time_demand_from_failure_crisis_and_growth),
        cmocka_unit_test(time_overtime_when_the_list_grows),
        cmocka_unit_test(time_qi_cost_is_bounded_and_fields_impose),
        cmocka_unit_test(projects_standard_work_erodes_without_time),
        cmocka_unit_test(leadership_managers_take_back_time_under_pressure),
        cmocka_unit_test(leadership_board_sees_results_in_place),
        cmocka_unit_test(leadership_board_reviews_adopt_invest_and_drop),
        cmocka_unit_test(time_collaborative_gives_time),
        cmocka_unit_test(time_collaborative_time_ends_with_it),
        cmocka_unit_test(leadership_ceo_change_sets_back_unless_embedded),
        cmocka_unit_test(leadership_new_ceo_may_drop_programme),
        cmocka_unit_test(leadership_commitment_follows_strategy_and_finance),
        cmocka_unit_test(leadership_development_raises_commitment),
        cmocka_unit_test(leadership_special_measures_speed_ceo_turnover),
        cmocka_unit_test(training_enrolment_raises_tier_and_knowhow),
        cmocka_unit_test(training_conversion_by_support),
        cmocka_unit_test(training_conversion_fades_after_the_course),
        cmocka_unit_test(training_no_time_no_conversion),
        cmocka_unit_test(training_coaching_keeps_practice),
        cmocka_unit_test(training_unsupported_practice_lapses_unless_reinforced),
        cmocka_unit_test(training_coaches_have_a_caseload),
        cmocka_unit_test(training_leaders_coach_colleagues),
        cmocka_unit_test(training_coaching_frees_leavers_places),
        cmocka_unit_test(training_practitioners_step_up_to_coach),
        cmocka_unit_test(training_step_up_needs_a_core),
        cmocka_unit_test(training_leaders_teach_their_teams),
        cmocka_unit_test(spread_needs_exposure),
        cmocka_unit_test(spread_adopts_when_threshold_met),
        cmocka_unit_test(spread_mandate_slows_peer_led_speeds),
        cmocka_unit_test(spread_opinion_leaders_speed_it),
        cmocka_unit_test(spread_peers_teach_knowhow),
        cmocka_unit_test(projects_need_a_practising_core),
        cmocka_unit_test(projects_start_when_ready),
        cmocka_unit_test(projects_complete_and_raise_reliability),
        cmocka_unit_test(projects_catch_harm_with_fidelity),
        cmocka_unit_test(projects_gains_need_owners),
        cmocka_unit_test(projects_without_practitioners_are_dropped),
        cmocka_unit_test(projects_overload_slows_them),
        cmocka_unit_test(projects_support_keeps_to_the_portfolio),
        cmocka_unit_test(data_maturity_follows_investment),
        cmocka_unit_test(data_feedback_helps_low_performers_most),
        cmocka_unit_test(data_feedback_ends_and_fades),
        cmocka_unit_test(patients_involvement_follows_policy_slowly),
        cmocka_unit_test(culture_rises_with_practice_and_saturates),
        cmocka_unit_test(culture_incidents_blame_or_learning),
        cmocka_unit_test(culture_embedded_declines_slower),
        cmocka_unit_test(culture_safety_follows_leadership),
        cmocka_unit_test(interorg_collaborative_runs_its_weeks),
        cmocka_unit_test(interorg_network_and_partner_raise_peer_support),
        cmocka_unit_test(interorg_partner_lends_coaching),
        cmocka_unit_test(regulation_inspects_on_cadence),
        cmocka_unit_test(regulation_special_measures_switch),
        cmocka_unit_test(regulation_load_and_special_measures_support),
        cmocka_unit_test(regulation_partner_stance_builds_trust),
        cmocka_unit_test(outcomes_reliability_and_harm),
        cmocka_unit_test(outcomes_waiting_list_is_a_stock),
        cmocka_unit_test(outcomes_qi_spend_counts_support),
        cmocka_unit_test(outcomes_spend_before_the_first_week_is_kept),
        cmocka_unit_test(journey_steps_dwell_and_regress),
        cmocka_unit_test(interventions_refuse_bad_arguments),
        cmocka_unit_test(interventions_are_logged),
    };
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
