/* qisim collect: stacks the series of several runs into one tidy CSV with the run's label, seed and
 * arguments and each row's trust and region, so that arms concatenate without hand work. */
#include "qisim/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qisim/entities.h"
#include "qisim/io.h"
#include "qisim/results.h"

enum { MAX_MANIFEST = 16 << 20 };

typedef struct run_facts {
    char label[256], seed[32], args[2048];
    qisim_entities entities;
} run_facts;

static void free_facts(run_facts *f)
{
    qisim_entities_free(&f->entities);
    memset(f, 0, sizeof *f);
}

static int read_manifest_facts(const char *dir, run_facts *f, qisim_err *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    char name[4096]; /* the default label: the folder's own name ("results/x/" gives x) */
    snprintf(name, sizeof name, "%s", dir);
    size_t n = strlen(name);
    while (n > 1 && name[n - 1] == '/')
        name[--n] = '\0';
    const char *slash = strrchr(name, '/');
    snprintf(f->label, sizeof f->label, "%.255s", slash && slash[1] ? slash + 1 : name); /* a label is short */
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return errno == ENOENT ? QISIM_OK : qisim_err_set(err, QISIM_EIO, "cannot read %s: %s", path, strerror(errno));
    char *text = malloc(MAX_MANIFEST);
    size_t len = text ? fread(text, 1, MAX_MANIFEST, fp) : 0;
    fclose(fp);
    if (!text)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", path);
    uint64_t seed;
    bool found = false;
    int rc = QISIM_OK;
    if (len == MAX_MANIFEST || qisim_json_find_u64(text, len, "seed", &seed, &found) != QISIM_OK) {
        rc = qisim_err_set(err, QISIM_EINVAL, "%s is not one valid JSON object: not a qisim manifest", path);
    } else {
        if (found)
            snprintf(f->seed, sizeof f->seed, "%llu", (unsigned long long)seed);
        static const char *const label[] = {"label"}, *const args[] = {"args"};
        char given[256];
        if (qisim_json_find_string(text, len, label, 1, given, sizeof given, &found) == QISIM_OK && found && given[0])
            snprintf(f->label, sizeof f->label, "%s", given);
        qisim_json_find_string(text, len, args, 1, f->args, sizeof f->args, &found);
    }
    free(text);
    return rc;
}

/* One stacked row's columns up to the sixth field of the run's own row (fld: week, replicate,
 * level, entity, then metric and value, or event and detail): the run's folder, label, seed and
 * args, the row's first four fields, the entity's trust and region, and the last two fields. */
static void write_stacked(FILE *out, const char *dir, const run_facts *f, char **fld, const qisim_entity_row *e)
{
    qisim_csv_write_text(out, dir);
    fputc(',', out);
    qisim_csv_write_text(out, f->label);
    fprintf(out, ",%s,", f->seed);
    qisim_csv_write_text(out, f->args);
    fprintf(out, ",%s,%s,%s,", fld[0], fld[1], fld[2]);
    qisim_csv_write_text(out, fld[3]);
    fputc(',', out);
    qisim_csv_write_text(out, e ? e->trust : "");
    fputc(',', out);
    qisim_csv_write_text(out, e ? e->region : "");
    fputc(',', out);
    qisim_csv_write_text(out, fld[4]);
    fputc(',', out);
    qisim_csv_write_text(out, fld[5]);
}

/* Copies dir/series.csv's rows to out with the run's columns in front and trust, region added. */
static int stack_series(FILE *out, const char *dir, const run_facts *f, qisim_err *err)
{
    qisim_schema_reader r;
    int rc = qisim_schema_open(&r, dir, QISIM_TABLE_SERIES, false, err), n = 0;
    char **fld;
    qisim_series_order order = {0};
    while (!rc && (n = qisim_schema_next(&r, &fld, err)) != 0) {
        if (n < 0) {
            rc = n;
            break;
        }
        write_stacked(out, dir, f, fld,
                      qisim_series_order_entity(&f->entities, &order, fld[QISIM_SERIES_WEEK], fld[QISIM_SERIES_REPLICATE],
                                                fld[QISIM_SERIES_LEVEL], fld[QISIM_SERIES_ENTITY], fld[QISIM_SERIES_METRIC]));
        fputc('\n', out);
    }
    qisim_series_order_free(&order);
    qisim_schema_close(&r);
    return rc;
}

/* Writes one row per key=value pair of an event's detail (a value runs to the next " key="),
 * and the words before the first pair, if any, as a row with an empty key: "tier=leader
 * enrolled=79" gives (tier, leader), (enrolled, 79); "exited after 12 weeks" gives ("", that). */
