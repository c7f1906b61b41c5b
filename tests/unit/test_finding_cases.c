/*
 * test_finding_cases.c: the SOPs acting on findings, on a real SQLite
 * file. A patch case started from findings is linked to them, names the
 * asset and the patch, drafts its first step from the findings (CVEs,
 * KEV, EPSS, the scanner's solution) and moves them to dalam_perbaikan,
 * all in one transaction, or refuses and changes nothing. A rescan that
 * no longer finds them records the verification on the case without
 * deciding its step; a finding back says so. A CTI case's assessment
 * links findings of one asset; a hand-over from a patch case carries the
 * asset and the findings; overdue findings wait in the worklist of the
 * patch SOP's administrator and of the asset's OPD agent.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/findings.h"
#include "findings_fixture.h"

static int setup(void **state)
{
	fixture *f = ff_open("Server Dinkes", "10.0.0.6");
	test_user(&f->a, "adm", "administrator"); /* the patch SOP's administrator */
	test_user(&f->a, "tek", "tim_teknis");
	test_user(&f->a, "kabid1", "kabid");
	test_user(&f->a, "tia", "ttis");
	test_user(&f->a, "agen1", "pelapor");
	ff_agent(&f->a, "agen1", 1);
	test_user(&f->a, "agen2", "pelapor");
	ff_agent(&f->a, "agen2", 2);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	ff_close(*state);
	return 0;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static const char LOG4J_FIX[] = "Upgrade Apache Log4j to 2.17.1 or later.";

/* A result: log4shell carries its CVE, component and solution. */
static vuln_result res(const char *host, const char *port, const char *id, vuln_severity sev)
{
	static const char *const cves[] = {"CVE-2021-44228"};
	vuln_result r = {.host = host, .port = port, .vuln_id = id, .title = id, .severity = sev,
	                 .cvss3_score = -1, .cvss4_score = -1};
	if (strcmp(id, "log4shell") == 0) {
		r.cves = cves;
		r.n_cves = 1;
		r.component = "log4j";
		r.component_version = "2.14.1";
		r.solution = LOG4J_FIX;
	}
	return r;
}

/* One full report of Nmap covering targets; the summary in *sum. */
static int scan(app *a, const vuln_result *rs, size_t n, const char *const *targets, size_t nt,
                bool partial, vuln_import_summary *sum, sg_err *e)
{
	ff_report rep = {.actor = "tek", .filename = "rescan.xml", .scanner = VULN_NMAP,
	                 .targets = targets, .n_targets = nt, .partial = partial};
	return ff_import(a, &rep, rs, n, sum, e);
}

static int64_t finding_id(app *a, int64_t asset, const char *key)
{
	sg_err e = {0};
	int64_t id = 0;
	assert_int_equal(db_query_int(a->db, &e, &id,
	                              "SELECT id FROM findings WHERE asset_id = ? AND vuln_key = ?",
	                              "is", asset, key),
	                 DB_ROW);
	return id;
}

static const char *state_of(app *a, int64_t id)
{
	static char out[32];
	db_stmt *st;
	sg_err e = {0};
	assert_int_equal(db_prepare_bind(a->db, &st, &e, "SELECT state FROM findings WHERE id = ?",
	                                 "i", id),
	                 0);
	assert_int_equal(db_step(st, &e), DB_ROW);
	snprintf(out, sizeof out, "%s", db_col_text(st, 0));
	db_finalize(st);
	return out;
}

/* The number a COUNT query without parameters gives. */
static int64_t count_where(app *a, const char *sql, const char *none)
{
	(void)none;
	sg_err e = {0};
	int64_t n = -1;
	assert_int_equal(db_query_int(a->db, &e, &n, sql, ""), DB_ROW);
	return n;
}

