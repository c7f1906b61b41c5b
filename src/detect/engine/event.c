/*
 * event.c: filling and reading det_event (see event.h).
 */
#include <stdlib.h>
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
	/* a value unescaped (no longer than in the line), again with Wazuh's
	 * doubled escapes undone (winevent.c), and names */
	size_t need = 2 * n + DET_SCRATCH;
	if (ev->scratch_cap < need) {
		size_t cap = need > 2 * ev->scratch_cap ? need : 2 * ev->scratch_cap;
		free(ev->scratch);
		if ((ev->scratch = malloc(cap)) == NULL)
			abort();
		ev->scratch_cap = cap;
	}
}

void det_event_free(det_event *ev)
{
	free(ev->scratch);
	ev->scratch = NULL;
	ev->scratch_cap = ev->scratch_used = 0;
}

bool det_event_is_bare(const det_event *ev)
{
	return ev->format == DET_FMT_UNKNOWN ||
	       (ev->n_fields == 0 && ev->dropped_fields == 0 && ev->host.n == 0 &&
	        ev->program.n == 0 && ev->pid.n == 0 && ev->msgid.n == 0);
}

bool det_event_get(const det_event *ev, const char *name, det_str *out)
{
	static const struct {
		det_str name;
		size_t offset;
	} header[] = {
		{{"host", 4}, offsetof(det_event, host)},
		{{"program", 7}, offsetof(det_event, program)},
		{{"pid", 3}, offsetof(det_event, pid)},
		{{"msgid", 5}, offsetof(det_event, msgid)},
		{{"message", 7}, offsetof(det_event, message)},
	};
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
		if (header[i].name.n == n && memcmp(header[i].name.p, name, n) == 0) {
			*out = *(const det_str *)((const char *)ev + header[i].offset);
			return out->n > 0;
		}
	for (size_t i = 0; i < ev->n_fields; i++)
		if (ev->fields[i].name.n == n && memcmp(ev->fields[i].name.p, name, n) == 0) {
			*out = ev->fields[i].value;
			return true;
		}
	return false;
}
