/*
 * sor.c - statements of reasons for the DSA Transparency Database: the
 * exporter (decisions -> POST /api/v1/statements bodies, as JSON lines of
 * at most 100) and the validator (every rule of LEGAL.md section 1.2, each
 * violation named by its path).
 *
 * No personal data, by construction: every free-text field is made from a
 * template, the decision's codes and its ground (a standard id or the
 * legal provision); the staff-written statement, item text, author and
 * notifier references never leave the store. The PUID is the decision's
 * own number ("arbiter-decision-42"), which finds the item in the
 * platform's systems without naming anyone.
 *
 * The category (and keywords) of a standard are the ones the policy in
 * force declares (dsa_category, dsa_keywords); see category_of() for the
 * rest, each counted in ar_sor_stats.
 */
#include "sor_int.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>

/*---- Export -------------------------------------------------------------------------*/

/* The longest prefix of `s` of at most `max` code points. */
/* jansson's reason for refusing a line, without the input it quotes. */
static const char *json_reason(const json_error_t *je)
{
    static _Thread_local char why[160];
    ar__json_error_reason(je, why, sizeof why);
    return why;
}

static json_t *text_upto(const char *s, size_t max)
{
    size_t i = 0, cps = 0;
    while (s[i] && cps < max) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        cps++;
    }
    return json_stringn(s, i);
}

/* A category from the words of a standard id: only for standards the
 * policy in force does not know (removed since) or gives no dsa_category;
 * what no word matches is the database's "other violation of the terms". */
static const char *guess_category(const char *ground)
{
    static const struct {
        const char *word, *category;
    } words[] = {{"hate", "ILLEGAL_OR_HARMFUL_SPEECH"}, {"speech", "ILLEGAL_OR_HARMFUL_SPEECH"},
                 {"defam", "ILLEGAL_OR_HARMFUL_SPEECH"}, {"harass", "CYBER_VIOLENCE"},
                 {"bully", "CYBER_VIOLENCE"},        {"scam", "SCAMS_AND_FRAUD"},
                 {"fraud", "SCAMS_AND_FRAUD"},       {"spam", "SCAMS_AND_FRAUD"},
                 {"phish", "SCAMS_AND_FRAUD"},       {"violen", "VIOLENCE"},
                 {"terror", "RISK_FOR_PUBLIC_SECURITY"}, {"self_harm", "SELF_HARM"},
                 {"suicide", "SELF_HARM"},           {"minor", "PROTECTION_OF_MINORS"},
                 {"child", "PROTECTION_OF_MINORS"},  {"copyright", "INTELLECTUAL_PROPERTY_INFRINGEMENTS"},
                 {"trademark", "INTELLECTUAL_PROPERTY_INFRINGEMENTS"},
                 {"privacy", "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS"},
                 {"election", "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS"},
                 {"animal", "ANIMAL_WELFARE"}};
    char lower[520];
    size_t n = 0;
    for (; ground[n] && n + 1 < sizeof lower; n++)
        lower[n] = (char)tolower((unsigned char)ground[n]);
    lower[n] = '\0';
    for (size_t i = 0; i < AR_ARRAY_LEN(words); i++)
        if (strstr(lower, words[i].word))
            return words[i].category;
    return "OTHER_VIOLATION_TC";
}

/* The category of a decision, counted by where it came from:
 *  - a standard the policy in force knows, with its dsa_category: that
 *    category, and its dsa_keywords into *keywords;
 *  - a legal ground: LEGAL.md 8.2 takes the category from a catalogue of
 *    legal bases (LegalBasis.dsa_category) that arbiter does not keep yet, and
 *    an order cites a provision, not a type of content. So it is
 *    NOT_SPECIFIED_NOTICE ("type of alleged illegal content not specified
 *    by the notifier"); guessing from a statute's name ("Act s.9") would
 *    publish a category no one chose;
 *  - any other standard: guessed from its id, and counted as guessed. */
