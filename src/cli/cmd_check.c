/*
 * cmd_check.c - `arbiter check`: one text, one verdict as JSON.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void check_usage(FILE *f)
{
    fprintf(f, "usage: arbiter check --policy FILE [--text TEXT] [--lang LANG] [--explain]\n"
               "                     [--dir DIR] [--link URL]... [--image-hash HEX]... [--image FILE]...\n\n"
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
               "                  (repeatable, at most 16), matched as given\n"
               "  --image FILE    an image of the item (JPEG, PNG or WebP; '-' stdin with --text;\n"
               "                  repeatable, at most %u, each at most %u bytes): hashed (PDQ)\n"
               "                  and matched in its 8 rotations and mirrors; the verdict\n"
               "                  gives each image's hash, and a match its variant; an image\n"
               "                  of quality under %d is not matched (\"skipped\")\n"
               "  -v, --verbose   debug logs (JSON lines on stderr)\n\n"
               "exit status: 0 a verdict was printed (flagged or not), 1 failure, 2 usage\n",
            AR_TEXT_MAX_BYTES, AR_CHECK_MAX_IMAGES, AR_CHECK_IMAGE_MAX_BYTES, AR_PDQ_MIN_QUALITY);
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

/* Hash each --image file; the bytes are freed at once (only hashes are kept).
 * A file that cannot be read or hashed is reported naming it. */
static bool hash_images(ar_ctx *ctx, const char *const *paths, size_t n, ar_check_image *out)
{
    for (size_t i = 0; i < n; i++) {
        char why[128];
        size_t len = 0;
        unsigned char *data =
            cli_read_file(paths[i], (size_t)AR_CHECK_IMAGE_MAX_BYTES + 1, &len, why, sizeof why);
        if (!data) {
            fprintf(stderr, "arbiter check: --image %s: %s\n", paths[i], why);
            return false;
        }
        ar_error err = {0};
        ar_status st = ar_check_image_hash(ctx, data, len, &out[i], &err);
        free(data);
        if (st != AR_OK) {
            fprintf(stderr, "arbiter check: --image %s: %s: %s\n", paths[i],
                    ar_status_name(st), err.message);
            return false;
        }
    }
    return true;
}

/* ,"images":[{"pdq":..,"quality":..[,"skipped":"low_quality"]}] into the verdict object */
static void buf_images(cli_buf *out, const ar_check_image *img, size_t n, uint32_t low)
{
    out->len--; /* reopen the object */
    cli_buf_puts(out, ",\"images\":[");
    for (size_t i = 0; i < n; i++) {
        char hex[AR_PDQ_HEX_LEN + 1];
        ar_pdq_to_hex(&img[i].variants[AR_PDQ_ORIGINAL], hex);
        cli_buf_printf(out, "%s{\"pdq\":\"%s\",\"quality\":%d%s}", i ? "," : "", hex,
                       img[i].quality, (low & (1u << i)) ? ",\"skipped\":\"low_quality\"" : "");
    }
    cli_buf_puts(out, "]}");
}

int cli_check(int argc, char **argv)
{
    const char *policy = NULL, *text = NULL, *lang = NULL, *dir = NULL, *v;
    const char *links[AR_CHECK_MAX_LINKS];
    ar_pdq_hash hashes[AR_CHECK_MAX_HASHES];
    const char *image_paths[AR_CHECK_MAX_IMAGES];
    ar_check_image images[AR_CHECK_MAX_IMAGES];
    size_t nlinks = 0, nhashes = 0, nimages = 0;
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
        } else if ((v = cli_opt(argc, argv, &i, "--image"))) {
            if (nimages == AR_CHECK_MAX_IMAGES) {
                fprintf(stderr, "arbiter check: at most %u images\n", AR_CHECK_MAX_IMAGES);
                return CLI_EXIT_USAGE;
            }
            image_paths[nimages++] = v;
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
                         .nhashes = nhashes, .images = images, .nimages = nimages};
    if (!text) {
        fprintf(stderr, "arbiter check: out of memory reading standard input\n");
    } else if (!hash_images(ctx, image_paths, nimages, images)) {
        ; /* reported */
    } else if (ar_engine_load_file(ctx, policy, &e, &err) != AR_OK ||
               cli_load_lists(ctx, dir, &lists, &err) != AR_OK ||
               (dir && ar_engine_check_lists(e, lists, &err) != AR_OK) ||
               ar_check_scratch_new(ctx, &s, &err) != AR_OK ||
               ar_check_item(e, lists, s, &in, &verdict, &err) != AR_OK) {
        cli_report("arbiter check", &err);
    } else {
        cli_buf out = {0};
        cli_buf_verdict(&out, NULL, 0, &verdict);
        if (nimages)
            buf_images(&out, images, nimages, verdict.low_quality);
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
