/*
 * fill_alerts.c: fills a sigap database with N alerts for the alert
 * benchmark (bench/alerts.sh), as months of detection would leave them.
 *
 * Millions of rows through alert_record would take hours, so the alerts
 * are written straight into SQLite: one prepared INSERT, a transaction
 * per 200,000 rows, the journal off while filling. The few cases they are
 * linked to are opened through the app (case_new), so those rows are what
 * real use makes.
 *
 * What the rows look like: 40 rules of every level (a rule keeps its
 * level), one alert in ten an indicator's; 400 assets (one alert in 20
 * names none) and a few thousand source addresses; last seen spread over
 * 180 days ending now, in id order as detection writes them, each folding
 * 1 to 40 hits. Alerts older than a week are mostly decided (false
 * positive most often, with a reason and who decided), the last week's
 * mostly new. One alert in 100 is linked to one of 2,000 CTI cases opened
 * by the triage officers; one in 1,000 also to an incident case the CTI
 * case handed over to (staff of incidents only may see those); a linked
 * alert older than a week was decided by its case's verdict (reason_case).
 * Prints progress on stderr.
 *
 *   sigap-fill-alerts DATABASE N
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"

enum { N_RULES = 40, N_ASSETS = 400, N_CTI = 2000, N_INCIDENT = 200, BATCH = 200000 };

static const char *const levels[] = {"informational", "low", "medium", "high", "critical"};
static const char *const rule_what[] = {
    "SSH brute force", "Password spraying", "Web shell upload", "SQL injection attempt",
    "Path traversal", "Suspicious PowerShell", "New admin account", "Defacement string",
    "Port scan", "Outbound to known C2", "Failed sudo", "Log cleared",
    "Mass file rename", "Suspicious cron job", "XSS attempt", "WordPress login abuse",
    "RDP brute force", "DNS tunnelling", "Malicious user agent", "Privilege escalation"};
static const char *const systems[] = {"simpeg", "simpus", "eoffice", "lpse", "sipd",
                                      "web-desa", "pajak", "mail", "dukcapil", "bkd"};

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
	fprintf(stderr, "sigap-fill-alerts: %s: %s\n", what, sq ? sqlite3_errmsg(sq) : "");
	exit(1);
}

/* Opens N_CTI CTI cases (by ttis and kabid) and N_INCIDENT incident
 * cases (by petugas) through the app; their ids go to cti and incident. */
