/* Checkpoints: the world's state written as raw arrays behind a header that identifies the
 * format and the build and carries a SHA-256 of the file, so a burn-in computed once can be
 * continued or branched bit for bit, and a damaged or foreign file is refused, never used. */
#include "qisim/io.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qisim/metrics.h"
#include "qisim/run.h"

static const char magic[8] = {'Q', 'I', 'S', 'I', 'M', 'C', 'K', 'P'};
enum { FORMAT_VERSION = 8, MAX_WEEK = 100000, MAX_JOURNEY_STAGE = 6 };

/* Changes whenever a struct's layout, the staff arrays or the parameter list change. */
static uint64_t layout(void)
{
    const qisim_staff *s = NULL;
#define STAFF_SIZE(field) sizeof *s->field,
    uint64_t sizes[] = {sizeof(qisim_team), QISIM_NAME_MAX, sizeof(qisim_project), QISIM_MAX_PROJECTS, sizeof(qisim_trust), sizeof(qisim_region), sizeof(qisim_regulator),
                        sizeof(qisim_collaborative), sizeof(qisim_scheduled), sizeof(qisim_event),
                        sizeof(qisim_params), sizeof(qisim_rng), QISIM_N_STREAMS, QISIM_STAFF_FIELDS(STAFF_SIZE)};
#undef STAFF_SIZE
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        h = (h ^ sizes[i]) * 1099511628211ULL;
    return h ^ (uint64_t)(sizeof sizes / sizeof sizes[0]);
}

typedef qisim_checkpoint_header header;

static size_t staff_bytes(void)
{
    const qisim_staff *s = NULL;
    size_t n = 0;
#define STAFF_SIZE(field) n += sizeof *s->field;
    QISIM_STAFF_FIELDS(STAFF_SIZE)
#undef STAFF_SIZE
    return n;
}

/* A team's record, its name and its project slots (three arrays in the world, one after another
 * in the file). */
static size_t team_bytes(void)
{
    return sizeof(qisim_team) + QISIM_NAME_MAX + sizeof(qisim_project) * QISIM_MAX_PROJECTS;
}

/* The staff network's arrays (offsets, ties, bridges, former, seen), present when n_ties >= 0. */
static uint64_t network_bytes(const header *h)
{
    return h->n_ties < 0 ? 0 : ((uint64_t)2 * h->n_staff + 1 + (uint64_t)h->n_ties) * sizeof(int32_t) +
                                   (uint64_t)h->n_bridges * sizeof(qisim_bridge) + (uint64_t)h->n_staff;
}

/* The payload size promised by a header's counts (each already checked >= 0, so no overflow). */
static uint64_t payload_size(const header *h)
{
    return sizeof(qisim_params) + sizeof(bool) * QISIM_N_PARAMS + sizeof(qisim_rng) * QISIM_N_STREAMS +
           (uint64_t)h->n_staff * staff_bytes() + (uint64_t)h->n_teams * team_bytes() +
           (uint64_t)h->n_trusts * sizeof(qisim_trust) + (uint64_t)h->n_regions * sizeof(qisim_region) +
           (uint64_t)h->n_regulators * sizeof(qisim_regulator) +
           (uint64_t)h->n_collaboratives * sizeof(qisim_collaborative) +
           (uint64_t)h->n_schedule * sizeof(qisim_scheduled) + (uint64_t)h->n_events * sizeof(qisim_event) +
           network_bytes(h);
}

static unsigned char *put(unsigned char *at, const void *p, size_t size, int32_t n)
{
    if (n > 0)
        memcpy(at, p, size * (size_t)n);
    return at + size * (size_t)(n > 0 ? n : 0);
}

