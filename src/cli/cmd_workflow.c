/*
 * cmd_workflow.c - the decision workflow from the command line: init,
 * user, request, case, notice, appeal, item, visibility, audit.
 *
 * Every command takes --dir DIR (default ./var); every change names its
 * actor with --as NAME, whose role the library checks. New ids are printed
 * alone on stdout; --json prints documents as JSON.
 */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_DIR "./var"

typedef struct opts {
    const char *dir, *as, *role, *item, *outcome, *reason, *standard, *statement, *categories;
    const char *withhold_basis, *withhold_until, *status, *state, *kind, *to, *action;
    const char *countries, *legal_basis, *country, *grounds, *appellant, *jurisdictions;
    long long accounts, decision;
    bool json, password_stdin, help;
    const char *args[4];
    int nargs;
} opts;

/* Parse the options every workflow command shares; positional arguments go
 * to o->args. Exits 2 on an unknown option. */
static void parse(const char *cmd, int argc, char **argv, int first, opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) /* --help anywhere, before any subcommand too */
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            o->help = true;
            return;
        }
    o->dir = getenv("ARBITER_DIR") ? getenv("ARBITER_DIR") : DEFAULT_DIR;
    o->accounts = -1;
    struct {
        const char *name;
        const char **dst;
    } str[] = {{"--dir", &o->dir},           {"--as", &o->as},
               {"--role", &o->role},         {"--item", &o->item},
               {"--outcome", &o->outcome},   {"--reason", &o->reason},
               {"--standard", &o->standard}, {"--statement", &o->statement},
               {"--categories", &o->categories}, {"--withhold-basis", &o->withhold_basis},
               {"--withhold-until", &o->withhold_until}, {"--status", &o->status},
               {"--state", &o->state},       {"--kind", &o->kind},
               {"--to", &o->to},             {"--action", &o->action},
               {"--countries", &o->countries}, {"--legal-basis", &o->legal_basis},
               {"--country", &o->country},   {"--grounds", &o->grounds},
               {"--appellant", &o->appellant}, {"--jurisdictions", &o->jurisdictions}};
    for (int i = first; i < argc; i++) {
        const char *v = NULL;
        bool done = false;
        for (size_t k = 0; k < sizeof str / sizeof str[0] && !done; k++)
            if ((v = cli_opt(argc, argv, &i, str[k].name))) {
                *str[k].dst = v;
                done = true;
            }
        if (done)
            continue;
        long long *num = NULL;
        if ((v = cli_opt(argc, argv, &i, "--accounts")))
            num = &o->accounts;
        else if ((v = cli_opt(argc, argv, &i, "--decision")))
            num = &o->decision;
        if (num) {
            char *end;
            errno = 0;
            *num = strtoll(v, &end, 10);
            if (*end || !*v || errno || *num < 0) {
                fprintf(stderr, "arbiter %s: '%s' is not a non-negative number\n", cmd, v);
                exit(CLI_EXIT_USAGE);
            }
        } else if (!strcmp(argv[i], "--json")) {
            o->json = true;
        } else if (!strcmp(argv[i], "--password-stdin")) {
            o->password_stdin = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "arbiter %s: unknown option '%s' (see --help)\n", cmd, argv[i]);
            exit(CLI_EXIT_USAGE);
        } else if (o->nargs < 4) {
            o->args[o->nargs++] = argv[i];
        } else {
            fprintf(stderr, "arbiter %s: too many arguments\n", cmd);
            exit(CLI_EXIT_USAGE);
        }
    }
}

static int fail(const char *cmd, const ar_error *err)
{
    cli_report(cmd, err);
    return CLI_EXIT_FAIL;
}

static int usage_error(const char *cmd, const char *msg)
{
    fprintf(stderr, "arbiter %s: %s (see --help)\n", cmd, msg);
    return CLI_EXIT_USAGE;
}

