/* tests/store/test_sqlite.c - the SQLite backend: migrations, transactions,
 * durability, constraints and the append-only tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arbiter/store.h"

typedef struct fixture {
    ar_ctx *ctx;
    char dir[64];
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ar-store-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/arbiter.db", f->dir);
    if (ar_ctx_new(NULL, &f->ctx, NULL) != AR_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    if (system(cmd) != 0)
        return -1;
    ar_ctx_free(f->ctx);
    free(f);
    return 0;
}

static void test_store_open_migrates_and_reopens(void **state)
{
    fixture *f = *state;
    ar_store *s = NULL;
    ar_error err;
    assert_int_equal(ar_store_open(f->ctx, f->path, &s, &err), AR_OK);
    int v = ar_store_schema_version(s);
    assert_true(v >= 1);
    assert_string_equal(ar_store_backend(s), "sqlite");
    ar_store_close(s);
    assert_int_equal(ar_store_open(f->ctx, f->path, &s, &err), AR_OK);
    assert_int_equal(ar_store_schema_version(s), v);
    ar_store_close(s);
}

static void test_store_committed_write_survives_reopen(void **state)
{
    fixture *f = *state;
    ar_store *s = NULL;
    ar_store_txn *t = NULL;
    ar_error err;
    assert_int_equal(ar_store_open(f->ctx, f->path, &s, &err), AR_OK);
    assert_int_equal(ar_store_write(s, &t, &err), AR_OK);
    ar_value p[] = {AR_VTEXT("post-1"), AR_VTEXT("post"), AR_VINT(1700000000)};
    int64_t changes = 0;
    assert_int_equal(ar_store_exec(t, "INSERT INTO items (platform_id, kind, created_at) VALUES (?,?,?)",
                                   p, 3, NULL, NULL, &changes, &err),
                     AR_OK);
    assert_int_equal(changes, 1);
    assert_int_equal(ar_store_commit(t, &err), AR_OK);
    ar_store_close(s);

    assert_int_equal(ar_store_open(f->ctx, f->path, &s, &err), AR_OK);
    assert_int_equal(ar_store_read(s, &t, &err), AR_OK);
    int64_t n = 0;
    assert_int_equal(ar_store_query_int(t, "SELECT count(*) FROM items WHERE platform_id = ?",
                                        (ar_value[]){AR_VTEXT("post-1")}, 1, &n, &err),
                     AR_OK);
    assert_int_equal(n, 1);
    ar_store_rollback(t);
    ar_store_close(s);
}

static void test_store_rollback_leaves_nothing(void **state)
{
    fixture *f = *state;
    ar_store *s = NULL;
    ar_store_txn *t = NULL;
    ar_error err;
    assert_int_equal(ar_store_open(f->ctx, f->path, &s, &err), AR_OK);
    assert_int_equal(ar_store_write(s, &t, &err), AR_OK);
    assert_int_equal(ar_store_exec(t, "INSERT INTO items (platform_id, kind, created_at) VALUES ('x','post',1)",
                                   NULL, 0, NULL, NULL, NULL, &err),
                     AR_OK);
    ar_store_rollback(t);
    assert_int_equal(ar_store_read(s, &t, &err), AR_OK);
    int64_t n = -1;
    assert_int_equal(ar_store_query_int(t, "SELECT count(*) FROM items", NULL, 0, &n, &err), AR_OK);
    assert_int_equal(n, 0);
    ar_store_rollback(t);
    ar_store_close(s);
}

static void test_store_constraint_is_conflict(void **state)
{
    fixture *f = *state;
    ar_store *s = NULL;
    ar_store_txn *t = NULL;
    ar_error err;
    assert_int_equal(ar_store_open(f->ctx, f->path, &s, &err), AR_OK);
    assert_int_equal(ar_store_write(s, &t, &err), AR_OK);
    assert_int_equal(ar_store_exec(t, "INSERT INTO items (platform_id, kind, created_at) VALUES ('x','nonsense',1)",
                                   NULL, 0, NULL, NULL, NULL, &err),
                     AR_ECONFLICT);
    assert_non_null(strstr(err.message, "CHECK"));
    ar_store_rollback(t);
    ar_store_close(s);
}

static void test_store_read_txn_refuses_writes(void **state)
{
    fixture *f = *state;
    ar_store *s = NULL;
    ar_store_txn *t = NULL;
    ar_error err;
    assert_int_equal(ar_store_open(f->ctx, f->path, &s, &err), AR_OK);
    assert_int_equal(ar_store_read(s, &t, &err), AR_OK);
    assert_int_not_equal(ar_store_exec(t, "INSERT INTO items (platform_id, kind, created_at) VALUES ('y','post',1)",
                                       NULL, 0, NULL, NULL, NULL, &err),
                         AR_OK);
    ar_store_rollback(t);
    ar_store_close(s);
}

static void test_store_decisions_are_append_only(void **state)
{
    fixture *f = *state;
    ar_store *s = NULL;
    ar_store_txn *t = NULL;
    ar_error err;
    assert_int_equal(ar_store_open(f->ctx, f->path, &s, &err), AR_OK);
    assert_int_equal(ar_store_write(s, &t, &err), AR_OK);
    assert_int_equal(ar_store_exec(t,
                                   "INSERT INTO items (platform_id, kind, created_at) VALUES ('p','post',1);",
                                   NULL, 0, NULL, NULL, NULL, &err),
                     AR_OK);
    assert_int_equal(ar_store_exec(t,
                                   "INSERT INTO decisions (item_id, action, scope, ground_kind, ground, source,"
                                   " automated_detection, automated_decision, decided_at, statement)"
                                   " VALUES (1,'remove','global','standard','spam','moderator',0,0,1,'spam')",
                                   NULL, 0, NULL, NULL, NULL, &err),
                     AR_OK);
    assert_int_equal(ar_store_exec(t, "UPDATE decisions SET action = 'none'", NULL, 0, NULL, NULL, NULL, &err),
                     AR_ECONFLICT);
    assert_non_null(strstr(err.message, "never edited"));
    assert_int_equal(ar_store_exec(t, "DELETE FROM decisions", NULL, 0, NULL, NULL, NULL, &err),
                     AR_ECONFLICT);
    /* a country scope needs a legal ground */
    assert_int_equal(ar_store_exec(t,
                                   "INSERT INTO decisions (item_id, action, scope, ground_kind, ground, source,"
                                   " automated_detection, automated_decision, decided_at, statement)"
                                   " VALUES (1,'restrict','PK','standard','spam','moderator',0,0,1,'x')",
                                   NULL, 0, NULL, NULL, NULL, &err),
                     AR_ECONFLICT);
    ar_store_rollback(t);
    ar_store_close(s);
}

