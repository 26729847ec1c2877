/*
 * load.c - policies/jurisdictions.yaml to the rules of an ar_jurisdictions,
 * checking everything and reporting every problem with its file, line and
 * column (the format is in policies/JURISDICTIONS.md).
 *
 * The YAML tree, the arena and the diagnostics are the policy module's
 * (src/policy/policy_int.h); the walk is this file's. Each mapping first has
 * its keys sorted into slots (unknown and repeated keys are reported), then
 * each slot is checked; a problem in one value never stops the walk. A rule
 * with any problem is left out of the set, and the load fails.
 *
 * Decisions the header leaves open (documented in JURISDICTIONS.md):
 *   - `clock` is required; `clock: none` says the law sets no fixed time
 *     (the DSA's "without undue delay", a court's own time limit). An empty
 *     clock is refused so that a rule left half-written is caught.
 *   - `emergency` may be left out, empty or none: no emergency variant. When
 *     both clocks can be compared, the emergency one must be shorter.
 *   - Two rules with the same country, the same instrument (ignoring case)
 *     and a kind in common may not be in force on the same day: the lookup
 *     could not choose between them.
 *   - `country` is an officially assigned ISO 3166-1 alpha-2 code, or XK
 *     (Kosovo, user-assigned), or EU, which stands for each member state.
 *     "UK" and "EL" get a hint (GB, GR): a rule under them would never match.
 */
#include "jurisdiction_int.h"

#include <stdio.h>

/*---- Field paths ------------------------------------------------------------*/

/* Append to the field path ("rules[2]" + ".clock"); returns the old length
 * for ar__yaml_field_pop(). A path too long for ar_error.field is cut. */
/*---- Node helpers -------------------------------------------------------------*/

/* What a node is, for "must be a list, not <this>". */
/* The text of a scalar that must be a string: NULL (reported, unless the
 * node is an alias already reported) when it is empty, a list or a mapping. */
static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Edit distance of a and b, capped: enough to suggest a key for a typo. */
/* Sort the pairs of mapping `map` into vals[i] (and keys[i]) by names[i].
 * Reports a non-mapping, keys that are not names, unknown keys (with a
 * suggestion, or `known` listing the keys when no name is close) and
 * repeated keys. `what` names the mapping ("rule", "clock").
 * Returns false if `map` is not a mapping at all (reported unless an alias). */
/*---- Values ---------------------------------------------------------------------*/

/* Copy s[0..len) into the set; NULL (and st->fatal) when out of memory. */
static const char *keep(ar__pstate *st, ar_jurisdictions *j, const char *s, size_t len)
{
    char *d = ar__arena_strndup(&j->arena, s, len);
    if (!d)
        ar__policy_oom(st);
    return d;
}

/* A non-blank string of at most `max` bytes once trimmed, copied into the
 * set (*len gets its length). `one_line`: no line breaks or control
 * characters (the text goes into one-line rule descriptions). NULL when
 * refused (reported) or out of memory. */
static const char *check_text(ar__pstate *st, ar_jurisdictions *j, const ar__ynode *n,
                              const char *key, size_t max, bool one_line, size_t *len)
{
    const char *s = ar__yaml_get_string(st, n, key);
    if (!s)
        return NULL;
    size_t a = 0, b = n->len;
    while (a < b && is_blank(s[a]))
        a++;
    while (b > a && is_blank(s[b - 1]))
        b--;
    if (a == b) {
        ar__yaml_report_at(st, n, "'%s' is blank", key);
        return NULL;
    }
    if (b - a > max) {
        ar__yaml_report_at(st, n, "'%s' is %zu bytes long: at most %zu", key, b - a, max);
        return NULL;
    }
    if (one_line) {
        for (size_t i = a; i < b; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x20 || c == 0x7f) {
                ar__yaml_report_at(st, n, "'%s' holds a line break or control character: keep it on one "
                                 "line",
                          key);
                return NULL;
            }
        }
    }
    if (len)
        *len = b - a;
    return keep(st, j, s + a, b - a);
}

