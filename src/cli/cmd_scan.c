/*
 * cmd_scan.c - `arbiter scan`: every post of a JSON-lines file, checked on
 * every core, written in input order.
 *
 * The main thread reads batches of lines into a ring and writes finished
 * batches out in order; N workers check batches, each with its own scratch,
 * all on one engine snapshot. A bad line is reported with its number on
 * stderr, counted, and skipped: the scan goes on.
 */
#include "cli.h"
#include "jsonl.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BATCH_LINES 2048
#define BATCH_BYTES (2u << 20)
#define LINE_MAX_BYTES ((size_t)AR_TEXT_MAX_BYTES * 6 + 4096) /* \uXXXX escapes of a max text */

typedef struct scan_line {
    size_t off, len;
    uint64_t lineno;
} scan_line;

typedef enum batch_state { BATCH_FREE, BATCH_FILLED, BATCH_DONE } batch_state;

typedef struct batch {
    batch_state state;
    char *data;
    size_t len, cap;
    scan_line *lines;
    size_t nlines;
    cli_buf out, errs;
    uint64_t posts, flagged, bad, bytes;
    uint64_t *per_standard; /* flagged posts per standard */
} batch;

typedef struct scan {
    ar_engine *engine;
    ar_lists *lists; /* --dir's url lists and banks; an empty snapshot without it */
    ar_ctx *ctx;
    size_t nstandards;
    FILE *in, *out;
    uint64_t lineno;
    char *line;
    size_t line_cap;
    bool eof, read_error;
    /* ring and its cursors, under `mu` */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    batch *ring;
    size_t nring;
    uint64_t next_fill, next_work, next_write;
    /* totals, written by the main thread only */
    uint64_t posts, flagged, bad, bytes, *per_standard;
    /* progress */
    bool tty;
    off_t total_bytes;
    uint64_t bytes_read;
    double t0, last_progress;
} scan;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void scan_usage(FILE *f)
{
    fprintf(f,
            "usage: arbiter scan --policy FILE [--dir DIR] [--threads N] [--out FILE]\n"
            "                    [INPUT.jsonl | -]\n\n"
            "Check every post of a JSON-lines file. Each input line is an object\n"
            "  {\"id\": \"...\" or N, \"text\": \"...\", \"lang\": \"ur\" (optional),\n"
            "   \"links\": [URL, ...] (optional, at most %u),\n"
            "   \"image_hashes\": [64 hex digits of a PDQ hash, ...] (optional, at most %u)}\n"
            "and gives one output line, in input order:\n"
            "  {\"id\":..,\"flagged\":true|false,\"action\":\"none|label|review|remove\",\n"
            "   \"matches\":[{\"standard\":..,\"rule\":..,\"start\":N,\"end\":N}]}\n"
            "start/end are byte offsets into the post's text (UTF-8). A bad line (invalid\n"
            "JSON, no id or text, text over %u bytes) is reported on stderr with its line\n"
            "number, counted and skipped; blank lines are skipped. A progress bar is shown\n"
            "when stderr is a terminal; a summary (posts, flagged per standard, MB/s) ends\n"
            "the run on stderr.\n\n"
            "options:\n"
            "  --policy FILE   the policy (YAML); see policies/README.md\n"
            "  --dir DIR       the workflow directory whose url lists and banks the\n"
            "                  policy's url_list and bank rules name; without it those\n"
            "                  rules match nothing\n"
            "  --threads N     worker threads (default: every core)\n"
            "  --out FILE      write verdicts to FILE instead of standard output\n"
            "  -v, --verbose   debug logs (JSON lines on stderr)\n\n"
            "exit status: 0 every line checked, 3 finished but some lines were bad,\n"
            "             1 failure (policy, input or output), 2 usage\n",
            AR_CHECK_MAX_LINKS, AR_CHECK_MAX_HASHES, AR_TEXT_MAX_BYTES);
}

/*---- One line -------------------------------------------------------------*/

static void bad_line(scan *sc, batch *b, uint64_t lineno, const char *fmt, ...) AR_PRINTF(4, 5);

