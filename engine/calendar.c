/* SPDX-License-Identifier: MIT */
/*
 * Calendar arithmetic for rule date windows: weekdays, calendar-month
 * steps, and working days in England and Wales (civil dates <-> day numbers
 * are ingest/record.h's date_days_from_civil and date_civil_from_days).
 *
 * Bank holidays are computed rather than listed, so that any year works:
 * New Year's Day, Good Friday, Easter Monday, the early May (from 1978),
 * spring and summer bank holidays, Christmas and Boxing Day, with
 * substitute days when they fall at a weekend, the moved early May and
 * spring holidays (1995, 2002, 2012, 2020, 2022) and the one-off holidays
 * (1999-12-31, 2002-06-03, 2011-04-29, 2012-06-05, 2022-06-03, 2022-09-19,
 * 2023-05-08).  Holidays announced after this was written are not known.
 */
#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"

int cal_weekday(int64_t day)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0) */
    int64_t w = (day + 3) % 7;

    return (int)(w < 0 ? w + 7 : w);
}

int64_t cal_day_of(int64_t secs)
{
    int64_t d = secs / 86400;

    if (secs % 86400 < 0)
        d--;
    return d;
}

static int64_t easter_sunday(int y)
{
    /* Anonymous Gregorian algorithm (Meeus/Jones/Butcher) */
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
    int f = (b + 8) / 25, g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int dd = (h + l - 7 * m + 114) % 31 + 1;

    return date_days_from_civil(y, (unsigned)month, (unsigned)dd);
}

/* First Monday on or after day. */
static int64_t monday_on_or_after(int64_t day)
{
    return day + (7 - cal_weekday(day)) % 7;
}

static int64_t last_monday(int y, unsigned m, unsigned last_dom)
{
    int64_t d = date_days_from_civil(y, m, last_dom);

    return d - cal_weekday(d);
}

/* The bank holidays of year y (England and Wales); returns the count. */
static int bank_holidays(int y, int64_t out[16])
{
    int n = 0;
    int64_t d, e, xmas, boxing;
    static const struct {
        int y;
        unsigned m, d;
    } extra[] = {
        {1999, 12, 31}, {2002, 6, 3},  {2011, 4, 29}, {2012, 6, 5},
        {2022, 6, 3},   {2022, 9, 19}, {2023, 5, 8},
    };
    size_t i;

    /* New Year's Day, or the Monday after */
    d = date_days_from_civil(y, 1, 1);
    out[n++] = cal_weekday(d) >= 5 ? monday_on_or_after(d) : d;
    e = easter_sunday(y);
    out[n++] = e - 2;
    out[n++] = e + 1;
    if (y >= 1978) {
        if (y == 1995 || y == 2020)
            out[n++] = date_days_from_civil(y, 5, 8);
        else
            out[n++] = monday_on_or_after(date_days_from_civil(y, 5, 1));
    }
    if (y == 2002 || y == 2012)
        out[n++] = date_days_from_civil(y, 6, 4);
    else if (y == 2022)
        out[n++] = date_days_from_civil(y, 6, 2);
    else
        out[n++] = last_monday(y, 5, 31);
    out[n++] = last_monday(y, 8, 31);
    xmas = date_days_from_civil(y, 12, 25);
    boxing = xmas + 1;
    switch (cal_weekday(xmas)) {
    case 4: /* Friday: Boxing Day (Saturday) moves to Monday */
        out[n++] = xmas;
        out[n++] = xmas + 3;
        break;
    case 5: /* Saturday: Monday and Tuesday */
        out[n++] = xmas + 2;
        out[n++] = xmas + 3;
        break;
    case 6: /* Sunday: Boxing Day Monday, Christmas substitute Tuesday */
        out[n++] = boxing;
        out[n++] = xmas + 2;
        break;
    default:
        out[n++] = xmas;
        out[n++] = boxing;
        break;
    }
    for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
        if (extra[i].y == y)
            out[n++] = date_days_from_civil(y, extra[i].m, extra[i].d);
    return n;
}

bool cal_is_bank_holiday(int64_t day)
{
    int64_t h[16];
    int y, n, i;
    unsigned m, d;

    date_civil_from_days(day, &y, &m, &d);
    n = bank_holidays(y, h);
    for (i = 0; i < n; i++)
        if (h[i] == day)
            return true;
    return false;
}

bool cal_is_working_day(int64_t day)
{
    return cal_weekday(day) < 5 && !cal_is_bank_holiday(day);
}

int64_t cal_add_working_days(int64_t day, int n)
{
    int step = n < 0 ? -1 : 1;

    if (n < 0)
        n = -n;
    while (n > 0) {
        day += step;
        if (cal_is_working_day(day))
            n--;
    }
    return day;
}

int64_t cal_add_months(int64_t day, int n)
{
    int y;
    unsigned m, d, last;
    int64_t months;
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30,
                                     31, 31, 30, 31, 30, 31};

    date_civil_from_days(day, &y, &m, &d);
    months = (int64_t)y * 12 + (m - 1) + n;
    y = (int)(months >= 0 ? months / 12 : (months - 11) / 12);
    m = (unsigned)(months - (int64_t)y * 12) + 1;
    last = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        last = 29;
    if (d > last)
        d = last;
    return date_days_from_civil(y, m, d);
}
