/*
 * page_link.c: /tautan/{token}, the page an outside actor (the reporter,
 * the police, an applicant) opens from a link an officer sent, to
 * complete its own step of a case without an account.
 *
 * The token decides everything: the route is public, and its gate checks
 * the token (known, unused, unrevoked, unexpired, its step still waiting)
 * before any of the body is read, so an upload is received only for a
 * link that works. The page shows the ticket, the step's description,
 * Kelengkapan and form, and what the officer handed over with the link
 * (the case's report, chosen evidence files served at
 * /tautan/{token}/berkas?h=SHA256 while the link works), and nothing else
 * of the case: no other step's values, no comments, no other evidence. The form carries the visitor's CSRF token (the
 * double-submit cookie of the public report form). After a completion the
 * link is used and the page says so.
 */
#include <stdio.h>
#include <string.h>

#include "download.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

enum { LINK_MAX_VALUES = 64, LINK_MAX_FILES = 16 };

/* A link that does not work: unknown (404) or no longer usable (410). */
static void link_refused(web_req *r, web_res *res, const sg_err *e)
{
	res->no_store = true;
	int status = e->code == SG_ESTATE ? 410 : e->code == SG_ENOTFOUND ? 404 : 500;
	html_message_page(r, res, status, T(r, "This link does not work"), web_err(r, e));
}

/* What the officer handed over with the link: the case's report and the
 * evidence files, each downloaded through the link itself. */
static void material(web_req *r, web_res *res, const case_link_info *v)
{
	if (v->report == NULL && json_array_size(v->evidence) == 0)
		return;
	hraw(res, "<section class=\"material\"><h3>");
	h(res, T(r, "Handed over to you"));
	hraw(res, "</h3>");
	if (v->report) {
		hraw(res, "<dl class=\"facts\"><dt>");
		h(res, T(r, "Title"));
		hraw(res, "</dt><dd>");
		h(res, json_string_value(json_object_get(v->report, "title")));
		hraw(res, "</dd>");
		size_t i;
		json_t *f;
		json_array_foreach (json_object_get(v->report, "fields"), i, f) {
			hraw(res, "<dt>");
			h(res, json_string_value(json_object_get(f, "label")));
			hraw(res, "</dt><dd>");
			h(res, json_string_value(json_object_get(f, "value")));
			hraw(res, "</dd>");
		}
		hraw(res, "</dl>");
	}
	if (json_array_size(v->evidence)) {
		hraw(res, "<ul class=\"files\">");
		size_t i;
		json_t *f;
		json_array_foreach (v->evidence, i, f) {
			const char *sha = json_string_value(json_object_get(f, "sha256"));
			const char *name = json_string_value(json_object_get(f, "name"));
			hraw(res, "<li><a href=\"/tautan/");
			h(res, r->path_arg);
			hraw(res, "/berkas?h=");
			h(res, sha);
			hraw(res, "\">");
			h(res, name && *name ? name : sha);
			hraw(res, "</a> <span class=\"muted\">(");
			html_int(r, res, json_integer_value(json_object_get(f, "size")));
			hraw(res, " ");
			h(res, T(r, "bytes"));
			hraw(res, ")</span></li>");
		}
		hraw(res, "</ul>");
	}
	hraw(res, "</section>");
}

