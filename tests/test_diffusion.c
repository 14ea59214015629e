/* The staff network's construction and the diffusion literature's limit cases on it: Bass in a
 * well-mixed crowd, Granovetter's threshold crowd, Centola & Macy's clustered versus random ties. */
#include "test_helpers.h"

#include <stdbool.h>
#include <unistd.h>

#include "qisim/io.h"
#include "qisim/metrics.h"
#include "qisim/model.h"
#include "qisim/scenario.h"
#include "qisim/world.h"

/* ---- worlds -------------------------------------------------------------------------------------- */

static const int mechanism_switches[] = {
    QP_SHOCKS_ON, QP_WORKFORCE_ON, QP_TIME_ON, QP_LEADERSHIP_ON, QP_TRAINING_ON, QP_SPREAD_ON, QP_PROJECTS_ON,
    QP_DATA_ON, QP_PATIENTS_ON, QP_CULTURE_ON, QP_INTERORG_ON, QP_REGULATION_ON, QP_OUTCOMES_ON, QP_JOURNEY_ON,
};

/* `trusts` trusts in one region of `teams` teams of `size` posts, with no vacancies, trainees
 * or opinion leaders (unless leaders), every mechanism but spread off, a network declared
 * with the given within-team degree and rewiring, nothing else (across = region = 0). Every
 * member has the know-how and time to practise, and framing is neutral, so spread alone
 * decides who adopts. */
static qisim_world *crowd(uint64_t seed, int32_t trusts, int32_t teams, int32_t size, int within, double rewire,
                          bool leaders)
{
    qisim_world *w = qisim_world_create(seed, 0);
    assert_non_null(w);
    double *p = w->params.v;
    p[QP_BUILD_VACANCY_SHARE] = 0.0;
    p[QP_BUILD_TRAINEE_SHARE] = 0.0;
    p[QP_BUILD_OPINION_LEADER_SHARE] = leaders ? 0.2 : 0.0;
    for (size_t k = 0; k < sizeof mechanism_switches / sizeof mechanism_switches[0]; k++)
        p[mechanism_switches[k]] = 0.0;
    p[QP_SPREAD_ON] = 1.0;
    p[QP_SPREAD_COST_FRAMING] = 0.0; /* the only framing that applies without a programme or strategy */
    p[QP_NETWORK_ON] = 1.0;
    p[QP_NETWORK_WITHIN] = within;
    p[QP_NETWORK_ACROSS] = 0.0;
    p[QP_NETWORK_REGION] = 0.0;
    p[QP_NETWORK_REWIRE] = rewire;
    test_add_trusts(w, trusts, teams, size);
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.knowhow[i] = 1.0f;
    for (int32_t t = 0; t < w->n_teams; t++)
        w->teams[t].qi_time = p[QP_TRAINING_TIME_NEEDED]; /* the time mechanism is off: it stays */
    qisim_world_aggregate(w);
    return w;
}

static void build(qisim_world *w)
{
    qisim_err err;
    int rc = qisim_network_build(w, &err);
    if (rc)
        print_error("network: %s\n", err.msg);
    assert_int_equal(rc, QISIM_OK);
}

static void step(qisim_world *w)
{
    qisim_err err;
    int rc = qisim_world_step(w, NULL, &err);
    if (rc)
        print_error("step failed: %s\n", err.msg);
    assert_int_equal(rc, QISIM_OK);
}

static int32_t practising(const qisim_world *w)
{
    int32_t n = 0;
    for (int32_t i = 0; i < w->n_staff; i++)
        n += (w->staff.flags[i] & QISIM_STAFF_PRACTISING) != 0;
    return n;
}

static int32_t degree(const qisim_world *w, int32_t i) { return w->net.offsets[i + 1] - w->net.offsets[i]; }

static bool tied(const qisim_world *w, int32_t a, int32_t b)
{
    for (int32_t e = w->net.offsets[a]; e < w->net.offsets[a + 1]; e++)
        if (w->net.ties[e] == b)
            return true;
    return false;
}

/* ---- construction ----------------------------------------------------------------------------------- */

/* Rows sorted without repeats or self-ties, every tie in both rows, ids in range. */
static void assert_well_formed(const qisim_world *w)
{
    assert_int_equal(w->net.offsets[0], 0);
    for (int32_t i = 0; i < w->n_staff; i++) {
        for (int32_t e = w->net.offsets[i]; e < w->net.offsets[i + 1]; e++) {
            int32_t j = w->net.ties[e];
            assert_true(j >= 0 && j < w->n_staff);
            assert_int_not_equal(j, i);
            if (e > w->net.offsets[i])
                assert_true(w->net.ties[e - 1] < j);
            assert_true(tied(w, j, i));
        }
    }
}

static void network_ring_lattice_is_exact(void **state)
{
    (void)state;
    /* 2 teams of 50 with degree 6: a ring lattice's clustering is 3(k-2)/(4(k-1)) = 0.6 */
    qisim_world *w = crowd(3, 1, 2, 50, 6, 0.0, false);
    build(w);
    assert_well_formed(w);
    for (int32_t i = 0; i < w->n_staff; i++)
        assert_int_equal(degree(w, i), 6);
    assert_true(tied(w, 0, 49) && tied(w, 0, 3) && !tied(w, 0, 4) && !tied(w, 49, 50));
    assert_close(qisim_metric_value(w, qisim_metric_find("network_degree"), QISIM_LEVEL_SYSTEM, 0), 6.0, 1e-12);
    assert_close(qisim_metric_value(w, qisim_metric_find("network_clustering"), QISIM_LEVEL_SYSTEM, 0), 0.6, 1e-12);
    assert_close(qisim_metric_value(w, qisim_metric_find("network_long_ties"), QISIM_LEVEL_TRUST, 0), 0.0, 1e-12);
    qisim_world_free(w);

    /* a team no bigger than the degree is complete */
    w = crowd(3, 1, 1, 5, 8, 0.0, false);
    build(w);
    for (int32_t i = 0; i < w->n_staff; i++)
        assert_int_equal(degree(w, i), 4);
    assert_close(qisim_metric_value(w, qisim_metric_find("network_clustering"), QISIM_LEVEL_SYSTEM, 0), 1.0, 1e-12);
    qisim_world_free(w);
}

