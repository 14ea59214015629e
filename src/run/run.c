/* A run's result files: its replicates, run by the job pool, written in replicate order to
 * series.csv, events.csv, entities.csv, memberships.csv, summary.csv and manifest.json. */
#include "qisim/run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qisim/io.h"
#include "qisim/limits.h"
#include "qisim/results.h"

static int join(char *out, size_t size, const char *dir, const char *file, qisim_err *err)
{
    if (snprintf(out, size, "%s/%s", dir, file) >= (int)size)
        return qisim_err_set(err, QISIM_EINVAL, "output path %s/%s is too long", dir, file);
    return QISIM_OK;
}

enum { MANIFEST_FILE, SERIES_FILE, EVENTS_FILE, SUMMARY_FILE, ENTITIES_FILE, MEMBERSHIPS_FILE, N_RESULT_FILES };

/* The schema's table of each CSV result file */
static const qisim_table result_tables[N_RESULT_FILES] = {
    [SERIES_FILE] = QISIM_TABLE_SERIES, [EVENTS_FILE] = QISIM_TABLE_EVENTS, [SUMMARY_FILE] = QISIM_TABLE_SUMMARY,
    [ENTITIES_FILE] = QISIM_TABLE_ENTITIES, [MEMBERSHIPS_FILE] = QISIM_TABLE_MEMBERSHIPS};

/* The result file of an index above; every CSV's name is the schema's. */
static const char *result_file(int index)
{
    return index == MANIFEST_FILE ? "manifest.json" : qisim_schema_file(result_tables[index]);
}

typedef struct outputs {
    qisim_outfile series, events, summary, entities, memberships;
    bool open;
    bool committed[N_RESULT_FILES]; /* renamed into place by this process, by result file index */
} outputs;

/* Removes the previous run's results, manifest first, so that nothing stale looks finished.
 * Called only under the folder's lock: they belong to a run that has ended. */
static int remove_previous_results(const char *dir, qisim_err *err)
{
    char path[4096];
    int rc = QISIM_OK;
    for (int i = 0; !rc && i < N_RESULT_FILES; i++) {
        if (!(rc = join(path, sizeof path, dir, result_file(i), err)) && remove(path) != 0 && errno != ENOENT)
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
    qisim_outfile *files[N_RESULT_FILES] = {NULL, &out->series, &out->events, &out->summary, &out->entities,
                                            &out->memberships};
    char path[4096];
    int rc = remove_previous_results(dir, err);
    for (int i = SERIES_FILE; !rc && i < N_RESULT_FILES; i++) {
        if ((rc = join(path, sizeof path, dir, result_file(i), err)) || (rc = qisim_outfile_open(files[i], path, err))) {
            for (int k = SERIES_FILE; k <= i; k++)
                qisim_outfile_abort(files[k]);
            return rc;
        }
    }
    if (rc)
        return rc;
    out->open = true;
    /* summary.csv's header is written with its rows, at the end */
    for (int i = SERIES_FILE; i < N_RESULT_FILES; i++)
        if (i != SUMMARY_FILE)
            qisim_schema_write_header(files[i]->fp, result_tables[i]);
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
    qisim_summary *sum;
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
    /* text only here, at the edge: each table written from the frame by the schema */
    const qisim_frame *fr = job->frame;
    qisim_schema_write_frame(f->out.series.fp, QISIM_TABLE_SERIES, fr);
    qisim_schema_write_frame(f->out.events.fp, QISIM_TABLE_EVENTS, fr);
    if (rep == 0)
        qisim_schema_write_frame(f->out.entities.fp, QISIM_TABLE_ENTITIES, fr);
    qisim_schema_write_frame(f->out.memberships.fp, QISIM_TABLE_MEMBERSHIPS, fr);
    if ((rc = qisim_outfile_check(&f->out.series, err)) || (rc = qisim_outfile_check(&f->out.events, err)))
        return rc; /* a full disk: stop now rather than after every replicate has run */
    f->res->rows += (int64_t)fr->n_values;
    if (f->o->replicates > 1 && qisim_summary_add_frame(f->sum, fr))
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory summarising replicate %d", rep);
    if (f->o->progress)
        f->o->progress(f->o->progress_ctx, rep + 1, f->o->replicates);
    return QISIM_OK;
}

int qisim_run(const qisim_run_options *o, qisim_run_result *res, qisim_err *err)
{
    memset(res, 0, sizeof *res);
    if (o->replicates < 1 || o->replicates > QISIM_MAX_REPLICATES)
        return qisim_err_set(err, QISIM_EINVAL, "--reps %d is outside [1, %d]", o->replicates, QISIM_MAX_REPLICATES);
    if (o->out_dir)
        snprintf(res->out_dir, sizeof res->out_dir, "%s", o->out_dir);
    else
        default_out_dir(o->scenario_path, res->out_dir, sizeof res->out_dir);
    char sha[65];
    int rc = qisim_sha256_file(o->scenario_path, sha, err);
    if (rc)
        return rc;
    qisim_job *jobs = calloc((size_t)o->replicates, sizeof *jobs);
    files f = {.o = o, .res = res, .sum = qisim_summary_create()};
    if (!jobs || !f.sum) {
        free(jobs);
        qisim_summary_free(f.sum);
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
        qisim_summary_free(f.sum);
        return rc;
    }
    bool began = false;
    rc = qisim_run_jobs(jobs, o->replicates, o->threads > 0 ? o->threads : 1, files_sink, &f, &began, err);
    if (qisim_process_rank() != 0) { /* a worker process: rank 0 writes the outputs */
        free(jobs);
        qisim_summary_free(f.sum);
        return rc;
    }
    outputs *out = &f.out;
    if (!rc && o->replicates > 1)
        qisim_summary_write(f.sum, out->summary.fp);
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
            if (out->committed[i] && join(path, sizeof path, res->out_dir, result_file(i), NULL) == QISIM_OK)
                remove(path);
        if (began && !out->open)
            remove_previous_results(res->out_dir, NULL);
    }
    qisim_dir_lock_release(&lock, rc != QISIM_OK);
    free(jobs);
    qisim_summary_free(f.sum);
    return rc;
}
