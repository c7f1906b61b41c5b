/*
 * page_exceptions.c: exceptions to the ISMS on the web
 * (app/exceptions.c, exception_read.c).
 *
 *   GET  /pengecualian              the exceptions the user may see, by
 *                                   view: in force, ending within 30
 *                                   days, expired, requested, all
 *   GET  /pengecualian/{id}         one exception: what it excepts, its
 *                                   risks, its period, its cases, the
 *                                   alerts on its assets since approval,
 *                                   history
 *   GET  /pengecualian/{id}/ubah    the change form (a change voids the
 *                                   approval and opens a new case)
 *   POST /pengecualian/{id}/ubah    makes the change
 *   POST /pengecualian/{id}/cabut   revokes it
 *
 * An exception is requested, weighed and decided on its case, as the SOP
 * runs (/kasus/{ticket}). Forms carry the CSRF token (request.c checks
 * it); the app decides who sees and changes what.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static void not_found(web_req *r, web_res *res)
{
	html_message_page(r, res, 404, T(r, "Not found"), T(r, "There is no such exception."));
}

static bool path_id(web_req *r, int64_t *id)
{
	return webutil_int(r->path_arg ? r->path_arg : "", 1, INT64_MAX, id);
}

/* A state in words. */
static const char *state_name(web_req *r, const char *s)
{
	return strcmp(s, "diajukan") == 0      ? T(r, "Requested")
	       : strcmp(s, "disetujui") == 0   ? T(r, "Approved, not yet begun")
	       : strcmp(s, "ditolak") == 0     ? T(r, "Refused")
	       : strcmp(s, "berlaku") == 0     ? T(r, "In force")
	       : strcmp(s, "kedaluwarsa") == 0 ? T(r, "Expired")
	       : strcmp(s, "dicabut") == 0     ? T(r, "Revoked")
	                                       : s;
}

static const char *view_name(web_req *r, const char *v)
{
	return strcmp(v, "berlaku") == 0       ? T(r, "In force")
	       : strcmp(v, "segera") == 0      ? T(r, "Ending within 30 days")
	       : strcmp(v, "kedaluwarsa") == 0 ? T(r, "Expired")
	       : strcmp(v, "diajukan") == 0    ? T(r, "Requested")
	                                       : T(r, "All");
}

/* What an exception excepts, in one line for the list. */
static void scope_line(web_req *r, web_res *res, json_t *x)
{
	const char *clause = str(x, "policy_clause");
	long long nf = json_integer_value(json_object_get(x, "findings_count"));
	if (*clause)
		h(res, clause);
	if (nf) {
		hprintf(res, "%s%lld ", *clause ? "; " : "", nf);
		h(res, T(r, "findings"));
	}
	if (!*clause && !nf)
		h(res, str(json_object_get(x, "case"), "title"));
}

/* ---- /pengecualian ---- */

