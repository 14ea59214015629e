/* A sweep database that is empty, truncated, damaged or edited by hand: `sweep --resume` says
 * which, exits 1 and adds nothing, instead of blaming the experiment or duplicating rows; an
 * intact one (or one whose whole runs were removed) resumes. Runs $QISIM (default build/qisim). */
#include "test_helpers.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[256];

/* qisim sweep into tmpdir/<out> with extra flags; stderr in tmpdir/err. */
static int sweep(const char *out, const char *extra)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s sweep %s/experiment.lua --out %s/%s --quiet %s 2>%s/err", test_qisim_binary(), tmpdir,
             tmpdir, out, extra, tmpdir);
    int s = system(cmd);
    return WIFEXITED(s) ? WEXITSTATUS(s) : -1;
}

static void last_error(char *line, size_t size)
{
    char path[300];
    snprintf(path, sizeof path, "%s/err", tmpdir);
    FILE *f = fopen(path, "r");
    line[0] = '\0';
    if (f) {
        size_t n = fread(line, 1, size - 1, f);
        line[n] = '\0';
        fclose(f);
    }
}

static int setup(void **state)
{
    (void)state;
    if (test_make_dir(tmpdir, sizeof tmpdir, "database"))
        return -1;
    char path[512];
    snprintf(path, sizeof path, "%s/scenario.lua", tmpdir);
    FILE *f = fopen(path, "w");
    fputs("scenario { weeks = 20 }\n"
          "local r = region { name = 'R' }\n"
          "local t = trust { name = 'T', region = r, staff = 200, teams = 8 }\n"
          "regulator { name = 'CQC' }\n"
          "local share = arg('share', 0.1)\n"
          "at(0, function() t:strategy('qi') ; t:train { tier = 'practitioner', share = share } end)\n"
          "at(3, function() t:inspect() end)\n"
          "record { 'practising_share', levels = { 'trust' }, every = 5 }\n",
          f);
    fclose(f);
    snprintf(path, sizeof path, "%s/experiment.lua", tmpdir);
    f = fopen(path, "w");
    fprintf(f,
            "experiment { name = 'db', scenario = '%s/scenario.lua', replicates = 2, seed = 5,\n"
            "  factors = { { arg = 'share', levels = { 0.05, 0.2 } } } }\n",
            tmpdir);
    fclose(f);
    return sweep("whole", "");
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_dir(tmpdir);
}

/* A copy of the finished database as tmpdir/<out>/results.sqlite. */
static void copy_whole(const char *out)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", tmpdir, out);
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "mkdir -p %s && cp %s/whole/results.sqlite %s/", dir, tmpdir, dir);
    assert_int_equal(system(cmd), 0);
}

static void edit(const char *out, const char *sql)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/results.sqlite", tmpdir, out);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        print_error("%s: %s\n", sql, msg);
    assert_int_equal(rc, SQLITE_OK);
    sqlite3_close(db);
}

static long long count(const char *out, const char *sql)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/results.sqlite", tmpdir, out);
    sqlite3 *db;
    long long n = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
}

/* --resume on tmpdir/<out> is refused with one line holding message, and adds no rows. */
static void refused(const char *out, const char *message)
{
    long long series = count(out, "SELECT count(*) FROM series"), runs = count(out, "SELECT count(*) FROM runs");
    char err[4096];
    int status = sweep(out, "--resume");
    last_error(err, sizeof err);
    if (status != 1 || !strstr(err, message) || strstr(err, "different experiment"))
        print_error("%s: status %d, stderr: %s\n", out, status, err);
    assert_int_equal(status, 1);
    assert_non_null(strstr(err, message));
    assert_null(strstr(err, "different experiment"));
    assert_true(strchr(err, '\n') == err + strlen(err) - 1);
    assert_int_equal(count(out, "SELECT count(*) FROM series"), series);
    assert_int_equal(count(out, "SELECT count(*) FROM runs"), runs);
}

/* Issue 14 defect 7: these read "made by a different experiment or scenario file". An empty
 * file is what a sweep killed while creating its database leaves: it starts afresh. */
static void empty_truncated_and_damaged_files_say_so(void **state)
{
    (void)state;
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/empty", tmpdir);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/results.sqlite", dir);
    fclose(fopen(path, "w"));
    char err[4096];
    /* an empty file is a sweep killed while creating its database: it starts afresh */
    assert_int_equal(sweep("empty", "--resume"), 0);

    copy_whole("truncated");
    snprintf(path, sizeof path, "%s/truncated/results.sqlite", tmpdir);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(truncate(path, st.st_size / 2), 0);
    assert_int_equal(sweep("truncated", "--resume"), 1);
    last_error(err, sizeof err);
    if (!strstr(err, "damaged"))
        print_error("stderr: %s\n", err);
    assert_non_null(strstr(err, "damaged"));

    snprintf(dir, sizeof dir, "%s/garbage", tmpdir);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/results.sqlite", dir);
    FILE *f = fopen(path, "w");
    for (int i = 0; i < 5000; i++)
        fputc((i * 131) & 0xff, f);
    fclose(f);
    assert_int_equal(sweep("garbage", "--resume"), 1);
    last_error(err, sizeof err);
    assert_non_null(strstr(err, "damaged"));
    assert_null(strstr(err, "different experiment"));
}

/* Issue 14 defect 7: --resume accepted these, then duplicated series rows with exit 0. */
static void edited_databases_are_refused(void **state)
{
    (void)state;
    copy_whole("no-run");
    edit("no-run", "DELETE FROM runs WHERE run = 1");
    refused("no-run", "edited or damaged");

    copy_whole("no-series");
    edit("no-series", "DELETE FROM series WHERE rowid IN (SELECT rowid FROM series WHERE run = 2 LIMIT 3)");
    refused("no-series", "edited or damaged");

    copy_whole("no-event");
    edit("no-event", "DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE run = 0 LIMIT 1)");
    refused("no-event", "edited or damaged");

    copy_whole("meta");
    edit("meta", "UPDATE meta SET value = '7' WHERE key = 'replicates'");
    refused("meta", "digest mismatch");

    copy_whole("point");
    edit("point", "UPDATE point_values SET value = '0.5' WHERE point = 1");
    refused("point", "digest mismatch");

    copy_whole("run-row");
    edit("run-row", "UPDATE runs SET replicate = 5 WHERE run = 3");
    refused("run-row", "does not belong");
}

/* No false alarm: an intact database resumes doing nothing, and one whose last run was removed
 * whole (its runs row, series and events) redoes that run and ends as it was. */
static void intact_databases_resume(void **state)
{
    (void)state;
    copy_whole("intact");
    assert_int_equal(sweep("intact", "--resume"), 0);
    long long series = count("whole", "SELECT count(*) FROM series");
    assert_int_equal(count("intact", "SELECT count(*) FROM series"), series);
    copy_whole("redo");
    edit("redo", "DELETE FROM runs WHERE run = 3; DELETE FROM series WHERE run = 3; DELETE FROM events WHERE run = 3");
    assert_int_equal(sweep("redo", "--resume"), 0);
    assert_int_equal(count("redo", "SELECT count(*) FROM series"), series);
    assert_int_equal(count("redo", "SELECT count(*) FROM runs"), 4);
    assert_int_equal(count("redo", "SELECT sum(series_rows) FROM runs"), series);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_truncated_and_damaged_files_say_so),
        cmocka_unit_test(edited_databases_are_refused),
        cmocka_unit_test(intact_databases_resume),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
