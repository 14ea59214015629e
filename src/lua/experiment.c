/* Loading experiment files: a small sandboxed Lua state whose only API is experiment{...}. */
#include "qisim/experiment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "bind.h"
#include "qisim/metrics.h"
#include "qisim/params.h"

enum { EXPERIMENT_BUDGET = 10000000, HOOK_STEP = 10000 };

/* An experiment state's limits: its instruction count and its share of the process heap. */
typedef struct experiment_limits {
    int used;
    qs_heap heap;
    double deadline; /* as a scenario's (--time-limit), 0 for none */
    qs_watch watch;
} experiment_limits;

static void budget_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    experiment_limits *lim = *(experiment_limits **)lua_getextraspace(L);
    /* the clock first: the watchdog makes the hook run at every instruction */
    if (lim->deadline > 0 && qs_now() > lim->deadline)
        luaL_error(L, "time limit of %d s exceeded (see --time-limit)", (int)qs_time_limit());
    if ((lim->used += HOOK_STEP) > EXPERIMENT_BUDGET)
        luaL_error(L, "instruction budget of %d exceeded (endless loop?)", EXPERIMENT_BUDGET);
    if (lim->heap.soft_limit_hit)
        luaL_error(L, "the experiment used more than %d MiB of Lua memory", (int)(QS_HEAP_SOFT_LIMIT >> 20));
}

/* The scenario API, absent here: a scenario file given to sweep fails at its first call. */
static int scenario_api_called(lua_State *L)
{
    return luaL_error(L, "%s{} belongs to scenario files: this is a scenario, not an experiment (qisim sweep "
                         "takes an experiment file, docs/experiments.md; run a scenario with qisim run)",
                      lua_tostring(L, lua_upvalueindex(1)));
}

static void copy_text(lua_State *L, int idx, const char *what, char *out, size_t size)
{
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    if (!s || lua_type(L, idx) == LUA_TBOOLEAN)
        luaL_error(L, "experiment: %s must be a string or number", what);
    if (len >= size)
        luaL_error(L, "experiment: %s is longer than %d characters", what, (int)size - 1);
    memcpy(out, s, len + 1);
}

/* Refuses keys outside `allowed` in the table at idx (sorted message: pairs() order varies). */
static void check_keys(lua_State *L, int idx, const char *const *allowed, const char *what)
{
    char bad[256] = "";
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            continue;
        const char *k = lua_tostring(L, -1);
        bool ok = false;
        for (int i = 0; allowed[i]; i++)
            ok |= strcmp(k, allowed[i]) == 0;
        if (!ok && (bad[0] == '\0' || strcmp(k, bad) < 0))
            snprintf(bad, sizeof bad, "%s", k);
    }
    if (bad[0])
        luaL_error(L, "experiment: unknown field '%s' in %s", bad, what);
}

static int get_field(lua_State *L, int idx, const char *key)
{
    return lua_getfield(L, idx, key);
}

static void read_factor(lua_State *L, int idx, qisim_experiment *e, int k)
{
    static const char *const keys[] = {"param", "arg", "levels", "range", NULL};
    char what[32];
    snprintf(what, sizeof what, "factor %d", k + 1);
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "experiment: %s must be a table { param = ..., levels = {...} }", what);
    check_keys(L, idx, keys, what);
    qisim_factor *f = &e->factors[k];
    memset(f, 0, sizeof *f);
    int tp = get_field(L, idx, "param"), ta = get_field(L, idx, "arg");
    if ((tp == LUA_TNIL) == (ta == LUA_TNIL))
        luaL_error(L, "experiment: %s needs exactly one of param = or arg =", what);
    f->is_arg = ta != LUA_TNIL;
    copy_text(L, f->is_arg ? -1 : -2, "a factor name", f->name, sizeof f->name);
    lua_pop(L, 2);
    int pid = f->is_arg ? -1 : qisim_param_find(f->name);
    if (!f->is_arg && pid < 0)
        luaL_error(L, "experiment: %s: unknown parameter '%s' (see 'qisim params')", what, f->name);
    if (get_field(L, idx, "levels") == LUA_TTABLE) {
        f->n_levels = (int)lua_rawlen(L, -1);
        if (f->n_levels < 1 || f->n_levels > QISIM_MAX_LEVELS)
            luaL_error(L, "experiment: %s needs 1 to %d levels", what, QISIM_MAX_LEVELS);
        for (int i = 0; i < f->n_levels; i++) {
            lua_rawgeti(L, -1, i + 1);
            if (lua_type(L, -1) == LUA_TBOOLEAN)
                snprintf(f->levels[i], sizeof f->levels[i], "%s", lua_toboolean(L, -1) ? "true" : "false");
            else
                copy_text(L, -1, "a level", f->levels[i], sizeof f->levels[i]);
            lua_pop(L, 1);
            if (!f->is_arg) {
                qisim_params scratch;
                qisim_err err;
                char assignment[2 * QISIM_TEXT_MAX + 2];
                qisim_params_defaults(&scratch);
                snprintf(assignment, sizeof assignment, "%s=%s", f->name, f->levels[i]);
                if (qisim_params_set_text(&scratch, assignment, false, &err))
                    luaL_error(L, "experiment: %s: %s", what, err.msg);
            }
        }
    } else if (lua_type(L, -1) != LUA_TNIL) {
        luaL_error(L, "experiment: %s: levels must be a list", what);
    }
    lua_pop(L, 1);
    if (get_field(L, idx, "range") == LUA_TTABLE) {
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        if (!lua_isnumber(L, -2) || !lua_isnumber(L, -1) || lua_rawlen(L, -3) != 2)
            luaL_error(L, "experiment: %s: range must be { low, high }", what);
        f->lo = lua_tonumber(L, -2);
        f->hi = lua_tonumber(L, -1);
        f->has_range = true;
        lua_pop(L, 2);
        if (!(f->lo < f->hi))
            luaL_error(L, "experiment: %s: range low must be below high", what);
        if (pid >= 0) {
            const qisim_param_desc *d = qisim_param_desc_at(pid);
            if (f->lo < d->min || f->hi > d->max || d->type != QISIM_PARAM_REAL)
                luaL_error(L, "experiment: %s: range [%g, %g] must lie in [%g, %g] of a real parameter", what,
                           f->lo, f->hi, d->min, d->max);
        }
    } else if (lua_type(L, -1) != LUA_TNIL) {
        luaL_error(L, "experiment: %s: range must be { low, high }", what);
    }
    lua_pop(L, 1);
    if (f->n_levels == 0 && !f->has_range)
        luaL_error(L, "experiment: %s needs levels = {...} or range = { low, high }", what);
}

