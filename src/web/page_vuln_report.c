/*
 * page_vuln_report.c: the printable vulnerability report of one OPD
 * (/kerentanan/laporan?opd=X; app/vuln_report.c gathers it): the
 * agency's kop as the SOP documents carry it, the OPD, the summary
 * counts, then each asset in service with its open findings by severity,
 * their due dates, overdue marks, KEV and EPSS, dated in the calendar's
 * zone (WIB by default) and ready for the browser's print to A4
 * (www/print.css, as the case report).
 *
 * CSIRT staff may print any OPD's; an agen_siber its own OPD's; any
 * other OPD (or a user who sees no findings) gets the 404 of an OPD that
 * does not exist. Without ?opd= the staff choose the OPD from a list and
 * an agen_siber goes to its own.
 */
#include <stdio.h>
#include <string.h>

#include "app/findings.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static const char *severity_label(const web_req *r, const char *s)
{
	return strcmp(s, "critical") == 0 ? T(r, "Critical")
	       : strcmp(s, "high") == 0   ? T(r, "High")
	       : strcmp(s, "medium") == 0 ? T(r, "Medium")
	       : strcmp(s, "low") == 0    ? T(r, "Low")
	                                  : T(r, "Info");
}

/* The agency of the kop: the one the SOP documents name, else the team. */
static const char *agency(const web_req *r)
{
	for (size_t i = 0; i < r->app->sops.n; i++) {
		const char *s = r->app->sops.v[i].sop->instansi;
		if (s && *s)
			return s;
	}
	return T(r, "Regional Government CSIRT");
}

static void summary(const web_req *r, web_res *res, json_t *s)
{
	hraw(res, "<h2>");
	h(res, T(r, "Summary"));
	hraw(res, "</h2>");
	html_thead(res, "summary", T(r, "Assets"), T(r, "Open findings"), T(r, "Critical"),
	           T(r, "High"), T(r, "Medium"), T(r, "Low"), T(r, "Info"), T(r, "Past due"), "KEV",
	           NULL);
	hraw(res, "<tr>");
	static const char *const keys[] = {"assets", "open", "critical", "high", "medium",
	                                   "low", "info", "overdue", "kev"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		hraw(res, "<td>");
		html_int(r, res, json_integer_value(json_object_get(s, keys[i])));
		hraw(res, "</td>");
	}
	hraw(res, "</tr></tbody></table>");
}

static void finding_row(const web_req *r, web_res *res, json_t *f)
{
	bool late = json_is_true(json_object_get(f, "overdue"));
	hprintf(res, "<tr%s><td>", late ? " class=\"late\"" : "");
	h(res, severity_label(r, str(f, "severity")));
	hraw(res, "</td><td>");
	h(res, str(f, "title"));
	json_t *cves = json_object_get(f, "cves");
	size_t i;
	json_t *c;
	if (json_array_size(cves)) {
		hraw(res, "<br><small>");
		json_array_foreach (cves, i, c) {
			if (i)
				hraw(res, ", ");
			h(res, json_string_value(c));
		}
		hraw(res, "</small>");
	}
	hraw(res, "</td><td>");
	h(res, str(f, "endpoint"));
	hraw(res, "</td><td>");
	h(res, html_finding_state(r, str(f, "state")));
	hraw(res, "</td><td>");
	json_t *due = json_object_get(f, "due_at");
	if (json_is_integer(due))
		html_date(r, res, json_integer_value(due));
	else
		hraw(res, "—");
	if (late) {
		hraw(res, " <strong class=\"late\">");
		h(res, T(r, "Past due"));
		hraw(res, "</strong>");
	}
	hraw(res, "</td><td>");
	if (json_is_true(json_object_get(f, "kev"))) {
		hraw(res, "KEV ");
		html_day(r, res, str(f, "kev_due_date"));
	} else {
		hraw(res, "—");
	}
	hraw(res, "</td><td>");
	json_t *ep = json_object_get(f, "epss");
	if (json_is_number(ep))
		html_percent(r, res, json_number_value(ep));
	else
		hraw(res, "—");
	hraw(res, "</td></tr>");
}

/* /kerentanan/laporan without an OPD: the staff choose one of the OPDs,
 * an agen_siber goes to its own; true when answered. */
