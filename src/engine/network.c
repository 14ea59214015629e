/* The staff network: construction of the CSR ties between posts, and its summary statistics. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qisim/world.h"

/* Ties are generated twice from the same copy of the network stream: once to count each
 * post's degree, once to write the ties into rows sized by that count. This needs no edge
 * list (8 bytes a tie) at the cost of drawing every number twice. */
typedef struct builder {
    qisim_world *w;
    qisim_rng r;
    bool fill;
    int32_t *degree;  /* counting pass: ties per post */
    int32_t *cursor;  /* filling pass: next free entry of each row */
    int64_t n_ends;   /* counting pass: both ends of every tie */
} builder;

static void tie(builder *b, int32_t a, int32_t c)
{
    if (b->fill) {
        b->w->net.ties[b->cursor[a]++] = c;
        b->w->net.ties[b->cursor[c]++] = a;
    } else {
        b->degree[a]++;
        b->degree[c]++;
        b->n_ends += 2;
    }
}

/* floor(mean), plus one with the chance of its fractional part: a whole number of ties with
 * the given mean. */
static int32_t draw_count(qisim_rng *r, double mean)
{
    double whole = floor(mean);
    return (int32_t)whole + qisim_rng_chance(r, mean - whole);
}

/* A post of the trust other than a, uniformly. */
static int32_t other_in_trust(qisim_rng *r, const qisim_trust *tr, int32_t a)
{
    int32_t c = tr->first_staff + (int32_t)qisim_rng_below(r, (uint32_t)(tr->n_staff - 1));
    return c >= a ? c + 1 : c;
}

/* A post of the trust outside the team, uniformly (the trust has another team). */
static int32_t other_team_in_trust(qisim_rng *r, const qisim_trust *tr, const qisim_team *team)
{
    int32_t c = tr->first_staff + (int32_t)qisim_rng_below(r, (uint32_t)(tr->n_staff - team->n_staff));
    return c >= team->first_staff ? c + team->n_staff : c;
}

/* The regions' trusts, for drawing a post of another trust of the same region: trusts of
 * region g are order[first[g] .. first[g + 1]) with cumulative posts cum (cum[k] = posts of
 * the region's trusts before order[k]). */
typedef struct regions {
    int32_t *first, *order;
    int64_t *cum, *posts;
} regions;

static int regions_make(const qisim_world *w, regions *g)
{
    int32_t nr = w->n_regions, nt = w->n_trusts;
    g->first = calloc((size_t)nr + 1, sizeof *g->first);
    g->order = malloc(((size_t)nt + 1) * sizeof *g->order);
    g->cum = malloc(((size_t)nt + 1) * sizeof *g->cum);
    g->posts = calloc((size_t)nr + 1, sizeof *g->posts);
    if (!g->first || !g->order || !g->cum || !g->posts)
        return QISIM_ENOMEM;
    for (int32_t k = 0; k < nt; k++)
        g->first[w->trusts[k].region + 1]++;
    for (int32_t r = 0; r < nr; r++)
        g->first[r + 1] += g->first[r];
    int32_t *next = g->order; /* counting sort by region, trusts in id order within a region */
    for (int32_t r = 0; r < nr; r++)
        for (int32_t k = 0; k < nt; k++)
            if (w->trusts[k].region == r) {
                g->cum[next - g->order] = g->posts[r];
                g->posts[r] += w->trusts[k].n_staff;
                *next++ = k;
            }
    return QISIM_OK;
}

static void regions_free(regions *g)
{
    free(g->first);
    free(g->order);
    free(g->cum);
    free(g->posts);
}

