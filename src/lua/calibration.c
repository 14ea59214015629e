/* Calibration files: calibrate{...} on the scenario host, checked into a qisim_calibration. */
#include "qisim/calibrate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "qisim/params.h"

const char *qisim_prior_name(int prior)
{
    static const char *const names[QISIM_N_PRIORS] = {"uniform", "log_uniform", "normal", "beta"};
    return prior >= 0 && prior < QISIM_N_PRIORS ? names[prior] : "?";
}

static void copy_text(lua_State *L, const char *what, const char *s, char *out, size_t size)
{
    if (strlen(s) >= size)
        luaL_error(L, "calibrate: %s is longer than %d characters", what, (int)size - 1);
    snprintf(out, size, "%s", s);
}

static double number_at(lua_State *L, int table, int i, const char *what)
{
    lua_rawgeti(L, table, i);
    if (lua_type(L, -1) != LUA_TNUMBER)
        luaL_error(L, "calibrate: %s: entry %d must be a number", what, i);
    double x = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return x;
}

/* { "name", "uniform", low, high } and the like (see qisim_cal_param). */
static void read_param(lua_State *L, int idx, qisim_cal_param *p, int k)
{
    static const char *const priors[] = {"uniform", "log_uniform", "normal", "beta", NULL};
    char what[160];
    snprintf(what, sizeof what, "params[%d]", k + 1);
    if (!lua_istable(L, idx))
        luaL_error(L, "calibrate: %s must be { \"parameter\", \"uniform\", low, high }", what);
    int len = (int)lua_rawlen(L, idx);
    lua_rawgeti(L, idx, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "calibrate: %s: the first entry is the parameter's name", what);
    copy_text(L, what, lua_tostring(L, -1), p->name, sizeof p->name);
    lua_pop(L, 1);
    p->id = qisim_param_find(p->name);
    if (p->id < 0) {
        const char *names[QISIM_N_PARAMS + 1];
        for (int i = 0; i < QISIM_N_PARAMS; i++)
            names[i] = qisim_param_desc_at(i)->name;
        names[QISIM_N_PARAMS] = NULL;
        const char *near = qs_suggest(p->name, names);
        if (near)
            luaL_error(L, "calibrate: %s: unknown parameter '%s'; did you mean '%s'? (see 'qisim params')", what, p->name, near);
        luaL_error(L, "calibrate: %s: unknown parameter '%s' (see 'qisim params')", what, p->name);
    }
    const qisim_param_desc *d = qisim_param_desc_at(p->id);
    if (d->type != QISIM_PARAM_REAL)
        luaL_error(L, "calibrate: %s: '%s' is not a real-valued parameter", what, p->name);
    lua_rawgeti(L, idx, 2);
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "calibrate: %s: the second entry is the prior (uniform, log_uniform, normal, beta)", what);
    const char *prior = lua_tostring(L, -1);
    for (p->prior = 0; priors[p->prior] && strcmp(priors[p->prior], prior) != 0; p->prior++)
        ;
    if (!priors[p->prior]) {
        const char *near = qs_suggest(prior, priors);
        luaL_error(L, "calibrate: %s: unknown prior '%s'%s%s%s (uniform, log_uniform, normal, beta)", what, prior,
                   near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
    }
    lua_pop(L, 1);
    if (len != 4 && !(p->prior == QISIM_PRIOR_BETA && len == 6))
        luaL_error(L, "calibrate: %s: a %s prior takes %s", what, priors[p->prior],
                   p->prior == QISIM_PRIOR_NORMAL ? "mean and sd"
                   : p->prior == QISIM_PRIOR_BETA ? "alpha and beta (and optionally low and high)" : "low and high");
    p->a = number_at(L, idx, 3, what);
    p->b = number_at(L, idx, 4, what);
    switch (p->prior) {
    case QISIM_PRIOR_UNIFORM:
    case QISIM_PRIOR_LOG_UNIFORM:
        p->lo = p->a;
        p->hi = p->b;
        if (!(p->lo < p->hi) || (p->prior == QISIM_PRIOR_LOG_UNIFORM && !(p->lo > 0)))
            luaL_error(L, "calibrate: %s: needs low < high%s", what, p->prior == QISIM_PRIOR_LOG_UNIFORM ? ", low > 0" : "");
        break;
    case QISIM_PRIOR_NORMAL:
        if (!(p->b > 0) || !isfinite(p->a))
            luaL_error(L, "calibrate: %s: a normal prior needs a finite mean and sd > 0", what);
        p->lo = d->min;
        p->hi = d->max;
        break;
    default:
        if (!(p->a > 0) || !(p->b > 0))
            luaL_error(L, "calibrate: %s: a beta prior needs alpha > 0 and beta > 0", what);
        p->lo = len == 6 ? number_at(L, idx, 5, what) : d->min;
        p->hi = len == 6 ? number_at(L, idx, 6, what) : d->max;
        if (!(p->lo < p->hi))
            luaL_error(L, "calibrate: %s: needs low < high", what);
        break;
    }
    if (p->lo < d->min || p->hi > d->max)
        luaL_error(L, "calibrate: %s: [%f, %f] must lie in the range [%f, %f] of '%s'", what, p->lo, p->hi, d->min,
                   d->max, p->name);
}

