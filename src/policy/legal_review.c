/*
 * legal_review.c - the policy's optional `legal_review` section: how legal
 * requests are reviewed, apart from the community standards.
 *
 *   legal_review:
 *     four_eyes: [user_data, emergency]
 *
 * four_eyes lists the request kinds (content_restriction, user_data,
 * preservation, emergency) whose per-item decisions need a second legal
 * reviewer: the first reviewer's outcome is only proposed, and takes effect
 * when a different legal reviewer signs it off (src/workflow/four_eyes.c).
 * Left out, or `four_eyes: []`, every decision takes effect at once.
 *
 * Kept in its own file (and its own field of ar_policy) so that it stays
 * apart from the standards and their rules.
 */
#include "policy_int.h"

static const char *const request_kinds[] = {"content_restriction", "user_data", "preservation",
                                            "emergency"};

unsigned ar_policy_request_kind_bit(const char *kind)
{
    for (size_t i = 0; kind && i < AR_ARRAY_LEN(request_kinds); i++)
        if (!strcmp(kind, request_kinds[i]))
            return 1u << i;
    return 0;
}

const char *ar_policy_request_kind_name(unsigned bit)
{
    for (size_t i = 0; i < AR_ARRAY_LEN(request_kinds); i++)
        if (bit == 1u << i)
            return request_kinds[i];
    return NULL;
}

/* The kind a typo was most likely meant to be, or NULL. */
static const char *nearest_kind(const char *s)
{
    const char *best = NULL;
    size_t bestd = 4;
    for (size_t i = 0; i < AR_ARRAY_LEN(request_kinds); i++) {
        size_t d = ar__yaml_edit_distance(s, request_kinds[i]);
        if (d < bestd) {
            bestd = d;
            best = request_kinds[i];
        }
    }
    return best;
}

static void check_four_eyes(ar__pstate *st, ar_policy *p, const ar__ynode *v)
{
    if (v->kind == AR__YN_BAD)
        return;
    if (v->kind == AR__YN_SCALAR && ar__yaml_is_null(v))
        return; /* "four_eyes:" alone: nothing needs a second reviewer */
    if (v->kind != AR__YN_SEQ) {
        ar__yaml_report_at(st, v,
                           "'four_eyes' must be a list of request kinds such as [user_data, "
                           "emergency], not %s",
                           ar__yaml_kind_name(v));
        return;
    }
    size_t idx = 0;
    for (const ar__ynode *it = v->child; it && !st->fatal; it = it->next, idx++) {
        if (it->kind == AR__YN_BAD)
            continue;
        if (it->kind != AR__YN_SCALAR || ar__yaml_is_null(it)) {
            ar__yaml_report_at(st, it, "'four_eyes' item %zu must be a request kind, not %s",
                               idx + 1, ar__yaml_kind_name(it));
            continue;
        }
        unsigned bit = ar_policy_request_kind_bit(it->str);
        if (!bit) {
            const char *near = nearest_kind(it->str);
            ar__yaml_report_at(st, it,
                               "'%.*s' is not a request kind: use content_restriction, "
                               "user_data, preservation or emergency%s%s%s",
                               CLIP(it->str, 64), near ? " (did you mean " : "",
                               near ? near : "", near ? "?)" : "");
            continue;
        }
        if (p->four_eyes & bit) {
            ar__yaml_report_at(st, it, "'four_eyes' lists %s twice", it->str);
            continue;
        }
        p->four_eyes |= bit;
    }
}

enum { L_FOUR_EYES, L_N };
static const char *const legal_review_keys[L_N] = {"four_eyes"};

void ar__policy_check_legal_review(ar__pstate *st, ar_policy *p, const ar__ynode *v)
{
    const ar__ynode *keys[L_N], *vals[L_N];
    if (v->kind == AR__YN_BAD)
        return;
    if (v->kind == AR__YN_SCALAR && ar__yaml_is_null(v))
        return;
    if (v->kind != AR__YN_MAP) {
        ar__yaml_report_at(st, v,
                           "'legal_review' must be a mapping such as {four_eyes: [user_data]},"
                           " not %s",
                           ar__yaml_kind_name(v));
        return;
    }
    size_t old = ar__yaml_field_push(st, "legal_review");
    if (ar__yaml_sort_keys(st, v, "legal_review", legal_review_keys, L_N, "four_eyes", keys,
                           vals) &&
        vals[L_FOUR_EYES]) {
        size_t o2 = ar__yaml_field_push(st, ".four_eyes");
        check_four_eyes(st, p, vals[L_FOUR_EYES]);
        ar__yaml_field_pop(st, o2);
    }
    ar__yaml_field_pop(st, old);
}
