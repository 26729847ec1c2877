/*
 * deadline.c - which rule applies to a request, and when the request is due.
 *
 * A rule applies when (1) its kinds hold the request's kind, (2) it is in
 * force on the UTC day the request was received (effective_from <= day <
 * effective_to), (3) its country is the request's, or is "EU" and the
 * request's country a member state, and (4) its instrument is "*" or is
 * contained, ignoring ASCII case, in the request's instrument.
 *
 * Of the rules that apply, the most specific wins:
 *   - a named instrument beats "*", and a longer instrument a shorter one
 *     ("IT Rules 2021 r.3(2)" beats "IT Rules 2021");
 *   - then the request's own country beats the "EU" group;
 *   - then, between rules still equal (two instruments of the same length
 *     both cited), the earlier deadline: a rule with no fixed time counts
 *     as the latest;
 *   - then the rule written first. load.c refuses two rules with the same
 *     instrument that could tie, so this last step rarely decides.
 */
#include "jurisdiction_int.h"

#include <stdio.h>

/*---- Matching -------------------------------------------------------------------*/

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Does hay[0..hlen) contain needle[0..nlen), ignoring ASCII case? */
static bool contains_nocase(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    if (nlen > hlen)
        return false;
    for (size_t i = 0; i + nlen <= hlen; i++) {
        size_t k = 0;
        while (k < nlen && lower(hay[i + k]) == lower(needle[k]))
            k++;
        if (k == nlen)
            return true;
    }
    return false;
}

static bool in_force(const ar__jur_rule *r, int64_t day)
{
    return (!r->has_from || day >= r->from_day) && (!r->has_to || day < r->to_day);
}

/* How specifically `r` matches the request, higher is better; 0: it does
 * not match. Instrument first (1 for "*", 2 + length for a name), then the
 * country (exact above the EU group). */
static uint64_t specificity(const ar__jur_rule *r, const char *cc, const char *instrument,
                            size_t ilen)
{
    bool exact = strcmp(r->country, cc) == 0;
    if (!exact && !(strcmp(r->country, "EU") == 0 && ar__jurisdiction_in_eu(cc)))
        return 0;
    uint64_t inst;
    if (r->instrument_len == 1 && r->instrument[0] == '*')
        inst = 1;
    else if (contains_nocase(instrument, ilen, r->instrument, r->instrument_len))
        inst = 2 + (uint64_t)r->instrument_len;
    else
        return 0;
    return inst * 2 + (exact ? 1 : 0);
}

/* The clock a request gets from `r`: the emergency variant when asked for
 * and present, else the normal clock (perhaps AR__JUR_NONE). */
static ar__jur_clock clock_for(const ar__jur_rule *r, bool emergency)
{
    return emergency && r->emergency.unit != AR__JUR_NONE ? r->emergency : r->clock;
}

/* When `r` makes the request due; INT64_MAX for no fixed time. */
static int64_t due_for(const ar__jur_rule *r, bool emergency, int64_t received_at)
{
    int64_t due;
    if (!ar__jurisdiction_add_clock(received_at, clock_for(r, emergency), &due))
        return INT64_MAX;
    return due;
}

/*---- Describing a rule ------------------------------------------------------------*/

/* Cut buf (NUL-terminated) so that no UTF-8 sequence is left half-written
 * at its end. snprintf cuts at a byte. */
