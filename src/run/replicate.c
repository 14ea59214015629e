/* One replicate: scenario -> world -> weekly steps -> observers (qisim_run_replicate), and a
 * replicate's output captured in memory as a typed frame for the job pool (run_captured). */
#include "qisim/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qisim/io.h"
#include "qisim/metrics.h"
#include "qisim/model.h"
#include "qisim/results.h"
#include "replicate.h"

/* Applies the --set assignments and fixes those parameters, so that the scenario's own
 * param() calls leave them alone: the command line wins, and the manifest tells the truth. */
static int apply_overrides(qisim_world *w, const qisim_assignments *overrides, qisim_err *err)
{
    for (int i = 0; overrides && i < overrides->n; i++) {
        int rc = qisim_params_set_text(&w->params, overrides->items[i], w->started, err);
        if (rc) {
            qisim_err tmp = *err;
            return qisim_err_set(err, rc, "--set %s: %s", overrides->items[i], tmp.msg);
        }
        const char *eq = strchr(overrides->items[i], '=');
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(eq - overrides->items[i]), overrides->items[i]);
        w->param_fixed[qisim_param_find(name)] = true;
    }
    return QISIM_OK;
}

/* dir/replicate-<r>.qisim */
static int checkpoint_path(char *out, size_t size, const char *dir, int32_t replicate, qisim_err *err)
{
    if (snprintf(out, size, "%s/replicate-%d.qisim", dir, replicate) >= (int)size)
        return qisim_err_set(err, QISIM_EINVAL, "checkpoint directory name too long");
    return QISIM_OK;
}

static void warn(const qisim_observer *obs, const char *line)
{
    if (obs && obs->warn)
        obs->warn(obs->ctx, line);
    else
        fprintf(stderr, "%s\n", line);
}

/* An action the run ends before is dropped: say so (replicate 0), through the observer or on
 * stderr, since a typo in a week would otherwise vanish silently. The last week stepped is
 * weeks - 1, so at(weeks) would act on a state that is never recorded. The first few are named;
 * the rest are counted in one line (a long scenario run short, as `qisim bench --weeks` does,
 * would otherwise bury the output in warnings). */
static void warn_unreached(const qisim_world *w, int32_t weeks, const qisim_observer *obs)
{
    enum { NAMED = 3 };
    int32_t unreached = 0;
    for (int32_t i = 0; i < w->n_schedule; i++) {
        const qisim_scheduled *s = &w->schedule[i];
        if (s->kind == QISIM_WHEN || s->week < weeks)
            continue;
        if (unreached++ >= NAMED)
            continue;
        char line[160];
        snprintf(line, sizeof line, "qisim: warning: %s(%d) is at or after the run's end (week %d): its action never runs",
                 s->kind == QISIM_AT ? "at" : "every", s->week, weeks);
        warn(obs, line);
    }
    if (unreached > NAMED) {
        char line[160];
        snprintf(line, sizeof line, "qisim: warning: and %d more scheduled actions at or after week %d never run",
                 (int)(unreached - NAMED), weeks);
        warn(obs, line);
    }
}

