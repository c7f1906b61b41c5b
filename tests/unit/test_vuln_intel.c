/*
 * test_vuln_intel.c: vulnerability intelligence. The readers on files
 * written for the project (tests/data/vuln/intel: a CVE JSON 5 record
 * scored by its CNA, one scored only by CISA's ADP, a rejected one, a
 * KEV catalog as JSON and as CSV, an EPSS file plain and gzipped), on
 * damaged input refused with its place, and on the real records and KEV
 * catalog of ../shared/data/vuln (skipped when absent); then the import
 * into the store: new, unchanged on a second import, what a newer KEV or
 * EPSS file changes, an older one that changes nothing, a bad file that
 * stores nothing, and the lookups the command line and the findings use.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hash.h"

static const char *data(const char *name)
{
	static char path[4][4096];
	static int k;
	k = (k + 1) % 4;
	snprintf(path[k], sizeof path[k], "%s/tests/data/vuln/intel/%s", SIGAP_SOURCE_ROOT, name);
	return path[k];
}

static bool has_diag(const diags *d, const char *part, int line)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->v[i].msg, part) && (line < 0 || d->v[i].line == line))
			return true;
	return false;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* ---- CVE JSON 5 ---- */

typedef struct cves {
	int n;
	char id[16][32], state[16][16], title[16][160], desc[16][200], cwes[16][64];
	int n_refs[16], n_affected[16];
	cve5_cvss cvss[16][CVSS_N];
	char src[16][CVSS_N][16];
	int64_t published[16], updated[16];
} cves;

static int take_cve(void *ctx, const cve5_record *r)
{
	cves *c = ctx;
	if (c->n == 16)
		return 0;
	int i = c->n++;
	snprintf(c->id[i], 32, "%s", r->id);
	snprintf(c->state[i], 16, "%s", r->state);
	snprintf(c->title[i], 160, "%s", r->title ? r->title : "-");
	snprintf(c->desc[i], 200, "%s", r->description ? r->description : "-");
	c->cwes[i][0] = '\0';
	for (size_t k = 0; k < r->n_cwes; k++)
		snprintf(c->cwes[i] + strlen(c->cwes[i]), 64 - strlen(c->cwes[i]), "%s%s",
		         k ? " " : "", r->cwes[k]);
	c->n_refs[i] = (int)r->n_refs;
	c->n_affected[i] = (int)r->n_affected;
	for (int v = 0; v < CVSS_N; v++) {
		c->cvss[i][v] = r->cvss[v];
		snprintf(c->src[i][v], 16, "%s", r->cvss[v].present ? r->cvss[v].source : "");
		c->cvss[i][v].vector = c->cvss[i][v].severity = c->cvss[i][v].source = NULL;
	}
	c->published[i] = r->published;
	c->updated[i] = r->updated;
	return 0;
}

static void test_cve_scored_by_its_cna(void **state)
{
	(void)state;
	cves c = {0};
	vi_counts n = {0};
	diags d = DIAGS_INIT;
	assert_int_equal(cve5_read(data("cve-cna.json"), take_cve, &c, NULL, NULL, &n, NULL, &d), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.id[0], "CVE-2026-90001");
	assert_string_equal(c.state[0], "PUBLISHED");
	assert_string_equal(c.title[0], "SQL injection in the login form of Contoh Portal");
	/* the English description, not the first one */
	assert_non_null(strstr(c.desc[0], "Contoh Portal before 4.2.1"));
	assert_string_equal(c.cwes[0], "CWE-89 CWE-20"); /* CWE-89 once */
	assert_int_equal(c.n_refs[0], 2);
	assert_int_equal(c.n_affected[0], 2);
	/* the CNA's 4.0 and 3.1; its 3.1 wins over CISA-ADP's; 3.0 only from the ADP */
	assert_true(c.cvss[0][CVSS_V40].present);
	assert_true(c.cvss[0][CVSS_V40].score == 9.3);
	assert_string_equal(c.src[0][CVSS_V40], "cna");
	assert_true(c.cvss[0][CVSS_V31].score == 9.8);
	assert_string_equal(c.src[0][CVSS_V31], "cna");
	assert_true(c.cvss[0][CVSS_V30].present);
	assert_string_equal(c.src[0][CVSS_V30], "CISA-ADP");
	assert_false(c.cvss[0][CVSS_V20].present);
	assert_int_equal(c.published[0], 1770694200); /* 2026-02-10T03:30:00Z */
	assert_int_equal(n.passed, 1);
	assert_int_equal(n.refused, 0);
	diags_free(&d);
}

static void test_cve_scored_only_by_the_adp(void **state)
{
	(void)state;
	cves c = {0};
	vi_counts n = {0};
	diags d = DIAGS_INIT;
	assert_int_equal(cve5_read(data("cve-adp.json"), take_cve, &c, NULL, NULL, &n, NULL, &d), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.id[0], "CVE-2026-90002"); /* written in lower case */
	assert_string_equal(c.title[0], "-");
	assert_non_null(strstr(c.desc[0], "Path traversal")); /* lang en-US */
	assert_string_equal(c.cwes[0], "CWE-22");             /* from the ADP */
	assert_true(c.cvss[0][CVSS_V31].present);
	assert_true(c.cvss[0][CVSS_V31].score == 7.5);
	assert_string_equal(c.src[0][CVSS_V31], "CISA-ADP");
	assert_false(c.cvss[0][CVSS_V40].present);
	assert_int_equal(c.published[0], 1775001600); /* no Z: UTC */
	diags_free(&d);
}

