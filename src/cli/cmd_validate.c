/* qisim validate: the published patterns of MODEL.md §5, each a figure over replicates
 * beside its target, MET or MISSED. The scenarios are in scenarios/validation/. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "qisim/metrics.h"
#include "qisim/run.h"

static const char validate_usage[] =
    "usage: qisim validate [--quick] [--reps N] [--seed N] [--pattern N] [--set name=value ...] [--strict]\n"
    "\n"
    "Runs each published pattern of MODEL.md §5 (scenarios/validation/p*.lua) over replicates\n"
    "and prints its figure (median and 10-90% range) beside the target, MET or MISSED.\n"
    "  --quick    3 replicates per arm: checks the machinery, not the figures\n"
    "  --reps N   replicates per arm (default 20)\n"
    "  --seed N   run seed of every arm (default 1): arms share it, so they are paired\n"
    "  --pattern N  only pattern N (1-8)\n"
    "  --set name=value  change a parameter in every arm (to see how a figure depends on it)\n"
    "  --strict   exit 1 if any pattern is MISSED (default: misses are reported, exit 0)\n";

#define MAX_REPS 1000
#define MAX_TEAMS 512

typedef struct sample {
    double v[MAX_REPS * 4];
    int n;
} sample;

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile by linear interpolation (sorts s). NaN for an empty sample. */
static double quantile(sample *s, double q)
{
    if (s->n == 0)
        return (double)NAN;
    qsort(s->v, (size_t)s->n, sizeof s->v[0], compare_doubles);
    double pos = q * (s->n - 1);
    int lo = (int)floor(pos);
    int hi = lo + 1 < s->n ? lo + 1 : lo;
    return s->v[lo] + (pos - lo) * (s->v[hi] - s->v[lo]);
}

static void add(sample *s, double x)
{
    if (s->n < (int)(sizeof s->v / sizeof s->v[0]))
        s->v[s->n++] = x;
}

typedef struct validation {
    int reps;
    uint64_t seed;
    qisim_assignments overrides; /* --set */
    int met, missed;
} validation;

static void report(validation *v, const char *pattern, const char *figure, const char *target, bool met)
{
    printf("%-44s %-40s %-26s %s\n", pattern, figure, target, met ? "MET" : "MISSED");
    if (met)
        v->met++;
    else
        v->missed++;
}

/* Runs one arm of a validation scenario: replicate rep, with "name=value" scenario args. */
static int run_arm(const validation *v, const char *path, int rep, const char *args, const qisim_observer *obs)
{
    const char *items[1] = {args};
    qisim_assignments scenario_args = {items, args ? 1 : 0};
    qisim_err err;
    qisim_err_clear(&err);
    int rc = qisim_run_replicate(path, v->seed, rep, &v->overrides, &scenario_args, NULL, 0, obs, &err);
    if (rc)
        fprintf(stderr, "qisim validate: %s\n", err.msg);
    return rc;
}

static double trust_metric(const qisim_world *w, const char *trust, const char *metric)
{
    return qisim_metric_value(w, qisim_metric_find(metric), QISIM_LEVEL_TRUST, qisim_world_find_trust(w, trust));
}

/* ---- P1: culture embeds in 5-10 years; first gains within ~3 months ----------------------- */

typedef struct p1_obs {
    double embedded_level;
    int first_gain, embedded;
} p1_obs;

static int p1_week(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    p1_obs *o = ctx;
    (void)info;
    (void)err;
    if (o->first_gain < 0 && trust_metric(w, "Programme", "projects_completed") >= 1)
        o->first_gain = w->week;
    if (o->embedded < 0 && trust_metric(w, "Programme", "culture") >= o->embedded_level)
        o->embedded = w->week;
    return QISIM_OK;
}

