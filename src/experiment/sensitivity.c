/* Morris elementary effects from a sweep database: consecutive points of a trajectory
 * differ in one factor; the change in the outcome's replicate mean over the step is one
 * elementary effect of that factor. */
#include "qisim/sensitivity.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "qisim/experiment.h"
#include "qisim/io.h"
#include "qisim/sweep.h"

static int compare_effects(const void *a, const void *b)
{
    const qisim_effect *x = a, *y = b;
    if (x->mu_star != y->mu_star)
        return x->mu_star < y->mu_star ? 1 : -1;
    return strcmp(x->factor, y->factor);
}

static double meta_number(sqlite3 *db, const char *key)
{
    sqlite3_stmt *q;
    double v = (double)NAN;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
            v = strtod((const char *)sqlite3_column_text(q, 0), NULL);
        sqlite3_finalize(q);
    }
    return v;
}

int qisim_sensitivity(const char *database, const char *metric, const char *level, const char *entity,
                      int32_t week, qisim_effect **out, int *n, qisim_err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3 *db;
    int rc = qisim_results_open_readonly(database, &db, err);
    if (rc)
        return rc;
    double delta = meta_number(db, "morris_delta");
    int k = (int)meta_number(db, "factors");
    int64_t points = 0;
    double *y = NULL, *x = NULL;
    qisim_effect *eff = NULL;
    sqlite3_stmt *q = NULL;
    if (isnan(delta) || k < 1 || k > QISIM_MAX_FACTORS) {
        rc = qisim_err_set(err, QISIM_EINVAL, "%s is not from a Morris sweep (design = \"morris\")", database);
        goto done;
    }
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM points", -1, &q, NULL) != SQLITE_OK || sqlite3_step(q) != SQLITE_ROW) {
        rc = qisim_err_set(err, QISIM_EIO, "%s: %s", database, sqlite3_errmsg(db));
        goto done;
    }
    points = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    q = NULL;
    if (week < 0) {
        sqlite3_prepare_v2(db, "SELECT max(week) FROM summaries WHERE metric = ?", -1, &q, NULL);
        sqlite3_bind_text(q, 1, metric, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
            week = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
        q = NULL;
    }
    y = malloc((size_t)(points ? points : 1) * sizeof *y);
    x = malloc((size_t)(points ? points : 1) * (size_t)k * sizeof *x);
    eff = calloc((size_t)k, sizeof *eff);
    if (!y || !x || !eff) {
        rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory");
        goto done;
    }
    for (int64_t p = 0; p < points; p++)
        y[p] = (double)NAN;
    /* outcome: replicate means */
    sqlite3_prepare_v2(db, "SELECT point, mean FROM summaries WHERE metric = ? AND level = ? AND entity = ? AND week = ?",
                       -1, &q, NULL);
    sqlite3_bind_text(q, 1, metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, level, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, entity, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 4, week);
    while (sqlite3_step(q) == SQLITE_ROW) {
        int64_t p = sqlite3_column_int64(q, 0);
        if (p >= 0 && p < points && sqlite3_column_type(q, 1) != SQLITE_NULL)
            y[p] = sqlite3_column_double(q, 1);
    }
    sqlite3_finalize(q);
    /* factor values, in factor order (rowid order within a point) */
    sqlite3_prepare_v2(db, "SELECT point, factor, value FROM point_values ORDER BY point, rowid", -1, &q, NULL);
    for (int64_t last = -1, i = 0; sqlite3_step(q) == SQLITE_ROW;) {
        int64_t p = sqlite3_column_int64(q, 0);
        i = p == last ? i + 1 : 0;
        last = p;
        if (p >= 0 && p < points && i < k) {
            x[p * k + i] = sqlite3_column_double(q, 2);
            if (p == 0 && sqlite3_column_text(q, 1))
                snprintf(eff[i].factor, sizeof eff[i].factor, "%s", (const char *)sqlite3_column_text(q, 1));
        }
    }
    sqlite3_finalize(q);
    q = NULL;
    /* a paired comparison: the outcome is the contrast, arm 2 minus arm 1, of each design point
     * (its points are d * arms + a; the same replicates' seeds in every arm, so the difference
     * of the replicate means is the mean of the paired differences) */
    int arms = (int)meta_number(db, "arms");
    if (arms >= 2) {
        int64_t design = points / arms;
        for (int64_t d = 0; d < design; d++) {
            y[d] = y[d * arms + 1] - y[d * arms];
            for (int i = 0; i < k; i++)
                x[d * k + i] = x[d * arms * k + i];
        }
        points = design;
    }
    double *sum_abs = calloc((size_t)k, sizeof(double)), *sum = calloc((size_t)k, sizeof(double)),
           *sum2 = calloc((size_t)k, sizeof(double));
    if (!sum_abs || !sum || !sum2) {
        free(sum_abs);
        free(sum);
        free(sum2);
        rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory");
        goto done;
    }
    int64_t trajectories = points / (k + 1);
    int missing = 0;
    for (int64_t t = 0; t < trajectories; t++) {
        for (int s = 1; s <= k; s++) {
            int64_t a = t * (k + 1) + s - 1, b = a + 1;
            int changed = -1;
            for (int i = 0; i < k; i++)
                if (x[a * k + i] != x[b * k + i])
                    changed = i;
            if (changed < 0 || isnan(y[a]) || isnan(y[b])) {
                missing++;
                continue;
            }
            double ee = (y[b] - y[a]) / delta;
            sum_abs[changed] += fabs(ee);
            sum[changed] += ee;
            sum2[changed] += ee * ee;
            eff[changed].trajectories++;
        }
    }
    for (int i = 0; i < k; i++) {
        int m = eff[i].trajectories;
        eff[i].mu_star = m ? sum_abs[i] / m : (double)NAN;
        eff[i].mu = m ? sum[i] / m : (double)NAN;
        eff[i].sigma = m > 1 ? sqrt(fmax(0.0, (sum2[i] - sum[i] * sum[i] / m) / (m - 1))) : (double)NAN;
    }
    free(sum_abs);
    free(sum);
    free(sum2);
    if (week < 0 || missing == (int)(trajectories * k)) {
        if (week < 0)
            rc = qisim_err_set(err, QISIM_EINVAL, "no summaries for metric '%s' in %s (see its outcomes)", metric,
                               database);
        else
            rc = qisim_err_set(err, QISIM_EINVAL, "no summaries for metric '%s' at %s '%s' week %d in %s", metric,
                               level, entity, week, database);
        goto done;
    }
    qsort(eff, (size_t)k, sizeof *eff, compare_effects);
    *out = eff;
    *n = k;
    eff = NULL;
done:
    sqlite3_finalize(q);
    sqlite3_close(db);
    free(y);
    free(x);
    free(eff);
    return rc;
}

void qisim_sensitivity_write_csv(FILE *fp, const qisim_effect *e, int n)
{
    fputs("rank,factor,mu_star,mu,sigma,trajectories\n", fp);
    for (int i = 0; i < n; i++) {
        fprintf(fp, "%d,", i + 1);
        qisim_csv_write_text(fp, e[i].factor);
        fputc(',', fp);
        const double v[3] = {e[i].mu_star, e[i].mu, e[i].sigma};
        for (int c = 0; c < 3; c++) {
            qisim_csv_write_number(fp, v[c]);
            fputc(',', fp);
        }
        fprintf(fp, "%d\n", e[i].trajectories);
    }
}