static void check_country(ar__pstate *st, ar__jur_rule *r, const ar__ynode *v)
{
    const char *cc = ar__yaml_get_string(st, v, "country");
    if (!cc)
        return;
    bool letters = v->len == 2;
    for (size_t i = 0; letters && i < 2; i++)
        letters = (cc[i] >= 'A' && cc[i] <= 'Z') || (cc[i] >= 'a' && cc[i] <= 'z');
    if (!letters) {
        ar__yaml_report_at(st, v,
                  "'country' must be an ISO 3166-1 alpha-2 code, two capital letters such as IN, "
                  "not '%.*s'",
                  CLIP(cc, 32));
        return;
    }
    if (cc[0] > 'Z' || cc[1] > 'Z') {
        ar__yaml_report_at(st, v, "'country' must be two capital letters: write '%c%c'",
                  cc[0] > 'Z' ? cc[0] - 'a' + 'A' : cc[0], cc[1] > 'Z' ? cc[1] - 'a' + 'A' : cc[1]);
        return;
    }
    const char *hint = ar__jurisdiction_country_hint(cc);
    if (hint) {
        ar__yaml_report_at(st, v, "'%s' is not an ISO 3166-1 alpha-2 code: write '%s'", cc, hint);
        return;
    }
    if (!ar__jurisdiction_country_known(cc)) {
        ar__yaml_report_at(st, v, "'%s' is not an assigned ISO 3166-1 alpha-2 code", cc);
        return;
    }
    memcpy(r->country, cc, 3);
}

static void check_instrument(ar__pstate *st, ar_jurisdictions *j, ar__jur_rule *r,
                             const ar__ynode *v)
{
    size_t len = 0;
    const char *s = check_text(st, j, v, "instrument", AR__JUR_MAX_NAME_BYTES, true, &len);
    if (!s)
        return;
    if (len > 1 && memchr(s, '*', len)) {
        ar__yaml_report_at(st, v,
                  "'instrument' is either '*' alone (the country's default) or a name without "
                  "'*', not '%.*s'",
                  CLIP(s, 64));
        return;
    }
    r->instrument = s;
    r->instrument_len = len;
}

static void check_kinds(ar__pstate *st, ar__jur_rule *r, const ar__ynode *v)
{
    if (v->kind == AR__YN_BAD)
        return;
    if (v->kind != AR__YN_SEQ) {
        if (v->kind == AR__YN_SCALAR && !ar__yaml_is_null(v))
            ar__yaml_report_at(st, v, "'kinds' must be a list: write [%.*s]", CLIP(v->str, 64));
        else
            ar__yaml_report_at(st, v, "'kinds' must be a list of request kinds, not %s", ar__yaml_kind_name(v));
        return;
    }
    if (v->n == 0) {
        ar__yaml_report_at(st, v, "'kinds' is empty: give at least one of %s",
                  ar__jurisdiction_kind_list());
        return;
    }
    unsigned bits = 0;
    bool ok = true;
    size_t idx = 0;
    for (const ar__ynode *it = v->child; it; it = it->next, idx++) {
        if (it->kind == AR__YN_BAD) {
            ok = false;
            continue;
        }
        if (it->kind != AR__YN_SCALAR || ar__yaml_is_null(it)) {
            ar__yaml_report_at(st, it, "'kinds' must be a list of request kinds: item %zu is %s", idx + 1,
                      ar__yaml_kind_name(it));
            ok = false;
            continue;
        }
        unsigned bit = ar__jurisdiction_kind_bit(it->str);
        if (!bit) {
            ar__yaml_report_at(st, it, "unknown request kind '%.*s': use %s", CLIP(it->str, 64),
                      ar__jurisdiction_kind_list());
            ok = false;
        } else if (bits & bit) {
            ar__yaml_report_at(st, it, "request kind '%s' is listed twice", it->str);
            ok = false;
        }
        bits |= bit;
    }
    if (ok)
        r->kinds = bits;
}

/*---- Clocks -----------------------------------------------------------------------*/

enum { U_HOURS, U_BUSINESS_DAYS, U_CALENDAR_DAYS, U_N };
static const char *const unit_keys[U_N] = {"hours", "business_days", "calendar_days"};
static const ar__jur_unit unit_of[U_N] = {AR__JUR_HOURS, AR__JUR_BUSINESS_DAYS,
                                          AR__JUR_CALENDAR_DAYS};
