/* qisim play's classroom server: libmicrohttpd serving one page and a small JSON API over a
 * game; one polling thread runs every request, so the game needs no lock. */
#include "qisim/play.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "assets.h"
#include "qisim/worksheet.h"
#include "qisim/io.h"

/* Bounds: a request body is a few name=value pairs; a class is at most a few dozen devices. */
enum {
    MAX_BODY = 4096,
    MAX_PAIRS = 32,
    MAX_CONNECTIONS = 128,
    CONNECTION_TIMEOUT = 15,      /* seconds */
    CONNECTION_MEMORY = 32 * 1024,
    TOKEN_CHARS = 32,
    CODE_CHARS = 6,
    MAX_WRONG_CODES = 1000        /* then joining closes: guessing the code is not worth trying */
};

#define DEFAULT_CHART_JS "/usr/share/javascript/chart.js/chart.min.js"

typedef struct server {
    const qisim_play_options *o;
    qisim_game *game;
    unsigned char *chart_js;
    size_t chart_js_len;
    char *worksheet;              /* the exercise's worksheet as HTML, read at start-up; NULL: none */
    size_t worksheet_len;
    char code[CODE_CHARS + 1];
    char teacher[TOKEN_CHARS + 1];
    char tokens[QISIM_MAX_GROUPS][TOKEN_CHARS + 1];
    bool joined[QISIM_MAX_GROUPS];
    int32_t wrong_codes;
    bool paused, saved;
    char saved_dir[4096];
    char last_error[256];
    double last_turn_seconds;
    /* on loopback, the Host header must name this server: a web page elsewhere that rebinds
     * its DNS name to 127.0.0.1 is refused */
    bool loopback;
    char hosts[2][64];
} server;

/* A request's body as it arrives (freed when the request completes). */
typedef struct request {
    char body[MAX_BODY + 1];
    size_t len;
    bool too_big;
} request;

static void say(const server *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void say(const server *s, const char *fmt, ...)
{
    if (!s->o->log)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    s->o->log(s->o->ctx, line);
}

/* n random characters from alphabet (from the kernel's generator: tokens must not be guessable,
 * and they never reach a result file). */
static int random_text(char *out, int n, const char *alphabet, qisim_err *err)
{
    unsigned char bytes[64];
    size_t k = strlen(alphabet);
    FILE *fp = fopen("/dev/urandom", "rb");
    if (!fp || fread(bytes, 1, (size_t)n, fp) != (size_t)n) {
        if (fp)
            fclose(fp);
        return qisim_err_set(err, QISIM_EIO, "cannot read /dev/urandom for the join code and tokens");
    }
    fclose(fp);
    for (int i = 0; i < n; i++)
        out[i] = alphabet[bytes[i] % k]; /* 256 % 32 == 0: unbiased for the alphabets below */
    out[n] = '\0';
    return QISIM_OK;
}

static unsigned char *read_file(const char *path, size_t *len, qisim_err *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        qisim_err_set(err, QISIM_EIO, "cannot read %s (Chart.js: install the Debian package libjs-chart.js)", path);
        return NULL;
    }
    unsigned char *buf = NULL;
    long n = -1;
    if (fseek(fp, 0, SEEK_END) == 0)
        n = ftell(fp);
    if (n >= 0 && n <= (16L << 20) && fseek(fp, 0, SEEK_SET) == 0)
        buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    if (!buf) {
        qisim_err_set(err, QISIM_EIO, "cannot read %s", path);
        return NULL;
    }
    *len = (size_t)n;
    return buf;
}

/* ---- responses ---------------------------------------------------------------------------- */

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type, const void *data,
                            size_t len, enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, mode);
    if (!r) {
        if (mode == MHD_RESPMEM_MUST_FREE)
            free((void *)data);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result send_json_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp)
        return MHD_NO;
    fputs("{\"error\":", fp);
    qisim_json_write_string(fp, msg);
    fputs("}", fp);
    fclose(fp);
    return reply(c, status, "application/json", text, len, MHD_RESPMEM_MUST_FREE);
}

