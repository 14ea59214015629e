/* The metric table: each metric is a pooled ratio (or a sum) over trusts, and optionally a
 * value for a single team. */
#include "qisim/metrics.h"

#include <math.h>
#include <string.h>

/* A trust contributes num/den; a region or the system pools them: sum(num) / sum(den).
 * Counts are summed instead (struct metric's sum). */
typedef void (*trust_part)(const qisim_trust *t, double *num, double *den);
typedef double (*team_value)(const qisim_world *w, int32_t id);

static double staff(const qisim_trust *t) { return t->stats.n_staff; }
static double team_share(const qisim_team *t, int32_t k)
{
    int32_t n = t->counts.n_in_post;
    return n ? (double)k / n : 0.0;
}
static int32_t tiers_from(const int32_t *tiers, int from)
{
    int32_t n = 0;
    for (int c = from; c < QISIM_N_TIERS; c++)
        n += tiers[c];
    return n;
}

#define STAFF_SHARE(fn, expr) \
    static void fn(const qisim_trust *t, double *num, double *den) { *num = (expr); *den = staff(t); }
#define ESTABLISHMENT_MEAN(fn, expr) \
    static void fn(const qisim_trust *t, double *num, double *den) { *num = (expr) * t->n_staff; *den = t->n_staff; }
#define COUNT(fn, expr) \
    static void fn(const qisim_trust *t, double *num, double *den) { *num = (expr); *den = 0.0; }

STAFF_SHARE(trained, tiers_from(t->stats.n_tier, QISIM_TIER_AWARENESS))
STAFF_SHARE(formally_trained, tiers_from(t->stats.n_tier, QISIM_TIER_PRACTITIONER))
STAFF_SHARE(awareness, t->stats.n_tier[QISIM_TIER_AWARENESS])
STAFF_SHARE(practitioner, t->stats.n_tier[QISIM_TIER_PRACTITIONER])
STAFF_SHARE(leader, t->stats.n_tier[QISIM_TIER_LEADER])
STAFF_SHARE(expert, t->stats.n_tier[QISIM_TIER_EXPERT])
STAFF_SHARE(practising, t->stats.n_practising)
STAFF_SHARE(knowhow, t->stats.knowhow * t->stats.n_staff)
STAFF_SHARE(strain, t->stats.strain * t->stats.n_staff)
STAFF_SHARE(sickness, t->stats.sick)
ESTABLISHMENT_MEAN(vacancies, (double)t->stats.vacancies / (t->n_staff ? t->n_staff : 1))
ESTABLISHMENT_MEAN(turnover, 52.0 * t->stats.leavers / (t->n_staff ? t->n_staff : 1))
ESTABLISHMENT_MEAN(psych_safety, t->stats.psych_safety)
ESTABLISHMENT_MEAN(culture, t->culture)
ESTABLISHMENT_MEAN(board_commitment, t->board_commitment)
ESTABLISHMENT_MEAN(data_maturity, t->data_maturity)
ESTABLISHMENT_MEAN(journey_stage, t->journey_stage)
ESTABLISHMENT_MEAN(reliability, t->stats.reliability)
ESTABLISHMENT_MEAN(harm_rate, t->stats.harm_rate)
ESTABLISHMENT_MEAN(waiting, t->stats.waiting)
ESTABLISHMENT_MEAN(workload, t->stats.workload)
ESTABLISHMENT_MEAN(efficiency, t->stats.efficiency)
ESTABLISHMENT_MEAN(demand, t->stats.demand)
ESTABLISHMENT_MEAN(regulatory_load, t->regulatory_load)
ESTABLISHMENT_MEAN(protected_time, t->protected_time)
ESTABLISHMENT_MEAN(qi_time_cost, t->stats.qi_cost)
ESTABLISHMENT_MEAN(overtime, t->stats.overtime)
ESTABLISHMENT_MEAN(waiting_list, t->stats.backlog)
ESTABLISHMENT_MEAN(pressure, t->pressure)
ESTABLISHMENT_MEAN(protected_time_cut, t->time_cut)
ESTABLISHMENT_MEAN(board_investment, t->investment)
static void rating(const qisim_trust *t, double *num, double *den)
{
    *num = t->rating;
    *den = t->rating != QISIM_RATING_NONE; /* unrated trusts do not pull the mean down */
}
COUNT(special_measures, t->special_measures)
COUNT(approach_adopted, t->approach_adopted)
COUNT(incidents_blamed, t->stats.incidents_blamed)
COUNT(incidents_learned, t->stats.incidents_learned)
COUNT(projects_active, t->stats.projects_active)
COUNT(projects_sustained, t->stats.projects_sustaining)
COUNT(projects_started, t->stats.projects_started)
COUNT(projects_completed, t->stats.projects_completed)
COUNT(qi_spend, t->qi_spend_week)
COUNT(qi_spend_total, t->qi_spend_total)
COUNT(coaches, t->coaches)
COUNT(staff_in_post, t->stats.n_staff)
/* The network's means are over posts (ties belong to posts); no ties, no value (NaN). */
static void network_degree(const qisim_trust *t, double *num, double *den)
{
    *num = t->net_ties;
    *den = t->net_ties > 0.0 ? t->n_staff : 0.0;
}
static void network_clustering(const qisim_trust *t, double *num, double *den)
{
    *num = t->net_clustering;
    *den = t->net_ties > 0.0 ? t->n_staff : 0.0;
}
static void network_long_ties(const qisim_trust *t, double *num, double *den)
{
    *num = t->net_long_ties;
    *den = t->net_ties;
}

