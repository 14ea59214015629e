/* World storage and construction, the schedule, the event log, and the weekly step. */
#include "qisim/world.h"
#include "qisim/count.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- growable arrays (construction; during the run only the event log grows) ------------ */

/* The capacity, doubling from cap (or from first when cap is 0), that holds need; false past
 * INT32_MAX. */
static bool next_capacity(int32_t cap, int32_t need, int32_t first, int32_t *next)
{
    int64_t c = cap > 0 ? cap : first;
    while (c < need)
        c *= 2;
    if (c > INT32_MAX)
        return false;
    *next = (int32_t)c;
    return true;
}

/* Reallocates *items from `from` to `to` entries of `size` bytes and zeroes the new ones. */
static int resize_zeroed(void **items, int32_t from, int32_t to, size_t size)
{
    if ((size_t)to > SIZE_MAX / size)
        return QISIM_ENOMEM;
    unsigned char *p = realloc(*items, (size_t)to * size);
    if (!p)
        return QISIM_ENOMEM;
    memset(p + (size_t)from * size, 0, (size_t)(to - from) * size);
    *items = p;
    return QISIM_OK;
}

int qisim_world_grow(void **items, int32_t *cap, int32_t need, size_t size, int32_t first)
{
    if (need <= *cap)
        return QISIM_OK;
    int32_t next;
    if (first < 1 || !next_capacity(*cap, need, first, &next) || resize_zeroed(items, *cap, next, size))
        return QISIM_ENOMEM;
    *cap = next;
    return QISIM_OK;
}

static int grow(void **items, int32_t *cap, int32_t need, size_t size)
{
    return qisim_world_grow(items, cap, need, size, 16);
}

static int grow_staff(qisim_world *w, int32_t need)
{
    if (need <= w->cap_staff)
        return QISIM_OK;
    int32_t next;
    if (!next_capacity(w->cap_staff, need, 1024, &next))
        return QISIM_ENOMEM;
    qisim_staff *s = &w->staff;
    /* a field already grown stays grown: cap_staff is the smallest capacity of them all */
#define GROW_ONE(field)                                                                          \
    if (resize_zeroed((void **)&s->field, w->cap_staff, next, sizeof *s->field))                 \
        return QISIM_ENOMEM;
    QISIM_STAFF_FIELDS(GROW_ONE)
#undef GROW_ONE
    w->cap_staff = next;
    return QISIM_OK;
}

/* An array of capacity *cap holding n entries of `size` bytes cut to n (kept as it is if the
 * smaller block cannot be had). */
static void shrink_array(void **array, int32_t *cap, int32_t n, size_t size)
{
    if (n <= 0 || n >= *cap)
        return;
    void *p = realloc(*array, (size_t)n * size);
    if (p) {
        *array = p;
        *cap = n;
    }
}

/* Gives back the doubling slack of construction once the world is built: the weekly step
 * never grows the staff or team arrays. A failed shrink keeps the larger block. */
static void shrink_to_fit(qisim_world *w)
{
    if (w->n_staff > 0 && w->n_staff < w->cap_staff) {
        qisim_staff *s = &w->staff;
#define SHRINK_ONE(field)                                                            \
    {                                                                                \
        void *p = realloc(s->field, (size_t)w->n_staff * sizeof *s->field);          \
        if (p)                                                                       \
            s->field = p;                                                            \
    }
        QISIM_STAFF_FIELDS(SHRINK_ONE)
#undef SHRINK_ONE
        w->cap_staff = w->n_staff;
    }
    shrink_array((void **)&w->teams, &w->cap_teams, w->n_teams, sizeof *w->teams);
    shrink_array((void **)&w->team_names, &w->cap_team_names, w->n_teams, sizeof *w->team_names);
    shrink_array((void **)&w->team_projects, &w->cap_team_projects, w->n_teams, sizeof *w->team_projects);
}

qisim_world *qisim_world_create(uint64_t seed, int32_t replicate)
{
    qisim_world *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    qisim_params_defaults(&w->params);
    w->seed = seed;
    w->replicate = replicate;
    for (int s = 0; s < QISIM_N_STREAMS; s++)
        qisim_rng_seed_stream(&w->rng[s], seed, (uint64_t)replicate, s);
    return w;
}

void qisim_world_free(qisim_world *w)
{
    if (!w)
        return;
#define FREE_ONE(field) free(w->staff.field);
    QISIM_STAFF_FIELDS(FREE_ONE)
#undef FREE_ONE
    free(w->teams);
    free(w->team_names);
    free(w->team_projects);
    free(w->trusts);
    free(w->trust_index);
    free(w->regions);
    free(w->regulators);
    free(w->collaboratives);
    free(w->schedule);
    free(w->events);
    qisim_network_free(&w->net);
    free(w->movers);
    free(w->team_counts);
    free(w);
}

