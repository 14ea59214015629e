/* PCG32 random number streams (XSH-RR 64/32, O'Neill 2014), one explicit state per use. */
#ifndef QISIM_RNG_H
#define QISIM_RNG_H

#include <stdint.h>

typedef struct qisim_rng {
    uint64_t state;
    uint64_t inc; /* odd: selects the stream */
} qisim_rng;

/* One stream per mechanism per replicate, so that a draw added in one mechanism does not
 * shift the numbers any other mechanism sees. Names in qisim_rng_stream_name. */
enum qisim_stream {
    QISIM_STREAM_SCENARIO,   /* the scenario's math.random */
    QISIM_STREAM_BUILD,      /* generating staff and teams */
    QISIM_STREAM_SHOCKS,
    QISIM_STREAM_WORKFORCE,
    QISIM_STREAM_TIME,
    QISIM_STREAM_LEADERSHIP,
    QISIM_STREAM_TRAINING,
    QISIM_STREAM_SPREAD,
    QISIM_STREAM_PROJECTS,
    QISIM_STREAM_DATA,
    QISIM_STREAM_PATIENTS,
    QISIM_STREAM_CULTURE,
    QISIM_STREAM_INTERORG,
    QISIM_STREAM_REGULATION,
    QISIM_STREAM_OUTCOMES,
    QISIM_STREAM_NETWORK,    /* building the staff network */
    QISIM_STREAM_TRAINERS,   /* train-the-trainer (training.c), apart from the training stream (new
                                streams go last: the streams above keep their ids) */
    QISIM_N_STREAMS
};

/* The published seeding: stream initseq, start initstate. */
void qisim_rng_seed(qisim_rng *r, uint64_t initstate, uint64_t initseq);

/* Seeds stream `stream` of replicate `replicate` of a run with seed `seed`. */
void qisim_rng_seed_stream(qisim_rng *r, uint64_t seed, uint64_t replicate, int stream);

/* Lower-case name of a stream ("training"), for the manifest. */
const char *qisim_rng_stream_name(int stream);

/* Next 32 uniformly distributed bits. */
static inline uint32_t qisim_rng_next(qisim_rng *r)
{
    uint64_t old = r->state;
    r->state = old * 6364136223846793005ULL + r->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

/* Uniform integer in [0, bound), bound > 0, unbiased (rejects the low remainder). */
uint32_t qisim_rng_below(qisim_rng *r, uint32_t bound);

/* Uniform double in [0, 1) with 32 random bits. */
static inline double qisim_rng_uniform(qisim_rng *r)
{
    return qisim_rng_next(r) * (1.0 / 4294967296.0);
}

/* True with probability p (p <= 0 never, p >= 1 always). */
static inline int qisim_rng_chance(qisim_rng *r, double p)
{
    return qisim_rng_uniform(r) < p;
}

/* Standard normal draw (Box-Muller, two uniforms per draw: simple and stateless). */
double qisim_rng_normal(qisim_rng *r);

/* Beta(a, b) draw by the ratio of two gamma draws (Marsaglia-Tsang), a, b > 0. */
double qisim_rng_beta(qisim_rng *r, double a, double b);

/* Binomial(n, p) draw: exact by inversion (one uniform) when n*p*(1-p) <= 25, else the normal
 * approximation rounded and clamped to [0, n]. Used for whole-team counts. */
int32_t qisim_rng_binomial(qisim_rng *r, int32_t n, double p);

/* Geometric draw: the number of weeks (trials) up to and including the first success when
 * each has chance p: 1, 2, ... by inversion from one uniform. p >= 1 gives 1; p <= 0 never
 * succeeds (UINT32_MAX), as does a wait too long to count. Used to skip ahead over rare
 * events instead of drawing for them every week. */
uint32_t qisim_rng_geometric(qisim_rng *r, double p);

#endif
