/*
 * test_cases.c: cases on a real SQLite file. Every seed procedure is
 * walked through every branch to an end by users holding the steps'
 * roles; refusals (role, required field, decision, closed case) change
 * nothing; tickets are numbered per prefix and year; evidence is stored
 * by content with its custody record; an outside actor's step is done on
 * its behalf or through a single-use link; a case is sent back to a step
 * it passed, and reopened by the Kabid.
 */
#include "helpers.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* A valid value for a field of each type. */
static const char *sample(const sop_field *f)
{
	switch (f->type) {
	case FIELD_SELECT: return f->options[0];
	case FIELD_DATE: return "2026-11-23";
	case FIELD_NUMBER: return "3";
	case FIELD_REF: return "REF-1";
	case FIELD_FILE: return NULL; /* a file: see step_values */
	default: return "Isian uji";
	}
}

static size_t fill_required(const sop_field *f, size_t n, sop_value *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (f[i].required && sample(&f[i])) {
			out[k].name = f[i].name;
			out[k].value = sample(&f[i]);
			k++;
		}
	return k;
}

/* What a walk gives a step: its required fields and those a branch
 * needs (wajib), a small document for each file among them. */
typedef struct step_input {
	sop_value v[32];
	size_t nv;
	evidence_file files[8];
	case_upload up[8];
	size_t nu;
} step_input;

static bool wanted(const sop_step *st, const sop_field *f)
{
	if (f->required)
		return true;
	for (size_t b = 0; b < st->n_branches; b++)
		for (size_t k = 0; k < st->branches[b].n_wajib; k++)
			if (strcmp(st->branches[b].wajib[k], f->name) == 0)
				return true;
	return false;
}

/* A step that writes a record (catat:) gets what the record needs
 * (exceptions.c): a control of the catalogue and a day to come on the
 * request, a risk of the register on the risk analysis. */
static void record_values(app *a, const sop_step *st, step_input *in)
{
	if (st->catat == NULL)
		return;
	for (size_t i = 0; i < in->nv; i++) {
		if (strcmp(in->v[i].name, "berlaku_sampai") == 0)
			in->v[i].value = "2027-03-31";
		if (strcmp(in->v[i].name, "tanggal_pengesahan") == 0)
			in->v[i].value = "2026-11-20"; /* not a day to come */
	}
	if (strcmp(st->catat, "kebijakan.draf") == 0)
		in->v[in->nv++] = (sop_value){"judul_kebijakan", "Kebijakan kata sandi"};
	if (strcmp(st->catat, "pengecualian.permohonan") == 0)
		in->v[in->nv++] = (sop_value){"kontrol", "indeks-kami-4:III"};
	if (strcmp(st->catat, "pengecualian.risiko") == 0) {
		static char id[24];
		int64_t n = 0;
		sg_err e = {0};
		risk_in r = {.title = "Risiko uji", .likelihood = 3, .impact = 3, .treatment = "terima"};
		if (risk_create(a, "cli:test", &r, &n, &e) != 0)
			fail_msg("risk: %s", e.msg);
		snprintf(id, sizeof id, "%lld", (long long)n);
		for (size_t i = 0; i < in->nv; i++)
			if (strcmp(in->v[i].name, "risiko") == 0)
				in->v[i].value = id;
	}
}

static void step_values(app *a, const sop_step *st, step_input *in)
{
	in->nv = in->nu = 0;
	for (size_t i = 0; i < st->n_fields; i++) {
		const sop_field *f = &st->fields[i];
		if (!wanted(st, f))
			continue;
		if (f->type == FIELD_FILE) {
			sg_err e = {0};
			char doc[64];
			int n = snprintf(doc, sizeof doc, "dokumen %s langkah %d", f->name, st->no);
			assert_int_equal(evidence_spool_data(a, doc, (size_t)n, &in->files[in->nu], &e), 0);
			in->up[in->nu] = (case_upload){f->name, "dokumen.pdf", &in->files[in->nu]};
			in->nu++;
			in->v[in->nv++] = (sop_value){f->name, "dokumen.pdf"};
			continue;
		}
		in->v[in->nv++] = (sop_value){f->name, sample(f)};
	}
	record_values(a, st, in);
}

static void step_input_done(step_input *in)
{
	for (size_t i = 0; i < in->nu; i++)
		evidence_file_discard(&in->files[i]);
}

/* One user per role, named after it. */
static void users_for(app *a, const sop *s)
{
	for (size_t i = 0; i < s->n_roles; i++) {
		int64_t n = 0;
		sg_err e = {0};
		db_query_int(a->db, &e, &n, "SELECT COUNT(*) FROM users WHERE name = ?", "s",
			     s->roles[i].id);
		if (n == 0)
			test_user(a, s->roles[i].id, s->roles[i].id);
	}
}

/* Opened by the first step's actor when that is an outside role (the
 * reporter opening its own report), else by a staff user. */
static char *open_case(app *a, const sop *s, const sop_procedure *p, char ticket[32])
{
	sop_value v[32];
	size_t n = fill_required(p->fields, p->n_fields, v);
	const char *by = sop_role_outside(s, p->steps[0].role) ? p->steps[0].role : "test:tester";
	sg_err e = {0};
	/* a case of the policy SOP's publication or evaluation is about a
	 * policy of the library with a ratified version (policies.c) */
	int64_t policy = 0;
	char ref[24];
	bool about_policy = strcmp(p->id, "kebijakan/publikasi") == 0 ||
	                    strcmp(p->id, "kebijakan/evaluasi") == 0;
	if (about_policy) {
		if (db_insert(a->db, &e, &policy,
		              "INSERT INTO policies (title, kind, created_by, created_at, updated_at) "
		              "VALUES ('Kebijakan uji', 'kebijakan', 'test', 0, 0)",
		              "") != 0)
			fail_msg("policy: %s", e.msg);
		snprintf(ref, sizeof ref, "%lld", (long long)policy);
		v[n++] = (sop_value){"kebijakan", ref};
	}
	case_new_req req = {p->id, NULL, v, n, by, "test"};
	if (case_new(a, &req, ticket, &e) != 0)
		fail_msg("case_new %s: %s", p->id, e.msg);
	if (about_policy &&
	    db_run(a->db, &e,
	           "INSERT INTO policy_versions (policy_id, version, body, state, case_id, "
	           "created_by, created_at, updated_at) SELECT ?, 1, '# Uji', 'disahkan', id, 'test', "
	           "0, 0 FROM cases WHERE ticket = ?",
	           "is", policy, ticket) != 0)
		fail_msg("version: %s", e.msg);
	return ticket;
}

