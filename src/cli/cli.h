/*
 * cli.h - what the subcommands of the arbiter CLI share: exit codes, the
 * JSON-lines logger on stderr, and option helpers.
 */
#ifndef AR_CLI_H
#define AR_CLI_H

#include "arbiter/arbiter.h"

#include <stdbool.h>
#include <stdio.h>

enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FLAGGED = 0, /* a verdict is data, not an error */
    CLI_EXIT_FAIL = 1,    /* the command failed */
    CLI_EXIT_USAGE = 2,   /* bad arguments */
    CLI_EXIT_BAD_INPUT = 3, /* scan finished, but some input lines were bad */
};

#define CLI_LEN(a) (sizeof(a) / sizeof((a)[0]))

int cli_check(int argc, char **argv);
int cli_scan(int argc, char **argv);
int cli_policy(int argc, char **argv);
int cli_version(int argc, char **argv);
int cli_init(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_request(int argc, char **argv);
int cli_case(int argc, char **argv);
int cli_notice(int argc, char **argv);
int cli_appeal(int argc, char **argv);
int cli_item(int argc, char **argv);
int cli_visibility(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_token(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_report_cmd(int argc, char **argv); /* cli_report() prints errors */
int cli_export(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_hash(int argc, char **argv);
int cli_url_list(int argc, char **argv); /* cmd_lists.c */
int cli_bank(int argc, char **argv);

/* A context whose log writes one JSON object per line to stderr. */
ar_ctx *cli_ctx_new(bool verbose);

/* Print `err` as "arbiter: file:line:column: message" to stderr. */
void cli_report(const char *cmd, const ar_error *err);

/* A growable output buffer (exits on out-of-memory: the CLI has nothing to save). */
typedef struct cli_buf {
    char *data;
    size_t len, cap;
} cli_buf;

void cli_buf_reserve(cli_buf *b, size_t more);
void cli_buf_put(cli_buf *b, const char *s, size_t n);
void cli_buf_puts(cli_buf *b, const char *s);
void cli_buf_printf(cli_buf *b, const char *fmt, ...) AR_PRINTF(2, 3);
void cli_buf_json_string(cli_buf *b, const char *s, size_t len);
void cli_buf_free(cli_buf *b);

static inline void cli_buf_putc(cli_buf *b, char c)
{
    cli_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

/* The verdict as one JSON object: {"id":..,"flagged":..,"action":..,"matches":[..]}.
 * `id_json` is the item's id already encoded as JSON (NULL: no id key). */
void cli_buf_verdict(cli_buf *b, const char *id_json, size_t id_len, const ar_verdict *v);

/* The url lists and banks of workflow directory DIR, or an empty frozen
 * snapshot when dir is NULL (url_list and bank rules then match nothing).
 * Release with ar_lists_release(). */
ar_status cli_load_lists(ar_ctx *ctx, const char *dir, ar_lists **out, ar_error *err);

/* A whole file ('-': standard input), at most `max` bytes read (callers pass
 * their limit + 1, so an over-long file is refused with the limit's own
 * message). NULL with the reason in `why` if it cannot be read; free() it. */
unsigned char *cli_read_file(const char *path, size_t max, size_t *len, char *why, size_t whylen);

/* "--name=value" or "--name value": returns the value, or NULL if argv[*i] is not --name. */
const char *cli_opt(int argc, char **argv, int *i, const char *name);

#endif
