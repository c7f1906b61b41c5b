/*
 * test_findings.c: vulnerability findings on a real SQLite file. Scanner
 * results (vuln_result, as the parsers give them) go through the import
 * transaction: de-duplicated by asset, identity and endpoint; counted as
 * new, seen again, repeated, reopened; marked no longer present only on
 * the targets and scanner rescanned; kept when no asset matches and then
 * attached. Decisions follow the transitions, refuse clearly and change
 * nothing when refused; due dates come from the severity and KEV; a
 * failed import leaves nothing.
 */
#include "helpers.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/utf8.h"
#include "app/findings.h"
#include "findings_fixture.h"

static int setup(void **state)
{
	fixture *f = ff_open("Situs Dinkes", "dinkes.example.go.id");
	test_user(&f->a, "tia", "ttis");
	test_user(&f->a, "kabid1", "kabid");
	test_user(&f->a, "rina", "pelapor");
	/* an OPD's cyber agent */
	test_user(&f->a, "agen1", "pelapor");
	ff_agent(&f->a, "agen1", 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	ff_close(*state);
	return 0;
}

/* A result with the fields a test varies. */
static vuln_result res(const char *host, const char *port, const char *id, vuln_severity sev)
{
	static const char *const cves[] = {"CVE-2021-44228"};
	vuln_result r = {.host = host, .port = port, .vuln_id = id, .title = id, .severity = sev,
	                 .cvss3_score = -1, .cvss4_score = -1};
	if (strcmp(id, "log4shell") == 0) {
		r.cves = cves;
		r.n_cves = 1;
		r.cvss3_score = 10.0;
		r.cvss3_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H";
	}
	return r;
}

/* Imports results as one report of scanner s covering targets; returns
 * the import's result (0 or -1), the summary in *sum. */
static int import_ex(app *a, const char *actor, vuln_scanner s, const vuln_result *rs, size_t n,
                     const char *const *targets, size_t nt, bool partial, int64_t asset,
                     vuln_import_summary *sum, sg_err *e)
{
	ff_report rep = {.actor = actor, .filename = "report.xml", .scanner = s, .targets = targets,
	                 .n_targets = nt, .partial = partial, .asset = asset};
	return ff_import(a, &rep, rs, n, sum, e);
}

static vuln_import_summary import_ok(app *a, vuln_scanner s, const vuln_result *rs, size_t n,
                                     const char *const *targets, size_t nt)
{
	vuln_import_summary sum;
	sg_err e = {0};
	if (import_ex(a, "tia", s, rs, n, targets, nt, false, 0, &sum, &e) != 0)
		fail_msg("import: %s", e.msg);
	return sum;
}

static int64_t finding_count(app *a, const char *where)
{
	char sql[400];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM findings WHERE %s", where);
	int64_t n = -1;
	sg_err e = {0};
	assert_int_equal(db_query_int(a->db, &e, &n, sql, ""), DB_ROW);
	return n;
}

static int64_t finding_id(app *a, const char *key, const char *endpoint)
{
	int64_t id = 0;
	sg_err e = {0};
	assert_int_equal(db_query_int(a->db, &e, &id,
	                              "SELECT id FROM findings WHERE vuln_key = ? AND endpoint = ?",
	                              "ss", key, endpoint),
	                 DB_ROW);
	return id;
}

static char *state_of(app *a, int64_t id)
{
	static char s[32];
	sg_err e = {0};
	json_t *f = finding_get(a, id, NULL, &e);
	if (f == NULL)
		fail_msg("finding_get: %s", e.msg);
	snprintf(s, sizeof s, "%s", json_string_value(json_object_get(f, "state")));
	json_decref(f);
	return s;
}

static int decide(app *a, const char *actor, int64_t id, const char *state, const char *reason,
                  sg_err *e)
{
	finding_decision d = {.ids = &id, .n_ids = 1, .state = state, .reason = reason,
	                      .actor = actor};
	return finding_decide(a, &d, e);
}

static void test_reimport_deduplicates_by_asset_identity_and_endpoint(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {
	    res("10.0.0.5", "443/tcp", "tls-weak", VULN_MEDIUM),
	    res("10.0.0.5", "8443/tcp", "tls-weak", VULN_MEDIUM), /* another endpoint */
	    res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL),
	    res("10.0.9.9", "443/tcp", "tls-weak", VULN_MEDIUM),  /* another asset */
	    res("10.0.0.5", "443/tcp", "tls-weak", VULN_MEDIUM),  /* the report repeats itself */
	};
	vuln_import_summary s = import_ok(&f->a, VULN_OPENVAS, rs, 5, NULL, 0);
	assert_int_equal(s.results, 5);
	assert_int_equal(s.new_count, 4);
	assert_int_equal(s.repeated, 1);
	assert_int_equal(s.seen_again, 0);
	assert_int_equal(s.unmatched, 0);
	assert_int_equal(count_rows(&f->a, "findings"), 4);
	char where[100];
	snprintf(where, sizeof where, "asset_id = %lld", (long long)f->srv);
	assert_int_equal(finding_count(&f->a, where), 3);

	/* the same report again: nothing new, every finding seen a second time */
	f->a.fixed_now = f->t0 + DAY;
	s = import_ok(&f->a, VULN_OPENVAS, rs, 5, NULL, 0);
	assert_int_equal(s.new_count, 0);
	assert_int_equal(s.seen_again, 4);
	assert_int_equal(s.repeated, 1);
	assert_int_equal(count_rows(&f->a, "findings"), 4);
	assert_int_equal(finding_count(&f->a, "times_seen = 2"), 4);
	sg_err e = {0};
	json_t *one = finding_get(&f->a, finding_id(&f->a, "log4shell", "443/tcp"), NULL, &e);
	assert_non_null(one);
	assert_int_equal(json_integer_value(json_object_get(one, "first_seen")), f->t0);
	assert_int_equal(json_integer_value(json_object_get(one, "last_seen")), f->t0 + DAY);
	assert_string_equal(json_string_value(json_array_get(json_object_get(one, "cves"), 0)),
	                    "CVE-2021-44228");
	assert_true(json_real_value(json_object_get(one, "cvss3_score")) > 9.9);
	assert_string_equal(json_string_value(json_object_get(json_object_get(one, "asset"), "opd")),
	                    "DINKES");
	assert_int_equal(json_array_size(json_object_get(one, "history")), 1);
	json_decref(one);
	assert_int_equal(count_rows(&f->a, "vuln_imports"), 2);
	/* each import in the logbook with its counts */
	json_t *lb = logbook_list(&f->a, "vuln_import:2", 0, NULL, &e);
	assert_int_equal(json_array_size(lb), 1);
	json_decref(lb);
}

static void test_a_fixed_finding_seen_again_is_reopened(void **state)
{
	fixture *f = *state;
	const char *const targets[] = {"10.0.0.5"};
	vuln_result rs[] = {res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL)};
	import_ok(&f->a, VULN_NMAP, rs, 1, targets, 1);
	int64_t id = finding_id(&f->a, "log4shell", "443/tcp");

	/* a rescan of the target without it: no longer present */
	f->a.fixed_now = f->t0 + 3 * DAY;
	vuln_import_summary s = import_ok(&f->a, VULN_NMAP, NULL, 0, targets, 1);
	assert_int_equal(s.gone, 1);
	assert_string_equal(state_of(&f->a, id), "diperbaiki");

	/* and back: dibuka_kembali, due 7 days from its return */
	f->a.fixed_now = f->t0 + 10 * DAY;
	s = import_ok(&f->a, VULN_NMAP, rs, 1, targets, 1);
	assert_int_equal(s.reopened, 1);
	assert_int_equal(s.new_count, 0);
	assert_int_equal(s.seen_again, 0);
	sg_err e = {0};
	json_t *one = finding_get(&f->a, id, NULL, &e);
	assert_string_equal(json_string_value(json_object_get(one, "state")), "dibuka_kembali");
	assert_int_equal(json_integer_value(json_object_get(one, "due_at")), f->t0 + 17 * DAY);
	assert_int_equal(json_integer_value(json_object_get(one, "times_seen")), 2);
	json_t *h = json_object_get(one, "history");
	assert_int_equal(json_array_size(h), 3); /* baru, diperbaiki, dibuka_kembali */
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 1), "to")),
	                    "diperbaiki");
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 2), "from")),
	                    "diperbaiki");
	json_decref(one);
}

static void test_no_longer_present_only_for_rescanned_targets_and_scanner(void **state)
{
	fixture *f = *state;
	const char *const both[] = {"10.0.0.5", "10.0.9.9"};
	vuln_result rs[] = {
	    res("10.0.0.5", "22/tcp", "nmap:open-port", VULN_INFO),
	    res("10.0.0.5", "80/tcp", "nmap:open-port", VULN_INFO),
	    res("10.0.9.9", "22/tcp", "nmap:open-port", VULN_INFO),
	};
	import_ok(&f->a, VULN_NMAP, rs, 3, both, 2);
	vuln_result ov[] = {res("10.0.0.5", "443/tcp", "1.3.6.1.4.1.25623.1.0.1", VULN_HIGH)};
	import_ok(&f->a, VULN_OPENVAS, ov, 1, NULL, 0);
	sg_err e = {0};
	int64_t fp = finding_id(&f->a, "nmap:open-port", "80/tcp");
	assert_int_equal(decide(&f->a, "tia", fp, "positif_palsu", "port 80 is the health check", &e),
	                 0);

	/* a partial scan marks nothing */
	vuln_import_summary s;
	const char *const one[] = {"10.0.0.5"};
	assert_int_equal(import_ex(&f->a, "tia", VULN_NMAP, NULL, 0, one, 1, true, 0, &s, &e), 0);
	assert_int_equal(s.gone, 0);
	assert_int_equal(finding_count(&f->a, "state = 'diperbaiki'"), 0);

	/* nmap rescans 10.0.0.5 only, and finds 22 open still */
	vuln_result again[] = {res("10.0.0.5", "22/tcp", "nmap:open-port", VULN_INFO)};
	s = import_ok(&f->a, VULN_NMAP, again, 1, one, 1);
	assert_int_equal(s.seen_again, 1);
	assert_int_equal(s.gone, 0); /* 80 is positif_palsu: decided, not open */
	/* 10.0.9.9 was not rescanned; openvas's finding on 10.0.0.5 is not nmap's */
	assert_int_equal(finding_count(&f->a, "state = 'diperbaiki'"), 0);
	assert_string_equal(state_of(&f->a, fp), "positif_palsu");

	/* nmap rescans both and finds nothing: the open nmap findings go */
	s = import_ok(&f->a, VULN_NMAP, NULL, 0, both, 2);
	assert_int_equal(s.gone, 2);
	assert_int_equal(finding_count(&f->a, "state = 'diperbaiki' AND scanner = 'nmap'"), 2);
	assert_int_equal(finding_count(&f->a, "scanner = 'openvas' AND state = 'baru'"), 1);
	assert_string_equal(state_of(&f->a, fp), "positif_palsu");
}

static void test_hosts_compare_without_case_and_urls_by_their_host(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {res("Portal.Example.go.id", NULL, "tech-detect:wordpress", VULN_INFO),
	                    res("portal.example.go.id.", NULL, "tech-detect:wordpress", VULN_INFO)};
	rs[0].url = rs[1].url = "https://portal.example.go.id/";
	vuln_import_summary s = import_ok(&f->a, VULN_NUCLEI, rs, 2, NULL, 0);
	assert_int_equal(s.new_count, 1);
	assert_int_equal(s.repeated, 1);
	/* a rescan whose target is the site's URL covers the host */
	const char *const targets[] = {"HTTPS://portal.example.go.id:443/"};
	s = import_ok(&f->a, VULN_NUCLEI, NULL, 0, targets, 1);
	assert_int_equal(s.gone, 1);
	/* a host that is no address and no name (an anonymised report's
	 * "192.168.1.1001") matches no asset and is kept */
	vuln_result odd[] = {res("192.168.1.1001", "general/tcp", "1.3.6.1.4.1.25623.1.0.9", VULN_HIGH)};
	s = import_ok(&f->a, VULN_OPENVAS, odd, 1, NULL, 0);
	assert_int_equal(s.new_count, 1);
	assert_int_equal(s.unmatched, 1);
}

