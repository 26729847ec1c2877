/*
 * handlers.h - the route handlers of arbiterd (handlers.c), named by
 * routes.c's table. Each sees only an ar_http_req and fills an ar_http_res.
 */
#ifndef AR_HTTP_HANDLERS_H
#define AR_HTTP_HANDLERS_H

#include "http/http.h"

#include <jansson.h>

#define AR_HTTP_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*---- Body helpers (handlers.c) ---------------------------------------------*/

/* The body as one JSON value, or NULL after answering 400. */
json_t *ar_http_body_json(ar_http_req *req, ar_http_res *res);
/* AR_EINVAL naming the first key of `obj` (an object) not in `allowed`. */
ar_status ar_http_only_keys(json_t *obj, const char *const *allowed, size_t n, const char *prefix,
                            ar_error *err);
/* A string member: required or optional, 1..max bytes; the field is prefix+key. */
ar_status ar_http_get_string(json_t *obj, const char *key, bool required, size_t max,
                             const char *prefix, const char **out, size_t *len, ar_error *err);

void ar_http_h_healthz(ar_http_req *req, ar_http_res *res);
void ar_http_h_readyz(ar_http_req *req, ar_http_res *res);
void ar_http_h_openapi(ar_http_req *req, ar_http_res *res);
void ar_http_h_metrics(ar_http_req *req, ar_http_res *res);
void ar_http_h_check(ar_http_req *req, ar_http_res *res);
void ar_http_h_check_batch(ar_http_req *req, ar_http_res *res);
void ar_http_h_visibility(ar_http_req *req, ar_http_res *res);
void ar_http_h_visibility_batch(ar_http_req *req, ar_http_res *res);
void ar_http_h_policy_get(ar_http_req *req, ar_http_res *res);
void ar_http_h_policy_put(ar_http_req *req, ar_http_res *res);

/* handlers_workflow.c: cases, notices, legal requests, appeals, decisions, audit */
void ar_http_h_cases_list(ar_http_req *req, ar_http_res *res);
void ar_http_h_case_get(ar_http_req *req, ar_http_res *res);
void ar_http_h_case_assign(ar_http_req *req, ar_http_res *res);
void ar_http_h_case_decide(ar_http_req *req, ar_http_res *res);
void ar_http_h_case_escalate(ar_http_req *req, ar_http_res *res);
void ar_http_h_notice_add(ar_http_req *req, ar_http_res *res);
void ar_http_h_requests_list(ar_http_req *req, ar_http_res *res);
void ar_http_h_request_add(ar_http_req *req, ar_http_res *res);
void ar_http_h_request_get(ar_http_req *req, ar_http_res *res);
void ar_http_h_request_decide(ar_http_req *req, ar_http_res *res);
void ar_http_h_request_notified(ar_http_req *req, ar_http_res *res);
void ar_http_h_request_close(ar_http_req *req, ar_http_res *res);
void ar_http_h_appeal_add(ar_http_req *req, ar_http_res *res);
void ar_http_h_appeal_decide(ar_http_req *req, ar_http_res *res);
void ar_http_h_item_decisions(ar_http_req *req, ar_http_res *res);
void ar_http_h_request_sign_off(ar_http_req *req, ar_http_res *res);
void ar_http_h_request_reject(ar_http_req *req, ar_http_res *res);
void ar_http_h_audit_verify(ar_http_req *req, ar_http_res *res);
void ar_http_h_audit_verifications(ar_http_req *req, ar_http_res *res);

/* handlers_report.c: the transparency report, SoR export, register of orders */
void ar_http_h_report(ar_http_req *req, ar_http_res *res);
void ar_http_h_export_sor(ar_http_req *req, ar_http_res *res);
void ar_http_h_export_orders(ar_http_req *req, ar_http_res *res);

