/*
 * cmd_hash.c - `arbiter hash IMAGE...`: the PDQ hash and quality of each
 * image, or its 8 dihedral variants.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void hash_usage(FILE *f)
{
    fprintf(f,
            "usage: arbiter hash [--json] [--dihedral] [--resize512] IMAGE...\n\n"
            "Print the PDQ hash (64 hex digits) and quality (0-100) of each JPEG, PNG or\n"
            "WebP image, one line each:\n"
            "  HASH QUALITY PATH\n"
            "The format is told by the file's bytes, not its name. '-' reads standard input.\n"
            "Hashes with quality below %d are unreliable (the reference's advice); two\n"
            "hashes within distance %d are a match.\n\n"
            "options:\n"
            "  --json        one JSON object a line: {\"path\":..,\"pdq\":..,\"quality\":..,\n"
            "                \"format\":..,\"width\":..,\"height\":..}, or {\"path\":..,\"error\":..}\n"
            "  --dihedral    the 8 variants (original, rotate90, rotate180, rotate270, flipx,\n"
            "                flipy, flipplus1, flipminus1): one line each, HASH QUALITY PATH\n"
            "                VARIANT; with --json a \"dihedral\" object\n"
            "  --resize512   hash as Meta's C++ pdq-photo-hasher: images over 512 px are\n"
            "                first resized to 512x512 (default: full resolution, as\n"
            "                python-threatexchange and HMA hash)\n"
            "  -v, --verbose debug logs (JSON lines on stderr)\n\n"
            "exit status: 0 every image was hashed, 1 some could not be, 2 usage\n",
            AR_PDQ_MIN_QUALITY, AR_PDQ_MATCH_DISTANCE);
}

static void print_text(const char *path, const ar_pdq_hash *h, int n, int quality)
{
    char hex[AR_PDQ_HEX_LEN + 1];
    for (int i = 0; i < n; i++) {
        ar_pdq_to_hex(&h[i], hex);
        if (n == 1)
            printf("%s %d %s\n", hex, quality, path);
        else
            printf("%s %d %s %s\n", hex, quality, path, ar_pdq_dihedral_name((ar_pdq_dihedral)i));
    }
}

static void print_json(const char *path, const ar_pdq_hash *h, int n, int quality,
                       const ar_image_info *info)
{
    char hex[AR_PDQ_HEX_LEN + 1];
    cli_buf b = {0};
    cli_buf_puts(&b, "{\"path\":");
    cli_buf_json_string(&b, path, strlen(path));
    ar_pdq_to_hex(&h[0], hex);
    cli_buf_printf(&b, ",\"pdq\":\"%s\",\"quality\":%d,\"format\":\"%s\",\"width\":%u,\"height\":%u",
                   hex, quality, ar_image_format_name(info->format), info->width, info->height);
    if (n > 1) {
        cli_buf_puts(&b, ",\"dihedral\":{");
        for (int i = 0; i < n; i++) {
            ar_pdq_to_hex(&h[i], hex);
            cli_buf_printf(&b, "%s\"%s\":\"%s\"", i ? "," : "",
                           ar_pdq_dihedral_name((ar_pdq_dihedral)i), hex);
        }
        cli_buf_putc(&b, '}');
    }
    cli_buf_putc(&b, '}');
    printf("%s\n", b.data);
    cli_buf_free(&b);
}

static void print_error(const char *path, bool json, const char *msg)
{
    if (!json) {
        fprintf(stderr, "arbiter hash: %s: %s\n", path, msg);
        return;
    }
    cli_buf b = {0};
    cli_buf_puts(&b, "{\"path\":");
    cli_buf_json_string(&b, path, strlen(path));
    cli_buf_puts(&b, ",\"error\":");
    cli_buf_json_string(&b, msg, strlen(msg));
    cli_buf_putc(&b, '}');
    printf("%s\n", b.data);
    cli_buf_free(&b);
}

static int hash_one(ar_ctx *ctx, const char *path, const ar_image_opts *opts, bool json,
                    bool dihedral)
{
    char why[256];
    size_t len = 0;
    unsigned char *data = cli_read_file(path, (size_t)AR_IMAGE_MAX_BYTES + 1, &len, why, sizeof why);
    if (!data) {
        print_error(path, json, why);
        return 1;
    }
    ar_pdq_hash h[AR_PDQ_DIHEDRAL];
    int quality = 0;
    ar_image_info info;
    ar_error err = {0};
    ar_status st = dihedral ? ar_image_pdq_dihedral(ctx, data, len, opts, h, &quality, &info, &err)
                            : ar_image_pdq(ctx, data, len, opts, h, &quality, &info, &err);
    free(data);
    if (st != AR_OK) {
        print_error(path, json, err.message);
        return 1;
    }
    int n = dihedral ? AR_PDQ_DIHEDRAL : 1;
    if (json)
        print_json(path, h, n, quality, &info);
    else
        print_text(path, h, n, quality);
    return 0;
}

/* argv[i] is an option (and not an image) when it starts with '-' (but is
 * not "-", standard input) and comes before any "--". */
static bool is_option(char **argv, int i, int dashdash)
{
    return (dashdash < 0 || i < dashdash) && argv[i][0] == '-' && argv[i][1] != '\0';
}

int cli_hash(int argc, char **argv)
{
    bool json = false, dihedral = false, verbose = false;
    ar_image_opts opts = {0};
    int dashdash = -1, nimages = 0;
    for (int i = 1; i < argc; i++) {
        if (dashdash < 0 && !strcmp(argv[i], "--")) {
            dashdash = i;
        } else if (!is_option(argv, i, dashdash)) {
            nimages++;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            hash_usage(stdout);
            return CLI_EXIT_OK;
        } else if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "--dihedral")) {
            dihedral = true;
        } else if (!strcmp(argv[i], "--resize512")) {
            opts.mode = AR_PDQ_RESIZE_512;
        } else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
            verbose = true;
        } else {
            fprintf(stderr, "arbiter hash: unknown option '%s'\n\n", argv[i]);
            hash_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (nimages == 0) {
        fprintf(stderr, "arbiter hash: no IMAGE given\n\n");
        hash_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    ar_ctx *ctx = cli_ctx_new(verbose);
    if (!ctx)
        return CLI_EXIT_FAIL;
    int bad = 0;
    for (int i = 1; i < argc; i++)
        if (i != dashdash && !is_option(argv, i, dashdash))
            bad |= hash_one(ctx, argv[i], &opts, json, dihedral);
    ar_ctx_free(ctx);
    return bad ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
