/* The run loop: scenario -> world -> weekly steps -> observers; and a run's replicates on a
 * pool of threads, written in replicate order to its result files (tidy series.csv,
 * events.csv, summary.csv, manifest.json), so the files are the same for any thread count. */
#include "qisim/run.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qisim/io.h"
#include "qisim/metrics.h"
#include "summary.h"

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

/* An action the run ends before is dropped: say so (replicate 0), through the observer or on
 * stderr, since a typo in a week would otherwise vanish silently. The last week stepped is
 * weeks - 1, so at(weeks) would act on a state that is never recorded. */
static void warn_unreached(const qisim_world *w, int32_t weeks, const qisim_observer *obs)
{
    for (int32_t i = 0; i < w->n_schedule; i++) {
        const qisim_scheduled *s = &w->schedule[i];
        if (s->kind == QISIM_WHEN || s->week < weeks)
            continue;
        char line[160];
        snprintf(line, sizeof line, "qisim: warning: %s(%d) is at or after the run's end (week %d): its action never runs",
                 s->kind == QISIM_AT ? "at" : "every", s->week, weeks);
        if (obs && obs->warn)
            obs->warn(obs->ctx, line);
        else
            fprintf(stderr, "%s\n", line);
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

/* ---- one replicate's output, captured in memory ------------------------------------------ */

typedef struct capture {
    char *series, *events;       /* memstream buffers */
    size_t series_len, events_len;
    FILE *series_fp, *events_fp;
    char *entities, *members;    /* entities.csv rows (replicate 0 only) and memberships.csv rows */
    size_t entities_len, members_len;
    FILE *entities_fp, *members_fp;
    char *warnings;              /* warning lines, shown by the process that hands out the output */
    size_t warnings_len;
    FILE *warnings_fp;
    int32_t *seen;               /* per team its collaborative, then per trust its peer network
                                    and its exemplar partner, as last written to members (-1: none) */
    int32_t n_seen;
    char scenario_name[256];
    int32_t weeks;
    qisim_params params;         /* in force at week 0 */
    int rc;
    qisim_err err;
    bool began;                  /* the scenario loaded and the replicate started */
    bool done;
} capture;

static void write_record(FILE *fp, const qisim_run_info *info, const qisim_world *w)
{
    const qisim_record *rec = info->record;
    if (w->week % rec->every != 0 && w->week != info->weeks)
        return;
    for (int level = QISIM_LEVEL_TEAM; level < QISIM_N_LEVELS; level++) {
        if (!rec->levels[level])
            continue;
        int32_t n = qisim_entity_count(w, level);
        for (int32_t id = 0; id < n; id++) {
            for (int m = 0; m < rec->n_metrics; m++) {
                const qisim_metric_desc *d = qisim_metric_at(rec->metrics[m]);
                if (level == QISIM_LEVEL_TEAM && !d->team)
                    continue; /* not defined for a single team */
                fprintf(fp, "%d,%d,%s,", w->week, info->replicate, qisim_level_name(level));
                qisim_csv_write_text(fp, qisim_entity_name(w, level, id));
                fprintf(fp, ",%s,", d->name);
                qisim_csv_write_number(fp, qisim_metric_value(w, rec->metrics[m], level, id));
                fputc('\n', fp);
            }
        }
    }
}

static void write_entity(FILE *fp, const qisim_world *w, int level, int32_t id, int32_t trust, int32_t region)
{
    fprintf(fp, "%s,", qisim_level_name(level));
    qisim_csv_write_text(fp, qisim_entity_name(w, level, id));
    fprintf(fp, ",%d,", id);
    if (trust >= 0)
        qisim_csv_write_text(fp, w->trusts[trust].name);
    fputc(',', fp);
    if (region >= 0)
        qisim_csv_write_text(fp, w->regions[region].name);
    fputc('\n', fp);
}

/* entities.csv: every team, trust and region with its id and where it belongs, so that a team's
 * row of series.csv (named by the team alone) can be joined to its trust and region. */
static void write_entities(FILE *fp, const qisim_world *w)
{
    for (int32_t k = 0; k < w->n_teams; k++)
        write_entity(fp, w, QISIM_LEVEL_TEAM, k, w->teams[k].trust, w->trusts[w->teams[k].trust].region);
    for (int32_t k = 0; k < w->n_trusts; k++)
        write_entity(fp, w, QISIM_LEVEL_TRUST, k, k, w->trusts[k].region);
    for (int32_t k = 0; k < w->n_regions; k++)
        write_entity(fp, w, QISIM_LEVEL_REGION, k, -1, k);
}

static void write_membership(FILE *fp, int32_t replicate, const char *kind, const char *group, int level,
                             const char *entity, int32_t from, int32_t to)
{
    fprintf(fp, "%d,%s,", replicate, kind);
    qisim_csv_write_text(fp, group);
    fprintf(fp, ",%s,", qisim_level_name(level));
    qisim_csv_write_text(fp, entity);
    fprintf(fp, ",%d,", from);
    if (to >= 0)
        fprintf(fp, "%d", to);
    fputc('\n', fp);
}

/* memberships.csv: a row when a team is first seen in a collaborative (with the cohort's weeks),
 * or a trust in a peer network or with an exemplar partner (from the week its action ran).
 * Observed each week, because a team leaves its collaborative when the cohort ends. */
static void track_memberships(capture *c, const qisim_run_info *info, const qisim_world *w, bool before_step)
{
    if (c->n_seen != w->n_teams + 2 * w->n_trusts)
        return; /* no tracking memory (see capture_begin) */
    int32_t week = before_step ? w->week : w->week - 1;
    for (int32_t k = 0; k < w->n_teams; k++) {
        int32_t id = w->teams[k].collaborative;
        if (id < 0 || id == c->seen[k])
            continue;
        c->seen[k] = id;
        const qisim_collaborative *g = &w->collaboratives[id];
        write_membership(c->members_fp, info->replicate, "collaborative", g->name, QISIM_LEVEL_TEAM, w->teams[k].name,
                         g->start_week, g->start_week + g->weeks);
    }
    for (int32_t k = 0; k < w->n_trusts; k++) {
        const qisim_trust *tr = &w->trusts[k];
        int32_t *net = &c->seen[w->n_teams + 2 * k], *partner = net + 1;
        if (tr->network >= 0 && tr->network != *net) {
            char name[32];
            snprintf(name, sizeof name, "network %d", tr->network); /* as the peer_network event numbers it */
            write_membership(c->members_fp, info->replicate, "peer_network", name, QISIM_LEVEL_TRUST, tr->name, week, -1);
        }
        if (tr->partner >= 0 && tr->partner != *partner)
            write_membership(c->members_fp, info->replicate, "exemplar_partner", w->trusts[tr->partner].name,
                             QISIM_LEVEL_TRUST, tr->name, week, -1);
        *net = tr->network;
        *partner = tr->partner;
    }
}

static int capture_begin(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    capture *c = ctx;
    c->began = true;
    if (info->replicate == 0)
        write_entities(c->entities_fp, w);
    c->n_seen = w->n_teams + 2 * w->n_trusts;
    c->seen = malloc((size_t)(c->n_seen ? c->n_seen : 1) * sizeof *c->seen);
    if (!c->seen)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory for replicate %d", info->replicate);
    for (int32_t k = 0; k < c->n_seen; k++)
        c->seen[k] = -1;
    track_memberships(c, info, w, true);
    snprintf(c->scenario_name, sizeof c->scenario_name, "%s", info->scenario_name);
    c->weeks = info->weeks;
    c->params = w->params;
    write_record(c->series_fp, info, w);
    return QISIM_OK;
}

static int capture_week(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    (void)err;
    write_record(((capture *)ctx)->series_fp, info, w);
    track_memberships(ctx, info, w, false);
    return QISIM_OK;
}

static int capture_end(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    capture *c = ctx;
    (void)err;
    for (int32_t i = 0; i < w->n_events; i++) {
        const qisim_event *e = &w->events[i];
        fprintf(c->events_fp, "%d,%d,%s,", e->week, info->replicate, qisim_level_name(e->level));
        qisim_csv_write_text(c->events_fp, qisim_entity_name(w, e->level, e->entity));
        fprintf(c->events_fp, ",%s,", e->type);
        qisim_csv_write_text(c->events_fp, e->detail);
        fputc('\n', c->events_fp);
    }
    return QISIM_OK;
}

static void capture_warn(void *ctx, const char *line)
{
    capture *c = ctx;
    fprintf(c->warnings_fp, "%s\n", line);
}

/* Shows a job's warnings on stderr, unless they repeat the last job's that had any (a sweep's
 * points share their scenario): once, from the process that writes the results. */
static void show_warnings(const char *text, size_t len, char **last)
{
    if (!len || (*last && strlen(*last) == len && memcmp(*last, text, len) == 0))
        return;
    fwrite(text, 1, len, stderr);
    free(*last);
    *last = malloc(len + 1);
    if (*last) {
        memcpy(*last, text, len);
        (*last)[len] = '\0';
    }
}

static void capture_release(capture *c)
{
    if (c->series_fp)
        fclose(c->series_fp);
    if (c->events_fp)
        fclose(c->events_fp);
    if (c->entities_fp)
        fclose(c->entities_fp);
    if (c->members_fp)
        fclose(c->members_fp);
    if (c->warnings_fp)
        fclose(c->warnings_fp);
    free(c->series);
    free(c->events);
    free(c->entities);
    free(c->members);
    free(c->warnings);
    free(c->seen);
    memset(c, 0, sizeof *c);
}

static void run_captured(const qisim_job *job, capture *c)
{
    qisim_err_clear(&c->err);
    c->series_fp = open_memstream(&c->series, &c->series_len);
    c->events_fp = open_memstream(&c->events, &c->events_len);
    c->entities_fp = open_memstream(&c->entities, &c->entities_len);
    c->members_fp = open_memstream(&c->members, &c->members_len);
    c->warnings_fp = open_memstream(&c->warnings, &c->warnings_len);
    if (!c->series_fp || !c->events_fp || !c->entities_fp || !c->members_fp || !c->warnings_fp) {
        c->rc = qisim_err_set(&c->err, QISIM_ENOMEM, "out of memory for replicate %d", job->replicate);
        return;
    }
    qisim_observer obs = {c, capture_begin, capture_week, capture_end, capture_warn};
    c->rc = qisim_run_replicate(job->scenario_path, job->seed, job->replicate, job->overrides, job->args,
                                job->checkpointing, 0, &obs, &c->err);
    fflush(c->series_fp); /* the buffers are valid until the streams close */
    fflush(c->events_fp);
    fflush(c->entities_fp);
    fflush(c->members_fp);
    fflush(c->warnings_fp);
}

/* ---- the thread pool ---------------------------------------------------------------------------- */

/* Workers run jobs ahead of the sink by at most `window`, so memory stays bounded however
 * many jobs there are. */
typedef struct pool {
    const qisim_job *jobs;
    int32_t n;
    pthread_mutex_t mu;
    pthread_cond_t changed;
    int32_t next_to_run, next_to_write, window;
    bool stop;
    capture *slots; /* slot of job j: j % window */
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->stop && p->next_to_run < p->n && p->next_to_run >= p->next_to_write + p->window)
            pthread_cond_wait(&p->changed, &p->mu);
        if (p->stop || p->next_to_run >= p->n) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        int32_t j = p->next_to_run++;
        capture *c = &p->slots[j % p->window];
        pthread_mutex_unlock(&p->mu);

        run_captured(&p->jobs[j], c);

        pthread_mutex_lock(&p->mu);
        c->done = true;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->mu);
    }
}

