/* PCG32 seeding, bounded and distributional draws built on qisim_rng_next. */
#include "qisim/rng.h"

#include <math.h>

void qisim_rng_seed(qisim_rng *r, uint64_t initstate, uint64_t initseq)
{
    r->state = 0u;
    r->inc = (initseq << 1u) | 1u;
    qisim_rng_next(r);
    r->state += initstate;
    qisim_rng_next(r);
}

/* SplitMix64 finaliser: spreads nearby seeds and replicate numbers over the whole state. */
static uint64_t mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void qisim_rng_seed_stream(qisim_rng *r, uint64_t seed, uint64_t replicate, int stream)
{
    qisim_rng_seed(r, mix64(seed ^ mix64(replicate)), (uint64_t)stream);
}

const char *qisim_rng_stream_name(int stream)
{
    static const char *const names[QISIM_N_STREAMS] = {
        "scenario", "build", "shocks", "workforce", "time", "leadership", "training", "spread",
        "projects", "data", "patients", "culture", "interorg", "regulation", "outcomes",
        "network", "trainers",
    };
    return stream >= 0 && stream < QISIM_N_STREAMS ? names[stream] : "?";
}

uint32_t qisim_rng_below(qisim_rng *r, uint32_t bound)
{
    /* 2^32 mod bound: the draws below it would make small results more likely. */
    uint32_t threshold = (0u - bound) % bound;
    for (;;) {
        uint32_t x = qisim_rng_next(r);
        if (x >= threshold)
            return x % bound;
    }
}

double qisim_rng_normal(qisim_rng *r)
{
    double u1 = 1.0 - qisim_rng_uniform(r); /* (0, 1]: log is finite */
    double u2 = qisim_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

static double gamma_draw(qisim_rng *r, double a)
{
    if (a < 1.0) /* boost: Gamma(a) = Gamma(a + 1) * U^(1/a) */
        return gamma_draw(r, a + 1.0) * pow(1.0 - qisim_rng_uniform(r), 1.0 / a);
    double d = a - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x = qisim_rng_normal(r), v = 1.0 + c * x;
        if (v <= 0.0)
            continue;
        v = v * v * v;
        double u = 1.0 - qisim_rng_uniform(r), x2 = x * x;
        if (u < 1.0 - 0.0331 * x2 * x2) /* the squeeze: accepts most draws without the logs */
            return d * v;
        if (log(u) < 0.5 * x2 + d - d * v + d * log(v))
            return d * v;
    }
}

double qisim_rng_beta(qisim_rng *r, double a, double b)
{
    double x = gamma_draw(r, a), y = gamma_draw(r, b);
    return x / (x + y);
}

int32_t qisim_rng_binomial(qisim_rng *r, int32_t n, double p)
{
    if (n <= 0 || p <= 0.0)
        return 0;
    if (p >= 1.0)
        return n;
    if (p > 0.5) /* by symmetry, so that the search below starts from a pmf far from underflow */
        return n - qisim_rng_binomial(r, n, 1.0 - p);
    double var = n * p * (1.0 - p);
    if (var > 25.0) {
        double x = floor(n * p + sqrt(var) * qisim_rng_normal(r) + 0.5);
        return x < 0.0 ? 0 : x > n ? n : (int32_t)x;
    }
    /* Inversion: one uniform, walked up the cumulative distribution from 0; with p <= 0.5 and
     * var <= 25 the mean is at most 50, so the walk is short and (1 - p)^n is far from 0. */
    double u = qisim_rng_uniform(r), odds = p / (1.0 - p);
    double pmf = exp(n * log1p(-p)), cdf = pmf;
    int32_t k = 0;
    while (u >= cdf && k < n) {
        pmf *= odds * (double)(n - k) / (double)(k + 1);
        k++;
        cdf += pmf;
    }
    return k;
}

uint32_t qisim_rng_geometric(qisim_rng *r, double p)
{
    if (p >= 1.0)
        return 1;
    if (!(p > 0.0))
        return UINT32_MAX;
    double u = 1.0 - qisim_rng_uniform(r); /* (0, 1]: P(wait > k) = P(u <= (1 - p)^k) = (1 - p)^k */
    double weeks = floor(log(u) / log1p(-p)) + 1.0;
    return weeks >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)weeks;
}
