/* Pattern files: the Lua vocabulary (arm, series, at, first, median, between, row, pattern ...)
 * that builds a qisim_pattern's nodes, loaded through the scenario host (docs/calibration.md). */
#include "qisim/validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "qisim/metrics.h"
#include "qisim/params.h"

static const char EXPR[] = "qisim.expr";

static qisim_pattern *current(lua_State *L)
{
    return qs_scenario(L)->decl;
}

static void copy_text(lua_State *L, const char *what, const char *s, char *out, size_t size)
{
    if (strlen(s) >= size)
        luaL_error(L, "%s is longer than %d characters", what, (int)size - 1);
    snprintf(out, size, "%s", s);
}

/* ---- expressions -------------------------------------------------------------------------- */

static int new_node(lua_State *L, int op, int kind)
{
    qisim_pattern *p = current(L);
    if (p->n_nodes >= QISIM_PAT_MAX_NODES)
        luaL_error(L, "a pattern may build at most %d expressions", QISIM_PAT_MAX_NODES);
    qisim_node *n = &p->nodes[p->n_nodes];
    memset(n, 0, sizeof *n);
    n->op = op;
    n->kind = kind;
    n->a = n->b = n->c = -1;
    n->from = 1;
    n->to = QISIM_WEEK_END;
    n->every = 1;
    return p->n_nodes++;
}

/* Counts what evaluating node costs (operands are evaluated each time they are used) and
 * refuses an expression past QISIM_PAT_MAX_EVAL. */
static void check_size(lua_State *L, int node)
{
    qisim_pattern *p = current(L);
    qisim_node *n = &p->nodes[node];
    long size = 1;
    int ops[3] = {n->a, n->b, n->c};
    for (int k = 0; k < 3; k++)
        if (ops[k] >= 0)
            size += p->nodes[ops[k]].size;
    for (int k = 0; k < n->n_list; k++)
        size += p->nodes[n->list[k]].size;
    if (size > QISIM_PAT_MAX_EVAL)
        luaL_error(L, "expression too large: it would evaluate %d or more parts (at most %d)", QISIM_PAT_MAX_EVAL,
                   QISIM_PAT_MAX_EVAL);
    n->size = (int)size;
}

static void push_expr(lua_State *L, int node)
{
    check_size(L, node);
    int *u = lua_newuserdatauv(L, sizeof *u, 0);
    *u = node;
    luaL_setmetatable(L, EXPR);
}

static const char *const kind_names[] = {"a number", "a series", "a figure per replicate", "a statistic"};

/* The node at stack index idx: an expression, or a number made a constant. */
static int to_node(lua_State *L, int idx)
{
    if (lua_type(L, idx) == LUA_TNUMBER) {
        int n = new_node(L, QN_CONST, QN_K_CONST);
        current(L)->nodes[n].k = lua_tonumber(L, idx);
        current(L)->nodes[n].size = 1;
        return n;
    }
    int *u = luaL_testudata(L, idx, EXPR);
    if (!u)
        luaL_argerror(L, idx, lua_pushfstring(L, "expected a number or an expression, got %s", luaL_typename(L, idx)));
    return *u;
}

static int kind_of(lua_State *L, int node)
{
    return current(L)->nodes[node].kind;
}

static int check_kind(lua_State *L, int idx, int kind, const char *fn)
{
    int n = to_node(L, idx);
    if (kind_of(L, n) != kind)
        luaL_argerror(L, idx, lua_pushfstring(L, "%s needs %s here, got %s", fn, kind_names[kind], kind_names[kind_of(L, n)]));
    return n;
}

/* A statistic or number (what checks and figures take). */
static int check_scalar(lua_State *L, int idx, const char *fn)
{
    int n = to_node(L, idx);
    int k = kind_of(L, n);
    if (k != QN_K_CONST && k != QN_K_STAT)
        luaL_argerror(L, idx, lua_pushfstring(L, "%s needs a statistic over replicates (median, mean, count ...) "
                                                 "or a number, got %s", fn, kind_names[k]));
    return n;
}

