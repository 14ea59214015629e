/* Lua bindings that schedule scenario actions: at, every, when.
 *
 * THE SCENARIO API, PART 2: SCHEDULING
 *
 * Actions run at the start of a simulated week, before the mechanisms, in the order they
 * were scheduled. Each action (and each condition) runs under its own instruction budget
 * (50 million VM instructions). An error inside one stops the run with its file:line.
 * Scheduling from inside an action is allowed; the earliest week it can take effect is then
 * the next week (week() + 1), because this week's actions are already under way.
 *
 * at(week, fn)
 *   Calls fn() once at the start of week `week` (integer >= 0; week 0 is the first simulated
 *   week). From an action, week must lie in the future.
 *
 * every(period, fn [, first_week])
 *   Calls fn() at first_week, first_week + period, ... (period integer 1..5200). first_week
 *   defaults to the earliest week possible: 0 while the file loads.
 *
 * when(condition, fn [, { repeats = boolean }])
 *   Each week from the earliest possible, calls condition(); when it returns true, calls
 *   fn(). Fires once unless repeats = true, then every week the condition holds. (The key is
 *   "repeats" because `repeat` is a Lua keyword: { repeat = true } would not parse.)
 *   condition must return a boolean: "when: condition must return a boolean, got nil" names
 *   the line where the condition function is defined.
 */
#include "bind.h"

/* The first week an action scheduled now can run in. */
static int32_t earliest_week(lua_State *L)
{
    const qisim_scenario *sc = qs_scenario(L);
    return sc->loading ? sc->w->week : sc->w->week + 1;
}

/* Stores the function at arg in the registry; the reference is the engine's host handle. */
static int32_t reference_function(lua_State *L, int arg)
{
    luaL_checktype(L, arg, LUA_TFUNCTION);
    lua_pushvalue(L, arg);
    return (int32_t)luaL_ref(L, LUA_REGISTRYINDEX);
}

static void schedule(lua_State *L, qisim_scheduled *s, const char *fn)
{
    qisim_err err;
    qisim_err_clear(&err);
    int rc = qisim_world_schedule(qs_scenario(L)->w, s, &err);
    if (rc != QISIM_OK) {
        luaL_unref(L, LUA_REGISTRYINDEX, s->action);
        if (s->kind == QISIM_WHEN)
            luaL_unref(L, LUA_REGISTRYINDEX, s->condition);
    }
    qs_check_engine(L, rc, &err, fn);
}

static lua_Integer check_start_week(lua_State *L, int arg)
{
    lua_Integer earliest = earliest_week(L);
    lua_Integer week = luaL_checkinteger(L, arg);
    if (week < earliest) {
        if (earliest == 0)
            luaL_argerror(L, arg, lua_pushfstring(L, "week %I is negative", week));
        luaL_argerror(L, arg, lua_pushfstring(L, "week %I is not in the future (this is week %I)", week,
                                              earliest - 1));
    }
    if (week > INT32_MAX)
        luaL_argerror(L, arg, lua_pushfstring(L, "week %I is too large", week));
    return week;
}

static int api_at(lua_State *L)
{
    lua_Integer week = check_start_week(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    luaL_checktype(L, 3, LUA_TNONE);
    qisim_scheduled s = {.kind = QISIM_AT, .week = (int32_t)week, .action = reference_function(L, 2)};
    schedule(L, &s, "at");
    return 0;
}

static int api_every(lua_State *L)
{
    lua_Integer period = qs_check_int_range(L, 1, 1, QISIM_MAX_WEEKS);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_Integer first = lua_isnoneornil(L, 3) ? earliest_week(L) : check_start_week(L, 3);
    luaL_checktype(L, 4, LUA_TNONE);
    qisim_scheduled s = {.kind = QISIM_EVERY,
                         .week = (int32_t)first,
                         .period = (int32_t)period,
                         .action = reference_function(L, 2)};
    schedule(L, &s, "every");
    return 0;
}

static int api_when(lua_State *L)
{
    static const char *const keys[] = {"repeats", NULL};
    luaL_checktype(L, 1, LUA_TFUNCTION);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    bool repeat = false;
    if (!lua_isnoneornil(L, 3)) {
        qs_table t = qs_check_table(L, 3);
        qs_check_keys(&t, keys, false);
        qs_get_bool(&t, "repeats", &repeat);
    }
    luaL_checktype(L, 4, LUA_TNONE);
    qisim_scheduled s = {.kind = QISIM_WHEN, .week = earliest_week(L), .once = !repeat};
    s.condition = reference_function(L, 1);
    s.action = reference_function(L, 2);
    schedule(L, &s, "when");
    return 0;
}

void qs_open_schedule(lua_State *L)
{
    static const luaL_Reg api[] = {{"at", api_at}, {"every", api_every}, {"when", api_when}, {NULL, NULL}};
    lua_pushglobaltable(L);
    luaL_setfuncs(L, api, 0);
    lua_pop(L, 1);
}
