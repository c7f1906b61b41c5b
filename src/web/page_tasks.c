/*
 * page_tasks.c: "Tugas saya" (/tugas), what waits for the signed-in
 * user: steps of open cases done by a role the user holds and cases
 * assigned to the user, the most urgent first (app/tasks.c decides; this
 * draws), then the overdue findings waiting for the user (the patch SOP's
 * administrator, an OPD's agen_siber: app/finding_cases.c). The dashboard shows the first few of the same table.
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
	return json_string_value(json_object_get(o, k));
}

/* A step's description, cut after URAIAN_MAX bytes on a character
 * boundary (some SOP steps run to a paragraph; the title holds it all). */
static void uraian_short(web_res *res, const char *u)
{
	enum { URAIAN_MAX = 110 };
	if (u == NULL)
		return;
	size_t n = strlen(u);
	if (n <= URAIAN_MAX) {
		h(res, u);
		return;
	}
	size_t k = URAIAN_MAX;
	while (k > 0 && ((unsigned char)u[k] & 0xC0) == 0x80)
		k--;
	char cut[URAIAN_MAX + 8];
	memcpy(cut, u, k);
	memcpy(cut + k, "…", sizeof "…");
	h(res, cut);
}

void html_tasks_table(const web_req *r, web_res *res, json_t *tasks)
{
	if (json_array_size(tasks) == 0) {
		hraw(res, "<p class=\"empty\">");
		h(res, T(r, "Nothing waits for you."));
		hraw(res, "</p>");
		return;
	}
	hraw(res, "<div class=\"scroll\">");
	html_thead(res, "list tasks", T(r, "Ticket"), T(r, "Title"), T(r, "Step"), T(r, "Actor"),
	           T(r, "Due"), T(r, "Why"), NULL);
	size_t i;
	json_t *t;
	json_array_foreach (tasks, i, t) {
		json_t *st = json_object_get(t, "step");
		bool over = json_is_true(json_object_get(st, "overdue"));
		hprintf(res, "<tr%s><td><a href=\"/kasus/", over ? " class=\"late\"" : "");
		h(res, str(t, "ticket"));
		hraw(res, "#langkah\">");
		h(res, str(t, "ticket"));
		hraw(res, "</a></td><td>");
		h(res, str(t, "title"));
		hraw(res, "</td><td title=\"");
		h(res, str(st, "uraian"));
		hprintf(res, "\">%d. ", (int)json_integer_value(json_object_get(st, "no")));
		uraian_short(res, str(st, "uraian"));
		hraw(res, "</td><td>");
		h(res, str(st, "role_nama"));
		hraw(res, "</td><td>");
		if (json_object_get(st, "due_at")) {
			html_time(r, res, json_integer_value(json_object_get(st, "due_at")));
			if (over) {
				hraw(res, " <span class=\"badge late\">");
				h(res, T(r, "Past due"));
				hraw(res, "</span>");
			}
		} else {
			hraw(res, "<span class=\"muted\">");
			h(res, T(r, "no standard time"));
			hraw(res, "</span>");
		}
		hraw(res, "</td><td>");
		size_t k;
		json_t *why;
		json_array_foreach (json_object_get(t, "why"), k, why) {
			const char *w = json_string_value(why);
			hraw(res, "<span class=\"badge\">");
			h(res, strcmp(w, "role") == 0         ? T(r, "your role")
			       : strcmp(w, "unattended") == 0 ? T(r, "TLP:RED, nobody named can do it: assign it")
			                                      : T(r, "assigned to you"));
			hraw(res, "</span> ");
		}
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table></div>");
}

/* The overdue findings that wait for the user (the patch SOP's
 * administrator: all; an agen_siber: its OPD's), soonest due first, each
 * a link to its page. */
static void overdue_findings(const web_req *r, web_res *res, json_t *fs, int64_t total)
{
	hraw(res, "<h2 id=\"temuan-lewat\">");
	h(res, T(r, "Overdue vulnerability findings"));
	hraw(res, "</h2><div class=\"scroll\">");
	html_thead(res, "list tasks", T(r, "Finding"), T(r, "Severity"), T(r, "State"),
	           T(r, "Asset"), T(r, "Due"), NULL);
	size_t i;
	json_t *f;
	json_array_foreach (fs, i, f) {
		long long id = (long long)json_integer_value(json_object_get(f, "id"));
		hprintf(res, "<tr class=\"late\"><td><a href=\"/kerentanan/%lld\">FND-%lld</a> ", id,
		        id);
		h(res, str(f, "title"));
		hraw(res, "</td><td>");
		h(res, str(f, "severity"));
		hraw(res, "</td><td>");
		h(res, str(f, "state"));
		hraw(res, "</td><td>");
		json_t *as = json_object_get(f, "asset");
		h(res, json_is_object(as) ? str(as, "name") : "—");
		hraw(res, "</td><td>");
		html_time(r, res, json_integer_value(json_object_get(f, "due_at")));
		hraw(res, " <span class=\"badge late\">");
		h(res, T(r, "Past due"));
		hraw(res, "</span></td></tr>");
	}
	hraw(res, "</tbody></table></div>");
	if (total > (int64_t)json_array_size(fs)) {
		char msg[160];
		snprintf(msg, sizeof msg, "%s %zu / %lld.", T(r, "Showing the most urgent"),
		         json_array_size(fs), (long long)total);
		html_notice(res, "info", msg);
	}
}

/* The exceptions in force (or approved) that end within 30 days, for who
 * may ask for them to be changed (exceptions.c): each a link, with the
 * days left. */
static void ending_exceptions(const web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *l = exception_list(r->app, r->who.user, "segera", &e);
	json_t *xs = json_object_get(l, "exceptions");
	if (l == NULL || !json_is_true(json_object_get(l, "may_change")) || json_array_size(xs) == 0) {
		json_decref(l);
		return;
	}
	hraw(res, "<h2 id=\"pengecualian-berakhir\">");
	h(res, T(r, "Exceptions ending within 30 days"));
	hraw(res, "</h2><div class=\"scroll\">");
	html_thead(res, "list tasks", T(r, "Exception"), T(r, "Case"), T(r, "Until"),
	           T(r, "Days left"), NULL);
	size_t i;
	json_t *x;
	json_array_foreach (xs, i, x) {
		long long id = (long long)json_integer_value(json_object_get(x, "id"));
		long long left = (long long)json_integer_value(json_object_get(x, "days_left"));
		hprintf(res, "<tr%s><td><a href=\"/pengecualian/%lld\">%lld</a></td><td>",
		        left <= 7 ? " class=\"late\"" : "", id, id);
		h(res, str(json_object_get(x, "case"), "ticket"));
		hraw(res, " ");
		h(res, str(json_object_get(x, "case"), "title"));
		hraw(res, "</td><td>");
		html_day(r, res, str(x, "until"));
		hprintf(res, "</td><td>%lld</td></tr>", left);
	}
	hraw(res, "</tbody></table></div>");
	json_decref(l);
}

void page_tasks(web_req *r, web_res *res)
{
	sg_err e = {0};
	int64_t total = 0;
	json_t *tasks = tasks_count(r->app, r->who.user, r->who.roles, 0, &total, &e) == 0
	                    ? tasks_of(r->app, r->who.user, r->who.roles, 500, &e)
	                    : NULL;
	if (tasks == NULL) {
		html_message_page(r, res, 500, T(r, "My tasks"), web_err(r, &e));
		return;
	}
	html_begin(r, res, T(r, "My tasks"), NAV_TASKS);
	hraw(res, "<h1>");
	h(res, T(r, "My tasks"));
	hraw(res, "</h1><p class=\"muted\">");
	h(res, T(r, "Steps of open cases that wait for a role you hold, and cases assigned to "
	            "you, the most urgent first."));
	hraw(res, "</p>");
	int64_t n_findings = 0;
	json_t *findings = finding_tasks(r->app, r->who.user, r->who.roles, 500, &n_findings, &e);
	/* "nothing waits" only when no finding does either */
	if (json_array_size(tasks) || json_array_size(findings) == 0)
		html_tasks_table(r, res, tasks);
	if (json_array_size(findings))
		overdue_findings(r, res, findings, n_findings);
	total -= n_findings; /* the count holds both */
	json_decref(findings);
	ending_exceptions(r, res);
	if (total > (int64_t)json_array_size(tasks)) {
		char msg[160];
		snprintf(msg, sizeof msg, "%s %zu / %lld.", T(r, "Showing the most urgent"),
		         json_array_size(tasks), (long long)total);
		html_notice(res, "info", msg);
	}
	html_end(r, res);
	json_decref(tasks);
}
