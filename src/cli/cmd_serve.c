/*
 * cmd_serve.c - `arbiter serve`: arbiterd in the foreground. Opens the
 * workflow directory (with the visibility index), compiles the policy into
 * an engine slot, serves HTTP (src/http/), and handles signals in the main
 * thread with sigwait(), never in a handler:
 *   SIGHUP          re-read the policy file and swap the engine (a bad policy
 *                   keeps the old one and logs why);
 *   SIGTERM/SIGINT  stop accepting, let requests in flight finish, exit 0.
 * Settings come from src/cli/config.c (defaults < --config FILE < ARBITER_*
 * variables < flags); `arbiterd ARGS` is `arbiter serve ARGS` (main.c).
 * Logs are JSON lines on stderr: the first is {"event":"listening",...,"port":N}.
 */
#include "cli.h"
#include "cli/config.h"
#include "http/http.h"

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t line_lock = PTHREAD_MUTEX_INITIALIZER;
static ar_log_level line_level = AR_LOG_INFO;

/* Every line comes from ar_log_format_json(), so it opens with its level. */
static bool line_wanted(const char *line)
{
    static const char *const prefixes[] = {"{\"level\":\"error\"", "{\"level\":\"warn\"",
                                           "{\"level\":\"info\"", "{\"level\":\"debug\""};
    for (int l = (int)line_level + 1; l <= (int)AR_LOG_DEBUG; l++)
        if (!strncmp(line, prefixes[l], strlen(prefixes[l])))
            return false;
    return true;
}

/* One write(2) per line: lines shorter than PIPE_BUF reach a pipe or file
 * whole without a lock, so workers never queue behind each other to log.
 * Longer lines (rare) take the lock, so they do not interleave either. */
static void log_line(void *ud, const char *line)
{
    (void)ud;
    if (!line_wanted(line))
        return;
    char buf[PIPE_BUF];
    size_t n = strlen(line);
    if (n + 1 <= sizeof buf) {
        memcpy(buf, line, n);
        buf[n] = '\n';
        ssize_t w = write(STDERR_FILENO, buf, n + 1);
        (void)w; /* a log that cannot be written must not stop the service */
        return;
    }
    pthread_mutex_lock(&line_lock);
    fprintf(stderr, "%s\n", line);
    fflush(stderr);
    pthread_mutex_unlock(&line_lock);
}

/* Start and stop lines are written whatever the log level: scripts wait
 * for "listening" to learn the port. */
static void log_always(const char *event, const ar_log_kv *kv, size_t nkv)
{
    char line[1024];
    ar_log_format_json(line, sizeof line, AR_LOG_INFO, "http", event, kv, nkv);
    pthread_mutex_lock(&line_lock);
    fprintf(stderr, "%s\n", line);
    fflush(stderr);
    pthread_mutex_unlock(&line_lock);
}

static void serve_usage(FILE *f)
{
    fprintf(f,
            "usage: arbiter serve [--config FILE] [--policy FILE] [--listen HOST:PORT] [--dir DIR]\n"
            "                     [--OPTION VALUE ...]\n"
            "       arbiterd ...  (the same program under its daemon name)\n\n"
            "Serve the HTTP API (see GET /openapi.json) in the foreground. Logs are JSON\n"
            "lines on stderr, one per request; the first line gives the bound port.\n"
            "SIGHUP re-reads the policy; SIGTERM or SIGINT drains and exits 0.\n\n"
            "Settings, lowest precedence first: defaults < the config file (--config FILE,\n"
            "or $ARBITER_CONFIG) < environment variables < flags. docs/CONFIG.md explains\n"
            "each; dist/arbiter.yaml is a config file with every key at its default.\n\n"
            "  --config FILE          a YAML config file\n");
    cli_config_usage(f);
    fprintf(f, "  -v, --verbose          the same as --log-level debug\n"
               "(--timeout and --max-connections are older names of --connection-timeout\n"
               "and --connections-max.)\n");
}

