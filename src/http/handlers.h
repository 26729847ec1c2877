/*
 * handlers.h - the route handlers of arbiterd (handlers.c), named by
 * routes.c's table. Each sees only an ar_http_req and fills an ar_http_res.
 */
#ifndef AR_HTTP_HANDLERS_H
#define AR_HTTP_HANDLERS_H

#include "http/http.h"

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

#endif
