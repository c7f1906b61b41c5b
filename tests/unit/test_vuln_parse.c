/*
 * test_vuln_parse.c: the scanner report parsers (src/vuln) on reports
 * written for the project (tests/data/vuln/scanners: Greenbone GMP XML with its
 * wrapper and OMP XML without, a Greenbone CSV export with its columns in
 * another order, Nmap XML with vulners tables and text output, Nuclei v2
 * and v3 JSON lines and a v3 array, WPScan JSON), the format told from
 * the content, bad input refused with the file and the place, XXE and
 * billion-laughs files refused, and the real reports of
 * ../shared/data/vuln/scanners with the counts of its README (skipped
 * when absent).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "vuln/scan.h"

enum { GOT_MAX = 16 };

/* What the callback saw, copied (the result's strings end with it). */
typedef struct got {
	size_t n;
	char line[GOT_MAX][600];  /* id | severity | host | hostname | port | url | title */
	char cves[GOT_MAX][300];
	char refs[GOT_MAX][600];
	char cvss[GOT_MAX][200];  /* "3:9.1 CVSS:3.1/… 4:-1 -" */
	char desc[GOT_MAX][600];
	char sol[GOT_MAX][200];
	char evidence[GOT_MAX][600];
	char comp[GOT_MAX][100];
	char cwe[GOT_MAX][24];
	int stop_after; /* stop when n reaches it (0: never) */
	size_t unknown; /* results of a severity not given or not known */
} got;

static const char *nz(const char *s)
{
	return s ? s : "-";
}

static int collect(void *ctx, const vuln_result *r, sg_err *e)
{
	got *g = ctx;
	assert_non_null(r->vuln_id);
	assert_non_null(r->title);
	if (g->n < GOT_MAX) {
		size_t i = g->n;
		snprintf(g->line[i], sizeof g->line[i], "%s | %s | %s | %s | %s | %s | %s", r->vuln_id,
		         vuln_severity_name(r->severity), nz(r->host), nz(r->hostname), nz(r->port),
		         nz(r->url), r->title);
		g->cves[i][0] = g->refs[i][0] = '\0';
		for (size_t k = 0; k < r->n_cves; k++)
			snprintf(g->cves[i] + strlen(g->cves[i]), sizeof g->cves[i] - strlen(g->cves[i]),
			         "%s%s", k ? " " : "", r->cves[k]);
		for (size_t k = 0; k < r->n_refs; k++)
			snprintf(g->refs[i] + strlen(g->refs[i]), sizeof g->refs[i] - strlen(g->refs[i]),
			         "%s%s", k ? " " : "", r->refs[k]);
		snprintf(g->cvss[i], sizeof g->cvss[i], "3:%g %s 4:%g %s", r->cvss3_score,
		         nz(r->cvss3_vector), r->cvss4_score, nz(r->cvss4_vector));
		snprintf(g->desc[i], sizeof g->desc[i], "%s", nz(r->description));
		snprintf(g->sol[i], sizeof g->sol[i], "%s", nz(r->solution));
		snprintf(g->evidence[i], sizeof g->evidence[i], "%s", nz(r->evidence));
		snprintf(g->comp[i], sizeof g->comp[i], "%s %s", nz(r->component),
		         nz(r->component_version));
		snprintf(g->cwe[i], sizeof g->cwe[i], "%s", nz(r->cwe));
	}
	g->n++;
	g->unknown += r->severity_unknown;
	if (g->stop_after && (int)g->n >= g->stop_after) {
		sg_err_set(e, SG_EINVAL, "stopped by the test");
		return 1;
	}
	return 0;
}

static char path_buf[4096];
static const char *data(const char *name)
{
	snprintf(path_buf, sizeof path_buf, "%s/tests/data/vuln/scanners/%s", SIGAP_SOURCE_ROOT, name);
	return path_buf;
}

/* Parses a project file that must parse; returns the info (free it). */
static void parse_ok(const char *name, vuln_scanner s, got *g, vuln_report_info *info)
{
	sg_err e = {0};
	memset(g, 0, sizeof *g);
	if (vuln_parse_file(data(name), s, collect, g, info, &e) != 0)
		fail_msg("%s: %s", name, e.msg);
	assert_int_equal(info->results, g->n);
}

static void expect_str(const char *got_s, const char *want)
{
	if (strcmp(got_s, want) != 0)
		fail_msg("\n got  %s\n want %s", got_s, want);
}

static bool has_target(const vuln_report_info *info, const char *t)
{
	for (size_t i = 0; i < info->n_targets; i++)
		if (strcmp(info->targets[i], t) == 0)
			return true;
	return false;
}

static void test_openvas_gmp_report_in_its_response_wrapper(void **state)
{
	(void)state;
	got g;
	vuln_report_info info;
	parse_ok("openvas_gmp.xml", VULN_AUTO, &g, &info);
	expect_str(info.format, "openvas-xml");
	assert_int_equal(info.scanner, VULN_OPENVAS);
	/* four <result>s of <results>: the one in <detection> is part of the
	 * first; the False Positive (severity -1) is skipped */
	assert_int_equal(g.n, 3);
	assert_int_equal(info.skipped, 1);
	expect_str(g.line[0], "1.3.6.1.4.1.25623.1.0.900001 | critical | 192.0.2.10 | "
	                      "simpeg.example.go.id | 443/tcp | - | Apache HTTP Server < 2.4.62 "
	                      "Multiple Vulnerabilities");
	expect_str(g.cves[0], "CVE-2024-38474 CVE-2024-38475"); /* upper case, once each */
	expect_str(g.refs[0], "https://httpd.apache.org/security/vulnerabilities_24.html");
	expect_str(g.cvss[0], "3:9.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N 4:-1 -");
	/* the tag string's values, a '|' inside a value kept */
	assert_non_null(strstr(g.desc[0], "Apache HTTP Server is prone to multiple vulnerabilities."));
	assert_non_null(strstr(g.desc[0], "Insight: The following flaws exist:"));
	assert_non_null(strstr(g.desc[0], "substitution encoding issue | mod_rewrite"));
	assert_non_null(strstr(g.desc[0], "Impact: A remote attacker may read files."));
	assert_null(strstr(g.desc[0], "solution_type"));
	expect_str(g.sol[0], "Update to version 2.4.62 or later.");
	expect_str(g.evidence[0], "Installed version: 2.4.58\nFixed version:     2.4.62");
	expect_str(g.line[1], "1.3.6.1.4.1.25623.1.0.900002 | medium | 192.0.2.11 | - | 22/tcp | - | "
	                      "OpenSSH Information Disclosure");
	expect_str(g.cvss[1], "3:-1 - 4:5.3 CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N");
	expect_str(g.line[2], "1.3.6.1.4.1.25623.1.0.105937 | info | 192.0.2.11 | - | general/tcp | - | "
	                      "OS Detection Consolidation and Reporting");
	/* the report's hosts, the one without results among them */
	assert_int_equal(info.n_targets, 3);
	assert_true(has_target(&info, "192.0.2.12"));
	assert_int_equal(info.started, 1796004005); /* 2026-11-30T02:00:05Z */
	assert_int_equal(info.ended, 1796006460);   /* 2026-11-30T02:41:00Z */
	vuln_report_info_free(&info);
}

