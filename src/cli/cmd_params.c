/* qisim params and qisim metrics: the parameter table and the metric list. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "qisim/metrics.h"
#include "qisim/params.h"

int cli_params(int argc, char **argv)
{
    bool markdown = false;
    static const struct option options[] = {{"help", no_argument, NULL, 'h'}, {"markdown", no_argument, NULL, 'm'},
                                            {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "params", options)) != -1;) {
        if (c == 'm') {
            markdown = true;
        } else if (c == 'h') {
            puts("usage: qisim params [--markdown]\n\n"
                 "Lists every parameter: name, default, range, unit, whether a scenario may change it\n"
                 "mid-run, and its source (a seed line, or 'assumption'). --markdown prints the table\n"
                 "of docs/parameters.md.");
            return CLI_OK;
        } else {
            return CLI_USAGE;
        }
    }
    if (optind < argc) {
        cli_usage_error("params", "unknown argument '%s'", argv[optind]);
        return CLI_USAGE;
    }
    if (markdown) {
        qisim_params_write_markdown(stdout);
        return CLI_OK;
    }
    printf("%-40s %10s  %-17s %-24s %-7s %s\n", "name", "default", "range", "unit", "mid-run", "source");
    for (int i = 0; i < QISIM_N_PARAMS; i++) {
        const qisim_param_desc *d = qisim_param_desc_at(i);
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
