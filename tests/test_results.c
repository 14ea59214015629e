/* Frames (rows, names, their byte form) and the schema (headers, rows written from frames,
 * result files read back). */
#include "test_helpers.h"

#include "qisim/metrics.h"
#include "qisim/results.h"

/* A frame of replicate 3: two teams (one named with a comma), a trust, a region, values with
 * more than nine significant digits, NaN and -0, an event, an entity and memberships. */
static void fill(qisim_frame *f)
{
    qisim_err err;
    qisim_frame_init(f, 3);
    assert_int_equal(qisim_frame_name(f, QISIM_LEVEL_TEAM, 0, "Ward", &err), QISIM_OK);
    assert_int_equal(qisim_frame_name(f, QISIM_LEVEL_TEAM, 1, "Ward, \"East\"", &err), QISIM_OK);
    assert_int_equal(qisim_frame_name(f, QISIM_LEVEL_TRUST, 0, "Trust A", &err), QISIM_OK);
    assert_int_equal(qisim_frame_name(f, QISIM_LEVEL_REGION, 0, "North", &err), QISIM_OK);
    assert_int_equal(qisim_frame_name(f, QISIM_LEVEL_SYSTEM, 0, "system", &err), QISIM_OK);
    int culture = qisim_metric_find("culture"), practising = qisim_metric_find("practising_share");
    assert_true(culture >= 0 && practising >= 0);
    assert_int_equal(qisim_frame_add_value(f, 0, QISIM_LEVEL_TEAM, 0, practising, 0.123456789012345, &err), QISIM_OK);
    assert_int_equal(qisim_frame_add_value(f, 0, QISIM_LEVEL_TEAM, 1, practising, (double)NAN, &err), QISIM_OK);
    assert_int_equal(qisim_frame_add_value(f, 4, QISIM_LEVEL_TRUST, 0, culture, -0.0, &err), QISIM_OK);
    assert_int_equal(qisim_frame_add_value(f, 4, QISIM_LEVEL_SYSTEM, 0, culture, 2.0 / 3.0, &err), QISIM_OK);
    assert_int_equal(qisim_frame_add_event(f, 2, QISIM_LEVEL_TEAM, 1, "training", "tier=leader, share=1", &err),
                     QISIM_OK);
    assert_int_equal(qisim_frame_add_entity(f, QISIM_LEVEL_TEAM, 1, 0, 0, &err), QISIM_OK);
    assert_int_equal(qisim_frame_add_entity(f, QISIM_LEVEL_REGION, 0, -1, 0, &err), QISIM_OK);
    assert_int_equal(qisim_frame_add_membership(f, QISIM_MEMBER_COLLABORATIVE, "Wave 1", QISIM_LEVEL_TEAM, 1, 3, 55, &err),
                     QISIM_OK);
    assert_int_equal(qisim_frame_add_membership(f, QISIM_MEMBER_PEER_NETWORK, "network 0", QISIM_LEVEL_TRUST, 0, 9, -1,
                                                &err),
                     QISIM_OK);
}

/* What the schema writes for table t of f, as a string (free() it). */
static char *written(qisim_table t, const qisim_frame *f, bool header)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    assert_non_null(m);
    if (header)
        qisim_schema_write_header(m, t);
    qisim_schema_write_frame(m, t, f);
    fclose(m);
    return text;
}

static void test_frame_rows_and_names(void **state)
{
    (void)state;
    qisim_frame f;
    fill(&f);
    qisim_err err;
    assert_int_equal(f.n_values, 4);
    assert_true(f.values[0].value == 0.123456789012345); /* kept whole, not as text */
    assert_string_equal(qisim_frame_entity_name(&f, QISIM_LEVEL_TEAM, 1), "Ward, \"East\"");
    assert_string_equal(qisim_frame_entity_name(&f, QISIM_LEVEL_TEAM, 7), "");
    assert_int_equal(qisim_frame_named(&f, QISIM_LEVEL_TEAM), 2);
    /* names are given in id order: a gap is refused */
    assert_int_equal(qisim_frame_name(&f, QISIM_LEVEL_TEAM, 5, "Gap", &err), QISIM_EINVAL);
    assert_string_equal(qisim_frame_text(&f, f.events[0].detail), "tier=leader, share=1");
    qisim_frame_free(&f);
    qisim_frame_free(&f); /* twice is safe */
}