size_t qisim_world_bytes(const qisim_world *w)
{
    size_t per_staff = 0;
#define SIZE_ONE(field) per_staff += sizeof *w->staff.field;
    QISIM_STAFF_FIELDS(SIZE_ONE)
#undef SIZE_ONE
    return sizeof *w + (size_t)w->cap_staff * per_staff + (size_t)w->cap_teams * sizeof *w->teams +
           (size_t)w->cap_team_names * sizeof *w->team_names +
           (size_t)w->cap_team_projects * sizeof *w->team_projects +
           (size_t)w->cap_trusts * sizeof *w->trusts + (size_t)w->n_trust_index * sizeof *w->trust_index +
           (size_t)w->cap_regions * sizeof *w->regions +
           (size_t)w->cap_regulators * sizeof *w->regulators +
           (size_t)w->cap_collaboratives * sizeof *w->collaboratives +
           (size_t)w->cap_schedule * sizeof *w->schedule + (size_t)w->cap_events * sizeof *w->events +
           qisim_network_bytes(&w->net, w->n_staff) +
           ((size_t)w->n_trainee_posts * 3 + (size_t)w->n_regions + 1) * sizeof *w->movers +
           (w->team_counts ? (size_t)w->n_teams * sizeof *w->team_counts : 0);
}

/* ---- construction ----------------------------------------------------------------------- */

static int check_name(const char *what, const char *name, qisim_err *err)
{
    if (!name || !name[0])
        return qisim_err_set(err, QISIM_EINVAL, "%s needs a name", what);
    if (strlen(name) >= QISIM_NAME_MAX)
        return qisim_err_set(err, QISIM_EINVAL, "%s name '%.20s...' is longer than %d characters",
                             what, name, QISIM_NAME_MAX - 1);
    /* Names become CSV fields, SQLite rows and one-line messages: a line break or other
     * control character in one would be quoted correctly, yet break every line-based tool
     * that reads the results (and the one-line error messages themselves). */
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return qisim_err_set(err, QISIM_EINVAL, "%s name '%.*s...' contains a control character (0x%02x): names must be printable",
                                 what, (int)(p - name), name, (unsigned)(unsigned char)*p);
    return QISIM_OK;
}

static int check_building(const qisim_world *w, const char *what, qisim_err *err)
{
    if (w->started)
        return qisim_err_set(err, QISIM_EINVAL, "cannot add a %s after the run has started", what);
    return QISIM_OK;
}

int qisim_world_check_trust(const qisim_world *w, int32_t trust, qisim_err *err)
{
    if (trust < 0 || trust >= w->n_trusts)
        return qisim_err_set(err, QISIM_EINVAL, "no trust with id %d", trust);
    return QISIM_OK;
}

int32_t qisim_world_find_region(const qisim_world *w, const char *name)
{
    for (int32_t i = 0; i < w->n_regions; i++)
        if (strcmp(w->regions[i].name, name) == 0)
            return i;
    return -1;
}

/* ---- the trust name index: every trust{} checks its name is new, so a scan of all names
 * made building n trusts take n^2 / 2 comparisons ---------------------------------------------- */

/* FNV-1a: simple, and the same on every machine, so nothing depends on a salt */
static uint32_t name_hash(const char *name)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        h = (h ^ *c) * 16777619u;
    return h;
}

static void trust_index_put(int32_t *slots, int32_t n_slots, const char *name, int32_t id)
{
    uint32_t mask = (uint32_t)n_slots - 1u;
    uint32_t k = name_hash(name) & mask;
    while (slots[k] >= 0)
        k = (k + 1u) & mask;
    slots[k] = id;
}

/* Room for n trusts with the index at most half full; rebuilds it when it grows. */
static int trust_index_reserve(qisim_world *w, int32_t n)
{
    if (n <= w->n_trust_index / 2)
        return QISIM_OK;
    int32_t n_slots = w->n_trust_index ? w->n_trust_index : 64;
    while (n > n_slots / 2) {
        if (n_slots > INT32_MAX / 2)
            return QISIM_ENOMEM;
        n_slots *= 2;
    }
    int32_t *slots = malloc((size_t)n_slots * sizeof *slots);
    if (!slots)
        return QISIM_ENOMEM;
    for (int32_t k = 0; k < n_slots; k++)
        slots[k] = -1;
    for (int32_t i = 0; i < w->n_trusts; i++)
        trust_index_put(slots, n_slots, w->trusts[i].name, i);
    free(w->trust_index);
    w->trust_index = slots;
    w->n_trust_index = n_slots;
    return QISIM_OK;
}

int32_t qisim_world_find_trust(const qisim_world *w, const char *name)
{
    if (!w->trust_index)
        return -1;
    uint32_t mask = (uint32_t)w->n_trust_index - 1u;
    for (uint32_t k = name_hash(name) & mask; w->trust_index[k] >= 0; k = (k + 1u) & mask)
        if (strcmp(w->trusts[w->trust_index[k]].name, name) == 0)
            return w->trust_index[k];
    return -1;
}

/* Sizes workforce's rotation scratch for `trainees` trainee posts and `regions` regions: their
 * ids, regions, ids sorted by region, and per-region counts (workforce.c). */
static int reserve_movers(qisim_world *w, int32_t trainees, int32_t regions)
{
    int32_t *p = realloc(w->movers, ((size_t)trainees * 3 + (size_t)regions + 1) * sizeof *p);
    if (!p)
        return QISIM_ENOMEM;
    w->movers = p;
    return QISIM_OK;
}

