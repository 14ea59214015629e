/* The mechanisms of MODEL.md §3, one file each in src/model, and the interventions they offer.
 * The model's week (phases.c) calls each one's weekly work in phase order and they interact
 * through world state; each piece of state has one owner (world.h says which), and another
 * mechanism changes it only through one of the owner's functions declared here. Interventions are called by the scenario layer
 * between steps; each validates its arguments and returns QISIM_EINVAL with a message naming
 * the bad one, leaving the world unchanged. Every intervention is logged in the event log. */
#ifndef QISIM_MODEL_H
#define QISIM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "qisim/err.h"
#include "qisim/limits.h"
#include "qisim/world.h"

/* ---- the week ------------------------------------------------------------------------------ */

/* Days in a working week: course, teaching and visit days become person-weeks of a team's time
 * by this (structural, not a parameter: docs/ODD.md §10 row 20). */
enum { QISIM_WORKING_DAYS = 5 };

/* One simulated week of the model, every mechanism in phase order (phases.c); called only
 * through qisim_world_advance, which allocates the week's scratch (counts, seen) first. */
void qisim_model_week(qisim_world *w);
/* Simulates one week of the model: qisim_world_advance with qisim_model_week. */
int qisim_world_step(qisim_world *w, const qisim_host *host, qisim_err *err);

/* ---- weekly steps, in the phase order of qisim_model_week ---------------------------------- */
void qisim_shocks_step(qisim_world *w);
/* Who is in post this week (leavers, hires, rotations, sickness, tenure, each team's strain
 * target), before time; the drift of the members in post (strain, know-how) is each member's
 * part of the learning pass (src/model/workforce.h), which qisim_workforce_team runs over one
 * team on its own. */
void qisim_workforce_step(qisim_world *w);
void qisim_workforce_team(qisim_world *w, int32_t team);
void qisim_time_step(qisim_world *w);
/* Time owns a team's course_load: another mechanism books person-weeks of the team's time away
 * (course and induction days, teaching, learning visits) with this, and time delivers them over
 * the coming weeks (time.course_weeks). */
void qisim_time_book(qisim_team *team, double person_weeks);
void qisim_leadership_step(qisim_world *w);
/* Leadership owns the board: in a take-over (interorg.c) the exemplar's board takes charge of
 * trust: a new chief executive with QI experience, the exemplar's commitment and style where
 * they are stronger, QI as the method (the board still decides), and `moved` FTE of the
 * exemplar's central QI team move across to trust. */
void qisim_leadership_take_charge(qisim_world *w, int32_t exemplar, int32_t trust, int32_t moved);
/* Training and spread work team by team, in the week's one pass over the staff (phases.c):
 * the trust's share of training first, then each of its teams, then the trust's close, which
 * logs the sum of what its teams returned: the champions who stepped down this week (a count
 * of the week, not state). */
typedef struct qisim_training_week { /* the week's functions of parameters, worked out once */
    double motivation_scale, or_coaching, or_project, or_interprofessional, champion_fade;
    uint16_t horizon;
    double course_push[QISIM_MAX_WEEKS]; /* exp(-w / training.conversion_weeks) for w < horizon */
} qisim_training_week;
void qisim_training_prepare(const qisim_world *w, qisim_training_week *c);
void qisim_training_trust(qisim_world *w, int32_t trust);
int32_t qisim_training_team(qisim_world *w, const qisim_training_week *c, int32_t trust, int32_t team);
void qisim_training_trust_done(qisim_world *w, int32_t trust, int32_t stepped_down);
void qisim_spread_team(qisim_world *w, int32_t trust, int32_t team);
/* Training, or spread, alone over every trust and team as the week's pass runs it: for testing
 * one mechanism in isolation. */
void qisim_training_step(qisim_world *w);
void qisim_spread_step(qisim_world *w);
void qisim_projects_step(qisim_world *w);
/* Adds the gains of team's changes being sustained (projects in QISIM_PROJECT_SUSTAINING) onto
 * *reliability and *flow by topic, in slot order: what outcomes applies and the board sees. */
void qisim_projects_add_sustained(const qisim_world *w, int32_t team, double *reliability, double *flow);
/* Projects own the portfolios and their counts: an active project pr of `team` ends unfinished
 * (empty slot, one more of its trust's projects_failed), as when shocks.c's disruption abandons it. */
void qisim_projects_abandon(qisim_world *w, qisim_team *team, qisim_project *pr);
void qisim_data_step(qisim_world *w);
/* Data owns how a trust uses its data: another's way of using them comes in with this (the
 * exemplar's in a take-over, interorg.c), raising the trust's data_for_improvement to `use`
 * where that is more. */
