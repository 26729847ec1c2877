/*
 * handlers_report.c - what the platform publishes, over HTTP: the
 * transparency report of a period (JSON or a self-contained HTML page),
 * statements of reasons for the DSA Transparency Database (JSON lines), and
 * the redacted register of orders (JSON or CSV). All computed from one read
 * snapshot of the store by the report module; small counts are suppressed
 * there, so nothing here can point at a person.
 */
#include "http/handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ?period=2026H2 -> the period, or false after answering 400. */
static bool period_of(ar_http_req *req, ar_http_res *res, const char *key, bool required,
                      ar_period *out)
{
    const char *s = ar_http_query(req, key);
    ar_error err = {0};
    if (!s && !required)
        return true;
    if (!s) {
        ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), key,
                             "'%s' is required: 2026H2, 2026Q3, 2026-07, 2026 or "
                             "2026-07-01..2026-12-31",
                             key);
        return false;
    }
    if (strlen(s) > 64 || ar_period_parse(s, key, out, &err) != AR_OK) {
        if (!err.message[0])
            ar_error_set(&err, AR_EINVAL, key, "'%s' is too long", key);
        ar_http_reply_error(res, &err);
        return false;
    }
    return true;
}

/* ?format= one of `allowed` (the first is the default), or NULL after 400. */
static const char *format_of(ar_http_req *req, ar_http_res *res, const char *const *allowed,
                             size_t n)
{
    const char *f = ar_http_query(req, "format");
    if (!f)
        return allowed[0];
    for (size_t i = 0; i < n; i++)
        if (!strcmp(f, allowed[i]))
            return allowed[i];
    ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), "format",
                         "'format' must be %s%s%s", allowed[0], n > 1 ? " or " : "",
                         n > 1 ? allowed[1] : "");
    return NULL;
}

void ar_http_h_report(ar_http_req *req, ar_http_res *res)
{
    static const char *const formats[] = {"json", "html"};
    ar_report_opts o = {.suppress = AR_REPORT_SUPPRESS_DEFAULT};
    const char *format = NULL, *cc = ar_http_query(req, "country");
    char country[3] = "";
    if (!period_of(req, res, "period", true, &o.period) ||
        !(format = format_of(req, res, formats, AR_HTTP_LEN(formats))))
        return;
    if (cc) {
        if (!ar_visibility_country_valid(cc)) {
            ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), "country",
                                 "'country' must be an ISO 3166-1 alpha-2 code such as PK");
            return;
        }
        country[0] = (char)(cc[0] & ~0x20);
        country[1] = (char)(cc[1] & ~0x20);
        o.country = country;
    }
    ar_report *r = NULL;
    char *out = NULL;
    ar_error err = {0};
    ar_status st = ar_report_compute(req->app->ctx, ar_workflow_store(req->app->wf), &o, &r, &err);
    if (st == AR_OK)
        st = !strcmp(format, "html") ? ar_report_html(r, &out, &err)
                                     : ar_report_json(r, &out, &err);
    ar_report_free(r);
    if (st != AR_OK) {
        ar_http_reply_error(res, &err);
        return;
    }
    char name[96];
    snprintf(name, sizeof name, "inline; filename=\"arbiter-%s%s%s-report.%s\"",
             o.period.label, o.country ? "-" : "", o.country ? o.country : "", format);
    ar_http_res_header(res, "Content-Disposition", name);
    ar_http_reply_text(res, 200,
                       !strcmp(format, "html") ? "text/html; charset=utf-8" : "application/json",
                       out, strlen(out));
}

/* Answer with what an export wrote to the memory stream `f`. */
static void reply_stream(ar_http_res *res, const char *type, ar_status st, const ar_error *err,
                         FILE *f, char **bufp, size_t *lenp)
{
    if (f)
        fclose(f); /* only now are *bufp and *lenp final */
    else
        st = AR_ENOMEM;
    char *buf = *bufp;
    size_t len = *lenp;
    if (st != AR_OK) {
        free(buf);
        if (!f)
            ar_http_reply_errorf(res, 503, "out_of_memory", "", "out of memory");
        else
            ar_http_reply_error(res, err);
        return;
    }
    ar_http_reply_text(res, 200, type, buf, len);
}

void ar_http_h_export_sor(ar_http_req *req, ar_http_res *res)
{
    ar_period p;
    if (!period_of(req, res, "period", true, &p))
        return;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ar_sor_stats stats = {0};
    ar_error err = {0};
    ar_engine *e = ar_engine_slot_acquire(req->app->slot);
    ar_status st = f ? ar_sor_export(ar_workflow_store(req->app->wf),
                                     e ? ar_engine_policy(e) : NULL, p.start, p.end, f, &stats,
                                     &err)
                     : AR_ENOMEM;
    ar_engine_release(e);
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)stats.written);
    ar_http_res_header(res, "X-Statements", n);
    snprintf(n, sizeof n, "%lld", (long long)stats.skipped_scope);
    ar_http_res_header(res, "X-Skipped-Outside-EEA", n);
    char name[96];
    snprintf(name, sizeof name, "inline; filename=\"arbiter-%s-sor.jsonl\"", p.label);
    ar_http_res_header(res, "Content-Disposition", name);
    reply_stream(res, "application/x-ndjson", st, &err, f, &buf, &len);
}

void ar_http_h_export_orders(ar_http_req *req, ar_http_res *res)
{
    static const char *const formats[] = {"json", "csv"};
    ar_period p;
    bool have = ar_http_query(req, "period") != NULL;
    const char *format = NULL;
    if (!period_of(req, res, "period", false, &p) ||
        !(format = format_of(req, res, formats, AR_HTTP_LEN(formats))))
        return;
    char *buf = NULL;
    size_t len = 0;
    int64_t n = 0;
    FILE *f = open_memstream(&buf, &len);
    char name[96];
    snprintf(name, sizeof name, "inline; filename=\"arbiter%s%s-orders.%s\"", have ? "-" : "",
             have ? p.label : "", format);
    ar_http_res_header(res, "Content-Disposition", name);
    ar_error err = {0};
    ar_status st = f ? ar_orders_export(ar_workflow_store(req->app->wf), have ? &p : NULL,
                                        !strcmp(format, "csv") ? AR_ORDERS_CSV : AR_ORDERS_JSON,
                                        f, &n, &err)
                     : AR_ENOMEM;
    reply_stream(res, !strcmp(format, "csv") ? "text/csv; charset=utf-8" : "application/json", st,
                 &err, f, &buf, &len);
}
