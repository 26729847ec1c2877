/*
 * lists.c - the stored signal lists (blocked-URL lists, image-hash banks):
 * create, delete, add, import, remove, read, export, and the snapshot a
 * check reads. The contract is in arbiter/lists.h and arbiter/workflow.h.
 *
 * Every change: an admin, one write transaction holding the change and its
 * audit event, durable before AR_OK. Entries are validated and normalised
 * before the transaction begins, so a bad file never holds the writer.
 */
#include "workflow_int.h"

#include <stdio.h>
#include <stdlib.h>

static const char *kind_word(ar_list_kind k)
{
    return k == AR_LIST_PDQ ? "bank" : "url list";
}

/* The list `name` of `kind`: AR_ENOTFOUND if there is none of that kind. */
typedef struct list_row {
    int64_t id;
    char kind[8];
    bool found;
} list_row;

static ar_status take_list(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    list_row *l = ud;
    l->id = ar_row_int(row, 0);
    snprintf(l->kind, sizeof l->kind, "%s", ar_row_text(row, 1, NULL));
    l->found = true;
    return AR_OK;
}

static ar_status list_find(ar_store_txn *t, ar_list_kind kind, const char *name, int64_t *id,
                           ar_error *err)
{
    list_row l = {0};
    if (!ar_list_name_valid(name))
        return ar_error_set(err, AR_EINVAL, "name",
                            "a list name is 1 to %u characters of a-z, 0-9, '_', '.' and '-'",
                            AR_LIST_NAME_MAX);
    ar_status st = ar_store_exec(t, "SELECT id, kind FROM signal_lists WHERE name = ?",
                                 (ar_value[]){AR_VTEXT(name)}, 1, take_list, &l, NULL, err);
    if (st != AR_OK)
        return st;
    if (!l.found || strcmp(l.kind, ar_list_kind_name(kind)) != 0)
        return ar_error_set(err, AR_ENOTFOUND, "name", "no %s named '%s'", kind_word(kind), name);
    *id = l.id;
    return AR_OK;
}

/* A write transaction made by an admin: *t open on AR_OK. */
static ar_status begin_admin(ar_workflow *w, const char *actor, const char *what,
                             ar_store_txn **t, ar__actor *a, ar_error *err)
{
    if (!w)
        return ar_error_set(err, AR_EINVAL, NULL, "NULL workflow");
    ar_status st = ar_store_write(w->store, t, err);
    if (st != AR_OK)
        return st;
    st = ar__actor_load(*t, actor, a, err);
    if (st == AR_OK)
        st = ar__actor_require(a, AR_ROLE_ADMIN, what, err);
    if (st != AR_OK) {
        ar_store_rollback(*t);
        *t = NULL;
    }
    return st;
}

static ar_status finish(ar_store_txn *t, ar_status st, ar_error *err)
{
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    return ar_store_commit(t, err);
}

/*---- Create, delete --------------------------------------------------------------*/

ar_status ar_list_create(ar_workflow *w, const char *actor, ar_list_kind kind, const char *name,
                         const char *description, ar_error *err)
{
    if ((unsigned)kind > AR_LIST_PDQ)
        return ar_error_set(err, AR_EINVAL, "kind", "a list is of kind url or pdq");
    if (!ar_list_name_valid(name))
        return ar_error_set(err, AR_EINVAL, "name",
                            "a list name is 1 to %u characters of a-z, 0-9, '_', '.' and '-'",
                            AR_LIST_NAME_MAX);
    ar_status st = ar__text_check(description, "description", AR_LIST_DESCRIPTION_MAX, false, err);
    if (st != AR_OK)
        return st;
    ar_store_txn *t;
    ar__actor a;
    if ((st = begin_admin(w, actor, "manage signal lists", &t, &a, err)) != AR_OK)
        return st;
    int64_t id = 0;
    ar_value p[] = {AR_VTEXT(name), AR_VTEXT(ar_list_kind_name(kind)), AR_VTEXT(description),
                    AR_VINT(ar__now(w)), AR_VINT(a.id)};
    st = ar_store_query_int(t,
                            "INSERT INTO signal_lists (name, kind, description, created_at, "
                            "created_by) VALUES (?,?,?,?,?) RETURNING id",
                            p, 5, &id, err);
    if (st == AR_ECONFLICT)
        st = ar_error_set(err, AR_ECONFLICT, "name", "a list named '%s' already exists", name);
    if (st == AR_OK)
        st = ar__audit(w, t, a.name, "list.create", "list", id,
                       json_pack("{s:s, s:s, s:s?}", "name", name, "kind",
                                 ar_list_kind_name(kind), "description", description),
                       err);
    return finish(t, st, err);
}

