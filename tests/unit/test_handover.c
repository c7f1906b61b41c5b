/*
 * test_handover.c: hand-overs between SOPs and alerts that follow their
 * case. A CTI case decided FALSE NEGATIVE opens an incident case in the
 * same step, linked both ways, carrying the system, the report, the
 * evidence and the alerts, its reporter's step done on the source's
 * behalf; its alerts become true positives. FALSE POSITIVE closes the case
 * and marks the alerts false positives with the report as the reason. An
 * evaluation that needs a revision opens a drafting case for the same
 * policy. A link shows only to who may see the other case. The logbook
 * stays whole.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void setup(app *a, char *dir)
{
	test_app_open(a, dir, wib("2026-11-23 08:00"));
	test_user(a, "ttis", "ttis");
	test_user(a, "kabid", "kabid");
	test_user(a, "petugas", "petugas");
	test_user(a, "tim_evaluasi", "tim_evaluasi");
	test_user(a, "kepala_dinas", "kepala_dinas");
}

/* A stored alert of a rule on an asset. */
static int64_t an_alert(app *a, const char *rule, const char *asset)
{
	sg_err e = {0};
	json_t *ev = json_pack("{s:s, s:s}", "format", "syslog", "raw", "Failed password for root");
	alert_in in = {.kind = "rule", .rule_id = rule, .title = "SSH brute force", .level = "high",
		       .asset = asset, .source_ip = "203.0.113.9", .at = app_now(a), .event = ev};
	alert_out out;
	assert_int_equal(db_begin(a->db, &e), 0);
	assert_int_equal(alert_record(a, &in, 600, &out, &e), 0);
	assert_int_equal(db_commit(a->db, &e), 0);
	json_decref(ev);
	return out.id;
}

/* Completes the case's current step with the values given, and a small
 * file for each file field the step requires (an SOP may ask for its
 * output document). */
static void step(app *a, const char *ticket, const char *user, const char *decision,
		 const sop_value *v, size_t n)
{
	sg_err e = {0};
	sop_value vals[16];
	case_upload ups[4];
	evidence_file files[4];
	size_t nv = 0, nu = 0;
	for (size_t i = 0; i < n && nv < 16; i++)
		vals[nv++] = v[i];
	json_t *c = case_get(a, ticket, NULL, &e);
	assert_non_null(c);
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(json_object_get(c, "current_step"), "fields"), i, f) {
		if (!json_is_true(json_object_get(f, "required")) || nu == 4 ||
		    strcmp(str(f, "type"), "file") != 0)
			continue;
		assert_int_equal(evidence_spool_data(a, "dokumen", 7, &files[nu], &e), 0);
		ups[nu] = (case_upload){json_string_value(json_object_get(f, "name")), "dokumen.pdf",
					&files[nu]};
		vals[nv++] = (sop_value){ups[nu].field, "dokumen.pdf"};
		nu++;
	}
	case_step_req req = {.ticket = ticket, .user = user, .decision = decision, .values = vals,
			     .n_values = nv, .origin = "test", .uploads = ups, .n_uploads = nu};
	case_step_result out;
	int rc = case_step(a, &req, &out, &e);
	for (size_t k = 0; k < nu; k++)
		evidence_file_discard(&files[k]);
	json_decref(c);
	if (rc != 0)
		fail_msg("step of %s by %s: %s", ticket, user, e.msg);
}

/* A CTI case for two alerts, with one evidence file, walked to step 6. */
static void cti_to_step6(app *a, char ticket[32], int64_t ids[2], char sha[65])
{
	sg_err e = {0};
	ids[0] = an_alert(a, "r-1", "web-01");
	ids[1] = an_alert(a, "r-2", "web-01");
	assert_int_equal(alert_open_case(a, "ttis", ids, 2, "test", ticket, &e), 0);
	evidence_file f;
	assert_int_equal(evidence_spool_data(a, "pcap", 4, &f, &e), 0);
	case_upload u = {"berkas", "tangkapan.pcap", &f};
	assert_int_equal(case_attach(a, ticket, "ttis", &u, "test", sha, &e), 0);
	evidence_file_discard(&f);
	step(a, ticket, "ttis", NULL, NULL, 0);
	step(a, ticket, "ttis", NULL, NULL, 0);
	step(a, ticket, "ttis", NULL, (sop_value[]){{"catatan_analisis", "Login gagal beruntun"}}, 1);
	step(a, ticket, "ttis", "Ya", (sop_value[]){{"hasil_analisis", "Pola brute force"}}, 1);
	step(a, ticket, "ttis", NULL, (sop_value[]){{"hasil_va", "Kata sandi lemah"}}, 1);
}

