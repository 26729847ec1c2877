/*
 * report_out.c - the report as published: JSON (schema AR_REPORT_SCHEMA),
 * one CSV file per table, and one self-contained HTML page with inline CSS
 * and SVG charts. Suppression is applied here and only here.
 */
#include "report_int.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>

static bool gated(const ar_report *r, const rep_table *t, const rep_cell *row, size_t col)
{
    int b = t->cols[col].base;
    return b >= 0 && ar__rep_banded(r, row[b].v);
}

void ar__rep_format(const ar_report *r, const rep_table *t, const rep_cell *row, size_t col,
                    char *out, size_t size)
{
    const rep_cell *c = &row[col];
    switch (t->cols[col].kind) {
    case REP_DIM:
        snprintf(out, size, "%s", c->s);
        return;
    case REP_COUNT:
        if (ar__rep_banded(r, c->v))
            snprintf(out, size, "1-%d", r->opts.suppress);
        else
            snprintf(out, size, "%.0f", c->v);
        return;
    case REP_SHARE:
    case REP_SECONDS:
        if (!c->has || gated(r, t, row, col))
            snprintf(out, size, "%s", "");
        else if (t->cols[col].kind == REP_SHARE)
            snprintf(out, size, "%.4f", c->v);
        else
            snprintf(out, size, "%.0f", c->v);
        return;
    }
}

static void period_days(const ar_report *r, char start[11], char last[11])
{
    ar__day_format(r->opts.period.start, start);
    ar__day_format(r->opts.period.end - 1, last);
}

/*---- JSON ---------------------------------------------------------------------------*/

static json_t *cell_json(const ar_report *r, const rep_table *t, const rep_cell *row, size_t col)
{
    const rep_cell *c = &row[col];
    switch (t->cols[col].kind) {
    case REP_DIM:
        return json_string(c->s);
    case REP_COUNT:
        if (ar__rep_banded(r, c->v)) {
            char band[16];
            snprintf(band, sizeof band, "1-%d", r->opts.suppress);
            return json_string(band);
        }
        return json_integer((json_int_t)c->v);
    case REP_SHARE:
        if (!c->has || gated(r, t, row, col))
            return json_null();
        return json_real(round(c->v * 10000) / 10000);
    case REP_SECONDS:
        if (!c->has || gated(r, t, row, col))
            return json_null();
        return json_integer((json_int_t)c->v);
    }
    return json_null();
}

ar_status ar_report_json(const ar_report *r, char **out, ar_error *err)
{
    if (!r || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_report_json: NULL argument");
    char start[11], last[11], as_of[21], band[16];
    period_days(r, start, last);
    ar_time_format(r->opts.as_of ? r->opts.as_of : r->opts.period.end, as_of);
    snprintf(band, sizeof band, "1-%d", r->opts.suppress);
    json_t *tables = json_object();
    json_t *doc = json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:s?, s:s, s:{s:i, s:s?}, s:{s:s, s:s}, s:o}", "schema",
        AR_REPORT_SCHEMA, "period", "label", r->opts.period.label, "start", start, "end", last,
        "country", r->country[0] ? r->country : NULL, "as_of", as_of, "suppression", "threshold",
        r->opts.suppress, "band", r->opts.suppress ? band : NULL, "scope", "notices",
        "platform-wide: the store keeps no location of a notifier", "appeals",
        r->country[0] ? "appeals against decisions that apply in the country"
                      : "every appeal",
        "tables", tables);
    if (!doc)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory writing the report");
    for (int i = 0; i < T_COUNT; i++) {
        const rep_table *t = &r->t[i];
        json_t *rows = json_array();
        json_object_set_new(tables, t->name, rows);
        for (size_t j = 0; j < t->nrows; j++) {
            const rep_cell *row = t->cells + j * t->ncols;
            json_t *o = json_object();
            for (size_t k = 0; k < t->ncols; k++)
                json_object_set_new(o, t->cols[k].name, cell_json(r, t, row, k));
            json_array_append_new(rows, o);
        }
    }
    *out = json_dumps(doc, JSON_PRESERVE_ORDER | JSON_INDENT(1) | JSON_REAL_PRECISION(6));
    json_decref(doc);
    return *out ? AR_OK : ar_error_set(err, AR_ENOMEM, NULL, "out of memory writing the report");
}