ESTABLISHMENT_MEAN(assurance, t->assurance)
ESTABLISHMENT_MEAN(compliance, t->compliance)
ESTABLISHMENT_MEAN(relational_trust, t->relational_trust)
static void rating_gap(const qisim_trust *t, double *num, double *den)
{
    *num = t->rating_gap;
    *den = t->inspections > 0; /* only trusts inspected since week 0 have a gap */
}
COUNT(inspections, t->inspections)
COUNT(assurance_spend_total, t->assurance_spend_total)
COUNT(support_spend_total, t->support_spend_total)
COUNT(coaches_lent, t->coaches_lent)

static double team_trained(const qisim_world *w, int32_t id) { const qisim_team *t = &w->teams[id]; return team_share(t, tiers_from(t->counts.n_tier, QISIM_TIER_AWARENESS)); }
static double team_practising(const qisim_world *w, int32_t id) { const qisim_team *t = &w->teams[id]; return team_share(t, t->counts.n_practising); }
static double team_knowhow(const qisim_world *w, int32_t id) { const qisim_team *t = &w->teams[id]; return t->counts.mean_knowhow; }
static double team_strain(const qisim_world *w, int32_t id) { const qisim_team *t = &w->teams[id]; return t->counts.mean_strain; }
static double team_safety(const qisim_world *w, int32_t id) { const qisim_team *t = &w->teams[id]; return t->psych_safety; }
static double team_reliability(const qisim_world *w, int32_t id) { const qisim_team *t = &w->teams[id]; return t->reliability; }
static double team_waiting(const qisim_world *w, int32_t id) { const qisim_team *t = &w->teams[id]; return t->waiting; }
static double team_workload(const qisim_world *w, int32_t id) { const qisim_team *t = &w->teams[id]; return t->workload; }
static double team_demand(const qisim_world *w, int32_t id) { const qisim_team *t = &w->teams[id]; return t->demand; }
static double team_efficiency(const qisim_world *w, int32_t id) { const qisim_team *t = &w->teams[id]; return t->efficiency; }
static double team_qi_cost(const qisim_world *w, int32_t id) { const qisim_team *t = &w->teams[id]; return t->qi_cost; }
static double team_overtime(const qisim_world *w, int32_t id) { const qisim_team *t = &w->teams[id]; return t->overtime; }
static double team_backlog(const qisim_world *w, int32_t id) { const qisim_team *t = &w->teams[id]; return t->backlog; }
static double team_projects(const qisim_world *w, int32_t id) { return w->teams[id].projects_active; }

