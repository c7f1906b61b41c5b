/* fuzz_vintel.c: the vulnerability-intelligence readers (built three
 * times, FUZZ_KIND set to VI_CVE, VI_KEV or VI_EPSS), on a buffer as they
 * read a file: a CVE JSON 5 record, a KEV catalog in JSON or CSV, an
 * EPSS file plain or gzip. What they hand on must hold: an id in the
 * CVE form, scores in range, dates that exist. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"

#include "vuln/vintel.h"

static void id_ok(const char *id)
{
	char again[32];
	if (!vi_cve_id(id, strlen(id), again) || strcmp(again, id) != 0)
		__builtin_trap();
}

static int take_cve(void *ctx, const cve5_record *r)
{
	(void)ctx;
	id_ok(r->id);
	for (int v = 0; v < CVSS_N; v++)
		if (r->cvss[v].present &&
		    (!(r->cvss[v].score >= 0 && r->cvss[v].score <= 10) || r->cvss[v].vector == NULL))
			__builtin_trap();
	for (size_t i = 0; i < r->n_cwes; i++)
		if (strncmp(r->cwes[i], "CWE-", 4) != 0)
			__builtin_trap();
	return 0;
}

static int take_kev(void *ctx, const kev_entry *e)
{
	(void)ctx;
	id_ok(e->cve);
	if (!vi_date_ok(e->date_added) || !vi_date_ok(e->due_date) || e->vendor == NULL ||
	    e->notes == NULL || (strcmp(e->ransomware, "Known") != 0 && strcmp(e->ransomware, "Unknown") != 0))
		__builtin_trap();
	return 0;
}

static int take_epss(void *ctx, const epss_score *s)
{
	(void)ctx;
	id_ok(s->cve);
	if (!(s->epss >= 0 && s->epss <= 1 && s->percentile >= 0 && s->percentile <= 1))
		__builtin_trap();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	vi_counts c = {0};
	diags d = DIAGS_INIT;
	const char *p = (const char *)data;
	if (FUZZ_KIND == VI_CVE) {
		cve5_read_buffer(p, n, "fuzz", take_cve, NULL, &c, &d);
	} else if (FUZZ_KIND == VI_KEV) {
		kev_catalog cat;
		kev_read_buffer(p, n, "fuzz", 1767225600, take_kev, NULL, &cat, &c, &d);
	} else {
		epss_file meta;
		if (epss_read_buffer(p, n, "fuzz", take_epss, NULL, &meta, &c, &d) == 0 &&
		    !vi_date_ok(meta.score_date))
			__builtin_trap();
	}
	if (c.passed + c.refused > c.read)
		__builtin_trap();
	diags_free(&d);
	return 0;
}
