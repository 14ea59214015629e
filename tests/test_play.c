/* Tests of qisim play's game engine: choices and budget, turns, commentary, save and replay. */
#include "test_helpers.h"

#include "qisim/exercise.h"
#include "qisim/play.h"
#include "qisim/run.h"
#include "qisim/worksheet.h"

static char tmpdir[256];

/* A small exercise: 3 turns of 26 weeks, two groups' trusts of 600 staff. */
static const char small_exercise[] =
    "exercise {\n"
    "  name = 'Small', turns = 3, weeks_per_turn = 26, budget = 100,\n"
    "  commentary = { lapse = 0.5 },\n"
    "  menu = {\n"
    "    { name = 'train', label = 'Train 10%', cost = 30, max = 3,\n"
    "      act = function(t, n) if n > 0 then t:train { tier = 'practitioner', share = 0.1 * n } end end },\n"
    "    { name = 'coaches', label = 'Coaches', cost = 40, max = 2, act = function(t, n) t:coaches(3 * n) end },\n"
    "    { name = 'time', label = 'Protected time', cost = 25, max = 2,\n"
    "      act = function(t, n) t:protected_time(0.03 * n) end },\n"
    "  },\n"
    "  build = function(groups)\n"
    "    local r = region { name = 'R' }\n"
    "    local list = {}\n"
    "    for k = 1, groups do\n"
    "      list[k] = trust { name = 'T' .. k, region = r, staff = 600, teams = 20 }\n"
    "      list[k]:board_decides(false)\n"
    "    end\n"
    "    regulator {}\n"
    "    return list\n"
    "  end,\n"
    "}\n";

