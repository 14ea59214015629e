/* The report layer: a run folder read back and summarised, bad result files refused with file and
 * line, Chart.js inlined safely, the HTML report self-contained and escaped, downsampling. */
#include "test_helpers.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qisim/compare.h"
#include "qisim/io.h"
#include "qisim/metrics.h"
#include "qisim/report.h"
#include "qisim/run.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return test_make_dir(tmpdir, sizeof tmpdir, "report");
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_dir(tmpdir);
}

/* Makes tmpdir/name and writes its series.csv (and events.csv, manifest.json when given). */
static void write_run(const char *name, const char *series, const char *events, const char *manifest, char *dir,
                      size_t size)
{
    char path[600];
    snprintf(dir, size, "%s/%s", tmpdir, name);
    mkdir(dir, 0777);
    if (series)
        test_write_file(dir, "series.csv", series, path, sizeof path);
    if (events)
        test_write_file(dir, "events.csv", events, path, sizeof path);
    if (manifest)
        test_write_file(dir, "manifest.json", manifest, path, sizeof path);
}

static const char three_reps[] =
    "week,replicate,level,entity,metric,value\n"
    "0,0,trust,\"Trust, A\",culture,1\n"
    "5,0,trust,\"Trust, A\",culture,NA\n"
    "0,1,trust,\"Trust, A\",culture,2\n"
    "5,1,trust,\"Trust, A\",culture,4\n"
    "0,2,trust,\"Trust, A\",culture,3\n"
    "0,0,system,system,culture,7\n";

static void a_run_is_summarised_across_replicates(void **state)
{
    (void)state;
    char dir[400];
    write_run("three", three_reps, "week,replicate,level,entity,event,detail\n0,0,trust,A,training,tier=leader\n"
              "3,1,trust,A,training,tier=leader\n4,0,trust,A,inspection,rating=good\n", NULL, dir, sizeof dir);
    qisim_run_data d;
    qisim_err err;
    assert_int_equal(qisim_run_load(dir, &d, &err), QISIM_OK);
    assert_int_equal(d.n_series, 2);
    assert_int_equal(d.replicates, 3);
    assert_int_equal(d.last_week, 5);
    const qisim_run_series *s = qisim_run_find(&d, "trust", "Trust, A", "culture");
    assert_non_null(s);
    assert_int_equal(s->n, 2);
    assert_int_equal(s->week[0], 0);
    assert_int_equal(s->reps[0], 3);
    assert_close(s->mean[0], 2.0, 1e-12);
    /* sd 1, t(0.975, 2) = 4.303: half-width 4.303 / sqrt(3) */
    assert_close(s->ci_hi[0] - s->mean[0], 4.303 / sqrt(3.0), 1e-9);
    assert_close(s->p_lo[0], 1.05, 1e-12);
    assert_close(s->p_hi[0], 2.95, 1e-12);
    /* week 5: one value (the NA is left out), so no interval */
    assert_int_equal(s->reps[1], 1);
    assert_close(s->mean[1], 4.0, 1e-12);
    assert_true(isnan(s->ci_lo[1]));
    assert_null(qisim_run_find(&d, "trust", "Trust, A", "reliability"));
    /* events: the timeline keeps replicate 0, the counts cover all */
    assert_int_equal(d.n_events, 2);
    assert_int_equal(d.events_total, 3);
    assert_string_equal(d.events[1].event, "inspection");
    assert_int_equal(d.n_event_counts, 2);
    assert_int_equal(d.event_counts[0].count, 2);
    assert_null(d.manifest);
    qisim_run_free(&d);
}

static void bad_result_files_are_refused_with_file_and_line(void **state)
{
    (void)state;
    char dir[400];
    qisim_run_data d;
    qisim_err err;
    write_run("none", NULL, NULL, NULL, dir, sizeof dir);
    assert_int_equal(qisim_run_load(dir, &d, &err), QISIM_EIO);
    assert_non_null(strstr(err.msg, "none/series.csv"));
    write_run("header", "week,rep,level,entity,metric,value\n", NULL, NULL, dir, sizeof dir);
    assert_int_equal(qisim_run_load(dir, &d, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "header/series.csv:1: not a qisim series"));
    write_run("value", "week,replicate,level,entity,metric,value\n0,0,trust,A,culture,1\n1,0,trust,A,culture,x1\n",
              NULL, NULL, dir, sizeof dir);
    assert_int_equal(qisim_run_load(dir, &d, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "value/series.csv:3: value 'x1' is not a number"));
    write_run("week", "week,replicate,level,entity,metric,value\n-1,0,trust,A,culture,1\n", NULL, NULL, dir, sizeof dir);
    assert_int_equal(qisim_run_load(dir, &d, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "week/series.csv:2:"));
    /* a replicate number sizes arrays: one far ahead of the rows is not qisim's */
    write_run("replicate", "week,replicate,level,entity,metric,value\n0,90000000,trust,A,culture,1\n", NULL, NULL, dir,
              sizeof dir);
    assert_int_equal(qisim_run_load(dir, &d, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "replicate/series.csv:2: replicate 90000000 before its rows"));
    /* 3000 weeks of replicate 0 and then one row of replicate 2999: each of the 3000 points
     * would hold 3000 replicates' slots for 3001 values, which is no qisim series (a file a few
     * times larger would ask for gigabytes) */
    size_t cap = 3100 * 40, len = 0;
    char *sparse = malloc(cap);
    assert_non_null(sparse);
    len += (size_t)snprintf(sparse + len, cap - len, "week,replicate,level,entity,metric,value\n");
    for (int wk = 0; wk < 3000; wk++)
        len += (size_t)snprintf(sparse + len, cap - len, "%d,0,team,T,practising,0.5\n", wk);
    snprintf(sparse + len, cap - len, "0,2999,team,T,practising,0.5\n");
    write_run("sparse", sparse, NULL, NULL, dir, sizeof dir);
    free(sparse);
    assert_int_equal(qisim_run_load(dir, &d, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "sparse/series.csv: 3001 values for 3000 points of 3000 replicates: not a qisim series"));
    write_run("empty", "week,replicate,level,entity,metric,value\n", NULL, NULL, dir, sizeof dir);
    assert_int_equal(qisim_run_load(dir, &d, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "nothing was recorded"));
    write_run("events", three_reps, "week,replicate,level,entity,event\n", NULL, dir, sizeof dir);
    assert_int_equal(qisim_run_load(dir, &d, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "events/events.csv:1: not a qisim events file"));
    write_run("manifest", three_reps, NULL, "{\"seed\": 1,", dir, sizeof dir);
    assert_int_equal(qisim_run_load(dir, &d, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "manifest/manifest.json is not one valid JSON object"));
}

