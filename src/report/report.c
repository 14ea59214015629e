/* qisim report: one self-contained HTML file (data as JSON, Chart.js and the page script inline). */
#include "qisim/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "page.h"
#include "report_json.h"
#include "qisim/compare.h"
#include "qisim/io.h"
#include "qisim/metrics.h"
#include "qisim/params.h"
#include "qisim/run.h"

/* Also safe inside an HTML <script> element: no text of a run (an entity called "</script>")
 * can end the element. */
void report_json_text(FILE *fp, const char *s)
{
    if (!s) {
        fputs("null", fp);
        return;
    }
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&' || *p == 0x7f)
            fprintf(fp, "\\u%04x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

void report_json_number(FILE *fp, double x)
{
    if (!isfinite(x))
        fputs("null", fp);
    else
        fprintf(fp, "%.4g", x == 0.0 ? 0.0 : x);
}

static void html_text(FILE *fp, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '&': fputs("&amp;", fp); break;
        case '"': fputs("&quot;", fp); break;
        default: fputc(*s, fp);
        }
    }
}

/* The manifest's JSON as it is, with '<' escaped: the text was checked to be JSON, where '<'
 * can only stand inside a string and \u003c there means the same. */
static void json_raw(FILE *fp, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '<')
            fputs("\\u003c", fp);
        else
            fputc(text[i], fp);
    }
}

static void write_lines(FILE *fp, const char *const *lines)
{
    for (; *lines; lines++)
        fputs(*lines, fp);
}

/* Picks every stride-th point, and always the last, so the curve keeps its end. */
static void write_column(FILE *fp, const char *name, const qisim_run_series *s, const double *v, const int32_t *w,
                         int stride)
{
    fprintf(fp, ",\"%s\":[", name);
    for (int p = 0; p < s->n; p++) {
        if (p % stride && p != s->n - 1)
            continue;
        if (p)
            fputc(',', fp);
        if (w)
            fprintf(fp, "%ld", (long)w[p]);
        else
            report_json_number(fp, v[p]);
    }
    fputc(']', fp);
}

/* One stride for every series of the report, so that arms and entities share their weeks;
 * at most about 200 points a curve, and no more than max_points in all. */
static int series_stride(const qisim_run_series *s, long max_points, long total_points)
{
    int st = (int)((total_points + max_points - 1) / max_points);
    if (st < 1)
        st = 1;
    if ((s->n + st - 1) / st > 200)
        st = (s->n + 199) / 200;
    return st;
}

static void write_run(FILE *fp, const qisim_run_data *d, const char *label, long max_points, long total_points)
{
    fputs("{\"label\":", fp);
    report_json_text(fp, label);
    fputs(",\"dir\":", fp);
    report_json_text(fp, d->dir);
    fputs(",\"manifest\":", fp);
    if (d->manifest)
        json_raw(fp, d->manifest, d->manifest_len);
    else
        fputs("null", fp);
    fputs(",\"scenario_path\":", fp);
    report_json_text(fp, d->scenario_path);
    fputs(",\"header\":", fp);
    report_json_text(fp, d->scenario_header);
    fprintf(fp, ",\"scenario_changed\":%s,\"replicates\":%d,\"last_week\":%ld", d->scenario_changed ? "true" : "false",
            d->replicates, (long)d->last_week);
    fputs(",\"series\":[", fp);
    for (int k = 0; k < d->n_series; k++) {
        const qisim_run_series *s = &d->series[k];
        int st = series_stride(s, max_points, total_points);
        fputs(k ? ",\n{\"level\":" : "\n{\"level\":", fp);
        report_json_text(fp, s->level);
        fputs(",\"entity\":", fp);
        report_json_text(fp, s->entity);
        fputs(",\"metric\":", fp);
        report_json_text(fp, s->metric);
        fprintf(fp, ",\"stride\":%d", st);
        write_column(fp, "w", s, NULL, s->week, st);
        write_column(fp, "mean", s, s->mean, NULL, st);
        write_column(fp, "lo", s, s->ci_lo, NULL, st);
        write_column(fp, "hi", s, s->ci_hi, NULL, st);
        write_column(fp, "plo", s, s->p_lo, NULL, st);
        write_column(fp, "phi", s, s->p_hi, NULL, st);
        fputc('}', fp);
    }
    fprintf(fp, "],\n\"events_total\":%ld,\"event_counts\":{", d->events_total);
    for (int i = 0; i < d->n_event_counts; i++) {
        if (i)
            fputc(',', fp);
        report_json_text(fp, d->event_counts[i].event);
        fprintf(fp, ":%ld", d->event_counts[i].count);
    }
    fputs("},\"events\":[", fp);
    for (int i = 0; i < d->n_events; i++) {
        const qisim_run_event *e = &d->events[i];
        fprintf(fp, "%s[%ld,", i ? ",\n" : "\n", (long)e->week);
        report_json_text(fp, e->level);
        fputc(',', fp);
        report_json_text(fp, e->entity);
        fputc(',', fp);
        report_json_text(fp, e->event);
        fputc(',', fp);
        report_json_text(fp, e->detail);
        fputc(']', fp);
    }
    fputs("]}", fp);
}

