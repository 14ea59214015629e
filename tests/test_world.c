/* World construction invariants, the scheduler's timing, determinism of the weekly step. */
#include "test_helpers.h"

#include <stdlib.h>
#include <string.h>

#include "qisim/metrics.h"
#include "qisim/model.h"
#include "qisim/world.h"

static qisim_world *small_world(uint64_t seed, int32_t trusts)
{
    qisim_world *w = qisim_world_create(seed, 0);
    qisim_err err;
    int32_t region, id;
    assert_int_equal(qisim_world_add_region(w, "North", &region, &err), QISIM_OK);
    for (int32_t k = 0; k < trusts; k++) {
        qisim_trust_spec s;
        char name[32];
        qisim_trust_spec_defaults(&s);
        snprintf(name, sizeof name, "Trust %d", k);
        s.name = name;
        s.region = region;
        s.staff = 1200;
        s.teams = 40;
        assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_OK);
        assert_int_equal(id, k);
    }
    assert_int_equal(qisim_world_add_regulator(w, "CQC", 0.0, true, 0.3, &id, &err), QISIM_OK);
    return w;
}

static void construction_invariants(void **state)
{
    (void)state;
    qisim_world *w = small_world(3, 3);
    assert_int_equal(w->n_trusts, 3);
    assert_int_equal(w->n_teams, 120);
    assert_int_equal(w->n_staff, 3600);
    int32_t next = 0, vacant = 0;
    for (int32_t k = 0; k < w->n_trusts; k++) {
        const qisim_trust *tr = &w->trusts[k];
        assert_int_equal(tr->first_staff, next);
        int32_t staff = 0;
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            const qisim_team *team = &w->teams[t];
            assert_int_equal(team->trust, k);
            assert_int_equal(team->first_staff, next); /* contiguous, in order */
            assert_true(team->n_staff >= 2);
            assert_int_equal(w->staff.role[team->first_staff], QISIM_ROLE_TEAM_LEADER);
            next += team->n_staff;
            staff += team->n_staff;
        }
        assert_int_equal(staff, tr->n_staff);
        assert_int_equal(w->staff.role[tr->first_staff + 1], QISIM_ROLE_EXECUTIVE);
    }
    for (int32_t i = 0; i < w->n_staff; i++) {
        assert_true(w->staff.knowhow[i] >= 0.0f && w->staff.knowhow[i] <= 1.0f);
        assert_true(w->staff.threshold[i] > 0.0f && w->staff.threshold[i] < 1.0f);
        assert_int_equal(w->staff.tier[i], QISIM_TIER_NONE);
        assert_false(w->staff.flags[i] & QISIM_STAFF_PRACTISING);
        vacant += (w->staff.flags[i] & QISIM_STAFF_VACANT) != 0;
    }
    /* build.vacancy_share 0.08 of ~3470 eligible posts: sd ~16; 5 sd band */
    assert_in_range(vacant, 278 - 80, 278 + 80);
    qisim_world_aggregate(w);
    assert_int_equal(w->trusts[0].stats.n_staff + w->trusts[0].stats.vacancies, 1200);
    assert_true(qisim_world_bytes(w) > (size_t)w->n_staff * 20);
    qisim_world_free(w);
}