static void json_strings_are_found_by_path(void **state)
{
    (void)state;
    const char text[] = "{\"seed\": 1, \"x\": {\"path\": \"no\"}, \"scenario\": {\"sha256\": [1, 2], "
                        "\"path\": \"a\\\"b\\\\c.lua\"}}";
    static const char *const path[] = {"scenario", "path"}, *const sha[] = {"scenario", "sha256"},
                             *const none[] = {"scenario", "name"}, *const deep[] = {"seed", "path"};
    char out[64];
    bool found;
    assert_int_equal(qisim_json_find_string(text, strlen(text), path, 2, out, sizeof out, &found), QISIM_OK);
    assert_true(found);
    assert_string_equal(out, "a\"b\\c.lua");
    assert_int_equal(qisim_json_find_string(text, strlen(text), path, 2, out, 4, &found), QISIM_OK);
    assert_string_equal(out, "a\"b");
    assert_int_equal(qisim_json_find_string(text, strlen(text), sha, 2, out, sizeof out, &found), QISIM_OK);
    assert_false(found);
    assert_int_equal(qisim_json_find_string(text, strlen(text), none, 2, out, sizeof out, &found), QISIM_OK);
    assert_false(found);
    assert_int_equal(qisim_json_find_string(text, strlen(text), deep, 2, out, sizeof out, &found), QISIM_EINVAL);
    assert_int_equal(qisim_json_find_string("{\"scenario\": {\"path\" 1}", 23, path, 2, out, sizeof out, &found), QISIM_EINVAL);
}

/* Writes a stand-in for chart.min.js and returns its path in path. */
static void fake_chartjs(const char *text, char *path, size_t size)
{
    test_write_file(tmpdir, "chart.min.js", text, path, size);
}

static void chartjs_is_inlined_or_refused(void **state)
{
    (void)state;
    char lib[600], out[600];
    qisim_err err;
    fake_chartjs("window.Chart = function () {}; // a < b\n", lib, sizeof lib);
    snprintf(out, sizeof out, "%s/inline.html", tmpdir);
    FILE *f = fopen(out, "w");
    assert_int_equal(qisim_chartjs_inline(f, lib, &err), QISIM_OK);
    fclose(f);
    char *text = test_slurp(out, NULL);
    assert_non_null(strstr(text, "<script>\nwindow.Chart = function () {}; // a < b\n\n</script>\n"));
    free(text);
    /* "</script" would close the element: refused, wherever it falls in the reading blocks */
    char *big = malloc(200000);
    memset(big, 'x', 199999);
    big[199999] = '\0';
    memcpy(big + 65536 - 3, "</ScRiPt>", 9);
    fake_chartjs(big, lib, sizeof lib);
    free(big);
    f = fopen(out, "w");
    assert_int_equal(qisim_chartjs_inline(f, lib, &err), QISIM_EINVAL);
    fclose(f);
    assert_non_null(strstr(err.msg, "</script"));
    f = fopen(out, "w");
    assert_int_equal(qisim_chartjs_inline(f, "/nonexistent/chart.min.js", &err), QISIM_EIO);
    fclose(f);
    assert_non_null(strstr(err.msg, "libjs-chart.js"));
}

static int count(const char *text, const char *what)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, what)) != NULL; p++)
        n++;
    return n;
}

