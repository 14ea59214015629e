/* The run loop: scenario -> world -> weekly steps -> observers, and the observer that writes
 * a run's result files (tidy series.csv, events.csv, manifest.json). */
#include "qisim/run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qisim/io.h"
#include "qisim/metrics.h"

static int apply_overrides(qisim_world *w, const qisim_assignments *overrides, qisim_err *err)
{
    for (int i = 0; overrides && i < overrides->n; i++) {
        int rc = qisim_params_set_text(&w->params, overrides->items[i], err);
        if (rc) {
            qisim_err tmp = *err;
            return qisim_err_set(err, rc, "--set %s: %s", overrides->items[i], tmp.msg);
        }
    }
    return QISIM_OK;
}

int qisim_run_replicate(const char *path, uint64_t seed, int32_t replicate, const qisim_assignments *overrides,
                        const qisim_assignments *args, int32_t weeks, const qisim_observer *obs, qisim_err *err)
{
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
    if ((rc = apply_overrides(w, overrides, err)))
        goto done;
    qisim_world_aggregate(w);
    qisim_run_info info = {
        .scenario_name = qisim_scenario_name(sc),
        .weeks = weeks > 0 ? weeks : qisim_scenario_weeks(sc),
        .record = qisim_scenario_record(sc),
        .replicate = replicate,
    };
    if (obs && obs->begin && (rc = obs->begin(obs->ctx, &info, w, err)))
        goto done;
    qisim_host host = qisim_scenario_host(sc);
    for (int32_t week = 0; week < info.weeks; week++) {
        if ((rc = qisim_world_step(w, &host, err)))
            goto done;
        if (obs && obs->week && (rc = obs->week(obs->ctx, &info, w, err)))
            goto done;
    }
    if (obs && obs->end)
        rc = obs->end(obs->ctx, &info, w, err);
done:
    qisim_scenario_free(sc);
    qisim_world_free(w);
    return rc;
}

/* ---- the result-file observer ------------------------------------------------------------ */

typedef struct writer {
    const qisim_run_options *o;
    qisim_run_result *res;
    qisim_outfile series, events;
    bool open;
    char scenario_name[256];
    qisim_params params;     /* in force at week 0 of replicate 0, for the manifest */
} writer;

/* mkdir -p */
static int make_dirs(const char *dir, qisim_err *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return qisim_err_set(err, QISIM_EINVAL, "output directory name too long");
    for (char *p = path + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST)
                return qisim_err_set(err, QISIM_EIO, "cannot create directory %s: %s", path, strerror(errno));
            *p = c;
            if (c == '\0')
                break;
        }
    }
    return QISIM_OK;
}

static int join(char *out, size_t size, const char *dir, const char *file, qisim_err *err)
{
    if (snprintf(out, size, "%s/%s", dir, file) >= (int)size)
        return qisim_err_set(err, QISIM_EINVAL, "output path %s/%s is too long", dir, file);
    return QISIM_OK;
}

/* Opens the outputs once the first replicate has loaded without error. Old results in the
 * directory are removed first, manifest first, so that nothing stale looks finished. */
static int open_outputs(writer *wr, qisim_err *err)
{
    char path[4096];
    const char *dir = wr->res->out_dir;
    int rc = make_dirs(dir, err);
    static const char *const files[] = {"manifest.json", "series.csv", "events.csv"};
    for (size_t i = 0; !rc && i < sizeof files / sizeof files[0]; i++) {
        if (!(rc = join(path, sizeof path, dir, files[i], err)) && remove(path) != 0 && errno != ENOENT)
            rc = qisim_err_set(err, QISIM_EIO, "cannot replace %s: %s", path, strerror(errno));
    }
    if (rc || (rc = join(path, sizeof path, dir, "series.csv", err)) ||
        (rc = qisim_outfile_open(&wr->series, path, err)))
        return rc;
    if ((rc = join(path, sizeof path, dir, "events.csv", err)) || (rc = qisim_outfile_open(&wr->events, path, err))) {
        qisim_outfile_abort(&wr->series);
        return rc;
    }
    wr->open = true;
    fputs("week,replicate,level,entity,metric,value\n", wr->series.fp);
    fputs("week,replicate,level,entity,event,detail\n", wr->events.fp);
    return QISIM_OK;
}

