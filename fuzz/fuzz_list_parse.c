/*
 * fuzz/fuzz_list_parse.c - the list import format (ar_list_parse) on
 * arbitrary bytes. The first byte picks the kind (url or pdq). Checks:
 *   - every entry handed out is normalised: normalising it again gives it
 *     back, and a pdq value is 64 lowercase hex digits;
 *   - a note is one line of UTF-8 without control characters;
 *   - entries and reported errors come in increasing line order, and
 *     entries + invalid lines never exceed the lines of the input;
 *   - the report names at most AR_LIST_IMPORT_MAX_ERRORS lines.
 */
#include "arbiter/lists.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #x);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

typedef struct seen {
    ar_list_kind kind;
    unsigned last_line;
    size_t n;
} seen;

static ar_status take(void *ud, unsigned line, const char *value, const char *note, ar_error *err)
{
    (void)err;
    seen *s = ud;
    CHECK(line > s->last_line);
    s->last_line = line;
    s->n++;
    char again[AR_URL_EXPR_MAX + 1];
    CHECK(value[0] != '\0');
    CHECK(ar_list_value_normalize(s->kind, value, strlen(value), again, sizeof again, NULL) ==
          AR_OK);
    CHECK(strcmp(again, value) == 0);
    if (s->kind == AR_LIST_PDQ) {
        CHECK(strlen(value) == AR_PDQ_HEX_LEN);
        for (const char *p = value; *p; p++)
            CHECK((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'));
    }
    if (note) {
        CHECK(note[0] != '\0');
        CHECK(ar_list_note_check(note, strlen(note), NULL) == AR_OK);
    }
    return AR_OK;
}

static ar_list_report report;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    seen s = {(data[0] & 1) ? AR_LIST_PDQ : AR_LIST_URL, 0, 0};
    const char *text = (const char *)data + 1;
    size_t len = size - 1, lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    lines += len > 0;
    memset(&report, 0, sizeof report);
    ar_status st = ar_list_parse(s.kind, text, len, take, &s, &report, NULL);
    CHECK(st == AR_OK || st == AR_ETOOBIG);
    CHECK(s.n + report.invalid <= lines);
    CHECK(report.nerrors <= AR_LIST_IMPORT_MAX_ERRORS && report.nerrors <= report.invalid);
    for (size_t i = 1; i < report.nerrors; i++)
        CHECK(report.errors[i].line > report.errors[i - 1].line);
    return 0;
}
