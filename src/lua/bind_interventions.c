/* Lua bindings for the interventions of model.h: trust and regulator methods, and system-wide actions.
 *
 * THE SCENARIO API, PART 3: INTERVENTIONS
 *
 * Interventions act now: from the file body (before week 0) or from a scheduled action.
 * Every argument is checked here (type, range, unknown fields); the engine then checks the
 * state (e.g. a trust cannot support itself) and its message is raised at the caller's line
 * as "file:line: fn: message". Methods are called with a colon: trust:train{ ... }.
 *
 * Trust methods
 *   t:train{ tier = "awareness" | "practitioner" | "leader" | "expert",      (required)
 *            roles = { "nurse", "doctor", "allied", "support", "team_leader", "manager",
 *                      "executive", "trainee" } or one role name  (default: every role),
 *            share = 0..1 (default 1: every eligible member), project = boolean,
 *            interprofessional = boolean }
 *            who = "anyone" | "opinion_leaders" | "connected" (default "anyone"),
 *            teams = { team handles of this trust } (default: every team) }
 *       Enrols `share` of the staff in post with those roles on a course of `tier`; staff
 *       already at or above the tier are skipped. who = "opinion_leaders" takes only opinion
 *       leaders; "connected" takes the `share` with the most ties (needs the staff network, on by default, so from week 0).
 *   t:champions{ who = as for train (default "opinion_leaders"), teams = as for train,
 *                share = 0..1 (default 1) }   (the table may be omitted)
 *       Designates committed champions among those members who know enough to practise: they
 *       practise, do not lapse while in post and committed, and are a credible core for their
 *       contacts; the commitment fades unless a peer-led national programme's meetings renew it.
 *   t:induction(tier)          new starters get this tier at induction ("none" to stop).
 *   t:coaches(n)               employ n QI coaches (integer 0..10000).
 *   t:protected_time(share)    protect share 0..0.5 of working time for QI.
 *   t:strategy(name)           "none" | "compliance" | "qi".
 *   t:central_team(n)          central QI team of n FTE (integer 0..10000).
 *   t:patient_partnership(x)   policy 0 consultation .. 1 co-production.
 *       Called without an argument, these five return the current value instead:
 *       t:coaches() -> integer, t:protected_time() -> number, t:strategy() -> string,
 *       t:central_team() -> integer, t:patient_partnership() -> number.
 *   t:new_ceo{ qi_experience = boolean (default false) }   replace the chief executive now
 *                                                          (the table may be omitted).
 *   t:develop_leaders()        a leadership development programme for board and managers.
 *   t:invest_data(amount)      raise the data-maturity target by amount 0..1.
 *   t:audit_feedback{ weeks = integer 1..5200 (required), repeated = boolean,
 *                     colleague = boolean, targets = boolean, action_plans = boolean }
 *       Audit and feedback to every team for `weeks`; the booleans (default false) are the
 *       amplifiers that make it work better.
 *   t:set_special_measures(on) put the trust into (true) or out of (false) special measures.
 *                              (t.special_measures reads the current state.)
 *   t:inspect()                inspect and rate the trust now.
 *   t:crisis{ weeks = integer 1..5200, demand = number 1..10 }   (both required)
 *                              a crisis at this trust: demand multiplied for `weeks`.
 *   t:restructure()            an organisational restructuring (a setback).
 *   t:it_go_live()             a large IT go-live (a setback).
 *   exemplar:support(t[, { weeks = integer 1..5200 }])   the exemplar supports trust t (until
 *                              ended, or for `weeks`), lending coaches out of its own.
 *   exemplar:take_over(t)      the exemplar's chair, CEO, central QI team and method take charge
 *                              of trust t (a merger's disruption; the partnership too).
 *   t:teams()                  -> array of the trust's team handles in id order.
 *
 * Region methods
 *   region:academy{ weeks = integer 1..5200 (required) }   a regional improvement academy.
 *
 * Regulator methods
 *   r:stance(x)                "inspector" (0) | "partner" (1) | number 0..1; r:stance()
 *                              returns the current stance.
 *   r:compact(t[, on])         a compact between the regulator and trust t (default on): they
 *                              meet every regulation.meeting_weeks, each meeting a contact that
 *                              builds relational trust as a partner's would.
 *   r:support_visit(t)         a support visit now: a contact at the regulator's stance.
 *
 * System-wide
 *   collaborative{ name = string (default "collaborative N"), teams = { team handles }
 *                  (2..1000, required), weeks = integer 1..5200 (required),
 *                  topic = "reliability" | "flow" (default "reliability": what its projects
 *                  improve; "flow" for access and waiting),
 *                  adapt = boolean (default true: teams adapt the changes to their context) }
 *   peer_network{ trusts = { trust handles } (2..1000) }
 *   second{ from = team, to = team (team handles, required), staff = integer 1..100 (default 2),
 *           weeks = integer 1..520 (required) }
 *       A secondment ("fresh eyes", C:L750): the `staff` members of `from` with the most
 *       know-how are tied to every member of `to` for `weeks` (needs the staff network, on by default, so from week 0;
 *       at most 20,000 such ties live at once).
 *   visit{ team = team, host = team (team handles of two trusts, required), hosts = integer
 *          1..100 (default interorg.visit_hosts), weeks = integer 1..520 (default
 *          interorg.visit_weeks) }
 *       A learning visit: the team visits the host team of another trust, takes home know-how
 *       and is tied to the hosts for `weeks` (with the staff network: from week 0).
 *   national_programme{ weeks = integer 1..5200 (required), mandated = boolean (default false:
 *                       peer-led) }
 *   crisis{ weeks = integer 1..5200, demand = number 1..10 }   at every trust.
 */
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "qisim/model.h"

