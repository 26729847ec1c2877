/*
 * report_int.h - what the report module's files share: dates, and the
 * table model every output (JSON, CSV, HTML) is written from.
 */
#ifndef AR_REPORT_INT_H
#define AR_REPORT_INT_H

#include "arbiter/report.h"
#include "common/common_int.h"

#include <stdio.h>

AR_INTERNAL int64_t ar__days_from_civil(int y, int m, int d);
AR_INTERNAL void ar__civil_from_days(int64_t z, int *y, int *m, int *d);
AR_INTERNAL void ar__day_format(int64_t t, char out[11]);
AR_INTERNAL bool ar__day_parse(const char **s, int64_t *out);

/* A column is a dimension (text) or a figure. A share or a duration is
 * published only when its base column (the count it is computed over) is
 * 0 or above the suppression threshold. */
typedef enum rep_kind { REP_DIM, REP_COUNT, REP_SHARE, REP_SECONDS } rep_kind;

typedef struct rep_col {
    const char *name;
    rep_kind kind;
    int base; /* column index, or -1 */
} rep_col;

typedef struct rep_cell {
    char *s;   /* REP_DIM */
    double v;  /* figures */
    bool has;  /* a figure with a value (a median over nothing has none) */
} rep_cell;

#define REP_MAX_COLS 8

typedef struct rep_table {
    const char *name, *title;
    const rep_col *cols;
    size_t ncols, ndims;
    rep_cell *cells; /* nrows * ncols */
    size_t nrows, cap;
} rep_table;

enum {
    T_REQ_KIND, T_REQ_BRANCH, T_REQ_COUNTRY, T_REQ_OUTCOME, T_REQ_TIME,
    T_ACT_COUNTRY, T_ACT_ACTION, T_ACT_GROUND, T_ACT_SOURCE, T_ACT_MONTH, T_AUTOMATION,
    T_NOTICES, T_APPEALS, T_COUNT
};

struct ar_report {
    ar_ctx *ctx;
    ar_report_opts opts;
    char country[3];
    rep_table t[T_COUNT];
};

/* The row of `t` whose dimensions are `keys` (t->ndims strings), made
 * (figures 0) if absent. NULL on out-of-memory. */
AR_INTERNAL rep_cell *ar__rep_row(ar_report *r, rep_table *t, const char *const *keys);

/* Is a count in the band that is not published as a number? */
static inline bool ar__rep_banded(const ar_report *r, double v)
{
    return r->opts.suppress > 0 && v >= 1 && v <= r->opts.suppress;
}

/* A figure as published: "" for no value, the band, or the number. */
AR_INTERNAL void ar__rep_format(const ar_report *r, const rep_table *t, const rep_cell *row,
                                size_t col, char *out, size_t size);

#endif