static void the_report_stands_alone_and_escapes_names(void **state)
{
    (void)state;
    char a[400], b[400], lib[600], out[600];
    const char *hostile = "week,replicate,level,entity,metric,value\n"
                          "0,0,trust,</script><script>alert(1)</script>,culture,0.5\n"
                          "1,0,trust,</script><script>alert(1)</script>,culture,0.6\n";
    write_run("a", hostile, NULL, "{\"seed\": 3, \"scenario\": {\"path\": \"</script>\"}}", a, sizeof a);
    write_run("b", hostile, NULL, "{\"seed\": 3}", b, sizeof b);
    fake_chartjs("window.Chart = 1;\n", lib, sizeof lib);
    snprintf(out, sizeof out, "%s/r.html", tmpdir);
    const char *dirs[] = {a, b}, *labels[] = {"arm <A>", "arm B"};
    qisim_report_options o = {.dirs = dirs, .n_dirs = 2, .labels = labels, .out = out, .chartjs = lib};
    qisim_err err;
    assert_int_equal(qisim_report_write(&o, &err), QISIM_OK);
    char *text = test_slurp(out, NULL);
    assert_non_null(text);
    /* the data block, the library and the page script: three elements, closed three times */
    assert_int_equal(count(text, "</script"), 3);
    assert_int_equal(count(text, "<script"), 3);
    assert_null(strstr(text, "alert(1)</"));
    assert_non_null(strstr(text, "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"));
    assert_non_null(strstr(text, "<title>qisim report: arm &lt;A&gt; vs arm B</title>"));
    assert_null(strstr(text, "http://"));
    assert_null(strstr(text, "https://"));
    /* the two arms are compared (same seed: paired) */
    assert_non_null(strstr(text, "\"comparisons\":[{\"a\":0,\"b\":1,\"rows\":["));
    assert_non_null(strstr(text, "\"culture\",1,1,1,true,0.6,0.6,0"));
    assert_non_null(strstr(text, "\"reliability\":{\"unit\":\"share of care\""));
    free(text);
    /* a failure leaves no report, finished or temporary */
    unlink(out);
    o.chartjs = "/nonexistent/chart.min.js";
    assert_int_equal(qisim_report_write(&o, &err), QISIM_EIO);
    assert_int_equal(access(out, F_OK), -1);
    char tmp[700];
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    assert_int_equal(access(tmp, F_OK), -1);
}

/* The arms' difference at every week both recorded, with its 95% interval: paired by replicate
 * under the same seed (week 0: every pair differs by 0.1, so the interval is that point), Welch
 * under different seeds; a series only one arm has gets none. */
static void the_difference_between_arms_is_given_over_time(void **state)
{
    (void)state;
    char a[400], b[400], c[400], lib[600], out[600];
    write_run("over_a", "week,replicate,level,entity,metric,value\n"
                        "0,0,system,system,culture,0.1\n1,0,system,system,culture,0.2\n"
                        "0,1,system,system,culture,0.2\n1,1,system,system,culture,0.3\n"
                        "0,2,system,system,culture,0.3\n1,2,system,system,culture,0.4\n",
              NULL, "{\"seed\": 3}", a, sizeof a);
    const char *b_series = "week,replicate,level,entity,metric,value\n"
                           "0,0,system,system,culture,0.2\n1,0,system,system,culture,0.5\n0,0,system,system,reliability,0.5\n"
                           "0,1,system,system,culture,0.3\n1,1,system,system,culture,0.4\n"
                           "0,2,system,system,culture,0.4\n1,2,system,system,culture,0.9\n";
    write_run("over_b", b_series, NULL, "{\"seed\": 3}", b, sizeof b);
    write_run("over_c", b_series, NULL, "{\"seed\": 4}", c, sizeof c);
    fake_chartjs("window.Chart = 1;\n", lib, sizeof lib);
    snprintf(out, sizeof out, "%s/over.html", tmpdir);
    const char *dirs[] = {a, b, c};
    qisim_report_options o = {.dirs = dirs, .n_dirs = 3, .out = out, .chartjs = lib};
    qisim_err err;
    assert_int_equal(qisim_report_write(&o, &err), QISIM_OK);
    char *text = test_slurp(out, NULL);
    assert_non_null(text);
    /* paired: week 1's differences 0.3, 0.1, 0.5: mean 0.3, sd 0.2, 0.3 -/+ 4.303 * 0.2 / sqrt 3 */
    assert_non_null(strstr(text, "\"over_time\":[\n[\"system\",\"system\",\"culture\",[0,1],[0.1,0.3],[0.1,-0.1969],[0.1,0.7969]]]"));
    /* Welch: week 0 0.1 -/+ 2.776 * sqrt(0.01/3 + 0.01/3) (df 4), week 1 0.3 -/+ 4.303 * 0.1633 (df 2.56) */
    assert_non_null(strstr(text, "\"culture\",[0,1],[0.1,0.3],[-0.1267,-0.4027],[0.3267,1.003]]]"));
    assert_int_equal(count(text, "\"reliability\",[0]"), 0);
    free(text);
}

static void long_series_are_downsampled_keeping_the_last_week(void **state)
{
    (void)state;
    char dir[400], lib[600], out[600], path[600];
    snprintf(dir, sizeof dir, "%s/long", tmpdir);
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/series.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("week,replicate,level,entity,metric,value\n", f);
    for (int w = 0; w <= 999; w++)
        fprintf(f, "%d,0,system,system,culture,%d\n", w, w);
    fclose(f);
    fake_chartjs("window.Chart = 1;\n", lib, sizeof lib);
    snprintf(out, sizeof out, "%s/long.html", tmpdir);
    const char *dirs[] = {dir};
    qisim_report_options o = {.dirs = dirs, .n_dirs = 1, .out = out, .chartjs = lib, .max_points = 100};
    qisim_err err;
    assert_int_equal(qisim_report_write(&o, &err), QISIM_OK);
    char *text = test_slurp(out, NULL);
    const char *w = strstr(text, "\"stride\":10,\"w\":[0,10,20,");
    assert_non_null(w);
    const char *end = strchr(w, ']');
    assert_non_null(strstr(w, ",990,999]"));
    assert_true(strstr(w, ",990,999]") + 8 == end);
    int commas = 0;
    for (const char *p = w; p < end; p++)
        commas += *p == ',';
    assert_int_equal(commas - 1, 100); /* after the stride's comma, 101 points: 0, 10, ..., 990 and 999 */
    free(text);
}

