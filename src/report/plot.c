/* qisim plot: a publication figure of one metric over time (mean and 95% band) drawn by gnuplot. */
#include "qisim/report.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qisim/io.h"
#include "qisim/metrics.h"

extern char **environ;

enum { MAX_CURVES = 10 };

static const char *const colours[MAX_CURVES] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                                "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};

/* A gnuplot string literal: single quotes, where only a doubled quote is special. */
static void gp_text(FILE *fp, const char *s)
{
    fputc('\'', fp);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', fp);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, fp);
    }
    fputc('\'', fp);
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

/* The comma-separated list of distinct values of one field over the series of run d that match,
 * for a message ("recorded: a, b, c"). */
static void list_recorded(const qisim_run_data *d, const char *metric, const char *level, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int k = 0; k < d->n_series && n + 4 < cap; k++) {
        const qisim_run_series *s = &d->series[k];
        const char *v = !metric ? s->metric : !level ? s->level : s->entity;
        if ((metric && strcmp(s->metric, metric)) || (level && strcmp(s->level, level)))
            continue;
        bool seen = false;
        for (int j = 0; j < k && !seen; j++) {
            const qisim_run_series *t = &d->series[j];
            const char *u = !metric ? t->metric : !level ? t->level : t->entity;
            seen = !strcmp(u, v) && (!metric || !strcmp(t->metric, metric)) && (!level || !strcmp(t->level, level));
        }
        if (!seen)
            n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? ", " : "", v);
    }
    if (n >= cap - 4)
        snprintf(out + cap - 5, 5, "...");
}

typedef struct curve {
    const qisim_run_series *s;
    int run, entity;
    char title[300];
} curve;

/* Chooses the level and the curves (run x entity) to draw; one-line messages for what is not there. */
static int pick_curves(const qisim_plot_options *o, const qisim_run_data *runs, const char **level, curve *c,
                       int *n_curves, int *n_entities_out, qisim_err *err)
{
    char recorded[600];
    const qisim_run_data *d0 = &runs[0];
    if (!qisim_run_find(d0, NULL, NULL, o->metric)) {
        list_recorded(d0, NULL, NULL, recorded, sizeof recorded);
        const char *names[64 + 1];
        int k = 0;
        for (int m = 0; m < qisim_metric_count() && k < 64; m++)
            names[k++] = qisim_metric_at(m)->name;
        names[k] = NULL;
        const char *near = qisim_metric_find(o->metric) < 0 ? qisim_suggest(o->metric, names) : NULL;
        return qisim_err_set(err, QISIM_EINVAL, "metric '%s' is not recorded in %s/series.csv%s%s%s (recorded: %s)", o->metric,
                             d0->dir, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "", recorded);
    }
    *level = o->level;
    if (!*level)
        *level = qisim_run_find(d0, "trust", NULL, o->metric) ? "trust" : qisim_run_find(d0, NULL, NULL, o->metric)->level;
    if (!qisim_run_find(d0, *level, NULL, o->metric)) {
        list_recorded(d0, o->metric, NULL, recorded, sizeof recorded);
        return qisim_err_set(err, QISIM_EINVAL, "metric '%s' is not recorded at level '%s' in %s/series.csv (levels: %s)",
                             o->metric, *level, d0->dir, recorded);
    }
    const char *entities[MAX_CURVES];
    int n_entities = 0;
    if (o->n_entities) {
        for (int i = 0; i < o->n_entities; i++) {
            if (!qisim_run_find(d0, *level, o->entities[i], o->metric)) {
                list_recorded(d0, o->metric, *level, recorded, sizeof recorded);
                return qisim_err_set(err, QISIM_EINVAL, "no %s '%s' with metric '%s' in %s/series.csv (%ss: %s)", *level,
                                     o->entities[i], o->metric, d0->dir, *level, recorded);
            }
            if (n_entities < MAX_CURVES)
                entities[n_entities++] = o->entities[i];
        }
    } else {
        for (int k = 0; k < d0->n_series && n_entities < MAX_CURVES; k++)
            if (!strcmp(d0->series[k].metric, o->metric) && !strcmp(d0->series[k].level, *level))
                entities[n_entities++] = d0->series[k].entity;
    }
    *n_curves = 0;
    *n_entities_out = n_entities;
    for (int r = 0; r < o->n_dirs; r++)
        for (int e = 0; e < n_entities; e++) {
            const qisim_run_series *s = qisim_run_find(&runs[r], *level, entities[e], o->metric);
            if (!s)
                return qisim_err_set(err, QISIM_EINVAL, "%s/series.csv has no %s '%s' with metric '%s'", runs[r].dir, *level,
                                     entities[e], o->metric);
            if (*n_curves == MAX_CURVES)
                return qisim_err_set(err, QISIM_EINVAL, "more than %d curves (runs x entities): choose entities with --entity",
                                     MAX_CURVES);
            curve *cv = &c[(*n_curves)++];
            cv->s = s;
            cv->run = r;
            cv->entity = e;
            const char *label = o->labels && o->labels[r] ? o->labels[r] : runs[r].label[0] ? runs[r].label : runs[r].dir;
            if (o->n_dirs > 1 && n_entities > 1)
                snprintf(cv->title, sizeof cv->title, "%.140s: %.140s", label, entities[e]);
            else
                snprintf(cv->title, sizeof cv->title, "%.290s", o->n_dirs > 1 ? label : entities[e]);
        }
    return QISIM_OK;
}

