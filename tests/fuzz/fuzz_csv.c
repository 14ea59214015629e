/* libFuzzer harness: the readers of result files. An input is a manifest.json, a NUL byte and
 * a series.csv (either may be missing); qisim compare reads the pair as both arms, and the
 * report's run reader and qisim collect read it too (the series bytes also as events.csv and
 * entities.csv). The bytes
 * after a second NUL are a design matrix (CSV) for the matrix design's reader, and the whole
 * input also goes through the CSV reader (qisim_csv_read) and, as the bytes an MPI rank sends,
 * through qisim_frame_unpack (a frame it accepts is written and summarised). */
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "qisim/compare.h"
#include "qisim/experiment.h"
#include "qisim/io.h"
#include "qisim/report.h"
#include "qisim/results.h"

/* The whole input through the one CSV reader, record by record, to its end or first error. */
static void read_records(const uint8_t *data, size_t size)
{
    qisim_csv_reader r = {0};
    qisim_csv_reader_text(&r, (const char *)data, size, "fuzz.csv");
    char **fields;
    qisim_err err = {0};
    while (qisim_csv_read(&r, &fields, &err) > 0)
        ;
    qisim_csv_reader_free(&r);
}

/* The whole input as a frame's bytes: refused, or a frame every writer can use. */
static void read_frame(const uint8_t *data, size_t size)
{
    qisim_frame f;
    qisim_err err = {0};
    if (qisim_frame_unpack(&f, (const char *)data, size, &err) != QISIM_OK)
        return;
    FILE *sink = fopen("/dev/null", "w");
    if (sink) {
        for (qisim_table t = QISIM_TABLE_SERIES; t <= QISIM_TABLE_MEMBERSHIPS; t++)
            qisim_schema_write_frame(sink, t, &f);
        qisim_summary *s = qisim_summary_create();
        if (s && qisim_summary_add_frame(s, &f) == 0)
            qisim_summary_write(s, sink);
        qisim_summary_free(s);
        fclose(sink);
    }
    qisim_frame_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_records(data, size);
    read_frame(data, size);
    const uint8_t *nul = memchr(data, '\0', size);
    size_t manifest_len = nul ? (size_t)(nul - data) : 0;
    const uint8_t *series = nul ? nul + 1 : data;
    size_t series_len = size - (size_t)(series - data);
    const uint8_t *nul2 = memchr(series, '\0', series_len);
    const uint8_t *matrix = NULL;
    size_t matrix_len = 0;
    if (nul2) {
        matrix = nul2 + 1;
        matrix_len = series_len - (size_t)(matrix - series);
        series_len = (size_t)(nul2 - series);
    }

    char dir[512];
    snprintf(dir, sizeof dir, "%s/qisim-fuzz-%ld-arm", fuzz_tmpdir(), (long)getpid());
    mkdir(dir, 0700);
    char path[600];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, manifest_len, f);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/series.csv", dir);
    f = fopen(path, "wb");
    if (f) {
        fwrite(series, 1, series_len, f);
        fclose(f);
    }
    qisim_compare_options o = {.dir_a = dir, .dir_b = dir, .week = -1};
    qisim_comparison *c = NULL;
    int n = 0;
    qisim_err err = {0};
    if (qisim_compare(&o, &c, &n, &err) == QISIM_OK) {
        FILE *sink = fopen("/dev/null", "w");
        if (sink) {
            qisim_compare_write_csv(sink, c, n);
            fclose(sink);
        }
        free(c);
    }
    /* the report's and collect's readers: the same bytes as series, events and entities */
    qisim_run_data d;
    if (qisim_run_load(dir, &d, &err) == QISIM_OK)
        qisim_run_free(&d);
    static const char *const names[] = {"events.csv", "entities.csv"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        f = fopen(path, "wb");
        if (f) {
            fwrite(series, 1, series_len, f);
            fclose(f);
        }
    }
    if (qisim_run_load(dir, &d, &err) == QISIM_OK)
        qisim_run_free(&d);
    FILE *out = fopen("/dev/null", "w");
    if (out) {
        const char *dirs[] = {dir};
        qisim_collect(dirs, 1, NULL, out, false, &err);
        qisim_collect(dirs, 1, NULL, out, true, &err);
        fclose(out);
    }
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        remove(path);
    }

    if (matrix) {
        const char *mpath = fuzz_file("matrix.csv", matrix, matrix_len);
        qisim_experiment *e = calloc(1, sizeof *e);
        if (mpath && e) {
            e->design = QISIM_DESIGN_MATRIX;
            e->replicates = 1;
            snprintf(e->matrix, sizeof e->matrix, "%s", mpath);
            qisim_point *pts = NULL;
            int32_t np = 0;
            if (qisim_experiment_points(e, &pts, &np, &err) == QISIM_OK)
                free(pts);
        }
        free(e);
    }
    return 0;
}
