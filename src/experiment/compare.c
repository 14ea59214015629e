/* qisim_compare: reads two runs' tidy series and compares them at one week. */
#include "qisim/compare.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qisim/entities.h"
#include "qisim/io.h"
#include "qisim/metrics.h"
#include "qisim/results.h"
#include "qisim/stats.h"

/* One arm's values at the chosen week: key -> value per replicate. */
typedef struct arm_series {
    char level[16], entity[136], metric[64]; /* entity as qisim_entities_label names it */
    double *v;       /* indexed by replicate, NaN where absent */
    int reps;
} arm_series;

typedef struct arm {
    arm_series *s;
    int n, cap;
    int max_week;
    uint64_t seed;
    bool has_seed;
} arm;

/* The arm's seed from its manifest, read as JSON: a missing manifest leaves the arm unpaired,
 * a damaged one is an error (pairing decides which interval is reported). */
static int read_seed(const char *dir, arm *a, qisim_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return QISIM_OK;
    fclose(f);
    int rc = qisim_manifest_read_seed(path, &a->seed, err);
    a->has_seed = rc == QISIM_OK;
    return rc;
}

static arm_series *find(arm *a, const char *level, const char *entity, const char *metric)
{
    for (int i = 0; i < a->n; i++)
        if (!strcmp(a->s[i].metric, metric) && !strcmp(a->s[i].entity, entity) && !strcmp(a->s[i].level, level))
            return &a->s[i];
    return NULL;
}

/* --entity names a series as it is labelled ("A / Ward") or as written (every team "Ward"). */
static bool wanted(const qisim_compare_options *o, const char *level, const char *label, const char *entity,
                   const char *metric)
{
    return (!o->metric || !strcmp(o->metric, metric)) && (!o->level || !strcmp(o->level, level)) &&
           (!o->entity || !strcmp(o->entity, label) || !strcmp(o->entity, entity));
}

/* Reads the arm's values at `week` (< 0: only finds the last week). A team whose name teams of
 * several trusts share is its own series, "TRUST / TEAM", told apart by the order of its rows
 * (qisim_series_order_entity), and matched across the arms by that name. */