void page_exceptions(web_req *r, web_res *res)
{
	const char *view = web_query(r, "tampil");
	sg_err e = {0};
	json_t *l = exception_list(r->app, r->who.user, view, &e);
	if (l == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Exceptions"), web_err(r, &e));
		return;
	}
	view = str(l, "view");
	html_begin(r, res, T(r, "Exceptions to the ISMS"), NAV_EXCEPTIONS);
	hraw(res, "<h1>");
	h(res, T(r, "Exceptions to the ISMS"));
	hraw(res, "</h1><p>");
	h(res, T(r, "An exception is requested, weighed against the risk register and decided on "
	            "its case of SOP Pengecualian Penerapan SMKI; here are the exceptions with their "
	            "period. Open a new request as a case of that SOP."));
	hraw(res, "</p><p><a class=\"button\" href=\"/kasus/baru?prosedur=pengecualian\">");
	h(res, T(r, "Request an exception"));
	hraw(res, "</a></p><nav class=\"tabs\" aria-label=\"");
	h(res, T(r, "Views"));
	hraw(res, "\">");
	json_t *counts = json_object_get(l, "counts");
	for (size_t k = 0; exception_views[k]; k++) {
		const char *v = exception_views[k];
		hprintf(res, "<a href=\"/pengecualian?tampil=%s\"%s>", v,
		        strcmp(v, view) == 0 ? " aria-current=\"page\"" : "");
		h(res, view_name(r, v));
		hprintf(res, " (%lld)</a> ", (long long)json_integer_value(json_object_get(counts, v)));
	}
	hraw(res, "</nav>");
	json_t *rows = json_object_get(l, "exceptions");
	size_t i;
	json_t *x;
	if (json_array_size(rows) == 0) {
		hraw(res, "<p class=\"muted\">");
		h(res, T(r, "No exception in this view."));
		hraw(res, "</p>");
	} else {
		hraw(res, "<div class=\"scroll\">");
		html_thead(res, "list", T(r, "No."), T(r, "Case"), T(r, "What is excepted"), "OPD",
		           T(r, "Status"), T(r, "In force from"), T(r, "Until"), T(r, "Days left"),
		           NULL);
		json_array_foreach(rows, i, x) {
			long long id = (long long)json_integer_value(json_object_get(x, "id"));
			json_t *c = json_object_get(x, "case");
			hprintf(res, "<tr><td><a href=\"/pengecualian/%lld\">%lld</a></td><td>", id, id);
			h(res, str(c, "ticket"));
			hraw(res, "</td><td>");
			scope_line(r, res, x);
			hraw(res, "</td><td>");
			h(res, str(json_object_get(x, "opd"), "abbrev"));
			hraw(res, "</td><td>");
			h(res, state_name(r, str(x, "state")));
			hraw(res, "</td><td>");
			html_day(r, res, str(x, "starts"));
			hraw(res, "</td><td>");
			html_day(r, res, str(x, "until"));
			json_t *left = json_object_get(x, "days_left");
			hprintf(res, "</td><td%s>",
			        left && json_integer_value(left) <= 7 ? " class=\"late\"" : "");
			if (left)
				hprintf(res, "%lld", (long long)json_integer_value(left));
			hraw(res, "</td></tr>");
		}
		hraw(res, "</tbody></table></div>");
	}
	html_end(r, res);
	json_decref(l);
}

/* ---- /pengecualian/{id} ---- */

static void dt(web_res *res, const char *term)
{
	hraw(res, "<dt>");
	h(res, term);
	hraw(res, "</dt><dd>");
}

static void scope_facts(web_req *r, web_res *res, json_t *o)
{
	size_t i;
	json_t *x;
	dt(res, T(r, "Controls"));
	json_array_foreach(json_object_get(o, "controls"), i, x) {
		hraw(res, i ? "<br><code>" : "<code>");
		h(res, str(x, "ref"));
		hraw(res, "</code> ");
		h(res, str(x, "title"));
	}
	if (json_array_size(json_object_get(o, "controls")) == 0)
		hraw(res, "—");
	hraw(res, "</dd>");
	html_fact(res, T(r, "Policy clause"), str(o, "policy_clause"));
	dt(res, T(r, "Assets"));
	json_array_foreach(json_object_get(o, "assets"), i, x) {
		hprintf(res, "%s<a href=\"/aset/%lld\">", i ? "<br>" : "",
		        (long long)json_integer_value(json_object_get(x, "id")));
		h(res, str(x, "name"));
		hraw(res, "</a> (");
		h(res, str(x, "opd"));
		hraw(res, ")");
	}
	if (json_array_size(json_object_get(o, "assets")) == 0)
		hraw(res, "—");
	hraw(res, "</dd>");
}

