/*
 * event.h: one log event as the detection engine sees it.
 *
 * An event never owns its text: every value is a slice (det_str) of the
 * input line it was parsed from, so parsing allocates nothing and costs
 * one pass over the bytes. The common header (time, host, program, pid,
 * message) has its own members; everything else a parser or decoder finds
 * (RFC 5424 structured data, JSON fields, decoded sshd users and
 * addresses) is a (name, value) pair in fields. Names are slices too, or
 * string literals of the decoders.
 */
#ifndef SG_DETECT_EVENT_H
#define SG_DETECT_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct det_str {
	const char *p;
	size_t n;
} det_str;

typedef enum {
	DET_FMT_UNKNOWN = 0,
	DET_FMT_SYSLOG3164,
	DET_FMT_SYSLOG5424,
	DET_FMT_JSON,
	DET_FMT_WAZUH,
	DET_FMT_CEF,
	DET_FMT_AUDITD,
	DET_FMT_ACCESS
} det_format;

enum { DET_MAX_FIELDS = 128, DET_SCRATCH = 8192 };

typedef struct det_field {
	det_str name;
	det_str value;
} det_field;

typedef struct det_event {
	det_str raw;        /* the whole line, without its line ending */
	det_format format;
	int64_t time;       /* seconds since the epoch; 0 when the line has none */
	int facility;       /* 0..23, -1 when the line has no PRI */
	int severity;       /* 0..7, -1 when the line has no PRI */
	det_str host, program, pid, msgid, message; /* empty when absent */
	det_field fields[DET_MAX_FIELDS];
	size_t n_fields;
	size_t dropped_fields; /* fields beyond DET_MAX_FIELDS, counted */
	/* Text the event had to build: dotted JSON names ("agent.name") and
	 * string values with escapes, unescaped. Slices may point here. It
	 * holds twice the line's length and DET_SCRATCH more (det_event_reset),
	 * so every value fits, unescaped (no longer than it was escaped) and
	 * with Wazuh's doubled escapes undone: a command line padded with
	 * escaped backslashes is not dropped. Names past DET_SCRATCH are. */
	char *scratch;
	size_t scratch_cap, scratch_used;
} det_event;

/* Clears ev for a new line; ev starts zeroed (static, calloc, = {0}). */
void det_event_reset(det_event *ev, const char *line, size_t n);
/* Frees what the event holds (its scratch space); it can be reset again. */
void det_event_free(det_event *ev);
/* Adds a field; counts it in dropped_fields when the event is full.
 * Inline: the parsers call it for every field they find. */
static inline void det_event_add(det_event *ev, const char *name, size_t name_len,
				 const char *value, size_t value_len)
{
	if (ev->n_fields == DET_MAX_FIELDS) {
		ev->dropped_fields++;
		return;
	}
	ev->fields[ev->n_fields++] = (det_field){{name, name_len}, {value, value_len}};
}
/* Copies n bytes into the event's scratch space; NULL when it is full
 * (the caller drops the field and counts it). */
static inline char *det_event_keep(det_event *ev, const char *p, size_t n)
{
	if (n > ev->scratch_cap - ev->scratch_used)
		return NULL;
	char *out = ev->scratch + ev->scratch_used;
	memcpy(out, p, n);
	ev->scratch_used += n;
	return out;
}
/* The value of a field (the header members answer to "host", "program",
 * "pid", "msgid", "message"); false when absent. O(fields). */
bool det_event_get(const det_event *ev, const char *name, det_str *out);
/* Whether the parse gave nothing to match on but the text itself: a line
 * no parser recognised (DET_FMT_UNKNOWN), or one whose format was known
 * but that yielded no field and no header member beyond the message (a
 * JSON "{}", a syslog line of only a priority). Such lines reach only the
 * keyword rules and the indicator scan; the inputs count them. O(1). */
bool det_event_is_bare(const det_event *ev);
/* Whether a slice equals a C string. Inline, so that the length of a
 * string literal is known when it is compiled. */
static inline bool det_str_eq(det_str s, const char *c)
{
	size_t n = strlen(c);
	return s.n == n && memcmp(s.p, c, n) == 0;
}

#endif