static int run_jobs_threaded(const qisim_job *jobs, int32_t n, int32_t threads, qisim_job_sink sink, void *ctx,
                             bool *failed_began, qisim_err *err)
{
    if (failed_began)
        *failed_began = false;
    if (threads < 1 || threads > 256)
        return qisim_err_set(err, QISIM_EINVAL, "--threads %d is outside [1, 256]", threads);
    pool p = {.jobs = jobs, .n = n, .window = 2 * threads};
    p.slots = calloc((size_t)p.window, sizeof *p.slots);
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    if (!p.slots || !tids) {
        free(p.slots);
        free(tids);
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory starting the run");
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.changed, NULL);
    int rc = QISIM_OK;
    int32_t started = 0;
    char *last_warnings = NULL;
    for (; started < threads && started < n; started++)
        if (pthread_create(&tids[started], NULL, worker, &p) != 0)
            break;
    if (started == 0 && n > 0)
        rc = qisim_err_set(err, QISIM_ENOMEM, "cannot start a worker thread");

    for (int32_t j = 0; j < n && !rc; j++) {
        capture *c = &p.slots[j % p.window];
        pthread_mutex_lock(&p.mu);
        while (!c->done)
            pthread_cond_wait(&p.changed, &p.mu);
        pthread_mutex_unlock(&p.mu);
        show_warnings(c->warnings, c->warnings_len, &last_warnings);
        if (c->rc) {
            *err = c->err;
            rc = c->rc;
            if (failed_began)
                *failed_began = c->began;
        } else {
            qisim_job_output out = {c->series, c->series_len, c->events, c->events_len, c->scenario_name,
                                    c->weeks, &c->params, c->began, c->entities, c->entities_len, c->members,
                                    c->members_len};
            rc = sink(ctx, j, &out, err);
        }
        capture_release(c);
        pthread_mutex_lock(&p.mu);
        p.next_to_write = j + 1;
        p.stop = rc != QISIM_OK;
        pthread_cond_broadcast(&p.changed);
        pthread_mutex_unlock(&p.mu);
    }
    for (int32_t t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    for (int32_t i = 0; i < p.window; i++)
        capture_release(&p.slots[i]);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.changed);
    free(last_warnings);
    free(p.slots);
    free(tids);
    return rc;
}

