/* Limits every Lua state of the process shares: one heap cap for all threads, the source-file check, and checked library functions that cannot loop in C. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lualib.h>

#include "bind.h"

/* ---- the process-wide heap cap ---------------------------------------------------------------

   Every Lua state (each worker thread's scenario, experiment files) allocates through
   qs_heap_alloc, which counts into one atomic total: eight threads share QS_HEAP_PROCESS_LIMIT
   instead of each having its own, so a scenario that builds a huge string cannot multiply
   its footprint by the thread count. */
static atomic_size_t process_heap;

size_t qs_heap_process_used(void)
{
    return atomic_load(&process_heap);
}

void *qs_heap_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    qs_heap *h = ud;
    size_t old = ptr ? osize : 0; /* without ptr, osize encodes the object type */
    if (nsize == 0) {
        free(ptr);
        h->used -= old;
        atomic_fetch_sub(&process_heap, old);
        return NULL;
    }
    size_t grow = nsize > old ? nsize - old : 0;
    if (grow) {
        size_t before = atomic_fetch_add(&process_heap, grow);
        if (before + grow > QS_HEAP_PROCESS_LIMIT || before + grow < before) {
            atomic_fetch_sub(&process_heap, grow);
            h->process_limit_hit = true;
            return NULL; /* Lua raises a memory error and stays consistent */
        }
        if (h->used + grow > h->soft_limit)
            h->soft_limit_hit = true; /* the count hook raises it with a line number */
    }
    void *p = realloc(ptr, nsize);
    if (!p) {
        atomic_fetch_sub(&process_heap, grow);
        return NULL;
    }
    h->used = h->used - old + nsize;
    if (nsize < old)
        atomic_fetch_sub(&process_heap, old - nsize);
    return p;
}

/* ---- source files ------------------------------------------------------------------------------ */

int qs_check_source_file(const char *path, qisim_err *err)
{
    /* stat, not open: opening a FIFO blocks, and /dev/zero never ends */
    struct stat st;
    if (stat(path, &st) != 0)
        return QISIM_OK; /* the loader reports the missing file in its own words */
    if (!S_ISREG(st.st_mode))
        return qisim_err_set(err, QISIM_EINVAL, "%s: not a regular file (a scenario or experiment is a .lua file)",
                             path);
    if (st.st_size > QS_MAX_SOURCE_BYTES)
        return qisim_err_set(err, QISIM_EINVAL, "%s: %lld bytes, more than the %d MiB a Lua file may have", path,
                             (long long)st.st_size, QS_MAX_SOURCE_BYTES / (1024 * 1024));
    return QISIM_OK;
}

/* ---- system memory ------------------------------------------------------------------------------ */

static size_t pretend_available;

void qs_set_memory_available(size_t bytes)
{
    pretend_available = bytes;
}

size_t qs_memory_available(void)
{
    if (pretend_available)
        return pretend_available;
    /* MemAvailable counts what the page cache would give back; free pages alone undercount */
    FILE *f = fopen("/proc/meminfo", "r");
    if (f) {
        char line[256];
        unsigned long long kib;
        while (fgets(line, sizeof line, f)) {
            if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1) {
                fclose(f);
                return (size_t)kib * 1024;
            }
        }
        fclose(f);
    }
    long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (size_t)pages * (size_t)page : 0;
}

/* ---- the clock ---------------------------------------------------------------------------------- */

double qs_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the watchdog ---------------------------------------------------------------------------------

   The count hook reads the clock every HOOK_STEP instructions, but one instruction can call C
   that works for a second (string.rep of hundreds of MiB, utf8.len over them), so ten thousand
   of them could outlast the limit by hours. One watchdog thread for the process looks at every
   registered state ten times a second and, for each past its deadline, sets the state's hook to
   run at the next instruction, where it raises the error at the running line. lua_sethook is
   the Lua call made to be used from outside the running code (lua.c calls it from a signal
   handler); the watchdog never touches anything else of a state, and a state leaves the list,
   under the lock, before it is closed. Setting the hook again each tick makes up for the owner
   resetting it between callbacks (run_protected then refuses to start once past the deadline). */

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watch_wake = PTHREAD_COND_INITIALIZER;
static qs_watch *watched;
static bool watchdog_running, watchdog_quit;
static pthread_t watchdog_thread;

