/*
 * bench/decisions/decisions_bench.c - durable decisions per second.
 *
 * Side by side, one process, one writer, each write its own committed
 * transaction (durable on return: WAL + synchronous=FULL):
 *   ceiling: SQLite inserting the same decision rows as plain rows into a
 *            table of the same shape, nothing else;
 *   arbiter: ar_request_decide() on the items of a legal request: the
 *            decision, its user notice, the item's outcome, the request's
 *            status, the audit event with its hash chain and a signed
 *            checkpoint every 64 events, all committed together.
 * Prints decisions/s for both, the ratio, and the goal (>= 50%).
 *
 * usage: bench_decisions [N]   (default 3000 decisions each)
 */
#include "arbiter/arbiter.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_decisions: %s: %s\n", what, msg);
    exit(1);
}

static double plain_rows(const char *dir, int n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/plain.db", dir);
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        die("sqlite3_open", sqlite3_errmsg(db));
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                 "CREATE TABLE decisions (id INTEGER PRIMARY KEY, item_id INTEGER, action TEXT,"
                 " scope TEXT, ground_kind TEXT, ground TEXT, source TEXT,"
                 " automated_detection INTEGER, automated_decision INTEGER, decided_by INTEGER,"
                 " decided_at INTEGER, statement TEXT, supersedes INTEGER,"
                 " request_item_id INTEGER, case_id INTEGER)",
                 NULL, NULL, NULL);
    sqlite3_stmt *ins = NULL;
    sqlite3_prepare_v2(db,
                       "INSERT INTO decisions (item_id, action, scope, ground_kind, ground, source,"
                       " automated_detection, automated_decision, decided_by, decided_at,"
                       " statement, request_item_id) VALUES (?,'restrict','TR','legal',"
                       "'Law 5651 Art. 9','legal_order',0,0,1,?,?,?)",
                       -1, &ins, NULL);
    const char *statement = "Withheld in TR only, in response to legal request 1 citing Law 5651"
                            " Art. 9. Our review found the content unlawful there under that"
                            " provision; it does not break our community standards and stays"
                            " available elsewhere.";
    double t0 = now();
    for (int i = 0; i < n; i++) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        sqlite3_bind_int(ins, 1, i + 1);
        sqlite3_bind_int64(ins, 2, 1795168800 + i);
        sqlite3_bind_text(ins, 3, statement, -1, SQLITE_STATIC);
        sqlite3_bind_int(ins, 4, i + 1);
        if (sqlite3_step(ins) != SQLITE_DONE)
            die("insert", sqlite3_errmsg(db));
        sqlite3_reset(ins);
        if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            die("commit", sqlite3_errmsg(db));
    }
    double secs = now() - t0;
    sqlite3_finalize(ins);
    sqlite3_close(db);
    return n / secs;
}

static double arbiter_decisions(const char *dir, int n)
{
    char wdir[256];
    snprintf(wdir, sizeof wdir, "%s/wf", dir);
    ar_ctx *ctx = NULL;
    ar_error err;
    ar_workflow *w = NULL;
    if (ar_ctx_new(NULL, &ctx, &err) != AR_OK || ar_workflow_init(ctx, wdir, NULL, &err) != AR_OK)
        die("init", err.message);
    ar_workflow_opts o = {.dir = wdir, .flags = AR_WORKFLOW_INDEX};
    if (ar_workflow_open(ctx, &o, &w, &err) != AR_OK ||
        ar_staff_add(w, NULL, "root", AR_ROLE_ADMIN, NULL, NULL, &err) != AR_OK ||
        ar_staff_add(w, "root", "lee", AR_ROLE_LEGAL, NULL, NULL, &err) != AR_OK)
        die("setup", err.message);
    size_t cap = (size_t)n * 24 + 512, len = 0;
    char *json = malloc(cap);
    len += (size_t)snprintf(json + len, cap - len,
                            "{\"authority\":{\"name\":\"Court\",\"country\":\"TR\",\"branch\":"
                            "\"court\"},\"legal_basis\":{\"instrument\":\"Law 5651\",\"provision\":"
                            "\"Art. 9\"},\"kind\":\"content_restriction\",\"received_at\":"
                            "\"2026-11-20T10:00:00Z\",\"items\":[");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(json + len, cap - len, "%s{\"id\":\"p%d\"}", i ? "," : "", i);
    len += (size_t)snprintf(json + len, cap - len, "]}");
    ar_legal_request *r = NULL;
    int64_t rid = 0;
    if (ar_legal_request_parse(ctx, json, len, &r, &err) != AR_OK ||
        ar_request_add(w, "lee", r, &rid, &err) != AR_OK)
        die("request", err.message);
    ar_legal_request_free(r);
    free(json);
    double t0 = now();
    for (int i = 0; i < n; i++) {
        char item[32];
        snprintf(item, sizeof item, "p%d", i);
        ar_item_outcome oc = {.item = item, .outcome = "restrict"};
        if (ar_request_decide(w, "lee", rid, &oc, NULL, &err) != AR_OK)
            die("decide", err.message);
    }
    double secs = now() - t0;
    ar_audit_report rep;
    if (ar_workflow_audit_verify(w, &rep, &err) != AR_OK || rep.problem != AR_AUDIT_INTACT)
        die("audit", rep.message);
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    return n / secs;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 3000;
    if (n <= 0 || n > 10000000)
        die("usage", "bench_decisions [N], N in 1..10000000");
    char dir[] = "/tmp/ar-bench-dec-XXXXXX";
    if (!mkdtemp(dir))
        die("mkdtemp", "failed");
    printf("durable decisions, one committed transaction each, %d each, dir %s\n", n, dir);
    double plain = plain_rows(dir, n);
    double arb = arbiter_decisions(dir, n);
    printf("%-44s %10.0f decisions/s\n", "ceiling: SQLite plain-row inserts", plain);
    printf("%-44s %10.0f decisions/s\n", "arbiter: decision + notice + audit chain", arb);
    printf("ratio arbiter/ceiling: %.2f  (goal >= 0.50: %s)\n", arb / plain,
           arb / plain >= 0.5 ? "PASS" : "MISS");
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
