/* Loading experiment files: experiment{...} on the scenario host (its sandbox, limits and
 * messages, qs_load_declaration), checked into a qisim_experiment. */
#include "qisim/experiment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "bind.h"
#include "qisim/metrics.h"
#include "qisim/params.h"

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

static int get_field(lua_State *L, int idx, const char *key)
{
    return lua_getfield(L, idx, key);
}

/* A string field no longer than size - 1; false when absent. */
static bool get_text(const qs_table *t, const char *key, char *out, size_t size)
{
    const char *s;
    if (!qs_get_string(t, key, &s))
        return false;
    if (strlen(s) >= size)
        luaL_error(t->L, "experiment: %s is longer than %d characters", key, (int)size - 1);
    memcpy(out, s, strlen(s) + 1);
    return true;
}

/* name = value entries of the table at idx (sorted by name: pairs() order varies) as
 * "name=value" into out; sets are checked against the parameter table. */
static int read_fixed(lua_State *L, int idx, char out[][2 * QISIM_TEXT_MAX], bool params, const char *what)
{
    if (lua_isnil(L, idx))
        return 0;
    if (!lua_istable(L, idx))
        luaL_error(L, "experiment: %s must be a table of name = value", what);
    idx = lua_absindex(L, idx);
    const char *names[QISIM_MAX_FIXED];
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "experiment: %s takes name = value entries", what);
        if (n >= QISIM_MAX_FIXED)
            luaL_error(L, "experiment: %s: at most %d", what, QISIM_MAX_FIXED);
        names[n++] = lua_tostring(L, -1);
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    for (int i = 0; i < n; i++) {
        lua_getfield(L, idx, names[i]);
        int t = lua_type(L, -1);
        const char *v = t == LUA_TBOOLEAN ? (lua_toboolean(L, -1) ? "true" : "false")
                      : t == LUA_TNUMBER || t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (!v)
            luaL_error(L, "experiment: %s.%s must be a number, string or boolean", what, names[i]);
        if (strlen(names[i]) + strlen(v) + 2 > 2 * QISIM_TEXT_MAX)
            luaL_error(L, "experiment: %s.%s is too long", what, names[i]);
        snprintf(out[i], 2 * QISIM_TEXT_MAX, "%s=%s", names[i], v);
        lua_pop(L, 1);
        if (params) {
            qisim_params scratch;
            qisim_err err;
            qisim_params_defaults(&scratch);
            if (qisim_params_set_text(&scratch, out[i], false, &err))
                luaL_error(L, "experiment: %s: %s", what, err.msg);
        }
    }
    return n;
}

/* sets = {...}, args = {...} of the table at idx into f. */
static void read_settings(lua_State *L, int idx, qisim_fixed *f, const char *prefix)
{
    char what[64];
    lua_getfield(L, idx, "sets");
    snprintf(what, sizeof what, "%ssets", prefix);
    f->n_sets = read_fixed(L, -1, f->sets, true, what);
    lua_pop(L, 1);
    lua_getfield(L, idx, "args");
    snprintf(what, sizeof what, "%sargs", prefix);
    f->n_args = read_fixed(L, -1, f->args, false, what);
    lua_pop(L, 1);
}

