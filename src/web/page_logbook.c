/*
 * page_logbook.c: the cyber security logbook (Logbook Keamanan Siber):
 * the chain check on top, then the entries as sentences
 * (logbook_text.c), newest first, filtered by actor, kind of action,
 * object or ticket and dates, a page at a time.
 *
 * Parameters: pelaku (a user name), jenis (case, alert, ioc, sop, user,
 * token, or a whole action such as case.step), objek (a ticket, or an
 * object such as user:rina), dari and sampai (dates, whole days in the
 * configured zone), hal (page, from 1) and per (entries a page, 1 to
 * 1000; 50).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "logbook_text.h"
#include "webutil.h"

enum { LOGBOOK_PAGE = 50 };

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void chain(web_req *r, web_res *res)
{
	sg_err e = {0};
	logbook_report rep;
	int whole = logbook_verify(r->app, &rep, &e);
	char msg[1400];
	if (whole == 0) {
		snprintf(msg, sizeof msg, "%s (%lld %s; %s %.16s…)", T(r, "The chain is whole"),
		         (long long)rep.entries, T(r, "entries"), T(r, "head"), rep.head);
		hraw(res, "<p class=\"notice ok\" id=\"chain\" role=\"status\">");
	} else {
		snprintf(msg, sizeof msg, "%s %lld: %s", T(r, "The chain is broken at entry"),
		         (long long)rep.broken_seq, rep.reason[0] ? rep.reason : web_err(r, &e));
		hraw(res, "<p class=\"notice error\" id=\"chain\" role=\"alert\">");
	}
	h(res, msg);
	hraw(res, "</p>");
}

static void filter_form(const web_req *r, web_res *res)
{
	hraw(res, "<form method=\"get\" action=\"/logbook\" class=\"filters\">");
	html_query_input(r, res, "pelaku", T(r, "Actor"), "text");
	const char *kind = web_query(r, "jenis");
	hraw(res, "<div class=\"field\"><label for=\"q-jenis\">");
	h(res, T(r, "Kind of action"));
	hraw(res, "</label><select id=\"q-jenis\" name=\"jenis\"><option value=\"\">");
	h(res, T(r, "(all)"));
	hraw(res, "</option>");
	const char *labels[] = {T(r, "Cases"), T(r, "Alerts"),     T(r, "Indicators"),
	                        T(r, "Vulnerabilities"), T(r, "SOPs"), T(r, "Users"),
	                        T(r, "API tokens"), T(r, "OPDs"),  T(r, "Assets")};
	_Static_assert(sizeof labels / sizeof labels[0] == LOGBOOK_N_KINDS,
	               "a label for every kind of logbook_kinds");
	for (size_t i = 0; logbook_kinds[i]; i++) {
		hprintf(res, "<option value=\"%s\"%s>", logbook_kinds[i],
		        kind && strcmp(kind, logbook_kinds[i]) == 0 ? " selected" : "");
		h(res, labels[i]);
		hraw(res, "</option>");
	}
	hraw(res, "</select></div>");
	html_query_input(r, res, "objek", T(r, "Ticket or object"), "text");
	html_query_input(r, res, "dari", T(r, "From"), "date");
	html_query_input(r, res, "sampai", T(r, "Until"), "date");
	hraw(res, "<div class=\"field buttons\"><button type=\"submit\">");
	h(res, T(r, "Filter"));
	hraw(res, "</button> <a href=\"/logbook\">");
	h(res, T(r, "Reset"));
	hraw(res, "</a></div></form>\n");
}

/* The current query with hal= replaced, for the pager links. */
/* The filter of the query; -1 with a message naming the bad parameter. */
static int read_filter(const web_req *r, logbook_filter *f, char *object, size_t n, sg_err *e)
{
	memset(f, 0, sizeof *f);
	int64_t per = LOGBOOK_PAGE, page = 1;
	const char *v;
	if ((v = web_query(r, "per")) && *v && !webutil_int(v, 1, 1000, &per))
		return sg_err_set(e, SG_EINVAL, "%s must be 1 to %d", "per", 1000);
	if ((v = web_query(r, "hal")) && *v && !webutil_int(v, 1, 1000000, &page))
		return sg_err_set(e, SG_EINVAL, "%s must be 1 to %d", "hal", 1000000);
	f->limit = (int)per;
	f->offset = (int)((page - 1) * per);
	f->viewer = r->who.user;
	f->actor = web_query(r, "pelaku");
	f->kind = web_query(r, "jenis");
	if ((v = web_query(r, "objek")) && *v) {
		/* A ticket alone means its case. */
		snprintf(object, n, "%s%s", strchr(v, ':') ? "" : "case:", v);
		f->object = object;
	}
	const civil_zone *z = r->app->cfg.cal.zone;
	if ((v = web_query(r, "dari")) && *v && civil_parse(v, z, &f->from) != 0)
		return sg_err_set(e, SG_EINVAL, "%s must be a date such as 2026-11-23", "dari");
	if ((v = web_query(r, "sampai")) && *v) {
		if (civil_parse(v, z, &f->to) != 0)
			return sg_err_set(e, SG_EINVAL, "%s must be a date such as 2026-11-23",
			                  "sampai");
		f->to += 86400 - 1; /* a date includes its whole day */
	}
	return 0;
}

