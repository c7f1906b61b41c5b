/*
 * documents.c: the output documents of the SOPs' steps: drafts, issuing,
 * the register, verification.
 *
 * A step declares the documents it outputs (dokumen: in the SOP file,
 * docs/sop-format.md); once a case has reached that step, whoever sees
 * the case whole may look at a draft (HTML or a PDF marked DRAF), and who
 * acts on the step (its role, or a role that acts for its outside actor,
 * or a supervisor who may reopen the case) may issue it. Issuing is one
 * transaction: the next number of the document's kind in the year
 * (document_seq, so numbers have no gaps and no repeats), a verification
 * code, the PDF rendered with both, stored as evidence of the case under
 * its SHA-256 with a custody record, the register row (documents), a
 * logbook entry and the message to its signatory. /verifikasi/CODE then
 * answers, to anyone, whether a presented PDF is the one issued: its
 * number, kind, issuer and time, never its content.
 *
 * The letterhead, the signatories and the number pattern come from the
 * admin pages (doc_settings), else from sigap.conf ([dokumen],
 * [penandatangan]).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <sodium.h>

#include "app.h"
#include "base/civil.h"
#include "case_row.h"
#include "outbox_int.h"
#include "report/pdf.h"
#include "report/tmpl.h"

/* The admin's settings alone (doc_settings rows) when stored_only, else
 * over sigap.conf's. */
static json_t *settings_of(app *a, bool stored_only, sg_err *e)
{
	json_t *out = stored_only ? json_object() : json_deep_copy(a->cfg.doc_conf);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT key, value FROM doc_settings", "") != 0) {
		json_decref(out);
		return NULL;
	}
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_object_set_new(out, db_col_text(st, 0), json_string(db_col_text(st, 1)));
	db_finalize(st);
	if (rc != DB_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *doc_settings(app *a, sg_err *e)
{
	return settings_of(a, false, e);
}

json_t *doc_settings_stored(app *a, sg_err *e)
{
	return settings_of(a, true, e);
}

static const char *setting(json_t *s, const char *key)
{
	const char *v = json_string_value(json_object_get(s, key));
	return v ? v : "";
}

/* {nama, dinas, alamat, kontak, kota} of the letterhead. */
static json_t *kop_of(json_t *s)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "nama", setting(s, "instansi"), "dinas",
			 setting(s, "dinas"), "alamat", setting(s, "alamat"), "kontak",
			 setting(s, "kontak"), "kota", setting(s, "kota"));
}

/* {ROLE: {jabatan, nama, nip}} from the keys ttd.ROLE.FIELD. */
static json_t *signers_of(json_t *s)
{
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(s, k, v)
	{
		if (strncmp(k, "ttd.", 4) != 0)
			continue;
		const char *dot = strrchr(k, '.');
		if (dot == k + 3)
			continue;
		char role[64];
		snprintf(role, sizeof role, "%.*s", (int)(dot - (k + 4)), k + 4);
		json_t *r = json_object_get(out, role);
		if (r == NULL) {
			r = json_pack("{s:s, s:s, s:s}", "jabatan", "", "nama", "", "nip", "");
			json_object_set_new(out, role, r);
		}
		json_object_set(r, dot + 1, v);
	}
	return out;
}

/* ---- finding a document of a case ----------------------------------- */

typedef struct doc_target {
	json_t *c; /* the case as the user sees it */
	const sop_entry *en;
	const sop_procedure *p;
	const sop_step *st;
	const sop_doc *d;
	const tmpl *t;
} doc_target;

static void target_free(doc_target *t)
{
	json_decref(t->c);
	memset(t, 0, sizeof *t);
}

static bool step_reached(json_t *c, int no)
{
	if (json_integer_value(json_object_get(json_object_get(c, "current_step"), "no")) == no)
		return true;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(c, "passed_steps"), i, x) if (json_integer_value(x) == no)
		return true;
	return false;
}

/* The last completed run of step no (kind "step") that still stands, or
 * NULL. A run stops standing when the case is later sent back or reopened
 * at a step completed before it: the steps from there are done again, and
 * a document of the old run would speak of work being redone. The open
 * case's current step is not completed now either. */
