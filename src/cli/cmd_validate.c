/* qisim validate: the published patterns of MODEL.md §5 (calibration targets) and the dynamics
 * of §6 that must emerge (held-out checks), each a figure over replicates beside its target, MET
 * or MISSED, and each run again with the mechanism that should produce it knocked out, where it
 * must be MISSED. The scenarios are in scenarios/validation/. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "qisim/metrics.h"
#include "qisim/run.h"

static const char validate_usage[] =
    "usage: qisim validate [--quick] [--reps N] [--seed N] [--pattern ID] [--set name=value ...]\n"
    "                      [--no-knockouts] [--strict]\n"
    "\n"
    "Runs the published patterns of MODEL.md §5 (P1-P8: calibration targets, parameters were\n"
    "fitted to them) and the dynamics of §6 (H1-H6: held-out checks, nothing was fitted to them)\n"
    "over replicates (scenarios/validation/) and prints each figure beside its target, MET or\n"
    "MISSED. Each is then run again with the mechanism that should produce it knocked out (the\n"
    "--set shown): it must then be missed, or the pattern is built in rather than produced.\n"
    "  --quick    3 replicates per arm: checks the machinery, not the figures\n"
    "  --reps N   replicates per arm (default 20)\n"
    "  --seed N   run seed of every arm (default 1): arms share it, so they are paired\n"
    "  --pattern ID  only this pattern: P1..P8 or H1..H6 (a bare number means P)\n"
    "  --set name=value  change a parameter in every arm (to see how a figure depends on it)\n"
    "  --no-knockouts  skip the knock-out runs\n"
    "  --strict   exit 1 if any pattern is MISSED or any knock-out is still met\n";

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

enum { MAX_ROWS = 4, MAX_SETS = 64 };

/* One line of the table: a pattern's figure beside its target. */
typedef struct row {
    char pattern[64], figure[128], target[64];
    bool met;
} row;

typedef struct validation {
    int reps;
    uint64_t seed;
    qisim_assignments overrides; /* --set, then the knock-out's settings while one runs */
    row rows[MAX_ROWS];          /* what the pattern being run reported */
    int n_rows;
} validation;

