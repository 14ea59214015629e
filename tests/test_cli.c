/* The qisim command line end to end: outputs, determinism, the golden run, and that every kind
 * of bad input gives a one-line message with file and line, the right exit status and no
 * finished-looking output. Runs the binary named by $QISIM (default build/qisim). */
#include "test_helpers.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qisim/io.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return test_make_dir(tmpdir, sizeof tmpdir, "cli");
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_dir(tmpdir);
}

typedef test_result result;

/* Runs `qisim ARGS` with stdout and stderr captured. */
static void run(result *r, const char *args) { test_run(r, tmpdir, args, 0); }

static void write_file(const char *name, const char *text, char *path, size_t size)
{
    test_write_file(tmpdir, name, text, path, size);
}

static bool exists(const char *dir, const char *file)
{
    char path[1200];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return stat(path, &st) == 0;
}

static const char good_scenario[] =
    "scenario { name = 'cli test', weeks = 12 }\n"
    "local r = region { name = 'R' }\n"
    "local t = trust { name = 'T', region = r, staff = 120, teams = 4 }\n"
    "regulator { name = 'CQC' }\n"
    "at(0, function() t:train { tier = 'practitioner', share = 0.5 } end)\n"
    "record { 'practising_share', 'reliability', levels = { 'trust', 'system' } }\n";

static void help_version_and_usage_errors(void **state)
{
    (void)state;
    result r;
    run(&r, "--help");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "run SCENARIO"));
    run(&r, "--version");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "qisim "));
    run(&r, "");
    assert_int_equal(r.status, 2);
    run(&r, "frobnicate");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "unknown command 'frobnicate'"));
    assert_int_equal(strchr(r.err, '\n') - r.err + 1, (long)strlen(r.err)); /* one line, not the usage */
    assert_non_null(strstr(r.err, "see 'qisim --help'"));
    run(&r, "swep x.lua");
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "qisim: unknown command 'swep' (did you mean 'sweep'?); see 'qisim --help'\n");
    run(&r, "run");
    assert_int_equal(r.status, 2);
    run(&r, "run x.lua --reps 0");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--reps"));
    run(&r, "run x.lua --colour");
    assert_int_equal(r.status, 2);
    run(&r, "run --help");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "--seed"));
    run(&r, "params");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "training.or_coaching"));
    assert_non_null(strstr(r.out, "B:L4187"));
    run(&r, "metrics");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "practising_share"));
}

/* The help of the commands mpirun can spread says whether MPI is built in; a program without
 * it refuses to be one of mpirun's processes (each would write the same files), saying so once. */
static void mpi_built_in_or_not_is_said(void **state)
{
    (void)state;
    result r;
    const char *spread[] = {"run --help", "sweep --help", "calibrate --help", "validate --help"};
    run(&r, "run --help");
    bool mpi = strstr(r.out, "MPI: built in") != NULL;
    for (size_t i = 0; i < sizeof spread / sizeof spread[0]; i++) {
        run(&r, spread[i]);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.out, mpi ? "MPI: built in" : "MPI: not built in"));
    }
    if (mpi)
        return; /* the MPI build under mpirun: scripts/test-mpi */
    setenv("OMPI_COMM_WORLD_SIZE", "2", 1);
    setenv("OMPI_COMM_WORLD_RANK", "0", 1);
    run(&r, "run x.lua");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "built without MPI"));
    assert_non_null(strstr(r.err, "make MPI=1"));
    assert_int_equal(strchr(r.err, '\n') - r.err + 1, (long)strlen(r.err));
    setenv("OMPI_COMM_WORLD_RANK", "1", 1);
    run(&r, "run x.lua");
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, ""); /* process 0 alone speaks */
    unsetenv("OMPI_COMM_WORLD_SIZE");
    unsetenv("OMPI_COMM_WORLD_RANK");
}

/* calibrate and play parse as every command does (getopt_long): --opt=value, options after
 * the file, -- before a file whose name starts with '-', one message for an unknown option. */
