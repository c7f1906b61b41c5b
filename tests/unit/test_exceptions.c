/*
 * test_exceptions.c: exceptions to the ISMS (app/exceptions.c) as their
 * specification, driven through the cases of SOP pengecualian as the
 * pages drive them. The life: the request makes the exception, the risk
 * analysis links the register's risks, the Kepala Dinas approves it for a
 * period and it is in force (its findings risiko_diterima), a change
 * voids the approval and opens a new case linked to the old, and at
 * expiry the findings return to their states with their due dates moved
 * by the time they were excepted. The refusals each leave the step
 * undone and nothing written: an expiry in the past or beyond the
 * maximum, approval without risks, a control not in the catalogue, a
 * closed finding, a change by someone who may not. Reminders are written
 * once per threshold; sight is by OPD.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "findings_fixture.h"
#include "helpers.h"

static int setup(void **state)
{
	fixture *f = ff_open("Server Dinkes", "10.0.0.6");
	test_user(&f->a, "tek", "tim_teknis");
	test_user(&f->a, "kadis", "kepala_dinas");
	test_user(&f->a, "kabid1", "kabid");
	test_user(&f->a, "pel", "petugas");
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

static int step(app *a, const char *ticket, const char *user, const char *decision,
                const sop_value *v, size_t n, sg_err *e)
{
	case_step_req req = {.ticket = ticket, .user = user, .decision = decision, .values = v,
	                     .n_values = n, .origin = "test"};
	case_step_result out;
	return case_step(a, &req, &out, e);
}

static void step_ok(app *a, const char *ticket, const char *user, const char *decision,
                    const sop_value *v, size_t n)
{
	sg_err e = {0};
	if (step(a, ticket, user, decision, v, n, &e) != 0)
		fail_msg("step of %s by %s: %s", ticket, user, e.msg);
}

/* Two findings on srv (an open critical and medium) from one scan. */
static void findings(fixture *f, int64_t *log4j, int64_t *ssh)
{
	static const char *const targets[] = {"10.0.0.5"};
	vuln_result rs[] = {{.host = "10.0.0.5", .port = "8080/tcp", .vuln_id = "log4shell",
	                     .title = "Log4Shell", .severity = VULN_CRITICAL, .cvss3_score = -1,
	                     .cvss4_score = -1},
	                    {.host = "10.0.0.5", .port = "22/tcp", .vuln_id = "weak-ssh",
	                     .title = "Weak SSH", .severity = VULN_MEDIUM, .cvss3_score = -1,
	                     .cvss4_score = -1}};
	ff_report rep = {.actor = "tek", .filename = "scan.xml", .scanner = VULN_NMAP,
	                 .targets = targets, .n_targets = 1};
	vuln_import_summary sum;
	sg_err e = {0};
	if (ff_import(&f->a, &rep, rs, 2, &sum, &e) != 0)
		fail_msg("import: %s", e.msg);
	assert_int_equal(db_query_int(f->a.db, &e, log4j,
	                              "SELECT id FROM findings WHERE vuln_key LIKE '%log4shell%'", ""),
	                 DB_ROW);
	assert_int_equal(db_query_int(f->a.db, &e, ssh,
	                              "SELECT id FROM findings WHERE vuln_key LIKE '%weak-ssh%'", ""),
	                 DB_ROW);
}

static int64_t risk(fixture *f, const char *title)
{
	risk_in in = {.title = title, .likelihood = 4, .impact = 4, .treatment = "terima",
	              .opd = "1"};
	int64_t id = 0;
	sg_err e = {0};
	if (risk_create(&f->a, "tek", &in, &id, &e) != 0)
		fail_msg("risk: %s", e.msg);
	return id;
}

/* A case of SOP pengecualian about srv, opened by tek. */
static void open_case(fixture *f, char ticket[32])
{
	char aset[24];
	snprintf(aset, sizeof aset, "%lld", (long long)f->srv);
	sop_value v[] = {{"sistem", "SIMPEG lama"}, {"aset", aset}};
	case_new_req req = {"pengecualian", "Pengecualian 2FA SIMPEG", v, 2, "tek", "test"};
	sg_err e = {0};
	if (case_new(&f->a, &req, ticket, &e) != 0)
		fail_msg("case: %s", e.msg);
}

