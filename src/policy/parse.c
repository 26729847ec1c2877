/*
 * parse.c - a policy file's YAML tree to the plain structs of
 * arbiter/policy.h, checking everything and reporting every problem.
 *
 * The walk follows the format in policies/README.md. Each mapping first has
 * its keys sorted into slots (unknown and repeated keys are reported), then
 * each slot is checked; a problem in one value never stops the walk, so one
 * lint run shows every mistake. Problems found where an id is needed later
 * (a standard without a valid id) leave that id out rather than report the
 * same mistake again under another name.
 *
 * Decisions the format leaves open, documented in policies/README.md:
 *   - A rule with both `terms` and `terms_file` gets the terms of both, the
 *     inline terms first. `regex` goes alone.
 *   - A standard without `title` takes its id as title.
 *   - `action` is required: a standard must say what it does.
 *   - Rule ids default to "<standard id>.<n>", n counting the standard's
 *     rules from 1, and are unique across the policy whoever chose them.
 */
#include "policy_int.h"

#include <stdio.h>
#include <stdlib.h>

/*---- Field paths ------------------------------------------------------------*/

/* Append to the field path ("standards[2]" + ".rules[0]"); returns the old
 * length for ar__yaml_field_pop(). A path too long for ar_error.field is cut. */
/*---- Node helpers -------------------------------------------------------------*/

/* What a node is, for "must be a list, not <this>". */
/* The text of a scalar that must be a string: NULL (reported, unless the
 * node is an alias already reported) when it is empty, a list or a mapping. */
/* Edit distance of a and b, capped: enough to suggest a key for a typo. */
/* Sort the pairs of mapping `map` into vals[i] (and keys[i]) by names[i].
 * Reports a non-mapping, non-string keys, unknown keys (with a suggestion)
 * and repeated keys. `what` names the mapping ("standard", "rule").
 * Returns false if `map` is not a mapping at all. */
/* [a-z0-9_.-]{1,max} */
static bool valid_id(const char *s, size_t len)
{
    if (len == 0 || len > AR_POLICY_MAX_ID_BYTES)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-'))
            return false;
    }
    return true;
}

/* [a-z]{2,8}(-[a-z0-9]{1,8})* : a lowercase, well-formed BCP 47 tag ("en",
 * "ur", "ur-latn"; BCP 47 syntax also allows 5-8 letter primary subtags,
 * so the private "roman-ur" some policies use is accepted). */
static bool valid_language(const char *s)
{
    size_t i = 0;
    while (s[i] >= 'a' && s[i] <= 'z')
        i++;
    if (i < 2 || i > 8)
        return false;
    while (s[i] == '-') {
        size_t j = ++i;
        while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))
            i++;
        if (i - j < 1 || i - j > 8)
            return false;
    }
    return s[i] == '\0';
}

/* Copy a string into the policy; NULL (and st->fatal) when out of memory. */
static char *keep(ar__pstate *st, const char *s)
{
    char *d = ar__arena_strndup(&st->impl->arena, s, strlen(s));
    if (!d)
        ar__policy_oom(st);
    return d;
}

/* Move the terms gathered in tv into an exact array in the policy. */
static void take_terms(ar__pstate *st, ar__termvec *tv, ar_policy_term **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (tv->n == 0 || st->fatal)
        return;
    ar_policy_term *v = ar__arena_alloc(&st->impl->arena, tv->n * sizeof *v);
    if (!v) {
        ar__policy_oom(st);
        return;
    }
    memcpy(v, tv->v, tv->n * sizeof *v);
    *out = v;
    *n = tv->n;
    tv->n = 0;
}

/*---- Term lists -------------------------------------------------------------*/

/* Add the terms of the list node `list` (the value of `key`) to tv.
 * Each item must be a non-empty string; blanks around it are trimmed. */
static void gather_list(ar__pstate *st, ar__termvec *tv, const ar__ynode *list, const char *key,
                        const char *what)
{
    if (list->kind == AR__YN_BAD)
        return;
    if (list->kind != AR__YN_SEQ) {
        if (list->kind == AR__YN_SCALAR && !ar__yaml_is_null(list))
            ar__yaml_report_at(st, list, "'%s' must be a list of strings: write [%.*s]", key,
                      CLIP(list->str, 64));
        else
            ar__yaml_report_at(st, list, "'%s' must be a list of strings, not %s", key, ar__yaml_kind_name(list));
        return;
    }
    if (list->n == 0) {
        ar__yaml_report_at(st, list, "'%s' is empty: give at least one %s or leave the key out", key,
                  what);
        return;
    }
    size_t idx = 0;
    for (const ar__ynode *it = list->child; it && !st->fatal; it = it->next, idx++) {
        if (it->kind == AR__YN_BAD)
            continue;
        if (it->kind != AR__YN_SCALAR || ar__yaml_is_null(it)) {
            ar__yaml_report_at(st, it, "'%s' must be a list of strings: item %zu is %s", key, idx + 1,
                      ar__yaml_kind_name(it));
            continue;
        }
        const char *s = it->str;
        size_t a = 0, b = it->len;
        while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' || s[a] == '\r'))
            a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n' ||
                         s[b - 1] == '\r'))
            b--;
        ar__policy_add_term(st, tv, s + a, b - a, st->file, it->line, it->column, false, what);
    }
}