static void calibrate_and_play_follow_the_conventions(void **state)
{
    (void)state;
    result r;
    run(&r, "calibrate --threads=2 nothere.lua");
    assert_int_equal(r.status, 1); /* parsed: the file is what fails */
    assert_non_null(strstr(r.err, "cannot open nothere.lua"));
    run(&r, "calibrate nothere.lua --threads=0");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--threads needs"));
    run(&r, "calibrate --resume -- -x.lua");
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "cannot open -x.lua"));
    run(&r, "calibrate a.lua --out");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--out needs a value"));
    run(&r, "play --port=99999 x.lua");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--port needs a whole number"));
    run(&r, "play x.lua --bogus");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "unknown option '--bogus'"));
    run(&r, "play --groups=2 --worksheet=- scenarios/teaching/training_coaching.lua");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "<!doctype html>"));
}

static void a_run_writes_three_files(void **state)
{
    (void)state;
    char path[512], out[512], args[1200];
    write_file("good.lua", good_scenario, path, sizeof path);
    snprintf(out, sizeof out, "%s/out", tmpdir);
    snprintf(args, sizeof args, "run %s --out %s --seed 3 --reps 2 --set workforce.turnover=0.1", path, out);
    result r;
    run(&r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, out));
    assert_true(exists(out, "series.csv") && exists(out, "events.csv") && exists(out, "manifest.json"));
    assert_false(exists(out, "series.csv.tmp"));
    char file[600];
    snprintf(file, sizeof file, "%s/series.csv", out);
    char *series = test_slurp(file, NULL);
    assert_non_null(series);
    assert_true(strncmp(series, "week,replicate,level,entity,metric,value\n", 41) == 0);
    assert_non_null(strstr(series, "\n12,1,system,system,reliability,")); /* last week, 2nd replicate */
    assert_non_null(strstr(series, "\n0,0,trust,T,practising_share,0\n"));
    free(series);
    snprintf(file, sizeof file, "%s/manifest.json", out);
    char *manifest = test_slurp(file, NULL);
    char sha[65];
    assert_int_equal(qisim_sha256_file(path, sha, NULL), QISIM_OK);
    assert_non_null(strstr(manifest, sha));
    assert_non_null(strstr(manifest, "\"seed\": 3"));
    assert_non_null(strstr(manifest, "workforce.turnover=0.1"));
    free(manifest);
    snprintf(file, sizeof file, "%s/events.csv", out);
    char *events = test_slurp(file, NULL);
    assert_non_null(strstr(events, "0,0,trust,T,training,"));
    free(events);
}

/* Same seed: byte-identical files; another seed: different series. */
static void runs_are_reproducible(void **state)
{
    (void)state;
    char path[512], args[1200];
    write_file("repro.lua", good_scenario, path, sizeof path);
    const char *names[] = {"a", "b", "c"};
    const char *seeds[] = {"5", "5", "6"};
    for (int i = 0; i < 3; i++) {
        result r;
        snprintf(args, sizeof args, "run %s --out %s/%s --seed %s --reps 3 --quiet", path, tmpdir, names[i], seeds[i]);
        run(&r, args);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.out, ""); /* --quiet */
    }
    static const char *const files[] = {"series.csv", "events.csv", "manifest.json"};
    for (int f = 0; f < 3; f++) {
        char pa[600], pb[600];
        size_t na = 0, nb = 0;
        snprintf(pa, sizeof pa, "%s/a/%s", tmpdir, files[f]);
        snprintf(pb, sizeof pb, "%s/b/%s", tmpdir, files[f]);
        char *a = test_slurp(pa, &na), *b = test_slurp(pb, &nb);
        assert_true(a && b && na == nb && memcmp(a, b, na) == 0);
        free(a);
        free(b);
    }
    char pa[600], pc[600];
    snprintf(pa, sizeof pa, "%s/a/series.csv", tmpdir);
    snprintf(pc, sizeof pc, "%s/c/series.csv", tmpdir);
    char *a = test_slurp(pa, NULL), *c = test_slurp(pc, NULL);
    assert_true(strcmp(a, c) != 0);
    free(a);
    free(c);
}