static void findings_table(web_req *r, web_res *res, json_t *fs)
{
	if (json_array_size(fs) == 0)
		return;
	hraw(res, "<section><h2>");
	h(res, T(r, "Vulnerability findings excepted"));
	hraw(res, "</h2><div class=\"scroll\">");
	html_thead(res, "list", T(r, "No."), T(r, "Finding"), T(r, "Severity"), T(r, "Status"),
	           T(r, "Status before the exception"), NULL);
	size_t i;
	json_t *x;
	json_array_foreach(fs, i, x) {
		long long id = (long long)json_integer_value(json_object_get(x, "id"));
		hprintf(res, "<tr><td>%lld</td><td><a href=\"/kerentanan/%lld\">", id, id);
		h(res, str(x, "title"));
		hraw(res, "</a></td><td>");
		h(res, str(x, "severity"));
		hraw(res, "</td><td>");
		h(res, str(x, "state"));
		hraw(res, "</td><td>");
		h(res, *str(x, "prior_state") ? str(x, "prior_state") : "—");
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table></div></section>");
}

static void risks_table(web_req *r, web_res *res, json_t *rs)
{
	hraw(res, "<section id=\"risks\"><h2>");
	h(res, T(r, "Daftar Risiko (from the risk register)"));
	hraw(res, "</h2>");
	if (json_array_size(rs) == 0) {
		hraw(res, "<p class=\"muted\">");
		h(res, T(r, "No risk linked yet: the risk analysis step links the register's risks."));
		hraw(res, "</p></section>");
		return;
	}
	hraw(res, "<div class=\"scroll\">");
	html_thead(res, "list", T(r, "No."), T(r, "Risk"), T(r, "Inherent"), T(r, "Residual"),
	           T(r, "Status"), NULL);
	size_t i;
	json_t *x;
	json_array_foreach(rs, i, x) {
		long long id = (long long)json_integer_value(json_object_get(x, "id"));
		hprintf(res, "<tr><td>%lld</td><td><a href=\"/risiko/%lld\">", id, id);
		h(res, str(x, "title"));
		hraw(res, "</a></td><td>");
		h(res, str(json_object_get(x, "inherent"), "name"));
		hraw(res, "</td><td>");
		json_t *rv = json_object_get(x, "residual");
		h(res, json_is_null(rv) ? "—" : str(rv, "name"));
		hraw(res, "</td><td>");
		h(res, strcmp(str(x, "status"), "aktif") == 0 ? T(r, "Open") : T(r, "Closed"));
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table></div></section>");
}

static void alerts_table(web_req *r, web_res *res, json_t *al)
{
	if (json_is_null(al) || al == NULL)
		return;
	hraw(res, "<section id=\"alerts\"><h2>");
	h(res, T(r, "Alerts on the excepted assets since approval"));
	hraw(res, "</h2><p class=\"muted\">");
	h(res, T(r, "What the watch of the excepted system (SOP step 5) looks at: the alerts "
	            "raised on its assets, and on the assets of its findings."));
	hprintf(res, " %s: %lld.</p>", T(r, "Total"),
	        (long long)json_integer_value(json_object_get(al, "total")));
	json_t *shown = json_object_get(al, "shown");
	if (json_array_size(shown) == 0) {
		hraw(res, "</section>");
		return;
	}
	hraw(res, "<div class=\"scroll\">");
	html_thead(res, "list", T(r, "Alert"), T(r, "Level"), T(r, "Asset"), T(r, "Last seen"),
	           T(r, "Count"), NULL);
	size_t i;
	json_t *x;
	json_array_foreach(shown, i, x) {
		hprintf(res, "<tr><td><a href=\"/peringatan/%lld\">",
		        (long long)json_integer_value(json_object_get(x, "id")));
		h(res, str(x, "title"));
		hraw(res, "</a></td><td>");
		h(res, str(x, "level"));
		hraw(res, "</td><td>");
		h(res, str(x, "asset"));
		hraw(res, "</td><td>");
		html_date(r, res, json_integer_value(json_object_get(x, "last_seen")));
		hprintf(res, "</td><td>%lld</td></tr>",
		        (long long)json_integer_value(json_object_get(x, "count")));
	}
	hraw(res, "</tbody></table></div></section>");
}

static void revoke_form(web_req *r, web_res *res, int64_t id)
{
	hprintf(res, "<section class=\"narrow\"><h2>%s</h2>", T(r, "Revoke the exception"));
	hprintf(res, "<form method=\"post\" action=\"/pengecualian/%lld/cabut\">", (long long)id);
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"x-why\">");
	h(res, T(r, "Reason"));
	hraw(res, "</label><textarea id=\"x-why\" name=\"alasan\" rows=\"2\" maxlength=\"8000\" "
	          "required></textarea></div><button type=\"submit\" class=\"danger\">");
	h(res, T(r, "Revoke"));
	hraw(res, "</button></form></section>");
}

static void exception_page(web_req *r, web_res *res, json_t *o, const char *notice)
{
	long long id = (long long)json_integer_value(json_object_get(o, "id"));
	char title[80];
	snprintf(title, sizeof title, "%s %lld", T(r, "Exception"), id);
	html_begin(r, res, title, NAV_EXCEPTIONS);
	hprintf(res, "<p><a href=\"/pengecualian\">%s</a></p><h1>", T(r, "Exceptions to the ISMS"));
	h(res, title);
	hraw(res, "</h1>");
	if (notice)
		html_notice(res, "ok", notice);
	const char *state = str(o, "state");
	json_t *c = json_object_get(o, "case");
	hraw(res, "<dl class=\"facts\">");
	html_fact(res, T(r, "Status"), state_name(r, state));
	dt(res, T(r, "Case"));
	hprintf(res, "<a href=\"/kasus/%s\">", str(c, "ticket"));
	h(res, str(c, "ticket"));
	hraw(res, "</a> ");
	h(res, str(c, "title"));
	hraw(res, "</dd>");
	json_t *opd = json_object_get(o, "opd");
	html_fact(res, "OPD", json_is_null(opd) ? "" : str(opd, "name"));
	scope_facts(r, res, o);
	html_fact(res, T(r, "Reason"), str(o, "reason"));
	html_fact(res, T(r, "Compensating controls"), str(o, "compensating"));
	html_fact(res, T(r, "Requested by"), str(o, "requested_by"));
	dt(res, T(r, "Requested until"));
	html_day(r, res, str(o, "requested_until"));
	hraw(res, "</dd>");
	if (*str(o, "starts")) {
		dt(res, T(r, "In force"));
		html_day(r, res, str(o, "starts"));
		hraw(res, " – ");
		html_day(r, res, str(o, "until"));
		json_t *left = json_object_get(o, "days_left");
		if (left)
			hprintf(res, " (%lld %s)", (long long)json_integer_value(left), T(r, "days left"));
		hraw(res, "</dd>");
	}
	if (*str(o, "decided_by")) {
		html_fact(res, T(r, "Decided by"), str(o, "decided_by"));
		html_fact(res, T(r, "Decision note"), str(o, "decision_note"));
	}
	if (*str(o, "end_reason"))
		html_fact(res, T(r, "Why it ended"), str(o, "end_reason"));
	json_t *rep = json_object_get(o, "replaces"), *by = json_object_get(o, "replaced_by");
	if (json_is_integer(rep)) {
		dt(res, T(r, "Replaces"));
		hprintf(res, "<a href=\"/pengecualian/%lld\">%s %lld</a></dd>",
		        (long long)json_integer_value(rep), T(r, "Exception"),
		        (long long)json_integer_value(rep));
	}
	if (json_is_integer(by)) {
		dt(res, T(r, "Replaced by"));
		hprintf(res, "<a href=\"/pengecualian/%lld\">%s %lld</a></dd>",
		        (long long)json_integer_value(by), T(r, "Exception"),
		        (long long)json_integer_value(by));
	}
	hraw(res, "</dl>");
	if (json_is_true(json_object_get(o, "may_change")))
		hprintf(res, "<p><a class=\"button\" href=\"/pengecualian/%lld/ubah\">%s</a></p>", id,
		        T(r, "Change scope or expiry"));
	risks_table(r, res, json_object_get(o, "risks"));
	findings_table(r, res, json_object_get(o, "findings"));
	alerts_table(r, res, json_object_get(o, "alerts"));
	if (json_is_true(json_object_get(o, "may_revoke")))
		revoke_form(r, res, id);
	hraw(res, "<section id=\"history\"><h2>");
	h(res, T(r, "History"));
	hraw(res, "</h2>");
	html_logbook_table(r, res, json_object_get(o, "history"));
	hraw(res, "</section>");
	html_end(r, res);
}

static json_t *load(web_req *r, web_res *res, int64_t *id)
{
	if (!path_id(r, id)) {
		not_found(r, res);
		return NULL;
	}
	sg_err e = {0};
	json_t *o = exception_get(r->app, r->who.user, *id, &e);
	if (o == NULL) {
		if (e.code == SG_ENOTFOUND)
			not_found(r, res);
		else
			html_message_page(r, res, web_status_of(&e), T(r, "Exception"), web_err(r, &e));
	}
	return o;
}

void page_exception(web_req *r, web_res *res)
{
	int64_t id;
	json_t *o = load(r, res, &id);
	if (o == NULL)
		return;
	exception_page(r, res, o, NULL);
	json_decref(o);
}

/* ---- the change ---- */

/* The form: the stored scope, or what was sent, error above it. */
static void change_page(web_req *r, web_res *res, json_t *o, const char *error)
{
	long long id = (long long)json_integer_value(json_object_get(o, "id"));
	html_begin(r, res, T(r, "Change an exception"), NAV_EXCEPTIONS);
	hraw(res, "<section class=\"narrow\"><h1>");
	h(res, T(r, "Change an exception"));
	hprintf(res, " %lld</h1>", id);
	if (error)
		html_notice(res, "error", error);
	hraw(res, "<p>");
	h(res, T(r, "A change of what is excepted or of the expiry voids the approval: the "
	            "exception is revoked now, and the change opens a new request (a new case of "
	            "the SOP, with the same risks) for the Kepala Dinas to decide again."));
	hprintf(res, "</p><form method=\"post\" action=\"/pengecualian/%lld/ubah\">", id);
	html_csrf(r, res);
	buf ctl = BUF_INIT, fnd = BUF_INIT;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(o, "controls"), i, x)
		buf_printf(&ctl, "%s%s", i ? ", " : "", str(x, "ref"));
	json_array_foreach(json_object_get(o, "findings"), i, x)
		buf_printf(&fnd, "%s%lld", i ? ", " : "",
		           (long long)json_integer_value(json_object_get(x, "id")));
	const char *fields[][4] = {
	    {"x-kontrol", "kontrol", T(r, "Controls (codes of the catalogue, separated by commas)"),
	     web_form(r, "kontrol") ? web_form(r, "kontrol") : buf_str(&ctl)},
	    {"x-klausul", "klausul", T(r, "Policy clause"),
	     web_form(r, "klausul") ? web_form(r, "klausul") : str(o, "policy_clause")},
	    {"x-temuan", "temuan", T(r, "Findings (numbers, separated by commas)"),
	     web_form(r, "temuan") ? web_form(r, "temuan") : buf_str(&fnd)},
	    {"x-sampai", "sampai", T(r, "In force until"),
	     web_form(r, "sampai") ? web_form(r, "sampai") : str(o, "until")},
	};
	for (size_t k = 0; k < 4; k++) {
		hprintf(res, "<div class=\"field\"><label for=\"%s\">", fields[k][0]);
		h(res, fields[k][2]);
		hprintf(res, "</label><input id=\"%s\" name=\"%s\" value=\"", fields[k][0],
		        fields[k][1]);
		h(res, fields[k][3]);
		hprintf(res, "\"%s></div>", k == 3 ? " type=\"date\" required" : " maxlength=\"2000\"");
	}
	buf_free(&ctl);
	buf_free(&fnd);
	hraw(res, "<div class=\"field\"><label for=\"x-why\">");
	h(res, T(r, "Reason for the change"));
	hraw(res, "</label><textarea id=\"x-why\" name=\"alasan\" rows=\"3\" maxlength=\"8000\" "
	          "required>");
	h(res, web_form(r, "alasan") ? web_form(r, "alasan") : "");
	hraw(res, "</textarea></div><button type=\"submit\">");
	h(res, T(r, "Request the change"));
	hraw(res, "</button></form></section>");
	html_end(r, res);
}

