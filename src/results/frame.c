/* Typed frames of a replicate's output: growing row arrays, a name table per level, and a
 * byte form that is the same for the same frame (what MPI ranks send to rank 0). */
#include "qisim/results.h"

#include <stdlib.h>
#include <string.h>

#include "qisim/metrics.h"
#include "qisim/world.h"

_Static_assert((int)QISIM_FRAME_LEVELS == (int)QISIM_N_LEVELS, "a frame has a name table per level");

void qisim_frame_init(qisim_frame *f, int32_t replicate)
{
    memset(f, 0, sizeof *f);
    f->replicate = replicate;
}

void qisim_frame_free(qisim_frame *f)
{
    free(f->values);
    free(f->events);
    free(f->entities);
    free(f->members);
    for (int l = 0; l < QISIM_FRAME_LEVELS; l++)
        free(f->names[l]);
    free(f->text);
    memset(f, 0, sizeof *f);
}

/* items (n used of *cap, each size bytes) with room for one more: items itself, or a larger
 * copy (*cap updated), or NULL when memory runs out (items is then still valid). */
static void *room(void *items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return items;
    size_t c = *cap ? 2 * *cap : 256;
    if (c > SIZE_MAX / size)
        return NULL;
    void *p = realloc(items, c * size);
    if (p)
        *cap = c;
    return p;
}

static int no_memory(const qisim_frame *f, qisim_err *err)
{
    return qisim_err_set(err, QISIM_ENOMEM, "out of memory recording replicate %d", f->replicate);
}

/* Copies s into the text; *at gets its offset. */
static int add_text(qisim_frame *f, const char *s, uint32_t *at, qisim_err *err)
{
    size_t n = strlen(s) + 1;
    if (f->text_len + n > UINT32_MAX)
        return no_memory(f, err);
    if (f->text_len + n > f->text_cap) {
        size_t c = f->text_cap ? f->text_cap : 4096;
        while (c < f->text_len + n)
            c *= 2;
        char *p = realloc(f->text, c);
        if (!p)
            return no_memory(f, err);
        f->text = p;
        f->text_cap = c;
    }
    memcpy(f->text + f->text_len, s, n);
    *at = (uint32_t)f->text_len;
    f->text_len += n;
    return QISIM_OK;
}

int qisim_frame_add_value(qisim_frame *f, int32_t week, int32_t level, int32_t entity, int32_t metric, double value,
                          qisim_err *err)
{
    qisim_frame_value *v = room(f->values, f->n_values, &f->cap_values, sizeof *v);
    if (!v)
        return no_memory(f, err);
    f->values = v;
    f->values[f->n_values++] = (qisim_frame_value){week, level, entity, metric, value};
    return QISIM_OK;
}

int qisim_frame_add_event(qisim_frame *f, int32_t week, int32_t level, int32_t entity, const char *type,
                          const char *detail, qisim_err *err)
{
    qisim_frame_event e = {week, level, entity, 0, 0}, *p = room(f->events, f->n_events, &f->cap_events, sizeof *p);
    if (!p)
        return no_memory(f, err);
    f->events = p;
    int rc = add_text(f, type, &e.type, err);
    if (!rc && !(rc = add_text(f, detail, &e.detail, err)))
        f->events[f->n_events++] = e;
    return rc;
}

int qisim_frame_add_entity(qisim_frame *f, int32_t level, int32_t id, int32_t trust, int32_t region, qisim_err *err)
{
    qisim_frame_entity *p = room(f->entities, f->n_entities, &f->cap_entities, sizeof *p);
    if (!p)
        return no_memory(f, err);
    f->entities = p;
    f->entities[f->n_entities++] = (qisim_frame_entity){level, id, trust, region};
    return QISIM_OK;
}

int qisim_frame_add_membership(qisim_frame *f, qisim_membership_kind kind, const char *group, int32_t level,
                               int32_t entity, int32_t from_week, int32_t to_week, qisim_err *err)
{
    qisim_frame_membership m = {(int32_t)kind, level, entity, from_week, to_week, 0},
                           *p = room(f->members, f->n_members, &f->cap_members, sizeof *p);
    if (!p)
        return no_memory(f, err);
    f->members = p;
    int rc = add_text(f, group, &m.group, err);
    if (!rc)
        f->members[f->n_members++] = m;
    return rc;
}

int qisim_frame_name(qisim_frame *f, int32_t level, int32_t id, const char *name, qisim_err *err)
{
    if (level < 0 || level >= QISIM_FRAME_LEVELS || id != f->n_names[level])
        return qisim_err_set(err, QISIM_EINVAL, "replicate %d: entity %d of level %d named out of order", f->replicate,
                             id, level);
    size_t cap = (size_t)f->cap_names[level];
    if (cap >= INT32_MAX / 2)
        return no_memory(f, err); /* counts are int32 */
    uint32_t *names = room(f->names[level], (size_t)id, &cap, sizeof *names);
    if (!names)
        return no_memory(f, err);
    f->names[level] = names;
    f->cap_names[level] = (int32_t)cap;
    uint32_t at;
    int rc = add_text(f, name, &at, err);
    if (!rc)
        f->names[level][f->n_names[level]++] = at;
    return rc;
}