/* Replicates on 1, 2 and 3 threads: the same bytes in every file, and a summary. */
static void thread_count_does_not_change_outputs(void **state)
{
    (void)state;
    char path[512], args[1200];
    write_file("threads.lua", good_scenario, path, sizeof path);
    const char *threads[] = {"1", "2", "3"};
    for (int i = 0; i < 3; i++) {
        result r;
        snprintf(args, sizeof args, "run %s --out %s/t%s --seed 9 --reps 7 --threads %s --quiet", path, tmpdir,
                 threads[i], threads[i]);
        run(&r, args);
        assert_int_equal(r.status, 0);
    }
    static const char *const files[] = {"series.csv", "events.csv", "summary.csv", "manifest.json", "entities.csv",
                                        "memberships.csv"};
    for (int f = 0; f < 6; f++) {
        char p1[600], pn[600];
        snprintf(p1, sizeof p1, "%s/t1/%s", tmpdir, files[f]);
        char *a = test_slurp(p1, NULL);
        assert_non_null(a);
        for (int i = 1; i < 3; i++) {
            snprintf(pn, sizeof pn, "%s/t%s/%s", tmpdir, threads[i], files[f]);
            char *b = test_slurp(pn, NULL);
            assert_non_null(b);
            assert_string_equal(a, b);
            free(b);
        }
        free(a);
    }
    char p1[600];
    snprintf(p1, sizeof p1, "%s/t1/summary.csv", tmpdir);
    char *summary = test_slurp(p1, NULL);
    assert_true(strncmp(summary, "week,level,entity,metric,replicates,mean,sd,mean_ci95_low,mean_ci95_high,p2_5,p97_5\n", 80) == 0);
    assert_non_null(strstr(summary, "\n12,trust,T,reliability,7,"));
    free(summary);
}

/* Actions scheduled after the run's end are named, the first three, and the rest counted in one
 * line, so that a long scenario run short does not bury its output in warnings. */
static void unreached_actions_are_named_then_counted(void **state)
{
    (void)state;
    char path[512], args[1024];
    write_file("late.lua",
               "scenario { weeks = 4 }\n"
               "local r = region { name = 'R' }\n"
               "trust { name = 'T', region = r, staff = 60, teams = 3 }\n"
               "for week = 5, 9 do at(week, function() end) end\n"
               "record { 'culture', levels = { 'trust' } }\n",
               path, sizeof path);
    result r;
    snprintf(args, sizeof args, "run %s --out %s/late --quiet", path, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "warning: at(5) is at or after the run's end (week 4): its action never runs"));
    assert_non_null(strstr(r.err, "warning: at(7) is at or after the run's end (week 4)"));
    assert_null(strstr(r.err, "at(8)"));
    assert_non_null(strstr(r.err, "warning: and 2 more scheduled actions at or after week 4 never run"));
}

/* A burn-in saved at week 30 and continued: events and the series from week 30 equal the
 * unbroken run's, byte for byte; saving changes nothing; a branch arm diverges; a scenario
 * that builds another world is refused. */