static const char *category_of(const ar_policy *policy, const char *ground, bool legal,
                               ar_sor_stats *stats, const ar_policy_standard **declared,
                               char *buf, size_t size)
{
    *declared = NULL;
    if (legal) {
        stats->category_legal++;
        return "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE";
    }
    const ar_policy_standard *std = ar_policy_standard_find(policy, ground);
    if (std && std->dsa_category) {
        stats->category_policy++;
        *declared = std;
        return std->dsa_category;
    }
    if (std)
        stats->category_guessed_undeclared++;
    else
        stats->category_guessed_unknown++;
    snprintf(buf, size, "STATEMENT_CATEGORY_%s", guess_category(ground));
    return buf;
}

typedef struct sor_acc {
    const ar_policy *policy; /* the categories of standards; NULL: none declared */
    FILE *out;
    json_t *batch;
    ar_sor_stats *stats;
    ar_status io;
} sor_acc;

static ar_status flush_batch(sor_acc *acc, ar_error *err)
{
    if (!json_array_size(acc->batch))
        return AR_OK;
    json_t *body = json_pack("{s:O}", "statements", acc->batch);
    char *line = body ? json_dumps(body, JSON_PRESERVE_ORDER | JSON_COMPACT) : NULL;
    json_decref(body);
    if (!line)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory writing statements");
    bool ok = fputs(line, acc->out) >= 0 && fputc('\n', acc->out) != EOF;
    free(line);
    json_array_clear(acc->batch);
    acc->stats->batches++;
    return ok ? AR_OK : ar_error_set(err, AR_EIO, "out", "writing the statements failed");
}

static json_t *scope_json(const char *scope)
{
    json_t *a = json_array();
    bool global = !strcmp(scope, "global");
    for (size_t i = 0; i < ar__sor_eea.n; i++) {
        const char *cc = ar__sor_eea.v[i];
        char wrapped[820];
        snprintf(wrapped, sizeof wrapped, ",%s,", scope);
        char needle[5] = {',', cc[0], cc[1], ',', '\0'};
        if (global || strstr(wrapped, needle))
            json_array_append_new(a, json_string(cc));
    }
    return a;
}

static const char *source_type(const char *source, const char *notifier)
{
    if (!strcmp(source, "notice") && !strcmp(notifier, "trusted_flagger"))
        return "SOURCE_TRUSTED_FLAGGER";
    if (!strcmp(source, "notice") && !strcmp(notifier, "user"))
        return "SOURCE_ARTICLE_16";
    if (!strcmp(source, "notice") || !strcmp(source, "legal_order"))
        return "SOURCE_TYPE_OTHER_NOTIFICATION"; /* LEGAL.md 1.4: orders are "other" */
    return "SOURCE_VOLUNTARY";
}

static const char *source_words(const char *source)
{
    if (!strcmp(source, "legal_order"))
        return "an order from a public authority";
    if (!strcmp(source, "notice"))
        return "a notice";
    if (!strcmp(source, "automated"))
        return "automated detection";
    return "the platform's own review";
}

/* id, action, scope, ground_kind, ground, source, automated detection,
 * automated decision, decided_at, item kind, item created_at, notifier kind */
