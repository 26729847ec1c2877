/*
 * jsonl.h - one line of `arbiter scan` input: a strict JSON reader that
 * validates the whole line and picks out "id", "text" and "lang" without
 * building a tree or allocating; for "links" and "image_hashes" it gives
 * the raw JSON of the value (validated, not interpreted), so lines without
 * them pay nothing and the caller reads them only when they are there.
 *
 * A line is one JSON object (RFC 8259), optionally surrounded by whitespace:
 *   {"id": "..." | integer, "text": "...", "lang": "..." | null, ...}
 * Other keys may hold any JSON value; they are validated and skipped.
 *
 * What is accepted is what jansson's json_loadb(line, len, JSON_ALLOW_NUL)
 * accepts, which `scan` used before (tests/cli/test_jsonl.c and
 * fuzz/fuzz_scan_line.c check the two against each other):
 * - strings: every escape; \uXXXX with surrogate pairs (a lone surrogate is
 *   an error); raw bytes must be valid UTF-8 (no overlongs, no surrogates,
 *   nothing past U+10FFFF); control characters below 0x20 are errors;
 *   \u0000 is allowed in values (text may hold NUL bytes) but not in keys;
 * - numbers per the grammar (no leading zeros, no "1." or ".5"); an integer
 *   outside int64 is an error, and so is a real that overflows a double,
 *   wherever they appear;
 * - nesting up to CLI_JSONL_MAX_DEPTH values deep, the top-level object
 *   being depth 1;
 * - duplicate keys: the last one wins, as in jansson.
 * One deliberate difference: jansson skips a single raw NUL byte straight
 * after a number or a literal ("{\"a\":1\0}" loads); here that is an error.
 *
 * Speed: string bodies are scanned 16 bytes at a time (SSE2) for quotes,
 * backslashes, control bytes and non-ASCII; ASCII and 2-byte UTF-8 are
 * checked in the vector loop, longer sequences one at a time. Strings
 * without escapes are returned as pointers into the line; escaped ones are
 * decoded into a scratch buffer kept in `cli_jsonl`, which grows to the
 * longest line seen and is then reused: no allocation per line.
 *
 * THREAD SAFETY: a `cli_jsonl` belongs to one thread at a time; any number
 * of them may parse at once.
 */
#ifndef AR_CLI_JSONL_H
#define AR_CLI_JSONL_H

#include <stdbool.h>
#include <stddef.h>

#define CLI_JSONL_MAX_DEPTH 2048 /* as jansson's JSON_PARSER_MAX_DEPTH */

typedef enum cli_jsonl_status {
    CLI_JSONL_OK = 0,
    CLI_JSONL_EJSON,      /* not JSON, or not one value: message and column say where */
    CLI_JSONL_ENOTOBJECT, /* valid JSON, but an array */
    CLI_JSONL_EID,        /* "id" missing, or neither a string nor an integer */
    CLI_JSONL_ETEXT,      /* "text" missing or not a string */
    CLI_JSONL_ELANG,      /* "lang" present and neither null nor a string */
    CLI_JSONL_ENOMEM,     /* the scratch buffer could not grow */
} cli_jsonl_status;

/* Reusable scratch for one thread: zero-initialise, free with cli_jsonl_free(). */
typedef struct cli_jsonl {
    char *buf; /* decoded strings of the last line */
    size_t cap;
} cli_jsonl;

/* The fields of one line. Borrowed: the pointers lead into the line or into
 * the cli_jsonl, and stay valid until the next cli_jsonl_parse() on it. */
typedef struct cli_jsonl_item {
    const char *id; /* a string id: its bytes (may hold NULs; not NUL-terminated);
                       an integer id: its decimal digits, canonical ("-0" is "0") */
    size_t id_len;
    bool id_is_string;
    const char *text; /* UTF-8, may hold NULs (\u0000); not NUL-terminated */
    size_t text_len;
    const char *lang; /* NUL-terminated (a \u0000 inside ends it early, as with
                         jansson's json_string_value); NULL if absent or null */
    size_t lang_len;  /* all of its bytes, NULs included */
    const char *links; /* the raw JSON value of "links" (any JSON: the caller checks
                          its type); NULL if absent. Into the line. */
    size_t links_len;
    const char *image_hashes; /* likewise for "image_hashes" */
    size_t image_hashes_len;
    unsigned members;   /* members of the object, repeats included */
    unsigned id_text_lang; /* of them, members named "id", "text" or "lang" */
} cli_jsonl_item;

typedef struct cli_jsonl_error {
    size_t column;     /* CLI_JSONL_EJSON: 1-based, in characters; else 0 */
    char message[128]; /* "unterminated string"; for the other codes the whole
                          report: "'text' is missing or not a string" */
} cli_jsonl_error;

/* Parse `len` bytes at `line` (need not be NUL-terminated; no newline
 * expected, though "\n" and "\r" count as whitespace). On CLI_JSONL_OK fills
 * `*out`; otherwise leaves it alone and, if `err` is not NULL, says why. */
cli_jsonl_status cli_jsonl_parse(cli_jsonl *j, const char *line, size_t len, cli_jsonl_item *out,
                                 cli_jsonl_error *err);

/* Free the scratch; the struct may be reused (it is zeroed). */
void cli_jsonl_free(cli_jsonl *j);

#endif
