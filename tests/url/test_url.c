/* tests/url/test_url.c - canonicalisation against Google Safe Browsing's
 * published examples (developers.google.com/safe-browsing/v4/urls-hashing),
 * the lookup expressions, URLs found in text, and URL sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "arbiter/url.h"

static void canon_is(const char *in, size_t len, const char *want)
{
    char out[AR_URL_CANON_MAX];
    ar_error err = {0};
    if (ar_url_canonicalize(in, len, out, sizeof out, &err) != AR_OK)
        fail_msg("'%s': %s", in, err.message);
    if (strcmp(out, want) != 0)
        fail_msg("'%s' -> '%s', expected '%s'", in, out, want);
}

#define CANON(in, want) canon_is((in), sizeof(in) - 1, (want))

static void test_url_canon_safe_browsing_table(void **state)
{
    (void)state;
    CANON("http://host/%25%32%35", "http://host/%25");
    CANON("http://host/%25%32%35%25%32%35", "http://host/%25%25");
    CANON("http://host/%2525252525252525", "http://host/%25");
    CANON("http://host/asdf%25%32%35asd", "http://host/asdf%25asd");
    CANON("http://host/%%%25%32%35asd%%", "http://host/%25%25%25asd%25%25");
    CANON("http://www.google.com/", "http://www.google.com/");
    CANON("http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65"
          "%62%61%79%2E%63%6F%6D/",
          "http://168.188.99.26/.secure/www.ebay.com/");
    CANON("http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqm"
          "n-xplmvalidateinfoswqpcmlx=hgplmcx/",
          "http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqm"
          "n-xplmvalidateinfoswqpcmlx=hgplmcx/");
    CANON("http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%25"
          "2944_55%252B",
          "http://host%23.com/~a!b@c%23d$e%25f^00&11*22(33)44_55+");
    CANON("http://3279880203/blah", "http://195.127.0.11/blah");
    CANON("http://www.google.com/blah/..", "http://www.google.com/");
    CANON("www.google.com/", "http://www.google.com/");
    CANON("www.google.com", "http://www.google.com/");
    CANON("http://www.evil.com/blah#frag", "http://www.evil.com/blah");
    CANON("http://www.GOOgle.com/", "http://www.google.com/");
    CANON("http://www.google.com.../", "http://www.google.com/");
    CANON("http://www.google.com/foo\tbar\rbaz\n2", "http://www.google.com/foobarbaz2");
    CANON("http://www.google.com/q?", "http://www.google.com/q?");
    CANON("http://www.google.com/q?r?", "http://www.google.com/q?r?");
    CANON("http://www.google.com/q?r?s", "http://www.google.com/q?r?s");
    CANON("http://evil.com/foo#bar#baz", "http://evil.com/foo");
    CANON("http://evil.com/foo;", "http://evil.com/foo;");
    CANON("http://evil.com/foo?bar;", "http://evil.com/foo?bar;");
    CANON("http://\x01\x80.com/", "http://%01%80.com/");
    CANON("http://notrailingslash.com", "http://notrailingslash.com/");
    CANON("http://www.gotaport.com:1234/", "http://www.gotaport.com/");
    CANON("  http://www.google.com/  ", "http://www.google.com/");
    CANON("http:// leadingspace.com/", "http://%20leadingspace.com/");
    CANON("http://%20leadingspace.com/", "http://%20leadingspace.com/");
    CANON("%20leadingspace.com/", "http://%20leadingspace.com/");
    CANON("https://www.securesite.com/", "https://www.securesite.com/");
    CANON("http://host.com/ab%23cd", "http://host.com/ab%23cd");
    CANON("http://host.com//twoslashes?more//slashes", "http://host.com/twoslashes?more//slashes");
}

static void test_url_canon_hosts(void **state)
{
    (void)state;
    CANON("HTTPS://User:pw@Evil.Example:443/x", "https://evil.example/x");
    CANON("http://0x7f.1/", "http://127.0.0.1/");
    CANON("http://017700000001/", "http://127.0.0.1/");
    CANON("http://10.1/a", "http://10.0.0.1/a");
    CANON("http://1.2.3.4.5/", "http://1.2.3.4.5/"); /* five parts: a name, not an address */
    CANON("http://..a..b../", "http://a.b/");
    CANON("http://bücher.example/", "http://xn--bcher-kva.example/");
    CANON("http://B%C3%BCcher.Example/", "http://xn--bcher-kva.example/");
    CANON("http://a/b/./c/../d//e/.", "http://a/b/d/e/");
}

