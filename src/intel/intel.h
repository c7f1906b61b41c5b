/*
 * intel.h: threat indicators read from the forms feeds come in: MISP
 * feeds (a manifest.json and one file an event) and single events, STIX
 * 2.1 and 2.0 bundles, CSV with a header row (abuse.ch's URLhaus,
 * ThreatFox and Feodo Tracker exports among them), and plain lists of a
 * value a line.
 *
 * A reader turns a file into indicators in normal form (detect/ioc.h)
 * with the source, TLP, confidence, first and last seen and expiry the
 * feed gives, falling back to the defaults the caller passes; each goes
 * to a callback, so a reader holds one file, never the whole feed. What
 * cannot be taken (a value of no known type, a STIX pattern that is not
 * a plain comparison, a MISP attribute of a type sigap does not keep) is
 * counted, and reported to diags with its place when it is a fault of
 * the file rather than a choice of the feed. What is left out by choice
 * is counted under its reason, so an import that keeps nothing says why.
 */
#ifndef SG_INTEL_H
#define SG_INTEL_H

#include <stdint.h>

#include "base/diag.h"
#include "detect/ioc/ioc.h"

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
	const char *column; /* CSV: the header's name of the value column;
	                     * NULL: a name sigap knows (value, ioc_value, url…) */
	ioc_type type;      /* the type of values the file does not type;
	                     * IOC_NONE: told from each value */
} intel_defaults;

/* Why values were left out, most kept apart; past INTEL_WHY_MAX reasons
 * the rest are counted in why_other. */
enum { INTEL_WHY_MAX = 12, INTEL_WHY_LEN = 128 };
typedef struct intel_why {
	char what[INTEL_WHY_LEN];
	uint64_t n;
} intel_why;

typedef struct intel_counts {
	uint64_t read;    /* values met */
	uint64_t kept;    /* handed to the callback */
	uint64_t skipped; /* left out by choice: not for detection, unknown type */
	uint64_t invalid; /* faults of the file, each in diags */
	intel_format format; /* the format read (told when INTEL_AUTO) */
	intel_why why[INTEL_WHY_MAX]; /* the reasons of skipped, in the order met */
	size_t n_why;
	uint64_t why_other;
} intel_counts;

/* Counts one value or object left out, under a reason ("MISP attribute
 * not for detection (to_ids false)"). O(reasons) a call. */
void intel_left_out(intel_counts *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "3 MISP attributes not for detection (to_ids false), 1 of type mutex"
 * into out; "" when nothing was left out. */
void intel_left_out_text(const intel_counts *c, char *out, size_t n);

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
