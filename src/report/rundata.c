/* Reads a run folder back (series summarised across replicates, events, manifest, scenario header). */
#include "qisim/report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qisim/entities.h"
#include "qisim/io.h"
#include "qisim/results.h"
#include "qisim/stats.h"

enum { MAX_TEXT_FILE = 16 << 20 };

/* The whole of a small text file (NUL-terminated); *text NULL with QISIM_OK when it does not
 * exist and optional is true. */
static int read_text(const char *path, bool optional, char **text, size_t *len, qisim_err *err)
{
    *text = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (optional && errno == ENOENT)
            return QISIM_OK;
        return qisim_err_set(err, QISIM_EIO, "cannot read %s: %s", path, strerror(errno));
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    int rc = QISIM_OK;
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                rc = qisim_err_set(err, QISIM_EIO, "cannot read %s", path);
            break;
        }
        if (n == cap) {
            if (cap >= MAX_TEXT_FILE) {
                rc = qisim_err_set(err, QISIM_ELIMIT, "%s is larger than 16 MiB", path);
                break;
            }
            cap *= 2;
            char *p = realloc(buf, cap + 1);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
        }
    }
    fclose(f);
    if (!buf)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", path);
    if (rc) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return QISIM_OK;
}

/* A series while it is read: per point the values of each replicate. */
typedef struct building {
    double **v;
    int **rep;        /* the replicate of each value */
    int *nv, *capv;
    int cap;
} building;

typedef struct loader {
    qisim_run_data *d;
    building *b;
    int cap;
    int32_t *table;   /* open addressing over d->series: index, -1 empty */
    size_t table_size;
} loader;

static uint64_t hash3(const char *a, const char *b, const char *c)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a over the three names and their ends */
    const char *parts[3] = {a, b, c};
    for (int k = 0; k < 3; k++) {
        for (const char *p = parts[k]; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        h = (h ^ 0xffu) * 1099511628211ULL;
    }
    return h;
}

static size_t slot(const loader *l, const char *level, const char *entity, const char *metric)
{
    size_t i = hash3(level, entity, metric) & (l->table_size - 1);
    for (; l->table[i] >= 0; i = (i + 1) & (l->table_size - 1)) {
        const qisim_run_series *s = &l->d->series[l->table[i]];
        if (!strcmp(s->metric, metric) && !strcmp(s->entity, entity) && !strcmp(s->level, level))
            break;
    }
    return i;
}

static int grow_table(loader *l)
{
    size_t size = l->table_size ? 2 * l->table_size : 1024;
    int32_t *t = malloc(size * sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < size; i++)
        t[i] = -1;
    free(l->table);
    l->table = t;
    l->table_size = size;
    for (int k = 0; k < l->d->n_series; k++) {
        const qisim_run_series *s = &l->d->series[k];
        l->table[slot(l, s->level, s->entity, s->metric)] = k;
    }
    return 0;
}

/* The index of the series, added when new; -1 on no memory. */
static int series_index(loader *l, const char *level, const char *entity, const char *metric)
{
    if ((size_t)(l->d->n_series + 1) * 2 > l->table_size && grow_table(l))
        return -1;
    size_t i = slot(l, level, entity, metric);
    if (l->table[i] >= 0)
        return l->table[i];
    qisim_run_data *d = l->d;
    if (d->n_series == l->cap) {
        int cap = l->cap ? 2 * l->cap : 64;
        qisim_run_series *s = realloc(d->series, (size_t)cap * sizeof *s);
        if (s)
            d->series = s;
        building *b = realloc(l->b, (size_t)cap * sizeof *b);
        if (b)
            l->b = b;
        if (!s || !b)
            return -1;
        l->cap = cap;
    }
    qisim_run_series *s = &d->series[d->n_series];
    memset(s, 0, sizeof *s);
    memset(&l->b[d->n_series], 0, sizeof l->b[0]);
    snprintf(s->level, sizeof s->level, "%s", level);
    snprintf(s->entity, sizeof s->entity, "%s", entity);
    snprintf(s->metric, sizeof s->metric, "%s", metric);
    l->table[i] = d->n_series;
    return d->n_series++;
}