int qisim_run_replicate(const char *path, uint64_t seed, int32_t replicate, const qisim_assignments *overrides,
                        const qisim_assignments *args, const qisim_checkpointing *ck, int32_t weeks,
                        const qisim_observer *obs, qisim_err *err)
{
    char ck_path[4200];
    qisim_world *w = qisim_world_create(seed, replicate);
    if (!w)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory creating the world");
    qisim_scenario *sc = NULL;
    int rc = apply_overrides(w, overrides, err);
    if (rc)
        goto done;
    sc = qisim_scenario_load(path, w, args, err);
    if (!sc) {
        rc = err ? err->code : QISIM_ESCRIPT;
        goto done;
    }

    if (ck && ck->from_dir) {
        /* continue a saved replicate: its state replaces the world the scenario just built;
         * the command line still wins, now under the mid-run rules */
        if ((rc = checkpoint_path(ck_path, sizeof ck_path, ck->from_dir, replicate, err)) ||
            (rc = qisim_checkpoint_restore(w, ck_path, err)) || (rc = apply_overrides(w, overrides, err)))
            goto done;
    }
    if (!w->started)
        qisim_world_aggregate(w);
    /* built before week 0 is recorded, so the network's metrics have a value from the start
     * (qisim_world_step would build it otherwise) */
    if (w->params.v[QP_NETWORK_ON] != 0.0 && !w->net.offsets && (rc = qisim_network_build(w, err)))
        goto done;
    qisim_run_info info = {
        .scenario_name = qisim_scenario_name(sc),
        .weeks = weeks > 0 ? weeks : qisim_scenario_weeks(sc),
        .record = qisim_scenario_record(sc),
        .replicate = replicate,
    };
    if (replicate == 0 && !(ck && ck->from_dir))
        warn_unreached(w, info.weeks, obs);
    if (obs && obs->begin && (rc = obs->begin(obs->ctx, &info, w, err)))
        goto done;
    qisim_host host = qisim_scenario_host(sc);
    if (ck && ck->save_dir && ck->save_week == w->week &&
        ((rc = checkpoint_path(ck_path, sizeof ck_path, ck->save_dir, replicate, err)) ||
         (rc = qisim_checkpoint_save(w, ck_path, err))))
        goto done;
    while (w->week < info.weeks) {
        if ((rc = qisim_world_step(w, &host, err)))
            goto done;
        if (obs && obs->week && (rc = obs->week(obs->ctx, &info, w, err)))
            goto done;
        if (ck && ck->save_dir && ck->save_week == w->week &&
            ((rc = checkpoint_path(ck_path, sizeof ck_path, ck->save_dir, replicate, err)) ||
             (rc = qisim_checkpoint_save(w, ck_path, err))))
            goto done;
    }
    if (obs && obs->end)
        rc = obs->end(obs->ctx, &info, w, err);
done:
    qisim_scenario_free(sc);
    qisim_world_free(w);
    return rc;
}

/* ---- one replicate's output, captured in memory as a frame ---------------------------------- */

/* Names the entities the frame has not seen yet (a scenario may add some after week 0). */
static int name_entities(qisim_frame *f, const qisim_world *w, qisim_err *err)
{
    int rc = QISIM_OK;
    for (int level = QISIM_LEVEL_TEAM; !rc && level < QISIM_N_LEVELS; level++)
        for (int32_t id = qisim_frame_named(f, level), n = qisim_entity_count(w, level); !rc && id < n; id++)
            rc = qisim_frame_name(f, level, id, qisim_entity_name(w, level, id), err);
    return rc;
}

static int record_week(qisim_frame *f, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    const qisim_record *rec = info->record;
    if (w->week % rec->every != 0 && w->week != info->weeks)
        return QISIM_OK;
    int rc = name_entities(f, w, err);
    for (int level = QISIM_LEVEL_TEAM; !rc && level < QISIM_N_LEVELS; level++) {
        if (!rec->levels[level])
            continue;
        int32_t n = qisim_entity_count(w, level);
        for (int32_t id = 0; !rc && id < n; id++) {
            for (int m = 0; !rc && m < rec->n_metrics; m++) {
                if (level == QISIM_LEVEL_TEAM && !qisim_metric_at(rec->metrics[m])->team)
                    continue; /* not defined for a single team */
                rc = qisim_frame_add_value(f, w->week, level, id, rec->metrics[m],
                                           qisim_metric_value(w, rec->metrics[m], level, id), err);
            }
        }
    }
    return rc;
}

/* entities.csv: every team, trust and region with its id and where it belongs, so that a team's
 * row of series.csv (named by the team alone) can be joined to its trust and region. */
static int record_entities(qisim_frame *f, const qisim_world *w, qisim_err *err)
{
    int rc = QISIM_OK;
    for (int32_t k = 0; !rc && k < w->n_teams; k++)
        rc = qisim_frame_add_entity(f, QISIM_LEVEL_TEAM, k, w->teams[k].trust, w->trusts[w->teams[k].trust].region, err);
    for (int32_t k = 0; !rc && k < w->n_trusts; k++)
        rc = qisim_frame_add_entity(f, QISIM_LEVEL_TRUST, k, k, w->trusts[k].region, err);
    for (int32_t k = 0; !rc && k < w->n_regions; k++)
        rc = qisim_frame_add_entity(f, QISIM_LEVEL_REGION, k, -1, k, err);
    return rc;
}

/* memberships.csv: a row when a team is first seen in a collaborative (with the cohort's weeks),
 * or a trust in a peer network or with an exemplar partner (from the week its action ran).
 * Observed each week, because a team leaves its collaborative when the cohort ends. */
