/*
 * staff.c - the people who decide: logins, roles, argon2id passwords.
 * Staff are the only people the store names; platform users are never here.
 */
#include "workflow_int.h"

#include <ctype.h>
#include <sodium.h>

static bool login_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
            return false;
    return true;
}

ar_status ar_staff_add(ar_workflow *w, const char *actor, const char *login, ar_role role,
                       const char *password, int64_t *id, ar_error *err)
{
    if (!w)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_staff_add: NULL workflow");
    if (!login_valid(login))
        return ar_error_set(err, AR_EINVAL, "login",
                            "login must be 1-64 letters, digits, '.', '_' or '-'");
    if ((unsigned)role > AR_ROLE_AUDITOR)
        return ar_error_set(err, AR_EINVAL, "role", "unknown role");
    char hash[crypto_pwhash_STRBYTES] = "";
    if (password) {
        size_t n = strlen(password);
        if (n < 12 || n > 1024)
            return ar_error_set(err, AR_EINVAL, "password",
                                "a password must be 12 to 1024 bytes long");
        if (sodium_init() < 0 ||
            crypto_pwhash_str(hash, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            return ar_error_set(err, AR_ENOMEM, "password", "argon2id hashing failed");
    }
    ar_store_txn *t = NULL;
    ar_status st = ar_store_write(w->store, &t, err);
    if (st != AR_OK)
        return st;
    int64_t nstaff = 0, new_id = 0;
    ar__actor a = {0};
    char by[80] = "bootstrap";
    st = ar_store_query_int(t, "SELECT count(*) FROM staff", NULL, 0, &nstaff, err);
    if (st == AR_OK && nstaff == 0 && role != AR_ROLE_ADMIN)
        st = ar_error_set(err, AR_EDENIED, "role", "the first staff member must be an admin");
    if (st == AR_OK && nstaff > 0) {
        st = ar__actor_load(t, actor, &a, err);
        if (st == AR_OK)
            st = ar__actor_require(&a, AR_ROLE_ADMIN, "add staff", err);
        snprintf(by, sizeof by, "%s", a.name);
    }
    if (st == AR_OK) {
        ar_value p[] = {AR_VTEXT(login), AR_VTEXT(ar_role_name(role)),
                        password ? AR_VTEXT(hash) : AR_VNULL, AR_VINT(ar__now(w))};
        st = ar_store_query_int(t,
                                "INSERT INTO staff (login, role, password_hash, created_at)"
                                " VALUES (?,?,?,?) RETURNING id",
                                p, 4, &new_id, err);
        if (st == AR_ECONFLICT)
            st = ar_error_set(err, AR_ECONFLICT, "login", "staff member '%s' already exists",
                              login);
    }
    if (st == AR_OK)
        st = ar__audit(w, t, by, "staff.add", "staff", new_id,
                       json_pack("{s:s, s:s, s:b}", "login", login, "role", ar_role_name(role),
                                 "password", password != NULL),
                       err);
    sodium_memzero(hash, sizeof hash);
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    st = ar_store_commit(t, err);
    if (st == AR_OK && id)
        *id = new_id;
    return st;
}

typedef struct pw_row {
    char hash[crypto_pwhash_STRBYTES];
    char role[16];
    int64_t disabled;
    bool found;
} pw_row;

static ar_status take_pw(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    pw_row *p = ud;
    snprintf(p->hash, sizeof p->hash, "%s", ar_row_text(row, 0, NULL));
    snprintf(p->role, sizeof p->role, "%s", ar_row_text(row, 1, NULL));
    p->disabled = ar_row_int(row, 2);
    p->found = true;
    return AR_OK;
}

ar_status ar_staff_check_password(ar_workflow *w, const char *login, const char *password,
                                  ar_role *role, ar_error *err)
{
    if (!w || !login || !password)
        return ar_error_set(err, AR_EINVAL, NULL, "login and password are required");
    pw_row p = {0};
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st != AR_OK)
        return st;
    st = ar_store_exec(t, "SELECT password_hash, role, disabled FROM staff WHERE login = ?",
                       (ar_value[]){AR_VTEXT(login)}, 1, take_pw, &p, NULL, err);
    ar_store_rollback(t);
    if (st != AR_OK)
        return st;
    /* one answer for every failure, so a caller cannot probe for logins */
    bool ok = p.found && !p.disabled && p.hash[0] && sodium_init() >= 0 &&
              crypto_pwhash_str_verify(p.hash, password, strlen(password)) == 0;
    sodium_memzero(&p.hash, sizeof p.hash);
    if (!ok)
        return ar_error_set(err, AR_EDENIED, "password", "wrong login or password");
    if (role && ar_role_parse(p.role, role, err) != AR_OK)
        return ar_error_set(err, AR_ECORRUPT, "staff", "stored role is invalid");
    return AR_OK;
}
