/* Reading JSON: one member of a top-level object (the seed of a run's manifest), skipping
 * every other value as JSON so that text inside strings cannot pose as a member. */
#include "qisim/io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct scan {
    const char *p, *end;
} scan;

enum { MAX_DEPTH = 64 };

static void skip_space(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

/* Skips a string at s->p (which is a quote); with key, also says whether its text, escapes
 * decoded, equals key (only simple escapes are compared; \u escapes never match). */
static bool skip_string(scan *s, const char *key, bool *equal)
{
    size_t k = 0, key_len = key ? strlen(key) : 0;
    bool same = key != NULL;
    s->p++;
    while (s->p < s->end) {
        unsigned char c = (unsigned char)*s->p++;
        if (c == '"') {
            if (equal)
                *equal = same && k == key_len;
            return true;
        }
        if (c < 0x20)
            return false; /* control characters must be escaped */
        if (c == '\\') {
            if (s->p >= s->end)
                return false;
            char e = *s->p++;
            static const char plain[] = "\"\\/bfnrt", decoded[] = "\"\\/\b\f\n\r\t";
            const char *at = strchr(plain, e);
            if (e == 'u') {
                for (int i = 0; i < 4; i++, s->p++)
                    if (s->p >= s->end || !strchr("0123456789abcdefABCDEF", *s->p) || !*s->p)
                        return false;
                same = false;
                continue;
            }
            if (!at || !e)
                return false;
            c = (unsigned char)decoded[at - plain];
        }
        same = same && k < key_len && (unsigned char)key[k] == c;
        k++;
    }
    return false;
}

static bool skip_value(scan *s, int depth);

static bool skip_number(scan *s)
{
    const char *start = s->p;
    if (s->p < s->end && *s->p == '-')
        s->p++;
    const char *digits = s->p;
    while (s->p < s->end && strchr("0123456789.eE+-", *s->p) && *s->p)
        s->p++;
    return s->p > digits && s->p > start;
}

/* Skips an object or array at s->p, checking its structure. */
static bool skip_container(scan *s, int depth)
{
    if (depth >= MAX_DEPTH)
        return false;
    bool object = *s->p == '{';
    char close = object ? '}' : ']';
    s->p++;
    skip_space(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return true;
    }
    for (;;) {
        if (object) {
            skip_space(s);
            if (s->p >= s->end || *s->p != '"' || !skip_string(s, NULL, NULL))
                return false;
            skip_space(s);
            if (s->p >= s->end || *s->p++ != ':')
                return false;
        }
        if (!skip_value(s, depth + 1))
            return false;
        skip_space(s);
        if (s->p >= s->end)
            return false;
        char c = *s->p++;
        if (c == close)
            return true;
        if (c != ',')
            return false;
    }
}

static bool skip_value(scan *s, int depth)
{
    skip_space(s);
    if (s->p >= s->end)
        return false;
    char c = *s->p;
    if (c == '"')
        return skip_string(s, NULL, NULL);
    if (c == '{' || c == '[')
        return skip_container(s, depth);
    static const char *const words[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(s->end - s->p) >= n && memcmp(s->p, words[i], n) == 0) {
            s->p += n;
            return true;
        }
    }
    return skip_number(s);
}

/* A JSON integer in [0, 2^64 - 1]: digits only, no sign, fraction or exponent. */
static bool read_u64(scan *s, uint64_t *value)
{
    const char *start = s->p;
    uint64_t v = 0;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
        unsigned d = (unsigned)(*s->p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = 10 * v + d;
        s->p++;
    }
    if (s->p == start || (s->p - start > 1 && *start == '0'))
        return false;
    if (s->p < s->end && strchr(".eE", *s->p) && *s->p)
        return false;
    *value = v;
    return true;
}

int qisim_json_find_u64(const char *text, size_t len, const char *key, uint64_t *value, bool *found)
{
    scan s = {text, text + len};
    *found = false;
    skip_space(&s);
    if (s.p >= s.end || *s.p != '{')
        return QISIM_EINVAL;
    s.p++;
    skip_space(&s);
    if (s.p < s.end && *s.p == '}') {
        s.p++;
    } else {
        for (;;) {
            bool equal = false;
            skip_space(&s);
            if (s.p >= s.end || *s.p != '"' || !skip_string(&s, key, &equal))
                return QISIM_EINVAL;
            skip_space(&s);
            if (s.p >= s.end || *s.p++ != ':')
                return QISIM_EINVAL;
            skip_space(&s);
            if (equal && !*found) {
                if (!read_u64(&s, value))
                    return QISIM_EINVAL;
                *found = true;
            } else if (!skip_value(&s, 1)) {
                return QISIM_EINVAL;
            }
            skip_space(&s);
            if (s.p >= s.end)
                return QISIM_EINVAL;
            char c = *s.p++;
            if (c == '}')
                break;
            if (c != ',')
                return QISIM_EINVAL;
        }
    }
    skip_space(&s);
    return s.p == s.end ? QISIM_OK : QISIM_EINVAL; /* one object, nothing after it */
}

