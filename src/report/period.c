/*
 * period.c - reporting periods as half-open UTC intervals: a half-year
 * ("2026H2"), a quarter ("2026Q3"), a month ("2026-07"), a year ("2026"),
 * or two days ("2026-07-01..2026-12-31", both included).
 */
#include "report_int.h"

#include <ctype.h>
#include <stdio.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil): no time zone, no libc. */
int64_t ar__days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void ar__civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

void ar__day_format(int64_t t, char out[11])
{
    int y, m, d;
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    ar__civil_from_days(days, &y, &m, &d);
    unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 13u, ud = (unsigned)d % 32u;
    snprintf(out, 11, "%04u-%02u-%02u", uy, um, ud);
}

static int64_t month_start(int y, int m)
{
    return ar__days_from_civil(y, m, 1) * 86400;
}

static int days_in_month(int y, int m)
{
    return (int)(ar__days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
                 ar__days_from_civil(y, m, 1));
}

/* Read exactly `n` digits. */
static bool digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*s)[i]))
            return false;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return true;
}

/* "YYYY-MM-DD" at *s: the day's start in Unix seconds. */
bool ar__day_parse(const char **s, int64_t *out)
{
    int y, m, d;
    const char *p = *s;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &m) || *p++ != '-' ||
        !digits(&p, 2, &d))
        return false;
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    *out = ar__days_from_civil(y, m, d) * 86400;
    *s = p;
    return true;
}

ar_status ar_period_parse(const char *s, const char *field, ar_period *out, ar_error *err)
{
    static const char *const help =
        "%s: '%s' is not a period: use 2026H2, 2026Q3, 2026-07, 2026 or 2026-07-01..2026-12-31";
    if (!field)
        field = "period";
    if (!s || !out || strlen(s) >= sizeof out->label)
        return ar_error_set(err, AR_EINVAL, field, help, field, s ? "(too long)" : "(none)");
    ar_period p = {0};
    const char *c = s;
    int y = 0, n = 0;
    bool ok = false;
    if (strstr(s, "..")) {
        int64_t a = 0, b = 0;
        ok = ar__day_parse(&c, &a) && c[0] == '.' && c[1] == '.' && (c += 2, true) &&
             ar__day_parse(&c, &b) && !*c;
        if (ok && b < a)
            return ar_error_set(err, AR_EINVAL, field, "%s: '%s' ends before it starts", field, s);
        p.start = a;
        p.end = b + 86400;
    } else if (digits(&c, 4, &y)) {
        if (!*c) {
            ok = true;
            p.start = month_start(y, 1);
            p.end = month_start(y + 1, 1);
        } else if ((c[0] == 'H' || c[0] == 'h') && (c[1] == '1' || c[1] == '2') && !c[2]) {
            ok = true;
            n = c[1] - '0';
            p.start = month_start(y, n == 1 ? 1 : 7);
            p.end = n == 1 ? month_start(y, 7) : month_start(y + 1, 1);
        } else if ((c[0] == 'Q' || c[0] == 'q') && c[1] >= '1' && c[1] <= '4' && !c[2]) {
            ok = true;
            n = c[1] - '0';
            p.start = month_start(y, 3 * n - 2);
            p.end = n == 4 ? month_start(y + 1, 1) : month_start(y, 3 * n + 1);
        } else if (c[0] == '-' && (c++, digits(&c, 2, &n)) && !*c && n >= 1 && n <= 12) {
            ok = true;
            p.start = month_start(y, n);
            p.end = n == 12 ? month_start(y + 1, 1) : month_start(y, n + 1);
        }
    }
    if (!ok)
        return ar_error_set(err, AR_EINVAL, field, help, field, s);
    if (p.start < month_start(2000, 1) || p.end > month_start(2100, 1))
        return ar_error_set(err, AR_EINVAL, field, "%s: '%s' is outside the years 2000 to 2099",
                            field, s);
    snprintf(p.label, sizeof p.label, "%s", s);
    *out = p;
    return AR_OK;
}

size_t ar_period_months(const ar_period *p, int64_t *starts, size_t max)
{
    if (!p || p->end <= p->start)
        return 0;
    int y, m, d;
    ar__civil_from_days(p->start / 86400, &y, &m, &d);
    size_t n = 0;
    for (int64_t t = p->start; t < p->end && n < max; n++) {
        starts[n] = t;
        m = m == 12 ? (y++, 1) : m + 1;
        t = month_start(y, m);
    }
    return n;
}