static void test_false_negative_opens_an_incident(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	setup(&a, dir);
	char cti[32], sha[65];
	int64_t ids[2];
	cti_to_step6(&a, cti, ids, sha);
	step(&a, cti, "ttis", "FALSE NEGATIVE",
	     (sop_value[]){{"laporan", "Akun root web-01 berhasil ditebak dari 203.0.113.9"}}, 1);

	sg_err e = {0};
	json_t *c = case_get(&a, cti, NULL, &e);
	assert_non_null(c);
	assert_string_equal(str(c, "status"), "open"); /* on to verification, step 7 */
	json_t *links = json_object_get(c, "links");
	assert_int_equal(json_array_size(links), 1);
	json_t *l = json_array_get(links, 0);
	assert_string_equal(str(l, "direction"), "to");
	assert_string_equal(str(json_object_get(l, "procedure"), "id"), "insiden");
	assert_string_equal(str(l, "decision"), "FALSE NEGATIVE");
	char ins[32];
	snprintf(ins, sizeof ins, "%s", str(l, "ticket"));
	assert_int_equal(strncmp(ins, "INS-2026-", 9), 0);
	json_decref(c);

	json_t *n = case_get(&a, ins, NULL, &e);
	assert_non_null(n);
	/* linked back */
	l = json_array_get(json_object_get(n, "links"), 0);
	assert_string_equal(str(l, "direction"), "from");
	assert_string_equal(str(l, "ticket"), cti);
	assert_non_null(strstr(str(l, "note"), "Akun root web-01"));
	/* carried fields and a title naming the source */
	json_t *fields = json_object_get(n, "fields");
	assert_string_equal(str(fields, "sistem_terdampak"), "web-01");
	assert_string_equal(str(fields, "uraian_kejadian"),
			    "Akun root web-01 berhasil ditebak dari 203.0.113.9");
	assert_non_null(strstr(str(n, "title"), cti));
	/* the reporter's step done on the source's behalf: staff act next */
	json_t *h0 = json_array_get(json_object_get(n, "history"), 0);
	assert_string_equal(str(h0, "role"), "pelapor");
	assert_string_equal(str(h0, "actor"), "ttis");
	assert_string_equal(str(h0, "on_behalf_of"), cti);
	assert_string_equal(str(h0, "channel"), "serah terima");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(n, "current_step"), "no")),
			 2);
	/* the evidence, its custody naming the source */
	json_t *ev = NULL, *one;
	size_t k_ev;
	json_array_foreach(json_object_get(n, "evidence"), k_ev, one)
		if (strcmp(str(one, "sha256"), sha) == 0)
			ev = one;
	assert_non_null(ev);
	char origin[64];
	snprintf(origin, sizeof origin, "kasus %s", cti);
	assert_string_equal(str(ev, "origin"), origin);
	/* the alerts, true positives now, with the report as the reason */
	json_t *alerts = json_object_get(n, "alerts");
	assert_int_equal(json_array_size(alerts), 2);
	json_decref(n);
	for (int i = 0; i < 2; i++) {
		json_t *al = alert_get(&a, ids[i], NULL, &e);
		assert_string_equal(str(al, "status"), "true_positive");
		assert_non_null(strstr(str(al, "reason"), "Akun root web-01"));
		assert_string_equal(str(al, "case"), cti);
		assert_int_equal(json_array_size(json_object_get(al, "cases")), 2);
		json_decref(al);
	}
	/* need-to-know: a link shows only to who may see the other case too */
	json_t *k = case_get(&a, cti, "kepala_dinas", &e); /* CTI staff, not of insiden */
	assert_non_null(k);
	assert_int_equal(json_array_size(json_object_get(k, "links")), 0);
	json_decref(k);
	k = case_get(&a, cti, "ttis", &e); /* staff of both */
	assert_int_equal(json_array_size(json_object_get(k, "links")), 1);
	json_decref(k);
	k = case_get(&a, ins, "petugas", &e); /* insiden staff, not of CTI */
	assert_non_null(k);
	assert_int_equal(json_array_size(json_object_get(k, "links")), 0);
	json_decref(k);
	k = alert_get(&a, ids[0], "kepala_dinas", &e);
	assert_int_equal(json_array_size(json_object_get(k, "cases")), 1);
	json_decref(k);
	/* an alert in a CTI case is not taken into another */
	char again[32];
	assert_int_equal(alert_open_case(&a, "ttis", ids, 1, "test", again, &e), -1);
	assert_int_equal(e.code, SG_ESTATE);
	/* each decided alert and the hand-over are in the logbook, whole */
	int64_t n_decided = 0;
	db_query_int(a.db, &e, &n_decided,
		     "SELECT COUNT(*) FROM logbook WHERE action = 'alert.decide'", "");
	assert_int_equal(n_decided, 2);
	int64_t n_handover = 0;
	db_query_int(a.db, &e, &n_handover,
		     "SELECT COUNT(*) FROM logbook WHERE action = 'case.handover'", "");
	assert_int_equal(n_handover, 1);
	logbook_report rep;
	assert_int_equal(logbook_verify(&a, &rep, &e), 0);
	app_close(&a);
	scratch_free(dir);
}

