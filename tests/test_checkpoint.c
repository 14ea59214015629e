/* Checkpoint integrity end to end: a real checkpoint from the current binary, damaged in many
 * ways (bit flips, truncation, forged counts with a recomputed checksum, forged records), must
 * be refused with one line naming the file, exit 1 and no result, or be run without a crash.
 * No struct layout is written down here: records are found by their names in the file. */
#include "test_helpers.h"

#include <dirent.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qisim/io.h"

static char tmpdir[256];
static unsigned char *original; /* the checkpoint as written */
static size_t original_size;
static const char scenario[] = "tests/fuzz/checkpoint_world.lua";

static int run_qisim(const char *args, char *err, size_t err_size)
{
    char cmd[2048], err_path[300];
    snprintf(err_path, sizeof err_path, "%s/stderr", tmpdir);
    snprintf(cmd, sizeof cmd, "%s %s >/dev/null 2>%s </dev/null", test_qisim_binary(), args, err_path);
    int s = system(cmd);
    err[0] = '\0';
    FILE *f = fopen(err_path, "r");
    if (f) {
        size_t n = fread(err, 1, err_size - 1, f);
        err[n] = '\0';
        fclose(f);
    }
    return WIFEXITED(s) ? WEXITSTATUS(s) : 128 + (WIFSIGNALED(s) ? WTERMSIG(s) : 0);
}

static int setup(void **state)
{
    (void)state;
    if (test_make_dir(tmpdir, sizeof tmpdir, "ckpt"))
        return -1;
    char args[1200], err[4096], path[600];
    snprintf(args, sizeof args, "run %s --out %s/saved --checkpoint-week 6 --checkpoint-dir %s/ck --quiet", scenario,
             tmpdir, tmpdir);
    if (run_qisim(args, err, sizeof err) != 0) {
        fprintf(stderr, "setup: %s", err);
        return -1;
    }
    snprintf(path, sizeof path, "%s/ck/replicate-0.qisim", tmpdir);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    struct stat st;
    fstat(fileno(f), &st);
    original_size = (size_t)st.st_size;
    original = malloc(original_size);
    size_t got = fread(original, 1, original_size, f);
    fclose(f);
    return got == original_size ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(original);
    return test_remove_dir(tmpdir);
}

/* Recomputes the digest, as a forger would: what remains must be caught by the bounds checks. */
static void reseal(unsigned char *data, size_t size)
{
    memset(data + offsetof(qisim_checkpoint_header, digest), 0, 32);
    uint8_t digest[32];
    qisim_sha256(data, size, digest);
    memcpy(data + offsetof(qisim_checkpoint_header, digest), digest, sizeof digest);
}

/* Continues from data as CK/replicate-0.qisim; returns the exit status, stderr in err. */
static int continue_from(const unsigned char *data, size_t size, int trial, char *err, size_t err_size, bool *wrote)
{
    char dir[600], path[700], out[600], args[1600];
    snprintf(dir, sizeof dir, "%s/bad-%d", tmpdir, trial);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/replicate-0.qisim", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, size, f), size);
    fclose(f);
    snprintf(out, sizeof out, "%s/out-%d", tmpdir, trial);
    snprintf(args, sizeof args, "run %s --out %s --from %s", scenario, out, dir);
    int status = run_qisim(args, err, err_size);
    /* "no output folder": absent, or empty (a lock or a temporary file must be gone too) */
    DIR *d = opendir(out);
    *wrote = false;
    for (struct dirent *e; d && (e = readdir(d));)
        *wrote |= strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return status;
}

/* One line, naming the checkpoint file. */
static void assert_refused(int status, const char *err, bool wrote, const char *what)
{
    if (status != 1 || !strstr(err, "replicate-0.qisim") || strchr(err, '\n') != err + strlen(err) - 1 || wrote)
        print_error("%s: status %d, wrote %d, stderr: %s\n", what, status, (int)wrote, err);
    assert_int_equal(status, 1);
    assert_non_null(strstr(err, "replicate-0.qisim"));
    assert_true(strchr(err, '\n') == err + strlen(err) - 1);
    assert_false(wrote);
}

