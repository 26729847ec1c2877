/* tests/workflow/test_cases.c - staff, verdicts into cases and automated
 * decisions, notices, moderators' decisions, and appeals. */
#include "workflow_test.h"

#define POLICY AR_SOURCE_DIR "/tests/check/data/policy.yaml"

static ar_verdict check(wf *f, ar_engine **e, ar_check_scratch **s, const char *text)
{
    ar_error err;
    ar_verdict v;
    if (!*e)
        assert_int_equal(ar_engine_load_file(f->ctx, POLICY, e, &err), AR_OK);
    if (!*s)
        assert_int_equal(ar_check_scratch_new(f->ctx, s, &err), AR_OK);
    assert_int_equal(ar_check_text(*e, *s, text, strlen(text), NULL, &v, &err), AR_OK);
    return v;
}

static void test_staff_roles_and_passwords(void **state)
{
    wf *f = wf_new();
    ar_error err;
    ar_role role;
    int64_t before = wf_fingerprint(f);
    assert_int_equal(ar_staff_add(f->w, "mo", "eve", AR_ROLE_ADMIN, NULL, NULL, &err), AR_EDENIED);
    assert_int_equal(ar_staff_add(f->w, "root", "mo", AR_ROLE_LEGAL, NULL, NULL, &err), AR_ECONFLICT);
    assert_int_equal(ar_staff_add(f->w, "root", "bad name", AR_ROLE_LEGAL, NULL, NULL, &err), AR_EINVAL);
    assert_int_equal(ar_staff_add(f->w, "root", "short", AR_ROLE_LEGAL, "tooshort", NULL, &err), AR_EINVAL);
    assert_int_equal(wf_fingerprint(f), before);
    assert_int_equal(ar_staff_add(f->w, "root", "pat", AR_ROLE_LEGAL, "correct horse battery", NULL, &err), AR_OK);
    assert_int_equal(ar_staff_check_password(f->w, "pat", "correct horse battery", &role, &err), AR_OK);
    assert_int_equal(role, AR_ROLE_LEGAL);
    assert_int_equal(ar_staff_check_password(f->w, "pat", "wrong horse battery!", &role, &err), AR_EDENIED);
    assert_int_equal(ar_staff_check_password(f->w, "nobody", "correct horse battery", &role, &err), AR_EDENIED);
    assert_int_equal(ar_staff_check_password(f->w, "mo", "no password set here", &role, &err), AR_EDENIED);
    /* the password itself is never stored */
    assert_int_equal(wf_count(f, "SELECT count(*) FROM staff WHERE password_hash LIKE '$argon2id$%'"), 1);
    wf_free(f);
}

static void test_staff_first_member_must_be_admin(void **state)
{
    ar_ctx *ctx;
    ar_error err;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/ar-wf1-XXXXXX");
    assert_non_null(mkdtemp(dir));
    assert_int_equal(ar_ctx_new(NULL, &ctx, &err), AR_OK);
    assert_int_equal(ar_workflow_init(ctx, dir, NULL, &err), AR_OK);
    assert_int_equal(ar_workflow_init(ctx, dir, NULL, &err), AR_ECONFLICT); /* never over a store */
    ar_workflow_opts o = {.dir = dir};
    ar_workflow *w = NULL;
    assert_int_equal(ar_workflow_open(ctx, &o, &w, &err), AR_OK);
    assert_int_equal(ar_staff_add(w, NULL, "mo", AR_ROLE_MODERATOR, NULL, NULL, &err), AR_EDENIED);
    assert_int_equal(ar_staff_add(w, NULL, "root", AR_ROLE_ADMIN, NULL, NULL, &err), AR_OK);
    assert_int_equal(ar_staff_add(w, NULL, "mo", AR_ROLE_MODERATOR, NULL, NULL, &err), AR_EINVAL);
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_verdict_opens_cases_and_makes_automated_decisions(void **state)
{
    wf *f = wf_new();
    ar_engine *e = NULL;
    ar_check_scratch *s = NULL;
    ar_error err;
    int64_t cid = 0, did = 0;
    ar_item_ref item = {.platform_id = "post-1"};
    ar_verdict v = check(f, &e, &s, "click here to claim free money");
    assert_int_equal(ar_workflow_record_verdict(f->w, &item, e, &v, &cid, &did, &err), AR_OK);
    assert_true(cid > 0);
    assert_int_equal(did, 0); /* spam is a review standard: a case, no decision */
    assert_int_equal(ar_workflow_visibility(f->w, "post-1", "US"), AR_VISIBLE);

    item.platform_id = "post-2";
    v = check(f, &e, &s, "kill all of them");
    assert_int_equal(ar_workflow_record_verdict(f->w, &item, e, &v, &cid, &did, &err), AR_OK);
    assert_int_equal(cid, 0);
    assert_true(did > 0); /* incitement is `remove`: an automated decision */
    assert_int_equal(ar_workflow_visibility(f->w, "post-2", "US"), AR_REMOVED);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM decisions WHERE automated_detection = 1"
                                 " AND automated_decision = 1 AND source = 'automated'"),
                     1);
    item.platform_id = "post-3";
    v = check(f, &e, &s, "a quiet day");
    assert_int_equal(ar_workflow_record_verdict(f->w, &item, e, &v, &cid, &did, &err), AR_OK);
    assert_int_equal(cid + did, 0);
    ar_check_scratch_free(s);
    ar_engine_release(e);
    wf_assert_audit_intact(f);
    wf_free(f);
}

