/* The pattern engine: runs a pattern's arms over paired replicates, traces what it reads, and
 * evaluates its figures, statistics and checks (the vocabulary of qisim/validate.h). */
#include "qisim/validate.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "qisim/metrics.h"
#include "qisim/run.h"
#include "qisim/stats.h"

const char *qisim_observable_name(int k)
{
    static const char *const names[QISIM_N_OBS] = {"trained_practising_share", "strategy_qi"};
    return k >= 0 && k < QISIM_N_OBS ? names[k] : NULL;
}

/* ---- values ------------------------------------------------------------------------------------ */

/* A series (weeks 0..weeks x elems) or, with weeks = 0, a replicate figure (elems values). */
typedef struct frame {
    double *v;
    int weeks, elems;
    bool owned;
} frame;

static void frame_free(frame *f)
{
    if (f->owned)
        free(f->v);
    f->v = NULL;
}

static bool frame_alloc(frame *f, int weeks, int elems)
{
    f->weeks = weeks;
    f->elems = elems;
    f->owned = true;
    f->v = calloc((size_t)(weeks + 1) * (size_t)(elems > 0 ? elems : 1), sizeof *f->v);
    return f->v != NULL;
}

static double nan_value(void) { return (double)NAN; }

/* A window or week bound: QISIM_WEEK_END - k is the last week less k. */
static int resolve_week(int week, int weeks)
{
    return week >= 0 ? week : weeks + 1 + week;
}

static double arith(int op, double x, double y)
{
    switch (op) {
    case QN_ADD: return x + y;
    case QN_SUB: return x - y;
    case QN_MUL: return x * y;
    case QN_DIV: return x / y;
    case QN_GE: return isnan(x) || isnan(y) ? nan_value() : x >= y;
    case QN_GT: return isnan(x) || isnan(y) ? nan_value() : x > y;
    case QN_LE: return isnan(x) || isnan(y) ? nan_value() : x <= y;
    case QN_LT: return isnan(x) || isnan(y) ? nan_value() : x < y;
    default: return nan_value();
    }
}

static bool is_arith(int op)
{
    return op == QN_ADD || op == QN_SUB || op == QN_MUL || op == QN_DIV || op == QN_GE || op == QN_GT ||
           op == QN_LE || op == QN_LT;
}

static double eval_scalar(const qisim_pattern *p, const qisim_pattern_data *d, int node);
static bool eval_frame(const qisim_pattern *p, const qisim_pattern_data *d, int node, int rep, frame *out);

/* Element e of f at row `week`: one element broadcasts; an element f lacks (operands with
 * different numbers of entities) is NaN. */
static double at_elem(const frame *f, int week, int e)
{
    int k = f->elems == 1 ? 0 : e;
    if (k >= f->elems || week < 0 || week > f->weeks)
        return nan_value();
    return f->v[(size_t)week * (size_t)f->elems + (size_t)k];
}

/* Reduces series s over the node's window to one value per element. */
static bool reduce_window(const qisim_node *n, const frame *s, frame *out)
{
    if (!frame_alloc(out, 0, s->elems))
        return false;
    int from = resolve_week(n->from, s->weeks), to = resolve_week(n->to, s->weeks);
    int every = n->every > 0 ? n->every : 1;
    if (from < 0)
        from = 0;
    if (to > s->weeks)
        to = s->weeks;
    for (int e = 0; e < s->elems; e++) {
        double acc = nan_value(), best = n->has_floor ? n->floor : -HUGE_VAL;
        int count = 0, best_week = from;
        bool first_seen = true;
        for (int w = from; w <= to; w += every) {
            double x = at_elem(s, w, e);
            switch (n->op) {
            case QN_WMEAN: acc = count ? acc + x : x; break;
            case QN_WMIN: acc = first_seen ? x : fmin(acc, x); break;
            case QN_WMAX:
            case QN_WARGMAX:
                if (n->has_floor || n->op == QN_WARGMAX) {
                    if (x > best) {
                        best = x;
                        best_week = w;
                    }
                } else {
                    acc = first_seen ? x : fmax(acc, x);
                }
                break;
            case QN_FIRST:
                if (isnan(acc) && !isnan(arith(n->cmp, x, n->k)) && arith(n->cmp, x, n->k) > 0.5)
                    acc = w;
                break;
            default: break;
            }
            first_seen = false;
            count++;
        }
        double r = acc;
        if (n->op == QN_WMEAN)
            r = count ? acc / count : nan_value();
        else if (n->op == QN_WMAX && n->has_floor)
            r = best;
        else if (n->op == QN_WARGMAX)
            r = best_week;
        else if (n->op == QN_FIRST && isnan(acc) && n->has_never)
            r = n->k2;
        out->v[e] = r;
    }
    return true;
}