/* A post of another trust of trust k's region, uniformly, or -1 if there is none. */
static int32_t other_trust_in_region(qisim_rng *r, const qisim_world *w, const regions *g, int32_t k)
{
    int32_t region = w->trusts[k].region, lo = g->first[region], hi = g->first[region + 1];
    int64_t others = g->posts[region] - w->trusts[k].n_staff;
    if (others <= 0 || others > UINT32_MAX)
        return -1;
    /* index u among the region's posts outside trust k, then find its trust by bisection */
    int64_t u = qisim_rng_below(r, (uint32_t)others);
    int32_t own = lo;
    while (g->order[own] != k)
        own++;
    if (u >= g->cum[own])
        u += w->trusts[k].n_staff;
    int32_t a = lo, b = hi - 1;
    while (a < b) {
        int32_t mid = (a + b + 1) / 2;
        if (g->cum[mid] <= u)
            a = mid;
        else
            b = mid - 1;
    }
    return w->trusts[g->order[a]].first_staff + (int32_t)(u - g->cum[a]);
}

/* Every tie of the network, in a fixed order, from b->r. */
static void generate(builder *b, const regions *g)
{
    qisim_world *w = b->w;
    const double *p = w->params.v;
    qisim_rng *r = &b->r;
    int32_t half = (int32_t)p[QP_NETWORK_WITHIN] / 2;
    double rewire = p[QP_NETWORK_REWIRE], hub = p[QP_NETWORK_HUB];
    double across = p[QP_NETWORK_ACROSS], region = p[QP_NETWORK_REGION];
    for (int32_t k = 0; k < w->n_trusts; k++) {
        const qisim_trust *tr = &w->trusts[k];
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            const qisim_team *team = &w->teams[t];
            int32_t n = team->n_staff, first = team->first_staff;
            /* within: a ring lattice, or a complete graph when it would wrap onto itself */
            bool complete = 2 * half >= n - 1;
            for (int32_t i = 0; i < n && half > 0; i++) {
                int32_t reach = complete ? n - 1 - i : half;
                for (int32_t j = 1; j <= reach; j++) {
                    int32_t a = first + i, c = first + (i + j) % n;
                    if (rewire > 0.0 && qisim_rng_chance(r, rewire))
                        c = other_in_trust(r, tr, a); /* Watts-Strogatz: same tie count, random end */
                    tie(b, a, c);
                }
            }
            for (int32_t i = 0; i < n; i++) {
                int32_t a = first + i;
                bool leader = (w->staff.flags[a] & QISIM_STAFF_OPINION_LEADER) != 0;
                /* hubs: an opinion leader adds (hub - 1) x the within degree to random team mates */
                if (leader && n > 1) {
                    int32_t extra = draw_count(r, (hub - 1.0) * 2.0 * half);
                    for (int32_t e = 0; e < extra; e++) {
                        int32_t c = first + (int32_t)qisim_rng_below(r, (uint32_t)(n - 1));
                        tie(b, a, c >= a ? c + 1 : c);
                    }
                }
                /* across: each member starts half its ties and receives the other half on
                 * average; a hub starts enough to reach hub x across */
                if (tr->n_teams > 1 && across > 0.0) {
                    double start = leader ? hub * across - across / 2.0 : across / 2.0;
                    int32_t m = draw_count(r, start);
                    for (int32_t e = 0; e < m; e++)
                        tie(b, a, other_team_in_trust(r, tr, team));
                }
                if (region > 0.0) {
                    int32_t m = draw_count(r, region / 2.0);
                    for (int32_t e = 0; e < m; e++) {
                        int32_t c = other_trust_in_region(r, w, g, k);
                        if (c >= 0)
                            tie(b, a, c);
                    }
                }
            }
        }
    }
}

static int cmp_id(const void *x, const void *y)
{
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    return (a > b) - (a < b);
}

/* Sorts each row and drops repeated ties (two draws can pick the same pair; both rows then
 * hold it twice, so the network stays symmetric), rewriting offsets in place. */
static void compact(qisim_network *net, int32_t n)
{
    int32_t out = 0, start = net->offsets[0];
    for (int32_t i = 0; i < n; i++) {
        int32_t end = net->offsets[i + 1], *row = net->ties + start, d = end - start;
        if (d <= 24) { /* rows are short: insertion sort beats qsort's call overhead */
            for (int32_t x = 1; x < d; x++) {
                int32_t v = row[x], y = x;
                for (; y > 0 && row[y - 1] > v; y--)
                    row[y] = row[y - 1];
                row[y] = v;
            }
        } else {
            qsort(row, (size_t)d, sizeof *row, cmp_id);
        }
        net->offsets[i] = out;
        for (int32_t x = 0; x < d; x++)
            if (x == 0 || row[x] != row[x - 1])
                net->ties[out++] = row[x];
        start = end;
    }
    net->offsets[n] = out;
}