static void report(validation *v, const char *pattern, const char *figure, const char *target, bool met)
{
    if (v->n_rows >= MAX_ROWS)
        return;
    row *r = &v->rows[v->n_rows++];
    snprintf(r->pattern, sizeof r->pattern, "%s", pattern);
    snprintf(r->figure, sizeof r->figure, "%s", figure);
    snprintf(r->target, sizeof r->target, "%s", target);
    r->met = met;
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

static double mean(const sample *s)
{
    double sum = 0.0;
    for (int i = 0; i < s->n; i++)
        sum += s->v[i];
    return s->n ? sum / s->n : (double)NAN;
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
    double min_rel, max_rel, min_harm, max_harm, first_rel, last_rel, min_culture, max_culture, last_culture;
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
    double culture = qisim_metric_value(w, qisim_metric_find("culture"), QISIM_LEVEL_REGION, 0);
    o->min_culture = fmin(o->min_culture, culture);
    o->max_culture = fmax(o->max_culture, culture);
    o->last_culture = culture;
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
    p6_obs all = {1, 0, 1, 0, 0, 0, 1, 0, 0};
    sample last_culture = {0};
    sample slope = {0};
    int reps = v->reps < 10 ? v->reps : 10;
    for (int rep = 0; rep < reps; rep++) {
        p6_obs o = {1, 0, 1, 0, 0, 0, 1, 0, 0};
        qisim_observer obs = {&o, NULL, p6_week, NULL};
        if (run_arm(v, "scenarios/validation/p6_status_quo.lua", rep, NULL, &obs))
            return CLI_FAILED;
        all.min_rel = fmin(all.min_rel, o.min_rel);
        all.max_rel = fmax(all.max_rel, o.max_rel);
        all.min_harm = fmin(all.min_harm, o.min_harm);
        all.max_harm = fmax(all.max_harm, o.max_harm);
        all.min_culture = fmin(all.min_culture, o.min_culture);
        all.max_culture = fmax(all.max_culture, o.max_culture);
        add(&last_culture, o.last_culture);
        add(&slope, 100.0 * (o.last_rel - o.first_rel) / 29.0);
    }
    char fig[128];
    double s = quantile(&slope, 0.5);
    snprintf(fig, sizeof fig, "reliability %.3f-%.3f, harm %.3f-%.3f, %+.3f pt/yr", all.min_rel, all.max_rel,
             all.min_harm, all.max_harm, s);
    report(v, "P6 no programme: flat for 30 years", fig, "50-60%, 9-11%, |slope|<0.1 (B:L801)",
           all.min_rel >= 0.5 && all.max_rel <= 0.6 && all.min_harm >= 0.09 && all.max_harm <= 0.11 && fabs(s) < 0.1);
    double base = qisim_param_desc_at(QP_CULTURE_BASE)->def;
    double end = mean(&last_culture);
    snprintf(fig, sizeof fig, "culture at 30 yr %.3f on average (runs %.3f-%.3f)", end, all.min_culture, all.max_culture);
    report(v, "P6 no programme: culture stays usual", fig, "mean within 0.03 of 0.30 (B:L819)", fabs(end - base) <= 0.03);
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

/* ---- held-out checks (MODEL.md §6): nothing was fitted to these ----------------------------- */

enum { MAX_WEEKS = 1040 };

/* A trust's metric at every week of a run. */
typedef struct trace {
    const char *trust, *metric;
    double v[MAX_WEEKS];
    int n;
} trace;

/* Observer of up to two traces (the second may be NULL). */
static int trace_week(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    trace **traces = ctx;
    (void)info;
    (void)err;
    for (int k = 0; k < 2 && traces[k]; k++)
        if (w->week < MAX_WEEKS) {
            traces[k]->v[w->week] = trust_metric(w, traces[k]->trust, traces[k]->metric);
            traces[k]->n = w->week + 1;
        }
    return QISIM_OK;
}

/* Runs one arm and fills tr (and tr2, when given, from the same run). */
static int run_traced(const validation *v, const char *path, int rep, const char *args, trace *tr, trace *tr2)
{
    trace *traces[2] = {tr, tr2};
    qisim_observer obs = {traces, NULL, trace_week, NULL};
    return run_arm(v, path, rep, args, &obs);
}

/* H1: worse before better. */
static int h1(validation *v)
{
    static const char path[] = "scenarios/validation/h1_worse_before_better.lua";
    sample dip = {0}, dip_week = {0}, gain = {0};
    for (int rep = 0; rep < v->reps; rep++) {
        static trace control, treated;
        control = (trace){"Service", "waiting", {0}, 0};
        treated = (trace){"Service", "waiting", {0}, 0};
        if (run_traced(v, path, rep, "protected=0", &control, NULL) ||
            run_traced(v, path, rep, "protected=0.15", &treated, NULL))
            return CLI_FAILED;
        double worst = 0.0;
        int at = 52;
        for (int wk = 52; wk < 156 && wk < treated.n; wk++) {
            double d = treated.v[wk] / control.v[wk] - 1.0;
            if (d > worst) {
                worst = d;
                at = wk;
            }
        }
        add(&dip, 100.0 * worst);
        add(&dip_week, at);
        add(&gain, 100.0 * (1.0 - treated.v[155] / control.v[155]));
    }
    double d = quantile(&dip, 0.5), g = quantile(&gain, 0.5);
    char fig[128];
    snprintf(fig, sizeof fig, "waits +%.1f%% by wk %.0f, then %.1f%% shorter at 2 yr", d, quantile(&dip_week, 0.5), g);
    report(v, "H1 worse before better (protect 15% at wk 52)", fig, "dip >= 1%, then gain >= 1% (H:L440)", d >= 1.0 && g >= 1.0);
    return CLI_OK;
}

/* H2 and H4: two trusts alike but for their past, under the same raised demand. */
static int h2(validation *v)
{
    static const char path[] = "scenarios/validation/h2_capability_trap.lua";
    sample capable = {0}, stretched = {0}, climb = {0};
    for (int rep = 0; rep < v->reps; rep++) {
        static trace a, b;
        a = (trace){"Capable", "practising_share", {0}, 0};
        b = (trace){"Stretched", "practising_share", {0}, 0};
        if (run_traced(v, path, rep, NULL, &a, &b))
            return CLI_FAILED;
        add(&capable, a.v[a.n - 1]);
        add(&stretched, b.v[b.n - 1]);
        add(&climb, b.v[b.n - 1] - b.v[520]);
    }
    double c = quantile(&capable, 0.5), s = quantile(&stretched, 0.5), up = quantile(&climb, 0.5);
    char fig[128];
    snprintf(fig, sizeof fig, "practising at 15 yr: %.2f vs %.2f (last 5 yr %+.2f)", c, s, up);
    report(v, "H2 bistability: same demand, different past", fig, "< 1/4 of it, not climbing (H:L440)",
           s < 0.25 * c && up < 0.02);
    return CLI_OK;
}

static int h3(validation *v)
{
    static const char path[] = "scenarios/validation/h3_demand_ramp.lua";
    sample up = {0}, down = {0}, gap = {0};
    /* Demand reaches 1.1 x usual going up at week 234 and coming down at week 442 (peak 1.5:
     * ten steps of 13 weeks up, ten down); read at the end of each step. */
    for (int rep = 0; rep < v->reps; rep++) {
        static trace t;
        t = (trace){"Service", "practising_share", {0}, 0};
        if (run_traced(v, path, rep, NULL, &t, NULL))
            return CLI_FAILED;
        double u = t.v[246], d = t.v[454];
        add(&up, u);
        add(&down, d);
        add(&gap, u > 0 ? 1.0 - d / u : 0.0);
    }
    double g = quantile(&gap, 0.5);
    char fig[128];
    snprintf(fig, sizeof fig, "practising at 1.1x demand: %.2f up, %.2f down (%.0f%% less)", quantile(&up, 0.5),
             quantile(&down, 0.5), 100 * g);
    report(v, "H3 hysteresis: demand ramp up and down", fig, ">= 10% less on the way down (H:L440)", g >= 0.1);
    return CLI_OK;
}

static int h4(validation *v)
{
    static const char path[] = "scenarios/validation/h2_capability_trap.lua";
    static const int durations[] = {0, 13, 52, 104, 156};
    enum { N = sizeof durations / sizeof durations[0] };
    double kept[N];
    sample fall = {0};
    char fig[128] = "kept at 15 yr:", part[32];
    for (int k = 0; k < N; k++) {
        sample ratio = {0};
        for (int rep = 0; rep < v->reps; rep++) {
            static trace none, shocked;
            char arg[32];
            snprintf(arg, sizeof arg, "shock_weeks=%d", durations[k]);
            static trace practice;
            none = (trace){"Capable", "practising_share", {0}, 0};
            shocked = (trace){"Capable", "culture", {0}, 0};
            practice = (trace){"Capable", "practising_share", {0}, 0};
            if (run_traced(v, path, rep, "shock_weeks=0", &none, NULL) || run_traced(v, path, rep, arg, &practice, &shocked))
                return CLI_FAILED;
            add(&ratio, practice.v[practice.n - 1] / none.v[none.n - 1]);
            if (k == N - 1)
                add(&fall, shocked.v[312] - shocked.v[312 + durations[k]]);
        }
        kept[k] = quantile(&ratio, 0.5);
        if (k > 0) {
            snprintf(part, sizeof part, " %dwk %.0f%%", durations[k], 100 * kept[k]);
            strncat(fig, part, sizeof fig - strlen(fig) - 1);
        }
    }
    report(v, "H4 critical shock: x1.5 demand for D weeks", fig, "13wk >= 80%, 156wk <= 50% (H:L440)",
           kept[1] >= 0.8 && kept[N - 1] <= 0.5);
    double f = quantile(&fall, 0.5);
    snprintf(fig, sizeof fig, "culture %+.2f over a 3-year crisis", -f);
    report(v, "H5 culture falls in a sustained crisis", fig, "falls by > 0.05 (B:L1112)", f > 0.05);
    return CLI_OK;
}

/* H5: embedding time spreads between replicates and depends on the programme. */
static int embed_weeks(const validation *v, int rep, const char *args, int *week)
{
    static trace t;
    t = (trace){"Programme", "culture", {0}, 0};
    if (run_traced(v, "scenarios/validation/p1_culture.lua", rep, args, &t, NULL))
        return CLI_FAILED;
    double level = qisim_param_desc_at(QP_CULTURE_EMBEDDED)->def;
    *week = -1;
    for (int wk = 0; wk < t.n; wk++)
        if (t.v[wk] >= level) {
            *week = wk;
            break;
        }
    return CLI_OK;
}

static int h5(validation *v)
{
    static const char *const arms[] = {NULL, "strength=0.25", "withdraw_week=52"};
    static sample years[3];
    memset(years, 0, sizeof years);
    int never[3] = {0};
    for (int a = 0; a < 3; a++)
        for (int rep = 0; rep < v->reps; rep++) {
            int wk;
            if (embed_weeks(v, rep, arms[a], &wk))
                return CLI_FAILED;
            if (wk < 0)
                never[a]++;
            else
                add(&years[a], wk / 52.0);
        }
    double full = quantile(&years[0], 0.5), width = quantile(&years[0], 0.9) - quantile(&years[0], 0.1);
    double quarter = years[1].n ? quantile(&years[1], 0.5) : (double)INFINITY;
    char fig[128], q[32];
    if (years[1].n)
        snprintf(q, sizeof q, "%.1f yr, %d never", quarter, never[1]);
    else
        snprintf(q, sizeof q, "never (%d)", never[1]);
    snprintf(fig, sizeof fig, "full %.1f yr; quarter-strength %s", full, q);
    bool weaker_later = never[1] * 2 > v->reps || quarter > full + 1.0;
    report(v, "H5 a weaker programme embeds later", fig, "later by > 1 yr, or mostly never (C:L224)",
           years[0].n > 0 && weaker_later);
    snprintf(fig, sizeof fig, "full programme: 10-90%% %.1f-%.1f yr (width %.1f)", quantile(&years[0], 0.1),
             quantile(&years[0], 0.9), width);
    report(v, "H5 embedding time varies between runs", fig, "10-90% width >= 0.5 yr (C:L224)", years[0].n > 0 && width >= 0.5);
    if (years[2].n)
        snprintf(fig, sizeof fig, "%d/%d embed within 15 yr (median %.1f yr)", years[2].n, v->reps, quantile(&years[2], 0.5));
    else
        snprintf(fig, sizeof fig, "0/%d embed within 15 yr", v->reps);
    report(v, "H5 a programme withdrawn after a year", fig, "at most 1 in 10 embeds (C:L224)", never[2] * 10 >= 9 * v->reps);
    return CLI_OK;
}

/* H6: the commitment-results deadlock and what breaks it. */
typedef struct adoption {
    int week;
} adoption;

static int adoption_week(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    adoption *o = ctx;
    (void)info;
    (void)err;
    if (o->week < 0 && w->trusts[0].strategy == QISIM_STRATEGY_QI)
        o->week = w->week;
    return QISIM_OK;
}

static int h6(validation *v)
{
    static const char *const levers[] = {"none", "leaders", "qi_ceo", "quick_wins"};
    int adopted[4] = {0};
    for (int l = 0; l < 4; l++)
        for (int rep = 0; rep < v->reps; rep++) {
            char arg[32];
            snprintf(arg, sizeof arg, "lever=%s", levers[l]);
            adoption o = {-1};
            qisim_observer obs = {&o, NULL, adoption_week, NULL};
            if (run_arm(v, "scenarios/validation/h6_commitment_deadlock.lua", rep, arg, &obs))
                return CLI_FAILED;
            adopted[l] += o.week >= 0;
        }
    char fig[128];
    snprintf(fig, sizeof fig, "adopt QI in 5 yr: none %d/%d, leaders %d, QI CEO %d, quick wins %d", adopted[0], v->reps,
             adopted[1], adopted[2], adopted[3]);
    bool locks = adopted[0] * 4 <= v->reps, broken = true;
    for (int l = 1; l < 4; l++)
        broken &= adopted[l] * 2 >= v->reps;
    report(v, "H6 commitment-results deadlock", fig, "none <= 1/4; each lever >= 1/2 (C:L228)", locks && broken);
    return CLI_OK;
}

/* ---- the table ------------------------------------------------------------------------------ */

/* A pattern: what runs it, what it is, and for each of its rows the knock-out (settings, comma-
 * separated) that removes the mechanism that should produce it; NULL where none applies. */
typedef struct pattern {
    const char *id;
    int (*run)(validation *);
    const char *kind; /* "calibration: <parameters fitted to it>" or "held-out" */
    const char *knockout[MAX_ROWS];
} pattern;

/* The pressure trap's knock-out: pressure no longer diverts QI time, managers no longer take
 * protected time back, and workload no longer strains staff. */
#define PRESSURE_OFF "time.firefighting=0,leadership.time_cut=0,workforce.strain_workload=0"

static const pattern patterns[] = {
    {"P1", p1, "calibration: culture.up_years, projects.pace",
     {"culture.practice=0,culture.performance=0,culture.safety=0", "projects.on=0"}},
    {"P2", p2, "calibration: regulation.threshold_*, weight_*, noise, cadence",
     {"regulation.special_measures=0", "culture.up_years=0.1"}},
    {"P3", p3, "calibration: training.conversion, conversion_weeks, drop",
     {"training.drop=0,training.drop_no_time=0,training.drop_strain=0", "training.or_coaching=1,training.support_retention=0,training.time_needed=0.001"}},
    {"P4", p4, "calibration: data.feedback_*", {"data.on=0"}},
    {"P5", p5, "calibration: (none fitted since the capacity rework)", {"spread.on=0"}},
    {"P6", p6, "calibration: the usual-trust equilibrium", {NULL, NULL}},
    {"P7", p7, "calibration: leadership.ceo_setback, ceo_abandon",
     {"leadership.ceo_setback=0,leadership.ceo_abandon=0", "leadership.embedded_protection=0"}},
    {"P8", p8, "calibration: projects.flow_effect_mean (0.04 to 0.08)", {"projects.on=0"}},
    {"H1", h1, "held-out", {"time.capacity_cost=0"}},
    {"H2", h2, "held-out", {PRESSURE_OFF}},
    {"H3", h3, "held-out", {PRESSURE_OFF}},
    {"H4", h4, "held-out", {PRESSURE_OFF, "culture.strain=0,culture.headspace=0,culture.churn=0"}},
    {"H5", h5, "held-out",
     {"culture.practice=0,culture.performance=0,culture.safety=0,culture.board=0", "culture.serious_rate=0",
      "training.drop=0,training.drop_no_time=0,training.drop_strain=0"}},
    {"H6", h6, "held-out", {"leadership.wins=0,leadership.trained_board=0,leadership.qi_ceo=0,leadership.qi_ceo_commitment=0"}},
};

/* Runs pattern pt with the extra settings of `knockout` (comma-separated) after --set. */
static int run_with(validation *v, const pattern *pt, const char *knockout, const char **sets, char *buf, size_t size)
{
    int base = v->overrides.n;
    if (knockout) {
        snprintf(buf, size, "%s", knockout);
        for (char *tok = strtok(buf, ","); tok && v->overrides.n < MAX_SETS; tok = strtok(NULL, ","))
            sets[v->overrides.n++] = tok;
    }
    v->n_rows = 0;
    int rc = pt->run(v);
    v->overrides.n = base;
    return rc;
}

static void print_row(const row *r, const char *kind)
{
    printf("%-46s %-58s %-38s %-6s %s\n", r->pattern, r->figure, r->target, r->met ? "MET" : "MISSED", kind);
}

/* Prints pattern pt with a knock-out line under each row; counts into totals. */
static int run_pattern(validation *v, const pattern *pt, const char **sets, bool knockouts, int totals[4])
{
    char buf[256];
    int rc = run_with(v, pt, NULL, sets, buf, sizeof buf);
    if (rc)
        return rc;
    row rows[MAX_ROWS];
    int n = v->n_rows;
    memcpy(rows, v->rows, sizeof rows);
    for (int k = 0; k < n; k++) {
        print_row(&rows[k], pt->kind);
        totals[rows[k].met ? 0 : 1]++;
        if (!knockouts)
            continue;
        const char *ko = pt->knockout[k];
        if (ko && !rows[k].met) {
            printf("  %-44s %s\n", "knock-out: n/a", "the pattern is missed: a knock-out cannot show what produces it");
            continue;
        }
        if (!ko) {
            printf("  %-44s %s\n", "knock-out: n/a", "a null pattern: no mechanism produces it");
            continue;
        }
        if ((rc = run_with(v, pt, ko, sets, buf, sizeof buf)))
            return rc;
        const row *r = &v->rows[k];
        char label[160];
        snprintf(label, sizeof label, "knock-out: %s", ko);
        printf("  %-44s %-58s %-38s %s\n", label, r->figure, "", r->met ? "STILL MET: built in" : "missed, as it must be");
        totals[r->met ? 3 : 2]++;
    }
    fflush(stdout);
    return CLI_OK;
}

int cli_validate(int argc, char **argv)
{
    validation v = {.reps = 20, .seed = 1};
    bool strict = false, knockouts = true;
    char only[8] = "";
    const char **sets = calloc((size_t)argc + MAX_SETS, sizeof *sets);
    if (!sets)
        return CLI_FAILED;
    v.overrides.items = sets;
    enum { QUICK = 256, STRICT, REPS, NO_KNOCKOUTS, PATTERN, SET, SEED };
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},        {"quick", no_argument, NULL, QUICK},
        {"strict", no_argument, NULL, STRICT},   {"reps", required_argument, NULL, REPS},
        {"no-knockouts", no_argument, NULL, NO_KNOCKOUTS}, {"pattern", required_argument, NULL, PATTERN},
        {"set", required_argument, NULL, SET},   {"seed", required_argument, NULL, SEED},
        {NULL, 0, NULL, 0}};
    optind = 0;
    for (int c; (c = cli_getopt(argc, argv, "validate", options)) != -1;) {
        if (c == 'h') {
            fputs(validate_usage, stdout);
            free(sets);
            return CLI_OK;
        } else if (c == QUICK) {
            v.reps = 3;
        } else if (c == STRICT) {
            strict = true;
        } else if (c == REPS) {
            if (!cli_parse_int(optarg, 1, MAX_REPS, &v.reps)) {
                cli_usage_error("validate", "--reps needs a whole number from 1 to %d", MAX_REPS);
                goto usage;
            }
        } else if (c == NO_KNOCKOUTS) {
            knockouts = false;
        } else if (c == PATTERN) {
            const char *id = optarg;
            bool digit = id[0] >= '1' && id[0] <= '9';
            if (!id[0] || strlen(id) > 3) {
                cli_usage_error("validate", "--pattern needs an id such as P3 or H2");
                goto usage;
            }
            snprintf(only, sizeof only, "%s%s", digit ? "P" : "", id);
            only[0] = (char)(only[0] == 'p' ? 'P' : only[0] == 'h' ? 'H' : only[0]);
        } else if (c == SET) {
            if (!strchr(optarg, '=')) {
                cli_usage_error("validate", "--set needs name=value");
                goto usage;
            }
            if (cli_name_repeated(sets, v.overrides.n, optarg)) {
                cli_usage_error("validate", "--set %.*s is given twice", (int)strcspn(optarg, "="), optarg);
                goto usage;
            }
            sets[v.overrides.n++] = optarg;
        } else if (c == SEED) {
            if (!cli_parse_u64(optarg, &v.seed)) {
                cli_usage_error("validate", "--seed needs a whole number");
                goto usage;
            }
        } else {
            goto usage;
        }
    }
    if (optind < argc) {
        cli_usage_error("validate", "unknown argument '%s'", argv[optind]);
        goto usage;
    }
    bool known = !only[0];
    for (size_t k = 0; k < sizeof patterns / sizeof patterns[0]; k++)
        known = known || strcmp(only, patterns[k].id) == 0;
    if (!known) {
        free(sets);
        cli_usage_error("validate", "no pattern '%s' (P1..P8, H1..H6)", only);
        return CLI_USAGE;
    }
    printf("qisim validate: %d replicates per arm, seed %llu%s", v.reps, (unsigned long long)v.seed,
           v.reps < 10 ? " (quick: figures are rough)" : "");
    for (int i = 0; i < v.overrides.n; i++)
        printf("%s --set %s", i ? "" : ", with", v.overrides.items[i]);
    putchar('\n');
    printf("%-46s %-58s %-38s %-6s %s\n", "pattern", "figure", "target", "verdict", "kind");
    int totals[4] = {0}; /* met, missed, knock-outs missed, knock-outs still met */
    for (size_t k = 0; k < sizeof patterns / sizeof patterns[0]; k++) {
        if (only[0] && strcmp(only, patterns[k].id) != 0)
            continue;
        int rc = run_pattern(&v, &patterns[k], sets, knockouts, totals);
        if (rc) {
            free(sets);
            return rc;
        }
    }
    free(sets);
    printf("validate: %d met, %d missed", totals[0], totals[1]);
    if (knockouts)
        printf("; knock-outs: %d missed as they must be, %d still met (built in)", totals[2], totals[3]);
    putchar('\n');
    return strict && (totals[1] || totals[3]) ? CLI_FAILED : CLI_OK;
usage:
    free(sets);
    return CLI_USAGE;
}