static json_t *completed_run(json_t *c, int no)
{
	json_t *cur = json_object_get(c, "current_step");
	if (cur && json_integer_value(json_object_get(cur, "no")) == no &&
	    strcmp(json_string_value(json_object_get(c, "status")), "open") == 0)
		return NULL;
	json_t *h = json_object_get(c, "history");
	json_t *run;
	ssize_t last = -1;
	size_t i;
	json_array_foreach(h, i, run)
	{
		const char *kind = json_string_value(json_object_get(run, "kind"));
		if (kind == NULL)
			continue;
		if (strcmp(kind, "step") == 0) {
			if (json_integer_value(json_object_get(run, "step_no")) == no)
				last = (ssize_t)i;
			continue;
		}
		/* a move back to target: where did target last complete? */
		json_int_t target = json_integer_value(json_object_get(run, "next_step_no"));
		ssize_t at = -1;
		for (size_t k = 0; k < i; k++) {
			json_t *r = json_array_get(h, k);
			const char *rk = json_string_value(json_object_get(r, "kind"));
			if (rk && strcmp(rk, "step") == 0 &&
			    json_integer_value(json_object_get(r, "step_no")) == target)
				at = (ssize_t)k;
		}
		if (last > at)
			last = -1;
	}
	return last < 0 ? NULL : json_array_get(h, (size_t)last);
}

/* Whether d of step no belongs to the case as it went: reached, and on a
 * decided step its branch (cabang) the one taken. */
static bool doc_due(json_t *c, int no, const sop_doc *d)
{
	if (!step_reached(c, no))
		return false;
	json_t *run = d->cabang ? completed_run(c, no) : NULL;
	const char *taken = json_string_value(json_object_get(run, "decision"));
	return run == NULL || (taken && strcmp(taken, d->cabang) == 0);
}

/* Whether user may issue the documents of step st: holds its role, or a
 * role that acts for its outside actor, or one that may reopen the case. */
static int may_issue(app *a, const char *user, const sop *s, const sop_step *st, sg_err *e)
{
	int h = user_holds(a, user, st->role, e);
	if (h != 0)
		return h;
	for (size_t i = 0; i < s->n_roles; i++) {
		const sop_role *r = &s->roles[i];
		if (r->luar || !(r->buka_kembali || sop_role_on_behalf(s, st->role, r->id)))
			continue;
		if ((h = user_holds(a, user, r->id, e)) != 0)
			return h;
	}
	return 0;
}

/* The case as user sees it, when user sees it whole, with the SOP version
 * it runs and its procedure (case_procedure); NULL with e otherwise. */
static json_t *whole_case(app *a, const char *user, const char *ticket, const sop_entry **en,
			  const sop_procedure **p, sg_err *e)
{
	json_t *c = case_get(a, ticket, user, e);
	if (c == NULL)
		return NULL;
	if (strcmp(json_string_value(json_object_get(c, "sight")), "full") != 0) {
		json_decref(c);
		sg_err_set(e, SG_EPERM, "only who sees the whole case may see its documents");
		return NULL;
	}
	case_row row = {0};
	snprintf(row.procedure_id, sizeof row.procedure_id, "%s",
		 json_string_value(json_object_get(json_object_get(c, "procedure"), "id")));
	snprintf(row.sha, sizeof row.sha, "%s",
		 json_string_value(json_object_get(json_object_get(c, "sop"), "sha256")));
	if ((*p = case_procedure(a, &row, en, e)) == NULL) {
		json_decref(c);
		return NULL;
	}
	return c;
}