static void every_listed_direction_names_a_metric(void **state)
{
    (void)state;
    int higher = 0, lower = 0;
    for (int m = 0; m < qisim_metric_count(); m++) {
        int b = qisim_metric_better(m);
        higher += b > 0;
        lower += b < 0;
    }
    /* the counts of the two lists in metrics.c: a misspelt name would not be counted */
    assert_int_equal(higher, 17);
    assert_int_equal(lower, 13);
    assert_int_equal(qisim_metric_better(qisim_metric_find("reliability")), 1);
    assert_int_equal(qisim_metric_better(qisim_metric_find("harm_rate")), -1);
    assert_int_equal(qisim_metric_better(qisim_metric_find("qi_spend")), 0);
    assert_int_equal(qisim_metric_better(-1), 0);
}

/* One line on stderr, no newline before its end. */
static bool one_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    return nl && nl[1] == '\0';
}

static void the_command_line_writes_the_report_or_says_why_not(void **state)
{
    (void)state;
    char dir[400], lib[600], args[1600], path[800];
    test_result *r = malloc(sizeof *r);
    write_run("cli", three_reps, NULL, NULL, dir, sizeof dir);
    fake_chartjs("window.Chart = 1;\n", lib, sizeof lib);
    setenv("QISIM_CHARTJS", lib, 1);
    snprintf(args, sizeof args, "report %s", dir);
    test_run(r, tmpdir, args, 60);
    assert_int_equal(r->status, 0);
    snprintf(path, sizeof path, "%s/report.html\n", dir);
    assert_string_equal(r->out, path);
    path[strlen(path) - 1] = '\0';
    assert_int_equal(access(path, F_OK), 0);
    test_run(r, tmpdir, "report", 60);
    assert_int_equal(r->status, 2);
    snprintf(args, sizeof args, "report %s %s --label one", dir, dir);
    test_run(r, tmpdir, args, 60);
    assert_int_equal(r->status, 2);
    assert_non_null(strstr(r->err, "1 --label for 2 folders"));
    snprintf(args, sizeof args, "report %s/missing", tmpdir);
    test_run(r, tmpdir, args, 60);
    assert_int_equal(r->status, 1);
    assert_true(one_line(r->err));
    assert_non_null(strstr(r->err, "missing/series.csv"));
    setenv("QISIM_CHARTJS", "/nonexistent/chart.min.js", 1);
    snprintf(args, sizeof args, "report %s --out %s/x.html", dir, tmpdir);
    test_run(r, tmpdir, args, 60);
    assert_int_equal(r->status, 1);
    assert_true(one_line(r->err));
    assert_non_null(strstr(r->err, "libjs-chart.js"));
    snprintf(path, sizeof path, "%s/x.html", tmpdir);
    assert_int_equal(access(path, F_OK), -1);
    unsetenv("QISIM_CHARTJS");
    free(r);
}

static void plot_draws_a_figure_through_gnuplot(void **state)
{
    (void)state;
    char dir[400], args[1600], fig[600];
    test_result *r = malloc(sizeof *r);
    const char *series = "week,replicate,level,entity,metric,value\n"
                         "0,0,trust,\"Trust, A\",culture,0.1\n5,0,trust,\"Trust, A\",culture,0.2\n10,0,trust,\"Trust, A\",culture,0.3\n"
                         "0,1,trust,\"Trust, A\",culture,0.2\n5,1,trust,\"Trust, A\",culture,0.3\n10,1,trust,\"Trust, A\",culture,0.5\n";
    write_run("plot", series, NULL, NULL, dir, sizeof dir);
    snprintf(fig, sizeof fig, "%s/fig.svg", tmpdir);
    snprintf(args, sizeof args, "plot %s --metric culture --title 'A title' --out %s", dir, fig);
    test_run(r, tmpdir, args, 60);
    assert_int_equal(r->status, 0);
    char *svg = test_slurp(fig, NULL);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "<svg"));
    assert_non_null(strstr(svg, "A title"));
    assert_non_null(strstr(svg, "Trust, A"));                  /* the key names the entity */
    assert_non_null(strstr(svg, "stroke='rgb( 31, 119, 180)'")); /* its line */
    assert_non_null(strstr(svg, "fill = 'rgb( 31, 119, 180)'")); /* its band */
    free(svg);
    /* a metric not recorded: one line naming the folder and what is recorded, nothing written */
    snprintf(fig, sizeof fig, "%s/bad.svg", tmpdir);
    snprintf(args, sizeof args, "plot %s --metric cultur --out %s", dir, fig);
    test_run(r, tmpdir, args, 60);
    assert_int_equal(r->status, 1);
    assert_true(one_line(r->err));
    assert_non_null(strstr(r->err, "metric 'cultur' is not recorded in"));
    assert_non_null(strstr(r->err, "did you mean 'culture'"));
    assert_int_equal(access(fig, F_OK), -1);
    snprintf(args, sizeof args, "plot %s --metric culture --entity Nowhere --out %s", dir, fig);
    test_run(r, tmpdir, args, 60);
    assert_int_equal(r->status, 1);
    assert_non_null(strstr(r->err, "no trust 'Nowhere'"));
    snprintf(args, sizeof args, "plot %s --metric culture --out %s/fig.jpg", dir, tmpdir);
    test_run(r, tmpdir, args, 60);
    assert_int_equal(r->status, 1);
    assert_non_null(strstr(r->err, ".svg, .png or .pdf"));
    snprintf(args, sizeof args, "plot %s --metric culture --weeks 5:3 --out %s", dir, fig);
    test_run(r, tmpdir, args, 60);
    assert_int_equal(r->status, 2);
    setenv("QISIM_GNUPLOT", "/nonexistent/gnuplot", 1);
    snprintf(args, sizeof args, "plot %s --metric culture --out %s", dir, fig);
    test_run(r, tmpdir, args, 60);
    unsetenv("QISIM_GNUPLOT");
    assert_int_equal(r->status, 1);
    assert_true(one_line(r->err));
    assert_non_null(strstr(r->err, "gnuplot-nox"));
    assert_int_equal(access(fig, F_OK), -1);
    free(r);
}

