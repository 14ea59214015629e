/* Mechanism 2 (with the staff side of 3 and 13): who is in post this week. */

/* Turnover rising with strain, trainee rotation every ~4 months, vacancies, sickness, strain
 * following the team's conditions, and know-how that decays without use and leaves with the
 * person. */
#include <math.h>
#include <stdbool.h>

#include "qisim/model.h"
#include "workforce.h"

/* This week's workforce parameters, as the posts' schedules use them. */
typedef struct staffing {
    int64_t week;
    double leave_week, strain_leave, leave_bound, fill, stay;
    int32_t rotation;
} staffing;

static staffing staffing_now(const qisim_world *w)
{
    const double *p = w->params.v;
    staffing c;
    c.week = w->week;
    c.leave_week = p[QP_WORKFORCE_TURNOVER] / 52.0;
    c.strain_leave = p[QP_WORKFORCE_STRAIN_TURNOVER];
    /* strain is 0..1, so no member's weekly chance of leaving is above this bound */
    c.leave_bound = qisim_fmin(1.0, c.leave_week * (1.0 + qisim_fmax(0.0, c.strain_leave)));
    c.fill = 1.0 / p[QP_WORKFORCE_FILL_WEEKS];
    c.stay = p[QP_WORKFORCE_ROTATION_STAY];
    c.rotation = (int32_t)p[QP_WORKFORCE_ROTATION_WEEKS];
    return c;
}

static uint32_t week_after(int64_t from, int64_t weeks)
{
    int64_t due = from + weeks;
    return due < 0 ? 0 : due > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)due;
}

/* When workforce next looks at post i, counted from week `from` (this week once the post's
 * event is dealt with; last week when drawn before this week's): a vacancy is filled after a
 * geometric wait at workforce.fill_weeks; a holder's next chance to leave comes after a
 * geometric wait at the bound chance (taken then with their own chance over the bound), or a
 * trainee's rotation first. The waits are memoryless, so the weeks come out as they would from
 * a draw every week, with one draw per event instead (skipping ahead; issue 13 item 2). */
static void schedule(qisim_world *w, qisim_team *team, int32_t i, const staffing *c, int64_t from)
{
    qisim_rng *r = &w->rng[QISIM_STREAM_WORKFORCE];
    qisim_staff *s = &w->staff;
    uint32_t due;
    if (s->flags[i] & QISIM_STAFF_VACANT) {
        due = week_after(from, qisim_rng_geometric(r, c->fill));
    } else {
        due = week_after(from, qisim_rng_geometric(r, c->leave_bound));
        if (s->role[i] == QISIM_ROLE_TRAINEE) { /* rotates in the week its tenure reaches rotation_weeks */
            uint32_t rotates = week_after(c->week, s->tenure[i] < c->rotation ? c->rotation - s->tenure[i] : 0);
            due = rotates < due ? rotates : due;
        }
    }
    s->due_week[i] = due;
    if (due < team->next_due)
        team->next_due = due;
}

/* The team whose posts include post i (teams hold contiguous posts in id order). */
static qisim_team *team_of_post(qisim_world *w, int32_t i)
{
    int32_t lo = 0, hi = w->n_teams - 1;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo + 1) / 2;
        if (w->teams[mid].first_staff <= i)
            lo = mid;
        else
            hi = mid - 1;
    }
    return &w->teams[lo];
}

/* A new member in slot i: the post's role, the trust's induction tier, a fresh threshold, and
 * the post's next look from this week. */
