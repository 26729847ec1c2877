/*
 * app.c - the state every handler shares: the engine slot and the workflow
 * (borrowed), a pool of check scratches, the rate limiter, the metrics, and
 * the policy reload that swaps the engine without failing a request.
 */
#include "http/http.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define POOL_MAX 64 /* scratches kept for reuse; more are freed after use */

/* The signal lists from the store (none without one), and the policy's
 * url_list and bank rules checked against them: a rule naming a list the
 * store lacks is logged (policy_list_missing) and matches nothing until an
 * admin creates the list; a later swap to such a policy is refused. */
static ar_status lists_open(ar_http_app *app, ar_error *err)
{
    ar_lists *l = NULL;
    ar_status st = app->wf ? ar_lists_load(app->wf, &l, err) : ar_lists_new(app->ctx, &l, err);
    if (st != AR_OK)
        return st;
    ar_lists_freeze(l);
    ar_engine *e = app->slot ? ar_engine_slot_acquire(app->slot) : NULL;
    ar_error missing = {0};
    if (e && ar_engine_check_lists(e, l, &missing) != AR_OK) {
        /* At start there is no older policy to keep in force, so the rule
         * matches nothing until the list is made; a swap is refused instead. */
        ar_log_kv kv[] = {AR_KV_STR("field", missing.field),
                          AR_KV_STR("message", missing.message)};
        ar_http_log(app, AR_LOG_WARN, "policy_list_missing", kv, 2);
    }
    ar_engine_release(e);
    st = ar_lists_slot_new(app->ctx, l, &app->lists, err);
    if (st != AR_OK)
        ar_lists_release(l);
    return st;
}

ar_status ar_http_lists_refresh(ar_http_app *app, ar_error *err)
{
    ar_lists *l = NULL;
    ar_status st = app->wf ? ar_lists_load(app->wf, &l, err)
                           : ar_error_set(err, AR_EINVAL, NULL, "no store");
    if (st == AR_OK)
        ar_lists_slot_swap(app->lists, l); /* checks in flight finish on the old snapshot */
    return st;
}

ar_status ar_http_app_init(ar_http_app *app, ar_ctx *ctx, ar_workflow *wf, ar_engine_slot *slot,
                           const ar_http_config *cfg, ar_error *err)
{
    memset(app, 0, sizeof *app);
    app->ctx = ctx;
    app->wf = wf;
    app->slot = slot;
    if (cfg)
        app->cfg = *cfg;
    if (!app->cfg.body_max)
        app->cfg.body_max = AR_HTTP_BODY_MAX_DEFAULT;
    if (!app->cfg.batch_max)
        app->cfg.batch_max = AR_HTTP_BATCH_MAX;
    if (app->cfg.session_seconds <= 0)
        app->cfg.session_seconds = AR_HTTP_SESSION_SECONDS_DEFAULT;
    pthread_mutex_init(&app->reload_lock, NULL);
    pthread_mutex_init(&app->pool_lock, NULL);
    ar_http_metrics_init(&app->metrics);
    atomic_init(&app->next_request_id, 1);
    app->id_prefix = sodium_init() >= 0 ? randombytes_random() : (unsigned)getpid();
    atomic_init(&app->ready, false);
    if (!app->metrics.requests)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for metrics");
    if (app->cfg.rate > 0) {
        double burst = app->cfg.burst > 0 ? app->cfg.burst : (app->cfg.rate > 1 ? app->cfg.rate : 1);
        if (!(app->limiter = ar_http_limiter_new(app->cfg.rate, burst))) {
            ar_http_app_fini(app);
            return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for the rate limiter");
        }
    }
    /* sign-in: a burst of 5 attempts per login, then one every 12 s */
    if (!(app->login_limiter = ar_http_limiter_new(1.0 / 12, 5))) {
        ar_http_app_fini(app);
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for the sign-in limiter");
    }
    ar_status st = lists_open(app, err);
    if (st != AR_OK)
        ar_http_app_fini(app);
    return st;
}

void ar_http_app_fini(ar_http_app *app)
{
    for (size_t i = 0; i < app->npool; i++)
        ar_check_scratch_free(app->pool[i]);
    free(app->pool);
    app->pool = NULL;
    app->npool = app->cappool = 0;
    ar_http_limiter_free(app->limiter);
    app->limiter = NULL;
    ar_http_limiter_free(app->login_limiter);
    app->login_limiter = NULL;
    ar_http_metrics_fini(&app->metrics);
    ar_lists_slot_free(app->lists);
    app->lists = NULL;
    pthread_mutex_destroy(&app->reload_lock);
    pthread_mutex_destroy(&app->pool_lock);
}

