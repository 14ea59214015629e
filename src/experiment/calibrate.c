/* ABC-SMC (population Monte Carlo; Beaumont, Cornuet, Marin & Robert 2009; Toni et al. 2009):
 * generation 0 samples the prior; each later one resamples the last generation by weight,
 * perturbs with a Gaussian kernel of twice the weighted variance, keeps proposals whose
 * distance to the targets is within a tolerance (a quantile of the last generation's
 * distances) and reweights them by prior over the kernel mixture. Runs in parallel, the same
 * for any thread count; each generation is committed to SQLite as it finishes. */
#include "qisim/calibrate.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "qisim/io.h"
#include "qisim/params.h"
#include "qisim/rng.h"
#include "qisim/run.h"
#include "qisim/validate.h"

enum { MAX_TARGETS = 64, CAL_DRAWS_PER_SIMULATION = 1000 };

/* ---- priors, in the space the kernel works in (log for log_uniform) -------------------------- */

static double to_work(const qisim_cal_param *p, double x)
{
    return p->prior == QISIM_PRIOR_LOG_UNIFORM ? log(x) : x;
}

static double from_work(const qisim_cal_param *p, double u)
{
    return p->prior == QISIM_PRIOR_LOG_UNIFORM ? exp(u) : u;
}

/* The prior's density at work-space value u, up to a constant factor per parameter. */
static double prior_density(const qisim_cal_param *p, double u)
{
    double x = from_work(p, u);
    if (!(x >= p->lo && x <= p->hi))
        return 0.0;
    switch (p->prior) {
    case QISIM_PRIOR_NORMAL: {
        double z = (x - p->a) / p->b;
        return exp(-0.5 * z * z);
    }
    case QISIM_PRIOR_BETA: {
        double y = (x - p->lo) / (p->hi - p->lo);
        if (y <= 0.0 || y >= 1.0)
            return 0.0;
        return exp((p->a - 1) * log(y) + (p->b - 1) * log1p(-y));
    }
    default: return 1.0;
    }
}

static double uniform01(qisim_rng *r)
{
    uint64_t bits = (uint64_t)qisim_rng_next(r) << 21 ^ qisim_rng_next(r);
    return ((double)(bits & ((1ull << 53) - 1)) + 0.5) / 9007199254740992.0;
}

/* A draw from the prior (work space); NaN when a truncated normal finds no value. */
static double prior_draw(const qisim_cal_param *p, qisim_rng *r)
{
    switch (p->prior) {
    case QISIM_PRIOR_UNIFORM: return p->lo + uniform01(r) * (p->hi - p->lo);
    case QISIM_PRIOR_LOG_UNIFORM: return log(p->lo) + uniform01(r) * (log(p->hi) - log(p->lo));
    case QISIM_PRIOR_NORMAL:
        for (int k = 0; k < 1000; k++) {
            double x = p->a + p->b * qisim_rng_normal(r);
            if (x >= p->lo && x <= p->hi)
                return x;
        }
        return (double)NAN;
    default: return p->lo + qisim_rng_beta(r, p->a, p->b) * (p->hi - p->lo);
    }
}

/* ---- the run's state ------------------------------------------------------------------------- */

/* Parameter values are kept as the runs use them (x), never only in the kernel's work space,
 * so what the database holds is the whole state: a resumed run continues bit for bit. */
typedef struct proposal {
    double x[QISIM_CAL_MAX_PARAMS];
    uint64_t sim_seed;
    int64_t index;                    /* proposal number within its generation */
    bool inside;                      /* positive prior density: simulated */
    double distance;
    int ok;                           /* status of the simulation */
    qisim_err err;
} proposal;

typedef struct calib {
    const qisim_calibration *c;
    qisim_pattern *pats[QISIM_CAL_MAX_PATTERNS];
    qisim_pattern_target targets[QISIM_CAL_MAX_PATTERNS][MAX_TARGETS];
    int n_targets[QISIM_CAL_MAX_PATTERNS];
    /* the last generation's particles: values (as the runs use them), weights, distances */
    double *prev_u, *prev_w, *prev_d;
    int n_prev;
    double sd[QISIM_CAL_MAX_PARAMS];  /* kernel standard deviation per parameter */
    /* the batch being simulated; under MPI this process simulates proposals k with
     * k % processes == rank, and the distances are then summed across processes */
    proposal *batch;
    int batch_n, next, rank, processes;
    double *exchange;                 /* 2 x batch: distances, statuses */
    pthread_mutex_t lock;
} calib;

