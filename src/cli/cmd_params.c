/* qisim params and qisim metrics: the parameter table and the metric list. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "qisim/metrics.h"
#include "qisim/params.h"

/* Whether name contains one of the filters (none: every name matches). */
static bool matches(const char *name, const char *const *filters, int n)
{
    for (int i = 0; i < n; i++)
        if (strstr(name, filters[i]))
            return true;
    return n == 0;
}

int cli_params(int argc, char **argv)
{
    bool markdown = false, assumptions = false;
    enum { MAX_FILTERS = 64 };
    const char *filters[MAX_FILTERS];
    int n_filters = 0;
    static const struct option options[] = {{"help", no_argument, NULL, 'h'}, {"markdown", no_argument, NULL, 'm'},
                                            {"assumptions", no_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "params", options)) != -1;) {
        if (c == 'm') {
            markdown = true;
        } else if (c == 'a') {
            assumptions = true;
        } else if (c == 'h') {
            puts("usage: qisim params [--markdown] [--assumptions] [NAME ...]\n\n"
                 "Lists every parameter: name, default, range, unit, whether a scenario may change it\n"
                 "mid-run, and its source (a seed line, or 'assumption'). --markdown prints the table\n"
                 "of docs/parameters.md. --assumptions lists only the parameters whose source is, wholly\n"
                 "or in part, an assumption (what a calibration or a sensitivity analysis should look at\n"
                 "first). NAME: only parameters whose names contain one of them (e.g. training.).");
            return CLI_OK;
        } else {
            return CLI_USAGE;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (!argv[i][0] || n_filters == MAX_FILTERS) {
            cli_usage_error("params", "unknown argument '%s'", argv[i]);
            return CLI_USAGE;
        }
        filters[n_filters++] = argv[i];
    }
    if (markdown && (assumptions || n_filters)) {
        cli_usage_error("params", "--markdown prints the whole table: no --assumptions or NAME with it");
        return CLI_USAGE;
    }
    if (assumptions) {
        printf("%-40s %10s  %-17s %-7s %s\n", "name", "default", "range", "kind", "source");
        int n = 0;
        for (int i = 0; i < QISIM_N_PARAMS; i++) {
            const qisim_param_desc *d = qisim_param_desc_at(i);
            if (!strstr(d->source, "assumption") || !matches(d->name, filters, n_filters))
                continue;
            char range[64];
            snprintf(range, sizeof range, "%g..%g", d->min, d->max);
            /* "wholly": no seed line cited at all; "partly": a seed line, and an assumed size or level */
            printf("%-40s %10g  %-17s %-7s %s\n", d->name, d->def, range, strstr(d->source, ":L") ? "partly" : "wholly",
                   d->source);
            n++;
        }
        printf("%d parameters rest on an assumption\n", n);
        return CLI_OK;
    }
    if (markdown) {
        qisim_params_write_markdown(stdout);
        return CLI_OK;
    }
    printf("%-40s %10s  %-17s %-24s %-7s %s\n", "name", "default", "range", "unit", "mid-run", "source");
    for (int i = 0; i < QISIM_N_PARAMS; i++) {
        const qisim_param_desc *d = qisim_param_desc_at(i);
        if (!matches(d->name, filters, n_filters))
            continue;
        char range[64];
        snprintf(range, sizeof range, "%g..%g", d->min, d->max);
        printf("%-40s %10g  %-17s %-24s %-7s %s\n", d->name, d->def, range, d->unit, d->mid_run ? "yes" : "no",
               d->source);
    }
    return CLI_OK;
}

int cli_metrics(int argc, char **argv)
{
    static const struct option options[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "metrics", options)) != -1;) {
        if (c != 'h')
            return CLI_USAGE;
        puts("usage: qisim metrics\n\nLists the metrics a scenario can record{} or read from a handle.");
        return CLI_OK;
    }
    if (optind < argc) {
        cli_usage_error("metrics", "unknown argument '%s'", argv[optind]);
        return CLI_USAGE;
    }
    printf("%-24s %-16s %-5s %s\n", "name", "unit", "team", "meaning");
    for (int i = 0; i < qisim_metric_count(); i++) {
        const qisim_metric_desc *m = qisim_metric_at(i);
        printf("%-24s %-16s %-5s %s\n", m->name, m->unit, m->team ? "yes" : "no", m->doc);
    }
    return CLI_OK;
}
