/*
 * jurisdiction_int.h - what the files of src/jurisdiction/ share: a loaded
 * rule, the set behind the opaque ar_jurisdictions, the words of the file
 * (request kinds, confidence levels, country codes) and the calendar.
 *
 * Not installed; hidden in the shared library.
 *
 * Parsing reuses the policy module's YAML tree, arena and diagnostics
 * (src/policy/policy_int.h), so a jurisdictions file reports its problems
 * exactly as a policy file does: file:line:column, in file order.
 *
 * Ownership: every string and array of an ar_jurisdictions lives in its
 * arena; ar_jurisdictions_free() frees a few chunks.
 */
#ifndef AR_JURISDICTION_INT_H
#define AR_JURISDICTION_INT_H

#include "arbiter/jurisdiction.h"
#include "common/common_int.h"
#include "policy/policy_int.h"

#include <stdbool.h>
#include <stdint.h>

/*---- Ceilings -------------------------------------------------------------*/

#define AR__JUR_MAX_RULES          10000u /* rules in one file */
#define AR__JUR_MAX_NAME_BYTES     128u   /* instrument, provision */
#define AR__JUR_MAX_SOURCE_BYTES   2048u  /* source */
#define AR__JUR_MAX_CALENDAR_DAYS  3653u  /* 10 years, leap days included */
#define AR__JUR_MAX_HOURS          (AR__JUR_MAX_CALENDAR_DAYS * 24u)
#define AR__JUR_MAX_BUSINESS_DAYS  2609u  /* 3653 * 5 / 7 */
#define AR__JUR_SECONDS_PER_DAY    86400

/*---- A rule ---------------------------------------------------------------*/

typedef enum ar__jur_unit {
    AR__JUR_NONE = 0, /* "clock: none": the law sets no fixed time */
    AR__JUR_HOURS,
    AR__JUR_BUSINESS_DAYS,
    AR__JUR_CALENDAR_DAYS,
} ar__jur_unit;

typedef struct ar__jur_clock {
    ar__jur_unit unit;
    uint32_t n; /* 1..the unit's ceiling; 0 with AR__JUR_NONE */
} ar__jur_clock;

/* Request kinds, as bits of ar__jur_rule.kinds. */
#define AR__JUR_KIND_CONTENT_RESTRICTION (1u << 0)
#define AR__JUR_KIND_USER_DATA           (1u << 1)
#define AR__JUR_KIND_PRESERVATION        (1u << 2)
#define AR__JUR_KIND_EMERGENCY           (1u << 3)

typedef struct ar__jur_rule {
    char country[3];        /* "IN"; "EU" stands for each member state */
    const char *instrument; /* "*": the country's default */
    size_t instrument_len;
    const char *provision;
    unsigned kinds; /* AR__JUR_KIND_* bits, at least one */
    ar__jur_clock clock;
    ar__jur_clock emergency; /* unit AR__JUR_NONE: no emergency variant */
    bool has_from, has_to;
    int64_t from_day, to_day; /* days since 1970-01-01; to_day exclusive */
    const char *confidence;   /* "verified", "secondary" or "unverified" (static) */
    const char *source;
    size_t index;                      /* in the file's rules list, from 0 */
    unsigned line, column;             /* the rule's mapping */
    unsigned clock_line, clock_column; /* its clock's value */
} ar__jur_rule;

struct ar_jurisdictions {
    ar_ctx *ctx;
    ar__arena arena; /* every string and the rules array */
    const char *path;
    ar__jur_rule *rules;
    size_t nrules;
};

/*---- Words of the file (words.c) ------------------------------------------*/

/* The bit of a request kind ("user_data"), or 0 if it is not one. */
AR_INTERNAL unsigned ar__jurisdiction_kind_bit(const char *s);
/* The name of the kind with bit `bit` ("user_data"), or NULL. */
AR_INTERNAL const char *ar__jurisdiction_kind_name(unsigned bit);
/* "content_restriction, user_data, preservation or emergency", for messages. */
AR_INTERNAL const char *ar__jurisdiction_kind_list(void);

/* The static spelling of a confidence level, or NULL if `s` is not one. */
AR_INTERNAL const char *ar__jurisdiction_confidence(const char *s);

/* True for an officially assigned ISO 3166-1 alpha-2 code, "EU" or "XK". */
AR_INTERNAL bool ar__jurisdiction_country_known(const char *cc);
/* The code people mean by a common mistake ("UK" -> "GB"), or NULL. */
AR_INTERNAL const char *ar__jurisdiction_country_hint(const char *cc);
/* True if `cc` is a member state of the European Union. */
AR_INTERNAL bool ar__jurisdiction_in_eu(const char *cc);

/*---- Calendar (calendar.c) ------------------------------------------------*/

/* Days since 1970-01-01 of "YYYY-MM-DD" (s[0..len)); false if it is not a
 * real date in that exact shape. */
AR_INTERNAL bool ar__jurisdiction_parse_date(const char *s, size_t len, int64_t *day);
/* "YYYY-MM-DD" of a day number into buf (at least 24 bytes). */
AR_INTERNAL void ar__jurisdiction_format_date(int64_t day, char *buf, size_t size);
/* The UTC day number of a Unix time. */
AR_INTERNAL int64_t ar__jurisdiction_day_of(int64_t unix_seconds);
/* received_at plus the clock (not AR__JUR_NONE) into *due; business days
 * skip Saturday and Sunday (UTC). False when the result would overflow. */
AR_INTERNAL bool ar__jurisdiction_add_clock(int64_t received_at, ar__jur_clock c, int64_t *due);
/* "3 hours", "1 business day", "7 calendar days" into buf. */
AR_INTERNAL void ar__jurisdiction_format_clock(ar__jur_clock c, char *buf, size_t size);

#endif