static void bad_construction_is_refused(void **state)
{
    (void)state;
    qisim_world *w = small_world(1, 1);
    qisim_err err;
    qisim_trust_spec s;
    int32_t id;
    qisim_trust_spec_defaults(&s);
    s.name = "Trust 0";
    s.region = 0;
    assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "already exists"));
    s.name = "New";
    s.region = 5;
    assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "needs a region"));
    s.region = 0;
    s.staff = 10;
    s.teams = 10;
    assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "at least 2 per team"));
    s.staff = 100;
    s.culture = 1.5;
    assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "culture = 1.5 is outside [0, 1]"));
    s.culture = 0.3;
    int32_t sizes[] = {12, 1};
    s.team_sizes = sizes;
    s.n_team_sizes = 2;
    assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "team 2 has 1 staff"));
    sizes[1] = 8;
    assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_OK);
    assert_int_equal(w->trusts[id].n_staff, 20);
    assert_int_equal(qisim_world_add_regulator(w, "X", 1.5, true, 0.1, &id, &err), QISIM_EINVAL);
    assert_int_equal(qisim_world_add_region(w, "North", &id, &err), QISIM_EINVAL);

    assert_int_equal(qisim_world_step(w, NULL, &err), QISIM_OK);
    assert_int_equal(qisim_world_add_region(w, "Later", &id, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "after the run has started"));
    assert_int_equal(qisim_trust_set_field(w, 0, "culture", 0.9, &err), QISIM_OK);
    assert_true(w->trusts[0].culture == 0.9);
    assert_int_equal(qisim_trust_set_field(w, 0, "rating", 1, &err), QISIM_EINVAL);
    assert_int_equal(qisim_trust_set_field(w, 0, "protected_time", 0.6, &err), QISIM_EINVAL);
    qisim_world_free(w);
}

/* A fake host: action refs record the week they ran; condition ref 100 is true from week 5. */
typedef struct fake_host {
    const qisim_world *w;
    int32_t fired[8][64];
    int32_t n_fired[8];
} fake_host;

static int fake_call(void *ctx, int32_t ref, bool *truth, qisim_err *err)
{
    fake_host *h = ctx;
    (void)err;
    if (truth) {
        *truth = h->w->week >= 5;
        return QISIM_OK;
    }
    if (ref == 7)
        return qisim_err_set(err, QISIM_ESCRIPT, "action 7 failed");
    h->fired[ref][h->n_fired[ref]++] = h->w->week;
    return QISIM_OK;
}

static void scheduler_timing(void **state)
{
    (void)state;
    qisim_world *w = small_world(1, 1);
    qisim_err err;
    fake_host h = {.w = w};
    qisim_host host = {&h, fake_call};
    const qisim_scheduled entries[] = {
        {.kind = QISIM_AT, .week = 3, .action = 0},
        {.kind = QISIM_EVERY, .week = 2, .period = 4, .action = 1},
        {.kind = QISIM_WHEN, .condition = 100, .action = 2, .once = true},
        {.kind = QISIM_WHEN, .condition = 100, .action = 3, .once = false},
        {.kind = QISIM_AT, .week = 0, .action = 4},
    };
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++)
        assert_int_equal(qisim_world_schedule(w, &entries[i], &err), QISIM_OK);
    qisim_scheduled bad = {.kind = QISIM_EVERY, .week = 0, .period = 0, .action = 1};
    assert_int_equal(qisim_world_schedule(w, &bad, &err), QISIM_EINVAL);
    for (int week = 0; week < 12; week++)
        assert_int_equal(qisim_world_step(w, &host, &err), QISIM_OK);
    assert_int_equal(h.n_fired[0], 1);
    assert_int_equal(h.fired[0][0], 3);
    assert_int_equal(h.n_fired[1], 3);
    assert_int_equal(h.fired[1][0], 2);
    assert_int_equal(h.fired[1][1], 6);
    assert_int_equal(h.fired[1][2], 10);
    assert_int_equal(h.n_fired[2], 1);
    assert_int_equal(h.fired[2][0], 5);
    assert_int_equal(h.n_fired[3], 7); /* weeks 5..11 */
    assert_int_equal(h.n_fired[4], 1);
    assert_int_equal(h.fired[4][0], 0);
    /* a failing action stops the step with its message */
    qisim_scheduled failing = {.kind = QISIM_AT, .week = 12, .action = 7};
    assert_int_equal(qisim_world_schedule(w, &failing, &err), QISIM_OK);
    assert_int_equal(qisim_world_step(w, &host, &err), QISIM_ESCRIPT);
    assert_string_equal(err.msg, "action 7 failed");
    qisim_world_free(w);
}

