/* Private to src/lua: the scenario state, entity handles, and the argument helpers every binding shares. */
#ifndef QISIM_LUA_BIND_H
#define QISIM_LUA_BIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lauxlib.h>
#include <lua.h>

#include "qisim/err.h"
#include "qisim/scenario.h"
#include "qisim/world.h"

/* ---- limits shared by every Lua state (limits.c) ----------------------------------------------- */

/* A scenario builds a world; it never needs much Lua heap. Past its soft limit a state's
 * count hook raises an error at the running line; past the process limit, which all
 * states of all threads share, an allocation fails outright. */
#define QS_HEAP_SOFT_LIMIT ((size_t)512 * 1024 * 1024)
#define QS_HEAP_PROCESS_LIMIT ((size_t)1024 * 1024 * 1024)
/* The most elements table.move, insert and remove may touch in one call: what the soft
 * heap limit could hold as array slots. */
#define QS_MAX_ELEMENTS ((lua_Integer)(QS_HEAP_SOFT_LIMIT / 16))
/* The most worst-case steps a pattern match may take: seconds, not years (a match whose
 * bound was 5e10, gmatch('^^-x') over 100,000 '^', took 47 s in stock Lua). */
#define QS_MAX_PATTERN_STEPS 1e10
/* Scenario and experiment files are small programs. */
enum { QS_MAX_SOURCE_BYTES = 16 * 1024 * 1024 };

/* One state's heap: what it holds and which limit it met. */
typedef struct qs_heap {
    size_t used, soft_limit;
    bool soft_limit_hit, process_limit_hit;
} qs_heap;

/* The lua_Alloc of every state: ud is the state's qs_heap. */
void *qs_heap_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
/* Bytes all Lua states of the process hold now. */
size_t qs_heap_process_used(void);
/* QISIM_OK, or an error when path is not a regular file or is too large to be a Lua file. */
int qs_check_source_file(const char *path, qisim_err *err);
/* Bytes of memory the system can still give (MemAvailable of /proc/meminfo, else free
 * pages), 0 when unknown. */
size_t qs_memory_available(void);
/* For tests: pretend only `bytes` are available (0: ask the system again). */
void qs_set_memory_available(size_t bytes);
/* Seconds on a monotonic clock. */
double qs_now(void);
/* The watchdog: while registered, a state whose deadline (qs_now() seconds) has passed gets
 * `hook` set to run at its next instruction, from a thread of its own (limits.c says why).
 * The struct lives with the state's owner; stop before lua_close. */
typedef struct qs_watch {
    lua_State *L;
    lua_Hook hook;
    double deadline;
    struct qs_watch *next;
} qs_watch;
void qs_watch_start(qs_watch *w, lua_State *L, lua_Hook hook, double deadline);
void qs_watch_stop(qs_watch *w);
/* Moves a registered state's deadline (HUGE_VAL: none for now). */
void qs_watch_set(qs_watch *w, double deadline);
/* The time limit in seconds set by qisim_scenario_set_time_limit (0: none). */
double qs_time_limit(void);

/* Replaces the library functions that could loop in C or expose addresses with checked
 * ones (setmetatable, tostring, string.find/match/gmatch/gsub/rep/format, table.move/insert/
 * remove): after the libraries are open, before anything else uses them. */
void qs_harden_libraries(lua_State *L);
/* Pushes tostring's text for the value at idx, numbering what stock Lua shows by address. */
void qs_push_text(lua_State *L, int idx);

/* ---- the scenario state ------------------------------------------------------------------- */