static int api_calibrate(lua_State *L)
{
    static const char *const keys[] = {"name", "patterns", "params", "sets", "particles", "generations",
                                       "reps", "quantile", "seed", "max_proposals", NULL};
    qisim_calibration *c = qs_scenario(L)->decl;
    if (c->n_params)
        return luaL_error(L, "calibrate{} may be called only once");
    qs_table t = qs_check_table(L, 1);
    t.prefix = "";
    qs_check_keys(&t, keys, false);
    const char *s;
    if (qs_get_string(&t, "name", &s))
        copy_text(L, "name", s, c->name, sizeof c->name);
    if (qs_push_field(&t, "patterns") != LUA_TTABLE)
        return luaL_error(L, "calibrate: patterns = { \"scenarios/validation/patterns/p3.lua\", ... } is required");
    c->n_patterns = (int)lua_rawlen(L, -1);
    if (c->n_patterns < 1 || c->n_patterns > QISIM_CAL_MAX_PATTERNS)
        return luaL_error(L, "calibrate: needs 1 to %d patterns", QISIM_CAL_MAX_PATTERNS);
    for (int i = 0; i < c->n_patterns; i++) {
        lua_rawgeti(L, -1, i + 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            return luaL_error(L, "calibrate: patterns[%d] must be a pattern file's path", i + 1);
        copy_text(L, "a pattern path", lua_tostring(L, -1), c->patterns[i], sizeof c->patterns[i]);
        lua_pop(L, 1);
    }
    lua_settop(L, 1);
    if (qs_push_field(&t, "params") != LUA_TTABLE)
        return luaL_error(L, "calibrate: params = { { \"name\", \"uniform\", low, high }, ... } is required");
    int n = (int)lua_rawlen(L, -1);
    if (n < 1 || n > QISIM_CAL_MAX_PARAMS)
        return luaL_error(L, "calibrate: needs 1 to %d params", QISIM_CAL_MAX_PARAMS);
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, -1, i + 1);
        read_param(L, lua_gettop(L), &c->params[i], i);
        lua_pop(L, 1);
        for (int j = 0; j < i; j++)
            if (c->params[j].id == c->params[i].id)
                return luaL_error(L, "calibrate: parameter '%s' is given twice", c->params[i].name);
    }
    c->n_params = n;
    lua_settop(L, 1);
    if (qs_push_field(&t, "sets") == LUA_TTABLE) {
        int len = (int)lua_rawlen(L, -1);
        if (len > QISIM_CAL_MAX_SETS)
            return luaL_error(L, "calibrate: at most %d sets", QISIM_CAL_MAX_SETS);
        for (int i = 0; i < len; i++) {
            lua_rawgeti(L, -1, i + 1);
            if (lua_type(L, -1) != LUA_TSTRING)
                return luaL_error(L, "calibrate: sets[%d] must be \"name=value\"", i + 1);
            copy_text(L, "a set", lua_tostring(L, -1), c->sets[i], sizeof c->sets[i]);
            lua_pop(L, 1);
            qisim_params scratch;
            qisim_err err;
            qisim_params_defaults(&scratch);
            if (qisim_params_set_text(&scratch, c->sets[i], false, &err))
                return luaL_error(L, "calibrate: sets[%d]: %s", i + 1, err.msg);
        }
        c->n_sets = len;
    }
    lua_settop(L, 1);
    lua_Integer v;
    c->particles = qs_get_integer(&t, "particles", 4, 100000, &v) ? (int)v : 100;
    c->generations = qs_get_integer(&t, "generations", 1, QISIM_CAL_MAX_GENERATIONS, &v) ? (int)v : 4;
    c->reps = qs_get_integer(&t, "reps", 1, 1000, &v) ? (int)v : 5;
    c->seed = qs_get_integer(&t, "seed", 0, LUA_MAXINTEGER, &v) ? (uint64_t)v : 1;
    c->max_proposals = qs_get_integer(&t, "max_proposals", 1, 100000, &v) ? (int)v : 50;
    if (!qs_get_number(&t, "quantile", 0.05, 0.95, &c->quantile))
        c->quantile = 0.5;
    return 0;
}

static int install(lua_State *L)
{
    lua_pushcfunction(L, api_calibrate);
    lua_setglobal(L, "calibrate");
    return 0;
}

int qisim_calibration_load(const char *path, qisim_calibration *c, qisim_err *err)
{
    memset(c, 0, sizeof *c);
    snprintf(c->path, sizeof c->path, "%s", path);
    int rc = qs_load_declaration(path, install, c, err);
    if (rc)
        return rc;
    if (!c->n_params)
        return qisim_err_set(err, QISIM_EINVAL, "%s: no calibrate{...} in the file", path);
    if (!c->name[0]) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        size_t len = strlen(base);
        if (len > 4 && strcmp(base + len - 4, ".lua") == 0)
            len -= 4;
        snprintf(c->name, sizeof c->name, "%.*s", (int)len, base);
    }
    return QISIM_OK;
}