static void write_record(writer *wr, const qisim_run_info *info, const qisim_world *w)
{
    const qisim_record *rec = info->record;
    if (w->week % rec->every != 0 && w->week != info->weeks)
        return;
    FILE *fp = wr->series.fp;
    for (int level = QISIM_LEVEL_TEAM; level < QISIM_N_LEVELS; level++) {
        if (!rec->levels[level])
            continue;
        int32_t n = qisim_entity_count(w, level);
        for (int32_t id = 0; id < n; id++) {
            for (int m = 0; m < rec->n_metrics; m++) {
                if (level == QISIM_LEVEL_TEAM && !qisim_metric_at(rec->metrics[m])->team)
                    continue; /* not defined for a single team */
                double v = qisim_metric_value(w, rec->metrics[m], level, id);
                fprintf(fp, "%d,%d,%s,", w->week, info->replicate, qisim_level_name(level));
                qisim_csv_write_text(fp, qisim_entity_name(w, level, id));
                fprintf(fp, ",%s,", qisim_metric_at(rec->metrics[m])->name);
                qisim_csv_write_number(fp, v);
                fputc('\n', fp);
                wr->res->rows++;
            }
        }
    }
}

static int writer_begin(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    writer *wr = ctx;
    if (!wr->open) {
        snprintf(wr->scenario_name, sizeof wr->scenario_name, "%s", info->scenario_name);
        wr->params = w->params;
        wr->res->weeks = info->weeks;
        int rc = open_outputs(wr, err);
        if (rc)
            return rc;
    }
    write_record(wr, info, w);
    return QISIM_OK;
}

static int writer_week(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    (void)err;
    write_record(ctx, info, w);
    return QISIM_OK;
}

static int writer_end(void *ctx, const qisim_run_info *info, const qisim_world *w, qisim_err *err)
{
    writer *wr = ctx;
    (void)err;
    for (int32_t i = 0; i < w->n_events; i++) {
        const qisim_event *e = &w->events[i];
        fprintf(wr->events.fp, "%d,%d,%s,", e->week, info->replicate, qisim_level_name(e->level));
        qisim_csv_write_text(wr->events.fp, qisim_entity_name(w, e->level, e->entity));
        fprintf(wr->events.fp, ",%s,", e->type);
        qisim_csv_write_text(wr->events.fp, e->detail);
        fputc('\n', wr->events.fp);
    }
    return QISIM_OK;
}

static int write_manifest(writer *wr, const char *sha, qisim_err *err)
{
    const qisim_run_options *o = wr->o;
    const char *streams[QISIM_N_STREAMS];
    for (int s = 0; s < QISIM_N_STREAMS; s++)
        streams[s] = qisim_rng_stream_name(s);
    qisim_manifest m = {
        .version = QISIM_VERSION,
        .scenario_path = o->scenario_path,
        .scenario_sha256 = sha,
        .scenario_name = wr->scenario_name,
        .seed = o->seed,
        .replicates = o->replicates,
        .weeks = wr->res->weeks,
        .overrides = o->overrides.items,
        .n_overrides = o->overrides.n,
        .streams = streams,
        .n_streams = QISIM_N_STREAMS,
        .params = &wr->params,
    };
    char path[4096];
    int rc = join(path, sizeof path, wr->res->out_dir, "manifest.json", err);
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
    writer wr = {.o = o, .res = res};
    qisim_observer obs = {&wr, writer_begin, writer_week, writer_end};
    for (int32_t rep = 0; rep < o->replicates && !rc; rep++) {
        rc = qisim_run_replicate(o->scenario_path, o->seed, rep, &o->overrides, &o->args, 0, &obs, err);
        if (!rc && o->progress)
            o->progress(o->progress_ctx, rep + 1, o->replicates);
    }
    if (!rc && (rc = qisim_outfile_commit(&wr.series, err)) == QISIM_OK &&
        (rc = qisim_outfile_commit(&wr.events, err)) == QISIM_OK)
        rc = write_manifest(&wr, sha, err);
    if (rc && wr.open) {
        /* Whatever was committed before the failure must not look like a finished run. */
        char path[4096];
        qisim_outfile_abort(&wr.series);
        qisim_outfile_abort(&wr.events);
        static const char *const files[] = {"series.csv", "events.csv"};
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
            if (join(path, sizeof path, res->out_dir, files[i], NULL) == QISIM_OK)
                remove(path);
    }
    return rc;
}
