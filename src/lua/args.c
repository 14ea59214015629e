/* Argument checking shared by every binding: typed table fields, unknown keys, options, suggestions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"


char *qs_copy_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* ---- suggestions -------------------------------------------------------------------------- */

enum { SUGGEST_MAX_LEN = 64 }; /* longer keys are not worth a suggestion */

const char *qs_suggest(const char *s, const char *const names[]) { return qisim_suggest(s, names); }

/* Pushes "a, b, c" for names. */
static void push_name_list(lua_State *L, const char *const names[])
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t k = 0; names[k]; k++) {
        if (k)
            luaL_addstring(&b, ", ");
        luaL_addstring(&b, names[k]);
    }
    luaL_pushresult(&b);
}

/* ---- type names ------------------------------------------------------------------------------- */

const char *qs_typename(lua_State *L, int idx)
{
    /* by metatable identity, not __name: a script can write any __name into its own table */
    for (int kind = 0; kind < QS_N_KINDS; kind++)
        if (qs_test_handle(L, idx, kind))
            return lua_pushstring(L, qs_kind_name(kind)); /* left on the stack */
    return luaL_typename(L, idx);
}

/* ---- options ------------------------------------------------------------------------------- */

enum { SHORT_OPTION_LIST = 8 };

int qs_option_error(lua_State *L, int arg, int idx, const char *field, const char *what,
                    const char *const names[])
{
    idx = lua_absindex(L, idx);
    push_name_list(L, names);
    const char *list = lua_tostring(L, -1);
    if (lua_type(L, idx) != LUA_TSTRING) {
        if (field)
            return luaL_argerror(L, arg, lua_pushfstring(L, "field '%s' must be a string (%s), got %s", field,
                                                         list, qs_typename(L, idx)));
        return luaL_argerror(L, arg, lua_pushfstring(L, "%s expected (%s), got %s", what, list,
                                                     qs_typename(L, idx)));
    }
    const char *value = lua_tostring(L, idx);
    size_t count = 0;
    while (names[count])
        count++;
    /* a short list is the clearest answer; from a long one, point at the likely name */
    const char *near = count > SHORT_OPTION_LIST ? qs_suggest(value, names) : NULL;
    if (near)
        return luaL_argerror(L, arg, lua_pushfstring(L, "unknown %s '%s'; did you mean '%s'?", what, value, near));
    return luaL_argerror(L, arg, lua_pushfstring(L, "unknown %s '%s'; expected %s", what, value, list));
}

/* Index of the string at idx in names, or -1. */
static int find_option(lua_State *L, int idx, const char *const names[])
{
    if (lua_type(L, idx) != LUA_TSTRING)
        return -1;
    const char *s = lua_tostring(L, idx);
    for (int k = 0; names[k]; k++)
        if (strcmp(s, names[k]) == 0)
            return k;
    return -1;
}

int qs_check_option(lua_State *L, int arg, const char *what, const char *const names[])
{
    int k = find_option(L, arg, names);
    if (k < 0)
        qs_option_error(L, arg, arg, NULL, what, names);
    return k;
}

/* ---- plain arguments ------------------------------------------------------------------------ */

/* "x is outside [min, max]", numbers printed the way a scenario author writes them ("2", not
 * lua_pushfstring's "2.0"). */
static const char *push_outside(lua_State *L, const char *prefix, double x, double min, double max)
{
    char text[3][32];
    snprintf(text[0], sizeof text[0], "%.14g", x);
    snprintf(text[1], sizeof text[1], "%.14g", min);
    snprintf(text[2], sizeof text[2], "%.14g", max);
    return lua_pushfstring(L, "%s%s is outside [%s, %s]", prefix, text[0], text[1], text[2]);
}

double qs_check_range(lua_State *L, int arg, double min, double max)
{
    double x = luaL_checknumber(L, arg);
    if (!(x >= min && x <= max)) /* also refuses NaN */
        luaL_argerror(L, arg, push_outside(L, "", x, min, max));
    return x;
}

lua_Integer qs_check_int_range(lua_State *L, int arg, lua_Integer min, lua_Integer max)
{
    lua_Integer x = luaL_checkinteger(L, arg);
    if (x < min || x > max)
        luaL_argerror(L, arg, lua_pushfstring(L, "%I is outside [%I, %I]", x, min, max));
    return x;
}

double qs_check_level(lua_State *L, int arg, const char *what, const char *const names[], const double values[])
{
    if (lua_type(L, arg) == LUA_TNUMBER)
        return qs_check_range(L, arg, 0.0, 1.0);
    int k = find_option(L, arg, names);
    if (k < 0) {
        if (lua_type(L, arg) == LUA_TSTRING)
            qs_option_error(L, arg, arg, NULL, what, names);
        const char *got = qs_typename(L, arg);
        push_name_list(L, names);
        luaL_argerror(L, arg, lua_pushfstring(L, "number 0..1 or %s expected, got %s", lua_tostring(L, -1), got));
    }
    return values[k];
}