static int target_find(app *a, const char *user, const char *ticket, int step_no,
		       const char *tmpl_id, bool issuing, doc_target *out, sg_err *e)
{
	memset(out, 0, sizeof *out);
	out->c = whole_case(a, user, ticket, &out->en, &out->p, e);
	if (out->c == NULL)
		return -1;
	int idx = sop_step_index(out->p, step_no);
	if (idx < 0) {
		target_free(out);
		return sg_err_set(e, SG_ENOTFOUND, "case %s has no step %d", ticket, step_no);
	}
	out->st = &out->p->steps[idx];
	for (size_t i = 0; i < out->st->n_docs; i++)
		if (strcmp(out->st->docs[i].template_id, tmpl_id) == 0)
			out->d = &out->st->docs[i];
	if (out->d == NULL) {
		target_free(out);
		return sg_err_set(e, SG_ENOTFOUND, "step %d of case %s outputs no document '%s'",
				  step_no, ticket, tmpl_id);
	}
	out->t = templates_find(&a->tmpls, tmpl_id);
	if (out->t == NULL) {
		target_free(out);
		return sg_err_set(e, SG_ENOTFOUND, "no document template '%s' is loaded", tmpl_id);
	}
	if (!doc_due(out->c, step_no, out->d)) {
		bool reached = step_reached(out->c, step_no);
		target_free(out);
		return reached ? sg_err_set(e, SG_ESTATE,
					    "step %d of case %s took another branch: document '%s' "
					    "is not its",
					    step_no, ticket, tmpl_id)
			       : sg_err_set(e, SG_ESTATE,
					    "case %s has not reached step %d: its documents are not "
					    "due yet",
					    ticket, step_no);
	}
	if (issuing && completed_run(out->c, step_no) == NULL) {
		target_free(out);
		return sg_err_set(e, SG_ESTATE,
				  "step %d of case %s is not completed: its documents are issued once "
				  "it is (a draft may be seen now)",
				  step_no, ticket);
	}
	if (issuing) {
		int h = may_issue(a, user, out->en->sop, out->st, e);
		if (h != 1) {
			const char *role = sop_role_name(out->en->sop, out->st->role);
			if (h == 0)
				sg_err_set(e, SG_EPERM, "only who acts on step %d (%s) may issue its documents",
					   step_no, role ? role : out->st->role);
			target_free(out);
			return -1;
		}
	}
	return 0;
}

static const char *doc_title(const doc_target *t)
{
	return t->d->judul ? t->d->judul : tmpl_judul(t->t);
}

/* ---- rendering ------------------------------------------------------ */

static char *user_full_name(app *a, const char *user)
{
	db_stmt *st;
	sg_err ignored;
	char *out = NULL;
	if (db_prepare_bind(a->db, &st, &ignored, "SELECT full_name FROM users WHERE name = ?", "s",
			    user) == 0) {
		if (db_step(st, &ignored) == DB_ROW && *db_col_text(st, 0))
			out = strdup(db_col_text(st, 0));
		db_finalize(st);
	}
	if (out == NULL)
		out = strdup(user);
	if (out == NULL)
		abort();
	return out;
}

/* The body of t's document for user, with nomor and code (NULL: a
 * draft), into body. */
static int render_body(app *a, const doc_target *t, json_t *settings, const char *user,
		       const char *nomor, const char *code, int64_t at, buf *body, sg_err *e)
{
	char *full = user_full_name(a, user);
	json_t *kop = kop_of(settings), *signers = signers_of(settings);
	doc_meta m = {nomor, code, doc_title(t), t->st->output, t->st->no, at, kop, signers,
		      t->d->ttd, user, full};
	json_t *ctx = document_context(a, t->c, t->en->sop, t->p, &m);
	int r = tmpl_render(t->t, ctx, body, e);
	json_decref(ctx);
	json_decref(kop);
	json_decref(signers);
	free(full);
	return r;
}

static char *base_url(const app *a)
{
	char out[600];
	if (a->cfg.nt_link_base) {
		size_t n = strlen(a->cfg.nt_link_base);
		while (n > 0 && a->cfg.nt_link_base[n - 1] == '/')
			n--;
		snprintf(out, sizeof out, "%.*s", (int)n, a->cfg.nt_link_base);
	} else {
		snprintf(out, sizeof out, "http://%s", a->cfg.web_listen ? a->cfg.web_listen : "127.0.0.1:8080");
	}
	char *s = strdup(out);
	if (s == NULL)
		abort();
	return s;
}

/* body of template t laid out with the letterhead of settings, titled
 * title, labelled tlp (NULL: none); with nomor and code an issued
 * document (its QR code), without them a draft. Returns pdf_render's. */
