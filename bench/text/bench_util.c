/*
 * bench_util.c - clock, files, JSON lines, patterns and truth for the text
 * benchmark's programs (see bench_util.h).
 */
#include "bench_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*---- Clock and files ----*/

double bu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int bu_read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        return -1;
    }
    for (;;) {
        if (n == cap) {
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                fprintf(stderr, "bench: out of memory reading %s\n", path);
                return -1;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        fprintf(stderr, "bench: read error on %s\n", path);
        return -1;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

bool bu_next_line(const char **p, const char *end, const char **line, size_t *len)
{
    if (*p >= end)
        return false;
    const char *s = *p;
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    const char *e = nl ? nl : end;
    *line = s;
    *len = (size_t)(e - s);
    *p = nl ? nl + 1 : end;
    return true;
}

/*---- JSON ----*/

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

/* p at the opening quote: returns the position just past the closing one. */
static const char *scan_string(const char *p, const char *end, bu_jval *v)
{
    const char *s = ++p;
    bool esc = false;
    while (p < end) {
        /* Find the next quote or backslash quickly: most strings have neither
         * until their end. */
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (!q)
            return NULL;
        const char *b = memchr(p, '\\', (size_t)(q - p));
        if (!b) {
            v->s = s;
            v->len = (size_t)(q - s);
            v->is_string = true;
            v->escaped = esc;
            return q + 1;
        }
        esc = true;
        p = b + 2; /* skip the escaped character; \uXXXX digits are plain */
    }
    return NULL;
}

/* Skip any value; sets v to its span. */
static const char *scan_value(const char *p, const char *end, bu_jval *v)
{
    if (p >= end)
        return NULL;
    if (*p == '"')
        return scan_string(p, end, v);
    const char *s = p;
    if (*p == '{' || *p == '[') {
        int depth = 0;
        while (p < end) {
            if (*p == '"') {
                bu_jval tmp;
                p = scan_string(p, end, &tmp);
                if (!p)
                    return NULL;
                continue;
            }
            if (*p == '{' || *p == '[')
                depth++;
            else if (*p == '}' || *p == ']') {
                if (--depth == 0) {
                    p++;
                    break;
                }
            }
            p++;
        }
        if (depth != 0)
            return NULL;
    } else {
        while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t' &&
               *p != '\r' && *p != '\n')
            p++;
        if (p == s)
            return NULL;
    }
    v->s = s;
    v->len = (size_t)(p - s);
    v->is_string = false;
    v->escaped = false;
    return p;
}

int bu_json_member(const char **pos, const char *end, bu_jval *key, bu_jval *val)
{
    const char *p = skip_ws(*pos, end);
    if (p < end && *p == '{')
        p = skip_ws(p + 1, end);
    else if (p < end && *p == ',')
        p = skip_ws(p + 1, end);
    if (p < end && *p == '}') {
        *pos = p + 1;
        return 0;
    }
    if (p >= end || *p != '"')
        return -1;
    p = scan_string(p, end, key);
    if (!p)
        return -1;
    p = skip_ws(p, end);
    if (p >= end || *p != ':')
        return -1;
    p = scan_value(skip_ws(p + 1, end), end, val);
    if (!p)
        return -1;
    *pos = skip_ws(p, end);
    return 1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static long hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static size_t put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

long bu_json_decode(const bu_jval *v, char *out)
{
    const char *p = v->s, *end = v->s + v->len;
    char *o = out;
    if (!v->escaped) {
        memcpy(out, p, v->len);
        return (long)v->len;
    }
    while (p < end) {
        if (*p != '\\') {
            *o++ = *p++;
            continue;
        }
        if (++p >= end)
            return -1;
        char c = *p++;
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            long cp = hex4(p, end);
            if (cp < 0)
                return -1;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long lo = (end - p >= 6 && p[0] == '\\' && p[1] == 'u') ? hex4(p + 2, end) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    cp = 0xFFFD; /* lone high surrogate */
                else {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            /* \uXXXX is 6 bytes and yields at most 3, a pair 12 and 4. */
            o += put_utf8(o, (unsigned long)cp);
            break;
        }
        default: return -1;
        }
    }
    return (long)(o - out);
}

void bu_json_write_string(FILE *f, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    putc('"', f);
    size_t run = 0; /* bytes that need no escape, written in one go */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            run++;
            continue;
        }
        fwrite(s + i - run, 1, run, f);
        run = 0;
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        case '\r': fputs("\\r", f); break;
        default:
            fputs("\\u00", f);
            putc(hex[c >> 4], f);
            putc(hex[c & 15], f);
        }
    }
    fwrite(s + len - run, 1, run, f);
    putc('"', f);
}