static void hire(qisim_world *w, int32_t i, const qisim_trust *tr, qisim_team *team, const staffing *c)
{
    qisim_rng *r = &w->rng[QISIM_STREAM_WORKFORCE];
    const double *p = w->params.v;
    qisim_staff *s = &w->staff;
    double tmean = p[QP_BUILD_THRESHOLD_MEAN], tshape = p[QP_BUILD_THRESHOLD_SHAPE];
    qisim_network_new_holder(w, i); /* the leaver's secondment and old ties end with them */
    s->tier[i] = (uint8_t)tr->induction_tier;
    s->flags[i] = qisim_rng_chance(r, p[QP_BUILD_OPINION_LEADER_SHARE]) ? QISIM_STAFF_OPINION_LEADER : 0;
    s->knowhow[i] = (p[QP_BUILD_KNOWHOW_MEAN] * 2.0 * qisim_rng_uniform(r));
    if (tr->induction_tier > QISIM_TIER_NONE) {
        s->knowhow[i] += (float)(p[QP_TRAINING_GAIN_AWARENESS] * (1.0 - (double)s->knowhow[i]));
        s->since_training[i] = 0;
        qisim_time_book(team, p[QP_TIME_COURSE_DAYS_AWARENESS] / QISIM_WORKING_DAYS); /* induction days are working days too */
    } else {
        s->since_training[i] = UINT16_MAX;
    }
    s->threshold[i] = (float)qisim_rng_beta(r, tmean * tshape, (1.0 - tmean) * tshape);
    s->motivation[i] = (float)qisim_rng_beta(r, p[QP_BUILD_MOTIVATION_A], p[QP_BUILD_MOTIVATION_B]);
    s->strain[i] = (float)p[QP_WORKFORCE_STRAIN_BASE];
    s->tenure[i] = 0;
    s->support_weeks[i] = 0;
    s->reinforced[i] = 0;
    schedule(w, team, i, c, c->week);
}

static void swap_bytes(void *a, void *b, size_t size)
{
    unsigned char *x = a, *y = b;
    for (size_t k = 0; k < size; k++) {
        unsigned char t = x[k];
        x[k] = y[k];
        y[k] = t;
    }
}

/* Exchanges everything two posts' holders carry: their know-how, tier, practice, threshold... */
static void swap_people(qisim_staff *s, int32_t a, int32_t b)
{
#define SWAP_ONE(field) swap_bytes(s->field + a, s->field + b, sizeof *s->field);
    QISIM_STAFF_FIELDS(SWAP_ONE)
#undef SWAP_ONE
}

/* Trainees due to rotate who stay in the region (w->movers[0..n), in id order) move on to one
 * another's posts: within each region, a random cyclic shift, so each takes their know-how,
 * tier, practice (a champion stays one) and threshold to another team or trust and meets the
 * post's colleagues there (B:L4230: juniors rotate every four months; B:L3817: clinicians who
 * work across hospitals spread improvements as they go). They start the post afresh: tenure 0,
 * no coaching place. A region with a single mover has no post to exchange: that trainee leaves
 * as one who leaves the region does. */
static void rotate(qisim_world *w, int32_t n, const staffing *c)
{
    qisim_staff *s = &w->staff;
    qisim_rng *r = &w->rng[QISIM_STREAM_WORKFORCE];
    int32_t *movers = w->movers, *region = movers + w->n_trainee_posts, *sorted = region + w->n_trainee_posts;
    int32_t *first = sorted + w->n_trainee_posts; /* n_regions + 1 counts, then starts */
    for (int32_t g = 0; g <= w->n_regions; g++)
        first[g] = 0;
    for (int32_t k = 0, trust = 0; k < n; k++) { /* movers and trusts are both in id order */
        while (movers[k] >= w->trusts[trust].first_staff + w->trusts[trust].n_staff)
            trust++;
        region[k] = w->trusts[trust].region;
        first[region[k] + 1]++;
    }
    for (int32_t g = 0; g < w->n_regions; g++)
        first[g + 1] += first[g];
    for (int32_t k = 0; k < n; k++) /* a stable counting sort by region */
        sorted[first[region[k]]++] = movers[k];
    for (int32_t g = 0, start = 0; g < w->n_regions; g++) {
        int32_t *group = sorted + start, m = first[g] - start;
        start = first[g];
        if (m == 1) {
            qisim_team *team = team_of_post(w, group[0]);
            hire(w, group[0], &w->trusts[team->trust], team, c);
            continue;
        }
        for (int32_t k = m - 1; k > 0; k--) { /* Fisher-Yates: which post each moves to */
            int32_t j = (int32_t)qisim_rng_below(r, (uint32_t)k + 1);
            int32_t t = group[k];
            group[k] = group[j];
            group[j] = t;
        }
        for (int32_t k = 0; k < m; k++)
            if (s->flags[group[k]] & QISIM_STAFF_BRIDGED)
                qisim_network_drop_bridges(w, group[k]); /* a secondment ends when its trainee moves on */
        for (int32_t k = 1; k < m; k++) /* the holder of post k - 1 ends in post k, the last in post 0 */
            swap_people(s, group[0], group[k]);
        for (int32_t k = 0; k < m; k++) {
            s->tenure[group[k]] = 0;
            s->support_weeks[group[k]] = 0;
            schedule(w, team_of_post(w, group[k]), group[k], c, c->week); /* the new post's rotation, a fresh wait to leave */
        }
        for (int32_t k = 0; k < m; k++) /* each meets the new post's colleagues, with a tie back to the old */
            qisim_network_moved_in(w, group[k], group[(k + m - 1) % m]);
    }
}