int qisim_world_add_region(qisim_world *w, const char *name, int32_t *id, qisim_err *err)
{
    int rc = check_building(w, "region", err);
    if (rc || (rc = check_name("a region", name, err)))
        return rc;
    if (qisim_world_find_region(w, name) >= 0)
        return qisim_err_set(err, QISIM_EINVAL, "a region called '%s' already exists", name);
    if (grow((void **)&w->regions, &w->cap_regions, w->n_regions + 1, sizeof *w->regions) ||
        reserve_movers(w, w->n_trainee_posts, w->n_regions + 1))
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory adding region '%s'", name);
    qisim_region *r = &w->regions[w->n_regions];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    *id = w->n_regions++;
    return QISIM_OK;
}

int qisim_world_add_regulator(qisim_world *w, const char *name, double stance, bool rates,
                              double demands, int32_t *id, qisim_err *err)
{
    int rc = check_building(w, "regulator", err);
    if (rc || (rc = check_name("a regulator", name, err)))
        return rc;
    if (!(stance >= 0.0 && stance <= 1.0))
        return qisim_err_set(err, QISIM_EINVAL, "regulator '%s': stance %g is outside [0, 1]", name, stance);
    if (!(demands >= 0.0 && demands <= 1.0))
        return qisim_err_set(err, QISIM_EINVAL, "regulator '%s': demands %g is outside [0, 1]", name, demands);
    if (grow((void **)&w->regulators, &w->cap_regulators, w->n_regulators + 1, sizeof *w->regulators))
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory adding regulator '%s'", name);
    qisim_regulator *g = &w->regulators[w->n_regulators];
    memset(g, 0, sizeof *g);
    snprintf(g->name, sizeof g->name, "%s", name);
    g->stance = stance;
    g->rates = rates;
    g->demands = demands;
    *id = w->n_regulators++;
    return QISIM_OK;
}

void qisim_trust_spec_defaults(qisim_trust_spec *s)
{
    memset(s, 0, sizeof *s);
    s->kind = QISIM_TRUST_ACUTE;
    s->region = -1;
    s->staff = 3000;
    s->teams = 100;
    s->board_commitment = 0.3;
    s->style = 0.4;
    s->data_maturity = 0.3;
    s->finance_pressure = 0.4;
    s->culture = 0.3;
    s->reliability = 0.55; /* 50-60% of care as evidence recommends (B:L801-807) */
    s->rating = QISIM_RATING_REQUIRES_IMPROVEMENT;
}

/* Role mix of staff who are not team leaders, executives, trainees or managers, by trust kind:
 * the parameters of the nurse, doctor and allied shares; support staff are the rest. */
static const int role_share_param[QISIM_N_TRUST_KINDS][QISIM_ROLE_SUPPORT] = {
    [QISIM_TRUST_ACUTE] = {QP_BUILD_ACUTE_NURSES, QP_BUILD_ACUTE_DOCTORS, QP_BUILD_ACUTE_ALLIED},
    [QISIM_TRUST_MENTAL_HEALTH] = {QP_BUILD_MENTAL_HEALTH_NURSES, QP_BUILD_MENTAL_HEALTH_DOCTORS,
                                   QP_BUILD_MENTAL_HEALTH_ALLIED},
    [QISIM_TRUST_COMMUNITY] = {QP_BUILD_COMMUNITY_NURSES, QP_BUILD_COMMUNITY_DOCTORS, QP_BUILD_COMMUNITY_ALLIED},
};

/* A team needs a leader and at least one member. */
enum { MIN_TEAM_SIZE = QISIM_MIN_TEAM_SIZE };

static void init_staff_member(qisim_world *w, int32_t i, uint8_t role)
{
    qisim_rng *r = &w->rng[QISIM_STREAM_BUILD];
    const double *p = w->params.v;
    qisim_staff *s = &w->staff;
    double tmean = p[QP_BUILD_THRESHOLD_MEAN], tshape = p[QP_BUILD_THRESHOLD_SHAPE];
    s->role[i] = role;
    s->tier[i] = QISIM_TIER_NONE;
    s->flags[i] = qisim_rng_chance(r, p[QP_BUILD_OPINION_LEADER_SHARE]) ? QISIM_STAFF_OPINION_LEADER : 0;
    if (role != QISIM_ROLE_TEAM_LEADER && role != QISIM_ROLE_EXECUTIVE &&
        qisim_rng_chance(r, p[QP_BUILD_VACANCY_SHARE]))
        s->flags[i] |= QISIM_STAFF_VACANT;
    s->knowhow[i] = (p[QP_BUILD_KNOWHOW_MEAN] * 2.0 * qisim_rng_uniform(r));
    s->threshold[i] = (float)qisim_rng_beta(r, tmean * tshape, (1.0 - tmean) * tshape);
    s->motivation[i] = (float)qisim_rng_beta(r, p[QP_BUILD_MOTIVATION_A], p[QP_BUILD_MOTIVATION_B]);
    s->strain[i] = (float)p[QP_WORKFORCE_STRAIN_BASE];
    int tenure_param = role == QISIM_ROLE_TRAINEE ? QP_WORKFORCE_ROTATION_WEEKS : QP_BUILD_TENURE_WEEKS;
    s->tenure[i] = (uint16_t)qisim_rng_below(r, (uint32_t)p[tenure_param]);
    s->support_weeks[i] = 0;
    s->since_training[i] = UINT16_MAX;
    s->reinforced[i] = 0;
}