static void *watchdog(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&watch_lock);
    while (!watchdog_quit) {
        if (!watched) {
            pthread_cond_wait(&watch_wake, &watch_lock);
            continue;
        }
        double now = qs_now();
        for (qs_watch *w = watched; w; w = w->next)
            if (now > w->deadline)
                lua_sethook(w->L, w->hook, LUA_MASKCOUNT, 1);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 100000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&watch_wake, &watch_lock, &until);
    }
    pthread_mutex_unlock(&watch_lock);
    return NULL;
}

/* At exit: the thread ends and is joined, so nothing of it is left (valgrind's leak check
 * counts a live thread's own allocations as possibly lost). */
static void end_watchdog(void)
{
    pthread_mutex_lock(&watch_lock);
    watchdog_quit = true;
    pthread_cond_signal(&watch_wake);
    pthread_mutex_unlock(&watch_lock);
    pthread_join(watchdog_thread, NULL);
}

void qs_watch_start(qs_watch *w, lua_State *L, lua_Hook hook, double deadline)
{
    w->L = L;
    w->hook = hook;
    w->deadline = deadline;
    pthread_mutex_lock(&watch_lock);
    if (!watchdog_running) {
        /* without the thread the count hook alone still keeps the limit, only later */
        watchdog_running = pthread_create(&watchdog_thread, NULL, watchdog, NULL) == 0;
        if (watchdog_running && atexit(end_watchdog) != 0) {
            pthread_detach(watchdog_thread); /* cannot join it at exit: let it go */
        }
    }
    w->next = watched;
    watched = w;
    pthread_cond_signal(&watch_wake);
    pthread_mutex_unlock(&watch_lock);
}

void qs_watch_set(qs_watch *w, double deadline)
{
    pthread_mutex_lock(&watch_lock);
    w->deadline = deadline;
    pthread_mutex_unlock(&watch_lock);
}

void qs_watch_stop(qs_watch *w)
{
    pthread_mutex_lock(&watch_lock);
    for (qs_watch **p = &watched; *p; p = &(*p)->next) {
        if (*p == w) {
            *p = w->next;
            break;
        }
    }
    pthread_mutex_unlock(&watch_lock);
}

/* ---- checked library functions ------------------------------------------------------------------

   The count hook (host.c) stops anything that runs Lua instructions: endless loops, and,
   since it also reads the clock, anything slower than the time limit. Three things run no
   instructions, so no hook can stop them, and each is closed here instead of watched:
   - finalizers: Lua runs __gc with hooks off (in lua_close or any collectgarbage()), so
     setmetatable refuses a metatable with a __gc field. Lua only marks an object for
     finalization when setmetatable sees __gc, so adding one later is harmless.
   - loops inside the C library whose length a script chooses without paying for it in
     memory: string.rep of an empty string, table.move over a range, table.insert and remove
     on a table whose __len lies. The table ones are our own, each capped at QS_MAX_ELEMENTS elements (what the heap
     cap could hold as array slots): more is an error at the calling line.
   - table.sort, which can also loop over a lying __len, is a merge sort of our own with the
     same cap (and stable, see stable_sort).
   - backtracking in Lua's pattern matcher, which is polynomial in the subject with a degree
     set by the pattern ("a-a-a-...-b" against 5000 characters would take years). Before a
     match, pattern_cost bounds the matcher's worst-case steps; above QS_MAX_PATTERN_STEPS
     the call is refused. The bound is crude but safe, and only long subjects meet it.
   A watchdog thread alone could not do better: stopping C code from outside means killing
   the process, while these checks keep the error a normal Lua error with file and line. */

/* Worst-case steps of a match of pattern p (lp bytes) against ls subject bytes: start
 * positions (1 when anchored) x pattern length x, for each repetition, the choices it can
 * backtrack through (every subject position for * + - and a back-reference, 2 for ?).
 * Literal '-' or '*' count too: over-estimating only refuses earlier. gmatch takes a leading
 * '^' as a literal character, so it anchors nothing there. */
