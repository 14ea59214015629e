/* A replicate's results as typed frames (src/results/frame.c), summaries across replicates
 * (summary.c), and the one schema of every result file's columns, which alone writes and reads
 * their CSV (schema.c). */
#ifndef QISIM_RESULTS_H
#define QISIM_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "qisim/err.h"
#include "qisim/io.h"

/* ---- frames ------------------------------------------------------------------------------ */

/* One recorded value: a metric (qisim_metric_at id) of an entity (id within its level, enum
 * qisim_level) at the end of a week, at full precision (NaN: not defined there). */
typedef struct qisim_frame_value {
    int32_t week, level, entity, metric;
    double value;
} qisim_frame_value;

/* One event of the world's log; type and detail are offsets into the frame's text. */
typedef struct qisim_frame_event {
    int32_t week, level, entity;
    uint32_t type, detail;
} qisim_frame_event;

/* One entity and where it belongs (trust, region: ids, -1 for none). */
typedef struct qisim_frame_entity {
    int32_t level, id, trust, region;
} qisim_frame_entity;

typedef enum qisim_membership_kind {
    QISIM_MEMBER_COLLABORATIVE,
    QISIM_MEMBER_PEER_NETWORK,
    QISIM_MEMBER_EXEMPLAR_PARTNER,
    QISIM_N_MEMBER_KINDS
} qisim_membership_kind;

/* An entity seen joining a group (group: offset into the text) from a week (to_week -1: open). */
typedef struct qisim_frame_membership {
    int32_t kind, level, entity, from_week, to_week;
    uint32_t group;
} qisim_frame_membership;

enum { QISIM_FRAME_LEVELS = 4 }; /* team, trust, region, system (QISIM_N_LEVELS, checked in frame.c) */

/* A replicate's output: rows in the order they were recorded, and the names of the entities
 * they refer to. Zero-initialise (or qisim_frame_init); owns its arrays; rows stay in order. */
typedef struct qisim_frame {
    int32_t replicate;
    qisim_frame_value *values;
    size_t n_values, cap_values;
    qisim_frame_event *events;
    size_t n_events, cap_events;
    qisim_frame_entity *entities;  /* entities.csv rows (replicate 0's world) */
    size_t n_entities, cap_entities;
    qisim_frame_membership *members;
    size_t n_members, cap_members;
    uint32_t *names[QISIM_FRAME_LEVELS]; /* per level (enum qisim_level), per id: offset into text */
    int32_t n_names[QISIM_FRAME_LEVELS], cap_names[QISIM_FRAME_LEVELS];
    char *text;                    /* NUL-terminated strings */
    size_t text_len, text_cap;
} qisim_frame;

void qisim_frame_init(qisim_frame *f, int32_t replicate);
/* Frees the arrays and zeroes f (safe twice and on a zeroed frame). */
void qisim_frame_free(qisim_frame *f);

/* Appends a row. QISIM_ENOMEM (err says so) when memory runs out; f is unchanged then. */
int qisim_frame_add_value(qisim_frame *f, int32_t week, int32_t level, int32_t entity, int32_t metric, double value,
                          qisim_err *err);
int qisim_frame_add_event(qisim_frame *f, int32_t week, int32_t level, int32_t entity, const char *type,
                          const char *detail, qisim_err *err);
int qisim_frame_add_entity(qisim_frame *f, int32_t level, int32_t id, int32_t trust, int32_t region, qisim_err *err);
int qisim_frame_add_membership(qisim_frame *f, qisim_membership_kind kind, const char *group, int32_t level,
                               int32_t entity, int32_t from_week, int32_t to_week, qisim_err *err);

/* Names entity id of level (ids are named in order: id must be qisim_frame_named(f, level)). */
int qisim_frame_name(qisim_frame *f, int32_t level, int32_t id, const char *name, qisim_err *err);
/* How many ids of level have a name. */
static inline int32_t qisim_frame_named(const qisim_frame *f, int32_t level) { return f->n_names[level]; }
/* The name of entity id of level ("" when it has none); valid while f lives. */
const char *qisim_frame_entity_name(const qisim_frame *f, int32_t level, int32_t id);
/* The string at a text offset of a row (type, detail, group). */
static inline const char *qisim_frame_text(const qisim_frame *f, uint32_t at) { return f->text + at; }

/* Serialises f into a new buffer (*out, free() it; *len bytes): fixed-width fields in a fixed
 * order with no padding, so the same frame always gives the same bytes (MPI ranks ship frames). */
int qisim_frame_pack(const qisim_frame *f, char **out, size_t *len, qisim_err *err);
/* Rebuilds a frame (zeroed or freed) from qisim_frame_pack's bytes, checking every count,
 * offset, level and metric against the bytes' bounds: QISIM_EINVAL for bytes that are not a
 * frame, and f is then empty. */
int qisim_frame_unpack(qisim_frame *f, const char *bytes, size_t len, qisim_err *err);

/* ---- summaries across replicates (summary.c) ------------------------------------------------- */