static void test_openvas_omp_report_without_wrapper(void **state)
{
	(void)state;
	got g;
	vuln_report_info info;
	parse_ok("openvas_omp.xml", VULN_OPENVAS, &g, &info);
	assert_int_equal(g.n, 2);
	expect_str(g.line[0], "1.3.6.1.4.1.25623.1.0.103936 | medium | 198.51.100.7 | - | 443/tcp | - | "
	                      "OpenSSL Heartbeat Information Disclosure Vulnerability");
	expect_str(g.cves[0], "CVE-2014-0160 CVE-2014-0346");
	expect_str(g.refs[0], "http://heartbleed.com/ https://www.openssl.org/news/secadv/20140407.txt");
	expect_str(g.cvss[0], "3:-1 - 4:-1 -"); /* a CVSS v2 vector is not kept */
	expect_str(g.sol[0], "Updates are available.");
	expect_str(g.cves[1], ""); /* NOCVE */
	expect_str(g.line[1], "1.3.6.1.4.1.25623.1.0.80091 | low | 198.51.100.7 | - | general/tcp | - | "
	                      "TCP timestamps");
	vuln_report_info_free(&info);
}

/* Greenbone's CVE scanner writes the CVE as the NVT OID, the CVEs column
 * empty: the finding still has its CVE (for KEV, EPSS and --cve). */
static void test_openvas_csv_cve_scanner_rows(void **state)
{
	(void)state;
	got g;
	vuln_report_info info;
	parse_ok("openvas_cve.csv", VULN_AUTO, &g, &info);
	assert_int_equal(g.n, 1);
	expect_str(g.cves[0], "CVE-2021-40438");
	vuln_report_info_free(&info);
}

static void test_openvas_csv_columns_by_header(void **state)
{
	(void)state;
	got g;
	vuln_report_info info;
	parse_ok("openvas.csv", VULN_AUTO, &g, &info);
	expect_str(info.format, "openvas-csv");
	assert_int_equal(g.n, 3); /* the blank line is no row */
	expect_str(g.line[0], "1.3.6.1.4.1.25623.1.0.900001 | critical | 192.0.2.10 | "
	                      "simpeg.example.go.id | 443/tcp | - | Apache HTTP Server < 2.4.62 "
	                      "Multiple Vulnerabilities");
	expect_str(g.desc[0], "Apache HTTP Server is prone to\nmultiple vulnerabilities, among them "
	                      "\"mod_rewrite\" issues.");
	expect_str(g.evidence[0], "Installed version: 2.4.58\nFixed version:     2.4.62");
	expect_str(g.cves[0], "CVE-2024-38474 CVE-2024-38475");
	expect_str(g.refs[0], "https://example.org/x https://httpd.apache.org/security/vulnerabilities_24.html");
	expect_str(g.sol[0], "Update to version 2.4.62 or later.");
	/* an empty Port: the host-level result the XML calls general/tcp */
	expect_str(g.line[1], "1.3.6.1.4.1.25623.1.0.80091 | low | 192.0.2.10 | - | - | - | TCP timestamps");
	expect_str(g.line[2], "1.3.6.1.4.1.25623.1.0.105937 | info | 192.0.2.11 | - | - | - | "
	                      "OS Detection Consolidation and Reporting");
	assert_int_equal(info.n_targets, 2);
	assert_int_equal(info.started, 1796004600);
	assert_int_equal(info.ended, 1796005800);
	vuln_report_info_free(&info);
}

static void test_nmap_open_ports_and_vulners(void **state)
{
	(void)state;
	got g;
	vuln_report_info info;
	parse_ok("nmap.xml", VULN_AUTO, &g, &info);
	expect_str(info.format, "nmap-xml");
	/* 22/tcp: two vulners entries from tables, then the port; 80/tcp: one
	 * entry from an older script's text output, then the port; 443/tcp:
	 * ssl-heartbleed VULNERABLE (ssl-ccs-injection NOT VULNERABLE is no
	 * result), then the port; the host script smb-vuln-ms17-010 */
	assert_int_equal(g.n, 8);
	expect_str(g.line[0], "nmap:vulners:CVE-2018-15919 | medium | 192.0.2.20 | jdih.example.go.id | "
	                      "22/tcp | - | CVE-2018-15919 in OpenSSH 7.4");
	expect_str(g.cves[0], "CVE-2018-15919");
	expect_str(g.refs[0], "https://vulners.com/cve/CVE-2018-15919");
	expect_str(g.line[1], "nmap:vulners:EDB-ID:45939 | medium | 192.0.2.20 | jdih.example.go.id | "
	                      "22/tcp | - | Exploit EDB-ID:45939 (exploitdb) for OpenSSH 7.4");
	expect_str(g.line[2], "nmap:open-port | info | 192.0.2.20 | jdih.example.go.id | 22/tcp | - | "
	                      "Open port 22/tcp ssh (OpenSSH 7.4)");
	expect_str(g.comp[2], "OpenSSH 7.4");
	assert_non_null(strstr(g.evidence[2], "cpe:/a:openbsd:openssh:7.4"));
	expect_str(g.line[3], "nmap:vulners:CVE-2021-23017 | high | 192.0.2.20 | jdih.example.go.id | "
	                      "80/tcp | - | CVE-2021-23017 in nginx 1.18.0");
	expect_str(g.line[4], "nmap:open-port | info | 192.0.2.20 | jdih.example.go.id | 80/tcp | - | "
	                      "Open port 80/tcp http (nginx 1.18.0)");
	assert_non_null(strstr(g.evidence[4], "http-title: JDIH Kabupaten"));
	expect_str(g.line[5], "nmap:ssl-heartbleed:NMAP-1 | high | 192.0.2.20 | jdih.example.go.id | "
	                      "443/tcp | - | The Heartbleed Bug is a serious vulnerability in the popular "
	                      "OpenSSL cryptographic software library.");
	expect_str(g.cves[5], "CVE-2014-0160");
	expect_str(g.refs[5], "http://www.openssl.org/news/secadv_20140407.txt "
	                      "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2014-0160");
	expect_str(g.desc[5], "OpenSSL versions 1.0.1 and 1.0.2-beta releases are affected by the "
	                      "Heartbleed bug.");
	expect_str(g.evidence[5], "ssl-heartbleed: VULNERABLE");
	assert_non_null(strstr(g.line[6], "nmap:open-port | info | 192.0.2.20 | jdih.example.go.id | 443/tcp"));
	/* a host script's result is the host's: no port */
	expect_str(g.line[7], "nmap:smb-vuln-ms17-010:CVE-2017-0143 | medium | 192.0.2.20 | "
	                      "jdih.example.go.id | - | - | Remote Code Execution vulnerability in "
	                      "Microsoft SMBv1 servers (ms17-010)");
	expect_str(g.cves[7], "CVE-2017-0143");
	expect_str(g.comp[7], "- -");
	/* filtered 3306, closed 8080, open|filtered 161/udp, the host down */
	assert_int_equal(info.skipped, 4);
	assert_int_equal(info.n_targets, 1);
	expect_str(info.targets[0], "192.0.2.20");
	assert_int_equal(info.started, 1796004000);
	assert_int_equal(info.ended, 1796004200);
	/* the ports scanned, from the two <scaninfo> */
	expect_str(info.ports, "tcp:1-10000;udp:161");
	vuln_report_info_free(&info);
}

