/*
 * calendar.c - dates and clocks, all in UTC: "YYYY-MM-DD" to day numbers
 * and back, and a received time plus a clock to a due time.
 *
 * Day numbers count days since 1970-01-01 (day 0, a Thursday), negative
 * before it; the conversions are Howard Hinnant's days_from_civil and
 * civil_from_days, exact for the proleptic Gregorian calendar.
 */
#include "jurisdiction_int.h"

#include <stdio.h>

/*---- Day numbers --------------------------------------------------------------*/

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);                         /* [0, 399] */
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;    /* [0, 365] */
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;              /* [0, 146096] */
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Parse exactly "YYYY-MM-DD" (year 0001 to 9999) into a day number.
 * Returns false for any other shape and for dates that do not exist
 * ("2025-02-29"). */
bool ar__jurisdiction_parse_date(const char *s, size_t len, int64_t *day)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int64_t y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
    unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    *day = days_from_civil(y, m, d);
    return true;
}

void ar__jurisdiction_format_date(int64_t day, char *buf, size_t size)
{
    int64_t y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    snprintf(buf, size, "%04lld-%02u-%02u", (long long)y, m, d);
}

/* Floor division: 1969-12-31T23:00Z is day -1, not day 0. */
int64_t ar__jurisdiction_day_of(int64_t unix_seconds)
{
    int64_t q = unix_seconds / AR__JUR_SECONDS_PER_DAY;
    if (unix_seconds % AR__JUR_SECONDS_PER_DAY < 0)
        q--;
    return q;
}

/* 0 Sunday .. 6 Saturday. */
static int weekday(int64_t day)
{
    int64_t w = (day + 4) % 7; /* day 0 was a Thursday */
    if (w < 0)
        w += 7;
    return (int)w;
}

/*---- Clocks --------------------------------------------------------------------*/

/* The day, n business days after `day`: the n-th Monday-to-Friday day that
 * follows it. A request received on a Saturday or Sunday counts from the
 * Friday before (those days are not counted anyway), so whole weeks can be
 * added at once. */
static int64_t add_business_days(int64_t day, uint32_t n)
{
    int w = weekday(day);
    int64_t d = day - (w == 6 ? 1 : w == 0 ? 2 : 0);
    d += 7 * (int64_t)(n / 5);
    for (uint32_t rem = n % 5; rem > 0;) {
        d++;
        w = weekday(d);
        if (w != 0 && w != 6)
            rem--;
    }
    return d;
}

/* received_at + clock into *due. Business days keep the time of day:
 * received Friday 10:00, 1 business day, due Monday 10:00.
 * Returns false for AR__JUR_NONE or when the sum overflows int64_t. */
bool ar__jurisdiction_add_clock(int64_t received_at, ar__jur_clock c, int64_t *due)
{
    int64_t delta;
    switch (c.unit) {
    case AR__JUR_HOURS:
        delta = (int64_t)c.n * 3600;
        break;
    case AR__JUR_CALENDAR_DAYS:
        delta = (int64_t)c.n * AR__JUR_SECONDS_PER_DAY;
        break;
    case AR__JUR_BUSINESS_DAYS: {
        int64_t day = ar__jurisdiction_day_of(received_at);
        delta = (add_business_days(day, c.n) - day) * AR__JUR_SECONDS_PER_DAY;
        break;
    }
    default:
        return false;
    }
    if (received_at > INT64_MAX - delta)
        return false;
    *due = received_at + delta;
    return true;
}

void ar__jurisdiction_format_clock(ar__jur_clock c, char *buf, size_t size)
{
    const char *unit = c.unit == AR__JUR_HOURS           ? "hour"
                       : c.unit == AR__JUR_BUSINESS_DAYS ? "business day"
                       : c.unit == AR__JUR_CALENDAR_DAYS ? "calendar day"
                                                         : NULL;
    if (!unit)
        snprintf(buf, size, "no fixed time");
    else
        snprintf(buf, size, "%u %s%s", (unsigned)c.n, unit, c.n == 1 ? "" : "s");
}
