/*
 * scan.h: a scanner's report as a stream of results (the scanner-result
 * API agreed between the parsers of src/vuln/ and the findings of
 * src/app/findings_import.c).
 *
 * The parsers turn a report (Greenbone/OpenVAS, Nmap, Nuclei, WPScan) into
 * results given one at a time to a callback; they do no SQL, no printing,
 * and keep no result after the callback returns, so a 200 MB report
 * parses in bounded memory. The findings side stores them.
 *
 * This copy of the header is the findings engineer's, made so that the
 * importer compiles before the parsers are merged; the parsers' own header
 * replaces it at the merge (same shape).
 */
#ifndef SG_VULN_SCAN_H
#define SG_VULN_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef enum vuln_scanner { VULN_AUTO = 0, VULN_OPENVAS, VULN_NMAP, VULN_NUCLEI, VULN_WPSCAN } vuln_scanner;
const char *vuln_scanner_name(vuln_scanner s);          /* "openvas", ... */
int vuln_scanner_parse(const char *name, vuln_scanner *out); /* "auto" too */

typedef enum vuln_severity { VULN_INFO = 0, VULN_LOW, VULN_MEDIUM, VULN_HIGH, VULN_CRITICAL } vuln_severity;
const char *vuln_severity_name(vuln_severity s);        /* "info","low","medium","high","critical" */

/* One result as the scanner states it. Strings are NUL-terminated UTF-8 valid
 * only during the callback; NULL when the report does not give them. */
typedef struct vuln_result {
	const char *host;        /* address or name the scanner targeted ("192.0.2.5", "www.example.go.id") */
	const char *hostname;    /* a name beside an address, if the report gives one */
	const char *port;        /* "443/tcp", "general/tcp"; NULL for URL-only results */
	const char *url;         /* the endpoint URL (Nuclei matched-at, WPScan target) */
	const char *vuln_id;     /* the scanner's identity of the vulnerability: NVT OID,
				  * "nmap:open-port", "nmap:vulners:CVE-…", nuclei template-id[:matcher-name],
				  * "wpscan:<wpvulndb id or title hash>"; never NULL */
	const char *title;       /* never NULL */
	vuln_severity severity;
	double cvss3_score;  const char *cvss3_vector;   /* score < 0: none */
	double cvss4_score;  const char *cvss4_vector;
	const char *const *cves; size_t n_cves;         /* "CVE-2021-44228", upper case, deduplicated */
	const char *cwe;         /* "CWE-79" or NULL */
	const char *description, *solution, *evidence;  /* evidence: the scanner's own output */
	const char *const *refs; size_t n_refs;          /* reference URLs */
	const char *component, *component_version;       /* software the result is about (nmap service product/version, wpscan plugin slug/version, WordPress core) */
} vuln_result;

typedef struct vuln_report_info {
	vuln_scanner scanner;    /* the one detected when VULN_AUTO was asked */
	const char *format;      /* "openvas-xml", "openvas-csv", "nmap-xml", "nuclei-jsonl", "nuclei-json", "wpscan-json" */
	int64_t started, ended;  /* unix seconds, 0 when unknown */
	/* the targets the scan covered (hosts up / targets of the report), so the
	 * importer can tell "no longer present" only for targets rescanned */
	char **targets; size_t n_targets;
	size_t results;          /* results given to the callback */
	size_t skipped;          /* entries not given (closed ports, hosts down, ...) */
} vuln_report_info;

typedef int (*vuln_result_cb)(void *ctx, const vuln_result *r, sg_err *e); /* non-zero stops */

/* Parses PATH as scanner S (VULN_AUTO: told from the content). Returns 0, or -1
 * with e set to a message naming the file and the place (line/element) of the fault. */
int vuln_parse_file(const char *path, vuln_scanner s, vuln_result_cb cb, void *ctx,
		    vuln_report_info *info, sg_err *e);
void vuln_report_info_free(vuln_report_info *info);

#endif