static int64_t flag_case(wf *f, const char *item_id)
{
    ar_engine *e = NULL;
    ar_check_scratch *s = NULL;
    ar_error err;
    int64_t cid = 0, did = 0;
    ar_item_ref item = {.platform_id = item_id, .url = "https://example.social/p/1"};
    ar_verdict v = check(f, &e, &s, "free money here");
    assert_int_equal(ar_workflow_record_verdict(f->w, &item, e, &v, &cid, &did, &err), AR_OK);
    ar_check_scratch_free(s);
    ar_engine_release(e);
    return cid;
}

static void test_case_moderator_decides_and_visibility_follows(void **state)
{
    wf *f = wf_new();
    ar_error err;
    int64_t cid = flag_case(f, "post-7"), did = 0;
    assert_int_equal(ar_case_assign(f->w, "aud", cid, "mo", &err), AR_EDENIED);
    assert_int_equal(ar_case_assign(f->w, "mo", cid, "root", &err), AR_EDENIED);
    assert_int_equal(ar_case_assign(f->w, "mo", cid, "mo", &err), AR_OK);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM cases WHERE state = 'in_review'"), 1);
    ar_case_decision d = {.action = "remove", .statement = "Scam: promises free money."};
    assert_int_equal(ar_case_decide(f->w, "mo", cid, &d, &did, &err), AR_OK);
    assert_int_equal(ar_workflow_visibility(f->w, "post-7", "DE"), AR_REMOVED);
    assert_int_equal(ar_case_decide(f->w, "mo", cid, &d, &did, &err), AR_ECONFLICT);
    char *json = NULL;
    assert_int_equal(ar_item_decisions_json(f->w, "post-7", &json, &err), AR_OK);
    assert_non_null(strstr(json, "Scam: promises free money."));
    assert_non_null(strstr(json, "\"ground\": \"spam\""));
    free(json);
    wf_free(f);
}

static void test_case_country_restriction_needs_legal_basis(void **state)
{
    wf *f = wf_new();
    ar_error err;
    int64_t cid = flag_case(f, "post-8"), did = 0;
    int64_t before = wf_fingerprint(f);
    ar_case_decision d = {.action = "restrict", .countries = "PK"};
    assert_int_equal(ar_case_decide(f->w, "mo", cid, &d, &did, &err), AR_EDENIED);
    assert_int_equal(ar_case_decide(f->w, "lee", cid, &d, &did, &err), AR_EDENIED);
    d.legal_basis = "PECA 2016 s.37";
    d.countries = "Pakistan";
    assert_int_equal(ar_case_decide(f->w, "lee", cid, &d, &did, &err), AR_EINVAL);
    ar_case_decision wide = {.action = "remove", .countries = "PK"};
    assert_int_equal(ar_case_decide(f->w, "mo", cid, &wide, &did, &err), AR_EINVAL);
    assert_int_equal(wf_fingerprint(f), before);
    d.countries = "pk, in";
    assert_int_equal(ar_case_decide(f->w, "lee", cid, &d, &did, &err), AR_OK);
    assert_int_equal(ar_workflow_visibility(f->w, "post-8", "PK"), AR_RESTRICTED);
    assert_int_equal(ar_workflow_visibility(f->w, "post-8", "IN"), AR_RESTRICTED);
    assert_int_equal(ar_workflow_visibility(f->w, "post-8", "BD"), AR_VISIBLE);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM decisions WHERE scope = 'IN,PK'"), 1);
    wf_free(f);
}

static void test_notice_needs_its_elements(void **state)
{
    wf *f = wf_new();
    ar_error err;
    int64_t cid = 0;
    ar_notice_in n = {.item = {.platform_id = "post-20"},
                      .notifier_kind = "trusted_flagger",
                      .category = "incitement",
                      .explanation = "Calls for violence against a group.",
                      .location = "https://example.social/p/20",
                      .good_faith = false};
    int64_t before = wf_fingerprint(f);
    assert_int_equal(ar_notice_add(f->w, &n, &cid, &err), AR_EINVAL);
    n.good_faith = true;
    n.notifier_kind = "anonymous_mob";
    assert_int_equal(ar_notice_add(f->w, &n, &cid, &err), AR_EINVAL);
    n.notifier_kind = "trusted_flagger";
    n.explanation = "";
    assert_int_equal(ar_notice_add(f->w, &n, &cid, &err), AR_EINVAL);
    assert_int_equal(wf_fingerprint(f), before);
    n.explanation = "Calls for violence against a group.";
    assert_int_equal(ar_notice_add(f->w, &n, &cid, &err), AR_OK);
    assert_int_equal(wf_count(f, "SELECT priority FROM cases WHERE kind = 'notice'"), 1);
    ar_case_decision d = {.action = "remove", .standard = "incitement"};
    int64_t did = 0;
    assert_int_equal(ar_case_decide(f->w, "mia", cid, &d, &did, &err), AR_OK);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM decisions WHERE source = 'notice'"), 1);
    wf_free(f);
}

