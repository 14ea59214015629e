/* The report page's script and style, built from src/report/page.js and page.css by scripts/embed-text. */
#ifndef QISIM_REPORT_PAGE_H
#define QISIM_REPORT_PAGE_H

/* Lines of text, each ending in a newline, then a null pointer. */
extern const char *const qisim_report_page_js[];
extern const char *const qisim_report_page_css[];

#endif
