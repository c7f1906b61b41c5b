/*
 * page_policies.c: the library of policies on the web (app/policies.c,
 * policy_read.c).
 *
 *   GET  /kebijakan               the public: the policies in force with a
 *                                 published version; staff (signed in):
 *                                 every policy with its state and review
 *                                 (?publik=1 shows what the public sees)
 *   GET  /kebijakan/{id}          the public: the published text; staff:
 *                                 the published text, the versions, who
 *                                 in each OPD has read it, history;
 *                                 ?versi=N one version (its text, and the
 *                                 form to rewrite a draft sent back)
 *   GET  /kebijakan/{id}/beda     ?dari=N&ke=M: what changed, line by line
 *   POST /kebijakan/{id}/ubah     rewrites a draft sent back (versi, teks)
 *   POST /kebijakan/{id}/baca     "I have read it" for the published version
 *   POST /kebijakan/{id}/cabut    withdraws the policy (kabid, kepala_dinas)
 *
 * A policy is drafted, approved, ratified, published and evaluated on the
 * cases of SOP kebijakan, as the SOP runs. Texts are Markdown rendered
 * safely (markdown.c). Forms carry the CSRF token (request.c checks it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "markdown.h"
#include "webutil.h"

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static void not_found(web_req *r, web_res *res)
{
	html_message_page(r, res, 404, T(r, "Not found"), T(r, "There is no such policy."));
}

static bool path_id(web_req *r, int64_t *id)
{
	return webutil_int(r->path_arg ? r->path_arg : "", 1, INT64_MAX, id);
}

static const char *state_name(web_req *r, const char *s)
{
	return strcmp(s, "draf") == 0             ? T(r, "Draft (sent back)")
	       : strcmp(s, "diverifikasi") == 0   ? T(r, "Submitted for verification")
	       : strcmp(s, "disetujui") == 0      ? T(r, "Approved by the Kabid")
	       : strcmp(s, "disahkan") == 0       ? T(r, "Ratified")
	       : strcmp(s, "dipublikasikan") == 0 ? T(r, "Published")
	       : strcmp(s, "dicabut") == 0        ? T(r, "Withdrawn")
	                                          : s;
}

static const char *kind_name(web_req *r, const char *k)
{
	return strcmp(k, "standar") == 0    ? T(r, "Standard")
	       : strcmp(k, "prosedur") == 0 ? T(r, "Procedure")
	                                    : T(r, "Policy");
}

/* ---- /kebijakan ---- */

static void public_list(web_req *r, web_res *res, json_t *l)
{
	html_begin(r, res, T(r, "Information security policies"), NAV_POLICIES);
	hraw(res, "<h1>");
	h(res, T(r, "Information security policies"));
	hraw(res, "</h1><p>");
	h(res, T(r, "The information security policies, standards and procedures in force, as "
	            "ratified and published."));
	hraw(res, "</p>");
	size_t i;
	json_t *x;
	if (json_array_size(l) == 0) {
		hraw(res, "<p class=\"muted\">");
		h(res, T(r, "No policy is published yet."));
		hraw(res, "</p>");
	}
	hraw(res, "<ul class=\"plain\">");
	json_array_foreach(l, i, x) {
		hprintf(res, "<li><a href=\"/kebijakan/%lld\">",
		        (long long)json_integer_value(json_object_get(x, "id")));
		h(res, str(x, "title"));
		hraw(res, "</a> <span class=\"muted\">");
		h(res, kind_name(r, str(x, "kind")));
		hraw(res, "</span></li>");
	}
	hraw(res, "</ul>");
	html_end(r, res);
}