static double pattern_cost(const char *p, size_t lp, size_t ls, bool anchors)
{
    double n = (double)ls + 1.0;
    double cost = (anchors && lp > 0 && p[0] == '^' ? 1.0 : n) * ((double)lp + 1.0);
    for (size_t i = 0; i < lp && cost < HUGE_VAL; i++) {
        if (p[i] == '%') {
            if (i + 1 < lp && p[i + 1] >= '0' && p[i + 1] <= '9')
                cost *= n;
            i++; /* the escaped character is a literal or a class */
        } else if (p[i] == '[') {
            /* a set: ']' right after '[' or '[^' is a member, '%' escapes */
            i++;
            if (i < lp && p[i] == '^')
                i++;
            if (i < lp)
                i++;
            while (i < lp && p[i] != ']')
                i += p[i] == '%' ? 2 : 1;
        } else if (p[i] == '*' || p[i] == '+' || p[i] == '-') {
            cost *= n;
        } else if (p[i] == '?') {
            cost *= 2.0;
        }
    }
    return cost;
}

/* Calls the stock library function (upvalue 1, named by upvalue 2) with the arguments as
 * given. Called from C, the stock function cannot find its own name for an argument error
 * ("bad argument #2 to '?'"): the name is put back before the error goes on. */
static int call_stock(lua_State *L)
{
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    int status = lua_pcall(L, n, LUA_MULTRET, 0);
    if (status == LUA_OK)
        return lua_gettop(L);
    const char *msg = lua_tostring(L, -1);
    if (status == LUA_ERRRUN && msg && strncmp(msg, "bad argument #", 14) == 0 && strstr(msg, " to '?'")) {
        const char *q = strstr(msg, " to '?'");
        lua_pushlstring(L, msg, (size_t)(q - msg));
        lua_pushfstring(L, " to '%s'%s", lua_tostring(L, lua_upvalueindex(2)), q + 7);
        lua_concat(L, 2);
    }
    return lua_error(L); /* a memory error goes on as the message "not enough memory" */
}

/* string.find, match, gmatch, gsub: the pattern's worst case must fit the step budget. The
 * arguments the stock function would check are checked first, so its messages keep the
 * function's name. */
static int checked_pattern(lua_State *L, bool plain_allowed, bool is_gsub, bool anchors)
{
    size_t ls, lp;
    luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    if (is_gsub) {
        int tr = lua_type(L, 3);
        luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
                         "string/function/table");
        luaL_optinteger(L, 4, 0);
    } else {
        luaL_optinteger(L, 3, 1);
    }
    double cost = plain_allowed && lua_toboolean(L, 4) ? ((double)ls + 1.0) * ((double)lp + 1.0)
                                                       : pattern_cost(p, lp, ls, anchors);
    if (cost > QS_MAX_PATTERN_STEPS)
        return luaL_error(L, "pattern '%s' against %I characters could backtrack for more than %I steps "
                             "(use fewer repetitions such as '-' or '*', or a shorter subject)",
                          lp > 40 ? "(long)" : p, (lua_Integer)ls, (lua_Integer)QS_MAX_PATTERN_STEPS);
    return call_stock(L);
}

static int checked_find(lua_State *L) { return checked_pattern(L, true, false, true); }
static int checked_match(lua_State *L) { return checked_pattern(L, false, false, true); }
static int checked_gmatch(lua_State *L) { return checked_pattern(L, false, false, false); }
static int checked_gsub(lua_State *L) { return checked_pattern(L, false, true, true); }

/* string.rep(s, n [, sep]): the stock one loops n times even when s and sep are empty. */
static int checked_rep(lua_State *L)
{
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n <= 0 || l + lsep == 0) {
        lua_pushliteral(L, "");
        return 1;
    }
    return call_stock(L); /* a non-empty result is allocated first: the heap cap bounds it */
}

static void check_element_count(lua_State *L, lua_Integer count, const char *what)
{
    if (count > QS_MAX_ELEMENTS)
        luaL_error(L, "%s %I elements: more than the %I a scenario may handle at once", what, count,
                   (lua_Integer)QS_MAX_ELEMENTS);
}

/* A table argument, or a value whose metatable gives it table behaviour. */
static void check_table_like(lua_State *L, int arg)
{
    if (lua_type(L, arg) == LUA_TTABLE)
        return;
    if (lua_getmetatable(L, arg)) {
        lua_pop(L, 1);
        return;
    }
    luaL_checktype(L, arg, LUA_TTABLE);
}

/* table.move(a1, f, e, t [, a2]), with the range capped (the stock one loops e - f times
 * even over nothing). */