/* Which endpoints a report's ports cover: the ports listed, by
 * protocol; every endpoint when the report does not say; the host's own
 * ("", general/tcp, a URL) always; none of a protocol not scanned. */
static void test_ports_a_scan_covered(void **state)
{
	(void)state;
	assert_true(vuln_ports_cover(NULL, "22/tcp"));
	const char *p = "tcp:1,3-4,80-443;udp:53";
	assert_true(vuln_ports_cover(p, "1/tcp"));
	assert_true(vuln_ports_cover(p, "4/tcp"));
	assert_false(vuln_ports_cover(p, "2/tcp"));
	assert_false(vuln_ports_cover(p, "5/tcp"));
	assert_true(vuln_ports_cover(p, "80/tcp"));
	assert_true(vuln_ports_cover(p, "443/TCP"));
	assert_false(vuln_ports_cover(p, "444/tcp"));
	assert_true(vuln_ports_cover(p, "53/udp"));
	assert_false(vuln_ports_cover(p, "53/tcp"));
	assert_false(vuln_ports_cover(p, "80/sctp"));
	assert_false(vuln_ports_cover(p, "99999999999/tcp"));
	assert_true(vuln_ports_cover(p, ""));
	assert_true(vuln_ports_cover(p, "general/tcp"));
	assert_true(vuln_ports_cover(p, "https://10.0.0.5/admin"));
	/* a ping scan: no port */
	assert_false(vuln_ports_cover("", "22/tcp"));
	assert_false(vuln_ports_cover("tcp:", "22/tcp"));
	assert_true(vuln_ports_cover("", ""));
	/* a ping scan's report says none */
	static const char ping[] = "<?xml version=\"1.0\"?>\n<nmaprun scanner=\"nmap\">\n<host><status "
	                           "state=\"up\"/><address addr=\"192.0.2.9\" addrtype=\"ipv4\"/>"
	                           "</host></nmaprun>\n";
	got g;
	memset(&g, 0, sizeof g);
	vuln_report_info info = {0};
	sg_err e = {0};
	assert_int_equal(vuln_parse_buffer(ping, strlen(ping), "ping.xml", VULN_AUTO, collect, &g,
	                                   &info, &e),
	                 0);
	expect_str(info.ports, "");
	assert_int_equal(info.n_targets, 1);
	vuln_report_info_free(&info);
	/* the other scanners do not say */
	parse_ok("openvas_gmp.xml", VULN_AUTO, &g, &info);
	assert_null(info.ports);
	vuln_report_info_free(&info);
}

static int evidence_check(void *ctx, const vuln_result *r, sg_err *e)
{
	(void)e;
	size_t *len = ctx;
	assert_non_null(r->evidence);
	*len = strlen(r->evidence);
	assert_true(utf8_valid(r->evidence, *len));
	return 0;
}

/* Evidence past its 64 KiB is cut where a character begins: a Nuclei
 * record extracting 100 KiB of two-byte characters after its label. */
static void test_evidence_cut_on_a_character(void **state)
{
	(void)state;
	static const char head[] = "{\"template-id\":\"x\",\"info\":{\"name\":\"X\",\"severity\":"
	                           "\"low\"},\"host\":\"192.0.2.1\",\"extracted-results\":[\"";
	size_t n = 100 * 1024;
	char *rec = malloc(sizeof head + n + 8);
	memcpy(rec, head, sizeof head - 1);
	size_t at = sizeof head - 1;
	for (size_t i = 0; i < n; i += 2) {
		memcpy(rec + at, "\xc3\xa9", 2);
		at += 2;
	}
	memcpy(rec + at, "\"]}\n", 5);
	size_t len = 0;
	vuln_report_info info = {0};
	sg_err e = {0};
	assert_int_equal(vuln_parse_buffer(rec, strlen(rec), "big.jsonl", VULN_NUCLEI, evidence_check,
	                                   &len, &info, &e),
	                 0);
	assert_true(len <= 64 * 1024 && len > 64 * 1024 - 4);
	vuln_report_info_free(&info);
	free(rec);
}