void page_policies(web_req *r, web_res *res)
{
	sg_err e = {0};
	const char *pub = web_query(r, "publik");
	bool public_view = !r->signed_in || (pub && *pub) || !policy_insider(r->app, r->who.user);
	json_t *l = policy_list(r->app, public_view, &e);
	if (l == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Policies"), web_err(r, &e));
		return;
	}
	if (public_view) {
		public_list(r, res, l);
		json_decref(l);
		return;
	}
	html_begin(r, res, T(r, "Policy library"), NAV_POLICIES);
	hraw(res, "<h1>");
	h(res, T(r, "Policy library"));
	hraw(res, "</h1><p>");
	h(res, T(r, "Policies are drafted, approved, ratified, published and evaluated on the "
	            "cases of SOP Pengelolaan Kebijakan Keamanan Informasi; a new policy starts as a "
	            "drafting case."));
	hraw(res, "</p><p><a class=\"button\" href=\"/kasus/baru?prosedur=kebijakan/penyusunan\">");
	h(res, T(r, "Draft a policy"));
	hraw(res, "</a> <a href=\"/kebijakan?publik=1\">");
	h(res, T(r, "What the public sees"));
	hraw(res, "</a></p>");
	if (json_array_size(l) == 0) {
		hraw(res, "<p class=\"muted\">");
		h(res, T(r, "The library is empty."));
		hraw(res, "</p>");
	} else {
		hraw(res, "<div class=\"scroll\">");
		html_thead(res, "list", T(r, "No."), T(r, "Title"), T(r, "Kind"), T(r, "Status"),
		           T(r, "Latest version"), T(r, "Published version"), T(r, "Next review"),
		           NULL);
		size_t i;
		json_t *x;
		json_array_foreach(l, i, x) {
			long long id = (long long)json_integer_value(json_object_get(x, "id"));
			hprintf(res, "<tr><td>%lld</td><td><a href=\"/kebijakan/%lld\">", id, id);
			h(res, str(x, "title"));
			hraw(res, "</a></td><td>");
			h(res, kind_name(r, str(x, "kind")));
			hraw(res, "</td><td>");
			h(res, strcmp(str(x, "status"), "aktif") == 0 ? T(r, "In force") : T(r, "Withdrawn"));
			hprintf(res, "</td><td>%lld</td><td>",
			        (long long)json_integer_value(json_object_get(x, "latest_version")));
			json_t *pv = json_object_get(x, "published_version");
			if (json_is_integer(pv))
				hprintf(res, "%lld", (long long)json_integer_value(pv));
			else
				hraw(res, "—");
			json_t *nr = json_object_get(x, "next_review_at");
			hraw(res, json_is_true(json_object_get(x, "review_due")) ? "</td><td class=\"late\">"
			                                                       : "</td><td>");
			if (json_is_integer(nr))
				html_date(r, res, json_integer_value(nr));
			else
				hraw(res, "—");
			hraw(res, "</td></tr>");
		}
		hraw(res, "</tbody></table></div>");
	}
	html_end(r, res);
	json_decref(l);
}

/* ---- /kebijakan/{id} ---- */

/* The published text with its ratification. */
static void published_block(web_req *r, web_res *res, json_t *p)
{
	hraw(res, "<dl class=\"facts\">");
	char v[24];
	snprintf(v, sizeof v, "%lld", (long long)json_integer_value(json_object_get(p, "version")));
	html_fact(res, T(r, "Version"), v);
	html_fact(res, T(r, "Number"), str(p, "number"));
	hraw(res, "<dt>");
	h(res, T(r, "Ratified on"));
	hraw(res, "</dt><dd>");
	html_day(r, res, str(p, "ratified_on"));
	hraw(res, "</dd>");
	html_fact(res, T(r, "Ratified by"), str(p, "ratified_by"));
	hraw(res, "<dt>SHA-256</dt><dd><code>");
	h(res, str(p, "sha256"));
	hraw(res, "</code></dd></dl>");
	html_markdown(res, str(p, "text"));
}

static void public_page(web_req *r, web_res *res, json_t *o)
{
	html_begin(r, res, str(o, "title"), NAV_POLICIES);
	hprintf(res, "<p><a href=\"/kebijakan%s\">%s</a></p><h1>", r->signed_in ? "?publik=1" : "",
	        T(r, "Information security policies"));
	h(res, str(o, "title"));
	hraw(res, "</h1>");
	published_block(r, res, json_object_get(o, "published"));
	html_end(r, res);
}

static void readers_table(web_req *r, web_res *res, json_t *groups)
{
	hraw(res, "<section id=\"pembaca\"><h2>");
	h(res, T(r, "Who has read the published version"));
	hraw(res, "</h2><div class=\"scroll\">");
	html_thead(res, "list", "OPD", T(r, "Has read"), T(r, "Has not read yet"), NULL);
	size_t i, k;
	json_t *g, *w;
	json_array_foreach(groups, i, g) {
		hraw(res, "<tr><td>");
		h(res, *str(g, "opd") ? str(g, "opd") : T(r, "No OPD (the Diskominfo's staff)"));
		hraw(res, "</td><td>");
		json_array_foreach(json_object_get(g, "read"), k, w) {
			if (k)
				hraw(res, ", ");
			h(res, *str(w, "full_name") ? str(w, "full_name") : str(w, "name"));
		}
		hprintf(res, " (%zu)</td><td>", json_array_size(json_object_get(g, "read")));
		json_array_foreach(json_object_get(g, "unread"), k, w) {
			if (k)
				hraw(res, ", ");
			h(res, *str(w, "full_name") ? str(w, "full_name") : str(w, "name"));
		}
		hprintf(res, " (%zu)</td></tr>", json_array_size(json_object_get(g, "unread")));
	}
	hraw(res, "</tbody></table></div></section>");
}

