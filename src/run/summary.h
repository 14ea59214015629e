/* Summaries across replicates: per week, level, entity and metric, the mean, standard
 * deviation, 95% interval of the mean and the 2.5-97.5% range of replicate values. */
#ifndef QISIM_RUN_SUMMARY_H
#define QISIM_RUN_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

typedef struct summary summary;

summary *summary_create(void);
void summary_free(summary *s);

/* Adds one replicate's series rows ("week,replicate,level,entity,metric,value\n" lines, no
 * header). Replicates must be added in replicate order: the result is then the same
 * whatever the number of threads. Rows are read as CSV (quoted entities may hold commas, quotes
 * and line breaks). Returns 0, or -1 when memory runs out or the text is not CSV. */
int summary_add_rows(summary *s, const char *rows, size_t len);

/* Writes summary.csv: a header, then one row per key in the order keys were first seen. */
void summary_write(const summary *s, FILE *fp);

#endif