/* The first entry of row i holding an id above i (rows are sorted). */
static int32_t forward(const qisim_network *net, int32_t i)
{
    int32_t e = net->offsets[i];
    while (e < net->offsets[i + 1] && net->ties[e] < i)
        e++;
    return e;
}

/* Each trust's sums: ties, ties leaving their team, local clustering (links among a post's
 * contacts over the d(d-1)/2 possible; 0 below two contacts). Triangles are counted once, from
 * their lowest id through ties oriented upwards (a quarter of the reads of counting every
 * contact's contacts), and credited to their three corners. stamp, team_of, triangles: n posts. */
static void summarise(qisim_world *w, int32_t *stamp, int32_t *team_of, int32_t *triangles)
{
    const qisim_network *net = &w->net;
    const int32_t *ties = net->ties;
    for (int32_t t = 0; t < w->n_teams; t++)
        for (int32_t i = w->teams[t].first_staff; i < w->teams[t].first_staff + w->teams[t].n_staff; i++)
            team_of[i] = t;
    for (int32_t i = 0; i < w->n_staff; i++) {
        stamp[i] = -1;
        triangles[i] = 0;
    }
    for (int32_t i = 0; i < w->n_staff; i++) {
        int32_t lo = forward(net, i), hi = net->offsets[i + 1];
        for (int32_t e = lo; e < hi; e++)
            stamp[ties[e]] = i;
        for (int32_t e = lo; e < hi; e++) {
            int32_t j = ties[e];
            for (int32_t f = forward(net, j); f < net->offsets[j + 1]; f++) {
                int32_t k = ties[f];
                if (stamp[k] == i) {
                    triangles[i]++;
                    triangles[j]++;
                    triangles[k]++;
                }
            }
        }
    }
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        double n_ties = 0.0, long_ties = 0.0, clustering = 0.0;
        for (int32_t i = tr->first_staff; i < tr->first_staff + tr->n_staff; i++) {
            int32_t lo = net->offsets[i], hi = net->offsets[i + 1], d = hi - lo;
            n_ties += d;
            for (int32_t e = lo; e < hi; e++)
                long_ties += team_of[ties[e]] != team_of[i];
            if (d >= 2)
                clustering += 2.0 * triangles[i] / ((double)d * (d - 1));
        }
        tr->net_ties = n_ties;
        tr->net_long_ties = long_ties;
        tr->net_clustering = clustering;
    }
}

void qisim_network_free(qisim_network *net)
{
    free(net->offsets);
    free(net->ties);
    free(net->bridges);
    free(net->former);
    free(net->seen);
    free(net->seen_next);
    *net = (qisim_network){0};
}

