/*
 * page_documents.c: a case's output documents and their public
 * verification.
 *
 *   GET  /kasus/T/dokumen                      the documents the case's
 *        steps declare (those of steps it has reached) and those issued
 *   GET  /kasus/T/dokumen?langkah=N&templat=ID  a draft on screen, with
 *        the letterhead; &format=pdf the draft PDF, marked DRAF
 *   POST /kasus/T/dokumen                      issue (langkah, templat)
 *   GET  /verifikasi, /verifikasi/CODE         what sigap knows of an issued
 *        document (number, kind, issuer, time, never its content) and a
 *        form to check a presented PDF, or its SHA-256, against it
 *   POST /verifikasi/CODE                      that check
 *
 * Issued PDFs are evidence of their case: they download from /bukti/SHA,
 * with its checks. The application (documents.c) decides who may see and
 * issue what; this file only draws.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/civil.h"
#include "download.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int64_t jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* /kasus/T/dokumen?langkah=N&templat=ID (fmt: "" or "&format=pdf") */
static void doc_href(web_res *res, const char *ticket, int64_t step, const char *tid,
		     const char *fmt)
{
	buf b = BUF_INIT;
	buf_puts(&b, "/kasus/");
	webutil_urlencode(&b, ticket, false);
	buf_printf(&b, "/dokumen?langkah=%lld&templat=", (long long)step);
	webutil_urlencode(&b, tid, false);
	buf_puts(&b, fmt);
	h(res, buf_str(&b));
	buf_free(&b);
}

static void case_href(web_res *res, const char *ticket, const char *tail)
{
	buf b = BUF_INIT;
	buf_puts(&b, "/kasus/");
	webutil_urlencode(&b, ticket, false);
	buf_puts(&b, tail);
	h(res, buf_str(&b));
	buf_free(&b);
}

/* How many of the issued are of this step and template; the last one's
 * number into last. */
static int issued_count(json_t *issued, int64_t step, const char *tid, const char **last)
{
	int n = 0;
	size_t i;
	json_t *d;
	json_array_foreach(issued, i, d)
	{
		if (jint(d, "step") == step && strcmp(jstr(d, "template"), tid) == 0) {
			n++;
			*last = jstr(d, "number");
		}
	}
	return n;
}

