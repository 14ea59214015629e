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

#endif
