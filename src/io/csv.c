/* Field writers for CSV and JSON, chosen so the same values always give the same bytes. */
#include "qisim/io.h"

#include <math.h>
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
    fprintf(fp, "%.9g", x);
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

int qisim_csv_split(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        char *out = p;
        fields[n++] = p;
        if (*p == '"') {
            char *r = p + 1;
            for (;;) {
                if (*r == '"' && r[1] == '"') {
                    *out++ = '"';
                    r += 2;
                } else if (*r == '"' || *r == '\0') {
                    r += *r == '"';
                    break;
                } else {
                    *out++ = *r++;
                }
            }
            p = r;
        } else {
            while (*p && *p != ',' && *p != '\n' && *p != '\r')
                *out++ = *p++;
        }
        char c = *p;
        *out = '\0';
        if (c != ',')
            break;
        p++;
    }
    return n;
}
