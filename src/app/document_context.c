/*
 * document_context.c: what a document template sees (docs/templates.md,
 * "Context"): the case as case_get gives it to the issuing officer,
 * rewritten for print: Indonesian names, dates in the formal Indonesian
 * form (WIB), field values beside their labels, sizes and durations in
 * words, the letterhead and the signatories. Templates never see a raw
 * Unix time or a JSON field name of the API: they are data a Diskominfo
 * edits, and they should read like the document they make.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "app/classify.h"
#include "base/civil.h"
#include "report/md_blocks.h"

static json_t *when(const app *a, json_t *t)
{
	if (!json_is_integer(t))
		return json_string("");
	char out[64];
	civil_format_id(json_integer_value(t), a->cfg.cal.zone, out, sizeof out);
	return json_string(out);
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* "1,2 MB": a size in the Indonesian decimal form. */
static json_t *size_words(json_int_t n)
{
	char out[48];
	if (n < 1024)
		snprintf(out, sizeof out, "%lld bita", (long long)n);
	else if (n < 1024 * 1024)
		snprintf(out, sizeof out, "%.1f KB", (double)n / 1024);
	else
		snprintf(out, sizeof out, "%.1f MB", (double)n / (1024.0 * 1024));
	char *dot = strchr(out, '.');
	if (dot)
		*dot = ',';
	return json_string(out);
}

/* A field's value as text: a file by its name, a list joined. */
static json_t *value_text(json_t *v)
{
	if (json_is_string(v))
		return json_incref(v);
	if (json_is_integer(v) || json_is_real(v))
		return json_incref(v);
	if (json_is_true(v))
		return json_string("Ya");
	if (json_is_object(v) && json_object_get(v, "filename"))
		return json_incref(json_object_get(v, "filename"));
	if (json_is_array(v)) {
		buf b = {0};
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			json_t *t = value_text(x);
			if (json_is_string(t)) {
				buf_puts(&b, b.len ? ", " : "");
				buf_puts(&b, json_string_value(t));
			}
			json_decref(t);
		}
		json_t *out = json_string(b.len ? buf_str(&b) : "");
		buf_free(&b);
		return out;
	}
	return json_string("");
}

static const sop_field *find_field(const sop_field *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].name && strcmp(f[i].name, name) == 0)
			return &f[i];
	return NULL;
}

/* A date field's "2026-12-12" as "12 Desember 2026"; other text as it is. */
static json_t *field_text(const app *a, const sop_field *f, json_t *v)
{
	int64_t at;
	if (f && f->type == FIELD_DATE && json_is_string(v) &&
	    civil_parse(json_string_value(v), a->cfg.cal.zone, &at) == 0) {
		char out[64];
		civil_format_id_date(at, a->cfg.cal.zone, out, sizeof out);
		return json_string(out);
	}
	return value_text(v);
}

/* [{label, nilai}] of values, in the order of the fields declared; into
 * flat (name: text) as well. */
static json_t *labelled(const app *a, json_t *values, const sop_field *f, size_t n, json_t *flat)
{
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(values, f[i].name);
		if (v == NULL || json_is_null(v))
			continue;
		json_t *t = field_text(a, &f[i], v);
		json_object_set(flat, f[i].name, t);
		json_array_append_new(out, json_pack("{s:s, s:o}", "label", f[i].label ? f[i].label : f[i].name,
						     "nilai", t));
	}
	/* values no declared field names (an older SOP version's) */
	const char *k;
	json_t *v;
	json_object_foreach(values, k, v)
	{
		if (find_field(f, n, k) == NULL && !json_is_null(v)) {
			json_t *t = value_text(v);
			json_object_set(flat, k, t);
			json_array_append_new(out, json_pack("{s:s, s:o}", "label", k, "nilai", t));
		}
	}
	return out;
}

