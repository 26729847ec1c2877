/* tests/workflow/test_requests.c - legal requests: intake, per-item
 * outcomes, the legal-reviewer rule, country-only restriction, status
 * transitions, notices, and every refusal leaving the store untouched. */
#include "workflow_test.h"

#define REQ AR_TEST_DATA_DIR "/request_pk.json"

static ar_status decide(wf *f, const char *as, int64_t id, const char *item, const char *outcome,
                        const char *reason, const char *standard, ar_error *err)
{
    ar_item_outcome o = {.item = item, .outcome = outcome, .reason = reason, .standard = standard};
    return ar_request_decide(f->w, as, id, &o, NULL, err);
}

static void test_request_restrict_applies_in_that_country_only(void **state)
{
    wf *f = wf_new();
    ar_error err;
    int64_t id = wf_add_request(f, REQ);
    assert_int_equal(decide(f, "lee", id, "post-123", "restrict", NULL, NULL, &err), AR_OK);
    assert_int_equal(ar_workflow_visibility(f->w, "post-123", "PK"), AR_RESTRICTED);
    assert_int_equal(ar_workflow_visibility(f->w, "post-123", "IN"), AR_VISIBLE);
    assert_int_equal(ar_workflow_visibility(f->w, "post-123", "pk"), AR_RESTRICTED);
    assert_int_equal(ar_workflow_visibility(f->w, "post-124", "PK"), AR_VISIBLE);
    /* the decision records scope, legal ground and source */
    assert_int_equal(wf_count(f, "SELECT count(*) FROM decisions WHERE scope = 'PK' AND"
                                 " ground_kind = 'legal' AND ground = 'PECA 2016 s.37' AND"
                                 " source = 'legal_order' AND action = 'restrict'"),
                     1);
    /* and survives a restart: the index is rebuilt from the store */
    ar_workflow_close(f->w);
    wf_open(f);
    assert_int_equal(ar_workflow_visibility(f->w, "post-123", "PK"), AR_RESTRICTED);
    assert_int_equal(ar_workflow_visibility(f->w, "post-123", "US"), AR_VISIBLE);
    wf_assert_audit_intact(f);
    wf_free(f);
}

static void test_request_status_moves_through_review_to_closed(void **state)
{
    wf *f = wf_new();
    ar_error err;
    char *json = NULL;
    int64_t id = wf_add_request(f, REQ);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM legal_requests WHERE status = 'received'"), 1);
    assert_int_equal(decide(f, "lee", id, "post-123", "restrict", NULL, NULL, &err), AR_OK);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM legal_requests WHERE status = 'in_legal_review'"), 1);
    assert_int_equal(decide(f, "lee", id, "post-124", "need_info", "which post?", NULL, &err), AR_OK);
    assert_int_equal(decide(f, "lee", id, "post-125", "decline", "overbroad", NULL, &err), AR_OK);
    /* need_info keeps it in review; a later outcome settles the item */
    assert_int_equal(wf_count(f, "SELECT count(*) FROM legal_requests WHERE status = 'in_legal_review'"), 1);
    assert_int_equal(ar_request_mark_notified(f->w, "lee", id, &err), AR_ECONFLICT);
    assert_int_equal(decide(f, "lee", id, "post-124", "remove", NULL, "incitement", &err), AR_OK);
    assert_int_equal(ar_workflow_visibility(f->w, "post-124", "US"), AR_REMOVED);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM legal_requests WHERE status = 'decided'"
                                 " AND decided_at IS NOT NULL"),
                     1);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM user_notices WHERE state = 'pending'"), 2);
    assert_int_equal(ar_request_mark_notified(f->w, "lee", id, &err), AR_OK);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM user_notices WHERE state = 'sent'"), 2);
    assert_int_equal(ar_request_close(f->w, "lee", id, &err), AR_OK);
    assert_int_equal(ar_request_show_json(f->w, id, &json, &err), AR_OK);
    assert_non_null(strstr(json, "\"status\": \"closed\""));
    assert_non_null(strstr(json, "\"decline_reason\": \"overbroad\""));
    free(json);
    wf_assert_audit_intact(f);
    wf_free(f);
}

