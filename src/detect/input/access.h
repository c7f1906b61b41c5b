/*
 * access.h: web server access-log lines (Common and Combined formats).
 */
#ifndef SG_DETECT_ACCESS_H
#define SG_DETECT_ACCESS_H

#include "detect/engine/event.h"

/* Adds the fields of one access-log line (or a syslog message holding
 * one) to ev and sets ev->time; returns 0, or -1 (adding nothing) when
 * the text is not an access-log line. */
int det_access_parse(const char *line, size_t n, det_event *ev);

#endif
