/* Lua bindings that build and read the world: scenario, region, trust, regulator, param, record, handles.
 *
 * THE SCENARIO API, PART 1: BUILDING AND READING (docs/lua-api.md is written from these blocks)
 *
 * General rules
 *   - A scenario file is Lua 5.4 with the base, table, string, math and utf8 libraries only
 *     (no io, os, package, require, debug, dofile, loadfile, string.dump; load takes text only).
 *     print writes to stderr. math.random draws from the scenario's own seeded stream (same
 *     semantics as Lua 5.4); math.randomseed is an error: the seed comes from --seed.
 *   - Globals are strict: reading or assigning an undefined global is an error. Use locals.
 *   - Functions taking a table refuse unknown fields (with a suggestion for a close name),
 *     check every type and range, and report "file:line: bad argument #n to 'fn' (...)".
 *   - The file runs under an instruction budget (200 million VM instructions); each scheduled
 *     action or condition under its own (50 million).
 *   - Building functions (scenario, region, trust, regulator, record) work only while the
 *     file loads, not from scheduled actions.
 *
 * scenario{ name = string, weeks = integer 1..5200, description = string }
 *   At most once. name defaults to the file's base name without .lua, weeks to 520.
 *
 * region{ name = string }                                   -> region handle
 *
 * trust{ name = string,                                     -> trust handle
 *        kind = "acute" | "mental_health" | "community",   (default "acute")
 *        region = region handle,                            (required)
 *        staff = integer, teams = integer,                  (defaults 3000 and 100; team sizes drawn
 *                                                            around staff/teams, at least 2 per team)
 *        teams = { { name = string, staff = integer }, 12, ... },  (or an explicit list: an entry is a
 *                                                            table or just a size 2..10000; staff must
 *                                                            then be left out)
 *        board = { commitment = 0..1, style = "enabling" (1) | "command" (0) | 0..1 },
 *        data_maturity = 0..1, finance_pressure = 0..1, culture = 0..1, reliability = 0..1,
 *        rating = "none" | "inadequate" | "requires_improvement" | "good" | "outstanding" }
 *   Unset fields keep the engine's defaults (qisim_trust_spec_defaults).
 *
 * regulator{ name = string (default "regulator"),           -> regulator handle
 *            stance = "inspector" (0) | "partner" (1) | 0..1 (default "inspector"),
 *            rates = boolean (default true), demands = 0..1 (default 0.3),
 *            risk_based = boolean (default false: a harm signal brings an inspection forward),
 *            budget = integer 0..100000 (inspections per 52 weeks; default 0, no cap) }
 *
 * network{ on = boolean (default true), within = integer 0..1000 (default 8), across = integer 0..100 (default 2),
 *          region = integer 0..100 (default 0), rewire = 0..1 (default 0), hub = 1..20 (default 2),
 *          rule = "fraction" | "count" | "both" | "share" (default "fraction"),
 *          count = integer 1..100 (default 2) }
 *   At most once, while the file loads. Shapes the staff network, built when week 0 starts (a
 *   world has one by default, network.on; on = false spreads on team shares instead):
 *   within each team a ring lattice of degree `within` (complete when the team is smaller),
 *   each within-team tie moved to a random member of the trust with chance `rewire`, on
 *   average `across` ties per member to other teams of the trust and `region` to other trusts
 *   of the region, opinion leaders with `hub` times the within and across ties. Spread then
 *   runs through each member's contacts: "fraction" compares the weighted share of practising
 *   contacts with the member's threshold (as without a network), "count" needs `count` distinct
 *   practising contacts, "both" needs both, "share" adopts with chance spread.rate x share (the
 *   Bass imitation term). Sets the network.* parameters (--set of one wins over the call); an
 *   empty table gives the defaults.
 *
 * arg(name [, default]) -> the scenario argument given as `--arg name=value` (a number when it
 *                      reads as one, a boolean for true/false, else a string), or default.
 *                      Without a default the argument is required. An --arg the file never
 *                      reads while loading is an error (a typo).
 *
 * param(name)          -> the parameter's current value (a boolean for switches)
 * param(name, value)   sets a model parameter (value a number, or a boolean for switches);
 *                      after week 0 only parameters marked mid-run may change. Parameters that
 *                      shape the built world (build.*) act on trusts created after the call.
 *
 * record{ "metric", ..., levels = { "trust", "region", "system" }, every = integer 1..5200 }
 *   Declares the series to write. Metric names as in src/engine/metrics.c (an unknown name
 *   gets a suggestion or the full list); levels among "team", "trust", "region", "system"
 *   (at the team level only the metrics defined for teams are written).
 *   May be called more than once: metrics accumulate (duplicates ignored), levels add up,
 *   every must agree. Defaults: levels trust, region, system; every 1. Without any record{}:
 *   practising_share, trained_share, culture, reliability, harm_rate, rating.
 *
 * week()          -> the current week: 0 while the file loads, the week being simulated in
 *                    a scheduled action.
 * trusts()        -> array of every trust handle in id order; regions(), regulators() likewise.
 * teams(trust)    -> array of the trust's team handles in id order (also trust:teams()).
 * system          -> the handle of the whole system, for system-level metrics (system.culture).
 *
 * Handles (trust, team, region, regulator, system)
 *   One handle per entity: handles compare with == and work as table keys. tostring gives
 *   "trust 'Trust A'". Reading a field looks up, in order:
 *     1. a method (see bind_interventions.c); methods that set something return the current
 *        value when called with no argument (trust:coaches(), trust:strategy(), ...);
 *     2. name (string), id (the engine's id, 0-based: trusts()[k].id == k - 1; not on system);
 *     3. per kind:
 *        trust:     kind (string), region (handle), rating (string: "none", "inadequate",
 *                   "requires_improvement", "good", "outstanding"), special_measures (boolean),
 *                   staff (posts), ceo_tenure (weeks), ceo_qi_experience (boolean), and the
 *                   writable fields below;
 *        team:      trust (handle), staff (posts);
 *        region:    (method region:trusts());
 *        regulator: rates (boolean), demands (0..1);
 *     4. any metric at the handle's level (trust.practising_share, region.harm_rate,
 *        system.culture); team handles have only the metrics defined for teams. A metric may
 *        be NaN where it has no value (e.g. no staff in post).
 *   Anything else is an error: "trust 'Trust A' has no field 'ratng'; did you mean 'rating'?".
 *   Assigning trust.<field> = number sets the writable trust state (board_commitment, style,
 *   culture, data_maturity, finance_pressure, data_for_improvement, patient_partnership: 0..1;
 *   protected_time: 0..0.5) through the engine's checks; every other assignment is an error.
 *   protected_time, patient_partnership and coaches are also method names, so reading them
 *   as fields gives the method: read them with t:protected_time() etc.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "bind.h"
#include "qisim/metrics.h"
#include "qisim/model.h"
#include "qisim/params.h"

/* ---- handles -------------------------------------------------------------------------------- */

