/* tests/visibility/test_index.c - what the index answers: removed,
 * restricted in one or several countries, visible elsewhere; country codes
 * in either case; bad codes refused without a change; replacing a set;
 * removal and reinstatement; the counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "arbiter/visibility.h"

typedef struct fixture {
    ar_ctx *ctx;
    ar_visibility *v;
} fixture;

static int setup(void **state)
{
    static fixture f;
    ar_error err;
    assert_int_equal(ar_ctx_new(NULL, &f.ctx, &err), AR_OK);
    assert_int_equal(ar_visibility_new(f.ctx, 0, &f.v, &err), AR_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ar_visibility_free(f->v);
    ar_ctx_free(f->ctx);
    return 0;
}

static ar_visibility_state get(ar_visibility *v, const char *id, const char *cc)
{
    return ar_visibility_get(v, id, strlen(id), cc);
}

static void set_ok(ar_visibility *v, const char *id, bool removed, const char *ccs)
{
    ar_error err = {0};
    ar_status s =
        ar_visibility_set(v, id, strlen(id), removed, ccs, ccs ? strlen(ccs) / 2 : 0, &err);
    if (s != AR_OK)
        fail_msg("set %s: %s", id, err.message);
}

static void test_unknown_item_is_visible(void **state)
{
    fixture *f = *state;
    assert_int_equal(get(f->v, "post-1", "PK"), AR_VISIBLE);
    assert_int_equal(get(f->v, "post-1", "us"), AR_VISIBLE);
}

static void test_removed_is_removed_in_every_country(void **state)
{
    fixture *f = *state;
    set_ok(f->v, "post-1", true, NULL);
    assert_int_equal(get(f->v, "post-1", "PK"), AR_REMOVED);
    assert_int_equal(get(f->v, "post-1", "DE"), AR_REMOVED);
    assert_int_equal(get(f->v, "post-1", "zz"), AR_REMOVED);
    assert_int_equal(get(f->v, "post-2", "PK"), AR_VISIBLE);
}

static void test_restricted_in_one_country_is_visible_elsewhere(void **state)
{
    fixture *f = *state;
    set_ok(f->v, "post-1", false, "DE");
    assert_int_equal(get(f->v, "post-1", "DE"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "FR"), AR_VISIBLE);
    assert_int_equal(get(f->v, "post-1", "ED"), AR_VISIBLE);
    assert_int_equal(get(f->v, "post-10", "DE"), AR_VISIBLE);
}

static void test_restricted_in_several_countries(void **state)
{
    fixture *f = *state;
    set_ok(f->v, "post-1", false, "PKINTR");
    assert_int_equal(get(f->v, "post-1", "PK"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "IN"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "TR"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "US"), AR_VISIBLE);
    assert_int_equal(get(f->v, "post-1", "KI"), AR_VISIBLE); /* codes are not split across pairs */
    /* Six fit in the item's own slot; more take a slot per country. */
    const char *many = "AAZZDEFRPKINTRRUCNUSGB";
    set_ok(f->v, "post-2", false, many);
    for (size_t i = 0; i < strlen(many); i += 2) {
        char cc[3] = {many[i], many[i + 1], 0};
        assert_int_equal(get(f->v, "post-2", cc), AR_RESTRICTED);
    }
    assert_int_equal(get(f->v, "post-2", "IT"), AR_VISIBLE);
    assert_int_equal(get(f->v, "post-1", "DE"), AR_VISIBLE);
}

static void test_country_codes_are_case_insensitive(void **state)
{
    fixture *f = *state;
    set_ok(f->v, "post-1", false, "pkIn");
    assert_int_equal(get(f->v, "post-1", "PK"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "pk"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "Pk"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "in"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "IN"), AR_RESTRICTED);
    /* get takes two chars, not a string: no terminator needed. */
    char two[2] = {'i', 'N'};
    assert_int_equal(ar_visibility_get(f->v, "post-1", 6, two), AR_RESTRICTED);
}