/* Add the terms of the file named by `node` (the value of `key`) to tv.
 * A file that holds no term at all, without other problems, is reported. */
static void gather_file(ar__pstate *st, ar__termvec *tv, const ar__ynode *node, const char *key,
                        const char *what)
{
    if (!ar__yaml_get_string(st, node, key))
        return;
    size_t before = st->diags.n;
    size_t added = ar__policy_read_terms_file(st, tv, node, key, what);
    if (added == 0 && st->diags.n == before)
        ar__yaml_report_at(st, node, "%s '%.*s' holds no %s: every line is blank or a '#' comment", key,
                  CLIP(node->str, 128), what);
}

/*---- Regexes ----------------------------------------------------------------*/

/* The text a regex runs over has runs of one letter squeezed to one ("free"
 * -> "fre"), so a literal doubled letter in a regex can never match. Look
 * for one outside escapes, classes and {...}. Returns the letter or 0. */
static char regex_doubled_letter(const char *re)
{
    char prev = 0;
    for (size_t i = 0; re[i]; i++) {
        char c = re[i];
        if (c == '\\') {
            prev = 0;
            if (!re[i + 1])
                break;
            i++;
            if (re[i + 1] == '{') { /* \x{..}, \p{..}, \N{..} */
                while (re[i] && re[i] != '}')
                    i++;
                if (!re[i])
                    break;
            }
            continue;
        }
        if (c == '[') {
            /* A class: skip to its closing bracket ("[]a]" and "[^]a]" hold ']'). */
            size_t j = i + 1;
            if (re[j] == '^')
                j++;
            if (re[j] == ']')
                j++;
            while (re[j] && re[j] != ']') {
                if (re[j] == '\\' && re[j + 1])
                    j++;
                j++;
            }
            if (!re[j])
                break;
            i = j;
            prev = 0;
            continue;
        }
        if (c == '{' || c == '(') {
            /* A counted repeat, or a group's "(?flags" / "(?<name>": not literal text. */
            if (c == '(' && re[i + 1] != '?') {
                prev = 0;
                continue;
            }
            char close = c == '{' ? '}' : ':';
            while (re[i] && re[i] != close && re[i] != ')')
                i++;
            if (!re[i])
                break;
            prev = 0;
            continue;
        }
        if (c >= 'a' && c <= 'z' && c == prev) {
            /* "ll" followed by a quantifier that allows none ("ll?", "ll*") can still match. */
            char q = re[i + 1];
            if (q != '?' && q != '*' && q != '{')
                return c;
        }
        prev = c;
    }
    return 0;
}

/*---- Rules --------------------------------------------------------------------*/

enum {
    R_ID, R_DESCRIPTION, R_TERMS, R_TERMS_FILE, R_REGEX, R_MATCH, R_LANGUAGES, R_URL_LIST,
    R_BANK, R_DISTANCE, R_N
};
static const char *const rule_keys[R_N] = {
    "id", "description", "terms", "terms_file", "regex", "match", "languages", "url_list",
    "bank", "distance",
};

typedef struct walk {
    ar__pstate *st;
    ar__termvec tv;     /* scratch for the terms being gathered */
    ar__idset std_ids;  /* standard ids */
    ar__idset rule_ids; /* rule ids, across the policy */
    size_t nrules;      /* rules so far, for AR_POLICY_MAX_RULES */
} walk;

/* Record the rule id (explicit or default) and report a repeat. */
static void claim_rule_id(walk *w, const char *id, const ar__ynode *at, bool by_default)
{
    ar__pstate *st = w->st;
    const ar__idslot *dup;
    if (ar__idset_add(&w->rule_ids, id, at->line, at->column, &dup) != AR_OK) {
        ar__policy_oom(st);
        return;
    }
    if (!dup)
        return;
    if (by_default)
        ar__yaml_report_at(st, at,
                  "this rule's default id '%s' is already used (line %u): give it an 'id'", id,
                  dup->line);
    else
        ar__yaml_report_at(st, at, "duplicate rule id '%s' (first at line %u): rule ids are unique "
                          "across the policy", id, dup->line);
}

static void check_languages(walk *w, ar_policy_rule *r, const ar__ynode *v)
{
    ar__pstate *st = w->st;
    if (v->kind == AR__YN_BAD)
        return;
    if (v->kind != AR__YN_SEQ) {
        ar__yaml_report_at(st, v, "'languages' must be a list of language codes such as [en, ur], not %s",
                  ar__yaml_kind_name(v));
        return;
    }
    if (v->n == 0) {
        ar__yaml_report_at(st, v, "'languages' is empty: leave it out to apply the rule to every language");
        return;
    }
    char **langs = ar__arena_calloc(&st->impl->arena, v->n, sizeof *langs);
    if (!langs) {
        ar__policy_oom(st);
        return;
    }
    size_t n = 0;
    for (const ar__ynode *it = v->child; it; it = it->next) {
        const char *s = ar__yaml_get_string(st, it, "languages");
        if (!s)
            continue;
        if (!valid_language(s)) {
            ar__yaml_report_at(st, it,
                      "'%.*s' is not a language code: use a lowercase BCP 47 tag such as 'en', "
                      "'ur' or 'ur-latn'",
                      CLIP(s, 32));
            continue;
        }
        if (!(langs[n++] = keep(st, s)))
            return;
    }
    r->languages = langs;
    r->nlanguages = n;
}