static void test_false_positive_closes_and_clears_the_alerts(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	setup(&a, dir);
	char cti[32], sha[65];
	int64_t ids[2];
	cti_to_step6(&a, cti, ids, sha);
	step(&a, cti, "ttis", "FALSE POSITIVE",
	     (sop_value[]){{"laporan", "Pemindaian terjadwal dari tim internal"}}, 1);
	sg_err e = {0};
	json_t *c = case_get(&a, cti, NULL, &e);
	assert_string_equal(str(c, "status"), "closed");
	assert_int_equal(json_array_size(json_object_get(c, "links")), 0);
	json_t *alerts = json_object_get(c, "alerts");
	assert_int_equal(json_array_size(alerts), 2);
	size_t i;
	json_t *al;
	json_array_foreach(alerts, i, al) {
		assert_string_equal(str(al, "status"), "false_positive");
		assert_non_null(strstr(str(al, "reason"), "Pemindaian terjadwal"));
		assert_non_null(strstr(str(al, "reason"), "FALSE POSITIVE"));
		assert_string_equal(str(al, "decided_by"), "ttis");
	}
	json_decref(c);
	assert_int_equal(count_rows(&a, "case_links"), 0);
	assert_int_equal(count_rows(&a, "cases"), 1);
	app_close(&a);
	scratch_free(dir);
}

/* A refused step leaves no hand-over behind: one transaction. */
static void test_refused_step_hands_nothing_over(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	setup(&a, dir);
	char cti[32], sha[65];
	int64_t ids[2];
	cti_to_step6(&a, cti, ids, sha);
	case_step_req req = {.ticket = cti, .user = "ttis", .decision = "FALSE NEGATIVE",
			     .origin = "test"}; /* no laporan: required */
	case_step_result out;
	sg_err e = {0};
	assert_int_equal(case_step(&a, &req, &out, &e), -1);
	assert_int_equal(count_rows(&a, "cases"), 1);
	assert_int_equal(count_rows(&a, "case_links"), 0);
	json_t *al = alert_get(&a, ids[0], NULL, &e);
	assert_string_equal(str(al, "status"), "triage");
	json_decref(al);
	app_close(&a);
	scratch_free(dir);
}