static void versions_table(web_req *r, web_res *res, int64_t id, json_t *vs)
{
	hraw(res, "<section id=\"versi\"><h2>");
	h(res, T(r, "Versions"));
	hraw(res, "</h2><div class=\"scroll\">");
	html_thead(res, "list", T(r, "Version"), T(r, "Status"), T(r, "Case"), T(r, "Number"),
	           T(r, "Ratified on"), T(r, "Changes"), NULL);
	size_t i;
	json_t *v;
	json_array_foreach(vs, i, v) {
		long long n = (long long)json_integer_value(json_object_get(v, "version"));
		hprintf(res, "<tr><td><a href=\"/kebijakan/%lld?versi=%lld\">%lld</a></td><td>",
		        (long long)id, n, n);
		h(res, state_name(r, str(v, "state")));
		hprintf(res, "</td><td><a href=\"/kasus/%s\">", str(v, "case"));
		h(res, str(v, "case"));
		hraw(res, "</a></td><td>");
		h(res, str(v, "number"));
		hraw(res, "</td><td>");
		html_day(r, res, str(v, "ratified_on"));
		hraw(res, "</td><td>");
		if (n > 1)
			hprintf(res, "<a href=\"/kebijakan/%lld/beda?dari=%lld&amp;ke=%lld\">%s</a>",
			        (long long)id, n - 1, n, T(r, "from the version before"));
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table></div></section>");
}

static void version_page(web_req *r, web_res *res, json_t *o, int n, const char *error)
{
	int64_t id = json_integer_value(json_object_get(o, "id"));
	sg_err e = {0};
	json_t *v = policy_version(r->app, id, n, &e);
	if (v == NULL) {
		html_message_page(r, res, web_status_of(&e), T(r, "Policy"), web_err(r, &e));
		return;
	}
	char title[300];
	snprintf(title, sizeof title, "%s, %s %d", str(o, "title"), T(r, "version"), n);
	html_begin(r, res, title, NAV_POLICIES);
	hprintf(res, "<p><a href=\"/kebijakan/%lld\">", (long long)id);
	h(res, str(o, "title"));
	hraw(res, "</a></p><h1>");
	h(res, title);
	hraw(res, "</h1>");
	if (error)
		html_notice(res, "error", error);
	hraw(res, "<dl class=\"facts\">");
	html_fact(res, T(r, "Status"), state_name(r, str(v, "state")));
	if (*str(v, "sha256")) {
		hraw(res, "<dt>SHA-256</dt><dd><code>");
		h(res, str(v, "sha256"));
		hraw(res, "</code></dd>");
	}
	hraw(res, "<dt>");
	h(res, T(r, "Controls"));
	hraw(res, "</dt><dd>");
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(v, "controls"), i, c) {
		hraw(res, i ? "<br><code>" : "<code>");
		h(res, str(c, "ref"));
		hraw(res, "</code> ");
		h(res, str(c, "title"));
	}
	if (json_array_size(json_object_get(v, "controls")) == 0)
		hraw(res, "—");
	hraw(res, "</dd><dt>");
	h(res, T(r, "Attachments"));
	hraw(res, "</dt><dd>");
	json_array_foreach(json_object_get(v, "attachments"), i, c) {
		hprintf(res, "%s<a href=\"/bukti/%s\">", i ? "<br>" : "", str(c, "sha256"));
		h(res, str(c, "filename"));
		hraw(res, "</a> <span class=\"muted\">");
		h(res, str(c, "field"));
		hraw(res, "</span>");
	}
	if (json_array_size(json_object_get(v, "attachments")) == 0)
		hraw(res, "—");
	hraw(res, "</dd></dl>");
	html_markdown(res, str(v, "text"));
	if (strcmp(str(v, "state"), "draf") == 0 && json_is_true(json_object_get(o, "may_edit"))) {
		hprintf(res, "<section class=\"narrow\"><h2>%s</h2>", T(r, "Rewrite the draft"));
		hprintf(res, "<form method=\"post\" action=\"/kebijakan/%lld/ubah\">", (long long)id);
		html_csrf(r, res);
		hprintf(res, "<input type=\"hidden\" name=\"versi\" value=\"%d\">"
		             "<div class=\"field\"><label for=\"k-teks\">%s</label>"
		             "<textarea id=\"k-teks\" name=\"teks\" rows=\"20\" maxlength=\"65536\" "
		             "required>",
		        n, T(r, "Text (Markdown)"));
		const char *sent = web_form(r, "teks");
		h(res, sent ? sent : str(v, "text"));
		hprintf(res, "</textarea></div><button type=\"submit\">%s</button></form></section>",
		        T(r, "Save"));
	}
	html_end(r, res);
	json_decref(v);
}

