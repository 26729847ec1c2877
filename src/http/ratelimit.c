/*
 * ratelimit.c - a token bucket per API token: `rate` requests a second on
 * average, bursts of up to `burst`. Buckets live in a fixed open-addressed
 * table keyed by token id under one mutex (a lookup is a few nanoseconds;
 * the lock is held for no more). A full table starts afresh, which at worst
 * forgets some buckets' debt.
 */
#include "http/http.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096 /* power of two; far more tokens than a deployment has */

typedef struct bucket {
    int64_t key; /* token id; 0: empty */
    double level, last;
} bucket;

struct ar_http_limiter {
    pthread_mutex_t lock;
    double rate, burst;
    size_t used;
    bucket b[SLOTS];
};

ar_http_limiter *ar_http_limiter_new(double rate, double burst)
{
    ar_http_limiter *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    pthread_mutex_init(&l->lock, NULL);
    l->rate = rate;
    l->burst = burst < 1 ? 1 : burst;
    return l;
}

void ar_http_limiter_free(ar_http_limiter *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->lock);
    free(l);
}

bool ar_http_limiter_take(ar_http_limiter *l, int64_t key, double now_s, unsigned *retry_after_s)
{
    pthread_mutex_lock(&l->lock);
    size_t i = (size_t)((uint64_t)key * 0x9E3779B97F4A7C15ull >> 52) & (SLOTS - 1);
    while (l->b[i].key && l->b[i].key != key)
        i = (i + 1) & (SLOTS - 1);
    if (!l->b[i].key) {
        if (l->used >= SLOTS * 3 / 4) { /* full: start afresh */
            memset(l->b, 0, sizeof l->b);
            l->used = 0;
        }
        l->b[i] = (bucket){key, l->burst, now_s};
        l->used++;
    }
    bucket *b = &l->b[i];
    double level = b->level + (now_s - b->last) * l->rate;
    if (level > l->burst)
        level = l->burst;
    b->last = now_s;
    bool ok = level >= 1.0;
    if (ok)
        level -= 1.0;
    b->level = level;
    pthread_mutex_unlock(&l->lock);
    if (!ok && retry_after_s) {
        double wait = ceil((1.0 - level) / l->rate);
        *retry_after_s = wait < 1 ? 1u : (unsigned)wait;
    }
    return ok;
}
