/* Renders an exercise's worksheet (the Markdown subset the worksheets use) to printable HTML. */
#include "qisim/worksheet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char qisim_worksheet_css[] =
    "@page { size: A4; margin: 15mm 17mm; }\n"
    "html { font: 11pt/1.4 \"DejaVu Serif\", Georgia, serif; color: #000; background: #fff; }\n"
    "body { max-width: 46em; margin: 1em auto; padding: 0 1em; }\n"
    "h1 { font-size: 1.45em; margin: 0 0 .5em; }\n"
    "h2 { font-size: 1.12em; margin: 1em 0 .3em; border-bottom: 1px solid #777; }\n"
    "h3, h4, h5, h6 { font-size: 1em; margin: .8em 0 .2em; }\n"
    "p, li { margin: .3em 0; }\n"
    "code { font-family: \"DejaVu Sans Mono\", monospace; font-size: .86em; overflow-wrap: anywhere; word-break: break-all; }\n"
    "table { border-collapse: collapse; margin: .5em 0; font-size: .92em; }\n"
    "th, td { border: 1px solid #666; padding: .15em .4em; text-align: left; vertical-align: top; }\n"
    "a { color: inherit; }\n"
    "@media print {\n"
    "  html { font-size: 10pt; }\n"
    "  body { max-width: none; margin: 0; padding: 0; }\n"
    "  h1, h2, h3 { break-after: avoid; }\n"
    "  tr, li { break-inside: avoid; }\n"
    "  a[href^=\"http\"]::after { content: \" (\" attr(href) \")\"; }\n"
    "}\n";

enum { MAX_NESTING = 4 }; /* **bold *italic* bold**: deeper nesting stays text */

/* Text as HTML: the five special characters escaped, control characters (but tabs) dropped. */
static void escape(FILE *fp, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&#39;", fp); break;
        default:
            if (ch >= 0x20 || ch == '\t')
                fputc(ch, fp);
        }
    }
}

/* Whether a link may be followed: http, https and mailto, or a relative address (no scheme);
 * javascript:, data: and the rest are refused, as is anything with spaces or controls. */
static bool safe_url(const char *u, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)u[i] <= 0x20 || u[i] == 0x7f || u[i] == '\\')
            return false;
    size_t k = strcspn(u, ":/?#");
    if (k >= n || u[k] != ':')
        return true;
    return (k == 4 && strncasecmp(u, "http", 4) == 0) || (k == 5 && strncasecmp(u, "https", 5) == 0) ||
           (k == 6 && strncasecmp(u, "mailto", 6) == 0);
}

static const char *find(const char *s, size_t n, char ch)
{
    return n ? memchr(s, ch, n) : NULL;
}

/* Where the emphasis opened at s[from - width] closes: "**" for bold, a single '*' for italic. */
static size_t closing(const char *s, size_t n, size_t from, bool strong)
{
    for (size_t j = from; j < n; j++) {
        if (s[j] == '`') {               /* a code span is opaque */
            const char *e = find(s + j + 1, n - j - 1, '`');
            if (e)
                j = (size_t)(e - s);
            continue;
        }
        if (s[j] != '*')
            continue;
        bool pair = j + 1 < n && s[j + 1] == '*';
        if (strong && pair)
            return j;
        if (!strong && !pair)
            return j;
        if (pair)
            j++;
    }
    return n;
}

static void render_inline(FILE *fp, const char *s, size_t n, int depth)
{
    size_t i = 0;
    while (i < n) {
        char ch = s[i];
        if (ch == '`') {
            const char *e = find(s + i + 1, n - i - 1, '`');
            if (e) {
                fputs("<code>", fp);
                escape(fp, s + i + 1, (size_t)(e - s) - i - 1);
                fputs("</code>", fp);
                i = (size_t)(e - s) + 1;
                continue;
            }
        } else if (ch == '*' && depth < MAX_NESTING) {
            bool strong = i + 1 < n && s[i + 1] == '*';
            size_t w = strong ? 2 : 1;
            size_t j = closing(s, n, i + w, strong);
            if (j < n && j > i + w) {
                fputs(strong ? "<strong>" : "<em>", fp);
                render_inline(fp, s + i + w, j - i - w, depth + 1);
                fputs(strong ? "</strong>" : "</em>", fp);
                i = j + w;
                continue;
            }
        } else if (ch == '[' && depth < MAX_NESTING) {
            const char *close = find(s + i + 1, n - i - 1, ']');
            size_t k = close ? (size_t)(close - s) : n;
            const char *end = k + 1 < n && s[k + 1] == '(' ? find(s + k + 2, n - k - 2, ')') : NULL;
            if (end) {
                size_t m = (size_t)(end - s);
                bool ok = safe_url(s + k + 2, m - k - 2);
                if (ok) {
                    fputs("<a href=\"", fp);
                    escape(fp, s + k + 2, m - k - 2);
                    fputs("\">", fp);
                }
                render_inline(fp, s + i + 1, k - i - 1, depth + 1);
                if (ok)
                    fputs("</a>", fp);
                i = m + 1;
                continue;
            }
        }
        escape(fp, s + i, 1);
        i++;
    }
}