/* Whether the user may act (key: may_change or may_revoke) on o; if not,
 * 409 when only its state stands in the way (the user holds the role),
 * else 403 with why. */
static bool may(web_req *r, web_res *res, json_t *o, const char *key, const char *why)
{
	if (json_is_true(json_object_get(o, key)))
		return true;
	exception_scope sc;
	sg_err e = {0};
	bool role = exception_scope_of(r->app, r->who.user, &sc, &e) == 0 &&
	            (strcmp(key, "may_change") == 0 ? sc.change : sc.revoke);
	if (role) {
		char msg[300];
		snprintf(msg, sizeof msg, "%s %s.",
		         T(r, "Only an approved exception (approved, or in force) is changed or "
		              "revoked; this one is:"),
		         state_name(r, str(o, "state")));
		html_message_page(r, res, 409, T(r, "Exception"), msg);
	} else {
		html_message_page(r, res, 403, T(r, "Exception"), why);
	}
	return false;
}

void page_exception_change_form(web_req *r, web_res *res)
{
	int64_t id;
	json_t *o = load(r, res, &id);
	if (o == NULL)
		return;
	if (may(r, res, o, "may_change",
	        T(r, "an approved exception is changed by the Tim Teknis, the Kepala Bidang or the Kepala Dinas")))
		change_page(r, res, o, NULL);
	json_decref(o);
}