/* Team sizes drawn around the mean, then adjusted so they add up to exactly `staff`. */
static void draw_team_sizes(qisim_world *w, int32_t staff, int32_t teams, int32_t *sizes)
{
    qisim_rng *r = &w->rng[QISIM_STREAM_BUILD];
    double mean = (double)staff / teams, cv = w->params.v[QP_BUILD_TEAM_SIZE_CV];
    int64_t total = 0;
    for (int32_t t = 0; t < teams; t++) {
        double x = mean * (1.0 + cv * qisim_rng_normal(r));
        sizes[t] = x < MIN_TEAM_SIZE ? MIN_TEAM_SIZE : (int32_t)lround(x);
        total += sizes[t];
    }
    for (int32_t t = 0; total != staff; t = (t + 1) % teams) {
        if (total > staff && sizes[t] > MIN_TEAM_SIZE) {
            sizes[t]--;
            total--;
        } else if (total < staff) {
            sizes[t]++;
            total++;
        }
    }
}

/* A team's name and its place in the trust's list, for sorting. */
typedef struct team_name {
    char name[QISIM_NAME_MAX];
    int32_t index;
} team_name;

static int compare_team_names(const void *a, const void *b)
{
    const team_name *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Team names key the team rows of series.csv: two teams of one trust with one name (given
 * twice, or given as the automatic "<trust>/<k>" of another) would write rows no reader can
 * tell apart. Sorted, so that a trust of 100000 teams costs n log n, not n^2. */
static int check_team_names_differ(const qisim_trust_spec *s, qisim_err *err)
{
    int32_t n = s->n_team_sizes;
    team_name *names = malloc((size_t)n * sizeof *names);
    if (!names)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory building trust '%s'", s->name);
    for (int32_t t = 0; t < n; t++) {
        if (s->team_names[t])
            snprintf(names[t].name, sizeof names[t].name, "%s", s->team_names[t]);
        else
            snprintf(names[t].name, sizeof names[t].name, "%.50s/%d", s->name, t + 1); /* as qisim_world_add_trust names it */
        names[t].index = t;
    }
    qsort(names, (size_t)n, sizeof *names, compare_team_names);
    int rc = QISIM_OK;
    for (int32_t i = 1; i < n && !rc; i++)
        if (strcmp(names[i - 1].name, names[i].name) == 0)
            rc = qisim_err_set(err, QISIM_EINVAL,
                               "trust '%s': teams[%d] and teams[%d] are both called '%s' (team names must differ "
                               "within a trust: they name the team rows of series.csv)",
                               s->name, names[i - 1].index + 1, names[i].index + 1, names[i].name);
    free(names);
    return rc;
}

static int check_spec(const qisim_world *w, const qisim_trust_spec *s, qisim_err *err)
{
    int rc = check_name("a trust", s->name, err);
    if (rc)
        return rc;
    if (qisim_world_find_trust(w, s->name) >= 0)
        return qisim_err_set(err, QISIM_EINVAL, "a trust called '%s' already exists", s->name);
    if (s->region < 0 || s->region >= w->n_regions)
        return qisim_err_set(err, QISIM_EINVAL, "trust '%s' needs a region", s->name);
    if (s->kind < 0 || s->kind >= QISIM_N_TRUST_KINDS)
        return qisim_err_set(err, QISIM_EINVAL, "trust '%s': unknown kind", s->name);
    if (!s->team_sizes) {
        if (s->teams < 1 || s->teams > QISIM_MAX_TRUST_TEAMS)
            return qisim_err_set(err, QISIM_EINVAL, "trust '%s': teams = %d is outside [1, %d]",
                                 s->name, s->teams, QISIM_MAX_TRUST_TEAMS);
        if (s->staff < MIN_TEAM_SIZE * s->teams || s->staff > QISIM_MAX_TRUST_STAFF)
            return qisim_err_set(err, QISIM_EINVAL,
                                 "trust '%s': staff = %d must be at least %d per team (%d teams) and at most %d",
                                 s->name, s->staff, MIN_TEAM_SIZE, s->teams, QISIM_MAX_TRUST_STAFF);
    } else {
        if (s->n_team_sizes < 1 || s->n_team_sizes > QISIM_MAX_TRUST_TEAMS)
            return qisim_err_set(err, QISIM_EINVAL, "trust '%s': needs 1 to %d teams", s->name, QISIM_MAX_TRUST_TEAMS);
        for (int32_t t = 0; t < s->n_team_sizes; t++)
            if (s->team_sizes[t] < MIN_TEAM_SIZE || s->team_sizes[t] > QISIM_MAX_TEAM_SIZE)
                return qisim_err_set(err, QISIM_EINVAL, "trust '%s': team %d has %d staff (expected %d to %d)",
                                     s->name, t + 1, s->team_sizes[t], MIN_TEAM_SIZE, QISIM_MAX_TEAM_SIZE);
        for (int32_t t = 0; s->team_names && t < s->n_team_sizes; t++)
            if (s->team_names[t] && (rc = check_name("a team", s->team_names[t], err)))
                return rc;
        if (s->team_names && (rc = check_team_names_differ(s, err)))
            return rc;
    }
    const struct { const char *name; double v; } unit[] = {
        {"board commitment", s->board_commitment}, {"style", s->style},
        {"data_maturity", s->data_maturity}, {"finance_pressure", s->finance_pressure},
        {"culture", s->culture}, {"reliability", s->reliability},
    };
    for (size_t k = 0; k < sizeof unit / sizeof unit[0]; k++)
        if (!(unit[k].v >= 0.0 && unit[k].v <= 1.0))
            return qisim_err_set(err, QISIM_EINVAL, "trust '%s': %s = %g is outside [0, 1]", s->name,
                                 unit[k].name, unit[k].v);
    if (s->rating < QISIM_RATING_NONE || s->rating > QISIM_RATING_OUTSTANDING)
        return qisim_err_set(err, QISIM_EINVAL, "trust '%s': unknown rating", s->name);
    return QISIM_OK;
}

static void init_team(qisim_world *w, qisim_team *t, const qisim_trust *tr, int32_t trust_id)
{
    qisim_rng *r = &w->rng[QISIM_STREAM_BUILD];
    t->trust = trust_id;
    t->collaborative = -1;
    const double *p = w->params.v;
    t->psych_safety = qisim_clamp01(p[QP_CULTURE_SAFETY_BASE] +
                                    p[QP_CULTURE_SAFETY_CULTURE] * (tr->culture - p[QP_CULTURE_BASE]) +
                                    p[QP_BUILD_SAFETY_SD] * qisim_rng_normal(r));
    t->demand = 1.0;
    t->workload = 1.0;
    t->qi_time = 0.0;
    /* Rounded to float precision, as when the field was a float: keeping the rounding keeps every
     * result (the golden run) as it is. */
    t->reliability = (double)(float)qisim_clamp01(tr->stats.reliability + p[QP_BUILD_RELIABILITY_SD] * qisim_rng_normal(r));
    t->base_reliability = t->reliability;
    t->waiting = 1.0;
    t->backlog = 1.0;
    t->efficiency = 1.0;
    t->capacity = 1.0 / p[QP_WORKFORCE_WORKLOAD_REF];
}

int qisim_world_add_trust(qisim_world *w, const qisim_trust_spec *s, int32_t *id, qisim_err *err)
{
    int rc = check_building(w, "trust", err);
    if (rc || (rc = check_spec(w, s, err)))
        return rc;
    int32_t n_teams = s->team_sizes ? s->n_team_sizes : s->teams;
    int32_t *sizes = malloc((size_t)n_teams * sizeof *sizes);
    if (!sizes)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory building trust '%s'", s->name);
    int64_t n_staff = 0;
    if (s->team_sizes)
        memcpy(sizes, s->team_sizes, (size_t)n_teams * sizeof *sizes);
    else
        draw_team_sizes(w, s->staff, n_teams, sizes);
    for (int32_t t = 0; t < n_teams; t++)
        n_staff += sizes[t];
    if (n_staff + w->n_staff > INT32_MAX / 2 ||
        grow((void **)&w->trusts, &w->cap_trusts, w->n_trusts + 1, sizeof *w->trusts) ||
        trust_index_reserve(w, w->n_trusts + 1) ||
        grow((void **)&w->teams, &w->cap_teams, w->n_teams + n_teams, sizeof *w->teams) ||
        grow((void **)&w->team_names, &w->cap_team_names, w->n_teams + n_teams, sizeof *w->team_names) ||
        grow((void **)&w->team_projects, &w->cap_team_projects, w->n_teams + n_teams, sizeof *w->team_projects) ||
        grow_staff(w, w->n_staff + (int32_t)n_staff)) {
        free(sizes);
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory building trust '%s'", s->name);
    }

    int32_t trust_id = w->n_trusts;
    qisim_trust *tr = &w->trusts[trust_id];
    memset(tr, 0, sizeof *tr);
    snprintf(tr->name, sizeof tr->name, "%s", s->name);
    tr->kind = s->kind;
    tr->region = s->region;
    tr->first_team = w->n_teams;
    tr->n_teams = n_teams;
    tr->first_staff = w->n_staff;
    tr->n_staff = (int32_t)n_staff;
    tr->board_commitment = s->board_commitment;
    tr->style = s->style;
    tr->strategy = QISIM_STRATEGY_NONE;
    tr->board_decides = true;
    /* CEOs leave at a constant weekly hazard (leadership.c), so the one in post at week 0 has
     * been there as long on average as a whole tenure lasts: uniform on [0, 2 x mean tenure). */
    double ceo_weeks = 2.0 * w->params.v[QP_LEADERSHIP_CEO_TENURE] * 52.0;
    tr->ceo_tenure = (int32_t)qisim_rng_below(&w->rng[QISIM_STREAM_BUILD], (uint32_t)lround(ceo_weeks));
    tr->data_maturity = s->data_maturity;
    tr->data_target = s->data_maturity;
    tr->data_for_improvement = w->params.v[QP_DATA_USE_BASE];
    tr->finance_pressure = s->finance_pressure;
    tr->culture = s->culture;
    tr->rating = s->rating;
    tr->weeks_since_inspection =
        (int32_t)qisim_rng_below(&w->rng[QISIM_STREAM_BUILD], (uint32_t)w->params.v[QP_BUILD_INSPECTION_WEEKS]);
    tr->network = -1;
    tr->partner = -1;
    /* the usual trust's assurance, and the compliance picture it keeps up (regulation.c) */
    tr->assurance = w->params.v[QP_REGULATION_ASSURANCE_USUAL];
    tr->compliance = w->params.v[QP_REGULATION_ASSURANCE_MAX] > 0.0
                         ? qisim_clamp01(tr->assurance / w->params.v[QP_REGULATION_ASSURANCE_MAX]) : 0.0;
    tr->shock_demand = 1.0;
    tr->demand_level = 1.0;
    tr->stats.reliability = s->reliability;
    tr->stats.harm_rate = w->params.v[QP_OUTCOMES_HARM_BASE] * (1.0 - s->reliability) /
                          (1.0 - w->params.v[QP_OUTCOMES_RELIABILITY_REF]);

    int32_t staff_id = w->n_staff, trainees = 0;
    for (int32_t t = 0; t < n_teams; t++) {
        qisim_team *team = &w->teams[w->n_teams + t];
        char *name = w->team_names[w->n_teams + t];
        memset(team, 0, sizeof *team);
        memset(name, 0, QISIM_NAME_MAX);
        memset(w->team_projects[w->n_teams + t], 0, sizeof *w->team_projects);
        if (s->team_names && s->team_names[t])
            snprintf(name, QISIM_NAME_MAX, "%s", s->team_names[t]);
        else
            snprintf(name, QISIM_NAME_MAX, "%.50s/%d", s->name, t + 1);
        team->first_staff = staff_id;
        team->n_staff = sizes[t];
        init_team(w, team, tr, trust_id);
        for (int32_t k = 0; k < sizes[t]; k++, staff_id++) {
            uint8_t role;
            qisim_rng *r = &w->rng[QISIM_STREAM_BUILD];
            if (k == 0)
                role = QISIM_ROLE_TEAM_LEADER;
            else if (t == 0 && k <= (int32_t)w->params.v[QP_BUILD_EXECUTIVES])
                role = QISIM_ROLE_EXECUTIVE; /* the first team is the trust's executive team */
            else if (qisim_rng_chance(r, w->params.v[QP_BUILD_TRAINEE_SHARE]))
                role = QISIM_ROLE_TRAINEE;
            else if (qisim_rng_below(r, 1000u) < 1000.0 * w->params.v[QP_BUILD_MANAGER_SHARE]) /* in 1/1000s */
                role = QISIM_ROLE_MANAGER;
            else {
                double u = qisim_rng_uniform(r), acc = 0.0;
                role = QISIM_ROLE_SUPPORT;
                for (uint8_t c = 0; c < QISIM_ROLE_SUPPORT; c++) {
                    acc += w->params.v[role_share_param[s->kind][c]];
                    if (u < acc) {
                        role = c;
                        break;
                    }
                }
            }
            init_staff_member(w, staff_id, role);
            trainees += role == QISIM_ROLE_TRAINEE;
        }
    }
    free(sizes);
    if (reserve_movers(w, w->n_trainee_posts + trainees, w->n_regions))
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory adding trust '%s'", s->name);
    w->n_trainee_posts += trainees;
    w->n_teams += n_teams;
    w->n_staff = staff_id;
    trust_index_put(w->trust_index, w->n_trust_index, tr->name, trust_id);
    w->n_trusts++;
    *id = trust_id;
    return QISIM_OK;
}

/* ---- schedule and event log ------------------------------------------------------------- */

int qisim_world_schedule(qisim_world *w, const qisim_scheduled *s, qisim_err *err)
{
    if (s->week < 0)
        return qisim_err_set(err, QISIM_EINVAL, "week %d is negative", s->week);
    if (s->kind == QISIM_EVERY && s->period < 1)
        return qisim_err_set(err, QISIM_EINVAL, "period %d must be at least 1 week", s->period);
    if (grow((void **)&w->schedule, &w->cap_schedule, w->n_schedule + 1, sizeof *w->schedule))
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory scheduling an action");
    qisim_scheduled *entry = &w->schedule[w->n_schedule++];
    memset(entry, 0, sizeof *entry); /* padding too: the schedule is saved in checkpoints */
    entry->kind = s->kind;
    entry->week = s->week;
    entry->period = s->period;
    entry->action = s->action;
    entry->condition = s->condition;
    entry->once = s->once;
    entry->done = s->done;
    return QISIM_OK;
}

void qisim_world_log(qisim_world *w, int32_t level, int32_t entity, const char *type, const char *fmt, ...)
{
    if (grow((void **)&w->events, &w->cap_events, w->n_events + 1, sizeof *w->events))
        return;
    qisim_event *e = &w->events[w->n_events++];
    memset(e, 0, sizeof *e); /* whole bytes: events are saved in checkpoints */
    e->week = w->week;
    e->level = level;
    e->entity = entity;
    snprintf(e->type, sizeof e->type, "%s", type);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->detail, sizeof e->detail, fmt, ap);
    va_end(ap);
}

