/*
 * page_dashboard.c: the dashboard: open cases per SOP and step, steps
 * past or near their standard time, open cases by category and priority,
 * and SLA compliance per SOP over 30 and 90 days (app/dashboard.c
 * computes; this draws); for whoever sees findings, the vulnerability
 * tiles: open critical and high findings per OPD, open findings past due
 * (all severities) and the KEV ones among them
 * and the mean time to remediate per severity over 90 days as a chart
 * (app/dashboard_vuln.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"

enum { DASHBOARD_TASKS = 10 };

static void card(const web_req *r, web_res *res, const char *label, json_int_t n, const char *cls)
{
	hprintf(res, "<div class=\"card %s\"><span class=\"n\">", cls);
	html_int(r, res, n);
	hraw(res, "</span><span>");
	h(res, label);
	hraw(res, "</span></div>");
}

/* A chart of an object {label: count}; href_fmt takes the label. */
static void count_chart(const web_req *r, web_res *res, const char *title, json_t *counts,
                        const char *param)
{
	size_t n = json_object_size(counts);
	hraw(res, "<section class=\"panel\"><h2>");
	h(res, title);
	hraw(res, "</h2>");
	if (n == 0) {
		hraw(res, "<p class=\"empty\">");
		h(res, T(r, "No open cases."));
		hraw(res, "</p></section>");
		return;
	}
	chart_bar *bars = calloc(n, sizeof *bars);
	char(*texts)[24] = calloc(n, sizeof *texts);
	char(*hrefs)[160] = calloc(n, sizeof *hrefs);
	const char *key;
	json_t *v;
	size_t i = 0;
	json_object_foreach (counts, key, v) {
		snprintf(texts[i], sizeof texts[i], "%lld", (long long)json_integer_value(v));
		if (*key)
			snprintf(hrefs[i], sizeof hrefs[i], "/kasus?status=open&%s=%s", param, key);
		const char *label = !*key                        ? T(r, "(not yet set)")
		                    : strcmp(param, "kategori") == 0 ? html_enisa(r, key)
		                                                     : key;
		bars[i] =
		    (chart_bar){label, (double)json_integer_value(v),
		                *key ? hrefs[i] : NULL, texts[i]};
		i++;
	}
	chart_bars(res, title, bars, n, 0);
	free(bars);
	free(texts);
	free(hrefs);
	hraw(res, "</section>\n");
}

static void per_procedure(const web_req *r, web_res *res, json_t *by_proc)
{
	hraw(res, "<section class=\"panel wide\"><h2>");
	h(res, T(r, "Open cases per SOP and step"));
	hraw(res, "</h2>");
	if (json_object_size(by_proc) == 0) {
		hraw(res, "<p class=\"empty\">");
		h(res, T(r, "No open cases."));
		hraw(res, "</p>");
	}
	const char *pid;
	json_t *p;
	json_object_foreach (by_proc, pid, p) {
		json_t *steps = json_object_get(p, "steps");
		size_t n = json_object_size(steps);
		hraw(res, "<h3>");
		h(res, json_string_value(json_object_get(p, "nama")));
		hraw(res, " <small>(");
		html_int(r, res, json_integer_value(json_object_get(p, "total")));
		hraw(res, ")</small></h3>");
		chart_bar *bars = calloc(n, sizeof *bars);
		char(*labels)[64] = calloc(n, sizeof *labels);
		char(*texts)[24] = calloc(n, sizeof *texts);
		char(*hrefs)[200] = calloc(n, sizeof *hrefs);
		const char *no;
		json_t *s;
		size_t i = 0;
		json_object_foreach (steps, no, s) {
			const char *u = json_string_value(json_object_get(s, "uraian"));
			/* "5. Melakukan Kategorisasi…", cut on a character boundary */
			int w = snprintf(labels[i], sizeof labels[i], "%s. %s", no, u);
			if (w >= 44) {
				size_t k = 40;
				while (k > 0 && ((unsigned char)labels[i][k] & 0xC0) == 0x80)
					k--;
				memcpy(labels[i] + k, "…", 4);
			}
			snprintf(texts[i], sizeof texts[i], "%lld",
			         (long long)json_integer_value(json_object_get(s, "count")));
			snprintf(hrefs[i], sizeof hrefs[i],
			         "/kasus?status=open&prosedur=%s&langkah=%s", pid, no);
			bars[i] = (chart_bar){
			    labels[i], (double)json_integer_value(json_object_get(s, "count")),
			    hrefs[i], texts[i]};
			i++;
		}
		chart_bars(res, json_string_value(json_object_get(p, "nama")), bars, n, 0);
		free(bars);
		free(labels);
		free(texts);
		free(hrefs);
	}
	hraw(res, "</section>\n");
}

