/*
 * cmd_check.c - `arbiter check`: one text, one verdict as JSON.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void check_usage(FILE *f)
{
    fprintf(f, "usage: arbiter check --policy FILE [--text TEXT] [--lang LANG] [--explain]\n"
               "                     [--dir DIR] [--link URL]... [--image-hash HEX]...\n\n"
               "Check one text against a policy and print the verdict as one JSON object:\n"
               "  {\"flagged\":true,\"action\":\"review\",\"matches\":[{\"standard\":..,\"rule\":..,"
               "\"start\":N,\"end\":N}]}\n"
               "start/end are byte offsets into the text as given. Without --text the text is\n"
               "read from standard input (at most %u bytes).\n\n"
               "options:\n"
               "  --policy FILE   the policy (YAML); see policies/README.md\n"
               "  --text TEXT     the text to check\n"
               "  --lang LANG     the item's language (en, ur, ...): rules limited to other\n"
               "                  languages are skipped\n"
               "  --explain       also print the normalised text the rules ran over\n"
               "  --dir DIR       the workflow directory whose url lists and banks the\n"
               "                  policy's url_list and bank rules name (arbiter url-list);\n"
               "                  without it those rules match nothing\n"
               "  --link URL      a link of the item (repeatable, at most 100)\n"
               "  --image-hash H  a PDQ hash of an image of the item, 64 hex digits\n"
               "                  (repeatable, at most 16)\n"
               "  -v, --verbose   debug logs (JSON lines on stderr)\n\n"
               "exit status: 0 a verdict was printed (flagged or not), 1 failure, 2 usage\n",
            AR_TEXT_MAX_BYTES);
}

static char *read_stdin(size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, stdin);
        n += got;
        if (got == 0 || n > AR_TEXT_MAX_BYTES)
            break;
        if (n == cap) {
            char *p = cap * 2 > (size_t)AR_TEXT_MAX_BYTES + 2 ? NULL : realloc(buf, cap * 2);
            if (!p && cap < (size_t)AR_TEXT_MAX_BYTES + 1)
                p = realloc(buf, (size_t)AR_TEXT_MAX_BYTES + 2);
            if (!p)
                break;
            buf = p;
            cap = cap * 2 > (size_t)AR_TEXT_MAX_BYTES + 2 ? (size_t)AR_TEXT_MAX_BYTES + 2 : cap * 2;
        }
    }
    *len = n;
    return buf;
}

/* The lists of DIR's store (a rule naming a list it lacks is refused by
 * name), or none without --dir: then url_list and bank rules match nothing,
 * as in `arbiter scan`. */
static ar_status load_lists(ar_ctx *ctx, const char *dir, ar_lists **out, ar_error *err)
{
    if (!dir) {
        ar_status st = ar_lists_new(ctx, out, err);
        if (st == AR_OK)
            ar_lists_freeze(*out);
        return st;
    }
    ar_workflow *w = NULL;
    ar_workflow_opts wo = {.dir = dir};
    ar_status st = ar_workflow_open(ctx, &wo, &w, err);
    if (st == AR_OK)
        st = ar_lists_load(w, out, err);
    ar_workflow_close(w);
    return st;
}

int cli_check(int argc, char **argv)
{
    const char *policy = NULL, *text = NULL, *lang = NULL, *dir = NULL, *v;
    const char *links[AR_CHECK_MAX_LINKS];
    ar_pdq_hash hashes[AR_CHECK_MAX_HASHES];
    size_t nlinks = 0, nhashes = 0;
    bool explain = false, verbose = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            check_usage(stdout);
            return CLI_EXIT_OK;
        } else if ((v = cli_opt(argc, argv, &i, "--policy"))) {
            policy = v;
        } else if ((v = cli_opt(argc, argv, &i, "--text"))) {
            text = v;
        } else if ((v = cli_opt(argc, argv, &i, "--lang"))) {
            lang = v;
        } else if ((v = cli_opt(argc, argv, &i, "--dir"))) {
            dir = v;
        } else if ((v = cli_opt(argc, argv, &i, "--link"))) {
            if (nlinks == AR_CHECK_MAX_LINKS) {
                fprintf(stderr, "arbiter check: at most %u links\n", AR_CHECK_MAX_LINKS);
                return CLI_EXIT_USAGE;
            }
            links[nlinks++] = v;
        } else if ((v = cli_opt(argc, argv, &i, "--image-hash"))) {
            ar_error he = {0};
            if (nhashes == AR_CHECK_MAX_HASHES ||
                ar_pdq_from_hex(v, strlen(v), &hashes[nhashes], &he) != AR_OK) {
                fprintf(stderr, "arbiter check: --image-hash takes 64 lowercase hex digits (at most %u)\n",
                        AR_CHECK_MAX_HASHES);
                return CLI_EXIT_USAGE;
            }
            nhashes++;
        } else if (!strcmp(argv[i], "--explain")) {
            explain = true;
        } else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
            verbose = true;
        } else {
            fprintf(stderr, "arbiter check: unknown argument '%s'\n\n", argv[i]);
            check_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (!policy) {
        fprintf(stderr, "arbiter check: --policy FILE is required\n");
        return CLI_EXIT_USAGE;
    }
    ar_ctx *ctx = cli_ctx_new(verbose);
    if (!ctx)
        return CLI_EXIT_FAIL;
    size_t len = 0;
    char *owned = NULL;
    if (text) {
        len = strlen(text);
    } else {
        owned = read_stdin(&len);
        text = owned;
    }
    int rc = CLI_EXIT_FAIL;
    ar_error err = {0};
    ar_engine *e = NULL;
    ar_check_scratch *s = NULL;
    ar_lists *lists = NULL;
    ar_verdict verdict;
    ar_check_input in = {.text = text, .len = len, .lang = lang, .links = links,
                         .nlinks = nlinks, .hashes = hashes,
                         .nhashes = nhashes};
    if (!text) {
        fprintf(stderr, "arbiter check: out of memory reading standard input\n");
    } else if (ar_engine_load_file(ctx, policy, &e, &err) != AR_OK ||
               load_lists(ctx, dir, &lists, &err) != AR_OK ||
               (dir && ar_engine_check_lists(e, lists, &err) != AR_OK) ||
               ar_check_scratch_new(ctx, &s, &err) != AR_OK ||
               ar_check_item(e, lists, s, &in, &verdict, &err) != AR_OK) {
        cli_report("arbiter check", &err);
    } else {
        cli_buf out = {0};
        cli_buf_verdict(&out, NULL, 0, &verdict);
        if (explain) {
            ar_text_out t;
            ar_text_out_init(&t, ctx);
            if (ar_text_normalize(ar_engine_normalizer(e), text, len, &t, &err) == AR_OK) {
                out.len--; /* reopen the object */
                cli_buf_puts(&out, ",\"normalized\":");
                cli_buf_json_string(&out, t.buf, t.len);
                cli_buf_putc(&out, '}');
            }
            ar_text_out_free(&t);
        }
        printf("%s\n", out.data);
        cli_buf_free(&out);
        rc = CLI_EXIT_OK;
    }
    ar_check_scratch_free(s);
    ar_lists_release(lists);
    ar_engine_release(e);
    free(owned);
    ar_ctx_free(ctx);
    return rc;
}
