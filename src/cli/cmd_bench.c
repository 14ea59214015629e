/* qisim bench: speed (staff-weeks per second) and memory (bytes per staff) of a scenario. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cli.h"
#include "qisim/bench.h"
#include "qisim/limits.h"
#include "qisim/run.h"

static const char bench_usage[] =
    "usage: qisim bench SCENARIO [--weeks N] [--seed N] [--arg name=value ...]\n"
    "\n"
    "Builds the scenario's world, steps it (every mechanism as the scenario leaves them) and\n"
    "prints staff-weeks per second of the weekly step and bytes of world state per staff\n"
    "member (the staff network's ties included); then steps the lean reference loop (one\n"
    "random draw and one team aggregate per staff-week) on the same staff, teams and weeks\n"
    "and prints both speeds by CPU time and their ratio. Nothing is written to disk. Timing\n"
    "is on one core. --arg passes a scenario argument, as for qisim run\n"
    "(scenarios/bench/nhs_england.lua --arg network=1 declares a staff network; --arg\n"
    "regions=2 builds 2 of its 42 regions, for a quick check).\n";

typedef struct bench {
    struct timespec start;
    double seconds, cpu_start, cpu_seconds; /* wall and CPU time of the weekly steps */
    int32_t *team_sizes;                    /* the world's teams, for the lean loop */
    int64_t staff, teams, trusts;
    size_t bytes;
    int32_t weeks;
} bench;

static double since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

/* CPU time (qisim_cpu_seconds) as well as wall time, so that other load on a shared machine
 * does not change the figures */
static int bench_begin(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    bench *b = ctx;
    (void)err;
    b->staff = w->n_staff;
    b->teams = w->n_teams;
    b->trusts = w->n_trusts;
    b->weeks = info->weeks;
    clock_gettime(CLOCK_MONOTONIC, &b->start);
    b->cpu_start = qisim_cpu_seconds();
    return QISIM_OK;
}

static int bench_end(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    bench *b = ctx;
    (void)info;
    b->seconds = since(&b->start);
    b->cpu_seconds = qisim_cpu_seconds() - b->cpu_start;
    b->bytes = qisim_world_bytes(w);
    b->team_sizes = malloc((size_t)(w->n_teams > 0 ? w->n_teams : 1) * sizeof *b->team_sizes);
    if (!b->team_sizes)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory after the weekly steps");
    for (int32_t t = 0; t < w->n_teams; t++)
        b->team_sizes[t] = w->teams[t].n_staff;
    return QISIM_OK;
}

int cli_bench(int argc, char **argv)
{
    const char *path = NULL;
    int32_t weeks = 0;
    uint64_t seed = 1;
    enum { MAX_ARGS = 64 }; /* the scenario host reads at most 64 */
    const char *args[MAX_ARGS];
    qisim_assignments arg_list = {args, 0};
    enum { WEEKS = 256, SEED, ARG };
    static const struct option options[] = {{"help", no_argument, NULL, 'h'}, {"weeks", required_argument, NULL, WEEKS},
                                            {"seed", required_argument, NULL, SEED}, {"arg", required_argument, NULL, ARG},
                                            {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "bench", options)) != -1;) {
        switch (c) {
        case 'h':
            fputs(bench_usage, stdout);
            return CLI_OK;
        case WEEKS:
            if (!cli_parse_int(optarg, 1, QISIM_MAX_WEEKS, &weeks)) {
                cli_usage_error("bench", "--weeks needs a whole number from 1 to %d", QISIM_MAX_WEEKS);
                return CLI_USAGE;
            }
            break;
        case SEED:
            if (!cli_parse_u64(optarg, &seed)) {
                cli_usage_error("bench", "--seed needs a whole number");
                return CLI_USAGE;
            }
            break;
        case ARG:
            if (!strchr(optarg, '=') || optarg[0] == '=') {
                cli_usage_error("bench", "--arg needs name=value");
                return CLI_USAGE;
            }
            if (arg_list.n == MAX_ARGS || cli_name_repeated(args, arg_list.n, optarg)) {
                cli_usage_error("bench", "--arg %.*s is given twice (or more than %d arguments)", (int)strcspn(optarg, "="),
                                optarg, MAX_ARGS);
                return CLI_USAGE;
            }
            args[arg_list.n++] = optarg;
            break;
        default: return CLI_USAGE;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (path) {
            cli_usage_error("bench", "unexpected argument '%s'", argv[i]);
            return CLI_USAGE;
        }
        path = argv[i];
    }
    if (!path) {
        cli_usage_error("bench", "which scenario? e.g. qisim bench scenarios/bench/nhs_england.lua");
        return CLI_USAGE;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bench b = {0};
    qisim_observer obs = {&b, bench_begin, NULL, bench_end, NULL};
    qisim_err err;
    qisim_err_clear(&err);
    if (qisim_run_replicate(path, seed, 0, NULL, &arg_list, NULL, weeks, &obs, &err) != QISIM_OK) {
        fprintf(stderr, "%s\n", err.msg);
        free(b.team_sizes);
        return CLI_FAILED;
    }
    double total = since(&t0);
    qisim_lean_result lean;
    int rc = qisim_lean_run(b.team_sizes, (int32_t)b.teams, b.weeks, seed, &lean, &err);
    free(b.team_sizes);
    if (rc != QISIM_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return CLI_FAILED;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double staff_weeks = (double)b.staff * b.weeks;
    printf("scenario          %s\n", path);
    printf("world             %lld staff, %lld teams, %lld trusts\n", (long long)b.staff, (long long)b.teams,
           (long long)b.trusts);
    printf("weeks             %d\n", b.weeks);
    printf("build + load      %.2f s\n", total - b.seconds);
    printf("weekly steps      %.2f s\n", b.seconds);
    printf("staff-weeks/s     %.3g\n", b.seconds > 0.0 ? staff_weeks / b.seconds : 0.0);
    printf("bytes per staff   %.1f (world state %.1f MiB)\n", b.staff ? (double)b.bytes / (double)b.staff : 0.0,
           (double)b.bytes / 1048576.0);
    printf("peak RSS          %.1f MiB\n", (double)ru.ru_maxrss / 1024.0);
    /* by CPU time, both in this process, so the ratio holds on a loaded machine */
    double qisim_rate = b.cpu_seconds > 0.0 ? staff_weeks / b.cpu_seconds : 0.0;
    double lean_rate = lean.cpu_seconds > 0.0 ? (double)lean.staff_weeks / lean.cpu_seconds : 0.0;
    printf("qisim by CPU      %.1f M staff-weeks/s (%.2f s of CPU)\n", qisim_rate / 1e6, b.cpu_seconds);
    printf("lean loop by CPU  %.1f M staff-weeks/s (%.2f s of CPU; same staff, teams and weeks)\n", lean_rate / 1e6,
           lean.cpu_seconds);
    printf("qisim/lean        %.3f (the target is at least 0.5)\n", lean_rate > 0.0 ? qisim_rate / lean_rate : 0.0);
    return CLI_OK;
}
