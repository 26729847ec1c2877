/*
 * cmd_export.c - `arbiter export sor` (statements of reasons for the DSA
 * Transparency Database, and --validate) and `arbiter export orders` (the
 * public register of legal requests).
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void export_usage(FILE *f)
{
    fprintf(f,
            "usage: arbiter export sor --since T --until T --out FILE [--policy FILE] [--dir DIR]\n"
            "       arbiter export sor --validate FILE\n"
            "       arbiter export orders [--period P] [--format json|csv] --out FILE [--dir DIR]\n\n"
            "sor: one statement of reasons per decision that needs one (an action other than\n"
            "  none, whose scope touches the EU/EEA), decided in [since, until), in the exact\n"
            "  shape of the DSA Transparency Database's POST /api/v1/statements body: JSON\n"
            "  lines, each {\"statements\":[...]} of at most 100. No personal data. T is a\n"
            "  day (2026-07-01) or RFC 3339. Skipped decisions are counted on stderr.\n"
            "  --policy FILE: the policy in force (default: $ARBITER_POLICY, else\n"
            "  policies/default.yaml); a standard's category is its dsa_category there.\n"
            "  stderr counts where each category came from (policy, legal ground, guessed).\n"
            "sor --validate: check FILE against the same rules; every violation is printed\n"
            "  with its path (statements[3].decision_ground); exit 1 if there is any.\n"
            "orders: the redacted public register of legal requests received in the period\n"
            "  (default: all): authority, country, legal basis, day, items, outcomes, and\n"
            "  item URLs only where the decision allows it.\n"
            "--out -  writes to stdout.\n");
}

/* "2026-07-01" (that day's start, UTC) or RFC 3339. */
static bool parse_time(const char *opt, const char *s, int64_t *out)
{
    ar_error err;
    if (strlen(s) == 10) {
        ar_period p;
        char range[32];
        snprintf(range, sizeof range, "%s..%s", s, s);
        if (ar_period_parse(range, opt, &p, &err) == AR_OK) {
            *out = p.start;
            return true;
        }
    } else if (ar_time_parse(s, opt, out, &err) == AR_OK) {
        return true;
    }
    fprintf(stderr, "arbiter export: %s: '%s' is not a day (2026-07-01) or an RFC 3339 time\n",
            opt, s);
    return false;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = !strcmp(path, "-") ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "arbiter export: cannot open '%s': %s\n", path, strerror(errno));
        return NULL;
    }
    cli_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (256u << 20))
        cli_buf_put(&b, chunk, n);
    if (f != stdin)
        fclose(f);
    if (b.len >= (256u << 20)) {
        fprintf(stderr, "arbiter export: '%s' is over 256 MiB\n", path);
        cli_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data ? b.data : calloc(1, 1);
}