static void test_nuclei_v2_and_v3_keys(void **state)
{
	(void)state;
	got g;
	vuln_report_info info;
	parse_ok("nuclei_v2.jsonl", VULN_AUTO, &g, &info);
	expect_str(info.format, "nuclei-jsonl");
	assert_int_equal(g.n, 2);
	expect_str(g.line[0], "nuclei:wordpress-xmlrpc-listmethods | info | ppid.example.go.id | - | - | "
	                      "https://ppid.example.go.id/xmlrpc.php | WordPress XML-RPC listMethods");
	expect_str(g.refs[0], "https://codex.wordpress.org/XML-RPC_Support https://example.org/xmlrpc");
	expect_str(g.line[1], "nuclei:tech-detect:php | info | ppid.example.go.id | - | - | "
	                      "https://ppid.example.go.id | Wappalyzer Technology Detection [php]");
	assert_non_null(strstr(g.evidence[1], "extracted: PHP/7.4.3"));
	vuln_report_info_free(&info);

	parse_ok("nuclei_v3.jsonl", VULN_NUCLEI, &g, &info);
	assert_int_equal(g.n, 2);
	expect_str(g.line[0], "nuclei:CVE-2021-41773 | high | sipd.example.go.id | - | - | "
	                      "https://sipd.example.go.id/cgi-bin/.%2e/.%2e/etc/passwd | Apache 2.4.49 - "
	                      "Path Traversal and Remote Code Execution");
	expect_str(g.cves[0], "CVE-2021-41773");
	expect_str(g.cwe[0], "CWE-22");
	expect_str(g.cvss[0], "3:7.5 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N 4:-1 -");
	expect_str(g.sol[0], "Update to Apache HTTP Server 2.4.51 or later.");
	/* a network template: host:port gives the port */
	expect_str(g.line[1], "nuclei:openssh-detect | info | sipd.example.go.id | - | 22/tcp | - | "
	                      "OpenSSH Service - Detect");
	expect_str(g.cvss[1], "3:-1 - 4:6.9 CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N");
	assert_int_equal(info.started, 1796033100);
	vuln_report_info_free(&info);

	parse_ok("nuclei_v3_array.json", VULN_AUTO, &g, &info);
	expect_str(info.format, "nuclei-json");
	assert_int_equal(g.n, 2);
	expect_str(g.line[1], "nuclei:missing-sri:script | info | jdih.example.go.id | - | - | "
	                      "https://jdih.example.go.id/ | Missing Subresource Integrity [script]");
	vuln_report_info_free(&info);
}

static void test_wpscan_core_plugins_theme(void **state)
{
	(void)state;
	got g;
	vuln_report_info info;
	parse_ok("wpscan.json", VULN_AUTO, &g, &info);
	expect_str(info.format, "wpscan-json");
	assert_int_equal(g.n, 4);
	assert_int_equal(info.skipped, 2); /* interesting_findings */
	expect_str(g.line[0], "wpscan:wordpress:5e9804e5-bbd4-4836-a5f0-b4388cc39225 | medium | dinkes.example.go.id | "
	                      "- | - | https://dinkes.example.go.id/ | WordPress < 6.4.3 - Deserialization "
	                      "of Untrusted Data");
	expect_str(g.cves[0], "CVE-2024-31211");
	expect_str(g.comp[0], "wordpress 6.4.2");
	expect_str(g.cvss[0], "3:6.6 CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:H/A:H 4:-1 -");
	assert_non_null(strstr(g.refs[0], "https://wpscan.com/vulnerability/5e9804e5-bbd4-4836-a5f0-b4388cc39225"));
	expect_str(g.sol[0], "Update wordpress to version 6.4.3 or later.");
	/* no WPVulnDB id: the title's hash, stable between runs */
	assert_non_null(strstr(g.line[1], "wpscan:contact-form-7:title-"));
	assert_non_null(strstr(g.line[1], "Contact Form 7 < 5.3.2 - Unrestricted File Upload"));
	expect_str(g.cves[1], "CVE-2020-35489");
	expect_str(g.comp[1], "contact-form-7 5.3.1");
	expect_str(g.sol[2], "-"); /* fixed_in null */
	expect_str(g.comp[3], "astra 4.1.0");
	assert_int_equal(info.started, 1796018400);
	assert_int_equal(info.ended, 1796018460);
	expect_str(info.targets[0], "dinkes.example.go.id");
	/* the site's origin is covered even where nothing was found */
	assert_int_equal(info.n_origins, 1);
	expect_str(info.origins[0], "https://dinkes.example.go.id:443");
	vuln_report_info_free(&info);
}

/* A WPScan report is read whole, up to 64 MiB: one past that is refused as
 * too large once its reading passes the limit (it is never measured by a
 * seek to its end: a report on disk is parsed as it is copied). */
static void test_wpscan_past_its_size_is_refused(void **state)
{
	(void)state;
	size_t n = (64u << 20) + 2;
	char *doc = malloc(n);
	assert_non_null(doc);
	memset(doc, ' ', n);
	doc[0] = '{';
	doc[n - 1] = '}';
	got g = {0};
	vuln_report_info info;
	sg_err e = {0};
	assert_int_equal(vuln_parse_buffer(doc, n, "besar.json", VULN_WPSCAN, collect, &g, &info, &e),
	                 -1);
	assert_int_equal(e.code, SG_ETOOBIG);
	expect_str(e.msg, "besar.json: a WPScan report of more than 64 MiB; sigap reads WPScan "
	                  "reports up to that size");
	vuln_report_info_free(&info);
	/* at the limit: read, and judged on its content */
	doc[n - 3] = '}';
	e = (sg_err){0};
	int rc = vuln_parse_buffer(doc, n - 2, "pas.json", VULN_WPSCAN, collect, &g, &info, &e);
	assert_true(rc == 0 || e.code != SG_ETOOBIG);
	vuln_report_info_free(&info);
	free(doc);
}

/* A severity is read trimmed and case-blind; one still unknown (Nuclei's
 * own "unknown", a word of no scale, none) is info, and said. */
static void test_severities_trimmed_and_the_unknown_said(void **state)
{
	(void)state;
	const char *const sev[] = {"\"medium \"", "\"EXTREME\"", "\"\"", "\"unknown\"",
	                           "\" High\"", "null", "\"Critical\""};
	const char *const want[] = {"medium", "info", "info", "info", "high", "info", "critical"};
	char doc[4096] = "";
	for (size_t i = 0; i < 7; i++)
		snprintf(doc + strlen(doc), sizeof doc - strlen(doc),
		         "{\"template-id\": \"t%zu\", \"host\": \"h9.example\", "
		         "\"matched-at\": \"https://h9.example/\", \"info\": {\"name\": \"T\", "
		         "\"severity\": %s}}\n",
		         i, sev[i]);
	got g = {0};
	vuln_report_info info;
	sg_err e = {0};
	assert_int_equal(vuln_parse_buffer(doc, strlen(doc), "s.jsonl", VULN_NUCLEI, collect, &g,
	                                   &info, &e),
	                 0);
	assert_int_equal(g.n, 7);
	for (size_t i = 0; i < 7; i++) {
		char w[32];
		snprintf(w, sizeof w, "nuclei:t%zu | %s |", i, want[i]);
		assert_non_null(strstr(g.line[i], w));
	}
	assert_int_equal(g.unknown, 4);
	vuln_report_info_free(&info);

	/* Greenbone's threat word, unscored */
	const char csv[] = "IP,Hostname,Port,Port Protocol,CVSS,Severity,Solution Type,NVT Name,"
	                   "Summary,Specific Result,NVT OID\n"
	                   "10.0.0.5,,443,tcp,,  HIGH ,,A,,,1.3.6.1.4.1.25623.1.0.1\n"
	                   "10.0.0.5,,443,tcp,,Log,,B,,,1.3.6.1.4.1.25623.1.0.2\n"
	                   "10.0.0.5,,443,tcp,,Severe,,C,,,1.3.6.1.4.1.25623.1.0.3\n";
	got c = {0};
	assert_int_equal(vuln_parse_buffer(csv, strlen(csv), "s.csv", VULN_OPENVAS, collect, &c,
	                                   &info, &e),
	                 0);
	assert_int_equal(c.n, 3);
	assert_non_null(strstr(c.line[0], "| high |"));
	assert_non_null(strstr(c.line[1], "| info |"));
	assert_non_null(strstr(c.line[2], "| info |"));
	assert_int_equal(c.unknown, 1);
	vuln_report_info_free(&info);
}