static int binary(lua_State *L, int op, const char *fn)
{
    int a = to_node(L, 1), b = to_node(L, 2);
    int ka = kind_of(L, a), kb = kind_of(L, b);
    int kind = ka > kb ? ka : kb;
    if ((ka == QN_K_STAT || kb == QN_K_STAT) && (ka == QN_K_SERIES || kb == QN_K_SERIES || ka == QN_K_REP || kb == QN_K_REP))
        return luaL_error(L, "%s: cannot combine %s with %s (take a statistic of the figure first)", fn,
                          kind_names[ka], kind_names[kb]);
    if ((ka == QN_K_SERIES && kb == QN_K_REP) || (ka == QN_K_REP && kb == QN_K_SERIES))
        return luaL_error(L, "%s: cannot combine a series with a figure per replicate (reduce the series first)", fn);
    int n = new_node(L, op, kind);
    qisim_node *nd = &current(L)->nodes[n];
    nd->a = a;
    nd->b = b;
    if (kind == QN_K_CONST) { /* fold: a constant stays a constant */
        double x = current(L)->nodes[a].k, y = current(L)->nodes[b].k;
        nd->op = QN_CONST;
        nd->k = op == QN_ADD ? x + y : op == QN_SUB ? x - y : op == QN_MUL ? x * y : op == QN_DIV ? x / y
              : op == QN_GE ? x >= y : op == QN_GT ? x > y : op == QN_LE ? x <= y : x < y;
    }
    push_expr(L, n);
    return 1;
}

static int l_add(lua_State *L) { return binary(L, QN_ADD, "+"); }
static int l_sub(lua_State *L) { return binary(L, QN_SUB, "-"); }
static int l_mul(lua_State *L) { return binary(L, QN_MUL, "*"); }
static int l_div(lua_State *L) { return binary(L, QN_DIV, "/"); }
static int l_unm(lua_State *L)
{
    lua_settop(L, 1);
    lua_pushinteger(L, -1);
    lua_insert(L, 1);
    return binary(L, QN_MUL, "-");
}
static int l_ge(lua_State *L) { return binary(L, QN_GE, "ge"); }
static int l_gt(lua_State *L) { return binary(L, QN_GT, "gt"); }
static int l_le(lua_State *L) { return binary(L, QN_LE, "le"); }
static int l_lt(lua_State *L) { return binary(L, QN_LT, "lt"); }

/* A week: a whole number, "end" or "end-K". */
static int check_week(lua_State *L, int idx, const char *what)
{
    if (lua_type(L, idx) == LUA_TSTRING) {
        const char *s = lua_tostring(L, idx);
        int k = 0, used = 0;
        if (strcmp(s, "end") == 0)
            return QISIM_WEEK_END;
        if (sscanf(s, "end-%d%n", &k, &used) == 1 && s[used] == '\0' && k >= 0 && k <= 100000)
            return QISIM_WEEK_END - k;
        return luaL_error(L, "%s: '%s' is not a week (a whole number, \"end\" or \"end-K\")", what, s);
    }
    if (!lua_isinteger(L, idx) || lua_tointeger(L, idx) < 0 || lua_tointeger(L, idx) > 100000)
        return luaL_error(L, "%s must be a whole number of weeks from 0, \"end\" or \"end-K\"", what);
    return (int)lua_tointeger(L, idx);
}

/* Window options {from =, to =, every =, floor =, never =} of a reduction, at stack index idx. */
static void read_window(lua_State *L, int idx, qisim_node *n, bool first)
{
    if (lua_isnoneornil(L, idx))
        return;
    static const char *const keys[] = {"from", "to", "every", "floor", NULL};
    static const char *const first_keys[] = {"from", "to", "every", "never", NULL};
    qs_table t = qs_check_table(L, idx);
    t.prefix = "";
    qs_check_keys(&t, first ? first_keys : keys, false);
    if (qs_push_field(&t, "from") != LUA_TNIL)
        n->from = check_week(L, -1, "from");
    if (qs_push_field(&t, "to") != LUA_TNIL)
        n->to = check_week(L, -1, "to");
    lua_pop(L, 2);
    lua_Integer every;
    if (qs_get_integer(&t, "every", 1, 100000, &every))
        n->every = (int)every;
    double x;
    if (!first && qs_get_number(&t, "floor", -HUGE_VAL, HUGE_VAL, &x)) {
        n->has_floor = true;
        n->floor = x;
    }
    if (first && qs_get_number(&t, "never", -HUGE_VAL, HUGE_VAL, &x)) {
        n->has_never = true;
        n->k2 = x;
    }
}

static int l_average(lua_State *L)
{
    int s = check_kind(L, 1, QN_K_SERIES, "average");
    int n = new_node(L, QN_AVERAGE, QN_K_SERIES);
    current(L)->nodes[n].a = s;
    push_expr(L, n);
    return 1;
}