static int p1(validation *v)
{
    sample gain = {0}, embed = {0};
    int never = 0;
    for (int rep = 0; rep < v->reps; rep++) {
        p1_obs o = {qisim_param_desc_at(QP_CULTURE_EMBEDDED)->def, -1, -1};
        qisim_observer obs = {&o, NULL, p1_week, NULL};
        if (run_arm(v, "scenarios/validation/p1_culture.lua", rep, NULL, &obs))
            return CLI_FAILED;
        add(&gain, o.first_gain < 0 ? 780 : o.first_gain);
        if (o.embedded < 0)
            never++;
        else
            add(&embed, o.embedded / 52.0);
    }
    char fig[128];
    double lo = quantile(&embed, 0.1), med = quantile(&embed, 0.5), hi = quantile(&embed, 0.9);
    snprintf(fig, sizeof fig, "median %.1f yr (10-90%% %.1f-%.1f), %d never", med, lo, hi, never);
    report(v, "P1 culture embeds under a programme", fig, "5-10 yr (C:L224)", never == 0 && med >= 5 && med <= 10 && lo >= 5);
    med = quantile(&gain, 0.5);
    snprintf(fig, sizeof fig, "median %.0f wk (10-90%% %.0f-%.0f)", med, quantile(&gain, 0.1), quantile(&gain, 0.9));
    report(v, "P1 first project gain", fig, "<= 13 wk (C:L216, L592)", med <= 13);
    return CLI_OK;
}

/* ---- P2: special measures, rating recovery in 16-39 months, culture not embedded ---------- */

typedef struct p2_obs {
    int recovered_week;
    double culture_then;
} p2_obs;

static int p2_week(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    p2_obs *o = ctx;
    (void)info;
    (void)err;
    int32_t t = qisim_world_find_trust(w, "Recovering");
    if (o->recovered_week < 0 && w->trusts[t].rating > QISIM_RATING_INADEQUATE) {
        o->recovered_week = w->week;
        o->culture_then = w->trusts[t].culture;
    }
    return QISIM_OK;
}

static int p2(validation *v)
{
    sample months = {0};
    int never = 0, embedded = 0;
    double level = qisim_param_desc_at(QP_CULTURE_EMBEDDED)->def;
    for (int rep = 0; rep < v->reps; rep++) {
        p2_obs o = {-1, 0};
        qisim_observer obs = {&o, NULL, p2_week, NULL};
        if (run_arm(v, "scenarios/validation/p2_special_measures.lua", rep, NULL, &obs))
            return CLI_FAILED;
        if (o.recovered_week < 0) {
            never++;
            continue;
        }
        add(&months, o.recovered_week * 12.0 / 52.0);
        embedded += o.culture_then >= level;
    }
    char fig[128];
    double med = quantile(&months, 0.5);
    snprintf(fig, sizeof fig, "median %.0f mo (10-90%% %.0f-%.0f), %d/%d never", med, quantile(&months, 0.1),
             quantile(&months, 0.9), never, v->reps);
    report(v, "P2 rating recovery after special measures", fig, "16-39 mo, median ~24 (W:L135-143)",
           months.n > 0 && med >= 16 && med <= 39);
    snprintf(fig, sizeof fig, "%d of %d recoveries with culture embedded", embedded, months.n);
    report(v, "P2 culture still far from embedded", fig, "none (C:L224)", embedded == 0);
    return CLI_OK;
}

/* ---- P3: conversion of a training cohort to practice -------------------------------------- */

typedef struct p3_obs {
    double at26, at78;
} p3_obs;

/* Share practising among staff in post trained at practitioner level or above. */
static double cohort_practising(const qisim_world *w)
{
    int64_t trained = 0, practising = 0;
    for (int32_t i = 0; i < w->n_staff; i++) {
        if ((w->staff.flags[i] & QISIM_STAFF_VACANT) || w->staff.tier[i] < QISIM_TIER_PRACTITIONER)
            continue;
        trained++;
        practising += (w->staff.flags[i] & QISIM_STAFF_PRACTISING) != 0;
    }
    return trained ? (double)practising / (double)trained : 0.0;
}

static int p3_week(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    p3_obs *o = ctx;
    (void)info;
    (void)err;
    if (w->week == 26)
        o->at26 = cohort_practising(w);
    if (w->week == 78)
        o->at78 = cohort_practising(w);
    return QISIM_OK;
}