/* Adds value x of replicate rep at week to series k (points kept in week order). */
static int add_value(loader *l, int k, int32_t week, int32_t rep, double x)
{
    qisim_run_series *s = &l->d->series[k];
    building *b = &l->b[k];
    int lo = 0, hi = s->n; /* the first point with week >= week */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (s->week[mid] < week)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == s->n || s->week[lo] != week) {
        if (s->n == b->cap) {
            int cap = b->cap ? 2 * b->cap : 64;
            int32_t *w = realloc(s->week, (size_t)cap * sizeof *w);
            if (w)
                s->week = w;
            double **v = realloc(b->v, (size_t)cap * sizeof *v);
            if (v)
                b->v = v;
            int **rv = realloc(b->rep, (size_t)cap * sizeof *rv);
            if (rv)
                b->rep = rv;
            int *nv = realloc(b->nv, (size_t)cap * sizeof *nv);
            if (nv)
                b->nv = nv;
            int *cv = realloc(b->capv, (size_t)cap * sizeof *cv);
            if (cv)
                b->capv = cv;
            if (!w || !v || !rv || !nv || !cv)
                return -1;
            b->cap = cap;
        }
        int tail = s->n - lo;
        memmove(s->week + lo + 1, s->week + lo, (size_t)tail * sizeof *s->week);
        memmove(b->v + lo + 1, b->v + lo, (size_t)tail * sizeof *b->v);
        memmove(b->rep + lo + 1, b->rep + lo, (size_t)tail * sizeof *b->rep);
        memmove(b->nv + lo + 1, b->nv + lo, (size_t)tail * sizeof *b->nv);
        memmove(b->capv + lo + 1, b->capv + lo, (size_t)tail * sizeof *b->capv);
        s->week[lo] = week;
        b->v[lo] = NULL;
        b->rep[lo] = NULL;
        b->nv[lo] = b->capv[lo] = 0;
        s->n++;
    }
    if (isnan(x))
        return 0;
    if (b->nv[lo] == b->capv[lo]) {
        int cap = b->capv[lo] ? 2 * b->capv[lo] : 8;
        double *v = realloc(b->v[lo], (size_t)cap * sizeof *v);
        if (v)
            b->v[lo] = v;
        int *rv = realloc(b->rep[lo], (size_t)cap * sizeof *rv);
        if (rv)
            b->rep[lo] = rv;
        if (!v || !rv)
            return -1;
        b->capv[lo] = cap;
    }
    b->rep[lo][b->nv[lo]] = rep;
    b->v[lo][b->nv[lo]++] = x;
    return 0;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(const double *sorted, int n, double q)
{
    double pos = q * (n - 1);
    int lo = (int)floor(pos), hi = lo + 1 < n ? lo + 1 : lo;
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/* Turns the collected values into the summary columns (as summary.csv computes them), and
 * keeps each point's values by replicate (of `replicates`). */
static int finish_series(qisim_run_series *s, building *b, int replicates)
{
    size_t n = (size_t)(s->n ? s->n : 1);
    s->reps = malloc(n * sizeof *s->reps);
    s->rep_value = calloc(n, sizeof *s->rep_value);
    double **cols[5] = {&s->mean, &s->ci_lo, &s->ci_hi, &s->p_lo, &s->p_hi};
    bool ok = s->reps && s->rep_value;
    for (int c = 0; c < 5; c++)
        ok = (*cols[c] = malloc(n * sizeof(double))) != NULL && ok;
    for (int p = 0; ok && p < s->n; p++) {
        ok = (s->rep_value[p] = malloc((size_t)replicates * sizeof(double))) != NULL;
        for (int r = 0; ok && r < replicates; r++)
            s->rep_value[p][r] = (double)NAN;
        for (int i = 0; ok && i < b->nv[p]; i++)
            s->rep_value[p][b->rep[p][i]] = b->v[p][i];
    }
    if (!ok)
        return -1;
    for (int p = 0; p < s->n; p++) {
        qisim_moments m = {0};
        for (int i = 0; i < b->nv[p]; i++)
            qisim_moments_add(&m, b->v[p][i]);
        double half = qisim_moments_ci95(&m);
        s->reps[p] = (int)m.n;
        s->mean[p] = m.n ? m.mean : (double)NAN;
        s->ci_lo[p] = s->mean[p] - half;
        s->ci_hi[p] = s->mean[p] + half;
        if (m.n) {
            qsort(b->v[p], (size_t)m.n, sizeof(double), compare_doubles);
            s->p_lo[p] = percentile(b->v[p], (int)m.n, 0.025);
            s->p_hi[p] = percentile(b->v[p], (int)m.n, 0.975);
        } else {
            s->p_lo[p] = s->p_hi[p] = (double)NAN;
        }
    }
    return 0;
}

static bool parse_week(const char *text, int32_t *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < 0 || v > 100000000)
        return false;
    *out = (int32_t)v;
    return true;
}

