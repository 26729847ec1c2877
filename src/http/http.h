/*
 * http.h - arbiterd, the HTTP service behind `arbiter serve`: arbiter's own
 * request and response types, the route table, the application state the
 * handlers share, and the server that puts libmicrohttpd in front of them.
 *
 * Protocol outside, logic inside: server.c is the only file that knows
 * libmicrohttpd. It turns a connection's request into an ar_http_req
 * (method, raw path, decoded query, the Authorization header, the body) and
 * an ar_http_res back into a response. Everything else (routing,
 * authorisation, rate limits, handlers, the OpenAPI document, metrics) works
 * on those two types, so tests call ar_http_dispatch() with no socket.
 *
 * One route table (routes.c) drives dispatch, authorisation and the OpenAPI
 * generator. Errors are always {"error":{"code","message","field"}}; the
 * code is ar_status_name() of an ar_status, or one of the few HTTP-only
 * codes below, and one table maps each to its HTTP status.
 *
 * THREAD SAFETY: an ar_http_app is shared by every worker thread of the
 * server: the engine slot, the workflow and the token check are
 * thread-safe; the scratch pool, rate limiter and metrics lock or use
 * atomics. ar_http_req and ar_http_res belong to one request.
 */
#ifndef AR_HTTP_H
#define AR_HTTP_H

#include "arbiter/arbiter.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define AR_HTTP_BODY_MAX_DEFAULT  (1u << 20) /* bytes of a request body */
#define AR_HTTP_BATCH_MAX         1000       /* items in a :batch request */
#define AR_HTTP_MAX_QUERY         16         /* query arguments kept */
#define AR_HTTP_MAX_PARAMS        4          /* {params} in a path pattern */
#define AR_HTTP_MAX_HEADERS       4          /* response headers besides Content-Type */
#define AR_HTTP_ITEM_ID_MAX       256        /* bytes of an item id (the store's limit) */
#define AR_HTTP_LANG_MAX          35         /* a BCP 47 tag */

typedef enum ar_http_method {
    AR_HTTP_GET = 0,
    AR_HTTP_POST,
    AR_HTTP_PUT,
    AR_HTTP_DELETE,
    AR_HTTP_PATCH,
    AR_HTTP_HEAD,
    AR_HTTP_OPTIONS,
    AR_HTTP_OTHER,
} ar_http_method;

const char *ar_http_method_name(ar_http_method m);
ar_http_method ar_http_method_parse(const char *s);

/* HTTP-only error codes, beside ar_status_name()'s. */
#define AR_HTTP_CODE_UNAUTHENTICATED "unauthenticated"    /* 401 */
#define AR_HTTP_CODE_NO_ROUTE        "not_found"          /* 404 */
#define AR_HTTP_CODE_METHOD          "method_not_allowed" /* 405 */
#define AR_HTTP_CODE_RATE_LIMITED    "rate_limited"       /* 429 */
#define AR_HTTP_CODE_NOT_READY       "unavailable"        /* 503 */
#define AR_HTTP_CODE_CSRF            "csrf_token_invalid" /* 403 */

typedef struct ar_http_kv {
    const char *key, *value;
} ar_http_kv;

typedef struct ar_http_app ar_http_app;

typedef struct ar_http_req {
    ar_http_method method;
    const char *path;          /* raw (still percent-encoded), without the query */
    ar_http_kv query[AR_HTTP_MAX_QUERY]; /* decoded */
    size_t nquery;
    const char *authorization; /* the Authorization header, NULL if none */
    const char *cookie;        /* the Cookie header (console sessions), NULL if none */
    const char *csrf;          /* the X-CSRF-Token header, NULL if none */
    const char *content_type;  /* the Content-Type header (multipart uploads), NULL if none */
    const char *body;          /* NULL if none */
    size_t body_len;
    bool body_too_big;         /* the server stopped reading past the body limit */
    char request_id[24];       /* for logs; set by the caller or by dispatch */
    ar_http_app *app;
    /* set by dispatch */
    const struct ar_http_route *route;
    ar_http_kv params[AR_HTTP_MAX_PARAMS]; /* decoded path parameters */
    char param_buf[2 * AR_HTTP_ITEM_ID_MAX + 64];
    size_t nparams;
    ar_token_info token; /* the caller, once authenticated (id 0: none) */
    bool via_session;    /* authenticated by a console session cookie */
} ar_http_req;

typedef struct ar_http_res {
    unsigned status;
    char *body; /* malloc'd; ar_http_res_free() frees it */
    size_t len;
    const char *content_type; /* static string */
    ar_http_kv headers[AR_HTTP_MAX_HEADERS]; /* values static or in hbuf */
    size_t nheaders;
    char hbuf[AR_HTTP_MAX_HEADERS][160];
    const char *code; /* the error code if an error, for metrics; static */
} ar_http_res;