int qisim_checkpoint_save(const qisim_world *w, const char *path, qisim_err *err)
{
    header h;
    memset(&h, 0, sizeof h); /* padding too: the file is compared byte for byte */
    memcpy(h.magic, magic, sizeof magic);
    h.format = FORMAT_VERSION;
    h.header_size = sizeof h;
    snprintf(h.version, sizeof h.version, "%s", QISIM_VERSION);
    h.layout = layout();
    h.week = w->week;
    h.n_staff = w->n_staff;
    h.n_teams = w->n_teams;
    h.n_trusts = w->n_trusts;
    h.n_regions = w->n_regions;
    h.n_regulators = w->n_regulators;
    h.n_collaboratives = w->n_collaboratives;
    h.n_schedule = w->n_schedule;
    h.n_events = w->n_events;
    h.national_until = w->national_until;
    h.national_mandated = w->national_mandated;
    h.started = w->started;
    /* the staff network is saved, not rebuilt: its hubs are week 0's opinion leaders */
    h.n_ties = w->net.offsets ? w->net.offsets[w->n_staff] : -1;
    h.n_bridges = w->net.offsets ? w->net.n_bridges : 0;
    h.payload_size = payload_size(&h);
    if (h.payload_size > SIZE_MAX - sizeof h)
        return qisim_err_set(err, QISIM_ENOMEM, "cannot write checkpoint %s: the world is too large", path);
    size_t total = sizeof h + (size_t)h.payload_size;
    unsigned char *buf = malloc(total);
    if (!buf)
        return qisim_err_set(err, QISIM_ENOMEM, "cannot write checkpoint %s: out of memory", path);
    unsigned char *at = put(buf, &h, sizeof h, 1);
    at = put(at, &w->params, sizeof w->params, 1);
    at = put(at, w->param_fixed, sizeof w->param_fixed, 1);
    at = put(at, w->rng, sizeof w->rng, 1);
#define PUT_STAFF(field) at = put(at, w->staff.field, sizeof *w->staff.field, w->n_staff);
    QISIM_STAFF_FIELDS(PUT_STAFF)
#undef PUT_STAFF
    at = put(at, w->teams, sizeof *w->teams, w->n_teams);
    at = put(at, w->team_names, sizeof *w->team_names, w->n_teams);
    at = put(at, w->team_projects, sizeof *w->team_projects, w->n_teams);
    at = put(at, w->trusts, sizeof *w->trusts, w->n_trusts);
    at = put(at, w->regions, sizeof *w->regions, w->n_regions);
    at = put(at, w->regulators, sizeof *w->regulators, w->n_regulators);
    at = put(at, w->collaboratives, sizeof *w->collaboratives, w->n_collaboratives);
    at = put(at, w->schedule, sizeof *w->schedule, w->n_schedule);
    at = put(at, w->events, sizeof *w->events, w->n_events);
    if (h.n_ties >= 0) {
        at = put(at, w->net.offsets, sizeof *w->net.offsets, w->n_staff + 1);
        at = put(at, w->net.ties, sizeof *w->net.ties, h.n_ties);
        at = put(at, w->net.bridges, sizeof *w->net.bridges, h.n_bridges);
        at = put(at, w->net.former, sizeof *w->net.former, w->n_staff);
        put(at, w->net.seen, sizeof *w->net.seen, w->n_staff);
    }
    qisim_sha256(buf, total, buf + offsetof(header, digest));

    qisim_outfile f;
    int rc = qisim_outfile_open(&f, path, err);
    if (!rc) {
        if (fwrite(buf, 1, total, f.fp) != total)
            rc = qisim_err_set(err, QISIM_EIO, "cannot write checkpoint %s: %s", path, strerror(errno));
        if (rc)
            qisim_outfile_abort(&f);
        else
            rc = qisim_outfile_commit(&f, err);
    }
    free(buf);
    return rc;
}

/* ---- reading: every byte is checked before the world sees it --------------------------- */

/* A bool read from the file is only a bool if its byte is 0 or 1 (anything else is undefined
 * behaviour when loaded as bool), so bools are checked through their bytes. */
static bool bool_byte_ok(const void *record, size_t offset)
{
    return ((const unsigned char *)record)[offset] <= 1;
}

static bool name_ok(const char *name, size_t size) { return memchr(name, '\0', size) != NULL; }
static bool finite(double x) { return isfinite(x); }
static bool unit(double x) { return x >= 0.0 && x <= 1.0; } /* false for NaN */
static bool count_ok(int32_t n, int32_t max) { return n >= 0 && n <= max; }
static bool id_or_none(int32_t id, int32_t n) { return id >= -1 && id < n; }

/* Staff arrays by name: STAFF_role, STAFF_knowhow, ... indexes sections.staff. */
#define STAFF_INDEX(field) STAFF_##field,
enum { QISIM_STAFF_FIELDS(STAFF_INDEX) N_STAFF_FIELDS };
#undef STAFF_INDEX

static float staff_float(const unsigned char *const *field, int which, int32_t i)
{
    float x; /* the section need not be aligned for float */
    memcpy(&x, field[which] + (size_t)i * sizeof x, sizeof x);
    return x;
}

static bool staff_ok(const unsigned char *const *field, int32_t i)
{
    return field[STAFF_role][i] < QISIM_N_ROLES && field[STAFF_tier][i] < QISIM_N_TIERS &&
           (field[STAFF_flags][i] & ~QISIM_STAFF_FLAGS_USED) == 0 &&
           /* a champion practises and is in post */
           (!(field[STAFF_flags][i] & QISIM_STAFF_CHAMPION) ||
            (field[STAFF_flags][i] & (QISIM_STAFF_PRACTISING | QISIM_STAFF_VACANT)) == QISIM_STAFF_PRACTISING) &&
           unit((double)staff_float(field, STAFF_knowhow, i)) &&
           unit((double)staff_float(field, STAFF_threshold, i)) &&
           unit((double)staff_float(field, STAFF_motivation, i)) && unit((double)staff_float(field, STAFF_strain, i)) &&
           unit((double)staff_float(field, STAFF_commitment, i));
}