static ar_status take_decision(void *ud, const ar_store_row *row, ar_error *err)
{
    sor_acc *acc = ud;
    const char *action = ar_row_text(row, 1, NULL), *scope = ar_row_text(row, 2, NULL);
    const char *ground = ar_row_text(row, 4, NULL), *source = ar_row_text(row, 5, NULL);
    const char *kind = ar_row_text(row, 9, NULL);
    bool legal = !strcmp(ar_row_text(row, 3, NULL), "legal");
    int64_t decided = ar_row_int(row, 8), created = ar_row_int(row, 10);
    if (!strcmp(action, "none")) {
        acc->stats->skipped_none++;
        return AR_OK;
    }
    json_t *territory = scope_json(scope);
    if (!json_array_size(territory)) {
        json_decref(territory);
        acc->stats->skipped_scope++;
        return AR_OK;
    }
    if (decided < ar__days_from_civil(2020, 1, 1) * 86400 ||
        decided >= ar__days_from_civil(2038, 1, 1) * 86400) {
        json_decref(territory); /* outside the database's application_date range */
        acc->stats->skipped_date++;
        return AR_OK;
    }
    char puid[48], applied[11], content[11], facts[1200], expl[1200], category[80];
    snprintf(puid, sizeof puid, "arbiter-decision-%lld", (long long)ar_row_int(row, 0));
    ar__day_format(decided, applied);
    int64_t floor2000 = ar__days_from_civil(2000, 1, 1) * 86400;
    ar__day_format(created < floor2000 ? floor2000 : created > decided ? decided : created,
                   content);
    const ar_policy_standard *declared;
    const char *category_value = category_of(acc->policy, ground, legal, acc->stats, &declared,
                                             category, sizeof category);
    bool restrict_ = !strcmp(action, "restrict");
    snprintf(facts, sizeof facts,
             "Following %s, the platform reviewed the content and %s. Ground: %.400s.",
             source_words(source),
             restrict_ ? "disabled access to it in the territories listed"
             : !strcmp(action, "remove") ? "removed it"
             : !strcmp(action, "label")  ? "labelled it"
                                         : "suspended the account",
             ground);
    snprintf(expl, sizeof expl,
             legal ? "The content was found unlawful under %.400s in the territories listed."
                   : "The content breaks the platform's community standard '%.400s'.",
             ground);
    json_t *s = json_object();
    if (!strcmp(action, "suspend_account"))
        json_object_set_new(s, "decision_account", json_string("DECISION_ACCOUNT_SUSPENDED"));
    else
        json_object_set_new(s, "decision_visibility",
                            json_pack("[s]", restrict_ ? "DECISION_VISIBILITY_CONTENT_DISABLED"
                                             : !strcmp(action, "remove")
                                                 ? "DECISION_VISIBILITY_CONTENT_REMOVED"
                                                 : "DECISION_VISIBILITY_CONTENT_LABELLED"));
    json_object_set_new(s, "decision_ground",
                        json_string(legal ? "DECISION_GROUND_ILLEGAL_CONTENT"
                                          : "DECISION_GROUND_INCOMPATIBLE_CONTENT"));
    json_object_set_new(s, legal ? "illegal_content_legal_ground" : "incompatible_content_ground",
                        text_upto(ground, 500));
    json_object_set_new(s, legal ? "illegal_content_explanation"
                                 : "incompatible_content_explanation",
                        text_upto(expl, 2000));
    const char *ct = !strcmp(kind, "image") ? "CONTENT_TYPE_IMAGE"
                     : !strcmp(kind, "post") || !strcmp(kind, "comment") ? "CONTENT_TYPE_TEXT"
                                                                         : "CONTENT_TYPE_OTHER";
    json_object_set_new(s, "content_type", json_pack("[s]", ct));
    if (!strcmp(ct, "CONTENT_TYPE_OTHER"))
        json_object_set_new(s, "content_type_other", json_string(kind));
    json_object_set_new(s, "category", json_string(category_value));
    if (declared && declared->ndsa_keywords) {
        json_t *kw = json_array();
        for (size_t i = 0; i < declared->ndsa_keywords; i++)
            json_array_append_new(kw, json_string(declared->dsa_keywords[i]));
        json_object_set_new(s, "category_specification", kw);
    }
    json_object_set_new(s, "territorial_scope", territory);
    json_object_set_new(s, "content_date", json_string(content));
    json_object_set_new(s, "application_date", json_string(applied));
    json_object_set_new(s, "decision_facts", text_upto(facts, 5000));
    json_object_set_new(s, "source_type", json_string(source_type(source, ar_row_text(row, 11,
                                                                                      NULL))));
    json_object_set_new(s, "automated_detection", json_string(ar_row_int(row, 6) ? "Yes" : "No"));
    json_object_set_new(s, "automated_decision",
                        json_string(ar_row_int(row, 7) ? "AUTOMATED_DECISION_FULLY"
                                                       : "AUTOMATED_DECISION_NOT_AUTOMATED"));
    json_object_set_new(s, "puid", json_string(puid));
    json_array_append_new(acc->batch, s);
    acc->stats->written++;
    return json_array_size(acc->batch) >= AR_SOR_BATCH_MAX ? flush_batch(acc, err) : AR_OK;
}

