/*
 * cmd_token.c - `arbiter token create|list|revoke`: API tokens for machine
 * clients of arbiterd. A new token is printed once, alone on stdout; the
 * store keeps only its hash.
 */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void token_usage(FILE *f)
{
    fprintf(f,
            "usage: arbiter token create --role ROLE[,ROLE..] [--user LOGIN] [--name NAME]\n"
            "       arbiter token list [--json]\n"
            "       arbiter token revoke ID\n"
            "       (each also takes --dir DIR)\n\n"
            "create: make an API token for arbiterd (`arbiter serve`) and print it, alone,\n"
            "on standard output. It is shown only this once: the store keeps a hash.\n"
            "Clients send it as `Authorization: Bearer TOKEN`.\n"
            "list: every token, never the secret. revoke: the token stops working at once\n"
            "in a daemon that revokes it, within 5 s in a daemon that did not.\n\n"
            "roles: client (check and visibility only), moderator, legal, admin, auditor\n\n"
            "options:\n"
            "  --role ROLES   one or more roles, comma-separated\n"
            "  --user LOGIN   the staff member the token acts for: needed to decide, assign\n"
            "                 or file anything, so that every change names a person; the\n"
            "                 roles must then be client and that member's role\n"
            "  --name NAME    what the token is for (default \"token\"), kept in the audit log\n"
            "  --json         list as JSON\n"
            "  --dir DIR      the workflow directory (default ./var, or $ARBITER_DIR)\n");
}

static ar_workflow *open_dir(ar_ctx *ctx, const char *dir, ar_error *err)
{
    ar_workflow_opts wo = {.dir = dir};
    ar_workflow *w = NULL;
    return ar_workflow_open(ctx, &wo, &w, err) == AR_OK ? w : NULL;
}

static int token_create(ar_workflow *w, const char *role, const char *name, const char *user,
                        ar_error *err)
{
    unsigned roles = 0;
    char token[AR_TOKEN_CHARS + 1];
    if (ar_token_roles_parse(role, &roles, err) != AR_OK ||
        ar_token_create(w, "cli", name, roles, user, token, NULL, err) != AR_OK)
        return CLI_EXIT_FAIL;
    printf("%s\n", token);
    memset(token, 0, sizeof token);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static void print_time(json_t *v)
{
    char t[21] = "-";
    if (json_is_integer(v))
        ar_time_format(json_integer_value(v), t);
    printf("%-21s ", t);
}

static int token_list(ar_workflow *w, bool as_json, ar_error *err)
{
    char *doc = NULL;
    if (ar_token_list_json(w, &doc, err) != AR_OK)
        return CLI_EXIT_FAIL;
    json_t *rows = as_json ? NULL : json_loads(doc, 0, NULL);
    if (!rows) {
        printf("%s\n", doc);
    } else {
        printf("%-5s %-20s %-24s %-16s %-21s %s\n", "ID", "NAME", "ROLES", "STAFF", "CREATED",
               "REVOKED");
        size_t i;
        json_t *r;
        json_array_foreach(rows, i, r) {
            const char *staff = json_string_value(json_object_get(r, "staff"));
            printf("%-5lld %-20.20s %-24s %-16.16s ",
                   (long long)json_integer_value(json_object_get(r, "id")),
                   json_string_value(json_object_get(r, "name")),
                   json_string_value(json_object_get(r, "roles")), staff ? staff : "-");
            print_time(json_object_get(r, "created_at"));
            print_time(json_object_get(r, "revoked_at"));
            printf("\n");
        }
    }
    json_decref(rows);
    free(doc);
    return CLI_EXIT_OK;
}

static int token_revoke(ar_workflow *w, const char *arg, ar_error *err)
{
    char *end;
    errno = 0;
    long long id = strtoll(arg, &end, 10);
    if (!*arg || *end || errno || id <= 0) {
        ar_error_set(err, AR_EINVAL, "id", "'%.32s' is not a token id", arg);
        return CLI_EXIT_USAGE;
    }
    if (ar_token_revoke(w, "cli", id, err) != AR_OK)
        return CLI_EXIT_FAIL;
    printf("revoked token %lld\n", id);
    return CLI_EXIT_OK;
}

int cli_token(int argc, char **argv)
{
    const char *dir = getenv("ARBITER_DIR") ? getenv("ARBITER_DIR") : "./var";
    const char *role = NULL, *name = NULL, *user = NULL, *arg = NULL, *v;
    bool as_json = false;
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        token_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "create") && strcmp(sub, "list") && strcmp(sub, "revoke")) {
        fprintf(stderr, "arbiter token: unknown subcommand '%s' (see --help)\n", sub);
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
        } else if ((v = cli_opt(argc, argv, &i, "--user"))) {
            user = v;
        } else if (!strcmp(argv[i], "--json")) {
            as_json = true;
        } else if (!strcmp(sub, "revoke") && !arg && argv[i][0] != '-') {
            arg = argv[i];
        } else {
            fprintf(stderr, "arbiter token: unknown argument '%s' (see --help)\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
    }
    if (!strcmp(sub, "create") && !role) {
        fprintf(stderr, "arbiter token: --role ROLE is required (see --help)\n");
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(sub, "revoke") && !arg) {
        fprintf(stderr, "arbiter token: revoke needs the token's ID (see `arbiter token list`)\n");
        return CLI_EXIT_USAGE;
    }
    ar_error err = {0};
    ar_ctx *ctx = cli_ctx_new(false);
    if (!ctx)
        return CLI_EXIT_FAIL;
    ar_workflow *w = open_dir(ctx, dir, &err);
    int rc = CLI_EXIT_FAIL;
    if (w && !strcmp(sub, "create"))
        rc = token_create(w, role, name, user, &err);
    else if (w && !strcmp(sub, "list"))
        rc = token_list(w, as_json, &err);
    else if (w)
        rc = token_revoke(w, arg, &err);
    if (rc != CLI_EXIT_OK)
        cli_report("arbiter token", &err);
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    return rc;
}
