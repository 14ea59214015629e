/* The error record: one formatted message per failure, returned up the call chain; and the
 * "did you mean" suggestion its messages offer. */
#include "qisim/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int qisim_err_set(qisim_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void qisim_err_clear(qisim_err *err)
{
    if (err) {
        err->code = QISIM_OK;
        err->msg[0] = '\0';
    }
}

enum { SUGGEST_MAX_LEN = 64 };

/* Levenshtein distance, or SUGGEST_MAX_LEN when either string is too long to bother. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na >= SUGGEST_MAX_LEN || nb >= SUGGEST_MAX_LEN)
        return SUGGEST_MAX_LEN;
    size_t row[SUGGEST_MAX_LEN + 1];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

const char *qisim_suggest(const char *s, const char *const names[])
{
    size_t len = strlen(s);
    size_t allowed = len <= 3 ? 1 : len <= 6 ? 2 : 3; /* short names: only a one-letter slip */
    const char *best = NULL;
    size_t best_d = allowed + 1;
    for (size_t k = 0; names[k]; k++) {
        size_t d = edit_distance(s, names[k]);
        if (d < best_d) { /* first of equals wins: the list order is fixed */
            best_d = d;
            best = names[k];
        }
    }
    return best;
}