static const char *const metatable_names[QS_N_KINDS] = {"qisim.team", "qisim.trust", "qisim.region",
                                                        "qisim.system", "qisim.regulator"};
static const char *const kind_names[QS_N_KINDS] = {"team", "trust", "region", "system", "regulator"};

/* Its address keys the registry table that maps (kind, id) to the one userdata. */
static const char handle_cache_key = 'h';

const char *qs_kind_name(int kind)
{
    return kind >= 0 && kind < QS_N_KINDS ? kind_names[kind] : "?";
}

void qs_push_handle(lua_State *L, int kind, int32_t id)
{
    luaL_checkstack(L, 4, "pushing a handle");
    lua_rawgetp(L, LUA_REGISTRYINDEX, &handle_cache_key);
    lua_Integer key = (lua_Integer)kind << 32 | (lua_Integer)(uint32_t)id;
    if (lua_rawgeti(L, -1, key) == LUA_TUSERDATA) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    qs_handle *h = lua_newuserdatauv(L, sizeof *h, 0);
    h->kind = kind;
    h->id = id;
    luaL_setmetatable(L, metatable_names[kind]);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, key);
    lua_remove(L, -2);
}

qs_handle *qs_test_handle(lua_State *L, int idx, int kind)
{
    return luaL_testudata(L, idx, metatable_names[kind]);
}

int32_t qs_check_handle(lua_State *L, int arg, int kind)
{
    qs_handle *h = qs_test_handle(L, arg, kind);
    if (!h) /* "trust expected, got region"; luaL_typeerror would believe a forged __name */
        luaL_argerror(L, arg, lua_pushfstring(L, "%s expected, got %s", kind_names[kind], qs_typename(L, arg)));
    return h->id;
}