static void trim_utf8_tail(char *buf)
{
    size_t n = strlen(buf);
    size_t i = n;
    while (i > 0 && ((unsigned char)buf[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)buf[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (i - 1) < want)
        buf[i - 1] = '\0';
}

/* Copy src into dst[size], cut (at a UTF-8 boundary) if it does not fit. */
static void copy_clipped(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
    trim_utf8_tail(dst);
}

/* "IN IT Rules 2021 r.3(1)(d)": the country, the instrument unless it is
 * "*", the provision. */
static void name_rule(const ar__jur_rule *r, char *buf, size_t size)
{
    bool any = r->instrument_len == 1 && r->instrument[0] == '*';
    snprintf(buf, size, "%s %s%s%s", r->country, any ? "" : r->instrument, any ? "" : " ",
             r->provision);
    trim_utf8_tail(buf);
}

/*---- The deadline -------------------------------------------------------------------*/

/* See arbiter/jurisdiction.h. `instrument` may be NULL: only "*" rules match.
 * Returns AR_OK with *out filled; AR_EINVAL for a bad argument or a due
 * time past int64_t; AR_ENOTFOUND when no rule applies, or when the rule
 * that applies sets no fixed time (err then points at its clock:
 * file:line:column and field "rules[i].clock"). *out is cleared unless AR_OK. */
ar_status ar_jurisdictions_deadline(const ar_jurisdictions *j, const char *country,
                                    const char *instrument, const char *kind, bool emergency,
                                    int64_t received_at, ar_deadline *out, ar_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!j || !country || !kind || !out)
        return ar_error_set(err, AR_EINVAL, NULL,
                            "ar_jurisdictions_deadline: j, country, kind or out is NULL");
    char cc[3] = {0};
    bool letters = strlen(country) == 2;
    for (size_t i = 0; letters && i < 2; i++) {
        char c = country[i];
        letters = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        cc[i] = c >= 'a' ? (char)(c - 'a' + 'A') : c;
    }
    if (!letters)
        return ar_error_set(err, AR_EINVAL, "country",
                            "country must be an ISO 3166-1 alpha-2 code such as IN");
    unsigned bit = ar__jurisdiction_kind_bit(kind);
    if (!bit)
        return ar_error_set(err, AR_EINVAL, "kind", "kind must be %s",
                            ar__jurisdiction_kind_list());
    if (!instrument)
        instrument = "";
    size_t ilen = strlen(instrument);
    int64_t day = ar__jurisdiction_day_of(received_at);

    const ar__jur_rule *best = NULL;
    uint64_t best_score = 0;
    for (size_t i = 0; i < j->nrules; i++) {
        const ar__jur_rule *r = &j->rules[i];
        if (!(r->kinds & bit) || !in_force(r, day))
            continue;
        uint64_t score = specificity(r, cc, instrument, ilen);
        if (score == 0)
            continue;
        if (score > best_score ||
            (score == best_score &&
             due_for(r, emergency, received_at) < due_for(best, emergency, received_at))) {
            best = r;
            best_score = score;
        }
    }
    char date[24];
    if (!best) {
        ar__jurisdiction_format_date(day, date, sizeof date);
        if (ilen == 0)
            return ar_error_set(err, AR_ENOTFOUND, NULL,
                                "no rule for %s %s requests received on %s", cc, kind, date);
        return ar_error_set(err, AR_ENOTFOUND, NULL,
                            "no rule for %s '%.*s' %s requests received on %s", cc,
                            CLIP(instrument, 64), kind, date);
    }

    char name[160];
    name_rule(best, name, sizeof name);
    bool urgent = emergency && best->emergency.unit != AR__JUR_NONE;
    ar__jur_clock c = clock_for(best, emergency);
    if (c.unit == AR__JUR_NONE) {
        char field[AR_ERROR_FIELD_MAX];
        snprintf(field, sizeof field, "rules[%zu].clock", best->index);
        return ar_error_set_at(err, AR_ENOTFOUND, j->path, best->clock_line, best->clock_column,
                               field,
                               "%s sets no fixed time%s (%s): use the order's own deadline",
                               name,
                               best->emergency.unit != AR__JUR_NONE ? " outside emergencies" : "",
                               best->confidence);
    }
    int64_t due;
    if (!ar__jurisdiction_add_clock(received_at, c, &due))
        return ar_error_set(err, AR_EINVAL, "received_at",
                            "received_at %lld is too late to add a deadline to",
                            (long long)received_at);

    char clock[48];
    ar__jurisdiction_format_clock(c, clock, sizeof clock);
    out->due_at = due;
    char text[sizeof name + sizeof clock + 32];
    snprintf(text, sizeof text, "%s: %s%s (%s)", name, urgent ? "emergency " : "", clock,
             best->confidence);
    copy_clipped(out->rule, sizeof out->rule, text);
    snprintf(out->confidence, sizeof out->confidence, "%s", best->confidence);
    return AR_OK;
}
