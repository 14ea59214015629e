/* Expanding an experiment's design into points (full, Latin hypercube, Morris, matrix). */
#include "qisim/experiment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qisim/io.h"
#include "qisim/params.h"
#include "qisim/rng.h"

static void assign(const qisim_factor *f, const char *value, qisim_point *pt)
{
    char(*slot)[2 * QISIM_TEXT_MAX] = f->is_arg ? &pt->args[pt->n_args++] : &pt->sets[pt->n_sets++];
    snprintf(*slot, sizeof *slot, "%s=%s", f->name, value);
}

/* Morris (1991) trajectories on a grid of p levels in the unit cube: a random base point
 * whose coordinates leave room for a step of delta up, then each factor in a random order
 * stepped up by delta. Coordinates are scaled to each factor's range. */
static void morris(const qisim_experiment *e, qisim_point *pts)
{
    qisim_rng r;
    qisim_rng_seed(&r, e->seed, 0x4d4f52u /* "MOR" */);
    int p = e->morris_levels, k = e->n_factors;
    double delta = p / (2.0 * (p - 1));
    int base_levels = p / 2; /* grid values 0 .. 1 - delta */
    for (int32_t t = 0; t < e->samples; t++) {
        double x[QISIM_MAX_FACTORS];
        int order[QISIM_MAX_FACTORS];
        for (int i = 0; i < k; i++) {
            x[i] = qisim_rng_below(&r, (uint32_t)base_levels) / (double)(p - 1);
            order[i] = i;
        }
        for (int i = k - 1; i > 0; i--) {
            int j = (int)qisim_rng_below(&r, (uint32_t)i + 1u), tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        for (int step = 0; step <= k; step++) {
            if (step > 0)
                x[order[step - 1]] += delta;
            qisim_point *pt = &pts[(int64_t)t * (k + 1) + step];
            for (int i = 0; i < k; i++) {
                char value[64];
                snprintf(value, sizeof value, "%.17g", e->factors[i].lo + x[i] * (e->factors[i].hi - e->factors[i].lo));
                assign(&e->factors[i], value, pt);
            }
        }
    }
}

/* The rows of a design matrix as points; fills the experiment's factors from the header. */
static int matrix_points(qisim_experiment *e, qisim_point **points, int32_t *n, qisim_err *err)
{
    FILE *f = fopen(e->matrix, "r");
    if (!f)
        return qisim_err_set(err, QISIM_EIO, "cannot read design matrix %s", e->matrix);
    qisim_csv_reader in;
    qisim_csv_reader_file(&in, f, e->matrix);
    char **cells;
    int rc = QISIM_OK;
    qisim_point *pts = NULL;
    int32_t count = 0, cap = 0;
    int fields = qisim_csv_read(&in, &cells, err);
    if (fields <= 0) {
        if (fields == 0)
            rc = qisim_err_set(err, QISIM_EINVAL, "%s: empty design matrix", e->matrix);
        else
            rc = fields;
        goto done;
    }
    if (fields > QISIM_MAX_FACTORS) {
        rc = qisim_err_set(err, QISIM_EINVAL, "%s: at most %d columns", e->matrix, QISIM_MAX_FACTORS);
        goto done;
    }
    e->n_factors = fields;
    for (int k = 0; k < e->n_factors; k++) {
        qisim_factor *fa = &e->factors[k];
        memset(fa, 0, sizeof *fa);
        fa->is_arg = strncmp(cells[k], "arg:", 4) == 0;
        snprintf(fa->name, sizeof fa->name, "%s", cells[k] + (fa->is_arg ? 4 : 0));
        if (!fa->is_arg && qisim_param_find(fa->name) < 0) {
            rc = qisim_err_set(err, QISIM_EINVAL, "%s:1: column %d: unknown parameter '%s' (arg:NAME for a scenario argument)",
                               e->matrix, k + 1, fa->name);
            goto done;
        }
    }
    while ((fields = qisim_csv_read(&in, &cells, err)) != 0) {
        long lineno = in.line;
        if (fields < 0) {
            rc = fields;
            goto done;
        }
        if (fields == 1 && cells[0][0] == '\0')
            continue; /* a blank line */
        if (fields != e->n_factors) {
            rc = qisim_err_set(err, QISIM_EINVAL, "%s:%ld: expected %d values", e->matrix, lineno, e->n_factors);
            goto done;
        }
        if (count == 100000) {
            rc = qisim_err_set(err, QISIM_EINVAL, "%s: more than 100000 rows", e->matrix);
            goto done;
        }
        if (count == cap) {
            qisim_point *p = realloc(pts, (size_t)(cap ? 2 * cap : 64) * sizeof *p);
            if (!p) {
                rc = qisim_err_set(err, QISIM_ENOMEM, "%s: out of memory", e->matrix);
                goto done;
            }
            pts = p;
            cap = cap ? 2 * cap : 64;
        }
        qisim_point *pt = &pts[count++];
        memset(pt, 0, sizeof *pt);
        for (int k = 0; k < e->n_factors; k++) {
            const qisim_factor *fa = &e->factors[k];
            if (strlen(fa->name) + 1 + strlen(cells[k]) >= 2 * QISIM_TEXT_MAX) { /* would be cut short */
                rc = qisim_err_set(err, QISIM_EINVAL, "%s:%ld: column %d: the value is too long", e->matrix, lineno, k + 1);
                goto done;
            }
            if (!fa->is_arg) {
                qisim_params scratch;
                char assignment[2 * QISIM_TEXT_MAX + 2];
                qisim_params_defaults(&scratch);
                snprintf(assignment, sizeof assignment, "%s=%s", fa->name, cells[k]);
                if (qisim_params_set_text(&scratch, assignment, false, err)) {
                    qisim_err tmp = *err;
                    rc = qisim_err_set(err, QISIM_EINVAL, "%s:%ld: %s", e->matrix, lineno, tmp.msg);
                    goto done;
                }
            }
            assign(fa, cells[k], pt);
        }
    }
    if (count == 0)
        rc = qisim_err_set(err, QISIM_EINVAL, "%s: no rows", e->matrix);
done:
    qisim_csv_reader_free(&in);
    fclose(f);
    if (rc) {
        free(pts);
        return rc;
    }
    *points = pts;
    *n = count;
    return QISIM_OK;
}

static void append(qisim_point *pt, const qisim_fixed *f)
{
    for (int k = 0; k < f->n_sets; k++)
        snprintf(pt->sets[pt->n_sets++], sizeof pt->sets[0], "%s", f->sets[k]);
    for (int k = 0; k < f->n_args; k++)
        snprintf(pt->args[pt->n_args++], sizeof pt->args[0], "%s", f->args[k]);
}

/* Adds the fixed settings to each design point, then makes one point per arm of each. */
static int with_fixed_and_arms(const qisim_experiment *e, qisim_point *pts, int64_t count, qisim_point **points,
                               int32_t *n, qisim_err *err)
{
    for (int64_t i = 0; i < count; i++)
        append(&pts[i], &e->fixed);
    if (e->n_arms > 0) {
        if (count < 0 || count * e->n_arms > 1000000) {
            free(pts);
            return qisim_err_set(err, QISIM_EINVAL, "the design has more than 1000000 points with its arms");
        }
        qisim_point *all = calloc((size_t)(count * e->n_arms), sizeof *all);
        if (!all) {
            free(pts);
            return qisim_err_set(err, QISIM_ENOMEM, "out of memory expanding the design");
        }
        for (int64_t i = 0; i < count; i++)
            for (int a = 0; a < e->n_arms; a++) {
                all[i * e->n_arms + a] = pts[i];
                append(&all[i * e->n_arms + a], &e->arms[a]);
            }
        free(pts);
        pts = all;
        count *= e->n_arms;
    }
    *points = pts;
    *n = (int32_t)count;
    return QISIM_OK;
}

int qisim_experiment_points(qisim_experiment *e, qisim_point **points, int32_t *n, qisim_err *err)
{
    if (e->design == QISIM_DESIGN_MATRIX) {
        int rc = matrix_points(e, points, n, err);
        return rc ? rc : with_fixed_and_arms(e, *points, *n, points, n, err);
    }
    int64_t count = 1;
    if (e->design == QISIM_DESIGN_FULL) {
        for (int k = 0; k < e->n_factors; k++)
            if ((count *= e->factors[k].n_levels) > 100000)
                return qisim_err_set(err, QISIM_EINVAL, "the full design has more than 100000 points");
    } else if (e->design == QISIM_DESIGN_LHS) {
        count = e->samples;
    } else {
        count = (int64_t)e->samples * (e->n_factors + 1);
    }
    qisim_point *pts = calloc((size_t)count, sizeof *pts);
    if (!pts)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory expanding the design");
    if (e->design == QISIM_DESIGN_FULL) {
        for (int64_t i = 0; i < count; i++) {
            int64_t rest = i, stride = count;
            for (int k = 0; k < e->n_factors; k++) { /* the last factor varies fastest */
                stride /= e->factors[k].n_levels;
                assign(&e->factors[k], e->factors[k].levels[rest / stride], &pts[i]);
                rest %= stride;
            }
        }
    } else if (e->design == QISIM_DESIGN_MORRIS) {
        morris(e, pts);
    } else {
        /* Latin hypercube: each factor's range cut into `count` strata, one point per stratum,
         * strata shuffled independently per factor (Fisher-Yates on a seeded stream). */
        qisim_rng r;
        qisim_rng_seed(&r, e->seed, 0x4c4853u /* "LHS" */);
        int32_t *perm = malloc((size_t)count * sizeof *perm);
        if (!perm) {
            free(pts);
            return qisim_err_set(err, QISIM_ENOMEM, "out of memory expanding the design");
        }
        for (int k = 0; k < e->n_factors; k++) {
            const qisim_factor *f = &e->factors[k];
            for (int32_t i = 0; i < count; i++)
                perm[i] = i;
            for (int32_t i = (int32_t)count - 1; i > 0; i--) {
                int32_t j = (int32_t)qisim_rng_below(&r, (uint32_t)i + 1u), t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            for (int32_t i = 0; i < count; i++) {
                double u = (perm[i] + qisim_rng_uniform(&r)) / (double)count;
                char value[64];
                snprintf(value, sizeof value, "%.17g", f->lo + u * (f->hi - f->lo));
                assign(f, value, &pts[i]);
            }
        }
        free(perm);
    }
    return with_fixed_and_arms(e, pts, count, points, n, err);
}
