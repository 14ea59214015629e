/* qisim_sweep: the design points of an experiment, their replicates on a thread pool, and
 * the results streamed into SQLite one transaction per run. */
#include "qisim/sweep.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qisim/experiment.h"
#include "qisim/io.h"
#include "qisim/metrics.h"
#include "qisim/results.h"
#include "qisim/run.h"
#include "qisim/stats.h"

static const char schema[] =
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    "CREATE TABLE points (point INTEGER PRIMARY KEY, assignment TEXT NOT NULL);\n"
    "CREATE TABLE point_values (point INTEGER NOT NULL, factor TEXT NOT NULL, kind TEXT NOT NULL,"
    " value TEXT NOT NULL, PRIMARY KEY (point, factor));\n"
    "CREATE TABLE runs (run INTEGER PRIMARY KEY, point INTEGER NOT NULL, replicate INTEGER NOT NULL,"
    " seed INTEGER NOT NULL, series_rows INTEGER NOT NULL, event_rows INTEGER NOT NULL);\n"
    "CREATE TABLE series (run INTEGER NOT NULL, week INTEGER NOT NULL, level TEXT NOT NULL,"
    " entity TEXT NOT NULL, metric TEXT NOT NULL, value REAL);\n"
    "CREATE TABLE events (run INTEGER NOT NULL, week INTEGER NOT NULL, level TEXT NOT NULL,"
    " entity TEXT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL);\n"
    "CREATE TABLE summaries (point INTEGER NOT NULL, week INTEGER NOT NULL, level TEXT NOT NULL,"
    " entity TEXT NOT NULL, metric TEXT NOT NULL, replicates INTEGER NOT NULL, mean REAL, sd REAL,"
    " ci95_low REAL, ci95_high REAL);\n";

typedef struct sweep {
    sqlite3 *db;
    sqlite3_stmt *insert_run, *insert_series, *insert_event;
    const qisim_experiment *e;
    const int32_t *run_of_job; /* job index -> run id */
    const qisim_sweep_options *o;
    qisim_sweep_result *res;
    int64_t done;
    qisim_dir_lock lock;       /* one sweep at a time per database */
} sweep;

/* "results database DIR/results.sqlite: WHAT: SQLite's reason" */
static int db_error(sqlite3 *db, qisim_err *err, const char *what)
{
    const char *file = db ? sqlite3_db_filename(db, "main") : NULL;
    return qisim_err_set(err, QISIM_EIO, "results database %s: %s: %s", file && *file ? file : "", what,
                         sqlite3_errmsg(db));
}

static int exec(sqlite3 *db, const char *sql, qisim_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        const char *file = sqlite3_db_filename(db, "main");
        int rc = qisim_err_set(err, QISIM_EIO, "results database %s: %s", file ? file : "", msg ? msg : "error");
        sqlite3_free(msg);
        return rc;
    }
    return QISIM_OK;
}

static bool is_outcome(const qisim_experiment *e, const char *metric)
{
    if (e->n_outcomes == 0)
        return true;
    for (int i = 0; i < e->n_outcomes; i++)
        if (strcmp(e->outcomes[i], metric) == 0)
            return true;
    return false;
}

/* Inserts the frame's values of the experiment's outcomes, each value whole (a double, NULL
 * where it is NaN: not defined there), and its events; run is bound first. */