static void test_country_valid_wants_exactly_two_letters(void **state)
{
    (void)state;
    assert_true(ar_visibility_country_valid("PK"));
    assert_true(ar_visibility_country_valid("pk"));
    assert_true(ar_visibility_country_valid("zA"));
    assert_false(ar_visibility_country_valid(NULL));
    assert_false(ar_visibility_country_valid(""));
    assert_false(ar_visibility_country_valid("P"));
    assert_false(ar_visibility_country_valid("PAK"));
    assert_false(ar_visibility_country_valid("P1"));
    assert_false(ar_visibility_country_valid("@["));
    assert_false(ar_visibility_country_valid("`{"));
    assert_false(ar_visibility_country_valid(" K"));
    assert_false(ar_visibility_country_valid("\xc3\x84")); /* Ä in UTF-8 */
}

static void test_bad_country_code_is_refused_without_change(void **state)
{
    fixture *f = *state;
    set_ok(f->v, "post-1", false, "DE");
    ar_visibility_stats before, after;
    ar_visibility_stats_get(f->v, &before);
    ar_error err = {0};
    assert_int_equal(ar_visibility_set(f->v, "post-1", 6, false, "FRP1IN", 3, &err), AR_EINVAL);
    assert_string_equal(err.field, "countries[1]");
    assert_non_null(strstr(err.message, "'P1'"));
    /* Removal does not excuse a bad code either. */
    assert_int_equal(ar_visibility_set(f->v, "post-1", 6, true, "F\x01", 1, &err), AR_EINVAL);
    assert_string_equal(err.field, "countries[0]");
    assert_non_null(strstr(err.message, "0x46 0x01"));
    assert_int_equal(ar_visibility_set(f->v, "post-2", 6, false, "USU", 2, &err), AR_EINVAL);
    assert_int_equal(get(f->v, "post-1", "DE"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "FR"), AR_VISIBLE);
    assert_int_equal(get(f->v, "post-2", "US"), AR_VISIBLE);
    ar_visibility_stats_get(f->v, &after);
    assert_int_equal(after.items, before.items);
    assert_int_equal(after.pairs, before.pairs);
}

static void test_replacing_a_set_makes_dropped_countries_visible(void **state)
{
    fixture *f = *state;
    set_ok(f->v, "post-1", false, "DEFRIT");
    set_ok(f->v, "post-1", false, "FRES");
    assert_int_equal(get(f->v, "post-1", "DE"), AR_VISIBLE);
    assert_int_equal(get(f->v, "post-1", "IT"), AR_VISIBLE);
    assert_int_equal(get(f->v, "post-1", "FR"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "ES"), AR_RESTRICTED);
    set_ok(f->v, "post-1", false, NULL);
    assert_int_equal(get(f->v, "post-1", "FR"), AR_VISIBLE);
    assert_int_equal(get(f->v, "post-1", "ES"), AR_VISIBLE);
    /* And a restricted country can come back later. */
    set_ok(f->v, "post-1", false, "DE");
    assert_int_equal(get(f->v, "post-1", "DE"), AR_RESTRICTED);
}

/* Between the inline form (up to 6) and a slot per country, both ways. */
static void test_replacing_large_sets_both_ways(void **state)
{
    fixture *f = *state;
    const char *a = "AAABACADAEAFAGAHAI"; /* 9 */
    const char *b = "AEAFAGAHAIAJAKALAMANAO"; /* 11, 5 shared with a */
    set_ok(f->v, "post-1", false, a);
    set_ok(f->v, "post-1", false, b);
    for (const char *p = "AAABACAD"; *p; p += 2) {
        char cc[3] = {p[0], p[1], 0};
        assert_int_equal(get(f->v, "post-1", cc), AR_VISIBLE);
    }
    for (const char *p = b; *p; p += 2) {
        char cc[3] = {p[0], p[1], 0};
        assert_int_equal(get(f->v, "post-1", cc), AR_RESTRICTED);
    }
    set_ok(f->v, "post-1", false, "AOZZ"); /* large -> inline */
    assert_int_equal(get(f->v, "post-1", "AO"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "ZZ"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "AE"), AR_VISIBLE);
    set_ok(f->v, "post-1", false, a); /* inline -> large: old pairs stay gone */
    assert_int_equal(get(f->v, "post-1", "AJ"), AR_VISIBLE);
    assert_int_equal(get(f->v, "post-1", "AO"), AR_VISIBLE);
    assert_int_equal(get(f->v, "post-1", "AA"), AR_RESTRICTED);
    set_ok(f->v, "post-1", true, NULL); /* large -> removed -> visible */
    assert_int_equal(get(f->v, "post-1", "AA"), AR_REMOVED);
    set_ok(f->v, "post-1", false, NULL);
    assert_int_equal(get(f->v, "post-1", "AA"), AR_VISIBLE);
    assert_int_equal(get(f->v, "post-1", "AI"), AR_VISIBLE);
    ar_visibility_stats st;
    ar_visibility_stats_get(f->v, &st);
    assert_int_equal(st.items, 0);
    assert_int_equal(st.pairs, 0);
}

