/*
 * page_case_findings.c: the findings linked to a case on its page
 * (app/finding_cases.c): the patch case's findings with their severity,
 * state and due date, each a link to its page (/kerentanan/{id}); on an
 * open CTI case, the form by which its vulnerability assessment (step 5)
 * links findings of the asset it checked, so that the FP/FN decision of
 * step 6 is taken with them in view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/findings.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* The kind of a link as the page says it. */
static const char *kind_label(const web_req *r, const char *kind)
{
	if (strcmp(kind, "patch") == 0)
		return T(r, "patched by this case");
	if (strcmp(kind, "assessment") == 0)
		return T(r, "vulnerability assessment");
	return T(r, "handed over");
}

/* The form linking findings to an open CTI case, for the CSIRT staff who
 * see it whole. */
static void link_form(const web_req *r, web_res *res, json_t *c)
{
	json_t *proc = json_object_get(c, "procedure");
	if (strcmp(str(proc, "id"), "cti") != 0 || strcmp(str(c, "status"), "open") != 0 ||
	    strcmp(str(c, "sight"), "full") != 0)
		return;
	hraw(res, "<form method=\"post\" class=\"inline\" action=\"/kasus/");
	h(res, str(c, "ticket"));
	hraw(res, "/temuan\">");
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"temuan\">");
	h(res, T(r, "Findings of the asset assessed (numbers)"));
	hraw(res, "</label><input id=\"temuan\" name=\"temuan\" required maxlength=\"2000\" "
	          "placeholder=\"FND-12 FND-13\" value=\"");
	h(res, web_form(r, "temuan"));
	hraw(res, "\"></div><button type=\"submit\">");
	h(res, T(r, "Link findings"));
	hraw(res, "</button></form>");
}

void page_case_findings_panel(const web_req *r, web_res *res, json_t *c)
{
	json_t *fs = json_object_get(c, "findings");
	bool cti_open = strcmp(str(json_object_get(c, "procedure"), "id"), "cti") == 0 &&
	                strcmp(str(c, "status"), "open") == 0 &&
	                strcmp(str(c, "sight"), "full") == 0;
	if (json_array_size(fs) == 0 && !cti_open)
		return;
	hraw(res, "<section class=\"panel\" id=\"temuan\"><h2>");
	h(res, T(r, "Vulnerability findings of this case"));
	hraw(res, "</h2>");
	if (json_array_size(fs)) {
		html_thead(res, "list", T(r, "Finding"), T(r, "Severity"), T(r, "State"),
		           T(r, "Asset"), T(r, "Link"), NULL);
		size_t i;
		json_t *f;
		json_array_foreach (fs, i, f) {
			long long id = (long long)json_integer_value(json_object_get(f, "id"));
			hprintf(res, "<tr><td><a href=\"/kerentanan/%lld\">FND-%lld</a> ", id, id);
			h(res, str(f, "title"));
			json_t *cves = json_object_get(f, "cves");
			if (json_array_size(cves)) {
				hraw(res, "<br><span class=\"muted\">");
				size_t k;
				json_t *cv;
				json_array_foreach (cves, k, cv) {
					if (k)
						hraw(res, ", ");
					h(res, json_string_value(cv));
				}
				hraw(res, "</span>");
			}
			hraw(res, "</td><td><span class=\"badge sev-");
			h(res, str(f, "severity"));
			hraw(res, "\">");
			h(res, str(f, "severity"));
			hraw(res, "</span></td><td>");
			h(res, str(f, "state"));
			if (json_is_true(json_object_get(f, "overdue"))) {
				hraw(res, " <span class=\"badge late\">");
				h(res, T(r, "Past due"));
				hraw(res, "</span>");
			}
			hraw(res, "</td><td>");
			json_t *as = json_object_get(f, "asset");
			h(res, json_is_object(as) ? str(as, "name") : "—");
			hraw(res, "</td><td>");
			h(res, kind_label(r, str(f, "kind")));
			hraw(res, "</td></tr>");
		}
		hraw(res, "</tbody></table>");
	}
	if (cti_open)
		link_form(r, res, c);
	hraw(res, "</section>\n");
}

/* Finding numbers typed in a form ("FND-12, 13 FND-14"), at most max;
 * -1 when one is not a number. */
static int parse_numbers(const char *s, int64_t *out, int max)
{
	int n = 0;
	while (*s) {
		s += strspn(s, " \t\r\n,;");
		if (*s == '\0')
			break;
		if (strncasecmp(s, "FND-", 4) == 0)
			s += 4;
		char *end;
		long long v = strtoll(s, &end, 10);
		if (end == s || v <= 0 || n == max || (*end && !strchr(" \t\r\n,;", *end)))
			return -1;
		out[n++] = v;
		s = end;
	}
	return n;
}

/* POST /kasus/{ticket}/temuan */
void page_case_findings_link(web_req *r, web_res *res)
{
	enum { MAX = 100 };
	int64_t ids[MAX];
	const char *typed = web_form(r, "temuan");
	int n = parse_numbers(typed ? typed : "", ids, MAX);
	sg_err e = {0};
	if (n <= 0)
		sg_err_set(&e, SG_EINVAL, "give 1 to %d finding numbers, such as FND-12", MAX);
	else if (finding_case_link(r->app, r->who.user, r->path_arg, ids, (size_t)n, &e) == 0) {
		char loc[128];
		snprintf(loc, sizeof loc, "/kasus/%s?ok=1#temuan", r->path_arg);
		web_redirect(res, loc);
		return;
	}
	res->status = web_status_of(&e);
	page_case_render(r, res, html_finding_err(r, &e), NULL);
}