static void network_long_ties_hubs_and_rewiring(void **state)
{
    (void)state;
    /* three trusts of 10 teams of 30: across and region ties leave the team */
    qisim_world *w = crowd(5, 3, 10, 30, 8, 0.0, true);
    w->params.v[QP_NETWORK_ACROSS] = 2;
    w->params.v[QP_NETWORK_REGION] = 1;
    w->params.v[QP_NETWORK_HUB] = 3;
    build(w);
    assert_well_formed(w);
    double leaders = 0, others = 0, n_leaders = 0, n_others = 0, long_ties = 0, cross_trust = 0;
    for (int32_t i = 0; i < w->n_staff; i++) {
        bool hub = (w->staff.flags[i] & QISIM_STAFF_OPINION_LEADER) != 0;
        *(hub ? &leaders : &others) += degree(w, i);
        *(hub ? &n_leaders : &n_others) += 1;
        for (int32_t e = w->net.offsets[i]; e < w->net.offsets[i + 1]; e++) {
            long_ties += w->net.ties[e] / 30 != i / 30;
            cross_trust += w->net.ties[e] / 300 != i / 300;
        }
    }
    double ties = w->net.offsets[w->n_staff];
    print_message("hubs: %.0f leaders of mean degree %.2f, others %.2f\n", n_leaders, leaders / n_leaders, others / n_others);
    assert_true(n_leaders > 20);
    /* opinion leaders' within and across ties x 3 (30 + 1 region tie), less the repeats a team of
     * 30 makes inevitable; others gain the hubs' ties at their end */
    assert_true(leaders / n_leaders > 2.0 * (8 + 2 + 1));
    assert_true(others / n_others > 8 + 2 + 1 - 0.5 && leaders / n_leaders > 1.5 * (others / n_others));
    assert_close(qisim_metric_value(w, qisim_metric_find("network_long_ties"), QISIM_LEVEL_SYSTEM, 0), long_ties / ties,
                 1e-12);
    assert_true(cross_trust > 0.5 * w->n_staff && cross_trust < 1.5 * w->n_staff); /* region = 1 per member */
    qisim_world_free(w);

    /* rewiring, without hubs: fewer triangles at the same number of ties (less a few repeats) */
    double clustering[2], n_ties[2];
    for (int k = 0; k < 2; k++) {
        qisim_world *r = crowd(5, 3, 10, 30, 8, k ? 1.0 : 0.0, false);
        r->params.v[QP_NETWORK_ACROSS] = 2;
        r->params.v[QP_NETWORK_REGION] = 1;
        build(r);
        assert_well_formed(r);
        clustering[k] = qisim_metric_value(r, qisim_metric_find("network_clustering"), QISIM_LEVEL_SYSTEM, 0);
        n_ties[k] = r->net.offsets[r->n_staff];
        qisim_world_free(r);
    }
    print_message("rewiring: clustering %.3f -> %.3f, tie ends %.0f -> %.0f\n", clustering[0], clustering[1], n_ties[0],
                  n_ties[1]);
    assert_true(clustering[1] < clustering[0] / 3.0);
    assert_true(fabs(n_ties[1] - n_ties[0]) < 0.02 * n_ties[0]);
}

static void network_is_a_function_of_the_seed(void **state)
{
    (void)state;
    qisim_world *a = crowd(11, 2, 4, 25, 6, 0.3, true), *b = crowd(11, 2, 4, 25, 6, 0.3, true);
    a->params.v[QP_NETWORK_ACROSS] = b->params.v[QP_NETWORK_ACROSS] = 3;
    /* draws in other streams before the build do not change it */
    qisim_rng_next(&b->rng[QISIM_STREAM_NETWORK]);
    qisim_rng_next(&b->rng[QISIM_STREAM_SPREAD]);
    build(a);
    build(b);
    assert_int_equal(a->net.offsets[a->n_staff], b->net.offsets[b->n_staff]);
    assert_memory_equal(a->net.offsets, b->net.offsets, sizeof *a->net.offsets * (size_t)(a->n_staff + 1));
    assert_memory_equal(a->net.ties, b->net.ties, sizeof *a->net.ties * (size_t)a->net.offsets[a->n_staff]);
    qisim_world *c = crowd(12, 2, 4, 25, 6, 0.3, true);
    c->params.v[QP_NETWORK_ACROSS] = 3;
    build(c);
    assert_true(c->net.offsets[c->n_staff] != a->net.offsets[a->n_staff] ||
                memcmp(c->net.ties, a->net.ties, sizeof *a->net.ties * (size_t)a->net.offsets[a->n_staff]) != 0);
    qisim_world_free(a);
    qisim_world_free(b);
    qisim_world_free(c);
}

/* A run continued from a checkpoint goes on exactly as the run that wrote it: the network
 * travels in the file (it could not be rebuilt later: its hubs are week 0's opinion leaders,
 * and workforce turnover redraws who leads). */
static void network_survives_a_checkpoint(void **state)
{
    (void)state;
    char path[96];
    snprintf(path, sizeof path, "/tmp/qisim-diffusion-ck-%ld.bin", (long)getpid());
    qisim_world *a = crowd(41, 2, 6, 20, 6, 0.2, true), *b = crowd(41, 2, 6, 20, 6, 0.2, true);
    a->params.v[QP_NETWORK_ACROSS] = b->params.v[QP_NETWORK_ACROSS] = 2;
    a->params.v[QP_WORKFORCE_ON] = b->params.v[QP_WORKFORCE_ON] = 1.0;
    a->params.v[QP_SPREAD_EXTERNAL] = b->params.v[QP_SPREAD_EXTERNAL] = 0.002;
    for (int t = 0; t < 10; t++)
        step(a);
    qisim_err err;
    assert_int_equal(qisim_network_second(a, 0, 7, 3, 15, &err), QISIM_OK); /* bridges are saved too */
    assert_true(a->net.n_bridges > 0);
    assert_int_equal(qisim_checkpoint_save(a, path, &err), QISIM_OK);
    int rc = qisim_checkpoint_restore(b, path, &err);
    if (rc)
        print_error("restore: %s\n", err.msg);
    assert_int_equal(rc, QISIM_OK);
    remove(path);
    assert_non_null(b->net.offsets);
    assert_memory_equal(a->net.offsets, b->net.offsets, sizeof *a->net.offsets * (size_t)(a->n_staff + 1));
    assert_memory_equal(a->net.ties, b->net.ties, sizeof *a->net.ties * (size_t)a->net.offsets[a->n_staff]);
    assert_int_equal(a->net.n_bridges, b->net.n_bridges);
    assert_memory_equal(a->net.bridges, b->net.bridges, sizeof *a->net.bridges * (size_t)a->net.n_bridges);
    assert_memory_equal(a->net.former, b->net.former, sizeof *a->net.former * (size_t)a->n_staff);
    for (int t = 0; t < 20; t++) {
        step(a);
        step(b);
    }
    assert_true(practising(a) > 0);
    assert_memory_equal(a->staff.flags, b->staff.flags, (size_t)a->n_staff);
    qisim_world_free(a);
    qisim_world_free(b);
}