static int checked_move(lua_State *L)
{
    check_table_like(L, 1);
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    lua_Integer t = luaL_checkinteger(L, 4);
    int dest = lua_isnoneornil(L, 5) ? 1 : 5;
    check_table_like(L, dest);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        lua_Integer n = e - f;
        check_element_count(L, n + 1, "table.move:");
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n, 4, "destination wrap around");
        /* overlapping ranges in one table copy from the end, so nothing is overwritten early */
        bool backwards = t > f && t <= e && (dest == 1 || lua_compare(L, 1, dest, LUA_OPEQ));
        for (lua_Integer i = 0; i <= n; i++) {
            lua_Integer k = backwards ? n - i : i;
            lua_geti(L, 1, f + k);
            lua_seti(L, dest, t + k);
        }
    }
    lua_pushvalue(L, dest);
    return 1;
}

/* table.insert(t, [pos,] value) and table.remove(t [, pos]) with the length capped: they
 * shift #t elements, and a __len metamethod can claim any length. */
static int checked_insert(lua_State *L)
{
    check_table_like(L, 1);
    lua_Integer e = luaL_len(L, 1);
    check_element_count(L, e, "table.insert: a table of");
    e++; /* the first empty slot */
    lua_Integer pos = e;
    switch (lua_gettop(L)) {
    case 2:
        break;
    case 3:
        pos = luaL_checkinteger(L, 2);
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
        for (lua_Integer i = e; i > pos; i--) {
            lua_geti(L, 1, i - 1);
            lua_seti(L, 1, i);
        }
        break;
    default:
        return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, pos); /* the value, on top */
    return 0;
}

static int checked_remove(lua_State *L)
{
    check_table_like(L, 1);
    lua_Integer size = luaL_len(L, 1);
    check_element_count(L, size, "table.remove: a table of");
    lua_Integer pos = luaL_optinteger(L, 2, size);
    if (pos != size) /* an empty table may remove at 0 or #t + 1 */
        luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 2, "position out of bounds");
    lua_geti(L, 1, pos);
    for (; pos < size; pos++) {
        lua_geti(L, 1, pos + 1);
        lua_seti(L, 1, pos);
    }
    lua_pushnil(L);
    lua_seti(L, 1, pos);
    return 1;
}

/* Whether the value at x sorts before the one at y: comp (stack index 2) or '<'. */
static bool sorts_before(lua_State *L, int x, int y)
{
    x = lua_absindex(L, x);
    y = lua_absindex(L, y);
    if (lua_isnil(L, 2))
        return lua_compare(L, x, y, LUA_OPLT);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, x);
    lua_pushvalue(L, y);
    lua_call(L, 2, 1);
    bool before = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return before;
}

/* table.sort(t [, comp]) as a stable merge sort. The stock quicksort draws its pivot from the
 * clock when a partition is unbalanced, so elements that compare equal (two trusts with the
 * same share) could come out in an order that changes from run to run; stable, they keep
 * the order they had. */
static int stable_sort(lua_State *L)
{
    check_table_like(L, 1);
    lua_Integer n = luaL_len(L, 1);
    check_element_count(L, n, "table.sort:");
    if (!lua_isnoneornil(L, 2))
        luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    if (n < 2)
        return 0;
    luaL_checkstack(L, 8, "sorting");
    int from = 3, to = 4; /* scratch arrays, swapped after each pass */
    lua_createtable(L, (int)n, 0);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, 1, i);
        lua_rawseti(L, from, i);
    }
    for (lua_Integer width = 1; width < n; width *= 2) {
        for (lua_Integer lo = 1; lo <= n; lo += 2 * width) {
            lua_Integer mid = lo + width < n + 1 ? lo + width : n + 1;
            lua_Integer hi = lo + 2 * width < n + 1 ? lo + 2 * width : n + 1;
            lua_Integer i = lo, j = mid;
            for (lua_Integer k = lo; k < hi; k++) {
                bool right = false;
                if (i < mid && j < hi) {
                    lua_rawgeti(L, from, j);
                    lua_rawgeti(L, from, i);
                    right = sorts_before(L, -2, -1); /* only a strictly smaller right one goes first */
                    lua_pop(L, 2);
                } else {
                    right = i >= mid;
                }
                lua_rawgeti(L, from, right ? j++ : i++);
                lua_rawseti(L, to, k);
            }
        }
        int t = from;
        from = to;
        to = t;
    }
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, from, i);
        lua_seti(L, 1, i);
    }
    return 0;
}

/* setmetatable(t, mt) with no __gc (see above); otherwise as the stock one. */
static int checked_setmetatable(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    int t = lua_type(L, 2);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "setmetatable: __gc finalizers are not available in a scenario (they would run "
                                 "outside the instruction budget and the time limit)");
        lua_pop(L, 1);
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