/* A series or replicate-figure node's value for replicate rep. Constants become one element. */
static bool eval_frame(const qisim_pattern *p, const qisim_pattern_data *d, int node, int rep, frame *out)
{
    const qisim_node *n = &p->nodes[node];
    memset(out, 0, sizeof *out);
    if (n->kind == QN_K_CONST || n->kind == QN_K_STAT) {
        if (!frame_alloc(out, 0, 1))
            return false;
        out->v[0] = eval_scalar(p, d, node);
        return true;
    }
    if (n->op == QN_SERIES) {
        const qisim_trace *t = &d->traces[(size_t)rep * (size_t)d->n_series + (size_t)n->series];
        *out = (frame){t->v, t->weeks, t->elems, false};
        return t->v != NULL;
    }
    frame a = {0}, b = {0};
    bool ok = eval_frame(p, d, n->a, rep, &a);
    if (ok && n->b >= 0)
        ok = eval_frame(p, d, n->b, rep, &b);
    if (!ok)
        goto done;
    if (is_arith(n->op)) {
        /* a number or figure broadcasts over a series' weeks; one element over many */
        int weeks = p->nodes[n->a].kind == QN_K_SERIES ? a.weeks : b.weeks;
        if (p->nodes[n->a].kind == QN_K_SERIES && p->nodes[n->b].kind == QN_K_SERIES && b.weeks < weeks)
            weeks = b.weeks;
        int elems = a.elems > b.elems ? a.elems : b.elems;
        if (!(ok = frame_alloc(out, weeks, elems)))
            goto done;
        for (int w = 0; w <= weeks; w++)
            for (int e = 0; e < elems; e++)
                out->v[(size_t)w * (size_t)elems + (size_t)e] =
                    arith(n->op, at_elem(&a, a.weeks ? w : 0, e), at_elem(&b, b.weeks ? w : 0, e));
    } else if (n->op == QN_AVERAGE) {
        if (!(ok = frame_alloc(out, a.weeks, 1)))
            goto done;
        for (int w = 0; w <= a.weeks; w++) {
            double sum = 0.0;
            for (int e = 0; e < a.elems; e++)
                sum += at_elem(&a, w, e);
            out->v[w] = a.elems ? sum / a.elems : nan_value();
        }
    } else if (n->op == QN_AT) {
        if (!(ok = frame_alloc(out, 0, a.elems)))
            goto done;
        for (int e = 0; e < a.elems; e++) {
            double wk = n->b >= 0 ? at_elem(&b, 0, e) : n->week;
            int w = isnan(wk) ? -1 : resolve_week((int)wk, a.weeks);
            out->v[e] = w >= 0 && w <= a.weeks ? at_elem(&a, w, e) : nan_value();
        }
    } else {
        ok = reduce_window(n, &a, out);
    }
done:
    frame_free(&a);
    frame_free(&b);
    return ok;
}

