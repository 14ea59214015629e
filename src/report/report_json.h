/* Inside src/report: JSON values safe in an HTML <script> element, and the sweep section. */
#ifndef QISIM_REPORT_JSON_H
#define QISIM_REPORT_JSON_H

#include <stdio.h>

#include "qisim/report.h"

/* A JSON string with '<', '>' and '&' as \u escapes, so that no text of a run ends the element;
 * NULL as null. */
void report_json_text(FILE *fp, const char *s);

/* Four significant digits (plenty for a chart); NaN and infinities as null. */
void report_json_number(FILE *fp, double x);

/* The sweep database's section as one JSON object: meta, point values, outcome means per point
 * at the last week, and the Morris ranking for a Morris design. QISIM_EINVAL / QISIM_EIO
 * naming the database when it is not a qisim results database. */
int report_write_sweep(FILE *fp, const char *database, const char *label, qisim_err *err);

#endif
