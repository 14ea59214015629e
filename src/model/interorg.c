/* Mechanism 10: learning between organisations. */

/* Peer networks let trusts see each other's practice (more so where the regulator's relational
 * stance has built trust); exemplar partners lend coaches out of their own (which they lose for
 * the partnership's duration) and show what good looks like; a takeover puts the exemplar's
 * leadership, central QI team and method in charge, at the cost of a merger's disruption;
 * collaboratives give a cohort of teams learning sessions and shared changes for a fixed period
 * (projects read the cohort). A learning visit takes a team to an exemplar team of another trust:
 * know-how taken home and ties for a while, at the cost of the visitors' and the hosts' days. A regional academy
 * makes its region a peer network and sends each trust's least practised team to the region's
 * most practised one at every learning event; a peer-led national programme ties its champions
 * across trusts at every meeting. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "qisim/model.h"

static double practising_share(const qisim_trust *t)
{
    return t->stats.n_staff ? (double)t->stats.n_practising / t->stats.n_staff : 0.0;
}

/* Partnerships that have run their course end; each lender's coaches are shared among the
 * trusts it supports, up to interorg.partner_coaches each, and it loses what it lends. */
static void lend_coaches(qisim_world *w)
{
    int32_t per_partner = (int32_t)w->params.v[QP_INTERORG_PARTNER_COACHES];
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        if (tr->partner >= 0 && tr->partner_until > 0 && w->week >= tr->partner_until) {
            qisim_world_log(w, QISIM_LEVEL_TRUST, k, "exemplar_partner", "ended exemplar=%s", w->trusts[tr->partner].name);
            tr->partner = -1;
            tr->partner_until = 0;
        }
        tr->coaches_lent = 0; /* first a count of the trusts it supports */
    }
    for (int32_t k = 0; k < w->n_trusts; k++)
        if (w->trusts[k].partner >= 0)
            w->trusts[w->trusts[k].partner].coaches_lent++;
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        tr->coaches_borrowed = 0;
        if (tr->partner >= 0) {
            const qisim_trust *lender = &w->trusts[tr->partner];
            int32_t share = lender->coaches / lender->coaches_lent;
            tr->coaches_borrowed = share < per_partner ? share : per_partner;
        }
    }
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        if (tr->coaches_lent > 0) {
            int32_t share = tr->coaches / tr->coaches_lent;
            tr->coaches_lent *= share < per_partner ? share : per_partner;
        }
    }
}

static void run_academies(qisim_world *w);
static void champions_meet(qisim_world *w);
static bool academy_running(const qisim_world *w, const qisim_region *g);

void qisim_interorg_step(qisim_world *w)
{
    const double *p = w->params.v;
    double rate = 1.0 / p[QP_INTERORG_PEER_WEEKS], relational = p[QP_INTERORG_RELATIONAL];
    lend_coaches(w);
    for (int32_t k = 0; k < w->n_trusts; k++) {
        qisim_trust *tr = &w->trusts[k];
        double seen = 0.0;
        if (tr->network >= 0) {
            double sum = 0.0;
            int32_t n = 0;
            for (int32_t j = 0; j < w->n_trusts; j++) {
                if (j != k && w->trusts[j].network == tr->network) {
                    sum += practising_share(&w->trusts[j]);
                    n++;
                }
            }
            seen = n ? sum / n : 0.0;
            seen *= 1.0 - relational + relational * tr->relational_trust;
        }
        if (academy_running(w, &w->regions[tr->region])) {
            /* an academy's region is a peer network of its trusts (H:L298: it connects them) */
            double sum = 0.0;
            int32_t n = 0;
            for (int32_t j = 0; j < w->n_trusts; j++) {
                if (j != k && w->trusts[j].region == tr->region) {
                    sum += practising_share(&w->trusts[j]);
                    n++;
                }
            }
            double region_seen = (n ? sum / n : 0.0) * (1.0 - relational + relational * tr->relational_trust);
            seen = region_seen > seen ? region_seen : seen;
        }
        if (tr->partner >= 0) {
            double exemplar = w->trusts[tr->partner].culture;
            seen = exemplar > seen ? exemplar : seen;
        }
        tr->peer_support += (rate * (seen - tr->peer_support));
    }
    run_academies(w);
    champions_meet(w);
    for (int32_t t = 0; t < w->n_teams; t++) {
        qisim_team *team = &w->teams[t];
        if (team->collaborative >= 0) {
            const qisim_collaborative *c = &w->collaboratives[team->collaborative];
            if (w->week >= c->start_week + c->weeks)
                team->collaborative = -1; /* the cohort has ended */
            else if (w->week >= c->start_week)
                qisim_outcomes_book(&w->trusts[team->trust], p[QP_OUTCOMES_COST_COLLABORATIVE_TEAM]);
        }
    }
}