void qisim_data_take_use(qisim_trust *tr, double use);
/* Culture owns the teams' psychological safety; others shake it only through this: a loss of
 * `loss` (defensive feedback in data.c, the shock of special measures in regulation.c). */
void qisim_culture_shake_safety(qisim_team *team, double loss);
/* Training owns coaching: whether trust tr's projects have a coach's support this week (its own
 * coaches not lent out, borrowed ones, special measures' support, a central QI team, or
 * practising improvement leaders who coach). Individual coaching places are counted apart
 * (coaching_capacity in training.c): a central team supports projects, not each trainee. */
bool qisim_training_supports_projects(const qisim_world *w, const qisim_trust *tr);
void qisim_patients_step(qisim_world *w);
void qisim_culture_step(qisim_world *w);
void qisim_interorg_step(qisim_world *w);
void qisim_regulation_step(qisim_world *w);
void qisim_outcomes_step(qisim_world *w);
/* Outcomes owns a trust's QI spending: another mechanism books the pounds it spends on QI
 * (courses, investment, collaboratives, visits) with this, and outcomes closes them into the
 * week's spend (qi_spend_week). */
void qisim_outcomes_book(qisim_trust *tr, double pounds);
void qisim_journey_step(qisim_world *w);

/* ---- interventions ----------------------------------------------------------------------- */

/* training.c: enrol `share` (0..1] of the trust's staff in post whose role is in role_mask
 * (bit 1u << enum qisim_role; 0 means every role) on a course of `tier` (awareness ..
 * expert). project: the course includes a real project; interprofessional: mixed
 * professions. Staff already at or above the tier are skipped. Costs are booked. */
int qisim_training_enrol(qisim_world *w, int32_t trust, int tier, uint32_t role_mask, double share,
                         bool project, bool interprofessional, qisim_err *err);
/* The same for the staff a target reaches (chosen teams, opinion leaders, the most connected:
 * qisim_target_pick); qisim_training_enrol is this with every team and QISIM_TARGET_ANYONE. */
int qisim_training_enrol_target(qisim_world *w, int32_t trust, int tier, uint32_t role_mask,
                                const qisim_target *target, bool project, bool interprofessional, qisim_err *err);
/* New starters receive this tier at induction (QISIM_TIER_NONE: no induction training). */
int qisim_training_set_induction(qisim_world *w, int32_t trust, int tier, qisim_err *err);
/* Employ `coaches` QI coaches (>= 0), each reinforcing a caseload of trained staff. */
int qisim_training_set_coaches(qisim_world *w, int32_t trust, int32_t coaches, qisim_err *err);
/* Train-the-trainer (building from within, H:L288-292): on, the trust's experienced practising
 * practitioners step up to the leader tier and its practising leaders teach practitioner courses. */
int qisim_training_set_trainers(qisim_world *w, int32_t trust, bool on, qisim_err *err);

/* spread.c: designate champions among the staff a target reaches who know enough to practise
 * (spread.knowhow_min): they practise and do not lapse while in post, and are a credible core
 * for their contacts (R:L3125-3128). A champion who leaves takes the role with them. */
int qisim_spread_champions(qisim_world *w, int32_t trust, const qisim_target *target, qisim_err *err);

/* time.c: protect `share` (0..0.5) of every member's working time for QI. */
int qisim_time_set_protected(qisim_world *w, int32_t trust, double share, qisim_err *err);

/* leadership.c */
int qisim_leadership_set_strategy(qisim_world *w, int32_t trust, int strategy, qisim_err *err);
/* Replace the chief executive now. */
int qisim_leadership_new_ceo(qisim_world *w, int32_t trust, bool qi_experience, qisim_err *err);
/* A leadership development programme for the board and senior managers. */
int qisim_leadership_develop(qisim_world *w, int32_t trust, qisim_err *err);
/* Size of the central QI team (FTE >= 0). */
int qisim_leadership_set_central_team(qisim_world *w, int32_t trust, int32_t fte, qisim_err *err);
/* Hand strategy and investment back to the board (on) or take them from it (off). */
int qisim_leadership_board_decides(qisim_world *w, int32_t trust, bool on, qisim_err *err);

/* data.c: invest in data infrastructure, raising its maturity target by `amount` (0..1). */
int qisim_data_invest(qisim_world *w, int32_t trust, double amount, qisim_err *err);
/* Run audit and feedback to every team of the trust for `weeks`, with the amplifiers of
 * B:L1818-1888: repeated feedback, from a colleague, with targets, with action plans. */