/* Issue 14: all 40 random single-bit flips were accepted. Every one must be refused now. */
static void single_bit_flips_are_refused(void **state)
{
    (void)state;
    unsigned char *data = malloc(original_size);
    char err[4096];
    uint64_t x = 0x9e3779b97f4a7c15u; /* a fixed sequence: the same positions every run */
    for (int trial = 0; trial < 48; trial++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t bit = (size_t)(x % (original_size * 8));
        memcpy(data, original, original_size);
        data[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        bool wrote;
        int status = continue_from(data, original_size, trial, err, sizeof err, &wrote);
        char what[64];
        snprintf(what, sizeof what, "bit %zu", bit);
        assert_refused(status, err, wrote, what);
        assert_true(strstr(err, "damaged") || strstr(err, "not a qisim checkpoint") || strstr(err, "another build") ||
                    strstr(err, "format"));
    }
    free(data);
}

static void truncated_and_padded_files_are_refused(void **state)
{
    (void)state;
    unsigned char *data = malloc(original_size + 1);
    memcpy(data, original, original_size);
    data[original_size] = 0;
    char err[4096];
    bool wrote;
    const size_t sizes[] = {0, 7, sizeof(qisim_checkpoint_header) - 1, sizeof(qisim_checkpoint_header),
                            original_size / 2, original_size - 1, original_size + 1};
    for (int i = 0; i < (int)(sizeof sizes / sizeof sizes[0]); i++) {
        int status = continue_from(data, sizes[i], 100 + i, err, sizeof err, &wrote);
        assert_refused(status, err, wrote, "size");
    }
    free(data);
}

/* Sets a header field to v (int32) and reseals. */
static void forge_header(size_t offset, int32_t v, int trial, const char *message)
{
    unsigned char *data = malloc(original_size);
    memcpy(data, original, original_size);
    memcpy(data + offset, &v, sizeof v);
    reseal(data, original_size);
    char err[4096];
    bool wrote;
    int status = continue_from(data, original_size, trial, err, sizeof err, &wrote);
    assert_refused(status, err, wrote, message);
    if (!strstr(err, message))
        print_error("expected '%s' in: %s", message, err);
    assert_non_null(strstr(err, message));
    free(data);
}

/* Issue 14: n_events = -1 overflowed a heap buffer; a negative week hung. */
static void forged_header_counts_are_refused(void **state)
{
    (void)state;
    forge_header(offsetof(qisim_checkpoint_header, n_events), -1, 200, "damaged (bad counts");
    forge_header(offsetof(qisim_checkpoint_header, n_events), 1 << 30, 201, "damaged (bad counts");
    forge_header(offsetof(qisim_checkpoint_header, week), -1, 202, "damaged (bad counts");
    forge_header(offsetof(qisim_checkpoint_header, week), INT32_MIN, 203, "damaged (bad counts");
    forge_header(offsetof(qisim_checkpoint_header, n_collaboratives), -5, 204, "damaged (bad counts");
    forge_header(offsetof(qisim_checkpoint_header, n_staff), 1 << 30, 205, "damaged (bad counts");
    forge_header(offsetof(qisim_checkpoint_header, n_schedule), -1, 206, "damaged (bad counts");
    forge_header(offsetof(qisim_checkpoint_header, format), 2, 207, "format 2");
    forge_header(offsetof(qisim_checkpoint_header, n_bridges), -1, 208, "damaged (bad counts");
    forge_header(offsetof(qisim_checkpoint_header, n_bridges), 5, 209, "damaged (bad counts");
}

/* The offset of the record whose name field holds name (names are unique in this world). */
static size_t record_named(const char *name, size_t name_offset)
{
    size_t len = strlen(name) + 1; /* with its NUL, so "Trust Alpha" is not "Trust Alpha/1" */
    for (size_t i = sizeof(qisim_checkpoint_header); i + len <= original_size; i++)
        if (memcmp(original + i, name, len) == 0)
            return i - name_offset;
    fail_msg("no record named %s", name);
    return 0;
}

static void forge_record(size_t at, const void *v, size_t size, int trial)
{
    unsigned char *data = malloc(original_size);
    memcpy(data, original, original_size);
    memcpy(data + at, v, size);
    reseal(data, original_size);
    char err[4096];
    bool wrote;
    int status = continue_from(data, original_size, trial, err, sizeof err, &wrote);
    char what[64];
    snprintf(what, sizeof what, "forged record %d", trial);
    assert_refused(status, err, wrote, what);
    free(data);
}

/* Indices, enums, flags and numbers inside records, each with a valid checksum. */
static void forged_records_are_refused(void **state)
{
    (void)state;
    /* team records carry no name: Trust Alpha/1 is its trust's first team, whose record lies
     * n_teams records before the names section at first_team names before its own name */
    size_t alpha_trust = record_named("Trust Alpha", offsetof(qisim_trust, name));
    int32_t first_team, n_teams;
    memcpy(&first_team, original + alpha_trust + offsetof(qisim_trust, first_team), sizeof first_team);
    memcpy(&n_teams, original + offsetof(qisim_checkpoint_header, n_teams), sizeof n_teams);
    size_t names = record_named("Trust Alpha/1", 0) - (size_t)first_team * QISIM_NAME_MAX;
    size_t team = names - (size_t)n_teams * sizeof(qisim_team) + (size_t)first_team * sizeof(qisim_team);
    size_t projects = names + (size_t)n_teams * QISIM_NAME_MAX +
                      (size_t)first_team * QISIM_MAX_PROJECTS * sizeof(qisim_project);
    size_t trust = record_named("Trust Beta", offsetof(qisim_trust, name));
    const int32_t big = 1 << 20, minus2 = -2, minus1 = -1, zero = 0;
    const double nan = (double)NAN, two = 2.0;
    const unsigned char seven = 7;
    forge_record(team + offsetof(qisim_team, collaborative), &big, sizeof big, 300);
    forge_record(team + offsetof(qisim_team, collaborative), &minus2, sizeof minus2, 301);
    forge_record(team + offsetof(qisim_team, first_staff), &big, sizeof big, 302);
    forge_record(team + offsetof(qisim_team, n_staff), &minus1, sizeof minus1, 303);
    forge_record(team + offsetof(qisim_team, trust), &big, sizeof big, 304);
    forge_record(team + offsetof(qisim_team, reliability), &nan, sizeof nan, 305);
    forge_record(team + offsetof(qisim_team, psych_safety), &two, sizeof two, 306);
    forge_record(projects + offsetof(qisim_project, state), &seven, 1, 307);
    forge_record(team + offsetof(qisim_team, projects_active), &seven, 1, 299); /* counts the slots do not give */
    forge_record(projects + 7 * sizeof(qisim_project) + offsetof(qisim_project, topic), &seven, 1, 308);
    forge_record(names, "Trust Alpha/9", 14, 309);
    forge_record(trust + offsetof(qisim_trust, first_team), &big, sizeof big, 310);
    forge_record(trust + offsetof(qisim_trust, n_teams), &big, sizeof big, 311);
    forge_record(trust + offsetof(qisim_trust, partner), &big, sizeof big, 312);
    forge_record(trust + offsetof(qisim_trust, network), &minus2, sizeof minus2, 313);
    forge_record(trust + offsetof(qisim_trust, strategy), &big, sizeof big, 314);
    forge_record(trust + offsetof(qisim_trust, rating), &minus1, sizeof minus1, 315);
    forge_record(trust + offsetof(qisim_trust, induction_tier), &big, sizeof big, 316);
    forge_record(trust + offsetof(qisim_trust, special_measures), &seven, 1, 317);
    forge_record(trust + offsetof(qisim_trust, culture), &nan, sizeof nan, 318);
    forge_record(trust + offsetof(qisim_trust, region), &big, sizeof big, 319);
    forge_record(trust + offsetof(qisim_trust, name), "Trust Gamma", 12, 320);
    /* the trust's own partner: the model would read itself as its exemplar */
    size_t alpha = record_named("Trust Alpha", offsetof(qisim_trust, name));
    forge_record(alpha + offsetof(qisim_trust, partner), &zero, sizeof zero, 321);
}

/* Random single-bit changes behind a valid checksum: each is refused with one line or runs to
 * the end; never a crash, a hang or a sanitizer report (make sanitize runs this too). */
static void resealed_bit_flips_never_crash(void **state)
{
    (void)state;
    unsigned char *data = malloc(original_size);
    char err[4096];
    uint64_t x = 0x2545f4914f6cdd1du;
    size_t header = sizeof(qisim_checkpoint_header);
    for (int trial = 0; trial < 40; trial++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t bit = header * 8 + (size_t)(x % ((original_size - header) * 8));
        memcpy(data, original, original_size);
        data[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        reseal(data, original_size);
        bool wrote;
        int status = continue_from(data, original_size, 400 + trial, err, sizeof err, &wrote);
        if (status != 0 && status != 1)
            print_error("bit %zu: status %d, stderr: %s\n", bit, status, err);
        assert_true(status == 0 || status == 1);
        if (status == 1)
            assert_refused(status, err, wrote, "resealed flip");
    }
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(single_bit_flips_are_refused),
        cmocka_unit_test(truncated_and_padded_files_are_refused),
        cmocka_unit_test(forged_header_counts_are_refused),
        cmocka_unit_test(forged_records_are_refused),
        cmocka_unit_test(resealed_bit_flips_never_crash),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
