/* The sandbox: which libraries a scenario sees, text-only load, print to stderr, a seeded math.random, strict globals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lualib.h>

#include "bind.h"
#include "qisim/rng.h"

/* ---- load: text chunks only --------------------------------------------------------------- */

/* load(chunk [, chunkname [, mode [, env]]]) with the mode forced to "t": a binary chunk is
 * refused (load returns nil and a message) because crafted bytecode can break the VM. The
 * environment defaults to the scenario's globals like the stock load. */
static int sandboxed_load(lua_State *L)
{
    int nargs = lua_gettop(L);
    lua_settop(L, 4);
    lua_pushvalue(L, lua_upvalueindex(1)); /* the base library's load */
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_pushliteral(L, "t");
    if (nargs >= 4)
        lua_pushvalue(L, 4); /* an explicit env, even nil, as the stock load treats it */
    lua_call(L, nargs >= 4 ? 4 : 3, LUA_MULTRET);
    return lua_gettop(L) - 4;
}

/* ---- print: stdout belongs to the command line ---------------------------------------------- */

static int print_to_stderr(lua_State *L)
{
    int n = lua_gettop(L);
    for (int k = 1; k <= n; k++) {
        size_t len;
        qs_push_text(L, k); /* tostring's text: no addresses */
        const char *s = lua_tolstring(L, -1, &len);
        if (k > 1)
            fputc('\t', stderr);
        fwrite(s, 1, len, stderr);
        lua_pop(L, 1);
    }
    fputc('\n', stderr);
    fflush(stderr);
    return 0;
}

/* ---- math.random from the scenario's own stream --------------------------------------------- */

static qisim_rng *scenario_rng(lua_State *L)
{
    qisim_world *w = qs_scenario(L)->w;
    if (!w) /* a declaration file: its content must not depend on a draw */
        luaL_error(L, "math.random is not available here (only in scenario files)");
    return &w->rng[QISIM_STREAM_SCENARIO];
}

static uint64_t next64(qisim_rng *r)
{
    uint64_t hi = qisim_rng_next(r);
    return hi << 32 | qisim_rng_next(r);
}

/* Uniform in [0, n] (n is a range width, so up to 2^64 - 1), unbiased by rejection. */
static uint64_t uniform_upto(qisim_rng *r, uint64_t n)
{
    if (n < UINT32_MAX)
        return qisim_rng_below(r, (uint32_t)n + 1u);
    uint64_t mask = n; /* smallest 2^b - 1 covering n */
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;
    uint64_t x;
    do
        x = next64(r) & mask;
    while (x > n);
    return x;
}

/* math.random with Lua 5.4's semantics, drawn from the scenario's PCG stream: no argument, a
 * float in [0, 1); 0, an integer with all bits random; m, an integer in [1, m]; m and n, an
 * integer in [m, n]. */
static int scenario_random(lua_State *L)
{
    qisim_rng *r = scenario_rng(L);
    lua_Integer low, up;
    switch (lua_gettop(L)) {
    case 0: {
        uint64_t bits = next64(r) >> 11; /* 53 bits: every double in [0, 1) on the 2^-53 grid */
        lua_pushnumber(L, (lua_Number)bits * (1.0 / 9007199254740992.0));
        return 1;
    }
    case 1:
        low = 1;
        up = luaL_checkinteger(L, 1);
        if (up == 0) {
            lua_pushinteger(L, (lua_Integer)next64(r));
            return 1;
        }
        break;
    case 2:
        low = luaL_checkinteger(L, 1);
        up = luaL_checkinteger(L, 2);
        break;
    default:
        return luaL_error(L, "wrong number of arguments");
    }
    luaL_argcheck(L, low <= up, 1, "interval is empty");
    uint64_t width = (uint64_t)up - (uint64_t)low;
    lua_pushinteger(L, (lua_Integer)(uniform_upto(r, width) + (uint64_t)low));
    return 1;
}

