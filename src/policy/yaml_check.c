/*
 * yaml_check.c - what every YAML file arbiter reads (policies, deadline
 * rules) checks the same way: field paths, node kinds, "must be a string",
 * unknown keys with a "did you mean", duplicate keys, each problem reported
 * at its line and column.
 */
#include "policy_int.h"

#include <stdio.h>

size_t ar__yaml_field_push(ar__pstate *st, const char *fmt, ...)
{
    size_t old = strlen(st->field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->field + old, sizeof st->field - old, fmt, ap);
    va_end(ap);
    return old;
}

void ar__yaml_field_pop(ar__pstate *st, size_t old)
{
    st->field[old] = '\0';
}

bool ar__yaml_is_null(const ar__ynode *n)
{
    return n->kind == AR__YN_SCALAR && n->plain &&
           (n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
            strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0);
}

const char *ar__yaml_kind_name(const ar__ynode *n)
{
    switch (n->kind) {
    case AR__YN_SEQ:
        return "a list";
    case AR__YN_MAP:
        return "a mapping";
    case AR__YN_SCALAR:
        return ar__yaml_is_null(n) ? "empty" : "a string";
    default:
        return "an alias";
    }
}

void ar__yaml_report_at(ar__pstate *st, const ar__ynode *n, const char *fmt, ...)
{
    char msg[AR_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ar__policy_report(st, AR_EINVAL, st->file, n->line, n->column, "%s", msg);
}

const char *ar__yaml_get_string(ar__pstate *st, const ar__ynode *n, const char *key)
{
    if (n->kind == AR__YN_BAD)
        return NULL;
    if (n->kind != AR__YN_SCALAR || ar__yaml_is_null(n)) {
        ar__yaml_report_at(st, n, "'%s' must be a string, not %s", key, ar__yaml_kind_name(n));
        return NULL;
    }
    return n->str;
}

size_t ar__yaml_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 32 || lb > 32)
        return 99;
    size_t row[33];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

bool ar__yaml_sort_keys(ar__pstate *st, const ar__ynode *map, const char *what,
                      const char *const *names, size_t nnames, const char *known,
                      const ar__ynode **keys, const ar__ynode **vals)
{
    for (size_t i = 0; i < nnames; i++)
        keys[i] = vals[i] = NULL;
    if (map->kind == AR__YN_BAD)
        return false;
    if (map->kind != AR__YN_MAP) {
        ar__yaml_report_at(st, map, "a %s must be a mapping of keys to values, not %s", what,
                  ar__yaml_kind_name(map));
        return false;
    }
    for (const ar__ynode *k = map->child; k && k->next; k = k->next->next) {
        const ar__ynode *v = k->next;
        if (k->kind == AR__YN_BAD)
            continue;
        if (k->kind != AR__YN_SCALAR || ar__yaml_is_null(k)) {
            ar__yaml_report_at(st, k, "a key in a %s must be a name, not %s", what, ar__yaml_kind_name(k));
            continue;
        }
        size_t i = 0;
        while (i < nnames && strcmp(k->str, names[i]) != 0)
            i++;
        if (i == nnames) {
            const char *best = NULL;
            size_t bestd = 3;
            for (size_t j = 0; j < nnames; j++) {
                size_t d = ar__yaml_edit_distance(k->str, names[j]);
                if (d < bestd && d < strlen(names[j])) {
                    bestd = d;
                    best = names[j];
                }
            }
            if (best)
                ar__yaml_report_at(st, k, "unknown key '%.*s' in %s (did you mean '%s'?)", CLIP(k->str, 64),
                          what, best);
            else if (known)
                ar__yaml_report_at(st, k, "unknown key '%.*s' in %s: use %s", CLIP(k->str, 64), what, known);
            else
                ar__yaml_report_at(st, k, "unknown key '%.*s' in %s", CLIP(k->str, 64), what);
            continue;
        }
        if (keys[i]) {
            ar__yaml_report_at(st, k, "duplicate key '%s' in %s (first at line %u)", names[i], what,
                      keys[i]->line);
            continue;
        }
        keys[i] = k;
        vals[i] = v;
    }
    return true;
}

ar_status ar__yaml_read_file(ar_ctx *ctx, const char *path, char **data, size_t *len,
                             ar_diag_list *diags, ar_error *err)
{
    ar_error e;
    ar_error_clear(&e);
    ar_status s = ar__policy_read_file(ctx, path, data, len, &e);
    if (s == AR_OK)
        return AR_OK;
    /* The message already names the path; put it in err->file too. */
    char msg[AR_ERROR_MESSAGE_MAX];
    memcpy(msg, e.message, sizeof msg);
    ar_error_set_at(&e, s, path, 0, 0, NULL, "%s", msg);
    if (err)
        *err = e;
    if (diags && ar_diag_list_add(diags, &e) != AR_OK)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory listing problems");
    return s;
}
