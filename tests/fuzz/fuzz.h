/* Shared by the libFuzzer harnesses: the readers under test take file names, so each input is
 * written to a per-process scratch file first. */
#ifndef QISIM_FUZZ_H
#define QISIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The scratch directory: $TMPDIR (scripts/run-fuzz points it into the build tree) or /tmp. */
static inline const char *fuzz_tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

/* Writes n bytes to <tmpdir>/qisim-fuzz-<pid>-<name> and returns that path (static storage);
 * NULL if it cannot be written, which the harness treats as nothing to test. */
static inline const char *fuzz_file(const char *name, const void *data, size_t n)
{
    static char paths[4][512];
    static int next;
    char *path = paths[next++ % 4];
    snprintf(path, sizeof paths[0], "%s/qisim-fuzz-%ld-%s", fuzz_tmpdir(), (long)getpid(), name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    size_t put = n ? fwrite(data, 1, n, f) : 0;
    if (fclose(f) != 0 || put != n)
        return NULL;
    return path;
}

#endif
