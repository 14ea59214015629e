/* Experiments: a scenario, factors (parameters or scenario arguments) with levels or ranges,
 * a design (full factorial or Latin hypercube), replicates and outcomes; loaded from a Lua
 * file with experiment{...} and expanded into design points. */
#ifndef QISIM_EXPERIMENT_H
#define QISIM_EXPERIMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "qisim/err.h"

enum { QISIM_MAX_FACTORS = 16, QISIM_MAX_LEVELS = 64, QISIM_MAX_OUTCOMES = 64, QISIM_TEXT_MAX = 128 };
/* Fixed settings of an experiment and of each arm (at most this many of each kind), arms of a
 * paired comparison, and so the assignments a point may carry. */
enum { QISIM_MAX_FIXED = 4, QISIM_MAX_ARMS = 4, QISIM_MAX_POINT_ASSIGN = QISIM_MAX_FACTORS + 2 * QISIM_MAX_FIXED };

/* "name=value" settings: --set (sets) and --arg (args). */
typedef struct qisim_fixed {
    char sets[QISIM_MAX_FIXED][2 * QISIM_TEXT_MAX];
    int n_sets;
    char args[QISIM_MAX_FIXED][2 * QISIM_TEXT_MAX];
    int n_args;
} qisim_fixed;

enum qisim_design { QISIM_DESIGN_FULL, QISIM_DESIGN_LHS, QISIM_DESIGN_MORRIS, QISIM_DESIGN_MATRIX };

typedef struct qisim_factor {
    char name[QISIM_TEXT_MAX];  /* a parameter name, or a scenario argument when is_arg */
    bool is_arg;
    int n_levels;               /* explicit levels (full factorial), as text */
    char levels[QISIM_MAX_LEVELS][QISIM_TEXT_MAX];
    bool has_range;             /* a range sampled by the Latin hypercube */
    double lo, hi;
} qisim_factor;

typedef struct qisim_experiment {
    char name[QISIM_TEXT_MAX];
    char scenario[1024];
    int32_t replicates;
    uint64_t seed;
    int design;                 /* enum qisim_design */
    int32_t samples;            /* Latin hypercube points, or Morris trajectories */
    int32_t morris_levels;      /* grid levels of a Morris design (default 4) */
    char matrix[1024];          /* a design matrix (CSV): a column per factor, a row per point */
    qisim_factor factors[QISIM_MAX_FACTORS];
    int n_factors;
    char outcomes[QISIM_MAX_OUTCOMES][QISIM_TEXT_MAX]; /* metrics kept; none: all recorded */
    int n_outcomes;
    qisim_fixed fixed;          /* sets = {...}, args = {...}: every point */
    /* arms = { {"name", args = {...}, sets = {...}}, ... }: every design point is run in each
     * arm, with the same replicates' seeds (paired); the contrast is arm 2 minus arm 1 */
    int n_arms;
    char arm_names[QISIM_MAX_ARMS][QISIM_TEXT_MAX];
    qisim_fixed arms[QISIM_MAX_ARMS];
} qisim_experiment;

/* Loads an experiment file (sandboxed Lua calling experiment{...} once) and checks it:
 * parameters exist and levels fit their ranges, metrics exist, the design is complete.
 * Errors read "path:line: ..." where Lua knows the line. */
int qisim_experiment_load(const char *path, qisim_experiment *e, qisim_err *err);

/* One design point: the --set and --arg assignments ("name=value") that define it. */
typedef struct qisim_point {
    char sets[QISIM_MAX_POINT_ASSIGN][2 * QISIM_TEXT_MAX];
    int n_sets;
    char args[QISIM_MAX_POINT_ASSIGN][2 * QISIM_TEXT_MAX];
    int n_args;
} qisim_point;

/* Expands the design into points (free() *points), each with the experiment's fixed sets and
 * args after its factors; with arms, design point d becomes points d * n_arms + a, arm a's
 * settings last. Every combination of levels in factor
 * order (the last factor varies fastest); or `samples` Latin hypercube points; or `samples`
 * Morris trajectories of n_factors + 1 points each, consecutive points differing in one
 * factor by delta = levels / (2 (levels - 1)) of its range. Random choices come from a PCG
 * stream seeded by the experiment's seed, so the design is reproducible; or the rows of a
 * design matrix: a CSV whose header names the factors (a parameter, or arg:NAME for a
 * scenario argument) and whose rows are the points, each value checked. */
int qisim_experiment_points(qisim_experiment *e, qisim_point **points, int32_t *n, qisim_err *err);

#endif
