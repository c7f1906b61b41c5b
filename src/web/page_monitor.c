/*
 * page_monitor.c: the website monitor on the web (app/monitor.c,
 * app/monitor_check.c; docs/monitor.md).
 *
 *   GET  /pantau                  every watched site the user reads, worst
 *                                 first, with its state; filter by state
 *   GET  /pantau/baru             the form (the register's keepers)
 *   POST /pantau/baru             watches a URL of an asset
 *   GET  /pantau/{id}             a site: its latency chart, its findings
 *                                 (with the page kept as evidence and the
 *                                 difference from the baseline), its
 *                                 accepted pages, the actions
 *   GET  /pantau/{id}/ubah        the form of its settings (keepers)
 *   POST /pantau/{id}/ubah        changes them
 *   POST /pantau/{id}/status      stops or resumes it (keepers)
 *   POST /pantau/{id}/periksa     checks it now (ttis, kabid)
 *   POST /pantau/{id}/baseline    accepts its pages as they are (ttis, kabid)
 *
 * Forms carry the CSRF token (request.c checks it); the app decides who
 * reads and does what. A finding is written as a sentence in the
 * reader's language by the monitor (mon_finding_sentence) through T().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "monitor/analyse.h"
#include "webutil.h"

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static int64_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static void not_found(web_req *r, web_res *res)
{
	html_message_page(r, res, 404, T(r, "Not found"), T(r, "There is no such watched site."));
}

static bool path_id(web_req *r, int64_t *id)
{
	return webutil_int(r->path_arg ? r->path_arg : "", 1, INT64_MAX, id);
}

static const char *state_name(const web_req *r, const char *s)
{
	return strcmp(s, "baru") == 0         ? T(r, "Not checked yet")
	       : strcmp(s, "normal") == 0     ? T(r, "Normal")
	       : strcmp(s, "lambat") == 0     ? T(r, "Slow")
	       : strcmp(s, "sertifikat") == 0 ? T(r, "Certificate trouble")
	       : strcmp(s, "berubah") == 0    ? T(r, "Changed")
	       : strcmp(s, "turun") == 0      ? T(r, "Down")
	       : strcmp(s, "injeksi") == 0    ? T(r, "Injected")
	       : strcmp(s, "deface") == 0     ? T(r, "Defaced")
	                                      : s;
}

static void state_badge(const web_req *r, web_res *res, const char *s)
{
	hraw(res, "<span class=\"site-state\" data-state=\"");
	h(res, s);
	hraw(res, "\">");
	h(res, state_name(r, s));
	hraw(res, "</span>");
}

static const char *kind_name(const web_req *r, const char *code)
{
	int k = mon_kind_of(code);
	switch (k) {
	case MON_F_DOWN: return T(r, "Unreachable");
	case MON_F_HTTP: return T(r, "HTTP error");
	case MON_F_SLOW: return T(r, "Slow");
	case MON_F_REDIRECT: return T(r, "Redirect to another domain");
	case MON_F_CERT: return T(r, "Certificate refused");
	case MON_F_CERT_SOON: return T(r, "Certificate ending");
	case MON_F_DEFACE: return T(r, "Defacement");
	case MON_F_JUDI: return T(r, "Online gambling");
	case MON_F_CLOAKING: return T(r, "Cloaking");
	case MON_F_HIDDEN_LINKS: return T(r, "Hidden links");
	case MON_F_CONTENT: return T(r, "Suspicious content");
	case MON_F_CHANGED: return T(r, "Changed");
	case MON_F_SCRIPT: return T(r, "New external script");
	case MON_F_SITEMAP: return T(r, "New pages in the sitemap");
	case MON_F_IOC_LINK: return T(r, "Links to listed domains");
	case MON_F_SCRIPT_CHANGED: return T(r, "Script changed");
	case MON_F_KINDS: break;
	}
	return code;
}

/* The request whose language the monitor's sentences take (a page is
 * written by one thread). */
static __thread web_req *sentence_req;
static const char *sentence_tr(const char *msgid)
{
	return T(sentence_req, msgid);
}

/* A stored finding as the monitor's sentence. */
static void finding_sentence(web_req *r, web_res *res, const char *kind, json_t *detail)
{
	mon_finding m;
	monitor_finding_of(kind, detail, &m);
	char s[1600];
	sentence_req = r;
	mon_finding_sentence(&m, sentence_tr, s, sizeof s);
	h(res, s);
}

