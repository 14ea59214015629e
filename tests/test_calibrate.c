/* Calibration by ABC-SMC: synthetic recovery (data made with a known parameter value fed back
 * as targets; the 90% interval must hold it, an inert parameter must be flagged), the same
 * posterior on one thread or two, and --resume after a lost generation giving the same result. */
#include "test_helpers.h"

#include <sqlite3.h>

#include "qisim/calibrate.h"
#include "qisim/validate.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    return test_make_dir(dir, sizeof dir, "calibrate");
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_dir(dir);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char buf[8][4096];
    static int slot;
    char *b = buf[slot++ % 8];
    size_t n = fread(b, 1, 4095, f);
    b[n] = '\0';
    fclose(f);
    return b;
}

/* A trust trains 30% of its staff at week 0; training.conversion sets how fast they start to
 * practise; training.support_retention does nothing here (no coaches). */
static const char scenario[] =
    "scenario { name = \"tiny\", weeks = 26 }\n"
    "local r = region { name = \"R\" }\n"
    "local t = trust { name = \"A\", region = r, staff = 200, teams = 8 }\n"
    "regulator { name = \"CQC\" }\n"
    "t:board_decides(false)\n"
    "at(0, function() t:train { tier = \"practitioner\", share = 0.3, project = true } end)\n";

static const double truth = 0.13;
static char scenario_path[128], pattern_path[128], cal_path[128];

/* The pattern with targets y8 and y26 (practising share at weeks 8 and 26). */
static void write_pattern(double y8, double y26)
{
    char text[2048];
    snprintf(text, sizeof text,
             "local a = arm { \"a\", scenario = \"%s\" }\n"
             "local s = series { arm = a, trust = \"A\", metric = \"practising_share\" }\n"
             "local m8, m26 = median(at(s, 8)), median(at(s, 26))\n"
             "row { title = \"practising\", target = \"synthetic\", source = \"test\",\n"
             "      figure = { \"%%.3f %%.3f\", m8, m26 }, check = { near(m8, %.17g, 0.02), near(m26, %.17g, 0.02) } }\n"
             "pattern { id = \"S1\", kind = \"calibration\", fitted = \"training.conversion\" }\n",
             scenario_path, y8, y26);
    write_file(pattern_path, text);
}

/* The synthetic data: the pattern's statistics at the true value, many replicates. */
static void make_targets(void)
{
    snprintf(scenario_path, sizeof scenario_path, "%s/tiny.lua", dir);
    snprintf(pattern_path, sizeof pattern_path, "%s/s1.lua", dir);
    snprintf(cal_path, sizeof cal_path, "%s/cal.lua", dir);
    write_file(scenario_path, scenario);
    write_pattern(0, 0);
    qisim_pattern *p = malloc(sizeof *p);
    assert_non_null(p);
    qisim_err err;
    assert_int_equal(qisim_pattern_load(pattern_path, p, &err), QISIM_OK);
    char set[64];
    snprintf(set, sizeof set, "training.conversion=%g", truth);
    const char *sets[] = {set};
    qisim_validate_options o = {.seed = 99, .reps = 12, .threads = 2, .sets = sets, .n_sets = 1};
    qisim_pattern_data d;
    assert_int_equal(qisim_pattern_run(p, &o, NULL, 0, &d, &err), QISIM_OK);
    qisim_pattern_target t[4];
    assert_int_equal(qisim_pattern_targets(p, t, 4), 2);
    double y8 = qisim_pattern_stat(p, &d, t[0].node), y26 = qisim_pattern_stat(p, &d, t[1].node);
    qisim_pattern_data_free(&d);
    free(p);
    assert_true(y8 > 0.01 && y26 > y8 * 0.5);
    write_pattern(y8, y26);
    char text[1024];
    snprintf(text, sizeof text,
             "calibrate { name = \"synthetic\", patterns = { \"%s\" },\n"
             "  params = { { \"training.conversion\", \"uniform\", 0.02, 0.5 },\n"
             "             { \"training.support_retention\", \"uniform\", 0, 1 } },\n"
             "  particles = 40, generations = 4, reps = 4, quantile = 0.5, seed = 5 }\n", pattern_path);
    write_file(cal_path, text);
}

static qisim_calibrate_result res1, res2;