static int insert_frame(sweep *s, int64_t run, const qisim_frame *f, sqlite3_int64 *series_rows, qisim_err *err)
{
    int rc = QISIM_OK;
    *series_rows = 0;
    for (size_t i = 0; !rc && i < f->n_values; i++) {
        const qisim_frame_value *v = &f->values[i];
        const char *metric = qisim_metric_at(v->metric)->name;
        if (!is_outcome(s->e, metric))
            continue;
        sqlite3_stmt *st = s->insert_series;
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_int(st, 2, v->week);
        sqlite3_bind_text(st, 3, qisim_level_name(v->level), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, qisim_frame_entity_name(f, v->level, v->entity), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, metric, -1, SQLITE_STATIC);
        if (isnan(v->value))
            sqlite3_bind_null(st, 6);
        else
            sqlite3_bind_double(st, 6, v->value);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_error(s->db, err, "writing a row");
        sqlite3_reset(st);
        ++*series_rows;
    }
    for (size_t i = 0; !rc && i < f->n_events; i++) {
        const qisim_frame_event *e = &f->events[i];
        sqlite3_stmt *st = s->insert_event;
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_int(st, 2, e->week);
        sqlite3_bind_text(st, 3, qisim_level_name(e->level), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, qisim_frame_entity_name(f, e->level, e->entity), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, qisim_frame_text(f, e->type), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, qisim_frame_text(f, e->detail), -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_error(s->db, err, "writing a row");
        sqlite3_reset(st);
    }
    return rc;
}

/* The sink: one transaction per run, so an interruption never leaves half a run. The run's
 * row counts go in its runs row, so --resume can tell an edited or damaged database. */
static int sweep_sink(void *ctx, int32_t job, const qisim_job_output *out, qisim_err *err)
{
    sweep *s = ctx;
    int64_t run = s->run_of_job[job];
    int rc = exec(s->db, "BEGIN", err);
    if (rc)
        return rc;
    sqlite3_int64 before = sqlite3_total_changes64(s->db), series_rows = 0;
    rc = insert_frame(s, run, out->frame, &series_rows, err);
    if (!rc) {
        sqlite3_bind_int64(s->insert_run, 1, run);
        sqlite3_bind_int64(s->insert_run, 2, run / s->e->replicates);
        sqlite3_bind_int64(s->insert_run, 3, run % s->e->replicates);
        sqlite3_bind_int64(s->insert_run, 4, (sqlite3_int64)s->e->seed);
        sqlite3_bind_int64(s->insert_run, 5, series_rows);
        sqlite3_bind_int64(s->insert_run, 6, sqlite3_total_changes64(s->db) - before - series_rows);
        if (sqlite3_step(s->insert_run) != SQLITE_DONE)
            rc = db_error(s->db, err, "writing a run");
        sqlite3_reset(s->insert_run);
    }
    if (rc) {
        exec(s->db, "ROLLBACK", NULL);
        return rc;
    }
    if ((rc = exec(s->db, "COMMIT", err)))
        return rc;
    s->done++;
    if (s->o->progress)
        s->o->progress(s->o->progress_ctx, s->res->runs_done_before + s->done, s->res->runs_total);
    return QISIM_OK;
}

/* Recomputes the summaries table from the series, in one transaction. */
static int write_summaries(sqlite3 *db, qisim_err *err)
{
    int rc = exec(db, "BEGIN; DELETE FROM summaries;", err);
    if (rc)
        return rc;
    sqlite3_stmt *q = NULL, *ins = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT r.point, s.week, s.level, s.entity, s.metric, s.value FROM series s "
                           "JOIN runs r ON r.run = s.run ORDER BY r.point, s.level, s.entity, s.metric, s.week, r.replicate",
                           -1, &q, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO summaries VALUES (?,?,?,?,?,?,?,?,?,?)", -1, &ins, NULL) != SQLITE_OK) {
        rc = db_error(db, err, "summarising");
        goto done;
    }
    int64_t point = -1, week = -1;
    char level[64] = "", entity[256] = "", metric[64] = "";
    qisim_moments m = {0};
    for (int step = sqlite3_step(q);; step = sqlite3_step(q)) {
        bool row = step == SQLITE_ROW;
        if (!row && step != SQLITE_DONE) {
            rc = db_error(db, err, "summarising");
            break;
        }
        bool same = row && sqlite3_column_int64(q, 0) == point && sqlite3_column_int64(q, 1) == week &&
                    !strcmp((const char *)sqlite3_column_text(q, 2), level) &&
                    !strcmp((const char *)sqlite3_column_text(q, 3), entity) &&
                    !strcmp((const char *)sqlite3_column_text(q, 4), metric);
        if (!same && point >= 0) { /* flush the finished key */
            double sd = sqrt(qisim_moments_var(&m)), half = qisim_moments_ci95(&m);
            sqlite3_bind_int64(ins, 1, point);
            sqlite3_bind_int64(ins, 2, week);
            sqlite3_bind_text(ins, 3, level, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 4, entity, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 5, metric, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(ins, 6, m.n);
            const double v[4] = {m.n ? m.mean : (double)NAN, sd, m.mean - half, m.mean + half};
            for (int c = 0; c < 4; c++) {
                if (isnan(v[c]))
                    sqlite3_bind_null(ins, 7 + c);
                else
                    sqlite3_bind_double(ins, 7 + c, v[c]);
            }
            if (sqlite3_step(ins) != SQLITE_DONE) {
                rc = db_error(db, err, "writing summaries");
                break;
            }
            sqlite3_reset(ins);
        }
        if (!row)
            break;
        if (!same) {
            point = sqlite3_column_int64(q, 0);
            week = sqlite3_column_int64(q, 1);
            snprintf(level, sizeof level, "%s", (const char *)sqlite3_column_text(q, 2));
            snprintf(entity, sizeof entity, "%s", (const char *)sqlite3_column_text(q, 3));
            snprintf(metric, sizeof metric, "%s", (const char *)sqlite3_column_text(q, 4));
            m = (qisim_moments){0};
        }
        if (sqlite3_column_type(q, 5) != SQLITE_NULL)
            qisim_moments_add(&m, sqlite3_column_double(q, 5));
    }
done:
    sqlite3_finalize(q);
    sqlite3_finalize(ins);
    if (rc) {
        exec(db, "ROLLBACK", NULL);
        return rc;
    }
    return exec(db, "COMMIT", err);
}

static int meta_set(sqlite3 *db, const char *key, const char *value, qisim_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO meta VALUES (?, ?)", -1, &st, NULL) != SQLITE_OK)
        return db_error(db, err, "writing meta");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st) == SQLITE_DONE ? QISIM_OK : db_error(db, err, "writing meta");
    sqlite3_finalize(st);
    return rc;
}