static const struct metric {
    qisim_metric_desc desc;
    bool sum;       /* a count: summed over trusts rather than pooled as a ratio */
    trust_part part;
    team_value team;
} metrics[] = {
    {{"trained_share", "share of staff", "Staff with any QI training (awareness or above)", true}, false, trained, team_trained},
    {{"formally_trained_share", "share of staff", "Staff trained to practitioner level or above (the 5% threshold, B:L3947)", false}, false, formally_trained, NULL},
    {{"awareness_share", "share of staff", "Staff whose highest QI training is awareness", false}, false, awareness, NULL},
    {{"practitioner_share", "share of staff", "Staff whose highest QI training is practitioner", false}, false, practitioner, NULL},
    {{"leader_share", "share of staff", "Staff whose highest QI training is coach/leader", false}, false, leader, NULL},
    {{"expert_share", "share of staff", "Staff trained as improvement advisers/experts", false}, false, expert, NULL},
    {{"practising_share", "share of staff", "Staff actively practising QI this week", true}, false, practising, team_practising},
    {{"knowhow", "0-1", "Mean QI know-how of staff in post", true}, false, knowhow, team_knowhow},
    {{"projects_active", "count", "Improvement projects in PDSA cycles", true}, true, projects_active, team_projects},
    {{"projects_started", "count", "Projects started since week 0", false}, true, projects_started, NULL},
    {{"projects_completed", "count", "Projects completed since week 0 (change adopted)", false}, true, projects_completed, NULL},
    {{"projects_sustained", "count", "Adopted changes currently sustained", false}, true, projects_sustained, NULL},
    {{"psych_safety", "0-1", "Psychological safety / learning climate of teams", true}, false, psych_safety, team_safety},
    {{"culture", "0-1", "Organisation culture for improvement (slow loop)", false}, false, culture, NULL},
    {{"board_commitment", "0-1", "Board commitment to QI", false}, false, board_commitment, NULL},
    {{"data_maturity", "0-1", "Data infrastructure maturity for improvement", false}, false, data_maturity, NULL},
    {{"journey_stage", "0-6", "Health Foundation improvement journey stage (0 none, 1 assessing readiness .. 6 sustaining)", false}, false, journey_stage, NULL},
    {{"reliability", "share of care", "Care delivered as intended (evidence-concordant)", true}, false, reliability, team_reliability},
    {{"harm_rate", "share of patients", "Patients with an adverse event", false}, false, harm_rate, NULL},
    {{"waiting", "x baseline", "Waiting (flow) relative to a usual service at the usual stretch", true}, false, waiting, team_waiting},
    {{"demand", "x usual", "Demand relative to a usual week (growth, crises, disruption, failure demand)", true}, false, demand, team_demand},
    {{"workload", "demand/capacity", "Demand over contracted clinical capacity (staff present less QI time, times efficiency)", true}, false, workload, team_workload},
    {{"qi_time_cost", "share of capacity", "Share of present staff's hours spent on QI this week (protected time, sessions, courses, coaching, own PDSA work)", true}, false, qi_time_cost, team_qi_cost},
    {{"overtime", "share of week", "Extra hours worked while waits are above a usual service's", true}, false, overtime, team_overtime},
    {{"waiting_list", "x usual", "Waiting list relative to a usual service's", true}, false, waiting_list, team_backlog},
    {{"pressure", "0..", "Operational pressure: workload above the usual stretch, waits above usual, regulatory load", false}, false, pressure, NULL},
    {{"protected_time_cut", "share", "Share of protected time managers have taken back under pressure", false}, false, protected_time_cut, NULL},
    {{"board_investment", "0-1", "What a deciding board puts into QI (0 when the scenario sets the policy)", false}, false, board_investment, NULL},
    {{"efficiency", "x week 0", "Throughput per unit capacity (flow changes raise it)", true}, false, efficiency, team_efficiency},
    {{"strain", "0-1", "Mean staff strain (burnout)", true}, false, strain, team_strain},
    {{"sickness", "share of staff", "Staff off sick this week", false}, false, sickness, NULL},
    {{"turnover", "per year", "Leavers this week, annualised, per post", false}, false, turnover, NULL},
    {{"vacancies", "share of posts", "Posts vacant", false}, false, vacancies, NULL},
    {{"rating", "1-4", "Regulator rating: 1 inadequate, 2 requires improvement, 3 good, 4 outstanding (mean over rated trusts)", false}, false, rating, NULL},
    {{"special_measures", "count", "Trusts in special measures", false}, true, special_measures, NULL},
    {{"approach_adopted", "count", "Trusts that have adopted an organisation-wide approach (journey step 3 reached and not abandoned)", false}, true, approach_adopted, NULL},
    {{"incidents_blamed", "count", "Incidents met with blame since week 0", false}, true, incidents_blamed, NULL},
    {{"incidents_learned", "count", "Incidents met with a just-culture review since week 0", false}, true, incidents_learned, NULL},
    {{"regulatory_load", "0-1", "Regulatory demands on leadership attention", false}, false, regulatory_load, NULL},
    {{"protected_time", "share of time", "Working time protected for QI", false}, false, protected_time, NULL},
    {{"coaches", "FTE", "QI coaches employed", false}, true, coaches, NULL},
    {{"qi_spend", "GBP per week", "QI spend this week", false}, true, qi_spend, NULL},
    {{"qi_spend_total", "GBP", "QI spend since week 0", false}, true, qi_spend_total, NULL},
    {{"staff_in_post", "count", "Staff in post (establishment less vacancies)", false}, true, staff_in_post, NULL},
    {{"network_degree", "ties per post", "Mean ties of a post in the staff network (NaN without one)", false}, false, network_degree, NULL},
    {{"network_clustering", "0-1", "Mean local clustering coefficient of posts in the staff network, at its build", false}, false, network_clustering, NULL},
    {{"network_long_ties", "share of ties", "Share of the staff network's ties that leave their team", false}, false, network_long_ties, NULL},
    {{"assurance", "share of week", "Staff time spent on assurance: inspection readiness, documentation, targets", false}, false, assurance, NULL},
    {{"compliance", "0-1", "Compliance picture the inspector sees (built by assurance, fades without it)", false}, false, compliance, NULL},
    {{"rating_gap", "rating levels", "Last rating minus the rating the true quality score would give (trusts inspected since week 0)", false}, false, rating_gap, NULL},
    {{"relational_trust", "0-1", "Relational trust between the regulator and the trust", false}, false, relational_trust, NULL},
    {{"inspections", "count", "Inspections since week 0", false}, true, inspections, NULL},
    {{"assurance_spend_total", "GBP", "Staff time spent on assurance since week 0, costed", false}, true, assurance_spend_total, NULL},
    {{"support_spend_total", "GBP", "Support paid by supporting bodies since week 0: special measures, regulator contact, the region's academy", false}, true, support_spend_total, NULL},
    {{"coaches_lent", "FTE", "Coaches a trust lends its partners this week (lost to itself)", false}, true, coaches_lent, NULL},
};