static void test_every_country_at_once(void **state)
{
    fixture *f = *state;
    char all[676 * 2 + 1];
    size_t n = 0;
    for (char a = 'A'; a <= 'Z'; a++)
        for (char b = 'a'; b <= 'z'; b++) {
            all[2 * n] = a;
            all[2 * n + 1] = b;
            n++;
        }
    all[2 * n] = 0;
    set_ok(f->v, "post-1", false, all);
    assert_int_equal(get(f->v, "post-1", "QQ"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "zz"), AR_RESTRICTED);
    ar_visibility_stats st;
    ar_visibility_stats_get(f->v, &st);
    assert_int_equal(st.pairs, 676);
    set_ok(f->v, "post-1", false, "QQ");
    assert_int_equal(get(f->v, "post-1", "QQ"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "ZZ"), AR_VISIBLE);
    ar_visibility_stats_get(f->v, &st);
    assert_int_equal(st.pairs, 1);
}

static void test_removal_then_reinstatement(void **state)
{
    fixture *f = *state;
    set_ok(f->v, "post-1", false, "PK");
    set_ok(f->v, "post-1", true, NULL);
    assert_int_equal(get(f->v, "post-1", "PK"), AR_REMOVED);
    assert_int_equal(get(f->v, "post-1", "US"), AR_REMOVED);
    set_ok(f->v, "post-1", false, NULL); /* reinstated on appeal */
    assert_int_equal(get(f->v, "post-1", "PK"), AR_VISIBLE);
    assert_int_equal(get(f->v, "post-1", "US"), AR_VISIBLE);
    set_ok(f->v, "post-1", true, NULL);
    set_ok(f->v, "post-1", false, "PK"); /* reinstated, but still unlawful in PK */
    assert_int_equal(get(f->v, "post-1", "PK"), AR_RESTRICTED);
    assert_int_equal(get(f->v, "post-1", "US"), AR_VISIBLE);
}

static void test_removal_wins_over_countries(void **state)
{
    fixture *f = *state;
    set_ok(f->v, "post-1", true, "PKIN");
    assert_int_equal(get(f->v, "post-1", "PK"), AR_REMOVED);
    assert_int_equal(get(f->v, "post-1", "US"), AR_REMOVED);
    ar_visibility_stats st;
    ar_visibility_stats_get(f->v, &st);
    assert_int_equal(st.pairs, 1); /* a removal counts once */
}

static void test_repeated_countries_count_once(void **state)
{
    fixture *f = *state;
    set_ok(f->v, "post-1", false, "PKpkPKIN");
    ar_visibility_stats st;
    ar_visibility_stats_get(f->v, &st);
    assert_int_equal(st.items, 1);
    assert_int_equal(st.pairs, 2);
    assert_int_equal(get(f->v, "post-1", "PK"), AR_RESTRICTED);
}

static void test_empty_item_id_is_refused_and_reads_visible(void **state)
{
    fixture *f = *state;
    ar_error err = {0};
    assert_int_equal(ar_visibility_set(f->v, "", 0, true, NULL, 0, &err), AR_EINVAL);
    assert_string_equal(err.field, "item_id");
    assert_int_equal(ar_visibility_set(f->v, NULL, 3, true, NULL, 0, &err), AR_EINVAL);
    assert_int_equal(ar_visibility_get(f->v, "", 0, "PK"), AR_VISIBLE);
    assert_int_equal(ar_visibility_get(f->v, NULL, 5, "PK"), AR_VISIBLE);
}