/*---- Patterns ----*/

static int push_str(char ***v, size_t *n, size_t *cap, const char *s, size_t len)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 1024;
        char **nv = realloc(*v, nc * sizeof **v);
        if (!nv)
            return -1;
        *v = nv;
        *cap = nc;
    }
    char *c = malloc(len + 1);
    if (!c)
        return -1;
    memcpy(c, s, len);
    c[len] = '\0';
    (*v)[(*n)++] = c;
    return 0;
}

int bu_patterns_load(const char *path, bu_patterns *out)
{
    char *buf;
    size_t len;
    memset(out, 0, sizeof *out);
    if (bu_read_file(path, &buf, &len) != 0)
        return -1;
    size_t clit = 0, cre = 0;
    const char *p = buf, *line;
    size_t ll;
    unsigned lineno = 0;
    while (bu_next_line(&p, buf + len, &line, &ll)) {
        lineno++;
        if (ll == 0 || line[0] == '#')
            continue;
        int rc;
        if (ll > 4 && !memcmp(line, "lit\t", 4))
            rc = push_str(&out->lit, &out->nlit, &clit, line + 4, ll - 4);
        else if (ll > 3 && !memcmp(line, "re\t", 3))
            rc = push_str(&out->re, &out->nre, &cre, line + 3, ll - 3);
        else {
            fprintf(stderr, "bench: %s:%u: expected 'lit<TAB>...' or 're<TAB>...'\n", path,
                    lineno);
            rc = -1;
        }
        if (rc != 0) {
            free(buf);
            bu_patterns_free(out);
            return -1;
        }
    }
    free(buf);
    return 0;
}

void bu_patterns_free(bu_patterns *p)
{
    for (size_t i = 0; i < p->nlit; i++)
        free(p->lit[i]);
    for (size_t i = 0; i < p->nre; i++)
        free(p->re[i]);
    free(p->lit);
    free(p->re);
    memset(p, 0, sizeof *p);
}

/*---- Truth ----*/

/* Split a line on tabs into at most `max` fields (NUL-terminating each). */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;
    f[n++] = line;
    for (char *c = line; *c && n < max; c++)
        if (*c == '\t') {
            *c = '\0';
            f[n++] = c + 1;
        }
    return n;
}

int bu_truth_load(const char *path, bu_truth *out)
{
    char *buf;
    size_t len;
    memset(out, 0, sizeof *out);
    if (bu_read_file(path, &buf, &len) != 0)
        return -1;
    size_t cap = 0;
    char *p = buf, *end = buf + len;
    unsigned lineno = 0;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *line = p;
        if (nl)
            *nl = '\0';
        p = nl ? nl + 1 : end;
        lineno++;
        if (!*line || line[0] == '#' || (lineno == 1 && !strncmp(line, "id\t", 3)))
            continue;
        char *f[8];
        size_t nf = split_tabs(line, f, 8);
        if (nf < 3) {
            fprintf(stderr, "bench: %s:%u: want id, planted, disguised, ...\n", path, lineno);
            free(buf);
            bu_truth_free(out);
            return -1;
        }
        if (out->n == cap) {
            cap = cap ? cap * 2 : 65536;
            bu_truth_row *nr = realloc(out->rows, cap * sizeof *nr);
            if (!nr) {
                free(buf);
                bu_truth_free(out);
                return -1;
            }
            out->rows = nr;
        }
        bu_truth_row *r = &out->rows[out->n];
        memset(r, 0, sizeof *r);
        r->id = strdup(f[0]);
        if (!r->id) {
            free(buf);
            bu_truth_free(out);
            return -1;
        }
        out->n++;
        r->planted = f[1][0] == '1';
        r->disguised = f[2][0] == '1';
        r->regex = nf > 4 && !strncmp(f[4], "regex", 5);
        const char *dname = nf > 5 ? f[5] : (r->planted ? (r->disguised ? "disguised" : "plain")
                                                        : "clean");
        size_t d;
        for (d = 0; d < out->nnames; d++)
            if (!strcmp(out->names[d], dname))
                break;
        if (d == out->nnames && d < 32) {
            out->names[d] = strdup(dname);
            if (!out->names[d]) {
                free(buf);
                bu_truth_free(out);
                return -1;
            }
            out->nnames++;
        }
        r->disg = (unsigned char)(d < 32 ? d : 31);
        r->lang = 3;
        if (nf > 6) {
            if (!strcmp(f[6], "en"))
                r->lang = 0;
            else if (!strcmp(f[6], "ur"))
                r->lang = 1;
            else if (!strcmp(f[6], "roman-ur"))
                r->lang = 2;
        }
    }
    free(buf);
    return 0;
}