static void link_form(web_req *r, web_res *res, const case_link_info *v, const char *error)
{
	const sop_step *st = v->step;
	res->no_store = true;
	html_begin(r, res, v->ticket, NAV_NONE);
	hraw(res, "<section class=\"narrow\"><h1><span class=\"ticket\">");
	h(res, v->ticket);
	hraw(res, "</span></h1><p class=\"muted\">");
	h(res, v->sop->nama);
	hraw(res, "</p>");
	if (error)
		html_notice(res, "error", error);
	hraw(res, "<p>");
	h(res, T(r, "For"));
	hraw(res, ": <strong>");
	h(res, v->recipient);
	hraw(res, "</strong> (");
	h(res, sop_role_name(v->sop, st->role));
	hraw(res, ")</p><section class=\"panel step\"><h2>");
	h(res, T(r, "Step"));
	hprintf(res, " %d</h2><p class=\"uraian\">", st->no);
	h(res, st->uraian);
	hraw(res, "</p>");
	if (st->n_kelengkapan) {
		hraw(res, "<p>");
		h(res, T(r, "Requirements"));
		hraw(res, ":</p><ul class=\"kelengkapan\">");
		for (size_t i = 0; i < st->n_kelengkapan; i++) {
			hraw(res, "<li>");
			h(res, st->kelengkapan[i]);
			hraw(res, "</li>");
		}
		hraw(res, "</ul>");
	}
	material(r, res, v);
	if (st->output) {
		hraw(res, "<p>");
		h(res, T(r, "Output"));
		hraw(res, ": ");
		h(res, st->output);
		hraw(res, "</p>");
	}
	hraw(res, "<p class=\"muted\">");
	h(res, T(r, "This link works once, until"));
	hraw(res, " ");
	html_time(r, res, v->expires_at);
	hraw(res, ".</p><form method=\"post\" enctype=\"multipart/form-data\" action=\"/tautan/");
	h(res, r->path_arg);
	hraw(res, "\">");
	html_csrf(r, res);
	for (size_t i = 0; i < st->n_fields; i++)
		html_sop_field(r, res, &st->fields[i], web_form(r, st->fields[i].name));
	if (st->n_branches) {
		hraw(res, "<p class=\"question\">");
		h(res, st->question);
		hraw(res, "</p><div class=\"decisions\">");
		for (size_t b = 0; b < st->n_branches; b++) {
			hraw(res, "<button type=\"submit\" name=\"keputusan\" value=\"");
			h(res, st->branches[b].label);
			hraw(res, "\">");
			h(res, st->branches[b].label);
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

/* The link's page; with the step's values and the reason when a
 * completion was refused. */
static void show(web_req *r, web_res *res, const char *error)
{
	sg_err e = {0};
	case_link_info v;
	if (case_link_view(r->app, r->path_arg, &v, &e) != 0)
		return link_refused(r, res, &e);
	link_form(r, res, &v, error);
	case_link_info_free(&v);
}

void page_link_file(web_req *r, web_res *res)
{
	const char *sha = web_query(r, "h");
	char path[4200], name[256];
	int64_t size;
	sg_err e = {0};
	if (sha == NULL || case_link_file(r->app, r->path_arg, sha, &size, name, &e) != 0 ||
	    evidence_path(r->app, sha, path, sizeof path) != 0) {
		if (e.code == SG_ESTATE)
			return link_refused(r, res, &e);
		res->no_store = true;
		html_message_page(r, res, 404, T(r, "Not found"),
		                  T(r, "There is no page at this address."));
		return;
	}
	res->no_store = true;
	download_evidence(res, strdup(path), name, sha);
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
	sg_err e = {0};
	case_link_info v;
	if (case_link_view(r->app, r->path_arg, &v, &e) != 0)
		return link_refused(r, res, &e);
	sop_value values[LINK_MAX_VALUES];
	case_upload u[LINK_MAX_FILES];
	size_t nu;
	size_t nv = page_collect_fields(r, v.step->fields, v.step->n_fields, values, LINK_MAX_VALUES,
	                                u, &nu, LINK_MAX_FILES);
	const char *decision = web_form(r, "keputusan");
	case_step_req req = {.decision = decision && *decision ? decision : NULL,
	                     .values = values,
	                     .n_values = nv,
	                     .origin = r->client,
	                     .uploads = u,
	                     .n_uploads = nu};
	case_step_result out;
	char ticket[32];
	if (case_link_complete(r->app, r->path_arg, &req, &out, ticket, &e) != 0) {
		if (e.code == SG_EINVAL) {
			res->status = 400;
			link_form(r, res, &v, web_err(r, &e));
		} else {
			link_refused(r, res, &e);
		}
		case_link_info_free(&v);
		return;
	}
	case_link_info_free(&v);
	res->no_store = true;
	char msg[200];
	snprintf(msg, sizeof msg, "%s %s.", T(r, "Thank you. Your answer has been recorded in case"),
	         ticket);
	html_message_page(r, res, 200, T(r, "Sent"), msg);
}
