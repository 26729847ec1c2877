/*
 * config.h - arbiterd's settings: one table of keys, each with a default, a
 * YAML key in the config file, an environment variable and a command-line
 * flag (docs/CONFIG.md lists them; dist/arbiter.yaml is a commented file).
 *
 * Precedence, lowest first: the defaults < the config file (--config FILE
 * or $ARBITER_CONFIG) < the environment (ARBITER_<KEY>) < the flags. A bad
 * value anywhere is an AR_EINVAL error naming the key and where it came from
 * (file:line:column, the variable, or the flag); the daemon exits before it
 * binds a socket. The config file is checked whole: every unknown key ("did
 * you mean"), duplicate key and bad value is listed, not just the first.
 *
 * THREAD SAFETY: none needed: read once, in the main thread, at start.
 */
#ifndef AR_CLI_CONFIG_H
#define AR_CLI_CONFIG_H

#include "arbiter/arbiter.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CLI_CONFIG_PATH_MAX 1024

typedef struct cli_config {
    char listen[256];                  /* HOST:PORT */
    char dir[CLI_CONFIG_PATH_MAX];     /* the workflow directory */
    char policy[CLI_CONFIG_PATH_MAX];  /* the policy file; "" until set (required) */
    char tls_cert[CLI_CONFIG_PATH_MAX]; /* PEM certificate chain; "": plain HTTP */
    char tls_key[CLI_CONFIG_PATH_MAX];  /* PEM private key; set with tls_cert */
    char console_dir[CLI_CONFIG_PATH_MAX]; /* the console's files; "": no console */
    unsigned threads;            /* 0: one per core */
    size_t body_max;             /* bytes of a request body */
    size_t header_max;           /* bytes of the request line and headers */
    unsigned connections_max;    /* open connections */
    unsigned connection_timeout; /* seconds a connection may stay idle or slow */
    unsigned session_hours;      /* a console sign-in lasts this long */
    double rate;                 /* requests per second per token; 0: no limit */
    double burst;                /* token bucket size; 0: the rate */
    ar_log_level log_level;
} cli_config;

/* Every key at its default. */
void cli_config_defaults(cli_config *c);

/* Apply the YAML file at `path`. Every problem goes to `diags` (file:line:
 * column, the key in .field); the first is in *err. */
ar_status cli_config_load_file(ar_ctx *ctx, cli_config *c, const char *path, ar_diag_list *diags,
                               ar_error *err);

/* Apply every ARBITER_<KEY> variable that is set (an empty one is an error). */
ar_status cli_config_load_env(cli_config *c, ar_error *err);

/* Apply one command-line flag: `flag` is "--listen", "--body-max", ...
 * AR_ENOTFOUND (err untouched) when the flag is no config key. */
ar_status cli_config_set_flag(cli_config *c, const char *flag, const char *value, ar_error *err);

/* What a complete configuration needs: a policy, tls_cert and tls_key both
 * or neither, each naming a readable file. */
ar_status cli_config_check(const cli_config *c, ar_error *err);

/* Print the flags with their defaults, for --help. */
void cli_config_usage(FILE *f);

#endif
