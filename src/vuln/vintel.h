/*
 * vintel.h: vulnerability intelligence read from the files it is
 * published in, offline: CVE JSON 5 records (one file, or a cvelistV5
 * tree of a quarter of a million), CISA's Known Exploited
 * Vulnerabilities catalog (its JSON or its CSV) and FIRST's daily EPSS
 * scores (CSV, plain or gzip).
 *
 * As intel/ does for indicators, a reader turns a file into records and
 * hands each to a callback, so it holds one record (one file of a tree),
 * never the whole catalog; it knows nothing of the store. A record the
 * file gets wrong (a CVE id that is none, a score out of range, a date
 * that is no date) is refused: counted, and reported to diags with its
 * file and line, and the reading goes on. A file that is not of the kind
 * at all (no KEV header, no EPSS model line, not JSON) makes the read
 * fail with the reason in diags.
 *
 * Records point into the reader's memory and live until the callback
 * returns.
 */
#ifndef SG_VINTEL_H
#define SG_VINTEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

typedef enum { VI_AUTO, VI_CVE, VI_KEV, VI_EPSS } vi_kind;

/* "auto", "cve", "kev", "epss"; -1 when unknown. */
int vi_kind_parse(const char *name);
const char *vi_kind_name(vi_kind k);

/* Tells the kind of a file (or directory: a CVE tree) from its first
 * bytes: gzip or "#model_version" is EPSS, a CSV header with cveID or a
 * JSON object with "vulnerabilities" is KEV, a JSON object with
 * "cveMetadata" or dataType "CVE_RECORD" (in its first 4 KB) is a CVE
 * record. VI_AUTO with the reason in d when none. */
vi_kind vi_sniff(const char *path, diags *d);

typedef struct vi_counts {
	uint64_t files;   /* files read (a CVE tree: each record file) */
	uint64_t read;    /* records met */
	uint64_t passed;  /* handed to the callback */
	uint64_t refused; /* faults of the file, each in diags */
} vi_counts;

/* "CVE-2021-44228" in upper case into out (at most 31 bytes and a NUL)
 * when s is a CVE id (CVE-YYYY-NNNN, four digits or more); false when not. */
bool vi_cve_id(const char *s, size_t n, char out[32]);
/* Whether s is a calendar date YYYY-MM-DD that exists. */
bool vi_date_ok(const char *s);

/* ---- CVE JSON 5 (cve5.c) ---- */

enum { CVSS_V40, CVSS_V31, CVSS_V30, CVSS_V20, CVSS_N };
/* "4.0", "3.1", "3.0", "2.0" */
const char *cvss_version_name(int v);

typedef struct cve5_cvss {
	bool present;
	double score;         /* 0.0 to 10.0 */
	const char *vector;   /* "CVSS:3.1/AV:N/…" (v2: "AV:N/AC:L/…") */
	const char *severity; /* baseSeverity; NULL in v2 */
	const char *source;   /* "cna", or the ADP's shortName ("CISA-ADP") */
} cve5_cvss;

typedef struct cve5_product {
	const char *vendor, *product; /* either may be NULL */
} cve5_product;

typedef struct cve5_record {
	char id[32];
	const char *state;    /* "PUBLISHED" or "REJECTED" */
	const char *assigner; /* assignerShortName; may be NULL */
	int64_t reserved, published, updated; /* seconds; 0 when absent */
	const char *title;       /* may be NULL */
	const char *description; /* English; a rejected record's reason */
	const char **cwes;       /* "CWE-79", without repeats */
	size_t n_cwes;
	const char **refs;       /* reference URLs */
	size_t n_refs;
	cve5_product *affected;
	size_t n_affected;
	/* Each version from the CNA's container, else from the first ADP
	 * container that scores it (CISA-ADP's "vulnrichment"). */
	cve5_cvss cvss[CVSS_N];
} cve5_record;

typedef int (*cve5_fn)(void *ctx, const cve5_record *r);
/* Called after each file of a tree, and once before the first with done
 * 0 and the total counted. */
typedef void (*vi_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/* Reads a record file, or a directory walked for CVE-*.json files (in
 * name order, one file held at a time; other files are not read). A
 * directory's SHA-256 (into sha256 when not NULL) is that of the files'
 * paths below it and contents in that order. -1 when path cannot be read
 * or a single file is no CVE record; 0 otherwise (a tree's bad files
 * refused). -1 also when the callback returns -1. */
int cve5_read(const char *path, cve5_fn fn, void *ctx, vi_progress_fn progress, void *pctx,
	      vi_counts *c, char sha256[65], diags *d);
int cve5_read_buffer(const char *data, size_t n, const char *name, cve5_fn fn, void *ctx,
		     vi_counts *c, diags *d);

/* ---- CISA KEV (kev.c) ---- */

typedef struct kev_entry {
	char cve[32];
	const char *vendor, *product, *name;
	const char *date_added, *due_date; /* YYYY-MM-DD */
	const char *ransomware;            /* "Known" or "Unknown" */
	const char *description, *required_action, *notes; /* may be "" */
	const char *cwes; /* "CWE-79,CWE-89"; may be "" */
	int line;         /* CSV: the row's first line; JSON: 0 */
} kev_entry;

typedef struct kev_catalog {
	char version[32];  /* catalogVersion of the JSON; "" in CSV */
	char released[40]; /* dateReleased; "" in CSV */
	bool csv;
} kev_catalog;

typedef int (*kev_fn)(void *ctx, const kev_entry *e);
/* now (unix seconds) refuses an entry added more than a day after it. */
int kev_read(const char *path, int64_t now, kev_fn fn, void *ctx, kev_catalog *cat, vi_counts *c,
	     diags *d);
int kev_read_buffer(const char *data, size_t n, const char *name, int64_t now, kev_fn fn, void *ctx,
		    kev_catalog *cat, vi_counts *c, diags *d);

/* ---- FIRST EPSS (epss.c) ---- */

typedef struct epss_score {
	char cve[32];
	double epss, percentile; /* 0 to 1 */
	int line;
} epss_score;

typedef struct epss_file {
	char model_version[64]; /* "v2025.03.14" */
	char score_date[11];    /* YYYY-MM-DD */
	bool gzip;
} epss_file;

typedef int (*epss_fn)(void *ctx, const epss_score *s);
int epss_read(const char *path, epss_fn fn, void *ctx, epss_file *meta, vi_counts *c,
	      diags *d);
int epss_read_buffer(const char *data, size_t n, const char *name, epss_fn fn, void *ctx,
		     epss_file *meta, vi_counts *c, diags *d);

#endif