static void test_unmatched_results_are_kept_then_attached(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {
	    res("203.0.113.9", "443/tcp", "log4shell", VULN_CRITICAL),
	    res("203.0.113.9", "22/tcp", "ssh-weak", VULN_LOW),
	    res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL),
	};
	vuln_import_summary s = import_ok(&f->a, VULN_OPENVAS, rs, 3, NULL, 0);
	assert_int_equal(s.unmatched, 2);
	assert_int_equal(s.new_count, 3);
	assert_int_equal(finding_count(&f->a, "asset_id IS NULL"), 2);
	/* again: still two findings, not four */
	s = import_ok(&f->a, VULN_OPENVAS, rs, 3, NULL, 0);
	assert_int_equal(s.unmatched, 2);
	assert_int_equal(s.seen_again, 3);
	assert_int_equal(finding_count(&f->a, "asset_id IS NULL"), 2);

	sg_err e = {0};
	finding_filter flt = {.unmatched = true};
	int64_t total = 0;
	json_t *rows = finding_list(&f->a, &flt, &total, &e);
	assert_int_equal(total, 2);
	assert_true(json_is_null(json_object_get(json_array_get(rows, 0), "asset")));
	json_decref(rows);

	/* attached to the server: the weak SSH moves, log4shell merges into
	 * the server's own finding of it */
	int64_t ids[2];
	db_query_int(f->a.db, &e, &ids[0],
	             "SELECT id FROM findings WHERE host = '203.0.113.9' AND vuln_key = 'ssh-weak'", "");
	db_query_int(f->a.db, &e, &ids[1],
	             "SELECT id FROM findings WHERE host = '203.0.113.9' AND vuln_key = 'log4shell'",
	             "");
	assert_int_equal(finding_attach(&f->a, "rina", ids, 2, f->srv, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_int_equal(finding_attach(&f->a, "tia", ids, 2, 9999, &e), -1);
	assert_int_equal(e.code, SG_ENOTFOUND);
	if (finding_attach(&f->a, "tia", ids, 2, f->srv, &e) != 0)
		fail_msg("attach: %s", e.msg);
	assert_int_equal(finding_count(&f->a, "asset_id IS NULL"), 0);
	assert_int_equal(count_rows(&f->a, "findings"), 2);
	json_t *l4 = finding_get(&f->a, finding_id(&f->a, "log4shell", "443/tcp"), NULL, &e);
	assert_int_equal(json_integer_value(json_object_get(l4, "times_seen")), 4);
	json_decref(l4);
	/* attached twice is refused */
	assert_int_equal(finding_attach(&f->a, "tia", ids, 1, f->web, &e), -1);
	assert_int_equal(e.code, SG_ESTATE);
	json_t *lb = logbook_list(&f->a, NULL, 0, NULL, &e);
	int attaches = 0;
	size_t i;
	json_t *x;
	json_array_foreach(lb, i, x) attaches +=
	    strcmp(json_string_value(json_object_get(x, "action")), "vuln.attach") == 0;
	json_decref(lb);
	assert_int_equal(attaches, 2);
	/* the next rescan keeps them on the server: seen again there, no
	 * twin without an asset, nothing closed */
	s = import_ok(&f->a, VULN_OPENVAS, rs, 3, NULL, 0);
	assert_int_equal(s.new_count, 0);
	assert_int_equal(s.seen_again, 2); /* log4shell of both hosts is one finding now */
	assert_int_equal(s.repeated, 1);
	assert_int_equal(s.unmatched, 0);
	assert_int_equal(s.gone, 0);
	assert_int_equal(count_rows(&f->a, "findings"), 2);
	assert_int_equal(finding_count(&f->a, "state = 'baru'"), 2);
}

static void test_transitions_are_enforced_with_clear_refusals(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL),
	                    res("10.0.0.5", "80/tcp", "xss", VULN_MEDIUM)};
	import_ok(&f->a, VULN_OPENVAS, rs, 2, NULL, 0);
	int64_t id = finding_id(&f->a, "log4shell", "443/tcp");
	int64_t xss = finding_id(&f->a, "xss", "80/tcp");
	sg_err e = {0};
	int64_t logged = count_rows(&f->a, "logbook");

	assert_int_equal(decide(&f->a, "tia", id, "positif_palsu", NULL, &e), -1);
	assert_non_null(strstr(e.msg, "needs a reason"));
	assert_int_equal(decide(&f->a, "tia", id, "baru", "x", &e), -1);
	assert_int_equal(decide(&f->a, "tia", id, "selesai", "x", &e), -1);
	assert_non_null(strstr(e.msg, "unknown finding state"));
	assert_int_equal(decide(&f->a, "rina", id, "terverifikasi", NULL, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_int_equal(decide(&f->a, "agen1", id, "terverifikasi", NULL, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_int_equal(decide(&f->a, "cli:root@host", id, "terverifikasi", NULL, &e), -1);
	assert_non_null(strstr(e.msg, "named user"));
	assert_int_equal(count_rows(&f->a, "logbook"), logged);

	assert_int_equal(decide(&f->a, "tia", id, "terverifikasi", NULL, &e), 0);
	assert_int_equal(decide(&f->a, "tia", id, "terverifikasi", NULL, &e), -1);
	assert_non_null(strstr(e.msg, "already terverifikasi"));
	assert_int_equal(decide(&f->a, "tia", id, "positif_palsu", "banner only, not vulnerable", &e),
	                 0);
	assert_int_equal(decide(&f->a, "tia", id, "terverifikasi", NULL, &e), -1);
	assert_int_equal(e.code, SG_ESTATE);
	assert_non_null(strstr(e.msg, "from positif_palsu it may become: dibuka_kembali"));
	assert_int_equal(decide(&f->a, "tia", id, "dibuka_kembali", "scanner was right", &e), 0);

	/* risk acceptance: an expiry in the future and a kabid approving */
	finding_decision d = {.ids = &id, .n_ids = 1, .state = "risiko_diterima",
	                      .reason = "legacy system, isolated", .actor = "tia"};
	assert_int_equal(finding_decide(&f->a, &d, &e), -1);
	assert_non_null(strstr(e.msg, "expiry"));
	d.accepted_until = f->t0 + 90 * DAY;
	assert_int_equal(finding_decide(&f->a, &d, &e), -1);
	assert_non_null(strstr(e.msg, "approver"));
	d.approver = "rina";
	assert_int_equal(finding_decide(&f->a, &d, &e), -1);
	assert_non_null(strstr(e.msg, "holding kabid"));
	d.approver = "kabid1";
	assert_int_equal(finding_decide(&f->a, &d, &e), 0);
	json_t *one = finding_get(&f->a, id, NULL, &e);
	assert_string_equal(json_string_value(json_object_get(one, "approved_by")), "kabid1");
	assert_int_equal(json_integer_value(json_object_get(one, "accepted_until")),
	                 f->t0 + 90 * DAY);
	assert_int_equal(json_array_size(json_object_get(one, "history")), 5);
	json_decref(one);

	/* bulk: one refused refuses all */
	int64_t both[2] = {xss, id};
	finding_decision b = {.ids = both, .n_ids = 2, .state = "dalam_perbaikan",
	                      .reason = "patch case opened", .actor = "tia"};
	assert_int_equal(finding_decide(&f->a, &b, &e), -1);
	assert_non_null(strstr(e.msg, "nothing decided"));
	assert_string_equal(state_of(&f->a, xss), "baru");
	b.state = "diperbaiki";
	b.reason = "patched and verified by hand";
	assert_int_equal(finding_decide(&f->a, &b, &e), 0);
	assert_string_equal(state_of(&f->a, xss), "diperbaiki");
	assert_string_equal(state_of(&f->a, id), "diperbaiki");
	/* decisions are in the logbook: 4 on id before, 2 now */
	assert_int_equal(count_rows(&f->a, "logbook"), logged + 6);
	json_t *lb = logbook_list(&f->a, "finding:1", 1, NULL, &e);
	json_t *det = json_object_get(json_array_get(lb, 0), "details");
	assert_string_equal(json_string_value(json_object_get(det, "to")), "diperbaiki");
	assert_string_equal(json_string_value(json_object_get(det, "reason")),
	                    "patched and verified by hand");
	json_decref(lb);
}

/* A reason of blanks only is no reason (white space, no-break and
 * zero-width spaces); one with blanks around is stored without them. A
 * finding named twice in one decision is decided once. */
static void test_blank_reasons_and_repeated_ids(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL),
	                    res("10.0.0.5", "80/tcp", "xss", VULN_MEDIUM)};
	import_ok(&f->a, VULN_OPENVAS, rs, 2, NULL, 0);
	int64_t id = finding_id(&f->a, "log4shell", "443/tcp");
	int64_t xss = finding_id(&f->a, "xss", "80/tcp");
	sg_err e = {0};
	int64_t logged = count_rows(&f->a, "logbook");
	static const char *const blank[] = {
	    "     ", "\t\t\t\t", "\n\r\n \n", "\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b",
	    " \xe2\x80\x8b\t\xc2\xa0\xef\xbb\xbf\xe2\x81\xa0\xe3\x80\x80 ", "\xe2\x80\x8b a \xe2\x80\x8b"};
	for (size_t i = 0; i < sizeof blank / sizeof *blank; i++) {
		assert_int_equal(decide(&f->a, "tia", id, "positif_palsu", blank[i], &e), -1);
		assert_int_equal(e.code, SG_EINVAL);
		assert_non_null(strstr(e.msg, "needs a reason"));
	}
	assert_int_equal(count_rows(&f->a, "logbook"), logged);
	assert_string_equal(state_of(&f->a, id), "baru");
	assert_int_equal(
	    decide(&f->a, "tia", id, "positif_palsu", "\xe2\x80\x8b\n  banner only \t\xe2\x80\x8b", &e), 0);
	json_t *one = finding_get(&f->a, id, NULL, &e);
	assert_string_equal(json_string_value(json_object_get(one, "state_reason")), "banner only");
	json_t *hist = json_object_get(one, "history");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(hist, json_array_size(hist) - 1), "reason")),
	    "banner only");
	json_decref(one);

	/* the same finding twice, alone or beside another: decided once */
	int64_t twice[] = {xss, xss};
	finding_decision d = {.ids = twice, .n_ids = 2, .state = "terverifikasi", .actor = "tia"};
	assert_int_equal(finding_decide(&f->a, &d, &e), 0);
	assert_string_equal(state_of(&f->a, xss), "terverifikasi");
	int64_t mixed[] = {xss, id, xss, id};
	finding_decision m = {.ids = mixed, .n_ids = 4, .state = "dibuka_kembali",
	                      .reason = "checked again", .actor = "tia"};
	assert_int_equal(finding_decide(&f->a, &m, &e), -1); /* xss: not from terverifikasi */
	assert_null(strstr(e.msg, "already"));
	mixed[0] = mixed[2] = id;
	assert_int_equal(finding_decide(&f->a, &m, &e), 0);
	assert_string_equal(state_of(&f->a, id), "dibuka_kembali");
	/* one logbook line per finding decided: positif_palsu, xss, id */
	assert_int_equal(count_rows(&f->a, "logbook"), logged + 3);
	int64_t h = 0;
	assert_int_equal(db_query_int(f->a.db, &e, &h,
	                              "SELECT COUNT(*) FROM finding_history WHERE finding_id = ? AND "
	                              "to_state = 'dibuka_kembali'",
	                              "i", id),
	                 DB_ROW);
	assert_int_equal(h, 1);
	size_t n = 0;
	int64_t v[] = {3, 1, 3, 2, 1, 3};
	n = finding_ids_unique(v, 6);
	assert_int_equal(n, 3);
	assert_int_equal(v[0], 3);
	assert_int_equal(v[1], 1);
	assert_int_equal(v[2], 2);
}

