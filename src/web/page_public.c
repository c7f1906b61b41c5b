/*
 * page_public.c: what a visitor without an account sees: the home page,
 * signing in and out, the public incident report form (/lapor) and the
 * report's public status (/lapor/status).
 *
 * The report form is drawn from the fields the insiden SOP gives its
 * cases, so a Diskominfo that edits those fields edits the form. A report
 * opens a case whose first step ("the report is made", by the Pelapor) is
 * the form itself; the reporter leaves with the ticket and a tracking
 * code, and nothing an officer writes is ever shown back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/utf8.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

static const char REPORT_PROCEDURE[] = "insiden";

void page_home(web_req *r, web_res *res)
{
	if (r->signed_in) {
		web_redirect(res, "/dasbor");
		return;
	}
	html_begin(r, res, T(r, "Incident reporting"), NAV_NONE);
	hraw(res, "<section class=\"hero\"><h1>");
	h(res, T(r, "Information security incident service"));
	hraw(res, "</h1><p>");
	h(res, T(r, "Report a suspected information security incident affecting a regional "
	            "government electronic system. Your report is handled by the CSIRT according "
	            "to the incident handling SOP."));
	hraw(res, "</p><p class=\"actions\"><a class=\"button\" href=\"/lapor\">");
	h(res, T(r, "Report an incident"));
	hraw(res, "</a> <a class=\"button secondary\" href=\"/lapor/status\">");
	h(res, T(r, "Check a report's status"));
	hraw(res, "</a> <a class=\"button secondary\" href=\"/login\">");
	h(res, T(r, "Sign in (officers)"));
	hraw(res, "</a></p></section>\n");
	html_end(r, res);
}

static void login_form(web_req *r, web_res *res, const char *error, const char *name)
{
	html_begin(r, res, T(r, "Sign in"), NAV_NONE);
	hraw(res, "<section class=\"narrow\"><h1>");
	h(res, T(r, "Sign in"));
	hraw(res, "</h1>\n");
	if (error)
		html_notice(res, "error", error);
	hraw(res, "<form method=\"post\" action=\"/login\">");
	html_csrf(r, res);
	const char *next = web_query(r, "next") ? web_query(r, "next") : web_form(r, "next");
	if (next && webutil_local_path(next)) {
		hraw(res, "<input type=\"hidden\" name=\"next\" value=\"");
		h(res, next);
		hraw(res, "\">");
	}
	hraw(res, "<div class=\"field\"><label for=\"name\">");
	h(res, T(r, "User name"));
	hraw(res, "</label><input id=\"name\" name=\"name\" autocomplete=\"username\" required "
	          "maxlength=\"64\" value=\"");
	h(res, name);
	hraw(res, "\"></div><div class=\"field\"><label for=\"password\">");
	h(res, T(r, "Password"));
	hraw(res, "</label><input id=\"password\" name=\"password\" type=\"password\" "
	          "autocomplete=\"current-password\" required maxlength=\"1024\"></div>"
	          "<button type=\"submit\">");
	h(res, T(r, "Sign in"));
	hraw(res, "</button></form></section>\n");
	html_end(r, res);
}

void page_login_form(web_req *r, web_res *res)
{
	if (r->signed_in) {
		web_redirect(res, "/dasbor");
		return;
	}
	login_form(r, res, NULL, NULL);
}

/* A refusal for now (429): why, and how long to wait in the page's
 * words ("… wait 4 seconds", "… wait 15 minutes"); Retry-After says the
 * seconds to programs. Fills msg. */
