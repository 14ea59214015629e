/* qisim calibrate: ABC-SMC over a calibration file's free parameters (src/experiment/calibrate.c);
 * prints each generation as it finishes, then the posterior beside the prior per parameter. */
#include <stdio.h>

#include "cli.h"
#include "qisim/calibrate.h"

static const char calibrate_usage[] =
    "usage: qisim calibrate CALIBRATION.lua [--threads N] [--out DIR] [--resume] [--generations N]\n"
    "                       [--time-limit SECONDS]\n"
    "\n"
    "Fits the free parameters of a calibration file (calibrate{...}, docs/calibration.md) to the\n"
    "targets of its calibration patterns by approximate Bayesian computation (ABC-SMC): each\n"
    "generation's tolerance is a quantile of the last one's distances, particles move by a\n"
    "Gaussian kernel of twice their weighted variance. Writes DIR/results.sqlite (particles and\n"
    "generations) and DIR/posterior.set (the posterior medians, for --set-file).\n"
    "  --threads N  simulate proposals on N threads (default 1); the result is the same for any N\n"
    "  --out DIR    output folder (default results/<name>)\n"
    "  --resume     continue an interrupted calibration in DIR after its last whole generation\n"
    "  --generations N  run N generations instead of the file's; with --resume, more than were\n"
    "               run extend a finished calibration (5 then 7 gives what 7 at once gives)\n"
    "  --time-limit S  wall-clock seconds of scenario Lua per replicate (default 600; 0: none)\n";

static void on_generation(void *ctx, const qisim_calibration *c, const qisim_cal_generation *g)
{
    bool *header = ctx;
    if (!*header) {
        printf("qisim calibrate: %s: %d particles, %d replicates per arm, seed %llu\n", c->path, c->particles, c->reps,
               (unsigned long long)c->seed);
        printf("%-10s %-10s %-10s %-10s %-9s %-10s %s\n", "generation", "epsilon", "proposals", "simulated", "accepted",
               "acceptance", "seconds");
        *header = true;
    }
    char eps[32];
    snprintf(eps, sizeof eps, g->epsilon < 1e300 ? "%.4g" : "inf", g->epsilon);
    printf("%-10d %-10s %-10lld %-10lld %-9d %-10.3f %.1f\n", g->generation, eps, (long long)g->proposals,
           (long long)g->simulated, g->accepted, g->simulated ? (double)g->accepted / (double)g->simulated : 0.0,
           g->seconds);
    fflush(stdout);
}

int cli_calibrate(int argc, char **argv)
{
    bool header = false;
    qisim_calibrate_options o = {.threads = 1, .on_generation = on_generation, .ctx = &header};
    enum { THREADS = 256, OUT, RESUME, GENERATIONS, TIME_LIMIT };
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"threads", required_argument, NULL, THREADS},
        {"out", required_argument, NULL, OUT},
        {"resume", no_argument, NULL, RESUME},
        {"generations", required_argument, NULL, GENERATIONS},
        {"time-limit", required_argument, NULL, TIME_LIMIT},
        {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "calibrate", options)) != -1;) {
        switch (c) {
        case 'h':
            fputs(calibrate_usage, stdout);
            cli_mpi_help();
            return CLI_OK;
        case THREADS:
            if (!cli_parse_int(optarg, 1, 256, &o.threads)) {
                cli_usage_error("calibrate", "--threads needs a whole number from 1 to 256");
                return CLI_USAGE;
            }
            break;
        case OUT:
            if (!optarg[0]) {
                cli_usage_error("calibrate", "--out needs a directory");
                return CLI_USAGE;
            }
            o.out_dir = optarg;
            break;
        case RESUME: o.resume = true; break;
        case GENERATIONS:
            if (!cli_parse_int(optarg, 1, QISIM_CAL_MAX_GENERATIONS, &o.generations)) {
                cli_usage_error("calibrate", "--generations needs a whole number from 1 to %d", QISIM_CAL_MAX_GENERATIONS);
                return CLI_USAGE;
            }
            break;
        case TIME_LIMIT:
            if (!cli_set_time_limit(optarg)) {
                cli_usage_error("calibrate", "--time-limit needs whole seconds (0: no limit)");
                return CLI_USAGE;
            }
            break;
        default: return CLI_USAGE; /* CLI_BAD_OPTION: already said */
        }
    }
    if (argc - optind > 1) {
        cli_usage_error("calibrate", "one calibration file at a time ('%s' and '%s')", argv[optind], argv[optind + 1]);
        return CLI_USAGE;
    }
    if (optind < argc)
        o.path = argv[optind];
    if (!o.path) {
        cli_usage_error("calibrate", "no calibration file given");
        return CLI_USAGE;
    }
    static qisim_calibrate_result res; /* large: not on the stack */
    qisim_err err;
    int rc = qisim_calibrate(&o, &res, &err);
    if (rc) {
        fprintf(stderr, "qisim calibrate: %s\n", err.msg);
        return CLI_FAILED;
    }
    const qisim_calibration *c = &res.cal;
    if (res.resumed_gens)
        printf("(generations 0-%d were read back from %s)\n", res.resumed_gens - 1, res.database);
    printf("%d generations of %d particles, %d targets\n", res.n_gens, c->particles, res.n_targets);
    printf("%-32s %-26s %-30s %-30s %s\n", "parameter", "prior", "prior median [5%, 95%]", "posterior median [5%, 95%]",
           "identified");
    for (int j = 0; j < c->n_params; j++) {
        const qisim_cal_param *p = &c->params[j];
        const qisim_cal_summary *s = &res.summary[j];
        char prior[64], pq[64], sq[64], id[64];
        snprintf(prior, sizeof prior, "%s(%g, %g)", qisim_prior_name(p->prior), p->a, p->b);
        snprintf(pq, sizeof pq, "%.4g [%.4g, %.4g]", s->prior_q[0], s->prior_q[1], s->prior_q[2]);
        snprintf(sq, sizeof sq, "%.4g [%.4g, %.4g]", s->post_q[0], s->post_q[1], s->post_q[2]);
        snprintf(id, sizeof id, s->identified ? "yes (width %.2f of prior)" : "NOT IDENTIFIED (width %.2f of prior)",
                 s->width_ratio);
        printf("%-32s %-26s %-30s %-30s %s\n", p->name, prior, pq, sq, id);
    }
    printf("qisim calibrate: particles in %s; posterior medians in %s (use with --set-file)\n", res.database, res.set_file);
    return CLI_OK;
}