/* One colour per entity and one dash per run; with one entity, one colour per run. */
static int colour_of(const curve *c, int i, int n_entities)
{
    return (n_entities == 1 ? c[i].run : c[i].entity) % MAX_CURVES;
}

static void write_script(FILE *fp, const qisim_plot_options *o, const char *terminal, const char *final_out,
                         const char *level, const curve *c, int n, int n_entities, const char *unit, const char *doc)
{
    fprintf(fp, "# qisim plot: %s at level %s (edit and run with gnuplot to restyle)\n", o->metric, level);
    /* qisim runs it with qisim_out set to a temporary name, renamed when gnuplot succeeds */
    fprintf(fp, "set terminal %s\nif (!exists('qisim_out')) qisim_out = ", terminal);
    gp_text(fp, final_out);
    fputs("\nset output qisim_out\nset encoding utf8\nset datafile missing 'NaN'\nset border 3 lw 1\nset tics nomirror out\n"
          "set grid back lc rgb '#dddddd' lw 1\nset key top left Left reverse noautotitle opaque box lc rgb '#cccccc'\n"
          "set xlabel 'week'\nset ylabel ",
          fp);
    char ylabel[300];
    snprintf(ylabel, sizeof ylabel, "%s (%s)", o->metric, unit);
    gp_text(fp, ylabel);
    fputs("\nset title ", fp);
    char title[600];
    if (o->title)
        snprintf(title, sizeof title, "%s", o->title);
    else
        snprintf(title, sizeof title, "%s, %s level: %s", o->metric, level, doc);
    gp_text(fp, title);
    if (o->week_to >= 0)
        fprintf(fp, "\nset xrange [%ld:%ld]\n", (long)o->week_from, (long)o->week_to);
    else
        fprintf(fp, "\nset xrange [%ld:*]\n", (long)o->week_from);
    bool range = o->band && !strcmp(o->band, "range"), none = o->band && !strcmp(o->band, "none");
    for (int i = 0; i < n; i++) {
        const qisim_run_series *s = c[i].s;
        fprintf(fp, "$curve%d << EOD\n", i);
        for (int p = 0; p < s->n; p++) {
            if (s->week[p] < o->week_from || (o->week_to >= 0 && s->week[p] > o->week_to))
                continue;
            double lo = range ? s->p_lo[p] : s->ci_lo[p], hi = range ? s->p_hi[p] : s->ci_hi[p];
            fprintf(fp, "%ld %.9g %.9g %.9g\n", (long)s->week[p], isfinite(s->mean[p]) ? s->mean[p] : (double)NAN,
                    isfinite(lo) ? lo : (double)NAN, isfinite(hi) ? hi : (double)NAN);
        }
        fputs("EOD\n", fp);
    }
    fputs("plot ", fp);
    for (int i = 0; i < n; i++) { /* the bands first, so that no band covers a line */
        if (none)
            break;
        fprintf(fp, "$curve%d using 1:3:4 with filledcurves fc rgb '%s' fs transparent solid 0.18 noborder, \\\n     ", i,
                colours[colour_of(c, i, n_entities)]);
    }
    for (int i = 0; i < n; i++) {
        fprintf(fp, "$curve%d using 1:2 with lines lw 2 dt %d lc rgb '%s' title ", i, 1 + c[i].run % 4, colours[colour_of(c, i, n_entities)]);
        gp_text(fp, c[i].title);
        fputs(i + 1 < n ? ", \\\n     " : "\n", fp);
    }
}