static int render_pdf(app *a, const tmpl *t, const char *title, const char *tlp,
		      json_t *settings, const char *body, const char *nomor, const char *code,
		      int64_t at, buf *out, sg_err *e)
{
	pdf_kop kop = {a->cfg.doc_logo, setting(settings, "instansi"), setting(settings, "dinas"),
		       setting(settings, "alamat"), setting(settings, "kontak")};
	char url[800] = "";
	if (code) {
		char *base = base_url(a);
		snprintf(url, sizeof url, "%s/verifikasi/%s", base, code);
		free(base);
	}
	pdf_doc d = {body,
		     tmpl_landscape(t),
		     &kop,
		     tlp,
		     nomor,
		     code ? url : NULL,
		     code,
		     code ? NULL : "DRAF",
		     title,
		     *kop.instansi ? kop.instansi : "sigap",
		     at};
	return pdf_render(&d, out, e);
}

int document_render_free(app *a, const char *tmpl_id, json_t *ctx, const char *signer_role,
			 const char *user, bool pdf, buf *out, sg_err *e)
{
	const tmpl *t = templates_find(&a->tmpls, tmpl_id);
	if (t == NULL)
		return sg_err_set(e, SG_ENOTFOUND, "no document template '%s' is loaded", tmpl_id);
	json_t *settings = doc_settings(a, e);
	if (settings == NULL)
		return -1;
	int64_t now = app_now(a);
	char date[64], place[400];
	civil_format_id_date(now, a->cfg.cal.zone, date,
			     sizeof date);
	const char *kota = setting(settings, "kota");
	snprintf(place, sizeof place, "%s%s%s", kota, *kota ? ", " : "", date);
	json_t *kop = kop_of(settings), *signers = signers_of(settings);
	json_t *ttd = signer_role ? json_object_get(signers, signer_role) : NULL;
	ttd = ttd ? json_deep_copy(ttd) : json_object();
	json_object_set_new(ttd, "peran", json_string(signer_role ? signer_role : ""));
	for (size_t i = 0; signer_role && i < a->sops.n; i++) {
		const char *n = sop_role_name(a->sops.v[i].sop, signer_role);
		if (n) {
			json_object_set_new(ttd, "peran", json_string(n));
			break;
		}
	}
	char *full = user_full_name(a, user);
	json_object_set_new(ctx, "dokumen",
			    json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "nomor", "(draf)", "judul",
				      tmpl_judul(t), "tanggal", date, "tempat_tanggal", place, "kode",
				      "", "draf", true));
	json_object_set_new(ctx, "instansi", kop);
	json_object_set_new(ctx, "penandatangan", signers);
	json_object_set_new(ctx, "ttd", ttd);
	json_object_set_new(ctx, "penerbit", json_pack("{s:s, s:s}", "nama", full, "pengguna", user));
	free(full);
	buf body = BUF_INIT;
	int r = tmpl_render(t, ctx, pdf ? &body : out, e);
	if (r == 0 && pdf) {
		r = render_pdf(a, t, tmpl_judul(t), NULL, settings, buf_str(&body), NULL, NULL, now, out,
			       e) < 0
			? -1
			: 0;
	}
	buf_free(&body);
	json_decref(settings);
	return r;
}

int document_draft(app *a, const char *user, const char *ticket, int step_no,
		   const char *tmpl_id, bool pdf, buf *out, doc_info *info, sg_err *e)
{
	doc_target t;
	if (target_find(a, user, ticket, step_no, tmpl_id, false, &t, e) != 0)
		return -1;
	json_t *settings = doc_settings(a, e);
	buf body = {0};
	int64_t now = app_now(a);
	int r = settings ? render_body(a, &t, settings, user, NULL, NULL, now, pdf ? &body : out, e) : -1;
	if (r == 0 && pdf)
		r = render_pdf(a, t.t, doc_title(&t), json_string_value(json_object_get(t.c, "tlp")),
			       settings, buf_str(&body), NULL, NULL, now, out, e) < 0
			? -1
			: 0;
	if (r == 0 && info) {
		memset(info, 0, sizeof *info);
		snprintf(info->title, sizeof info->title, "%s", doc_title(&t));
		snprintf(info->tlp, sizeof info->tlp, "%s",
			 json_string_value(json_object_get(t.c, "tlp")));
		info->landscape = tmpl_landscape(t.t);
	}
	buf_free(&body);
	json_decref(settings);
	target_free(&t);
	return r;
}

