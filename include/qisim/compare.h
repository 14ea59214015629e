/* Comparing two runs: differences between arms with effect sizes and 95% intervals,
 * paired by replicate when both arms used the same seed (common random numbers). */
#ifndef QISIM_COMPARE_H
#define QISIM_COMPARE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "qisim/err.h"

typedef struct qisim_compare_options {
    const char *dir_a, *dir_b;   /* result folders holding series.csv and manifest.json */
    const char *metric;          /* NULL: every metric */
    const char *level;           /* NULL: every level */
    const char *entity;          /* NULL: every entity; else a name ("Ward": every team so named)
                                  * or a label ("A / Ward") */
    int32_t week;                /* < 0: the last week both arms recorded */
} qisim_compare_options;

/* One compared series at one week. */
typedef struct qisim_comparison {
    char level[16], entity[136], metric[64]; /* entity: "TRUST / TEAM" for a team whose name teams
                                              * of several trusts share (qisim_entities_label) */
    int32_t week;
    int n_a, n_b, n_pairs;       /* replicates with a value; pairs when paired */
    bool paired;
    double mean_a, mean_b, diff, ci_low, ci_high;
    double effect_size;          /* paired: mean/sd of differences (d_z); else Cohen's d */
} qisim_comparison;

/* Compares the two result folders. On success *out holds *n comparisons (free() it), in the
 * order the keys appear in A's series.csv. Pairs replicates by number when both manifests
 * give the same seed; otherwise compares the arms as independent samples (Welch). */
int qisim_compare(const qisim_compare_options *o, qisim_comparison **out, int *n, qisim_err *err);

/* Compares one week's values as qisim_compare does: a[r], b[r] are replicate r's (NaN where
 * absent); paired by replicate number, else Welch. Fills c's counts and numbers, not its names
 * or week (qisim report's differences over time). */
void qisim_compare_values(const double *a, int reps_a, const double *b, int reps_b, bool paired, qisim_comparison *c);

/* How to read c for a policy question: "better" or "worse" when the 95% interval excludes 0
 * and the metric has a better direction (qisim_metric_better), "higher" or "lower" when it
 * has none, "no clear difference" when the interval holds 0, "" without an interval. */
const char *qisim_compare_reading(const qisim_comparison *c);

/* Writes comparisons as CSV with a header; after the numbers, each metric's unit, its better
 * direction ("higher", "lower" or "") and the reading. */
void qisim_compare_write_csv(FILE *fp, const qisim_comparison *c, int n);

#endif
