/* tests/jurisdiction/jur_test.h - what the jurisdiction tests share: a
 * context per test, UTC times written as dates, and a deadline check that
 * prints what it got when it fails. Include after <cmocka.h>. */
#ifndef AR_JUR_TEST_H
#define AR_JUR_TEST_H

#include <stdio.h>
#include <string.h>

#include "arbiter/jurisdiction.h"
#include "lib/ctx_fixture.h"

#define HOUR 3600
#define DAY  86400

/* Unix seconds of a UTC time, counted year by year: independent of the
 * module's own calendar code, which it checks. */
static inline int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    static const int cum[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    int64_t days = 0;
    for (int yy = 1970; yy < y; yy++)
        days += (yy % 4 == 0 && (yy % 100 != 0 || yy % 400 == 0)) ? 366 : 365;
    days += cum[mo - 1] + d - 1;
    if (mo > 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        days++;
    return days * DAY + h * HOUR + mi * 60 + s;
}

/* Load `path`, failing the test (with every problem printed) unless it loads. */
static inline ar_jurisdictions *jur_load_ok(ar_ctx *ctx, const char *path)
{
    ar_jurisdictions *j = NULL;
    ar_diag_list d;
    ar_error err;
    ar_diag_list_init(&d, ctx);
    ar_status s = ar_jurisdictions_load(ctx, path, &j, &d, &err);
    if (s != AR_OK || d.n != 0) {
        print_message("%s: %s, %zu problems\n", path, ar_status_name(s), d.n);
        for (size_t i = 0; i < d.n; i++) {
            char buf[600];
            ar_error_format(&d.v[i], buf, sizeof buf);
            print_message("  %s\n", buf);
        }
        fail();
    }
    ar_diag_list_free(&d);
    return j;
}

/* The deadline must be AR_OK, due `after` seconds after `received`, with
 * this rule text and confidence. */
#define EXPECT_DUE(j, cc, inst, kind, emerg, received, after, text, conf)                          \
    do {                                                                                           \
        ar_deadline dl_;                                                                           \
        ar_error e_;                                                                               \
        ar_status s_ = ar_jurisdictions_deadline((j), (cc), (inst), (kind), (emerg), (received),   \
                                                 &dl_, &e_);                                       \
        if (s_ != AR_OK)                                                                           \
            print_message("%s: %s\n", ar_status_name(s_), e_.message);                             \
        assert_int_equal(s_, AR_OK);                                                               \
        assert_int_equal(dl_.due_at - (received), (after));                                        \
        assert_string_equal(dl_.rule, (text));                                                     \
        assert_string_equal(dl_.confidence, (conf));                                               \
    } while (0)

/* The deadline must fail with `status`; *out must come back cleared. */
static inline ar_error jur_expect_fail(const ar_jurisdictions *j, const char *cc,
                                       const char *inst, const char *kind, bool emerg,
                                       int64_t received, ar_status status)
{
    ar_deadline dl;
    memset(&dl, 0x5a, sizeof dl);
    ar_error e;
    ar_error_clear(&e);
    ar_status s = ar_jurisdictions_deadline(j, cc, inst, kind, emerg, received, &dl, &e);
    if (s != status)
        print_message("%s %s '%s' %s at %lld: got %s (%s%s), want %s\n", cc ? cc : "(null)",
                      inst ? inst : "(null)", kind ? kind : "(null)",
                      emerg ? "emergency" : "", (long long)received, ar_status_name(s),
                      s == AR_OK ? dl.rule : "", e.message, ar_status_name(status));
    assert_int_equal(s, status);
    assert_int_equal(e.status, status);
    assert_int_equal(dl.due_at, 0);
    assert_string_equal(dl.rule, "");
    assert_string_equal(dl.confidence, "");
    return e;
}

#endif