ar_status ar_list_delete(ar_workflow *w, const char *actor, ar_list_kind kind, const char *name,
                         ar_error *err)
{
    ar_store_txn *t;
    ar__actor a;
    ar_status st = begin_admin(w, actor, "manage signal lists", &t, &a, err);
    if (st != AR_OK)
        return st;
    int64_t id = 0, n = 0;
    st = list_find(t, kind, name, &id, err);
    if (st == AR_OK)
        st = ar_store_query_int(t, "SELECT count(*) FROM signal_list_entries WHERE list_id = ?",
                                (ar_value[]){AR_VINT(id)}, 1, &n, err);
    if (st == AR_OK)
        st = ar_store_exec(t, "DELETE FROM signal_list_entries WHERE list_id = ?",
                           (ar_value[]){AR_VINT(id)}, 1, NULL, NULL, NULL, err);
    if (st == AR_OK)
        st = ar_store_exec(t, "DELETE FROM signal_lists WHERE id = ?", (ar_value[]){AR_VINT(id)},
                           1, NULL, NULL, NULL, err);
    if (st == AR_OK)
        st = ar__audit(w, t, a.name, "list.delete", "list", id,
                       json_pack("{s:s, s:s, s:I}", "name", name, "kind", ar_list_kind_name(kind),
                                 "entries", (json_int_t)n),
                       err);
    return finish(t, st, err);
}

/*---- Adding entries ---------------------------------------------------------------*/

typedef struct norm_entry {
    char value[AR_URL_EXPR_MAX + 1];
    char *note; /* malloc'd, or NULL */
} norm_entry;

/* Normalise one entry into *out; a problem goes to the report. */
static bool normalize_one(ar_list_kind kind, const ar_list_entry_in *in, unsigned line,
                          norm_entry *out, ar_list_report *r)
{
    ar_error e = {0};
    ar_status st = in->value ? ar_list_value_normalize(kind, in->value, in->len, out->value,
                                                       sizeof out->value, &e)
                             : ar_error_set(&e, AR_EINVAL, "value", "the value is missing");
    size_t nl = in->note ? strlen(in->note) : 0;
    if (st == AR_OK && nl)
        st = ar_list_note_check(in->note, nl, &e);
    if (st == AR_OK && nl && !(out->note = strndup(in->note, nl)))
        st = ar_error_set(&e, AR_ENOMEM, NULL, "out of memory");
    if (st != AR_OK)
        ar_list_report_invalid(r, line, &e);
    return st == AR_OK;
}

static void free_entries(norm_entry *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i].note);
    free(v);
}

/* Store normalised entries in one transaction with one audit event. */
static ar_status store_entries(ar_workflow *w, const char *actor, ar_list_kind kind,
                               const char *name, const char *action, const norm_entry *v,
                               size_t n, ar_list_report *r, int64_t *ids, ar_error *err)
{
    ar_store_txn *t;
    ar__actor a;
    ar_status st = begin_admin(w, actor, "manage signal lists", &t, &a, err);
    if (st != AR_OK)
        return st;
    int64_t id = 0, count = 0;
    json_t *added = json_array();
    st = list_find(t, kind, name, &id, err);
    for (size_t i = 0; st == AR_OK && i < n; i++) {
        int64_t changes = 0;
        ar_value p[] = {AR_VINT(id), AR_VTEXT(v[i].value), AR_VTEXT(v[i].note),
                        AR_VINT(ar__now(w)), AR_VINT(a.id)};
        st = ar_store_exec(t,
                           "INSERT INTO signal_list_entries (list_id, value, note, added_at, "
                           "added_by) VALUES (?,?,?,?,?) ON CONFLICT (list_id, value) DO NOTHING",
                           p, 5, NULL, NULL, &changes, err);
        if (st == AR_OK && changes == 1) {
            r->added++;
            json_array_append_new(added, json_string(v[i].value));
        } else if (st == AR_OK) {
            r->present++;
        }
        if (st == AR_OK && ids) /* the row, new or already there */
            st = ar_store_query_int(t,
                                    "SELECT id FROM signal_list_entries WHERE list_id = ? AND "
                                    "value = ?",
                                    (ar_value[]){AR_VINT(id), AR_VTEXT(v[i].value)}, 2, &ids[i],
                                    err);
    }
    if (st == AR_OK)
        st = ar_store_query_int(t, "SELECT count(*) FROM signal_list_entries WHERE list_id = ?",
                                (ar_value[]){AR_VINT(id)}, 1, &count, err);
    if (st == AR_OK && count > (int64_t)AR_LIST_MAX_ENTRIES)
        st = ar_error_set(err, AR_ETOOBIG, "entries", "a list holds at most %u entries",
                          AR_LIST_MAX_ENTRIES);
    if (st == AR_OK && r->added)
        st = ar__audit(w, t, a.name, action, "list", id,
                       json_pack("{s:s, s:s, s:O, s:I}", "name", name, "kind",
                                 ar_list_kind_name(kind), "added", added, "already_present",
                                 (json_int_t)r->present),
                       err);
    json_decref(added);
    return finish(t, st, err);
}