/* Runs the scenario actions due this week, in the order they were scheduled. Entries added
 * by an action run from next week on. */
static int run_schedule(qisim_world *w, const qisim_host *host, qisim_err *err)
{
    int32_t n = w->n_schedule;
    for (int32_t i = 0; i < n; i++) {
        qisim_scheduled s = w->schedule[i]; /* copy: an action may grow the array */
        bool due = false;
        if (s.done)
            continue;
        if (s.kind == QISIM_AT) {
            due = s.week == w->week;
        } else if (s.kind == QISIM_EVERY) {
            due = w->week >= s.week && (w->week - s.week) % s.period == 0;
        } else if (w->week >= s.week) {
            int rc = host->call(host->ctx, s.condition, &due, err);
            if (rc)
                return rc;
        }
        if (!due)
            continue;
        if (s.kind == QISIM_AT || (s.kind == QISIM_WHEN && s.once))
            w->schedule[i].done = true;
        int rc = host->call(host->ctx, s.action, NULL, err);
        if (rc)
            return rc;
    }
    return QISIM_OK;
}

/* ---- aggregates -------------------------------------------------------------------------- */

/* qisim_network_seen_of as constant expressions, for the table. */
#define SEEN(f)                                                                                   \
    ((((f) & (QISIM_STAFF_PRACTISING | QISIM_STAFF_VACANT)) == QISIM_STAFF_PRACTISING)            \
         ? (QISIM_SEEN_PRACTISING | (((f) & (QISIM_STAFF_OPINION_LEADER | QISIM_STAFF_CHAMPION)) ? QISIM_SEEN_CORE : 0)) \
         : 0)