static int validate(const char *path)
{
    size_t len = 0, count = 0;
    char *text = slurp(path, &len);
    if (!text)
        return CLI_EXIT_FAIL;
    enum { MAX = 10000 };
    ar_sor_violation *v = calloc(MAX, sizeof *v);
    ar_error err;
    ar_status st = v ? ar_sor_validate(NULL, text, len, v, MAX, &count, &err) : AR_ENOMEM;
    free(text);
    if (st != AR_OK) {
        if (v)
            cli_report("arbiter export sor --validate", &err);
        free(v);
        return CLI_EXIT_FAIL;
    }
    for (size_t i = 0; i < count && i < MAX; i++)
        printf("%s: %s\n", v[i].path, v[i].message);
    if (count > MAX)
        printf("... and %zu more\n", count - MAX);
    fprintf(stderr, "%s: %zu violation%s\n", path, count, count == 1 ? "" : "s");
    free(v);
    return count ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

typedef struct export_opts {
    const char *dir, *since, *until, *out, *period, *format, *validate, *policy;
} export_opts;

static int parse_opts(int argc, char **argv, export_opts *o)
{
    for (int i = 2; i < argc; i++) {
        struct {
            const char *name;
            const char **dst;
        } str[] = {{"--dir", &o->dir},       {"--since", &o->since},   {"--until", &o->until},
                   {"--out", &o->out},       {"--period", &o->period}, {"--format", &o->format},
                   {"--validate", &o->validate}, {"--policy", &o->policy}};
        bool done = false;
        for (size_t k = 0; k < CLI_LEN(str) && !done; k++) {
            const char *v = cli_opt(argc, argv, &i, str[k].name);
            if (v) {
                *str[k].dst = v;
                done = true;
            }
        }
        if (!done) {
            fprintf(stderr, "arbiter export: unknown argument '%s' (see --help)\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
    }
    return CLI_EXIT_OK;
}

static FILE *open_out(const char *path)
{
    FILE *f = !strcmp(path, "-") ? stdout : fopen(path, "wb");
    if (!f)
        fprintf(stderr, "arbiter export: cannot write '%s': %s\n", path, strerror(errno));
    return f;
}

static int finish(FILE *f, ar_status st, const ar_error *err)
{
    bool ok = f == stdout ? fflush(f) == 0 : fclose(f) == 0;
    if (st != AR_OK) {
        cli_report("arbiter export", err);
        return CLI_EXIT_FAIL;
    }
    if (!ok) {
        fprintf(stderr, "arbiter export: writing the output failed\n");
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

/* The policy in force, for the categories of standards: --policy, else
 * ARBITER_POLICY (arbiterd's own setting), else policies/default.yaml. */
static ar_policy *load_policy(ar_ctx *ctx, const export_opts *o)
{
    const char *path = o->policy ? o->policy
                       : getenv("ARBITER_POLICY") && *getenv("ARBITER_POLICY")
                           ? getenv("ARBITER_POLICY")
                           : "policies/default.yaml";
    ar_policy *p = NULL;
    ar_error err;
    if (ar_policy_parse_file(ctx, path, &p, NULL, &err) != AR_OK) {
        cli_report("arbiter export sor", &err);
        if (!o->policy)
            fprintf(stderr, "arbiter export sor: give the policy in force with --policy FILE\n");
        return NULL;
    }
    return p;
}

static int export_sor(ar_ctx *ctx, ar_workflow *w, const export_opts *o)
{
    int64_t since = 0, until = 0;
    if (!o->since || !o->until || !o->out) {
        fprintf(stderr, "arbiter export sor: --since, --until and --out are required\n");
        return CLI_EXIT_USAGE;
    }
    if (!parse_time("--since", o->since, &since) || !parse_time("--until", o->until, &until))
        return CLI_EXIT_USAGE;
    ar_policy *policy = load_policy(ctx, o);
    if (!policy)
        return CLI_EXIT_FAIL;
    FILE *f = open_out(o->out);
    if (!f) {
        ar_policy_free(policy);
        return CLI_EXIT_FAIL;
    }
    ar_sor_stats s;
    ar_error err;
    ar_status st = ar_sor_export(ar_workflow_store(w), policy, since, until, f, &s, &err);
    int rc = finish(f, st, &err);
    if (rc == CLI_EXIT_OK)
        fprintf(stderr,
                "{\"event\":\"sor_export\",\"written\":%lld,\"batches\":%lld,"
                "\"skipped_outside_eea\":%lld,\"skipped_no_action\":%lld,"
                "\"skipped_date\":%lld,\"policy_digest\":\"%s\",\"category_from_policy\":%lld,"
                "\"category_legal_not_specified\":%lld,\"category_guessed_unknown_standard\":%lld,"
                "\"category_guessed_no_dsa_category\":%lld}\n",
                (long long)s.written, (long long)s.batches, (long long)s.skipped_scope,
                (long long)s.skipped_none, (long long)s.skipped_date, policy->digest,
                (long long)s.category_policy, (long long)s.category_legal,
                (long long)s.category_guessed_unknown, (long long)s.category_guessed_undeclared);
    ar_policy_free(policy);
    return rc;
}

static int export_orders(ar_workflow *w, const export_opts *o)
{
    ar_period p, *pp = NULL;
    ar_error err;
    if (!o->out) {
        fprintf(stderr, "arbiter export orders: --out is required\n");
        return CLI_EXIT_USAGE;
    }
    if (o->format && strcmp(o->format, "json") && strcmp(o->format, "csv")) {
        fprintf(stderr, "arbiter export orders: --format must be json or csv\n");
        return CLI_EXIT_USAGE;
    }
    if (o->period) {
        if (ar_period_parse(o->period, "--period", &p, &err) != AR_OK) {
            cli_report("arbiter export orders", &err);
            return CLI_EXIT_USAGE;
        }
        pp = &p;
    }
    FILE *f = open_out(o->out);
    if (!f)
        return CLI_EXIT_FAIL;
    int64_t n = 0;
    ar_orders_format fmt = o->format && !strcmp(o->format, "csv") ? AR_ORDERS_CSV : AR_ORDERS_JSON;
    ar_status st = ar_orders_export(ar_workflow_store(w), pp, fmt, f, &n, &err);
    int rc = finish(f, st, &err);
    if (rc == CLI_EXIT_OK)
        fprintf(stderr, "{\"event\":\"orders_export\",\"orders\":%lld}\n", (long long)n);
    return rc;
}

int cli_export(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            export_usage(stdout);
            return CLI_EXIT_OK;
        }
    if (argc < 2 || (strcmp(argv[1], "sor") && strcmp(argv[1], "orders"))) {
        export_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    export_opts o = {.dir = getenv("ARBITER_DIR") ? getenv("ARBITER_DIR") : "./var"};
    int rc = parse_opts(argc, argv, &o);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (!strcmp(argv[1], "sor") && o.validate)
        return validate(o.validate);
    ar_ctx *ctx = cli_ctx_new(false);
    if (!ctx)
        return CLI_EXIT_FAIL;
    ar_workflow_opts wo = {.dir = o.dir};
    ar_workflow *w = NULL;
    ar_error err;
    if (ar_workflow_open(ctx, &wo, &w, &err) != AR_OK) {
        cli_report("arbiter export", &err);
        ar_ctx_free(ctx);
        return CLI_EXIT_FAIL;
    }
    rc = !strcmp(argv[1], "sor") ? export_sor(ctx, w, &o) : export_orders(w, &o);
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    return rc;
}