static void report_reset(ar_list_report *r)
{
    memset(r, 0, sizeof *r);
}

ar_status ar_list_add(ar_workflow *w, const char *actor, ar_list_kind kind, const char *name,
                      const ar_list_entry_in *v, size_t n, ar_list_report *report, ar_error *err)
{
    ar_list_report local;
    ar_list_report *r = report ? report : &local;
    report_reset(r);
    if (n == 0 || !v)
        return ar_error_set(err, AR_EINVAL, "entries", "no entries to add");
    if (n > AR_LIST_ADD_MAX)
        return ar_error_set(err, AR_ETOOBIG, "entries", "%zu entries, over the limit of %u "
                                                        "(import a file for more)",
                            n, AR_LIST_ADD_MAX);
    norm_entry *nv = calloc(n, sizeof *nv);
    if (!nv)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    size_t first_bad = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        if (!normalize_one(kind, &v[i], (unsigned)(i + 1), &nv[i], r) && first_bad == SIZE_MAX)
            first_bad = i;
    ar_status st;
    if (first_bad != SIZE_MAX) {
        char field[AR_ERROR_FIELD_MAX];
        snprintf(field, sizeof field, "entries[%zu].value", first_bad);
        st = ar_error_set(err, AR_EINVAL, field, "entries[%zu]: %s (%zu invalid, none added)",
                          first_bad, r->errors[0].message, r->invalid);
    } else {
        st = store_entries(w, actor, kind, name, "list.add", nv, n, r, NULL, err);
    }
    free_entries(nv, n);
    if (st != AR_OK) {
        r->added = 0;
        r->present = 0;
    }
    return st;
}

ar_status ar_list_add_one(ar_workflow *w, const char *actor, ar_list_kind kind, const char *name,
                          const char *value, size_t len, const char *note, int64_t *id,
                          bool *added, ar_error *err)
{
    if (!id || !added)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_list_add_one: NULL argument");
    *id = 0;
    *added = false;
    ar_list_report r;
    report_reset(&r);
    norm_entry e = {{0}, NULL};
    ar_list_entry_in in = {value, len, note};
    ar_status st;
    if (!normalize_one(kind, &in, 1, &e, &r))
        st = ar_error_set(err, AR_EINVAL, "value", "%s",
                          r.errors[0].message);
    else
        st = store_entries(w, actor, kind, name, "list.add", &e, 1, &r, id, err);
    free(e.note);
    if (st == AR_OK)
        *added = r.added == 1;
    else
        *id = 0;
    return st;
}

/*---- Import -------------------------------------------------------------------------*/

/* The import's valid entries, gathered before the transaction begins. */
typedef struct gathered {
    norm_entry *v;
    size_t n, cap;
} gathered;

static ar_status gather(void *ud, unsigned line, const char *value, const char *note,
                        ar_error *err)
{
    (void)line;
    gathered *g = ud;
    if (g->n == g->cap) {
        size_t nc = g->cap ? g->cap * 2 : 64;
        norm_entry *nv = realloc(g->v, nc * sizeof *nv);
        if (!nv)
            return ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
        g->v = nv;
        g->cap = nc;
    }
    norm_entry *e = &g->v[g->n];
    snprintf(e->value, sizeof e->value, "%s", value);
    e->note = note ? strdup(note) : NULL;
    if (note && !e->note)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    g->n++;
    return AR_OK;
}