static bool project_ok(const qisim_project *p)
{
    return p->state <= QISIM_PROJECT_SUSTAINING && p->topic <= QISIM_TOPIC_FLOW && finite(p->progress) &&
           finite(p->effect) && finite(p->gain);
}

/* t from the file, s the scenario's own team i: the structure must be the scenario's.
 * A field added to qisim_team or qisim_trust that indexes an array, holds an enum or a bool, or
 * must stay in a range needs its check here or in trust_ok; tests/fuzz/fuzz_checkpoint.c runs
 * the model on what passes, so a forgotten one shows up there as a crash. */
static bool team_ok(const qisim_team *t, const char *name, const qisim_project *projects, const qisim_team *s,
                    const char *s_name, int32_t n_collaboratives)
{
    if (!name_ok(name, QISIM_NAME_MAX) || strcmp(name, s_name) != 0 || t->trust != s->trust ||
        t->first_staff != s->first_staff || t->n_staff != s->n_staff ||
        !id_or_none(t->collaborative, n_collaboratives))
        return false;
    /* 0..1 shares the model keeps there (clamped, or moved towards a 0..1 target at a rate <= 1) */
    const double unit_fields[] = {t->psych_safety, t->reliability, t->feedback, t->patient_involvement,
                                  t->base_reliability, t->qi_cost};
    const double other_fields[] = {t->qi_time, t->demand, t->workload, t->waiting, t->gains, t->flow_gains, t->feedback_gain,
                                   t->responsiveness, t->efficiency, t->success, t->overload, t->counts.mean_knowhow,
                                   t->counts.mean_strain, t->capacity, t->overtime, t->course_load, t->backlog};
    for (size_t k = 0; k < sizeof unit_fields / sizeof unit_fields[0]; k++)
        if (!unit(unit_fields[k]))
            return false;
    for (size_t k = 0; k < sizeof other_fields / sizeof other_fields[0]; k++)
        if (!finite(other_fields[k]))
            return false;
    const int32_t counts[] = {t->sick, t->counts.n_in_post, t->counts.n_practising, t->counts.n_leaders_practising,
                              t->counts.n_skilled_practising, t->counts.n_permanent_practising, t->counts.n_coached, t->counts.n_peer_coaches};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++)
        if (!count_ok(counts[k], t->n_staff))
            return false;
    for (int k = 0; k < QISIM_N_TIERS; k++)
        if (!count_ok(t->counts.n_tier[k], t->n_staff))
            return false;
    int active = 0, sustaining = 0;
    for (int k = 0; k < QISIM_MAX_PROJECTS; k++) {
        if (!project_ok(&projects[k]))
            return false;
        active += projects[k].state == QISIM_PROJECT_ACTIVE;
        sustaining += projects[k].state == QISIM_PROJECT_SUSTAINING;
    }
    return t->projects_active == active && t->projects_sustaining == sustaining; /* counts the slots give */
}

