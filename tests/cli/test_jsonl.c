/* tests/cli/test_jsonl.c - the scan line reader (src/cli/jsonl.h): strict
 * JSON, the id/text/lang rules, and a differential run against jansson, the
 * parser it replaced, on generated and mutated lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/jsonl.h"

/* A string literal and its length, NULs included. */
#define L(s) s, sizeof(s) - 1

static cli_jsonl J; /* one scratch for the whole run, as a scan thread has */

static cli_jsonl_status st_of(const char *line, size_t len)
{
    cli_jsonl_item it;
    return cli_jsonl_parse(&J, line, len, &it, NULL);
}

static cli_jsonl_item ok_item(const char *line, size_t len)
{
    cli_jsonl_item it;
    cli_jsonl_error err = {0};
    cli_jsonl_status st = cli_jsonl_parse(&J, line, len, &it, &err);
    if (st != CLI_JSONL_OK)
        fail_msg("refused (%d, column %zu: %s): %.*s", (int)st, err.column, err.message, (int)len,
                 line);
    return it;
}

#define ASSERT_ST(st, s) assert_int_equal(st_of(L(s)), st)
#define ASSERT_JSON_ERR(s) ASSERT_ST(CLI_JSONL_EJSON, s)
#define ASSERT_OK(s) ASSERT_ST(CLI_JSONL_OK, s)
#define ASSERT_BYTES(p, n, s)                                                                       \
    do {                                                                                            \
        assert_int_equal((n), sizeof(s) - 1);                                                       \
        assert_memory_equal((p), s, sizeof(s) - 1);                                                 \
    } while (0)

/*---- The fields -------------------------------------------------------------*/

static void test_jsonl_reads_id_text_and_lang(void **state)
{
    cli_jsonl_item it = ok_item(L("{\"id\":\"p1\",\"text\":\"hello world\",\"lang\":\"en\"}"));
    assert_true(it.id_is_string);
    ASSERT_BYTES(it.id, it.id_len, "p1");
    ASSERT_BYTES(it.text, it.text_len, "hello world");
    assert_string_equal(it.lang, "en");
    assert_int_equal(it.lang_len, 2);

    it = ok_item(L(" \t{ \"text\" : \"x\" , \"id\" : 7 }\r\n "));
    assert_false(it.id_is_string);
    ASSERT_BYTES(it.id, it.id_len, "7");
    ASSERT_BYTES(it.text, it.text_len, "x");
    assert_null(it.lang);
}

static void test_jsonl_plain_strings_point_into_the_line(void **state)
{
    static const char line[] = "{\"id\":\"a\",\"text\":\"no escapes here\"}";
    cli_jsonl_item it = ok_item(L(line));
    assert_ptr_equal(it.text, line + 18);
    assert_ptr_equal(it.id, line + 7);
}

static void test_jsonl_lang_absent_null_or_string(void **state)
{
    cli_jsonl_item it = ok_item(L("{\"id\":1,\"text\":\"t\",\"lang\":null}"));
    assert_null(it.lang);
    it = ok_item(L("{\"id\":1,\"text\":\"t\"}"));
    assert_null(it.lang);
    it = ok_item(L("{\"id\":1,\"text\":\"t\",\"lang\":\"\"}"));
    assert_string_equal(it.lang, "");
    it = ok_item(L("{\"id\":1,\"text\":\"t\",\"lang\":\"u\\u0072\"}"));
    assert_string_equal(it.lang, "ur");
    /* a NUL ends the C string early, as json_string_value() did */
    it = ok_item(L("{\"id\":1,\"text\":\"t\",\"lang\":\"en\\u0000x\"}"));
    assert_string_equal(it.lang, "en");
    assert_int_equal(it.lang_len, 4);
}

static void test_jsonl_refuses_missing_or_mistyped_fields(void **state)
{
    ASSERT_ST(CLI_JSONL_EID, "{\"text\":\"no id\"}");
    ASSERT_ST(CLI_JSONL_EID, "{\"id\":1.5,\"text\":\"x\"}");
    ASSERT_ST(CLI_JSONL_EID, "{\"id\":1e3,\"text\":\"x\"}");
    ASSERT_ST(CLI_JSONL_EID, "{\"id\":true,\"text\":\"x\"}");
    ASSERT_ST(CLI_JSONL_EID, "{\"id\":null,\"text\":\"x\"}");
    ASSERT_ST(CLI_JSONL_EID, "{\"id\":[1],\"text\":\"x\"}");
    ASSERT_ST(CLI_JSONL_EID, "{\"id\":{},\"text\":\"x\"}");
    ASSERT_ST(CLI_JSONL_EID, "{\"ID\":1,\"text\":\"x\"}");
    ASSERT_ST(CLI_JSONL_ETEXT, "{\"id\":\"no-text\"}");
    ASSERT_ST(CLI_JSONL_ETEXT, "{\"id\":\"t\",\"text\":42}");
    ASSERT_ST(CLI_JSONL_ETEXT, "{\"id\":\"t\",\"text\":null}");
    ASSERT_ST(CLI_JSONL_ETEXT, "{\"id\":\"t\",\"text\":[\"a\"]}");
    ASSERT_ST(CLI_JSONL_ELANG, "{\"id\":\"l\",\"text\":\"x\",\"lang\":7}");
    ASSERT_ST(CLI_JSONL_ELANG, "{\"id\":\"l\",\"text\":\"x\",\"lang\":false}");
    ASSERT_ST(CLI_JSONL_ELANG, "{\"id\":\"l\",\"text\":\"x\",\"lang\":[]}");
    ASSERT_ST(CLI_JSONL_ELANG, "{\"id\":\"l\",\"text\":\"x\",\"lang\":{\"a\":1}}");
    /* the id is checked first, then text, then lang */
    ASSERT_ST(CLI_JSONL_EID, "{\"lang\":1,\"text\":2}");
    ASSERT_ST(CLI_JSONL_ETEXT, "{\"id\":1,\"lang\":1}");

    cli_jsonl_item it;
    cli_jsonl_error err;
    assert_int_equal(cli_jsonl_parse(&J, L("{\"id\":\"t\",\"text\":42}"), &it, &err),
                     CLI_JSONL_ETEXT);
    assert_string_equal(err.message, "'text' is missing or not a string");
    assert_int_equal(cli_jsonl_parse(&J, L("{\"text\":\"\"}"), &it, &err), CLI_JSONL_EID);
    assert_string_equal(err.message, "'id' is missing or not a string or integer");
    assert_int_equal(cli_jsonl_parse(&J, L("{\"id\":0,\"text\":\"\",\"lang\":0}"), &it, &err),
                     CLI_JSONL_ELANG);
    assert_string_equal(err.message, "'lang' is not a string");
}