static const uint32_t unit_max[U_N] = {AR__JUR_MAX_HOURS, AR__JUR_MAX_BUSINESS_DAYS,
                                       AR__JUR_MAX_CALENDAR_DAYS};
#define UNIT_LIST "hours, business_days or calendar_days"

/* A whole number 1..max written plainly (`hours: 24`, not `hours: "24"`).
 * Returns false when refused (reported). */
static bool check_count(ar__pstate *st, const ar__ynode *v, const char *key, uint32_t max,
                        uint32_t *out)
{
    if (v->kind == AR__YN_BAD)
        return false;
    if (v->kind != AR__YN_SCALAR || ar__yaml_is_null(v)) {
        ar__yaml_report_at(st, v, "'%s' must be a whole number, not %s", key, ar__yaml_kind_name(v));
        return false;
    }
    if (!v->plain) {
        ar__yaml_report_at(st, v, "'%s' must be a whole number, not a quoted string: write %s: %.*s", key,
                  key, CLIP(v->str, 16));
        return false;
    }
    if (v->len == 0 || strspn(v->str, "0123456789") != v->len) {
        ar__yaml_report_at(st, v, "'%s' must be a positive whole number, not '%.*s'", key,
                  CLIP(v->str, 32));
        return false;
    }
    size_t a = 0;
    while (a + 1 < v->len && v->str[a] == '0')
        a++;
    uint64_t n = 0;
    if (v->len - a <= 10)
        for (size_t i = a; i < v->len; i++)
            n = n * 10 + (uint64_t)(v->str[i] - '0');
    if (v->len - a > 10 || n > max) {
        ar__yaml_report_at(st, v, "'%s' is over 10 years: at most %u", key, (unsigned)max);
        return false;
    }
    if (n == 0) {
        ar__yaml_report_at(st, v, "'%s' must be at least 1", key);
        return false;
    }
    *out = (uint32_t)n;
    return true;
}

/* The clock `v` (the value of `key`) into *c. `required`: an empty value is
 * an error rather than "no clock". Returns false when refused (reported). */
static bool check_clock(ar__pstate *st, const ar__ynode *v, const char *key, bool required,
                        ar__jur_clock *c)
{
    c->unit = AR__JUR_NONE;
    c->n = 0;
    if (v->kind == AR__YN_BAD)
        return false;
    if (v->kind == AR__YN_SCALAR) {
        if (strcmp(v->str, "none") == 0)
            return true;
        if (ar__yaml_is_null(v)) {
            if (!required)
                return true;
            ar__yaml_report_at(st, v,
                      "'%s' is empty: give {hours: N}, {business_days: N} or {calendar_days: N}, "
                      "or none if the law sets no fixed time",
                      key);
            return false;
        }
        ar__yaml_report_at(st, v, "'%s' must be a mapping such as {hours: 24}, or none, not '%.*s'", key,
                  CLIP(v->str, 32));
        return false;
    }
    if (v->kind != AR__YN_MAP) {
        ar__yaml_report_at(st, v, "'%s' must be a mapping such as {hours: 24}, or none, not %s", key,
                  ar__yaml_kind_name(v));
        return false;
    }
    const ar__ynode *keys[U_N], *vals[U_N];
    size_t before = st->diags.n;
    ar__yaml_sort_keys(st, v, key, unit_keys, U_N, UNIT_LIST, keys, vals);
    bool ok = st->diags.n == before;
    /* Exactly one unit: report each extra one at its key, naming the first
     * (in file order). */
    size_t first = U_N;
    for (size_t i = 0; i < U_N; i++)
        if (keys[i] && (first == U_N || keys[i]->line < keys[first]->line ||
                        (keys[i]->line == keys[first]->line &&
                         keys[i]->column < keys[first]->column)))
            first = i;
    if (first == U_N) {
        if (v->n == 0)
            ar__yaml_report_at(st, v, "'%s' is empty: give one of " UNIT_LIST, key);
        return false;
    }
    for (size_t i = 0; i < U_N; i++) {
        if (keys[i] && i != first) {
            ar__yaml_report_at(st, keys[i], "'%s' has both '%s' and '%s': give exactly one", key,
                      unit_keys[first], unit_keys[i]);
            ok = false;
        }
    }
    uint32_t n = 0;
    if (!check_count(st, vals[first], unit_keys[first], unit_max[first], &n) || !ok)
        return false;
    c->unit = unit_of[first];
    c->n = n;
    return true;
}