#define SEEN4(f) SEEN(f), SEEN((f) + 1), SEEN((f) + 2), SEEN((f) + 3)
#define SEEN16(f) SEEN4(f), SEEN4((f) + 4), SEEN4((f) + 8), SEEN4((f) + 12)
#define SEEN64(f) SEEN16(f), SEEN16((f) + 16), SEEN16((f) + 32), SEEN16((f) + 48)
const uint8_t qisim_seen_of_flags[256] = {SEEN64(0), SEEN64(64), SEEN64(128), SEEN64(192)};
#undef SEEN64
#undef SEEN16
#undef SEEN4
#undef SEEN

/* The counts of team t's staff now; with a network, what contacts see of each is written to
 * seen (NULL: not wanted). */
static void count_team(const qisim_world *w, int32_t t, qisim_team_counts *c, uint8_t *seen)
{
    const qisim_team *team = &w->teams[t];
    const uint8_t *flags = w->staff.flags;
    qisim_tally tally;
    qisim_tally_begin(seen, &tally);
    for (int32_t i = team->first_staff, end = team->first_staff + team->n_staff; i < end; i++) {
        if (seen)
            qisim_tally_seen(&tally, i, flags[i]);
        if (!(flags[i] & QISIM_STAFF_VACANT))
            qisim_tally_member(&tally, &w->staff, i, flags[i]);
    }
    qisim_tally_end(&tally, c);
}

