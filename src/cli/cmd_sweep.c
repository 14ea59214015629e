/* qisim sweep and qisim export: experiments into a results database, and tables out of it. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "qisim/sensitivity.h"
#include "qisim/sweep.h"

static const char sweep_usage[] =
    "usage: qisim sweep EXPERIMENT.lua [--threads N] [--out DIR] [--resume] [--time-limit SECONDS] [--quiet]\n"
    "\n"
    "Runs every design point of an experiment (scenario, factors, levels or ranges, replicates,\n"
    "outcomes: see docs/experiments.md) and streams each finished run into\n"
    "DIR/results.sqlite (default DIR: results/<experiment name>). Replicate r of every point\n"
    "uses the same random numbers (common random numbers). An interrupted sweep (Ctrl-C, kill)\n"
    "keeps every run it finished; --resume runs the rest, and the database then equals that of\n"
    "an uninterrupted sweep. Outputs are the same for any --threads. --time-limit S stops a run\n"
    "whose scenario Lua has run S seconds of wall clock (default 600; 0: no limit).\n";

static const char export_usage[] =
    "usage: qisim export DATABASE [--table NAME]\n"
    "\n"
    "Writes one table of a sweep's results database as CSV on standard output (default table:\n"
    "summaries). Tables: meta, points, point_values, runs, series, events, summaries; of a\n"
    "calibration database (qisim calibrate): meta, parameters, generations, particles; of a\n"
    "validation database (qisim validate --db): meta, rows.\n";

static void show_progress(void *ctx, int64_t done, int64_t total)
{
    cli_progress_update(ctx, done, total);
}

int cli_sweep(int argc, char **argv)
{
    qisim_sweep_options o = {.threads = 1};
    bool quiet = false;
    enum { THREADS = 256, OUT, TIME_LIMIT, RESUME, QUIET };
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},   {"threads", required_argument, NULL, THREADS},
        {"out", required_argument, NULL, OUT}, {"time-limit", required_argument, NULL, TIME_LIMIT},
        {"resume", no_argument, NULL, RESUME}, {"quiet", no_argument, NULL, QUIET},
        {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "sweep", options)) != -1;) {
        switch (c) {
        case 'h':
            fputs(sweep_usage, stdout);
            cli_mpi_help();
            return CLI_OK;
        case THREADS:
            if (!cli_parse_int(optarg, 1, 256, &o.threads)) {
                cli_usage_error("sweep", "--threads needs a whole number from 1 to 256");
                return CLI_USAGE;
            }
            break;
        case OUT: o.out_dir = optarg; break;
        case TIME_LIMIT:
            if (!cli_set_time_limit(optarg)) {
                cli_usage_error("sweep", "--time-limit needs whole seconds (0: no limit)");
                return CLI_USAGE;
            }
            break;
        case RESUME: o.resume = true; break;
        case QUIET: quiet = true; break;
        default: return CLI_USAGE;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (o.experiment_path) {
            cli_usage_error("sweep", "unexpected argument '%s'", argv[i]);
            return CLI_USAGE;
        }
        o.experiment_path = argv[i];
    }
    if (!o.experiment_path) {
        cli_usage_error("sweep", "which experiment? e.g. qisim sweep experiments/coaching_vs_training.lua");
        return CLI_USAGE;
    }
    cli_progress progress;
    cli_progress_start(&progress, "qisim sweep", quiet);
    o.progress = show_progress;
    o.progress_ctx = &progress;
    qisim_sweep_result res;
    qisim_err err;
    qisim_err_clear(&err);
    if (qisim_sweep(&o, &res, &err) != QISIM_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return CLI_FAILED;
    }
    if (!quiet)
        printf("qisim sweep: %lld points x replicates = %lld runs (%lld already done): results in %s\n",
               (long long)res.points, (long long)res.runs_total, (long long)res.runs_done_before, res.database);
    return CLI_OK;
}

int cli_export(int argc, char **argv)
{
    const char *db = NULL, *table = "summaries";
    static const struct option options[] = {{"help", no_argument, NULL, 'h'}, {"table", required_argument, NULL, 't'},
                                            {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "export", options)) != -1;) {
        if (c == 'h') {
            fputs(export_usage, stdout);
            return CLI_OK;
        } else if (c == 't') {
            table = optarg;
        } else {
            return CLI_USAGE;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (db) {
            cli_usage_error("export", "unexpected argument '%s'", argv[i]);
            return CLI_USAGE;
        }
        db = argv[i];
    }
    if (!db) {
        cli_usage_error("export", "which database? e.g. qisim export results/x/results.sqlite");
        return CLI_USAGE;
    }
    qisim_err err;
    qisim_err_clear(&err);
    if (qisim_export_table(db, table, stdout, &err) != QISIM_OK) {
        fprintf(stderr, "qisim export: %s\n", err.msg);
        return CLI_FAILED;
    }
    return CLI_OK;
}

static const char sensitivity_usage[] =
    "usage: qisim sensitivity DATABASE --metric M [--level L] [--entity E] [--week W]\n"
    "                         [--method morris|prcc]\n"
    "\n"
    "Ranks the factors of a Morris sweep (experiment design = \"morris\") by their influence on\n"
    "metric M (default level system, entity system, last recorded week): mu_star (mean absolute\n"
    "elementary effect), mu (its sign), sigma (interactions, non-linearity), as CSV. For a sweep\n"
    "with arms the outcome is the contrast of each design point, arm 2 minus arm 1.\n"
    "--method prcc (the default for a Latin hypercube sweep): partial rank correlation of each\n"
    "factor with the outcome over the design points, ranked by its size.\n";

int cli_sensitivity(int argc, char **argv)
{
    const char *db = NULL, *metric = NULL, *level = "system", *entity = "system";
    const char *method = NULL;
    int32_t week = -1;
    enum { METRIC = 256, LEVEL, ENTITY, WEEK, METHOD };
    static const struct option options[] = {{"help", no_argument, NULL, 'h'},         {"metric", required_argument, NULL, METRIC},
                                            {"level", required_argument, NULL, LEVEL}, {"entity", required_argument, NULL, ENTITY},
                                            {"week", required_argument, NULL, WEEK},   {"method", required_argument, NULL, METHOD},
                                            {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "sensitivity", options)) != -1;) {
        switch (c) {
        case 'h':
            fputs(sensitivity_usage, stdout);
            return CLI_OK;
        case METHOD:
            if (strcmp(optarg, "morris") != 0 && strcmp(optarg, "prcc") != 0) {
                cli_usage_error("sensitivity", "--method needs morris or prcc");
                return CLI_USAGE;
            }
            method = optarg;
            break;
        case METRIC: metric = optarg; break;
        case LEVEL: level = optarg; break;
        case ENTITY: entity = optarg; break;
        case WEEK:
            if (!cli_parse_int(optarg, 0, 1000000, &week)) {
                cli_usage_error("sensitivity", "--week needs a whole number");
                return CLI_USAGE;
            }
            break;
        default: return CLI_USAGE;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (db) {
            cli_usage_error("sensitivity", "unexpected argument '%s'", argv[i]);
            return CLI_USAGE;
        }
        db = argv[i];
    }
    if (!db || !metric) {
        cli_usage_error("sensitivity", "needs a database and --metric");
        return CLI_USAGE;
    }
    qisim_effect *e;
    int n;
    qisim_err err;
    qisim_err_clear(&err);
    if (!method) { /* a Latin hypercube's points are no trajectories: PRCC */
        sqlite3 *handle;
        method = "morris";
        if (qisim_results_open_readonly(db, &handle, &err) == QISIM_OK) {
            sqlite3_stmt *q;
            if (sqlite3_prepare_v2(handle, "SELECT value FROM meta WHERE key = 'design'", -1, &q, NULL) == SQLITE_OK) {
                if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) &&
                    strcmp((const char *)sqlite3_column_text(q, 0), "lhs") == 0)
                    method = "prcc";
                sqlite3_finalize(q);
            }
            sqlite3_close(handle);
        }
    }
    if (strcmp(method, "prcc") == 0) {
        qisim_prcc *pr;
        if (qisim_sensitivity_prcc(db, metric, level, entity, week, &pr, &n, &err) != QISIM_OK) {
            fprintf(stderr, "qisim sensitivity: %s\n", err.msg);
            return CLI_FAILED;
        }
        qisim_sensitivity_prcc_write_csv(stdout, pr, n);
        free(pr);
        return CLI_OK;
    }
    if (qisim_sensitivity(db, metric, level, entity, week, &e, &n, &err) != QISIM_OK) {
        fprintf(stderr, "qisim sensitivity: %s\n", err.msg);
        return CLI_FAILED;
    }
    qisim_sensitivity_write_csv(stdout, e, n);
    free(e);
    return CLI_OK;
}
