/* The scenario host: Lua state lifecycle, instruction budget, error messages, and the qisim_scenario_* API. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lualib.h>

#include "bind.h"
#include "qisim/metrics.h"

/* The count hook fires every HOOK_STEP VM instructions: often enough to stop a runaway
 * loop promptly, rarely enough to cost nothing measurable. */
enum { HOOK_STEP = 10000 };

/* Every scenario loaded from now on gets this many seconds of wall clock (0: no limit). */
static double time_limit_seconds = QISIM_DEFAULT_TIME_LIMIT;

void qisim_scenario_set_time_limit(double seconds)
{
    time_limit_seconds = seconds > 0 ? seconds : 0;
}

double qs_time_limit(void)
{
    return time_limit_seconds;
}

static int mib(size_t bytes)
{
    return (int)(bytes / (1024 * 1024));
}

/* ---- instruction budget ---------------------------------------------------------------------- */

/* Counts instructions; past the budget it raises an error at the running line, and from then
 * on at every instruction, so a script that wraps the loop in pcall cannot swallow it. */
static void budget_hook(lua_State *L, lua_Debug *ar)
{
    qisim_scenario *sc = qs_scenario(L);
    if (!sc->budget_exceeded && !sc->heap.soft_limit_hit && !sc->time_exceeded) {
        sc->used += HOOK_STEP;
        /* the clock every HOOK_STEP instructions: a few nanoseconds per ten thousand */
        if (sc->deadline > 0 && qs_now() > sc->deadline)
            sc->time_exceeded = true;
        else if (sc->used <= sc->budget)
            return;
        else
            sc->budget_exceeded = true;
    }
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
    /* luaL_where(L, 1) would name the caller of the running function: a hook has no frame
     * of its own, so the running function is the one ar describes */
    lua_getinfo(L, "Sl", ar);
    if (ar->currentline > 0)
        lua_pushfstring(L, "%s:%d: ", ar->short_src, ar->currentline);
    else
        lua_pushfstring(L, "%s: ", ar->short_src);
    if (sc->heap.soft_limit_hit)
        lua_pushfstring(L, "the scenario used more than its %d MiB of Lua memory", mib(QS_HEAP_SOFT_LIMIT));
    else if (sc->time_exceeded)
        lua_pushfstring(L, "time limit of %I s exceeded (see --time-limit)", (lua_Integer)sc->time_limit);
    else
        lua_pushfstring(L, "instruction budget of %I exceeded (endless loop?)", (lua_Integer)sc->budget);
    lua_concat(L, 2);
    lua_error(L);
}

static void arm_budget(qisim_scenario *sc, int64_t budget)
{
    sc->budget = budget;
    sc->used = 0;
    sc->budget_exceeded = false;
    lua_sethook(sc->L, budget_hook, LUA_MASKCOUNT, HOOK_STEP);
}

/* ---- errors ----------------------------------------------------------------------------------- */

/* Whether msg starts "<source of a running Lua function>:<line>:". */
static bool has_position(lua_State *L, const char *msg)
{
    lua_Debug ar;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "S", &ar);
        size_t n = strlen(ar.short_src);
        if (strncmp(msg, ar.short_src, n) == 0 && msg[n] == ':' && msg[n + 1] >= '0' && msg[n + 1] <= '9')
            return true;
    }
    return false;
}

/* An error raised in C with no Lua function at level 1 (a C stack overflow, a library
 * function called through a checked wrapper) has no position: give it the innermost Lua
 * function's line, so every message names file and line. */
static int with_position(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (has_position(L, msg))
        return 1;
    lua_Debug ar;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0) {
            lua_pushfstring(L, "%s:%d: %s", ar.short_src, ar.currentline, msg);
            return 1;
        }
    }
    return 1;
}

/* Message handler: keeps the message one line with its position and adds no traceback.
 * A non-string error object gets the position of the innermost Lua function. */
static int message_handler(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TSTRING)
        return with_position(L);
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
        return 1;
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0) {
            lua_pushfstring(L, "%s:%d: error object is a %s value", ar.short_src, ar.currentline,
                            luaL_typename(L, 1));
            return 1;
        }
    }
    lua_pushfstring(L, "error object is a %s value", luaL_typename(L, 1));
    return 1;
}

/* Lua shortens a long chunk name to "...<tail>" (LUA_IDSIZE); put the path back as the user
 * gave it, so every message starts with the same "path:line:". */
static void restore_path(const qisim_scenario *sc, qisim_err *err)
{
    if (!err)
        return;
    const char *msg = err->msg;
    if (strncmp(msg, "...", 3) != 0)
        return;
    const char *tail = msg + 3;
    size_t n = strlen(sc->path);
    for (size_t k = 0; k < n; k++) {
        size_t len = n - k;
        if (strncmp(tail, sc->path + k, len) == 0 && tail[len] == ':') {
            char rest[sizeof err->msg];
            snprintf(rest, sizeof rest, "%s", tail + len);
            snprintf(err->msg, sizeof err->msg, "%s%s", sc->path, rest);
            return;
        }
    }
}

