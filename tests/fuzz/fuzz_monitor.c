/* fuzz_monitor.c: the website monitor's page reader (src/monitor/page.c)
 * and its judging (analyse.c) on any bytes a compromised site may send:
 * no crash, no leak, and the texts it gives are within their limits.
 * The input is read as a page, scanned with the shipped content rules,
 * and judged against itself as the baseline and as the crawler's view;
 * and read as a sitemap. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "monitor/analyse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

static const char *same(const char *s)
{
	return s;
}

static mon_rules *rules;
static mon_scan *scan;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	if (!rules) {
		diags d = DIAGS_INIT;
		rules = mon_rules_load(NULL, 0, true, &d);
		diags_free(&d);
		if (!rules)
			abort();
		scan = mon_scan_new(rules);
	}
	mon_selector ign[2];
	sg_err e = {0};
	mon_selector_parse("#berita", &ign[0], &e);
	mon_selector_parse("p.tanggal", &ign[1], &e);
	mon_page p;
	if (mon_page_parse((const char *)data, n, "https://dinkes.contohkab.go.id/x/", ign, 2, &p, &e) !=
	    0)
		return 0;
	if (p.text_len > MON_TEXT_MAX + 8 || p.hidden_len > MON_TEXT_MAX + 8 ||
	    p.n_links > MON_LINKS_MAX || p.n_scripts > MON_SCRIPTS_MAX ||
	    strlen(p.text) != p.text_len)
		abort();
	const mon_script_seen scripts[] = {
	    {"https://dinkes.contohkab.go.id/a.js", "0000000000000000000000000000000000000000000000000000000000000000"},
	    {NULL, "1111111111111111111111111111111111111111111111111111111111111111"}};
	mon_baseline base = {p.text, scripts, 2, true};
	/* the page's own scripts hashed, as a check does */
	for (size_t i = 0; i < p.n_scripts; i++)
		if (p.scripts[i].src && i % 2)
			snprintf(p.scripts[i].sha256, sizeof p.scripts[i].sha256, "%064d", 1);
	mon_fetch_res r = {.reached = true, .status = 200,
	                   .final_url = (char *)"https://dinkes.contohkab.go.id/x/"};
	mon_limits lim = {.now = 1800000000, .slow_ms = 5000, .cert_warn_days = 30, .replaced_min = 0.8};
	mon_findings f = {0};
	mon_analyse("https://dinkes.contohkab.go.id/x/", &r, &p, &r, &p, &base, scan, &lim, &f);
	for (size_t i = 0; i < f.n; i++) {
		char s[1600];
		mon_finding_sentence(&f.v[i], same, s, sizeof s);
	}
	/* the same bytes as a sitemap, compared with the page's text */
	bool index;
	char *urls = mon_sitemap_urls((const char *)data, n, 100, &index);
	mon_sitemap_compare(p.text, urls, scan, &f);
	/* and as a robots.txt, its sitemaps merged with the sitemap's URLs */
	char *robots = mon_robots_sitemaps((const char *)data, n, 16);
	buf all = {0};
	buf_printf(&all, "%s\n%s\n%s", urls, robots, p.text);
	char *merged = mon_lines_sorted(all.data, 1000);
	for (const char *q = merged; *q; q++)
		if (*q == '\n' && (q[1] == '\n' || q[1] == '\0'))
			abort(); /* no empty line, no newline at the end */
	free(merged);
	buf_free(&all);
	free(robots);
	free(urls);
	mon_findings_free(&f);
	mon_page_free(&p);
	return 0;
}
