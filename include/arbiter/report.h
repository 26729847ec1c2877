/*
 * arbiter/report.h - what the platform publishes, computed from the store:
 * the transparency report, statements of reasons for the EU DSA
 * Transparency Database, and the public register of orders.
 *
 * Transparency report. ar_report_compute() reads one snapshot of the store
 * (one read transaction, portable SQL through ar_store_exec) and fills a set
 * of tables, each a list of rows of dimension cells (kind, country, ...) and
 * figure cells (counts, shares, durations). The tables and their columns are
 * the stable schema documented in docs/TRANSPARENCY.md; the JSON output
 * carries "schema": AR_REPORT_SCHEMA.
 *
 * Small counts: no published figure may point at a person. A count from 1
 * to the threshold (AR_REPORT_SUPPRESS_DEFAULT, 9) is written as the band
 * "1-9"; 0 stays 0; a share or a duration computed over 1..threshold cases
 * is written as null. Suppression is applied only when writing (JSON, CSV,
 * HTML); ar_report_cell() gives the exact figures (for tests and for
 * internal review).
 *
 * Periods are half-open UTC intervals [start, end): "2026H2", "2026Q3",
 * "2026-07", "2026" and "2026-07-01..2026-12-31" (both days included).
 *
 * Statements of reasons (sor.c): ar_sor_export() writes the decisions that
 * need a statement (every decision with an action but none, whose
 * territorial scope touches the EU/EEA) in the exact shape of the database's
 * POST /api/v1/statements body, as JSON lines of at most 100 statements,
 * from templates and codes only: never an author, a notifier, an item's
 * text or a free-text statement typed by staff. ar_sor_validate() checks a
 * file against the same rules (LEGAL.md section 1) and lists every violation
 * with its path ("statements[3].decision_ground").
 *
 * Register of orders (orders.c): one entry per legal request, redacted:
 * authority, country, branch, legal basis, day received, item counts and
 * outcomes; item URLs only for content the decision restricted or removed,
 * whose user notice is not withheld, and that is not an account.
 *
 * THREAD SAFETY: a computed ar_report is immutable and may be read by any
 * number of threads; the functions take the store's read transactions.
 */
#ifndef ARBITER_REPORT_H
#define ARBITER_REPORT_H

#include "arbiter/common.h"
#include "arbiter/policy.h"
#include "arbiter/store.h"

#include <stdbool.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AR_REPORT_SCHEMA           "arbiter.transparency-report/1"
#define AR_REPORT_SUPPRESS_DEFAULT 9
#define AR_SOR_BATCH_MAX           100

/*---- Periods ---------------------------------------------------------------*/

typedef struct ar_period {
    int64_t start, end; /* Unix seconds, UTC, [start, end) */
    char label[32];     /* as given: "2026H2" */
} ar_period;

/* AR_EINVAL naming `field` for anything else, for impossible dates, for
 * an end before the start and for years outside 2000..2099. */
AR_API AR_NODISCARD ar_status ar_period_parse(const char *s, const char *field, ar_period *out,
                                              ar_error *err);
/* The months a period spans (at most 120), for trend lines. */
AR_API size_t ar_period_months(const ar_period *p, int64_t *starts, size_t max);

/*---- The transparency report ---------------------------------------------------*/

typedef struct ar_report_opts {
    ar_period period;
    const char *country; /* ISO 3166-1 alpha-2, or NULL for every country */
    int64_t as_of;       /* deadlines still open at this time count as missed (0: period end) */
    int suppress;        /* counts 1..suppress are banded; 0 turns suppression off */
} ar_report_opts;

typedef struct ar_report ar_report;

AR_API AR_NODISCARD ar_status ar_report_compute(ar_ctx *ctx, ar_store *store,
                                                const ar_report_opts *opts, ar_report **out,
                                                ar_error *err);
AR_API void ar_report_free(ar_report *r);

/* The exact figure in table `table`, on the row whose dimension cells are
 * `keys` joined by '/' ("user_data", "content_restriction/decline/overbroad"),
 * in column `column`. Counts come back as whole numbers; shares as 0..1;
 * durations in seconds. AR_ENOTFOUND for an unknown table, row or column;
 * a figure that has no value (a median over nothing) gives AR_ENOTFOUND too. */
AR_API AR_NODISCARD ar_status ar_report_cell(const ar_report *r, const char *table,
                                             const char *keys, const char *column, double *out,
                                             ar_error *err);