/* A digest of the whole world state, to compare runs. */
static uint64_t world_digest(const qisim_world *w)
{
    uint64_t h = 1469598103934665603ULL;
    for (int32_t i = 0; i < w->n_staff; i++) {
        uint32_t k;
        memcpy(&k, &w->staff.knowhow[i], 4);
        h = (h ^ k ^ ((uint64_t)w->staff.flags[i] << 32) ^ ((uint64_t)w->staff.tier[i] << 40)) * 1099511628211ULL;
    }
    for (int32_t k = 0; k < w->n_trusts; k++) {
        uint64_t bits;
        memcpy(&bits, &w->trusts[k].culture, 8);
        h = (h ^ bits) * 1099511628211ULL;
        memcpy(&bits, &w->trusts[k].stats.reliability, 8);
        h = (h ^ bits) * 1099511628211ULL;
    }
    return h;
}

static uint64_t run_programme(uint64_t seed, int weeks)
{
    qisim_world *w = small_world(seed, 2);
    qisim_err err;
    assert_int_equal(qisim_leadership_set_strategy(w, 0, QISIM_STRATEGY_QI, &err), QISIM_OK);
    assert_int_equal(qisim_training_enrol(w, 0, QISIM_TIER_PRACTITIONER, 0, 0.2, true, false, &err), QISIM_OK);
    assert_int_equal(qisim_training_set_coaches(w, 0, 4, &err), QISIM_OK);
    for (int week = 0; week < weeks; week++)
        assert_int_equal(qisim_world_step(w, NULL, &err), QISIM_OK);
    uint64_t h = world_digest(w);
    qisim_world_free(w);
    return h;
}

static void step_is_deterministic(void **state)
{
    (void)state;
    assert_true(run_programme(11, 104) == run_programme(11, 104));
    assert_true(run_programme(11, 104) != run_programme(12, 104));
}

static void no_training_no_practice(void **state)
{
    (void)state;
    /* Zero test: without training or a programme nobody practises QI and nothing is adopted,
     * so reliability stays where it started (MODEL.md §5.6). */
    qisim_world *w = small_world(5, 2);
    qisim_err err;
    qisim_world_aggregate(w);
    double start = qisim_metric_value(w, qisim_metric_find("reliability"), QISIM_LEVEL_SYSTEM, 0);
    for (int week = 0; week < 520; week++)
        assert_int_equal(qisim_world_step(w, NULL, &err), QISIM_OK);
    int practising = qisim_metric_find("practising_share"), completed = qisim_metric_find("projects_completed");
    assert_true(qisim_metric_value(w, practising, QISIM_LEVEL_SYSTEM, 0) == 0.0);
    assert_true(qisim_metric_value(w, completed, QISIM_LEVEL_SYSTEM, 0) == 0.0);
    double end = qisim_metric_value(w, qisim_metric_find("reliability"), QISIM_LEVEL_SYSTEM, 0);
    /* Without QI the only thing that moves reliability is the strain penalty,
     * outcomes.strain_reliability per unit of strain above outcomes.strain_ref; a usual trust's
     * strain stays within 0.1 of its equilibrium, which bounds the change. */
    assert_close(end, start, w->params.v[QP_OUTCOMES_STRAIN_RELIABILITY] * 0.1);
    qisim_world_free(w);
}

/* The build.* role parameters reach construction: a smaller board, no managers, and a role mix
 * with only nurses leaves nurses, trainees, leaders and executives. */