int qisim_network_build(qisim_world *w, qisim_err *err)
{
    int32_t n = w->n_staff;
    qisim_network_free(&w->net);
    builder b = {.w = w};
    regions g = {0};
    int32_t *stamp = NULL, *team_of = NULL, *triangles = NULL;
    int rc = QISIM_OK;
    /* seeded afresh, so the network is a function of (seed, replicate, the built world) alone */
    qisim_rng_seed_stream(&w->rng[QISIM_STREAM_NETWORK], w->seed, (uint64_t)w->replicate, QISIM_STREAM_NETWORK);
    b.degree = calloc((size_t)n + 1, sizeof *b.degree);
    w->net.offsets = malloc(((size_t)n + 1) * sizeof *w->net.offsets);
    w->net.former = malloc(((size_t)n + 1) * sizeof *w->net.former);
    w->net.seen = malloc((size_t)n + 1);
    w->net.seen_next = malloc((size_t)n + 1);
    if (!b.degree || !w->net.offsets || !w->net.former || !w->net.seen || !w->net.seen_next ||
        regions_make(w, &g) != QISIM_OK) {
        rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory building the staff network");
        goto fail;
    }
    for (int32_t i = 0; i < n; i++) {
        w->net.former[i] = -1;
        w->net.seen[i] = qisim_network_seen_of(w->staff.flags[i]); /* the world as built */
    }
    b.r = w->rng[QISIM_STREAM_NETWORK];
    generate(&b, &g);
    if (b.n_ends > INT32_MAX) {
        rc = qisim_err_set(err, QISIM_EINVAL, "the staff network would have %lld tie ends, more than %d: lower network.within, across or region",
                           (long long)b.n_ends, INT32_MAX);
        goto fail;
    }
    w->net.offsets[0] = 0;
    for (int32_t i = 0; i < n; i++)
        w->net.offsets[i + 1] = w->net.offsets[i] + b.degree[i];
    w->net.ties = malloc((size_t)(b.n_ends > 0 ? b.n_ends : 1) * sizeof *w->net.ties);
    if (!w->net.ties) {
        rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory for %lld staff network ties", (long long)b.n_ends / 2);
        goto fail;
    }
    b.cursor = b.degree; /* the counts are no longer needed: reuse them as write positions */
    memcpy(b.cursor, w->net.offsets, (size_t)n * sizeof *b.cursor);
    b.fill = true;
    b.r = w->rng[QISIM_STREAM_NETWORK];
    generate(&b, &g);
    w->rng[QISIM_STREAM_NETWORK] = b.r;
    compact(&w->net, n);
    void *shrunk = realloc(w->net.ties, (size_t)(w->net.offsets[n] > 0 ? w->net.offsets[n] : 1) * sizeof *w->net.ties);
    if (shrunk)
        w->net.ties = shrunk;
    stamp = b.degree; /* n + 1 entries: reused once more */
    b.degree = NULL;
    team_of = malloc(((size_t)n + 1) * sizeof *team_of);
    triangles = malloc(((size_t)n + 1) * sizeof *triangles);
    if (!team_of || !triangles) {
        rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory summarising the staff network");
        goto fail;
    }
    summarise(w, stamp, team_of, triangles);
    goto done;
fail:
    qisim_network_free(&w->net);
done:
    free(b.degree);
    free(stamp);
    free(team_of);
    free(triangles);
    regions_free(&g);
    return rc;
}

size_t qisim_network_bytes(const qisim_network *net, int32_t n_staff)
{
    if (!net->offsets)
        return 0;
    return ((size_t)2 * n_staff + 1 + (size_t)net->offsets[n_staff]) * sizeof(int32_t) +
           (size_t)net->cap_bridges * sizeof *net->bridges + (size_t)2 * n_staff * sizeof *net->seen;
}

/* A running sum of what a member's contacts show: adds a contact in post with flags f, of whom
 * contacts see `seen` (net.seen). */
typedef struct tally {
    double weighted, pool, leader_weight;
    qisim_contacts c;
} tally;

static inline void count_contact(tally *t, uint8_t f, uint8_t seen)
{
    double weight = (f & QISIM_STAFF_OPINION_LEADER) ? t->leader_weight : 1.0;
    t->pool += weight;
    if (seen & QISIM_SEEN_PRACTISING) {
        t->weighted += weight;
        t->c.practising++; /* distinct: a member's ties hold each contact once */
        t->c.core |= (seen & QISIM_SEEN_CORE) != 0;
    }
}