static ar_workflow *open_dir(ar_ctx *ctx, const opts *o, unsigned flags, ar_error *err)
{
    ar_workflow_opts wo = {.dir = o->dir, .flags = flags};
    ar_workflow *w = NULL;
    if (ar_workflow_open(ctx, &wo, &w, err) != AR_OK)
        return NULL;
    return w;
}

static bool parse_id(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || *end || errno || v <= 0)
        return false;
    *out = v;
    return true;
}

static char *read_file(const char *path, size_t *len, ar_error *err)
{
    FILE *f = !strcmp(path, "-") ? stdin : fopen(path, "rb");
    if (!f) {
        ar_error_set(err, AR_ENOTFOUND, "file", "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || cap >= (16u << 20) + 1)
            break;
        char *p = realloc(buf, cap * 2);
        if (!p) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = p;
        cap *= 2;
    }
    if (f != stdin)
        fclose(f);
    if (!buf)
        ar_error_set(err, AR_ENOMEM, "file", "out of memory reading '%s'", path);
    *len = n;
    return buf;
}

/* A column of a human-readable table: a key of each row object, a heading
 * and a width (the last column takes what it needs). */
typedef struct column {
    const char *key, *heading;
    int width;
} column;

static void print_value(json_t *v, int width)
{
    char buf[256];
    if (json_is_string(v))
        snprintf(buf, sizeof buf, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
    else if (json_is_boolean(v))
        snprintf(buf, sizeof buf, "%s", json_is_true(v) ? "yes" : "no");
    else
        snprintf(buf, sizeof buf, "-");
    if (width > 0)
        printf("%-*.*s ", width, width, buf);
    else
        printf("%s", buf);
}

/* Times are Unix seconds in the JSON; people read RFC 3339. */
static void print_times(json_t *row)
{
    const char *key;
    json_t *v;
    json_object_foreach(row, key, v) {
        size_t n = strlen(key);
        if (n > 3 && !strcmp(key + n - 3, "_at") && json_is_integer(v)) {
            char t[21];
            ar_time_format(json_integer_value(v), t);
            json_object_set_new(row, key, json_string(t));
        }
    }
}

static void print_table(json_t *rows, const column *cols, size_t ncols)
{
    for (size_t c = 0; c < ncols; c++)
        printf(cols[c].width > 0 ? "%-*s " : "%*s", cols[c].width, cols[c].heading);
    printf("\n");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        print_times(row);
        for (size_t c = 0; c < ncols; c++)
            print_value(json_object_get(row, cols[c].key), cols[c].width);
        printf("\n");
    }
}

/* Print a document from the library: as it is with --json, else as a table
 * (`cols`) or, for one object, as "key: value" lines. */
static int print_doc(char *json, const opts *o, const column *cols, size_t ncols)
{
    json_t *doc = o->json ? NULL : json_loads(json, 0, NULL);
    if (!doc) {
        printf("%s\n", json);
    } else if (json_is_array(doc)) {
        print_table(doc, cols, ncols);
    } else {
        print_times(doc);
        const char *key;
        json_t *v;
        json_object_foreach(doc, key, v) {
            if (json_is_array(v))
                continue;
            printf("%-16s ", key);
            print_value(v, 0);
            printf("\n");
        }
        json_object_foreach(doc, key, v) {
            if (json_is_array(v)) {
                printf("\n%s:\n", key);
                print_table(v, cols, ncols);
            }
        }
    }
    json_decref(doc);
    free(json);
    return CLI_EXIT_OK;
}

static const column request_cols[] = {
    {"id", "ID", 5},          {"country", "CC", 3},         {"kind", "KIND", 20},
    {"status", "STATUS", 16}, {"deadline_at", "DEADLINE", 21}, {"overdue", "OVERDUE", 8},
    {"awaiting_sign_off", "SIGN-OFF", 9}, {"authority", "AUTHORITY", 0}};
static const column request_item_cols[] = {
    {"item", "ITEM", 24},          {"outcome", "OUTCOME", 10}, {"decline_reason", "REASON", 17},
    {"decided_by", "BY", 10},      {"decision", "DECISION", 9}, {"notice", "NOTICE", 9},
    {"proposed_outcome", "PROPOSED", 9}, {"proposed_by", "PROPOSER", 0}};
static const column case_cols[] = {
    {"id", "ID", 5},           {"kind", "KIND", 7},      {"state", "STATE", 10},
    {"priority", "PRIO", 5},   {"standard", "STANDARD", 14}, {"assignee", "ASSIGNEE", 10},
    {"created_at", "OPENED", 21}, {"item", "ITEM", 0}};
static const column decision_cols[] = {
    {"id", "ID", 5},         {"action", "ACTION", 16},   {"scope", "SCOPE", 8},
    {"source", "SOURCE", 12}, {"ground", "GROUND", 18},  {"decided_by", "BY", 8},
    {"superseded_by", "SUPERSEDED", 11}, {"notice", "NOTICE", 0}};

/*---- init and user ----------------------------------------------------------*/

int cli_init(int argc, char **argv)
{
    opts o;
    parse("init", argc, argv, 1, &o);
    if (o.help) {
        printf("usage: arbiter init [DIR] [--jurisdictions FILE]\n\n"
               "Create DIR (default %s, or $ARBITER_DIR): the SQLite store, the audit log's\n"
               "Ed25519 signing key (audit.key, mode 0600) and public key (audit.pub), and a\n"
               "copy of the deadline rules (default policies/jurisdictions.yaml if present).\n"
               "Refuses a DIR that exists and is not empty.\n",
               DEFAULT_DIR);
        return CLI_EXIT_OK;
    }
    const char *dir = o.nargs ? o.args[0] : o.dir;
    const char *jur = o.jurisdictions;
    if (!jur && access("policies/jurisdictions.yaml", R_OK) == 0)
        jur = "policies/jurisdictions.yaml";
    ar_ctx *ctx = cli_ctx_new(false);
    ar_error err;
    int rc = ar_workflow_init(ctx, dir, jur, &err) == AR_OK ? CLI_EXIT_OK : fail("init", &err);
    if (rc == CLI_EXIT_OK)
        fprintf(stderr, "arbiter: initialised %s%s%s\n", dir, jur ? " with deadlines from " : "",
                jur ? jur : "");
    ar_ctx_free(ctx);
    return rc;
}

static char *read_password(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line;
}

int cli_user(int argc, char **argv)
{
    opts o;
    parse("user", argc, argv, 2, &o);
    if (o.help || argc < 2 || strcmp(argv[1], "add") != 0) {
        printf("usage: arbiter user add NAME --role moderator|legal|admin|auditor\n"
               "                        [--password-stdin] [--as ADMIN] [--dir DIR]\n\n"
               "Add a staff member. The first one must be an admin and needs no --as; after\n"
               "that an admin adds the others. --password-stdin reads a console password\n"
               "(12+ bytes) from the first line of standard input; it is stored as argon2id.\n");
        return o.help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    if (o.nargs != 1 || !o.role)
        return usage_error("user add", "NAME and --role are required");
    ar_ctx *ctx = cli_ctx_new(false);
    ar_error err;
    ar_role role;
    char *pw = NULL;
    int rc = CLI_EXIT_FAIL;
    ar_workflow *w = NULL;
    if (ar_role_parse(o.role, &role, &err) != AR_OK) {
        rc = fail("user add", &err);
    } else if (o.password_stdin && !(pw = read_password())) {
        fprintf(stderr, "arbiter user add: no password on standard input\n");
    } else if (!(w = open_dir(ctx, &o, 0, &err))) {
        rc = fail("user add", &err);
    } else {
        int64_t id = 0;
        if (ar_staff_add(w, o.as, o.args[0], role, pw, &id, &err) == AR_OK) {
            printf("%lld\n", (long long)id);
            rc = CLI_EXIT_OK;
        } else {
            rc = fail("user add", &err);
        }
    }
    if (pw) {
        memset(pw, 0, strlen(pw));
        free(pw);
    }
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    return rc;
}

/*---- request ------------------------------------------------------------------*/

static void request_usage(void)
{
    printf("usage: arbiter request add FILE.json --as NAME          (prints the new id)\n"
           "       arbiter request show ID [--json]\n"
           "       arbiter request list [--status S] [--json]\n"
           "       arbiter request decide ID --item X --outcome OUTCOME --as LEGAL [options]\n"
           "       arbiter request sign-off ID --item X --as LEGAL\n"
           "       arbiter request reject ID --item X --reason TEXT --as LEGAL\n"
           "       arbiter request notify ID --as LEGAL\n"
           "       arbiter request close ID --as LEGAL\n\n"
           "OUTCOME: restrict (in the requesting country only), remove (everywhere; needs\n"
           "--standard, the community standard the item breaks), decline (needs --reason\n"
           "no_legal_basis|overbroad|not_identifiable|not_our_content|rights_concern),\n"
           "need-info; for user-data requests disclose (--categories basic_subscriber,...\n"
           "--accounts N: the categories and the count, never the data); for preservation\n"
           "requests preserve.\n"
           "options: --statement TEXT (the statement of reasons; a default is written for\n"
           "restrict/remove), --withhold-basis TEXT --withhold-until RFC3339 (hold the user\n"
           "notice: only with a legal basis and an expiry), --dir DIR.\n\n"
           "Four eyes: for the request kinds the policy in force names (legal_review:\n"
           "four_eyes), decide only proposes the outcome (nothing takes effect; a note goes\n"
           "to stderr); a different legal reviewer then signs it off (it takes effect; the\n"
           "decision id is printed) or rejects it with --reason (the item is undecided\n"
           "again). The proposer can do neither.\n\n"
           "The file: {\"authority\": {\"name\", \"country\", \"branch\"}, \"legal_basis\":\n"
           "{\"instrument\", \"provision\"}, \"kind\", \"received_at\", \"items\": [{\"id\", \"url\"}],\n"
           "optional \"external_ref\", \"emergency\", \"document_hash\": \"sha256:...\"}.\n");
}

static int request_add(ar_workflow *w, ar_ctx *ctx, const opts *o)
{
    ar_error err;
    size_t len = 0;
    char *text = read_file(o->args[0], &len, &err);
    ar_legal_request *r = NULL;
    int64_t id = 0;
    int rc = CLI_EXIT_FAIL;
    if (!text || ar_legal_request_parse(ctx, text, len, &r, &err) != AR_OK ||
        ar_request_add(w, o->as, r, &id, &err) != AR_OK) {
        rc = fail("request add", &err);
    } else {
        printf("%lld\n", (long long)id);
        rc = CLI_EXIT_OK;
    }
    ar_legal_request_free(r);
    free(text);
    return rc;
}

/* Whether item `item` of request `id` has a proposal awaiting sign-off. */
static bool proposed(ar_workflow *w, int64_t id, const char *item)
{
    char *json = NULL;
    if (ar_request_show_json(w, id, &json, NULL) != AR_OK)
        return false;
    json_t *doc = json_loads(json, 0, NULL), *it;
    free(json);
    size_t i;
    bool found = false;
    json_array_foreach(json_object_get(doc, "items"), i, it) {
        const char *name = json_string_value(json_object_get(it, "item"));
        found |= name && !strcmp(name, item) &&
                 json_is_string(json_object_get(it, "proposed_outcome"));
    }
    json_decref(doc);
    return found;
}

static int request_decide(ar_workflow *w, const opts *o, int64_t id)
{
    ar_error err;
    if (!o->item || !o->outcome)
        return usage_error("request decide", "--item and --outcome are required");
    char outcome[32];
    snprintf(outcome, sizeof outcome, "%s", o->outcome);
    for (char *p = outcome; *p; p++)
        if (*p == '-')
            *p = '_';
    int64_t until = 0;
    if (o->withhold_until && ar_time_parse(o->withhold_until, "withhold-until", &until, &err) != AR_OK)
        return fail("request decide", &err);
    ar_item_outcome oc = {.item = o->item,
                          .outcome = outcome,
                          .reason = o->reason,
                          .standard = o->standard,
                          .statement = o->statement,
                          .data_categories = o->categories,
                          .accounts = o->accounts < 0 ? 0 : o->accounts,
                          .withhold_basis = o->withhold_basis,
                          .withhold_until = until};
    int64_t did = 0;
    if (ar_request_decide(w, o->as, id, &oc, &did, &err) != AR_OK)
        return fail("request decide", &err);
    if (did)
        printf("%lld\n", (long long)did);
    else if (proposed(w, id, o->item))
        fprintf(stderr, "arbiter request decide: proposed; it takes effect when a second legal"
                        " reviewer signs it off (arbiter request sign-off %lld --item %s)\n",
                (long long)id, o->item);
    return CLI_EXIT_OK;
}

/* Four eyes: sign off (reason NULL) or reject the proposal for o->item. */
static int request_proposal(ar_workflow *w, const opts *o, int64_t id, bool reject)
{
    const char *cmd = reject ? "request reject" : "request sign-off";
    ar_error err;
    int64_t did = 0;
    if (!o->item)
        return usage_error(cmd, "--item is required");
    if (reject && !o->reason)
        return usage_error(cmd, "--reason is required");
    ar_status st = reject ? ar_request_reject_proposal(w, o->as, id, o->item, o->reason, &err)
                          : ar_request_sign_off(w, o->as, id, o->item, &did, &err);
    if (st != AR_OK)
        return fail(cmd, &err);
    if (did)
        printf("%lld\n", (long long)did);
    return CLI_EXIT_OK;
}

int cli_request(int argc, char **argv)
{
    opts o;
    parse("request", argc, argv, 2, &o);
    const char *sub = argc >= 2 ? argv[1] : "";
    if (o.help || argc < 2 || !strcmp(sub, "--help") || !strcmp(sub, "-h")) {
        request_usage();
        return o.help || argc >= 2 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    int64_t id = 0;
    bool needs_id = strcmp(sub, "add") && strcmp(sub, "list");
    if (!strcmp(sub, "add") && o.nargs != 1)
        return usage_error("request add", "FILE.json is required");
    if (needs_id && (o.nargs != 1 || !parse_id(o.args[0], &id)))
        return usage_error("request", "a request ID is required");
    ar_ctx *ctx = cli_ctx_new(false);
    ar_error err;
    ar_workflow *w = open_dir(ctx, &o, 0, &err);
    int rc = CLI_EXIT_FAIL;
    char *json = NULL;
    if (!w)
        rc = fail("request", &err);
    else if (!strcmp(sub, "add"))
        rc = request_add(w, ctx, &o);
    else if (!strcmp(sub, "show"))
        rc = ar_request_show_json(w, id, &json, &err) == AR_OK
                 ? print_doc(json, &o, request_item_cols, CLI_LEN(request_item_cols))
                 : fail("request show", &err);
    else if (!strcmp(sub, "list"))
        rc = ar_request_list_json(w, o.status, &json, &err) == AR_OK
                 ? print_doc(json, &o, request_cols, CLI_LEN(request_cols))
                 : fail("request list", &err);
    else if (!strcmp(sub, "decide"))
        rc = request_decide(w, &o, id);
    else if (!strcmp(sub, "sign-off") || !strcmp(sub, "reject"))
        rc = request_proposal(w, &o, id, !strcmp(sub, "reject"));
    else if (!strcmp(sub, "notify"))
        rc = ar_request_mark_notified(w, o.as, id, &err) == AR_OK ? CLI_EXIT_OK
                                                                   : fail("request notify", &err);
    else if (!strcmp(sub, "close"))
        rc = ar_request_close(w, o.as, id, &err) == AR_OK ? CLI_EXIT_OK
                                                           : fail("request close", &err);
    else
        rc = usage_error("request", "unknown subcommand");
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    return rc;
}

/*---- case ------------------------------------------------------------------------*/

int cli_case(int argc, char **argv)
{
    opts o;
    parse("case", argc, argv, 2, &o);
    const char *sub = argc >= 2 ? argv[1] : "";
    if (o.help || argc < 2 || sub[0] == '-') {
        printf("usage: arbiter case list [--state open|in_review|decided|closed] [--kind flag|notice|appeal]\n"
               "       arbiter case assign ID --to NAME --as NAME\n"
               "       arbiter case escalate ID --reason TEXT --as NAME\n"
               "       arbiter case decide ID --action none|label|remove|suspend_account --as NAME\n"
               "                          [--standard ID] [--statement TEXT]\n"
               "       arbiter case decide ID --action restrict --countries PK[,IN] --legal-basis TEXT\n"
               "                          --as LEGAL   (a country restriction needs a legal basis)\n\n"
               "Lists print a table (JSON with --json), oldest first within priority.\n"
               "Escalating puts a case back in the queue, unassigned, ahead of ordinary\n"
               "work. Appeals are decided with\n"
               "`arbiter appeal decide`.\n");
        return o.help || argc >= 2 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    int64_t id = 0;
    if (strcmp(sub, "list") != 0 && (o.nargs != 1 || !parse_id(o.args[0], &id)))
        return usage_error("case", "a case ID is required");
    ar_ctx *ctx = cli_ctx_new(false);
    ar_error err;
    ar_workflow *w = open_dir(ctx, &o, 0, &err);
    int rc = CLI_EXIT_FAIL;
    char *json = NULL;
    int64_t did = 0;
    if (!w) {
        rc = fail("case", &err);
    } else if (!strcmp(sub, "list")) {
        rc = ar_case_list_json(w, &(ar_case_filter){.state = o.state, .kind = o.kind}, &json, &err) == AR_OK
                 ? print_doc(json, &o, case_cols, CLI_LEN(case_cols))
                 : fail("case list", &err);
    } else if (!strcmp(sub, "assign")) {
        rc = !o.to ? usage_error("case assign", "--to NAME is required")
             : ar_case_assign(w, o.as, id, o.to, &err) == AR_OK ? CLI_EXIT_OK
                                                                 : fail("case assign", &err);
    } else if (!strcmp(sub, "escalate")) {
        rc = !o.reason ? usage_error("case escalate", "--reason TEXT is required")
             : ar_case_escalate(w, o.as, id, o.reason, &err) == AR_OK ? CLI_EXIT_OK
                                                                      : fail("case escalate", &err);
    } else if (!strcmp(sub, "decide")) {
        ar_case_decision d = {.action = o.action,
                              .standard = o.standard,
                              .countries = o.countries,
                              .legal_basis = o.legal_basis,
                              .statement = o.statement ? o.statement : o.reason};
        if (ar_case_decide(w, o.as, id, &d, &did, &err) == AR_OK) {
            printf("%lld\n", (long long)did);
            rc = CLI_EXIT_OK;
        } else {
            rc = fail("case decide", &err);
        }
    } else {
        rc = usage_error("case", "unknown subcommand");
    }
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    return rc;
}

/*---- notice and appeal -------------------------------------------------------------*/

static int notice_add(ar_workflow *w, const opts *o)
{
    ar_error err;
    size_t len = 0;
    char *text = read_file(o->args[0], &len, &err);
    if (!text)
        return fail("notice add", &err);
    ar_notice *n = NULL;
    int64_t cid = 0;
    int rc = ar_notice_parse(NULL, text, len, &n, &err) == AR_OK &&
                     ar_notice_add(w, ar_notice_fields(n), &cid, &err) == AR_OK
                 ? CLI_EXIT_OK
                 : fail("notice add", &err);
    if (rc == CLI_EXIT_OK)
        printf("%lld\n", (long long)cid);
    ar_notice_free(n);
    free(text);
    return rc;
}

int cli_notice(int argc, char **argv)
{
    opts o;
    parse("notice", argc, argv, 2, &o);
    if (o.help || argc < 2 || strcmp(argv[1], "add") != 0 || o.nargs != 1) {
        printf("usage: arbiter notice add FILE.json [--dir DIR]   (prints the review case id)\n\n"
               "A notice from a user or trusted flagger (DSA Art. 16): {\"item\": {\"id\", \"url\"},\n"
               "\"notifier_kind\": \"user|trusted_flagger|authority\", \"notifier_ref\": opaque,\n"
               "\"category\", \"explanation\", \"location\", \"good_faith\": true}.\n");
        return o.help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    ar_ctx *ctx = cli_ctx_new(false);
    ar_error err;
    ar_workflow *w = open_dir(ctx, &o, 0, &err);
    int rc = w ? notice_add(w, &o) : fail("notice", &err);
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    return rc;
}

int cli_appeal(int argc, char **argv)
{
    opts o;
    parse("appeal", argc, argv, 2, &o);
    const char *sub = argc >= 2 ? argv[1] : "";
    if (o.help || (strcmp(sub, "add") && strcmp(sub, "decide"))) {
        printf("usage: arbiter appeal add --decision ID --grounds TEXT\n"
               "                          [--appellant affected_user|notifier|authority]\n"
               "       arbiter appeal decide CASE --outcome upheld|reversed --reason TEXT --as NAME\n\n"
               "An appeal is decided by someone other than the original decider; appeals\n"
               "against legal orders by a legal reviewer. A reversal supersedes the decision.\n");
        return o.help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    ar_ctx *ctx = cli_ctx_new(false);
    ar_error err;
    ar_workflow *w = open_dir(ctx, &o, 0, &err);
    int rc = CLI_EXIT_FAIL;
    int64_t id = 0;
    if (!w) {
        rc = fail("appeal", &err);
    } else if (!strcmp(sub, "add")) {
        if (!o.decision)
            rc = usage_error("appeal add", "--decision ID is required");
        else if (ar_appeal_add(w, o.decision, o.appellant ? o.appellant : "affected_user",
                               o.grounds, &id, &err) == AR_OK) {
            printf("%lld\n", (long long)id);
            rc = CLI_EXIT_OK;
        } else
            rc = fail("appeal add", &err);
    } else if (o.nargs != 1 || !parse_id(o.args[0], &id)) {
        rc = usage_error("appeal decide", "a case ID is required");
    } else {
        int64_t did = 0;
        if (ar_appeal_decide(w, o.as, id, o.outcome, o.statement ? o.statement : o.reason, &did,
                             &err) == AR_OK) {
            if (did)
                printf("%lld\n", (long long)did);
            rc = CLI_EXIT_OK;
        } else
            rc = fail("appeal decide", &err);
    }
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    return rc;
}

/*---- item, visibility, audit ---------------------------------------------------------*/

int cli_item(int argc, char **argv)
{
    opts o;
    parse("item", argc, argv, 2, &o);
    if (o.help || argc < 2 || strcmp(argv[1], "show") != 0 || o.nargs != 1) {
        printf("usage: arbiter item show ITEM [--dir DIR]\n\n"
               "Every decision about the item, oldest first, as JSON: action, scope, ground,\n"
               "source, who decided and when, the statement of reasons, what it supersedes\n"
               "and the state of its user notice.\n");
        return o.help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    ar_ctx *ctx = cli_ctx_new(false);
    ar_error err;
    char *json = NULL;
    ar_workflow *w = open_dir(ctx, &o, 0, &err);
    int rc = w && ar_item_decisions_json(w, o.args[0], &json, &err) == AR_OK
                 ? print_doc(json, &o, decision_cols, CLI_LEN(decision_cols))
                 : fail("item show", &err);
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    return rc;
}

/* No --country: the item's whole scope, "restricted PK IN" style. */
static void print_scope(ar_workflow *w, const char *item)
{
    char codes[AR_VISIBILITY_MAX_COUNTRIES * 2];
    size_t n = 0;
    ar_visibility_state vs = ar_workflow_visibility_scope(w, item, codes, &n);
    printf("%s", ar_visibility_state_name(vs));
    for (size_t i = 0; i < n; i++)
        printf(" %.2s", codes + 2 * i);
    printf("\n");
}

int cli_visibility(int argc, char **argv)
{
    opts o;
    parse("visibility", argc, argv, 1, &o);
    if (o.help || o.nargs != 1) {
        printf("usage: arbiter visibility ITEM [--country CC] [--dir DIR]\n\n"
               "Print visible, restricted or removed: the item's state in that country, from\n"
               "the visibility index built from every decision in force. Without --country,\n"
               "the item's whole scope: removed (everywhere), visible (everywhere), or\n"
               "restricted followed by every country it is withheld in.\n");
        return o.help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    if (o.country && !ar_visibility_country_valid(o.country))
        return usage_error("visibility", "--country must be an ISO 3166-1 alpha-2 code");
    ar_ctx *ctx = cli_ctx_new(false);
    ar_error err;
    ar_workflow *w = open_dir(ctx, &o, AR_WORKFLOW_INDEX, &err);
    int rc = CLI_EXIT_FAIL;
    if (!w) {
        rc = fail("visibility", &err);
    } else {
        if (o.country)
            printf("%s\n",
                   ar_visibility_state_name(ar_workflow_visibility(w, o.args[0], o.country)));
        else
            print_scope(w, o.args[0]);
        rc = CLI_EXIT_OK;
    }
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    return rc;
}

int cli_audit(int argc, char **argv)
{
    opts o;
    parse("audit", argc, argv, 2, &o);
    if (o.help || argc < 2 || strcmp(argv[1], "verify") != 0) {
        printf("usage: arbiter audit verify [--dir DIR] [--json]\n\n"
               "Check the whole hash chain and every signed checkpoint against DIR/audit.pub;\n"
               "name the first altered, removed, inserted or reordered event. The result is\n"
               "kept in the store (run by \"cli\") for the console's audit page.\n"
               "exit status: 0 intact, 1 tampered or unreadable\n");
        return o.help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    ar_ctx *ctx = cli_ctx_new(false);
    ar_error err;
    ar_audit_report rep;
    ar_workflow *w = open_dir(ctx, &o, 0, &err);
    int rc = CLI_EXIT_FAIL;
    ar_status st = w ? ar_workflow_audit_verify_record(w, NULL, &rep, NULL, &err) : AR_EIO;
    if (w && st != AR_OK && st != AR_ENOTFOUND) {
        /* a read-only copy of a store still verifies; the run is just not kept */
        fprintf(stderr, "arbiter audit verify: the result is not kept: %s\n", err.message);
        st = ar_workflow_audit_verify(w, &rep, &err);
    }
    if (st != AR_OK) {
        rc = fail("audit verify", &err);
    } else {
        if (o.json)
            printf("{\"result\":\"%s\",\"first_bad_seq\":%lld,\"events\":%lld,\"checkpoints\":%lld,"
                   "\"last_checkpoint\":%lld,\"unsigned_tail\":%lld}\n",
                   ar_audit_problem_name(rep.problem), (long long)rep.first_bad_seq,
                   (long long)rep.events, (long long)rep.checkpoints,
                   (long long)rep.last_checkpoint, (long long)rep.unsigned_tail);
        else
            printf("%s\n", rep.message);
        rc = rep.problem == AR_AUDIT_INTACT ? CLI_EXIT_OK : CLI_EXIT_FAIL;
    }
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    return rc;
}
