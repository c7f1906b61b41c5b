/*
 * parse.h: a log line of any supported format into an event.
 */
#ifndef SG_DETECT_PARSE_H
#define SG_DETECT_PARSE_H

#include "detect/engine/event.h"
#include "detect/input/syslog.h"

/* Parses one line (a trailing CR or LF is dropped). Returns 0 (the event
 * may still be DET_FMT_UNKNOWN: raw text only), or -1 with the reason in
 * *why for a line that claims a format and breaks it (a '{' line that is
 * not JSON): bad input, to be counted. */
int det_parse_line(const char *line, size_t n, const det_syslog_opts *o, det_event *ev,
                   const char **why);

#endif
