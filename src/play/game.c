/* The game engine of qisim play: a game is (exercise file, seed, per-turn choices); each turn
 * reruns the exercise from week 0 with every choice so far, so replay is a plain qisim run. */
#include "qisim/play.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qisim/io.h"
#include "qisim/metrics.h"
#include "qisim/run.h"

const char *const qisim_game_metric_names[QISIM_GM_COUNT] = {
    "practising_share", "culture", "reliability", "harm_rate", "waiting", "strain", "rating",
    "qi_spend_total", "formally_trained_share", "coaches", "protected_time", "qi_spend", "protected_time_cut"};

struct qisim_game {
    char *path;
    char *source;                  /* the exercise's text, for the saved game */
    uint64_t seed;
    qisim_exercise ex;
    int metric_id[QISIM_GM_COUNT];
    int32_t played;
    qisim_choice *choices;         /* [QISIM_MAX_TURNS][groups] */
    qisim_choice pending[QISIM_MAX_GROUPS];
    bool submitted[QISIM_MAX_GROUPS];
    double *series;                /* [groups][total weeks + 1][QISIM_GM_COUNT] */
    int32_t total_weeks;
    char (*comments)[QISIM_COMMENT_BYTES]; /* [QISIM_MAX_TURNS][groups] */
    char trust_names[QISIM_MAX_GROUPS][64];
};

/* Weeks between the points of the page's charts (and of the exercise's record). */
static int32_t chart_step(const qisim_exercise *ex) { return ex->weeks_per_turn % 4 == 0 ? 4 : 1; }

/* ---- small helpers ------------------------------------------------------------------------ */

static double *cell(const qisim_game *g, int32_t group, int32_t week)
{
    return &g->series[((size_t)group * (size_t)(g->total_weeks + 1) + (size_t)week) * QISIM_GM_COUNT];
}