static void test_url_origins(void **state)
{
	(void)state;
	const char *const cases[][2] = {
	    {"https://h9.example", "https://h9.example:443"},
	    {"HTTPS://User:pw@H9.Example.:443/x?y#z", "https://h9.example:443"},
	    {"https://h9.example:8443/admin", "https://h9.example:8443"},
	    {"http://h9.example/", "http://h9.example:80"},
	    {"http://[2001:DB8::7]:8080/a", "http://[2001:db8::7]:8080"},
	    {"ftp://h9.example/f", "ftp://h9.example"},
	};
	char o[256];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_true(vuln_url_origin(cases[i][0], o, sizeof o));
		assert_string_equal(o, cases[i][1]);
	}
	assert_false(vuln_url_origin("h9.example:443", o, sizeof o));
	assert_false(vuln_url_origin("https://", o, sizeof o));
	assert_false(vuln_url_origin("https://h9.example:99999/", o, sizeof o));
}

/* Each bad file: refused, the message naming the file and the place. */
static void test_bad_input_refused_with_place(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		vuln_scanner s;
		const char *want;
	} cases[] = {
		{"xxe.xml", VULN_AUTO, "xxe.xml:6: declares an XML entity (<!ENTITY): refused"},
		{"billion_laughs.xml", VULN_AUTO, "billion_laughs.xml:5: declares an XML entity"},
		{"xxe.xml", VULN_OPENVAS, "xxe.xml:6: declares an XML entity"},
		{"bad_tag.xml", VULN_AUTO, "bad_tag.xml:6:15: not well-formed XML: Opening and ending tag mismatch"},
		{"no_oid.xml", VULN_AUTO, "no_oid.xml:3: <result> without an NVT OID"},
		{"bad.jsonl", VULN_AUTO, "bad.jsonl:2:"},
		{"bad.csv", VULN_OPENVAS, "bad.csv:2: a quoted field opened here is never closed"},
		/* a scanner named for another's report: told apart before parsing */
		{"openvas_gmp.xml", VULN_NMAP, "openvas_gmp.xml is a report of openvas, not of nmap: "
		                               "import it as a report of openvas"},
		{"nmap.xml", VULN_OPENVAS, "nmap.xml is a report of nmap, not of openvas"},
		{"wpscan.json", VULN_NUCLEI, "wpscan.json is a report of wpscan, not of nuclei"},
		{"nmap.xml", VULN_WPSCAN, "nmap.xml is a report of nmap, not of wpscan"},
		{"nuclei_v3.jsonl", VULN_NMAP, "nuclei_v3.jsonl is a report of nuclei, not of nmap"},
		{"nuclei_v3_array.json", VULN_WPSCAN, "is a report of nuclei, not of wpscan"},
		{"openvas.csv", VULN_NUCLEI, "openvas.csv is a report of openvas, not of nuclei"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got g = {0};
		vuln_report_info info;
		sg_err e = {0};
		if (vuln_parse_file(data(cases[i].file), cases[i].s, collect, &g, &info, &e) != -1)
			fail_msg("%s read as %s: accepted", cases[i].file, vuln_scanner_name(cases[i].s));
		if (!strstr(e.msg, cases[i].want))
			fail_msg("%s: message\n  %s\nwithout\n  %s", cases[i].file, e.msg, cases[i].want);
		assert_int_equal(e.code, SG_EINVAL);
		vuln_report_info_free(&info);
	}
	/* the XXE file's entity was never read: nothing reached the callback */
	got g = {0};
	vuln_report_info info;
	sg_err e = {0};
	assert_int_equal(vuln_parse_file(data("xxe.xml"), VULN_AUTO, collect, &g, &info, &e), -1);
	assert_int_equal(g.n, 0);
	vuln_report_info_free(&info);
	assert_int_equal(vuln_parse_file(data("missing.xml"), VULN_AUTO, collect, &g, &info, &e), -1);
	assert_int_equal(e.code, SG_ENOTFOUND);
	vuln_report_info_free(&info);
}

