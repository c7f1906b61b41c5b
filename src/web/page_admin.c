/*
 * page_admin.c: the team's reference pages and settings: the SOPs (the
 * official documents, drawn by sop/render.c), one's own API tokens, and
 * (administrators only) users and roles. The logbook is page_logbook.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "sop/render.h"
#include "webutil.h"

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

void page_sops(web_req *r, web_res *res)
{
	app *a = r->app;
	html_begin(r, res, T(r, "SOPs"), NAV_SOPS);
	hraw(res, "<h1>");
	h(res, T(r, "Standard operating procedures"));
	hraw(res, "</h1>");
	html_thead(res, "list", T(r, "Number"), T(r, "Name"), T(r, "Procedures"), NULL);
	for (size_t i = 0; i < a->sops.n; i++) {
		const sop *s = a->sops.v[i].sop;
		hraw(res, "<tr><td>");
		h(res, s->nomor);
		hraw(res, "</td><td><a href=\"/sop/");
		h(res, s->id);
		hraw(res, "\">");
		h(res, s->nama);
		hraw(res, "</a></td><td>");
		for (size_t j = 0; j < s->n_procs; j++) {
			if (j)
				hraw(res, "<br>");
			h(res, s->procs[j].nama);
			hraw(res, " (");
			h(res, s->procs[j].ticket_prefix);
			hprintf(res, ", %zu ", s->procs[j].n_steps);
			h(res, T(r, "steps"));
			hraw(res, ")");
		}
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table>\n");
	html_end(r, res);
}

void page_sop(web_req *r, web_res *res)
{
	const sop_entry *en = sops_find(&r->app->sops, r->path_arg);
	if (en == NULL) {
		html_message_page(r, res, 404, T(r, "Not found"),
		                  T(r, "There is no SOP with this name."));
		return;
	}
	html_begin(r, res, en->sop->nama, NAV_SOPS);
	hraw(res, "<div class=\"sopdoc scroll\">");
	sop_render_document(en->sop, &res->body);
	hraw(res, "</div>\n");
	html_end(r, res);
}

static void tokens_page(web_req *r, web_res *res, const char *new_token, const char *error)
{
	sg_err e = {0};
	json_t *list = token_list(r->app, r->who.user, &e);
	html_begin(r, res, T(r, "API tokens"), NAV_TOKENS);
	hraw(res, "<h1>");
	h(res, T(r, "API tokens"));
	hraw(res, "</h1><p>");
	h(res, T(r, "A token lets a program use the JSON API under /api/v1 as you, with your "
	            "roles. Send it as: Authorization: Bearer TOKEN."));
	hraw(res, "</p>");
	if (error)
		html_notice(res, "error", error);
	if (new_token) {
		hraw(res, "<p class=\"notice ok\" role=\"status\">");
		h(res, T(r, "Your new token (shown only now):"));
		hraw(res, " <code id=\"new-token\">");
		h(res, new_token);
		hraw(res, "</code></p>");
	}
	html_thead(res, "list", "#", T(r, "Name"), T(r, "Created"), T(r, "Last used"), "", NULL);
	size_t i;
	json_t *t;
	json_array_foreach (list, i, t) {
		json_int_t id = json_integer_value(json_object_get(t, "id"));
		hprintf(res, "<tr><td>%lld</td><td>", (long long)id);
		h(res, str(t, "name"));
		hraw(res, "</td><td>");
		html_time(r, res, json_integer_value(json_object_get(t, "created_at")));
		hraw(res, "</td><td>");
		if (json_is_integer(json_object_get(t, "last_used_at")))
			html_time(r, res, json_integer_value(json_object_get(t, "last_used_at")));
		hraw(res, "</td><td>");
		if (json_is_integer(json_object_get(t, "revoked_at"))) {
			h(res, T(r, "revoked"));
		} else {
			hprintf(
			    res,
			    "<form method=\"post\" class=\"inline\" action=\"/token/%lld/cabut\">",
			    (long long)id);
			html_csrf(r, res);
			hraw(res, "<button type=\"submit\" class=\"danger\">");
			h(res, T(r, "Revoke"));
			hraw(res, "</button></form>");
		}
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table><form method=\"post\" action=\"/token\">");
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"token-name\">");
	h(res, T(r, "Name of the new token"));
	hraw(res, "</label><input id=\"token-name\" name=\"nama\" required maxlength=\"100\" "
	          "placeholder=\"wazuh-integrator\"></div><button type=\"submit\">");
	h(res, T(r, "Create token"));
	hraw(res, "</button></form>\n");
	html_end(r, res);
	json_decref(list);
}

void page_tokens(web_req *r, web_res *res)
{
	tokens_page(r, res, NULL, NULL);
}

void page_token_new(web_req *r, web_res *res)
{
	char token[45];
	sg_err e = {0};
	const char *name = web_form(r, "nama");
	if (token_new(r->app, r->who.user, r->who.user, name, token, &e) != 0) {
		res->status = web_status_of(&e);
		tokens_page(r, res, NULL, web_err(r, &e));
		return;
	}
	res->status = 201;
	tokens_page(r, res, token, NULL);
}

void page_token_revoke(web_req *r, web_res *res)
{
	int64_t id;
	sg_err e = {0};
	if (!webutil_int(r->path_arg, 1, INT64_MAX, &id)) {
		res->status = 404;
		tokens_page(r, res, NULL, T(r, "There is no such token."));
		return;
	}
	if (token_revoke(r->app, r->who.user, r->who.user, id, &e) != 0) {
		res->status = web_status_of(&e);
		tokens_page(r, res, NULL, web_err(r, &e));
		return;
	}
	web_redirect(res, "/token");
}

/* The OPD a user belongs to, as a select of every OPD (none: empty);
 * an agen_siber must belong to one. */