/* A clock as a length in hours when that is exact (hours, calendar days);
 * 0 for business days, whose length depends on the day. */
static uint64_t exact_hours(ar__jur_clock c)
{
    if (c.unit == AR__JUR_HOURS)
        return c.n;
    if (c.unit == AR__JUR_CALENDAR_DAYS)
        return (uint64_t)c.n * 24;
    return 0;
}

/* The emergency clock must be shorter than the normal one where the two can
 * be compared: same unit, or hours against calendar days. */
static void check_emergency_shorter(ar__pstate *st, const ar__jur_rule *r, const ar__ynode *at)
{
    if (r->clock.unit == AR__JUR_NONE || r->emergency.unit == AR__JUR_NONE)
        return;
    bool longer;
    if (r->clock.unit == r->emergency.unit)
        longer = r->emergency.n >= r->clock.n;
    else if (exact_hours(r->clock) && exact_hours(r->emergency))
        longer = exact_hours(r->emergency) >= exact_hours(r->clock);
    else
        return;
    if (longer) {
        char e[48], c[48];
        ar__jurisdiction_format_clock(r->emergency, e, sizeof e);
        ar__jurisdiction_format_clock(r->clock, c, sizeof c);
        ar__yaml_report_at(st, at, "the emergency clock (%s) is not shorter than the clock (%s)", e, c);
    }
}

/*---- Dates ----------------------------------------------------------------------*/

/* `v` (the value of `key`) is empty (*has = false) or a date YYYY-MM-DD.
 * Returns false when refused (reported). */
static bool check_date(ar__pstate *st, const ar__ynode *v, const char *key, int64_t *day,
                       bool *has)
{
    *has = false;
    if (v->kind == AR__YN_BAD)
        return false;
    if (ar__yaml_is_null(v))
        return true;
    if (v->kind != AR__YN_SCALAR) {
        ar__yaml_report_at(st, v, "'%s' must be a date written YYYY-MM-DD, not %s", key, ar__yaml_kind_name(v));
        return false;
    }
    if (!ar__jurisdiction_parse_date(v->str, v->len, day)) {
        ar__yaml_report_at(st, v, "'%s' must be a real date written YYYY-MM-DD, not '%.*s'", key,
                  CLIP(v->str, 32));
        return false;
    }
    *has = true;
    return true;
}

/*---- Rules ------------------------------------------------------------------------*/

enum {
    R_COUNTRY,
    R_INSTRUMENT,
    R_PROVISION,
    R_KINDS,
    R_CLOCK,
    R_EMERGENCY,
    R_FROM,
    R_TO,
    R_CONFIDENCE,
    R_SOURCE,
    R_N
};
static const char *const rule_keys[R_N] = {
    "country", "instrument",     "provision",    "kinds",      "clock",
    "emergency", "effective_from", "effective_to", "confidence", "source",
};