static void due_table(const web_req *r, web_res *res, json_t *due)
{
	hraw(res, "<section class=\"panel wide\"><h2>");
	h(res, T(r, "Steps past or near their standard time"));
	hraw(res, "</h2>");
	if (json_array_size(due) == 0) {
		hraw(res, "<p class=\"empty\">");
		h(res, T(r, "Every open step is within its standard time."));
		hraw(res, "</p></section>\n");
		return;
	}
	html_thead(res, "list", T(r, "Ticket"), T(r, "Title"), T(r, "Step"), T(r, "Due"),
	           T(r, "State"), NULL);
	size_t i;
	json_t *d;
	json_array_foreach (due, i, d) {
		bool over = json_is_true(json_object_get(d, "overdue"));
		const char *t = json_string_value(json_object_get(d, "ticket"));
		hraw(res, "<tr><td><a href=\"/kasus/");
		h(res, t);
		hraw(res, "\">");
		h(res, t);
		hraw(res, "</a></td><td>");
		h(res, json_string_value(json_object_get(d, "title")));
		hprintf(res, "</td><td>%d (", (int)json_integer_value(json_object_get(d, "step")));
		h(res, json_string_value(json_object_get(d, "role")));
		hraw(res, ")</td><td>");
		html_time(r, res, json_integer_value(json_object_get(d, "due_at")));
		hprintf(res, "</td><td><span class=\"badge %s\">", over ? "late" : "soon");
		h(res, over ? T(r, "Past due") : T(r, "Due soon"));
		hraw(res, "</span></td></tr>");
	}
	hraw(res, "</tbody></table></section>\n");
}

static void compliance(const web_req *r, web_res *res, json_t *comp)
{
	hraw(res, "<section class=\"panel wide\"><h2>");
	h(res, T(r, "SLA compliance per SOP"));
	hraw(res, "</h2>");
	html_thead(res, "list", "SOP", T(r, "30 days"), T(r, "90 days"), NULL);
	size_t n = json_array_size(comp), i;
	chart_bar *bars = calloc(n ? n : 1, sizeof *bars);
	char(*texts)[32] = calloc(n ? n : 1, sizeof *texts);
	json_t *c;
	json_array_foreach (comp, i, c) {
		hraw(res, "<tr><td>");
		h(res, json_string_value(json_object_get(c, "nama")));
		hraw(res, "</td>");
		for (int k = 0; k < 2; k++) {
			json_t *d = json_object_get(c, k == 0 ? "d30" : "d90");
			json_int_t runs = json_integer_value(json_object_get(d, "runs"));
			hraw(res, "<td>");
			if (runs == 0) {
				hraw(res, "<span class=\"muted\">");
				h(res, T(r, "no finished steps"));
				hraw(res, "</span>");
			} else {
				html_percent(r, res, json_real_value(json_object_get(d, "rate")));
				hraw(res, " <small>(");
				html_int(r, res, json_integer_value(json_object_get(d, "met")));
				hraw(res, "/");
				html_int(r, res, runs);
				hraw(res, ")</small>");
			}
			hraw(res, "</td>");
		}
		hraw(res, "</tr>");
		json_t *d30 = json_object_get(c, "d30");
		double rate = json_real_value(json_object_get(d30, "rate"));
		if (json_integer_value(json_object_get(d30, "runs")) == 0)
			snprintf(texts[i], sizeof texts[i], "—");
		else
			snprintf(texts[i], sizeof texts[i], "%.1f%%", rate * 100);
		if (r->lang == LANG_ID)
			for (char *p = texts[i]; *p; p++)
				if (*p == '.')
					*p = ',';
		bars[i] = (chart_bar){json_string_value(json_object_get(c, "sop")),
		                      json_integer_value(json_object_get(d30, "runs")) ? rate : 0,
		                      NULL, texts[i]};
	}
	hraw(res, "</tbody></table>");
	chart_bars(res, T(r, "SLA compliance over 30 days"), bars, n, 1.0);
	free(bars);
	free(texts);
	hraw(res, "</section>\n");
}

static const char *severity_label(const web_req *r, const char *s)
{
	return strcmp(s, "critical") == 0 ? T(r, "Critical")
	       : strcmp(s, "high") == 0   ? T(r, "High")
	       : strcmp(s, "medium") == 0 ? T(r, "Medium")
	                                  : T(r, "Low");
}

