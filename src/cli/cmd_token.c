/*
 * cmd_token.c - `arbiter token create`: make an API token for a machine
 * client of arbiterd. The token is printed once, alone on stdout; the store
 * keeps only its hash.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void token_usage(FILE *f)
{
    fprintf(f, "usage: arbiter token create --role ROLE[,ROLE..] [--name NAME] [--dir DIR]\n\n"
               "Make an API token for arbiterd (`arbiter serve`) and print it, alone, on\n"
               "standard output. It is shown only this once: the store keeps a hash.\n"
               "Clients send it as `Authorization: Bearer TOKEN`.\n\n"
               "roles: client (check and visibility only), moderator, legal, admin, auditor\n\n"
               "options:\n"
               "  --role ROLES   one or more roles, comma-separated\n"
               "  --name NAME    what the token is for (default \"token\"), kept in the audit log\n"
               "  --dir DIR      the workflow directory (default ./var, or $ARBITER_DIR)\n");
}

int cli_token(int argc, char **argv)
{
    const char *dir = getenv("ARBITER_DIR") ? getenv("ARBITER_DIR") : "./var";
    const char *role = NULL, *name = NULL, *v;
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        token_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "create") != 0) {
        fprintf(stderr, "arbiter token: unknown subcommand '%s' (see --help)\n", argv[1]);
        return CLI_EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            token_usage(stdout);
            return CLI_EXIT_OK;
        } else if ((v = cli_opt(argc, argv, &i, "--dir"))) {
            dir = v;
        } else if ((v = cli_opt(argc, argv, &i, "--role"))) {
            role = v;
        } else if ((v = cli_opt(argc, argv, &i, "--name"))) {
            name = v;
        } else {
            fprintf(stderr, "arbiter token: unknown argument '%s' (see --help)\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
    }
    if (!role) {
        fprintf(stderr, "arbiter token: --role ROLE is required (see --help)\n");
        return CLI_EXIT_USAGE;
    }
    ar_error err = {0};
    unsigned roles = 0;
    if (ar_token_roles_parse(role, &roles, &err) != AR_OK) {
        cli_report("arbiter token", &err);
        return CLI_EXIT_USAGE;
    }
    ar_ctx *ctx = cli_ctx_new(false);
    if (!ctx)
        return CLI_EXIT_FAIL;
    ar_workflow_opts wo = {.dir = dir};
    ar_workflow *w = NULL;
    char token[AR_TOKEN_CHARS + 1];
    int rc = CLI_EXIT_OK;
    if (ar_workflow_open(ctx, &wo, &w, &err) != AR_OK ||
        ar_token_create(w, "cli", name, roles, token, NULL, &err) != AR_OK) {
        cli_report("arbiter token", &err);
        rc = CLI_EXIT_FAIL;
    } else {
        printf("%s\n", token);
        memset(token, 0, sizeof token);
        rc = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
    }
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    return rc;
}
