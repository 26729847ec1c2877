/*
 * orders.c - the public register of legal requests, in the spirit of the
 * Lumen database and of governments' takedown registers: who asked, from
 * where, under what law, when (the day), for how many items, and what the
 * platform did.
 *
 * Redaction, by construction: no author, account or notifier reference, no
 * external reference (an authority's case number can name a person), no
 * document. An item's URL appears only when the item was restricted or
 * removed as content (never for data or preservation requests, never for
 * an account), and its user notice is not withheld under a gag.
 */
#include "report_int.h"

#include <jansson.h>

typedef struct order {
    int64_t id, received;
    char country[3], branch[40], kind[24], authority[256], instrument[256], provision[256];
    int64_t items, outcomes[7], urls_withheld;
    json_t *urls;
} order;

static const char *const outcome_names[] = {"restrict", "remove",   "decline", "need_info",
                                            "disclose", "preserve", "pending"};

typedef struct orders_acc {
    FILE *out;
    ar_orders_format format;
    order cur;
    int64_t n;
} orders_acc;

static const char *action_taken(const order *o)
{
    int64_t acted = o->outcomes[0] + o->outcomes[1] + o->outcomes[4] + o->outcomes[5];
    int64_t open = o->outcomes[3] + o->outcomes[6];
    if (open)
        return acted ? "Partial (pending)" : "Pending";
    return acted == o->items ? "Yes" : acted ? "Partial" : "No";
}

static void csv_text(FILE *f, const char *s)
{
    fputc('"', f);
    if (strchr("=+-@", s[0]) && s[0])
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void write_order(orders_acc *acc)
{
    order *o = &acc->cur;
    char day[11];
    ar__day_format(o->received, day);
    if (acc->format == AR_ORDERS_CSV) {
        fprintf(acc->out, "%lld,%s,%s,", (long long)o->id, day, o->country);
        csv_text(acc->out, o->authority);
        fprintf(acc->out, ",%s,", o->branch);
        csv_text(acc->out, o->instrument);
        fputc(',', acc->out);
        csv_text(acc->out, o->provision);
        fprintf(acc->out, ",%s,%lld", o->kind, (long long)o->items);
        for (size_t i = 0; i < AR_ARRAY_LEN(outcome_names); i++)
            fprintf(acc->out, ",%lld", (long long)o->outcomes[i]);
        fprintf(acc->out, ",%s,%lld,", action_taken(o), (long long)o->urls_withheld);
        char *urls = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&urls, &len);
        for (size_t i = 0; m && i < json_array_size(o->urls); i++)
            fprintf(m, "%s%s", i ? " " : "", json_string_value(json_array_get(o->urls, i)));
        if (m)
            fclose(m);
        csv_text(acc->out, urls ? urls : "");
        free(urls);
        fputs("\r\n", acc->out);
    } else {
        json_t *outcomes = json_object();
        for (size_t i = 0; i < AR_ARRAY_LEN(outcome_names); i++)
            json_object_set_new(outcomes, outcome_names[i], json_integer(o->outcomes[i]));
        json_t *e = json_pack("{s:I, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s}, s:s, s:I, s:o, s:s,"
                              " s:O, s:I}",
                              "id", (json_int_t)o->id, "received", day, "authority", "name",
                              o->authority, "country", o->country, "branch", o->branch,
                              "legal_basis", "instrument", o->instrument, "provision",
                              o->provision, "kind", o->kind, "items", (json_int_t)o->items,
                              "outcomes", outcomes, "action_taken", action_taken(o), "urls",
                              o->urls, "urls_withheld", (json_int_t)o->urls_withheld);
        char *s = e ? json_dumps(e, JSON_PRESERVE_ORDER | JSON_COMPACT) : NULL;
        if (s)
            fprintf(acc->out, "%s%s", acc->n ? ",\n" : "\n", s);
        free(s);
        json_decref(e);
    }
    acc->n++;
    json_decref(o->urls);
    o->urls = NULL;
}

/* lr.id, received_at, country, branch, kind, authority, instrument, provision,
 * outcome, item kind, url, notice state */