static void test_jsonl_integer_ids_at_the_int64_bounds(void **state)
{
    cli_jsonl_item it = ok_item(L("{\"id\":9223372036854775807,\"text\":\"\"}"));
    ASSERT_BYTES(it.id, it.id_len, "9223372036854775807");
    it = ok_item(L("{\"id\":-9223372036854775808,\"text\":\"\"}"));
    ASSERT_BYTES(it.id, it.id_len, "-9223372036854775808");
    it = ok_item(L("{\"id\":0,\"text\":\"\"}"));
    ASSERT_BYTES(it.id, it.id_len, "0");
    it = ok_item(L("{\"id\":-0,\"text\":\"\"}")); /* echoed as jansson's integer 0 */
    ASSERT_BYTES(it.id, it.id_len, "0");
    it = ok_item(L("{\"id\":-12,\"text\":\"\"}"));
    ASSERT_BYTES(it.id, it.id_len, "-12");
    ASSERT_JSON_ERR("{\"id\":9223372036854775808,\"text\":\"\"}");
    ASSERT_JSON_ERR("{\"id\":-9223372036854775809,\"text\":\"\"}");
    ASSERT_JSON_ERR("{\"id\":99999999999999999999,\"text\":\"\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"n\":[18446744073709551616]}");
}

static void test_jsonl_duplicate_keys_keep_the_last(void **state)
{
    cli_jsonl_item it = ok_item(L("{\"id\":\"a\",\"text\":\"one\",\"text\":\"t\\\"wo\",\"id\":3}"));
    ASSERT_BYTES(it.text, it.text_len, "t\"wo");
    assert_false(it.id_is_string);
    ASSERT_BYTES(it.id, it.id_len, "3");
    it = ok_item(L("{\"id\":1,\"text\":\"x\",\"lang\":\"\\u0065n\",\"lang\":null}"));
    assert_null(it.lang);
    it = ok_item(L("{\"id\":1,\"text\":\"x\",\"lang\":3,\"lang\":\"\\u0065n\"}"));
    assert_string_equal(it.lang, "en");
    ASSERT_ST(CLI_JSONL_ETEXT, "{\"id\":1,\"text\":\"x\",\"text\":1}");
}

static void test_jsonl_escaped_keys_are_compared_decoded(void **state)
{
    cli_jsonl_item it = ok_item(L("{\"\\u0069d\":\"k\",\"t\\u0065xt\":\"v\",\"l\\/ang\":\"x\"}"));
    ASSERT_BYTES(it.id, it.id_len, "k");
    ASSERT_BYTES(it.text, it.text_len, "v");
    assert_null(it.lang); /* "l/ang" is another key */
    /* NUL in any key is refused, as jansson does */
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\\u0000\":1}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":[{\"\\u0000\":1}]}");
}

static void test_jsonl_ignores_other_keys_of_every_type(void **state)
{
    cli_jsonl_item it = ok_item(L(
        "{\"s\":\"a\\\"b\\u00e9\",\"i\":-5,\"r\":-1.25e-3,\"t\":true,\"f\":false,\"n\":null,"
        "\"a\":[1,\"x\",[],{},[[null]],{\"k\":[true,false]}],\"o\":{\"id\":2,\"text\":3},"
        "\"e\":{},\"E\":[],\"id\":\"real\",\"text\":\"body\",\"z\":[ 1 , { \"q\" : [ ] } ]}"));
    ASSERT_BYTES(it.id, it.id_len, "real");
    ASSERT_BYTES(it.text, it.text_len, "body");
}

/*---- Strings ----------------------------------------------------------------*/

static void test_jsonl_decodes_every_escape(void **state)
{
    cli_jsonl_item it = ok_item(
        L("{\"id\":\"\\\"\\\\\",\"text\":\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\\u0041\\u00e9"
          "\\u20AC\\uffff\\ud83d\\ude00\\uDBFF\\uDFFFz\"}"));
    assert_true(it.id_is_string);
    ASSERT_BYTES(it.id, it.id_len, "\"\\");
    ASSERT_BYTES(it.text, it.text_len,
                 "a\"b\\c/d\be\ff\ng\rh\ti" "A\xc3\xa9\xe2\x82\xac\xef\xbf\xbf\xf0\x9f\x98\x80"
                 "\xf4\x8f\xbf\xbfz");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\x\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\'\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\U0041\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\u12\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\u12g4\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\u\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\u00");
}

static void test_jsonl_nul_via_u0000_is_kept_in_text(void **state)
{
    cli_jsonl_item it = ok_item(L("{\"id\":\"n\",\"text\":\"a\\u0000b\"}"));
    ASSERT_BYTES(it.text, it.text_len, "a\0b");
    it = ok_item(L("{\"id\":\"n\\u0000\",\"text\":\"\\u0000\"}"));
    ASSERT_BYTES(it.id, it.id_len, "n\0");
    ASSERT_BYTES(it.text, it.text_len, "\0");
}

static void test_jsonl_surrogates_pair_or_fail(void **state)
{
    cli_jsonl_item it = ok_item(L("{\"id\":1,\"text\":\"\\uD834\\uDD1E\"}"));
    ASSERT_BYTES(it.text, it.text_len, "\xf0\x9d\x84\x9e");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\uD834\"}");         /* high alone */
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\uD834x\"}");        /* high, then a letter */
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\uD834\\n\"}");      /* high, then another escape */
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\uD834\\uD834\"}");  /* high, high */
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\uD834\\u0041\"}");  /* high, BMP */
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\uDD1E\"}");         /* low alone */
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\uDD1E\\uD834\"}");  /* reversed */
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\uD834\\uDD1\"}");   /* short low */
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\\udc00 x\",\"u\":1}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"u\":\"\\ud800\"}"); /* in ignored values too */
}