static const double crisis_demand_max = 10.0;
enum { MAX_WEEKS = QISIM_MAX_WEEKS, MAX_FTE = QISIM_MAX_FTE, MAX_LIST = QISIM_MAX_GROUP };

static qisim_world *world(lua_State *L)
{
    return qs_scenario(L)->w;
}

/* Runs after every intervention: the engine's error at the caller's line, or stale aggregates. */
static int finish(lua_State *L, int rc, const qisim_err *err, const char *fn)
{
    qs_check_engine(L, rc, err, fn);
    qs_touched(L);
    return 0;
}

static void check_no_more_args(lua_State *L, int arg)
{
    luaL_checktype(L, arg, LUA_TNONE);
}

/* A method's table argument, which may be omitted. */
static bool optional_table(lua_State *L, int arg, qs_table *t)
{
    if (lua_isnoneornil(L, arg))
        return false;
    *t = qs_check_table(L, arg);
    check_no_more_args(L, arg + 1);
    return true;
}

static qs_table required_table(lua_State *L, int arg)
{
    qs_table t = qs_check_table(L, arg);
    check_no_more_args(L, arg + 1);
    return t;
}

static lua_Integer required_integer(const qs_table *t, const char *key, lua_Integer min, lua_Integer max)
{
    lua_Integer x = 0;
    if (!qs_get_integer(t, key, min, max, &x))
        luaL_argerror(t->L, t->arg, lua_pushfstring(t->L, "field '%s' is required", key));
    return x;
}

static int32_t *read_handle_list(const qs_table *t, const char *key, int kind, lua_Integer min, int32_t *n_out);

/* who = "anyone" | "opinion_leaders" | "connected" (default `who`), teams = { team handles }
 * (default: every team), share = 0..1 (default 1): whom a targeted intervention reaches. */
static qisim_target read_target(const qs_table *t, int who)
{
    qisim_target target = {NULL, 0, who, 1.0};
    qs_get_option(t, "who", "target", qisim_target_names, &target.who);
    qs_get_number(t, "share", 0.0, 1.0, &target.share);
    if (qs_push_field(t, "teams") != LUA_TNIL) {
        lua_pop(t->L, 1);
        target.teams = read_handle_list(t, "teams", QS_TEAM, 1, &target.n_teams);
    } else {
        lua_pop(t->L, 1);
    }
    return target;
}

/* ---- training ------------------------------------------------------------------------------------ */