void page_monitor_alert(web_req *r, web_res *res, json_t *event)
{
	json_t *fl = json_object_get(event, "fields");
	hraw(res, "<section><h2>");
	h(res, T(r, "What the website monitor found"));
	hraw(res, "</h2><p>");
	finding_sentence(r, res, str(fl, "kind"), fl);
	hraw(res, "</p><dl class=\"facts\"><dt>");
	h(res, T(r, "Page"));
	hraw(res, "</dt><dd>");
	h(res, str(fl, "url"));
	hraw(res, "</dd>");
	if (*str(fl, "body_sha256")) {
		hraw(res, "<dt>");
		h(res, T(r, "Evidence"));
		hprintf(res, "</dt><dd><a href=\"/bukti/%s\">", str(fl, "body_sha256"));
		h(res, T(r, "page"));
		hprintf(res, "</a> · <a href=\"/bukti/%s\">", str(fl, "text_sha256"));
		h(res, T(r, "text"));
		hraw(res, "</a> (");
		h(res, str(fl, "agent"));
		hraw(res, ")</dd>");
	}
	/* the site as it stands now, for who reads it */
	int64_t id = strtoll(str(fl, "site"), NULL, 10);
	sg_err e = {0};
	json_t *site = id > 0 ? monitor_site_get(r->app, r->who.user, id, &e) : NULL;
	if (site) {
		hraw(res, "<dt>");
		h(res, T(r, "The site now"));
		hprintf(res, "</dt><dd><a href=\"/pantau/%lld\">", (long long)id);
		state_badge(r, res, str(site, "state"));
		hraw(res, "</a>");
		size_t i;
		json_t *x;
		json_array_foreach(json_object_get(site, "findings"), i, x) {
			if (strcmp(str(x, "kind"), str(fl, "kind")) == 0 &&
			    strcmp(str(x, "page"), str(fl, "url")) == 0 &&
			    json_is_integer(json_object_get(x, "resolved_at"))) {
				hraw(res, " · ");
				h(res, T(r, "recovered"));
				hraw(res, " ");
				html_time(r, res, num(x, "resolved_at"));
				break;
			}
			if (strcmp(str(x, "kind"), str(fl, "kind")) == 0 &&
			    strcmp(str(x, "page"), str(fl, "url")) == 0)
				break; /* the newest of its kind is still open */
		}
		hraw(res, "</dd>");
		json_decref(site);
	}
	hraw(res, "</dl></section>");
}

static void certificate_days(const web_req *r, web_res *res, json_t *site)
{
	json_t *c = json_object_get(site, "cert_not_after");
	if (!json_is_integer(c)) {
		hraw(res, "-");
		return;
	}
	int64_t left = json_integer_value(c) - (int64_t)time(NULL), days = left / 86400;
	char n[32];
	snprintf(n, sizeof n, "%lld", (long long)days);
	if (left < 0)
		h(res, T(r, "ended"));
	else {
		h(res, n);
		hraw(res, " ");
		h(res, T(r, "days"));
	}
}

/* ---- /pantau ---- */