/* Draws proposal k of generation g from its own stream: from the prior in generation 0, else
 * a particle of the last generation by weight, moved by the kernel. */
static void draw(calib *cb, int g, int64_t k, proposal *pr)
{
    const qisim_calibration *c = cb->c;
    qisim_rng r;
    qisim_rng_seed_stream(&r, c->seed, ((uint64_t)g << 40) ^ (uint64_t)k, 0);
    pr->sim_seed = (uint64_t)qisim_rng_next(&r) << 32 | qisim_rng_next(&r);
    pr->inside = true;
    if (g == 0) {
        for (int j = 0; j < c->n_params; j++) {
            double u = prior_draw(&c->params[j], &r);
            pr->x[j] = from_work(&c->params[j], u);
            pr->inside &= !isnan(u);
        }
        return;
    }
    double pick = uniform01(&r), acc = 0.0;
    int i = 0;
    for (; i < cb->n_prev - 1; i++) {
        acc += cb->prev_w[i];
        if (pick < acc)
            break;
    }
    for (int j = 0; j < c->n_params; j++) {
        const qisim_cal_param *p = &c->params[j];
        double u = to_work(p, cb->prev_u[i * c->n_params + j]) + cb->sd[j] * qisim_rng_normal(&r);
        pr->x[j] = from_work(p, u);
        pr->inside &= prior_density(p, u) > 0.0;
    }
}

/* The distance of a parameter vector to the targets: the root mean square of each statistic's
 * miss in units of its target's scale; infinite when a statistic has no value. */
static int simulate(calib *cb, proposal *pr)
{
    const qisim_calibration *c = cb->c;
    char assign[QISIM_CAL_MAX_PARAMS][160];
    const char *sets[QISIM_CAL_MAX_PARAMS + QISIM_CAL_MAX_SETS];
    int n = 0;
    for (int i = 0; i < c->n_sets; i++)
        sets[n++] = c->sets[i];
    for (int j = 0; j < c->n_params; j++) {
        snprintf(assign[j], sizeof assign[j], "%s=%.17g", c->params[j].name, pr->x[j]);
        sets[n++] = assign[j];
    }
    qisim_validate_options vo = {pr->sim_seed, c->reps, 1, sets, n, false}; /* the proposals are spread already */
    double sum = 0.0;
    int count = 0;
    for (int p = 0; p < c->n_patterns; p++) {
        qisim_pattern_data d;
        int rc = qisim_pattern_run(cb->pats[p], &vo, NULL, 0, &d, &pr->err);
        if (rc)
            return rc;
        for (int t = 0; t < cb->n_targets[p]; t++) {
            const qisim_pattern_target *tg = &cb->targets[p][t];
            double z = (qisim_pattern_stat(cb->pats[p], &d, tg->node) - tg->target) / tg->scale;
            sum += z * z;
            count++;
        }
        qisim_pattern_data_free(&d);
    }
    pr->distance = count && isfinite(sum) ? sqrt(sum / count) : HUGE_VAL;
    return QISIM_OK;
}

static void *worker(void *arg)
{
    calib *cb = arg;
    for (;;) {
        pthread_mutex_lock(&cb->lock);
        int k = cb->next < cb->batch_n ? cb->next++ : -1;
        pthread_mutex_unlock(&cb->lock);
        if (k < 0)
            return NULL;
        if (k % cb->processes != cb->rank)
            continue;
        proposal *pr = &cb->batch[k];
        pr->ok = pr->inside ? simulate(cb, pr) : QISIM_OK;
    }
}

static void run_batch(calib *cb, int threads)
{
    cb->next = 0;
    pthread_t tid[256];
    int started = 0;
    for (int t = 1; t < threads && t < 256 && t < cb->batch_n; t++)
        if (pthread_create(&tid[started], NULL, worker, cb) == 0)
            started++;
    worker(cb);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    if (cb->processes < 2)
        return;
    /* every process learns every proposal's distance and status (the draws it made itself) */
    double *d = cb->exchange, *ok = cb->exchange + cb->batch_n;
    for (int k = 0; k < cb->batch_n; k++) {
        bool mine = k % cb->processes == cb->rank;
        d[k] = mine && cb->batch[k].inside ? cb->batch[k].distance : 0.0;
        ok[k] = mine ? cb->batch[k].ok : 0.0;
    }
    qisim_process_sum(cb->exchange, 2 * (size_t)cb->batch_n);
    for (int k = 0; k < cb->batch_n; k++) {
        proposal *pr = &cb->batch[k];
        if (k % cb->processes == cb->rank)
            continue;
        pr->distance = d[k];
        pr->ok = (int)ok[k];
        if (pr->ok)
            qisim_err_set(&pr->err, pr->ok, "%s: a simulation failed on MPI process %d (run without mpirun to see why)",
                          cb->c->path, k % cb->processes);
    }
}

