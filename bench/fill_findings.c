/*
 * fill_findings.c: fills a sigap database (made by `sigap init --demo`)
 * with N vulnerability findings for the findings list benchmark
 * (bench/findings.sh), as a year of weekly scans would leave them.
 *
 * A million findings through `sigap vuln import` would take many reports
 * and an hour, so the rows are written straight into SQLite: prepared
 * INSERTs, a transaction per 200,000 findings, the journal off while
 * filling. The demo's OPDs, assets and users stay what the app made.
 *
 * What the rows look like: 400 assets spread over the demo's five OPDs
 * (the demo's own and generated servers, each with an address), one
 * finding in 20 of a host no asset has; 52 weekly imports, one report
 * kept as evidence; severities as scanners give them (info 30 %, low
 * 20 %, medium 30 %, high 15 %, critical 5 %), each with its due date
 * from the defaults (7/30/90/120 days), one or two CVEs from a pool of
 * 20,000 (a few hundred in a KEV catalog of 1,200 entries; each with an
 * EPSS score, 55 % below 1 %, 3 % from 90 %); first seen
 * over the last year, in id order. Findings first seen more than 60 days
 * ago are mostly decided (diperbaiki with a fixed date most often, some
 * positif_palsu or risiko_diterima), recent ones mostly baru. Each has
 * its history row. Prints progress on stderr.
 *
 *   sigap-fill-findings DATABASE N
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { N_ASSETS = 400, N_IMPORTS = 52, N_CVES = 20000, N_KEV = 1200, BATCH = 200000 };

static const char *const products[] = {"Apache HTTP Server", "nginx", "OpenSSH", "PHP",
                                       "WordPress", "MySQL", "PostgreSQL", "OpenSSL",
                                       "Microsoft IIS", "jQuery", "Tomcat", "Exim"};
static const char *const ports[] = {"22/tcp", "80/tcp", "443/tcp", "3306/tcp",
                                    "8080/tcp", "general/tcp", "25/tcp", "5432/tcp"};

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}
static int pick(int n) { return (int)(next() % (uint64_t)n); }

static void die(sqlite3 *sq, const char *what)
{
	fprintf(stderr, "sigap-fill-findings: %s: %s\n", what, sq ? sqlite3_errmsg(sq) : "");
	exit(1);
}

static void exec(sqlite3 *sq, const char *sql)
{
	if (sqlite3_exec(sq, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(sq, sql);
}

static sqlite3_stmt *prep(sqlite3 *sq, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(sq, sql, -1, &st, NULL) != SQLITE_OK)
		die(sq, sql);
	return st;
}

static void step(sqlite3 *sq, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die(sq, "insert");
	sqlite3_reset(st);
}

static void text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

/* The demo's assets and generated servers up to N_ASSETS, their ids in
 * ids[] and an address each in addr[]. */
