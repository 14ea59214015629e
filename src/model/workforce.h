/* Workforce's work on each member in the week's pass over the staff (phases.c). */
#ifndef QISIM_MODEL_WORKFORCE_H
#define QISIM_MODEL_WORKFORCE_H

#include "qisim/world.h"

/* A team's drift this week: its members' strain follows the team's strain target, know-how is
 * kept up by practice or decays without it. Inline, so that the pass steps each member of a
 * team through every mechanism in one loop while the team's staff are in cache. */
typedef struct qisim_drift {
    float target, follow, decay, practice;
} qisim_drift;

static inline void qisim_workforce_drift_begin(const qisim_world *w, int32_t t, qisim_drift *d)
{
    const double *p = w->params.v;
    *d = (qisim_drift){.target = w->teams[t].strain_target, .follow = (float)(1.0 / p[QP_WORKFORCE_STRAIN_WEEKS]),
                       .decay = (float)p[QP_WORKFORCE_KNOWHOW_DECAY], .practice = (float)p[QP_WORKFORCE_KNOWHOW_PRACTICE]};
}

/* Member i of staff s, in post with flags f, drifts a week. */
static inline void qisim_workforce_drift(const qisim_drift *d, const qisim_staff *s, int32_t i, uint8_t f)
{
    s->strain[i] += d->follow * (d->target - s->strain[i]);
    if (f & QISIM_STAFF_PRACTISING)
        s->knowhow[i] += d->practice * (1.0f - s->knowhow[i]);
    else
        s->knowhow[i] -= d->decay * s->knowhow[i];
}

#endif
