/* qisim collect: the series of several runs stacked into one CSV (src/report/collect.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "qisim/report.h"

static const char collect_usage[] =
    "usage: qisim collect DIR [DIR ...] [--events] [--out FILE.csv]\n"
    "\n"
    "Stacks the series.csv of each run folder into one tidy CSV, so that arms can be analysed\n"
    "together without hand work:\n"
    "  run,label,seed,args,week,replicate,level,entity,trust,region,metric,value\n"
    "run is the folder as given; label the run's --label (from manifest.json), else the\n"
    "folder's name; seed and args (the --arg assignments, space-separated) from the manifest;\n"
    "trust and region of each row's entity from entities.csv. Values are copied as written.\n"
    "\n"
    "  --events     stack events.csv instead, one row per key=value pair of each event's detail:\n"
    "               run,label,seed,args,week,replicate,level,entity,trust,region,event,detail,key,value\n"
    "               (the words of a detail that are not a pair: one row with an empty key)\n"
    "  --out FILE   write FILE (atomically) instead of standard output\n";

int cli_collect(int argc, char **argv)
{
    const char **dirs = calloc((size_t)argc, sizeof *dirs);
    const char *out = NULL;
    int n_dirs = 0, status = CLI_OK;
    if (!dirs) {
        fprintf(stderr, "qisim collect: out of memory\n");
        return CLI_FAILED;
    }
    bool events = false;
    static const struct option options[] = {{"help", no_argument, NULL, 'h'}, {"out", required_argument, NULL, 'o'},
                                            {"events", no_argument, NULL, 'e'}, {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "collect", options)) != -1;) {
        if (c == 'h') {
            fputs(collect_usage, stdout);
            goto done;
        } else if (c == 'o') {
            out = optarg;
        } else if (c == 'e') {
            events = true;
        } else {
            status = CLI_USAGE;
            goto done;
        }
    }
    for (int i = optind; i < argc; i++)
        dirs[n_dirs++] = argv[i];
    if (!n_dirs) {
        cli_usage_error("collect", "needs result folders, e.g. qisim collect results/a results/b --out all.csv");
        status = CLI_USAGE;
        goto done;
    }
    qisim_err err;
    qisim_err_clear(&err);
    if (qisim_collect(dirs, n_dirs, out, stdout, events, &err) != QISIM_OK) {
        fflush(stdout);
        fprintf(stderr, "qisim collect: %s\n", err.msg);
        status = CLI_FAILED;
    }
done:
    free(dirs);
    return status;
}
