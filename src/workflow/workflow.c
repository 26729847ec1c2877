/*
 * workflow.c - opening a workflow directory, the acting staff member, and
 * the helpers every change goes through: audit, visibility, validation.
 */
#include "workflow_int.h"
#include "audit/audit_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PATH_BYTES 4096

static const char *const role_names[] = {"moderator", "legal", "admin", "auditor"};

const char *ar_role_name(ar_role r)
{
    return (unsigned)r < AR_ARRAY_LEN(role_names) ? role_names[r] : "unknown";
}

ar_status ar_role_parse(const char *s, ar_role *out, ar_error *err)
{
    for (size_t i = 0; s && i < AR_ARRAY_LEN(role_names); i++)
        if (!strcmp(s, role_names[i])) {
            *out = (ar_role)i;
            return AR_OK;
        }
    return ar_error_set(err, AR_EINVAL, "role",
                        "role must be moderator, legal, admin or auditor, not '%s'", s ? s : "");
}

int64_t ar__now(const ar_workflow *w)
{
    if (w->clock)
        return w->clock(w->clock_ud);
    return (int64_t)time(NULL);
}

static ar_status path_in(const char *dir, const char *name, char *out, ar_error *err)
{
    int n = snprintf(out, PATH_BYTES, "%s/%s", dir, name);
    if (n < 0 || n >= PATH_BYTES)
        return ar_error_set(err, AR_EINVAL, "dir", "directory path is too long");
    return AR_OK;
}

static bool dir_is_empty_or_absent(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT;
    struct dirent *e;
    bool empty = true;
    while ((e = readdir(d)) && empty)
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    return empty;
}

static ar_status copy_file(const char *from, const char *to, ar_error *err)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return ar_error_set(err, AR_ENOTFOUND, "jurisdictions", "cannot open '%s': %s", from,
                            strerror(errno));
    FILE *out = fopen(to, "wbx");
    if (!out) {
        fclose(in);
        return ar_error_set(err, AR_EIO, "jurisdictions", "cannot create '%s': %s", to,
                            strerror(errno));
    }
    char buf[65536];
    size_t n;
    bool ok = true;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    ok = ok && !ferror(in) && fflush(out) == 0 && fsync(fileno(out)) == 0;
    fclose(in);
    ok = fclose(out) == 0 && ok;
    return ok ? AR_OK : ar_error_set(err, AR_EIO, "jurisdictions", "cannot copy to '%s'", to);
}

ar_status ar_workflow_init(ar_ctx *ctx, const char *dir, const char *jurisdictions_path,
                           ar_error *err)
{
    char db[PATH_BYTES], key[PATH_BYTES], pub[PATH_BYTES], jur[PATH_BYTES];
    if (!ctx || !dir || !*dir)
        return ar_error_set(err, AR_EINVAL, "dir", "a directory is required");
    if (!dir_is_empty_or_absent(dir))
        return ar_error_set(err, AR_ECONFLICT, "dir",
                            "'%s' exists and is not empty: refusing to initialise over it", dir);
    if (mkdir(dir, 0750) != 0 && errno != EEXIST)
        return ar_error_set(err, AR_EIO, "dir", "cannot create '%s': %s", dir, strerror(errno));
    ar_status st = path_in(dir, "arbiter.db", db, err);
    if (st == AR_OK)
        st = path_in(dir, "audit.key", key, err);
    if (st == AR_OK)
        st = path_in(dir, "audit.pub", pub, err);
    if (st == AR_OK)
        st = path_in(dir, "jurisdictions.yaml", jur, err);
    if (st == AR_OK)
        st = ar_audit_keygen(key, pub, err);
    if (st == AR_OK && jurisdictions_path) {
        ar_jurisdictions *j = NULL;
        st = ar_jurisdictions_load(ctx, jurisdictions_path, &j, NULL, err);
        ar_jurisdictions_free(j);
        if (st == AR_OK)
            st = copy_file(jurisdictions_path, jur, err);
    }
    ar_store *s = NULL;
    if (st == AR_OK)
        st = ar_store_open(ctx, db, &s, err);
    ar_store_close(s);
    if (st == AR_OK)
        AR_LOG(ctx, AR_LOG_INFO, "workflow", "initialised", AR_KV_STR("dir", dir));
    return st;
}

