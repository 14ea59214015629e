/* The lean reference loop qisim bench measures the model against (issue 13, item 7). */
#ifndef QISIM_BENCH_H
#define QISIM_BENCH_H

#include <stdint.h>

#include "qisim/err.h"

/* What one lean run measured. */
typedef struct qisim_lean_result {
    double cpu_seconds;   /* process CPU time of the weekly loop alone (allocation excluded) */
    int64_t staff_weeks;  /* staff x weeks stepped */
    double mean_knowhow;  /* over all staff after the last week: a checksum that keeps the
                             loop's work observable (and so not optimised away) */
} qisim_lean_result;

/* Steps a bare world of the given shape for `weeks` weeks: staff as a struct of arrays in
 * n_teams contiguous teams of team_sizes[t] members (as qisim's teams are), and per
 * staff-week one PCG32 draw, one update of the member's know-how from last week's team share
 * practising, and one addition to its team's aggregate for next week. It is what the model
 * would cost if every mechanism were that cheap, so qisim's speed over it is a ratio that
 * does not depend on the machine. Deterministic in seed. QISIM_EINVAL on a bad shape
 * (n_teams < 1, a negative size, no staff, weeks < 1), QISIM_ENOMEM when the arrays cannot
 * be allocated; out is filled on QISIM_OK only. */
/* Process CPU seconds so far (CLOCK_PROCESS_CPUTIME_ID): the clock both speeds are read by. */
double qisim_cpu_seconds(void);

int qisim_lean_run(const int32_t *team_sizes, int32_t n_teams, int32_t weeks, uint64_t seed,
                   qisim_lean_result *out, qisim_err *err);

#endif
