/*
 * lists.c - the immutable snapshot of every signal list a check reads: the
 * URL lists in one ar_url_set, each bank as an array of 32-byte hashes.
 */
#include "arbiter/lists.h"
#include "common/common_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <time.h>

typedef struct bank_entry {
    ar_pdq_hash hash;
    char hex[AR_PDQ_HEX_LEN + 1];
    int64_t id; /* row id in the store, 0 if none */
} bank_entry;

typedef struct list {
    char name[AR_LIST_NAME_MAX + 1];
    ar_list_kind kind;
    size_t nentries;
    bank_entry *bank; /* AR_LIST_PDQ */
    size_t bank_cap;
} list;

struct ar_lists {
    ar_ctx *ctx;
    atomic_int refs;
    list *v;
    size_t n, cap;
    ar_url_set *urls;
    bool frozen;
    int64_t built_at;
};

const char *ar_list_kind_name(ar_list_kind k)
{
    return k == AR_LIST_PDQ ? "pdq" : "url";
}

bool ar_list_name_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > AR_LIST_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-'))
            return false;
    }
    return true;
}

/*---- Hashes -------------------------------------------------------------------*/

ar_status ar_list_value_normalize(ar_list_kind k, const char *in, size_t len, char *out,
                                  size_t size, ar_error *err)
{
    if (!in || !out || size < AR_URL_EXPR_MAX + 1)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_list_value_normalize: bad argument");
    out[0] = '\0';
    if (k == AR_LIST_URL) {
        ar_status st = ar_url_expression_of(in, len, out, size, err);
        if (st != AR_OK && err) /* the entry, whatever part of the URL was wrong */
            snprintf(err->field, sizeof err->field, "value");
        return st;
    }
    /* Entries come in either case (exports, spreadsheets); stored lowercase. */
    if (len != AR_PDQ_HEX_LEN)
        return ar_error_set(err, AR_EINVAL, "value",
                            "a PDQ hash is %d hex digits, this is %zu bytes", AR_PDQ_HEX_LEN, len);
    for (size_t i = 0; i < AR_PDQ_HEX_LEN; i++)
        out[i] = (char)(in[i] >= 'A' && in[i] <= 'F' ? in[i] - 'A' + 'a' : in[i]);
    out[AR_PDQ_HEX_LEN] = '\0';
    ar_pdq_hash h;
    ar_status st = ar_pdq_from_hex(out, AR_PDQ_HEX_LEN, &h, err);
    if (st != AR_OK && err)
        snprintf(err->field, sizeof err->field, "value");
    if (st != AR_OK)
        out[0] = '\0';
    return st;
}

/*---- Building ------------------------------------------------------------------*/

ar_status ar_lists_new(ar_ctx *ctx, ar_lists **out, ar_error *err)
{
    if (!ctx || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_lists_new: NULL argument");
    *out = NULL;
    ar_lists *l = ar__calloc(ctx, 1, sizeof *l);
    if (!l)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for the lists");
    l->ctx = ctx;
    atomic_init(&l->refs, 1);
    ar_status st = ar_url_set_new(ctx, &l->urls, err);
    if (st != AR_OK) {
        ar__free(ctx, l);
        return st;
    }
    *out = l;
    return AR_OK;
}

ar_status ar_lists_add(ar_lists *l, const char *name, ar_list_kind kind, uint32_t *index,
                       ar_error *err)
{
    if (!l || l->frozen || !ar_list_name_valid(name) || (unsigned)kind > AR_LIST_PDQ)
        return ar_error_set(err, AR_EINVAL, "name", "ar_lists_add: bad list or name");
    if (ar_lists_find(l, name) >= 0)
        return ar_error_set(err, AR_ECONFLICT, "name", "list '%s' is already there", name);
    ar_status st =
        ar__grow(l->ctx, (void **)&l->v, &l->cap, l->n + 1, sizeof *l->v, UINT32_MAX, err);
    if (st != AR_OK)
        return st;
    list *x = &l->v[l->n];
    memset(x, 0, sizeof *x);
    snprintf(x->name, sizeof x->name, "%s", name);
    x->kind = kind;
    if (index)
        *index = (uint32_t)l->n;
    l->n++;
    return AR_OK;
}

ar_status ar_lists_add_entry(ar_lists *l, uint32_t index, const char *value, ar_error *err)
{
    return ar_lists_add_entry_id(l, index, value, 0, err);
}

ar_status ar_lists_add_entry_id(ar_lists *l, uint32_t index, const char *value, int64_t id,
                                ar_error *err)
{
    if (!l || l->frozen || index >= l->n || !value)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_lists_add_entry: bad argument");
    list *x = &l->v[index];
    ar_status st;
    if (x->kind == AR_LIST_URL) {
        st = ar_url_set_add(l->urls, value, index, err);
    } else {
        st = ar__grow(l->ctx, (void **)&x->bank, &x->bank_cap, x->nentries + 1, sizeof *x->bank,
                      AR_LIST_MAX_ENTRIES, err);
        bank_entry *b = st == AR_OK ? &x->bank[x->nentries] : NULL;
        if (b && (st = ar_pdq_from_hex(value, strlen(value), &b->hash, err)) == AR_OK) {
            snprintf(b->hex, sizeof b->hex, "%s", value);
            b->id = id;
        }
    }
    if (st == AR_OK)
        x->nentries++;
    return st;
}

void ar_lists_freeze(ar_lists *l)
{
    if (l && !l->frozen) {
        ar_url_set_freeze(l->urls);
        l->frozen = true;
        l->built_at = (int64_t)time(NULL);
    }
}

ar_lists *ar_lists_retain(ar_lists *l)
{
    if (l)
        atomic_fetch_add_explicit(&l->refs, 1, memory_order_relaxed);
    return l;
}

void ar_lists_release(ar_lists *l)
{
    if (!l || atomic_fetch_sub_explicit(&l->refs, 1, memory_order_acq_rel) != 1)
        return;
    for (size_t i = 0; i < l->n; i++)
        ar__free(l->ctx, l->v[i].bank);
    ar__free(l->ctx, l->v);
    ar_url_set_free(l->urls);
    ar__free(l->ctx, l);
}

/*---- Reading --------------------------------------------------------------------*/

size_t ar_lists_count(const ar_lists *l)
{
    return l ? l->n : 0;
}

const char *ar_lists_name(const ar_lists *l, uint32_t index)
{
    return l && index < l->n ? l->v[index].name : NULL;
}

ar_list_kind ar_lists_kind(const ar_lists *l, uint32_t index)
{
    return l && index < l->n ? l->v[index].kind : AR_LIST_URL;
}

size_t ar_lists_entries(const ar_lists *l, uint32_t index)
{
    return l && index < l->n ? l->v[index].nentries : 0;
}

size_t ar_lists_total(const ar_lists *l, ar_list_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; l && i < l->n; i++)
        n += l->v[i].kind == kind ? l->v[i].nentries : 0;
    return n;
}