/* Per week, level, entity name and metric: the mean, standard deviation, 95% interval of the
 * mean and the 2.5-97.5% range of the replicates' values (teams of several trusts that share a
 * name share a key, as their rows in summary.csv do). */
typedef struct qisim_summary qisim_summary;

qisim_summary *qisim_summary_create(void);
void qisim_summary_free(qisim_summary *s);
/* Adds one replicate's values, whole. Replicates must be added in replicate order: the result
 * is then the same whatever the number of threads. 0, or -1 when memory runs out. */
int qisim_summary_add_frame(qisim_summary *s, const qisim_frame *f);
/* Writes summary.csv through the schema: a header, then one row per key in the order keys were
 * first seen. */
void qisim_summary_write(const qisim_summary *s, FILE *fp);

/* ---- the schema: every result file's name and columns -------------------------------------- */

typedef enum qisim_table {
    QISIM_TABLE_SERIES,      /* series.csv: week,replicate,level,entity,metric,value */
    QISIM_TABLE_EVENTS,      /* events.csv: week,replicate,level,entity,event,detail,id */
    QISIM_TABLE_ENTITIES,    /* entities.csv: level,entity,id,trust,region */
    QISIM_TABLE_MEMBERSHIPS, /* memberships.csv: replicate,kind,group,level,entity,from_week,to_week,id */
    QISIM_TABLE_SUMMARY,     /* summary.csv: week,level,entity,metric,replicates,mean,sd,... */
    QISIM_TABLE_COMPARISON,  /* qisim compare --csv: level,entity,metric,week,pairing,... */
    QISIM_TABLE_COLLECTED_SERIES, /* qisim collect: run,label,seed,args,week,...,trust,region,metric,value */
    QISIM_TABLE_COLLECTED_EVENTS, /* qisim collect --events: ...,event,detail,key,value */
    QISIM_N_TABLES
} qisim_table;

/* Column positions of the tables that are read back. */
enum { QISIM_SERIES_WEEK, QISIM_SERIES_REPLICATE, QISIM_SERIES_LEVEL, QISIM_SERIES_ENTITY, QISIM_SERIES_METRIC,
       QISIM_SERIES_VALUE };
enum { QISIM_EVENT_WEEK, QISIM_EVENT_REPLICATE, QISIM_EVENT_LEVEL, QISIM_EVENT_ENTITY, QISIM_EVENT_TYPE,
       QISIM_EVENT_DETAIL, QISIM_EVENT_ID };
enum { QISIM_ENTITY_LEVEL, QISIM_ENTITY_NAME, QISIM_ENTITY_ID, QISIM_ENTITY_TRUST, QISIM_ENTITY_REGION };

/* The table's file name in a run folder ("series.csv"; NULL for compare's and collect's tables). */
const char *qisim_schema_file(qisim_table t);
/* The table's columns, and its name in messages ("series", "events file"). */
int qisim_schema_width(qisim_table t);
const char *qisim_schema_column(qisim_table t, int column);
const char *qisim_schema_what(qisim_table t);

/* Writes the table's header line. */
void qisim_schema_write_header(FILE *fp, qisim_table t);

/* Writes a frame's rows of a table (no header): series, events, entities or memberships, with
 * numbers as qisim_csv_write_number writes them. */
void qisim_schema_write_frame(FILE *fp, qisim_table t, const qisim_frame *f);

/* Writes one summary.csv row: the key, the replicates that had a value, and mean, sd, the 95%
 * interval of the mean and the 2.5-97.5% range (in that order). */
void qisim_schema_write_summary_row(FILE *fp, int32_t week, const char *level, const char *entity, const char *metric,
                                    int replicates, const double cells[6]);

/* Reads a result table from a run folder through the one CSV reader. */
typedef struct qisim_schema_reader {
    qisim_table table;
    FILE *fp;
    qisim_csv_reader csv;
    char path[4200];
    int width;       /* fields per row: the header's (events.csv older than its id column: 6) */
    char columns[256]; /* the header's columns as written ("week,replicate,..."), for messages */
} qisim_schema_reader;

/* Opens dir/<table's file> and checks its header: QISIM_EIO "cannot read PATH: why" when it
 * cannot be opened (r->fp NULL: with optional, a missing file is QISIM_OK), QISIM_EINVAL
 * "PATH:1: not a qisim WHAT (header)". On error r is safe to close. */
int qisim_schema_open(qisim_schema_reader *r, const char *dir, qisim_table t, bool optional, qisim_err *err);
/* The next row's fields into *fields: returns r->width, 0 at the end, or a negative status
 * ("PATH:LINE: expected week,replicate,..." for a row of another width). */
int qisim_schema_next(qisim_schema_reader *r, char ***fields, qisim_err *err);
/* The line the last row started on. */
static inline long qisim_schema_line(const qisim_schema_reader *r) { return r->csv.line; }
void qisim_schema_close(qisim_schema_reader *r);

/* A value field as written ("NA" is NaN, "Inf"/"-Inf", a number): false when it is not one. */
bool qisim_schema_parse_value(const char *text, double *value);

#endif