static int scenario_randomseed(lua_State *L)
{
    return luaL_error(L, "math.randomseed is disabled: use --seed");
}

/* ---- opening the libraries -------------------------------------------------------------------- */

static void remove_field(lua_State *L, int table, const char *name)
{
    lua_pushnil(L);
    lua_setfield(L, table, name);
}

/* ---- pairs in a fixed order ---------------------------------------------------------------- */

/* A key's place in the order pairs() visits: numbers, strings, booleans, then handles by kind
 * and id. Stock Lua visits in hash order, salted per process for strings and following
 * addresses for userdata, so no result may depend on it. */
typedef struct ordered_key {
    int rank;          /* 0 number, 1 string, 2 boolean, 3 handle */
    double number;
    const char *text;
    size_t len;
    int64_t handle;    /* kind << 32 | id */
    int slot;          /* position in the keys table */
} ordered_key;

static int compare_keys(const void *pa, const void *pb)
{
    const ordered_key *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank - b->rank;
    switch (a->rank) {
    case 0: return (a->number > b->number) - (a->number < b->number);
    case 1: {
        int c = memcmp(a->text, b->text, a->len < b->len ? a->len : b->len);
        return c ? c : (a->len > b->len) - (a->len < b->len);
    }
    case 2: return (int)a->number - (int)b->number;
    default: return (a->handle > b->handle) - (a->handle < b->handle);
    }
}

/* The iterator: upvalue 1 the table, 2 the sorted keys, 3 the next position. */
static int ordered_next(lua_State *L)
{
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(3));
    if (lua_rawgeti(L, lua_upvalueindex(2), i) == LUA_TNIL)
        return 1;
    lua_pushinteger(L, i + 1);
    lua_replace(L, lua_upvalueindex(3));
    lua_pushvalue(L, -1);
    lua_rawget(L, lua_upvalueindex(1));
    return 2;
}

/* pairs(t): every key of t in a fixed order (see ordered_key); keys that have no fixed
 * order (tables, functions) are an error. */
static int ordered_pairs(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_newtable(L); /* 2: the keys, as collected */
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, 2, ++n);
    }
    ordered_key *keys = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *keys, 0); /* 3: freed by the GC */
    for (int k = 0; k < n; k++) {
        ordered_key *o = &keys[k];
        memset(o, 0, sizeof *o);
        o->slot = k + 1;
        lua_rawgeti(L, 2, k + 1);
        switch (lua_type(L, -1)) {
        case LUA_TNUMBER: o->rank = 0; o->number = lua_tonumber(L, -1); break;
        case LUA_TSTRING: o->rank = 1; o->text = lua_tolstring(L, -1, &o->len); break;
        case LUA_TBOOLEAN: o->rank = 2; o->number = lua_toboolean(L, -1); break;
        case LUA_TUSERDATA: {
            o->rank = 3;
            o->handle = -1;
            for (int kind = 0; kind < QS_N_KINDS && o->handle < 0; kind++) {
                const qs_handle *h = qs_test_handle(L, -1, kind);
                if (h)
                    o->handle = ((int64_t)h->kind << 32) | (uint32_t)h->id;
            }
            if (o->handle >= 0)
                break;
        }
        /* fall through */
        default:
            return luaL_error(L, "pairs: a %s key has no fixed order (use numbers, strings, booleans or handles as keys)",
                              luaL_typename(L, -1));
        }
        lua_pop(L, 1); /* strings stay alive in the keys table */
    }
    qsort(keys, (size_t)n, sizeof *keys, compare_keys);
    lua_createtable(L, n, 0); /* 4: the keys in order */
    for (int k = 0; k < n; k++) {
        lua_rawgeti(L, 2, keys[k].slot);
        lua_rawseti(L, 4, k + 1);
    }
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 4);
    lua_pushinteger(L, 1);
    lua_pushcclosure(L, ordered_next, 3);
    return 1;
}

