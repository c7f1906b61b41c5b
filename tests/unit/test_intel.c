/*
 * test_intel.c: feed readers on feeds written for the project
 * (tests/data/intel): a MISP feed directory and a single event without
 * its wrapper, STIX 2.1 and 2.0 bundles, a CSV list with a header, the
 * abuse.ch exports (URLhaus, ThreatFox, Feodo Tracker) in their published
 * shapes, and a plain list. Every indicator with its source, TLP,
 * confidence and times; what is left out and why; defaults; damaged
 * documents, and diagnostics that quote the file as it is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <jansson.h>

#include "base/civil.h"
#include "intel/intel.h"

typedef struct got {
	int n;
	char line[32][400];
} got;

static int collect(void *ctx, const ioc *r)
{
	got *g = ctx;
	if (g->n < 32)
		snprintf(g->line[g->n], sizeof g->line[0], "%s %s | %s | %s | %d | %lld %lld %lld | %s",
		         ioc_type_name(r->type), r->value, r->source ? r->source : "-",
		         r->tlp ? r->tlp : "-", r->confidence, (long long)r->first_seen,
		         (long long)r->last_seen, (long long)r->expires,
		         r->description ? r->description : "-");
	g->n++;
	return 0;
}

static char path_buf[4096];
static const char *data_path(const char *name)
{
	snprintf(path_buf, sizeof path_buf, "%s/tests/data/intel/%s", SIGAP_SOURCE_ROOT, name);
	return path_buf;
}

static int64_t t(const char *s)
{
	static const civil_zone utc = {"UTC", "UTC", 0};
	int64_t v;
	assert_int_equal(civil_parse(s, &utc, &v), 0);
	return v;
}

static const intel_defaults no_defaults = {NULL, NULL, -1, 0, 0};

static void expect(const got *g, int i, const char *want)
{
	if (i >= g->n)
		fail_msg("only %d indicators; wanted [%d] %s", g->n, i, want);
	if (strcmp(g->line[i], want) != 0)
		fail_msg("[%d]\n got  %s\n want %s", i, g->line[i], want);
}

static bool has_diag(const diags *d, const char *part)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->v[i].msg, part))
			return true;
	return false;
}

static void test_misp_feed(void **state)
{
	(void)state;
	got g = {0};
	intel_counts c = {0};
	diags d = DIAGS_INIT;
	assert_int_equal(intel_read(data_path("misp-feed"), INTEL_AUTO, &no_defaults, collect, &g,
	                            &c, &d),
	                 0);
	assert_int_equal(c.format, INTEL_MISP);
	char w[400];
	const char *org = "CSIRT Provinsi Contoh";
	int64_t date = t("2026-11-02");
	snprintf(w, sizeof w,
	         "domain bansos-cair.example | %s | TLP:AMBER | -1 | %lld 1793580000 0 | Domain "
	         "halaman login palsu",
	         org, (long long)date);
	expect(&g, 0, w);
	snprintf(w, sizeof w,
	         "url https://bansos-cair.example/daftar.php | %s | TLP:AMBER | -1 | %lld 1793580000 0 "
	         "| Kampanye phishing bertema bantuan sosial",
	         org, (long long)date);
	expect(&g, 1, w);
	assert_non_null(strstr(g.line[2], "email admin@bansos-cair.example |"));
	/* "ip-dst|port": the address; its own tag and first_seen win */
	snprintf(w, sizeof w,
	         "ipv4 203.0.113.45 | %s | TLP:RED | -1 | %lld 1793580000 0 | Kampanye phishing "
	         "bertema bantuan sosial",
	         org, (long long)t("2026-11-01T22:15:00Z"));
	expect(&g, 3, w);
	assert_non_null(strstr(g.line[4], "domain cdn.bansos-cair.example |"));
	assert_non_null(strstr(g.line[5], "ipv4 203.0.113.46 |"));
	assert_non_null(
	    strstr(g.line[6], "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
	assert_non_null(strstr(g.line[7], "md5 d41d8cd98f00b204e9800998ecf8427e |"));
	assert_non_null(strstr(g.line[8], "cidr 198.51.100.0/24 | CSIRT Provinsi Contoh | TLP:CLEAR"));
	assert_non_null(strstr(g.line[9], "ipv6 2001:db8:bad::7 |"));
	assert_int_equal(g.n, 10);
	assert_int_equal(c.kept, 10);
	assert_int_equal(c.skipped, 3); /* a comment and an address not for IDS, a mutex */
	assert_int_equal(c.invalid, 2); /* "not-an-address", and the key that is no UUID */
	assert_true(has_diag(&d, "not a valid ipv4: \"not-an-address\""));
	assert_true(has_diag(&d, "is not an event UUID"));
	diags_free(&d);

	/* the manifest named directly reads the same feed */
	got g2 = {0};
	intel_counts c2 = {0};
	diags d2 = DIAGS_INIT;
	assert_int_equal(intel_read(data_path("misp-feed/manifest.json"), INTEL_AUTO, &no_defaults,
	                            collect, &g2, &c2, &d2),
	                 0);
	assert_int_equal(g2.n, 10);
	diags_free(&d2);
}

static void test_stix_bundle(void **state)
{
	(void)state;
	got g = {0};
	intel_counts c = {0};
	diags d = DIAGS_INIT;
	assert_int_equal(
	    intel_read(data_path("bundle.json"), INTEL_AUTO, &no_defaults, collect, &g, &c, &d), 0);
	assert_int_equal(c.format, INTEL_STIX);
	char w[400];
	snprintf(w, sizeof w,
	         "ipv4 198.51.100.23 | Pusat Kontak Siber Contoh | TLP:AMBER | 85 | %lld %lld %lld | "
	         "Server C2 malware perbankan",
	         (long long)t("2026-11-01T08:00:00Z"), (long long)t("2026-11-05T08:00:00Z"),
	         (long long)t("2027-02-01T00:00:00Z"));
	expect(&g, 0, w);
	assert_non_null(strstr(g.line[1], "domain update-check.example | Pusat Kontak Siber Contoh"));
	assert_non_null(strstr(g.line[2], "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca"
	                                  "495991b7852b855 | bundle.json | TLP:GREEN |"));
	assert_non_null(strstr(g.line[3], "md5 44d88612fea8a8f36de82e1278abb02f |"));
	assert_non_null(strstr(g.line[4], "url http://example.net/it's | bundle.json | TLP:AMBER+STRICT"));
	assert_non_null(strstr(g.line[5], "email ops@update-check.example |"));
	assert_non_null(strstr(g.line[6], "ipv6 2001:db8::dead:beef |"));
	assert_non_null(strstr(g.line[7], "url https://drop.example.org/loader.bin |"));
	assert_non_null(strstr(g.line[8], "sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709 |"));
	assert_int_equal(g.n, 9);
	assert_int_equal(c.skipped, 4); /* AND, FOLLOWEDBY … WITHIN, a YARA pattern, SSDEEP */
	assert_int_equal(c.invalid, 0);
	assert_true(has_diag(&d, "indicator--00000000-0000-4000-8000-000000000003: pattern left out: "
	                         "AND, or another operator inside an observation"));
	assert_true(has_diag(&d, "000000000004: pattern left out: AND, FOLLOWEDBY or a qualifier"));
	diags_free(&d);
}

static int read_text(const char *text, intel_format fmt, got *g, intel_counts *c, diags *d)
{
	memset(g, 0, sizeof *g);
	memset(c, 0, sizeof *c);
	return intel_read_buffer(text, strlen(text), "test", fmt, &no_defaults, collect, g, c, d);
}

static void test_patterns(void **state)
{
	(void)state;
	static const struct {
		const char *pattern;
		int kept;
	} cases[] = {
	    {"[domain-name:value = 'a.example']", 1},
	    {"  [ domain-name:value='a.example' ]  ", 1},
	    {"[domain-name:value = 'a.example' OR domain-name:value = 'b.example']", 2},
	    {"([ipv4-addr:value = '192.0.2.1']) OR ([ipv6-addr:value = '2001:db8::1'])", 2},
	    {"[process:name = 'evil.exe']", 0},           /* a path sigap does not keep */
	    {"[domain-name:value != 'a.example']", 0},     /* not equality */
	    {"[domain-name:value LIKE '%.example']", 0},
	    {"[domain-name:value = 'a.example'] REPEATS 5 TIMES", 0},
	    {"[domain-name:value = 'a.example'", 0},
	    {"[domain-name:value = 'a.example]", 0},
	    {"((((((((((((((((((([domain-name:value = 'a.example'])))))))))))))))))))", 0},
	    {"", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *b = json_pack("{s:s, s:[{s:s, s:s, s:s, s:s}]}", "type", "bundle", "objects",
		                      "type", "indicator", "id", "indicator--x", "pattern_type", "stix",
		                      "pattern", cases[i].pattern);
		char *text = json_dumps(b, 0);
		got g;
		intel_counts c;
		diags d = DIAGS_INIT;
		assert_int_equal(read_text(text, INTEL_AUTO, &g, &c, &d), 0);
		if (g.n != cases[i].kept)
			fail_msg("%s: %d kept, expected %d", cases[i].pattern, g.n, cases[i].kept);
		free(text);
		json_decref(b);
		diags_free(&d);
	}
}

static void test_csv(void **state)
{
	(void)state;
	got g = {0};
	intel_counts c = {0};
	diags d = DIAGS_INIT;
	assert_int_equal(
	    intel_read(data_path("list.csv"), INTEL_AUTO, &no_defaults, collect, &g, &c, &d), 0);
	assert_int_equal(c.format, INTEL_CSV);
	char w[400];
	snprintf(w, sizeof w,
	         "ipv4 203.0.113.77 | list.csv | TLP:AMBER | 90 | %lld 0 %lld | Pemindai, sumber "
	         "serangan \"brute force\" SSH",
	         (long long)t("2026-11-20"), (long long)t("2026-12-20"));
	expect(&g, 0, w);
	assert_non_null(strstr(g.line[1], "domain login-sso.example | list.csv | TLP:GREEN | 70 |"));
	assert_non_null(strstr(g.line[2], "url http://files.example.com/a.zip | list.csv | - | -1 |"));
	assert_non_null(strstr(g.line[3], "domain evil.example |"));
	assert_int_equal(g.n, 4);
	assert_int_equal(c.invalid, 2);
	assert_int_equal(c.skipped, 1); /* registry-key */
	assert_int_equal(d.n, 2);
	assert_int_equal(d.v[0].line, 6);
	assert_string_equal(d.v[0].msg, "not a valid ipv4: \"bad value here\"");
	assert_int_equal(d.v[1].line, 7);
	assert_string_equal(d.v[1].msg, "\"purple\" is not a TLP label");
	diags_free(&d);

	/* a CSV without a value column is refused as CSV */
	diags d2 = DIAGS_INIT;
	assert_int_equal(read_text("a,b\n1.2.3.4,x\n", INTEL_CSV, &g, &c, &d2), -1);
	assert_true(has_diag(&d2, "header row"));
	diags_free(&d2);
	/* a quote left open */
	diags d3 = DIAGS_INIT;
	assert_int_equal(read_text("value\n\"192.0.2.1\n192.0.2.2\n", INTEL_AUTO, &g, &c, &d3), 0);
	assert_int_equal(g.n, 1);
	assert_true(has_diag(&d3, "a quote left open"));
	diags_free(&d3);
}

static void test_plain_and_defaults(void **state)
{
	(void)state;
	got g = {0};
	intel_counts c = {0};
	diags d = DIAGS_INIT;
	int64_t now = t("2026-11-23T01:00:00Z");
	intel_defaults def = {"BSSN", "TLP:GREEN", 60, 30 * 86400, now};
	assert_int_equal(intel_read(data_path("list.txt"), INTEL_AUTO, &def, collect, &g, &c, &d), 0);
	assert_int_equal(c.format, INTEL_PLAIN);
	char w[400];
	snprintf(w, sizeof w, "ipv4 192.0.2.66 | BSSN | TLP:GREEN | 60 | 0 0 %lld | -",
	         (long long)(now + 30 * 86400));
	expect(&g, 0, w);
	assert_non_null(strstr(g.line[1], "domain bad-actor.example | BSSN"));
	assert_non_null(strstr(g.line[2], "cidr 198.51.100.0/25 |"));
	assert_non_null(strstr(g.line[3], "url http://malware.example/payload.exe |"));
	assert_non_null(strstr(g.line[4], "md5 5d41402abc4b2a76b9719d911017c592 |"));
	assert_int_equal(g.n, 5);
	assert_int_equal(c.invalid, 1);
	assert_int_equal(d.v[0].line, 8);
	diags_free(&d);
}

static void test_damaged(void **state)
{
	(void)state;
	got g;
	intel_counts c;
	diags d = DIAGS_INIT;
	assert_int_equal(read_text("{\"objects\": [1, 2", INTEL_AUTO, &g, &c, &d), -1);
	assert_true(has_diag(&d, "not valid JSON"));
	assert_int_equal(d.v[0].line, 1);
	diags_free(&d);
	diags d2 = DIAGS_INIT;
	assert_int_equal(read_text("{\"hello\": 1}", INTEL_AUTO, &g, &c, &d2), -1);
	assert_true(has_diag(&d2, "does not know as a feed"));
	diags_free(&d2);
	diags d3 = DIAGS_INIT;
	assert_int_equal(read_text("{\"Event\": 5}", INTEL_AUTO, &g, &c, &d3), -1);
	diags_free(&d3);
	diags d4 = DIAGS_INIT;
	assert_int_equal(read_text("{\"objects\": [7, {\"type\": \"url\"}, {}]}", INTEL_AUTO, &g, &c,
	                           &d4),
	                 0);
	assert_int_equal(c.invalid, 3);
	diags_free(&d4);
	diags d5 = DIAGS_INIT;
	assert_int_equal(intel_read(data_path("missing.json"), INTEL_AUTO, &no_defaults, collect, &g,
	                            &c, &d5),
	                 -1);
	diags_free(&d5);
	diags d6 = DIAGS_INIT;
	assert_int_equal(intel_read(data_path("."), INTEL_AUTO, &no_defaults, collect, &g, &c, &d6),
	                 -1);
	assert_true(has_diag(&d6, "without manifest.json"));
	diags_free(&d6);
	assert_string_equal(intel_tlp("tlp:white"), "TLP:CLEAR");
	assert_string_equal(intel_tlp(" TLP: Amber+Strict "), "TLP:AMBER+STRICT");
	assert_null(intel_tlp("amber-ish"));
}

static void test_urlhaus(void **state)
{
	(void)state;
	got g = {0};
	intel_counts c = {0};
	diags d = DIAGS_INIT;
	/* the header is the comment above the first row; values quoted */
	assert_int_equal(
	    intel_read(data_path("urlhaus.csv"), INTEL_AUTO, &no_defaults, collect, &g, &c, &d), 0);
	assert_int_equal(c.format, INTEL_CSV);
	assert_int_equal(d.n, 0);
	char w[400];
	snprintf(w, sizeof w,
	         "url http://198.51.100.77:43210/i | sigap_contoh | - | -1 | %lld %lld 0 | "
	         "malware_download; 32-bit, elf, mips, Mozi",
	         (long long)t("2026-11-22 05:58:40"), (long long)t("2026-11-22 05:58:40"));
	expect(&g, 0, w);
	/* an anonymous reporter is no source: the file's name is */
	snprintf(w, sizeof w,
	         "url https://unduh-berkas.example/surat-tagihan.zip | urlhaus.csv | - | -1 | %lld 0 0 "
	         "| malware_download; zip",
	         (long long)t("2026-11-22 04:12:09"));
	expect(&g, 1, w);
	/* "None" is an empty cell */
	assert_non_null(strstr(g.line[2], "url http://contoh-gudang.example/bin/loader.exe | "
	                                  "sigap_contoh |"));
	assert_non_null(strstr(g.line[2], "| malware_download"));
	assert_int_equal(g.n, 3);
	assert_int_equal(c.kept, 3);
	assert_int_equal(c.skipped + c.invalid, 0);
	diags_free(&d);
}

static void test_threatfox(void **state)
{
	(void)state;
	got g = {0};
	intel_counts c = {0};
	diags d = DIAGS_INIT;
	/* CRLF, a quoted header in a comment, a space before each quote */
	assert_int_equal(
	    intel_read(data_path("threatfox.csv"), INTEL_AUTO, &no_defaults, collect, &g, &c, &d), 0);
	assert_int_equal(c.format, INTEL_CSV);
	assert_int_equal(d.n, 0);
	char w[400];
	snprintf(w, sizeof w,
	         "domain panel-kendali.example | sigap_contoh | - | 100 | %lld 0 0 | botnet_cc; "
	         "ContohRAT; ContohRAT, c2",
	         (long long)t("2026-11-22 06:01:12"));
	expect(&g, 0, w);
	/* ip:port: the address, the port in the description */
	snprintf(w, sizeof w,
	         "ipv4 203.0.113.200 | sigap_contoh | - | 75 | %lld %lld 0 | botnet_cc; Cobalt Strike; "
	         "CobaltStrike; port 4444",
	         (long long)t("2026-11-22 05:44:03"), (long long)t("2026-11-22 06:00:00"));
	expect(&g, 1, w);
	snprintf(w, sizeof w,
	         "ipv6 2001:db8:c2::5 | threatfox.csv | - | 50 | %lld 0 0 | botnet_cc; ContohRAT; "
	         "port 8443",
	         (long long)t("2026-11-22 05:30:00"));
	expect(&g, 2, w);
	/* a comma inside a quoted URL is the URL's */
	assert_non_null(strstr(g.line[3], "url https://unduhan-aman.example/setup.exe?v=1,2 | "
	                                  "sigap_contoh | - | 80 |"));
	assert_non_null(strstr(g.line[4], "md5 0cc175b9c0f1b6a831c399e269772661 | sigap_contoh | - "
	                                  "| 100 |"));
	assert_non_null(strstr(g.line[5], "sha256 ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9"
	                                  "807785afee48bb |"));
	assert_int_equal(g.n, 6);
	diags_free(&d);
}

static void test_feodo(void **state)
{
	(void)state;
	got g = {0};
	intel_counts c = {0};
	diags d = DIAGS_INIT;
	/* as published: the quoted header is a row of its own */
	assert_int_equal(
	    intel_read(data_path("feodo.csv"), INTEL_AUTO, &no_defaults, collect, &g, &c, &d), 0);
	assert_int_equal(c.format, INTEL_CSV);
	char w[400];
	snprintf(w, sizeof w, "ipv4 192.0.2.150 | feodo.csv | - | -1 | %lld %lld 0 | QakBot; port 443",
	         (long long)t("2026-10-30 13:56:31"), (long long)t("2026-11-22"));
	expect(&g, 0, w);
	assert_non_null(strstr(g.line[1], "ipv4 198.51.100.160 | feodo.csv |"));
	assert_non_null(strstr(g.line[1], "| Emotet; port 8080"));
	assert_int_equal(g.n, 2);
	assert_int_equal(d.n, 0);
	diags_free(&d);

	/* older files: the header in a comment, values unquoted */
	diags d2 = DIAGS_INIT;
	assert_int_equal(read_text("# Feodo Tracker\n"
	                           "# first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware\n"
	                           "2026-11-01 10:00:00,192.0.2.151,447,online,2026-11-22,Dridex\n",
	                           INTEL_AUTO, &g, &c, &d2),
	                 0);
	assert_int_equal(c.format, INTEL_CSV);
	assert_int_equal(g.n, 1);
	assert_non_null(strstr(g.line[0], "ipv4 192.0.2.151 | test |"));
	assert_non_null(strstr(g.line[0], "| Dridex; port 447"));
	diags_free(&d2);

	/* a comment that names a column is no header when the rows do not
	 * have its columns: a plain list */
	diags d3 = DIAGS_INIT;
	assert_int_equal(read_text("# url, domain and address list\n192.0.2.9\n", INTEL_AUTO, &g, &c,
	                           &d3),
	                 0);
	assert_int_equal(c.format, INTEL_PLAIN);
	assert_int_equal(g.n, 1);
	diags_free(&d3);
}

static void test_column_and_type(void **state)
{
	(void)state;
	got g;
	intel_counts c;
	intel_defaults def = no_defaults;
	def.column = "Alamat";
	/* any CSV names its value column */
	diags d = DIAGS_INIT;
	memset(&g, 0, sizeof g);
	memset(&c, 0, sizeof c);
	const char *text = "no,alamat,catatan,value\n1,192.0.2.31,pemindai,x\n2,evil.example,,y\n";
	assert_int_equal(
	    intel_read_buffer(text, strlen(text), "aset.csv", INTEL_AUTO, &def, collect, &g, &c, &d),
	    0);
	assert_int_equal(c.format, INTEL_CSV);
	assert_int_equal(g.n, 2);
	assert_non_null(strstr(g.line[0], "ipv4 192.0.2.31 | aset.csv |"));
	assert_non_null(strstr(g.line[1], "domain evil.example |"));
	diags_free(&d);

	/* a column the header does not have: refused, the header quoted */
	def.column = "ip_address";
	diags d2 = DIAGS_INIT;
	memset(&c, 0, sizeof c);
	assert_int_equal(
	    intel_read_buffer(text, strlen(text), "aset.csv", INTEL_AUTO, &def, collect, &g, &c, &d2),
	    -1);
	assert_int_equal(d2.n, 1);
	assert_int_equal(d2.v[0].line, 1);
	assert_string_equal(d2.v[0].msg,
	                    "no column \"ip_address\" in the header row: no,alamat,catatan,value");
	diags_free(&d2);

	/* --type: every value of the list must be of it */
	intel_defaults typed = no_defaults;
	typed.type = IOC_DOMAIN;
	diags d3 = DIAGS_INIT;
	memset(&g, 0, sizeof g);
	memset(&c, 0, sizeof c);
	const char *list = "evil.example\n192.0.2.1\n";
	assert_int_equal(intel_read_buffer(list, strlen(list), "domains.txt", INTEL_AUTO, &typed,
	                                   collect, &g, &c, &d3),
	                 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(c.invalid, 1);
	assert_string_equal(d3.v[0].msg, "not a valid domain: \"192.0.2.1\"");
	diags_free(&d3);

	/* neither is given to a JSON document */
	diags d4 = DIAGS_INIT;
	assert_int_equal(intel_read(data_path("bundle.json"), INTEL_AUTO, &typed, collect, &g, &c,
	                            &d4),
	                 -1);
	assert_true(has_diag(&d4, "CSV and plain lists only"));
	diags_free(&d4);
}

static void test_diagnostics_quote_the_file(void **state)
{
	(void)state;
	got g;
	intel_counts c;
	/* a first row that is not a header is read as it stands, not as the
	 * header split left it */
	diags d = DIAGS_INIT;
	assert_int_equal(read_text("\"192.0.2.1\",x\n192.0.2.2\n", INTEL_AUTO, &g, &c, &d), 0);
	assert_int_equal(c.format, INTEL_PLAIN);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].file, "test");
	assert_int_equal(d.v[0].line, 1);
	assert_string_equal(d.v[0].msg, "not a valid indicator: \"\"192.0.2.1\"\"");
	assert_int_equal(g.n, 1);
	diags_free(&d);

	/* row faults quote the line as the file has it */
	diags d2 = DIAGS_INIT;
	assert_int_equal(read_text("value,description\n"
	                           "\"192.0.2.1,\"\"open\n"
	                           ",\"only a description\"\n",
	                           INTEL_AUTO, &g, &c, &d2),
	                 0);
	assert_int_equal(d2.n, 2);
	assert_int_equal(d2.v[0].line, 2);
	assert_string_equal(d2.v[0].msg, "a quote left open: \"192.0.2.1,\"\"open");
	assert_int_equal(d2.v[1].line, 3);
	assert_string_equal(d2.v[1].msg, "no value: ,\"only a description\"");
	diags_free(&d2);

	/* CSV told but no header: the line is quoted */
	diags d3 = DIAGS_INIT;
	assert_int_equal(read_text("# export\n\"a\",\"b\"\n", INTEL_CSV, &g, &c, &d3), -1);
	assert_int_equal(d3.v[0].line, 2);
	assert_non_null(strstr(d3.v[0].msg, "header row naming its value column"));
	assert_non_null(strstr(d3.v[0].msg, ": \"a\",\"b\""));
	diags_free(&d3);
}

static void test_misp_event_alone(void **state)
{
	(void)state;
	got g = {0};
	intel_counts c = {0};
	diags d = DIAGS_INIT;
	/* an event without its {"Event": …} wrapper, as PyMISP writes one */
	assert_int_equal(
	    intel_read(data_path("misp-event.json"), INTEL_AUTO, &no_defaults, collect, &g, &c, &d),
	    0);
	assert_int_equal(c.format, INTEL_MISP);
	char w[400];
	snprintf(w, sizeof w,
	         "domain slot-gacor.example | CSIRT Kabupaten Contoh | TLP:GREEN | -1 | %lld 1795000000 "
	         "0 | Domain tujuan tautan judi",
	         (long long)t("2026-11-18"));
	expect(&g, 0, w);
	assert_non_null(strstr(g.line[1], "url https://slot-gacor.example/daftar |"));
	assert_non_null(strstr(g.line[2], "sha1 a9993e364706816aba3e25717850c26c9cd0d89d |"));
	assert_int_equal(g.n, 3);
	/* what was left out, under its reason */
	assert_int_equal(c.skipped, 2);
	char why[512];
	intel_left_out_text(&c, why, sizeof why);
	assert_string_equal(why, "MISP attributes not for detection (to_ids false): 1; MISP "
	                         "attributes of type filename (a kind sigap does not look for): 1");
	diags_free(&d);

	/* the same event told to be MISP, and an object that is none */
	diags d2 = DIAGS_INIT;
	assert_int_equal(read_text("{\"info\": \"x\", \"Attribute\": []}", INTEL_MISP, &g, &c, &d2),
	                 0);
	diags_free(&d2);
	diags d3 = DIAGS_INIT;
	assert_int_equal(read_text("{\"info\": \"x\"}", INTEL_MISP, &g, &c, &d3), -1);
	assert_true(has_diag(&d3, "not a MISP event"));
	diags_free(&d3);
}

static void test_stix_20(void **state)
{
	(void)state;
	got g = {0};
	intel_counts c = {0};
	diags d = DIAGS_INIT;
	assert_int_equal(
	    intel_read(data_path("bundle-2.0.json"), INTEL_AUTO, &no_defaults, collect, &g, &c, &d),
	    0);
	assert_int_equal(c.format, INTEL_STIX);
	/* 2.0 indicators: a pattern without pattern_type, markings of the
	 * bundle and the TLP ids 2.0 defined */
	char w[400];
	snprintf(w, sizeof w,
	         "ipv4 203.0.113.99 | Tim Tanggap Siber Contoh | TLP:AMBER | -1 | %lld %lld 0 | Server "
	         "perintah botnet",
	         (long long)t("2026-11-03T00:00:00Z"), (long long)t("2026-11-04T00:00:00Z"));
	expect(&g, 0, w);
	assert_non_null(strstr(g.line[1], "domain pembaruan-aplikasi.example | bundle-2.0.json | "
	                                  "TLP:CLEAR |"));
	assert_non_null(strstr(g.line[2], "md5 900150983cd24fb0d6963f7d28e17f72 | bundle-2.0.json | "
	                                  "TLP:RED |"));
	assert_int_equal(g.n, 3);
	/* what 2.0 does otherwise is said, not dropped */
	assert_int_equal(c.skipped, 3);
	char why[1024];
	intel_left_out_text(&c, why, sizeof why);
	assert_non_null(strstr(why, "STIX 2.0 observed-data (the observables nested in it record "
	                            "what was seen; sigap reads 2.0 indicators): 1"));
	assert_non_null(strstr(why, "STIX malware objects"));
	assert_non_null(strstr(why, "STIX relationship objects"));
	diags_free(&d);

	/* a version sigap does not read is refused */
	diags d2 = DIAGS_INIT;
	assert_int_equal(read_text("{\"type\": \"bundle\", \"spec_version\": \"3.0\", \"objects\": []}",
	                           INTEL_AUTO, &g, &c, &d2),
	                 -1);
	assert_true(has_diag(&d2, "a STIX 3.0 bundle: sigap reads STIX 2.1 and 2.0"));
	diags_free(&d2);
}

static void test_left_out_reasons(void **state)
{
	(void)state;
	intel_counts c = {0};
	char why[4096];
	intel_left_out_text(&c, why, sizeof why);
	assert_string_equal(why, "");
	for (int i = 0; i < INTEL_WHY_MAX + 3; i++)
		intel_left_out(&c, "reason %d", i);
	intel_left_out(&c, "reason %d", 0);
	assert_int_equal(c.skipped, INTEL_WHY_MAX + 4);
	assert_int_equal(c.why[0].n, 2);
	assert_int_equal(c.why_other, 3);
	intel_left_out_text(&c, why, sizeof why);
	assert_non_null(strstr(why, "reason 0: 2; reason 1: 1;"));
	assert_non_null(strstr(why, "; other reasons: 3"));
	char small[20];
	intel_left_out_text(&c, small, sizeof small);
	assert_int_equal(strlen(small), sizeof small - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_misp_feed),  cmocka_unit_test(test_stix_bundle),
	    cmocka_unit_test(test_patterns),   cmocka_unit_test(test_csv),
	    cmocka_unit_test(test_plain_and_defaults), cmocka_unit_test(test_damaged),
	    cmocka_unit_test(test_urlhaus),    cmocka_unit_test(test_threatfox),
	    cmocka_unit_test(test_feodo),      cmocka_unit_test(test_column_and_type),
	    cmocka_unit_test(test_diagnostics_quote_the_file),
	    cmocka_unit_test(test_misp_event_alone), cmocka_unit_test(test_stix_20),
	    cmocka_unit_test(test_left_out_reasons),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
