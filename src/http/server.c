/*
 * server.c - libmicrohttpd in front of ar_http_dispatch(): the only file
 * that knows libmicrohttpd. It binds the listen socket itself (IPv4 or
 * IPv6, port 0 allowed), reads each request into an ar_http_req (stopping
 * at the body limit), answers with the ar_http_res, and counts requests in
 * flight so a stop can wait for them.
 *
 * Limits, each answered with arbiter's JSON error where libmicrohttpd lets
 * us answer at all (docs/CONFIG.md lists what it answers itself):
 *   - headers: the request line and headers past header_max are answered
 *     431 here; libmicrohttpd's per-connection memory is header_max plus
 *     16 KiB (its read buffer starts at half of it and grows into the rest,
 *     which also holds its per-header records and the reply's header
 *     block), and only past it does libmicrohttpd answer 431 itself (HTML);
 *   - connections: past connection_limit a request is answered 503 with
 *     Retry-After and the connection closed; libmicrohttpd accepts up to an
 *     eighth more (at least 8) for that, and closes any beyond at accept;
 *   - an idle or slow client is closed after MHD_OPTION_CONNECTION_TIMEOUT,
 *     so a slow body cannot hold a worker (the epoll workers never block on
 *     one connection);
 *   - bodies past the limit are drained without being kept and answered 413.
 * TLS: with a certificate and key the daemon speaks HTTPS only (GnuTLS
 * inside libmicrohttpd); a plain-HTTP client fails the handshake.
 *
 * The path and query reach us still percent-encoded (a no-op unescape
 * callback): the router decodes each path segment on its own, so an item id
 * may contain an encoded "/".
 */
#include "http/http.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define AR_HTTP_POOL_SLACK (16 * 1024) /* connection memory past header_max */

struct ar_http_server {
    ar_http_app *app;
    struct MHD_Daemon *d;
    int fd;
    unsigned port;
    atomic_int inflight;
    atomic_uint connections; /* open, counted by on_connection */
    unsigned connection_limit; /* past it requests get 503 */
    size_t header_max;
    bool quiesced;
};

/* One request's state across the access handler's calls. */
typedef struct conn_req {
    char *body;
    size_t len, cap;
    bool too_big;
    bool counted;
} conn_req;

static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

/* Decode a query key or value in place ('+' is a space); false if malformed. */
static bool query_decode(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p == '+') {
            *o++ = ' ';
        } else if (*p == '%') {
            int h = ar_http_hex_digit(p[1]), l = h < 0 ? -1 : ar_http_hex_digit(p[2]);
            if (h < 0 || l < 0 || (h | l) == 0)
                return false;
            *o++ = (char)(h * 16 + l);
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return true;
}

typedef struct query_acc {
    ar_http_req *req;
    char *store[2 * AR_HTTP_MAX_QUERY];
    size_t nstore;
    bool bad;
} query_acc;

static enum MHD_Result take_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    query_acc *q = cls;
    if (q->req->nquery == AR_HTTP_MAX_QUERY)
        return MHD_NO;
    char *k = strdup(key ? key : ""), *v = value ? strdup(value) : NULL;
    if (!k || (value && !v) || !query_decode(k) || (v && !query_decode(v))) {
        free(k);
        free(v);
        q->bad = true;
        return MHD_NO;
    }
    q->store[q->nstore++] = k;
    if (v)
        q->store[q->nstore++] = v;
    q->req->query[q->req->nquery++] = (ar_http_kv){k, v};
    return MHD_YES;
}

typedef struct header_sum {
    size_t bytes;
} header_sum;

static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key,
                                       const char *value)
{
    (void)kind;
    header_sum *h = cls;
    h->bytes += strlen(key) + (value ? strlen(value) : 0) + 4; /* ": " and CRLF */
    return MHD_YES;
}

/* Bytes of the request line and headers, as received (near enough: the
 * separators are counted as one space and CRLF). */
static size_t request_head_bytes(struct MHD_Connection *c, const char *method, const char *url,
                                 const char *version)
{
    header_sum h = {strlen(method) + strlen(url) + strlen(version) + 4};
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_header_size, &h);
    return h.bytes;
}

static enum MHD_Result respond(struct MHD_Connection *c, ar_http_res *res)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(res->len, res->body,
                                                             MHD_RESPMEM_MUST_FREE);
    if (!r) {
        ar_http_res_free(res);
        return MHD_NO;
    }
    res->body = NULL; /* the response owns it now */
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            res->content_type ? res->content_type : "application/json");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    for (size_t i = 0; i < res->nheaders; i++)
        MHD_add_response_header(r, res->headers[i].key, res->headers[i].value);
    enum MHD_Result ret = MHD_queue_response(c, res->status, r);
    MHD_destroy_response(r);
    return ret;
}

