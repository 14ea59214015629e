/* Lua bindings of teaching exercises: exercise{} declares a game and schedules its turns'
 * choices; game{} heads a saved game with the seed, groups and choices it was played with.
 *
 * THE SCENARIO API, PART 4: EXERCISES (docs/teaching.md)
 *
 * exercise{ name, description, turns, weeks_per_turn, budget, unit, menu, commentary, build }
 *   Instead of scenario{}. build(groups) builds the world and returns one trust per group.
 *   menu is a list of { name, label, cost, max, act }: at the start of each played turn,
 *   act(trust, n) runs for every group's trust and every item, in menu order, n being the
 *   units the group chose (0 when it chose none). The choices come from game{}, else from
 *   --arg choices=... (qisim_choices_format's text) and --arg groups=N.
 * game{ seed, groups, choices, exercise }
 *   First line of a saved game (qisim play writes it above the exercise's own text): the
 *   run must use the same seed, so `qisim run SAVED --seed S` replays the game exactly.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "qisim/exercise.h"
#include "qisim/metrics.h"

/* What an exercise records unless it calls record{} itself: the page's charts and what the
 * commentary reads. */
static const char *const exercise_metrics[] = {
    "practising_share", "formally_trained_share", "culture", "reliability", "harm_rate", "waiting",
    "strain", "rating", "qi_spend", "qi_spend_total", "coaches", "protected_time", NULL};

const qisim_exercise *qisim_scenario_exercise(const qisim_scenario *sc) { return sc->exercise; }

/* The text of --arg name=... (marked read), or NULL. */
static const char *find_arg(qisim_scenario *sc, const char *name)
{
    size_t len = strlen(name);
    for (int i = 0; sc->args && i < sc->args->n; i++) {
        const char *item = sc->args->items[i];
        if (strncmp(item, name, len) == 0 && item[len] == '=') {
            sc->args_read[i] = true;
            return item + len + 1;
        }
    }
    return NULL;
}

