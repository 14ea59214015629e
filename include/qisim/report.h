/* Reading a run folder back for people: the HTML report, static plots (gnuplot), Chart.js inlining. */
#ifndef QISIM_REPORT_H
#define QISIM_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "qisim/err.h"

/* One series of a run summarised across replicates: per recorded week the mean, the 95%
 * interval of the mean (Student t) and the 2.5-97.5% range of replicate values, as in
 * summary.csv. NaN where no replicate has a value (or, for the interval, fewer than two). */
typedef struct qisim_run_series {
    char level[16], entity[136], metric[64]; /* entity: "TRUST / TEAM" for a team whose name
                                              * teams of several trusts share (qisim_entities_label) */
    int n;                       /* points, in week order */
    int32_t *week;
    int *reps;                   /* replicates with a value */
    double *mean, *ci_lo, *ci_hi, *p_lo, *p_hi;
    double **rep_value;          /* per point, the value of replicate r at [r] (NaN where absent),
                                  * r < the run's replicates: for the arms' differences */
} qisim_run_series;

/* One event of replicate 0 (the timeline shows one replicate; counts cover all). */
typedef struct qisim_run_event {
    int32_t week, id;            /* id: the entity's (events.csv's id column), -1 in a run without it */
    char level[16];
    char *entity, *event, *detail;
} qisim_run_event;

/* How often an event kind happened, over all replicates. */
typedef struct qisim_run_event_count {
    char event[64];
    long count;
} qisim_run_event_count;

/* What the report and the plots read from a run folder written by qisim run. */
typedef struct qisim_run_data {
    char dir[4096];
    char *manifest;              /* manifest.json's text, checked to be one JSON object; NULL if absent */
    size_t manifest_len;
    char scenario_path[4096];    /* from the manifest ("" when unknown) */
    char label[256];             /* the manifest's label (qisim run --label), "" when none */
    char *scenario_header;       /* the scenario file's opening comment; NULL when unreadable */
    bool scenario_changed;       /* the file's SHA-256 differs from the manifest's */
    qisim_run_series *series;
    int n_series;
    int replicates;              /* 1 + the highest replicate number in series.csv */
    int32_t last_week;
    qisim_run_event *events;
    int n_events;                /* of replicate 0, at most QISIM_RUN_MAX_EVENTS */
    long events_total;           /* rows of events.csv */
    qisim_run_event_count *event_counts;
    int n_event_counts;
} qisim_run_data;

enum { QISIM_RUN_MAX_EVENTS = 5000 };

/* Reads dir/series.csv (required), dir/events.csv and dir/manifest.json (optional) and the
 * scenario file the manifest names (optional, for its header). QISIM_EIO / QISIM_EINVAL naming
 * the file (and line) that cannot be read or is not what qisim writes; d is then freed. */
int qisim_run_load(const char *dir, qisim_run_data *d, qisim_err *err);
void qisim_run_free(qisim_run_data *d);

/* The series of d for (level, entity, metric), or NULL. */
const qisim_run_series *qisim_run_find(const qisim_run_data *d, const char *level, const char *entity,
                                        const char *metric);

/* Writes the Chart.js library as one inline <script> element so that a page stands alone
 * (no network, no file beside it). path NULL: $QISIM_CHARTJS, else Debian's libjs-chart.js
 * (/usr/share/javascript/chart.js/chart.min.js). Read each time, never bundled in qisim.
 * QISIM_EIO naming the file (and the package) if it cannot be read; QISIM_EINVAL if the
 * text holds "</script", which would end the element early. */
int qisim_chartjs_inline(FILE *fp, const char *path, qisim_err *err);

typedef struct qisim_report_options {
    const char *const *dirs;     /* run folders; the first is arm A of every comparison */
    int n_dirs;
    const char *const *labels;   /* NULL or n_dirs names for the arms (default: the folder) */
    const char *out;             /* the HTML file */
    const char *chartjs;         /* NULL: as qisim_chartjs_inline */
    long max_points;             /* chart points over all series (downsampling); <= 0: 30000 */
} qisim_report_options;

/* Writes the self-contained HTML report (atomically: no half-written file on error). */
int qisim_report_write(const qisim_report_options *o, qisim_err *err);

/* qisim plot: one metric over time as a static figure through gnuplot. */
typedef struct qisim_plot_options {
    const char *const *dirs;     /* one or more run folders */
    int n_dirs;
    const char *const *labels;   /* NULL or n_dirs names (default: the folder) */
    const char *metric;
    const char *level;           /* NULL: trust when recorded there, else the first level recorded */
    const char *const *entities; /* NULL: every entity at the level, up to 10 */
    int n_entities;
    int32_t week_from, week_to;  /* the weeks drawn, inclusive; week_to < 0: to the end */
    const char *title;           /* NULL: the metric and its description */
    const char *band;            /* "ci" (NULL: the 95% interval of the mean), "range" (2.5-97.5%), "none" */
    const char *out;             /* FIG.svg, FIG.png or FIG.pdf: the extension picks the terminal */
    const char *script;          /* NULL, or a file to keep the gnuplot script in */
} qisim_plot_options;

/* Writes the figure through gnuplot ($QISIM_GNUPLOT or gnuplot on the PATH) to a temporary
 * name renamed to o->out on success. QISIM_EINVAL with a one-line message for a metric, level or
 * entity not recorded (naming what is) or an unknown extension; QISIM_EIO when gnuplot cannot be
 * run or fails (its first message line quoted). */
int qisim_plot_write(const qisim_plot_options *o, qisim_err *err);

/* Stacks the series.csv of each run folder into one CSV (to out_path atomically, or to out when
 * out_path is NULL): "run,label,seed,args,week,replicate,level,entity,trust,region,metric,value",
 * label from the manifest's "label" (qisim run --label) or the folder's name, seed and --arg
 * assignments from the manifest, trust and region from entities.csv (empty when it is missing;
 * teams of two trusts that share a name told apart by row order). Values are copied as written. QISIM_EIO /
 * QISIM_EINVAL naming the file (and line) that cannot be read or is not qisim's. */
/* With events, stacks events.csv instead, one row per key=value pair of each detail:
 * "run,label,seed,args,week,replicate,level,entity,trust,region,event,detail,key,value" (the
 * words of a detail that are not a pair form one row with an empty key; the entity found by
 * events.csv's id column, or by an unshared name in a run written before it). */
int qisim_collect(const char *const *dirs, int n_dirs, const char *out_path, FILE *out, bool events, qisim_err *err);

#endif
