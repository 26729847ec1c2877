/*
 * cmd_policy.c - `arbiter policy lint`: every problem of a policy as
 * file:line:column: message, parse and compile alike.
 */
#include "cli.h"

#include <string.h>

static void policy_usage(FILE *f)
{
    fprintf(f, "usage: arbiter policy lint FILE...\n\n"
               "Parse each policy file, read the term files it names, and compile every term\n"
               "and regex as the engine would. Every problem is printed on standard output as\n"
               "  file:line:column: message\n"
               "A clean file prints one line: FILE: ok (N standards, N rules, N patterns).\n\n"
               "exit status: 0 every file is clean, 1 problems found, 2 usage\n");
}

static int lint_one(ar_ctx *ctx, const char *path)
{
    ar_diag_list diags;
    ar_diag_list_init(&diags, ctx);
    ar_policy *p = NULL;
    ar_error err = {0};
    ar_status st = ar_policy_parse_file(ctx, path, &p, &diags, &err);
    if (st != AR_OK && diags.n == 0 && ar_diag_list_add(&diags, &err) != AR_OK)
        cli_report("arbiter policy lint", &err);
    size_t nstd = 0, nrules = 0, npat = 0;
    if (st == AR_OK) {
        nstd = p->nstandards;
        for (size_t i = 0; i < p->nstandards; i++)
            nrules += p->standards[i].nrules;
        ar_engine *e = NULL;
        if (ar_engine_compile(ctx, p, &e, &err) != AR_OK) {
            st = err.status;
            if (ar_diag_list_add(&diags, &err) != AR_OK)
                cli_report("arbiter policy lint", &err);
        } else {
            npat = ar_engine_pattern_count(e);
        }
        ar_engine_release(e);
    }
    for (size_t i = 0; i < diags.n; i++) {
        char line[AR_ERROR_FILE_MAX + AR_ERROR_MESSAGE_MAX + 64];
        ar_error_format(&diags.v[i], line, sizeof line);
        printf("%s\n", line);
    }
    if (st == AR_OK)
        printf("%s: ok (%zu standards, %zu rules, %zu patterns)\n", path, nstd, nrules, npat);
    ar_diag_list_free(&diags);
    return st == AR_OK ? 0 : 1;
}

int cli_policy(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        policy_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "lint") != 0) {
        fprintf(stderr, "arbiter policy: unknown subcommand '%s'\n\n", argv[1]);
        policy_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    int nfiles = 0, bad = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            policy_usage(stdout);
            return CLI_EXIT_OK;
        }
    }
    ar_ctx *ctx = cli_ctx_new(false);
    if (!ctx)
        return CLI_EXIT_FAIL;
    for (int i = 2; i < argc; i++) {
        nfiles++;
        bad |= lint_one(ctx, argv[i]);
    }
    ar_ctx_free(ctx);
    if (nfiles == 0) {
        fprintf(stderr, "arbiter policy lint: no FILE given\n");
        return CLI_EXIT_USAGE;
    }
    return bad ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

int cli_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("arbiter %s\n", AR_VERSION_STRING);
    return CLI_EXIT_OK;
}