static void copy_field(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

static bool valid_name(const char *s)
{
    if (!s[0] || !islower((unsigned char)s[0]))
        return false;
    for (const char *p = s; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
            return false;
    return true;
}

/* Reads menu (argument 1's field) into ex and the act functions into the table at acts. */
static void read_menu(lua_State *L, const qs_table *t, qisim_exercise *ex, int acts)
{
    static const char *const keys[] = {"name", "label", "cost", "max", "act", NULL};
    if (qs_push_field(t, "menu") != LUA_TTABLE)
        luaL_argerror(L, 1, "field 'menu' must be a list of choices");
    int menu = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, menu);
    if (n < 1 || n > QISIM_MAX_MENU)
        luaL_argerror(L, 1, lua_pushfstring(L, "field 'menu' needs 1 to %d choices", (int)QISIM_MAX_MENU));
    for (lua_Integer k = 1; k <= n; k++) {
        if (lua_rawgeti(L, menu, k) != LUA_TTABLE)
            luaL_argerror(L, 1, lua_pushfstring(L, "menu[%I] must be a table", k));
        char prefix[24];
        snprintf(prefix, sizeof prefix, "menu[%d].", (int)k);
        qs_table item = {L, 1, lua_gettop(L), prefix};
        qs_check_keys(&item, keys, false);
        qisim_menu_item *it = &ex->items[k - 1];
        const char *name = NULL, *label = NULL;
        if (!qs_get_string(&item, "name", &name) || !valid_name(name) || strlen(name) >= sizeof it->name)
            luaL_argerror(L, 1, lua_pushfstring(L, "%sname must be a short lower-case name (a-z, 0-9, _)", prefix));
        for (lua_Integer j = 0; j < k - 1; j++)
            if (strcmp(ex->items[j].name, name) == 0)
                luaL_argerror(L, 1, lua_pushfstring(L, "%sname '%s' is used twice", prefix, name));
        if (!qs_get_string(&item, "label", &label) || !label[0])
            luaL_argerror(L, 1, lua_pushfstring(L, "%slabel is required", prefix));
        lua_Integer max = 1;
        double cost = 0;
        if (!qs_get_number(&item, "cost", 0, 1e9, &cost))
            luaL_argerror(L, 1, lua_pushfstring(L, "%scost is required", prefix));
        qs_get_integer(&item, "max", 1, 100, &max);
        if (qs_push_field(&item, "act") != LUA_TFUNCTION)
            luaL_argerror(L, 1, lua_pushfstring(L, "%sact must be a function(trust, n)", prefix));
        lua_rawseti(L, acts, k);
        copy_field(it->name, sizeof it->name, name);
        copy_field(it->label, sizeof it->label, label);
        it->cost = cost;
        it->max = (int32_t)max;
        lua_pop(L, 1);
    }
    ex->n_items = (int)n;
    lua_pop(L, 1);
}

static void read_commentary(lua_State *L, const qs_table *t, qisim_exercise *ex)
{
    for (int k = 0; k < QISIM_N_THRESHOLDS; k++)
        ex->thresholds[k] = qisim_threshold_defaults[k];
    int type = qs_push_field(t, "commentary");
    if (type != LUA_TNIL) {
        if (type != LUA_TTABLE)
            luaL_argerror(L, 1, "field 'commentary' must be a table of thresholds");
        qs_table c = {L, 1, lua_gettop(L), "commentary."};
        qs_check_keys(&c, qisim_threshold_names, false);
        for (int k = 0; k < QISIM_N_THRESHOLDS; k++)
            qs_get_number(&c, qisim_threshold_names[k], 0, 10, &ex->thresholds[k]);
    }
    lua_pop(L, 1);
}

/* The action of one played turn: upvalues acts, trusts, amounts (groups x items). */
static int play_turn(lua_State *L)
{
    int acts = lua_upvalueindex(1), trusts = lua_upvalueindex(2), amounts = lua_upvalueindex(3);
    lua_Integer groups = (lua_Integer)lua_rawlen(L, trusts), items = (lua_Integer)lua_rawlen(L, acts);
    for (lua_Integer g = 1; g <= groups; g++) {
        for (lua_Integer i = 1; i <= items; i++) {
            lua_rawgeti(L, acts, i);
            lua_rawgeti(L, trusts, g);
            lua_rawgeti(L, amounts, (g - 1) * items + i);
            lua_call(L, 2, 0);
        }
    }
    return 0;
}

static void schedule_turns(lua_State *L, qisim_exercise *ex, const char *choices, int acts, int trusts)
{
    qisim_scenario *sc = qs_scenario(L);
    qisim_choice *c = calloc((size_t)QISIM_MAX_TURNS * (size_t)ex->groups, sizeof *c);
    if (!c)
        luaL_error(L, "exercise: out of memory");
    int32_t turns = 0;
    qisim_err err;
    qisim_err_clear(&err);
    if (qisim_choices_parse(ex, choices, c, &turns, &err) != QISIM_OK) {
        free(c);
        luaL_error(L, "exercise: %s", err.msg);
    }
    for (int32_t t = 0; t < turns; t++) {
        lua_pushvalue(L, acts);
        lua_pushvalue(L, trusts);
        lua_createtable(L, ex->groups * ex->n_items, 0);
        for (int32_t g = 0; g < ex->groups; g++)
            for (int i = 0; i < ex->n_items; i++) {
                lua_pushinteger(L, c[t * ex->groups + g].amount[i]);
                lua_rawseti(L, -2, (lua_Integer)g * ex->n_items + i + 1);
            }
        lua_pushcclosure(L, play_turn, 3);
        qisim_scheduled s = {.kind = QISIM_AT, .week = t * ex->weeks_per_turn,
                             .action = (int32_t)luaL_ref(L, LUA_REGISTRYINDEX)};
        int rc = qisim_world_schedule(sc->w, &s, &err);
        if (rc != QISIM_OK) {
            free(c);
            qs_check_engine(L, rc, &err, "exercise");
        }
    }
    free(c);
}

/* The exercise's default record: its metrics at trust level, every 4 weeks. */
static void default_record(qisim_scenario *sc, int32_t weeks_per_turn)
{
    qisim_record *r = &sc->record;
    for (int k = 0; exercise_metrics[k] && r->n_metrics < QISIM_MAX_RECORD; k++)
        r->metrics[r->n_metrics++] = qisim_metric_find(exercise_metrics[k]);
    r->levels[QISIM_LEVEL_TRUST] = true;
    sc->record_levels_given = true;
    sc->record_every_given = weeks_per_turn % 4 == 0 ? 4 : 1;
    sc->record_called = true;
}

static int api_exercise(lua_State *L)
{
    static const char *const keys[] = {"name", "description", "turns", "weeks_per_turn", "budget", "unit",
                                       "menu", "commentary", "build", NULL};
    qisim_scenario *sc = qs_scenario(L);
    qs_check_loading(L, "exercise");
    qs_table t = qs_check_table(L, 1);
    luaL_checktype(L, 2, LUA_TNONE);
    qs_check_keys(&t, keys, false);
    if (sc->exercise)
        return luaL_error(L, "exercise{} may be called only once");
    if (sc->scenario_called)
        return luaL_error(L, "exercise{} replaces scenario{}: call one of them");
    if (sc->record_called)
        return luaL_error(L, "call record{} after exercise{}, not before");
    qisim_exercise *ex = calloc(1, sizeof *ex);
    if (!ex)
        return luaL_error(L, "exercise: out of memory");
    sc->exercise = ex; /* freed with the scenario, also on an error below */

    const char *name = NULL, *text = NULL;
    if (!qs_get_string(&t, "name", &name) || !name[0])
        return luaL_argerror(L, 1, "field 'name' is required");
    copy_field(ex->name, sizeof ex->name, name);
    if (qs_get_string(&t, "description", &text))
        copy_field(ex->description, sizeof ex->description, text);
    copy_field(ex->unit, sizeof ex->unit, "GBP k");
    if (qs_get_string(&t, "unit", &text))
        copy_field(ex->unit, sizeof ex->unit, text);
    lua_Integer turns = 0, weeks = 52;
    if (!qs_get_integer(&t, "turns", 1, QISIM_MAX_TURNS, &turns))
        return luaL_argerror(L, 1, "field 'turns' is required");
    qs_get_integer(&t, "weeks_per_turn", 1, 520, &weeks);
    if (turns * weeks > QISIM_MAX_WEEKS)
        return luaL_argerror(L, 1, lua_pushfstring(L, "turns x weeks_per_turn is more than %d weeks", QISIM_MAX_WEEKS));
    ex->turns = (int32_t)turns;
    ex->weeks_per_turn = (int32_t)weeks;
    if (!qs_get_number(&t, "budget", 0, 1e12, &ex->budget))
        return luaL_argerror(L, 1, "field 'budget' is required");
    lua_newtable(L);
    int acts = lua_gettop(L);
    read_menu(L, &t, ex, acts);
    read_commentary(L, &t, ex);

    /* groups and choices: from game{} in a saved game, else from --arg */
    lua_Integer groups = 1;
    const char *choices = "";
    if (sc->game_called) {
        groups = sc->game_groups;
        choices = sc->game_choices;
    } else {
        const char *g = find_arg(sc, "groups");
        char *end = NULL;
        if (g && (groups = strtol(g, &end, 10), *end || groups < 1 || groups > QISIM_MAX_GROUPS))
            return luaL_error(L, "exercise: --arg groups=%s is not a whole number from 1 to %d", g,
                              (int)QISIM_MAX_GROUPS);
        const char *c = find_arg(sc, "choices");
        if (c)
            choices = c;
    }
    ex->groups = (int32_t)groups;

    if (qs_push_field(&t, "build") != LUA_TFUNCTION)
        return luaL_argerror(L, 1, "field 'build' must be a function(groups) returning one trust per group");
    lua_pushinteger(L, groups);
    lua_call(L, 1, 1);
    int trusts = lua_gettop(L);
    if (lua_type(L, trusts) != LUA_TTABLE || (lua_Integer)lua_rawlen(L, trusts) != groups)
        return luaL_error(L, "exercise: build(%d) must return a list of %d trusts, one per group", (int)groups,
                          (int)groups);
    for (lua_Integer g = 1; g <= groups; g++) {
        lua_rawgeti(L, trusts, g);
        qs_handle *h = qs_test_handle(L, -1, QS_TRUST);
        if (!h)
            return luaL_error(L, "exercise: build's result [%d] is not a trust", (int)g);
        for (lua_Integer j = 1; j < g; j++)
            if (ex->group_trust[j - 1] == h->id)
                return luaL_error(L, "exercise: build's result [%d] is the trust of group %d again", (int)g, (int)j);
        ex->group_trust[g - 1] = h->id;
        lua_pop(L, 1);
    }
    free(sc->name);
    sc->name = qs_copy_string(ex->name);
    if (!sc->name)
        return luaL_error(L, "exercise: out of memory");
    sc->weeks = ex->turns * ex->weeks_per_turn;
    sc->scenario_called = true;
    default_record(sc, ex->weeks_per_turn);
    schedule_turns(L, ex, choices, acts, trusts);
    return 0;
}

static int api_game(lua_State *L)
{
    static const char *const keys[] = {"seed", "groups", "choices", "exercise", NULL};
    qisim_scenario *sc = qs_scenario(L);
    qs_check_loading(L, "game");
    qs_table t = qs_check_table(L, 1);
    luaL_checktype(L, 2, LUA_TNONE);
    qs_check_keys(&t, keys, false);
    if (sc->game_called || sc->exercise)
        return luaL_error(L, "game{} comes once, before exercise{}");
    const char *seed_text = NULL, *choices = NULL, *exercise = NULL;
    lua_Integer groups = 1;
    if (!qs_get_string(&t, "seed", &seed_text))
        return luaL_argerror(L, 1, "field 'seed' is required (a string of digits)");
    qs_get_integer(&t, "groups", 1, QISIM_MAX_GROUPS, &groups);
    if (!qs_get_string(&t, "choices", &choices))
        return luaL_argerror(L, 1, "field 'choices' is required");
    qs_get_string(&t, "exercise", &exercise);
    char *end = NULL;
    uint64_t seed = strtoull(seed_text, &end, 10);
    if (!seed_text[0] || *end || seed_text[0] == '-')
        return luaL_argerror(L, 1, "field 'seed' must be a string of digits");
    if (seed != sc->w->seed)
        return luaL_error(L, "game: this game was played with seed %s: replay it with --seed %s", seed_text,
                          seed_text);
    sc->game_choices = qs_copy_string(choices);
    if (!sc->game_choices)
        return luaL_error(L, "game: out of memory");
    sc->game_groups = (int32_t)groups;
    sc->game_called = true;
    return 0;
}

void qs_open_exercise(lua_State *L)
{
    static const luaL_Reg api[] = {{"exercise", api_exercise}, {"game", api_game}, {NULL, NULL}};
    lua_pushglobaltable(L);
    luaL_setfuncs(L, api, 0);
    lua_pop(L, 1);
}

int qisim_exercise_read(const char *path, int32_t groups, qisim_exercise *ex, qisim_err *err)
{
    char arg[32];
    snprintf(arg, sizeof arg, "groups=%d", (int)groups);
    const char *items[] = {arg};
    qisim_assignments args = {items, 1};
    qisim_world *w = qisim_world_create(1, 0);
    if (!w)
        return qisim_err_set(err, QISIM_ENOMEM, "out of memory creating the world");
    qisim_scenario *sc = qisim_scenario_load(path, w, &args, err);
    int rc = QISIM_OK;
    if (!sc)
        rc = err && err->code ? err->code : QISIM_ESCRIPT;
    else if (!sc->exercise)
        rc = qisim_err_set(err, QISIM_EINVAL, "%s: not an exercise (the file never calls exercise{})", path);
    else
        *ex = *sc->exercise;
    qisim_scenario_free(sc);
    qisim_world_free(w);
    return rc;
}
