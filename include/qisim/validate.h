/* Validation patterns as data: the arms a pattern runs, the metrics it traces, the figures it
 * computes from them (a small expression vocabulary), its targets and knock-outs; loaded from a
 * pattern file (qisim_pattern_load, src/lua/pattern.c), run and judged in src/experiment/validate.c. */
#ifndef QISIM_VALIDATE_H
#define QISIM_VALIDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "qisim/err.h"

enum {
    QISIM_PAT_TEXT = 160,
    QISIM_PAT_MAX_ARMS = 16,
    QISIM_PAT_MAX_ASSIGN = 16,  /* args or sets of an arm, knock-out settings of a row */
    QISIM_PAT_MAX_SERIES = 32,
    QISIM_PAT_MAX_NAMES = 32,   /* entities named by one series */
    QISIM_PAT_MAX_NODES = 512,
    QISIM_PAT_MAX_LIST = 16,    /* operands of all{}, any{}, breakpoint{} */
    QISIM_PAT_MAX_ROWS = 4,
    QISIM_PAT_MAX_PARTS = 4,    /* parts of a row's figure */
    QISIM_PAT_MAX_CHECKS = 8,
};

/* Weeks in windows: >= 0 a week (0 is the world as built, before any step), QISIM_WEEK_END - k
 * the last week less k. */
#define QISIM_WEEK_END (-1)

/* Validation-only observables beside the metric table (metric ids from QISIM_OBS_BASE). */
enum { QISIM_OBS_BASE = 10000 };
enum qisim_observable { QISIM_OBS_TRAINED_PRACTISING, QISIM_OBS_STRATEGY_QI, QISIM_N_OBS };
const char *qisim_observable_name(int k);

/* One arm: a scenario run with its own --arg and --set assignments ("name=value"). */
typedef struct qisim_pattern_arm {
    char name[64];
    char scenario[1024];
    char args[QISIM_PAT_MAX_ASSIGN][QISIM_PAT_TEXT];
    int n_args;
    char sets[QISIM_PAT_MAX_ASSIGN][QISIM_PAT_TEXT];
    int n_sets;
} qisim_pattern_arm;

/* A traced quantity: a metric (or observable) of named entities at a level, every week of an
 * arm. A team series without names traces every team (one element each, in id order). */
typedef struct qisim_pattern_series {
    int arm, metric, level;
    char names[QISIM_PAT_MAX_NAMES][64];
    int n_names;
} qisim_pattern_series;

/* What a node gives: a number, a series (weeks x elements, per replicate), a figure per
 * replicate (one value per element), or a statistic over replicates (one number). */
enum qisim_node_kind { QN_K_CONST, QN_K_SERIES, QN_K_REP, QN_K_STAT };

enum qisim_node_op {
    QN_CONST, QN_SERIES, QN_ADD, QN_SUB, QN_MUL, QN_DIV, QN_AVERAGE,
    /* series -> replicate figure */
    QN_AT, QN_FIRST, QN_WMEAN, QN_WMIN, QN_WMAX, QN_WARGMAX,
    /* comparisons, 1 or 0 (NaN stays NaN) */
    QN_GE, QN_GT, QN_LE, QN_LT,
    /* replicate figures -> statistic (NaN values are left out) */
    QN_MEDIAN, QN_QUANTILE, QN_MEAN, QN_MIN, QN_MAX, QN_SUM, QN_COUNT, QN_MISSING, QN_N,
    QN_LOW95, QN_HIGH95, /* the mean's 95% interval (Student t): of a paired difference, it excludes 0 */
    QN_BREAKPOINT,
    /* checks on statistics, 1 met or 0 */
    QN_BETWEEN, QN_NEAR, QN_ABOVE, QN_AT_LEAST, QN_BELOW, QN_AT_MOST, QN_ALL, QN_ANY,
};

typedef struct qisim_node {
    int op, kind;
    int a, b, c;            /* operands (node indices), -1 when absent */
    double k;               /* QN_CONST's value, a quantile's q, first's threshold, breakpoint's reach */
    double k2;              /* breakpoint's flat_below; first's value when never (if has_never) */
    bool has_never, has_floor;
    double floor;           /* wmax/wargmax: the running maximum starts here (strictly exceeded) */
    int cmp;                /* QN_FIRST: QN_GE, QN_GT, QN_LE or QN_LT against k */
    int series;             /* QN_SERIES */
    int week;               /* QN_AT with no week operand */
    int from, to, every;    /* windows */
    int list[QISIM_PAT_MAX_LIST];
    double levels[QISIM_PAT_MAX_LIST];
    int n_list;
    int size;               /* nodes evaluated for it, shared operands counted each time */
} qisim_node;

/* The most nodes one expression may evaluate: a file that doubles an expression on itself in a
 * loop would otherwise take 2^N evaluations. */
enum { QISIM_PAT_MAX_EVAL = 4096 };

