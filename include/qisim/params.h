/* The model's parameter table: one descriptor per parameter drives parsing, range checks,
 * the run manifest and docs/parameters.md. The list itself lives in qisim/params.def. */
#ifndef QISIM_PARAMS_H
#define QISIM_PARAMS_H

#include <stdbool.h>
#include <stdio.h>

#include "qisim/err.h"

typedef enum qisim_param_type {
    QISIM_PARAM_REAL,
    QISIM_PARAM_INT,  /* stored as a double, must be a whole number */
    QISIM_PARAM_BOOL  /* stored as 0 or 1 */
} qisim_param_type;

typedef struct qisim_param_desc {
    const char *name;   /* dotted, e.g. "training.coaching_or" */
    qisim_param_type type;
    double min, max, def;
    const char *unit;
    const char *source; /* seed line(s) such as "B:L4265", or "assumption" */
    bool mid_run;       /* may a scenario change it after week 0? */
    const char *doc;
} qisim_param_desc;

enum qisim_param_id {
#define QISIM_PARAM(id, name, type, min, max, def, unit, source, mid_run, doc) QP_##id,
#include "qisim/params.def"
#undef QISIM_PARAM
    QISIM_N_PARAMS
};

/* Every parameter value, indexed by enum qisim_param_id: w->params.v[QP_TURNOVER_ANNUAL]. */
typedef struct qisim_params {
    double v[QISIM_N_PARAMS];
} qisim_params;

/* The descriptor of parameter id (0 <= id < QISIM_N_PARAMS). */
const qisim_param_desc *qisim_param_desc_at(int id);

/* The id of the parameter called name, or -1. */
int qisim_param_find(const char *name);

/* Fills p with every default. */
void qisim_params_defaults(qisim_params *p);

/* Sets parameter name to value after checking that it exists, fits its type and range and,
 * when started is true (the run is past week 0), that it may change mid-run.
 * QISIM_EINVAL with a message naming the parameter otherwise; p is then unchanged. */
int qisim_params_set(qisim_params *p, const char *name, double value, bool started, qisim_err *err);

/* Parses "name=value" (value a number, or true/false for booleans) and sets it as above. */
int qisim_params_set_text(qisim_params *p, const char *assignment, bool started, qisim_err *err);

/* Writes the parameter table as Markdown (the content of docs/parameters.md). */
void qisim_params_write_markdown(FILE *out);

#endif