static void test_jsonl_control_characters_fail_in_strings(void **state)
{
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"a\x01\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"a\x1f\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"a\tb\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"a\nb\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"a\rb\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"a\0b\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"x\":\"\x02\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"k\x05\":1}");
    cli_jsonl_item it = ok_item(L("{\"id\":1,\"text\":\"a\x7f b\"}")); /* DEL is allowed */
    ASSERT_BYTES(it.text, it.text_len, "a\x7f b");
}

/* `seq` after `pad` bytes of a string and before 20 more, so that both the
 * vector loop and the byte loop meet it at every alignment. */
static cli_jsonl_status with_seq(const char *seq, size_t n, size_t pad, cli_jsonl_item *it)
{
    char line[512];
    size_t len = 0;
    len += (size_t)sprintf(line, "{\"id\":1,\"text\":\"");
    /* half the time after Arabic letters (2-byte sequences), else ASCII */
    for (size_t i = 0; i < pad; i++) {
        if (pad % 2 && i + 1 < pad) {
            line[len++] = (char)0xd8;
            line[len++] = (char)0xa8;
            i++;
        } else {
            line[len++] = 'a';
        }
    }
    memcpy(line + len, seq, n);
    len += n;
    for (size_t i = 0; i < 20; i++)
        line[len++] = "xy\xc3\xa9z"[i % 5];
    len += (size_t)sprintf(line + len, "\"}");
    return cli_jsonl_parse(&J, line, len, it, NULL);
}

static void test_jsonl_rejects_invalid_utf8_at_any_offset(void **state)
{
    static const struct {
        const char *s;
        size_t n;
    } bad[] = {
        {L("\x80")},                 /* lone continuation */
        {L("\xbf")},
        {L("\xc0\x80")},             /* overlong NUL */
        {L("\xc1\xbf")},             /* overlong */
        {L("\xc3")},                 /* truncated (then ASCII) */
        {L("\xc3\xc3\xa9")},         /* lead, lead */
        {L("\xe0\x80\x80")},         /* overlong 3-byte */
        {L("\xe0\x9f\xbf")},
        {L("\xed\xa0\x80")},         /* UTF-16 surrogate D800 */
        {L("\xed\xbf\xbf")},         /* DFFF */
        {L("\xe2\x82")},             /* truncated 3-byte */
        {L("\xf0\x80\x80\x80")},     /* overlong 4-byte */
        {L("\xf0\x8f\xbf\xbf")},
        {L("\xf4\x90\x80\x80")},     /* past U+10FFFF */
        {L("\xf5\x80\x80\x80")},
        {L("\xf0\x9f\x98")},         /* truncated 4-byte */
        {L("\xf8\x88\x80\x80\x80")}, /* 5-byte form */
        {L("\xfe")},
        {L("\xff")},
    };
    static const struct {
        const char *s;
        size_t n;
    } good[] = {
        {L("\xc2\x80")},         {L("\xdf\xbf")},         {L("\xe0\xa0\x80")},
        {L("\xed\x9f\xbf")},     {L("\xee\x80\x80")},     {L("\xef\xbf\xbf")},
        {L("\xf0\x90\x80\x80")}, {L("\xf4\x8f\xbf\xbf")}, {L("\xd8\xa8\xd8\xa8\xd8")},
    };
    cli_jsonl_item it;
    for (size_t pad = 0; pad < 40; pad++) {
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
            if (with_seq(bad[i].s, bad[i].n, pad, &it) != CLI_JSONL_EJSON)
                fail_msg("bad sequence %zu accepted after %zu bytes", i, pad);
        }
        for (size_t i = 0; i < sizeof good / sizeof *good - 1; i++) {
            if (with_seq(good[i].s, good[i].n, pad, &it) != CLI_JSONL_OK)
                fail_msg("good sequence %zu refused after %zu bytes", i, pad);
        }
        /* the last good one ends on a lead whose continuation is missing */
        assert_int_equal(with_seq(good[8].s, good[8].n, pad, &it), CLI_JSONL_EJSON);
    }
    /* outside strings, any non-ASCII byte is an error */
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\"}\xc2\xa0");
    ASSERT_JSON_ERR("\xef\xbb\xbf{\"id\":1,\"text\":\"\"}"); /* a BOM, as jansson */
}

