/*
 * test_asset_links.c: alerts, findings and cases attached to the register
 * of assets, and an agen_siber's constituency. An alert is attached when
 * raised by what its event named (agent id, address in a range); what
 * matched nothing is kept, listed and attached by hand, or claimed when
 * an asset gains the identifier; a case gets the assets of its SOP fields
 * and of the alerts it was opened for; an agen_siber of OPD X sees X's
 * cases and alerts and not Y's, and reports incidents for X.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/findings.h"

typedef struct fixture {
	char *dir;
	app a;
	int64_t web_x, net_x, srv_y;
} fixture;

static int64_t add_asset(app *a, const char *opd, const char *name, const char *agent_id,
                         const char *addr, const char *host)
{
	const char *addrs[] = {addr}, *hosts[] = {host};
	asset_in in = {.opd = opd, .name = name, .kind = "server", .agent_id = agent_id,
	               .addresses = addrs, .n_addresses = addr ? 1 : 0, .has_addresses = true,
	               .hosts = hosts, .n_hosts = host ? 1 : 0, .has_hosts = true};
	sg_err e = {0};
	int64_t id = 0;
	if (asset_add(a, "cli:test", &in, &id, &e) != 0)
		fail_msg("asset_add: %s", e.msg);
	return id;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = scratch_new();
	test_app_open(&f->a, f->dir, wib("2026-12-01 09:00"));
	app *a = &f->a;
	sg_err e = {0};
	opd_in x = {.name = "Dinas Kesehatan", .abbrev = "DINKES"};
	opd_in y = {.name = "Dinas Pendidikan", .abbrev = "DISDIK"};
	int64_t id;
	if (opd_add(a, "cli:test", &x, &id, &e) != 0 || opd_add(a, "cli:test", &y, &id, &e) != 0)
		fail_msg("opd_add: %s", e.msg);
	f->web_x = add_asset(a, "DINKES", "SIMPUS", "003", "10.20.1.15", "simpus.kab.go.id");
	f->net_x = add_asset(a, "DINKES", "LAN Dinkes", NULL, "10.20.5.0/24", NULL);
	f->srv_y = add_asset(a, "DISDIK", "PPDB", NULL, "10.30.1.10", "ppdb.kab.go.id");
	test_user(a, "ttis", "ttis");
	test_user(a, "tim", "tim_teknis");
	const char *agent[] = {"agen_siber"};
	if (user_add_opd(a, "cli:test", "agen.x", agent, 1, "password-123", false, "DINKES", &e) != 0 ||
	    user_add_opd(a, "cli:test", "agen.x2", agent, 1, "password-123", false, "DINKES", &e) != 0 ||
	    user_add_opd(a, "cli:test", "agen.y", agent, 1, "password-123", false, "DISDIK", &e) != 0)
		fail_msg("user_add_opd: %s", e.msg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	app_close(&f->a);
	scratch_free(f->dir);
	free(f);
	return 0;
}

/* Raises an alert of rule id naming what in names; returns its id. */
static int64_t raise_alert(app *a, const char *rule, const char *text, const char *agent_id,
                           const char *host, const char *address)
{
	json_t *ev = json_object();
	alert_in in = {.kind = "rule", .rule_id = rule, .title = rule, .level = "high",
	               .asset = text, .at = app_now(a), .event = ev, .agent_id = agent_id,
	               .host = host, .address = address};
	alert_out out;
	sg_err e = {0};
	assert_int_equal(db_begin(a->db, &e), 0);
	if (alert_record(a, &in, ALERT_FOLD_WINDOW, &out, &e) != 0)
		fail_msg("alert_record: %s", e.msg);
	assert_int_equal(db_commit(a->db, &e), 0);
	json_decref(ev);
	return out.id;
}

static int64_t asset_of_alert(app *a, int64_t id)
{
	sg_err e = {0};
	int64_t v = -1;
	assert_int_equal(db_query_int(a->db, &e, &v,
	                              "SELECT COALESCE(asset_id, 0) FROM alerts WHERE id = ?", "i", id),
	                 DB_ROW);
	return v;
}

static int64_t count(app *a, const char *sql, int64_t arg)
{
	sg_err e = {0};
	int64_t v = -1;
	assert_int_equal(db_query_int(a->db, &e, &v, sql, "i", arg), DB_ROW);
	return v;
}