static void test_revision_starts_drafting(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	setup(&a, dir);
	sg_err e = {0};
	char kbe[32];
	/* a policy of the library the evaluation is about */
	int64_t policy = 0;
	assert_int_equal(db_insert(a.db, &e, &policy,
	                           "INSERT INTO policies (title, kind, created_by, created_at, "
	                           "updated_at) VALUES ('Kebijakan kata sandi', 'kebijakan', 'test', 0, "
	                           "0)",
	                           ""),
	                 0);
	char ref[24];
	snprintf(ref, sizeof ref, "%lld", (long long)policy);
	sop_value f[] = {{"kebijakan", ref}};
	case_new_req req = {"kebijakan/evaluasi", "Evaluasi kebijakan kata sandi", f, 1, "tim_evaluasi",
			    "test"};
	assert_int_equal(case_new(&a, &req, kbe, &e), 0);
	step(&a, kbe, "tim_evaluasi", NULL, (sop_value[]){{"telaahan", "Kepatuhan rendah"}}, 1);
	step(&a, kbe, "tim_evaluasi", "Perlu Revisi",
	     (sop_value[]){{"analisis", "Panjang minimum perlu dinaikkan"}}, 1);
	json_t *c = case_get(&a, kbe, NULL, &e);
	json_t *l = json_array_get(json_object_get(c, "links"), 0);
	assert_non_null(l);
	assert_string_equal(str(json_object_get(l, "procedure"), "id"), "kebijakan/penyusunan");
	char kbs[32];
	snprintf(kbs, sizeof kbs, "%s", str(l, "ticket"));
	assert_int_equal(strncmp(kbs, "KBS-", 4), 0);
	/* the evaluation goes on to its recommendation */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "current_step"), "no")),
			 3);
	json_decref(c);
	c = case_get(&a, kbs, NULL, &e);
	assert_string_equal(str(json_object_get(c, "fields"), "kebijakan"), ref);
	/* its first step is staff work: nothing done on anyone's behalf */
	assert_int_equal(json_array_size(json_object_get(c, "history")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "current_step"), "no")),
			 1);
	json_decref(c);
	app_close(&a);
	scratch_free(dir);
}

/* A branch taken again (its step done anew) hands over once. */
static void test_hands_over_once(void **state)
{
	(void)state;
	char *dir = scratch_new();
	char path[4200];
	snprintf(path, sizeof path, "%s/ulang.yaml", dir);
	FILE *f = fopen(path, "w");
	fputs("id: ulang\nnama: Ulang\nnomor: 1\nticket_prefix: ULG\n"
	      "pelaksana: [{id: ttis, nama: TTIS}]\n"
	      "prosedur:\n  - nama: Ulang\n    langkah:\n"
	      "      - no: 1\n        uraian: Menilai\n        pelaksana: ttis\n        waktu: 1 Jam\n"
	      "        decision:\n          branches:\n"
	      "            - {label: Lagi, next: 1, start: insiden}\n"
	      "            - {label: Cukup, next: selesai}\n",
	      f);
	fclose(f);
	app_config cfg;
	sg_err e = {0};
	assert_int_equal(app_config_load(&cfg, NULL, &e), 0);
	free(cfg.db_path);
	free(cfg.evidence_dir);
	cfg.db_path = malloc(4200);
	cfg.evidence_dir = malloc(4200);
	cfg.sops_dir = strdup(dir);
	snprintf(cfg.db_path, 4200, "%s/sigap.db", dir);
	snprintf(cfg.evidence_dir, 4200, "%s/evidence", dir);
	app a;
	if (app_open(&a, &cfg, DB_OPEN_CREATE, &e) != 0)
		fail_msg("app_open: %s", e.msg);
	a.fixed_now = wib("2026-11-23 08:00");
	test_user(&a, "ttis", "ttis");
	char t[32];
	case_new_req req = {"ulang", "Penilaian", NULL, 0, "ttis", "test"};
	assert_int_equal(case_new(&a, &req, t, &e), 0);
	step(&a, t, "ttis", "Lagi", NULL, 0);
	step(&a, t, "ttis", "Lagi", NULL, 0);
	step(&a, t, "ttis", "Cukup", NULL, 0);
	assert_int_equal(count_rows(&a, "case_links"), 1);
	int64_t n = 0;
	db_query_int(a.db, &e, &n, "SELECT COUNT(*) FROM cases WHERE procedure_id = 'insiden'", "");
	assert_int_equal(n, 1);
	app_close(&a);
	scratch_free(dir);
}

