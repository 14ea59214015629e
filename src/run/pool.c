/* The job pool: a run's replicates on a pool of threads or on MPI ranks, handed to a sink
 * strictly in job order, so what the sink writes is the same for any thread or rank count. */
#include "qisim/run.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replicate.h"

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
            qisim_job_output out = {&c->frame, c->scenario_name, c->weeks, &c->params, c->began};
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

/* What a worker sends for each job, before its frame (qisim_frame_pack's bytes) and warnings. */
typedef struct job_message {
    int32_t rc, began, weeks;
    uint64_t frame_len, warnings_len;
    char scenario_name[256];
    char err[1024];
    qisim_params params;
} job_message;

enum { TAG_HEADER = 1, TAG_FRAME = 2, TAG_WARNINGS = 6 };

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

/* Texts go in pieces of at most PIECE bytes (an MPI count is an int), so that rank 0 can drain a
 * text it has no memory for through one buffer of that size: the pieces left unreceived would
 * otherwise be taken for the next job's. */
enum { PIECE = 1 << 20 };

static void send_text(const char *text, uint64_t len, int tag)
{
    for (uint64_t off = 0; off < len; off += PIECE) {
        uint64_t piece = len - off < PIECE ? len - off : PIECE;
        MPI_Send(text + off, (int)piece, MPI_BYTE, 0, tag, MPI_COMM_WORLD);
    }
}

/* Receives a text of len bytes into a new *text; out of memory, it receives the pieces into
 * scratch (PIECE bytes) and drops them, so the messages that follow still match. */
static int recv_text(char **text, uint64_t len, int source, int tag, char *scratch)
{
    *text = malloc(len + 1);
    for (uint64_t off = 0; off < len; off += PIECE) {
        uint64_t piece = len - off < PIECE ? len - off : PIECE;
        MPI_Recv(*text ? *text + off : scratch, (int)piece, MPI_BYTE, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    return *text ? QISIM_OK : QISIM_ENOMEM;
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
            char *frame = NULL;
            size_t frame_len = 0;
            if (!c.rc)
                c.rc = qisim_frame_pack(&c.frame, &frame, &frame_len, &c.err);
            memset(m, 0, sizeof *m);
            m->rc = c.rc;
            m->began = c.began;
            m->weeks = c.weeks;
            m->frame_len = c.rc ? 0 : frame_len;
            m->warnings_len = c.warnings_len;
            snprintf(m->scenario_name, sizeof m->scenario_name, "%s", c.scenario_name);
            snprintf(m->err, sizeof m->err, "%s", c.err.msg);
            m->params = c.params;
            MPI_Send(m, (int)sizeof *m, MPI_BYTE, 0, TAG_HEADER, MPI_COMM_WORLD);
            send_text(frame, m->frame_len, TAG_FRAME);
            send_text(c.warnings, m->warnings_len, TAG_WARNINGS);
            free(frame);
            capture_release(&c);
        }
        free(m);
        return QISIM_OK;
    }
    int rc = QISIM_OK;
    char *last_warnings = NULL;
    job_message *m = malloc(sizeof *m);
    char *scratch = malloc(PIECE);
    if (!m || !scratch) {
        free(m);
        free(scratch);
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory on rank 0");
    }
    for (int32_t j = 0; j < n; j++) { /* after a failure, drain the rest so every rank finishes */
        int source = 1 + j % workers;
        char *frame = NULL, *warnings = NULL;
        MPI_Recv(m, (int)sizeof *m, MPI_BYTE, source, TAG_HEADER, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        int mem = recv_text(&frame, m->frame_len, source, TAG_FRAME, scratch) |
                  recv_text(&warnings, m->warnings_len, source, TAG_WARNINGS, scratch);
        if (warnings)
            show_warnings(warnings, m->warnings_len, &last_warnings);
        if (!rc && mem)
            rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory receiving job %d", j);
        if (!rc && m->rc) {
            rc = qisim_err_set(err, m->rc, "%s", m->err);
            if (failed_began)
                *failed_began = m->began;
        } else if (!rc) {
            qisim_frame f;
            if (!(rc = qisim_frame_unpack(&f, frame, m->frame_len, err))) {
                qisim_job_output out = {&f, m->scenario_name, m->weeks, &m->params, m->began};
                rc = sink(ctx, j, &out, err);
            }
            qisim_frame_free(&f);
        }
        free(frame);
        free(warnings);
    }
    free(last_warnings);
    free(scratch);
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