void qs_push_handle_array(lua_State *L, int kind, int32_t first, int32_t n)
{
    lua_createtable(L, n, 0);
    for (int32_t k = 0; k < n; k++) {
        qs_push_handle(L, kind, first + k);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
}

static const char *entity_name(const qisim_world *w, const qs_handle *h)
{
    switch (h->kind) {
    case QS_TEAM: return qisim_team_name(w, h->id);
    case QS_TRUST: return w->trusts[h->id].name;
    case QS_REGION: return w->regions[h->id].name;
    case QS_REGULATOR: return w->regulators[h->id].name;
    default: return "system";
    }
}

/* "trust 'Trust A'", or "system". */
static const char *push_description(lua_State *L, const qs_handle *h)
{
    if (h->kind == QS_SYSTEM)
        return lua_pushliteral(L, "system");
    return lua_pushfstring(L, "%s '%s'", kind_names[h->kind], entity_name(qs_scenario(L)->w, h));
}

/* ---- reading handle fields ------------------------------------------------------------------ */

#define TRUST_FIELD_NAME(field, max) #field,
static const char *const trust_fields[] = {"name", "id", "kind", "region", "rating", "special_measures", "staff",
                                           "ceo_tenure", "ceo_qi_experience",
                                           QISIM_TRUST_FIELDS(TRUST_FIELD_NAME) NULL};
#undef TRUST_FIELD_NAME
static const char *const team_fields[] = {"name", "id", "trust", "staff", NULL};
static const char *const region_fields[] = {"name", "id", NULL};
static const char *const system_fields[] = {"name", NULL};
static const char *const regulator_fields[] = {"name", "id", "rates", "demands", NULL};
static const char *const *const fields_of[QS_N_KINDS] = {team_fields, trust_fields, region_fields, system_fields,
                                                          regulator_fields};

/* A trust's numeric state readable by name (the writable fields): false if key is not one. */
static bool trust_number(const qisim_trust *t, const char *key, double *out)
{
    int i = qisim_trust_field_find(key);
    if (i < 0)
        return false;
    *out = qisim_trust_field_get(t, i);
    return true;
}

/* Pushes a trust's own field; false if key is not one. */
static bool read_trust(lua_State *L, const qisim_trust *t, const char *key)
{
    double x;
    if (trust_number(t, key, &x)) {
        lua_pushnumber(L, x);
        return true;
    }
    if (strcmp(key, "kind") == 0) {
        lua_pushstring(L, t->kind >= 0 && t->kind < QISIM_N_TRUST_KINDS ? qisim_trust_kind_names[t->kind] : "?");
    } else if (strcmp(key, "region") == 0) {
        qs_push_handle(L, QS_REGION, t->region);
    } else if (strcmp(key, "rating") == 0) {
        lua_pushstring(L, t->rating >= QISIM_RATING_NONE && t->rating <= QISIM_RATING_OUTSTANDING
                              ? qisim_rating_names[t->rating]
                              : "none");
    } else if (strcmp(key, "special_measures") == 0) {
        lua_pushboolean(L, t->special_measures);
    } else if (strcmp(key, "staff") == 0) {
        lua_pushinteger(L, t->n_staff);
    } else if (strcmp(key, "ceo_tenure") == 0) {
        lua_pushinteger(L, t->ceo_tenure);
    } else if (strcmp(key, "ceo_qi_experience") == 0) {
        lua_pushboolean(L, t->ceo_qi_experience);
    } else {
        return false;
    }
    return true;
}

static bool read_own_field(lua_State *L, const qs_handle *h, const char *key)
{
    const qisim_world *w = qs_scenario(L)->w;
    if (strcmp(key, "name") == 0) {
        lua_pushstring(L, entity_name(w, h));
        return true;
    }
    if (strcmp(key, "id") == 0 && h->kind != QS_SYSTEM) {
        lua_pushinteger(L, h->id);
        return true;
    }
    switch (h->kind) {
    case QS_TRUST:
        return read_trust(L, &w->trusts[h->id], key);
    case QS_TEAM:
        if (strcmp(key, "trust") == 0) {
            qs_push_handle(L, QS_TRUST, w->teams[h->id].trust);
            return true;
        }
        if (strcmp(key, "staff") == 0) {
            lua_pushinteger(L, w->teams[h->id].n_staff);
            return true;
        }
        return false;
    case QS_REGULATOR:
        if (strcmp(key, "rates") == 0) {
            lua_pushboolean(L, w->regulators[h->id].rates);
            return true;
        }
        if (strcmp(key, "demands") == 0) {
            lua_pushnumber(L, w->regulators[h->id].demands);
            return true;
        }
        return false;
    default:
        return false;
    }
}

enum { MAX_METRIC_NAMES = 255 };

/* Fills names (MAX_METRIC_NAMES + 1 slots) with the metric names and a NULL; a caller's
 * buffer rather than a static one because scenarios load concurrently in threads. */
static const char *const *metric_names(const char *names[MAX_METRIC_NAMES + 1])
{
    int n = qisim_metric_count();
    if (n > MAX_METRIC_NAMES)
        n = MAX_METRIC_NAMES;
    for (int k = 0; k < n; k++)
        names[k] = qisim_metric_at(k)->name;
    names[n] = NULL;
    return names;
}

static const char *suggest_field(const qs_handle *h, const char *key, const luaL_Reg *methods)
{
    const char *near = qs_suggest(key, fields_of[h->kind]);
    if (!near && methods) {
        const char *method_names[64];
        size_t n = 0;
        for (const luaL_Reg *m = methods; m->name && n < 63; m++)
            method_names[n++] = m->name;
        method_names[n] = NULL;
        near = qs_suggest(key, method_names);
    }
    const char *metrics[MAX_METRIC_NAMES + 1];
    if (!near && h->kind != QS_REGULATOR)
        near = qs_suggest(key, metric_names(metrics));
    return near;
}

static const luaL_Reg *methods_of(int kind);

/* __index: methods (upvalue 1), own fields, metrics; anything else is an error. */
static int handle_index(lua_State *L)
{
    const qs_handle *h = lua_touserdata(L, 1);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    if (lua_type(L, 2) != LUA_TSTRING) {
        push_description(L, h);
        return luaL_error(L, "%s cannot be indexed with a %s value", lua_tostring(L, -1), luaL_typename(L, 2));
    }
    const char *key = lua_tostring(L, 2);
    if (read_own_field(L, h, key))
        return 1;
    int metric = h->kind == QS_REGULATOR ? -1 : qisim_metric_find(key);
    if (metric >= 0) {
        if (h->kind == QS_TEAM && !qisim_metric_at(metric)->team) {
            push_description(L, h);
            return luaL_error(L, "metric '%s' is not defined for a single team (%s)", key, lua_tostring(L, -1));
        }
        qs_fresh_aggregates(L);
        lua_pushnumber(L, qisim_metric_value(qs_scenario(L)->w, metric, h->kind, h->id));
        return 1;
    }
    const char *near = suggest_field(h, key, methods_of(h->kind));
    push_description(L, h);
    if (near)
        return luaL_error(L, "%s has no field '%s'; did you mean '%s'?", lua_tostring(L, -1), key, near);
    return luaL_error(L, "%s has no field '%s'", lua_tostring(L, -1), key);
}

/* __newindex: only a trust's writable state, through the engine's checks. */
static int handle_newindex(lua_State *L)
{
    const qs_handle *h = lua_touserdata(L, 1);
    qisim_scenario *sc = qs_scenario(L);
    push_description(L, h);
    const char *what = lua_tostring(L, -1);
    const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
    if (h->kind != QS_TRUST)
        return luaL_error(L, "cannot set field '%s' of %s: its fields are read-only", key ? key : "?", what);
    bool writable = false;
    for (size_t k = 0; key && qisim_trust_field_names[k]; k++)
        writable = writable || strcmp(key, qisim_trust_field_names[k]) == 0;
    if (!writable) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        for (size_t k = 0; qisim_trust_field_names[k]; k++) {
            if (k)
                luaL_addstring(&b, ", ");
            luaL_addstring(&b, qisim_trust_field_names[k]);
        }
        luaL_pushresult(&b);
        return luaL_error(L, "cannot set field '%s' of %s (writable: %s)", key ? key : luaL_typename(L, 2), what,
                          lua_tostring(L, -1));
    }
    if (lua_type(L, 3) != LUA_TNUMBER)
        return luaL_error(L, "%s: field '%s' must be a number 0..1, got %s", what, key, luaL_typename(L, 3));
    qisim_err err;
    qisim_err_clear(&err);
    int rc = qisim_trust_set_field(sc->w, h->id, key, lua_tonumber(L, 3), &err);
    if (rc != QISIM_OK)
        return luaL_error(L, "%s: %s", what, err.msg);
    qs_touched(L);
    return 0;
}