/* ---- issuing -------------------------------------------------------- */

static const char *roman(int month)
{
	static const char *const r[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
					"X", "XI", "XII"};
	return month >= 1 && month <= 12 ? r[month - 1] : "";
}

/* The number of pattern for sequence seq (doc_number_pattern_valid). */
static void number_fill(const char *pattern, int64_t seq, const char *kode, const char *unit,
			const civil *when, char *out, size_t n)
{
	buf b = {0};
	for (const char *p = pattern; *p; p++) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		if (end == NULL) {
			buf_putc(&b, *p);
			continue;
		}
		size_t len = (size_t)(end - p - 1);
		const char *w = p + 1;
		if (len == 3 && strncmp(w, "seq", 3) == 0)
			buf_printf(&b, "%lld", (long long)seq);
		else if (len == 5 && strncmp(w, "seq:", 4) == 0)
			buf_printf(&b, "%0*lld", w[4] - '0', (long long)seq);
		else if (len == 4 && strncmp(w, "kode", 4) == 0)
			buf_puts(&b, kode);
		else if (len == 4 && strncmp(w, "unit", 4) == 0)
			buf_puts(&b, unit);
		else if (len == 5 && strncmp(w, "tahun", 5) == 0)
			buf_printf(&b, "%d", when->year);
		else if (len == 5 && strncmp(w, "bulan", 5) == 0)
			buf_printf(&b, "%02d", when->month);
		else if (len == 12 && strncmp(w, "bulan_romawi", 12) == 0)
			buf_puts(&b, roman(when->month));
		p = end;
	}
	snprintf(out, n, "%s", buf_str(&b));
	buf_free(&b);
}

/* The characters of a verification code: none that can be misread. */
static const char CODE_ALPHABET[] = CODE_ALPHABET_UPPER;

/* A verification code: 10 of them, about 50 bits. */
static void new_code(char out[DOC_CODE_LEN + 1])
{
	for (int i = 0; i < DOC_CODE_LEN; i++)
		out[i] = CODE_ALPHABET[randombytes_uniform(sizeof CODE_ALPHABET - 1)];
	out[DOC_CODE_LEN] = '\0';
}

static int next_seq(app *a, const char *kode, int year, int64_t *seq, sg_err *e)
{
	if (db_run(a->db, e,
		   "INSERT INTO document_seq (kode, year, last) VALUES (?, ?, 1) "
		   "ON CONFLICT (kode, year) DO UPDATE SET last = document_seq.last + 1",
		   "si", kode, (int64_t)year) != 0)
		return -1;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT last FROM document_seq WHERE kode = ? AND year = ?",
			    "si", kode, (int64_t)year) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		*seq = db_col_int(st, 0);
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

/* A file name for the stored PDF: its title and number, '/' made '-'. */
static void pdf_name(const char *title, const char *nomor, char *out, size_t n)
{
	snprintf(out, n, "%s %s.pdf", title, nomor);
	for (char *p = out; *p; p++)
		if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20)
			*p = '-';
}

