/*
 * arbiter/lists.h - signal lists: blocked-URL lists and image-hash banks,
 * as the store keeps them and as a check reads them.
 *
 * A list has a name ([a-z0-9_.-]{1,64}, unique across kinds) and a kind:
 *   url  entries are Safe Browsing expressions ("evil.example/",
 *        "example.com/bad/path"); a URL given as an entry is stored as its
 *        expression (arbiter/url.h);
 *   pdq  entries are PDQ hashes, 256 bits as 64 hex digits, stored
 *        lowercase. A policy's `bank` rule matches an image hash within a
 *        Hamming distance (default 31, as Meta's HMA).
 *
 * Two halves:
 *  - ar_lists: an immutable, refcounted snapshot of every list, built from
 *    the store (ar_lists_load) and swapped into an ar_lists_slot when a list
 *    changes, as ar_engine_slot does for the policy: a check in flight keeps
 *    the snapshot it acquired, the next check sees the change. A bank is
 *    searched by a linear popcount scan over its hashes (fine up to some
 *    hundred thousand hashes; an index belongs to the image module). A
 *    change rebuilds the whole snapshot from the store: simple, and cheap
 *    next to the change's fsync for lists up to AR_LIST_MAX_ENTRIES.
 *  - the stored lists (src/workflow/lists.c): create, delete, add and
 *    remove entries, import a text file, export. Every change is one
 *    transaction with its audit event, made by an admin, durable before
 *    the call returns. Removing an entry or a list is allowed (a list is
 *    not a decision); the audit log keeps what was removed and by whom.
 *
 * Import format: one entry per line; '#' starts a comment, blank lines are
 * skipped, an entry may be followed by whitespace and a note. All or
 * nothing: a single invalid line refuses the whole file, and the report
 * names every invalid line (up to AR_LIST_IMPORT_MAX_ERRORS).
 *
 * THREAD SAFETY: an ar_lists may be read by any number of threads once
 * frozen; building one (add, add_entry, freeze) is one thread's. The slot
 * may be used from any thread.
 */
#ifndef ARBITER_LISTS_H
#define ARBITER_LISTS_H

#include "arbiter/common.h"
#include "arbiter/image.h"
#include "arbiter/url.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AR_LIST_NAME_MAX          64u
#define AR_LIST_DESCRIPTION_MAX   1024u
#define AR_LIST_NOTE_MAX          1024u
#define AR_LIST_MAX_ENTRIES       1000000u /* per list */
#define AR_LIST_ADD_MAX           10000u   /* entries in one add (HTTP array) */
#define AR_LIST_IMPORT_MAX_ENTRIES 100000u /* entries in one import */
#define AR_LIST_IMPORT_MAX_BYTES  (64u * 1024u * 1024u)
#define AR_LIST_IMPORT_MAX_ERRORS 100u

typedef enum ar_list_kind { AR_LIST_URL = 0, AR_LIST_PDQ } ar_list_kind;

AR_API const char *ar_list_kind_name(ar_list_kind k); /* "url", "pdq" */
AR_API bool ar_list_name_valid(const char *name);

/* A value as stored: the URL expression, or the hash in lowercase hex.
 * AR_EINVAL (field "value") names what is wrong. out[size], size >= 257. */
AR_API AR_NODISCARD ar_status ar_list_value_normalize(ar_list_kind k, const char *in, size_t len,
                                                      char *out, size_t size, ar_error *err);

/* A note on an entry: one line of UTF-8, no control characters, at most
 * AR_LIST_NOTE_MAX bytes. AR_EINVAL / AR_ETOOBIG (field "note") otherwise. */
AR_API AR_NODISCARD ar_status ar_list_note_check(const char *s, size_t len, ar_error *err);

/*---- Import files ---------------------------------------------------------------*/

typedef struct ar_list_line_error {
    unsigned line; /* 1-based line of the import, or index + 1 of an added entry */
    char message[AR_ERROR_MESSAGE_MAX];
} ar_list_line_error;

typedef struct ar_list_report {
    size_t added;   /* new entries */
    size_t present; /* already on the list (or repeated in the input) */
    size_t invalid;
    ar_list_line_error errors[AR_LIST_IMPORT_MAX_ERRORS]; /* the first invalid ones */
    size_t nerrors;
} ar_list_report;

/* One valid entry of an import: `value` normalised (NUL-terminated), `note`
 * NULL or checked. Anything but AR_OK stops the parse and is returned. */
typedef ar_status (*ar_list_entry_fn)(void *ud, unsigned line, const char *value,
                                      const char *note, ar_error *err);

