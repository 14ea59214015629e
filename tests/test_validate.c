/* The pattern engine: its statistics on hand-made traces, verdicts and figures, pattern-file
 * errors with file:line, and a real pattern's run the same on one thread or two. */
#include "test_helpers.h"

#include "qisim/validate.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    return test_make_dir(dir, sizeof dir, "validate");
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_dir(dir);
}

/* Writes text to dir/name and returns the path (static buffer). */
static const char *write_file(const char *name, const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static qisim_pattern *load_ok(const char *text)
{
    qisim_pattern *p = malloc(sizeof *p);
    assert_non_null(p);
    qisim_err err;
    int rc = qisim_pattern_load(write_file("ok.lua", text), p, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, QISIM_OK);
    return p;
}

/* Data of `reps` replicates for a pattern with n_series series, each of `weeks` weeks and
 * `elems` elements, filled by fill(rep, series, week, elem). */
static qisim_pattern_data make_data(int reps, int n_series, int weeks, int elems,
                                    double (*fill)(int rep, int s, int week, int e))
{
    qisim_pattern_data d = {reps, n_series, calloc((size_t)(reps * n_series), sizeof(qisim_trace))};
    assert_non_null(d.traces);
    for (int r = 0; r < reps; r++)
        for (int s = 0; s < n_series; s++) {
            qisim_trace *t = &d.traces[r * n_series + s];
            t->weeks = weeks;
            t->elems = elems;
            t->v = calloc((size_t)((weeks + 1) * elems), sizeof *t->v);
            assert_non_null(t->v);
            for (int w = 0; w <= weeks; w++)
                for (int e = 0; e < elems; e++)
                    t->v[w * elems + e] = fill(r, s, w, e);
        }
    return d;
}

/* Series 0 rises by 0.1 a week from 0.1 * rep; series 1 is 1 + week. */
static double ramps(int rep, int s, int week, int e)
{
    (void)e;
    return s == 0 ? 0.1 * rep + 0.1 * week : 1.0 + week;
}

/* A row per statistic lets the test read each through its row's first figure argument. */
static const char stats_file[] =
    "local a = arm { \"a\", scenario = \"x.lua\" }\n"
    "local s = series { arm = a, trust = \"T\", metric = \"culture\" }\n"
    "local u = series { arm = a, trust = \"T\", metric = \"waiting\" }\n"
    "local function show(x) row { title = \"t\", target = \"t\", source = \"S:L1\", figure = { \"%.6f\", x }, check = above(x, 0) } end\n"
    "show(median(at(s, 10)))\n"                                 /* 0 */
    "show(quantile(at(s, \"end\"), 0.25))\n"                    /* 1 */
    "show(mean(first(s, \">=\", 1.45)))\n"                       /* 2 */
    "show(missing(first(s, \">=\", 2.35)))\n"                   /* 3 */
    "pattern { id = \"T1\", kind = \"held_out\" }\n";

/* The mean's 95% interval, the statistic a paired difference between arms is judged by. */
static const char interval_file[] =
    "local a = arm { \"a\", scenario = \"x.lua\" }\n"
    "local s = series { arm = a, trust = \"T\", metric = \"culture\" }\n"
    "local function show(x) row { title = \"t\", target = \"t\", source = \"S:L1\", figure = { \"%.6f\", x }, check = above(x, 0) } end\n"
    "show(low95(at(s, 10)))\n"
    "show(high95(at(s, 10)))\n"
    "pattern { id = \"T3\", kind = \"held_out\" }\n";

static void statistics_on_synthetic_frames(void **state)
{
    (void)state;
    qisim_pattern *p = load_ok(stats_file);
    assert_int_equal(p->n_rows, 4);
    assert_int_equal(p->n_series, 2);
    /* 5 replicates of 20 weeks: s = 0.1 rep + 0.1 week */
    qisim_pattern_data d = make_data(5, 2, 20, 1, ramps);
    double v[4];
    for (int k = 0; k < 4; k++)
        v[k] = qisim_pattern_stat(p, &d, p->rows[k].parts[0].args[0]);
    assert_close(v[0], 1.2, 1e-12);           /* at week 10: 1.0 .. 1.4, median 1.2 */
    assert_close(v[1], 2.1, 1e-12);           /* at week 20: 2.0 .. 2.4, first quartile 2.1 */
    assert_close(v[2], (15 + 14 + 13 + 12 + 11) / 5.0, 1e-9); /* first week >= 1.45: 15 - rep */
    assert_close(v[3], 4, 0);                 /* by week 20 only rep 4 reaches 2.35 */
    qisim_pattern_data_free(&d);
    free(p);
    /* the mean's 95% interval at week 10: 1.2 -+ t(4) 2.776 x sd 0.1581 / sqrt 5 */
    p = load_ok(interval_file);
    d = make_data(5, 1, 20, 1, ramps);
    assert_close(qisim_pattern_stat(p, &d, p->rows[0].parts[0].args[0]), 1.2 - 2.776 * sqrt(0.025 / 5), 2e-3);
    assert_close(qisim_pattern_stat(p, &d, p->rows[1].parts[0].args[0]), 1.2 + 2.776 * sqrt(0.025 / 5), 2e-3);
    qisim_pattern_data_free(&d);
    free(p);
}

/* Team elements: team e of rep r waits 1 + e + week / 10; reliability 0.5 + 0.01 e. */
static double teams(int rep, int s, int week, int e)
{
    (void)rep;
    return s == 0 ? 1.0 + e + week / 10.0 : 0.5 + 0.01 * e * week;
}

static const char window_file[] =
    "local a = arm { \"a\", scenario = \"x.lua\" }\n"
    "local w = series { arm = a, teams = { \"x\", \"y\", \"z\" }, metric = \"waiting\" }\n"
    "local r = series { arm = a, level = \"team\", metric = \"reliability\" }\n"
    "local function show(x) row { title = \"t\", target = \"t\", source = \"S:L1\", figure = { \"%.6f\", x }, check = above(x, 0) } end\n"
    "show(median(mean(average(w), { from = 1, to = 4 })))\n"        /* mean of 2 + w/10, w 1..4: 2.25 */
    "show(max(max(w - 2, { from = 5, to = 10, floor = 0 })))\n"    /* team z: 1 + w/10 at week 10: 2 */
    "show(median(argmax(2 - w, { from = 3, floor = 0 })))\n"       /* only team x is above 0 (week 3), else from */
    "show(sum(le(at(r, \"end\") - at(r, 0), 0.05)))\n"             /* change 0.2 e: team 0 only, in both reps */
    "pattern { id = \"T2\", kind = \"held_out\" }\n";

static void windows_elements_and_floors(void **state)
{
    (void)state;
    qisim_pattern *p = load_ok(window_file);
    qisim_pattern_data d = make_data(2, 2, 20, 3, teams);
    assert_close(qisim_pattern_stat(p, &d, p->rows[0].parts[0].args[0]), 2.25, 1e-12);
    assert_close(qisim_pattern_stat(p, &d, p->rows[1].parts[0].args[0]), 2.0, 1e-12);
    assert_close(qisim_pattern_stat(p, &d, p->rows[2].parts[0].args[0]), 3.0, 0);
    assert_close(qisim_pattern_stat(p, &d, p->rows[3].parts[0].args[0]), 2.0, 0); /* team 0, both reps */
    qisim_pattern_data_free(&d);
    free(p);
}

static const char verdict_file[] =
    "local a = arm { \"a\", scenario = \"x.lua\" }\n"
    "local s = series { arm = a, trust = \"T\", metric = \"culture\" }\n"
    "local x = median(at(s, 10))\n"
    "local never = first(s, \">=\", 99)\n"
    "row { title = \"near\", target = \"1.2\", source = \"S:L1\", figure = { \"%.1f (%d%%)\", x, 100 * x },\n"
    "      check = near(x, 1.25, 0.06) }\n"
    "row { title = \"far\", target = \"1.2\", source = \"S:L1\", figure = { \"%+.2f\", x }, check = { near(x, 1.25, 0.06), below(x, 1) } }\n"
    "row { title = \"any\", target = \"t\", source = \"S:L1\",\n"
    "      figure = { { \"%d of %d\", count(never), n(never), when = above(count(never), 0) },\n"
    "                 { \"never (%d)\", missing(never), when = at_most(count(never), 0) } },\n"
    "      check = any { below(x, 1), between(x, 1.1, 1.3) }, knockout = { \"spread.on=0\", \"training.drop=0\" } }\n"
    "row { title = \"bp\", target = \"t\", source = \"S:L1\", figure = { \"x\" },\n"
    "      check = between(breakpoint { levels = { 1, 2, 3 }, values = { 0.5 * x, x, 2 * x }, reach = 2, flat_below = 1.3 }, 3, 3) }\n"
    "pattern { id = \"T3\", kind = \"calibration\", fitted = \"nothing\" }\n";

static void met_missed_and_figures(void **state)
{
    (void)state;
    qisim_pattern *p = load_ok(verdict_file);
    assert_true(p->calibration);
    qisim_pattern_data d = make_data(5, 1, 20, 1, ramps);
    qisim_row_result r;
    qisim_pattern_judge_row(p, &d, 0, &r);
    assert_true(r.met);
    assert_string_equal(r.figure, "1.2 (120%)");
    qisim_pattern_judge_row(p, &d, 1, &r);
    assert_false(r.met); /* the second check fails */
    assert_string_equal(r.figure, "+1.20");
    qisim_pattern_judge_row(p, &d, 2, &r);
    assert_true(r.met);
    assert_string_equal(r.figure, "never (5)");
    assert_int_equal(p->rows[2].n_knockout, 2);
    assert_string_equal(p->rows[2].knockout[1], "training.drop=0");
    qisim_pattern_judge_row(p, &d, 3, &r);
    assert_true(r.met); /* 0.6 and 1.2 under 1.3, then 2.4 reaches 2: level 3 */
    /* targets for calibration: near gives (target, tolerance); between (middle, half-width) */
    qisim_pattern_target t[8];
    int n = qisim_pattern_targets(p, t, 8);
    assert_int_equal(n, 3); /* rows 0, 1 and 3: any{} and below() give none */
    assert_close(t[0].target, 1.25, 1e-12);
    assert_close(t[0].scale, 0.06, 1e-12);
    assert_int_equal(t[2].row, 3);
    assert_close(t[2].target, 3, 1e-12);
    qisim_pattern_data_free(&d);
    free(p);
}

/* Loads text and expects an error whose message contains each of want[]. */
static void load_fails(const char *text, const char *const want[])
{
    qisim_pattern *p = malloc(sizeof *p);
    assert_non_null(p);
    qisim_err err;
    const char *path = write_file("bad.lua", text);
    assert_int_not_equal(qisim_pattern_load(path, p, &err), QISIM_OK);
    for (int k = 0; want[k]; k++)
        if (!strstr(err.msg, want[k])) {
            print_error("message '%s' lacks '%s'\n", err.msg, want[k]);
            fail();
        }
    assert_non_null(strstr(err.msg, path));
    free(p);
}

static void errors_name_file_line_and_suggest(void **state)
{
    (void)state;
    const char head[] = "local a = arm { \"a\", scenario = \"x.lua\" }\n";
    char text[1024];
    snprintf(text, sizeof text, "%slocal s = series { arm = a, trust = \"T\", metrc = \"culture\" }\n", head);
    load_fails(text, (const char *const[]){"bad.lua:2:", "did you mean 'metric'", NULL});
    snprintf(text, sizeof text, "%slocal s = series { arm = a, trust = \"T\", metric = \"cultur\" }\n", head);
    load_fails(text, (const char *const[]){"bad.lua:2:", "did you mean 'culture'", NULL});
    snprintf(text, sizeof text, "%slocal s = series { arm = \"b\", trust = \"T\", metric = \"culture\" }\n", head);
    load_fails(text, (const char *const[]){"bad.lua:2:", "no arm 'b'", NULL});
    snprintf(text, sizeof text, "%slocal s = series { arm = a, trust = \"T\", metric = \"culture\" }\n\nlocal m = median(s)\n", head);
    load_fails(text, (const char *const[]){"bad.lua:4:", "median needs a figure per replicate", NULL});
    snprintf(text, sizeof text, "%slocal x = undefined_thing + 1\n", head);
    load_fails(text, (const char *const[]){"bad.lua:2:", "undefined global 'undefined_thing'", NULL});
    snprintf(text, sizeof text, "%slocal s = series { arm = a, trust = \"T\", metric = \"culture\" }\n"
                                "row { title = \"t\", target = \"t\", source = \"S\", figure = { \"x\" }, check = median(at(s, 1)),\n"
                                "      knockout = { \"spread.rat=0\" } }\n", head);
    load_fails(text, (const char *const[]){"bad.lua:", "not a check", NULL});
    snprintf(text, sizeof text, "%slocal s = series { arm = a, trust = \"T\", metric = \"culture\" }\n"
                                "row { title = \"t\", target = \"t\", source = \"S\", figure = { \"x\" }, check = above(median(at(s, 1)), 0),\n"
                                "      knockout = { \"spread.rat=0\" } }\n", head);
    load_fails(text, (const char *const[]){"bad.lua:3:", "spread.rat", "did you mean 'spread.rate'", NULL});
    load_fails("local x = quantle\n", (const char *const[]){"bad.lua:1:", "did you mean 'quantile'?", NULL});
    load_fails("local x = math.random()\n", (const char *const[]){"bad.lua:1:", "math.random is not available", NULL});
    snprintf(text, sizeof text, "%slocal s = series { arm = a, trust = \"T\", metric = \"culture\" }\n"
                                "local x = median(at(s, 1))\nfor i = 1, 100 do x = x + x end\n", head);
    load_fails(text, (const char *const[]){"bad.lua:4:", "expression too large", NULL});
    load_fails("while true do end\n", (const char *const[]){"bad.lua:1:", "instruction budget", NULL});
    load_fails(head, (const char *const[]){"no pattern{", NULL});
}

/* A tiny scenario of two trusts whose pattern is run on one thread and on two. */
static void runs_are_paired_and_thread_independent(void **state)
{
    (void)state;
    char scenario[128];
    snprintf(scenario, sizeof scenario, "%s", write_file("tiny.lua",
        "scenario { name = \"tiny\", weeks = 20 }\n"
        "local r = region { name = \"R\" }\n"
        "local t = trust { name = \"A\", region = r, staff = 120, teams = 4 }\n"
        "regulator { name = \"CQC\" }\n"
        "if arg(\"train\", 0) == 1 then at(0, function() t:train { tier = \"practitioner\", share = 0.3, project = true } end) end\n"));
    char text[2048];
    snprintf(text, sizeof text,
             "local on = arm { \"on\", scenario = \"%s\", args = { train = 1 } }\n"
             "local off = arm { \"off\", scenario = \"%s\" }\n"
             "local p_on = series { arm = on, trust = \"A\", metric = \"practising_share\" }\n"
             "local p_off = series { arm = off, trust = \"A\", metric = \"practising_share\" }\n"
             "local d = median(at(p_on, \"end\") - at(p_off, \"end\"))\n"
             "row { title = \"t\", target = \"t\", source = \"S\", figure = { \"%%.4f\", d }, check = above(d, 0) }\n"
             "pattern { id = \"X1\", kind = \"held_out\" }\n", scenario, scenario);
    qisim_pattern *p = load_ok(text);
    qisim_validate_options o = {.seed = 3, .reps = 4, .threads = 1};
    qisim_pattern_data d1, d2;
    qisim_err err;
    assert_int_equal(qisim_pattern_run(p, &o, NULL, 0, &d1, &err), QISIM_OK);
    o.threads = 2;
    assert_int_equal(qisim_pattern_run(p, &o, NULL, 0, &d2, &err), QISIM_OK);
    for (int i = 0; i < d1.reps * d1.n_series; i++) {
        assert_int_equal(d1.traces[i].weeks, 20);
        assert_memory_equal(d1.traces[i].v, d2.traces[i].v, 21 * sizeof(double));
    }
    qisim_row_result r;
    qisim_pattern_judge_row(p, &d1, 0, &r);
    assert_true(r.met); /* training makes staff practise */
    qisim_pattern_data_free(&d1);
    qisim_pattern_data_free(&d2);
    /* a knock-out setting reaches every arm: with training off, no difference */
    const char *ko[] = {"training.on=0"};
    assert_int_equal(qisim_pattern_run(p, &o, ko, 1, &d1, &err), QISIM_OK);
    qisim_pattern_judge_row(p, &d1, 0, &r);
    assert_false(r.met);
    qisim_pattern_data_free(&d1);
    /* a name the scenario lacks is an error naming the pattern file */
    snprintf(text, sizeof text,
             "local on = arm { \"on\", scenario = \"%s\" }\n"
             "local s = series { arm = on, trust = \"Nope\", metric = \"culture\" }\n"
             "row { title = \"t\", target = \"t\", source = \"S\", figure = { \"x\" }, check = above(median(at(s, 1)), 0) }\n"
             "pattern { id = \"X2\", kind = \"held_out\" }\n", scenario);
    free(p);
    p = load_ok(text);
    assert_int_not_equal(qisim_pattern_run(p, &o, NULL, 0, &d1, &err), QISIM_OK);
    assert_non_null(strstr(err.msg, "no trust named 'Nope'"));
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(statistics_on_synthetic_frames),
        cmocka_unit_test(windows_elements_and_floors),
        cmocka_unit_test(met_missed_and_figures),
        cmocka_unit_test(errors_name_file_line_and_suggest),
        cmocka_unit_test(runs_are_paired_and_thread_independent),
    };
    return cmocka_run_group_tests_name("validate", tests, setup, teardown);
}