/* Check rule `idx` into *r. Returns true if it had no problem at all. */
static bool check_rule(ar__pstate *st, ar_jurisdictions *j, ar__jur_rule *r,
                       const ar__ynode *node, size_t idx)
{
    size_t before = st->diags.n;
    const ar__ynode *keys[R_N], *v[R_N];
    memset(r, 0, sizeof *r);
    r->index = idx;
    r->line = node->line;
    r->column = node->column;
    if (!ar__yaml_sort_keys(st, node, "rule", rule_keys, R_N, NULL, keys, v))
        return false;

    static const size_t required[] = {R_COUNTRY, R_INSTRUMENT, R_PROVISION, R_KINDS,
                                      R_CLOCK,   R_CONFIDENCE, R_SOURCE};
    for (size_t i = 0; i < AR_ARRAY_LEN(required); i++)
        if (!v[required[i]])
            ar__yaml_report_at(st, node, "rule has no '%s'", rule_keys[required[i]]);

    /* Each value, with its key on the field path ("rules[3].clock"). */
    bool clocks_ok = v[R_CLOCK] != NULL, dates_ok = true;
    for (size_t k = 0; k < R_N; k++) {
        if (!v[k])
            continue;
        size_t old = ar__yaml_field_push(st, ".%s", rule_keys[k]);
        const char *c;
        switch (k) {
        case R_COUNTRY:
            check_country(st, r, v[k]);
            break;
        case R_INSTRUMENT:
            check_instrument(st, j, r, v[k]);
            break;
        case R_PROVISION:
            r->provision = check_text(st, j, v[k], "provision", AR__JUR_MAX_NAME_BYTES, true, NULL);
            break;
        case R_KINDS:
            check_kinds(st, r, v[k]);
            break;
        case R_CLOCK:
            r->clock_line = v[k]->line;
            r->clock_column = v[k]->column;
            /* fall through */
        case R_EMERGENCY:
            if (!check_clock(st, v[k], rule_keys[k], k == R_CLOCK,
                             k == R_CLOCK ? &r->clock : &r->emergency))
                clocks_ok = false;
            break;
        case R_FROM:
            if (!check_date(st, v[k], rule_keys[k], &r->from_day, &r->has_from))
                dates_ok = false;
            break;
        case R_TO:
            if (!check_date(st, v[k], rule_keys[k], &r->to_day, &r->has_to))
                dates_ok = false;
            break;
        case R_CONFIDENCE:
            c = ar__yaml_get_string(st, v[k], "confidence");
            if (c && !(r->confidence = ar__jurisdiction_confidence(c)))
                ar__yaml_report_at(st, v[k],
                          "'confidence' must be verified, secondary or unverified, not '%.*s'",
                          CLIP(c, 32));
            break;
        default: /* R_SOURCE */
            r->source = check_text(st, j, v[k], "source", AR__JUR_MAX_SOURCE_BYTES, false, NULL);
            break;
        }
        ar__yaml_field_pop(st, old);
    }

    /* Checks across values. */
    if (clocks_ok && v[R_EMERGENCY]) {
        size_t old = ar__yaml_field_push(st, ".emergency");
        check_emergency_shorter(st, r, v[R_EMERGENCY]);
        ar__yaml_field_pop(st, old);
    }
    if (dates_ok && r->has_from && r->has_to && r->from_day >= r->to_day) {
        char f[24], t[24];
        ar__jurisdiction_format_date(r->from_day, f, sizeof f);
        ar__jurisdiction_format_date(r->to_day, t, sizeof t);
        size_t old = ar__yaml_field_push(st, ".effective_to");
        ar__yaml_report_at(st, v[R_TO],
                  "'effective_to' (%s) must be after 'effective_from' (%s): effective_to is the "
                  "first day the rule no longer applies",
                  t, f);
        ar__yaml_field_pop(st, old);
    }

    return st->diags.n == before && !st->capped && !st->fatal;
}

