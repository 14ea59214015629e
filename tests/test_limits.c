/* The scenario sandbox's limits end to end: hostile scenario files that used to hang, leak
 * addresses or mislead end with a one-line error naming the file (and line), a non-zero exit
 * and no result folder. Every command runs under timeout(1), so a hang fails the test
 * instead of stopping the suite. Runs the binary named by $QISIM (default build/qisim). */
#include "test_helpers.h"

#include <stdbool.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return test_make_dir(tmpdir, sizeof tmpdir, "limits");
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_dir(tmpdir);
}

typedef test_result result;

/* Runs `qisim ARGS` with stdout and stderr captured for at most 60 s. */
static void run(result *r, const char *args) { test_run(r, tmpdir, args, 60); }

static void write_file(const char *name, const char *text, char *path, size_t size)
{
    test_write_file(tmpdir, name, text, path, size);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Exit 1, exactly one line on stderr, starting with `start`, containing `has`. */
static void assert_one_line_error(const result *r, const char *start, const char *has)
{
    if (r->status != 1 || strncmp(r->err, start, strlen(start)) != 0 || !strstr(r->err, has) ||
        strchr(r->err, '\n') != r->err + strlen(r->err) - 1) {
        print_error("status %d, stderr: %s(expected status 1, a line starting '%s' with '%s')\n", r->status, r->err,
                    start, has);
        fail();
    }
}

static const char world[] = "local r = region { name = 'R' }\n"
                            "trust { name = 'T', region = r, staff = 20, teams = 2 }\n";

/* Runs the scenario `body` (after a two-line world) and expects an error at `line` containing
 * `has`; options for qisim run may follow "--" in has ("message --time-limit 1"). */
static void expect_error_at(const char *name, const char *body, int line, const char *has)
{
    char text[2048], path[512], out[600], args[1400], start[600], message[256];
    const char *options = strstr(has, " --");
    snprintf(message, sizeof message, "%.*s", options ? (int)(options - has) : (int)strlen(has), has);
    snprintf(text, sizeof text, "%s%s", world, body);
    write_file(name, text, path, sizeof path);
    snprintf(out, sizeof out, "%s/out-%s", tmpdir, name);
    snprintf(args, sizeof args, "run %s --out %s%s", path, out, options ? options : "");
    result r;
    run(&r, args);
    snprintf(start, sizeof start, "%s:%d: ", path, line);
    assert_one_line_error(&r, start, message);
    assert_false(exists(out));
}

/* Hooks are off inside finalizers, so a looping __gc hung lua_close or collectgarbage(). */
static void finalizers_are_refused(void **state)
{
    (void)state;
    expect_error_at("gc.lua", "setmetatable({}, {__gc=function() while true do end end})\ncollectgarbage()\n", 3,
                    "__gc");
}

/* Loops inside Lua's C library run no instructions: no hook could stop them. */
static void c_library_loops_end(void **state)
{
    (void)state;
    expect_error_at("move.lua", "table.move({}, 1, math.maxinteger-1, 1)\n", 3, "table.move");
    expect_error_at("find.lua", "string.find(('a'):rep(5000), 'a-a-a-a-a-a-a-a-a-a-a-b')\n", 3, "backtrack");
    expect_error_at("insert.lua",
                    "table.insert(setmetatable({}, {__len=function() return math.maxinteger end}), 1, 0)\n", 3,
                    "elements");
    /* string.rep of nothing is nothing, at once: a correct result, not an error */
    char text[512], path[512], args[1400];
    snprintf(text, sizeof text, "%sassert(string.rep('', math.maxinteger) == '')\nscenario { weeks = 1 }\n", world);
    write_file("rep.lua", text, path, sizeof path);
    snprintf(args, sizeof args, "run %s --out %s/out-rep --quiet", path, tmpdir);
    result r;
    run(&r, args);
    assert_int_equal(r.status, 0);
}

/* qisim run /dev/zero hung hashing the file; a FIFO would block opening it. */
static void only_regular_files_are_read(void **state)
{
    (void)state;
    char fifo[512], args[1400];
    result r;
    snprintf(args, sizeof args, "run /dev/zero --out %s/out-zero", tmpdir);
    run(&r, args);
    assert_one_line_error(&r, "", "/dev/zero: not a regular file");
    snprintf(fifo, sizeof fifo, "%s/fifo.lua", tmpdir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(args, sizeof args, "run %s --out %s/out-fifo", fifo, tmpdir);
    run(&r, args);
    assert_one_line_error(&r, "", "fifo.lua: not a regular file");
    snprintf(args, sizeof args, "sweep %s --out %s/out-fifo", fifo, tmpdir);
    run(&r, args);
    assert_one_line_error(&r, "", "fifo.lua: not a regular file");
    char out[600];
    snprintf(out, sizeof out, "%s/out-fifo", tmpdir);
    assert_false(exists(out));
    /* a regular file too large to be a scenario (sparse: nothing is written) */
    char big[512];
    snprintf(big, sizeof big, "%s/big.lua", tmpdir);
    FILE *f = fopen(big, "w");
    assert_non_null(f);
    assert_int_equal(fseek(f, 17L * 1024 * 1024, SEEK_SET), 0);
    fputc('\n', f);
    fclose(f);
    snprintf(args, sizeof args, "run %s --out %s/out-big", big, tmpdir);
    run(&r, args);
    assert_one_line_error(&r, big, "more than the 16 MiB a Lua file may have");
    snprintf(out, sizeof out, "%s/out-big", tmpdir);
    assert_false(exists(out));
}

/* Each weekly callback stays far under its instruction budget, but together they would run
 * for minutes: the wall clock stops the replicate at the running line. */
static void the_time_limit_stops_a_slow_replicate(void **state)
{
    (void)state;
    char text[1024], path[512], args[1400], out[600], start[600];
    snprintf(text, sizeof text,
             "%sscenario { weeks = 520 }\n"
             "every(1, function()\n"
             "  local x = 0\n"
             "  for i = 1, 3000000 do x = x + i end\n"
             "end)\n",
             world);
    write_file("slow.lua", text, path, sizeof path);
    snprintf(out, sizeof out, "%s/out-slow", tmpdir);
    snprintf(args, sizeof args, "run %s --out %s --time-limit 1", path, out);
    result r;
    run(&r, args);
    snprintf(start, sizeof start, "%s:", path);
    assert_one_line_error(&r, start, "time limit of 1 s exceeded");
    assert_false(exists(out));
    snprintf(args, sizeof args, "run %s --time-limit soon", path);
    run(&r, args);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--time-limit"));
    run(&r, "run --help");
    assert_non_null(strstr(r.out, "--time-limit"));
    run(&r, "sweep --help");
    assert_non_null(strstr(r.out, "--time-limit"));
}

/* One instruction can call C that works for a tenth of a second (utf8.len over 64 MiB): the
 * count hook, reading the clock every 10,000 instructions, would notice minutes late, so a
 * watchdog thread makes the hook run at the next instruction once the limit has passed. */
static void the_time_limit_stops_heavy_c_calls(void **state)
{
    (void)state;
    expect_error_at("heavy.lua",
                    "local s = string.rep('x', 64 * 1024 * 1024)\n"
                    "for i = 1, 1e9 do local n = utf8.len(s) end\n",
                    4, "time limit of 1 s exceeded --time-limit 1");
}

/* tostring({}), tostring(print) and string.format('%s', {}) showed addresses, which differ
 * from process to process: a scenario naming a trust with them gave different series.csv. */
static void no_addresses_reach_the_outputs(void **state)
{
    (void)state;
    char path[512], args[1400], file[700];
    write_file("addr.lua",
               "scenario { weeks = 2 }\n"
               "local r = region { name = 'R' }\n"
               "trust { name = tostring({}) .. ' ' .. tostring(print), region = r, staff = 20, teams = 2 }\n"
               "trust { name = string.format('%s', function() end), region = r, staff = 20, teams = 2 }\n"
               "print(tostring({}), {})\n",
               path, sizeof path);
    char *series[2];
    size_t len[2];
    for (int k = 0; k < 2; k++) {
        result r;
        snprintf(args, sizeof args, "run %s --out %s/addr%d --quiet", path, tmpdir, k);
        run(&r, args);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.err, "table: #4\ttable: #5\n");
        snprintf(file, sizeof file, "%s/addr%d/series.csv", tmpdir, k);
        series[k] = test_slurp(file, &len[k]);
        assert_non_null(series[k]);
    }
    assert_true(len[0] == len[1] && memcmp(series[0], series[1], len[0]) == 0);
    assert_non_null(strstr(series[0], ",trust,table: #1 function: #2,"));
    free(series[0]);
    free(series[1]);
    expect_error_at("p.lua", "local s = string.format('%p', {})\n", 3, "'%p' is not available");
}

/* A C stack overflow (recursion through a C function) had no file:line. */
static void c_stack_overflow_names_the_line(void **state)
{
    (void)state;
    expect_error_at("cstack.lua",
                    "local t = setmetatable({}, {})\n"
                    "getmetatable(t).__tostring = function(x) return tostring(x) end\n"
                    "print(tostring(t))\n",
                    4, "stack overflow");
}

/* Handles are told by metatable identity: a forged __name must not read "trust expected,
 * got trust". */
static void a_forged_name_is_not_a_handle(void **state)
{
    (void)state;
    expect_error_at("forged.lua",
                    "local fake = setmetatable({}, { __name = 'trust' })\n"
                    "local t = trust { name = 'U', region = r, staff = 20, teams = 2 }\n"
                    "t.strategy(fake, 'qi')\n",
                    5, "trust expected, got table");
}

static void a_parameter_set_twice_is_a_usage_error(void **state)
{
    (void)state;
    char path[512], args[1400];
    write_file("twice.lua", world, path, sizeof path);
    snprintf(args, sizeof args, "run %s --out %s/out-twice --set spread.rate=0.1 --set spread.rate=0.2", path,
             tmpdir);
    result r;
    run(&r, args);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--set spread.rate is given twice"));
    snprintf(args, sizeof args, "%s/out-twice", tmpdir);
    assert_false(exists(args));
}

/* sweep given a scenario said "attempt to call a nil value (global 'scenario')". */
static void sweep_on_a_scenario_says_so(void **state)
{
    (void)state;
    char text[512], path[512], args[1400], start[600];
    snprintf(text, sizeof text, "scenario { weeks = 4 }\n%s", world);
    write_file("notexp.lua", text, path, sizeof path);
    snprintf(args, sizeof args, "sweep %s --out %s/out-sweep", path, tmpdir);
    result r;
    run(&r, args);
    snprintf(start, sizeof start, "%s:1: ", path);
    assert_one_line_error(&r, start, "this is a scenario, not an experiment");
    snprintf(args, sizeof args, "%s/out-sweep", tmpdir);
    assert_false(exists(args));
}

/* Experiment files load in a sandbox of their own, with the same checked libraries. */
static void experiment_files_have_the_same_limits(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "table.move({}, 1, math.maxinteger - 1, 1)\n",
        "setmetatable({}, { __gc = function() while true do end end })\n",
        "local s = string.format('%p', {})\n",
    };
    static const char *const messages[] = {"table.move", "__gc", "'%p'"};
    for (int k = 0; k < 3; k++) {
        char path[512], args[1400], start[600], out[600];
        write_file("exp.lua", bodies[k], path, sizeof path);
        snprintf(out, sizeof out, "%s/out-exp", tmpdir);
        snprintf(args, sizeof args, "sweep %s --out %s", path, out);
        result r;
        run(&r, args);
        snprintf(start, sizeof start, "%s:1: ", path);
        assert_one_line_error(&r, start, messages[k]);
        assert_false(exists(out));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finalizers_are_refused),
        cmocka_unit_test(c_library_loops_end),
        cmocka_unit_test(only_regular_files_are_read),
        cmocka_unit_test(the_time_limit_stops_a_slow_replicate),
        cmocka_unit_test(the_time_limit_stops_heavy_c_calls),
        cmocka_unit_test(no_addresses_reach_the_outputs),
        cmocka_unit_test(c_stack_overflow_names_the_line),
        cmocka_unit_test(a_forged_name_is_not_a_handle),
        cmocka_unit_test(a_parameter_set_twice_is_a_usage_error),
        cmocka_unit_test(sweep_on_a_scenario_says_so),
        cmocka_unit_test(experiment_files_have_the_same_limits),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
