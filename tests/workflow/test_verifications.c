/* tests/workflow/test_verifications.c - every verification of the audit
 * log is kept (when, who - a staff login or "cli" - and what it found) with
 * an audit event, and listed newest first; a broken log is kept as broken. */
#include "workflow_test.h"

#include <jansson.h>

static json_t *runs(wf *f, size_t limit)
{
    char *json = NULL;
    ar_error err;
    assert_int_equal(ar_audit_verifications_json(f->w, limit, &json, &err), AR_OK);
    json_t *doc = json_loads(json, 0, NULL);
    free(json);
    assert_true(json_is_array(doc));
    return doc;
}

static void test_verifications_are_kept_with_who_ran_them(void **state)
{
    wf *f = wf_new();
    ar_error err;
    ar_audit_report rep;
    int64_t id = 0;
    json_t *none = runs(f, 0);
    assert_int_equal(json_array_size(none), 0);
    json_decref(none);
    assert_int_equal(ar_workflow_audit_verify_record(f->w, NULL, &rep, &id, &err), AR_OK);
    assert_int_equal(rep.problem, AR_AUDIT_INTACT);
    assert_true(id > 0);
    f->now += 60;
    assert_int_equal(ar_workflow_audit_verify_record(f->w, "aud", &rep, &id, &err), AR_OK);
    assert_int_equal(ar_workflow_audit_verify_record(f->w, "root", &rep, NULL, &err), AR_OK);
    /* moderators and legal reviewers do not verify; nothing is kept for them */
    int64_t before = wf_fingerprint(f);
    assert_int_equal(ar_workflow_audit_verify_record(f->w, "mo", &rep, NULL, &err), AR_EDENIED);
    assert_int_equal(ar_workflow_audit_verify_record(f->w, "nobody", &rep, NULL, &err),
                     AR_ENOTFOUND);
    assert_int_equal(wf_fingerprint(f), before);
    json_t *list = runs(f, 0);
    assert_int_equal(json_array_size(list), 3);
    const char *by[] = {"root", "aud", "cli"};
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(list, i), "ran_by")),
                            by[i]);
    json_t *second = json_array_get(list, 1);
    assert_int_equal(json_integer_value(json_object_get(second, "ran_at")), f->now);
    assert_true(json_is_true(json_object_get(second, "intact")));
    assert_true(json_is_null(json_object_get(second, "first_bad_seq")));
    json_decref(list);
    list = runs(f, 1);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    char *json = NULL;
    assert_int_equal(ar_audit_verifications_json(f->w, 501, &json, &err), AR_EINVAL);
    assert_string_equal(err.field, "limit");
    assert_int_equal(wf_count(f, "SELECT count(*) FROM audit_events WHERE action = 'audit.verify'"
                                 " AND actor IN ('cli', 'auditor:aud', 'admin:root')"),
                     3);
    wf_assert_audit_intact(f);
    wf_free(f);
}

static void test_a_broken_log_is_kept_as_broken(void **state)
{
    wf *f = wf_new();
    ar_error err;
    ar_audit_report rep;
    ar_store_txn *t = NULL;
    assert_int_equal(ar_store_write(ar_workflow_store(f->w), &t, &err), AR_OK);
    /* someone with the database file rewrites an event */
    assert_int_equal(ar_store_exec(t, "DROP TRIGGER audit_append_only_u", NULL, 0, NULL, NULL,
                                   NULL, &err),
                     AR_OK);
    assert_int_equal(ar_store_exec(t, "UPDATE audit_events SET actor = 'nobody' WHERE seq = 2",
                                   NULL, 0, NULL, NULL, NULL, &err),
                     AR_OK);
    assert_int_equal(ar_store_commit(t, &err), AR_OK);
    assert_int_equal(ar_workflow_audit_verify_record(f->w, "aud", &rep, NULL, &err), AR_OK);
    assert_int_not_equal(rep.problem, AR_AUDIT_INTACT);
    json_t *list = runs(f, 0);
    json_t *r = json_array_get(list, 0);
    assert_true(json_is_false(json_object_get(r, "intact")));
    assert_int_equal(json_integer_value(json_object_get(r, "first_bad_seq")), 2);
    assert_string_equal(json_string_value(json_object_get(r, "result")),
                        ar_audit_problem_name(rep.problem));
    json_decref(list);
    wf_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verifications_are_kept_with_who_ran_them),
        cmocka_unit_test(test_a_broken_log_is_kept_as_broken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