static void policy_page(web_req *r, web_res *res, json_t *o)
{
	int64_t id = json_integer_value(json_object_get(o, "id"));
	html_begin(r, res, str(o, "title"), NAV_POLICIES);
	hprintf(res, "<p><a href=\"/kebijakan\">%s</a></p><h1>", T(r, "Policy library"));
	h(res, str(o, "title"));
	hraw(res, "</h1><dl class=\"facts\">");
	html_fact(res, T(r, "Kind"), kind_name(r, str(o, "kind")));
	html_fact(res, T(r, "Status"),
	   strcmp(str(o, "status"), "aktif") == 0 ? T(r, "In force") : T(r, "Withdrawn"));
	if (*str(o, "withdraw_reason"))
		html_fact(res, T(r, "Why it was withdrawn"), str(o, "withdraw_reason"));
	hraw(res, "<dt>");
	h(res, T(r, "Next review"));
	hraw(res, "</dt><dd>");
	json_t *nr = json_object_get(o, "next_review_at");
	if (json_is_integer(nr))
		html_date(r, res, json_integer_value(nr));
	else
		hraw(res, "—");
	json_t *rc = json_object_get(o, "review_case");
	if (json_is_object(rc) && json_is_true(json_object_get(rc, "open"))) {
		hprintf(res, " (%s <a href=\"/kasus/%s\">", T(r, "evaluation"), str(rc, "ticket"));
		h(res, str(rc, "ticket"));
		hraw(res, "</a>)");
	}
	hraw(res, "</dd></dl>");
	json_t *pub = json_object_get(o, "published");
	if (json_is_object(pub)) {
		hraw(res, "<section id=\"terbit\"><h2>");
		h(res, T(r, "Published version"));
		hraw(res, "</h2>");
		published_block(r, res, pub);
		if (json_is_true(json_object_get(o, "read_by_me"))) {
			hraw(res, "<p class=\"muted\">");
			h(res, T(r, "You have read this version."));
			hraw(res, "</p>");
		} else if (strcmp(str(o, "status"), "aktif") == 0) {
			hprintf(res, "<form method=\"post\" action=\"/kebijakan/%lld/baca\">",
			        (long long)id);
			html_csrf(r, res);
			hprintf(res, "<button type=\"submit\">%s</button></form>",
			        T(r, "I have read and understood this policy"));
		}
		hraw(res, "</section>");
		if (json_is_array(json_object_get(o, "readers")))
			readers_table(r, res, json_object_get(o, "readers"));
	}
	versions_table(r, res, id, json_object_get(o, "versions"));
	if (json_is_true(json_object_get(o, "may_withdraw"))) {
		hprintf(res, "<section class=\"narrow\"><h2>%s</h2>", T(r, "Withdraw the policy"));
		hprintf(res, "<form method=\"post\" action=\"/kebijakan/%lld/cabut\">", (long long)id);
		html_csrf(r, res);
		hprintf(res, "<div class=\"field\"><label for=\"k-why\">%s</label><textarea "
		             "id=\"k-why\" name=\"alasan\" rows=\"2\" maxlength=\"4000\" "
		             "required></textarea></div><button type=\"submit\" "
		             "class=\"danger\">%s</button></form></section>",
		        T(r, "Reason"), T(r, "Withdraw"));
	}
	hraw(res, "<section id=\"history\"><h2>");
	h(res, T(r, "History"));
	hraw(res, "</h2>");
	html_logbook_table(r, res, json_object_get(o, "history"));
	hraw(res, "</section>");
	html_end(r, res);
}

/* The policy for the signed-in user, answered 404 when there is none. */
static json_t *load(web_req *r, web_res *res, int64_t *id)
{
	if (!path_id(r, id)) {
		not_found(r, res);
		return NULL;
	}
	sg_err e = {0};
	json_t *o = policy_insider(r->app, r->who.user)
	                ? policy_get(r->app, r->who.user, *id, false, &e)
	                : NULL;
	if (o == NULL)
		not_found(r, res);
	return o;
}

