/* The error record: one formatted message per failure, returned up the call chain. */
#include "qisim/err.h"

#include <stdarg.h>
#include <stdio.h>

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