static json_t *history(const app *a, json_t *h, const sop *s, const sop_procedure *p, json_t *flat)
{
	json_t *out = json_array();
	size_t i;
	json_t *run;
	json_array_foreach(h, i, run)
	{
		int no = (int)json_integer_value(json_object_get(run, "step_no"));
		int idx = sop_step_index(p, no);
		const sop_step *st = idx >= 0 ? &p->steps[idx] : NULL;
		const char *role = str(run, "role");
		const char *kind = str(run, "kind");
		char dur[64] = "";
		json_t *spent = json_object_get(run, "spent_seconds");
		if (json_is_integer(spent))
			civil_format_duration_id(json_integer_value(spent), dur, sizeof dur);
		bool met = json_is_true(json_object_get(run, "sla_met"));
		json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:b, s:s, s:s, s:s}",
				      "no", no, "uraian", str(run, "uraian"), "pelaksana",
				      sop_role_name(s, role) ? sop_role_name(s, role) : role, "oleh",
				      str(run, "actor"), "mulai", when(a, json_object_get(run, "started_at")),
				      "selesai", when(a, json_object_get(run, "finished_at")), "waktu_baku",
				      str(run, "waktu"), "durasi", dur, "tepat", met, "sla",
				      strcmp(kind, "step") != 0 ? ""
				      : met			? "Tepat waktu"
								: "Melewati waktu baku",
				      "keputusan", str(run, "decision"), "jenis",
				      strcmp(kind, "step") == 0	       ? ""
				      : strcmp(kind, "kembali") == 0      ? "dikembalikan"
				      : strcmp(kind, "buka_kembali") == 0 ? "dibuka kembali"
									  : kind);
		json_object_set_new(o, "isian", labelled(a, json_object_get(run, "values"),
							 st ? st->fields : NULL, st ? st->n_fields : 0,
							 flat));
		/* an outside actor's step done for them: by whom, how */
		json_object_set_new(o, "atas_nama", json_string(str(run, "on_behalf_of")));
		json_object_set_new(o, "saluran", json_string(str(run, "channel")));
		json_array_append_new(out, o);
	}
	return out;
}

/* The case's evidence; issued documents (origin "dokumen") when issued
 * is true, else the rest: sigap's own documents are no evidence of the
 * incident. */
static json_t *evidence(const app *a, json_t *ev, bool issued)
{
	json_t *out = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(ev, i, x)
	{
		if ((strcmp(str(x, "origin"), "dokumen") == 0) != issued)
			continue;
		json_array_append_new(
		    out, json_pack("{s:s, s:s, s:o, s:s, s:o, s:s}", "nama", str(x, "filename"), "sha256",
				   str(x, "sha256"), "ukuran",
				   size_words(json_integer_value(json_object_get(x, "size"))), "oleh",
				   str(x, "added_by"), "waktu", when(a, json_object_get(x, "added_at")),
				   "asal", str(x, "origin")));
	}
	return out;
}

static json_t *assets(json_t *as)
{
	json_t *out = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(as, i, x)
	    json_array_append_new(out, json_pack("{s:s, s:s}", "nama", str(x, "name"), "opd", str(x, "opd")));
	return out;
}

static const char *severity_id(const char *s)
{
	static const char *const map[][2] = {{"critical", "Kritis"}, {"high", "Tinggi"},
					     {"medium", "Sedang"},   {"low", "Rendah"},
					     {"info", "Informasi"},  {NULL, NULL}};
	for (size_t i = 0; map[i][0]; i++)
		if (strcmp(s, map[i][0]) == 0)
			return map[i][1];
	return s;
}

static json_t *findings(const app *a, json_t *fs)
{
	json_t *out = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(fs, i, x)
	{
		json_t *asset = json_object_get(x, "asset");
		json_array_append_new(
		    out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b}", "judul", str(x, "title"),
				   "keparahan", severity_id(str(x, "severity")), "status", str(x, "state"),
				   "aset", str(asset, "name"), "titik", str(x, "endpoint"), "tenggat",
				   when(a, json_object_get(x, "due_at")), "lewat",
				   json_is_true(json_object_get(x, "overdue"))));
	}
	return out;
}

static json_t *alerts(const app *a, json_t *al)
{
	json_t *out = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(al, i, x)
	{
		json_array_append_new(
		    out, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:s}", "id",
				   json_integer_value(json_object_get(x, "id")), "judul", str(x, "title"),
				   "tingkat", severity_id(str(x, "level")), "aset", str(x, "asset_name"),
				   "sumber", str(x, "source_ip"), "pertama",
				   when(a, json_object_get(x, "first_seen")), "terakhir",
				   when(a, json_object_get(x, "last_seen")), "jumlah",
				   json_integer_value(json_object_get(x, "count")), "status",
				   strcmp(str(x, "status"), "true_positive") == 0	 ? "TRUE POSITIVE"
				   : strcmp(str(x, "status"), "false_positive") == 0 ? "FALSE POSITIVE"
										     : "Belum diputuskan"));
	}
	return out;
}

static json_t *comments(const app *a, json_t *cm)
{
	json_t *out = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(cm, i, x)
	    json_array_append_new(out, json_pack("{s:s, s:o, s:s}", "oleh", str(x, "author"), "waktu",
						 when(a, json_object_get(x, "created_at")), "isi",
						 str(x, "body")));
	return out;
}

