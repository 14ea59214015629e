/* Progress on a terminal for long runs and sweeps; silent otherwise. */
#ifndef QISIM_CLI_PROGRESS_H
#define QISIM_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct cli_progress {
    const char *what;
    double start, last;
    bool enabled;
} cli_progress;

/* Enabled only when stderr is a terminal and not quiet. */
void cli_progress_start(cli_progress *p, const char *what, bool quiet);
/* Redraws the bar (at most five times a second, and at the end). */
void cli_progress_update(cli_progress *p, int64_t done, int64_t total);

#endif