static int p3(validation *v)
{
    sample a26 = {0}, a78 = {0}, s26 = {0}, s78 = {0};
    for (int rep = 0; rep < v->reps; rep++) {
        p3_obs alone = {0}, supported = {0};
        qisim_observer obs_a = {&alone, NULL, p3_week, NULL}, obs_s = {&supported, NULL, p3_week, NULL};
        if (run_arm(v, "scenarios/validation/p3_training.lua", rep, "support=0", &obs_a) ||
            run_arm(v, "scenarios/validation/p3_training.lua", rep, "support=1", &obs_s))
            return CLI_FAILED;
        add(&a26, alone.at26);
        add(&a78, alone.at78);
        add(&s26, supported.at26);
        add(&s78, supported.at78);
    }
    double m26 = quantile(&a26, 0.5), m78 = quantile(&a78, 0.5);
    double n26 = quantile(&s26, 0.5), n78 = quantile(&s78, 0.5);
    char fig[128];
    snprintf(fig, sizeof fig, "%.0f%% at 26 wk, %.0f%% at 78 wk", 100 * m26, 100 * m78);
    report(v, "P3 training programme without support", fig, "62% and 48% +-5 (B:L4265)",
           fabs(m26 - 0.62) <= 0.05 && fabs(m78 - 0.48) <= 0.05);
    snprintf(fig, sizeof fig, "%.0f%% at 26 wk, %.0f%% at 78 wk (kept %.0f%% vs %.0f%%)", 100 * n26, 100 * n78,
             100 * n78 / n26, 100 * m78 / m26);
    report(v, "P3 with coaching and protected time", fig, "higher, and lasts (B:L4185; R:L4315)",
           n26 > m26 && n78 > m78 && n78 / n26 > m78 / m26);
    return CLI_OK;
}

/* ---- P4: audit and feedback across many teams --------------------------------------------- */

typedef struct p4_obs {
    double start[MAX_TEAMS], end[MAX_TEAMS];
    int n;
} p4_obs;

static int p4_begin(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    p4_obs *o = ctx;
    (void)info;
    (void)err;
    o->n = w->n_teams < MAX_TEAMS ? w->n_teams : MAX_TEAMS;
    for (int t = 0; t < o->n; t++)
        o->start[t] = w->teams[t].reliability;
    return QISIM_OK;
}

static int p4_end(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    p4_obs *o = ctx;
    (void)info;
    (void)err;
    for (int t = 0; t < o->n; t++)
        o->end[t] = w->teams[t].reliability;
    return QISIM_OK;
}

static int p4(validation *v)
{
    sample effect = {0};
    int reps = v->reps < 10 ? v->reps : 10; /* 140 teams a replicate is plenty */
    for (int rep = 0; rep < reps; rep++) {
        static p4_obs fed, control;
        qisim_observer obs_f = {&fed, p4_begin, NULL, p4_end}, obs_c = {&control, p4_begin, NULL, p4_end};
        if (run_arm(v, "scenarios/validation/p4_audit_feedback.lua", rep, "feedback=1", &obs_f) ||
            run_arm(v, "scenarios/validation/p4_audit_feedback.lua", rep, "feedback=0", &obs_c))
            return CLI_FAILED;
        for (int t = 0; t < fed.n; t++)
            add(&effect, 100.0 * ((fed.end[t] - fed.start[t]) - (control.end[t] - control.start[t])));
    }
    int null = 0;
    for (int i = 0; i < effect.n; i++)
        null += effect.v[i] <= 0.5;
    double q1 = quantile(&effect, 0.25), med = quantile(&effect, 0.5), q3 = quantile(&effect, 0.75);
    char fig[128];
    snprintf(fig, sizeof fig, "median %+.1f pt, IQR %.1f to %.1f, %.0f%% <= 0.5", med, q1, q3, 100.0 * null / effect.n);
    report(v, "P4 audit and feedback, 140 teams x reps", fig, "+4.3, IQR 0.5-16, ~25% (B:L1818)",
           med >= 3 && med <= 6 && q1 >= -0.5 && q1 <= 1.5 && q3 >= 11 && q3 <= 20);
    return CLI_OK;
}

/* ---- P5: a threshold near 5% formally trained ----------------------------------------------- */

typedef struct p5_obs {
    double reliability;
} p5_obs;

