/* Workforce's work on each member in the week's pass over the staff (phases.c). */
#ifndef QISIM_MODEL_WORKFORCE_H
#define QISIM_MODEL_WORKFORCE_H

#include "qisim/world.h"

/* A team's drift this week: its members' strain follows the team's strain target, know-how is
 * kept up by practice or decays without it. Inline, so that the pass steps each member of a
 * team through every mechanism in one loop while the team's staff are in cache; the arrays are
 * copied in so that another mechanism's byte stores do not make the compiler reload them. */
typedef struct qisim_drift {
    float target, follow, decay, practice;
    float *strain, *knowhow;
} qisim_drift;

static inline void qisim_workforce_drift_begin(const qisim_world *w, int32_t t, qisim_drift *d)
{
    const double *p = w->params.v;
    *d = (qisim_drift){.target = w->teams[t].strain_target, .follow = (float)(1.0 / p[QP_WORKFORCE_STRAIN_WEEKS]),
                       .decay = (float)p[QP_WORKFORCE_KNOWHOW_DECAY], .practice = (float)p[QP_WORKFORCE_KNOWHOW_PRACTICE],
                       .strain = w->staff.strain, .knowhow = w->staff.knowhow};
}

/* Member i, in post with flags f, drifts a week. */
static inline void qisim_workforce_drift(const qisim_drift *d, int32_t i, uint8_t f)
{
    d->strain[i] += d->follow * (d->target - d->strain[i]);
    if (f & QISIM_STAFF_PRACTISING)
        d->knowhow[i] += d->practice * (1.0f - d->knowhow[i]);
    else
        d->knowhow[i] -= d->decay * d->knowhow[i];
}

#endif