/* The state for a viewer: a group (its own trust until the end) or the teacher (-1). */
static enum MHD_Result send_state(struct MHD_Connection *c, server *s, int32_t viewer)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp)
        return send_json_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
    const qisim_exercise *ex = qisim_game_exercise(s->game);
    fprintf(fp, "{\"you\":%d,\"paused\":%s,\"turn_seconds\":%.4f,\"joined\":[", (int)viewer,
            s->paused ? "true" : "false", s->last_turn_seconds);
    for (int32_t k = 0; k < ex->groups; k++)
        fprintf(fp, "%s%s", k ? "," : "", s->joined[k] ? "true" : "false");
    fputs("],\"submitted\":[", fp);
    for (int32_t k = 0; k < ex->groups; k++)
        fprintf(fp, "%s%s", k ? "," : "", qisim_game_submitted(s->game, k) ? "true" : "false");
    fputs("],\"saved\":", fp);
    if (s->saved && viewer < 0)
        qisim_json_write_string(fp, s->saved_dir);
    else
        fputs(s->saved ? "true" : "false", fp);
    fputs(",\"error\":", fp);
    qisim_json_write_string(fp, viewer < 0 ? s->last_error : "");
    fputs(",\"game\":", fp);
    qisim_err err;
    int rc = qisim_game_write_json(s->game, fp, viewer, &err);
    fputs("}", fp);
    fclose(fp);
    if (rc) {
        free(text);
        return send_json_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, err.msg);
    }
    return reply(c, MHD_HTTP_OK, "application/json", text, len, MHD_RESPMEM_MUST_FREE);
}

/* ---- request parsing ---------------------------------------------------------------------- */

typedef struct pair {
    const char *key, *value;
} pair;

static bool allowed_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* Splits "k=v&k=v" in place: keys and values of [A-Za-z0-9_] only (nothing to decode, so
 * nothing to get wrong); false on anything else. */
static bool parse_form(char *body, pair *pairs, int *n)
{
    *n = 0;
    if (!*body)
        return true;
    char *p = body;
    for (;;) {
        if (*n >= MAX_PAIRS)
            return false;
        char *key = p;
        while (allowed_char(*p))
            p++;
        if (*p != '=' || p == key || p - key > 31)
            return false;
        *p++ = '\0';
        char *value = p;
        while (allowed_char(*p))
            p++;
        if (p - value > 64)
            return false;
        pairs[(*n)++] = (pair){key, value};
        if (*p == '\0')
            return true;
        if (*p != '&')
            return false;
        *p++ = '\0';
    }
}

static const char *find_pair(const pair *pairs, int n, const char *key)
{
    for (int k = 0; k < n; k++)
        if (strcmp(pairs[k].key, key) == 0)
            return pairs[k].value;
    return NULL;
}

/* Compares without stopping at the first difference, so timing says nothing of a token. */
static bool same_token(const char *a, const char *b)
{
    size_t n = strlen(b);
    if (strlen(a) != n || n == 0)
        return false;
    unsigned char diff = 0;
    for (size_t k = 0; k < n; k++)
        diff |= (unsigned char)(a[k] ^ b[k]);
    return diff == 0;
}

/* -1: the teacher, 0..groups-1: a group, -2: no valid token. */
static int32_t who(struct MHD_Connection *c, const server *s)
{
    const char *token = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Qisim-Token");
    if (!token)
        return -2;
    if (same_token(token, s->teacher))
        return -1;
    const qisim_exercise *ex = qisim_game_exercise(s->game);
    for (int32_t k = 0; k < ex->groups; k++)
        if (s->joined[k] && same_token(token, s->tokens[k]))
            return k;
    return -2;
}

/* ---- the API ------------------------------------------------------------------------------ */

static void finish_turn(server *s)
{
    if (!qisim_game_over(s->game) || s->saved)
        return;
    qisim_err err;
    if (qisim_game_save(s->game, s->o->out_dir, &err) != QISIM_OK) {
        snprintf(s->last_error, sizeof s->last_error, "saving the game: %.200s", err.msg);
        say(s, "qisim play: saving the game failed: %s", err.msg);
        return;
    }
    s->saved = true;
    snprintf(s->saved_dir, sizeof s->saved_dir, "%s", s->o->out_dir);
    say(s, "qisim play: game over; saved as %s/game.lua with its results (replay: qisim run %s/game.lua --seed %llu)",
        s->o->out_dir, s->o->out_dir, (unsigned long long)qisim_game_seed(s->game));
}

