/* qisim report: one self-contained HTML report of one or more runs (src/report/report.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "qisim/report.h"

static const char report_usage[] =
    "usage: qisim report DIR|DATABASE [...] [--out FILE] [--label NAME ...]\n"
    "\n"
    "Writes one HTML file that opens offline in any browser (Chart.js is inlined): for each\n"
    "recorded metric, charts over time of the mean and a 95% band across replicates, per level\n"
    "and entity (chosen on the page); with two or more runs, the arms side by side and the\n"
    "differences from the first run at the last week both recorded, with 95% intervals, units\n"
    "and the direction that is better (as qisim compare); the events as a timeline; the\n"
    "scenario's header, the manifest, the parameters that differ from the defaults and the\n"
    "assumption-sourced parameters in force. Long series are downsampled (the page says so).\n"
    "A sweep's results.sqlite (qisim sweep) adds its factor effects and, for a Morris design,\n"
    "the sensitivity ranking, as charts.\n"
    "\n"
    "  --out FILE     the report (default: DIR/report.html of the first DIR, or beside the database)\n"
    "  --label NAME   a name for each input, in order (default: the run's --label, or the folder)\n"
    "\n"
    "Needs Debian's libjs-chart.js (or QISIM_CHARTJS=path/to/chart.min.js). docs/report.md.\n";

int cli_report(int argc, char **argv)
{
    const char **dirs = calloc((size_t)argc, sizeof *dirs), **labels = calloc((size_t)argc, sizeof *labels);
    const char *out = NULL;
    int n_dirs = 0, n_labels = 0, status = CLI_OK;
    char default_out[4200];
    if (!dirs || !labels) {
        fprintf(stderr, "qisim report: out of memory\n");
        status = CLI_FAILED;
        goto done;
    }
    static const struct option options[] = {{"help", no_argument, NULL, 'h'}, {"out", required_argument, NULL, 'o'},
                                            {"label", required_argument, NULL, 'l'}, {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "report", options)) != -1;) {
        if (c == 'h') {
            fputs(report_usage, stdout);
            goto done;
        } else if (c == 'o') {
            out = optarg;
        } else if (c == 'l') {
            labels[n_labels++] = optarg;
        } else {
            status = CLI_USAGE;
            goto done;
        }
    }
    for (int i = optind; i < argc; i++)
        dirs[n_dirs++] = argv[i];
    if (!n_dirs) {
        cli_usage_error("report", "needs a result folder, e.g. qisim report results/default");
        status = CLI_USAGE;
        goto done;
    }
    if (n_labels && n_labels != n_dirs) {
        cli_usage_error("report", "%d --label for %d folders: give one per folder, or none", n_labels, n_dirs);
        status = CLI_USAGE;
        goto done;
    }
    if (!out) { /* beside a sweep database, inside a run folder */
        struct stat st;
        bool file = stat(dirs[0], &st) == 0 && S_ISREG(st.st_mode);
        const char *slash = strrchr(dirs[0], '/');
        if (file && slash)
            snprintf(default_out, sizeof default_out, "%.*s/report.html", (int)(slash - dirs[0]), dirs[0]);
        else
            snprintf(default_out, sizeof default_out, "%s/report.html", file ? "." : dirs[0]);
        out = default_out;
    }
    qisim_report_options o = {.dirs = dirs, .n_dirs = n_dirs, .labels = n_labels ? labels : NULL, .out = out};
    qisim_err err;
    qisim_err_clear(&err);
    if (qisim_report_write(&o, &err) != QISIM_OK) {
        fprintf(stderr, "qisim report: %s\n", err.msg);
        status = CLI_FAILED;
        goto done;
    }
    printf("%s\n", out);
done:
    free(dirs);
    free(labels);
    return status;
}
