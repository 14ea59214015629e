/* Calibration by approximate Bayesian computation (ABC-SMC, population Monte Carlo with
 * adaptive tolerances; docs/calibration.md): free parameters with priors, fitted to the targets
 * of calibration patterns (their between/near checks), streamed into a resumable SQLite file. */
#ifndef QISIM_CALIBRATE_H
#define QISIM_CALIBRATE_H

#include <stdbool.h>
#include <stdint.h>

#include "qisim/err.h"

enum { QISIM_CAL_MAX_PARAMS = 16, QISIM_CAL_MAX_PATTERNS = 8, QISIM_CAL_MAX_SETS = 16, QISIM_CAL_MAX_GENERATIONS = 50 };

enum qisim_prior { QISIM_PRIOR_UNIFORM, QISIM_PRIOR_LOG_UNIFORM, QISIM_PRIOR_NORMAL, QISIM_PRIOR_BETA, QISIM_N_PRIORS };
const char *qisim_prior_name(int prior);

/* A free parameter: uniform and log_uniform take (low, high); normal (mean, sd), truncated to
 * the parameter's range; beta (alpha, beta) on [low, high] (default the parameter's range). */
typedef struct qisim_cal_param {
    char name[128];
    int id;                 /* in the parameter table */
    int prior;
    double a, b;            /* the prior's two numbers, as given */
    double lo, hi;          /* where the prior is positive */
} qisim_cal_param;

typedef struct qisim_calibration {
    char path[1024];
    char name[128];
    qisim_cal_param params[QISIM_CAL_MAX_PARAMS];
    int n_params;
    char patterns[QISIM_CAL_MAX_PATTERNS][1024];
    int n_patterns;
    char sets[QISIM_CAL_MAX_SETS][160];  /* fixed --set of every run */
    int n_sets;
    int particles, generations, reps;
    double quantile;        /* the next tolerance: this quantile of the last generation's distances */
    uint64_t seed;
    int max_proposals;      /* simulated proposals per particle and generation, before giving up */
} qisim_calibration;

/* Loads a calibration file (calibrate{...} through the scenario host). */
int qisim_calibration_load(const char *path, qisim_calibration *c, qisim_err *err);

/* One finished generation. */
typedef struct qisim_cal_generation {
    int generation;
    double epsilon;         /* tolerance (infinite for the first, drawn from the prior) */
    int64_t proposals;      /* parameter vectors drawn */
    int64_t simulated;      /* of them inside the prior, hence run */
    int accepted;
    double seconds;         /* wall clock: for the report only, never in the database */
} qisim_cal_generation;

/* Per parameter: prior's and posterior's median and 5% and 95% quantiles, and whether the
 * targets identify it (posterior's 90% interval narrower than `identified_ratio` of the prior's). */
typedef struct qisim_cal_summary {
    double prior_q[3], post_q[3];
    double width_ratio;
    bool identified;
} qisim_cal_summary;

#define QISIM_CAL_IDENTIFIED_RATIO 0.75

typedef struct qisim_calibrate_options {
    const char *path;       /* the calibration file */
    const char *out_dir;    /* NULL: results/<name> */
    int threads;
    bool resume;
    /* > 0: the number of generations instead of the file's; with resume, more than were run
     * extend a calibration whose tolerance is still wide (generation g does not depend on how
     * many follow it, so 5 then 7 equals 7 at once) */
    int generations;
    /* called after each generation (may be NULL), from the calling thread */
    void (*on_generation)(void *ctx, const qisim_calibration *c, const qisim_cal_generation *g);
    void *ctx;
} qisim_calibrate_options;

typedef struct qisim_calibrate_result {
    qisim_calibration cal;
    char database[4096], set_file[4096];
    qisim_cal_generation gens[QISIM_CAL_MAX_GENERATIONS];
    int n_gens, resumed_gens;
    int n_targets;
    qisim_cal_summary summary[QISIM_CAL_MAX_PARAMS];
    double point[QISIM_CAL_MAX_PARAMS]; /* the posterior's weighted medians: written as the set file */
} qisim_calibrate_result;

/* Runs the calibration into <out_dir>/results.sqlite and writes <out_dir>/posterior.set.
 * Proposal k of generation g draws from its own stream seeded by (seed, g, k) and proposals
 * are judged in batches of `particles` in proposal order, so the result is the same for any
 * thread count; a generation's particles and its summary row are committed together, and
 * --resume continues after the last committed generation (the same file, with the same
 * SHA-256, is required), giving what an uninterrupted run gives. */
int qisim_calibrate(const qisim_calibrate_options *o, qisim_calibrate_result *res, qisim_err *err);

/* The last generation of a calibration database: its particles' values and weights. */
typedef struct qisim_posterior {
    int generation, n_params, n;
    char names[QISIM_CAL_MAX_PARAMS][128];
    double *x;              /* n x n_params */
    double *w;              /* normalised weights */
} qisim_posterior;
int qisim_posterior_read(const char *database, qisim_posterior *post, qisim_err *err);
void qisim_posterior_free(qisim_posterior *post);

/* k draws from the posterior by weight (systematic resampling from a stream of seed), as
 * indices into post's particles. */
void qisim_posterior_draws(const qisim_posterior *post, uint64_t seed, int k, int *out);

#endif
