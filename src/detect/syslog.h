/*
 * syslog.h: RFC 3164 and RFC 5424 syslog lines into events.
 */
#ifndef SG_DETECT_SYSLOG_H
#define SG_DETECT_SYSLOG_H

#include "event.h"

typedef struct det_syslog_opts {
	int year;       /* for RFC 3164 stamps, which carry none */
	int offset_min; /* minutes east of UTC of stamps without an offset (WIB: 420) */
} det_syslog_opts;

/* Parses one line (without its line ending; a trailing CR is dropped).
 * Returns 0 and fills ev when the line is syslog in either form, with or
 * without a <PRI> (as in files under /var/log); -1 when it is not, with
 * ev holding the raw line only. Never reads outside [line, line + n). */
int det_syslog_parse(const char *line, size_t n, const det_syslog_opts *o, det_event *ev);

/* An RFC 3339 instant ("2026-11-23T08:00:01.5+07:00", "…Z") at p;
 * returns its length and the seconds, or 0 when p does not start with
 * one. Exposed for the JSON and CEF parsers. */
size_t det_parse_rfc3339(const char *p, size_t n, int64_t *out);

#endif
