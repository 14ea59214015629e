/* qisim compare: differences between two runs with effect sizes and 95% intervals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "qisim/compare.h"

static const char compare_usage[] =
    "usage: qisim compare RESULT_A RESULT_B [--metric M] [--level L] [--entity E] [--week W]\n"
    "\n"
    "Compares two runs (folders written by qisim run) at one week (default: the last week both\n"
    "recorded), series by series: mean of each arm, difference B - A with its 95% interval, and\n"
    "an effect size. When both runs used the same --seed, replicate r of A and of B share their\n"
    "random numbers (common random numbers) and are compared as pairs: the interval is then for\n"
    "the mean paired difference and the effect size is d_z (mean / sd of the differences).\n"
    "Otherwise the arms are independent samples: Welch interval, Cohen's d.\n"
    "A team whose name teams of several trusts share is named TRUST / TEAM (e.g. \"A / Ward\");\n"
    "--entity takes that label (one team) or the name (every team so named).\n"
    "Output: CSV on standard output.\n";

int cli_compare(int argc, char **argv)
{
    qisim_compare_options o = {.week = -1};
    enum { METRIC = 256, LEVEL, ENTITY, WEEK };
    static const struct option options[] = {{"help", no_argument, NULL, 'h'},         {"metric", required_argument, NULL, METRIC},
                                            {"level", required_argument, NULL, LEVEL}, {"entity", required_argument, NULL, ENTITY},
                                            {"week", required_argument, NULL, WEEK},   {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "compare", options)) != -1;) {
        switch (c) {
        case 'h':
            fputs(compare_usage, stdout);
            return CLI_OK;
        case METRIC: o.metric = optarg; break;
        case LEVEL: o.level = optarg; break;
        case ENTITY: o.entity = optarg; break;
        case WEEK:
            if (!cli_parse_int(optarg, 0, 1000000, &o.week)) {
                cli_usage_error("compare", "--week needs a whole number");
                return CLI_USAGE;
            }
            break;
        default: return CLI_USAGE;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (!o.dir_a) {
            o.dir_a = argv[i];
        } else if (!o.dir_b) {
            o.dir_b = argv[i];
        } else {
            cli_usage_error("compare", "two result folders, not more ('%s')", argv[i]);
            return CLI_USAGE;
        }
    }
    if (!o.dir_b) {
        cli_usage_error("compare", "needs two result folders, e.g. qisim compare results/a results/b");
        return CLI_USAGE;
    }
    qisim_comparison *c;
    int n;
    qisim_err err;
    qisim_err_clear(&err);
    if (qisim_compare(&o, &c, &n, &err) != QISIM_OK) {
        fprintf(stderr, "qisim compare: %s\n", err.msg);
        return CLI_FAILED;
    }
    qisim_compare_write_csv(stdout, c, n);
    free(c);
    return CLI_OK;
}
