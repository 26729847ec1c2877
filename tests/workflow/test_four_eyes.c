/* tests/workflow/test_four_eyes.c - a second legal reviewer for the request
 * kinds the policy names: a proposal changes nothing until a different
 * reviewer signs it off; the proposer can neither sign off nor reject; a
 * rejection makes the item undecided again; the kinds are kept in the store
 * and audited when they change. */
#include "workflow_test.h"

#define REQ AR_TEST_DATA_DIR "/request_pk.json"

static ar_status decide(wf *f, const char *as, int64_t id, const char *item, const char *outcome,
                        int64_t *did, ar_error *err)
{
    ar_item_outcome o = {.item = item, .outcome = outcome,
                         .statement = outcome && !strcmp(outcome, "restrict") ? "Unlawful in PK."
                                                                              : NULL};
    return ar_request_decide(f->w, as, id, &o, did, err);
}

static void set_kinds(wf *f, unsigned kinds)
{
    ar_error err;
    assert_int_equal(ar_workflow_set_four_eyes(f->w, "system:test", kinds, &err), AR_OK);
}

static void test_four_eyes_proposal_takes_effect_only_when_another_reviewer_signs_off(void **state)
{
    wf *f = wf_new();
    ar_error err;
    set_kinds(f, AR_POLICY_KIND_CONTENT_RESTRICTION);
    int64_t id = wf_add_request(f, REQ), did = -1;
    assert_int_equal(decide(f, "lee", id, "post-123", "restrict", &did, &err), AR_OK);
    assert_int_equal(did, 0); /* only proposed */
    assert_int_equal(ar_workflow_visibility(f->w, "post-123", "PK"), AR_VISIBLE);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM decisions"), 0);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM user_notices"), 0);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM legal_request_items WHERE outcome IS NOT NULL"), 0);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM legal_requests WHERE status = 'in_legal_review'"), 1);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM audit_events WHERE action = 'request.propose_item'"), 1);

    /* the proposer cannot sign off, a moderator cannot, nothing changes */
    int64_t before = wf_fingerprint(f);
    assert_int_equal(ar_request_sign_off(f->w, "lee", id, "post-123", &did, &err), AR_EDENIED);
    assert_non_null(strstr(err.message, "second, different legal reviewer"));
    assert_int_equal(ar_request_sign_off(f->w, "mo", id, "post-123", &did, &err), AR_EDENIED);
    assert_int_equal(ar_request_sign_off(f->w, "lin", id, "post-124", &did, &err), AR_ENOTFOUND);
    /* nor can anyone decide the item again while the proposal waits */
    assert_int_equal(decide(f, "lin", id, "post-123", "decline", &did, &err), AR_EINVAL);
    assert_int_equal(decide(f, "lin", id, "post-123", "restrict", &did, &err), AR_ECONFLICT);
    assert_int_equal(wf_fingerprint(f), before);

    /* a second legal reviewer signs it off: it takes effect, in PK only */
    if (ar_request_sign_off(f->w, "lin", id, "post-123", &did, &err) != AR_OK)
        fail_msg("sign-off: %s (%s)", err.message, err.field);
    assert_true(did > 0);
    assert_int_equal(ar_workflow_visibility(f->w, "post-123", "PK"), AR_RESTRICTED);
    assert_int_equal(ar_workflow_visibility(f->w, "post-123", "IN"), AR_VISIBLE);
    /* the decision is the proposer's; the sign-off is on the record */
    assert_int_equal(wf_count(f, "SELECT count(*) FROM decisions d JOIN staff s ON s.id ="
                                 " d.decided_by WHERE s.login = 'lee' AND d.scope = 'PK'"
                                 " AND d.statement = 'Unlawful in PK.'"),
                     1);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM user_notices"), 1);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM legal_item_proposals p JOIN staff s ON"
                                 " s.id = p.reviewed_by WHERE s.login = 'lin'"
                                 " AND p.state = 'signed_off'"),
                     1);
    assert_int_equal(ar_request_sign_off(f->w, "lin", id, "post-123", &did, &err), AR_ENOTFOUND);
    char *json = NULL;
    assert_int_equal(ar_request_show_json(f->w, id, &json, &err), AR_OK);
    assert_non_null(strstr(json, "\"signed_off_by\": \"lin\""));
    assert_non_null(strstr(json, "\"four_eyes\": true"));
    free(json);
    /* an appeal goes to neither the proposer nor the reviewer who signed off */
    int64_t appeal = 0, rd = 0;
    assert_int_equal(ar_appeal_add(f->w, did, "affected_user", "it is lawful here", &appeal, &err),
                     AR_OK);
    assert_int_equal(ar_appeal_decide(f->w, "lee", appeal, "reversed", "x", &rd, &err), AR_EDENIED);
    assert_int_equal(ar_appeal_decide(f->w, "lin", appeal, "reversed", "x", &rd, &err), AR_EDENIED);
    assert_non_null(strstr(err.message, "signed off"));
    wf_assert_audit_intact(f);
    wf_free(f);
}