static void test_ids_are_bytes_not_strings(void **state)
{
    fixture *f = *state;
    const char id[] = {'p', 0, 'q'};
    ar_error err = {0};
    assert_int_equal(ar_visibility_set(f->v, id, 3, false, "DE", 1, &err), AR_OK);
    assert_int_equal(ar_visibility_get(f->v, id, 3, "DE"), AR_RESTRICTED);
    assert_int_equal(ar_visibility_get(f->v, id, 1, "DE"), AR_VISIBLE); /* "p" */
    assert_int_equal(ar_visibility_get(f->v, id, 2, "DE"), AR_VISIBLE);
}

static void test_bad_country_in_get_still_sees_removal(void **state)
{
    fixture *f = *state;
    set_ok(f->v, "post-1", false, "DE");
    set_ok(f->v, "post-2", true, NULL);
    assert_int_equal(ar_visibility_get(f->v, "post-1", 6, "D1"), AR_VISIBLE);
    assert_int_equal(ar_visibility_get(f->v, "post-1", 6, NULL), AR_VISIBLE);
    assert_int_equal(ar_visibility_get(f->v, "post-2", 6, "?!"), AR_REMOVED);
    assert_int_equal(ar_visibility_get(f->v, "post-2", 6, NULL), AR_REMOVED);
}

static void test_null_arguments_never_crash(void **state)
{
    fixture *f = *state;
    ar_error err = {0};
    assert_int_equal(ar_visibility_get(NULL, "x", 1, "PK"), AR_VISIBLE);
    assert_int_equal(ar_visibility_set(NULL, "x", 1, true, NULL, 0, &err), AR_EINVAL);
    assert_int_equal(ar_visibility_set(f->v, "x", 1, false, NULL, 2, &err), AR_EINVAL);
    assert_int_equal(ar_visibility_set(f->v, "x", 1, false, NULL, 2, NULL), AR_EINVAL);
    ar_visibility *v = (ar_visibility *)1;
    assert_int_equal(ar_visibility_new(NULL, 0, &v, &err), AR_EINVAL);
    assert_int_equal(ar_visibility_new(f->ctx, 0, NULL, &err), AR_EINVAL);
    assert_int_equal(ar_visibility_new(f->ctx, SIZE_MAX, &v, &err), AR_ETOOBIG);
    assert_null(v);
    ar_visibility_stats st = {1, 1, 1};
    ar_visibility_stats_get(NULL, &st);
    assert_int_equal(st.memory_bytes, 0);
    ar_visibility_stats_get(f->v, NULL);
    ar_visibility_free(NULL);
}

static void test_counters_follow_the_states(void **state)
{
    fixture *f = *state;
    ar_visibility_stats st;
    ar_visibility_stats_get(f->v, &st);
    assert_int_equal(st.items, 0);
    assert_int_equal(st.pairs, 0);
    assert_true(st.memory_bytes > 0);
    set_ok(f->v, "a", false, "DEFR");
    set_ok(f->v, "b", true, NULL);
    set_ok(f->v, "c", false, "AAABACADAEAFAGAH");
    set_ok(f->v, "d", false, NULL); /* never restricted: nothing held */
    ar_visibility_stats_get(f->v, &st);
    assert_int_equal(st.items, 3);
    assert_int_equal(st.pairs, 2 + 1 + 8);
    set_ok(f->v, "a", false, NULL);
    set_ok(f->v, "c", true, NULL);
    ar_visibility_stats_get(f->v, &st);
    assert_int_equal(st.items, 2);
    assert_int_equal(st.pairs, 2);
}