/* Copies the message on top of the stack into err as one line and pops it. */
static int take_error(qisim_scenario *sc, int status, qisim_err *err)
{
    lua_State *L = sc->L;
    int code = QISIM_ESCRIPT;
    if (sc->budget_exceeded || sc->heap.soft_limit_hit || sc->time_exceeded)
        code = QISIM_ELIMIT;
    /* a memory error rethrown by a checked library function arrives as a runtime error */
    if (status == LUA_ERRMEM || sc->heap.process_limit_hit) {
        bool limit = sc->heap.soft_limit_hit || sc->heap.process_limit_hit;
        code = limit ? QISIM_ELIMIT : QISIM_ENOMEM;
        if (sc->heap.process_limit_hit)
            qisim_err_set(err, code, "%s: out of Lua memory: the scenarios running in this process (all threads) "
                          "may hold %d MiB together", sc->path, mib(QS_HEAP_PROCESS_LIMIT));
        else if (limit)
            qisim_err_set(err, code, "%s: the scenario used more than its %d MiB of Lua memory", sc->path,
                          mib(QS_HEAP_SOFT_LIMIT));
        else
            qisim_err_set(err, code, "%s: out of memory running the scenario", sc->path);
        lua_pop(L, 1);
        return code;
    }
    const char *msg = lua_tostring(L, -1);
    qisim_err_set(err, code, "%s", msg ? msg : "error with no message");
    lua_pop(L, 1);
    if (err) {
        for (char *c = err->msg; *c; c++)
            if (*c == '\n' || *c == '\r' || *c == '\t')
                *c = ' ';
        restore_path(sc, err);
    }
    return code;
}

/* Calls the function below nargs arguments on the stack with the message handler under
 * `budget`; on success leaves nresults, on failure fills err and leaves nothing. */
static int run_protected(qisim_scenario *sc, int nargs, int nresults, int64_t budget, qisim_err *err)
{
    lua_State *L = sc->L;
    int fn = lua_gettop(L) - nargs;
    lua_pushcfunction(L, message_handler);
    lua_insert(L, fn);
    sc->heap.soft_limit_hit = sc->heap.process_limit_hit = false;
    double start = 0.0;
    if (sc->time_limit > 0) {
        /* the limit is on Lua's time in all: the model's own weeks between callbacks do not
         * count, so a huge but honest world is not stopped by it */
        if (sc->lua_seconds >= sc->time_limit) {
            lua_settop(L, fn - 1);
            sc->time_exceeded = true;
            return qisim_err_set(err, QISIM_ELIMIT, "%s: time limit of %lld s exceeded at week %d (see --time-limit)",
                                 sc->path, (long long)sc->time_limit, sc->w ? (int)sc->w->week : 0);
        }
        start = qs_now();
        sc->deadline = start + (sc->time_limit - sc->lua_seconds);
        qs_watch_set(&sc->watch, sc->deadline);
    }
    arm_budget(sc, budget);
    int status = lua_pcall(L, nargs, nresults, fn);
    lua_sethook(L, NULL, 0, 0);
    if (sc->time_limit > 0) {
        sc->lua_seconds += qs_now() - start;
        sc->deadline = HUGE_VAL;
        qs_watch_set(&sc->watch, HUGE_VAL);
    }
    lua_remove(L, fn);
    if (status == LUA_OK)
        return QISIM_OK;
    return take_error(sc, status, err);
}

/* ---- building the state --------------------------------------------------------------------- */

/* Runs protected, so that running out of memory while opening libraries is an error, not a panic. */
static int install_api(lua_State *L)
{
    qs_open_sandbox(L);
    qs_open_world(L);
    qs_open_schedule(L);
    qs_open_interventions(L);
    qs_open_exercise(L);
    qs_protect_globals(L);
    return 0;
}

/* The file's base name without ".lua": the scenario's name unless scenario{} gives one. */
static char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".lua") == 0)
        n -= 4;
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, base, n);
        p[n] = '\0';
    }
    return p;
}

/* The record when the scenario declares none: the journey's headline series. */
static const char *const default_metrics[] = {"practising_share", "trained_share", "culture",
                                              "reliability",      "harm_rate",     "rating"};