/* Parse an import file (format above): fn gets each valid entry in order;
 * each invalid line is counted in report->invalid and the first
 * AR_LIST_IMPORT_MAX_ERRORS are named in report->errors. Returns AR_OK
 * (whether or not lines were invalid: the caller decides), fn's status, or
 * AR_ETOOBIG past AR_LIST_IMPORT_MAX_BYTES or AR_LIST_IMPORT_MAX_ENTRIES. */
AR_API AR_NODISCARD ar_status ar_list_parse(ar_list_kind kind, const char *text, size_t len,
                                            ar_list_entry_fn fn, void *ud,
                                            ar_list_report *report, ar_error *err);

/* Record an invalid entry in a report (for callers validating entries of
 * their own, like an HTTP array). */
AR_API void ar_list_report_invalid(ar_list_report *r, unsigned line, const ar_error *e);

/*---- The snapshot ------------------------------------------------------------*/

typedef struct ar_lists ar_lists;

AR_API AR_NODISCARD ar_status ar_lists_new(ar_ctx *ctx, ar_lists **out, ar_error *err);
/* Add a list (names unique); *index gets its index. */
AR_API AR_NODISCARD ar_status ar_lists_add(ar_lists *l, const char *name, ar_list_kind kind,
                                           uint32_t *index, ar_error *err);
/* Add a stored (normalised) value to list `index`. */
AR_API AR_NODISCARD ar_status ar_lists_add_entry(ar_lists *l, uint32_t index, const char *value,
                                                 ar_error *err);
/* As ar_lists_add_entry, remembering the entry's row id in the store (a
 * bank's hits carry it: HMA's bank_content_id). */
AR_API AR_NODISCARD ar_status ar_lists_add_entry_id(ar_lists *l, uint32_t index,
                                                    const char *value, int64_t id,
                                                    ar_error *err);
/* Done building: lookups work from here on; the time is kept (built_at). */
AR_API void ar_lists_freeze(ar_lists *l);
AR_API ar_lists *ar_lists_retain(ar_lists *l);
AR_API void ar_lists_release(ar_lists *l); /* frees on the last release; NULL is a no-op */

AR_API size_t ar_lists_count(const ar_lists *l);
AR_API const char *ar_lists_name(const ar_lists *l, uint32_t index);
AR_API ar_list_kind ar_lists_kind(const ar_lists *l, uint32_t index);
AR_API size_t ar_lists_entries(const ar_lists *l, uint32_t index);
/* Entries of every list of `kind`. */
AR_API size_t ar_lists_total(const ar_lists *l, ar_list_kind kind);
/* Unix seconds when the snapshot was frozen (0 before). */
AR_API int64_t ar_lists_built_at(const ar_lists *l);
/* The index of the list `name`, or -1 (none, or NULL arguments). */
AR_API long ar_lists_find(const ar_lists *l, const char *name);

/* Every (url list, expression) matching the canonical URL, up to max. */
AR_API size_t ar_lists_url_lookup(const ar_lists *l, const char *canon, ar_url_hit *hits,
                                  size_t max);

typedef struct ar_hash_hit {
    const char *entry; /* the bank's hash, lowercase hex (borrowed from the snapshot) */
    unsigned distance;
    int64_t id; /* the entry's row id in the store; 0 if added without one */
} ar_hash_hit;
/* The nearest hash of bank `index` within max_distance (ties: the first
 * added). Linear popcount scan. false if none is that near. */
AR_API bool ar_lists_hash_nearest(const ar_lists *l, uint32_t index,
                                  const ar_pdq_hash *hash, unsigned max_distance,
                                  ar_hash_hit *out);

/* Every hash of bank `index` within max_distance, in the order added:
 * the first `max` go to hits[]; returns how many there are in all (more
 * than max: the caller's array was short). Linear popcount scan. */
AR_API size_t ar_lists_hash_within(const ar_lists *l, uint32_t index, const ar_pdq_hash *hash,
                                   unsigned max_distance, ar_hash_hit *hits, size_t max);

/* The current snapshot, swapped atomically when a list changes. */
typedef struct ar_lists_slot ar_lists_slot;
AR_API AR_NODISCARD ar_status ar_lists_slot_new(ar_ctx *ctx, ar_lists *initial,
                                                ar_lists_slot **out, ar_error *err);
AR_API void ar_lists_slot_free(ar_lists_slot *slot);
AR_API ar_lists *ar_lists_slot_acquire(ar_lists_slot *slot); /* retained: release it */
AR_API void ar_lists_slot_swap(ar_lists_slot *slot, ar_lists *l); /* takes the reference */

#ifdef __cplusplus
}
#endif
#endif