static void test_state_names_are_stable(void **state)
{
    (void)state;
    assert_string_equal(ar_visibility_state_name(AR_VISIBLE), "visible");
    assert_string_equal(ar_visibility_state_name(AR_RESTRICTED), "restricted");
    assert_string_equal(ar_visibility_state_name(AR_REMOVED), "removed");
    assert_string_equal(ar_visibility_state_name((ar_visibility_state)42), "unknown");
}

static void test_two_indexes_do_not_share_state(void **state)
{
    fixture *f = *state;
    ar_visibility *w = NULL;
    ar_error err;
    assert_int_equal(ar_visibility_new(f->ctx, 100, &w, &err), AR_OK);
    set_ok(f->v, "post-1", true, NULL);
    assert_int_equal(get(w, "post-1", "PK"), AR_VISIBLE);
    ar_visibility_free(w);
}

static void assert_scope(ar_visibility *v, const char *id, ar_visibility_state want,
                         const char *want_codes)
{
    char codes[AR_VISIBILITY_MAX_COUNTRIES * 2 + 1];
    size_t n = 99;
    assert_int_equal(ar_visibility_scope(v, id, strlen(id), codes, &n), want);
    codes[2 * n] = 0;
    assert_string_equal(codes, want_codes);
}

static void test_scope_lists_every_country_sorted(void **state)
{
    fixture *f = *state;
    assert_scope(f->v, "never-seen", AR_VISIBLE, "");
    set_ok(f->v, "inline", false, "pkINde");
    assert_scope(f->v, "inline", AR_RESTRICTED, "DEINPK");
    set_ok(f->v, "large", false, "ZZAIAHAGAFAEADACABAA"); /* 10: the pair chain */
    assert_scope(f->v, "large", AR_RESTRICTED, "AAABACADAEAFAGAHAIZZ");
    set_ok(f->v, "large", false, "QQ"); /* large -> inline: the old chain is gone */
    assert_scope(f->v, "large", AR_RESTRICTED, "QQ");
    set_ok(f->v, "large", true, "PK"); /* removal wins, and lists nothing */
    assert_scope(f->v, "large", AR_REMOVED, "");
    set_ok(f->v, "large", false, NULL); /* reinstated: a tombstone */
    assert_scope(f->v, "large", AR_VISIBLE, "");
    char all[676 * 2 + 1];
    size_t n = 0;
    for (char a = 'Z'; a >= 'A'; a--)
        for (char b = 'Z'; b >= 'A'; b--, n++) {
            all[2 * n] = a;
            all[2 * n + 1] = b;
        }
    all[2 * n] = 0;
    set_ok(f->v, "everywhere", false, all);
    char codes[AR_VISIBILITY_MAX_COUNTRIES * 2];
    size_t got = 0;
    assert_int_equal(ar_visibility_scope(f->v, "everywhere", 10, codes, &got), AR_RESTRICTED);
    assert_int_equal(got, 676);
    assert_memory_equal(codes, "AAAB", 4);
    assert_memory_equal(codes + 2 * 675, "ZZ", 2);
    assert_int_equal(ar_visibility_scope(NULL, "x", 1, codes, &got), AR_VISIBLE);
    assert_int_equal(got, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_unknown_item_is_visible),
        T(test_removed_is_removed_in_every_country),
        T(test_restricted_in_one_country_is_visible_elsewhere),
        T(test_restricted_in_several_countries),
        T(test_country_codes_are_case_insensitive),
        cmocka_unit_test(test_country_valid_wants_exactly_two_letters),
        T(test_bad_country_code_is_refused_without_change),
        T(test_replacing_a_set_makes_dropped_countries_visible),
        T(test_replacing_large_sets_both_ways),
        T(test_every_country_at_once),
        T(test_removal_then_reinstatement),
        T(test_removal_wins_over_countries),
        T(test_repeated_countries_count_once),
        T(test_empty_item_id_is_refused_and_reads_visible),
        T(test_ids_are_bytes_not_strings),
        T(test_bad_country_in_get_still_sees_removal),
        T(test_null_arguments_never_crash),
        T(test_counters_follow_the_states),
        cmocka_unit_test(test_state_names_are_stable),
        T(test_two_indexes_do_not_share_state),
        T(test_scope_lists_every_country_sorted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
