/*
 * page_case_flows.c: the parts of the case page that move a case other
 * than by completing its step: sending it back to an earlier step,
 * reopening it when closed (Kabid), the single-use links of an outside
 * actor's step (issued, listed with their state, revoked), and how a
 * history line names who did what (on whose behalf, by which channel).
 * The rules are app/case_flows.c's and app/case_links.c's; the forms post
 * to their own addresses and redirect back to the case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

bool page_may_act_for(const web_req *r, const sop *s, const sop_step *st)
{
	const sop_role *role = s ? sop_find_role(s, st->role) : NULL;
	if (role == NULL || !role->luar)
		return false;
	for (size_t i = 0; i < role->n_atas_nama; i++)
		if (web_has_role(r, role->atas_nama[i]))
			return true;
	return false;
}

/* Staff of the case's SOP (or one who may act for the step): may issue
 * and revoke links. The app decides again. */
static bool staff_of(const web_req *r, const sop *s, const sop_step *st)
{
	if (page_may_act_for(r, s, st))
		return true;
	for (size_t i = 0; s && i < s->n_roles; i++)
		if (!s->roles[i].luar && web_has_role(r, s->roles[i].id))
			return true;
	return false;
}

void page_run_who(const web_req *r, web_res *res, json_t *run, const sop *s)
{
	const char *kind = str(run, "kind"), *role = str(run, "role");
	const char *role_nama = s ? sop_role_name(s, role) : role;
	const char *behalf = str(run, "on_behalf_of"), *channel = str(run, "channel");
	if (strcmp(kind, "kembalikan") == 0 || strcmp(kind, "buka_kembali") == 0) {
		bool back = kind[0] == 'k';
		h(res, back ? T(r, "sent back by") : T(r, "reopened by"));
		hraw(res, " ");
		h(res, str(run, "actor"));
		hraw(res, " ");
		h(res, back ? T(r, "to step") : T(r, "at step"));
		hprintf(res, " %d", (int)json_integer_value(json_object_get(run, "next_step_no")));
		return;
	}
	if (behalf && channel && strcmp(channel, "tautan") == 0) {
		h(res, T(r, "completed by"));
		hraw(res, " ");
		h(res, behalf);
		hraw(res, " (");
		h(res, role_nama);
		hraw(res, ") ");
		h(res, T(r, "through a link"));
		return;
	}
	if (behalf) {
		h(res, T(r, "completed by"));
		hraw(res, " ");
		h(res, str(run, "actor"));
		hraw(res, " ");
		h(res, T(r, "on behalf of"));
		hraw(res, " ");
		h(res, behalf);
		hraw(res, " (");
		h(res, role_nama);
		hraw(res, ") ");
		h(res, T(r, "via"));
		hraw(res, " ");
		h(res, channel);
		return;
	}
	h(res, str(run, "actor"));
	hraw(res, " (");
	h(res, role_nama);
	hraw(res, ")");
}

/* A select of step numbers with their descriptions. */
static void step_select(web_res *res, const sop_procedure *proc, const int *nos, size_t n,
                        int selected)
{
	hraw(res, "<select id=\"ke-langkah\" name=\"langkah\" required>");
	for (size_t i = 0; i < n; i++) {
		int idx = sop_step_index(proc, nos[i]);
		hprintf(res, "<option value=\"%d\"%s>%d. ", nos[i], nos[i] == selected ? " selected" : "",
		        nos[i]);
		h(res, idx >= 0 ? proc->steps[idx].uraian : "");
		hraw(res, "</option>");
	}
	hraw(res, "</select>");
}

static void reason_field(const web_req *r, web_res *res, const char *id)
{
	hraw(res, "<div class=\"field\"><label for=\"");
	h(res, id);
	hraw(res, "\">");
	h(res, T(r, "Reason"));
	hraw(res, "</label><textarea id=\"");
	h(res, id);
	hraw(res, "\" name=\"alasan\" rows=\"2\" required maxlength=\"2000\"></textarea></div>");
}

void page_send_back_form(const web_req *r, web_res *res, json_t *c, const sop *s,
                         const sop_procedure *proc, const sop_step *st)
{
	if (proc == NULL || st == NULL || !(web_has_role(r, st->role) || page_may_act_for(r, s, st)))
		return;
	int here = (int)(st - proc->steps);
	int nos[128];
	size_t n = 0;
	size_t i;
	json_t *no;
	json_array_foreach (json_object_get(c, "passed_steps"), i, no) {
		int idx = sop_step_index(proc, (int)json_integer_value(no));
		if (idx >= 0 && idx < here && n < 128)
			nos[n++] = (int)json_integer_value(no);
	}
	if (n == 0)
		return;
	hraw(res, "<section class=\"panel\" id=\"kembalikan\"><details><summary>");
	h(res, T(r, "Send back to an earlier step"));
	hraw(res, "</summary><form method=\"post\" action=\"/kasus/");
	h(res, str(c, "ticket"));
	hraw(res, "/kembalikan\">");
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"ke-langkah\">");
	h(res, T(r, "Step"));
	hraw(res, "</label>");
	step_select(res, proc, nos, n, nos[n - 1]);
	hraw(res, "</div>");
	reason_field(r, res, "alasan-kembali");
	hraw(res, "<button type=\"submit\" class=\"secondary\">");
	h(res, T(r, "Send back"));
	hraw(res, "</button></form></details></section>\n");
}