static int api_experiment(lua_State *L)
{
    static const char *const keys[] = {"name", "scenario", "replicates", "seed", "design",
                                       "samples", "levels", "factors", "matrix", "outcomes", NULL};
    static const char *const designs[] = {"full", "lhs", "morris", "matrix", NULL};
    qisim_experiment *e = lua_touserdata(L, lua_upvalueindex(1));
    if (e->scenario[0])
        return luaL_error(L, "experiment{} may be called only once");
    luaL_checktype(L, 1, LUA_TTABLE);
    check_keys(L, 1, keys, "experiment");
    if (get_field(L, 1, "scenario") == LUA_TNIL)
        return luaL_error(L, "experiment: scenario = \"path.lua\" is required");
    copy_text(L, -1, "scenario", e->scenario, sizeof e->scenario);
    if (get_field(L, 1, "name") != LUA_TNIL)
        copy_text(L, -1, "name", e->name, sizeof e->name);
    e->replicates = get_field(L, 1, "replicates") == LUA_TNIL ? 10 : (int32_t)luaL_checkinteger(L, -1);
    if (e->replicates < 1 || e->replicates > 100000)
        return luaL_error(L, "experiment: replicates %d is outside [1, 100000]", e->replicates);
    e->seed = get_field(L, 1, "seed") == LUA_TNIL ? 1 : (uint64_t)luaL_checkinteger(L, -1);
    e->design = get_field(L, 1, "design") == LUA_TNIL ? QISIM_DESIGN_FULL : luaL_checkoption(L, -1, NULL, designs);
    e->samples = get_field(L, 1, "samples") == LUA_TNIL ? 0 : (int32_t)luaL_checkinteger(L, -1);
    e->morris_levels = get_field(L, 1, "levels") == LUA_TNIL ? 4 : (int32_t)luaL_checkinteger(L, -1);
    if (e->morris_levels < 2 || e->morris_levels > 100)
        return luaL_error(L, "experiment: levels (of a Morris grid) %d is outside [2, 100]", e->morris_levels);
    lua_settop(L, 1);
    if (e->design == QISIM_DESIGN_MATRIX) { /* the factors are the matrix's columns */
        if (get_field(L, 1, "matrix") == LUA_TNIL)
            return luaL_error(L, "experiment: design = \"matrix\" needs matrix = \"path.csv\"");
        copy_text(L, -1, "matrix", e->matrix, sizeof e->matrix);
        lua_settop(L, 1);
        if (get_field(L, 1, "factors") != LUA_TNIL)
            return luaL_error(L, "experiment: a matrix design takes its factors from the matrix's header");
        lua_settop(L, 1);
        goto outcomes;
    }
    if (get_field(L, 1, "factors") != LUA_TTABLE)
        return luaL_error(L, "experiment: factors = { {...}, ... } is required");
    e->n_factors = (int)lua_rawlen(L, -1);
    if (e->n_factors < 1 || e->n_factors > QISIM_MAX_FACTORS)
        return luaL_error(L, "experiment: needs 1 to %d factors", QISIM_MAX_FACTORS);
    for (int k = 0; k < e->n_factors; k++) {
        lua_rawgeti(L, -1, k + 1);
        read_factor(L, lua_gettop(L), e, k);
        lua_pop(L, 1);
        qisim_factor *f = &e->factors[k];
        if (e->design == QISIM_DESIGN_FULL && f->n_levels == 0)
            return luaL_error(L, "experiment: factor %d needs levels for a full design", k + 1);
        if (e->design != QISIM_DESIGN_FULL && (!f->has_range || f->is_arg))
            return luaL_error(L, "experiment: factor %d needs a parameter range for a %s design", k + 1,
                              designs[e->design]);
    }
    if (e->design == QISIM_DESIGN_LHS && (e->samples < 2 || e->samples > 100000))
        return luaL_error(L, "experiment: a Latin hypercube needs samples = 2..100000");
    if (e->design == QISIM_DESIGN_MORRIS && (e->samples < 2 || e->samples > 10000))
        return luaL_error(L, "experiment: a Morris design needs samples (trajectories) = 2..10000");
    lua_pop(L, 1);
outcomes:
    if (get_field(L, 1, "outcomes") == LUA_TTABLE) {
        e->n_outcomes = (int)lua_rawlen(L, -1);
        if (e->n_outcomes > QISIM_MAX_OUTCOMES)
            return luaL_error(L, "experiment: at most %d outcomes", QISIM_MAX_OUTCOMES);
        for (int i = 0; i < e->n_outcomes; i++) {
            lua_rawgeti(L, -1, i + 1);
            copy_text(L, -1, "an outcome", e->outcomes[i], sizeof e->outcomes[i]);
            lua_pop(L, 1);
            if (qisim_metric_find(e->outcomes[i]) < 0)
                return luaL_error(L, "experiment: unknown outcome metric '%s' (see 'qisim metrics')", e->outcomes[i]);
        }
    }
    return 0;
}

