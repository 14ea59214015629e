/* qisim validate: loads the pattern files (scenarios/validation/patterns/), runs each with the
 * engine of src/experiment/validate.c and prints calibration targets and held-out checks
 * apart, each row's figure beside its target, MET or MISSED, and its knock-out. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "qisim/calibrate.h"
#include "qisim/validate.h"

static const char validate_usage[] =
    "usage: qisim validate [PATTERN ...] [--quick] [--reps N] [--seed N] [--threads N] [--pattern ID]\n"
    "                      [--set name=value ...] [--set-file F] [--no-knockouts] [--strict]\n"
    "                      [--patterns DIR] [--db FILE] [--posterior DATABASE [--draws N]] [--seeds N]\n"
    "\n"
    "Runs the validation patterns, each a file in scenarios/validation/patterns/: the published\n"
    "patterns of MODEL.md §5 (P1-P8: calibration targets, parameters were fitted to them) and\n"
    "the dynamics of §6 and crisis mode (H1-H9: held-out checks, nothing was fitted to them),\n"
    "over replicates, and prints each figure beside its target, MET or MISSED. Each is then run\n"
    "again with the mechanism that should produce it knocked out (the --set shown): it must then\n"
    "be missed, or the pattern is built in rather than produced. PATTERN is an id (P3, h2; a bare\n"
    "number means P) or a pattern file's path; none: every pattern.\n"
    "  --quick    3 replicates per arm: checks the machinery, not the figures\n"
    "  --reps N   replicates per arm (default 20)\n"
    "  --seed N   run seed of every arm (default 1): arms share it, so they are paired\n"
    "  --threads N  run replicates on N threads (default 1); the figures are the same for any N\n"
    "  --pattern ID  only this pattern (as PATTERN)\n"
    "  --set name=value  change a parameter in every arm (to see how a figure depends on it)\n"
    "  --set-file F  the name=value lines of F as --set (e.g. a calibration's posterior.set)\n"
    "  --no-knockouts  skip the knock-out runs\n"
    "  --strict   exit 1 if any pattern is MISSED or any knock-out is still met\n"
    "  --patterns DIR  read the pattern files from DIR (default scenarios/validation/patterns)\n"
    "  --posterior DATABASE  a posterior predictive check: run the held-out patterns (or those\n"
    "             named) at N draws from a calibration's last generation (qisim calibrate) and\n"
    "             report how often each is met\n"
    "  --draws N  posterior draws (default 10)\n"
    "  --seeds N  run every pattern (or those named) at N seeds, --seed to --seed + N - 1, and\n"
    "             report in how many each row is met: a verdict one seed's paired replicates\n"
    "             cannot settle shows as met in some seeds and missed in others (no knock-outs)\n"
    "  --db FILE  also write the rows, figures, verdicts and knock-outs into the SQLite FILE\n";

/* A pattern's rows over several runs (posterior draws, or seeds): in how many each is met, and
 * its figure at the first run. */
typedef struct row_counts {
    int met[QISIM_PAT_MAX_ROWS];
    char first[QISIM_PAT_MAX_ROWS][256];
    int runs;
} row_counts;

/* Runs pattern p once with options o and the extra --set values, and counts its rows into c. */
static int count_run(const qisim_pattern *p, const qisim_validate_options *o, const char **extra, int n_extra,
                     row_counts *c)
{
    qisim_err err;
    qisim_pattern_data d;
    if (qisim_pattern_run(p, o, extra, n_extra, &d, &err)) {
        fprintf(stderr, "qisim validate: %s\n", err.msg);
        return CLI_FAILED;
    }
    for (int r = 0; r < p->n_rows; r++) {
        qisim_row_result res;
        qisim_pattern_judge_row(p, &d, r, &res);
        c->met[r] += res.met;
        if (c->runs == 0)
            snprintf(c->first[r], sizeof c->first[r], "%s", res.figure);
    }
    c->runs++;
    qisim_pattern_data_free(&d);
    return CLI_OK;
}

static void print_counts(const qisim_pattern *p, const row_counts *c)
{
    for (int r = 0; r < p->n_rows; r++) {
        char target[2 * QISIM_PAT_TEXT + 4], share[32];
        snprintf(target, sizeof target, "%s (%s)", p->rows[r].target, p->rows[r].source);
        snprintf(share, sizeof share, "%d/%d", c->met[r], c->runs);
        printf("%-46s %-58s %-38s %s\n", p->rows[r].title, c->first[r], target, share);
    }
    fflush(stdout);
}

/* Runs pattern p at each posterior draw (its values after --set) and prints how often each
 * row is met. */
