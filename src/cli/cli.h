/* The subcommands of the qisim command line; main.c dispatches to them. */
#ifndef QISIM_CLI_H
#define QISIM_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

/* Exit statuses (docs/cli.md). */
enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

int cli_run(int argc, char **argv);
int cli_params(int argc, char **argv);
int cli_metrics(int argc, char **argv);
int cli_bench(int argc, char **argv);
int cli_validate(int argc, char **argv);
int cli_compare(int argc, char **argv);
int cli_sweep(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_sensitivity(int argc, char **argv);
int cli_play(int argc, char **argv);
int cli_report(int argc, char **argv);
int cli_plot(int argc, char **argv);
int cli_collect(int argc, char **argv);

/* Options, GNU style, through getopt_long: --name value, --name=value, -h, and -- to end the
 * options; options may come before or after the positional arguments (GNU's permutation), which
 * are argv[optind..argc) once it returns -1. Call with optind = 0 first (a fresh scan). Returns
 * the option's val, -1 at the end, or CLI_BAD_OPTION after printing a usage error for an unknown
 * option or a missing value. Every table has {"help", no_argument, NULL, 'h'}. */
enum { CLI_BAD_OPTION = -2 };
int cli_getopt(int argc, char **argv, const char *command, const struct option *longopts);

/* Helpers shared by the subcommands. */
void cli_usage_error(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
bool cli_parse_u64(const char *text, uint64_t *out);
/* --help or -h */
bool cli_is_help(const char *arg);
bool cli_parse_int(const char *text, int32_t min, int32_t max, int32_t *out);
/* Whether one of items[0..n) assigns the same name as item (both "name=value"): a repeated
 * --set or --arg is a usage error, not a silent last-one-wins. */
bool cli_name_repeated(const char *const *items, int n, const char *item);
/* Appends the settings of a set file (one name=value a line, '#' comments) to sets[*n..cap),
 * refusing a name already set; the lines live in *storage (free it, even on failure). Prints
 * "path:line: ..." and returns false on a bad file. */
bool cli_read_set_file(const char *command, const char *path, const char **sets, int *n, int cap, char **storage);
int cli_calibrate(int argc, char **argv);
/* The help's last line for the commands mpirun can spread: whether MPI is built in. */
void cli_mpi_help(void);
/* Parses --time-limit's SECONDS (0: none) and sets it for every scenario of the process. */
bool cli_set_time_limit(const char *text);

#endif