static void opd_choice(const web_req *r, web_res *res, json_t *opds, const char *id,
                       const char *current)
{
	hraw(res, "<select name=\"opd\"");
	if (id)
		hprintf(res, " id=\"%s\"", id);
	hraw(res, " aria-label=\"OPD\"><option value=\"\">");
	h(res, T(r, "(no OPD)"));
	hraw(res, "</option>");
	size_t i;
	json_t *o;
	json_array_foreach (opds, i, o) {
		hraw(res, "<option value=\"");
		h(res, str(o, "abbrev"));
		hraw(res, current && strcmp(current, str(o, "abbrev")) == 0 ? "\" selected>" : "\">");
		h(res, str(o, "abbrev"));
		hraw(res, "</option>");
	}
	hraw(res, "</select>");
}

static void users_page(web_req *r, web_res *res, const char *error, const char *notice)
{
	sg_err e = {0};
	json_t *users = user_list(r->app, &e);
	json_t *roles = sops_roles(&r->app->sops);
	json_t *opds = opd_list(r->app, &e);
	html_begin(r, res, T(r, "Users"), NAV_USERS);
	hraw(res, "<h1>");
	h(res, T(r, "Users and roles"));
	hraw(res, "</h1>");
	if (error)
		html_notice(res, "error", error);
	if (notice) {
		hraw(res, "<p class=\"notice ok\" role=\"status\" id=\"new-password\">");
		h(res, notice);
		hraw(res, "</p>");
	}
	html_thead(res, "list", T(r, "User name"), T(r, "Roles"), T(r, "Status"), T(r, "OPD"), NULL);
	size_t i, k;
	json_t *u, *ro;
	json_array_foreach (users, i, u) {
		const char *name = str(u, "name");
		bool disabled = json_is_true(json_object_get(u, "disabled"));
		/* One form a row: the roles as checkboxes, the status, save. */
		hraw(res, "<tr><td>");
		h(res, name);
		hraw(res, "</td><td><form method=\"post\" class=\"user-edit\" action=\"/pengguna/");
		h(res, name);
		hraw(res, "\">");
		html_csrf(r, res);
		json_array_foreach (roles, k, ro) {
			bool has = false;
			size_t m;
			json_t *ur;
			json_array_foreach (json_object_get(u, "roles"), m, ur)
				has |= strcmp(json_string_value(ur), str(ro, "id")) == 0;
			hraw(res, "<label class=\"check\"><input type=\"checkbox\" name=\"peran\" "
			          "value=\"");
			h(res, str(ro, "id"));
			hprintf(res, "\"%s> ", has ? " checked" : "");
			h(res, str(ro, "id"));
			hraw(res, "</label>");
		}
		hraw(res, "<label class=\"check\">OPD ");
		opd_choice(r, res, opds, NULL, json_string_value(json_object_get(u, "opd")));
		hraw(res, "</label> ");
		hraw(res, "<select name=\"status\"><option value=\"aktif\"");
		hraw(res, disabled ? "" : " selected");
		hraw(res, ">");
		h(res, T(r, "active"));
		hraw(res, "</option><option value=\"nonaktif\"");
		hraw(res, disabled ? " selected" : "");
		hraw(res, ">");
		h(res, T(r, "disabled"));
		hraw(res, "</option></select> <button type=\"submit\">");
		h(res, T(r, "Save"));
		hraw(res, "</button></form></td><td>");
		h(res, disabled ? T(r, "disabled") : T(r, "active"));
		hraw(res, "</td><td>");
		h(res, json_string_value(json_object_get(u, "opd")));
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table><h2>");
	h(res, T(r, "Add a user"));
	hraw(res, "</h2><form method=\"post\" action=\"/pengguna\">");
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"u-name\">");
	h(res, T(r, "User name"));
	hraw(res, "</label><input id=\"u-name\" name=\"nama\" required maxlength=\"64\" "
	          "pattern=\"[a-z0-9][a-z0-9._-]{1,63}\"></div><fieldset><legend>");
	h(res, T(r, "Roles"));
	hraw(res, "</legend>");
	json_array_foreach (roles, i, ro) {
		hraw(res,
		     "<label class=\"check\"><input type=\"checkbox\" name=\"peran\" value=\"");
		h(res, str(ro, "id"));
		hraw(res, "\"> ");
		h(res, str(ro, "nama"));
		hraw(res, "</label>");
	}
	hraw(res, "</fieldset><div class=\"field\"><label for=\"u-opd\">");
	h(res, T(r, "OPD"));
	hraw(res, "</label>");
	opd_choice(r, res, opds, "u-opd", NULL);
	hraw(res, "<small>");
	h(res, T(r, "A cyber agent (agen_siber) must belong to an OPD: it sees that OPD's assets."));
	hraw(res, "</small></div><p class=\"muted\">");
	h(res, T(r, "A one-time password is generated; the user changes it at first sign-in."));
	hraw(res, "</p><button type=\"submit\">");
	h(res, T(r, "Add user"));
	hraw(res, "</button></form>\n");
	html_end(r, res);
	json_decref(users);
	json_decref(roles);
	json_decref(opds);
}