int document_issue(app *a, const char *user, const char *ticket, int step_no,
		   const char *tmpl_id, doc_info *out, sg_err *e)
{
	doc_target t;
	if (target_find(a, user, ticket, step_no, tmpl_id, true, &t, e) != 0)
		return -1;
	if (app_evidence_ready(a, e) != 0) {
		target_free(&t);
		return -1;
	}
	memset(out, 0, sizeof *out);
	json_t *settings = doc_settings(a, e);
	buf body = {0}, pdf = {0};
	evidence_file f = {0};
	bool began = false, placed = false;
	int pages = -1;
	int64_t now = app_now(a), seq = 0;
	civil when;
	civil_from_epoch(now, a->cfg.cal.zone, &when);
	const char *kode = tmpl_kode(t.t);
	case_row row;
	if (settings == NULL || db_begin(a->db, e) != 0)
		goto fail;
	began = true;
	/* the case as it stands in this transaction: open or closed, it must
	 * still be the user's to see whole */
	if (load_case_row(a, ticket, &row, e) != 0 || next_seq(a, kode, when.year, &seq, e) != 0)
		goto fail;
	number_fill(setting(settings, "nomor"), seq, kode, setting(settings, "unit"), &when,
		    out->number, sizeof out->number);
	new_code(out->code);
	if (render_body(a, &t, settings, user, out->number, out->code, now, &body, e) != 0 ||
	    (pages = render_pdf(a, t.t, doc_title(&t), json_string_value(json_object_get(t.c, "tlp")),
				settings, buf_str(&body), out->number, out->code, now, &pdf,
				e)) < 0 ||
	    evidence_spool_data(a, pdf.data, pdf.len, &f, e) != 0 || evidence_place(a, &f, e) != 0)
		goto fail;
	placed = true;
	char name[400];
	pdf_name(doc_title(&t), out->number, name, sizeof name);
	const char *tlp = json_string_value(json_object_get(t.c, "tlp"));
	if (evidence_attach(a, row.id, f.sha256, f.size, name, "dokumen", user, "dokumen", e) != 0 ||
	    db_run(a->db, e,
		   "INSERT INTO documents (code, template, title, kode, year, seq, number, case_id, "
		   "step_no, sha256, size, pages, tlp, signer_role, issued_by, issued_at) "
		   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		   "ssssiisiisiisssi", out->code, tmpl_id, doc_title(&t), kode, (int64_t)when.year, seq,
		   out->number, row.id, (int64_t)step_no, f.sha256, f.size, (int64_t)pages,
		   tlp ? tlp : "TLP:CLEAR", t.d->ttd, user, now) != 0 ||
	    logbook_record(a, user, "document.issue", "case", ticket,
			   json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:i}", "ticket", ticket, "number",
				     out->number, "template", tmpl_id, "step", step_no, "sha256",
				     f.sha256, "code", out->code, "pages", pages),
			   e) != 0 ||
	    outbox_document(a, ticket, t.en->sop, t.d->ttd, doc_title(&t), out->number, user, e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	snprintf(out->sha256, sizeof out->sha256, "%s", f.sha256);
	snprintf(out->title, sizeof out->title, "%s", doc_title(&t));
	snprintf(out->tlp, sizeof out->tlp, "%s", tlp ? tlp : "");
	out->pages = pages;
	out->size = f.size;
	evidence_file_discard(&f);
	buf_free(&body);
	buf_free(&pdf);
	json_decref(settings);
	target_free(&t);
	return 0;
fail:
	if (began)
		db_rollback(a->db);
	if (placed)
		evidence_unplace(a, &f);
	evidence_file_discard(&f);
	buf_free(&body);
	buf_free(&pdf);
	json_decref(settings);
	target_free(&t);
	return -1;
}

/* ---- a case's documents --------------------------------------------- */

static json_t *issued_of(app *a, int64_t case_id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT number, title, template, step_no, code, sha256, size, pages, "
			    "issued_by, issued_at, signer_role FROM documents WHERE case_id = ? "
			    "ORDER BY id",
			    "i", case_id) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(
		    out, json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:I, s:s, s:I, s:s?}", "number",
				   db_col_text(st, 0), "title", db_col_text(st, 1), "template",
				   db_col_text(st, 2), "step", (json_int_t)db_col_int(st, 3), "code",
				   db_col_text(st, 4), "sha256", db_col_text(st, 5), "size",
				   (json_int_t)db_col_int(st, 6), "pages", (json_int_t)db_col_int(st, 7),
				   "issued_by", db_col_text(st, 8), "issued_at",
				   (json_int_t)db_col_int(st, 9), "signer_role",
				   db_col_null(st, 10) ? NULL : db_col_text(st, 10)));
	db_finalize(st);
	if (rc != DB_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *documents_of_case(app *a, const char *user, const char *ticket, sg_err *e)
{
	const sop_entry *en;
	const sop_procedure *p;
	json_t *c = whole_case(a, user, ticket, &en, &p, e);
	if (c == NULL)
		return NULL;
	json_t *issued = issued_of(a, json_integer_value(json_object_get(c, "id")), e);
	if (issued == NULL) {
		json_decref(c);
		return NULL;
	}
	json_t *due = json_array();
	for (size_t i = 0; i < p->n_steps; i++) {
		const sop_step *st = &p->steps[i];
		if (st->n_docs == 0 || !step_reached(c, st->no))
			continue;
		sg_err ignored;
		int may = may_issue(a, user, en->sop, st, &ignored);
		bool done = completed_run(c, st->no) != NULL;
		for (size_t k = 0; k < st->n_docs; k++) {
			const tmpl *t = templates_find(&a->tmpls, st->docs[k].template_id);
			if (t == NULL || !doc_due(c, st->no, &st->docs[k]))
				continue;
			json_array_append_new(
			    due, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s?, s:b, s:b}", "step", st->no,
					   "uraian", st->uraian, "role", st->role, "template",
					   st->docs[k].template_id, "title",
					   st->docs[k].judul ? st->docs[k].judul : tmpl_judul(t),
					   "signer_role", st->docs[k].ttd, "completed", done, "may_issue",
					   may == 1 && done));
		}
	}
	bool escalation = strcmp(p->id, "insiden") == 0 || strcmp(p->id, "cti") == 0;
	json_decref(c);
	return json_pack("{s:o, s:o, s:b}", "due", due, "issued", issued, "escalation", escalation);
}

