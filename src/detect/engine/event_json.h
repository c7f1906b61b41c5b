/*
 * event_json.h: events and indicator hits as JSON (sigap detect
 * --format jsonl, and the event an alert keeps).
 */
#ifndef SG_DETECT_EVENT_JSON_H
#define SG_DETECT_EVENT_JSON_H

#include <jansson.h>

#include "detect/engine/event.h"
#include "detect/ioc/ioc.h"

/* A JSON string of log text (bytes of invalid UTF-8 become '?'). */
json_t *det_text_json(const char *p, size_t n);
/* "syslog", "json", "wazuh", "cef", "auditd", "access", "unknown". */
const char *det_format_name(det_format f);
/* {"format", "time"?, "host"?, "program"?, "message"?, "fields", "raw"} */
json_t *det_event_json(const det_event *ev);
/* {"type", "value", "id"?, "source"?, "tlp"?, "description"?,
 *  "confidence"?, "expires"?, "observed"} */
json_t *det_hit_json(const ioc *i, const char *obs, size_t obs_len);

#endif
