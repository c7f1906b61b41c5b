/*
 * test_intel.c: feed readers on feeds written for the project
 * (tests/data/intel): a MISP feed directory, a STIX 2.1 bundle, a CSV
 * list with a header and a plain list. Every indicator with its source,
 * TLP, confidence and times; what is left out and why; defaults; damaged
 * documents.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_misp_feed),  cmocka_unit_test(test_stix_bundle),
	    cmocka_unit_test(test_patterns),   cmocka_unit_test(test_csv),
	    cmocka_unit_test(test_plain_and_defaults), cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