void page_monitor(web_req *r, web_res *res)
{
	const char *state = web_query(r, "keadaan");
	if (state && (!*state || !monitor_state_valid(state)))
		state = NULL;
	sg_err e = {0};
	json_t *all = monitor_site_list(r->app, r->who.user, NULL, &e);
	if (!all) {
		html_message_page(r, res, web_status_of(&e), T(r, "Website monitor"), web_err(r, &e));
		return;
	}
	html_begin(r, res, T(r, "Website monitor"), NAV_MONITOR);
	hraw(res, "<h1>");
	h(res, T(r, "Website monitor"));
	hraw(res, "</h1><p>");
	h(res, T(r, "The OPDs' public websites, read as a visitor's browser and as a search-engine "
	            "crawler: outages, certificates, defacement, online-gambling injection, cloaking "
	            "and changes from the accepted page."));
	hraw(res, "</p>");
	if (monitor_may_keep(r->app, r->who.user)) {
		hraw(res, "<p><a class=\"button\" href=\"/pantau/baru\">");
		h(res, T(r, "Watch a website"));
		hraw(res, "</a></p>");
	}
	/* the count of each state, each a filter */
	static const char *const states[] = {"deface", "injeksi", "turun", "berubah",
	                                     "sertifikat", "lambat", "normal", "baru"};
	hraw(res, "<ul class=\"site-states\"><li><a href=\"/pantau\">");
	h(res, T(r, "All"));
	hprintf(res, "</a> (%zu)</li>", json_array_size(all));
	for (size_t k = 0; k < sizeof states / sizeof states[0]; k++) {
		size_t n = 0, i;
		json_t *x;
		json_array_foreach(all, i, x) n += strcmp(str(x, "state"), states[k]) == 0;
		if (!n)
			continue;
		hprintf(res, "<li><a href=\"/pantau?keadaan=%s\">", states[k]);
		state_badge(r, res, states[k]);
		hprintf(res, "</a> (%zu)</li>", n);
	}
	hraw(res, "</ul>");
	size_t shown = 0, i;
	json_t *x;
	json_array_foreach(all, i, x) shown += !state || strcmp(str(x, "state"), state) == 0;
	if (shown == 0) {
		hraw(res, "<p>");
		h(res, json_array_size(all) ? T(r, "No site is in this state.")
		       : monitor_may_read(r->app, r->who.user)
		           ? T(r, "No website is watched yet.")
		           : T(r, "The watched websites are read by the CSIRT's officers and by each "
		                  "OPD's cyber agent."));
		hraw(res, "</p>");
	} else {
		html_thead(res, "list", T(r, "Site"), T(r, "Asset"), "OPD", T(r, "State"),
		           T(r, "Last check"), T(r, "HTTP"), T(r, "Time (ms)"), T(r, "Open findings"),
		           T(r, "Certificate"), NULL);
		json_array_foreach(all, i, x) {
			if (state && strcmp(str(x, "state"), state) != 0)
				continue;
			json_t *asset = json_object_get(x, "asset");
			hprintf(res, "<tr><td><a href=\"/pantau/%lld\">", (long long)num(x, "id"));
			h(res, str(x, "url"));
			hraw(res, "</a>");
			if (!json_is_true(json_object_get(x, "enabled"))) {
				hraw(res, " <small>(");
				h(res, T(r, "stopped"));
				hraw(res, ")</small>");
			}
			hprintf(res, "</td><td><a href=\"/aset/%lld\">", (long long)num(asset, "id"));
			h(res, str(asset, "name"));
			hraw(res, "</a></td><td>");
			h(res, str(json_object_get(asset, "opd"), "abbrev"));
			hraw(res, "</td><td>");
			state_badge(r, res, str(x, "state"));
			hraw(res, "</td><td>");
			if (json_is_integer(json_object_get(x, "last_at")))
				html_time(r, res, num(x, "last_at"));
			else
				hraw(res, "-");
			hraw(res, "</td><td>");
			if (json_is_integer(json_object_get(x, "last_status")))
				num(x, "last_status") ? html_int(r, res, num(x, "last_status"))
				                      : h(res, T(r, "no answer"));
			else
				hraw(res, "-");
			hraw(res, "</td><td>");
			if (json_is_integer(json_object_get(x, "last_ms")))
				html_int(r, res, num(x, "last_ms"));
			else
				hraw(res, "-");
			hraw(res, "</td><td>");
			html_int(r, res, num(x, "open_findings"));
			hraw(res, "</td><td>");
			certificate_days(r, res, x);
			hraw(res, "</td></tr>");
		}
		hraw(res, "</tbody></table>");
	}
	json_decref(all);
	html_end(r, res);
}

/* ---- a site ---- */

/* The total time of the last checks as a line, a red mark where no
 * answer came (SVG, no script). */