static int compare_doubles(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The q-quantile by linear interpolation between order statistics (sorts v). */
static double quantile(double *v, int n, double q)
{
    if (n == 0)
        return nan_value();
    qsort(v, (size_t)n, sizeof *v, compare_doubles);
    double pos = q * (n - 1);
    int lo = (int)floor(pos);
    int hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
}

/* Pools a replicate figure over every replicate: the values that are numbers, and how many
 * were NaN. */
static double sum_of(const double *v, int m)
{
    double sum = 0.0;
    for (int i = 0; i < m; i++)
        sum += v[i];
    return sum;
}

static double aggregate(const qisim_pattern *p, const qisim_pattern_data *d, const qisim_node *n)
{
    size_t cap = 64, len = 0;
    double *v = malloc(cap * sizeof *v);
    int missing = 0;
    if (!v)
        return nan_value();
    for (int rep = 0; rep < d->reps; rep++) {
        frame f;
        if (!eval_frame(p, d, n->a, rep, &f)) {
            free(v);
            return nan_value();
        }
        for (int e = 0; e < f.elems; e++) {
            double x = f.v[e];
            if (isnan(x)) {
                missing++;
                continue;
            }
            if (len == cap) {
                double *grown = realloc(v, 2 * cap * sizeof *v);
                if (!grown) {
                    free(v);
                    frame_free(&f);
                    return nan_value();
                }
                v = grown;
                cap *= 2;
            }
            v[len++] = x;
        }
        frame_free(&f);
    }
    double r = nan_value(), sum = 0.0;
    int m = (int)len;
    switch (n->op) {
    case QN_MEDIAN: r = quantile(v, m, 0.5); break;
    case QN_QUANTILE: r = quantile(v, m, n->k); break;
    case QN_MEAN:
    case QN_SUM:
        for (int i = 0; i < m; i++)
            sum += v[i];
        r = n->op == QN_SUM ? sum : m ? sum / m : nan_value();
        break;
    case QN_MIN:
    case QN_MAX:
        for (int i = 0; i < m; i++)
            r = i == 0 ? v[i] : n->op == QN_MIN ? fmin(r, v[i]) : fmax(r, v[i]);
        break;
    case QN_LOW95:
    case QN_HIGH95: {
        qisim_moments mo = {0};
        for (int i = 0; i < m; i++)
            qisim_moments_add(&mo, v[i]);
        double mean_v = m ? sum_of(v, m) / m : nan_value(), half = qisim_moments_ci95(&mo);
        r = n->op == QN_LOW95 ? mean_v - half : mean_v + half;
        break;
    }
    case QN_COUNT: r = m; break;
    case QN_MISSING: r = missing; break;
    case QN_N: r = m + missing; break;
    default: break;
    }
    free(v);
    return r;
}

static double eval_scalar(const qisim_pattern *p, const qisim_pattern_data *d, int node)
{
    const qisim_node *n = &p->nodes[node];
    switch (n->op) {
    case QN_CONST: return n->k;
    case QN_MEDIAN:
    case QN_QUANTILE:
    case QN_MEAN:
    case QN_MIN:
    case QN_MAX:
    case QN_SUM:
    case QN_COUNT:
    case QN_MISSING:
    case QN_LOW95:
    case QN_HIGH95:
    case QN_N: return aggregate(p, d, n);
    case QN_BREAKPOINT: {
        /* the lowest level whose value reaches `reach`, with every lower one under `flat`:
         * a threshold, not a slope */
        int brk = 0;
        while (brk < n->n_list && !(eval_scalar(p, d, n->list[brk]) >= n->k))
            brk++;
        bool flat = true;
        for (int l = 0; l < brk; l++)
            flat &= eval_scalar(p, d, n->list[l]) < n->k2;
        return brk < n->n_list && flat ? n->levels[brk] : nan_value();
    }
    case QN_BETWEEN: {
        double x = eval_scalar(p, d, n->a);
        return x >= eval_scalar(p, d, n->b) && x <= eval_scalar(p, d, n->c);
    }
    case QN_NEAR: return fabs(eval_scalar(p, d, n->a) - eval_scalar(p, d, n->b)) <= eval_scalar(p, d, n->c);
    case QN_ABOVE: return eval_scalar(p, d, n->a) > eval_scalar(p, d, n->b);
    case QN_AT_LEAST: return eval_scalar(p, d, n->a) >= eval_scalar(p, d, n->b);
    case QN_BELOW: return eval_scalar(p, d, n->a) < eval_scalar(p, d, n->b);
    case QN_AT_MOST: return eval_scalar(p, d, n->a) <= eval_scalar(p, d, n->b);
    case QN_ALL:
    case QN_ANY: {
        bool all = true, any = false;
        for (int i = 0; i < n->n_list; i++) {
            bool t = eval_scalar(p, d, n->list[i]) > 0.5;
            all &= t;
            any |= t;
        }
        return n->op == QN_ALL ? all : any;
    }
    default:
        if (is_arith(n->op))
            return arith(n->op, eval_scalar(p, d, n->a), eval_scalar(p, d, n->b));
        return nan_value();
    }
}

double qisim_pattern_stat(const qisim_pattern *p, const qisim_pattern_data *d, int node)
{
    if (node < 0 || node >= p->n_nodes)
        return nan_value();
    return eval_scalar(p, d, node);
}

/* ---- figures and verdicts -------------------------------------------------------------------- */

/* Appends part's text with each conversion filled from its statistic. Each snprintf below
 * gets a format of one conversion rebuilt here from flags, width and precision and a type
 * letter chosen to match the argument, so the pattern file cannot supply a bad one. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
static void format_part(const qisim_pattern *p, const qisim_pattern_data *d, const qisim_figure_part *part,
                        char *out, size_t size)
{
    size_t len = strlen(out);
    int arg = 0;
    for (const char *c = part->fmt; *c && len + 1 < size; c++) {
        if (*c != '%') {
            out[len++] = *c;
            out[len] = '\0';
            continue;
        }
        if (c[1] == '%') {
            out[len++] = '%';
            out[len] = '\0';
            c++;
            continue;
        }
        char spec[32] = "%";
        size_t k = 1;
        for (c++; *c && strchr("-+ #0123456789.", *c) && k < sizeof spec - 4; c++)
            spec[k++] = *c;
        if (!*c)
            break;
        double x = arg < part->n_args ? eval_scalar(p, d, part->args[arg]) : nan_value();
        arg++;
        if (*c == 'd' || *c == 'i') {
            spec[k++] = 'l';
            spec[k++] = 'l';
            spec[k++] = 'd';
            spec[k] = '\0';
            if (isfinite(x))
                snprintf(out + len, size - len, spec, (long long)llround(x));
            else
                snprintf(out + len, size - len, "%s", "nan");
        } else {
            spec[k++] = strchr("fFeEgG", *c) ? *c : 'g';
            spec[k] = '\0';
            snprintf(out + len, size - len, spec, x);
        }
        len = strlen(out);
    }
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

void qisim_pattern_judge_row(const qisim_pattern *p, const qisim_pattern_data *d, int row, qisim_row_result *out)
{
    const qisim_pattern_row *r = &p->rows[row];
    out->figure[0] = '\0';
    for (int k = 0; k < r->n_parts; k++)
        if (r->parts[k].when < 0 || eval_scalar(p, d, r->parts[k].when) > 0.5)
            format_part(p, d, &r->parts[k], out->figure, sizeof out->figure);
    out->met = true;
    for (int k = 0; k < r->n_checks; k++)
        out->met &= eval_scalar(p, d, r->checks[k]) > 0.5;
}

int qisim_pattern_targets(const qisim_pattern *p, qisim_pattern_target *out, int max)
{
    int n = 0;
    for (int r = 0; r < p->n_rows; r++)
        for (int k = 0; k < p->rows[r].n_checks; k++) {
            const qisim_node *c = &p->nodes[p->rows[r].checks[k]];
            if ((c->op != QN_BETWEEN && c->op != QN_NEAR) || p->nodes[c->b].kind != QN_K_CONST ||
                p->nodes[c->c].kind != QN_K_CONST || n >= max)
                continue;
            double b = p->nodes[c->b].k, cc = p->nodes[c->c].k;
            out[n++] = c->op == QN_NEAR ? (qisim_pattern_target){r, c->a, b, cc}
                                        : (qisim_pattern_target){r, c->a, (b + cc) / 2, (cc - b) / 2};
        }
    return n;
}

/* ---- running the arms ------------------------------------------------------------------------ */

/* What one replicate of one arm traces. */
typedef struct arm_job {
    const qisim_pattern *p;
    qisim_pattern_data *d;
    int arm, rep;
    int32_t *ids[QISIM_PAT_MAX_SERIES]; /* entity ids of each series of the arm */
} arm_job;

static double observe(const qisim_world *w, const qisim_pattern_series *s, int32_t id)
{
    if (s->metric < QISIM_OBS_BASE)
        return qisim_metric_value(w, s->metric, s->level, id);
    switch (s->metric - QISIM_OBS_BASE) {
    case QISIM_OBS_TRAINED_PRACTISING: {
        /* staff in post trained to practitioner level or above who practise, over all trusts */
        int64_t trained = 0, practising = 0;
        for (int32_t i = 0; i < w->n_staff; i++) {
            if ((w->staff.flags[i] & QISIM_STAFF_VACANT) || w->staff.tier[i] < QISIM_TIER_PRACTITIONER)
                continue;
            trained++;
            practising += (w->staff.flags[i] & QISIM_STAFF_PRACTISING) != 0;
        }
        return trained ? (double)practising / (double)trained : 0.0;
    }
    case QISIM_OBS_STRATEGY_QI: return w->trusts[id].strategy == QISIM_STRATEGY_QI;
    default: return nan_value();
    }
}

static int32_t find_entity(const qisim_world *w, int level, const char *name)
{
    switch (level) {
    case QISIM_LEVEL_TRUST: return qisim_world_find_trust(w, name);
    case QISIM_LEVEL_REGION: return qisim_world_find_region(w, name);
    case QISIM_LEVEL_TEAM:
        for (int32_t t = 0; t < w->n_teams; t++)
            if (strcmp(qisim_team_name(w, t), name) == 0)
                return t;
        return -1;
    default: return 0;
    }
}

static void record_week(arm_job *j, const qisim_world *w)
{
    for (int s = 0; s < j->p->n_series; s++) {
        const qisim_pattern_series *ps = &j->p->series[s];
        qisim_trace *t = &j->d->traces[(size_t)j->rep * (size_t)j->d->n_series + (size_t)s];
        if (ps->arm != j->arm || !t->v || w->week > t->weeks)
            continue;
        for (int e = 0; e < t->elems; e++)
            t->v[(size_t)w->week * (size_t)t->elems + (size_t)e] = observe(w, ps, j->ids[s][e]);
    }
}

static int job_begin(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    arm_job *j = ctx;
    for (int s = 0; s < j->p->n_series; s++) {
        const qisim_pattern_series *ps = &j->p->series[s];
        if (ps->arm != j->arm)
            continue;
        int elems = ps->level == QISIM_LEVEL_TEAM && ps->n_names == 0 ? w->n_teams : ps->n_names ? ps->n_names : 1;
        qisim_trace *t = &j->d->traces[(size_t)j->rep * (size_t)j->d->n_series + (size_t)s];
        j->ids[s] = calloc((size_t)elems, sizeof *j->ids[s]);
        t->v = calloc((size_t)(info->weeks + 1) * (size_t)elems, sizeof *t->v);
        if (!j->ids[s] || !t->v)
            return qisim_err_set(err, QISIM_ENOMEM, "%s: out of memory tracing arm '%s'", j->p->path,
                                 j->p->arms[j->arm].name);
        t->weeks = info->weeks;
        t->elems = elems;
        for (int e = 0; e < elems; e++) {
            if (ps->n_names == 0) {
                j->ids[s][e] = e;
                continue;
            }
            j->ids[s][e] = find_entity(w, ps->level, ps->names[e]);
            if (j->ids[s][e] < 0)
                return qisim_err_set(err, QISIM_EINVAL, "%s: arm '%s': %s has no %s named '%s'", j->p->path,
                                     j->p->arms[j->arm].name, j->p->arms[j->arm].scenario,
                                     qisim_level_name(ps->level), ps->names[e]);
        }
    }
    record_week(j, w);
    return QISIM_OK;
}

static int job_week(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    (void)info;
    (void)err;
    record_week(ctx, w);
    return QISIM_OK;
}

typedef struct pool {
    const qisim_pattern *p;
    const qisim_validate_options *o;
    const char *const *extra;
    int n_extra;
    qisim_pattern_data *d;
    int n_jobs, next;
    int rank, processes;   /* this process runs job j when j % processes == rank */
    int failed_job;        /* the lowest failing job, or n_jobs */
    qisim_err err;
    pthread_mutex_t lock;
} pool;

static int run_job(pool *pl, int job, qisim_err *err)
{
    const qisim_pattern *p = pl->p;
    arm_job j = {p, pl->d, job % p->n_arms, job / p->n_arms, {0}};
    const qisim_pattern_arm *a = &p->arms[j.arm];
    const char *sets[3 * QISIM_PAT_MAX_ASSIGN + 64], *args[QISIM_PAT_MAX_ASSIGN];
    int n_sets = 0;
    for (int i = 0; i < pl->o->n_sets && n_sets < 64; i++)
        sets[n_sets++] = pl->o->sets[i];
    for (int i = 0; i < pl->n_extra && i < QISIM_PAT_MAX_ASSIGN; i++)
        sets[n_sets++] = pl->extra[i];
    for (int i = 0; i < a->n_sets; i++)
        sets[n_sets++] = a->sets[i];
    for (int i = 0; i < a->n_args; i++)
        args[i] = a->args[i];
    qisim_assignments overrides = {sets, n_sets}, scenario_args = {args, a->n_args};
    qisim_observer obs = {&j, job_begin, job_week, NULL, NULL};
    int rc = qisim_run_replicate(a->scenario, pl->o->seed, j.rep, &overrides, &scenario_args, NULL, 0, &obs, err);
    for (int s = 0; s < p->n_series; s++)
        free(j.ids[s]);
    return rc;
}

static void *worker(void *arg)
{
    pool *pl = arg;
    for (;;) {
        pthread_mutex_lock(&pl->lock);
        int job = pl->next < pl->failed_job ? pl->next++ : pl->n_jobs;
        pthread_mutex_unlock(&pl->lock);
        if (job >= pl->n_jobs)
            return NULL;
        if (job % pl->processes != pl->rank)
            continue;
        qisim_err err;
        qisim_err_clear(&err);
        if (run_job(pl, job, &err)) {
            pthread_mutex_lock(&pl->lock);
            if (job < pl->failed_job) {
                pl->failed_job = job;
                pl->err = err;
            }
            pthread_mutex_unlock(&pl->lock);
        }
    }
}

/* Whether allocation failed on any process: every process calls it at the same point, so
 * that none leaves the others waiting in a collective. */
static bool failed_anywhere(bool failed)
{
    double f = failed;
    qisim_process_sum(&f, 1);
    return f > 0;
}

/* Under MPI: every process gets every job's traces (each job ran on one process) and learns
 * the first failing job. Returns non-zero, on every process alike, when memory ran out. */
static int share_traces(pool *pl)
{
    const qisim_pattern *p = pl->p;
    qisim_pattern_data *d = pl->d;
    size_t n = (size_t)d->reps * (size_t)d->n_series;
    /* the status of each job, the shape (rows, elements) of each trace */
    double *meta = calloc((size_t)pl->n_jobs + 2 * n + 1, sizeof *meta);
    if (failed_anywhere(!meta)) {
        free(meta);
        return QISIM_ENOMEM;
    }
    double *status = meta, *shape = meta + pl->n_jobs;
    if (pl->failed_job < pl->n_jobs)
        status[pl->failed_job] = pl->err.code ? pl->err.code : QISIM_EINVAL;
    for (size_t i = 0; i < n; i++) {
        int rep = (int)(i / (size_t)d->n_series), s = (int)(i % (size_t)d->n_series);
        int job = rep * p->n_arms + p->series[s].arm;
        if (job % pl->processes == pl->rank && d->traces[i].v) {
            shape[2 * i] = d->traces[i].weeks + 1;
            shape[2 * i + 1] = d->traces[i].elems;
        }
    }
    qisim_process_sum(meta, (size_t)pl->n_jobs + 2 * n);
    int first = pl->n_jobs;
    for (int j = 0; j < pl->n_jobs && first == pl->n_jobs; j++)
        if (status[j] != 0)
            first = j;
    if (first < pl->failed_job) {
        pl->failed_job = first;
        qisim_err_set(&pl->err, (int)status[first], "%s: a run of arm '%s' failed on MPI process %d (run without mpirun to see why)",
                      p->path, p->arms[first % p->n_arms].name, first % pl->processes);
    }
    /* the values, in one sum: owners fill theirs, the others zeros */
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += (size_t)(shape[2 * i] * shape[2 * i + 1]);
    double *all = calloc(total ? total : 1, sizeof *all);
    bool short_of_memory = !all;
    for (size_t i = 0; all && i < n; i++) {
        qisim_trace *t = &d->traces[i];
        size_t len = (size_t)(shape[2 * i] * shape[2 * i + 1]);
        if (!t->v && len) {
            if (!(t->v = calloc(len, sizeof *t->v))) {
                short_of_memory = true;
                break;
            }
            t->weeks = (int32_t)shape[2 * i] - 1;
            t->elems = (int32_t)shape[2 * i + 1];
        }
    }
    int rc = QISIM_OK;
    if (failed_anywhere(short_of_memory)) {
        rc = QISIM_ENOMEM;
    } else {
        size_t off = 0;
        for (size_t i = 0; i < n; i++) {
            size_t len = (size_t)(shape[2 * i] * shape[2 * i + 1]);
            int rep = (int)(i / (size_t)d->n_series), s = (int)(i % (size_t)d->n_series);
            if ((rep * p->n_arms + p->series[s].arm) % pl->processes == pl->rank && len)
                memcpy(all + off, d->traces[i].v, len * sizeof *all);
            off += len;
        }
        qisim_process_sum(all, total);
        off = 0;
        for (size_t i = 0; i < n; i++) {
            size_t len = (size_t)(shape[2 * i] * shape[2 * i + 1]);
            if (len)
                memcpy(d->traces[i].v, all + off, len * sizeof *all);
            off += len;
        }
    }
    free(all);
    free(meta);
    return rc;
}

void qisim_pattern_data_free(qisim_pattern_data *d)
{
    if (d->traces)
        for (int i = 0; i < d->reps * d->n_series; i++)
            free(d->traces[i].v);
    free(d->traces);
    memset(d, 0, sizeof *d);
}

int qisim_pattern_run(const qisim_pattern *p, const qisim_validate_options *o, const char *const *extra, int n_extra,
                      qisim_pattern_data *d, qisim_err *err)
{
    memset(d, 0, sizeof *d);
    int reps = p->max_reps > 0 && p->max_reps < o->reps ? p->max_reps : o->reps;
    d->reps = reps;
    d->n_series = p->n_series;
    d->traces = calloc((size_t)reps * (size_t)(p->n_series ? p->n_series : 1), sizeof *d->traces);
    if (!d->traces)
        return qisim_err_set(err, QISIM_ENOMEM, "%s: out of memory", p->path);
    pool pl = {p, o, extra, n_extra, d, reps * p->n_arms, 0, 0, 1, reps * p->n_arms, {0, ""}, PTHREAD_MUTEX_INITIALIZER};
    if (o->across_processes) {
        pl.rank = qisim_process_rank();
        pl.processes = qisim_process_count();
    }
    int threads = o->threads > 1 ? o->threads : 1;
    if (threads > pl.n_jobs)
        threads = pl.n_jobs > 0 ? pl.n_jobs : 1;
    pthread_t tid[256];
    int started = 0;
    for (int t = 1; t < threads && t < 256; t++)
        if (pthread_create(&tid[started], NULL, worker, &pl) == 0)
            started++;
    worker(&pl);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&pl.lock);
    if (pl.processes > 1 && share_traces(&pl) && pl.failed_job == pl.n_jobs) {
        pl.failed_job = 0;
        qisim_err_set(&pl.err, QISIM_ENOMEM, "%s: out of memory sharing traces between processes", p->path);
    }
    if (pl.failed_job < pl.n_jobs) {
        qisim_pattern_data_free(d);
        if (err)
            *err = pl.err;
        return pl.err.code ? pl.err.code : QISIM_EINVAL;
    }
    return QISIM_OK;
}