static int advance(server *s, qisim_err *err)
{
    int rc = qisim_game_advance(s->game, &s->last_turn_seconds, err);
    if (rc)
        return rc;
    const qisim_exercise *ex = qisim_game_exercise(s->game);
    say(s, "qisim play: turn %d of %d played in %.3f s", (int)qisim_game_turns_played(s->game), (int)ex->turns,
        s->last_turn_seconds);
    finish_turn(s);
    return QISIM_OK;
}

static enum MHD_Result api_join(struct MHD_Connection *c, server *s, const pair *pairs, int n)
{
    const char *code = find_pair(pairs, n, "code");
    if (s->wrong_codes >= MAX_WRONG_CODES)
        return send_json_error(c, MHD_HTTP_TOO_MANY_REQUESTS, "too many wrong join codes: restart qisim play");
    if (!code || !same_token(code, s->code)) {
        s->wrong_codes++;
        return send_json_error(c, MHD_HTTP_FORBIDDEN, "wrong join code");
    }
    const qisim_exercise *ex = qisim_game_exercise(s->game);
    for (int32_t k = 0; k < ex->groups; k++) {
        if (s->joined[k])
            continue;
        s->joined[k] = true;
        char text[128];
        int len = snprintf(text, sizeof text, "{\"token\":\"%s\",\"group\":%d}", s->tokens[k], (int)k);
        return reply(c, MHD_HTTP_OK, "application/json", text, (size_t)len, MHD_RESPMEM_MUST_COPY);
    }
    return send_json_error(c, MHD_HTTP_CONFLICT, "every group has joined already");
}

static enum MHD_Result api_submit(struct MHD_Connection *c, server *s, int32_t group, const pair *pairs, int n)
{
    if (group < 0)
        return send_json_error(c, MHD_HTTP_FORBIDDEN, "only a group submits choices");
    if (s->paused)
        return send_json_error(c, MHD_HTTP_CONFLICT, "the class is paused");
    const qisim_exercise *ex = qisim_game_exercise(s->game);
    qisim_choice choice = {{0}};
    for (int k = 0; k < n; k++) {
        int item = -1;
        for (int i = 0; i < ex->n_items && item < 0; i++)
            if (strcmp(pairs[k].key, ex->items[i].name) == 0)
                item = i;
        if (item < 0)
            return send_json_error(c, MHD_HTTP_BAD_REQUEST, "not on the menu");
        const char *v = pairs[k].value;
        if (!*v || strlen(v) > 3 || strspn(v, "0123456789") != strlen(v))
            return send_json_error(c, MHD_HTTP_BAD_REQUEST, "amounts are whole numbers");
        choice.amount[item] = atoi(v);
    }
    qisim_err err;
    if (qisim_game_submit(s->game, group, &choice, &err) != QISIM_OK)
        return send_json_error(c, qisim_game_over(s->game) ? MHD_HTTP_CONFLICT : MHD_HTTP_BAD_REQUEST, err.msg);
    /* the turn is played as soon as every group has chosen, unless the teacher paused */
    if (qisim_game_all_submitted(s->game) && advance(s, &err) != QISIM_OK) {
        snprintf(s->last_error, sizeof s->last_error, "%.250s", err.msg);
        return send_json_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, err.msg);
    }
    return send_state(c, s, group);
}

static enum MHD_Result api_teacher(struct MHD_Connection *c, server *s, const char *url, const pair *pairs, int n)
{
    qisim_err err;
    if (strcmp(url, "/api/advance") == 0) {
        if (qisim_game_over(s->game))
            return send_json_error(c, MHD_HTTP_CONFLICT, "the game is over");
        if (advance(s, &err) != QISIM_OK) {
            snprintf(s->last_error, sizeof s->last_error, "%.250s", err.msg);
            return send_json_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, err.msg);
        }
        return send_state(c, s, -1);
    }
    if (strcmp(url, "/api/pause") == 0) {
        const char *v = find_pair(pairs, n, "paused");
        if (!v || (strcmp(v, "0") != 0 && strcmp(v, "1") != 0))
            return send_json_error(c, MHD_HTTP_BAD_REQUEST, "paused=0 or paused=1");
        s->paused = v[0] == '1';
        return send_state(c, s, -1);
    }
    return send_json_error(c, MHD_HTTP_NOT_FOUND, "no such request");
}