/* roles = { "nurse", ... } or "nurse" -> a role mask (0: every role) */
static uint32_t read_roles(const qs_table *t)
{
    static const char *const none[] = {NULL};
    lua_State *L = t->L;
    int type = qs_push_field(t, "roles");
    uint32_t mask = 0;
    if (type == LUA_TSTRING) {
        int role;
        qs_get_option(t, "roles", "role", qisim_role_names, &role);
        mask = 1u << role;
    } else if (type == LUA_TTABLE) {
        qs_table list = {L, t->arg, lua_gettop(L), "roles."};
        qs_check_keys(&list, none, true);
        lua_Integer n = (lua_Integer)lua_rawlen(L, list.idx);
        if (n < 1)
            luaL_argerror(L, t->arg, "field 'roles' is empty (leave it out for every role)");
        for (lua_Integer k = 1; k <= n; k++) {
            lua_rawgeti(L, list.idx, k);
            int role = -1;
            for (int r = 0; qisim_role_names[r] && lua_type(L, -1) == LUA_TSTRING; r++)
                if (strcmp(lua_tostring(L, -1), qisim_role_names[r]) == 0)
                    role = r;
            if (role < 0) {
                lua_pushfstring(L, "roles[%I]", k);
                qs_option_error(L, t->arg, -2, lua_tostring(L, -1), "role", qisim_role_names);
            }
            mask |= 1u << role;
            lua_pop(L, 1);
        }
    } else if (type != LUA_TNIL) {
        luaL_argerror(L, t->arg, lua_pushfstring(L, "field 'roles' must be a list of role names, got %s",
                                                 qs_typename(L, -1)));
    }
    lua_pop(L, 1);
    return mask;
}

static int trust_train(lua_State *L)
{
    static const char *const keys[] = {"tier", "roles", "share", "project", "interprofessional", "who", "teams", NULL};
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    qs_table t = required_table(L, 2);
    qs_check_keys(&t, keys, false);
    int tier;
    if (!qs_get_option(&t, "tier", "tier", qisim_tier_names + 1, &tier))
        return luaL_argerror(L, 2, "field 'tier' is required (awareness, practitioner, leader, expert)");
    tier += 1; /* the names above start at awareness */
    uint32_t roles = read_roles(&t);
    qisim_target target = read_target(&t, QISIM_TARGET_ANYONE);
    bool project = false, interprofessional = false;
    qs_get_bool(&t, "project", &project);
    qs_get_bool(&t, "interprofessional", &interprofessional);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L,
                  qisim_training_enrol_target(world(L), trust, tier, roles, &target, project, interprofessional, &err),
                  &err, "train");
}

/* t:champions{ who, teams, share }: committed champions (spread.c). */
static int trust_champions(lua_State *L)
{
    static const char *const keys[] = {"who", "teams", "share", NULL};
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    qs_table t;
    qisim_target target = {NULL, 0, QISIM_TARGET_OPINION_LEADERS, 1.0};
    if (optional_table(L, 2, &t)) {
        qs_check_keys(&t, keys, false);
        target = read_target(&t, QISIM_TARGET_OPINION_LEADERS);
    }
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_spread_champions(world(L), trust, &target, &err), &err, "champions");
}

static int trust_induction(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    int tier = qs_check_option(L, 2, "tier", qisim_tier_names);
    check_no_more_args(L, 3);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_training_set_induction(world(L), trust, tier, &err), &err, "induction");
}

static int trust_coaches(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    if (lua_isnone(L, 2)) {
        lua_pushinteger(L, world(L)->trusts[trust].coaches);
        return 1;
    }
    lua_Integer n = qs_check_int_range(L, 2, 0, MAX_FTE);
    check_no_more_args(L, 3);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_training_set_coaches(world(L), trust, (int32_t)n, &err), &err, "coaches");
}

/* t:train_trainers(on): the trust trains trainers from within (true) or not (false); with no
 * argument, whether it does. */
static int trust_train_trainers(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    if (lua_isnone(L, 2)) {
        lua_pushboolean(L, world(L)->trusts[trust].trains_trainers);
        return 1;
    }
    luaL_checktype(L, 2, LUA_TBOOLEAN);
    check_no_more_args(L, 3);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_training_set_trainers(world(L), trust, lua_toboolean(L, 2), &err), &err, "train_trainers");
}

/* ---- time, leadership, data, patients ------------------------------------------------------------- */

static int trust_protected_time(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    if (lua_isnone(L, 2)) {
        lua_pushnumber(L, world(L)->trusts[trust].protected_time);
        return 1;
    }
    double share = qs_check_range(L, 2, 0.0, 0.5);
    check_no_more_args(L, 3);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_time_set_protected(world(L), trust, share, &err), &err, "protected_time");
}