ar_status ar_workflow_open(ar_ctx *ctx, const ar_workflow_opts *opts, ar_workflow **out,
                           ar_error *err)
{
    char db[PATH_BYTES], key[PATH_BYTES], jur[PATH_BYTES], ekey[PATH_BYTES];
    if (!ctx || !opts || !opts->dir || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_workflow_open: NULL argument");
    *out = NULL;
    ar_status st = path_in(opts->dir, "arbiter.db", db, err);
    if (st == AR_OK)
        st = path_in(opts->dir, "audit.key", key, err);
    if (st == AR_OK)
        st = path_in(opts->dir, "jurisdictions.yaml", jur, err);
    if (st == AR_OK)
        st = path_in(opts->dir, "evidence.key", ekey, err);
    if (st != AR_OK)
        return st;
    if (opts->evidence_seconds < 0)
        return ar_error_set(err, AR_EINVAL, "evidence_seconds", "must not be negative");
    if (access(db, F_OK) != 0)
        return ar_error_set(err, AR_ENOTFOUND, "dir",
                            "'%s' has no store: run `arbiter init %s` first", opts->dir, opts->dir);
    ar_workflow *w = ar__calloc(ctx, 1, sizeof *w);
    if (!w || !(w->dir = ar__strdup(ctx, opts->dir))) {
        ar__free(ctx, w);
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory opening the workflow");
    }
    w->ctx = ctx;
    w->clock = opts->clock;
    w->clock_ud = opts->clock_ud;
    w->evidence_seconds = opts->evidence_seconds ? opts->evidence_seconds
                                                 : AR_EVIDENCE_SECONDS_DEFAULT;
    st = ar__token_cache_new(w, err);
    if (st == AR_OK)
        st = ar_store_open(ctx, db, &w->store, err);
    if (st == AR_OK)
        st = ar_audit_open(ctx, key, AR_AUDIT_DEFAULT_CHECKPOINT_EVERY, &w->audit, err);
    if (st == AR_OK && access(jur, F_OK) == 0)
        st = ar_jurisdictions_load(ctx, jur, &w->jur, NULL, err);
    if (st == AR_OK && (opts->flags & AR_WORKFLOW_INDEX)) {
        st = ar_visibility_new(ctx, 0, &w->vis, err);
        if (st == AR_OK)
            st = ar__visibility_rebuild(w, err);
    }
    if (st == AR_OK)
        st = ar__evidence_key_load(w, ekey, err);
    int64_t released = 0, purged = 0;
    if (st == AR_OK)
        st = ar_workflow_release_notices(w, &released, err);
    if (st == AR_OK)
        st = ar_workflow_purge_evidence(w, &purged, err);
    if (st != AR_OK) {
        ar_workflow_close(w);
        return st;
    }
    *out = w;
    return AR_OK;
}

void ar_workflow_close(ar_workflow *w)
{
    if (!w)
        return;
    ar_visibility_free(w->vis);
    ar_jurisdictions_free(w->jur);
    ar_audit_close(w->audit);
    ar_store_close(w->store);
    ar__token_cache_free(w);
    ar__evidence_key_free(w);
    ar__free(w->ctx, w->dir);
    ar__free(w->ctx, w);
}

ar_store *ar_workflow_store(ar_workflow *w)
{
    return w ? w->store : NULL;
}

/*---- The acting staff member -------------------------------------------*/

static ar_status take_actor(void *ud, const ar_store_row *row, ar_error *err)
{
    ar__actor *a = ud;
    if (ar_role_parse(ar_row_text(row, 1, NULL), &a->role, err) != AR_OK)
        return ar_error_set(err, AR_ECORRUPT, "staff", "stored role is invalid");
    a->id = ar_row_int(row, 0) * (ar_row_int(row, 2) ? -1 : 1); /* negative: disabled */
    return AR_OK;
}

ar_status ar__actor_load(ar_store_txn *t, const char *login, ar__actor *out, ar_error *err)
{
    memset(out, 0, sizeof *out);
    if (!login || !*login)
        return ar_error_set(err, AR_EINVAL, "as", "a staff member is required (--as NAME)");
    ar_status st = ar_store_exec(t, "SELECT id, role, disabled FROM staff WHERE login = ?",
                                 (ar_value[]){AR_VTEXT(login)}, 1, take_actor, out, NULL, err);
    if (st != AR_OK)
        return st;
    if (out->id == 0)
        return ar_error_set(err, AR_ENOTFOUND, "as", "no staff member '%s'", login);
    if (out->id < 0)
        return ar_error_set(err, AR_EDENIED, "as", "staff member '%s' is disabled", login);
    snprintf(out->name, sizeof out->name, "%s:%.64s", ar_role_name(out->role), login);
    return AR_OK;
}

ar_status ar__actor_require(const ar__actor *a, ar_role role, const char *what, ar_error *err)
{
    if (a->role == role)
        return AR_OK;
    static const char *const article[] = {"a moderator", "a legal reviewer", "an admin",
                                          "an auditor"};
    return ar_error_set(err, AR_EDENIED, "as", "only %s may %s ('%s' is %s)", article[role], what,
                        a->name, ar_role_name(a->role));
}

ar_status ar_workflow_note_policy(ar_workflow *w, const char *actor, const char *digest,
                                  const char *name, const char *how, ar_error *err)
{
    if (!w || !digest || !how)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_workflow_note_policy: NULL argument");
    ar_store_txn *t = NULL;
    ar_status st = ar_store_write(w->store, &t, err);
    if (st == AR_OK)
        st = ar__audit(w, t, actor && *actor ? actor : "system", "policy.swap", "policy", 0,
                       json_pack("{s:s,s:s?,s:s}", "digest", digest, "name", name, "how", how),
                       err);
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    return ar_store_commit(t, err);
}

/*---- Audit, JSON and validation -----------------------------------------*/

ar_status ar__audit(ar_workflow *w, ar_store_txn *t, const char *actor, const char *action,
                    const char *object_kind, int64_t object_id, json_t *payload, ar_error *err)
{
    char object[96];
    snprintf(object, sizeof object, "%s:%lld", object_kind, (long long)object_id);
    if (!payload)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory building an audit event");
    ar_status st = ar__audit_append_obj(w->audit, t, ar__now(w), actor, action, object, payload,
                                        NULL, err);
    json_decref(payload);
    return st;
}

ar_status ar__json_out(json_t *doc, char **out, ar_error *err)
{
    *out = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    if (!*out)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory writing JSON");
    return AR_OK;
}

json_t *ar__row_object(const ar_store_row *row, const char *const *names, size_t n,
                       const bool *is_int)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < n; i++) {
        json_t *v;
        if (ar_row_is_null(row, i))
            v = json_null();
        else if (is_int[i])
            v = json_integer(ar_row_int(row, i));
        else
            v = json_string(ar_row_text(row, i, NULL));
        json_object_set_new(o, names[i], v ? v : json_null());
    }
    return o;
}