void ar_http_res_free(ar_http_res *res);
/* A query argument's value, or NULL. */
const char *ar_http_query(const ar_http_req *req, const char *key);
/* A path parameter's decoded value, or NULL. */
const char *ar_http_param(const ar_http_req *req, const char *name);
/* Add a response header (value copied, truncated to 159 bytes). */
void ar_http_res_header(ar_http_res *res, const char *name, const char *value);

/*---- Replies --------------------------------------------------------------*/

/* HTTP status for an ar_status (the one table). Bad input is never 500. */
unsigned ar_http_status_of(ar_status st);
/* 200..: `doc` (consumed) as compact JSON. */
void ar_http_reply_json(ar_http_res *res, unsigned status, void *json_doc);
void ar_http_reply_text(ar_http_res *res, unsigned status, const char *content_type,
                        char *body, size_t len); /* takes `body` (malloc'd) */
/* {"error":{"code":ar_status_name,"message","field"}} with ar_http_status_of(). */
void ar_http_reply_error(ar_http_res *res, const ar_error *err);
/* The same shape with an explicit status and code. */
void ar_http_reply_errorf(ar_http_res *res, unsigned status, const char *code, const char *field,
                          const char *fmt, ...) AR_PRINTF(5, 6);

/*---- Routes ---------------------------------------------------------------*/

/* Role bits: AR_TOKEN_ROLE_* from arbiter/token.h. */
#define AR_HTTP_PUBLIC 0u /* no token needed */

typedef void (*ar_http_handler)(ar_http_req *req, ar_http_res *res);

typedef struct ar_http_route {
    ar_http_method method;
    const char *pattern;  /* "/v1/items/{id}/visibility" */
    ar_http_handler handler;
    unsigned roles;       /* who may call it; AR_HTTP_PUBLIC: anyone, no token */
    bool rate_limited;    /* counts against the caller's token bucket */
    const char *summary;
    const char *operation_id;
    const char *request_schema;  /* "#/components/schemas/CheckRequest"; NULL: no body */
    const char *request_type;    /* "application/json", "application/yaml" */
    const char *response_schema; /* for the success status */
    const char *response_type;   /* "application/json", "text/plain" */
    unsigned success;            /* 200 */
    const char *query_params;    /* "country" (a required query parameter) */
    const char *query_optional;  /* "state,kind" (optional filters, comma-separated) */
} ar_http_route;

extern const ar_http_route ar_http_routes[];
extern const size_t ar_http_nroutes;

/* Route, authorise, rate-limit and run one request; always fills `res`. */
void ar_http_dispatch(ar_http_req *req, ar_http_res *res);
/* static.c: a GET or HEAD that no route matches: the console's files under
 * /console/ from cfg.console_dir, / redirects there, anything else is 404. */
void ar_http_static(ar_http_req *req, ar_http_res *res);

/*---- The application ------------------------------------------------------*/

#define AR_HTTP_SESSION_SECONDS_DEFAULT (12 * 3600)

typedef struct ar_http_config {
    size_t body_max;      /* 0: AR_HTTP_BODY_MAX_DEFAULT */
    size_t batch_max;     /* 0: AR_HTTP_BATCH_MAX */
    double rate;          /* requests per second per token; 0: unlimited */
    double burst;         /* bucket size; 0: max(rate, 1) */
    const char *policy_path; /* for reloads and logs; NULL: none */
    bool tls;             /* served over HTTPS only: cookies get Secure */
    int64_t session_seconds; /* console sessions last this long; 0: 12 hours */
    const char *console_dir; /* the console's static files (static.c); NULL: no console */
    /* One JSON object per request (no newline): id, method, route pattern,
     * status, microseconds, token id. Never bodies, tokens or IPs. NULL: off. */
    void (*access_log)(void *ud, const char *line);
    void *access_log_ud;
} ar_http_config;

/* Latency histogram bounds in microseconds (Prometheus "le" in seconds). */
#define AR_HTTP_LATENCY_BUCKETS 12

typedef struct ar_http_metrics {
    /* per route (index in ar_http_routes, plus one for "no route") x status class */
    _Atomic uint64_t *requests; /* [nroutes + 1][6]: 1xx..5xx, index by status/100 */
    _Atomic uint64_t latency[AR_HTTP_LATENCY_BUCKETS + 1]; /* cumulative on output */
    _Atomic uint64_t latency_sum_us;
    _Atomic uint64_t latency_count;
    _Atomic uint64_t checks;
    pthread_mutex_t lock; /* verdicts per standard: a small map */
    struct verdict_count *verdicts;
    size_t nverdicts, capverdicts;
    _Atomic uint64_t reloads, reload_failures;
} ar_http_metrics;

struct ar_http_app {
    ar_ctx *ctx;
    ar_workflow *wf;       /* borrowed */
    ar_engine_slot *slot;  /* borrowed */
    ar_lists_slot *lists;  /* owned: the signal lists checks read (refreshed on change) */
    ar_http_config cfg;
    atomic_bool ready;
    pthread_mutex_t reload_lock; /* one reload at a time */
    pthread_mutex_t pool_lock;   /* the scratch pool */
    ar_check_scratch **pool;
    size_t npool, cappool;
    struct ar_http_limiter *limiter;
    struct ar_http_limiter *login_limiter; /* sign-in attempts per login */
    ar_http_metrics metrics;
    atomic_uint_fast64_t next_request_id;
    unsigned id_prefix; /* random per process: request ids differ across restarts */
};

