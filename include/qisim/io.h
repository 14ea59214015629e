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

/* QISIM_EIO naming the file (and saying when the disk is full) if a write through f->fp has
 * failed so far; lets a long run stop at the first failed write rather than at commit. */
int qisim_outfile_check(qisim_outfile *f, qisim_err *err);

/* Closes and removes the temporary file. Safe after commit, a failed open, a second abort, or on a
 * zero-initialised qisim_outfile; it never touches the final file. */
void qisim_outfile_abort(qisim_outfile *f);

/* Writes s as one CSV field (RFC 4180: quoted, with quotes doubled, only when it holds a comma,
 * quote, CR or LF). NULL writes an empty field. */
void qisim_csv_write_text(FILE *fp, const char *s);

/* Writes x as a CSV number with "%.9g" (nine significant digits: exact for floats, stable across
 * runs); NaN as "NA", infinities as "Inf"/"-Inf" (as R and pandas read them), -0 as "0". */
void qisim_csv_write_number(FILE *fp, double x);

/* Writes v in decimal, as "%lld" would, without printf's format parsing: result files hold
 * millions of weeks, replicates and entity ids, and the thread that writes them is the one
 * part of a run that threads do not share. */
void qisim_csv_write_integer(FILE *fp, long long v);

/* The one CSV reader (RFC 4180): records from a FILE or from text in memory, fields quoted or
 * not, quoted fields holding commas, doubled quotes, CR and LF; records of any length (up to
 * QISIM_CSV_RECORD_MAX bytes). Buffers grow as needed and are owned by the reader. */
typedef struct qisim_csv_reader {
    const char *name;          /* for messages ("results/x/series.csv") */
    FILE *fp;                  /* the source, or NULL when reading text */
    const char *text;
    size_t text_len, text_pos;
    char *buf;                 /* the current record's fields, each NUL-terminated */
    size_t buf_cap;
    char **fields;
    int fields_cap;
    long line;                 /* the line on which the current record starts, from 1 */
    long next_line;
} qisim_csv_reader;

enum { QISIM_CSV_RECORD_MAX = 64 << 20 };

/* Starts reading fp (not closed by the reader) or len bytes of text (not copied: keep it
 * alive). name appears in messages. */
void qisim_csv_reader_file(qisim_csv_reader *r, FILE *fp, const char *name);
void qisim_csv_reader_text(qisim_csv_reader *r, const char *text, size_t len, const char *name);

/* Reads the next record into *fields (valid until the next call). Returns the number of
 * fields (an empty line is one empty field), 0 at the end of the input, or a negative status:
 * QISIM_EINVAL for a quoted field still open at the end, QISIM_ELIMIT for a record longer than
 * QISIM_CSV_RECORD_MAX, QISIM_EIO for a read error, QISIM_ENOMEM; err names file and line. */
int qisim_csv_read(qisim_csv_reader *r, char ***fields, qisim_err *err);

/* Frees the reader's buffers (not fp). Safe on a zero-initialised reader. */
void qisim_csv_reader_free(qisim_csv_reader *r);

/* Finds the member `key` of the top-level object of the JSON text (len bytes) and reads it as
 * an unsigned 64-bit integer. QISIM_OK with *found true and *value set, or *found false when
 * the object has no such member; QISIM_EINVAL when the text is not one well-formed JSON object
 * (nesting deeper than 64 counts as malformed) or the member is not such an integer. Strings
 * and nested values are skipped as JSON, so text inside them cannot pose as a member. */
int qisim_json_find_u64(const char *text, size_t len, const char *key, uint64_t *value, bool *found);

/* Finds the string member at the path keys[0].keys[1]... of nested objects (e.g. {"scenario",
 * "path"}) and copies it into out (cap bytes, truncated; simple escapes decoded, \u escapes as
 * '?'); an array of strings is copied as its items joined by spaces. QISIM_OK with *found false
 * when a member is missing or is neither; QISIM_EINVAL when the text on the way is not JSON. */
int qisim_json_find_string(const char *text, size_t len, const char *const *keys, int n_keys, char *out,
                           size_t cap, bool *found);

/* The seed of a run from its manifest.json (at most 16 MiB). QISIM_EIO naming the file if it
 * cannot be read, QISIM_EINVAL naming it if it is not JSON or has no numeric top-level seed. */