static void latency_chart(const web_req *r, web_res *res, json_t *checks)
{
	size_t n = json_array_size(checks);
	if (n < 2)
		return;
	int64_t max = 1;
	size_t i;
	json_t *c;
	json_array_foreach(checks, i, c) if (num(c, "ms") > max) max = num(c, "ms");
	const int w = 720, hgt = 160, left = 50, top = 10, bottom = 20;
	hprintf(res, "<figure class=\"latency\"><svg viewBox=\"0 0 %d %d\" role=\"img\" "
	             "aria-labelledby=\"lat-cap\" font-family=\"sans-serif\" font-size=\"11\">",
	        w, hgt);
	hprintf(res, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left,
	        hgt - bottom, w - 5, hgt - bottom);
	hprintf(res, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%lld ms</text>", left - 4, top + 8,
	        (long long)max);
	hprintf(res, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>", left - 4, hgt - bottom);
	hraw(res, "<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"1.5\" points=\"");
	json_array_foreach(checks, i, c) {
		double x = left + (double)(w - 5 - left) * (double)i / (double)(n - 1);
		double y = hgt - bottom - (double)(hgt - bottom - top) * (double)num(c, "ms") / (double)max;
		hprintf(res, "%.1f,%.1f ", x, y);
	}
	hraw(res, "\"/>");
	json_array_foreach(checks, i, c) {
		if (num(c, "status") != 0 && num(c, "status") < 500)
			continue;
		double x = left + (double)(w - 5 - left) * (double)i / (double)(n - 1);
		hprintf(res, "<rect x=\"%.1f\" y=\"%d\" width=\"3\" height=\"%d\" fill=\"#c62828\"/>",
		        x - 1.5, top, hgt - bottom - top);
	}
	hraw(res, "</svg><figcaption id=\"lat-cap\">");
	h(res, T(r, "Time of each check of the first page (red: no answer or a server error)"));
	hraw(res, "</figcaption></figure>");
}

static void action(const web_req *r, web_res *res, int64_t id, const char *what, const char *label,
                   const char *hidden_name, const char *hidden_value)
{
	hprintf(res, "<form method=\"post\" action=\"/pantau/%lld/%s\" class=\"inline\">",
	        (long long)id, what);
	html_csrf(r, res);
	if (hidden_name)
		hprintf(res, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", hidden_name,
		        hidden_value);
	hraw(res, "<button type=\"submit\">");
	h(res, label);
	hraw(res, "</button></form> ");
}

static void evidence_links(const web_req *r, web_res *res, json_t *ev)
{
	if (!ev)
		return;
	hprintf(res, "<a href=\"/bukti/%s\">", str(ev, "body_sha256"));
	h(res, T(r, "page"));
	hprintf(res, "</a> · <a href=\"/bukti/%s\">", str(ev, "text_sha256"));
	h(res, T(r, "text"));
	hraw(res, "</a>");
}

static void findings_table(web_req *r, web_res *res, json_t *findings, bool triage)
{
	if (json_array_size(findings) == 0) {
		hraw(res, "<p>");
		h(res, T(r, "Nothing found so far."));
		hraw(res, "</p>");
		return;
	}
	html_thead(res, "list", T(r, "Level"), T(r, "Finding"), T(r, "Page"), T(r, "What was seen"),
	           T(r, "First seen"), T(r, "Last seen"), T(r, "Times"), T(r, "Status"),
	           T(r, "Evidence"), NULL);
	size_t i;
	json_t *f;
	json_array_foreach(findings, i, f) {
		hraw(res, "<tr><td>");
		html_alert_level(r, res, str(f, "level"));
		hraw(res, "</td><td>");
		h(res, kind_name(r, str(f, "kind")));
		hraw(res, "</td><td>");
		h(res, str(f, "page"));
		hraw(res, "</td><td>");
		finding_sentence(r, res, str(f, "kind"), json_object_get(f, "detail"));
		if (json_is_string(json_object_get(f, "diff"))) {
			hraw(res, "<details><summary>");
			h(res, T(r, "Difference from the baseline"));
			hraw(res, "</summary><pre class=\"diff\">");
			h(res, str(f, "diff"));
			hraw(res, "</pre></details>");
		}
		hraw(res, "</td><td>");
		html_time(r, res, num(f, "first_at"));
		hraw(res, "</td><td>");
		html_time(r, res, num(f, "last_at"));
		hraw(res, "</td><td>");
		html_int(r, res, num(f, "count"));
		hraw(res, "</td><td>");
		if (json_is_integer(json_object_get(f, "resolved_at"))) {
			h(res, T(r, "recovered"));
			hraw(res, " ");
			html_time(r, res, num(f, "resolved_at"));
		} else {
			h(res, T(r, "still open"));
		}
		if (triage && json_is_integer(json_object_get(f, "alert"))) {
			hprintf(res, "<br><a href=\"/peringatan/%lld\">", (long long)num(f, "alert"));
			h(res, T(r, "alert"));
			hraw(res, "</a>");
		}
		hraw(res, "</td><td>");
		evidence_links(r, res, json_object_get(f, "evidence"));
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table>");
}

void page_monitor_site(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_id(r, &id))
		return not_found(r, res);
	sg_err e = {0};
	json_t *s = monitor_site_get(r->app, r->who.user, id, &e);
	if (!s) {
		if (e.code == SG_ENOTFOUND || e.code == SG_EPERM)
			return not_found(r, res);
		html_message_page(r, res, web_status_of(&e), T(r, "Website monitor"), web_err(r, &e));
		return;
	}
	bool keep = monitor_may_keep(r->app, r->who.user);
	bool triage = monitor_may_triage(r->app, r->who.user, &e) == 0;
	html_begin(r, res, str(s, "url"), NAV_MONITOR);
	hraw(res, "<p><a href=\"/pantau\">");
	h(res, T(r, "Websites"));
	hraw(res, "</a></p><h1>");
	h(res, str(s, "url"));
	hraw(res, "</h1>");
	const char *flash = web_query(r, "ok");
	if (flash && strcmp(flash, "periksa") == 0)
		html_notice(res, "ok", T(r, "The site was checked now."));
	else if (flash && strcmp(flash, "baseline") == 0)
		html_notice(res, "ok", T(r, "The pages as last read are now the baseline."));
	json_t *asset = json_object_get(s, "asset");
	hraw(res, "<dl class=\"facts\"><dt>");
	h(res, T(r, "State"));
	hraw(res, "</dt><dd>");
	state_badge(r, res, str(s, "state"));
	if (!json_is_true(json_object_get(s, "enabled"))) {
		hraw(res, " (");
		h(res, T(r, "stopped"));
		hraw(res, ")");
	}
	hraw(res, "</dd><dt>");
	h(res, T(r, "Asset"));
	hprintf(res, "</dt><dd><a href=\"/aset/%lld\">", (long long)num(asset, "id"));
	h(res, str(asset, "name"));
	hraw(res, "</a> (");
	h(res, str(json_object_get(asset, "opd"), "abbrev"));
	hraw(res, ")</dd><dt>");
	h(res, T(r, "Checked every"));
	hraw(res, "</dt><dd>");
	html_int(r, res, num(s, "period") / 60);
	hraw(res, " ");
	h(res, T(r, "minutes"));
	hraw(res, "</dd><dt>");
	h(res, T(r, "Pages watched"));
	hraw(res, "</dt><dd>");
	/* the first page's own path, then the others */
	const char *u = str(s, "url"), *auth = strstr(u, "://");
	const char *path = auth ? strchr(auth + 3, '/') : NULL;
	h(res, path ? path : "/");
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(s, "paths"), i, x) {
		hraw(res, ", ");
		h(res, json_string_value(x));
	}
	if (json_is_true(json_object_get(s, "sitemap"))) {
		hraw(res, ", ");
		h(res, T(r, "and the pages of its sitemap"));
	}
	hraw(res, "</dd><dt>");
	h(res, T(r, "Dynamic regions"));
	hraw(res, "</dt><dd>");
	if (json_array_size(json_object_get(s, "regions")) == 0)
		hraw(res, "-");
	json_array_foreach(json_object_get(s, "regions"), i, x) {
		if (i)
			hraw(res, ", ");
		hraw(res, "<code>");
		h(res, json_string_value(x));
		hraw(res, "</code>");
	}
	hraw(res, "</dd><dt>");
	h(res, T(r, "Last check"));
	hraw(res, "</dt><dd>");
	if (json_is_integer(json_object_get(s, "last_at"))) {
		html_time(r, res, num(s, "last_at"));
		hraw(res, " · ");
		if (num(s, "last_status"))
			hprintf(res, "HTTP %lld · ", (long long)num(s, "last_status"));
		else {
			h(res, T(r, "no answer"));
			hraw(res, " · ");
		}
		html_int(r, res, num(s, "last_ms"));
		hraw(res, " ms");
	} else {
		h(res, T(r, "not yet"));
	}
	hraw(res, "</dd>");
	/* where the last check's redirects led, hop by hop */
	json_t *last = json_array_get(json_object_get(s, "checks"),
	                              json_array_size(json_object_get(s, "checks")) - 1);
	if (last && *str(last, "redirects")) {
		hraw(res, "<dt>");
		h(res, T(r, "Redirected"));
		hraw(res, "</dt><dd>");
		h(res, str(last, "redirects"));
		hraw(res, "</dd>");
	}
	hraw(res, "<dt>");
	h(res, T(r, "Certificate"));
	hraw(res, "</dt><dd>");
	if (json_is_integer(json_object_get(s, "cert_not_after"))) {
		h(res, T(r, "valid until"));
		hraw(res, " ");
		html_time(r, res, num(s, "cert_not_after"));
		hraw(res, " (");
		certificate_days(r, res, s);
		hraw(res, ")");
	} else {
		hraw(res, "-");
	}
	hraw(res, "</dd></dl><p class=\"actions\">");
	if (triage) {
		action(r, res, id, "periksa", T(r, "Check now"), NULL, NULL);
		action(r, res, id, "baseline", T(r, "Accept the pages as they are now"), NULL, NULL);
	}
	if (keep) {
		hprintf(res, "<a class=\"button\" href=\"/pantau/%lld/ubah\">", (long long)id);
		h(res, T(r, "Change"));
		hraw(res, "</a> ");
		bool on = json_is_true(json_object_get(s, "enabled"));
		action(r, res, id, "status", on ? T(r, "Stop checking") : T(r, "Resume checking"),
		       "aktif", on ? "0" : "1");
	}
	hraw(res, "</p>");
	if (!json_is_true(json_object_get(s, "baseline")))
		html_notice(res, "info",
		            T(r, "No page is accepted as the baseline yet: changes are found once an "
		                 "officer accepts the pages as they should be."));
	latency_chart(r, res, json_object_get(s, "checks"));
	hraw(res, "<h2>");
	h(res, T(r, "Findings"));
	hraw(res, "</h2>");
	findings_table(r, res, json_object_get(s, "findings"), triage);
	hraw(res, "<h2>");
	h(res, T(r, "Accepted pages (baseline)"));
	hraw(res, "</h2>");
	if (json_array_size(json_object_get(s, "baselines")) == 0) {
		hraw(res, "<p>-</p>");
	} else {
		html_thead(res, "list", T(r, "Page"), T(r, "Accepted by"), T(r, "At"), T(r, "Evidence"),
		           NULL);
		json_array_foreach(json_object_get(s, "baselines"), i, x) {
			hraw(res, "<tr><td>");
			h(res, str(x, "page"));
			hraw(res, "</td><td>");
			h(res, str(x, "accepted_by"));
			hraw(res, "</td><td>");
			html_time(r, res, num(x, "accepted_at"));
			hraw(res, "</td><td>");
			hprintf(res, "<a href=\"/bukti/%s\">", str(x, "body_sha256"));
			h(res, T(r, "page"));
			hprintf(res, "</a> · <a href=\"/bukti/%s\">", str(x, "text_sha256"));
			h(res, T(r, "text"));
			hraw(res, "</a></td></tr>");
		}
		hraw(res, "</tbody></table>");
	}
	json_decref(s);
	html_end(r, res);
}