static bool trust_ok(const qisim_trust *t, const qisim_trust *s, int32_t k, int32_t n_trusts)
{
    if (!bool_byte_ok(t, offsetof(qisim_trust, ceo_qi_experience)) ||
        !bool_byte_ok(t, offsetof(qisim_trust, special_measures)) ||
        !bool_byte_ok(t, offsetof(qisim_trust, board_decides)) ||
        !bool_byte_ok(t, offsetof(qisim_trust, approach_adopted)) || !bool_byte_ok(t, offsetof(qisim_trust, compact)) ||
        !bool_byte_ok(t, offsetof(qisim_trust, trains_trainers)))
        return false;
    /* governance state (regulation, interorg) */
    if (!unit(t->assurance) || !unit(t->compliance) || !(t->rating_gap >= -4.0 && t->rating_gap <= 4.0) ||
        t->inspection_due < 0 || t->inspection_due > MAX_WEEK || t->inspections < 0 || t->partner_until < 0 ||
        t->partner_until > 2 * MAX_WEEK || t->coaches_lent < 0 || t->coaches_lent > 1000000 ||
        t->coaches_borrowed < 0 || t->coaches_borrowed > 1000 || !finite(t->assurance_spend_total) ||
        !finite(t->support_spend_total))
        return false;
    if (!name_ok(t->name, sizeof t->name) || strcmp(t->name, s->name) != 0 || t->kind != s->kind ||
        t->region != s->region || t->first_team != s->first_team || t->n_teams != s->n_teams ||
        t->first_staff != s->first_staff || t->n_staff != s->n_staff)
        return false;
    if (t->strategy < 0 || t->strategy >= QISIM_N_STRATEGIES || t->rating < QISIM_RATING_NONE ||
        t->rating > QISIM_RATING_OUTSTANDING || t->induction_tier < 0 || t->induction_tier >= QISIM_N_TIERS ||
        t->journey_stage < 0 || t->journey_stage > MAX_JOURNEY_STAGE || !id_or_none(t->partner, n_trusts) ||
        t->partner == k || !id_or_none(t->network, n_trusts) || t->ceo_tenure < 0 || t->coaches < 0 ||
        t->central_team < 0 || t->feedback_weeks < 0 || t->special_measures_weeks < 0 ||
        t->weeks_since_inspection < 0 || t->journey_weeks < 0 || t->journey_failing < 0 ||
        !(t->parallel_initiatives >= 0.0 && t->parallel_initiatives <= 20.0))
        return false;
    const double unit_fields[] = {t->board_commitment, t->style, t->data_maturity, t->data_target,
                                  t->feedback_strength, t->data_for_improvement, t->protected_time,
                                  t->finance_pressure, t->patient_partnership, t->culture, t->leaders_developed,
                                  t->regulatory_load, t->relational_trust, t->peer_support, t->time_cut,
                                  t->investment, t->training_due};
    const double other_fields[] = {t->qi_spend_pending, t->qi_spend_week, t->qi_spend_total, t->wins,
                                   t->shock_demand, t->setback, t->stats.knowhow, t->stats.strain,
                                   t->stats.psych_safety, t->stats.reliability, t->stats.waiting, t->stats.demand,
                                   t->stats.workload, t->stats.efficiency, t->stats.harm_rate, t->pressure,
                                   t->demand_level, t->stats.qi_cost, t->stats.overtime, t->stats.backlog};
    for (size_t i = 0; i < sizeof unit_fields / sizeof unit_fields[0]; i++)
        if (!unit(unit_fields[i]))
            return false;
    for (size_t i = 0; i < sizeof other_fields / sizeof other_fields[0]; i++)
        if (!finite(other_fields[i]))
            return false;
    const qisim_trust_stats *st = &t->stats;
    const int32_t counts[] = {st->n_staff, st->n_practising, st->leavers, st->vacancies, st->sick,
                              st->projects_active, st->projects_sustaining, st->projects_started,
                              st->projects_completed, st->projects_failed, st->incidents_blamed,
                              st->incidents_learned};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        if (counts[i] < 0)
            return false;
    for (int i = 0; i < QISIM_N_TIERS; i++)
        if (!count_ok(st->n_tier[i], t->n_staff))
            return false;
    return true;
}

static bool regulator_ok(const qisim_regulator *r, const qisim_regulator *s)
{
    return bool_byte_ok(r, offsetof(qisim_regulator, rates)) && bool_byte_ok(r, offsetof(qisim_regulator, risk_based)) &&
           name_ok(r->name, sizeof r->name) && strcmp(r->name, s->name) == 0 && unit(r->stance) && unit(r->demands) &&
           r->budget >= 0 && r->budget <= 100000 && r->budget_used >= 0 && r->budget_year >= 0 &&
           r->budget_year <= MAX_WEEK;
}

static bool collaborative_ok(const qisim_collaborative *c, int32_t n_teams)
{
    return bool_byte_ok(c, offsetof(qisim_collaborative, adapt)) && name_ok(c->name, sizeof c->name) &&
           c->start_week >= 0 && c->start_week <= MAX_WEEK && c->weeks >= 0 && c->weeks <= MAX_WEEK &&
           count_ok(c->n_teams, n_teams) && c->topic >= 0 && c->topic <= QISIM_TOPIC_FLOW;
}

static bool event_ok(const qisim_event *e, const qisim_world *w, int32_t week)
{
    return e->week >= 0 && e->week <= week && e->level >= 0 && e->level < QISIM_N_LEVELS && e->entity >= 0 &&
           e->entity < qisim_entity_count(w, e->level) && name_ok(e->type, sizeof e->type) &&
           name_ok(e->detail, sizeof e->detail);
}

static bool params_ok(const qisim_params *p, const unsigned char *fixed)
{
    for (int i = 0; i < QISIM_N_PARAMS; i++) {
        const qisim_param_desc *d = qisim_param_desc_at(i);
        double v = p->v[i];
        if (!(v >= d->min && v <= d->max) || fixed[i] > 1 || (d->type != QISIM_PARAM_REAL && v != floor(v)))
            return false;
    }
    return true;
}

