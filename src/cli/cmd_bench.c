/* qisim bench: speed (staff-weeks per second) and memory (bytes per staff) of a scenario. */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cli.h"
#include "qisim/run.h"

static const char bench_usage[] =
    "usage: qisim bench SCENARIO [--weeks N] [--seed N] [--arg name=value ...]\n"
    "\n"
    "Builds the scenario's world, steps it (every mechanism as the scenario leaves them) and\n"
    "prints staff-weeks per second of the weekly step and bytes of world state per staff\n"
    "member (the staff network's ties included). Nothing is written to disk. Timing is\n"
    "wall-clock on one core. --arg passes a scenario argument, as for qisim run\n"
    "(scenarios/bench/nhs_england.lua --arg network=1 declares a staff network).\n";

typedef struct bench {
    struct timespec start;
    double seconds;
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

static int bench_begin(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    bench *b = ctx;
    (void)err;
    b->staff = w->n_staff;
    b->teams = w->n_teams;
    b->trusts = w->n_trusts;
    b->weeks = info->weeks;
    clock_gettime(CLOCK_MONOTONIC, &b->start);
    return QISIM_OK;
}

static int bench_end(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    bench *b = ctx;
    (void)info;
    (void)err;
    b->seconds = since(&b->start);
    b->bytes = qisim_world_bytes(w);
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
            if (!cli_parse_int(optarg, 1, 5200, &weeks)) {
                cli_usage_error("bench", "--weeks needs a whole number from 1 to 5200");
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
        return CLI_FAILED;
    }
    double total = since(&t0);
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
    return CLI_OK;
}
