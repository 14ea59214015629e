/* Summaries across replicates: per week, level, entity and metric, the mean, standard
 * deviation, 95% interval of the mean and the 2.5-97.5% range of replicate values. */
#ifndef QISIM_RUN_SUMMARY_H
#define QISIM_RUN_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "qisim/results.h"

typedef struct summary summary;

summary *summary_create(void);
void summary_free(summary *s);

/* Adds one replicate's frame of values. Replicates must be added in replicate order: the
 * result is then the same whatever the number of threads. Returns 0, or -1 when memory runs out. */
int summary_add_frame(summary *s, const qisim_frame *f);

/* Writes summary.csv: a header, then one row per key in the order keys were first seen. */
void summary_write(const summary *s, FILE *fp);

#endif