/* ---- forms ---- */

static bool keeper(web_req *r, web_res *res)
{
	if (monitor_may_keep(r->app, r->who.user))
		return true;
	html_message_page(r, res, 403, T(r, "Website monitor"),
	                  T(r, "the watched websites are kept by administrator, tim_teknis, ttis and "
	                       "kabid"));
	return false;
}

/* The lines of a textarea into v (the text kept in *keep); false when
 * there are more than max. */
static bool lines(const char *text, char **keep, const char **v, size_t max, size_t *n)
{
	*keep = strdup(text ? text : "");
	if (!*keep)
		abort();
	return webutil_split_lines(*keep, v, n, max);
}

static void list_text(web_res *res, json_t *a)
{
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x) {
		h(res, json_string_value(x));
		hraw(res, "\n");
	}
}

/* The form: new (site NULL: the URLs of the register to choose from) or
 * a site's settings. */
static void form_page(web_req *r, web_res *res, json_t *site, const char *problem)
{
	int64_t id = site ? num(site, "id") : 0;
	html_begin(r, res, site ? T(r, "Change a watched site") : T(r, "Watch a website"),
	           NAV_MONITOR);
	hraw(res, "<h1>");
	h(res, site ? T(r, "Change a watched site") : T(r, "Watch a website"));
	hraw(res, "</h1>");
	if (problem)
		html_notice(res, "error", problem);
	if (site)
		hprintf(res, "<form method=\"post\" action=\"/pantau/%lld/ubah\">", (long long)id);
	else
		hraw(res, "<form method=\"post\" action=\"/pantau/baru\">");
	html_csrf(r, res);
	if (site) {
		hraw(res, "<p><b>");
		h(res, str(site, "url"));
		hraw(res, "</b></p>");
	} else {
		sg_err e = {0};
		json_t *c = monitor_candidates(r->app, r->who.user, &e);
		hraw(res, "<label>");
		h(res, T(r, "URL of an asset in the register"));
		hraw(res, " <select name=\"sasaran\" required>");
		const char *chosen = web_form(r, "sasaran");
		size_t i;
		json_t *x;
		json_array_foreach(c, i, x) {
			char v[2200];
			snprintf(v, sizeof v, "%lld %s", (long long)num(x, "asset"), str(x, "url"));
			hraw(res, "<option value=\"");
			h(res, v);
			hprintf(res, "\"%s>", chosen && strcmp(chosen, v) == 0 ? " selected" : "");
			h(res, str(x, "url"));
			hraw(res, " — ");
			h(res, str(x, "name"));
			hraw(res, " (");
			h(res, str(x, "opd"));
			hraw(res, ")</option>");
		}
		hraw(res, "</select></label>");
		if (json_array_size(c) == 0) {
			hraw(res, "<p>");
			h(res, T(r, "Every URL of the register is watched already: add a URL to an asset "
			            "first."));
			hraw(res, "</p>");
		}
		json_decref(c);
	}
	const char *period = web_form(r, "menit");
	char pbuf[32];
	if (!period) {
		snprintf(pbuf, sizeof pbuf, "%lld",
		         (long long)((site ? num(site, "period") : r->app->cfg.mon_interval) / 60));
		period = pbuf;
	}
	hraw(res, "<label>");
	h(res, T(r, "Check every (minutes, 1 to 1440)"));
	hraw(res, " <input type=\"number\" name=\"menit\" min=\"1\" max=\"1440\" required value=\"");
	h(res, period);
	hraw(res, "\"></label><label>");
	h(res, T(r, "More pages of the site, one path a line (/profil)"));
	hraw(res, "<textarea name=\"halaman\" rows=\"4\">");
	if (web_form(r, "halaman"))
		h(res, web_form(r, "halaman"));
	else if (site)
		list_text(res, json_object_get(site, "paths"));
	hraw(res, "</textarea></label><label>");
	h(res, T(r, "Dynamic regions left out, one a line: #id, .class, tag, tag#id or tag.class; or the path of a script of the site that changes on every load (/js/waktu.js)"));
	hraw(res, "<textarea name=\"wilayah\" rows=\"4\">");
	if (web_form(r, "wilayah"))
		h(res, web_form(r, "wilayah"));
	else if (site)
		list_text(res, json_object_get(site, "regions"));
	hraw(res, "</textarea></label><label class=\"check\"><input type=\"checkbox\" name=\"sitemap\" "
	          "value=\"1\"");
	bool sm = strcmp(r->method, "POST") == 0 ? web_form(r, "sitemap") != NULL
	                         : site && json_is_true(json_object_get(site, "sitemap"));
	if (sm)
		hraw(res, " checked");
	hraw(res, "> ");
	h(res, T(r, "Also watch the pages the site's sitemaps list (/sitemap.xml, those robots.txt names), and tell of new ones"));
	hraw(res, "</label><p><button type=\"submit\">");
	h(res, T(r, "Save"));
	hraw(res, "</button></p></form>");
	html_end(r, res);
}

