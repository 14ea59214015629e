/* PCG32: published known answers, unbiased bounded draws, stream independence, distributions. */
#include "test_helpers.h"

#include "qisim/rng.h"

static void known_answers(void **state)
{
    (void)state;
    qisim_rng r;
    qisim_rng_seed(&r, 42u, 54u);
    assert_int_equal(qisim_rng_next(&r), 0xa15c02b7u);
    assert_int_equal(qisim_rng_next(&r), 0x7b47f409u);
    assert_int_equal(qisim_rng_next(&r), 0xba1d3330u);
    /* further values of the pcg32-demo sequence for (42, 54) */
    assert_int_equal(qisim_rng_next(&r), 0x83d2f293u);
    assert_int_equal(qisim_rng_next(&r), 0xbfa4784bu);
    assert_int_equal(qisim_rng_next(&r), 0xcbed606eu);
}

static void bounded_draws_are_uniform(void **state)
{
    (void)state;
    /* bound 3 over 300000 draws: each count ~ Binomial(300000, 1/3), sd ~ 258; 5 sd band */
    qisim_rng r;
    qisim_rng_seed(&r, 7u, 1u);
    int counts[3] = {0};
    for (int i = 0; i < 300000; i++) {
        uint32_t x = qisim_rng_below(&r, 3u);
        assert_true(x < 3u);
        counts[x]++;
    }
    for (int c = 0; c < 3; c++)
        assert_in_range(counts[c], 100000 - 1290, 100000 + 1290);
    /* a bound just above 2^31 is where modulo bias would be largest: the top half of
     * [0, bound) would be drawn half as often; rejection keeps P(x >= 2^31) = 1 - 2^31/bound */
    uint32_t bound = 0x80000001u + 0x40000000u;
    int high = 0;
    for (int i = 0; i < 100000; i++)
        high += qisim_rng_below(&r, bound) >= 0x80000000u;
    double expected = 100000.0 * (1.0 - 2147483648.0 / (double)bound);
    assert_close(high, expected, 5.0 * sqrt(expected));
    assert_int_equal(qisim_rng_below(&r, 1u), 0u);
}

static void streams_are_independent_and_reproducible(void **state)
{
    (void)state;
    qisim_rng a, b, c;
    qisim_rng_seed_stream(&a, 1u, 0u, 3);
    qisim_rng_seed_stream(&b, 1u, 0u, 3);
    qisim_rng_seed_stream(&c, 1u, 0u, 4);
    int same_ac = 0;
    for (int i = 0; i < 1000; i++) {
        uint32_t x = qisim_rng_next(&a);
        assert_int_equal(x, qisim_rng_next(&b));
        same_ac += x == qisim_rng_next(&c);
    }
    assert_true(same_ac < 3);
    qisim_rng d;
    qisim_rng_seed_stream(&d, 1u, 1u, 3); /* next replicate */
    qisim_rng_seed_stream(&a, 1u, 0u, 3);
    assert_int_not_equal(qisim_rng_next(&a), qisim_rng_next(&d));
}

static void distributions_have_their_moments(void **state)
{
    (void)state;
    qisim_rng r;
    qisim_rng_seed(&r, 99u, 5u);
    enum { N = 200000 };
    double sum = 0, sum2 = 0, bsum = 0;
    for (int i = 0; i < N; i++) {
        double z = qisim_rng_normal(&r);
        sum += z;
        sum2 += z * z;
        bsum += qisim_rng_beta(&r, 2.0, 6.0);
        double u = qisim_rng_uniform(&r);
        assert_true(u >= 0.0 && u < 1.0);
    }
    assert_close(sum / N, 0.0, 5.0 / sqrt(N));
    assert_close(sum2 / N, 1.0, 5.0 * sqrt(2.0 / N));
    /* Beta(2,6): mean 0.25, variance 0.0208 */
    assert_close(bsum / N, 0.25, 5.0 * sqrt(0.0208 / N));
    /* binomial: exact branch and normal branch */
    double k1 = 0, k2 = 0;
    for (int i = 0; i < 2000; i++) {
        k1 += qisim_rng_binomial(&r, 20, 0.3);
        k2 += qisim_rng_binomial(&r, 1000, 0.5);
    }
    assert_close(k1 / 2000, 6.0, 5.0 * sqrt(4.2 / 2000));
    assert_close(k2 / 2000, 500.0, 5.0 * sqrt(250.0 / 2000));
    assert_int_equal(qisim_rng_binomial(&r, 10, 0.0), 0);
    assert_int_equal(qisim_rng_binomial(&r, 10, 1.0), 10);
}