static void write_file(const char *name, const char *text, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", tmpdir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static int setup(void **state)
{
    (void)state;
    return test_make_dir(tmpdir, sizeof tmpdir, "play");
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_dir(tmpdir);
}

static qisim_exercise small_declaration(int32_t groups)
{
    char path[512];
    write_file("small.lua", small_exercise, path, sizeof path);
    qisim_exercise ex;
    qisim_err err;
    assert_int_equal(qisim_exercise_read(path, groups, &ex, &err), QISIM_OK);
    return ex;
}

static void the_declaration_is_read(void **state)
{
    (void)state;
    qisim_exercise ex = small_declaration(2);
    assert_string_equal(ex.name, "Small");
    assert_int_equal(ex.turns, 3);
    assert_int_equal(ex.weeks_per_turn, 26);
    assert_int_equal(ex.groups, 2);
    assert_int_equal(ex.n_items, 3);
    assert_string_equal(ex.items[1].name, "coaches");
    assert_int_equal(ex.items[0].max, 3);
    assert_close(ex.items[2].cost, 25, 0);
    assert_close(ex.thresholds[QISIM_TH_LAPSE], 0.5, 0);
    assert_close(ex.thresholds[QISIM_TH_STRAIN], qisim_threshold_defaults[QISIM_TH_STRAIN], 0);
    assert_true(ex.group_trust[0] != ex.group_trust[1]);
}

static void choices_round_trip_and_are_checked(void **state)
{
    (void)state;
    qisim_exercise ex = small_declaration(2);
    qisim_choice c[QISIM_MAX_TURNS * 2];
    int32_t turns = -1;
    qisim_err err;
    assert_int_equal(qisim_choices_parse(&ex, "", c, &turns, &err), QISIM_OK);
    assert_int_equal(turns, 0);
    const char *text = "train=2,coaches=1;/coaches=2;time=1/";
    assert_int_equal(qisim_choices_parse(&ex, text, c, &turns, &err), QISIM_OK);
    assert_int_equal(turns, 2);
    assert_int_equal(c[0].amount[0], 2);
    assert_int_equal(c[0].amount[1], 1);
    assert_int_equal(c[1].amount[0], 0);
    assert_int_equal(c[3].amount[2], 1);
    char back[256];
    assert_int_equal(qisim_choices_format(&ex, c, turns, back, sizeof back, &err), QISIM_OK);
    assert_string_equal(back, text);
    assert_int_equal(qisim_choices_format(&ex, c, turns, back, 8, &err), QISIM_ELIMIT);

    static const struct {
        const char *text, *message;
    } bad[] = {
        {"train=2;", "does not end with '/'"},
        {"train=4;/", "train = 4 is outside [0, 3]"},
        {"train=3,coaches=1;/", "costs 130 GBP k, over the budget of 100"},
        {"trian=1;/", "'trian' is not on the menu"},
        {"train=1/", "has 1 groups, not 2"},
        {"train=1;;/", "more than 2 groups"},
        {"train=1,train=1;/", "train is given twice"},
        {"train=0;/", "leave it out"},
        {"train=x;/", "needs a whole number"},
        {"train=1,;/", "trailing"},
        {";/;/;/;/", "more than the exercise's 3 turns"},
        {"train;/", "is not name=number"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        assert_int_equal(qisim_choices_parse(&ex, bad[k].text, c, &turns, &err), QISIM_EINVAL);
        if (!strstr(err.msg, bad[k].message)) {
            print_error("%s: '%s' lacks '%s'\n", bad[k].text, err.msg, bad[k].message);
            fail();
        }
    }
}

static void bad_exercises_name_file_and_line(void **state)
{
    (void)state;
    char path[512];
    qisim_exercise ex;
    qisim_err err;
    write_file("plain.lua", "local r = region { name = 'R' }\ntrust { name = 'A', region = r, staff = 100, teams = 5 }\n",
               path, sizeof path);
    assert_int_not_equal(qisim_exercise_read(path, 1, &ex, &err), QISIM_OK);
    write_file("plain1.lua", "local r = region { name = 'R' }\n", path, sizeof path);
    assert_int_not_equal(qisim_exercise_read(path, 1, &ex, &err), QISIM_OK);

    static const struct {
        const char *text, *message;
    } bad[] = {
        {"exercise { name = 'x', turns = 2, budget = 1,\n menu = { { name = 'a', label = 'A', act = function() end } },\n"
         " build = function(g) return {} end }\n",
         "bad.lua:1: bad argument #1 to 'exercise' (menu[1].cost is required)"},
        {"exercise { name = 'x', turns = 2, budget = 1,\n menu = { { name = 'a', label = 'A', cost = 1, act = function() "
         "end } },\n build = function(g) return {} end }\n",
         "build(1) must return a list of 1 trusts"},
        {"exercise { name = 'x', turns = 2, budget = 1, menu = { { name = 'A b', label = 'A', cost = 1, act = print } },"
         " build = print }\n",
         "menu[1].name must be a short lower-case name"},
        {"exercise { name = 'x', turns = 30, budget = 1, menu = {}, build = print }\n", "turns"},
        {"exercise { name = 'x', turns = 2, budget = 1, menu = { { name = 'a', label = 'A', cost = 1, act = print } },"
         " commentary = { lapse = 0.5, laps = 1 }, build = print }\n",
         "laps"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        write_file("bad.lua", bad[k].text, path, sizeof path);
        assert_int_not_equal(qisim_exercise_read(path, 1, &ex, &err), QISIM_OK);
        if (!strstr(err.msg, bad[k].message) || strncmp(err.msg, path, strlen(path)) != 0) {
            print_error("case %zu: '%s' lacks '%s'\n", k, err.msg, bad[k].message);
            fail();
        }
    }
}

static qisim_game *open_small(int32_t groups)
{
    char path[512];
    write_file("small.lua", small_exercise, path, sizeof path);
    qisim_game *g = NULL;
    qisim_err err;
    if (qisim_game_open(path, 11, groups, &g, &err) != QISIM_OK)
        print_error("%s\n", err.msg);
    assert_non_null(g);
    return g;
}

static void turns_check_the_budget_and_comment(void **state)
{
    (void)state;
    qisim_game *g = open_small(2);
    qisim_err err;
    assert_int_equal(qisim_game_turns_played(g), 0);
    qisim_choice over = {{3, 1, 0}}, alone = {{3, 0, 0}}, coached = {{1, 1, 1}};
    assert_int_equal(qisim_game_submit(g, 0, &over, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "over the budget"));
    assert_int_equal(qisim_game_submit(g, 2, &alone, &err), QISIM_EINVAL);
    assert_false(qisim_game_submitted(g, 0));
    assert_int_equal(qisim_game_submit(g, 0, &alone, &err), QISIM_OK);
    assert_false(qisim_game_all_submitted(g));
    assert_int_equal(qisim_game_submit(g, 1, &coached, &err), QISIM_OK);
    assert_true(qisim_game_all_submitted(g));
    double seconds = -1;
    assert_int_equal(qisim_game_advance(g, &seconds, &err), QISIM_OK);
    assert_true(seconds >= 0);
    assert_int_equal(qisim_game_turns_played(g), 1);
    assert_false(qisim_game_submitted(g, 0));
    assert_int_equal(qisim_game_choice(g, 0, 0)->amount[0], 3);
    assert_null(qisim_game_choice(g, 1, 0));
    /* 30% trained and no coach: most lapse; the coached trust is not told so */
    const char *alone_text = qisim_game_commentary(g, 0, 0), *coached_text = qisim_game_commentary(g, 0, 1);
    assert_non_null(strstr(alone_text, "no coaching"));
    assert_non_null(strstr(alone_text, "lapsed"));
    assert_null(strstr(coached_text, "lapsed"));
    assert_non_null(strstr(coached_text, "Reliability"));
    assert_true(qisim_game_value(g, 0, QISIM_GM_PRACTISING, 26) > 0);
    assert_true(isnan(qisim_game_value(g, 0, QISIM_GM_PRACTISING, 27)));
    assert_string_equal(qisim_game_trust_name(g, 1), "T2");

    char *json = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&json, &len);
    assert_int_equal(qisim_game_write_json(g, fp, 0, &err), QISIM_OK);
    fclose(fp);
    assert_non_null(strstr(json, "\"played\":1"));
    assert_non_null(strstr(json, "\"trust\":\"T1\""));
    assert_null(strstr(json, "\"trust\":\"T2\"")); /* another group's trust, before the end */
    free(json);
    qisim_game_free(g);
}

/* Later turns rerun from week 0 with more choices: the weeks already shown do not change,
 * and a later choice changes what follows. */
static void earlier_weeks_do_not_change(void **state)
{
    (void)state;
    qisim_game *g = open_small(1), *h = open_small(1);
    qisim_err err;
    qisim_choice first = {{2, 0, 0}}, second = {{0, 1, 2}};
    assert_int_equal(qisim_game_submit(g, 0, &first, &err), QISIM_OK);
    assert_int_equal(qisim_game_submit(h, 0, &first, &err), QISIM_OK);
    assert_int_equal(qisim_game_advance(g, NULL, &err), QISIM_OK);
    assert_int_equal(qisim_game_advance(h, NULL, &err), QISIM_OK);
    double before[27][QISIM_GM_COUNT];
    for (int32_t w = 0; w <= 26; w++)
        for (int m = 0; m < QISIM_GM_COUNT; m++)
            before[w][m] = qisim_game_value(g, 0, m, w);
    assert_int_equal(qisim_game_submit(g, 0, &second, &err), QISIM_OK);
    assert_int_equal(qisim_game_advance(g, NULL, &err), QISIM_OK);
    assert_int_equal(qisim_game_advance(h, NULL, &err), QISIM_OK); /* nothing chosen */
    for (int32_t w = 0; w <= 26; w++)
        for (int m = 0; m < QISIM_GM_COUNT; m++) {
            double v = qisim_game_value(g, 0, m, w);
            assert_true(v == before[w][m] || (isnan(v) && isnan(before[w][m])));
        }
    assert_true(qisim_game_value(g, 0, QISIM_GM_COACHES, 52) == 3);
    assert_true(qisim_game_value(h, 0, QISIM_GM_COACHES, 52) == 0);
    assert_true(qisim_game_value(g, 0, QISIM_GM_PRACTISING, 52) != qisim_game_value(h, 0, QISIM_GM_PRACTISING, 52));
    qisim_game_free(g);
    qisim_game_free(h);
}

static void a_saved_game_replays_exactly(void **state)
{
    (void)state;
    qisim_game *g = open_small(2);
    qisim_err err;
    qisim_choice a = {{2, 1, 0}}, b = {{0, 2, 0}}, c = {{1, 0, 2}};
    for (int t = 0; t < 3; t++) {
        assert_int_equal(qisim_game_submit(g, 0, t == 1 ? &b : &a, &err), QISIM_OK);
        if (t != 2)
            assert_int_equal(qisim_game_submit(g, 1, &c, &err), QISIM_OK);
        assert_int_equal(qisim_game_advance(g, NULL, &err), QISIM_OK);
    }
    assert_true(qisim_game_over(g));
    assert_int_equal(qisim_game_advance(g, NULL, &err), QISIM_EINVAL);
    assert_int_equal(qisim_game_submit(g, 0, &a, &err), QISIM_EINVAL);
    char *text = qisim_game_saved_text(g, &err);
    assert_non_null(text);
    assert_non_null(strstr(text, "game { seed = \"11\", groups = 2, choices = \"train=2,coaches=1;train=1,time=2/"
                                 "coaches=2;train=1,time=2/train=2,coaches=1;/\""));
    free(text);

    char dir[600], replay[600];
    snprintf(dir, sizeof dir, "%s/game", tmpdir);
    snprintf(replay, sizeof replay, "%s/replay", tmpdir);
    assert_int_equal(qisim_game_save(g, dir, &err), QISIM_OK);
    char saved[700];
    snprintf(saved, sizeof saved, "%s/game.lua", dir);
    qisim_run_options o = {.scenario_path = saved, .out_dir = replay, .seed = 11, .replicates = 1};
    qisim_run_result res;
    assert_int_equal(qisim_run(&o, &res, &err), QISIM_OK);
    const char *files[] = {"series.csv", "events.csv", "manifest.json"};
    for (int k = 0; k < 3; k++) {
        char p1[800], p2[800];
        snprintf(p1, sizeof p1, "%s/%s", dir, files[k]);
        snprintf(p2, sizeof p2, "%s/%s", replay, files[k]);
        char *x = slurp(p1), *y = slurp(p2);
        assert_string_equal(x, y);
        free(x);
        free(y);
    }
    /* the game's own figures are those of the results folder */
    char p[800], line[256];
    snprintf(p, sizeof p, "%s/series.csv", dir);
    char *series = slurp(p);
    snprintf(line, sizeof line, "\n78,0,trust,T1,practising_share,%.9g\n",
             qisim_game_value(g, 0, QISIM_GM_PRACTISING, 78));
    assert_non_null(strstr(series, line));
    snprintf(line, sizeof line, "\n52,0,trust,T2,culture,%.9g\n", qisim_game_value(g, 1, QISIM_GM_CULTURE, 52));
    assert_non_null(strstr(series, line));
    free(series);

    /* another seed is refused, not silently a different game */
    o.seed = 12;
    snprintf(replay, sizeof replay, "%s/replay12", tmpdir);
    o.out_dir = replay;
    assert_int_not_equal(qisim_run(&o, &res, &err), QISIM_OK);
    assert_non_null(strstr(err.msg, "played with seed 11: replay it with --seed 11"));
    qisim_game_free(g);
}

/* An act that fails in turn 2 stops that turn with its file and line; the game stays at
 * turn 1 and can be saved. */
static void a_failing_turn_leaves_the_game_as_it_was(void **state)
{
    (void)state;
    char path[512];
    write_file("failing.lua",
               "exercise { name = 'F', turns = 3, weeks_per_turn = 4, budget = 10,\n"
               "  menu = { { name = 'boom', label = 'Boom', cost = 1, max = 1,\n"
               "    act = function(t, n) if n > 0 and week() > 0 then error('boom at week ' .. week()) end end } },\n"
               "  build = function(groups) local r = region { name = 'R' }\n"
               "    return { trust { name = 'A', region = r, staff = 100, teams = 5 } } end }\n",
               path, sizeof path);
    qisim_game *g = NULL;
    qisim_err err;
    assert_int_equal(qisim_game_open(path, 3, 1, &g, &err), QISIM_OK);
    qisim_choice boom = {{1}};
    assert_int_equal(qisim_game_submit(g, 0, &boom, &err), QISIM_OK);
    assert_int_equal(qisim_game_advance(g, NULL, &err), QISIM_OK); /* week 0: no error */
    assert_int_equal(qisim_game_submit(g, 0, &boom, &err), QISIM_OK);
    assert_int_equal(qisim_game_advance(g, NULL, &err), QISIM_ESCRIPT);
    char where[600];
    snprintf(where, sizeof where, "%s:3: boom at week 4", path);
    assert_non_null(strstr(err.msg, where));
    assert_int_equal(qisim_game_turns_played(g), 1);
    assert_true(qisim_game_submitted(g, 0));
    char *text = qisim_game_saved_text(g, &err);
    assert_non_null(strstr(text, "choices = \"boom=1/\""));
    free(text);
    qisim_game_free(g);
}

/* The worksheet's HTML page of md, standalone or served; the caller frees it. */
static char *sheet(const char *md, bool standalone)
{
    char *html = NULL;
    size_t len = 0;
    qisim_err err;
    assert_int_equal(qisim_worksheet_html(md, strlen(md), standalone, &html, &len, &err), QISIM_OK);
    assert_non_null(html);
    assert_int_equal(strlen(html), len);
    return html;
}

static void contains(const char *html, const char *part)
{
    if (!strstr(html, part))
        fail_msg("'%s' not in:\n%s", part, html);
}

static void lacks(const char *html, const char *part)
{
    if (strstr(html, part))
        fail_msg("'%s' should not be in:\n%s", part, html);
}

/* Each construct the worksheets use becomes its HTML element. */
static void the_worksheet_constructs_render(void **state)
{
    (void)state;
    char *h = sheet("# Worksheet: *one*\n\n"
                    "**Exercise:** `qisim play x.lua` and a paragraph\nover **two\nlines**.\n\n"
                    "## Goals\n\n1. first\n   continued\n2. *second*\n\n"
                    "- a bullet\n- another with [the docs](../docs/teaching.md) and [a site](https://example.org/a?b=1&c=2)\n\n"
                    "| col | b |\n|---|---|\n| 42% | 0.35 |\n\n### Small\n3. three\n",
                    true);
    contains(h, "<title>Worksheet: one</title>");
    contains(h, "<style>\n@page { size: A4;");
    lacks(h, "<link rel=\"stylesheet\"");
    contains(h, "<h1>Worksheet: <em>one</em></h1>");
    contains(h, "<p><strong>Exercise:</strong> <code>qisim play x.lua</code> and a paragraph over <strong>two lines</strong>.</p>");
    contains(h, "<h2>Goals</h2>");
    contains(h, "<ol>\n<li>first continued</li>\n<li><em>second</em></li>\n</ol>");
    contains(h, "<ul>\n<li>a bullet</li>\n<li>another with <a href=\"../docs/teaching.md\">the docs</a> and "
                "<a href=\"https://example.org/a?b=1&amp;c=2\">a site</a></li>\n</ul>");
    contains(h, "<table>\n<thead><tr><th>col</th><th>b</th></tr></thead>\n<tbody>\n<tr><td>42%</td><td>0.35</td></tr>\n"
                "</tbody></table>");
    contains(h, "<h3>Small</h3>\n<ol start=\"3\">\n<li>three</li>");
    contains(h, "</main>\n</body>\n</html>\n");
    free(h);
    h = sheet("# Served\n", false);
    contains(h, "<link rel=\"stylesheet\" href=\"/worksheet.css\">");
    lacks(h, "<style>");
    free(h);
}

/* Whatever is not the subset is text: no element, attribute or script gets through. */
static void hostile_worksheets_stay_text(void **state)
{
    (void)state;
    char *h = sheet("# <script>alert(1)</script>\n\n"
                    "Text <b onmouseover=\"x()\">bold</b> & <img src=x onerror=alert(2)> 'q'\n\n"
                    "`<script>in code</script>` and **<i>in bold</i>**\n\n"
                    "- [click](javascript:alert(3)) [two](JavaScript:alert(4)) [data](data:text/html,<script>)\n"
                    "- [quote](https://x.org/\"onclick=\"alert(5)) [spaced](java script:x) [empty]()\n\n"
                    "| <td>cell</td> | ** |\n\n"
                    "<div>raw html block</div>\n\n- unclosed *emphasis and **bold and `code\n",
                    false);
    lacks(h, "<script");
    lacks(h, "<b ");
    lacks(h, "<img");
    lacks(h, "<i>");
    lacks(h, "<div>");
    lacks(h, "<td><td>");
    lacks(h, "javascript:");
    lacks(h, "JavaScript:");
    lacks(h, "data:");
    lacks(h, "\"onclick");
    contains(h, "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>");
    contains(h, "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>");
    contains(h, "Text &lt;b onmouseover=&quot;x()&quot;&gt;bold&lt;/b&gt; &amp; &lt;img src=x onerror=alert(2)&gt; &#39;q&#39;");
    contains(h, "<code>&lt;script&gt;in code&lt;/script&gt;</code> and <strong>&lt;i&gt;in bold&lt;/i&gt;</strong>");
    contains(h, "<li>click) two) data</li>"); /* a refused link keeps its text, loses its address */
    contains(h, "<a href=\"https://x.org/&quot;onclick=&quot;alert(5\">quote</a>) spaced empty</li>");
    contains(h, "<th>&lt;td&gt;cell&lt;/td&gt;</th><th>**</th>");
    contains(h, "<p>&lt;div&gt;raw html block&lt;/div&gt;</p>");
    contains(h, "<li>unclosed *emphasis and **bold and `code</li>");
    free(h);
    /* too long for a worksheet: refused, nothing returned */
    size_t big = (size_t)QISIM_WORKSHEET_MAX + 1;
    char *md = malloc(big);
    assert_non_null(md);
    memset(md, 'a', big);
    char *html = (char *)"unchanged";
    qisim_err err;
    assert_int_equal(qisim_worksheet_html(md, big, true, &html, NULL, &err), QISIM_ELIMIT);
    assert_null(html);
    assert_non_null(strstr(err.msg, "worksheet"));
    free(md);
}

/* The worksheet is the .md beside the exercise; none is not an error; every exercise in
 * scenarios/teaching has one, and its first heading is the page's. */
static void each_exercise_has_its_worksheet(void **state)
{
    (void)state;
    char path[512];
    write_file("lonely.lua", "exercise {}\n", path, sizeof path);
    bool found = true;
    char *html = NULL;
    qisim_err err;
    assert_int_equal(qisim_worksheet_for_exercise(path, true, &found, &html, NULL, &err), QISIM_OK);
    assert_false(found);
    assert_null(html);
    write_file("lonely.md", "# Lonely\n", path, sizeof path);
    write_file("lonely.lua", "exercise {}\n", path, sizeof path);
    assert_int_equal(qisim_worksheet_for_exercise(path, true, &found, &html, NULL, &err), QISIM_OK);
    assert_true(found);
    contains(html, "<h1>Lonely</h1>");
    free(html);
    const char *const exercises[] = {"training_coaching", "new_ceo", "from_special_measures", "the_pressure_trap"};
    for (size_t k = 0; k < sizeof exercises / sizeof *exercises; k++) {
        snprintf(path, sizeof path, "scenarios/teaching/%s.lua", exercises[k]);
        assert_int_equal(qisim_worksheet_for_exercise(path, false, &found, &html, NULL, &err), QISIM_OK);
        assert_true(found);
        contains(html, "<h1>Worksheet: ");
        contains(html, "<h2>Learning goals</h2>\n");
        contains(html, "<h2>Questions</h2>\n<ol>\n<li>");
        lacks(html, "**");                 /* every emphasis closed */
        lacks(html, "`");
        free(html);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_declaration_is_read),
        cmocka_unit_test(choices_round_trip_and_are_checked),
        cmocka_unit_test(bad_exercises_name_file_and_line),
        cmocka_unit_test(turns_check_the_budget_and_comment),
        cmocka_unit_test(earlier_weeks_do_not_change),
        cmocka_unit_test(a_saved_game_replays_exactly),
        cmocka_unit_test(a_failing_turn_leaves_the_game_as_it_was),
        cmocka_unit_test(the_worksheet_constructs_render),
        cmocka_unit_test(hostile_worksheets_stay_text),
        cmocka_unit_test(each_exercise_has_its_worksheet),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
