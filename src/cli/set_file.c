/* Set files (--set-file F): one "name=value" a line, as --set takes it; '#' starts a comment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool cli_read_set_file(const char *command, const char *path, const char **sets, int *n, int cap, char **storage)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "qisim %s: cannot read the set file %s\n", command, path);
        return false;
    }
    size_t size = 0, len = 0;
    char *text = NULL;
    for (int ch; (ch = fgetc(f)) != EOF;) {
        if (len + 2 > size) {
            size_t grown = size ? 2 * size : 4096;
            char *t = grown <= (1u << 20) ? realloc(text, grown) : NULL;
            if (!t) {
                fclose(f);
                free(text);
                fprintf(stderr, "qisim %s: %s is too large for a set file\n", command, path);
                return false;
            }
            text = t;
            size = grown;
        }
        text[len++] = (char)ch;
    }
    fclose(f);
    if (!text && !(text = calloc(1, 1)))
        return false;
    text[len] = '\0';
    *storage = text;
    int line = 0;
    for (char *s = text, *next; s && *s; s = next) {
        line++;
        next = strchr(s, '\n');
        if (next)
            *next++ = '\0';
        char *hash = strchr(s, '#');
        if (hash)
            *hash = '\0';
        while (*s == ' ' || *s == '\t' || *s == '\r')
            s++;
        size_t k = strlen(s);
        while (k && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\r'))
            s[--k] = '\0';
        if (!*s)
            continue;
        if (!strchr(s, '=') || *s == '=') {
            fprintf(stderr, "%s:%d: a set file line is name=value, not '%s'\n", path, line, s);
            return false;
        }
        if (cli_name_repeated(sets, *n, s)) {
            fprintf(stderr, "%s:%d: %.*s is set twice (here and in an earlier --set or line)\n", path, line,
                    (int)strcspn(s, "="), s);
            return false;
        }
        if (*n >= cap) {
            fprintf(stderr, "%s:%d: too many settings\n", path, line);
            return false;
        }
        sets[(*n)++] = s;
    }
    return true;
}
