/* qisim_compare on synthetic arms whose true difference is known: paired (same seed) and
 * independent (different seeds) intervals contain it about 95% of the time. */
#include "test_helpers.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qisim/compare.h"
#include "qisim/rng.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return test_make_dir(tmpdir, sizeof tmpdir, "compare");
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_dir(tmpdir);
}

/* Writes an arm: reps replicates of one trust series at weeks 0 and 10. */
static void write_arm(const char *name, uint64_t seed, const double *values, int reps)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/%s/manifest.json", tmpdir, name);
    FILE *f = fopen(path, "w");
    fprintf(f, "{\n  \"qisim_version\": \"test\",\n  \"seed\": %llu,\n  \"replicates\": %d\n}\n",
            (unsigned long long)seed, reps);
    fclose(f);
    snprintf(path, sizeof path, "%s/%s/series.csv", tmpdir, name);
    f = fopen(path, "w");
    fputs("week,replicate,level,entity,metric,value\n", f);
    for (int r = 0; r < reps; r++) {
        fprintf(f, "0,%d,trust,\"Trust, A\",reliability,0.5\n", r);
        fprintf(f, "10,%d,trust,\"Trust, A\",reliability,%.17g\n", r, values[r]);
    }
    fclose(f);
}

/* One synthetic experiment: replicate r has a shared component (the common random numbers)
 * plus arm noise; B = A + delta in expectation. Returns whether the interval covers delta. */
static bool covers(qisim_rng *r, bool paired, double delta, qisim_comparison *out)
{
    enum { REPS = 20 };
    double a[REPS], b[REPS];
    for (int i = 0; i < REPS; i++) {
        double shared = 0.1 * qisim_rng_normal(r);
        double other = paired ? shared : 0.1 * qisim_rng_normal(r);
        a[i] = 0.6 + shared + 0.01 * qisim_rng_normal(r);
        b[i] = 0.6 + delta + other + 0.01 * qisim_rng_normal(r);
    }
    write_arm("a", 5, a, REPS);
    write_arm("b", paired ? 5 : 6, b, REPS);
    char da[300], db[300];
    snprintf(da, sizeof da, "%s/a", tmpdir);
    snprintf(db, sizeof db, "%s/b", tmpdir);
    qisim_compare_options o = {.dir_a = da, .dir_b = db, .week = -1};
    qisim_comparison *c;
    int n;
    qisim_err err;
    assert_int_equal(qisim_compare(&o, &c, &n, &err), QISIM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].week, 10);
    assert_string_equal(c[0].entity, "Trust, A");
    assert_int_equal(c[0].paired, paired);
    *out = c[0];
    bool hit = c[0].ci_low <= delta && delta <= c[0].ci_high;
    free(c);
    return hit;
}

static void intervals_cover_the_true_difference(void **state)
{
    (void)state;
    qisim_rng r;
    qisim_rng_seed(&r, 2024u, 1u);
    enum { TRIALS = 200 };
    /* 95% coverage over 200 trials: sd sqrt(.95*.05/200) = 0.015; 4 sd band */
    for (int paired = 0; paired <= 1; paired++) {
        int hits = 0;
        double width = 0.0;
        qisim_comparison c;
        for (int t = 0; t < TRIALS; t++) {
            hits += covers(&r, paired, 0.05, &c);
            width += c.ci_high - c.ci_low;
        }
        assert_in_range(hits, (int)(TRIALS * (0.95 - 4 * 0.015)), TRIALS);
        if (paired) /* common random numbers: the shared noise cancels, intervals are narrow */
            assert_true(width / TRIALS < 0.03);
        else
            assert_true(width / TRIALS > 0.1);
    }
}

static void missing_or_foreign_folders_are_errors(void **state)
{
    (void)state;
    char da[300];
    snprintf(da, sizeof da, "%s/none", tmpdir);
    qisim_compare_options o = {.dir_a = da, .dir_b = da, .week = -1};
    qisim_comparison *c;
    int n;
    qisim_err err;
    assert_int_equal(qisim_compare(&o, &c, &n, &err), QISIM_EIO);
    assert_non_null(strstr(err.msg, "series.csv"));
    double v[2] = {0.1, 0.2};
    write_arm("x", 1, v, 2);
    snprintf(da, sizeof da, "%s/x", tmpdir);
    o.dir_a = o.dir_b = da;
    o.metric = "culture";
    assert_int_equal(qisim_compare(&o, &c, &n, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "no series in common"));
}

