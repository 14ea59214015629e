/* The parameter table: every descriptor well-formed, and every way an assignment can fail. */
#include "test_helpers.h"

#include <stdlib.h>
#include <string.h>

#include "qisim/params.h"

static void every_descriptor_is_complete(void **state)
{
    (void)state;
    qisim_params p;
    qisim_params_defaults(&p);
    for (int i = 0; i < QISIM_N_PARAMS; i++) {
        const qisim_param_desc *d = qisim_param_desc_at(i);
        assert_non_null(d);
        assert_true(strchr(d->name, '.') != NULL);     /* mechanism.name */
        assert_true(d->min <= d->def && d->def <= d->max);
        assert_true(strlen(d->unit) > 0);
        assert_true(strlen(d->source) > 0);             /* a seed line or 'assumption' */
        assert_true(strlen(d->doc) > 10);
        assert_int_equal(qisim_param_find(d->name), i);  /* names are unique */
        assert_true(p.v[i] == d->def);
    }
    assert_null(qisim_param_desc_at(QISIM_N_PARAMS));
    assert_int_equal(qisim_param_find("no.such"), -1);
}

static void assignments_are_checked(void **state)
{
    (void)state;
    qisim_params p;
    qisim_err err;
    qisim_params_defaults(&p);
    assert_int_equal(qisim_params_set(&p, "workforce.turnover", 0.2, false, &err), QISIM_OK);
    assert_true(p.v[QP_WORKFORCE_TURNOVER] == 0.2);

    assert_int_equal(qisim_params_set(&p, "workforce.turnovr", 0.2, false, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "unknown parameter 'workforce.turnovr'"));
    assert_non_null(strstr(err.msg, "did you mean 'workforce.turnover'"));

    assert_int_equal(qisim_params_set(&p, "workforce.turnover", 1.5, false, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "out of range [0, 1]"));
    assert_true(p.v[QP_WORKFORCE_TURNOVER] == 0.2); /* unchanged on error */

    assert_int_equal(qisim_params_set(&p, "workforce.rotation_weeks", 16.5, false, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "whole number"));
    assert_int_equal(qisim_params_set(&p, "training.on", 2, false, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "switch"));
    assert_int_equal(qisim_params_set(&p, "workforce.turnover", NAN, false, &err), QISIM_EINVAL);

    /* build.* shape the world at week 0 and cannot change once the run has started */
    assert_int_equal(qisim_params_set(&p, "build.trainee_share", 0.1, true, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "before the run starts"));
    assert_int_equal(qisim_params_set(&p, "workforce.turnover", 0.1, true, &err), QISIM_OK);
}

static void text_assignments_parse(void **state)
{
    (void)state;
    qisim_params p;
    qisim_err err;
    qisim_params_defaults(&p);
    assert_int_equal(qisim_params_set_text(&p, "training.or_coaching=2.5", false, &err), QISIM_OK);
    assert_true(p.v[QP_TRAINING_OR_COACHING] == 2.5);
    assert_int_equal(qisim_params_set_text(&p, "culture.on=false", false, &err), QISIM_OK);
    assert_true(p.v[QP_CULTURE_ON] == 0.0);
    assert_int_equal(qisim_params_set_text(&p, "culture.on=true", false, &err), QISIM_OK);
    assert_true(p.v[QP_CULTURE_ON] == 1.0);
    assert_int_equal(qisim_params_set_text(&p, "training.or_coaching=abc", false, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "'abc' is not a number"));
    assert_int_equal(qisim_params_set_text(&p, "training.or_coaching=2x", false, &err), QISIM_EINVAL);
    assert_int_equal(qisim_params_set_text(&p, "=3", false, &err), QISIM_EINVAL);
    assert_int_equal(qisim_params_set_text(&p, "noequals", false, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "name=value"));
}

static void markdown_lists_every_parameter(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    qisim_params_write_markdown(f);
    fclose(f);
    for (int i = 0; i < QISIM_N_PARAMS; i++) {
        char cell[160];
        snprintf(cell, sizeof cell, "| `%s` |", qisim_param_desc_at(i)->name);
        assert_non_null(strstr(buf, cell));
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_descriptor_is_complete),
        cmocka_unit_test(assignments_are_checked),
        cmocka_unit_test(text_assignments_parse),
        cmocka_unit_test(markdown_lists_every_parameter),
    };
    return cmocka_run_group_tests_name("params", tests, NULL, NULL);
}