/* ---- verification --------------------------------------------------- */

/* The code as a person may type it: any case, spaces and dashes
 * ignored. -1 when it cannot be a code. */
static int code_norm(const char *in, char out[DOC_CODE_LEN + 1])
{
	size_t n = 0;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		char ch = *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
		if (n == DOC_CODE_LEN || !strchr(CODE_ALPHABET, ch))
			return -1;
		out[n++] = ch;
	}
	out[n] = '\0';
	return n == DOC_CODE_LEN ? 0 : -1;
}

json_t *document_verify(app *a, const char *code, const char *sha256, sg_err *e)
{
	char c[DOC_CODE_LEN + 1];
	if (code == NULL || code_norm(code, c) != 0) {
		sg_err_set(e, SG_ENOTFOUND, "no document has this verification code");
		return NULL;
	}
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT d.number, d.title, d.issued_at, d.sha256, d.pages, d.issued_by, "
			    "u.full_name, d.code FROM documents d LEFT JOIN users u ON u.name = d.issued_by "
			    "WHERE d.code = ?",
			    "s", c) != 0)
		return NULL;
	int rc = db_step(st, e);
	if (rc != DB_ROW) {
		db_finalize(st);
		if (rc == DB_DONE)
			sg_err_set(e, SG_ENOTFOUND, "no document has this verification code");
		return NULL;
	}
	const char *full = db_col_null(st, 6) || !*db_col_text(st, 6) ? db_col_text(st, 5)
								      : db_col_text(st, 6);
	json_t *out = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}", "code", db_col_text(st, 7),
				"number", db_col_text(st, 0), "title", db_col_text(st, 1), "issued_at",
				(json_int_t)db_col_int(st, 2), "pages", (json_int_t)db_col_int(st, 4),
				"issued_by", full);
	char stored[65];
	snprintf(stored, sizeof stored, "%s", db_col_text(st, 3));
	db_finalize(st);
	if (sha256)
		json_object_set_new(out, "genuine", json_boolean(strcmp(sha256, stored) == 0));
	json_t *s = doc_settings(a, e);
	if (s == NULL) {
		json_decref(out);
		return NULL;
	}
	json_object_set_new(out, "instansi", json_string(setting(s, "instansi")));
	json_object_set_new(out, "dinas", json_string(setting(s, "dinas")));
	json_decref(s);
	return out;
}

/* ---- the letterhead and the signatories, as the admin sets them ---- */

static const char *const letter_keys[] = {"instansi", "dinas", "alamat", "kontak", "kota",
					  "unit",     "nomor", NULL};

