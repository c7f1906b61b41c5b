/*
 * page_findings.c: the pages of vulnerability findings: /kerentanan, the
 * list with its filters (OPD, asset, severity, KEV, EPSS, state, overdue,
 * CVE, text), sorting and pages, and decisions on the chosen findings
 * together; a finding's page (/kerentanan/{id}) with its scores, KEV and
 * EPSS, CVEs, the scanner's text, its asset, the decision and its
 * history; the upload of a scanner report (/kerentanan/impor).
 *
 * What a user sees and may do is the app's answer (findings.c): the
 * CSIRT's staff see and decide everything, an agen_siber sees its OPD's
 * findings and decides none. Every value from a report goes through h():
 * a scanner's text is data from the scanned host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/findings.h"
#include "base/civil.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

enum { PER_PAGE = 50 };

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static const char *const severities[] = {"critical", "high", "medium", "low", "info", NULL};
static const char *const states[] = {"baru",          "terverifikasi",   "positif_palsu",
                                     "risiko_diterima", "dalam_perbaikan", "diperbaiki",
                                     "dibuka_kembali",  NULL};

static bool state_known(const char *s)
{
	for (size_t i = 0; states[i]; i++)
		if (strcmp(s, states[i]) == 0)
			return true;
	return false;
}

/* A severity as the alert levels' badge (info is "informational"). */
static void severity_badge(const web_req *r, web_res *res, const char *s)
{
	html_alert_level(r, res, strcmp(s, "info") == 0 ? "informational" : s);
}

static void option(web_res *res, const char *value, const char *label, const char *current)
{
	hraw(res, "<option value=\"");
	h(res, value);
	hraw(res, current && strcmp(current, value) == 0 ? "\" selected>" : "\">");
	h(res, label);
	hraw(res, "</option>");
}

/* A score with one decimal: 9,8 in Indonesian, 9.8 in English. */
static void score(const web_req *r, web_res *res, json_t *v)
{
	if (!json_is_number(v)) {
		hraw(res, "—");
		return;
	}
	char s[32];
	snprintf(s, sizeof s, "%.1f", json_number_value(v));
	char *dot = strchr(s, '.');
	if (dot && r->lang == LANG_ID)
		*dot = ',';
	h(res, s);
}

/* Whether the user may decide findings (the app says the same again). */
static bool may_decide(const web_req *r)
{
	sg_err e = {0};
	return finding_check_decider(r->app, r->who.user, &e) == 0;
}

/* Whether the user may print an OPD's report: the staff, any OPD's; an
 * agen_siber its own (page_vuln_report.c). */
static bool may_report(const web_req *r)
{
	sg_err e = {0};
	asset_scope s;
	return finding_check_staff(r->app, r->who.user, &e) == 0 ||
	       (asset_scope_of(r->app, r->who.user, &s, &e) == 0 && s.opd_id != 0);
}

static bool may_patch(const web_req *r)
{
	sg_err e = {0};
	return finding_patch_may_open(r->app, r->who.user, &e) == 0;
}

/* "KEV" (and "ransomware") badges of a finding, or nothing. */
static void kev_badges(const web_req *r, web_res *res, json_t *f)
{
	if (!json_is_true(json_object_get(f, "kev")))
		return;
	hraw(res, "<span class=\"badge late\" title=\"CISA KEV\">KEV</span>");
	if (json_is_true(json_object_get(f, "kev_ransomware"))) {
		hraw(res, " <span class=\"badge late\">");
		h(res, T(r, "ransomware"));
		hraw(res, "</span>");
	}
}

static void epss_cell(const web_req *r, web_res *res, json_t *f)
{
	json_t *x = json_object_get(f, "epss");
	if (json_is_number(x))
		html_percent(r, res, json_number_value(x));
	else
		hraw(res, "—");
}

/* The asset of a finding: a link to its page, or "tanpa aset" and the
 * host the scanner named. */
static void asset_cell(const web_req *r, web_res *res, json_t *f)
{
	json_t *a = json_object_get(f, "asset");
	if (json_is_object(a)) {
		hprintf(res, "<a href=\"/aset/%lld\">",
		        (long long)json_integer_value(json_object_get(a, "id")));
		h(res, str(a, "name"));
		hraw(res, "</a>");
		if (*str(a, "opd")) {
			hraw(res, " <span class=\"muted\">");
			h(res, str(a, "opd"));
			hraw(res, "</span>");
		}
	} else {
		hraw(res, "<span class=\"muted\">");
		h(res, T(r, "no asset"));
		hraw(res, "</span> ");
		h(res, str(f, "host"));
	}
}

static void due_cell(const web_req *r, web_res *res, json_t *f)
{
	json_t *d = json_object_get(f, "due_at");
	if (!json_is_integer(d)) {
		hraw(res, "—");
		return;
	}
	html_date(r, res, json_integer_value(d));
	if (json_is_true(json_object_get(f, "overdue"))) {
		hraw(res, " <span class=\"badge late\">");
		h(res, T(r, "overdue"));
		hraw(res, "</span>");
	}
}