static void test_an_expired_acceptance_seen_again_is_reopened(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL)};
	import_ok(&f->a, VULN_OPENVAS, rs, 1, NULL, 0);
	int64_t id = finding_id(&f->a, "log4shell", "443/tcp");
	finding_decision d = {.ids = &id, .n_ids = 1, .state = "risiko_diterima",
	                      .reason = "isolated", .accepted_until = f->t0 + 30 * DAY,
	                      .approver = "kabid1", .actor = "tia"};
	sg_err e = {0};
	assert_int_equal(finding_decide(&f->a, &d, &e), 0);
	f->a.fixed_now = f->t0 + 10 * DAY;
	vuln_import_summary s = import_ok(&f->a, VULN_OPENVAS, rs, 1, NULL, 0);
	assert_int_equal(s.seen_again, 1);
	assert_string_equal(state_of(&f->a, id), "risiko_diterima");
	f->a.fixed_now = f->t0 + 31 * DAY;
	s = import_ok(&f->a, VULN_OPENVAS, rs, 1, NULL, 0);
	assert_int_equal(s.reopened, 1);
	assert_string_equal(state_of(&f->a, id), "dibuka_kembali");
}

static void test_due_dates_by_severity_and_kev(void **state)
{
	fixture *f = *state;
	const app_config *c = &f->a.cfg;
	int64_t t = f->t0;
	assert_int_equal(finding_due_at(c, "critical", t, 0), t + 7 * DAY);
	assert_int_equal(finding_due_at(c, "high", t, 0), t + 30 * DAY);
	assert_int_equal(finding_due_at(c, "medium", t, 0), t + 90 * DAY);
	assert_int_equal(finding_due_at(c, "low", t, 0), t + 120 * DAY);
	assert_int_equal(finding_due_at(c, "info", t, 0), 0);
	/* KEV's due date when it is earlier, not when later */
	assert_int_equal(finding_due_at(c, "high", t, t + 14 * DAY), t + 14 * DAY);
	assert_int_equal(finding_due_at(c, "critical", t, t + 14 * DAY), t + 7 * DAY);
	assert_int_equal(finding_due_at(c, "info", t, t + 21 * DAY), t + 21 * DAY);

	/* sigap.conf's [kerentanan] */
	char path[4200];
	snprintf(path, sizeof path, "%s/sigap.conf", f->dir);
	FILE *fp = fopen(path, "w");
	fputs("[kerentanan]\ndue_critical = 3\ndue_low = 200\n", fp);
	fclose(fp);
	app_config cfg;
	sg_err e = {0};
	assert_int_equal(app_config_load(&cfg, path, &e), 0);
	assert_int_equal(finding_due_at(&cfg, "critical", t, 0), t + 3 * DAY);
	assert_int_equal(finding_due_at(&cfg, "high", t, 0), t + 30 * DAY);
	assert_int_equal(finding_due_at(&cfg, "low", t, 0), t + 200 * DAY);
	app_config_free(&cfg);
	fp = fopen(path, "w");
	fputs("[kerentanan]\ndue_high = 0\n", fp);
	fclose(fp);
	assert_int_equal(app_config_load(&cfg, path, &e), -1);
	assert_non_null(strstr(e.msg, "due_high '0' must be 1 to 3650 days"));
	app_config_free(&cfg);
	fp = fopen(path, "w");
	fputs("[kerentanan]\ndue_urgent = 1\n", fp);
	fclose(fp);
	assert_int_equal(app_config_load(&cfg, path, &e), -1);
	assert_non_null(strstr(e.msg, "unknown key 'due_urgent' in section [kerentanan]"));
	app_config_free(&cfg);

	/* an imported finding carries its due date */
	vuln_result rs[] = {res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL),
	                    res("10.0.0.5", "22/tcp", "nmap:open-port", VULN_INFO)};
	import_ok(&f->a, VULN_OPENVAS, rs, 2, NULL, 0);
	json_t *one = finding_get(&f->a, finding_id(&f->a, "log4shell", "443/tcp"), NULL, &e);
	assert_int_equal(json_integer_value(json_object_get(one, "due_at")), t + 7 * DAY);
	json_decref(one);
	one = finding_get(&f->a, finding_id(&f->a, "nmap:open-port", "22/tcp"), NULL, &e);
	assert_true(json_is_null(json_object_get(one, "due_at")));
	json_decref(one);
}

/* Writes a KEV catalog (CSV) of one entry for CVE-2021-44228 into the
 * fixture's directory and imports it. */
static vi_import_result kev_import(fixture *f, const char *added, const char *due)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/kev-%s.csv", f->dir, due);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,"
	            "requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n"
	            "CVE-2021-44228,Apache,Log4j2,Apache Log4j2 RCE,%s,JNDI lookup.,Apply updates.,"
	            "%s,Known,,CWE-917\n",
	        added, due);
	fclose(fp);
	vi_import_result r = {0};
	diags d = DIAGS_INIT;
	sg_err e = {0};
	if (vuln_intel_import(&f->a, "tia", path, VI_KEV, NULL, NULL, &r, &d, &e) != 0)
		fail_msg("KEV import: %s", e.msg);
	diags_free(&d);
	return r;
}

static int64_t due_of(app *a, int64_t id)
{
	sg_err e = {0};
	int64_t due = -1;
	assert_int_equal(db_query_int(a->db, &e, &due,
	                              "SELECT coalesce(due_at, 0) FROM findings WHERE id = ?", "i", id),
	                 DB_ROW);
	return due;
}

/* A finding of a CVE in CISA's KEV is due by the catalog's date when that
 * is sooner than its severity's; a catalog date already past when the
 * finding was first seen gives the catalog's own time to remedy from
 * then; a newer catalog moves the open findings' due dates and says how
 * many. */
static void test_kev_due_dates_from_the_catalog(void **state)
{
	fixture *f = *state;
	/* in KEV before the import: added 2026-11-01, due 2026-11-15 (WIB) */
	kev_import(f, "2026-11-01", "2026-11-15");
	vuln_result r[] = {res("10.0.0.5", "8443/tcp", "log4shell", VULN_HIGH)};
	import_ok(&f->a, VULN_OPENVAS, r, 1, NULL, 0);
	int64_t id = finding_id(&f->a, "log4shell", "8443/tcp");
	int64_t end15 = wib("2026-11-16 00:00") - 1;
	assert_int_equal(due_of(&f->a, id), end15); /* sooner than high's 30 days */
	/* a newer catalog moves the date: the import says one finding moved */
	vi_import_result k = kev_import(f, "2026-11-01", "2026-11-10");
	assert_int_equal(k.findings_due_moved, 1);
	assert_int_equal(due_of(&f->a, id), wib("2026-11-11 00:00") - 1);
	/* the same catalog again moves nothing */
	k = kev_import(f, "2026-11-01", "2026-11-10");
	assert_int_equal(k.findings_due_moved, 0);
	/* a deadline long past when the finding was first seen (t0, 2 Nov):
	 * the catalog's 21 days run from t0, not "overdue on arrival" */
	k = kev_import(f, "2021-12-10", "2021-12-24");
	assert_int_equal(k.findings_due_moved, 1);
	assert_int_equal(due_of(&f->a, id), f->t0 + 14 * DAY);
	/* a closed finding is left alone */
	sg_err e = {0};
	assert_int_equal(decide(&f->a, "tia", id, "positif_palsu", "uji", &e), 0);
	k = kev_import(f, "2026-11-01", "2026-11-20");
	assert_int_equal(k.findings_due_moved, 0);
}

static void test_overdue_is_a_passed_due_date_of_an_open_finding(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL),
	                    res("10.0.0.5", "80/tcp", "xss", VULN_MEDIUM)};
	import_ok(&f->a, VULN_OPENVAS, rs, 2, NULL, 0);
	sg_err e = {0};
	finding_filter flt = {.overdue = true};
	int64_t total = -1;
	f->a.fixed_now = f->t0 + 7 * DAY - 1;
	json_decref(finding_list(&f->a, &flt, &total, &e));
	assert_int_equal(total, 0);
	f->a.fixed_now = f->t0 + 8 * DAY;
	json_t *rows = finding_list(&f->a, &flt, &total, &e);
	assert_int_equal(total, 1);
	assert_true(json_is_true(json_object_get(json_array_get(rows, 0), "overdue")));
	json_decref(rows);
	int64_t id = finding_id(&f->a, "log4shell", "443/tcp");
	assert_int_equal(decide(&f->a, "tia", id, "terverifikasi", NULL, &e), 0);
	json_decref(finding_list(&f->a, &flt, &total, &e));
	assert_int_equal(total, 1); /* verified is still open */
	assert_int_equal(decide(&f->a, "tia", id, "positif_palsu", "not reachable", &e), 0);
	json_decref(finding_list(&f->a, &flt, &total, &e));
	assert_int_equal(total, 0);
}

static void test_a_failed_import_leaves_nothing(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL),
	                    res("203.0.113.1", "22/tcp", "ssh-weak", VULN_LOW),
	                    res("10.0.0.5", "80/tcp", "broken", VULN_LOW)};
	rs[2].title = NULL; /* a result the importer refuses, after two stored */
	const char *const targets[] = {"10.0.0.5"};
	int64_t logged = count_rows(&f->a, "logbook");
	vuln_import_summary s;
	sg_err e = {0};
	assert_int_equal(
	    import_ex(&f->a, "tia", VULN_OPENVAS, rs, 3, targets, 1, false, 0, &s, &e), -1);
	assert_non_null(strstr(e.msg, "result 3 has no title"));
	assert_int_equal(count_rows(&f->a, "findings"), 0);
	assert_int_equal(count_rows(&f->a, "finding_cves"), 0);
	assert_int_equal(count_rows(&f->a, "finding_history"), 0);
	assert_int_equal(count_rows(&f->a, "vuln_imports"), 0);
	assert_int_equal(count_rows(&f->a, "evidence"), 0);
	assert_int_equal(count_rows(&f->a, "logbook"), logged);
	/* neither the stored report nor its spool file */
	char cmd[4400];
	snprintf(cmd, sizeof cmd,
	         "test -z \"$(find '%s/evidence' -type f ! -name '*.lock' 2>/dev/null)\"", f->dir);
	assert_int_equal(system(cmd), 0);

	/* the scanner told by the report's info at the end (--scanner auto) */
	vuln_import_summary s2;
	assert_int_equal(import_ex(&f->a, "tia", VULN_AUTO, rs, 2, NULL, 0, false, 0, &s2, &e), 0);
	assert_int_equal(count_rows(&f->a, "findings"), 2);
	assert_int_equal(finding_count(&f->a, "scanner = 'nmap'"), 2); /* told by the report */

	/* a report of another scanner than the one asked for is refused whole */
	vuln_result one[] = {res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL)};
	evidence_file file;
	assert_int_equal(evidence_spool_data(&f->a, "x", 1, &file, &e), 0);
	vuln_import_req req = {.actor = "tia", .file = &file, .filename = "r.json",
	                       .scanner = VULN_NUCLEI};
	vuln_import *im = vuln_import_begin(&f->a, &req, &e);
	assert_non_null(im);
	assert_int_equal(vuln_import_result(im, &one[0], &e), 0);
	vuln_report_info wpscan = {.scanner = VULN_WPSCAN};
	assert_int_equal(vuln_import_end(im, &wpscan, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "the report is wpscan's, not nuclei's"));
	assert_int_equal(count_rows(&f->a, "findings"), 2);
	assert_int_equal(count_rows(&f->a, "vuln_imports"), 1);

	/* and an importer who may not */
	assert_int_equal(import_ex(&f->a, "rina", VULN_OPENVAS, rs, 2, NULL, 0, false, 0, &s, &e),
	                 -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_int_equal(count_rows(&f->a, "vuln_imports"), 1);
}