void qs_record_defaults(qisim_scenario *sc)
{
    qisim_record *r = &sc->record;
    if (!sc->record_called) {
        for (size_t k = 0; k < sizeof default_metrics / sizeof default_metrics[0]; k++) {
            int m = qisim_metric_find(default_metrics[k]);
            if (m >= 0 && r->n_metrics < QISIM_MAX_RECORD)
                r->metrics[r->n_metrics++] = m;
        }
    }
    if (!sc->record_levels_given) {
        for (int l = 0; l < QISIM_N_LEVELS; l++)
            r->levels[l] = l == QISIM_LEVEL_TRUST || l == QISIM_LEVEL_REGION || l == QISIM_LEVEL_SYSTEM;
    }
    r->every = sc->record_every_given ? sc->record_every_given : 1;
}

/* ---- public API -------------------------------------------------------------------------------- */

void qisim_scenario_free(qisim_scenario *sc)
{
    if (!sc)
        return;
    if (sc->L) {
        if (sc->time_limit > 0)
            qs_watch_stop(&sc->watch); /* before the state goes */
        /* a finalizer the script left behind runs at close: give it no budget at all */
        sc->budget = 0;
        sc->used = 1;
        sc->budget_exceeded = true;
        lua_sethook(sc->L, budget_hook, LUA_MASKCOUNT, 1);
        lua_close(sc->L);
    }
    free(sc->path);
    free(sc->name);
    free(sc->description);
    free(sc->exercise);
    free(sc->game_choices);
    free(sc);
}

qisim_scenario *qisim_scenario_load(const char *path, qisim_world *w, const qisim_assignments *args,
                                    qisim_err *err)
{
    qisim_err_clear(err);
    qisim_scenario *sc = calloc(1, sizeof *sc);
    if (!sc) {
        qisim_err_set(err, QISIM_ENOMEM, "%s: out of memory starting the scenario", path);
        return NULL;
    }
    sc->w = w;
    sc->weeks = 520;
    sc->args = args;
    if (args && args->n > (int)(sizeof sc->args_read / sizeof sc->args_read[0])) {
        qisim_err_set(err, QISIM_EINVAL, "%s: at most %d scenario arguments", path,
                      (int)(sizeof sc->args_read / sizeof sc->args_read[0]));
        free(sc);
        return NULL;
    }
    sc->heap.soft_limit = QS_HEAP_SOFT_LIMIT;
    sc->time_limit = time_limit_seconds;
    sc->deadline = time_limit_seconds > 0 ? HUGE_VAL : 0;
    if (qs_check_source_file(path, err) != QISIM_OK) {
        free(sc);
        return NULL;
    }
    sc->path = qs_copy_string(path);
    sc->name = base_name(path);
    if (sc->path && sc->name)
        sc->L = lua_newstate(qs_heap_alloc, &sc->heap);
    if (!sc->L) {
        qisim_err_set(err, QISIM_ENOMEM, "%s: out of memory starting the scenario", path);
        qisim_scenario_free(sc);
        return NULL;
    }
    lua_State *L = sc->L;
    *(qisim_scenario **)lua_getextraspace(L) = sc;
    if (sc->time_limit > 0)
        qs_watch_start(&sc->watch, L, budget_hook, HUGE_VAL);

    lua_pushcfunction(L, install_api);
    if (run_protected(sc, 0, 0, QISIM_LOAD_BUDGET, err) != QISIM_OK) {
        qisim_scenario_free(sc);
        return NULL;
    }

    /* mode "t": a precompiled chunk could break the VM's invariants */
    int status = luaL_loadfilex(L, path, "t");
    if (status != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        if (status == LUA_ERRFILE) {
            qisim_err_set(err, QISIM_EIO, "%s", msg ? msg : "cannot read the scenario file");
        } else if (status == LUA_ERRMEM) {
            qisim_err_set(err, QISIM_ENOMEM, "%s: out of memory reading the scenario", path);
        } else {
            /* syntax errors carry "path:line:"; the binary-chunk refusal does not */
            qisim_err_set(err, QISIM_ESCRIPT, "%s", msg ? msg : "cannot load");
            restore_path(sc, err);
            size_t n = strlen(path);
            if (err && !(strncmp(err->msg, path, n) == 0 && err->msg[n] == ':')) {
                char bare[sizeof err->msg];
                snprintf(bare, sizeof bare, "%s", err->msg);
                qisim_err_set(err, QISIM_ESCRIPT, "%s: %s", path, bare);
            }
        }
        qisim_scenario_free(sc);
        return NULL;
    }
    sc->loading = true;
    int rc = run_protected(sc, 0, 0, QISIM_LOAD_BUDGET, err);
    sc->loading = false;
    if (rc != QISIM_OK) {
        qisim_scenario_free(sc);
        return NULL;
    }
    for (int i = 0; args && i < args->n; i++) {
        if (!sc->args_read[i]) {
            qisim_err_set(err, QISIM_EINVAL, "%s: --arg %s: the scenario has no argument of that name", path,
                          args->items[i]);
            qisim_scenario_free(sc);
            return NULL;
        }
    }
    qs_record_defaults(sc);
    return sc;
}