qisim_contacts qisim_network_contacts(const qisim_world *w, const qisim_team *team, int32_t i, double leader_weight)
{
    const uint8_t *flags = w->staff.flags, *seen = w->net.seen;
    const uint16_t *tenure = w->staff.tenure;
    const int32_t *ties = w->net.ties;
    int32_t lo = team->first_staff, hi = team->first_staff + team->n_staff;
    double tie_weeks = w->params.v[QP_NETWORK_TIE_WEEKS];
    bool newcomer = tenure[i] < tie_weeks;
    tally t = {0.0, 0.0, leader_weight, {0.0, 0, false}};
    for (int32_t e = w->net.offsets[i]; e < w->net.offsets[i + 1]; e++) {
        int32_t j = ties[e];
        if (flags[j] & QISIM_STAFF_VACANT)
            continue; /* an empty post influences nobody */
        if ((j < lo || j >= hi) && (newcomer || tenure[j] < tie_weeks))
            continue; /* a tie beyond the team is personal: the post's new holder has yet to make it */
        count_contact(&t, flags[j], seen[j]);
    }
    int32_t was = w->net.former ? w->net.former[i] : -1;
    if (was >= 0 && newcomer && !(flags[was] & QISIM_STAFF_VACANT))
        count_contact(&t, flags[was], seen[was]); /* an old team mate, for a while */
    if (flags[i] & QISIM_STAFF_BRIDGED) { /* a secondment's ties: few, so a scan */
        for (int32_t k = 0; k < w->net.n_bridges; k++) {
            const qisim_bridge *b = &w->net.bridges[k];
            if ((b->a != i && b->b != i) || w->week >= b->until)
                continue;
            int32_t j = b->a == i ? b->b : b->a;
            if (!(flags[j] & QISIM_STAFF_VACANT))
                count_contact(&t, flags[j], seen[j]);
        }
    }
    t.c.share = t.pool > 0.0 ? t.weighted / t.pool : 0.0;
    return t.c;
}