struct qisim_scenario {
    lua_State *L;
    qisim_world *w;
    char *path;               /* as given: messages show it */
    char *name;               /* scenario{ name } or the file's base name */
    char *description;        /* scenario{ description } or NULL */
    int32_t weeks;
    bool scenario_called;     /* scenario{} may be called once */
    bool network_called;      /* network{} likewise */
    bool loading;             /* the file's main chunk is running: building is allowed */
    bool aggregates_stale;    /* built or changed before week 0: recompute before reading metrics */
    /* record{}: metrics accumulate over calls; levels and every default when never given */
    qisim_record record;
    /* arguments given to the run (--arg name=value), and which of them arg() has read */
    const qisim_assignments *args;
    bool args_read[64];
    bool record_called, record_levels_given;
    int32_t record_every_given; /* 0 when no call gave every */
    /* the instruction budget of the current run (file load or one callback) */
    int64_t budget, used;
    bool budget_exceeded;
    /* the Lua heap, bounded so a runaway table cannot take the machine */
    qs_heap heap;
    /* the wall clock: time_limit seconds of Lua in all (0: none), lua_seconds of them used;
     * deadline, in qs_now() seconds, ends the running call (HUGE_VAL between calls) */
    double time_limit, lua_seconds, deadline;
    bool time_exceeded;
    qs_watch watch;
    /* system memory when the first trust{} asked (0: not yet, or unknown) */
    size_t memory_available;
    /* exercise{} (bind_exercise.c): its declaration, NULL in a plain scenario; game{} of a
     * saved game gives the groups and choices instead of --arg */
    struct qisim_exercise *exercise;
    bool game_called;
    int32_t game_groups;
    char *game_choices;
    /* a declaration file (experiment, pattern, calibration; w is NULL): what its API fills,
     * and the function that installs that API */
    void *decl;
    lua_CFunction decl_install;
};

/* The scenario a state belongs to (kept in the state's extra space: no registry lookup). */
static inline qisim_scenario *qs_scenario(lua_State *L)
{
    return *(qisim_scenario **)lua_getextraspace(L);
}

/* The Lua state of a scenario: for tests that check the stack around host calls. */
lua_State *qisim_scenario_lua(qisim_scenario *sc);

/* ---- handles -------------------------------------------------------------------------------- */

/* The first four kinds equal enum qisim_level, so a handle's kind is its metric level. */
enum qs_kind { QS_TEAM, QS_TRUST, QS_REGION, QS_SYSTEM, QS_REGULATOR, QS_N_KINDS };

/* What Lua holds for an entity: an id, never a pointer into arrays that grow. */
typedef struct qs_handle {
    int32_t kind;
    int32_t id;
} qs_handle;

/* Pushes the one handle of (kind, id): the same userdata every time, so handles compare
 * with == and work as table keys. */
void qs_push_handle(lua_State *L, int kind, int32_t id);
/* The id of the handle of `kind` at stack index arg, or a bad-argument error. */
int32_t qs_check_handle(lua_State *L, int arg, int kind);
/* The handle at idx if it is of `kind`, else NULL. */
qs_handle *qs_test_handle(lua_State *L, int idx, int kind);
/* "trust", "team", ... */
const char *qs_kind_name(int kind);

/* Pushes an array of the handles of every entity of `kind` with ids first..first+n-1. */
void qs_push_handle_array(lua_State *L, int kind, int32_t first, int32_t n);

/* A malloc'ed copy of s, or NULL when memory runs out. */
char *qs_copy_string(const char *s);

/* ---- argument checking ---------------------------------------------------------------------- */

/* Option names: the engine's qisim_*_names (qisim/world.h). */

/* A table argument: stack index `idx`, reported as argument `arg`, its fields named with
 * `prefix` (e.g. "board." for a nested table). */
typedef struct qs_table {
    lua_State *L;
    int arg, idx;
    const char *prefix;
} qs_table;

/* Checks that argument arg is a table and describes it. */
qs_table qs_check_table(lua_State *L, int arg);
/* Raises one error naming every key of t (sorted, so the message does not depend on pairs()
 * order) that is not in `allowed` (NULL-terminated); positional: the keys 1..#t are allowed. */
void qs_check_keys(const qs_table *t, const char *const allowed[], bool positional);

/* Each reads field `key` of t (raw access): false when the field is nil, otherwise checks its
 * type and range, raising a bad-argument error naming the field, and stores it in *out. */
