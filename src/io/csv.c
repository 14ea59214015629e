/* Field writers for CSV and JSON, chosen so the same values always give the same bytes. */
#include "qisim/io.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void qisim_csv_write_text(FILE *fp, const char *s)
{
    if (!s)
        return; /* an empty field */
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', fp);
        fputc(*p, fp);
    }
    fputc('"', fp);
}

void qisim_csv_write_number(FILE *fp, double x)
{
    if (isnan(x)) {
        fputs("NA", fp);
        return;
    }
    /* Spelled out because C lets printf say "inf" or "infinity"; R and pandas both read "Inf". */
    if (isinf(x)) {
        fputs(x > 0 ? "Inf" : "-Inf", fp);
        return;
    }
    /* -0 compares equal to 0 but would print "-0", making otherwise equal outputs differ. */
    if (x == 0)
        x = 0;
    /* A whole number of at most nine digits is what "%.9g" prints as its digits; counts are
     * about a third of a series. */
    if (fabs(x) < 1e9 && x == (double)(long long)x) {
        qisim_csv_write_integer(fp, (long long)x);
        return;
    }
    fprintf(fp, "%.9g", x);
}

void qisim_csv_write_integer(FILE *fp, long long v)
{
    char digits[24], *end = digits + sizeof digits, *p = end;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    fwrite(p, 1, (size_t)(end - p), fp);
}

/* The length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or 0 when the bytes there are not one. */
static size_t utf8_sequence_length(const unsigned char *p)
{
    unsigned char lead = p[0];
    size_t len;
    unsigned char second_min = 0x80, second_max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        len = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        len = 3;
        if (lead == 0xe0)
            second_min = 0xa0; /* overlong below U+0800 */
        else if (lead == 0xed)
            second_max = 0x9f; /* UTF-16 surrogates */
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        len = 4;
        if (lead == 0xf0)
            second_min = 0x90; /* overlong below U+10000 */
        else if (lead == 0xf4)
            second_max = 0x8f; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (p[1] < second_min || p[1] > second_max)
        return 0; /* also stops at the terminating NUL */
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return len;
}

void qisim_json_write_string(FILE *fp, const char *s)
{
    if (!s) {
        fputs("null", fp);
        return;
    }
    fputc('"', fp);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            fputc('\\', fp);
            fputc(c, fp);
            p++;
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(fp, "\\u%04x", (unsigned)c);
            p++;
        } else if (c < 0x80) {
            fputc(c, fp);
            p++;
        } else {
            /* JSON text must be UTF-8 (RFC 8259), so a stray byte from, say, a Latin-1 file name
             * becomes U+FFFD rather than making the whole manifest unreadable. */
            size_t len = utf8_sequence_length(p);
            if (len == 0) {
                fputs("\\ufffd", fp);
                p++;
            } else {
                fwrite(p, 1, len, fp);
                p += len;
            }
        }
    }
    fputc('"', fp);
}

/* ---- reading ------------------------------------------------------------------------------ */

void qisim_csv_reader_file(qisim_csv_reader *r, FILE *fp, const char *name)
{
    memset(r, 0, sizeof *r);
    r->fp = fp;
    r->name = name ? name : "CSV";
    r->next_line = 1;
}

void qisim_csv_reader_text(qisim_csv_reader *r, const char *text, size_t len, const char *name)
{
    memset(r, 0, sizeof *r);
    r->text = text;
    r->text_len = text ? len : 0;
    r->name = name ? name : "CSV";
    r->next_line = 1;
}

void qisim_csv_reader_free(qisim_csv_reader *r)
{
    free(r->buf);
    free(r->fields);
    r->buf = NULL;
    r->fields = NULL;
    r->buf_cap = 0;
    r->fields_cap = 0;
}

static int next_char(qisim_csv_reader *r)
{
    if (r->fp)
        return getc(r->fp);
    return r->text_pos < r->text_len ? (unsigned char)r->text[r->text_pos++] : EOF;
}