static void test_url_canon_refuses_what_is_not_a_url(void **state)
{
    (void)state;
    char out[AR_URL_CANON_MAX], big[AR_URL_MAX_BYTES + 2];
    ar_error err = {0};
    assert_int_equal(ar_url_canonicalize("ftp://x/", 8, out, sizeof out, &err), AR_EINVAL);
    assert_string_equal(out, "");
    assert_int_equal(ar_url_canonicalize("http://x:99999/", 15, out, sizeof out, &err), AR_EINVAL);
    assert_string_equal(err.field, "port");
    assert_int_equal(ar_url_canonicalize("http:///x", 9, out, sizeof out, &err), AR_EINVAL);
    assert_string_equal(err.field, "host");
    assert_int_equal(ar_url_canonicalize("   ", 3, out, sizeof out, &err), AR_EINVAL);
    assert_int_equal(ar_url_canonicalize("http://[::1]/", 13, out, sizeof out, &err), AR_EINVAL);
    memset(big, 'a', sizeof big);
    assert_int_equal(ar_url_canonicalize(big, sizeof big, out, sizeof out, &err), AR_ETOOBIG);
    /* every byte escaped three times over still fits AR_URL_CANON_MAX */
    memset(big, 0x7f, AR_URL_MAX_BYTES);
    memcpy(big, "http://a/", 9);
    assert_int_equal(ar_url_canonicalize(big, AR_URL_MAX_BYTES, out, sizeof out, &err), AR_OK);
    assert_int_equal(ar_url_canonicalize(big, AR_URL_MAX_BYTES, out, 64, &err), AR_ETOOBIG);
}

static void exprs_are(const char *url, const char *const *want, size_t n)
{
    char canon[AR_URL_CANON_MAX];
    ar_url_exprs ex;
    assert_int_equal(ar_url_canonicalize(url, strlen(url), canon, sizeof canon, NULL), AR_OK);
    size_t got = ar_url_expressions(canon, &ex);
    if (got != n)
        fail_msg("%s: %zu expressions, expected %zu", url, got, n);
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t j = 0; j < got && !found; j++)
            found = !strcmp(ex.v[j], want[i]);
        if (!found)
            fail_msg("%s: no expression '%s'", url, want[i]);
    }
}

static void test_url_expressions_as_safe_browsing_lists_them(void **state)
{
    (void)state;
    static const char *const a[] = {
        "a.b.c/1/2.html?param=1", "a.b.c/1/2.html", "a.b.c/", "a.b.c/1/",
        "b.c/1/2.html?param=1",   "b.c/1/2.html",   "b.c/",   "b.c/1/"};
    exprs_are("http://a.b.c/1/2.html?param=1", a, 8);
    static const char *const b[] = {"a.b.c.d.e.f.g/1.html", "a.b.c.d.e.f.g/",
                                    "c.d.e.f.g/1.html",     "c.d.e.f.g/",
                                    "d.e.f.g/1.html",       "d.e.f.g/",
                                    "e.f.g/1.html",         "e.f.g/",
                                    "f.g/1.html",           "f.g/"};
    exprs_are("http://a.b.c.d.e.f.g/1.html", b, 10);
    static const char *const c[] = {"1.2.3.4/1/", "1.2.3.4/"};
    exprs_are("http://1.2.3.4/1/", c, 2);
    static const char *const d[] = {"a.b/saw-this-url/", "a.b/"};
    exprs_are("http://a.b/saw-this-url/", d, 2);
    /* at most 5 hosts x 6 paths */
    char canon[AR_URL_CANON_MAX];
    ar_url_exprs ex;
    const char *deep = "http://a.b.c.d.e.f.g/1/2/3/4/5/6.html?q=1";
    assert_int_equal(ar_url_canonicalize(deep, strlen(deep), canon, sizeof canon, NULL), AR_OK);
    assert_int_equal(ar_url_expressions(canon, &ex), 30);
    assert_int_equal(ar_url_expressions("not a url", &ex), 0);
}