ar_status ar_list_import(ar_workflow *w, const char *actor, ar_list_kind kind, const char *name,
                         const char *text, size_t len, ar_list_report *report, ar_error *err)
{
    ar_list_report local;
    ar_list_report *r = report ? report : &local;
    report_reset(r);
    if (!text && len)
        return ar_error_set(err, AR_EINVAL, "body", "NULL text");
    gathered g = {0};
    ar_status st = ar_list_parse(kind, text ? text : "", len, gather, &g, r, err);
    norm_entry *v = g.v;
    size_t n = g.n;
    if (st == AR_OK && r->invalid)
        st = ar_error_set(err, AR_EINVAL, "body", "line %u: %s (%zu invalid lines, none added)",
                          r->errors[0].line, r->errors[0].message, r->invalid);
    else if (st == AR_OK && n == 0)
        st = ar_error_set(err, AR_EINVAL, "body", "the file holds no entries");
    if (st == AR_OK)
        st = store_entries(w, actor, kind, name, "list.import", v, n, r, NULL, err);
    free_entries(v, n);
    if (st != AR_OK) {
        r->added = 0;
        r->present = 0;
    }
    return st;
}

/*---- Entries by id ----------------------------------------------------------------*/

typedef struct value_out {
    char *p;
    size_t size;
    bool found;
} value_out;

static ar_status take_value(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    value_out *o = ud;
    snprintf(o->p, o->size, "%s", ar_row_text(row, 0, NULL));
    o->found = true;
    return AR_OK;
}

/* The value of entry `entry` of list `list`: AR_ENOTFOUND if not on it. */
static ar_status entry_value(ar_store_txn *t, int64_t list, int64_t entry, char *value,
                             size_t size, ar_error *err)
{
    value_out o = {value, size, false};
    ar_status st = ar_store_exec(t,
                                 "SELECT value FROM signal_list_entries WHERE list_id = ? AND "
                                 "id = ?",
                                 (ar_value[]){AR_VINT(list), AR_VINT(entry)}, 2, take_value, &o,
                                 NULL, err);
    if (st == AR_OK && !o.found)
        st = ar_error_set(err, AR_ENOTFOUND, "id", "the list has no entry %lld", (long long)entry);
    return st;
}

ar_status ar_list_entry_get(ar_workflow *w, ar_list_kind kind, const char *name, int64_t entry,
                            char *value, size_t size, ar_error *err)
{
    if (!w || !value || size < AR_URL_EXPR_MAX + 1)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_list_entry_get: bad argument");
    value[0] = '\0';
    ar_store_txn *t;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st != AR_OK)
        return st;
    int64_t id = 0;
    st = list_find(t, kind, name, &id, err);
    if (st == AR_OK)
        st = entry_value(t, id, entry, value, size, err);
    ar_store_rollback(t);
    if (st != AR_OK)
        value[0] = '\0';
    return st;
}

/*---- Remove -----------------------------------------------------------------------*/

ar_status ar_list_remove(ar_workflow *w, const char *actor, ar_list_kind kind, const char *name,
                         const char *value, size_t len, ar_error *err)
{
    char norm[AR_URL_EXPR_MAX + 1];
    ar_status st = value ? ar_list_value_normalize(kind, value, len, norm, sizeof norm, err)
                         : ar_error_set(err, AR_EINVAL, "value", "the value is missing");
    if (st != AR_OK)
        return st;
    ar_store_txn *t;
    ar__actor a;
    if ((st = begin_admin(w, actor, "manage signal lists", &t, &a, err)) != AR_OK)
        return st;
    int64_t id = 0, changes = 0;
    st = list_find(t, kind, name, &id, err);
    if (st == AR_OK)
        st = ar_store_exec(t, "DELETE FROM signal_list_entries WHERE list_id = ? AND value = ?",
                           (ar_value[]){AR_VINT(id), AR_VTEXT(norm)}, 2, NULL, NULL, &changes,
                           err);
    if (st == AR_OK && changes == 0)
        st = ar_error_set(err, AR_ENOTFOUND, "value", "'%s' is not on the %s '%s'", norm,
                          kind_word(kind), name);
    if (st == AR_OK)
        st = ar__audit(w, t, a.name, "list.remove", "list", id,
                       json_pack("{s:s, s:s, s:s}", "name", name, "kind", ar_list_kind_name(kind),
                                 "value", norm),
                       err);
    return finish(t, st, err);
}

