/* Checkpoints: the world's state written as raw arrays with a header that identifies the
 * build, so a burn-in computed once can be continued or branched, bit for bit. */
#include "qisim/io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char magic[8] = {'Q', 'I', 'S', 'I', 'M', 'C', 'K', '1'};

/* Changes whenever a struct's layout, the staff arrays or the parameter list change. */
static uint64_t layout(void)
{
    const qisim_staff *s = NULL;
#define STAFF_SIZE(field) sizeof *s->field,
    uint64_t sizes[] = {sizeof(qisim_team), sizeof(qisim_trust), sizeof(qisim_region), sizeof(qisim_regulator),
                        sizeof(qisim_collaborative), sizeof(qisim_scheduled), sizeof(qisim_event),
                        sizeof(qisim_params), sizeof(qisim_rng), QISIM_N_STREAMS, QISIM_STAFF_FIELDS(STAFF_SIZE)};
#undef STAFF_SIZE
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        h = (h ^ sizes[i]) * 1099511628211ULL;
    return h ^ (uint64_t)(sizeof sizes / sizeof sizes[0]);
}

typedef struct header {
    char magic[8];
    uint64_t layout;
    int32_t week, n_staff, n_teams, n_trusts, n_regions, n_regulators, n_collaboratives, n_schedule, n_events;
    int32_t national_until;
    uint8_t national_mandated, started;
} header;

static bool put(FILE *f, const void *p, size_t size, size_t n)
{
    return n == 0 || fwrite(p, size, n, f) == n;
}

int qisim_checkpoint_save(const qisim_world *w, const char *path, qisim_err *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return qisim_err_set(err, QISIM_EIO, "cannot write checkpoint %s: %s", path, strerror(errno));
    header h;
    memset(&h, 0, sizeof h); /* padding too: the file is compared byte for byte */
    h = (header){.layout = layout(), .week = w->week, .n_staff = w->n_staff, .n_teams = w->n_teams,
                .n_trusts = w->n_trusts, .n_regions = w->n_regions, .n_regulators = w->n_regulators,
                .n_collaboratives = w->n_collaboratives, .n_schedule = w->n_schedule, .n_events = w->n_events,
                .national_until = w->national_until, .national_mandated = w->national_mandated,
                .started = w->started};
    memcpy(h.magic, magic, sizeof magic);
    bool ok = put(f, &h, sizeof h, 1) && put(f, &w->params, sizeof w->params, 1) &&
              put(f, w->param_fixed, sizeof w->param_fixed, 1) && put(f, w->rng, sizeof w->rng, 1);
#define PUT_STAFF(field) ok = ok && put(f, w->staff.field, sizeof *w->staff.field, (size_t)w->n_staff);
    QISIM_STAFF_FIELDS(PUT_STAFF)
#undef PUT_STAFF
    ok = ok && put(f, w->teams, sizeof *w->teams, (size_t)w->n_teams) &&
         put(f, w->trusts, sizeof *w->trusts, (size_t)w->n_trusts) &&
         put(f, w->regions, sizeof *w->regions, (size_t)w->n_regions) &&
         put(f, w->regulators, sizeof *w->regulators, (size_t)w->n_regulators) &&
         put(f, w->collaboratives, sizeof *w->collaboratives, (size_t)w->n_collaboratives) &&
         put(f, w->schedule, sizeof *w->schedule, (size_t)w->n_schedule) &&
         put(f, w->events, sizeof *w->events, (size_t)w->n_events);
    /* the staff network last: a flag, then its two arrays (it cannot be rebuilt later: its
     * hubs are the opinion leaders of week 0) */
    uint8_t has_net = w->net.offsets != NULL;
    ok = ok && put(f, &has_net, 1, 1);
    if (has_net)
        ok = ok && put(f, w->net.offsets, sizeof *w->net.offsets, (size_t)w->n_staff + 1) &&
             put(f, w->net.ties, sizeof *w->net.ties, (size_t)w->net.offsets[w->n_staff]);
    if (fclose(f) != 0)
        ok = false;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return qisim_err_set(err, QISIM_EIO, "cannot write checkpoint %s: %s", path, strerror(errno));
    }
    return QISIM_OK;
}

static bool get(FILE *f, void *p, size_t size, size_t n)
{
    return n == 0 || fread(p, size, n, f) == n;
}

/* Reads n items into a freshly allocated array (replacing *items). */
static bool get_array(FILE *f, void **items, size_t size, int32_t n, int32_t *cap)
{
    void *p = malloc((size_t)(n > 0 ? n : 1) * size);
    if (!p || !get(f, p, size, (size_t)n)) {
        free(p);
        return false;
    }
    free(*items);
    *items = p;
    *cap = n > 0 ? n : 1;
    return true;
}