void page_exception_change(web_req *r, web_res *res)
{
	int64_t id;
	json_t *o = load(r, res, &id);
	if (o == NULL)
		return;
	if (!may(r, res, o, "may_change",
	         T(r, "an approved exception is changed by the Tim Teknis, the Kepala Bidang or the Kepala Dinas"))) {
		json_decref(o);
		return;
	}
	exception_change_in in = {web_form(r, "kontrol"), web_form(r, "temuan"),
	                          web_form(r, "klausul"), web_form(r, "sampai"),
	                          web_form(r, "alasan")};
	char ticket[32];
	int64_t new_id = 0;
	sg_err e = {0};
	if (exception_change(r->app, r->who.user, id, &in, ticket, &new_id, &e) == 0) {
		char loc[48];
		snprintf(loc, sizeof loc, "/pengecualian/%lld", (long long)new_id);
		web_redirect(res, loc);
	} else {
		res->status = web_status_of(&e);
		change_page(r, res, o, web_err(r, &e));
	}
	json_decref(o);
}

void page_exception_revoke(web_req *r, web_res *res)
{
	int64_t id;
	json_t *o = load(r, res, &id);
	if (o == NULL)
		return;
	if (!may(r, res, o, "may_revoke",
	         T(r, "an approved exception is revoked by the Kepala Bidang or the Kepala Dinas"))) {
		json_decref(o);
		return;
	}
	json_decref(o);
	sg_err e = {0};
	if (exception_revoke(r->app, r->who.user, id, web_form(r, "alasan"), &e) != 0) {
		html_message_page(r, res, web_status_of(&e), T(r, "Exception"), web_err(r, &e));
		return;
	}
	char loc[48];
	snprintf(loc, sizeof loc, "/pengecualian/%lld", (long long)id);
	web_redirect(res, loc);
}