/* B minus A over time: for each series of B that A has too, at B's drawn weeks that A also
 * recorded, the difference and its 95% interval (paired or Welch, as at the last week):
 * [level, entity, metric, weeks, differences, lows, highs]. */
static void write_over_time(FILE *fp, const qisim_run_data *a, const qisim_run_data *b, bool paired, long max_points,
                            long total_points)
{
    fputs(",\"over_time\":[", fp);
    bool first = true;
    for (int k = 0; k < b->n_series; k++) {
        const qisim_run_series *sb = &b->series[k], *sa = qisim_run_find(a, sb->level, sb->entity, sb->metric);
        if (!sa || !sa->n || !sb->n)
            continue;
        int st = series_stride(sb, max_points, total_points);
        /* pa[p]: the point of A at B's point p's week, -1 where A has none */
        int *pa = malloc((size_t)sb->n * sizeof *pa);
        qisim_comparison *c = malloc((size_t)sb->n * sizeof *c);
        if (!pa || !c) {
            free(pa);
            free(c);
            continue; /* out of memory: that chart is left out, the page says nothing is there */
        }
        int n = 0;
        for (int p = 0, q = 0; p < sb->n; p++) {
            while (q < sa->n && sa->week[q] < sb->week[p])
                q++;
            if ((p % st && p != sb->n - 1) || q == sa->n || sa->week[q] != sb->week[p])
                continue;
            qisim_compare_values(sa->rep_value[q], a->replicates, sb->rep_value[p], b->replicates, paired, &c[n]);
            pa[n++] = p;
        }
        if (n) {
            fputs(first ? "\n[" : ",\n[", fp);
            first = false;
            report_json_text(fp, sb->level);
            fputc(',', fp);
            report_json_text(fp, sb->entity);
            fputc(',', fp);
            report_json_text(fp, sb->metric);
            for (int col = 0; col < 4; col++) {
                fputs(",[", fp);
                for (int j = 0; j < n; j++) {
                    if (j)
                        fputc(',', fp);
                    if (col == 0)
                        fprintf(fp, "%ld", (long)sb->week[pa[j]]);
                    else
                        report_json_number(fp, col == 1 ? c[j].diff : col == 2 ? c[j].ci_low : c[j].ci_high);
                }
                fputc(']', fp);
            }
            fputc(']', fp);
        }
        free(pa);
        free(c);
    }
    fputc(']', fp);
}

/* Arm A (the first run) against arm i at the last week both recorded, as qisim compare, and
 * over time. */
