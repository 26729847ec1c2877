/*
 * main.c - the arbiter command: dispatch to one subcommand per file.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"check", cli_check, "check one text against a policy, print the verdict as JSON"},
    {"scan", cli_scan, "check every post of a JSON-lines file, in order, on every core"},
    {"hash", cli_hash, "hash IMAGE...: the PDQ hash and quality of JPEG, PNG and WebP images"},
    {"policy", cli_policy, "policy lint FILE: report every problem as file:line:column"},
    {"init", cli_init, "create a workflow directory: store, audit key, deadline rules"},
    {"user", cli_user, "user add NAME --role ROLE: add a staff member"},
    {"request", cli_request, "legal requests: add, show, list, decide per item, notify, close"},
    {"case", cli_case, "review cases: list, assign, decide"},
    {"notice", cli_notice, "notice add FILE.json: a user's or trusted flagger's report"},
    {"appeal", cli_appeal, "appeals: add, decide (by someone other than the decider)"},
    {"item", cli_item, "item show ITEM: every decision about an item"},
    {"visibility", cli_visibility, "visibility ITEM --country CC: visible, restricted or removed"},
    {"audit", cli_audit, "audit verify: check the hash chain and the signed checkpoints"},
    {"url-list", cli_url_list, "blocked-URL lists: create, list, show, add, remove, import, export, delete"},
    {"bank", cli_bank, "image-hash banks (PDQ): create, list, show, add, remove, import, export, delete"},
    {"token", cli_token, "token create|list|revoke: API tokens for arbiterd (shown once)"},
    {"serve", cli_serve, "serve the HTTP API (arbiterd) in the foreground"},
    {"report", cli_report_cmd, "the transparency report for a period: json, csv or html"},
    {"export", cli_export, "export sor (DSA statements of reasons) or orders (public register)"},
    {"demo", cli_demo, "demo seed: a workflow directory holding a known, seeded history"},
    {"version", cli_version, "print the version"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: arbiter COMMAND [OPTIONS]\n\n"
               "arbiter checks posts against a platform's community standards.\n\n"
               "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n`arbiter COMMAND --help` shows a command's options.\n");
}

int main(int argc, char **argv)
{
    const char *self = strrchr(argv[0], '/'); /* `arbiterd ARGS` is `arbiter serve ARGS` */
    if (!strcmp(self ? self + 1 : argv[0], "arbiterd"))
        return cli_serve(argc, argv);
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version"))
        return cli_version(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "arbiter: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