static bool choose_opd(web_req *r, web_res *res)
{
	sg_err e = {0};
	if (finding_check_staff(r->app, r->who.user, &e) != 0) {
		asset_scope s;
		e = (sg_err){0};
		if (asset_scope_of(r->app, r->who.user, &s, &e) != 0 || s.opd_id == 0)
			return false; /* the report's own answer: not found */
		char ref[32];
		snprintf(ref, sizeof ref, "%lld", (long long)s.opd_id);
		json_t *o = opd_get(r->app, ref, &e);
		if (o == NULL)
			return false;
		buf to = BUF_INIT;
		buf_puts(&to, "/kerentanan/laporan?opd=");
		webutil_urlencode(&to, str(o, "abbrev"), false);
		web_redirect(res, buf_str(&to));
		buf_free(&to);
		json_decref(o);
		return true;
	}
	json_t *opds = opd_list(r->app, &e);
	if (opds == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Vulnerability report"),
		                  web_err(r, &e));
		return true;
	}
	html_begin(r, res, T(r, "Vulnerability report"), NAV_FINDINGS);
	hprintf(res, "<p class=\"crumbs\"><a href=\"/kerentanan\">%s</a> › %s</p><h1>",
	        T(r, "Vulnerabilities"), T(r, "Report"));
	h(res, T(r, "Vulnerability report of an OPD"));
	hraw(res, "</h1><p class=\"lead\">");
	h(res, T(r, "Choose the OPD whose report to print: its assets in service with their open "
	            "findings."));
	hraw(res, "</p><ul class=\"opd-choice\" id=\"report-opds\">");
	size_t i;
	json_t *o;
	json_array_foreach (opds, i, o) {
		hraw(res, "<li><a href=\"/kerentanan/laporan?opd=");
		buf q = BUF_INIT;
		webutil_urlencode(&q, str(o, "abbrev"), false);
		h(res, buf_str(&q));
		buf_free(&q);
		hraw(res, "\">");
		h(res, str(o, "name"));
		hraw(res, " (");
		h(res, str(o, "abbrev"));
		hraw(res, ")</a></li>");
	}
	if (json_array_size(opds) == 0) {
		hraw(res, "<li class=\"empty\">");
		h(res, T(r, "No OPD is registered yet."));
		hraw(res, "</li>");
	}
	hraw(res, "</ul>");
	json_decref(opds);
	html_end(r, res);
	return true;
}

void page_vuln_report(web_req *r, web_res *res)
{
	sg_err e = {0};
	const char *opd = web_query(r, "opd");
	if ((opd == NULL || *opd == '\0') && choose_opd(r, res))
		return;
	json_t *rep = vuln_opd_report(r->app, web_query(r, "opd"), r->who.user, &e);
	if (rep == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Report not found"),
		                  web_err(r, &e));
		return;
	}
	json_t *o = json_object_get(rep, "opd");
	res->content_type = "text/html; charset=utf-8";
	hprintf(res, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
	        r->lang == LANG_ID ? "id" : "en");
	h(res, T(r, "Vulnerability report"));
	hraw(res, " ");
	h(res, str(o, "abbrev"));
	hraw(res, "</title><link rel=\"stylesheet\" href=\"/static/print.css\"></head><body>"
	          "<header><p class=\"kop\">");
	h(res, agency(r));
	hraw(res, "</p><h1>");
	h(res, T(r, "Vulnerability report"));
	hraw(res, "</h1><p>");
	h(res, str(o, "name"));
	hraw(res, " (");
	h(res, str(o, "abbrev"));
	hraw(res, ")</p></header><dl><dt>");
	h(res, T(r, "Head"));
	hraw(res, "</dt><dd>");
	h(res, *str(o, "head") ? str(o, "head") : "—");
	hraw(res, "</dd><dt>");
	h(res, T(r, "Contact"));
	hraw(res, "</dt><dd>");
	h(res, *str(o, "contact") ? str(o, "contact") : "—");
	hraw(res, "</dd><dt>");
	h(res, T(r, "Date"));
	hraw(res, "</dt><dd>");
	html_time(r, res, json_integer_value(json_object_get(rep, "generated_at")));
	hraw(res, "</dd></dl>");
	summary(r, res, json_object_get(rep, "summary"));
	size_t i;
	json_t *a;
	json_array_foreach (json_object_get(rep, "assets"), i, a) {
		hraw(res, "<h2>");
		h(res, str(a, "name"));
		hraw(res, " <small>(");
		h(res, str(a, "kind"));
		if (*str(a, "kse")) {
			hraw(res, ", KSE ");
			h(res, str(a, "kse"));
		}
		hraw(res, ")</small></h2>");
		json_t *fs = json_object_get(a, "findings");
		if (json_array_size(fs) == 0) {
			hraw(res, "<p>");
			h(res, T(r, "No open findings."));
			hraw(res, "</p>");
			continue;
		}
		html_thead(res, "", T(r, "Severity"), T(r, "Finding"), T(r, "Endpoint"), T(r, "State"),
		           T(r, "Due"), "KEV", "EPSS", NULL);
		size_t k;
		json_t *f;
		json_array_foreach (fs, k, f)
			finding_row(r, res, f);
		hraw(res, "</tbody></table>");
	}
	hraw(res, "<div class=\"signatures\"><div><p>");
	h(res, T(r, "Prepared by"));
	hraw(res, "</p><p class=\"line\"></p></div><div><p>");
	h(res, T(r, "Acknowledged by"));
	hraw(res, "</p><p class=\"line\"></p></div></div><footer>");
	h(res, T(r, "Printed"));
	hraw(res, " ");
	html_time(r, res, json_integer_value(json_object_get(rep, "generated_at")));
	hraw(res, " · sigap</footer></body></html>\n");
	json_decref(rep);
}