static void test_cve_rejected(void **state)
{
	(void)state;
	cves c = {0};
	vi_counts n = {0};
	diags d = DIAGS_INIT;
	assert_int_equal(cve5_read(data("cve-rejected.json"), take_cve, &c, NULL, NULL, &n, NULL, &d),
	                 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.state[0], "REJECTED");
	assert_string_equal(c.desc[0], "This candidate is a duplicate of CVE-2026-90001.");
	for (int v = 0; v < CVSS_N; v++)
		assert_false(c.cvss[0][v].present);
	diags_free(&d);
}

static void refused_buffer(const char *text, const char *why)
{
	cves c = {0};
	vi_counts n = {0};
	diags d = DIAGS_INIT;
	assert_int_equal(cve5_read_buffer(text, strlen(text), "x.json", take_cve, &c, &n, &d), -1);
	assert_int_equal(c.n, 0);
	assert_int_equal(n.refused, 1);
	if (!has_diag(&d, why, -1))
		fail_msg("no diagnostic \"%s\" (first: %s)", why, d.n ? d.v[0].msg : "none");
	diags_free(&d);
}

static void test_cve_damaged_records_are_refused(void **state)
{
	(void)state;
	refused_buffer("{\"cveMetadata\": {", "not valid JSON");
	refused_buffer("{\"data_type\": \"CVE\", \"CVE_data_meta\": {\"ID\": \"CVE-2020-1\"}}",
	               "a CVE JSON 4 record");
	refused_buffer("{\"dataVersion\": \"5.1\", \"cveMetadata\": {\"cveId\": \"CVE-26-1\", "
	               "\"state\": \"PUBLISHED\"}, \"containers\": {\"cna\": {}}}",
	               "\"CVE-26-1\" is not a CVE id");
	refused_buffer("{\"cveMetadata\": {\"cveId\": \"CVE-2026-1234\", \"state\": \"RESERVED\"}, "
	               "\"containers\": {\"cna\": {}}}",
	               "neither PUBLISHED nor REJECTED");
	refused_buffer("{\"cveMetadata\": {\"cveId\": \"CVE-2026-1234\", \"state\": \"PUBLISHED\"}}",
	               "no containers.cna");
	refused_buffer("{\"cveMetadata\": {\"cveId\": \"CVE-2026-1234\", \"state\": \"PUBLISHED\"}, "
	               "\"containers\": {\"cna\": {\"metrics\": [{\"cvssV3_1\": {\"baseScore\": "
	               "11, \"vectorString\": \"CVSS:3.1/AV:N\"}}]}}}",
	               "cna's CVSS 3.1 baseScore is not a number from 0 to 10");
	refused_buffer("{\"dataVersion\": \"4.0\", \"cveMetadata\": {}}", "sigap reads CVE JSON 5");
	refused_buffer("[{\"cveMetadata\": {}}]", "not a JSON object");
}

typedef struct prog {
	uint64_t calls, last_done, total;
} prog;

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	prog *p = ctx;
	p->calls++;
	p->last_done = done;
	p->total = total;
}

static void copy_to(const char *from, const char *to)
{
	size_t n;
	char *text = read_all(from, &n);
	assert_non_null(text);
	write_file(to, text);
	free(text);
}

/* A tree as cvelistV5 lays it out, with the files it holds besides
 * records, a damaged record and a .git directory. */
