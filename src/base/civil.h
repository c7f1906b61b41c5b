/*
 * civil.h: civil (calendar) time in a fixed UTC offset.
 *
 * Indonesia's three zones (WIB +07, WITA +08, WIT +09) have had no daylight
 * saving since 1964, so a zone is a fixed offset and sigap needs neither
 * tzdata nor the process-global TZ variable: conversions are pure
 * arithmetic, safe from any thread and testable with fixed clocks.
 * Instants are int64 seconds since 1970-01-01T00:00:00Z.
 */
#ifndef SG_CIVIL_H
#define SG_CIVIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct civil_zone {
	const char *name;  /* "Asia/Jakarta" */
	const char *abbr;  /* "WIB" */
	int offset_min;    /* minutes east of UTC */
} civil_zone;

typedef struct civil {
	int year, month, day;   /* month 1..12, day 1..31 */
	int hour, min, sec;
	int wday;               /* 0 = Sunday … 6 = Saturday */
} civil;

/* Asia/Jakarta, the default zone. */
const civil_zone *civil_zone_default(void);
/* By IANA name (Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura,
 * UTC) or abbreviation (WIB, WITA, WIT); NULL if unknown. */
const civil_zone *civil_zone_find(const char *name);

/* Days since 1970-01-01 for a proleptic Gregorian date, and back. */
int64_t civil_days_from_date(int year, int month, int day);
void civil_date_from_days(int64_t days, int *year, int *month, int *day);

void civil_from_epoch(int64_t t, const civil_zone *z, civil *out);
int64_t civil_to_epoch(const civil *c, const civil_zone *z);

/* Local day number (days since 1970-01-01 in zone z) of instant t. */
int64_t civil_local_day(int64_t t, const civil_zone *z);

bool civil_valid_date(int year, int month, int day);

/* The month (1..12) of the English abbreviation at p ("Jan" … "Dec", as
 * syslog and web servers write it; 3 bytes are read), or 0. */
int civil_month_abbr(const char *p);

/* Parses "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS[.fff]]" or "YYYY-MM-DDTHH:MM[:SS[.fff]]"
 * (fractions dropped) with an optional "Z" or "+HH:MM"/"-HH:MM"/"+HHMM"; without one the time is local
 * to z. Returns 0 and the instant, or -1. */
int civil_parse(const char *s, const civil_zone *z, int64_t *out);

/* "2026-11-23T10:05:00+07:00" (RFC 3339 in zone z). */
void civil_format_rfc3339(int64_t t, const civil_zone *z, char *out, size_t n);
/* "23 November 2026 10.05 WIB": the formal Indonesian form. */
void civil_format_id(int64_t t, const civil_zone *z, char *out, size_t n);
/* "5 December 2026, 08:00 WIB": the English form of civil_format_id. */
void civil_format_en(int64_t t, const civil_zone *z, char *out, size_t n);
/* "23/11/2026 10.05": the short Indonesian form, for tables. */
void civil_format_id_short(int64_t t, const civil_zone *z, char *out, size_t n);
/* "2026-11-23": the day of t in zone z, as dates are typed and sent. */
void civil_format_day(int64_t t, const civil_zone *z, char out[16]);
/* "23 November 2026". */
void civil_format_id_date(int64_t t, const civil_zone *z, char *out, size_t n);

/* Indonesian month name, 1..12. */
const char *civil_month_id(int month);
/* "January" … "December". */
const char *civil_month_en(int month);

/* The start of the day months (0 or more) after instant t's day in zone
 * z: the same day of the month, or the month's last when it has fewer
 * (31 January + 1 month: 28 or 29 February). */
int64_t civil_add_months(int64_t t, const civil_zone *z, int months);
/* "2 hari 3 jam 5 menit": a duration in Indonesian, to the minute. */
void civil_format_duration_id(int64_t seconds, char *out, size_t n);

#endif