/* Output, suppressed. Strings are the caller's to free(). */
AR_API AR_NODISCARD ar_status ar_report_json(const ar_report *r, char **out, ar_error *err);
AR_API AR_NODISCARD ar_status ar_report_html(const ar_report *r, char **out, ar_error *err);
/* One CSV file per table into `dir` (created if absent), plus meta.csv. */
AR_API AR_NODISCARD ar_status ar_report_csv(const ar_report *r, const char *dir, ar_error *err);

/*---- Statements of reasons (DSA Transparency Database) ----------------------------*/

typedef struct ar_sor_stats {
    int64_t written;      /* statements written */
    int64_t batches;      /* lines written, each at most AR_SOR_BATCH_MAX statements */
    int64_t skipped_scope; /* decisions whose scope has no EU/EEA country */
    int64_t skipped_none; /* decisions that change nothing (action none) */
    int64_t skipped_date; /* decided outside 2020..2037, which the database refuses */
    /* where each written statement's category came from */
    int64_t category_policy; /* the standard's dsa_category in the policy given */
    int64_t category_legal;  /* a legal ground: STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE */
    int64_t category_guessed_unknown;    /* a standard the policy does not hold (removed
                                            since): guessed from the words of its id */
    int64_t category_guessed_undeclared; /* a standard without dsa_category: guessed too */
} ar_sor_stats;

/* Decisions with since <= decided_at < until, as JSON lines to `out`. A
 * standard's category and keywords are those `policy` (the policy in force;
 * NULL: none) declares for it; docs/TRANSPARENCY.md gives the fallbacks. */
AR_API AR_NODISCARD ar_status ar_sor_export(ar_store *store, const ar_policy *policy,
                                            int64_t since, int64_t until, FILE *out,
                                            ar_sor_stats *stats, ar_error *err);

typedef struct ar_sor_violation {
    char path[128];    /* "statements[3].decision_ground", "line 2: statements[0].puid" */
    char message[224];
} ar_sor_violation;

/* Check a file: one JSON document ({"statements":[...]} or one statement)
 * or JSON lines of such documents. Every violation is listed (up to `max`;
 * *count gets the total). AR_OK even when there are violations; AR_EINVAL
 * only when the file cannot be read as JSON at all. */
AR_API AR_NODISCARD ar_status ar_sor_validate(ar_ctx *ctx, const char *text, size_t len,
                                              ar_sor_violation *v, size_t max, size_t *count,
                                              ar_error *err);

/*---- Register of orders ----------------------------------------------------------*/

typedef enum ar_orders_format { AR_ORDERS_JSON = 0, AR_ORDERS_CSV } ar_orders_format;

/* Legal requests received in `period` (NULL: all) to `out`. *n gets how many. */
AR_API AR_NODISCARD ar_status ar_orders_export(ar_store *store, const ar_period *period,
                                               ar_orders_format format, FILE *out, int64_t *n,
                                               ar_error *err);

/*---- A seeded demonstration history ------------------------------------------------*/

/* ar_demo_seed() makes a new workflow directory and writes a known history
 * into it through the real workflow API (requests, item decisions, notices,
 * case decisions, appeals), with an injected clock so that every time falls
 * in the second half of `year`. The same options and seed give the same
 * history. The figures below are exact, whatever the seed. */
typedef struct ar_demo_opts {
    int year;                 /* 2000..2099 */
    uint64_t seed;
    const char *country;      /* the country most requests come from (NULL: "IN") */
    int data_requests;        /* user-data requests from `country` */
    int data_produced;        /* of which some data was produced (<= data_requests) */
    int restricted_items;     /* items restricted in `country` by its content requests */
    int notices;              /* user and trusted-flagger notices, decided by moderators */
    int appeals;              /* appeals against the removals that followed notices */
    const char *jurisdictions; /* deadline rules to copy into the directory (NULL: none) */
    void (*progress)(void *ud, int64_t done, int64_t total);
    void *progress_ud;
} ar_demo_opts;

typedef struct ar_demo_summary {
    int64_t data_requests, data_produced;
    int64_t content_requests, items_restricted, items_removed, items_declined;
    int64_t eea_requests, eea_restricted; /* content requests from DE and FR */
    int64_t notices, notices_acted, appeals, appeals_reversed;
    int64_t decisions; /* every decision written */
} ar_demo_summary;

AR_API AR_NODISCARD ar_status ar_demo_seed(ar_ctx *ctx, const char *dir, const ar_demo_opts *opts,
                                           ar_demo_summary *summary, ar_error *err);

#ifdef __cplusplus
}
#endif
#endif