/* ---- (a) Bass in a well-mixed crowd ------------------------------------------------------------------ */

/* A complete graph of N members (one team, within >= N - 1), rule "share", spread.external = p,
 * spread.rate = q. A non-adopter adopts with chance p + q·A/(N−1), A the adopters among the
 * others at the start of the week (synchronous). The expected share then follows the discrete
 * Bass map F(t+1) = F(t) + (p + q·F(t))·(1 − F(t)) up to two finite-N terms: A/(N−1) = F·N/(N−1)
 * (a relative 1/(N−1)) and Jensen's gap of a map applied to a random F (about q·Var F ≤ q/(4N)).
 * Weekly steps make this the DISCRETE map, not the continuous Bass curve
 * F(t) = (1 − e^{−(p+q)t}) / (1 + (q/p)·e^{−(p+q)t}); the test prints how far the two are apart
 * (the time step's discretisation bias), and compares the model with the discrete map within
 * 4 standard errors over replicates plus 1/N for the finite-N terms. */
static void bass_well_mixed(void **state)
{
    (void)state;
    enum { N = 500, R = 40, T = 30 };
    const double p = 0.01, q = 0.4;
    static double share[R][T + 1];
    for (int rep = 0; rep < R; rep++) {
        qisim_world *w = crowd(1000 + (uint64_t)rep, 1, 1, N, 1000, 0.0, false);
        w->params.v[QP_NETWORK_RULE] = 3; /* share */
        w->params.v[QP_SPREAD_EXTERNAL] = p;
        w->params.v[QP_SPREAD_RATE] = q;
        share[rep][0] = 0.0;
        for (int t = 1; t <= T; t++) {
            step(w);
            share[rep][t] = (double)practising(w) / N;
        }
        qisim_world_free(w);
    }
    double bass = 0.0, worst = 0.0, worst_tol = 0.0, discretisation = 0.0;
    int worst_t = 0;
    for (int t = 1; t <= T; t++) {
        bass += (p + q * bass) * (1.0 - bass);
        double mean = 0.0, var = 0.0;
        for (int rep = 0; rep < R; rep++)
            mean += share[rep][t] / R;
        for (int rep = 0; rep < R; rep++)
            var += (share[rep][t] - mean) * (share[rep][t] - mean) / (R - 1);
        double tol = 4.0 * sqrt(var / R) + 1.0 / N;
        double continuous = (1.0 - exp(-(p + q) * t)) / (1.0 + (q / p) * exp(-(p + q) * t));
        if (fabs(bass - continuous) > discretisation)
            discretisation = fabs(bass - continuous);
        if (fabs(mean - bass) > worst) {
            worst = fabs(mean - bass);
            worst_tol = tol;
            worst_t = t;
        }
        assert_close(mean, bass, tol);
    }
    print_message("bass: p %.2f q %.2f, N %d x %d replicates: worst |mean F - discrete Bass| %.4f at week %d "
                  "(tolerance there %.4f); discrete vs continuous Bass differ by up to %.3f\n",
                  p, q, N, R, worst, worst_t, worst_tol, discretisation);
}

/* ---- (b) Granovetter's threshold crowd ----------------------------------------------------------------- */

/* N members on a complete graph, rule "fraction", member i with threshold i/N. With A of the
 * others practising a member's share is A/(N−1), which reaches i/N exactly when A >= i (for
 * 0 < i < N: i − i/N < A ⇔ A ≥ i), so the fraction rule here is Granovetter's count threshold
 * i. With spread.rate = 1 member i adopts in week i + 1 and the crowd cascades fully; raise
 * member 1's threshold to 2/N and the cascade stops after member 0. */
static int32_t granovetter(bool perturb, int32_t *weeks)
{
    enum { N = 100 };
    qisim_world *w = crowd(21, 1, 1, N, 1000, 0.0, false);
    w->params.v[QP_NETWORK_RULE] = 0; /* fraction */
    w->params.v[QP_SPREAD_RATE] = 1.0;
    for (int32_t i = 0; i < N; i++)
        w->staff.threshold[i] = (float)i / N;
    if (perturb)
        w->staff.threshold[1] = 2.0f / N;
    *weeks = -1;
    for (int32_t t = 1; t <= 2 * N; t++) {
        step(w);
        if (*weeks < 0 && practising(w) == N)
            *weeks = t;
    }
    int32_t n = practising(w);
    qisim_world_free(w);
    return n;
}

static void granovetter_crowd(void **state)
{
    (void)state;
    int32_t weeks, weeks_perturbed;
    int32_t full = granovetter(false, &weeks), stopped = granovetter(true, &weeks_perturbed);
    print_message("granovetter: thresholds 0..99/100 -> %d of 100 practise (all by week %d); member 1 at 2/100 -> %d\n",
                  full, weeks, stopped);
    assert_int_equal(full, 100);
    assert_int_equal(weeks, 100); /* one a week: each adopter tips exactly the next */
    assert_int_equal(stopped, 1);
}

/* The count rule's own crowd: on a complete graph with network.count = c, c − 1 practisers
 * convert nobody, c convert everyone the next week (the homogeneous threshold crowd). */
static void count_rule_needs_count_distinct_contacts(void **state)
{
    (void)state;
    for (int seeds = 2; seeds <= 3; seeds++) {
        qisim_world *w = crowd(31, 1, 1, 40, 1000, 0.0, false);
        w->params.v[QP_NETWORK_RULE] = 1; /* count */
        w->params.v[QP_NETWORK_COUNT] = 3;
        w->params.v[QP_SPREAD_RATE] = 1.0;
        for (int32_t i = 0; i < seeds; i++)
            w->staff.flags[i] |= QISIM_STAFF_PRACTISING;
        for (int t = 0; t < 5; t++)
            step(w);
        assert_int_equal(practising(w), seeds == 3 ? 40 : 2);
        qisim_world_free(w);
    }
}

/* spread.external is the Bass p with or without a network: at 1 every member who could practise
 * starts at once, even with no peer practising and thresholds out of reach. */