static void test_url_find_in_text(void **state)
{
    (void)state;
    const char *t = "see WWW.Evil.example/x, (http://a.test/b) and https://c.test/d?e=1. "
                    "xwww.no.test http:// nothing <https://e.test/f> www.";
    ar_url_span s[8];
    size_t n = ar_url_find(t, strlen(t), s, 8);
    assert_int_equal(n, 4);
    const char *want[] = {"WWW.Evil.example/x", "http://a.test/b", "https://c.test/d?e=1",
                          "https://e.test/f"};
    for (size_t i = 0; i < n; i++) {
        assert_true(s[i].end <= strlen(t) && s[i].start < s[i].end);
        if (strlen(want[i]) != s[i].end - s[i].start ||
            memcmp(t + s[i].start, want[i], s[i].end - s[i].start) != 0)
            fail_msg("span %zu is '%.*s', expected '%s'", i, (int)(s[i].end - s[i].start),
                     t + s[i].start, want[i]);
    }
    assert_int_equal(ar_url_find(t, strlen(t), s, 1), 1);
    assert_int_equal(ar_url_find("(http://w.test/(x))", 19, s, 8), 1);
    assert_int_equal(s[0].end, 18);
}

static void test_url_set_finds_host_suffix_and_path_prefix(void **state)
{
    (void)state;
    ar_ctx *ctx;
    ar_url_set *set;
    char e[AR_URL_EXPR_MAX + 1], canon[AR_URL_CANON_MAX];
    assert_int_equal(ar_ctx_new(NULL, &ctx, NULL), AR_OK);
    assert_int_equal(ar_url_set_new(ctx, &set, NULL), AR_OK);
    assert_int_equal(ar_url_expression_of("Evil.Example", 12, e, sizeof e, NULL), AR_OK);
    assert_string_equal(e, "evil.example/");
    assert_int_equal(ar_url_set_add(set, e, 1, NULL), AR_OK);
    assert_int_equal(ar_url_set_add(set, "ok.test/bad/", 2, NULL), AR_OK);
    assert_int_equal(ar_url_set_add(set, "evil.example/", 3, NULL), AR_OK);
    ar_url_set_freeze(set);
    assert_int_equal(ar_url_set_add(set, "x.test/", 1, NULL), AR_EINVAL);
    ar_url_hit hits[8];
    const char *u = "https://a.b.EVIL.example/any/path?q";
    assert_int_equal(ar_url_canonicalize(u, strlen(u), canon, sizeof canon, NULL), AR_OK);
    assert_int_equal(ar_url_set_lookup(set, canon, hits, 8), 2);
    assert_int_equal(hits[0].list + hits[1].list, 4);
    assert_string_equal(hits[0].expr, "evil.example/");
    u = "http://ok.test/bad/thing.html";
    assert_int_equal(ar_url_canonicalize(u, strlen(u), canon, sizeof canon, NULL), AR_OK);
    assert_int_equal(ar_url_set_lookup(set, canon, hits, 8), 1);
    assert_int_equal(hits[0].list, 2);
    u = "http://ok.test/good/bad/";
    assert_int_equal(ar_url_canonicalize(u, strlen(u), canon, sizeof canon, NULL), AR_OK);
    assert_int_equal(ar_url_set_lookup(set, canon, hits, 8), 0);
    u = "http://notevil.example/";
    assert_int_equal(ar_url_canonicalize(u, strlen(u), canon, sizeof canon, NULL), AR_OK);
    assert_int_equal(ar_url_set_lookup(set, canon, hits, 8), 0);
    ar_url_set_free(set);
    ar_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_canon_safe_browsing_table),
        cmocka_unit_test(test_url_canon_hosts),
        cmocka_unit_test(test_url_canon_refuses_what_is_not_a_url),
        cmocka_unit_test(test_url_expressions_as_safe_browsing_lists_them),
        cmocka_unit_test(test_url_find_in_text),
        cmocka_unit_test(test_url_set_finds_host_suffix_and_path_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