void page_policy(web_req *r, web_res *res)
{
	int64_t id;
	if (!r->signed_in || (web_query(r, "publik") && *web_query(r, "publik")) ||
	    !policy_insider(r->app, r->who.user)) {
		sg_err e = {0};
		json_t *o = path_id(r, &id) ? policy_get(r->app, NULL, id, true, &e) : NULL;
		if (o == NULL)
			return not_found(r, res);
		public_page(r, res, o);
		json_decref(o);
		return;
	}
	json_t *o = load(r, res, &id);
	if (o == NULL)
		return;
	const char *vs = web_query(r, "versi");
	int64_t n = 0;
	if (vs && *vs) {
		if (webutil_int(vs, 1, 100000, &n))
			version_page(r, res, o, (int)n, NULL);
		else
			not_found(r, res);
	} else {
		policy_page(r, res, o);
	}
	json_decref(o);
}

void page_policy_diff(web_req *r, web_res *res)
{
	int64_t id, from = 0, to = 0;
	json_t *o = load(r, res, &id);
	if (o == NULL)
		return;
	const char *f = web_query(r, "dari"), *t = web_query(r, "ke");
	sg_err e = {0};
	json_t *d = f && t && webutil_int(f, 1, 100000, &from) && webutil_int(t, 1, 100000, &to)
	                ? policy_diff(r->app, id, (int)from, (int)to, &e)
	                : NULL;
	if (d == NULL) {
		json_decref(o);
		if (e.code == 0)
			return not_found(r, res);
		html_message_page(r, res, web_status_of(&e), T(r, "Changes"), web_err(r, &e));
		return;
	}
	char title[300];
	snprintf(title, sizeof title, "%s: %s %lld → %lld", str(o, "title"), T(r, "version"),
	         (long long)from, (long long)to);
	html_begin(r, res, title, NAV_POLICIES);
	hprintf(res, "<p><a href=\"/kebijakan/%lld\">", (long long)id);
	h(res, str(o, "title"));
	hraw(res, "</a></p><h1>");
	h(res, title);
	hraw(res, "</h1><p class=\"muted\">");
	h(res, T(r, "Lines removed are marked with a minus, lines added with a plus."));
	hraw(res, "</p><pre class=\"diff\">");
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(d, "lines"), i, x) {
		const char *op = str(x, "op");
		hprintf(res, "<span class=\"%s\">%s ", *op == '+' ? "add" : *op == '-' ? "del" : "same",
		        *op == '+' ? "+" : *op == '-' ? "−" : " ");
		h(res, str(x, "text"));
		hraw(res, "</span>\n");
	}
	hraw(res, "</pre>");
	html_end(r, res);
	json_decref(d);
	json_decref(o);
}

static void back_to(web_res *res, int64_t id, const char *fragment)
{
	char loc[64];
	snprintf(loc, sizeof loc, "/kebijakan/%lld%s", (long long)id, fragment);
	web_redirect(res, loc);
}

void page_policy_edit(web_req *r, web_res *res)
{
	int64_t id, n = 0;
	json_t *o = load(r, res, &id);
	if (o == NULL)
		return;
	const char *vs = web_form(r, "versi"), *text = web_form(r, "teks");
	sg_err e = {0};
	if (vs && webutil_int(vs, 1, 100000, &n) &&
	    policy_edit(r->app, r->who.user, id, (int)n, text, &e) == 0) {
		char frag[32];
		snprintf(frag, sizeof frag, "?versi=%lld", (long long)n);
		back_to(res, id, frag);
	} else if (n == 0) {
		not_found(r, res);
	} else {
		res->status = web_status_of(&e);
		version_page(r, res, o, (int)n, web_err(r, &e));
	}
	json_decref(o);
}

void page_policy_ack(web_req *r, web_res *res)
{
	int64_t id;
	json_t *o = load(r, res, &id);
	if (o == NULL)
		return;
	json_decref(o);
	sg_err e = {0};
	if (policy_ack(r->app, r->who.user, id, &e) != 0) {
		html_message_page(r, res, web_status_of(&e), T(r, "Policy"), web_err(r, &e));
		return;
	}
	back_to(res, id, "#terbit");
}

void page_policy_withdraw(web_req *r, web_res *res)
{
	int64_t id;
	json_t *o = load(r, res, &id);
	if (o == NULL)
		return;
	json_decref(o);
	sg_err e = {0};
	if (policy_withdraw(r->app, r->who.user, id, web_form(r, "alasan"), &e) != 0) {
		html_message_page(r, res, web_status_of(&e), T(r, "Policy"), web_err(r, &e));
		return;
	}
	back_to(res, id, "");
}