static void test_schema_writes_frames(void **state)
{
    (void)state;
    qisim_frame f;
    fill(&f);
    char *s = written(QISIM_TABLE_SERIES, &f, true);
    assert_string_equal(s, "week,replicate,level,entity,metric,value\n"
                           "0,3,team,Ward,practising_share,0.123456789\n"
                           "0,3,team,\"Ward, \"\"East\"\"\",practising_share,NA\n"
                           "4,3,trust,Trust A,culture,0\n"
                           "4,3,system,system,culture,0.666666667\n");
    free(s);
    s = written(QISIM_TABLE_EVENTS, &f, true);
    assert_string_equal(s, "week,replicate,level,entity,event,detail,id\n"
                           "2,3,team,\"Ward, \"\"East\"\"\",training,\"tier=leader, share=1\",1\n");
    free(s);
    s = written(QISIM_TABLE_ENTITIES, &f, true);
    assert_string_equal(s, "level,entity,id,trust,region\n"
                           "team,\"Ward, \"\"East\"\"\",1,Trust A,North\n"
                           "region,North,0,,North\n");
    free(s);
    s = written(QISIM_TABLE_MEMBERSHIPS, &f, true);
    assert_string_equal(s, "replicate,kind,group,level,entity,from_week,to_week,id\n"
                           "3,collaborative,Wave 1,team,\"Ward, \"\"East\"\"\",3,55,1\n"
                           "3,peer_network,network 0,trust,Trust A,9,,0\n");
    free(s);
    s = written(QISIM_TABLE_SUMMARY, &f, true); /* not a replicate's table: the header alone */
    assert_string_equal(s, "week,level,entity,metric,replicates,mean,sd,mean_ci95_low,mean_ci95_high,p2_5,p97_5\n");
    free(s);
    qisim_frame_free(&f);
}

static void test_pack_round_trip(void **state)
{
    (void)state;
    qisim_frame f, g;
    fill(&f);
    qisim_err err;
    char *a = NULL, *b = NULL;
    size_t la = 0, lb = 0;
    assert_int_equal(qisim_frame_pack(&f, &a, &la, &err), QISIM_OK);
    assert_int_equal(qisim_frame_unpack(&g, a, la, &err), QISIM_OK);
    assert_int_equal(g.replicate, 3);
    assert_int_equal(g.n_values, f.n_values);
    for (size_t i = 0; i < f.n_values; i++) /* bit for bit, NaN and -0 included */
        assert_memory_equal(&g.values[i].value, &f.values[i].value, sizeof(double));
    /* the same frame gives the same bytes, and what was rebuilt writes the same CSV */
    assert_int_equal(qisim_frame_pack(&g, &b, &lb, &err), QISIM_OK);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    for (qisim_table t = QISIM_TABLE_SERIES; t <= QISIM_TABLE_MEMBERSHIPS; t++) {
        char *x = written(t, &f, false), *y = written(t, &g, false);
        assert_string_equal(x, y);
        free(x);
        free(y);
    }
    qisim_frame_free(&g);
    free(b);
    /* damaged bytes are refused, whatever is cut or changed */
    for (size_t cut = 0; cut < la; cut += 7)
        assert_int_equal(qisim_frame_unpack(&g, a, cut, &err), QISIM_EINVAL);
    char *bad = malloc(la);
    memcpy(bad, a, la);
    bad[0] = 'X';
    assert_int_equal(qisim_frame_unpack(&g, bad, la, &err), QISIM_EINVAL);
    memcpy(bad, a, la);
    bad[la - 1] = 'x'; /* the text no longer ends in a NUL */
    assert_int_equal(qisim_frame_unpack(&g, bad, la, &err), QISIM_EINVAL);
    memcpy(bad, a, la);
    int32_t level = 9; /* the first value's level: after the magic, replicate and count */
    memcpy(bad + 8 + 4 + 8 + 4, &level, sizeof level);
    assert_int_equal(qisim_frame_unpack(&g, bad, la, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "not a qisim frame"));
    free(bad);
    free(a);
    qisim_frame_free(&f);
}