static int handle_tostring(lua_State *L)
{
    push_description(L, lua_touserdata(L, 1));
    return 1;
}

/* Handles are unique per entity; this only matters for a handle compared with another kind. */
static int handle_eq(lua_State *L)
{
    const qs_handle *a = lua_touserdata(L, 1), *b = lua_touserdata(L, 2);
    lua_pushboolean(L, a && b && a->kind == b->kind && a->id == b->id);
    return 1;
}

/* ---- region methods -------------------------------------------------------------------------- */

/* region:trusts() -> the region's trusts in id order */
static int region_trusts(lua_State *L)
{
    int32_t region = qs_check_handle(L, 1, QS_REGION);
    luaL_checktype(L, 2, LUA_TNONE);
    const qisim_world *w = qs_scenario(L)->w;
    lua_newtable(L);
    lua_Integer n = 0;
    for (int32_t k = 0; k < w->n_trusts; k++) {
        if (w->trusts[k].region == region) {
            qs_push_handle(L, QS_TRUST, k);
            lua_rawseti(L, -2, ++n);
        }
    }
    return 1;
}

static const luaL_Reg region_methods[] = {{"trusts", region_trusts}, {"academy", qs_region_academy}, {NULL, NULL}};
static const luaL_Reg no_methods[] = {{NULL, NULL}};

static const luaL_Reg *methods_of(int kind)
{
    switch (kind) {
    case QS_TRUST: return qs_trust_methods;
    case QS_REGION: return region_methods;
    case QS_REGULATOR: return qs_regulator_methods;
    default: return no_methods;
    }
}

static void create_metatables(lua_State *L)
{
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &handle_cache_key);
    for (int kind = 0; kind < QS_N_KINDS; kind++) {
        luaL_newmetatable(L, metatable_names[kind]);
        lua_pushstring(L, kind_names[kind]); /* type errors then read "trust expected, got region" */
        lua_setfield(L, -2, "__name");
        lua_pushliteral(L, "handles are locked");
        lua_setfield(L, -2, "__metatable");
        lua_newtable(L);
        luaL_setfuncs(L, methods_of(kind), 0);
        lua_pushcclosure(L, handle_index, 1);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, handle_newindex);
        lua_setfield(L, -2, "__newindex");
        lua_pushcfunction(L, handle_tostring);
        lua_setfield(L, -2, "__tostring");
        lua_pushcfunction(L, handle_eq);
        lua_setfield(L, -2, "__eq");
        lua_pop(L, 1);
    }
}

/* ---- scenario{} ------------------------------------------------------------------------------ */

static int api_scenario(lua_State *L)
{
    static const char *const keys[] = {"name", "weeks", "description", NULL};
    qisim_scenario *sc = qs_scenario(L);
    qs_check_loading(L, "scenario");
    qs_table t = qs_check_table(L, 1);
    qs_check_keys(&t, keys, false);
    if (sc->scenario_called)
        return luaL_error(L, "scenario{} may be called only once");
    const char *name = NULL, *description = NULL;
    lua_Integer weeks = 520;
    if (qs_get_string(&t, "name", &name) && !name[0])
        luaL_argerror(L, 1, "field 'name' must not be empty");
    qs_get_integer(&t, "weeks", 1, QISIM_MAX_WEEKS, &weeks);
    qs_get_string(&t, "description", &description);
    char *name_copy = name ? qs_copy_string(name) : NULL;
    char *description_copy = description ? qs_copy_string(description) : NULL;
    if ((name && !name_copy) || (description && !description_copy)) {
        free(name_copy);
        free(description_copy);
        return luaL_error(L, "scenario: out of memory");
    }
    if (name_copy) {
        free(sc->name);
        sc->name = name_copy;
    }
    free(sc->description);
    sc->description = description_copy;
    sc->weeks = (int32_t)weeks;
    sc->scenario_called = true;
    return 0;
}

/* ---- region{}, trust{}, regulator{} ------------------------------------------------------------ */