static void test_store_refuses_a_file_that_is_not_a_database(void **state)
{
    fixture *f = *state;
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    fputs("this is not a database, it is a text file that is long enough to have a header\n", fp);
    fclose(fp);
    ar_store *s = NULL;
    ar_error err;
    assert_int_equal(ar_store_open(f->ctx, f->path, &s, &err), AR_ECORRUPT);
    assert_null(s);
}

static void test_store_refuses_a_newer_schema(void **state)
{
    fixture *f = *state;
    ar_store *s = NULL;
    ar_store_txn *t = NULL;
    ar_error err;
    assert_int_equal(ar_store_open(f->ctx, f->path, &s, &err), AR_OK);
    assert_int_equal(ar_store_write(s, &t, &err), AR_OK);
    assert_int_equal(ar_store_exec(t, "PRAGMA user_version=9999", NULL, 0, NULL, NULL, NULL, &err), AR_OK);
    assert_int_equal(ar_store_commit(t, &err), AR_OK);
    ar_store_close(s);
    assert_int_equal(ar_store_open(f->ctx, f->path, &s, &err), AR_ECORRUPT);
    assert_non_null(strstr(err.message, "newer"));
}

static void test_store_rejects_postgres_until_built(void **state)
{
    fixture *f = *state;
    ar_store *s = NULL;
    ar_error err;
    assert_int_equal(ar_store_open(f->ctx, "postgres://localhost/x", &s, &err), AR_EINVAL);
    assert_int_equal(ar_store_open(f->ctx, "", &s, &err), AR_EINVAL);
}

/*---- Migration 4: the indexes the reports read by ------------------------------------*/

static ar_status add_plan_line(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    char *plan = ud;
    const char *detail = ar_row_text(row, 3, NULL);
    size_t used = strlen(plan);
    snprintf(plan + used, 1024 - used, "%s\n", detail ? detail : "");
    return AR_OK;
}

/* The query plan of `sql` (bound to two integers), one step a line. */
static void plan_of(ar_store *s, const char *sql, char plan[1024])
{
    ar_store_txn *t = NULL;
    char q[512];
    plan[0] = '\0';
    snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
    assert_int_equal(ar_store_read(s, &t, NULL), AR_OK);
    assert_int_equal(ar_store_exec(t, q, (ar_value[]){AR_VINT(1), AR_VINT(2)}, 2, add_plan_line,
                                   plan, NULL, NULL),
                     AR_OK);
    ar_store_rollback(t);
}

/* The SoR export's window and a lookup by case use the new indexes. */
static void check_decision_indexes_used(ar_store *s)
{
    char plan[1024];
    plan_of(s,
            "SELECT d.id FROM decisions d JOIN items i ON i.id = d.item_id"
            " WHERE d.decided_at >= ? AND d.decided_at < ? ORDER BY d.id",
            plan);
    if (!strstr(plan, "INDEX decisions_decided_at "))
        fail_msg("the decided_at window does not use its index:\n%s", plan);
    plan_of(s, "SELECT action, ground FROM decisions WHERE case_id = ? OR case_id = ?", plan);
    if (!strstr(plan, "INDEX decisions_case "))
        fail_msg("a lookup by case does not use its index:\n%s", plan);
}

/* Checked on a new store: a later migration may add tables, so rewinding
 * user_version to 3 and reopening would replay more than migration 4. */
static void test_store_migration_4_indexes_decisions(void **state)
{
    fixture *f = *state;
    ar_store *s = NULL;
    assert_int_equal(ar_store_open(f->ctx, f->path, &s, NULL), AR_OK);
    assert_true(ar_store_schema_version(s) >= 4);
    check_decision_indexes_used(s);
    ar_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_open_migrates_and_reopens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_committed_write_survives_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_rollback_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_constraint_is_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_read_txn_refuses_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_decisions_are_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_refuses_a_file_that_is_not_a_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_refuses_a_newer_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_rejects_postgres_until_built, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_migration_4_indexes_decisions, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
