/*
 * page_detect.c: the pages of the CTI monitoring SOP's detection side:
 * the alert list with filters, an alert with its event and the triage
 * decision, "open a case" for chosen alerts, and the pages of a rule and
 * of an indicator with their hits over the last 30 days.
 */
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "chart.h"
#include "detect/sigma/correlate.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "server.h"
#include "webutil.h"

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static const char *const statuses[] = {"new", "triage", "false_positive", "true_positive", NULL};
static const char *const levels[] = {"informational", "low", "medium", "high", "critical", NULL};

static void option(web_res *res, const char *value, const char *label, const char *current)
{
	hraw(res, "<option value=\"");
	h(res, value);
	hraw(res, current && strcmp(current, value) == 0 ? "\" selected>" : "\">");
	h(res, label);
	hraw(res, "</option>");
}

/* The asset an alert belongs to, linked to its page (/aset/ID); the text
 * the event named when it matched no asset, marked so. */
static void asset_cell(web_req *r, web_res *res, json_t *a)
{
	json_int_t id = json_integer_value(json_object_get(a, "asset_id"));
	if (id > 0) {
		hprintf(res, "<a href=\"/aset/%lld\">", (long long)id);
		h(res, str(a, "asset_name"));
		hraw(res, "</a>");
		return;
	}
	h(res, str(a, "asset"));
	hraw(res, " <span class=\"badge\">");
	h(res, T(r, "no asset"));
	hraw(res, "</span>");
}