static void findings_table(const web_req *r, web_res *res, json_t *list, bool select)
{
	hraw(res, "<div class=\"scroll\">");
	html_thead(res, "list findings", select ? T(r, "Choose") : "#", T(r, "Finding"),
	           T(r, "Severity"), "CVSS", "KEV", "EPSS", T(r, "State"), T(r, "Due"),
	           T(r, "Asset"), T(r, "Last seen"), NULL);
	size_t i;
	json_t *f;
	json_array_foreach(list, i, f) {
		long long id = (long long)json_integer_value(json_object_get(f, "id"));
		hprintf(res, "<tr%s><td>", json_is_true(json_object_get(f, "overdue")) ? " class=\"late\"" : "");
		if (select)
			hprintf(res,
			        "<input type=\"checkbox\" name=\"id\" value=\"%lld\" "
			        "aria-label=\"FND-%lld\">",
			        id, id);
		else
			hprintf(res, "FND-%lld", id);
		hprintf(res, "</td><td><a href=\"/kerentanan/%lld\">", id);
		h(res, str(f, "title"));
		hraw(res, "</a>");
		if (*str(f, "endpoint")) {
			hraw(res, " <span class=\"muted\">");
			h(res, str(f, "endpoint"));
			hraw(res, "</span>");
		}
		hraw(res, "</td><td>");
		severity_badge(r, res, str(f, "severity"));
		hraw(res, "</td><td class=\"num\">");
		json_t *s4 = json_object_get(f, "cvss4_score");
		score(r, res, json_is_number(s4) ? s4 : json_object_get(f, "cvss3_score"));
		hraw(res, "</td><td>");
		kev_badges(r, res, f);
		hraw(res, "</td><td class=\"num\">");
		epss_cell(r, res, f);
		hraw(res, "</td><td>");
		h(res, html_finding_state(r, str(f, "state")));
		hraw(res, "</td><td>");
		due_cell(r, res, f);
		hraw(res, "</td><td>");
		asset_cell(r, res, f);
		hraw(res, "</td><td>");
		html_date(r, res, json_integer_value(json_object_get(f, "last_seen")));
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table></div>");
}

/* The decision's fields: the new state (those of states, or every
 * state a decision may give), reason, and for risiko_diterima the expiry
 * and the approver. */
static void decision_fields(const web_req *r, web_res *res, const char *const *to, size_t n)
{
	hraw(res, "<div class=\"field\"><label for=\"d-state\">");
	h(res, T(r, "New state"));
	hraw(res, "</label><select id=\"d-state\" name=\"state\" required>");
	for (size_t i = 0; i < n; i++)
		option(res, to[i], html_finding_state(r, to[i]), NULL);
	hraw(res, "</select></div><div class=\"field\"><label for=\"d-reason\">");
	h(res, T(r, "Reason (needed for every state but Verified)"));
	hraw(res, "</label><textarea id=\"d-reason\" name=\"reason\" rows=\"2\" "
	          "maxlength=\"4000\"></textarea></div><fieldset><legend>");
	h(res, T(r, "Risk accepted: until when, approved by whom"));
	hraw(res, "</legend><div class=\"field\"><label for=\"d-until\">");
	h(res, T(r, "Accepted until"));
	hraw(res, "</label><input type=\"date\" id=\"d-until\" name=\"accepted_until\"></div>"
	          "<div class=\"field\"><label for=\"d-approver\">");
	h(res, T(r, "Approver (a kabid)"));
	hraw(res, "</label><input id=\"d-approver\" name=\"approver\" maxlength=\"64\"></div>"
	          "</fieldset>");
}

/* The decision a form carries, for ids; false with a message when a
 * value does not read. */
static bool decision_from_form(web_req *r, finding_decision *d, const int64_t *ids, size_t n,
                               const char **why)
{
	memset(d, 0, sizeof *d);
	d->ids = ids;
	d->n_ids = n;
	d->actor = r->who.user;
	d->state = web_form(r, "state");
	const char *reason = web_form(r, "reason"), *until = web_form(r, "accepted_until"),
	           *approver = web_form(r, "approver");
	d->reason = reason && *reason ? reason : NULL;
	d->approver = approver && *approver ? approver : NULL;
	if (until && *until && !findings_parse_until(r, until, &d->accepted_until)) {
		*why = T(r, "The expiry is a date (YYYY-MM-DD).");
		return false;
	}
	return true;
}

/* The state the list shows: the address's "state", open findings when
 * it names none (what needs acting on), NULL (every state) for "all". */
static const char *list_state(const web_req *r)
{
	const char *s = web_query(r, "state");
	if (s == NULL || *s == '\0')
		return "open";
	return strcmp(s, "all") == 0 ? NULL : s;
}

/* This list's address with its state replaced by state (no page). */
static void list_link(const web_req *r, web_res *res, const char *state)
{
	buf to = BUF_INIT;
	buf_puts(&to, "/kerentanan?");
	for (size_t i = 0; i < r->query.n; i++) {
		const char *n = r->query.v[i].name;
		if (strcmp(n, "state") == 0 || strcmp(n, "hal") == 0 || strcmp(n, "diputuskan") == 0 ||
		    strcmp(n, "status") == 0)
			continue;
		webutil_urlencode(&to, n, false);
		buf_putc(&to, '=');
		webutil_urlencode(&to, r->query.v[i].value, false);
		buf_putc(&to, '&');
	}
	buf_puts(&to, "state=");
	webutil_urlencode(&to, state, false);
	h(res, buf_str(&to));
	buf_free(&to);
}

static void filter_form(const web_req *r, web_res *res)
{
	hraw(res, "<form class=\"filters\" method=\"get\" action=\"/kerentanan\">");
	html_query_input(r, res, "q", T(r, "Search"), "search");
	/* the OPDs as a list to choose from (a typed abbreviation is kept) */
	sg_err e = {0};
	json_t *opds = opd_list(r->app, &e);
	const char *cur = web_query(r, "opd");
	hraw(res, "<div class=\"field\"><label for=\"q-opd\">OPD</label>"
	          "<select id=\"q-opd\" name=\"opd\">");
	option(res, "", T(r, "(all)"), cur);
	bool listed = cur == NULL || *cur == '\0';
	size_t n;
	json_t *o;
	json_array_foreach(opds, n, o) {
		option(res, str(o, "abbrev"), str(o, "abbrev"), cur);
		listed |= cur && strcasecmp(cur, str(o, "abbrev")) == 0;
	}
	if (!listed)
		option(res, cur, cur, cur);
	hraw(res, "</select></div>");
	json_decref(opds);
	html_query_input(r, res, "asset", T(r, "Asset number"), "number");
	html_query_input(r, res, "cve", "CVE", "text");
	hraw(res, "<div class=\"field\"><label for=\"q-min_severity\">");
	h(res, T(r, "Severity at least"));
	hraw(res, "</label><select id=\"q-min_severity\" name=\"min_severity\">");
	option(res, "", T(r, "(all)"), web_query(r, "min_severity"));
	for (int k = 0; severities[k]; k++)
		option(res, severities[k],
		       html_alert_level_name(r, strcmp(severities[k], "info") == 0 ? "informational"
		                                                                  : severities[k]),
		       web_query(r, "min_severity"));
	hraw(res, "</select></div><div class=\"field\"><label for=\"q-state\">");
	h(res, T(r, "State"));
	hraw(res, "</label><select id=\"q-state\" name=\"state\">");
	/* open findings unless the address says otherwise (list_state) */
	const char *st = list_state(r);
	st = st ? st : "all";
	option(res, "open", T(r, "Open (not fixed, not a false positive, not accepted)"), st);
	option(res, "all", T(r, "(all)"), st);
	for (int i = 0; states[i]; i++)
		option(res, states[i], html_finding_state(r, states[i]), st);
	hraw(res, "</select></div><div class=\"field\"><label for=\"q-kev\">CISA KEV</label>"
	          "<select id=\"q-kev\" name=\"kev\">");
	option(res, "", T(r, "(all)"), web_query(r, "kev"));
	option(res, "yes", T(r, "In KEV"), web_query(r, "kev"));
	option(res, "no", T(r, "Not in KEV"), web_query(r, "kev"));
	hraw(res, "</select></div><div class=\"field\"><label for=\"q-min_epss\">");
	h(res, T(r, "EPSS at least"));
	hraw(res, "</label><select id=\"q-min_epss\" name=\"min_epss\">");
	option(res, "", T(r, "(all)"), web_query(r, "min_epss"));
	static const char *const epss[][2] = {
	    {"0.01", "1%"}, {"0.1", "10%"}, {"0.5", "50%"}, {"0.9", "90%"}};
	for (int i = 0; i < 4; i++)
		option(res, epss[i][0], epss[i][1], web_query(r, "min_epss"));
	hraw(res, "</select></div><div class=\"field\"><label for=\"q-sort\">");
	h(res, T(r, "Sort by"));
	hraw(res, "</label><select id=\"q-sort\" name=\"sort\">");
	const char *sort = web_query(r, "sort");
	option(res, "due", T(r, "Due date"), sort);
	option(res, "severity", T(r, "Severity"), sort);
	option(res, "epss", T(r, "EPSS, highest first"), sort);
	option(res, "kev", T(r, "KEV first"), sort);
	option(res, "last_seen", T(r, "Last seen"), sort);
	option(res, "first_seen", T(r, "First seen"), sort);
	const char *od = web_query(r, "overdue");
	hprintf(res, "</select></div><div class=\"field\"><label class=\"check\"><input "
	             "type=\"checkbox\" name=\"overdue\" value=\"1\"%s> ",
	        od && strcmp(od, "1") == 0 ? " checked" : "");
	h(res, T(r, "Overdue only"));
	hraw(res, "</label></div><div class=\"field buttons\"><button type=\"submit\">");
	h(res, T(r, "Show"));
	hraw(res, "</button></div></form>");
}

/* The list page, with a notice above it (kind "error" or "ok"; NULL:
 * none). */
static void findings_page(web_req *r, web_res *res, const char *kind, const char *notice)
{
	finding_filter f;
	const char *why = NULL;
	bool ok = findings_filter_query(r, &f, &why);
	f.state = list_state(r);
	int64_t page = 1;
	const char *hal = web_query(r, "hal");
	if (hal && *hal && !webutil_int(hal, 1, 1000000, &page))
		page = 1;
	sg_err e = {0};
	int64_t total = 0, counts[5] = {0};
	json_t *list = NULL;
	if (ok && finding_counts(r->app, &f, counts, &e) == 0) {
		for (int i = 0; i < 5; i++)
			total += counts[i];
		/* a page past the end shows the last one (its number said) */
		int64_t pages = total ? (total + PER_PAGE - 1) / PER_PAGE : 1;
		if (page > pages)
			page = pages;
		f.limit = PER_PAGE;
		f.offset = (int)((page - 1) * PER_PAGE);
		list = finding_list(r->app, &f, NULL, &e);
	}
	bool decide = may_decide(r);
	html_begin(r, res, T(r, "Vulnerabilities"), NAV_FINDINGS);
	hraw(res, "<div class=\"titlebar\"><h1>");
	h(res, T(r, "Vulnerabilities"));
	hraw(res, "</h1>");
	if (may_report(r)) {
		hraw(res, "<a class=\"button secondary\" href=\"/kerentanan/laporan\" "
		          "id=\"opd-report\">");
		h(res, T(r, "Report of an OPD"));
		hraw(res, "</a>");
	}
	if (decide) {
		hraw(res, "<a class=\"button\" href=\"/kerentanan/impor\">");
		h(res, T(r, "Upload a scanner report"));
		hraw(res, "</a>");
	}
	hraw(res, "</div><p class=\"lead\">");
	h(res, T(r, "Findings of the scanners' reports on the assets, with CVSS, CISA KEV and "
	            "EPSS. Choose findings to decide them together."));
	hraw(res, "</p>");
	filter_form(r, res);
	if (notice)
		html_notice(res, kind, notice);
	if (list == NULL) {
		html_notice(res, "error", ok ? html_finding_err(r, &e) : T(r, "A filter's value is not valid."));
		html_end(r, res);
		return;
	}
	/* the count, and by severity, most severe first */
	hraw(res, "<p class=\"total\" id=\"findings-total\">");
	html_int(r, res, total);
	hraw(res, " ");
	bool open_only = f.state && strcmp(f.state, "open") == 0;
	if (open_only)
		h(res, total == 1 ? T(r, "open finding") : T(r, "open findings"));
	else
		h(res, total == 1 ? T(r, "finding") : T(r, "findings"));
	for (int i = 4; i >= 0 && total; i--) {
		if (counts[i] == 0)
			continue;
		hraw(res, " · ");
		severity_badge(r, res, finding_severity_name(i));
		hprintf(res, " <span data-severity=\"%s\">", finding_severity_name(i));
		html_int(r, res, counts[i]);
		hraw(res, "</span>");
	}
	hraw(res, "</p>");
	/* the default hides what is decided: say so, with the way to all */
	if (open_only) {
		hraw(res, "<p class=\"muted\" id=\"findings-open-only\">");
		h(res, T(r, "Open findings only: fixed ones, false positives and accepted risks are "
		            "not shown."));
		hraw(res, " <a id=\"findings-all-states\" href=\"");
		list_link(r, res, "all");
		hraw(res, "\">");
		h(res, T(r, "Show findings in every state"));
		hraw(res, "</a></p>");
	}
	if (json_array_size(list) == 0) {
		hraw(res, "<p class=\"empty\">");
		h(res, T(r, "No findings."));
		hraw(res, "</p>");
	} else if (decide) {
		/* the decision goes back to this address, filters and page kept,
		 * so a refusal shows the same list */
		hraw(res, "<form method=\"post\" action=\"/kerentanan");
		if (r->query.n) {
			buf q = BUF_INIT;
			for (size_t i = 0; i < r->query.n; i++) {
				buf_putc(&q, i ? '&' : '?');
				webutil_urlencode(&q, r->query.v[i].name, false);
				buf_putc(&q, '=');
				webutil_urlencode(&q, r->query.v[i].value, false);
			}
			h(res, buf_str(&q));
			buf_free(&q);
		}
		hraw(res, "\">");
		html_csrf(r, res);
		findings_table(r, res, list, true);
		hraw(res, "<section class=\"panel decide\"><h2>");
		h(res, T(r, "Decide the chosen findings"));
		hraw(res, "</h2>");
		decision_fields(r, res, states + 1, sizeof states / sizeof states[0] - 2);
		hraw(res, "<button type=\"submit\">");
		h(res, T(r, "Save the decision"));
		hraw(res, "</button></section>");
		if (may_patch(r)) {
			hraw(res, "<section class=\"panel\"><h2>");
			h(res, T(r, "Patch the chosen findings"));
			hraw(res, "</h2><p>");
			h(res, T(r, "Opens a patch case (SOP Implementasi Security Patch) for the "
			            "chosen findings of one asset, or of one software across the assets "
			            "of one OPD; they become Being fixed."));
			hraw(res, "</p><button type=\"submit\" formaction=\"/kerentanan/patch\">");
			h(res, T(r, "Start a patch case"));
			hraw(res, "</button></section>");
		}
		hraw(res, "</form>");
	} else {
		findings_table(r, res, list, false);
	}
	if (page > 1 || total > page * PER_PAGE) {
		hraw(res, "<nav class=\"pager\"><span id=\"findings-page\">");
		h(res, T(r, "Page"));
		hraw(res, " ");
		html_int(r, res, page);
		hraw(res, " ");
		h(res, T(r, "of"));
		hraw(res, " ");
		html_int(r, res, (total + PER_PAGE - 1) / PER_PAGE);
		hraw(res, "</span> ");
		if (page > 1)
			html_page_link(r, res, "/kerentanan", page - 1, T(r, "Previous"), "prev");
		if (total > page * PER_PAGE)
			html_page_link(r, res, "/kerentanan", page + 1, T(r, "Next"), "next");
		hraw(res, "</nav>");
	}
	json_decref(list);
	html_end(r, res);
}

void page_findings(web_req *r, web_res *res)
{
	/* after a decision (page_findings_decide's redirect) */
	int64_t n = 0;
	const char *done = web_query(r, "diputuskan"), *state = web_query(r, "status");
	if (done && state && webutil_int(done, 1, FINDING_BULK_MAX, &n) && state_known(state)) {
		char msg[300];
		snprintf(msg, sizeof msg, "%lld %s: %s.", (long long)n, T(r, "findings decided"),
		         html_finding_state(r, state));
		findings_page(r, res, "ok", msg);
		return;
	}
	findings_page(r, res, NULL, NULL);
}

/* The findings ticked on the list (the form's "id" fields that are
 * numbers), at most FINDING_BULK_MAX; their count. */
static size_t chosen_ids(const web_req *r, int64_t ids[FINDING_BULK_MAX])
{
	size_t n = 0;
	for (size_t i = 0; i < r->form.n && n < FINDING_BULK_MAX; i++)
		if (strcmp(r->form.v[i].name, "id") == 0 &&
		    webutil_int(r->form.v[i].value, 1, INT64_MAX, &ids[n]))
			n++;
	return n;
}

void page_findings_decide(web_req *r, web_res *res)
{
	int64_t ids[FINDING_BULK_MAX];
	/* each once: the notice counts the findings decided */
	size_t n = finding_ids_unique(ids, chosen_ids(r, ids));
	if (n == 0) {
		res->status = 400;
		findings_page(r, res, "error", T(r, "Choose one finding or more first."));
		return;
	}
	finding_decision d;
	const char *why = NULL;
	sg_err e = {0};
	if (!decision_from_form(r, &d, ids, n, &why)) {
		res->status = 400;
		findings_page(r, res, "error", why);
		return;
	}
	if (finding_decide(r->app, &d, &e) != 0) {
		res->status = web_status_of(&e);
		findings_page(r, res, "error", html_finding_err(r, &e));
		return;
	}
	/* back to the same list (filters and page kept) by a GET, so that a
	 * reload does not send the decision again; the notice says what was
	 * done from the address (diputuskan=N, status=STATE) */
	buf to = BUF_INIT;
	buf_puts(&to, "/kerentanan?");
	for (size_t i = 0; i < r->query.n; i++) {
		if (strcmp(r->query.v[i].name, "diputuskan") == 0 ||
		    strcmp(r->query.v[i].name, "status") == 0)
			continue;
		webutil_urlencode(&to, r->query.v[i].name, false);
		buf_putc(&to, '=');
		webutil_urlencode(&to, r->query.v[i].value, false);
		buf_putc(&to, '&');
	}
	buf_printf(&to, "diputuskan=%zu&status=", n);
	webutil_urlencode(&to, d.state, false);
	web_redirect(res, buf_str(&to));
	buf_free(&to);
}

/* POST /kerentanan/patch: a patch case for the chosen findings (from
 * the list or a finding's page); the case's page when it is open, else
 * the list with the refusal. */
void page_findings_patch(web_req *r, web_res *res)
{
	int64_t ids[FINDING_BULK_MAX];
	size_t n = chosen_ids(r, ids);
	if (n == 0) {
		res->status = 400;
		findings_page(r, res, "error", T(r, "Choose one finding or more first."));
		return;
	}
	char ticket[32];
	sg_err e = {0};
	if (finding_patch_open(r->app, r->who.user, ids, n, r->client, ticket, &e) != 0) {
		res->status = web_status_of(&e);
		findings_page(r, res, "error", html_finding_err(r, &e));
		return;
	}
	char to[64];
	snprintf(to, sizeof to, "/kasus/%s", ticket);
	web_redirect(res, to);
}

/* ---- one finding ---- */

static bool finding_id(web_req *r, web_res *res, int64_t *id)
{
	const char *s = r->path_arg ? r->path_arg : "";
	if (strncasecmp(s, "FND-", 4) == 0)
		s += 4;
	if (webutil_int(s, 1, INT64_MAX, id))
		return true;
	html_message_page(r, res, 404, T(r, "Finding not found"),
	                  T(r, "There is no page at this address."));
	return false;
}

/* A term of the facts list (already in the reader's language) and the
 * opening of its value. */
static void dt(web_res *res, const char *term)
{
	hraw(res, "<dt>");
	h(res, term);
	hraw(res, "</dt><dd>");
}

/* A CVSS score and its vector. */
static void cvss_row(const web_req *r, web_res *res, const char *label, json_t *sc,
                     const char *vector)
{
	if (!json_is_number(sc) && !*vector)
		return;
	hraw(res, "<dt>");
	h(res, label);
	hraw(res, "</dt><dd>");
	score(r, res, sc);
	if (*vector) {
		hraw(res, " <code>");
		h(res, vector);
		hraw(res, "</code>");
	}
	hraw(res, "</dd>");
}

/* The CVEs, each with what is stored of it: its record's title or
 * description and CVSS, its KEV entry, its EPSS score. */
static void cves_section(const web_req *r, web_res *res, json_t *f)
{
	json_t *intel = json_object_get(f, "cve_intel");
	if (json_array_size(intel) == 0)
		return;
	hraw(res, "<section><h2>CVE</h2><div class=\"scroll\">");
	html_thead(res, "list", "CVE", T(r, "Description"), "CVSS", "KEV", "EPSS", NULL);
	size_t i;
	json_t *c;
	json_array_foreach(intel, i, c) {
		json_t *rec = json_object_get(c, "record"), *kev = json_object_get(c, "kev"),
		       *ep = json_object_get(c, "epss");
		/* the CVE Program's own record; what sigap stored of it beside */
		hraw(res, "<tr><td><a href=\"https://www.cve.org/CVERecord?id=");
		h(res, str(c, "cve"));
		hraw(res, "\" rel=\"noopener noreferrer\" target=\"_blank\">");
		h(res, str(c, "cve"));
		hraw(res, "</a></td><td>");
		if (json_is_object(rec))
			h(res, *str(rec, "title") ? str(rec, "title") : str(rec, "description"));
		else {
			hraw(res, "<span class=\"muted\">");
			h(res, T(r, "no CVE record stored"));
			hraw(res, "</span>");
		}
		hraw(res, "</td><td class=\"num\">");
		json_t *cv = json_object_get(rec, "cvss");
		json_t *best = NULL;
		if (json_is_object(cv)) {
			static const char *const v[] = {"4.0", "3.1", "3.0", "2.0"};
			for (int k = 0; k < 4 && !best; k++)
				best = json_object_get(json_object_get(cv, v[k]), "score");
		}
		score(r, res, best);
		hraw(res, "</td><td>");
		if (json_is_object(kev)) {
			hraw(res, "<span class=\"badge late\">KEV</span> ");
			h(res, T(r, "due"));
			hraw(res, " ");
			html_day(r, res, str(kev, "due_date"));
			if (strcmp(str(kev, "ransomware"), "Known") == 0) {
				hraw(res, " <span class=\"badge late\">");
				h(res, T(r, "ransomware"));
				hraw(res, "</span>");
			}
		} else {
			hraw(res, "—");
		}
		hraw(res, "</td><td class=\"num\">");
		if (json_is_object(ep))
			html_percent(r, res, json_number_value(json_object_get(ep, "score")));
		else
			hraw(res, "—");
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table></div></section>");
}

/* A reason as the reader's language says it: the import writes its own
 * in English words with the import's number (findings_import.c: "no
 * longer present in import N", "seen again by import N", "... after its
 * risk acceptance expired"); an officer's reason is shown as written. */
static void reason_text(const web_req *r, web_res *res, const char *reason)
{
	long long n = 0;
	int used = 0;
	if (sscanf(reason, "no longer present in import %lld%n", &n, &used) == 1 &&
	    reason[used] == '\0') {
		h(res, T(r, "No longer present in import"));
		hprintf(res, " %lld", n);
		return;
	}
	used = 0;
	if (sscanf(reason, "seen again by import %lld%n", &n, &used) == 1) {
		if (reason[used] == '\0') {
			h(res, T(r, "Seen again by import"));
			hprintf(res, " %lld", n);
			return;
		}
		if (strcmp(reason + used, " after its risk acceptance expired") == 0) {
			h(res, T(r, "Seen again by import"));
			hprintf(res, " %lld ", n);
			h(res, T(r, "after its risk acceptance expired"));
			return;
		}
	}
	h(res, reason);
}

/* A history line that changed no state (the same state before and
 * after): what it did, across the two state columns, e.g. "Dikaitkan ke
 * aset SIMPUS (5)" for an attachment (findings.c records it with the
 * reason "attached to asset N"). Leaves the reason's cell open. */
static void history_change(const web_req *r, web_res *res, json_t *f, json_t *x)
{
	const char *reason = str(x, "reason");
	long long aid = 0;
	int used = 0;
	hraw(res, "<td colspan=\"2\" class=\"history-change\">");
	if (sscanf(reason, "attached to asset %lld%n", &aid, &used) == 1 &&
	    reason[used] == '\0') {
		h(res, T(r, "Attached to asset"));
		json_t *a = json_object_get(f, "asset");
		hprintf(res, " <a href=\"/aset/%lld\">", aid);
		if (json_is_object(a) && json_integer_value(json_object_get(a, "id")) == aid) {
			h(res, str(a, "name"));
			hprintf(res, " (%lld)", aid);
		} else {
			hprintf(res, "%lld", aid);
		}
		hraw(res, "</a></td><td>");
		return;
	}
	h(res, T(r, "State unchanged"));
	hraw(res, ": ");
	h(res, html_finding_state(r, str(x, "to")));
	hraw(res, "</td><td>");
	reason_text(r, res, reason);
}

static void history_section(const web_req *r, web_res *res, json_t *f)
{
	hraw(res, "<section><h2>");
	h(res, T(r, "History"));
	hraw(res, "</h2><div class=\"scroll\">");
	html_thead(res, "list", T(r, "Time"), T(r, "By"), T(r, "Before"), T(r, "After"),
	           T(r, "Reason"), NULL);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(f, "history"), i, x) {
		hraw(res, "<tr><td>");
		html_time(r, res, json_integer_value(json_object_get(x, "at")));
		hraw(res, "</td><td>");
		h(res, str(x, "actor"));
		hraw(res, "</td>");
		if (strcmp(str(x, "from"), str(x, "to")) == 0) {
			/* not a change of state: what changed instead */
			history_change(r, res, f, x);
			hraw(res, "</td></tr>");
			continue;
		}
		hraw(res, "<td>");
		h(res, *str(x, "from") ? html_finding_state(r, str(x, "from")) : "—");
		hraw(res, "</td><td>");
		h(res, html_finding_state(r, str(x, "to")));
		hraw(res, "</td><td>");
		reason_text(r, res, str(x, "reason"));
		if (json_is_integer(json_object_get(x, "import"))) {
			hprintf(res, " <span class=\"muted\">(%s %lld)</span>", T(r, "import"),
			        (long long)json_integer_value(json_object_get(x, "import")));
		}
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table></div></section>");
}

/* A link only to an http(s) address; anything else is shown as text. */
static void reference(web_res *res, const char *url)
{
	if (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) {
		hraw(res, "<a href=\"");
		h(res, url);
		hraw(res, "\" rel=\"noopener noreferrer\" target=\"_blank\">");
		h(res, url);
		hraw(res, "</a>");
	} else {
		h(res, url);
	}
}

static void finding_page(web_req *r, web_res *res, int64_t id, const char *kind,
                         const char *notice)
{
	sg_err e = {0};
	json_t *f = finding_get(r->app, id, r->who.user, &e);
	if (f == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Finding not found"), html_finding_err(r, &e));
		return;
	}
	bool decide = may_decide(r);
	char title[48];
	snprintf(title, sizeof title, "FND-%lld", (long long)id);
	html_begin(r, res, title, NAV_FINDINGS);
	hprintf(res, "<p class=\"crumbs\"><a href=\"/kerentanan\">%s</a> › FND-%lld</p><h1>",
	        T(r, "Vulnerabilities"), (long long)id);
	h(res, str(f, "title"));
	hraw(res, "</h1>");
	if (notice)
		html_notice(res, kind, notice);
	hraw(res, "<dl class=\"facts\">");
	dt(res, T(r, "Severity"));
	severity_badge(r, res, str(f, "severity"));
	hraw(res, "</dd>");
	cvss_row(r, res, "CVSS 4.0", json_object_get(f, "cvss4_score"), str(f, "cvss4_vector"));
	cvss_row(r, res, "CVSS 3.1", json_object_get(f, "cvss3_score"), str(f, "cvss3_vector"));
	if (json_is_true(json_object_get(f, "kev"))) {
		hraw(res, "<dt>CISA KEV</dt><dd>");
		kev_badges(r, res, f);
		hraw(res, " ");
		h(res, T(r, "added"));
		hraw(res, " ");
		html_day(r, res, str(f, "kev_date_added"));
		hraw(res, ", ");
		h(res, T(r, "due"));
		hraw(res, " ");
		html_day(r, res, str(f, "kev_due_date"));
		hraw(res, "</dd>");
	}
	if (json_is_number(json_object_get(f, "epss"))) {
		hraw(res, "<dt>EPSS</dt><dd>");
		epss_cell(r, res, f);
		hraw(res, " (");
		h(res, T(r, "percentile"));
		hraw(res, " ");
		html_percent(r, res, json_number_value(json_object_get(f, "epss_percentile")));
		hraw(res, ")</dd>");
	}
	dt(res, T(r, "State"));
	h(res, html_finding_state(r, str(f, "state")));
	if (*str(f, "state_reason")) {
		hraw(res, ": ");
		reason_text(r, res, str(f, "state_reason"));
	}
	if (*str(f, "state_by")) {
		hraw(res, " <span class=\"muted\">(");
		h(res, str(f, "state_by"));
		hraw(res, ")</span>");
	}
	hraw(res, "</dd>");
	if (json_is_integer(json_object_get(f, "accepted_until"))) {
		dt(res, T(r, "Accepted until"));
		html_date(r, res, json_integer_value(json_object_get(f, "accepted_until")));
		hraw(res, " · ");
		h(res, T(r, "approved by"));
		hraw(res, " ");
		h(res, str(f, "approved_by"));
		hraw(res, "</dd>");
	}
	dt(res, T(r, "Due"));
	due_cell(r, res, f);
	hraw(res, "</dd>");
	dt(res, T(r, "Asset"));
	asset_cell(r, res, f);
	hraw(res, "</dd>");
	dt(res, T(r, "Host"));
	h(res, str(f, "host"));
	if (*str(f, "hostname")) {
		hraw(res, " (");
		h(res, str(f, "hostname"));
		hraw(res, ")");
	}
	hraw(res, "</dd>");
	if (*str(f, "endpoint")) {
		dt(res, T(r, "Endpoint"));
		h(res, str(f, "endpoint"));
		hraw(res, "</dd>");
	}
	dt(res, T(r, "Identity"));
	hraw(res, "<code>");
	h(res, str(f, "vuln_key"));
	hraw(res, "</code> (");
	h(res, str(f, "scanner"));
	hraw(res, ")</dd>");
	if (*str(f, "cwe")) {
		hraw(res, "<dt>CWE</dt><dd>");
		h(res, str(f, "cwe"));
		hraw(res, "</dd>");
	}
	if (*str(f, "component")) {
		dt(res, T(r, "Software"));
		h(res, str(f, "component"));
		hraw(res, " ");
		h(res, str(f, "component_version"));
		hraw(res, "</dd>");
	}
	dt(res, T(r, "Seen"));
	html_int(r, res, json_integer_value(json_object_get(f, "times_seen")));
	hraw(res, " × · ");
	html_time(r, res, json_integer_value(json_object_get(f, "first_seen")));
	hraw(res, " – ");
	html_time(r, res, json_integer_value(json_object_get(f, "last_seen")));
	hraw(res, "</dd>");
	/* the report file: the staff's (it names every OPD's hosts); an
	 * agen_siber is shown its name without a link it could not open */
	json_t *li = json_object_get(f, "last_import");
	if (json_is_object(li) && !finding_report_readable(r->app, r->who.user)) {
		dt(res, T(r, "Report"));
		h(res, str(li, "filename"));
		hraw(res, "</dd>");
	} else if (json_is_object(li)) {
		dt(res, T(r, "Report"));
		hraw(res, "<a href=\"/bukti/");
		h(res, str(li, "sha256"));
		hraw(res, "\">");
		h(res, str(li, "filename"));
		hraw(res, "</a></dd>");
	}
	hraw(res, "</dl>");

	if (*str(f, "description")) {
		hraw(res, "<section><h2>");
		h(res, T(r, "Description"));
		hraw(res, "</h2><p class=\"uraian\">");
		h(res, str(f, "description"));
		hraw(res, "</p></section>");
	}
	if (*str(f, "solution")) {
		hraw(res, "<section><h2>");
		h(res, T(r, "Solution"));
		hraw(res, "</h2><p class=\"uraian\">");
		h(res, str(f, "solution"));
		hraw(res, "</p></section>");
	}
	json_t *refs = json_object_get(f, "refs");
	if (json_array_size(refs)) {
		hraw(res, "<section><h2>");
		h(res, T(r, "References"));
		hraw(res, "</h2><ul class=\"refs\">");
		size_t i;
		json_t *x;
		json_array_foreach(refs, i, x) {
			hraw(res, "<li>");
			reference(res, json_string_value(x) ? json_string_value(x) : "");
			hraw(res, "</li>");
		}
		hraw(res, "</ul></section>");
	}
	cves_section(r, res, f);
	if (*str(f, "evidence")) {
		hraw(res, "<section><h2>");
		h(res, T(r, "The scanner's evidence"));
		hraw(res, "</h2><pre class=\"event\">");
		h(res, str(f, "evidence"));
		hraw(res, "</pre></section>");
	}

	if (decide) {
		char to[200];
		finding_transitions(str(f, "state"), to, sizeof to);
		const char *v[8];
		size_t n = 0;
		for (char *tok = strtok(to, ", "); tok && n < 8; tok = strtok(NULL, ", "))
			v[n++] = tok;
		if (n) {
			hprintf(res,
			        "<section class=\"panel decide\"><h2>%s</h2><form method=\"post\" "
			        "action=\"/kerentanan/%lld/keputusan\">",
			        T(r, "Decision"), (long long)id);
			html_csrf(r, res);
			decision_fields(r, res, v, n);
			hraw(res, "<button type=\"submit\">");
			h(res, T(r, "Save the decision"));
			hraw(res, "</button></form></section>");
		}
		const char *st = str(f, "state");
		bool open = strcmp(st, "baru") == 0 || strcmp(st, "terverifikasi") == 0 ||
		            strcmp(st, "dibuka_kembali") == 0;
		if (open && json_is_object(json_object_get(f, "asset")) && may_patch(r)) {
			hprintf(res,
			        "<section class=\"panel\"><h2>%s</h2><form method=\"post\" "
			        "action=\"/kerentanan/patch\"><input type=\"hidden\" name=\"id\" "
			        "value=\"%lld\">",
			        T(r, "Patch"), (long long)id);
			html_csrf(r, res);
			hraw(res, "<button type=\"submit\">");
			h(res, T(r, "Start a patch case"));
			hraw(res, "</button></form></section>");
		}
		if (!json_is_object(json_object_get(f, "asset"))) {
			hprintf(res,
			        "<section class=\"panel\"><h2>%s</h2><form method=\"post\" "
			        "action=\"/kerentanan/%lld/aset\">",
			        T(r, "Attach to an asset"), (long long)id);
			html_csrf(r, res);
			hraw(res, "<div class=\"field\"><label for=\"a-asset\">");
			h(res, T(r, "Asset (its number, or type part of its name)"));
			hraw(res, "</label><input type=\"number\" min=\"1\" id=\"a-asset\" name=\"asset\" "
			          "list=\"a-asset-choices\" required>");
			page_asset_choices(r, res, "a-asset-choices");
			hraw(res, "</div><button type=\"submit\">");
			h(res, T(r, "Attach"));
			hraw(res, "</button></form></section>");
		}
	}
	history_section(r, res, f);
	json_decref(f);
	html_end(r, res);
}

void page_finding(web_req *r, web_res *res)
{
	int64_t id;
	if (finding_id(r, res, &id))
		finding_page(r, res, id, NULL, NULL);
}

void page_finding_decide(web_req *r, web_res *res)
{
	int64_t id;
	if (!finding_id(r, res, &id))
		return;
	finding_decision d;
	const char *why = NULL;
	sg_err e = {0};
	if (!decision_from_form(r, &d, &id, 1, &why)) {
		res->status = 400;
		finding_page(r, res, id, "error", why);
		return;
	}
	/* one the user may not see is not found, before anything is said of it */
	json_t *seen = finding_get(r->app, id, r->who.user, &e);
	if (seen == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Finding not found"), html_finding_err(r, &e));
		return;
	}
	json_decref(seen);
	if (finding_decide(r->app, &d, &e) != 0) {
		res->status = web_status_of(&e);
		finding_page(r, res, id, "error", html_finding_err(r, &e));
		return;
	}
	char to[64];
	snprintf(to, sizeof to, "/kerentanan/%lld", (long long)id);
	web_redirect(res, to);
}

void page_finding_attach(web_req *r, web_res *res)
{
	int64_t id, asset = 0;
	if (!finding_id(r, res, &id))
		return;
	sg_err e = {0};
	json_t *seen = finding_get(r->app, id, r->who.user, &e);
	if (seen == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Finding not found"), html_finding_err(r, &e));
		return;
	}
	json_decref(seen);
	if (!webutil_int(web_form(r, "asset"), 1, INT64_MAX, &asset)) {
		res->status = 400;
		finding_page(r, res, id, "error", T(r, "Give the asset's number."));
		return;
	}
	if (finding_attach(r->app, r->who.user, &id, 1, asset, &e) != 0) {
		res->status = web_status_of(&e);
		finding_page(r, res, id, "error", html_finding_err(r, &e));
		return;
	}
	/* merged into the asset's own finding of the same vulnerability:
	 * this one is gone, the list finds the other */
	e = (sg_err){0};
	json_t *still = finding_get(r->app, id, r->who.user, &e);
	char to[64];
	if (still)
		snprintf(to, sizeof to, "/kerentanan/%lld", (long long)id);
	else
		snprintf(to, sizeof to, "/kerentanan?asset=%lld", (long long)asset);
	json_decref(still);
	web_redirect(res, to);
}

/* ---- the upload ---- */

/* What the import's parser skipped, and why, by its scanner (docs/vuln.md). */
static const char *skipped_label(web_req *r, int64_t import_id)
{
	char sc[16] = "";
	sg_err e = {0};
	if (vuln_import_scanner(r->app, import_id, sc, sizeof sc, &e) != 0)
		sc[0] = '\0';
	if (strcmp(sc, "openvas") == 0)
		return T(r, "Skipped: results Greenbone marks False Positive, Debug or Error");
	if (strcmp(sc, "nmap") == 0)
		return T(r, "Skipped: hosts down and ports not open");
	if (strcmp(sc, "wpscan") == 0)
		return T(r, "Skipped: WPScan's interesting findings (headers, robots.txt, XML-RPC, "
		            "readme files) are observations, not vulnerabilities; they stay in the "
		            "kept report");
	return T(r, "Skipped by the parser");
}

static void import_page(web_req *r, web_res *res, const char *error, json_t *summary)
{
	html_begin(r, res, T(r, "Upload a scanner report"), NAV_FINDINGS);
	hprintf(res, "<p class=\"crumbs\"><a href=\"/kerentanan\">%s</a> › %s</p><h1>",
	        T(r, "Vulnerabilities"), T(r, "Upload"));
	h(res, T(r, "Upload a scanner report"));
	hraw(res, "</h1>");
	if (error)
		html_notice(res, "error", error);
	if (summary) {
		hraw(res, "<section class=\"panel\" id=\"import-summary\"><h2>");
		h(res, T(r, "Imported"));
		hraw(res, ": ");
		h(res, str(summary, "filename"));
		hraw(res, "</h2><dl class=\"facts\">");
		const char *const rows[][2] = {
		    {"results", T(r, "Results in the report")},
		    {"new", T(r, "New findings")},
		    {"seen_again", T(r, "Seen again")},
		    {"reopened", T(r, "Reopened")},
		    {"no_longer_present", T(r, "No longer present (now fixed)")},
		    {"unmatched", T(r, "Without an asset")},
		    {"repeated", T(r, "Repeated in the report")},
		    {"skipped", skipped_label(r, json_integer_value(json_object_get(summary, "import")))},
		    {"left_open_unscanned", T(r, "Left open: not scanned by this report")},
		    {"severity_unknown_as_info", T(r, "Severity not given or not known (stored as info)")}};
		for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
			hraw(res, "<dt>");
			h(res, rows[i][1]);
			hprintf(res, "</dt><dd data-count=\"%s\">", rows[i][0]);
			html_int(r, res, json_integer_value(json_object_get(summary, rows[i][0])));
			hraw(res, "</dd>");
		}
		hprintf(res, "</dl><p><a href=\"/kerentanan?sort=last_seen\">%s</a></p></section>",
		        T(r, "See the findings"));
	}
	hraw(res, "<form method=\"post\" action=\"/kerentanan/impor\" "
	          "enctype=\"multipart/form-data\" class=\"panel\">");
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"i-report\">");
	h(res, T(r, "Report file"));
	hraw(res, "</label><input type=\"file\" id=\"i-report\" name=\"report\" required>"
	          "<small id=\"i-report-limit\">");
	/* the limit, before a long upload is sent for nothing */
	long max = r->app->cfg.vuln_report_max;
	char size[32];
	if (max % (1024 * 1024) == 0)
		snprintf(size, sizeof size, "%ld MiB", max / (1024 * 1024));
	else
		snprintf(size, sizeof size, "%ld KiB", max / 1024);
	h(res, T(r, "At most"));
	hraw(res, " ");
	h(res, size);
	hraw(res, ". ");
	h(res, T(r, "A larger report is imported on the server with: sigap vuln import FILE"));
	hraw(res, "</small></div><div class=\"field\"><label for=\"i-scanner\">");
	h(res, T(r, "Scanner"));
	hraw(res, "</label><select id=\"i-scanner\" name=\"scanner\">");
	const char *sc = web_form(r, "scanner");
	option(res, "auto", T(r, "Recognise from the file"), sc);
	option(res, "openvas", "Greenbone / OpenVAS (XML, CSV)", sc);
	option(res, "nmap", "Nmap (XML)", sc);
	option(res, "nuclei", "Nuclei (JSON, JSON lines)", sc);
	option(res, "wpscan", "WPScan (JSON)", sc);
	hraw(res, "</select></div><div class=\"field\"><label for=\"i-asset\">");
	h(res, T(r, "Asset (optional: every result on this asset; its number, or type part of its name)"));
	hraw(res, "</label><input type=\"number\" min=\"1\" id=\"i-asset\" name=\"asset\" "
	          "list=\"i-asset-choices\">");
	page_asset_choices(r, res, "i-asset-choices");
	hraw(res, "</div><div class=\"field\"><label class=\"check\"><input type=\"checkbox\" "
	          "name=\"partial\" value=\"1\"> ");
	h(res, T(r, "A partial scan (some checks only): nothing is marked no longer present"));
	hraw(res, "</label></div><button type=\"submit\">");
	h(res, T(r, "Import"));
	hraw(res, "</button></form>");
	html_end(r, res);
}