/* "distance: 31": a whole number 0..AR_POLICY_MAX_DISTANCE. */
static void check_distance(ar__pstate *st, ar_policy_rule *r, const ar__ynode *v)
{
    const char *d = ar__yaml_get_string(st, v, "distance");
    if (!d)
        return;
    char *end = NULL;
    unsigned long n = strtoul(d, &end, 10);
    if (!v->plain || d[0] < '0' || d[0] > '9' || *end || n > AR_POLICY_MAX_DISTANCE)
        ar__yaml_report_at(st, v,
                           "'distance' must be a whole number of differing bits from 0 to %u "
                           "(PDQ hashes have 256), not '%.*s'",
                           AR_POLICY_MAX_DISTANCE, CLIP(d, 32));
    else
        r->distance = (unsigned)n;
}

/* A rule that names a stored list: `url_list: NAME`, or `bank: NAME` with an
 * optional `distance`. It goes alone: no terms, regex, match or languages. */
static void check_list_rule(walk *w, ar_policy_rule *r, const ar__ynode *const *keys,
                            const ar__ynode *const *v)
{
    ar__pstate *st = w->st;
    static const int others[] = {R_TERMS, R_TERMS_FILE, R_REGEX, R_MATCH, R_LANGUAGES};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (v[others[i]]) {
            ar__yaml_report_at(st, keys[others[i]],
                               "a 'url_list' or 'bank' rule goes alone: '%s' belongs in a rule "
                               "of its own",
                               rule_keys[others[i]]);
            return;
        }
    if (v[R_URL_LIST] && v[R_BANK]) {
        ar__yaml_report_at(st, keys[R_BANK],
                           "a rule has 'url_list' or 'bank', not both: split it into two rules");
        return;
    }
    if (!v[R_URL_LIST] && !v[R_BANK]) {
        ar__yaml_report_at(st, keys[R_DISTANCE], "'distance' belongs to a 'bank' rule");
        return;
    }
    if (v[R_URL_LIST] && v[R_DISTANCE]) {
        ar__yaml_report_at(st, keys[R_DISTANCE],
                           "'distance' belongs to a 'bank' rule, not a 'url_list' one");
        return;
    }
    int k = v[R_URL_LIST] ? R_URL_LIST : R_BANK;
    r->kind = k == R_URL_LIST ? AR_RULE_URL_LIST : AR_RULE_BANK;
    r->distance = AR_POLICY_DEFAULT_DISTANCE;
    r->expr_pos = (ar_policy_pos){st->file, v[k]->line, v[k]->column};
    const char *name = ar__yaml_get_string(st, v[k], rule_keys[k]);
    if (name && !valid_id(name, v[k]->len))
        ar__yaml_report_at(st, v[k],
                           "list name '%.*s' must be 1 to %u characters of a-z, 0-9, '_', '.' "
                           "and '-'",
                           CLIP(name, 64), AR_POLICY_MAX_ID_BYTES);
    else if (name)
        r->list = keep(st, name);
    if (v[R_DISTANCE])
        check_distance(st, r, v[R_DISTANCE]);
}

/* Check rule `idx` (0-based) of the standard `std_id` (NULL if the standard
 * has no valid id) into *r. */