/* The alert table; with_select adds a check box a row (open a case). */
static void alert_table(web_req *r, web_res *res, json_t *alerts, bool with_select)
{
	if (json_array_size(alerts) == 0) {
		hraw(res, "<p class=\"empty\">");
		h(res, T(r, "No alerts."));
		hraw(res, "</p>");
		return;
	}
	html_thead(res, "list", with_select ? T(r, "Choose") : "#", T(r, "Alert"), T(r, "Level"),
	           T(r, "Status"), T(r, "Count"), T(r, "Last seen"), T(r, "Asset"), T(r, "Case"),
	           NULL);
	size_t i;
	json_t *a;
	json_array_foreach(alerts, i, a) {
		long long id = (long long)json_integer_value(json_object_get(a, "id"));
		if (with_select)
			hprintf(res,
			        "<tr><td><input type=\"checkbox\" name=\"alert\" value=\"%lld\" "
			        "aria-label=\"ALR-%lld\"></td>",
			        id, id);
		else
			hprintf(res, "<tr><td>ALR-%lld</td>", id);
		hprintf(res, "<td><a href=\"/peringatan/%lld\">", id);
		h(res, str(a, "title"));
		hraw(res, "</a></td><td>");
		html_alert_level(r, res, str(a, "level"));
		hraw(res, "</td><td>");
		h(res, html_alert_status(r, str(a, "status")));
		hraw(res, "</td><td class=\"num\">");
		html_int(r, res, json_integer_value(json_object_get(a, "count")));
		hraw(res, "</td><td>");
		html_time(r, res, json_integer_value(json_object_get(a, "last_seen")));
		hraw(res, "</td><td>");
		asset_cell(r, res, a);
		hraw(res, "</td><td>");
		if (*str(a, "case")) {
			hraw(res, "<a href=\"/kasus/");
			h(res, str(a, "case"));
			hraw(res, "\">");
			h(res, str(a, "case"));
			hraw(res, "</a>");
		}
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table>");
}

enum { PER_PAGE = 50 };

/* A pager link: the filters in q and one cursor (NULL: the first page). */
static void pager_link(web_res *res, const buf *q, const char *key, const char *cursor,
                       const char *label)
{
	hraw(res, "<a href=\"/peringatan?");
	if (cursor) {
		h(res, key);
		hraw(res, "=");
		h(res, cursor);
	}
	h(res, cursor ? buf_str(q) : buf_str(q) + (*buf_str(q) == '&'));
	hraw(res, "\">");
	h(res, label);
	hraw(res, "</a> ");
}

void page_alerts(web_req *r, web_res *res)
{
	const char *status = web_query(r, "status"), *level = web_query(r, "level");
	const char *asset = web_query(r, "asset"), *um = web_query(r, "unmatched");
	alert_filter f = {.status = status && *status ? status : NULL,
	                  .level = level && *level ? level : NULL,
	                  .asset = asset && *asset ? asset : NULL,
	                  .unmatched = um && *um && strcmp(um, "0") != 0,
	                  .limit = PER_PAGE,
	                  .brief = true,
	                  .viewer = r->who.user};
	bool triage = alert_may_triage(r->who.roles); /* an agen_siber reads only */
	/* the keyset pager: a page older or newer than an alert (its last
	 * seen and number); a cursor that does not read is the first page */
	if (!alert_cursor_parse(web_query(r, "after"), &f.after_seen, &f.after_id) &&
	    !alert_cursor_parse(web_query(r, "before"), &f.before_seen, &f.before_id))
		f.after_id = f.before_id = 0;
	sg_err e = {0};
	alert_pager pg = {0};
	json_t *alerts = alert_list(r->app, &f, &pg, &e);
	html_begin(r, res, T(r, "Alerts"), NAV_ALERTS);
	hraw(res, "<h1>");
	h(res, T(r, "Alerts"));
	hraw(res, "</h1><p class=\"lead\">");
	h(res, T(r, "Matches of the Sigma rules and threat indicators in the logs sigap receives. "
	            "Decide each one, or open a CTI case for those that need analysis."));
	hraw(res, "</p><form class=\"filters\" method=\"get\" action=\"/peringatan\"><label>");
	h(res, T(r, "Status"));
	hraw(res, " <select name=\"status\">");
	option(res, "", T(r, "(all)"), f.status);
	for (int i = 0; statuses[i]; i++)
		option(res, statuses[i], html_alert_status(r, statuses[i]), f.status);
	hraw(res, "</select></label><label>");
	h(res, T(r, "Level"));
	hraw(res, " <select name=\"level\">");
	option(res, "", T(r, "(all)"), f.level);
	for (int i = 0; levels[i]; i++)
		option(res, levels[i], html_alert_level_name(r, levels[i]), f.level);
	hraw(res, "</select></label><label>");
	h(res, T(r, "Asset"));
	hraw(res, " <input name=\"asset\" value=\"");
	h(res, f.asset ? f.asset : "");
	hraw(res, "\"></label><label><input type=\"checkbox\" name=\"unmatched\" value=\"1\"");
	hraw(res, f.unmatched ? " checked>" : ">");
	h(res, T(r, "No asset only"));
	hraw(res, "</label><button type=\"submit\">");
	h(res, T(r, "Show"));
	hraw(res, "</button></form>");
	if (alerts == NULL) {
		html_notice(res, "error", web_err(r, &e));
	} else {
		/* exact: the page filters by status, level and asset only, which
		 * the kept counts answer (alerts.c) */
		hraw(res, "<p class=\"total\">");
		html_int(r, res, pg.total);
		hraw(res, " ");
		h(res, T(r, "alerts"));
		hraw(res, "</p>");
		if (triage) {
			hraw(res, "<form method=\"post\" action=\"/peringatan/kasus\">");
			html_csrf(r, res);
		}
		alert_table(r, res, alerts, triage);
		if (triage && json_array_size(alerts)) {
			hraw(res, "<p><button type=\"submit\">");
			h(res, T(r, "Open a CTI case for the chosen alerts"));
			hraw(res, "</button></p>");
		}
		if (triage)
			hraw(res, "</form>");
		size_t n = json_array_size(alerts);
		if (n && (pg.older || pg.newer)) {
			hraw(res, "<nav class=\"pages\">");
			buf q = BUF_INIT;
			if (f.status) {
				buf_puts(&q, "&status=");
				webutil_urlencode(&q, f.status, false);
			}
			if (f.level) {
				buf_puts(&q, "&level=");
				webutil_urlencode(&q, f.level, false);
			}
			if (f.asset) {
				buf_puts(&q, "&asset=");
				webutil_urlencode(&q, f.asset, false);
			}
			if (f.unmatched)
				buf_puts(&q, "&unmatched=1");
			char cur[48];
			if (pg.newer) {
				pager_link(res, &q, NULL, NULL, T(r, "Newest"));
				alert_cursor(json_array_get(alerts, 0), cur, sizeof cur);
				pager_link(res, &q, "before", cur, T(r, "Previous"));
			}
			if (pg.older) {
				alert_cursor(json_array_get(alerts, n - 1), cur, sizeof cur);
				pager_link(res, &q, "after", cur, T(r, "Next"));
			}
			buf_free(&q);
			hraw(res, "</nav>");
		}
		json_decref(alerts);
	}
	html_end(r, res);
}

static void dl_row(web_res *res, const char *term, const char *value)
{
	hraw(res, "<dt>");
	h(res, term);
	hraw(res, "</dt><dd>");
	h(res, value);
	hraw(res, "</dd>");
}

/* A correlation's group, count and window, and its member events: when,
 * which member rule, and the alert each raised with its asset, source
 * address and event. */
static void correlation(web_req *r, web_res *res, json_t *c)
{
	if (!json_is_object(c))
		return;
	hprintf(res, "<section><h2>%s</h2><dl class=\"facts\">", T(r, "Correlation"));
	dl_row(res, T(r, "Type"), str(c, "type"));
	dl_row(res, T(r, "Group"), str(c, "group"));
	hraw(res, "<dt>");
	h(res, T(r, "Events"));
	hraw(res, "</dt><dd>");
	html_int(r, res, json_integer_value(json_object_get(c, "count")));
	hraw(res, " · ");
	html_time(r, res, json_integer_value(json_object_get(c, "first")));
	hraw(res, " – ");
	html_time(r, res, json_integer_value(json_object_get(c, "last")));
	hraw(res, "</dd></dl>");
	json_t *members = json_object_get(c, "members");
	if (json_array_size(members) == 0) {
		hraw(res, "</section>");
		return;
	}
	hprintf(res, "<h3>%s</h3>", T(r, "Member events"));
	html_thead(res, "list", T(r, "Time"), T(r, "Rule"), T(r, "Alert"), T(r, "Asset"),
	           T(r, "Source address"), T(r, "Event"), NULL);
	size_t i;
	json_t *m;
	json_array_foreach(members, i, m) {
		hraw(res, "<tr><td>");
		html_time(r, res, json_integer_value(json_object_get(m, "at")));
		hraw(res, "</td><td>");
		h(res, str(m, "rule"));
		hraw(res, "</td><td>");
		json_int_t id = json_integer_value(json_object_get(m, "alert"));
		json_t *d = json_object_get(m, "alert_detail");
		if (id > 0)
			hprintf(res, "<a href=\"/peringatan/%lld\">ALR-%lld</a>", (long long)id,
			        (long long)id);
		else
			hraw(res, "—");
		hraw(res, "</td><td>");
		h(res, *str(d, "asset") ? str(d, "asset") : "—");
		hraw(res, "</td><td>");
		h(res, *str(d, "source_ip") ? str(d, "source_ip") : "—");
		hraw(res, "</td><td><code>");
		h(res, *str(m, "event") ? str(m, "event") : str(d, "raw"));
		hraw(res, "</code></td></tr>");
	}
	hraw(res, "</tbody></table></section>");
}

static void triage_free(web_req *r, web_res *res, json_t *a);

static void alert_page(web_req *r, web_res *res, int64_t id, const char *error)
{
	sg_err e = {0};
	json_t *a = alert_get(r->app, id, r->who.user, &e);
	if (a == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Alert not found"), web_err(r, &e));
		return;
	}
	char title[64];
	snprintf(title, sizeof title, "ALR-%lld", (long long)id);
	html_begin(r, res, title, NAV_ALERTS);
	hprintf(res, "<p class=\"crumbs\"><a href=\"/peringatan\">%s</a> › ALR-%lld</p><h1>",
	        T(r, "Alerts"), (long long)id);
	h(res, str(a, "title"));
	hraw(res, "</h1>");
	if (error)
		html_notice(res, "error", error);
	hraw(res, "<dl class=\"facts\"><dt>");
	h(res, T(r, "Level"));
	hraw(res, "</dt><dd>");
	html_alert_level(r, res, str(a, "level"));
	hraw(res, "</dd>");
	dl_row(res, T(r, "Status"), html_alert_status(r, str(a, "status")));
	if (json_is_true(json_object_get(a, "reason_withheld"))) {
		/* decided by a case's verdict the viewer may not read */
		dl_row(res, T(r, "Reason"), T(r, "Decided by the verdict of a case you may not see."));
		dl_row(res, T(r, "Decided by"), str(a, "decided_by"));
	} else if (*str(a, "reason")) {
		dl_row(res, T(r, "Reason"), str(a, "reason"));
		dl_row(res, T(r, "Decided by"), str(a, "decided_by"));
	}
	hraw(res, "<dt>");
	h(res, T(r, "Seen"));
	hraw(res, "</dt><dd>");
	html_int(r, res, json_integer_value(json_object_get(a, "count")));
	hraw(res, " × · ");
	html_time(r, res, json_integer_value(json_object_get(a, "first_seen")));
	hraw(res, " – ");
	html_time(r, res, json_integer_value(json_object_get(a, "last_seen")));
	hraw(res, "</dd>");
	hraw(res, "<dt>");
	h(res, T(r, "Asset"));
	hraw(res, "</dt><dd>");
	asset_cell(r, res, a);
	hraw(res, "</dd>");
	if (json_integer_value(json_object_get(a, "asset_id")) > 0)
		dl_row(res, T(r, "Named in the event"), *str(a, "asset") ? str(a, "asset") : "-");
	dl_row(res, T(r, "Source address"), *str(a, "source_ip") ? str(a, "source_ip") : "-");
	const char *site = json_string_value(
	    json_object_get(json_object_get(json_object_get(a, "event"), "fields"), "site"));
	long long site_id = site ? strtoll(site, NULL, 10) : 0;
	if (strcmp(str(a, "kind"), "monitor") == 0 && site_id > 0) {
		/* the website monitor's finding: its site's page, not a rule's */
		hraw(res, "<dt>");
		h(res, T(r, "Watched website"));
		hprintf(res, "</dt><dd><a href=\"/pantau/%lld\">", site_id);
		h(res, str(a, "asset"));
		hraw(res, "</a></dd>");
	} else if (*str(a, "rule_id")) {
		hraw(res, "<dt>");
		h(res, T(r, "Rule"));
		hraw(res, "</dt><dd><a href=\"/aturan/");
		h(res, str(a, "rule_id"));
		hraw(res, "\">");
		h(res, str(a, "rule_id"));
		hraw(res, "</a></dd>");
	}
	size_t i;
	json_t *t;
	if (json_array_size(json_object_get(a, "tags"))) {
		hraw(res, "<dt>");
		h(res, T(r, "ATT&CK tags"));
		hraw(res, "</dt><dd>");
		json_array_foreach(json_object_get(a, "tags"), i, t) {
			hraw(res, i ? ", <code>" : "<code>");
			h(res, json_string_value(t));
			hraw(res, "</code>");
		}
		hraw(res, "</dd>");
	}
	json_array_foreach(json_object_get(a, "indicators"), i, t) {
		hraw(res, "<dt>");
		h(res, T(r, "Indicator"));
		hraw(res, "</dt><dd>");
		json_int_t iid = json_integer_value(json_object_get(t, "id"));
		if (iid)
			hprintf(res, "<a href=\"/indikator/%lld\">", (long long)iid);
		h(res, str(t, "type"));
		hraw(res, " ");
		h(res, str(t, "value"));
		hraw(res, iid ? "</a> (" : " (");
		h(res, str(t, "source"));
		hraw(res, ") ");
		html_tlp(res, str(t, "tlp"));
		hraw(res, "</dd>");
	}
	/* every case it belongs to: the CTI case and those handed over */
	json_array_foreach(json_object_get(a, "cases"), i, t) {
		hraw(res, "<dt>");
		h(res, T(r, "Case"));
		hraw(res, "</dt><dd><a href=\"/kasus/");
		h(res, str(t, "ticket"));
		hraw(res, "\">");
		h(res, str(t, "ticket"));
		hraw(res, "</a> ");
		h(res, str(t, "title"));
		hraw(res, " (");
		h(res, strcmp(str(t, "status"), "open") == 0 ? T(r, "open") : T(r, "closed"));
		hraw(res, ")</dd>");
	}
	hraw(res, "</dl>");

	if (!alert_may_triage(r->who.roles)) { /* an agen_siber: its OPD's, read-only */
		triage_free(r, res, a);
		return;
	}
	/* an alert of no asset: attach it (an officer's call) */
	if (json_integer_value(json_object_get(a, "asset_id")) <= 0) {
		hprintf(res,
		        "<section><h2>%s</h2><form method=\"post\" action=\"/peringatan/%lld/aset\">",
		        T(r, "Attach to an asset"), (long long)id);
		html_csrf(r, res);
		hraw(res, "<label for=\"asset\">");
		h(res, T(r, "Asset (its number, or type part of its name)"));
		hraw(res, "</label><input id=\"asset\" name=\"asset\" inputmode=\"numeric\" "
		          "list=\"asset-choices\" required>");
		page_asset_choices(r, res, "asset-choices");
		hraw(res, "<button type=\"submit\">");
		h(res, T(r, "Attach"));
		hraw(res, "</button></form></section>");
	}
	/* the decision */
	hprintf(res, "<section><h2>%s</h2><form method=\"post\" action=\"/peringatan/%lld/keputusan\">",
	        T(r, "Decision"), (long long)id);
	html_csrf(r, res);
	hraw(res, "<label for=\"status\">");
	h(res, T(r, "Status"));
	hraw(res, "</label><select id=\"status\" name=\"status\">");
	for (int k = 1; statuses[k]; k++)
		option(res, statuses[k], html_alert_status(r, statuses[k]), str(a, "status"));
	hraw(res, "</select><label for=\"reason\">");
	h(res, T(r, "Reason (needed for a false or true positive)"));
	hraw(res, "</label><textarea id=\"reason\" name=\"reason\" rows=\"3\" maxlength=\"4000\">");
	h(res, str(a, "reason"));
	hraw(res, "</textarea><button type=\"submit\">");
	h(res, T(r, "Save the decision"));
	hraw(res, "</button></form>");
	if (!*str(a, "case")) {
		hraw(res, "<form method=\"post\" action=\"/peringatan/kasus\">");
		html_csrf(r, res);
		hprintf(res, "<input type=\"hidden\" name=\"alert\" value=\"%lld\"><button type=\"submit\">",
		        (long long)id);
		h(res, T(r, "Open a CTI case"));
		hraw(res, "</button></form>");
	}
	hraw(res, "</section>");
	triage_free(r, res, a);
}

/* The rest of the alert page, the same for every reader: what made a
 * correlation fire, and the event; takes a over. */
static void triage_free(web_req *r, web_res *res, json_t *a)
{
	correlation(r, res, json_object_get(json_object_get(a, "event"), "correlation"));

	/* the event */
	json_t *ev = json_object_get(a, "event");
	bool monitor = strcmp(str(a, "kind"), "monitor") == 0;
	if (monitor) /* its sentence in the reader's language, not the raw English */
		page_monitor_alert(r, res, ev);
	hprintf(res, "<section><h2>%s</h2>", T(r, "Event"));
	if (!monitor) {
		hraw(res, "<pre class=\"event\">");
		h(res, str(ev, "raw"));
		hraw(res, "</pre>");
	}
	json_t *fields = json_object_get(ev, "fields");
	if (json_object_size(fields)) {
		html_thead(res, "list", T(r, "Field"), T(r, "Value"), NULL);
		const char *k;
		json_t *v;
		json_object_foreach(fields, k, v) {
			hraw(res, "<tr><td><code>");
			h(res, k);
			hraw(res, "</code></td><td>");
			h(res, json_string_value(v));
			hraw(res, "</td></tr>");
		}
		hraw(res, "</tbody></table>");
	}
	hraw(res, "</section>");
	json_decref(a);
	html_end(r, res);
}

static bool alert_id(web_req *r, web_res *res, int64_t *id)
{
	const char *s = r->path_arg ? r->path_arg : "";
	if (strncasecmp(s, "ALR-", 4) == 0)
		s += 4;
	if (webutil_int(s, 1, INT64_MAX, id))
		return true;
	html_message_page(r, res, 404, T(r, "Alert not found"), T(r, "There is no page at this address."));
	return false;
}

void page_alert(web_req *r, web_res *res)
{
	int64_t id;
	if (alert_id(r, res, &id))
		alert_page(r, res, id, NULL);
}

void page_alert_decide(web_req *r, web_res *res)
{
	int64_t id;
	if (!alert_id(r, res, &id))
		return;
	sg_err e = {0};
	const char *reason = web_form(r, "reason");
	if (alert_decide(r->app, r->who.user, id, web_form(r, "status"),
	                 reason && *reason ? reason : NULL, &e) != 0) {
		res->status = web_status_of(&e);
		alert_page(r, res, id, web_err(r, &e));
		return;
	}
	char to[64];
	snprintf(to, sizeof to, "/peringatan/%lld", (long long)id);
	web_redirect(res, to);
}

void page_alert_attach(web_req *r, web_res *res)
{
	int64_t id, asset = 0;
	if (!alert_id(r, res, &id))
		return;
	sg_err e = {0};
	const char *v = web_form(r, "asset");
	if (v == NULL || !webutil_int(v, 1, INT64_MAX, &asset))
		sg_err_set(&e, SG_EINVAL, "give the asset's number");
	if (asset == 0 || alert_attach(r->app, r->who.user, &id, 1, asset, &e) != 0) {
		res->status = web_status_of(&e);
		alert_page(r, res, id, web_err(r, &e));
		return;
	}
	char to[64];
	snprintf(to, sizeof to, "/peringatan/%lld", (long long)id);
	web_redirect(res, to);
}

void page_alert_case(web_req *r, web_res *res)
{
	int64_t ids[500];
	size_t n = 0;
	for (size_t i = 0; i < r->form.n && n < 500; i++)
		if (strcmp(r->form.v[i].name, "alert") == 0 &&
		    webutil_int(r->form.v[i].value, 1, INT64_MAX, &ids[n]))
			n++;
	sg_err e = {0};
	char ticket[32];
	if (n == 0) {
		html_message_page(r, res, 400, T(r, "Alerts"), T(r, "Choose one alert or more first."));
		return;
	}
	if (alert_open_case(r->app, r->who.user, ids, n, r->client, ticket, &e) != 0) {
		html_message_page(r, res, web_status_of(&e), T(r, "Alerts"), web_err(r, &e));
		return;
	}
	char to[64];
	snprintf(to, sizeof to, "/kasus/%s", ticket);
	web_redirect(res, to);
}

/* Hits per day of the last 30 days as bars, newest last. */
static void hits_chart(web_req *r, web_res *res, const char *ref)
{
	sg_err e = {0};
	int64_t now = app_now(r->app), day0 = now - 29 * 86400;
	day0 -= ((day0 % 86400) + 86400) % 86400;
	json_t *hits = alert_hits(r->app, ref, day0, 86400, &e);
	hprintf(res, "<section><h2>%s</h2>", T(r, "Hits over the last 30 days"));
	if (hits == NULL) {
		html_notice(res, "error", web_err(r, &e));
		hraw(res, "</section>");
		return;
	}
	chart_bar bars[30];
	char labels[30][32], texts[30][24];
	int64_t total = 0;
	for (int d = 0; d < 30; d++) {
		int64_t at = day0 + (int64_t)d * 86400, n = 0;
		size_t i;
		json_t *x;
		json_array_foreach(hits, i, x)
			if (json_integer_value(json_object_get(x, "at")) == at)
				n = json_integer_value(json_object_get(x, "hits"));
		total += n;
		static const civil_zone utc = {"UTC", "UTC", 0}; /* hits are counted by UTC day */
		civil c;
		civil_from_epoch(at, &utc, &c);
		snprintf(labels[d], sizeof labels[d], "%02d/%02d", c.day, c.month);
		snprintf(texts[d], sizeof texts[d], "%lld", (long long)n);
		bars[d] = (chart_bar){labels[d], (double)n, NULL, texts[d]};
	}
	json_decref(hits);
	hraw(res, "<p>");
	html_int(r, res, total);
	hraw(res, " ");
	h(res, T(r, "hits (UTC days)"));
	hraw(res, "</p>");
	chart_bars(res, T(r, "Hits over the last 30 days"), bars, 30, 0);
	hraw(res, "</section>");
}

static void recent_alerts(web_req *r, web_res *res, alert_filter *f)
{
	sg_err e = {0};
	f->limit = 20;
	f->brief = true;
	json_t *alerts = alert_list(r->app, f, NULL, &e);
	hprintf(res, "<section><h2>%s</h2>", T(r, "Latest alerts"));
	if (alerts == NULL)
		html_notice(res, "error", web_err(r, &e));
	else
		alert_table(r, res, alerts, false);
	json_decref(alerts);
	hraw(res, "</section>");
}

/* What a correlation rule counts: its type, member rules (each linked to
 * its own page), group-by fields, timespan and condition. */
static void correlation_facts(web_req *r, web_res *res, const det_rule *x)
{
	det_corr_info ci;
	det_corr_info_of(x, &ci);
	hraw(res, "<dt>");
	h(res, T(r, "Correlation"));
	hraw(res, "</dt><dd>");
	h(res, x->correlation);
	hraw(res, "</dd><dt>");
	h(res, T(r, "Correlated rules"));
	hraw(res, "</dt><dd><ul>");
	for (size_t i = 0; i < ci.n_members; i++) {
		const det_rule *m = ci.members[i];
		hraw(res, "<li>");
		if (m->id) {
			hraw(res, "<a href=\"/aturan/");
			h(res, m->id);
			hraw(res, "\">");
			h(res, m->title);
			hraw(res, "</a>");
		} else {
			h(res, m->title);
		}
		hraw(res, "</li>");
	}
	hraw(res, "</ul></dd>");
	for (size_t i = 0; i < ci.n_group; i++)
		dl_row(res, T(r, "Grouped by"), ci.group_by[i]);
	char text[160];
	snprintf(text, sizeof text, "%s %lld %s %lld s", ci.op, (long long)ci.count,
	         T(r, "within"), (long long)ci.timespan);
	if (ci.field) {
		size_t n = strlen(text);
		snprintf(text + n, sizeof text - n, " (%s: %s)", T(r, "distinct values of"), ci.field);
	}
	dl_row(res, T(r, "Condition"), text);
	dl_row(res, T(r, "Correlated rules report their own hits"),
	       ci.generate ? T(r, "yes") : T(r, "no"));
}

void page_rule(web_req *r, web_res *res)
{
	ingest *g = web_ingest();
	const det_rules *rs = g ? ingest_rules_hold(g) : NULL; /* a reload frees it after */
	const det_rule *x = api_find_rule(rs, r->path_arg);
	char ref[300];
	snprintf(ref, sizeof ref, "rule:%s", r->path_arg ? r->path_arg : "");
	html_begin(r, res, x ? x->title : T(r, "Rule"), NAV_ALERTS);
	hprintf(res, "<p class=\"crumbs\"><a href=\"/peringatan\">%s</a> › %s</p><h1>", T(r, "Alerts"),
	        T(r, "Rule"));
	h(res, x ? x->title : r->path_arg);
	hraw(res, "</h1>");
	if (x == NULL) {
		html_notice(res, "info", T(r, "This rule is not among the rules detection runs now; "
		                              "its past hits are shown."));
	} else {
		hraw(res, "<dl class=\"facts\">");
		dl_row(res, "ID", x->id ? x->id : "-");
		hraw(res, "<dt>");
		h(res, T(r, "Level"));
		hraw(res, "</dt><dd>");
		html_alert_level(r, res, x->level ? x->level : "medium");
		hraw(res, "</dd>");
		if (x->correlation)
			correlation_facts(r, res, x);
		if (x->description)
			dl_row(res, T(r, "Description"), x->description);
		if (x->author)
			dl_row(res, T(r, "Author"), x->author);
		char ls[200];
		snprintf(ls, sizeof ls, "%s / %s / %s", x->product ? x->product : "*",
		         x->category ? x->category : "*", x->service ? x->service : "*");
		if (x->correlation == NULL)
			dl_row(res, T(r, "Log source"), ls);
		for (size_t i = 0; i < x->n_tags; i++)
			dl_row(res, T(r, "ATT&CK tags"), x->tags[i]);
		for (size_t i = 0; i < x->n_falsepositives; i++)
			dl_row(res, T(r, "Known false positives"), x->falsepositives[i]);
		dl_row(res, T(r, "File"), x->file ? x->file : "-");
		hraw(res, "</dl>");
	}
	ingest_rules_drop(g, rs);
	hits_chart(r, res, ref);
	alert_filter f = {.rule_id = r->path_arg, .viewer = r->who.user};
	recent_alerts(r, res, &f);
	html_end(r, res);
}

void page_indicators(web_req *r, web_res *res)
{
	const char *q = web_query(r, "cari"), *type = web_query(r, "type");
	html_begin(r, res, T(r, "Threat indicators"), NAV_INDICATORS);
	hraw(res, "<h1>");
	h(res, T(r, "Threat indicators"));
	hraw(res, "</h1><p class=\"lead\">");
	h(res, T(r, "Addresses, ranges, domains, URLs, e-mail addresses and file hashes from the "
	            "imported feeds (sigap ioc import). Every event is checked against them."));
	hraw(res, "</p><form class=\"filters\" method=\"get\" action=\"/indikator\"><label>");
	h(res, T(r, "Search a value"));
	hraw(res, " <input name=\"cari\" value=\"");
	h(res, q ? q : "");
	hraw(res, "\" placeholder=\"login.evil.example\"></label><label>");
	h(res, T(r, "Type"));
	hraw(res, " <select name=\"type\">");
	static const char *const types[] = {"ipv4", "ipv6", "cidr", "domain", "url",
	                                    "email", "md5", "sha1", "sha256", NULL};
	option(res, "", T(r, "(all)"), type);
	for (int i = 0; types[i]; i++)
		option(res, types[i], types[i], type);
	hraw(res, "</select></label><button type=\"submit\">");
	h(res, T(r, "Show"));
	hraw(res, "</button></form>");
	sg_err e = {0};
	int64_t total = -1;
	json_t *rows;
	if (q && *q) {
		rows = ioc_search(r->app, q, &e);
	} else {
		ioc_filter f = {.type = type && *type ? type : NULL, .limit = 100};
		rows = ioc_list(r->app, &f, &total, &e);
	}
	if (rows == NULL) {
		html_notice(res, "error", web_err(r, &e));
	} else {
		if (total >= 0) {
			hraw(res, "<p>");
			html_int(r, res, total);
			hraw(res, " ");
			h(res, T(r, "indicators in force"));
			hraw(res, "</p>");
		} else if (json_array_size(rows) == 0) {
			html_notice(res, "info", T(r, "No stored indicator matches this value."));
		}
		if (json_array_size(rows)) {
			html_thead(res, "list", T(r, "Type"), T(r, "Value"), T(r, "Source"), "TLP",
			           T(r, "Confidence"), T(r, "Expires"), NULL);
			size_t i;
			json_t *x;
			json_array_foreach(rows, i, x) {
				hprintf(res, "<tr><td>%s</td><td><a href=\"/indikator/%lld\">", str(x, "type"),
				        (long long)json_integer_value(json_object_get(x, "id")));
				h(res, str(x, "value"));
				hraw(res, "</a></td><td>");
				h(res, str(x, "source"));
				hraw(res, "</td><td>");
				html_tlp(res, str(x, "tlp"));
				hraw(res, "</td><td class=\"num\">");
				if (json_is_integer(json_object_get(x, "confidence")))
					html_int(r, res, json_integer_value(json_object_get(x, "confidence")));
				hraw(res, "</td><td>");
				if (json_is_integer(json_object_get(x, "expires_at")))
					html_date(r, res, json_integer_value(json_object_get(x, "expires_at")));
				hraw(res, "</td></tr>");
			}
			hraw(res, "</tbody></table>");
		}
		json_decref(rows);
	}
	html_end(r, res);
}

void page_indicator(web_req *r, web_res *res)
{
	int64_t id;
	sg_err e = {0};
	json_t *x = webutil_int(r->path_arg ? r->path_arg : "", 1, INT64_MAX, &id)
	                ? ioc_get(r->app, id, &e)
	                : NULL;
	if (x == NULL) {
		html_message_page(r, res, 404, T(r, "Indicator not found"),
		                  T(r, "There is no page at this address."));
		return;
	}
	html_begin(r, res, str(x, "value"), NAV_INDICATORS);
	hprintf(res, "<p class=\"crumbs\"><a href=\"/indikator\">%s</a> › %s</p><h1>",
	        T(r, "Threat indicators"), str(x, "type"));
	h(res, str(x, "value"));
	hraw(res, "</h1><dl class=\"facts\">");
	dl_row(res, T(r, "Source"), str(x, "source"));
	hraw(res, "<dt>TLP</dt><dd>");
	html_tlp(res, str(x, "tlp"));
	hraw(res, "</dd>");
	if (*str(x, "description"))
		dl_row(res, T(r, "Description"), str(x, "description"));
	const char *keys[] = {"first_seen", "last_seen", "expires_at"};
	const char *labels[] = {T(r, "First seen"), T(r, "Last seen"), T(r, "Expires")};
	for (size_t i = 0; i < 3; i++) {
		json_t *t = json_object_get(x, keys[i]);
		if (!json_is_integer(t))
			continue;
		hraw(res, "<dt>");
		h(res, labels[i]);
		hraw(res, "</dt><dd>");
		html_time(r, res, json_integer_value(t));
		hraw(res, "</dd>");
	}
	hraw(res, "</dl>");
	char ref[48];
	snprintf(ref, sizeof ref, "indicator:%lld", (long long)id);
	hits_chart(r, res, ref);
	alert_filter f = {.indicator_id = id, .viewer = r->who.user};
	recent_alerts(r, res, &f);
	json_decref(x);
	html_end(r, res);
}