static void bad_line(scan *sc, batch *b, uint64_t lineno, const char *fmt, ...)
{
    (void)sc;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cli_buf_printf(&b->errs, "{\"level\":\"error\",\"module\":\"scan\",\"event\":\"bad_line\","
                             "\"line\":%llu,\"message\":", (unsigned long long)lineno);
    cli_buf_json_string(&b->errs, msg, strlen(msg));
    cli_buf_puts(&b->errs, "}\n");
    b->bad++;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

/* What a thread needs to read lines: the JSON scratch and the id's JSON. */
typedef struct line_reader {
    cli_jsonl json;
    cli_buf idb;
} line_reader;

static void line_reader_free(line_reader *r)
{
    cli_jsonl_free(&r->json);
    cli_buf_free(&r->idb);
}

/* A line's "links" and "image_hashes" (raw JSON from the line reader) into
 * `in`: read only when the line has them, so text-only input pays nothing.
 * *doc holds the links' strings: decref it after the check. false with the
 * reason in `why`. */
static bool line_signals(const cli_jsonl_item *it, const char **links, ar_pdq_hash *hashes,
                         ar_check_input *in, json_t **doc, char *why, size_t whylen)
{
    if (it->links) {
        json_t *a = *doc = json_loadb(it->links, it->links_len, 0, NULL);
        if (!json_is_array(a) || json_array_size(a) > AR_CHECK_MAX_LINKS) {
            snprintf(why, whylen, "'links' must be an array of at most %u URLs",
                     AR_CHECK_MAX_LINKS);
            return false;
        }
        for (size_t i = 0; i < json_array_size(a); i++) {
            json_t *x = json_array_get(a, i);
            if (!json_is_string(x) || json_string_length(x) == 0 ||
                json_string_length(x) > AR_URL_MAX_BYTES ||
                strlen(json_string_value(x)) != json_string_length(x)) {
                snprintf(why, whylen, "'links[%zu]' must be a URL string", i);
                return false;
            }
            links[i] = json_string_value(x);
        }
        in->links = links;
        in->nlinks = json_array_size(a);
    }
    if (it->image_hashes) {
        json_t *a = json_loadb(it->image_hashes, it->image_hashes_len, 0, NULL);
        bool ok = json_is_array(a) && json_array_size(a) <= AR_CHECK_MAX_HASHES;
        for (size_t i = 0; ok && i < json_array_size(a); i++) {
            json_t *x = json_array_get(a, i);
            ok = json_is_string(x) && ar_pdq_from_hex(json_string_value(x), json_string_length(x),
                                                      &hashes[i], NULL) == AR_OK;
            if (!ok)
                snprintf(why, whylen, "'image_hashes[%zu]' must be a PDQ hash: 64 lowercase hex "
                                      "digits", i);
            else
                in->nhashes = i + 1;
        }
        if (!json_is_array(a) || json_array_size(a) > AR_CHECK_MAX_HASHES)
            snprintf(why, whylen, "'image_hashes' must be an array of at most %u PDQ hashes",
                     AR_CHECK_MAX_HASHES);
        json_decref(a);
        in->hashes = hashes;
        if (!ok)
            return false;
    }
    return true;
}

static void check_line(scan *sc, ar_check_scratch *s, batch *b, const scan_line *l,
                       line_reader *r)
{
    const char *p = b->data + l->off;
    if (blank(p, l->len))
        return;
    cli_jsonl_item it;
    cli_jsonl_error jerr;
    cli_jsonl_status st = cli_jsonl_parse(&r->json, p, l->len, &it, &jerr);
    if (st == CLI_JSONL_ENOMEM) {
        fprintf(stderr, "arbiter scan: out of memory\n");
        exit(CLI_EXIT_FAIL);
    }
    if (st == CLI_JSONL_EJSON) {
        bad_line(sc, b, l->lineno, "invalid JSON at column %zu: %s", jerr.column, jerr.message);
        return;
    }
    if (st != CLI_JSONL_OK) {
        bad_line(sc, b, l->lineno, "%s", jerr.message);
        return;
    }
    /* the id as JSON: a string re-escaped, an integer as its decimal digits */
    cli_buf *idb = &r->idb;
    idb->len = 0;
    if (it.id_is_string)
        cli_buf_json_string(idb, it.id, it.id_len);
    else
        cli_buf_put(idb, it.id, it.id_len);
    ar_verdict v;
    ar_error err = {0};
    ar_check_input in = {.text = it.text, .len = it.text_len, .lang = it.lang};
    const char *links[AR_CHECK_MAX_LINKS];
    ar_pdq_hash hashes[AR_CHECK_MAX_HASHES];
    json_t *doc = NULL;
    char why[160];
    if ((it.links || it.image_hashes) &&
        !line_signals(&it, links, hashes, &in, &doc, why, sizeof why)) {
        json_decref(doc);
        bad_line(sc, b, l->lineno, "%s", why);
        return;
    }
    ar_status cst = ar_check_item(sc->engine, sc->lists, s, &in, &v, &err);
    json_decref(doc); /* the verdict borrows nothing from the links */
    if (cst != AR_OK) {
        if (err.field[0])
            bad_line(sc, b, l->lineno, "%s: %s", err.field, err.message);
        else
            bad_line(sc, b, l->lineno, "%s", err.message);
        return;
    }
    cli_buf_verdict(&b->out, idb->data, idb->len, &v);
    cli_buf_putc(&b->out, '\n');
    b->posts++;
    b->bytes += it.text_len;
    if (v.flagged)
        b->flagged++;
    /* count each standard once per post */
    for (size_t i = 0; i < v.nmatches; i++) {
        const ar_policy *pol = ar_engine_policy(sc->engine);
        for (size_t k = 0; k < sc->nstandards; k++) {
            if (pol->standards[k].id != v.matches[i].standard)
                continue;
            bool seen = false;
            for (size_t j = 0; j < i && !seen; j++)
                seen = v.matches[j].standard == v.matches[i].standard;
            if (!seen)
                b->per_standard[k]++;
        }
    }
}

static void check_batch(scan *sc, ar_check_scratch *s, batch *b, line_reader *r)
{
    for (size_t i = 0; i < b->nlines; i++)
        check_line(sc, s, b, &b->lines[i], r);
}

/*---- Reading and writing (main thread) -------------------------------------*/

/* Fill `b` with up to BATCH_LINES lines. Returns false at end of input. */
static bool read_batch(scan *sc, batch *b)
{
    b->len = b->nlines = 0;
    b->out.len = b->errs.len = 0;
    b->posts = b->flagged = b->bad = b->bytes = 0;
    memset(b->per_standard, 0, sc->nstandards * sizeof *b->per_standard);
    while (b->nlines < BATCH_LINES && b->len < BATCH_BYTES) {
        ssize_t n = getline(&sc->line, &sc->line_cap, sc->in);
        if (n < 0) {
            sc->read_error = ferror(sc->in) != 0;
            return false;
        }
        sc->lineno++;
        sc->bytes_read += (uint64_t)n;
        size_t len = (size_t)n;
        while (len && (sc->line[len - 1] == '\n' || sc->line[len - 1] == '\r'))
            len--;
        if (len > LINE_MAX_BYTES) {
            bad_line(sc, b, sc->lineno, "line is over %zu bytes", LINE_MAX_BYTES);
            continue;
        }
        if (b->len + len + 1 > b->cap) {
            size_t cap = b->cap ? b->cap : BATCH_BYTES;
            while (cap < b->len + len + 1)
                cap *= 2;
            char *d = realloc(b->data, cap);
            if (!d) {
                fprintf(stderr, "arbiter scan: out of memory\n");
                exit(CLI_EXIT_FAIL);
            }
            b->data = d;
            b->cap = cap;
        }
        memcpy(b->data + b->len, sc->line, len);
        b->data[b->len + len] = '\0';
        b->lines[b->nlines++] = (scan_line){b->len, len, sc->lineno};
        b->len += len + 1;
    }
    return true;
}

static void progress(scan *sc, bool final)
{
    if (!sc->tty)
        return;
    double t = now();
    if (!final && t - sc->last_progress < 0.2)
        return;
    sc->last_progress = t;
    double mb = (double)sc->bytes_read / 1e6, secs = t - sc->t0;
    if (sc->total_bytes > 0) {
        double frac = (double)sc->bytes_read / (double)sc->total_bytes;
        int filled = (int)(frac * 30 + 0.5);
        fprintf(stderr, "\r[%-30.*s] %3.0f%% %llu posts %.1f MB/s ", filled,
                "##############################", frac * 100, (unsigned long long)sc->posts,
                secs > 0 ? mb / secs : 0.0);
    } else {
        fprintf(stderr, "\r%llu posts %.1f MB %.1f MB/s ", (unsigned long long)sc->posts, mb,
                secs > 0 ? mb / secs : 0.0);
    }
    if (final)
        fputc('\n', stderr);
}

static bool write_batch(scan *sc, batch *b)
{
    if (b->errs.len) {
        if (sc->tty)
            fputc('\n', stderr);
        fwrite(b->errs.data, 1, b->errs.len, stderr);
    }
    if (b->out.len && fwrite(b->out.data, 1, b->out.len, sc->out) != b->out.len)
        return false;
    sc->posts += b->posts;
    sc->flagged += b->flagged;
    sc->bad += b->bad;
    sc->bytes += b->bytes;
    for (size_t k = 0; k < sc->nstandards; k++)
        sc->per_standard[k] += b->per_standard[k];
    progress(sc, false);
    return true;
}

/*---- Threads -------------------------------------------------------------*/

typedef struct worker_arg {
    scan *sc;
    ar_check_scratch *scratch;
    line_reader reader;
} worker_arg;

static void *worker_main(void *p)
{
    worker_arg *w = p;
    scan *sc = w->sc;
    pthread_mutex_lock(&sc->mu);
    for (;;) {
        while (sc->next_work >= sc->next_fill && !sc->eof)
            pthread_cond_wait(&sc->cv, &sc->mu);
        if (sc->next_work >= sc->next_fill)
            break;
        batch *b = &sc->ring[sc->next_work++ % sc->nring];
        pthread_mutex_unlock(&sc->mu);
        check_batch(sc, w->scratch, b, &w->reader);
        pthread_mutex_lock(&sc->mu);
        b->state = BATCH_DONE;
        pthread_cond_broadcast(&sc->cv);
    }
    pthread_mutex_unlock(&sc->mu);
    return NULL;
}

/* The main thread's loop: write what is done, in order; read while a slot is free. */
static bool coordinate(scan *sc)
{
    bool ok = true;
    pthread_mutex_lock(&sc->mu);
    for (;;) {
        batch *w = &sc->ring[sc->next_write % sc->nring];
        if (sc->next_write < sc->next_fill && w->state == BATCH_DONE) {
            pthread_mutex_unlock(&sc->mu);
            ok = write_batch(sc, w) && ok;
            pthread_mutex_lock(&sc->mu);
            w->state = BATCH_FREE;
            sc->next_write++;
            continue;
        }
        if (!sc->eof && sc->next_fill < sc->next_write + sc->nring) {
            batch *f = &sc->ring[sc->next_fill % sc->nring];
            pthread_mutex_unlock(&sc->mu);
            bool more = read_batch(sc, f);
            pthread_mutex_lock(&sc->mu);
            if (f->nlines || f->errs.len) {
                f->state = BATCH_FILLED;
                sc->next_fill++;
            }
            sc->eof = !more;
            pthread_cond_broadcast(&sc->cv);
            continue;
        }
        if (sc->eof && sc->next_write == sc->next_fill)
            break;
        pthread_cond_wait(&sc->cv, &sc->mu);
    }
    pthread_mutex_unlock(&sc->mu);
    return ok;
}

static void batch_init(batch *b, size_t nstandards)
{
    memset(b, 0, sizeof *b);
    b->lines = malloc(BATCH_LINES * sizeof *b->lines);
    b->per_standard = calloc(nstandards ? nstandards : 1, sizeof *b->per_standard);
    if (!b->lines || !b->per_standard) {
        fprintf(stderr, "arbiter scan: out of memory\n");
        exit(CLI_EXIT_FAIL);
    }
}

static void batch_free(batch *b)
{
    free(b->data);
    free(b->lines);
    free(b->per_standard);
    cli_buf_free(&b->out);
    cli_buf_free(&b->errs);
}

/* --threads 1 runs inline: no pool, so the figure is one core's. */
static bool run_inline(scan *sc, ar_check_scratch *s)
{
    batch b;
    batch_init(&b, sc->nstandards);
    line_reader r = {0};
    bool ok = true, more = true;
    while (more && ok) {
        more = read_batch(sc, &b);
        check_batch(sc, s, &b, &r);
        ok = write_batch(sc, &b);
    }
    line_reader_free(&r);
    batch_free(&b);
    return ok;
}

static bool run_pool(scan *sc, int nthreads)
{
    sc->nring = (size_t)nthreads * 2 + 2;
    sc->ring = calloc(sc->nring, sizeof *sc->ring);
    pthread_t *tids = calloc((size_t)nthreads, sizeof *tids);
    worker_arg *args = calloc((size_t)nthreads, sizeof *args);
    if (!sc->ring || !tids || !args) {
        fprintf(stderr, "arbiter scan: out of memory\n");
        exit(CLI_EXIT_FAIL);
    }
    for (size_t i = 0; i < sc->nring; i++)
        batch_init(&sc->ring[i], sc->nstandards);
    pthread_mutex_init(&sc->mu, NULL);
    pthread_cond_init(&sc->cv, NULL);
    int started = 0;
    bool ok = true;
    for (int i = 0; i < nthreads; i++) {
        ar_error err;
        args[i].sc = sc;
        if (ar_check_scratch_new(sc->ctx, &args[i].scratch, &err) != AR_OK) {
            cli_report("arbiter scan", &err);
            ok = false;
            break;
        }
        if (pthread_create(&tids[i], NULL, worker_main, &args[i]) != 0) {
            fprintf(stderr, "arbiter scan: cannot start thread %d\n", i);
            ar_check_scratch_free(args[i].scratch);
            ok = false;
            break;
        }
        started++;
    }
    if (ok)
        ok = coordinate(sc);
    pthread_mutex_lock(&sc->mu);
    sc->eof = true;
    pthread_cond_broadcast(&sc->cv);
    pthread_mutex_unlock(&sc->mu);
    for (int i = 0; i < started; i++) {
        pthread_join(tids[i], NULL);
        ar_check_scratch_free(args[i].scratch);
        line_reader_free(&args[i].reader);
    }
    for (size_t i = 0; i < sc->nring; i++)
        batch_free(&sc->ring[i]);
    pthread_cond_destroy(&sc->cv);
    pthread_mutex_destroy(&sc->mu);
    free(sc->ring);
    free(tids);
    free(args);
    return ok && started == nthreads;
}

static void summary(scan *sc, int nthreads)
{
    double secs = now() - sc->t0;
    double mbs = secs > 0 ? (double)sc->bytes_read / 1e6 / secs : 0;
    double pps = secs > 0 ? (double)sc->posts / secs : 0;
    const ar_policy *p = ar_engine_policy(sc->engine);
    cli_buf b = {0};
    cli_buf_printf(&b, "{\"level\":\"info\",\"module\":\"scan\",\"event\":\"summary\","
                       "\"posts\":%llu,\"flagged\":%llu,\"bad_lines\":%llu,\"bytes\":%llu,"
                       "\"text_bytes\":%llu,\"seconds\":%.3f,\"mb_per_s\":%.2f,\"posts_per_s\":%.0f,"
                       "\"threads\":%d,\"flagged_by_standard\":{",
                   (unsigned long long)sc->posts, (unsigned long long)sc->flagged,
                   (unsigned long long)sc->bad, (unsigned long long)sc->bytes_read,
                   (unsigned long long)sc->bytes, secs, mbs, pps, nthreads);
    for (size_t k = 0; k < sc->nstandards; k++) {
        if (k)
            cli_buf_putc(&b, ',');
        cli_buf_json_string(&b, p->standards[k].id, strlen(p->standards[k].id));
        cli_buf_printf(&b, ":%llu", (unsigned long long)sc->per_standard[k]);
    }
    cli_buf_puts(&b, "}}");
    if (sc->tty) {
        fprintf(stderr, "posts %llu, flagged %llu, bad lines %llu; %.1f MB in %.2f s = %.1f MB/s, "
                        "%.0f posts/s on %d thread%s\n",
                (unsigned long long)sc->posts, (unsigned long long)sc->flagged,
                (unsigned long long)sc->bad, (double)sc->bytes_read / 1e6, secs, mbs, pps,
                nthreads, nthreads == 1 ? "" : "s");
        for (size_t k = 0; k < sc->nstandards; k++)
            fprintf(stderr, "  %-24s %llu\n", p->standards[k].id,
                    (unsigned long long)sc->per_standard[k]);
    } else {
        fprintf(stderr, "%s\n", b.data);
    }
    cli_buf_free(&b);
}

int cli_scan(int argc, char **argv)
{
    const char *policy = NULL, *out_path = NULL, *in_path = NULL, *dir = NULL, *v;
    long nthreads = sysconf(_SC_NPROCESSORS_ONLN);
    bool verbose = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            scan_usage(stdout);
            return CLI_EXIT_OK;
        } else if ((v = cli_opt(argc, argv, &i, "--policy"))) {
            policy = v;
        } else if ((v = cli_opt(argc, argv, &i, "--out"))) {
            out_path = v;
        } else if ((v = cli_opt(argc, argv, &i, "--dir"))) {
            dir = v;
        } else if ((v = cli_opt(argc, argv, &i, "--threads"))) {
            char *end;
            nthreads = strtol(v, &end, 10);
            if (*end || nthreads < 1 || nthreads > 256) {
                fprintf(stderr, "arbiter scan: --threads must be 1..256, not '%s'\n", v);
                return CLI_EXIT_USAGE;
            }
        } else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
            verbose = true;
        } else if (argv[i][0] == '-' && strcmp(argv[i], "-") != 0) {
            fprintf(stderr, "arbiter scan: unknown option '%s'\n\n", argv[i]);
            scan_usage(stderr);
            return CLI_EXIT_USAGE;
        } else if (in_path) {
            fprintf(stderr, "arbiter scan: one input file only ('%s' and '%s')\n", in_path,
                    argv[i]);
            return CLI_EXIT_USAGE;
        } else {
            in_path = argv[i];
        }
    }
    if (!policy) {
        fprintf(stderr, "arbiter scan: --policy FILE is required\n");
        return CLI_EXIT_USAGE;
    }
    if (nthreads < 1)
        nthreads = 1;
    scan sc = {0};
    sc.in = (!in_path || !strcmp(in_path, "-")) ? stdin : fopen(in_path, "rb");
    if (!sc.in) {
        fprintf(stderr, "arbiter scan: cannot open '%s': %s\n", in_path, strerror(errno));
        return CLI_EXIT_FAIL;
    }
    sc.out = out_path ? fopen(out_path, "wb") : stdout;
    if (!sc.out) {
        fprintf(stderr, "arbiter scan: cannot create '%s': %s\n", out_path, strerror(errno));
        return CLI_EXIT_FAIL;
    }
    ar_ctx *ctx = cli_ctx_new(verbose);
    ar_error err = {0};
    if (!ctx || ar_engine_load_file(ctx, policy, &sc.engine, &err) != AR_OK ||
        cli_load_lists(ctx, dir, &sc.lists, &err) != AR_OK ||
        (dir && ar_engine_check_lists(sc.engine, sc.lists, &err) != AR_OK)) {
        if (ctx)
            cli_report("arbiter scan", &err);
        ar_lists_release(sc.lists);
        ar_engine_release(sc.engine);
        ar_ctx_free(ctx);
        return CLI_EXIT_FAIL;
    }
    sc.ctx = ctx;
    sc.nstandards = ar_engine_policy(sc.engine)->nstandards;
    sc.per_standard = calloc(sc.nstandards ? sc.nstandards : 1, sizeof *sc.per_standard);
    sc.tty = isatty(STDERR_FILENO);
    struct stat st;
    if (fstat(fileno(sc.in), &st) == 0 && S_ISREG(st.st_mode))
        sc.total_bytes = st.st_size;
    sc.t0 = now();

    bool ok;
    if (nthreads == 1) {
        ar_check_scratch *s = NULL;
        ok = ar_check_scratch_new(ctx, &s, &err) == AR_OK;
        if (!ok)
            cli_report("arbiter scan", &err);
        else
            ok = run_inline(&sc, s);
        ar_check_scratch_free(s);
    } else {
        ok = run_pool(&sc, (int)nthreads);
    }
    if (fflush(sc.out) != 0 || ferror(sc.out)) {
        fprintf(stderr, "arbiter scan: writing the output failed: %s\n", strerror(errno));
        ok = false;
    }
    if (sc.read_error) {
        fprintf(stderr, "arbiter scan: reading the input failed\n");
        ok = false;
    }
    progress(&sc, true);
    summary(&sc, (int)nthreads);
    if (sc.in != stdin)
        fclose(sc.in);
    if (sc.out != stdout && fclose(sc.out) != 0)
        ok = false;
    free(sc.line);
    free(sc.per_standard);
    ar_lists_release(sc.lists);
    ar_engine_release(sc.engine);
    ar_ctx_free(ctx);
    if (!ok)
        return CLI_EXIT_FAIL;
    return sc.bad ? CLI_EXIT_BAD_INPUT : CLI_EXIT_OK;
}