/* Step 1 on the applicant's behalf, with its letter. */
static void request(fixture *f, const char *ticket, const char *findings, const char *until,
                    sg_err *e, int want)
{
	sop_value v[] = {{"kontrol", "indeks-kami-4:III"},
	                 {"temuan", findings},
	                 {"alasan", "Aplikasi lama belum mendukung 2FA."},
	                 {"kompensasi", "Akses hanya dari VPN; log dipantau Wazuh."},
	                 {"berlaku_sampai", until},
	                 {"surat_permohonan", "surat.pdf"}};
	evidence_file letter;
	assert_int_equal(evidence_spool_data(&f->a, "surat", 5, &letter, e), 0);
	case_upload up = {"surat_permohonan", "surat.pdf", &letter};
	case_step_req req = {.ticket = ticket, .user = "tek", .values = v, .n_values = 6,
	                     .origin = "test", .uploads = &up, .n_uploads = 1,
	                     .on_behalf = "Kepala Dinas Kesehatan", .channel = "surat"};
	case_step_result out;
	int rc = case_step(&f->a, &req, &out, e);
	evidence_file_discard(&letter);
	if (want == 0 && rc != 0)
		fail_msg("request: %s", e->msg);
	assert_int_equal(rc, want);
}

static int64_t exception_id(fixture *f, const char *ticket)
{
	sg_err e = {0};
	int64_t id = 0;
	assert_int_equal(db_query_int(f->a.db, &e, &id,
	                              "SELECT x.id FROM exceptions x JOIN cases c ON c.id = "
	                              "x.case_id WHERE c.ticket = ?",
	                              "s", ticket),
	                 DB_ROW);
	return id;
}

static const char *finding_state(fixture *f, int64_t id, int64_t *due)
{
	static char out[32];
	db_stmt *st;
	sg_err e = {0};
	assert_int_equal(db_prepare_bind(f->a.db, &st, &e,
	                                 "SELECT state, COALESCE(due_at, 0) FROM findings WHERE id = ?",
	                                 "i", id),
	                 0);
	assert_int_equal(db_step(st, &e), DB_ROW);
	snprintf(out, sizeof out, "%s", db_col_text(st, 0));
	if (due)
		*due = db_col_int(st, 1);
	db_finalize(st);
	return out;
}

static json_t *get(fixture *f, const char *viewer, int64_t id)
{
	sg_err e = {0};
	json_t *o = exception_get(&f->a, viewer, id, &e);
	if (o == NULL)
		fail_msg("get %lld: %s", (long long)id, e.msg);
	return o;
}

static void test_the_file_checks_what_a_record_step_needs(void **state)
{
	(void)state;
	/* the shipped SOP is loaded by the fixture; a step that writes a
	 * record without its fields is refused at load */
	static const char bad[] =
	    "id: x\nnama: X\nnomor: '1'\nticket_prefix: X\npelaksana:\n  - {id: tim_teknis, nama: "
	    "T}\nprosedur:\n  - nama: X\n    langkah:\n      - no: 1\n        uraian: a\n        "
	    "pelaksana: tim_teknis\n        waktu: 1 Hari\n        catat: pengecualian.risiko\n"
	    "        fields:\n          - {name: risiko, label: R, type: text}\n        next: "
	    "selesai\n      - no: 2\n        uraian: b\n        pelaksana: tim_teknis\n        "
	    "waktu: 1 Hari\n        catat: pengecualian.lain\n        next: selesai\n";
	diags d = DIAGS_INIT;
	sop *s = sop_load(bad, strlen(bad), "x.yaml", &d);
	assert_null(s);
	bool field_named = false, unknown_named = false;
	for (size_t i = 0; i < d.n; i++) {
		char m[400];
		diags_at(&d, i, m, sizeof m);
		field_named |= strstr(m, "catat 'pengecualian.risiko' needs a field 'risiko' of type "
		                         "ref with entity risk") != NULL;
		unknown_named |= strstr(m, "catat 'pengecualian.lain' is not a record sigap writes") !=
		                 NULL;
	}
	assert_true(field_named);
	assert_true(unknown_named);
	diags_free(&d);
}