void bu_truth_free(bu_truth *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->rows[i].id);
    for (size_t i = 0; i < t->nnames; i++)
        free(t->names[i]);
    free(t->rows);
    memset(t, 0, sizeof *t);
}

double bu_pct(size_t num, size_t den)
{
    return den ? 100.0 * (double)num / (double)den : 0.0;
}

void bu_score_tally(const bu_truth *t, const unsigned char *flagged, size_t n, bu_score *s)
{
    memset(s, 0, sizeof *s);
    if (n > t->n)
        n = t->n;
    s->n = n;
    for (size_t i = 0; i < n; i++) {
        const bu_truth_row *r = &t->rows[i];
        bool hit = flagged[i] != 0;
        if (!r->planted) {
            s->clean++;
            s->clean_hit += hit;
            continue;
        }
        if (r->disguised) {
            s->disg++;
            s->disg_hit += hit;
        } else {
            s->plain++;
            s->plain_hit += hit;
        }
        if (!r->regex) {
            if (r->disguised) {
                s->term_disg++;
                s->term_disg_hit += hit;
            } else {
                s->term_plain++;
                s->term_plain_hit += hit;
            }
        }
        s->by_disg[r->disg]++;
        s->by_disg_hit[r->disg] += hit;
        s->by_lang[r->lang]++;
        s->by_lang_hit[r->lang] += hit;
    }
}

void bu_score_print(FILE *f, const char *tool, const bu_truth *t, const bu_score *s)
{
    static const char *langs[4] = {"en", "ur", "roman-ur", "(none)"};
    fprintf(f, "%s: scored %zu posts: %zu plain plants, %zu disguised plants, %zu clean\n", tool,
            s->n, s->plain, s->disg, s->clean);
    fprintf(f, "  recall plain      %7.3f %%  (%zu/%zu)\n", bu_pct(s->plain_hit, s->plain),
            s->plain_hit, s->plain);
    fprintf(f, "  recall disguised  %7.3f %%  (%zu/%zu)\n", bu_pct(s->disg_hit, s->disg),
            s->disg_hit, s->disg);
    fprintf(f, "  false positives   %7.3f %%  (%zu/%zu clean posts flagged)\n",
            bu_pct(s->clean_hit, s->clean), s->clean_hit, s->clean);
    fprintf(f, "  term plants only: plain %.3f %%, disguised %.3f %%\n",
            bu_pct(s->term_plain_hit, s->term_plain), bu_pct(s->term_disg_hit, s->term_disg));
    fprintf(f, "  recall by disguise:");
    for (size_t d = 0; d < t->nnames; d++)
        if (s->by_disg[d])
            fprintf(f, " %s %.1f%% (%zu/%zu);", t->names[d], bu_pct(s->by_disg_hit[d], s->by_disg[d]),
                    s->by_disg_hit[d], s->by_disg[d]);
    fprintf(f, "\n  recall by language:");
    for (int l = 0; l < 4; l++)
        if (s->by_lang[l])
            fprintf(f, " %s %.1f%% (%zu/%zu);", langs[l], bu_pct(s->by_lang_hit[l], s->by_lang[l]),
                    s->by_lang_hit[l], s->by_lang[l]);
    fprintf(f, "\n");
    fprintf(f,
            "SCORE tool=%s posts=%zu recall_plain=%.4f recall_disguised=%.4f fp_rate=%.4f "
            "plain=%zu plain_hit=%zu disguised=%zu disguised_hit=%zu clean=%zu clean_hit=%zu "
            "term_recall_plain=%.4f term_recall_disguised=%.4f\n",
            tool, s->n, bu_pct(s->plain_hit, s->plain), bu_pct(s->disg_hit, s->disg),
            bu_pct(s->clean_hit, s->clean), s->plain, s->plain_hit, s->disg, s->disg_hit,
            s->clean, s->clean_hit, bu_pct(s->term_plain_hit, s->term_plain),
            bu_pct(s->term_disg_hit, s->term_disg));
}