static void test_officer_named_asset_takes_every_result(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {res("198.51.100.7", "443/tcp", "log4shell", VULN_CRITICAL)};
	rs[0].host = NULL;
	rs[0].port = NULL;
	rs[0].url = "https://[2001:db8::7]:8443/app";
	vuln_import_summary s;
	sg_err e = {0};
	assert_int_equal(
	    import_ex(&f->a, "tia", VULN_NUCLEI, rs, 1, NULL, 0, false, f->web, &s, &e), 0);
	assert_int_equal(s.unmatched, 0);
	json_t *one = finding_get(&f->a, 1, NULL, &e);
	assert_string_equal(json_string_value(json_object_get(one, "host")), "2001:db8::7");
	assert_string_equal(json_string_value(json_object_get(one, "endpoint")),
	                    "https://[2001:db8::7]:8443/app");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(one, "asset"), "id")),
	                 f->web);
	json_decref(one);
	assert_int_equal(
	    import_ex(&f->a, "tia", VULN_NUCLEI, rs, 1, NULL, 0, false, 4242, &s, &e), -1);
	assert_non_null(strstr(e.msg, "no asset 4242"));
}

/* A named asset takes the results of targets the register gives to no
 * asset; a target of another asset refuses the whole import, and the
 * "no longer present" pass looks at the named asset only. */
static void test_a_named_asset_takes_no_other_assets_targets(void **state)
{
	fixture *f = *state;
	const char *const both[] = {"10.0.0.5", "10.0.9.9"};
	vuln_result rs[] = {res("10.0.0.5", "22/tcp", "nmap:open-port", VULN_INFO),
	                    res("10.0.9.9", "22/tcp", "nmap:open-port", VULN_INFO)};
	import_ok(&f->a, VULN_NMAP, rs, 2, both, 2);
	int64_t before = finding_count(&f->a, "1 = 1");
	vuln_import_summary s;
	sg_err e = {0};
	/* 10.0.9.9 is BAPPEDA's "other": not to be put on DINKES's web */
	vuln_result mixed[] = {res("203.0.113.50", "80/tcp", "nmap:open-port", VULN_INFO),
	                       res("10.0.9.9", "443/tcp", "nmap:open-port", VULN_INFO)};
	assert_int_equal(
	    import_ex(&f->a, "tia", VULN_NMAP, mixed, 2, both, 2, false, f->web, &s, &e), -1);
	char want[96];
	snprintf(want, sizeof want, "10.0.9.9 is asset %lld (", (long long)f->other);
	assert_non_null(strstr(e.msg, want));
	assert_int_equal(e.code, SG_ECONFLICT);
	assert_int_equal(finding_count(&f->a, "1 = 1"), before); /* nothing stored */
	assert_int_equal(finding_count(&f->a, "host = '203.0.113.50'"), 0);
	assert_int_equal(finding_count(&f->a, "state = 'diperbaiki'"), 0);
	/* a target no asset has goes on the named one; the report's other
	 * targets' findings, on other assets, are not this import's to close */
	const char *const targets[] = {"203.0.113.50", "10.0.9.9", "10.0.0.5"};
	e = (sg_err){0};
	assert_int_equal(
	    import_ex(&f->a, "tia", VULN_NMAP, mixed, 1, targets, 3, false, f->web, &s, &e), 0);
	assert_int_equal(s.new_count, 1);
	assert_int_equal(s.gone, 0);
	char where[64];
	snprintf(where, sizeof where, "host = '203.0.113.50' AND asset_id = %lld", (long long)f->web);
	assert_int_equal(finding_count(&f->a, where), 1);
	assert_int_equal(finding_count(&f->a, "state = 'diperbaiki'"), 0);
	/* a rescan of the named asset closes its own */
	assert_int_equal(
	    import_ex(&f->a, "tia", VULN_NMAP, NULL, 0, targets, 3, false, f->web, &s, &e), 0);
	assert_int_equal(s.gone, 1);
	assert_int_equal(finding_count(&f->a, "state = 'diperbaiki'"), 1);
	assert_int_equal(finding_count(&f->a, "state = 'baru' AND host IN ('10.0.0.5', '10.0.9.9')"),
	                 2);
}

/* A finding at a URL is closed by a full rescan of its origin (scheme,
 * host, port) only: not by one of another port or scheme of the host,
 * nor by one with no URL at all (a DNS template's). */
static void test_a_url_finding_is_closed_only_by_a_rescan_of_its_origin(void **state)
{
	fixture *f = *state;
	vuln_result first[] = {res("h9.example", NULL, "nuclei:panel", VULN_HIGH),
	                       res("h9.example", NULL, "nuclei:http-x", VULN_MEDIUM)};
	first[0].url = "https://h9.example:8443/admin";
	first[1].url = "http://h9.example/x";
	const char *const h9[] = {"h9.example"};
	vuln_import_summary s = import_ok(&f->a, VULN_NUCLEI, first, 2, h9, 1);
	assert_int_equal(s.new_count, 2);
	int64_t panel = finding_id(&f->a, "nuclei:panel", "https://h9.example:8443/admin");
	int64_t httpx = finding_id(&f->a, "nuclei:http-x", "http://h9.example/x");
	/* records of https://h9.example (port 443) */
	vuln_result other[] = {res("h9.example", NULL, "nuclei:other", VULN_LOW)};
	other[0].url = "https://h9.example/login";
	s = import_ok(&f->a, VULN_NUCLEI, other, 1, h9, 1);
	assert_int_equal(s.gone, 0);
	assert_int_equal(s.unscanned, 2);
	/* a DNS record of the host, no URL */
	vuln_result dns[] = {res("h9.example", NULL, "nuclei:dns-caa", VULN_INFO)};
	s = import_ok(&f->a, VULN_NUCLEI, dns, 1, h9, 1);
	assert_int_equal(s.gone, 0);
	assert_int_equal(s.unscanned, 3);
	assert_string_equal(state_of(&f->a, panel), "baru");
	assert_string_equal(state_of(&f->a, httpx), "baru");
	/* the panel's origin, written otherwise, covers it */
	other[0].url = "HTTPS://H9.example:8443/elsewhere";
	s = import_ok(&f->a, VULN_NUCLEI, other, 1, h9, 1);
	assert_string_equal(state_of(&f->a, panel), "diperbaiki");
	assert_string_equal(state_of(&f->a, httpx), "baru");
	/* a target given as the URL of the origin covers it too */
	const char *const site[] = {"h9.example", "http://h9.example:80/"};
	s = import_ok(&f->a, VULN_NUCLEI, NULL, 0, site, 2);
	assert_string_equal(state_of(&f->a, httpx), "diperbaiki");
	/* a run of web templates alone says nothing of the network ones: the
	 * DNS record and a port's finding stay open until a run that has a
	 * result of no URL (network or DNS templates ran) */
	int64_t caa = finding_id(&f->a, "nuclei:dns-caa", "");
	vuln_result ssh[] = {res("h9.example", "22/tcp", "nuclei:ssh-weak", VULN_MEDIUM),
	                     res("h9.example", NULL, "nuclei:dns-caa", VULN_INFO)};
	import_ok(&f->a, VULN_NUCLEI, ssh, 2, h9, 1);
	assert_string_equal(state_of(&f->a, caa), "baru");
	int64_t weak = finding_id(&f->a, "nuclei:ssh-weak", "22/tcp");
	other[0].url = "https://h9.example/login";
	s = import_ok(&f->a, VULN_NUCLEI, other, 1, h9, 1);
	assert_int_equal(s.gone, 0);
	assert_string_equal(state_of(&f->a, caa), "baru");
	assert_string_equal(state_of(&f->a, weak), "baru");
	/* a run of network templates closes the port's finding, not the DNS
	 * record's; a run of DNS templates then closes that */
	vuln_result ftp[] = {res("h9.example", "21/tcp", "nuclei:ftp-anon", VULN_MEDIUM)};
	s = import_ok(&f->a, VULN_NUCLEI, ftp, 1, h9, 1);
	assert_string_equal(state_of(&f->a, weak), "diperbaiki");
	assert_string_equal(state_of(&f->a, caa), "baru");
	vuln_result mx[] = {res("h9.example", NULL, "nuclei:dns-mx", VULN_INFO)};
	s = import_ok(&f->a, VULN_NUCLEI, mx, 1, h9, 1);
	assert_string_equal(state_of(&f->a, caa), "diperbaiki");
	assert_string_equal(state_of(&f->a, finding_id(&f->a, "nuclei:ftp-anon", "21/tcp")),
	                    "baru");
}

/* Results of a severity the scanner did not give or sigap does not know
 * are stored as info and counted. */
static void test_unknown_severities_are_counted(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {res("10.0.0.5", "80/tcp", "nuclei:a", VULN_INFO),
	                    res("10.0.0.5", "81/tcp", "nuclei:b", VULN_INFO),
	                    res("10.0.0.5", "82/tcp", "nuclei:c", VULN_HIGH)};
	rs[0].severity_unknown = rs[1].severity_unknown = true;
	vuln_import_summary s = import_ok(&f->a, VULN_NUCLEI, rs, 3, NULL, 0);
	assert_int_equal(s.severity_unknown, 2);
	assert_int_equal(finding_count(&f->a, "severity = 'info'"), 2);
}

static void test_findings_follow_their_assets_opd(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL),
	                    res("10.0.9.9", "443/tcp", "log4shell", VULN_CRITICAL),
	                    res("203.0.113.4", "443/tcp", "log4shell", VULN_CRITICAL)};
	import_ok(&f->a, VULN_OPENVAS, rs, 3, NULL, 0);
	sg_err e = {0};
	int64_t total = -1;
	finding_filter flt = {.viewer = "tia"};
	json_decref(finding_list(&f->a, &flt, &total, &e));
	assert_int_equal(total, 3);
	flt.viewer = "agen1"; /* DINKES's agent: DINKES's finding only */
	json_t *rows = finding_list(&f->a, &flt, &total, &e);
	assert_int_equal(total, 1);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(json_array_get(rows, 0), "asset"), "opd")),
	                    "DINKES");
	json_decref(rows);
	flt.viewer = "rina";
	json_decref(finding_list(&f->a, &flt, &total, &e));
	assert_int_equal(total, 0);
	flt.viewer = "nobody";
	json_decref(finding_list(&f->a, &flt, &total, &e));
	assert_int_equal(total, 0);
	int64_t bappeda = 0;
	db_query_int(f->a.db, &e, &bappeda, "SELECT id FROM findings WHERE host = '10.0.9.9'", "");
	assert_null(finding_get(&f->a, bappeda, "agen1", &e));
	assert_int_equal(e.code, SG_ENOTFOUND);
	json_t *own = finding_get(&f->a, 1, "agen1", &e);
	assert_non_null(own);
	json_decref(own);
}

static void test_list_filters_sort_and_pages(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL),
	                    res("10.0.0.5", "80/tcp", "xss_100%", VULN_MEDIUM),
	                    res("10.0.9.9", "22/tcp", "ssh-weak", VULN_LOW),
	                    res("dinkes.example.go.id", "443/tcp", "tls-old", VULN_HIGH)};
	import_ok(&f->a, VULN_OPENVAS, rs, 4, NULL, 0);
	sg_err e = {0};
	int64_t total = -1;
	finding_filter flt = {.cve = "cve-2021-44228"};
	json_decref(finding_list(&f->a, &flt, &total, &e));
	assert_int_equal(total, 1);
	finding_filter sev = {.severity = "high", .min_severity = true};
	json_decref(finding_list(&f->a, &sev, &total, &e));
	assert_int_equal(total, 2);
	finding_filter opd = {.opd = "bappeda"};
	json_decref(finding_list(&f->a, &opd, &total, &e));
	assert_int_equal(total, 1);
	finding_filter q = {.q = "100%"};
	json_decref(finding_list(&f->a, &q, &total, &e));
	assert_int_equal(total, 1);
	finding_filter q2 = {.q = "_"}; /* literal, not a wildcard */
	json_decref(finding_list(&f->a, &q2, &total, &e));
	assert_int_equal(total, 1);
	finding_filter by_sev = {.sort = FINDING_SORT_SEVERITY, .limit = 2, .offset = 1};
	json_t *rows = finding_list(&f->a, &by_sev, &total, &e);
	assert_int_equal(total, 4);
	assert_int_equal(json_array_size(rows), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "severity")),
	                    "high");
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "severity")),
	                    "medium");
	json_decref(rows);
	finding_filter bad = {.state = "closed"};
	assert_null(finding_list(&f->a, &bad, &total, &e));
	assert_non_null(strstr(e.msg, "unknown finding state \"closed\""));
	finding_filter open = {.state = "open"};
	json_decref(finding_list(&f->a, &open, &total, &e));
	assert_int_equal(total, 4);
}