static void open_cases(const char *path, int64_t *cti, int64_t *incident)
{
	app_config cfg;
	sg_err e = {0};
	app a;
	if (app_config_load(&cfg, NULL, &e) != 0)
		exit(1);
	free(cfg.db_path);
	cfg.db_path = strdup(path);
	if (app_open(&a, &cfg, DB_OPEN_EXISTING, &e) != 0) {
		fprintf(stderr, "sigap-fill-alerts: %s\n", e.msg);
		exit(1);
	}
	for (int i = 0; i < N_CTI + N_INCIDENT; i++) {
		bool is_cti = i < N_CTI;
		const char *sys = systems[i % 10];
		char title[160], ref[32], host[64];
		snprintf(ref, sizeof ref, "ALR-%d", i + 1);
		snprintf(host, sizeof host, "%s.example.go.id", sys);
		snprintf(title, sizeof title, "%s pada %s (%d)", rule_what[i % 20], sys, i);
		sop_value cv[] = {{"alert", ref}, {"sistem", host}};
		sop_value iv[] = {{"pelapor_nama", "TTIS"},
		                  {"pelapor_kontak", "ttis@example.go.id"},
		                  {"sistem_terdampak", host},
		                  {"uraian_kejadian", title}};
		case_new_req req = {is_cti ? "cti" : "insiden", title, is_cti ? cv : iv, is_cti ? 2 : 4,
		                    is_cti ? (i % 3 ? "ttis" : "kabid") : "petugas", "bench"};
		char t[32];
		if (case_new(&a, &req, t, &e) != 0) {
			fprintf(stderr, "sigap-fill-alerts: %s\n", e.msg);
			exit(1);
		}
		int64_t id = 0;
		if (db_query_int(a.db, &e, &id, "SELECT id FROM cases WHERE ticket = ?", "s", t) !=
		    DB_ROW)
			exit(1);
		if (is_cti)
			cti[i] = id;
		else
			incident[i - N_CTI] = id;
	}
	app_close(&a);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: sigap-fill-alerts DATABASE N\n");
		return 2;
	}
	long n = strtol(argv[2], NULL, 10);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	static int64_t cti[N_CTI], incident[N_INCIDENT];
	open_cases(argv[1], cti, incident);

	char rule_id[N_RULES][40], rule_title[N_RULES][96], asset[N_ASSETS][48];
	const char *rule_level[N_RULES];
	for (int i = 0; i < N_RULES; i++) {
		snprintf(rule_id[i], sizeof rule_id[i], "5f0c%04x-0b1e-4c6a-9d2e-bench%07d", i * 7919, i);
		snprintf(rule_title[i], sizeof rule_title[i], "%s%s", rule_what[i % 20],
		         i >= 20 ? " (Linux)" : "");
		/* mostly medium and low, a few high and critical */
		static const int lv[10] = {0, 1, 1, 2, 2, 2, 2, 3, 3, 4};
		rule_level[i] = levels[lv[i % 10]];
	}
	for (int i = 0; i < N_ASSETS; i++)
		snprintf(asset[i], sizeof asset[i], "%s-%02d", systems[i % 10], i / 10 + 1);

	sqlite3 *sq;
	if (sqlite3_open(argv[1], &sq) != SQLITE_OK)
		die(sq, "open");
	sqlite3_busy_timeout(sq, 10000);
	if (sqlite3_exec(sq, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
	                     "PRAGMA cache_size = -1000000;",
	                     NULL, NULL, NULL) != SQLITE_OK)
		die(sq, "pragma");
	sqlite3_stmt *ins, *link, *users_st;
	if (sqlite3_prepare_v2(sq,
	                       "INSERT INTO alerts (id, kind, rule_id, indicator_id, title, level, "
	                       "tags, indicators, fold_key, asset, source_ip, first_seen, last_seen, "
	                       "count, event, status, reason, decided_by, decided_at, reason_case, "
	                       "created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	                       -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sq,
	                       "INSERT INTO alert_cases (alert_id, case_id, linked_at, linked_by) "
	                       "VALUES (?, ?, ?, ?)",
	                       -1, &link, NULL) != SQLITE_OK)
		die(sq, "prepare");
	int64_t first_id = 1;
	if (sqlite3_prepare_v2(sq, "SELECT COALESCE(MAX(id), 0) + 1 FROM alerts", -1, &users_st,
	                       NULL) != SQLITE_OK ||
	    sqlite3_step(users_st) != SQLITE_ROW)
		die(sq, "max id");
	first_id = sqlite3_column_int64(users_st, 0);
	sqlite3_finalize(users_st);

	int64_t now = (int64_t)time(NULL), span = 180 * 86400, week = 7 * 86400;
	static const char *const deciders[] = {"ttis", "kabid"};
	for (long i = 0; i < n; i++) {
		if (i % BATCH == 0 && sqlite3_exec(sq, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
			die(sq, "begin");
		int64_t id = first_id + i;
		int64_t last = now - span + (span * i) / (n > 1 ? n : 1) + pick(60);
		int64_t hits = 1 + (pick(4) == 0 ? pick(40) : 0);
		int64_t first = last - (hits > 1 ? pick(600) : 0);
		int r = pick(N_RULES);
		bool is_ioc = pick(10) == 0;
		const char *as = pick(20) == 0 ? NULL : asset[pick(N_ASSETS)];
		char src[32], title[160], key[300], event[4096], iocs[96];
		snprintf(src, sizeof src, "%s.%d.%d.%d", pick(3) ? "203" : "198", pick(4) + 113,
		         pick(20), pick(250) + 1);
		const char *level = is_ioc ? (pick(2) ? "high" : "medium") : rule_level[r];
		int64_t ioc_id = 0;
		if (is_ioc) {
			ioc_id = 1 + pick(5000);
			snprintf(title, sizeof title, "Indikator ipv4: %s", src);
			snprintf(key, sizeof key, "indicator:%s|%s|%s", title, as ? as : "", src);
			snprintf(iocs, sizeof iocs, "[{\"type\":\"ipv4\",\"value\":\"%s\"}]", src);
		} else {
			snprintf(title, sizeof title, "%s", rule_title[r]);
			snprintf(key, sizeof key, "rule:%s|%s|%s", rule_id[r], as ? as : "", src);
		}
		snprintf(event, sizeof event,
		         "{\"format\":\"syslog\",\"raw\":\"<38>%s sshd[%d]: Failed password for "
		         "invalid user admin%d from %s port %d ssh2\",\"fields\":{\"host\":\"%s\","
		         "\"program\":\"sshd\",\"srcip\":\"%s\",\"user\":\"admin%d\"}}",
		         as ? as : "-", 1000 + pick(30000), pick(100), src, 1024 + pick(60000),
		         as ? as : "-", src, pick(100));
		/* one alert in 5,000 a correlation of the 20 alerts before it */
		bool corr = i >= 20 && i % 5000 == 0;
		if (corr) {
			is_ioc = false;
			snprintf(title, sizeof title, "Brute force lalu login berhasil (korelasi)");
			snprintf(key, sizeof key, "rule:bench-correlation|%s|%s", as ? as : "", src);
			level = "high";
			int at = snprintf(event, sizeof event,
			                  "{\"format\":\"syslog\",\"correlation\":{\"type\":"
			                  "\"event_count\",\"group\":\"%s\",\"count\":20,"
			                  "\"first\":%lld,\"last\":%lld,\"members\":[",
			                  src, (long long)(last - 600), (long long)last);
			for (int m = 0; m < 20; m++)
				at += snprintf(event + at, sizeof event - (size_t)at,
				               "%s{\"at\":%lld,\"rule\":\"ssh_failed\",\"event\":"
				               "\"Failed password from %s\",\"alert\":%lld}",
				               m ? "," : "", (long long)(last - 600 + m * 30), src,
				               (long long)(id - 20 + m));
			snprintf(event + at, sizeof event - (size_t)at, "]}}");
		}
		/* triage: months-old alerts are mostly decided, the last week's mostly new */
		const char *status;
		int d = pick(100);
		if (now - last > week)
			status = d < 55 ? "false_positive" : d < 80 ? "true_positive" : d < 92 ? "triage" : "new";
		else
			status = d < 65 ? "new" : d < 85 ? "triage" : d < 95 ? "false_positive" : "true_positive";
		bool decided = status[0] == 'f' || status[0] == 't';
		int64_t c = 0, handed = 0;
		if (pick(100) == 0) {
			c = cti[pick(N_CTI)];
			if (pick(10) == 0)
				handed = incident[pick(N_INCIDENT)];
		}
		bool by_case = c && decided && strcmp(status, "triage") != 0;
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, id);
		sqlite3_bind_text(ins, 2, is_ioc ? "indicator" : "rule", -1, SQLITE_STATIC);
		if (is_ioc) {
			sqlite3_bind_null(ins, 3);
			sqlite3_bind_int64(ins, 4, ioc_id);
			sqlite3_bind_null(ins, 7);
			sqlite3_bind_text(ins, 8, iocs, -1, SQLITE_STATIC);
		} else {
			sqlite3_bind_text(ins, 3, corr ? "bench-correlation" : rule_id[r], -1,
			                  SQLITE_STATIC);
			sqlite3_bind_null(ins, 4);
			sqlite3_bind_text(ins, 7, "[\"attack.credential_access\",\"attack.t1110.001\"]", -1,
			                  SQLITE_STATIC);
			sqlite3_bind_null(ins, 8);
		}
		sqlite3_bind_text(ins, 5, title, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 6, level, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 9, key, -1, SQLITE_STATIC);
		if (as)
			sqlite3_bind_text(ins, 10, as, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(ins, 10);
		sqlite3_bind_text(ins, 11, src, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 12, first);
		sqlite3_bind_int64(ins, 13, last);
		sqlite3_bind_int64(ins, 14, hits);
		sqlite3_bind_text(ins, 15, event, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 16, status, -1, SQLITE_STATIC);
		if (decided && strcmp(status, "triage") != 0) {
			sqlite3_bind_text(ins, 17,
			                  by_case ? "Laporan analisis CTI: lihat kasus."
			                  : status[0] == 'f' ? "Pemindaian rutin dari alamat yang dikenal."
			                                     : "Terkonfirmasi: akun dikunci, sandi diganti.",
			                  -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 18, deciders[pick(2)], -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 19, last + 3600);
		} else {
			sqlite3_bind_null(ins, 17);
			sqlite3_bind_null(ins, 18);
			sqlite3_bind_null(ins, 19);
		}
		if (by_case)
			sqlite3_bind_int64(ins, 20, c);
		else
			sqlite3_bind_null(ins, 20);
		sqlite3_bind_int64(ins, 21, first);
		if (sqlite3_step(ins) != SQLITE_DONE)
			die(sq, "insert alert");
		for (int k = 0; k < 2; k++) {
			int64_t cid = k ? handed : c;
			if (cid == 0)
				continue;
			sqlite3_reset(link);
			sqlite3_bind_int64(link, 1, id);
			sqlite3_bind_int64(link, 2, cid);
			sqlite3_bind_int64(link, 3, last + 600 + k * 86400);
			sqlite3_bind_text(link, 4, k ? "kabid" : "ttis", -1, SQLITE_STATIC);
			if (sqlite3_step(link) != SQLITE_DONE)
				die(sq, "insert link");
		}
		if ((i + 1) % BATCH == 0 || i + 1 == n) {
			if (sqlite3_exec(sq, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
				die(sq, "commit");
			fprintf(stderr, "\rsigap-fill-alerts: %ld / %ld alerts", i + 1, n);
		}
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(link);
	sqlite3_close(sq);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "\nsigap-fill-alerts: %ld alerts in %.1f s\n", n,
	        (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
