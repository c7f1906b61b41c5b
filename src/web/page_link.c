/*
 * page_link.c: /tautan/{token}, the page an outside actor (the reporter,
 * the police, an applicant) opens from a link an officer sent, to
 * complete its own step of a case without an account.
 *
 * The token decides everything: the route is public, and its gate checks
 * the token (known, unused, unrevoked, unexpired, its step still waiting)
 * before any of the body is read, so an upload is received only for a
 * link that works. The page shows the ticket, the step's description and
 * its form, and nothing else of the case: no other step's values, no
 * comments, no evidence. The form carries the visitor's CSRF token (the
 * double-submit cookie of the public report form). After a completion the
 * link is used and the page says so.
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

enum { LINK_MAX_VALUES = 64, LINK_MAX_FILES = 16 };

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* A link that does not work: unknown (404) or no longer usable (410). */
static void link_refused(web_req *r, web_res *res, const sg_err *e)
{
	res->no_store = true;
	int status = e->code == SG_ESTATE ? 410 : e->code == SG_ENOTFOUND ? 404 : 500;
	html_message_page(r, res, status, T(r, "This link does not work"), web_err(r, e));
}

static void link_form(web_req *r, web_res *res, json_t *v, const char *error)
{
	json_t *st = json_object_get(v, "step");
	res->no_store = true;
	html_begin(r, res, str(v, "ticket"), NAV_NONE);
	hraw(res, "<section class=\"narrow\"><h1><span class=\"ticket\">");
	h(res, str(v, "ticket"));
	hraw(res, "</span></h1><p class=\"muted\">");
	h(res, str(v, "sop"));
	hraw(res, "</p>");
	if (error)
		html_notice(res, "error", error);
	hraw(res, "<p>");
	h(res, T(r, "For"));
	hraw(res, ": <strong>");
	h(res, str(v, "recipient"));
	hraw(res, "</strong> (");
	h(res, str(st, "role_nama"));
	hraw(res, ")</p><section class=\"panel step\"><h2>");
	h(res, T(r, "Step"));
	hprintf(res, " %d</h2><p class=\"uraian\">", (int)json_integer_value(json_object_get(st, "no")));
	h(res, str(st, "uraian"));
	hraw(res, "</p>");
	if (str(st, "output")) {
		hraw(res, "<p>");
		h(res, T(r, "Output"));
		hraw(res, ": ");
		h(res, str(st, "output"));
		hraw(res, "</p>");
	}
	hraw(res, "<p class=\"muted\">");
	h(res, T(r, "This link works once, until"));
	hraw(res, " ");
	html_time(r, res, json_integer_value(json_object_get(v, "expires_at")));
	hraw(res, ".</p><form method=\"post\" enctype=\"multipart/form-data\" action=\"/tautan/");
	h(res, r->path_arg);
	hraw(res, "\">");
	html_csrf(r, res);
	size_t i;
	json_t *f;
	json_array_foreach (json_object_get(st, "fields"), i, f) {
		/* The form as the SOP gives it, drawn by the one field writer. */
		sop_field sf = {.name = str(f, "name"),
		                .label = str(f, "label"),
		                .required = json_is_true(json_object_get(f, "required"))};
		const char *type = str(f, "type");
		static const char *const types[] = {"text", "textarea", "select", "date",
		                                    "number", "file",     "ref"};
		for (size_t k = 0; k < sizeof types / sizeof types[0]; k++)
			if (strcmp(type, types[k]) == 0)
				sf.type = (sop_field_type)k;
		const char *opts[64];
		json_t *o;
		size_t k;
		json_array_foreach (json_object_get(f, "options"), k, o)
			if (k < 64)
				opts[sf.n_options++] = json_string_value(o);
		sf.options = opts;
		sf.entity = str(f, "entity");
		html_sop_field(r, res, &sf, sf.type == FIELD_FILE ? NULL : web_form(r, sf.name));
	}
	json_t *d = json_object_get(st, "decision");
	if (d) {
		hraw(res, "<p class=\"question\">");
		h(res, str(d, "question"));
		hraw(res, "</p><div class=\"decisions\">");
		json_t *l;
		json_array_foreach (json_object_get(d, "labels"), i, l) {
			hraw(res, "<button type=\"submit\" name=\"keputusan\" value=\"");
			h(res, json_string_value(l));
			hraw(res, "\">");
			h(res, json_string_value(l));
			hraw(res, "</button> ");
		}
		hraw(res, "</div>");
	} else {
		hraw(res, "<button type=\"submit\">");
		h(res, T(r, "Send"));
		hraw(res, "</button>");
	}
	hraw(res, "</form></section></section>\n");
	html_end(r, res);
}

static void show(web_req *r, web_res *res, const char *error)
{
	sg_err e = {0};
	json_t *v = case_link_view(r->app, r->path_arg, &e);
	if (v == NULL)
		return link_refused(r, res, &e);
	link_form(r, res, v, error);
	json_decref(v);
}

void page_link_form(web_req *r, web_res *res)
{
	show(r, res, NULL);
}

bool gate_link_page(web_req *r, web_res *res)
{
	sg_err e = {0};
	if (case_link_check(r->app, r->path_arg, &e) == 0)
		return true;
	link_refused(r, res, &e);
	return false;
}

void page_link_complete(web_req *r, web_res *res)
{
	sop_value v[LINK_MAX_VALUES];
	case_upload u[LINK_MAX_FILES];
	size_t nv = 0, nu = 0;
	for (size_t i = 0; i < r->form.n && nv < LINK_MAX_VALUES; i++) {
		const char *name = r->form.v[i].name;
		if (strcmp(name, "csrf") != 0 && strcmp(name, "keputusan") != 0 &&
		    *r->form.v[i].value)
			v[nv++] = (sop_value){name, r->form.v[i].value};
	}
	for (size_t i = 0; i < r->files.n && nu < LINK_MAX_FILES && nv < LINK_MAX_VALUES; i++) {
		u[nu++] = (case_upload){r->files.v[i].field, r->files.v[i].filename,
		                        &r->files.v[i].file};
		v[nv++] = (sop_value){r->files.v[i].field, r->files.v[i].filename};
	}
	const char *decision = web_form(r, "keputusan");
	case_step_req req = {.decision = decision && *decision ? decision : NULL,
	                     .values = v,
	                     .n_values = nv,
	                     .origin = r->client,
	                     .uploads = u,
	                     .n_uploads = nu};
	case_step_result out;
	char ticket[32];
	sg_err e = {0};
	if (case_link_complete(r->app, r->path_arg, &req, &out, ticket, &e) != 0) {
		if (e.code == SG_EINVAL) {
			res->status = 400;
			return show(r, res, web_err(r, &e));
		}
		return link_refused(r, res, &e);
	}
	res->no_store = true;
	char msg[200];
	snprintf(msg, sizeof msg, "%s %s.", T(r, "Thank you. Your answer has been recorded in case"),
	         ticket);
	html_message_page(r, res, 200, T(r, "Sent"), msg);
}