/* KEV and EPSS beside CVSS: the list's fields, filters, sorts and counts
 * follow the intelligence imported after the findings. */
static void test_list_by_kev_and_epss(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {res("10.0.0.5", "443/tcp", "log4shell", VULN_HIGH),
	                    res("10.0.0.5", "22/tcp", "ssh-weak", VULN_CRITICAL)};
	import_ok(&f->a, VULN_OPENVAS, rs, 2, NULL, 0);
	sg_err e = {0};
	int64_t total = -1;
	finding_filter kev = {.kev = 1};
	json_decref(finding_list(&f->a, &kev, &total, &e));
	assert_int_equal(total, 0); /* nothing known yet */
	kev_import(f, "2026-11-01", "2026-11-15");
	char path[4096];
	snprintf(path, sizeof path, "%s/epss.csv", f->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("#model_version:v2025.03.14,score_date:2026-11-01T00:00:00+0000\n"
	      "cve,epss,percentile\nCVE-2021-44228,0.97500,0.99990\n",
	      fp);
	fclose(fp);
	vi_import_result ir = {0};
	diags d = DIAGS_INIT;
	if (vuln_intel_import(&f->a, "tia", path, VI_EPSS, NULL, NULL, &ir, &d, &e) != 0)
		fail_msg("EPSS import: %s", e.msg);
	diags_free(&d);
	json_t *rows = finding_list(&f->a, &kev, &total, &e);
	assert_int_equal(total, 1);
	json_t *r = json_array_get(rows, 0);
	assert_string_equal(json_string_value(json_object_get(r, "vuln_key")), "log4shell");
	assert_true(json_is_true(json_object_get(r, "kev")));
	assert_true(json_is_true(json_object_get(r, "kev_ransomware")));
	assert_string_equal(json_string_value(json_object_get(r, "kev_due_date")), "2026-11-15");
	assert_true(json_number_value(json_object_get(r, "epss")) == 0.975);
	assert_true(json_number_value(json_object_get(r, "epss_percentile")) == 0.9999);
	json_decref(rows);
	finding_filter nokev = {.kev = -1};
	rows = finding_list(&f->a, &nokev, &total, &e);
	assert_int_equal(total, 1);
	assert_true(json_is_null(json_object_get(json_array_get(rows, 0), "epss")));
	assert_true(json_is_false(json_object_get(json_array_get(rows, 0), "kev")));
	json_decref(rows);
	finding_filter epss = {.min_epss = 0.9};
	json_decref(finding_list(&f->a, &epss, &total, &e));
	assert_int_equal(total, 1);
	epss.min_epss = 0.99;
	json_decref(finding_list(&f->a, &epss, &total, &e));
	assert_int_equal(total, 0);
	epss.min_epss = 1.5;
	assert_null(finding_list(&f->a, &epss, &total, &e));
	assert_non_null(strstr(e.msg, "from 0 to 1"));
	/* the critical finding is due first; by EPSS or KEV the scored one */
	finding_filter by = {.sort = FINDING_SORT_DUE};
	for (int k = 0; k < 3; k++) {
		by.sort = k == 0 ? FINDING_SORT_SEVERITY : k == 1 ? FINDING_SORT_EPSS : FINDING_SORT_KEV;
		rows = finding_list(&f->a, &by, &total, &e);
		assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "vuln_key")),
		                    k == 0 ? "ssh-weak" : "log4shell");
		json_decref(rows);
	}
	finding_sort s;
	assert_true(finding_sort_parse("epss", &s) && s == FINDING_SORT_EPSS);
	assert_true(finding_sort_parse("kev", &s) && s == FINDING_SORT_KEV);
	int64_t counts[5];
	finding_filter all = {0};
	assert_int_equal(finding_counts(&f->a, &all, counts, &e), 0);
	assert_int_equal(counts[4], 1);
	assert_int_equal(counts[3], 1);
	assert_int_equal(counts[0] + counts[1] + counts[2], 0);
	/* one finding: each CVE with what is stored of it */
	json_t *one = finding_get(&f->a, finding_id(&f->a, "log4shell", "443/tcp"), NULL, &e);
	assert_non_null(one);
	json_t *ci = json_array_get(json_object_get(one, "cve_intel"), 0);
	assert_string_equal(json_string_value(json_object_get(ci, "cve")), "CVE-2021-44228");
	assert_true(json_is_object(json_object_get(ci, "kev")));
	assert_true(json_is_object(json_object_get(ci, "epss")));
	assert_true(json_is_null(json_object_get(ci, "record")));
	json_decref(one);
}

/* A report received into the spool (the web's upload) imports whole; a
 * refused one is named in the message by the name it was sent with. */
static void test_a_spooled_report_and_its_name_in_messages(void **state)
{
	fixture *f = *state;
	static const char report[] = "{\"template-id\":\"panel\",\"info\":{\"name\":\"Panel\","
	                             "\"severity\":\"medium\"},\"type\":\"http\",\"host\":"
	                             "\"http://10.0.0.5\",\"matched-at\":\"http://10.0.0.5/admin\"}\n";
	static const char xxe[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "
	                          "\"file:///etc/passwd\">]>\n<report>&x;</report>\n";
	sg_err e = {0};
	evidence_file file;
	assert_int_equal(evidence_spool_data(&f->a, report, strlen(report), &file, &e), 0);
	vuln_import_req req = {.actor = "tia", .origin = "test", .file = &file,
	                       .filename = "nuclei.jsonl", .scanner = VULN_AUTO};
	vuln_import_summary sum;
	if (vuln_import_spooled(&f->a, &req, &sum, &e) != 0)
		fail_msg("import: %s", e.msg);
	assert_int_equal(sum.new_count, 1);
	assert_int_equal(evidence_spool_data(&f->a, xxe, strlen(xxe), &file, &e), 0);
	char spool[sizeof file.path];
	snprintf(spool, sizeof spool, "%s", file.path);
	req.file = &file;
	req.filename = "kiriman.xml";
	assert_int_equal(vuln_import_spooled(&f->a, &req, &sum, &e), -1);
	assert_non_null(strstr(e.msg, "kiriman.xml"));
	assert_null(strstr(e.msg, spool));
	int64_t n = -1;
	json_t *log = vuln_import_list(&f->a, NULL, 10, 0, &n, &e);
	assert_non_null(log);
	json_decref(log);
	assert_int_equal(n, 1);
	/* the import log is the staff's */
	assert_null(vuln_import_list(&f->a, "rina", 10, 0, &n, &e));
	assert_int_equal(e.code, SG_EPERM);
}

/* A report imported from its text by tia, its scanner told from it
 * (vuln_import_spooled). */
static vuln_import_summary spooled(fixture *f, const char *text, const char *name)
{
	sg_err e = {0};
	evidence_file file;
	assert_int_equal(evidence_spool_data(&f->a, text, strlen(text), &file, &e), 0);
	vuln_import_req req = {.actor = "tia", .origin = "test", .file = &file, .filename = name,
	                       .scanner = VULN_AUTO};
	vuln_import_summary sum;
	if (vuln_import_spooled(&f->a, &req, &sum, &e) != 0)
		fail_msg("import: %s", e.msg);
	return sum;
}

static const char *server_last(size_t i)
{
	return i == 2999 ? "10.0.0.5" : "198.51.100.7";
}

/* The parser runs on a thread of its own and hands results over through
 * a bounded queue (findings_pipe.c): thousands of results all arrive, in
 * order; a result the store refuses stops the parse and rolls everything
 * back; a parse that fails after thousands of results stores none. */
static void test_a_report_read_on_one_thread_and_stored_on_another(void **state)
{
	fixture *f = *state;
	char *ok = ff_nuclei_lines(5000, ff_outside, SIZE_MAX);
	vuln_import_summary sum = spooled(f, ok, "besar.jsonl");
	free(ok);
	assert_int_equal(sum.results, 5000);
	assert_int_equal(sum.new_count, 5000);
	assert_int_equal(finding_count(&f->a, "vuln_key LIKE 'nuclei:t%'"), 5000);
	assert_int_equal(finding_count(&f->a, "vuln_key = 'nuclei:t4999' AND id = (SELECT MAX(id) "
	                                      "FROM findings)"),
	                 1);
	int64_t imports = count_rows(&f->a, "vuln_imports");

	/* the 3,000th result is another asset's: refused, nothing kept */
	sg_err e = {0};
	evidence_file file;
	char *refused = ff_nuclei_lines(5000, server_last, SIZE_MAX);
	assert_int_equal(evidence_spool_data(&f->a, refused, strlen(refused), &file, &e), 0);
	free(refused);
	vuln_import_req req = {.actor = "tia", .origin = "test", .file = &file,
	                       .filename = "lain.jsonl", .scanner = VULN_AUTO, .asset_id = f->web};
	assert_int_equal(vuln_import_spooled(&f->a, &req, &sum, &e), -1);
	assert_int_equal(e.code, SG_ECONFLICT);
	assert_non_null(strstr(e.msg, "10.0.0.5"));
	assert_int_equal(count_rows(&f->a, "vuln_imports"), imports);
	assert_int_equal(finding_count(&f->a, "asset_id IS NOT NULL"), 0);

	/* cut short at its 4,001st line */
	char *cut = ff_nuclei_lines(4500, ff_outside, 4000);
	assert_int_equal(evidence_spool_data(&f->a, cut, strlen(cut), &file, &e), 0);
	free(cut);
	req.filename = "rusak.jsonl";
	req.asset_id = 0;
	assert_int_equal(vuln_import_spooled(&f->a, &req, &sum, &e), -1);
	assert_non_null(strstr(e.msg, "rusak.jsonl"));
	assert_int_equal(count_rows(&f->a, "vuln_imports"), imports);
	assert_int_equal(count_rows(&f->a, "findings"), 5000);
}

/* A string of n bytes: prefix, then c to the end; malloc'd. */
static char *long_text(const char *prefix, char c, size_t n)
{
	char *s = malloc(n + 1);
	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	memcpy(s, prefix, strlen(prefix));
	return s;
}

/* A result counts in the import's queue (findings_pipe.c) for all it
 * holds: its references, URL and identity as much as its texts. When
 * only the texts counted, a report of records with a megabyte of
 * references each piled QUEUE_RESULTS of them (a quarter of a gigabyte)
 * in the queue while the store was behind. */
static void test_the_import_queue_counts_every_byte_of_a_result(void **state)
{
	fixture *f = *state;
	enum { BIG = 256 * 1024 };
	char *ref_mem[4];
	const char *refs[4];
	for (int k = 0; k < 4; k++) {
		char prefix[40];
		snprintf(prefix, sizeof prefix, "https://ref.example/%d/", k);
		refs[k] = ref_mem[k] = long_text(prefix, 'r', BIG);
	}
	char *url = long_text("http://10.0.0.9/", 'u', BIG), *id = long_text("nuclei:", 'i', BIG);
	vuln_result r = {.host = "10.0.0.9", .url = url, .vuln_id = id, .title = "T",
	                 .severity = VULN_LOW, .cvss3_score = -1, .cvss4_score = -1,
	                 .refs = refs, .n_refs = 4};
	size_t held = vuln_import_queued_bytes(&r);
	assert_true(held >= 6 * (size_t)BIG);
	assert_true(held >= vuln_result_size(&r));
	size_t copied = 0;
	vuln_result *c = vuln_result_dup(&r, &copied);
	assert_non_null(c);
	assert_true(copied == vuln_result_size(&r));
	assert_int_equal(c->n_refs, 4);
	assert_string_equal(c->refs[3], refs[3]);
	assert_string_equal(c->url, url);
	assert_string_equal(c->vuln_id, id);
	assert_true(vuln_import_queued_bytes(c) == held);
	free(c);
	for (int k = 0; k < 4; k++)
		free(ref_mem[k]);
	free(url);
	free(id);

	/* twelve such records (a megabyte of references each, past the
	 * queue's bytes together) all arrive */
	json_t *list = json_array();
	for (int k = 0; k < 4; k++) {
		char prefix[40];
		snprintf(prefix, sizeof prefix, "https://ref.example/%d/", k);
		char *u = long_text(prefix, 'r', BIG);
		json_array_append_new(list, json_string(u));
		free(u);
	}
	char *report = NULL;
	size_t len = 0;
	for (int i = 0; i < 12; i++) {
		char tid[16], at[48];
		snprintf(tid, sizeof tid, "ref%d", i);
		snprintf(at, sizeof at, "http://10.0.0.9/r%d", i);
		json_t *rec = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:O}}", "template-id", tid,
		                        "host", "http://10.0.0.9", "matched-at", at, "info", "name",
		                        "T", "severity", "low", "reference", list);
		char *line = json_dumps(rec, JSON_COMPACT);
		json_decref(rec);
		assert_non_null(line);
		size_t n = strlen(line);
		report = realloc(report, len + n + 2);
		assert_non_null(report);
		memcpy(report + len, line, n);
		report[len + n] = '\n';
		report[len + n + 1] = '\0';
		len += n + 1;
		free(line);
	}
	json_decref(list);
	vuln_import_summary sum = spooled(f, report, "referensi.jsonl");
	free(report);
	assert_int_equal(sum.results, 12);
	assert_int_equal(sum.new_count, 12);
	assert_int_equal(finding_count(&f->a, "vuln_key LIKE 'nuclei:ref%'"), 12);
}

