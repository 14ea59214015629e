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

#define assert_close(a, b, tol) assert_close_at((a), (b), (tol), #a, __FILE__, __LINE__)

static inline void assert_close_at(double a, double b, double tol, const char *what, const char *file, int line)
{
    if (!(fabs(a - b) <= tol)) {
        print_error("%s = %.10g, expected %.10g within %.3g\n", what, a, b, tol);
        _fail(file, line);
    }
}

#endif