static void test_request_only_legal_reviewers_decide(void **state)
{
    wf *f = wf_new();
    ar_error err;
    int64_t id = wf_add_request(f, REQ);
    int64_t before = wf_fingerprint(f);
    assert_int_equal(decide(f, "mo", id, "post-123", "restrict", NULL, NULL, &err), AR_EDENIED);
    assert_non_null(strstr(err.message, "legal reviewer"));
    assert_int_equal(decide(f, "root", id, "post-123", "restrict", NULL, NULL, &err), AR_EDENIED);
    assert_int_equal(decide(f, "nobody", id, "post-123", "restrict", NULL, NULL, &err), AR_ENOTFOUND);
    assert_int_equal(ar_request_mark_notified(f->w, "mo", id, &err), AR_EDENIED);
    assert_int_equal(wf_fingerprint(f), before);
    assert_int_equal(ar_workflow_visibility(f->w, "post-123", "PK"), AR_VISIBLE);
    wf_free(f);
}

static void test_request_refusals_leave_the_store_untouched(void **state)
{
    wf *f = wf_new();
    ar_error err;
    int64_t id = wf_add_request(f, REQ);
    int64_t before = wf_fingerprint(f);
    /* a global removal needs a community standard: local law alone restricts locally */
    assert_int_equal(decide(f, "lee", id, "post-123", "remove", NULL, NULL, &err), AR_EINVAL);
    assert_int_equal(decide(f, "lee", id, "post-123", "decline", NULL, NULL, &err), AR_EINVAL);
    assert_int_equal(decide(f, "lee", id, "post-123", "decline", "because", NULL, &err), AR_EINVAL);
    assert_int_equal(decide(f, "lee", id, "post-123", "disclose", NULL, NULL, &err), AR_EINVAL);
    assert_int_equal(decide(f, "lee", id, "post-123", "explode", NULL, NULL, &err), AR_EINVAL);
    assert_int_equal(decide(f, "lee", id, "post-999", "restrict", NULL, NULL, &err), AR_ENOTFOUND);
    assert_int_equal(decide(f, "lee", 999, "post-123", "restrict", NULL, NULL, &err), AR_ENOTFOUND);
    ar_item_outcome o = {.item = "post-123", .outcome = "restrict", .withhold_basis = "gag order"};
    assert_int_equal(ar_request_decide(f->w, "lee", id, &o, NULL, &err), AR_EINVAL);
    o.withhold_until = f->now - 10; /* an expiry in the past */
    assert_int_equal(ar_request_decide(f->w, "lee", id, &o, NULL, &err), AR_EINVAL);
    assert_int_equal(wf_fingerprint(f), before);
    /* deciding twice is refused too */
    assert_int_equal(decide(f, "lee", id, "post-123", "restrict", NULL, NULL, &err), AR_OK);
    before = wf_fingerprint(f);
    assert_int_equal(decide(f, "lin", id, "post-123", "restrict", NULL, NULL, &err), AR_ECONFLICT);
    assert_int_equal(wf_fingerprint(f), before);
    wf_free(f);
}

