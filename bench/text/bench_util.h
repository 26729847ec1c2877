/*
 * bench_util.h - what the text benchmark's programs share: a clock, whole
 * files in memory, a small JSON reader for one post per line, the raw
 * pattern file, and the truth table with its recall and false-positive
 * tallies.
 *
 * These are benchmark tools, not library code: they print to stderr and
 * return -1 on failure; the caller exits non-zero.
 *
 * THREAD SAFETY: none needed; every program here is single-threaded.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*---- Clock and files ----*/

double bu_now(void); /* CLOCK_MONOTONIC, seconds */

/* Read a whole file into a NUL-terminated malloc'd buffer. */
int bu_read_file(const char *path, char **out, size_t *len);

/* Next line of [*p, end): sets *line and *len (without the '\n') and advances
 * *p past it. Returns false at the end. */
bool bu_next_line(const char **p, const char *end, const char **line, size_t *len);

/*---- JSON, one object per line ----*/

/* A value inside a line: for a string, [s, s+len) is the raw text between the
 * quotes and `escaped` says whether it holds a backslash; otherwise it is the
 * literal token (true, false, null, a number) or the whole nested value. */
typedef struct bu_jval {
    const char *s;
    size_t len;
    bool is_string;
    bool escaped;
} bu_jval;

/* Walk the top-level members of the object in [p, end). Call with *pos = p
 * first; returns 1 with the member's key and value, 0 at the object's end,
 * -1 on malformed JSON. Keys are returned raw (escapes not decoded). */
int bu_json_member(const char **pos, const char *end, bu_jval *key, bu_jval *val);

/* Decode a JSON string body (as in bu_jval) into out, which must hold
 * v->len bytes (decoding never grows a string). Returns the decoded length,
 * or -1 on a bad escape. */
long bu_json_decode(const bu_jval *v, char *out);

/* Write `len` bytes of UTF-8 as a JSON string, quotes included. */
void bu_json_write_string(FILE *f, const char *s, size_t len);

/*---- The raw pattern file: "lit\tTERM" and "re\tREGEX" lines ----*/

typedef struct bu_patterns {
    char **lit; /* the terms, as plain literals */
    size_t nlit;
    char **re; /* the regexes */
    size_t nre;
} bu_patterns;

int bu_patterns_load(const char *path, bu_patterns *out);
void bu_patterns_free(bu_patterns *p);

/*---- Truth: id, planted, disguised, term, kind, disguise, lang ----*/

typedef struct bu_truth_row {
    char *id;
    bool planted, disguised;
    bool regex;           /* the plant came from a regex, not a term */
    unsigned char disg;   /* index into the table of disguise names */
    unsigned char lang;   /* 0 en, 1 ur, 2 roman-ur, 3 none */
} bu_truth_row;

typedef struct bu_truth {
    bu_truth_row *rows;
    size_t n;
    char *names[32]; /* disguise names in first-seen order */
    size_t nnames;
} bu_truth;

int bu_truth_load(const char *path, bu_truth *out);
void bu_truth_free(bu_truth *t);

/* Counts for one tool. flagged[i] is the verdict for truth row i; only the
 * first `n` rows are scored (a tool may run on a prefix of the posts). */
typedef struct bu_score {
    size_t n;
    size_t plain, plain_hit;         /* plain plants */
    size_t disg, disg_hit;           /* disguised plants */
    size_t clean, clean_hit;         /* clean posts flagged = false positives */
    size_t term_plain, term_plain_hit, term_disg, term_disg_hit; /* term plants only */
    size_t by_disg[32], by_disg_hit[32];
    size_t by_lang[4], by_lang_hit[4]; /* planted, per language */
} bu_score;

void bu_score_tally(const bu_truth *t, const unsigned char *flagged, size_t n, bu_score *s);

/* Print the score for people (`tool` names it), then one machine-readable
 * line "SCORE tool=... recall_plain=... recall_disguised=... fp_rate=...". */
void bu_score_print(FILE *f, const char *tool, const bu_truth *t, const bu_score *s);

/* Ratio as a percentage, 0 when the denominator is 0. */
double bu_pct(size_t num, size_t den);

#endif