static bool fits(const char *s, size_t size) { return strlen(s) < size; }

/* A team whose name teams of several trusts share is its own series, named "TRUST / TEAM"
 * (qisim_entities_label): its rows are told apart by order (qisim_series_order_entity). */
static int read_series(loader *l, const char *dir, const qisim_entities *ent, qisim_err *err)
{
    enum { WEEK = QISIM_SERIES_WEEK, REP = QISIM_SERIES_REPLICATE, LEVEL = QISIM_SERIES_LEVEL,
           ENTITY = QISIM_SERIES_ENTITY, METRIC = QISIM_SERIES_METRIC, VALUE = QISIM_SERIES_VALUE };
    qisim_schema_reader r;
    int rc = qisim_schema_open(&r, dir, QISIM_TABLE_SERIES, false, err), n;
    const char *path = r.path;
    char **fld, name[sizeof l->d->series->entity + 1];
    qisim_series_order order = {0};
    while (!rc && (n = qisim_schema_next(&r, &fld, err)) != 0) {
        if (n < 0) {
            rc = n;
            break;
        }
        int32_t week, rep;
        if (!parse_week(fld[WEEK], &week) || !parse_week(fld[REP], &rep)) {
            rc = qisim_err_set(err, QISIM_EINVAL, "%s:%ld: expected %s", path, qisim_schema_line(&r), r.columns);
            break;
        }
        /* the replicate sizes each point's array: qisim writes replicate r after at least r rows */
        if (rep > qisim_schema_line(&r)) {
            rc = qisim_err_set(err, QISIM_EINVAL, "%s:%ld: replicate %ld before its rows: not a qisim series", path,
                               qisim_schema_line(&r), (long)rep);
            break;
        }
        /* a name cut short by the buffer fails the length check below */
        qisim_entities_label(
            qisim_series_order_entity(ent, &order, fld[WEEK], fld[REP], fld[LEVEL], fld[ENTITY], fld[METRIC]), fld[ENTITY],
            name, sizeof name);
        if (!fits(fld[LEVEL], sizeof l->d->series->level) || !fits(name, sizeof l->d->series->entity) ||
            !fits(fld[METRIC], sizeof l->d->series->metric)) {
            rc = qisim_err_set(err, QISIM_EINVAL, "%s:%ld: a name is too long for a qisim series", path,
                               qisim_schema_line(&r));
            break;
        }
        double x;
        if (!qisim_schema_parse_value(fld[VALUE], &x)) {
            rc = qisim_err_set(err, QISIM_EINVAL, "%s:%ld: value '%.40s' is not a number", path, qisim_schema_line(&r),
                               fld[VALUE]);
            break;
        }
        int k = series_index(l, fld[LEVEL], name, fld[METRIC]);
        if (k < 0 || add_value(l, k, week, rep, x)) {
            rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", path);
            break;
        }
        if (rep + 1 > l->d->replicates)
            l->d->replicates = rep + 1;
        if (week > l->d->last_week)
            l->d->last_week = week;
    }
    qisim_series_order_free(&order);
    qisim_schema_close(&r);
    if (!rc && l->d->n_series == 0)
        rc = qisim_err_set(err, QISIM_EINVAL, "%s has no rows: nothing was recorded", path);
    return rc;
}

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static int count_event(qisim_run_data *d, const char *event)
{
    for (int i = 0; i < d->n_event_counts; i++)
        if (!strcmp(d->event_counts[i].event, event)) {
            d->event_counts[i].count++;
            return 0;
        }
    if (d->n_event_counts >= 256)
        return 0; /* qisim has a few dozen kinds; more is not worth a table */
    qisim_run_event_count *c = realloc(d->event_counts, (size_t)(d->n_event_counts + 1) * sizeof *c);
    if (!c)
        return -1;
    d->event_counts = c;
    snprintf(c[d->n_event_counts].event, sizeof c->event, "%s", event);
    c[d->n_event_counts++].count = 1;
    return 0;
}