/* A run folder says which trust and region each team belongs to, which teams were in a
 * collaborative and which trusts had a partner; an action the run never reaches is warned of. */
static void a_run_folder_describes_its_entities(void **state)
{
    (void)state;
    char path[600], args[1600];
    test_result *r = malloc(sizeof *r);
    test_write_file(tmpdir, "described.lua",
                    "scenario { name = 'described', weeks = 10 }\n"
                    "local r = region { name = 'North, East' }\n"
                    "local a = trust { name = 'A', region = r, teams = { { name = 'Ward \"1\"', staff = 12 }, 10, 10 } }\n"
                    "local b = trust { name = 'B', region = r, staff = 60, teams = 3 }\n"
                    "at(2, function() collaborative { name = 'Flow', teams = { a:teams()[1], b:teams()[2] }, weeks = 5 } end)\n"
                    "at(3, function() b:support(a) end)\n"
                    "at(10, function() end)\n"
                    "record { 'culture', levels = { 'trust' } }\n",
                    path, sizeof path);
    snprintf(args, sizeof args, "run %s --reps 2 --label 'arm one' --out %s/described --quiet", path, tmpdir);
    test_run(r, tmpdir, args, 60);
    assert_int_equal(r->status, 0);
    assert_non_null(strstr(r->err, "warning: at(10) is at or after the run's end (week 10): its action never runs"));
    snprintf(path, sizeof path, "%s/described/entities.csv", tmpdir);
    char *text = test_slurp(path, NULL);
    assert_non_null(text);
    assert_string_equal(text, "level,entity,id,trust,region\n"
                              "team,\"Ward \"\"1\"\"\",0,A,\"North, East\"\nteam,A/2,1,A,\"North, East\"\n"
                              "team,A/3,2,A,\"North, East\"\nteam,B/1,3,B,\"North, East\"\nteam,B/2,4,B,\"North, East\"\n"
                              "team,B/3,5,B,\"North, East\"\ntrust,A,0,A,\"North, East\"\ntrust,B,1,B,\"North, East\"\n"
                              "region,\"North, East\",0,,\"North, East\"\n");
    free(text);
    snprintf(path, sizeof path, "%s/described/memberships.csv", tmpdir);
    text = test_slurp(path, NULL);
    assert_non_null(text);
    /* the member's id last: team 0 and team 4 (B/2), trust 0 (A) */
    assert_string_equal(text, "replicate,kind,group,level,entity,from_week,to_week,id\n"
                              "0,collaborative,Flow,team,\"Ward \"\"1\"\"\",2,7,0\n0,collaborative,Flow,team,B/2,2,7,4\n"
                              "0,exemplar_partner,B,trust,A,3,,0\n"
                              "1,collaborative,Flow,team,\"Ward \"\"1\"\"\",2,7,0\n1,collaborative,Flow,team,B/2,2,7,4\n"
                              "1,exemplar_partner,B,trust,A,3,,0\n");
    free(text);
    snprintf(path, sizeof path, "%s/described/manifest.json", tmpdir);
    text = test_slurp(path, NULL);
    assert_non_null(strstr(text, "{\n  \"qisim_version\": \"" QISIM_VERSION "\",\n  \"label\": \"arm one\",\n"));
    free(text);
    free(r);
}

