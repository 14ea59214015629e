/* Tests for src/io: SHA-256 known answers, CSV and JSON field encoding, atomic files, the manifest. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qisim/io.h"

/* ---- helpers ---- */

/* A fresh directory per test, removed with everything in it afterwards. */
typedef struct scratch_dir {
    char path[64];
} scratch_dir;

static int scratch_setup(void **state)
{
    scratch_dir *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    strcpy(d->path, "/tmp/qisim_test_io_XXXXXX");
    if (!mkdtemp(d->path)) {
        free(d);
        return -1;
    }
    *state = d;
    return 0;
}

static int scratch_teardown(void **state)
{
    scratch_dir *d = *state;
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", d->path);
    int rc = system(command);
    free(d);
    return rc == 0 ? 0 : -1;
}

static void scratch_file(const scratch_dir *d, const char *name, char out[4096])
{
    snprintf(out, 4096, "%s/%s", d->path, name);
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The whole file as a NUL-terminated string (caller frees), or NULL. */
static char *read_whole_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, len = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    fclose(fp);
    if (buf)
        buf[len] = '\0';
    return buf;
}

static void digest_to_hex(const uint8_t digest[32], char hex[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

static void assert_sha256_of(const void *data, size_t n, const char *want_hex)
{
    uint8_t digest[32];
    char hex[65];
    qisim_sha256(data, n, digest);
    digest_to_hex(digest, hex);
    assert_string_equal(hex, want_hex);
}

/* What a writer produced, captured through a memory stream. */
typedef struct captured {
    char *text;
    size_t len;
    FILE *fp;
} captured;

static void capture_begin(captured *c)
{
    c->text = NULL;
    c->len = 0;
    c->fp = open_memstream(&c->text, &c->len);
    assert_non_null(c->fp);
}

static void capture_expect(captured *c, const char *want)
{
    assert_int_equal(fclose(c->fp), 0);
    assert_string_equal(c->text, want);
    free(c->text);
}

static void expect_csv_text(const char *in, const char *want)
{
    captured c;
    capture_begin(&c);
    qisim_csv_write_text(c.fp, in);
    capture_expect(&c, want);
}

static void expect_csv_number(double x, const char *want)
{
    captured c;
    capture_begin(&c);
    qisim_csv_write_number(c.fp, x);
    capture_expect(&c, want);
}

static void expect_json_string(const char *in, const char *want)
{
    captured c;
    capture_begin(&c);
    qisim_json_write_string(c.fp, in);
    capture_expect(&c, want);
}

/* ---- SHA-256 ---- */

static void test_sha256_known_answers(void **state)
{
    (void)state;
    assert_sha256_of("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_sha256_of(NULL, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_sha256_of("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_sha256_of(two_blocks, strlen(two_blocks),
                     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");

    char *million = malloc(1000000);
    assert_non_null(million);
    memset(million, 'a', 1000000);
    assert_sha256_of(million, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

/* Lengths either side of where the padding spills into an extra block. */
static void test_sha256_padding_boundaries(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        const char *hex;
    } cases[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
    };
    char as[128];
    memset(as, 'a', sizeof as);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_sha256_of(as, cases[i].n, cases[i].hex);
}

static void test_sha256_file_matches_memory(void **state)
{
    const scratch_dir *d = *state;
    /* Three whole 64 KiB reads and a ragged tail, with bytes that are not all alike. */
    size_t n = 3 * 65536 + 1237;
    uint8_t *data = malloc(n);
    assert_non_null(data);
    uint32_t x = 12345u;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = (uint8_t)(x >> 16);
    }
    char path[4096];
    scratch_file(d, "blob.bin", path);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);

    uint8_t digest[32];
    char want[65], got[65];
    qisim_sha256(data, n, digest);
    digest_to_hex(digest, want);
    qisim_err err;
    qisim_err_clear(&err);
    assert_int_equal(qisim_sha256_file(path, got, &err), QISIM_OK);
    assert_string_equal(got, want);
    free(data);

    scratch_file(d, "empty", path);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    fclose(fp);
    assert_int_equal(qisim_sha256_file(path, got, &err), QISIM_OK);
    assert_string_equal(got, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_sha256_file_missing(void **state)
{
    const scratch_dir *d = *state;
    char path[4096], hex[65];
    scratch_file(d, "no-such-scenario.lua", path);
    qisim_err err;
    qisim_err_clear(&err);
    assert_int_equal(qisim_sha256_file(path, hex, &err), QISIM_EIO);
    assert_int_equal(err.code, QISIM_EIO);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, strerror(ENOENT)));
}

/* ---- CSV and JSON fields ---- */

static void test_csv_text_quotes_only_when_needed(void **state)
{
    (void)state;
    expect_csv_text("plain", "plain");
    expect_csv_text("with space", "with space");
    expect_csv_text("", "");
    expect_csv_text(NULL, "");
    expect_csv_text("a,b", "\"a,b\"");
    expect_csv_text("say \"hi\"", "\"say \"\"hi\"\"\"");
    expect_csv_text("two\nlines", "\"two\nlines\"");
    expect_csv_text("cr\rhere", "\"cr\rhere\"");
}

static void test_csv_numbers(void **state)
{
    (void)state;
    expect_csv_number(0.1, "0.1");
    expect_csv_number(1e-12, "1e-12");
    expect_csv_number(0.0, "0");
    expect_csv_number(-0.0, "0");
    expect_csv_number(42.0, "42");
    expect_csv_number(-2.5, "-2.5");
    expect_csv_number(1.0 / 3.0, "0.333333333");
    expect_csv_number(NAN, "NA");
    expect_csv_number(-NAN, "NA");
    expect_csv_number(INFINITY, "Inf");
    expect_csv_number(-INFINITY, "-Inf");
}

/* Whole numbers take a path of their own, without printf: they must still read as "%.9g"
 * prints them, up to the nine digits where "%.9g" turns to an exponent. */
static void test_csv_whole_numbers_as_printf(void **state)
{
    (void)state;
    const double xs[] = {1, -1, 7, 10, -10, 1234, 999999999, -999999999, 1e9, -1e9, 123456789012.0,
                         1e15, 4294967296.0, 0.5, 1e9 - 0.5, 2147483648.0};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        char want[64];
        snprintf(want, sizeof want, "%.9g", xs[i]);
        expect_csv_number(xs[i], want);
    }
    const long long vs[] = {0, 5, -5, 9, 10, 2147483647, -2147483648LL, LLONG_MAX, LLONG_MIN};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        char want[64];
        snprintf(want, sizeof want, "%lld", vs[i]);
        captured c;
        capture_begin(&c);
        qisim_csv_write_integer(c.fp, vs[i]);
        capture_expect(&c, want);
    }
}

static void test_json_string_escapes(void **state)
{
    (void)state;
    expect_json_string("plain", "\"plain\"");
    expect_json_string("", "\"\"");
    expect_json_string(NULL, "null");
    expect_json_string("q\"b\\", "\"q\\\"b\\\\\"");
    expect_json_string("a\nb\tc\r", "\"a\\u000ab\\u0009c\\u000d\"");
    expect_json_string("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
    expect_json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

/* JSON must be UTF-8, so bytes that are not become U+FFFD instead of breaking the file. */
static void test_json_string_replaces_invalid_utf8(void **state)
{
    (void)state;
    expect_json_string("x\xffy", "\"x\\ufffdy\"");
    expect_json_string("cut\xc3", "\"cut\\ufffd\"");
    expect_json_string("\xc0\xaf", "\"\\ufffd\\ufffd\"");             /* overlong '/' */
    expect_json_string("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* a lone surrogate */
    expect_json_string("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

/* ---- atomic output files ---- */

static void test_outfile_visible_only_after_commit(void **state)
{
    const scratch_dir *d = *state;
    char path[4096], tmp[4096];
    scratch_file(d, "series.csv", path);
    scratch_file(d, "series.csv.tmp", tmp);

    qisim_outfile f;
    qisim_err err;
    qisim_err_clear(&err);
    assert_int_equal(qisim_outfile_open(&f, path, &err), QISIM_OK);
    fputs("week,value\n1,0.5\n", f.fp);
    assert_true(file_exists(tmp));
    assert_false(file_exists(path));

    assert_int_equal(qisim_outfile_commit(&f, &err), QISIM_OK);
    assert_false(file_exists(tmp));
    assert_true(file_exists(path));
    char *text = read_whole_file(path);
    assert_non_null(text);
    assert_string_equal(text, "week,value\n1,0.5\n");
    free(text);

    /* A late abort must not take the finished file with it. */
    qisim_outfile_abort(&f);
    assert_true(file_exists(path));
}

static void test_outfile_commit_replaces_old_file(void **state)
{
    const scratch_dir *d = *state;
    char path[4096];
    scratch_file(d, "events.csv", path);
    qisim_outfile f;
    qisim_err err;
    for (int round = 0; round < 2; round++) {
        assert_int_equal(qisim_outfile_open(&f, path, &err), QISIM_OK);
        fprintf(f.fp, "round %d\n", round);
        assert_int_equal(qisim_outfile_commit(&f, &err), QISIM_OK);
    }
    char *text = read_whole_file(path);
    assert_non_null(text);
    assert_string_equal(text, "round 1\n");
    free(text);
}

static void test_outfile_abort_leaves_nothing(void **state)
{
    const scratch_dir *d = *state;
    char path[4096], tmp[4096];
    scratch_file(d, "half.csv", path);
    scratch_file(d, "half.csv.tmp", tmp);
    qisim_outfile f;
    qisim_err err;
    assert_int_equal(qisim_outfile_open(&f, path, &err), QISIM_OK);
    fputs("incomplete", f.fp);
    qisim_outfile_abort(&f);
    assert_false(file_exists(tmp));
    assert_false(file_exists(path));
    qisim_outfile_abort(&f); /* twice is harmless */

    qisim_outfile never_opened = {0};
    qisim_outfile_abort(&never_opened);
}

static void test_outfile_missing_directory(void **state)
{
    const scratch_dir *d = *state;
    char path[4096];
    scratch_file(d, "no-such-dir/series.csv", path);
    qisim_outfile f;
    qisim_err err;
    qisim_err_clear(&err);
    assert_int_equal(qisim_outfile_open(&f, path, &err), QISIM_EIO);
    assert_int_equal(err.code, QISIM_EIO);
    assert_non_null(strstr(err.msg, "cannot write"));
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, strerror(ENOENT)));
    qisim_outfile_abort(&f); /* harmless after a failed open */
}

/* When the rename fails the half-written temporary must not linger. */
static void test_outfile_failed_commit_removes_tmp(void **state)
{
    const scratch_dir *d = *state;
    char path[4096], tmp[4096], inside[4096];
    scratch_file(d, "occupied", path);
    scratch_file(d, "occupied.tmp", tmp);
    scratch_file(d, "occupied/keep", inside);
    assert_int_equal(mkdir(path, 0700), 0);
    FILE *fp = fopen(inside, "wb"); /* a non-empty directory cannot be renamed over */
    assert_non_null(fp);
    fclose(fp);

    qisim_outfile f;
    qisim_err err;
    qisim_err_clear(&err);
    assert_int_equal(qisim_outfile_open(&f, path, &err), QISIM_OK);
    fputs("data", f.fp);
    assert_int_equal(qisim_outfile_commit(&f, &err), QISIM_EIO);
    assert_non_null(strstr(err.msg, path));
    assert_false(file_exists(tmp));
    assert_true(file_exists(inside));
}

/* ---- manifest ---- */

static const char *const test_overrides[] = {"a.b=1", "quote\"d=2"};
static const char *const test_streams[] = {"training", "workforce", "scenario"};
static const char test_scenario_hash[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static qisim_manifest sample_manifest(const qisim_params *params)
{
    qisim_manifest m = {
        .version = "0.0.0-test",
        .scenario_path = "scenarios/example.lua",
        .scenario_sha256 = test_scenario_hash,
        .scenario_name = "example",
        .seed = UINT64_MAX,
        .replicates = 3,
        .weeks = 104,
        .overrides = test_overrides,
        .n_overrides = 2,
        .streams = test_streams,
        .n_streams = 3,
        .params = params,
    };
    return m;
}

static void test_manifest_records_everything(void **state)
{
    const scratch_dir *d = *state;
    char path[4096], tmp[4096];
    scratch_file(d, "manifest.json", path);
    scratch_file(d, "manifest.json.tmp", tmp);
    qisim_params params;
    qisim_params_defaults(&params);
    /* Values that need all 17 digits, or look different at 16, must still read back exactly. */
    double awkward[] = {0.1 + 0.2, 1.0 / 3.0, -0.0};
    size_t n_awkward = 0;
    for (int id = 0; id < QISIM_N_PARAMS && n_awkward < sizeof awkward / sizeof awkward[0]; id++)
        if (qisim_param_desc_at(id)->type == QISIM_PARAM_REAL)
            params.v[id] = awkward[n_awkward++];
    qisim_manifest m = sample_manifest(&params);
    qisim_err err;
    qisim_err_clear(&err);
    assert_int_equal(qisim_manifest_write(path, &m, &err), QISIM_OK);
    assert_false(file_exists(tmp));

    char *text = read_whole_file(path);
    assert_non_null(text);
    assert_non_null(strstr(text, test_scenario_hash));
    assert_non_null(strstr(text, "\"seed\": 18446744073709551615,"));
    assert_non_null(strstr(text, "\"PCG32 XSH-RR 64/32\""));
    assert_non_null(strstr(text, "\"quote\\\"d=2\""));

    /* Keys appear in the documented order. */
    static const char *const keys[] = {"\"qisim_version\"", "\"scenario\"", "\"path\"", "\"sha256\"",
                                       "\"name\"", "\"seed\"", "\"replicates\"", "\"weeks\"",
                                       "\"overrides\"", "\"rng\"", "\"algorithm\"", "\"streams\"",
                                       "\"parameters\""};
    const char *previous = text;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *at = strstr(previous, keys[i]);
        assert_non_null(at);
        previous = at;
    }

    /* Every parameter, in id order, with a value that reads back exactly. */
    const char *cursor = text;
    for (int id = 0; id < QISIM_N_PARAMS; id++) {
        const qisim_param_desc *desc = qisim_param_desc_at(id);
        char quoted[512];
        snprintf(quoted, sizeof quoted, "{\"name\": \"%s\", \"value\": ", desc->name);
        const char *entry = strstr(cursor, quoted);
        assert_non_null(entry);
        const char *value = entry + strlen(quoted);
        if (desc->type == QISIM_PARAM_BOOL) {
            const char *want = params.v[id] != 0 ? "true," : "false,";
            assert_true(strncmp(value, want, strlen(want)) == 0);
        } else {
            char *end;
            double read_back = strtod(value, &end);
            assert_true(end > value && *end == ',');
            assert_true(read_back == params.v[id]);
        }
        cursor = value;
    }
    assert_null(strstr(text, "\"value\": -0,"));
    free(text);
}

/* Same inputs, same bytes: nothing time-dependent or address-dependent leaks in. */
static void test_manifest_is_deterministic(void **state)
{
    const scratch_dir *d = *state;
    char first_path[4096], second_path[4096];
    scratch_file(d, "first.json", first_path);
    scratch_file(d, "second.json", second_path);
    qisim_params params;
    qisim_params_defaults(&params);
    qisim_manifest m = sample_manifest(&params);
    m.n_overrides = 0;
    m.overrides = NULL;
    qisim_err err;
    assert_int_equal(qisim_manifest_write(first_path, &m, &err), QISIM_OK);
    assert_int_equal(qisim_manifest_write(second_path, &m, &err), QISIM_OK);
    char *first = read_whole_file(first_path);
    char *second = read_whole_file(second_path);
    assert_non_null(first);
    assert_non_null(second);
    assert_string_equal(first, second);
    assert_non_null(strstr(first, "\"overrides\": [],"));
    free(first);
    free(second);
}

static void test_manifest_is_valid_json(void **state)
{
    const scratch_dir *d = *state;
    if (system("command -v python3 >/dev/null 2>&1") != 0)
        skip();
    char path[4096];
    scratch_file(d, "manifest.json", path);
    qisim_params params;
    qisim_params_defaults(&params);
    qisim_manifest m = sample_manifest(&params);
    qisim_err err;
    assert_int_equal(qisim_manifest_write(path, &m, &err), QISIM_OK);

    char command[8192];
    snprintf(command, sizeof command,
             "python3 -c 'import json,sys; d=json.load(open(sys.argv[1], encoding=\"utf-8\"));"
             " assert d[\"seed\"] == 18446744073709551615;"
             " assert len(d[\"parameters\"]) == int(sys.argv[2]);"
             " assert d[\"rng\"][\"streams\"] == [\"training\", \"workforce\", \"scenario\"]' '%s' %d",
             path, (int)QISIM_N_PARAMS);
    assert_int_equal(system(command), 0);
}

static void test_manifest_missing_directory(void **state)
{
    const scratch_dir *d = *state;
    char path[4096];
    scratch_file(d, "absent/manifest.json", path);
    qisim_params params;
    qisim_params_defaults(&params);
    qisim_manifest m = sample_manifest(&params);
    qisim_err err;
    qisim_err_clear(&err);
    assert_int_equal(qisim_manifest_write(path, &m, &err), QISIM_EIO);
    assert_non_null(strstr(err.msg, path));
}

/* ---- reading CSV ---- */

/* Reads every record of text and joins them as "field|field|...\n" for comparison. */
static char *read_all_records(const char *text, size_t len, int *status)
{
    qisim_csv_reader r;
    qisim_csv_reader_text(&r, text, len, "test.csv");
    char *out = NULL;
    size_t out_len = 0;
    FILE *mem = open_memstream(&out, &out_len);
    char **f;
    int n;
    qisim_err err;
    while ((n = qisim_csv_read(&r, &f, &err)) > 0) {
        for (int i = 0; i < n; i++)
            fprintf(mem, "%s%s", f[i], i + 1 < n ? "|" : "\n");
    }
    *status = n;
    fclose(mem);
    qisim_csv_reader_free(&r);
    return out;
}

/* A name quoted by the writer because it holds a line break, comma or quote reads back as one
 * field; before, every reader split the text on '\n' first. */
static void test_csv_reader_quoted_line_breaks(void **state)
{
    (void)state;
    static const char text[] = "week,entity,value\n"
                               "0,\"North\nTrust, \"\"A\"\"\",0.5\n"
                               "1,plain,NA\r\n"
                               "\n"
                               "2,\"\",last";
    int status;
    char *got = read_all_records(text, sizeof text - 1, &status);
    assert_int_equal(status, 0);
    assert_string_equal(got, "week|entity|value\n0|North\nTrust, \"A\"|0.5\n1|plain|NA\n\n2||last\n");
    free(got);
    /* the writer's own output reads back exactly */
    char *written = NULL;
    size_t written_len = 0;
    FILE *mem = open_memstream(&written, &written_len);
    qisim_csv_write_text(mem, "a\r\nb,\"c\"");
    fputs(",x\n", mem);
    fclose(mem);
    got = read_all_records(written, written_len, &status);
    assert_string_equal(got, "a\r\nb,\"c\"|x\n");
    free(got);
    free(written);
}

/* Records far longer than the old fixed 8192-byte line, from a file; a quote left open and a
 * NUL byte are errors naming the file and the line. */
static void test_csv_reader_long_records_and_errors(void **state)
{
    const scratch_dir *d = *state;
    char path[4096];
    scratch_file(d, "long.csv", path);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("a,b\n", fp);
    for (int i = 0; i < 100000; i++)
        fputc('x', fp);
    fputs(",2\n3,4\n", fp);
    fclose(fp);
    fp = fopen(path, "rb");
    qisim_csv_reader r;
    qisim_csv_reader_file(&r, fp, path);
    char **f;
    qisim_err err;
    assert_int_equal(qisim_csv_read(&r, &f, &err), 2);
    assert_int_equal(qisim_csv_read(&r, &f, &err), 2);
    assert_int_equal(strlen(f[0]), 100000);
    assert_string_equal(f[1], "2");
    assert_int_equal(qisim_csv_read(&r, &f, &err), 2);
    assert_int_equal(r.line, 3);
    assert_string_equal(f[0], "3");
    assert_int_equal(qisim_csv_read(&r, &f, &err), 0);
    qisim_csv_reader_free(&r);
    fclose(fp);

    static const char open_quote[] = "1,2\n3,\"never\nclosed\n";
    qisim_csv_reader_text(&r, open_quote, sizeof open_quote - 1, "open.csv");
    assert_int_equal(qisim_csv_read(&r, &f, &err), 2);
    assert_int_equal(qisim_csv_read(&r, &f, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "open.csv:2:"));
    qisim_csv_reader_free(&r);
    static const char nul[] = "1,2\n3,a\0b\n";
    qisim_csv_reader_text(&r, nul, sizeof nul - 1, "nul.csv");
    assert_int_equal(qisim_csv_read(&r, &f, &err), 2);
    assert_int_equal(qisim_csv_read(&r, &f, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "nul.csv:2:"));
    qisim_csv_reader_free(&r);
}

/* ---- reading JSON ---- */

static void expect_json_seed(const char *text, int want_rc, bool want_found, uint64_t want)
{
    uint64_t v = 0;
    bool found = false;
    assert_int_equal(qisim_json_find_u64(text, strlen(text), "seed", &v, &found), want_rc);
    if (want_rc == QISIM_OK) {
        assert_int_equal(found, want_found);
        if (want_found)
            assert_true(v == want);
    }
}

/* Only the top-level member counts: not a "seed" inside a string, a nested object or on the
 * same line as something else (the old reader took the first "seed": it saw). */
static void test_json_find_top_level_member(void **state)
{
    (void)state;
    expect_json_seed("{\"seed\": 18446744073709551615}", QISIM_OK, true, UINT64_MAX);
    expect_json_seed("{\"scenario\": {\"name\": \"x\", \"seed\": 5}, \"seed\": 7}", QISIM_OK, true, 7);
    expect_json_seed("{\"name\": \"\\\"seed\\\": 5\", \"list\": [\"seed\", {\"seed\": 1}], \"seed\": 9}", QISIM_OK, true,
                     9);
    expect_json_seed("{\"s\\u0065ed\": 3}", QISIM_OK, false, 0); /* escapes are not decoded: not found */
    expect_json_seed("{\"seeds\": 3}", QISIM_OK, false, 0);
    expect_json_seed("  {}  ", QISIM_OK, false, 0);
    expect_json_seed("{\"seed\": 18446744073709551616}", QISIM_EINVAL, false, 0); /* 2^64 */
    expect_json_seed("{\"seed\": -1}", QISIM_EINVAL, false, 0);
    expect_json_seed("{\"seed\": 1.5}", QISIM_EINVAL, false, 0);
    expect_json_seed("{\"seed\": 1", QISIM_EINVAL, false, 0);
    expect_json_seed("{\"seed\": 1} {", QISIM_EINVAL, false, 0);
    expect_json_seed("[1, 2]", QISIM_EINVAL, false, 0);
    expect_json_seed("{\"a\": \"unterminated}", QISIM_EINVAL, false, 0);
    char deep[300] = "{\"a\": ";
    for (int i = 0; i < 100; i++)
        strcat(deep, "[");
    expect_json_seed(deep, QISIM_EINVAL, false, 0);
}

/* The manifest qisim writes gives its seed back, whatever the scenario's name says. */
static void test_manifest_seed_reads_back(void **state)
{
    const scratch_dir *d = *state;
    char path[4096];
    scratch_file(d, "manifest.json", path);
    qisim_params params;
    qisim_params_defaults(&params);
    qisim_manifest m = sample_manifest(&params);
    m.scenario_name = "\"seed\": 5, \"x\n\"seed\": 6";
    m.seed = 12345678901234567ULL;
    qisim_err err;
    assert_int_equal(qisim_manifest_write(path, &m, &err), QISIM_OK);
    uint64_t seed = 0;
    assert_int_equal(qisim_manifest_read_seed(path, &seed, &err), QISIM_OK);
    assert_true(seed == 12345678901234567ULL);
    FILE *fp = fopen(path, "wb");
    fputs("{\"seed\": ", fp);
    fclose(fp);
    assert_int_equal(qisim_manifest_read_seed(path, &seed, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, path));
}

/* ---- a full disk ---- */

/* /dev/full fails every write with ENOSPC: the message names the file and says the disk is
 * full (it read "Input/output error" when the failure was only seen at commit). */
static void test_outfile_full_disk_is_named(void **state)
{
    const scratch_dir *d = *state;
    char path[4096], tmp[4096];
    scratch_file(d, "out.csv", path);
    scratch_file(d, "out.csv.tmp", tmp);
    if (access("/dev/full", W_OK) != 0) {
        print_message("skipped: no /dev/full\n");
        return;
    }
    for (int big = 0; big <= 1; big++) {
        assert_int_equal(symlink("/dev/full", tmp), 0);
        qisim_outfile f;
        qisim_err err;
        assert_int_equal(qisim_outfile_open(&f, path, &err), QISIM_OK);
        for (int i = 0; i < (big ? 100000 : 1); i++)
            fputs("0,1,trust,T,reliability,0.5\n", f.fp);
        if (big) /* the failure is already sticky in the stream */
            assert_int_equal(qisim_outfile_check(&f, &err), QISIM_EIO);
        else
            assert_int_equal(qisim_outfile_check(&f, &err), QISIM_OK);
        assert_int_equal(qisim_outfile_commit(&f, &err), QISIM_EIO);
        assert_non_null(strstr(err.msg, path));
        if (!big) /* where the errno is known; a sticky one is guessed from the free space */
            assert_non_null(strstr(err.msg, "the disk is full"));
        assert_false(file_exists(path));
        unlink(tmp);
    }
}

/* ---- the output-folder lock ---- */

static void test_dir_lock_one_holder(void **state)
{
    const scratch_dir *d = *state;
    char dir[4096], lock_file[4096];
    scratch_file(d, "results/x", dir);
    scratch_file(d, "results/x/.qisim-lock", lock_file);
    qisim_dir_lock a = {0}, b = {0};
    qisim_err err;
    assert_int_equal(qisim_dir_lock_take(&a, dir, &err), QISIM_OK);
    assert_true(file_exists(lock_file));
    assert_int_equal(qisim_dir_lock_take(&b, dir, &err), QISIM_EIO);
    char want[4200];
    snprintf(want, sizeof want, "%s is in use by another qisim process (pid %ld)", dir, (long)getpid());
    assert_string_equal(err.msg, want);
    qisim_dir_lock_release(&b, true); /* never held: does nothing */
    assert_true(file_exists(lock_file));
    qisim_dir_lock_release(&a, true); /* made the folder, which is empty again */
    assert_false(file_exists(lock_file));
    assert_false(file_exists(dir));
    qisim_dir_lock_release(&a, true);
    assert_int_equal(qisim_dir_lock_take(&b, dir, &err), QISIM_OK);
    qisim_dir_lock_release(&b, false);
    assert_true(file_exists(dir));
}

#define SCRATCH_TEST(fn) cmocka_unit_test_setup_teardown(fn, scratch_setup, scratch_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_known_answers),
        cmocka_unit_test(test_sha256_padding_boundaries),
        SCRATCH_TEST(test_sha256_file_matches_memory),
        SCRATCH_TEST(test_sha256_file_missing),
        cmocka_unit_test(test_csv_text_quotes_only_when_needed),
        cmocka_unit_test(test_csv_numbers),
        cmocka_unit_test(test_csv_whole_numbers_as_printf),
        cmocka_unit_test(test_json_string_escapes),
        cmocka_unit_test(test_json_string_replaces_invalid_utf8),
        SCRATCH_TEST(test_outfile_visible_only_after_commit),
        SCRATCH_TEST(test_outfile_commit_replaces_old_file),
        SCRATCH_TEST(test_outfile_abort_leaves_nothing),
        SCRATCH_TEST(test_outfile_missing_directory),
        SCRATCH_TEST(test_outfile_failed_commit_removes_tmp),
        SCRATCH_TEST(test_manifest_records_everything),
        SCRATCH_TEST(test_manifest_is_deterministic),
        SCRATCH_TEST(test_manifest_is_valid_json),
        SCRATCH_TEST(test_manifest_missing_directory),
        cmocka_unit_test(test_csv_reader_quoted_line_breaks),
        SCRATCH_TEST(test_csv_reader_long_records_and_errors),
        cmocka_unit_test(test_json_find_top_level_member),
        SCRATCH_TEST(test_manifest_seed_reads_back),
        SCRATCH_TEST(test_outfile_full_disk_is_named),
        SCRATCH_TEST(test_dir_lock_one_holder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