int qisim_interorg_collaborative(qisim_world *w, const char *name, const int32_t *teams, int32_t n,
                                 int32_t weeks, int topic, bool adapt, qisim_err *err)
{
    if (n < 2 || n > QISIM_MAX_GROUP)
        return qisim_err_set(err, QISIM_EINVAL, "a collaborative needs 2 to %d teams, not %d", QISIM_MAX_GROUP, n);
    if (weeks < 1 || weeks > QISIM_MAX_WEEKS)
        return qisim_err_set(err, QISIM_EINVAL, "a collaborative of %d weeks is outside [1, %d]", weeks, QISIM_MAX_WEEKS);
    if (topic != QISIM_TOPIC_RELIABILITY && topic != QISIM_TOPIC_FLOW)
        return qisim_err_set(err, QISIM_EINVAL, "unknown collaborative topic %d", topic);
    for (int32_t i = 0; i < n; i++) {
        if (teams[i] < 0 || teams[i] >= w->n_teams)
            return qisim_err_set(err, QISIM_EINVAL, "no team with id %d", teams[i]);
        if (w->teams[teams[i]].collaborative >= 0)
            return qisim_err_set(err, QISIM_EINVAL, "team '%s' is already in a collaborative", qisim_team_name(w, teams[i]));
        for (int32_t j = 0; j < i; j++)
            if (teams[j] == teams[i])
                return qisim_err_set(err, QISIM_EINVAL, "team '%s' is listed twice", qisim_team_name(w, teams[i]));
    }
    if (qisim_world_grow((void **)&w->collaboratives, &w->cap_collaboratives, w->n_collaboratives + 1,
                         sizeof *w->collaboratives, 8))
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory adding a collaborative");
    int32_t id = w->n_collaboratives++;
    qisim_collaborative *c = &w->collaboratives[id];
    memset(c, 0, sizeof *c); /* padding too: collaboratives are saved in checkpoints */
    snprintf(c->name, sizeof c->name, "%s", name && name[0] ? name : "collaborative");
    c->start_week = w->week;
    c->weeks = weeks;
    c->n_teams = n;
    c->topic = topic;
    c->adapt = adapt;
    for (int32_t i = 0; i < n; i++)
        w->teams[teams[i]].collaborative = id;
    qisim_world_log(w, QISIM_LEVEL_SYSTEM, 0, "collaborative", "name=%s teams=%d weeks=%d topic=%s adapt=%d",
                    c->name, n, weeks, qisim_topic_name(topic), adapt);
    return QISIM_OK;
}

