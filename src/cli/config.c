/*
 * config.c - arbiterd's settings from the defaults, a YAML file, the
 * environment and the flags (contract in config.h). One table below drives
 * all four, so a key cannot be settable one way and not another.
 *
 * The config file goes through the policy module's YAML reader and checking
 * helpers (src/policy/yaml_check.c): the same file:line:column messages,
 * "did you mean" for unknown keys, duplicate keys, as policies.
 */
#include "cli/config.h"
#include "http/http.h"
#include "policy/policy_int.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef enum key_kind {
    KEY_TEXT,  /* a string up to the field's size */
    KEY_COUNT, /* unsigned, a whole number in [min, max] */
    KEY_BYTES, /* size_t, a whole number in [min, max] */
    KEY_RATE,  /* double in [min, max] */
    KEY_LEVEL, /* error, warn, info, debug */
} key_kind;

typedef struct config_key {
    const char *name; /* in the YAML file */
    const char *env;
    const char *flag;
    key_kind kind;
    size_t offset, size;
    double min, max;
} config_key;

#define TEXT(n, e, f, m) {n, e, f, KEY_TEXT, offsetof(cli_config, m), sizeof((cli_config *)0)->m, 0, 0}
#define NUM(n, e, f, k, m, lo, hi) {n, e, f, k, offsetof(cli_config, m), 0, lo, hi}

static const config_key keys[] = {
    TEXT("listen", "ARBITER_LISTEN", "--listen", listen),
    TEXT("dir", "ARBITER_DIR", "--dir", dir),
    TEXT("policy", "ARBITER_POLICY", "--policy", policy),
    NUM("threads", "ARBITER_THREADS", "--threads", KEY_COUNT, threads, 0, 1024),
    NUM("body_max", "ARBITER_BODY_MAX", "--body-max", KEY_BYTES, body_max, 1, 64.0 * 1024 * 1024),
    NUM("header_max", "ARBITER_HEADER_MAX", "--header-max", KEY_BYTES, header_max, 1024,
        1024 * 1024),
    NUM("connections_max", "ARBITER_CONNECTIONS_MAX", "--connections-max", KEY_COUNT,
        connections_max, 1, 1000000),
    NUM("connection_timeout", "ARBITER_CONNECTION_TIMEOUT", "--connection-timeout", KEY_COUNT,
        connection_timeout, 1, 3600),
    NUM("session_hours", "ARBITER_SESSION_HOURS", "--session-hours", KEY_COUNT, session_hours,
        1, 720),
    NUM("rate", "ARBITER_RATE", "--rate", KEY_RATE, rate, 0, 1e9),
    NUM("burst", "ARBITER_BURST", "--burst", KEY_RATE, burst, 0, 1e9),
    TEXT("tls_cert", "ARBITER_TLS_CERT", "--tls-cert", tls_cert),
    TEXT("tls_key", "ARBITER_TLS_KEY", "--tls-key", tls_key),
    TEXT("console_dir", "ARBITER_CONSOLE_DIR", "--console-dir", console_dir),
    NUM("log_level", "ARBITER_LOG_LEVEL", "--log-level", KEY_LEVEL, log_level, 0, 0),
};
#define NKEYS (sizeof keys / sizeof keys[0])

static const char *const level_names[] = {"error", "warn", "info", "debug"};

/* The console's files: installed under share/arbiter/console, or, for a
 * binary run from its build tree (make run), the source tree's console/.
 * CMake sets both paths; the first that is a directory wins. */
#ifndef AR_CONSOLE_DIR_INSTALLED
#define AR_CONSOLE_DIR_INSTALLED "/usr/local/share/arbiter/console"
#endif
#ifndef AR_CONSOLE_DIR_SOURCE
#define AR_CONSOLE_DIR_SOURCE ""
#endif
static void default_console_dir(char *out, size_t size)
{
    const char *const candidates[] = {AR_CONSOLE_DIR_INSTALLED, AR_CONSOLE_DIR_SOURCE};
    struct stat st;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
        if (*candidates[i] && strlen(candidates[i]) < size && stat(candidates[i], &st) == 0 &&
            S_ISDIR(st.st_mode)) {
            strcpy(out, candidates[i]);
            return;
        }
}

void cli_config_defaults(cli_config *c)
{
    memset(c, 0, sizeof *c);
    strcpy(c->listen, "127.0.0.1:8080");
    strcpy(c->dir, "./var");
    c->body_max = AR_HTTP_BODY_MAX_DEFAULT;
    c->header_max = 16 * 1024;
    c->connections_max = 1024;
    c->connection_timeout = 30;
    c->session_hours = 12;
    c->rate = 1000;
    c->log_level = AR_LOG_INFO;
    default_console_dir(c->console_dir, sizeof c->console_dir);
}

/* A whole number of at most 15 digits (exact in a double), no sign, no space. */
static bool parse_whole(const char *s, double *out)
{
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n > 15 || s[n])
        return false;
    *out = strtod(s, NULL);
    return true;
}