const char *qisim_frame_entity_name(const qisim_frame *f, int32_t level, int32_t id)
{
    if (level < 0 || level >= QISIM_FRAME_LEVELS || id < 0 || id >= f->n_names[level])
        return "";
    return f->text + f->names[level][id];
}

/* ---- the byte form ------------------------------------------------------------------------
 * "QFRAME1\0", replicate, then each array as a 64-bit count and its items field by field (each
 * int32 or uint32 4 bytes, each double its 8 bytes, in this machine's order: only processes of
 * one build exchange frames), the names per level, and the text. */

static const char magic[8] = "QFRAME1";

typedef struct packer {
    char *p;
    size_t len, cap;
    bool failed;
} packer;

static void put(packer *k, const void *v, size_t n)
{
    if (k->failed)
        return;
    if (k->len + n > k->cap) {
        size_t c = k->cap ? k->cap : 4096;
        while (c < k->len + n)
            c *= 2;
        char *p = realloc(k->p, c);
        if (!p) {
            k->failed = true;
            return;
        }
        k->p = p;
        k->cap = c;
    }
    memcpy(k->p + k->len, v, n);
    k->len += n;
}

static void put_i32(packer *k, int32_t v) { put(k, &v, sizeof v); }
static void put_u32(packer *k, uint32_t v) { put(k, &v, sizeof v); }
static void put_u64(packer *k, uint64_t v) { put(k, &v, sizeof v); }

int qisim_frame_pack(const qisim_frame *f, char **out, size_t *len, qisim_err *err)
{
    packer k = {0};
    put(&k, magic, sizeof magic);
    put_i32(&k, f->replicate);
    put_u64(&k, f->n_values);
    for (size_t i = 0; i < f->n_values; i++) {
        const qisim_frame_value *v = &f->values[i];
        put_i32(&k, v->week);
        put_i32(&k, v->level);
        put_i32(&k, v->entity);
        put_i32(&k, v->metric);
        put(&k, &v->value, sizeof v->value);
    }
    put_u64(&k, f->n_events);
    for (size_t i = 0; i < f->n_events; i++) {
        const qisim_frame_event *e = &f->events[i];
        put_i32(&k, e->week);
        put_i32(&k, e->level);
        put_i32(&k, e->entity);
        put_u32(&k, e->type);
        put_u32(&k, e->detail);
    }
    put_u64(&k, f->n_entities);
    for (size_t i = 0; i < f->n_entities; i++) {
        const qisim_frame_entity *e = &f->entities[i];
        put_i32(&k, e->level);
        put_i32(&k, e->id);
        put_i32(&k, e->trust);
        put_i32(&k, e->region);
    }
    put_u64(&k, f->n_members);
    for (size_t i = 0; i < f->n_members; i++) {
        const qisim_frame_membership *m = &f->members[i];
        put_i32(&k, m->kind);
        put_i32(&k, m->level);
        put_i32(&k, m->entity);
        put_i32(&k, m->from_week);
        put_i32(&k, m->to_week);
        put_u32(&k, m->group);
    }
    for (int l = 0; l < QISIM_FRAME_LEVELS; l++) {
        put_u64(&k, (uint64_t)f->n_names[l]);
        for (int32_t i = 0; i < f->n_names[l]; i++)
            put_u32(&k, f->names[l][i]);
    }
    put_u64(&k, f->text_len);
    if (f->text_len)
        put(&k, f->text, f->text_len);
    if (k.failed) {
        free(k.p);
        *out = NULL;
        *len = 0;
        return no_memory(f, err);
    }
    *out = k.p;
    *len = k.len;
    return QISIM_OK;
}

typedef struct unpacker {
    const char *p;
    size_t len, at;
    bool bad;
} unpacker;

static void get(unpacker *u, void *v, size_t n)
{
    if (u->bad || n > u->len - u->at) {
        u->bad = true;
        memset(v, 0, n);
        return;
    }
    memcpy(v, u->p + u->at, n);
    u->at += n;
}

static int32_t get_i32(unpacker *u)
{
    int32_t v;
    get(u, &v, sizeof v);
    return v;
}

static uint32_t get_u32(unpacker *u)
{
    uint32_t v;
    get(u, &v, sizeof v);
    return v;
}