static int trust_strategy(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    if (lua_isnone(L, 2)) {
        int32_t s = world(L)->trusts[trust].strategy;
        lua_pushstring(L, s >= 0 && s < QISIM_N_STRATEGIES ? qisim_strategy_names[s] : "none");
        return 1;
    }
    int strategy = qs_check_option(L, 2, "strategy", qisim_strategy_names);
    check_no_more_args(L, 3);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_leadership_set_strategy(world(L), trust, strategy, &err), &err, "strategy");
}

/* t:board_decides(on): the board sets strategy and investment itself (true) or the scenario
 * does (false); with no argument, whether the board decides now. */
static int trust_board_decides(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    if (lua_isnone(L, 2)) {
        lua_pushboolean(L, world(L)->trusts[trust].board_decides);
        return 1;
    }
    luaL_checktype(L, 2, LUA_TBOOLEAN);
    check_no_more_args(L, 3);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_leadership_board_decides(world(L), trust, lua_toboolean(L, 2), &err), &err, "board_decides");
}

static int trust_new_ceo(lua_State *L)
{
    static const char *const keys[] = {"qi_experience", NULL};
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    bool qi_experience = false;
    qs_table t;
    if (optional_table(L, 2, &t)) {
        qs_check_keys(&t, keys, false);
        qs_get_bool(&t, "qi_experience", &qi_experience);
    }
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_leadership_new_ceo(world(L), trust, qi_experience, &err), &err, "new_ceo");
}

static int trust_develop_leaders(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    check_no_more_args(L, 2);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_leadership_develop(world(L), trust, &err), &err, "develop_leaders");
}

static int trust_central_team(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    if (lua_isnone(L, 2)) {
        lua_pushinteger(L, world(L)->trusts[trust].central_team);
        return 1;
    }
    lua_Integer fte = qs_check_int_range(L, 2, 0, MAX_FTE);
    check_no_more_args(L, 3);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_leadership_set_central_team(world(L), trust, (int32_t)fte, &err), &err, "central_team");
}

static int trust_invest_data(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    double amount = qs_check_range(L, 2, 0.0, 1.0);
    check_no_more_args(L, 3);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_data_invest(world(L), trust, amount, &err), &err, "invest_data");
}

static int trust_audit_feedback(lua_State *L)
{
    static const char *const keys[] = {"weeks", "repeated", "colleague", "targets", "action_plans", NULL};
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    qs_table t = required_table(L, 2);
    qs_check_keys(&t, keys, false);
    lua_Integer weeks = required_integer(&t, "weeks", 1, MAX_WEEKS);
    bool repeated = false, colleague = false, targets = false, action_plans = false;
    qs_get_bool(&t, "repeated", &repeated);
    qs_get_bool(&t, "colleague", &colleague);
    qs_get_bool(&t, "targets", &targets);
    qs_get_bool(&t, "action_plans", &action_plans);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L,
                  qisim_data_audit_feedback(world(L), trust, (int32_t)weeks, repeated, colleague, targets,
                                            action_plans, &err),
                  &err, "audit_feedback");
}

static int trust_patient_partnership(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    if (lua_isnone(L, 2)) {
        lua_pushnumber(L, world(L)->trusts[trust].patient_partnership);
        return 1;
    }
    double level = qs_check_range(L, 2, 0.0, 1.0);
    check_no_more_args(L, 3);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_patients_set_partnership(world(L), trust, level, &err), &err, "patient_partnership");
}

/* ---- regulation ------------------------------------------------------------------------------------ */

static int trust_set_special_measures(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    bool on = qs_check_bool(L, 2);
    check_no_more_args(L, 3);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_regulation_special_measures(world(L), trust, on, &err), &err, "set_special_measures");
}

static int trust_inspect(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    check_no_more_args(L, 2);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_regulation_inspect(world(L), trust, &err), &err, "inspect");
}

static const char *const stance_names[] = {"inspector", "partner", NULL};
static const double stance_values[] = {0.0, 1.0};

