/*
 * handlers_lists.c - blocked-URL lists (/v1/url-lists) and image-hash banks
 * (/v1/banks): one set of handlers, the kind taken from the route. Every
 * change is made under the app's reload lock and followed by a refresh of
 * the lists snapshot, so the next check sees it and a policy swap cannot
 * slip in between a list's deletion and the check that no rule names it.
 */
#include "http/handlers.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static ar_list_kind route_kind(const ar_http_req *req)
{
    return strncmp(req->route->pattern, "/v1/banks", 9) == 0 ? AR_LIST_PDQ : AR_LIST_URL;
}

/* After a committed change: the new snapshot in, then the answer. */
static ar_status refresh(ar_http_app *app, ar_status st, ar_error *err)
{
    return st == AR_OK ? ar_http_lists_refresh(app, err) : st;
}

static void reply_show(ar_http_req *req, ar_http_res *res, unsigned status, const char *name)
{
    char *doc = NULL;
    ar_error err = {0};
    if (ar_list_show_json(req->app->wf, route_kind(req), name, &doc, &err) != AR_OK)
        ar_http_reply_error(res, &err);
    else
        ar_http_reply_doc(res, status, doc);
}

void ar_http_h_lists_list(ar_http_req *req, ar_http_res *res)
{
    char *doc = NULL;
    ar_error err = {0};
    if (ar_list_list_json(req->app->wf, route_kind(req), &doc, &err) != AR_OK)
        ar_http_reply_error(res, &err);
    else
        ar_http_reply_doc(res, 200, doc);
}

void ar_http_h_list_get(ar_http_req *req, ar_http_res *res)
{
    reply_show(req, res, 200, ar_http_param(req, "name"));
}

void ar_http_h_list_create(ar_http_req *req, ar_http_res *res)
{
    static const char *const keys[] = {"name", "description"};
    const char *actor = ar_http_actor(req, res);
    json_t *doc = actor ? ar_http_body_json(req, res) : NULL;
    if (!doc)
        return;
    const char *name = NULL, *desc = NULL;
    ar_error err = {0};
    ar_status st = json_is_object(doc)
                       ? ar_http_only_keys(doc, keys, AR_HTTP_LEN(keys), "", &err)
                       : ar_error_set(&err, AR_EINVAL, "body",
                                      "body must be {\"name\":..,\"description\":..}");
    if (st == AR_OK)
        st = ar_http_get_string(doc, "name", true, AR_LIST_NAME_MAX, "", &name, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "description", false, AR_LIST_DESCRIPTION_MAX, "", &desc,
                                NULL, &err);
    if (st == AR_OK) {
        pthread_mutex_lock(&req->app->reload_lock);
        st = refresh(req->app,
                     ar_list_create(req->app->wf, actor, route_kind(req), name, desc, &err), &err);
        pthread_mutex_unlock(&req->app->reload_lock);
    }
    if (st == AR_OK)
        reply_show(req, res, 201, name);
    else
        ar_http_reply_error(res, &err);
    json_decref(doc);
}

void ar_http_h_list_delete(ar_http_req *req, ar_http_res *res)
{
    const char *actor = ar_http_actor(req, res);
    if (!actor)
        return;
    const char *name = ar_http_param(req, "name");
    ar_error err = {0};
    ar_status st;
    pthread_mutex_lock(&req->app->reload_lock);
    ar_engine *e = ar_engine_slot_acquire(req->app->slot);
    if (ar_engine_uses_list(e, name))
        st = ar_error_set(&err, AR_ECONFLICT, "name",
                          "the policy in force has a rule naming '%s': change the policy first",
                          name);
    else
        st = refresh(req->app, ar_list_delete(req->app->wf, actor, route_kind(req), name, &err),
                     &err);
    ar_engine_release(e);
    pthread_mutex_unlock(&req->app->reload_lock);
    if (st != AR_OK)
        ar_http_reply_error(res, &err);
    else
        ar_http_reply_json(res, 200, json_pack("{s:s}", "deleted", name));
}

/* {"added","already_present"} */
static json_t *report_json(const ar_list_report *r)
{
    return json_pack("{s:I,s:I,s:I}", "added", (json_int_t)r->added, "already_present",
                     (json_int_t)r->present, "invalid", (json_int_t)r->invalid);
}

/* A refused add or import: the usual error object, with every invalid
 * entry or line listed under "invalid". */
static void reply_refused(ar_http_res *res, const ar_error *err, const ar_list_report *r,
                          const char *what)
{
    if (err->status != AR_EINVAL || r->nerrors == 0) {
        ar_http_reply_error(res, err);
        return;
    }
    json_t *lines = json_array();
    for (size_t i = 0; lines && i < r->nerrors; i++)
        json_array_append_new(lines, json_pack("{s:I,s:s}", what, (json_int_t)r->errors[i].line,
                                               "message", r->errors[i].message));
    res->code = ar_status_name(AR_EINVAL);
    ar_http_reply_json(res, 400,
                       json_pack("{s:{s:s,s:s,s:s,s:I,s:o}}", "error", "code",
                                 ar_status_name(AR_EINVAL), "message", err->message, "field",
                                 err->field, "invalid_count", (json_int_t)r->invalid, "invalid",
                                 lines));
}