/*---- Numbers, literals, structure ------------------------------------------*/

static void test_jsonl_numbers_follow_the_grammar(void **state)
{
    static const char *const good[] = {
        "0", "-0", "1", "-1", "10", "1.5", "-1.5e10", "1e5", "1E+5", "1e-5", "0.0", "0e0",
        "-0.0E-0", "1.7976931348623157e308", "1e308", "9.9e307", "1e-400", "4.9e-324",
        "123456789012345678901234567890.5", "0.000000000000000000000000001e330",
        "100e-2", "1e0000000000000000000000000001",
    };
    static const char *const bad[] = {
        "01", "-01", "00", "1.", ".5", "-", "-.5", "1e", "1e+", "1E-", "+1", "1.e5", "--1",
        "1e400", "-1e400", "1.8e308", "2e308", "0x10", "Infinity", "-Infinity", "NaN", "1.5.3",
        "1e5e5", "1ee5", "1e99999999999999999999999", "0.1e310", "- 1", "1 2",
    };
    char line[1024];
    /* DBL_MAX's shortest digits, as an integer: fine; one ulp-half above: overflow */
    int n = snprintf(line, sizeof line, "{\"id\":1,\"text\":\"\",\"x\":17976931348623157%0292d.0}", 0);
    assert_int_equal(st_of(line, (size_t)n), CLI_JSONL_OK);
    n = snprintf(line, sizeof line, "{\"id\":1,\"text\":\"\",\"x\":17976931348623159%0292d.0}", 0);
    assert_int_equal(st_of(line, (size_t)n), CLI_JSONL_EJSON);
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        n = snprintf(line, sizeof line, "{\"id\":1,\"text\":\"\",\"x\":%s}", good[i]);
        if (st_of(line, (size_t)n) != CLI_JSONL_OK)
            fail_msg("number %s refused", good[i]);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        n = snprintf(line, sizeof line, "{\"id\":1,\"text\":\"\",\"x\":%s}", bad[i]);
        if (st_of(line, (size_t)n) != CLI_JSONL_EJSON)
            fail_msg("number %s accepted", bad[i]);
        n = snprintf(line, sizeof line, "{\"id\":1,\"text\":\"\",\"x\":[%s]}", bad[i]);
        if (st_of(line, (size_t)n) != CLI_JSONL_EJSON)
            fail_msg("number [%s] accepted", bad[i]);
    }
}

static void test_jsonl_literals_are_exact(void **state)
{
    ASSERT_OK("{\"id\":1,\"text\":\"\",\"a\":[true,false,null]}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":True}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":nul}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":nullx}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":truefalse}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":true1}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":undefined}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":fals");
}

static void test_jsonl_structure_errors(void **state)
{
    ASSERT_JSON_ERR("");
    ASSERT_JSON_ERR("   \t");
    ASSERT_JSON_ERR("{");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\"");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":[1,]}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":[,1]}");
    ASSERT_JSON_ERR("{\"id\":1 \"text\":\"\"}");
    ASSERT_JSON_ERR("{\"id\" 1,\"text\":\"\"}");
    ASSERT_JSON_ERR("{\"id\":,\"text\":\"\"}");
    ASSERT_JSON_ERR("{id:1,\"text\":\"\"}");
    ASSERT_JSON_ERR("{'id':1,\"text\":\"\"}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\"/* c */}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":[1}]}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":{\"b\"}}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":{\"b\":1,}}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":{1:1}}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\",\"a\":\f1}"); /* form feed is not whitespace */
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"unterminated}");
}

static void test_jsonl_only_whitespace_may_follow(void **state)
{
    ASSERT_OK("{\"id\":1,\"text\":\"\"} \t\r\n");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\"} x");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\"}}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\"}{}");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\"},");
    ASSERT_JSON_ERR("{\"id\":1,\"text\":\"\"}\0");
}

static void test_jsonl_top_level_must_be_an_object(void **state)
{
    ASSERT_ST(CLI_JSONL_ENOTOBJECT, "[\"not\",\"an\",\"object\"]");
    ASSERT_ST(CLI_JSONL_ENOTOBJECT, " [] ");
    ASSERT_JSON_ERR("[1,");
    ASSERT_JSON_ERR("[] x");
    ASSERT_JSON_ERR("\"s\"");
    ASSERT_JSON_ERR("1");
    ASSERT_JSON_ERR("null");
    ASSERT_JSON_ERR("true");
}

/* `{"id":1,"text":"","x":` + n arrays around `inner` + `}`. */
static cli_jsonl_status nested(size_t n, const char *inner, json_t **jansson)
{
    size_t cap = n * 2 + 64, len = 0;
    char *line = malloc(cap);
    if (!line)
        abort();
    len += (size_t)sprintf(line, "{\"id\":1,\"text\":\"\",\"x\":");
    for (size_t i = 0; i < n; i++)
        line[len++] = '[';
    memcpy(line + len, inner, strlen(inner));
    len += strlen(inner);
    for (size_t i = 0; i < n; i++)
        line[len++] = ']';
    line[len++] = '}';
    cli_jsonl_status st = st_of(line, len);
    json_error_t e;
    *jansson = json_loadb(line, len, JSON_ALLOW_NUL, &e);
    free(line);
    return st;
}

