/* test_evidence.c - an item's text kept for reviewers: sealed in the
 * store (never readable in the database file), shown in the case view,
 * gone once its time has passed, purged with an audit event, and refused
 * with a wrong key. */
#include "workflow_test.h"

#include <fcntl.h>
#include <jansson.h>
#include <unistd.h>

static const char secret_text[] = "Pay 500 to claim your prize: free money, ask for Zainab";

static int64_t notice_with_text(wf *f, const char *item)
{
    ar_notice_in n = {.item = {.platform_id = item, .text = secret_text,
                               .text_len = sizeof secret_text - 1},
                      .notifier_kind = "user",
                      .category = "spam",
                      .explanation = "a scam",
                      .location = "https://example.social/p/1",
                      .good_faith = true};
    int64_t cid = 0;
    ar_error err;
    if (ar_notice_add(f->w, &n, &cid, &err) != AR_OK)
        fail_msg("notice: %s", err.message);
    return cid;
}

static json_t *case_doc(wf *f, int64_t cid)
{
    char *json = NULL;
    ar_error err;
    if (ar_case_show_json(f->w, cid, &json, &err) != AR_OK)
        fail_msg("show: %s", err.message);
    json_t *doc = json_loads(json, 0, NULL);
    free(json);
    assert_non_null(doc);
    return doc;
}

/* Does the file hold `needle` anywhere (the database and its WAL)? */
static bool file_holds(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    size_t n = strlen(needle), have = 0;
    char buf[1 << 16];
    bool found = false;
    for (;;) { /* keep n-1 bytes across reads, so a match on a boundary counts */
        size_t got = fread(buf + have, 1, sizeof buf - have, fp);
        size_t len = have + got;
        for (size_t i = 0; i + n <= len && !found; i++)
            found = !memcmp(buf + i, needle, n);
        if (found || got == 0)
            break;
        have = len < n - 1 ? len : n - 1;
        memmove(buf, buf + len - have, have);
    }
    fclose(fp);
    return found;
}

static void test_text_is_sealed_shown_to_reviewers_and_purged_when_due(void **state)
{
    wf *f = wf_new();
    int64_t cid = notice_with_text(f, "post-1");
    json_t *doc = case_doc(f, cid);
    assert_string_equal(json_string_value(json_object_get(doc, "text")), secret_text);
    assert_int_equal(json_integer_value(json_object_get(doc, "text_expires_at")),
                     f->now + AR_EVIDENCE_SECONDS_DEFAULT);
    json_decref(doc);

    char path[128];
    char wal[128];
    snprintf(path, sizeof path, "%s/arbiter.db", f->dir);
    snprintf(wal, sizeof wal, "%s/arbiter.db-wal", f->dir);
    assert_false(file_holds(path, "Zainab") || file_holds(wal, "Zainab"));
    /* the search works: the notice's explanation is stored as typed */
    assert_true(file_holds(path, "a scam") || file_holds(wal, "a scam"));

    int64_t events = wf_count(f, "SELECT count(*) FROM audit_events");
    f->now += AR_EVIDENCE_SECONDS_DEFAULT; /* due: no longer shown, even before a purge */
    doc = case_doc(f, cid);
    assert_true(json_is_null(json_object_get(doc, "text")));
    json_decref(doc);
    int64_t purged = 0;
    assert_int_equal(ar_workflow_purge_evidence(f->w, &purged, NULL), AR_OK);
    assert_int_equal(purged, 1);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM evidence"), 0);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM audit_events"), events + 1);
    assert_int_equal(ar_workflow_purge_evidence(f->w, &purged, NULL), AR_OK);
    assert_int_equal(purged, 0); /* nothing due: nothing written */
    assert_int_equal(wf_count(f, "SELECT count(*) FROM audit_events"), events + 1);
    ar_audit_report rep;
    assert_int_equal(ar_workflow_audit_verify(f->w, &rep, NULL), AR_OK);
    assert_int_equal(rep.problem, AR_AUDIT_INTACT);
    wf_free(f);
}

static void test_a_newer_text_replaces_the_older_and_no_text_keeps_none(void **state)
{
    wf *f = wf_new();
    notice_with_text(f, "post-2");
    ar_notice_in n = {.item = {.platform_id = "post-3"}, .notifier_kind = "user",
                      .category = "spam", .explanation = "x", .location = "https://x.example/3",
                      .good_faith = true};
    int64_t cid = 0;
    assert_int_equal(ar_notice_add(f->w, &n, &cid, NULL), AR_OK);
    json_t *doc = case_doc(f, cid);
    assert_true(json_is_null(json_object_get(doc, "text")));
    json_decref(doc);
    f->now += 10;
    int64_t again = notice_with_text(f, "post-2");
    assert_int_equal(wf_count(f, "SELECT count(*) FROM evidence"), 1);
    doc = case_doc(f, again);
    assert_int_equal(json_integer_value(json_object_get(doc, "text_expires_at")),
                     f->now + AR_EVIDENCE_SECONDS_DEFAULT);
    json_decref(doc);
    wf_free(f);
}

static void test_a_wrong_key_leaves_the_text_unreadable(void **state)
{
    wf *f = wf_new();
    int64_t cid = notice_with_text(f, "post-4");
    ar_workflow_close(f->w);
    char path[128];
    snprintf(path, sizeof path, "%s/evidence.key", f->dir);
    int fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    char other[32] = {1, 2, 3};
    assert_int_equal(write(fd, other, sizeof other), (ssize_t)sizeof other);
    close(fd);
    wf_open(f);
    json_t *doc = case_doc(f, cid); /* the case still shows; the text does not */
    assert_true(json_is_null(json_object_get(doc, "text")));
    assert_true(json_is_string(json_object_get(doc, "text_error")));
    json_decref(doc);
    ar_error err;
    ar_workflow_close(f->w);
    fd = open(path, O_WRONLY | O_TRUNC); /* a short key: the directory does not open */
    assert_true(fd >= 0);
    close(fd);
    ar_workflow_opts o = {.dir = f->dir};
    f->w = NULL;
    assert_int_equal(ar_workflow_open(f->ctx, &o, &f->w, &err), AR_ECORRUPT);
    assert_string_equal(err.field, "evidence.key");
    unlink(path); /* a missing key is made afresh */
    wf_open(f);
    wf_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_is_sealed_shown_to_reviewers_and_purged_when_due),
        cmocka_unit_test(test_a_newer_text_replaces_the_older_and_no_text_keeps_none),
        cmocka_unit_test(test_a_wrong_key_leaves_the_text_unreadable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