/* An event's entity is named as its series are: "TRUST / TEAM" for a shared team name, found by
 * the id column (a run without it: the name alone). */
static int read_events(qisim_run_data *d, const char *dir, const qisim_entities *ent, qisim_err *err)
{
    qisim_schema_reader r;
    /* a run older than the id column has six (r.width) */
    int rc = qisim_schema_open(&r, dir, QISIM_TABLE_EVENTS, true, err), n, cap = 0;
    const char *path = r.path;
    char **fld;
    while (!rc && (n = qisim_schema_next(&r, &fld, err)) != 0) {
        int32_t week, rep;
        if (n < 0) {
            rc = n;
            break;
        }
        int32_t id = -1;
        if (!parse_week(fld[QISIM_EVENT_WEEK], &week) || !parse_week(fld[QISIM_EVENT_REPLICATE], &rep) ||
            !fits(fld[QISIM_EVENT_LEVEL], sizeof d->events->level) ||
            (n > QISIM_EVENT_ID && !parse_week(fld[QISIM_EVENT_ID], &id))) {
            rc = qisim_err_set(err, QISIM_EINVAL, "%s:%ld: expected %s", path, qisim_schema_line(&r), r.columns);
            break;
        }
        d->events_total++;
        if (count_event(d, fld[QISIM_EVENT_TYPE])) {
            rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", path);
            break;
        }
        if (rep != 0 || d->n_events >= QISIM_RUN_MAX_EVENTS)
            continue;
        if (d->n_events == cap) {
            cap = cap ? 2 * cap : 64;
            qisim_run_event *e = realloc(d->events, (size_t)cap * sizeof *e);
            if (!e) {
                rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", path);
                break;
            }
            d->events = e;
        }
        qisim_run_event *e = &d->events[d->n_events];
        e->week = week;
        e->id = id;
        snprintf(e->level, sizeof e->level, "%s", fld[QISIM_EVENT_LEVEL]);
        char name[600];
        qisim_entities_label(qisim_entities_of_event(ent, fld[QISIM_EVENT_LEVEL], fld[QISIM_EVENT_ENTITY], id),
                             fld[QISIM_EVENT_ENTITY], name, sizeof name);
        e->entity = dup_text(name);
        e->event = dup_text(fld[QISIM_EVENT_TYPE]);
        e->detail = dup_text(fld[QISIM_EVENT_DETAIL]);
        d->n_events++;
        if (!e->entity || !e->event || !e->detail)
            rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", path);
    }
    qisim_schema_close(&r);
    return rc;
}

/* The opening comment of a Lua scenario: its leading "--" lines, without the dashes. */
static char *scenario_header(const char *text)
{
    size_t cap = strlen(text) + 1, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len < 2 || p[0] != '-' || p[1] != '-')
            break;
        const char *body = p + 2;
        size_t blen = len - 2;
        if (blen && *body == ' ') {
            body++;
            blen--;
        }
        memcpy(out + n, body, blen);
        n += blen;
        out[n++] = '\n';
        p = eol ? eol + 1 : p + len;
    }
    out[n] = '\0';
    return out;
}

