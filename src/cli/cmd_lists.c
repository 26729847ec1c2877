/*
 * cmd_lists.c - `arbiter url-list` and `arbiter bank`: one implementation
 * of the signal-list commands (arbiter/lists.h), the kind taken from the
 * command's name. Changes name their actor with --as (an admin); a running
 * arbiterd sees changes made here after SIGHUP (its own API refreshes at
 * once).
 */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_DIR "./var"
#define MAX_ARGS    64

typedef struct lopts {
    const char *dir, *as, *description, *note;
    bool json;
    const char *args[MAX_ARGS];
    int nargs;
} lopts;

static void list_usage(FILE *f, const char *cmd, ar_list_kind kind)
{
    const char *what = kind == AR_LIST_PDQ ? "an image-hash bank" : "a blocked-URL list";
    fprintf(f,
            "usage: arbiter %s SUBCOMMAND [OPTIONS]\n\n"
            "Manage %s kept in the store of DIR.\n\n"
            "subcommands:\n"
            "  create NAME [--description TEXT]   a new list ([a-z0-9_.-]{1,64})\n"
            "  list                               every list and its number of entries\n"
            "  show NAME                          one list and its entries\n"
            "  add NAME VALUE... [--note TEXT]    add entries (all or nothing)\n"
            "  remove NAME VALUE                  remove one entry\n"
            "  import NAME FILE                   one entry per line, '#' comments; '-' is stdin\n"
            "  export NAME                        the entries as an import file, on stdout\n"
            "  delete NAME                        delete the list and its entries\n\n"
            "%s\n\n"
            "options:\n"
            "  --dir DIR      the workflow directory (default ./var, or $ARBITER_DIR)\n"
            "  --as NAME      the admin making a change (required for changes)\n"
            "  --json         print documents and import reports as JSON\n"
            "  --help         this text\n\n"
            "exit status: 0 done, 1 refused or failed (the reason on stderr), 2 usage\n",
            cmd, what,
            kind == AR_LIST_PDQ
                ? "An entry is a PDQ hash: 64 hex digits (256 bits). A policy's `bank: NAME`\n"
                  "rule matches an image hash within `distance` bits (default 31)."
                : "An entry is a Safe Browsing expression: 'evil.example/' blocks the host,\n"
                  "its subdomains and every path; 'example.com/bad/' that folder. A URL is\n"
                  "stored as its expression. A policy's `url_list: NAME` rule matches links\n"
                  "and URLs written in the text.");
}

static int parse(const char *cmd, int argc, char **argv, lopts *o)
{
    memset(o, 0, sizeof *o);
    o->dir = getenv("ARBITER_DIR") ? getenv("ARBITER_DIR") : DEFAULT_DIR;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_opt(argc, argv, &i, "--dir")))
            o->dir = v;
        else if ((v = cli_opt(argc, argv, &i, "--as")))
            o->as = v;
        else if ((v = cli_opt(argc, argv, &i, "--description")))
            o->description = v;
        else if ((v = cli_opt(argc, argv, &i, "--note")))
            o->note = v;
        else if (!strcmp(argv[i], "--json"))
            o->json = true;
        else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "arbiter %s: unknown option '%s'\n", cmd, argv[i]);
            return CLI_EXIT_USAGE;
        } else if (o->nargs == MAX_ARGS) {
            fprintf(stderr, "arbiter %s: more than %d arguments\n", cmd, MAX_ARGS);
            return CLI_EXIT_USAGE;
        } else {
            o->args[o->nargs++] = argv[i];
        }
    }
    return CLI_EXIT_OK;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0 || n > AR_LIST_IMPORT_MAX_BYTES)
            break;
        if (n == cap) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
            }
            buf = p;
            cap *= 2;
        }
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return buf;
}

static void print_report(const lopts *o, const ar_list_report *r)
{
    if (o->json) {
        json_t *inv = json_array();
        for (size_t i = 0; i < r->nerrors; i++)
            json_array_append_new(inv, json_pack("{s:I,s:s}", "line",
                                                 (json_int_t)r->errors[i].line, "message",
                                                 r->errors[i].message));
        json_t *doc = json_pack("{s:I,s:I,s:I,s:o}", "added", (json_int_t)r->added,
                                "already_present", (json_int_t)r->present, "invalid",
                                (json_int_t)r->invalid, "invalid_lines", inv);
        char *s = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        printf("%s\n", s ? s : "{}");
        free(s);
        json_decref(doc);
        return;
    }
    printf("added %zu, already present %zu, invalid %zu\n", r->added, r->present, r->invalid);
    for (size_t i = 0; i < r->nerrors; i++)
        fprintf(stderr, "line %u: %s\n", r->errors[i].line, r->errors[i].message);
}