static int p5_end(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    p5_obs *o = ctx;
    (void)info;
    (void)err;
    o->reliability = trust_metric(w, "Threshold", "reliability");
    return QISIM_OK;
}

static int p5(validation *v)
{
    static const double levels[] = {0.01, 0.02, 0.03, 0.05, 0.08, 0.12};
    enum { N_LEVELS = sizeof levels / sizeof levels[0] };
    double gain[N_LEVELS];
    int reps = v->reps < 10 ? v->reps : 10;
    char fig[160], part[32];
    fig[0] = '\0';
    for (int l = 0; l < N_LEVELS; l++) {
        sample d = {0};
        for (int rep = 0; rep < reps; rep++) {
            p5_obs on = {0}, off = {0};
            char arg[32];
            snprintf(arg, sizeof arg, "coverage=%g", levels[l]);
            qisim_observer obs_on = {&on, NULL, NULL, p5_end}, obs_off = {&off, NULL, NULL, p5_end};
            if (run_arm(v, "scenarios/validation/p5_threshold.lua", rep, arg, &obs_on) ||
                run_arm(v, "scenarios/validation/p5_threshold.lua", rep, "coverage=0", &obs_off))
                return CLI_FAILED;
            add(&d, 100.0 * (on.reliability - off.reliability));
        }
        gain[l] = quantile(&d, 0.5);
        snprintf(part, sizeof part, "%s%g%%:%+.1f", l ? " " : "", 100 * levels[l], gain[l]);
        strncat(fig, part, sizeof fig - strlen(fig) - 1);
    }
    /* The breakpoint: the lowest coverage whose gain reaches 2 points, with gains below
     * 1 point under it (a threshold, not a slope). */
    int brk = 0;
    while (brk < N_LEVELS && gain[brk] < 2.0)
        brk++;
    bool flat_below = true;
    for (int l = 0; l < brk; l++)
        flat_below &= gain[l] < 1.0;
    report(v, "P5 reliability gain at 5 yr by coverage", fig, "<1 pt below, >=2 from 3-8% (B:L3947)",
           brk < N_LEVELS && levels[brk] >= 0.03 && levels[brk] <= 0.08 && flat_below);
    return CLI_OK;
}

/* ---- P6: status quo flat for thirty years --------------------------------------------------- */

typedef struct p6_obs {
    double min_rel, max_rel, min_harm, max_harm, first_rel, last_rel;
} p6_obs;

static int p6_week(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    p6_obs *o = ctx;
    (void)info;
    (void)err;
    if (w->week % 52 != 0)
        return QISIM_OK;
    double rel = qisim_metric_value(w, qisim_metric_find("reliability"), QISIM_LEVEL_REGION, 0);
    double harm = qisim_metric_value(w, qisim_metric_find("harm_rate"), QISIM_LEVEL_REGION, 0);
    if (w->week == 52)
        o->first_rel = rel;
    o->last_rel = rel;
    o->min_rel = fmin(o->min_rel, rel);
    o->max_rel = fmax(o->max_rel, rel);
    o->min_harm = fmin(o->min_harm, harm);
    o->max_harm = fmax(o->max_harm, harm);
    return QISIM_OK;
}

static int p6(validation *v)
{
    p6_obs all = {1, 0, 1, 0, 0, 0};
    sample slope = {0};
    int reps = v->reps < 10 ? v->reps : 10;
    for (int rep = 0; rep < reps; rep++) {
        p6_obs o = {1, 0, 1, 0, 0, 0};
        qisim_observer obs = {&o, NULL, p6_week, NULL};
        if (run_arm(v, "scenarios/validation/p6_status_quo.lua", rep, NULL, &obs))
            return CLI_FAILED;
        all.min_rel = fmin(all.min_rel, o.min_rel);
        all.max_rel = fmax(all.max_rel, o.max_rel);
        all.min_harm = fmin(all.min_harm, o.min_harm);
        all.max_harm = fmax(all.max_harm, o.max_harm);
        add(&slope, 100.0 * (o.last_rel - o.first_rel) / 29.0);
    }
    char fig[128];
    double s = quantile(&slope, 0.5);
    snprintf(fig, sizeof fig, "reliability %.3f-%.3f, harm %.3f-%.3f, %+.3f pt/yr", all.min_rel, all.max_rel,
             all.min_harm, all.max_harm, s);
    report(v, "P6 no programme: flat for 30 years", fig, "50-60%, 9-11%, |slope|<0.1 (B:L801)",
           all.min_rel >= 0.5 && all.max_rel <= 0.6 && all.min_harm >= 0.09 && all.max_harm <= 0.11 && fabs(s) < 0.1);
    return CLI_OK;
}