static int regulator_stance(lua_State *L)
{
    int32_t regulator = qs_check_handle(L, 1, QS_REGULATOR);
    if (lua_isnone(L, 2)) {
        lua_pushnumber(L, world(L)->regulators[regulator].stance);
        return 1;
    }
    double stance = qs_check_level(L, 2, "stance", stance_names, stance_values);
    check_no_more_args(L, 3);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_regulation_set_stance(world(L), regulator, stance, &err), &err, "stance");
}

/* ---- shocks ----------------------------------------------------------------------------------------- */

/* crisis{ weeks =, demand = } at trust (or every trust: -1), the table at arg. */
static int crisis_at(lua_State *L, int32_t trust, int arg, const char *fn)
{
    static const char *const keys[] = {"weeks", "demand", NULL};
    qs_table t = required_table(L, arg);
    qs_check_keys(&t, keys, false);
    lua_Integer weeks = required_integer(&t, "weeks", 1, MAX_WEEKS);
    double demand;
    if (!qs_get_number(&t, "demand", 1.0, crisis_demand_max, &demand))
        return luaL_argerror(L, arg, "field 'demand' is required (a multiplier: 1.3 is 30% more demand)");
    if (demand <= 0.0)
        return luaL_argerror(L, arg, "field 'demand' must be above 0 (a multiplier: 1.3 is 30% more demand)");
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_shocks_crisis(world(L), trust, (int32_t)weeks, demand, &err), &err, fn);
}

static int trust_crisis(lua_State *L)
{
    return crisis_at(L, qs_check_handle(L, 1, QS_TRUST), 2, "crisis");
}

static int api_crisis(lua_State *L)
{
    return crisis_at(L, -1, 1, "crisis");
}

static int trust_restructure(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    check_no_more_args(L, 2);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_shocks_restructure(world(L), trust, &err), &err, "restructure");
}

static int trust_it_go_live(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    check_no_more_args(L, 2);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_shocks_it_go_live(world(L), trust, &err), &err, "it_go_live");
}

static int api_national_programme(lua_State *L)
{
    static const char *const keys[] = {"weeks", "mandated", NULL};
    qs_table t = required_table(L, 1);
    qs_check_keys(&t, keys, false);
    lua_Integer weeks = required_integer(&t, "weeks", 1, MAX_WEEKS);
    bool mandated = false;
    qs_get_bool(&t, "mandated", &mandated);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_shocks_national_programme(world(L), (int32_t)weeks, mandated, &err), &err,
                  "national_programme");
}

/* ---- between organisations ---------------------------------------------------------------------- */

static int trust_support(lua_State *L)
{
    int32_t exemplar = qs_check_handle(L, 1, QS_TRUST);
    int32_t trust = qs_check_handle(L, 2, QS_TRUST);
    lua_Integer weeks = 0;
    if (!lua_isnone(L, 3)) {
        static const char *const keys[] = {"weeks", NULL};
        qs_table t = required_table(L, 3);
        qs_check_keys(&t, keys, false);
        qs_get_integer(&t, "weeks", 1, MAX_WEEKS, &weeks);
    }
    if (trust == exemplar)
        return luaL_argerror(L, 2, "a trust cannot support itself");
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_interorg_partner(world(L), exemplar, trust, (int32_t)weeks, &err), &err, "support");
}

static int trust_take_over(lua_State *L)
{
    int32_t exemplar = qs_check_handle(L, 1, QS_TRUST);
    int32_t trust = qs_check_handle(L, 2, QS_TRUST);
    check_no_more_args(L, 3);
    if (trust == exemplar)
        return luaL_argerror(L, 2, "a trust cannot take itself over");
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_interorg_take_over(world(L), exemplar, trust, &err), &err, "take_over");
}

static int regulator_compact(lua_State *L)
{
    int32_t regulator = qs_check_handle(L, 1, QS_REGULATOR);
    int32_t trust = qs_check_handle(L, 2, QS_TRUST);
    bool on = lua_isnone(L, 3) ? true : qs_check_bool(L, 3);
    check_no_more_args(L, 4);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_regulation_compact(world(L), regulator, trust, on, &err), &err, "compact");
}

/* r:support_visit(t): a contact between the regulator and the trust (regulation.c). */
static int regulator_support_visit(lua_State *L)
{
    int32_t regulator = qs_check_handle(L, 1, QS_REGULATOR);
    int32_t trust = qs_check_handle(L, 2, QS_TRUST);
    check_no_more_args(L, 3);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_regulation_support_visit(world(L), regulator, trust, &err), &err, "support_visit");
}

