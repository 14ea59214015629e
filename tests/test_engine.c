/* The engine alone: world storage, scheduler frame, aggregates and RNG build and link without
 * the model (the Makefile links this test against src/engine only), and a week is whatever
 * function it is given. */
#include "test_helpers.h"

#include "qisim/count.h"

#include <math.h>

/* A model of nothing but the count: what the engine needs of a week. */
static void count_only_week(qisim_world *w)
{
    for (int32_t t = 0; t < w->n_teams; t++)
        qisim_world_count_team(w, t);
    qisim_world_close_week(w);
}

static void a_week_is_the_function_given(void **state)
{
    (void)state;
    qisim_world *w = qisim_world_create(3, 0);
    assert_non_null(w);
    test_add_trusts(w, 2, 3, 10);
    qisim_err err;
    for (int week = 0; week < 3; week++) {
        assert_int_equal(qisim_world_advance(w, count_only_week, NULL, &err), QISIM_OK);
        w->staff.flags[week] |= QISIM_STAFF_VACANT; /* a post empties: the next week's count sees it */
    }
    assert_int_equal(w->week, 3);
    assert_int_equal(qisim_world_advance(w, count_only_week, NULL, &err), QISIM_OK);
    int32_t in_post = 0;
    for (int32_t i = 0; i < w->n_staff; i++)
        in_post += !(w->staff.flags[i] & QISIM_STAFF_VACANT);
    int32_t counted = 0;
    for (int32_t t = 0; t < w->n_teams; t++)
        counted += w->teams[t].counts.n_in_post;
    assert_int_equal(counted, in_post);
    assert_int_equal(w->trusts[0].stats.n_staff + w->trusts[1].stats.n_staff, in_post);
    qisim_world_free(w);
}

/* Counts taken this week become the aggregates only when the week closes: a phase reads last
 * week's whatever the order it runs in. */
static void counts_wait_for_the_close(void **state)
{
    (void)state;
    qisim_world *w = qisim_world_create(4, 0);
    assert_non_null(w);
    test_add_trusts(w, 1, 1, 10);
    qisim_err err;
    assert_int_equal(qisim_world_advance(w, count_only_week, NULL, &err), QISIM_OK);
    int32_t before = w->teams[0].counts.n_practising;
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.flags[i] = (uint8_t)(w->staff.flags[i] & ~QISIM_STAFF_VACANT) | QISIM_STAFF_PRACTISING;
    qisim_world_count_team(w, 0);
    assert_int_equal(w->teams[0].counts.n_practising, before);
    qisim_world_close_week(w);
    assert_int_equal(w->teams[0].counts.n_practising, w->n_staff);
    qisim_world_free(w);
}

/* The count's table of what contacts see is qisim_network_seen_of for every flags byte. */
static void seen_table_matches_seen_of(void **state)
{
    (void)state;
    for (int f = 0; f < 256; f++)
        assert_int_equal(qisim_seen_of_flags[f], qisim_network_seen_of((uint8_t)f));
}

/* qisim_fmin and qisim_fmax give libm's fmin and fmax bit for bit: signed zeros, infinities,
 * and a NaN beside a number (two NaNs give a NaN). */
static void fmin_fmax_match_libm(void **state)
{
    (void)state;
    const double v[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1e-300, -1e300, INFINITY, -INFINITY, NAN};
    size_t n = sizeof v / sizeof v[0];
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) {
            /* volatile, so that libm's answer is computed here, not folded by the compiler */
            volatile double x = v[a], y = v[b];
            double mine[2] = {qisim_fmin(x, y), qisim_fmax(x, y)}, libm[2] = {fmin(x, y), fmax(x, y)};
            for (int k = 0; k < 2; k++)
                if (isnan(libm[k]))
                    assert_true(isnan(mine[k]));
                else /* equal as values: of two zeros, C lets either be returned (world.h) */
                    assert_true(mine[k] == libm[k]);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fmin_fmax_match_libm),
        cmocka_unit_test(seen_table_matches_seen_of),
        cmocka_unit_test(a_week_is_the_function_given),
        cmocka_unit_test(counts_wait_for_the_close),
    };
    return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