typedef enum { B_NONE, B_PARA, B_UL, B_OL, B_TABLE } block;

typedef struct page {
    FILE *fp;
    block open;
    int table_rows;
    char *text;           /* the open paragraph's or list item's text, lines joined */
    size_t len, cap;
    bool oom;
} page;

static void add_text(page *p, const char *s, size_t n)
{
    if (p->len + n + 2 > p->cap) {
        size_t cap = (p->len + n + 2) * 2;
        char *t = realloc(p->text, cap);
        if (!t) {
            p->oom = true;
            return;
        }
        p->text = t;
        p->cap = cap;
    }
    if (p->len)
        p->text[p->len++] = ' ';
    memcpy(p->text + p->len, s, n);
    p->len += n;
}

/* Writes out the open paragraph or list item. */
static void flush_text(page *p)
{
    if (p->open == B_PARA || p->open == B_UL || p->open == B_OL) {
        fputs(p->open == B_PARA ? "<p>" : "<li>", p->fp);
        render_inline(p->fp, p->text, p->len, 0);
        fputs(p->open == B_PARA ? "</p>\n" : "</li>\n", p->fp);
    }
    p->len = 0;
}

static void close_block(page *p)
{
    flush_text(p);
    if (p->open == B_UL)
        fputs("</ul>\n", p->fp);
    else if (p->open == B_OL)
        fputs("</ol>\n", p->fp);
    else if (p->open == B_TABLE)
        fputs(p->table_rows > 1 ? "</tbody></table>\n" : "</table>\n", p->fp);
    p->open = B_NONE;
}

static bool is_rule_row(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr("|-: \t", s[i]))
            return false;
    return true;
}

static void table_row(page *p, const char *s, size_t n)
{
    if (is_rule_row(s, n))
        return;
    if (p->open != B_TABLE) {
        close_block(p);
        p->open = B_TABLE;
        p->table_rows = 0;
        fputs("<table>\n", p->fp);
    }
    bool head = p->table_rows == 0;
    if (p->table_rows == 1)
        fputs("<tbody>\n", p->fp);
    p->table_rows++;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '|'))
        n--;
    s++, n--;                             /* the leading '|' */
    fputs(head ? "<thead><tr>" : "<tr>", p->fp);
    for (;;) {
        const char *bar = find(s, n, '|');
        size_t w = bar ? (size_t)(bar - s) : n;
        size_t a = 0, b = w;
        while (a < b && s[a] == ' ')
            a++;
        while (b > a && s[b - 1] == ' ')
            b--;
        fputs(head ? "<th>" : "<td>", p->fp);
        render_inline(p->fp, s + a, b - a, 0);
        fputs(head ? "</th>" : "</td>", p->fp);
        if (!bar)
            break;
        s += w + 1;
        n -= w + 1;
    }
    fputs(head ? "</tr></thead>\n" : "</tr>\n", p->fp);
}

/* The item's number if s starts a numbered item ("12. "), else 0; *skip is the marker's width. */
static long item_number(const char *s, size_t n, size_t *skip)
{
    size_t d = 0;
    while (d < n && d < 9 && s[d] >= '0' && s[d] <= '9')
        d++;
    if (d == 0 || d + 1 >= n || s[d] != '.' || s[d + 1] != ' ')
        return 0;
    *skip = d + 2;
    return strtol(s, NULL, 10);
}

static void line(page *p, const char *s, size_t n)
{
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    size_t indent = 0;
    while (indent < n && s[indent] == ' ')
        indent++;
    s += indent;
    n -= indent;
    if (n == 0) {
        close_block(p);
        return;
    }
    size_t h = 0;
    while (h < n && h < 7 && s[h] == '#')
        h++;
    if (h >= 1 && h <= 6 && h < n && s[h] == ' ') {
        close_block(p);
        fprintf(p->fp, "<h%zu>", h);
        render_inline(p->fp, s + h + 1, n - h - 1, 0);
        fprintf(p->fp, "</h%zu>\n", h);
        return;
    }
    if (s[0] == '|') {
        table_row(p, s, n);
        return;
    }
    size_t skip = 0;
    long number = item_number(s, n, &skip);
    bool bullet = n > 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ';
    if (bullet || number) {
        block want = bullet ? B_UL : B_OL;
        if (p->open == want) {
            flush_text(p);
        } else {
            close_block(p);
            p->open = want;
            if (want == B_UL)
                fputs("<ul>\n", p->fp);
            else if (number == 1)
                fputs("<ol>\n", p->fp);
            else
                fprintf(p->fp, "<ol start=\"%ld\">\n", number);
        }
        add_text(p, s + (bullet ? 2 : skip), n - (bullet ? 2 : skip));
        return;
    }
    if (p->open == B_TABLE)
        close_block(p);
    if (p->open == B_NONE)
        p->open = B_PARA;
    add_text(p, s, n);                    /* a paragraph's or a list item's next line */
}