/*---- CSV ----------------------------------------------------------------------------*/

/* RFC 4180 quoting; a cell a spreadsheet would run as a formula gets a
 * leading apostrophe. */
static void csv_cell(FILE *f, const char *s)
{
    bool formula = strchr("=+-@\t\r", s[0]) && s[0];
    if (!formula && !strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (formula)
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static ar_status csv_file(const char *dir, const char *name, FILE **f, ar_error *err)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s.csv", dir, name) >= sizeof path)
        return ar_error_set(err, AR_EINVAL, "out", "the directory name is too long");
    *f = fopen(path, "wb");
    if (!*f)
        return ar_error_set(err, AR_EIO, "out", "cannot write '%s': %s", path, strerror(errno));
    return AR_OK;
}

ar_status ar_report_csv(const ar_report *r, const char *dir, ar_error *err)
{
    if (!r || !dir)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_report_csv: NULL argument");
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return ar_error_set(err, AR_EIO, "out", "cannot make '%s': %s", dir, strerror(errno));
    FILE *f = NULL;
    ar_status st = csv_file(dir, "meta", &f, err);
    if (st != AR_OK)
        return st;
    char start[11], last[11];
    period_days(r, start, last);
    fprintf(f, "key,value\r\nschema,%s\r\nperiod,", AR_REPORT_SCHEMA);
    csv_cell(f, r->opts.period.label);
    fprintf(f, "\r\nstart,%s\r\nend,%s\r\ncountry,%s\r\nsuppression_threshold,%d\r\n", start,
            last, r->country, r->opts.suppress);
    bool bad = fclose(f) != 0;
    for (int i = 0; i < T_COUNT && !bad; i++) {
        const rep_table *t = &r->t[i];
        if ((st = csv_file(dir, t->name, &f, err)) != AR_OK)
            return st;
        for (size_t k = 0; k < t->ncols; k++)
            fprintf(f, "%s%s", k ? "," : "", t->cols[k].name);
        fputs("\r\n", f);
        for (size_t j = 0; j < t->nrows; j++) {
            for (size_t k = 0; k < t->ncols; k++) {
                char cell[512];
                ar__rep_format(r, t, t->cells + j * t->ncols, k, cell, sizeof cell);
                if (k)
                    fputc(',', f);
                csv_cell(f, cell);
            }
            fputs("\r\n", f);
        }
        bad = ferror(f) != 0;
        bad = fclose(f) != 0 || bad;
    }
    return bad ? ar_error_set(err, AR_EIO, "out", "writing the CSV files in '%s' failed", dir)
               : AR_OK;
}

/*---- HTML ---------------------------------------------------------------------------*/

typedef struct html {
    char *p;
    size_t len, cap;
    bool oom;
} html;

static void put(html *h, const char *s, size_t n)
{
    if (h->oom)
        return;
    if (h->len + n + 1 > h->cap) {
        size_t cap = h->cap ? h->cap : 16384;
        while (cap < h->len + n + 1)
            cap *= 2;
        char *p = realloc(h->p, cap);
        if (!p) {
            h->oom = true;
            return;
        }
        h->p = p;
        h->cap = cap;
    }
    memcpy(h->p + h->len, s, n);
    h->len += n;
    h->p[h->len] = '\0';
}

static void puts_(html *h, const char *s)
{
    put(h, s, strlen(s));
}

AR_PRINTF(2, 3) static void printf_(html *h, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        put(h, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void esc(html *h, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': puts_(h, "&lt;"); break;
        case '>': puts_(h, "&gt;"); break;
        case '&': puts_(h, "&amp;"); break;
        case '"': puts_(h, "&quot;"); break;
        case '\'': puts_(h, "&#39;"); break;
        default: put(h, s, 1);
        }
}

/* What a chart draws for a count: a banded count is drawn at the top of its
 * band, in the paler colour, so the chart reveals no more than the table. */
static double shown(const ar_report *r, double v, bool *band)
{
    *band = ar__rep_banded(r, v);
    return *band ? r->opts.suppress : v;
}

static void bar_chart(html *h, const ar_report *r, const rep_table *t, size_t col)
{
    if (!t->nrows) {
        puts_(h, "<p class=\"empty\">Nothing in this period.</p>\n");
        return;
    }
    double max = 1;
    for (size_t i = 0; i < t->nrows; i++) {
        bool b;
        double v = shown(r, t->cells[i * t->ncols + col].v, &b);
        max = v > max ? v : max;
    }
    size_t n = t->nrows > 60 ? 60 : t->nrows;
    printf_(h, "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 640 %zu\" width=\"640\" "
               "height=\"%zu\" xmlns=\"http://www.w3.org/2000/svg\"><title>",
            n * 22 + 8, n * 22 + 8);
    esc(h, t->title);
    puts_(h, "</title>\n");
    for (size_t i = 0; i < n; i++) {
        const rep_cell *row = t->cells + i * t->ncols;
        bool band;
        double v = shown(r, row[col].v, &band);
        double w = 460 * v / max;
        char label[32];
        ar__rep_format(r, t, row, col, label, sizeof label);
        printf_(h, "<text x=\"0\" y=\"%zu\" class=\"k\">", i * 22 + 18);
        esc(h, row[0].s);
        printf_(h, "</text><rect x=\"90\" y=\"%zu\" width=\"%.1f\" height=\"16\" class=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%zu\" class=\"v\">%s</text>\n",
                i * 22 + 5, w, band ? "bar band" : "bar", 96 + w, i * 22 + 18, label);
    }
    puts_(h, "</svg>\n");
}

static void line_chart(html *h, const ar_report *r, const rep_table *t)
{
    static const char *const series[] = {"restricted", "removed", "other"};
    if (!t->nrows)
        return;
    double max = 1;
    for (size_t i = 0; i < t->nrows; i++)
        for (size_t c = 1; c <= 3; c++) {
            bool b;
            double v = shown(r, t->cells[i * t->ncols + c].v, &b);
            max = v > max ? v : max;
        }
    double step = t->nrows > 1 ? 520.0 / (double)(t->nrows - 1) : 0;
    puts_(h, "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 640 240\" width=\"640\" "
             "height=\"240\" xmlns=\"http://www.w3.org/2000/svg\"><title>Content actions per "
             "month</title>\n<line x1=\"60\" y1=\"200\" x2=\"590\" y2=\"200\" class=\"axis\"/>"
             "<line x1=\"60\" y1=\"20\" x2=\"60\" y2=\"200\" class=\"axis\"/>\n");
    printf_(h, "<text x=\"4\" y=\"26\" class=\"v\">%.0f</text><text x=\"4\" y=\"200\" "
               "class=\"v\">0</text>\n", max);
    for (size_t c = 1; c <= 3; c++) {
        printf_(h, "<polyline class=\"s%zu\" points=\"", c);
        for (size_t i = 0; i < t->nrows; i++) {
            bool b;
            double v = shown(r, t->cells[i * t->ncols + c].v, &b);
            printf_(h, "%.1f,%.1f ", 70 + step * (double)i, 200 - 180 * v / max);
        }
        puts_(h, "\"/>\n");
        printf_(h, "<text x=\"%zu\" y=\"236\" class=\"s%zu t\">%s</text>\n", 80 + (c - 1) * 120,
                c, series[c - 1]);
    }
    for (size_t i = 0; i < t->nrows; i++) {
        printf_(h, "<text x=\"%.1f\" y=\"216\" class=\"k\">", 56 + step * (double)i);
        esc(h, t->cells[i * t->ncols].s);
        puts_(h, "</text>");
    }
    puts_(h, "\n</svg>\n");
}

static void table_html(html *h, const ar_report *r, const rep_table *t)
{
    puts_(h, "<table><thead><tr>");
    for (size_t k = 0; k < t->ncols; k++) {
        puts_(h, "<th>");
        esc(h, t->cols[k].name);
        puts_(h, "</th>");
    }
    puts_(h, "</tr></thead><tbody>\n");
    if (!t->nrows)
        printf_(h, "<tr><td colspan=\"%zu\" class=\"empty\">none</td></tr>\n", t->ncols);
    for (size_t j = 0; j < t->nrows; j++) {
        puts_(h, "<tr>");
        for (size_t k = 0; k < t->ncols; k++) {
            char cell[512];
            ar__rep_format(r, t, t->cells + j * t->ncols, k, cell, sizeof cell);
            bool dim = t->cols[k].kind == REP_DIM;
            puts_(h, dim ? "<td dir=\"auto\">" : "<td class=\"n\">");
            esc(h, *cell || dim ? cell : "\xe2\x80\x94"); /* an em dash for no value */
            puts_(h, "</td>");
        }
        puts_(h, "</tr>\n");
    }
    puts_(h, "</tbody></table>\n");
}

static const char css[] =
    "body{font:15px/1.45 system-ui,sans-serif;color:#1a1a1a;max-width:980px;margin:2em auto;"
    "padding:0 1em}h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid "
    "#ccc}table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #bbb;padding:.2em "
    ".6em;text-align:start}td.n{text-align:end;font-variant-numeric:tabular-nums}th{background:"
    "#eee}.chart{max-width:100%;height:auto}.bar{fill:#2b5f9e}.band{fill:#9db7d8}.k,.v{font:11px "
    "sans-serif;fill:#333}.axis{stroke:#555}polyline{fill:none;stroke-width:2}.s1{stroke:#2b5f9e;"
    "fill:#2b5f9e}.s2{stroke:#b0413e;fill:#b0413e}.s3{stroke:#5b8c3a;fill:#5b8c3a}polyline.s1,"
    "polyline.s2,polyline.s3{fill:none}.t{font:12px sans-serif}.note{color:#555}"
    "@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}"
    "table,svg{break-inside:avoid}th{background:none}.bar{fill:#333}.band{fill:#aaa}}";

ar_status ar_report_html(const ar_report *r, char **out, ar_error *err)
{
    if (!r || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_report_html: NULL argument");
    html h = {0};
    char start[11], last[11];
    period_days(r, start, last);
    puts_(&h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
              "<meta name=\"viewport\" content=\"width=device-width\"><title>Transparency report ");
    esc(&h, r->opts.period.label);
    printf_(&h, "</title><style>%s</style></head><body>\n<h1>Transparency report ", css);
    esc(&h, r->opts.period.label);
    if (r->country[0])
        printf_(&h, " &middot; %s", r->country);
    printf_(&h, "</h1>\n<p class=\"note\">%s to %s (UTC). Schema %s. ", start, last,
            AR_REPORT_SCHEMA);
    if (r->opts.suppress)
        printf_(&h, "Counts from 1 to %d are shown as &ldquo;1-%d&rdquo; so that no figure points"
                    " at a person; shares and times over so few cases are not shown.",
                r->opts.suppress, r->opts.suppress);
    puts_(&h, " Notices carry no country: their figures cover the whole platform.</p>\n");
    for (int i = 0; i < T_COUNT; i++) {
        const rep_table *t = &r->t[i];
        puts_(&h, "<section><h2>");
        esc(&h, t->title);
        puts_(&h, "</h2>\n");
        if (i == T_REQ_COUNTRY || i == T_ACT_COUNTRY)
            bar_chart(&h, r, t, 1);
        if (i == T_ACT_MONTH)
            line_chart(&h, r, t);
        table_html(&h, r, t);
        puts_(&h, "</section>\n");
    }
    puts_(&h, "</body></html>\n");
    if (h.oom) {
        free(h.p);
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory writing the report");
    }
    *out = h.p;
    return AR_OK;
}