static void check_rule(walk *w, ar_policy_rule *r, const ar__ynode *node, const char *std_id,
                       size_t idx)
{
    ar__pstate *st = w->st;
    const ar__ynode *keys[R_N], *v[R_N];
    r->pos = (ar_policy_pos){st->file, node->line, node->column};
    r->expr_pos = r->pos;
    if (node->kind == AR__YN_SCALAR && !ar__yaml_is_null(node)) {
        ar__yaml_report_at(st, node, "a rule must be a mapping with 'terms', 'terms_file', "
                            "'regex', 'url_list' or 'bank': "
                            "write '- terms: [%.*s]'", CLIP(node->str, 64));
        return;
    }
    if (!ar__yaml_sort_keys(st, node, "rule", rule_keys, R_N, NULL, keys, v))
        return;

    /* id */
    if (v[R_ID]) {
        const char *id = ar__yaml_get_string(st, v[R_ID], "id");
        if (id && !valid_id(id, v[R_ID]->len))
            ar__yaml_report_at(st, v[R_ID],
                      "rule id '%.*s' must be 1 to %u characters of a-z, 0-9, '_', '.' and '-'",
                      CLIP(id, 64), AR_POLICY_MAX_ID_BYTES);
        else if (id && (r->id = keep(st, id)) != NULL)
            claim_rule_id(w, r->id, v[R_ID], false);
    } else if (std_id) {
        char buf[AR_POLICY_MAX_ID_BYTES + 24];
        snprintf(buf, sizeof buf, "%s.%zu", std_id, idx + 1);
        if ((r->id = keep(st, buf)) != NULL)
            claim_rule_id(w, r->id, node, true);
    }

    if (v[R_DESCRIPTION]) {
        const char *d = ar__yaml_get_string(st, v[R_DESCRIPTION], "description");
        if (d)
            r->description = keep(st, d);
    }

    /* match */
    if (v[R_MATCH]) {
        const char *m = ar__yaml_get_string(st, v[R_MATCH], "match");
        if (m && strcmp(m, "substring") == 0)
            r->substring = true;
        else if (m && strcmp(m, "word") != 0)
            ar__yaml_report_at(st, v[R_MATCH], "'match' must be word or substring, not '%.*s'", CLIP(m, 64));
    }

    if (v[R_LANGUAGES])
        check_languages(w, r, v[R_LANGUAGES]);

    if (v[R_URL_LIST] || v[R_BANK] || v[R_DISTANCE]) {
        check_list_rule(w, r, keys, v);
        return;
    }

    /* What the rule matches: terms and/or terms_file, or regex alone. */
    bool has_terms = v[R_TERMS] || v[R_TERMS_FILE];
    if (v[R_REGEX]) {
        r->kind = AR_RULE_REGEX;
        r->expr_pos = (ar_policy_pos){st->file, v[R_REGEX]->line, v[R_REGEX]->column};
        if (has_terms) {
            ar__yaml_report_at(st, keys[R_REGEX],
                      "a rule has 'regex' or 'terms'/'terms_file', not both: split it into two "
                      "rules");
            return;
        }
        const char *re = ar__yaml_get_string(st, v[R_REGEX], "regex");
        if (!re)
            return;
        char c;
        if (v[R_REGEX]->len == 0 || strspn(re, " \t\r\n") == v[R_REGEX]->len)
            ar__yaml_report_at(st, v[R_REGEX], "'regex' is empty");
        else if ((c = regex_doubled_letter(re)) != 0)
            ar__yaml_report_at(st, v[R_REGEX],
                      "regex has a doubled letter '%c%c' that can never match: runs of one letter "
                      "are squeezed to one before matching, so write '%c' (or '%c+')",
                      c, c, c, c);
        else
            r->regex = keep(st, re);
        return;
    }
    if (!has_terms) {
        ar__yaml_report_at(st, node, "rule has no 'terms', 'terms_file', 'regex', 'url_list' or 'bank'");
        return;
    }
    r->kind = AR_RULE_TERMS;
    const ar__ynode *first = v[R_TERMS] ? v[R_TERMS] : v[R_TERMS_FILE];
    r->expr_pos = (ar_policy_pos){st->file, first->line, first->column};
    w->tv.n = 0;
    if (v[R_TERMS]) {
        size_t old = ar__yaml_field_push(st, ".terms");
        gather_list(st, &w->tv, v[R_TERMS], "terms", "term");
        ar__yaml_field_pop(st, old);
    }
    if (v[R_TERMS_FILE]) {
        size_t old = ar__yaml_field_push(st, ".terms_file");
        gather_file(st, &w->tv, v[R_TERMS_FILE], "terms_file", "term");
        ar__yaml_field_pop(st, old);
    }
    take_terms(st, &w->tv, &r->terms, &r->nterms);
}

/*---- Standards ----------------------------------------------------------------*/

enum {
    S_ID, S_TITLE, S_DESCRIPTION, S_ACTION, S_ALLOW, S_ALLOW_FILE, S_RULES, S_DSA_CATEGORY,
    S_DSA_KEYWORDS, S_N
};
static const char *const standard_keys[S_N] = {
    "id", "title", "description", "action", "allow", "allow_file", "rules", "dsa_category",
    "dsa_keywords",
};

/*---- DSA category and keywords --------------------------------------------------*/

/* One DSA value of the list v[0..n) (prefix: what every value starts with).
 * Returns the library's own copy of the value, or NULL (reported). */
static const char *check_dsa_value(ar__pstate *st, const ar__ynode *node, const char *key,
                                   const char *const *v, size_t n, const char *prefix,
                                   const char *what)
{
    const char *s = ar__yaml_get_string(st, node, key);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s))
            return v[i];
    const char *near = ar__dsa_nearest(v, n, prefix, s);
    if (near)
        ar__yaml_report_at(st, node, "'%s': '%.*s' is not %s: did you mean %s?", key,
                           CLIP(s, 80), what, near);
    else
        ar__yaml_report_at(st, node, "'%s': '%.*s' is not %s (see LEGAL.md section 1.3)", key,
                           CLIP(s, 80), what);
    return NULL;
}

/* dsa_category: the STATEMENT_CATEGORY_* a statement of reasons under this
 * standard carries. NOT_SPECIFIED_NOTICE is refused: it means a notifier
 * named no type of content, and a standard always knows what it covers. */
static void check_dsa_category(ar__pstate *st, ar_policy_standard *s, const ar__ynode *node)
{
    const char *c = check_dsa_value(st, node, "dsa_category", ar__dsa_categories,
                                    AR__DSA_NCATEGORIES, "STATEMENT_CATEGORY_",
                                    "one of the 16 STATEMENT_CATEGORY_* values of the DSA "
                                    "Transparency Database");
    if (c && !strcmp(c, "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE"))
        ar__yaml_report_at(st, node,
                           "'dsa_category': %s is for notices that name no type of content; a "
                           "standard says what it covers (STATEMENT_CATEGORY_OTHER_VIOLATION_TC "
                           "if no other category fits)", c);
    else
        s->dsa_category = c;
}