/* Writes dir/name/manifest.json as given, and a series of two replicates of one entity. */
static void write_raw_arm(const char *name, const char *manifest, const char *entity_field, double shift)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/%s/manifest.json", tmpdir, name);
    FILE *f = fopen(path, "w");
    fputs(manifest, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/%s/series.csv", tmpdir, name);
    f = fopen(path, "w");
    fputs("week,replicate,level,entity,metric,value\n", f);
    for (int r = 0; r < 3; r++)
        fprintf(f, "4,%d,trust,%s,reliability,%.17g\n", r, entity_field, 0.5 + 0.01 * r + shift);
    fclose(f);
}

static qisim_comparison compare_dirs(const char *a, const char *b, int want_rc, qisim_err *err)
{
    char da[300], db[300];
    snprintf(da, sizeof da, "%s/%s", tmpdir, a);
    snprintf(db, sizeof db, "%s/%s", tmpdir, b);
    qisim_compare_options o = {.dir_a = da, .dir_b = db, .week = -1};
    qisim_comparison *c = NULL, out = {0};
    int n = 0;
    assert_int_equal(qisim_compare(&o, &c, &n, err), want_rc);
    if (want_rc == QISIM_OK) {
        assert_int_equal(n, 1);
        out = c[0];
    }
    free(c);
    return out;
}

/* Pairing follows the top-level seed only: the old reader took the first "seed": on any line,
 * here one inside a nested object, and paired two runs with different seeds. */
static void pairing_reads_the_top_level_seed(void **state)
{
    (void)state;
    qisim_err err;
    write_raw_arm("s5", "{\"scenario\": {\"name\": \"x\", \"seed\": 5}, \"seed\": 5}\n", "T", 0);
    write_raw_arm("s6", "{\"scenario\": {\"name\": \"x\", \"seed\": 5}, \"seed\": 6}\n", "T", 0.1);
    assert_false(compare_dirs("s5", "s6", QISIM_OK, &err).paired);
    write_raw_arm("s5b", "{\"scenario\": {\"seed\": 6}, \"seed\": 5}", "T", 0.1);
    assert_true(compare_dirs("s5", "s5b", QISIM_OK, &err).paired);
    write_raw_arm("bad", "{\"seed\": 5", "T", 0.1); /* damaged: an error, not a silent guess */
    compare_dirs("s5", "bad", QISIM_EINVAL, &err);
    assert_non_null(strstr(err.msg, "manifest.json"));
}

/* An entity quoted because it holds a line break is read as one field; a row longer than the
 * old 8192-byte line buffer is one row (whose name is too long: an error naming the line). */
static void quoted_line_breaks_and_long_rows(void **state)
{
    (void)state;
    qisim_err err;
    write_raw_arm("nl_a", "{\"seed\": 1}", "\"North\nTrust, \"\"A\"\"\"", 0);
    write_raw_arm("nl_b", "{\"seed\": 1}", "\"North\nTrust, \"\"A\"\"\"", 0.2);
    qisim_comparison c = compare_dirs("nl_a", "nl_b", QISIM_OK, &err);
    assert_string_equal(c.entity, "North\nTrust, \"A\"");
    assert_int_equal(c.n_pairs, 3);
    assert_close(c.diff, 0.2, 1e-12);
    static char long_name[20002];
    memset(long_name, 'x', sizeof long_name - 1);
    write_raw_arm("long_a", "{\"seed\": 1}", long_name, 0);
    write_raw_arm("long_b", "{\"seed\": 1}", long_name, 0.2);
    compare_dirs("long_a", "long_b", QISIM_EINVAL, &err);
    assert_non_null(strstr(err.msg, "series.csv:2: a name longer than 135 characters"));
}

/* Found by tests/fuzz/fuzz_csv.c: a replicate number sized an array, so one line asking for
 * replicate 624973139 allocated 5 GB (or ran out of memory). Now a clear line error. */
static void huge_replicate_numbers_are_refused(void **state)
{
    (void)state;
    double v[1] = {0.1};
    write_arm("huge", 1, v, 1);
    char path[600], dir[600];
    snprintf(path, sizeof path, "%s/huge/series.csv", tmpdir);
    FILE *f = fopen(path, "a");
    fputs("10,624973139,trust,\"Trust, A\",reliability,0.3\n", f);
    fclose(f);
    snprintf(dir, sizeof dir, "%s/huge", tmpdir);
    qisim_compare_options o = {.dir_a = dir, .dir_b = dir, .week = -1};
    qisim_comparison *c = NULL;
    int n = 0;
    qisim_err err;
    assert_int_equal(qisim_compare(&o, &c, &n, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "series.csv:4: bad week or replicate"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(intervals_cover_the_true_difference),
        cmocka_unit_test(missing_or_foreign_folders_are_errors),
        cmocka_unit_test(pairing_reads_the_top_level_seed),
        cmocka_unit_test(quoted_line_breaks_and_long_rows),
        cmocka_unit_test(huge_replicate_numbers_are_refused),
    };
    return cmocka_run_group_tests_name("compare", tests, setup, teardown);
}