/* handlers_auth.c: console sessions, API tokens, staff */
void ar_http_h_session_create(ar_http_req *req, ar_http_res *res);
void ar_http_h_session_get(ar_http_req *req, ar_http_res *res);
void ar_http_h_session_end(ar_http_req *req, ar_http_res *res);
void ar_http_h_tokens_list(ar_http_req *req, ar_http_res *res);
void ar_http_h_token_create(ar_http_req *req, ar_http_res *res);
void ar_http_h_token_revoke(ar_http_req *req, ar_http_res *res);
void ar_http_h_staff_add(ar_http_req *req, ar_http_res *res);

/* handlers_lists.c: url lists (/v1/url-lists) and banks (/v1/banks), one
 * implementation, the kind taken from the route's path */
void ar_http_h_lists_list(ar_http_req *req, ar_http_res *res);
void ar_http_h_list_create(ar_http_req *req, ar_http_res *res);
void ar_http_h_list_get(ar_http_req *req, ar_http_res *res);
void ar_http_h_list_delete(ar_http_req *req, ar_http_res *res);
void ar_http_h_list_add(ar_http_req *req, ar_http_res *res);
void ar_http_h_list_remove(ar_http_req *req, ar_http_res *res);
void ar_http_h_list_import(ar_http_req *req, ar_http_res *res);

/* handlers_hma.c: the HMA-compatible subset (/status, /h, /m, /c) */
void ar_http_h_hma_status(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_hash(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_raw_lookup(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_lookup_get(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_lookup_post(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_compare(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_index_status(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_banks_list(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_bank_create(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_bank_get(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_bank_update(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_bank_delete(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_bank_signal(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_bank_content_add(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_bank_content_get(ar_http_req *req, ar_http_res *res);
void ar_http_h_hma_bank_content_delete(ar_http_req *req, ar_http_res *res);

/* The staff login the caller acts as, or NULL after answering 403: changes
 * are made by a named person, never by an anonymous token. */
const char *ar_http_actor(ar_http_req *req, ar_http_res *res);
/* A path parameter that must be a positive id, or 0 after answering 400. */
int64_t ar_http_param_id(ar_http_req *req, ar_http_res *res, const char *name);
/* Reply with a document the library made (JSON text, malloc'd; taken). */
void ar_http_reply_doc(ar_http_res *res, unsigned status, char *json);

/* POST /v1/check reads the common {"id","text","lang"} body with the strict
 * reader instead of jansson, checks it without a jansson tree and writes
 * the answer with ar_http_verdict_write() (handlers.c, verdict.c). On by
 * default; the tests and the body fuzzer turn it off to check that both
 * ways answer byte for byte the same. Not for production use. */
extern bool ar_http_plain_check_body;
/* That reading: the body as a jansson object, or NULL when it is not the
 * plain shape (then jansson reads it, errors and all). */
json_t *ar_http_plain_check_body_read(const ar_http_req *req);

/*---- One check's answer (verdict.c) -----------------------------------------*/

/* {"id"?, "flagged", "action", "matches", "matches_dropped"?, "repaired_utf8"?,
 * "policy"}; `id` (a string) is shared, not taken. NULL: out of memory. */
json_t *ar_http_verdict_json(json_t *id, const ar_verdict *v, const char *policy);
/* [{"pdq", "quality", "skipped"?}] for n hashed images. */
json_t *ar_http_images_json(const ar_check_image *img, size_t n, uint32_t low_quality);

/* The parts of one answer, for the writer. */
typedef struct ar_http_verdict_doc {
    const char *id; /* NULL: no "id" */
    size_t id_len;
    const ar_verdict *v;
    const char *policy;           /* the engine's digest */
    const ar_check_image *images; /* "images" when nimages > 0 */
    size_t nimages;
    int64_t case_id, decision_id; /* "case", "decision" when not 0 */
} ar_http_verdict_doc;

/* The same bytes as json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER) of the
 * tree ar_http_verdict_json() makes, with "images", "case" and "decision"
 * set after it in that order, written without a tree. malloc'd and NUL-
 * terminated; NULL when out of memory or when a string is one jansson would
 * not write as given (not UTF-8, NULL): then build the tree instead. */
char *ar_http_verdict_write(const ar_http_verdict_doc *d, size_t *len);

#endif