/* Intelligence on CVE-2021-44228: a KEV entry and an EPSS score. */
static void intel(fixture *f)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/kev.csv", f->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,"
	      "requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n"
	      "CVE-2021-44228,Apache,Log4j2,Apache Log4j2 RCE,2021-12-10,JNDI lookup.,Apply "
	      "updates.,2021-12-24,Known,,CWE-917\n",
	      fp);
	fclose(fp);
	vi_import_result r = {0};
	diags d = DIAGS_INIT;
	sg_err e = {0};
	if (vuln_intel_import(&f->a, "tia", path, VI_KEV, NULL, NULL, &r, &d, &e) != 0)
		fail_msg("KEV import: %s", e.msg);
	snprintf(path, sizeof path, "%s/epss.csv", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("#model_version:v2025.03.14,score_date:2026-11-01T12:55:00Z\n"
	      "cve,epss,percentile\nCVE-2021-44228,0.94358,0.99961\n",
	      fp);
	fclose(fp);
	if (vuln_intel_import(&f->a, "tia", path, VI_EPSS, NULL, NULL, &r, &d, &e) != 0)
		fail_msg("EPSS import: %s", e.msg);
	diags_free(&d);
}

/* log4shell and an ssh finding on srv, log4shell on web and on other. */
static void first_scan(fixture *f)
{
	static const char *const targets[] = {"10.0.0.5", "10.0.0.6", "10.0.9.9"};
	vuln_result rs[] = {res("10.0.0.5", "8080/tcp", "log4shell", VULN_CRITICAL),
	                    res("10.0.0.5", "22/tcp", "weak-ssh", VULN_MEDIUM),
	                    res("10.0.0.6", "8080/tcp", "log4shell", VULN_CRITICAL),
	                    res("10.0.9.9", "8080/tcp", "log4shell", VULN_CRITICAL)};
	rs[1].solution = "Disable CBC ciphers.";
	vuln_import_summary sum;
	sg_err e = {0};
	if (scan(&f->a, rs, 4, targets, 3, false, &sum, &e) != 0)
		fail_msg("scan: %s", e.msg);
	assert_int_equal(sum.new_count, 4);
}

static void test_a_patch_case_names_the_asset_drafts_its_first_step_and_moves_the_findings(
    void **state)
{
	fixture *f = *state;
	intel(f);
	first_scan(f);
	int64_t ids[] = {finding_id(&f->a, f->srv, "log4shell"), finding_id(&f->a, f->srv, "weak-ssh")};
	sg_err e = {0};
	char ticket[32];
	if (finding_patch_open(&f->a, "adm", ids, 2, "test", ticket, &e) != 0)
		fail_msg("patch: %s", e.msg);
	assert_string_equal(ticket, "PAT-2026-0001");
	json_t *c = case_get(&f->a, ticket, NULL, &e);
	assert_non_null(c);
	json_t *fields = json_object_get(c, "fields");
	char srv[32];
	snprintf(srv, sizeof srv, "%lld", (long long)f->srv);
	assert_string_equal(str(fields, "aset"), srv);
	assert_string_equal(str(fields, "patch"), "CVE-2021-44228");
	json_t *assets = json_object_get(c, "assets");
	assert_int_equal(json_array_size(assets), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(assets, 0), "id")), f->srv);
	assert_string_equal(str(json_array_get(assets, 0), "via"), "field");
	/* the first step stands, with a draft of what the findings know */
	json_t *cur = json_object_get(c, "current_step");
	assert_int_equal(json_integer_value(json_object_get(cur, "no")), 1);
	assert_int_equal(count_rows(&f->a, "step_runs"), 0);
	json_t *draft = json_object_get(json_object_get(cur, "draft"), "values");
	const char *text = str(draft, "hasil_pemantauan");
	assert_non_null(strstr(text, "FND-1 [critical] log4shell; aset Server SIMPUS"));
	assert_non_null(strstr(text, "CVE-2021-44228 (KEV, tenggat 2021-12-24, dipakai ransomware; "
	                             "EPSS 0.944, persentil 1.000)"));
	assert_non_null(strstr(text, LOG4J_FIX));
	assert_non_null(strstr(text, "Disable CBC ciphers."));
	/* the findings, linked, are dalam_perbaikan with the ticket as reason */
	json_t *linked = json_object_get(c, "findings");
	assert_int_equal(json_array_size(linked), 2);
	assert_string_equal(str(json_array_get(linked, 0), "kind"), "patch");
	assert_string_equal(str(json_array_get(linked, 0), "state"), "dalam_perbaikan");
	json_decref(c);
	json_t *one = finding_get(&f->a, ids[0], NULL, &e);
	assert_string_equal(str(one, "state_reason"), "kasus patch PAT-2026-0001");
	assert_string_equal(str(one, "state_by"), "adm");
	json_decref(one);
	assert_int_equal(count_where(&f->a,
	                             "SELECT COUNT(*) FROM logbook WHERE action IN ('case.create', "
	                             "'vuln.patch') AND object = 'case:PAT-2026-0001'",
	                             ""),
	                 2);
	assert_int_equal(count_where(&f->a,
	                             "SELECT COUNT(*) FROM logbook WHERE action = 'vuln.decide'",
	                             ""),
	                 2);
}