/* A rescan closes only what it scanned: an Nmap run over some ports (its
 * scaninfo) leaves the findings on the other ports open, and a ping scan
 * (no ports) closes no port's finding. */
static void test_a_rescan_of_some_ports_closes_only_those(void **state)
{
	fixture *f = *state;
	static const char full[] =
	    "<?xml version=\"1.0\"?>\n<nmaprun scanner=\"nmap\" start=\"1796004000\">\n"
	    "<scaninfo type=\"syn\" protocol=\"tcp\" numservices=\"1000\" services=\"1-1000\"/>\n"
	    "<host><status state=\"up\"/><address addr=\"10.0.0.5\" addrtype=\"ipv4\"/><ports>"
	    "<port protocol=\"tcp\" portid=\"22\"><state state=\"open\"/></port>"
	    "<port protocol=\"tcp\" portid=\"80\"><state state=\"open\"/></port>"
	    "<port protocol=\"tcp\" portid=\"443\"><state state=\"open\"/></port>"
	    "</ports></host></nmaprun>\n";
	static const char some[] =
	    "<?xml version=\"1.0\"?>\n<nmaprun scanner=\"nmap\" start=\"1796004000\">\n"
	    "<scaninfo type=\"syn\" protocol=\"tcp\" numservices=\"2\" services=\"80,443\"/>\n"
	    "<host><status state=\"up\"/><address addr=\"10.0.0.5\" addrtype=\"ipv4\"/><ports>"
	    "<port protocol=\"tcp\" portid=\"443\"><state state=\"open\"/></port>"
	    "</ports></host></nmaprun>\n";
	static const char ping[] =
	    "<?xml version=\"1.0\"?>\n<nmaprun scanner=\"nmap\" args=\"nmap -sn\">\n"
	    "<host><status state=\"up\"/><address addr=\"10.0.0.5\" addrtype=\"ipv4\"/>"
	    "</host></nmaprun>\n";
	vuln_import_summary s = spooled(f, full, "nmap.xml");
	assert_int_equal(s.new_count, 3);
	int64_t p22 = finding_id(&f->a, "nmap:open-port", "22/tcp");
	int64_t p80 = finding_id(&f->a, "nmap:open-port", "80/tcp");
	int64_t p443 = finding_id(&f->a, "nmap:open-port", "443/tcp");

	/* ports 80 and 443 only: 80 is gone, 22 was not scanned */
	f->a.fixed_now = f->t0 + DAY;
	s = spooled(f, some, "nmap.xml");
	assert_int_equal(s.seen_again, 1);
	assert_int_equal(s.gone, 1);
	assert_int_equal(s.unscanned, 1);
	assert_string_equal(state_of(&f->a, p80), "diperbaiki");
	assert_string_equal(state_of(&f->a, p22), "baru");
	assert_string_equal(state_of(&f->a, p443), "baru");

	/* a ping scan tells the host is up and scans no port */
	f->a.fixed_now = f->t0 + 2 * DAY;
	s = spooled(f, ping, "nmap.xml");
	assert_int_equal(s.gone, 0);
	assert_int_equal(s.unscanned, 2);
	assert_string_equal(state_of(&f->a, p22), "baru");
	assert_string_equal(state_of(&f->a, p443), "baru");

	/* the full range again, with nothing open: both go */
	f->a.fixed_now = f->t0 + 3 * DAY;
	static const char none[] =
	    "<?xml version=\"1.0\"?>\n<nmaprun scanner=\"nmap\">\n"
	    "<scaninfo type=\"syn\" protocol=\"tcp\" numservices=\"1000\" services=\"1-1000\"/>\n"
	    "<host><status state=\"up\"/><address addr=\"10.0.0.5\" addrtype=\"ipv4\"/>"
	    "</host></nmaprun>\n";
	s = spooled(f, none, "nmap.xml");
	assert_int_equal(s.gone, 2);
	assert_int_equal(s.unscanned, 0);
	assert_false(s.partial);
	assert_string_equal(state_of(&f->a, p22), "diperbaiki");
}

/* A report's texts and lists past what a finding keeps (findings.h): a
 * crafted Nuclei record with a 200 KiB description of two-byte
 * characters, a long title and reference, 1,500 CVEs and 300
 * references; the finding keeps each text within its limit, cut where a
 * character begins with the mark, 1,000 CVEs (also across imports) and
 * 200 references. */
static void test_scanner_texts_and_lists_are_capped(void **state)
{
	fixture *f = *state;
	for (int round = 0; round < 2; round++) {
		size_t dn = 200 * 1024;
		char *desc = malloc(dn + 2);
		desc[0] = 'x'; /* odd: the limit falls inside a character */
		for (size_t i = 1; i + 1 < dn; i += 2)
			memcpy(desc + i, "\xc3\xa9", 2); /* é */
		desc[dn - 1] = '\0';
		char *title = malloc(6001), *ref = malloc(6001);
		memset(title, 'T', 6000);
		title[6000] = '\0';
		snprintf(ref, 6001, "https://ref.example/%05d", 0);
		memset(ref + strlen(ref), 'r', 6000 - strlen(ref));
		ref[6000] = '\0';
		json_t *cves = json_array(), *refs = json_array();
		for (int i = 0; i < 1500; i++) {
			char c[32];
			snprintf(c, sizeof c, "CVE-%d-%d", 2020 + round, 10000 + i);
			json_array_append_new(cves, json_string(c));
		}
		json_array_append_new(refs, json_string(ref));
		for (int i = 1; i < 300; i++) {
			char u[64];
			snprintf(u, sizeof u, "https://ref.example/%05d", i);
			json_array_append_new(refs, json_string(u));
		}
		json_t *rec = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:o, s:{s:o}}}",
		                        "template-id", "big", "host", "http://10.0.0.5",
		                        "matched-at", "http://10.0.0.5/x", "info", "name", title,
		                        "severity", "high", "description", desc, "remediation", desc,
		                        "reference", refs, "classification", "cve-id", cves);
		char *line = json_dumps(rec, JSON_COMPACT);
		json_decref(rec);
		free(desc);
		free(title);
		free(ref);
		spooled(f, line, "big.jsonl");
		free(line);
	}
	int64_t id = finding_id(&f->a, "nuclei:big", "http://10.0.0.5/x");
	sg_err e = {0};
	json_t *one = finding_get(&f->a, id, NULL, &e);
	assert_non_null(one);
	static const char mark[] = " \xe2\x80\xa6[dipotong]";
	const char *texts[] = {"description", "solution", "title"};
	size_t max[] = {FINDING_TEXT_MAX, FINDING_TEXT_MAX, FINDING_FIELD_MAX};
	for (size_t i = 0; i < 3; i++) {
		const char *t = json_string_value(json_object_get(one, texts[i]));
		assert_non_null(t);
		size_t n = strlen(t);
		assert_true(n <= max[i]);
		assert_true(n > max[i] - 8);
		assert_true(utf8_valid(t, n));
		assert_string_equal(t + n - strlen(mark), mark);
	}
	json_t *refs = json_object_get(one, "refs");
	assert_int_equal(json_array_size(refs), FINDING_REFS_MAX);
	size_t longest = 0;
	size_t i;
	json_t *r;
	json_array_foreach(refs, i, r) if (json_string_length(r) > longest) longest =
	    json_string_length(r);
	assert_true(longest <= FINDING_FIELD_MAX);
	json_decref(one);
	int64_t n = 0;
	assert_int_equal(db_query_int(f->a.db, &e, &n,
	                              "SELECT COUNT(*) FROM finding_cves WHERE finding_id = ?", "i", id),
	                 DB_ROW);
	assert_int_equal(n, FINDING_CVES_MAX);
}

/* The list's totals come from the counts the triggers keep
 * (0018_finding_list.sql): after imports, a rescan changing a severity,
 * decisions, an attach that merges two findings and an asset moved to
 * another OPD, each total is what counting the findings gives, and the
 * page lists as many. */
/* finding_counts and finding_totals equal to counting the findings, and
 * every finding's OPD its asset's. */
static void assert_counts_kept(app *a)
{
	sg_err e = {0};
	int64_t off = -1;
	assert_int_equal(
	    db_query_int(a->db, &e, &off,
	                 "SELECT COUNT(*) FROM (SELECT * FROM (SELECT COALESCE(asset_id, 0), severity, "
	                 "state, COUNT(*) FROM findings GROUP BY 1, 2, 3 EXCEPT SELECT asset_id, "
	                 "severity, state, n FROM finding_counts) AS a UNION ALL SELECT * FROM (SELECT "
	                 "asset_id, severity, state, n FROM finding_counts WHERE n > 0 EXCEPT SELECT "
	                 "COALESCE(asset_id, 0), severity, state, COUNT(*) FROM findings GROUP BY 1, 2, "
	                 "3) AS b UNION ALL SELECT * FROM (SELECT 0, severity, state, COUNT(*) FROM "
	                 "findings GROUP BY 2, 3 EXCEPT SELECT 0, severity, state, n FROM finding_totals) "
	                 "AS c UNION ALL SELECT f.id, '', '', 0 FROM findings f LEFT JOIN assets s ON s.id "
	                 "= f.asset_id WHERE f.opd_id IS DISTINCT FROM s.opd_id) AS apart",
	                 ""),
	    DB_ROW);
	assert_int_equal(off, 0);
}