static void test_request_data_request_records_categories_never_data(void **state)
{
    wf *f = wf_new();
    ar_error err;
    const char *json = "{\"authority\":{\"name\":\"Court\",\"country\":\"IN\",\"branch\":\"court\"},"
                       "\"legal_basis\":{\"instrument\":\"IT Rules 2021\",\"provision\":\"r.3(1)(j)\"},"
                       "\"kind\":\"user_data\",\"received_at\":\"2026-11-20T10:00:00Z\","
                       "\"items\":[{\"id\":\"account-9\",\"kind\":\"account\"},{\"id\":\"account-10\"}]}";
    ar_legal_request *r = NULL;
    int64_t id = 0;
    assert_int_equal(ar_legal_request_parse(f->ctx, json, strlen(json), &r, &err), AR_OK);
    assert_int_equal(ar_request_add(f->w, "lee", r, &id, &err), AR_OK);
    ar_legal_request_free(r);
    /* the India deadline came from jurisdictions.yaml */
    assert_int_equal(wf_count(f, "SELECT count(*) FROM legal_requests WHERE deadline_at > received_at"), 1);
    assert_int_equal(decide(f, "lee", id, "account-9", "restrict", NULL, NULL, &err), AR_EINVAL);
    ar_item_outcome o = {.item = "account-9", .outcome = "disclose",
                         .data_categories = "basic_subscriber,phonebook", .accounts = 1};
    assert_int_equal(ar_request_decide(f->w, "lee", id, &o, NULL, &err), AR_EINVAL);
    o.data_categories = "basic_subscriber";
    assert_int_equal(ar_request_decide(f->w, "lee", id, &o, NULL, &err), AR_OK);
    assert_int_equal(decide(f, "lee", id, "account-10", "decline", "no_legal_basis", NULL, &err), AR_OK);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM legal_request_items WHERE outcome = 'disclose'"
                                 " AND data_categories = 'basic_subscriber' AND accounts_disclosed = 1"),
                     1);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM decisions"), 0); /* nothing to see changed */
    wf_free(f);
}

static void test_request_withheld_notice_is_released_at_expiry(void **state)
{
    wf *f = wf_new();
    ar_error err;
    int64_t id = wf_add_request(f, REQ);
    ar_item_outcome o = {.item = "post-123", .outcome = "restrict",
                         .withhold_basis = "court gag order 12/2026",
                         .withhold_until = f->now + 86400};
    assert_int_equal(ar_request_decide(f->w, "lee", id, &o, NULL, &err), AR_OK);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM user_notices WHERE state = 'withheld'"), 1);
    int64_t released = -1;
    assert_int_equal(ar_workflow_release_notices(f->w, &released, &err), AR_OK);
    assert_int_equal(released, 0);
    f->now += 86400;
    assert_int_equal(ar_workflow_release_notices(f->w, &released, &err), AR_OK);
    assert_int_equal(released, 1);
    assert_int_equal(wf_count(f, "SELECT count(*) FROM user_notices WHERE state = 'pending'"), 1);
    wf_assert_audit_intact(f);
    wf_free(f);
}