ar_status ar_sor_export(ar_store *store, const ar_policy *policy, int64_t since, int64_t until,
                        FILE *out, ar_sor_stats *stats, ar_error *err)
{
    if (!store || !out || !stats)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_sor_export: NULL argument");
    if (until <= since)
        return ar_error_set(err, AR_EINVAL, "until", "--until must be after --since");
    memset(stats, 0, sizeof *stats);
    sor_acc acc = {.policy = policy, .out = out, .batch = json_array(), .stats = stats};
    ar_store_txn *t = NULL;
    ar_status st = acc.batch ? ar_store_read(store, &t, err)
                             : ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "SELECT d.id, d.action, d.scope, d.ground_kind, d.ground, d.source,"
                           " d.automated_detection, d.automated_decision, d.decided_at, i.kind,"
                           " i.created_at, coalesce(n.notifier_kind, '')"
                           " FROM decisions d JOIN items i ON i.id = d.item_id"
                           " LEFT JOIN notices n ON n.case_id = d.case_id"
                           " WHERE d.decided_at >= ? AND d.decided_at < ? ORDER BY d.id",
                           (ar_value[]){AR_VINT(since), AR_VINT(until)}, 2, take_decision, &acc,
                           NULL, err);
    ar_store_rollback(t);
    if (st == AR_OK)
        st = flush_batch(&acc, err);
    json_decref(acc.batch);
    return st;
}

/*---- Validation ---------------------------------------------------------------------*/

typedef struct vctx {
    ar_sor_violation *v;
    size_t max, count;
    const char *prefix; /* "line 2: " or "" */
    json_t *puids;      /* every PUID seen, for uniqueness */
} vctx;

AR_PRINTF(3, 4) static void violation(vctx *c, const char *path, const char *fmt, ...)
{
    if (c->count < c->max) {
        ar_sor_violation *v = &c->v[c->count];
        snprintf(v->path, sizeof v->path, "%s%s", c->prefix, path);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(v->message, sizeof v->message, fmt, ap);
        va_end(ap);
    }
    c->count++;
}

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

typedef struct field_ctx {
    vctx *c;
    json_t *s;
    char base[48]; /* "statements[3]" */
} field_ctx;

static void path_of(const field_ctx *f, const char *key, char *out, size_t size)
{
    snprintf(out, size, "%s%s%s", f->base, *f->base ? "." : "", key);
}

/* A string field: present when `required`, at most `max` code points. */
static const char *string_field(field_ctx *f, const char *key, bool required, size_t max)
{
    char path[128];
    path_of(f, key, path, sizeof path);
    json_t *v = json_object_get(f->s, key);
    if (!v || json_is_null(v)) {
        if (required)
            violation(f->c, path, "required");
        return NULL;
    }
    if (!json_is_string(v)) {
        violation(f->c, path, "must be a string");
        return NULL;
    }
    const char *s = json_string_value(v);
    if (required && !*s)
        violation(f->c, path, "required, and empty");
    size_t n = code_points(s);
    if (max && n > max)
        violation(f->c, path, "%zu characters, over the limit of %zu", n, max);
    return s;
}

static const char *enum_field(field_ctx *f, const char *key, bool required, const ar__sor_enum *e)
{
    const char *s = string_field(f, key, required, 0);
    char path[128];
    path_of(f, key, path, sizeof path);
    if (s && !ar__sor_in(e, s))
        violation(f->c, path, "'%.80s' is not an allowed value", s);
    return s;
}

