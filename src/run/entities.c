/* entities.csv read back: a result row's entity, trust and region, also for teams that share a name. */
#include "qisim/entities.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qisim/results.h"

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static int compare_names(const char *level_a, const char *name_a, const char *level_b, const char *name_b)
{
    int c = strcmp(level_a, level_b);
    return c ? c : strcmp(name_a, name_b);
}

static int compare_ids(long a, long b) { return (a > b) - (a < b); }

/* By level and name, then id: the teams that share a name stay in id order. */
static int by_name(const void *a, const void *b)
{
    const qisim_entity_row *x = a, *y = b;
    int c = compare_names(x->level, x->name, y->level, y->name);
    return c ? c : compare_ids(x->id, y->id);
}

static int by_id(const void *a, const void *b)
{
    const qisim_entity_row *x = *(qisim_entity_row *const *)a, *y = *(qisim_entity_row *const *)b;
    int c = strcmp(x->level, y->level);
    return c ? c : compare_ids(x->id, y->id);
}

void qisim_entities_free(qisim_entities *e)
{
    for (int i = 0; i < e->n; i++) {
        free(e->rows[i].level);
        free(e->rows[i].name);
        free(e->rows[i].trust);
        free(e->rows[i].region);
    }
    free(e->rows);
    free(e->by_id);
    memset(e, 0, sizeof *e);
}

int qisim_entities_read(const char *dir, qisim_entities *e, qisim_err *err)
{
    memset(e, 0, sizeof *e);
    qisim_schema_reader r;
    int rc = qisim_schema_open(&r, dir, QISIM_TABLE_ENTITIES, true, err), n, cap = 0;
    const char *path = r.path;
    char **fld;
    while (!rc && (n = qisim_schema_next(&r, &fld, err)) != 0) {
        if (n < 0) {
            rc = n;
            break;
        }
        char *end;
        errno = 0;
        long id = strtol(fld[QISIM_ENTITY_ID], &end, 10);
        if (errno || end == fld[QISIM_ENTITY_ID] || *end || id < 0) {
            rc = qisim_err_set(err, QISIM_EINVAL, "%s:%ld: id '%.40s' is not a whole number", path, qisim_schema_line(&r),
                               fld[QISIM_ENTITY_ID]);
            break;
        }
        if (e->n == cap) {
            cap = cap ? 2 * cap : 256;
            qisim_entity_row *p = realloc(e->rows, (size_t)cap * sizeof *p);
            if (!p) {
                rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", path);
                break;
            }
            e->rows = p;
        }
        qisim_entity_row *row = &e->rows[e->n++];
        *row = (qisim_entity_row){dup_text(fld[QISIM_ENTITY_LEVEL]), dup_text(fld[QISIM_ENTITY_NAME]),
                                  dup_text(fld[QISIM_ENTITY_TRUST]), dup_text(fld[QISIM_ENTITY_REGION]), id, 1};
        if (!row->level || !row->name || !row->trust || !row->region)
            rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", path);
    }
    qisim_schema_close(&r);
    if (!rc && e->n) {
        qsort(e->rows, (size_t)e->n, sizeof *e->rows, by_name);
        for (int i = 0, j; i < e->n; i = j) { /* count each run of one level and name */
            for (j = i + 1; j < e->n && !compare_names(e->rows[i].level, e->rows[i].name, e->rows[j].level, e->rows[j].name);)
                j++;
            for (int k = i; k < j; k++)
                e->rows[k].shared = j - i;
        }
        if (!(e->by_id = malloc((size_t)e->n * sizeof *e->by_id)))
            rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", path);
        for (int i = 0; !rc && i < e->n; i++)
            e->by_id[i] = &e->rows[i];
        if (!rc)
            qsort(e->by_id, (size_t)e->n, sizeof *e->by_id, by_id);
        for (int i = 1; !rc && i < e->n; i++)
            if (!by_id(&e->by_id[i - 1], &e->by_id[i]))
                rc = qisim_err_set(err, QISIM_EINVAL, "%s: two %s rows with id %ld: not a qisim entities file", path,
                                   e->by_id[i]->level, e->by_id[i]->id);
    }
    if (rc)
        qisim_entities_free(e);
    return rc;
}