int qisim_manifest_read_seed(const char *path, uint64_t *seed, qisim_err *err);

/* Creates a directory and its parents (mkdir -p). QISIM_EIO naming the directory on failure. */
int qisim_make_dirs(const char *dir, qisim_err *err);

/* One writer per output folder: an advisory lock (flock) on <dir>/.qisim-lock, held from
 * qisim_dir_lock_take to qisim_dir_lock_release. */
typedef struct qisim_dir_lock {
    bool held;
    int fd;              /* the open lock file while held */
    char dir[4096];
    char path[4096];     /* the lock file */
    bool made_dir;       /* the folder did not exist before take */
} qisim_dir_lock;

/* Creates dir (mkdir -p) and takes its lock without waiting, writing this process's id into
 * the lock file. When another process (or another lock in this one) holds it: QISIM_EIO
 * "DIR is in use by another qisim process (pid N)". On a file system without locks (ENOLCK:
 * NFS mounted nolock) it returns QISIM_OK without holding anything. On failure l is safe to
 * release. */
int qisim_dir_lock_take(qisim_dir_lock *l, const char *dir, qisim_err *err);

/* Removes the lock file and releases the lock; with remove_dir, also removes the folder if
 * take created it and it is now empty. Safe on a zero-initialised lock, after a failed take, and twice. */
void qisim_dir_lock_release(qisim_dir_lock *l, bool remove_dir);

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
    const char *label;            /* NULL, or the run's --label (written only when given) */
} qisim_manifest;

/* Writes m as pretty-printed JSON (keys in a fixed order, every parameter with its unit and
 * source, one per line in id order; numbers in the shortest form that reads back exactly; nothing
 * time-dependent) through an atomic outfile at path. QISIM_EINVAL if m lacks params or a list
 * its count promises; QISIM_EIO naming the file if it cannot be written. */
int qisim_manifest_write(const char *path, const qisim_manifest *m, qisim_err *err);

/* The first bytes of a checkpoint file (docs/experiments.md §7). The payload follows: the
 * parameters, their fixed flags, the RNG streams, each staff array, then the teams, trusts,
 * regions, regulators, collaboratives, schedule and events as raw records. Fixed-width fields
 * only, so the header reads the same in every build that it then checks. */
typedef struct qisim_checkpoint_header {
    char magic[8];             /* "QISIMCKP" */
    uint32_t format;           /* format version, 3 */
    uint32_t header_size;      /* sizeof(qisim_checkpoint_header) */
    char version[16];          /* QISIM_VERSION of the writer, NUL-padded */
    uint64_t layout;           /* a hash of the writer's record sizes and counts of streams and parameters */
    uint64_t payload_size;     /* bytes after the header */
    int32_t week, n_staff, n_teams, n_trusts, n_regions, n_regulators, n_collaboratives, n_schedule, n_events;
    int32_t national_until;
    int32_t n_ties;            /* ties of the staff network, -1 when the world has none */
    int32_t n_bridges;         /* secondments' temporary ties (0 without a network) */
    uint8_t national_mandated, started, unused[2];
    uint8_t digest[32];        /* SHA-256 of the whole file with these 32 bytes zero */
} qisim_checkpoint_header;

/* Checkpoints: the whole world state (arrays, parameters, RNG streams, schedule with its
 * fired flags, events) in a binary file for this build of qisim (format version, version
 * string and layout hash refuse a file from another build; a SHA-256 refuses a damaged one). Lua state is not saved: a run restarts from a checkpoint by
 * loading its scenario again, which must rebuild the same world and schedule the same
 * actions first (it may schedule more after them: a branch's own policy). */
int qisim_checkpoint_save(const qisim_world *w, const char *path, qisim_err *err);

/* Replaces w's state (built by the same scenario) with the checkpoint at path. Checks that
 * the world has the same trusts and teams and that w's schedule begins with the
 * checkpoint's entries (same kind, weeks, period; their fired flags are restored); entries
 * beyond them are the branch's own. Every count, index, enum, flag and number of the file is
 * checked against its bounds and the scenario's world before w changes: QISIM_EINVAL with
 * "<path>: damaged (...)" or naming the first difference, and w is then untouched. */
int qisim_checkpoint_restore(qisim_world *w, const char *path, qisim_err *err);

#endif