static bool parse_decimal(const char *s, double *out)
{
    char *end;
    if (!*s || strchr("+- \t", *s))
        return false;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !(v == v))
        return false;
    *out = v;
    return true;
}

/* Set `k` from `text`; on a bad value write why to msg and return false. */
static bool set_value(cli_config *c, const config_key *k, const char *text, char *msg,
                      size_t msgsize)
{
    char *field = (char *)c + k->offset;
    double v = 0;
    switch (k->kind) {
    case KEY_TEXT:
        if (!*text) {
            snprintf(msg, msgsize, "'%s' is empty", k->name);
            return false;
        }
        if (strlen(text) >= k->size) {
            snprintf(msg, msgsize, "'%s' is longer than %zu bytes", k->name, k->size - 1);
            return false;
        }
        strcpy(field, text);
        return true;
    case KEY_LEVEL:
        for (size_t i = 0; i < sizeof level_names / sizeof level_names[0]; i++)
            if (!strcmp(text, level_names[i])) {
                *(ar_log_level *)(void *)field = (ar_log_level)i;
                return true;
            }
        snprintf(msg, msgsize, "'%s' must be one of error, warn, info, debug, not '%.40s'",
                 k->name, text);
        return false;
    case KEY_RATE:
        if (!parse_decimal(text, &v) || v < k->min || v > k->max) {
            snprintf(msg, msgsize, "'%s' must be a number from %.0f to %.0f, not '%.40s'", k->name,
                     k->min, k->max, text);
            return false;
        }
        *(double *)(void *)field = v;
        return true;
    case KEY_COUNT:
    case KEY_BYTES:
        if (!parse_whole(text, &v) || v < k->min || v > k->max) {
            snprintf(msg, msgsize, "'%s' must be a whole number from %.0f to %.0f, not '%.40s'",
                     k->name, k->min, k->max, text);
            return false;
        }
        if (k->kind == KEY_COUNT)
            *(unsigned *)(void *)field = (unsigned)v;
        else
            *(size_t *)(void *)field = (size_t)v;
        return true;
    }
    return false;
}

/*---- The config file --------------------------------------------------------*/

static void apply_node(ar__pstate *st, cli_config *c, const config_key *k, const ar__ynode *v)
{
    char msg[AR_ERROR_MESSAGE_MAX];
    size_t old = ar__yaml_field_push(st, "%s", k->name);
    if (v->kind == AR__YN_SCALAR && ar__yaml_is_null(v))
        ar__yaml_report_at(st, v, "'%s' is empty: give a value, or remove the key for the default",
                           k->name);
    else if (v->kind != AR__YN_BAD && v->kind != AR__YN_SCALAR)
        ar__yaml_report_at(st, v, "'%s' must be a single value, not %s", k->name,
                           ar__yaml_kind_name(v));
    else if (v->kind == AR__YN_SCALAR && !set_value(c, k, v->str, msg, sizeof msg))
        ar__yaml_report_at(st, v, "%s", msg);
    ar__yaml_field_pop(st, old);
}

static void apply_root(ar__pstate *st, cli_config *c, const ar__ynode *root)
{
    const char *names[NKEYS];
    const ar__ynode *k[NKEYS], *v[NKEYS];
    for (size_t i = 0; i < NKEYS; i++)
        names[i] = keys[i].name;
    if (root->kind != AR__YN_MAP) {
        ar__yaml_report_at(st, root, "a config file must be a mapping of keys to values, not %s",
                           ar__yaml_kind_name(root));
        return;
    }
    if (!ar__yaml_sort_keys(st, root, "the config file", names, NKEYS,
                            "the keys listed in docs/CONFIG.md", k, v))
        return;
    for (size_t i = 0; i < NKEYS; i++)
        if (v[i])
            apply_node(st, c, &keys[i], v[i]);
}

ar_status cli_config_load_file(ar_ctx *ctx, cli_config *c, const char *path, ar_diag_list *diags,
                               ar_error *err)
{
    char *data = NULL;
    size_t len = 0;
    ar_status s = ar__yaml_read_file(ctx, path, &data, &len, diags, err);
    if (s != AR_OK)
        return s;
    ar__pstate st;
    memset(&st, 0, sizeof st);
    st.ctx = ctx;
    st.file = path;
    st.files = &path;
    st.nfiles = st.capfiles = 1;
    ar__arena_init(&st.tree, ctx);
    ar_diag_list_init(&st.diags, ctx);
    cli_config next = *c; /* applied only if the whole file is good */
    const ar__ynode *root = ar__policy_yaml_load(&st, data, len);
    if (root && !st.fatal)
        apply_root(&st, &next, root);
    else if (!root && !st.fatal && st.diags.n == 1 &&
             !strncmp(st.diags.v[0].message, "the policy is empty", 19)) /* reword for us */
        snprintf(st.diags.v[0].message, sizeof st.diags.v[0].message,
                 "the config file is empty: give at least 'policy'");
    ar__arena_free(&st.tree);
    ar__free(ctx, data);

    if (st.fatal) {
        s = ar_error_set(err, AR_ENOMEM, NULL, "out of memory reading the config file");
    } else if (st.diags.n) {
        ar__policy_sort_diags(&st);
        s = st.diags.v[0].status;
        if (err)
            *err = st.diags.v[0];
        for (size_t i = 0; diags && i < st.diags.n; i++)
            if (ar_diag_list_add(diags, &st.diags.v[i]) != AR_OK)
                s = ar_error_set(err, AR_ENOMEM, NULL, "out of memory listing problems");
    } else {
        *c = next;
    }
    ar_diag_list_free(&st.diags);
    return s;
}

