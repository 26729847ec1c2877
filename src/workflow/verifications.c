/*
 * verifications.c - every run of the audit log's verification, kept: when,
 * who ran it (a staff login, or "cli" for `arbiter audit verify`), what it
 * found. The console's audit page shows the last one and a short history,
 * so an auditor sees when the log was last known intact without running
 * a verification of the whole log on each visit.
 *
 * The record is written after the verification in a transaction of its
 * own, with an audit event ("audit.verify") appended to the very log that
 * was verified: a run that found the log broken is recorded too, and the
 * next run checks the new event like any other.
 */
#include "workflow_int.h"

#define HISTORY_DEFAULT 10
#define HISTORY_MAX     500

static ar_status record(ar_workflow *w, const char *actor, const ar_audit_report *rep,
                        int64_t *id, ar_error *err)
{
    ar_store_txn *t = NULL;
    ar__actor a = {0};
    const char *by = "cli", *audit_actor = "cli";
    ar_status st = ar_store_write(w->store, &t, err);
    if (st != AR_OK)
        return st;
    if (actor) {
        st = ar__actor_load(t, actor, &a, err);
        if (st == AR_OK && a.role != AR_ROLE_ADMIN && a.role != AR_ROLE_AUDITOR)
            st = ar_error_set(err, AR_EDENIED, "as", "only admins and auditors verify the audit log");
        by = actor;
        audit_actor = a.name;
    }
    bool intact = rep->problem == AR_AUDIT_INTACT;
    if (st == AR_OK) {
        ar_value p[] = {AR_VINT(ar__now(w)),
                        AR_VTEXT(by),
                        AR_VTEXT(ar_audit_problem_name(rep->problem)),
                        AR_VINT(intact),
                        AR_VINT(rep->events),
                        AR_VINT(rep->checkpoints),
                        AR_VINT(rep->last_checkpoint),
                        AR_VINT(rep->unsigned_tail),
                        intact ? AR_VNULL : AR_VINT(rep->first_bad_seq),
                        AR_VTEXT(rep->message)};
        st = ar_store_query_int(t,
                                "INSERT INTO audit_verifications (ran_at, ran_by, result, intact,"
                                " events, checkpoints, last_checkpoint, unsigned_tail,"
                                " first_bad_seq, message) VALUES (?,?,?,?,?,?,?,?,?,?)"
                                " RETURNING id",
                                p, AR_ARRAY_LEN(p), id, err);
    }
    if (st == AR_OK)
        st = ar__audit(w, t, audit_actor, "audit.verify", "verification", *id,
                       json_pack("{s:s, s:b, s:I, s:I, s:I}", "result",
                                 ar_audit_problem_name(rep->problem), "intact", intact, "events",
                                 (json_int_t)rep->events, "checkpoints",
                                 (json_int_t)rep->checkpoints, "first_bad_seq",
                                 (json_int_t)(intact ? 0 : rep->first_bad_seq)),
                       err);
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    return ar_store_commit(t, err);
}

ar_status ar_workflow_audit_verify_record(ar_workflow *w, const char *actor,
                                          ar_audit_report *report, int64_t *id, ar_error *err)
{
    if (!w || !report)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_workflow_audit_verify_record: NULL argument");
    if (actor && !*actor)
        return ar_error_set(err, AR_EINVAL, "as", "an empty login");
    ar_audit_report rep;
    int64_t vid = 0;
    ar_status st = ar_workflow_audit_verify(w, &rep, err);
    if (st == AR_OK)
        st = record(w, actor, &rep, &vid, err);
    if (st != AR_OK)
        return st;
    *report = rep;
    if (id)
        *id = vid;
    return AR_OK;
}

static ar_status add_run(void *ud, const ar_store_row *row, ar_error *err)
{
    static const char *const names[] = {"id",     "ran_at",      "ran_by",          "result",
                                        "intact", "events",      "checkpoints",     "last_checkpoint",
                                        "unsigned_tail", "first_bad_seq", "message"};
    static const bool ints[] = {true, true, false, false, true, true,
                                true, true, true,  true,  false};
    json_t *o = ar__row_object(row, names, AR_ARRAY_LEN(names), ints);
    if (o)
        json_object_set_new(o, "intact", json_boolean(json_integer_value(json_object_get(o, "intact"))));
    if (!o || json_array_append_new(ud, o) != 0)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory listing verifications");
    return AR_OK;
}

ar_status ar_audit_verifications_json(ar_workflow *w, size_t limit, char **json, ar_error *err)
{
    if (!w || !json)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_audit_verifications_json: NULL argument");
    if (limit > HISTORY_MAX)
        return ar_error_set(err, AR_EINVAL, "limit", "at most %d verifications at a time",
                            HISTORY_MAX);
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st != AR_OK)
        return st;
    json_t *a = json_array();
    st = ar_store_exec(t,
                       "SELECT id, ran_at, ran_by, result, intact, events, checkpoints,"
                       " last_checkpoint, unsigned_tail, first_bad_seq, message"
                       " FROM audit_verifications ORDER BY id DESC LIMIT ?",
                       (ar_value[]){AR_VINT(limit ? (int64_t)limit : HISTORY_DEFAULT)}, 1, add_run,
                       a, NULL, err);
    ar_store_rollback(t);
    if (st != AR_OK) {
        json_decref(a);
        return st;
    }
    return ar__json_out(a, json, err);
}