static int run_posterior(const qisim_pattern *p, const qisim_validate_options *o, const qisim_posterior *post,
                         const int *draws, int n_draws)
{
    row_counts c = {{0}, {{0}}, 0};
    for (int k = 0; k < n_draws; k++) {
        char text[QISIM_CAL_MAX_PARAMS][160];
        const char *extra[QISIM_CAL_MAX_PARAMS];
        for (int j = 0; j < post->n_params; j++) {
            snprintf(text[j], sizeof text[j], "%s=%.17g", post->names[j], post->x[draws[k] * post->n_params + j]);
            extra[j] = text[j];
        }
        if (count_run(p, o, extra, post->n_params, &c))
            return CLI_FAILED;
    }
    print_counts(p, &c);
    return CLI_OK;
}

/* Runs pattern p at seeds o->seed .. o->seed + n_seeds - 1 and prints how often each row is met. */
static int run_seeds(const qisim_pattern *p, const qisim_validate_options *o, int n_seeds)
{
    row_counts c = {{0}, {{0}}, 0};
    for (int k = 0; k < n_seeds; k++) {
        qisim_validate_options at = *o;
        at.seed = o->seed + (uint64_t)k;
        if (count_run(p, &at, NULL, 0, &c))
            return CLI_FAILED;
    }
    print_counts(p, &c);
    return CLI_OK;
}

enum { MAX_PATTERNS = 64, MAX_SETS = 256 };

/* "P3" from "p3", "3" or "P3". */
static void normalise_id(const char *in, char *out, size_t size)
{
    bool digit = in[0] >= '1' && in[0] <= '9';
    snprintf(out, size, "%s%s", digit ? "P" : "", in);
    out[0] = (char)toupper((unsigned char)out[0]);
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

/* Calibration targets first, then held-out checks; within each by letter, then number. */
static int compare_patterns(const void *a, const void *b)
{
    const qisim_pattern *x = *(qisim_pattern *const *)a, *y = *(qisim_pattern *const *)b;
    if (x->calibration != y->calibration)
        return x->calibration ? -1 : 1;
    if (x->id[0] != y->id[0])
        return x->id[0] - y->id[0];
    int nx = atoi(x->id + 1), ny = atoi(y->id + 1);
    return nx != ny ? nx - ny : strcmp(x->id, y->id);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads every *.lua of dir, in name order, into pats (allocated). */
static int load_dir(const char *dir, qisim_pattern **pats, int *n)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "qisim validate: cannot read the pattern folder %s\n", dir);
        return CLI_FAILED;
    }
    char *names[MAX_PATTERNS];
    int count = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.' || !ends_with(e->d_name, ".lua"))
            continue;
        if (count >= MAX_PATTERNS) {
            closedir(d);
            for (int i = 0; i < count; i++)
                free(names[i]);
            fprintf(stderr, "qisim validate: more than %d pattern files in %s\n", MAX_PATTERNS, dir);
            return CLI_FAILED;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[count] = malloc(len);
        if (!names[count])
            break;
        snprintf(names[count], len, "%s/%s", dir, e->d_name);
        count++;
    }
    closedir(d);
    qsort(names, (size_t)count, sizeof names[0], compare_names);
    int rc = CLI_OK;
    for (int i = 0; i < count; i++) {
        if (rc == CLI_OK) {
            qisim_err err;
            pats[*n] = malloc(sizeof *pats[*n]);
            if (!pats[*n] || qisim_pattern_load(names[i], pats[*n], &err)) {
                fprintf(stderr, "qisim validate: %s\n", pats[*n] ? err.msg : "out of memory");
                free(pats[*n]);
                rc = CLI_FAILED;
            } else {
                (*n)++;
            }
        }
        free(names[i]);
    }
    return rc;
}

static void print_row(const qisim_pattern *p, const qisim_pattern_row *r, const qisim_row_result *res)
{
    char target[2 * QISIM_PAT_TEXT + 4], kind[QISIM_PAT_TEXT + 16];
    snprintf(target, sizeof target, "%s (%s)", r->target, r->source);
    snprintf(kind, sizeof kind, p->calibration ? "calibration: %s" : "held-out", p->fitted);
    printf("%-46s %-58s %-38s %-6s %s\n", r->title, res->figure, target, res->met ? "MET" : "MISSED", kind);
}

/* Runs pattern p, prints its rows, each with its knock-out under it; counts into totals
 * (met, missed, knock-outs missed, knock-outs still met). */
