/*
 * civil.c: calendar arithmetic in fixed offsets (see civil.h).
 *
 * The day-number conversions are Howard Hinnant's public-domain
 * days_from_civil / civil_from_days algorithms: exact for every
 * proleptic Gregorian date, with no loops and no tables.
 */
#include "civil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const civil_zone zones[] = {
	{"Asia/Jakarta", "WIB", 7 * 60},
	{"Asia/Pontianak", "WIB", 7 * 60},
	{"Asia/Makassar", "WITA", 8 * 60},
	{"Asia/Jayapura", "WIT", 9 * 60},
	{"UTC", "UTC", 0},
};

const civil_zone *civil_zone_default(void)
{
	return &zones[0];
}

const civil_zone *civil_zone_find(const char *name)
{
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
		if (strcasecmp(name, zones[i].name) == 0 || strcasecmp(name, zones[i].abbr) == 0)
			return &zones[i];
	return NULL;
}

int64_t civil_days_from_date(int y, int m, int d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const int64_t yoe = y - era * 400;
	const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_date_from_days(int64_t z, int *year, int *month, int *day)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const int64_t doe = z - era * 146097;
	const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int64_t y = yoe + era * 400;
	const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const int64_t mp = (5 * doy + 2) / 153;
	const int64_t d = doy - (153 * mp + 2) / 5 + 1;
	const int64_t m = mp < 10 ? mp + 3 : mp - 9;
	*year = (int)(y + (m <= 2));
	*month = (int)m;
	*day = (int)d;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t civil_local_day(int64_t t, const civil_zone *z)
{
	return floor_div(t + (int64_t)z->offset_min * 60, 86400);
}

void civil_from_epoch(int64_t t, const civil_zone *z, civil *out)
{
	int64_t local = t + (int64_t)z->offset_min * 60;
	int64_t days = floor_div(local, 86400);
	int64_t secs = local - days * 86400;
	civil_date_from_days(days, &out->year, &out->month, &out->day);
	out->hour = (int)(secs / 3600);
	out->min = (int)(secs / 60 % 60);
	out->sec = (int)(secs % 60);
	/* 1970-01-01 was a Thursday (4). */
	out->wday = (int)((days % 7 + 7 + 4) % 7);
}

int64_t civil_to_epoch(const civil *c, const civil_zone *z)
{
	int64_t days = civil_days_from_date(c->year, c->month, c->day);
	return days * 86400 + c->hour * 3600 + c->min * 60 + c->sec -
	       (int64_t)z->offset_min * 60;
}

int civil_month_abbr(const char *p)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; i < 12; i++)
		if (p[0] == months[3 * i] && p[1] == months[3 * i + 1] && p[2] == months[3 * i + 2])
			return i + 1;
	return 0;
}

bool civil_valid_date(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	int max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

/* Reads exactly n digits. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int civil_parse(const char *s, const civil_zone *z, int64_t *out)
{
	civil c = {0};
	const char *p = s;
	if (digits(&p, 4, &c.year) || *p++ != '-' || digits(&p, 2, &c.month) ||
	    *p++ != '-' || digits(&p, 2, &c.day))
		return -1;
	if (!civil_valid_date(c.year, c.month, c.day))
		return -1;
	int offset = z->offset_min;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (digits(&p, 2, &c.hour) || *p++ != ':' || digits(&p, 2, &c.min))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &c.sec))
				return -1;
			if (*p == '.' && p[1] >= '0' && p[1] <= '9') /* fractions: dropped */
				for (p++; *p >= '0' && *p <= '9'; p++)
					;
		}
		if (c.hour > 23 || c.min > 59 || c.sec > 59)
			return -1;
		if (*p == 'Z') {
			offset = 0;
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om;
			if (digits(&p, 2, &oh))
				return -1;
			if (*p == ':') /* "+07:00"; "+0700" too */
				p++;
			if (digits(&p, 2, &om) || oh > 14 || om > 59)
				return -1;
			offset = sign * (oh * 60 + om);
		}
	}
	if (*p != '\0')
		return -1;
	civil_zone zz = {z->name, z->abbr, offset};
	*out = civil_to_epoch(&c, &zz);
	return 0;
}