static enum MHD_Result handle_get(struct MHD_Connection *c, server *s, const char *url)
{
    if (strcmp(url, "/") == 0)
        return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", qisim_asset_index_html, qisim_asset_index_html_len,
                    MHD_RESPMEM_PERSISTENT);
    if (strcmp(url, "/app.js") == 0)
        return reply(c, MHD_HTTP_OK, "text/javascript; charset=utf-8", qisim_asset_app_js, qisim_asset_app_js_len,
                    MHD_RESPMEM_PERSISTENT);
    if (strcmp(url, "/style.css") == 0)
        return reply(c, MHD_HTTP_OK, "text/css; charset=utf-8", qisim_asset_style_css, qisim_asset_style_css_len,
                    MHD_RESPMEM_PERSISTENT);
    if (strcmp(url, "/chart.js") == 0)
        return reply(c, MHD_HTTP_OK, "text/javascript; charset=utf-8", s->chart_js, s->chart_js_len,
                    MHD_RESPMEM_PERSISTENT);
    if (strcmp(url, "/worksheet") == 0 && s->worksheet)
        return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", s->worksheet, s->worksheet_len,
                    MHD_RESPMEM_PERSISTENT);
    if (strcmp(url, "/worksheet.css") == 0)
        return reply(c, MHD_HTTP_OK, "text/css; charset=utf-8", qisim_worksheet_css, strlen(qisim_worksheet_css),
                    MHD_RESPMEM_PERSISTENT);
    if (strcmp(url, "/api/state") == 0) {
        int32_t viewer = who(c, s);
        if (viewer == -2)
            return send_json_error(c, MHD_HTTP_UNAUTHORIZED, "join first");
        return send_state(c, s, viewer);
    }
    if (strcmp(url, "/api/saved") == 0) {
        if (who(c, s) != -1)
            return send_json_error(c, MHD_HTTP_FORBIDDEN, "only the teacher downloads the saved game");
        qisim_err err;
        char *text = qisim_game_saved_text(s->game, &err);
        if (!text)
            return send_json_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, err.msg);
        return reply(c, MHD_HTTP_OK, "text/plain; charset=utf-8", text, strlen(text), MHD_RESPMEM_MUST_FREE);
    }
    return send_json_error(c, MHD_HTTP_NOT_FOUND, "no such page");
}

