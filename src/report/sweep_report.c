/* The report's sweep section: a results database's points, their outcome means at the last week
 * (for the factor-effect charts) and, for a Morris design, the sensitivity ranking, as JSON. */
#include "report_json.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "qisim/sensitivity.h"
#include "qisim/sweep.h"

enum { MAX_SWEEP_SERIES = 300 };

/* Runs sql and writes each row as a JSON array of its columns (text as strings, numbers as
 * numbers, NULL as null), rows separated by commas. */
static int rows_as_json(FILE *fp, sqlite3 *db, const char *sql, int max_rows, const char *database, qisim_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return qisim_err_set(err, QISIM_EINVAL, "%s: not a qisim results database (%s)", database, sqlite3_errmsg(db));
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max_rows) {
        fputs(n++ ? ",\n[" : "\n[", fp);
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            if (c)
                fputc(',', fp);
            switch (sqlite3_column_type(st, c)) {
            case SQLITE_NULL: fputs("null", fp); break;
            case SQLITE_INTEGER: fprintf(fp, "%lld", (long long)sqlite3_column_int64(st, c)); break;
            case SQLITE_FLOAT: report_json_number(fp, sqlite3_column_double(st, c)); break;
            default: report_json_text(fp, (const char *)sqlite3_column_text(st, c));
            }
        }
        fputc(']', fp);
    }
    bool failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
    sqlite3_finalize(st);
    if (failed)
        return qisim_err_set(err, QISIM_EIO, "%s: %s", database, sqlite3_errmsg(db));
    return QISIM_OK;
}

/* The Morris ranking of every outcome metric at the system level, when the design is Morris. */
static int write_sensitivity(FILE *fp, sqlite3 *db, const char *database, qisim_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT DISTINCT metric FROM summaries WHERE level = 'system' ORDER BY metric", -1, &st,
                           NULL) != SQLITE_OK)
        return qisim_err_set(err, QISIM_EINVAL, "%s: not a qisim results database (%s)", database, sqlite3_errmsg(db));
    int rc = QISIM_OK, k = 0;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        const char *metric = (const char *)sqlite3_column_text(st, 0);
        qisim_effect *e = NULL;
        int n = 0;
        qisim_err serr;
        if (qisim_sensitivity(database, metric, "system", "system", -1, &e, &n, &serr) != QISIM_OK)
            continue; /* a metric without effects (e.g. constant) is left out of the ranking */
        fputs(k++ ? ",\n{\"metric\":" : "\n{\"metric\":", fp);
        report_json_text(fp, metric);
        fputs(",\"effects\":[", fp);
        for (int i = 0; i < n; i++) {
            fputs(i ? ",[" : "[", fp);
            report_json_text(fp, e[i].factor);
            fputc(',', fp);
            report_json_number(fp, e[i].mu_star);
            fputc(',', fp);
            report_json_number(fp, e[i].mu);
            fputc(',', fp);
            report_json_number(fp, e[i].sigma);
            fprintf(fp, ",%d]", e[i].trajectories);
        }
        fputs("]}", fp);
        free(e);
    }
    sqlite3_finalize(st);
    return rc;
}

int report_write_sweep(FILE *fp, const char *database, const char *label, qisim_err *err)
{
    sqlite3 *db;
    int rc = qisim_results_open_readonly(database, &db, err);
    if (rc)
        return rc;
    fputs("{\"label\":", fp);
    report_json_text(fp, label);
    fputs(",\"database\":", fp);
    report_json_text(fp, database);
    fputs(",\"meta\":[", fp);
    rc = rows_as_json(fp, db, "SELECT key, value FROM meta WHERE key <> 'digest' ORDER BY rowid", 100, database, err);
    if (!rc) {
        fputs("],\"point_values\":[", fp);
        rc = rows_as_json(fp, db, "SELECT point, factor, value FROM point_values ORDER BY point, rowid", 100000, database, err);
    }
    if (!rc) {
        /* every outcome at the last week summarised, per point (the series are capped) */
        fputs("],\"outcomes\":[", fp);
        char sql[600];
        snprintf(sql, sizeof sql,
                 "SELECT s.level, s.entity, s.metric, s.week, s.point, s.mean, s.ci95_low, s.ci95_high, s.replicates "
                 "FROM summaries s JOIN (SELECT level, entity, metric, MAX(week) AS week FROM summaries "
                 "GROUP BY level, entity, metric ORDER BY MIN(rowid) LIMIT %d) k "
                 "ON s.level = k.level AND s.entity = k.entity AND s.metric = k.metric AND s.week = k.week "
                 "ORDER BY s.level, s.entity, s.metric, s.point",
                 MAX_SWEEP_SERIES);
        rc = rows_as_json(fp, db, sql, MAX_SWEEP_SERIES * 10000, database, err);
    }
    bool morris = false;
    sqlite3_stmt *st;
    if (!rc && sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'design'", -1, &st, NULL) == SQLITE_OK) {
        morris = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
                 strcmp((const char *)sqlite3_column_text(st, 0), "morris") == 0;
        sqlite3_finalize(st);
    }
    if (!rc) {
        fputs("],\"sensitivity\":[", fp);
        if (morris)
            rc = write_sensitivity(fp, db, database, err);
        fputs("]}", fp);
    }
    sqlite3_close(db);
    return rc;
}