static int read_arm(const qisim_compare_options *o, const char *dir, int32_t week, arm *a, qisim_err *err)
{
    enum { WEEK = QISIM_SERIES_WEEK, REP = QISIM_SERIES_REPLICATE, LEVEL = QISIM_SERIES_LEVEL,
           ENTITY = QISIM_SERIES_ENTITY, METRIC = QISIM_SERIES_METRIC, VALUE = QISIM_SERIES_VALUE };
    qisim_entities ent;
    int rc = qisim_entities_read(dir, &ent, err);
    if (!rc && (rc = qisim_entities_check_labels(&ent, dir, err)))
        qisim_entities_free(&ent);
    if (rc)
        return rc;
    qisim_schema_reader in;
    if ((rc = qisim_schema_open(&in, dir, QISIM_TABLE_SERIES, false, err))) {
        qisim_schema_close(&in);
        qisim_entities_free(&ent);
        return rc;
    }
    const char *path = in.path;
    char **fld;
    int n;
    a->max_week = -1;
    qisim_series_order order = {0};
    char label[sizeof a->s->entity + 1];
    while ((n = qisim_schema_next(&in, &fld, err)) != 0) {
        if (n < 0) {
            rc = n;
            break;
        }
        /* every row, wanted or not, for the order; a label cut short fails the length check */
        qisim_entities_label(
            qisim_series_order_entity(&ent, &order, fld[WEEK], fld[REP], fld[LEVEL], fld[ENTITY], fld[METRIC]),
            fld[ENTITY], label, sizeof label);
        if (strlen(fld[LEVEL]) >= sizeof a->s->level || strlen(label) >= sizeof a->s->entity ||
            strlen(fld[METRIC]) >= sizeof a->s->metric) { /* qisim's names are shorter: cut, two could merge */
            rc = qisim_err_set(err, QISIM_EINVAL, "%s:%ld: a name longer than %d characters", path, qisim_schema_line(&in),
                               (int)sizeof a->s->entity - 1);
            break;
        }
        /* The replicate sizes an array, so it is bounded: qisim writes replicates in order, each
         * with rows, so replicate r comes after at least r rows (and --reps is at most
         * QISIM_MAX_REPLICATES). */
        char *end_wk, *end_rep;
        long wk = strtol(fld[WEEK], &end_wk, 10), rep = strtol(fld[REP], &end_rep, 10);
        if (end_wk == fld[WEEK] || *end_wk || wk < 0 || wk > 1000000 || end_rep == fld[REP] || *end_rep || rep < 0 ||
            rep >= QISIM_MAX_REPLICATES || rep > qisim_schema_line(&in)) {
            rc = qisim_err_set(err, QISIM_EINVAL, "%s:%ld: bad week or replicate: not a qisim series", path,
                               qisim_schema_line(&in));
            break;
        }
        if (wk > a->max_week)
            a->max_week = wk;
        if (wk != week || !wanted(o, fld[LEVEL], label, fld[ENTITY], fld[METRIC]))
            continue;
        arm_series *s = find(a, fld[LEVEL], label, fld[METRIC]);
        if (!s) {
            if (a->n == a->cap) {
                int cap = a->cap ? 2 * a->cap : 64;
                arm_series *p = realloc(a->s, (size_t)cap * sizeof *p);
                if (!p) {
                    rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", path);
                    break;
                }
                a->s = p;
                a->cap = cap;
            }
            s = &a->s[a->n++];
            memset(s, 0, sizeof *s);
            snprintf(s->level, sizeof s->level, "%s", fld[LEVEL]);
            snprintf(s->entity, sizeof s->entity, "%s", label);
            snprintf(s->metric, sizeof s->metric, "%s", fld[METRIC]);
        }
        if (rep >= s->reps) {
            int reps = rep + 1 > 2 * s->reps ? rep + 1 : 2 * s->reps;
            double *v = realloc(s->v, (size_t)reps * sizeof *v);
            if (!v) {
                rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", path);
                break;
            }
            for (int r = s->reps; r < reps; r++)
                v[r] = (double)NAN;
            s->v = v;
            s->reps = reps;
        }
        if (!qisim_schema_parse_value(fld[VALUE], &s->v[rep])) {
            rc = qisim_err_set(err, QISIM_EINVAL, "%s:%ld: value '%.40s' is not a number", path, qisim_schema_line(&in),
                               fld[VALUE]);
            break;
        }
    }
    qisim_series_order_free(&order);
    qisim_entities_free(&ent);
    qisim_schema_close(&in);
    return rc;
}

static void free_arm(arm *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->s[i].v);
    free(a->s);
}

static void moments(const double *v, int reps, int *n, double *mean, double *var)
{
    qisim_moments m = {0};
    for (int r = 0; r < reps; r++)
        if (!isnan(v[r]))
            qisim_moments_add(&m, v[r]);
    *n = (int)m.n;
    *mean = m.mean;
    *var = qisim_moments_var(&m);
}

void qisim_compare_values(const double *a, int reps_a, const double *b, int reps_b, bool paired, qisim_comparison *c)
{
    double va, vb;
    moments(a, reps_a, &c->n_a, &c->mean_a, &va);
    moments(b, reps_b, &c->n_b, &c->mean_b, &vb);
    c->diff = c->mean_b - c->mean_a;
    c->paired = paired;
    if (paired) {
        int reps = reps_a < reps_b ? reps_a : reps_b;
        qisim_moments d = {0};
        for (int r = 0; r < reps; r++)
            if (!isnan(a[r]) && !isnan(b[r]))
                qisim_moments_add(&d, b[r] - a[r]);
        c->n_pairs = (int)d.n;
        c->diff = d.mean;
        double sd = sqrt(qisim_moments_var(&d)), half = qisim_moments_ci95(&d);
        c->ci_low = d.mean - half;
        c->ci_high = d.mean + half;
        c->effect_size = sd > 0 ? d.mean / sd : (double)NAN;
    } else {
        double se2 = va / c->n_a + vb / c->n_b;
        /* Welch-Satterthwaite degrees of freedom */
        double df = se2 * se2 / (va * va / ((double)c->n_a * c->n_a * (c->n_a - 1)) +
                                 vb * vb / ((double)c->n_b * c->n_b * (c->n_b - 1)));
        double half = qisim_t975(isnan(df) ? 0 : (int64_t)floor(df)) * sqrt(se2);
        c->ci_low = c->diff - half;
        c->ci_high = c->diff + half;
        double pooled = sqrt(((c->n_a - 1) * va + (c->n_b - 1) * vb) / (c->n_a + c->n_b - 2));
        c->effect_size = pooled > 0 ? c->diff / pooled : (double)NAN;
    }
}