static int run_pattern(const qisim_pattern *p, const qisim_validate_options *o, bool knockouts, int totals[4],
                       qisim_validation_db *vdb)
{
    qisim_err err;
    qisim_pattern_data d;
    if (qisim_pattern_run(p, o, NULL, 0, &d, &err)) {
        fprintf(stderr, "qisim validate: %s\n", err.msg);
        return CLI_FAILED;
    }
    qisim_row_result res[QISIM_PAT_MAX_ROWS];
    for (int k = 0; k < p->n_rows; k++)
        qisim_pattern_judge_row(p, &d, k, &res[k]);
    qisim_pattern_data_free(&d);
    for (int k = 0; k < p->n_rows; k++) {
        const qisim_pattern_row *r = &p->rows[k];
        print_row(p, r, &res[k]);
        totals[res[k].met ? 0 : 1]++;
        if (!knockouts) {
            if (vdb && qisim_validation_db_add(vdb, p, k, &res[k], NULL, NULL, &err))
                goto db_failed;
            continue;
        }
        if (r->n_knockout && !res[k].met) {
            printf("  %-44s %s\n", "knock-out: n/a", "the pattern is missed: a knock-out cannot show what produces it");
            if (vdb && qisim_validation_db_add(vdb, p, k, &res[k], NULL, NULL, &err))
                goto db_failed;
            continue;
        }
        if (!r->n_knockout) {
            printf("  %-44s %s\n", "knock-out: n/a", "a null pattern: no mechanism produces it");
            if (vdb && qisim_validation_db_add(vdb, p, k, &res[k], NULL, NULL, &err))
                goto db_failed;
            continue;
        }
        const char *ko[QISIM_PAT_MAX_ASSIGN];
        char label[QISIM_PAT_MAX_ASSIGN * QISIM_PAT_TEXT + 16] = "knock-out: ";
        for (int i = 0; i < r->n_knockout; i++) {
            ko[i] = r->knockout[i];
            if (i)
                strcat(label, ",");
            strcat(label, r->knockout[i]);
        }
        if (qisim_pattern_run(p, o, ko, r->n_knockout, &d, &err)) {
            fprintf(stderr, "qisim validate: %s\n", err.msg);
            return CLI_FAILED;
        }
        qisim_row_result kr;
        qisim_pattern_judge_row(p, &d, k, &kr);
        qisim_pattern_data_free(&d);
        printf("  %-44s %-58s %-38s %s\n", label, kr.figure, "", kr.met ? "STILL MET: built in" : "missed, as it must be");
        totals[kr.met ? 3 : 2]++;
        if (vdb && qisim_validation_db_add(vdb, p, k, &res[k], label + strlen("knock-out: "), &kr, &err))
            goto db_failed;
    }
    fflush(stdout);
    return CLI_OK;
db_failed:
    fprintf(stderr, "qisim validate: %s\n", err.msg);
    return CLI_FAILED;
}