static int l_at(lua_State *L)
{
    int s = check_kind(L, 1, QN_K_SERIES, "at");
    int wk = -1, week = 0;
    if (luaL_testudata(L, 2, EXPR))
        wk = check_kind(L, 2, QN_K_REP, "at");
    else
        week = check_week(L, 2, "at: the week");
    int n = new_node(L, QN_AT, QN_K_REP);
    qisim_node *nd = &current(L)->nodes[n];
    nd->a = s;
    nd->b = wk;
    nd->week = week;
    push_expr(L, n);
    return 1;
}

static int l_first(lua_State *L)
{
    static const char *const ops[] = {">=", ">", "<=", "<", NULL};
    static const int codes[] = {QN_GE, QN_GT, QN_LE, QN_LT};
    int s = check_kind(L, 1, QN_K_SERIES, "first");
    int op = qs_check_option(L, 2, "comparison", ops);
    double thr = luaL_checknumber(L, 3);
    int n = new_node(L, QN_FIRST, QN_K_REP);
    qisim_node *nd = &current(L)->nodes[n];
    nd->a = s;
    nd->cmp = codes[op];
    nd->k = thr;
    read_window(L, 4, nd, true);
    push_expr(L, n);
    return 1;
}

/* mean, min, max: over a series' weeks (a figure per replicate), or over replicates (a statistic). */
static int reduce(lua_State *L, int window_op, int stat_op, const char *fn)
{
    int x = to_node(L, 1);
    int k = kind_of(L, x);
    if (k == QN_K_SERIES) {
        int n = new_node(L, window_op, QN_K_REP);
        current(L)->nodes[n].a = x;
        read_window(L, 2, &current(L)->nodes[n], false);
        push_expr(L, n);
        return 1;
    }
    if (k != QN_K_REP || stat_op < 0)
        return luaL_argerror(L, 1, lua_pushfstring(L, "%s needs a series or a figure per replicate, got %s", fn, kind_names[k]));
    if (!lua_isnoneornil(L, 2))
        return luaL_argerror(L, 2, "a window belongs to a series; over replicates there is none");
    int n = new_node(L, stat_op, QN_K_STAT);
    current(L)->nodes[n].a = x;
    push_expr(L, n);
    return 1;
}

static int l_mean(lua_State *L) { return reduce(L, QN_WMEAN, QN_MEAN, "mean"); }
static int l_min(lua_State *L) { return reduce(L, QN_WMIN, QN_MIN, "min"); }
static int l_max(lua_State *L) { return reduce(L, QN_WMAX, QN_MAX, "max"); }
static int l_argmax(lua_State *L)
{
    check_kind(L, 1, QN_K_SERIES, "argmax");
    return reduce(L, QN_WARGMAX, -1, "argmax");
}

static int statistic(lua_State *L, int op, const char *fn)
{
    int x = check_kind(L, 1, QN_K_REP, fn);
    int n = new_node(L, op, QN_K_STAT);
    qisim_node *nd = &current(L)->nodes[n];
    nd->a = x;
    if (op == QN_QUANTILE)
        nd->k = qs_check_range(L, 2, 0, 1);
    push_expr(L, n);
    return 1;
}

static int l_median(lua_State *L) { return statistic(L, QN_MEDIAN, "median"); }
static int l_quantile(lua_State *L) { return statistic(L, QN_QUANTILE, "quantile"); }
static int l_sum(lua_State *L) { return statistic(L, QN_SUM, "sum"); }
static int l_count(lua_State *L) { return statistic(L, QN_COUNT, "count"); }
static int l_missing(lua_State *L) { return statistic(L, QN_MISSING, "missing"); }
static int l_n(lua_State *L) { return statistic(L, QN_N, "n"); }
static int l_low95(lua_State *L) { return statistic(L, QN_LOW95, "low95"); }
static int l_high95(lua_State *L) { return statistic(L, QN_HIGH95, "high95"); }

/* ---- checks ------------------------------------------------------------------------------- */

static int check3(lua_State *L, int op, const char *fn)
{
    int a = check_scalar(L, 1, fn), b = check_scalar(L, 2, fn), c = check_scalar(L, 3, fn);
    int n = new_node(L, op, QN_K_STAT);
    qisim_node *nd = &current(L)->nodes[n];
    nd->a = a;
    nd->b = b;
    nd->c = c;
    push_expr(L, n);
    return 1;
}

