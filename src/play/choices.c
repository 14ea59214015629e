/* A game's choices: budget and menu checks, and the one text form a saved game records. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "qisim/exercise.h"

const char *const qisim_threshold_names[QISIM_N_THRESHOLDS + 1] = {"lapse", "flat", "strain", "waiting", "trained",
                                                                   NULL};
/* Defaults for exercises that give none: practising under half the trained is lapsing; two
 * points of culture in a year is the least worth a word (culture moves over years, ODD.md);
 * strain 0.4 and waits 1.3 x usual are where the pressure trap's figures start to bite. */
const double qisim_threshold_defaults[QISIM_N_THRESHOLDS] = {0.5, 0.02, 0.4, 1.3, 0.05};

double qisim_choice_cost(const qisim_exercise *ex, const qisim_choice *c)
{
    double cost = 0;
    for (int i = 0; i < ex->n_items; i++)
        cost += ex->items[i].cost * c->amount[i];
    return cost;
}

int qisim_choice_check(const qisim_exercise *ex, const qisim_choice *c, qisim_err *err)
{
    for (int i = 0; i < ex->n_items; i++)
        if (c->amount[i] < 0 || c->amount[i] > ex->items[i].max)
            return qisim_err_set(err, QISIM_EINVAL, "%s = %d is outside [0, %d]", ex->items[i].name,
                                 (int)c->amount[i], (int)ex->items[i].max);
    for (int i = ex->n_items; i < QISIM_MAX_MENU; i++)
        if (c->amount[i] != 0)
            return qisim_err_set(err, QISIM_EINVAL, "choice beyond the menu");
    double cost = qisim_choice_cost(ex, c);
    /* a hair of tolerance, so costs like 0.1 + 0.2 add up to a budget of 0.3 */
    if (cost > ex->budget * (1 + 1e-12) + 1e-12)
        return qisim_err_set(err, QISIM_EINVAL, "the choice costs %g %s, over the budget of %g", cost, ex->unit,
                             ex->budget);
    return QISIM_OK;
}

int qisim_choices_format(const qisim_exercise *ex, const qisim_choice *c, int32_t turns, char *buf, size_t size,
                         qisim_err *err)
{
    size_t used = 0;
    if (size == 0)
        return qisim_err_set(err, QISIM_ELIMIT, "no room for the choices");
    buf[0] = '\0';
    for (int32_t t = 0; t < turns; t++) {
        for (int32_t g = 0; g < ex->groups; g++) {
            const qisim_choice *ch = &c[t * ex->groups + g];
            bool first = true;
            if (g > 0 && used + 1 < size)
                buf[used++] = ';';
            for (int i = 0; i < ex->n_items; i++) {
                if (!ch->amount[i])
                    continue;
                int n = snprintf(buf + used, size - used, "%s%s=%d", first ? "" : ",", ex->items[i].name,
                                 (int)ch->amount[i]);
                if (n < 0 || (size_t)n >= size - used)
                    return qisim_err_set(err, QISIM_ELIMIT, "the choices do not fit in %zu bytes", size);
                used += (size_t)n;
                first = false;
            }
        }
        if (used + 1 >= size)
            return qisim_err_set(err, QISIM_ELIMIT, "the choices do not fit in %zu bytes", size);
        buf[used++] = '/';
        buf[used] = '\0';
    }
    return QISIM_OK;
}

/* Parses one group's "name=n,name=n" (text[0..len)) into c. */
static int parse_group(const qisim_exercise *ex, const char *text, size_t len, qisim_choice *c, qisim_err *err)
{
    memset(c, 0, sizeof *c);
    size_t k = 0;
    while (k < len) {
        size_t start = k;
        while (k < len && text[k] != '=' && text[k] != ',')
            k++;
        if (k >= len || text[k] != '=')
            return qisim_err_set(err, QISIM_EINVAL, "'%.*s' is not name=number", (int)(k - start), text + start);
        size_t name_len = k - start;
        int item = -1;
        for (int i = 0; i < ex->n_items && item < 0; i++)
            if (strlen(ex->items[i].name) == name_len && memcmp(ex->items[i].name, text + start, name_len) == 0)
                item = i;
        if (item < 0)
            return qisim_err_set(err, QISIM_EINVAL, "'%.*s' is not on the menu", (int)(name_len > 40 ? 40 : name_len),
                                 text + start);
        k++;
        long value = 0;
        size_t digits = 0;
        while (k < len && text[k] >= '0' && text[k] <= '9' && digits < 6) {
            value = value * 10 + (text[k] - '0');
            k++;
            digits++;
        }
        if (digits == 0 || (k < len && text[k] != ','))
            return qisim_err_set(err, QISIM_EINVAL, "%s needs a whole number of units", ex->items[item].name);
        if (c->amount[item])
            return qisim_err_set(err, QISIM_EINVAL, "%s is given twice", ex->items[item].name);
        if (value == 0)
            return qisim_err_set(err, QISIM_EINVAL, "%s=0: leave it out instead", ex->items[item].name);
        c->amount[item] = (int32_t)value;
        if (k < len)
            k++; /* the ',' */
        if (k == len && text[len - 1] == ',')
            return qisim_err_set(err, QISIM_EINVAL, "a trailing ','");
    }
    return qisim_choice_check(ex, c, err);
}

int qisim_choices_parse(const qisim_exercise *ex, const char *text, qisim_choice *out, int32_t *turns,
                        qisim_err *err)
{
    int32_t t = 0;
    const char *p = text;
    *turns = 0;
    while (*p) {
        const char *end = strchr(p, '/');
        if (!end)
            return qisim_err_set(err, QISIM_EINVAL, "choices: turn %d does not end with '/'", (int)t + 1);
        if (t >= ex->turns)
            return qisim_err_set(err, QISIM_EINVAL, "choices: more than the exercise's %d turns", (int)ex->turns);
        int32_t g = 0;
        const char *q = p;
        for (;;) {
            const char *sep = memchr(q, ';', (size_t)(end - q));
            const char *stop = sep ? sep : end;
            if (g >= ex->groups)
                return qisim_err_set(err, QISIM_EINVAL, "choices: turn %d has more than %d groups", (int)t + 1,
                                     (int)ex->groups);
            qisim_err gerr;
            if (parse_group(ex, q, (size_t)(stop - q), &out[t * ex->groups + g], &gerr) != QISIM_OK)
                return qisim_err_set(err, QISIM_EINVAL, "choices: turn %d, group %d: %s", (int)t + 1, (int)g + 1,
                                     gerr.msg);
            g++;
            if (!sep)
                break;
            q = sep + 1;
        }
        if (g != ex->groups)
            return qisim_err_set(err, QISIM_EINVAL, "choices: turn %d has %d groups, not %d", (int)t + 1, (int)g,
                                 (int)ex->groups);
        t++;
        p = end + 1;
    }
    *turns = t;
    return QISIM_OK;
}