static void too_many(web_req *r, web_res *res, const char *why, int64_t wait, char *msg, size_t n)
{
	char secs[24];
	snprintf(secs, sizeof secs, "%lld", (long long)wait);
	res->status = 429;
	web_res_header(res, "Retry-After", secs);
	sg_err m = {0};
	if (wait >= 120)
		sg_err_set(&m, SG_ESTATE, "Please wait %lld minutes, then try again.",
		           (long long)((wait + 59) / 60));
	else if (wait > 1)
		sg_err_set(&m, SG_ESTATE, "Please wait %lld seconds, then try again.",
		           (long long)wait);
	else
		sg_err_set(&m, SG_ESTATE, "%s", T(r, "Please wait a second, then try again."));
	snprintf(msg, n, "%s %s", why, web_err(r, &m));
}

void page_login(web_req *r, web_res *res)
{
	const char *name = web_form(r, "name"), *password = web_form(r, "password");
	if (name == NULL || password == NULL || !*name || !*password) {
		res->status = 400;
		login_form(r, res, T(r, "Enter your user name and password."), name);
		return;
	}
	char sid[65];
	int64_t wait = 0;
	sg_err e = {0};
	if (session_login(r->app, name, password, r->client, sid, &wait, &e) != 0) {
		/* SG_ESTATE: a back-off after failed logins holds for this try. */
		if (e.code == SG_ESTATE && wait > 0) {
			char msg[600];
			too_many(r, res, T(r, "Too many failed sign-ins."), wait, msg, sizeof msg);
			login_form(r, res, msg, name);
			return;
		}
		res->status = e.code == SG_EPERM ? 401 : web_status_of(&e); /* a busy store: 503 */
		login_form(r, res,
		           e.code == SG_EPERM ? T(r, "Wrong user name or password.")
		                              : web_err(r, &e),
		           name);
		return;
	}
	web_res_cookie(res, r, "sigap_sid", sid, (long)r->app->cfg.session_max);
	const char *next = web_form(r, "next");
	web_redirect(res, next && webutil_local_path(next) ? next : "/dasbor");
}

void page_logout(web_req *r, web_res *res)
{
	session_logout(r->app, r->sid);
	web_res_cookie(res, r, "sigap_sid", "", 0);
	web_redirect(res, "/");
}

/* ---- the public report ---- */

static const sop_procedure *report_procedure(app *a)
{
	const sop_procedure *p;
	return sops_find_procedure(&a->sops, REPORT_PROCEDURE, &p) ? p : NULL;
}

static void report_form(web_req *r, web_res *res, const char *error)
{
	const sop_procedure *p = report_procedure(r->app);
	html_begin(r, res, T(r, "Report an incident"), NAV_REPORT);
	hraw(res, "<section class=\"narrow\"><h1>");
	h(res, T(r, "Report an information security incident"));
	hraw(res, "</h1><p>");
	h(res, T(r, "Fill in what you know. Fields marked * are required. After sending you "
	            "receive a ticket number and a tracking code to follow your report."));
	hraw(res, "</p>\n");
	if (error)
		html_notice(res, "error", error);
	hraw(res, "<form method=\"post\" action=\"/lapor\" enctype=\"multipart/form-data\">");
	html_csrf(r, res);
	for (size_t i = 0; p && i < p->n_fields; i++) {
		const sop_field *f = &p->fields[i];
		if (f->type == FIELD_REF)
			continue; /* the team's register: a citizen does not know it */
		if (f->type == FIELD_FILE) {
			hraw(res, "<div class=\"field\"><label for=\"f-");
			h(res, f->name);
			hraw(res, "\">");
			h(res, f->label);
			hraw(res, "</label><input type=\"file\" multiple");
			html_id_name(res, f->name);
			hraw(res, "><small>");
			char limit[64];
			snprintf(limit, sizeof limit, "%ld MB",
			         r->app->cfg.evidence_max / (1024 * 1024));
			h(res, T(r, "Screenshots, logs or other files; at most"));
			hraw(res, " ");
			h(res, limit);
			hraw(res, "</small></div>\n");
			continue;
		}
		html_sop_field(r, res, f, web_form(r, f->name));
	}
	hraw(res, "<button type=\"submit\">");
	h(res, T(r, "Send report"));
	hraw(res, "</button></form></section>\n");
	html_end(r, res);
}