int qisim_interorg_network(qisim_world *w, const int32_t *trusts, int32_t n, qisim_err *err)
{
    if (n < 2 || n > QISIM_MAX_GROUP)
        return qisim_err_set(err, QISIM_EINVAL, "a peer network needs 2 to %d trusts, not %d", QISIM_MAX_GROUP, n);
    int32_t network = 0;
    for (int32_t k = 0; k < w->n_trusts; k++)
        if (w->trusts[k].network >= network)
            network = w->trusts[k].network + 1;
    for (int32_t i = 0; i < n; i++) {
        int rc = qisim_world_check_trust(w, trusts[i], err);
        if (rc)
            return rc;
        for (int32_t j = 0; j < i; j++)
            if (trusts[j] == trusts[i])
                return qisim_err_set(err, QISIM_EINVAL, "trust '%s' is listed twice", w->trusts[trusts[i]].name);
    }
    for (int32_t i = 0; i < n; i++)
        w->trusts[trusts[i]].network = network;
    qisim_world_log(w, QISIM_LEVEL_SYSTEM, 0, "peer_network", "network=%d trusts=%d", network, n);
    return QISIM_OK;
}

int qisim_interorg_partner(qisim_world *w, int32_t exemplar, int32_t trust, int32_t weeks, qisim_err *err)
{
    int rc = qisim_world_check_trust(w, exemplar, err);
    if (rc || (rc = qisim_world_check_trust(w, trust, err)))
        return rc;
    if (exemplar == trust)
        return qisim_err_set(err, QISIM_EINVAL, "a trust cannot partner itself");
    if (weeks < 0 || weeks > QISIM_MAX_WEEKS)
        return qisim_err_set(err, QISIM_EINVAL, "a partnership of %d weeks is outside [0, %d] (0: until ended)", weeks,
                             QISIM_MAX_WEEKS);
    w->trusts[trust].partner = exemplar;
    w->trusts[trust].partner_until = weeks > 0 ? w->week + weeks : 0;
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "exemplar_partner", "exemplar=%s weeks=%d", w->trusts[exemplar].name, weeks);
    return QISIM_OK;
}

int qisim_interorg_take_over(qisim_world *w, int32_t exemplar, int32_t trust, qisim_err *err)
{
    int rc = qisim_interorg_partner(w, exemplar, trust, 0, err);
    if (rc)
        return rc;
    const qisim_trust *ex = &w->trusts[exemplar];
    /* The exemplar's chair, CEO and executives take on the trust (H:L187, L308): its board's
     * commitment, style and QI experience, its method (leadership's state) and its use of data
     * (data's). Half its central QI team moves across: the lender runs on the rest. */
    int32_t moved = (int32_t)lround(w->params.v[QP_INTERORG_TAKEOVER_CENTRAL] * ex->central_team);
    qisim_leadership_take_charge(w, exemplar, trust, moved);
    qisim_data_take_use(&w->trusts[trust], ex->data_for_improvement);
    qisim_world_log(w, QISIM_LEVEL_TRUST, trust, "take_over", "exemplar=%s central_team=%d", ex->name, moved);
    /* A merger sets an organisation back by 18 months or more (B:L843). */
    return qisim_shocks_restructure(w, trust, err);
}

/* ---- learning visits, regional academies, networks of champions (issue 8, item 6) ------------- */

static double team_practising_share(const qisim_team *t)
{
    return t->counts.n_in_post > 0 ? (double)t->counts.n_practising / t->counts.n_in_post : 0.0;
}