static void role_parameters_shape_the_world(void **state)
{
    (void)state;
    qisim_world *w = qisim_world_create(5, 0);
    qisim_err err;
    int32_t region, id;
    assert_int_equal(qisim_params_set(&w->params, "build.executives", 3, false, &err), QISIM_OK);
    assert_int_equal(qisim_params_set(&w->params, "build.manager_share", 0, false, &err), QISIM_OK);
    assert_int_equal(qisim_params_set(&w->params, "build.acute_nurses", 1, false, &err), QISIM_OK);
    assert_int_equal(qisim_params_set(&w->params, "build.inspection_weeks", 1, false, &err), QISIM_OK);
    assert_int_equal(qisim_world_add_region(w, "North", &region, &err), QISIM_OK);
    qisim_trust_spec s;
    qisim_trust_spec_defaults(&s);
    s.name = "A";
    s.region = region;
    s.team_sizes = (int32_t[]){8, 20, 20};
    s.n_team_sizes = 3;
    assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_OK);
    assert_int_equal(w->trusts[id].weeks_since_inspection, 0);
    int32_t executives = 0;
    for (int32_t i = 0; i < w->n_staff; i++) {
        uint8_t role = w->staff.role[i];
        executives += role == QISIM_ROLE_EXECUTIVE;
        assert_true(role == QISIM_ROLE_NURSE || role == QISIM_ROLE_TRAINEE || role == QISIM_ROLE_TEAM_LEADER ||
                    role == QISIM_ROLE_EXECUTIVE);
    }
    assert_int_equal(executives, 3);
    qisim_world_free(w);
}

/* The trust name index: every trust is found by name through growth and collisions, a
 * repeated name is refused, an unknown one is not found. */
static void trust_names_are_indexed(void **state)
{
    (void)state;
    qisim_world *w = qisim_world_create(1, 0);
    qisim_err err;
    int32_t region, id;
    assert_int_equal(qisim_world_add_region(w, "North", &region, &err), QISIM_OK);
    char name[32];
    for (int32_t k = 0; k < 3000; k++) {
        qisim_trust_spec s;
        qisim_trust_spec_defaults(&s);
        snprintf(name, sizeof name, "T%d", k);
        s.name = name;
        s.region = region;
        s.staff = 2;
        s.teams = 1;
        assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_OK);
        if (k % 7 == 0) {
            snprintf(name, sizeof name, "T%d", k / 2);
            assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_EINVAL);
            assert_non_null(strstr(err.msg, "already exists"));
        }
    }
    for (int32_t k = 0; k < 3000; k++) {
        snprintf(name, sizeof name, "T%d", k);
        assert_int_equal(qisim_world_find_trust(w, name), k);
    }
    assert_int_equal(qisim_world_find_trust(w, "T3000"), -1);
    assert_int_equal(qisim_world_find_trust(w, ""), -1);
    qisim_world_free(w);
}

/* Team names name the team rows of series.csv: within a trust they must differ, including from
 * the automatic "<trust>/<k>" names of the unnamed teams; across trusts they may repeat. */
static void team_names_differ_within_a_trust(void **state)
{
    (void)state;
    qisim_world *w = small_world(1, 1);
    qisim_err err;
    qisim_trust_spec s;
    int32_t id;
    qisim_trust_spec_defaults(&s);
    s.region = 0;
    int32_t sizes[] = {12, 8, 20};
    const char *names[] = {"Ward 1", NULL, "Ward 1"};
    s.team_sizes = sizes;
    s.n_team_sizes = 3;
    s.team_names = names;
    s.name = "Twice";
    assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "trust 'Twice': teams[1] and teams[3] are both called 'Ward 1'"));
    names[2] = "Auto/2";
    s.name = "Auto";
    assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "teams[2] and teams[3] are both called 'Auto/2'"));
    names[2] = "Ward 2";
    assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_OK);
    s.name = "Other";
    assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_OK);
    assert_string_equal(qisim_team_name(w, w->n_teams - 3), "Ward 1");
    qisim_world_free(w);
}

/* Every growing array of the world grows through qisim_world_grow: entries past the old
 * capacity arrive zeroed (checkpoints save whole entries, padding included), old ones are kept,
 * and a request it cannot meet leaves the array as it was. */
typedef struct padded {
    char c;
    double d;
} padded;

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

