/* Sweeps: every design point of an experiment x its replicates, run in parallel and streamed
 * into an embedded SQLite database as runs finish; resumable after an interruption. */
#ifndef QISIM_SWEEP_H
#define QISIM_SWEEP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "qisim/err.h"

typedef struct qisim_sweep_options {
    const char *experiment_path;
    const char *out_dir;     /* NULL: results/<experiment name> */
    int32_t threads;
    bool resume;             /* continue an interrupted sweep in out_dir */
    void (*progress)(void *ctx, int64_t done, int64_t total);
    void *progress_ctx;
} qisim_sweep_options;

typedef struct qisim_sweep_result {
    char database[4096];
    int64_t runs_total, runs_done_before, points;
} qisim_sweep_result;

/* Runs the sweep into <out_dir>/results.sqlite (schema in docs/experiments.md). Each run is
 * written in one transaction, in run order, so an interrupted sweep holds only whole runs
 * and --resume then yields the same database as an uninterrupted sweep. Without resume an
 * existing database is an error; with it, the experiment and scenario must be unchanged
 * (their SHA-256 are kept in the meta table); a database with no tables (a sweep killed while
 * creating it) is started afresh. The folder's lock (qisim_dir_lock_take) is held throughout,
 * so a second sweep of the same database stops at once with QISIM_EIO naming the holder. */
int qisim_sweep(const qisim_sweep_options *o, qisim_sweep_result *res, qisim_err *err);

struct sqlite3;

/* Opens a sweep's results database read-only, after checking that it is one: a missing file,
 * a directory, a file that is not SQLite, or an SQLite file without qisim's meta table are each
 * QISIM_EINVAL or QISIM_EIO with a one-line message naming the file. *db: sqlite3_close it. */
int qisim_results_open_readonly(const char *database, struct sqlite3 **db, qisim_err *err);

/* Writes one table of a results database as CSV (rows in rowid order). */
int qisim_export_table(const char *database, const char *table, FILE *out, qisim_err *err);

#endif
