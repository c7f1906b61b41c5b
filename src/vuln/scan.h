/*
 * scan.h: vulnerability scanner reports read as a stream of results.
 *
 * A parser turns one report of Greenbone/OpenVAS (XML or CSV export),
 * Nmap (XML), Nuclei (JSON lines or a JSON array) or WPScan (JSON) into
 * vuln_result values handed one at a time to a callback. The parsers do no
 * SQL, print nothing and keep no result after its callback returns: the
 * strings of a result live in buffers the next result reuses, so a report
 * of any size is read in memory bounded by its largest single result (see
 * docs/vuln.md for the formats and how each maps to vuln_result).
 *
 * The findings side (app/findings*.c) stores what the callback receives;
 * merging results into findings is its work, not the parsers': a parser
 * gives every result the report states, so its count can be checked
 * against the report itself.
 *
 * XML is read with libxml2's streaming reader, without network access,
 * DTD loading or entity substitution; a document that declares entities
 * (the way XXE and "billion laughs" files work) is refused before libxml2
 * reads the declaration.
 */
#ifndef SG_VULN_SCAN_H
#define SG_VULN_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"

typedef enum vuln_scanner { VULN_AUTO = 0, VULN_OPENVAS, VULN_NMAP, VULN_NUCLEI, VULN_WPSCAN } vuln_scanner;
/* "auto", "openvas", "nmap", "nuclei", "wpscan". */
const char *vuln_scanner_name(vuln_scanner s);
/* The scanner of a name above (case-insensitive); -1 when unknown. */
int vuln_scanner_parse(const char *name, vuln_scanner *out);

typedef enum vuln_severity { VULN_INFO = 0, VULN_LOW, VULN_MEDIUM, VULN_HIGH, VULN_CRITICAL } vuln_severity;
/* "info", "low", "medium", "high", "critical". */
const char *vuln_severity_name(vuln_severity s);
/* The CVSS v3/v4 qualitative rating of a base score: 0 info, 0.1-3.9 low,
 * 4.0-6.9 medium, 7.0-8.9 high, 9.0-10 critical. */
vuln_severity vuln_severity_of_score(double score);

/* One result as the scanner states it. Strings are NUL-terminated UTF-8
 * valid only during the callback; NULL when the report does not give them. */
typedef struct vuln_result {
	const char *host;     /* address or name the scanner targeted ("192.0.2.5", "www.example.go.id") */
	const char *hostname; /* a name beside an address, if the report gives one */
	const char *port;     /* "443/tcp", "general/tcp"; NULL for URL-only results */
	const char *url;      /* the endpoint URL (Nuclei matched-at, WPScan target) */
	const char *vuln_id;  /* the scanner's identity of the vulnerability: NVT OID,
	                       * "nmap:open-port", "nmap:vulners:CVE-…",
	                       * "nuclei:<template-id>[:<matcher-name>]",
	                       * "wpscan:<wpvulndb id or title hash>"; never NULL */
	const char *title;    /* never NULL */
	vuln_severity severity;
	bool severity_unknown; /* the report gave no severity, or a word sigap does
	                        * not know (Nuclei's "unknown"): severity is info */
	double cvss3_score; /* < 0: none */
	const char *cvss3_vector;
	double cvss4_score; /* < 0: none */
	const char *cvss4_vector;
	const char *const *cves; /* "CVE-2021-44228", upper case, sorted, deduplicated */
	size_t n_cves;
	const char *cwe; /* "CWE-79" or NULL */
	const char *description, *solution;
	const char *evidence; /* the scanner's own output for this result */
	const char *const *refs; /* reference URLs, sorted, deduplicated */
	size_t n_refs;
	const char *component, *component_version; /* the software the result is about
	                                            * (Nmap service product and version,
	                                            * WPScan plugin slug and version,
	                                            * "wordpress" and the core version) */
} vuln_result;

/* A copy of r that outlives the callback, in one allocation (free() it),
 * its size (vuln_result_size) in *size when size is not NULL; NULL when
 * out of memory. */
vuln_result *vuln_result_dup(const vuln_result *r, size_t *size);
/* The bytes that copy takes: every string and list of r counted. */
size_t vuln_result_size(const vuln_result *r);

typedef struct vuln_report_info {
	vuln_scanner scanner; /* the one detected when VULN_AUTO was asked */
	const char *format;   /* "openvas-xml", "openvas-csv", "nmap-xml", "nuclei-jsonl",
	                       * "nuclei-json", "wpscan-json" (a literal) */
	int64_t started, ended; /* unix seconds, 0 when unknown */
	/* The targets the scan covered (hosts up, the report's hosts), so the
	 * importer can tell "no longer present" only for targets rescanned.
	 * Deduplicated, in the order met; at most VULN_TARGETS_MAX. */
	char **targets;
	size_t n_targets;
	/* The ports the scan covered, when the report states them (Nmap's
	 * <scaninfo>): "tcp:1,3-4,22;udp:53", a protocol with no port listed
	 * for a ping scan; NULL when the report does not say (Greenbone,
	 * Nuclei, WPScan), then every endpoint of a target counts as scanned
	 * (vuln_ports_cover). */
	char *ports;
	/* URL origins the scan covered beside its results' URLs (WPScan's
	 * target_url), as vuln_url_origin gives them. */
	char **origins;
	size_t n_origins;
	size_t results; /* results given to the callback */
	size_t skipped; /* entries not given (closed ports, hosts down, ...) */
} vuln_report_info;

/* The origin of a URL: scheme and host in lower case, the host without
 * user or final dot, and the port, a default one written out
 * ("HTTPS://H.example/x" -> "https://h.example:443"); false when url is
 * no URL (no "scheme://host"). */
bool vuln_url_origin(const char *url, char *out, size_t n);

/* Whether endpoint ("443/tcp") is among the ports a report covered.
 * true when ports is NULL (the report does not say) or the endpoint is
 * no port of a protocol ("", "general/tcp", a URL: the host's own). */
bool vuln_ports_cover(const char *ports, const char *endpoint);
/* Past this much text of ports no more is listed (what is not listed is
 * not covered: fewer findings are marked no longer present, never more). */
enum { VULN_PORTS_MAX = 1 << 20 };

/* Past this many distinct targets the rest are not listed (the importer
 * then marks fewer findings "no longer present", never more). */
enum { VULN_TARGETS_MAX = 65536 };

/* Called for each result; non-zero stops the parse (the parse then
 * returns -1 with e as the callback left it). */
typedef int (*vuln_result_cb)(void *ctx, const vuln_result *r, sg_err *e);

/* Parses PATH as scanner S (VULN_AUTO: told from the content). Returns 0,
 * or -1 with e set to a message naming the file and the place
 * (line, record or element) of the fault. info is filled in both cases
 * (free it with vuln_report_info_free). */
int vuln_parse_file(const char *path, vuln_scanner s, vuln_result_cb cb, void *ctx,
		    vuln_report_info *info, sg_err *e);
/* The same on a stream read from its start (f must allow a seek back to
 * its start once the format's head is read); name stands for the file in
 * messages. */
int vuln_parse_stream(FILE *f, const char *name, vuln_scanner s, vuln_result_cb cb, void *ctx,
		      vuln_report_info *info, sg_err *e);
/* The same on a buffer; name stands for the file in messages. */
int vuln_parse_buffer(const char *data, size_t n, const char *name, vuln_scanner s,
		      vuln_result_cb cb, void *ctx, vuln_report_info *info, sg_err *e);
void vuln_report_info_free(vuln_report_info *info);

#endif