static void growing_arrays_arrive_zeroed(void **state)
{
    (void)state;
    padded *items = NULL;
    int32_t cap = 0;
    assert_int_equal(qisim_world_grow((void **)&items, &cap, 3, sizeof *items, 2), QISIM_OK);
    assert_int_equal(cap, 4);
    assert_true(all_zero(items, 4 * sizeof *items));
    memset(items, 0xab, 4 * sizeof *items);
    assert_int_equal(qisim_world_grow((void **)&items, &cap, 4, sizeof *items, 2), QISIM_OK); /* room already */
    assert_int_equal(cap, 4);
    assert_int_equal(qisim_world_grow((void **)&items, &cap, 9, sizeof *items, 2), QISIM_OK);
    assert_int_equal(cap, 16);
    unsigned char kept[4 * sizeof(padded)];
    memset(kept, 0xab, sizeof kept);
    assert_memory_equal(items, kept, sizeof kept);
    assert_true(all_zero(items + 4, 12 * sizeof *items));
    padded *before = items;
    assert_int_equal(qisim_world_grow((void **)&items, &cap, INT32_MAX, sizeof *items, 2), QISIM_ENOMEM);
    assert_ptr_equal(items, before);
    assert_int_equal(cap, 16);
    free(items);

    /* the collaboratives array (grown by interorg.c): its spare entries are zero too */
    qisim_world *w = small_world(1, 1);
    qisim_err err;
    int32_t teams[] = {0, 1};
    assert_int_equal(qisim_interorg_collaborative(w, "C", teams, 2, 10, QISIM_TOPIC_RELIABILITY, false, &err), QISIM_OK);
    assert_true(w->cap_collaboratives > w->n_collaboratives);
    assert_true(all_zero(w->collaboratives + w->n_collaboratives,
                         (size_t)(w->cap_collaboratives - w->n_collaboratives) * sizeof *w->collaboratives));
    qisim_world_free(w);
}

/* The writable trust fields are one list: each name sets and reads back the same field, within
 * its own bound, and nothing else is writable. */
static void trust_fields_set_and_read_back(void **state)
{
    (void)state;
#define TRUST_FIELD_MAX(field, max) max,
    const double max[] = {QISIM_TRUST_FIELDS(TRUST_FIELD_MAX)};
#undef TRUST_FIELD_MAX
    qisim_world *w = small_world(1, 1);
    qisim_err err;
    int n = 0;
    for (int i = 0; qisim_trust_field_names[i]; i++, n++) {
        const char *name = qisim_trust_field_names[i];
        assert_int_equal(qisim_trust_field_find(name), i);
        double v = max[i] * (0.25 + 0.05 * i); /* a different value per field */
        assert_int_equal(qisim_trust_set_field(w, 0, name, v, &err), QISIM_OK);
        for (int j = 0; j <= i; j++) /* later writes leave earlier fields alone */
            assert_close(qisim_trust_field_get(&w->trusts[0], j), max[j] * (0.25 + 0.05 * j), 0.0);
        assert_int_equal(qisim_trust_set_field(w, 0, name, max[i] * 1.001, &err), QISIM_EINVAL);
        assert_non_null(strstr(err.msg, name));
    }
    assert_int_equal(n, (int)(sizeof max / sizeof max[0]));
    assert_close(w->trusts[0].culture, 0.25 + 0.05 * qisim_trust_field_find("culture"), 1e-12);
    assert_close(w->trusts[0].demand_level, 5.0 * (0.25 + 0.05 * qisim_trust_field_find("demand_level")), 1e-12);
    assert_int_equal(qisim_trust_field_find("name"), -1);
    assert_int_equal(qisim_trust_set_field(w, 0, "reliability", 0.5, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "'reliability' is not a writable trust field"));
    qisim_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(construction_invariants),
        cmocka_unit_test(bad_construction_is_refused),
        cmocka_unit_test(role_parameters_shape_the_world),
        cmocka_unit_test(scheduler_timing),
        cmocka_unit_test(step_is_deterministic),
        cmocka_unit_test(no_training_no_practice),
        cmocka_unit_test(trust_names_are_indexed),
        cmocka_unit_test(team_names_differ_within_a_trust),
        cmocka_unit_test(growing_arrays_arrive_zeroed),
        cmocka_unit_test(trust_fields_set_and_read_back),
    };
    return cmocka_run_group_tests_name("world", tests, NULL, NULL);
}