static void collect_stacks_runs_with_their_labels_and_trusts(void **state)
{
    (void)state;
    char a[400], b[400], path[600], out[600];
    write_run("arm-a", "week,replicate,level,entity,metric,value\n0,0,team,Ward,culture,0.5\n0,0,trust,A,culture,NA\n",
              NULL, "{\"label\": \"arm \\\"A\\\"\", \"seed\": 4, \"args\": [\"x=1\", \"y=two words\"]}", a, sizeof a);
    test_write_file(a, "entities.csv", "level,entity,id,trust,region\nteam,Ward,0,A,\"North, East\"\ntrust,A,0,A,\"North, East\"\n",
                    path, sizeof path);
    /* no label: the folder's name; a team name two trusts share: told apart by the order of a
     * week's rows (team by team in id order), and never a wrong trust: a third Ward gets none */
    write_run("arm-b/", "week,replicate,level,entity,metric,value\n3,1,team,Ward,culture,1e-05\n3,1,team,Ward,knowhow,1\n"
                        "3,1,team,Ward,culture,2\n3,1,team,Ward,knowhow,3\n3,1,team,Ward,culture,4\n4,1,team,Ward,culture,5\n",
              NULL, "{\"seed\": 5}", b, sizeof b);
    test_write_file(b, "entities.csv", "level,entity,id,trust,region\nteam,Ward,7,B,S\nteam,Ward,0,A,N\n", path, sizeof path);
    snprintf(out, sizeof out, "%s/all.csv", tmpdir);
    const char *dirs[] = {a, b};
    qisim_err err;
    assert_int_equal(qisim_collect(dirs, 2, out, NULL, false, &err), QISIM_OK);
    char *text = test_slurp(out, NULL), expected[6000];
    snprintf(expected, sizeof expected,
             "run,label,seed,args,week,replicate,level,entity,trust,region,metric,value\n"
             "%s,\"arm \"\"A\"\"\",4,x=1 y=two words,0,0,team,Ward,A,\"North, East\",culture,0.5\n"
             "%s,\"arm \"\"A\"\"\",4,x=1 y=two words,0,0,trust,A,A,\"North, East\",culture,NA\n"
             "%s,arm-b,5,,3,1,team,Ward,A,N,culture,1e-05\n%s,arm-b,5,,3,1,team,Ward,A,N,knowhow,1\n"
             "%s,arm-b,5,,3,1,team,Ward,B,S,culture,2\n%s,arm-b,5,,3,1,team,Ward,B,S,knowhow,3\n"
             "%s,arm-b,5,,3,1,team,Ward,,,culture,4\n%s,arm-b,5,,4,1,team,Ward,A,N,culture,5\n",
             a, a, b, b, b, b, b, b);
    assert_string_equal(text, expected);
    free(text);
    /* events: one row per key=value pair (a value runs to the next " key="), other words as one row */
    test_write_file(a, "events.csv",
                    "week,replicate,level,entity,event,detail\n"
                    "3,0,system,system,collaborative,name=Access two teams=15\n"
                    "4,0,trust,A,special_measures,exited after 12 weeks\n"
                    "5,0,trust,A,leadership_development,\n"
                    "6,0,system,system,regulator_stance,CQC stance=0.5\n",
                    path, sizeof path);
    assert_int_equal(qisim_collect(dirs, 1, out, NULL, true, &err), QISIM_OK);
    text = test_slurp(out, NULL);
    snprintf(expected, sizeof expected,
             "run,label,seed,args,week,replicate,level,entity,trust,region,event,detail,key,value\n"
             "%s,\"arm \"\"A\"\"\",4,x=1 y=two words,3,0,system,system,,,collaborative,name=Access two teams=15,name,Access two\n"
             "%s,\"arm \"\"A\"\"\",4,x=1 y=two words,3,0,system,system,,,collaborative,name=Access two teams=15,teams,15\n"
             "%s,\"arm \"\"A\"\"\",4,x=1 y=two words,4,0,trust,A,A,\"North, East\",special_measures,exited after 12 weeks,,exited after 12 weeks\n"
             "%s,\"arm \"\"A\"\"\",4,x=1 y=two words,5,0,trust,A,A,\"North, East\",leadership_development,,,\n"
             "%s,\"arm \"\"A\"\"\",4,x=1 y=two words,6,0,system,system,,,regulator_stance,CQC stance=0.5,,CQC\n"
             "%s,\"arm \"\"A\"\"\",4,x=1 y=two words,6,0,system,system,,,regulator_stance,CQC stance=0.5,stance,0.5\n",
             a, a, a, a, a, a);
    assert_string_equal(text, expected);
    free(text);
    /* a folder that is not a run: one message naming the file, and no output file */
    unlink(out);
    write_run("not-a-run", "a,b\n", NULL, NULL, path, sizeof path);
    const char *bad[] = {a, path};
    assert_int_equal(qisim_collect(bad, 2, out, NULL, false, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "not-a-run/series.csv:1: not a qisim series"));
    assert_int_equal(access(out, F_OK), -1);
}

/* Teams of two trusts named alike: every stacked row of a real run carries its own team's trust,
 * events too (by events.csv's id column): B's Ward seconds staff at week 1, A's at week 2. */
/* A real run of two trusts, A and B, each with a team called Ward (A's first, B's last, with
 * more staff), into tmpdir/dup: 2 replicates, team reliability at weeks 0, 2, 4. */
static void run_two_wards(test_result *r)
{
    char path[600], args[2000];
    test_write_file(tmpdir, "dup.lua",
                    "scenario { name = 'dup', weeks = 4 }\nnetwork {}\nlocal r = region { name = 'R' }\n"
                    "local a = trust { name = 'A', region = r, teams = { { name = 'Ward', staff = 10 }, 10 } }\n"
                    "local b = trust { name = 'B', region = r, teams = { 10, { name = 'Ward', staff = 12 } } }\n"
                    "at(1, function() second { from = b:teams()[2], to = a:teams()[1], weeks = 2 } end)\n"
                    "at(2, function() second { from = a:teams()[1], to = b:teams()[2], weeks = 2 } end)\n"
                    "record { 'reliability', levels = { 'team' }, every = 2 }\n",
                    path, sizeof path);
    snprintf(args, sizeof args, "run %s --reps 2 --out %s/dup --quiet", path, tmpdir);
    test_run(r, tmpdir, args, 60);
    assert_int_equal(r->status, 0);
}

