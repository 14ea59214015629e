/* qisim play: the game engine (turns, choices, commentary, save and replay) and the
 * classroom web server around it. */
#ifndef QISIM_PLAY_H
#define QISIM_PLAY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "qisim/err.h"
#include "qisim/exercise.h"

/* The series a game keeps per group and week: the page's eight charts first. */
enum qisim_game_metric {
    QISIM_GM_PRACTISING, QISIM_GM_CULTURE, QISIM_GM_RELIABILITY, QISIM_GM_HARM, QISIM_GM_WAITING,
    QISIM_GM_STRAIN, QISIM_GM_RATING, QISIM_GM_SPEND,
    QISIM_GM_TRAINED, QISIM_GM_COACHES, QISIM_GM_PROTECTED, QISIM_GM_SPEND_WEEK, QISIM_GM_TIME_CUT,
    QISIM_GM_COUNT
};
enum { QISIM_GAME_CHARTS = QISIM_GM_SPEND + 1, QISIM_COMMENT_BYTES = 1200 };

/* The metric behind each series ("practising_share", ...). */
extern const char *const qisim_game_metric_names[QISIM_GM_COUNT];

typedef struct qisim_game qisim_game;

/* Opens a game of the exercise file at path for `groups` groups, played with `seed`: reads
 * the declaration (errors name file and line) and simulates week 0. Free with
 * qisim_game_free. */
int qisim_game_open(const char *path, uint64_t seed, int32_t groups, qisim_game **out, qisim_err *err);
void qisim_game_free(qisim_game *g);

const qisim_exercise *qisim_game_exercise(const qisim_game *g);
int32_t qisim_game_turns_played(const qisim_game *g);
bool qisim_game_over(const qisim_game *g);
uint64_t qisim_game_seed(const qisim_game *g);

/* Records group's choice for the coming turn (replacing an earlier one), after checking it
 * against the menu and the budget; QISIM_EINVAL once the game is over. */
int qisim_game_submit(qisim_game *g, int32_t group, const qisim_choice *c, qisim_err *err);
bool qisim_game_submitted(const qisim_game *g, int32_t group);
/* Whether every group has submitted for the coming turn. */
bool qisim_game_all_submitted(const qisim_game *g);

/* Plays the coming turn: groups that did not submit choose nothing. The exercise runs again
 * from week 0 with every choice so far, so turn t's results equal `qisim run` of the saved
 * game up to that week. *seconds (may be NULL) is the simulation's wall-clock time. */
int qisim_game_advance(qisim_game *g, double *seconds, qisim_err *err);

/* Group's value of series m after `week` weeks (0 .. turns played x weeks per turn). */
double qisim_game_value(const qisim_game *g, int32_t group, int metric, int32_t week);
/* The choice group made in turn (0-based, < turns played). */
const qisim_choice *qisim_game_choice(const qisim_game *g, int32_t turn, int32_t group);
/* The commentary on group's turn: lines separated by '\n'. */
const char *qisim_game_commentary(const qisim_game *g, int32_t turn, int32_t group);
/* The name of group's trust. */
const char *qisim_game_trust_name(const qisim_game *g, int32_t group);

/* The saved game: a game{} line with seed, groups and choices above the exercise's own text,
 * a scenario that `qisim run SAVED --seed S` replays. Malloc'ed, NUL-terminated. */
char *qisim_game_saved_text(const qisim_game *g, qisim_err *err);
/* Writes the saved game to dir/game.lua and its results (qisim run of it: series.csv,
 * events.csv, manifest.json) into dir. */
int qisim_game_save(const qisim_game *g, const char *dir, qisim_err *err);

/* The state as JSON for the page: the exercise and menu, turns played, and per group its
 * choices, commentary and series (every `every` weeks and at each turn's end). viewer is a
 * group (only its own group until the game is over) or -1 (all groups). */
int qisim_game_write_json(const qisim_game *g, FILE *fp, int32_t viewer, qisim_err *err);

/* ---- the classroom server (server.c) --------------------------------------------------- */

typedef struct qisim_play_options {
    const char *exercise_path;
    const char *listen;            /* IPv4 address to bind; NULL: 127.0.0.1 */
    int32_t port;                  /* 0: any free port */
    int32_t groups;
    uint64_t seed;
    const char *out_dir;           /* the finished game is saved here (game.lua and its results) */
    const char *chart_js;          /* Chart.js to serve; NULL: Debian's libjs-chart.js */
    /* Called once the server listens: the addresses to open. */
    void (*ready)(void *ctx, const char *join_url, const char *teacher_url, const char *code);
    /* Called with one line on each turn played or game saved, and on errors while serving. */
    void (*log)(void *ctx, const char *line);
    void *ctx;
} qisim_play_options;

/* Serves the game over HTTP until SIGINT or SIGTERM, then stops cleanly. Every request is
 * validated and size-limited; connections and memory are bounded; the page reads nothing
 * from the file system. */
int qisim_play_serve(const qisim_play_options *o, qisim_err *err);

#endif