/* The value of a meta key, or "" (out has size bytes). */
static void meta_get(sqlite3 *db, const char *key, char *out, size_t size)
{
    sqlite3_stmt *st;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

/* SHA-256 (hex) of the meta (but its digest), points and point_values tables: what a sweep is,
 * written when it starts and checked by --resume, so an edited design is refused. */
static int design_digest(sqlite3 *db, char hex[65], qisim_err *err)
{
    static const char *const queries[] = {
        "SELECT 'meta', key, value FROM meta WHERE key <> 'digest' ORDER BY key",
        "SELECT 'points', point, assignment FROM points ORDER BY point",
        "SELECT 'point_values', point, factor, kind, value FROM point_values ORDER BY point, factor",
    };
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory checking the results database");
    int rc = QISIM_OK;
    for (size_t i = 0; !rc && i < sizeof queries / sizeof queries[0]; i++) {
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(db, queries[i], -1, &q, NULL) != SQLITE_OK) {
            rc = db_error(db, err, "reading the design");
            break;
        }
        int step;
        while ((step = sqlite3_step(q)) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(q); c++) {
                const unsigned char *v = sqlite3_column_text(q, c);
                fprintf(f, "%s%c", v ? (const char *)v : "", c + 1 < sqlite3_column_count(q) ? '\x1f' : '\n');
            }
        }
        if (step != SQLITE_DONE)
            rc = db_error(db, err, "reading the design");
        sqlite3_finalize(q);
    }
    fclose(f);
    uint8_t d[32];
    qisim_sha256(text, len, d);
    free(text);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    return rc;
}

