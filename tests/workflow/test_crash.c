/* tests/workflow/test_crash.c - a child process decides a stream of items
 * and is killed with SIGKILL at random points, many times. After each kill:
 * every decision the child acknowledged is present, nothing half-written is
 * visible (each decision has its notice, its audit event and its item's
 * outcome), and the audit log verifies. */
#include "workflow_test.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#define ITEMS  600
#define ROUNDS 25

static void write_request(const char *path)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "{\"authority\":{\"name\":\"Court\",\"country\":\"TR\",\"branch\":\"court\"},"
                "\"legal_basis\":{\"instrument\":\"Law 5651\",\"provision\":\"Art. 9\"},"
                "\"kind\":\"content_restriction\",\"received_at\":\"2026-11-20T10:00:00Z\","
                "\"items\":[");
    for (int i = 0; i < ITEMS; i++)
        fprintf(fp, "%s{\"id\":\"item-%d\"}", i ? "," : "", i);
    fprintf(fp, "]}");
    fclose(fp);
}

/* The child: decide every undecided item, acknowledging each decision on
 * the pipe only after ar_request_decide returned (that is, after commit). */
static void child(const char *dir, int64_t rid, int fd)
{
    ar_ctx *ctx = NULL;
    ar_workflow *w = NULL;
    ar_error err;
    ar_workflow_opts o = {.dir = dir};
    if (ar_ctx_new(NULL, &ctx, &err) != AR_OK || ar_workflow_open(ctx, &o, &w, &err) != AR_OK)
        _exit(2);
    for (int i = 0; i < ITEMS; i++) {
        char item[32], line[64];
        snprintf(item, sizeof item, "item-%d", i);
        ar_item_outcome oc = {.item = item, .outcome = "restrict"};
        int64_t did = 0;
        ar_status st = ar_request_decide(w, "lee", rid, &oc, &did, &err);
        if (st == AR_ECONFLICT)
            continue; /* decided in an earlier round */
        if (st != AR_OK)
            _exit(3);
        int n = snprintf(line, sizeof line, "%d %lld\n", i, (long long)did);
        if (write(fd, line, (size_t)n) != n)
            _exit(4);
    }
    _exit(0);
}

static void test_crash_loses_no_acknowledged_decision(void **state)
{
    wf *f = wf_new();
    char path[128];
    snprintf(path, sizeof path, "%s/request.json", f->dir);
    write_request(path);
    int64_t rid = wf_add_request(f, path);
    ar_workflow_close(f->w);
    f->w = NULL;
    static int64_t acked[ITEMS];
    memset(acked, 0, sizeof acked);
    unsigned seed = (unsigned)time(NULL);
    srand(seed);
    int nacked = 0, kills = 0;
    for (int round = 0; round < ROUNDS && nacked < ITEMS; round++) {
        int p[2];
        assert_int_equal(pipe(p), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(p[0]);
            child(f->dir, rid, p[1]);
        }
        close(p[1]);
        struct timespec ts = {0, (long)(5 + rand() % 120) * 1000000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        kills += WIFSIGNALED(status);
        if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
            fail_msg("child failed with %d (seed %u)", WEXITSTATUS(status), seed);
        FILE *in = fdopen(p[0], "r");
        int item;
        long long did;
        while (fscanf(in, "%d %lld", &item, &did) == 2) {
            assert_true(item >= 0 && item < ITEMS);
            if (!acked[item])
                nacked++;
            acked[item] = did;
        }
        fclose(in);

        wf_open(f);
        for (int i = 0; i < ITEMS; i++) {
            if (!acked[i])
                continue;
            char sql[256];
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM decisions d JOIN items i ON i.id = d.item_id"
                     " WHERE d.id = %lld AND i.platform_id = 'item-%d' AND d.scope = 'TR'",
                     (long long)acked[i], i);
            if (wf_count(f, sql) != 1)
                fail_msg("acknowledged decision %lld for item-%d is missing (seed %u)",
                         (long long)acked[i], i, seed);
            char item[32];
            snprintf(item, sizeof item, "item-%d", i);
            assert_int_equal(ar_workflow_visibility(f->w, item, "TR"), AR_RESTRICTED);
        }
        /* nothing half-written: each decision has all of its parts */
        int64_t decisions = wf_count(f, "SELECT count(*) FROM decisions");
        assert_int_equal(wf_count(f, "SELECT count(*) FROM user_notices"), decisions);
        assert_int_equal(wf_count(f, "SELECT count(*) FROM audit_events WHERE action = 'decision.create'"),
                         decisions);
        assert_int_equal(wf_count(f, "SELECT count(*) FROM legal_request_items WHERE outcome = 'restrict'"),
                         decisions);
        assert_true(decisions >= nacked);
        wf_assert_audit_intact(f);
        ar_workflow_close(f->w);
        f->w = NULL;
    }
    assert_true(kills > 0);
    print_message("%d kills, %d acknowledged decisions, all present (seed %u)\n", kills, nacked,
                  seed);
    wf_open(f);
    wf_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crash_loses_no_acknowledged_decision),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
