/* A run folder's entities.csv read back: which trust and region a result row's entity belongs
 * to, also for teams of several trusts that share a name. */
#ifndef QISIM_ENTITIES_H
#define QISIM_ENTITIES_H

#include <stddef.h>

#include "qisim/err.h"

typedef struct qisim_entity_row {
    char *level, *name, *trust, *region; /* as in entities.csv (trust "" for a region) */
    long id;                             /* the id within its level, as events.csv's id column */
    int shared;                          /* entities of this level and name (2 or more: teams of several trusts) */
} qisim_entity_row;

typedef struct qisim_entities {
    qisim_entity_row *rows; /* by level, name, then id */
    int n;
    qisim_entity_row **by_id; /* the same rows by level, then id */
} qisim_entities;

/* Reads dir/entities.csv into e. A folder without one (a run older than the file) gives no
 * rows and QISIM_OK. QISIM_EINVAL naming the file and line for a file that is not qisim's. */
int qisim_entities_read(const char *dir, qisim_entities *e, qisim_err *err);
void qisim_entities_free(qisim_entities *e);

/* The entity with this level and name, the first by id when several share it; NULL if none. */
const qisim_entity_row *qisim_entities_named(const qisim_entities *e, const char *level, const char *name);
/* The entity of this level and id (events.csv's id column), or NULL. */
const qisim_entity_row *qisim_entities_by_id(const qisim_entities *e, const char *level, long id);
/* The entity an events.csv row names: by its id (-1: a run older than the id column), which
 * must carry the row's name, or without an id by the name if no other entity shares it; NULL
 * when neither says which (no trust rather than a wrong one). */
const qisim_entity_row *qisim_entities_of_event(const qisim_entities *e, const char *level, const char *name, long id);

/* Tells apart the series rows of teams that share a name, by order: qisim writes a week's rows
 * of a replicate together, team by team in id order, so the k-th row of that name and metric
 * in the week is the k-th such team by id. Zero-initialise; feed every row in file order. */
typedef struct qisim_series_order {
    char week[32], replicate[32];
    struct qisim_series_seen *seen;
    int n, cap;
} qisim_series_order;

/* The entity of a series row (week, replicate, level, name, metric as written), or NULL when
 * entities.csv does not name it or the order cannot tell (never a wrong one). */
const qisim_entity_row *qisim_series_order_entity(const qisim_entities *e, qisim_series_order *o, const char *week,
                                                  const char *replicate, const char *level, const char *name,
                                                  const char *metric);
void qisim_series_order_free(qisim_series_order *o);

/* How the report and compare name an entity: "TRUST / TEAM" for a team whose name teams of
 * several trusts share, else its own name (row NULL: `name`). Truncated to fit size. */
void qisim_entities_label(const qisim_entity_row *row, const char *name, char *out, size_t size);
/* QISIM_EINVAL naming dir's entities.csv when a label would be another entity's name (a team
 * called "A / Ward" beside the Ward of trust A), so that two series can never merge. */
int qisim_entities_check_labels(const qisim_entities *e, const char *dir, qisim_err *err);

#endif