/* Reads the whole of a regular file (a device or a pipe is refused: it has no end to trust). */
static int slurp(const char *path, unsigned char **data, size_t *size, qisim_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return qisim_err_set(err, QISIM_EIO, "cannot read checkpoint %s: %s", path, strerror(errno));
    struct stat st;
    int rc = QISIM_OK;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = qisim_err_set(err, QISIM_EINVAL, "%s is not a qisim checkpoint (not a regular file)", path);
    } else if ((uintmax_t)st.st_size < sizeof(header)) {
        rc = qisim_err_set(err, QISIM_EINVAL, "%s is not a qisim checkpoint (too short)", path);
    } else if ((uintmax_t)st.st_size > SIZE_MAX) {
        rc = qisim_err_set(err, QISIM_ENOMEM, "%s: checkpoint too large for memory", path);
    } else if (!(*data = malloc((size_t)st.st_size))) {
        rc = qisim_err_set(err, QISIM_ENOMEM, "%s: out of memory reading the checkpoint", path);
    } else if (fread(*data, 1, (size_t)st.st_size, f) != (size_t)st.st_size || fgetc(f) != EOF) {
        rc = qisim_err_set(err, QISIM_EIO, "cannot read checkpoint %s: it changed while being read", path);
    }
    *size = (size_t)st.st_size;
    fclose(f);
    return rc;
}

/* Checks the header and the checksum (zeroing the digest bytes of data, a copy of the file);
 * then every count against the scenario's world. */
static int check_header(const header *h, unsigned char *data, size_t size, const qisim_world *w,
                        const char *path, qisim_err *err)
{
    if (memcmp(h->magic, magic, sizeof magic) != 0)
        return qisim_err_set(err, QISIM_EINVAL, "%s is not a qisim checkpoint", path);
    if (h->format != FORMAT_VERSION || h->header_size != sizeof *h)
        return qisim_err_set(err, QISIM_EINVAL, "%s: checkpoint format %u, this build reads format %d", path,
                             (unsigned)h->format, FORMAT_VERSION);
    if (!name_ok(h->version, sizeof h->version) || strcmp(h->version, QISIM_VERSION) != 0 || h->layout != layout())
        return qisim_err_set(err, QISIM_EINVAL, "%s was written by another build of qisim (%.15s), this is %s", path,
                             name_ok(h->version, sizeof h->version) ? h->version : "?", QISIM_VERSION);
    if (h->payload_size != size - sizeof *h)
        return qisim_err_set(err, QISIM_EINVAL, "%s: damaged (%s)", path,
                             h->payload_size > size - sizeof *h ? "truncated" : "trailing bytes");
    uint8_t digest[32];
    memset(data + offsetof(header, digest), 0, sizeof digest); /* as when it was computed; h keeps it */
    qisim_sha256(data, size, digest);
    if (memcmp(digest, h->digest, sizeof digest) != 0)
        return qisim_err_set(err, QISIM_EINVAL, "%s: damaged (checksum mismatch)", path);
    /* From here on the bytes are the ones written; a file made by hand is still checked. */
    if (h->n_staff < 0 || h->n_teams < 0 || h->n_trusts < 0 || h->n_regions < 0 || h->n_regulators < 0 ||
        h->n_collaboratives < 0 || h->n_schedule < 0 || h->n_events < 0 || h->n_ties < -1 || h->week < 0 ||
        h->n_bridges < 0 || (h->n_ties < 0 && h->n_bridges != 0) ||
        h->week > MAX_WEEK ||
        h->started > 1 || h->national_mandated > 1 || payload_size(h) != h->payload_size)
        return qisim_err_set(err, QISIM_EINVAL, "%s: damaged (bad counts in the header)", path);
    if (h->n_staff != w->n_staff || h->n_teams != w->n_teams || h->n_trusts != w->n_trusts ||
        h->n_regions != w->n_regions || h->n_regulators != w->n_regulators)
        return qisim_err_set(err, QISIM_EINVAL,
                             "%s: the scenario built %d trusts, %d teams and %d staff; the checkpoint has %d, %d and %d",
                             path, w->n_trusts, w->n_teams, w->n_staff, h->n_trusts, h->n_teams, h->n_staff);
    if (h->n_schedule > w->n_schedule)
        return qisim_err_set(err, QISIM_EINVAL, "%s: the scenario schedules %d actions, fewer than the checkpoint's %d",
                             path, w->n_schedule, h->n_schedule);
    return QISIM_OK;
}

/* Where each section of the payload begins. */
typedef struct sections {
    const unsigned char *params, *fixed, *rng, *staff[N_STAFF_FIELDS], *teams, *team_names, *team_projects, *trusts, *regions, *regulators,
        *collaboratives, *schedule, *events, *net_offsets, *net_ties, *net_bridges, *net_former,
        *net_seen;
} sections;