bool qs_get_number(const qs_table *t, const char *key, double min, double max, double *out);
bool qs_get_integer(const qs_table *t, const char *key, lua_Integer min, lua_Integer max, lua_Integer *out);
bool qs_get_bool(const qs_table *t, const char *key, bool *out);
/* The string stays valid while the table holds it, i.e. for the rest of the binding call. */
bool qs_get_string(const qs_table *t, const char *key, const char **out);
/* The index in names of the field's value; `what` names the kind of option in messages. */
bool qs_get_option(const qs_table *t, const char *key, const char *what, const char *const names[], int *out);
/* A share 0..1 given as a number, or as one of names, which map to values[]. */
bool qs_get_level(const qs_table *t, const char *key, const char *const names[], const double values[],
                  double *out);
/* Pushes field key of t (raw) and returns its type. */
int qs_push_field(const qs_table *t, const char *key);

/* Plain (non-table) arguments, with the same message style. */
double qs_check_range(lua_State *L, int arg, double min, double max);
lua_Integer qs_check_int_range(lua_State *L, int arg, lua_Integer min, lua_Integer max);
int qs_check_option(lua_State *L, int arg, const char *what, const char *const names[]);
double qs_check_level(lua_State *L, int arg, const char *what, const char *const names[], const double values[]);
/* A boolean argument, strictly (nil or a number is an error, not false). */
bool qs_check_bool(lua_State *L, int arg);

/* The type of the value at idx for messages: a handle's kind ("trust"), else the Lua type.
 * For a handle it pushes the name: use only on the way to an error. */
const char *qs_typename(lua_State *L, int idx);

/* Raises a bad-argument error for a value at stack index idx that is not among names:
 * "unknown <what> '<value>'; expected a, b, c" (with a suggestion when one is close). */
int qs_option_error(lua_State *L, int arg, int idx, const char *field, const char *what,
                    const char *const names[]);
/* The name in names (NULL-terminated) closest to s by edit distance, if close enough. */
const char *qs_suggest(const char *s, const char *const names[]);

/* Turns an engine error into a Lua error at the caller's line: "<path>:<line>: fn: msg". */
void qs_check_engine(lua_State *L, int rc, const qisim_err *err, const char *fn);

/* Raises an error unless the scenario file is still loading (building calls). */
void qs_check_loading(lua_State *L, const char *fn);

/* Recomputes aggregates if the world was built or changed before week 0 (metric reads). */
void qs_fresh_aggregates(lua_State *L);
/* Marks aggregates stale after an intervention before week 0. */
void qs_touched(lua_State *L);

/* ---- installing the API ----------------------------------------------------------------------- */

void qs_open_sandbox(lua_State *L);      /* sandbox.c: libraries, load, print, math.random */
void qs_protect_globals(lua_State *L);   /* sandbox.c: strict globals, after everything is installed */
void qs_open_world(lua_State *L);        /* bind_world.c: builders, handles, reads, record */
void qs_open_schedule(lua_State *L);     /* bind_schedule.c: at, every, when */
void qs_open_interventions(lua_State *L);/* bind_interventions.c: global interventions */
void qs_open_exercise(lua_State *L);     /* bind_exercise.c: exercise, game */

/* Method tables of the handle kinds (bind_interventions.c), NULL-name terminated. */
extern const luaL_Reg qs_trust_methods[];
extern const luaL_Reg qs_regulator_methods[];
/* region:academy{ weeks } (bind_interventions.c), a region method listed in bind_world.c. */
int qs_region_academy(lua_State *L);

/* Loads a declaration file (an experiment, pattern or calibration file: no world) through
 * the scenario host: the same sandbox, strict globals, instruction budget, heap cap, wall
 * clock and one-line "path:line:" errors. install (run protected, after the sandbox) adds
 * the file kind's API, whose bindings reach `decl` as qs_scenario(L)->decl. */
int qs_load_declaration(const char *path, lua_CFunction install, void *decl, qisim_err *err);

/* Sets the default record (host.c) when the scenario never called record{}; fills levels and
 * every when record{} gave none. */
void qs_record_defaults(qisim_scenario *sc);

#endif