static void test_one_software_across_assets_of_one_opd(void **state)
{
	fixture *f = *state;
	first_scan(f);
	sg_err e = {0};
	char ticket[32];
	int64_t two[] = {finding_id(&f->a, f->srv, "log4shell"), finding_id(&f->a, f->web, "log4shell")};
	if (finding_patch_open(&f->a, "adm", two, 2, "test", ticket, &e) != 0)
		fail_msg("patch: %s", e.msg);
	json_t *c = case_get(&f->a, ticket, NULL, &e);
	/* no single asset: the patch names the software, the title the count */
	assert_null(json_object_get(json_object_get(c, "fields"), "aset"));
	assert_string_equal(str(json_object_get(c, "fields"), "patch"), "log4j 2.14.1");
	assert_non_null(strstr(str(c, "title"), "2 aset DINKES"));
	/* linked to both assets, so both are in DINKES's constituency */
	assert_int_equal(json_array_size(json_object_get(c, "assets")), 2);
	json_decref(c);
	assert_int_equal(count_where(&f->a,
	                             "SELECT COUNT(*) FROM case_assets WHERE case_id = 1 AND via = "
	                             "'hand'",
	                             ""),
	                 2);
}

/* Each refusal names the finding and changes nothing: no case, no
 * ticket number used, every finding in its state. */
