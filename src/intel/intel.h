/*
 * intel.h: threat indicators read from the forms feeds come in: MISP
 * feeds (a manifest.json and one file an event), STIX 2.1 bundles,
 * CSV with a header row, and plain lists of a value a line.
 *
 * A reader turns a file into indicators in normal form (detect/ioc.h)
 * with the source, TLP, confidence, first and last seen and expiry the
 * feed gives, falling back to the defaults the caller passes; each goes
 * to a callback, so a reader holds one file, never the whole feed. What
 * cannot be taken (a value of no known type, a STIX pattern that is not
 * a plain comparison, a MISP attribute of a type sigap does not keep) is
 * counted, and reported to diags with its place when it is a fault of
 * the file rather than a choice of the feed.
 */
#ifndef SG_INTEL_H
#define SG_INTEL_H

#include <stdint.h>

#include "base/diag.h"
#include "detect/ioc.h"

typedef enum { INTEL_AUTO, INTEL_MISP, INTEL_STIX, INTEL_CSV, INTEL_PLAIN } intel_format;

/* "auto", "misp", "stix", "csv", "plain"; -1 when unknown. */
int intel_format_parse(const char *name);
const char *intel_format_name(intel_format f);

typedef struct intel_defaults {
	const char *source; /* NULL: the feed's own name, else the file name */
	const char *tlp;    /* a TLP label; NULL: none */
	int confidence;     /* -1: none */
	int64_t expire_after; /* seconds after last seen (or now) an indicator
	                       * without its own expiry ends; 0: never */
	int64_t now;
} intel_defaults;

typedef struct intel_counts {
	uint64_t read;    /* values met */
	uint64_t kept;    /* handed to the callback */
	uint64_t skipped; /* left out by choice: not for detection, unknown type */
	uint64_t invalid; /* faults of the file, each in diags */
	intel_format format; /* the format read (told when INTEL_AUTO) */
} intel_counts;

/* Called for each indicator; returning -1 stops the read. */
typedef int (*intel_fn)(void *ctx, const ioc *rec);

/* Reads a file, a MISP feed directory or its manifest.json. -1 when the
 * file cannot be read or is not of the format at all (the reason in d);
 * 0 otherwise, with what it held counted in c. */
int intel_read(const char *path, intel_format fmt, const intel_defaults *def, intel_fn fn,
	       void *ctx, intel_counts *c, diags *d);
/* The same on a buffer; name is used in diagnostics and as the default
 * source. A MISP manifest cannot be read from a buffer (its events are
 * files beside it). */
int intel_read_buffer(const char *data, size_t n, const char *name, intel_format fmt,
		      const intel_defaults *def, intel_fn fn, void *ctx, intel_counts *c,
		      diags *d);

/* "TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"
 * for the spellings feeds use ("tlp:white", "amber", "TLP: RED"); NULL
 * when s is none of them. */
const char *intel_tlp(const char *s);

#endif