static void find_sections(const unsigned char *at, const header *h, sections *s)
{
    s->params = at;
    at += sizeof(qisim_params);
    s->fixed = at;
    at += sizeof(bool) * QISIM_N_PARAMS;
    s->rng = at;
    at += sizeof(qisim_rng) * QISIM_N_STREAMS;
    const qisim_staff *st = NULL;
    int f = 0;
#define STAFF_SECTION(field) s->staff[f++] = at, at += sizeof *st->field * (size_t)h->n_staff;
    QISIM_STAFF_FIELDS(STAFF_SECTION)
#undef STAFF_SECTION
    s->teams = at;
    at += sizeof(qisim_team) * (size_t)h->n_teams;
    s->team_names = at;
    at += (size_t)QISIM_NAME_MAX * (size_t)h->n_teams;
    s->team_projects = at;
    at += sizeof(qisim_project) * QISIM_MAX_PROJECTS * (size_t)h->n_teams;
    s->trusts = at;
    at += sizeof(qisim_trust) * (size_t)h->n_trusts;
    s->regions = at;
    at += sizeof(qisim_region) * (size_t)h->n_regions;
    s->regulators = at;
    at += sizeof(qisim_regulator) * (size_t)h->n_regulators;
    s->collaboratives = at;
    at += sizeof(qisim_collaborative) * (size_t)h->n_collaboratives;
    s->schedule = at;
    at += sizeof(qisim_scheduled) * (size_t)h->n_schedule;
    s->events = at;
    at += sizeof(qisim_event) * (size_t)h->n_events;
    s->net_offsets = at;
    at += h->n_ties < 0 ? 0 : sizeof(int32_t) * ((size_t)h->n_staff + 1);
    s->net_ties = at;
    at += h->n_ties < 0 ? 0 : sizeof(int32_t) * (size_t)h->n_ties;
    s->net_bridges = at;
    at += h->n_ties < 0 ? 0 : sizeof(qisim_bridge) * (size_t)h->n_bridges;
    s->net_former = at;
    at += h->n_ties < 0 ? 0 : sizeof(int32_t) * (size_t)h->n_staff;
    s->net_seen = at;
}

static int32_t int32_at(const unsigned char *base, size_t i)
{
    int32_t x; /* the section need not be aligned */
    memcpy(&x, base + i * sizeof x, sizeof x);
    return x;
}

/* Offsets that start at 0, never fall and end at the tie count; ties that are staff ids. */
static bool network_ok(const header *h, const sections *s)
{
    if (h->n_ties < 0)
        return true;
    if (int32_at(s->net_offsets, 0) != 0 || int32_at(s->net_offsets, (size_t)h->n_staff) != h->n_ties)
        return false;
    for (int32_t i = 0; i < h->n_staff; i++)
        if (int32_at(s->net_offsets, (size_t)i + 1) < int32_at(s->net_offsets, (size_t)i))
            return false;
    for (int32_t e = 0; e < h->n_ties; e++) {
        int32_t to = int32_at(s->net_ties, (size_t)e);
        if (to < 0 || to >= h->n_staff)
            return false;
    }
    for (int32_t k = 0; k < h->n_bridges; k++) {
        qisim_bridge b;
        memcpy(&b, s->net_bridges + (size_t)k * sizeof b, sizeof b);
        if (b.a < 0 || b.a >= h->n_staff || b.b < 0 || b.b >= h->n_staff || b.a == b.b || b.until < 0 ||
            b.until > MAX_WEEK + 520)
            return false;
    }
    for (int32_t i = 0; i < h->n_staff; i++) {
        int32_t was = int32_at(s->net_former, (size_t)i);
        if (was < -1 || was >= h->n_staff)
            return false;
        if (s->net_seen[i] & ~(QISIM_SEEN_PRACTISING | QISIM_SEEN_CORE))
            return false;
    }
    return true;
}