static void write_text(const char *dir, const char *file, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_schema_reads_files(void **state)
{
    (void)state;
    char dir[256];
    assert_int_equal(test_make_dir(dir, sizeof dir, "results"), 0);
    qisim_err err;
    qisim_schema_reader r;
    char **f;
    write_text(dir, "series.csv", "week,replicate,level,entity,metric,value\n0,0,team,\"A, B\",culture,0.5\n1,0,team\n");
    assert_int_equal(qisim_schema_open(&r, dir, QISIM_TABLE_SERIES, false, &err), QISIM_OK);
    assert_int_equal(qisim_schema_next(&r, &f, &err), 6);
    assert_string_equal(f[QISIM_SERIES_ENTITY], "A, B");
    assert_int_equal(qisim_schema_next(&r, &f, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "series.csv:3: expected week,replicate,level,entity,metric,value"));
    qisim_schema_close(&r);
    /* events before the id column: six columns */
    write_text(dir, "events.csv", "week,replicate,level,entity,event,detail\n0,0,trust,A,training,x\n");
    assert_int_equal(qisim_schema_open(&r, dir, QISIM_TABLE_EVENTS, false, &err), QISIM_OK);
    assert_int_equal(r.width, 6);
    assert_int_equal(qisim_schema_next(&r, &f, &err), 6);
    assert_int_equal(qisim_schema_next(&r, &f, &err), 0);
    qisim_schema_close(&r);
    write_text(dir, "entities.csv", "level,entity,id,trust\n");
    assert_int_equal(qisim_schema_open(&r, dir, QISIM_TABLE_ENTITIES, false, &err), QISIM_EINVAL);
    assert_non_null(strstr(err.msg, "entities.csv:1: not a qisim entities file (header)"));
    qisim_schema_close(&r);
    /* a missing file: an error, or nothing when it is optional */
    assert_int_equal(qisim_schema_open(&r, dir, QISIM_TABLE_MEMBERSHIPS, false, &err), QISIM_EIO);
    qisim_schema_close(&r);
    assert_int_equal(qisim_schema_open(&r, dir, QISIM_TABLE_MEMBERSHIPS, true, &err), QISIM_OK);
    assert_int_equal(qisim_schema_next(&r, &f, &err), 0);
    qisim_schema_close(&r);
    double x;
    assert_true(qisim_schema_parse_value("NA", &x) && isnan(x));
    assert_true(qisim_schema_parse_value("-Inf", &x) && isinf(x) && x < 0);
    assert_true(qisim_schema_parse_value("1e-05", &x) && x == 1e-05);
    assert_false(qisim_schema_parse_value("x1", &x));
    assert_false(qisim_schema_parse_value("", &x));
    assert_int_equal(test_remove_dir(dir), 0);
}

/* Summaries take the values whole: two replicates that differ only beyond the ninth digit have
 * a standard deviation (from the old re-parsed text it was 0); a key with no value is NA. */
static void test_summary_of_frames(void **state)
{
    (void)state;
    qisim_err err;
    int culture = qisim_metric_find("culture");
    qisim_summary *s = qisim_summary_create();
    assert_non_null(s);
    for (int32_t rep = 0; rep < 2; rep++) {
        qisim_frame f;
        qisim_frame_init(&f, rep);
        assert_int_equal(qisim_frame_name(&f, QISIM_LEVEL_TRUST, 0, "Hill, \"North\"", &err), QISIM_OK);
        assert_int_equal(qisim_frame_add_value(&f, 4, QISIM_LEVEL_TRUST, 0, culture, rep ? 1.0000000004 : 1.0, &err),
                         QISIM_OK);
        assert_int_equal(qisim_frame_add_value(&f, 0, QISIM_LEVEL_TRUST, 0, culture, (double)NAN, &err), QISIM_OK);
        assert_int_equal(qisim_summary_add_frame(s, &f), 0);
        qisim_frame_free(&f);
    }
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    qisim_summary_write(s, m);
    fclose(m);
    assert_string_equal(text, "week,level,entity,metric,replicates,mean,sd,mean_ci95_low,mean_ci95_high,p2_5,p97_5\n"
                              "4,trust,\"Hill, \"\"North\"\"\",culture,2,1,2.82842736e-10,0.999999998,1,1,1\n"
                              "0,trust,\"Hill, \"\"North\"\"\",culture,0,NA,NA,NA,NA,NA,NA\n");
    free(text);
    qisim_summary_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_rows_and_names),
        cmocka_unit_test(test_schema_writes_frames),
        cmocka_unit_test(test_pack_round_trip),
        cmocka_unit_test(test_schema_reads_files),
        cmocka_unit_test(test_summary_of_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