/* The page's title: the first heading's text without its markup characters. */
static void title(FILE *fp, const char *md, size_t len)
{
    for (size_t i = 0; i < len;) {
        const char *nl = find(md + i, len - i, '\n');
        size_t e = nl ? (size_t)(nl - md) : len;
        if (md[i] == '#') {
            size_t a = i;
            while (a < e && (md[a] == '#' || md[a] == ' '))
                a++;
            for (size_t k = a; k < e; k++)
                if (md[k] != '*' && md[k] != '`' && md[k] != '\r')
                    escape(fp, md + k, 1);
            return;
        }
        i = e + 1;
    }
    fputs("Worksheet", fp);
}

int qisim_worksheet_html(const char *md, size_t len, bool standalone, char **out, size_t *out_len, qisim_err *err)
{
    *out = NULL;
    if (len > QISIM_WORKSHEET_MAX)
        return qisim_err_set(err, QISIM_ELIMIT, "worksheet: %zu bytes, more than the %d a worksheet may have", len,
                             (int)QISIM_WORKSHEET_MAX);
    char *buf = NULL;
    size_t n = 0;
    page p = {.fp = open_memstream(&buf, &n)};
    if (!p.fp)
        return qisim_err_set(err, QISIM_ENOMEM, "worksheet: out of memory");
    fputs("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          p.fp);
    title(p.fp, md, len);
    fputs("</title>\n", p.fp);
    if (standalone)
        fprintf(p.fp, "<style>\n%s</style>\n", qisim_worksheet_css);
    else
        fputs("<link rel=\"stylesheet\" href=\"/worksheet.css\">\n", p.fp);
    fputs("</head>\n<body>\n<main>\n", p.fp);
    for (size_t i = 0; i < len;) {
        const char *nl = find(md + i, len - i, '\n');
        size_t e = nl ? (size_t)(nl - md) : len;
        line(&p, md + i, e - i);
        i = e + 1;
    }
    close_block(&p);
    fputs("</main>\n</body>\n</html>\n", p.fp);
    bool failed = ferror(p.fp) != 0;
    fclose(p.fp);
    free(p.text);
    if (failed || p.oom || !buf) {
        free(buf);
        return qisim_err_set(err, QISIM_ENOMEM, "worksheet: out of memory");
    }
    *out = buf;
    if (out_len)
        *out_len = n;
    return QISIM_OK;
}

int qisim_worksheet_for_exercise(const char *exercise_path, bool standalone, bool *found, char **out,
                                 size_t *out_len, qisim_err *err)
{
    *found = false;
    *out = NULL;
    char path[4096];
    size_t n = strlen(exercise_path);
    if (n > 4 && strcmp(exercise_path + n - 4, ".lua") == 0)
        n -= 4;
    if (n + 4 > sizeof path)
        return qisim_err_set(err, QISIM_EINVAL, "%s: path too long", exercise_path);
    snprintf(path, sizeof path, "%.*s.md", (int)n, exercise_path);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        if (errno == ENOENT)
            return QISIM_OK;
        return qisim_err_set(err, QISIM_EIO, "%s: cannot read the worksheet (%s)", path, strerror(errno));
    }
    char *md = malloc((size_t)QISIM_WORKSHEET_MAX + 1);
    if (!md) {
        fclose(fp);
        return qisim_err_set(err, QISIM_ENOMEM, "%s: out of memory", path);
    }
    size_t len = fread(md, 1, (size_t)QISIM_WORKSHEET_MAX + 1, fp);
    bool bad = ferror(fp) != 0;
    fclose(fp);
    int rc = QISIM_OK;
    if (bad)
        rc = qisim_err_set(err, QISIM_EIO, "%s: cannot read the worksheet", path);
    else if (len > QISIM_WORKSHEET_MAX)
        rc = qisim_err_set(err, QISIM_ELIMIT, "%s: larger than %d bytes, too long for a worksheet", path,
                           (int)QISIM_WORKSHEET_MAX);
    else if ((rc = qisim_worksheet_html(md, len, standalone, out, out_len, err)) != QISIM_OK)
        rc = qisim_err_set(err, rc, "%s: cannot render the worksheet (out of memory)", path);
    else
        *found = true;
    free(md);
    return rc;
}