static int api_region(lua_State *L)
{
    static const char *const keys[] = {"name", NULL};
    qs_check_loading(L, "region");
    qs_table t = qs_check_table(L, 1);
    qs_check_keys(&t, keys, false);
    const char *name;
    if (!qs_get_string(&t, "name", &name))
        return luaL_argerror(L, 1, "field 'name' is required");
    qisim_err err;
    qisim_err_clear(&err);
    int32_t id;
    qs_check_engine(L, qisim_world_add_region(qs_scenario(L)->w, name, &id, &err), &err, "region");
    qs_push_handle(L, QS_REGION, id);
    return 1;
}

static const char *const style_names[] = {"command", "enabling", NULL};
static const double style_values[] = {0.0, 1.0};
static const char *const stance_names[] = {"inspector", "partner", NULL};
static const double stance_values[] = {0.0, 1.0};

/* board = { commitment = 0..1, style = ... } */
static void read_board(const qs_table *t, qisim_trust_spec *s)
{
    static const char *const keys[] = {"commitment", "style", NULL};
    lua_State *L = t->L;
    int type = qs_push_field(t, "board");
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (type != LUA_TTABLE)
        luaL_argerror(L, t->arg, lua_pushfstring(L, "field 'board' must be a table, got %s", qs_typename(L, -1)));
    qs_table board = {L, t->arg, lua_gettop(L), "board."};
    qs_check_keys(&board, keys, false);
    double x;
    if (qs_get_number(&board, "commitment", 0.0, 1.0, &x))
        s->board_commitment = x;
    if (qs_get_level(&board, "style", style_names, style_values, &x))
        s->style = x;
    lua_pop(L, 1);
}

/* teams = { { name = "Ward 1", staff = 24 }, 30, ... }: fills the spec's explicit lists, held
 * in userdata so that an error part-way leaks nothing. */
static void read_team_list(const qs_table *t, qisim_trust_spec *s)
{
    static const char *const none[] = {NULL};
    static const char *const entry_keys[] = {"name", "staff", NULL};
    lua_State *L = t->L;
    qs_table list = {L, t->arg, lua_gettop(L), "teams."};
    qs_check_keys(&list, none, true);
    lua_Integer n = (lua_Integer)lua_rawlen(L, list.idx);
    if (n < 1 || n > QISIM_MAX_TRUST_TEAMS)
        luaL_argerror(L, t->arg, lua_pushfstring(L, "field 'teams' lists %I teams (expected 1 to %d)", n, (int)QISIM_MAX_TRUST_TEAMS));
    int32_t *sizes = lua_newuserdatauv(L, (size_t)n * sizeof *sizes, 0);
    const char **names = lua_newuserdatauv(L, (size_t)n * sizeof *names, 0);
    bool any_name = false;
    for (lua_Integer k = 1; k <= n; k++) {
        int type = lua_rawgeti(L, list.idx, k);
        names[k - 1] = NULL;
        if (type == LUA_TNUMBER) {
            int is_int = 0;
            lua_Integer size = lua_tointegerx(L, -1, &is_int);
            if (!is_int || size < QISIM_MIN_TEAM_SIZE || size > QISIM_MAX_TEAM_SIZE)
                luaL_argerror(L, t->arg, lua_pushfstring(L, "field 'teams[%I]' must be a team size %d..%d", k,
                                                         QISIM_MIN_TEAM_SIZE, QISIM_MAX_TEAM_SIZE));
            sizes[k - 1] = (int32_t)size;
        } else if (type == LUA_TTABLE) {
            char prefix[48];
            snprintf(prefix, sizeof prefix, "teams[%lld].", (long long)k);
            qs_table entry = {L, t->arg, lua_gettop(L), prefix};
            qs_check_keys(&entry, entry_keys, false);
            lua_Integer size;
            if (!qs_get_integer(&entry, "staff", QISIM_MIN_TEAM_SIZE, QISIM_MAX_TEAM_SIZE, &size))
                luaL_argerror(L, t->arg, lua_pushfstring(L, "field 'teams[%I].staff' is required", k));
            sizes[k - 1] = (int32_t)size;
            if (qs_get_string(&entry, "name", &names[k - 1]))
                any_name = true;
        } else {
            luaL_argerror(L, t->arg, lua_pushfstring(L, "field 'teams[%I]' must be a table { name =, staff = } "
                                                        "or a team size, got %s", k, qs_typename(L, -1)));
        }
        lua_pop(L, 1);
    }
    s->team_sizes = sizes;
    s->team_names = any_name ? names : NULL;
    s->n_team_sizes = (int32_t)n;
    /* the two userdata stay on the stack until the trust is built */
}

/* Linux lets malloc promise more than it has, so a world larger than memory would meet the
 * OOM killer part-way through building: refuse it here instead, at the trust{} line. The
 * estimate is the world's arrays once this trust is in (staff, teams, trusts), doubled. */