static void recovers_the_truth_and_flags_the_inert_parameter(void **state)
{
    (void)state;
    make_targets();
    char out[128];
    snprintf(out, sizeof out, "%s/run1", dir);
    qisim_calibrate_options o = {.path = cal_path, .out_dir = out, .threads = 2};
    qisim_err err;
    int rc = qisim_calibrate(&o, &res1, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, QISIM_OK);
    assert_int_equal(res1.n_gens, 4);
    /* tolerances shrink generation by generation */
    for (int g = 2; g < res1.n_gens; g++)
        assert_true(res1.gens[g].epsilon < res1.gens[g - 1].epsilon);
    const qisim_cal_summary *conv = &res1.summary[0], *inert = &res1.summary[1];
    print_message("conversion posterior %.4g [%.4g, %.4g] (truth %g), width %.2f of prior; inert %.2f\n",
                  conv->post_q[0], conv->post_q[1], conv->post_q[2], truth, conv->width_ratio, inert->width_ratio);
    assert_true(conv->post_q[1] <= truth && truth <= conv->post_q[2]);
    assert_true(conv->identified);
    assert_false(inert->identified);
    /* the set file holds the identified parameter's posterior median, and the inert one's only
     * as a comment, so that --set-file leaves it at its default */
    char *set = read_all(res1.set_file);
    assert_non_null(strstr(set, "\ntraining.conversion="));
    assert_non_null(strstr(set, "\n# training.support_retention="));
    assert_null(strstr(set, "\ntraining.support_retention="));
}

static void same_on_one_thread_and_after_a_resume(void **state)
{
    (void)state;
    char out[128];
    snprintf(out, sizeof out, "%s/run2", dir);
    qisim_calibrate_options o = {.path = cal_path, .out_dir = out, .threads = 1};
    qisim_err err;
    assert_int_equal(qisim_calibrate(&o, &res2, &err), QISIM_OK);
    assert_string_equal(read_all(res1.set_file), read_all(res2.set_file));
    assert_memory_equal(res1.summary, res2.summary, sizeof res1.summary);
    /* a second run into the same folder without --resume is refused */
    assert_int_equal(qisim_calibrate(&o, &res2, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "--resume"));
    /* lose the last generation, as an interruption before its commit would, and resume */
    char db_path[256];
    snprintf(db_path, sizeof db_path, "%s/results.sqlite", out);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DELETE FROM particles WHERE generation = 3; DELETE FROM generations WHERE generation = 3",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    remove(res2.set_file);
    o.resume = true;
    o.threads = 2;
    assert_int_equal(qisim_calibrate(&o, &res2, &err), QISIM_OK);
    assert_int_equal(res2.resumed_gens, 3);
    assert_string_equal(read_all(res1.set_file), read_all(res2.set_file));
    assert_memory_equal(res1.summary, res2.summary, sizeof res1.summary);
}

/* A calibration of 2 generations extended to 4 by --resume --generations 4 is the file's
 * 4-generation calibration (res1): the same posterior, the last two generations run anew. */
static void resume_extends_to_more_generations(void **state)
{
    (void)state;
    char out[128];
    snprintf(out, sizeof out, "%s/run3", dir);
    qisim_calibrate_options o = {.path = cal_path, .out_dir = out, .threads = 2, .generations = 2};
    qisim_err err;
    static qisim_calibrate_result res3;
    assert_int_equal(qisim_calibrate(&o, &res3, &err), QISIM_OK);
    assert_int_equal(res3.n_gens, 2);
    assert_string_not_equal(read_all(res1.set_file), read_all(res3.set_file));
    o.resume = true;
    o.generations = 4;
    assert_int_equal(qisim_calibrate(&o, &res3, &err), QISIM_OK);
    assert_int_equal(res3.resumed_gens, 2);
    assert_int_equal(res3.n_gens, 4);
    assert_string_equal(read_all(res1.set_file), read_all(res3.set_file));
    assert_memory_equal(res1.summary, res3.summary, sizeof res1.summary);
    o.generations = QISIM_CAL_MAX_GENERATIONS + 1;
    assert_int_equal(qisim_calibrate(&o, &res3, &err), QISIM_EINVAL);
}

static void calibration_file_errors(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/bad.lua", dir);
    qisim_calibration c;
    qisim_err err;
    write_file(path, "calibrate { patterns = { \"x.lua\" },\n  params = { { \"training.conversio\", \"uniform\", 0, 1 } } }\n");
    assert_int_not_equal(qisim_calibration_load(path, &c, &err), QISIM_OK);
    assert_non_null(strstr(err.msg, "bad.lua:1:"));
    assert_non_null(strstr(err.msg, "did you mean 'training.conversion'"));
    write_file(path, "calibrate { patterns = { \"x.lua\" }, particles = 10,\n  params = { { \"training.conversion\", \"unifrm\", 0, 1 } } }\n");
    assert_int_not_equal(qisim_calibration_load(path, &c, &err), QISIM_OK);
    assert_non_null(strstr(err.msg, "did you mean 'uniform'"));
    write_file(path, "calibrate { patterns = { \"x.lua\" }, partcles = 10,\n  params = { { \"training.conversion\", \"uniform\", 0, 1 } } }\n");
    assert_int_not_equal(qisim_calibration_load(path, &c, &err), QISIM_OK);
    assert_non_null(strstr(err.msg, "did you mean 'particles'"));
    write_file(path, "calibrate { patterns = { \"x.lua\" },\n  params = { { \"training.conversion\", \"uniform\", 0.5, 2 } } }\n");
    assert_int_not_equal(qisim_calibration_load(path, &c, &err), QISIM_OK);
    assert_non_null(strstr(err.msg, "must lie in the range"));
}