int qisim_experiment_load(const char *path, qisim_experiment *e, qisim_err *err)
{
    memset(e, 0, sizeof *e);
    int rc = qs_check_source_file(path, err);
    if (rc)
        return rc;
    experiment_limits lim = {.heap.soft_limit = QS_HEAP_SOFT_LIMIT};
    lua_State *L = lua_newstate(qs_heap_alloc, &lim.heap);
    if (!L)
        return qisim_err_set(err, QISIM_ENOMEM, "%s: out of memory", path);
    *(experiment_limits **)lua_getextraspace(L) = &lim;
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base}, {LUA_TABLIBNAME, luaopen_table},
                                    {LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math}, {NULL, NULL}};
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    qs_harden_libraries(L); /* no finalizers, no unbounded loops in C, no addresses */
    static const char *const scenario_api[] = {"scenario", "region", "trust", "regulator", "at", "every",
                                               "when", "record", "param", NULL};
    for (int i = 0; scenario_api[i]; i++) {
        lua_pushstring(L, scenario_api[i]);
        lua_pushcclosure(L, scenario_api_called, 1);
        lua_setglobal(L, scenario_api[i]);
    }
    /* nothing that reads files or draws unseeded random numbers */
    static const char *const removed[] = {"dofile", "loadfile", "load", "require", "collectgarbage", "print", NULL};
    for (int i = 0; removed[i]; i++) {
        lua_pushnil(L);
        lua_setglobal(L, removed[i]);
    }
    lua_getglobal(L, "math");
    lua_pushnil(L);
    lua_setfield(L, -2, "random");
    lua_pushnil(L);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);
    lua_pushlightuserdata(L, e);
    lua_pushcclosure(L, api_experiment, 1);
    lua_setglobal(L, "experiment");
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, HOOK_STEP);
    if (qs_time_limit() > 0) {
        lim.deadline = qs_now() + qs_time_limit();
        qs_watch_start(&lim.watch, L, budget_hook, lim.deadline);
    }
    rc = luaL_loadfilex(L, path, "t");
    if (rc == LUA_OK)
        rc = lua_pcall(L, 0, 0, 0);
    if (rc != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        qisim_err_set(err, rc == LUA_ERRFILE ? QISIM_EIO : QISIM_ESCRIPT, "%s", msg ? msg : "error");
        if (lim.deadline > 0)
            qs_watch_stop(&lim.watch);
        lua_close(L);
        return err ? err->code : QISIM_ESCRIPT;
    }
    if (lim.deadline > 0)
        qs_watch_stop(&lim.watch);
    lua_close(L);
    if (!e->scenario[0])
        return qisim_err_set(err, QISIM_EINVAL, "%s: no experiment{...} in the file", path);
    if (!e->name[0]) { /* the file's base name */
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        size_t len = strlen(base);
        if (len > 4 && strcmp(base + len - 4, ".lua") == 0)
            len -= 4;
        snprintf(e->name, sizeof e->name, "%.*s", (int)len, base);
    }
    return QISIM_OK;
}
