/* tests/lists/test_lists.c - signal lists: hashes, the snapshot, the stored
 * lists (admin only, audited, all-or-nothing imports), policy rules that
 * name them, and checks that match links, URLs in text and image hashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arbiter/arbiter.h"

#define H0 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
/* H0 with 3 bits flipped in its last byte (0xef -> 0xe8) */
#define H3 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde8"
#define HF "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

typedef struct fx {
    ar_ctx *ctx;
    ar_workflow *w;
    char dir[64];
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    ar_error err;
    snprintf(f->dir, sizeof f->dir, "/tmp/ar-lists-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    assert_int_equal(ar_ctx_new(NULL, &f->ctx, &err), AR_OK);
    assert_int_equal(ar_workflow_init(f->ctx, f->dir, NULL, &err), AR_OK);
    ar_workflow_opts o = {.dir = f->dir};
    assert_int_equal(ar_workflow_open(f->ctx, &o, &f->w, &err), AR_OK);
    assert_int_equal(ar_staff_add(f->w, NULL, "ada", AR_ROLE_ADMIN, NULL, NULL, &err), AR_OK);
    assert_int_equal(ar_staff_add(f->w, "ada", "mo", AR_ROLE_MODERATOR, NULL, NULL, &err), AR_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    char cmd[128];
    ar_workflow_close(f->w);
    ar_ctx_free(f->ctx);
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static int64_t audit_count(fx *f, const char *action)
{
    ar_store_txn *t;
    int64_t n = -1;
    assert_int_equal(ar_store_read(ar_workflow_store(f->w), &t, NULL), AR_OK);
    assert_int_equal(ar_store_query_int(t, "SELECT count(*) FROM audit_events WHERE action = ?",
                                        (ar_value[]){AR_VTEXT(action)}, 1, &n, NULL),
                     AR_OK);
    ar_store_rollback(t);
    return n;
}

static size_t entries_of(fx *f, const char *name)
{
    ar_lists *l = NULL;
    assert_int_equal(ar_lists_load(f->w, &l, NULL), AR_OK);
    long i = ar_lists_find(l, name);
    size_t n = i < 0 ? 0 : ar_lists_entries(l, (uint32_t)i);
    ar_lists_release(l);
    return n;
}

static void test_bank_hashes_normalise_and_measure(void **state)
{
    (void)state;
    ar_pdq_hash a, b;
    ar_error err;
    assert_int_equal(ar_pdq_from_hex(H0, 64, &a, &err), AR_OK);
    assert_int_equal(ar_pdq_from_hex(H3, 64, &b, &err), AR_OK);
    assert_int_equal(ar_pdq_distance(&a, &b), 3);
    assert_int_equal(ar_pdq_distance(&a, &a), 0);
    char out[300];
    assert_int_equal(ar_list_value_normalize(AR_LIST_PDQ, "0123456789ABCDEF0123456789abcdef0123"
                                                          "456789abcdef0123456789abcdef",
                                             64, out, sizeof out, &err),
                     AR_OK);
    assert_string_equal(out, H0);
    assert_int_equal(ar_list_value_normalize(AR_LIST_PDQ, H0, 63, out, sizeof out, &err),
                     AR_EINVAL);
    assert_string_equal(err.field, "value");
    assert_int_equal(ar_list_value_normalize(AR_LIST_PDQ, "g123456789abcdef0123456789abcdef0123"
                                                          "456789abcdef0123456789abcdef",
                                             64, out, sizeof out, &err),
                     AR_EINVAL);
    assert_string_equal(err.field, "value");
    assert_string_equal(out, "");
}

static void test_lists_create_add_import_remove_are_audited(void **state)
{
    fx *f = *state;
    ar_error err;
    ar_list_report r;
    assert_int_equal(ar_list_create(f->w, "mo", AR_LIST_URL, "phish", NULL, &err), AR_EDENIED);
    assert_int_equal(ar_list_create(f->w, "ada", AR_LIST_URL, "Bad Name", NULL, &err), AR_EINVAL);
    assert_int_equal(ar_list_create(f->w, "ada", AR_LIST_URL, "phish", "links", &err), AR_OK);
    assert_int_equal(ar_list_create(f->w, "ada", AR_LIST_PDQ, "phish", NULL, &err), AR_ECONFLICT);
    ar_list_entry_in in[] = {{"Evil.Example", 12, "a note"}, {"http://x.test/a#b", 17, NULL}};
    assert_int_equal(ar_list_add(f->w, "ada", AR_LIST_URL, "phish", in, 2, &r, &err), AR_OK);
    assert_int_equal(r.added, 2);
    assert_int_equal(ar_list_add(f->w, "ada", AR_LIST_URL, "phish", in, 1, &r, &err), AR_OK);
    assert_int_equal(r.added + 10 * r.present, 10);
    /* one bad line refuses the whole file, naming each bad line */
    const char *bad = "# phishing\nnew.test/\n\nftp://no/\nok.test/  fine\nhttp://x:0/\n";
    assert_int_equal(ar_list_import(f->w, "ada", AR_LIST_URL, "phish", bad, strlen(bad), &r, &err),
                     AR_EINVAL);
    assert_int_equal(r.invalid, 2);
    assert_int_equal(r.errors[0].line, 4);
    assert_int_equal(r.errors[1].line, 6);
    assert_int_equal(r.added, 0);
    assert_int_equal(entries_of(f, "phish"), 2);
    const char *good = "# phishing\nnew.test/  from a report\nEVIL.example/\n";
    assert_int_equal(ar_list_import(f->w, "ada", AR_LIST_URL, "phish", good, strlen(good), &r,
                                    &err),
                     AR_OK);
    assert_int_equal(r.added, 1);
    assert_int_equal(r.present, 1);
    assert_int_equal(entries_of(f, "phish"), 3);
    /* the wrong kind does not reach the list */
    assert_int_equal(ar_list_add(f->w, "ada", AR_LIST_PDQ, "phish", in, 1, &r, &err),
                     AR_EINVAL); /* not a hash */
    assert_int_equal(ar_list_remove(f->w, "ada", AR_LIST_PDQ, "phish", H0, 64, &err),
                     AR_ENOTFOUND);
    assert_int_equal(ar_list_remove(f->w, "ada", AR_LIST_URL, "phish", "http://NEW.test", 15, &err),
                     AR_OK);
    assert_int_equal(ar_list_remove(f->w, "ada", AR_LIST_URL, "phish", "new.test/", 9, &err),
                     AR_ENOTFOUND);
    char *exp = NULL;
    size_t len = 0;
    assert_int_equal(ar_list_export(f->w, AR_LIST_URL, "phish", &exp, &len, &err), AR_OK);
    assert_string_equal(exp, "evil.example/ a note\nx.test/a\n");
    free(exp);
    assert_int_equal(audit_count(f, "list.create"), 1);
    assert_int_equal(audit_count(f, "list.add"), 1); /* the second add added nothing */
    assert_int_equal(audit_count(f, "list.import"), 1);
    assert_int_equal(audit_count(f, "list.remove"), 1);
    assert_int_equal(ar_list_delete(f->w, "mo", AR_LIST_URL, "phish", &err), AR_EDENIED);
    assert_int_equal(ar_list_delete(f->w, "ada", AR_LIST_URL, "phish", &err), AR_OK);
    assert_int_equal(audit_count(f, "list.delete"), 1);
    assert_int_equal(entries_of(f, "phish"), 0);
    ar_audit_report ar;
    assert_int_equal(ar_workflow_audit_verify(f->w, &ar, &err), AR_OK);
}

static const char policy[] = "version: 1\n"
                             "standards:\n"
                             "  - id: spam\n"
                             "    title: Spam\n"
                             "    action: review\n"
                             "    rules:\n"
                             "      - terms: [cheap pills]\n"
                             "      - url_list: phish\n"
                             "  - id: csam\n"
                             "    title: Known images\n"
                             "    action: remove\n"
                             "    rules:\n"
                             "      - bank: known\n"
                             "        distance: 5\n";

static ar_engine *compile(fx *f, const char *yaml)
{
    ar_policy *p = NULL;
    ar_engine *e = NULL;
    ar_error err;
    if (ar_policy_parse_buffer(f->ctx, yaml, strlen(yaml), "p.yaml", NULL, &p, NULL, &err) != AR_OK)
        fail_msg("policy: %s", err.message);
    assert_int_equal(ar_engine_compile(f->ctx, p, &e, &err), AR_OK);
    return e;
}

static void test_check_matches_links_text_urls_and_hashes(void **state)
{
    fx *f = *state;
    ar_error err;
    ar_engine *e = compile(f, policy);
    ar_lists *l = NULL;
    assert_int_equal(ar_lists_load(f->w, &l, &err), AR_OK);
    assert_int_equal(ar_engine_check_lists(e, l, &err), AR_EINVAL);
    assert_int_equal(err.line, 8);
    assert_non_null(strstr(err.message, "phish"));
    ar_lists_release(l);
    assert_int_equal(ar_list_create(f->w, "ada", AR_LIST_URL, "phish", NULL, &err), AR_OK);
    assert_int_equal(ar_list_create(f->w, "ada", AR_LIST_URL, "known", NULL, &err), AR_OK);
    assert_int_equal(ar_lists_load(f->w, &l, &err), AR_OK);
    assert_int_equal(ar_engine_check_lists(e, l, &err), AR_EINVAL); /* known is no bank */
    assert_int_equal(err.line, 13);
    ar_lists_release(l);
    assert_int_equal(ar_list_delete(f->w, "ada", AR_LIST_URL, "known", &err), AR_OK);
    assert_int_equal(ar_list_create(f->w, "ada", AR_LIST_PDQ, "known", NULL, &err), AR_OK);
    ar_list_entry_in u[] = {{"evil.example/", 13, NULL}, {"ok.test/bad/", 12, NULL}};
    ar_list_entry_in h[] = {{H0, 64, NULL}};
    assert_int_equal(ar_list_add(f->w, "ada", AR_LIST_URL, "phish", u, 2, NULL, &err), AR_OK);
    assert_int_equal(ar_list_add(f->w, "ada", AR_LIST_PDQ, "known", h, 1, NULL, &err), AR_OK);
    assert_int_equal(ar_lists_load(f->w, &l, &err), AR_OK);
    assert_int_equal(ar_engine_check_lists(e, l, &err), AR_OK);
    assert_true(ar_engine_uses_list(e, "known"));
    assert_false(ar_engine_uses_list(e, "other"));

    ar_check_scratch *s;
    assert_int_equal(ar_check_scratch_new(f->ctx, &s, &err), AR_OK);
    const char *text = "go to wWw.Sub.EVIL.example/%7Ex now";
    const char *links[] = {"https://ok.test/good", "HTTP://OK.test/bad/y.html"};
    ar_pdq_hash hashes[2];
    assert_int_equal(ar_pdq_from_hex(HF, 64, &hashes[0], &err), AR_OK);
    assert_int_equal(ar_pdq_from_hex(H3, 64, &hashes[1], &err), AR_OK);
    ar_check_input in = {.text = text, .len = strlen(text), .links = links, .nlinks = 2,
                         .hashes = hashes, .nhashes = 2};
    ar_verdict v;
    assert_int_equal(ar_check_item(e, l, s, &in, &v, &err), AR_OK);
    assert_true(v.flagged);
    assert_int_equal(v.action, AR_ACTION_REMOVE);
    assert_int_equal(v.nmatches, 3);
    assert_int_equal(v.matches[0].source, AR_VERDICT_TEXT_URL);
    assert_int_equal(v.matches[0].start, 6);
    assert_int_equal(v.matches[0].end, 31);
    assert_string_equal(v.matches[0].entry, "evil.example/");
    assert_string_equal(v.matches[0].list, "phish");
    assert_int_equal(v.matches[1].source, AR_VERDICT_LINK);
    assert_int_equal(v.matches[1].index, 1);
    assert_string_equal(v.matches[1].entry, "ok.test/bad/");
    assert_int_equal(v.matches[2].source, AR_VERDICT_IMAGE_HASH);
    assert_int_equal(v.matches[2].index, 1);
    assert_int_equal(v.matches[2].distance, 3);
    assert_string_equal(v.matches[2].entry, H0);
    assert_string_equal(v.matches[2].rule, "csam.1");

    /* beyond the distance, and an unlisted link: nothing */
    in = (ar_check_input){.text = "http://notevil.example/", .len = 23, .links = links,
                          .nlinks = 1, .hashes = hashes,
                          .nhashes = 1};
    assert_int_equal(ar_check_item(e, l, s, &in, &v, &err), AR_OK);
    assert_false(v.flagged);
    /* a link that is no URL is refused by name */
    const char *bad[] = {"https://ok.test/", "javascript:alert(1)"};
    in = (ar_check_input){.links = bad, .nlinks = 2};
    assert_int_equal(ar_check_item(e, l, s, &in, &v, &err), AR_EINVAL);
    assert_string_equal(err.field, "links[1]");
    /* no lists: the rules match nothing, the text rules still do */
    in = (ar_check_input){.text = "cheap pills at evil.example", .len = 27};
    assert_int_equal(ar_check_item(e, NULL, s, &in, &v, &err), AR_OK);
    assert_int_equal(v.nmatches, 1);
    ar_check_scratch_free(s);
    ar_lists_release(l);
    ar_engine_release(e);
}

static void test_policy_list_rules_are_checked(void **state)
{
    fx *f = *state;
    static const struct {
        const char *rule;
        const char *needle;
    } bad[] = {
        {"      - url_list: phish\n        terms: [x]\n", "goes alone"},
        {"      - bank: known\n        distance: 65\n", "'distance' must be"},
        {"      - bank: known\n        distance: -1\n", "'distance' must be"},
        {"      - url_list: phish\n        distance: 3\n", "belongs to a 'bank' rule"},
        {"      - url_list: Phish!\n", "list name"},
        {"      - url_list: a\n        bank: b\n", "not both"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "version: 1\nstandards:\n  - id: s\n    action: review\n    rules:\n%s",
                 bad[i].rule);
        ar_policy *p = NULL;
        ar_error err = {0};
        assert_int_equal(ar_policy_parse_buffer(f->ctx, yaml, strlen(yaml), "p.yaml", NULL, &p,
                                                NULL, &err),
                         AR_EINVAL);
        if (!strstr(err.message, bad[i].needle))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.message, bad[i].needle);
        assert_true(err.line >= 6);
    }
    ar_engine *e = compile(f, "version: 1\nstandards:\n  - id: s\n    action: review\n    rules:\n"
                              "      - bank: known\n");
    const ar_policy_rule *r = &ar_engine_policy(e)->standards[0].rules[0];
    assert_int_equal(r->kind, AR_RULE_BANK);
    assert_int_equal(r->distance, AR_POLICY_DEFAULT_DISTANCE);
    assert_string_equal(r->list, "known");
    ar_engine_release(e);
}

static void test_snapshot_slot_keeps_old_snapshot_for_readers(void **state)
{
    fx *f = *state;
    ar_lists *a, *b;
    ar_lists_slot *slot;
    uint32_t idx;
    assert_int_equal(ar_lists_new(f->ctx, &a, NULL), AR_OK);
    assert_int_equal(ar_lists_add(a, "x", AR_LIST_PDQ, &idx, NULL), AR_OK);
    assert_int_equal(ar_lists_add(a, "x", AR_LIST_URL, &idx, NULL), AR_ECONFLICT);
    assert_int_equal(ar_lists_add_entry(a, idx, H0, NULL), AR_OK);
    ar_lists_freeze(a);
    assert_int_equal(ar_lists_slot_new(f->ctx, a, &slot, NULL), AR_OK);
    ar_lists *held = ar_lists_slot_acquire(slot);
    assert_int_equal(ar_lists_new(f->ctx, &b, NULL), AR_OK);
    ar_lists_freeze(b);
    ar_lists_slot_swap(slot, b);
    ar_pdq_hash h;
    ar_hash_hit hit;
    assert_int_equal(ar_pdq_from_hex(H3, 64, &h, NULL), AR_OK);
    assert_true(ar_lists_hash_nearest(held, 0, &h, 31, &hit)); /* still readable */
    assert_int_equal(hit.distance, 3);
    assert_false(ar_lists_hash_nearest(held, 0, &h, 2, &hit));
    ar_lists_release(held);
    ar_lists *now = ar_lists_slot_acquire(slot);
    assert_int_equal(ar_lists_count(now), 0);
    ar_lists_release(now);
    ar_lists_slot_free(slot);
}

/* Entries by row id (HMA's bank content ids): add one and get its id, the
 * same id when it is already there, get and remove by id (audited, admin
 * only, only on its own list), and every hash within a distance with ids. */
static void test_entries_by_id_and_hashes_within_a_distance(void **state)
{
    fx *f = *state;
    ar_error err;
    int64_t a = 0, b = 0, c = 0, again = 0;
    bool added = false;
    char v[AR_URL_EXPR_MAX + 1];
    assert_int_equal(ar_list_create(f->w, "ada", AR_LIST_PDQ, "b1", NULL, &err), AR_OK);
    assert_int_equal(ar_list_create(f->w, "ada", AR_LIST_PDQ, "b2", NULL, &err), AR_OK);
    assert_int_equal(ar_list_add_one(f->w, "ada", AR_LIST_PDQ, "b1", H0, 64, "n", &a, &added, &err),
                     AR_OK);
    assert_true(added && a > 0);
    assert_int_equal(ar_list_add_one(f->w, "ada", AR_LIST_PDQ, "b1", H3, 64, NULL, &b, &added,
                                     &err),
                     AR_OK);
    assert_int_equal(ar_list_add_one(f->w, "ada", AR_LIST_PDQ, "b1", HF, 64, NULL, &c, &added,
                                     &err),
                     AR_OK);
    /* upper case is the same entry: its id, nothing added, no audit event */
    int64_t adds = audit_count(f, "list.add");
    assert_int_equal(ar_list_add_one(f->w, "ada", AR_LIST_PDQ, "b1",
                                     "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
                                     64, NULL, &again, &added, &err),
                     AR_OK);
    assert_int_equal(again, a);
    assert_false(added);
    assert_int_equal(audit_count(f, "list.add"), adds);
    assert_int_equal(ar_list_add_one(f->w, "mo", AR_LIST_PDQ, "b1", H0, 64, NULL, &again, &added,
                                     &err),
                     AR_EDENIED);
    assert_int_equal(again, 0);
    assert_int_equal(ar_list_add_one(f->w, "ada", AR_LIST_PDQ, "b1", "xyz", 3, NULL, &again,
                                     &added, &err),
                     AR_EINVAL);
    assert_int_equal(ar_list_entry_get(f->w, AR_LIST_PDQ, "b1", b, v, sizeof v, &err), AR_OK);
    assert_string_equal(v, H3);
    assert_int_equal(ar_list_entry_get(f->w, AR_LIST_PDQ, "b2", b, v, sizeof v, &err),
                     AR_ENOTFOUND);
    assert_string_equal(err.field, "id");
    assert_string_equal(v, "");
    /* the snapshot: every hash within 3 of H0, in the order added, with ids */
    ar_lists *l = NULL;
    assert_int_equal(ar_lists_load(f->w, &l, &err), AR_OK);
    assert_true(ar_lists_built_at(l) > 0);
    assert_int_equal(ar_lists_total(l, AR_LIST_PDQ), 3);
    ar_pdq_hash h;
    assert_int_equal(ar_pdq_from_hex(H0, 64, &h, &err), AR_OK);
    ar_hash_hit hits[4];
    uint32_t i1 = (uint32_t)ar_lists_find(l, "b1");
    assert_int_equal(ar_lists_hash_within(l, i1, &h, 3, hits, 4), 2);
    assert_int_equal(hits[0].id, a);
    assert_int_equal(hits[0].distance, 0);
    assert_int_equal(hits[1].id, b);
    assert_int_equal(hits[1].distance, 3);
    assert_int_equal(ar_lists_hash_within(l, i1, &h, 2, hits, 4), 1);
    assert_int_equal(ar_lists_hash_within(l, i1, &h, 3, hits, 1), 2); /* counted past max */
    assert_int_equal(ar_lists_hash_within(l, (uint32_t)ar_lists_find(l, "b2"), &h, 256, hits, 4),
                     0);
    ar_hash_hit near;
    assert_true(ar_lists_hash_nearest(l, i1, &h, 31, &near));
    assert_int_equal(near.id, a);
    ar_lists_release(l);
    /* remove by id: only from its own list, audited with the value */
    int64_t removes = audit_count(f, "list.remove");
    assert_int_equal(ar_list_remove_id(f->w, "ada", AR_LIST_PDQ, "b2", b, &err), AR_ENOTFOUND);
    assert_int_equal(ar_list_remove_id(f->w, "mo", AR_LIST_PDQ, "b1", b, &err), AR_EDENIED);
    assert_int_equal(ar_list_remove_id(f->w, "ada", AR_LIST_PDQ, "b1", b, &err), AR_OK);
    assert_int_equal(ar_list_remove_id(f->w, "ada", AR_LIST_PDQ, "b1", b, &err), AR_ENOTFOUND);
    assert_int_equal(audit_count(f, "list.remove"), removes + 1);
    assert_int_equal(entries_of(f, "b1"), 2);
    ar_audit_report ar;
    assert_int_equal(ar_workflow_audit_verify(f->w, &ar, &err), AR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bank_hashes_normalise_and_measure),
        cmocka_unit_test_setup_teardown(test_lists_create_add_import_remove_are_audited, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_check_matches_links_text_urls_and_hashes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_policy_list_rules_are_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_slot_keeps_old_snapshot_for_readers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_entries_by_id_and_hashes_within_a_distance, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