static void checkpoint_continues_and_branches(void **state)
{
    (void)state;
    static const char scenario[] =
        "scenario { weeks = 60 }\n"
        "local r = region { name = 'R' }\n"
        "local t = trust { name = 'T', region = r, staff = 600, teams = 20 }\n"
        "local u = trust { name = 'U', region = r, staff = 400, teams = 12, kind = 'community' }\n"
        "regulator { name = 'CQC' }\n"
        "at(0, function() t:strategy('qi') ; t:train { tier = 'practitioner', share = 0.2, project = true } end)\n"
        "every(13, function() t:train { tier = 'awareness', share = 0.1 } end)\n"
        "when(function() return t.practising_share > 0.05 end, function() t:protected_time(0.05) end)\n"
        "at(45, function() u:crisis { weeks = 5, demand = 1.3 } end)\n"
        "if arg('arm', 'none') == 'invest' then\n"
        "  at(40, function() u:strategy('qi') ; u:train { tier = 'practitioner', share = 0.3 } end)\n"
        "end\n"
        "record { 'practising_share', 'reliability', 'culture', levels = { 'trust', 'system' } }\n";
    char path[512], args[1600];
    write_file("burnin.lua", scenario, path, sizeof path);
    result r;
    snprintf(args, sizeof args, "run %s --reps 2 --out %s/ckA --quiet", path, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 0);
    snprintf(args, sizeof args, "run %s --reps 2 --out %s/ckS --checkpoint-week 30 --checkpoint-dir %s/ck --quiet",
             path, tmpdir, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 0);
    snprintf(args, sizeof args, "run %s --reps 2 --out %s/ckB --from %s/ck --quiet", path, tmpdir, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 0);
    char file[600];
    snprintf(file, sizeof file, "%s/ckA/series.csv", tmpdir);
    char *unbroken = test_slurp(file, NULL);
    snprintf(file, sizeof file, "%s/ckS/series.csv", tmpdir);
    char *saving = test_slurp(file, NULL);
    assert_string_equal(unbroken, saving);
    /* the unbroken run's header and rows from week 30 on */
    char *from30 = malloc(strlen(unbroken) + 1), *out = from30;
    for (const char *line = unbroken; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = (size_t)(eol - line) + 1;
        if (line == unbroken || atoi(line) >= 30) {
            memcpy(out, line, len);
            out += len;
        }
        line += len;
    }
    *out = '\0';
    snprintf(file, sizeof file, "%s/ckB/series.csv", tmpdir);
    char *continued = test_slurp(file, NULL);
    assert_string_equal(from30, continued);
    char ea[600], eb[600];
    snprintf(ea, sizeof ea, "%s/ckA/events.csv", tmpdir);
    snprintf(eb, sizeof eb, "%s/ckB/events.csv", tmpdir);
    char *events_a = test_slurp(ea, NULL), *events_b = test_slurp(eb, NULL);
    assert_string_equal(events_a, events_b);
    /* a branch: the same burn-in, then its own policy from week 40 */
    snprintf(args, sizeof args, "run %s --reps 2 --out %s/ckC --from %s/ck --arg arm=invest --quiet", path, tmpdir,
             tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 0);
    snprintf(file, sizeof file, "%s/ckC/series.csv", tmpdir);
    char *branch = test_slurp(file, NULL);
    assert_true(strcmp(branch, continued) != 0);
    /* the branch is the burn-in's run until its policy starts in week 40, and its own after */
    const char *at40_branch = strstr(branch, "\n40,"), *at40_continued = strstr(continued, "\n40,");
    assert_non_null(at40_branch);
    assert_non_null(at40_continued);
    assert_int_equal(at40_branch - branch, at40_continued - continued);
    assert_memory_equal(branch, continued, (size_t)(at40_branch - branch));
    free(unbroken);
    free(saving);
    free(from30);
    free(continued);
    free(events_a);
    free(events_b);
    free(branch);
    /* another world is refused, naming the difference */
    char other[512];
    write_file("other.lua", "local r = region { name = 'R' }\ntrust { name = 'T', region = r, staff = 60, teams = 3 }\n",
               other, sizeof other);
    snprintf(args, sizeof args, "run %s --out %s/ckD --from %s/ck", other, tmpdir, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "the checkpoint has"));
}

/* A bad scenario: one line naming file and line, exit 1, and no output directory content. */
static void expect_failure(const char *name, const char *text, const char *message, int line)
{
    char path[512], out[512], args[1200], where[600];
    write_file(name, text, path, sizeof path);
    snprintf(out, sizeof out, "%s/out-%s", tmpdir, name);
    snprintf(args, sizeof args, "run %s --out %s", path, out);
    result r;
    run(&r, args);
    if (r.status != 1 || !strstr(r.err, message))
        print_error("stderr: %s\n", r.err);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, message));
    snprintf(where, sizeof where, "%s:%d:", path, line);
    if (line > 0)
        assert_non_null(strstr(r.err, where));
    assert_int_equal(strchr(r.err, '\n') - r.err + 1, (long)strlen(r.err)); /* one line */
    assert_false(exists(out, "manifest.json"));
    assert_false(exists(out, "series.csv"));
    assert_false(exists(out, "events.csv"));
}