/* field key of t: a list of min..max distinct handles of kind, as ids in a userdata left on
 * the stack (so an error part-way leaks nothing). */
static int32_t *read_handle_list(const qs_table *t, const char *key, int kind, lua_Integer min, int32_t *n_out)
{
    static const char *const none[] = {NULL};
    lua_State *L = t->L;
    const char *kind_name = qs_kind_name(kind);
    int type = qs_push_field(t, key);
    if (type == LUA_TNIL)
        luaL_argerror(L, t->arg, lua_pushfstring(L, "field '%s' is required (a list of %s handles)", key, kind_name));
    if (type != LUA_TTABLE)
        luaL_argerror(L, t->arg, lua_pushfstring(L, "field '%s' must be a list of %s handles, got %s", key, kind_name,
                                                 qs_typename(L, -1)));
    int list_idx = lua_gettop(L);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "%s.", key);
    qs_table list = {L, t->arg, list_idx, prefix};
    qs_check_keys(&list, none, true);
    lua_Integer n = (lua_Integer)lua_rawlen(L, list_idx);
    if (n < min || n > MAX_LIST)
        luaL_argerror(L, t->arg, lua_pushfstring(L, "field '%s' lists %I entries (expected %I to %d %s handles)", key,
                                                 n, min, (int)MAX_LIST, kind_name));
    int32_t *ids = lua_newuserdatauv(L, (size_t)n * sizeof *ids, 0);
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, list_idx, k);
        const qs_handle *h = qs_test_handle(L, -1, kind);
        if (!h)
            luaL_argerror(L, t->arg, lua_pushfstring(L, "field '%s[%I]' must be a %s handle, got %s", key, k,
                                                     kind_name, qs_typename(L, -1)));
        for (lua_Integer j = 0; j < k - 1; j++)
            if (ids[j] == h->id)
                luaL_argerror(L, t->arg, lua_pushfstring(L, "field '%s' lists %s twice (entries %I and %I)", key,
                                                         luaL_tolstring(L, -1, NULL), j + 1, k));
        ids[k - 1] = h->id;
        lua_pop(L, 1);
    }
    lua_remove(L, list_idx); /* leaves the ids userdata */
    *n_out = (int32_t)n;
    return ids;
}


static int api_collaborative(lua_State *L)
{
    static const char *const keys[] = {"name", "teams", "weeks", "topic", "adapt", NULL};
    qs_table t = required_table(L, 1);
    qs_check_keys(&t, keys, false);
    const char *name = NULL;
    if (qs_get_string(&t, "name", &name) && !name[0])
        return luaL_argerror(L, 1, "field 'name' must not be empty");
    int32_t n;
    const int32_t *teams = read_handle_list(&t, "teams", QS_TEAM, 2, &n);
    lua_Integer weeks = required_integer(&t, "weeks", 1, MAX_WEEKS);
    int topic = QISIM_TOPIC_RELIABILITY;
    qs_get_option(&t, "topic", "topic", qisim_topic_names, &topic);
    bool adapt = true;
    qs_get_bool(&t, "adapt", &adapt);
    if (!name)
        name = lua_pushfstring(L, "collaborative %d", (int)world(L)->n_collaboratives + 1);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_interorg_collaborative(world(L), name, teams, n, (int32_t)weeks, topic, adapt, &err), &err,
                  "collaborative");
}

/* field key of t: a required handle of kind. */
static int32_t required_handle(const qs_table *t, const char *key, int kind)
{
    lua_State *L = t->L;
    if (qs_push_field(t, key) == LUA_TNIL)
        luaL_argerror(L, t->arg, lua_pushfstring(L, "field '%s' is required (a %s handle)", key, qs_kind_name(kind)));
    const qs_handle *h = qs_test_handle(L, -1, kind);
    if (!h)
        luaL_argerror(L, t->arg, lua_pushfstring(L, "field '%s' must be a %s handle, got %s", key, qs_kind_name(kind),
                                                 qs_typename(L, -1)));
    int32_t id = h->id;
    lua_pop(L, 1);
    return id;
}