/* An array of enum values; *has_other is set when it holds `other`. */
static bool enum_array(field_ctx *f, const char *key, bool required, const ar__sor_enum *e,
                       const char *other, bool *has_other)
{
    char path[128], item[160];
    path_of(f, key, path, sizeof path);
    json_t *a = json_object_get(f->s, key);
    if (has_other)
        *has_other = false;
    if (!a || json_is_null(a)) {
        if (required)
            violation(f->c, path, "required");
        return false;
    }
    if (!json_is_array(a) || !json_array_size(a)) {
        violation(f->c, path, "must be a non-empty array");
        return true; /* present, if wrong: one violation is enough */
    }
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *x = json_array_get(a, i);
        snprintf(item, sizeof item, "%s[%zu]", path, i);
        const char *s = json_string_value(x);
        if (!s || !ar__sor_in(e, s)) {
            violation(f->c, item, "'%.80s' is not an allowed value", s ? s : "(not a string)");
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (json_equal(x, json_array_get(a, j)))
                violation(f->c, item, "'%.80s' is listed twice", s);
        if (other && has_other && !strcmp(s, other))
            *has_other = true;
    }
    return true;
}

/* `key` must be present (true) or absent (false) given its condition. */
static void conditional(field_ctx *f, const char *key, bool required, size_t max,
                        const char *because)
{
    char path[128];
    path_of(f, key, path, sizeof path);
    json_t *v = json_object_get(f->s, key);
    if (required)
        string_field(f, key, true, max);
    else if (v && !json_is_null(v))
        violation(f->c, path, "not allowed unless %s", because);
}

static void date_field(field_ctx *f, const char *key, bool required, int min_year)
{
    const char *s = string_field(f, key, required, 0);
    char path[128];
    path_of(f, key, path, sizeof path);
    if (!s)
        return;
    const char *p = s;
    int64_t t = 0;
    if (!ar__day_parse(&p, &t) || *p) {
        violation(f->c, path, "'%.40s' is not a date YYYY-MM-DD", s);
        return;
    }
    if (t < ar__days_from_civil(min_year, 1, 1) * 86400 ||
        t > ar__days_from_civil(2038, 1, 1) * 86400)
        violation(f->c, path, "%s is outside %d-01-01 to 2038-01-01", s, min_year);
}

static void check_decisions(field_ctx *f)
{
    bool other = false;
    bool vis = enum_array(f, "decision_visibility", false, &ar__sor_visibility,
                          "DECISION_VISIBILITY_OTHER", &other);
    conditional(f, "decision_visibility_other", other, 500,
                "decision_visibility holds DECISION_VISIBILITY_OTHER");
    const char *mon = enum_field(f, "decision_monetary", false, &ar__sor_monetary);
    conditional(f, "decision_monetary_other", mon && !strcmp(mon, "DECISION_MONETARY_OTHER"), 500,
                "decision_monetary is DECISION_MONETARY_OTHER");
    const char *prov = enum_field(f, "decision_provision", false, &ar__sor_provision);
    const char *acct = enum_field(f, "decision_account", false, &ar__sor_account);
    enum_field(f, "account_type", false, &ar__sor_account_type);
    if (!vis && !mon && !prov && !acct)
        violation(f->c, *f->base ? f->base : "statement",
                  "one of decision_visibility, decision_monetary, decision_provision or"
                  " decision_account is required");
}

static void check_reference_url(field_ctx *f);

static void check_ground(field_ctx *f)
{
    check_reference_url(f);
    const char *g = enum_field(f, "decision_ground", true, &ar__sor_ground);
    if (!ar__sor_in(&ar__sor_ground, g))
        return; /* what else is required depends on a ground we do not have */
    bool illegal = g && !strcmp(g, "DECISION_GROUND_ILLEGAL_CONTENT");
    bool incompatible = g && !strcmp(g, "DECISION_GROUND_INCOMPATIBLE_CONTENT");
    const char *why_i = "decision_ground is DECISION_GROUND_ILLEGAL_CONTENT";
    const char *why_c = "decision_ground is DECISION_GROUND_INCOMPATIBLE_CONTENT";
    conditional(f, "illegal_content_legal_ground", illegal, 500, why_i);
    conditional(f, "illegal_content_explanation", illegal, 2000, why_i);
    conditional(f, "incompatible_content_ground", incompatible, 500, why_c);
    conditional(f, "incompatible_content_explanation", incompatible, 2000, why_c);
    if (incompatible)
        enum_field(f, "incompatible_content_illegal", false, &ar__sor_yes_no);
    else
        conditional(f, "incompatible_content_illegal", false, 0, why_c);
}

