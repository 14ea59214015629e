/* Inlines Debian's Chart.js into a page so that it opens offline (shared by qisim report and qisim play). */
#include "qisim/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CHARTJS_DEBIAN "/usr/share/javascript/chart.js/chart.min.js"

int qisim_chartjs_inline(FILE *fp, const char *path, qisim_err *err)
{
    if (!path) {
        const char *env = getenv("QISIM_CHARTJS");
        path = env && *env ? env : CHARTJS_DEBIAN;
    }
    FILE *in = fopen(path, "rb");
    if (!in)
        return qisim_err_set(err, QISIM_EIO, "cannot read %s: %s (Chart.js: install Debian's libjs-chart.js, or set QISIM_CHARTJS)",
                             path, strerror(errno));
    fputs("<script>\n", fp);
    /* Streamed in blocks; a "</script" split across two blocks is caught by keeping the last
     * few bytes of each block in front of the next one's search. */
    char buf[65536 + 8];
    size_t keep = 0;
    int rc = QISIM_OK;
    for (;;) {
        size_t got = fread(buf + keep, 1, sizeof buf - 1 - keep, in);
        if (got == 0) {
            if (ferror(in))
                rc = qisim_err_set(err, QISIM_EIO, "cannot read %s", path);
            break;
        }
        size_t n = keep + got;
        buf[n] = '\0';
        for (size_t i = 0; i + 8 <= n; i++)
            if (buf[i] == '<' && strncasecmp(buf + i, "</script", 8) == 0) {
                rc = qisim_err_set(err, QISIM_EINVAL, "%s holds \"</script\": it cannot be inlined in a page", path);
                break;
            }
        if (rc)
            break;
        size_t out = n > 7 ? n - 7 : 0;
        fwrite(buf, 1, out, fp);
        memmove(buf, buf + out, n - out);
        keep = n - out;
    }
    if (!rc)
        fwrite(buf, 1, keep, fp);
    fclose(in);
    fputs("\n</script>\n", fp);
    return rc;
}