static int track_memberships(capture *c, const qisim_world *w, bool before_step, qisim_err *err)
{
    if (c->n_seen != w->n_teams + 2 * w->n_trusts)
        return QISIM_OK; /* no tracking memory (see capture_begin) */
    int32_t week = before_step ? w->week : w->week - 1;
    int rc = QISIM_OK;
    for (int32_t k = 0; !rc && k < w->n_teams; k++) {
        int32_t id = w->teams[k].collaborative;
        if (id < 0 || id == c->seen[k])
            continue;
        c->seen[k] = id;
        const qisim_collaborative *g = &w->collaboratives[id];
        rc = qisim_frame_add_membership(&c->frame, QISIM_MEMBER_COLLABORATIVE, g->name, QISIM_LEVEL_TEAM, k,
                                        g->start_week, g->start_week + g->weeks, err);
    }
    for (int32_t k = 0; !rc && k < w->n_trusts; k++) {
        const qisim_trust *tr = &w->trusts[k];
        int32_t *net = &c->seen[w->n_teams + 2 * k], *partner = net + 1;
        if (tr->network >= 0 && tr->network != *net) {
            char name[32];
            snprintf(name, sizeof name, "network %d", tr->network); /* as the peer_network event numbers it */
            rc = qisim_frame_add_membership(&c->frame, QISIM_MEMBER_PEER_NETWORK, name, QISIM_LEVEL_TRUST, k, week, -1,
                                            err);
        }
        if (!rc && tr->partner >= 0 && tr->partner != *partner)
            rc = qisim_frame_add_membership(&c->frame, QISIM_MEMBER_EXEMPLAR_PARTNER, w->trusts[tr->partner].name,
                                            QISIM_LEVEL_TRUST, k, week, -1, err);
        *net = tr->network;
        *partner = tr->partner;
    }
    return rc;
}

static int capture_begin(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    capture *c = ctx;
    c->began = true;
    int rc = name_entities(&c->frame, w, err);
    if (!rc && info->replicate == 0)
        rc = record_entities(&c->frame, w, err);
    if (rc)
        return rc;
    c->n_seen = w->n_teams + 2 * w->n_trusts;
    c->seen = malloc((size_t)(c->n_seen ? c->n_seen : 1) * sizeof *c->seen);
    if (!c->seen)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory for replicate %d", info->replicate);
    for (int32_t k = 0; k < c->n_seen; k++)
        c->seen[k] = -1;
    snprintf(c->scenario_name, sizeof c->scenario_name, "%s", info->scenario_name);
    c->weeks = info->weeks;
    c->params = w->params;
    if ((rc = track_memberships(c, w, true, err)))
        return rc;
    return record_week(&c->frame, info, w, err);
}

static int capture_week(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    capture *c = ctx;
    int rc = record_week(&c->frame, info, w, err);
    return rc ? rc : track_memberships(c, w, false, err);
}

static int capture_end(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    capture *c = ctx;
    (void)info;
    int rc = name_entities(&c->frame, w, err);
    for (int32_t i = 0; !rc && i < w->n_events; i++) {
        const qisim_event *e = &w->events[i];
        rc = qisim_frame_add_event(&c->frame, e->week, e->level, e->entity, e->type, e->detail, err);
    }
    return rc;
}

static void capture_warn(void *ctx, const char *line)
{
    capture *c = ctx;
    fprintf(c->warnings_fp, "%s\n", line);
}

void capture_release(capture *c)
{
    if (c->warnings_fp)
        fclose(c->warnings_fp);
    free(c->warnings);
    free(c->seen);
    qisim_frame_free(&c->frame);
    memset(c, 0, sizeof *c);
}

void run_captured(const qisim_job *job, capture *c)
{
    qisim_err_clear(&c->err);
    qisim_frame_init(&c->frame, job->replicate);
    c->warnings_fp = open_memstream(&c->warnings, &c->warnings_len);
    if (!c->warnings_fp) {
        c->rc = qisim_err_set(&c->err, QISIM_ENOMEM, "out of memory for replicate %d", job->replicate);
        return;
    }
    qisim_observer obs = {c, capture_begin, capture_week, capture_end, capture_warn};
    c->rc = qisim_run_replicate(job->scenario_path, job->seed, job->replicate, job->overrides, job->args,
                                job->checkpointing, 0, &obs, &c->err);
    fflush(c->warnings_fp); /* the buffer is valid until the stream closes */
}