void page_report_form(web_req *r, web_res *res)
{
	report_form(r, res, NULL);
}

/* The title of a public report: what it concerns, cut on a character
 * boundary. Case data, so always in Indonesian. */
static void report_title(const char *system, char *out, size_t n)
{
	int w = snprintf(out, n, "Laporan publik: %s", system ? system : "");
	if (w >= 0 && (size_t)w >= n) {
		size_t k = n - 1;
		while (k > 0 && ((unsigned char)out[k] & 0xC0) == 0x80)
			k--;
		out[k] = '\0';
	}
	for (char *c = out; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
}

bool gate_report_page(web_req *r, web_res *res)
{
	int64_t retry;
	sg_err e = {0};
	int taken = app_rate_take(r->app, "report", r->client, r->app->cfg.report_limit, time(NULL),
	                          &retry, &e);
	if (taken < 0) {
		res->status = web_status_of(&e);
		report_form(r, res, web_err(r, &e));
		return false;
	}
	if (taken)
		return true;
	char ra[24];
	snprintf(ra, sizeof ra, "%lld", (long long)retry);
	res->status = 429;
	web_res_header(res, "Retry-After", ra);
	report_form(r, res,
	            T(r, "Too many reports from your address in the last hour. Please try "
	                 "again later or contact the CSIRT by telephone."));
	return false;
}

void page_report(web_req *r, web_res *res)
{
	const sop_procedure *p = report_procedure(r->app);
	if (p == NULL) {
		html_message_page(r, res, 503, T(r, "Reporting unavailable"),
		                  T(r, "The incident SOP is not installed on this server."));
		return;
	}
	sop_value values[32];
	case_upload uploads[16];
	size_t nv = 0, nu = 0;
	const char *missing = NULL;
	for (size_t i = 0; i < p->n_fields && nv < 32; i++) {
		const sop_field *f = &p->fields[i];
		if (f->type == FIELD_REF)
			continue; /* not on the public form */
		if (f->type == FIELD_FILE) {
			/* The first file is the field's value; the rest are attached. */
			for (size_t k = 0; k < r->files.n && nu < 16; k++)
				if (strcmp(r->files.v[k].field, f->name) == 0)
					uploads[nu++] = (case_upload){f->name, r->files.v[k].filename,
					                              &r->files.v[k].file};
			if (nu)
				values[nv++] = (sop_value){f->name, uploads[0].filename};
			continue;
		}
		const char *v = web_form(r, f->name);
		if (f->required && (v == NULL || *v == '\0') && missing == NULL)
			missing = f->label;
		if (v && *v)
			values[nv++] = (sop_value){f->name, v};
	}
	if (missing) {
		res->status = 400;
		char msg[400];
		snprintf(msg, sizeof msg, "%s: %s", T(r, "Please fill in"), missing);
		report_form(r, res, msg);
		return;
	}
	char title[200], ticket[32], code[21];
	report_title(web_form(r, "sistem_terdampak"), title, sizeof title);
	case_new_req req = {.procedure_id = REPORT_PROCEDURE,
	                    .title = title,
	                    .fields = values,
	                    .n_fields = nv,
	                    .actor = "publik",
	                    .origin = r->client,
	                    .uploads = uploads,
	                    .n_uploads = nu ? 1 : 0};
	sg_err e = {0};
	if (case_report_public(r->app, &req, ticket, code, &e) != 0) {
		res->status = web_status_of(&e);
		char msg[1200];
		snprintf(msg, sizeof msg, "%s %s", T(r, "The report could not be saved:"),
		         web_err(r, &e));
		report_form(r, res, msg);
		return;
	}
	for (size_t k = 1; k < nu; k++) {
		char sha[65];
		if (case_attach(r->app, ticket, "publik", &uploads[k], r->client, sha, &e) != 0)
			log_say(LOG_ERROR, "%s: evidence %s not attached: %s", ticket,
			        uploads[k].filename, e.msg);
	}
	char shown[24];
	snprintf(shown, sizeof shown, "%.4s-%.4s-%.4s-%.4s", code, code + 4, code + 8, code + 12);
	res->status = 201;
	res->no_store = true;
	html_begin(r, res, T(r, "Report received"), NAV_REPORT);
	hraw(res, "<section class=\"narrow\"><h1>");
	h(res, T(r, "Your report has been received"));
	hraw(res, "</h1><dl class=\"receipt\"><dt>");
	h(res, T(r, "Ticket number"));
	hraw(res, "</dt><dd id=\"ticket\">");
	h(res, ticket);
	hraw(res, "</dd><dt>");
	h(res, T(r, "Tracking code"));
	hraw(res, "</dt><dd id=\"tracking\">");
	h(res, shown);
	hraw(res, "</dd></dl><p>");
	h(res, T(r, "Keep both: the tracking code is shown only once and lets you see the status "
	            "of your report."));
	hraw(res, "</p><p><a class=\"button\" href=\"/lapor/status?tiket=");
	h(res, ticket);
	hraw(res, "\">");
	h(res, T(r, "Check the status"));
	hraw(res, "</a></p></section>\n");
	html_end(r, res);
}

static void status_form(web_req *r, web_res *res, const char *error, const char *ticket)
{
	html_begin(r, res, T(r, "Report status"), NAV_NONE);
	hraw(res, "<section class=\"narrow\"><h1>");
	h(res, T(r, "Status of your report"));
	hraw(res, "</h1>\n");
	if (error)
		html_notice(res, "error", error);
	hraw(res, "<form method=\"post\" action=\"/lapor/status\">");
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"tiket\">");
	h(res, T(r, "Ticket number"));
	hraw(res, "</label><input id=\"tiket\" name=\"tiket\" required maxlength=\"32\" "
	          "placeholder=\"INS-2026-0001\" value=\"");
	h(res, ticket);
	hraw(res, "\"></div><div class=\"field\"><label for=\"kode\">");
	h(res, T(r, "Tracking code"));
	hraw(res, "</label><input id=\"kode\" name=\"kode\" required maxlength=\"40\" "
	          "autocomplete=\"off\"></div><button type=\"submit\">");
	h(res, T(r, "Show status"));
	hraw(res, "</button></form></section>\n");
	html_end(r, res);
}

