/* The one schema of the result files: their names and columns, written from frames and read
 * back (through the one CSV reader) only here. */
#include "qisim/results.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qisim/metrics.h"
#include "qisim/world.h"

typedef struct table_desc {
    const char *file, *what;
    const char *columns[18];
} table_desc;

static const table_desc tables[QISIM_N_TABLES] = {
    [QISIM_TABLE_SERIES] = {"series.csv", "series", {"week", "replicate", "level", "entity", "metric", "value"}},
    [QISIM_TABLE_EVENTS] = {"events.csv",
                            "events file",
                            {"week", "replicate", "level", "entity", "event", "detail", "id"}},
    [QISIM_TABLE_ENTITIES] = {"entities.csv", "entities file", {"level", "entity", "id", "trust", "region"}},
    [QISIM_TABLE_MEMBERSHIPS] = {"memberships.csv",
                                 "memberships file",
                                 {"replicate", "kind", "group", "level", "entity", "from_week", "to_week", "id"}},
    [QISIM_TABLE_SUMMARY] = {"summary.csv",
                             "summary",
                             {"week", "level", "entity", "metric", "replicates", "mean", "sd", "mean_ci95_low",
                              "mean_ci95_high", "p2_5", "p97_5"}},
    [QISIM_TABLE_COMPARISON] = {NULL,
                                "comparison",
                                {"level", "entity", "metric", "week", "pairing", "replicates_a", "replicates_b",
                                 "pairs", "mean_a", "mean_b", "difference", "ci95_low", "ci95_high", "effect_size",
                                 "unit", "better", "reading"}},
    [QISIM_TABLE_COLLECTED_SERIES] = {NULL,
                                      "collected series",
                                      {"run", "label", "seed", "args", "week", "replicate", "level", "entity", "trust",
                                       "region", "metric", "value"}},
    [QISIM_TABLE_COLLECTED_EVENTS] = {NULL,
                                      "collected events",
                                      {"run", "label", "seed", "args", "week", "replicate", "level", "entity", "trust",
                                       "region", "event", "detail", "key", "value"}},
};

static const char *const member_kinds[QISIM_N_MEMBER_KINDS] = {"collaborative", "peer_network", "exemplar_partner"};

const char *qisim_schema_file(qisim_table t) { return tables[t].file; }
const char *qisim_schema_what(qisim_table t) { return tables[t].what; }

int qisim_schema_width(qisim_table t)
{
    int n = 0;
    while (n < (int)(sizeof tables[t].columns / sizeof tables[t].columns[0]) && tables[t].columns[n])
        n++;
    return n;
}

const char *qisim_schema_column(qisim_table t, int column)
{
    return column >= 0 && column < qisim_schema_width(t) ? tables[t].columns[column] : NULL;
}

/* The first n columns, joined by commas. */
static void write_columns(FILE *fp, qisim_table t, int n)
{
    for (int k = 0; k < n; k++) {
        fputs(tables[t].columns[k], fp);
        if (k + 1 < n)
            fputc(',', fp);
    }
}

void qisim_schema_write_header(FILE *fp, qisim_table t)
{
    write_columns(fp, t, qisim_schema_width(t));
    fputc('\n', fp);
}

/* "week,replicate,level,entity," — how a series row and an event row begin. */
static void write_row_start(FILE *fp, const qisim_frame *f, int32_t week, int32_t level, int32_t entity)
{
    qisim_csv_write_integer(fp, week);
    fputc(',', fp);
    qisim_csv_write_integer(fp, f->replicate);
    fputc(',', fp);
    fputs(qisim_level_name(level), fp);
    fputc(',', fp);
    qisim_csv_write_text(fp, qisim_frame_entity_name(f, level, entity));
    fputc(',', fp);
}

static void write_series(FILE *fp, const qisim_frame *f)
{
    for (size_t i = 0; i < f->n_values; i++) {
        const qisim_frame_value *v = &f->values[i];
        write_row_start(fp, f, v->week, v->level, v->entity);
        fputs(qisim_metric_at(v->metric)->name, fp);
        fputc(',', fp);
        qisim_csv_write_number(fp, v->value);
        fputc('\n', fp);
    }
}

/* The entity's id last: teams of two trusts may share a name. */
static void write_events(FILE *fp, const qisim_frame *f)
{
    for (size_t i = 0; i < f->n_events; i++) {
        const qisim_frame_event *e = &f->events[i];
        write_row_start(fp, f, e->week, e->level, e->entity);
        fputs(qisim_frame_text(f, e->type), fp);
        fputc(',', fp);
        qisim_csv_write_text(fp, qisim_frame_text(f, e->detail));
        fputc(',', fp);
        qisim_csv_write_integer(fp, e->entity);
        fputc('\n', fp);
    }
}

static void write_entities(FILE *fp, const qisim_frame *f)
{
    for (size_t i = 0; i < f->n_entities; i++) {
        const qisim_frame_entity *e = &f->entities[i];
        fputs(qisim_level_name(e->level), fp);
        fputc(',', fp);
        qisim_csv_write_text(fp, qisim_frame_entity_name(f, e->level, e->id));
        fputc(',', fp);
        qisim_csv_write_integer(fp, e->id);
        fputc(',', fp);
        if (e->trust >= 0)
            qisim_csv_write_text(fp, qisim_frame_entity_name(f, QISIM_LEVEL_TRUST, e->trust));
        fputc(',', fp);
        if (e->region >= 0)
            qisim_csv_write_text(fp, qisim_frame_entity_name(f, QISIM_LEVEL_REGION, e->region));
        fputc('\n', fp);
    }
}

