/* tests/http/test_multipart.c - the multipart/form-data parser behind
 * HMA's uploads: boundaries quoted or not, preamble and epilogue, files
 * and fields, and each malformed shape refused with the field it names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http/multipart.h"

static void test_multipart_boundary_forms(void **state)
{
    (void)state;
    char b[AR_MULTIPART_BOUNDARY_MAX + 1];
    assert_int_equal(ar_multipart_boundary("multipart/form-data; boundary=abc", b, NULL), AR_OK);
    assert_string_equal(b, "abc");
    assert_int_equal(ar_multipart_boundary("Multipart/Form-Data; charset=utf-8; "
                                           "BOUNDARY=\"a b:c\"",
                                           b, NULL),
                     AR_OK);
    assert_string_equal(b, "a b:c");
    ar_error err;
    assert_int_equal(ar_multipart_boundary(NULL, b, &err), AR_EINVAL);
    assert_string_equal(err.field, "content-type");
    assert_int_equal(ar_multipart_boundary("application/json", b, &err), AR_EINVAL);
    assert_int_equal(ar_multipart_boundary("multipart/form-data", b, &err), AR_EINVAL);
    assert_int_equal(ar_multipart_boundary("multipart/form-dataX; boundary=a", b, &err), AR_EINVAL);
    assert_int_equal(ar_multipart_boundary("multipart/form-data; boundary=", b, &err), AR_EINVAL);
    assert_int_equal(ar_multipart_boundary("multipart/form-data; boundary=\"ab", b, &err),
                     AR_EINVAL);
    assert_int_equal(ar_multipart_boundary("multipart/form-data; boundary=a<b", b, &err),
                     AR_EINVAL);
    char longb[128] = "multipart/form-data; boundary=";
    memset(longb + strlen(longb), 'x', 71);
    assert_int_equal(ar_multipart_boundary(longb, b, &err), AR_EINVAL);
    assert_string_equal(b, "");
}

#define OK_BODY                                                                                    \
    "preamble\r\n--B\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n"    \
    "Content-Type: image/jpeg\r\n\r\nJPEG--B\r\nbytes\r\n--B   \r\ncontent-disposition: "     \
    "form-data; name=note\r\n\r\nhi\r\n--B--\r\nepilogue"

static void test_multipart_parses_files_and_fields(void **state)
{
    (void)state;
    ar_multipart m;
    const char *body = OK_BODY;
    ar_error err;
    if (ar_multipart_parse(body, strlen(body), "B", &m, &err) != AR_OK)
        fail_msg("%s", err.message);
    assert_int_equal(m.n, 2);
    assert_string_equal(m.parts[0].name, "photo");
    assert_true(m.parts[0].is_file);
    /* "--B" inside the data is no delimiter unless a line starts with it */
    assert_int_equal(m.parts[0].len, strlen("JPEG--B\r\nbytes"));
    assert_memory_equal(m.parts[0].data, "JPEG--B\r\nbytes", m.parts[0].len);
    assert_string_equal(m.parts[1].name, "note");
    assert_false(m.parts[1].is_file);
    assert_int_equal(m.parts[1].len, 2);
    assert_memory_equal(m.parts[1].data, "hi", 2);
    assert_ptr_equal(ar_multipart_get(&m, "note"), &m.parts[1]);
    assert_null(ar_multipart_get(&m, "video"));
}

static void refused(const char *body, ar_status want)
{
    ar_multipart m;
    ar_error err = {0};
    ar_status st = ar_multipart_parse(body, strlen(body), "B", &m, &err);
    if (st != want)
        fail_msg("%s for %s, expected %s", ar_status_name(st), body, ar_status_name(want));
    assert_int_equal(m.n, 0);
    assert_string_equal(err.field, "body");
}

static void test_multipart_refuses_malformed_bodies(void **state)
{
    (void)state;
    refused("", AR_EINVAL);
    refused("no boundary at all", AR_EINVAL);
    refused("--B--\r\n", AR_EINVAL); /* no parts */
    refused("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx", AR_EINVAL); /* no end */
    refused("--B\r\nContent-Disposition: form-data; name=\"a\"\r\nx\r\n--B--", AR_EINVAL);
    refused("--B\r\n\r\nx\r\n--B--", AR_EINVAL);                               /* no headers */
    refused("--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--", AR_EINVAL);   /* no disposition */
    refused("--B\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--B--", AR_EINVAL);
    refused("--B\r\nContent-Disposition: form-data; filename=a\r\n\r\nx\r\n--B--", AR_EINVAL);
    refused("--B\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--B--", AR_EINVAL);
    refused("--B\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--B--", AR_EINVAL);
    refused("--B\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--B--", AR_EINVAL);
    refused("--B\r\nContent-Disposition: form-data; name=a\r\n folded\r\n\r\nx\r\n--B--",
            AR_EINVAL);
    refused("--Bjunk\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--B--", AR_EINVAL);
    char many[2048] = "";
    for (int i = 0; i < AR_MULTIPART_MAX_PARTS + 1; i++)
        strcat(many, "--B\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n");
    strcat(many, "--B--");
    refused(many, AR_ETOOBIG);
    static char big[AR_MULTIPART_HEADERS_MAX + 200];
    strcpy(big, "--B\r\nContent-Disposition: form-data; name=a\r\nX-Pad: ");
    memset(big + strlen(big), 'p', AR_MULTIPART_HEADERS_MAX);
    strcat(big, "\r\n\r\nx\r\n--B--");
    refused(big, AR_ETOOBIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_multipart_boundary_forms),
        cmocka_unit_test(test_multipart_parses_files_and_fields),
        cmocka_unit_test(test_multipart_refuses_malformed_bodies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