/* Whether any process failed (rc != 0 on it): every process must call it at the same point,
 * so that a failure on one (writing the database) stops all instead of leaving them waiting. */
static bool any_failed(int rc)
{
    double failed = rc != 0;
    qisim_process_sum(&failed, 1);
    return failed > 0;
}

/* ---- statistics of a weighted sample ------------------------------------------------------- */

typedef struct weighted {
    double x, w;
} weighted;

static int compare_weighted(const void *a, const void *b)
{
    double x = ((const weighted *)a)->x, y = ((const weighted *)b)->x;
    return (x > y) - (x < y);
}

/* The q-quantile of values with weights (sorts v): the smallest value whose cumulative weight
 * reaches q of the total. */
static double weighted_quantile(weighted *v, int n, double q)
{
    qsort(v, (size_t)n, sizeof *v, compare_weighted);
    double total = 0.0, acc = 0.0;
    for (int i = 0; i < n; i++)
        total += v[i].w;
    for (int i = 0; i < n; i++) {
        acc += v[i].w;
        if (acc >= q * total)
            return v[i].x;
    }
    return n ? v[n - 1].x : (double)NAN;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ---- the database ---------------------------------------------------------------------------- */

static int db_error(sqlite3 *db, qisim_err *err, const char *what)
{
    return qisim_err_set(err, QISIM_EIO, "%s: %s", what, db ? sqlite3_errmsg(db) : "cannot open");
}

static int exec(sqlite3 *db, const char *sql, qisim_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        qisim_err_set(err, QISIM_EIO, "results database: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return QISIM_EIO;
    }
    return QISIM_OK;
}

static int create_schema(sqlite3 *db, const qisim_calibration *c, const char *sha, qisim_err *err)
{
    char sql[8192];
    int len = snprintf(sql, sizeof sql,
                       "BEGIN;"
                       "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
                       "CREATE TABLE parameters(idx INTEGER PRIMARY KEY, name TEXT, prior TEXT, a REAL, b REAL, low REAL, high REAL);"
                       "CREATE TABLE generations(generation INTEGER PRIMARY KEY, epsilon REAL, proposals INTEGER, "
                       "simulated INTEGER, accepted INTEGER, acceptance REAL);"
                       "CREATE TABLE particles(generation INTEGER, idx INTEGER, proposal INTEGER, distance REAL, weight REAL");
    for (int j = 0; j < c->n_params; j++)
        len += snprintf(sql + len, sizeof sql - (size_t)len, ", \"%s\" REAL", c->params[j].name);
    snprintf(sql + len, sizeof sql - (size_t)len, ", PRIMARY KEY (generation, idx));");
    int rc = exec(db, sql, err);
    sqlite3_stmt *st = NULL;
    if (!rc && sqlite3_prepare_v2(db, "INSERT INTO meta VALUES (?, ?)", -1, &st, NULL) != SQLITE_OK)
        rc = db_error(db, err, "results database");
    char seed[32], num[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)c->seed);
    snprintf(num, sizeof num, "%d", c->particles);
    const char *rows[][2] = {{"qisim_version", QISIM_VERSION}, {"kind", "qisim calibrate"}, {"calibration", c->path},
                             {"calibration_sha256", sha},
                             {"seed", seed}, {"particles", num}};
    for (size_t i = 0; !rc && i < sizeof rows / sizeof rows[0]; i++) {
        sqlite3_bind_text(st, 1, rows[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, rows[i][1], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_error(db, err, "results database");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (!rc && sqlite3_prepare_v2(db, "INSERT INTO parameters VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
        rc = db_error(db, err, "results database");
    for (int j = 0; !rc && j < c->n_params; j++) {
        const qisim_cal_param *p = &c->params[j];
        sqlite3_bind_int(st, 1, j);
        sqlite3_bind_text(st, 2, p->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, qisim_prior_name(p->prior), -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 4, p->a);
        sqlite3_bind_double(st, 5, p->b);
        sqlite3_bind_double(st, 6, p->lo);
        sqlite3_bind_double(st, 7, p->hi);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_error(db, err, "results database");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc ? (exec(db, "ROLLBACK", NULL), rc) : exec(db, "COMMIT", err);
}

/* Commits generation g: its particles and its row, in one transaction. */
static int commit_generation(sqlite3 *db, calib *cb, const qisim_cal_generation *g, const double *u, const double *w,
                             const double *d, const int64_t *prop, qisim_err *err)
{
    const qisim_calibration *c = cb->c;
    char sql[1024];
    int len = snprintf(sql, sizeof sql, "INSERT INTO particles VALUES (?, ?, ?, ?, ?");
    for (int j = 0; j < c->n_params; j++)
        len += snprintf(sql + len, sizeof sql - (size_t)len, ", ?");
    snprintf(sql + len, sizeof sql - (size_t)len, ")");
    int rc = exec(db, "BEGIN", err);
    if (rc)
        return rc;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        rc = db_error(db, err, "results database");
    for (int i = 0; !rc && i < c->particles; i++) {
        sqlite3_bind_int(st, 1, g->generation);
        sqlite3_bind_int(st, 2, i);
        sqlite3_bind_int64(st, 3, prop[i]);
        sqlite3_bind_double(st, 4, d[i]);
        sqlite3_bind_double(st, 5, w[i]);
        for (int j = 0; j < c->n_params; j++)
            sqlite3_bind_double(st, 6 + j, u[i * c->n_params + j]);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_error(db, err, "results database");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (!rc && sqlite3_prepare_v2(db, "INSERT INTO generations VALUES (?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
        rc = db_error(db, err, "results database");
    if (!rc) {
        sqlite3_bind_int(st, 1, g->generation);
        if (isfinite(g->epsilon))
            sqlite3_bind_double(st, 2, g->epsilon);
        else
            sqlite3_bind_null(st, 2);
        sqlite3_bind_int64(st, 3, g->proposals);
        sqlite3_bind_int64(st, 4, g->simulated);
        sqlite3_bind_int(st, 5, g->accepted);
        sqlite3_bind_double(st, 6, g->simulated ? (double)g->accepted / (double)g->simulated : 0.0);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_error(db, err, "results database");
    }
    sqlite3_finalize(st);
    return rc ? (exec(db, "ROLLBACK", NULL), rc) : exec(db, "COMMIT", err);
}

/* Reads the committed generations back (for --resume): their rows into res, the last one's
 * particles into cb. */
static int read_back(sqlite3 *db, calib *cb, qisim_calibrate_result *res, qisim_err *err)
{
    const qisim_calibration *c = cb->c;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT generation, epsilon, proposals, simulated, accepted FROM generations ORDER BY generation",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(db, err, res->database);
    while (sqlite3_step(st) == SQLITE_ROW && res->n_gens < QISIM_CAL_MAX_GENERATIONS) {
        qisim_cal_generation *g = &res->gens[res->n_gens];
        g->generation = sqlite3_column_int(st, 0);
        g->epsilon = sqlite3_column_type(st, 1) == SQLITE_NULL ? HUGE_VAL : sqlite3_column_double(st, 1);
        g->proposals = sqlite3_column_int64(st, 2);
        g->simulated = sqlite3_column_int64(st, 3);
        g->accepted = sqlite3_column_int(st, 4);
        g->seconds = 0.0;
        if (g->generation != res->n_gens) {
            sqlite3_finalize(st);
            return qisim_err_set(err, QISIM_EINVAL, "%s: generation %d is missing", res->database, res->n_gens);
        }
        res->n_gens++;
    }
    sqlite3_finalize(st);
    if (res->n_gens == 0)
        return QISIM_OK;
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT * FROM particles WHERE generation = %d ORDER BY idx", res->n_gens - 1);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(db, err, res->database);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < c->particles) {
        cb->prev_d[n] = sqlite3_column_double(st, 3);
        cb->prev_w[n] = sqlite3_column_double(st, 4);
        for (int j = 0; j < c->n_params; j++)
            cb->prev_u[n * c->n_params + j] = sqlite3_column_double(st, 5 + j);
        n++;
    }
    sqlite3_finalize(st);
    if (n != c->particles)
        return qisim_err_set(err, QISIM_EINVAL, "%s: generation %d has %d particles, not %d", res->database,
                             res->n_gens - 1, n, c->particles);
    cb->n_prev = n;
    return QISIM_OK;
}

static int check_meta(sqlite3 *db, const char *path, const char *sha, qisim_err *err)
{
    sqlite3_stmt *st;
    char found[80] = "";
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'calibration_sha256'", -1, &st, NULL) != SQLITE_OK)
        return qisim_err_set(err, QISIM_EINVAL, "%s is not a qisim calibration database", path);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(found, sizeof found, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (strcmp(found, sha) != 0)
        return qisim_err_set(err, QISIM_EINVAL, "%s was made from a different calibration file: remove it to start again", path);
    return QISIM_OK;
}

/* ---- the report ----------------------------------------------------------------------------- */

static void summarise(calib *cb, qisim_calibrate_result *res)
{
    const qisim_calibration *c = cb->c;
    enum { PRIOR_DRAWS = 20000 };
    weighted *v = malloc((size_t)(PRIOR_DRAWS > c->particles ? PRIOR_DRAWS : c->particles) * sizeof *v);
    if (!v)
        return;
    static const double qs[3] = {0.5, 0.05, 0.95};
    for (int j = 0; j < c->n_params; j++) {
        const qisim_cal_param *p = &c->params[j];
        qisim_rng r;
        qisim_rng_seed_stream(&r, c->seed ^ 0x9e3779b97f4a7c15ull, (uint64_t)j, 1);
        int n = 0;
        for (int k = 0; k < PRIOR_DRAWS; k++) {
            double u = prior_draw(p, &r);
            if (!isnan(u))
                v[n++] = (weighted){from_work(p, u), 1.0};
        }
        qisim_cal_summary *s = &res->summary[j];
        for (int q = 0; q < 3; q++)
            s->prior_q[q] = weighted_quantile(v, n, qs[q]);
        for (int i = 0; i < cb->n_prev; i++)
            v[i] = (weighted){cb->prev_u[i * c->n_params + j], cb->prev_w[i]};
        for (int q = 0; q < 3; q++)
            s->post_q[q] = weighted_quantile(v, cb->n_prev, qs[q]);
        double prior_w = s->prior_q[2] - s->prior_q[1], post_w = s->post_q[2] - s->post_q[1];
        if (p->prior == QISIM_PRIOR_LOG_UNIFORM) { /* widths on the scale the prior is flat on */
            prior_w = log(s->prior_q[2] / s->prior_q[1]);
            post_w = log(s->post_q[2] / s->post_q[1]);
        }
        s->width_ratio = prior_w > 0 ? post_w / prior_w : 1.0;
        s->identified = s->width_ratio < QISIM_CAL_IDENTIFIED_RATIO;
        res->point[j] = s->post_q[0];
    }
    free(v);
}

static int write_set_file(calib *cb, qisim_calibrate_result *res, const char *dir, qisim_err *err)
{
    const qisim_calibration *c = cb->c;
    if (snprintf(res->set_file, sizeof res->set_file, "%.4000s/posterior.set", dir) >= (int)sizeof res->set_file)
        return qisim_err_set(err, QISIM_EINVAL, "output directory name too long");
    qisim_outfile f;
    int rc = qisim_outfile_open(&f, res->set_file, err);
    if (rc)
        return rc;
    fprintf(f.fp, "# posterior medians of qisim calibrate %s (%d particles, generation %d); use with --set-file\n",
            c->path, c->particles, res->n_gens - 1);
    /* an unidentified parameter's median is only its prior's middle, and with the identified
     * ones it need not fit at all: left as a comment, so --set-file keeps its default */
    for (int j = 0; j < c->n_params; j++)
        if (res->summary[j].identified)
            fprintf(f.fp, "%s=%.6g\n", c->params[j].name, res->point[j]);
        else
            fprintf(f.fp, "# %s=%.6g (not identified: posterior 90%% interval %.2f of the prior's; the default stays)\n",
                    c->params[j].name, res->point[j], res->summary[j].width_ratio);
    return qisim_outfile_commit(&f, err);
}

/* ---- the algorithm --------------------------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Sets the kernel: twice the weighted variance of each parameter over the last generation
 * (Beaumont et al. 2009), never below a millionth of the prior's width. */
static void set_kernel(calib *cb)
{
    const qisim_calibration *c = cb->c;
    for (int j = 0; j < c->n_params; j++) {
        double mean = 0.0, var = 0.0;
        const qisim_cal_param *p = &c->params[j];
        for (int i = 0; i < cb->n_prev; i++)
            mean += cb->prev_w[i] * to_work(p, cb->prev_u[i * c->n_params + j]);
        for (int i = 0; i < cb->n_prev; i++) {
            double dx = to_work(p, cb->prev_u[i * c->n_params + j]) - mean;
            var += cb->prev_w[i] * dx * dx;
        }
        double floor_sd = 1e-6 * (to_work(p, p->hi) - to_work(p, p->lo));
        cb->sd[j] = fmax(sqrt(2.0 * var), floor_sd);
    }
}

/* One generation: proposals in batches of `particles`, judged in proposal order. */
static int generation(calib *cb, int g, int threads, double *u, double *w, double *d, int64_t *prop,
                      qisim_cal_generation *out, qisim_err *err)
{
    const qisim_calibration *c = cb->c;
    double eps = HUGE_VAL;
    if (g > 0) {
        double *sorted = malloc((size_t)cb->n_prev * sizeof *sorted);
        if (!sorted)
            return qisim_err_set(err, QISIM_ENOMEM, "out of memory");
        memcpy(sorted, cb->prev_d, (size_t)cb->n_prev * sizeof *sorted);
        qsort(sorted, (size_t)cb->n_prev, sizeof *sorted, compare_doubles);
        double pos = c->quantile * (cb->n_prev - 1);
        int lo = (int)floor(pos), hi = lo + 1 < cb->n_prev ? lo + 1 : lo;
        eps = sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
        free(sorted);
        set_kernel(cb);
    }
    *out = (qisim_cal_generation){g, eps, 0, 0, 0, 0.0};
    double start = now_seconds();
    int accepted = 0;
    /* The cost is the simulations, so the limit counts them; a kernel move that leaves the
     * prior costs only a draw, but in many dimensions most do, so draws get a far wider bound
     * (it only stops a kernel that can no longer land inside the prior). Batches hold only
     * proposals inside the prior; judging in proposal order keeps the result what it would be
     * with any batching. */
    int64_t sim_limit = (int64_t)c->max_proposals * c->particles;
    int64_t draw_limit = sim_limit * CAL_DRAWS_PER_SIMULATION, next = 0;
    while (accepted < c->particles) {
        if (out->simulated >= sim_limit || next >= draw_limit)
            return qisim_err_set(err, QISIM_ELIMIT,
                                 "%s: generation %d accepted only %d of %d particles in %lld simulations of %lld proposals "
                                 "(raise max_proposals or quantile, or widen the targets)",
                                 c->path, g, accepted, c->particles, (long long)out->simulated, (long long)next);
        cb->batch_n = 0;
        while (cb->batch_n < c->particles && next < draw_limit) {
            proposal *pr = &cb->batch[cb->batch_n];
            draw(cb, g, next, pr);
            pr->index = next++;
            if (pr->inside)
                cb->batch_n++;
        }
        run_batch(cb, threads);
        for (int k = 0; k < cb->batch_n && accepted < c->particles; k++) {
            proposal *pr = &cb->batch[k];
            if (pr->ok) {
                *err = pr->err;
                return pr->ok;
            }
            out->simulated++;
            out->proposals = pr->index + 1;
            if (!(pr->distance <= eps) || !isfinite(pr->distance))
                continue;
            memcpy(&u[accepted * c->n_params], pr->x, (size_t)c->n_params * sizeof *u);
            d[accepted] = pr->distance;
            prop[accepted] = pr->index;
            accepted++;
        }
        if (accepted < c->particles)
            out->proposals = next;
    }
    /* importance weights: prior over the kernel mixture that proposed them */
    double total = 0.0;
    for (int i = 0; i < c->particles; i++) {
        double prior = 1.0;
        for (int j = 0; j < c->n_params; j++)
            prior *= prior_density(&c->params[j], to_work(&c->params[j], u[i * c->n_params + j]));
        double mix = 1.0;
        if (g > 0) {
            mix = 0.0;
            for (int m = 0; m < cb->n_prev; m++) {
                double z2 = 0.0;
                for (int j = 0; j < c->n_params; j++) {
                    const qisim_cal_param *p = &c->params[j];
                    double z = (to_work(p, u[i * c->n_params + j]) - to_work(p, cb->prev_u[m * c->n_params + j])) / cb->sd[j];
                    z2 += z * z;
                }
                mix += cb->prev_w[m] * exp(-0.5 * z2);
            }
        }
        w[i] = mix > 0 ? prior / mix : 0.0;
        total += w[i];
    }
    for (int i = 0; i < c->particles; i++)
        w[i] = total > 0 ? w[i] / total : 1.0 / c->particles;
    out->accepted = accepted;
    out->seconds = now_seconds() - start;
    return QISIM_OK;
}

int qisim_calibrate(const qisim_calibrate_options *o, qisim_calibrate_result *res, qisim_err *err)
{
    memset(res, 0, sizeof *res);
    qisim_calibration *c = &res->cal;
    int rc = qisim_calibration_load(o->path, c, err);
    if (rc)
        return rc;
    if (o->generations > QISIM_CAL_MAX_GENERATIONS)
        return qisim_err_set(err, QISIM_EINVAL, "%d generations: at most %d", o->generations, QISIM_CAL_MAX_GENERATIONS);
    if (o->generations > 0)
        c->generations = o->generations;
    calib cb = {.c = c, .lock = PTHREAD_MUTEX_INITIALIZER, .rank = qisim_process_rank(), .processes = qisim_process_count()};
    sqlite3 *db = NULL;
    qisim_dir_lock lock = {0};
    double *u = NULL, *w = NULL, *d = NULL;
    int64_t *prop = NULL;
    for (int p = 0; p < c->n_patterns && !rc; p++) {
        cb.pats[p] = malloc(sizeof *cb.pats[p]);
        if (!cb.pats[p]) {
            rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory");
            break;
        }
        if ((rc = qisim_pattern_load(c->patterns[p], cb.pats[p], err)))
            break;
        cb.n_targets[p] = qisim_pattern_targets(cb.pats[p], cb.targets[p], MAX_TARGETS);
        for (int t = 0; t < cb.n_targets[p] && !rc; t++)
            if (!(cb.targets[p][t].scale > 0))
                rc = qisim_err_set(err, QISIM_EINVAL, "%s: row %d: a target of zero width cannot scale a distance",
                                   c->patterns[p], cb.targets[p][t].row + 1);
        res->n_targets += cb.n_targets[p];
    }
    if (!rc && res->n_targets == 0)
        rc = qisim_err_set(err, QISIM_EINVAL, "%s: its patterns have no targets (between or near checks on a statistic)", c->path);
    size_t np = (size_t)c->particles, nu = np * (size_t)c->n_params;
    if (!rc) {
        cb.prev_u = calloc(nu, sizeof *cb.prev_u);
        cb.prev_w = calloc(np, sizeof *cb.prev_w);
        cb.prev_d = calloc(np, sizeof *cb.prev_d);
        cb.batch = calloc(np, sizeof *cb.batch);
        cb.exchange = calloc(2 * np, sizeof *cb.exchange);
        u = calloc(nu, sizeof *u);
        w = calloc(np, sizeof *w);
        d = calloc(np, sizeof *d);
        prop = calloc(np, sizeof *prop);
        if (!cb.prev_u || !cb.prev_w || !cb.prev_d || !cb.batch || !cb.exchange || !u || !w || !d || !prop)
            rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory for %d particles", c->particles);
    }
    char dir[4096], sha[65];
    if (!rc) {
        if (o->out_dir)
            snprintf(dir, sizeof dir, "%s", o->out_dir);
        else
            snprintf(dir, sizeof dir, "results/%s", c->name);
        rc = qisim_sha256_file(c->path, sha, err);
    }
    /* the database, its lock and the set file belong to process 0; the others follow its
     * generations (read back on --resume) through broadcasts */
    snprintf(res->database, sizeof res->database, "%.4000s/results.sqlite", dir);
    bool writer = cb.rank == 0;
    if (!rc && writer)
        rc = qisim_dir_lock_take(&lock, dir, err);
    if (!rc && writer) {
        struct stat st;
        bool exists = stat(res->database, &st) == 0;
        if (exists && !o->resume)
            rc = qisim_err_set(err, QISIM_EINVAL, "%s exists: continue it with --resume, or remove it", res->database);
        else if (sqlite3_open(res->database, &db) != SQLITE_OK)
            rc = db_error(db, err, res->database);
        else if (exists)
            rc = check_meta(db, res->database, sha, err);
        else
            rc = create_schema(db, c, sha, err);
        if (!rc && exists)
            rc = read_back(db, &cb, res, err);
    }
    if (any_failed(rc) && !rc)
        rc = qisim_err_set(err, QISIM_EIO, "%s: process 0 could not open it", res->database);
    if (!rc && cb.processes > 1) {
        qisim_process_broadcast(&res->n_gens, sizeof res->n_gens);
        qisim_process_broadcast(res->gens, sizeof res->gens);
        qisim_process_broadcast(&cb.n_prev, sizeof cb.n_prev);
        qisim_process_broadcast(cb.prev_u, nu * sizeof *cb.prev_u);
        qisim_process_broadcast(cb.prev_w, np * sizeof *cb.prev_w);
        qisim_process_broadcast(cb.prev_d, np * sizeof *cb.prev_d);
    }
    res->resumed_gens = res->n_gens;
    int threads = o->threads > 1 ? o->threads : 1;
    for (int g = res->n_gens; !rc && g < c->generations; g++) {
        qisim_cal_generation *gen = &res->gens[res->n_gens];
        if ((rc = generation(&cb, g, threads, u, w, d, prop, gen, err)))
            break;
        if (writer)
            rc = commit_generation(db, &cb, gen, u, w, d, prop, err);
        if (any_failed(rc)) {
            if (!rc)
                rc = qisim_err_set(err, QISIM_EIO, "%s: process 0 could not write it", res->database);
            break;
        }
        res->n_gens++;
        memcpy(cb.prev_u, u, nu * sizeof *u);
        memcpy(cb.prev_w, w, np * sizeof *w);
        memcpy(cb.prev_d, d, np * sizeof *d);
        cb.n_prev = c->particles;
        if (o->on_generation)
            o->on_generation(o->ctx, c, gen);
    }
    if (!rc && cb.n_prev > 0) {
        summarise(&cb, res);
        if (writer)
            rc = write_set_file(&cb, res, dir, err);
        else
            snprintf(res->set_file, sizeof res->set_file, "%.4000s/posterior.set", dir);
    }
    if (db)
        sqlite3_close(db);
    qisim_dir_lock_release(&lock, false);
    for (int p = 0; p < c->n_patterns; p++)
        free(cb.pats[p]);
    free(cb.prev_u);
    free(cb.prev_w);
    free(cb.prev_d);
    free(cb.batch);
    free(cb.exchange);
    free(u);
    free(w);
    free(d);
    free(prop);
    pthread_mutex_destroy(&cb.lock);
    return rc;
}

/* ---- reading a posterior back -------------------------------------------------------------- */

void qisim_posterior_free(qisim_posterior *post)
{
    free(post->x);
    free(post->w);
    memset(post, 0, sizeof *post);
}

int qisim_posterior_read(const char *database, qisim_posterior *post, qisim_err *err)
{
    memset(post, 0, sizeof *post);
    struct stat st;
    if (stat(database, &st) != 0 || !S_ISREG(st.st_mode))
        return qisim_err_set(err, QISIM_EIO, "cannot read %s", database);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(database, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        int rc = db_error(db, err, database);
        sqlite3_close(db);
        return rc;
    }
    int rc = QISIM_OK;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, "SELECT name FROM parameters ORDER BY idx", -1, &q, NULL) != SQLITE_OK) {
        rc = qisim_err_set(err, QISIM_EINVAL, "%s is not a qisim calibration database", database);
        goto done;
    }
    while (sqlite3_step(q) == SQLITE_ROW && post->n_params < QISIM_CAL_MAX_PARAMS)
        snprintf(post->names[post->n_params++], sizeof post->names[0], "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    q = NULL;
    post->generation = -1;
    if (sqlite3_prepare_v2(db, "SELECT MAX(generation) FROM generations", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
        post->generation = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    q = NULL;
    if (post->generation < 0 || post->n_params == 0) {
        rc = qisim_err_set(err, QISIM_EINVAL, "%s holds no finished generation", database);
        goto done;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM particles WHERE generation = %d ORDER BY idx", post->generation);
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
        rc = db_error(db, err, database);
        goto done;
    }
    int cap = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (post->n == cap) {
            cap = cap ? 2 * cap : 256;
            double *x = realloc(post->x, (size_t)cap * (size_t)post->n_params * sizeof *x);
            double *w = x ? realloc(post->w, (size_t)cap * sizeof *w) : NULL;
            if (x)
                post->x = x;
            if (w)
                post->w = w;
            if (!x || !w) {
                rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", database);
                goto done;
            }
        }
        post->w[post->n] = sqlite3_column_double(q, 4);
        for (int j = 0; j < post->n_params; j++)
            post->x[post->n * post->n_params + j] = sqlite3_column_double(q, 5 + j);
        post->n++;
    }
done:
    sqlite3_finalize(q);
    sqlite3_close(db);
    if (rc)
        qisim_posterior_free(post);
    return rc;
}

void qisim_posterior_draws(const qisim_posterior *post, uint64_t seed, int k, int *out)
{
    qisim_rng r;
    qisim_rng_seed_stream(&r, seed, 0, 2);
    double total = 0.0;
    for (int i = 0; i < post->n; i++)
        total += post->w[i];
    double step = total / k, pos = uniform01(&r) * step, acc = 0.0;
    int i = 0;
    for (int d = 0; d < k; d++, pos += step) {
        while (i < post->n - 1 && acc + post->w[i] < pos)
            acc += post->w[i++];
        out[d] = i;
    }
}
