/* The run manifest: everything needed to regenerate a run's outputs, as stable JSON. */
#include "qisim/io.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

/* The shortest of "%.15g".."%.17g" that reads back as the exact same double: 17 digits always
 * round-trip, but fewer keep 0.3 from appearing as 0.29999999999999999 to the people reading
 * the manifest. JSON has no NaN or infinity, hence null. */
static void write_json_number(FILE *fp, double x)
{
    if (!isfinite(x)) {
        fputs("null", fp);
        return;
    }
    if (x == 0)
        x = 0; /* -0 would print as "-0" */
    char text[32];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, x);
        if (strtod(text, NULL) == x)
            break;
    }
    fputs(text, fp);
}

static void write_string_array(FILE *fp, const char *const *items, int n, const char *indent)
{
    if (n <= 0) {
        fputs("[]", fp);
        return;
    }
    fputs("[\n", fp);
    for (int i = 0; i < n; i++) {
        fprintf(fp, "%s  ", indent);
        qisim_json_write_string(fp, items[i]);
        fputs(i + 1 < n ? ",\n" : "\n", fp);
    }
    fprintf(fp, "%s]", indent);
}

/* One parameter per line, so a diff of two manifests shows each changed value with its name. */
static void write_parameter(FILE *fp, const qisim_param_desc *d, double value)
{
    fputs("{\"name\": ", fp);
    qisim_json_write_string(fp, d->name);
    fputs(", \"value\": ", fp);
    if (d->type == QISIM_PARAM_BOOL)
        fputs(value != 0 ? "true" : "false", fp);
    else
        write_json_number(fp, value);
    fputs(", \"unit\": ", fp);
    qisim_json_write_string(fp, d->unit);
    fputs(", \"source\": ", fp);
    qisim_json_write_string(fp, d->source);
    fputc('}', fp);
}

int qisim_manifest_write(const char *path, const qisim_manifest *m, qisim_err *err)
{
    if (!m || !m->params)
        return qisim_err_set(err, QISIM_EINVAL, "cannot write %s: no parameters to record", path);
    if ((m->n_overrides > 0 && !m->overrides) || (m->n_args > 0 && !m->args) || (m->n_streams > 0 && !m->streams))
        return qisim_err_set(err, QISIM_EINVAL, "cannot write %s: a list is missing its items", path);

    qisim_outfile out;
    int rc = qisim_outfile_open(&out, path, err);
    if (rc != QISIM_OK)
        return rc;
    FILE *fp = out.fp;

    fputs("{\n  \"qisim_version\": ", fp);
    qisim_json_write_string(fp, m->version);
    if (m->label) { /* only when given, so that a run without one keeps its manifest's bytes */
        fputs(",\n  \"label\": ", fp);
        qisim_json_write_string(fp, m->label);
    }
    fputs(",\n  \"scenario\": {\n    \"path\": ", fp);
    qisim_json_write_string(fp, m->scenario_path);
    fputs(",\n    \"sha256\": ", fp);
    qisim_json_write_string(fp, m->scenario_sha256);
    fputs(",\n    \"name\": ", fp);
    qisim_json_write_string(fp, m->scenario_name);
    /* A number, as promised to readers; Python reads it exactly, JavaScript only up to 2^53. */
    fprintf(fp, "\n  },\n  \"seed\": %" PRIu64 ",\n", m->seed);
    fprintf(fp, "  \"replicates\": %d,\n", m->replicates);
    fprintf(fp, "  \"weeks\": %d,\n", m->weeks);
    fputs("  \"overrides\": ", fp);
    write_string_array(fp, m->overrides, m->n_overrides, "  ");
    fputs(",\n  \"args\": ", fp);
    write_string_array(fp, m->args, m->n_args, "  ");
    fputs(",\n  \"rng\": {\n    \"algorithm\": \"PCG32 XSH-RR 64/32\",\n    \"streams\": ", fp);
    write_string_array(fp, m->streams, m->n_streams, "    ");
    fputs("\n  },\n  \"parameters\": [\n", fp);
    for (int id = 0; id < QISIM_N_PARAMS; id++) {
        fputs("    ", fp);
        write_parameter(fp, qisim_param_desc_at(id), m->params->v[id]);
        fputs(id + 1 < QISIM_N_PARAMS ? ",\n" : "\n", fp);
    }
    fputs("  ]\n}\n", fp);

    /* Write errors above are sticky in the stream and reported here, naming the file. */
    return qisim_outfile_commit(&out, err);
}