int qisim_manifest_read_seed(const char *path, uint64_t *seed, qisim_err *err)
{
    enum { MAX_MANIFEST = 16 << 20 };
    FILE *f = fopen(path, "rb");
    if (!f)
        return qisim_err_set(err, QISIM_EIO, "cannot read %s: %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    int rc = QISIM_OK;
    for (;;) {
        if (len == cap) {
            if (cap >= MAX_MANIFEST) {
                rc = qisim_err_set(err, QISIM_EINVAL, "%s is larger than 16 MiB: not a qisim manifest", path);
                break;
            }
            cap = cap ? 2 * cap : 65536;
            char *p = realloc(text, cap);
            if (!p) {
                rc = qisim_err_set(err, QISIM_ENOMEM, "out of memory reading %s", path);
                break;
            }
            text = p;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                rc = qisim_err_set(err, QISIM_EIO, "cannot read %s", path);
            break;
        }
    }
    fclose(f);
    bool found = false;
    if (!rc && qisim_json_find_u64(text, len, "seed", seed, &found) != QISIM_OK)
        rc = qisim_err_set(err, QISIM_EINVAL, "%s is not valid JSON or its seed is not a whole number", path);
    else if (!rc && !found)
        rc = qisim_err_set(err, QISIM_EINVAL, "%s has no seed", path);
    free(text);
    return rc;
}

/* Copies the string at s->p (a quote) into out, decoding simple escapes (\u escapes become
 * '?'); truncates to cap - 1 bytes. */
static bool read_string(scan *s, char *out, size_t cap)
{
    size_t k = 0;
    const char *start = s->p;
    if (!skip_string(s, NULL, NULL))
        return false;
    for (const char *p = start + 1; p < s->p - 1; p++) {
        char c = *p;
        if (c == '\\') {
            char e = *++p;
            static const char plain[] = "\"\\/bfnrt", decoded[] = "\"\\/\b\f\n\r\t";
            const char *at = strchr(plain, e);
            if (e == 'u') {
                p += 4;
                c = '?';
            } else {
                c = at ? decoded[at - plain] : '?';
            }
        }
        if (k + 1 < cap)
            out[k++] = c;
    }
    if (cap)
        out[k] = '\0';
    return true;
}

int qisim_json_find_string(const char *text, size_t len, const char *const *keys, int n_keys, char *out,
                           size_t cap, bool *found)
{
    scan s = {text, text + len};
    *found = false;
    for (int d = 0; d < n_keys; d++) {
        skip_space(&s);
        if (s.p >= s.end || *s.p != '{')
            return QISIM_EINVAL;
        s.p++;
        for (bool matched = false; !matched;) {
            skip_space(&s);
            if (s.p < s.end && *s.p == '}')
                return QISIM_OK; /* no such member */
            bool equal = false;
            if (s.p >= s.end || *s.p != '"' || !skip_string(&s, keys[d], &equal))
                return QISIM_EINVAL;
            skip_space(&s);
            if (s.p >= s.end || *s.p++ != ':')
                return QISIM_EINVAL;
            skip_space(&s);
            if (equal) {
                matched = true;
                continue;
            }
            if (!skip_value(&s, d + 1))
                return QISIM_EINVAL;
            skip_space(&s);
            if (s.p < s.end && *s.p == ',')
                s.p++;
        }
    }
    skip_space(&s);
    if (s.p < s.end && *s.p == '[') { /* an array of strings: joined by spaces */
        size_t k = 0;
        s.p++;
        if (cap)
            out[0] = '\0';
        for (;;) {
            skip_space(&s);
            if (s.p < s.end && *s.p == ']')
                break;
            if (s.p >= s.end || *s.p != '"')
                return QISIM_OK; /* not a list of strings */
            if (k && k + 1 < cap)
                out[k++] = ' ';
            if (!read_string(&s, cap > k ? out + k : NULL, cap > k ? cap - k : 0))
                return QISIM_EINVAL;
            k += cap > k ? strlen(out + k) : 0;
            skip_space(&s);
            if (s.p < s.end && *s.p == ',')
                s.p++;
        }
        *found = true;
        return QISIM_OK;
    }
    if (s.p >= s.end || *s.p != '"')
        return QISIM_OK; /* there, but not a string */
    if (!read_string(&s, out, cap))
        return QISIM_EINVAL;
    *found = true;
    return QISIM_OK;
}
