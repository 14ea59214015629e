/* Sensitivity analysis: Morris elementary effects from a sweep run with design = "morris", and
 * partial rank correlations from any sweep (a Latin hypercube). */
#ifndef QISIM_SENSITIVITY_H
#define QISIM_SENSITIVITY_H

#include <stdint.h>
#include <stdio.h>

#include "qisim/err.h"

typedef struct qisim_effect {
    char factor[128];
    double mu_star;   /* mean |elementary effect|: overall influence */
    double mu;        /* mean elementary effect: its direction */
    double sigma;     /* sd of elementary effects: interactions and non-linearity */
    int trajectories;
} qisim_effect;

/* Elementary effects on `metric` at `level`/`entity` (entity "system" for the system) at
 * `week` (< 0: the last recorded week), from the replicate means of a Morris sweep's
 * summaries; for a sweep with arms, on the contrast of each design point (arm 2 minus arm 1). Effects are per unit of each factor's range (a step of delta in the unit cube
 * counts as delta). *out (free() it) is ranked by mu_star, largest first. */
int qisim_sensitivity(const char *database, const char *metric, const char *level, const char *entity,
                      int32_t week, qisim_effect **out, int *n, qisim_err *err);

void qisim_sensitivity_write_csv(FILE *fp, const qisim_effect *e, int n);

/* Partial rank correlation coefficients (PRCC) of each factor with the outcome over the
 * design points of any sweep (meant for a Latin hypercube): factors and outcome rank
 * transformed, each factor's and the outcome's ranks regressed on the other factors' ranks,
 * the residuals correlated. With arms the outcome is the contrast, as above. *out ranked by
 * |prcc|, largest first. */
typedef struct qisim_prcc {
    char factor[128];
    double prcc;
    int points;
} qisim_prcc;
int qisim_sensitivity_prcc(const char *database, const char *metric, const char *level, const char *entity,
                           int32_t week, qisim_prcc **out, int *n, qisim_err *err);
void qisim_sensitivity_prcc_write_csv(FILE *fp, const qisim_prcc *e, int n);

#endif