/* Whether the signed-in user holds a role of s that may reopen its cases. */
static bool may_reopen(const web_req *r, const sop *s)
{
	for (size_t i = 0; s != NULL && i < s->n_roles; i++)
		if (s->roles[i].buka_kembali && web_has_role(r, s->roles[i].id))
			return true;
	return false;
}

void page_reopen_form(const web_req *r, web_res *res, json_t *c, const sop *s,
                      const sop_procedure *proc)
{
	if (proc == NULL || !may_reopen(r, s))
		return;
	int nos[128];
	size_t n = 0, i;
	json_t *no;
	json_array_foreach (json_object_get(c, "passed_steps"), i, no)
		if (n < 128)
			nos[n++] = (int)json_integer_value(no);
	/* The step it closed from: the last step done. */
	int last = 0;
	json_t *run;
	json_array_foreach (json_object_get(c, "history"), i, run)
		if (strcmp(str(run, "kind"), "step") == 0)
			last = (int)json_integer_value(json_object_get(run, "step_no"));
	if (n == 0)
		return;
	hraw(res, "<form method=\"post\" class=\"reopen\" action=\"/kasus/");
	h(res, str(c, "ticket"));
	hraw(res, "/buka-kembali\">");
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"ke-langkah\">");
	h(res, T(r, "Reopen at step"));
	hraw(res, "</label>");
	step_select(res, proc, nos, n, last);
	hraw(res, "</div>");
	reason_field(r, res, "alasan-buka");
	hraw(res, "<button type=\"submit\">");
	h(res, T(r, "Reopen the case"));
	hraw(res, "</button></form>");
}

static const char *state_label(const web_req *r, const char *state)
{
	if (strcmp(state, "aktif") == 0)
		return T(r, "active");
	if (strcmp(state, "dipakai") == 0)
		return T(r, "used");
	if (strcmp(state, "kedaluwarsa") == 0)
		return T(r, "expired");
	return T(r, "revoked");
}

void page_links_panel(const web_req *r, web_res *res, json_t *c, const sop *s,
                      const sop_step *st)
{
	if (st == NULL || !sop_role_outside(s, st->role) || !staff_of(r, s, st))
		return;
	const char *ticket = str(c, "ticket");
	sg_err e;
	json_t *links = case_links(r->app, ticket, r->who.user, &e);
	if (links == NULL)
		return;
	hraw(res, "<section class=\"panel links\" id=\"tautan\"><h2>");
	h(res, T(r, "Link for the outside actor"));
	hraw(res, "</h2><p class=\"muted\">");
	h(res, T(r, "A link lets the actor of this step complete it once without an account; "
	            "it shows only this step's form and what you hand over with it."));
	hraw(res, "</p>");
	if (json_array_size(links)) {
		html_thead(res, "list", T(r, "For"), T(r, "Step"), T(r, "Issued"), T(r, "Expires"),
		           T(r, "State"), "", NULL);
		size_t i;
		json_t *l;
		json_array_foreach (links, i, l) {
			const char *state = str(l, "state");
			hraw(res, "<tr><td>");
			h(res, str(l, "recipient"));
			hprintf(res, "</td><td>%d</td><td>",
			        (int)json_integer_value(json_object_get(l, "step_no")));
			h(res, str(l, "created_by"));
			hraw(res, " · ");
			html_time(r, res, json_integer_value(json_object_get(l, "created_at")));
			hraw(res, "</td><td>");
			html_time(r, res, json_integer_value(json_object_get(l, "expires_at")));
			hprintf(res, "</td><td><span class=\"badge %s\">",
			        strcmp(state, "aktif") == 0 ? "ok" : "late");
			h(res, state_label(r, state));
			hraw(res, "</span></td><td>");
			if (strcmp(state, "aktif") == 0) {
				hraw(res, "<form method=\"post\" class=\"inline\" action=\"/kasus/");
				h(res, ticket);
				hraw(res, "/tautan/cabut\">");
				html_csrf(r, res);
				hprintf(res, "<input type=\"hidden\" name=\"id\" value=\"%lld\">",
				        (long long)json_integer_value(json_object_get(l, "id")));
				hraw(res, "<button type=\"submit\" class=\"secondary\">");
				h(res, T(r, "Revoke"));
				hraw(res, "</button></form>");
			}
			hraw(res, "</td></tr>");
		}
		hraw(res, "</tbody></table>");
	}
	json_decref(links);
	hraw(res, "<form method=\"post\" action=\"/kasus/");
	h(res, ticket);
	hraw(res, "/tautan\">");
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"penerima\">");
	h(res, T(r, "Name of whom the link is for"));
	hraw(res, "</label><input id=\"penerima\" name=\"penerima\" required maxlength=\"200\"></div>"
	          "<fieldset class=\"material\"><legend>");
	h(res, T(r, "Hand over with the link (the step's requirements)"));
	hraw(res, "</legend><label class=\"check\"><input type=\"checkbox\" name=\"laporan\" "
	          "value=\"1\" checked> ");
	h(res, T(r, "The case's report (its fields)"));
	hraw(res, "</label>");
	size_t i;
	json_t *ev;
	json_array_foreach (json_object_get(c, "evidence"), i, ev) {
		if (i >= LINK_MAX_EVIDENCE)
			break;
		hraw(res, "<label class=\"check\"><input type=\"checkbox\" name=\"bukti\" value=\"");
		h(res, str(ev, "sha256"));
		hraw(res, "\"> ");
		h(res, str(ev, "filename"));
		hraw(res, "</label>");
	}
	hraw(res, "</fieldset><button type=\"submit\" class=\"secondary\">");
	h(res, T(r, "Issue a link"));
	hraw(res, "</button></form></section>\n");
}

