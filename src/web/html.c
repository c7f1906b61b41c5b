/*
 * html.c: page layout (head, top bar, navigation, footer) and the small
 * writers of escaped text, dates, numbers and form inputs in the
 * request's language.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "app/classify.h"
#include "app/findings.h"
#include "base/civil.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

void h(web_res *res, const char *s)
{
	if (s)
		buf_put_html(&res->body, s);
}

void hraw(web_res *res, const char *s)
{
	buf_puts(&res->body, s);
}

void hprintf(web_res *res, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&res->body, fmt, ap);
	va_end(ap);
}

static void nav_link(const web_req *r, web_res *res, const char *href, const char *label,
                     bool active)
{
	hprintf(res, "<a href=\"%s\"%s>", href, active ? " aria-current=\"page\"" : "");
	h(res, T(r, label));
	hraw(res, "</a>");
}

/* "Tugas saya" with the number of tasks waiting (tasks_count: one query
 * over indexes on every signed-in page, counting to NAV_TASKS_CAP). */
enum { NAV_TASKS_CAP = 100 };
static void tasks_link(const web_req *r, web_res *res, bool active)
{
	int64_t n = 0;
	sg_err e;
	if (tasks_count(r->app, r->who.user, r->who.roles, NAV_TASKS_CAP, &n, &e) != 0)
		n = -1;
	hprintf(res, "<a href=\"/tugas\"%s>", active ? " aria-current=\"page\"" : "");
	h(res, T(r, "My tasks"));
	if (n >= 0) {
		hprintf(res, " <span class=\"count%s\" id=\"tasks-count\" title=\"", n ? "" : " zero");
		h(res, T(r, "waiting for you"));
		if (n >= NAV_TASKS_CAP)
			hprintf(res, "\">%d+</span>", NAV_TASKS_CAP - 1);
		else
			hprintf(res, "\">%lld</span>", (long long)n);
	}
	hraw(res, "</a>");
}

/* Whether the user sees findings at all (findings.c): the CSIRT's staff,
 * or an OPD's agen_siber. */
static bool may_see_findings(const web_req *r)
{
	if (web_has_role(r, "agen_siber"))
		return true;
	sg_err e = {0};
	return finding_check_staff(r->app, r->who.user, &e) == 0;
}