ar_status ar_list_remove_id(ar_workflow *w, const char *actor, ar_list_kind kind,
                            const char *name, int64_t entry, ar_error *err)
{
    ar_store_txn *t;
    ar__actor a;
    ar_status st = begin_admin(w, actor, "manage signal lists", &t, &a, err);
    if (st != AR_OK)
        return st;
    int64_t id = 0;
    char value[AR_URL_EXPR_MAX + 1] = "";
    st = list_find(t, kind, name, &id, err);
    if (st == AR_OK)
        st = entry_value(t, id, entry, value, sizeof value, err);
    if (st == AR_OK)
        st = ar_store_exec(t, "DELETE FROM signal_list_entries WHERE list_id = ? AND id = ?",
                           (ar_value[]){AR_VINT(id), AR_VINT(entry)}, 2, NULL, NULL, NULL, err);
    if (st == AR_OK)
        st = ar__audit(w, t, a.name, "list.remove", "list", id,
                       json_pack("{s:s, s:s, s:s, s:I}", "name", name, "kind",
                                 ar_list_kind_name(kind), "value", value, "entry",
                                 (json_int_t)entry),
                       err);
    return finish(t, st, err);
}

/*---- Reading ------------------------------------------------------------------------*/

static const char *const list_cols[] = {"name",       "kind",       "description",
                                        "entries",    "created_at", "created_by"};
static const bool list_ints[] = {false, false, false, true, true, false};
#define LIST_SELECT                                                                                \
    "SELECT l.name, l.kind, l.description, (SELECT count(*) FROM signal_list_entries e WHERE "    \
    "e.list_id = l.id), l.created_at, s.login FROM signal_lists l JOIN staff s ON s.id = "        \
    "l.created_by "

static ar_status take_object(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    json_t *o = ar__row_object(row, list_cols, AR_ARRAY_LEN(list_cols), list_ints);
    if (!o || json_array_append_new(ud, o) != 0)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    return AR_OK;
}

ar_status ar_list_list_json(ar_workflow *w, ar_list_kind kind, char **out, ar_error *err)
{
    *out = NULL;
    ar_store_txn *t;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st != AR_OK)
        return st;
    json_t *a = json_array();
    st = ar_store_exec(t, LIST_SELECT "WHERE l.kind = ? ORDER BY l.name",
                       (ar_value[]){AR_VTEXT(ar_list_kind_name(kind))}, 1, take_object, a, NULL,
                       err);
    ar_store_rollback(t);
    if (st != AR_OK) {
        json_decref(a);
        return st;
    }
    return ar__json_out(json_pack("{s:o}", "lists", a), out, err);
}

static const char *const entry_cols[] = {"value", "note", "added_at", "added_by"};
static const bool entry_ints[] = {false, false, true, false};

static ar_status take_entry(void *ud, const ar_store_row *row, ar_error *err)
{
    json_t *o = ar__row_object(row, entry_cols, AR_ARRAY_LEN(entry_cols), entry_ints);
    if (!o || json_array_append_new(ud, o) != 0)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    return AR_OK;
}

ar_status ar_list_show_json(ar_workflow *w, ar_list_kind kind, const char *name, char **out,
                            ar_error *err)
{
    *out = NULL;
    ar_store_txn *t;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st != AR_OK)
        return st;
    int64_t id = 0;
    json_t *one = json_array(), *entries = json_array();
    st = list_find(t, kind, name, &id, err);
    if (st == AR_OK)
        st = ar_store_exec(t, LIST_SELECT "WHERE l.id = ?", (ar_value[]){AR_VINT(id)}, 1,
                           take_object, one, NULL, err);
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "SELECT e.value, e.note, e.added_at, s.login FROM signal_list_entries "
                           "e JOIN staff s ON s.id = e.added_by WHERE e.list_id = ? ORDER BY "
                           "e.value",
                           (ar_value[]){AR_VINT(id)}, 1, take_entry, entries, NULL, err);
    ar_store_rollback(t);
    json_t *doc = st == AR_OK ? json_incref(json_array_get(one, 0)) : NULL;
    json_decref(one);
    if (st == AR_OK && !doc)
        st = ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    if (st != AR_OK) {
        json_decref(entries);
        json_decref(doc);
        return st;
    }
    json_object_set_new(doc, "entries", entries);
    return ar__json_out(doc, out, err);
}