static void test_request_parser_names_the_bad_field(void **state)
{
    wf *f = wf_new();
    static const struct {
        const char *json, *field;
    } bad[] = {
        {"[]", ""},
        {"{\"authority\":1}", "authority"},
        {"{\"authority\":{\"name\":\"x\",\"country\":\"Pakistan\",\"branch\":\"court\"}}", "authority.country"},
        {"{\"authority\":{\"name\":\"x\",\"country\":\"pk\",\"branch\":\"court\"}}", "authority.country"},
        {"{\"authority\":{\"name\":\"x\",\"country\":\"PK\",\"branch\":\"king\"}}", "authority.branch"},
        {"{\"authority\":{\"name\":\"x\",\"country\":\"PK\",\"branch\":\"court\",\"phone\":\"1\"}}", "phone"},
        {"{\"authority\":{\"name\":\"x\",\"country\":\"PK\",\"branch\":\"court\"},"
         "\"legal_basis\":{\"instrument\":\"a\",\"provision\":\"b\"},\"kind\":\"spy\"}", "kind"},
        {"{\"authority\":{\"name\":\"x\",\"country\":\"PK\",\"branch\":\"court\"},"
         "\"legal_basis\":{\"instrument\":\"a\",\"provision\":\"b\"},\"kind\":\"user_data\","
         "\"received_at\":\"yesterday\"}", "received_at"},
        {"{\"authority\":{\"name\":\"x\",\"country\":\"PK\",\"branch\":\"court\"},"
         "\"legal_basis\":{\"instrument\":\"a\",\"provision\":\"b\"},\"kind\":\"user_data\","
         "\"received_at\":\"2026-02-30T00:00:00Z\"}", "received_at"},
        {"{\"authority\":{\"name\":\"x\",\"country\":\"PK\",\"branch\":\"court\"},"
         "\"legal_basis\":{\"instrument\":\"a\",\"provision\":\"b\"},\"kind\":\"user_data\","
         "\"received_at\":\"2026-01-01T00:00:00Z\",\"items\":[]}", "items"},
        {"{\"authority\":{\"name\":\"x\",\"country\":\"PK\",\"branch\":\"court\"},"
         "\"legal_basis\":{\"instrument\":\"a\",\"provision\":\"b\"},\"kind\":\"user_data\","
         "\"received_at\":\"2026-01-01T00:00:00Z\",\"items\":[{\"id\":\"a\"},{\"id\":\"a\"}]}", "items[1].id"},
        {"{\"authority\":{\"name\":\"x\",\"country\":\"PK\",\"branch\":\"court\"},"
         "\"legal_basis\":{\"instrument\":\"a\",\"provision\":\"b\"},\"kind\":\"user_data\","
         "\"received_at\":\"2026-01-01T00:00:00Z\",\"items\":[{\"id\":7}]}", "items[0].id"},
        {"{\"authority\":{\"name\":\"x\",\"country\":\"PK\",\"branch\":\"court\"},"
         "\"legal_basis\":{\"instrument\":\"a\",\"provision\":\"b\"},\"kind\":\"user_data\","
         "\"received_at\":\"2026-01-01T00:00:00Z\",\"items\":[{\"id\":\"a\"}],"
         "\"document_hash\":\"md5:abc\"}", "document_hash"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ar_legal_request *r = (ar_legal_request *)0x1;
        ar_error err = {0};
        ar_status st = ar_legal_request_parse(f->ctx, bad[i].json, strlen(bad[i].json), &r, &err);
        if (st == AR_OK)
            fail_msg("case %zu parsed", i);
        assert_null(r);
        if (strcmp(err.field, bad[i].field) != 0)
            fail_msg("case %zu: field '%s', want '%s' (%s)", i, err.field, bad[i].field, err.message);
    }
    ar_legal_request *r = NULL;
    ar_error err;
    assert_int_equal(ar_legal_request_parse(f->ctx, "{\"a\":1,\"a\":2}", 13, &r, &err), AR_EINVAL);
    wf_free(f);
}

static void test_request_intake_roles(void **state)
{
    wf *f = wf_new();
    size_t len;
    char *json = wf_read(REQ, &len);
    ar_legal_request *r = NULL;
    ar_error err;
    int64_t id = 0;
    assert_int_equal(ar_legal_request_parse(f->ctx, json, len, &r, &err), AR_OK);
    assert_int_equal(ar_request_add(f->w, "aud", r, &id, &err), AR_EDENIED);
    assert_int_equal(ar_request_add(f->w, NULL, r, &id, &err), AR_EINVAL);
    assert_int_equal(ar_request_add(f->w, "mo", r, &id, &err), AR_OK);
    ar_legal_request_free(r);
    wf_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_restrict_applies_in_that_country_only),
        cmocka_unit_test(test_request_status_moves_through_review_to_closed),
        cmocka_unit_test(test_request_only_legal_reviewers_decide),
        cmocka_unit_test(test_request_refusals_leave_the_store_untouched),
        cmocka_unit_test(test_request_data_request_records_categories_never_data),
        cmocka_unit_test(test_request_withheld_notice_is_released_at_expiry),
        cmocka_unit_test(test_request_parser_names_the_bad_field),
        cmocka_unit_test(test_request_intake_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