static void bad_scenarios_fail_cleanly(void **state)
{
    (void)state;
    expect_failure("typo.lua", "scenario { name = 'x', weeks = 4 }\nlocal r = regoin { name = 'R' }\n",
                   "undefined global 'regoin'", 2);
    expect_failure("badarg.lua",
                   "local r = region { name = 'R' }\nlocal t = trust { name = 'T', region = r, staff = 60, teams = 3 }\n"
                   "at(0, function()\n  t:train { tier = 'leaderr' }\nend)\n",
                   "leaderr", 4);
    expect_failure("exec.lua", "local r = region { name = 'R' }\n\nos.execute('touch /tmp/qisim-pwned')\n", "os", 3);
    expect_failure("loop.lua", "local r = region { name = 'R' }\nlocal n = 0\nwhile true do n = n + 1 end\n",
                   "instruction budget", 3);
    expect_failure("missing_param.lua", "param('training.no_such', 1)\n", "unknown parameter 'training.no_such'", 1);
    /* a line break in a name would make a quoted CSV field that line-based tools split */
    expect_failure("newline.lua", "local r = region { name = 'R' }\n\ntrust { name = 'North\\nA', region = r, staff = 60, teams = 3 }\n",
                   "contains a control character (0x0a)", 3);
    expect_failure("tab.lua", "local r = region { name = 'R\\tS' }\n", "contains a control character (0x09)", 1);
    char missing[600];
    snprintf(missing, sizeof missing, "run %s/nothing_here.lua --out %s/none", tmpdir, tmpdir);
    result r;
    run(&r, missing);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "nothing_here.lua"));
}

/* An error at week 8 of the second replicate: earlier results in the directory are gone and
 * nothing finished-looking is left. */
static void a_failure_mid_run_leaves_nothing_finished(void **state)
{
    (void)state;
    char good[512], bad[512], out[512], args[1200];
    write_file("ok.lua", good_scenario, good, sizeof good);
    write_file("late.lua",
               "scenario { weeks = 12 }\nlocal r = region { name = 'R' }\n"
               "local t = trust { name = 'T', region = r, staff = 60, teams = 3 }\n"
               "at(8, function()\n  if math.random() >= 0 then t:coaches(-1) end\nend)\n",
               bad, sizeof bad);
    snprintf(out, sizeof out, "%s/mid", tmpdir);
    result r;
    snprintf(args, sizeof args, "run %s --out %s", good, out);
    run(&r, args);
    assert_int_equal(r.status, 0);
    assert_true(exists(out, "manifest.json"));
    snprintf(args, sizeof args, "run %s --out %s --reps 2", bad, out);
    run(&r, args);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, ":5:"));
    assert_false(exists(out, "manifest.json"));
    assert_false(exists(out, "series.csv"));
    assert_false(exists(out, "series.csv.tmp"));
    assert_false(exists(out, "events.csv"));
    assert_false(exists(out, "summary.csv"));
}

