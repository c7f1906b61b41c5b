/*
 * syslog.h: RFC 3164 and RFC 5424 syslog lines into events.
 */
#ifndef SG_DETECT_SYSLOG_H
#define SG_DETECT_SYSLOG_H

#include "detect/engine/event.h"

/* How far ahead of the receive time an RFC 3164 stamp may stand (the
 * sender's clock running fast) before its year is taken as last year's. */
enum { DET_SYSLOG_SKEW = 86400 };

typedef struct det_syslog_opts {
	int year;       /* of RFC 3164 stamps, which carry none; 0: chosen against now */
	int offset_min; /* minutes east of UTC of stamps without an offset (WIB: 420) */
	int64_t now;    /* the receive time (seconds), when year is 0 */
} det_syslog_opts;

/* Parses one line (without its line ending; a trailing CR is dropped).
 * An RFC 3164 stamp ("Dec 31 23:59:59") is read in o->offset_min and, when
 * o->year is 0, given the year that puts it closest to o->now without
 * being more than DET_SYSLOG_SKEW after it: a December line received on
 * 2 January is last year's, a line a minute ahead of the clock this year's.
 * Returns 0 and fills ev when the line is syslog in either form, with or
 * without a <PRI> (as in files under /var/log); -1 when it is not, with
 * ev holding the raw line only. Never reads outside [line, line + n). */
int det_syslog_parse(const char *line, size_t n, const det_syslog_opts *o, det_event *ev);

/* An RFC 3339 instant ("2026-11-23T08:00:01.5+07:00", "…Z") at p;
 * returns its length and the seconds, or 0 when p does not start with
 * one. Exposed for the JSON and CEF parsers. */
size_t det_parse_rfc3339(const char *p, size_t n, int64_t *out);

#endif