static void check_world_fits(lua_State *L, const qisim_trust_spec *s)
{
    qisim_scenario *sc = qs_scenario(L);
    const qisim_world *w = sc->w;
    double staff = s->staff, teams = s->teams, per_staff = 0.0;
    if (s->team_sizes) {
        staff = 0.0;
        for (int32_t k = 0; k < s->n_team_sizes; k++)
            staff += s->team_sizes[k];
        teams = s->n_team_sizes;
    }
#define SIZE_ONE(field) per_staff += (double)sizeof *w->staff.field;
    QISIM_STAFF_FIELDS(SIZE_ONE)
#undef SIZE_ONE
    double need = ((double)w->n_staff + staff) * per_staff + ((double)w->n_teams + teams) * (double)sizeof *w->teams +
                  ((double)w->n_trusts + 1.0) * (double)sizeof *w->trusts;
    if (sc->memory_available == 0)
        sc->memory_available = qs_memory_available(); /* once per scenario: trust{} may run a million times */
    need *= 2.0; /* the arrays grow by doubling */
    if (sc->memory_available > 0 && need > (double)sc->memory_available) {
        char text[160];
        snprintf(text, sizeof text, "up to %.1f GB for %.0f staff, more than the %.1f GB of memory available",
                 need / 1e9, (double)w->n_staff + staff, (double)sc->memory_available / 1e9);
        luaL_error(L, "trust '%s': the world would need %s", s->name, text);
    }
}

static int api_trust(lua_State *L)
{
    static const char *const keys[] = {"name",    "kind",          "region",           "staff",
                                       "teams",   "board",         "data_maturity",    "finance_pressure",
                                       "culture", "reliability",   "rating",           NULL};
    qisim_scenario *sc = qs_scenario(L);
    qs_check_loading(L, "trust");
    qs_table t = qs_check_table(L, 1);
    qs_check_keys(&t, keys, false);
    qisim_trust_spec s;
    qisim_trust_spec_defaults(&s);

    if (!qs_get_string(&t, "name", &s.name))
        return luaL_argerror(L, 1, "field 'name' is required");
    int kind;
    if (qs_get_option(&t, "kind", "kind", qisim_trust_kind_names, &kind))
        s.kind = kind;
    qs_push_field(&t, "region");
    if (lua_isnil(L, -1))
        return luaL_argerror(L, 1, "field 'region' is required (a handle from region{})");
    const qs_handle *region = qs_test_handle(L, -1, QS_REGION);
    if (!region)
        return luaL_argerror(L, 1, lua_pushfstring(L, "field 'region' must be a region handle, got %s",
                                                   qs_typename(L, -1)));
    s.region = region->id;
    lua_pop(L, 1);

    lua_Integer n;
    bool staff_given = qs_get_integer(&t, "staff", QISIM_MIN_TEAM_SIZE, QISIM_MAX_TRUST_STAFF, &n);
    if (staff_given)
        s.staff = (int32_t)n;
    int teams_type = qs_push_field(&t, "teams");
    if (teams_type == LUA_TTABLE) {
        if (staff_given)
            return luaL_argerror(L, 1, "field 'staff' conflicts with an explicit teams list (give each team's staff)");
        read_team_list(&t, &s);
    } else {
        lua_pop(L, 1);
        if (teams_type != LUA_TNIL && teams_type != LUA_TNUMBER)
            return luaL_argerror(L, 1, lua_pushfstring(L, "field 'teams' must be an integer or a list of teams, got %s",
                                                       lua_typename(L, teams_type)));
        if (qs_get_integer(&t, "teams", 1, QISIM_MAX_TRUST_TEAMS, &n))
            s.teams = (int32_t)n;
    }

    read_board(&t, &s);
    double x;
    if (qs_get_number(&t, "data_maturity", 0.0, 1.0, &x))
        s.data_maturity = x;
    if (qs_get_number(&t, "finance_pressure", 0.0, 1.0, &x))
        s.finance_pressure = x;
    if (qs_get_number(&t, "culture", 0.0, 1.0, &x))
        s.culture = x;
    if (qs_get_number(&t, "reliability", 0.0, 1.0, &x))
        s.reliability = x;
    int rating;
    if (qs_get_option(&t, "rating", "rating", qisim_rating_names, &rating))
        s.rating = rating;

    qisim_err err;
    qisim_err_clear(&err);
    int32_t id;
    check_world_fits(L, &s);
    qs_check_engine(L, qisim_world_add_trust(sc->w, &s, &id, &err), &err, "trust");
    sc->aggregates_stale = true;
    qs_push_handle(L, QS_TRUST, id);
    return 1;
}

static int api_regulator(lua_State *L)
{
    static const char *const keys[] = {"name", "stance", "rates", "demands", "risk_based", "budget", NULL};
    qs_check_loading(L, "regulator");
    const char *name = "regulator";
    double stance = 0.0, demands = 0.3;
    bool rates = true, risk_based = false;
    lua_Integer budget = 0;
    if (!lua_isnoneornil(L, 1)) {
        qs_table t = qs_check_table(L, 1);
        qs_check_keys(&t, keys, false);
        qs_get_string(&t, "name", &name);
        qs_get_level(&t, "stance", stance_names, stance_values, &stance);
        qs_get_bool(&t, "rates", &rates);
        qs_get_number(&t, "demands", 0.0, 1.0, &demands);
        qs_get_bool(&t, "risk_based", &risk_based);
        qs_get_integer(&t, "budget", 0, 100000, &budget);
    }
    qisim_err err;
    qisim_err_clear(&err);
    int32_t id;
    qs_check_engine(L,
                    qisim_world_add_regulator(qs_scenario(L)->w, name, stance, rates, demands, &id, &err),
                    &err, "regulator");
    if (risk_based || budget > 0)
        qs_check_engine(L, qisim_regulation_set_policy(qs_scenario(L)->w, id, risk_based, (int32_t)budget, &err), &err,
                        "regulator");
    qs_push_handle(L, QS_REGULATOR, id);
    return 1;
}