/* ---- text without addresses --------------------------------------------------------------------

   Stock tostring shows tables, functions and userdata by address ("table: 0x55d0c8e3a2f0"),
   which differs from run to run: a scenario that used it as a name or a key would give
   different outputs each time. Each such value gets instead a number, in the order the
   scenario first asks for one ("table: #3"); the numbers live in a weak table, so they
   do not keep values alive. */

static const char object_ids_key = 'o';

void qs_push_text(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    int t = lua_type(L, idx);
    bool by_address = t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TUSERDATA || t == LUA_TTHREAD ||
                      t == LUA_TLIGHTUSERDATA;
    if (!by_address || luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
        if (by_address)
            lua_pop(L, 1);
        luaL_tolstring(L, idx, NULL);
        return;
    }
    luaL_checkstack(L, 4, "naming a value");
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &object_ids_key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_pushinteger(L, 0); /* the counter, under a key no scenario value can be */
        lua_rawsetp(L, -2, &object_ids_key);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &object_ids_key);
    }
    lua_pushvalue(L, idx);
    lua_Integer id;
    if (lua_rawget(L, -2) == LUA_TNUMBER) {
        id = lua_tointeger(L, -1);
    } else {
        lua_rawgetp(L, -2, &object_ids_key);
        id = lua_tointeger(L, -1) + 1;
        lua_pop(L, 1);
        lua_pushinteger(L, id);
        lua_rawsetp(L, -3, &object_ids_key);
        lua_pushvalue(L, idx);
        lua_pushinteger(L, id);
        lua_rawset(L, -4);
    }
    lua_pop(L, 2);
    lua_pushfstring(L, "%s: #%I", luaL_typename(L, idx), id);
}

static int checked_tostring(lua_State *L)
{
    luaL_checkany(L, 1);
    qs_push_text(L, 1);
    return 1;
}

/* string.format: '%p' is refused (an address), and '%s' of a value stock Lua would show by
 * address gets qs_push_text's number. */
static int checked_format(lua_State *L)
{
    size_t len;
    const char *fmt = luaL_checklstring(L, 1, &len);
    int arg = 1;
    for (size_t i = 0; i < len; i++) {
        if (fmt[i] != '%')
            continue;
        if (++i < len && fmt[i] == '%')
            continue;
        while (i < len && strchr("-+ #0123456789.", fmt[i]))
            i++;
        arg++;
        if (i < len && fmt[i] == 'p')
            return luaL_error(L, "string.format: '%%p' is not available in a scenario (addresses differ from "
                                 "run to run)");
        if (i < len && fmt[i] == 's' && arg <= lua_gettop(L)) {
            qs_push_text(L, arg);
            lua_replace(L, arg);
        }
    }
    return call_stock(L);
}

static void wrap(lua_State *L, int lib, const char *name, lua_CFunction checked)
{
    lua_getfield(L, lib, name);
    lua_pushstring(L, name);
    lua_pushcclosure(L, checked, 2);
    lua_setfield(L, lib, name);
}

void qs_harden_libraries(lua_State *L)
{
    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    lua_pushcfunction(L, checked_setmetatable);
    lua_setfield(L, g, "setmetatable");
    lua_pushcfunction(L, checked_tostring);
    lua_setfield(L, g, "tostring");
    if (lua_getfield(L, g, LUA_STRLIBNAME) == LUA_TTABLE) {
        int s = lua_gettop(L);
        wrap(L, s, "find", checked_find);
        wrap(L, s, "match", checked_match);
        wrap(L, s, "gmatch", checked_gmatch);
        wrap(L, s, "gsub", checked_gsub);
        wrap(L, s, "rep", checked_rep);
        wrap(L, s, "format", checked_format);
    }
    lua_pop(L, 1);
    if (lua_getfield(L, g, LUA_TABLIBNAME) == LUA_TTABLE) {
        int t = lua_gettop(L);
        lua_pushcfunction(L, checked_move);
        lua_setfield(L, t, "move");
        lua_pushcfunction(L, stable_sort);
        lua_setfield(L, t, "sort");
        lua_pushcfunction(L, checked_insert);
        lua_setfield(L, t, "insert");
        lua_pushcfunction(L, checked_remove);
        lua_setfield(L, t, "remove");
    }
    lua_pop(L, 2);
}