/* dsa_keywords: KEYWORD_* values for category_specification, each once. */
static void check_dsa_keywords(ar__pstate *st, ar_policy_standard *s, const ar__ynode *node)
{
    if (node->kind == AR__YN_BAD)
        return;
    if (node->kind != AR__YN_SEQ || node->n == 0) {
        ar__yaml_report_at(st, node,
                           "'dsa_keywords' must be a non-empty list of KEYWORD_* values such as "
                           "[KEYWORD_HATE_SPEECH], not %s",
                           node->kind == AR__YN_SEQ ? "an empty list" : ar__yaml_kind_name(node));
        return;
    }
    const char **kw = ar__arena_calloc(&st->impl->arena, node->n, sizeof *kw);
    if (!kw) {
        ar__policy_oom(st);
        return;
    }
    size_t n = 0;
    for (const ar__ynode *it = node->child; it; it = it->next) {
        const char *k = check_dsa_value(st, it, "dsa_keywords", ar__dsa_keywords,
                                        AR__DSA_NKEYWORDS, "KEYWORD_",
                                        "one of the 69 KEYWORD_* values of the DSA "
                                        "Transparency Database");
        bool twice = false;
        for (size_t j = 0; k && j < n && !twice; j++)
            twice = kw[j] == k;
        if (twice)
            ar__yaml_report_at(st, it, "'dsa_keywords' lists %s twice", k);
        else if (k)
            kw[n++] = k;
    }
    s->dsa_keywords = kw;
    s->ndsa_keywords = n;
}

/* Fill *out from the allow and allow_file values (either may be NULL). */
static void check_allow(walk *w, const ar__ynode *list, const ar__ynode *file,
                        ar_policy_term **out, size_t *n)
{
    ar__pstate *st = w->st;
    w->tv.n = 0;
    if (list) {
        size_t old = ar__yaml_field_push(st, ".allow");
        gather_list(st, &w->tv, list, "allow", "allow word");
        ar__yaml_field_pop(st, old);
    }
    if (file) {
        size_t old = ar__yaml_field_push(st, ".allow_file");
        gather_file(st, &w->tv, file, "allow_file", "allow word");
        ar__yaml_field_pop(st, old);
    }
    take_terms(st, &w->tv, out, n);
}

static void check_rules(walk *w, ar_policy_standard *s, const ar__ynode *rules)
{
    ar__pstate *st = w->st;
    if (rules->kind == AR__YN_BAD)
        return;
    if (rules->kind != AR__YN_SEQ) {
        ar__yaml_report_at(st, rules, "'rules' must be a list of rules, not %s", ar__yaml_kind_name(rules));
        return;
    }
    if (rules->n == 0) {
        ar__yaml_report_at(st, rules, "'rules' is empty: a standard needs at least one rule");
        return;
    }
    s->rules = ar__arena_calloc(&st->impl->arena, rules->n, sizeof *s->rules);
    if (!s->rules) {
        ar__policy_oom(st);
        return;
    }
    size_t i = 0;
    for (const ar__ynode *it = rules->child; it && !st->fatal; it = it->next, i++) {
        if (w->nrules == AR_POLICY_MAX_RULES) {
            ar__policy_report(st, AR_ETOOBIG, st->file, it->line, it->column,
                              "too many rules: a policy holds at most %u", AR_POLICY_MAX_RULES);
            break;
        }
        w->nrules++;
        size_t old = ar__yaml_field_push(st, ".rules[%zu]", i);
        check_rule(w, &s->rules[i], it, s->id, i);
        ar__yaml_field_pop(st, old);
    }
    s->nrules = i;
}