static void due_table(web_req *r, web_res *res, const char *ticket, json_t *due, json_t *issued)
{
	hraw(res, "<h2>");
	h(res, T(r, "Documents of the steps reached"));
	hraw(res, "</h2>");
	if (json_array_size(due) == 0) {
		hraw(res, "<p>");
		h(res, T(r, "The steps this case has reached output no document yet."));
		hraw(res, "</p>");
		return;
	}
	html_thead(res, "", T(r, "Step"), T(r, "Document"), T(r, "Draft"), T(r, "Issue"), NULL);
	size_t i;
	json_t *d;
	json_array_foreach(due, i, d)
	{
		hprintf(res, "<tr><td>%lld</td><td>", (long long)jint(d, "step"));
		h(res, jstr(d, "title"));
		hraw(res, "</td><td><a href=\"");
		doc_href(res, ticket, jint(d, "step"), jstr(d, "template"), "");
		hraw(res, "\">");
		h(res, T(r, "View"));
		hraw(res, "</a> · <a href=\"");
		doc_href(res, ticket, jint(d, "step"), jstr(d, "template"), "&format=pdf");
		hraw(res, "\">PDF</a></td><td>");
		const char *last = NULL;
		int times = issued_count(issued, jint(d, "step"), jstr(d, "template"), &last);
		if (times) {
			hraw(res, "<p class=\"muted\">");
			h(res, T(r, "Already issued:"));
			hraw(res, " ");
			h(res, last);
			if (times > 1)
				hprintf(res, " (%d\u00d7)", times);
			hraw(res, "</p>");
		}
		if (!json_is_true(json_object_get(d, "completed"))) {
			h(res, T(r, "once the step is completed"));
		} else if (json_is_true(json_object_get(d, "may_issue"))) {
			hraw(res, "<form method=\"post\" action=\"");
			case_href(res, ticket, "/dokumen");
			hraw(res, "\">");
			html_csrf(r, res);
			hprintf(res, "<input type=\"hidden\" name=\"langkah\" value=\"%lld\">",
				(long long)jint(d, "step"));
			hraw(res, "<input type=\"hidden\" name=\"templat\" value=\"");
			h(res, jstr(d, "template"));
			hraw(res, "\"><button type=\"submit\">");
			h(res, times ? T(r, "Issue again with a new number") : T(r, "Issue with a number"));
			hraw(res, "</button></form>");
		} else {
			h(res, T(r, "by who acts on the step"));
		}
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table>");
}

static void issued_table(web_req *r, web_res *res, json_t *issued)
{
	hraw(res, "<h2>");
	h(res, T(r, "Issued documents"));
	hraw(res, "</h2>");
	if (json_array_size(issued) == 0) {
		hraw(res, "<p>");
		h(res, T(r, "No document of this case has been issued."));
		hraw(res, "</p>");
		return;
	}
	html_thead(res, "", T(r, "Number"), T(r, "Document"), T(r, "Step"), T(r, "Issued"),
		   T(r, "Verification code"), "SHA-256", NULL);
	size_t i;
	json_t *d;
	json_array_foreach(issued, i, d)
	{
		hraw(res, "<tr><td><a href=\"/bukti/");
		h(res, jstr(d, "sha256"));
		hraw(res, "\">");
		h(res, jstr(d, "number"));
		hraw(res, "</a></td><td>");
		h(res, jstr(d, "title"));
		hprintf(res, "</td><td>%lld</td><td>", (long long)jint(d, "step"));
		h(res, jstr(d, "issued_by"));
		hraw(res, ", ");
		html_time(r, res, jint(d, "issued_at"));
		hraw(res, "</td><td><a href=\"/verifikasi/");
		h(res, jstr(d, "code"));
		hraw(res, "\">");
		h(res, jstr(d, "code"));
		hraw(res, "</a></td><td class=\"hash\">");
		h(res, jstr(d, "sha256"));
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table>");
}

/* The notice of the document just issued with code (?terbit=CODE) among
 * the issued ones, into out ("" when none). */
static void issued_notice(web_req *r, json_t *issued, const char *code, char *out, size_t n)
{
	out[0] = '\0';
	size_t i;
	json_t *d;
	json_array_foreach(issued, i, d)
	{
		if (code && strcmp(jstr(d, "code"), code) == 0)
			snprintf(out, n, "%s %s, %s %s (%s %s).", T(r, "Issued:"), jstr(d, "title"),
				 T(r, "number"), jstr(d, "number"), T(r, "verification code"), code);
	}
}

/* The case's documents; issued: the code of one just issued, told above
 * them (NULL: none); error: why a change was refused (NULL: none). */
static void list_page(web_req *r, web_res *res, const char *issued, const char *error)
{
	sg_err e = {0};
	json_t *docs = documents_of_case(r->app, r->who.user, r->path_arg, &e);
	if (docs == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Documents"), web_err(r, &e));
		return;
	}
	char title[200];
	snprintf(title, sizeof title, "%s %s", T(r, "Documents of case"), r->path_arg);
	html_begin(r, res, title, NAV_CASES);
	hraw(res, "<h1>");
	h(res, title);
	hraw(res, "</h1><p><a href=\"");
	case_href(res, r->path_arg, "");
	hraw(res, "\">");
	h(res, T(r, "Back to the case"));
	hraw(res, "</a></p>");
	char notice[1024];
	issued_notice(r, json_object_get(docs, "issued"), issued, notice, sizeof notice);
	if (notice[0])
		html_notice(res, "ok", notice);
	if (error)
		html_notice(res, "error", error);
	if (r->app->cfg.nt_link_base == NULL) {
		char note[600];
		snprintf(note, sizeof note, "%s http://%s. %s",
			 T(r, "The QR code of an issued document points at this server's address"),
			 r->app->cfg.web_listen ? r->app->cfg.web_listen : "",
			 T(r, "Set [notify] link_base in sigap.conf to the address citizens reach, "
			      "before issuing."));
		html_notice(res, "info", note);
	}
	due_table(r, res, r->path_arg, json_object_get(docs, "due"), json_object_get(docs, "issued"));
	if (json_is_true(json_object_get(docs, "escalation"))) {
		hraw(res, "<h2>");
		h(res, T(r, "Escalation to the sectoral and national TTIS"));
		hraw(res, "</h2><p>");
		h(res, T(r, "The incident as a file for the TTIS's platforms:"));
		hraw(res, " <a href=\"");
		case_href(res, r->path_arg, "/ekspor?format=stix");
		hraw(res, "\">STIX 2.1</a> · <a href=\"");
		case_href(res, r->path_arg, "/ekspor?format=misp");
		hraw(res, "\">MISP</a></p>");
	}
	issued_table(r, res, json_object_get(docs, "issued"));
	json_decref(docs);
	html_end(r, res);
}

/* The letterhead of the screen view: the same lines as the PDF's. */
static void kop_html(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *s = doc_settings(r->app, &e);
	hraw(res, "<header class=\"kop-surat\">");
	static const char *const keys[] = {"instansi", "dinas", "alamat", "kontak"};
	for (size_t i = 0; s && i < 4; i++) {
		const char *v = jstr(s, keys[i]);
		if (*v == '\0')
			continue;
		hprintf(res, "<p class=\"kop-%s\">", keys[i]);
		h(res, v);
		hraw(res, "</p>");
	}
	hraw(res, "</header>");
	json_decref(s);
}

/* out (a rendered PDF, freed) as the answer, shown in the browser under
 * the file name name (made safe). */
static void send_pdf(web_res *res, const char *name, buf *out)
{
	char safe[200], cd[300];
	download_safe_name(name, "dokumen.pdf", safe, sizeof safe);
	snprintf(cd, sizeof cd, "inline; filename=\"%s\"", safe);
	res->content_type = "application/pdf";
	web_res_header(res, "Content-Disposition", cd);
	buf_append(&res->body, out->data, out->len);
	buf_free(out);
}

static void draft(web_req *r, web_res *res, int64_t step, const char *tid, bool pdf)
{
	sg_err e = {0};
	buf out = BUF_INIT;
	doc_info info;
	if (document_draft(r->app, r->who.user, r->path_arg, (int)step, tid, pdf, &out, &info, &e) !=
	    0) {
		buf_free(&out);
		html_message_page(r, res, web_status_of(&e), T(r, "Documents"), web_err(r, &e));
		return;
	}
	res->no_store = true;
	if (pdf) {
		char name[300];
		snprintf(name, sizeof name, "DRAF %s %s.pdf", info.title, r->path_arg);
		send_pdf(res, name, &out);
		return;
	}
	res->content_type = "text/html; charset=utf-8";
	hprintf(res,
		"<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\"><meta "
		"name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
		r->lang == LANG_ID ? "id" : "en");
	h(res, info.title);
	hraw(res, "</title><link rel=\"stylesheet\" href=\"/static/print.css\"></head><body class=\"dokumen");
	if (info.landscape)
		hraw(res, " lanskap");
	hraw(res, "\"><p class=\"draf-bar\">");
	h(res, T(r, "DRAFT: not numbered and not valid until issued."));
	hraw(res, " <a href=\"");
	case_href(res, r->path_arg, "/dokumen");
	hraw(res, "\">");
	h(res, T(r, "Back to the documents"));
	hraw(res, "</a></p>");
	if (info.tlp[0]) {
		hraw(res, "<p class=\"tlp-mark\">");
		html_tlp(res, info.tlp);
		hraw(res, "</p>");
	}
	kop_html(r, res);
	/* the body is the template's XHTML: allowed elements only, every
	 * value escaped by tmpl_render (tmpl.h) */
	hraw(res, "<article class=\"isi-dokumen\">");
	hraw(res, buf_str(&out));
	hraw(res, "</article></body></html>");
	buf_free(&out);
}

/* format= of a draft or the monthly report: none or html for the screen,
 * pdf (any case) for the PDF; anything else is answered 400, not served
 * as the screen page the caller did not ask for. -1 when answered. */
static int want_pdf(web_req *r, web_res *res, const char *title, bool *pdf)
{
	const char *fmt = web_query(r, "format");
	*pdf = fmt && strcasecmp(fmt, "pdf") == 0;
	if (*pdf || fmt == NULL || *fmt == '\0' || strcasecmp(fmt, "html") == 0)
		return 0;
	html_message_page(r, res, 400, title,
			  T(r, "Give format=pdf for the PDF, or no format for the screen."));
	return -1;
}

void page_case_documents(web_req *r, web_res *res)
{
	const char *step = web_query(r, "langkah"), *tid = web_query(r, "templat");
	if (step == NULL && tid == NULL) {
		list_page(r, res, web_query(r, "terbit"), NULL);
		return;
	}
	int64_t no;
	if (step == NULL || tid == NULL || !webutil_int(step, 1, 10000, &no)) {
		html_message_page(r, res, 400, T(r, "Documents"),
				  T(r, "Give the step (langkah) and the template (templat)."));
		return;
	}
	bool pdf;
	if (want_pdf(r, res, T(r, "Documents"), &pdf) == 0)
		draft(r, res, no, tid, pdf);
}

void page_case_document_issue(web_req *r, web_res *res)
{
	const char *step = web_form(r, "langkah"), *tid = web_form(r, "templat");
	int64_t no;
	sg_err e = {0};
	doc_info info;
	if (step == NULL || tid == NULL || !webutil_int(step, 1, 10000, &no)) {
		res->status = 400;
		list_page(r, res, NULL, T(r, "Give the step (langkah) and the template (templat)."));
		return;
	}
	if (document_issue(r->app, r->who.user, r->path_arg, (int)no, tid, &info, &e) != 0) {
		res->status = web_status_of(&e);
		list_page(r, res, NULL, web_err(r, &e));
		return;
	}
	/* to the list, so a reload issues nothing again */
	buf to = BUF_INIT;
	buf_puts(&to, "/kasus/");
	webutil_urlencode(&to, r->path_arg, false);
	buf_printf(&to, "/dokumen?terbit=%s", info.code);
	web_redirect(res, buf_str(&to));
	buf_free(&to);
}

/* ---- verification (public) ----------------------------------------- */

static void verify_form(web_req *r, web_res *res, const char *code)
{
	hraw(res, "<form method=\"post\" enctype=\"multipart/form-data\" action=\"/verifikasi/");
	h(res, code);
	hraw(res, "\">");
	html_csrf(r, res);
	hraw(res, "<p><label>");
	h(res, T(r, "The PDF file you received"));
	hraw(res, " <input type=\"file\" name=\"berkas\" accept=\"application/pdf\"></label></p><p><label>");
	h(res, T(r, "or its SHA-256"));
	hraw(res, " <input type=\"text\" name=\"sha256\" maxlength=\"64\" pattern=\"[0-9a-fA-F]{64}\" "
		  "autocomplete=\"off\"></label></p><p><button type=\"submit\">");
	h(res, T(r, "Check"));
	hraw(res, "</button></p></form>");
}

static void verify_page(web_req *r, web_res *res, const char *code, const char *sha)
{
	sg_err e = {0};
	json_t *d = document_verify(r->app, code, sha, &e);
	if (d == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Document verification"),
				  e.code == SG_ENOTFOUND
				      ? T(r, "No document issued by sigap has this verification code. "
					     "Check the code printed under the QR code.")
				      : web_err(r, &e));
		return;
	}
	html_begin(r, res, T(r, "Document verification"), NAV_NONE);
	hraw(res, "<h1>");
	h(res, T(r, "Document verification"));
	hraw(res, "</h1>");
	json_t *g = json_object_get(d, "genuine");
	if (json_is_true(g))
		html_notice(res, "ok",
			    T(r, "GENUINE: the file is exactly the document issued under this code."));
	else if (json_is_false(g))
		html_notice(res, "error",
			    T(r, "NOT GENUINE: the file differs from the document issued under this "
				 "code. It has been changed, or it is another document."));
	hraw(res, "<dl class=\"facts\"><dt>");
	h(res, T(r, "Number"));
	hraw(res, "</dt><dd>");
	h(res, jstr(d, "number"));
	hraw(res, "</dd><dt>");
	h(res, T(r, "Kind of document"));
	hraw(res, "</dt><dd>");
	h(res, jstr(d, "title"));
	hraw(res, "</dd><dt>");
	h(res, T(r, "Issued by"));
	hraw(res, "</dt><dd>");
	h(res, jstr(d, "issued_by"));
	if (*jstr(d, "dinas") || *jstr(d, "instansi")) {
		hraw(res, ", ");
		h(res, *jstr(d, "dinas") ? jstr(d, "dinas") : jstr(d, "instansi"));
	}
	hraw(res, "</dd><dt>");
	h(res, T(r, "Issued at"));
	hraw(res, "</dt><dd>");
	html_time(r, res, jint(d, "issued_at"));
	hraw(res, "</dd><dt>");
	h(res, T(r, "Pages"));
	hprintf(res, "</dt><dd>%lld</dd></dl><p>", (long long)jint(d, "pages"));
	h(res, T(r, "This page does not show the document's content. To check that a copy you "
		    "received is genuine, give the file or its SHA-256."));
	hraw(res, "</p>");
	verify_form(r, res, jstr(d, "code"));
	json_decref(d);
	html_end(r, res);
}

void page_verify_home(web_req *r, web_res *res)
{
	const char *code = web_query(r, "kode");
	if (code && *code) {
		buf b = BUF_INIT;
		buf_puts(&b, "/verifikasi/");
		webutil_urlencode(&b, code, false);
		web_redirect(res, buf_str(&b));
		buf_free(&b);
		return;
	}
	html_begin(r, res, T(r, "Document verification"), NAV_NONE);
	hraw(res, "<h1>");
	h(res, T(r, "Document verification"));
	hraw(res, "</h1><p>");
	h(res, T(r, "Every document sigap issues carries a QR code and a verification code. Give "
		    "the code to see who issued the document and when."));
	hraw(res, "</p><form method=\"get\" action=\"/verifikasi\"><p><label>");
	h(res, T(r, "Verification code"));
	hraw(res, " <input type=\"text\" name=\"kode\" maxlength=\"20\" required "
		  "autocomplete=\"off\"></label> <button type=\"submit\">");
	h(res, T(r, "Check"));
	hraw(res, "</button></p></form>");
	html_end(r, res);
}

void page_verify(web_req *r, web_res *res)
{
	verify_page(r, res, r->path_arg, NULL);
}

/* The gate of the check: a share of the address's hourly allowance of
 * status checks, taken before a file is received. */
bool gate_verify_page(web_req *r, web_res *res)
{
	int64_t retry;
	sg_err e = {0};
	int taken = app_rate_take(r->app, "verify", r->client, r->app->cfg.status_limit,
				  time(NULL), &retry, &e);
	if (taken > 0)
		return true;
	if (taken == 0) {
		char ra[24];
		snprintf(ra, sizeof ra, "%lld", (long long)retry);
		web_res_header(res, "Retry-After", ra);
	}
	html_message_page(r, res, taken < 0 ? web_status_of(&e) : 429,
			  T(r, "Document verification"),
			  taken < 0 ? web_err(r, &e)
				    : T(r, "Too many checks from your address in the last hour. "
					   "Please try again later."));
	return false;
}

void page_verify_check(web_req *r, web_res *res)
{
	const web_file *f = web_file_get(r, "berkas");
	const char *sha = web_form(r, "sha256");
	char given[65] = "";
	if (f && f->file.size > 0) {
		snprintf(given, sizeof given, "%s", f->file.sha256);
	} else if (sha && strlen(sha) == 64 && strspn(sha, "0123456789abcdefABCDEF") == 64) {
		for (int i = 0; i < 64; i++)
			given[i] = (char)(sha[i] >= 'A' && sha[i] <= 'F' ? sha[i] + 32 : sha[i]);
		given[64] = '\0';
	} else {
		html_message_page(r, res, 400, T(r, "Document verification"),
				  T(r, "Give the PDF file, or its SHA-256 (64 hexadecimal digits)."));
		return;
	}
	verify_page(r, res, r->path_arg, given);
}

/* ---- the letterhead and signatories (admin) ------------------------- */

/* An input of key: its value the admin's (stored), sigap.conf's shown as
 * its placeholder, so an empty field says what holds instead. */
static void field(const web_req *r, web_res *res, json_t *s, const char *key, const char *label,
		  const char *help)
{
	hraw(res, "<p><label>");
	h(res, label);
	hraw(res, "<br><input type=\"text\" maxlength=\"300\" name=\"");
	h(res, key);
	hraw(res, "\" value=\"");
	h(res, jstr(json_object_get(s, "stored"), key));
	hraw(res, "\" placeholder=\"");
	h(res, jstr(r->app->cfg.doc_conf, key));
	hraw(res, "\"></label>");
	if (help) {
		hraw(res, "<br><small class=\"muted\">");
		h(res, help);
		hraw(res, "</small>");
	}
	hraw(res, "</p>");
}

static void letterhead_page(web_req *r, web_res *res, const char *notice, const char *error)
{
	sg_err e = {0};
	json_t *stored = doc_settings_stored(r->app, &e);
	json_t *s = stored ? json_pack("{s:o}", "stored", stored) : NULL;
	json_t *roles = doc_signer_roles(r->app);
	html_begin(r, res, T(r, "Letterhead and signatories"), NAV_LETTERHEAD);
	hraw(res, "<h1>");
	h(res, T(r, "Letterhead and signatories"));
	hraw(res, "</h1><p class=\"muted\">");
	h(res, T(r, "What every document sigap issues prints at its top and under its signature. "
		    "An empty field falls back to sigap.conf ([dokumen], [penandatangan])."));
	hraw(res, "</p>");
	if (notice)
		html_notice(res, "ok", notice);
	if (error || s == NULL)
		html_notice(res, "error", error ? error : web_err(r, &e));
	hraw(res, "<form method=\"post\" action=\"/admin/dokumen\">");
	html_csrf(r, res);
	hraw(res, "<fieldset><legend>");
	h(res, T(r, "Letterhead (kop surat)"));
	hraw(res, "</legend>");
	field(r, res, s, "instansi", T(r, "Government"), "PEMERINTAH KABUPATEN …");
	field(r, res, s, "dinas", T(r, "Agency"), "DINAS KOMUNIKASI DAN INFORMATIKA");
	field(r, res, s, "alamat", T(r, "Address"), NULL);
	field(r, res, s, "kontak", T(r, "Contact (telephone, e-mail, website)"), NULL);
	field(r, res, s, "kota", T(r, "Place of signing"), NULL);
	hraw(res, "</fieldset><fieldset><legend>");
	h(res, T(r, "Numbering (Tata Naskah Dinas)"));
	hraw(res, "</legend>");
	field(r, res, s, "nomor", T(r, "Number pattern"),
	      T(r, "{seq} or {seq:3} (zero-padded), {kode} (the kind of document), {unit}, {tahun}, "
		   "{bulan}, {bulan_romawi}; each kind of document counts from 1 every year"));
	field(r, res, s, "unit", T(r, "Unit code"), NULL);
	hraw(res, "</fieldset>");
	size_t i;
	json_t *role;
	json_array_foreach(roles, i, role)
	{
		const char *id = json_string_value(role);
		char k[3][96];
		snprintf(k[0], sizeof k[0], "ttd.%s.jabatan", id);
		snprintf(k[1], sizeof k[1], "ttd.%s.nama", id);
		snprintf(k[2], sizeof k[2], "ttd.%s.nip", id);
		hraw(res, "<fieldset><legend>");
		h(res, T(r, "Signatory"));
		hraw(res, ": ");
		h(res, id);
		hraw(res, "</legend>");
		field(r, res, s, k[0], T(r, "Position (jabatan)"), NULL);
		field(r, res, s, k[1], T(r, "Name"), NULL);
		field(r, res, s, k[2], "NIP", T(r, "18 digits"));
		hraw(res, "</fieldset>");
	}
	hraw(res, "<p><button type=\"submit\">");
	h(res, T(r, "Save"));
	hraw(res, "</button></p></form>");
	json_decref(roles);
	json_decref(s);
	html_end(r, res);
}

void page_letterhead(web_req *r, web_res *res)
{
	letterhead_page(r, res, NULL, NULL);
}

void page_letterhead_save(web_req *r, web_res *res)
{
	json_t *v = json_object();
	for (size_t i = 0; i < r->form.n; i++) {
		const char *k = r->form.v[i].name;
		if (strcmp(k, "csrf") == 0)
			continue;
		json_object_set_new(v, k, json_string(r->form.v[i].value));
	}
	sg_err e = {0};
	int rc = doc_settings_save(r->app, r->who.user, v, &e);
	json_decref(v);
	if (rc != 0) {
		res->status = web_status_of(&e);
		letterhead_page(r, res, NULL, web_err(r, &e));
		return;
	}
	letterhead_page(r, res, T(r, "Saved. Documents issued from now on carry it."), NULL);
}

/* GET /kasus/T/ekspor?format=stix|misp: the escalation export as a file. */
void page_case_export(web_req *r, web_res *res)
{
	const char *f = web_query(r, "format");
	sg_err e = {0};
	bool stix = f && strcmp(f, "stix") == 0;
	json_t *j = case_export(r->app, r->who.user, r->path_arg, f, &e);
	if (j == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Documents"), web_err(r, &e));
		return;
	}
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(j);
	char name[200], safe[200], cd[300];
	snprintf(name, sizeof name, "%s-%s.json", r->path_arg, stix ? "stix" : "misp");
	download_safe_name(name, "ekspor.json", safe, sizeof safe);
	snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", safe);
	res->content_type = "application/json";
	res->no_store = true;
	web_res_header(res, "Content-Disposition", cd);
	buf_puts(&res->body, text ? text : "{}");
	free(text);
}

/* ---- the monthly report --------------------------------------------- */

/* GET /laporan/bulanan?bulan=YYYY-MM[&format=pdf]: the month's report on
 * screen with the letterhead, or as PDF (a draft); without bulan, the
 * month before this one. */
void page_report_monthly(web_req *r, web_res *res)
{
	const char *m = web_query(r, "bulan");
	int year, month;
	char last[32];
	if (m == NULL || *m == '\0') {
		civil c;
		civil_from_epoch(app_now(r->app),
				 r->app->cfg.cal.zone, &c);
		year = c.month == 1 ? c.year - 1 : c.year;
		month = c.month == 1 ? 12 : c.month - 1;
		snprintf(last, sizeof last, "%04d-%02d", year, month);
		m = last;
	} else if (report_monthly_month(m, &year, &month) != 0) {
		html_message_page(r, res, 400, T(r, "Monthly report"),
				  T(r, "Give the month as YYYY-MM (bulan=2026-11)."));
		return;
	}
	bool pdf;
	if (want_pdf(r, res, T(r, "Monthly report"), &pdf) != 0)
		return;
	sg_err e = {0};
	buf out = BUF_INIT;
	if (report_monthly_render(r->app, r->who.user, year, month, pdf, &out, &e) != 0) {
		buf_free(&out);
		html_message_page(r, res, web_status_of(&e), T(r, "Monthly report"), web_err(r, &e));
		return;
	}
	res->no_store = true;
	if (pdf) {
		char name[64];
		snprintf(name, sizeof name, "laporan-bulanan-%04d-%02d.pdf", year, month);
		send_pdf(res, name, &out);
		return;
	}
	html_begin(r, res, T(r, "Monthly report"), NAV_MONTHLY);
	hraw(res, "<form method=\"get\" action=\"/laporan/bulanan\" class=\"filters\"><label>");
	h(res, T(r, "Month"));
	hraw(res, " <input type=\"month\" name=\"bulan\" value=\"");
	h(res, m);
	hraw(res, "\"></label> <button type=\"submit\">");
	h(res, T(r, "Show"));
	hraw(res, "</button> <a href=\"/laporan/bulanan?format=pdf&amp;bulan=");
	h(res, m);
	hraw(res, "\">PDF</a></form><div class=\"isi-dokumen\">");
	kop_html(r, res);
	/* the template's XHTML: allowed elements only, values escaped */
	hraw(res, buf_str(&out));
	hraw(res, "</div>");
	buf_free(&out);
	html_end(r, res);
}