static void test_cve_tree_walked_in_order(void **state)
{
	(void)state;
	char *dir = scratch_new();
	char p[4400];
	const char *dirs[] = {"cves", "cves/2026", "cves/2026/90xxx", "cves/2025", "cves/2025/0xxx",
	                      ".git", ".git/objects"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, dirs[i]);
		assert_int_equal(mkdir(p, 0755), 0);
	}
	snprintf(p, sizeof p, "%s/cves/2026/90xxx/CVE-2026-90002.json", dir);
	copy_to(data("cve-adp.json"), p);
	snprintf(p, sizeof p, "%s/cves/2026/90xxx/CVE-2026-90001.json", dir);
	copy_to(data("cve-cna.json"), p);
	snprintf(p, sizeof p, "%s/cves/2025/0xxx/CVE-2025-0001.json", dir);
	write_file(p, "{\"cveMetadata\": ");
	snprintf(p, sizeof p, "%s/cves/delta.json", dir);
	write_file(p, "{\"fetchTime\": \"2026-04-21\"}");
	snprintf(p, sizeof p, "%s/.git/objects/CVE-2026-9.json", dir);
	write_file(p, "not read");

	cves c = {0};
	vi_counts n = {0};
	diags d = DIAGS_INIT;
	prog pr = {0};
	char sha1[65], sha2[65];
	assert_int_equal(cve5_read(dir, take_cve, &c, on_progress, &pr, &n, sha1, &d), 0);
	assert_int_equal(n.files, 3);
	assert_int_equal(n.read, 3);
	assert_int_equal(n.passed, 2);
	assert_int_equal(n.refused, 1);
	assert_true(has_diag(&d, "not valid JSON", 1));
	assert_non_null(strstr(d.v[0].file, "CVE-2025-0001.json"));
	/* in name order: 2025 before 2026, 90001 before 90002 */
	assert_int_equal(c.n, 2);
	assert_string_equal(c.id[0], "CVE-2026-90001");
	assert_string_equal(c.id[1], "CVE-2026-90002");
	assert_int_equal(pr.total, 3);
	assert_int_equal(pr.last_done, 3);
	assert_int_equal(pr.calls, 4); /* the total, then each file */
	diags_free(&d);

	/* the same tree, the same SHA-256; one record changed, another */
	vi_counts n2 = {0};
	cves c2 = {0};
	assert_int_equal(cve5_read(dir, take_cve, &c2, NULL, NULL, &n2, sha2, &d), 0);
	assert_string_equal(sha1, sha2);
	snprintf(p, sizeof p, "%s/cves/2025/0xxx/CVE-2025-0001.json", dir);
	copy_to(data("cve-rejected.json"), p);
	memset(&c2, 0, sizeof c2);
	assert_int_equal(cve5_read(dir, take_cve, &c2, NULL, NULL, &n2, sha2, &d), 0);
	assert_string_not_equal(sha1, sha2);
	diags_free(&d);

	/* a directory without records */
	snprintf(p, sizeof p, "%s/other", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/other/recent_activities.json", dir);
	write_file(p, "[]");
	snprintf(p, sizeof p, "%s/other", dir);
	vi_counts n3 = {0};
	assert_int_equal(cve5_read(p, take_cve, &c2, NULL, NULL, &n3, NULL, &d), -1);
	assert_true(has_diag(&d, "no CVE-*.json record file", -1));
	diags_free(&d);
	scratch_free(dir);
}

/* ---- KEV ---- */

typedef struct kevs {
	int n;
	char line[16][600];
	int rows[16];
} kevs;

static int take_kev(void *ctx, const kev_entry *e)
{
	kevs *k = ctx;
	if (k->n < 16) {
		snprintf(k->line[k->n], sizeof k->line[0], "%s|%s|%s|%s|%s|%s|%s|%s|%.40s|%.30s", e->cve,
		         e->vendor, e->product, e->name, e->date_added, e->due_date, e->ransomware,
		         e->cwes, e->description, e->notes);
		k->rows[k->n] = e->line;
	}
	k->n++;
	return 0;
}

/* The clock the readers refuse future entries by: 2026-06-01 00:00 UTC,
 * after every date of the test data. */
#define NOW ((int64_t)1780272000)