/* The form's settings into in; a problem's sentence, or NULL. */
static const char *read_form(web_req *r, monitor_site_in *in, const char **paths,
                             const char **regions, char **keep1, char **keep2)
{
	memset(in, 0, sizeof *in);
	int64_t minutes;
	if (!webutil_int(web_form(r, "menit") ? web_form(r, "menit") : "", 1, 1440, &minutes))
		return T(r, "Give the minutes between two checks, 1 to 1440.");
	in->period = minutes * 60;
	if (!lines(web_form(r, "halaman"), keep1, paths, 50, &in->n_paths) ||
	    !lines(web_form(r, "wilayah"), keep2, regions, 50, &in->n_regions))
		return T(r, "At most 50 lines in each list.");
	in->paths = paths;
	in->regions = regions;
	in->sitemap = web_form(r, "sitemap") != NULL;
	return NULL;
}

void page_monitor_new_form(web_req *r, web_res *res)
{
	if (keeper(r, res))
		form_page(r, res, NULL, NULL);
}

void page_monitor_new(web_req *r, web_res *res)
{
	if (!keeper(r, res))
		return;
	monitor_site_in in;
	const char *paths[64], *regions[64];
	char *k1 = NULL, *k2 = NULL;
	sg_err e = {0};
	const char *bad = read_form(r, &in, paths, regions, &k1, &k2);
	const char *target = web_form(r, "sasaran");
	char *url = NULL;
	int64_t id = 0;
	if (!bad) { /* "ASSET URL": a choice of the list */
		url = target ? strchr(target, ' ') : NULL;
		char num_part[24] = "";
		if (target && url && (size_t)(url - target) < sizeof num_part)
			memcpy(num_part, target, (size_t)(url - target));
		if (!target || !url || !webutil_int(num_part, 1, INT64_MAX, &in.asset_id))
			bad = T(r, "Choose a URL of the register.");
		else
			in.url = url + 1;
	}
	if (!bad && monitor_site_add(r->app, r->who.user, &in, &id, &e) == 0) {
		char loc[48];
		snprintf(loc, sizeof loc, "/pantau/%lld", (long long)id);
		web_redirect(res, loc);
	} else {
		res->status = bad ? 400 : web_status_of(&e);
		form_page(r, res, NULL, bad ? bad : web_err(r, &e));
	}
	free(k1);
	free(k2);
}