static void test_buffers_and_the_unknown(void **state)
{
	(void)state;
	got g = {0};
	vuln_report_info info;
	sg_err e = {0};
	/* empty: Nuclei's report of nothing found */
	assert_int_equal(vuln_parse_buffer("", 0, "empty.json", VULN_AUTO, collect, &g, &info, &e), 0);
	expect_str(info.format, "nuclei-jsonl");
	assert_int_equal(info.results, 0);
	vuln_report_info_free(&info);
	assert_int_equal(vuln_parse_buffer("", 0, "empty.xml", VULN_NMAP, collect, &g, &info, &e), -1);
	assert_non_null(strstr(e.msg, "empty.xml: the file is empty"));
	vuln_report_info_free(&info);
	static const char *const unknown[][2] = {
		{"<rss><channel/></rss>", "x.xml: XML with root element <rss> is no report sigap reads"},
		{"{\"alerts\": []}", "x.xml: JSON that is neither Nuclei's"},
		{"date,host,message\n", "x.xml: not a report sigap reads"},
		{"\xFF\xFE<\0r\0", "x.xml: is UTF-16"},
	};
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		assert_int_equal(vuln_parse_buffer(unknown[i][0], strlen(unknown[i][0]) + (i == 3 ? 2 : 0),
		                                   "x.xml", VULN_AUTO, collect, &g, &info, &e), -1);
		if (!strstr(e.msg, unknown[i][1]))
			fail_msg("%s\n want %s", e.msg, unknown[i][1]);
		vuln_report_info_free(&info);
	}
	/* a NUL byte in XML (UTF-16 without its mark) */
	static const char nul[] = "<nmaprun>\0<host/></nmaprun>";
	assert_int_equal(vuln_parse_buffer(nul, sizeof nul - 1, "n.xml", VULN_NMAP, collect, &g, &info, &e), -1);
	assert_non_null(strstr(e.msg, "n.xml:1: holds a NUL byte"));
	vuln_report_info_free(&info);
	/* a buffer parses as its file does */
	static const char one[] = "{\"template-id\":\"t\",\"info\":{\"severity\":\"critical\"},"
	                          "\"host\":\"192.0.2.9\",\"matched-at\":\"192.0.2.9:8443\"}\n";
	memset(&g, 0, sizeof g);
	assert_int_equal(vuln_parse_buffer(one, sizeof one - 1, "b.jsonl", VULN_AUTO, collect, &g, &info, &e), 0);
	expect_str(g.line[0], "nuclei:t | critical | 192.0.2.9 | - | 8443/tcp | - | t");
	vuln_report_info_free(&info);
	/* a CVSS score out of range is no score */
	static const char big[] = "<report><report><results><result><nvt oid=\"1.2\"><cvss_base>1e999</cvss_base>"
	                          "<severities><severity type=\"cvss_base_v3\"><score>11</score>"
	                          "<value>CVSS:3.1/AV:N</value></severity></severities></nvt></result>"
	                          "</results></report></report>";
	memset(&g, 0, sizeof g);
	assert_int_equal(vuln_parse_buffer(big, sizeof big - 1, "big.xml", VULN_AUTO, collect, &g, &info, &e), 0);
	expect_str(g.cvss[0], "3:-1 CVSS:3.1/AV:N 4:-1 -");
	vuln_report_info_free(&info);
	/* a v3.2 network record states its port on its own */
	static const char own[] = "{\"template-id\":\"dns-x\",\"type\":\"udp\",\"port\":\"53\","
	                          "\"host\":\"192.0.2.9\",\"matched-at\":\"192.0.2.9\"}";
	memset(&g, 0, sizeof g);
	assert_int_equal(vuln_parse_buffer(own, sizeof own - 1, "p.jsonl", VULN_NUCLEI, collect, &g, &info, &e), 0);
	expect_str(g.line[0], "nuclei:dns-x | info | 192.0.2.9 | - | 53/udp | - | dns-x");
	vuln_report_info_free(&info);
}

/* Blank lines before a report (a script's output before it) are passed
 * over, past the head that tells the format: the report is read, told or
 * named, and an error's line counts them; past VULN_BLANK_MAX the file is
 * refused as such, not as empty nor as another scanner's. */
static void test_blank_space_before_a_report(void **state)
{
	(void)state;
	static const char nmap[] = "<?xml version=\"1.0\"?>\n<nmaprun scanner=\"nmap\">"
	                           "<host><status state=\"up\"/><address addr=\"192.0.2.7\" "
	                           "addrtype=\"ipv4\"/><ports><port protocol=\"tcp\" portid=\"22\">"
	                           "<state state=\"open\"/><service name=\"ssh\"/></port></ports>"
	                           "</host></nmaprun>\n";
	buf b = BUF_INIT;
	for (int i = 0; i < 5000; i++)
		buf_puts(&b, i % 2 ? "\n" : " \r\n");
	size_t lead = b.len;
	buf_puts(&b, nmap);
	static const vuln_scanner as[] = {VULN_AUTO, VULN_NMAP};
	for (size_t k = 0; k < 2; k++) {
		got g = {0};
		vuln_report_info info;
		sg_err e = {0};
		if (vuln_parse_buffer(b.data, b.len, "lead.xml", as[k], collect, &g, &info, &e) != 0)
			fail_msg("read as %s: %s", vuln_scanner_name(as[k]), e.msg);
		expect_str(info.format, "nmap-xml");
		assert_int_equal(g.n, 1);
		vuln_report_info_free(&info);
	}
	/* an error's place counts the lines passed over */
	buf bad = BUF_INIT;
	buf_append(&bad, b.data, lead);
	buf_puts(&bad, "<?xml version=\"1.0\"?>\n<nmaprun scanner=nmap></nmaprun>\n");
	got g = {0};
	vuln_report_info info;
	sg_err e = {0};
	assert_int_equal(vuln_parse_buffer(bad.data, bad.len, "bad.xml", VULN_AUTO, collect, &g, &info, &e), -1);
	if (!strstr(e.msg, "bad.xml:5002:"))
		fail_msg("%s", e.msg);
	vuln_report_info_free(&info);
	/* 64 KiB of it and a byte more, before a short report, before nothing,
	 * with the scanner named: refused as such */
	buf far = BUF_INIT;
	for (int i = 0; i < 65537; i++)
		buf_putc(&far, i % 3 ? '\n' : ' ');
	size_t blank = far.len;
	buf_puts(&far, nmap);
	static const struct {
		size_t len;
		vuln_scanner as;
	} over[] = {{0, VULN_AUTO}, {0, VULN_NMAP}, {1, VULN_AUTO}, {1, VULN_NUCLEI}};
	for (size_t k = 0; k < sizeof over / sizeof over[0]; k++) {
		size_t len = over[k].len ? blank : far.len;
		assert_int_equal(vuln_parse_buffer(far.data, len, "far.xml", over[k].as, collect, &g,
		                                   &info, &e),
		                 -1);
		if (!strstr(e.msg, "far.xml: more than 64 KiB of blank space before anything"))
			fail_msg("%zu: %s", k, e.msg);
		vuln_report_info_free(&info);
	}
	/* 64 KiB exactly before nothing: an empty report */
	assert_int_equal(vuln_parse_buffer(far.data, blank - 1, "empty.jsonl", VULN_AUTO, collect, &g,
	                                   &info, &e),
	                 0);
	assert_int_equal(info.results, 0);
	vuln_report_info_free(&info);
	buf_free(&far);
	/* a byte order mark, then blank lines, before a JSON record and a
	 * Greenbone CSV export */
	static const char *const marked[][2] = {
		{"\xEF\xBB\xBF\n\n{\"template-id\":\"t\",\"host\":\"192.0.2.9\",\"matched-at\":\"192.0.2.9:80\"}\n",
		 "nuclei-jsonl"},
		{"\xEF\xBB\xBF\r\n\r\nIP,Hostname,Port,Port Protocol,CVSS,Severity,NVT Name,NVT OID\r\n"
		 "192.0.2.9,,80,tcp,5.0,Medium,A test,1.3.6.1.4.1.25623.1.0.1\r\n",
		 "openvas-csv"},
	};
	for (size_t k = 0; k < 2; k++) {
		memset(&g, 0, sizeof g);
		if (vuln_parse_buffer(marked[k][0], strlen(marked[k][0]), "m", VULN_AUTO, collect, &g,
		                      &info, &e) != 0)
			fail_msg("%zu: %s", k, e.msg);
		expect_str(info.format, marked[k][1]);
		assert_int_equal(g.n, 1);
		vuln_report_info_free(&info);
	}
	buf_free(&bad);
	buf_free(&b);
}