static int check2(lua_State *L, int op, const char *fn)
{
    int a = check_scalar(L, 1, fn), b = check_scalar(L, 2, fn);
    int n = new_node(L, op, QN_K_STAT);
    current(L)->nodes[n].a = a;
    current(L)->nodes[n].b = b;
    push_expr(L, n);
    return 1;
}

static int l_between(lua_State *L) { return check3(L, QN_BETWEEN, "between"); }
static int l_near(lua_State *L) { return check3(L, QN_NEAR, "near"); }
static int l_above(lua_State *L) { return check2(L, QN_ABOVE, "above"); }
static int l_at_least(lua_State *L) { return check2(L, QN_AT_LEAST, "at_least"); }
static int l_below(lua_State *L) { return check2(L, QN_BELOW, "below"); }
static int l_at_most(lua_State *L) { return check2(L, QN_AT_MOST, "at_most"); }

/* The list part of the table at idx as scalar nodes (at most QISIM_PAT_MAX_LIST). */
static int read_list(lua_State *L, int idx, int *out, const char *fn)
{
    int len = (int)lua_rawlen(L, idx);
    if (len < 1 || len > QISIM_PAT_MAX_LIST)
        luaL_error(L, "%s needs 1 to %d entries", fn, QISIM_PAT_MAX_LIST);
    for (int i = 0; i < len; i++) {
        lua_rawgeti(L, idx, i + 1);
        out[i] = check_scalar(L, lua_gettop(L), fn);
        lua_pop(L, 1);
    }
    return len;
}

static int combine(lua_State *L, int op, const char *fn)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    int list[QISIM_PAT_MAX_LIST];
    int len = read_list(L, 1, list, fn);
    int n = new_node(L, op, QN_K_STAT);
    qisim_node *nd = &current(L)->nodes[n];
    memcpy(nd->list, list, sizeof list);
    nd->n_list = len;
    push_expr(L, n);
    return 1;
}

static int l_all(lua_State *L) { return combine(L, QN_ALL, "all"); }
static int l_any(lua_State *L) { return combine(L, QN_ANY, "any"); }

/* breakpoint{ levels = {...}, values = {stat...}, reach = R, flat_below = F } */
static int l_breakpoint(lua_State *L)
{
    static const char *const keys[] = {"levels", "values", "reach", "flat_below", NULL};
    qs_table t = qs_check_table(L, 1);
    t.prefix = "";
    qs_check_keys(&t, keys, false);
    int list[QISIM_PAT_MAX_LIST];
    if (qs_push_field(&t, "values") != LUA_TTABLE)
        return luaL_error(L, "breakpoint: values = { statistic, ... } is required");
    int len = read_list(L, lua_gettop(L), list, "breakpoint: values");
    if (qs_push_field(&t, "levels") != LUA_TTABLE || (int)lua_rawlen(L, -1) != len)
        return luaL_error(L, "breakpoint: levels = { ... } must give one number per value");
    double levels[QISIM_PAT_MAX_LIST];
    for (int i = 0; i < len; i++) {
        lua_rawgeti(L, -1, i + 1);
        if (lua_type(L, -1) != LUA_TNUMBER)
            return luaL_error(L, "breakpoint: levels must be numbers");
        levels[i] = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    double reach = 0, flat = 0;
    if (!qs_get_number(&t, "reach", -HUGE_VAL, HUGE_VAL, &reach) ||
        !qs_get_number(&t, "flat_below", -HUGE_VAL, HUGE_VAL, &flat))
        return luaL_error(L, "breakpoint: reach = and flat_below = are required");
    int n = new_node(L, QN_BREAKPOINT, QN_K_STAT);
    qisim_node *nd = &current(L)->nodes[n];
    memcpy(nd->list, list, sizeof list);
    memcpy(nd->levels, levels, sizeof levels);
    nd->n_list = len;
    nd->k = reach;
    nd->k2 = flat;
    push_expr(L, n);
    return 1;
}

/* ---- arms, series, parameters ------------------------------------------------------------- */

/* "name=value" texts from a list of such strings, or from a table of name = value (in name
 * order, so the result does not depend on pairs()). */
static int read_assignments(lua_State *L, int idx, char out[][QISIM_PAT_TEXT], int max, const char *what)
{
    if (lua_isnil(L, idx))
        return 0;
    if (!lua_istable(L, idx))
        luaL_error(L, "%s must be a table of name = value or a list of \"name=value\"", what);
    idx = lua_absindex(L, idx);
    int n = 0;
    int len = (int)lua_rawlen(L, idx);
    for (int i = 1; i <= len; i++) {
        lua_rawgeti(L, idx, i);
        const char *s = lua_tostring(L, -1);
        if (lua_type(L, -1) != LUA_TSTRING || !strchr(s, '='))
            luaL_error(L, "%s[%d] must be a \"name=value\" string", what, i);
        if (n >= max)
            luaL_error(L, "%s: at most %d", what, max);
        copy_text(L, what, s, out[n++], QISIM_PAT_TEXT);
        lua_pop(L, 1);
    }
    /* named entries, sorted */
    const char *names[QISIM_PAT_MAX_ASSIGN];
    int n_names = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            continue;
        if (n_names >= QISIM_PAT_MAX_ASSIGN || n + n_names >= max)
            luaL_error(L, "%s: at most %d", what, max);
        names[n_names++] = lua_tostring(L, -1); /* held by the table */
    }
    for (int i = 1; i < n_names; i++)
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    for (int i = 0; i < n_names; i++) {
        lua_getfield(L, idx, names[i]);
        const char *v = lua_type(L, -1) == LUA_TBOOLEAN ? (lua_toboolean(L, -1) ? "true" : "false")
                      : lua_type(L, -1) == LUA_TNUMBER || lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (!v)
            luaL_error(L, "%s.%s must be a number, string or boolean", what, names[i]);
        char text[2 * QISIM_PAT_TEXT];
        snprintf(text, sizeof text, "%s=%s", names[i], v);
        copy_text(L, what, text, out[n++], QISIM_PAT_TEXT);
        lua_pop(L, 1);
    }
    return n;
}