/* A new database: schema, meta and the design points, in one transaction. */
static int initialise(sqlite3 *db, const qisim_experiment *e, const qisim_sweep_options *o, const char *esha,
                      const char *ssha, const qisim_point *pts, int32_t n_points, qisim_err *err)
{
    char text[64];
    int rc = exec(db, "BEGIN", err);
    if (!rc)
        rc = exec(db, schema, err);
    const struct { const char *key, *value; } meta[] = {
        {"qisim_version", QISIM_VERSION}, {"experiment_path", o->experiment_path}, {"experiment_sha256", esha},
        {"experiment_name", e->name}, {"scenario_path", e->scenario}, {"scenario_sha256", ssha},
        {"design", e->design == QISIM_DESIGN_FULL ? "full" : e->design == QISIM_DESIGN_LHS ? "lhs"
                   : e->design == QISIM_DESIGN_MORRIS ? "morris" : "matrix"},
    };
    for (size_t i = 0; !rc && i < sizeof meta / sizeof meta[0]; i++)
        rc = meta_set(db, meta[i].key, meta[i].value, err);
    snprintf(text, sizeof text, "%llu", (unsigned long long)e->seed);
    if (!rc)
        rc = meta_set(db, "seed", text, err);
    snprintf(text, sizeof text, "%d", e->replicates);
    if (!rc)
        rc = meta_set(db, "replicates", text, err);
    snprintf(text, sizeof text, "%d", e->n_factors);
    if (!rc)
        rc = meta_set(db, "factors", text, err);
    snprintf(text, sizeof text, "%d", e->n_arms);
    if (!rc && e->n_arms)
        rc = meta_set(db, "arms", text, err);
    for (int a = 0; !rc && a < e->n_arms; a++) {
        char key[32];
        snprintf(key, sizeof key, "arm_%d", a + 1);
        rc = meta_set(db, key, e->arm_names[a], err);
    }
    snprintf(text, sizeof text, "%.17g", e->morris_levels / (2.0 * (e->morris_levels - 1)));
    if (!rc && e->design == QISIM_DESIGN_MORRIS)
        rc = meta_set(db, "morris_delta", text, err);
    sqlite3_stmt *pt = NULL, *pv = NULL;
    if (!rc && (sqlite3_prepare_v2(db, "INSERT INTO points VALUES (?, ?)", -1, &pt, NULL) != SQLITE_OK ||
                sqlite3_prepare_v2(db, "INSERT INTO point_values VALUES (?, ?, ?, ?)", -1, &pv, NULL) != SQLITE_OK))
        rc = db_error(db, err, "writing points");
    for (int32_t p = 0; !rc && p < n_points; p++) {
        char assignment[4096] = "";
        for (int k = 0; k < pts[p].n_sets + pts[p].n_args; k++) {
            bool is_set = k < pts[p].n_sets;
            const char *a = is_set ? pts[p].sets[k] : pts[p].args[k - pts[p].n_sets];
            const char *eq = strchr(a, '=');
            size_t used = strlen(assignment);
            snprintf(assignment + used, sizeof assignment - used, "%s%s%s", used ? " " : "", is_set ? "" : "arg:", a);
            sqlite3_bind_int(pv, 1, p);
            sqlite3_bind_text(pv, 2, a, (int)(eq - a), SQLITE_TRANSIENT);
            sqlite3_bind_text(pv, 3, is_set ? "param" : "arg", -1, SQLITE_STATIC);
            sqlite3_bind_text(pv, 4, eq + 1, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(pv) != SQLITE_DONE)
                rc = db_error(db, err, "writing points");
            sqlite3_reset(pv);
        }
        sqlite3_bind_int(pt, 1, p);
        sqlite3_bind_text(pt, 2, assignment, -1, SQLITE_TRANSIENT);
        if (!rc && sqlite3_step(pt) != SQLITE_DONE)
            rc = db_error(db, err, "writing points");
        sqlite3_reset(pt);
    }
    sqlite3_finalize(pt);
    sqlite3_finalize(pv);
    char digest[65];
    if (!rc && !(rc = design_digest(db, digest, err)))
        rc = meta_set(db, "digest", digest, err);
    if (rc) {
        exec(db, "ROLLBACK", NULL);
        return rc;
    }
    return exec(db, "COMMIT", err);
}