static void write_comparison(FILE *fp, const qisim_report_options *o, const qisim_run_data *runs, int i,
                             long max_points, long total_points)
{
    qisim_compare_options co = {.dir_a = o->dirs[0], .dir_b = o->dirs[i], .week = -1};
    qisim_comparison *c = NULL;
    int n = 0;
    qisim_err err;
    qisim_err_clear(&err);
    fprintf(fp, "{\"a\":0,\"b\":%d", i);
    if (qisim_compare(&co, &c, &n, &err) != QISIM_OK) {
        fputs(",\"error\":", fp);
        report_json_text(fp, err.msg);
        fputs(",\"rows\":[]}", fp);
        return;
    }
    fputs(",\"rows\":[", fp);
    for (int k = 0; k < n; k++) {
        fputs(k ? ",\n[" : "\n[", fp);
        report_json_text(fp, c[k].level);
        fputc(',', fp);
        report_json_text(fp, c[k].entity);
        fputc(',', fp);
        report_json_text(fp, c[k].metric);
        fprintf(fp, ",%ld,%d,%d,%s", (long)c[k].week, c[k].n_a, c[k].n_b, c[k].paired ? "true" : "false");
        const double cells[6] = {c[k].mean_a, c[k].mean_b, c[k].diff, c[k].ci_low, c[k].ci_high, c[k].effect_size};
        for (int j = 0; j < 6; j++) {
            fputc(',', fp);
            if (!isfinite(cells[j]))
                fputs("null", fp);
            else
                fprintf(fp, "%.6g", cells[j]);
        }
        fputc(',', fp);
        report_json_text(fp, qisim_compare_reading(&c[k]));
        fputc(']', fp);
    }
    fputc(']', fp);
    if (n)
        write_over_time(fp, &runs[0], &runs[i], c[0].paired, max_points, total_points);
    fputc('}', fp);
    free(c);
}

static void write_tables(FILE *fp)
{
    fputs(",\"metrics\":{", fp);
    for (int m = 0; m < qisim_metric_count(); m++) {
        const qisim_metric_desc *d = qisim_metric_at(m);
        fputs(m ? ",\n" : "\n", fp);
        report_json_text(fp, d->name);
        fputs(":{\"unit\":", fp);
        report_json_text(fp, d->unit);
        fputs(",\"doc\":", fp);
        report_json_text(fp, d->doc);
        fprintf(fp, ",\"better\":%d}", qisim_metric_better(m));
    }
    fputs("},\n\"params\":{", fp);
    for (int p = 0; p < QISIM_N_PARAMS; p++) {
        const qisim_param_desc *d = qisim_param_desc_at(p);
        fputs(p ? ",\n" : "\n", fp);
        report_json_text(fp, d->name);
        fprintf(fp, ":{\"default\":%.17g,\"unit\":", d->def);
        report_json_text(fp, d->unit);
        fputs(",\"source\":", fp);
        report_json_text(fp, d->source);
        fputs(",\"doc\":", fp);
        report_json_text(fp, d->doc);
        fputc('}', fp);
    }
    fputc('}', fp);
}

/* --label, else the run's own label (qisim run --label), else its folder. */
static const char *label_of(const qisim_report_options *o, const qisim_run_data *runs, int i)
{
    return o->labels && o->labels[i] ? o->labels[i] : runs[i].label[0] ? runs[i].label : o->dirs[i];
}

/* The sweep databases among the inputs: paths and labels. */
typedef struct sweeps {
    const char **paths, **labels;
    int n;
} sweeps;