/* The week's drift of team t's members in post (the pass runs qisim_workforce_drift itself). */
void qisim_workforce_team(qisim_world *w, int32_t t)
{
    const qisim_team *team = &w->teams[t];
    const uint8_t *flags = w->staff.flags;
    qisim_drift drift;
    qisim_workforce_drift_begin(w, t, &drift);
    for (int32_t i = team->first_staff, end = team->first_staff + team->n_staff; i < end; i++)
        if (!(flags[i] & QISIM_STAFF_VACANT))
            qisim_workforce_drift(&drift, &w->staff, i, flags[i]);
}

/* Post i's event this week (its due_week has come): a vacancy filled, a trainee's rotation, or
 * a chance to leave. Returns whether someone left the post. */
static bool post_event(qisim_world *w, int32_t i, const qisim_trust *tr, qisim_team *team, const staffing *c,
                       int32_t *n_movers)
{
    qisim_staff *s = &w->staff;
    qisim_rng *r = &w->rng[QISIM_STREAM_WORKFORCE];
    if (s->flags[i] & QISIM_STAFF_VACANT) {
        hire(w, i, tr, team, c);
        return false;
    }
    if (s->role[i] == QISIM_ROLE_TRAINEE && s->tenure[i] >= c->rotation) {
        /* (the bound holds unless roles were changed after building: then the rest leave) */
        if (c->stay > 0.0 && qisim_rng_chance(r, c->stay) && *n_movers < w->n_trainee_posts)
            w->movers[(*n_movers)++] = i; /* to another post of the region (rotate schedules it) */
        else
            hire(w, i, tr, team, c); /* leaves the region: the next trainee arrives, the skills leave */
        return true;
    }
    /* The chance at the bound is taken with the member's own chance of leaving, which rises
     * with strain: the thinning keeps each week's chance exactly that. */
    double chance = c->leave_week * (1.0 + c->strain_leave * (double)s->strain[i]);
    if (c->leave_bound > 0.0 && qisim_rng_chance(r, chance / c->leave_bound)) {
        uint8_t role = s->role[i];
        if (role == QISIM_ROLE_TEAM_LEADER || role == QISIM_ROLE_EXECUTIVE) {
            hire(w, i, tr, team, c); /* leadership posts are covered at once */
        } else {
            qisim_network_new_holder(w, i); /* their secondment and old ties end with them */
            s->flags[i] = QISIM_STAFF_VACANT;
            s->support_weeks[i] = 0; /* the coaching place frees up */
            schedule(w, team, i, c, c->week);
        }
        return true;
    }
    schedule(w, team, i, c, c->week);
    return false;
}

/* A week more in post for everyone in post (saturating). Branch-free, and in whole blocks of
 * ADVANCE_BLOCK posts then the rest, so that the compiler's cheapest vectorisation (-O2) takes
 * the blocks: a pass over every post each week, at a fraction of an instruction per post. The
 * expression is written twice on purpose: put in one inline function, gcc 12 no longer
 * vectorises the blocks (cachegrind: 166.7 -> 178.4 instructions per staff-week in all). */
