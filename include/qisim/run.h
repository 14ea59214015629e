/* Running scenarios: one replicate through an observer, or a whole run into result files. */
#ifndef QISIM_RUN_H
#define QISIM_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "qisim/err.h"
#include "qisim/results.h"
#include "qisim/scenario.h"
#include "qisim/world.h"

#define QISIM_VERSION "0.1.0"

/* What an observer learns when a replicate starts. */
typedef struct qisim_run_info {
    const char *scenario_name;
    int32_t weeks;
    const qisim_record *record;
    int32_t replicate;
} qisim_run_info;

/* Watches a replicate: begin after the scenario has built the world (week 0, before any
 * step), week after every step (w->week weeks done), end after the last. Any callback may be
 * NULL; a non-zero return stops the replicate with that status. */
typedef struct qisim_observer {
    void *ctx;
    int (*begin)(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err);
    int (*week)(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err);
    int (*end)(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err);
    /* a warning line (no newline) about the scenario, such as an action after the run's end;
     * NULL: printed on stderr */
    void (*warn)(void *ctx, const char *line);
} qisim_observer;

/* Checkpoints of a run: save each replicate's world at a week, or continue from saved ones
 * (files <dir>/replicate-<r>.qisim). */
typedef struct qisim_checkpointing {
    const char *save_dir;    /* NULL: do not save */
    int32_t save_week;
    const char *from_dir;    /* NULL: start at week 0 */
} qisim_checkpointing;

/* Runs replicate `replicate` of the scenario at path with `seed` in a fresh world and steps
 * it for weeks (<= 0: the scenario's own horizon). Parameter overrides ("name=value", may be
 * NULL) are applied before the file loads, so build.* shape the world it builds, and fix
 * those parameters: the file's own param() calls for them are ignored (the command line
 * wins). args are the scenario's arguments. ck (may be NULL) saves the world at a week or
 * continues from a saved one: the observer then begins at the checkpoint's week. */
int qisim_run_replicate(const char *path, uint64_t seed, int32_t replicate, const qisim_assignments *overrides,
                        const qisim_assignments *args, const qisim_checkpointing *ck, int32_t weeks,
                        const qisim_observer *obs, qisim_err *err);

/* One replicate of one scenario, for qisim_run_jobs. */
typedef struct qisim_job {
    const char *scenario_path;
    uint64_t seed;
    int32_t replicate;
    const qisim_assignments *overrides; /* --set, may be NULL */
    const qisim_assignments *args;      /* --arg, may be NULL */
    const qisim_checkpointing *checkpointing; /* may be NULL */
} qisim_job;

/* What a job produced, valid only during the sink call. */
typedef struct qisim_job_output {
    const qisim_frame *frame; /* its series values, events, memberships; entities for replicate 0 */
    const char *scenario_name;
    int32_t weeks;
    const qisim_params *params; /* in force at week 0 */
    bool began;
} qisim_job_output;

/* Receives each job's output, in job order; a non-zero status stops the run. */
typedef int (*qisim_job_sink)(void *ctx, int32_t job, const qisim_job_output *out, qisim_err *err);

/* Runs n jobs on `threads` threads (each its own world and Lua state; workers run at most
 * 2 x threads jobs ahead) and hands their outputs to sink strictly in job order, so what the
 * sink writes does not depend on the thread count. The first failing job (in job order)
 * stops the run after sink has had every earlier job; its error is returned and
 * *failed_began (may be NULL) says whether its scenario had loaded and started.
 * Built with MPI (make MPI=1) and started by mpirun with K > 1 processes, job j runs on
 * process 1 + j % (K - 1) instead, and only process 0 calls sink (still in job order): the
 * outputs equal the threaded run's. Every process must call it with the same jobs. */
int qisim_run_jobs(const qisim_job *jobs, int32_t n, int32_t threads, qisim_job_sink sink, void *ctx,
                   bool *failed_began, qisim_err *err);

/* This process's rank and the number of processes (0 and 1 without MPI). Only rank 0
 * writes outputs. */
int qisim_process_rank(void);
int qisim_process_count(void);
/* Sends bytes from rank 0 to every process (nothing without MPI). */
void qisim_process_broadcast(void *data, size_t bytes);
/* Replaces v[0..n) on every process by its sum over all processes (nothing without MPI):
 * each process fills the entries it computed and zeros elsewhere. */
void qisim_process_sum(double *v, size_t n);

typedef struct qisim_run_options {
    const char *scenario_path;
    const char *out_dir;       /* NULL: results/<scenario file name without .lua> */
    uint64_t seed;
    int32_t replicates;
    int32_t threads;           /* worker threads (replicates run in parallel); 0 or 1: one */
    qisim_assignments overrides;  /* --set */
    qisim_assignments args;       /* --arg */
    qisim_checkpointing checkpointing;
    /* Called after each replicate (may be NULL): progress for the command line. */
    void (*progress)(void *ctx, int32_t done, int32_t total);
    void *progress_ctx;
    const char *label;         /* --label: a name for the run (an arm), kept in the manifest; may be NULL */
} qisim_run_options;

typedef struct qisim_run_result {
    char out_dir[4096];
    int32_t weeks;
    int64_t rows;              /* rows written to series.csv */
} qisim_run_result;

/* Runs every replicate, on o->threads threads, and writes <out_dir>/series.csv, events.csv,
 * summary.csv (with more than one replicate) and manifest.json, each under a temporary name
 * renamed only when all replicates have finished. Replicates are written in order, so the
 * files are byte-identical whatever the number of threads. A scenario error in
 * the first replicate is reported before anything in out_dir is touched; any later failure
 * removes the partial files, so no finished-looking output is left. out_dir's lock
 * (qisim_dir_lock_take) is held for the whole run: while another process holds it, QISIM_EIO
 * "DIR is in use by another qisim process (pid N)" before anything runs. */
int qisim_run(const qisim_run_options *o, qisim_run_result *res, qisim_err *err);

#endif