/* Gives back the character just read (one at most; EOF stays EOF). */
static void unread_char(qisim_csv_reader *r, int c)
{
    if (c == EOF)
        return;
    if (r->fp)
        ungetc(c, r->fp);
    else
        r->text_pos--;
}

/* Appends c to the record buffer at *used, growing it. */
static int put_char(qisim_csv_reader *r, size_t *used, char c, qisim_err *err)
{
    if (*used + 1 >= r->buf_cap) {
        if (r->buf_cap >= QISIM_CSV_RECORD_MAX)
            return qisim_err_set(err, QISIM_ELIMIT, "%s:%ld: a record longer than %d MiB", r->name, r->line,
                                 QISIM_CSV_RECORD_MAX >> 20);
        size_t cap = r->buf_cap ? 2 * r->buf_cap : 256;
        char *p = realloc(r->buf, cap);
        if (!p)
            return qisim_err_set(err, QISIM_ENOMEM, "%s:%ld: out of memory reading a record", r->name, r->line);
        r->buf = p;
        r->buf_cap = cap;
    }
    r->buf[(*used)++] = c;
    return QISIM_OK;
}

int qisim_csv_read(qisim_csv_reader *r, char ***fields, qisim_err *err)
{
    r->line = r->next_line;
    int c = next_char(r);
    if (c == EOF) {
        if (r->fp && ferror(r->fp))
            return qisim_err_set(err, QISIM_EIO, "%s:%ld: read error", r->name, r->line);
        return 0;
    }
    /* First the fields' text, each ended by a NUL; then pointers to them, since the buffer
     * moves while it grows. */
    size_t used = 0;
    int n = 1, rc;
    bool quoted = false, was_quoted = false;
    for (;; c = next_char(r)) {
        if (c == EOF) {
            if (r->fp && ferror(r->fp))
                return qisim_err_set(err, QISIM_EIO, "%s:%ld: read error", r->name, r->line);
            if (quoted)
                return qisim_err_set(err, QISIM_EINVAL, "%s:%ld: a quoted field is not closed", r->name, r->line);
            break;
        }
        if (c == '\0') /* text fields end at a NUL: one inside would shift every field after it */
            return qisim_err_set(err, QISIM_EINVAL, "%s:%ld: a NUL byte in a CSV file", r->name, r->line);
        if (c == '\n')
            r->next_line++;
        if (quoted) {
            if (c == '"') {
                int d = next_char(r);
                if (d != '"') { /* the closing quote; d is read again as unquoted text */
                    quoted = false;
                    unread_char(r, d);
                    continue;
                }
            }
            if ((rc = put_char(r, &used, (char)c, err)))
                return rc;
            continue;
        }
        if (c == '\n')
            break;
        if (c == ',') {
            if ((rc = put_char(r, &used, '\0', err)))
                return rc;
            n++;
            was_quoted = false;
            continue;
        }
        if (c == '"' && !was_quoted && (used == 0 || r->buf[used - 1] == '\0')) {
            quoted = was_quoted = true; /* a quote opens a field only at its start */
            continue;
        }
        if (c == '\r') { /* CRLF line ends */
            int d = next_char(r);
            if (d == '\n') {
                r->next_line++;
                break;
            }
            unread_char(r, d);
        }
        if ((rc = put_char(r, &used, (char)c, err)))
            return rc;
    }
    if ((rc = put_char(r, &used, '\0', err)))
        return rc;
    if (n > r->fields_cap) {
        int cap = r->fields_cap ? 2 * r->fields_cap : 16;
        while (cap < n)
            cap *= 2;
        char **p = realloc(r->fields, (size_t)cap * sizeof *p);
        if (!p)
            return qisim_err_set(err, QISIM_ENOMEM, "%s:%ld: out of memory reading a record", r->name, r->line);
        r->fields = p;
        r->fields_cap = cap;
    }
    char *p = r->buf;
    for (int i = 0; i < n; i++) {
        r->fields[i] = p;
        p += strlen(p) + 1;
    }
    *fields = r->fields;
    return n;
}