static void test_the_life_of_an_exception(void **state)
{
	fixture *f = *state;
	int64_t log4j, ssh;
	findings(f, &log4j, &ssh);
	int64_t due0 = 0;
	finding_state(f, log4j, &due0);
	char ticket[32], ids[48];
	open_case(f, ticket);
	snprintf(ids, sizeof ids, "%lld, %lld", (long long)log4j, (long long)ssh);
	sg_err e = {0};

	/* refusals at the request, nothing written */
	request(f, ticket, ids, "2026-11-01", &e, -1);
	assert_non_null(strstr(e.msg, "day already past"));
	assert_int_equal(count_rows(&f->a, "exceptions"), 0);
	sop_value bad_ctl[] = {{"kontrol", "iso:A.5.1"}, {"alasan", "x"}, {"kompensasi", "y"},
	                       {"berlaku_sampai", "2027-03-01"}, {"surat_permohonan", "surat.pdf"}};
	evidence_file letter;
	assert_int_equal(evidence_spool_data(&f->a, "surat", 5, &letter, &e), 0);
	case_upload up = {"surat_permohonan", "surat.pdf", &letter};
	case_step_req req = {.ticket = ticket, .user = "tek", .values = bad_ctl, .n_values = 5,
	                     .origin = "test", .uploads = &up, .n_uploads = 1,
	                     .on_behalf = "Pemohon", .channel = "surat"};
	case_step_result out;
	assert_int_equal(case_step(&f->a, &req, &out, &e), -1);
	evidence_file_discard(&letter);
	assert_non_null(strstr(e.msg, "not in the catalogue"));
	assert_int_equal(count_rows(&f->a, "exceptions"), 0);

	/* step 1: the request makes the exception */
	request(f, ticket, ids, "2027-06-30", &e, 0);
	int64_t id = exception_id(f, ticket);
	json_t *o = get(f, "tek", id);
	assert_string_equal(str(o, "state"), "diajukan");
	assert_int_equal(json_array_size(json_object_get(o, "findings")), 2);
	assert_int_equal(json_array_size(json_object_get(o, "assets")), 1);
	assert_string_equal(str(json_array_get(json_object_get(o, "controls"), 0), "ref"),
	                    "indeks-kami-4:III");
	assert_string_equal(str(o, "requested_until"), "2027-06-30");
	assert_string_equal(str(o, "requested_by"), "Kepala Dinas Kesehatan"); /* on whose behalf */
	json_decref(o);

	/* a second exception cannot take the same findings */
	char other[32];
	open_case(f, other);
	request(f, other, ids, "2027-01-31", &e, -1);
	assert_non_null(strstr(e.msg, "already in exception"));

	/* step 2: the Daftar Risiko is rows of the register */
	sop_value none[] = {{"risiko", "999"}, {"rekomendasi", "Terima dengan kompensasi."}};
	assert_int_equal(step(&f->a, ticket, "tek", NULL, none, 2, &e), -1);
	assert_non_null(strstr(e.msg, "no risk 999"));
	int64_t r1 = risk(f, "Pengambilalihan akun tanpa 2FA"), r2 = risk(f, "Eksploitasi Log4j");
	char rl[48];
	snprintf(rl, sizeof rl, "%lld,%lld", (long long)r1, (long long)r2);
	step_ok(&f->a, ticket, "tek", NULL,
	        (sop_value[]){{"risiko", rl}, {"rekomendasi", "Terima dengan kompensasi."}}, 2);
	o = get(f, "tek", id);
	assert_int_equal(json_array_size(json_object_get(o, "risks")), 2);
	assert_string_equal(str(json_object_get(json_array_get(json_object_get(o, "risks"), 0),
	                                        "inherent"),
	                        "name"),
	                    "Tinggi");
	json_decref(o);

	/* step 3: refusals of the period, the step stays undone */
	const char *approve = "Disetujui";
	assert_int_equal(step(&f->a, ticket, "kadis", approve,
	                      (sop_value[]){{"berlaku_sampai", "2026-10-30"}}, 1, &e),
	                 -1);
	assert_non_null(strstr(e.msg, "in the past"));
	assert_int_equal(step(&f->a, ticket, "kadis", approve,
	                      (sop_value[]){{"berlaku_sampai", "2027-11-02"}}, 1, &e),
	                 -1);
	assert_non_null(strstr(e.msg, "12 months at most"));
	o = get(f, "kadis", id);
	assert_string_equal(str(o, "state"), "diajukan");
	json_decref(o);
	assert_string_equal(finding_state(f, log4j, NULL), "baru");

	/* approved until the last day of February: in force now */
	step_ok(&f->a, ticket, "kadis", approve,
	        (sop_value[]){{"berlaku_sampai", "2027-02-28"}, {"catatan_persetujuan", "Setuju."}},
	        2);
	o = get(f, "agen1", id); /* the OPD's agent reads it */
	assert_string_equal(str(o, "state"), "berlaku");
	assert_string_equal(str(o, "starts"), "2026-11-02");
	assert_string_equal(str(o, "until"), "2027-02-28");
	assert_string_equal(str(o, "decided_by"), "kadis");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "alerts"), "total")),
	                 0);
	json_decref(o);
	assert_string_equal(finding_state(f, log4j, NULL), "risiko_diterima");
	assert_string_equal(finding_state(f, ssh, NULL), "risiko_diterima");
	/* another OPD's agent does not */
	assert_null(exception_get(&f->a, "agen2", id, &e));
	assert_int_equal(e.code, SG_ENOTFOUND);
	json_t *l = exception_list(&f->a, "tek", "berlaku", &e);
	assert_int_equal(json_array_size(json_object_get(l, "exceptions")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(l, "counts"), "diajukan")),
	                 0); /* the other case's, refused above, never made one */
	json_decref(l);

	/* a change: by whom may, and something must change */
	char t2[32];
	int64_t id2 = 0;
	exception_change_in ch = {.until = "2027-04-30", .why = "Migrasi tertunda."};
	assert_int_equal(exception_change(&f->a, "pel", id, &ch, t2, &id2, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	exception_change_in same = {.until = "2027-02-28", .why = "Tidak ada."};
	assert_int_equal(exception_change(&f->a, "tek", id, &same, t2, &id2, &e), -1);
	assert_non_null(strstr(e.msg, "nothing changed"));
	int64_t cases_before = count_rows(&f->a, "cases");
	/* the change drops ssh: it voids the approval and opens a new case */
	char only[24];
	snprintf(only, sizeof only, "%lld", (long long)log4j);
	exception_change_in ch2 = {.findings = only, .until = "2027-04-30", .why = "Migrasi tertunda."};
	f->a.fixed_now += 10 * DAY;
	if (exception_change(&f->a, "tek", id, &ch2, t2, &id2, &e) != 0)
		fail_msg("change: %s", e.msg);
	assert_int_equal(count_rows(&f->a, "cases"), cases_before + 1);
	o = get(f, "tek", id);
	assert_string_equal(str(o, "state"), "dicabut");
	assert_int_equal(json_integer_value(json_object_get(o, "replaced_by")), id2);
	json_decref(o);
	/* the findings are back to baru, their due dates moved by 10 days */
	int64_t due1 = 0;
	assert_string_equal(finding_state(f, log4j, &due1), "baru");
	if (due0)
		assert_int_equal(due1, due0 + 10 * DAY);
	o = get(f, "tek", id2);
	assert_string_equal(str(o, "state"), "diajukan");
	assert_int_equal(json_integer_value(json_object_get(o, "replaces")), id);
	assert_string_equal(str(o, "requested_until"), "2027-04-30");
	assert_int_equal(json_array_size(json_object_get(o, "findings")), 1);
	assert_int_equal(json_array_size(json_object_get(o, "risks")), 2); /* carried over */
	assert_string_equal(str(json_object_get(o, "case"), "ticket"), t2);
	json_decref(o);
	/* the new case's request is drafted with the change */
	int64_t case2 = 0;
	assert_int_equal(db_query_int(f->a.db, &e, &case2, "SELECT id FROM cases WHERE ticket = ?",
	                              "s", t2),
	                 DB_ROW);
	json_t *draft = step_draft_get(&f->a, case2, 1, &e);
	assert_string_equal(str(json_object_get(draft, "values"), "berlaku_sampai"), "2027-04-30");
	assert_string_equal(str(json_object_get(draft, "values"), "temuan"), only);
	json_decref(draft);
	/* the new case: its request (drafted), risks, approval */
	sop_value v[] = {{"kontrol", "indeks-kami-4:III"},
	                 {"temuan", only},
	                 {"alasan", "Aplikasi lama belum mendukung 2FA."},
	                 {"kompensasi", "Akses hanya dari VPN."},
	                 {"berlaku_sampai", "2027-04-30"},
	                 {"surat_permohonan", "surat.pdf"}};
	case_step_req q2 = {.ticket = t2, .user = "tek", .values = v, .n_values = 6,
	                    .origin = "test", .on_behalf = "Pemohon", .channel = "surat"};
	evidence_file letter2;
	assert_int_equal(evidence_spool_data(&f->a, "surat", 5, &letter2, &e), 0);
	case_upload up2 = {"surat_permohonan", "surat.pdf", &letter2};
	q2.uploads = &up2;
	q2.n_uploads = 1;
	assert_int_equal(case_step(&f->a, &q2, &out, &e), 0);
	evidence_file_discard(&letter2);
	assert_int_equal(exception_id(f, t2), id2);
	step_ok(&f->a, t2, "tek", NULL, (sop_value[]){{"risiko", rl}, {"rekomendasi", "Terima."}}, 2);
	step_ok(&f->a, t2, "kadis", approve, NULL, 0);
	o = get(f, "tek", id2);
	assert_string_equal(str(o, "state"), "berlaku");
	assert_string_equal(str(o, "until"), "2027-04-30");
	json_decref(o);
	assert_string_equal(finding_state(f, log4j, NULL), "risiko_diterima");
	assert_string_equal(finding_state(f, ssh, NULL), "baru");

	/* reminders: 30 days before, then 7, then 1, each once */
	int moved = 0;
	assert_int_equal(exception_round(&f->a, &moved, &e), 0);
	assert_int_equal(moved, 0);
	f->a.fixed_now = wib("2027-04-05 09:00");
	assert_int_equal(exception_round(&f->a, &moved, &e), 0);
	assert_int_equal(moved, 1);
	assert_int_equal(exception_round(&f->a, &moved, &e), 0);
	assert_int_equal(moved, 0);
	f->a.fixed_now = wib("2027-04-25 09:00");
	assert_int_equal(exception_round(&f->a, &moved, &e), 0);
	assert_int_equal(moved, 1);
	l = exception_list(&f->a, "tek", "segera", &e);
	assert_int_equal(json_array_size(json_object_get(l, "exceptions")), 1);
	json_decref(l);

	/* expiry: kedaluwarsa, and the finding back to baru with its due date
	 * moved by the time it spent excepted */
	int64_t taken = 0;
	assert_int_equal(db_query_int(f->a.db, &e, &taken,
	                              "SELECT taken_at FROM exception_items WHERE exception_id = ? "
	                              "AND kind = 'finding'",
	                              "i", id2),
	                 DB_ROW);
	f->a.fixed_now = wib("2027-05-01 00:30");
	assert_int_equal(exception_round(&f->a, &moved, &e), 0);
	assert_int_equal(moved, 1);
	o = get(f, "tek", id2);
	assert_string_equal(str(o, "state"), "kedaluwarsa");
	json_decref(o);
	int64_t due2 = 0;
	assert_string_equal(finding_state(f, log4j, &due2), "baru");
	if (due1)
		assert_int_equal(due2, due1 + (f->a.fixed_now - taken));
	l = exception_list(&f->a, "tek", "kedaluwarsa", &e);
	assert_int_equal(json_array_size(json_object_get(l, "exceptions")), 1);
	json_decref(l);
	/* an expired exception is neither changed nor revoked */
	assert_int_equal(exception_revoke(&f->a, "kadis", id2, "Selesai.", &e), -1);
	assert_int_equal(e.code, SG_ESTATE);
}

static void test_approval_needs_risks_and_a_start_to_come_waits(void **state)
{
	fixture *f = *state;
	char ticket[32];
	open_case(f, ticket);
	sg_err e = {0};
	request(f, ticket, "", "2027-01-31", &e, 0);
	int64_t id = exception_id(f, ticket);
	/* the risk step cannot be skipped by the SOP, but a link emptied in
	 * the store is what approval checks */
	int64_t r1 = risk(f, "Risiko uji");
	char rl[24];
	snprintf(rl, sizeof rl, "%lld", (long long)r1);
	step_ok(&f->a, ticket, "tek", NULL, (sop_value[]){{"risiko", rl}, {"rekomendasi", "x"}}, 2);
	assert_int_equal(db_run(f->a.db, &e, "DELETE FROM exception_risks WHERE exception_id = ?",
	                        "i", id),
	                 0);
	assert_int_equal(step(&f->a, ticket, "kadis", "Disetujui", NULL, 0, &e), -1);
	assert_non_null(strstr(e.msg, "Daftar Risiko"));
	assert_int_equal(db_run(f->a.db, &e,
	                        "INSERT INTO exception_risks (exception_id, risk_id) VALUES (?, ?)",
	                        "ii", id, r1),
	                 0);
	/* a start years ahead, a period beyond the request, a closed risk:
	 * each refused */
	assert_int_equal(step(&f->a, ticket, "kadis", "Disetujui",
	                      (sop_value[]){{"berlaku_mulai", "2036-01-01"},
	                                    {"berlaku_sampai", "2036-06-01"}},
	                      2, &e),
	                 -1);
	assert_non_null(strstr(e.msg, "starts within the longest period"));
	assert_int_equal(step(&f->a, ticket, "kadis", "Disetujui",
	                      (sop_value[]){{"berlaku_sampai", "2027-02-15"}}, 1, &e),
	                 -1);
	assert_non_null(strstr(e.msg, "beyond the period requested"));
	risk_in close = {.status = "ditutup"};
	assert_int_equal(risk_update(&f->a, "tek", r1, &close, &e), 0);
	assert_int_equal(step(&f->a, ticket, "kadis", "Disetujui", NULL, 0, &e), -1);
	assert_non_null(strstr(e.msg, "was closed since the analysis"));
	risk_in reopen = {.status = "aktif"};
	assert_int_equal(risk_update(&f->a, "tek", r1, &reopen, &e), 0);
	/* a start to come: disetujui, then berlaku on its day */
	step_ok(&f->a, ticket, "kadis", "Disetujui",
	        (sop_value[]){{"berlaku_mulai", "2026-12-01"}, {"berlaku_sampai", "2027-01-31"}}, 2);
	json_t *o = get(f, "tek", id);
	assert_string_equal(str(o, "state"), "disetujui");
	json_decref(o);
	int moved = 0;
	f->a.fixed_now = wib("2026-12-01 00:10");
	assert_int_equal(exception_round(&f->a, &moved, &e), 0);
	assert_int_equal(moved, 1);
	o = get(f, "tek", id);
	assert_string_equal(str(o, "state"), "berlaku");
	json_decref(o);
	/* revoked by the kabid, not by the tim_teknis */
	assert_int_equal(exception_revoke(&f->a, "tek", id, "Tidak perlu lagi.", &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_int_equal(exception_revoke(&f->a, "kabid1", id, "Tidak perlu lagi.", &e), 0);
	o = get(f, "tek", id);
	assert_string_equal(str(o, "state"), "dicabut");
	assert_string_equal(str(o, "end_reason"), "Tidak perlu lagi.");
	json_decref(o);
}

static void test_a_refused_request_is_ditolak(void **state)
{
	fixture *f = *state;
	char ticket[32];
	open_case(f, ticket);
	sg_err e = {0};
	request(f, ticket, "", "2027-01-31", &e, 0);
	int64_t id = exception_id(f, ticket), r1 = risk(f, "Risiko uji");
	char rl[24];
	snprintf(rl, sizeof rl, "%lld", (long long)r1);
	step_ok(&f->a, ticket, "tek", NULL, (sop_value[]){{"risiko", rl}, {"rekomendasi", "x"}}, 2);
	step_ok(&f->a, ticket, "kadis", "Tidak Disetujui",
	        (sop_value[]){{"catatan_persetujuan", "Risiko terlalu tinggi."},
	                      {"jawaban_pemohon", "Ditolak."}},
	        2);
	json_t *o = get(f, "tek", id);
	assert_string_equal(str(o, "state"), "ditolak");
	assert_false(json_is_true(json_object_get(o, "may_change")));
	json_decref(o);
	exception_change_in ch = {.until = "2027-01-15", .why = "x"};
	char t2[32];
	int64_t id2;
	assert_int_equal(exception_change(&f->a, "tek", id, &ch, t2, &id2, &e), -1);
	assert_int_equal(e.code, SG_ESTATE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_the_file_checks_what_a_record_step_needs),
	    cmocka_unit_test_setup_teardown(test_the_life_of_an_exception, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_approval_needs_risks_and_a_start_to_come_waits,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_refused_request_is_ditolak, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