/* A report that ends with elements open (a copy that stopped) is said to
 * be cut short, not to have "extra content"; content after the root
 * element still is malformed XML. */
static void test_a_report_cut_short(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"<?xml version=\"1.0\"?>\n<nmaprun>\n<host><status state=\"up\"/>\n<ports><port protocol=\"tcp\">",
		 "cut.xml:4: the report ends inside <"},
		{"<report><report><results><result><nvt oid=\"1.2\">",
		 "cut.xml:1: the report ends inside <"},
		{"<nmaprun></nmaprun><x/>", "cut.xml:1:20: not well-formed XML: Extra content at the end"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got g = {0};
		vuln_report_info info;
		sg_err e = {0};
		assert_int_equal(vuln_parse_buffer(cases[i][0], strlen(cases[i][0]), "cut.xml", VULN_AUTO,
		                                   collect, &g, &info, &e),
		                 -1);
		if (!strstr(e.msg, cases[i][1]))
			fail_msg("%zu: %s\n want %s", i, e.msg, cases[i][1]);
		if (i < 2 && !strstr(e.msg, "the file is cut short"))
			fail_msg("%zu: %s", i, e.msg);
		vuln_report_info_free(&info);
	}
}

/* Regression (found by fuzz_vuln_nmap): a vulners entry's description was
 * printed into the buffer that held the service's name it quotes. */
static void test_nmap_long_service_name_in_vulners_description(void **state)
{
	(void)state;
	char product[700], doc[4096];
	memset(product, 'P', sizeof product - 1);
	product[sizeof product - 1] = '\0';
	snprintf(doc, sizeof doc,
	         "<nmaprun><host><status state=\"up\"/><address addr=\"192.0.2.5\" addrtype=\"ipv4\"/>"
	         "<ports><port protocol=\"tcp\" portid=\"22\"><state state=\"open\"/>"
	         "<service name=\"ssh\" product=\"%s\" version=\"1\"/><script id=\"vulners\" output=\"x\">"
	         "<table key=\"cpe:/a:x\"><table><elem key=\"id\">CVE-2020-0001</elem>"
	         "<elem key=\"cvss\">9.8</elem><elem key=\"type\">cve</elem></table></table>"
	         "</script></port></ports></host></nmaprun>", product);
	got g = {0};
	vuln_report_info info;
	sg_err e = {0};
	assert_int_equal(vuln_parse_buffer(doc, strlen(doc), "long.xml", VULN_AUTO, collect, &g, &info, &e), 0);
	assert_int_equal(g.n, 2);
	assert_non_null(strstr(g.desc[0], "lists CVE-2020-0001 for PPPPPPPP"));
	assert_non_null(strstr(g.line[0], "critical"));
	vuln_report_info_free(&info);
}

static void test_callback_stops_the_parse(void **state)
{
	(void)state;
	static const char *const files[] = {"openvas_gmp.xml", "openvas.csv", "nmap.xml",
	                                    "nuclei_v3.jsonl", "nuclei_v3_array.json", "wpscan.json"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		got g = {0};
		g.stop_after = 1;
		vuln_report_info info;
		sg_err e = {0};
		assert_int_equal(vuln_parse_file(data(files[i]), VULN_AUTO, collect, &g, &info, &e), -1);
		assert_int_equal(g.n, 1);
		assert_int_equal(info.results, 0); /* the one refused is not counted */
		expect_str(e.msg, "stopped by the test");
		vuln_report_info_free(&info);
	}
}

static void test_names(void **state)
{
	(void)state;
	vuln_scanner s;
	assert_int_equal(vuln_scanner_parse("OpenVAS", &s), 0);
	assert_int_equal(s, VULN_OPENVAS);
	assert_int_equal(vuln_scanner_parse("auto", &s), 0);
	assert_int_equal(s, VULN_AUTO);
	assert_int_equal(vuln_scanner_parse("nessus", &s), -1);
	expect_str(vuln_scanner_name(VULN_WPSCAN), "wpscan");
	expect_str(vuln_severity_name(VULN_CRITICAL), "critical");
	assert_int_equal(vuln_severity_of_score(9.0), VULN_CRITICAL);
	assert_int_equal(vuln_severity_of_score(8.9), VULN_HIGH);
	assert_int_equal(vuln_severity_of_score(4.0), VULN_MEDIUM);
	assert_int_equal(vuln_severity_of_score(0.1), VULN_LOW);
	assert_int_equal(vuln_severity_of_score(0.0), VULN_INFO);
}

/* ---- the real reports of ../shared/data/vuln/scanners */

static int count_only(void *ctx, const vuln_result *r, sg_err *e)
{
	(void)e;
	assert_non_null(r->title);
	(*(size_t *)ctx)++;
	return 0;
}

/* README's count, and where ours differs, why. The column DD is
 * DefectDojo's, which merges: the note says how the three relate (the
 * merging into findings is app/findings' work, not the parser's). */