void page_monitor_edit_form(web_req *r, web_res *res)
{
	int64_t id;
	sg_err e = {0};
	json_t *s = path_id(r, &id) ? monitor_site_get(r->app, r->who.user, id, &e) : NULL;
	if (!s)
		return not_found(r, res);
	if (keeper(r, res))
		form_page(r, res, s, NULL);
	json_decref(s);
}

void page_monitor_edit(web_req *r, web_res *res)
{
	int64_t id;
	sg_err e = {0};
	json_t *s = path_id(r, &id) ? monitor_site_get(r->app, r->who.user, id, &e) : NULL;
	if (!s)
		return not_found(r, res);
	if (!keeper(r, res)) {
		json_decref(s);
		return;
	}
	monitor_site_in in;
	const char *paths[64], *regions[64];
	char *k1 = NULL, *k2 = NULL;
	const char *bad = read_form(r, &in, paths, regions, &k1, &k2);
	if (!bad && monitor_site_edit(r->app, r->who.user, id, &in, &e) == 0) {
		char loc[48];
		snprintf(loc, sizeof loc, "/pantau/%lld", (long long)id);
		web_redirect(res, loc);
	} else {
		res->status = bad ? 400 : web_status_of(&e);
		form_page(r, res, s, bad ? bad : web_err(r, &e));
	}
	free(k1);
	free(k2);
	json_decref(s);
}