ar_check_scratch *ar_http_scratch_take(ar_http_app *app)
{
    ar_check_scratch *s = NULL;
    pthread_mutex_lock(&app->pool_lock);
    if (app->npool)
        s = app->pool[--app->npool];
    pthread_mutex_unlock(&app->pool_lock);
    if (!s && ar_check_scratch_new(app->ctx, &s, NULL) != AR_OK)
        s = NULL;
    return s;
}

void ar_http_scratch_give(ar_http_app *app, ar_check_scratch *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&app->pool_lock);
    if (app->npool == app->cappool && app->cappool < POOL_MAX) {
        size_t cap = app->cappool ? app->cappool * 2 : 8;
        ar_check_scratch **p = realloc(app->pool, cap * sizeof *p);
        if (p) {
            app->pool = p;
            app->cappool = cap;
        }
    }
    if (app->npool < app->cappool) {
        app->pool[app->npool++] = s;
        s = NULL;
    }
    pthread_mutex_unlock(&app->pool_lock);
    ar_check_scratch_free(s);
}

ar_status ar_http_policy_reload(ar_http_app *app, const char *actor, const char *yaml,
                                size_t len, ar_diag_list *diags, ar_error *err)
{
    ar_policy *p = NULL;
    ar_engine *e = NULL;
    ar_status st;
    pthread_mutex_lock(&app->reload_lock);
    if (yaml) /* from the API: no terms_file or allow_file (no reading server files) */
        st = ar_policy_parse_buffer(app->ctx, yaml, len, "policy", NULL, &p, diags, err);
    else if (app->cfg.policy_path)
        st = ar_policy_parse_file(app->ctx, app->cfg.policy_path, &p, diags, err);
    else
        st = ar_error_set(err, AR_EINVAL, "policy", "no policy file to reload");
    if (st == AR_OK)
        st = ar_engine_compile(app->ctx, p, &e, err); /* takes p */
    if (st == AR_OK && !yaml && app->wf) /* SIGHUP re-reads the lists too */
        st = ar_http_lists_refresh(app, err);
    if (st == AR_OK) { /* a rule naming a list the store lacks: refused by name */
        ar_lists *l = ar_lists_slot_acquire(app->lists);
        st = ar_engine_check_lists(e, l, err);
        ar_lists_release(l);
        if (st != AR_OK && diags && err) {
            ar_status added = ar_diag_list_add(diags, err); /* lint lists it like the rest */
            (void)added;
        }
    }
    if (st == AR_OK && app->wf) /* recorded before it takes effect, like every change */
        st = ar_workflow_note_policy(app->wf, actor, ar_engine_policy(e)->digest,
                                     ar_engine_policy(e)->name, yaml ? "http" : "reload", err);
    if (st == AR_OK && app->wf) /* the policy's legal_review.four_eyes, for every process */
        st = ar_workflow_set_four_eyes(app->wf, actor, ar_engine_policy(e)->four_eyes, err);
    if (st != AR_OK && e) {
        ar_engine_release(e);
        e = NULL;
    }
    if (st == AR_OK) {
        char digest[17];
        memcpy(digest, ar_engine_policy(e)->digest, sizeof digest);
        ar_engine_slot_swap(app->slot, e); /* checks in flight finish on the old one */
        atomic_fetch_add(&app->metrics.reloads, 1);
        ar_log_kv kv[] = {AR_KV_STR("digest", digest), AR_KV_STR("source", yaml ? "api" : "file")};
        ar_http_log(app, AR_LOG_INFO, "policy_swapped", kv, 2);
    } else {
        atomic_fetch_add(&app->metrics.reload_failures, 1);
        ar_log_kv kv[] = {AR_KV_STR("code", ar_status_name(st)),
                          AR_KV_STR("source", yaml ? "api" : "file")};
        ar_http_log(app, AR_LOG_WARN, "policy_rejected", kv, 2);
    }
    pthread_mutex_unlock(&app->reload_lock);
    return st;
}

void ar_http_log(ar_http_app *app, ar_log_level level, const char *event, const ar_log_kv *kv,
                 size_t nkv)
{
    if (!app->cfg.access_log)
        return;
    char line[1024];
    ar_log_format_json(line, sizeof line, level, "http", event, kv, nkv);
    app->cfg.access_log(app->cfg.access_log_ud, line);
}
