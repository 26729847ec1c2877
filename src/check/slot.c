/*
 * slot.c - the current engine, swapped atomically on reload.
 *
 * Acquire takes a reference under a mutex: loading the pointer and bumping
 * its count must be one step, or a swap in between could free the engine
 * before the reader retains it. The lock is held for two instructions, so
 * it costs an uncontended lock per check, not a wait.
 */
#include "check_int.h"

#include <pthread.h>

struct ar_engine_slot {
    ar_ctx *ctx;
    pthread_mutex_t lock;
    ar_engine *current;
};

ar_status ar_engine_slot_new(ar_ctx *ctx, ar_engine *initial, ar_engine_slot **out, ar_error *err)
{
    if (!ctx || !initial || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_engine_slot_new: NULL argument");
    *out = NULL;
    ar_engine_slot *slot = ar__calloc(ctx, 1, sizeof *slot);
    if (!slot)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for the engine slot");
    if (pthread_mutex_init(&slot->lock, NULL) != 0) {
        ar__free(ctx, slot);
        return ar_error_set(err, AR_EBACKEND, NULL, "pthread_mutex_init failed");
    }
    slot->ctx = ctx;
    slot->current = initial;
    *out = slot;
    return AR_OK;
}

void ar_engine_slot_free(ar_engine_slot *slot)
{
    if (!slot)
        return;
    ar_engine_release(slot->current);
    pthread_mutex_destroy(&slot->lock);
    ar__free(slot->ctx, slot);
}

ar_engine *ar_engine_slot_acquire(ar_engine_slot *slot)
{
    pthread_mutex_lock(&slot->lock);
    ar_engine *e = ar_engine_retain(slot->current);
    pthread_mutex_unlock(&slot->lock);
    return e;
}

void ar_engine_slot_swap(ar_engine_slot *slot, ar_engine *e)
{
    pthread_mutex_lock(&slot->lock);
    ar_engine *old = slot->current;
    slot->current = e;
    pthread_mutex_unlock(&slot->lock);
    AR_LOG(slot->ctx, AR_LOG_INFO, "check", "engine_swapped",
           AR_KV_STR("digest", e && e->policy ? e->policy->digest : ""));
    ar_engine_release(old);
}