/* Whether key may be set, and value is fit for it; e set when not. */
static int setting_check(app *a, const char *key, const char *value, sg_err *e)
{
	if (strlen(value) > 300)
		return sg_err_set(e, SG_EINVAL, "%s is longer than 300 characters", key);
	for (const char *const *k = letter_keys; *k; k++)
		if (strcmp(key, *k) == 0) {
			if (strcmp(key, "nomor") == 0 && *value && !doc_number_pattern_valid(value))
				return sg_err_set(e, SG_EINVAL,
						  "the number pattern '%s' needs {seq} (or {seq:3}) and {kode}, "
						  "and may use {unit} {tahun} {bulan} {bulan_romawi}",
						  value);
			return 0;
		}
	const char *dot = strrchr(key, '.');
	char role[64];
	if (strncmp(key, "ttd.", 4) == 0 && dot && dot > key + 4 && (size_t)(dot - key - 4) < sizeof role) {
		snprintf(role, sizeof role, "%.*s", (int)(dot - key - 4), key + 4);
		bool field = strcmp(dot, ".jabatan") == 0 || strcmp(dot, ".nama") == 0 ||
			     strcmp(dot, ".nip") == 0;
		if (field && sops_role_known(&a->sops, role)) {
			if (strcmp(dot, ".nip") == 0 && *value && !doc_nip_valid(value))
				return sg_err_set(e, SG_EINVAL,
						  "the NIP '%s' must have 18 digits (spaces allowed)", value);
			return 0;
		}
	}
	return sg_err_set(e, SG_EINVAL, "'%s' is not a setting of the documents", key);
}

int doc_signers_check(json_t *doc_conf, const sop_registry *sops, sg_err *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(doc_conf, key, v)
	{
		if (strncmp(key, "ttd.", 4) != 0)
			continue;
		char role[64];
		size_t n = strcspn(key + 4, ".");
		snprintf(role, sizeof role, "%.*s", (int)n, key + 4);
		if (!sops_role_known(sops, role))
			return sg_err_set(e, SG_EINVAL,
					  "[penandatangan] %s: no SOP names the role '%s' (write a "
					  "role of the SOPs' pelaksana, as kabid.nama)",
					  key + 4, role);
	}
	return 0;
}

int doc_settings_save(app *a, const char *actor, json_t *values, sg_err *e)
{
	int admin = user_holds(a, actor, "admin", e);
	if (admin != 1)
		return admin < 0 ? -1 : sg_err_set(e, SG_EPERM, "only an admin may change the letterhead");
	if (!json_is_object(values) || json_object_size(values) > 200)
		return sg_err_set(e, SG_EINVAL, "give the settings as an object of texts");
	const char *k;
	json_t *v;
	json_object_foreach(values, k, v)
	{
		if (!json_is_string(v))
			return sg_err_set(e, SG_EINVAL, "%s must be a text", k);
		if (setting_check(a, k, json_string_value(v), e) != 0)
			return -1;
	}
	if (db_begin(a->db, e) != 0)
		return -1;
	json_t *changed = json_array();
	json_object_foreach(values, k, v)
	{
		const char *s = json_string_value(v);
		/* the same as sigap.conf says: not stored, so a later edit of
		 * sigap.conf holds */
		const char *conf = json_string_value(json_object_get(a->cfg.doc_conf, k));
		if (conf && strcmp(conf, s) == 0)
			s = "";
		int r = *s ? db_run(a->db, e,
				    "INSERT INTO doc_settings (key, value) VALUES (?, ?) "
				    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
				    "ss", k, s)
			   : db_run(a->db, e, "DELETE FROM doc_settings WHERE key = ?", "s", k);
		if (r != 0) {
			json_decref(changed);
			db_rollback(a->db);
			return -1;
		}
		json_array_append_new(changed, json_string(k));
	}
	if (logbook_record(a, actor, "document.settings", "settings", "dokumen",
			   json_pack("{s:o}", "keys", changed), e) != 0 ||
	    db_commit(a->db, e) != 0) {
		db_rollback(a->db);
		return -1;
	}
	return 0;
}

json_t *doc_signer_roles(app *a)
{
	json_t *out = json_array();
	for (size_t i = 0; i < a->sops.n; i++) {
		const sop *s = a->sops.v[i].sop;
		for (size_t p = 0; p < s->n_procs; p++)
			for (size_t k = 0; k < s->procs[p].n_steps; k++)
				for (size_t d = 0; d < s->procs[p].steps[k].n_docs; d++) {
					const char *r = s->procs[p].steps[k].docs[d].ttd;
					if (r == NULL)
						continue;
					bool seen = false;
					size_t j;
					json_t *x;
					json_array_foreach(out, j, x) seen |= strcmp(json_string_value(x), r) == 0;
					if (!seen)
						json_array_append_new(out, json_string(r));
				}
	}
	return out;
}
