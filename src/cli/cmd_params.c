/* qisim params and qisim metrics: the parameter table and the metric list. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "qisim/metrics.h"
#include "qisim/params.h"

int cli_params(int argc, char **argv)
{
    bool markdown = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--markdown") == 0) {
            markdown = true;
        } else if (cli_is_help(argv[i])) {
            puts("usage: qisim params [--markdown]\n\n"
                 "Lists every parameter: name, default, range, unit, whether a scenario may change it\n"
                 "mid-run, and its source (a seed line, or 'assumption'). --markdown prints the table\n"
                 "of docs/parameters.md.");
            return CLI_OK;
        } else {
            cli_usage_error("params", "unknown argument '%s'", argv[i]);
            return CLI_USAGE;
        }
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
    if (argc > 1) {
        if (cli_is_help(argv[1])) {
            puts("usage: qisim metrics\n\nLists the metrics a scenario can record{} or read from a handle.");
            return CLI_OK;
        }
        cli_usage_error("metrics", "unknown argument '%s'", argv[1]);
        return CLI_USAGE;
    }
    printf("%-24s %-16s %-5s %s\n", "name", "unit", "team", "meaning");
    for (int i = 0; i < qisim_metric_count(); i++) {
        const qisim_metric_desc *m = qisim_metric_at(i);
        printf("%-24s %-16s %-5s %s\n", m->name, m->unit, m->team ? "yes" : "no", m->doc);
    }
    return CLI_OK;
}