static void test_jsonl_nesting_limit_matches_jansson(void **state)
{
    /* The object is depth 1, its member values 2: the innermost empty array
     * of n arrays sits at 1 + n, a scalar inside it at 2 + n. */
    json_t *root;
    assert_int_equal(nested(CLI_JSONL_MAX_DEPTH - 1, "", &root), CLI_JSONL_OK);
    assert_non_null(root);
    json_decref(root);
    assert_int_equal(nested(CLI_JSONL_MAX_DEPTH, "", &root), CLI_JSONL_EJSON);
    assert_null(root);
    assert_int_equal(nested(CLI_JSONL_MAX_DEPTH - 2, "1", &root), CLI_JSONL_OK);
    assert_non_null(root);
    json_decref(root);
    assert_int_equal(nested(CLI_JSONL_MAX_DEPTH - 1, "1", &root), CLI_JSONL_EJSON);
    assert_null(root);
    assert_int_equal(nested(CLI_JSONL_MAX_DEPTH - 2, "{}", &root), CLI_JSONL_OK);
    json_decref(root);
    assert_int_equal(nested(CLI_JSONL_MAX_DEPTH - 2, "{\"a\":1}", &root), CLI_JSONL_EJSON);
    assert_null(root);
    assert_int_equal(nested(100000, "", &root), CLI_JSONL_EJSON); /* no recursion to blow */
    assert_null(root);
}

static void test_jsonl_errors_give_message_and_column(void **state)
{
    cli_jsonl_item it;
    cli_jsonl_error err;
    assert_int_equal(cli_jsonl_parse(&J, L("{\"id\":1,\"text\":\"abc"), &it, &err),
                     CLI_JSONL_EJSON);
    assert_string_equal(err.message, "unterminated string (end of line)");
    assert_int_equal(err.column, 20);
    /* columns count characters, not bytes */
    assert_int_equal(cli_jsonl_parse(&J, L("{\"id\":\"\xc3\xa9\xc3\xa9\",x}"), &it, &err),
                     CLI_JSONL_EJSON);
    assert_int_equal(err.column, 12);
    assert_string_equal(err.message, "a string key or '}' expected");
    assert_int_equal(cli_jsonl_parse(&J, L("{\"id\":1,\"text\":\"\\q\"}"), &it, &err),
                     CLI_JSONL_EJSON);
    assert_int_equal(err.column, 17);
    assert_string_equal(err.message, "invalid escape '\\q'");
    assert_int_equal(cli_jsonl_parse(&J, L("{\"id\":1,\"text\":\"\\udc00\"}"), &it, &err),
                     CLI_JSONL_EJSON);
    assert_string_equal(err.message, "invalid Unicode: lone low surrogate \\uDC00");
    assert_int_equal(cli_jsonl_parse(&J, L("{\"id\":1,\"text\":\"\",\"n\":01}"), &it, &err),
                     CLI_JSONL_EJSON);
    assert_int_equal(err.column, 23);
    assert_string_equal(err.message, "invalid number: leading zero");
    assert_int_equal(cli_jsonl_parse(&J, L(""), &it, &err), CLI_JSONL_EJSON);
    assert_string_equal(err.message, "empty line");
    assert_int_equal(err.column, 1);
    assert_int_equal(cli_jsonl_parse(&J, L("[1]"), &it, &err), CLI_JSONL_ENOTOBJECT);
    assert_string_equal(err.message, "expected a JSON object");
    assert_int_equal(err.column, 0);
}

static void test_jsonl_scratch_is_reused_across_lines(void **state)
{
    cli_jsonl j = {0};
    size_t big = 100000;
    char *line = malloc(big + 64);
    if (!line)
        abort();
    size_t len = (size_t)sprintf(line, "{\"id\":\"b\",\"text\":\"");
    for (size_t i = 0; i < big / 2; i++) {
        line[len++] = '\\';
        line[len++] = 'n';
    }
    len += (size_t)sprintf(line + len, "\",\"lang\":\"en\"}");
    cli_jsonl_item it;
    assert_int_equal(cli_jsonl_parse(&j, line, len, &it, NULL), CLI_JSONL_OK);
    assert_int_equal(it.text_len, big / 2);
    assert_int_equal(it.text[0], '\n');
    assert_string_equal(it.lang, "en");
    char *buf = j.buf;
    size_t cap = j.cap;
    assert_true(cap >= len);
    assert_int_equal(cli_jsonl_parse(&j, L("{\"id\":\"s\",\"text\":\"\\t\"}"), &it, NULL),
                     CLI_JSONL_OK);
    assert_ptr_equal(j.buf, buf); /* no allocation for a shorter line */
    assert_int_equal(j.cap, cap);
    ASSERT_BYTES(it.text, it.text_len, "\t");
    free(line);
    cli_jsonl_free(&j);
    assert_null(j.buf);
    cli_jsonl_free(&j); /* twice is fine */
}

static void test_jsonl_raw_nul_after_a_number_is_an_error(void **state)
{
    /* jansson skips one raw NUL after a number or literal; we do not. */
    static const char line[] = "{\"id\":1\0,\"text\":\"\"}";
    json_error_t e;
    json_t *root = json_loadb(line, sizeof line - 1, JSON_ALLOW_NUL, &e);
    assert_non_null(root);
    json_decref(root);
    assert_int_equal(st_of(line, sizeof line - 1), CLI_JSONL_EJSON);
}

/*---- Differential: against jansson -------------------------------------------*/