/* Checks "name=value" parameter settings against the parameter table. */
static void check_settings(lua_State *L, char sets[][QISIM_PAT_TEXT], int n, const char *what)
{
    for (int i = 0; i < n; i++) {
        qisim_params scratch;
        qisim_err err;
        qisim_params_defaults(&scratch);
        if (qisim_params_set_text(&scratch, sets[i], false, &err))
            luaL_error(L, "%s: %s", what, err.msg);
    }
}

/* arm{ "name", scenario = "path.lua", args = {...}, sets = {...} }: returns the name. */
static int l_arm(lua_State *L)
{
    static const char *const keys[] = {"scenario", "args", "sets", NULL};
    qisim_pattern *p = current(L);
    qs_table t = qs_check_table(L, 1);
    t.prefix = "";
    qs_check_keys(&t, keys, true);
    if (p->n_arms >= QISIM_PAT_MAX_ARMS)
        return luaL_error(L, "arm: a pattern has at most %d arms", QISIM_PAT_MAX_ARMS);
    qisim_pattern_arm *a = &p->arms[p->n_arms];
    memset(a, 0, sizeof *a);
    lua_rawgeti(L, 1, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
        return luaL_error(L, "arm: the first entry must be the arm's name, e.g. arm{ \"control\", scenario = ... }");
    copy_text(L, "arm: the name", lua_tostring(L, -1), a->name, sizeof a->name);
    for (int k = 0; k < p->n_arms; k++)
        if (strcmp(p->arms[k].name, a->name) == 0)
            return luaL_error(L, "arm: '%s' is declared twice", a->name);
    const char *scenario;
    if (!qs_get_string(&t, "scenario", &scenario))
        return luaL_error(L, "arm '%s': scenario = \"path.lua\" is required", a->name);
    copy_text(L, "arm: scenario", scenario, a->scenario, sizeof a->scenario);
    qs_push_field(&t, "args");
    a->n_args = read_assignments(L, -1, a->args, QISIM_PAT_MAX_ASSIGN, "arm: args");
    qs_push_field(&t, "sets");
    a->n_sets = read_assignments(L, -1, a->sets, QISIM_PAT_MAX_ASSIGN, "arm: sets");
    check_settings(L, a->sets, a->n_sets, "arm: sets");
    p->n_arms++;
    lua_pushstring(L, a->name);
    return 1;
}

static int find_metric(lua_State *L, const char *name)
{
    int m = qisim_metric_find(name);
    if (m >= 0)
        return m;
    for (int k = 0; k < QISIM_N_OBS; k++)
        if (strcmp(name, qisim_observable_name(k)) == 0)
            return QISIM_OBS_BASE + k;
    const char *names[128];
    int n = 0;
    for (int i = 0; i < qisim_metric_count() && n < 120; i++)
        names[n++] = qisim_metric_at(i)->name;
    for (int k = 0; k < QISIM_N_OBS; k++)
        names[n++] = qisim_observable_name(k);
    names[n] = NULL;
    const char *near = qs_suggest(name, names);
    if (near)
        return luaL_error(L, "series: unknown metric '%s'; did you mean '%s'? (see 'qisim metrics')", name, near);
    return luaL_error(L, "series: unknown metric '%s' (see 'qisim metrics')", name);
}

/* series{ arm = A, metric = M, trust = "X" | region = "X" | team = "X" | teams = {...} |
 * level = "team" (every team) | level = "system" } */
static int l_series(lua_State *L)
{
    static const char *const keys[] = {"arm", "metric", "trust", "region", "team", "teams", "level", NULL};
    qisim_pattern *p = current(L);
    qs_table t = qs_check_table(L, 1);
    t.prefix = "";
    qs_check_keys(&t, keys, false);
    if (p->n_series >= QISIM_PAT_MAX_SERIES)
        return luaL_error(L, "series: a pattern traces at most %d series", QISIM_PAT_MAX_SERIES);
    qisim_pattern_series *s = &p->series[p->n_series];
    memset(s, 0, sizeof *s);
    const char *arm, *metric, *name;
    if (!qs_get_string(&t, "arm", &arm))
        return luaL_error(L, "series: arm = (the name an arm{} returned) is required");
    s->arm = -1;
    const char *arm_names[QISIM_PAT_MAX_ARMS + 1];
    for (int k = 0; k < p->n_arms; k++) {
        arm_names[k] = p->arms[k].name;
        if (strcmp(p->arms[k].name, arm) == 0)
            s->arm = k;
    }
    arm_names[p->n_arms] = NULL;
    if (s->arm < 0) {
        const char *near = qs_suggest(arm, arm_names);
        return luaL_error(L, "series: no arm '%s'%s%s%s (declare it with arm{} first)", arm, near ? "; did you mean '" : "",
                          near ? near : "", near ? "'?" : "");
    }
    if (!qs_get_string(&t, "metric", &metric))
        return luaL_error(L, "series: metric = is required");
    s->metric = find_metric(L, metric);
    int given = 0;
    static const char *const single[] = {"trust", "region", "team"};
    static const int levels[] = {QISIM_LEVEL_TRUST, QISIM_LEVEL_REGION, QISIM_LEVEL_TEAM};
    for (int k = 0; k < 3; k++)
        if (qs_get_string(&t, single[k], &name)) {
            given++;
            s->level = levels[k];
            copy_text(L, "series: the entity name", name, s->names[0], sizeof s->names[0]);
            s->n_names = 1;
        }
    if (qs_push_field(&t, "teams") == LUA_TTABLE) {
        given++;
        s->level = QISIM_LEVEL_TEAM;
        int len = (int)lua_rawlen(L, -1);
        if (len < 1 || len > QISIM_PAT_MAX_NAMES)
            return luaL_error(L, "series: teams = needs 1 to %d team names", QISIM_PAT_MAX_NAMES);
        for (int i = 0; i < len; i++) {
            lua_rawgeti(L, -1, i + 1);
            if (lua_type(L, -1) != LUA_TSTRING)
                return luaL_error(L, "series: teams[%d] must be a team's name", i + 1);
            copy_text(L, "series: a team name", lua_tostring(L, -1), s->names[i], sizeof s->names[i]);
            lua_pop(L, 1);
        }
        s->n_names = len;
    }
    lua_pop(L, 1);
    static const char *const level_names[] = {"team", "system", NULL};
    int lv;
    if (qs_get_option(&t, "level", "level", level_names, &lv)) {
        given++;
        s->level = lv == 0 ? QISIM_LEVEL_TEAM : QISIM_LEVEL_SYSTEM;
        s->n_names = 0;
    }
    if (given != 1)
        return luaL_error(L, "series: give exactly one of trust =, region =, team =, teams = or level = (\"team\": every team, \"system\")");
    if (s->metric >= QISIM_OBS_BASE) {
        int need = s->metric - QISIM_OBS_BASE == QISIM_OBS_TRAINED_PRACTISING ? QISIM_LEVEL_SYSTEM : QISIM_LEVEL_TRUST;
        if (s->level != need)
            return luaL_error(L, "series: %s is read for %s", metric, need == QISIM_LEVEL_SYSTEM ? "level = \"system\"" : "one trust = \"name\"");
    } else if (s->level == QISIM_LEVEL_TEAM && !qisim_metric_at(s->metric)->team) {
        return luaL_error(L, "series: metric '%s' has no value for a single team (see 'qisim metrics')", metric);
    }
    int n = new_node(L, QN_SERIES, QN_K_SERIES);
    p->nodes[n].series = p->n_series++;
    push_expr(L, n);
    return 1;
}

static int l_param_default(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    int id = qisim_param_find(name);
    if (id < 0)
        return luaL_error(L, "param_default: unknown parameter '%s' (see 'qisim params')", name);
    lua_pushnumber(L, qisim_param_desc_at(id)->def);
    return 1;
}

/* ---- rows and the pattern ----------------------------------------------------------------- */

static void read_part(lua_State *L, int idx, qisim_figure_part *part)
{
    memset(part, 0, sizeof *part);
    part->when = -1;
    lua_rawgeti(L, idx, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "row: a figure is { \"format\", statistic, ... } (its first entry the format)");
    copy_text(L, "row: the figure's format", lua_tostring(L, -1), part->fmt, sizeof part->fmt);
    lua_pop(L, 1);
    int len = (int)lua_rawlen(L, idx);
    if (len - 1 > 8)
        luaL_error(L, "row: a figure takes at most 8 values");
    for (int i = 2; i <= len; i++) {
        lua_rawgeti(L, idx, i);
        part->args[part->n_args++] = check_scalar(L, lua_gettop(L), "row: a figure");
        lua_pop(L, 1);
    }
    if (lua_getfield(L, idx, "when") != LUA_TNIL)
        part->when = check_scalar(L, lua_gettop(L), "row: a figure's when");
    lua_pop(L, 1);
}

/* row{ title =, target =, source =, figure = {fmt, ...} or { {fmt, ..., when = c}, ... },
 * check = c or { c, ... }, knockout = { "name=value", ... } } */
static int l_row(lua_State *L)
{
    static const char *const keys[] = {"title", "target", "source", "figure", "check", "knockout", NULL};
    qisim_pattern *p = current(L);
    qs_table t = qs_check_table(L, 1);
    t.prefix = "";
    qs_check_keys(&t, keys, false);
    if (p->n_rows >= QISIM_PAT_MAX_ROWS)
        return luaL_error(L, "row: a pattern has at most %d rows", QISIM_PAT_MAX_ROWS);
    qisim_pattern_row *r = &p->rows[p->n_rows];
    memset(r, 0, sizeof *r);
    const char *s;
    if (!qs_get_string(&t, "title", &s))
        return luaL_error(L, "row: title = is required");
    copy_text(L, "row: title", s, r->title, sizeof r->title);
    if (!qs_get_string(&t, "target", &s))
        return luaL_error(L, "row: target = (the text shown beside the figure) is required");
    copy_text(L, "row: target", s, r->target, sizeof r->target);
    if (!qs_get_string(&t, "source", &s))
        return luaL_error(L, "row: source = (the seed lines of the target, e.g. \"B:L4265\") is required");
    copy_text(L, "row: source", s, r->source, sizeof r->source);
    if (qs_push_field(&t, "figure") != LUA_TTABLE)
        return luaL_error(L, "row: figure = { \"format\", statistic, ... } is required");
    int fig = lua_gettop(L);
    lua_rawgeti(L, fig, 1);
    bool parts = lua_istable(L, -1);
    lua_pop(L, 1);
    if (parts) {
        int len = (int)lua_rawlen(L, fig);
        if (len > QISIM_PAT_MAX_PARTS)
            return luaL_error(L, "row: a figure has at most %d parts", QISIM_PAT_MAX_PARTS);
        for (int i = 1; i <= len; i++) {
            lua_rawgeti(L, fig, i);
            if (!lua_istable(L, -1))
                return luaL_error(L, "row: figure part %d must be { \"format\", ... }", i);
            read_part(L, lua_gettop(L), &r->parts[r->n_parts++]);
            lua_pop(L, 1);
        }
    } else {
        read_part(L, fig, &r->parts[r->n_parts++]);
    }
    lua_settop(L, 1);
    int ct = qs_push_field(&t, "check");
    if (ct == LUA_TTABLE) {
        r->n_checks = (int)lua_rawlen(L, -1);
        if (r->n_checks < 1 || r->n_checks > QISIM_PAT_MAX_CHECKS)
            return luaL_error(L, "row: check = needs 1 to %d checks", QISIM_PAT_MAX_CHECKS);
        for (int i = 0; i < r->n_checks; i++) {
            lua_rawgeti(L, -1, i + 1);
            r->checks[i] = check_scalar(L, lua_gettop(L), "row: check");
            lua_pop(L, 1);
        }
    } else if (ct == LUA_TUSERDATA) {
        r->checks[r->n_checks++] = check_scalar(L, lua_gettop(L), "row: check");
    } else {
        return luaL_error(L, "row: check = (between(...), near(...), all{...} ...) is required");
    }
    for (int i = 0; i < r->n_checks; i++)
        if (p->nodes[r->checks[i]].op < QN_BETWEEN)
            return luaL_error(L, "row: check %d is a statistic, not a check (use between, near, above, at_least, below, "
                                 "at_most, all or any)", i + 1);
    lua_settop(L, 1);
    qs_push_field(&t, "knockout");
    r->n_knockout = read_assignments(L, -1, r->knockout, QISIM_PAT_MAX_ASSIGN, "row: knockout");
    check_settings(L, r->knockout, r->n_knockout, "row: knockout");
    p->n_rows++;
    return 0;
}

/* pattern{ id = "P3", kind = "calibration" | "held_out", fitted = "...", max_reps = N } */
static int l_pattern(lua_State *L)
{
    static const char *const keys[] = {"id", "kind", "fitted", "max_reps", NULL};
    static const char *const kinds[] = {"calibration", "held_out", NULL};
    qisim_pattern *p = current(L);
    if (p->id[0])
        return luaL_error(L, "pattern{} may be called only once");
    qs_table t = qs_check_table(L, 1);
    t.prefix = "";
    qs_check_keys(&t, keys, false);
    const char *s;
    if (!qs_get_string(&t, "id", &s) || !s[0])
        return luaL_error(L, "pattern: id = (e.g. \"P3\") is required");
    copy_text(L, "pattern: id", s, p->id, sizeof p->id);
    int kind;
    if (!qs_get_option(&t, "kind", "kind", kinds, &kind))
        return luaL_error(L, "pattern: kind = \"calibration\" or \"held_out\" is required");
    p->calibration = kind == 0;
    if (qs_get_string(&t, "fitted", &s))
        copy_text(L, "pattern: fitted", s, p->fitted, sizeof p->fitted);
    else if (p->calibration)
        return luaL_error(L, "pattern: a calibration target says what was fitted to it (fitted = \"...\")");
    lua_Integer reps;
    if (qs_get_integer(&t, "max_reps", 1, 1000000, &reps))
        p->max_reps = (int)reps;
    return 0;
}

static int install(lua_State *L)
{
    static const luaL_Reg meta[] = {{"__add", l_add}, {"__sub", l_sub}, {"__mul", l_mul}, {"__div", l_div},
                                    {"__unm", l_unm}, {NULL, NULL}};
    luaL_newmetatable(L, EXPR);
    luaL_setfuncs(L, meta, 0);
    lua_pushliteral(L, "an expression");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);
    static const luaL_Reg api[] = {
        {"arm", l_arm}, {"series", l_series}, {"average", l_average}, {"at", l_at}, {"first", l_first},
        {"mean", l_mean}, {"min", l_min}, {"max", l_max}, {"argmax", l_argmax}, {"ge", l_ge}, {"gt", l_gt},
        {"le", l_le}, {"lt", l_lt}, {"median", l_median}, {"quantile", l_quantile}, {"low95", l_low95}, {"high95", l_high95}, {"sum", l_sum},
        {"count", l_count}, {"missing", l_missing}, {"n", l_n}, {"between", l_between}, {"near", l_near},
        {"above", l_above}, {"at_least", l_at_least}, {"below", l_below}, {"at_most", l_at_most},
        {"all", l_all}, {"any", l_any}, {"breakpoint", l_breakpoint}, {"param_default", l_param_default},
        {"row", l_row}, {"pattern", l_pattern}, {NULL, NULL}};
    lua_pushglobaltable(L);
    luaL_setfuncs(L, api, 0);
    lua_pop(L, 1);
    return 0;
}

int qisim_pattern_load(const char *path, qisim_pattern *p, qisim_err *err)
{
    memset(p, 0, sizeof *p);
    snprintf(p->path, sizeof p->path, "%s", path);
    int rc = qs_load_declaration(path, install, p, err);
    if (rc)
        return rc;
    if (!p->id[0])
        return qisim_err_set(err, QISIM_EINVAL, "%s: no pattern{ id = ..., kind = ... } in the file", path);
    if (p->n_rows == 0)
        return qisim_err_set(err, QISIM_EINVAL, "%s: the pattern has no row{}", path);
    return QISIM_OK;
}