static void test_refusals_change_nothing(void **state)
{
	fixture *f = *state;
	first_scan(f);
	int64_t log = finding_id(&f->a, f->srv, "log4shell"), ssh = finding_id(&f->a, f->srv, "weak-ssh");
	int64_t web = finding_id(&f->a, f->web, "log4shell");
	int64_t bappeda = finding_id(&f->a, f->other, "log4shell");
	sg_err e = {0};
	char ticket[32];
	/* another OPD */
	int64_t mixed[] = {log, bappeda};
	assert_int_equal(finding_patch_open(&f->a, "adm", mixed, 2, "test", ticket, &e), -1);
	assert_non_null(strstr(e.msg, "is of OPD BAPPEDA and finding 1 of OPD DINKES"));
	/* several assets, no common software */
	int64_t apart[] = {ssh, web};
	e = (sg_err){0};
	assert_int_equal(finding_patch_open(&f->a, "adm", apart, 2, "test", ticket, &e), -1);
	assert_non_null(strstr(e.msg, "name no common software"));
	/* a closed finding, after one that would do */
	finding_decision fp = {.ids = &ssh, .n_ids = 1, .state = "positif_palsu",
	                       .reason = "banner only", .actor = "tia"};
	assert_int_equal(finding_decide(&f->a, &fp, &e), 0);
	int64_t closed[] = {log, ssh};
	e = (sg_err){0};
	assert_int_equal(finding_patch_open(&f->a, "adm", closed, 2, "test", ticket, &e), -1);
	assert_int_equal(e.code, SG_ESTATE);
	assert_string_equal(e.msg,
	                    "finding 2 is positif_palsu; a patch case is started from open findings "
	                    "(baru, terverifikasi, dibuka_kembali)");
	/* not the patch SOP's: a CTI officer may not open its cases */
	e = (sg_err){0};
	assert_int_equal(finding_patch_open(&f->a, "tia", &log, 1, "test", ticket, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	/* an OPD's agent decides no findings */
	e = (sg_err){0};
	assert_int_equal(finding_patch_open(&f->a, "agen1", &log, 1, "test", ticket, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_int_equal(count_rows(&f->a, "cases"), 0);
	assert_int_equal(count_rows(&f->a, "finding_cases"), 0);
	assert_int_equal(count_rows(&f->a, "ticket_counters"), 0);
	assert_string_equal(state_of(&f->a, log), "baru");
	/* already in a patch case */
	assert_int_equal(finding_patch_open(&f->a, "adm", &log, 1, "test", ticket, &e), 0);
	e = (sg_err){0};
	assert_int_equal(finding_patch_open(&f->a, "adm", &log, 1, "test", ticket, &e), -1);
	assert_string_equal(e.msg, "finding 1 is already in patch case PAT-2026-0001");
}

/* The case's comments, newest last, as one text. */
static char *comments(fixture *f, const char *ticket)
{
	sg_err e = {0};
	json_t *c = case_get(&f->a, ticket, NULL, &e);
	assert_non_null(c);
	buf b = BUF_INIT;
	size_t i;
	json_t *cm;
	json_array_foreach(json_object_get(c, "comments"), i, cm) {
		buf_puts(&b, str(cm, "body"));
		buf_putc(&b, '\n');
	}
	json_decref(c);
	return buf_steal(&b);
}

static json_t *draft_of(fixture *f, int64_t case_id, int step)
{
	sg_err e = {0};
	json_t *d = step_draft_get(&f->a, case_id, step, &e);
	assert_non_null(d);
	return d;
}

static void test_a_rescan_without_the_findings_records_the_verification(void **state)
{
	fixture *f = *state;
	first_scan(f);
	int64_t ids[] = {finding_id(&f->a, f->srv, "log4shell"), finding_id(&f->a, f->srv, "weak-ssh")};
	sg_err e = {0};
	char ticket[32];
	assert_int_equal(finding_patch_open(&f->a, "adm", ids, 2, "test", ticket, &e), 0);
	int64_t case_id = 1;
	/* a rescan that still finds one: nothing on the case */
	static const char *const srv[] = {"10.0.0.5"};
	vuln_result still[] = {res("10.0.0.5", "22/tcp", "weak-ssh", VULN_MEDIUM)};
	vuln_import_summary sum;
	assert_int_equal(scan(&f->a, still, 1, srv, 1, false, &sum, &e), 0);
	assert_int_equal(sum.gone, 1);
	assert_string_equal(state_of(&f->a, ids[0]), "diperbaiki");
	json_t *d = draft_of(f, case_id, 6);
	assert_true(json_is_null(d));
	json_decref(d);
	assert_int_equal(count_where(&f->a, "SELECT COUNT(*) FROM case_evidence", ""), 0);
	/* a partial scan is no rescan: nothing gone, nothing recorded */
	assert_int_equal(scan(&f->a, NULL, 0, srv, 1, true, &sum, &e), 0);
	assert_int_equal(sum.gone, 0);
	assert_string_equal(state_of(&f->a, ids[1]), "dalam_perbaikan");
	/* the full rescan without either: step 6's verification drafted, the
	 * report attached, a comment, a logbook entry; the case stays at step
	 * 1, its decisions the people's */
	assert_int_equal(scan(&f->a, NULL, 0, srv, 1, false, &sum, &e), 0);
	assert_int_equal(sum.gone, 1);
	assert_string_equal(state_of(&f->a, ids[1]), "diperbaiki");
	int64_t import_id = sum.import_id;
	d = draft_of(f, case_id, 6);
	char src[48];
	snprintf(src, sizeof src, "vuln_import:%lld", (long long)import_id);
	assert_string_equal(str(d, "source"), src);
	const char *v = str(json_object_get(d, "values"), "hasil_pengujian");
	char head[96];
	snprintf(head, sizeof head, "Pemindaian ulang (impor kerentanan %lld: rescan.xml, pemindai nmap",
	         (long long)import_id);
	assert_non_null(strstr(v, head));
	assert_non_null(strstr(v, "- FND-1 log4shell; Server SIMPUS, 8080/tcp"));
	assert_non_null(strstr(v, "- FND-2 weak-ssh; Server SIMPUS, 22/tcp"));
	json_decref(d);
	assert_int_equal(count_where(&f->a,
	                             "SELECT COUNT(*) FROM case_evidence ce JOIN vuln_imports v ON "
	                             "v.sha256 = ce.sha256 WHERE ce.case_id = 1 AND ce.origin LIKE "
	                             "'impor kerentanan %' AND v.id = (SELECT MAX(id) FROM vuln_imports)",
	                             ""),
	                 1);
	assert_int_equal(count_where(&f->a,
	                             "SELECT COUNT(*) FROM logbook WHERE action = 'case.rescan' AND "
	                             "object = 'case:PAT-2026-0001'",
	                             ""),
	                 1);
	char *cm = comments(f, ticket);
	assert_non_null(strstr(cm, "tidak lagi menemukan temuan kasus ini"));
	free(cm);
	json_t *c = case_get(&f->a, ticket, NULL, &e);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "current_step"), "no")),
	                 1);
	json_decref(c);

	/* one comes back while the case is open: the case says so, and the
	 * drafted verification no longer holds */
	vuln_result back[] = {res("10.0.0.5", "8080/tcp", "log4shell", VULN_CRITICAL)};
	assert_int_equal(scan(&f->a, back, 1, srv, 1, false, &sum, &e), 0);
	assert_int_equal(sum.reopened, 1);
	assert_string_equal(state_of(&f->a, ids[0]), "dibuka_kembali");
	d = draft_of(f, case_id, 6);
	assert_true(json_is_null(d));
	json_decref(d);
	cm = comments(f, ticket);
	assert_non_null(strstr(cm, "FND-1 ditemukan kembali oleh impor kerentanan"));
	free(cm);
	assert_int_equal(count_where(&f->a,
	                             "SELECT COUNT(*) FROM logbook WHERE action = "
	                             "'case.finding_reopened'",
	                             ""),
	                 1);
}