typedef struct outcome {
    cli_jsonl_status status;
    bool id_is_string, has_lang;
    char id[64];
    size_t id_len;
    const char *text, *lang;
    size_t text_len, lang_len;
    json_t *root; /* keeps jansson's strings alive */
} outcome;

/* What `scan` did before: json_loadb and the same field rules. */
static outcome by_jansson(const char *line, size_t len)
{
    outcome o = {0};
    json_error_t e;
    json_t *root = json_loadb(line, len, JSON_ALLOW_NUL, &e);
    o.root = root;
    if (!root) {
        o.status = CLI_JSONL_EJSON;
        return o;
    }
    json_t *id = json_object_get(root, "id"), *text = json_object_get(root, "text");
    json_t *lang = json_object_get(root, "lang");
    if (!json_is_object(root)) {
        o.status = CLI_JSONL_ENOTOBJECT;
    } else if (json_is_string(id)) {
        o.id_is_string = true;
        o.id_len = json_string_length(id) < sizeof o.id ? json_string_length(id) : sizeof o.id;
        memcpy(o.id, json_string_value(id), o.id_len);
    } else if (json_is_integer(id)) {
        o.id_len = (size_t)snprintf(o.id, sizeof o.id, "%lld", (long long)json_integer_value(id));
    } else {
        o.status = CLI_JSONL_EID;
    }
    if (o.status != CLI_JSONL_OK)
        return o;
    if (!json_is_string(text))
        o.status = CLI_JSONL_ETEXT;
    else if (lang && !json_is_null(lang) && !json_is_string(lang))
        o.status = CLI_JSONL_ELANG;
    if (o.status != CLI_JSONL_OK)
        return o;
    o.text = json_string_value(text);
    o.text_len = json_string_length(text);
    if (json_is_string(lang)) {
        o.has_lang = true;
        o.lang = json_string_value(lang);
        o.lang_len = json_string_length(lang);
    }
    return o;
}

static outcome by_jsonl(const char *line, size_t len)
{
    outcome o = {0};
    cli_jsonl_item it;
    o.status = cli_jsonl_parse(&J, line, len, &it, NULL);
    if (o.status != CLI_JSONL_OK)
        return o;
    o.id_is_string = it.id_is_string;
    o.id_len = it.id_len < sizeof o.id ? it.id_len : sizeof o.id;
    memcpy(o.id, it.id, o.id_len);
    o.text = it.text;
    o.text_len = it.text_len;
    o.has_lang = it.lang != NULL;
    o.lang = it.lang;
    o.lang_len = it.lang_len;
    if (o.lang && o.lang[o.lang_len] != '\0')
        o.status = (cli_jsonl_status)-1; /* lang must be NUL-terminated */
    return o;
}

static bool same(const outcome *a, const outcome *b)
{
    if (a->status != b->status)
        return false;
    if (a->status != CLI_JSONL_OK)
        return true;
    return a->id_is_string == b->id_is_string && a->id_len == b->id_len &&
           !memcmp(a->id, b->id, a->id_len) && a->text_len == b->text_len &&
           !memcmp(a->text, b->text, a->text_len) && a->has_lang == b->has_lang &&
           a->lang_len == b->lang_len && (!a->has_lang || !memcmp(a->lang, b->lang, a->lang_len));
}

/* Compare on one line; returns 1 if jansson accepted it. */
static int differ_check(const char *line, size_t len)
{
    outcome want = by_jansson(line, len), got = by_jsonl(line, len);
    bool ok = same(&want, &got);
    if (!ok && want.status != CLI_JSONL_EJSON && got.status == CLI_JSONL_EJSON &&
        memchr(line, '\0', len)) {
        /* jansson's one known laxity: it skips a raw NUL after a number or a
         * literal. What it accepted must read the same without the NULs. */
        char *s = malloc(len);
        if (!s)
            abort();
        size_t n = 0;
        for (size_t i = 0; i < len; i++)
            if (line[i])
                s[n++] = line[i];
        got = by_jsonl(s, n);
        ok = same(&want, &got);
        free(s);
    }
    if (!ok) {
        fprintf(stderr, "disagreement (jansson %d, jsonl %d) on %zu bytes:", (int)want.status,
                (int)got.status, len);
        for (size_t i = 0; i < len; i++)
            fprintf(stderr, (unsigned char)line[i] >= 0x20 && (unsigned char)line[i] < 0x7f
                                ? "%c" : "\\x%02x", (unsigned char)line[i]);
        fprintf(stderr, "\n");
    }
    json_decref(want.root);
    assert_true(ok);
    return want.status == CLI_JSONL_OK;
}

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

typedef struct gen {
    char buf[4096];
    size_t len;
} gen;

static void put(gen *g, const char *s, size_t n)
{
    if (g->len + n < sizeof g->buf) {
        memcpy(g->buf + g->len, s, n);
        g->len += n;
    }
}

static void puts_(gen *g, const char *s)
{
    put(g, s, strlen(s));
}

static void ws(gen *g)
{
    static const char *const w[] = {"", "", "", " ", "\t", " \r\n "};
    puts_(g, w[rnd(6)]);
}

static void gen_string(gen *g)
{
    static const char *const parts[] = {
        "a", "word ", "Z", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0041",
        "\\u00e9", "\\u20ac", "\\uD83D\\uDE00", "\\u0000", "\xc3\xa9", "\xd9\x83\xd8\xa8",
        "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xe0\xa4\x95", "\x7f", "0123456789abcdef",
        "\xd8\xa7\xd9\x84\xd9\x82\xd8\xaa\xd9\x84 ", "id", "text", "lang",
    };
    puts_(g, "\"");
    for (uint32_t n = rnd(12); n; n--)
        puts_(g, parts[rnd(sizeof parts / sizeof *parts)]);
    puts_(g, "\"");
}

