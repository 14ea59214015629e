/* The scenario host: runs a Lua 5.4 scenario file in a sandbox against one world.
 * The only module that knows Lua; callers see an opaque handle. */
#ifndef QISIM_SCENARIO_H
#define QISIM_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "qisim/err.h"
#include "qisim/metrics.h"
#include "qisim/world.h"

enum { QISIM_MAX_RECORD = 64 };

/* What the scenario asked to record: metrics, at which levels, how often. */
typedef struct qisim_record {
    int metrics[QISIM_MAX_RECORD];
    int n_metrics;
    bool levels[QISIM_N_LEVELS];
    int32_t every;               /* weeks between records (week 0 is the state before any step) */
} qisim_record;

typedef struct qisim_scenario qisim_scenario;

/* A list of "name=value" texts: parameter overrides (--set) or scenario arguments (--arg). */
typedef struct qisim_assignments {
    const char *const *items;
    int n;
} qisim_assignments;

/* Instruction budgets (VM instructions counted by a hook), per load and per callback. */
enum { QISIM_LOAD_BUDGET = 200000000, QISIM_CALLBACK_BUDGET = 50000000 };

/* A wall clock beside the instruction budget: each scenario loaded afterwards in this process
 * (one per replicate) may run Lua for `seconds` in all, its load and every callback (the
 * model's own weeks in between do not count); past it, the running line raises an error
 * (QISIM_ELIMIT). 0 turns it off. Call before starting threads. */
#define QISIM_DEFAULT_TIME_LIMIT 600.0
void qisim_scenario_set_time_limit(double seconds);

/* Loads and runs the scenario file at path in a fresh sandboxed Lua state bound to w: it
 * builds the world, sets parameters, schedules actions and declares records. args (may be
 * NULL) are the scenario's arguments, read in Lua with arg(name, default); an argument the
 * file never reads while loading is an error (it is most likely a typo).
 * On error returns NULL and fills err with a one-line message "path:line: ...". */
qisim_scenario *qisim_scenario_load(const char *path, qisim_world *w, const qisim_assignments *args,
                                    qisim_err *err);
void qisim_scenario_free(qisim_scenario *sc);

/* The host through which the world calls scheduled actions. */
qisim_host qisim_scenario_host(qisim_scenario *sc);

/* From scenario{ name = ..., weeks = ... }: name defaults to the file's base name without
 * .lua, weeks to 520. */
const char *qisim_scenario_name(const qisim_scenario *sc);
int32_t qisim_scenario_weeks(const qisim_scenario *sc);
const qisim_record *qisim_scenario_record(const qisim_scenario *sc);

#endif