void qs_open_sandbox(lua_State *L)
{
    /* only these five: io, os, package, debug and coroutine stay out */
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},         {LUA_TABLIBNAME, luaopen_table}, {LUA_STRLIBNAME, luaopen_string},
        {LUA_MATHLIBNAME, luaopen_math},   {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL},
    };
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    qs_harden_libraries(L); /* no finalizers, no unbounded loops in C, no addresses */

    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    remove_field(L, g, "dofile");
    remove_field(L, g, "loadfile");
    remove_field(L, g, "next"); /* hash order: pairs() gives a fixed one */
    lua_pushcfunction(L, ordered_pairs);
    lua_setfield(L, g, "pairs");
    lua_getfield(L, g, "load");
    lua_pushcclosure(L, sandboxed_load, 1);
    lua_setfield(L, g, "load");
    lua_pushcfunction(L, print_to_stderr);
    lua_setfield(L, g, "print");

    lua_getfield(L, g, LUA_STRLIBNAME);
    remove_field(L, lua_gettop(L), "dump");
    lua_pop(L, 1);

    lua_getfield(L, g, LUA_MATHLIBNAME);
    lua_pushcfunction(L, scenario_random);
    lua_setfield(L, -2, "random");
    lua_pushcfunction(L, scenario_randomseed);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 2);
}

/* ---- strict globals --------------------------------------------------------------------------- */

static const char *key_text(lua_State *L, int idx)
{
    if (lua_type(L, idx) == LUA_TSTRING)
        return lua_tostring(L, idx);
    qs_push_text(L, idx);
    return lua_tostring(L, -1);
}

/* Globals a Lua programmer may expect that the sandbox leaves out on purpose. */
static const char *const absent_libraries[] = {"io", "os", "debug", "package", "coroutine", NULL};
static const char *const absent_loaders[] = {"require", "dofile", "loadfile", NULL};

static bool listed(const char *name, const char *const names[])
{
    for (size_t k = 0; names[k]; k++)
        if (strcmp(name, names[k]) == 0)
            return true;
    return false;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The defined global nearest to name (a typo's likely meaning), or NULL. The names are
 * sorted first: ties go to the first, and hash order must not pick it. */
static const char *nearest_global(lua_State *L, const char *name)
{
    enum { MAX_NAMES = 256 };
    const char *names[MAX_NAMES + 1];
    int n = 0;
    lua_pushglobaltable(L);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING && n < MAX_NAMES)
            names[n++] = lua_tostring(L, -1); /* held by the globals table */
    }
    lua_pop(L, 1);
    qsort(names, (size_t)n, sizeof names[0], compare_names);
    names[n] = NULL;
    return qs_suggest(name, names);
}

static int undefined_global_read(lua_State *L)
{
    const char *name = key_text(L, 2);
    const char *near = nearest_global(L, name);
    if (near && !listed(name, absent_libraries) && !listed(name, absent_loaders))
        return luaL_error(L, "undefined global '%s'; did you mean '%s'?", name, near);
    if (listed(name, absent_libraries))
        return luaL_error(L, "undefined global '%s' (not available in a scenario: only the base, table, string, "
                             "math and utf8 libraries are)", name);
    if (listed(name, absent_loaders))
        return luaL_error(L, "undefined global '%s' (not available in a scenario: a scenario is one file)", name);
    return luaL_error(L, "undefined global '%s'", name);
}

static int undefined_global_write(lua_State *L)
{
    return luaL_error(L, "assignment to undefined global '%s' (use local)", key_text(L, 2));
}

void qs_protect_globals(lua_State *L)
{
    lua_pushglobaltable(L);
    lua_createtable(L, 0, 3);
    lua_pushcfunction(L, undefined_global_read);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, undefined_global_write);
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "the globals are protected: declare a local");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_pop(L, 1);
}
