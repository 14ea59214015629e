/* qisim: the command line. The only place that decides an exit status. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "qisim/run.h"
#include "qisim/scenario.h"

#ifdef QISIM_MPI
#include <mpi.h>
#endif

static const char usage[] =
    "usage: qisim <command> [options]\n"
    "\n"
    "qisim simulates how quality improvement spreads through healthcare organisations.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO      run a scenario; results go to results/<scenario>/\n"
    "  params            list every model parameter with default, range, unit and source\n"
    "  metrics           list every metric a scenario can record or read\n"
    "  validate          check the published patterns of MODEL.md §5 (MET or MISSED)\n"
    "  compare A B       compare two runs: differences, 95% intervals, effect sizes\n"
    "  sweep EXPERIMENT  run an experiment's design points x replicates into SQLite (resumable)\n"
    "  export DATABASE   write a table of a sweep's results database as CSV\n"
    "  sensitivity DB    rank the factors of a Morris sweep by influence on a metric\n"
    "  calibrate FILE    fit parameters to the calibration patterns (ABC-SMC; resumable)\n"
    "  bench SCENARIO    measure speed (staff-weeks per second) and memory per staff\n"
    "  play EXERCISE     a classroom game of an exercise in the browser (docs/teaching.md)\n"
    "  report DIR...     one self-contained HTML report of runs: charts, differences, events\n"
    "  plot DIR...       a figure (SVG, PNG, PDF) of one metric with 95% bands, via gnuplot\n"
    "  collect DIR...    stack runs' series into one CSV with label, seed, args, trust, region\n"
    "\n"
    "  qisim <command> --help   options of a command (or: qisim help <command>)\n"
    "  qisim --version          the version\n"
    "\n"
    "exit status: 0 success, 1 scenario or model error, 2 usage error\n"
    "docs: README.md, docs/cli.md, docs/lua-api.md, docs/ODD.md, docs/parameters.md\n";

void cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "qisim %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'qisim %s --help')\n", command);
}

int cli_getopt(int argc, char **argv, const char *command, const struct option *longopts)
{
    opterr = 0; /* our messages, not getopt's */
    /* ':' first: a missing value is told apart from an unknown option */
    int c = getopt_long(argc, argv, ":h", longopts, NULL);
    if (c == '?') {
        if (optopt && optopt != '?' && argv[optind - 1][1] != '-')
            cli_usage_error(command, "unknown option '-%c'", optopt);
        else
            cli_usage_error(command, "unknown option '%s'", argv[optind - 1]);
        return CLI_BAD_OPTION;
    }
    if (c == ':') {
        cli_usage_error(command, "%s needs a value", argv[optind - 1]);
        return CLI_BAD_OPTION;
    }
    return c;
}

bool cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

bool cli_parse_u64(const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!text || !*text || *text == '-')
        return false;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end)
        return false;
    *out = (uint64_t)v;
    return true;
}

bool cli_parse_int(const char *text, int32_t min, int32_t max, int32_t *out)
{
    char *end;
    errno = 0;
    if (!text || !*text)
        return false;
    long v = strtol(text, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = (int32_t)v;
    return true;
}

bool cli_name_repeated(const char *const *items, int n, const char *item)
{
    size_t len = strcspn(item, "=");
    for (int k = 0; k < n; k++)
        if (strncmp(items[k], item, len) == 0 && items[k][len] == '=')
            return true;
    return false;
}

bool cli_set_time_limit(const char *text)
{
    int32_t seconds;
    if (!cli_parse_int(text, 0, 31622400, &seconds))
        return false;
    qisim_scenario_set_time_limit(seconds);
    return true;
}

void cli_mpi_help(void)
{
#ifdef QISIM_MPI
    fputs("\nMPI: built in; under mpirun -np K the runs are spread over the processes (docs/cli.md,\n"
          "\"The MPI build\")\n", stdout);
#else
    fputs("\nMPI: not built in; this program uses threads only (make MPI=1 builds build/mpi/qisim\n"
          "for mpirun: docs/cli.md, \"The MPI build\")\n", stdout);
#endif
}

#ifndef QISIM_MPI
/* The number of processes mpirun started this one among (OpenMPI's or a PMI launcher's
 * variables), 1 when not under mpirun. */
static long launcher_size(const char **rank)
{
    static const char *const vars[][2] = {{"OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK"}, {"PMI_SIZE", "PMI_RANK"}};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *size = getenv(vars[i][0]);
        if (size && atol(size) > 1) {
            *rank = getenv(vars[i][1]);
            return atol(size);
        }
    }
    return 1;
}
#endif

static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
#ifdef QISIM_MPI
    /* Under mpirun every process runs the same command; only rank 0 speaks and writes. */
    MPI_Init(&argc, &argv);
    if (qisim_process_rank() != 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            return CLI_FAILED;
    }
    int status = dispatch(argc, argv);
    MPI_Finalize();
    return status;
#else
    /* Without MPI every process mpirun starts would run the whole command and write the same
     * files over each other: refuse, once (process 0 speaks). */
    const char *rank = NULL;
    long size = launcher_size(&rank);
    if (size > 1) {
        if (!rank || atol(rank) == 0)
            fprintf(stderr, "qisim: started by mpirun with %ld processes, but this qisim is built without MPI "
                            "(each would run the whole command); build it with make MPI=1 and run build/mpi/qisim\n",
                    size);
        return CLI_USAGE;
    }
    return dispatch(argc, argv);
#endif
}

static int dispatch(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } commands[] = {
        {"run", cli_run}, {"params", cli_params}, {"metrics", cli_metrics},
        {"validate", cli_validate}, {"bench", cli_bench}, {"compare", cli_compare},
        {"sweep", cli_sweep}, {"export", cli_export}, {"sensitivity", cli_sensitivity},
        {"play", cli_play},
        {"calibrate", cli_calibrate},
        {"report", cli_report},
        {"plot", cli_plot},
        {"collect", cli_collect},
    };
    if (argc < 2) {
        fputs(usage, stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "help") == 0 && argc > 2) {
        /* qisim help CMD is qisim CMD --help */
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            if (strcmp(argv[2], commands[i].name) == 0) {
                char *help_argv[] = {argv[2], "--help", NULL};
                return commands[i].run(2, help_argv);
            }
        fprintf(stderr, "qisim help: no command '%s'; see 'qisim --help'\n", argv[2]);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("qisim %s\n", QISIM_VERSION);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    const char *names[sizeof commands / sizeof commands[0] + 1];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        names[i] = commands[i].name;
    names[sizeof commands / sizeof commands[0]] = NULL;
    const char *near = qisim_suggest(argv[1], names);
    /* One line: a typo should not bury the shell's history under the whole usage text. */
    if (near)
        fprintf(stderr, "qisim: unknown command '%s' (did you mean '%s'?); see 'qisim --help'\n", argv[1], near);
    else
        fprintf(stderr, "qisim: unknown command '%s'; see 'qisim --help'\n", argv[1]);
    return CLI_USAGE;
}
