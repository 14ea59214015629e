/* Summaries across replicates of frames' values, keyed by (week, level, entity name, metric):
 * teams of several trusts that share a name share a key, as in summary.csv's rows. */
#include "qisim/results.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qisim/metrics.h"
#include "qisim/stats.h"

typedef struct key_values {
    char *key;        /* week, level and metric (int32 each), then the entity's name and a NUL */
    size_t key_len;
    double *v;
    int n, cap;
} key_values;

struct qisim_summary {
    key_values *keys; /* in first-seen order */
    int n, cap;
    int32_t *table;   /* open addressing: index into keys, -1 empty */
    size_t table_size;
};

qisim_summary *qisim_summary_create(void)
{
    return calloc(1, sizeof(qisim_summary));
}

void qisim_summary_free(qisim_summary *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++) {
        free(s->keys[i].key);
        free(s->keys[i].v);
    }
    free(s->keys);
    free(s->table);
    free(s);
}

static uint64_t hash(const char *k, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)k[i]) * 1099511628211ULL;
    return h;
}

static int rehash(qisim_summary *s)
{
    size_t size = s->table_size ? 2 * s->table_size : 1024;
    int32_t *t = malloc(size * sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < size; i++)
        t[i] = -1;
    for (int k = 0; k < s->n; k++) {
        size_t i = hash(s->keys[k].key, s->keys[k].key_len) & (size - 1);
        while (t[i] >= 0)
            i = (i + 1) & (size - 1);
        t[i] = k;
    }
    free(s->table);
    s->table = t;
    s->table_size = size;
    return 0;
}

/* The entry for key (len bytes), created when new; NULL on no memory. */
static key_values *find_or_add(qisim_summary *s, const char *key, size_t len)
{
    if ((size_t)(s->n + 1) * 2 > s->table_size && rehash(s))
        return NULL;
    size_t i = hash(key, len) & (s->table_size - 1);
    for (; s->table[i] >= 0; i = (i + 1) & (s->table_size - 1)) {
        key_values *kv = &s->keys[s->table[i]];
        if (kv->key_len == len && memcmp(kv->key, key, len) == 0)
            return kv;
    }
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 256;
        key_values *k = realloc(s->keys, (size_t)cap * sizeof *k);
        if (!k)
            return NULL;
        s->keys = k;
        s->cap = cap;
    }
    key_values *kv = &s->keys[s->n];
    memset(kv, 0, sizeof *kv);
    kv->key = malloc(len);
    if (!kv->key)
        return NULL;
    memcpy(kv->key, key, len);
    kv->key_len = len;
    s->table[i] = s->n++;
    return kv;
}

enum { KEY_HEAD = 3 * sizeof(int32_t) };

int qisim_summary_add_frame(qisim_summary *s, const qisim_frame *f)
{
    char *key = NULL;
    size_t key_cap = 0;
    int rc = 0;
    for (size_t i = 0; i < f->n_values; i++) {
        const qisim_frame_value *v = &f->values[i];
        const char *name = qisim_frame_entity_name(f, v->level, v->entity);
        size_t key_len = KEY_HEAD + strlen(name) + 1;
        if (key_len > key_cap) {
            char *p = realloc(key, key_len);
            if (!p) {
                rc = -1;
                break;
            }
            key = p;
            key_cap = key_len;
        }
        const int32_t head[3] = {v->week, v->level, v->metric};
        memcpy(key, head, KEY_HEAD);
        memcpy(key + KEY_HEAD, name, key_len - KEY_HEAD);
        key_values *kv = find_or_add(s, key, key_len);
        if (!kv) {
            rc = -1;
            break;
        }
        if (kv->n == kv->cap) {
            int cap = kv->cap ? 2 * kv->cap : 8;
            double *p = realloc(kv->v, (size_t)cap * sizeof *p);
            if (!p) {
                rc = -1;
                break;
            }
            kv->v = p;
            kv->cap = cap;
        }
        kv->v[kv->n++] = v->value;
    }
    free(key);
    return rc;
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

void qisim_summary_write(const qisim_summary *s, FILE *fp)
{
    qisim_schema_write_header(fp, QISIM_TABLE_SUMMARY);
    double *sorted = NULL;
    int sorted_cap = 0;
    for (int k = 0; k < s->n; k++) {
        const key_values *kv = &s->keys[k];
        qisim_moments m = {0};
        for (int i = 0; i < kv->n; i++) /* over the replicates that have a value, in order */
            if (!isnan(kv->v[i]))
                qisim_moments_add(&m, kv->v[i]);
        int n = (int)m.n;
        double mean = m.mean, sd = sqrt(qisim_moments_var(&m)), half = qisim_moments_ci95(&m);
        if (n > sorted_cap) {
            double *p = realloc(sorted, (size_t)n * sizeof *p);
            if (!p)
                break;
            sorted = p;
            sorted_cap = n;
        }
        int filled = 0;
        for (int i = 0; i < kv->n; i++)
            if (!isnan(kv->v[i]))
                sorted[filled++] = kv->v[i];
        if (n > 0) /* qsort's array must not be NULL, even for no elements */
            qsort(sorted, (size_t)n, sizeof *sorted, compare_doubles);
        int32_t head[3];
        memcpy(head, kv->key, KEY_HEAD);
        double cells[6] = {n ? mean : (double)NAN, sd, mean - half, mean + half,
                           n ? percentile(sorted, n, 0.025) : (double)NAN, n ? percentile(sorted, n, 0.975) : (double)NAN};
        qisim_schema_write_summary_row(fp, head[0], qisim_level_name(head[1]), kv->key + KEY_HEAD,
                                       qisim_metric_at(head[2])->name, n, cells);
    }
    free(sorted);
}