void html_logbook_table(const web_req *r, web_res *res, json_t *entries)
{
	hraw(res, "<div class=\"scroll\">");
	html_thead(res, "list logbook", "#", T(r, "Time"), T(r, "Entry"), T(r, "Object"), NULL);
	size_t i;
	json_t *en;
	json_array_foreach (entries, i, en) {
		const char *obj = str(en, "object");
		hprintf(res, "<tr><td>%lld</td><td>",
		        (long long)json_integer_value(json_object_get(en, "seq")));
		html_time(r, res, json_integer_value(json_object_get(en, "at")));
		hraw(res, "</td><td class=\"sentence\" title=\"");
		h(res, str(en, "action"));
		hraw(res, "\">");
		html_logbook_sentence(r, res, en);
		hraw(res, "</td><td>");
		if (strncmp(obj, "case:", 5) == 0) {
			hraw(res, "<a href=\"/kasus/");
			h(res, obj + 5);
			hraw(res, "\">");
			h(res, obj + 5);
			hraw(res, "</a>");
		} else {
			h(res, obj);
		}
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table></div>");
}

void page_logbook(web_req *r, web_res *res)
{
	logbook_filter f;
	char object[200];
	sg_err e = {0};
	int64_t total = 0;
	json_t *entries = NULL;
	if (read_filter(r, &f, object, sizeof object, &e) != 0)
		res->status = 400;
	else if ((entries = logbook_query(r->app, &f, &total, &e)) == NULL)
		res->status = 500;
	html_begin(r, res, T(r, "Logbook"), NAV_LOGBOOK);
	hraw(res, "<h1>");
	h(res, T(r, "Cyber security logbook"));
	hraw(res, "</h1>");
	chain(r, res);
	filter_form(r, res);
	if (entries == NULL) {
		html_notice(res, "error", web_err(r, &e));
		html_end(r, res);
		return;
	}
	hraw(res, "<p class=\"count\" id=\"logbook-count\">");
	html_int(r, res, total);
	hraw(res, " ");
	h(res, T(r, "entries"));
	hraw(res, "</p>\n");
	html_logbook_table(r, res, entries);
	int64_t page = f.offset / f.limit + 1, pages = (total + f.limit - 1) / f.limit;
	if (pages > 1) {
		hraw(res, "<nav class=\"pager\">");
		if (page > 1)
			html_page_link(r, res, "/logbook", page - 1, T(r, "Previous"), "prev");
		hprintf(res, " <span>%lld / %lld</span> ", (long long)page, (long long)pages);
		if (page < pages)
			html_page_link(r, res, "/logbook", page + 1, T(r, "Next"), "next");
		hraw(res, "</nav>\n");
	}
	html_end(r, res);
	json_decref(entries);
}