static void collect_tells_apart_teams_of_one_name(void **state)
{
    (void)state;
    char path[600], args[2000];
    test_result *r = malloc(sizeof *r);
    run_two_wards(r);
    snprintf(args, sizeof args, "collect %s/dup --out %s/dup.csv", tmpdir, tmpdir);
    test_run(r, tmpdir, args, 60);
    assert_int_equal(r->status, 0);
    snprintf(path, sizeof path, "%s/dup.csv", tmpdir);
    char *text = test_slurp(path, NULL);
    assert_non_null(text);
    /* weeks 0, 2, 4 x 2 replicates, each team its own trust; never none */
    assert_int_equal(count(text, ",team,Ward,A,R,reliability,"), 6);
    assert_int_equal(count(text, ",team,Ward,B,R,reliability,"), 6);
    assert_int_equal(count(text, ",team,Ward,,"), 0);
    free(text);
    snprintf(args, sizeof args, "collect --events %s/dup --out %s/dup.csv", tmpdir, tmpdir);
    test_run(r, tmpdir, args, 60);
    assert_int_equal(r->status, 0);
    text = test_slurp(path, NULL);
    assert_non_null(text);
    /* each secondment gives four rows (to, staff, weeks, ties), in 2 replicates */
    assert_int_equal(count(text, ",1,0,team,Ward,B,R,secondment,"), 4);
    assert_int_equal(count(text, ",2,1,team,Ward,A,R,secondment,"), 4);
    assert_int_equal(count(text, ",team,Ward,B,R,secondment,"), 8);
    assert_int_equal(count(text, ",team,Ward,A,R,secondment,"), 8);
    assert_int_equal(count(text, ",team,Ward,,"), 0);
    free(text);
    free(r);
}

/* The mean over replicates of the k-th Ward row (0: A's, 1: B's) of `week` in dir's series.csv. */
static double ward_mean(const char *dir, const char *week, int k)
{
    char path[600];
    snprintf(path, sizeof path, "%s/series.csv", dir);
    char *text = test_slurp(path, NULL);
    assert_non_null(text);
    qisim_csv_reader r;
    qisim_csv_reader_text(&r, text, strlen(text), path);
    char **f, rep[32] = "";
    int n, seen = 0, values = 0;
    double sum = 0;
    while ((n = qisim_csv_read(&r, &f, NULL)) > 0) {
        if (n != 6 || strcmp(f[0], week) || strcmp(f[3], "Ward"))
            continue;
        if (strcmp(rep, f[1])) {
            snprintf(rep, sizeof rep, "%s", f[1]);
            seen = 0;
        }
        if (seen++ == k) {
            sum += strtod(f[5], NULL);
            values++;
        }
    }
    qisim_csv_reader_free(&r);
    free(text);
    assert_int_equal(values, 2);
    return sum / values;
}

/* Teams of two trusts named alike are two series in the report and in compare, "A / Ward" and
 * "B / Ward", each with its own values (they merged into one "Ward" before), and the timeline
 * names the team of each event so. */
static void report_and_compare_tell_apart_teams_of_one_name(void **state)
{
    (void)state;
    char dir[600], lib[600], out[600];
    test_result *r = malloc(sizeof *r);
    run_two_wards(r);
    free(r);
    snprintf(dir, sizeof dir, "%s/dup", tmpdir);
    double a4 = ward_mean(dir, "4", 0), b4 = ward_mean(dir, "4", 1);
    assert_true(a4 != b4); /* else the test could not tell a merge */
    qisim_run_data d;
    qisim_err err;
    assert_int_equal(qisim_run_load(dir, &d, &err), QISIM_OK);
    assert_null(qisim_run_find(&d, "team", "Ward", "reliability"));
    const char *names[] = {"A / Ward", "B / Ward"};
    const double means[] = {a4, b4};
    for (int k = 0; k < 2; k++) {
        const qisim_run_series *s = qisim_run_find(&d, "team", names[k], "reliability");
        assert_non_null(s);
        assert_int_equal(s->n, 3);
        assert_int_equal(s->reps[2], 2);
        assert_true(fabs(s->mean[2] - means[k]) < 1e-6);
    }
    assert_non_null(qisim_run_find(&d, "team", "A/2", "reliability")); /* an unshared name stays as it is */
    assert_int_equal(d.n_events, 2);
    assert_string_equal(d.events[0].entity, "B / Ward");
    assert_string_equal(d.events[1].entity, "A / Ward");
    qisim_run_free(&d);
    /* compare, by name (both teams) and by label (one) */
    qisim_compare_options o = {.dir_a = dir, .dir_b = dir, .entity = "Ward", .week = -1};
    qisim_comparison *c;
    int n;
    assert_int_equal(qisim_compare(&o, &c, &n, &err), QISIM_OK);
    assert_int_equal(n, 2);
    for (int k = 0; k < 2; k++) {
        assert_string_equal(c[k].entity, names[k]);
        assert_int_equal(c[k].n_a, 2);
        assert_true(fabs(c[k].mean_a - means[k]) < 1e-6);
    }
    free(c);
    o.entity = "B / Ward";
    assert_int_equal(qisim_compare(&o, &c, &n, &err), QISIM_OK);
    assert_int_equal(n, 1);
    assert_true(fabs(c[0].mean_b - b4) < 1e-6);
    free(c);
    /* the page offers both teams */
    fake_chartjs("window.Chart = 1;\n", lib, sizeof lib);
    snprintf(out, sizeof out, "%s/dup.html", tmpdir);
    const char *dirs[] = {dir};
    qisim_report_options ro = {.dirs = dirs, .n_dirs = 1, .out = out, .chartjs = lib};
    assert_int_equal(qisim_report_write(&ro, &err), QISIM_OK);
    char *text = test_slurp(out, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "\"entity\":\"A / Ward\""));
    assert_non_null(strstr(text, "\"entity\":\"B / Ward\""));
    assert_null(strstr(text, "\"entity\":\"Ward\""));
    free(text);
}