static enum MHD_Result handle_post(struct MHD_Connection *c, server *s, const char *url, request *r)
{
    if (r->too_big)
        return send_json_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request too large");
    const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (r->len && (!type || strncmp(type, "application/x-www-form-urlencoded", 33) != 0))
        return send_json_error(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "send application/x-www-form-urlencoded");
    r->body[r->len] = '\0';
    if (strlen(r->body) != r->len)
        return send_json_error(c, MHD_HTTP_BAD_REQUEST, "malformed request");
    pair pairs[MAX_PAIRS];
    int n = 0;
    if (!parse_form(r->body, pairs, &n))
        return send_json_error(c, MHD_HTTP_BAD_REQUEST, "malformed request");
    if (strcmp(url, "/api/join") == 0)
        return api_join(c, s, pairs, n);
    int32_t viewer = who(c, s);
    if (strcmp(url, "/api/submit") == 0) {
        if (viewer == -2)
            return send_json_error(c, MHD_HTTP_UNAUTHORIZED, "join first");
        return api_submit(c, s, viewer, pairs, n);
    }
    if (strcmp(url, "/api/advance") == 0 || strcmp(url, "/api/pause") == 0) {
        if (viewer != -1)
            return send_json_error(c, MHD_HTTP_FORBIDDEN, "only the teacher can do that");
        return api_teacher(c, s, url, pairs, n);
    }
    return send_json_error(c, MHD_HTTP_NOT_FOUND, "no such request");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    server *s = cls;
    (void)version;
    bool post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
    if (!post && strcmp(method, MHD_HTTP_METHOD_GET) != 0)
        return send_json_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "GET or POST only");
    if (strlen(url) > 64)
        return send_json_error(c, MHD_HTTP_URI_TOO_LONG, "address too long");
    if (s->loopback) {
        const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
        if (!host || (strcmp(host, s->hosts[0]) != 0 && strcmp(host, s->hosts[1]) != 0))
            return send_json_error(c, MHD_HTTP_MISDIRECTED_REQUEST, "wrong Host: open the address qisim play printed");
    }
    if (!post) {
        if (*upload_data_size)
            return send_json_error(c, MHD_HTTP_BAD_REQUEST, "a GET has no body");
        return handle_get(c, s, url);
    }
    request *r = *con_cls;
    if (!r) {
        /* refuse a declared oversized body before reading any of it */
        const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (length && (strlen(length) > 9 || strtol(length, NULL, 10) > MAX_BODY))
            return send_json_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request too large");
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (r->len + *upload_data_size > MAX_BODY)
            r->too_big = true;
        else {
            memcpy(r->body + r->len, upload_data, *upload_data_size);
            r->len += *upload_data_size;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    return handle_post(c, s, url, r);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    free(*con_cls);
    *con_cls = NULL;
}

/* ---- serving ------------------------------------------------------------------------------ */

int qisim_play_serve(const qisim_play_options *o, qisim_err *err)
{
    server s = {.o = o};
    const char *address = o->listen ? o->listen : "127.0.0.1";
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    if (inet_pton(AF_INET, address, &addr.sin_addr) != 1)
        return qisim_err_set(err, QISIM_EINVAL, "--listen %s: not an IPv4 address", address);
    int rc = qisim_game_open(o->exercise_path, o->seed, o->groups, &s.game, err);
    if (rc)
        return rc;
    struct MHD_Daemon *d = NULL;
    s.chart_js = read_file(o->chart_js ? o->chart_js : DEFAULT_CHART_JS, &s.chart_js_len, err);
    if (!s.chart_js) {
        rc = err ? err->code : QISIM_EIO;
        goto done;
    }
    /* the worksheet beside the exercise, read once here: no request names a file */
    bool found = false;
    if ((rc = qisim_worksheet_for_exercise(o->exercise_path, false, &found, &s.worksheet, &s.worksheet_len, err)))
        goto done;
    if (!found)
        say(&s, "qisim play: %s has no worksheet beside it (a .md file of the same name)", o->exercise_path);
    /* no 0/O or 1/I in what people type; 32 characters, so a byte maps without bias */
    static const char code_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    static const char token_alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    if ((rc = random_text(s.code, CODE_CHARS, code_alphabet, err)) ||
        (rc = random_text(s.teacher, TOKEN_CHARS, token_alphabet, err)))
        goto done;
    for (int32_t k = 0; k < o->groups; k++)
        if ((rc = random_text(s.tokens[k], TOKEN_CHARS, token_alphabet, err)))
            goto done;

    /* SIGINT and SIGTERM go to sigwait below, not to a handler: block them before the
     * server's thread starts, so it inherits the mask */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    signal(SIGPIPE, SIG_IGN);
    /* the socket is bound here, so its port (when --port 0 asks for any) is known before the
     * server's thread reads it */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    socklen_t addr_len = sizeof addr;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) != 0 ||
        bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &addr_len) != 0) {
        if (fd >= 0)
            close(fd);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        rc = qisim_err_set(err, QISIM_EIO, "cannot listen on %s:%d (in use, or not this machine's address?)", address,
                           (int)o->port);
        goto done;
    }
    int port = ntohs(addr.sin_port);
    snprintf(s.hosts[0], sizeof s.hosts[0], "%s:%d", address, port);
    snprintf(s.hosts[1], sizeof s.hosts[1], "localhost:%d", port);
    s.loopback = strncmp(address, "127.", 4) == 0;
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL, 0, NULL, NULL, handle, &s,
                         MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd, MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned)MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT,
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY, MHD_OPTION_NOTIFY_COMPLETED,
                         completed, NULL, MHD_OPTION_END);
    if (!d) {
        close(fd);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        rc = qisim_err_set(err, QISIM_EIO, "cannot start the web server on %s:%d", address, port);
        goto done;
    }

    char join[160], teacher[160];
    snprintf(join, sizeof join, "http://%s:%d/#join=%s", address, port, s.code);
    snprintf(teacher, sizeof teacher, "http://%s:%d/#teacher=%s", address, port, s.teacher);
    if (o->ready)
        o->ready(o->ctx, join, teacher, s.code);
    int sig = 0;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    say(&s, "qisim play: stopped (signal %d) after %d of %d turns", sig, (int)qisim_game_turns_played(s.game),
        (int)qisim_game_exercise(s.game)->turns);
    rc = QISIM_OK;
done:
    free(s.chart_js);
    free(s.worksheet);
    qisim_game_free(s.game);
    return rc;
}