/* ---- across processes (MPI) ------------------------------------------------------------------ */

#ifdef QISIM_MPI
#include <mpi.h>

int qisim_process_rank(void)
{
    int initialised = 0, rank = 0;
    MPI_Initialized(&initialised);
    if (initialised)
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}

int qisim_process_count(void)
{
    int initialised = 0, size = 1;
    MPI_Initialized(&initialised);
    if (initialised)
        MPI_Comm_size(MPI_COMM_WORLD, &size);
    return size;
}

/* What a worker sends for each job, before its series and events text. */
typedef struct job_message {
    int32_t rc, began, weeks;
    uint64_t series_len, events_len, entities_len, members_len, warnings_len;
    char scenario_name[256];
    char err[1024];
    qisim_params params;
} job_message;

enum { TAG_HEADER = 1, TAG_SERIES = 2, TAG_EVENTS = 3, TAG_ENTITIES = 4, TAG_MEMBERS = 5, TAG_WARNINGS = 6 };

void qisim_process_broadcast(void *data, size_t bytes)
{
    if (qisim_process_count() < 2)
        return;
    for (size_t off = 0; off < bytes; off += INT32_MAX / 2) {
        size_t piece = bytes - off < INT32_MAX / 2 ? bytes - off : INT32_MAX / 2;
        MPI_Bcast((char *)data + off, (int)piece, MPI_BYTE, 0, MPI_COMM_WORLD);
    }
}