/* One element of the entries array: "value" or {"value","note"}. */
static ar_status entry_of(json_t *x, size_t i, ar_list_entry_in *out, ar_error *err)
{
    static const char *const keys[] = {"value", "note"};
    char prefix[40];
    snprintf(prefix, sizeof prefix, "entries[%zu].", i);
    if (json_is_string(x)) {
        *out = (ar_list_entry_in){json_string_value(x), json_string_length(x), NULL};
        return AR_OK;
    }
    if (!json_is_object(x))
        return ar_error_set(err, AR_EINVAL, "entries", "entries[%zu] must be a string or "
                                                       "{\"value\":..,\"note\":..}", i);
    const char *v = NULL, *note = NULL;
    size_t len = 0;
    ar_status st = ar_http_only_keys(x, keys, AR_HTTP_LEN(keys), prefix, err);
    if (st == AR_OK)
        st = ar_http_get_string(x, "value", true, AR_URL_MAX_BYTES, prefix, &v, &len, err);
    if (st == AR_OK)
        st = ar_http_get_string(x, "note", false, AR_LIST_NOTE_MAX, prefix, &note, NULL, err);
    if (st == AR_OK)
        *out = (ar_list_entry_in){v, len, note};
    return st;
}

void ar_http_h_list_add(ar_http_req *req, ar_http_res *res)
{
    const char *actor = ar_http_actor(req, res);
    json_t *doc = actor ? ar_http_body_json(req, res) : NULL;
    if (!doc)
        return;
    ar_error err = {0};
    ar_list_report *r = calloc(1, sizeof *r);
    size_t n = json_array_size(doc);
    ar_list_entry_in *v = calloc(n ? n : 1, sizeof *v);
    ar_status st = !r || !v ? ar_error_set(&err, AR_ENOMEM, NULL, "out of memory")
                 : !json_is_array(doc)
                     ? ar_error_set(&err, AR_EINVAL, "body",
                                    "body must be a JSON array of entries: [\"evil.example/\", "
                                    "{\"value\":..,\"note\":..}]")
                 : n > AR_LIST_ADD_MAX
                     ? ar_error_set(&err, AR_ETOOBIG, "body", "%zu entries, over the limit of %u",
                                    n, AR_LIST_ADD_MAX)
                     : AR_OK;
    for (size_t i = 0; st == AR_OK && i < n; i++)
        st = entry_of(json_array_get(doc, i), i, &v[i], &err);
    if (st == AR_OK) {
        pthread_mutex_lock(&req->app->reload_lock);
        st = refresh(req->app,
                     ar_list_add(req->app->wf, actor, route_kind(req), ar_http_param(req, "name"),
                                 v, n, r, &err),
                     &err);
        pthread_mutex_unlock(&req->app->reload_lock);
    }
    if (st == AR_OK)
        ar_http_reply_json(res, 200, report_json(r));
    else if (r)
        reply_refused(res, &err, r, "index");
    else
        ar_http_reply_error(res, &err);
    free(v);
    free(r);
    json_decref(doc);
}

void ar_http_h_list_import(ar_http_req *req, ar_http_res *res)
{
    const char *actor = ar_http_actor(req, res);
    if (!actor)
        return;
    ar_error err = {0};
    ar_list_report *r = calloc(1, sizeof *r);
    ar_status st = r ? AR_OK : ar_error_set(&err, AR_ENOMEM, NULL, "out of memory");
    if (st == AR_OK && (!req->body || !req->body_len))
        st = ar_error_set(&err, AR_EINVAL, "body",
                          "a text/plain body is required: one entry per line, '#' comments");
    if (st == AR_OK) {
        pthread_mutex_lock(&req->app->reload_lock);
        st = refresh(req->app,
                     ar_list_import(req->app->wf, actor, route_kind(req),
                                    ar_http_param(req, "name"), req->body, req->body_len, r,
                                    &err),
                     &err);
        pthread_mutex_unlock(&req->app->reload_lock);
    }
    if (st == AR_OK)
        ar_http_reply_json(res, 200, report_json(r));
    else if (r)
        reply_refused(res, &err, r, "line");
    else
        ar_http_reply_error(res, &err);
    free(r);
}

void ar_http_h_list_remove(ar_http_req *req, ar_http_res *res)
{
    const char *actor = ar_http_actor(req, res);
    if (!actor)
        return;
    const char *value = ar_http_param(req, "value");
    ar_error err = {0};
    pthread_mutex_lock(&req->app->reload_lock);
    ar_status st = refresh(req->app,
                           ar_list_remove(req->app->wf, actor, route_kind(req),
                                          ar_http_param(req, "name"), value, strlen(value), &err),
                           &err);
    pthread_mutex_unlock(&req->app->reload_lock);
    if (st != AR_OK)
        ar_http_reply_error(res, &err);
    else
        ar_http_reply_json(res, 200, json_pack("{s:s}", "removed", value));
}
