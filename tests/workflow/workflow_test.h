/* workflow_test.h - a fresh workflow directory with staff, and a clock the
 * test moves by hand. */
#ifndef WORKFLOW_TEST_H
#define WORKFLOW_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arbiter/arbiter.h"

typedef struct wf {
    ar_ctx *ctx;
    ar_workflow *w;
    char dir[64];
    int64_t now;
} wf;

static inline int64_t wf_clock(void *ud)
{
    return ((wf *)ud)->now;
}

static inline char *wf_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    *len = fread(buf, 1, sizeof buf - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static inline void wf_open(wf *f)
{
    ar_workflow_opts o = {.dir = f->dir, .flags = AR_WORKFLOW_INDEX, .clock = wf_clock,
                          .clock_ud = f};
    ar_error err;
    if (ar_workflow_open(f->ctx, &o, &f->w, &err) != AR_OK)
        fail_msg("open: %s", err.message);
}

static inline wf *wf_new(void)
{
    wf *f = calloc(1, sizeof *f);
    ar_error err;
    f->now = 1795168800; /* 2026-11-20T10:00:00Z */
    snprintf(f->dir, sizeof f->dir, "/tmp/ar-wf-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    assert_int_equal(ar_ctx_new(NULL, &f->ctx, &err), AR_OK);
    if (ar_workflow_init(f->ctx, f->dir, AR_SOURCE_DIR "/policies/jurisdictions.yaml", &err) != AR_OK)
        fail_msg("init: %s", err.message);
    wf_open(f);
    assert_int_equal(ar_staff_add(f->w, NULL, "root", AR_ROLE_ADMIN, NULL, NULL, &err), AR_OK);
    assert_int_equal(ar_staff_add(f->w, "root", "mo", AR_ROLE_MODERATOR, NULL, NULL, &err), AR_OK);
    assert_int_equal(ar_staff_add(f->w, "root", "mia", AR_ROLE_MODERATOR, NULL, NULL, &err), AR_OK);
    assert_int_equal(ar_staff_add(f->w, "root", "lee", AR_ROLE_LEGAL, NULL, NULL, &err), AR_OK);
    assert_int_equal(ar_staff_add(f->w, "root", "lin", AR_ROLE_LEGAL, NULL, NULL, &err), AR_OK);
    assert_int_equal(ar_staff_add(f->w, "root", "aud", AR_ROLE_AUDITOR, NULL, NULL, &err), AR_OK);
    return f;
}

static inline void wf_free(wf *f)
{
    char cmd[128];
    ar_workflow_close(f->w);
    ar_ctx_free(f->ctx);
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
}

static inline int64_t wf_count(wf *f, const char *sql)
{
    ar_store_txn *t = NULL;
    int64_t n = -1;
    ar_error err;
    assert_int_equal(ar_store_read(ar_workflow_store(f->w), &t, &err), AR_OK);
    assert_int_equal(ar_store_query_int(t, sql, NULL, 0, &n, &err), AR_OK);
    ar_store_rollback(t);
    return n;
}

/* Everything a refusal must leave as it was. */
static inline int64_t wf_fingerprint(wf *f)
{
    return wf_count(f, "SELECT (SELECT count(*) FROM audit_events) * 1000000"
                       " + (SELECT count(*) FROM decisions) * 10000"
                       " + (SELECT count(*) FROM cases) * 100"
                       " + (SELECT count(*) FROM legal_requests)");
}

static inline int64_t wf_add_request(wf *f, const char *file)
{
    size_t len;
    char *json = wf_read(file, &len);
    ar_legal_request *r = NULL;
    ar_error err;
    int64_t id = 0;
    if (ar_legal_request_parse(f->ctx, json, len, &r, &err) != AR_OK)
        fail_msg("parse: %s", err.message);
    assert_int_equal(ar_request_add(f->w, "lee", r, &id, &err), AR_OK);
    ar_legal_request_free(r);
    return id;
}

static inline void wf_assert_audit_intact(wf *f)
{
    ar_audit_report rep;
    ar_error err;
    assert_int_equal(ar_workflow_audit_verify(f->w, &rep, &err), AR_OK);
    if (rep.problem != AR_AUDIT_INTACT)
        fail_msg("audit: %s", rep.message);
}

#endif