static void test_appeal_is_decided_by_someone_else(void **state)
{
    wf *f = wf_new();
    ar_error err;
    int64_t cid = flag_case(f, "post-30"), did = 0, appeal = 0, reversal = 0;
    ar_case_decision d = {.action = "remove", .statement = "Scam."};
    assert_int_equal(ar_case_decide(f->w, "mo", cid, &d, &did, &err), AR_OK);
    assert_int_equal(ar_appeal_add(f->w, did, "stranger", "not spam", &appeal, &err), AR_EINVAL);
    assert_int_equal(ar_appeal_add(f->w, did, "affected_user", "", &appeal, &err), AR_EINVAL);
    assert_int_equal(ar_appeal_add(f->w, 999, "affected_user", "x", &appeal, &err), AR_ENOTFOUND);
    assert_int_equal(ar_appeal_add(f->w, did, "affected_user", "It was a joke between friends.", &appeal, &err), AR_OK);
    assert_int_equal(ar_appeal_add(f->w, did, "affected_user", "again", &appeal, &err), AR_ECONFLICT);
    int64_t before = wf_fingerprint(f);
    assert_int_equal(ar_appeal_decide(f->w, "mo", appeal, "reversed", "ok", &reversal, &err), AR_EDENIED);
    assert_non_null(strstr(err.message, "other than the original decider"));
    assert_int_equal(ar_appeal_decide(f->w, "mia", appeal, "maybe", "ok", &reversal, &err), AR_EINVAL);
    assert_int_equal(ar_appeal_decide(f->w, "mia", appeal, "reversed", "", &reversal, &err), AR_EINVAL);
    assert_int_equal(ar_case_decide(f->w, "mia", appeal, &d, NULL, &err), AR_EINVAL);
    assert_int_equal(wf_fingerprint(f), before);
    assert_int_equal(ar_appeal_decide(f->w, "mia", appeal, "reversed", "On review, a joke; restored.", &reversal, &err), AR_OK);
    assert_true(reversal > 0);
    assert_int_equal(ar_workflow_visibility(f->w, "post-30", "US"), AR_VISIBLE);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM decisions WHERE supersedes IS NOT NULL"
                                 " AND source = 'appeal' AND action = 'none'"),
                     1);
    /* the superseded decision cannot be appealed again; the new one can */
    assert_int_equal(ar_appeal_add(f->w, did, "affected_user", "x", &appeal, &err), AR_ECONFLICT);
    ar_workflow_close(f->w);
    wf_open(f);
    assert_int_equal(ar_workflow_visibility(f->w, "post-30", "US"), AR_VISIBLE);
    wf_assert_audit_intact(f);
    wf_free(f);
}

static void test_appeal_against_legal_order_goes_to_legal(void **state)
{
    wf *f = wf_new();
    ar_error err;
    int64_t rid = wf_add_request(f, AR_TEST_DATA_DIR "/request_pk.json"), did = 0, appeal = 0;
    ar_item_outcome o = {.item = "post-123", .outcome = "restrict"};
    assert_int_equal(ar_request_decide(f->w, "lee", rid, &o, &did, &err), AR_OK);
    assert_int_equal(ar_appeal_add(f->w, did, "affected_user", "This is lawful journalism.", &appeal, &err), AR_OK);
    assert_int_equal(ar_appeal_decide(f->w, "mo", appeal, "reversed", "x", NULL, &err), AR_EDENIED);
    assert_int_equal(ar_appeal_decide(f->w, "lee", appeal, "reversed", "x", NULL, &err), AR_EDENIED);
    assert_int_equal(ar_appeal_decide(f->w, "lin", appeal, "upheld", "The order is lawful and specific.", NULL, &err), AR_OK);
    assert_int_equal(ar_workflow_visibility(f->w, "post-123", "PK"), AR_RESTRICTED);
    wf_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_staff_roles_and_passwords),
        cmocka_unit_test(test_staff_first_member_must_be_admin),
        cmocka_unit_test(test_verdict_opens_cases_and_makes_automated_decisions),
        cmocka_unit_test(test_case_moderator_decides_and_visibility_follows),
        cmocka_unit_test(test_case_country_restriction_needs_legal_basis),
        cmocka_unit_test(test_notice_needs_its_elements),
        cmocka_unit_test(test_appeal_is_decided_by_someone_else),
        cmocka_unit_test(test_appeal_against_legal_order_goes_to_legal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
