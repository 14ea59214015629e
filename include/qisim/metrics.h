/* What can be recorded or read about a team, trust, region or the whole system: one table of
 * named metrics computed from the weekly aggregates. */
#ifndef QISIM_METRICS_H
#define QISIM_METRICS_H

#include <stdbool.h>

#include "qisim/world.h"

typedef struct qisim_metric_desc {
    const char *name;
    const char *unit;
    const char *doc;
    bool team;  /* defined for single teams too */
} qisim_metric_desc;

int qisim_metric_count(void);
const qisim_metric_desc *qisim_metric_at(int id);
/* The id of the metric called name, or -1. */
int qisim_metric_find(const char *name);

/* The metric's value for entity `id` at `level` (id ignored for the system level): a ratio
 * metric is pooled over the entity's trusts (e.g. staff-weighted), a count is summed.
 * Returns NaN for a metric that is not defined at that level. */
double qisim_metric_value(const qisim_world *w, int metric, int level, int32_t id);

/* +1 when a higher value of metric id is better (for patients, staff or the organisation), -1
 * when lower is better, 0 when neither (a count of activity, a cost, a state). */
int qisim_metric_better(int id);

/* Name of a level ("team", "trust", "region", "system"), and back (-1 if unknown). */
const char *qisim_level_name(int level);
int qisim_level_find(const char *name);

/* The name of entity id at level ("system" for the system level). */
const char *qisim_entity_name(const qisim_world *w, int level, int32_t id);

/* Number of entities at a level (1 for the system). */
int32_t qisim_entity_count(const qisim_world *w, int level);

#endif