/* Whether posts a and b are tied in the CSR (rows are sorted). */
static bool tied(const qisim_world *w, int32_t a, int32_t b)
{
    int32_t lo = w->net.offsets[a], hi = w->net.offsets[a + 1];
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (w->net.ties[mid] < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < w->net.offsets[a + 1] && w->net.ties[lo] == b;
}

/* Live bridges at most: members scan them when they read their contacts, so they must stay few
 * (scenario-made secondments, not a second network). */
enum { MAX_BRIDGES = QISIM_MAX_BRIDGES };

/* Clears QISIM_STAFF_BRIDGED on every end of a current bridge. */
static void unmark_bridged(qisim_world *w)
{
    uint8_t *flags = w->staff.flags;
    for (int32_t k = 0; k < w->net.n_bridges; k++) {
        flags[w->net.bridges[k].a] &= (uint8_t)~QISIM_STAFF_BRIDGED;
        flags[w->net.bridges[k].b] &= (uint8_t)~QISIM_STAFF_BRIDGED;
    }
}

/* Keeps the bridges for which keep() holds, in order, and re-marks their ends. */
static void filter_bridges(qisim_world *w, bool (*keep)(const qisim_world *, const qisim_bridge *, int32_t), int32_t post)
{
    unmark_bridged(w);
    int32_t n = 0;
    for (int32_t k = 0; k < w->net.n_bridges; k++)
        if (keep(w, &w->net.bridges[k], post))
            w->net.bridges[n++] = w->net.bridges[k];
    w->net.n_bridges = n;
    for (int32_t k = 0; k < n; k++) {
        w->staff.flags[w->net.bridges[k].a] |= QISIM_STAFF_BRIDGED;
        w->staff.flags[w->net.bridges[k].b] |= QISIM_STAFF_BRIDGED;
    }
}

static bool live(const qisim_world *w, const qisim_bridge *b, int32_t post)
{
    (void)post;
    return w->week < b->until;
}

static bool not_of_post(const qisim_world *w, const qisim_bridge *b, int32_t post)
{
    return live(w, b, post) && b->a != post && b->b != post;
}

void qisim_network_expire_bridges(qisim_world *w)
{
    if (w->net.n_bridges > 0)
        filter_bridges(w, live, -1);
}

void qisim_network_drop_bridges(qisim_world *w, int32_t i)
{
    filter_bridges(w, not_of_post, i);
}

void qisim_network_new_holder(qisim_world *w, int32_t i)
{
    if (!w->net.offsets)
        return;
    if (w->staff.flags[i] & QISIM_STAFF_BRIDGED)
        qisim_network_drop_bridges(w, i);
    w->net.former[i] = -1;
    w->net.seen[i] = 0;
}

void qisim_network_moved_in(qisim_world *w, int32_t post, int32_t old_post)
{
    if (!w->net.former)
        return;
    w->net.seen[post] = 0; /* new colleagues see their practice from next week */
    int32_t mate = -1;
    for (int32_t e = w->net.offsets[old_post]; e < w->net.offsets[old_post + 1]; e++) {
        int32_t tie = w->net.ties[e]; /* the ring lattice's neighbours are the nearest ids */
        if (mate < 0 || abs(tie - old_post) < abs(mate - old_post))
            mate = tie;
    }
    w->net.former[post] = mate;
}

typedef struct by_knowhow {
    int32_t id;
    float knowhow;
} by_knowhow;

static int most_knowhow_first(const void *x, const void *y)
{
    const by_knowhow *a = x, *b = y;
    if (a->knowhow != b->knowhow)
        return a->knowhow < b->knowhow ? 1 : -1;
    return (a->id > b->id) - (a->id < b->id);
}

int32_t *qisim_team_most_skilled(const qisim_world *w, int32_t team, int32_t *n)
{
    const qisim_team *t = &w->teams[team];
    by_knowhow *pool = malloc(((size_t)t->n_staff + 1) * sizeof *pool);
    int32_t *ids = malloc(((size_t)t->n_staff + 1) * sizeof *ids);
    *n = 0;
    if (!pool || !ids) {
        free(pool);
        free(ids);
        return NULL;
    }
    for (int32_t i = t->first_staff; i < t->first_staff + t->n_staff; i++)
        if (!(w->staff.flags[i] & QISIM_STAFF_VACANT))
            pool[(*n)++] = (by_knowhow){i, w->staff.knowhow[i]};
    qsort(pool, (size_t)*n, sizeof *pool, most_knowhow_first);
    for (int32_t k = 0; k < *n; k++)
        ids[k] = pool[k].id;
    free(pool);
    return ids;
}

int qisim_network_second(qisim_world *w, int32_t from, int32_t to, int32_t staff, int32_t weeks, qisim_err *err)
{
    if (!w->net.offsets)
        return qisim_err_set(err, QISIM_EINVAL,
                             "a secondment needs the staff network, which is off (network.on = 0) or not built until week 0: act from a scheduled action (at(0, ...))");
    if (from < 0 || from >= w->n_teams || to < 0 || to >= w->n_teams)
        return qisim_err_set(err, QISIM_EINVAL, "no team with id %d", from < 0 || from >= w->n_teams ? from : to);
    if (from == to)
        return qisim_err_set(err, QISIM_EINVAL, "team '%s' cannot be seconded to itself", qisim_team_name(w, from));
    if (staff < 1 || staff > 100)
        return qisim_err_set(err, QISIM_EINVAL, "%d staff seconded is outside [1, 100]", staff);
    if (weeks < 1 || weeks > 520)
        return qisim_err_set(err, QISIM_EINVAL, "a secondment of %d weeks is outside [1, 520]", weeks);
    const qisim_team *host = &w->teams[to];
    int32_t n;
    int32_t *pool = qisim_team_most_skilled(w, from, &n);
    if (!pool)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory for a secondment");
    int32_t seconded = n < staff ? n : staff;
    int64_t need = w->net.n_bridges + (int64_t)seconded * host->n_staff;
    unsigned char *already = need <= MAX_BRIDGES ? calloc((size_t)host->n_staff + 1, 1) : NULL;
    if (need > MAX_BRIDGES || !already) {
        free(pool);
        if (need > MAX_BRIDGES)
            return qisim_err_set(err, QISIM_EINVAL,
                                 "a secondment of %d staff into team '%s' (%d posts) would bring the temporary ties to %lld, more than %d: second fewer staff or into a smaller team",
                                 seconded, qisim_team_name(w, to), host->n_staff, (long long)need, (int)MAX_BRIDGES);
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory for a secondment");
    }
    if (qisim_world_grow((void **)&w->net.bridges, &w->net.cap_bridges, (int32_t)need, sizeof *w->net.bridges, 64)) {
        free(pool);
        free(already);
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory for a secondment's ties");
    }
    int32_t made = 0;
    int32_t before = w->net.n_bridges, lo = host->first_staff, hi = host->first_staff + host->n_staff;
    for (int32_t k = 0; k < seconded; k++) {
        int32_t a = pool[k];
        memset(already, 0, (size_t)host->n_staff);
        for (int32_t x = 0; x < before; x++) { /* a live bridge of a to the host, from an earlier secondment */
            const qisim_bridge *br = &w->net.bridges[x];
            int32_t other = br->a == a ? br->b : br->b == a ? br->a : -1;
            if (other >= lo && other < hi)
                already[other - lo] = 1;
        }
        for (int32_t b = lo; b < hi; b++) {
            if (already[b - lo] || tied(w, a, b))
                continue;
            w->net.bridges[w->net.n_bridges++] = (qisim_bridge){a, b, w->week + weeks};
            w->staff.flags[a] |= QISIM_STAFF_BRIDGED;
            w->staff.flags[b] |= QISIM_STAFF_BRIDGED;
            made++;
        }
    }
    free(pool);
    free(already);
    qisim_world_log(w, QISIM_LEVEL_TEAM, from, "secondment", "to=%s staff=%d weeks=%d ties=%d", qisim_team_name(w, to), seconded,
                    weeks, made);
    return QISIM_OK;
}

int qisim_network_reserve_bridges(qisim_world *w, int64_t more, qisim_err *err)
{
    int64_t need = w->net.n_bridges + (more > 0 ? more : 0);
    if (need > MAX_BRIDGES)
        return qisim_err_set(err, QISIM_EINVAL, "the temporary ties would be more than %d", (int)MAX_BRIDGES);
    if (qisim_world_grow((void **)&w->net.bridges, &w->net.cap_bridges, (int32_t)need, sizeof *w->net.bridges, 64))
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory for %lld temporary ties", (long long)need);
    return QISIM_OK;
}

int qisim_network_bridge(qisim_world *w, int32_t a, int32_t b, int32_t weeks, qisim_err *err)
{
    if (!w->net.offsets)
        return qisim_err_set(err, QISIM_EINVAL, "a temporary tie needs the staff network, which is off or not built yet");
    if (a < 0 || a >= w->n_staff || b < 0 || b >= w->n_staff || a == b)
        return qisim_err_set(err, QISIM_EINVAL, "no temporary tie between posts %d and %d", a, b);
    if (weeks < 1 || weeks > 520)
        return qisim_err_set(err, QISIM_EINVAL, "a temporary tie of %d weeks is outside [1, 520]", weeks);
    if (tied(w, a, b))
        return QISIM_OK;
    /* only two posts that both carry a live bridge can be bridged already: the scan (a contact
     * counts once) is skipped for the rest, so bulk ties do not cost their count times the live one */
    if ((w->staff.flags[a] & QISIM_STAFF_BRIDGED) && (w->staff.flags[b] & QISIM_STAFF_BRIDGED))
        for (int32_t k = 0; k < w->net.n_bridges; k++) {
            const qisim_bridge *br = &w->net.bridges[k];
            if ((br->a == a && br->b == b) || (br->a == b && br->b == a))
                return QISIM_OK;
        }
    if (w->net.n_bridges >= MAX_BRIDGES)
        return qisim_err_set(err, QISIM_EINVAL, "the temporary ties would be more than %d", (int)MAX_BRIDGES);
    if (qisim_world_grow((void **)&w->net.bridges, &w->net.cap_bridges, w->net.n_bridges + 1, sizeof *w->net.bridges, 64))
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory for a temporary tie");
    w->net.bridges[w->net.n_bridges++] = (qisim_bridge){a, b, w->week + weeks};
    w->staff.flags[a] |= QISIM_STAFF_BRIDGED;
    w->staff.flags[b] |= QISIM_STAFF_BRIDGED;
    return QISIM_OK;
}
