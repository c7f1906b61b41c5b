/*
 * sla.h: the SLA clock of SOP steps on a working calendar.
 *
 * The SOPs give each step a standard time. Menit and Jam are elapsed time:
 * a 10 Menit step started at 15:55 on a Friday is due at 16:05. Hari are
 * working days: the clock runs only inside working hours (default Monday
 * to Friday 07:30–16:00 Asia/Jakarta) on days that are not holidays, and
 * one Hari is one whole working day of it, so a 1 Hari step started on a
 * Friday at 10:00 is due on Monday at 10:00 (Tuesday if Monday is a
 * holiday). A step started outside working hours starts its Hari clock at
 * the next opening.
 */
#ifndef SG_SOP_SLA_H
#define SG_SOP_SLA_H

#include <stdbool.h>
#include <stdint.h>

#include "base/civil.h"
#include "base/err.h"
#include "sop.h"

typedef struct sla_calendar {
	const civil_zone *zone;
	int open_min, close_min; /* minutes after local midnight */
	unsigned weekdays;       /* bit d set: civil wday d (0 = Sunday) works */
	int64_t *holidays;       /* local day numbers, sorted, owned */
	size_t n_holidays;
} sla_calendar;

typedef struct sla_result {
	int64_t due;    /* instant the step was due; 0 when the step has no time */
	int64_t spent;  /* seconds: elapsed for Menit/Jam, working for Hari */
	bool met;       /* finished at or before due (always true without time) */
} sla_result;

/* Monday–Friday 07:30–16:00 Asia/Jakarta, no holidays. */
void sla_calendar_default(sla_calendar *c);
void sla_calendar_free(sla_calendar *c);

/* Setters from configuration text; each returns -1 with a message. */
int sla_calendar_set_hours(sla_calendar *c, const char *text, sg_err *e);    /* "07:30-16:00" */
int sla_calendar_set_weekdays(sla_calendar *c, const char *text, sg_err *e); /* "senin,…,jumat" */
int sla_calendar_add_holidays(sla_calendar *c, const char *text, sg_err *e); /* "2026-12-25, …" */
int sla_calendar_set_zone(sla_calendar *c, const char *text, sg_err *e);     /* "Asia/Jakarta" */

bool sla_is_workday(const sla_calendar *c, int64_t local_day);
long sla_workday_seconds(const sla_calendar *c);

/* The instant at which `seconds` of working time have passed from start.
 * O(days spanned). */
int64_t sla_add_working(const sla_calendar *c, int64_t start, int64_t seconds);
/* Working seconds between two instants. O(days spanned). */
int64_t sla_working_between(const sla_calendar *c, int64_t from, int64_t to);

/* Due instant of a step with standard time w started at start. */
int64_t sla_due(const sla_calendar *c, const sop_waktu *w, int64_t start);
/* Due, time spent and met for a step run from start to finish. */
void sla_measure(const sla_calendar *c, const sop_waktu *w, int64_t start, int64_t finish,
		 sla_result *out);

#endif