/* The registry refuses an SOP directory whose hand-over goes nowhere. */
/* The hand-over's news: one message for the new case, naming the step
 * it waits at after the report step (not the report step), and a TLP:RED
 * source's title is neither in the new case's title nor in the message. */
static void test_handover_told_where_it_waits(void **state)
{
	(void)state;
	for (int red = 0; red < 2; red++) {
		char *dir = scratch_new();
		app a;
		setup(&a, dir);
		a.cfg.nt_webhook_url = strdup("http://127.0.0.1:9/hook");
		a.cfg.nt_webhook_secret = strdup("rahasia-webhook-uji-2026");
		char cti[32], sha[65];
		int64_t ids[2];
		cti_to_step6(&a, cti, ids, sha);
		sg_err e = {0};
		if (red)
			assert_int_equal(case_set_tlp(&a, cti, "ttis", "TLP:RED", &e), 0);
		step(&a, cti, "ttis", "FALSE NEGATIVE",
		     (sop_value[]){{"laporan", "Akun root web-01 berhasil ditebak"}}, 1);
		json_t *c = case_get(&a, cti, NULL, &e);
		char ins[32];
		snprintf(ins, sizeof ins, "%s",
		         str(json_array_get(json_object_get(c, "links"), 0), "ticket"));
		json_decref(c);
		json_t *n = case_get(&a, ins, NULL, &e);
		int waits = (int)json_integer_value(
		    json_object_get(json_object_get(n, "current_step"), "no"));
		assert_true(waits > 1); /* past the report step */
		const char *title = str(n, "title");
		assert_null(red ? strstr(title, "Penanganan") : NULL);
		if (red) {
			char want[64];
			snprintf(want, sizeof want, "Tindak lanjut %s (TLP:RED)", cti);
			assert_string_equal(title, want);
		}
		char object[64];
		snprintf(object, sizeof object, "case:%s", ins);
		db_stmt *st;
		assert_int_equal(db_prepare_bind(a.db, &st, &e,
		                                 "SELECT body FROM outbox WHERE object = ? ORDER BY id",
		                                 "s", object),
		                 0);
		int k = 0;
		while (db_step(st, &e) == DB_ROW) {
			json_t *b = json_loads(db_col_text(st, 0), 0, NULL);
			assert_non_null(b);
			assert_string_equal(str(b, "event"), "langkah.menunggu");
			assert_int_equal(json_integer_value(json_object_get(json_object_get(b, "step"), "no")),
			                 waits);
			const char *told = json_string_value(json_object_get(json_object_get(b, "case"), "title"));
			assert_string_equal(told ? told : "", title);
			json_decref(b);
			k++;
		}
		db_finalize(st);
		assert_int_equal(k, 1);
		json_decref(n);
		app_close(&a);
		scratch_free(dir);
	}
}

static void test_registry_refuses_unknown_target(void **state)
{
	(void)state;
	sop_registry r;
	diags d = DIAGS_INIT;
	char *dir = scratch_new();
	char path[4200];
	snprintf(path, sizeof path, "%s/cti.yaml", dir);
	size_t n;
	char *text = read_all(src_path("sops/cti.yaml"), &n);
	char *at = strstr(text, "start: insiden");
	assert_non_null(at);
	memcpy(at, "start: insidex", 14);
	FILE *f = fopen(path, "w");
	fwrite(text, 1, n, f);
	fclose(f);
	free(text);
	assert_int_equal(sops_load(&r, dir, &d), -1);
	char first[1200];
	diags_first(&d, first, sizeof first);
	assert_non_null(strstr(first, "cti.yaml:"));
	assert_non_null(strstr(first, "starts procedure 'insidex'"));
	diags_free(&d);
	sops_free(&r);
	scratch_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_false_negative_opens_an_incident),
		cmocka_unit_test(test_false_positive_closes_and_clears_the_alerts),
		cmocka_unit_test(test_refused_step_hands_nothing_over),
		cmocka_unit_test(test_revision_starts_drafting),
		cmocka_unit_test(test_hands_over_once),
		cmocka_unit_test(test_handover_told_where_it_waits),
		cmocka_unit_test(test_registry_refuses_unknown_target),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