/* Every record against its bounds and the scenario's world; the first bad one is named. */
static int check_records(const header *h, const sections *s, const qisim_world *w, const char *path,
                         qisim_err *err)
{
    qisim_params params;
    memcpy(&params, s->params, sizeof params);
    if (!params_ok(&params, s->fixed))
        return qisim_err_set(err, QISIM_EINVAL, "%s: damaged (a parameter out of range)", path);
    for (int i = 0; i < QISIM_N_STREAMS; i++) {
        qisim_rng r;
        memcpy(&r, s->rng + (size_t)i * sizeof r, sizeof r);
        if ((r.inc & 1u) == 0)
            return qisim_err_set(err, QISIM_EINVAL, "%s: damaged (random stream %d)", path, i);
    }
    for (int32_t i = 0; i < h->n_staff; i++)
        if (!staff_ok(s->staff, i))
            return qisim_err_set(err, QISIM_EINVAL, "%s: damaged (staff member %d)", path, i);
    for (int32_t i = 0; i < h->n_teams; i++) {
        qisim_team t;
        char name[QISIM_NAME_MAX];
        qisim_project projects[QISIM_MAX_PROJECTS];
        memcpy(&t, s->teams + (size_t)i * sizeof t, sizeof t);
        memcpy(name, s->team_names + (size_t)i * sizeof name, sizeof name);
        memcpy(projects, s->team_projects + (size_t)i * sizeof projects, sizeof projects);
        if (!team_ok(&t, name, projects, &w->teams[i], qisim_team_name(w, i), h->n_collaboratives))
            return qisim_err_set(err, QISIM_EINVAL, "%s: team %d differs from the scenario's or is damaged", path, i);
    }
    for (int32_t k = 0; k < h->n_trusts; k++) {
        qisim_trust t;
        memcpy(&t, s->trusts + (size_t)k * sizeof t, sizeof t);
        if (!trust_ok(&t, &w->trusts[k], k, h->n_trusts)) {
            /* name the trust when the name itself is sound: the usual cause is another scenario */
            bool named = name_ok(t.name, sizeof t.name) && strcmp(t.name, w->trusts[k].name) != 0;
            if (named)
                return qisim_err_set(err, QISIM_EINVAL, "%s: trust %d is '%s' in the checkpoint but '%s' in the scenario",
                                     path, k, t.name, w->trusts[k].name);
            return qisim_err_set(err, QISIM_EINVAL, "%s: trust %d differs from the scenario's or is damaged", path, k);
        }
    }
    for (int32_t i = 0; i < h->n_regions; i++) {
        qisim_region r;
        memcpy(&r, s->regions + (size_t)i * sizeof r, sizeof r);
        if (!name_ok(r.name, sizeof r.name) || strcmp(r.name, w->regions[i].name) != 0 || r.academy_start < 0 ||
            r.academy_start > MAX_WEEK || r.academy_until < 0 || r.academy_until > 2 * MAX_WEEK)
            return qisim_err_set(err, QISIM_EINVAL, "%s: region %d differs from the scenario's or is damaged", path, i);
    }
    for (int32_t i = 0; i < h->n_regulators; i++) {
        qisim_regulator r;
        memcpy(&r, s->regulators + (size_t)i * sizeof r, sizeof r);
        if (!regulator_ok(&r, &w->regulators[i]))
            return qisim_err_set(err, QISIM_EINVAL, "%s: regulator %d differs from the scenario's or is damaged", path, i);
    }
    for (int32_t i = 0; i < h->n_collaboratives; i++) {
        qisim_collaborative c;
        memcpy(&c, s->collaboratives + (size_t)i * sizeof c, sizeof c);
        if (!collaborative_ok(&c, h->n_teams))
            return qisim_err_set(err, QISIM_EINVAL, "%s: damaged (collaborative %d)", path, i);
    }
    for (int32_t i = 0; i < h->n_schedule; i++) {
        qisim_scheduled a;
        memcpy(&a, s->schedule + (size_t)i * sizeof a, sizeof a);
        const qisim_scheduled *b = &w->schedule[i];
        if (!bool_byte_ok(&a, offsetof(qisim_scheduled, once)) || !bool_byte_ok(&a, offsetof(qisim_scheduled, done)))
            return qisim_err_set(err, QISIM_EINVAL, "%s: damaged (scheduled action %d)", path, i + 1);
        if (a.kind != b->kind || a.week != b->week || a.period != b->period || a.once != b->once)
            return qisim_err_set(err, QISIM_EINVAL,
                                 "%s: scheduled action %d differs from the checkpoint's (a branch must schedule the "
                                 "burn-in's actions first, in the same order)",
                                 path, i + 1);
    }
    for (int32_t i = h->n_schedule; i < w->n_schedule; i++) {
        if (w->schedule[i].kind == QISIM_AT && w->schedule[i].week < h->week)
            return qisim_err_set(err, QISIM_EINVAL,
                                 "%s: scheduled action %d is at week %d, before the checkpoint's week %d: it would never run",
                                 path, i + 1, w->schedule[i].week, h->week);
    }
    for (int32_t i = 0; i < h->n_events; i++) {
        qisim_event e;
        memcpy(&e, s->events + (size_t)i * sizeof e, sizeof e);
        if (!event_ok(&e, w, h->week))
            return qisim_err_set(err, QISIM_EINVAL, "%s: damaged (event %d)", path, i + 1);
    }
    if (!network_ok(h, s))
        return qisim_err_set(err, QISIM_EINVAL, "%s: damaged (staff network)", path);
    return QISIM_OK;
}

/* A fresh copy of n records (at least one slot, so a later append has room to grow from). */
static void *copy_array(const unsigned char *from, size_t size, int32_t n)
{
    void *p = malloc(size * (size_t)(n > 0 ? n : 1));
    if (p && n > 0)
        memcpy(p, from, size * (size_t)n);
    return p;
}

