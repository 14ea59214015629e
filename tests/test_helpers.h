/* Shared by the cmocka tests: includes in the order cmocka 1.1.5 needs, and a double compare
 * (cmocka's assert_float_equal casts to float). */
#ifndef QISIM_TEST_HELPERS_H
#define QISIM_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "qisim/world.h"

#define assert_close(a, b, tol) assert_close_at((a), (b), (tol), #a, __FILE__, __LINE__)

static inline void assert_close_at(double a, double b, double tol, const char *what, const char *file, int line)
{
    if (!(fabs(a - b) <= tol)) {
        print_error("%s = %.10g, expected %.10g within %.3g\n", what, a, b, tol);
        _fail(file, line);
    }
}

/* The qisim binary the end-to-end tests run: $QISIM, or build/qisim. */
static inline const char *test_qisim_binary(void)
{
    const char *b = getenv("QISIM");
    return b && *b ? b : "build/qisim";
}

/* Creates a fresh directory /tmp/qisim-<name>-XXXXXX in dir (size bytes); 0 or -1. */
static inline int test_make_dir(char *dir, size_t size, const char *name)
{
    snprintf(dir, size, "/tmp/qisim-%s-XXXXXX", name);
    return mkdtemp(dir) ? 0 : -1;
}

/* Removes a directory made by test_make_dir and everything in it; 0 or -1. */
static inline int test_remove_dir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Adds a region and `trusts` trusts ("Trust 0", ...) of `teams` teams of `size` staff each,
 * with the trust defaults; asserts that each is built. */
static inline void test_add_trusts(qisim_world *w, int32_t trusts, int32_t teams, int32_t size)
{
    qisim_err err;
    int32_t region, id;
    assert_int_equal(qisim_world_add_region(w, "Region", &region, &err), QISIM_OK);
    int32_t *sizes = malloc((size_t)teams * sizeof *sizes);
    assert_non_null(sizes);
    for (int32_t t = 0; t < teams; t++)
        sizes[t] = size;
    for (int32_t k = 0; k < trusts; k++) {
        qisim_trust_spec s;
        char name[32];
        qisim_trust_spec_defaults(&s);
        snprintf(name, sizeof name, "Trust %d", (int)k);
        s.name = name;
        s.region = region;
        s.team_sizes = sizes;
        s.n_team_sizes = teams;
        assert_int_equal(qisim_world_add_trust(w, &s, &id, &err), QISIM_OK);
        assert_int_equal(id, w->n_trusts - 1);
    }
    free(sizes);
}

/* A whole file as a NUL-terminated string (its length in *len when len is given); NULL when it
 * cannot be read. The caller frees it. */
static inline char *test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    fclose(f);
    if (len)
        *len = got;
    return buf;
}

/* A qisim command's exit status (124 when the time limit killed it) and what it printed. */
typedef struct test_result {
    int status;
    char out[65536], err[65536];
} test_result;

/* Runs `qisim ARGS` with stdout and stderr captured in files of dir, stopped after `seconds`
 * (0: no limit). */
static inline void test_run(test_result *r, const char *dir, const char *args, int seconds)
{
    char cmd[2400], out[300], err[300], limit[32] = "";
    snprintf(out, sizeof out, "%s/stdout", dir);
    snprintf(err, sizeof err, "%s/stderr", dir);
    if (seconds > 0)
        snprintf(limit, sizeof limit, "timeout %d ", seconds);
    snprintf(cmd, sizeof cmd, "%s%s %s >%s 2>%s </dev/null", limit, test_qisim_binary(), args, out, err);
    int s = system(cmd);
    r->status = WIFEXITED(s) ? WEXITSTATUS(s) : -1;
    char *o = test_slurp(out, NULL), *e = test_slurp(err, NULL);
    snprintf(r->out, sizeof r->out, "%s", o ? o : "");
    snprintf(r->err, sizeof r->err, "%s", e ? e : "");
    free(o);
    free(e);
}

/* Writes text to dir/name and its path into path. */
static inline void test_write_file(const char *dir, const char *name, const char *text, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#endif
