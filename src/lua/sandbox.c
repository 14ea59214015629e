/* The sandbox: which libraries a scenario sees, text-only load, print to stderr, a seeded math.random, strict globals. */
#include <stdio.h>
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
        const char *s = luaL_tolstring(L, k, &len);
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
    return &qs_scenario(L)->w->rng[QISIM_STREAM_SCENARIO];
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

    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    remove_field(L, g, "dofile");
    remove_field(L, g, "loadfile");
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
    return luaL_tolstring(L, idx, NULL);
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

static int undefined_global_read(lua_State *L)
{
    const char *name = key_text(L, 2);
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
