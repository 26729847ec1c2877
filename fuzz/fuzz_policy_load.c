/*
 * fuzz/fuzz_policy_load.c - ar_policy_parse_buffer() on arbitrary bytes,
 * with no base folder (so no file is ever read).
 *
 * Properties checked, beyond "no crash, no leak":
 *   - AR_OK gives a consistent policy: version 1, at least one standard,
 *     every standard with a valid id, a title and an action, every rule
 *     with an id and a kind that matches its fields (terms: at least one,
 *     non-empty and within AR_POLICY_MAX_TERM_BYTES; regex: a source and no
 *     terms), rule ids unique, every position at line and column >= 1, and
 *     a 16-hex-digit digest;
 *   - any other status comes with a message in err and at least one
 *     diagnostic, each with a message, and no policy.
 */
#include "arbiter/policy.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #x);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void check_pos(ar_policy_pos pos)
{
    CHECK(pos.file != NULL && pos.file[0] != '\0');
    CHECK(pos.line >= 1);
    CHECK(pos.column >= 1);
}

static void check_terms(const ar_policy_term *v, size_t n)
{
    CHECK(n == 0 || v != NULL);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(v[i].text);
        CHECK(len >= 1 && len <= AR_POLICY_MAX_TERM_BYTES);
        check_pos(v[i].pos);
    }
}

static void check_id(const char *id)
{
    CHECK(id != NULL);
    size_t len = strlen(id);
    CHECK(len >= 1 && len <= AR_POLICY_MAX_ID_BYTES + 24);
    CHECK(strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_.-") == len);
}

static void check_policy(const ar_policy *p)
{
    CHECK(p->version == 1);
    CHECK(p->path != NULL);
    CHECK(strlen(p->digest) == 16 && strspn(p->digest, "0123456789abcdef") == 16);
    CHECK(p->nstandards >= 1 && p->nstandards <= AR_POLICY_MAX_STANDARDS);
    CHECK(p->leet_default || p->leet != NULL);
    CHECK(!p->leet_default || p->nleet == 0);
    for (size_t i = 0; i < p->nleet; i++) {
        CHECK(p->leet[i].from && p->leet[i].from[0]);
        size_t tl = strlen(p->leet[i].to);
        CHECK(tl >= 1 && tl <= 8);
    }
    check_terms(p->allow, p->nallow);

    size_t nrules = 0;
    for (size_t i = 0; i < p->nstandards; i++) {
        const ar_policy_standard *s = &p->standards[i];
        check_id(s->id);
        CHECK(strlen(s->id) <= AR_POLICY_MAX_ID_BYTES);
        CHECK(s->title != NULL);
        CHECK(s->action >= AR_ACTION_LABEL && s->action <= AR_ACTION_REMOVE);
        check_pos(s->pos);
        check_terms(s->allow, s->nallow);
        CHECK(s->nrules >= 1);
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(p->standards[j].id, s->id) != 0);
        for (size_t r = 0; r < s->nrules; r++) {
            const ar_policy_rule *rule = &s->rules[r];
            check_id(rule->id);
            check_pos(rule->pos);
            check_pos(rule->expr_pos);
            if (rule->kind == AR_RULE_TERMS) {
                CHECK(rule->regex == NULL);
                CHECK(rule->nterms >= 1);
                check_terms(rule->terms, rule->nterms);
            } else {
                CHECK(rule->kind == AR_RULE_REGEX);
                CHECK(rule->regex != NULL && rule->regex[0] != '\0');
                CHECK(rule->nterms == 0 && rule->terms == NULL);
            }
            CHECK(rule->nlanguages == 0 || rule->languages != NULL);
            for (size_t l = 0; l < rule->nlanguages; l++)
                CHECK(rule->languages[l] && strlen(rule->languages[l]) >= 2);
            nrules++;
        }
    }
    /* Rule ids are unique across the policy (checked pairwise while small). */
    if (nrules <= 256) {
        for (size_t i = 0; i < p->nstandards; i++)
            for (size_t r = 0; r < p->standards[i].nrules; r++)
                for (size_t j = i; j < p->nstandards; j++)
                    for (size_t q = (j == i ? r + 1 : 0); q < p->standards[j].nrules; q++)
                        CHECK(strcmp(p->standards[i].rules[r].id, p->standards[j].rules[q].id) !=
                              0);
    }
}

/* libfyaml 0.7.12 (Debian's) leaks a few KiB inside its scanner on some
 * quote-heavy inputs (upstream pantoniou/libfyaml#233, fixed after 0.7.12).
 * Only allocations made inside libfyaml are excused: a leak of ours has our
 * frames, not libfyaml's, on its stack. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfyaml.so\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ar_ctx *ctx;
    if (!ctx) {
        ar_error e;
        if (ar_ctx_new(NULL, &ctx, &e) != AR_OK)
            abort();
    }
    ar_policy *p = NULL;
    ar_diag_list d;
    ar_error err;
    memset(&err, 0, sizeof err);
    ar_diag_list_init(&d, ctx);
    ar_status s = ar_policy_parse_buffer(ctx, (const char *)data, size, "fuzz.yaml", NULL, &p, &d,
                                         &err);
    if (s == AR_OK) {
        CHECK(p != NULL);
        CHECK(d.n == 0);
        check_policy(p);
    } else {
        CHECK(p == NULL);
        CHECK(err.status == s);
        CHECK(err.message[0] != '\0');
        CHECK(d.n >= 1);
        for (size_t i = 0; i < d.n; i++) {
            CHECK(d.v[i].message[0] != '\0');
            CHECK(d.v[i].status != AR_OK);
        }
    }
    ar_policy_free(p);
    ar_diag_list_free(&d);
    return 0;
}