static void test_four_eyes_rejection_makes_the_item_undecided_again(void **state)
{
    wf *f = wf_new();
    ar_error err;
    set_kinds(f, AR_POLICY_KIND_CONTENT_RESTRICTION | AR_POLICY_KIND_EMERGENCY);
    int64_t id = wf_add_request(f, REQ), did = 0;
    assert_int_equal(decide(f, "lee", id, "post-124", "restrict", &did, &err), AR_OK);
    assert_int_equal(ar_request_reject_proposal(f->w, "lee", id, "post-124", "changed my mind",
                                                &err),
                     AR_EDENIED);
    assert_int_equal(ar_request_reject_proposal(f->w, "lin", id, "post-124", "", &err), AR_EINVAL);
    assert_int_equal(ar_request_reject_proposal(f->w, "lin", id, "post-124",
                                                "overbroad: the order names no provision", &err),
                     AR_OK);
    assert_int_equal(ar_workflow_visibility(f->w, "post-124", "PK"), AR_VISIBLE);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM decisions"), 0);
    char *json = NULL;
    assert_int_equal(ar_request_show_json(f->w, id, &json, &err), AR_OK);
    assert_non_null(strstr(json, "overbroad: the order names no provision"));
    free(json);
    /* undecided again: the other reviewer proposes anew, the first signs off */
    assert_int_equal(decide(f, "lin", id, "post-124", "restrict", &did, &err), AR_OK);
    assert_int_equal(ar_request_sign_off(f->w, "lee", id, "post-124", &did, &err), AR_OK);
    assert_int_equal(ar_workflow_visibility(f->w, "post-124", "PK"), AR_RESTRICTED);
    /* need_info decides nothing and is never proposed */
    assert_int_equal(decide(f, "lee", id, "post-125", "need_info", &did, &err), AR_OK);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM legal_item_proposals"), 2);
    wf_assert_audit_intact(f);
    wf_free(f);
}

static void test_four_eyes_applies_only_to_the_kinds_named_and_is_kept(void **state)
{
    wf *f = wf_new();
    ar_error err;
    unsigned kinds = 99;
    assert_int_equal(ar_workflow_four_eyes(f->w, &kinds, &err), AR_OK);
    assert_int_equal(kinds, 0);
    set_kinds(f, AR_POLICY_KIND_USER_DATA);
    int64_t events = wf_count(f, "SELECT count(*) FROM audit_events");
    set_kinds(f, AR_POLICY_KIND_USER_DATA); /* unchanged: nothing recorded */
    assert_int_equal(wf_count(f, "SELECT count(*) FROM audit_events"), events);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM audit_events WHERE action ="
                                 " 'policy.four_eyes'"),
                     1);
    assert_int_equal(ar_workflow_set_four_eyes(f->w, NULL, 0x100, &err), AR_EINVAL);
    /* a content restriction request is not named: decided at once */
    int64_t id = wf_add_request(f, REQ), did = 0;
    assert_int_equal(decide(f, "lee", id, "post-123", "restrict", &did, &err), AR_OK);
    assert_true(did > 0);
    assert_int_equal(ar_workflow_visibility(f->w, "post-123", "PK"), AR_RESTRICTED);
    /* kept across a reopen */
    ar_workflow_close(f->w);
    wf_open(f);
    assert_int_equal(ar_workflow_four_eyes(f->w, &kinds, &err), AR_OK);
    assert_int_equal(kinds, AR_POLICY_KIND_USER_DATA);
    wf_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_eyes_proposal_takes_effect_only_when_another_reviewer_signs_off),
        cmocka_unit_test(test_four_eyes_rejection_makes_the_item_undecided_again),
        cmocka_unit_test(test_four_eyes_applies_only_to_the_kinds_named_and_is_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