static void write_memberships(FILE *fp, const qisim_frame *f)
{
    for (size_t i = 0; i < f->n_members; i++) {
        const qisim_frame_membership *m = &f->members[i];
        qisim_csv_write_integer(fp, f->replicate);
        fputc(',', fp);
        fputs(member_kinds[m->kind], fp);
        fputc(',', fp);
        qisim_csv_write_text(fp, qisim_frame_text(f, m->group));
        fputc(',', fp);
        fputs(qisim_level_name(m->level), fp);
        fputc(',', fp);
        qisim_csv_write_text(fp, qisim_frame_entity_name(f, m->level, m->entity));
        fputc(',', fp);
        qisim_csv_write_integer(fp, m->from_week);
        fputc(',', fp);
        if (m->to_week >= 0)
            qisim_csv_write_integer(fp, m->to_week);
        fputc(',', fp);
        qisim_csv_write_integer(fp, m->entity);
        fputc('\n', fp);
    }
}

void qisim_schema_write_frame(FILE *fp, qisim_table t, const qisim_frame *f)
{
    switch (t) {
    case QISIM_TABLE_SERIES: write_series(fp, f); break;
    case QISIM_TABLE_EVENTS: write_events(fp, f); break;
    case QISIM_TABLE_ENTITIES: write_entities(fp, f); break;
    case QISIM_TABLE_MEMBERSHIPS: write_memberships(fp, f); break;
    default: break; /* summaries and comparisons are not a replicate's */
    }
}

void qisim_schema_write_summary_row(FILE *fp, int32_t week, const char *level, const char *entity, const char *metric,
                                    int replicates, const double cells[6])
{
    qisim_csv_write_integer(fp, week);
    fputc(',', fp);
    qisim_csv_write_text(fp, level);
    fputc(',', fp);
    qisim_csv_write_text(fp, entity);
    fputc(',', fp);
    qisim_csv_write_text(fp, metric);
    fputc(',', fp);
    qisim_csv_write_integer(fp, replicates);
    fputc(',', fp);
    for (int c = 0; c < 6; c++) {
        qisim_csv_write_number(fp, cells[c]);
        fputc(c < 5 ? ',' : '\n', fp);
    }
}

/* ---- reading result files back ------------------------------------------------------------- */

int qisim_schema_open(qisim_schema_reader *r, const char *dir, qisim_table t, bool optional, qisim_err *err)
{
    memset(r, 0, sizeof *r);
    r->table = t;
    snprintf(r->path, sizeof r->path, "%s/%s", dir, tables[t].file);
    r->fp = fopen(r->path, "rb");
    if (!r->fp)
        return optional && errno == ENOENT ? QISIM_OK
                                           : qisim_err_set(err, QISIM_EIO, "cannot read %s: %s", r->path, strerror(errno));
    qisim_csv_reader_file(&r->csv, r->fp, r->path);
    char **f;
    int n = qisim_csv_read(&r->csv, &f, err), width = qisim_schema_width(t);
    if (n < 0)
        return n;
    /* an events.csv older than its id column has the first six */
    bool ok = n == width || (t == QISIM_TABLE_EVENTS && n == QISIM_EVENT_ID);
    for (int k = 0; ok && k < n; k++)
        ok = strcmp(f[k], tables[t].columns[k]) == 0;
    if (!ok)
        return qisim_err_set(err, QISIM_EINVAL, "%s:1: not a qisim %s (header)", r->path, tables[t].what);
    r->width = n;
    for (int k = 0; k < n; k++) {
        size_t used = strlen(r->columns);
        snprintf(r->columns + used, sizeof r->columns - used, "%s%s", k ? "," : "", tables[t].columns[k]);
    }
    return QISIM_OK;
}

int qisim_schema_next(qisim_schema_reader *r, char ***fields, qisim_err *err)
{
    if (!r->fp)
        return 0;
    int n = qisim_csv_read(&r->csv, fields, err);
    if (n <= 0 || n == r->width)
        return n;
    return qisim_err_set(err, QISIM_EINVAL, "%s:%ld: expected %s", r->path, r->csv.line, r->columns);
}

void qisim_schema_close(qisim_schema_reader *r)
{
    qisim_csv_reader_free(&r->csv);
    if (r->fp)
        fclose(r->fp);
    r->fp = NULL;
}

bool qisim_schema_parse_value(const char *text, double *value)
{
    if (strcmp(text, "NA") == 0) {
        *value = (double)NAN;
        return true;
    }
    if (strcmp(text, "Inf") == 0 || strcmp(text, "-Inf") == 0) {
        *value = text[0] == '-' ? -(double)INFINITY : (double)INFINITY;
        return true;
    }
    char *end;
    *value = strtod(text, &end);
    return end != text && *end == '\0';
}