static int write_page(FILE *fp, const qisim_report_options *o, const qisim_run_data *runs, const sweeps *sw,
                      qisim_err *err)
{
    long total = 0, max_points = o->max_points > 0 ? o->max_points : 30000; /* about 1.2 MB of data */
    for (int i = 0; i < o->n_dirs; i++)
        for (int k = 0; k < runs[i].n_series; k++)
            total += runs[i].series[k].n;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"qisim " QISIM_VERSION "\">\n<title>qisim report: ", fp);
    for (int i = 0; i < o->n_dirs; i++) {
        if (i)
            fputs(" vs ", fp);
        html_text(fp, label_of(o, runs, i));
    }
    for (int i = 0; i < sw->n; i++) {
        if (i || o->n_dirs)
            fputs(" vs ", fp);
        html_text(fp, sw->labels[i]);
    }
    fputs("</title>\n<style>\n", fp);
    write_lines(fp, qisim_report_page_css);
    fputs("</style>\n</head>\n<body>\n<main id=\"app\"><noscript>This report draws its charts with JavaScript; "
          "the data are in the JSON block of this file.</noscript></main>\n"
          "<p id=\"qisim-status\" data-status=\"loading\">loading</p>\n"
          "<script type=\"application/json\" id=\"qisim-data\">{\"qisim_version\":\"" QISIM_VERSION "\"", fp);
    write_tables(fp);
    fprintf(fp, ",\n\"points_in_runs\":%ld,\"max_points\":%ld,\"runs\":[", total, max_points);
    for (int i = 0; i < o->n_dirs; i++) {
        if (i)
            fputs(",\n", fp);
        write_run(fp, &runs[i], label_of(o, runs, i), max_points, total);
    }
    fputs("],\n\"comparisons\":[", fp);
    for (int i = 1; i < o->n_dirs; i++) {
        if (i > 1)
            fputs(",\n", fp);
        write_comparison(fp, o, runs, i, max_points, total);
    }
    fputs("],\n\"sweeps\":[", fp);
    int rc = QISIM_OK;
    for (int i = 0; i < sw->n && !rc; i++) {
        if (i)
            fputs(",\n", fp);
        rc = report_write_sweep(fp, sw->paths[i], sw->labels[i], err);
    }
    if (rc)
        return rc;
    fputs("]}</script>\n", fp);
    rc = qisim_chartjs_inline(fp, o->chartjs, err);
    if (rc)
        return rc;
    fputs("<script>\n", fp);
    write_lines(fp, qisim_report_page_js);
    fputs("</script>\n</body>\n</html>\n", fp);
    return QISIM_OK;
}

int qisim_report_write(const qisim_report_options *o, qisim_err *err)
{
    if (o->n_dirs < 1 || !o->out)
        return qisim_err_set(err, QISIM_EINVAL, "a report needs a run folder and an output file");
    /* A run is a folder; a file is a sweep's results database. The runs keep their order (the
     * first is arm A), as do the databases. */
    const char **run_dirs = calloc((size_t)o->n_dirs, sizeof *run_dirs),
               **run_labels = calloc((size_t)o->n_dirs, sizeof *run_labels);
    sweeps sw = {calloc((size_t)o->n_dirs, sizeof(char *)), calloc((size_t)o->n_dirs, sizeof(char *)), 0};
    qisim_run_data *runs = calloc((size_t)o->n_dirs, sizeof *runs);
    int rc = QISIM_OK, n_runs = 0, loaded = 0;
    if (!run_dirs || !run_labels || !sw.paths || !sw.labels || !runs)
        rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory");
    for (int i = 0; !rc && i < o->n_dirs; i++) {
        struct stat st;
        const char *label = o->labels ? o->labels[i] : NULL;
        if (stat(o->dirs[i], &st) == 0 && S_ISREG(st.st_mode)) {
            sw.paths[sw.n] = o->dirs[i];
            sw.labels[sw.n++] = label ? label : o->dirs[i];
        } else {
            run_dirs[n_runs] = o->dirs[i];
            run_labels[n_runs++] = label;
        }
    }
    qisim_report_options ro = *o;
    ro.dirs = run_dirs;
    ro.labels = run_labels;
    ro.n_dirs = n_runs;
    for (; !rc && loaded < n_runs; loaded++)
        rc = qisim_run_load(run_dirs[loaded], &runs[loaded], err);
    qisim_outfile f = {0};
    if (!rc)
        rc = qisim_outfile_open(&f, o->out, err);
    if (!rc)
        rc = write_page(f.fp, &ro, runs, &sw, err);
    if (!rc)
        rc = qisim_outfile_commit(&f, err);
    qisim_outfile_abort(&f);
    for (int i = 0; i < loaded; i++)
        qisim_run_free(&runs[i]);
    free(runs);
    free(run_dirs);
    free(run_labels);
    free(sw.paths);
    free(sw.labels);
    return rc;
}