void page_link_issued(const web_req *r, web_res *res, const char *token)
{
	const char *host = web_header(r, "Host");
	hraw(res, "<div class=\"notice ok\" id=\"tautan-baru\"><p>");
	h(res, T(r, "The link has been issued. Copy it now and send it to its recipient: it is "
	            "shown only this once."));
	hraw(res, "</p><p><input class=\"copy\" readonly size=\"70\" value=\"");
	if (host && *host) {
		h(res, r->tls ? "https://" : "http://");
		h(res, host);
	}
	hraw(res, "/tautan/");
	h(res, token);
	hraw(res, "\"></p></div>");
}

static void back_to_case(web_req *r, web_res *res, const char *anchor)
{
	char loc[128];
	snprintf(loc, sizeof loc, "/kasus/%s?ok=1#%s", r->path_arg, anchor);
	web_redirect(res, loc);
}

static void refused(web_req *r, web_res *res, const sg_err *e)
{
	res->status = web_status_of(e);
	page_case_render(r, res, web_err(r, e), NULL);
}

/* The step number a form sent, or 0 when none. */
static int form_step(const web_req *r)
{
	const char *v = web_form(r, "langkah");
	char *end;
	long n = v ? strtol(v, &end, 10) : 0;
	return v && *v && *end == '\0' && n > 0 && n < 100000 ? (int)n : 0;
}

void page_case_send_back(web_req *r, web_res *res)
{
	sg_err e = {0};
	if (case_send_back(r->app, r->path_arg, r->who.user, form_step(r), web_form(r, "alasan"),
	                   r->client, &e) != 0)
		return refused(r, res, &e);
	back_to_case(r, res, "langkah");
}

void page_case_reopen(web_req *r, web_res *res)
{
	sg_err e = {0};
	if (case_reopen(r->app, r->path_arg, r->who.user, form_step(r), web_form(r, "alasan"),
	                r->client, &e) != 0)
		return refused(r, res, &e);
	back_to_case(r, res, "langkah");
}

void page_case_link_new(web_req *r, web_res *res)
{
	char token[LINK_TOKEN_LEN + 1];
	int64_t id, expires;
	sg_err e = {0};
	const char *files[LINK_MAX_EVIDENCE + 1];
	link_material m = {.report = web_form(r, "laporan") != NULL, .evidence = files};
	for (size_t i = 0; i < r->form.n; i++)
		if (strcmp(r->form.v[i].name, "bukti") == 0 && m.n_evidence <= LINK_MAX_EVIDENCE)
			files[m.n_evidence++] = r->form.v[i].value;
	if (case_link_issue(r->app, r->path_arg, r->who.user, web_form(r, "penerima"), &m,
	                    r->client, token, &id, &expires, &e) != 0)
		return refused(r, res, &e);
	/* Drawn, not redirected: the token is shown once and kept nowhere. */
	res->no_store = true;
	page_case_render(r, res, NULL, token);
}

void page_case_link_revoke(web_req *r, web_res *res)
{
	const char *v = web_form(r, "id");
	char *end;
	long long id = v ? strtoll(v, &end, 10) : 0;
	sg_err e = {0};
	if (v == NULL || *v == '\0' || *end != '\0' || id <= 0)
		sg_err_set(&e, SG_EINVAL, "%s", T(r, "Choose the link to revoke."));
	if (e.code || case_link_revoke(r->app, r->path_arg, r->who.user, id, &e) != 0)
		return refused(r, res, &e);
	back_to_case(r, res, "tautan");
}