/* A request refused before it is read: a JSON error, and the connection closed. */
static enum MHD_Result refuse(ar_http_app *app, struct MHD_Connection *c, unsigned status,
                              const char *code, const char *field, const char *message,
                              const char *retry_after)
{
    ar_http_res res;
    memset(&res, 0, sizeof res);
    ar_http_reply_errorf(&res, status, code, field, "%s", message);
    if (retry_after)
        ar_http_res_header(&res, "Retry-After", retry_after);
    ar_http_res_header(&res, "Connection", "close");
    ar_log_kv kv[] = {AR_KV_INT("status", status), AR_KV_STR("code", code),
                      AR_KV_STR("field", field)};
    ar_http_log(app, AR_LOG_INFO, "request_refused", kv, 3);
    return respond(c, &res);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    ar_http_server *s = cls;
    ar_http_app *app = s->app;
    conn_req *cr = *con_cls;
    if (!cr) { /* first call: headers are in */
        if (!(cr = calloc(1, sizeof *cr)))
            return MHD_NO;
        *con_cls = cr;
        cr->counted = true;
        atomic_fetch_add(&s->inflight, 1);
        if (atomic_load(&s->connections) > s->connection_limit)
            return refuse(app, c, 503, AR_HTTP_CODE_NOT_READY, "connections",
                          "too many open connections: try again shortly", "1");
        if (request_head_bytes(c, method, url, version) > s->header_max)
            return refuse(app, c, 431, "too_big", "headers",
                          "the request line and headers are too big", NULL);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > app->cfg.body_max)
            cr->too_big = true; /* answered below without reading the body */
        else
            return MHD_YES;
    }
    if (*upload_data_size && !cr->too_big) {
        size_t n = *upload_data_size;
        if (cr->len + n > app->cfg.body_max) {
            cr->too_big = true;
            free(cr->body);
            cr->body = NULL;
            cr->len = cr->cap = 0;
        } else {
            if (cr->len + n + 1 > cr->cap) {
                size_t cap = cr->cap ? cr->cap : 4096;
                while (cap < cr->len + n + 1)
                    cap *= 2;
                char *p = realloc(cr->body, cap);
                if (!p)
                    return MHD_NO;
                cr->body = p;
                cr->cap = cap;
            }
            memcpy(cr->body + cr->len, upload_data, n);
            cr->len += n;
            cr->body[cr->len] = '\0';
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) { /* past the limit: drain without keeping */
        *upload_data_size = 0;
        return MHD_YES;
    }
    /* the whole request is in (or it is too big): dispatch */
    ar_http_req req = {0};
    ar_http_res res;
    query_acc q = {.req = &req};
    req.app = app;
    req.method = ar_http_method_parse(method);
    req.path = url;
    req.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_AUTHORIZATION);
    req.cookie = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
    req.csrf = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
    req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_CONTENT_TYPE);
    req.body = cr->body;
    req.body_len = cr->len;
    req.body_too_big = cr->too_big;
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, take_arg, &q);
    if (q.bad) {
        memset(&res, 0, sizeof res);
        ar_http_reply_errorf(&res, 400, "invalid_argument", "query",
                             "the query string is not valid percent-encoding");
    } else {
        ar_http_dispatch(&req, &res);
    }
    for (size_t i = 0; i < q.nstore; i++)
        free(q.store[i]);
    ar_http_res_header(&res, "X-Request-Id", req.request_id);
    if (s->quiesced)
        ar_http_res_header(&res, "Connection", "close");
    return respond(c, &res);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    ar_http_server *s = cls;
    conn_req *cr = *con_cls;
    if (!cr)
        return;
    if (cr->counted)
        atomic_fetch_sub(&s->inflight, 1);
    free(cr->body);
    free(cr);
    *con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)c;
    (void)socket_context;
    ar_http_server *s = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&s->connections, 1);
    else
        atomic_fetch_sub(&s->connections, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    ar_http_server *s = cls;
    char msg[256];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    ar_log_kv kv[] = {AR_KV_STR("message", msg)};
    ar_http_log(s->app, AR_LOG_WARN, "mhd", kv, 1);
}