/* Completes the current step of a case. */
static void step(app *a, const char *ticket, const char *user, const char *decision,
                 const sop_value *v, size_t n)
{
	sg_err e = {0};
	case_step_req req = {.ticket = ticket, .user = user, .decision = decision, .values = v,
	                     .n_values = n, .origin = "test"};
	case_step_result out;
	if (case_step(a, &req, &out, &e) != 0)
		fail_msg("step of %s by %s: %s", ticket, user, e.msg);
}

static void test_an_anomaly_hands_the_asset_and_findings_to_an_incident(void **state)
{
	fixture *f = *state;
	first_scan(f);
	int64_t id = finding_id(&f->a, f->srv, "log4shell");
	sg_err e = {0};
	char ticket[32];
	assert_int_equal(finding_patch_open(&f->a, "adm", &id, 1, "test", ticket, &e), 0);
	step(&f->a, ticket, "adm", "Perlu Implementasi",
	     (sop_value[]){{"hasil_pemantauan", "Perlu patch log4j."}}, 1);
	step(&f->a, ticket, "adm", NULL, (sop_value[]){{"rencana", "Malam ini."}}, 1);
	step(&f->a, ticket, "tek", NULL, (sop_value[]){{"analisis", "Aman."}}, 1);
	step(&f->a, ticket, "kabid1", "Disetujui", (sop_value[]){{"disposisi", "Lanjut."}}, 1);
	step(&f->a, ticket, "adm", NULL, (sop_value[]){{"jadwal", "2026-11-03"}}, 1);
	step(&f->a, ticket, "tek", "Terjadi Anomali",
	     (sop_value[]){{"hasil_pengujian", "Layanan mati setelah patch."}}, 1);
	json_t *c = case_get(&f->a, "INS-2026-0001", NULL, &e);
	if (c == NULL)
		fail_msg("no incident: %s", e.msg);
	assert_string_equal(str(json_object_get(c, "fields"), "sistem_terdampak"),
	                    "Server SIMPUS (aset 1)");
	json_t *linked = json_object_get(c, "findings");
	assert_int_equal(json_array_size(linked), 1);
	assert_string_equal(str(json_array_get(linked, 0), "kind"), "handover");
	/* and the asset itself, as the patch case had it */
	json_t *assets = json_object_get(c, "assets");
	assert_int_equal(json_array_size(assets), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(assets, 0), "id")), f->srv);
	json_decref(c);
}

