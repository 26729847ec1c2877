/*
 * diag.c - diagnostics: the list every problem of a policy goes into, in
 * the order a policy author reads them (file, line, column).
 */
#include "policy_int.h"

#include <stdio.h>

#define DIAG_LIST_MAX 100000u /* ar_diag_list entries; lint adds compile errors too */

void ar_diag_list_init(ar_diag_list *d, ar_ctx *ctx)
{
    d->v = NULL;
    d->n = d->cap = 0;
    d->ctx = ctx;
}

void ar_diag_list_free(ar_diag_list *d)
{
    if (!d)
        return;
    if (d->ctx)
        ar__free(d->ctx, d->v);
    d->v = NULL;
    d->n = d->cap = 0;
}

/* Append a copy of *e.
 * Returns AR_OK, AR_EINVAL (d or e NULL, or d never initialised),
 * AR_ETOOBIG past DIAG_LIST_MAX entries, or AR_ENOMEM. */
ar_status ar_diag_list_add(ar_diag_list *d, const ar_error *e)
{
    if (!d || !e || !d->ctx)
        return AR_EINVAL;
    void *v = d->v;
    ar_status s = ar__grow(d->ctx, &v, &d->cap, d->n + 1, sizeof *d->v, DIAG_LIST_MAX, NULL);
    if (s != AR_OK)
        return s;
    d->v = v;
    d->v[d->n++] = *e;
    return AR_OK;
}

/*---- Reporting while parsing ----------------------------------------------*/

/* Record an ar_error built from the arguments in st->diags, with the field
 * path being checked (st->field). Past AR__POLICY_MAX_DIAGS a last note says
 * that more were left out and nothing more is kept. */
void ar__policy_report(ar__pstate *st, ar_status s, const char *file, unsigned line,
                       unsigned column, const char *fmt, ...)
{
    if (st->fatal || st->capped)
        return;
    ar_error e;
    ar_error_clear(&e);
    if (st->diags.n + 1 >= AR__POLICY_MAX_DIAGS) {
        /* No position, so that sorting leaves it last. */
        ar_error_set(&e, AR_EINVAL, NULL, "too many problems: stopped after %u",
                     (unsigned)AR__POLICY_MAX_DIAGS - 1);
        st->capped = true;
    } else {
        va_list ap;
        ar_error_set_at(&e, s, file, line, column, st->field, "%s", "");
        va_start(ap, fmt);
        vsnprintf(e.message, sizeof e.message, fmt, ap);
        va_end(ap);
    }
    if (ar_diag_list_add(&st->diags, &e) != AR_OK)
        ar__policy_oom(st);
}

/* Out of memory: nothing more can be trusted to finish, so stop. The
 * caller's err gets AR_ENOMEM from ar_policy_parse_*; the list keeps what it has. */
void ar__policy_oom(ar__pstate *st)
{
    st->fatal = true;
}

/*---- Order --------------------------------------------------------------*/

static size_t file_rank(const ar__pstate *st, const char *file)
{
    for (size_t i = 0; i < st->nfiles; i++)
        if (strcmp(st->files[i], file) == 0)
            return i;
    return st->nfiles;
}

static bool diag_before(const ar__pstate *st, const ar_error *a, const ar_error *b)
{
    size_t ra = file_rank(st, a->file), rb = file_rank(st, b->file);
    if (ra != rb)
        return ra < rb;
    if (a->line != b->line)
        return a->line < b->line;
    return a->column < b->column;
}

/* Insertion sort: stable, in place, and the list is short
 * (AR__POLICY_MAX_DIAGS) and nearly sorted already. */
void ar__policy_sort_diags(ar__pstate *st)
{
    ar_error *v = st->diags.v;
    for (size_t i = 1; i < st->diags.n; i++) {
        if (!diag_before(st, &v[i], &v[i - 1]))
            continue;
        ar_error tmp = v[i];
        size_t j = i;
        while (j > 0 && diag_before(st, &tmp, &v[j - 1])) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = tmp;
    }
}

/* Remember `name` as the next file opened (its rank orders diagnostics).
 * Returns the policy's copy of the name, or NULL when out of memory. */
const char *ar__policy_add_file(ar__pstate *st, const char *name)
{
    for (size_t i = 0; i < st->nfiles; i++)
        if (strcmp(st->files[i], name) == 0)
            return st->files[i];
    char *copy = ar__arena_strndup(&st->impl->arena, name, strlen(name));
    if (!copy)
        return NULL;
    void *v = (void *)st->files;
    if (ar__grow(st->ctx, &v, &st->capfiles, st->nfiles + 1, sizeof *st->files, SIZE_MAX / 8,
                 NULL) != AR_OK)
        return NULL;
    st->files = v;
    st->files[st->nfiles++] = copy;
    return copy;
}