/* The inversion binomial gives the binomial's probabilities, not only its mean (each count's
 * frequency within 5 standard errors), on both sides of p = 0.5. */
static void team_counts_have_the_binomial_distribution(void **state)
{
    (void)state;
    qisim_rng r;
    qisim_rng_seed(&r, 99u, 5u);
    double big = 0.0; /* many trials, a small chance: still the inversion (variance 20) */
    for (int i = 0; i < 20000; i++)
        big += qisim_rng_binomial(&r, 100000, 0.0002);
    assert_close(big / 20000, 20.0, 5.0 * sqrt(20.0 / 20000));
    enum { DRAWS = 20000, N = 40 };
    const double ps[] = {0.05, 0.8};
    for (int c = 0; c < 2; c++) {
        int freq[N + 1] = {0};
        for (int i = 0; i < DRAWS; i++)
            freq[qisim_rng_binomial(&r, N, ps[c])]++;
        double pmf = pow(1.0 - ps[c], N);
        for (int k = 0; k <= N; k++) {
            double se = sqrt(pmf * (1.0 - pmf) / DRAWS);
            assert_close((double)freq[k] / DRAWS, pmf, 5.0 * se + 1e-4);
            pmf *= ps[c] / (1.0 - ps[c]) * (double)(N - k) / (double)(k + 1);
        }
    }
}

/* A geometric wait has the probabilities of the week-by-week draws it replaces: P(wait = k) =
 * (1 - p)^(k-1) p (each within 5 standard errors), for a rare event and a common one; and
 * the limits: certain at once, never. */
static void waits_have_the_geometric_distribution(void **state)
{
    (void)state;
    qisim_rng r;
    qisim_rng_seed(&r, 7u, 11u);
    enum { DRAWS = 40000, K = 30 };
    const double ps[] = {0.004, 0.2};
    for (int c = 0; c < 2; c++) {
        int freq[K + 2] = {0};
        double mean = 0.0;
        for (int i = 0; i < DRAWS; i++) {
            uint32_t g = qisim_rng_geometric(&r, ps[c]);
            assert_true(g >= 1);
            freq[g <= K ? g : K + 1]++;
            mean += g;
        }
        for (int k = 1; k <= K; k++) {
            double pmf = pow(1.0 - ps[c], k - 1) * ps[c], se = sqrt(pmf * (1.0 - pmf) / DRAWS);
            assert_close((double)freq[k] / DRAWS, pmf, 5.0 * se + 1e-4);
        }
        double sd = sqrt(1.0 - ps[c]) / ps[c];
        assert_close(mean / DRAWS, 1.0 / ps[c], 5.0 * sd / sqrt(DRAWS));
    }
    assert_int_equal(qisim_rng_geometric(&r, 1.0), 1);
    assert_int_equal(qisim_rng_geometric(&r, 1.5), 1);
    assert_true(qisim_rng_geometric(&r, 0.0) == UINT32_MAX);
    assert_true(qisim_rng_geometric(&r, -1.0) == UINT32_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_answers),
        cmocka_unit_test(bounded_draws_are_uniform),
        cmocka_unit_test(streams_are_independent_and_reproducible),
        cmocka_unit_test(distributions_have_their_moments),
        cmocka_unit_test(team_counts_have_the_binomial_distribution),
        cmocka_unit_test(waits_have_the_geometric_distribution),
    };
    return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