static void compare_one(const arm_series *a, const arm_series *b, bool paired, qisim_comparison *c)
{
    qisim_compare_values(a->v, a->reps, b->v, b->reps, paired, c);
}

int qisim_compare(const qisim_compare_options *o, qisim_comparison **out, int *n, qisim_err *err)
{
    arm a = {0}, b = {0};
    *out = NULL;
    *n = 0;
    int32_t week = o->week;
    int rc = QISIM_OK;
    if (week < 0) { /* a first pass finds the last week of each arm */
        arm la = {0}, lb = {0};
        if ((rc = read_arm(o, o->dir_a, INT32_MIN, &la, err)) || (rc = read_arm(o, o->dir_b, INT32_MIN, &lb, err))) {
            free_arm(&la);
            free_arm(&lb);
            return rc;
        }
        week = la.max_week < lb.max_week ? la.max_week : lb.max_week;
    }
    if ((rc = read_arm(o, o->dir_a, week, &a, err)) || (rc = read_arm(o, o->dir_b, week, &b, err)))
        goto done;
    if ((rc = read_seed(o->dir_a, &a, err)) || (rc = read_seed(o->dir_b, &b, err)))
        goto done;
    bool paired = a.has_seed && b.has_seed && a.seed == b.seed;
    qisim_comparison *cs = calloc((size_t)(a.n ? a.n : 1), sizeof *cs);
    if (!cs) {
        rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory comparing");
        goto done;
    }
    int k = 0;
    for (int i = 0; i < a.n; i++) {
        arm_series *sb = find(&b, a.s[i].level, a.s[i].entity, a.s[i].metric);
        if (!sb)
            continue;
        qisim_comparison *c = &cs[k++];
        snprintf(c->level, sizeof c->level, "%s", a.s[i].level);
        snprintf(c->entity, sizeof c->entity, "%s", a.s[i].entity);
        snprintf(c->metric, sizeof c->metric, "%s", a.s[i].metric);
        c->week = week;
        compare_one(&a.s[i], sb, paired, c);
    }
    if (k == 0) {
        free(cs);
        rc = qisim_err_set(err, QISIM_EINVAL, "no series in common between %s and %s at week %d%s%s", o->dir_a,
                           o->dir_b, week, o->metric ? " for metric " : "", o->metric ? o->metric : "");
        goto done;
    }
    *out = cs;
    *n = k;
done:
    free_arm(&a);
    free_arm(&b);
    return rc;
}

const char *qisim_compare_reading(const qisim_comparison *c)
{
    if (isnan(c->ci_low) || isnan(c->ci_high))
        return "";
    if (c->ci_low <= 0.0 && c->ci_high >= 0.0)
        return "no clear difference";
    bool up = c->ci_low > 0.0;
    int better = qisim_metric_better(qisim_metric_find(c->metric));
    if (!better)
        return up ? "higher" : "lower";
    return up == (better > 0) ? "better" : "worse";
}

void qisim_compare_write_csv(FILE *fp, const qisim_comparison *c, int n)
{
    qisim_schema_write_header(fp, QISIM_TABLE_COMPARISON);
    for (int i = 0; i < n; i++) {
        fprintf(fp, "%s,", c[i].level);
        qisim_csv_write_text(fp, c[i].entity);
        fprintf(fp, ",%s,%d,%s,%d,%d,%d,", c[i].metric, c[i].week, c[i].paired ? "paired" : "independent", c[i].n_a,
                c[i].n_b, c[i].paired ? c[i].n_pairs : 0);
        const double cells[] = {c[i].mean_a, c[i].mean_b, c[i].diff, c[i].ci_low, c[i].ci_high, c[i].effect_size};
        for (int k = 0; k < 6; k++) {
            qisim_csv_write_number(fp, cells[k]);
            fputc(',', fp);
        }
        int m = qisim_metric_find(c[i].metric), better = qisim_metric_better(m);
        qisim_csv_write_text(fp, m >= 0 ? qisim_metric_at(m)->unit : "");
        fprintf(fp, ",%s,%s\n", better > 0 ? "higher" : better < 0 ? "lower" : "", qisim_compare_reading(&c[i]));
    }
}