int qisim_checkpoint_restore(qisim_world *w, const char *path, qisim_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return qisim_err_set(err, QISIM_EIO, "cannot read checkpoint %s: %s", path, strerror(errno));
    header h;
    int rc = QISIM_OK;
    qisim_trust *trusts = NULL;
    qisim_scheduled *schedule = NULL;
    if (!get(f, &h, sizeof h, 1) || memcmp(h.magic, magic, sizeof magic) != 0) {
        rc = qisim_err_set(err, QISIM_EINVAL, "%s is not a qisim checkpoint", path);
        goto done;
    }
    if (h.layout != layout()) {
        rc = qisim_err_set(err, QISIM_EINVAL, "%s was written by another build of qisim", path);
        goto done;
    }
    if (h.n_staff != w->n_staff || h.n_teams != w->n_teams || h.n_trusts != w->n_trusts ||
        h.n_regions != w->n_regions || h.n_regulators != w->n_regulators) {
        rc = qisim_err_set(err, QISIM_EINVAL,
                           "%s: the scenario built %d trusts, %d teams and %d staff; the checkpoint has %d, %d and %d",
                           path, w->n_trusts, w->n_teams, w->n_staff, h.n_trusts, h.n_teams, h.n_staff);
        goto done;
    }
    if (h.n_schedule > w->n_schedule) {
        rc = qisim_err_set(err, QISIM_EINVAL, "%s: the scenario schedules %d actions, fewer than the checkpoint's %d",
                           path, w->n_schedule, h.n_schedule);
        goto done;
    }
    if (!get(f, &w->params, sizeof w->params, 1) || !get(f, w->param_fixed, sizeof w->param_fixed, 1) ||
        !get(f, w->rng, sizeof w->rng, 1)) {
        rc = qisim_err_set(err, QISIM_EIO, "%s is truncated", path);
        goto done;
    }
    bool ok = true;
#define GET_STAFF(field) ok = ok && get(f, w->staff.field, sizeof *w->staff.field, (size_t)w->n_staff);
    QISIM_STAFF_FIELDS(GET_STAFF)
#undef GET_STAFF
    trusts = malloc((size_t)h.n_trusts * sizeof *trusts);
    schedule = malloc((size_t)(h.n_schedule > 0 ? h.n_schedule : 1) * sizeof *schedule);
    ok = ok && trusts && schedule && get(f, w->teams, sizeof *w->teams, (size_t)w->n_teams) &&
         get(f, trusts, sizeof *trusts, (size_t)h.n_trusts);
    for (int32_t k = 0; ok && k < h.n_trusts; k++) {
        if (strcmp(trusts[k].name, w->trusts[k].name) != 0) {
            rc = qisim_err_set(err, QISIM_EINVAL, "%s: trust %d is '%s' in the checkpoint but '%s' in the scenario",
                               path, k, trusts[k].name, w->trusts[k].name);
            goto done;
        }
    }
    if (ok)
        memcpy(w->trusts, trusts, (size_t)h.n_trusts * sizeof *trusts);
    ok = ok && get(f, w->regions, sizeof *w->regions, (size_t)w->n_regions) &&
         get(f, w->regulators, sizeof *w->regulators, (size_t)w->n_regulators) &&
         get_array(f, (void **)&w->collaboratives, sizeof *w->collaboratives, h.n_collaboratives,
                   &w->cap_collaboratives) &&
         get(f, schedule, sizeof *schedule, (size_t)h.n_schedule);
    for (int32_t i = 0; ok && i < h.n_schedule; i++) {
        const qisim_scheduled *a = &schedule[i], *b = &w->schedule[i];
        if (a->kind != b->kind || a->week != b->week || a->period != b->period || a->once != b->once) {
            rc = qisim_err_set(err, QISIM_EINVAL,
                               "%s: scheduled action %d differs from the checkpoint's (a branch must schedule the "
                               "burn-in's actions first, in the same order)",
                               path, i + 1);
            goto done;
        }
        w->schedule[i].done = a->done;
    }
    for (int32_t i = h.n_schedule; ok && i < w->n_schedule; i++) {
        if (w->schedule[i].kind == QISIM_AT && w->schedule[i].week < h.week) {
            rc = qisim_err_set(err, QISIM_EINVAL,
                               "%s: scheduled action %d is at week %d, before the checkpoint's week %d: it would never run",
                               path, i + 1, w->schedule[i].week, h.week);
            goto done;
        }
    }
    ok = ok && get_array(f, (void **)&w->events, sizeof *w->events, h.n_events, &w->cap_events);
    uint8_t has_net = 0;
    ok = ok && get(f, &has_net, 1, 1);
    qisim_network_free(&w->net);
    if (ok && has_net) {
        w->net.offsets = malloc(((size_t)w->n_staff + 1) * sizeof *w->net.offsets);
        ok = w->net.offsets && get(f, w->net.offsets, sizeof *w->net.offsets, (size_t)w->n_staff + 1) &&
             w->net.offsets[0] == 0 && w->net.offsets[w->n_staff] >= 0;
        for (int32_t i = 0; ok && i < w->n_staff; i++)
            ok = w->net.offsets[i + 1] >= w->net.offsets[i];
        int32_t n_ties = ok ? w->net.offsets[w->n_staff] : 0;
        w->net.ties = ok ? malloc((size_t)(n_ties > 0 ? n_ties : 1) * sizeof *w->net.ties) : NULL;
        ok = ok && w->net.ties && get(f, w->net.ties, sizeof *w->net.ties, (size_t)n_ties);
        for (int32_t e = 0; ok && e < n_ties; e++)
            ok = w->net.ties[e] >= 0 && w->net.ties[e] < w->n_staff; /* ids index the staff arrays */
        if (!ok)
            qisim_network_free(&w->net);
    }
    if (!ok) {
        rc = qisim_err_set(err, QISIM_EIO, "%s is truncated or memory ran out", path);
        goto done;
    }
    w->n_collaboratives = h.n_collaboratives;
    w->n_events = h.n_events;
    w->week = h.week;
    w->national_until = h.national_until;
    w->national_mandated = h.national_mandated;
    w->started = h.started;
done:
    free(trusts);
    free(schedule);
    fclose(f);
    return rc;
}