/* list / show: JSON as is with --json, else a few columns. */
static void print_doc(const lopts *o, const char *json, bool one)
{
    if (o->json) {
        printf("%s\n", json);
        return;
    }
    json_t *doc = json_loads(json, 0, NULL);
    json_t *lists = one ? NULL : json_object_get(doc, "lists");
    if (one) {
        printf("%s (%s): %s\n", json_string_value(json_object_get(doc, "name")),
               json_string_value(json_object_get(doc, "kind")),
               json_string_value(json_object_get(doc, "description"))
                   ? json_string_value(json_object_get(doc, "description"))
                   : "");
        json_t *e;
        size_t i;
        json_array_foreach(json_object_get(doc, "entries"), i, e)
        {
            const char *note = json_string_value(json_object_get(e, "note"));
            printf("%s%s%s\n", json_string_value(json_object_get(e, "value")), note ? "  " : "",
                   note ? note : "");
        }
    }
    json_t *l;
    size_t i;
    json_array_foreach(lists, i, l)
    {
        const char *d = json_string_value(json_object_get(l, "description"));
        printf("%-24s %8lld  %s\n", json_string_value(json_object_get(l, "name")),
               (long long)json_integer_value(json_object_get(l, "entries")), d ? d : "");
    }
    json_decref(doc);
}

static int run(ar_workflow *w, const char *cmd, ar_list_kind kind, const lopts *o)
{
    const char *sub = o->args[0], *name = o->nargs > 1 ? o->args[1] : NULL;
    ar_error err = {0};
    ar_status st = AR_OK;
    char *doc = NULL;
    size_t len = 0;
    bool change = strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "export");
    if (strcmp(sub, "list") && !name) {
        fprintf(stderr, "arbiter %s %s: the list's NAME is required\n", cmd, sub);
        return CLI_EXIT_USAGE;
    }
    if (change && !o->as) {
        fprintf(stderr, "arbiter %s %s: --as NAME (an admin) is required\n", cmd, sub);
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(sub, "create")) {
        st = ar_list_create(w, o->as, kind, name, o->description, &err);
        if (st == AR_OK)
            printf("%s\n", name);
    } else if (!strcmp(sub, "delete")) {
        st = ar_list_delete(w, o->as, kind, name, &err);
    } else if (!strcmp(sub, "list") || !strcmp(sub, "show")) {
        st = name && !strcmp(sub, "show") ? ar_list_show_json(w, kind, name, &doc, &err)
                                          : ar_list_list_json(w, kind, &doc, &err);
        if (st == AR_OK)
            print_doc(o, doc, !strcmp(sub, "show"));
    } else if (!strcmp(sub, "export")) {
        st = ar_list_export(w, kind, name, &doc, &len, &err);
        if (st == AR_OK)
            fwrite(doc, 1, len, stdout);
    } else if (!strcmp(sub, "remove")) {
        if (o->nargs != 3) {
            fprintf(stderr, "arbiter %s remove: NAME and one VALUE are required\n", cmd);
            return CLI_EXIT_USAGE;
        }
        st = ar_list_remove(w, o->as, kind, name, o->args[2], strlen(o->args[2]), &err);
    } else if (!strcmp(sub, "add") || !strcmp(sub, "import")) {
        ar_list_report *r = calloc(1, sizeof *r);
        ar_list_entry_in v[MAX_ARGS];
        size_t n = 0;
        for (int i = 2; i < o->nargs; i++)
            v[n++] = (ar_list_entry_in){o->args[i], strlen(o->args[i]), o->note};
        if (!r) {
            st = ar_error_set(&err, AR_ENOMEM, NULL, "out of memory");
        } else if (!strcmp(sub, "add")) {
            st = ar_list_add(w, o->as, kind, name, v, n, r, &err);
        } else if (o->nargs != 3) {
            free(r);
            fprintf(stderr, "arbiter %s import: NAME and one FILE ('-': stdin) are required\n",
                    cmd);
            return CLI_EXIT_USAGE;
        } else if (!(doc = read_all(o->args[2], &len))) {
            st = ar_error_set(&err, AR_EIO, "file", "cannot read '%s'", o->args[2]);
        } else {
            st = ar_list_import(w, o->as, kind, name, doc, len, r, &err);
        }
        if (r && (st == AR_OK || r->nerrors))
            print_report(o, r);
        free(r);
    } else {
        fprintf(stderr, "arbiter %s: unknown subcommand '%s'\n", cmd, sub);
        return CLI_EXIT_USAGE;
    }
    free(doc);
    if (st != AR_OK) {
        cli_report(cmd, &err);
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

static int lists_main(const char *cmd, ar_list_kind kind, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            list_usage(stdout, cmd, kind);
            return CLI_EXIT_OK;
        }
    lopts o;
    int rc = parse(cmd, argc, argv, &o);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (o.nargs == 0) {
        list_usage(stderr, cmd, kind);
        return CLI_EXIT_USAGE;
    }
    ar_ctx *ctx = cli_ctx_new(false);
    ar_workflow *w = NULL;
    ar_error err = {0};
    ar_workflow_opts wo = {.dir = o.dir};
    if (!ctx)
        return CLI_EXIT_FAIL;
    if (ar_workflow_open(ctx, &wo, &w, &err) != AR_OK) {
        cli_report(cmd, &err);
        ar_ctx_free(ctx);
        return CLI_EXIT_FAIL;
    }
    rc = run(w, cmd, kind, &o);
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    return rc;
}

int cli_url_list(int argc, char **argv)
{
    return lists_main("url-list", AR_LIST_URL, argc, argv);
}

int cli_bank(int argc, char **argv)
{
    return lists_main("bank", AR_LIST_PDQ, argc, argv);
}