static void external_influence_without_peers(void **state)
{
    (void)state;
    for (int net = 0; net <= 1; net++) {
        qisim_world *w = crowd(51, 1, 4, 20, 6, 0.0, false);
        w->params.v[QP_NETWORK_ON] = net;
        for (int32_t i = 0; i < w->n_staff; i++)
            w->staff.threshold[i] = 0.9f;
        step(w);
        assert_int_equal(practising(w), 0);
        w->params.v[QP_SPREAD_EXTERNAL] = 1.0;
        step(w);
        assert_int_equal(practising(w), 80);
        assert_true((w->net.offsets != NULL) == (net == 1));
        qisim_world_free(w);
    }
}

/* ---- (c) Centola & Macy: clustered versus random ties --------------------------------------------------- */

/* One team of N on a ring lattice of degree 6, rewired with chance `rewire`, four adjacent
 * members practising, spread.rate = 1 and rule count = `count`. Returns who practises after
 * `weeks` and, in *full, the week everyone practised (-1 if never). */
static int32_t ring_run(uint64_t seed, double rewire, int count, int32_t weeks, int32_t *full)
{
    enum { N = 400 };
    qisim_world *w = crowd(seed, 1, 1, N, 6, rewire, false);
    w->params.v[QP_NETWORK_RULE] = 1; /* count */
    w->params.v[QP_NETWORK_COUNT] = count;
    w->params.v[QP_SPREAD_RATE] = 1.0;
    for (int32_t i = 0; i < 4; i++)
        w->staff.flags[i] |= QISIM_STAFF_PRACTISING;
    *full = -1;
    for (int32_t t = 1; t <= weeks && *full < 0; t++) {
        step(w);
        if (practising(w) == N)
            *full = t;
    }
    int32_t n = practising(w);
    qisim_world_free(w);
    return n;
}

static void centola_macy_clustering(void **state)
{
    (void)state;
    enum { R = 10, N = 400, WEEKS = 300 };
    double complex_clustered = 0, complex_random = 0, simple_clustered_weeks = 0, simple_random_weeks = 0;
    int32_t complex_random_max = 0;
    for (int rep = 0; rep < R; rep++) {
        int32_t full;
        int32_t n = ring_run(100 + (uint64_t)rep, 0.0, 2, WEEKS, &full);
        assert_int_equal(n, N); /* complex contagion crosses a clustered lattice */
        complex_clustered += (double)n / N / R;
        n = ring_run(100 + (uint64_t)rep, 1.0, 2, WEEKS, &full);
        complex_random += (double)n / N / R;
        if (n > complex_random_max)
            complex_random_max = n;
        assert_true(n <= N / 10); /* and stalls near its seed once the ties are random */
        ring_run(100 + (uint64_t)rep, 0.0, 1, WEEKS, &full);
        assert_true(full > 0);
        simple_clustered_weeks += (double)full / R;
        int32_t lattice = full;
        ring_run(100 + (uint64_t)rep, 1.0, 1, WEEKS, &full);
        assert_true(full > 0 && 3 * full < lattice); /* simple contagion: random ties are shortcuts */
        simple_random_weeks += (double)full / R;
    }
    print_message("centola-macy: ring of %d, degree 6, 4 seeds, %d replicates: count 2 reaches %.3f clustered vs %.3f "
                  "random (at most %d of %d); count 1 reaches everyone in %.1f weeks clustered vs %.1f random\n",
                  N, R, complex_clustered, complex_random, complex_random_max, N, simple_clustered_weeks,
                  simple_random_weeks);
}


/* ---- champions, disintegration, bundling, people who move, targets ---------------------------------- */

/* Committed champions practise through every week in which others lapse (with commitment that
 * does not fade: its fading and renewal are tested in test_governance.c). */
static void champions_do_not_lapse(void **state)
{
    (void)state;
    qisim_world *w = crowd(11, 1, 10, 20, 6, 0.0, false);
    w->params.v[QP_TRAINING_ON] = 1.0;
    w->params.v[QP_TRAINING_DROP] = 0.05;
    w->params.v[QP_TRAINING_CHAMPION_FADE_WEEKS] = 0.0;
    build(w);
    qisim_err err;
    int32_t champion_team[] = {0, 1, 2, 3, 4};
    qisim_target target = {champion_team, 5, QISIM_TARGET_ANYONE, 1.0};
    assert_int_equal(qisim_spread_champions(w, 0, &target, &err), QISIM_OK);
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.flags[i] |= QISIM_STAFF_PRACTISING;
    qisim_world_aggregate(w);
    for (int week = 0; week < 20; week++)
        step(w);
    int32_t champions = 0, others = 0;
    for (int32_t i = 0; i < w->n_staff; i++) {
        bool champion = i < w->teams[5].first_staff;
        assert_true(((w->staff.flags[i] & QISIM_STAFF_CHAMPION) != 0) == champion);
        if (w->staff.flags[i] & QISIM_STAFF_PRACTISING)
            (champion ? champions++ : others++);
    }
    assert_int_equal(champions, w->teams[5].first_staff); /* every champion still practises */
    assert_true(others < w->n_staff - w->teams[5].first_staff); /* while others lapsed */
    qisim_world_free(w);
}

/* Lapses in one week among members who practise alone in their team (no practising contact,
 * so no credible core), over `worlds` worlds of 100 teams. */
static int32_t lapses_alone(double no_core_lapse, int worlds, int32_t *at_risk)
{
    int32_t lapsed = 0;
    *at_risk = 0;
    for (int k = 0; k < worlds; k++) {
        qisim_world *w = crowd(200 + (uint64_t)k, 1, 100, 10, 4, 0.0, false);
        w->params.v[QP_SPREAD_ON] = 0.0; /* lapses alone: nobody re-adopts in the same week */
        w->params.v[QP_TRAINING_ON] = 1.0;
        w->params.v[QP_TRAINING_DROP] = 0.05;
        w->params.v[QP_NETWORK_NO_CORE_LAPSE] = no_core_lapse;
        build(w);
        for (int32_t t = 0; t < w->n_teams; t++)
            w->staff.flags[w->teams[t].first_staff] |= QISIM_STAFF_PRACTISING;
        qisim_world_aggregate(w);
        double strained = 1.0 + w->params.v[QP_TRAINING_DROP_STRAIN] * (double)w->staff.strain[0];
        assert_close(strained, 1.0 + w->params.v[QP_TRAINING_DROP_STRAIN] * (double)w->staff.strain[1], 1e-12);
        step(w);
        for (int32_t t = 0; t < w->n_teams; t++)
            lapsed += !(w->staff.flags[w->teams[t].first_staff] & QISIM_STAFF_PRACTISING);
        *at_risk += w->n_teams;
        qisim_world_free(w);
    }
    return lapsed;
}

