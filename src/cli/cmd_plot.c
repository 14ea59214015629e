/* qisim plot: one metric of one or more runs as an SVG, PNG or PDF figure (src/report/plot.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "qisim/report.h"

static const char plot_usage[] =
    "usage: qisim plot DIR [DIR ...] --metric M --out FIG.svg|FIG.png|FIG.pdf [--level L]\n"
    "                  [--entity E ...] [--weeks A:B] [--band ci|range|none] [--title T]\n"
    "                  [--label NAME ...] [--script FILE.gp]\n"
    "\n"
    "Draws metric M over time for each run and entity through gnuplot: the mean across\n"
    "replicates as a line and a band, by default the 95% interval of the mean (--band range:\n"
    "the 2.5-97.5% range of replicate values; none: lines only). The extension of FIG picks\n"
    "the format (svg 800x500, png 1600x1000, pdf 6.4x4 in).\n"
    "\n"
    "  --metric M       the metric (qisim metrics lists them; it must be recorded in the run)\n"
    "  --level L        team, trust, region or system (default: trust when recorded there)\n"
    "  --entity E       an entity at that level, repeatable (default: every one, up to 10)\n"
    "  --weeks A:B      only weeks A to B (A: or :B leave one end open)\n"
    "  --title T        the title (default: the metric, level and description)\n"
    "  --label NAME     a name for each run in the key, in folder order (default: the folder)\n"
    "  --script FILE    keep the gnuplot script, to restyle the figure by hand\n"
    "\n"
    "Needs gnuplot (Debian's gnuplot-nox; QISIM_GNUPLOT=path to choose another). docs/report.md.\n";

/* "A:B", "A:", ":B" or "A" (one week). */
static bool parse_weeks(const char *text, int32_t *from, int32_t *to)
{
    const char *colon = strchr(text, ':');
    char a[32] = "", b[32] = "";
    if (!colon) {
        if (!cli_parse_int(text, 0, 100000000, from))
            return false;
        *to = *from;
        return true;
    }
    if ((size_t)(colon - text) >= sizeof a || strlen(colon + 1) >= sizeof b)
        return false;
    memcpy(a, text, (size_t)(colon - text));
    strcpy(b, colon + 1);
    *from = 0;
    *to = -1;
    if (*a && !cli_parse_int(a, 0, 100000000, from))
        return false;
    if (*b && !cli_parse_int(b, 0, 100000000, to))
        return false;
    return *to < 0 || *to >= *from;
}

int cli_plot(int argc, char **argv)
{
    const char **dirs = calloc((size_t)argc, sizeof *dirs), **labels = calloc((size_t)argc, sizeof *labels),
               **entities = calloc((size_t)argc, sizeof *entities);
    int n_dirs = 0, n_labels = 0, n_entities = 0, status = CLI_OK;
    qisim_plot_options o = {.week_to = -1};
    if (!dirs || !labels || !entities) {
        fprintf(stderr, "qisim plot: out of memory\n");
        status = CLI_FAILED;
        goto done;
    }
    enum { METRIC = 256, LEVEL, ENTITY, TITLE, BAND, LABEL, OUT, SCRIPT, WEEKS };
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},           {"metric", required_argument, NULL, METRIC},
        {"level", required_argument, NULL, LEVEL},   {"entity", required_argument, NULL, ENTITY},
        {"title", required_argument, NULL, TITLE},   {"band", required_argument, NULL, BAND},
        {"label", required_argument, NULL, LABEL},   {"out", required_argument, NULL, OUT},
        {"script", required_argument, NULL, SCRIPT}, {"weeks", required_argument, NULL, WEEKS},
        {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "plot", options)) != -1;) {
        switch (c) {
        case 'h':
            fputs(plot_usage, stdout);
            goto done;
        case METRIC: o.metric = optarg; break;
        case LEVEL: o.level = optarg; break;
        case ENTITY: entities[n_entities++] = optarg; break;
        case TITLE: o.title = optarg; break;
        case BAND: o.band = optarg; break;
        case LABEL: labels[n_labels++] = optarg; break;
        case OUT: o.out = optarg; break;
        case SCRIPT: o.script = optarg; break;
        case WEEKS:
            if (!parse_weeks(optarg, &o.week_from, &o.week_to)) {
                cli_usage_error("plot", "--weeks needs A:B with whole weeks A <= B (or A: or :B)");
                status = CLI_USAGE;
                goto done;
            }
            break;
        default:
            status = CLI_USAGE;
            goto done;
        }
    }
    for (int i = optind; i < argc; i++)
        dirs[n_dirs++] = argv[i];
    if (!n_dirs || !o.metric || !o.out) {
        cli_usage_error("plot", "needs a result folder, --metric and --out, e.g. qisim plot results/default --metric culture --out culture.svg");
        status = CLI_USAGE;
        goto done;
    }
    if (n_labels && n_labels != n_dirs) {
        cli_usage_error("plot", "%d --label for %d folders: give one per folder, or none", n_labels, n_dirs);
        status = CLI_USAGE;
        goto done;
    }
    o.dirs = dirs;
    o.n_dirs = n_dirs;
    o.labels = n_labels ? labels : NULL;
    o.entities = entities;
    o.n_entities = n_entities;
    qisim_err err;
    qisim_err_clear(&err);
    if (qisim_plot_write(&o, &err) != QISIM_OK) {
        fprintf(stderr, "qisim plot: %s\n", err.msg);
        status = CLI_FAILED;
        goto done;
    }
    printf("%s\n", o.out);
done:
    free(dirs);
    free(labels);
    free(entities);
    return status;
}
