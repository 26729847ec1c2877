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
    {"policy", cli_policy, "policy lint FILE: report every problem as file:line:column"},
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