int qisim_interorg_visit(qisim_world *w, int32_t team, int32_t host, int32_t hosts, int32_t weeks, qisim_err *err)
{
    const double *p = w->params.v;
    if (team < 0 || team >= w->n_teams || host < 0 || host >= w->n_teams)
        return qisim_err_set(err, QISIM_EINVAL, "no team with id %d", team < 0 || team >= w->n_teams ? team : host);
    qisim_team *visitors = &w->teams[team], *hosting = &w->teams[host];
    if (visitors->trust == hosting->trust)
        return qisim_err_set(err, QISIM_EINVAL,
                             "a learning visit is between trusts: teams '%s' and '%s' are both of trust '%s' (use second{} within a trust)",
                             qisim_team_name(w, team), qisim_team_name(w, host), w->trusts[visitors->trust].name);
    if (hosts == 0)
        hosts = (int32_t)p[QP_INTERORG_VISIT_HOSTS];
    if (weeks == 0)
        weeks = (int32_t)p[QP_INTERORG_VISIT_WEEKS];
    if (hosts < 1 || hosts > 100)
        return qisim_err_set(err, QISIM_EINVAL, "%d hosts of a learning visit is outside [1, 100]", hosts);
    if (weeks < 1 || weeks > 520)
        return qisim_err_set(err, QISIM_EINVAL, "a learning visit's ties of %d weeks are outside [1, 520]", weeks);
    bool network = p[QP_NETWORK_ON] != 0.0;
    if (network && !w->net.offsets)
        return qisim_err_set(err, QISIM_EINVAL,
                             "a learning visit needs the staff network, which is not built until week 0: act from a scheduled action (at(0, ...))");
    /* the hosts: the host team's members in post with the most know-how (equal know-how in id order) */
    int32_t n, n_visitors = 0;
    int32_t *pool = qisim_team_most_skilled(w, host, &n);
    if (!pool)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory for a learning visit");
    int32_t shown = n < hosts ? n : hosts;
    int32_t end = visitors->first_staff + visitors->n_staff;
    for (int32_t i = visitors->first_staff; i < end; i++)
        n_visitors += !(w->staff.flags[i] & QISIM_STAFF_VACANT);
    if (network && w->net.n_bridges + (int64_t)shown * n_visitors > QISIM_MAX_BRIDGES) {
        free(pool);
        return qisim_err_set(err, QISIM_EINVAL,
                             "a learning visit of team '%s' (%d in post) to %d hosts would bring the temporary ties above %d",
                             qisim_team_name(w, team), n_visitors, shown, (int)QISIM_MAX_BRIDGES);
    }
    /* Room for every tie first, so that a visit cut short by memory leaves no ties behind. */
    int rc = network ? qisim_network_reserve_bridges(w, (int64_t)shown * n_visitors, err) : QISIM_OK;
    if (rc) {
        free(pool);
        return rc;
    }
    double seen = 0.0;
    for (int32_t k = 0; k < shown; k++)
        seen += (double)w->staff.knowhow[pool[k]];
    seen = shown ? seen / shown : 0.0;
    /* The contact made: each host is tied to each visitor for a while (C:L254: "having that
     * network is important"), so practice is seen across the two trusts. */
    for (int32_t k = 0; network && k < shown && !rc; k++)
        for (int32_t i = visitors->first_staff; i < end && !rc; i++)
            if (!(w->staff.flags[i] & QISIM_STAFF_VACANT))
                rc = qisim_network_bridge(w, pool[k], i, weeks, err);
    free(pool);
    if (rc)
        return rc; /* not reached: the cap was checked and the room reserved above */
    /* The know-how taken home: a share of the gap to what the hosts know (C:L250-258). */
    float learn = (float)p[QP_INTERORG_VISIT_LEARNING];
    for (int32_t i = visitors->first_staff; i < end; i++)
        if (!(w->staff.flags[i] & QISIM_STAFF_VACANT) && (double)w->staff.knowhow[i] < seen)
            w->staff.knowhow[i] += learn * ((float)seen - w->staff.knowhow[i]);
    /* The visitors' days come out of their team's capacity, and are paid for by their trust; the
     * hosts spend the same days showing them round, out of the host team's capacity and paid
     * for by the host's trust (time.c delivers both as it does course days). */
    double person_weeks = n_visitors * p[QP_INTERORG_VISIT_DAYS] / QISIM_WORKING_DAYS;
    qisim_time_book(visitors, person_weeks);
    qisim_outcomes_book(&w->trusts[visitors->trust], person_weeks * p[QP_OUTCOMES_COST_STAFF_WEEK]);
    double host_weeks = shown * p[QP_INTERORG_VISIT_DAYS] / QISIM_WORKING_DAYS;
    qisim_time_book(hosting, host_weeks);
    qisim_outcomes_book(&w->trusts[hosting->trust], host_weeks * p[QP_OUTCOMES_COST_STAFF_WEEK]);
    qisim_world_log(w, QISIM_LEVEL_TEAM, team, "learning_visit", "host=%s of %s hosts=%d visitors=%d weeks=%d",
                    qisim_team_name(w, host), w->trusts[hosting->trust].name, shown, n_visitors, network ? weeks : 0);
    return QISIM_OK;
}

