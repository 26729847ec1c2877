/*
 * cmd_demo.c - `arbiter demo seed`: a new workflow directory holding a
 * seeded, known history (ar_demo_seed), for demonstrations and tests.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void demo_usage(FILE *f)
{
    fprintf(f, "usage: arbiter demo seed --dir DIR --year YYYY [--seed N] [--country CC]\n"
               "                        [--data-requests N] [--data-produced N]\n"
               "                        [--restricted N] [--notices N] [--appeals N]\n"
               "                        [--jurisdictions FILE]\n\n"
               "Make DIR (absent or empty) and write a known history into it through the\n"
               "workflow, every time in the second half of YYYY: N user-data requests from CC\n"
               "(default IN) of which --data-produced disclose data, content requests from CC\n"
               "until --restricted items are restricted there, a few from DE and FR, notices\n"
               "decided by moderators, and appeals (one in four reversed). Defaults: 1000\n"
               "requests, 680 producing data, 177 items restricted, 200 notices, 40 appeals.\n"
               "Prints the figures written as one JSON object.\n");
}

static bool number(const char *name, const char *v, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (*end || !*v || errno || n < 0 || n > max) {
        fprintf(stderr, "arbiter demo: %s must be a number from 0 to %lld\n", name, max);
        return false;
    }
    *out = n;
    return true;
}

static void progress(void *ud, int64_t done, int64_t total)
{
    (void)ud;
    fprintf(stderr, "\rseeding: %lld of about %lld steps", (long long)done, (long long)total);
    if (done >= total)
        fputc('\n', stderr);
}

int cli_demo(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        demo_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "seed") != 0) {
        fprintf(stderr, "arbiter demo: unknown subcommand '%s' (see --help)\n", argv[1]);
        return CLI_EXIT_USAGE;
    }
    ar_demo_opts o = {.data_requests = 1000, .data_produced = 680, .restricted_items = 177,
                      .notices = 200, .appeals = 40, .seed = 1};
    const char *dir = NULL;
    long long year = 0, n = 0;
    if (access("policies/jurisdictions.yaml", R_OK) == 0)
        o.jurisdictions = "policies/jurisdictions.yaml";
    for (int i = 2; i < argc; i++) {
        const char *v;
        struct {
            const char *name;
            int *dst;
        } ints[] = {{"--data-requests", &o.data_requests}, {"--data-produced", &o.data_produced},
                    {"--restricted", &o.restricted_items}, {"--notices", &o.notices},
                    {"--appeals", &o.appeals}};
        bool done = false;
        for (size_t k = 0; k < CLI_LEN(ints) && !done; k++)
            if ((v = cli_opt(argc, argv, &i, ints[k].name))) {
                if (!number(ints[k].name, v, 1000000, &n))
                    return CLI_EXIT_USAGE;
                *ints[k].dst = (int)n;
                done = true;
            }
        if (done)
            continue;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            demo_usage(stdout);
            return CLI_EXIT_OK;
        } else if ((v = cli_opt(argc, argv, &i, "--dir"))) {
            dir = v;
        } else if ((v = cli_opt(argc, argv, &i, "--year"))) {
            if (!number("--year", v, 2099, &year))
                return CLI_EXIT_USAGE;
        } else if ((v = cli_opt(argc, argv, &i, "--seed"))) {
            if (!number("--seed", v, 1LL << 62, &n))
                return CLI_EXIT_USAGE;
            o.seed = (uint64_t)n;
        } else if ((v = cli_opt(argc, argv, &i, "--country"))) {
            o.country = v;
        } else if ((v = cli_opt(argc, argv, &i, "--jurisdictions"))) {
            o.jurisdictions = v;
        } else {
            fprintf(stderr, "arbiter demo: unknown argument '%s' (see --help)\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
    }
    if (!dir || !year) {
        fprintf(stderr, "arbiter demo seed: --dir and --year are required (see --help)\n");
        return CLI_EXIT_USAGE;
    }
    o.year = (int)year;
    if (isatty(STDERR_FILENO))
        o.progress = progress;
    ar_ctx *ctx = cli_ctx_new(false);
    if (!ctx)
        return CLI_EXIT_FAIL;
    ar_demo_summary s;
    ar_error err;
    ar_status st = ar_demo_seed(ctx, dir, &o, &s, &err);
    ar_ctx_free(ctx);
    if (st != AR_OK) {
        cli_report("arbiter demo seed", &err);
        return st == AR_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
    }
    printf("{\"data_requests\":%lld,\"data_produced\":%lld,\"content_requests\":%lld,"
           "\"items_restricted\":%lld,\"items_removed\":%lld,\"items_declined\":%lld,"
           "\"eea_requests\":%lld,\"eea_restricted\":%lld,\"notices\":%lld,"
           "\"notices_acted\":%lld,\"appeals\":%lld,\"appeals_reversed\":%lld,"
           "\"decisions\":%lld}\n",
           (long long)s.data_requests, (long long)s.data_produced, (long long)s.content_requests,
           (long long)s.items_restricted, (long long)s.items_removed, (long long)s.items_declined,
           (long long)s.eea_requests, (long long)s.eea_restricted, (long long)s.notices,
           (long long)s.notices_acted, (long long)s.appeals, (long long)s.appeals_reversed,
           (long long)s.decisions);
    return CLI_EXIT_OK;
}