void page_status_form(web_req *r, web_res *res)
{
	status_form(r, res, NULL, web_query(r, "tiket"));
}

/* What the team wrote for the reporter (fields the SOP marks publik) and
 * the SOP steps done so far, by their SOP names and dates. */
static void status_public(const web_req *r, web_res *res, json_t *s)
{
	size_t i;
	json_t *v;
	json_t *pub = json_object_get(s, "public");
	if (json_array_size(pub)) {
		hraw(res, "<section class=\"panel\" id=\"for-reporter\"><h2>");
		h(res, T(r, "From the team handling your report"));
		hraw(res, "</h2>");
		json_array_foreach (pub, i, v) {
			hraw(res, "<h3>");
			h(res, json_string_value(json_object_get(v, "label")));
			hraw(res, "</h3><p class=\"meta\">");
			html_time(r, res, json_integer_value(json_object_get(v, "at")));
			hraw(res, "</p><p class=\"body\">");
			h(res, json_string_value(json_object_get(v, "value")));
			hraw(res, "</p>");
		}
		hraw(res, "</section>");
	}
	json_t *steps = json_object_get(s, "steps");
	if (json_array_size(steps) == 0)
		return;
	hraw(res, "<section class=\"panel\" id=\"progress\"><h2>");
	h(res, T(r, "Progress"));
	hraw(res, "</h2><ol class=\"timeline\">");
	json_array_foreach (steps, i, v) {
		hprintf(res, "<li value=\"%d\"><p>", (int)json_integer_value(json_object_get(v, "no")));
		h(res, json_string_value(json_object_get(v, "uraian")));
		hraw(res, "</p><p class=\"meta\">");
		html_time(r, res, json_integer_value(json_object_get(v, "finished_at")));
		hraw(res, "</p></li>");
	}
	hraw(res, "</ol></section>");
}