int qisim_interorg_academy(qisim_world *w, int32_t region, int32_t weeks, qisim_err *err)
{
    if (region < 0 || region >= w->n_regions)
        return qisim_err_set(err, QISIM_EINVAL, "no region with id %d", region);
    if (weeks < 1 || weeks > QISIM_MAX_WEEKS)
        return qisim_err_set(err, QISIM_EINVAL, "an academy of %d weeks is outside [1, %d]", weeks, (int)QISIM_MAX_WEEKS);
    qisim_region *g = &w->regions[region];
    g->academy_start = w->week;
    g->academy_until = w->week + weeks;
    qisim_world_log(w, QISIM_LEVEL_REGION, region, "academy", "weeks=%d", weeks);
    return QISIM_OK;
}

static bool academy_running(const qisim_world *w, const qisim_region *g)
{
    return w->week >= g->academy_start && w->week < g->academy_until;
}

/* The region's team with the most practice outside trust k (ties: the lowest id), or -1. */
static int32_t best_team_elsewhere(const qisim_world *w, int32_t region, int32_t k)
{
    int32_t best = -1;
    double best_share = 0.0;
    for (int32_t j = 0; j < w->n_trusts; j++) {
        const qisim_trust *tr = &w->trusts[j];
        if (j == k || tr->region != region)
            continue;
        for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
            double share = team_practising_share(&w->teams[t]);
            if (share > best_share) {
                best_share = share;
                best = t;
            }
        }
    }
    return best;
}

/* The trust's team with the least practice (ties: the lowest id), or -1. */
static int32_t weakest_team(const qisim_world *w, const qisim_trust *tr)
{
    int32_t worst = -1;
    double worst_share = 2.0;
    for (int32_t t = tr->first_team; t < tr->first_team + tr->n_teams; t++) {
        double share = team_practising_share(&w->teams[t]);
        if (w->teams[t].counts.n_in_post > 0 && share < worst_share) {
            worst_share = share;
            worst = t;
        }
    }
    return worst;
}

/* A running academy costs its region and, at each learning event, sends each of its trusts'
 * least practised team to see the region's most practised team in another trust (H:L98,
 * L298-302: academies connect organisations, run learning events and train). */
static void run_academies(qisim_world *w)
{
    const double *p = w->params.v;
    int32_t event = (int32_t)p[QP_INTERORG_EVENT_WEEKS];
    for (int32_t g = 0; g < w->n_regions; g++) {
        const qisim_region *rg = &w->regions[g];
        if (!academy_running(w, rg))
            continue;
        bool meets = (w->week - rg->academy_start) % event == 0;
        for (int32_t k = 0; k < w->n_trusts; k++) {
            qisim_trust *tr = &w->trusts[k];
            if (tr->region != g)
                continue;
            tr->support_spend_total += p[QP_INTERORG_ACADEMY_COST];
            int32_t host = meets ? best_team_elsewhere(w, g, k) : -1, team = host >= 0 ? weakest_team(w, tr) : -1;
            if (team < 0)
                continue;
            qisim_err err;
            qisim_err_clear(&err);
            if (qisim_interorg_visit(w, team, host, 0, 0, &err) != QISIM_OK)
                qisim_world_log(w, QISIM_LEVEL_REGION, g, "academy", "visit skipped: %s", err.msg);
        }
    }
}