/* The actions of a site's page: each on a site the user reads (else 404),
 * back to the site's page with ok's notice, or a page saying why not. */
typedef int (*site_action)(web_req *r, int64_t id, sg_err *e);

static void act(web_req *r, web_res *res, site_action fn, const char *ok)
{
	int64_t id;
	sg_err e = {0};
	json_t *s = path_id(r, &id) ? monitor_site_get(r->app, r->who.user, id, &e) : NULL;
	if (!s)
		return not_found(r, res);
	json_decref(s);
	if (fn(r, id, &e) != 0) {
		html_message_page(r, res, web_status_of(&e), T(r, "Website monitor"), web_err(r, &e));
		return;
	}
	char loc[80];
	snprintf(loc, sizeof loc, "/pantau/%lld%s%s", (long long)id, ok ? "?ok=" : "", ok ? ok : "");
	web_redirect(res, loc);
}

static int set_status(web_req *r, int64_t id, sg_err *e)
{
	const char *on = web_form(r, "aktif");
	if (!on || (strcmp(on, "0") != 0 && strcmp(on, "1") != 0))
		return sg_err_set(e, SG_EINVAL, "aktif must be 0 or 1");
	return monitor_site_enable(r->app, r->who.user, id, strcmp(on, "1") == 0, e);
}

static int check_now(web_req *r, int64_t id, sg_err *e)
{
	monitor_result m;
	char node[200];
	monitor_node_name(node, sizeof node);
	return monitor_site_check_now(r->app, r->who.user, id, node, &m, e);
}

static int accept_pages(web_req *r, int64_t id, sg_err *e)
{
	int pages = 0;
	return monitor_baseline_accept(r->app, r->who.user, id, &pages, e);
}

void page_monitor_status(web_req *r, web_res *res)
{
	act(r, res, set_status, NULL);
}

void page_monitor_check(web_req *r, web_res *res)
{
	act(r, res, check_now, "periksa");
}

void page_monitor_baseline(web_req *r, web_res *res)
{
	act(r, res, accept_pages, "baseline");
}