/* The number of tables in db, or -1 when it cannot be read. */
static int count_tables(sqlite3 *db)
{
    sqlite3_stmt *q;
    int n = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* Counts rows per run of a table ("SELECT run, count(*) ... GROUP BY run") into rows[run];
 * false when a run is outside [0, n) (rows of a run the sweep never had). *step ends as
 * SQLITE_OK, or the error that stopped the query. */
static bool rows_per_run(sqlite3 *db, const char *sql, int64_t *rows, int64_t n, int *step)
{
    sqlite3_stmt *q;
    bool ok = true;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
        *step = SQLITE_ERROR;
        return true;
    }
    while ((*step = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t run = sqlite3_column_int64(q, 0);
        if (sqlite3_column_type(q, 0) != SQLITE_INTEGER || run < 0 || run >= n) {
            ok = false;
            *step = SQLITE_DONE;
            break;
        }
        rows[run] = sqlite3_column_int64(q, 1);
    }
    if (*step == SQLITE_DONE)
        *step = SQLITE_OK;
    sqlite3_finalize(q);
    return ok;
}

/* Before --resume adds to a database: that it is an intact qisim results database of this
 * sweep, with its design unedited and every finished run's rows all there. */
static int check_database(sqlite3 *db, const char *path, const qisim_experiment *e, const char *esha,
                          const char *ssha, int64_t runs_total, bool *done_runs, qisim_err *err)
{
    sqlite3_stmt *q;
    char check[256] = "";
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        snprintf(check, sizeof check, "%s", (const char *)sqlite3_column_text(q, 0));
    else
        snprintf(check, sizeof check, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    if (strcmp(check, "ok") != 0)
        return qisim_err_set(err, QISIM_EINVAL, "%s is damaged (%s): --resume cannot continue it", path, check);
    char old_e[131], old_s[65], digest[65], old_digest[65], text[64];
    if (sqlite3_prepare_v2(db, "SELECT series_rows, event_rows FROM runs LIMIT 0", -1, &q, NULL) != SQLITE_OK) {
        sqlite3_finalize(q);
        return qisim_err_set(err, QISIM_EINVAL, "%s is not a results database of this version of qisim", path);
    }
    sqlite3_finalize(q);
    meta_get(db, "digest", old_digest, sizeof old_digest);
    int rc = design_digest(db, digest, err);
    if (rc)
        return rc;
    if (strcmp(digest, old_digest) != 0)
        return qisim_err_set(err, QISIM_EINVAL,
                             "%s: its meta, points or point_values tables were edited (digest mismatch): --resume refuses it",
                             path);
    meta_get(db, "experiment_sha256", old_e, sizeof old_e);
    meta_get(db, "scenario_sha256", old_s, sizeof old_s);
    if (strcmp(old_e, esha) != 0 || strcmp(old_s, ssha) != 0)
        return qisim_err_set(err, QISIM_EINVAL,
                             "%s was made by a different experiment or scenario file: --resume needs them unchanged",
                             path);
    meta_get(db, "seed", old_e, sizeof old_e);
    snprintf(text, sizeof text, "%llu", (unsigned long long)e->seed);
    if (strcmp(old_e, text) != 0)
        return qisim_err_set(err, QISIM_EINVAL, "%s: meta seed %s is not the experiment's %s", path, old_e, text);
    /* every run recorded, with exactly the rows it wrote; no rows of runs not recorded */
    int64_t *want = calloc((size_t)runs_total * 4 + 1, sizeof *want);
    if (!want)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory checking %s", path);
    int64_t *want_events = want + runs_total, *series = want + 2 * runs_total, *events = want + 3 * runs_total;
    const char *bad = NULL;
    int step = SQLITE_OK;
    if (sqlite3_prepare_v2(db, "SELECT run, point, replicate, seed, series_rows, event_rows FROM runs", -1, &q, NULL) !=
        SQLITE_OK)
        step = SQLITE_ERROR;
    while (step == SQLITE_OK && !bad && sqlite3_step(q) == SQLITE_ROW) {
        int64_t run = sqlite3_column_int64(q, 0);
        if (run < 0 || run >= runs_total || sqlite3_column_int64(q, 1) != run / e->replicates ||
            sqlite3_column_int64(q, 2) != run % e->replicates ||
            sqlite3_column_int64(q, 3) != (sqlite3_int64)e->seed || sqlite3_column_int64(q, 4) < 0 ||
            sqlite3_column_int64(q, 5) < 0) {
            bad = "a runs row does not belong to this sweep";
            break;
        }
        done_runs[run] = true;
        want[run] = sqlite3_column_int64(q, 4);
        want_events[run] = sqlite3_column_int64(q, 5);
    }
    sqlite3_finalize(q);
    if (step == SQLITE_OK && !bad &&
        (!rows_per_run(db, "SELECT run, count(*) FROM series GROUP BY run", series, runs_total, &step) ||
         !rows_per_run(db, "SELECT run, count(*) FROM events GROUP BY run", events, runs_total, &step)) &&
        step == SQLITE_OK)
        bad = "series or events rows of a run outside the sweep";
    for (int64_t run = 0; step == SQLITE_OK && !bad && run < runs_total; run++) {
        if (series[run] != want[run] || events[run] != want_events[run]) {
            if (done_runs[run])
                snprintf(check, sizeof check, "run %lld has %lld series and %lld event rows, its runs row says %lld and %lld",
                         (long long)run, (long long)series[run], (long long)events[run], (long long)want[run],
                         (long long)want_events[run]);
            else
                snprintf(check, sizeof check, "run %lld has %lld series and %lld event rows but no runs row",
                         (long long)run, (long long)series[run], (long long)events[run]);
            bad = check;
        }
    }
    free(want);
    if (step != SQLITE_OK)
        return qisim_err_set(err, QISIM_EINVAL, "%s is damaged (%s): --resume cannot continue it", path,
                             sqlite3_errmsg(db));
    if (bad)
        return qisim_err_set(err, QISIM_EINVAL, "%s was edited or damaged (%s): --resume refuses it", path, bad);
    return QISIM_OK;
}

/* On rank 0: opens (or creates, or resumes) the results database and lists the runs still
 * to do, in run order (*run_of_job: free() it). */
static int open_database(sweep *s, const qisim_sweep_options *o, const qisim_experiment *e, const qisim_point *pts,
                         int32_t n_points, const char *dir, const char *esha, const char *ssha, int32_t **run_of_job,
                         int32_t *n_jobs, qisim_err *err)
{
    qisim_sweep_result *res = s->res;
    /* Held until the sweep ends: a second sweep (or --resume) of this database stops here with
     * the first one's pid, instead of failing later on a run both of them wrote. */
    int rc = qisim_dir_lock_take(&s->lock, dir, err);
    if (rc)
        return rc;
    if (snprintf(res->database, sizeof res->database, "%.4000s/results.sqlite", dir) >= (int)sizeof res->database)
        return qisim_err_set(err, QISIM_EINVAL, "output directory name too long");
    struct stat st;
    bool exists = stat(res->database, &st) == 0;
    if (exists && !o->resume)
        return qisim_err_set(err, QISIM_EINVAL, "%s exists: continue it with --resume, or remove it", res->database);
    if (sqlite3_open(res->database, &s->db) != SQLITE_OK)
        return db_error(s->db, err, res->database);
    sqlite3_busy_timeout(s->db, 10000);
    /* A sweep killed while it created the database leaves one with no tables (its first
     * transaction rolled back): that is a sweep not yet begun, not someone else's database. */
    if (exists && count_tables(s->db) == 0)
        exists = false;
    bool *done_runs = calloc((size_t)res->runs_total + 1, sizeof *done_runs);
    if (!done_runs)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory");
    if (exists)
        rc = check_database(s->db, res->database, e, esha, ssha, res->runs_total, done_runs, err);
    else
        rc = initialise(s->db, e, o, esha, ssha, pts, n_points, err);
    if (rc) {
        free(done_runs);
        return rc;
    }
    for (int64_t run = 0; run < res->runs_total; run++)
        res->runs_done_before += done_runs[run];
    *n_jobs = (int32_t)(res->runs_total - res->runs_done_before);
    *run_of_job = calloc((size_t)(*n_jobs ? *n_jobs : 1), sizeof **run_of_job);
    if (!*run_of_job) {
        free(done_runs);
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory planning the sweep");
    }
    for (int32_t run = 0, j = 0; run < res->runs_total; run++)
        if (!done_runs[run])
            (*run_of_job)[j++] = run;
    free(done_runs);
    if (sqlite3_prepare_v2(s->db, "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?)", -1, &s->insert_run, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT INTO series VALUES (?, ?, ?, ?, ?, ?)", -1, &s->insert_series, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", -1, &s->insert_event, NULL) != SQLITE_OK)
        return db_error(s->db, err, "preparing");
    return QISIM_OK;
}

int qisim_sweep(const qisim_sweep_options *o, qisim_sweep_result *res, qisim_err *err)
{
    memset(res, 0, sizeof *res);
    qisim_experiment *e = malloc(sizeof *e);
    if (!e)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory");
    qisim_point *pts = NULL;
    int32_t n_points = 0, *run_of_job = NULL;
    qisim_job *jobs = NULL;
    qisim_assignments *sets = NULL, *args = NULL;
    const char **items = NULL;
    sweep s = {.o = o, .res = res};
    char esha[131], ssha[65], msha[65], dir[4096]; /* esha: the experiment's, ":" the matrix's */
    int rc = qisim_experiment_load(o->experiment_path, e, err);
    if (!rc)
        rc = qisim_sha256_file(o->experiment_path, esha, err);
    if (!rc && e->design == QISIM_DESIGN_MATRIX && !(rc = qisim_sha256_file(e->matrix, msha, err)))
        snprintf(esha + 64, sizeof esha - 64, ":%s", msha);
    if (rc || (rc = qisim_sha256_file(e->scenario, ssha, err)) ||
        (rc = qisim_experiment_points(e, &pts, &n_points, err)))
        goto done;
    s.e = e;
    res->points = n_points;
    res->runs_total = (int64_t)n_points * e->replicates;
    if (res->runs_total > INT32_MAX) {
        rc = qisim_err_set(err, QISIM_EINVAL, "%lld runs is too many for one sweep", (long long)res->runs_total);
        goto done;
    }
    int32_t n_jobs = -1; /* -1 tells other processes that rank 0 stopped */
    if (qisim_process_rank() == 0) {
        snprintf(dir, sizeof dir, "%s%s", o->out_dir ? "" : "results/", o->out_dir ? o->out_dir : e->name);
        rc = open_database(&s, o, e, pts, n_points, dir, esha, ssha, &run_of_job, &n_jobs, err);
    }
    qisim_process_broadcast(&n_jobs, sizeof n_jobs);
    if (rc || n_jobs < 0) {
        if (!rc)
            rc = qisim_err_set(err, QISIM_EINVAL, "the sweep stopped on rank 0");
        goto done;
    }
    if (qisim_process_rank() != 0 && !(run_of_job = calloc((size_t)(n_jobs ? n_jobs : 1), sizeof *run_of_job))) {
        rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory planning the sweep");
        goto done;
    }
    qisim_process_broadcast(run_of_job, (size_t)n_jobs * sizeof *run_of_job);
    jobs = calloc((size_t)(n_jobs ? n_jobs : 1), sizeof *jobs);
    sets = calloc((size_t)n_points, sizeof *sets);
    args = calloc((size_t)n_points, sizeof *args);
    items = calloc((size_t)n_points * 2 * QISIM_MAX_POINT_ASSIGN, sizeof *items);
    if (!jobs || !sets || !args || !items) {
        rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory planning the sweep");
        goto done;
    }
    for (int32_t p = 0; p < n_points; p++) {
        const char **si = items + (size_t)p * 2 * QISIM_MAX_POINT_ASSIGN, **ai = si + QISIM_MAX_POINT_ASSIGN;
        for (int k = 0; k < pts[p].n_sets; k++)
            si[k] = pts[p].sets[k];
        for (int k = 0; k < pts[p].n_args; k++)
            ai[k] = pts[p].args[k];
        sets[p] = (qisim_assignments){si, pts[p].n_sets};
        args[p] = (qisim_assignments){ai, pts[p].n_args};
    }
    for (int32_t j = 0; j < n_jobs; j++) {
        int32_t run = run_of_job[j], p = run / e->replicates;
        /* Replicate r of every point shares its random numbers: common random numbers. */
        jobs[j] = (qisim_job){e->scenario, e->seed, run % e->replicates, &sets[p], &args[p], NULL};
    }
    s.run_of_job = run_of_job;
    rc = qisim_run_jobs(jobs, n_jobs, o->threads > 0 ? o->threads : 1, sweep_sink, &s, NULL, err);
    if (!rc && qisim_process_rank() == 0)
        rc = write_summaries(s.db, err);
done:
    sqlite3_finalize(s.insert_run);
    sqlite3_finalize(s.insert_series);
    sqlite3_finalize(s.insert_event);
    if (s.db)
        sqlite3_close(s.db);
    qisim_dir_lock_release(&s.lock, false);
    free(jobs);
    free(run_of_job);
    free(sets);
    free(args);
    free(items);
    free(pts);
    free(e);
    return rc;
}

int qisim_results_open_readonly(const char *database, sqlite3 **out, qisim_err *err)
{
    *out = NULL;
    /* SQLite opens anything lazily and complains later in its own words ("disk I/O error" for
     * a directory), so the common mistakes are named first. */
    struct stat st;
    if (stat(database, &st) != 0)
        return qisim_err_set(err, QISIM_EIO, "cannot open %s: %s", database, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return qisim_err_set(err, QISIM_EINVAL, "%s is a directory, not a qisim results database (give DIR/results.sqlite)",
                             database);
    if (!S_ISREG(st.st_mode))
        return qisim_err_set(err, QISIM_EINVAL, "%s is not a qisim results database (not a regular file)", database);
    sqlite3 *db;
    if (sqlite3_open_v2(database, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        int rc = qisim_err_set(err, QISIM_EIO, "cannot open %s: %s", database, sqlite3_errmsg(db));
        sqlite3_close(db);
        return rc;
    }
    sqlite3_stmt *q = NULL;
    int rc = QISIM_OK;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'qisim_version'", -1, &q, NULL) != SQLITE_OK) {
        int code = sqlite3_errcode(db);
        if (code == SQLITE_NOTADB)
            rc = qisim_err_set(err, QISIM_EINVAL, "%s is not a qisim results database (not an SQLite file)", database);
        else if (code == SQLITE_ERROR) /* no such table */
            rc = qisim_err_set(err, QISIM_EINVAL, "%s is not a qisim results database (no meta table)", database);
        else
            rc = qisim_err_set(err, QISIM_EIO, "%s is damaged: %s", database, sqlite3_errmsg(db));
    } else {
        int step = sqlite3_step(q);
        if (step == SQLITE_DONE)
            rc = qisim_err_set(err, QISIM_EINVAL, "%s is not a qisim results database (no qisim_version in meta)", database);
        else if (step != SQLITE_ROW)
            rc = qisim_err_set(err, QISIM_EIO, "%s is damaged: %s", database, sqlite3_errmsg(db));
    }
    sqlite3_finalize(q);
    if (rc) {
        sqlite3_close(db);
        return rc;
    }
    *out = db;
    return QISIM_OK;
}

int qisim_export_table(const char *database, const char *table, FILE *out, qisim_err *err)
{
    /* a sweep's tables, then a calibration's (qisim calibrate) and a validation's (--db) */
    static const char *const tables[] = {"meta", "points", "point_values", "runs", "series", "events", "summaries",
                                         "parameters", "generations", "particles", "rows", NULL};
    bool known = false;
    for (int i = 0; tables[i]; i++)
        known |= strcmp(tables[i], table) == 0;
    if (!known)
        return qisim_err_set(err, QISIM_EINVAL,
                             "unknown table '%s' (meta, points, point_values, runs, series, events, summaries; "
                             "of a calibration: parameters, generations, particles; of a validation: rows)", table);
    sqlite3 *db;
    int rc = qisim_results_open_readonly(database, &db, err);
    if (rc)
        return rc;
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY rowid", table);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
        rc = db_error(db, err, "reading a table");
        sqlite3_close(db);
        return rc;
    }
    int cols = sqlite3_column_count(q);
    for (int c = 0; c < cols; c++) {
        qisim_csv_write_text(out, sqlite3_column_name(q, c));
        fputc(c + 1 < cols ? ',' : '\n', out);
    }
    while (sqlite3_step(q) == SQLITE_ROW) {
        for (int c = 0; c < cols; c++) {
            switch (sqlite3_column_type(q, c)) {
            case SQLITE_NULL: fputs("NA", out); break;
            case SQLITE_INTEGER: fprintf(out, "%lld", (long long)sqlite3_column_int64(q, c)); break;
            case SQLITE_FLOAT: qisim_csv_write_number(out, sqlite3_column_double(q, c)); break;
            default: qisim_csv_write_text(out, (const char *)sqlite3_column_text(q, c)); break;
            }
            fputc(c + 1 < cols ? ',' : '\n', out);
        }
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return QISIM_OK;
}
