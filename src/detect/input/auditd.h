/*
 * auditd.h: Linux audit records ("type=… msg=audit(…): key=value …").
 */
#ifndef SG_DETECT_AUDITD_H
#define SG_DETECT_AUDITD_H

#include "detect/engine/event.h"

/* Adds the record's fields to ev ("type", "audit_id" and every key),
 * sets ev->time (and ev->host from "node="); returns 0, or -1 (adding
 * nothing) when the text is not an audit record. */
int det_auditd_parse(const char *line, size_t n, det_event *ev);

#endif
