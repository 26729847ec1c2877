/*
 * cmd_report.c - `arbiter report`: the transparency report for a period,
 * as JSON, CSV (a directory of one file per table) or one HTML page.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void report_usage(FILE *f)
{
    fprintf(f,
            "usage: arbiter report --period P --format json|csv|html --out FILE [--dir DIR]\n"
            "                      [--country CC] [--suppress N] [--as-of TIME]\n\n"
            "The transparency report, computed from the store (docs/TRANSPARENCY.md).\n\n"
            "  --period P     2026H2, 2026Q3, 2026-07, 2026 or 2026-07-01..2026-12-31 (UTC)\n"
            "  --format F     json (schema " AR_REPORT_SCHEMA "), csv (FILE is a directory:\n"
            "                 one file per table, plus meta.csv) or html (one self-contained page)\n"
            "  --out FILE     where to write; '-' for stdout (json and html)\n"
            "  --country CC   requests from CC, and content actions that apply in CC\n"
            "  --suppress N   counts 1..N are shown as the band \"1-N\" (default %d; 0: off)\n"
            "  --as-of TIME   RFC 3339: deadlines still open then count as missed\n"
            "                 (default: the end of the period)\n"
            "  --dir DIR      the workflow directory (default $ARBITER_DIR or ./var)\n",
            AR_REPORT_SUPPRESS_DEFAULT);
}

static int write_text(const char *path, const char *text)
{
    FILE *f = !strcmp(path, "-") ? stdout : fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "arbiter report: cannot write '%s': %s\n", path, strerror(errno));
        return CLI_EXIT_FAIL;
    }
    bool ok = fputs(text, f) >= 0;
    ok = (f == stdout ? fflush(f) == 0 : fclose(f) == 0) && ok;
    if (!ok) {
        fprintf(stderr, "arbiter report: writing '%s' failed\n", path);
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

int cli_report_cmd(int argc, char **argv)
{
    const char *dir = getenv("ARBITER_DIR") ? getenv("ARBITER_DIR") : "./var";
    const char *period = NULL, *format = NULL, *out = NULL, *country = NULL, *as_of = NULL;
    const char *suppress = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            report_usage(stdout);
            return CLI_EXIT_OK;
        } else if ((v = cli_opt(argc, argv, &i, "--dir"))) {
            dir = v;
        } else if ((v = cli_opt(argc, argv, &i, "--period"))) {
            period = v;
        } else if ((v = cli_opt(argc, argv, &i, "--format"))) {
            format = v;
        } else if ((v = cli_opt(argc, argv, &i, "--out"))) {
            out = v;
        } else if ((v = cli_opt(argc, argv, &i, "--country"))) {
            country = v;
        } else if ((v = cli_opt(argc, argv, &i, "--suppress"))) {
            suppress = v;
        } else if ((v = cli_opt(argc, argv, &i, "--as-of"))) {
            as_of = v;
        } else {
            fprintf(stderr, "arbiter report: unknown argument '%s' (see --help)\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
    }
    if (!period || !format || !out) {
        fprintf(stderr, "arbiter report: --period, --format and --out are required (see --help)\n");
        return CLI_EXIT_USAGE;
    }
    if (strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "html")) {
        fprintf(stderr, "arbiter report: --format must be json, csv or html\n");
        return CLI_EXIT_USAGE;
    }
    ar_error err;
    ar_report_opts ro = {.country = country, .suppress = AR_REPORT_SUPPRESS_DEFAULT};
    if (ar_period_parse(period, "--period", &ro.period, &err) != AR_OK) {
        cli_report("arbiter report", &err);
        return CLI_EXIT_USAGE;
    }
    if (suppress) {
        char *end;
        errno = 0;
        long n = strtol(suppress, &end, 10);
        if (*end || !*suppress || errno || n < 0 || n > 1000) {
            fprintf(stderr, "arbiter report: --suppress must be a number from 0 to 1000\n");
            return CLI_EXIT_USAGE;
        }
        ro.suppress = (int)n;
    }
    if (as_of && ar_time_parse(as_of, "--as-of", &ro.as_of, &err) != AR_OK) {
        cli_report("arbiter report", &err);
        return CLI_EXIT_USAGE;
    }
    ar_ctx *ctx = cli_ctx_new(false);
    if (!ctx)
        return CLI_EXIT_FAIL;
    ar_workflow_opts wo = {.dir = dir};
    ar_workflow *w = NULL;
    ar_report *r = NULL;
    char *text = NULL;
    int rc = CLI_EXIT_FAIL;
    ar_status st = ar_workflow_open(ctx, &wo, &w, &err);
    if (st == AR_OK)
        st = ar_report_compute(ctx, ar_workflow_store(w), &ro, &r, &err);
    if (st == AR_OK && !strcmp(format, "csv"))
        st = ar_report_csv(r, out, &err);
    else if (st == AR_OK)
        st = !strcmp(format, "json") ? ar_report_json(r, &text, &err)
                                     : ar_report_html(r, &text, &err);
    if (st != AR_OK)
        cli_report("arbiter report", &err);
    else
        rc = text ? write_text(out, text) : CLI_EXIT_OK;
    free(text);
    ar_report_free(r);
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    return rc;
}