static void write_detail_rows(FILE *out, const char *prefix, size_t prefix_len, const char *detail)
{
    const char *p = detail;
    bool any = false;
    while (*p) {
        /* the next token "key=" with key of [a-z0-9_] at the start or after a space */
        const char *k = p, *found = NULL;
        for (; *k; k++) {
            if (k != detail && k[-1] != ' ')
                continue;
            const char *e = k;
            while ((*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') || *e == '_')
                e++;
            if (e > k && *e == '=') {
                found = k;
                break;
            }
        }
        if (found != p) { /* words before the pair (or to the end) */
            size_t n = (size_t)((found ? found : p + strlen(p)) - p);
            while (n && p[n - 1] == ' ')
                n--;
            if (n) {
                char *text = malloc(n + 1);
                if (text) {
                    memcpy(text, p, n);
                    text[n] = '\0';
                    fwrite(prefix, 1, prefix_len, out);
                    fputs(",,", out); /* no key */
                    qisim_csv_write_text(out, text);
                    fputc('\n', out);
                    free(text);
                }
                any = true;
            }
            if (!found)
                break;
            p = found;
        }
        const char *eq = strchr(p, '=');
        const char *next = eq + 1, *end = NULL;
        for (const char *q = next; *q && !end; q++) { /* the value ends where the next " key=" starts */
            if (*q != ' ')
                continue;
            const char *e = q + 1;
            while ((*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') || *e == '_')
                e++;
            if (e > q + 1 && *e == '=')
                end = q;
        }
        if (!end)
            end = next + strlen(next);
        fwrite(prefix, 1, prefix_len, out);
        fprintf(out, ",%.*s,", (int)(eq - p), p);
        char *value = malloc((size_t)(end - next) + 1);
        if (value) {
            memcpy(value, next, (size_t)(end - next));
            value[end - next] = '\0';
            qisim_csv_write_text(out, value);
            free(value);
        }
        fputc('\n', out);
        any = true;
        p = *end ? end + 1 : end;
    }
    if (!any) { /* an empty detail: the event alone */
        fwrite(prefix, 1, prefix_len, out);
        fputs(",,\n", out);
    }
}

/* Copies dir/events.csv's rows, one per detail pair, with the run's columns in front. */
static int stack_events(FILE *out, const char *dir, const run_facts *f, qisim_err *err)
{
    qisim_schema_reader r;
    /* a run older than events.csv's id column has six (r.width) */
    int rc = qisim_schema_open(&r, dir, QISIM_TABLE_EVENTS, false, err), n = 0;
    const char *path = r.path;
    char **fld;
    char *prefix = NULL;
    size_t prefix_len = 0;
    while (!rc && (n = qisim_schema_next(&r, &fld, err)) != 0) {
        if (n < 0) {
            rc = n;
            break;
        }
        char *end = NULL;
        long id = -1;
        if (n > QISIM_EVENT_ID) {
            errno = 0;
            id = strtol(fld[QISIM_EVENT_ID], &end, 10);
            if (errno || end == fld[QISIM_EVENT_ID] || *end || id < 0) {
                rc = qisim_err_set(err, QISIM_EINVAL, "%s:%ld: id '%.40s' is not a whole number", path,
                                   qisim_schema_line(&r), fld[QISIM_EVENT_ID]);
                break;
            }
        }
        /* the row's columns up to detail, written once into memory and repeated per pair */
        free(prefix);
        FILE *m = open_memstream(&prefix, &prefix_len);
        if (!m) {
            prefix = NULL;
            rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", path);
            break;
        }
        write_stacked(m, dir, f, fld,
                      qisim_entities_of_event(&f->entities, fld[QISIM_EVENT_LEVEL], fld[QISIM_EVENT_ENTITY], id));
        fclose(m);
        write_detail_rows(out, prefix, prefix_len, fld[QISIM_EVENT_DETAIL]);
    }
    free(prefix);
    qisim_schema_close(&r);
    return rc;
}

int qisim_collect(const char *const *dirs, int n_dirs, const char *out_path, FILE *out, bool events, qisim_err *err)
{
    if (n_dirs < 1)
        return qisim_err_set(err, QISIM_EINVAL, "collect needs at least one run folder");
    qisim_outfile f = {0};
    int rc = QISIM_OK;
    if (out_path) {
        if ((rc = qisim_outfile_open(&f, out_path, err)))
            return rc;
        out = f.fp;
    }
    qisim_schema_write_header(out, events ? QISIM_TABLE_COLLECTED_EVENTS : QISIM_TABLE_COLLECTED_SERIES);
    for (int i = 0; i < n_dirs && !rc; i++) {
        run_facts facts = {0};
        rc = read_manifest_facts(dirs[i], &facts, err);
        if (!rc)
            rc = qisim_entities_read(dirs[i], &facts.entities, err);
        if (!rc)
            rc = events ? stack_events(out, dirs[i], &facts, err) : stack_series(out, dirs[i], &facts, err);
        free_facts(&facts);
    }
    if (out_path) {
        if (!rc)
            rc = qisim_outfile_commit(&f, err);
        qisim_outfile_abort(&f);
    }
    return rc;
}