/* The exception a case of SOP pengecualian made (exceptions.c), as its
 * documents name it: {nomor, status, mulai, sampai, risiko: [{nomor,
 * judul, inheren, residual}], kontrol: [{kode, judul}]}; {} when none. */
static json_t *exception_context(app *a, const char *ticket)
{
	sg_err e = {0};
	int64_t id = exception_of_ticket(a, ticket, &e);
	json_t *x = id > 0 ? exception_get(a, NULL, id, &e) : NULL;
	if (x == NULL)
		return json_object();
	json_t *risks = json_array(), *ctl = json_array(), *r;
	size_t i;
	json_array_foreach(json_object_get(x, "risks"), i, r)
	{
		json_t *res = json_object_get(r, "residual");
		json_array_append_new(
		    risks, json_pack("{s:I, s:s, s:s, s:s}", "nomor",
				     (json_int_t)json_integer_value(json_object_get(r, "id")), "judul",
				     str(r, "title"), "inheren", str(json_object_get(r, "inherent"), "name"),
				     "residual", json_is_object(res) ? str(res, "name") : "-"));
	}
	json_array_foreach(json_object_get(x, "controls"), i, r)
	    json_array_append_new(ctl, json_pack("{s:s, s:s}", "kode", str(r, "ref"), "judul",
						 str(r, "title")));
	json_t *out = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "nomor", (json_int_t)id, "status",
				str(x, "state"), "mulai", str(x, "starts"), "sampai", str(x, "until"),
				"risiko", risks, "kontrol", ctl);
	json_decref(x);
	return out;
}

/* The policy a case of SOP kebijakan is about (policies.c), as its
 * documents print it: {nomor, judul, jenis, versi, status, sha256,
 * nomor_pengesahan, blok: the text as md_blocks gives it}: the version
 * the case drafted, else the newest published or ratified version of the
 * policy it names; {} when none. */
static json_t *policy_context(app *a, json_t *c)
{
	sg_err e = {0};
	int64_t id = policy_of_ticket(a, str(c, "ticket"), &e);
	int want = 0; /* the drafted version: its own; else the newest in force */
	if (id > 0) {
		int64_t v = 0;
		if (db_query_int(a->db, &e, &v,
				 "SELECT MAX(v.version) FROM policy_versions v JOIN cases k ON k.id = "
				 "v.case_id WHERE k.ticket = ?",
				 "s", str(c, "ticket")) == DB_ROW)
			want = (int)v;
	} else {
		const char *ref = str(json_object_get(c, "fields"), "kebijakan");
		char *end;
		long long n = strtoll(ref, &end, 10);
		if (*ref == '\0' || *end || n <= 0)
			return json_object();
		id = n;
	}
	json_t *p = policy_get(a, NULL, id, false, &e);
	if (p == NULL)
		return json_object();
	json_t *v = NULL, *x;
	size_t i;
	json_array_foreach(json_object_get(p, "versions"), i, x)
	{
		int n = (int)json_integer_value(json_object_get(x, "version"));
		const char *st = str(x, "state");
		if (want ? n == want
			 : v == NULL && (strcmp(st, "dipublikasikan") == 0 || strcmp(st, "disahkan") == 0))
			v = policy_version(a, id, n, &e);
	}
	json_t *out = json_pack("{s:I, s:s, s:s}", "nomor", (json_int_t)id, "judul", str(p, "title"),
				"jenis", str(p, "kind"));
	json_decref(p);
	if (v) {
		json_t *blocks = md_blocks(str(v, "text"));
		json_object_set_new(out, "versi", json_integer(json_integer_value(json_object_get(v, "version"))));
		json_object_set_new(out, "status", json_string(str(v, "state")));
		json_object_set_new(out, "sha256", json_string(str(v, "sha256")));
		json_object_set_new(out, "nomor_pengesahan", json_string(str(v, "number")));
		json_object_set_new(out, "blok", blocks ? blocks : json_array());
		json_decref(v);
	}
	return out;
}

