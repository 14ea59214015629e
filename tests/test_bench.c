/* The lean reference loop of qisim bench, and that qisim bench prints it beside the model. */
#include "test_helpers.h"

#include "qisim/bench.h"

static const int32_t sizes[] = {30, 0, 12, 45, 7};
enum { N_TEAMS = sizeof sizes / sizeof sizes[0] };

static void counts_staff_weeks_and_is_deterministic(void **state)
{
    (void)state;
    qisim_err err;
    qisim_lean_result a, b, c;
    assert_int_equal(qisim_lean_run(sizes, N_TEAMS, 40, 7, &a, &err), QISIM_OK);
    assert_int_equal(qisim_lean_run(sizes, N_TEAMS, 40, 7, &b, &err), QISIM_OK);
    assert_int_equal(qisim_lean_run(sizes, N_TEAMS, 40, 8, &c, &err), QISIM_OK);
    assert_int_equal(a.staff_weeks, (30 + 12 + 45 + 7) * 40);
    assert_true(a.cpu_seconds >= 0.0);
    /* staff learn (know-how starts at 0), stay within 0..1, and the draws follow the seed */
    assert_true(a.mean_knowhow > 0.0 && a.mean_knowhow < 1.0);
    assert_true(a.mean_knowhow == b.mean_knowhow);
    assert_true(a.mean_knowhow != c.mean_knowhow);
    /* more weeks, more learning: the loop steps every week it is asked to */
    qisim_lean_result longer;
    assert_int_equal(qisim_lean_run(sizes, N_TEAMS, 400, 7, &longer, &err), QISIM_OK);
    assert_true(longer.mean_knowhow > a.mean_knowhow);
}

static void refuses_a_bad_shape(void **state)
{
    (void)state;
    qisim_err err;
    qisim_lean_result r = {0};
    const int32_t negative[] = {3, -1}, empty[] = {0, 0};
    assert_int_equal(qisim_lean_run(sizes, 0, 10, 1, &r, &err), QISIM_EINVAL);
    assert_int_equal(qisim_lean_run(sizes, N_TEAMS, 0, 1, &r, &err), QISIM_EINVAL);
    assert_int_equal(qisim_lean_run(negative, 2, 10, 1, &r, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "team 1 has -1 staff"));
    assert_int_equal(qisim_lean_run(empty, 2, 10, 1, &r, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "no staff"));
    assert_int_equal(r.staff_weeks, 0); /* untouched on failure */
}

/* qisim bench prints both speeds by CPU time and their ratio, for the scenario's own world */
static void bench_prints_the_lean_loop_and_the_ratio(void **state)
{
    (void)state;
    char dir[256], path[400], args[600];
    assert_int_equal(test_make_dir(dir, sizeof dir, "bench"), 0);
    test_write_file(dir, "small.lua",
                    "scenario { name = 'bench test', weeks = 8 }\n"
                    "local r = region { name = 'R' }\n"
                    "trust { name = 'T', region = r, staff = 300, teams = 10 }\n"
                    "regulator { name = 'CQC' }\n",
                    path, sizeof path);
    snprintf(args, sizeof args, "bench %s --weeks 6", path);
    test_result r;
    test_run(&r, dir, args, 60);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "world             300 staff, 10 teams, 1 trusts"));
    assert_non_null(strstr(r.out, "\nqisim by CPU      "));
    assert_non_null(strstr(r.out, "\nlean loop by CPU  "));
    const char *ratio = strstr(r.out, "\nqisim/lean        ");
    assert_non_null(ratio);
    assert_true(atof(ratio + 19) > 0.0);
    /* the bench scenario's quick size is a scenario argument */
    snprintf(args, sizeof args, "bench scenarios/bench/nhs_england.lua --weeks 2 --arg regions=1");
    test_run(&r, dir, args, 120);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, " teams, 6 trusts\n")); /* region 1 has 6 of the 220 */
    assert_int_equal(test_remove_dir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_staff_weeks_and_is_deterministic),
        cmocka_unit_test(refuses_a_bad_shape),
        cmocka_unit_test(bench_prints_the_lean_loop_and_the_ratio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
