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

/* What both methods read: each design point's factor values x (points x k) and outcome y
 * (the replicate mean; with arms, the contrast arm 2 minus arm 1, the arm points folded into
 * their design point), and the factors' names. *week < 0 becomes the last recorded week. */
typedef struct design_data {
    int k;
    int64_t points;
    double *x, *y;
    char names[QISIM_MAX_FACTORS][128];
} design_data;

static void design_free(design_data *d)
{
    free(d->x);
    free(d->y);
    d->x = d->y = NULL;
}

static int read_design(sqlite3 *db, const char *database, const char *metric, const char *level, const char *entity,
                       int32_t *week, design_data *d, qisim_err *err)
{
    memset(d, 0, sizeof *d);
    d->k = (int)meta_number(db, "factors");
    if (d->k < 1 || d->k > QISIM_MAX_FACTORS)
        return qisim_err_set(err, QISIM_EINVAL, "%s has no factors in its meta table", database);
    int k = d->k;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM points", -1, &q, NULL) != SQLITE_OK || sqlite3_step(q) != SQLITE_ROW) {
        int rc = qisim_err_set(err, QISIM_EIO, "%s: %s", database, sqlite3_errmsg(db));
        sqlite3_finalize(q);
        return rc;
    }
    int64_t points = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    q = NULL;
    if (*week < 0) {
        sqlite3_prepare_v2(db, "SELECT max(week) FROM summaries WHERE metric = ?", -1, &q, NULL);
        sqlite3_bind_text(q, 1, metric, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
            *week = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
        q = NULL;
    }
    if (*week < 0)
        return qisim_err_set(err, QISIM_EINVAL, "no summaries for metric '%s' in %s (see its outcomes)", metric, database);
    d->y = malloc((size_t)(points ? points : 1) * sizeof *d->y);
    d->x = malloc((size_t)(points ? points : 1) * (size_t)k * sizeof *d->x);
    if (!d->y || !d->x) {
        design_free(d);
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory");
    }
    for (int64_t p = 0; p < points; p++)
        d->y[p] = (double)NAN;
    /* outcome: replicate means */
    sqlite3_prepare_v2(db, "SELECT point, mean FROM summaries WHERE metric = ? AND level = ? AND entity = ? AND week = ?",
                       -1, &q, NULL);
    sqlite3_bind_text(q, 1, metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, level, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, entity, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 4, *week);
    while (sqlite3_step(q) == SQLITE_ROW) {
        int64_t p = sqlite3_column_int64(q, 0);
        if (p >= 0 && p < points && sqlite3_column_type(q, 1) != SQLITE_NULL)
            d->y[p] = sqlite3_column_double(q, 1);
    }
    sqlite3_finalize(q);
    /* factor values, in factor order (rowid order within a point) */
    sqlite3_prepare_v2(db, "SELECT point, factor, value FROM point_values ORDER BY point, rowid", -1, &q, NULL);
    for (int64_t last = -1, i = 0; sqlite3_step(q) == SQLITE_ROW;) {
        int64_t p = sqlite3_column_int64(q, 0);
        i = p == last ? i + 1 : 0;
        last = p;
        if (p >= 0 && p < points && i < k) {
            d->x[p * k + i] = sqlite3_column_double(q, 2);
            if (p == 0 && sqlite3_column_text(q, 1))
                snprintf(d->names[i], sizeof d->names[i], "%s", (const char *)sqlite3_column_text(q, 1));
        }
    }
    sqlite3_finalize(q);
    /* a paired comparison: the outcome is the contrast, arm 2 minus arm 1, of each design point
     * (its points are d * arms + a; the same replicates' seeds in every arm, so the difference
     * of the replicate means is the mean of the paired differences) */
    int arms = (int)meta_number(db, "arms");
    if (arms >= 2) {
        int64_t design = points / arms;
        for (int64_t p = 0; p < design; p++) {
            d->y[p] = d->y[p * arms + 1] - d->y[p * arms];
            for (int i = 0; i < k; i++)
                d->x[p * k + i] = d->x[p * arms * k + i];
        }
        points = design;
    }
    d->points = points;
    return QISIM_OK;
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
    design_data d = {0};
    qisim_effect *eff = NULL;
    double *sum_abs = NULL, *sum = NULL, *sum2 = NULL;
    if (isnan(delta)) {
        rc = qisim_err_set(err, QISIM_EINVAL, "%s is not from a Morris sweep (design = \"morris\")", database);
        goto done;
    }
    if ((rc = read_design(db, database, metric, level, entity, &week, &d, err)))
        goto done;
    int k = d.k;
    eff = calloc((size_t)k, sizeof *eff);
    sum_abs = calloc((size_t)k, sizeof(double));
    sum = calloc((size_t)k, sizeof(double));
    sum2 = calloc((size_t)k, sizeof(double));
    if (!eff || !sum_abs || !sum || !sum2) {
        rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < k; i++)
        snprintf(eff[i].factor, sizeof eff[i].factor, "%s", d.names[i]);
    int64_t trajectories = d.points / (k + 1);
    int missing = 0;
    for (int64_t t = 0; t < trajectories; t++) {
        for (int s = 1; s <= k; s++) {
            int64_t a = t * (k + 1) + s - 1, b = a + 1;
            int changed = -1;
            for (int i = 0; i < k; i++)
                if (d.x[a * k + i] != d.x[b * k + i])
                    changed = i;
            if (changed < 0 || isnan(d.y[a]) || isnan(d.y[b])) {
                missing++;
                continue;
            }
            double ee = (d.y[b] - d.y[a]) / delta;
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
    if (missing == (int)(trajectories * k)) {
        rc = qisim_err_set(err, QISIM_EINVAL, "no summaries for metric '%s' at %s '%s' week %d in %s", metric, level,
                           entity, week, database);
        goto done;
    }
    qsort(eff, (size_t)k, sizeof *eff, compare_effects);
    *out = eff;
    *n = k;
    eff = NULL;
done:
    sqlite3_close(db);
    design_free(&d);
    free(eff);
    free(sum_abs);
    free(sum);
    free(sum2);
    return rc;
}

/* ---- PRCC --------------------------------------------------------------------------------- */

/* Ranks of v (1..n; ties share their mean rank), into r; idx is scratch of n. */
static void rank(const double *v, int64_t n, double *r, int64_t *idx)
{
    for (int64_t i = 0; i < n; i++)
        idx[i] = i;
    /* insertion sort by value: designs are thousands of points at most */
    for (int64_t i = 1; i < n; i++)
        for (int64_t j = i; j > 0 && v[idx[j - 1]] > v[idx[j]]; j--) {
            int64_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    for (int64_t i = 0; i < n;) {
        int64_t j = i;
        while (j + 1 < n && v[idx[j + 1]] == v[idx[i]])
            j++;
        for (int64_t m = i; m <= j; m++)
            r[idx[m]] = (i + j) / 2.0 + 1.0;
        i = j + 1;
    }
}

/* Residuals of target on the columns of z (n x c, with an intercept) by least squares: the
 * normal equations, solved by Gaussian elimination with partial pivoting. */
static void residuals(const double *z, int64_t n, int c, const double *target, double *out)
{
    enum { M = QISIM_MAX_FACTORS + 1 };
    double a[M][M + 1] = {{0}};
    int m = c + 1;
    for (int64_t i = 0; i < n; i++) {
        double row[M];
        row[0] = 1.0;
        for (int j = 0; j < c; j++)
            row[j + 1] = z[i * c + j];
        for (int p = 0; p < m; p++) {
            for (int q = 0; q < m; q++)
                a[p][q] += row[p] * row[q];
            a[p][m] += row[p] * target[i];
        }
    }
    for (int col = 0; col < m; col++) {
        int piv = col;
        for (int r = col + 1; r < m; r++)
            if (fabs(a[r][col]) > fabs(a[piv][col]))
                piv = r;
        for (int q = 0; q <= m; q++) {
            double t = a[col][q];
            a[col][q] = a[piv][q];
            a[piv][q] = t;
        }
        if (fabs(a[col][col]) < 1e-12)
            continue; /* a column that is constant or collinear: leave its coefficient at 0 */
        for (int r = 0; r < m; r++) {
            if (r == col)
                continue;
            double f = a[r][col] / a[col][col];
            for (int q = col; q <= m; q++)
                a[r][q] -= f * a[col][q];
        }
    }
    double beta[M];
    for (int p = 0; p < m; p++)
        beta[p] = fabs(a[p][p]) < 1e-12 ? 0.0 : a[p][m] / a[p][p];
    for (int64_t i = 0; i < n; i++) {
        double fit = beta[0];
        for (int j = 0; j < c; j++)
            fit += beta[j + 1] * z[i * c + j];
        out[i] = target[i] - fit;
    }
}

static int compare_prcc(const void *a, const void *b)
{
    const qisim_prcc *x = a, *y = b;
    double fx = fabs(x->prcc), fy = fabs(y->prcc);
    if (fx != fy)
        return fx < fy ? 1 : -1;
    return strcmp(x->factor, y->factor);
}

int qisim_sensitivity_prcc(const char *database, const char *metric, const char *level, const char *entity,
                           int32_t week, qisim_prcc **out, int *n, qisim_err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3 *db;
    int rc = qisim_results_open_readonly(database, &db, err);
    if (rc)
        return rc;
    design_data d = {0};
    qisim_prcc *res = NULL;
    double *rx = NULL, *ry = NULL, *z = NULL, *ex = NULL, *ey = NULL, *col = NULL, *yv = NULL;
    int64_t *idx = NULL;
    if ((rc = read_design(db, database, metric, level, entity, &week, &d, err)))
        goto done;
    int k = d.k;
    /* the points with an outcome */
    int64_t m = 0;
    for (int64_t p = 0; p < d.points; p++)
        if (!isnan(d.y[p])) {
            for (int i = 0; i < k; i++)
                d.x[m * k + i] = d.x[p * k + i];
            d.y[m++] = d.y[p];
        }
    if (m < k + 3) {
        rc = qisim_err_set(err, QISIM_EINVAL, "%s: %lld points with metric '%s' at %s '%s' week %d: PRCC needs at least %d",
                           database, (long long)m, metric, level, entity, week, k + 3);
        goto done;
    }
    rx = malloc((size_t)(m * k) * sizeof *rx);
    ry = malloc((size_t)m * sizeof *ry);
    z = malloc((size_t)(m * k) * sizeof *z);
    ex = malloc((size_t)m * sizeof *ex);
    ey = malloc((size_t)m * sizeof *ey);
    col = calloc((size_t)m, sizeof *col);
    yv = calloc((size_t)m, sizeof *yv);
    idx = malloc((size_t)m * sizeof *idx);
    res = calloc((size_t)k, sizeof *res);
    if (!rx || !ry || !z || !ex || !ey || !col || !yv || !idx || !res) {
        rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < k; i++) {
        for (int64_t p = 0; p < m; p++)
            col[p] = d.x[p * k + i];
        rank(col, m, yv, idx);
        for (int64_t p = 0; p < m; p++)
            rx[p * k + i] = yv[p];
    }
    rank(d.y, m, ry, idx);
    for (int i = 0; i < k; i++) {
        /* the other factors' ranks */
        for (int64_t p = 0; p < m; p++)
            for (int j = 0, c = 0; j < k; j++)
                if (j != i)
                    z[p * (k - 1) + c++] = rx[p * k + j];
        for (int64_t p = 0; p < m; p++)
            col[p] = rx[p * k + i];
        residuals(z, m, k - 1, col, ex);
        residuals(z, m, k - 1, ry, ey);
        double sxy = 0, sxx = 0, syy = 0;
        for (int64_t p = 0; p < m; p++) {
            sxy += ex[p] * ey[p];
            sxx += ex[p] * ex[p];
            syy += ey[p] * ey[p];
        }
        snprintf(res[i].factor, sizeof res[i].factor, "%s", d.names[i]);
        res[i].prcc = sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0.0;
        res[i].points = (int)m;
    }
    qsort(res, (size_t)k, sizeof *res, compare_prcc);
    *out = res;
    *n = k;
    res = NULL;
done:
    sqlite3_close(db);
    design_free(&d);
    free(rx);
    free(ry);
    free(z);
    free(ex);
    free(ey);
    free(col);
    free(yv);
    free(idx);
    free(res);
    return rc;
}

void qisim_sensitivity_prcc_write_csv(FILE *fp, const qisim_prcc *e, int n)
{
    fputs("rank,factor,prcc,points\n", fp);
    for (int i = 0; i < n; i++) {
        fprintf(fp, "%d,", i + 1);
        qisim_csv_write_text(fp, e[i].factor);
        fputc(',', fp);
        qisim_csv_write_number(fp, e[i].prcc);
        fprintf(fp, ",%d\n", e[i].points);
    }
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