static void bad_set_is_refused(void **state)
{
    (void)state;
    char path[512], args[1200];
    write_file("set.lua", good_scenario, path, sizeof path);
    result r;
    snprintf(args, sizeof args, "run %s --out %s/set --set workforce.turnover=7", path, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "--set workforce.turnover=7"));
    assert_non_null(strstr(r.err, "out of range"));
    snprintf(args, sizeof args, "run %s --out %s/set --set nonsense", path, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 2);
    /* a repeated --set is refused like a repeated --arg (it was silently last-one-wins) */
    snprintf(args, sizeof args, "run %s --out %s/set --set workforce.turnover=0.1 --set workforce.turnover=0.2", path,
             tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--set workforce.turnover is given twice"));
    snprintf(args, sizeof args, "run %s --out %s/set --arg a=1 --arg a=2", path, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--arg a is given twice"));
    run(&r, "validate --set spread.rate=0.1 --set spread.rate=0.2");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--set spread.rate is given twice"));
}

/* A series with no values in any replicate (an empty world: every system metric is NA) is
 * summarised as NA; summary.c called qsort(NULL, 0), undefined behaviour that UBSan stops
 * (make sanitize). */
static void a_summary_without_values(void **state)
{
    (void)state;
    char path[512], args[1200], file[600];
    write_file("week1.lua", "scenario { weeks = 1 }\n", path, sizeof path);
    result r;
    snprintf(args, sizeof args, "run %s --out %s/week1 --reps 2 --quiet", path, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    snprintf(file, sizeof file, "%s/week1/summary.csv", tmpdir);
    char *summary = test_slurp(file, NULL);
    assert_non_null(summary);
    assert_non_null(strstr(summary, "\n0,system,system,reliability,0,NA,NA,NA,NA,NA,NA\n"));
    free(summary);
}

/* Names with a comma and quotes survive into summary.csv as one quoted field. */
static void quoted_names_in_the_summary(void **state)
{
    (void)state;
    char path[512], args[1200], file[600];
    write_file("quoted.lua", "scenario { weeks = 2 }\nlocal r = region { name = 'R' }\n"
                             "trust { name = 'Hill, \"North\"', region = r, staff = 60, teams = 3 }\n"
                             "record { 'reliability', levels = { 'trust' } }\n", path, sizeof path);
    result r;
    snprintf(args, sizeof args, "run %s --out %s/quoted --reps 3 --quiet", path, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 0);
    snprintf(file, sizeof file, "%s/quoted/summary.csv", tmpdir);
    char *summary = test_slurp(file, NULL);
    assert_non_null(strstr(summary, "\n2,trust,\"Hill, \"\"North\"\"\",reliability,3,"));
    free(summary);
}

/* While another process holds the folder (here: this test), a run stops at once with one line
 * naming the holder, and leaves the holder's files exactly as they were. */
static void a_second_writer_is_refused(void **state)
{
    (void)state;
    char path[512], out[512], args[1200], file[600];
    write_file("writer.lua", good_scenario, path, sizeof path);
    snprintf(out, sizeof out, "%s/shared", tmpdir);
    result r;
    snprintf(args, sizeof args, "run %s --out %s --seed 1 --reps 2 --quiet", path, out);
    run(&r, args);
    assert_int_equal(r.status, 0);
    assert_false(exists(out, ".qisim-lock")); /* released, and removed */
    snprintf(file, sizeof file, "%s/series.csv", out);
    size_t before_len = 0;
    char *before = test_slurp(file, &before_len);

    qisim_dir_lock lock = {0};
    qisim_err err;
    assert_int_equal(qisim_dir_lock_take(&lock, out, &err), QISIM_OK);
    snprintf(args, sizeof args, "run %s --out %s --seed 2 --reps 2 --quiet", path, out);
    run(&r, args);
    qisim_dir_lock_release(&lock, false);
    assert_int_equal(r.status, 1);
    char want[800];
    snprintf(want, sizeof want, "%s is in use by another qisim process (pid %ld)\n", out, (long)getpid());
    assert_string_equal(r.err, want);
    size_t after_len = 0;
    char *after = test_slurp(file, &after_len);
    assert_non_null(after);
    assert_true(after_len == before_len && memcmp(before, after, before_len) == 0);
    assert_true(exists(out, "manifest.json") && exists(out, "events.csv") && exists(out, "summary.csv"));
    free(before);
    free(after);
    /* once the holder is gone, the folder is free again */
    run(&r, args);
    assert_int_equal(r.status, 0);
}

/* export and sensitivity on something that is not a results database say so. */
static void not_a_results_database(void **state)
{
    (void)state;
    char path[512], args[1200];
    result r;
    snprintf(args, sizeof args, "export %s", tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "is a directory, not a qisim results database"));
    write_file("not_a_db.lua", good_scenario, path, sizeof path);
    snprintf(args, sizeof args, "sensitivity %s --metric reliability", path);
    run(&r, args);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "is not a qisim results database (not an SQLite file)"));
    write_file("empty.sqlite", "", path, sizeof path);
    snprintf(args, sizeof args, "export %s", path);
    run(&r, args);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "is not a qisim results database (no meta table)"));
}

