/* Summaries across replicates, keyed by (week, level, entity, metric) as text. */
#include "summary.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qisim/io.h"
#include "qisim/stats.h"

typedef struct key_values {
    char *key;        /* "week,level,entity,metric" as written in series.csv */
    double *v;
    int n, cap;
} key_values;

struct summary {
    key_values *keys; /* in first-seen order */
    int n, cap;
    int32_t *table;   /* open addressing: index into keys, -1 empty */
    size_t table_size;
};

summary *summary_create(void)
{
    return calloc(1, sizeof(summary));
}

void summary_free(summary *s)
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

static int rehash(summary *s)
{
    size_t size = s->table_size ? 2 * s->table_size : 1024;
    int32_t *t = malloc(size * sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < size; i++)
        t[i] = -1;
    for (int k = 0; k < s->n; k++) {
        size_t i = hash(s->keys[k].key, strlen(s->keys[k].key)) & (size - 1);
        while (t[i] >= 0)
            i = (i + 1) & (size - 1);
        t[i] = k;
    }
    free(s->table);
    s->table = t;
    s->table_size = size;
    return 0;
}

/* The entry for key (len bytes, not NUL-terminated), created when new; NULL on no memory. */
static key_values *find_or_add(summary *s, const char *key, size_t len)
{
    if ((size_t)(s->n + 1) * 2 > s->table_size && rehash(s))
        return NULL;
    size_t i = hash(key, len) & (s->table_size - 1);
    for (; s->table[i] >= 0; i = (i + 1) & (s->table_size - 1)) {
        key_values *kv = &s->keys[s->table[i]];
        if (strncmp(kv->key, key, len) == 0 && kv->key[len] == '\0')
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
    kv->key = malloc(len + 1);
    if (!kv->key)
        return NULL;
    memcpy(kv->key, key, len);
    kv->key[len] = '\0';
    s->table[i] = s->n++;
    return kv;
}

int summary_add_rows(summary *s, const char *rows, size_t len)
{
    char key[4096];
    const char *end = rows + len;
    while (rows < end) {
        const char *eol = memchr(rows, '\n', (size_t)(end - rows));
        if (!eol)
            eol = end;
        /* week , replicate , level,entity,metric , value -- the value follows the last comma
         * (entities may be quoted and hold commas, values never do) */
        const char *c1 = memchr(rows, ',', (size_t)(eol - rows));
        const char *c2 = c1 ? memchr(c1 + 1, ',', (size_t)(eol - c1 - 1)) : NULL;
        const char *last = eol;
        while (last > rows && last[-1] != ',')
            last--;
        if (c1 && c2 && last - 1 > c2) {
            size_t week_len = (size_t)(c1 - rows), rest = (size_t)(last - 1 - c2);
            if (week_len + rest < sizeof key) {
                memcpy(key, rows, week_len);
                memcpy(key + week_len, c2, rest);
                key_values *kv = find_or_add(s, key, week_len + rest);
                if (!kv)
                    return -1;
                if (kv->n == kv->cap) {
                    int cap = kv->cap ? 2 * kv->cap : 8;
                    double *v = realloc(kv->v, (size_t)cap * sizeof *v);
                    if (!v)
                        return -1;
                    kv->v = v;
                    kv->cap = cap;
                }
                kv->v[kv->n++] = strncmp(last, "NA", 2) == 0 ? (double)NAN : strtod(last, NULL);
            }
        }
        rows = eol + 1;
    }
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

void summary_write(const summary *s, FILE *fp)
{
    fputs("week,level,entity,metric,replicates,mean,sd,mean_ci95_low,mean_ci95_high,p2_5,p97_5\n", fp);
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
        qsort(sorted, (size_t)n, sizeof *sorted, compare_doubles);
        fprintf(fp, "%s,%d,", kv->key, n);
        double cells[6] = {n ? mean : (double)NAN, sd, mean - half, mean + half,
                           n ? percentile(sorted, n, 0.025) : (double)NAN, n ? percentile(sorted, n, 0.975) : (double)NAN};
        for (int c = 0; c < 6; c++) {
            qisim_csv_write_number(fp, cells[c]);
            fputc(c < 5 ? ',' : '\n', fp);
        }
    }
    free(sorted);
}