/* ---- on its case's page ---- */

void page_case_exception_panel(web_req *r, web_res *res, json_t *c)
{
	if (strcmp(str(c, "sight"), "full") != 0)
		return;
	sg_err e = {0};
	int64_t id = exception_of_ticket(r->app, str(c, "ticket"), &e);
	json_t *o = id > 0 ? exception_get(r->app, r->who.user, id, &e) : NULL;
	if (o == NULL)
		return;
	hraw(res, "<section class=\"panel\" id=\"pengecualian\"><h2>");
	h(res, T(r, "Exception"));
	hprintf(res, " <a href=\"/pengecualian/%lld\">%lld</a></h2><dl class=\"facts\">",
	        (long long)id, (long long)id);
	html_fact(res, T(r, "Status"), state_name(r, str(o, "state")));
	if (*str(o, "starts")) {
		dt(res, T(r, "In force"));
		html_day(r, res, str(o, "starts"));
		hraw(res, " – ");
		html_day(r, res, str(o, "until"));
		hraw(res, "</dd>");
	}
	hprintf(res, "<dt>%s</dt><dd>%zu</dd></dl>", T(r, "Daftar Risiko (from the risk register)"),
	        json_array_size(json_object_get(o, "risks")));
	/* step 5's watch: the alerts on the excepted assets since approval */
	alerts_table(r, res, json_object_get(o, "alerts"));
	hraw(res, "</section>");
	json_decref(o);
}
