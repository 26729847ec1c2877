/*
 * routes.c - the one route table, and dispatch: match a route, authorise
 * the caller against the route's roles, apply the rate limit and the body
 * limit, run the handler, count and log the request. Also the reply
 * helpers and the one table from ar_status to HTTP status.
 */
#include "http/handlers.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define CLIENT_UP                                                                                  \
    (AR_TOKEN_ROLE_CLIENT | AR_TOKEN_ROLE_MODERATOR | AR_TOKEN_ROLE_LEGAL | AR_TOKEN_ROLE_ADMIN)
#define JSON "application/json"
#define S(name) "#/components/schemas/" name

/* Who may call what. Auditors read (metrics, the policy in force, cases,
 * visibility, the audit log) but do not check items or decide; clients check, look up
 * visibility and forward notices and appeals; only legal reviewers see
 * legal requests. The workflow enforces the finer rules (an appeal goes to
 * someone other than the original decider, and so on). */
#define STAFF  (AR_TOKEN_ROLE_MODERATOR | AR_TOKEN_ROLE_LEGAL | AR_TOKEN_ROLE_ADMIN | AR_TOKEN_ROLE_AUDITOR)
#define REVIEW (AR_TOKEN_ROLE_MODERATOR | AR_TOKEN_ROLE_LEGAL)
#define LEGAL  AR_TOKEN_ROLE_LEGAL
#define ADMIN  AR_TOKEN_ROLE_ADMIN
#define AUDITOR AR_TOKEN_ROLE_AUDITOR
#define PUBLISH (AR_TOKEN_ROLE_LEGAL | AR_TOKEN_ROLE_ADMIN | AR_TOKEN_ROLE_AUDITOR)
/* HMA's hasher and matcher: clients and staff (its banks are read as /v1/banks are) */
#define HMA_READ (CLIENT_UP | AR_TOKEN_ROLE_AUDITOR)
#define MULTIPART "multipart/form-data"
const ar_http_route ar_http_routes[] = {
    {AR_HTTP_GET, "/healthz", ar_http_h_healthz, AR_HTTP_PUBLIC, false,
     "Liveness: the process answers", "healthz", NULL, NULL, S("Health"), JSON, 200, NULL, NULL},
    {AR_HTTP_GET, "/readyz", ar_http_h_readyz, AR_HTTP_PUBLIC, false,
     "Readiness: the engine and the store are open (503 until then)", "readyz", NULL, NULL,
     S("Health"), JSON, 200, NULL, NULL},
    {AR_HTTP_GET, "/openapi.json", ar_http_h_openapi, AR_HTTP_PUBLIC, false,
     "This document", "openapi", NULL, NULL, NULL, JSON, 200, NULL, NULL},
    {AR_HTTP_GET, "/metrics", ar_http_h_metrics, ADMIN | AR_TOKEN_ROLE_AUDITOR, false,
     "Prometheus metrics: requests by route and status, latency, verdicts per standard",
     "metrics", NULL, NULL, NULL, "text/plain", 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/check", ar_http_h_check, CLIENT_UP, true,
     "Check one item's text against the policy in force; with record, keep the verdict "
     "(a review case or an automated decision, as the policy says)",
     "check", S("CheckRequest"), JSON, S("Verdict"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/check:batch", ar_http_h_check_batch, CLIENT_UP, true,
     "Check up to 1000 items in one request", "checkBatch", S("CheckBatchRequest"), JSON,
     S("CheckBatchResponse"), JSON, 200, NULL, NULL},
    {AR_HTTP_GET, "/v1/items/{id}/visibility", ar_http_h_visibility, CLIENT_UP | AUDITOR, true,
     "May this item be shown in this country? Without a country: every country it is "
     "withheld in", "visibility", NULL, NULL, S("Visibility"), JSON, 200, NULL, "country"},
    {AR_HTTP_POST, "/v1/visibility:batch", ar_http_h_visibility_batch, CLIENT_UP | AUDITOR, true,
     "Visibility of up to 1000 (item, country) pairs, e.g. a feed page", "visibilityBatch",
     S("VisibilityBatchRequest"), JSON, S("VisibilityBatchResponse"), JSON, 200, NULL, NULL},
    {AR_HTTP_GET, "/v1/items/{id}/decisions", ar_http_h_item_decisions, STAFF, true,
     "Every decision about an item, oldest first, with its scope and statement of reasons",
     "itemDecisions", NULL, NULL, S("ItemDecisions"), JSON, 200, NULL, NULL},
    {AR_HTTP_GET, "/v1/cases", ar_http_h_cases_list, STAFF, true,
     "The review queue: trusted flaggers first, then oldest first", "casesList", NULL, NULL,
     S("CaseList"), JSON, 200, NULL, "state,kind,standard,assignee,source,lang,older_than_hours,limit"},
    {AR_HTTP_GET, "/v1/cases/{id}", ar_http_h_case_get, STAFF, true,
     "One case: the item, what fired or was reported, the appeal, the item's decisions",
     "caseGet", NULL, NULL, S("Case"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/cases/{id}/assign", ar_http_h_case_assign, REVIEW, true,
     "Assign a case (to the caller when no assignee is given)", "caseAssign", S("CaseAssign"),
     JSON, S("Case"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/cases/{id}/escalate", ar_http_h_case_escalate, REVIEW, true,
     "Hand a case on: back to the queue, unassigned, ahead of ordinary work, with a reason",
     "caseEscalate", S("CaseEscalate"), JSON, S("Case"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/cases/{id}/decide", ar_http_h_case_decide, REVIEW, true,
     "Decide a flag or notice case with a statement of reasons", "caseDecide",
     S("CaseDecision"), JSON, S("Case"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/notices", ar_http_h_notice_add, CLIENT_UP, true,
     "A user's or trusted flagger's notice (DSA Art. 16): opens a review case", "noticeAdd",
     S("Notice"), JSON, S("Created"), JSON, 201, NULL, NULL},
    {AR_HTTP_POST, "/v1/appeals", ar_http_h_appeal_add, CLIENT_UP, true,
     "Appeal a decision: opens an appeal case", "appealAdd", S("Appeal"), JSON, S("Created"),
     JSON, 201, NULL, NULL},
    {AR_HTTP_POST, "/v1/appeals/{id}/decide", ar_http_h_appeal_decide, REVIEW, true,
     "Decide an appeal case (upheld or reversed) as someone other than the original decider",
     "appealDecide", S("AppealDecision"), JSON, S("Case"), JSON, 200, NULL, NULL},
    {AR_HTTP_GET, "/v1/requests", ar_http_h_requests_list, LEGAL, true,
     "Legal requests with their deadlines", "requestsList", NULL, NULL, S("RequestList"), JSON,
     200, NULL, "status"},
    {AR_HTTP_POST, "/v1/requests", ar_http_h_request_add, LEGAL, true,
     "File a legal request (an order from an authority) for review", "requestAdd",
     S("LegalRequest"), JSON, S("RequestView"), JSON, 201, NULL, NULL},
    {AR_HTTP_GET, "/v1/requests/{id}", ar_http_h_request_get, LEGAL, true,
     "One legal request and the outcome of each item", "requestGet", NULL, NULL,
     S("RequestView"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/requests/{id}/decide", ar_http_h_request_decide, LEGAL, true,
     "Decide one item of a legal request: restrict in the country, remove globally, decline "
     "with a reason, ask for more information, disclose or preserve",
     "requestDecide", S("ItemOutcome"), JSON, S("RequestView"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/requests/{id}/sign-off", ar_http_h_request_sign_off, LEGAL, true,
     "Four eyes: sign off the outcome another legal reviewer proposed for an item; it then "
     "takes effect (never by the proposer)",
     "requestSignOff", S("ProposalSignOff"), JSON, S("RequestView"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/requests/{id}/reject", ar_http_h_request_reject, LEGAL, true,
     "Four eyes: reject the outcome another legal reviewer proposed for an item, with a "
     "reason; the item is undecided again (never by the proposer)",
     "requestReject", S("ProposalReject"), JSON, S("RequestView"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/requests/{id}/notified", ar_http_h_request_notified, LEGAL, true,
     "Mark a decided request's users as notified (or lawfully withheld)", "requestNotified",
     NULL, NULL, S("RequestView"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/requests/{id}/close", ar_http_h_request_close, LEGAL, true,
     "Close a request", "requestClose", NULL, NULL, S("RequestView"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/audit/verify", ar_http_h_audit_verify, ADMIN | AR_TOKEN_ROLE_AUDITOR,
     true, "Verify the audit log's hash chain and signed checkpoints now, and keep the result "
     "(who, when, what was found; audited)", "auditVerify", NULL, NULL, S("AuditReport"), JSON,
     200, NULL, NULL},
    {AR_HTTP_GET, "/v1/audit/verifications", ar_http_h_audit_verifications,
     ADMIN | AR_TOKEN_ROLE_AUDITOR, true,
     "The last verifications of the audit log, newest first (limit: 1-500, default 10)",
     "auditVerifications", NULL, NULL, S("AuditVerificationList"), JSON, 200, NULL, "limit"},
    {AR_HTTP_GET, "/v1/reports", ar_http_h_report, PUBLISH, true,
     "The transparency report of a period (JSON, or a self-contained HTML page); counts "
     "from 1 to 9 are shown as a band", "report", NULL, NULL, S("Report"), JSON, 200, "period",
     "format,country"},
    {AR_HTTP_GET, "/v1/exports/sor", ar_http_h_export_sor, PUBLISH, true,
     "Statements of reasons for the DSA Transparency Database, as JSON lines of at most 100 "
     "(EU/EEA scope only; no personal data)", "exportSor", NULL, NULL, NULL, "application/x-ndjson",
     200, "period", NULL},
    {AR_HTTP_GET, "/v1/exports/orders", ar_http_h_export_orders, PUBLISH, true,
     "The redacted public register of legal requests (JSON or CSV)", "exportOrders", NULL, NULL,
     NULL, JSON, 200, NULL, "period,format"},
    {AR_HTTP_GET, "/v1/policy", ar_http_h_policy_get, ADMIN | AR_TOKEN_ROLE_AUDITOR, true,
     "The policy in force: digest and standards", "policyGet", NULL, NULL, S("PolicyInfo"),
     JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/policy", ar_http_h_policy_put, ADMIN, true,
     "Compile a policy (YAML) and swap it in without dropping a request", "policySwap",
     S("PolicyText"), "application/yaml", S("PolicyInfo"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/session", ar_http_h_session_create, AR_HTTP_PUBLIC, false,
     "Sign in to the console: sets an HttpOnly session cookie, returns the CSRF token",
     "sessionCreate", S("SignIn"), JSON, S("Session"), JSON, 201, NULL, NULL},
    {AR_HTTP_GET, "/v1/session", ar_http_h_session_get, STAFF, false,
     "The console session this request carries", "sessionGet", NULL, NULL, S("Session"), JSON,
     200, NULL, NULL},
    {AR_HTTP_DELETE, "/v1/session", ar_http_h_session_end, STAFF, false,
     "Sign out", "sessionEnd", NULL, NULL, S("SignedOut"), JSON, 200, NULL, NULL},
    {AR_HTTP_GET, "/v1/tokens", ar_http_h_tokens_list, ADMIN, true,
     "Every API token (never its secret)", "tokensList", NULL, NULL, S("TokenList"), JSON, 200,
     NULL, NULL},
    {AR_HTTP_POST, "/v1/tokens", ar_http_h_token_create, ADMIN, true,
     "Make an API token; the response shows it once", "tokenCreate", S("TokenCreate"), JSON,
     S("TokenCreated"), JSON, 201, NULL, NULL},
    {AR_HTTP_DELETE, "/v1/tokens/{id}", ar_http_h_token_revoke, ADMIN, true,
     "Revoke an API token", "tokenRevoke", NULL, NULL, S("TokenRevoked"), JSON, 200, NULL,
     NULL},
    {AR_HTTP_POST, "/v1/staff", ar_http_h_staff_add, ADMIN, true,
     "Add a staff member (a console user) with one role", "staffAdd", S("StaffAdd"), JSON,
     S("Staff"), JSON, 201, NULL, NULL},
    {AR_HTTP_GET, "/v1/url-lists", ar_http_h_lists_list, STAFF, true,
     "Every blocked-URL list with its number of entries", "urlListsList", NULL, NULL, S("SignalLists"), JSON,
     200, NULL, NULL},
    {AR_HTTP_POST, "/v1/url-lists", ar_http_h_list_create, ADMIN, true,
     "Create a blocked-URL list", "urlListsCreate", S("SignalListCreate"), JSON, S("SignalList"), JSON, 201,
     NULL, NULL},
    {AR_HTTP_GET, "/v1/url-lists/{name}", ar_http_h_list_get, STAFF, true,
     "One blocked-URL list and its entries", "urlListsGet", NULL, NULL, S("SignalList"), JSON, 200, NULL,
     NULL},
    {AR_HTTP_DELETE, "/v1/url-lists/{name}", ar_http_h_list_delete, ADMIN, true,
     "Delete a blocked-URL list and its entries (409 while the policy in force names it)", "urlListsDelete",
     NULL, NULL, S("SignalListDeleted"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/url-lists/{name}/entries", ar_http_h_list_add, ADMIN, true,
     "Add entries (URL expressions or URLs), all or nothing", "urlListsAdd", S("SignalListEntries"), JSON,
     S("SignalListReport"), JSON, 200, NULL, NULL},
    {AR_HTTP_DELETE, "/v1/url-lists/{name}/entries/{value}", ar_http_h_list_remove, ADMIN, true,
     "Remove one entry (the value percent-encoded)", "urlListsRemove", NULL, NULL,
     S("SignalListRemoved"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/url-lists/{name}:import", ar_http_h_list_import, ADMIN, true,
     "Import a text file of entries (one per line, '#' comments), all or nothing",
     "urlListsImport", S("SignalListImport"), "text/plain", S("SignalListReport"), JSON, 200, NULL,
     NULL},
    {AR_HTTP_GET, "/v1/banks", ar_http_h_lists_list, STAFF, true,
     "Every image-hash bank with its number of entries", "banksList", NULL, NULL, S("SignalLists"), JSON,
     200, NULL, NULL},
    {AR_HTTP_POST, "/v1/banks", ar_http_h_list_create, ADMIN, true,
     "Create an image-hash bank", "banksCreate", S("SignalListCreate"), JSON, S("SignalList"), JSON, 201,
     NULL, NULL},
    {AR_HTTP_GET, "/v1/banks/{name}", ar_http_h_list_get, STAFF, true,
     "One image-hash bank and its entries", "banksGet", NULL, NULL, S("SignalList"), JSON, 200, NULL,
     NULL},
    {AR_HTTP_DELETE, "/v1/banks/{name}", ar_http_h_list_delete, ADMIN, true,
     "Delete an image-hash bank and its entries (409 while the policy in force names it)", "banksDelete",
     NULL, NULL, S("SignalListDeleted"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/banks/{name}/entries", ar_http_h_list_add, ADMIN, true,
     "Add entries (PDQ hashes, 64 hex digits), all or nothing", "banksAdd", S("SignalListEntries"), JSON,
     S("SignalListReport"), JSON, 200, NULL, NULL},
    {AR_HTTP_DELETE, "/v1/banks/{name}/entries/{value}", ar_http_h_list_remove, ADMIN, true,
     "Remove one entry (the value percent-encoded)", "banksRemove", NULL, NULL,
     S("SignalListRemoved"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/v1/banks/{name}:import", ar_http_h_list_import, ADMIN, true,
     "Import a text file of entries (one per line, '#' comments), all or nothing",
     "banksImport", S("SignalListImport"), "text/plain", S("SignalListReport"), JSON, 200, NULL,
     NULL},
    /* Meta HMA 2.0's API (handlers_hma.c): banks are pdq lists named in CAPS */
    {AR_HTTP_GET, "/status", ar_http_h_hma_status, HMA_READ, false,
     "HMA: I-AM-ALIVE (the lists snapshot's size and build time in X-Arbiter-Index-* headers)",
     "hmaStatus", NULL, NULL, NULL, "text/plain", 200, NULL, NULL},
    {AR_HTTP_POST, "/h/hash", ar_http_h_hma_hash, HMA_READ, true,
     "HMA: the PDQ hash of one uploaded photo (multipart field photo)", "hmaHash",
     S("HmaUpload"), MULTIPART, S("HmaHash"), JSON, 200, NULL, "types"},
    {AR_HTTP_GET, "/m/raw_lookup", ar_http_h_hma_raw_lookup, HMA_READ, true,
     "HMA: content ids within distance 31 of a PDQ hash, in every bank", "hmaRawLookup", NULL,
     NULL, S("HmaRawLookup"), JSON, 200, "signal_type,signal", "banks,include_distance"},
    {AR_HTTP_GET, "/m/lookup", ar_http_h_hma_lookup_get, HMA_READ, true,
     "HMA: matches of a PDQ hash by bank (url= is refused: arbiter never fetches content)",
     "hmaLookup", NULL, NULL, S("HmaLookup"), JSON, 200, "signal_type,signal",
     "banks,seed,bypass_coinflip"},
    {AR_HTTP_POST, "/m/lookup", ar_http_h_hma_lookup_post, HMA_READ, true,
     "HMA: hash an uploaded photo and match it, by bank", "hmaLookupUpload", S("HmaUpload"),
     MULTIPART, S("HmaLookupUpload"), JSON, 200, NULL, "banks,seed,bypass_coinflip"},
    {AR_HTTP_POST, "/m/compare", ar_http_h_hma_compare, HMA_READ, true,
     "HMA: compare two PDQ hashes", "hmaCompare", S("HmaCompareRequest"), JSON,
     S("HmaCompare"), JSON, 200, NULL, NULL},
    {AR_HTTP_GET, "/m/index/status", ar_http_h_hma_index_status, HMA_READ, true,
     "HMA: the lists snapshot matching reads (size, when built)", "hmaIndexStatus", NULL, NULL,
     S("HmaIndexStatus"), JSON, 200, NULL, "signal_type"},
    {AR_HTTP_GET, "/c/banks", ar_http_h_hma_banks_list, STAFF, true,
     "HMA: every bank (pdq list whose name maps to CAPS_AND_UNDERSCORE)", "hmaBanks", NULL, NULL,
     S("HmaBanks"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/c/banks", ar_http_h_hma_bank_create, ADMIN, true,
     "HMA: create a bank (a pdq list, its name lowercased); enabled_ratio must be 1.0",
     "hmaBankCreate", S("HmaBankCreate"), JSON, S("HmaBank"), JSON, 201, NULL, NULL},
    {AR_HTTP_GET, "/c/bank/{name}", ar_http_h_hma_bank_get, STAFF, true, "HMA: one bank",
     "hmaBankGet", NULL, NULL, S("HmaBank"), JSON, 200, NULL, NULL},
    {AR_HTTP_PUT, "/c/bank/{name}", ar_http_h_hma_bank_update, ADMIN, true,
     "HMA: update a bank: no renames, enabled_ratio 1.0 only (so nothing changes)",
     "hmaBankUpdate", S("HmaBankCreate"), JSON, S("HmaBank"), JSON, 200, NULL, NULL},
    {AR_HTTP_DELETE, "/c/bank/{name}", ar_http_h_hma_bank_delete, ADMIN, true,
     "HMA: delete a bank and its content (409 while the policy in force names it)",
     "hmaBankDelete", NULL, NULL, S("HmaMessage"), JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/c/bank/{name}/signal", ar_http_h_hma_bank_signal, ADMIN, true,
     "HMA: add a PDQ hash to a bank", "hmaBankSignal", S("HmaSignal"), JSON, S("HmaContent"),
     JSON, 200, NULL, NULL},
    {AR_HTTP_POST, "/c/bank/{name}/content", ar_http_h_hma_bank_content_add, ADMIN, true,
     "HMA: hash an uploaded photo and add the hash (only the hash is stored)",
     "hmaBankContentAdd", S("HmaContentUpload"), MULTIPART, S("HmaContent"), JSON, 200, NULL,
     NULL},
    {AR_HTTP_GET, "/c/bank/{name}/content/{id}", ar_http_h_hma_bank_content_get, STAFF, true,
     "HMA: one content (a bank entry, by id); its hash with signal_type=pdq",
     "hmaBankContentGet", NULL, NULL, S("HmaContentShow"), JSON, 200, NULL, "signal_type"},
    {AR_HTTP_DELETE, "/c/bank/{name}/content/{id}", ar_http_h_hma_bank_content_delete, ADMIN,
     true, "HMA: remove one content (a bank entry, by id)", "hmaBankContentDelete", NULL, NULL,
     S("HmaDeleted"), JSON, 200, NULL, NULL},
};
const size_t ar_http_nroutes = sizeof ar_http_routes / sizeof ar_http_routes[0];

/*---- Methods, requests, responses ---------------------------------------*/

static const char *const method_names[] = {"GET",  "POST", "PUT",     "DELETE",
                                           "PATCH", "HEAD", "OPTIONS", "OTHER"};

const char *ar_http_method_name(ar_http_method m)
{
    return (unsigned)m < sizeof method_names / sizeof method_names[0] ? method_names[m] : "OTHER";
}

ar_http_method ar_http_method_parse(const char *s)
{
    for (size_t i = 0; s && i < AR_HTTP_OTHER; i++)
        if (!strcmp(s, method_names[i]))
            return (ar_http_method)i;
    return AR_HTTP_OTHER;
}

void ar_http_res_free(ar_http_res *res)
{
    free(res->body);
    res->body = NULL;
    res->len = 0;
}

const char *ar_http_query(const ar_http_req *req, const char *key)
{
    for (size_t i = 0; i < req->nquery; i++)
        if (!strcmp(req->query[i].key, key))
            return req->query[i].value ? req->query[i].value : "";
    return NULL;
}

const char *ar_http_param(const ar_http_req *req, const char *name)
{
    for (size_t i = 0; i < req->nparams; i++)
        if (!strcmp(req->params[i].key, name))
            return req->params[i].value;
    return NULL;
}

void ar_http_res_header(ar_http_res *res, const char *name, const char *value)
{
    if (res->nheaders == AR_HTTP_MAX_HEADERS)
        return;
    size_t n = strnlen(value, sizeof res->hbuf[0] - 1); /* truncated as snprintf would */
    memcpy(res->hbuf[res->nheaders], value, n);
    res->hbuf[res->nheaders][n] = '\0';
    res->headers[res->nheaders].key = name;
    res->headers[res->nheaders].value = res->hbuf[res->nheaders];
    res->nheaders++;
}

/*---- Replies and the status table ----------------------------------------*/

static const unsigned http_status[] = {
    [AR_OK] = 200,        [AR_EINVAL] = 400,  [AR_ENOTFOUND] = 404, [AR_ECONFLICT] = 409,
    [AR_EDENIED] = 403,   [AR_ETOOBIG] = 413, [AR_ENOMEM] = 503,    [AR_EIO] = 500,
    [AR_EBACKEND] = 500,  [AR_ECORRUPT] = 500, [AR_EINTERNAL] = 500,
};

unsigned ar_http_status_of(ar_status st)
{
    return (unsigned)st < sizeof http_status / sizeof http_status[0] ? http_status[st] : 500;
}

void ar_http_reply_text(ar_http_res *res, unsigned status, const char *content_type, char *body,
                        size_t len)
{
    free(res->body);
    res->status = status;
    res->content_type = content_type;
    res->body = body;
    res->len = len;
}

static char *oom_body(size_t *len)
{
    static const char msg[] =
        "{\"error\":{\"code\":\"out_of_memory\",\"message\":\"out of memory\",\"field\":\"\"}}";
    char *b = malloc(sizeof msg);
    if (b)
        memcpy(b, msg, sizeof msg);
    *len = b ? sizeof msg - 1 : 0;
    return b;
}

void ar_http_reply_json(ar_http_res *res, unsigned status, void *json_doc)
{
    json_t *doc = json_doc;
    char *body = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    if (!body) {
        size_t len = 0;
        res->code = "out_of_memory";
        ar_http_reply_text(res, 503, JSON, oom_body(&len), len);
        return;
    }
    ar_http_reply_text(res, status, JSON, body, strlen(body));
}

static void reply_error(ar_http_res *res, unsigned status, const char *code, const char *field,
                        const char *message)
{
    /* A message or field that is not UTF-8 (a bug upstream) must not turn
     * a refusal into a 503: JSON strings are UTF-8, so keep ASCII only. */
    char msg[AR_ERROR_MESSAGE_MAX], fld[AR_ERROR_FIELD_MAX];
    const char *src[2] = {message, field ? field : ""};
    char *dst[2] = {msg, fld};
    size_t cap[2] = {sizeof msg, sizeof fld};
    for (int k = 0; k < 2; k++) {
        snprintf(dst[k], cap[k], "%s", src[k]);
        if (!ar_text_utf8_valid(dst[k], strlen(dst[k])))
            for (char *p = dst[k]; *p; p++)
                if ((unsigned char)*p >= 0x80)
                    *p = '?';
    }
    message = msg;
    field = fld;
    res->code = code;
    ar_http_reply_json(res, status,
                       json_pack("{s:{s:s,s:s,s:s}}", "error", "code", code, "message", message,
                                 "field", field ? field : ""));
}

void ar_http_reply_error(ar_http_res *res, const ar_error *err)
{
    reply_error(res, ar_http_status_of(err->status), ar_status_name(err->status), err->field,
                err->message);
}

void ar_http_reply_errorf(ar_http_res *res, unsigned status, const char *code, const char *field,
                          const char *fmt, ...)
{
    char msg[AR_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    reply_error(res, status, code, field, msg);
}

/*---- Routing ---------------------------------------------------------------*/

/* Percent-decode [s, s+n) into out (NUL-terminated). false on a bad escape,
 * an encoded NUL, or no room. */
static bool pct_decode(const char *s, size_t n, char *out, size_t size, size_t *outlen)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= n)
                return false;
            int h = ar_http_hex_digit(s[i + 1]), l = ar_http_hex_digit(s[i + 2]);
            if (h < 0 || l < 0 || (h == 0 && l == 0))
                return false;
            c = (char)(h * 16 + l);
            i += 2;
        }
        if (o + 1 >= size)
            return false;
        out[o++] = c;
    }
    out[o] = '\0';
    *outlen = o;
    return true;
}

/* Does `path` match `pattern`? Path parameters' raw spans go to spans[]. */
typedef struct span {
    const char *name;
    size_t name_len;
    const char *s;
    size_t n;
} span;

static bool match(const char *pattern, const char *path, span *spans, size_t *nspans)
{
    const char *p = pattern, *q = path;
    *nspans = 0;
    while (*p && *q) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            /* "{name}:import": the parameter stops at the ':' the pattern goes on with */
            const char *end = close && close[1] == ':' ? q + strcspn(q, "/:") : strchr(q, '/');
            if (!end)
                end = q + strlen(q);
            if (!close || end == q || *nspans == AR_HTTP_MAX_PARAMS)
                return false;
            spans[*nspans] = (span){p + 1, (size_t)(close - p - 1), q, (size_t)(end - q)};
            ++*nspans;
            p = close + 1;
            q = end;
        } else if (*p++ != *q++) {
            return false;
        }
    }
    return !*p && !*q;
}

/*---- The access log ---------------------------------------------------------*/

/* A string that ar_log_format_json() would write as it is (no byte it
 * escapes), and its length; SIZE_MAX otherwise. */
static size_t plain_len(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if ((unsigned char)s[n] < 0x20 || s[n] == '"' || s[n] == '\\')
            return SIZE_MAX;
    return n;
}

static char *put_plain(char *o, const char *s, size_t n)
{
    *o++ = '"';
    memcpy(o, s, n);
    o += n;
    *o++ = '"';
    return o;
}

/* "%" PRId64, as ar_log_format_json writes an integer. */
static char *put_i64(char *o, int64_t x)
{
    char tmp[24], *q = tmp + sizeof tmp;
    uint64_t u = x < 0 ? 0u - (uint64_t)x : (uint64_t)x;
    do {
        *--q = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (x < 0)
        *--q = '-';
    size_t n = (size_t)(tmp + sizeof tmp - q);
    memcpy(o, q, n);
    return o + n;
}

#define PUT_LIT(o, lit) (memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)

/* The access line, byte for byte what ar_log_format_json() makes of the
 * same fields (tests/http compare the two), written with a few memcpy
 * instead of its per-byte bounds checks and snprintf: ~6k instructions a
 * request before (docs/PERFORMANCE.md, HTTP). Every string here is ours (a
 * request id, a method name, a route pattern, an error code) and needs no
 * escape; one that would, or one too long, goes the general way. */
size_t ar_http_access_line(char *buf, size_t size, const char *id, const char *method,
                           const char *route, unsigned status, uint64_t us, int64_t token,
                           const char *code)
{
    size_t nid = plain_len(id), nm = plain_len(method), nr = plain_len(route);
    size_t nc = code ? plain_len(code) : 0;
    ar_log_level level = status >= 500 ? AR_LOG_ERROR : AR_LOG_INFO;
    if (nid > 64 || nm > 16 || nr > 128 || nc > 64 || size < 512) {
        ar_log_kv kv[] = {
            AR_KV_STR("id", id),         AR_KV_STR("method", method), AR_KV_STR("route", route),
            AR_KV_INT("status", status), AR_KV_INT("us", us),         AR_KV_INT("token", token),
            AR_KV_STR("code", code ? code : ""),
        };
        return ar_log_format_json(buf, size, level, "http", "request", kv, code ? 7 : 6);
    }
    char *o = buf; /* at most ~420 bytes with the bounds above */
    if (level == AR_LOG_ERROR)
        o = PUT_LIT(o, "{\"level\":\"error\"");
    else
        o = PUT_LIT(o, "{\"level\":\"info\"");
    o = PUT_LIT(o, ",\"module\":\"http\",\"event\":\"request\",\"id\":");
    o = put_plain(o, id, nid);
    o = PUT_LIT(o, ",\"method\":");
    o = put_plain(o, method, nm);
    o = PUT_LIT(o, ",\"route\":");
    o = put_plain(o, route, nr);
    o = PUT_LIT(o, ",\"status\":");
    o = put_i64(o, status);
    o = PUT_LIT(o, ",\"us\":");
    o = put_i64(o, (int64_t)us);
    o = PUT_LIT(o, ",\"token\":");
    o = put_i64(o, token);
    if (code) {
        o = PUT_LIT(o, ",\"code\":");
        o = put_plain(o, code, nc);
    }
    *o++ = '}';
    *o = '\0';
    return (size_t)(o - buf);
}

static void log_request(ar_http_req *req, ar_http_res *res, uint64_t us)
{
    ar_http_app *app = req->app;
    if (!app || !app->cfg.access_log)
        return;
    char line[512];
    ar_http_access_line(line, sizeof line, req->request_id, ar_http_method_name(req->method),
                        req->route ? req->route->pattern : "(none)", res->status, us,
                        req->token.id, res->code);
    app->cfg.access_log(app->cfg.access_log_ud, line);
}

/* Authorization: Bearer TOKEN -> the token (case-insensitive scheme). */
static const char *bearer(const char *h, size_t *len)
{
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    size_t n = strlen(h);
    while (n && h[n - 1] == ' ')
        n--;
    *len = n;
    return n ? h : NULL;
}

static void unauthenticated(ar_http_res *res, const char *message)
{
    ar_http_reply_errorf(res, 401, AR_HTTP_CODE_UNAUTHENTICATED, "authorization", "%s", message);
    ar_http_res_header(res, "WWW-Authenticate", "Bearer realm=\"arbiter\"");
}

/* A console session from the Cookie header -> req->token. State-changing
 * methods must carry the session's CSRF token in X-CSRF-Token: a cookie
 * rides along on any request the browser makes, the header only on those
 * the console's own scripts make. */
/* A credential check's answer: true if accepted, else answered (401 for a
 * refused credential, the status's own code for a failure to check). */
static bool credential_ok(ar_http_res *res, ar_status st, const ar_error *err)
{
    if (st == AR_EDENIED)
        unauthenticated(res, err->message);
    else if (st != AR_OK)
        ar_http_reply_error(res, err);
    return st == AR_OK;
}

static bool authorise_session(ar_http_req *req, ar_http_res *res, const char *secret, size_t len)
{
    ar_session_info s;
    ar_error err = {0};
    if (!credential_ok(res, ar_session_check(req->app->wf, secret, len, &s, &err), &err))
        return false;
    bool safe = req->method == AR_HTTP_GET || req->method == AR_HTTP_HEAD ||
                req->method == AR_HTTP_OPTIONS;
    if (!safe && !ar_session_csrf_ok(&s, req->csrf, req->csrf ? strlen(req->csrf) : 0)) {
        ar_http_reply_errorf(res, 403, AR_HTTP_CODE_CSRF, "x-csrf-token",
                             "a console request that changes something must carry the "
                             "session's X-CSRF-Token header");
        return false;
    }
    req->via_session = true;
    req->token.id = -s.id; /* negative: rate limits keep sessions apart from tokens */
    req->token.roles = AR_TOKEN_ROLE_MODERATOR << (unsigned)s.role;
    snprintf(req->token.name, sizeof req->token.name, "session");
    snprintf(req->token.staff, sizeof req->token.staff, "%s", s.login);
    return true;
}

static bool authenticate(ar_http_req *req, ar_http_res *res)
{
    size_t len = 0;
    const char *tok = bearer(req->authorization, &len);
    if (!req->app || !req->app->wf) {
        ar_http_reply_errorf(res, 503, AR_HTTP_CODE_NOT_READY, "", "no store to check callers");
        return false;
    }
    if (!tok) {
        const char *secret = ar_http_session_cookie(req->cookie, &len);
        if (secret)
            return authorise_session(req, res, secret, len);
        unauthenticated(res, "this route needs an API token (Authorization: Bearer TOKEN) "
                             "or a console session");
        return false;
    }
    ar_error err = {0};
    return credential_ok(res, ar_token_check(req->app->wf, tok, len, &req->token, &err), &err);
}

/* Returns false when the request was answered (401, 403, 429). */
static bool authorise(ar_http_req *req, ar_http_res *res)
{
    const ar_http_route *r = req->route;
    if (r->roles == AR_HTTP_PUBLIC)
        return true;
    if (!authenticate(req, res))
        return false;
    if (!(req->token.roles & r->roles)) {
        char have[64], need[64];
        ar_token_roles_format(req->token.roles, have, sizeof have);
        ar_token_roles_format(r->roles, need, sizeof need);
        ar_http_reply_errorf(res, 403, ar_status_name(AR_EDENIED), "authorization",
                             "this route needs one of the roles %s; the caller has %s", need,
                             have);
        return false;
    }
    if (r->rate_limited && req->app->limiter) {
        unsigned wait = 0;
        double now = (double)ar_http_now_us() / 1e6;
        if (!ar_http_limiter_take(req->app->limiter, req->token.id, now, &wait)) {
            char v[16];
            snprintf(v, sizeof v, "%u", wait);
            ar_http_reply_errorf(res, 429, AR_HTTP_CODE_RATE_LIMITED, "",
                                 "rate limit reached: retry in %u s", wait);
            ar_http_res_header(res, "Retry-After", v);
            return false;
        }
    }
    return true;
}

static void route(ar_http_req *req, ar_http_res *res, size_t *route_index)
{
    char allow[96] = "";
    span spans[AR_HTTP_MAX_PARAMS];
    size_t nspans = 0;
    *route_index = ar_http_nroutes;
    const char *path = req->path ? req->path : "";
    for (size_t i = 0; i < ar_http_nroutes; i++) {
        size_t n;
        span sp[AR_HTTP_MAX_PARAMS];
        if (!match(ar_http_routes[i].pattern, path, sp, &n))
            continue;
        if (ar_http_routes[i].method != req->method) {
            size_t used = strlen(allow);
            snprintf(allow + used, sizeof allow - used, "%s%s", used ? ", " : "",
                     ar_http_method_name(ar_http_routes[i].method));
            continue;
        }
        *route_index = i;
        req->route = &ar_http_routes[i];
        memcpy(spans, sp, sizeof sp);
        nspans = n;
        break;
    }
    if (!req->route) {
        if (!*allow && (req->method == AR_HTTP_GET || req->method == AR_HTTP_HEAD) &&
            strncmp(path, "/v1/", 4) != 0) {
            ar_http_static(req, res); /* the console's files */
            return;
        }
        if (*allow) {
            ar_http_reply_errorf(res, 405, AR_HTTP_CODE_METHOD, "method",
                                 "%s is not allowed here; allowed: %s",
                                 ar_http_method_name(req->method), allow);
            ar_http_res_header(res, "Allow", allow);
        } else {
            ar_http_reply_errorf(res, 404, AR_HTTP_CODE_NO_ROUTE, "path", "no such route");
        }
        return;
    }
    if (!authorise(req, res))
        return;
    /* decode path parameters (and copy their names) into the request's buffer */
    size_t used = 0;
    for (size_t i = 0; i < nspans; i++) {
        size_t n = 0, room = sizeof req->param_buf - used;
        char *name = req->param_buf + used;
        if (spans[i].name_len + 1 > room)
            break;
        memcpy(name, spans[i].name, spans[i].name_len);
        name[spans[i].name_len] = '\0';
        used += spans[i].name_len + 1;
        char *dst = req->param_buf + used;
        if (!pct_decode(spans[i].s, spans[i].n, dst, sizeof req->param_buf - used, &n) || n == 0 ||
            n > AR_HTTP_ITEM_ID_MAX || !ar_text_utf8_valid(dst, n)) {
            ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), name,
                                 "path parameter '%s' must be 1 to %u bytes of UTF-8, "
                                 "percent-encoded",
                                 name, AR_HTTP_ITEM_ID_MAX);
            return;
        }
        req->params[i] = (ar_http_kv){name, dst};
        req->nparams = i + 1;
        used += n + 1;
    }
    if (req->body_too_big) {
        size_t max = req->app ? req->app->cfg.body_max : AR_HTTP_BODY_MAX_DEFAULT;
        ar_http_reply_errorf(res, 413, ar_status_name(AR_ETOOBIG), "body",
                             "request body over the limit of %zu bytes", max);
        return;
    }
    req->route->handler(req, res);
}

/* snprintf(out, size, "%08x-%llu", prefix, n) without snprintf (a request
 * id on every request; tests/http compare the two). */
static void request_id(char *out, size_t size, unsigned prefix, uint64_t n)
{
    static const char hex[] = "0123456789abcdef";
    char tmp[48], *o = tmp;
    int digits = 8;
    while (digits < (int)(2 * sizeof prefix) && prefix >> (4 * digits))
        digits++; /* a wider unsigned than 32 bits: as many digits as it takes */
    for (int i = digits - 1; i >= 0; i--)
        *o++ = hex[(prefix >> (4 * i)) & 15];
    *o++ = '-';
    char dec[24], *q = dec + sizeof dec;
    do {
        *--q = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    size_t nd = (size_t)(dec + sizeof dec - q);
    memcpy(o, q, nd);
    o += nd;
    size_t len = (size_t)(o - tmp);
    if (len >= size)
        len = size - 1;
    memcpy(out, tmp, len);
    out[len] = '\0';
}

void ar_http_dispatch(ar_http_req *req, ar_http_res *res)
{
    uint64_t t0 = ar_http_now_us();
    memset(res, 0, sizeof *res);
    req->route = NULL;
    req->nparams = 0;
    memset(&req->token, 0, sizeof req->token);
    req->via_session = false;
    if (!req->request_id[0] && req->app)
        request_id(req->request_id, sizeof req->request_id, req->app->id_prefix,
                   atomic_fetch_add(&req->app->next_request_id, 1));
    size_t idx;
    route(req, res, &idx);
    if (!res->status) { /* a handler that forgot to answer is a bug */
        ar_http_reply_errorf(res, 500, ar_status_name(AR_EINTERNAL), "", "no response");
    }
    if (res->status >= 400 && !res->code)
        res->code = "error";
    uint64_t us = ar_http_now_us() - t0;
    if (req->app)
        ar_http_metrics_request(&req->app->metrics, idx, res->status, us);
    log_request(req, res, us);
}

uint64_t ar_http_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}
