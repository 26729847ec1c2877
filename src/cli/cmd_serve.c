/*
 * cmd_serve.c - `arbiter serve`: arbiterd in the foreground. Opens the
 * workflow directory (with the visibility index), compiles the policy into
 * an engine slot, serves HTTP (src/http/), and handles signals in the main
 * thread with sigwait(), never in a handler:
 *   SIGHUP          re-read the policy file and swap the engine (a bad policy
 *                   keeps the old one and logs why);
 *   SIGTERM/SIGINT  stop accepting, let requests in flight finish, exit 0.
 * Logs are JSON lines on stderr: the first is {"event":"listening",...,"port":N}.
 */
#include "cli.h"
#include "http/http.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t line_lock = PTHREAD_MUTEX_INITIALIZER;

static void log_line(void *ud, const char *line)
{
    (void)ud;
    pthread_mutex_lock(&line_lock);
    fprintf(stderr, "%s\n", line);
    fflush(stderr);
    pthread_mutex_unlock(&line_lock);
}

static void serve_usage(FILE *f)
{
    fprintf(f,
            "usage: arbiter serve --policy FILE [--listen HOST:PORT] [--dir DIR] [--threads N]\n"
            "                     [--rate N] [--burst N] [--body-max BYTES] [--timeout S]\n"
            "                     [--max-connections N]\n\n"
            "Serve the HTTP API (see GET /openapi.json) in the foreground. Logs are JSON\n"
            "lines on stderr, one per request; the first line gives the bound port.\n"
            "SIGHUP re-reads the policy; SIGTERM or SIGINT drains and exits 0.\n\n"
            "options:\n"
            "  --policy FILE        the policy (YAML)\n"
            "  --listen HOST:PORT   default 127.0.0.1:8080; port 0 picks a free port;\n"
            "                       [::1]:PORT for IPv6\n"
            "  --dir DIR            the workflow directory (default ./var, or $ARBITER_DIR)\n"
            "  --threads N          worker threads (default: one per core)\n"
            "  --rate N             requests per second per token (default 1000; 0: no limit)\n"
            "  --burst N            bucket size (default: the rate)\n"
            "  --body-max BYTES     request body limit (default %u)\n"
            "  --timeout S          close idle or slow connections after S seconds (default 30)\n"
            "  --max-connections N  default 1024\n"
            "  -v, --verbose        library debug logs\n",
            AR_HTTP_BODY_MAX_DEFAULT);
}

static bool parse_num(const char *s, double max, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= 0) || v > max)
        return false;
    *out = v;
    return true;
}

int cli_serve(int argc, char **argv)
{
    const char *dir = getenv("ARBITER_DIR") ? getenv("ARBITER_DIR") : "./var";
    const char *policy = NULL, *listen_at = "127.0.0.1:8080", *v;
    double threads = 0, rate = 1000, burst = 0, body_max = AR_HTTP_BODY_MAX_DEFAULT,
           timeout = 30, conns = 1024;
    bool verbose = false;
    for (int i = 1; i < argc; i++) {
        double *num = NULL, max = 0;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            serve_usage(stdout);
            return CLI_EXIT_OK;
        } else if ((v = cli_opt(argc, argv, &i, "--dir"))) {
            dir = v;
        } else if ((v = cli_opt(argc, argv, &i, "--policy"))) {
            policy = v;
        } else if ((v = cli_opt(argc, argv, &i, "--listen"))) {
            listen_at = v;
        } else if ((v = cli_opt(argc, argv, &i, "--threads"))) {
            num = &threads, max = 1024;
        } else if ((v = cli_opt(argc, argv, &i, "--rate"))) {
            num = &rate, max = 1e9;
        } else if ((v = cli_opt(argc, argv, &i, "--burst"))) {
            num = &burst, max = 1e9;
        } else if ((v = cli_opt(argc, argv, &i, "--body-max"))) {
            num = &body_max, max = 64.0 * 1024 * 1024;
        } else if ((v = cli_opt(argc, argv, &i, "--timeout"))) {
            num = &timeout, max = 3600;
        } else if ((v = cli_opt(argc, argv, &i, "--max-connections"))) {
            num = &conns, max = 1e6;
        } else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
            verbose = true;
        } else {
            fprintf(stderr, "arbiter serve: unknown argument '%s' (see --help)\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
        if (num && !parse_num(v, max, num)) {
            fprintf(stderr, "arbiter serve: '%s' is not a number from 0 to %.0f\n", v, max);
            return CLI_EXIT_USAGE;
        }
    }
    if (!policy) {
        fprintf(stderr, "arbiter serve: --policy FILE is required\n");
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

    ar_ctx *ctx = cli_ctx_new(verbose);
    if (!ctx)
        return CLI_EXIT_FAIL;
    ar_error err = {0};
    ar_workflow *w = NULL;
    ar_engine *e = NULL;
    ar_engine_slot *slot = NULL;
    ar_http_app app;
    bool app_ok = false;
    ar_http_server *srv = NULL;
    ar_workflow_opts wo = {.dir = dir, .flags = AR_WORKFLOW_INDEX};
    ar_http_config cfg = {.body_max = (size_t)body_max, .rate = rate, .burst = burst,
                          .policy_path = policy, .access_log = log_line};
    ar_http_server_opts so = {.listen = listen_at, .threads = (unsigned)threads,
                              .connection_limit = (unsigned)conns, .timeout_s = (unsigned)timeout};
    int rc = CLI_EXIT_FAIL;
    if (ar_workflow_open(ctx, &wo, &w, &err) != AR_OK ||
        ar_engine_load_file(ctx, policy, &e, &err) != AR_OK ||
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
                          AR_KV_STR("policy", ar_engine_policy(cur)->digest),
                          AR_KV_INT("pid", getpid())};
        ar_engine_release(cur);
        ar_http_log(&app, AR_LOG_INFO, "listening", kv, 4);
    }
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            ar_diag_list diags;
            ar_diag_list_init(&diags, ctx);
            if (ar_http_policy_reload(&app, NULL, 0, &diags, &err) != AR_OK) {
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
        ar_http_log(&app, AR_LOG_INFO, "draining", kv, 1);
        atomic_store(&app.ready, false);
        ar_http_server_stop(srv, 30);
        srv = NULL;
        ar_http_log(&app, AR_LOG_INFO, "stopped", NULL, 0);
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
    return rc;
}
