/* Progress on a terminal: done/total, elapsed and an estimate of the time remaining. */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void cli_progress_start(cli_progress *p, const char *what, bool quiet)
{
    p->what = what;
    p->start = now();
    p->last = 0.0;
    /* only for a person at a terminal: never in CI logs, pipes or with --quiet */
    p->enabled = !quiet && isatty(STDERR_FILENO);
}

static void print_duration(double seconds)
{
    long s = (long)(seconds + 0.5);
    if (s < 60)
        fprintf(stderr, "%lds", s);
    else if (s < 3600)
        fprintf(stderr, "%ldm%02lds", s / 60, s % 60);
    else
        fprintf(stderr, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
}

void cli_progress_update(cli_progress *p, int64_t done, int64_t total)
{
    if (!p->enabled)
        return;
    double t = now(), elapsed = t - p->start;
    if (done < total && t - p->last < 0.2)
        return; /* at most five redraws a second */
    p->last = t;
    int width = 30, filled = total ? (int)(width * done / total) : width;
    fprintf(stderr, "\r%s [", p->what);
    for (int i = 0; i < width; i++)
        fputc(i < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %lld/%lld  ", (long long)done, (long long)total);
    print_duration(elapsed);
    if (done > 0 && done < total) {
        fputs(" elapsed, ~", stderr);
        print_duration(elapsed * (double)(total - done) / (double)done);
        fputs(" left   ", stderr);
    } else {
        fputs(" elapsed            ", stderr);
    }
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}
