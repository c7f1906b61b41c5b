/*
 * scan_int.h: what the scanner parsers of src/vuln share (not for use
 * outside src/vuln): the open report (a FILE, its name for messages, the
 * callback and the report info), string lists for CVEs and references
 * that are reused from one result to the next, the set of targets, and
 * small text helpers (CVE and CWE normal forms, URL host, the severity
 * of a scanner's word).
 *
 * Memory: every buffer here is reset, not freed, between results, so a
 * report costs the size of its largest result plus its distinct targets.
 */
#ifndef SG_VULN_SCAN_INT_H
#define SG_VULN_SCAN_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "base/buf.h"
#include "vuln/scan.h"

/* Limits of one result; a report past them is refused, with the place. */
enum {
	VULN_LIST_MAX = 4096,          /* CVEs or references of one result */
	VULN_EVIDENCE_MAX = 64 * 1024, /* evidence kept of one result (cut past it) */
	VULN_JSON_MAX = 64 << 20,      /* a WPScan document, a Nuclei record */
	VULN_SNIFF = 4096,             /* bytes read to tell the format */
	VULN_BLANK_MAX = 64 << 10      /* blank space before a report passed over */
};

/* Blank space as XML and JSON write it (a form feed is not). */
static inline bool vuln_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Strings of one result: NUL-separated in one buffer; finish() sorts,
 * removes duplicates and gives the array of pointers the result shows. */
typedef struct vuln_list {
	buf text;
	size_t n;
	size_t *off;
	const char **ptr;
	size_t cap;
} vuln_list;

void vuln_list_reset(vuln_list *l);
void vuln_list_free(vuln_list *l);
/* Adds s[0..n); -1 when the list is full (VULN_LIST_MAX). */
int vuln_list_add(vuln_list *l, const char *s, size_t n);
/* Sorted, deduplicated; the pointers stay valid until the next add/reset. */
const char *const *vuln_list_finish(vuln_list *l, size_t *n);

/* Adds every CVE id found in text ("CVE-2021-44228", "cve-2021-44228",
 * and, when bare is true, "2021-44228" as WPScan writes them) in normal
 * form. -1 when the list is full. O(length of text). */
int vuln_cves_in(vuln_list *l, const char *text, size_t n, bool bare);
/* Adds every http(s) URL of text (split on white space, commas, quotes). */
int vuln_urls_in(vuln_list *l, const char *text, size_t n);
/* "CWE-79" from "cwe-79", "CWE-79", "79" into out; false when none. */
bool vuln_cwe_norm(const char *s, char out[24]);

/* One report being read. */
typedef struct vuln_src {
	FILE *f;
	const char *name; /* for messages */
	vuln_result_cb cb;
	void *ctx;
	vuln_report_info *info;
	sg_err *e;
	long lead;      /* bytes of blank space before the report (scan.c) */
	int lead_lines; /* the line ends among them */
	/* the set of targets, open addressing on info->targets' strings */
	size_t *slots;
	size_t n_slots;
} vuln_src;

/* Adds a target (deduplicated); past VULN_TARGETS_MAX it is not listed. */
void vuln_target_add(vuln_src *s, const char *host);
/* Adds the origin of url to info->origins (deduplicated; few: a
 * WPScan report's target). */
void vuln_origin_add(vuln_report_info *info, const char *url);
/* The severity of a scanner's word ("Medium ", "CRITICAL", "Log"), read
 * trimmed and case-blind; false when the word is none sigap knows. */
bool vuln_severity_word(const char *w, vuln_severity *out);
/* Adds the ports a scan of protocol proto covered ("1,3-4,22", as Nmap's
 * scaninfo@services) to info->ports. */
void vuln_ports_add(vuln_report_info *info, const char *proto, const char *services);
/* Hands r to the callback and counts it; -1 when the callback stops the
 * parse (s->e then holds the callback's message or says where it
 * stopped). r's title and vuln_id must not be NULL. */
int vuln_emit(vuln_src *s, const vuln_result *r);
/* A result with every field empty (scores -1). */
void vuln_result_init(vuln_result *r);

/* How much of s (n bytes) fits in max bytes without cutting a UTF-8
 * character: n when it fits, else max or less. */
size_t vuln_utf8_fit(const char *s, size_t n, size_t max);
/* "" -> NULL, else the buffer's text. */
const char *vuln_str(const buf *b);
/* Trims white space at both ends of b in place. */
void vuln_trim(buf *b);
/* The host of a URL ("https://a.example:8443/x" -> "a.example"), or of
 * "host:port"; into out. False when there is none. */
bool vuln_url_host(const char *url, char *out, size_t n);
/* Unix seconds of an ISO 8601 / RFC 3339 time; 0 when it is not one. */
int64_t vuln_time(const char *s);
/* A finite number in s (leading and trailing space allowed); false if none. */
bool vuln_number(const char *s, double *out);
/* Earliest start / latest end. */
void vuln_times(vuln_report_info *info, int64_t start, int64_t end);

/* The parsers, on s->f positioned at the start. Each returns 0 or -1 with
 * s->e set. */
int vuln_openvas_xml(vuln_src *s);
int vuln_nmap_xml(vuln_src *s);
int vuln_openvas_csv(vuln_src *s);
int vuln_nuclei(vuln_src *s, bool array);
int vuln_wpscan(vuln_src *s);

#endif
