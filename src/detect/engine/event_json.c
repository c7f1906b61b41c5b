/*
 * event_json.c: an event as JSON, for output (sigap detect --format
 * jsonl) and for alerts, which keep the event that raised them.
 *
 * Log text may hold any bytes; JSON strings must be UTF-8, so a value
 * that is not has its bytes above 0x7f written as '?'.
 */
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "detect/engine/event_json.h"

json_t *det_text_json(const char *p, size_t n)
{
	if (p == NULL)
		return json_string("");
	if (utf8_valid(p, n))
		return json_stringn_nocheck(p, n);
	char *c = malloc(n ? n : 1);
	if (c == NULL)
		abort();
	for (size_t i = 0; i < n; i++)
		c[i] = (unsigned char)p[i] >= 0x80 ? '?' : p[i];
	json_t *j = json_stringn_nocheck(c, n);
	free(c);
	return j;
}

static json_t *str_json(det_str s)
{
	return det_text_json(s.p, s.n);
}

const char *det_format_name(det_format f)
{
	static const char *const formats[] = {"unknown", "syslog", "syslog", "json",
	                                      "wazuh",   "cef",    "auditd", "access"};
	return (unsigned)f < sizeof formats / sizeof formats[0] ? formats[f] : "unknown";
}

json_t *det_event_json(const det_event *ev)
{
	json_t *fields = json_object(), *event = json_object();
	for (size_t i = 0; i < ev->n_fields; i++) {
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)ev->fields[i].name.n, ev->fields[i].name.p);
		if (utf8_valid(name, strlen(name)) && json_object_get(fields, name) == NULL)
			json_object_set_new(fields, name, str_json(ev->fields[i].value));
	}
	json_object_set_new(event, "format", json_string(det_format_name(ev->format)));
	if (ev->time)
		json_object_set_new(event, "time", json_integer(ev->time));
	if (ev->host.n)
		json_object_set_new(event, "host", str_json(ev->host));
	if (ev->program.n)
		json_object_set_new(event, "program", str_json(ev->program));
	if (ev->message.n)
		json_object_set_new(event, "message", str_json(ev->message));
	json_object_set_new(event, "fields", fields);
	json_object_set_new(event, "raw", str_json(ev->raw));
	return event;
}

json_t *det_hit_json(const ioc *i, const char *obs, size_t obs_len)
{
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string(ioc_type_name(i->type)));
	json_object_set_new(o, "value", det_text_json(i->value, strlen(i->value)));
	if (i->id)
		json_object_set_new(o, "id", json_integer(i->id));
	if (i->source)
		json_object_set_new(o, "source", det_text_json(i->source, strlen(i->source)));
	if (i->tlp)
		json_object_set_new(o, "tlp", json_string(i->tlp));
	if (i->description)
		json_object_set_new(o, "description",
		                    det_text_json(i->description, strlen(i->description)));
	if (i->confidence >= 0)
		json_object_set_new(o, "confidence", json_integer(i->confidence));
	if (i->expires)
		json_object_set_new(o, "expires", json_integer(i->expires));
	json_object_set_new(o, "observed", det_text_json(obs, obs_len));
	return o;
}