static void test_kev_json_and_csv_agree(void **state)
{
	(void)state;
	kevs j = {0}, c = {0};
	vi_counts nj = {0}, nc = {0};
	kev_catalog cj, cc;
	diags d = DIAGS_INIT;
	assert_int_equal(kev_read(data("kev.json"), NOW, take_kev, &j, &cj, &nj, &d), 0);
	assert_int_equal(kev_read(data("kev.csv"), NOW, take_kev, &c, &cc, &nc, &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(cj.version, "2026.04.21");
	assert_false(cj.csv);
	assert_true(cc.csv);
	assert_string_equal(cc.version, "");
	assert_int_equal(j.n, 3);
	assert_int_equal(c.n, 3);
	assert_string_equal(j.line[0],
	                    "CVE-2026-90001|Contoh|Contoh Portal|Contoh Portal SQL Injection "
	                    "Vulnerability|2026-04-14|2026-05-05|Known|CWE-89,CWE-20|Contoh Portal "
	                    "contains a SQL injection v|https://contoh.example/securit");
	for (int i = 0; i < 3; i++)
		assert_string_equal(j.line[i], c.line[i]);
	assert_string_equal(j.line[2] + strlen(j.line[2]) - 1, "|"); /* no notes, no CWE */
	assert_int_equal(c.rows[1], 3);
	assert_int_equal(nj.passed, 3);
	assert_int_equal(nc.passed, 3);
	diags_free(&d);
}

static void test_kev_csv_quoting_and_refusals(void **state)
{
	(void)state;
	const char csv[] =
	    "\xef\xbb\xbf"
	    "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,"
	    "requiredAction,dueDate,knownRansomwareCampaignUse,notes\r\n"
	    "CVE-2026-1000,Contoh,Web,\"Web \"\"Admin\"\" Bypass\",2026-01-02,\"first line,\n"
	    "second line\",Patch.,2026-01-23,,\r\n"
	    "CVE-2026-1001,Contoh,Web,Bad due,2026-01-02,x,y,2026-02-30,Unknown,\n"
	    "CVE-26-1002,Contoh,Web,Bad id,2026-01-02,x,y,2026-01-23,Unknown,\n"
	    "\n"
	    "CVE-2026-1003,Contoh,Web,Odd use,2026-01-02,x,y,2026-01-23,Maybe,\n"
	    "CVE-2026-1004,Contoh,Web,\"open quote,2026-01-02,x,y,2026-01-23,Unknown,\n";
	kevs k = {0};
	vi_counts n = {0};
	kev_catalog cat;
	diags d = DIAGS_INIT;
	/* the quote left open swallows the file to its end: the read fails */
	assert_int_equal(kev_read_buffer(csv, strlen(csv), "kev.csv", NOW, take_kev, &k, &cat, &n, &d), -1);
	assert_true(has_diag(&d, "a quote opened on this line is never closed", 8));
	assert_int_equal(k.n, 1);
	assert_string_equal(k.line[0], "CVE-2026-1000|Contoh|Web|Web \"Admin\" Bypass|2026-01-02|"
	                               "2026-01-23|Unknown||first line,\nsecond line|");
	assert_int_equal(k.rows[0], 2);
	assert_int_equal(n.refused, 3);
	assert_true(has_diag(&d, "CVE-2026-1001 dueDate \"2026-02-30\" is not a date", 4));
	assert_true(has_diag(&d, "cveID \"CVE-26-1002\" is not a CVE id", 5));
	assert_true(has_diag(&d, "\"Maybe\" is neither Known nor Unknown", 7));
	diags_free(&d);

	/* a CSV that is not the catalog */
	const char other[] = "cve,product\nCVE-2026-1000,x\n";
	assert_int_equal(kev_read_buffer(other, strlen(other), "o.csv", NOW, take_kev, &k, &cat, &n, &d), -1);
	assert_true(has_diag(&d, "the header row has no cveID, vendorProject, vulnerabilityName, "
	                         "dateAdded, dueDate (", 1));
	diags_free(&d);
	const char json[] = "{\"title\": \"x\", \"items\": []}";
	assert_int_equal(kev_read_buffer(json, strlen(json), "o.json", NOW, take_kev, &k, &cat, &n, &d), -1);
	assert_true(has_diag(&d, "no \"vulnerabilities\" array", -1));
	diags_free(&d);
}

static void test_kev_refuses_a_due_date_before_its_addition_and_a_future_one(void **state)
{
	(void)state;
	const char csv[] =
	    "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,"
	    "requiredAction,dueDate,knownRansomwareCampaignUse,notes\n"
	    "CVE-2026-2000,Contoh,Web,Good,2026-05-01,x,y,2026-05-22,Unknown,\n"
	    "CVE-2026-2001,Contoh,Web,Due first,2026-05-01,x,y,2026-04-30,Unknown,\n"
	    "CVE-2026-2002,Contoh,Web,Same day,2026-05-01,x,y,2026-05-01,Unknown,\n"
	    "CVE-2026-2003,Contoh,Web,Tomorrow,2026-06-02,x,y,2026-06-23,Unknown,\n"
	    "CVE-2026-2004,Contoh,Web,Next week,2026-06-08,x,y,2026-06-29,Unknown,\n"
	    /* the catalog's first day kept older directives' due dates */
	    "CVE-2021-26855,Microsoft,Exchange,ProxyLogon,2021-11-03,x,y,2021-04-16,Known,\n";
	kevs k = {0};
	vi_counts n = {0};
	kev_catalog cat;
	diags d = DIAGS_INIT;
	assert_int_equal(kev_read_buffer(csv, strlen(csv), "kev.csv", NOW, take_kev, &k, &cat, &n, &d), 0);
	assert_int_equal(n.read, 6);
	assert_int_equal(n.passed, 4); /* a day ahead is a clock's slack */
	assert_int_equal(n.refused, 2);
	assert_true(has_diag(&d, "CVE-2026-2001 dueDate 2026-04-30 is before its dateAdded 2026-05-01", 3));
	assert_true(has_diag(&d, "CVE-2026-2004 dateAdded 2026-06-08 is in the future", 6));
	diags_free(&d);
	const char json[] = "{\"vulnerabilities\": [{\"cveID\": \"CVE-2026-2005\", "
	                    "\"dateAdded\": \"2026-05-10\", \"dueDate\": \"2026-05-09\"}]}";
	vi_counts nj = {0};
	assert_int_equal(kev_read_buffer(json, strlen(json), "kev.json", NOW, take_kev, &k, &cat, &nj, &d), 0);
	assert_int_equal(nj.refused, 1);
	assert_true(has_diag(&d, "CVE-2026-2005 dueDate 2026-05-09 is before its dateAdded", -1));
	diags_free(&d);
}

/* ---- EPSS ---- */

typedef struct scores {
	int n;
	char line[8][80];
} scores;

static int take_score(void *ctx, const epss_score *s)
{
	scores *k = ctx;
	if (k->n < 8)
		snprintf(k->line[k->n], sizeof k->line[0], "%s %.5f %.5f @%d", s->cve, s->epss,
		         s->percentile, s->line);
	k->n++;
	return 0;
}

static void test_epss_plain_and_gzip(void **state)
{
	(void)state;
	scores p = {0}, g = {0};
	vi_counts np = {0}, ng = {0};
	epss_file mp, mg;
	diags d = DIAGS_INIT;
	assert_int_equal(epss_read(data("epss.csv"), take_score, &p, &mp, &np, &d), 0);
	assert_int_equal(epss_read(data("epss.csv.gz"), take_score, &g, &mg, &ng, &d), 0);
	assert_int_equal(d.n, 0);
	assert_false(mp.gzip);
	assert_true(mg.gzip);
	assert_string_equal(mp.model_version, "v2025.03.14");
	assert_string_equal(mp.score_date, "2026-04-21");
	assert_string_equal(mg.score_date, "2026-04-21");
	assert_int_equal(p.n, 4);
	assert_int_equal(g.n, 4);
	assert_string_equal(p.line[0], "CVE-2025-90004 0.00043 0.11020 @3");
	assert_string_equal(p.line[1], "CVE-2026-90001 0.94210 0.99920 @4");
	for (int i = 0; i < 4; i++)
		assert_string_equal(p.line[i], g.line[i]);
	/* the gzip file read from a buffer too */
	size_t len;
	char *gz = read_all(data("epss.csv.gz"), &len);
	scores b = {0};
	assert_int_equal(epss_read_buffer(gz, len, "b.gz", take_score, &b, &mg, &ng, &d), 0);
	assert_int_equal(b.n, 4);
	/* cut short: refused as damaged */
	assert_int_equal(epss_read_buffer(gz, len - 12, "b.gz", take_score, &b, &mg, &ng, &d), -1);
	assert_true(has_diag(&d, "a damaged or truncated gzip file", -1));
	diags_free(&d);
	/* and a file cut short: its rows read so far are no import */
	char *dir = scratch_new();
	char path[4200];
	snprintf(path, sizeof path, "%s/cut.csv.gz", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(gz, 1, len - 12, f);
	fclose(f);
	assert_int_equal(epss_read(path, take_score, &b, &mg, &ng, &d), -1);
	assert_true(has_diag(&d, "a truncated gzip file", -1));
	scratch_free(dir);
	free(gz);
	diags_free(&d);
}

static void test_epss_refusals(void **state)
{
	(void)state;
	const char rows[] = "#model_version:v2025.03.14,score_date:2026-04-22T00:00:00+0000\n"
	                    "cve,epss,percentile\n"
	                    "CVE-2026-90001,0.9,0.99\n"
	                    "CVE-2026-90002,1.5,0.99\n"
	                    "CVE-2026-90003,nan,0.5\n"
	                    "NVD-2026-1,0.1,0.2\n"
	                    "CVE-2026-90004,0.1\n"
	                    "CVE-2026-90005,0.1,-0.2\n";
	scores s = {0};
	vi_counts n = {0};
	epss_file m;
	diags d = DIAGS_INIT;
	assert_int_equal(epss_read_buffer(rows, strlen(rows), "e.csv", take_score, &s, &m, &n, &d), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(n.read, 6);
	assert_int_equal(n.refused, 5);
	assert_true(has_diag(&d, "CVE-2026-90002: epss \"1.5\" is not a number from 0 to 1", 4));
	assert_true(has_diag(&d, "epss \"nan\"", 5));
	assert_true(has_diag(&d, "\"NVD-2026-1\" is not a CVE id", 6));
	assert_true(has_diag(&d, "2 fields where cve,epss,percentile are 3", 7));
	assert_true(has_diag(&d, "percentile \"-0.2\"", 8));
	/* a model line whose score_date is cut short is refused (fuzz_epss
	 * found the reader copying ten bytes past such a line's end; the
	 * fuzzer, run by make test, is what catches a read past the end) */
	{
		static const char cut[] = "#model_version:v1,score_date:2026";
		char *heap = malloc(sizeof cut - 1); /* no NUL after it */
		memcpy(heap, cut, sizeof cut - 1);
		scores c = {0};
		vi_counts cn = {0};
		epss_file cm;
		diags cd = DIAGS_INIT;
		assert_int_equal(epss_read_buffer(heap, sizeof cut - 1, "cut.csv", take_score, &c, &cm,
		                                  &cn, &cd),
		                 -1);
		assert_int_equal(c.n, 0);
		diags_free(&cd);
		free(heap);
	}
	diags_free(&d);

	const char no_model[] = "cve,epss,percentile\nCVE-2026-90001,0.9,0.99\n";
	assert_int_equal(epss_read_buffer(no_model, strlen(no_model), "e.csv", take_score, &s, &m, &n,
	                                  &d),
	                 -1);
	assert_true(has_diag(&d, "not an EPSS file: the first line is \"cve,epss,percentile\"", 1));
	diags_free(&d);
	const char no_header[] = "#model_version:v1,score_date:2026-04-22T00:00:00+0000\ncve,epss\n";
	assert_int_equal(epss_read_buffer(no_header, strlen(no_header), "e.csv", take_score, &s, &m,
	                                  &n, &d),
	                 -1);
	assert_true(has_diag(&d, "no header cve,epss,percentile", 2));
	diags_free(&d);
}

static void test_kinds_told_from_the_file(void **state)
{
	(void)state;
	diags d = DIAGS_INIT;
	assert_int_equal(vi_sniff(data("cve-cna.json"), &d), VI_CVE);
	assert_int_equal(vi_sniff(data("kev.json"), &d), VI_KEV);
	assert_int_equal(vi_sniff(data("kev.csv"), &d), VI_KEV);
	assert_int_equal(vi_sniff(data("epss.csv"), &d), VI_EPSS);
	assert_int_equal(vi_sniff(data("epss.csv.gz"), &d), VI_EPSS);
	assert_int_equal(d.n, 0);
	assert_int_equal(vi_sniff(src_path("sops/insiden.yaml"), &d), VI_AUTO);
	assert_true(has_diag(&d, "name the kind with --kind", 0));
	diags_free(&d);
	char id[32];
	assert_true(vi_cve_id("cve-2021-44228", 14, id));
	assert_string_equal(id, "CVE-2021-44228");
	assert_false(vi_cve_id("CVE-2021-123", 12, id));
	assert_false(vi_cve_id("CVE-2021-12a45", 14, id));
	assert_true(vi_date_ok("2024-02-29"));
	assert_false(vi_date_ok("2023-02-29"));
	assert_false(vi_date_ok("2023-13-01"));
}

/* ---- the real files of ../shared/data/vuln ---- */

static const char *shared(const char *rel)
{
	static char path[4096];
	const char *env = getenv("SIGAP_SHARED");
	if (env && *env)
		snprintf(path, sizeof path, "%s/data/vuln/%s", env, rel);
	else
		snprintf(path, sizeof path, "%s/../shared/data/vuln/%s", SIGAP_SOURCE_ROOT, rel);
	return access(path, R_OK) == 0 ? path : NULL;
}

typedef struct real_cves {
	int n;
	bool log4shell, xz;
} real_cves;

static int take_real(void *ctx, const cve5_record *r)
{
	real_cves *c = ctx;
	c->n++;
	if (strcmp(r->id, "CVE-2021-44228") == 0) {
		/* Apache's record carries no CVSS: CISA's ADP gives 10.0 */
		assert_true(r->cvss[CVSS_V31].present);
		assert_true(r->cvss[CVSS_V31].score == 10.0);
		assert_string_equal(r->cvss[CVSS_V31].source, "CISA-ADP");
		assert_string_equal(r->state, "PUBLISHED");
		c->log4shell = true;
	}
	if (strcmp(r->id, "CVE-2024-3094") == 0) {
		assert_true(r->cvss[CVSS_V31].score == 10.0);
		assert_string_equal(r->cvss[CVSS_V31].source, "cna");
		assert_non_null(strstr(r->description, "xz"));
		c->xz = true;
	}
	return 0;
}

static void test_real_cve_records(void **state)
{
	(void)state;
	const char *trees[] = {"cve5/osv_testdata/cvelistV5", "cve5/osv_testdata/cve5"};
	int wanted[] = {11, 13};
	for (int t = 0; t < 2; t++) {
		const char *dir = shared(trees[t]);
		if (dir == NULL) {
			skip();
			return;
		}
		real_cves c = {0};
		vi_counts n = {0};
		diags d = DIAGS_INIT;
		assert_int_equal(cve5_read(dir, take_real, &c, NULL, NULL, &n, NULL, &d), 0);
		if (d.n)
			fail_msg("%s: %s", d.v[0].file, d.v[0].msg);
		assert_int_equal(c.n, wanted[t]);
		assert_int_equal(n.refused, 0);
		assert_true(c.xz);
		if (t == 0)
			assert_true(c.log4shell);
		diags_free(&d);
	}
}

typedef struct real_kev {
	int n, known;
	bool log4shell, regresshion;
} real_kev;

static int take_real_kev(void *ctx, const kev_entry *e)
{
	real_kev *k = ctx;
	k->n++;
	k->known += strcmp(e->ransomware, "Known") == 0;
	k->log4shell |= strcmp(e->cve, "CVE-2021-44228") == 0;
	k->regresshion |= strcmp(e->cve, "CVE-2024-6387") == 0;
	return 0;
}

/* The counts of kev_subset_COUNTS.json: 249 entries, 87 with known
 * ransomware use, Log4Shell in it and regreSSHion (CVE-2024-6387) not. */
static void test_real_kev_catalog(void **state)
{
	(void)state;
	const char *files[] = {"kev/kev_subset_2025.08.25.json", "kev/kev_subset_2025.08.25.csv"};
	for (int i = 0; i < 2; i++) {
		const char *path = shared(files[i]);
		if (path == NULL) {
			skip();
			return;
		}
		real_kev k = {0};
		vi_counts n = {0};
		kev_catalog cat;
		diags d = DIAGS_INIT;
		assert_int_equal(kev_read(path, (int64_t)time(NULL), take_real_kev, &k, &cat, &n, &d), 0);
		assert_int_equal(d.n, 0);
		assert_int_equal(k.n, 249);
		assert_int_equal(k.known, 87);
		assert_true(k.log4shell);
		assert_false(k.regresshion);
		if (i == 0)
			assert_string_equal(cat.version, "2025.08.25");
		diags_free(&d);
	}
}

/* ---- the store ---- */

static int64_t imported(app *a, const char *path, vi_kind kind, vi_import_result *r)
{
	diags d = DIAGS_INIT;
	sg_err e = {0};
	int rc = vuln_intel_import(a, "petugas1", path, kind, NULL, NULL, r, &d, &e);
	if (rc != 0)
		fail_msg("import %s: %s", path, e.msg);
	diags_free(&d);
	return r->added;
}

static void test_import_and_import_again(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, 1777000000);
	vi_import_result r;
	const char *files[] = {"cve-cna.json", "cve-adp.json", "cve-rejected.json", "kev.json",
	                       "epss.csv"};
	vi_kind kinds[] = {VI_CVE, VI_CVE, VI_CVE, VI_KEV, VI_EPSS};
	int64_t want_new[] = {1, 1, 1, 3, 4};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(imported(&a, data(files[i]), VI_AUTO, &r), want_new[i]);
		assert_int_equal(r.kind, kinds[i]);
		assert_int_equal(r.changed + r.unchanged, 0);
		assert_int_equal(strlen(r.sha256), 64);
	}
	assert_int_equal(count_rows(&a, "vuln_cves"), 3);
	assert_int_equal(count_rows(&a, "vuln_kev"), 3);
	assert_int_equal(count_rows(&a, "vuln_epss"), 4);
	assert_int_equal(count_rows(&a, "vuln_intel_imports"), 5);
	/* again, and the other forms of the same: nothing changes */
	const char *again[] = {"cve-cna.json", "kev.json", "kev.csv", "epss.csv", "epss.csv.gz"};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(imported(&a, data(again[i]), VI_AUTO, &r), 0);
		assert_int_equal(r.changed, 0);
		assert_true(r.unchanged > 0);
	}
	assert_true(r.gzip);
	assert_int_equal(count_rows(&a, "vuln_intel_imports"), 10);
	/* each import in the logbook, with its counts */
	json_t *log = logbook_list(&a, NULL, 20, NULL, NULL);
	int n = 0;
	size_t i;
	json_t *entry;
	json_array_foreach(log, i, entry)
		if (strcmp(json_string_value(json_object_get(entry, "action")), "vuln.intel.import") == 0)
			n++;
	assert_int_equal(n, 10);
	json_decref(log);
	app_close(&a);
	scratch_free(dir);
}

static void test_newer_files_change_what_they_change(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, 1777000000);
	vi_import_result r;
	imported(&a, data("kev.json"), VI_KEV, &r);
	imported(&a, data("epss.csv"), VI_EPSS, &r);
	imported(&a, data("cve-cna.json"), VI_CVE, &r);

	/* KEV: one due date moved, one ransomware use now known, one new */
	char path[4200];
	snprintf(path, sizeof path, "%s/kev2.csv", dir);
	size_t len;
	char *csv = read_all(data("kev.csv"), &len);
	csv = realloc(csv, len + 200);
	char *p = strstr(csv, "2026-05-12,Unknown");
	memcpy(p, "2026-05-01,Known  ", 18);
	memmove(p + 16, p + 18, strlen(p + 18) + 1);
	strcat(csv, "CVE-2026-90009,Contoh,Kas,Kas Bypass,2026-04-21,x,y,2026-05-12,Unknown,,\n");
	write_file(path, csv);
	free(csv);
	imported(&a, path, VI_AUTO, &r);
	assert_int_equal(r.added, 1);
	assert_int_equal(r.changed, 1);
	assert_int_equal(r.kev_due_changed, 1);
	assert_int_equal(r.kev_ransomware_changed, 1);
	assert_int_equal(r.unchanged, 2);
	vuln_cve_priority pr;
	sg_err e = {0};
	int64_t kev_marked;
	assert_int_equal(db_query_int(a.db, &e, &kev_marked,
	                              "SELECT COUNT(*) FROM vuln_kev WHERE import_id = ?", "i",
	                              r.import_id),
	                 DB_ROW);
	assert_int_equal(kev_marked, 2); /* the new entry and the changed one */
	assert_int_equal(vuln_intel_priority(&a, "cve-2026-90002", &pr, &e), 0);
	assert_true(pr.kev);
	assert_string_equal(pr.kev_due, "2026-05-01");
	assert_true(pr.kev_ransomware);
	assert_true(pr.epss > 0.2149 && pr.epss < 0.2151);

	/* EPSS of the next day: two scores moved, one percentile alone */
	snprintf(path, sizeof path, "%s/epss-0422.csv", dir);
	write_file(path, "#model_version:v2025.03.14,score_date:2026-04-22T00:00:00+0000\n"
	                 "cve,epss,percentile\n"
	                 "CVE-2025-90004,0.00043,0.11020\n"
	                 "CVE-2026-90001,0.95000,0.99950\n"
	                 "CVE-2026-90002,0.30000,0.96000\n"
	                 "CVE-2026-90003,0.00010,0.01100\n");
	imported(&a, path, VI_AUTO, &r);
	assert_int_equal(r.changed, 3);
	assert_int_equal(r.epss_moved, 2);
	assert_int_equal(r.unchanged, 1);
	/* the rows it changed carry its id; the one it only confirmed does not */
	int64_t marked;
	assert_int_equal(db_query_int(a.db, &e, &marked,
	                              "SELECT COUNT(*) FROM vuln_epss WHERE import_id = ?", "i",
	                              r.import_id),
	                 DB_ROW);
	assert_int_equal(marked, 3);
	assert_int_equal(db_query_int(a.db, &e, &marked,
	                              "SELECT COUNT(*) FROM vuln_epss WHERE score_date = '2026-04-22'",
	                              ""),
	                 DB_ROW);
	assert_int_equal(marked, 4);
	assert_string_equal(r.published, "2026-04-22");
	/* the file of the day before again: older, kept the newer */
	imported(&a, data("epss.csv"), VI_AUTO, &r);
	assert_int_equal(r.older, 4);
	assert_int_equal(r.changed, 0);
	assert_int_equal(vuln_intel_priority(&a, "CVE-2026-90001", &pr, &e), 0);
	assert_true(pr.epss == 0.95);

	/* a CVE record updated later replaces the stored one; an older does not */
	snprintf(path, sizeof path, "%s/CVE-2026-90001.json", dir);
	char *rec = read_all(data("cve-cna.json"), &len);
	char *t = strstr(rec, "SQL injection in the login form");
	memcpy(t, "SQL Injection", 13);
	char *u = strstr(rec, "\"dateUpdated\": \"2026-03-01");
	memcpy(u + 16, "2026-05-01", 10);
	write_file(path, rec);
	imported(&a, path, VI_CVE, &r);
	assert_int_equal(r.changed, 1);
	memcpy(u + 16, "2026-01-01", 10);
	memcpy(t, "sql injection", 13);
	write_file(path, rec);
	imported(&a, path, VI_CVE, &r);
	assert_int_equal(r.older, 1);
	assert_int_equal(r.changed, 0);
	free(rec);
	json_t *v = vuln_intel_cve(&a, "CVE-2026-90001", &e);
	assert_non_null(v);
	json_t *recj = json_object_get(v, "record");
	assert_non_null(strstr(json_string_value(json_object_get(recj, "title")), "SQL Injection in"));
	json_t *c31 = json_object_get(json_object_get(recj, "cvss"), "3.1");
	assert_true(json_real_value(json_object_get(c31, "score")) == 9.8);
	assert_string_equal(json_string_value(json_object_get(c31, "source")), "cna");
	assert_string_equal(json_string_value(json_object_get(json_object_get(v, "kev"), "due_date")),
	                    "2026-05-05");
	assert_true(json_real_value(json_object_get(json_object_get(v, "epss"), "score")) == 0.95);
	json_decref(v);

	/* nothing known: not found; no CVE id: invalid */
	assert_null(vuln_intel_cve(&a, "CVE-1999-0001", &e));
	assert_int_equal(e.code, SG_ENOTFOUND);
	assert_null(vuln_intel_cve(&a, "log4shell", &e));
	assert_int_equal(e.code, SG_EINVAL);
	assert_int_equal(vuln_intel_priority(&a, "CVE-1999-0001", &pr, &e), 0);
	assert_false(pr.kev);
	assert_true(pr.epss < 0);
	app_close(&a);
	scratch_free(dir);
}

