/*
 * json.h: JSON lines (and Wazuh alerts, which are JSON lines) into events.
 */
#ifndef SG_DETECT_JSON_H
#define SG_DETECT_JSON_H

#include "detect/engine/event.h"

/* Parses one line holding one JSON object. Nested objects are flattened
 * into dotted names ("agent.name", "data.win.eventdata.image"); each
 * element of an array becomes a field of the array's name; numbers,
 * true, false and null are kept as their text. A Wazuh alert (rule.id
 * and agent.name present) is recognised: format DET_FMT_WAZUH, time from
 * "timestamp", host from agent.name, program from
 * predecoder.program_name, message from full_log.
 * Returns 0, or -1 with a reason in *why (static text) when the line is
 * not one whole JSON object: truncated, invalid UTF-8 in a string, bad
 * escapes, nesting deeper than 32, trailing bytes. */
int det_json_parse(const char *line, size_t n, det_event *ev, const char **why);

#endif
