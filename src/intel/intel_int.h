/*
 * intel_int.h: what the feed readers of intel/ share: the reader's
 * state and the one place an indicator is normalised, given its defaults,
 * counted and handed on (intel_emit).
 */
#ifndef SG_INTEL_INT_H
#define SG_INTEL_INT_H

#include <jansson.h>
#include <stdio.h>

#include "intel.h"

typedef struct intel_reader {
	const char *name; /* the file, for diagnostics */
	const char *base; /* its name without directories: the last default source */
	const intel_defaults *def;
	intel_fn fn;
	void *ctx;
	intel_counts *c;
	diags *d;
	bool stopped; /* the callback asked to stop */
} intel_reader;

/* Normalises v as a want (IOC_NONE: any type), fills what meta leaves
 * unset from the defaults and calls the callback. An invalid value is
 * counted and reported at line (0: unknown). -1 when the callback stops. */
int intel_emit(intel_reader *r, ioc_type want, const char *v, size_t n, const ioc *meta,
	       int line);
/* Seconds since the epoch of an RFC 3339 string, a date, or a number of
 * seconds (as a JSON number or a string of digits); 0 when none of them. */
int64_t intel_time(const json_t *v);

int intel_misp_event(intel_reader *r, const json_t *root);
int intel_misp_manifest(intel_reader *r, const json_t *manifest, const char *dir);
int intel_stix_bundle(intel_reader *r, const json_t *root);
int intel_lines(intel_reader *r, const char *data, size_t n, intel_format fmt);
/* The same, read from f a line at a time. */
int intel_lines_file(intel_reader *r, FILE *f, intel_format fmt);

#endif
