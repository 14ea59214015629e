/* One replicate's output captured in memory as a typed frame: what the job pool hands to a sink. */
#ifndef QISIM_RUN_REPLICATE_H
#define QISIM_RUN_REPLICATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "qisim/results.h"
#include "qisim/run.h"

/* One replicate's output: its frame (series values, events, entities of replicate 0's world,
 * memberships) and how the replicate ended. Zero it before run_captured. */
typedef struct capture {
    qisim_frame frame;
    char *warnings;              /* warning lines, shown by the process that hands out the output */
    size_t warnings_len;
    FILE *warnings_fp;
    int32_t *seen;               /* per team its collaborative, then per trust its peer network
                                    and its exemplar partner, as last recorded (-1: none) */
    int32_t n_seen;
    char scenario_name[256];
    int32_t weeks;
    qisim_params params;         /* in force at week 0 */
    int rc;
    qisim_err err;
    bool began;                  /* the scenario loaded and the replicate started */
    bool done;
} capture;

/* Runs job into c (zeroed): c->rc and c->err say how it ended, c->began whether its scenario
 * loaded and started; the frame is valid until capture_release. Never fails otherwise. */
void run_captured(const qisim_job *job, capture *c);

/* Frees what run_captured allocated and zeroes c (also a zeroed or failed capture). */
void capture_release(capture *c);

#endif