static void check_standard(walk *w, ar_policy_standard *s, const ar__ynode *node)
{
    ar__pstate *st = w->st;
    const ar__ynode *keys[S_N], *v[S_N];
    s->pos = (ar_policy_pos){st->file, node->line, node->column};
    if (!ar__yaml_sort_keys(st, node, "standard", standard_keys, S_N, NULL, keys, v))
        return;

    if (!v[S_ID]) {
        ar__yaml_report_at(st, node, "standard has no 'id'");
    } else {
        const char *id = ar__yaml_get_string(st, v[S_ID], "id");
        const ar__idslot *dup;
        if (!id) {
            /* reported */
        } else if (!valid_id(id, v[S_ID]->len)) {
            ar__yaml_report_at(st, v[S_ID],
                      "standard id '%.*s' must be 1 to %u characters of a-z, 0-9, '_', '.' "
                      "and '-'",
                      CLIP(id, 64), AR_POLICY_MAX_ID_BYTES);
        } else if ((s->id = keep(st, id)) == NULL) {
            return;
        } else if (ar__idset_add(&w->std_ids, s->id, v[S_ID]->line, v[S_ID]->column, &dup) !=
                   AR_OK) {
            ar__policy_oom(st);
            return;
        } else if (dup) {
            ar__yaml_report_at(st, v[S_ID], "duplicate standard id '%s' (first at line %u)", id,
                      dup->line);
        }
    }

    if (v[S_TITLE]) {
        const char *t = ar__yaml_get_string(st, v[S_TITLE], "title");
        if (t)
            s->title = keep(st, t);
    } else if (s->id) {
        s->title = s->id;
    }
    if (v[S_DESCRIPTION]) {
        const char *d = ar__yaml_get_string(st, v[S_DESCRIPTION], "description");
        if (d)
            s->description = keep(st, d);
    }

    if (!v[S_ACTION]) {
        ar__yaml_report_at(st, node, "standard %s%s%shas no 'action': give label, review or remove",
                  s->id ? "'" : "", s->id ? s->id : "", s->id ? "' " : "");
    } else {
        const char *a = ar__yaml_get_string(st, v[S_ACTION], "action");
        ar_error e;
        if (a && ar_action_parse(a, &s->action, &e) != AR_OK)
            ar__yaml_report_at(st, v[S_ACTION], "%s", e.message);
    }

    if (v[S_ALLOW] || v[S_ALLOW_FILE])
        check_allow(w, v[S_ALLOW], v[S_ALLOW_FILE], &s->allow, &s->nallow);

    if (v[S_DSA_CATEGORY])
        check_dsa_category(st, s, v[S_DSA_CATEGORY]);
    if (v[S_DSA_KEYWORDS] && !v[S_DSA_CATEGORY])
        ar__yaml_report_at(st, keys[S_DSA_KEYWORDS],
                           "'dsa_keywords' refine a 'dsa_category': give the standard its "
                           "dsa_category too");
    else if (v[S_DSA_KEYWORDS])
        check_dsa_keywords(st, s, v[S_DSA_KEYWORDS]);

    if (!v[S_RULES])
        ar__yaml_report_at(st, node, "standard %s%s%shas no 'rules'", s->id ? "'" : "",
                  s->id ? s->id : "", s->id ? "' " : "");
    else
        check_rules(w, s, v[S_RULES]);
}

/*---- The whole policy -----------------------------------------------------------*/

enum { P_VERSION, P_NAME, P_LEET, P_ALLOW, P_ALLOW_FILE, P_STANDARDS, P_LEGAL_REVIEW, P_N };
static const char *const policy_keys[P_N] = {
    "version", "name", "leet", "allow", "allow_file", "standards", "legal_review",
};

static bool is_ascii_lower(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return false;
    return true;
}

/* One entry of a leet mapping; returns false if refused (reported). */
static bool check_leet_entry(ar__pstate *st, const ar__ynode *k, const ar__ynode *v,
                             ar_text_leet *out)
{
    if (k->kind == AR__YN_BAD || v->kind == AR__YN_BAD)
        return false;
    if (k->kind != AR__YN_SCALAR || ar__yaml_is_null(k)) {
        ar__yaml_report_at(st, k, "a 'leet' key must be one character, not %s", ar__yaml_kind_name(k));
        return false;
    }
    uint32_t cp = 0;
    size_t n = ar__policy_utf8_next((const unsigned char *)k->str, k->len, &cp);
    if (n == 0 || n != k->len) {
        ar__yaml_report_at(st, k, "a 'leet' key must be exactly one character, not '%.*s'",
                  CLIP(k->str, 32));
        return false;
    }
    if (cp <= 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0xA0)) {
        ar__yaml_report_at(st, k, "a 'leet' key must be a visible character, not U+%04X", (unsigned)cp);
        return false;
    }
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
        ar__yaml_report_at(st, k, "'leet' cannot map the letter '%c': only digits, symbols and "
                         "non-Latin lookalikes stand for letters", (char)cp);
        return false;
    }
    if (v->kind != AR__YN_SCALAR || ar__yaml_is_null(v)) {
        ar__yaml_report_at(st, v, "the 'leet' value for '%s' must be 1 to 8 lowercase letters a-z, not %s",
                  k->str, ar__yaml_kind_name(v));
        return false;
    }
    if (v->len < 1 || v->len > 8 || !is_ascii_lower(v->str, v->len)) {
        ar__yaml_report_at(st, v,
                  "the 'leet' value for '%s' must be 1 to 8 lowercase letters a-z, not '%.*s'",
                  k->str, CLIP(v->str, 32));
        return false;
    }
    out->from = keep(st, k->str);
    out->to = keep(st, v->str);
    return out->from && out->to;
}