static bool same_instrument(const ar__jur_rule *a, const ar__jur_rule *b)
{
    if (a->instrument_len != b->instrument_len)
        return false;
    for (size_t i = 0; i < a->instrument_len; i++) {
        char x = a->instrument[i], y = b->instrument[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

/* Report each rule that is in force on the same day as an earlier rule with
 * the same country and instrument and a kind in common: equally specific,
 * the lookup could not tell them apart. */
static void check_overlaps(ar__pstate *st, const ar_jurisdictions *j)
{
    for (size_t b = 1; b < j->nrules && !st->capped && !st->fatal; b++) {
        const ar__jur_rule *rb = &j->rules[b];
        for (size_t a = 0; a < b; a++) {
            const ar__jur_rule *ra = &j->rules[a];
            unsigned common = ra->kinds & rb->kinds;
            if (!common || strcmp(ra->country, rb->country) != 0 || !same_instrument(ra, rb))
                continue;
            /* [from, to) periods, open ends unbounded. */
            if ((ra->has_to && rb->has_from && rb->from_day >= ra->to_day) ||
                (rb->has_to && ra->has_from && ra->from_day >= rb->to_day))
                continue;
            char when[40] = "on every date";
            if (ra->has_from || rb->has_from) {
                int64_t d = !ra->has_from                      ? rb->from_day
                            : !rb->has_from                    ? ra->from_day
                            : ra->from_day > rb->from_day ? ra->from_day
                                                               : rb->from_day;
                char date[24];
                ar__jurisdiction_format_date(d, date, sizeof date);
                snprintf(when, sizeof when, "from %s", date);
            }
            const char *kind = ar__jurisdiction_kind_name(common & -common); /* lowest */
            size_t old = ar__yaml_field_push(st, "rules[%zu]", rb->index);
            ar__policy_report(st, AR_EINVAL, st->file, rb->line, rb->column,
                              "this rule overlaps the rule at line %u: both give %s '%.*s' %s %s; "
                              "end one with effective_to or split their kinds",
                              ra->line, rb->country, CLIP(rb->instrument, 64), kind, when);
            ar__yaml_field_pop(st, old);
            break; /* one report per rule is enough */
        }
    }
}

/*---- The whole file -----------------------------------------------------------------*/

enum { F_VERSION, F_RULES, F_N };
static const char *const file_keys[F_N] = {"version", "rules"};

static void check_version(ar__pstate *st, const ar__ynode *v)
{
    if (v->kind == AR__YN_BAD)
        return;
    if (v->kind == AR__YN_SCALAR && v->plain && strcmp(v->str, "1") == 0)
        return;
    if (v->kind == AR__YN_SCALAR && v->plain && v->len > 0 && v->len < 10 &&
        strspn(v->str, "0123456789") == v->len) {
        ar__yaml_report_at(st, v, "version %s is not supported: this arbiter reads version 1", v->str);
        return;
    }
    ar__yaml_report_at(st, v, "'version' must be the number 1");
}

static void check_rules(ar__pstate *st, ar_jurisdictions *j, const ar__ynode *v)
{
    if (v->kind == AR__YN_BAD)
        return;
    if (v->kind != AR__YN_SEQ) {
        ar__yaml_report_at(st, v, "'rules' must be a list of rules, not %s", ar__yaml_kind_name(v));
        return;
    }
    if (v->n == 0) {
        ar__yaml_report_at(st, v, "'rules' is empty: give at least one rule");
        return;
    }
    size_t cap = v->n < AR__JUR_MAX_RULES ? v->n : AR__JUR_MAX_RULES;
    j->rules = ar__arena_calloc(&j->arena, cap, sizeof *j->rules);
    if (!j->rules) {
        ar__policy_oom(st);
        return;
    }
    size_t i = 0;
    for (const ar__ynode *it = v->child; it && !st->fatal; it = it->next, i++) {
        if (i == AR__JUR_MAX_RULES) {
            ar__policy_report(st, AR_ETOOBIG, st->file, it->line, it->column,
                              "too many rules: a jurisdictions file holds at most %u",
                              AR__JUR_MAX_RULES);
            break;
        }
        size_t old = ar__yaml_field_push(st, "rules[%zu]", i);
        if (check_rule(st, j, &j->rules[j->nrules], it, i))
            j->nrules++;
        ar__yaml_field_pop(st, old);
    }
    if (!st->fatal)
        check_overlaps(st, j);
}

static void check_file(ar__pstate *st, ar_jurisdictions *j, const ar__ynode *root)
{
    const ar__ynode *keys[F_N], *v[F_N];
    if (root->kind == AR__YN_SCALAR || root->kind == AR__YN_SEQ) {
        ar__yaml_report_at(st, root,
                  "a jurisdictions file must be a mapping with 'version: 1' and 'rules', not %s",
                  ar__yaml_kind_name(root));
        return;
    }
    if (!ar__yaml_sort_keys(st, root, "jurisdictions file", file_keys, F_N, NULL, keys, v))
        return;
    if (!v[F_VERSION])
        ar__yaml_report_at(st, root, "the file has no 'version': start it with 'version: 1'");
    else
        check_version(st, v[F_VERSION]);
    if (!v[F_RULES])
        ar__yaml_report_at(st, root, "the file has no 'rules'");
    else
        check_rules(st, j, v[F_RULES]);
}

/*---- Entry points -------------------------------------------------------------------*/

void ar_jurisdictions_free(ar_jurisdictions *j)
{
    if (!j)
        return;
    ar_ctx *ctx = j->ctx;
    ar__arena_free(&j->arena);
    ar__free(ctx, j);
}

/* Hand the problems to the caller: the first in *err, all in `diags`.
 * Returns the first problem's status (AR_ENOMEM if diags cannot take them). */
static ar_status hand_out(ar__pstate *st, ar_diag_list *diags, ar_error *err)
{
    ar__policy_sort_diags(st);
    const ar_error *first = &st->diags.v[0];
    if (err)
        *err = *first;
    if (diags) {
        for (size_t i = 0; i < st->diags.n; i++)
            if (ar_diag_list_add(diags, &st->diags.v[i]) != AR_OK)
                return ar_error_set(err, AR_ENOMEM, NULL, "out of memory listing problems");
    }
    return first->status;
}

/* The policy module's YAML reader words an empty document for policies;
 * say what this file needs instead. */
static void reword_empty(ar__pstate *st, size_t before)
{
    static const char policy_empty[] = "the policy is empty";
    if (st->diags.n != before + 1)
        return;
    ar_error *e = &st->diags.v[before];
    if (e->line == 1 && e->column == 1 &&
        strncmp(e->message, policy_empty, sizeof policy_empty - 1) == 0)
        snprintf(e->message, sizeof e->message,
                 "the file is empty: it needs at least 'version: 1' and 'rules'");
}

/* Parse data[0..len) read from `path`. */
static ar_status parse(ar_ctx *ctx, const char *data, size_t len, const char *path,
                       ar_jurisdictions **out, ar_diag_list *diags, ar_error *err)
{
    ar_jurisdictions *j = ar__calloc(ctx, 1, sizeof *j);
    if (!j)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory loading jurisdictions");
    j->ctx = ctx;
    ar__arena_init(&j->arena, ctx);

    ar__pstate st;
    memset(&st, 0, sizeof st);
    st.ctx = ctx;
    ar__arena_init(&st.tree, ctx);
    ar_diag_list_init(&st.diags, ctx);
    const char *files[1];

    j->path = keep(&st, j, path, strlen(path));
    if (j->path) {
        /* One file: problems sort by line and column, the unpositioned
         * "too many problems" note last. */
        files[0] = j->path;
        st.files = files;
        st.nfiles = st.capfiles = 1;
        st.file = j->path;
        size_t before = st.diags.n;
        const ar__ynode *root = ar__policy_yaml_load(&st, data, len);
        if (!root && !st.fatal)
            reword_empty(&st, before);
        if (root && !st.fatal)
            check_file(&st, j, root);
    }
    ar__arena_free(&st.tree);

    ar_status s = AR_OK;
    if (st.fatal)
        s = ar_error_set(err, AR_ENOMEM, NULL, "out of memory loading jurisdictions");
    else if (st.diags.n > 0)
        s = hand_out(&st, diags, err);
    else
        *out = j;
    ar_diag_list_free(&st.diags);
    if (s != AR_OK)
        ar_jurisdictions_free(j);
    return s;
}

/* Load the jurisdictions file at `path`. On any problem: AR_EINVAL (or
 * AR_ENOTFOUND, AR_EIO, AR_ETOOBIG, AR_ENOMEM), *err holds the first problem
 * and `diags` (if not NULL) all of them, in file order. *out is set only on
 * AR_OK. */
ar_status ar_jurisdictions_load(ar_ctx *ctx, const char *path, ar_jurisdictions **out,
                                ar_diag_list *diags, ar_error *err)
{
    if (!ctx || !path || !out)
        return ar_error_set(err, AR_EINVAL, NULL,
                            "ar_jurisdictions_load: ctx, path or out is NULL");
    *out = NULL;
    char *data = NULL;
    size_t len = 0;
    ar_status s = ar__yaml_read_file(ctx, path, &data, &len, diags, err);
    if (s != AR_OK)
        return s;
    s = parse(ctx, data, len, path, out, diags, err);
    ar__free(ctx, data);
    return s;
}