static char *read_text_file(const char *path, qisim_err *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        qisim_err_set(err, QISIM_EIO, "cannot read %s", path);
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            break;
        size_t n = fread(buf + len, 1, cap - len - 1, fp);
        len += n;
        if (n == 0)
            break;
        if (cap - len - 1 == 0) {
            char *bigger = cap < ((size_t)16 << 20) ? realloc(buf, cap * 2) : NULL;
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    bool failed = ferror(fp);
    fclose(fp);
    if (!buf || failed) {
        free(buf);
        qisim_err_set(err, failed ? QISIM_EIO : QISIM_ENOMEM, "cannot read %s", path);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the run of a turn -------------------------------------------------------------------- */

typedef struct turn_run {
    qisim_game *g;
    int32_t turn;                  /* the turn being played (its commentary is written) */
} turn_run;

static void store_week(qisim_game *g, const qisim_world *w)
{
    for (int32_t k = 0; k < g->ex.groups; k++) {
        double *v = cell(g, k, w->week);
        for (int m = 0; m < QISIM_GM_COUNT; m++)
            v[m] = qisim_metric_value(w, g->metric_id[m], QISIM_LEVEL_TRUST, g->ex.group_trust[k]);
    }
}

static int observe_begin(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    qisim_game *g = ((turn_run *)ctx)->g;
    (void)info;
    (void)err;
    for (int32_t k = 0; k < g->ex.groups; k++)
        snprintf(g->trust_names[k], sizeof g->trust_names[k], "%s",
                 qisim_entity_name(w, QISIM_LEVEL_TRUST, g->ex.group_trust[k]));
    store_week(g, w);
    return QISIM_OK;
}

static int observe_week(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    (void)info;
    (void)err;
    store_week(((turn_run *)ctx)->g, w);
    return QISIM_OK;
}

/* Appends a printf-formatted line to the commentary buffer. */
static void say(char *buf, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void say(char *buf, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 2 >= QISIM_COMMENT_BYTES)
        return;
    if (used)
        buf[used++] = '\n';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, QISIM_COMMENT_BYTES - used, fmt, ap);
    va_end(ap);
}

static const char *rating_word(double r)
{
    static const char *const words[] = {"not rated", "inadequate", "requires improvement", "good", "outstanding"};
    if (!isfinite(r) || r < 0.5 || r > 4.5)
        return words[0];
    return words[lround(r)];
}

/* What changed in the turn and why, from the model's own state: the series at the turn's
 * first and last week, the coaching and protected time in between, and the trust's events. */
static void write_commentary(qisim_game *g, const qisim_world *w, int32_t turn, int32_t k)
{
    const double *th = g->ex.thresholds;
    int32_t s = turn * g->ex.weeks_per_turn, e = s + g->ex.weeks_per_turn;
    const double *a = cell(g, k, s), *b = cell(g, k, e);
    double coached_weeks = 0, protected_sum = 0;
    for (int32_t week = s + 1; week <= e; week++) {
        coached_weeks += cell(g, k, week)[QISIM_GM_COACHES] > 0;
        protected_sum += cell(g, k, week)[QISIM_GM_PROTECTED];
    }
    double protected_mean = protected_sum / g->ex.weeks_per_turn;
    char *buf = g->comments[turn * g->ex.groups + k];
    buf[0] = '\0';
    double p0 = a[QISIM_GM_PRACTISING], p1 = b[QISIM_GM_PRACTISING], trained = b[QISIM_GM_TRAINED];
    const char *moved = p1 > p0 + 0.005 ? "rose" : p1 < p0 - 0.005 ? "fell" : "held";
    if (trained >= th[QISIM_TH_TRAINED] && p1 < th[QISIM_TH_LAPSE] * trained && coached_weeks == 0)
        say(buf,
            "Practice %s from %.0f%% to %.0f%% of staff, yet %.0f%% are trained: with no coaching, most trained "
            "staff did not keep practising (they lapsed).",
            moved, 100 * p0, 100 * p1, 100 * trained);
    else if (trained >= th[QISIM_TH_TRAINED] && p1 < th[QISIM_TH_LAPSE] * trained)
        say(buf, "Practice %s from %.0f%% to %.0f%% of staff: most of the %.0f%% trained do not practise yet, even "
                 "with coaching%s.",
            moved, 100 * p0, 100 * p1, 100 * trained, protected_mean > 0 ? "" : " (no protected time to do it in)");
    else if (p1 > p0 + 0.005 && coached_weeks > 0)
        say(buf, "Practice rose from %.0f%% to %.0f%% of staff: coached, trained staff kept practising and "
                 "colleagues picked it up from them.",
            100 * p0, 100 * p1);
    else
        say(buf, "Practice %s: %.0f%% to %.0f%% of staff (%.0f%% trained).", moved, 100 * p0, 100 * p1,
            100 * trained);

    double c0 = a[QISIM_GM_CULTURE], c1 = b[QISIM_GM_CULTURE], r0 = a[QISIM_GM_RATING], r1 = b[QISIM_GM_RATING];
    bool flat = fabs(c1 - c0) < th[QISIM_TH_FLAT];
    if (isfinite(r0) && isfinite(r1) && r1 > r0 + 0.5 && flat)
        say(buf, "The rating rose (%s to %s) while culture stayed flat (%.2f to %.2f): inspectors saw better "
                 "results or assurance, not a changed culture.",
            rating_word(r0), rating_word(r1), c0, c1);
    else if (isfinite(r0) && isfinite(r1) && r1 < r0 - 0.5)
        say(buf, "The rating fell (%s to %s); culture went from %.2f to %.2f.", rating_word(r0), rating_word(r1), c0,
            c1);
    else if (flat)
        say(buf, "Culture for improvement barely moved (%.2f to %.2f): it changes over years, not months.", c0, c1);
    else
        say(buf, "Culture for improvement %s (%.2f to %.2f).", c1 > c0 ? "strengthened" : "weakened", c0, c1);

    double cut = b[QISIM_GM_TIME_CUT];
    if (protected_mean > 0 && isfinite(cut) && cut >= 0.1)
        say(buf, "Under pressure, managers took back %.0f%% of the protected time for QI.", 100 * cut);

    double strain = b[QISIM_GM_STRAIN], waiting = b[QISIM_GM_WAITING];
    if (strain >= th[QISIM_TH_STRAIN] && waiting >= th[QISIM_TH_WAITING])
        say(buf, "Staff are strained (%.2f) and waits are %.1f x usual: firefighting is crowding out improvement.",
            strain, waiting);
    else if (strain >= th[QISIM_TH_STRAIN])
        say(buf, "Staff strain is high (%.2f, from %.2f).", strain, a[QISIM_GM_STRAIN]);
    else if (waiting >= th[QISIM_TH_WAITING])
        say(buf, "Waits are long: %.1f x usual (from %.1f).", waiting, a[QISIM_GM_WAITING]);

    say(buf, "Reliability %.1f%% to %.1f%%; harm %.1f%% to %.1f%% of patients; QI spend this turn GBP %.2fm.",
        100 * a[QISIM_GM_RELIABILITY], 100 * b[QISIM_GM_RELIABILITY], 100 * a[QISIM_GM_HARM],
        100 * b[QISIM_GM_HARM], (b[QISIM_GM_SPEND] - a[QISIM_GM_SPEND]) / 1e6);

    int32_t trust = g->ex.group_trust[k];
    for (int32_t i = 0; i < w->n_events; i++) {
        const qisim_event *ev = &w->events[i];
        if (ev->level != QISIM_LEVEL_TRUST || ev->entity != trust || ev->week < s || ev->week >= e)
            continue;
        if (strcmp(ev->type, "ceo_change") == 0)
            say(buf, "Week %d: a new chief executive arrived (%s QI experience).", (int)(ev->week - s),
                strstr(ev->detail, "qi_experience=1") ? "with" : "without");
        else if (strcmp(ev->type, "inspection") == 0) {
            char rating[40] = "";
            const char *r = strstr(ev->detail, "rating=");
            if (r)
                sscanf(r + 7, "%39[a-z_]", rating);
            for (char *p = rating; *p; p++)
                *p = *p == '_' ? ' ' : *p;
            say(buf, "Week %d: the regulator inspected and rated the trust %s.", (int)(ev->week - s), rating);
        } else if (strcmp(ev->type, "exemplar_partner") == 0) {
            const char *name = strstr(ev->detail, "exemplar=");
            say(buf, "Week %d: %s now supports the trust as an exemplar partner.", (int)(ev->week - s),
                name ? name + 9 : "another trust");
        } else if (strcmp(ev->type, "programme_dropped") == 0)
            say(buf, "Week %d: the board dropped the QI programme: its courses and protected time stop.",
                (int)(ev->week - s));
        else if (strcmp(ev->type, "special_measures") == 0)
            say(buf, "Week %d: special measures (%s).", (int)(ev->week - s), ev->detail);
    }
}

static int observe_end(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    turn_run *r = ctx;
    (void)info;
    (void)err;
    for (int32_t k = 0; k < r->g->ex.groups; k++)
        write_commentary(r->g, w, r->turn, k);
    return QISIM_OK;
}

/* The choices of turns 0..turns-1 as text (malloc'ed). */
static char *choices_text(const qisim_game *g, int32_t turns, qisim_err *err)
{
    size_t size = 16 + (size_t)turns * (size_t)g->ex.groups * ((size_t)g->ex.n_items * 48 + 2);
    char *text = malloc(size);
    if (!text) {
        qisim_err_set(err, QISIM_ENOMEM, "out of memory for the choices");
        return NULL;
    }
    if (qisim_choices_format(&g->ex, g->choices, turns, text, size, err) != QISIM_OK) {
        free(text);
        return NULL;
    }
    return text;
}

/* Runs the exercise with the choices of `turns` turns for that many turns' weeks. */
static int simulate(qisim_game *g, int32_t turns, qisim_err *err)
{
    char *text = choices_text(g, turns, err);
    if (!text)
        return err ? err->code : QISIM_ENOMEM;
    char groups[32];
    snprintf(groups, sizeof groups, "groups=%d", (int)g->ex.groups);
    size_t n = strlen(text) + 16;
    char *choices = malloc(n);
    if (!choices) {
        free(text);
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory for the choices");
    }
    snprintf(choices, n, "choices=%s", text);
    free(text);
    const char *items[] = {groups, choices};
    qisim_assignments args = {items, 2};
    turn_run r = {g, turns - 1};
    qisim_observer obs = {&r, observe_begin, observe_week, turns > 0 ? observe_end : NULL, NULL};
    int32_t weeks = turns * g->ex.weeks_per_turn;
    /* weeks 0 means the scenario's horizon to qisim_run_replicate: run one week, keep week 0 */
    int rc = qisim_run_replicate(g->path, g->seed, 0, NULL, &args, NULL, weeks > 0 ? weeks : 1, &obs, err);
    free(choices);
    return rc;
}

/* ---- public API --------------------------------------------------------------------------- */

int qisim_game_open(const char *path, uint64_t seed, int32_t groups, qisim_game **out, qisim_err *err)
{
    *out = NULL;
    if (groups < 1 || groups > QISIM_MAX_GROUPS)
        return qisim_err_set(err, QISIM_EINVAL, "groups must be 1 to %d", (int)QISIM_MAX_GROUPS);
    qisim_game *g = calloc(1, sizeof *g);
    if (!g)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory opening the game");
    int rc = qisim_exercise_read(path, groups, &g->ex, err);
    if (rc) {
        free(g);
        return rc;
    }
    g->seed = seed;
    g->total_weeks = g->ex.turns * g->ex.weeks_per_turn;
    g->path = malloc(strlen(path) + 1);
    g->source = read_text_file(path, err);
    g->choices = calloc((size_t)QISIM_MAX_TURNS * (size_t)groups, sizeof *g->choices);
    g->series = calloc((size_t)groups * (size_t)(g->total_weeks + 1) * QISIM_GM_COUNT, sizeof *g->series);
    g->comments = calloc((size_t)QISIM_MAX_TURNS * (size_t)groups, sizeof *g->comments);
    if (!g->source) {
        qisim_game_free(g);
        return err ? err->code : QISIM_EIO;
    }
    if (!g->path || !g->choices || !g->series || !g->comments) {
        qisim_game_free(g);
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory opening the game");
    }
    strcpy(g->path, path);
    for (int m = 0; m < QISIM_GM_COUNT; m++)
        g->metric_id[m] = qisim_metric_find(qisim_game_metric_names[m]);
    if ((rc = simulate(g, 0, err))) {
        qisim_game_free(g);
        return rc;
    }
    *out = g;
    return QISIM_OK;
}

void qisim_game_free(qisim_game *g)
{
    if (!g)
        return;
    free(g->path);
    free(g->source);
    free(g->choices);
    free(g->series);
    free(g->comments);
    free(g);
}

const qisim_exercise *qisim_game_exercise(const qisim_game *g) { return &g->ex; }
int32_t qisim_game_turns_played(const qisim_game *g) { return g->played; }
bool qisim_game_over(const qisim_game *g) { return g->played >= g->ex.turns; }
uint64_t qisim_game_seed(const qisim_game *g) { return g->seed; }

int qisim_game_submit(qisim_game *g, int32_t group, const qisim_choice *c, qisim_err *err)
{
    if (group < 0 || group >= g->ex.groups)
        return qisim_err_set(err, QISIM_EINVAL, "no group %d", (int)group + 1);
    if (qisim_game_over(g))
        return qisim_err_set(err, QISIM_EINVAL, "the game is over");
    int rc = qisim_choice_check(&g->ex, c, err);
    if (rc)
        return rc;
    g->pending[group] = *c;
    g->submitted[group] = true;
    return QISIM_OK;
}

bool qisim_game_submitted(const qisim_game *g, int32_t group)
{
    return group >= 0 && group < g->ex.groups && g->submitted[group];
}

bool qisim_game_all_submitted(const qisim_game *g)
{
    for (int32_t k = 0; k < g->ex.groups; k++)
        if (!g->submitted[k])
            return false;
    return true;
}

int qisim_game_advance(qisim_game *g, double *seconds, qisim_err *err)
{
    if (qisim_game_over(g))
        return qisim_err_set(err, QISIM_EINVAL, "the game is over");
    double start = now_seconds();
    for (int32_t k = 0; k < g->ex.groups; k++) {
        qisim_choice none = {{0}};
        g->choices[g->played * g->ex.groups + k] = g->submitted[k] ? g->pending[k] : none;
    }
    int rc = simulate(g, g->played + 1, err);
    if (seconds)
        *seconds = now_seconds() - start;
    if (rc)
        return rc;
    g->played++;
    memset(g->submitted, 0, sizeof g->submitted);
    memset(g->pending, 0, sizeof g->pending);
    return QISIM_OK;
}

double qisim_game_value(const qisim_game *g, int32_t group, int metric, int32_t week)
{
    if (group < 0 || group >= g->ex.groups || metric < 0 || metric >= QISIM_GM_COUNT || week < 0 ||
        week > g->played * g->ex.weeks_per_turn)
        return (double)NAN;
    return cell(g, group, week)[metric];
}

const qisim_choice *qisim_game_choice(const qisim_game *g, int32_t turn, int32_t group)
{
    if (turn < 0 || turn >= g->played || group < 0 || group >= g->ex.groups)
        return NULL;
    return &g->choices[turn * g->ex.groups + group];
}

const char *qisim_game_commentary(const qisim_game *g, int32_t turn, int32_t group)
{
    if (turn < 0 || turn >= g->played || group < 0 || group >= g->ex.groups)
        return "";
    return g->comments[turn * g->ex.groups + group];
}

const char *qisim_game_trust_name(const qisim_game *g, int32_t group)
{
    return group >= 0 && group < g->ex.groups ? g->trust_names[group] : "";
}

/* Writes s as a Lua string literal: printable ASCII as is, the rest as \ddd escapes. */
static void write_lua_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\' || *p < 0x20 || *p >= 0x7f)
            fprintf(fp, "\\%03u", (unsigned)*p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

char *qisim_game_saved_text(const qisim_game *g, qisim_err *err)
{
    char *choices = choices_text(g, g->played, err);
    if (!choices)
        return NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp) {
        free(choices);
        qisim_err_set(err, QISIM_ENOMEM, "out of memory writing the saved game");
        return NULL;
    }
    fprintf(fp, "-- A game of qisim play, saved after %d of %d turns. Replay: qisim run THIS_FILE --seed %llu\n",
            (int)g->played, (int)g->ex.turns, (unsigned long long)g->seed);
    fprintf(fp, "game { seed = \"%llu\", groups = %d, choices = ", (unsigned long long)g->seed, (int)g->ex.groups);
    write_lua_string(fp, choices);
    fputs(", exercise = ", fp);
    write_lua_string(fp, g->path);
    fputs(" }\n", fp);
    fputs(g->source, fp);
    bool failed = ferror(fp);
    fclose(fp);
    free(choices);
    if (failed) {
        free(text);
        qisim_err_set(err, QISIM_ENOMEM, "out of memory writing the saved game");
        return NULL;
    }
    return text;
}

int qisim_game_save(const qisim_game *g, const char *dir, qisim_err *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/game.lua", dir) >= (int)sizeof path)
        return qisim_err_set(err, QISIM_EINVAL, "%s: directory name too long", dir);
    int rc = qisim_make_dirs(dir, err);
    if (rc)
        return rc;
    char *text = qisim_game_saved_text(g, err);
    if (!text)
        return err ? err->code : QISIM_ENOMEM;
    qisim_outfile f;
    if ((rc = qisim_outfile_open(&f, path, err)) == QISIM_OK) {
        fputs(text, f.fp);
        rc = qisim_outfile_commit(&f, err);
    }
    free(text);
    if (rc)
        return rc;
    qisim_run_options o = {.scenario_path = path, .out_dir = dir, .seed = g->seed, .replicates = 1, .threads = 1};
    qisim_run_result res;
    return qisim_run(&o, &res, err);
}

/* ---- JSON for the page -------------------------------------------------------------------- */

static void json_number(FILE *fp, double x)
{
    if (!isfinite(x))
        fputs("null", fp);
    else
        fprintf(fp, "%.5g", x == 0 ? 0.0 : x);
}

static void write_group_json(const qisim_game *g, FILE *fp, int32_t k)
{
    const qisim_exercise *ex = &g->ex;
    fprintf(fp, "{\"id\":%d,\"trust\":", (int)k);
    qisim_json_write_string(fp, g->trust_names[k]);
    fprintf(fp, ",\"submitted\":%s,\"choices\":[", g->submitted[k] ? "true" : "false");
    for (int32_t t = 0; t < g->played; t++) {
        const qisim_choice *c = &g->choices[t * ex->groups + k];
        fputs(t ? ",{" : "{", fp);
        for (int i = 0; i < ex->n_items; i++)
            fprintf(fp, "%s\"%s\":%d", i ? "," : "", ex->items[i].name, (int)c->amount[i]);
        fputc('}', fp);
    }
    fputs("],\"spent\":[", fp);
    for (int32_t t = 0; t < g->played; t++) {
        fputs(t ? "," : "", fp);
        json_number(fp, qisim_choice_cost(ex, &g->choices[t * ex->groups + k]));
    }
    fputs("],\"commentary\":[", fp);
    for (int32_t t = 0; t < g->played; t++) {
        fputs(t ? "," : "", fp);
        qisim_json_write_string(fp, g->comments[t * ex->groups + k]);
    }
    fputs("],\"series\":[", fp);
    int32_t last = g->played * ex->weeks_per_turn;
    for (int m = 0; m < QISIM_GAME_CHARTS; m++) {
        fputs(m ? ",[" : "[", fp);
        for (int32_t w = 0; w <= last; w += chart_step(ex)) {
            fputs(w ? "," : "", fp);
            json_number(fp, cell(g, k, w)[m]);
        }
        fputc(']', fp);
    }
    fputs("]}", fp);
}

int qisim_game_write_json(const qisim_game *g, FILE *fp, int32_t viewer, qisim_err *err)
{
    const qisim_exercise *ex = &g->ex;
    fputs("{\"exercise\":{\"name\":", fp);
    qisim_json_write_string(fp, ex->name);
    fputs(",\"description\":", fp);
    qisim_json_write_string(fp, ex->description);
    fputs(",\"unit\":", fp);
    qisim_json_write_string(fp, ex->unit);
    fprintf(fp, ",\"turns\":%d,\"weeks_per_turn\":%d,\"groups\":%d,\"budget\":", (int)ex->turns,
            (int)ex->weeks_per_turn, (int)ex->groups);
    json_number(fp, ex->budget);
    fputs(",\"menu\":[", fp);
    for (int i = 0; i < ex->n_items; i++) {
        fprintf(fp, "%s{\"name\":\"%s\",\"label\":", i ? "," : "", ex->items[i].name);
        qisim_json_write_string(fp, ex->items[i].label);
        fputs(",\"cost\":", fp);
        json_number(fp, ex->items[i].cost);
        fprintf(fp, ",\"max\":%d}", (int)ex->items[i].max);
    }
    fprintf(fp, "]},\"seed\":\"%llu\",\"played\":%d,\"over\":%s,\"every\":%d,\"groups\":[",
            (unsigned long long)g->seed, (int)g->played, qisim_game_over(g) ? "true" : "false",
            (int)chart_step(ex));
    bool first = true;
    for (int32_t k = 0; k < ex->groups; k++) {
        if (viewer >= 0 && k != viewer && !qisim_game_over(g))
            continue;
        if (!first)
            fputc(',', fp);
        first = false;
        write_group_json(g, fp, k);
    }
    fputs("]}", fp);
    if (ferror(fp))
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory writing the game's state");
    return QISIM_OK;
}