static void test_a_bad_file_stores_nothing(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, 1777000000);
	int64_t log_before = count_rows(&a, "logbook");
	char path[4200];
	const char *bad[] = {
	    /* every row refused */
	    "#model_version:v1,score_date:2026-04-22T00:00:00+0000\ncve,epss,percentile\nx,1,1\n",
	    /* a KEV catalog cut short */
	    "{\"catalogVersion\": \"2026.04.21\", \"vulnerabilities\": [{\"cveID\": ",
	    /* an EPSS file whose gzip is damaged */
	    "\x1f\x8b\x08\x00garbage",
	    /* not intelligence at all */
	    "hello\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(path, sizeof path, "%s/bad%zu", dir, i);
		write_file(path, bad[i]);
		vi_import_result r;
		diags d = DIAGS_INIT;
		sg_err e = {0};
		assert_int_equal(vuln_intel_import(&a, "petugas1", path, VI_AUTO, NULL, NULL, &r, &d, &e),
		                 -1);
		assert_non_null(strstr(e.msg, "nothing was stored"));
		assert_true(d.n > 0);
		diags_free(&d);
	}
	assert_int_equal(count_rows(&a, "vuln_intel_imports"), 0);
	assert_int_equal(count_rows(&a, "vuln_epss"), 0);
	assert_int_equal(count_rows(&a, "vuln_kev"), 0);
	assert_int_equal(count_rows(&a, "logbook"), log_before);
	/* a directory holds CVE records only */
	vi_import_result r;
	diags d = DIAGS_INIT;
	sg_err e = {0};
	assert_int_equal(vuln_intel_import(&a, "petugas1", dir, VI_KEV, NULL, NULL, &r, &d, &e), -1);
	assert_non_null(strstr(e.msg, "only CVE records are imported from a tree"));
	diags_free(&d);
	app_close(&a);
	scratch_free(dir);
}

int main(void)
{
	hash_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cve_scored_by_its_cna),
	    cmocka_unit_test(test_cve_scored_only_by_the_adp),
	    cmocka_unit_test(test_cve_rejected),
	    cmocka_unit_test(test_cve_damaged_records_are_refused),
	    cmocka_unit_test(test_cve_tree_walked_in_order),
	    cmocka_unit_test(test_kev_json_and_csv_agree),
	    cmocka_unit_test(test_kev_csv_quoting_and_refusals),
	    cmocka_unit_test(test_kev_refuses_a_due_date_before_its_addition_and_a_future_one),
	    cmocka_unit_test(test_epss_plain_and_gzip),
	    cmocka_unit_test(test_epss_refusals),
	    cmocka_unit_test(test_kinds_told_from_the_file),
	    cmocka_unit_test(test_real_cve_records),
	    cmocka_unit_test(test_real_kev_catalog),
	    cmocka_unit_test(test_import_and_import_again),
	    cmocka_unit_test(test_newer_files_change_what_they_change),
	    cmocka_unit_test(test_a_bad_file_stores_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