static int read_manifest(qisim_run_data *d, const char *dir, qisim_err *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    int rc = read_text(path, true, &d->manifest, &d->manifest_len, err);
    if (rc || !d->manifest)
        return rc;
    uint64_t seed;
    bool found;
    if (qisim_json_find_u64(d->manifest, d->manifest_len, "seed", &seed, &found) != QISIM_OK)
        return qisim_err_set(err, QISIM_EINVAL, "%s is not one valid JSON object: not a qisim manifest", path);
    static const char *const scenario_path[] = {"scenario", "path"}, *const scenario_sha[] = {"scenario", "sha256"};
    char sha[80] = "";
    qisim_json_find_string(d->manifest, d->manifest_len, scenario_path, 2, d->scenario_path, sizeof d->scenario_path, &found);
    qisim_json_find_string(d->manifest, d->manifest_len, scenario_sha, 2, sha, sizeof sha, &found);
    static const char *const label[] = {"label"};
    qisim_json_find_string(d->manifest, d->manifest_len, label, 1, d->label, sizeof d->label, &found);
    if (!d->scenario_path[0])
        return QISIM_OK;
    /* The scenario is optional here: a report of a run made elsewhere still has its data. Only
     * a regular file: a manifest naming a FIFO or a device must not hang or flood the report. */
    char *text;
    size_t len;
    qisim_err ignore;
    struct stat st;
    if (stat(d->scenario_path, &st) != 0 || !S_ISREG(st.st_mode) ||
        read_text(d->scenario_path, true, &text, &len, &ignore) != QISIM_OK || !text)
        return QISIM_OK;
    char hex[65];
    if (qisim_sha256_file(d->scenario_path, hex, &ignore) == QISIM_OK && found)
        d->scenario_changed = strcmp(hex, sha) != 0;
    d->scenario_header = scenario_header(text);
    free(text);
    return d->scenario_header ? QISIM_OK : qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", d->scenario_path);
}

int qisim_run_load(const char *dir, qisim_run_data *d, qisim_err *err)
{
    memset(d, 0, sizeof *d);
    snprintf(d->dir, sizeof d->dir, "%s", dir);
    loader l = {.d = d};
    qisim_entities ent;
    int rc = qisim_entities_read(dir, &ent, err);
    if (!rc && (rc = qisim_entities_check_labels(&ent, dir, err)))
        qisim_entities_free(&ent);
    if (rc) {
        qisim_run_free(d);
        return rc;
    }
    rc = read_series(&l, dir, &ent, err);
    /* each point keeps a value per replicate: qisim writes every point of every replicate, so
     * far more slots than values read is a crafted file, refused before it costs the memory */
    double slots = 0, values = 0;
    for (int k = 0; k < d->n_series; k++)
        for (int p = 0; p < d->series[k].n; p++) {
            slots += (double)d->replicates;
            values += l.b[k].nv[p];
        }
    if (!rc && slots > 2 * values + 1024)
        rc = qisim_err_set(err, QISIM_EINVAL, "%s/series.csv: %.0f values for %.0f points of %d replicates: not a qisim series",
                           dir, values, slots / (d->replicates > 0 ? d->replicates : 1), d->replicates);
    for (int k = 0; k < d->n_series; k++) {
        if (!rc && finish_series(&d->series[k], &l.b[k], d->replicates))
            rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory summarising %s", dir);
        for (int p = 0; p < d->series[k].n; p++) {
            free(l.b[k].v[p]);
            free(l.b[k].rep[p]);
        }
        free(l.b[k].v);
        free(l.b[k].rep);
        free(l.b[k].nv);
        free(l.b[k].capv);
    }
    free(l.b);
    free(l.table);
    if (!rc)
        rc = read_events(d, dir, &ent, err);
    qisim_entities_free(&ent);
    if (!rc)
        rc = read_manifest(d, dir, err);
    if (rc)
        qisim_run_free(d);
    return rc;
}

void qisim_run_free(qisim_run_data *d)
{
    for (int k = 0; k < d->n_series; k++) {
        qisim_run_series *s = &d->series[k];
        free(s->week);
        free(s->reps);
        free(s->mean);
        free(s->ci_lo);
        free(s->ci_hi);
        free(s->p_lo);
        free(s->p_hi);
        for (int p = 0; s->rep_value && p < s->n; p++)
            free(s->rep_value[p]);
        free(s->rep_value);
    }
    free(d->series);
    for (int i = 0; i < d->n_events; i++) {
        free(d->events[i].entity);
        free(d->events[i].event);
        free(d->events[i].detail);
    }
    free(d->events);
    free(d->event_counts);
    free(d->manifest);
    free(d->scenario_header);
    memset(d, 0, sizeof *d);
}

const qisim_run_series *qisim_run_find(const qisim_run_data *d, const char *level, const char *entity,
                                        const char *metric)
{
    for (int k = 0; k < d->n_series; k++) {
        const qisim_run_series *s = &d->series[k];
        if (!strcmp(s->metric, metric) && (!entity || !strcmp(s->entity, entity)) && (!level || !strcmp(s->level, level)))
            return s;
    }
    return NULL;
}