static int api_second(lua_State *L)
{
    static const char *const keys[] = {"from", "to", "staff", "weeks", NULL};
    qs_table t = required_table(L, 1);
    qs_check_keys(&t, keys, false);
    int32_t from = required_handle(&t, "from", QS_TEAM), to = required_handle(&t, "to", QS_TEAM);
    lua_Integer staff = 2;
    qs_get_integer(&t, "staff", 1, 100, &staff);
    lua_Integer weeks = required_integer(&t, "weeks", 1, 520);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_network_second(world(L), from, to, (int32_t)staff, (int32_t)weeks, &err), &err, "second");
}

/* visit{ team =, host =, hosts =, weeks = }: a learning visit (interorg.c). */
static int api_visit(lua_State *L)
{
    static const char *const keys[] = {"team", "host", "hosts", "weeks", NULL};
    qs_table t = required_table(L, 1);
    qs_check_keys(&t, keys, false);
    int32_t team = required_handle(&t, "team", QS_TEAM), host = required_handle(&t, "host", QS_TEAM);
    lua_Integer hosts = 0, weeks = 0;
    qs_get_integer(&t, "hosts", 1, 100, &hosts);
    qs_get_integer(&t, "weeks", 1, 520, &weeks);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_interorg_visit(world(L), team, host, (int32_t)hosts, (int32_t)weeks, &err), &err, "visit");
}

/* region:academy{ weeks = }: a regional improvement academy (interorg.c). */
int qs_region_academy(lua_State *L)
{
    static const char *const keys[] = {"weeks", NULL};
    int32_t region = qs_check_handle(L, 1, QS_REGION);
    qs_table t = required_table(L, 2);
    qs_check_keys(&t, keys, false);
    lua_Integer weeks = required_integer(&t, "weeks", 1, MAX_WEEKS);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_interorg_academy(world(L), region, (int32_t)weeks, &err), &err, "academy");
}

static int api_peer_network(lua_State *L)
{
    static const char *const keys[] = {"trusts", NULL};
    qs_table t = required_table(L, 1);
    qs_check_keys(&t, keys, false);
    int32_t n;
    const int32_t *trusts = read_handle_list(&t, "trusts", QS_TRUST, 2, &n);
    qisim_err err;
    qisim_err_clear(&err);
    return finish(L, qisim_interorg_network(world(L), trusts, n, &err), &err, "peer_network");
}

/* ---- lists ----------------------------------------------------------------------------------------- */

static int trust_teams(lua_State *L)
{
    int32_t trust = qs_check_handle(L, 1, QS_TRUST);
    check_no_more_args(L, 2);
    const qisim_trust *t = &world(L)->trusts[trust];
    qs_push_handle_array(L, QS_TEAM, t->first_team, t->n_teams);
    return 1;
}

const luaL_Reg qs_trust_methods[] = {
    {"train", trust_train},
    {"induction", trust_induction},
    {"coaches", trust_coaches},
    {"train_trainers", trust_train_trainers},
    {"champions", trust_champions},
    {"protected_time", trust_protected_time},
    {"strategy", trust_strategy},
    {"board_decides", trust_board_decides},
    {"new_ceo", trust_new_ceo},
    {"develop_leaders", trust_develop_leaders},
    {"central_team", trust_central_team},
    {"invest_data", trust_invest_data},
    {"audit_feedback", trust_audit_feedback},
    {"patient_partnership", trust_patient_partnership},
    {"set_special_measures", trust_set_special_measures},
    {"inspect", trust_inspect},
    {"crisis", trust_crisis},
    {"restructure", trust_restructure},
    {"it_go_live", trust_it_go_live},
    {"support", trust_support},
    {"take_over", trust_take_over},
    {"teams", trust_teams},
    {NULL, NULL},
};

const luaL_Reg qs_regulator_methods[] = {
    {"stance", regulator_stance},
    {"compact", regulator_compact},
    {"support_visit", regulator_support_visit},
    {NULL, NULL},
};

void qs_open_interventions(lua_State *L)
{
    static const luaL_Reg api[] = {
        {"collaborative", api_collaborative},
        {"peer_network", api_peer_network},
        {"second", api_second},
        {"visit", api_visit},
        {"national_programme", api_national_programme},
        {"crisis", api_crisis},
        {NULL, NULL},
    };
    lua_pushglobaltable(L);
    luaL_setfuncs(L, api, 0);
    lua_pop(L, 1);
}