/* ---- network{} ------------------------------------------------------------------------------------ */

static const char *const rule_names[] = {"fraction", "count", "both", "share", NULL};

/* The range of parameter id, for the field that sets it. */
static void param_range(int id, double *min, double *max)
{
    *min = qisim_param_desc_at(id)->min;
    *max = qisim_param_desc_at(id)->max;
}

static int api_network(lua_State *L)
{
    static const char *const keys[] = {"on", "within", "across", "region", "rewire", "hub", "rule", "count", NULL};
    static const struct { const char *key; int id; bool integer; } fields[] = {
        {"within", QP_NETWORK_WITHIN, true}, {"across", QP_NETWORK_ACROSS, true},
        {"region", QP_NETWORK_REGION, true}, {"rewire", QP_NETWORK_REWIRE, false},
        {"hub", QP_NETWORK_HUB, false},      {"count", QP_NETWORK_COUNT, true},
    };
    enum { N_FIELDS = sizeof fields / sizeof fields[0] };
    qisim_scenario *sc = qs_scenario(L);
    qs_check_loading(L, "network");
    qs_table t = qs_check_table(L, 1);
    qs_check_keys(&t, keys, false);
    if (sc->network_called)
        return luaL_error(L, "network{} may be called only once");
    /* read and check every field before setting any, so a failed call changes nothing */
    double values[N_FIELDS];
    bool given[N_FIELDS];
    for (int k = 0; k < N_FIELDS; k++) {
        double min, max;
        param_range(fields[k].id, &min, &max);
        if (fields[k].integer) {
            lua_Integer v;
            given[k] = qs_get_integer(&t, fields[k].key, (lua_Integer)min, (lua_Integer)max, &v);
            values[k] = (double)v;
        } else {
            given[k] = qs_get_number(&t, fields[k].key, min, max, &values[k]);
        }
    }
    int rule = 0;
    bool rule_given = qs_get_option(&t, "rule", "rule", rule_names, &rule), on = true;
    qs_get_bool(&t, "on", &on);
    qisim_world *w = sc->w;
    qisim_err err;
    qisim_err_clear(&err);
    for (int k = 0; k < N_FIELDS; k++)
        if (given[k] && !w->param_fixed[fields[k].id])
            qs_check_engine(L, qisim_params_set(&w->params, qisim_param_desc_at(fields[k].id)->name, values[k], w->started, &err),
                            &err, "network");
    if (rule_given && !w->param_fixed[QP_NETWORK_RULE])
        w->params.v[QP_NETWORK_RULE] = rule;
    if (!w->param_fixed[QP_NETWORK_ON])
        w->params.v[QP_NETWORK_ON] = on;
    sc->network_called = true;
    return 0;
}

/* ---- param() ------------------------------------------------------------------------------------ */

static int api_param(lua_State *L)
{
    qisim_world *w = qs_scenario(L)->w;
    const char *name = luaL_checkstring(L, 1);
    int id = qisim_param_find(name);
    qisim_err err;
    qisim_err_clear(&err);
    if (lua_gettop(L) == 1) {
        if (id < 0) {
            qisim_params_set(&w->params, name, 0.0, w->started, &err); /* for its message and suggestion */
            return luaL_argerror(L, 1, err.msg);
        }
        if (qisim_param_desc_at(id)->type == QISIM_PARAM_BOOL)
            lua_pushboolean(L, w->params.v[id] != 0.0);
        else if (qisim_param_desc_at(id)->type == QISIM_PARAM_INT)
            lua_pushinteger(L, (lua_Integer)w->params.v[id]);
        else
            lua_pushnumber(L, w->params.v[id]);
        return 1;
    }
    double value;
    if (lua_type(L, 2) == LUA_TBOOLEAN)
        value = lua_toboolean(L, 2) ? 1.0 : 0.0;
    else if (lua_type(L, 2) == LUA_TNUMBER)
        value = lua_tonumber(L, 2);
    else
        return luaL_typeerror(L, 2, "number or boolean");
    if (id >= 0 && w->param_fixed[id])
        return 0; /* fixed by --set for the whole run: the command line wins (the manifest records it) */
    if (qisim_params_set(&w->params, name, value, w->started, &err) != QISIM_OK)
        return luaL_argerror(L, id < 0 ? 1 : 2, err.msg);
    return 0;
}

/* ---- arg() ------------------------------------------------------------------------------------ */

/* arg(name [, default]): the scenario argument given as --arg name=value, as a number when
 * it reads as one, a boolean for true/false, else a string; default when not given. */
static int api_arg(lua_State *L)
{
    qisim_scenario *sc = qs_scenario(L);
    size_t len;
    const char *name = luaL_checklstring(L, 1, &len);
    for (int i = 0; sc->args && i < sc->args->n; i++) {
        const char *item = sc->args->items[i];
        if (strncmp(item, name, len) != 0 || item[len] != '=')
            continue;
        sc->args_read[i] = true;
        const char *text = item + len + 1;
        if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
            lua_pushboolean(L, text[0] == 't');
        else if (lua_stringtonumber(L, text) == 0)
            lua_pushstring(L, text);
        return 1;
    }
    if (lua_gettop(L) < 2)
        return luaL_error(L, "scenario argument '%s' was not given (qisim run ... --arg %s=VALUE)", name, name);
    lua_settop(L, 2);
    return 1;
}