ar_status ar_http_app_init(ar_http_app *app, ar_ctx *ctx, ar_workflow *wf, ar_engine_slot *slot,
                           const ar_http_config *cfg, ar_error *err);
void ar_http_app_fini(ar_http_app *app);

/* The access log's line for one request into buf (size >= 512 for the
 * short way): the same bytes as ar_log_format_json() of level (error from
 * status 500 on, else info), "http", "request" and id, method, route,
 * status, us, token and, when not NULL, code. Returns its length. */
size_t ar_http_access_line(char *buf, size_t size, const char *id, const char *method,
                           const char *route, unsigned status, uint64_t us, int64_t token,
                           const char *code);

/* One JSON log line {"level","module":"http","event",kv..} to cfg.access_log. */
void ar_http_log(ar_http_app *app, ar_log_level level, const char *event, const ar_log_kv *kv,
                 size_t nkv);

/* A check scratch for this request (from the pool, or new); give it back. */
ar_check_scratch *ar_http_scratch_take(ar_http_app *app);
void ar_http_scratch_give(ar_http_app *app, ar_check_scratch *s);

/* Compile `yaml` (or re-read cfg.policy_path when yaml is NULL), record the
 * swap in the audit log as made by `actor`, and swap the engine; on failure
 * the old engine stays and `diags` lists every problem. */
ar_status ar_http_policy_reload(ar_http_app *app, const char *actor, const char *yaml,
                                size_t len, ar_diag_list *diags, ar_error *err);

/* Reload every signal list from the store and swap the snapshot in: the
 * next check sees it. The caller holds app->reload_lock (list changes and
 * policy swaps are serialised, so a policy never goes in naming a list
 * that is being deleted). */
ar_status ar_http_lists_refresh(ar_http_app *app, ar_error *err);

/* The console session secret in a Cookie header, or NULL. */
const char *ar_http_session_cookie(const char *cookie, size_t *len);

/*---- Rate limits (ratelimit.c) ------------------------------------------*/

typedef struct ar_http_limiter ar_http_limiter;
ar_http_limiter *ar_http_limiter_new(double rate, double burst);
void ar_http_limiter_free(ar_http_limiter *l);
/* true: allowed. false: *retry_after_s gets whole seconds to wait (>= 1). */
bool ar_http_limiter_take(ar_http_limiter *l, int64_t key, double now_s, unsigned *retry_after_s);

/*---- Metrics (metrics.c) ---------------------------------------------------*/

void ar_http_metrics_init(ar_http_metrics *m);
void ar_http_metrics_fini(ar_http_metrics *m);
/* route_index: index in ar_http_routes, or ar_http_nroutes for no route. */
void ar_http_metrics_request(ar_http_metrics *m, size_t route_index, unsigned status,
                             uint64_t micros);
void ar_http_metrics_verdict(ar_http_metrics *m, const ar_verdict *v);
/* Prometheus text exposition format 0.0.4 (malloc'd). */
char *ar_http_metrics_render(ar_http_metrics *m, size_t *len);

/*---- OpenAPI (openapi.c) ----------------------------------------------------*/

/* The OpenAPI 3.1 document for ar_http_routes, as compact JSON (malloc'd). */
char *ar_http_openapi_json(size_t *len);

/*---- The server (server.c: the only file that knows libmicrohttpd) ---------*/

typedef struct ar_http_server ar_http_server;

typedef struct ar_http_server_opts {
    const char *listen;       /* "127.0.0.1:8080", "[::1]:0", "0.0.0.0:80", ":8080" */
    unsigned threads;         /* 0: one per core */
    unsigned connection_limit; /* 0: 1024 */
    unsigned timeout_s;        /* idle/slow connection timeout; 0: 30 */
    size_t header_max;         /* bytes of request line + headers (431 past it); 0: 16 KiB */
    const char *tls_cert_pem;  /* NUL-terminated PEM: serve HTTPS only; NULL: plain HTTP */
    const char *tls_key_pem;
} ar_http_server_opts;

ar_status ar_http_server_start(ar_http_app *app, const ar_http_server_opts *opts,
                               ar_http_server **out, ar_error *err);
unsigned ar_http_server_port(const ar_http_server *s);
/* Stop accepting; requests in flight finish. */
void ar_http_server_quiesce(ar_http_server *s);
/* Wait for requests in flight (up to `wait_s`) and free the server. */
void ar_http_server_stop(ar_http_server *s, unsigned wait_s);

/* Monotonic microseconds. */
uint64_t ar_http_now_us(void);

/* The value of one hex digit, either case; -1 for anything else (percent-
 * decoding of paths and queries). */
static inline int ar_http_hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

#endif