/* The golden run: a change to the model or the outputs shows here first (see tests/golden.lua). */
static void golden_run(void **state)
{
    (void)state;
    char args[1200], got[600];
    snprintf(args, sizeof args, "run tests/golden.lua --seed 7 --out %s/golden --quiet", tmpdir);
    result r;
    run(&r, args);
    assert_int_equal(r.status, 0);
    snprintf(got, sizeof got, "%s/golden/series.csv", tmpdir);
    char *a = test_slurp(got, NULL), *b = test_slurp("tests/expected/golden_series.csv", NULL);
    assert_non_null(b);
    if (strcmp(a, b) != 0)
        print_error("golden series differ: diff %s tests/expected/golden_series.csv (make golden after checking)\n", got);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* --set-file applies its lines as --set; a bad line names file and line. validate picks
 * patterns by id or by path, prints the held-out section, and --strict fails on a miss. */
static void set_files_and_patterns(void **state)
{
    (void)state;
    char scenario[512], set[512], bad[512], pattern[512], broken[512], args[2400], file[2000];
    result r;
    write_file("sf.lua", good_scenario, scenario, sizeof scenario);
    write_file("good.set", "# a comment\nworkforce.turnover=0.2  # trailing\n\n", set, sizeof set);
    write_file("bad.set", "workforce.turnover=0.2\noops\n", bad, sizeof bad);
    snprintf(args, sizeof args, "run %s --out %s/sf --quiet --set-file %s", scenario, tmpdir, set);
    run(&r, args);
    assert_int_equal(r.status, 0);
    snprintf(file, sizeof file, "%s/sf/manifest.json", tmpdir);
    char *manifest = test_slurp(file, NULL);
    assert_non_null(manifest);
    assert_non_null(strstr(manifest, "{\"name\": \"workforce.turnover\", \"value\": 0.2,"));
    free(manifest);
    snprintf(args, sizeof args, "run %s --out %s/sf2 --quiet --set-file %s", scenario, tmpdir, bad);
    run(&r, args);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "bad.set:2: a set file line is name=value"));
    snprintf(args, sizeof args, "run %s --out %s/sf2 --quiet --set workforce.turnover=0.1 --set-file %s", scenario, tmpdir, set);
    run(&r, args);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "good.set:2: workforce.turnover is set twice"));

    /* the parameters resting on an assumption, filtered by name */
    run(&r, "params --assumptions spread.");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "spread.rate "));
    assert_non_null(strstr(r.out, "rest on an assumption"));
    assert_null(strstr(r.out, "training."));
    run(&r, "params --assumptions --markdown");
    assert_int_equal(r.status, 2);
    run(&r, "validate --pattern P99");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "no pattern 'P99'"));
    snprintf(file, sizeof file,
             "local a = arm { 'a', scenario = '%s' }\n"
             "local s = series { arm = a, trust = 'T', metric = 'practising_share' }\n"
             "row { title = 'practice rises', target = 'above 0', source = 'test', figure = { '%%.2f', median(at(s, 'end')) },\n"
             "      check = above(median(at(s, 'end')), 0), knockout = { 'training.on=0' } }\n"
             "row { title = 'practice is total', target = '1', source = 'test', figure = { '%%.2f', median(at(s, 'end')) },\n"
             "      check = at_least(median(at(s, 'end')), 1) }\n"
             "pattern { id = 'X1', kind = 'held_out' }\n", scenario);
    write_file("x1.lua", file, pattern, sizeof pattern);
    snprintf(args, sizeof args, "validate %s --reps 2", pattern);
    run(&r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "-- held-out checks"));
    assert_null(strstr(r.out, "-- calibration targets"));
    assert_non_null(strstr(r.out, "practice rises"));
    assert_non_null(strstr(r.out, "knock-out: training.on=0"));
    assert_non_null(strstr(r.out, "missed, as it must be"));
    assert_non_null(strstr(r.out, "validate: 1 met, 1 missed"));
    snprintf(args, sizeof args, "validate %s --reps 2 --db %s/v.sqlite", pattern, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 0);
    snprintf(args, sizeof args, "export %s/v.sqlite --table rows", tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "pattern,kind,row,title,figure,target,source,met,knockout,knockout_figure,knockout_met\n"));
    assert_non_null(strstr(r.out, "X1,held_out,1,practice rises,"));
    assert_non_null(strstr(r.out, ",training.on=0,"));
    assert_non_null(strstr(r.out, "X1,held_out,2,practice is total,"));
    snprintf(args, sizeof args, "validate %s --reps 2 --strict --no-knockouts", pattern);
    run(&r, args);
    assert_int_equal(r.status, 1);
    /* across seeds: each row's count of seeds where it is met (here all or none, whatever the seed) */
    snprintf(args, sizeof args, "validate %s --reps 2 --seeds 3 --seed 5", pattern);
    run(&r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "seeds 5 to 7, 2 replicates per arm"));
    assert_non_null(strstr(r.out, "met in seeds"));
    assert_non_null(strstr(r.out, "practice rises"));
    assert_non_null(strstr(r.out, "3/3\n"));
    assert_non_null(strstr(r.out, "0/3\n"));
    assert_null(strstr(r.out, "knock-out"));
    snprintf(args, sizeof args, "validate %s --seeds 2 --posterior %s/none.sqlite", pattern, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--seeds cannot go with --posterior"));
    write_file("broken.lua", "local a = arm { 'a', scenario = 'x.lua' }\nlocal s = seris { arm = a }\n", broken, sizeof broken);
    snprintf(args, sizeof args, "validate %s", broken);
    run(&r, args);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "broken.lua:2: undefined global 'seris'; did you mean 'series'?"));
}

