/*
 * import.c - the list import format (arbiter/lists.h): one entry per line,
 * '#' starts a comment, blank lines skipped, an entry may be followed by
 * blanks and a note. Pure: no store, so the parser is fuzzed on its own
 * (fuzz/fuzz_list_parse.c) and the workflow only stores what it yields.
 */
#include "arbiter/lists.h"
#include "arbiter/text.h"
#include "common/common_int.h"

#include <stdio.h>

ar_status ar_list_note_check(const char *s, size_t n, ar_error *err)
{
    if (n > AR_LIST_NOTE_MAX)
        return ar_error_set(err, AR_ETOOBIG, "note", "a note is at most %u bytes",
                            AR_LIST_NOTE_MAX);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return ar_error_set(err, AR_EINVAL, "note",
                                "a note is one line without control characters");
    if (!ar_text_utf8_valid(s, n))
        return ar_error_set(err, AR_EINVAL, "note", "a note must be UTF-8");
    return AR_OK;
}

void ar_list_report_invalid(ar_list_report *r, unsigned line, const ar_error *e)
{
    r->invalid++;
    if (r->nerrors == AR_LIST_IMPORT_MAX_ERRORS)
        return;
    r->errors[r->nerrors].line = line;
    snprintf(r->errors[r->nerrors].message, sizeof r->errors[0].message, "%s", e->message);
    r->nerrors++;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* One line [b, end) without its comment: value, then an optional note. */
static ar_status one_line(ar_list_kind kind, const char *b, const char *end, unsigned line,
                          ar_list_entry_fn fn, void *ud, ar_list_report *r, ar_error *err)
{
    const char *v = b;
    while (v < end && !blank(*v))
        v++;
    const char *nb = v;
    while (nb < end && blank(*nb))
        nb++;
    char value[AR_URL_EXPR_MAX + 1], note[AR_LIST_NOTE_MAX + 1];
    ar_error e = {0};
    size_t nl = (size_t)(end - nb);
    ar_status st = ar_list_value_normalize(kind, b, (size_t)(v - b), value, sizeof value, &e);
    if (st == AR_OK && nl)
        st = ar_list_note_check(nb, nl, &e);
    if (st != AR_OK) {
        ar_list_report_invalid(r, line, &e);
        return AR_OK;
    }
    memcpy(note, nb, nl);
    note[nl] = '\0';
    return fn(ud, line, value, nl ? note : NULL, err);
}

ar_status ar_list_parse(ar_list_kind kind, const char *text, size_t len, ar_list_entry_fn fn,
                        void *ud, ar_list_report *r, ar_error *err)
{
    if ((!text && len) || !fn || !r)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_list_parse: NULL argument");
    if (len > AR_LIST_IMPORT_MAX_BYTES)
        return ar_error_set(err, AR_ETOOBIG, "body", "an import is at most %u bytes",
                            AR_LIST_IMPORT_MAX_BYTES);
    unsigned line = 0;
    size_t entries = 0;
    for (size_t i = 0; i < len;) {
        const char *s = text + i, *nl = memchr(s, '\n', len - i);
        const char *eol = nl ? nl : text + len, *end = memchr(s, '#', (size_t)(eol - s));
        i = (size_t)(eol - text) + 1;
        line++;
        if (!end)
            end = eol;
        while (s < end && blank(*s))
            s++;
        while (end > s && blank(end[-1]))
            end--;
        if (s == end)
            continue;
        if (++entries > AR_LIST_IMPORT_MAX_ENTRIES)
            return ar_error_set(err, AR_ETOOBIG, "body", "an import holds at most %u entries",
                                AR_LIST_IMPORT_MAX_ENTRIES);
        ar_status st = one_line(kind, s, end, line, fn, ud, r, err);
        if (st != AR_OK)
            return st;
    }
    return AR_OK;
}
