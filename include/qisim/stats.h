/* Summary statistics across replicates: running mean and variance, and 95% intervals. */
#ifndef QISIM_STATS_H
#define QISIM_STATS_H

#include <math.h>
#include <stdint.h>

/* Welford's running moments: numerically stable, one pass, in the order values arrive. */
typedef struct qisim_moments {
    int64_t n;
    double mean, m2;
} qisim_moments;

static inline void qisim_moments_add(qisim_moments *m, double x)
{
    m->n++;
    double d = x - m->mean;
    m->mean += d / (double)m->n;
    m->m2 += d * (x - m->mean);
}

/* Sample variance (n - 1); NaN below two values. */
static inline double qisim_moments_var(const qisim_moments *m)
{
    return m->n > 1 ? m->m2 / (double)(m->n - 1) : (double)NAN;
}

/* The 97.5% quantile of Student's t with df degrees of freedom (NaN for df < 1): a table to
 * 30, then 1.96 + 2.4/df, within 0.002 of the exact value. */
double qisim_t975(int64_t df);

/* Half-width of the 95% interval of the mean (Student t); NaN below two values. */
static inline double qisim_moments_ci95(const qisim_moments *m)
{
    return m->n > 1 ? qisim_t975(m->n - 1) * sqrt(qisim_moments_var(m) / (double)m->n) : (double)NAN;
}

#endif