/* R:L3117-3128: practice without a core of credible leaders disintegrates. A member who
 * practises with no practising contact lapses (1 + network.no_core_lapse) times as often as
 * training.drop alone says; with the knock-out (no_core_lapse = 0) at the base rate. And a
 * practising team with opinion leaders among them keeps its members: the peer-retained rate. */
static void practice_disintegrates_without_a_core(void **state)
{
    (void)state;
    enum { WORLDS = 40 };
    int32_t n;
    qisim_world *probe = crowd(1, 1, 1, 10, 4, 0.0, false);
    double alone = 0.05 * (1.0 + probe->params.v[QP_TRAINING_DROP_STRAIN] * (double)probe->staff.strain[0]);
    qisim_world_free(probe);
    int32_t with_core_rule = lapses_alone(1.0, WORLDS, &n), knocked_out = lapses_alone(0.0, WORLDS, &n);
    double sd2 = sqrt(n * 2 * alone * (1 - 2 * alone)), sd1 = sqrt(n * alone * (1 - alone));
    print_message("disintegration: %d members alone, lapsed in a week %d (expected %.0f +- %.0f) with "
                  "network.no_core_lapse 1, %d (expected %.0f +- %.0f) with 0\n",
                  n, with_core_rule, n * 2 * alone, sd2, knocked_out, n * alone, sd1);
    assert_true(fabs(with_core_rule - n * 2 * alone) <= 4 * sd2);
    assert_true(fabs(knocked_out - n * alone) <= 4 * sd1);

    /* whole practising teams with opinion leaders: each member lapses at the rate their own
     * contacts give (retained by their share, faster without a leader among them) */
    int32_t lapsed = 0, members = 0;
    double expected = 0.0, variance = 0.0;
    for (int k = 0; k < 10; k++) {
        qisim_world *w = crowd(300 + (uint64_t)k, 1, 40, 10, 4, 0.0, true);
        w->params.v[QP_SPREAD_ON] = 0.0;
        w->params.v[QP_TRAINING_ON] = 1.0;
        w->params.v[QP_TRAINING_DROP] = 0.05;
        build(w);
        for (int32_t i = 0; i < w->n_staff; i += 3) /* every third member practises */
            w->staff.flags[i] |= QISIM_STAFF_PRACTISING;
        qisim_world_aggregate(w);
        const double *p = w->params.v;
        for (int32_t i = 0; i < w->n_staff; i++) {
            if (!(w->staff.flags[i] & QISIM_STAFF_PRACTISING))
                continue;
            qisim_contacts c = qisim_network_contacts(w, &w->teams[i / 10], i, p[QP_SPREAD_OPINION_LEADER_WEIGHT]);
            double h = alone * (1.0 - p[QP_TRAINING_PEER_RETENTION] * c.share) * (c.core ? 1.0 : 2.0);
            expected += h;
            variance += h * (1.0 - h);
            members++;
        }
        step(w);
        for (int32_t i = 0; i < w->n_staff; i += 3)
            lapsed += !(w->staff.flags[i] & QISIM_STAFF_PRACTISING);
        qisim_world_free(w);
    }
    print_message("disintegration: %d members with practising contacts, lapsed %d (expected %.0f +- %.0f from their "
                  "contacts; %.0f if all were alone)\n", members, lapsed, expected, sqrt(variance), members * 2 * alone);
    assert_true(fabs(lapsed - expected) <= 4 * sqrt(variance));
    assert_true(expected < 0.9 * members * 2 * alone); /* contacts retain: fewer lapse than alone */
}

/* B:L732: bundled with other initiatives, a programme has a less distinct identity: the same
 * exposure that starts members practising no longer does. */
static void bundling_raises_thresholds(void **state)
{
    (void)state;
    int32_t adopted[2];
    for (int bundled = 0; bundled < 2; bundled++) {
        qisim_world *w = crowd(21, 1, 10, 10, 10, 0.0, false); /* teams of 10, complete graphs */
        w->params.v[QP_SPREAD_RATE] = 1.0;
        w->params.v[QP_SPREAD_BUNDLING] = 0.25;
        w->trusts[0].parallel_initiatives = bundled ? 1.0 : 0.0;
        build(w);
        for (int32_t t = 0; t < w->n_teams; t++)
            for (int32_t j = 0; j < 4; j++)
                w->staff.flags[w->teams[t].first_staff + j] |= QISIM_STAFF_PRACTISING;
        for (int32_t i = 0; i < w->n_staff; i++)
            w->staff.threshold[i] = 0.4f; /* 4 of 9 contacts: 0.44 >= 0.4, but < 0.4 x 1.25 */
        qisim_world_aggregate(w);
        int32_t before = practising(w);
        step(w);
        adopted[bundled] = practising(w) - before;
        qisim_world_free(w);
    }
    assert_int_equal(adopted[0], 60);
    assert_int_equal(adopted[1], 0);
}

/* B:L4230, B:L3817: trainees who rotate within the region take their training and practice to
 * another trust; with workforce.rotation_stay = 0 (the knock-out) they leave with it. */