void page_status(web_req *r, web_res *res)
{
	const char *ticket = web_form(r, "tiket"), *code = web_form(r, "kode");
	res->no_store = true;
	if (ticket == NULL || code == NULL || !*ticket || !*code) {
		res->status = 400;
		status_form(r, res, T(r, "Enter the ticket number and the tracking code."), ticket);
		return;
	}
	int64_t retry;
	sg_err le = {0};
	int taken = app_rate_take(r->app, "status", r->client, r->app->cfg.status_limit, time(NULL),
	                          &retry, &le);
	if (taken < 0) {
		res->status = web_status_of(&le);
		status_form(r, res, web_err(r, &le), ticket);
		return;
	}
	if (!taken) {
		char msg[600];
		too_many(r, res, T(r, "Too many status checks from your address in the last hour."),
		         retry, msg, sizeof msg);
		status_form(r, res, msg, ticket);
		return;
	}
	sg_err e = {0};
	json_t *s = case_public_status(r->app, ticket, code, &e);
	if (s == NULL) {
		res->status = e.code == SG_ENOTFOUND ? 404 : 500;
		status_form(r, res, T(r, "No report matches this ticket number and tracking code."),
		            ticket);
		return;
	}
	bool open = strcmp(json_string_value(json_object_get(s, "status")), "open") == 0;
	html_begin(r, res, T(r, "Report status"), NAV_NONE);
	hraw(res, "<section class=\"narrow\"><h1>");
	h(res, T(r, "Status of your report"));
	hraw(res, "</h1><dl class=\"receipt\"><dt>");
	h(res, T(r, "Ticket number"));
	hraw(res, "</dt><dd>");
	h(res, ticket);
	hraw(res, "</dd><dt>");
	h(res, T(r, "Received"));
	hraw(res, "</dt><dd>");
	html_time(r, res, json_integer_value(json_object_get(s, "created_at")));
	hraw(res, "</dd><dt>");
	h(res, T(r, "Status"));
	hprintf(res, "</dt><dd id=\"status\" class=\"status-%s\">", open ? "open" : "closed");
	h(res, open ? T(r, "Being handled") : T(r, "Finished"));
	hraw(res, "</dd>");
	json_t *step = json_object_get(s, "step");
	if (step) {
		hraw(res, "<dt>");
		h(res, T(r, "Current stage"));
		hprintf(res, "</dt><dd id=\"stage\">%d/%d: ",
		        (int)json_integer_value(json_object_get(step, "no")),
		        (int)json_integer_value(json_object_get(step, "of")));
		h(res, json_string_value(json_object_get(step, "uraian")));
		hraw(res, "</dd>");
	}
	json_t *closed = json_object_get(s, "closed_at");
	if (closed) {
		hraw(res, "<dt>");
		h(res, T(r, "Finished on"));
		hraw(res, "</dt><dd>");
		html_time(r, res, json_integer_value(closed));
		hraw(res, "</dd>");
	} else if (json_object_get(s, "updated_at")) {
		hraw(res, "<dt>");
		h(res, T(r, "Last progress"));
		hraw(res, "</dt><dd>");
		html_time(r, res, json_integer_value(json_object_get(s, "updated_at")));
		hraw(res, "</dd>");
	}
	hraw(res, "</dl>");
	status_public(r, res, s);
	hraw(res, "</section>\n");
	html_end(r, res);
	json_decref(s);
}