static void test_alert_attached_by_agent_id_and_by_address_in_range(void **state)
{
	fixture *f = *state;
	app *a = &f->a;
	assert_int_equal(asset_of_alert(a, raise_alert(a, "r1", "simpus", "003", NULL, NULL)),
	                 f->web_x);
	/* an address inside the OPD's /24 */
	assert_int_equal(asset_of_alert(a, raise_alert(a, "r2", "pc-17", NULL, "pc-17", "10.20.5.77")),
	                 f->net_x);
	/* the agent beats the address of another asset */
	assert_int_equal(asset_of_alert(a, raise_alert(a, "r3", "x", "003", NULL, "10.30.1.10")),
	                 f->web_x);
	/* a folded repeat resolves nothing again and stays on its asset */
	int64_t id = raise_alert(a, "r2", "pc-17", NULL, "pc-17", "10.20.5.77");
	assert_int_equal(asset_of_alert(a, id), f->net_x);
	assert_int_equal(count(a, "SELECT count FROM alerts WHERE id = ?", id), 2);
	assert_int_equal(count_rows(a, "alert_unmatched"), 0);
	/* the alert shows its asset and name */
	sg_err e = {0};
	json_t *al = alert_get(a, id, NULL, &e);
	assert_int_equal(json_integer_value(json_object_get(al, "asset_id")), f->net_x);
	assert_string_equal(json_string_value(json_object_get(al, "asset_name")), "LAN Dinkes");
	json_decref(al);
}