/* Normal (truncated to the range) and beta priors: draws stay inside their support, and the
 * prior's quantiles in the report are the distributions'. */
static void normal_and_beta_priors(void **state)
{
    (void)state;
    char path[128], out[128], text[1024];
    snprintf(path, sizeof path, "%s/priors.lua", dir);
    snprintf(text, sizeof text,
             "calibrate { patterns = { \"%s\" },\n"
             "  params = { { \"training.conversion\", \"normal\", 0.15, 0.05 },\n"
             "             { \"training.support_retention\", \"beta\", 2, 5, 0.2, 0.8 } },\n"
             "  particles = 10, generations = 2, reps = 1, seed = 2 }\n", pattern_path);
    write_file(path, text);
    snprintf(out, sizeof out, "%s/priors", dir);
    qisim_calibrate_options o = {.path = path, .out_dir = out, .threads = 2};
    static qisim_calibrate_result res;
    qisim_err err;
    int rc = qisim_calibrate(&o, &res, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, QISIM_OK);
    /* normal(0.15, 0.05): median 0.15, 5-95% about 0.068-0.232 */
    assert_close(res.summary[0].prior_q[0], 0.15, 0.003);
    assert_close(res.summary[0].prior_q[1], 0.15 - 1.645 * 0.05, 0.004);
    /* beta(2, 5) on [0.2, 0.8]: median 0.2 + 0.6 x 0.2644 */
    assert_close(res.summary[1].prior_q[0], 0.2 + 0.6 * 0.26445, 0.004);
    for (int q = 0; q < 3; q++) {
        assert_true(res.summary[1].post_q[q] > 0.2 && res.summary[1].post_q[q] < 0.8);
        assert_true(res.summary[0].post_q[q] >= 0 && res.summary[0].post_q[q] <= 1);
    }
}

/* Nine parameters: most kernel moves leave the prior in some dimension. Those moves cost no
 * simulation, so they must not count against max_proposals, which bounds the simulations. */
static void moves_outside_the_prior_cost_no_simulation(void **state)
{
    (void)state;
    char path[128], out[128], text[2048];
    snprintf(path, sizeof path, "%s/nine.lua", dir);
    snprintf(text, sizeof text,
             "calibrate { patterns = { \"%s\" },\n"
             "  params = { { \"training.conversion\", \"uniform\", 0.02, 0.5 },\n"
             "    { \"training.support_retention\", \"uniform\", 0, 1 }, { \"culture.up_years\", \"uniform\", 3, 30 },\n"
             "    { \"data.feedback_rate\", \"uniform\", 0.005, 0.1 }, { \"data.responsiveness_sigma\", \"uniform\", 0.5, 3 },\n"
             "    { \"data.responsiveness_shift\", \"uniform\", 0, 0.5 }, { \"projects.flow_effect_mean\", \"uniform\", 0.01, 0.2 },\n"
             "    { \"projects.flow_effect_sd\", \"uniform\", 0, 0.1 }, { \"regulation.noise\", \"uniform\", 0, 0.1 } },\n"
             "  particles = 12, generations = 2, reps = 1, max_proposals = 4, seed = 3 }\n", pattern_path);
    write_file(path, text);
    snprintf(out, sizeof out, "%s/nine", dir);
    qisim_calibrate_options o = {.path = path, .out_dir = out, .threads = 2};
    static qisim_calibrate_result res;
    qisim_err err;
    int rc = qisim_calibrate(&o, &res, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, QISIM_OK);
    const qisim_cal_generation *g1 = &res.gens[1];
    print_message("generation 1: %lld proposals, %lld simulated, %d accepted\n", (long long)g1->proposals,
                  (long long)g1->simulated, g1->accepted);
    assert_int_equal(g1->accepted, 12);
    assert_true(g1->simulated <= 4 * 12);
    assert_true(g1->proposals > 4 * 12); /* more draws than the limit: only simulations count */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(recovers_the_truth_and_flags_the_inert_parameter),
        cmocka_unit_test(same_on_one_thread_and_after_a_resume),
        cmocka_unit_test(resume_extends_to_more_generations),
        cmocka_unit_test(calibration_file_errors),
        cmocka_unit_test(normal_and_beta_priors),
        cmocka_unit_test(moves_outside_the_prior_cost_no_simulation),
    };
    return cmocka_run_group_tests_name("calibrate", tests, setup, teardown);
}