/* ---- P7: a CEO change before embedding sets back; after embedding it does not ------------- */

typedef struct p7_obs {
    int at;
    double commitment, practising;
} p7_obs;

static int p7_week(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    p7_obs *o = ctx;
    (void)info;
    (void)err;
    if (w->week == o->at) {
        o->commitment = trust_metric(w, "Programme", "board_commitment");
        o->practising = trust_metric(w, "Programme", "practising_share");
    }
    return QISIM_OK;
}

static double mean(const sample *s)
{
    double sum = 0.0;
    for (int i = 0; i < s->n; i++)
        sum += s->v[i];
    return s->n ? sum / s->n : (double)NAN;
}

/* Mean relative change in practising share, and in board commitment, 104 weeks after a CEO
 * change at `week`, against the same seed without it. The mean, not the median: a change
 * sets a programme back in some runs and not in others, and the pattern is the average. */
static int p7_arm(validation *v, int week, double *practising, double *commitment)
{
    sample dp = {0}, dc = {0};
    char arg[32];
    snprintf(arg, sizeof arg, "change_week=%d", week);
    for (int rep = 0; rep < v->reps; rep++) {
        p7_obs changed = {week + 104, 0, 0}, control = {week + 104, 0, 0};
        qisim_observer obs_c = {&changed, NULL, p7_week, NULL}, obs_n = {&control, NULL, p7_week, NULL};
        if (run_arm(v, "scenarios/validation/p1_culture.lua", rep, arg, &obs_c) ||
            run_arm(v, "scenarios/validation/p1_culture.lua", rep, "change_week=0", &obs_n))
            return CLI_FAILED;
        add(&dp, changed.practising / control.practising - 1.0);
        add(&dc, changed.commitment - control.commitment);
    }
    *practising = mean(&dp);
    *commitment = mean(&dc);
    return CLI_OK;
}

static int p7(validation *v)
{
    double before_p, before_c, after_p, after_c;
    if (p7_arm(v, 104, &before_p, &before_c) || p7_arm(v, 520, &after_p, &after_c))
        return CLI_FAILED;
    char fig[128];
    snprintf(fig, sizeof fig, "mean practising %+.0f%%, board %+.2f", 100 * before_p, before_c);
    report(v, "P7 CEO change before embedding (wk 104)", fig, "set back (C:L202)", before_p <= -0.1 || before_c <= -0.1);
    snprintf(fig, sizeof fig, "mean practising %+.0f%%, board %+.2f", 100 * after_p, after_c);
    report(v, "P7 CEO change after embedding (wk 520)", fig, "little effect (C:L577)",
           after_p > -0.05 && after_c > -0.05 && after_p > before_p);
    return CLI_OK;
}

/* ---- P8: access collaborative --------------------------------------------------------------- */

typedef struct p8_obs {
    double member_start, member_end, control_start, control_end;
} p8_obs;

static void team_waits(const qisim_world *w, double *member, double *control)
{
    double m = 0, c = 0;
    int nm = 0, nc = 0;
    for (int32_t t = 0; t < w->n_teams; t++) {
        if (strncmp(w->teams[t].name, "Access", 6) == 0) {
            m += w->teams[t].waiting;
            nm++;
        } else if (strncmp(w->teams[t].name, "Control", 7) == 0) {
            c += w->teams[t].waiting;
            nc++;
        }
    }
    *member = nm ? m / nm : (double)NAN;
    *control = nc ? c / nc : (double)NAN;
}

static int p8_week(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    p8_obs *o = ctx;
    (void)err;
    double m, c;
    team_waits(w, &m, &c);
    if (w->week <= 4) { /* weeks 0-4 and 100-104, averaged */
        o->member_start += m / 4;
        o->control_start += c / 4;
    } else if (w->week > info->weeks - 4) {
        o->member_end += m / 4;
        o->control_end += c / 4;
    }
    return QISIM_OK;
}