ar_status ar__text_check(const char *s, const char *field, size_t max, bool required,
                         ar_error *err)
{
    if (!s || !*s)
        return required ? ar_error_set(err, AR_EINVAL, field, "'%s' is required", field) : AR_OK;
    size_t n = strlen(s);
    if (n > max)
        return ar_error_set(err, AR_ETOOBIG, field, "'%s' is %zu bytes, over the limit of %zu",
                            field, n, max);
    json_t *probe = json_stringn(s, n); /* NULL on invalid UTF-8 */
    if (!probe)
        return ar_error_set(err, AR_EINVAL, field, "'%s' is not valid UTF-8", field);
    json_decref(probe);
    return AR_OK;
}

static int cmp_cc(const void *a, const void *b)
{
    return memcmp(a, b, 2);
}

ar_status ar__countries_normalize(const char *in, char *out, size_t size, ar_error *err)
{
    char codes[256][2];
    size_t n = 0;
    const char *p = in ? in : "";
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && *p != ',' && *p != ' ')
            p++;
        char cc[3] = {0};
        if (p - start == 2)
            memcpy(cc, start, 2);
        if (!ar_visibility_country_valid(cc))
            return ar_error_set(err, AR_EINVAL, "countries",
                                "'%.*s' is not an ISO 3166-1 alpha-2 country code",
                                (int)(p - start > 16 ? 16 : p - start), start);
        cc[0] = (char)(start[0] & ~0x20);
        cc[1] = (char)(start[1] & ~0x20);
        if (n == AR_ARRAY_LEN(codes))
            return ar_error_set(err, AR_ETOOBIG, "countries", "more than 256 countries");
        memcpy(codes[n++], cc, 2);
    }
    if (n == 0)
        return ar_error_set(err, AR_EINVAL, "countries", "at least one country is required");
    qsort(codes, n, 2, cmp_cc);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && !memcmp(codes[i], codes[i - 1], 2))
            continue;
        if (len + 3 > size)
            return ar_error_set(err, AR_ETOOBIG, "countries", "country list too long");
        if (len)
            out[len++] = ',';
        memcpy(out + len, codes[i], 2);
        len += 2;
    }
    out[len] = '\0';
    return AR_OK;
}

