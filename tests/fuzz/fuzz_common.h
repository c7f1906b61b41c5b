/*
 * fuzz_common.h: what the libFuzzer harnesses share: a check that every
 * slice of a parsed event lies inside its input line or the event's own
 * scratch space (or is a decoder's literal), so a parser that points
 * outside is caught even when the sanitizer sees no bad access.
 */
#ifndef SG_FUZZ_COMMON_H
#define SG_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "detect/engine/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

/* A slice of the line or of the scratch space, or a decoder's string
 * literal ("ssh_login_failed"), which ends in a NUL where the slice ends. */
static inline void fuzz_slice_ok(const det_event *ev, det_str s, const char *line, size_t n)
{
	if (s.n && !((s.p >= line && s.p + s.n <= line + n) ||
	             (s.p >= ev->scratch && s.p + s.n <= ev->scratch + ev->scratch_cap) ||
	             s.p[s.n] == '\0'))
		abort();
}

static inline void fuzz_event_ok(const det_event *ev, const char *line, size_t n)
{
	fuzz_slice_ok(ev, ev->host, line, n);
	fuzz_slice_ok(ev, ev->program, line, n);
	fuzz_slice_ok(ev, ev->message, line, n);
	for (size_t i = 0; i < ev->n_fields; i++) /* names may be literals */
		fuzz_slice_ok(ev, ev->fields[i].value, line, n);
	if (ev->n_fields > DET_MAX_FIELDS)
		abort();
}

#endif