static void test_a_cti_assessment_links_findings_of_one_asset(void **state)
{
	fixture *f = *state;
	first_scan(f);
	sg_err e = {0};
	char cti[32], pat[32];
	sop_value vals[] = {{"sistem", "Server SIMPUS"}};
	case_new_req req = {.procedure_id = "cti", .fields = vals, .n_fields = 1, .actor = "tia",
	                    .origin = "test"};
	assert_int_equal(case_new(&f->a, &req, cti, &e), 0);
	int64_t two[] = {finding_id(&f->a, f->srv, "log4shell"), finding_id(&f->a, f->srv, "weak-ssh")};
	if (finding_case_link(&f->a, "tia", cti, two, 2, &e) != 0)
		fail_msg("link: %s", e.msg);
	json_t *c = case_get(&f->a, cti, NULL, &e);
	json_t *linked = json_object_get(c, "findings");
	assert_int_equal(json_array_size(linked), 2);
	assert_string_equal(str(json_array_get(linked, 1), "kind"), "assessment");
	assert_string_equal(str(json_array_get(linked, 1), "severity"), "medium");
	json_decref(c);
	/* the findings keep their state: an assessment decides nothing */
	assert_string_equal(state_of(&f->a, two[0]), "baru");
	/* findings of two assets: refused, naming them */
	int64_t apart[] = {two[0], finding_id(&f->a, f->web, "log4shell")};
	assert_int_equal(finding_case_link(&f->a, "tia", cti, apart, 2, &e), -1);
	assert_non_null(strstr(e.msg, "an assessment links the findings of one asset"));
	/* not a CTI case */
	assert_int_equal(finding_patch_open(&f->a, "adm", &apart[1], 1, "test", pat, &e), 0);
	e = (sg_err){0};
	assert_int_equal(finding_case_link(&f->a, "tia", pat, two, 1, &e), -1);
	assert_int_equal(count_where(&f->a,
	                             "SELECT COUNT(*) FROM finding_cases WHERE kind = 'assessment'",
	                             ""),
	                 2);
}

static void test_overdue_findings_wait_for_the_administrator_and_the_opds_agent(void **state)
{
	fixture *f = *state;
	first_scan(f);
	sg_err e = {0};
	int64_t n = -1, total = -1;
	/* nothing is overdue yet */
	assert_int_equal(finding_tasks_count(&f->a, "adm", NULL, 0, &n, &e), 0);
	assert_int_equal(n, 0);
	/* eight days on, the three critical findings are past their 7 days */
	f->a.fixed_now = f->t0 + 8 * DAY;
	assert_int_equal(finding_tasks_count(&f->a, "adm", NULL, 0, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(finding_tasks_count(&f->a, "agen1", NULL, 0, &n, &e), 0);
	assert_int_equal(n, 2); /* DINKES's */
	json_t *list = finding_tasks(&f->a, "agen2", NULL, 10, &total, &e);
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(total, 1);
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(json_array_get(list, 0), "asset"), "id")),
	                 f->other);
	json_decref(list);
	/* a kabid or a CTI officer has none in their worklist */
	assert_int_equal(finding_tasks_count(&f->a, "kabid1", NULL, 0, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(finding_tasks_count(&f->a, "tia", NULL, 0, &n, &e), 0);
	assert_int_equal(n, 0);
	/* counted with the cases in Tugas saya, within the cap */
	assert_int_equal(tasks_count(&f->a, "adm", NULL, 0, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(tasks_count(&f->a, "adm", NULL, 2, &n, &e), 0);
	assert_true(n <= 4);
	/* a finding decided positif_palsu leaves the worklist */
	int64_t id = finding_id(&f->a, f->other, "log4shell");
	finding_decision fp = {.ids = &id, .n_ids = 1, .state = "positif_palsu",
	                       .reason = "not deployed", .actor = "tia"};
	assert_int_equal(finding_decide(&f->a, &fp, &e), 0);
	assert_int_equal(finding_tasks_count(&f->a, "agen2", NULL, 0, &n, &e), 0);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	    T(test_a_patch_case_names_the_asset_drafts_its_first_step_and_moves_the_findings),
	    T(test_one_software_across_assets_of_one_opd),
	    T(test_refusals_change_nothing),
	    T(test_a_rescan_without_the_findings_records_the_verification),
	    T(test_an_anomaly_hands_the_asset_and_findings_to_an_incident),
	    T(test_a_cti_assessment_links_findings_of_one_asset),
	    T(test_overdue_findings_wait_for_the_administrator_and_the_opds_agent),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