/*---- The environment and the flags -------------------------------------------*/

ar_status cli_config_load_env(cli_config *c, ar_error *err)
{
    char msg[AR_ERROR_MESSAGE_MAX - 64];
    for (size_t i = 0; i < NKEYS; i++) {
        const char *v = getenv(keys[i].env);
        if (v && !set_value(c, &keys[i], v, msg, sizeof msg))
            return ar_error_set(err, AR_EINVAL, keys[i].env, "environment %s: %s", keys[i].env,
                                msg);
    }
    return AR_OK;
}

ar_status cli_config_set_flag(cli_config *c, const char *flag, const char *value, ar_error *err)
{
    char msg[AR_ERROR_MESSAGE_MAX - 64];
    for (size_t i = 0; i < NKEYS; i++) {
        if (strcmp(flag, keys[i].flag) != 0)
            continue;
        if (!set_value(c, &keys[i], value, msg, sizeof msg))
            return ar_error_set(err, AR_EINVAL, keys[i].flag, "%s: %s", keys[i].flag, msg);
        return AR_OK;
    }
    return AR_ENOTFOUND;
}

static ar_status check_readable(const char *key, const char *path, ar_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ar_error_set(err, AR_EINVAL, key, "'%s': cannot read %s: %s", key, path,
                            strerror(errno));
    fclose(f);
    return AR_OK;
}

/* HOST:PORT with a numeric port; the host is resolved when binding. */
static ar_status check_listen(const char *listen, ar_error *err)
{
    const char *colon = strrchr(listen, ':');
    double port = 0;
    if (!colon || !parse_whole(colon + 1, &port) || port > 65535)
        return ar_error_set(err, AR_EINVAL, "listen",
                            "'listen' must be HOST:PORT with a port from 0 to 65535, not '%.60s'",
                            listen);
    return AR_OK;
}

ar_status cli_config_check(const cli_config *c, ar_error *err)
{
    if (check_listen(c->listen, err) != AR_OK)
        return AR_EINVAL;
    if (!c->policy[0])
        return ar_error_set(err, AR_EINVAL, "policy",
                            "no policy: set 'policy' in the config file, ARBITER_POLICY or --policy");
    if (!c->tls_cert[0] != !c->tls_key[0])
        return ar_error_set(err, AR_EINVAL, c->tls_cert[0] ? "tls_key" : "tls_cert",
                            "'tls_cert' and 'tls_key' go together: '%s' is missing",
                            c->tls_cert[0] ? "tls_key" : "tls_cert");
    ar_status s = AR_OK;
    if (c->tls_cert[0] && (s = check_readable("tls_cert", c->tls_cert, err)) != AR_OK)
        return s;
    if (c->tls_key[0] && (s = check_readable("tls_key", c->tls_key, err)) != AR_OK)
        return s;
    struct stat st;
    if (c->console_dir[0] && (stat(c->console_dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        return ar_error_set(err, AR_EINVAL, "console_dir",
                            "'console_dir' must name a directory of the console's files, not "
                            "'%.200s'",
                            c->console_dir);
    return AR_OK;
}

void cli_config_usage(FILE *f)
{
    cli_config d;
    cli_config_defaults(&d);
    for (size_t i = 0; i < NKEYS; i++) {
        const config_key *k = &keys[i];
        const char *field = (const char *)&d + k->offset;
        char def[64];
        switch (k->kind) {
        case KEY_TEXT:
            snprintf(def, sizeof def, "%s", *field ? field : "none");
            break;
        case KEY_COUNT:
            snprintf(def, sizeof def, "%u", *(const unsigned *)(const void *)field);
            break;
        case KEY_BYTES:
            snprintf(def, sizeof def, "%zu", *(const size_t *)(const void *)field);
            break;
        case KEY_RATE:
            snprintf(def, sizeof def, "%g", *(const double *)(const void *)field);
            break;
        case KEY_LEVEL:
            snprintf(def, sizeof def, "%s", level_names[*(const ar_log_level *)(const void *)field]);
            break;
        }
        fprintf(f, "  %-22s %-28s default %s\n", k->flag, k->env, def);
    }
}