/* ---- results into SQLite -------------------------------------------------------------------- */

struct qisim_validation_db {
    sqlite3 *db;
    sqlite3_stmt *insert;
    char path[4096], tmp[4200];
};

static int vdb_error(qisim_validation_db *v, qisim_err *err)
{
    return qisim_err_set(err, QISIM_EIO, "%s: %s", v->path, v->db ? sqlite3_errmsg(v->db) : "cannot open");
}

int qisim_validation_db_open(const char *path, const qisim_validate_options *o, qisim_validation_db **out, qisim_err *err)
{
    *out = NULL;
    qisim_validation_db *v = calloc(1, sizeof *v);
    if (!v)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory");
    snprintf(v->path, sizeof v->path, "%s", path);
    snprintf(v->tmp, sizeof v->tmp, "%s.tmp", path);
    remove(v->tmp);
    int rc = QISIM_OK;
    if (sqlite3_open(v->tmp, &v->db) != SQLITE_OK)
        rc = vdb_error(v, err);
    char *msg = NULL;
    if (!rc && sqlite3_exec(v->db,
                            "BEGIN;"
                            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                            "CREATE TABLE rows(pattern TEXT, kind TEXT, row INTEGER, title TEXT, figure TEXT, target TEXT,"
                            " source TEXT, met INTEGER, knockout TEXT, knockout_figure TEXT, knockout_met INTEGER);",
                            NULL, NULL, &msg) != SQLITE_OK) {
        rc = qisim_err_set(err, QISIM_EIO, "%s: %s", path, msg ? msg : "error");
        sqlite3_free(msg);
    }
    char seed[32], reps[32], sets[4096] = "";
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
    snprintf(reps, sizeof reps, "%d", o->reps);
    for (int i = 0; i < o->n_sets; i++)
        snprintf(sets + strlen(sets), sizeof sets - strlen(sets), "%s%s", i ? " " : "", o->sets[i]);
    const char *meta[][2] = {{"qisim_version", QISIM_VERSION}, {"kind", "qisim validate"}, {"seed", seed},
                             {"reps", reps}, {"sets", sets}};
    sqlite3_stmt *st = NULL;
    if (!rc && sqlite3_prepare_v2(v->db, "INSERT INTO meta VALUES (?, ?)", -1, &st, NULL) != SQLITE_OK)
        rc = vdb_error(v, err);
    for (size_t i = 0; !rc && i < sizeof meta / sizeof meta[0]; i++) {
        sqlite3_bind_text(st, 1, meta[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, meta[i][1], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = vdb_error(v, err);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (!rc && sqlite3_prepare_v2(v->db, "INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &v->insert,
                                  NULL) != SQLITE_OK)
        rc = vdb_error(v, err);
    if (rc) {
        qisim_validation_db_close(v, false, NULL);
        return rc;
    }
    *out = v;
    return QISIM_OK;
}

int qisim_validation_db_add(qisim_validation_db *v, const qisim_pattern *p, int row, const qisim_row_result *r,
                            const char *ko, const qisim_row_result *ko_result, qisim_err *err)
{
    const qisim_pattern_row *pr = &p->rows[row];
    sqlite3_stmt *st = v->insert;
    sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, p->calibration ? "calibration" : "held_out", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, row + 1);
    sqlite3_bind_text(st, 4, pr->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->figure, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, pr->target, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, pr->source, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, r->met);
    if (ko && ko_result) {
        sqlite3_bind_text(st, 9, ko, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 10, ko_result->figure, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 11, ko_result->met);
    } else {
        sqlite3_bind_null(st, 9);
        sqlite3_bind_null(st, 10);
        sqlite3_bind_null(st, 11);
    }
    int rc = sqlite3_step(st) == SQLITE_DONE ? QISIM_OK : vdb_error(v, err);
    sqlite3_reset(st);
    return rc;
}

int qisim_validation_db_close(qisim_validation_db *v, bool commit, qisim_err *err)
{
    if (!v)
        return QISIM_OK;
    int rc = QISIM_OK;
    sqlite3_finalize(v->insert);
    if (commit && sqlite3_exec(v->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = vdb_error(v, err);
    if (sqlite3_close(v->db) != SQLITE_OK && !rc)
        rc = qisim_err_set(err, QISIM_EIO, "%s: cannot close", v->path);
    if (commit && !rc && rename(v->tmp, v->path) != 0)
        rc = qisim_err_set(err, QISIM_EIO, "%s: cannot rename %s to it", v->path, v->tmp);
    if (!commit || rc)
        remove(v->tmp);
    free(v);
    return rc;
}