static void test_walk_every_seed_procedure(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 08:00"));
	size_t walked = 0;
	for (size_t si = 0; si < a.sops.n; si++) {
		const sop *s = a.sops.v[si].sop;
		users_for(&a, s);
		for (size_t pi = 0; pi < s->n_procs; pi++) {
			const sop_procedure *p = &s->procs[pi];
			walk walks[64];
			size_t nw = walks_covering(p, walks, 64);
			for (size_t w = 0; w < nw; w++) {
				char ticket[32];
				open_case(&a, s, p, ticket);
				const char *staff = NULL; /* the last staff actor: sees the case */
				for (size_t k = 0; k < walks[w].n; k++) {
					const sop_step *st = &p->steps[walks[w].idx[k]];
					sg_err ae = {0};
					/* an outside actor is asked by assignment (it sees
					 * only the parts addressed to it) */
					if (sop_role_outside(s, st->role) && staff &&
					    case_assign(&a, ticket, staff, st->role, &ae) != 0)
						fail_msg("%s assign %s: %s", ticket, st->role, ae.msg);
					if (!sop_role_outside(s, st->role))
						staff = st->role;
					step_input in;
					step_values(&a, st, &in);
					case_step_req req = {ticket, st->role, walks[w].decision[k], in.v,
							     in.nv, "test", in.up, in.nu};
					case_step_result r;
					sg_err e = {0};
					a.fixed_now += 60;
					if (case_step(&a, &req, &r, &e) != 0)
						fail_msg("%s step %d: %s", ticket, st->no, e.msg);
					step_input_done(&in);
					bool last = k + 1 == walks[w].n;
					assert_int_equal(r.closed, last);
					if (!last)
						assert_int_equal(r.next_no, p->steps[walks[w].next[k]].no);
				}
				sg_err e = {0};
				json_t *c = case_get(&a, ticket, NULL, &e);
				assert_non_null(c);
				assert_string_equal(json_string_value(json_object_get(c, "status")), "closed");
				assert_true(json_is_null(json_object_get(c, "current_step")));
				assert_int_equal(json_array_size(json_object_get(c, "history")), walks[w].n);
				json_decref(c);
				walked++;
			}
		}
	}
	assert_int_equal(walked, 68);
	logbook_report rep;
	sg_err e = {0};
	assert_int_equal(logbook_verify(&a, &rep, &e), 0);
	app_close(&a);
	scratch_free(dir);
}

typedef struct counts {
	int64_t runs, logbook, cases;
} counts;

static counts snapshot(app *a)
{
	return (counts){count_rows(a, "step_runs"), count_rows(a, "logbook"), count_rows(a, "cases")};
}

static void assert_unchanged(app *a, counts before, const char *ticket, int step_no)
{
	counts now = snapshot(a);
	assert_int_equal(now.runs, before.runs);
	assert_int_equal(now.logbook, before.logbook);
	assert_int_equal(now.cases, before.cases);
	sg_err e = {0};
	json_t *c = case_get(a, ticket, NULL, &e);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "current_step"), "no")),
			 step_no);
	json_decref(c);
}

static const sop_value report[] = {
	{"pelapor_nama", "Siti"},
	{"pelapor_kontak", "0812"},
	{"sistem_terdampak", "https://contoh.go.id"},
	{"uraian_kejadian", "Situs berubah."},
};