static int p8(validation *v)
{
    sample member = {0}, control = {0};
    for (int rep = 0; rep < v->reps; rep++) {
        p8_obs o = {0};
        qisim_observer obs = {&o, NULL, p8_week, NULL};
        if (run_arm(v, "scenarios/validation/p8_access_collaborative.lua", rep, NULL, &obs))
            return CLI_FAILED;
        add(&member, 100.0 * (o.member_end / o.member_start - 1.0));
        add(&control, 100.0 * (o.control_end / o.control_start - 1.0));
    }
    double m = quantile(&member, 0.5), c = quantile(&control, 0.5);
    char fig[128];
    snprintf(fig, sizeof fig, "waiting %+.0f%% (control teams %+.0f%%)", m, c);
    report(v, "P8 access collaborative, demand +25%", fig, "about -20% (C:L784: -23%)", m <= -15 && m >= -30 && c > 0);
    return CLI_OK;
}

int cli_validate(int argc, char **argv)
{
    validation v = {.reps = 20, .seed = 1};
    bool strict = false;
    int32_t only = 0;
    const char **sets = calloc((size_t)argc, sizeof *sets);
    if (!sets)
        return CLI_FAILED;
    v.overrides.items = sets;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(validate_usage, stdout);
            free(sets);
            return CLI_OK;
        } else if (strcmp(argv[i], "--quick") == 0) {
            v.reps = 3;
        } else if (strcmp(argv[i], "--strict") == 0) {
            strict = true;
        } else if (strcmp(argv[i], "--reps") == 0) {
            if (i + 1 >= argc || !cli_parse_int(argv[++i], 1, MAX_REPS, &v.reps)) {
                cli_usage_error("validate", "--reps needs a whole number from 1 to %d", MAX_REPS);
                goto usage;
            }
        } else if (strcmp(argv[i], "--pattern") == 0) {
            if (i + 1 >= argc || !cli_parse_int(argv[++i], 1, 8, &only)) {
                cli_usage_error("validate", "--pattern needs a number from 1 to 8");
                goto usage;
            }
        } else if (strcmp(argv[i], "--set") == 0) {
            if (i + 1 >= argc || !strchr(argv[i + 1], '=')) {
                cli_usage_error("validate", "--set needs name=value");
                goto usage;
            }
            if (cli_assignment_repeated(sets, v.overrides.n, argv[i + 1])) {
                cli_usage_error("validate", "--set %.*s is given twice",
                                (int)(strchr(argv[i + 1], '=') - argv[i + 1]), argv[i + 1]);
                goto usage;
            }
            sets[v.overrides.n++] = argv[++i];
        } else if (strcmp(argv[i], "--seed") == 0) {
            if (i + 1 >= argc || !cli_parse_u64(argv[++i], &v.seed)) {
                cli_usage_error("validate", "--seed needs a whole number");
                goto usage;
            }
        } else {
            cli_usage_error("validate", "unknown argument '%s'", argv[i]);
            goto usage;
        }
    }
    printf("qisim validate: %d replicates per arm, seed %llu%s", v.reps, (unsigned long long)v.seed,
           v.reps < 10 ? " (quick: figures are rough)" : "");
    for (int i = 0; i < v.overrides.n; i++)
        printf("%s --set %s", i ? "" : ", with", v.overrides.items[i]);
    putchar('\n');
    printf("%-44s %-40s %-26s %s\n", "pattern", "figure", "target", "verdict");
    int (*const patterns[])(validation *) = {p1, p2, p3, p4, p5, p6, p7, p8};
    for (size_t k = 0; k < sizeof patterns / sizeof patterns[0]; k++) {
        if (only && (size_t)only != k + 1)
            continue;
        int rc = patterns[k](&v);
        if (rc) {
            free(sets);
            return rc;
        }
        fflush(stdout);
    }
    free(sets);
    printf("validate: %d met, %d missed\n", v.met, v.missed);
    return strict && v.missed ? CLI_FAILED : CLI_OK;
usage:
    free(sets);
    return CLI_USAGE;
}