static void check_leet(ar__pstate *st, ar_policy *p, const ar__ynode *v)
{
    p->leet_default = true;
    if (v->kind == AR__YN_BAD)
        return;
    if (v->kind == AR__YN_SCALAR && !ar__yaml_is_null(v)) {
        if (strcmp(v->str, "default") == 0)
            return;
        if (strcmp(v->str, "off") == 0) {
            /* Not NULL: ar_text_norm_new(leet, 0) turns leet folding off,
             * while a NULL table would mean the default. */
            p->leet_default = false;
            p->leet = ar__arena_calloc(&st->impl->arena, 1, sizeof *p->leet);
            if (!p->leet)
                ar__policy_oom(st);
            return;
        }
    }
    if (v->kind != AR__YN_MAP) {
        ar__yaml_report_at(st, v, "'leet' must be default, off or a mapping such as {\"4\": a, \"@\": a}");
        return;
    }
    if (v->n == 0) {
        ar__yaml_report_at(st, v, "'leet' is an empty mapping: write 'leet: off' to turn leet folding off");
        return;
    }
    size_t npairs = v->n / 2;
    if (npairs > AR_TEXT_LEET_MAX) {
        ar__yaml_report_at(st, v, "'leet' has %zu entries: at most %d are allowed", npairs,
                  AR_TEXT_LEET_MAX);
        return;
    }
    p->leet_default = false;
    p->leet = ar__arena_calloc(&st->impl->arena, npairs, sizeof *p->leet);
    if (!p->leet) {
        ar__policy_oom(st);
        return;
    }
    size_t n = 0;
    for (const ar__ynode *k = v->child; k && k->next && !st->fatal; k = k->next->next) {
        if (!check_leet_entry(st, k, k->next, &p->leet[n]))
            continue;
        for (size_t j = 0; j < n; j++) {
            if (strcmp(p->leet[j].from, p->leet[n].from) == 0) {
                ar__yaml_report_at(st, k, "'leet' maps '%s' twice", p->leet[n].from);
                n--;
                break;
            }
        }
        n++;
    }
    p->nleet = n;
}

static void check_version(ar__pstate *st, ar_policy *p, const ar__ynode *v)
{
    if (v->kind == AR__YN_BAD)
        return;
    if (v->kind == AR__YN_SCALAR && v->plain && strcmp(v->str, "1") == 0) {
        p->version = 1;
        return;
    }
    if (v->kind == AR__YN_SCALAR && v->plain && v->len > 0 && v->len < 10 &&
        strspn(v->str, "0123456789") == v->len) {
        ar__yaml_report_at(st, v, "version %s is not supported: this arbiter reads version 1", v->str);
        return;
    }
    ar__yaml_report_at(st, v, "'version' must be the number 1");
}

static void check_standards(walk *w, ar_policy *p, const ar__ynode *v)
{
    ar__pstate *st = w->st;
    if (v->kind == AR__YN_BAD)
        return;
    if (v->kind != AR__YN_SEQ) {
        ar__yaml_report_at(st, v, "'standards' must be a list of standards, not %s", ar__yaml_kind_name(v));
        return;
    }
    if (v->n == 0) {
        ar__yaml_report_at(st, v, "'standards' is empty: a policy needs at least one standard");
        return;
    }
    size_t n = v->n < AR_POLICY_MAX_STANDARDS ? v->n : AR_POLICY_MAX_STANDARDS;
    p->standards = ar__arena_calloc(&st->impl->arena, n, sizeof *p->standards);
    if (!p->standards) {
        ar__policy_oom(st);
        return;
    }
    size_t i = 0;
    for (const ar__ynode *it = v->child; it && !st->fatal; it = it->next, i++) {
        if (i == AR_POLICY_MAX_STANDARDS) {
            ar__policy_report(st, AR_ETOOBIG, st->file, it->line, it->column,
                              "too many standards: a policy holds at most %u",
                              AR_POLICY_MAX_STANDARDS);
            break;
        }
        size_t old = ar__yaml_field_push(st, "standards[%zu]", i);
        check_standard(w, &p->standards[i], it);
        ar__yaml_field_pop(st, old);
    }
    p->nstandards = i;
}

static void check_policy(ar__pstate *st, const ar__ynode *root)
{
    ar_policy *p = &st->impl->pub;
    const ar__ynode *keys[P_N], *v[P_N];
    p->leet_default = true;
    if (root->kind == AR__YN_SCALAR || root->kind == AR__YN_SEQ) {
        ar__yaml_report_at(st, root, "a policy must be a mapping with 'version: 1' and 'standards', not %s",
                  ar__yaml_kind_name(root));
        return;
    }
    if (!ar__yaml_sort_keys(st, root, "policy", policy_keys, P_N, NULL, keys, v))
        return;

    walk w = {.st = st};
    ar__idset_init(&w.std_ids, st->ctx);
    ar__idset_init(&w.rule_ids, st->ctx);

    if (!v[P_VERSION])
        ar__yaml_report_at(st, root, "the policy has no 'version': start it with 'version: 1'");
    else
        check_version(st, p, v[P_VERSION]);
    if (v[P_NAME]) {
        const char *name = ar__yaml_get_string(st, v[P_NAME], "name");
        if (name)
            p->name = keep(st, name);
    }
    if (v[P_LEET]) {
        size_t old = ar__yaml_field_push(st, "leet");
        check_leet(st, p, v[P_LEET]);
        ar__yaml_field_pop(st, old);
    }
    if (v[P_ALLOW] || v[P_ALLOW_FILE])
        check_allow(&w, v[P_ALLOW], v[P_ALLOW_FILE], &p->allow, &p->nallow);
    if (!v[P_STANDARDS])
        ar__yaml_report_at(st, root, "the policy has no 'standards'");
    else
        check_standards(&w, p, v[P_STANDARDS]);
    if (v[P_LEGAL_REVIEW]) /* legal_review.c */
        ar__policy_check_legal_review(st, p, v[P_LEGAL_REVIEW]);

    ar__termvec_free(st->ctx, &w.tv);
    ar__idset_free(&w.std_ids);
    ar__idset_free(&w.rule_ids);
}

