/* fuzz_vuln.c: the scanner report parsers (built once a scanner, FUZZ_SCANNER
 * set to VULN_OPENVAS (XML and CSV), VULN_NMAP, VULN_NUCLEI, VULN_WPSCAN, or
 * VULN_AUTO for the format sniffer in front of them all). Besides crashes
 * and sanitizer reports it checks what scan.h promises of every result:
 * an identity and a title, UTF-8 strings, CVEs in normal form, sorted and
 * unique, scores within CVSS's range or absent. */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"

#include "base/utf8.h"
#include "vuln/scan.h"

static void text_ok(const char *s)
{
	if (s && !utf8_valid(s, strlen(s)))
		__builtin_trap();
}

static int take(void *ctx, const vuln_result *r, sg_err *e)
{
	(void)ctx, (void)e;
	if (!r->vuln_id || !r->title || (unsigned)r->severity > VULN_CRITICAL)
		__builtin_trap();
	const char *texts[] = {r->host, r->hostname, r->port, r->url, r->vuln_id, r->title,
	                       r->cvss3_vector, r->cvss4_vector, r->cwe, r->description, r->solution,
	                       r->evidence, r->component, r->component_version};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		text_ok(texts[i]);
	for (size_t i = 0; i < r->n_cves; i++) {
		if (strncmp(r->cves[i], "CVE-", 4) != 0 || (i && strcmp(r->cves[i - 1], r->cves[i]) >= 0))
			__builtin_trap();
	}
	for (size_t i = 0; i < r->n_refs; i++)
		text_ok(r->refs[i]);
	if (r->cvss3_score > 10 || r->cvss4_score > 10)
		__builtin_trap();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	vuln_report_info info;
	sg_err e = {0};
	vuln_parse_buffer((const char *)data, n, "fuzz", FUZZ_SCANNER, take, NULL, &info, &e);
	vuln_report_info_free(&info);
	return 0;
}