static void aggregate_trusts(qisim_world *w);

void qisim_world_aggregate(qisim_world *w)
{
    for (int32_t t = 0; t < w->n_teams; t++)
        count_team(w, t, &w->teams[t].counts, w->net.seen);
    aggregate_trusts(w);
}

void qisim_world_count_team(qisim_world *w, int32_t t)
{
    count_team(w, t, &w->team_counts[t], w->net.seen_next);
}

void qisim_world_close_week(qisim_world *w)
{
    for (int32_t t = 0; t < w->n_teams; t++)
        w->teams[t].counts = w->team_counts[t];
    uint8_t *seen = w->net.seen;
    w->net.seen = w->net.seen_next;
    w->net.seen_next = seen;
    aggregate_trusts(w);
}

/* Trust aggregates from their teams' (counts, and team-level states weighted by establishment). */
static void aggregate_trusts(qisim_world *w)
{
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        qisim_trust_stats *st = &tr->stats;
        int32_t n = 0, practising = 0, tiers[QISIM_N_TIERS] = {0}, active = 0, sustaining = 0;
        double knowhow = 0, strain = 0, safety = 0, reliability = 0, waiting = 0, demand = 0, workload = 0, efficiency = 0;
        double qi_cost = 0, overtime = 0, backlog = 0;
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            const qisim_team *team = &w->teams[t];
            int32_t present = team->counts.n_in_post;
            for (int c = 0; c < QISIM_N_TIERS; c++)
                tiers[c] += team->counts.n_tier[c];
            n += present;
            practising += team->counts.n_practising;
            knowhow += team->counts.mean_knowhow * present;
            strain += team->counts.mean_strain * present;
            /* team-level states are weighted by establishment: they describe the service */
            safety += (double)team->psych_safety * team->n_staff;
            reliability += (double)team->reliability * team->n_staff;
            waiting += (double)team->waiting * team->n_staff;
            workload += team->workload * team->n_staff;
            efficiency += team->efficiency * team->n_staff;
            demand += team->demand * team->n_staff;
            qi_cost += team->qi_cost * team->n_staff;
            overtime += team->overtime * team->n_staff;
            backlog += team->backlog * team->n_staff;
            active += team->projects_active;
            sustaining += team->projects_sustaining;
        }
        double est = tr->n_staff;
        st->n_staff = n;
        st->n_practising = practising;
        memcpy(st->n_tier, tiers, sizeof tiers);
        st->vacancies = tr->n_staff - n;
        st->projects_active = active;
        st->projects_sustaining = sustaining;
        st->knowhow = n ? knowhow / n : 0.0;
        st->strain = n ? strain / n : 0.0;
        st->psych_safety = safety / est;
        st->reliability = reliability / est;
        st->waiting = waiting / est;
        st->workload = workload / est;
        st->efficiency = efficiency / est;
        st->demand = demand / est;
        st->qi_cost = qi_cost / est;
        st->overtime = overtime / est;
        st->backlog = backlog / est;
    }
}