static const struct {
	const char *file;
	const char *format;
	size_t readme, results, skipped, dd;
	const char *note;
} shared[] = {
	{"nmap/dd_issue12411.xml", "nmap-xml", 4, 4, 3, 2, "DD merges one port across the 2 hosts; 3 filtered ports skipped"},
	{"nmap/dd_issue4406.xml", "nmap-xml", 25, 67, 0, 67, "25 open ports + 42 vulners entries (8 CVEs, 34 exploits): as DD"},
	{"nmap/dd_nmap_0port.xml", "nmap-xml", 0, 0, 0, 0, NULL},
	{"nmap/dd_nmap_1port.xml", "nmap-xml", 1, 1, 0, 1, NULL},
	{"nmap/dd_nmap_multiple_port.xml", "nmap-xml", 13, 13, 0, 13, NULL},
	{"nmap/dd_nmap_script_vulners.xml", "nmap-xml", 1, 3, 0, 3, "1 open port + 2 vulners CVEs: as DD"},
	{"nmap/edge_spdx_prefixed/scb_local-network-verbose.xml", "nmap-xml", 21, 21, 246, 0, "246 hosts down"},
	{"nmap/edge_spdx_prefixed/scb_scanme.nmap.org-ipv6.xml", "nmap-xml", 3, 3, 0, 0, NULL},
	{"nmap/edge_spdx_prefixed/scb_service-scan.xml", "nmap-xml", 2, 2, 0, 0, NULL},
	{"nmap/libnmap_1_hosts_banner_ports.xml", "nmap-xml", 2, 2, 2, 0, "2 closed ports"},
	{"nmap/libnmap_1_os_banner_scripts.xml", "nmap-xml", 8, 8, 0, 0, NULL},
	{"nmap/libnmap_full_sudo6.xml", "nmap-xml", 12, 12, 252, 0, "252 hosts down"},
	{"nuclei/dd_empty.jsonl", "nuclei-jsonl", 0, 0, 0, 0, NULL},
	{"nuclei/dd_invalid_cwe.json", "nuclei-jsonl", 1, 1, 0, 1, NULL},
	{"nuclei/dd_issue_14071.json", "nuclei-jsonl", 27, 27, 0, 27, NULL},
	{"nuclei/dd_issue_9201.json", "nuclei-jsonl", 1, 1, 0, 1, NULL},
	{"nuclei/dd_many_findings.json", "nuclei-jsonl", 18, 18, 0, 16, "DD merges records of one template, type, matcher and host"},
	{"nuclei/dd_many_findings_new.json", "nuclei-jsonl", 2, 2, 0, 2, NULL},
	{"nuclei/dd_many_findings_third.json", "nuclei-jsonl", 2, 2, 0, 2, NULL},
	{"nuclei/dd_multi_cwe_fabricated.json", "nuclei-json", 1, 1, 0, 1, NULL},
	{"nuclei/dd_multiple_matches.json", "nuclei-jsonl", 2, 2, 0, 2, NULL},
	{"nuclei/dd_multiple_v3.json", "nuclei-json", 6, 6, 0, 5, "two records share template, matcher and host: DD merges them"},
	{"nuclei/dd_no_findings.json", "nuclei-jsonl", 0, 0, 0, 0, NULL},
	{"openvas/dd_many_vuln.csv", "openvas-csv", 4, 4, 0, 4, NULL},
	{"openvas/dd_many_vuln.xml", "openvas-xml", 44, 44, 0, 44, "the 2 results with an empty threat are scored by their severity"},
	{"openvas/dd_no_vuln.csv", "openvas-csv", 0, 0, 0, 0, NULL},
	{"openvas/dd_no_vuln.xml", "openvas-xml", 0, 0, 0, 0, NULL},
	{"openvas/dd_one_vuln.csv", "openvas-csv", 1, 1, 0, 1, NULL},
	{"openvas/dd_one_vuln.xml", "openvas-xml", 1, 1, 0, 1, NULL},
	{"openvas/dd_report_combine_v2.csv", "openvas-csv", 2, 2, 0, 1, "2 rows of one NVT on one host: DD merges them"},
	{"openvas/dd_report_detail_v2.csv", "openvas-csv", 1, 1, 0, 1, NULL},
	{"openvas/dd_report_detail_v2.xml", "openvas-xml", 1, 1, 0, 1, NULL},
	{"openvas/dd_report_using_CVE.csv", "openvas-csv", 43, 43, 0, 43, NULL},
	{"openvas/dd_report_using_openVAS.csv", "openvas-csv", 13, 13, 0, 13, NULL},
	{"wpscan/dd_issue5774.json", "wpscan-json", 57, 57, 2, 59, "DD adds the 2 interesting_findings as findings; here skipped"},
	{"wpscan/dd_wordpress_many_vuln.json", "wpscan-json", 3, 3, 7, 8, "7 interesting_findings skipped; DD keeps 5 of them"},
	{"wpscan/dd_wordpress_no_vuln.json", "wpscan-json", 0, 0, 7, 7, "DD's 7 are the interesting_findings"},
	{"wpscan/dd_wordpress_vuln_version.json", "wpscan-json", 6, 6, 7, 11, "7 interesting_findings skipped; DD keeps 5 of them"},
	{"wpscan/dd_wpscan.json", "wpscan-json", 1, 1, 5, 6, "DD adds the 5 interesting_findings"},
};

static void test_shared_reports_counted_as_readme(void **state)
{
	(void)state;
	char dir[2048], path[4096];
	snprintf(dir, sizeof dir, "%s/../shared/data/vuln/scanners", SIGAP_SOURCE_ROOT);
	snprintf(path, sizeof path, "%s/%s", dir, shared[0].file);
	FILE *probe = fopen(path, "rb");
	if (!probe) {
		print_message("../shared/data/vuln absent: real scanner reports not read\n");
		skip();
	}
	fclose(probe);
	for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, shared[i].file);
		size_t n = 0;
		vuln_report_info info;
		sg_err e = {0};
		if (vuln_parse_file(path, VULN_AUTO, count_only, &n, &info, &e) != 0)
			fail_msg("%s: %s", shared[i].file, e.msg);
		if (strcmp(info.format, shared[i].format) != 0 || n != shared[i].results ||
		    info.results != n || info.skipped != shared[i].skipped)
			fail_msg("%s: %s, %zu results, %zu skipped; want %s, %zu, %zu (README %zu: %s)",
			         shared[i].file, info.format, n, info.skipped, shared[i].format,
			         shared[i].results, shared[i].skipped, shared[i].readme,
			         shared[i].note ? shared[i].note : "same");
		/* a count that differs from the README's is explained */
		assert_true(n == shared[i].readme || shared[i].note != NULL);
		vuln_report_info_free(&info);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openvas_gmp_report_in_its_response_wrapper),
		cmocka_unit_test(test_openvas_omp_report_without_wrapper),
		cmocka_unit_test(test_openvas_csv_columns_by_header),
	    cmocka_unit_test(test_openvas_csv_cve_scanner_rows),
		cmocka_unit_test(test_nmap_open_ports_and_vulners),
		cmocka_unit_test(test_ports_a_scan_covered),
		cmocka_unit_test(test_evidence_cut_on_a_character),
		cmocka_unit_test(test_nuclei_v2_and_v3_keys),
		cmocka_unit_test(test_wpscan_core_plugins_theme),
		cmocka_unit_test(test_wpscan_past_its_size_is_refused),
		cmocka_unit_test(test_severities_trimmed_and_the_unknown_said),
		cmocka_unit_test(test_url_origins),
		cmocka_unit_test(test_bad_input_refused_with_place),
		cmocka_unit_test(test_buffers_and_the_unknown),
		cmocka_unit_test(test_blank_space_before_a_report),
		cmocka_unit_test(test_a_report_cut_short),
		cmocka_unit_test(test_nmap_long_service_name_in_vulners_description),
		cmocka_unit_test(test_callback_stops_the_parse),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_shared_reports_counted_as_readme),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