/* A peer-led national programme's champions meet: each champion in post is tied, until the next
 * meeting, to interorg.champion_ties members of the teams of champions of other trusts, so the
 * units taking part support each other laterally (B:L730: interorganisational networking and
 * lateral support; B:L732: where that was missing the programme failed to spread). A champion's
 * practice hangs on their commitment, not on contacts, so the ties reach the units: the member is
 * drawn from the other champion's team. The meeting renews each champion's commitment (C:L254:
 * the network gave "confidence to continue with the approach"), which fades between meetings
 * (training.c). */
static void champions_meet(qisim_world *w)
{
    const double *p = w->params.v;
    int32_t ties = (int32_t)p[QP_INTERORG_CHAMPION_TIES], event = (int32_t)p[QP_INTERORG_EVENT_WEEKS];
    int32_t attempts = (int32_t)p[QP_INTERORG_CHAMPION_TIE_ATTEMPTS];
    if (!qisim_national_programme_running(w) || w->national_mandated || w->week % event != 0)
        return;
    const uint8_t *flags = w->staff.flags;
    float renewal = (float)p[QP_INTERORG_CHAMPION_RENEWAL];
    int32_t n = 0;
    for (int32_t i = 0; i < w->n_staff; i++)
        if ((flags[i] & (QISIM_STAFF_CHAMPION | QISIM_STAFF_VACANT)) == QISIM_STAFF_CHAMPION) {
            w->staff.commitment[i] += renewal * (1.0f - w->staff.commitment[i]); /* with or without ties */
            n++;
        }
    if (n == 0)
        return;
    if (n < 2 || ties < 1 || !w->net.offsets) {
        qisim_world_log(w, QISIM_LEVEL_SYSTEM, 0, "champions_meeting", "champions=%d ties=0", n);
        return;
    }
    int32_t *post = malloc(3 * (size_t)n * sizeof *post), *team = post + n, *trust = team + n;
    if (!post) {
        qisim_world_log(w, QISIM_LEVEL_SYSTEM, 0, "champions_meeting", "%s", "skipped: out of memory");
        return;
    }
    n = 0;
    for (int32_t t = 0; t < w->n_teams; t++) {
        const qisim_team *tm = &w->teams[t];
        for (int32_t i = tm->first_staff; i < tm->first_staff + tm->n_staff; i++)
            if ((flags[i] & (QISIM_STAFF_CHAMPION | QISIM_STAFF_VACANT)) == QISIM_STAFF_CHAMPION) {
                post[n] = i;
                team[n] = t;
                trust[n++] = tm->trust;
            }
    }
    qisim_rng *r = &w->rng[QISIM_STREAM_INTERORG];
    int32_t made = 0, before = w->net.n_bridges;
    int rc = QISIM_OK;
    qisim_err err;
    qisim_err_clear(&err);
    for (int32_t c = 0; c < n && !rc; c++)
        for (int32_t t = 0; t < ties && !rc; t++)
            for (int32_t attempt = 0; attempt < attempts; attempt++) { /* a champion of another trust, at random */
                int32_t j = (int32_t)qisim_rng_below(r, (uint32_t)n);
                if (trust[j] == trust[c])
                    continue;
                const qisim_team *tm = &w->teams[team[j]]; /* and a member of their team */
                int32_t m = tm->first_staff + (int32_t)qisim_rng_below(r, (uint32_t)tm->n_staff);
                if (!(flags[m] & QISIM_STAFF_VACANT))
                    rc = qisim_network_bridge(w, post[c], m, event, &err);
                break;
            }
    made = w->net.n_bridges - before;
    free(post);
    qisim_world_log(w, QISIM_LEVEL_SYSTEM, 0, "champions_meeting", "champions=%d ties=%d%s%s", n, made,
                    rc ? " stopped: " : "", rc ? err.msg : "");
}
