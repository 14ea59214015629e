/* Output files: atomic writes, CSV fields, SHA-256 and the run manifest. */
#ifndef QISIM_IO_H
#define QISIM_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "qisim/err.h"
#include "qisim/params.h"
#include "qisim/world.h"

/* A file written under "<path>.tmp" and renamed to <path> only by qisim_outfile_commit,
 * so an interrupted run never leaves a file that looks finished. */
typedef struct qisim_outfile {
    FILE *fp;          /* write through this between open and commit/abort */
    char path[4096];   /* the final name */
    char tmp[4096];    /* the name while writing */
} qisim_outfile;

/* Creates <path>.tmp for writing (truncating a stale one). QISIM_EIO naming the file on failure,
 * after which f is safe to pass to qisim_outfile_abort. */
int qisim_outfile_open(qisim_outfile *f, const char *path, qisim_err *err);

/* Flushes, closes and renames the temporary file to its final name, replacing any old file.
 * A write that failed earlier through f->fp is caught here. On any error the temporary file is
 * removed and QISIM_EIO returned, naming the final path. */
int qisim_outfile_commit(qisim_outfile *f, qisim_err *err);

/* Closes and removes the temporary file. Safe after commit, a failed open, a second abort, or on a
 * zero-initialised qisim_outfile; it never touches the final file. */
void qisim_outfile_abort(qisim_outfile *f);

/* Writes s as one CSV field (RFC 4180: quoted, with quotes doubled, only when it holds a comma,
 * quote, CR or LF). NULL writes an empty field. */
void qisim_csv_write_text(FILE *fp, const char *s);

/* Writes x as a CSV number with "%.9g" (nine significant digits: exact for floats, stable across
 * runs); NaN as "NA", infinities as "Inf"/"-Inf" (as R and pandas read them), -0 as "0". */
void qisim_csv_write_number(FILE *fp, double x);

/* Splits one CSV line in place into at most max fields (quotes honoured, the line ends at
 * '\n' or NUL); returns the number of fields. */
int qisim_csv_split(char *line, char **fields, int max);

/* Creates a directory and its parents (mkdir -p). QISIM_EIO naming the directory on failure. */
int qisim_make_dirs(const char *dir, qisim_err *err);

/* Writes s as a JSON string literal: quote and backslash escaped, control characters as \uXXXX,
 * bytes that are not well-formed UTF-8 as \ufffd so the output is always valid JSON.
 * NULL writes null. */
void qisim_json_write_string(FILE *fp, const char *s);

/* SHA-256 (FIPS 180-4) of n bytes. */
void qisim_sha256(const void *data, size_t n, uint8_t digest[32]);

/* SHA-256 of a file's contents as 64 lowercase hex digits and a NUL, read in 64 KiB chunks.
 * QISIM_EIO naming the file when it cannot be read, QISIM_EINVAL when it is not a regular file
 * (a FIFO or a device could block or never end), QISIM_ENOMEM without a read buffer. */
int qisim_sha256_file(const char *path, char hex[65], qisim_err *err);

/* What a run's manifest.json records, so that a figure can be regenerated exactly. */
typedef struct qisim_manifest {
    const char *version;          /* qisim version string */
    const char *scenario_path;    /* as given on the command line */
    const char *scenario_sha256;  /* 64 hex digits */
    const char *scenario_name;    /* from scenario{ name = ... } */
    uint64_t seed;
    int replicates;
    int weeks;
    const char *const *overrides; /* the --set assignments, in the order given */
    int n_overrides;
    const char *const *args;      /* the scenario's --arg assignments, in the order given */
    int n_args;
    const char *const *streams;   /* names of the RNG streams, in stream-id order */
    int n_streams;
    const qisim_params *params;   /* values in force at week 0 of the first replicate */
} qisim_manifest;

/* Writes m as pretty-printed JSON (keys in a fixed order, every parameter with its unit and
 * source, one per line in id order; numbers in the shortest form that reads back exactly; nothing
 * time-dependent) through an atomic outfile at path. QISIM_EINVAL if m lacks params or a list
 * its count promises; QISIM_EIO naming the file if it cannot be written. */
int qisim_manifest_write(const char *path, const qisim_manifest *m, qisim_err *err);

/* Checkpoints: the whole world state (arrays, parameters, RNG streams, schedule with its
 * fired flags, events) in a binary file for this build of qisim (a layout check refuses a
 * file from another build). Lua state is not saved: a run restarts from a checkpoint by
 * loading its scenario again, which must rebuild the same world and schedule the same
 * actions first (it may schedule more after them: a branch's own policy). */
int qisim_checkpoint_save(const qisim_world *w, const char *path, qisim_err *err);

/* Replaces w's state (built by the same scenario) with the checkpoint at path. Checks that
 * the world has the same trusts and teams and that w's schedule begins with the
 * checkpoint's entries (same kind, weeks, period; their fired flags are restored); entries
 * beyond them are the branch's own. QISIM_EINVAL naming the first difference. */
int qisim_checkpoint_restore(qisim_world *w, const char *path, qisim_err *err);

#endif