static void check_reference_url(field_ctx *f)
{
    const char *url = string_field(f, "decision_ground_reference_url", false, 500);
    char path[128];
    path_of(f, "decision_ground_reference_url", path, sizeof path);
    if (url && strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
        violation(f->c, path, "must be an http or https URL");
}

static void check_content(field_ctx *f)
{
    bool other = false;
    enum_array(f, "content_type", true, &ar__sor_content_type, "CONTENT_TYPE_OTHER", &other);
    conditional(f, "content_type_other", other, 500, "content_type holds CONTENT_TYPE_OTHER");
    enum_field(f, "category", true, &ar__sor_category);
    enum_array(f, "category_addition", false, &ar__sor_category, NULL, NULL);
    enum_array(f, "category_specification", false, &ar__sor_keyword, "KEYWORD_OTHER", &other);
    if (other)
        string_field(f, "category_specification_other", false, 500);
    else
        conditional(f, "category_specification_other", false, 0,
                    "category_specification holds KEYWORD_OTHER");
    enum_array(f, "territorial_scope", false, &ar__sor_eea, NULL, NULL);
    enum_field(f, "content_language", false, &ar__sor_language);
    date_field(f, "content_date", true, 2000);
    date_field(f, "application_date", true, 2020);
    static const char *const ends[] = {"end_date_visibility_restriction",
                                       "end_date_monetary_restriction",
                                       "end_date_service_restriction",
                                       "end_date_account_restriction"};
    for (size_t i = 0; i < AR_ARRAY_LEN(ends); i++)
        date_field(f, ends[i], false, 2000);
    string_field(f, "decision_facts", true, 5000);
}

static void check_source(field_ctx *f)
{
    const char *src = enum_field(f, "source_type", true, &ar__sor_source);
    string_field(f, "source_identity", false, 500);
    (void)src; /* the database drops source_identity for SOURCE_VOLUNTARY: allowed */
    enum_field(f, "automated_detection", true, &ar__sor_yes_no);
    enum_field(f, "automated_decision", true, &ar__sor_automated_decision);
    const char *puid = string_field(f, "puid", true, 500);
    char path[128];
    path_of(f, "puid", path, sizeof path);
    if (puid && *puid) {
        for (const char *p = puid; *p; p++)
            if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') {
                violation(f->c, path, "only letters, digits, '-' and '_' are allowed");
                break;
            }
        if (json_object_get(f->c->puids, puid))
            violation(f->c, path, "'%.80s' is used twice: a PUID is never reused", puid);
        json_object_set_new(f->c->puids, puid, json_true());
    }
    json_t *cid = json_object_get(f->s, "content_id");
    path_of(f, "content_id", path, sizeof path);
    if (cid && !json_is_null(cid)) {
        const char *key;
        json_t *v;
        if (!json_is_object(cid))
            violation(f->c, path, "must be an object {\"EAN-13\": \"13 digits\"}");
        else
            json_object_foreach(cid, key, v) {
                const char *s = json_string_value(v);
                bool ok = !strcmp(key, "EAN-13") && s && strlen(s) == 13;
                for (size_t i = 0; ok && i < 13; i++)
                    ok = isdigit((unsigned char)s[i]);
                if (!ok)
                    violation(f->c, path, "only the key \"EAN-13\" with 13 digits is allowed");
            }
    }
}

static const char *const known_fields[] = {
    "decision_visibility", "decision_visibility_other", "decision_monetary",
    "decision_monetary_other", "decision_provision", "decision_account", "account_type",
    "decision_ground", "decision_ground_reference_url", "illegal_content_legal_ground",
    "illegal_content_explanation", "incompatible_content_ground",
    "incompatible_content_explanation", "incompatible_content_illegal", "content_type",
    "content_type_other", "category", "category_addition", "category_specification",
    "category_specification_other", "territorial_scope", "content_language", "content_date",
    "application_date", "end_date_visibility_restriction", "end_date_monetary_restriction",
    "end_date_service_restriction", "end_date_account_restriction", "decision_facts",
    "source_type", "source_identity", "automated_detection", "automated_decision", "puid",
    "content_id"};