json_t *document_context(app *a, json_t *c, const sop *s, const sop_procedure *p,
			 const doc_meta *m)
{
	json_t *flat = json_object();
	json_t *kasus = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s}", "tiket", str(c, "ticket"),
	    "judul", str(c, "title"), "status",
	    strcmp(str(c, "status"), "open") == 0 ? "Dalam penanganan" : "Selesai", "sop", s->nama ? s->nama : "",
	    "sop_nomor", s->nomor ? s->nomor : "", "prosedur", p->nama ? p->nama : "", "dibuka",
	    when(a, json_object_get(c, "created_at")), "dibuka_oleh", str(c, "created_by"), "kategori",
	    *str(c, "category") ? enisa_label(str(c, "category"), false) : "", "jenis",
	    *str(c, "incident_type") ? enisa_label(str(c, "incident_type"), false) : "", "prioritas",
	    str(c, "priority"), "tlp", str(c, "tlp"));
	json_object_set_new(kasus, "isian",
			    labelled(a, json_object_get(c, "fields"), p->fields, p->n_fields, flat));
	json_t *sla = json_object_get(c, "sla");
	char pct[16];
	snprintf(pct, sizeof pct, "%.0f%%", 100.0 * json_number_value(json_object_get(sla, "rate")));
	json_t *ctx = json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:s}}", "kasus", kasus, "langkah",
	    history(a, json_object_get(c, "history"), s, p, flat), "bukti",
	    evidence(a, json_object_get(c, "evidence"), false), "aset", assets(json_object_get(c, "assets")),
	    "temuan", findings(a, json_object_get(c, "findings")), "peringatan",
	    alerts(a, json_object_get(c, "alerts")), "catatan",
	    comments(a, json_object_get(c, "comments")), "isian", flat, "sla", "langkah",
	    json_integer_value(json_object_get(sla, "runs")), "tepat",
	    json_integer_value(json_object_get(sla, "met")), "persen", pct);
	json_object_set_new(ctx, "pengecualian", exception_context(a, str(c, "ticket")));
	json_object_set_new(ctx, "kebijakan", policy_context(a, c));
	char date[64], place[400];
	civil_format_id_date(m->at, a->cfg.cal.zone, date, sizeof date);
	const char *kota = json_string_value(json_object_get(m->kop, "kota"));
	snprintf(place, sizeof place, "%s%s%s", kota ? kota : "", kota ? ", " : "", date);
	json_object_set_new(ctx, "dokumen",
			    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:s}", "nomor",
				      m->nomor ? m->nomor : "(draf)", "judul", m->judul, "tanggal",
				      date, "tempat_tanggal", place, "kode",
				      m->code ? m->code : "", "tlp", str(c, "tlp"), "draf",
				      m->nomor == NULL, "langkah", m->step_no, "output",
				      m->output ? m->output : ""));
	/* the document's own step: its last run (a step sent back and done
	 * again counts as it was done last) */
	json_t *own = NULL, *run;
	size_t i;
	json_array_foreach(json_object_get(ctx, "langkah"), i, run)
	{
		if (json_integer_value(json_object_get(run, "no")) == m->step_no &&
		    *str(run, "jenis") == '\0')
			own = run;
	}
	json_t *doc = json_object_get(ctx, "dokumen");
	json_t *own_values = json_object();
	int idx = sop_step_index(p, m->step_no);
	if (own && idx >= 0) {
		json_t *hist = json_object_get(c, "history"), *h, *last = NULL;
		json_array_foreach(hist, i, h)
		{
			if (json_integer_value(json_object_get(h, "step_no")) == m->step_no &&
			    strcmp(str(h, "kind"), "step") == 0)
				last = h;
		}
		json_decref(labelled(a, json_object_get(last, "values"), p->steps[idx].fields,
				     p->steps[idx].n_fields, own_values));
	}
	json_object_set_new(doc, "isian", own_values);
	json_object_set_new(doc, "keputusan", json_string(own ? str(own, "keputusan") : ""));
	json_object_set_new(doc, "oleh", json_string(own ? str(own, "oleh") : ""));
	json_object_set_new(doc, "selesai", json_string(own ? str(own, "selesai") : ""));
	json_object_set_new(ctx, "dokumen_terbit", evidence(a, json_object_get(c, "evidence"), true));
	json_object_set(ctx, "instansi", m->kop);
	json_object_set(ctx, "penandatangan", m->signers);
	/* the signatory: as configured, with the role's name (peran) always,
	 * so a template can fall back on it */
	json_t *ttd = m->ttd ? json_object_get(m->signers, m->ttd) : NULL;
	ttd = ttd ? json_deep_copy(ttd) : json_object();
	const char *peran = m->ttd ? sop_role_name(s, m->ttd) : NULL;
	json_object_set_new(ttd, "peran", json_string(peran ? peran : ""));
	json_object_set_new(ctx, "ttd", ttd);
	json_object_set_new(ctx, "penerbit", json_pack("{s:s, s:s}", "nama", m->issuer_name,
						       "pengguna", m->issuer));
	return ctx;
}