static ar_status take_row(void *ud, const ar_store_row *row, ar_error *err)
{
    orders_acc *acc = ud;
    order *o = &acc->cur;
    if (o->id != ar_row_int(row, 0)) {
        if (o->id)
            write_order(acc);
        memset(o, 0, sizeof *o);
        o->id = ar_row_int(row, 0);
        o->received = ar_row_int(row, 1);
        snprintf(o->country, sizeof o->country, "%s", ar_row_text(row, 2, NULL));
        snprintf(o->branch, sizeof o->branch, "%s", ar_row_text(row, 3, NULL));
        snprintf(o->kind, sizeof o->kind, "%s", ar_row_text(row, 4, NULL));
        snprintf(o->authority, sizeof o->authority, "%s", ar_row_text(row, 5, NULL));
        snprintf(o->instrument, sizeof o->instrument, "%s", ar_row_text(row, 6, NULL));
        snprintf(o->provision, sizeof o->provision, "%s", ar_row_text(row, 7, NULL));
        if (!(o->urls = json_array()))
            return ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    }
    const char *outcome = ar_row_text(row, 8, NULL);
    size_t oi = AR_ARRAY_LEN(outcome_names) - 1;
    for (size_t i = 0; i < AR_ARRAY_LEN(outcome_names) - 1; i++)
        if (!strcmp(outcome, outcome_names[i]))
            oi = i;
    o->items++;
    o->outcomes[oi]++;
    bool content = oi <= 1 && strcmp(ar_row_text(row, 9, NULL), "account") != 0;
    const char *url = ar_row_text(row, 10, NULL);
    if (content && *url) {
        if (!strcmp(ar_row_text(row, 11, NULL), "withheld"))
            o->urls_withheld++;
        else
            json_array_append_new(o->urls, json_string(url));
    }
    return AR_OK;
}

ar_status ar_orders_export(ar_store *store, const ar_period *period, ar_orders_format format,
                           FILE *out, int64_t *n, ar_error *err)
{
    if (!store || !out || !n)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_orders_export: NULL argument");
    orders_acc acc = {.out = out, .format = format};
    if (format == AR_ORDERS_CSV)
        fputs("id,received,country,authority,branch,instrument,provision,kind,items,restricted,"
              "removed,declined,need_info,disclosed,preserved,pending,action_taken,"
              "urls_withheld,urls\r\n",
              out);
    else
        fprintf(out, "{\"schema\":\"arbiter.orders-register/1\",\"period\":%s%s%s,\"orders\":[",
                period ? "\"" : "", period ? period->label : "null", period ? "\"" : "");
    ar_store_txn *t = NULL;
    ar_value p[] = {AR_VINT(period ? period->start : INT64_MIN),
                    AR_VINT(period ? period->end : INT64_MAX)};
    ar_status st = ar_store_read(store, &t, err);
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "SELECT lr.id, lr.received_at, lr.authority_country,"
                           " lr.authority_branch, lr.kind, lr.authority_name, lr.instrument,"
                           " lr.provision, coalesce(ri.outcome, 'pending'), i.kind,"
                           " coalesce(ri.locator, i.url, ''), coalesce(n.state, '')"
                           " FROM legal_requests lr"
                           " JOIN legal_request_items ri ON ri.request_id = lr.id"
                           " JOIN items i ON i.id = ri.item_id"
                           " LEFT JOIN decisions d ON d.request_item_id = ri.id"
                           " LEFT JOIN user_notices n ON n.decision_id = d.id"
                           " WHERE lr.received_at >= ? AND lr.received_at < ?"
                           " ORDER BY lr.id, ri.id",
                           p, 2, take_row, &acc, NULL, err);
    ar_store_rollback(t);
    if (acc.cur.id)
        write_order(&acc);
    json_decref(acc.cur.urls);
    if (format == AR_ORDERS_JSON)
        fputs("\n]}\n", out);
    if (st == AR_OK && ferror(out))
        st = ar_error_set(err, AR_EIO, "out", "writing the register failed");
    if (st == AR_OK)
        *n = acc.n;
    return st;
}