void civil_format_rfc3339(int64_t t, const civil_zone *z, char *out, size_t n)
{
	civil c;
	civil_from_epoch(t, z, &c);
	int off = z->offset_min < 0 ? -z->offset_min : z->offset_min;
	if (z->offset_min == 0)
		snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day,
			 c.hour, c.min, c.sec);
	else
		snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c.year, c.month,
			 c.day, c.hour, c.min, c.sec, z->offset_min < 0 ? '-' : '+', off / 60,
			 off % 60);
}

const char *civil_month_id(int m)
{
	static const char *const names[] = {"Januari", "Februari", "Maret", "April",
					    "Mei", "Juni", "Juli", "Agustus",
					    "September", "Oktober", "November", "Desember"};
	return m >= 1 && m <= 12 ? names[m - 1] : "?";
}

void civil_format_id(int64_t t, const civil_zone *z, char *out, size_t n)
{
	civil c;
	civil_from_epoch(t, z, &c);
	snprintf(out, n, "%d %s %04d %02d.%02d %s", c.day, civil_month_id(c.month), c.year,
		 c.hour, c.min, z->abbr);
}

const char *civil_month_en(int m)
{
	static const char *const names[] = {"January", "February", "March",     "April",
					    "May",     "June",     "July",      "August",
					    "September", "October", "November", "December"};
	return m >= 1 && m <= 12 ? names[m - 1] : "?";
}

void civil_format_en(int64_t t, const civil_zone *z, char *out, size_t n)
{
	civil c;
	civil_from_epoch(t, z, &c);
	snprintf(out, n, "%d %s %04d, %02d:%02d %s", c.day, civil_month_en(c.month), c.year,
		 c.hour, c.min, z->abbr);
}

void civil_format_id_short(int64_t t, const civil_zone *z, char *out, size_t n)
{
	civil c;
	civil_from_epoch(t, z, &c);
	snprintf(out, n, "%02d/%02d/%04d %02d.%02d", c.day, c.month, c.year, c.hour, c.min);
}

void civil_format_id_date(int64_t t, const civil_zone *z, char *out, size_t n)
{
	civil c;
	civil_from_epoch(t, z, &c);
	snprintf(out, n, "%d %s %04d", c.day, civil_month_id(c.month), c.year);
}

void civil_format_duration_id(int64_t s, char *out, size_t n)
{
	if (s < 0)
		s = 0;
	int64_t d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;
	size_t len = 0;
	out[0] = '\0';
	if (d)
		len += (size_t)snprintf(out + len, n - len, "%lld hari ", (long long)d);
	if (h && len < n)
		len += (size_t)snprintf(out + len, n - len, "%lld jam ", (long long)h);
	if ((m || (!d && !h)) && len < n)
		len += (size_t)snprintf(out + len, n - len, "%lld menit ", (long long)m);
	if (len > 0 && len <= n && out[len - 1] == ' ')
		out[len - 1] = '\0';
}

int64_t civil_add_months(int64_t t, const civil_zone *z, int months)
{
	civil c;
	civil_from_epoch(t, z, &c);
	int m = c.month - 1 + months;
	c.year += m / 12;
	c.month = m % 12 + 1;
	while (c.day > 28 && !civil_valid_date(c.year, c.month, c.day))
		c.day--;
	c.hour = c.min = c.sec = 0;
	return civil_to_epoch(&c, z);
}

void civil_format_day(int64_t t, const civil_zone *z, char out[16])
{
	civil c;
	civil_from_epoch(t, z, &c);
	snprintf(out, 16, "%04d-%02d-%02d", c.year, c.month, c.day);
}