static void rotating_trainees_carry_their_skills(void **state)
{
    (void)state;
    int32_t carried[2], tenure_reset = 0;
    for (int stay = 0; stay < 2; stay++) {
        qisim_world *w = qisim_world_create(31, 0);
        assert_non_null(w);
        double *p = w->params.v;
        for (size_t k = 0; k < sizeof mechanism_switches / sizeof mechanism_switches[0]; k++)
            p[mechanism_switches[k]] = 0.0;
        p[QP_WORKFORCE_ON] = 1.0;
        p[QP_WORKFORCE_TURNOVER] = 0.0;
        p[QP_BUILD_TRAINEE_SHARE] = 0.2;
        p[QP_WORKFORCE_ROTATION_STAY] = stay;
        test_add_trusts(w, 2, 10, 20);
        for (int32_t i = 0; i < w->n_staff; i++) {
            bool first_trust = i < w->trusts[1].first_staff;
            w->staff.tier[i] = first_trust && w->staff.role[i] == QISIM_ROLE_TRAINEE ? QISIM_TIER_PRACTITIONER : 0;
        }
        qisim_world_aggregate(w);
        for (int week = 0; week < 20; week++) { /* every trainee rotates once (rotation_weeks 17) */
            step(w);
            /* no post is left with an event in the past: movers' waits are drawn afresh in
             * their new posts (a stale one would meet a chance to leave at the bound) */
            for (int32_t i = 0; i < w->n_staff; i++)
                assert_true(w->staff.due_week[i] >= (uint32_t)w->week);
        }
        carried[stay] = 0;
        for (int32_t i = w->trusts[1].first_staff; i < w->n_staff; i++)
            carried[stay] += w->staff.tier[i] == QISIM_TIER_PRACTITIONER;
        for (int32_t i = w->trusts[1].first_staff; stay && i < w->n_staff; i++)
            if (w->staff.role[i] == QISIM_ROLE_TRAINEE && w->staff.tier[i] == QISIM_TIER_PRACTITIONER) {
                assert_true(w->staff.tenure[i] < 20); /* a carried skill came with someone new in post */
                tenure_reset++;
            }
        qisim_world_free(w);
    }
    print_message("rotation: practitioner-trained trainees in the second trust after 20 weeks: %d (stay 1) vs %d "
                  "(stay 0)\n", carried[1], carried[0]);
    assert_int_equal(carried[0], 0);
    assert_true(carried[1] >= 5); /* about half of the first trust's ~40 trainees */
    assert_true(tenure_reset > 0);
}

static bool anyone_in_post(const qisim_world *w, int32_t i, const void *ctx)
{
    (void)ctx;
    return !(w->staff.flags[i] & QISIM_STAFF_VACANT);
}

/* Targets reach whom they say: listed teams only, opinion leaders only, the most connected. */
static void targets_reach_whom_they_say(void **state)
{
    (void)state;
    qisim_world *w = crowd(41, 2, 10, 20, 6, 0.0, true);
    w->params.v[QP_NETWORK_ACROSS] = 2.0;
    w->params.v[QP_NETWORK_HUB] = 3.0;
    qisim_err err;
    int32_t *chosen, n;
    qisim_target no_network = {NULL, 0, QISIM_TARGET_CONNECTED, 0.1};
    assert_int_equal(qisim_target_pick(w, 0, &no_network, anyone_in_post, NULL, &w->rng[QISIM_STREAM_SPREAD], &chosen,
                                       &n, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "needs the staff network"));
    build(w);
    int32_t teams[] = {2, 3};
    qisim_target listed = {teams, 2, QISIM_TARGET_ANYONE, 1.0};
    assert_int_equal(qisim_target_pick(w, 0, &listed, anyone_in_post, NULL, &w->rng[QISIM_STREAM_SPREAD], &chosen, &n, &err),
                     QISIM_OK);
    assert_int_equal(n, 40);
    assert_int_equal(chosen[0], w->teams[2].first_staff);
    assert_int_equal(chosen[39], w->teams[3].first_staff + 19);
    free(chosen);
    int32_t other[] = {12};
    qisim_target elsewhere = {other, 1, QISIM_TARGET_ANYONE, 1.0};
    assert_int_equal(qisim_target_pick(w, 0, &elsewhere, anyone_in_post, NULL, &w->rng[QISIM_STREAM_SPREAD], &chosen, &n,
                                       &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "is not a team of trust"));
    qisim_target leaders = {NULL, 0, QISIM_TARGET_OPINION_LEADERS, 1.0};
    assert_int_equal(qisim_target_pick(w, 1, &leaders, anyone_in_post, NULL, &w->rng[QISIM_STREAM_SPREAD], &chosen, &n, &err),
                     QISIM_OK);
    int32_t leaders_in_trust = 0;
    for (int32_t i = w->trusts[1].first_staff; i < w->n_staff; i++)
        leaders_in_trust += (w->staff.flags[i] & QISIM_STAFF_OPINION_LEADER) != 0;
    assert_int_equal(n, leaders_in_trust);
    for (int32_t k = 0; k < n; k++)
        assert_true(chosen[k] >= w->trusts[1].first_staff && (w->staff.flags[chosen[k]] & QISIM_STAFF_OPINION_LEADER));
    free(chosen);
    qisim_target hubs = {NULL, 0, QISIM_TARGET_CONNECTED, 0.1};
    assert_int_equal(qisim_target_pick(w, 0, &hubs, anyone_in_post, NULL, &w->rng[QISIM_STREAM_SPREAD], &chosen, &n, &err),
                     QISIM_OK);
    assert_int_equal(n, 20);
    int32_t least_chosen = INT32_MAX, most_other = 0;
    for (int32_t i = 0; i < w->trusts[1].first_staff; i++) {
        bool picked = false;
        for (int32_t k = 0; k < n; k++)
            picked |= chosen[k] == i;
        if (picked && degree(w, i) < least_chosen)
            least_chosen = degree(w, i);
        if (!picked && degree(w, i) > most_other)
            most_other = degree(w, i);
    }
    assert_true(least_chosen >= most_other); /* nobody left out has more ties than someone chosen */
    free(chosen);
    qisim_world_free(w);
}


/* Ties beyond the team are personal: they count once both ends have held their posts
 * network.tie_weeks, so a post's new holder (tenure 0) starts without them; at 0 (the knock-out)
 * they stay with the post. */
static void newcomers_start_without_ties_beyond_the_team(void **state)
{
    (void)state;
    qisim_world *w = crowd(51, 1, 2, 10, 0, 0.0, false); /* no ties within teams */
    w->params.v[QP_NETWORK_ACROSS] = 4.0;
    build(w);
    int32_t i = 0;
    while (i < 10 && w->net.offsets[i + 1] == w->net.offsets[i])
        i++;
    assert_true(i < 10);
    for (int32_t j = 10; j < 20; j++) {
        w->staff.flags[j] |= QISIM_STAFF_PRACTISING;
        w->staff.tenure[j] = 100;
    }
    qisim_world_aggregate(w); /* contacts see the practice set above */
    int32_t ties = degree(w, i);
    w->staff.tenure[i] = 100;
    assert_int_equal(qisim_network_contacts(w, &w->teams[0], i, 1.0).practising, ties);
    w->staff.tenure[i] = 0;
    assert_int_equal(qisim_network_contacts(w, &w->teams[0], i, 1.0).practising, 0);
    w->params.v[QP_NETWORK_TIE_WEEKS] = 0.0;
    assert_int_equal(qisim_network_contacts(w, &w->teams[0], i, 1.0).practising, ties);
    w->params.v[QP_NETWORK_TIE_WEEKS] = 26.0;
    w->staff.tenure[i] = 100;
    for (int32_t j = 10; j < 20; j++)
        w->staff.tenure[j] = 3; /* the other end is new in post */
    assert_int_equal(qisim_network_contacts(w, &w->teams[0], i, 1.0).practising, 0);
    qisim_world_free(w);
}