/* ---- record{} ----------------------------------------------------------------------------------- */

static int api_record(lua_State *L)
{
    static const char *const keys[] = {"levels", "every", NULL};
    static const char *const level_names[] = {"team", "trust", "region", "system", NULL};
    qisim_scenario *sc = qs_scenario(L);
    qs_check_loading(L, "record");
    qs_table t = qs_check_table(L, 1);
    qs_check_keys(&t, keys, true);
    qisim_record *r = &sc->record;

    /* validate everything before changing the record, so a failed call changes nothing */
    lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
    int ids[QISIM_MAX_RECORD];
    int n_ids = 0;
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, 1, k);
        int m = -1;
        if (lua_type(L, -1) == LUA_TSTRING)
            m = qisim_metric_find(lua_tostring(L, -1));
        if (m < 0) {
            const char *names[MAX_METRIC_NAMES + 1];
            lua_pushfstring(L, "[%I]", k);
            qs_option_error(L, 1, -2, lua_tostring(L, -1), "metric", metric_names(names));
        }
        lua_pop(L, 1);
        bool seen = false;
        for (int j = 0; j < r->n_metrics && !seen; j++)
            seen = r->metrics[j] == m;
        for (int j = 0; j < n_ids && !seen; j++)
            seen = ids[j] == m;
        if (seen)
            continue;
        if (r->n_metrics + n_ids >= QISIM_MAX_RECORD)
            return luaL_argerror(L, 1, lua_pushfstring(L, "more than %d metrics", (int)QISIM_MAX_RECORD));
        ids[n_ids++] = m;
    }

    bool levels[QISIM_N_LEVELS] = {false};
    int type = qs_push_field(&t, "levels");
    bool levels_given = type != LUA_TNIL;
    if (levels_given) {
        if (type != LUA_TTABLE)
            return luaL_argerror(L, 1, lua_pushfstring(L, "field 'levels' must be a list of level names, got %s",
                                                       qs_typename(L, -1)));
        static const char *const none[] = {NULL};
        qs_table list = {L, 1, lua_gettop(L), "levels."};
        qs_check_keys(&list, none, true);
        lua_Integer nl = (lua_Integer)lua_rawlen(L, list.idx);
        if (nl < 1)
            return luaL_argerror(L, 1, "field 'levels' is empty");
        for (lua_Integer k = 1; k <= nl; k++) {
            lua_rawgeti(L, list.idx, k);
            int level = lua_type(L, -1) == LUA_TSTRING ? qisim_level_find(lua_tostring(L, -1)) : -1;
            if (level < 0) {
                lua_pushfstring(L, "levels[%I]", k);
                qs_option_error(L, 1, -2, lua_tostring(L, -1), "level", level_names);
            }
            levels[level] = true;
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    lua_Integer every = 0;
    if (qs_get_integer(&t, "every", 1, QISIM_MAX_WEEKS, &every) && sc->record_every_given && every != sc->record_every_given)
        return luaL_argerror(L, 1, lua_pushfstring(L, "every = %I conflicts with every = %d given earlier", every,
                                                   (int)sc->record_every_given));

    for (int k = 0; k < n_ids; k++)
        r->metrics[r->n_metrics++] = ids[k];
    if (levels_given) {
        for (int l = 0; l < QISIM_N_LEVELS; l++)
            r->levels[l] = r->levels[l] || levels[l];
        sc->record_levels_given = true;
    }
    if (every)
        sc->record_every_given = (int32_t)every;
    sc->record_called = true;
    return 0;
}

/* ---- reading the world ------------------------------------------------------------------------- */

static int api_week(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TNONE);
    lua_pushinteger(L, qs_scenario(L)->w->week);
    return 1;
}

static int api_trusts(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TNONE);
    qs_push_handle_array(L, QS_TRUST, 0, qs_scenario(L)->w->n_trusts);
    return 1;
}

static int api_regions(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TNONE);
    qs_push_handle_array(L, QS_REGION, 0, qs_scenario(L)->w->n_regions);
    return 1;
}

static int api_regulators(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TNONE);
    qs_push_handle_array(L, QS_REGULATOR, 0, qs_scenario(L)->w->n_regulators);
    return 1;
}

static int api_teams(lua_State *L)
{
    int32_t id = qs_check_handle(L, 1, QS_TRUST);
    luaL_checktype(L, 2, LUA_TNONE);
    const qisim_trust *t = &qs_scenario(L)->w->trusts[id];
    qs_push_handle_array(L, QS_TEAM, t->first_team, t->n_teams);
    return 1;
}

void qs_open_world(lua_State *L)
{
    static const luaL_Reg api[] = {
        {"scenario", api_scenario}, {"region", api_region},   {"trust", api_trust},   {"regulator", api_regulator},
        {"param", api_param},       {"record", api_record},   {"week", api_week},     {"trusts", api_trusts},
        {"regions", api_regions},   {"regulators", api_regulators}, {"teams", api_teams}, {"arg", api_arg},
        {"network", api_network},
        {NULL, NULL},
    };
    create_metatables(L);
    lua_pushglobaltable(L);
    luaL_setfuncs(L, api, 0);
    qs_push_handle(L, QS_SYSTEM, 0);
    lua_setfield(L, -2, "system");
    lua_pop(L, 1);
}