static int fill_assets(sqlite3 *sq, int64_t now, int64_t *ids, char (*addr)[16])
{
	int64_t opds[16];
	int n_opd = 0;
	sqlite3_stmt *st = prep(sq, "SELECT id FROM opd ORDER BY id");
	while (sqlite3_step(st) == SQLITE_ROW && n_opd < 16)
		opds[n_opd++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (n_opd == 0)
		die(sq, "no OPD (made by sigap init --demo)");
	st = prep(sq, "SELECT id FROM assets ORDER BY id");
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW && n < N_ASSETS)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_stmt *ins = prep(sq, "INSERT INTO assets (opd_id, name, kind, created_at, created_by, "
	                             "updated_at) VALUES (?, ?, 'server', ?, 'sigap:bench', ?)");
	for (int i = n; i < N_ASSETS; i++) {
		char name[64];
		snprintf(name, sizeof name, "Server bench %03d", i);
		sqlite3_bind_int64(ins, 1, opds[i % n_opd]);
		text(ins, 2, name);
		sqlite3_bind_int64(ins, 3, now);
		sqlite3_bind_int64(ins, 4, now);
		step(sq, ins);
		ids[i] = sqlite3_last_insert_rowid(sq);
	}
	sqlite3_finalize(ins);
	for (int i = 0; i < N_ASSETS; i++)
		snprintf(addr[i], sizeof addr[i], "10.%d.%d.%d", 50 + i / 250, i % 250, 10 + i % 200);
	return N_ASSETS;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: sigap-fill-findings DATABASE N\n");
		return 2;
	}
	long n = atol(argv[2]);
	sqlite3 *sq;
	if (sqlite3_open_v2(argv[1], &sq, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		die(sq, argv[1]);
	exec(sq, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144");
	int64_t now = (int64_t)time(NULL);
	exec(sq, "BEGIN");
	int64_t assets[N_ASSETS];
	char addr[N_ASSETS][16];
	fill_assets(sq, now, assets, addr);
	/* one report kept as evidence, imported every week for a year */
	const char *sha = "b3c0ffee00000000000000000000000000000000000000000000000000000000";
	sqlite3_stmt *st = prep(sq, "INSERT OR IGNORE INTO evidence (sha256, size, first_seen) "
	                            "VALUES (?, 1048576, ?)");
	text(st, 1, sha);
	sqlite3_bind_int64(st, 2, now);
	step(sq, st);
	sqlite3_finalize(st);
	int64_t imports[N_IMPORTS];
	st = prep(sq, "INSERT INTO vuln_imports (sha256, filename, size, scanner, format, "
	              "imported_by, imported_at, origin) VALUES (?, 'weekly.xml', 1048576, "
	              "'openvas', 'openvas-xml', 'ttis', ?, 'bench')");
	for (int i = 0; i < N_IMPORTS; i++) {
		text(st, 1, sha);
		sqlite3_bind_int64(st, 2, now - (int64_t)(N_IMPORTS - 1 - i) * 7 * 86400);
		step(sq, st);
		imports[i] = sqlite3_last_insert_rowid(sq);
	}
	sqlite3_finalize(st);
	/* a KEV catalog over part of the CVE pool: every 16th CVE */
	st = prep(sq, "INSERT OR IGNORE INTO vuln_intel_imports (id, kind, path, sha256, files, "
	              "records, added, changed, unchanged, refused, details, actor, imported_at) "
	              "VALUES (1, 'kev', 'bench', ?, 1, ?, ?, 0, 0, 0, '{}', 'ttis', ?)");
	text(st, 1, sha);
	sqlite3_bind_int(st, 2, N_KEV);
	sqlite3_bind_int(st, 3, N_KEV);
	sqlite3_bind_int64(st, 4, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		fprintf(stderr, "sigap-fill-findings: no KEV catalog: %s\n", sqlite3_errmsg(sq));
	sqlite3_finalize(st);
	st = prep(sq, "INSERT OR IGNORE INTO vuln_kev (cve_id, vendor, product, name, date_added, "
	              "due_date, ransomware, description, required_action, notes, cwes, import_id, "
	              "created_at, updated_at) VALUES (?, 'Vendor', ?, ?, '2025-06-01', "
	              "'2025-06-22', 'Unknown', 'Known exploited.', 'Apply updates.', '', '[]', 1, "
	              "?, ?)");
	for (int i = 0; i < N_KEV; i++) {
		char cve[32];
		snprintf(cve, sizeof cve, "CVE-2025-%05d", i * 16);
		text(st, 1, cve);
		text(st, 2, products[i % 12]);
		text(st, 3, products[i % 12]);
		sqlite3_bind_int64(st, 4, now);
		sqlite3_bind_int64(st, 5, now);
		if (sqlite3_step(st) != SQLITE_DONE)
			break; /* no KEV table: the list is measured without it */
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);

	/* EPSS scores for the whole CVE pool, as FIRST's daily file gives
	 * them: most below 1 %, a tail above 50 % */
	st = prep(sq, "INSERT OR IGNORE INTO vuln_intel_imports (id, kind, path, sha256, files, "
	              "records, added, changed, unchanged, refused, details, actor, imported_at) "
	              "VALUES (2, 'epss', 'bench', ?, 1, ?, ?, 0, 0, 0, '{}', 'ttis', ?)");
	text(st, 1, sha);
	sqlite3_bind_int(st, 2, N_CVES);
	sqlite3_bind_int(st, 3, N_CVES);
	sqlite3_bind_int64(st, 4, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		fprintf(stderr, "sigap-fill-findings: no EPSS import: %s\n", sqlite3_errmsg(sq));
	sqlite3_finalize(st);
	st = prep(sq, "INSERT OR IGNORE INTO vuln_epss (cve_id, epss, percentile, model_version, "
	              "score_date, import_id, updated_at) VALUES (?, ?, ?, 'v2025.03.14', "
	              "'2026-12-01', 2, ?)");
	uint64_t saved = rng; /* the findings drawn as before the scores came */
	for (int i = 0; i < N_CVES; i++) {
		char cve[32];
		snprintf(cve, sizeof cve, "CVE-2025-%05d", i);
		int r = pick(100);
		double epss = r < 55   ? 0.0004 + pick(95) / 10000.0  /* below 1 % */
		              : r < 80 ? 0.01 + pick(90) / 1000.0     /* 1 % to 10 % */
		              : r < 92 ? 0.1 + pick(400) / 1000.0     /* 10 % to 50 % */
		              : r < 97 ? 0.5 + pick(400) / 1000.0     /* 50 % to 90 % */
		                       : 0.9 + pick(99) / 1000.0;     /* 90 % and up */
		text(st, 1, cve);
		sqlite3_bind_double(st, 2, epss);
		sqlite3_bind_double(st, 3, epss < 0.01 ? 0.3 + epss * 40 : 0.7 + epss * 0.29);
		sqlite3_bind_int64(st, 4, now);
		if (sqlite3_step(st) != SQLITE_DONE)
			break; /* no EPSS table: the list is measured without it */
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	rng = saved;

	sqlite3_stmt *fi = prep(
	    sq, "INSERT INTO findings (asset_id, opd_id, host, hostname, vuln_key, endpoint, scanner, title, "
	        "severity, cvss3_score, text_id, evidence, first_seen, "
	        "last_seen, times_seen, first_import, last_import, state, state_reason, state_by, "
	        "state_at, accepted_until, approved_by, sla_start, due_at, fixed_at) VALUES (?1, "
	        "(SELECT opd_id FROM assets WHERE id = ?1), ?2, ?3, ?4, ?5, 'openvas', ?, ?, ?, "
	        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	/* a vulnerability's text once (0022_finding_texts.sql): its id */
	sqlite3_stmt *ft = prep(
	    sq, "INSERT INTO finding_texts (digest, cvss3_vector, description, solution) VALUES "
	        "(?1, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', ?2, ?3) ON CONFLICT (digest) "
	        "DO UPDATE SET digest = excluded.digest RETURNING id");
	sqlite3_stmt *fc = prep(sq, "INSERT OR IGNORE INTO finding_cves (finding_id, cve) VALUES (?, ?)");
	sqlite3_stmt *fh = prep(sq, "INSERT INTO finding_history (finding_id, at, actor, from_state, "
	                            "to_state, reason, import_id) VALUES (?, ?, ?, ?, ?, ?, ?)");
	static const char *const sevs[] = {"info", "low", "medium", "high", "critical"};
	static const int due_days[] = {0, 120, 90, 30, 7};
	int64_t year = 365 * 86400;
	long stored = 0;
	for (long i = 0; stored < n; i++) {
		if (i > 0 && i % BATCH == 0) {
			exec(sq, "COMMIT; BEGIN");
			fprintf(stderr, "sigap-fill-findings: %ld findings\n", i);
		}
		int r = pick(100);
		int sev = r < 30 ? 0 : r < 50 ? 1 : r < 80 ? 2 : r < 95 ? 3 : 4;
		int a = pick(N_ASSETS);
		bool unmatched = pick(20) == 0;
		int prod = pick(12), nvt = pick(3000), port = pick(8);
		int64_t first = now - year + (int64_t)((double)(i < n ? i : n - 1) / (double)n * (double)year);
		int week = (int)((first - (now - year)) / (7 * 86400));
		if (week >= N_IMPORTS)
			week = N_IMPORTS - 1;
		int64_t age = now - first;
		int64_t last = first + (int64_t)pick((int)(age / 86400) + 1) * 86400;
		const char *state = "baru";
		const char *reason = NULL;
		int64_t fixed = 0, until = 0;
		int d = pick(100);
		if (age > 60 * 86400) {
			state = d < 70 ? "diperbaiki" : d < 80 ? "positif_palsu" : d < 85 ? "risiko_diterima"
			      : d < 90 ? "terverifikasi" : "baru";
		} else {
			state = d < 15 ? "diperbaiki" : d < 30 ? "terverifikasi" : d < 35 ? "dalam_perbaikan" : "baru";
		}
		int64_t decided = first + (int64_t)pick(60) * 86400 + 3600;
		if (strcmp(state, "diperbaiki") == 0) {
			fixed = decided < now ? decided : now;
			reason = "no longer present in import";
		} else if (strcmp(state, "positif_palsu") == 0) {
			reason = "the version is patched by the distribution";
		} else if (strcmp(state, "risiko_diterima") == 0) {
			reason = "legacy system until its replacement";
			until = now + (int64_t)(pick(180) - 30) * 86400;
		}
		char host[64], key[64], title[160], desc[400], sol[96], evid[128], cve[2][32];
		if (unmatched)
			snprintf(host, sizeof host, "172.16.%d.%d", pick(64), 1 + pick(250));
		else
			snprintf(host, sizeof host, "%s", addr[a]);
		snprintf(key, sizeof key, "1.3.6.1.4.1.25623.1.0.%d", 100000 + nvt);
		snprintf(title, sizeof title, "%s < %d.%d.%d Multiple Vulnerabilities (%d)",
		         products[prod], 1 + nvt % 9, nvt % 20, nvt % 7, nvt);
		snprintf(desc, sizeof desc,
		         "%s is prone to multiple vulnerabilities. A remote attacker can exploit them to "
		         "read files, run code or deny service. The flaws are in the request parser and "
		         "the administration interface (sample %d).",
		         products[prod], nvt);
		snprintf(sol, sizeof sol, "Update %s to version %d.%d or later.", products[prod],
		         2 + nvt % 9, nvt % 20);
		snprintf(evid, sizeof evid, "Installed version: %d.%d.%d\nFixed version: %d.%d",
		         1 + nvt % 9, nvt % 20, nvt % 7, 2 + nvt % 9, nvt % 20);
		int n_cve = sev == 0 ? 0 : 1 + pick(2);
		for (int k = 0; k < n_cve; k++)
			snprintf(cve[k], sizeof cve[k], "CVE-2025-%05d", (nvt * 7 + k * 3) % N_CVES);
		int64_t due = due_days[sev] ? first + (int64_t)due_days[sev] * 86400 : 0;
		int c = 1;
		if (unmatched)
			sqlite3_bind_null(fi, c++);
		else
			sqlite3_bind_int64(fi, c++, assets[a]);
		text(fi, c++, host);
		sqlite3_bind_null(fi, c++);
		text(fi, c++, key);
		char endpoint[16];
		snprintf(endpoint, sizeof endpoint, "%s", ports[port]);
		/* the same NVT twice on one asset and port is one finding: the
		 * endpoint carries the row number past the first few */
		if (i >= 3000)
			snprintf(endpoint, sizeof endpoint, "%ld/tcp", 1024 + i % 60000);
		text(fi, c++, endpoint);
		text(fi, c++, title);
		text(fi, c++, sevs[sev]);
		if (sev == 0)
			sqlite3_bind_null(fi, c++);
		else
			sqlite3_bind_double(fi, c++, sev == 4 ? 9.8 : sev == 3 ? 7.5 : sev == 2 ? 5.3 : 3.1);
		char digest[32];
		snprintf(digest, sizeof digest, "fill:%d:%d", prod, nvt);
		text(ft, 1, digest);
		text(ft, 2, desc);
		text(ft, 3, sol);
		if (sqlite3_step(ft) != SQLITE_ROW)
			die(sq, "finding_texts");
		sqlite3_bind_int64(fi, c++, sqlite3_column_int64(ft, 0));
		sqlite3_reset(ft);
		text(fi, c++, evid);
		sqlite3_bind_int64(fi, c++, first);
		sqlite3_bind_int64(fi, c++, last);
		sqlite3_bind_int64(fi, c++, 1 + (last - first) / (7 * 86400));
		sqlite3_bind_int64(fi, c++, imports[week]);
		sqlite3_bind_int64(fi, c++, imports[week]);
		text(fi, c++, state);
		if (reason)
			text(fi, c++, reason);
		else
			sqlite3_bind_null(fi, c++);
		if (strcmp(state, "baru") == 0) {
			sqlite3_bind_null(fi, c++);
			sqlite3_bind_null(fi, c++);
		} else {
			text(fi, c++, "ttis");
			sqlite3_bind_int64(fi, c++, fixed ? fixed : decided < now ? decided : now);
		}
		if (until) {
			sqlite3_bind_int64(fi, c++, until);
			text(fi, c++, "kabid");
		} else {
			sqlite3_bind_null(fi, c++);
			sqlite3_bind_null(fi, c++);
		}
		sqlite3_bind_int64(fi, c++, first);
		if (due)
			sqlite3_bind_int64(fi, c++, due);
		else
			sqlite3_bind_null(fi, c++);
		if (fixed)
			sqlite3_bind_int64(fi, c++, fixed);
		else
			sqlite3_bind_null(fi, c++);
		if (sqlite3_step(fi) != SQLITE_DONE) {
			/* the same key drawn twice: skip it */
			sqlite3_reset(fi);
			continue;
		}
		sqlite3_reset(fi);
		int64_t id = sqlite3_last_insert_rowid(sq);
		stored++;
		for (int k = 0; k < n_cve; k++) {
			sqlite3_bind_int64(fc, 1, id);
			text(fc, 2, cve[k]);
			step(sq, fc);
		}
		sqlite3_bind_int64(fh, 1, id);
		sqlite3_bind_int64(fh, 2, first);
		text(fh, 3, "ttis");
		sqlite3_bind_null(fh, 4);
		text(fh, 5, "baru");
		sqlite3_bind_null(fh, 6);
		sqlite3_bind_int64(fh, 7, imports[week]);
		step(sq, fh);
	}
	fprintf(stderr, "sigap-fill-findings: %ld findings\n", stored);
	sqlite3_finalize(fi);
	sqlite3_finalize(ft);
	sqlite3_finalize(fc);
	sqlite3_finalize(fh);
	/* each finding's kev and epss_band from its CVEs, as the import sets
	 * them (0021_finding_import_rows.sql: no trigger on finding_cves);
	 * the counts an import adds at its end (0019_finding_import.sql), and
	 * the list's filters' (0020_finding_filters.sql) */
	sqlite3_exec(sq,
	             "UPDATE findings SET kev = 1 WHERE id IN (SELECT c.finding_id FROM vuln_kev k "
	             "JOIN finding_cves c ON c.cve = k.cve_id); "
	             "UPDATE findings SET epss_band = (SELECT MAX((x.epss >= 0.01) + (x.epss >= 0.1) "
	             "+ (x.epss >= 0.5) + (x.epss >= 0.9)) FROM finding_cves c JOIN vuln_epss x ON "
	             "x.cve_id = c.cve WHERE c.finding_id = findings.id) WHERE id IN (SELECT "
	             "c.finding_id FROM vuln_epss x JOIN finding_cves c ON c.cve = x.cve_id WHERE "
	             "x.epss >= 0.01)",
	             NULL, NULL, NULL); /* none in a store before 0020 */
	exec(sq, "DELETE FROM finding_counts; DELETE FROM finding_totals; "
	         "INSERT INTO finding_counts (asset_id, severity, state, n) "
	         "SELECT COALESCE(asset_id, 0), severity, state, COUNT(*) FROM findings GROUP BY 1, 2, 3; "
	         "INSERT INTO finding_totals (severity, state, n) "
	         "SELECT severity, state, SUM(n) FROM finding_counts GROUP BY 1, 2");
	sqlite3_exec(sq,
	             "DELETE FROM finding_opd_counts; DELETE FROM finding_due_days; "
	             "INSERT INTO finding_opd_counts (opd_id, severity, state, kev, epss_band, n) "
	             "SELECT COALESCE(opd_id, 0), severity, state, kev, epss_band, COUNT(*) FROM "
	             "findings GROUP BY 1, 2, 3, 4, 5; "
	             "INSERT INTO finding_due_days (day, severity, n) SELECT due_at / 86400, severity, "
	             "COUNT(*) FROM findings WHERE due_at IS NOT NULL AND state IN ('baru', "
	             "'terverifikasi', 'dalam_perbaikan', 'dibuka_kembali') GROUP BY 1, 2",
	             NULL, NULL, NULL); /* none in a store before 0020 */
	exec(sq, "COMMIT");
	sqlite3_close(sq);
	return 0;
}