static void test_list_totals_from_the_kept_counts(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL),
	                    res("10.0.0.5", "80/tcp", "xss", VULN_MEDIUM),
	                    res("10.0.9.9", "22/tcp", "ssh-weak", VULN_LOW),
	                    res("203.0.113.9", "443/tcp", "log4shell", VULN_CRITICAL),
	                    res("203.0.113.9", "22/tcp", "ssh-weak", VULN_LOW)};
	import_ok(&f->a, VULN_OPENVAS, rs, 5, NULL, 0);
	rs[1].severity = VULN_HIGH; /* the scanner raised it */
	import_ok(&f->a, VULN_OPENVAS, rs, 5, NULL, 0);
	sg_err e = {0};
	int64_t xss = finding_id(&f->a, "xss", "80/tcp");
	finding_decision d = {.ids = &xss, .n_ids = 1, .state = "positif_palsu",
	                      .reason = "a test page", .actor = "tia"};
	if (finding_decide(&f->a, &d, &e) != 0)
		fail_msg("decide: %s", e.msg);
	int64_t orphans[1];
	db_query_int(f->a.db, &e, &orphans[0],
	             "SELECT id FROM findings WHERE host = '203.0.113.9' AND vuln_key = 'log4shell'",
	             "");
	if (finding_attach(&f->a, "tia", orphans, 1, f->srv, &e) != 0)
		fail_msg("attach: %s", e.msg);
	assert_int_equal(db_run(f->a.db, &e, "UPDATE assets SET opd_id = (SELECT opd_id FROM assets "
	                                     "WHERE id = ?) WHERE id = ?",
	                        "ii", f->srv, f->web),
	                 0);
	struct {
		finding_filter flt;
		const char *where;
	} cases[] = {
	    {{0}, "1 = 1"},
	    {{.state = "open"}, "state IN ('baru', 'terverifikasi', 'dalam_perbaikan', "
	                        "'dibuka_kembali')"},
	    {{.state = "positif_palsu"}, "state = 'positif_palsu'"},
	    {{.severity = "high", .min_severity = true}, "severity IN ('high', 'critical')"},
	    {{.severity = "medium"}, "severity = 'medium'"},
	    {{.unmatched = true}, "asset_id IS NULL"},
	    {{.asset_id = f->srv}, "asset_id = 1"},
	    {{.opd = "DINKES"}, "asset_id IN (SELECT a.id FROM assets a JOIN opd o ON o.id = "
	                        "a.opd_id WHERE o.abbrev = 'DINKES')"},
	    {{.viewer = "agen1", .state = "open"},
	     "state IN ('baru', 'terverifikasi', 'dalam_perbaikan', 'dibuka_kembali') AND "
	     "asset_id IN (SELECT id FROM assets WHERE opd_id = (SELECT opd_id FROM users "
	     "WHERE name = 'agen1'))"},
	};
	assert_int_equal(f->srv, 1);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t total = -1;
		json_t *rows = finding_list(&f->a, &cases[i].flt, &total, &e);
		if (rows == NULL)
			fail_msg("list %zu: %s", i, e.msg);
		size_t listed = json_array_size(rows);
		json_decref(rows);
		int64_t want = finding_count(&f->a, cases[i].where);
		if (total != want)
			fail_msg("case %zu (%s): total %lld, counted %lld", i, cases[i].where,
			         (long long)total, (long long)want);
		/* and the page lists them: an OPD's through the finding's OPD,
		 * which follows the asset moved */
		if ((int64_t)listed != want)
			fail_msg("case %zu (%s): %zu listed, counted %lld", i, cases[i].where, listed,
			         (long long)want);
	}
	assert_int_equal(finding_count(&f->a, "1 = 1"), 4); /* the attach merged one */
	assert_counts_kept(&f->a);
}

/* The counts the import adds at its end (0019: no INSERT trigger) are the
 * findings': a report giving a finding twice, one without an asset, a
 * reopened one, a failed import in between. */
static void test_counts_an_import_adds_at_its_end(void **state)
{
	fixture *f = *state;
	vuln_result rs[] = {res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL),
	                    res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL),
	                    res("10.0.0.5", "80/tcp", "xss", VULN_MEDIUM),
	                    res("203.0.113.9", "22/tcp", "ssh-weak", VULN_LOW)};
	import_ok(&f->a, VULN_OPENVAS, rs, 4, NULL, 0);
	assert_counts_kept(&f->a);
	/* a rescan without xss closes it; the next one reopens it */
	import_ok(&f->a, VULN_OPENVAS, rs, 2, NULL, 0);
	assert_counts_kept(&f->a);
	import_ok(&f->a, VULN_OPENVAS, rs, 4, NULL, 0);
	assert_counts_kept(&f->a);
	int64_t n = 0;
	sg_err e = {0};
	assert_int_equal(db_query_int(f->a.db, &e, &n,
	                              "SELECT n FROM finding_counts WHERE asset_id = 0", ""),
	                 DB_ROW);
	assert_int_equal(n, 1);
	assert_int_equal(db_query_int(f->a.db, &e, &n, "SELECT SUM(n) FROM finding_totals", ""),
	                 DB_ROW);
	assert_int_equal(n, 3);
}

/* An EPSS file of day (YYYY-MM-DD) scoring "CVE,score\n" lines. */
static void epss_import(fixture *f, const char *day, const char *lines)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/epss-%s.csv", f->dir, day);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "#model_version:v2025.03.14,score_date:%sT00:00:00+0000\ncve,epss,percentile\n",
	        day);
	for (const char *l = lines; *l;) {
		const char *nl = strchr(l, '\n');
		fprintf(fp, "%.*s,0.50000\n", (int)(nl - l), l);
		l = nl + 1;
	}
	fclose(fp);
	vi_import_result r = {0};
	diags d = DIAGS_INIT;
	sg_err e = {0};
	if (vuln_intel_import(&f->a, "tia", path, VI_EPSS, NULL, NULL, &r, &d, &e) != 0)
		fail_msg("EPSS import: %s", e.msg);
	diags_free(&d);
}

/* Rows of a query that a second query does not give (0: the same). */
static int64_t rows_apart(app *a, const char *x, const char *y)
{
	char sql[2048];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM (SELECT * FROM (%s) AS x EXCEPT SELECT * FROM (%s) AS y) "
	                      "AS apart",
	         x, y);
	int64_t n = -1;
	sg_err e = {0};
	assert_int_equal(db_query_int(a->db, &e, &n, sql, ""), DB_ROW);
	return n;
}

#define OPEN_SQL "('baru', 'terverifikasi', 'dalam_perbaikan', 'dibuka_kembali')"
#define KEV_SQL "(SELECT c.finding_id FROM finding_cves c JOIN vuln_kev k ON k.cve_id = c.cve)"
#define EPSS_SQL(t)                                                                         \
	"(SELECT c.finding_id FROM finding_cves c JOIN vuln_epss x ON x.cve_id = c.cve WHERE " \
	"x.epss >= " t ")"

/* What the triggers keep (0019_finding_filters.sql) is what the findings
 * and the intelligence give now: each finding's kev and EPSS band, the
 * counts per OPD and per day due; and each filter's total (and its count
 * by severity, as /kerentanan shows it) is what counting the findings
 * gives, the page listing as many. */
static void check_filter_totals(fixture *f, const char *when)
{
	app *a = &f->a;
	sg_err e = {0};
	const char *truth_intel =
	    "SELECT id, CASE WHEN EXISTS (SELECT 1 FROM finding_cves c JOIN vuln_kev k ON k.cve_id = "
	    "c.cve WHERE c.finding_id = f.id) THEN 1 ELSE 0 END, COALESCE((SELECT MAX(CAST(x.epss >= "
	    "0.01 AS INTEGER) + CAST(x.epss >= 0.1 AS INTEGER) + CAST(x.epss >= 0.5 AS INTEGER) + "
	    "CAST(x.epss >= 0.9 AS INTEGER)) FROM finding_cves c JOIN vuln_epss x ON x.cve_id = "
	    "c.cve WHERE c.finding_id = f.id), 0) FROM findings f";
	const char *kept_intel = "SELECT id, kev, epss_band FROM findings";
	const char *truth_opd =
	    "SELECT COALESCE(s.opd_id, 0), f.severity, f.state, f.kev, f.epss_band, COUNT(*) FROM "
	    "findings f LEFT JOIN assets s ON s.id = f.asset_id GROUP BY 1, 2, 3, 4, 5";
	const char *kept_opd = "SELECT opd_id, severity, state, kev, epss_band, n FROM "
	                       "finding_opd_counts WHERE n <> 0";
	const char *truth_due = "SELECT due_at / 86400, severity, COUNT(*) FROM findings WHERE "
	                        "due_at IS NOT NULL AND state IN " OPEN_SQL " GROUP BY 1, 2";
	const char *kept_due = "SELECT day, severity, n FROM finding_due_days WHERE n <> 0";
	if (rows_apart(a, truth_intel, kept_intel) || rows_apart(a, kept_intel, truth_intel))
		fail_msg("%s: findings.kev or epss_band is not what the CVEs give", when);
	if (rows_apart(a, truth_opd, kept_opd) || rows_apart(a, kept_opd, truth_opd))
		fail_msg("%s: finding_opd_counts is not what the findings give", when);
	if (rows_apart(a, truth_due, kept_due) || rows_apart(a, kept_due, truth_due))
		fail_msg("%s: finding_due_days is not what the findings give", when);
	char overdue[200], asset[64];
	snprintf(overdue, sizeof overdue,
	         "due_at IS NOT NULL AND due_at < %lld AND state IN " OPEN_SQL,
	         (long long)app_now(a));
	snprintf(asset, sizeof asset, "asset_id = %lld", (long long)f->web);
	struct {
		finding_filter flt;
		const char *where;
	} cases[] = {
	    {{0}, "1 = 1"},
	    {{.opd = "DINKES"}, "asset_id IN (SELECT a.id FROM assets a JOIN opd o ON o.id = "
	                        "a.opd_id WHERE o.abbrev = 'DINKES')"},
	    {{.opd = "BAPPEDA"}, "asset_id IN (SELECT id FROM assets WHERE opd_id = 2)"},
	    {{.viewer = "agen1"}, "asset_id IN (SELECT id FROM assets WHERE opd_id = 1)"},
	    {{.viewer = "rina"}, "1 = 0"},
	    {{.asset_id = f->web}, asset},
	    {{.unmatched = true}, "asset_id IS NULL"},
	    {{.severity = "info"}, "severity = 'info'"},
	    {{.severity = "high"}, "severity = 'high'"},
	    {{.severity = "medium", .min_severity = true},
	     "severity IN ('medium', 'high', 'critical')"},
	    {{.state = "open"}, "state IN " OPEN_SQL},
	    {{.state = "baru"}, "state = 'baru'"},
	    {{.state = "terverifikasi"}, "state = 'terverifikasi'"},
	    {{.state = "positif_palsu"}, "state = 'positif_palsu'"},
	    {{.kev = 1}, "id IN " KEV_SQL},
	    {{.kev = -1}, "id NOT IN " KEV_SQL},
	    {{.min_epss = 0.01}, "id IN " EPSS_SQL("0.01")},
	    {{.min_epss = 0.1}, "id IN " EPSS_SQL("0.1")},
	    {{.min_epss = 0.5}, "id IN " EPSS_SQL("0.5")},
	    {{.min_epss = 0.9}, "id IN " EPSS_SQL("0.9")},
	    {{.min_epss = 0.3}, "id IN " EPSS_SQL("0.3")},
	    {{.overdue = true}, overdue},
	    {{.overdue = true, .state = "open"}, overdue},
	    {{.overdue = true, .severity = "critical"}, "severity = 'critical' AND due_at < 0"},
	};
	/* the overdue of one severity: counted from the days due too */
	char overdue_critical[300];
	snprintf(overdue_critical, sizeof overdue_critical, "severity = 'critical' AND %s", overdue);
	cases[sizeof cases / sizeof cases[0] - 1].where = overdue_critical;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t total = -1, by_sev[5];
		cases[i].flt.limit = 1000;
		json_t *rows = finding_list(a, &cases[i].flt, &total, &e);
		if (rows == NULL)
			fail_msg("%s, case %zu: %s", when, i, e.msg);
		size_t listed = json_array_size(rows);
		json_decref(rows);
		if (finding_counts(a, &cases[i].flt, by_sev, &e) != 0)
			fail_msg("%s, case %zu: %s", when, i, e.msg);
		int64_t want = finding_count(a, cases[i].where);
		int64_t summed = by_sev[0] + by_sev[1] + by_sev[2] + by_sev[3] + by_sev[4];
		if (total != want || summed != want || (int64_t)listed != want)
			fail_msg("%s, case %zu (%s): total %lld, by severity %lld, listed %zu, counted "
			         "%lld",
			         when, i, cases[i].where, (long long)total, (long long)summed, listed,
			         (long long)want);
	}
}