/* qisim calibrate end to end, small: the report, the database, the set file that run and
 * validate take, a refusal to overwrite, and a posterior predictive check from the database. */
static void calibrate_end_to_end(void **state)
{
    (void)state;
    char scenario[512], pattern[512], cal[512], args[2400], file[2000];
    result r;
    write_file("cal_scenario.lua", good_scenario, scenario, sizeof scenario);
    snprintf(file, sizeof file,
             "local a = arm { 'a', scenario = '%s' }\n"
             "local s = series { arm = a, trust = 'T', metric = 'practising_share' }\n"
             "row { title = 'practising', target = '0.3', source = 'test', figure = { '%%.2f', median(at(s, 'end')) },\n"
             "      check = near(median(at(s, 'end')), 0.3, 0.1) }\n"
             "pattern { id = 'C1', kind = 'calibration', fitted = 'training.conversion' }\n", scenario);
    write_file("c1.lua", file, pattern, sizeof pattern);
    snprintf(file, sizeof file,
             "calibrate { name = 'cli', patterns = { '%s' }, params = { { 'training.conversion', 'uniform', 0.02, 0.5 } },\n"
             "            particles = 6, generations = 2, reps = 1 }\n", pattern);
    write_file("cal.lua", file, cal, sizeof cal);
    snprintf(args, sizeof args, "calibrate %s --out %s/cal --threads 2", cal, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "generation epsilon"));
    assert_non_null(strstr(r.out, "training.conversion"));
    assert_non_null(strstr(r.out, "posterior.set"));
    run(&r, args);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "--resume"));
    snprintf(args, sizeof args, "run %s --out %s/calrun --quiet --set-file %s/cal/posterior.set", scenario, tmpdir, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 0);
    snprintf(args, sizeof args, "validate %s --reps 1 --no-knockouts --set-file %s/cal/posterior.set", pattern, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "--set training.conversion="));
    snprintf(args, sizeof args, "validate %s --reps 1 --posterior %s/cal/results.sqlite --draws 2", pattern, tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "2 draws from generation 1 (6 particles)"));
    assert_non_null(strstr(r.out, "practising"));
    snprintf(args, sizeof args, "export %s/cal/results.sqlite --table generations", tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "generation,epsilon,proposals,simulated,accepted,acceptance\n0,NA,"));
    snprintf(args, sizeof args, "validate --posterior %s/nothing.sqlite", tmpdir);
    run(&r, args);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "nothing.sqlite"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_version_and_usage_errors),
        cmocka_unit_test(mpi_built_in_or_not_is_said),
        cmocka_unit_test(calibrate_and_play_follow_the_conventions),
        cmocka_unit_test(a_run_writes_three_files),
        cmocka_unit_test(runs_are_reproducible),
        cmocka_unit_test(thread_count_does_not_change_outputs),
        cmocka_unit_test(checkpoint_continues_and_branches),
        cmocka_unit_test(unreached_actions_are_named_then_counted),
        cmocka_unit_test(bad_scenarios_fail_cleanly),
        cmocka_unit_test(a_failure_mid_run_leaves_nothing_finished),
        cmocka_unit_test(bad_set_is_refused),
        cmocka_unit_test(a_summary_without_values),
        cmocka_unit_test(quoted_names_in_the_summary),
        cmocka_unit_test(a_second_writer_is_refused),
        cmocka_unit_test(not_a_results_database),
        cmocka_unit_test(golden_run),
        cmocka_unit_test(set_files_and_patterns),
        cmocka_unit_test(calibrate_end_to_end),
    };
    return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}