typedef struct text_out {
    char *p;
    size_t n, cap;
} text_out;

static ar_status take_line(void *ud, const ar_store_row *row, ar_error *err)
{
    text_out *o = ud;
    size_t vn = 0, nn = 0;
    const char *v = ar_row_text(row, 0, &vn), *note = ar_row_text(row, 1, &nn);
    size_t need = o->n + vn + nn + 3;
    if (need > o->cap) {
        size_t nc = need * 2;
        char *p = realloc(o->p, nc);
        if (!p)
            return ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
        o->p = p;
        o->cap = nc;
    }
    memcpy(o->p + o->n, v, vn);
    o->n += vn;
    if (nn) {
        o->p[o->n++] = ' ';
        memcpy(o->p + o->n, note, nn);
        o->n += nn;
    }
    o->p[o->n++] = '\n';
    o->p[o->n] = '\0';
    return AR_OK;
}

ar_status ar_list_export(ar_workflow *w, ar_list_kind kind, const char *name, char **out,
                         size_t *len, ar_error *err)
{
    *out = NULL;
    *len = 0;
    ar_store_txn *t;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st != AR_OK)
        return st;
    int64_t id = 0;
    text_out o = {calloc(1, 1), 0, 1};
    if (!o.p)
        st = ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    if (st == AR_OK)
        st = list_find(t, kind, name, &id, err);
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "SELECT value, note FROM signal_list_entries WHERE list_id = ? ORDER "
                           "BY id",
                           (ar_value[]){AR_VINT(id)}, 1, take_line, &o, NULL, err);
    ar_store_rollback(t);
    if (st != AR_OK) {
        free(o.p);
        return st;
    }
    *out = o.p;
    *len = o.n;
    return AR_OK;
}

/*---- The snapshot -------------------------------------------------------------------*/

typedef struct load_state {
    ar_lists *l;
    int64_t last_id;
    uint32_t index;
} load_state;

static ar_status take_load(void *ud, const ar_store_row *row, ar_error *err)
{
    load_state *s = ud;
    int64_t id = ar_row_int(row, 0);
    ar_status st = AR_OK;
    if (id != s->last_id) {
        const char *kind = ar_row_text(row, 2, NULL);
        st = ar_lists_add(s->l, ar_row_text(row, 1, NULL),
                          !strcmp(kind, "pdq") ? AR_LIST_PDQ : AR_LIST_URL, &s->index, err);
        s->last_id = id;
    }
    if (st == AR_OK && !ar_row_is_null(row, 3))
        st = ar_lists_add_entry_id(s->l, s->index, ar_row_text(row, 3, NULL), ar_row_int(row, 4),
                                   err);
    if (st == AR_EINVAL)
        st = ar_error_set(err, AR_ECORRUPT, "signal_list_entries",
                          "a stored list entry does not parse");
    return st;
}

ar_status ar_lists_load(ar_workflow *w, ar_lists **out, ar_error *err)
{
    if (!w || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_lists_load: NULL argument");
    *out = NULL;
    load_state s = {NULL, 0, 0};
    ar_status st = ar_lists_new(w->ctx, &s.l, err);
    if (st != AR_OK)
        return st;
    ar_store_txn *t;
    if ((st = ar_store_read(w->store, &t, err)) == AR_OK) {
        st = ar_store_exec(t,
                           "SELECT l.id, l.name, l.kind, e.value, e.id FROM signal_lists l LEFT JOIN "
                           "signal_list_entries e ON e.list_id = l.id ORDER BY l.id, e.id",
                           NULL, 0, take_load, &s, NULL, err);
        ar_store_rollback(t);
    }
    if (st != AR_OK) {
        ar_lists_release(s.l);
        return st;
    }
    ar_lists_freeze(s.l);
    *out = s.l;
    return AR_OK;
}