static void test_refusals(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 08:00"));
	test_user(&a, "pelapor1", "pelapor");
	test_user(&a, "petugas1", "petugas");
	test_user(&a, "ttis1", "ttis");
	test_user(&a, "admin1", "admin");
	sg_err e = {0};
	char ticket[32];
	case_new_req req = {"insiden", "Uji", report, 4, "pelapor1", "test"};
	assert_int_equal(case_new(&a, &req, ticket, &e), 0);
	assert_string_equal(ticket, "INS-2026-0001");
	case_step_result r;
	case_step_req s1 = {ticket, "pelapor1", NULL, NULL, 0, "test"};
	assert_int_equal(case_step(&a, &s1, &r, &e), 0);
	counts before = snapshot(&a);

	/* A user without the step's role; an admin, who is not staff of the
	 * procedure, may not even know the case (need-to-know). */
	sop_value s2v[] = {{"asal_laporan", "Pihak luar"}, {"saluran", "Surel"}};
	case_step_req wrong = {ticket, "ttis1", NULL, s2v, 2, "test"};
	assert_int_equal(case_step(&a, &wrong, &r, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_non_null(strstr(e.msg, "does not hold the role 'petugas'"));
	wrong.user = "admin1";
	assert_int_equal(case_step(&a, &wrong, &r, &e), -1);
	assert_int_equal(e.code, SG_ENOTFOUND);
	wrong.user = "nobody";
	assert_int_equal(case_step(&a, &wrong, &r, &e), -1);
	assert_int_equal(e.code, SG_ENOTFOUND);
	assert_unchanged(&a, before, ticket, 2);

	/* A missing required field. */
	case_step_req missing = {ticket, "petugas1", NULL, s2v, 1, "test"};
	assert_int_equal(case_step(&a, &missing, &r, &e), -1);
	assert_int_equal(e.code, SG_EINVAL);
	assert_non_null(strstr(e.msg, "required field 'saluran'"));
	assert_unchanged(&a, before, ticket, 2);

	case_step_req ok2 = {ticket, "petugas1", NULL, s2v, 2, "test"};
	assert_int_equal(case_step(&a, &ok2, &r, &e), 0);
	sop_value s3v[] = {{"ringkasan", "r"}};
	case_step_req ok3 = {ticket, "petugas1", NULL, s3v, 1, "test"};
	assert_int_equal(case_step(&a, &ok3, &r, &e), 0);
	before = snapshot(&a);

	/* An unknown decision, and a missing one. */
	sop_value s4v[] = {{"hasil_verifikasi", "v"}};
	case_step_req bad = {ticket, "petugas1", "Mungkin", s4v, 1, "test"};
	assert_int_equal(case_step(&a, &bad, &r, &e), -1);
	assert_non_null(strstr(e.msg, "no decision 'Mungkin'"));
	bad.decision = NULL;
	assert_int_equal(case_step(&a, &bad, &r, &e), -1);
	assert_non_null(strstr(e.msg, "choose one of 'Bukan Insiden', 'Insiden'"));
	assert_unchanged(&a, before, ticket, 4);

	/* "Bukan Insiden" closes the case, telling the reporter why; then
	 * nothing more. */
	bad.decision = "bukan insiden";
	assert_int_equal(case_step(&a, &bad, &r, &e), -1);
	assert_non_null(strstr(e.msg, "needs the field 'penjelasan_pelapor'"));
	assert_unchanged(&a, before, ticket, 4);
	sop_value s4w[] = {{"hasil_verifikasi", "v"}, {"penjelasan_pelapor", "Bukan insiden: iklan resmi"}};
	bad.values = s4w;
	bad.n_values = 2;
	assert_int_equal(case_step(&a, &bad, &r, &e), 0);
	assert_true(r.closed);
	before = snapshot(&a);
	assert_int_equal(case_step(&a, &bad, &r, &e), -1);
	assert_int_equal(e.code, SG_ESTATE);
	assert_non_null(strstr(e.msg, "is closed"));
	assert_int_equal(snapshot(&a).runs, before.runs);
	/* The decision is stored as the SOP spells it. */
	json_t *c = case_get(&a, ticket, NULL, &e);
	json_t *last = json_array_get(json_object_get(c, "history"), 3);
	assert_string_equal(json_string_value(json_object_get(last, "decision")), "Bukan Insiden");
	json_decref(c);

	/* Bad input to case_new changes nothing. */
	before = snapshot(&a);
	case_new_req nope = {"insiden", "Uji", report, 3, "test:tester", "test"};
	assert_int_equal(case_new(&a, &nope, ticket, &e), -1);
	nope.procedure_id = "tidak-ada";
	assert_int_equal(case_new(&a, &nope, ticket, &e), -1);
	assert_int_equal(e.code, SG_ENOTFOUND);
	case_new_req bad_title = {"insiden", "judul\x01", report, 4, "test:tester", "test"};
	assert_int_equal(case_new(&a, &bad_title, ticket, &e), -1);
	assert_int_equal(snapshot(&a).cases, before.cases);
	assert_int_equal(snapshot(&a).logbook, before.logbook);
	assert_int_equal(case_step(&a, &(case_step_req){"INS-2026-9999", "petugas1", NULL, NULL, 0, "t"},
				   &r, &e),
			 -1);
	assert_int_equal(e.code, SG_ENOTFOUND);
	app_close(&a);
	scratch_free(dir);
}

static void test_tickets_per_prefix_and_year(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-12-31 23:00"));
	sg_err e = {0};
	char t[32];
	case_new_req req = {"insiden", NULL, report, 4, "test:tester", "test"};
	assert_int_equal(case_new(&a, &req, t, &e), 0);
	assert_string_equal(t, "INS-2026-0001");
	assert_int_equal(case_new(&a, &req, t, &e), 0);
	assert_string_equal(t, "INS-2026-0002");
	case_new_req keb = {"kebijakan/evaluasi", NULL, NULL, 0, "test:tester", "test"};
	assert_int_equal(case_new(&a, &keb, t, &e), 0);
	assert_string_equal(t, "KBE-2026-0001");
	/* 2027-01-01 00:30 WIB is still 2026 in UTC: the year is WIB's. */
	a.fixed_now = wib("2027-01-01 00:30");
	assert_int_equal(case_new(&a, &req, t, &e), 0);
	assert_string_equal(t, "INS-2027-0001");
	json_t *c = case_get(&a, "INS-2026-0001", NULL, &e);
	/* Without a title, the procedure's name. */
	assert_string_equal(json_string_value(json_object_get(c, "title")),
			    "Layanan Insiden Keamanan Informasi");
	json_decref(c);
	case_filter f = {.procedure_id = "kebijakan"};
	json_t *list = case_list(&a, &f, &e);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	app_close(&a);
	scratch_free(dir);
}

static void test_sla_recorded(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	/* Opened Friday 2026-11-20 15:50 WIB. */
	test_app_open(&a, dir, wib("2026-11-20 15:50"));
	test_user(&a, "pelapor1", "pelapor");
	test_user(&a, "petugas1", "petugas");
	sg_err e = {0};
	char t[32];
	case_new_req req = {"insiden", NULL, report, 4, "pelapor1", "test"};
	assert_int_equal(case_new(&a, &req, t, &e), 0);
	case_step_result r;
	/* Step 1 (5 Menit) done after 3 minutes: met. */
	a.fixed_now += 180;
	assert_int_equal(case_step(&a, &(case_step_req){t, "pelapor1", NULL, NULL, 0, "t"}, &r, &e), 0);
	assert_true(r.sla.met);
	assert_int_equal(r.sla.spent, 180);
	/* Step 2 (10 Menit) done on Monday: breached. */
	a.fixed_now = wib("2026-11-23 08:00");
	sop_value v[] = {{"asal_laporan", "Pihak luar"}, {"saluran", "Surel"}};
	assert_int_equal(case_step(&a, &(case_step_req){t, "petugas1", NULL, v, 2, "t"}, &r, &e), 0);
	assert_false(r.sla.met);
	assert_int_equal(r.sla.due, wib("2026-11-20 16:03"));
	json_t *c = case_get(&a, t, NULL, &e);
	json_t *sla = json_object_get(c, "sla");
	assert_int_equal(json_integer_value(json_object_get(sla, "runs")), 2);
	assert_int_equal(json_integer_value(json_object_get(sla, "met")), 1);
	json_t *cur = json_object_get(c, "current_step");
	assert_int_equal(json_integer_value(json_object_get(cur, "due_at")), wib("2026-11-23 08:10"));
	json_decref(c);
	json_t *comp = sla_compliance(&a, "insiden", 0, NULL, &e);
	assert_true(json_real_value(json_object_get(comp, "rate")) == 0.5);
	json_decref(comp);
	app_close(&a);
	scratch_free(dir);
}

static void test_evidence(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 08:00"));
	test_user(&a, "petugas1", "petugas");
	sg_err e = {0};
	evidence_file f;
	assert_int_equal(evidence_spool_data(&a, "abc", 3, &f, &e), 0);
	sop_value v[5];
	memcpy(v, report, sizeof report);
	v[4] = (sop_value){"bukti", "tangkapan-layar.txt"};
	case_upload up = {"bukti", "tangkapan-layar.txt", &f};
	char t[32];
	case_new_req req = {"insiden", NULL, v, 5, "petugas1", "203.0.113.7", &up, 1};
	assert_int_equal(case_new(&a, &req, t, &e), 0);
	evidence_file_discard(&f);
	const char *sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	char stored[4300];
	snprintf(stored, sizeof stored, "%s/evidence/ba/%s", dir, sha);
	struct stat st;
	assert_int_equal(stat(stored, &st), 0);
	assert_int_equal(st.st_size, 3);
	assert_int_equal(st.st_nlink, 1); /* the spool's name is gone */
	json_t *c = case_get(&a, t, NULL, &e);
	json_t *ev = json_array_get(json_object_get(c, "evidence"), 0);
	assert_string_equal(json_string_value(json_object_get(ev, "sha256")), sha);
	assert_string_equal(json_string_value(json_object_get(ev, "filename")), "tangkapan-layar.txt");
	assert_string_equal(json_string_value(json_object_get(ev, "added_by")), "petugas1");
	assert_string_equal(json_string_value(json_object_get(ev, "origin")), "203.0.113.7");
	json_decref(c);

	/* A value that is not an upload is a reference to evidence the
	 * actor may see (its SHA-256), never a path. */
	int64_t before = count_rows(&a, "cases");
	req.uploads = NULL;
	req.n_uploads = 0;
	char path[4200];
	snprintf(path, sizeof path, "%s/sigap.db", dir);
	const char *not_files[] = {path, "/etc/passwd", "/nonexistent/file",
				   "0000000000000000000000000000000000000000000000000000000000000000"};
	for (size_t i = 0; i < sizeof not_files / sizeof *not_files; i++) {
		v[4].value = not_files[i];
		assert_int_equal(case_new(&a, &req, t, &e), -1);
		assert_int_equal(e.code, SG_EINVAL);
		assert_non_null(strstr(e.msg, "takes a file"));
	}
	assert_int_equal(count_rows(&a, "cases"), before);
	char upper[80];
	snprintf(upper, sizeof upper, "sha256:%s", sha);
	for (char *p = upper + 7; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	v[4].value = upper;
	assert_int_equal(case_new(&a, &req, t, &e), 0);
	c = case_get(&a, t, NULL, &e);
	ev = json_array_get(json_object_get(c, "evidence"), 0);
	assert_string_equal(json_string_value(json_object_get(ev, "sha256")), sha);
	json_decref(c);
	/* The public reporter may name no evidence at all. */
	req.actor = "publik";
	assert_int_equal(case_new(&a, &req, t, &e), -1);
	req.actor = "petugas1";

	/* Over the size limit: refused while received, nothing stored. */
	a.cfg.evidence_max = 2;
	assert_int_equal(evidence_spool_data(&a, "abcd", 4, &f, &e), -1);
	assert_int_equal(e.code, SG_ETOOBIG);
	a.cfg.evidence_max = 1000;

	/* A change that fails leaves no stored file of its own. */
	assert_int_equal(evidence_spool_data(&a, "lost", 4, &f, &e), 0);
	char lost[4300];
	snprintf(lost, sizeof lost, "%s/evidence/%.2s/%s", dir, f.sha256, f.sha256);
	up.file = &f;
	req.uploads = &up;
	req.n_uploads = 1;
	v[4].value = "x.txt";
	req.procedure_id = "tidak-ada";
	assert_int_equal(case_new(&a, &req, t, &e), -1);
	req.procedure_id = "insiden";
	case_upload u2 = {"berkas", "x.txt", &f};
	char sha_out[65];
	assert_int_equal(case_attach(&a, "INS-2026-9999", "tester", &u2, "test", sha_out, &e), -1);
	assert_int_equal(stat(lost, &st), -1);
	evidence_file_discard(&f);
	app_close(&a);
	scratch_free(dir);
}

/* The spool settles what a crash left: a change that committed keeps its
 * file, one that did not leaves nothing, a half-received file goes. */
static void test_evidence_recovery(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 08:00"));
	sg_err e = {0};
	/* committed: placed, row written, spool name left (crash before the
	 * drop); its final name removed too, as if the crash came before
	 * the link reached the disk */
	evidence_file done, undone;
	assert_int_equal(evidence_spool_data(&a, "committed", 9, &done, &e), 0);
	assert_int_equal(db_run(a.db, &e, "INSERT INTO evidence (sha256, size, first_seen) VALUES (?, 9, 0)",
				"s", done.sha256),
			 0);
	/* not committed: placed, no row */
	assert_int_equal(evidence_spool_data(&a, "not committed", 13, &undone, &e), 0);
	assert_int_equal(evidence_place(&a, &undone, &e), 0);
	/* A crashed process's files carry its pid: make them a dead one's. */
	char host[80], dead_done[4400], dead_undone[4400], part[4400];
	const char *name = strchr(strrchr(done.path, '/'), '.') + 1;
	snprintf(host, sizeof host, "%.*s", (int)(strchr(name, '.') - name), name);
	snprintf(dead_done, sizeof dead_done, "%s/evidence/.spool/%s.%s.deadbeefdeadbeef.1", dir, done.sha256, host);
	snprintf(dead_undone, sizeof dead_undone, "%s/evidence/.spool/%s.%s.deadbeefdeadbeef.2", dir, undone.sha256, host);
	snprintf(part, sizeof part, "%s/evidence/.spool/%s.deadbeefdeadbeef.3.part", dir, host);
	/* the dead process's lock file, no longer locked */
	char dead_lock[4400], live_lock[4400], live_part[4400];
	snprintf(dead_lock, sizeof dead_lock, "%s/evidence/.spool/%s.deadbeefdeadbeef.lock", dir, host);
	FILE *lf = fopen(dead_lock, "w");
	fclose(lf);
	/* another live process: its lock is held (here, on a file of its own) */
	snprintf(live_lock, sizeof live_lock, "%s/evidence/.spool/%s.1111222233334444.lock", dir, host);
	snprintf(live_part, sizeof live_part, "%s/evidence/.spool/%s.1111222233334444.1.part", dir, host);
	int held = open(live_lock, O_RDWR | O_CREAT, 0600);
	assert_int_equal(flock(held, LOCK_EX), 0);
	lf = fopen(live_part, "w");
	fclose(lf);
	assert_int_equal(rename(done.path, dead_done), 0);
	assert_int_equal(rename(undone.path, dead_undone), 0);
	FILE *pf = fopen(part, "w");
	fputs("half", pf);
	fclose(pf);
	char final_done[4300], final_undone[4300];
	evidence_path(&a, done.sha256, final_done, sizeof final_done);
	evidence_path(&a, undone.sha256, final_undone, sizeof final_undone);
	struct stat st;
	assert_int_equal(stat(final_done, &st), -1);
	assert_int_equal(stat(final_undone, &st), 0);

	evidence_recovery rec;
	assert_int_equal(evidence_recover(&a, &rec, &e), 0);
	assert_int_equal(rec.partial, 1);
	assert_int_equal(rec.committed, 1);
	assert_int_equal(rec.rolled_back, 1);
	assert_int_equal(stat(final_done, &st), 0);
	assert_int_equal(st.st_nlink, 1);
	assert_int_equal(stat(final_undone, &st), -1);
	assert_int_equal(stat(dead_done, &st), -1);
	assert_int_equal(stat(dead_undone, &st), -1);
	assert_int_equal(stat(part, &st), -1);
	assert_int_equal(stat(dead_lock, &st), -1);
	assert_int_equal(stat(live_part, &st), 0);
	assert_int_equal(stat(live_lock, &st), 0);
	/* This process's own spool files are left alone. */
	evidence_file live;
	assert_int_equal(evidence_spool_data(&a, "live", 4, &live, &e), 0);
	assert_int_equal(evidence_recover(&a, &rec, &e), 0);
	assert_int_equal(rec.partial + rec.committed + rec.rolled_back, 0);
	assert_int_equal(stat(live.path, &st), 0);
	evidence_file_discard(&live);
	/* once the other process lets go of its lock, its files are settled */
	close(held);
	assert_int_equal(evidence_recover(&a, &rec, &e), 0);
	assert_int_equal(rec.partial, 1);
	assert_int_equal(stat(live_lock, &st), -1);
	app_close(&a);
	scratch_free(dir);
}

/* A case keeps running on the SOP text it started with. */
static void test_case_keeps_its_sop_version(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 08:00"));
	test_user(&a, "petugas1", "petugas");
	test_user(&a, "kabid1", "kabid");
	sg_err e = {0};
	char sops[4200], t[32];
	snprintf(sops, sizeof sops, "%s/sops", dir);
	mkdir(sops, 0700);
	/* Version 1 of SOP contoh from the test data. */
	sop_registry r;
	diags d = DIAGS_INIT;
	assert_int_equal(sops_load(&r, src_path("tests/data/sop-good"), &d), 0);
	sops_free(&a.sops);
	a.sops = r;
	sop_value v[] = {{"judul_laporan", "x"}};
	case_new_req req = {"contoh", NULL, v, 1, "test:tester", "test"};
	assert_int_equal(case_new(&a, &req, t, &e), 0);
	/* Version 2: step 1 now needs nothing but goes straight to the end. */
	char path[4300];
	snprintf(path, sizeof path, "%s/contoh.yaml", sops);
	FILE *f = fopen(path, "w");
	fputs("id: contoh\nnama: SOP Contoh v2\nnomor: 000/2/2026\nticket_prefix: CTH\n"
	      "pelaksana: [{id: petugas, nama: Petugas}]\nprosedur:\n  - nama: Prosedur Contoh\n"
	      "    langkah:\n      - {no: 1, uraian: Satu-satunya, pelaksana: petugas, waktu: 1 Jam}\n",
	      f);
	fclose(f);
	assert_int_equal(sops_load(&r, sops, &d), 0);
	sops_free(&a.sops);
	a.sops = r;
	/* The old case still asks for version 1's field and goes on to step 2. */
	case_step_result res;
	assert_int_equal(case_step(&a, &(case_step_req){t, "petugas1", NULL, NULL, 0, "t"}, &res, &e), -1);
	assert_non_null(strstr(e.msg, "catatan"));
	sop_value s1[] = {{"catatan", "c"}};
	assert_int_equal(case_step(&a, &(case_step_req){t, "petugas1", NULL, s1, 1, "t"}, &res, &e), 0);
	assert_false(res.closed);
	assert_int_equal(res.next_no, 2);
	/* A new case runs on version 2. */
	case_new_req req2 = {"contoh", NULL, NULL, 0, "test:tester", "test"};
	assert_int_equal(case_new(&a, &req2, t, &e), 0);
	assert_int_equal(case_step(&a, &(case_step_req){t, "petugas1", NULL, NULL, 0, "t"}, &res, &e), 0);
	assert_true(res.closed);
	assert_int_equal(count_rows(&a, "sop_versions"), 2);
	diags_free(&d);
	app_close(&a);
	scratch_free(dir);
}

static void test_users(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 08:00"));
	sg_err e = {0};
	const char *roles[] = {"petugas", "ttis"};
	assert_int_equal(user_add(&a, "t", "budi", roles, 2, "rahasia-panjang", true, &e), 0);
	assert_int_equal(user_add(&a, "t", "budi", roles, 1, "rahasia-panjang", true, &e), -1);
	assert_int_equal(e.code, SG_ECONFLICT);
	const char *unknown[] = {"hacker"};
	assert_int_equal(user_add(&a, "t", "ani", unknown, 1, "rahasia-panjang", true, &e), -1);
	assert_non_null(strstr(e.msg, "unknown role 'hacker'"));
	assert_int_equal(user_add(&a, "t", "ani", roles, 1, "pendek", true, &e), -1);
	assert_int_equal(user_add(&a, "t", "Ani Budi", roles, 1, "rahasia-panjang", true, &e), -1);
	assert_int_equal(user_add(&a, "t", "ani", roles, 0, "rahasia-panjang", true, &e), -1);
	assert_int_equal(count_rows(&a, "users"), 1);
	assert_int_equal(user_check_password(&a, "budi", "rahasia-panjang", &e), 0);
	assert_int_equal(user_check_password(&a, "budi", "salah-sandi", &e), -1);
	assert_int_equal(user_check_password(&a, "siapa", "rahasia-panjang", &e), -1);
	/* Stored as Argon2id, never in clear. */
	db_stmt *st;
	assert_int_equal(db_prepare(a.db, "SELECT password_hash FROM users", &st, &e), 0);
	assert_int_equal(db_step(st, &e), DB_ROW);
	assert_true(strncmp(db_col_text(st, 0), "$argon2id$", 10) == 0);
	db_finalize(st);
	json_t *list = user_list(&a, &e);
	json_t *u = json_array_get(list, 0);
	assert_int_equal(json_array_size(json_object_get(u, "roles")), 2);
	assert_true(json_is_true(json_object_get(u, "must_change_password")));
	json_decref(list);
	char pw[17];
	user_generate_password(pw);
	assert_int_equal(strlen(pw), 16);
	app_close(&a);
	scratch_free(dir);
}

/* ---- outside actors, sending back, reopening, links (case_flows.c,
 * case_links.c) ---- */

static void flows_users(app *a)
{
	test_user(a, "petugas1", "petugas");
	test_user(a, "ttis1", "ttis");
	test_user(a, "kabid1", "kabid");
	test_user(a, "pelapor1", "pelapor");
	test_user(a, "admin1", "admin");
}

static void new_incident(app *a, char ticket[32])
{
	sg_err e = {0};
	case_new_req req = {"insiden", "Uji", report, 4, "petugas1", "test"};
	assert_int_equal(case_new(a, &req, ticket, &e), 0);
}

static const char *run_text(json_t *run, const char *k)
{
	return json_string_value(json_object_get(run, k));
}

static json_t *last_run(app *a, const char *ticket, json_t **c)
{
	sg_err e = {0};
	*c = case_get(a, ticket, NULL, &e);
	assert_non_null(*c);
	json_t *h = json_object_get(*c, "history");
	return json_array_get(h, json_array_size(h) - 1);
}

static void test_on_behalf(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 08:00"));
	flows_users(&a);
	char t[32];
	new_incident(&a, t);
	sg_err e = {0};
	case_step_result r;
	counts before = snapshot(&a);

	/* The officer may act for the reporter, and is told so. */
	assert_int_equal(case_may_act(&a, t, "petugas1", &e), 0);
	case_step_req plain = {t, "petugas1", NULL, NULL, 0, "test"};
	assert_int_equal(case_step(&a, &plain, &r, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_non_null(strstr(e.msg, "may complete it on its behalf"));
	/* A staff role atas_nama does not name, an admin, a bad channel, no name. */
	assert_int_equal(case_may_act(&a, t, "ttis1", &e), -1);
	case_step_req ttis = {t, "ttis1", NULL, NULL, 0, "test", .on_behalf = "Budi", .channel = "telepon"};
	assert_int_equal(case_step(&a, &ttis, &r, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_non_null(strstr(e.msg, "holds no role that may complete step 1"));
	ttis.user = "admin1"; /* who sees no case at all */
	assert_int_equal(case_step(&a, &ttis, &r, &e), -1);
	assert_int_equal(e.code, SG_ENOTFOUND);
	case_step_req bad = {t, "petugas1", NULL, NULL, 0, "test", .on_behalf = "Budi", .channel = "faks"};
	assert_int_equal(case_step(&a, &bad, &r, &e), -1);
	assert_non_null(strstr(e.msg, "channel 'faks' is not one of"));
	bad.channel = "telepon";
	bad.on_behalf = "";
	assert_int_equal(case_step(&a, &bad, &r, &e), -1);
	bad.on_behalf = NULL;
	assert_int_equal(case_step(&a, &bad, &r, &e), -1);
	assert_non_null(strstr(e.msg, "a channel is given only with the name"));
	assert_unchanged(&a, before, t, 1);

	case_step_req ok = {t, "petugas1", NULL, NULL, 0, "test", .on_behalf = "Budi Santoso",
			    .channel = "telepon"};
	assert_int_equal(case_step(&a, &ok, &r, &e), 0);
	assert_int_equal(r.next_no, 2);
	json_t *c;
	json_t *run = last_run(&a, t, &c);
	assert_string_equal(run_text(run, "actor"), "petugas1");
	assert_string_equal(run_text(run, "role"), "pelapor");
	assert_string_equal(run_text(run, "on_behalf_of"), "Budi Santoso");
	assert_string_equal(run_text(run, "channel"), "telepon");
	json_decref(c);
	json_t *lb = logbook_list(&a, NULL, 1, NULL, &e);
	json_t *d = json_object_get(json_array_get(lb, 0), "details");
	assert_string_equal(json_string_value(json_object_get(d, "on_behalf_of")), "Budi Santoso");
	assert_string_equal(json_string_value(json_object_get(d, "channel")), "telepon");
	json_decref(lb);

	/* A staff step is never done on anyone's behalf. */
	before = snapshot(&a);
	sop_value s2v[] = {{"asal_laporan", "Pihak luar"}, {"saluran", "Surel"}};
	case_step_req staff = {t, "petugas1", NULL, s2v, 2, "test", .on_behalf = "Budi",
			       .channel = "telepon"};
	assert_int_equal(case_step(&a, &staff, &r, &e), -1);
	assert_non_null(strstr(e.msg, "not an outside role"));
	assert_unchanged(&a, before, t, 2);
	app_close(&a);
	scratch_free(dir);
}

static void test_send_back(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 08:00"));
	flows_users(&a);
	char t[32];
	new_incident(&a, t);
	sg_err e = {0};
	case_step_result r;
	case_step_req s1 = {t, "petugas1", NULL, NULL, 0, "test", .on_behalf = "Siti",
			    .channel = "telepon"};
	sop_value s2v[] = {{"asal_laporan", "Pihak luar"}, {"saluran", "Surel"}};
	case_step_req s2 = {t, "petugas1", NULL, s2v, 2, "test"};
	sop_value s3v[] = {{"ringkasan", "r"}};
	case_step_req s3 = {t, "petugas1", NULL, s3v, 1, "test"};
	assert_int_equal(case_step(&a, &s1, &r, &e), 0);
	assert_int_equal(case_step(&a, &s2, &r, &e), 0);
	assert_int_equal(case_step(&a, &s3, &r, &e), 0);
	counts before = snapshot(&a);
	/* At step 4: not to itself, not later, not without a reason, not by
	 * one who may not act here, not on an unknown step. */
	assert_int_equal(case_send_back(&a, t, "petugas1", 4, "x", "test", &e), -1);
	assert_non_null(strstr(e.msg, "step 4 is not before step 4"));
	assert_int_equal(case_send_back(&a, t, "petugas1", 6, "x", "test", &e), -1);
	assert_non_null(strstr(e.msg, "step 6 is not before step 4"));
	assert_int_equal(case_send_back(&a, t, "petugas1", 2, "", "test", &e), -1);
	assert_non_null(strstr(e.msg, "give the reason"));
	assert_int_equal(case_send_back(&a, t, "ttis1", 2, "x", "test", &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_int_equal(case_send_back(&a, t, "petugas1", 99, "x", "test", &e), -1);
	assert_non_null(strstr(e.msg, "no step 99"));
	assert_unchanged(&a, before, t, 4);

	a.fixed_now += 3600;
	assert_int_equal(case_send_back(&a, t, "petugas1", 2, "Asal laporan keliru", "test", &e), 0);
	json_t *c;
	json_t *run = last_run(&a, t, &c);
	assert_string_equal(run_text(run, "kind"), "kembalikan");
	assert_int_equal(json_integer_value(json_object_get(run, "step_no")), 4);
	assert_int_equal(json_integer_value(json_object_get(run, "next_step_no")), 2);
	assert_string_equal(run_text(run, "reason"), "Asal laporan keliru");
	json_t *cur = json_object_get(c, "current_step");
	assert_int_equal(json_integer_value(json_object_get(cur, "no")), 2);
	/* The target's clock starts again now. */
	assert_int_equal(json_integer_value(json_object_get(cur, "started_at")), a.fixed_now);
	json_decref(c);
	json_t *lb = logbook_list(&a, NULL, 1, NULL, &e);
	assert_string_equal(json_string_value(json_object_get(json_array_get(lb, 0), "action")),
			    "case.send_back");
	json_decref(lb);

	/* Steps never passed: insiden 7 and 8 after "Tidak" at step 6. */
	assert_int_equal(case_step(&a, &s2, &r, &e), 0);
	assert_int_equal(case_step(&a, &s3, &r, &e), 0);
	sop_value s4v[] = {{"hasil_verifikasi", "v"}};
	case_step_req s4 = {t, "petugas1", "Insiden", s4v, 1, "test"};
	sop_value s5v[] = {{"kategori", "fraud"}, {"jenis", "phishing"}, {"dampak", "Rendah"},
			   {"urgensi", "Rendah"}, {"tlp", "TLP:CLEAR"}};
	case_step_req s5 = {t, "petugas1", NULL, s5v, 5, "test"};
	sop_value s6v[] = {{"rekomendasi", "TTIS"}};
	case_step_req s6 = {t, "petugas1", "Tidak", s6v, 1, "test"};
	assert_int_equal(case_step(&a, &s4, &r, &e), 0);
	assert_int_equal(case_step(&a, &s5, &r, &e), 0);
	assert_int_equal(case_step(&a, &s6, &r, &e), 0);
	assert_int_equal(r.next_no, 9);
	before = snapshot(&a);
	assert_int_equal(case_send_back(&a, t, "ttis1", 7, "x", "test", &e), -1);
	assert_non_null(strstr(e.msg, "has not passed step 7"));
	assert_unchanged(&a, before, t, 9);
	assert_int_equal(case_send_back(&a, t, "ttis1", 6, "Perlu ke APH", "test", &e), 0);
	app_close(&a);
	scratch_free(dir);
}

static void test_reopen(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 08:00"));
	flows_users(&a);
	/* The incident SOP's kabid acts on no step and reopens (buka_kembali:
	 * staff of the procedure by that); the policy team's may not know its
	 * cases (case_access.c). */
	test_user(&a, "publikasi1", "tim_publikasi");
	char t[32];
	new_incident(&a, t);
	sg_err e = {0};
	case_step_result r;
	/* Open: nothing to reopen. */
	assert_int_equal(case_reopen(&a, t, "kabid1", 0, "x", "test", &e), -1);
	assert_int_equal(e.code, SG_ESTATE);
	case_step_req s1 = {t, "petugas1", NULL, NULL, 0, "test", .on_behalf = "Siti",
			    .channel = "telepon"};
	sop_value s2v[] = {{"asal_laporan", "Pihak luar"}, {"saluran", "Surel"}};
	case_step_req s2 = {t, "petugas1", NULL, s2v, 2, "test"};
	sop_value s3v[] = {{"ringkasan", "r"}};
	case_step_req s3 = {t, "petugas1", NULL, s3v, 1, "test"};
	sop_value s4v[] = {{"hasil_verifikasi", "v"}, {"penjelasan_pelapor", "Bukan insiden"}};
	case_step_req s4 = {t, "petugas1", "Bukan Insiden", s4v, 2, "test"};
	assert_int_equal(case_step(&a, &s1, &r, &e), 0);
	assert_int_equal(case_step(&a, &s2, &r, &e), 0);
	assert_int_equal(case_step(&a, &s3, &r, &e), 0);
	assert_int_equal(case_step(&a, &s4, &r, &e), 0);
	assert_true(r.closed);
	counts before = snapshot(&a);
	assert_int_equal(case_reopen(&a, t, "petugas1", 0, "x", "test", &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_non_null(strstr(e.msg, "only a holder of a role the SOP lets reopen"));
	assert_int_equal(case_reopen(&a, t, "admin1", 0, "x", "test", &e), -1);
	/* One who may not know the case is told it does not exist. */
	assert_int_equal(case_reopen(&a, t, "publikasi1", 0, "x", "test", &e), -1);
	assert_int_equal(e.code, SG_ENOTFOUND);
	assert_int_equal(case_reopen(&a, t, "kabid1", 0, NULL, "test", &e), -1);
	assert_non_null(strstr(e.msg, "give the reason"));
	assert_int_equal(case_reopen(&a, t, "kabid1", 5, "x", "test", &e), -1);
	assert_non_null(strstr(e.msg, "has not passed step 5"));
	counts now = snapshot(&a);
	assert_int_equal(now.runs, before.runs);
	assert_int_equal(now.logbook, before.logbook);

	/* Reopened at the step it closed from: step 4, the decision again. */
	a.fixed_now += 86400;
	assert_int_equal(case_reopen(&a, t, "kabid1", 0, "Laporan susulan", "test", &e), 0);
	json_t *c;
	json_t *run = last_run(&a, t, &c);
	assert_string_equal(run_text(run, "kind"), "buka_kembali");
	assert_string_equal(run_text(run, "actor"), "kabid1");
	assert_string_equal(run_text(run, "reason"), "Laporan susulan");
	assert_string_equal(json_string_value(json_object_get(c, "status")), "open");
	assert_null(json_object_get(c, "closed_at"));
	json_t *cur = json_object_get(c, "current_step");
	assert_int_equal(json_integer_value(json_object_get(cur, "no")), 4);
	assert_int_equal(json_integer_value(json_object_get(cur, "started_at")), a.fixed_now);
	/* A reopening is not a step run for the SLA. */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "sla"), "runs")), 4);
	json_decref(c);
	s4.decision = "Insiden";
	assert_int_equal(case_step(&a, &s4, &r, &e), 0);
	assert_int_equal(r.next_no, 5);
	/* At a step chosen among those passed. */
	char t2[32];
	new_incident(&a, t2);
	s1.ticket = s2.ticket = s3.ticket = s4.ticket = t2;
	s4.decision = "Bukan Insiden";
	assert_int_equal(case_step(&a, &s1, &r, &e), 0);
	assert_int_equal(case_step(&a, &s2, &r, &e), 0);
	assert_int_equal(case_step(&a, &s3, &r, &e), 0);
	assert_int_equal(case_step(&a, &s4, &r, &e), 0);
	assert_int_equal(case_reopen(&a, t2, "kabid1", 2, "Asal laporan", "test", &e), 0);
	c = case_get(&a, t2, NULL, &e);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "current_step"), "no")), 2);
	json_decref(c);
	logbook_report rep;
	assert_int_equal(logbook_verify(&a, &rep, &e), 0);
	app_close(&a);
	scratch_free(dir);
}

static const char *link_state_of(app *a, const char *ticket, size_t i)
{
	static char state[32];
	sg_err e = {0};
	json_t *l = case_links(a, ticket, NULL, &e);
	assert_non_null(l);
	snprintf(state, sizeof state, "%s",
		 json_string_value(json_object_get(json_array_get(l, i), "state")));
	json_decref(l);
	return state;
}

static void test_links(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 08:00"));
	flows_users(&a);
	char t[32], other[32];
	new_incident(&a, t);
	new_incident(&a, other);
	sg_err e = {0};
	char token[LINK_TOKEN_LEN + 1];
	int64_t id, expires;
	/* No name; not staff of the SOP. */
	assert_int_equal(case_link_issue(&a, t, "petugas1", "", NULL, "test", token, &id, &expires, &e), -1);
	assert_int_equal(case_link_issue(&a, t, "pelapor1", "Budi", NULL, "test", token, &id, &expires, &e),
			 -1);
	assert_int_equal(e.code, SG_ENOTFOUND); /* an outside actor does not see the case */
	assert_int_equal(count_rows(&a, "step_links"), 0);

	/* staff of the SOP, but not named to act for the reporter (atas_nama) */
	assert_int_equal(case_link_issue(&a, t, "ttis1", "Budi", NULL, "test", token, &id, &expires, &e), -1);
	assert_int_equal(e.code, SG_EPERM);
	assert_int_equal(count_rows(&a, "step_links"), 0);

	assert_int_equal(case_link_issue(&a, t, "petugas1", "Budi", NULL, "test", token, &id, &expires, &e), 0);
	assert_int_equal(strlen(token), LINK_TOKEN_LEN);
	assert_int_equal(expires, a.fixed_now + 7 * 86400);
	/* Only its hash is stored. */
	int64_t n = 0;
	assert_int_equal(db_query_int(a.db, &e, &n, "SELECT COUNT(*) FROM step_links WHERE token_hash = ?",
				      "s", token),
			 DB_ROW);
	assert_int_equal(n, 0);
	case_link_info info;
	assert_int_equal(case_link_view(&a, token, &info, &e), 0);
	assert_string_equal(info.ticket, t);
	assert_string_equal(info.recipient, "Budi");
	assert_int_equal(info.step->no, 1);
	assert_string_equal(info.step->role, "pelapor");
	assert_null(info.report); /* issued with nothing handed over */
	assert_int_equal(json_array_size(info.evidence), 0);
	case_link_info_free(&info);

	/* Completed once, recorded as the recipient's by link. */
	case_step_req req = {.origin = "test"};
	case_step_result r;
	char done[32];
	counts before = snapshot(&a);
	assert_int_equal(case_link_complete(&a, token, &req, &r, done, &e), 0);
	assert_string_equal(done, t);
	assert_int_equal(r.next_no, 2);
	json_t *c;
	json_t *run = last_run(&a, t, &c);
	assert_string_equal(run_text(run, "actor"), "tautan");
	assert_string_equal(run_text(run, "on_behalf_of"), "Budi");
	assert_string_equal(run_text(run, "channel"), "tautan");
	json_decref(c);
	assert_string_equal(link_state_of(&a, t, 0), "dipakai");
	/* Twice: refused, nothing changed. */
	before = snapshot(&a);
	assert_int_equal(case_link_check(&a, token, &e), -1);
	assert_int_equal(e.code, SG_ESTATE);
	assert_non_null(strstr(e.msg, "used already"));
	assert_int_equal(case_link_complete(&a, token, &req, &r, done, &e), -1);
	assert_unchanged(&a, before, t, 2);
	/* For a staff step: refused. */
	assert_int_equal(case_link_issue(&a, t, "petugas1", "Budi", NULL, "test", token, &id, &expires, &e),
			 -1);
	assert_int_equal(e.code, SG_ESTATE);

	/* Expired after link_days. */
	a.cfg.link_days = 2;
	assert_int_equal(case_link_issue(&a, other, "petugas1", "Sari", NULL, "test", token, &id, &expires, &e),
			 0);
	assert_int_equal(expires, a.fixed_now + 2 * 86400);
	a.fixed_now += 2 * 86400;
	before = snapshot(&a);
	assert_int_equal(case_link_check(&a, token, &e), -1);
	assert_non_null(strstr(e.msg, "expired"));
	assert_int_equal(case_link_complete(&a, token, &req, &r, done, &e), -1);
	assert_unchanged(&a, before, other, 1);
	assert_string_equal(link_state_of(&a, other, 0), "kedaluwarsa");
	assert_int_equal(case_link_revoke(&a, other, "petugas1", id, &e), -1);
	assert_int_equal(e.code, SG_ESTATE);

	/* Revoked when the step is done another way; and by its issuer. */
	char live[LINK_TOKEN_LEN + 1];
	int64_t live_id;
	assert_int_equal(case_link_issue(&a, other, "petugas1", "Sari", NULL, "test", live, &live_id, &expires, &e),
			 0);
	assert_int_equal(case_link_revoke(&a, t, "petugas1", live_id, &e), -1); /* not t's */
	assert_int_equal(e.code, SG_ENOTFOUND);
	case_step_req behalf = {other, "petugas1", NULL, NULL, 0, "test", .on_behalf = "Sari",
				.channel = "surel"};
	assert_int_equal(case_step(&a, &behalf, &r, &e), 0);
	assert_string_equal(link_state_of(&a, other, 0), "dicabut");
	assert_int_equal(case_link_check(&a, live, &e), -1);
	assert_non_null(strstr(e.msg, "revoked"));
	char t3[32];
	new_incident(&a, t3);
	assert_int_equal(case_link_issue(&a, t3, "petugas1", "Rina", NULL, "test", live, &live_id, &expires, &e),
			 0);
	assert_int_equal(case_link_revoke(&a, t3, "pelapor1", live_id, &e), -1);
	assert_int_equal(e.code, SG_ENOTFOUND);
	assert_int_equal(case_link_revoke(&a, t3, "ttis1", live_id, &e), 0); /* staff of the case */
	assert_string_equal(link_state_of(&a, t3, 0), "dicabut");
	assert_int_equal(case_link_check(&a, "tidakada", &e), -1);
	assert_int_equal(e.code, SG_ENOTFOUND);
	logbook_report rep;
	assert_int_equal(logbook_verify(&a, &rep, &e), 0);
	app_close(&a);
	scratch_free(dir);
}

/* A step whose output is a document cannot be completed without it; an
 * approval may refuse, back to the drafting step; ratifying a policy
 * needs the signed document (wajib), refusing it does not. */
static void test_required_documents(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 08:00"));
	test_user(&a, "penyusun1", "tim_penyusun");
	test_user(&a, "kabid1", "kabid");
	test_user(&a, "kadis1", "kepala_dinas");
	sg_err e = {0};
	char t[32];
	case_new_req req = {"kebijakan/penyusunan", NULL, NULL, 0, "penyusun1", "test"};
	assert_int_equal(case_new(&a, &req, t, &e), 0);
	case_step_result r;
	evidence_file f;
	const char doc[] = "dokumen";
	counts before = snapshot(&a);
	case_step_req plan = {t, "penyusun1", NULL, NULL, 0, "test"};
	assert_int_equal(case_step(&a, &plan, &r, &e), -1);
	assert_non_null(strstr(e.msg, "required field 'dokumen_rencana'"));
	assert_unchanged(&a, before, t, 1);
	assert_int_equal(evidence_spool_data(&a, doc, sizeof doc - 1, &f, &e), 0);
	case_upload up = {"dokumen_rencana", "rencana.pdf", &f};
	sop_value pv[] = {{"dokumen_rencana", "rencana.pdf"}};
	case_step_req plan2 = {t, "penyusun1", NULL, pv, 1, "test", &up, 1};
	assert_int_equal(case_step(&a, &plan2, &r, &e), 0);
	evidence_file_discard(&f);
	/* The Kabid refuses the plan, which needs the reason: back to step 1. */
	case_step_req refuse = {t, "kabid1", "Ditolak", NULL, 0, "test"};
	assert_int_equal(case_step(&a, &refuse, &r, &e), -1);
	assert_non_null(strstr(e.msg, "needs the field 'catatan'"));
	sop_value why[] = {{"catatan", "Jadwal belum realistis"}};
	refuse.values = why;
	refuse.n_values = 1;
	assert_int_equal(case_step(&a, &refuse, &r, &e), 0);
	assert_int_equal(r.next_no, 1);
	assert_int_equal(evidence_spool_data(&a, doc, sizeof doc - 1, &f, &e), 0);
	assert_int_equal(case_step(&a, &plan2, &r, &e), 0);
	evidence_file_discard(&f);
	case_step_req approve = {t, "kabid1", "Disetujui", NULL, 0, "test"};
	assert_int_equal(case_step(&a, &approve, &r, &e), 0);
	assert_int_equal(r.next_no, 3);
	before = snapshot(&a);
	sop_value text[] = {{"judul_kebijakan", "Kebijakan kata sandi"},
	                    {"teks", "# Kata sandi\n\nPanjang minimal 12 karakter."}};
	case_step_req draft = {t, "penyusun1", NULL, text, 2, "test"};
	assert_int_equal(case_step(&a, &draft, &r, &e), -1);
	assert_non_null(strstr(e.msg, "required field 'draft'"));
	assert_unchanged(&a, before, t, 3);
	assert_int_equal(evidence_spool_data(&a, doc, sizeof doc - 1, &f, &e), 0);
	case_upload du = {"draft", "draft.pdf", &f};
	sop_value dv[] = {{"draft", "draft.pdf"},
	                  {"judul_kebijakan", "Kebijakan kata sandi"},
	                  {"teks", "# Kata sandi\n\nPanjang minimal 12 karakter."}};
	case_step_req draft2 = {t, "penyusun1", NULL, dv, 3, "test", &du, 1};
	assert_int_equal(case_step(&a, &draft2, &r, &e), 0);
	evidence_file_discard(&f);
	assert_int_equal(case_step(&a, &approve, &r, &e), 0);
	assert_int_equal(r.next_no, 5);
	/* Ratified without the signed document: refused, nothing changed. */
	before = snapshot(&a);
	sop_value kv[] = {{"tanggal_pengesahan", "2026-11-20"}, {"nomor_kebijakan", "1/2026"}};
	case_step_req ratify = {t, "kadis1", "Disahkan", kv, 2, "test"};
	assert_int_equal(case_step(&a, &ratify, &r, &e), -1);
	assert_non_null(strstr(e.msg, "the decision 'Disahkan' needs the field 'dokumen_kebijakan'"));
	assert_unchanged(&a, before, t, 5);
	sop_value bv[] = {{"catatan", "Pasal 3 perlu diperjelas"}};
	case_step_req back = {t, "kadis1", "Ditolak", bv, 1, "test"};
	assert_int_equal(case_step(&a, &back, &r, &e), 0);
	assert_int_equal(r.next_no, 3);
	app_close(&a);
	scratch_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_every_seed_procedure),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_tickets_per_prefix_and_year),
		cmocka_unit_test(test_sla_recorded),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_evidence_recovery),
		cmocka_unit_test(test_case_keeps_its_sop_version),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_on_behalf),
		cmocka_unit_test(test_send_back),
		cmocka_unit_test(test_reopen),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_required_documents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