static void password_form(web_req *r, web_res *res, const char *error)
{
	html_begin(r, res, T(r, "Change password"), NAV_NONE);
	hraw(res, "<section class=\"narrow\"><h1>");
	h(res, T(r, "Change password"));
	hraw(res, "</h1>");
	if (r->who.must_change_password)
		html_notice(
		    res, "info",
		    T(r,
		      "Your password was given to you once; choose your own before you continue."));
	if (error)
		html_notice(res, "error", error);
	hraw(res, "<form method=\"post\" action=\"/akun/sandi\">");
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"old\">");
	h(res, T(r, "Current password"));
	hraw(res, "</label><input id=\"old\" name=\"lama\" type=\"password\" "
	          "autocomplete=\"current-password\" "
	          "required maxlength=\"1024\"></div><div class=\"field\"><label for=\"new\">");
	h(res, T(r, "New password (at least 10 characters)"));
	hraw(res, "</label><input id=\"new\" name=\"baru\" type=\"password\" "
	          "autocomplete=\"new-password\" "
	          "required minlength=\"10\" maxlength=\"1024\"></div><div class=\"field\"><label "
	          "for=\"again\">");
	h(res, T(r, "New password again"));
	hraw(res, "</label><input id=\"again\" name=\"ulang\" type=\"password\" "
	          "autocomplete=\"new-password\" "
	          "required minlength=\"10\" maxlength=\"1024\"></div><button type=\"submit\">");
	h(res, T(r, "Change password"));
	hraw(res, "</button></form></section>\n");
	html_end(r, res);
}

void page_password_form(web_req *r, web_res *res)
{
	password_form(r, res, NULL);
}

void page_password(web_req *r, web_res *res)
{
	const char *old = web_form(r, "lama"), *nw = web_form(r, "baru"),
	           *again = web_form(r, "ulang");
	if (!old || !nw || !again || strcmp(nw, again) != 0) {
		res->status = 400;
		password_form(r, res, T(r, "The two new passwords differ."));
		return;
	}
	sg_err e = {0};
	password_change done;
	if (user_change_password(r->app, r->who.user, old, nw, r->sid, r->client, &done, &e) !=
	    0) {
		res->status = e.code == SG_ESTATE ? 429 : web_status_of(&e);
		password_form(r, res,
		              e.code == SG_EPERM    ? T(r, "The current password is wrong.")
		              : e.code == SG_ESTATE ? web_err(r, &e)
		                                    : T(r, "A password must be 10 to 1024 characters."));
		return;
	}
	/* Said, not done silently: the sessions ended elsewhere, and the API
	 * tokens that still work (revoked at /token, one by one). */
	r->who.must_change_password = false;
	res->no_store = true;
	html_begin(r, res, T(r, "Change password"), NAV_NONE);
	hraw(res, "<section class=\"narrow\"><h1>");
	h(res, T(r, "Password changed"));
	hraw(res, "</h1><p class=\"notice ok\" role=\"status\" id=\"password-changed\">");
	sg_err m = {0};
	sg_err_set(&m, SG_OK,
	           "Your password has been changed. Other sessions ended: %lld. This session "
	           "stays signed in.",
	           (long long)done.sessions_ended);
	h(res, web_err(r, &m));
	hraw(res, "</p><p id=\"tokens-left\">");
	sg_err_set(&m, SG_OK,
	           "API tokens that stay valid: %lld. A password change does not revoke them; "
	           "revoke those you no longer trust on the API tokens page.",
	           (long long)done.tokens_active);
	h(res, web_err(r, &m));
	hraw(res, "</p><p class=\"actions\"><a class=\"button\" href=\"/dasbor\">");
	h(res, T(r, "Continue to the dashboard"));
	hraw(res, "</a> <a class=\"button secondary\" href=\"/token\">");
	h(res, T(r, "API tokens"));
	hraw(res, "</a></p></section>\n");
	html_end(r, res);
}
