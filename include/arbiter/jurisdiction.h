/*
 * arbiter/jurisdiction.h - how long a legal request may take: national
 * deadlines as data (policies/jurisdictions.yaml), never as constants.
 *
 * A rule is (country, instrument, request kind) -> a clock: its length in
 * hours, business days or calendar days, an emergency variant, the dates the
 * rule was in force, where it comes from and how well that was verified
 * (verified | secondary | unverified). Laws change (India's takedown clock
 * went from 36 hours to 3 in 2026), so the rule that applies is the one in
 * force on the request's received date.
 *
 * File shape (documented in policies/JURISDICTIONS.md):
 *
 *   version: 1
 *   rules:
 *     - country: IN
 *       instrument: "IT Rules 2021"
 *       provision: "r.3(1)(d)"
 *       kinds: [content_restriction]
 *       clock: {hours: 3}            # or {business_days: N} / {calendar_days: N}
 *       emergency: {hours: 2}        # optional
 *       effective_from: 2026-02-20   # optional
 *       effective_to: null           # optional, exclusive
 *       confidence: secondary        # verified | secondary | unverified
 *       source: "G.S.R. 120(E), 10 Feb 2026; mondaq 1746068"
 *
 * Matching: country must match; the instrument matches when the request's
 * instrument contains the rule's instrument, case-insensitively ("IT Rules
 * 2021" matches "Information Technology ... (IT Rules 2021)"); a rule with
 * instrument "*" is the country's default; the most specific rule in force
 * wins. No rule: no computed deadline (the request still gets one from its
 * own requested deadline, if any).
 *
 * THREAD SAFETY: an ar_jurisdictions is immutable once loaded.
 */
#ifndef ARBITER_JURISDICTION_H
#define ARBITER_JURISDICTION_H

#include "arbiter/common.h"
#include "arbiter/policy.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ar_jurisdictions ar_jurisdictions;

/* Parse; every problem into `diags` (file:line:column) as policy.h does. */
AR_API AR_NODISCARD ar_status ar_jurisdictions_load(ar_ctx *ctx, const char *path,
                                                    ar_jurisdictions **out, ar_diag_list *diags,
                                                    ar_error *err);
AR_API void ar_jurisdictions_free(ar_jurisdictions *j);

typedef struct ar_deadline {
    int64_t due_at;          /* Unix seconds */
    char rule[160];          /* "IN IT Rules 2021 r.3(1)(d): 3 hours (secondary)" */
    char confidence[16];     /* verified | secondary | unverified */
} ar_deadline;

/* The deadline for a request of `kind` ("content_restriction", "user_data",
 * "preservation", "emergency") from `country` under `instrument`, received
 * at `received_at`. Business days skip Saturday and Sunday (UTC).
 * AR_ENOTFOUND when no rule applies. */
AR_API AR_NODISCARD ar_status ar_jurisdictions_deadline(const ar_jurisdictions *j,
                                                        const char *country,
                                                        const char *instrument, const char *kind,
                                                        bool emergency, int64_t received_at,
                                                        ar_deadline *out, ar_error *err);

#ifdef __cplusplus
}
#endif
#endif