int cli_validate(int argc, char **argv)
{
    qisim_validate_options o = {.seed = 1, .reps = 20, .threads = 1, .across_processes = true};
    bool strict = false, knockouts = true;
    const char *dir = "scenarios/validation/patterns", *posterior = NULL, *db_path = NULL;
    qisim_validation_db *vdb = NULL;
    int n_draws = 10, n_seeds = 0;
    enum { SET_FILE_CAP = 512 };
    const char **sets = calloc((size_t)argc + SET_FILE_CAP, sizeof *sets);
    char *set_file_text = NULL;
    const char **wanted = calloc((size_t)argc + 1, sizeof *wanted);
    qisim_pattern *pats[MAX_PATTERNS];
    int n_pats = 0, n_wanted = 0, rc = CLI_USAGE;
    if (!sets || !wanted) {
        free(sets);
        free(wanted);
        return CLI_FAILED;
    }
    enum { QUICK = 256, STRICT, REPS, THREADS, NO_KNOCKOUTS, PATTERNS, DB, POSTERIOR, DRAWS, PATTERN, SET, SET_FILE, SEED, SEEDS };
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},           {"quick", no_argument, NULL, QUICK},
        {"strict", no_argument, NULL, STRICT},      {"reps", required_argument, NULL, REPS},
        {"threads", required_argument, NULL, THREADS}, {"no-knockouts", no_argument, NULL, NO_KNOCKOUTS},
        {"patterns", required_argument, NULL, PATTERNS}, {"db", required_argument, NULL, DB},
        {"posterior", required_argument, NULL, POSTERIOR}, {"draws", required_argument, NULL, DRAWS},
        {"pattern", required_argument, NULL, PATTERN}, {"set", required_argument, NULL, SET},
        {"set-file", required_argument, NULL, SET_FILE}, {"seed", required_argument, NULL, SEED},
        {"seeds", required_argument, NULL, SEEDS},     {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "validate", options)) != -1;) {
        switch (c) {
        case 'h':
            fputs(validate_usage, stdout);
            cli_mpi_help();
            rc = CLI_OK;
            goto out;
        case QUICK: o.reps = 3; break;
        case STRICT: strict = true; break;
        case REPS:
            if (!cli_parse_int(optarg, 1, 1000, &o.reps)) {
                cli_usage_error("validate", "--reps needs a whole number from 1 to %d", 1000);
                goto out;
            }
            break;
        case THREADS:
            if (!cli_parse_int(optarg, 1, 256, &o.threads)) {
                cli_usage_error("validate", "--threads needs a whole number from 1 to 256");
                goto out;
            }
            break;
        case NO_KNOCKOUTS: knockouts = false; break;
        case PATTERNS: dir = optarg; break;
        case DB: db_path = optarg; break;
        case POSTERIOR: posterior = optarg; break;
        case DRAWS:
            if (!cli_parse_int(optarg, 1, 10000, &n_draws)) {
                cli_usage_error("validate", "--draws needs a whole number from 1 to 10000");
                goto out;
            }
            break;
        case PATTERN:
            if (!optarg[0] || strlen(optarg) > 3) {
                cli_usage_error("validate", "--pattern needs an id such as P3 or H2");
                goto out;
            }
            wanted[n_wanted++] = optarg;
            break;
        case SET:
            if (!strchr(optarg, '=')) {
                cli_usage_error("validate", "--set needs name=value");
                goto out;
            }
            if (cli_name_repeated(sets, o.n_sets, optarg)) {
                cli_usage_error("validate", "--set %.*s is given twice", (int)strcspn(optarg, "="), optarg);
                goto out;
            }
            sets[o.n_sets++] = optarg;
            break;
        case SET_FILE:
            if (set_file_text) {
                cli_usage_error("validate", "--set-file needs one file (name=value lines)");
                goto out;
            }
            if (!cli_read_set_file("validate", optarg, sets, &o.n_sets, argc + SET_FILE_CAP, &set_file_text)) {
                rc = CLI_FAILED;
                goto out;
            }
            break;
        case SEED:
            if (!cli_parse_u64(optarg, &o.seed)) {
                cli_usage_error("validate", "--seed needs a whole number");
                goto out;
            }
            break;
        case SEEDS:
            if (!cli_parse_int(optarg, 1, 1000, &n_seeds)) {
                cli_usage_error("validate", "--seeds needs a whole number from 1 to 1000");
                goto out;
            }
            break;
        default: goto out; /* cli_getopt has printed the usage error */
        }
    }
    for (int i = optind; i < argc; i++) {
        if (!argv[i][0]) {
            cli_usage_error("validate", "unknown argument '%s'", argv[i]);
            goto out;
        }
        wanted[n_wanted++] = argv[i];
    }
    o.sets = sets;
    /* pattern files named by path load alone; ids pick from the folder */
    bool by_path = n_wanted > 0;
    for (int k = 0; k < n_wanted; k++)
        by_path &= ends_with(wanted[k], ".lua");
    rc = CLI_OK;
    if (by_path) {
        for (int k = 0; k < n_wanted && rc == CLI_OK && n_pats < MAX_PATTERNS; k++) {
            qisim_err err;
            pats[n_pats] = malloc(sizeof *pats[n_pats]);
            if (!pats[n_pats] || qisim_pattern_load(wanted[k], pats[n_pats], &err)) {
                fprintf(stderr, "qisim validate: %s\n", pats[n_pats] ? err.msg : "out of memory");
                free(pats[n_pats]);
                rc = CLI_FAILED;
            } else {
                n_pats++;
            }
        }
    } else {
        rc = load_dir(dir, pats, &n_pats);
    }
    if (rc)
        goto out;
    qsort(pats, (size_t)n_pats, sizeof pats[0], compare_patterns);
    bool selected[MAX_PATTERNS];
    for (int k = 0; k < n_pats; k++)
        selected[k] = by_path || n_wanted == 0;
    for (int w = 0; !by_path && w < n_wanted; w++) {
        char id[16];
        normalise_id(wanted[w], id, sizeof id);
        bool found = false;
        for (int k = 0; k < n_pats; k++)
            if (strcmp(pats[k]->id, id) == 0)
                found = selected[k] = true;
        if (!found) {
            char ids[512] = "";
            for (int k = 0; k < n_pats; k++)
                snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", k ? ", " : "", pats[k]->id);
            cli_usage_error("validate", "no pattern '%s' (%s)", id, ids);
            rc = CLI_USAGE;
            goto out;
        }
    }
    if (n_seeds && (posterior || db_path)) {
        cli_usage_error("validate", "--seeds cannot go with %s", posterior ? "--posterior" : "--db");
        rc = CLI_USAGE;
        goto out;
    }
    if (n_seeds) {
        printf("qisim validate --seeds %d: seeds %llu to %llu, %d replicates per arm%s", n_seeds,
               (unsigned long long)o.seed, (unsigned long long)(o.seed + (uint64_t)n_seeds - 1), o.reps,
               o.reps < 10 ? " (quick: figures are rough)" : "");
        for (int i = 0; i < o.n_sets; i++)
            printf("%s --set %s", i ? "" : ", with", o.sets[i]);
        putchar('\n');
        printf("%-46s %-58s %-38s %s\n", "pattern", "figure at the first seed", "target", "met in seeds");
        for (int k = 0; k < n_pats && rc == CLI_OK; k++)
            if (selected[k])
                rc = run_seeds(pats[k], &o, n_seeds);
        goto out;
    }
    if (posterior) {
        qisim_posterior post;
        qisim_err err;
        if (qisim_posterior_read(posterior, &post, &err)) {
            fprintf(stderr, "qisim validate: %s\n", err.msg);
            rc = CLI_FAILED;
            goto out;
        }
        int *draws = calloc((size_t)n_draws, sizeof *draws);
        if (!draws) {
            qisim_posterior_free(&post);
            rc = CLI_FAILED;
            goto out;
        }
        qisim_posterior_draws(&post, o.seed, n_draws, draws);
        printf("qisim validate --posterior %s: %d draws from generation %d (%d particles), %d replicates per arm, seed %llu\n",
               posterior, n_draws, post.generation, post.n, o.reps, (unsigned long long)o.seed);
        printf("%-46s %-58s %-38s %s\n", "pattern", "figure at the first draw", "target", "met in draws");
        for (int k = 0; k < n_pats && rc == CLI_OK; k++)
            if (n_wanted ? selected[k] : !pats[k]->calibration)
                rc = run_posterior(pats[k], &o, &post, draws, n_draws);
        free(draws);
        qisim_posterior_free(&post);
        goto out;
    }
    printf("qisim validate: %d replicates per arm, seed %llu%s", o.reps, (unsigned long long)o.seed,
           o.reps < 10 ? " (quick: figures are rough)" : "");
    for (int i = 0; i < o.n_sets; i++)
        printf("%s --set %s", i ? "" : ", with", o.sets[i]);
    putchar('\n');
    printf("%-46s %-58s %-38s %-6s %s\n", "pattern", "figure", "target", "verdict", "kind");
    if (db_path) {
        qisim_err err;
        if (qisim_validation_db_open(db_path, &o, &vdb, &err)) {
            fprintf(stderr, "qisim validate: %s\n", err.msg);
            rc = CLI_FAILED;
            goto out;
        }
    }
    int totals[2][4] = {{0}}; /* [calibration, held-out] x (met, missed, knock-outs missed, still met) */
    for (int section = 0; section < 2; section++) {
        bool header = false;
        for (int k = 0; k < n_pats; k++) {
            if (!selected[k] || pats[k]->calibration != (section == 0))
                continue;
            if (!header)
                printf("%s\n", section == 0 ? "-- calibration targets (parameters were fitted to these)"
                                            : "-- held-out checks (nothing was fitted to these)");
            header = true;
            if ((rc = run_pattern(pats[k], &o, knockouts, totals[section], vdb)))
                goto out;
        }
    }
    int all[4];
    for (int t = 0; t < 4; t++)
        all[t] = totals[0][t] + totals[1][t];
    printf("calibration targets: %d met, %d missed; held-out checks: %d met, %d missed\n", totals[0][0],
           totals[0][1], totals[1][0], totals[1][1]);
    printf("validate: %d met, %d missed", all[0], all[1]);
    if (knockouts)
        printf("; knock-outs: %d missed as they must be, %d still met (built in)", all[2], all[3]);
    putchar('\n');
    rc = strict && (all[1] || all[3]) ? CLI_FAILED : CLI_OK;
    if (vdb) {
        qisim_err err;
        qisim_validation_db *v = vdb;
        vdb = NULL;
        if (qisim_validation_db_close(v, true, &err)) {
            fprintf(stderr, "qisim validate: %s\n", err.msg);
            rc = CLI_FAILED;
        }
    }
out:
    qisim_validation_db_close(vdb, false, NULL);
    for (int k = 0; k < n_pats; k++)
        free(pats[k]);
    free(sets);
    free(wanted);
    free(set_file_text);
    return rc;
}
