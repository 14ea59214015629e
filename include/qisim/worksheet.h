/* An exercise's worksheet (Markdown) as a printable HTML page: shared by qisim play's server
 * and `qisim play --worksheet`. */
#ifndef QISIM_PLAY_WORKSHEET_H
#define QISIM_PLAY_WORKSHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "qisim/err.h"

enum { QISIM_WORKSHEET_MAX = 256 * 1024 }; /* bytes of Markdown: a worksheet is one page */

/* The print stylesheet (A4), linked by the served page as /worksheet.css. */
extern const char qisim_worksheet_css[];

/* Renders the Markdown md (len bytes) to a whole HTML page, malloc'ed and NUL-terminated in
 * *out (*out_len bytes). Only the subset the worksheets use is markup: # headings, paragraphs,
 * - and 1. lists, | tables, **bold**, *italic*, `code` and [text](url) links to http(s),
 * mailto or relative addresses; everything else is escaped text. standalone puts the
 * stylesheet in the page (a file to print); otherwise it links /worksheet.css (the server's
 * Content-Security-Policy allows no inline style). */
int qisim_worksheet_html(const char *md, size_t len, bool standalone, char **out, size_t *out_len, qisim_err *err);

/* The worksheet of the exercise at exercise_path: the .md file beside it with the same base
 * name, read and rendered. *found is false (and QISIM_OK returned) when there is none. */
int qisim_worksheet_for_exercise(const char *exercise_path, bool standalone, bool *found, char **out,
                                 size_t *out_len, qisim_err *err);

#endif