/* C:L750: a secondment's "fresh pair of eyes" carries practice to a team it had no ties to,
 * for as long as it lasts; without it nothing reaches that team. A leaver takes their bridges. */
static void secondment_bridges_two_teams(void **state)
{
    (void)state;
    int32_t host_practising[2];
    for (int seconded = 0; seconded < 2; seconded++) {
        qisim_world *w = crowd(61, 1, 2, 10, 4, 0.0, false); /* two teams, no ties between them */
        w->params.v[QP_SPREAD_RATE] = 1.0;
        build(w);
        for (int32_t i = 0; i < 10; i++)
            w->staff.flags[i] |= QISIM_STAFF_PRACTISING;
        for (int32_t i = 0; i < w->n_staff; i++)
            w->staff.threshold[i] = 0.25f; /* 2 seconded of 4 + 2 contacts: 0.33 */
        for (int32_t i = 0; i < 10; i++)
            w->staff.knowhow[i] = i == 3 ? 0.9f : 0.5f; /* the seconded know most: 3, then 0 (id order) */
        qisim_world_aggregate(w);
        qisim_err err;
        if (seconded) {
            assert_int_equal(qisim_network_second(w, 0, 1, 2, 5, &err), QISIM_OK);
            assert_int_equal(w->net.n_bridges, 20);
            assert_true(w->net.bridges[0].a == 3 && w->net.bridges[10].a == 0);
            assert_true(w->staff.flags[15] & QISIM_STAFF_BRIDGED);
        } else {
            assert_int_equal(qisim_network_second(w, 0, 0, 2, 5, &err), QISIM_EINVAL);
        }
        for (int week = 0; week < 6; week++)
            step(w);
        host_practising[seconded] = practising(w) - 10;
        assert_int_equal(w->net.n_bridges, 0); /* expired after 5 weeks */
        for (int32_t i = 0; i < w->n_staff; i++)
            assert_false(w->staff.flags[i] & QISIM_STAFF_BRIDGED);
        if (seconded) { /* a leaver takes their bridges with them */
            assert_int_equal(qisim_network_second(w, 0, 1, 1, 5, &err), QISIM_OK);
            assert_int_equal(w->net.n_bridges, 10);
            qisim_network_drop_bridges(w, 3);
            assert_int_equal(w->net.n_bridges, 0);
            assert_false(w->staff.flags[12] & QISIM_STAFF_BRIDGED);
        }
        qisim_world_free(w);
    }
    print_message("secondment: host team members practising after 6 weeks: %d with, %d without\n", host_practising[1],
                  host_practising[0]);

    /* a leaver takes their bridges, on every path out of a post; too many ties are refused */
    qisim_world *w = crowd(62, 1, 4, 30, 4, 0.0, false);
    w->params.v[QP_WORKFORCE_ON] = 1.0;
    w->params.v[QP_WORKFORCE_TURNOVER] = 1.0;
    w->params.v[QP_WORKFORCE_STRAIN_TURNOVER] = 10.0;
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.strain[i] = 1.0f;
    build(w);
    qisim_err err;
    assert_int_equal(qisim_network_second(w, 0, 1, 30, 100, &err), QISIM_OK);
    assert_int_equal(qisim_network_second(w, 0, 1, 30, 100, &err), QISIM_OK); /* the same again adds nothing */
    assert_int_equal(w->net.n_bridges, 900);
    int32_t left = 0;
    for (int week = 0; week < 10; week++) {
        int32_t before = w->net.n_bridges;
        step(w);
        left += before - w->net.n_bridges;
        for (int32_t k = 0; k < w->net.n_bridges; k++) {
            assert_false(w->staff.flags[w->net.bridges[k].a] & QISIM_STAFF_VACANT);
            assert_false(w->staff.flags[w->net.bridges[k].b] & QISIM_STAFF_VACANT);
        }
    }
    assert_true(left > 0); /* some ends left, and their bridges with them */
    qisim_world_free(w);
    w = crowd(63, 1, 2, 300, 4, 0.0, false);
    build(w);
    assert_int_equal(qisim_network_second(w, 0, 1, 100, 10, &err), QISIM_EINVAL); /* 30,000 ties */
    assert_non_null(strstr(err.msg, "more than 20000"));
    assert_int_equal(w->net.n_bridges, 0);
    qisim_world_free(w);
    assert_int_equal(host_practising[0], 0);
    assert_int_equal(host_practising[1], 10);
}


/* A post's new holder shows contacts nothing of the old one: hiring into a vacancy clears what
 * contacts see of the post (net.seen) until a week has been counted. */
static void a_new_holder_shows_no_practice(void **state)
{
    (void)state;
    qisim_world *w = crowd(91, 1, 2, 10, 4, 0.0, false);
    double *p = w->params.v;
    p[QP_WORKFORCE_TURNOVER] = 0.0;
    p[QP_WORKFORCE_FILL_WEEKS] = 1.0; /* every vacancy is filled this week */
    build(w);
    for (int32_t i = 0; i < w->n_staff; i++) {
        w->staff.flags[i] |= QISIM_STAFF_PRACTISING;
        w->staff.tenure[i] = 0;
    }
    qisim_world_aggregate(w); /* contacts see everyone practising */
    for (int32_t i = 0; i < w->n_staff; i += 2)
        if (w->staff.role[i] != QISIM_ROLE_TEAM_LEADER)
            w->staff.flags[i] |= QISIM_STAFF_VACANT;
    qisim_workforce_step(w);
    int32_t hired = 0;
    for (int32_t i = 0; i < w->n_staff; i++) {
        bool was_vacant = i % 2 == 0 && w->staff.role[i] != QISIM_ROLE_TEAM_LEADER;
        assert_false(w->staff.flags[i] & QISIM_STAFF_VACANT);
        assert_int_equal(w->net.seen[i], was_vacant ? 0 : QISIM_SEEN_PRACTISING);
        hired += was_vacant;
    }
    assert_true(hired >= 8);
    qisim_world_free(w);
}

/* A trainee who rotates keeps one tie back to a team mate of the post they left, while they are
 * new in post (network.tie_weeks): the way their old team's practice reaches the new one. */