/*---- Entry points -----------------------------------------------------------*/

const ar_policy_standard *ar_policy_standard_find(const ar_policy *p, const char *id)
{
    for (size_t i = 0; p && id && i < p->nstandards; i++)
        if (p->standards[i].id && !strcmp(p->standards[i].id, id))
            return &p->standards[i];
    return NULL;
}

void ar_policy_free(ar_policy *p)
{
    if (!p)
        return;
    ar__policy_impl *impl = (ar__policy_impl *)p;
    ar_ctx *ctx = p->ctx;
    ar__arena_free(&impl->arena);
    ar__free(ctx, impl);
}

static void digest_bytes(ar__pstate *st, const char *data, size_t len)
{
    unsigned char lenbuf[8];
    for (unsigned k = 0; k < 8; k++)
        lenbuf[k] = (unsigned char)((uint64_t)len >> (8 * k));
    st->digest = ar__policy_fnv1a(st->digest, lenbuf, sizeof lenbuf);
    st->digest = ar__policy_fnv1a(st->digest, data, len);
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

/* Parse data[0..len) named `name`: the body of both entry points. */
static ar_status parse(ar_ctx *ctx, const char *data, size_t len, const char *name,
                       const char *base_dir, ar_policy **out, ar_diag_list *diags, ar_error *err)
{
    ar__policy_impl *impl = ar__calloc(ctx, 1, sizeof *impl);
    if (!impl)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory parsing the policy");
    ar__arena_init(&impl->arena, ctx);
    impl->pub.ctx = ctx;

    ar__pstate st;
    memset(&st, 0, sizeof st);
    st.ctx = ctx;
    st.impl = impl;
    ar__arena_init(&st.tree, ctx);
    ar_diag_list_init(&st.diags, ctx);
    st.base_dir = base_dir;
    st.digest = AR__FNV_OFFSET;

    st.file = ar__policy_add_file(&st, name);
    if (st.file) {
        impl->pub.path = (char *)st.file;
        digest_bytes(&st, data, len);
        const ar__ynode *root = ar__policy_yaml_load(&st, data, len);
        if (root && !st.fatal)
            check_policy(&st, root);
    } else {
        st.fatal = true;
    }
    ar__arena_free(&st.tree);

    ar_status s = AR_OK;
    if (st.fatal) {
        s = ar_error_set(err, AR_ENOMEM, NULL, "out of memory parsing the policy");
    } else if (st.diags.n > 0) {
        s = hand_out(&st, diags, err);
    } else {
        snprintf(impl->pub.digest, sizeof impl->pub.digest, "%016llx",
                 (unsigned long long)st.digest);
        *out = &impl->pub;
    }
    ar_diag_list_free(&st.diags);
    ar__free(ctx, (void *)st.files);
    if (s != AR_OK)
        ar_policy_free(&impl->pub);
    return s;
}

ar_status ar_policy_parse_buffer(ar_ctx *ctx, const char *data, size_t len, const char *name,
                                 const char *base_dir, ar_policy **out, ar_diag_list *diags,
                                 ar_error *err)
{
    if (!ctx || !out || (!data && len))
        return ar_error_set(err, AR_EINVAL, NULL, "ar_policy_parse_buffer: ctx, out or data is NULL");
    *out = NULL;
    if (!name)
        name = "<policy>";
    if (len > AR_POLICY_MAX_FILE_BYTES) {
        ar_status s = ar_error_set_at(err, AR_ETOOBIG, name, 0, 0, NULL,
                                      "the policy is over the limit of %u bytes",
                                      AR_POLICY_MAX_FILE_BYTES);
        if (diags && err && ar_diag_list_add(diags, err) != AR_OK)
            return ar_error_set(err, AR_ENOMEM, NULL, "out of memory listing problems");
        return s;
    }
    return parse(ctx, data ? data : "", len, name, base_dir, out, diags, err);
}

ar_status ar_policy_parse_file(ar_ctx *ctx, const char *path, ar_policy **out,
                               ar_diag_list *diags, ar_error *err)
{
    if (!ctx || !path || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_policy_parse_file: ctx, path or out is NULL");
    *out = NULL;
    char *data = NULL;
    size_t len = 0;
    ar_status s = ar__yaml_read_file(ctx, path, &data, &len, diags, err);
    if (s != AR_OK)
        return s;

    /* base_dir: the folder of `path` ("." for a bare name, "/" at the root). */
    const char *slash = strrchr(path, '/');
    char *dir;
    if (!slash)
        dir = ar__strdup(ctx, ".");
    else if (slash == path)
        dir = ar__strdup(ctx, "/");
    else
        dir = ar__strndup(ctx, path, (size_t)(slash - path));
    if (!dir) {
        ar__free(ctx, data);
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory parsing the policy");
    }
    s = parse(ctx, data, len, path, dir, out, diags, err);
    ar__free(ctx, dir);
    ar__free(ctx, data);
    return s;
}