/* The declaration file's state: the sandbox, the file kind's API, strict globals. */
static int install_declaration_api(lua_State *L)
{
    qs_open_sandbox(L);
    lua_pushcfunction(L, qs_scenario(L)->decl_install);
    lua_call(L, 0, 0);
    qs_protect_globals(L);
    return 0;
}

int qs_load_declaration(const char *path, lua_CFunction install, void *decl, qisim_err *err)
{
    qisim_err_clear(err);
    int rc = qs_check_source_file(path, err);
    if (rc)
        return rc;
    qisim_scenario *sc = calloc(1, sizeof *sc);
    if (!sc)
        return qisim_err_set(err, QISIM_ENOMEM, "%s: out of memory", path);
    sc->decl = decl;
    sc->decl_install = install;
    sc->heap.soft_limit = QS_HEAP_SOFT_LIMIT;
    sc->time_limit = time_limit_seconds;
    sc->deadline = time_limit_seconds > 0 ? HUGE_VAL : 0;
    sc->path = qs_copy_string(path);
    sc->name = base_name(path);
    if (sc->path && sc->name)
        sc->L = lua_newstate(qs_heap_alloc, &sc->heap);
    if (!sc->L) {
        qisim_scenario_free(sc);
        return qisim_err_set(err, QISIM_ENOMEM, "%s: out of memory", path);
    }
    lua_State *L = sc->L;
    *(qisim_scenario **)lua_getextraspace(L) = sc;
    if (sc->time_limit > 0)
        qs_watch_start(&sc->watch, L, budget_hook, HUGE_VAL);
    lua_pushcfunction(L, install_declaration_api);
    rc = run_protected(sc, 0, 0, QISIM_LOAD_BUDGET, err);
    if (rc == QISIM_OK) {
        int status = luaL_loadfilex(L, path, "t");
        if (status != LUA_OK) {
            const char *msg = lua_tostring(L, -1);
            rc = status == LUA_ERRFILE ? QISIM_EIO : status == LUA_ERRMEM ? QISIM_ENOMEM : QISIM_ESCRIPT;
            qisim_err_set(err, rc, "%s", msg ? msg : "cannot load");
            restore_path(sc, err);
            size_t n = strlen(path);
            if (err && !(strncmp(err->msg, path, n) == 0 && err->msg[n] == ':')) {
                char bare[sizeof err->msg];
                snprintf(bare, sizeof bare, "%s", err->msg);
                qisim_err_set(err, rc, "%s: %s", path, bare);
            }
        } else {
            sc->loading = true;
            rc = run_protected(sc, 0, 0, QISIM_LOAD_BUDGET, err);
            sc->loading = false;
        }
    }
    qisim_scenario_free(sc);
    return rc;
}

/* Runs host reference ref under the callback budget; a condition must return a boolean. */
static int host_call(void *ctx, int32_t ref, bool *truth, qisim_err *err)
{
    qisim_scenario *sc = ctx;
    lua_State *L = sc->L;
    int top = lua_gettop(L);
    if (!lua_checkstack(L, 4))
        return qisim_err_set(err, QISIM_ENOMEM, "%s: out of memory calling a scheduled action", sc->path);
    if (lua_rawgeti(L, LUA_REGISTRYINDEX, ref) != LUA_TFUNCTION) {
        lua_settop(L, top);
        return qisim_err_set(err, QISIM_EINVAL, "%s: scheduled reference %d is not a function", sc->path, (int)ref);
    }
    int rc = run_protected(sc, 0, truth ? 1 : 0, QISIM_CALLBACK_BUDGET, err);
    if (rc == QISIM_OK && truth) {
        if (lua_type(L, -1) == LUA_TBOOLEAN) {
            *truth = lua_toboolean(L, -1);
        } else {
            /* the condition has returned: point at where it is defined */
            const char *got = qs_typename(L, -1);
            lua_Debug ar;
            lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
            lua_getinfo(L, ">S", &ar);
            rc = qisim_err_set(err, QISIM_ESCRIPT, "%s:%d: when: condition must return a boolean, got %s",
                               ar.short_src, ar.linedefined, got);
            restore_path(sc, err);
        }
    }
    lua_settop(L, top);
    return rc;
}

qisim_host qisim_scenario_host(qisim_scenario *sc)
{
    qisim_host h = {sc, host_call};
    return h;
}

const char *qisim_scenario_name(const qisim_scenario *sc) { return sc->name; }
int32_t qisim_scenario_weeks(const qisim_scenario *sc) { return sc->weeks; }
const qisim_record *qisim_scenario_record(const qisim_scenario *sc) { return &sc->record; }

lua_State *qisim_scenario_lua(qisim_scenario *sc) { return sc->L; }