static void test_unmatched_alert_kept_listed_and_attached_by_hand(void **state)
{
	fixture *f = *state;
	app *a = &f->a;
	int64_t lost = raise_alert(a, "r1", "unknown-host", NULL, "unknown-host", "192.0.2.9");
	raise_alert(a, "r1", "simpus", "003", NULL, NULL);
	assert_int_equal(asset_of_alert(a, lost), 0);
	assert_int_equal(count(a, "SELECT COUNT(*) FROM alert_unmatched WHERE alert_id = ?", lost), 1);
	sg_err e = {0};
	alert_filter fl = {.unmatched = true};
	alert_pager pg;
	json_t *rows = alert_list(a, &fl, &pg, &e);
	assert_int_equal(json_array_size(rows), 1);
	assert_int_equal(pg.total, 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "id")), lost);
	json_decref(rows);
	/* only a triage role attaches; a retired or unknown asset is refused */
	assert_int_equal(alert_attach(a, "tim", &lost, 1, f->srv_y, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_int_equal(alert_attach(a, "ttis", &lost, 1, 9999, &e), -1);
	assert_int_equal(e.code, SG_ENOTFOUND);
	assert_int_equal(alert_attach(a, "ttis", &lost, 1, f->srv_y, &e), 0);
	assert_int_equal(asset_of_alert(a, lost), f->srv_y);
	assert_int_equal(count_rows(a, "alert_unmatched"), 0);
	assert_int_equal(count(a, "SELECT COUNT(*) FROM logbook WHERE action = 'alert.attach' AND "
	                          "object = 'alert:' || ?",
	                       lost),
	                 1);
}

/* A finding of host, unattached, through a real import. */
static void import_unmatched_finding(app *a, const char *host)
{
	char body[64];
	snprintf(body, sizeof body, "<report host=\"%s\"/>\n", host);
	sg_err e = {0};
	evidence_file file;
	assert_int_equal(evidence_spool_data(a, body, strlen(body), &file, &e), 0);
	vuln_import_req req = {.actor = "ttis", .origin = "test", .file = &file,
	                       .filename = "r.xml", .scanner = VULN_NMAP};
	vuln_import *im = vuln_import_begin(a, &req, &e);
	if (im == NULL)
		fail_msg("import: %s", e.msg);
	vuln_result r = {.host = host, .port = "443/tcp", .vuln_id = "ssl-weak", .title = "Weak TLS",
	                 .severity = VULN_MEDIUM, .cvss3_score = -1, .cvss4_score = -1};
	assert_int_equal(vuln_import_result(im, &r, &e), 0);
	char *targets[] = {(char *)host};
	vuln_report_info info = {.scanner = VULN_NMAP, .format = "test", .targets = targets,
	                         .n_targets = 1, .results = 1};
	vuln_import_summary sum;
	if (vuln_import_end(im, &info, &sum, &e) != 0)
		fail_msg("import: %s", e.msg);
	assert_int_equal(sum.unmatched, 1);
}

static void test_asset_gaining_an_address_claims_unmatched_alerts_and_findings(void **state)
{
	fixture *f = *state;
	app *a = &f->a;
	int64_t one = raise_alert(a, "r1", "db-01", NULL, "db-01", "10.40.0.7");
	int64_t two = raise_alert(a, "r2", "db-01", NULL, "db-01", "10.40.0.7"); /* same identity */
	int64_t other = raise_alert(a, "r1", "mail", NULL, "mail", "10.50.0.1");
	import_unmatched_finding(a, "10.40.0.7");
	import_unmatched_finding(a, "10.50.0.1");
	assert_int_equal(asset_of_alert(a, one), 0);
	/* the OPD's LAN is registered wider: 10.40.0.0/16 is now its */
	const char *addrs[] = {"10.20.5.0/24", "10.40.0.0/16"};
	asset_in in = {.addresses = addrs, .n_addresses = 2, .has_addresses = true};
	sg_err e = {0};
	if (asset_update(a, "tim", f->net_x, &in, &e) != 0)
		fail_msg("asset_update: %s", e.msg);
	assert_int_equal(asset_of_alert(a, one), f->net_x);
	assert_int_equal(asset_of_alert(a, two), f->net_x);
	assert_int_equal(asset_of_alert(a, other), 0); /* not its: still listed */
	assert_int_equal(count_rows(a, "alert_unmatched"), 1);
	assert_int_equal(count(a, "SELECT COUNT(*) FROM findings WHERE asset_id = ?", f->net_x), 1);
	assert_int_equal(count(a, "SELECT COUNT(*) FROM findings WHERE asset_id IS NULL AND ? > 0", 1),
	                 1);
	/* in the logbook, on the asset, with the alerts it took */
	char key[32];
	snprintf(key, sizeof key, "asset:%lld", (long long)f->net_x);
	db_stmt *st;
	assert_int_equal(db_prepare_bind(a->db, &st, &e,
	                                 "SELECT details FROM logbook WHERE action = 'asset.claim' "
	                                 "AND object = ?",
	                                 "s", key),
	                 0);
	assert_int_equal(db_step(st, &e), DB_ROW);
	json_t *d = json_loads(db_col_text(st, 0), 0, NULL);
	db_finalize(st);
	assert_int_equal(json_integer_value(json_object_get(d, "alerts")), 2);
	assert_int_equal(json_integer_value(json_object_get(d, "findings")), 1);
	json_decref(d);
	/* an OPD agent's asset takes nothing that matched no asset: which
	 * asset such alerts and findings are is the CSIRT's to decide */
	const char *range[] = {"10.50.0.0/24"};
	asset_in ag = {.opd = "DISDIK", .name = "Jaringan DISDIK", .kind = "jaringan",
	               .addresses = range, .n_addresses = 1, .has_addresses = true};
	int64_t agent_net = 0;
	if (asset_add(a, "agen.y", &ag, &agent_net, &e) != 0)
		fail_msg("asset_add as agen.y: %s", e.msg);
	assert_int_equal(asset_of_alert(a, other), 0);
	assert_int_equal(count_rows(a, "alert_unmatched"), 1);
	/* a new asset of the other address, registered by the CSIRT, takes the rest */
	int64_t mail = add_asset(a, "DISDIK", "Mail", NULL, "10.50.0.1", NULL);
	assert_int_equal(asset_of_alert(a, other), mail);
	assert_int_equal(count_rows(a, "alert_unmatched"), 0);
	assert_int_equal(count(a, "SELECT COUNT(*) FROM findings WHERE asset_id IS NULL AND ? > 0", 1),
	                 0);
}

static const char *ticket_of(json_t *c)
{
	return json_string_value(json_object_get(c, "ticket"));
}

/* Opens a patch case on asset (its SOP field aset) as the machine's owner. */
static void patch_case(app *a, int64_t asset, const char *tlp, char ticket[32])
{
	char v[24];
	snprintf(v, sizeof v, "%lld", (long long)asset);
	sop_value vals[2] = {{"aset", v}, {"tlp", tlp}};
	case_new_req req = {.procedure_id = "patch", .title = "Patch", .fields = vals,
	                    .n_fields = tlp ? 2 : 1, .actor = "cli:test", .origin = "test"};
	sg_err e = {0};
	if (case_new(a, &req, ticket, &e) != 0)
		fail_msg("case_new: %s", e.msg);
}

static int64_t visible_count(app *a, const char *viewer)
{
	case_filter cf = {.viewer = viewer};
	int64_t n = -1;
	sg_err e = {0};
	assert_int_equal(case_count(a, &cf, &n, &e), 0);
	json_t *rows = case_list(a, &cf, &e);
	assert_int_equal((int64_t)json_array_size(rows), n); /* the list and its count agree */
	json_decref(rows);
	return n;
}

static void test_agen_siber_sees_its_opds_cases_and_not_others(void **state)
{
	fixture *f = *state;
	app *a = &f->a;
	char tx[32], ty[32], tred[32];
	patch_case(a, f->web_x, NULL, tx);
	patch_case(a, f->srv_y, NULL, ty);
	patch_case(a, f->net_x, "TLP:RED", tred);
	assert_int_equal(count(a, "SELECT COUNT(*) FROM case_assets WHERE asset_id = ?", f->web_x), 1);
	sg_err e = {0};
	json_t *c = case_get(a, tx, "agen.x", &e);
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "sight")), "limited");
	json_decref(c);
	assert_null(case_get(a, ty, "agen.x", &e));
	assert_int_equal(e.code, SG_ENOTFOUND);
	assert_null(case_get(a, tred, "agen.x", &e)); /* TLP:RED: the named people's only */
	assert_int_equal(e.code, SG_ENOTFOUND);
	assert_non_null(c = case_get(a, ty, "agen.y", &e));
	json_decref(c);
	/* the list and the count say the same */
	assert_int_equal(visible_count(a, "agen.x"), 1);
	assert_int_equal(visible_count(a, "agen.y"), 1);
	case_filter cf = {.viewer = "agen.x"};
	json_t *rows = case_list(a, &cf, &e);
	assert_string_equal(ticket_of(json_array_get(rows, 0)), tx);
	json_decref(rows);
	/* the dashboard's counts are the list's */
	json_t *dash = dashboard_get(a, "agen.x", &e);
	assert_non_null(dash);
	assert_int_equal(json_integer_value(json_object_get(dash, "open")), 1);
	json_decref(dash);
	assert_non_null(dash = dashboard_get(a, "agen.y", &e));
	assert_int_equal(json_integer_value(json_object_get(dash, "open")), 1);
	json_decref(dash);
}

