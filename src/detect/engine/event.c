/*
 * event.c: filling and reading det_event (see event.h).
 */
#include <string.h>

#include "detect/engine/event.h"

void det_event_reset(det_event *ev, const char *line, size_t n)
{
	/* The fields array is left as it is: n_fields says how much is valid,
	 * and clearing 2 KiB a line would cost more than parsing it. */
	ev->raw = (det_str){line, n};
	ev->format = DET_FMT_UNKNOWN;
	ev->time = 0;
	ev->facility = ev->severity = -1;
	ev->host = ev->program = ev->pid = ev->msgid = ev->message = (det_str){line, 0};
	ev->n_fields = 0;
	ev->dropped_fields = 0;
	ev->scratch_used = 0;
}

bool det_event_is_bare(const det_event *ev)
{
	return ev->format == DET_FMT_UNKNOWN ||
	       (ev->n_fields == 0 && ev->dropped_fields == 0 && ev->host.n == 0 &&
	        ev->program.n == 0 && ev->pid.n == 0 && ev->msgid.n == 0);
}

char *det_event_keep(det_event *ev, const char *p, size_t n)
{
	if (n > DET_SCRATCH - ev->scratch_used)
		return NULL;
	char *out = ev->scratch + ev->scratch_used;
	memcpy(out, p, n);
	ev->scratch_used += n;
	return out;
}

void det_event_add(det_event *ev, const char *name, size_t name_len, const char *value,
		   size_t value_len)
{
	if (ev->n_fields == DET_MAX_FIELDS) {
		ev->dropped_fields++;
		return;
	}
	ev->fields[ev->n_fields++] = (det_field){{name, name_len}, {value, value_len}};
}

bool det_str_eq(det_str s, const char *c)
{
	size_t n = strlen(c);
	return s.n == n && memcmp(s.p, c, n) == 0;
}

bool det_event_get(const det_event *ev, const char *name, det_str *out)
{
	static const struct {
		const char *name;
		size_t offset;
	} header[] = {
		{"host", offsetof(det_event, host)},       {"program", offsetof(det_event, program)},
		{"pid", offsetof(det_event, pid)},         {"msgid", offsetof(det_event, msgid)},
		{"message", offsetof(det_event, message)},
	};
	for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
		if (strcmp(header[i].name, name) == 0) {
			*out = *(const det_str *)((const char *)ev + header[i].offset);
			return out->n > 0;
		}
	for (size_t i = 0; i < ev->n_fields; i++)
		if (det_str_eq(ev->fields[i].name, name)) {
			*out = ev->fields[i].value;
			return true;
		}
	return false;
}