static void rotating_trainees_keep_a_tie_back(void **state)
{
    (void)state;
    qisim_world *w = qisim_world_create(71, 0);
    assert_non_null(w);
    double *p = w->params.v;
    for (size_t k = 0; k < sizeof mechanism_switches / sizeof mechanism_switches[0]; k++)
        p[mechanism_switches[k]] = 0.0;
    p[QP_WORKFORCE_ON] = 1.0;
    p[QP_WORKFORCE_TURNOVER] = 0.0;
    p[QP_BUILD_TRAINEE_SHARE] = 1.0;
    p[QP_BUILD_VACANCY_SHARE] = 0.0;
    p[QP_WORKFORCE_ROTATION_STAY] = 1.0;
    p[QP_NETWORK_ON] = 1.0;
    p[QP_NETWORK_WITHIN] = 4;
    p[QP_NETWORK_ACROSS] = 0.0;
    test_add_trusts(w, 2, 2, 10);
    for (int32_t i = 0; i < w->n_staff; i++)
        w->staff.tenure[i] = (uint16_t)p[QP_WORKFORCE_ROTATION_WEEKS]; /* every trainee rotates now */
    qisim_world_aggregate(w);
    step(w);
    for (int32_t i = 0; i < w->n_staff; i++) /* now trust 0's posts practise, trust 1's do not */
        w->staff.flags[i] = (uint8_t)((w->staff.flags[i] & ~QISIM_STAFF_PRACTISING) |
                                      (i < w->trusts[1].first_staff ? QISIM_STAFF_PRACTISING : 0));
    qisim_world_aggregate(w); /* contacts see the practice set above */
    int32_t rotated = 0, hearing = 0;
    for (int32_t t = w->trusts[1].first_team; t < w->n_teams; t++)
        for (int32_t i = w->teams[t].first_staff; i < w->teams[t].first_staff + w->teams[t].n_staff; i++) {
            if (w->staff.role[i] != QISIM_ROLE_TRAINEE)
                continue;
            rotated += w->net.former[i] >= 0;
            if (w->net.former[i] >= 0 && w->net.former[i] < w->trusts[1].first_staff) {
                assert_int_equal(qisim_network_contacts(w, &w->teams[t], i, 1.0).practising, 1);
                p[QP_NETWORK_TIE_WEEKS] = 0.0; /* the knock-out: no newcomer period, no tie back */
                assert_int_equal(qisim_network_contacts(w, &w->teams[t], i, 1.0).practising, 0);
                p[QP_NETWORK_TIE_WEEKS] = 26.0;
                hearing++;
            }
        }
    print_message("rotation: %d trainees of the second trust rotated in, %d of them from the first, each tied back\n",
                  rotated, hearing);
    assert_true(hearing > 0);
    qisim_world_free(w);
}

/* ---- the scenario function ------------------------------------------------------------------------------ */

static qisim_scenario *load_text(const char *text, qisim_world *w, char *path, size_t size, qisim_err *err)
{
    snprintf(path, size, "/tmp/qisim-diffusion-%ld.lua", (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    qisim_scenario *sc = qisim_scenario_load(path, w, NULL, err);
    remove(path);
    return sc;
}

static void network_scenario_function(void **state)
{
    (void)state;
    char path[96];
    qisim_err err;
    qisim_world *w = qisim_world_create(1, 0);
    assert_non_null(w);
    qisim_scenario *sc = load_text("network { within = 4, rule = 'both', count = 3, rewire = 0.5 }\n", w, path,
                                   sizeof path, &err);
    assert_non_null(sc);
    assert_true(w->params.v[QP_NETWORK_ON] == 1.0 && w->params.v[QP_NETWORK_WITHIN] == 4.0);
    assert_true(w->params.v[QP_NETWORK_RULE] == 2.0 && w->params.v[QP_NETWORK_COUNT] == 3.0);
    assert_true(w->params.v[QP_NETWORK_REWIRE] == 0.5 && w->params.v[QP_NETWORK_ACROSS] == 2.0);
    qisim_scenario_free(sc);
    qisim_world_free(w);

    static const struct { const char *text, *says; } bad[] = {
        {"\nnetwork { withn = 4 }\n", ":2: bad argument #1 to 'network'"},
        {"network { withn = 4 }\n", "within"},
        {"network { rule = 'fractoin' }\n", "fraction"},
        {"network { rewire = 2 }\n", "rewire"},
        {"network { within = 2.5 }\n", "within"},
        {"network {}\nnetwork {}\n", "only once"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        w = qisim_world_create(1, 0);
        assert_non_null(w);
        qisim_err_clear(&err);
        sc = load_text(bad[k].text, w, path, sizeof path, &err);
        if (sc || !strstr(err.msg, bad[k].says) || !strstr(err.msg, path))
            print_error("'%s' gave '%s', expected '%s'\n", bad[k].text, sc ? "no error" : err.msg, bad[k].says);
        assert_null(sc);
        assert_non_null(strstr(err.msg, bad[k].says));
        if (!strstr(bad[k].says, "once")) /* a refused call changes nothing */
            assert_true(w->params.v[QP_NETWORK_WITHIN] == 8.0 && w->params.v[QP_NETWORK_REWIRE] == 0.0);
        qisim_world_free(w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(network_ring_lattice_is_exact),
        cmocka_unit_test(network_long_ties_hubs_and_rewiring),
        cmocka_unit_test(network_is_a_function_of_the_seed),
        cmocka_unit_test(network_survives_a_checkpoint),
        cmocka_unit_test(bass_well_mixed),
        cmocka_unit_test(granovetter_crowd),
        cmocka_unit_test(count_rule_needs_count_distinct_contacts),
        cmocka_unit_test(external_influence_without_peers),
        cmocka_unit_test(centola_macy_clustering),
        cmocka_unit_test(network_scenario_function),
        cmocka_unit_test(champions_do_not_lapse),
        cmocka_unit_test(practice_disintegrates_without_a_core),
        cmocka_unit_test(bundling_raises_thresholds),
        cmocka_unit_test(rotating_trainees_carry_their_skills),
        cmocka_unit_test(targets_reach_whom_they_say),
        cmocka_unit_test(newcomers_start_without_ties_beyond_the_team),
        cmocka_unit_test(secondment_bridges_two_teams),
        cmocka_unit_test(a_new_holder_shows_no_practice),
        cmocka_unit_test(rotating_trainees_keep_a_tie_back),
    };
    return cmocka_run_group_tests_name("diffusion", tests, NULL, NULL);
}
