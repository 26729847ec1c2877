/* tests/match/test_engine_bugs.c - the matching library itself must not
 * have the bugs Debian's vectorscan 5.4.9 showed on amd64 (an abort on a
 * start-of-match regex, missed regex matches, literals missed depending on
 * where the text sits in memory). Fails if scripts/deps.sh ever installs a
 * library that has them; and the same cases through arbiter's own matcher. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <hs.h>
#include <stdlib.h>
#include <string.h>

#include "arbiter/match.h"

static int count_cb(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void *ud)
{
    (void)from, (void)to, (void)flags;
    ((int *)ud)[id]++;
    return 0;
}

static hs_database_t *compile(const char *const *pats, const unsigned *flags, unsigned n)
{
    unsigned ids[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    if (hs_compile_multi(pats, flags, ids, n, HS_MODE_BLOCK, NULL, &db, &ce) != HS_SUCCESS)
        fail_msg("compile: %s", ce->message);
    return db;
}

static void test_engine_som_regex_scans_plain_text(void **state)
{
    (void)state;
    const char *pats[] = {"a+b", "o+b"};
    unsigned flags[] = {HS_FLAG_SOM_LEFTMOST, HS_FLAG_SOM_LEFTMOST};
    hs_database_t *db = compile(pats, flags, 2);
    hs_scratch_t *s = NULL;
    assert_int_equal(hs_alloc_scratch(db, &s), HS_SUCCESS);
    char text[301];
    memset(text, 'x', 300);
    int hits[2] = {0, 0};
    assert_int_equal(hs_scan(db, text, 300, 0, s, count_cb, hits), HS_SUCCESS);
    assert_int_equal(hits[0] + hits[1], 0);
    hs_free_scratch(s);
    hs_free_database(db);
}

static void test_engine_finds_regex_after_a_long_prefix(void **state)
{
    (void)state;
    const char *pats[] = {"b.+d", "b[^ ]+d", "b[a-z]+d"};
    unsigned flags[] = {0, 0, 0};
    hs_database_t *db = compile(pats, flags, 3);
    hs_scratch_t *s = NULL;
    assert_int_equal(hs_alloc_scratch(db, &s), HS_SUCCESS);
    char text[128];
    memset(text, 'x', 64);
    strcpy(text + 64, "ab bcd");
    int hits[3] = {0, 0, 0};
    assert_int_equal(hs_scan(db, text, (unsigned)strlen(text), 0, s, count_cb, hits), HS_SUCCESS);
    assert_true(hits[0] >= 1 && hits[1] >= 1 && hits[2] >= 1);
    hs_free_scratch(s);
    hs_free_database(db);
}

static void test_engine_finds_literals_at_every_alignment(void **state)
{
    (void)state;
    const char *pats[] = {"ab", "bo"};
    unsigned flags[] = {0, 0};
    hs_database_t *db = compile(pats, flags, 2);
    hs_scratch_t *s = NULL;
    assert_int_equal(hs_alloc_scratch(db, &s), HS_SUCCESS);
    char text[256] = "";
    for (int i = 0; i < 30; i++)
        strcat(text, "x y ");
    strcat(text, "ab cd");
    size_t n = strlen(text);
    static char mem[1024] __attribute__((aligned(64)));
    int wrong = 0;
    for (size_t cut = 0; cut + 5 <= n; cut++)
        for (int off = 0; off < 64; off++) {
            memcpy(mem + off, text + cut, n - cut);
            int hits[2] = {0, 0};
            hs_scan(db, mem + off, (unsigned)(n - cut), 0, s, count_cb, hits);
            wrong += hits[0] != 1;
        }
    assert_int_equal(wrong, 0);
    hs_free_scratch(s);
    hs_free_database(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engine_som_regex_scans_plain_text),
        cmocka_unit_test(test_engine_finds_regex_after_a_long_prefix),
        cmocka_unit_test(test_engine_finds_literals_at_every_alignment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