static void gen_number(gen *g)
{
    static const char *const nums[] = {
        "0", "-0", "7", "-42", "1.5", "-0.25", "1e5", "2E-3", "1e+2", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "1e308", "1.7976931348623157e308",
        "1.7976931348623159e308", "4.9e-324", "1e-400", "123.456e7", "0.5e309",
    };
    puts_(g, nums[rnd(sizeof nums / sizeof *nums)]);
}

static void gen_value(gen *g, int depth)
{
    switch (rnd(depth > 3 ? 6 : 8)) {
    case 0: case 1: gen_string(g); break;
    case 2: gen_number(g); break;
    case 3: puts_(g, "true"); break;
    case 4: puts_(g, "false"); break;
    case 5: puts_(g, "null"); break;
    case 6:
        puts_(g, "[");
        for (uint32_t n = rnd(4), i = 0; i < n; i++) {
            if (i)
                puts_(g, ",");
            ws(g);
            gen_value(g, depth + 1);
            ws(g);
        }
        puts_(g, "]");
        break;
    default:
        puts_(g, "{");
        for (uint32_t n = rnd(4), i = 0; i < n; i++) {
            if (i)
                puts_(g, ",");
            ws(g);
            gen_string(g);
            ws(g);
            puts_(g, ":");
            ws(g);
            gen_value(g, depth + 1);
        }
        puts_(g, "}");
    }
}

/* A line that is mostly right: id, text, maybe lang, other keys, any order. */
static void gen_line(gen *g)
{
    g->len = 0;
    ws(g);
    puts_(g, "{");
    uint32_t n = 2 + rnd(5);
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            puts_(g, ",");
        ws(g);
        uint32_t k = i < 2 ? i : rnd(5);
        switch (k) {
        case 0:
            puts_(g, rnd(8) ? "\"id\"" : "\"\\u0069d\"");
            puts_(g, ":");
            if (rnd(3))
                gen_string(g);
            else if (rnd(6))
                gen_number(g);
            else
                gen_value(g, 2);
            break;
        case 1:
            puts_(g, "\"text\":");
            if (rnd(10))
                gen_string(g);
            else
                gen_value(g, 2);
            break;
        case 2:
            puts_(g, "\"lang\":");
            ws(g);
            if (rnd(3))
                gen_string(g);
            else if (rnd(2))
                puts_(g, "null");
            else
                gen_value(g, 2);
            break;
        default:
            gen_string(g);
            ws(g);
            puts_(g, ":");
            ws(g);
            gen_value(g, 2);
        }
        ws(g);
    }
    puts_(g, "}");
    ws(g);
}

static void mutate(gen *g)
{
    static const char *const bits[] = {
        "\"", "\\", "\\u", "\\ud800", "\\udc00", "{", "}", "[", "]", ",", ":", "0", "-", ".",
        "e", "1e400", "\0", "\x1f", "\x80", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
        "\xe2\x82", "\xc3", " ", "\n", "null", "tru", "\\u0000", "00", "\"id\":1", "\xff",
    };
    for (uint32_t m = 1 + rnd(3); m; m--) {
        if (!g->len)
            return;
        size_t at = rnd((uint32_t)g->len);
        switch (rnd(5)) {
        case 0: /* delete a few bytes */
        {
            size_t n = 1 + rnd(3);
            if (at + n > g->len)
                n = g->len - at;
            memmove(g->buf + at, g->buf + at + n, g->len - at - n);
            g->len -= n;
            break;
        }
        case 1: /* truncate */
            g->len = at;
            break;
        case 2: /* overwrite one byte */
            g->buf[at] = (char)rnd(256);
            break;
        default: /* insert a troublesome piece */
        {
            uint32_t b = rnd(sizeof bits / sizeof *bits);
            size_t n = b == 16 ? 1 : strlen(bits[b]);
            if (g->len + n >= sizeof g->buf)
                break;
            memmove(g->buf + at + n, g->buf + at, g->len - at);
            memcpy(g->buf + at, bits[b], n);
            g->len += n;
        }
        }
    }
}

static void test_jsonl_agrees_with_jansson_on_generated_lines(void **state)
{
    gen g;
    int accepted = 0, refused = 0, mutated_accepted = 0;
    for (int i = 0; i < 3000; i++) {
        gen_line(&g);
        int a = differ_check(g.buf, g.len);
        accepted += a;
        refused += !a;
        for (int k = 0; k < 3; k++) {
            gen_line(&g);
            mutate(&g);
            a = differ_check(g.buf, g.len);
            mutated_accepted += a;
            refused += !a;
        }
    }
    /* the corpus must exercise both sides */
    assert_true(accepted > 1000);
    assert_true(mutated_accepted > 300);
    assert_true(refused > 3000);
}