/* A figure: printf-style text with %d/%f/%g/%e conversions, each taking a statistic. Shown
 * only when `when` (a check node, or -1) holds. */
typedef struct qisim_figure_part {
    char fmt[QISIM_PAT_TEXT];
    int args[8];
    int n_args;
    int when;
} qisim_figure_part;

/* A line of the table: a figure beside its target, met when every check holds; run again with
 * `knockout` (the settings that remove the mechanism), where it must be missed. */
typedef struct qisim_pattern_row {
    char title[QISIM_PAT_TEXT], target[QISIM_PAT_TEXT], source[QISIM_PAT_TEXT];
    qisim_figure_part parts[QISIM_PAT_MAX_PARTS];
    int n_parts;
    int checks[QISIM_PAT_MAX_CHECKS];
    int n_checks;
    char knockout[QISIM_PAT_MAX_ASSIGN][QISIM_PAT_TEXT];
    int n_knockout;
} qisim_pattern_row;

typedef struct qisim_pattern {
    char path[1024];
    char id[16];            /* "P3" */
    bool calibration;       /* a calibration target (parameters were fitted to it), else held out */
    char fitted[QISIM_PAT_TEXT];
    int max_reps;           /* at most this many replicates per arm (0: as asked) */
    qisim_pattern_arm arms[QISIM_PAT_MAX_ARMS];
    int n_arms;
    qisim_pattern_series series[QISIM_PAT_MAX_SERIES];
    int n_series;
    qisim_node nodes[QISIM_PAT_MAX_NODES];
    int n_nodes;
    qisim_pattern_row rows[QISIM_PAT_MAX_ROWS];
    int n_rows;
} qisim_pattern;

/* Loads a pattern file (sandboxed Lua calling pattern{...} once, through the scenario host)
 * into *p (heap-sized: allocate it). Errors read "path:line: ...". */
int qisim_pattern_load(const char *path, qisim_pattern *p, qisim_err *err);

/* One series of one replicate: v[week * elems + e] for weeks 0..weeks. */
typedef struct qisim_trace {
    double *v;
    int32_t weeks, elems;
} qisim_trace;

/* What the arms of a pattern recorded: traces[rep * n_series + s]. */
typedef struct qisim_pattern_data {
    int reps, n_series;
    qisim_trace *traces;
} qisim_pattern_data;

/* A statistic node's value over the data (NaN when there is none). */
double qisim_pattern_stat(const qisim_pattern *p, const qisim_pattern_data *d, int node);

/* A row's verdict and figure. */
typedef struct qisim_row_result {
    bool met;
    char figure[256];
} qisim_row_result;
void qisim_pattern_judge_row(const qisim_pattern *p, const qisim_pattern_data *d, int row, qisim_row_result *out);

/* How to run a pattern. */
typedef struct qisim_validate_options {
    uint64_t seed;
    int reps;
    int threads;
    const char *const *sets;   /* --set for every arm */
    int n_sets;
    /* under mpirun: spread the runs over the processes (job j on process j mod K) and share
     * the traces; false where the caller spreads its own work (qisim calibrate) */
    bool across_processes;
} qisim_validate_options;

/* Runs every arm of p over the replicates (min(reps, p->max_reps)), with o's --set, then
 * `extra` settings (a knock-out; may be NULL), then the arm's own; fills *d (free with
 * qisim_pattern_data_free). Replicate r of every arm has seed (o->seed, r): arms are paired.
 * Independent of the thread count. */
int qisim_pattern_run(const qisim_pattern *p, const qisim_validate_options *o, const char *const *extra, int n_extra,
                      qisim_pattern_data *d, qisim_err *err);
void qisim_pattern_data_free(qisim_pattern_data *d);

/* The calibration targets of a pattern's rows: each between/near check on a statistic gives a
 * target value and a scale (half the range, or the tolerance). */
typedef struct qisim_pattern_target {
    int row, node;
    double target, scale;
} qisim_pattern_target;
int qisim_pattern_targets(const qisim_pattern *p, qisim_pattern_target *out, int max);

/* A validation's results as a SQLite database: table meta (qisim_version, seed, reps, sets)
 * and table rows (pattern, kind, row, title, figure, target, source, met, knockout,
 * knockout_figure, knockout_met). Written under "<path>.tmp" and renamed by close with
 * commit, so an interrupted validation leaves no finished-looking file. */
typedef struct qisim_validation_db qisim_validation_db;
int qisim_validation_db_open(const char *path, const qisim_validate_options *o, qisim_validation_db **db, qisim_err *err);
/* ko and ko_result NULL: no knock-out was run for the row. */
int qisim_validation_db_add(qisim_validation_db *db, const qisim_pattern *p, int row, const qisim_row_result *r,
                            const char *ko, const qisim_row_result *ko_result, qisim_err *err);
int qisim_validation_db_close(qisim_validation_db *db, bool commit, qisim_err *err);

#endif