/*---- Visibility ---------------------------------------------------------------*/

/* The active decisions of an item: those no later decision supersedes. A
 * removal anywhere makes it removed; restrictions add up their countries. */
#define ACTIVE_DECISIONS                                                                           \
    "SELECT i.platform_id, d.action, d.scope FROM decisions d JOIN items i ON i.id = d.item_id"   \
    " WHERE NOT EXISTS (SELECT 1 FROM decisions s WHERE s.supersedes = d.id)"

typedef struct vis_acc {
    ar_workflow *w;
    char item[260];
    bool have, removed;
    char countries[2 * 256];
    size_t ncountries;
    ar_status st;
} vis_acc;

static ar_status vis_flush(vis_acc *a, ar_error *err)
{
    if (!a->have)
        return AR_OK;
    a->have = false;
    return ar_visibility_set(a->w->vis, a->item, strlen(a->item), a->removed, a->countries,
                             a->ncountries, err);
}

static ar_status vis_row(void *ud, const ar_store_row *row, ar_error *err)
{
    vis_acc *a = ud;
    const char *item = ar_row_text(row, 0, NULL), *action = ar_row_text(row, 1, NULL);
    const char *scope = ar_row_text(row, 2, NULL);
    if (a->have && strcmp(a->item, item) != 0) {
        ar_status st = vis_flush(a, err);
        if (st != AR_OK)
            return st;
    }
    if (!a->have) {
        snprintf(a->item, sizeof a->item, "%s", item);
        a->have = true;
        a->removed = false;
        a->ncountries = 0;
    }
    if (!strcmp(action, "remove") || !strcmp(action, "suspend_account")) {
        a->removed = true;
    } else if (!strcmp(action, "restrict")) {
        for (const char *p = scope; p[0] && p[1]; p += p[2] ? 3 : 2) {
            bool dup = false;
            for (size_t i = 0; i < a->ncountries && !dup; i++)
                dup = !memcmp(a->countries + 2 * i, p, 2);
            if (!dup && a->ncountries < 256)
                memcpy(a->countries + 2 * a->ncountries++, p, 2);
            if (!p[2])
                break;
        }
    }
    return AR_OK;
}

static ar_status vis_query(ar_workflow *w, ar_store_txn *t, const char *sql,
                           const ar_value *params, size_t n, ar_error *err)
{
    vis_acc a = {.w = w};
    ar_status st = ar_store_exec(t, sql, params, n, vis_row, &a, NULL, err);
    if (st == AR_OK)
        st = vis_flush(&a, err);
    return st;
}

ar_status ar__visibility_rebuild(ar_workflow *w, ar_error *err)
{
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st == AR_OK)
        st = vis_query(w, t, ACTIVE_DECISIONS " ORDER BY i.platform_id", NULL, 0, err);
    ar_store_rollback(t);
    return st;
}

static ar_status take_platform_id(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    snprintf(ud, 260, "%s", ar_row_text(row, 0, NULL));
    return AR_OK;
}

ar_status ar__decided(ar_workflow *w, ar_store_txn *t, ar_status st, int64_t item_id,
                      int64_t did, int64_t *decision_id, ar_error *err)
{
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    if ((st = ar_store_commit(t, err)) != AR_OK)
        return st;
    if (decision_id)
        *decision_id = did;
    return did ? ar__visibility_refresh(w, item_id, err) : AR_OK;
}

