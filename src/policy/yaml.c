/*
 * yaml.c - YAML text to a small tree with a position on every node.
 *
 * libfyaml 0.7 gives positions on tokens and events but not on document
 * nodes (no fy_node_get_start_mark()), and a policy author needs a line and
 * column for every problem. So we read libfyaml's event stream and build
 * our own tree in an arena: scalars, sequences and mappings, each with its
 * 1-based line and column (columns count code points, as libfyaml does).
 *
 * libfyaml never prints: its diagnostics go to a collecting fy_diag whose
 * errors become ours ("YAML syntax error: ..." at file:line:column).
 */
#include "policy_int.h"

#include <libfyaml.h>

/*---- Characters -----------------------------------------------------------*/

/* YAML's c-printable: tab, LF, CR, visible ASCII, NEL and the rest of
 * Unicode but for C1 controls, surrogates, U+FFFE and U+FFFF. */
static bool yaml_printable(uint32_t cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0x7E) || cp == 0x85 ||
           (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Report the first invalid UTF-8 sequence or character YAML does not allow
 * on every line of data[0..len). Returns true if there is none.
 * Checked before libfyaml sees the text: it turns bad bytes in a plain
 * scalar into an empty string without a word, and 0.7.12 crashes in
 * fy_parser_destroy() on some inputs holding a NUL ("? d:\t\0"). */
static bool check_chars(ar__pstate *st, const char *data, size_t len)
{
    const unsigned char *s = (const unsigned char *)data;
    unsigned line = 1, column = 1;
    bool ok = true, line_reported = false;
    size_t i = 0;
    while (i < len && !st->fatal) {
        uint32_t cp = 0;
        size_t n = ar__policy_utf8_next(s + i, len - i, &cp);
        if (n == 0 || !yaml_printable(cp)) {
            if (!line_reported && n == 0)
                ar__policy_report(st, AR_EINVAL, st->file, line, column,
                                  "invalid UTF-8 (byte 0x%02x): a policy file must be UTF-8",
                                  s[i]);
            else if (!line_reported)
                ar__policy_report(st, AR_EINVAL, st->file, line, column,
                                  "control character U+%04X is not allowed in a YAML file",
                                  (unsigned)cp);
            line_reported = true;
            ok = false;
            if (n == 0)
                n = 1;
        } else if (cp == '\n') {
            line++;
            column = 0;
            line_reported = false;
        }
        i += n;
        column++;
    }
    return ok;
}

/*---- Building the tree ----------------------------------------------------*/

typedef struct builder {
    ar__pstate *st;
    ar__ynode *root;
    ar__ynode *cur; /* the open sequence or mapping */
    unsigned line, column; /* the last position seen, for events without one */
} builder;

/* A node of `kind` at the event's position, appended to the open container.
 * Returns NULL when out of memory (st->fatal is set). */
static ar__ynode *add_node(builder *b, struct fy_event *fye, ar__ynode_kind kind)
{
    const struct fy_mark *m = fy_event_start_mark(fye);
    if (m && m->line >= 0 && m->column >= 0) {
        b->line = (unsigned)m->line + 1;
        b->column = (unsigned)m->column + 1;
    }
    ar__ynode *n = ar__arena_calloc(&b->st->tree, 1, sizeof *n);
    if (!n) {
        ar__policy_oom(b->st);
        return NULL;
    }
    n->kind = kind;
    n->line = b->line;
    n->column = b->column;
    n->parent = b->cur;
    if (!b->cur) {
        if (!b->root)
            b->root = n;
    } else {
        if (b->cur->last)
            b->cur->last->next = n;
        else
            b->cur->child = n;
        b->cur->last = n;
        b->cur->n++;
    }
    return n;
}

/* Fill a scalar node from the event's value token. */
static void set_scalar(builder *b, ar__ynode *n, struct fy_event *fye)
{
    struct fy_token *tok = fye->scalar.value;
    size_t len = 0;
    const char *text = tok ? fy_token_get_text(tok, &len) : "";
    if (!text) {
        /* libfyaml could not produce the text (its own allocation failed,
         * or the scalar defeated it): not our memory, so not AR_ENOMEM. */
        ar__policy_report(b->st, AR_EINVAL, b->st->file, n->line, n->column,
                          "YAML: this value cannot be read");
        n->kind = AR__YN_BAD;
        return;
    }
    if (memchr(text, '\0', len)) {
        ar__policy_report(b->st, AR_EINVAL, b->st->file, n->line, n->column,
                          "a string holds a NUL character (\\0)");
        n->kind = AR__YN_BAD;
        return;
    }
    enum fy_scalar_style style = tok ? fy_token_scalar_style(tok) : FYSS_PLAIN;
    n->plain = style == FYSS_PLAIN;
    /* libfyaml marks a quoted scalar at its first character; point at the
     * opening quote, as an editor would. */
    if ((style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) && n->column > 1)
        n->column--;
    n->len = len;
    n->str = ar__arena_strndup(&b->st->tree, text, len);
    if (!n->str)
        ar__policy_oom(b->st);
}

/* Handle one event. Returns false to stop reading (a second document). */
static bool on_event(builder *b, struct fy_event *fye)
{
    ar__pstate *st = b->st;
    ar__ynode *n;
    switch (fye->type) {
    case FYET_DOCUMENT_START:
        if (b->root) {
            const struct fy_mark *m = fy_event_start_mark(fye);
            unsigned line = m ? (unsigned)m->line + 1 : b->line;
            unsigned col = m ? (unsigned)m->column + 1 : 1;
            ar__policy_report(st, AR_EINVAL, st->file, line, col,
                              "a policy file holds one YAML document: remove this '---' and "
                              "what follows, or merge it into the first");
            return false;
        }
        return true;
    case FYET_MAPPING_START:
    case FYET_SEQUENCE_START:
        n = add_node(b, fye, fye->type == FYET_MAPPING_START ? AR__YN_MAP : AR__YN_SEQ);
        if (n)
            b->cur = n;
        return true;
    case FYET_MAPPING_END:
    case FYET_SEQUENCE_END:
        if (b->cur)
            b->cur = b->cur->parent;
        return true;
    case FYET_SCALAR:
        n = add_node(b, fye, AR__YN_SCALAR);
        if (n)
            set_scalar(b, n, fye);
        return true;
    case FYET_ALIAS:
        n = add_node(b, fye, AR__YN_BAD);
        if (n && n->column > 1)
            n->column--; /* libfyaml marks the name; point at the '*' */
        if (n)
            ar__policy_report(st, AR_EINVAL, st->file, n->line, n->column,
                              "YAML aliases ('*name') are not supported in a policy: write the "
                              "value out");
        return true;
    default:
        return true;
    }
}

static void discard_output(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag;
    (void)user;
    (void)buf;
    (void)len;
}

/* Turn libfyaml's collected errors into ours. Returns how many there were. */
static size_t report_yaml_errors(ar__pstate *st, struct fy_diag *diag)
{
    size_t n = 0;
    void *it = NULL;
    struct fy_diag_error *de;
    while ((de = fy_diag_errors_iterate(diag, &it)) != NULL) {
        if (de->type < FYET_ERROR)
            continue;
        /* Collected positions are already 1-based. */
        unsigned line = de->line > 0 ? (unsigned)de->line : 1;
        unsigned col = de->column > 0 ? (unsigned)de->column : 1;
        ar__policy_report(st, AR_EINVAL, st->file, line, col, "YAML syntax error: %s",
                          de->msg ? de->msg : "unreadable YAML");
        n++;
    }
    return n;
}

/* Build the YAML tree of data[0..len) in st->tree.
 * Returns the root node, or NULL when there is nothing to check: invalid
 * UTF-8, a YAML syntax error, an empty file (each reported) or out of memory. */
ar__ynode *ar__policy_yaml_load(ar__pstate *st, const char *data, size_t len)
{
    if (!check_chars(st, data, len))
        return NULL;

    struct fy_diag_cfg dc;
    fy_diag_cfg_default(&dc);
    dc.fp = NULL;
    dc.output_fn = discard_output;
    dc.user = NULL;
    dc.colorize = false;
    struct fy_diag *diag = fy_diag_create(&dc);
    if (!diag) {
        ar__policy_oom(st);
        return NULL;
    }
    fy_diag_set_collect_errors(diag, true);

    struct fy_parse_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 | FYPCF_JSON_NONE;
    cfg.diag = diag;
    struct fy_parser *fyp = fy_parser_create(&cfg);
    if (!fyp || fy_parser_set_string(fyp, len ? data : "", len) != 0) {
        if (fyp)
            fy_parser_destroy(fyp);
        fy_diag_destroy(diag); /* frees the collected errors; unref would not */
        ar__policy_oom(st);
        return NULL;
    }

    builder b = {.st = st, .line = 1, .column = 1};
    struct fy_event *fye;
    while (!st->fatal && (fye = fy_parser_parse(fyp)) != NULL) {
        bool go_on = on_event(&b, fye);
        fy_parser_event_free(fyp, fye);
        if (!go_on)
            break;
    }
    bool syntax_error = fy_parser_get_stream_error(fyp);
    size_t nerr = report_yaml_errors(st, diag);
    if (syntax_error && nerr == 0)
        ar__policy_report(st, AR_EINVAL, st->file, b.line, b.column,
                          "YAML syntax error: the file cannot be read as YAML past here");
    fy_parser_destroy(fyp);
    fy_diag_destroy(diag); /* frees the collected errors; unref would not */

    if (st->fatal || syntax_error || nerr)
        return NULL;
    if (!b.root) {
        ar__policy_report(st, AR_EINVAL, st->file, 1, 1,
                          "the policy is empty: it needs at least 'version: 1' and 'standards'");
        return NULL;
    }
    return b.root;
}
