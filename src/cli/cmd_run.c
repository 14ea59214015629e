/* qisim run: run a scenario's replicates into result files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "qisim/io.h"
#include "qisim/run.h"

static const char run_usage[] =
    "usage: qisim run SCENARIO [--seed N] [--reps N] [--threads N] [--out DIR] [--set name=value ...]\n"
    "                          [--set-file F] [--arg name=value ...] [--time-limit SECONDS] [--label NAME] [--quiet]\n"
    "\n"
    "Runs SCENARIO (a Lua file) and writes DIR/series.csv (tidy: week, replicate, level,\n"
    "entity, metric, value), DIR/events.csv and DIR/manifest.json (version, scenario hash,\n"
    "seed, every parameter). Same scenario, parameters and seed give byte-identical files.\n"
    "\n"
    "  --seed N          run seed (default 1); replicate r uses streams seeded from (N, r)\n"
    "  --reps N          replicates (default 1); with more than one, DIR/summary.csv gives per\n"
    "                    week, entity and metric the mean, sd, 95% interval of the mean and\n"
    "                    the 2.5-97.5% range across replicates\n"
    "  --threads N       run replicates on N threads (default 1); outputs are identical for any N\n"
    "  --out DIR         output directory (default results/<scenario file name>)\n"
    "  --set name=value  set a model parameter (repeatable; see 'qisim params'); it holds from\n"
    "                    the start, and the scenario's own param() for it is ignored\n"
    "  --set-file F      the name=value lines of F as --set (e.g. a calibration's posterior.set)\n"
    "  --arg name=value  a scenario argument, read in the file with arg(\"name\", default)\n"
    "                    (repeatable)\n"
    "  --checkpoint-week W --checkpoint-dir CK\n"
    "                    also save each replicate's whole world at week W into CK/ (a burn-in\n"
    "                    computed once, to branch from)\n"
    "  --from CK         continue each replicate from CK/ (saved at week W): the scenario is\n"
    "                    loaded again and must build the same world and schedule the burn-in's\n"
    "                    actions first; it may add its own after them (use --arg for the arm).\n"
    "                    series.csv then starts at week W; the rest equals an unbroken run.\n"
    "  --time-limit S    stop a replicate whose scenario Lua has run S seconds of wall clock\n"
    "                    (default 600; 0: no limit), beside the instruction budget\n"
    "  --label NAME      a name for the run (an arm), kept in manifest.json; qisim collect and\n"
    "                    qisim report use it\n"
    "  --quiet           print nothing but errors\n";

static void show_progress(void *ctx, int32_t done, int32_t total)
{
    cli_progress_update(ctx, done, total);
}

int cli_run(int argc, char **argv)
{
    qisim_run_options o = {.seed = 1, .replicates = 1};
    enum { SET_FILE_CAP = 512 };
    const char **sets = calloc((size_t)argc + SET_FILE_CAP, sizeof *sets);
    char *set_file_text = NULL;
    const char **args = calloc((size_t)argc, sizeof *args);
    bool quiet = false;
    int status = CLI_USAGE;
    if (!sets || !args) {
        free(sets);
        free(args);
        fputs("qisim run: out of memory\n", stderr);
        return CLI_FAILED;
    }
    enum { QUIET = 256, LABEL, SEED, REPS, THREADS, CK_WEEK, CK_DIR, FROM, OUT, SET, SET_FILE, ARG, TIME_LIMIT };
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"quiet", no_argument, NULL, QUIET},
        {"label", required_argument, NULL, LABEL},
        {"seed", required_argument, NULL, SEED},
        {"reps", required_argument, NULL, REPS},
        {"threads", required_argument, NULL, THREADS},
        {"checkpoint-week", required_argument, NULL, CK_WEEK},
        {"checkpoint-dir", required_argument, NULL, CK_DIR},
        {"from", required_argument, NULL, FROM},
        {"out", required_argument, NULL, OUT},
        {"set", required_argument, NULL, SET},
        {"set-file", required_argument, NULL, SET_FILE},
        {"arg", required_argument, NULL, ARG},
        {"time-limit", required_argument, NULL, TIME_LIMIT},
        {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "run", options)) != -1;) {
        switch (c) {
        case 'h':
            fputs(run_usage, stdout);
            cli_mpi_help();
            status = CLI_OK;
            goto done;
        case QUIET: quiet = true; break;
        case LABEL:
            if (!optarg[0]) {
                cli_usage_error("run", "--label needs a name");
                goto done;
            }
            o.label = optarg;
            break;
        case SEED:
            if (!cli_parse_u64(optarg, &o.seed)) {
                cli_usage_error("run", "--seed needs a whole number from 0 to 2^64-1");
                goto done;
            }
            break;
        case REPS:
            if (!cli_parse_int(optarg, 1, QISIM_MAX_REPLICATES, &o.replicates)) {
                cli_usage_error("run", "--reps needs a whole number from 1 to %d", QISIM_MAX_REPLICATES);
                goto done;
            }
            break;
        case THREADS:
            if (!cli_parse_int(optarg, 1, 256, &o.threads)) {
                cli_usage_error("run", "--threads needs a whole number from 1 to 256");
                goto done;
            }
            break;
        case CK_WEEK:
            if (!cli_parse_int(optarg, 0, 100000, &o.checkpointing.save_week)) {
                cli_usage_error("run", "--checkpoint-week needs a week number");
                goto done;
            }
            break;
        case CK_DIR: o.checkpointing.save_dir = optarg; break;
        case FROM: o.checkpointing.from_dir = optarg; break;
        case OUT:
            if (!optarg[0]) {
                cli_usage_error("run", "--out needs a directory");
                goto done;
            }
            o.out_dir = optarg;
            break;
        case SET:
            if (!strchr(optarg, '=')) {
                cli_usage_error("run", "--set needs name=value");
                goto done;
            }
            if (cli_name_repeated(sets, o.overrides.n, optarg)) {
                cli_usage_error("run", "--set %.*s is given twice", (int)strcspn(optarg, "="), optarg);
                goto done;
            }
            sets[o.overrides.n++] = optarg;
            break;
        case SET_FILE:
            if (set_file_text) {
                cli_usage_error("run", "--set-file needs one file (name=value lines)");
                goto done;
            }
            if (!cli_read_set_file("run", optarg, sets, &o.overrides.n, argc + SET_FILE_CAP, &set_file_text)) {
                status = CLI_FAILED;
                goto done;
            }
            break;
        case ARG:
            if (!strchr(optarg, '=') || optarg[0] == '=') {
                cli_usage_error("run", "--arg needs name=value");
                goto done;
            }
            if (cli_name_repeated(args, o.args.n, optarg)) {
                cli_usage_error("run", "--arg %.*s is given twice", (int)strcspn(optarg, "="), optarg);
                goto done;
            }
            args[o.args.n++] = optarg;
            break;
        case TIME_LIMIT:
            if (!cli_set_time_limit(optarg)) {
                cli_usage_error("run", "--time-limit needs whole seconds (0: no limit)");
                goto done;
            }
            break;
        default: goto done;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (o.scenario_path) {
            cli_usage_error("run", "one scenario at a time ('%s' and '%s')", o.scenario_path, argv[i]);
            goto done;
        }
        o.scenario_path = argv[i];
    }
    if (!o.scenario_path) {
        cli_usage_error("run", "which scenario? e.g. qisim run scenarios/default.lua");
        goto done;
    }
    if (o.checkpointing.save_dir && o.checkpointing.save_week <= 0) {
        cli_usage_error("run", "--checkpoint-dir needs --checkpoint-week W (W >= 1)");
        goto done;
    }
    if (o.checkpointing.save_dir) {
        qisim_err derr;
        if (qisim_make_dirs(o.checkpointing.save_dir, &derr) != QISIM_OK) {
            fprintf(stderr, "%s\n", derr.msg);
            status = CLI_FAILED;
            goto done;
        }
    }
    o.overrides.items = sets;
    o.args.items = args;
    cli_progress progress;
    cli_progress_start(&progress, "qisim run", quiet || o.replicates < 2);
    o.progress = show_progress;
    o.progress_ctx = &progress;

    qisim_run_result res;
    qisim_err err;
    qisim_err_clear(&err);
    if (qisim_run(&o, &res, &err) != QISIM_OK) {
        fprintf(stderr, "%s\n", err.msg);
        status = CLI_FAILED;
        goto done;
    }
    if (!quiet)
        printf("qisim run: %s, %d replicate%s x %d weeks: results in %s/ (series.csv, events.csv,%s manifest.json)\n",
               o.scenario_path, o.replicates, o.replicates == 1 ? "" : "s", res.weeks, res.out_dir,
               o.replicates > 1 ? " summary.csv," : "");
    status = CLI_OK;
done:
    free(sets);
    free(args);
    free(set_file_text);
    return status;
}