/* Read a whole small file (a PEM certificate or key) into memory. */
static char *read_pem(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    char chunk[4096];
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && len < (1u << 20)) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        memcpy(buf + len, chunk, n);
        len += n;
        buf[len] = '\0';
    }
    fclose(f);
    return buf;
}

/* The settings from every layer; CLI_EXIT_OK, or the exit status to return. */
static int serve_settings(int argc, char **argv, cli_config *cfg)
{
    const char *config_path = getenv("ARBITER_CONFIG"), *v;
    for (int i = 1; i < argc; i++) /* the file first: the flags override it */
        if ((v = cli_opt(argc, argv, &i, "--config")))
            config_path = v;
    cli_config_defaults(cfg);
    ar_error err = {0};
    if (config_path) {
        ar_ctx *ctx = cli_ctx_new(false);
        if (!ctx)
            return CLI_EXIT_FAIL;
        ar_diag_list diags;
        ar_diag_list_init(&diags, ctx);
        ar_status st = cli_config_load_file(ctx, cfg, config_path, &diags, &err);
        for (size_t i = 0; st != AR_OK && i < diags.n; i++)
            cli_report("arbiter serve", &diags.v[i]);
        if (st != AR_OK && !diags.n)
            cli_report("arbiter serve", &err);
        ar_diag_list_free(&diags);
        ar_ctx_free(ctx);
        if (st != AR_OK)
            return CLI_EXIT_USAGE;
    }
    if (cli_config_load_env(cfg, &err) != AR_OK) {
        cli_report("arbiter serve", &err);
        return CLI_EXIT_USAGE;
    }
    for (int i = 1; i < argc; i++) {
        const char *flag = argv[i];
        if (!strcmp(flag, "--help") || !strcmp(flag, "-h")) {
            serve_usage(stdout);
            return -1;
        }
        if ((v = cli_opt(argc, argv, &i, "--config")))
            continue;
        if (!strcmp(flag, "-v") || !strcmp(flag, "--verbose")) {
            cfg->log_level = AR_LOG_DEBUG;
            continue;
        }
        char name[64];
        size_t nl = strcspn(flag, "=");
        if (strncmp(flag, "--", 2) != 0 || nl >= sizeof name) {
            fprintf(stderr, "arbiter serve: unknown argument '%s' (see --help)\n", flag);
            return CLI_EXIT_USAGE;
        }
        memcpy(name, flag, nl);
        name[nl] = '\0';
        const char *canonical = !strcmp(name, "--timeout")           ? "--connection-timeout"
                                : !strcmp(name, "--max-connections") ? "--connections-max"
                                                                     : name;
        v = cli_opt(argc, argv, &i, name);
        ar_status st = v ? cli_config_set_flag(cfg, canonical, v, &err) : AR_ENOTFOUND;
        if (st == AR_ENOTFOUND) {
            fprintf(stderr, "arbiter serve: unknown option '%s' (see --help)\n", name);
            return CLI_EXIT_USAGE;
        }
        if (st != AR_OK) {
            cli_report("arbiter serve", &err);
            return CLI_EXIT_USAGE;
        }
    }
    if (cli_config_check(cfg, &err) != AR_OK) {
        cli_report("arbiter serve", &err);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

int cli_serve(int argc, char **argv)
{
    cli_config conf;
    int settings = serve_settings(argc, argv, &conf);
    if (settings != CLI_EXIT_OK)
        return settings < 0 ? CLI_EXIT_OK : settings;
    line_level = conf.log_level;
    char *cert_pem = NULL, *key_pem = NULL;
    if (conf.tls_cert[0] && (!(cert_pem = read_pem(conf.tls_cert)) ||
                             !(key_pem = read_pem(conf.tls_key)))) {
        fprintf(stderr, "arbiter serve: cannot read tls_cert %s or tls_key %s\n", conf.tls_cert,
                conf.tls_key);
        free(cert_pem);
        return CLI_EXIT_USAGE;
    }

    /* Block the signals before any thread starts, so every thread inherits
     * the mask and only sigwait() below sees them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    ar_ctx *ctx = cli_ctx_new(conf.log_level == AR_LOG_DEBUG);
    if (!ctx) {
        free(cert_pem);
        free(key_pem);
        return CLI_EXIT_FAIL;
    }
    const char *policy = conf.policy, *listen_at = conf.listen;
    ar_error err = {0};
    ar_workflow *w = NULL;
    ar_engine *e = NULL;
    ar_engine_slot *slot = NULL;
    ar_http_app app;
    bool app_ok = false;
    ar_http_server *srv = NULL;
    ar_workflow_opts wo = {.dir = conf.dir, .flags = AR_WORKFLOW_INDEX};
    ar_http_config cfg = {.body_max = conf.body_max, .rate = conf.rate, .burst = conf.burst,
                          .session_seconds = (int64_t)conf.session_hours * 3600,
                          .policy_path = policy, .tls = cert_pem != NULL, .access_log = log_line,
                          .console_dir = conf.console_dir[0] ? conf.console_dir : NULL};
    ar_http_server_opts so = {.listen = listen_at, .threads = conf.threads,
                              .connection_limit = conf.connections_max,
                              .timeout_s = conf.connection_timeout, .header_max = conf.header_max,
                              .tls_cert_pem = cert_pem, .tls_key_pem = key_pem};
    int rc = CLI_EXIT_FAIL;
    if (ar_workflow_open(ctx, &wo, &w, &err) != AR_OK ||
        ar_engine_load_file(ctx, policy, &e, &err) != AR_OK ||
        ar_workflow_set_four_eyes(w, "system:start", ar_engine_policy(e)->four_eyes, &err) !=
            AR_OK ||
        ar_engine_slot_new(ctx, e, &slot, &err) != AR_OK) {
        if (!slot)
            ar_engine_release(e);
        cli_report("arbiter serve", &err);
        goto done;
    }
    if (ar_http_app_init(&app, ctx, w, slot, &cfg, &err) != AR_OK) {
        cli_report("arbiter serve", &err);
        goto done;
    }
    app_ok = true;
    if (ar_http_server_start(&app, &so, &srv, &err) != AR_OK) {
        cli_report("arbiter serve", &err);
        goto done;
    }
    atomic_store(&app.ready, true);
    {
        ar_engine *cur = ar_engine_slot_acquire(slot);
        ar_log_kv kv[] = {AR_KV_STR("listen", listen_at),
                          AR_KV_INT("port", ar_http_server_port(srv)),
                          AR_KV_STR("scheme", cert_pem ? "https" : "http"),
                          AR_KV_STR("policy", ar_engine_policy(cur)->digest),
                          AR_KV_INT("pid", getpid())};
        ar_engine_release(cur);
        log_always("listening", kv, 5);
    }
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            ar_diag_list diags;
            ar_diag_list_init(&diags, ctx);
            if (ar_http_policy_reload(&app, "system:sighup", NULL, 0, &diags, &err) != AR_OK) {
                char msg[AR_ERROR_FILE_MAX + AR_ERROR_MESSAGE_MAX + 32];
                for (size_t i = 0; i < diags.n || i == 0; i++) {
                    ar_error_format(diags.n ? &diags.v[i] : &err, msg, sizeof msg);
                    ar_log_kv kv[] = {AR_KV_STR("diagnostic", msg)};
                    ar_http_log(&app, AR_LOG_ERROR, "policy_kept", kv, 1);
                    if (!diags.n)
                        break;
                }
            }
            ar_diag_list_free(&diags);
            continue;
        }
        ar_log_kv kv[] = {AR_KV_STR("signal", sig == SIGTERM ? "TERM" : "INT")};
        log_always("draining", kv, 1);
        atomic_store(&app.ready, false);
        ar_http_server_stop(srv, 30);
        srv = NULL;
        log_always("stopped", NULL, 0);
        rc = CLI_EXIT_OK;
        break;
    }
done:
    ar_http_server_stop(srv, 5);
    if (app_ok)
        ar_http_app_fini(&app);
    ar_engine_slot_free(slot);
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    if (key_pem) /* a private key: do not leave it in freed memory */
        sodium_memzero(key_pem, strlen(key_pem));
    free(cert_pem);
    free(key_pem);
    return rc;
}