void page_users(web_req *r, web_res *res)
{
	users_page(r, res, NULL, NULL);
}

void page_user_add(web_req *r, web_res *res)
{
	const char *roles[32];
	size_t n = 0;
	for (size_t i = 0; i < r->form.n && n < 32; i++)
		if (strcmp(r->form.v[i].name, "peran") == 0)
			roles[n++] = r->form.v[i].value;
	const char *name = web_form(r, "nama");
	char password[17];
	user_generate_password(password);
	sg_err e = {0};
	const char *opd = web_form(r, "opd");
	if (user_add_opd(r->app, r->who.user, name ? name : "", roles, n, password, true,
	                 opd && *opd ? opd : NULL, &e) != 0) {
		res->status = web_status_of(&e);
		users_page(r, res, web_err(r, &e), NULL);
		return;
	}
	char msg[200];
	snprintf(msg, sizeof msg, "%s %s: %s", T(r, "One-time password for"), name, password);
	res->status = 201;
	res->no_store = true;
	users_page(r, res, NULL, msg);
}

void page_user_update(web_req *r, web_res *res)
{
	const char *roles[32];
	size_t n = 0;
	for (size_t i = 0; i < r->form.n && n < 32; i++)
		if (strcmp(r->form.v[i].name, "peran") == 0)
			roles[n++] = r->form.v[i].value;
	const char *status = web_form(r, "status");
	int disabled = status == NULL ? -1 : strcmp(status, "nonaktif") == 0 ? 1 : 0;
	sg_err e = {0};
	int64_t ended = 0;
	/* The OPD (when the form sends one) and the roles are two changes: a
	 * new OPD is set before the roles, so a user made agen_siber already
	 * has one; an OPD taken away after, so one no longer agen_siber may
	 * lose it. */
	const char *opd = web_form(r, "opd");
	const char *now = NULL;
	json_t *users = opd ? user_list(r->app, &e) : NULL;
	size_t i;
	json_t *u;
	json_array_foreach (users, i, u)
		if (strcmp(str(u, "name"), r->path_arg) == 0)
			now = json_string_value(json_object_get(u, "opd"));
	bool change = opd && strcasecmp(opd, now ? now : "") != 0;
	int rc = 0;
	if (change && *opd)
		rc = user_set_opd(r->app, r->who.user, r->path_arg, opd, &e);
	if (rc == 0)
		rc = user_update(r->app, r->who.user, r->path_arg, roles, n, disabled, &ended, &e);
	if (rc == 0 && change && !*opd)
		rc = user_set_opd(r->app, r->who.user, r->path_arg, NULL, &e);
	json_decref(users);
	if (rc != 0) {
		res->status = web_status_of(&e);
		users_page(r, res, web_err(r, &e), NULL);
		return;
	}
	/* Nothing ended silently: the sessions, and what becomes of tokens. */
	sg_err m = {0};
	if (disabled == 1)
		sg_err_set(
		    &m, SG_OK,
		    "Saved. User %s is disabled: sessions ended: %lld; the user's API tokens "
		    "are refused while the account is disabled.",
		    r->path_arg, (long long)ended);
	else if (ended > 0)
		sg_err_set(
		    &m, SG_OK,
		    "Saved. The roles of %s changed: sessions ended: %lld (the user signs in "
		    "again); API tokens act with the new roles at once.",
		    r->path_arg, (long long)ended);
	else
		sg_err_set(&m, SG_OK, "Saved: %s.", r->path_arg);
	char msg[600];
	snprintf(msg, sizeof msg, "%s", web_err(r, &m));
	users_page(r, res, NULL, msg);
}