/* The index of the first row with this level and name (or where it would be). */
static int first_named(const qisim_entities *e, const char *level, const char *name)
{
    int lo = 0, hi = e->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (compare_names(e->rows[mid].level, e->rows[mid].name, level, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const qisim_entity_row *qisim_entities_named(const qisim_entities *e, const char *level, const char *name)
{
    int i = first_named(e, level, name);
    return i < e->n && !compare_names(e->rows[i].level, e->rows[i].name, level, name) ? &e->rows[i] : NULL;
}

const qisim_entity_row *qisim_entities_by_id(const qisim_entities *e, const char *level, long id)
{
    qisim_entity_row key = {(char *)level, NULL, NULL, NULL, id, 0}, *k = &key;
    qisim_entity_row **found = e->n ? bsearch(&k, e->by_id, (size_t)e->n, sizeof *e->by_id, by_id) : NULL;
    return found ? *found : NULL;
}

const qisim_entity_row *qisim_entities_of_event(const qisim_entities *e, const char *level, const char *name, long id)
{
    const qisim_entity_row *row = id >= 0 ? qisim_entities_by_id(e, level, id) : qisim_entities_named(e, level, name);
    if (row && (strcmp(row->name, name) || (id < 0 && row->shared > 1)))
        return NULL;
    return row;
}

/* How many rows of one shared name and metric the current week has had. */
struct qisim_series_seen {
    const qisim_entity_row *group;
    char metric[64];
    int count;
};

const qisim_entity_row *qisim_series_order_entity(const qisim_entities *e, qisim_series_order *o, const char *week,
                                                  const char *replicate, const char *level, const char *name,
                                                  const char *metric)
{
    const qisim_entity_row *first = qisim_entities_named(e, level, name);
    if (!first || first->shared < 2)
        return first;
    if (strcmp(o->week, week) || strcmp(o->replicate, replicate)) {
        snprintf(o->week, sizeof o->week, "%s", week);
        snprintf(o->replicate, sizeof o->replicate, "%s", replicate);
        o->n = 0;
    }
    int i = 0;
    while (i < o->n && (o->seen[i].group != first || strcmp(o->seen[i].metric, metric)))
        i++;
    if (i == o->n) {
        if (o->n == o->cap) {
            int cap = o->cap ? 2 * o->cap : 16;
            struct qisim_series_seen *p = realloc(o->seen, (size_t)cap * sizeof *p);
            if (!p)
                return NULL; /* no memory to count with: none rather than a wrong one */
            o->seen = p;
            o->cap = cap;
        }
        o->seen[o->n] = (struct qisim_series_seen){.group = first, .count = 0};
        snprintf(o->seen[o->n].metric, sizeof o->seen[o->n].metric, "%s", metric);
        o->n++;
    }
    int k = o->seen[i].count++;
    return k < first->shared ? first + k : NULL;
}

void qisim_series_order_free(qisim_series_order *o)
{
    free(o->seen);
    memset(o, 0, sizeof *o);
}

void qisim_entities_label(const qisim_entity_row *row, const char *name, char *out, size_t size)
{
    if (row && row->shared > 1)
        snprintf(out, size, "%s / %s", row->trust, row->name);
    else
        snprintf(out, size, "%s", row ? row->name : name);
}

int qisim_entities_check_labels(const qisim_entities *e, const char *dir, qisim_err *err)
{
    char label[600];
    for (int i = 0; i < e->n; i++) {
        if (e->rows[i].shared < 2)
            continue;
        qisim_entities_label(&e->rows[i], NULL, label, sizeof label);
        if (qisim_entities_named(e, e->rows[i].level, label))
            return qisim_err_set(err, QISIM_EINVAL,
                                 "%s/entities.csv: the %s '%.100s' of %.100s would be named '%.200s', the name of another %s",
                                 dir, e->rows[i].level, e->rows[i].name, e->rows[i].trust, label, e->rows[i].level);
    }
    return QISIM_OK;
}