ar_status ar__visibility_refresh(ar_workflow *w, int64_t item_id, ar_error *err)
{
    if (!w->vis)
        return AR_OK;
    char item[260] = "";
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st == AR_OK)
        st = ar_store_exec(t, "SELECT platform_id FROM items WHERE id = ?",
                           (ar_value[]){AR_VINT(item_id)}, 1, take_platform_id, item, NULL, err);
    /* no active decision left: visible everywhere; then what is in force */
    if (st == AR_OK && *item)
        st = ar_visibility_set(w->vis, item, strlen(item), false, NULL, 0, err);
    if (st == AR_OK && *item)
        st = vis_query(w, t, ACTIVE_DECISIONS " AND i.id = ?", (ar_value[]){AR_VINT(item_id)}, 1,
                       err);
    ar_store_rollback(t);
    return st;
}

ar_visibility_state ar_workflow_visibility(ar_workflow *w, const char *item, const char country[2])
{
    if (!w || !w->vis || !item)
        return AR_VISIBLE;
    return ar_visibility_get(w->vis, item, strlen(item), country);
}

ar_visibility_state ar_workflow_visibility_scope(ar_workflow *w, const char *item,
                                                 char *countries, size_t *ncountries)
{
    *ncountries = 0;
    if (!w || !w->vis || !item)
        return AR_VISIBLE;
    return ar_visibility_scope(w->vis, item, strlen(item), countries, ncountries);
}

void ar_workflow_visibility_many(ar_workflow *w, size_t n, const char *const *items,
                                 const size_t *lens, const char *countries,
                                 ar_visibility_state *out)
{
    if (!w || !w->vis) {
        for (size_t i = 0; i < n; i++)
            out[i] = AR_VISIBLE;
        return;
    }
    ar_visibility_get_many(w->vis, n, items, lens, countries, out);
}

/*---- User notices and the audit log --------------------------------------------*/

static ar_status collect_id(void *ud, const ar_store_row *row, ar_error *err)
{
    int64_t *ids = ud;
    if (ids[0] < 1024)
        ids[1 + ids[0]++] = ar_row_int(row, 0);
    (void)err;
    return AR_OK;
}

ar_status ar_workflow_release_notices(ar_workflow *w, int64_t *released, ar_error *err)
{
    int64_t now = ar__now(w), total = 0;
    for (;;) {
        int64_t ids[1 + 1024] = {0};
        ar_store_txn *t = NULL;
        ar_status st = ar_store_write(w->store, &t, err);
        if (st == AR_OK)
            st = ar_store_exec(t,
                               "SELECT id FROM user_notices WHERE state = 'withheld'"
                               " AND withheld_until <= ? ORDER BY id LIMIT 1024",
                               (ar_value[]){AR_VINT(now)}, 1, collect_id, ids, NULL, err);
        for (int64_t i = 0; st == AR_OK && i < ids[0]; i++) {
            st = ar_store_exec(t, "UPDATE user_notices SET state = 'pending' WHERE id = ?",
                               (ar_value[]){AR_VINT(ids[1 + i])}, 1, NULL, NULL, NULL, err);
            if (st == AR_OK)
                st = ar__audit(w, t, "system", "notice.release", "notice", ids[1 + i],
                               json_pack("{s:s}", "reason", "withholding expired"), err);
        }
        if (st != AR_OK) {
            ar_store_rollback(t);
            return st;
        }
        if (ids[0] == 0) {
            ar_store_rollback(t);
            break;
        }
        if ((st = ar_store_commit(t, err)) != AR_OK)
            return st;
        total += ids[0];
    }
    if (released)
        *released = total;
    return AR_OK;
}

ar_status ar_workflow_audit_verify(ar_workflow *w, ar_audit_report *report, ar_error *err)
{
    char pub[PATH_BYTES];
    uint8_t pk[AR_AUDIT_PUBLIC_KEY_BYTES];
    ar_status st = path_in(w->dir, "audit.pub", pub, err);
    if (st == AR_OK)
        st = ar_audit_read_public_key(pub, pk, err);
    if (st == AR_OK)
        st = ar_audit_verify(w->ctx, w->store, pk, report, err);
    return st;
}