/* The filters' totals from the counts the triggers keep: KEV and EPSS
 * known before the findings and after them, a score moved to another
 * band, decisions, an attach, an asset moved to another OPD, and days
 * passing for the overdue (their due dates falling on a day already
 * summed, on today, or later). */
/* A vulnerability's text is stored once however many findings state it
 * (0022_finding_texts.sql), and a finding shows the text its latest
 * report gave. */
static void test_a_text_is_stored_once_for_its_findings(void **state)
{
	fixture *f = *state;
	static const char *const refs[] = {"https://vendor.example.org/a"};
	vuln_result rs[] = {res("10.0.0.5", "443/tcp", "weak-tls", VULN_MEDIUM),
	                    res("dinkes.example.go.id", "443/tcp", "weak-tls", VULN_MEDIUM),
	                    res("203.0.113.9", "443/tcp", "weak-tls", VULN_MEDIUM)};
	for (size_t i = 0; i < 3; i++) {
		rs[i].description = "TLS 1.0 is offered.";
		rs[i].solution = "Offer TLS 1.2 or later.";
		rs[i].cwe = "CWE-326";
		rs[i].refs = refs;
		rs[i].n_refs = 1;
	}
	import_ok(&f->a, VULN_OPENVAS, rs, 3, NULL, 0);
	assert_int_equal(count_rows(&f->a, "findings"), 3);
	assert_int_equal(count_rows(&f->a, "finding_texts"), 1);
	/* the scanner's advice changed for one host */
	rs[1].solution = "Turn TLS 1.0 off.";
	import_ok(&f->a, VULN_OPENVAS, rs, 3, NULL, 0);
	assert_int_equal(count_rows(&f->a, "finding_texts"), 2);
	sg_err e = {0};
	int64_t web = 0, srv = 0;
	db_query_int(f->a.db, &e, &web,
	             "SELECT id FROM findings WHERE host = 'dinkes.example.go.id'", "");
	db_query_int(f->a.db, &e, &srv, "SELECT id FROM findings WHERE host = '10.0.0.5'", "");
	json_t *a = finding_get(&f->a, web, NULL, &e), *b = finding_get(&f->a, srv, NULL, &e);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(json_string_value(json_object_get(a, "solution")), "Turn TLS 1.0 off.");
	assert_string_equal(json_string_value(json_object_get(b, "solution")),
	                    "Offer TLS 1.2 or later.");
	assert_string_equal(json_string_value(json_object_get(b, "description")),
	                    "TLS 1.0 is offered.");
	assert_string_equal(json_string_value(json_object_get(b, "cwe")), "CWE-326");
	assert_string_equal(json_string_value(json_array_get(json_object_get(b, "refs"), 0)),
	                    "https://vendor.example.org/a");
	json_decref(a);
	json_decref(b);
	/* a text told apart from another by a field's absence, not only its value */
	rs[2].cwe = NULL;
	import_ok(&f->a, VULN_OPENVAS, rs, 3, NULL, 0);
	assert_int_equal(count_rows(&f->a, "finding_texts"), 3);
}

/* Intelligence already in the store when findings come: an import marks
 * a new finding of a KEV CVE or a scored one (its CVEs in any case), a
 * finding seen again with a new such CVE, and a merge of an unmatched
 * finding gives the asset's finding what the merged one had
 * (0021_finding_import_rows.sql: no trigger does it any more). */
static void test_intel_known_before_the_import_marks_findings(void **state)
{
	fixture *f = *state;
	static const char *const log4j[] = {"cve-2021-44228"};
	static const char *const scored[] = {"CVE-2026-0001"};
	kev_import(f, "2026-11-01", "2026-11-20");
	epss_import(f, "2026-11-01", "CVE-2026-0001,0.95000\n");
	vuln_result rs[] = {res("203.0.113.9", "8080/tcp", "merged", VULN_HIGH),
	                    res("10.0.0.5", "8080/tcp", "merged", VULN_HIGH),
	                    res("10.0.0.5", "80/tcp", "scored", VULN_HIGH),
	                    res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL),
	                    res("10.0.0.5", "22/tcp", "late", VULN_LOW)};
	rs[0].cves = log4j, rs[0].n_cves = 1;
	rs[2].cves = scored, rs[2].n_cves = 1;
	rs[3].cves = log4j, rs[3].n_cves = 1;
	import_ok(&f->a, VULN_OPENVAS, rs, 5, NULL, 0);
	assert_int_equal(finding_count(&f->a, "kev = 1"), 2); /* unmatched merged, log4shell */
	assert_int_equal(finding_count(&f->a, "kev = 1 AND vuln_key = 'log4shell'"), 1);
	assert_int_equal(finding_count(&f->a, "epss_band = 4 AND vuln_key = 'scored'"), 1);
	check_filter_totals(f, "imported");
	/* seen again, now with a KEV CVE */
	rs[4].cves = log4j, rs[4].n_cves = 1;
	import_ok(&f->a, VULN_OPENVAS, rs, 5, NULL, 0);
	assert_int_equal(finding_count(&f->a, "kev = 1 AND vuln_key = 'late'"), 1);
	check_filter_totals(f, "seen again");
	/* the unmatched finding merged into the server's own of it */
	sg_err e = {0};
	int64_t orphan = 0;
	db_query_int(f->a.db, &e, &orphan,
	             "SELECT id FROM findings WHERE host = '203.0.113.9' AND vuln_key = 'merged'", "");
	if (finding_attach(&f->a, "tia", &orphan, 1, f->srv, &e) != 0)
		fail_msg("attach: %s", e.msg);
	assert_int_equal(finding_count(&f->a, "vuln_key = 'merged'"), 1);
	assert_int_equal(finding_count(&f->a, "vuln_key = 'merged' AND kev = 1"), 1);
	check_filter_totals(f, "merged");
}

static void test_filter_totals_follow_every_change(void **state)
{
	fixture *f = *state;
	static const char *const scored[] = {"CVE-2026-0001"};
	static const char *const both[] = {"CVE-2026-0002", "CVE-2021-44228"};
	static const char *const rising[] = {"CVE-2026-0003"};
	epss_import(f, "2026-11-01", "CVE-2026-0001,0.95000\nCVE-2026-0003,0.20000\n");
	vuln_result rs[] = {res("10.0.0.5", "443/tcp", "log4shell", VULN_CRITICAL),
	                    res("10.0.0.5", "80/tcp", "scored", VULN_HIGH),
	                    res("dinkes.example.go.id", "443/tcp", "both", VULN_MEDIUM),
	                    res("10.0.9.9", "22/tcp", "rising", VULN_LOW),
	                    res("10.0.9.9", "23/tcp", "telnet", VULN_INFO),
	                    res("203.0.113.9", "443/tcp", "scored", VULN_HIGH),
	                    res("203.0.113.9", "80/tcp", "plain", VULN_MEDIUM)};
	rs[1].cves = scored, rs[1].n_cves = 1;
	rs[2].cves = both, rs[2].n_cves = 2;
	rs[3].cves = rising, rs[3].n_cves = 1;
	rs[5].cves = scored, rs[5].n_cves = 1;
	import_ok(&f->a, VULN_OPENVAS, rs, 7, NULL, 0);
	assert_int_equal(finding_count(&f->a, "epss_band = 4"), 2); /* scored before */
	check_filter_totals(f, "imported");
	kev_import(f, "2026-11-01", "2026-11-20");
	assert_int_equal(finding_count(&f->a, "kev = 1"), 2); /* log4shell and both */
	check_filter_totals(f, "KEV imported");
	epss_import(f, "2026-11-02", "CVE-2026-0001,0.05000\nCVE-2026-0003,0.60000\n"
	                             "CVE-2026-0002,0.00500\n");
	assert_int_equal(finding_count(&f->a, "epss_band = 3"), 1);
	assert_int_equal(finding_count(&f->a, "epss_band = 1"), 2);
	check_filter_totals(f, "EPSS moved");
	sg_err e = {0};
	assert_int_equal(decide(&f->a, "tia", finding_id(&f->a, "scored", "80/tcp"),
	                        "terverifikasi", NULL, &e),
	                 0);
	assert_int_equal(decide(&f->a, "tia", finding_id(&f->a, "rising", "22/tcp"),
	                        "positif_palsu", "a test host", &e),
	                 0);
	check_filter_totals(f, "decided");
	int64_t orphan = 0;
	db_query_int(f->a.db, &e, &orphan,
	             "SELECT id FROM findings WHERE host = '203.0.113.9' AND vuln_key = 'plain'", "");
	if (finding_attach(&f->a, "tia", &orphan, 1, f->other, &e) != 0)
		fail_msg("attach: %s", e.msg);
	check_filter_totals(f, "attached");
	assert_int_equal(db_run(f->a.db, &e, "UPDATE assets SET opd_id = 2 WHERE id = ?", "i",
	                        f->web),
	                 0);
	check_filter_totals(f, "asset moved");
	/* days pass: the critical due at t0 + 7 days (KEV: 2026-11-20 is
	 * later), the high at 30, the medium at 90, the low at 120 */
	static const int64_t hours[] = {24, 7 * 24 - 1, 7 * 24 + 1, 8 * 24, 30 * 24 + 2,
	                                91 * 24, 121 * 24};
	for (size_t i = 0; i < sizeof hours / sizeof hours[0]; i++) {
		f->a.fixed_now = f->t0 + hours[i] * 3600;
		char when[64];
		snprintf(when, sizeof when, "after %lld hours", (long long)hours[i]);
		check_filter_totals(f, when);
	}
	assert_true(finding_count(&f->a, "due_at < 0") == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	    T(test_reimport_deduplicates_by_asset_identity_and_endpoint),
	    T(test_a_fixed_finding_seen_again_is_reopened),
	    T(test_no_longer_present_only_for_rescanned_targets_and_scanner),
	    T(test_hosts_compare_without_case_and_urls_by_their_host),
	    T(test_unmatched_results_are_kept_then_attached),
	    T(test_transitions_are_enforced_with_clear_refusals),
	    T(test_blank_reasons_and_repeated_ids),
	    T(test_an_expired_acceptance_seen_again_is_reopened),
	    T(test_due_dates_by_severity_and_kev),
	    T(test_kev_due_dates_from_the_catalog), T(test_overdue_is_a_passed_due_date_of_an_open_finding),
	    T(test_a_failed_import_leaves_nothing),
	    T(test_officer_named_asset_takes_every_result),
	    T(test_a_named_asset_takes_no_other_assets_targets),
	    T(test_a_url_finding_is_closed_only_by_a_rescan_of_its_origin),
	    T(test_unknown_severities_are_counted),
	    T(test_findings_follow_their_assets_opd),
	    T(test_list_filters_sort_and_pages),
	    T(test_list_by_kev_and_epss),
	    T(test_a_spooled_report_and_its_name_in_messages),
	    T(test_a_report_read_on_one_thread_and_stored_on_another),
	    T(test_the_import_queue_counts_every_byte_of_a_result),
	    T(test_a_rescan_of_some_ports_closes_only_those),
	    T(test_scanner_texts_and_lists_are_capped),
	    T(test_list_totals_from_the_kept_counts),
	    T(test_counts_an_import_adds_at_its_end),
	    T(test_filter_totals_follow_every_change),
	    T(test_intel_known_before_the_import_marks_findings),
	    T(test_a_text_is_stored_once_for_its_findings),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