/* "127.0.0.1:8080", "[::1]:0", "localhost:80", ":8080" (any IPv4 address). */
static ar_status bind_listen(const char *listen_at, int *fd_out, unsigned *port, ar_error *err)
{
    char host[256];
    const char *colon = strrchr(listen_at ? listen_at : "", ':');
    if (!colon || !colon[1])
        return ar_error_set(err, AR_EINVAL, "listen", "--listen must be HOST:PORT, not '%s'",
                            listen_at ? listen_at : "");
    size_t hl = (size_t)(colon - listen_at);
    const char *h = listen_at;
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl >= sizeof host)
        return ar_error_set(err, AR_EINVAL, "listen", "--listen host is too long");
    memcpy(host, h, hl);
    host[hl] = '\0';
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV}, *ai = NULL;
    int rc = getaddrinfo(hl ? host : NULL, colon + 1, &hints, &ai);
    if (rc != 0)
        return ar_error_set(err, AR_EINVAL, "listen", "cannot resolve '%s': %s", listen_at,
                            gai_strerror(rc));
    int fd = -1, e = 0;
    for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            e = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (a->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, 1024) != 0 ||
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
            e = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(ai);
    if (fd < 0)
        return ar_error_set(err, AR_EIO, "listen", "cannot listen on %s: %s", listen_at,
                            strerror(e));
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    *port = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                     : ntohs(((struct sockaddr_in *)&ss)->sin_port);
    *fd_out = fd;
    return AR_OK;
}

ar_status ar_http_server_start(ar_http_app *app, const ar_http_server_opts *opts,
                               ar_http_server **out, ar_error *err)
{
    ar_http_server *s = calloc(1, sizeof *s);
    if (!s)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory starting the server");
    s->app = app;
    atomic_init(&s->inflight, 0);
    atomic_init(&s->connections, 0);
    s->connection_limit = opts->connection_limit ? opts->connection_limit : 1024;
    s->header_max = opts->header_max ? opts->header_max : 16 * 1024;
    bool tls = opts->tls_cert_pem && opts->tls_key_pem;
    if (tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
        free(s);
        return ar_error_set(err, AR_EINVAL, "tls_cert",
                            "this libmicrohttpd was built without TLS: remove tls_cert and "
                            "tls_key, or install one built with GnuTLS");
    }
    ar_status st = bind_listen(opts->listen, &s->fd, &s->port, err);
    if (st != AR_OK) {
        free(s);
        return st;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = opts->threads ? opts->threads : (cores > 0 ? (unsigned)cores : 1);
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                     (tls ? MHD_USE_TLS : 0);
    /* room past the limit so that the refusals above can be answered */
    unsigned headroom = s->connection_limit / 8 > 8 ? s->connection_limit / 8 : 8;
    /* libmicrohttpd (0.9.75) zeroes the whole pool after every request and
     * the unused part of its read buffer (half the pool) before every reply:
     * 1.5 times the pool, about one instruction a byte, on every request.
     * header_max + 16 KiB (32 KiB by default, as the benchmark's ceiling)
     * holds a header_max request head with room for ~290 header records;
     * twice header_max + 16 KiB cost 24k instructions a request more
     * (docs/PERFORMANCE.md, HTTP). */
    size_t pool = s->header_max + AR_HTTP_POOL_SLACK;
    struct MHD_OptionItem o[16];
    size_t n = 0;
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, s->fd, NULL};
    if (threads > 1) /* MHD wants no pool option rather than a pool of one */
        o[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, threads, NULL};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT,
                                     (intptr_t)s->connection_limit + headroom, NULL};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT,
                                     opts->timeout_s ? opts->timeout_s : 30, NULL};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)pool, NULL};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, s};
    if (tls) { /* libmicrohttpd copies the PEM into GnuTLS at start */
        o[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0,
                                         (void *)(uintptr_t)opts->tls_cert_pem};
        o[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0,
                                         (void *)(uintptr_t)opts->tls_key_pem};
    }
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)no_unescape, NULL};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
                            mhd_log, s, MHD_OPTION_ARRAY, o, MHD_OPTION_END);
    if (!s->d) {
        close(s->fd);
        free(s);
        return tls ? ar_error_set(err, AR_EINVAL, "tls_cert",
                                  "libmicrohttpd could not start TLS with tls_cert and tls_key "
                                  "(the log line before says why): are they PEM, and a pair?")
                   : ar_error_set(err, AR_EBACKEND, "listen", "libmicrohttpd failed to start");
    }
    *out = s;
    return AR_OK;
}

unsigned ar_http_server_port(const ar_http_server *s)
{
    return s->port;
}

void ar_http_server_quiesce(ar_http_server *s)
{
    if (s->quiesced)
        return;
    s->quiesced = true;
    MHD_socket fd = MHD_quiesce_daemon(s->d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    s->fd = -1;
}

void ar_http_server_stop(ar_http_server *s, unsigned wait_s)
{
    if (!s)
        return;
    ar_http_server_quiesce(s);
    /* requests in flight finish; idle keep-alive connections are closed by
     * MHD_stop_daemon */
    struct timespec tick = {0, 10 * 1000 * 1000};
    for (unsigned i = 0; i < wait_s * 100 && atomic_load(&s->inflight) > 0; i++)
        nanosleep(&tick, NULL);
    MHD_stop_daemon(s->d);
    free(s);
}