/* A team called "A / Ward" beside trust A's Ward would share its label: refused, never merged. */
static void a_label_that_is_another_teams_name_is_refused(void **state)
{
    (void)state;
    char dir[400], path[600];
    write_run("clash", "week,replicate,level,entity,metric,value\n0,0,team,Ward,culture,1\n", NULL, NULL, dir, sizeof dir);
    test_write_file(dir, "entities.csv", "level,entity,id,trust,region\nteam,Ward,0,A,R\nteam,Ward,1,B,R\nteam,A / Ward,2,B,R\n",
                    path, sizeof path);
    qisim_run_data d;
    qisim_err err;
    assert_int_equal(qisim_run_load(dir, &d, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "clash/entities.csv: the team 'Ward' of A would be named 'A / Ward'"));
    qisim_compare_options o = {.dir_a = dir, .dir_b = dir, .week = -1};
    qisim_comparison *c;
    int n;
    assert_int_equal(qisim_compare(&o, &c, &n, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "would be named 'A / Ward'"));
}

/* A sweep's database in the report: its points, outcome means per point and the Morris ranking. */
static void a_sweep_database_is_reported(void **state)
{
    (void)state;
    char path[600], lib[600], args[2000];
    test_result *r = malloc(sizeof *r);
    test_write_file(tmpdir, "tiny.lua",
                    "scenario { name = 'tiny', weeks = 8 }\nlocal r = region { name = 'R' }\n"
                    "local a = trust { name = 'A', region = r, staff = 60, teams = 3 }\n"
                    "at(0, function() a:train { tier = 'practitioner', share = 0.3 } end)\n"
                    "record { 'practising_share', levels = { 'system' } }\n",
                    path, sizeof path);
    char exp[900];
    snprintf(exp, sizeof exp,
             "experiment { name = 'm', scenario = '%s', replicates = 1, seed = 2,\n"
             "  design = 'morris', samples = 2, levels = 4,\n"
             "  factors = { { param = 'training.conversion', range = { 0.05, 0.3 } },\n"
             "              { param = 'outcomes.cost_coach', range = { 800, 1600 } } },\n"
             "  outcomes = { 'practising_share' } }\n",
             path);
    test_write_file(tmpdir, "tiny_morris.lua", exp, path, sizeof path);
    snprintf(args, sizeof args, "sweep %s --out %s/sw --quiet", path, tmpdir);
    test_run(r, tmpdir, args, 120);
    assert_int_equal(r->status, 0);
    fake_chartjs("window.Chart = 1;\n", lib, sizeof lib);
    setenv("QISIM_CHARTJS", lib, 1);
    snprintf(args, sizeof args, "report %s/sw/results.sqlite", tmpdir);
    test_run(r, tmpdir, args, 60);
    unsetenv("QISIM_CHARTJS");
    assert_int_equal(r->status, 0);
    snprintf(path, sizeof path, "%s/sw/report.html\n", tmpdir); /* beside the database */
    assert_string_equal(r->out, path);
    path[strlen(path) - 1] = '\0';
    char *text = test_slurp(path, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "\"runs\":[],"));
    assert_non_null(strstr(text, "[\"design\",\"morris\"]"));
    assert_non_null(strstr(text, "\"point_values\":[\n[0,\"training.conversion\","));
    assert_non_null(strstr(text, "\"outcomes\":[\n[\"system\",\"system\",\"practising_share\",8,0,"));
    assert_non_null(strstr(text, "\"sensitivity\":[\n{\"metric\":\"practising_share\",\"effects\":[[\""));
    free(text);
    /* a file that is not a results database: one line naming it */
    test_write_file(tmpdir, "not.sqlite", "hello", path, sizeof path);
    snprintf(args, sizeof args, "report %s --out %s/no.html", path, tmpdir);
    test_run(r, tmpdir, args, 60);
    assert_int_equal(r->status, 1);
    assert_true(one_line(r->err));
    assert_non_null(strstr(r->err, "not.sqlite"));
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_run_is_summarised_across_replicates),
        cmocka_unit_test(bad_result_files_are_refused_with_file_and_line),
        cmocka_unit_test(json_strings_are_found_by_path),
        cmocka_unit_test(chartjs_is_inlined_or_refused),
        cmocka_unit_test(the_report_stands_alone_and_escapes_names),
        cmocka_unit_test(the_difference_between_arms_is_given_over_time),
        cmocka_unit_test(long_series_are_downsampled_keeping_the_last_week),
        cmocka_unit_test(every_listed_direction_names_a_metric),
        cmocka_unit_test(the_command_line_writes_the_report_or_says_why_not),
        cmocka_unit_test(plot_draws_a_figure_through_gnuplot),
        cmocka_unit_test(a_run_folder_describes_its_entities),
        cmocka_unit_test(collect_stacks_runs_with_their_labels_and_trusts),
        cmocka_unit_test(collect_tells_apart_teams_of_one_name),
        cmocka_unit_test(report_and_compare_tell_apart_teams_of_one_name),
        cmocka_unit_test(a_label_that_is_another_teams_name_is_refused),
        cmocka_unit_test(a_sweep_database_is_reported),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