static void test_jsonl_agrees_with_jansson_on_hand_picked_lines(void **state)
{
    static const struct {
        const char *s;
        size_t n;
    } lines[] = {
        {L("{\"id\":\"ok-1\",\"text\":\"free money for all\"}")},
        {L("{\"id\":\"bad-json\", \"text\": ")},
        {L("[\"not\",\"an\",\"object\"]")},
        {L("{\"id\":\"utf8\",\"text\":\"bad \\udc00 surrogate\"}")},
        {L("{\"id\":\"raw\",\"text\":\"\xff\xfe\"}")},
        {L("{\"id\":1,\"text\":\"\",\"x\":1.7976931348623158e308}")},
        {L("{\"id\":1,\"text\":\"\",\"x\":1.7976931348623159e308}")},
        {L("{\"id\":1,\"text\":\"\",\"x\":1e-99999999999}")},
        {L("{\"id\":1,\"text\":\"\",\"x\":0e99999999999}")},
        {L("{\"id\":1,\"text\":\"\",\"x\":-0.0e400}")},
        {L("{\"id\":-0,\"text\":\"\\u0000\",\"lang\":\"\\u0000\"}")},
        {L("{\"id\":\"\",\"text\":\"\",\"lang\":\"\"}")},
        {L("{\"id\":1,\"text\":\"\",\"\":1}")},
        {L("{\"id\":1,\"text\":\"\",\"lang\":\"x\",\"lang\":7}")},
        {L("{\"id\":1,\"text\":\"a\"}\0")},
        {L("{\"id\":1\0}")},
        {L("{\"id\":true\0,\"text\":\"\"}")},
        {L("{\"id\":1,\"text\":\"\",\"a\":[null\0]}")},
        {L("{\"id\":1,\"text\":\"\",\"a\":[1\0\0]}")},
        {L("{\"id\":1,\"text\":\"\",\"a\":[1.5\0]}")},
        {L("{\"id\":1,\"text\":\"\",\"a\":[1\0 2]}")},
        {L("{\"id\":1,\"text\":\"\",\"a\":[0\0]}")},
        {L("{\"id\":1,\"text\":\"\",\"a\":[\"s\"\0]}")},
        {L("\0{\"id\":1,\"text\":\"\"}")},
        {L("{\"id\":1,\"text\":\"\"}\r")},
        {L("{\"id\":1,\"text\":\"\\uD83D\\uDE00\\uD83D\"}")},
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        differ_check(lines[i].s, lines[i].n);

    /* Reals at the overflow threshold, 2^1024 - 2^970 (half-way from DBL_MAX
     * to 2^1024, which rounds up): below, at, above; more than 400
     * significant digits; and as 0.digits e309. */
    static const char half[] =
        "1797693134862315807937289714053034150799341327100378269361737789804449682927647509466490"
        "1797758720709633028641669288791094655554785194040263065748867150582068190890200070838367"
        "6273854845817711531764475730270069855571366959622842914819860834936475292719074168444365"
        "510704342711559699508093042880177904174497792";
    static const char *const forms[] = {
        "%.308s1.0",  "%.308s2", "%.308s3", "%s.%0120d1", "%.308s1.%0120d", "0.%se309",
        "-%s",        "%.308s1.9999999999999999999999999999999999999999999999999999999999999999"
                      "999999999999999999999999999999999999999999999999999999999999999999999999"
                      "99999999999999999999999999999999999999999999999999999999999999999999999",
    };
    assert_int_equal(strlen(half), 309);
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        char num[1024], line[1100];
        snprintf(num, sizeof num, forms[i], half, 0);
        int n = snprintf(line, sizeof line, "{\"id\":1,\"text\":\"\",\"x\":%s}", num);
        differ_check(line, (size_t)n);
        n = snprintf(line, sizeof line, "{\"id\":1,\"text\":\"\",\"x\":%se-1}", num);
        differ_check(line, (size_t)n);
    }
}

static int teardown_scratch(void **state)
{
    cli_jsonl_free(&J);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl_reads_id_text_and_lang),
        cmocka_unit_test(test_jsonl_plain_strings_point_into_the_line),
        cmocka_unit_test(test_jsonl_lang_absent_null_or_string),
        cmocka_unit_test(test_jsonl_refuses_missing_or_mistyped_fields),
        cmocka_unit_test(test_jsonl_integer_ids_at_the_int64_bounds),
        cmocka_unit_test(test_jsonl_duplicate_keys_keep_the_last),
        cmocka_unit_test(test_jsonl_escaped_keys_are_compared_decoded),
        cmocka_unit_test(test_jsonl_ignores_other_keys_of_every_type),
        cmocka_unit_test(test_jsonl_decodes_every_escape),
        cmocka_unit_test(test_jsonl_nul_via_u0000_is_kept_in_text),
        cmocka_unit_test(test_jsonl_surrogates_pair_or_fail),
        cmocka_unit_test(test_jsonl_control_characters_fail_in_strings),
        cmocka_unit_test(test_jsonl_rejects_invalid_utf8_at_any_offset),
        cmocka_unit_test(test_jsonl_numbers_follow_the_grammar),
        cmocka_unit_test(test_jsonl_literals_are_exact),
        cmocka_unit_test(test_jsonl_structure_errors),
        cmocka_unit_test(test_jsonl_only_whitespace_may_follow),
        cmocka_unit_test(test_jsonl_top_level_must_be_an_object),
        cmocka_unit_test(test_jsonl_nesting_limit_matches_jansson),
        cmocka_unit_test(test_jsonl_errors_give_message_and_column),
        cmocka_unit_test(test_jsonl_scratch_is_reused_across_lines),
        cmocka_unit_test(test_jsonl_raw_nul_after_a_number_is_an_error),
        cmocka_unit_test(test_jsonl_agrees_with_jansson_on_hand_picked_lines),
        cmocka_unit_test(test_jsonl_agrees_with_jansson_on_generated_lines),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_scratch);
}