void html_begin(const web_req *r, web_res *res, const char *title, nav_item active)
{
	res->content_type = "text/html; charset=utf-8";
	hprintf(res,
	        "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	        r->lang == LANG_ID ? "id" : "en");
	h(res, title);
	hraw(res, " · sigap</title>\n<link rel=\"stylesheet\" href=\"/static/sigap.css\">\n"
	          "<link rel=\"stylesheet\" href=\"/static/sop.css\">\n"
	          "<script src=\"/static/sigap.js\" defer></script>\n</head>\n<body>\n"
	          "<header class=\"top\">\n<a class=\"brand\" href=\"/\">sigap</a>\n<nav>");
	if (r->signed_in) {
		nav_link(r, res, "/dasbor", "Dashboard", active == NAV_DASHBOARD);
		tasks_link(r, res, active == NAV_TASKS);
		nav_link(r, res, "/kasus", "Cases", active == NAV_CASES);
		if (alert_may_triage(r->who.roles)) {
			nav_link(r, res, "/peringatan", "Alerts", active == NAV_ALERTS);
			nav_link(r, res, "/indikator", T(r, "Indicators"), active == NAV_INDICATORS);
		}
		/* the register for who sees some of it, the OPDs for their keepers */
		asset_scope sc;
		sg_err se;
		if (asset_scope_of(r->app, r->who.user, &sc, &se) != 0)
			memset(&sc, 0, sizeof sc);
		if (sc.read_all || sc.opd_id) {
			nav_link(r, res, "/aset", "Assets", active == NAV_ASSETS);
			nav_link(r, res, "/pantau", "Websites", active == NAV_MONITOR);
		}
		if (may_see_findings(r))
			nav_link(r, res, "/kerentanan", "Vulnerabilities", active == NAV_FINDINGS);
		risk_scope rs;
		if (risk_scope_of(r->app, r->who.user, &rs, &se) == 0 && (rs.read_all || rs.opd_id))
		{
			nav_link(r, res, "/risiko", "Risks", active == NAV_RISKS);
			nav_link(r, res, "/pengecualian", "Exceptions", active == NAV_EXCEPTIONS);
		}
		if (web_has_role(r, "kabid") || web_has_role(r, "kepala_dinas") || web_has_role(r, "ttis"))
			nav_link(r, res, "/laporan/bulanan", "Monthly report", active == NAV_MONTHLY);
		nav_link(r, res, "/kebijakan", "Policies", active == NAV_POLICIES);
		nav_link(r, res, "/sop", "SOPs", active == NAV_SOPS);
		nav_link(r, res, "/logbook", "Logbook", active == NAV_LOGBOOK);
		nav_link(r, res, "/token", "API tokens", active == NAV_TOKENS);
		if (web_has_role(r, "admin")) {
			nav_link(r, res, "/pengguna", "Users", active == NAV_USERS);
			nav_link(r, res, "/admin/kotak-keluar", "Outbox", active == NAV_OUTBOX);
			nav_link(r, res, "/admin/dokumen", "Letterhead (kop surat)", active == NAV_LETTERHEAD);
		}
		if (sc.keep_opd)
			nav_link(r, res, "/opd", "OPD", active == NAV_OPD);
	} else {
		nav_link(r, res, "/lapor", "Report an incident", active == NAV_REPORT);
		nav_link(r, res, "/lapor/status", "Report status", false);
		nav_link(r, res, "/kebijakan", "Policies", active == NAV_POLICIES);
		nav_link(r, res, "/login", "Sign in", false);
	}
	hraw(res, "</nav>\n<div class=\"who\">");
	/* The language switch: a plain link, so it works without JavaScript. */
	hprintf(res, "<a class=\"lang\" href=\"?lang=%s\" hreflang=\"%s\">%s</a>",
	        r->lang == LANG_ID ? "en" : "id", r->lang == LANG_ID ? "en" : "id",
	        r->lang == LANG_ID ? "English" : "Bahasa Indonesia");
	if (r->signed_in) {
		/* the name leads to one's own settings (notifications) */
		hraw(res, "<a class=\"user\" href=\"/akun/notifikasi\">");
		h(res, r->who.user);
		hraw(res, "</a><form method=\"post\" action=\"/logout\" class=\"inline\">");
		html_csrf(r, res);
		hraw(res, "<button type=\"submit\" class=\"link\">");
		h(res, T(r, "Sign out"));
		hraw(res, "</button></form>");
	}
	hraw(res, "</div>\n</header>\n<main>\n");
}

void html_end(const web_req *r, web_res *res)
{
	hraw(res, "</main>\n<footer>");
	h(res, T(r, "sigap: security operations of the regional government CSIRT"));
	hraw(res, " · v" SIGAP_VERSION "</footer>\n</body>\n</html>\n");
}

void html_message_page(const web_req *r, web_res *res, int status, const char *title,
                       const char *message)
{
	buf_reset(&res->body);
	res->status = status;
	html_begin(r, res, title, NAV_NONE);
	hraw(res, "<h1>");
	h(res, title);
	hraw(res, "</h1>\n");
	html_notice(res, status >= 400 ? "error" : "info", message);
	html_end(r, res);
}

void html_csrf(const web_req *r, web_res *res)
{
	hraw(res, "<input type=\"hidden\" name=\"csrf\" value=\"");
	h(res, r->signed_in && !r->via_token ? r->who.csrf : r->anon_csrf);
	hraw(res, "\">");
}

/* English month names as html_time and html_date write them. */
static const char *const en_mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void html_time(const web_req *r, web_res *res, int64_t t)
{
	const civil_zone *z = r->app->cfg.cal.zone;
	char out[64];
	if (r->lang == LANG_ID) {
		civil_format_id(t, z, out, sizeof out);
	} else {
		civil c;
		civil_from_epoch(t, z, &c);
		snprintf(out, sizeof out, "%d %s %04d %02d:%02d %s", c.day, en_mon[c.month - 1],
		         c.year, c.hour, c.min, z->abbr);
	}
	char iso[40];
	civil_format_rfc3339(t, z, iso, sizeof iso);
	hprintf(res, "<time datetime=\"%s\">", iso);
	h(res, out);
	hraw(res, "</time>");
}

/* "23 November 2026" in Indonesian, "23 Nov 2026" in English (the
 * English form of html_time). */
static void day_text(const web_req *r, int year, int month, int day, char *out, size_t n)
{
	snprintf(out, n, "%d %s %04d", day,
	         r->lang == LANG_ID ? civil_month_id(month) : en_mon[month - 1], year);
}

void html_date(const web_req *r, web_res *res, int64_t t)
{
	civil c;
	civil_from_epoch(t, r->app->cfg.cal.zone, &c);
	char out[64];
	day_text(r, c.year, c.month, c.day, out, sizeof out);
	h(res, out);
}

void html_day(const web_req *r, web_res *res, const char *ymd)
{
	int y, m, d, used = 0;
	if (ymd && sscanf(ymd, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && ymd[used] == '\0' &&
	    used == 10 && civil_valid_date(y, m, d)) {
		char out[64];
		day_text(r, y, m, d, out, sizeof out);
		h(res, out);
	} else {
		h(res, ymd ? ymd : "");
	}
}

void html_int(const web_req *r, web_res *res, int64_t n)
{
	char digits[32], out[48];
	int len = snprintf(digits, sizeof digits, "%lld", (long long)(n < 0 ? -n : n));
	size_t k = 0;
	if (n < 0)
		out[k++] = '-';
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[k++] = r->lang == LANG_ID ? '.' : ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
	hraw(res, out);
}

void html_percent(const web_req *r, web_res *res, double rate)
{
	char out[32];
	snprintf(out, sizeof out, "%.1f", rate * 100.0);
	if (r->lang == LANG_ID)
		for (char *p = out; *p; p++)
			if (*p == '.')
				*p = ',';
	hprintf(res, "%s %%", out);
}

void html_notice(web_res *res, const char *kind, const char *text)
{
	hprintf(res, "<p class=\"notice %s\" role=\"%s\">", kind,
	        strcmp(kind, "error") == 0 ? "alert" : "status");
	h(res, text);
	hraw(res, "</p>\n");
}

void html_thead(web_res *res, const char *table_class, ...)
{
	if (*table_class)
		hprintf(res, "<table class=\"%s\">", table_class);
	else
		hraw(res, "<table>");
	hraw(res, "<thead><tr>");
	va_list ap;
	va_start(ap, table_class);
	for (const char *cell; (cell = va_arg(ap, const char *)) != NULL;) {
		hraw(res, "<th>");
		h(res, cell);
		hraw(res, "</th>");
	}
	va_end(ap);
	hraw(res, "</tr></thead><tbody>");
}

const char *html_enisa(const web_req *r, const char *code)
{
	const char *l = enisa_label(code, r->lang != LANG_ID);
	return l ? l : code;
}

bool html_enisa_field(const char *name)
{
	return strcmp(name, "kategori") == 0 || strcmp(name, "jenis") == 0;
}

void html_tlp(web_res *res, const char *tlp)
{
	if (tlp == NULL)
		return;
	const char *cls = strstr(tlp, "RED")      ? "red"
	                  : strstr(tlp, "STRICT") ? "amber-strict"
	                  : strstr(tlp, "AMBER")  ? "amber"
	                  : strstr(tlp, "GREEN")  ? "green"
	                                          : "clear";
	hprintf(res, "<span class=\"tlp tlp-%s\">", cls);
	h(res, tlp);
	hraw(res, "</span>");
}

void html_id_name(web_res *res, const char *name)
{
	hraw(res, " id=\"f-");
	h(res, name);
	hraw(res, "\" name=\"");
	h(res, name);
	hraw(res, "\"");
}

void html_sop_field(const web_req *r, web_res *res, const sop_field *f, const char *value)
{
	hraw(res, "<div class=\"field\"><label for=\"f-");
	h(res, f->name);
	hraw(res, "\">");
	h(res, f->label);
	if (f->required) {
		hraw(res, " <abbr class=\"req\" title=\"");
		h(res, T(r, "required"));
		hraw(res, "\">*</abbr>");
	}
	hraw(res, "</label>");
	const char *req = f->required ? " required" : "";
	switch (f->type) {
	case FIELD_TEXTAREA:
		hraw(res, "<textarea rows=\"4\"");
		html_id_name(res, f->name);
		/* the form's limit is the engine's (sop_values_check), counted in
		 * characters where the engine counts bytes: ASCII text fits */
		hprintf(res, "%s maxlength=\"%d\">", req, SOP_VALUE_MAX_TEXTAREA);
		h(res, value);
		hraw(res, "</textarea>");
		break;
	case FIELD_SELECT:
		hraw(res, "<select");
		html_id_name(res, f->name);
		hprintf(res, "%s><option value=\"\"></option>", req);
		for (size_t i = 0; i < f->n_options; i++) {
			hraw(res, "<option value=\"");
			h(res, f->options[i]);
			hraw(res, "\"");
			if (value && strcmp(value, f->options[i]) == 0)
				hraw(res, " selected");
			hraw(res, ">");
			h(res, html_enisa_field(f->name) ? html_enisa(r, f->options[i]) : f->options[i]);
			hraw(res, "</option>");
		}
		hraw(res, "</select>");
		break;
	case FIELD_FILE:
		hraw(res, "<input type=\"file\"");
		html_id_name(res, f->name);
		hprintf(res, "%s>", req);
		break;
	default: {
		const char *type = f->type == FIELD_DATE     ? "date"
		                   : f->type == FIELD_NUMBER ? "number"
		                                             : "text";
		hprintf(res, "<input type=\"%s\"", type);
		html_id_name(res, f->name);
		hraw(res, " value=\"");
		h(res, value);
		hprintf(res, "\"%s maxlength=\"%d\">", req, SOP_VALUE_MAX_TEXT);
	}
	}
	if (f->help) {
		hraw(res, "<small>");
		h(res, f->help);
		hraw(res, "</small>");
	}
	hraw(res, "</div>\n");
}

/* ---- alerts: their status and level, on the alert pages and a case's */

const char *html_finding_state(const web_req *r, const char *s)
{
	if (strcmp(s, "baru") == 0)
		return T(r, "New");
	if (strcmp(s, "terverifikasi") == 0)
		return T(r, "Verified");
	if (strcmp(s, "positif_palsu") == 0)
		return T(r, "False positive");
	if (strcmp(s, "risiko_diterima") == 0)
		return T(r, "Risk accepted");
	if (strcmp(s, "dalam_perbaikan") == 0)
		return T(r, "Being fixed");
	if (strcmp(s, "diperbaiki") == 0)
		return T(r, "Fixed");
	if (strcmp(s, "dibuka_kembali") == 0)
		return T(r, "Reopened");
	return s;
}

/* The states in arg (one, or a list "a, b, c") in words; whether any was. */
static bool states_in_words(const web_req *r, char *arg, size_t cap)
{
	char out[sizeof((sg_err *)0)->args[0]] = "";
	size_t k = 0;
	bool any = false;
	for (const char *p = arg; *p;) {
		size_t n = strcspn(p, ",");
		char item[64];
		if (n >= sizeof item)
			return false;
		memcpy(item, p, n);
		item[n] = '\0';
		const char *w = html_finding_state(r, item);
		any |= w != item;
		int wrote = snprintf(out + k, sizeof out - k, "%s%s", w, p[n] ? ", " : "");
		if (wrote < 0 || (size_t)wrote >= sizeof out - k)
			return false;
		k += (size_t)wrote;
		p += n;
		if (*p == ',')
			for (p++; *p == ' '; p++)
				;
	}
	if (any)
		snprintf(arg, cap, "%s", out);
	return any;
}

const char *html_finding_err(web_req *r, const sg_err *e)
{
	if (e->fmt == NULL)
		return web_err(r, e);
	sg_err c = *e;
	bool any = false;
	for (int i = 0; i < c.n_args && i < SG_ERR_ARGS; i++)
		any |= states_in_words(r, c.args[i], sizeof c.args[i]);
	if (!any)
		return web_err(r, e);
	/* the English too is rebuilt, with the words */
	const char *t = r->lang == LANG_ID ? tr(LANG_ID, c.fmt) : c.fmt;
	char body[sizeof r->errbuf];
	sg_err_localize(&c, t, body, sizeof body);
	if (c.pre)
		snprintf(r->errbuf, sizeof r->errbuf, "%.150s: %.1000s",
		         r->lang == LANG_ID ? tr(LANG_ID, c.pre) : c.pre, body);
	else
		snprintf(r->errbuf, sizeof r->errbuf, "%s", body);
	return r->errbuf;
}

const char *html_alert_status(const web_req *r, const char *s)
{
	if (strcmp(s, "new") == 0)
		return T(r, "New");
	if (strcmp(s, "triage") == 0)
		return T(r, "In triage");
	if (strcmp(s, "false_positive") == 0)
		return T(r, "False positive");
	if (strcmp(s, "true_positive") == 0)
		return T(r, "True positive");
	return s;
}

const char *html_alert_level_name(const web_req *r, const char *s)
{
	if (strcmp(s, "informational") == 0)
		return T(r, "Informational");
	if (strcmp(s, "low") == 0)
		return T(r, "Low");
	if (strcmp(s, "medium") == 0)
		return T(r, "Medium");
	if (strcmp(s, "high") == 0)
		return T(r, "High");
	if (strcmp(s, "critical") == 0)
		return T(r, "Critical");
	return s;
}

void html_alert_level(const web_req *r, web_res *res, const char *level)
{
	hraw(res, "<span class=\"level level-");
	h(res, level);
	hraw(res, "\">");
	h(res, html_alert_level_name(r, level));
	hraw(res, "</span>");
}

void html_query_input(const web_req *r, web_res *res, const char *name, const char *label,
                      const char *type)
{
	hraw(res, "<div class=\"field\"><label for=\"q-");
	h(res, name);
	hraw(res, "\">");
	h(res, label);
	hprintf(res, "</label><input type=\"%s\" id=\"q-", type);
	h(res, name);
	hraw(res, "\" name=\"");
	h(res, name);
	hraw(res, "\" value=\"");
	h(res, web_query(r, name));
	hraw(res, "\" maxlength=\"200\"></div>");
}

void html_page_link(const web_req *r, web_res *res, const char *path, int64_t page,
                    const char *label, const char *rel)
{
	hraw(res, "<a href=\"");
	h(res, path);
	hraw(res, "?");
	for (size_t i = 0; i < r->query.n; i++) {
		if (strcmp(r->query.v[i].name, "hal") == 0 || strcmp(r->query.v[i].name, "lang") == 0)
			continue;
		buf enc = BUF_INIT;
		webutil_urlencode(&enc, r->query.v[i].name, false);
		buf_putc(&enc, '=');
		webutil_urlencode(&enc, r->query.v[i].value, false);
		h(res, buf_str(&enc));
		hraw(res, "&amp;");
		buf_free(&enc);
	}
	hprintf(res, "hal=%lld\" rel=\"%s\">", (long long)page, rel);
	h(res, label);
	hraw(res, "</a>");
}

void html_fact(web_res *res, const char *term, const char *value)
{
	hraw(res, "<dt>");
	h(res, term);
	hraw(res, "</dt><dd class=\"pre\">");
	h(res, value && *value ? value : "\xe2\x80\x94"); /* — */
	hraw(res, "</dd>");
}
