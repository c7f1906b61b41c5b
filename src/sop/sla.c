/*
 * sla.c: the working calendar and the SLA clock (see sla.h).
 *
 * Both walks go a local day at a time, so their cost is the number of days
 * spanned (a 14 Hari step spans about 20), with a binary search of the
 * holiday list on each. A calendar is checked to have at least one working
 * weekday, and the walks stop after 20 years, so they always end.
 */
#include "sla.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_WALK_DAYS = 20 * 366 };

void sla_calendar_default(sla_calendar *c)
{
	c->zone = civil_zone_default();
	c->open_min = 7 * 60 + 30;
	c->close_min = 16 * 60;
	c->weekdays = 0x3E; /* Monday..Friday */
	c->holidays = NULL;
	c->n_holidays = 0;
}

void sla_calendar_free(sla_calendar *c)
{
	free(c->holidays);
	c->holidays = NULL;
	c->n_holidays = 0;
}

static int parse_hhmm(const char *s, int *out)
{
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	int h = (s[0] - '0') * 10 + s[1] - '0', m = (s[3] - '0') * 10 + s[4] - '0';
	if (h > 24 || m > 59 || (h == 24 && m))
		return -1;
	*out = h * 60 + m;
	return 0;
}

int sla_calendar_set_hours(sla_calendar *c, const char *text, sg_err *e)
{
	int open, close;
	if (strlen(text) != 11 || text[5] != '-' || parse_hhmm(text, &open) ||
	    parse_hhmm(text + 6, &close) || close <= open)
		return sg_err_set(e, SG_EINVAL,
				  "working hours '%s' must be HH:MM-HH:MM with the end after the start",
				  text);
	c->open_min = open;
	c->close_min = close;
	return 0;
}

int sla_calendar_set_weekdays(sla_calendar *c, const char *text, sg_err *e)
{
	static const char *const id[] = {"minggu", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu"};
	static const char *const en[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
	unsigned mask = 0;
	const char *p = text;
	while (*p) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, ", \t");
		int d = -1;
		for (int i = 0; i < 7 && d < 0; i++)
			if ((n == strlen(id[i]) && strncasecmp(p, id[i], n) == 0) ||
			    (n == strlen(en[i]) && strncasecmp(p, en[i], n) == 0) ||
			    (n == 3 && (strncasecmp(p, id[i], 3) == 0 || strncasecmp(p, en[i], 3) == 0)))
				d = i;
		if (d < 0)
			return sg_err_set(e, SG_EINVAL, "unknown day '%.*s' in working days (use senin … minggu)",
					  (int)n, p);
		mask |= 1u << d;
		p += n;
	}
	if (mask == 0)
		return sg_err_set(e, SG_EINVAL, "the working calendar needs at least one working day");
	c->weekdays = mask;
	return 0;
}

static int cmp_day(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int sla_calendar_add_holidays(sla_calendar *c, const char *text, sg_err *e)
{
	const char *p = text;
	while (*p) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, ", \t\n");
		char date[16];
		int y, m, d;
		if (n != 10 || (memcpy(date, p, 10), date[10] = '\0',
				sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3) ||
		    date[4] != '-' || date[7] != '-' || !civil_valid_date(y, m, d))
			return sg_err_set(e, SG_EINVAL, "holiday '%.*s' must be a date YYYY-MM-DD", (int)n, p);
		int64_t *v = realloc(c->holidays, (c->n_holidays + 1) * sizeof *v);
		if (v == NULL)
			abort();
		c->holidays = v;
		c->holidays[c->n_holidays++] = civil_days_from_date(y, m, d);
		p += n;
	}
	if (c->n_holidays > 0)
		qsort(c->holidays, c->n_holidays, sizeof *c->holidays, cmp_day);
	return 0;
}

int sla_calendar_set_zone(sla_calendar *c, const char *text, sg_err *e)
{
	const civil_zone *z = civil_zone_find(text);
	if (z == NULL)
		return sg_err_set(e, SG_EINVAL,
				  "unknown time zone '%s' (use Asia/Jakarta, Asia/Makassar, Asia/Jayapura or UTC)",
				  text);
	c->zone = z;
	return 0;
}

bool sla_is_workday(const sla_calendar *c, int64_t day)
{
	int wday = (int)((day % 7 + 7 + 4) % 7);
	if (!(c->weekdays & (1u << wday)))
		return false;
	return c->n_holidays == 0 ||
	       bsearch(&day, c->holidays, c->n_holidays, sizeof *c->holidays, cmp_day) == NULL;
}

long sla_workday_seconds(const sla_calendar *c)
{
	return (long)(c->close_min - c->open_min) * 60;
}

/* Instants where working day `day` opens and closes. */
static void window(const sla_calendar *c, int64_t day, int64_t *open, int64_t *close)
{
	int64_t midnight = day * 86400 - (int64_t)c->zone->offset_min * 60;
	*open = midnight + (int64_t)c->open_min * 60;
	*close = midnight + (int64_t)c->close_min * 60;
}

int64_t sla_add_working(const sla_calendar *c, int64_t start, int64_t seconds)
{
	int64_t day = civil_local_day(start, c->zone), t = start;
	for (int i = 0; i < MAX_WALK_DAYS; i++, day++) {
		if (!sla_is_workday(c, day))
			continue;
		int64_t open, close;
		window(c, day, &open, &close);
		if (t < open)
			t = open;
		if (t >= close)
			continue;
		if (seconds <= close - t)
			return t + seconds;
		seconds -= close - t;
	}
	return start + seconds; /* not reached with a valid calendar */
}

int64_t sla_working_between(const sla_calendar *c, int64_t from, int64_t to)
{
	if (to <= from)
		return 0;
	int64_t total = 0, last = civil_local_day(to, c->zone);
	int64_t day = civil_local_day(from, c->zone);
	for (int i = 0; day <= last && i < MAX_WALK_DAYS; i++, day++) {
		if (!sla_is_workday(c, day))
			continue;
		int64_t open, close;
		window(c, day, &open, &close);
		int64_t a = from > open ? from : open, b = to < close ? to : close;
		if (b > a)
			total += b - a;
	}
	return total;
}

int64_t sla_due(const sla_calendar *c, const sop_waktu *w, int64_t start)
{
	switch (w->unit) {
	case WAKTU_MENIT:
	case WAKTU_JAM:
		return start + sop_waktu_seconds(w, 0);
	case WAKTU_HARI:
		return sla_add_working(c, start, sop_waktu_seconds(w, sla_workday_seconds(c)));
	default:
		return 0;
	}
}

void sla_measure(const sla_calendar *c, const sop_waktu *w, int64_t start, int64_t finish,
		 sla_result *out)
{
	out->due = sla_due(c, w, start);
	out->spent = w->unit == WAKTU_HARI ? sla_working_between(c, start, finish)
					   : (finish > start ? finish - start : 0);
	out->met = w->unit == WAKTU_NONE || finish <= out->due;
}