static void check_statement(vctx *c, json_t *s, const char *base)
{
    field_ctx f = {.c = c, .s = s};
    snprintf(f.base, sizeof f.base, "%s", base);
    if (!json_is_object(s)) {
        violation(c, *base ? base : "statement", "a statement must be a JSON object");
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(s, key, v) {
        bool known = false;
        for (size_t i = 0; i < AR_ARRAY_LEN(known_fields) && !known; i++)
            known = !strcmp(key, known_fields[i]);
        char path[128];
        path_of(&f, key, path, sizeof path);
        if (!known)
            violation(c, path, "unknown field");
    }
    check_decisions(&f);
    check_ground(&f);
    check_content(&f);
    check_source(&f);
}

static void check_document(vctx *c, json_t *doc)
{
    json_t *list = json_object_get(doc, "statements");
    if (!list) { /* one statement, as for POST /api/v1/statement */
        check_statement(c, doc, "");
        return;
    }
    if (!json_is_array(list) || !json_array_size(list) ||
        json_array_size(list) > AR_SOR_BATCH_MAX) {
        violation(c, "statements", "must be an array of 1 to %d statements", AR_SOR_BATCH_MAX);
        if (!json_is_array(list))
            return;
    }
    if (json_object_size(doc) != 1)
        violation(c, "", "a batch holds only the key \"statements\"");
    for (size_t i = 0; i < json_array_size(list); i++) {
        char base[48];
        snprintf(base, sizeof base, "statements[%zu]", i);
        check_statement(c, json_array_get(list, i), base);
    }
}

ar_status ar_sor_validate(ar_ctx *ctx, const char *text, size_t len, ar_sor_violation *v,
                          size_t max, size_t *count, ar_error *err)
{
    (void)ctx;
    if (!text || !count || (max && !v))
        return ar_error_set(err, AR_EINVAL, NULL, "ar_sor_validate: NULL argument");
    vctx c = {.v = v, .max = max, .prefix = "", .puids = json_object()};
    json_error_t jerr;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    ar_status st = AR_OK;
    if (doc && json_is_object(doc)) {
        check_document(&c, doc);
    } else if (doc) {
        violation(&c, "", "the file must hold a JSON object or JSON lines of objects");
    } else { /* JSON lines: one batch per line */
        size_t lines = 0, good = 0;
        for (size_t off = 0; off < len;) {
            const char *nl = memchr(text + off, '\n', len - off);
            size_t end = nl ? (size_t)(nl - text) : len;
            char prefix[32];
            lines++;
            snprintf(prefix, sizeof prefix, "line %zu: ", lines);
            c.prefix = prefix;
            bool blank = true;
            for (size_t i = off; i < end && blank; i++)
                blank = isspace((unsigned char)text[i]);
            json_t *line = blank ? NULL : json_loadb(text + off, end - off, JSON_REJECT_DUPLICATES,
                                                     &jerr);
            if (!blank && !line)
                violation(&c, "", "invalid JSON: %s", json_reason(&jerr));
            else if (line && !json_is_object(line))
                violation(&c, "", "each line must be a JSON object");
            else if (line)
                check_document(&c, line), good++;
            json_decref(line);
            off = end + 1;
        }
        c.prefix = "";
        if (!good)
            st = ar_error_set_at(err, AR_EINVAL, NULL, (unsigned)(jerr.line > 0 ? jerr.line : 0),
                                 (unsigned)(jerr.column > 0 ? jerr.column : 0), NULL,
                                 "not JSON: %s", json_reason(&jerr));
    }
    json_decref(doc);
    json_decref(c.puids);
    if (st == AR_OK)
        *count = c.count;
    return st;
}