/* The vulnerability tiles' cards: open critical, open high, every open
 * finding past its due date, KEV past due. */
static void vuln_cards(const web_req *r, web_res *res, json_t *v)
{
	json_int_t crit = json_integer_value(json_object_get(v, "open_critical"));
	json_int_t high = json_integer_value(json_object_get(v, "open_high"));
	json_int_t kev = json_integer_value(json_object_get(v, "kev_overdue"));
	hraw(res, "<a class=\"card-link\" href=\"/kerentanan?state=open&amp;severity=critical\">");
	card(r, res, T(r, "open critical findings"), crit, crit ? "late" : "");
	hraw(res, "</a><a class=\"card-link\" href=\"/kerentanan?state=open&amp;severity=high\">");
	card(r, res, T(r, "open high findings"), high, "");
	json_int_t overdue = json_integer_value(json_object_get(v, "overdue"));
	hraw(res, "</a><a class=\"card-link\" id=\"kerentanan-lewat\" href=\"/kerentanan?overdue=1\">");
	card(r, res, T(r, "findings past due"), overdue, overdue ? "late" : "");
	hraw(res, "</a><a class=\"card-link\" href=\"/kerentanan?overdue=1&amp;kev=yes\">");
	card(r, res, T(r, "KEV findings past due"), kev, kev ? "late" : "");
	hraw(res, "</a>");
}

/* Open critical and high findings per OPD, each OPD with its report. */
static void vuln_per_opd(const web_req *r, web_res *res, json_t *v)
{
	hraw(res, "<section class=\"panel\" id=\"kerentanan-opd\"><h2>");
	h(res, T(r, "Open critical and high findings per OPD"));
	hraw(res, "</h2>");
	html_thead(res, "list", "OPD", T(r, "Critical"), T(r, "High"), T(r, "Report"), NULL);
	size_t i;
	json_t *o;
	json_array_foreach (json_object_get(v, "per_opd"), i, o) {
		const char *ab = json_string_value(json_object_get(o, "abbrev"));
		json_int_t c = json_integer_value(json_object_get(o, "critical"));
		json_int_t hi = json_integer_value(json_object_get(o, "high"));
		hraw(res, "<tr><td><abbr title=\"");
		h(res, json_string_value(json_object_get(o, "name")));
		hraw(res, "\">");
		h(res, ab);
		hraw(res, "</abbr></td><td><a href=\"/kerentanan?state=open&amp;severity=critical&amp;opd=");
		h(res, ab);
		hprintf(res, "\"%s>", c ? " class=\"late\"" : "");
		html_int(r, res, c);
		hraw(res, "</a></td><td><a href=\"/kerentanan?state=open&amp;severity=high&amp;opd=");
		h(res, ab);
		hraw(res, "\">");
		html_int(r, res, hi);
		hraw(res, "</a></td><td><a href=\"/kerentanan/laporan?opd=");
		h(res, ab);
		hraw(res, "\">");
		h(res, T(r, "Report"));
		hraw(res, "</a></td></tr>");
	}
	json_t *u = json_object_get(v, "unmatched");
	if (u) {
		hraw(res, "<tr><td><a href=\"/kerentanan?state=open&amp;unmatched=1\">");
		h(res, T(r, "(no asset)"));
		hraw(res, "</a></td><td>");
		html_int(r, res, json_integer_value(json_object_get(u, "critical")));
		hraw(res, "</td><td>");
		html_int(r, res, json_integer_value(json_object_get(u, "high")));
		hraw(res, "</td><td></td></tr>");
	}
	hraw(res, "</tbody></table></section>\n");
}