/* A count of items of at least item_bytes each: bad when the bytes left cannot hold them. */
static size_t get_count(unpacker *u, size_t item_bytes)
{
    uint64_t n;
    get(u, &n, sizeof n);
    if (u->bad || n > (u->len - u->at) / item_bytes) {
        u->bad = true;
        return 0;
    }
    return (size_t)n;
}

/* Allocates n items of size (at least one, so that an empty array is not NULL by accident). */
static void *items(unpacker *u, size_t n, size_t size)
{
    void *p = u->bad ? NULL : calloc(n ? n : 1, size);
    if (!p)
        u->bad = true;
    return p;
}

static bool good_level(int32_t level) { return level >= 0 && level < QISIM_FRAME_LEVELS; }

int qisim_frame_unpack(qisim_frame *f, const char *bytes, size_t len, qisim_err *err)
{
    unpacker u = {bytes, len, 0, false};
    char m[sizeof magic];
    get(&u, m, sizeof m);
    qisim_frame_init(f, 0);
    if (u.bad || memcmp(m, magic, sizeof magic) != 0)
        return qisim_err_set(err, QISIM_EINVAL, "not a qisim frame (magic)");
    f->replicate = get_i32(&u);
    int metrics = qisim_metric_count();
    f->n_values = f->cap_values = get_count(&u, 24);
    if ((f->values = items(&u, f->n_values, sizeof *f->values)))
        for (size_t i = 0; i < f->n_values; i++) {
            qisim_frame_value *v = &f->values[i];
            v->week = get_i32(&u);
            v->level = get_i32(&u);
            v->entity = get_i32(&u);
            v->metric = get_i32(&u);
            get(&u, &v->value, sizeof v->value);
            u.bad |= !good_level(v->level) || v->metric < 0 || v->metric >= metrics;
        }
    f->n_events = f->cap_events = get_count(&u, 20);
    if ((f->events = items(&u, f->n_events, sizeof *f->events)))
        for (size_t i = 0; i < f->n_events; i++) {
            qisim_frame_event *e = &f->events[i];
            e->week = get_i32(&u);
            e->level = get_i32(&u);
            e->entity = get_i32(&u);
            e->type = get_u32(&u);
            e->detail = get_u32(&u);
            u.bad |= !good_level(e->level);
        }
    f->n_entities = f->cap_entities = get_count(&u, 16);
    if ((f->entities = items(&u, f->n_entities, sizeof *f->entities)))
        for (size_t i = 0; i < f->n_entities; i++) {
            qisim_frame_entity *e = &f->entities[i];
            e->level = get_i32(&u);
            e->id = get_i32(&u);
            e->trust = get_i32(&u);
            e->region = get_i32(&u);
            u.bad |= !good_level(e->level);
        }
    f->n_members = f->cap_members = get_count(&u, 24);
    if ((f->members = items(&u, f->n_members, sizeof *f->members)))
        for (size_t i = 0; i < f->n_members; i++) {
            qisim_frame_membership *g = &f->members[i];
            g->kind = get_i32(&u);
            g->level = get_i32(&u);
            g->entity = get_i32(&u);
            g->from_week = get_i32(&u);
            g->to_week = get_i32(&u);
            g->group = get_u32(&u);
            u.bad |= !good_level(g->level) || g->kind < 0 || g->kind >= QISIM_N_MEMBER_KINDS;
        }
    for (int l = 0; l < QISIM_FRAME_LEVELS && !u.bad; l++) {
        size_t n = get_count(&u, 4);
        u.bad |= n > INT32_MAX;
        f->n_names[l] = f->cap_names[l] = (int32_t)n;
        if ((f->names[l] = items(&u, n, sizeof *f->names[l])))
            for (size_t i = 0; i < n; i++)
                f->names[l][i] = get_u32(&u);
    }
    f->text_len = f->text_cap = get_count(&u, 1);
    if ((f->text = items(&u, f->text_len, 1)))
        get(&u, f->text, f->text_len);
    /* every offset starts a string that ends inside the text */
    bool ends = f->text_len == 0 || f->text[f->text_len - 1] == '\0';
    u.bad |= u.at != len || !ends;
    for (size_t i = 0; !u.bad && i < f->n_events; i++)
        u.bad = f->events[i].type >= f->text_len || f->events[i].detail >= f->text_len;
    for (size_t i = 0; !u.bad && i < f->n_members; i++)
        u.bad = f->members[i].group >= f->text_len;
    for (int l = 0; !u.bad && l < QISIM_FRAME_LEVELS; l++)
        for (int32_t i = 0; !u.bad && i < f->n_names[l]; i++)
            u.bad = f->names[l][i] >= f->text_len;
    if (u.bad) {
        qisim_frame_free(f);
        return qisim_err_set(err, QISIM_EINVAL, "not a qisim frame (damaged at byte %zu of %zu)", u.at, len);
    }
    return QISIM_OK;
}