/* memcpy of `bytes` into an array that is NULL when the world has none of its kind. */
static void copy_into(void *dst, const void *src, size_t bytes)
{
    if (bytes)
        memcpy(dst, src, bytes);
}

int qisim_checkpoint_restore(qisim_world *w, const char *path, qisim_err *err)
{
    unsigned char *data = NULL;
    size_t size = 0;
    int rc = slurp(path, &data, &size, err);
    header h;
    sections s;
    if (!rc) {
        memcpy(&h, data, sizeof h);
        rc = check_header(&h, data, size, w, path, err);
    }
    if (!rc) {
        find_sections(data + sizeof h, &h, &s);
        rc = check_records(&h, &s, w, path, err);
    }
    qisim_collaborative *collaboratives = NULL;
    qisim_event *events = NULL;
    qisim_network net = {0};
    if (!rc) {
        collaboratives = copy_array(s.collaboratives, sizeof *collaboratives, h.n_collaboratives);
        events = copy_array(s.events, sizeof *events, h.n_events);
        if (h.n_ties >= 0) {
            net.offsets = copy_array(s.net_offsets, sizeof *net.offsets, h.n_staff + 1);
            net.ties = copy_array(s.net_ties, sizeof *net.ties, h.n_ties);
            net.bridges = copy_array(s.net_bridges, sizeof *net.bridges, h.n_bridges);
            net.n_bridges = net.cap_bridges = h.n_bridges;
            net.former = copy_array(s.net_former, sizeof *net.former, h.n_staff);
            net.seen = copy_array(s.net_seen, sizeof *net.seen, h.n_staff);
            net.seen_next = malloc((size_t)h.n_staff + 1); /* rewritten every week before it is read */
        }
        if (!collaboratives || !events ||
            (h.n_ties >= 0 && (!net.offsets || !net.ties || !net.bridges || !net.former || !net.seen || !net.seen_next)))
            rc = qisim_err_set(err, QISIM_ENOMEM, "%s: out of memory restoring the checkpoint", path);
    }
    if (rc) {
        free(collaboratives);
        free(events);
        qisim_network_free(&net);
        free(data);
        return rc;
    }
    /* everything checked: only now does the world change */
    memcpy(&w->params, s.params, sizeof w->params);
    memcpy(w->param_fixed, s.fixed, sizeof w->param_fixed);
    memcpy(w->rng, s.rng, sizeof w->rng);
    int f = 0;
#define GET_STAFF(field) \
    copy_into(w->staff.field, s.staff[f++], sizeof *w->staff.field * (size_t)h.n_staff);
    QISIM_STAFF_FIELDS(GET_STAFF)
#undef GET_STAFF
    copy_into(w->teams, s.teams, sizeof *w->teams * (size_t)h.n_teams);
    for (int32_t t = 0; t < h.n_teams; t++)
        w->teams[t].next_due = 0; /* a hint workforce rebuilds, never taken from a file */
    copy_into(w->team_names, s.team_names, sizeof *w->team_names * (size_t)h.n_teams);
    copy_into(w->team_projects, s.team_projects, sizeof *w->team_projects * (size_t)h.n_teams);
    copy_into(w->trusts, s.trusts, sizeof *w->trusts * (size_t)h.n_trusts);
    copy_into(w->regions, s.regions, sizeof *w->regions * (size_t)h.n_regions);
    copy_into(w->regulators, s.regulators, sizeof *w->regulators * (size_t)h.n_regulators);
    for (int32_t i = 0; i < h.n_schedule; i++) {
        qisim_scheduled a;
        memcpy(&a, s.schedule + (size_t)i * sizeof a, sizeof a);
        w->schedule[i].done = a.done;
    }
    free(w->collaboratives);
    w->collaboratives = collaboratives;
    w->n_collaboratives = h.n_collaboratives;
    w->cap_collaboratives = h.n_collaboratives > 0 ? h.n_collaboratives : 1;
    free(w->events);
    w->events = events;
    w->n_events = h.n_events;
    w->cap_events = h.n_events > 0 ? h.n_events : 1;
    qisim_network_free(&w->net);
    w->net = net;
    /* the bridged mark follows the list, whatever the file's flag bytes say */
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.flags[i] &= (uint8_t)~QISIM_STAFF_BRIDGED;
    for (int32_t k = 0; k < w->net.n_bridges; k++) {
        w->staff.flags[w->net.bridges[k].a] |= QISIM_STAFF_BRIDGED;
        w->staff.flags[w->net.bridges[k].b] |= QISIM_STAFF_BRIDGED;
    }
    w->week = h.week;
    w->national_until = h.national_until;
    w->national_mandated = h.national_mandated;
    w->started = h.started;
    free(data);
    return QISIM_OK;
}
