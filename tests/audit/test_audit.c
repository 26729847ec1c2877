/* tests/audit/test_audit.c - the hash chain, checkpoints, and a tamper test:
 * change, delete, insert and swap single events in the database file, and
 * rewrite a whole stretch with fresh hashes; verify must name each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arbiter/audit.h"
#include "audit/audit_int.h"

#define EVENTS 200
#define EVERY  16

typedef struct fixture {
    ar_ctx *ctx;
    char dir[64], db[128], key[128], pub[128], copy[128];
    uint8_t pk[AR_AUDIT_PUBLIC_KEY_BYTES];
} fixture;

static fixture F;

static int setup(void **state)
{
    snprintf(F.dir, sizeof F.dir, "/tmp/ar-audit-XXXXXX");
    if (!mkdtemp(F.dir) || ar_ctx_new(NULL, &F.ctx, NULL) != AR_OK)
        return -1;
    snprintf(F.db, sizeof F.db, "%s/arbiter.db", F.dir);
    snprintf(F.key, sizeof F.key, "%s/audit.key", F.dir);
    snprintf(F.pub, sizeof F.pub, "%s/audit.pub", F.dir);
    snprintf(F.copy, sizeof F.copy, "%s/tampered.db", F.dir);
    ar_error err;
    if (ar_audit_keygen(F.key, F.pub, &err) != AR_OK ||
        ar_audit_read_public_key(F.pub, F.pk, &err) != AR_OK)
        return -1;
    ar_store *s = NULL;
    ar_audit *a = NULL;
    if (ar_store_open(F.ctx, F.db, &s, &err) != AR_OK ||
        ar_audit_open(F.ctx, F.key, EVERY, &a, &err) != AR_OK)
        return -1;
    for (int i = 1; i <= EVENTS; i++) {
        ar_store_txn *t = NULL;
        char payload[64], object[32];
        snprintf(payload, sizeof payload, "{\"n\":%d,\"b\":\"x\",\"a\":[1,2]}", i);
        snprintf(object, sizeof object, "decision:%d", i);
        int64_t seq = 0;
        if (ar_store_write(s, &t, &err) != AR_OK ||
            ar_audit_append(a, t, 1700000000 + i, "moderator:alice", "decision.create", object,
                            payload, &seq, &err) != AR_OK ||
            ar_store_commit(t, &err) != AR_OK || seq != i)
            return -1;
    }
    ar_audit_close(a);
    ar_store_close(s);
    *state = &F;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", F.dir);
    ar_ctx_free(F.ctx);
    return system(cmd) == 0 ? 0 : -1;
}

/* A clean copy of the log (VACUUM INTO folds the WAL in). */
static void copy_log(void)
{
    sqlite3 *db = NULL;
    char sql[256];
    unlink(F.copy);
    snprintf(sql, sizeof sql, "VACUUM INTO '%s'", F.copy);
    assert_int_equal(sqlite3_open(F.db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* Copy the log, apply `sql` to the copy as an attacker with file access
 * would (triggers dropped), and verify the copy. */
static ar_audit_report tamper(const char *sql)
{
    copy_log();
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(F.copy, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db,
                          "DROP TRIGGER audit_append_only_u; DROP TRIGGER audit_append_only_d;",
                          NULL, NULL, &msg);
    assert_int_equal(rc, SQLITE_OK);
    if (sql) {
        rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
        if (rc != SQLITE_OK)
            fail_msg("tamper sql failed: %s", msg);
    }
    sqlite3_close(db);
    ar_store *s = NULL;
    ar_error err;
    ar_audit_report rep;
    assert_int_equal(ar_store_open(F.ctx, F.copy, &s, &err), AR_OK);
    assert_int_equal(ar_audit_verify(F.ctx, s, F.pk, &rep, &err), AR_OK);
    ar_store_close(s);
    return rep;
}

static void test_audit_untouched_log_verifies(void **state)
{
    (void)state;
    ar_audit_report rep = tamper(NULL);
    assert_int_equal(rep.problem, AR_AUDIT_INTACT);
    assert_int_equal(rep.events, EVENTS);
    assert_int_equal(rep.checkpoints, EVENTS / EVERY);
    assert_int_equal(rep.unsigned_tail, EVENTS % EVERY);
}

static void test_audit_payload_is_canonical(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(F.db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT payload FROM audit_events WHERE seq = 7", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "{\"a\":[1,2],\"b\":\"x\",\"n\":7}");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_audit_catches_a_changed_event(void **state)
{
    (void)state;
    ar_audit_report rep = tamper("UPDATE audit_events SET payload = '{\"n\":999}' WHERE seq = 50");
    assert_int_equal(rep.problem, AR_AUDIT_ALTERED);
    assert_int_equal(rep.first_bad_seq, 50);
    rep = tamper("UPDATE audit_events SET actor = 'moderator:mallory' WHERE seq = 1");
    assert_int_equal(rep.problem, AR_AUDIT_ALTERED);
    assert_int_equal(rep.first_bad_seq, 1);
}

static void test_audit_catches_a_deleted_event(void **state)
{
    (void)state;
    ar_audit_report rep = tamper("DELETE FROM audit_events WHERE seq = 50");
    assert_int_equal(rep.problem, AR_AUDIT_REMOVED);
    assert_int_equal(rep.first_bad_seq, 50);
    /* and when the later events are renumbered to close the gap */
    rep = tamper("DELETE FROM audit_events WHERE seq = 50;"
                 "UPDATE audit_events SET seq = -(seq - 1) WHERE seq > 50;"
                 "UPDATE audit_events SET seq = -seq WHERE seq < 0;");
    assert_int_equal(rep.problem, AR_AUDIT_REMOVED);
    assert_int_equal(rep.first_bad_seq, 50);
}

static void test_audit_catches_an_inserted_event(void **state)
{
    (void)state;
    ar_audit_report rep = tamper(
        "UPDATE audit_events SET seq = -(seq + 1) WHERE seq >= 50;"
        "UPDATE audit_events SET seq = -seq WHERE seq < 0;"
        "INSERT INTO audit_events (seq, ts, actor, action, object, payload, prev_hash, hash)"
        " SELECT 50, ts, 'legal:mallory', 'decision.create', 'decision:x', '{}', hash,"
        " '0000000000000000000000000000000000000000000000000000000000000000'"
        " FROM audit_events WHERE seq = 49;");
    assert_int_equal(rep.problem, AR_AUDIT_INSERTED);
    assert_int_equal(rep.first_bad_seq, 50);
}

static void test_audit_catches_swapped_events(void **state)
{
    (void)state;
    ar_audit_report rep = tamper("UPDATE audit_events SET seq = -1 WHERE seq = 50;"
                                 "UPDATE audit_events SET seq = 50 WHERE seq = 51;"
                                 "UPDATE audit_events SET seq = 51 WHERE seq = -1;");
    assert_int_equal(rep.problem, AR_AUDIT_REORDERED);
    assert_int_equal(rep.first_bad_seq, 50);
}

/* An attacker who knows the hash function rewrites event 50 and recomputes
 * every hash after it: the chain is consistent again, the signatures not. */
static void rewrite_from(sqlite3 *db, int from)
{
    sqlite3_stmt *sel = NULL, *upd = NULL;
    char prev[AR_AUDIT_HASH_HEX + 1];
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT hash FROM audit_events WHERE seq = ?", -1, &sel, NULL), SQLITE_OK);
    sqlite3_bind_int(sel, 1, from - 1);
    assert_int_equal(sqlite3_step(sel), SQLITE_ROW);
    snprintf(prev, sizeof prev, "%s", sqlite3_column_text(sel, 0));
    sqlite3_finalize(sel);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq, ts, actor, action, object, payload FROM audit_events WHERE seq >= ? ORDER BY seq", -1, &sel, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE audit_events SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?", -1, &upd, NULL), SQLITE_OK);
    sqlite3_bind_int(sel, 1, from);
    while (sqlite3_step(sel) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(sel, 0);
        const char *payload = seq == from ? "{\"n\":0,\"forged\":true}" : (const char *)sqlite3_column_text(sel, 5);
        char h[AR_AUDIT_HASH_HEX + 1];
        char *canon = NULL;
        assert_int_equal(ar__audit_event_hash(seq, sqlite3_column_int64(sel, 1),
                                              (const char *)sqlite3_column_text(sel, 2),
                                              (const char *)sqlite3_column_text(sel, 3),
                                              (const char *)sqlite3_column_text(sel, 4), payload,
                                              prev, h, &canon, NULL),
                         AR_OK);
        sqlite3_bind_text(upd, 1, canon, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(upd, 2, prev, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(upd, 3, h, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(upd, 4, seq);
        assert_int_equal(sqlite3_step(upd), SQLITE_DONE);
        sqlite3_reset(upd);
        free(canon);
        memcpy(prev, h, sizeof prev);
    }
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
}

static void test_audit_catches_a_rehashed_rewrite(void **state)
{
    (void)state;
    copy_log();
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(F.copy, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_append_only_u;", NULL, NULL, NULL), SQLITE_OK);
    rewrite_from(db, 50);
    sqlite3_close(db);
    ar_store *s = NULL;
    ar_error err;
    ar_audit_report rep;
    assert_int_equal(ar_store_open(F.ctx, F.copy, &s, &err), AR_OK);
    assert_int_equal(ar_audit_verify(F.ctx, s, F.pk, &rep, &err), AR_OK);
    ar_store_close(s);
    assert_int_equal(rep.problem, AR_AUDIT_BAD_CHECKPOINT);
    assert_int_equal(rep.first_bad_seq, 49); /* the checkpoint at 48 still holds */
    assert_non_null(strstr(rep.message, "checkpoint at event 64"));
}

static void test_audit_catches_a_missing_checkpoint(void **state)
{
    (void)state;
    ar_audit_report rep = tamper("DELETE FROM audit_checkpoints WHERE seq = 64");
    assert_int_equal(rep.problem, AR_AUDIT_MISSING_CHECKPOINT);
    assert_int_equal(rep.first_bad_seq, 64);
    rep = tamper("DELETE FROM audit_checkpoints WHERE seq = 192");
    assert_int_equal(rep.problem, AR_AUDIT_MISSING_CHECKPOINT);
    assert_int_equal(rep.first_bad_seq, 192);
}

static void test_audit_catches_a_truncated_tail(void **state)
{
    (void)state;
    ar_audit_report rep = tamper("DELETE FROM audit_events WHERE seq >= 190");
    assert_int_equal(rep.problem, AR_AUDIT_BAD_CHECKPOINT);
    assert_non_null(strstr(rep.message, "truncated"));
}

static void test_audit_refuses_another_key(void **state)
{
    (void)state;
    uint8_t other[AR_AUDIT_PUBLIC_KEY_BYTES];
    memcpy(other, F.pk, sizeof other);
    other[0] ^= 1;
    ar_store *s = NULL;
    ar_error err;
    ar_audit_report rep;
    assert_int_equal(ar_store_open(F.ctx, F.db, &s, &err), AR_OK);
    assert_int_equal(ar_audit_verify(F.ctx, s, other, &rep, &err), AR_OK);
    ar_store_close(s);
    assert_int_equal(rep.problem, AR_AUDIT_BAD_CHECKPOINT);
    assert_int_equal(rep.first_bad_seq, 1);
}

static void test_audit_rejects_bad_payloads_and_keys(void **state)
{
    (void)state;
    ar_store *s = NULL;
    ar_audit *a = NULL;
    ar_store_txn *t = NULL;
    ar_error err;
    assert_int_equal(ar_audit_keygen(F.key, F.pub, &err), AR_ECONFLICT); /* never overwrites */
    assert_int_equal(ar_audit_open(F.ctx, F.pub, EVERY, &a, &err), AR_ECORRUPT); /* wrong size */
    assert_int_equal(ar_audit_open(F.ctx, F.key, 0, &a, &err), AR_EINVAL);
    assert_int_equal(ar_store_open(F.ctx, F.db, &s, &err), AR_OK);
    assert_int_equal(ar_audit_open(F.ctx, F.key, EVERY, &a, &err), AR_OK);
    assert_int_equal(ar_store_write(s, &t, &err), AR_OK);
    assert_int_equal(ar_audit_append(a, t, 1, "x", "y", "z", "[1,2]", NULL, &err), AR_EINVAL);
    assert_int_equal(ar_audit_append(a, t, 1, "x", "y", "z", "{bad", NULL, &err), AR_EINVAL);
    ar_store_rollback(t);
    ar_audit_close(a);
    ar_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_audit_untouched_log_verifies),
        cmocka_unit_test(test_audit_payload_is_canonical),
        cmocka_unit_test(test_audit_catches_a_changed_event),
        cmocka_unit_test(test_audit_catches_a_deleted_event),
        cmocka_unit_test(test_audit_catches_an_inserted_event),
        cmocka_unit_test(test_audit_catches_swapped_events),
        cmocka_unit_test(test_audit_catches_a_rehashed_rewrite),
        cmocka_unit_test(test_audit_catches_a_missing_checkpoint),
        cmocka_unit_test(test_audit_catches_a_truncated_tail),
        cmocka_unit_test(test_audit_refuses_another_key),
        cmocka_unit_test(test_audit_rejects_bad_payloads_and_keys),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