int64_t ar_lists_built_at(const ar_lists *l)
{
    return l ? l->built_at : 0;
}

long ar_lists_find(const ar_lists *l, const char *name)
{
    for (size_t i = 0; l && name && i < l->n; i++)
        if (!strcmp(l->v[i].name, name))
            return (long)i;
    return -1;
}

size_t ar_lists_url_lookup(const ar_lists *l, const char *canon, ar_url_hit *hits, size_t max)
{
    return l && l->frozen ? ar_url_set_lookup(l->urls, canon, hits, max) : 0;
}

bool ar_lists_hash_nearest(const ar_lists *l, uint32_t index, const ar_pdq_hash *hash,
                           unsigned max_distance, ar_hash_hit *out)
{
    if (!l || !l->frozen || index >= l->n || l->v[index].kind != AR_LIST_PDQ)
        return false;
    const list *x = &l->v[index];
    size_t best = SIZE_MAX;
    unsigned best_d = max_distance + 1;
    for (size_t i = 0; i < x->nentries; i++) {
        unsigned d = (unsigned)ar_pdq_distance(hash, &x->bank[i].hash);
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    if (best == SIZE_MAX)
        return false;
    *out = (ar_hash_hit){x->bank[best].hex, best_d, x->bank[best].id};
    return true;
}

size_t ar_lists_hash_within(const ar_lists *l, uint32_t index, const ar_pdq_hash *hash,
                            unsigned max_distance, ar_hash_hit *hits, size_t max)
{
    if (!l || !l->frozen || !hash || index >= l->n || l->v[index].kind != AR_LIST_PDQ)
        return 0;
    const list *x = &l->v[index];
    size_t n = 0;
    for (size_t i = 0; i < x->nentries; i++) {
        unsigned d = (unsigned)ar_pdq_distance(hash, &x->bank[i].hash);
        if (d > max_distance)
            continue;
        if (hits && n < max)
            hits[n] = (ar_hash_hit){x->bank[i].hex, d, x->bank[i].id};
        n++;
    }
    return n;
}

/*---- The slot ---------------------------------------------------------------------*/

/* As ar_engine_slot (src/check/slot.c): taking a reference under the lock
 * keeps a swap from freeing the snapshot between the load and the retain. */
struct ar_lists_slot {
    ar_ctx *ctx;
    pthread_mutex_t lock;
    ar_lists *current;
};

ar_status ar_lists_slot_new(ar_ctx *ctx, ar_lists *initial, ar_lists_slot **out, ar_error *err)
{
    if (!ctx || !initial || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_lists_slot_new: NULL argument");
    *out = NULL;
    ar_lists_slot *s = ar__calloc(ctx, 1, sizeof *s);
    if (!s)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for the lists slot");
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        ar__free(ctx, s);
        return ar_error_set(err, AR_EBACKEND, NULL, "pthread_mutex_init failed");
    }
    s->ctx = ctx;
    s->current = initial;
    *out = s;
    return AR_OK;
}

void ar_lists_slot_free(ar_lists_slot *s)
{
    if (!s)
        return;
    ar_lists_release(s->current);
    pthread_mutex_destroy(&s->lock);
    ar__free(s->ctx, s);
}

ar_lists *ar_lists_slot_acquire(ar_lists_slot *s)
{
    if (!s)
        return NULL;
    pthread_mutex_lock(&s->lock);
    ar_lists *l = ar_lists_retain(s->current);
    pthread_mutex_unlock(&s->lock);
    return l;
}

void ar_lists_slot_swap(ar_lists_slot *s, ar_lists *l)
{
    pthread_mutex_lock(&s->lock);
    ar_lists *old = s->current;
    s->current = l;
    pthread_mutex_unlock(&s->lock);
    AR_LOG(s->ctx, AR_LOG_INFO, "lists", "lists_swapped", AR_KV_INT("lists", ar_lists_count(l)));
    ar_lists_release(old);
}
