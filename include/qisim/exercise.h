/* Teaching exercises: what an exercise file declares (menu, budget, turns, commentary
 * thresholds) and the per-turn choices a game records, with their one text form. */
#ifndef QISIM_EXERCISE_H
#define QISIM_EXERCISE_H

#include <stddef.h>
#include <stdint.h>

#include "qisim/err.h"
#include "qisim/scenario.h"

enum { QISIM_MAX_MENU = 16, QISIM_MAX_GROUPS = 16, QISIM_MAX_TURNS = 20 };

/* One entry of the menu: chosen 0..max times a turn, each time costing cost. */
typedef struct qisim_menu_item {
    char name[32];     /* [a-z][a-z0-9_]*: the key in choices and in the HTTP API */
    char label[160];   /* what the class reads */
    double cost;       /* budget units per unit chosen */
    int32_t max;       /* most units a turn */
} qisim_menu_item;

/* The commentary's thresholds, named in exercise{ commentary = { ... } }. */
enum qisim_threshold {
    QISIM_TH_LAPSE,    /* practising below this share of the trained: trained staff lapsed */
    QISIM_TH_FLAT,     /* a culture change smaller than this is "flat" */
    QISIM_TH_STRAIN,   /* staff strain at or above this is "high" */
    QISIM_TH_WAITING,  /* waiting at or above this (x usual) is "long" */
    QISIM_TH_TRAINED,  /* formally trained share from which lapsing is worth a word */
    QISIM_N_THRESHOLDS
};
extern const char *const qisim_threshold_names[QISIM_N_THRESHOLDS + 1];
extern const double qisim_threshold_defaults[QISIM_N_THRESHOLDS];

/* What exercise{} declared, and the trusts its build function made, one per group. */
typedef struct qisim_exercise {
    char name[128];
    char description[512];
    char unit[16];                 /* the budget's unit, e.g. "GBP k" */
    int32_t turns, weeks_per_turn;
    double budget;                 /* per turn and group; unspent budget does not carry over */
    int n_items;
    qisim_menu_item items[QISIM_MAX_MENU];
    double thresholds[QISIM_N_THRESHOLDS];
    int32_t groups;
    int32_t group_trust[QISIM_MAX_GROUPS];
} qisim_exercise;

/* One group's choice for one turn: units of each menu item, in menu order. */
typedef struct qisim_choice {
    int32_t amount[QISIM_MAX_MENU];
} qisim_choice;

/* The cost of a choice in budget units. */
double qisim_choice_cost(const qisim_exercise *ex, const qisim_choice *c);

/* QISIM_OK when every amount is within 0..max and the cost within the budget; else
 * QISIM_EINVAL and a message naming the item or the overspend. */
int qisim_choice_check(const qisim_exercise *ex, const qisim_choice *c, qisim_err *err);

/* The text form of `turns` turns of choices (c[turn * groups + group]): each turn ends with
 * '/', groups within a turn are separated by ';', a group's choice is "name=n,..." with the
 * non-zero amounts in menu order. "" is no turn played; "/" one turn with nothing chosen
 * (one group). Returns QISIM_ELIMIT when size is too small. */
int qisim_choices_format(const qisim_exercise *ex, const qisim_choice *c, int32_t turns, char *buf, size_t size,
                         qisim_err *err);

/* Parses that form into out[QISIM_MAX_TURNS * ex->groups] and *turns, checking every choice
 * against the menu and the budget; the message names the turn and group. */
int qisim_choices_parse(const qisim_exercise *ex, const char *text, qisim_choice *out, int32_t *turns,
                        qisim_err *err);

/* The declaration of a loaded scenario that called exercise{} (NULL if it did not). */
const qisim_exercise *qisim_scenario_exercise(const qisim_scenario *sc);

/* Loads the exercise file at path for `groups` groups, with no turn played, and copies its
 * declaration into *ex. An error names the file and line, or says the file declares no
 * exercise. */
int qisim_exercise_read(const char *path, int32_t groups, qisim_exercise *ex, qisim_err *err);

#endif