/* ---- the weekly step ---------------------------------------------------------------------- */

int qisim_world_advance(qisim_world *w, qisim_week_fn *week, const qisim_host *host, qisim_err *err)
{
    if (!w->started) {
        shrink_to_fit(w);
        qisim_world_aggregate(w);
        w->started = true;
    }
    if (!w->team_counts && w->n_teams > 0) { /* the world's shape is fixed from here */
        w->team_counts = calloc((size_t)w->n_teams, sizeof *w->team_counts);
        if (!w->team_counts)
            return qisim_err_set(err, QISIM_ENOMEM, "out of memory for the counts of %d teams", w->n_teams);
    }
    /* once, when the first week starts; a restored checkpoint brings its network with it */
    if (w->params.v[QP_NETWORK_ON] != 0.0 && !w->net.offsets) {
        int rc = qisim_network_build(w, err);
        if (rc)
            return rc;
    }
    qisim_network_expire_bridges(w); /* before the scenario can make new ones this week */
    if (host) {
        int rc = run_schedule(w, host, err);
        if (rc)
            return rc;
    }
    week(w);
    w->week++;
    return QISIM_OK;
}

/* ---- names ------------------------------------------------------------------------------------ */

const char *const qisim_tier_names[] = {"none", "awareness", "practitioner", "leader", "expert", NULL};
const char *const qisim_role_names[] = {"nurse",   "doctor",    "allied",  "support", "team_leader",
                                        "manager", "executive", "trainee", NULL};
const char *const qisim_trust_kind_names[] = {"acute", "mental_health", "community", NULL};
const char *const qisim_strategy_names[] = {"none", "compliance", "qi", NULL};
const char *const qisim_rating_names[] = {"none", "inadequate", "requires_improvement", "good", "outstanding", NULL};
const char *const qisim_topic_names[] = {"reliability", "flow", NULL};

static const char *name_at(const char *const *names, int i)
{
    for (int k = 0; names[k]; k++)
        if (k == i)
            return names[k];
    return "?";
}

const char *qisim_tier_name(int tier) { return name_at(qisim_tier_names, tier); }
const char *qisim_strategy_name(int strategy) { return name_at(qisim_strategy_names, strategy); }
const char *qisim_rating_name(int rating) { return name_at(qisim_rating_names, rating); }
const char *qisim_topic_name(int topic) { return name_at(qisim_topic_names, topic); }

/* ---- state a scenario may write directly ---------------------------------------------------- */

#define TRUST_FIELD_NAME(field, max) #field,
const char *const qisim_trust_field_names[] = {QISIM_TRUST_FIELDS(TRUST_FIELD_NAME) NULL};
#undef TRUST_FIELD_NAME

#define TRUST_FIELD_MAX(field, max) max,
static const double trust_field_max[] = {QISIM_TRUST_FIELDS(TRUST_FIELD_MAX)};
#undef TRUST_FIELD_MAX

static double *trust_field(qisim_trust *t, int i)
{
#define TRUST_FIELD_ADDRESS(field, max) &t->field,
    double *fields[] = {QISIM_TRUST_FIELDS(TRUST_FIELD_ADDRESS)};
#undef TRUST_FIELD_ADDRESS
    return fields[i];
}

int qisim_trust_field_find(const char *field)
{
    for (int i = 0; qisim_trust_field_names[i]; i++)
        if (strcmp(field, qisim_trust_field_names[i]) == 0)
            return i;
    return -1;
}

double qisim_trust_field_get(const qisim_trust *t, int i)
{
#define TRUST_FIELD_VALUE(field, max) t->field,
    const double values[] = {QISIM_TRUST_FIELDS(TRUST_FIELD_VALUE)};
#undef TRUST_FIELD_VALUE
    return values[i];
}

int qisim_trust_set_field(qisim_world *w, int32_t trust, const char *field, double value, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, trust, err);
    if (rc)
        return rc;
    for (int i = 0; qisim_trust_field_names[i]; i++) {
        if (strcmp(field, qisim_trust_field_names[i]) != 0)
            continue;
        double max = trust_field_max[i];
        if (!(value >= 0.0 && value <= max))
            return qisim_err_set(err, QISIM_EINVAL, "%s = %g is outside [0, %g]", field, value, max);
        qisim_trust *t = &w->trusts[trust];
        if (strcmp(field, "protected_time") == 0)
            qisim_policy_imposed(w, trust); /* as t:protected_time(x) does */
        *trust_field(t, i) = value;
        if (strcmp(field, "data_maturity") == 0)
            t->data_target = value; /* set, not invested: it stays where it was put */
        qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "set", "%s=%g", field, value);
        return QISIM_OK;
    }
    return qisim_err_set(err, QISIM_EINVAL, "'%s' is not a writable trust field", field);
}