int qisim_data_audit_feedback(qisim_world *w, int32_t trust, int32_t weeks, bool repeated, bool colleague,
                              bool targets, bool action_plans, qisim_err *err);

/* patients.c: the trust's patient partnership policy, 0 consultation .. 1 co-production. */
int qisim_patients_set_partnership(qisim_world *w, int32_t trust, double level, qisim_err *err);

/* interorg.c: a collaborative of the listed teams (2..1000, any trusts) for `weeks`, working
 * on `topic` (enum qisim_project_topic: reliability, or flow for access and waiting); adapt:
 * teams adapt the shared changes to their context rather than copy them (C:L272). */
int qisim_interorg_collaborative(qisim_world *w, const char *name, const int32_t *teams, int32_t n,
                                 int32_t weeks, int topic, bool adapt, qisim_err *err);
/* A peer network among the listed trusts (2..1000). */
int qisim_interorg_network(qisim_world *w, const int32_t *trusts, int32_t n, qisim_err *err);
/* An exemplar trust supports a struggling one (H:L304-308) for `weeks` (0: until ended): it lends
 * up to interorg.partner_coaches of its own coaches, which it loses for the duration. */
int qisim_interorg_partner(qisim_world *w, int32_t exemplar, int32_t trust, int32_t weeks, qisim_err *err);
/* The exemplar's chair, CEO, central QI team and method take charge of the failing trust
 * (H:L187, L308): a merger's disruption (B:L843) and proven leadership. */
int qisim_interorg_take_over(qisim_world *w, int32_t exemplar, int32_t trust, qisim_err *err);

/* A learning visit (C:L250-258, H:L306): team visits `host`, a team of another trust. The host's
 * `hosts` members with the most know-how (0: interorg.visit_hosts) are tied to every visiting
 * member in post for `weeks` (0: interorg.visit_weeks; ties only with the staff network), and
 * each visitor takes home interorg.visit_learning of the gap to the hosts' mean know-how; the
 * visitors' interorg.visit_days come out of their team's capacity and their trust pays for them.
 * QISIM_EINVAL (same trust, ranges, the network not built yet, too many ties) or QISIM_ENOMEM;
 * the world is unchanged on error. */
int qisim_interorg_visit(qisim_world *w, int32_t team, int32_t host, int32_t hosts, int32_t weeks, qisim_err *err);
/* A regional improvement academy for `weeks` (1..5200; H:L98, L298-302): its region's trusts see
 * each other's practice, and at every learning event (interorg.event_weeks) each trust's least
 * practised team visits the region's most practised team in another trust; it costs
 * interorg.academy_cost per trust a week, paid by the region. */
int qisim_interorg_academy(qisim_world *w, int32_t region, int32_t weeks, qisim_err *err);

/* regulation.c: stance 0 inspector .. 1 improvement partner. */
int qisim_regulation_set_stance(qisim_world *w, int32_t regulator, double stance, qisim_err *err);
/* Put a trust into (or take it out of) special measures now. */
int qisim_regulation_special_measures(qisim_world *w, int32_t trust, bool on, qisim_err *err);
/* Inspect and rate a trust now. */
int qisim_regulation_inspect(qisim_world *w, int32_t trust, qisim_err *err);
/* Inspection policy of a regulator: risk_based brings an inspection forward on a risk signal;
 * budget caps its inspections per 52 weeks (0: no cap, at most 100000). */
int qisim_regulation_set_policy(qisim_world *w, int32_t regulator, bool risk_based, int32_t budget, qisim_err *err);
/* A compact between the regulator and a trust (B:L466-508): a meeting every
 * regulation.meeting_weeks, each a contact at stance 1 costing the regulator regulation.contact_cost. */
int qisim_regulation_compact(qisim_world *w, int32_t regulator, int32_t trust, bool on, qisim_err *err);
/* A support visit by the regulator to a trust now: a contact that moves their relational trust
 * regulation.contact_trust of the way to the regulator's stance, at regulation.contact_cost to it. */
int qisim_regulation_support_visit(qisim_world *w, int32_t regulator, int32_t trust, qisim_err *err);

/* shocks.c: trust -1 means every trust. */
int qisim_shocks_crisis(qisim_world *w, int32_t trust, int32_t weeks, double demand, qisim_err *err);
int qisim_shocks_restructure(qisim_world *w, int32_t trust, qisim_err *err);
int qisim_shocks_it_go_live(qisim_world *w, int32_t trust, qisim_err *err);
/* A national programme for every trust for `weeks`, mandated (top-down) or peer-led. */
int qisim_shocks_national_programme(qisim_world *w, int32_t weeks, bool mandated, qisim_err *err);

#endif