bool qs_check_bool(lua_State *L, int arg)
{
    luaL_checktype(L, arg, LUA_TBOOLEAN);
    return lua_toboolean(L, arg);
}

/* ---- table arguments ------------------------------------------------------------------------- */

qs_table qs_check_table(lua_State *L, int arg)
{
    luaL_checktype(L, arg, LUA_TTABLE);
    qs_table t = {L, arg, lua_absindex(L, arg), ""};
    return t;
}

/* Raw read of field key (no metamethods: what the scenario wrote is what counts). */
static int push_raw(const qs_table *t, const char *key)
{
    lua_pushstring(t->L, key);
    return lua_rawget(t->L, t->idx);
}

int qs_push_field(const qs_table *t, const char *key)
{
    return push_raw(t, key);
}

static int field_type_error(const qs_table *t, const char *key, const char *expected)
{
    lua_State *L = t->L;
    int value = lua_gettop(L);
    const char *got = qs_typename(L, value);
    return luaL_argerror(L, t->arg, lua_pushfstring(L, "field '%s%s' must be %s, got %s", t->prefix, key, expected, got));
}

bool qs_get_number(const qs_table *t, const char *key, double min, double max, double *out)
{
    lua_State *L = t->L;
    int type = push_raw(t, key);
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return false;
    }
    if (type != LUA_TNUMBER)
        field_type_error(t, key, "a number");
    double x = lua_tonumber(L, -1);
    if (!(x >= min && x <= max)) {
        lua_pushfstring(L, "field '%s%s' = ", t->prefix, key);
        luaL_argerror(L, t->arg, push_outside(L, lua_tostring(L, -1), x, min, max));
    }
    lua_pop(L, 1);
    *out = x;
    return true;
}

bool qs_get_integer(const qs_table *t, const char *key, lua_Integer min, lua_Integer max, lua_Integer *out)
{
    lua_State *L = t->L;
    int type = push_raw(t, key);
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return false;
    }
    int is_int = 0;
    lua_Integer x = lua_tointegerx(L, -1, &is_int);
    if (type != LUA_TNUMBER || !is_int)
        field_type_error(t, key, "an integer");
    if (x < min || x > max)
        luaL_argerror(L, t->arg, lua_pushfstring(L, "field '%s%s' = %I is outside [%I, %I]", t->prefix, key, x, min,
                                                 max));
    lua_pop(L, 1);
    *out = x;
    return true;
}

bool qs_get_bool(const qs_table *t, const char *key, bool *out)
{
    lua_State *L = t->L;
    int type = push_raw(t, key);
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return false;
    }
    if (type != LUA_TBOOLEAN)
        field_type_error(t, key, "a boolean");
    *out = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return true;
}

bool qs_get_string(const qs_table *t, const char *key, const char **out)
{
    lua_State *L = t->L;
    int type = push_raw(t, key);
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return false;
    }
    if (type != LUA_TSTRING)
        field_type_error(t, key, "a string");
    *out = lua_tostring(L, -1); /* the table still references it */
    lua_pop(L, 1);
    return true;
}

bool qs_get_option(const qs_table *t, const char *key, const char *what, const char *const names[], int *out)
{
    lua_State *L = t->L;
    if (push_raw(t, key) == LUA_TNIL) {
        lua_pop(L, 1);
        return false;
    }
    int k = find_option(L, -1, names);
    if (k < 0) {
        lua_pushfstring(L, "%s%s", t->prefix, key);
        qs_option_error(L, t->arg, -2, lua_tostring(L, -1), what, names);
    }
    lua_pop(L, 1);
    *out = k;
    return true;
}

bool qs_get_level(const qs_table *t, const char *key, const char *const names[], const double values[],
                  double *out)
{
    lua_State *L = t->L;
    int type = push_raw(t, key);
    lua_pop(L, 1);
    if (type == LUA_TNIL)
        return false;
    if (type == LUA_TNUMBER)
        return qs_get_number(t, key, 0.0, 1.0, out);
    if (type != LUA_TSTRING) {
        push_raw(t, key);
        const char *got = qs_typename(L, lua_gettop(L));
        push_name_list(L, names);
        luaL_argerror(L, t->arg, lua_pushfstring(L, "field '%s%s' must be a number 0..1 or one of %s, got %s",
                                                 t->prefix, key, lua_tostring(L, -1), got));
    }
    int k;
    qs_get_option(t, key, key, names, &k);
    *out = values[k];
    return true;
}

/* ---- unknown keys ----------------------------------------------------------------------------- */

enum { MAX_REPORTED_KEYS = 8 };

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_allowed(const char *key, const char *const allowed[])
{
    for (size_t k = 0; allowed[k]; k++)
        if (strcmp(key, allowed[k]) == 0)
            return true;
    return false;
}