/* arms = { { "name", args = {...}, sets = {...} }, ... } */
static void read_arms(lua_State *L, int idx, qisim_experiment *e)
{
    static const char *const keys[] = {"args", "sets", NULL};
    if (lua_isnil(L, idx))
        return;
    if (!lua_istable(L, idx))
        luaL_error(L, "experiment: arms must be a list of { \"name\", args = {...}, sets = {...} }");
    idx = lua_absindex(L, idx);
    e->n_arms = (int)lua_rawlen(L, idx);
    if (e->n_arms < 2 || e->n_arms > QISIM_MAX_ARMS)
        luaL_error(L, "experiment: arms: 2 to %d arms (the contrast is the second minus the first)", QISIM_MAX_ARMS);
    for (int a = 0; a < e->n_arms; a++) {
        lua_rawgeti(L, idx, a + 1);
        char prefix[32];
        snprintf(prefix, sizeof prefix, "arms[%d].", a + 1);
        if (!lua_istable(L, -1))
            luaL_error(L, "experiment: %s must be { \"name\", args = {...} }", prefix);
        qs_table t = {L, 1, lua_gettop(L), prefix};
        qs_check_keys(&t, keys, true);
        lua_rawgeti(L, -1, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "experiment: arms[%d]: the first entry is the arm's name", a + 1);
        snprintf(e->arm_names[a], sizeof e->arm_names[a], "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
        read_settings(L, lua_gettop(L), &e->arms[a], prefix);
        lua_pop(L, 1);
    }
}

static void read_factor(lua_State *L, int idx, qisim_experiment *e, int k)
{
    static const char *const keys[] = {"param", "arg", "levels", "range", NULL};
    char what[32], prefix[40];
    snprintf(what, sizeof what, "factor %d", k + 1);
    snprintf(prefix, sizeof prefix, "factors[%d].", k + 1);
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "experiment: %s must be a table { param = ..., levels = {...} }", what);
    qs_table t = {L, 1, idx, prefix};
    qs_check_keys(&t, keys, false);
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
                luaL_error(L, "experiment: %s: range [%f, %f] must lie in [%f, %f] of a real parameter", what,
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
    static const char *const keys[] = {"name", "scenario", "replicates", "seed", "design", "samples", "levels",
                                       "factors", "matrix", "outcomes", "sets", "args", "arms", NULL};
    static const char *const designs[] = {"full", "lhs", "morris", "matrix", NULL};
    qisim_experiment *e = qs_scenario(L)->decl;
    if (e->scenario[0])
        return luaL_error(L, "experiment{} may be called only once");
    qs_table t = qs_check_table(L, 1);
    t.prefix = "";
    qs_check_keys(&t, keys, false);
    if (!get_text(&t, "scenario", e->scenario, sizeof e->scenario))
        return luaL_error(L, "experiment: scenario = \"path.lua\" is required");
    get_text(&t, "name", e->name, sizeof e->name);
    lua_Integer v;
    e->replicates = qs_get_integer(&t, "replicates", 1, 100000, &v) ? (int32_t)v : 10;
    e->seed = qs_get_integer(&t, "seed", 0, LUA_MAXINTEGER, &v) ? (uint64_t)v : 1;
    if (!qs_get_option(&t, "design", "design", designs, &e->design))
        e->design = QISIM_DESIGN_FULL;
    e->samples = qs_get_integer(&t, "samples", 0, 100000, &v) ? (int32_t)v : 0;
    e->morris_levels = qs_get_integer(&t, "levels", 2, 100, &v) ? (int32_t)v : 4;
    lua_settop(L, 1);
    if (e->design == QISIM_DESIGN_MATRIX) { /* the factors are the matrix's columns */
        if (!get_text(&t, "matrix", e->matrix, sizeof e->matrix))
            return luaL_error(L, "experiment: design = \"matrix\" needs matrix = \"path.csv\"");
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
    lua_settop(L, 1);
    read_settings(L, 1, &e->fixed, "");
    lua_getfield(L, 1, "arms");
    read_arms(L, lua_gettop(L), e);
    lua_settop(L, 1);
    if (get_field(L, 1, "outcomes") == LUA_TTABLE) {
        e->n_outcomes = (int)lua_rawlen(L, -1);
        if (e->n_outcomes > QISIM_MAX_OUTCOMES)
            return luaL_error(L, "experiment: at most %d outcomes", QISIM_MAX_OUTCOMES);
        for (int i = 0; i < e->n_outcomes; i++) {
            lua_rawgeti(L, -1, i + 1);
            copy_text(L, -1, "an outcome", e->outcomes[i], sizeof e->outcomes[i]);
            lua_pop(L, 1);
            if (qisim_metric_find(e->outcomes[i]) < 0) {
                const char *names[128];
                int n = 0;
                for (int m = 0; m < qisim_metric_count() && n < 127; m++)
                    names[n++] = qisim_metric_at(m)->name;
                names[n] = NULL;
                const char *near = qs_suggest(e->outcomes[i], names);
                if (near)
                    return luaL_error(L, "experiment: unknown outcome metric '%s'; did you mean '%s'? (see 'qisim metrics')",
                                      e->outcomes[i], near);
                return luaL_error(L, "experiment: unknown outcome metric '%s' (see 'qisim metrics')", e->outcomes[i]);
            }
        }
    }
    return 0;
}

/* The experiment file's API: experiment{}, and the scenario builders as stubs that say this
 * is the wrong kind of file. */
static int install(lua_State *L)
{
    static const char *const scenario_api[] = {"scenario", "region", "trust", "regulator", "at", "every",
                                               "when", "record", "param", NULL};
    for (int i = 0; scenario_api[i]; i++) {
        lua_pushstring(L, scenario_api[i]);
        lua_pushcclosure(L, scenario_api_called, 1);
        lua_setglobal(L, scenario_api[i]);
    }
    lua_pushcfunction(L, api_experiment);
    lua_setglobal(L, "experiment");
    return 0;
}

int qisim_experiment_load(const char *path, qisim_experiment *e, qisim_err *err)
{
    memset(e, 0, sizeof *e);
    int rc = qs_load_declaration(path, install, e, err);
    if (rc)
        return rc;
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