enum { ADVANCE_BLOCK = 16 };
static void advance_tenure(uint16_t *restrict tenure, const uint8_t *restrict flags, int32_t n)
{
    int32_t blocks = n - n % ADVANCE_BLOCK;
    for (int32_t b = 0; b < blocks; b += ADVANCE_BLOCK)
        for (int32_t i = b; i < b + ADVANCE_BLOCK; i++)
            tenure[i] = (uint16_t)(tenure[i] + (((flags[i] & QISIM_STAFF_VACANT) == 0) & (tenure[i] != UINT16_MAX)));
    for (int32_t i = blocks; i < n; i++)
        tenure[i] = (uint16_t)(tenure[i] + (((flags[i] & QISIM_STAFF_VACANT) == 0) & (tenure[i] != UINT16_MAX)));
}

void qisim_workforce_step(qisim_world *w)
{
    const double *p = w->params.v;
    qisim_staff *s = &w->staff;
    qisim_rng *r = &w->rng[QISIM_STREAM_WORKFORCE];
    staffing c = staffing_now(w);
    int32_t n_movers = 0;

    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        if (tr->due_leave_bound != c.leave_bound || tr->due_fill != c.fill || tr->due_rotation != c.rotation ||
            tr->due_stepped != c.week - 1) {
            /* the first week, the parameters changed, or workforce was off for a while (its posts'
             * waits stood still): every post's next look drawn afresh, as of the end of last week
             * (memoryless, so nothing is lost) */
            for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
                qisim_team *team = &w->teams[t];
                team->next_due = UINT32_MAX;
                for (int32_t i = team->first_staff; i < team->first_staff + team->n_staff; i++)
                    schedule(w, team, i, &c, c.week - 1);
            }
            tr->due_leave_bound = c.leave_bound;
            tr->due_fill = c.fill;
            tr->due_rotation = c.rotation;
        }
        tr->due_stepped = c.week;
        int32_t leavers = 0, sick = 0;
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            qisim_team *team = &w->teams[t];
            /* Deviations from a usual NHS team, which settles at strain_base. */
            double target = p[QP_WORKFORCE_STRAIN_BASE] +
                            p[QP_WORKFORCE_STRAIN_WORKLOAD] * (team->workload - p[QP_WORKFORCE_WORKLOAD_REF]) +
                            p[QP_WORKFORCE_STRAIN_REGULATION] * (tr->regulatory_load - p[QP_WORKFORCE_LOAD_REF]) -
                            p[QP_WORKFORCE_STRAIN_SAFETY] * (team->psych_safety - p[QP_CULTURE_SAFETY_BASE]) +
                            p[QP_WORKFORCE_STRAIN_OVERLOAD] * team->overload +
                            p[QP_WORKFORCE_STRAIN_OVERTIME] * team->overtime;
            team->strain_target = (float)qisim_clamp01(target);
            if (team->next_due <= c.week) { /* a post of the team has its event this week */
                int32_t end = team->first_staff + team->n_staff;
                const uint32_t *due_week = s->due_week;
                uint32_t next = UINT32_MAX;
                for (int32_t i = team->first_staff; i < end; i++) {
                    if (due_week[i] <= c.week)
                        leavers += post_event(w, i, tr, team, &c, &n_movers);
                    next = due_week[i] < next ? due_week[i] : next;
                }
                team->next_due = next;
            }
            int32_t present = team->counts.n_in_post;
            double p_sick = p[QP_WORKFORCE_SICKNESS] * (1.0 + p[QP_WORKFORCE_STRAIN_SICKNESS] * team->counts.mean_strain);
            team->sick = qisim_rng_binomial(r, present, p_sick > 1.0 ? 1.0 : p_sick);
            sick += team->sick;
        }
        tr->stats.leavers = leavers;
        tr->stats.sick = sick;
    }
    if (n_movers > 0)
        rotate(w, n_movers, &c);
    /* Everyone in post has a week more in post, before any other phase reads it: the learning
     * pass reads contacts' tenure in other teams (newcomers' ties), and must find them all as of
     * this week whichever team it visits first. A new starter's first week counts. */
    advance_tenure(s->tenure, s->flags, w->n_staff);
}