void qs_check_keys(const qs_table *t, const char *const allowed[], bool positional)
{
    lua_State *L = t->L;
    lua_Integer n = positional ? (lua_Integer)lua_rawlen(L, t->idx) : 0;
    int base = lua_gettop(L);
    int unknown = 0;
    luaL_checkstack(L, MAX_REPORTED_KEYS + 8, "checking table fields");
    lua_pushnil(L);
    while (lua_next(L, t->idx)) {
        lua_pop(L, 1); /* the value */
        bool ok;
        if (lua_type(L, -1) == LUA_TSTRING)
            ok = is_allowed(lua_tostring(L, -1), allowed);
        else
            ok = lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1 && lua_tointeger(L, -1) <= n;
        if (ok)
            continue;
        if (unknown++ < MAX_REPORTED_KEYS) {
            /* keep a printable copy below the iteration key */
            if (lua_type(L, -1) == LUA_TSTRING) {
                lua_pushfstring(L, "'%s%s'", t->prefix, lua_tostring(L, -1));
            } else {
                /* "teams[7]": the prefix without its dot, then the key in brackets */
                size_t plen = strlen(t->prefix);
                lua_pushlstring(L, t->prefix, plen && t->prefix[plen - 1] == '.' ? plen - 1 : plen);
                if (lua_type(L, -2) == LUA_TNUMBER)
                    luaL_tolstring(L, -2, NULL); /* a copy: converting the key in place would upset lua_next */
                else
                    lua_pushfstring(L, "<%s>", luaL_typename(L, -2));
                lua_pushfstring(L, "%s[%s]", lua_tostring(L, -2), lua_tostring(L, -1));
                lua_replace(L, -3);
                lua_pop(L, 1);
            }
            lua_insert(L, -2);
        }
    }
    if (!unknown)
        return;
    int shown = unknown < MAX_REPORTED_KEYS ? unknown : MAX_REPORTED_KEYS;
    const char *names[MAX_REPORTED_KEYS];
    for (int k = 0; k < shown; k++)
        names[k] = lua_tostring(L, base + 1 + k);
    qsort(names, (size_t)shown, sizeof names[0], compare_strings);

    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, unknown == 1 ? "unknown field " : "unknown fields ");
    for (int k = 0; k < shown; k++) {
        if (k)
            luaL_addstring(&b, ", ");
        luaL_addstring(&b, names[k]);
    }
    if (unknown > shown) {
        lua_pushfstring(L, " and %d more", unknown - shown);
        luaL_addvalue(&b);
    }
    const char *near = NULL;
    if (unknown == 1 && names[0][0] == '\'') {
        /* names[0] is 'prefix+key': strip the quotes and the prefix to look for a close match */
        size_t skip = 1 + strlen(t->prefix), len = strlen(names[0]);
        if (len > skip + 1 && len - skip - 1 < SUGGEST_MAX_LEN) {
            char bare[SUGGEST_MAX_LEN];
            memcpy(bare, names[0] + skip, len - skip - 1);
            bare[len - skip - 1] = '\0';
            near = qs_suggest(bare, allowed);
        }
    }
    if (near) {
        luaL_addstring(&b, "; did you mean '");
        luaL_addstring(&b, t->prefix);
        luaL_addstring(&b, near);
        luaL_addstring(&b, "'?");
    } else {
        luaL_addstring(&b, "; expected ");
        for (size_t k = 0; allowed[k]; k++) {
            if (k)
                luaL_addstring(&b, ", ");
            luaL_addstring(&b, allowed[k]);
        }
        if (positional)
            luaL_addstring(&b, allowed[0] ? " (besides the list entries)" : "list entries only");
    }
    luaL_pushresult(&b);
    luaL_argerror(L, t->arg, lua_tostring(L, -1));
}

/* ---- engine calls and phases ---------------------------------------------------------------- */

void qs_check_engine(lua_State *L, int rc, const qisim_err *err, const char *fn)
{
    if (rc != QISIM_OK)
        luaL_error(L, "%s: %s", fn, err->msg[0] ? err->msg : "failed");
}

void qs_check_loading(lua_State *L, const char *fn)
{
    if (!qs_scenario(L)->loading)
        luaL_error(L, "%s: can only be called while the scenario file loads, not from a scheduled action", fn);
}

void qs_fresh_aggregates(lua_State *L)
{
    qisim_scenario *sc = qs_scenario(L);
    if (sc->aggregates_stale && !sc->w->started) {
        qisim_world_aggregate(sc->w);
        sc->aggregates_stale = false;
    }
}

void qs_touched(lua_State *L)
{
    qisim_scenario *sc = qs_scenario(L);
    if (!sc->w->started)
        sc->aggregates_stale = true;
}