enum { N_METRICS = (int)(sizeof metrics / sizeof metrics[0]) };

int qisim_metric_count(void) { return N_METRICS; }

const qisim_metric_desc *qisim_metric_at(int id)
{
    return id >= 0 && id < N_METRICS ? &metrics[id].desc : NULL;
}

int qisim_metric_find(const char *name)
{
    for (int i = 0; i < N_METRICS; i++)
        if (strcmp(metrics[i].desc.name, name) == 0)
            return i;
    return -1;
}

double qisim_metric_value(const qisim_world *w, int metric, int level, int32_t id)
{
    const struct metric *m = &metrics[metric];
    if (level == QISIM_LEVEL_TEAM)
        return m->team ? m->team(w, id) : (double)NAN;
    double num = 0.0, den = 0.0;
    if (level == QISIM_LEVEL_TRUST) {
        /* one trust: no scan of all of them (that made recording n trusts cost n^2) */
        double n, d;
        m->part(&w->trusts[id], &n, &d);
        num += n;
        den += d;
        return m->sum ? num : den > 0.0 ? num / den : (double)NAN;
    }
    for (int32_t k = 0; k < w->n_trusts; k++) {
        const qisim_trust *t = &w->trusts[k];
        if ((level == QISIM_LEVEL_TRUST && k != id) || (level == QISIM_LEVEL_REGION && t->region != id))
            continue;
        double n, d;
        m->part(t, &n, &d);
        num += n;
        den += d;
    }
    if (m->sum)
        return num;
    return den > 0.0 ? num / den : (double)NAN;
}

const char *qisim_level_name(int level)
{
    static const char *const names[QISIM_N_LEVELS] = {"team", "trust", "region", "system"};
    return level >= 0 && level < QISIM_N_LEVELS ? names[level] : "?";
}

int qisim_level_find(const char *name)
{
    for (int l = 0; l < QISIM_N_LEVELS; l++)
        if (strcmp(qisim_level_name(l), name) == 0)
            return l;
    return -1;
}

const char *qisim_entity_name(const qisim_world *w, int level, int32_t id)
{
    switch (level) {
    case QISIM_LEVEL_TEAM: return qisim_team_name(w, id);
    case QISIM_LEVEL_TRUST: return w->trusts[id].name;
    case QISIM_LEVEL_REGION: return w->regions[id].name;
    default: return "system";
    }
}

int32_t qisim_entity_count(const qisim_world *w, int level)
{
    switch (level) {
    case QISIM_LEVEL_TEAM: return w->n_teams;
    case QISIM_LEVEL_TRUST: return w->n_trusts;
    case QISIM_LEVEL_REGION: return w->n_regions;
    default: return 1;
    }
}

/* Which way is better, kept apart from the metric rows so that a new metric needs no verdict:
 * the report's and compare's reading of a difference. A metric not listed (a count of
 * activity, a cost, a state such as demand or the staff network) is neither. */
int qisim_metric_better(int id)
{
    static const char *const higher[] = {
        "trained_share", "formally_trained_share", "practising_share", "knowhow", "projects_completed",
        "projects_sustained", "psych_safety", "culture", "board_commitment", "data_maturity", "journey_stage",
        "reliability", "efficiency", "rating", "approach_adopted", "incidents_learned", "staff_in_post"};
    static const char *const lower[] = {
        "harm_rate", "waiting", "waiting_list", "workload", "overtime", "pressure", "protected_time_cut",
        "strain", "sickness", "turnover", "vacancies", "special_measures", "incidents_blamed"};
    const qisim_metric_desc *m = qisim_metric_at(id);
    if (!m)
        return 0;
    for (size_t i = 0; i < sizeof higher / sizeof higher[0]; i++)
        if (!strcmp(m->name, higher[i]))
            return 1;
    for (size_t i = 0; i < sizeof lower / sizeof lower[0]; i++)
        if (!strcmp(m->name, lower[i]))
            return -1;
    return 0;
}