void qisim_process_sum(double *v, size_t n)
{
    if (qisim_process_count() < 2)
        return;
    for (size_t off = 0; off < n; off += INT32_MAX / 16) {
        size_t piece = n - off < INT32_MAX / 16 ? n - off : INT32_MAX / 16;
        MPI_Allreduce(MPI_IN_PLACE, v + off, (int)piece, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    }
}

static void send_text(const char *text, uint64_t len, int tag)
{
    /* in pieces: an MPI count is an int */
    for (uint64_t off = 0; off < len; off += INT32_MAX / 2) {
        uint64_t piece = len - off < INT32_MAX / 2 ? len - off : INT32_MAX / 2;
        MPI_Send(text + off, (int)piece, MPI_BYTE, 0, tag, MPI_COMM_WORLD);
    }
}

static int recv_text(char **text, uint64_t len, int source, int tag)
{
    *text = malloc(len + 1);
    if (!*text)
        return QISIM_ENOMEM;
    for (uint64_t off = 0; off < len; off += INT32_MAX / 2) {
        uint64_t piece = len - off < INT32_MAX / 2 ? len - off : INT32_MAX / 2;
        MPI_Recv(*text + off, (int)piece, MPI_BYTE, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    return QISIM_OK;
}

/* Rank 0 hands every job's output to the sink in job order; job j runs on rank
 * 1 + j % (size - 1), and messages between two ranks arrive in the order sent. */
static int run_jobs_mpi(const qisim_job *jobs, int32_t n, int size, qisim_job_sink sink, void *ctx,
                        bool *failed_began, qisim_err *err)
{
    int rank = qisim_process_rank(), workers = size - 1;
    if (rank > 0) {
        job_message *m = malloc(sizeof *m);
        if (!m)
            return qisim_err_set(err, QISIM_ENOMEM, "out of memory on rank %d", rank);
        for (int32_t j = rank - 1; j < n; j += workers) {
            capture c = {0};
            run_captured(&jobs[j], &c);
            memset(m, 0, sizeof *m);
            m->rc = c.rc;
            m->began = c.began;
            m->weeks = c.weeks;
            m->series_len = c.rc ? 0 : c.series_len;
            m->events_len = c.rc ? 0 : c.events_len;
            m->entities_len = c.rc ? 0 : c.entities_len;
            m->members_len = c.rc ? 0 : c.members_len;
            m->warnings_len = c.warnings_len;
            snprintf(m->scenario_name, sizeof m->scenario_name, "%s", c.scenario_name);
            snprintf(m->err, sizeof m->err, "%s", c.err.msg);
            m->params = c.params;
            MPI_Send(m, (int)sizeof *m, MPI_BYTE, 0, TAG_HEADER, MPI_COMM_WORLD);
            send_text(c.series, m->series_len, TAG_SERIES);
            send_text(c.events, m->events_len, TAG_EVENTS);
            send_text(c.entities, m->entities_len, TAG_ENTITIES);
            send_text(c.members, m->members_len, TAG_MEMBERS);
            send_text(c.warnings, m->warnings_len, TAG_WARNINGS);
            capture_release(&c);
        }
        free(m);
        return QISIM_OK;
    }
    int rc = QISIM_OK;
    char *last_warnings = NULL;
    job_message *m = malloc(sizeof *m);
    if (!m)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory on rank 0");
    for (int32_t j = 0; j < n; j++) { /* after a failure, drain the rest so every rank finishes */
        int source = 1 + j % workers;
        char *series = NULL, *events = NULL, *entities = NULL, *members = NULL, *warnings = NULL;
        MPI_Recv(m, (int)sizeof *m, MPI_BYTE, source, TAG_HEADER, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        int mem = recv_text(&series, m->series_len, source, TAG_SERIES) | recv_text(&events, m->events_len, source, TAG_EVENTS) |
                  recv_text(&entities, m->entities_len, source, TAG_ENTITIES) |
                  recv_text(&members, m->members_len, source, TAG_MEMBERS) |
                  recv_text(&warnings, m->warnings_len, source, TAG_WARNINGS);
        if (warnings)
            show_warnings(warnings, m->warnings_len, &last_warnings);
        if (!rc && mem)
            rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory receiving job %d", j);
        if (!rc && m->rc) {
            rc = qisim_err_set(err, m->rc, "%s", m->err);
            if (failed_began)
                *failed_began = m->began;
        } else if (!rc) {
            qisim_job_output out = {series, m->series_len, events, m->events_len, m->scenario_name, m->weeks,
                                    &m->params, m->began, entities, m->entities_len, members, m->members_len};
            rc = sink(ctx, j, &out, err);
        }
        free(series);
        free(events);
        free(entities);
        free(members);
        free(warnings);
    }
    free(last_warnings);
    free(m);
    return rc;
}
#else
int qisim_process_rank(void) { return 0; }
int qisim_process_count(void) { return 1; }
void qisim_process_broadcast(void *data, size_t bytes)
{
    (void)data;
    (void)bytes;
}
void qisim_process_sum(double *v, size_t n)
{
    (void)v;
    (void)n;
}
#endif

int qisim_run_jobs(const qisim_job *jobs, int32_t n, int32_t threads, qisim_job_sink sink, void *ctx,
                   bool *failed_began, qisim_err *err)
{
#ifdef QISIM_MPI
    int size = qisim_process_count();
    if (size > 1)
        return run_jobs_mpi(jobs, n, size, sink, ctx, failed_began, err);
#endif
    return run_jobs_threaded(jobs, n, threads, sink, ctx, failed_began, err);
}

/* ---- writing the result files ------------------------------------------------------------------- */

static int join(char *out, size_t size, const char *dir, const char *file, qisim_err *err)
{
    if (snprintf(out, size, "%s/%s", dir, file) >= (int)size)
        return qisim_err_set(err, QISIM_EINVAL, "output path %s/%s is too long", dir, file);
    return QISIM_OK;
}

static const char *const result_files[] = {"manifest.json", "series.csv", "events.csv", "summary.csv",
                                           "entities.csv", "memberships.csv"};
enum { MANIFEST_FILE, SERIES_FILE, EVENTS_FILE, SUMMARY_FILE, ENTITIES_FILE, MEMBERSHIPS_FILE, N_RESULT_FILES };

typedef struct outputs {
    qisim_outfile series, events, summary, entities, memberships;
    bool open;
    bool committed[N_RESULT_FILES]; /* renamed into place by this process, by result_files index */
} outputs;

/* Removes the previous run's results, manifest first, so that nothing stale looks finished.
 * Called only under the folder's lock: they belong to a run that has ended. */
static int remove_previous_results(const char *dir, qisim_err *err)
{
    char path[4096];
    int rc = QISIM_OK;
    for (int i = 0; !rc && i < N_RESULT_FILES; i++) {
        if (!(rc = join(path, sizeof path, dir, result_files[i], err)) && remove(path) != 0 && errno != ENOENT)
            rc = qisim_err_set(err, QISIM_EIO, "cannot replace %s: %s", path, strerror(errno));
    }
    return rc;
}

/* Commits one of the outputs and remembers that the file in place is this process's. */
static int commit_output(outputs *out, qisim_outfile *f, int index, qisim_err *err)
{
    int rc = qisim_outfile_commit(f, err);
    if (!rc)
        out->committed[index] = true;
    return rc;
}

/* Opens the outputs once the first replicate has run without error, replacing old results. */
static int open_outputs(outputs *out, const char *dir, qisim_err *err)
{
    char path[4096];
    int rc = remove_previous_results(dir, err);
    if (rc || (rc = join(path, sizeof path, dir, "series.csv", err)) ||
        (rc = qisim_outfile_open(&out->series, path, err)))
        return rc;
    if ((rc = join(path, sizeof path, dir, "events.csv", err)) || (rc = qisim_outfile_open(&out->events, path, err))) {
        qisim_outfile_abort(&out->series);
        return rc;
    }
    if ((rc = join(path, sizeof path, dir, "summary.csv", err)) || (rc = qisim_outfile_open(&out->summary, path, err))) {
        qisim_outfile_abort(&out->series);
        qisim_outfile_abort(&out->events);
        return rc;
    }
    if ((rc = join(path, sizeof path, dir, "entities.csv", err)) || (rc = qisim_outfile_open(&out->entities, path, err)) ||
        (rc = join(path, sizeof path, dir, "memberships.csv", err)) ||
        (rc = qisim_outfile_open(&out->memberships, path, err))) {
        qisim_outfile_abort(&out->series);
        qisim_outfile_abort(&out->events);
        qisim_outfile_abort(&out->summary);
        qisim_outfile_abort(&out->entities);
        return rc;
    }
    out->open = true;
    fputs("week,replicate,level,entity,metric,value\n", out->series.fp);
    fputs("week,replicate,level,entity,event,detail\n", out->events.fp);
    fputs("level,entity,id,trust,region\n", out->entities.fp);
    fputs("replicate,kind,group,level,entity,from_week,to_week\n", out->memberships.fp);
    return QISIM_OK;
}

static int write_manifest(const qisim_run_options *o, const qisim_run_result *res, const char *scenario_name,
                          const qisim_params *params, const char *sha, qisim_err *err)
{
    const char *streams[QISIM_N_STREAMS];
    for (int s = 0; s < QISIM_N_STREAMS; s++)
        streams[s] = qisim_rng_stream_name(s);
    qisim_manifest m = {
        .version = QISIM_VERSION,
        .scenario_path = o->scenario_path,
        .scenario_sha256 = sha,
        .scenario_name = scenario_name,
        .seed = o->seed,
        .replicates = o->replicates,
        .weeks = res->weeks,
        .overrides = o->overrides.items,
        .n_overrides = o->overrides.n,
        .args = o->args.items,
        .n_args = o->args.n,
        .streams = streams,
        .n_streams = QISIM_N_STREAMS,
        .params = params,
        .label = o->label,
    };
    char path[4096];
    int rc = join(path, sizeof path, res->out_dir, "manifest.json", err);
    return rc ? rc : qisim_manifest_write(path, &m, err);
}

/* results/<file name without directory and .lua> */
static void default_out_dir(const char *scenario, char *out, size_t size)
{
    const char *base = strrchr(scenario, '/');
    base = base ? base + 1 : scenario;
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".lua") == 0)
        len -= 4;
    snprintf(out, size, "results/%.*s", (int)len, base);
}

/* The result-file sink: writes each replicate in order and adds it to the summary. */
typedef struct files {
    const qisim_run_options *o;
    qisim_run_result *res;
    outputs out;
    summary *sum;
    char scenario_name[256];
    qisim_params params; /* of replicate 0, for the manifest */
} files;

static int files_sink(void *ctx, int32_t rep, const qisim_job_output *job, qisim_err *err)
{
    files *f = ctx;
    int rc;
    if (rep == 0) {
        snprintf(f->scenario_name, sizeof f->scenario_name, "%s", job->scenario_name);
        f->params = *job->params;
        f->res->weeks = job->weeks;
        if ((rc = open_outputs(&f->out, f->res->out_dir, err)))
            return rc;
    }
    fwrite(job->series, 1, job->series_len, f->out.series.fp);
    fwrite(job->events, 1, job->events_len, f->out.events.fp);
    if (rep == 0)
        fwrite(job->entities, 1, job->entities_len, f->out.entities.fp);
    fwrite(job->memberships, 1, job->memberships_len, f->out.memberships.fp);
    if ((rc = qisim_outfile_check(&f->out.series, err)) || (rc = qisim_outfile_check(&f->out.events, err)))
        return rc; /* a full disk: stop now rather than after every replicate has run */
    for (size_t i = 0; i < job->series_len; i++)
        f->res->rows += job->series[i] == '\n';
    if (f->o->replicates > 1 && summary_add_rows(f->sum, job->series, job->series_len))
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory summarising replicate %d", rep);
    if (f->o->progress)
        f->o->progress(f->o->progress_ctx, rep + 1, f->o->replicates);
    return QISIM_OK;
}

int qisim_run(const qisim_run_options *o, qisim_run_result *res, qisim_err *err)
{
    memset(res, 0, sizeof *res);
    if (o->replicates < 1 || o->replicates > 1000000)
        return qisim_err_set(err, QISIM_EINVAL, "--reps %d is outside [1, 1000000]", o->replicates);
    if (o->out_dir)
        snprintf(res->out_dir, sizeof res->out_dir, "%s", o->out_dir);
    else
        default_out_dir(o->scenario_path, res->out_dir, sizeof res->out_dir);
    char sha[65];
    int rc = qisim_sha256_file(o->scenario_path, sha, err);
    if (rc)
        return rc;
    qisim_job *jobs = calloc((size_t)o->replicates, sizeof *jobs);
    files f = {.o = o, .res = res, .sum = summary_create()};
    if (!jobs || !f.sum) {
        free(jobs);
        summary_free(f.sum);
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory starting the run");
    }
    for (int32_t r = 0; r < o->replicates; r++)
        jobs[r] = (qisim_job){o->scenario_path, o->seed, r, &o->overrides, &o->args, &o->checkpointing};
    /* One writer per folder, for the whole run: a second process fails here, at once, and
     * leaves the first one's files alone. Every process learns whether rank 0 got it. */
    qisim_dir_lock lock = {0};
    if (qisim_process_rank() == 0)
        rc = qisim_dir_lock_take(&lock, res->out_dir, err);
    int locked = rc;
    qisim_process_broadcast(&locked, sizeof locked);
    if (locked) {
        if (!rc)
            rc = qisim_err_set(err, QISIM_EIO, "the run stopped on rank 0");
        free(jobs);
        summary_free(f.sum);
        return rc;
    }
    bool began = false;
    rc = qisim_run_jobs(jobs, o->replicates, o->threads > 0 ? o->threads : 1, files_sink, &f, &began, err);
    if (qisim_process_rank() != 0) { /* a worker process: rank 0 writes the outputs */
        free(jobs);
        summary_free(f.sum);
        return rc;
    }
    outputs *out = &f.out;
    if (!rc && o->replicates > 1)
        summary_write(f.sum, out->summary.fp);
    if (!rc && (rc = commit_output(out, &out->series, SERIES_FILE, err)) == QISIM_OK &&
        (rc = commit_output(out, &out->events, EVENTS_FILE, err)) == QISIM_OK &&
        (rc = commit_output(out, &out->entities, ENTITIES_FILE, err)) == QISIM_OK &&
        (rc = commit_output(out, &out->memberships, MEMBERSHIPS_FILE, err)) == QISIM_OK) {
        if (o->replicates > 1)
            rc = commit_output(out, &out->summary, SUMMARY_FILE, err);
        else
            qisim_outfile_abort(&out->summary); /* one replicate: nothing to summarise */
        if (!rc)
            rc = write_manifest(o, res, f.scenario_name, &f.params, sha, err);
    }
    /* A scenario that fails to load leaves the directory alone (a typo should not destroy
     * earlier results); once a run has begun, what it replaces must not look like a finished
     * run, and of the files in place it removes only those it wrote itself. */
    if (rc) {
        qisim_outfile_abort(&out->series);
        qisim_outfile_abort(&out->events);
        qisim_outfile_abort(&out->summary);
        qisim_outfile_abort(&out->entities);
        qisim_outfile_abort(&out->memberships);
        char path[4096];
        for (int i = 0; i < N_RESULT_FILES; i++)
            if (out->committed[i] && join(path, sizeof path, res->out_dir, result_files[i], NULL) == QISIM_OK)
                remove(path);
        if (began && !out->open)
            remove_previous_results(res->out_dir, NULL);
    }
    qisim_dir_lock_release(&lock, rc != QISIM_OK);
    free(jobs);
    summary_free(f.sum);
    return rc;
}
