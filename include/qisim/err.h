/* Status codes and the error record every fallible qisim function fills. */
#ifndef QISIM_ERR_H
#define QISIM_ERR_H

enum qisim_status {
    QISIM_OK = 0,
    QISIM_EINVAL = -1,   /* an argument or parameter is out of range or malformed */
    QISIM_ENOMEM = -2,   /* an allocation failed */
    QISIM_EIO = -3,      /* a file could not be read or written */
    QISIM_ESCRIPT = -4,  /* the scenario script raised an error */
    QISIM_ELIMIT = -5    /* a fixed capacity or the instruction budget was exceeded */
};

/* The message names what was wrong (parameter, file, line); it never ends in a newline. */
typedef struct qisim_err {
    int code;
    char msg[1024];
} qisim_err;

/* Records code and a printf-style message in err (which may be NULL) and returns code,
 * so callers can write `return qisim_err_set(err, QISIM_EINVAL, "...", ...);`. */
int qisim_err_set(qisim_err *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Clears err to QISIM_OK with an empty message. */
void qisim_err_clear(qisim_err *err);

/* The name in the NULL-terminated list names nearest to s (Levenshtein distance), for a "did
 * you mean" in a message; NULL when none is near enough (one edit for names of up to 3
 * characters, two up to 6, three beyond). Ties go to the first in the list. */
const char *qisim_suggest(const char *s, const char *const names[]);

#endif