/* Runs gnuplot on the script; its messages go to msgs. */
static int run_gnuplot(const char *script, const char *tmp_out, const char *msgs, qisim_err *err)
{
    const char *gnuplot = getenv("QISIM_GNUPLOT");
    if (!gnuplot || !*gnuplot)
        gnuplot = "gnuplot";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, msgs, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    char set_out[4300];
    snprintf(set_out, sizeof set_out, "qisim_out = '%s'", tmp_out); /* a path with a quote is refused before */
    char *argv[] = {(char *)gnuplot, "-e", set_out, (char *)script, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, gnuplot, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc)
        return qisim_err_set(err, QISIM_EIO, "cannot run %s: %s (install Debian's gnuplot-nox)", gnuplot, strerror(rc));
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return qisim_err_set(err, QISIM_EIO, "waiting for %s: %s", gnuplot, strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return qisim_err_set(err, QISIM_EIO, "cannot run %s (install Debian's gnuplot-nox)", gnuplot);
    FILE *f = fopen(msgs, "r");
    char line[400] = "";
    bool said = false;
    if (f) {
        /* gnuplot's warnings (an empty data block...) are not failures; its errors are */
        while (fgets(line, sizeof line, f))
            if (strstr(line, "rror") || strstr(line, "annot")) {
                said = true;
                break;
            }
        fclose(f);
    }
    line[strcspn(line, "\n")] = '\0';
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || said)
        return qisim_err_set(err, QISIM_EIO, "%s failed%s%s", gnuplot, said ? ": " : "", said ? line : "");
    return QISIM_OK;
}

int qisim_plot_write(const qisim_plot_options *o, qisim_err *err)
{
    if (o->n_dirs < 1 || !o->metric || !o->out)
        return qisim_err_set(err, QISIM_EINVAL, "a plot needs a run folder, a metric and an output file");
    const char *terminal;
    if (ends_with(o->out, ".svg"))
        terminal = "svg size 800,500 dynamic noenhanced font 'Helvetica,12' background rgb 'white'";
    else if (ends_with(o->out, ".png"))
        terminal = "pngcairo size 1600,1000 noenhanced font 'Helvetica,22' background rgb 'white'";
    else if (ends_with(o->out, ".pdf"))
        terminal = "pdfcairo size 6.4in,4in noenhanced font 'Helvetica,10'";
    else
        return qisim_err_set(err, QISIM_EINVAL, "%s: the figure's name must end in .svg, .png or .pdf", o->out);
    if (strchr(o->out, '\''))
        return qisim_err_set(err, QISIM_EINVAL, "%s: a figure's name may not hold a single quote", o->out);
    if (o->band && strcmp(o->band, "ci") && strcmp(o->band, "range") && strcmp(o->band, "none"))
        return qisim_err_set(err, QISIM_EINVAL, "band '%s': expected ci, range or none", o->band);
    qisim_run_data *runs = calloc((size_t)o->n_dirs, sizeof *runs);
    if (!runs)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory");
    int rc = QISIM_OK, loaded = 0;
    for (; loaded < o->n_dirs && !rc; loaded++)
        rc = qisim_run_load(o->dirs[loaded], &runs[loaded], err);
    curve c[MAX_CURVES];
    int n = 0, n_entities = 0;
    const char *level = NULL;
    if (!rc)
        rc = pick_curves(o, runs, &level, c, &n, &n_entities, err);
    char script[4200], tmp_out[4200], msgs[4200];
    snprintf(script, sizeof script, "%s", o->script ? o->script : "");
    if (!o->script)
        snprintf(script, sizeof script, "%s.gp.tmp", o->out);
    snprintf(tmp_out, sizeof tmp_out, "%s.tmp", o->out);
    snprintf(msgs, sizeof msgs, "%s.log.tmp", o->out);
    if (!rc) {
        int m = qisim_metric_find(o->metric);
        const qisim_metric_desc *desc = m >= 0 ? qisim_metric_at(m) : NULL;
        qisim_outfile f = {0};
        rc = qisim_outfile_open(&f, script, err);
        if (!rc) {
            write_script(f.fp, o, terminal, o->out, level, c, n, n_entities, desc ? desc->unit : "", desc ? desc->doc : "");
            rc = qisim_outfile_commit(&f, err);
        }
        qisim_outfile_abort(&f);
    }
    if (!rc)
        rc = run_gnuplot(script, tmp_out, msgs, err);
    if (!rc && rename(tmp_out, o->out) != 0)
        rc = qisim_err_set(err, QISIM_EIO, "cannot write %s: %s", o->out, strerror(errno));
    remove(tmp_out);
    remove(msgs);
    if (!o->script)
        remove(script);
    for (int i = 0; i < loaded; i++)
        qisim_run_free(&runs[i]);
    free(runs);
    return rc;
}
