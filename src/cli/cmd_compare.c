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
    "Output: CSV on standard output.\n";

int cli_compare(int argc, char **argv)
{
    qisim_compare_options o = {.week = -1};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (cli_is_help(a)) {
            fputs(compare_usage, stdout);
            return CLI_OK;
        } else if (strcmp(a, "--metric") == 0 && has_value) {
            o.metric = argv[++i];
        } else if (strcmp(a, "--level") == 0 && has_value) {
            o.level = argv[++i];
        } else if (strcmp(a, "--entity") == 0 && has_value) {
            o.entity = argv[++i];
        } else if (strcmp(a, "--week") == 0) {
            if (!has_value || !cli_parse_int(argv[++i], 0, 1000000, &o.week)) {
                cli_usage_error("compare", "--week needs a whole number");
                return CLI_USAGE;
            }
        } else if (a[0] == '-') {
            cli_usage_error("compare", "unknown option or missing value '%s'", a);
            return CLI_USAGE;
        } else if (!o.dir_a) {
            o.dir_a = a;
        } else if (!o.dir_b) {
            o.dir_b = a;
        } else {
            cli_usage_error("compare", "two result folders, not more ('%s')", a);
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