/* The mean time to remediate per severity, as a bar chart in days. */
static void vuln_mttr(const web_req *r, web_res *res, json_t *v)
{
	char title[160];
	snprintf(title, sizeof title, "%s (%lld %s)", T(r, "Mean time to remediate"),
	         (long long)json_integer_value(json_object_get(v, "mttr_days")), T(r, "days"));
	hraw(res, "<section class=\"panel\" id=\"kerentanan-mttr\"><h2>");
	h(res, title);
	hraw(res, "</h2>");
	json_t *m = json_object_get(v, "mttr");
	chart_bar bars[4];
	char texts[4][64];
	size_t n = 0;
	int64_t fixed = 0;
	json_t *x;
	size_t i;
	json_array_foreach (m, i, x) {
		if (n == 4)
			break;
		json_t *d = json_object_get(x, "mean_days");
		json_int_t k = json_integer_value(json_object_get(x, "fixed"));
		fixed += k;
		if (json_is_null(d))
			snprintf(texts[n], sizeof texts[n], "%s", T(r, "none fixed"));
		else
			snprintf(texts[n], sizeof texts[n], "%.1f %s (%lld %s)", json_real_value(d),
			         T(r, "days"), (long long)k, T(r, "fixed"));
		if (r->lang == LANG_ID)
			for (char *p = texts[n]; *p && *p != ' '; p++)
				if (*p == '.')
					*p = ',';
		bars[n] = (chart_bar){severity_label(r, json_string_value(json_object_get(x, "severity"))),
		                      json_is_null(d) ? 0 : json_real_value(d), NULL, texts[n]};
		n++;
	}
	if (fixed == 0) {
		hraw(res, "<p class=\"empty\">");
		h(res, T(r, "No finding was fixed in this period."));
		hraw(res, "</p>");
	}
	chart_bars(res, title, bars, n, 0);
	hraw(res, "</section>\n");
}

/* The first few of the user's tasks, with a link to all of them. */
static void my_tasks(web_req *r, web_res *res)
{
	sg_err e = {0};
	int64_t total = 0;
	json_t *tasks = tasks_count(r->app, r->who.user, r->who.roles, 0, &total, &e) == 0
	                    ? tasks_of(r->app, r->who.user, r->who.roles, DASHBOARD_TASKS, &e)
	                    : NULL;
	if (tasks == NULL)
		return;
	hraw(res, "<section class=\"panel wide\" id=\"tugas\"><h2>");
	h(res, T(r, "My tasks"));
	hraw(res, " <small>(");
	html_int(r, res, total);
	hraw(res, ")</small></h2>");
	html_tasks_table(r, res, tasks);
	if (total > 0) {
		hraw(res, "<p><a href=\"/tugas\">");
		h(res, T(r, "All my tasks"));
		hraw(res, "</a></p>");
	}
	hraw(res, "</section>\n");
	json_decref(tasks);
}

void page_dashboard(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *d = dashboard_get(r->app, r->who.user, &e);
	if (d == NULL) {
		html_message_page(r, res, 500, T(r, "Dashboard unavailable"), web_err(r, &e));
		return;
	}
	html_begin(r, res, T(r, "Dashboard"), NAV_DASHBOARD);
	hraw(res, "<h1>");
	h(res, T(r, "Dashboard"));
	hraw(res, "</h1><div class=\"cards\">");
	card(r, res, T(r, "open cases"), json_integer_value(json_object_get(d, "open")), "");
	card(r, res, T(r, "steps past due"), json_integer_value(json_object_get(d, "overdue")),
	     json_integer_value(json_object_get(d, "overdue")) ? "late" : "");
	card(r, res, T(r, "steps due within 4 hours"),
	     json_integer_value(json_object_get(d, "due_soon")), "");
	int64_t fresh, high;
	if (alert_may_triage(r->who.roles) &&
	    alert_undecided(r->app, &fresh, &high, &e) == 0) {
		hraw(res, "<a class=\"card-link\" href=\"/peringatan?status=new\">");
		card(r, res, T(r, "new alerts"), fresh, "");
		hraw(res, "</a><a class=\"card-link\" href=\"/peringatan?status=new&amp;level=high\">");
		card(r, res, T(r, "new alerts of level high or critical"), high, high ? "late" : "");
		hraw(res, "</a>");
	}
	json_t *vuln = json_object_get(d, "findings");
	if (json_is_object(vuln))
		vuln_cards(r, res, vuln);
	hraw(res, "</div>\n<div class=\"grid\">");
	my_tasks(r, res);
	if (json_is_object(vuln)) {
		vuln_per_opd(r, res, vuln);
		vuln_mttr(r, res, vuln);
	}
	due_table(r, res, json_object_get(d, "due"));
	per_procedure(r, res, json_object_get(d, "by_procedure"));
	count_chart(r, res, T(r, "Open cases by category"), json_object_get(d, "by_category"),
	            "kategori");
	count_chart(r, res, T(r, "Open cases by priority"), json_object_get(d, "by_priority"),
	            "prioritas");
	compliance(r, res, json_object_get(d, "compliance"));
	page_risk_panel(r, res);
	hraw(res, "</div>\n");
	html_end(r, res);
	json_decref(d);
}