static void test_agen_siber_reads_only_its_opds_alerts(void **state)
{
	fixture *f = *state;
	app *a = &f->a;
	int64_t ax = raise_alert(a, "r1", "simpus", "003", NULL, NULL);
	int64_t ay = raise_alert(a, "r1", "ppdb", NULL, "ppdb.kab.go.id", NULL);
	int64_t none = raise_alert(a, "r1", "nobody", NULL, "nobody", NULL);
	sg_err e = {0};
	alert_filter fl = {.viewer = "agen.x"};
	alert_pager pg;
	json_t *rows = alert_list(a, &fl, &pg, &e);
	assert_int_equal(json_array_size(rows), 1);
	assert_int_equal(pg.total, 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "id")), ax);
	json_decref(rows);
	json_t *al = alert_get(a, ax, "agen.x", &e);
	assert_non_null(al);
	json_decref(al);
	assert_null(alert_get(a, ay, "agen.x", &e));
	assert_int_equal(e.code, SG_ENOTFOUND);
	assert_null(alert_get(a, none, "agen.x", &e));
	assert_int_equal(e.code, SG_ENOTFOUND);
	/* read-only: no triage */
	assert_int_equal(alert_decide(a, "agen.x", ax, "triage", NULL, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_int_equal(alert_attach(a, "agen.x", &none, 1, f->web_x, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	/* the triage role sees all three */
	alert_filter all = {.viewer = "ttis"};
	rows = alert_list(a, &all, &pg, &e);
	assert_int_equal(json_array_size(rows), 3);
	json_decref(rows);
}

static void test_cti_case_takes_the_assets_of_its_alerts_and_the_opd_sees_it(void **state)
{
	fixture *f = *state;
	app *a = &f->a;
	int64_t ids[2] = {raise_alert(a, "r1", "simpus", "003", NULL, NULL),
	                  raise_alert(a, "r2", "pc", NULL, "pc", "10.20.5.9")};
	char ticket[32];
	sg_err e = {0};
	if (alert_open_case(a, "ttis", ids, 2, "test", ticket, &e) != 0)
		fail_msg("alert_open_case: %s", e.msg);
	assert_int_equal(count(a, "SELECT COUNT(*) FROM case_assets WHERE via = 'alert' AND ? > 0", 1),
	                 2);
	json_t *c = case_get(a, ticket, "agen.x", &e);
	assert_non_null(c);
	assert_int_equal(json_array_size(json_object_get(c, "assets")), 2);
	json_decref(c);
	assert_null(case_get(a, ticket, "agen.y", &e));
	/* by hand: the staff attach Y's asset; then Y sees it, and X sees only
	 * its own assets among the case's */
	assert_int_equal(case_asset_attach(a, "agen.x", ticket, f->srv_y, &e), -1);
	assert_int_equal(case_asset_attach(a, "ttis", ticket, f->srv_y, &e), 0);
	assert_non_null(c = case_get(a, ticket, "agen.y", &e));
	assert_int_equal(json_array_size(json_object_get(c, "assets")), 1);
	json_decref(c);
	c = case_get(a, ticket, "agen.x", &e);
	assert_int_equal(json_array_size(json_object_get(c, "assets")), 2);
	json_decref(c);
}

static void test_agen_siber_reports_an_incident_for_its_opd(void **state)
{
	fixture *f = *state;
	app *a = &f->a;
	char v[24];
	snprintf(v, sizeof v, "%lld", (long long)f->web_x);
	sop_value vals[] = {{"pelapor_nama", "Agen Dinkes"},
	                    {"pelapor_kontak", "agen@dinkes.kab.go.id"},
	                    {"sistem_terdampak", "https://simpus.kab.go.id/"},
	                    {"uraian_kejadian", "Halaman depan diganti"},
	                    {"aset", v}};
	case_new_req req = {.procedure_id = "insiden", .title = "Defacement SIMPUS", .fields = vals,
	                    .n_fields = 5, .actor = "agen.x", .origin = "test"};
	char ticket[32];
	sg_err e = {0};
	if (case_new(a, &req, ticket, &e) != 0)
		fail_msg("case_new: %s", e.msg);
	/* its report is made: the case waits at the officer's step 2 */
	assert_int_equal(count(a, "SELECT step_no FROM cases WHERE id = ?",
	                       count(a, "SELECT MAX(id) FROM cases WHERE ? > 0", 1)),
	                 2);
	/* its OPD's other agent sees it; the other OPD's does not */
	json_t *c = case_get(a, ticket, "agen.x2", &e);
	assert_non_null(c);
	json_decref(c);
	assert_null(case_get(a, ticket, "agen.y", &e));
	assert_int_equal(e.code, SG_ENOTFOUND);
	/* it names only its own OPD's assets */
	char vy[24];
	snprintf(vy, sizeof vy, "%lld", (long long)f->srv_y);
	vals[4].value = vy;
	assert_int_equal(case_new(a, &req, ticket, &e), -1);
	assert_int_equal(e.code, SG_EINVAL);
	/* an agen_siber opens no case of another procedure */
	req.procedure_id = "patch";
	req.n_fields = 0;
	assert_int_equal(case_new(a, &req, ticket, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_alert_attached_by_agent_id_and_by_address_in_range,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unmatched_alert_kept_listed_and_attached_by_hand,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_asset_gaining_an_address_claims_unmatched_alerts_and_findings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_agen_siber_sees_its_opds_cases_and_not_others, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_agen_siber_reads_only_its_opds_alerts, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_cti_case_takes_the_assets_of_its_alerts_and_the_opd_sees_it, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_agen_siber_reports_an_incident_for_its_opd, setup,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