bool gate_findings_import_page(web_req *r, web_res *res)
{
	sg_err e = {0};
	if (finding_check_staff(r->app, r->who.user, &e) == 0)
		return true;
	html_message_page(r, res, web_status_of(&e), T(r, "Request refused"), html_finding_err(r, &e));
	return false;
}

void page_findings_import_form(web_req *r, web_res *res)
{
	if (gate_findings_import_page(r, res))
		import_page(r, res, NULL, NULL);
}

void page_findings_import(web_req *r, web_res *res)
{
	vuln_import_req req = {.actor = r->who.user, .origin = r->client, .scanner = VULN_AUTO};
	const char *sc = web_form(r, "scanner"), *asset = web_form(r, "asset");
	web_file *f = (web_file *)web_file_get(r, "report");
	const char *why = NULL;
	if (sc && *sc && vuln_scanner_parse(sc, &req.scanner) != 0)
		why = T(r, "Choose a scanner from the list.");
	else if (asset && *asset && !webutil_int(asset, 1, INT64_MAX, &req.asset_id))
		why = T(r, "Give the asset's number.");
	else if (f == NULL || f->file.size == 0)
		why = T(r, "Choose the report file.");
	if (why) {
		res->status = 400;
		import_page(r, res, why, NULL);
		return;
	}
	const char *p = web_form(r, "partial");
	req.partial = p && *p;
	req.file = &f->file;
	req.filename = f->filename;
	vuln_import_summary s;
	sg_err e = {0};
	if (vuln_import_spooled(r->app, &req, &s, &e) != 0) {
		res->status = web_status_of(&e);
		import_page(r, res, html_finding_err(r, &e), NULL);
		return;
	}
	json_t *sum = findings_summary_json(&s, f->filename);
	import_page(r, res, NULL, sum);
	json_decref(sum);
}
