/*
 * page_opd.c: /opd, the Perangkat Daerah the CSIRT serves, for who keeps
 * them (OPD_KEEPERS: admin, kabid; asset_scope_of says): the list with
 * each OPD's assets and users counted, a form a row to change one, the
 * form that adds one, and deletion of an OPD nothing belongs to (a typing
 * mistake). An OPD in use is refused by the app, saying what holds it,
 * and the refusal is shown above the list.
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "html.h"
#include "i18n.h"

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Whether the caller keeps OPDs; else the refusal page is written. */
static bool keeper(web_req *r, web_res *res)
{
	sg_err e = {0};
	asset_scope s;
	if (asset_scope_of(r->app, r->who.user, &s, &e) == 0 && s.keep_opd)
		return true;
	html_message_page(r, res, 403, T(r, "Request refused"),
			  T(r, "The OPDs are kept by the roles admin and kabid."));
	return false;
}

static void input(web_res *res, const char *id, const char *name, const char *value,
		  const char *extra)
{
	hraw(res, "<input type=\"text\"");
	if (id)
		hprintf(res, " id=\"%s\"", id);
	hprintf(res, " name=\"%s\" value=\"", name);
	h(res, value);
	hprintf(res, "\" %s>", extra);
}

static const char ABBREV_ATTRS[] =
    "required maxlength=\"32\" pattern=\"[A-Za-z][A-Za-z0-9._\\-]*\"";

static void opd_page(web_req *r, web_res *res, const char *error, const char *notice)
{
	sg_err e = {0};
	json_t *list = opd_list(r->app, &e);
	html_begin(r, res, T(r, "OPD"), NAV_OPD);
	hraw(res, "<h1>");
	h(res, T(r, "Perangkat Daerah (OPD)"));
	hraw(res, "</h1><p class=\"lead\">");
	h(res, T(r, "The units the CSIRT serves. Assets and cyber agents (agen_siber) belong to "
		    "one; an OPD something belongs to cannot be deleted."));
	hraw(res, "</p>");
	if (error)
		html_notice(res, "error", error);
	if (notice)
		html_notice(res, "ok", notice);
	if (list == NULL) {
		html_notice(res, "error", web_err(r, &e));
		html_end(r, res);
		return;
	}
	hraw(res, "<div class=\"scroll\">");
	html_thead(res, "list opd", T(r, "OPD"), T(r, "Assets"), T(r, "Users"), "", NULL);
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o) {
		long long id = (long long)json_integer_value(json_object_get(o, "id"));
		/* one form a row: name, abbreviation, head, contact, save; the
		 * delete button in a form of its own */
		hprintf(res, "<tr id=\"opd-%lld\"><td><form method=\"post\" class=\"opd-edit\" "
			     "action=\"/opd/%lld\">",
			id, id);
		html_csrf(r, res);
		hraw(res, "<label>");
		h(res, T(r, "Name"));
		hraw(res, " ");
		input(res, NULL, "nama", str(o, "name"), "required maxlength=\"200\"");
		hraw(res, "</label><label>");
		h(res, T(r, "Abbreviation"));
		hraw(res, " ");
		input(res, NULL, "singkatan", str(o, "abbrev"), ABBREV_ATTRS);
		hraw(res, "</label><label>");
		h(res, T(r, "Head"));
		hraw(res, " ");
		input(res, NULL, "kepala", str(o, "head"), "maxlength=\"200\"");
		hraw(res, "</label><label>");
		h(res, T(r, "Contact"));
		hraw(res, " ");
		input(res, NULL, "kontak", str(o, "contact"), "maxlength=\"500\"");
		hraw(res, "</label> <button type=\"submit\">");
		h(res, T(r, "Save"));
		hraw(res, "</button></form></td><td class=\"num\">");
		hprintf(res, "<a href=\"/aset?opd=");
		h(res, str(o, "abbrev"));
		hraw(res, "\">");
		html_int(r, res, json_integer_value(json_object_get(o, "assets")));
		hraw(res, "</a></td><td class=\"num\">");
		html_int(r, res, json_integer_value(json_object_get(o, "users")));
		hprintf(res, "</td><td><form method=\"post\" class=\"inline\" action=\"/opd/%lld/hapus\">",
			id);
		html_csrf(r, res);
		hraw(res, "<button type=\"submit\" class=\"danger\">");
		h(res, T(r, "Delete"));
		hraw(res, "</button></form></td></tr>");
	}
	hraw(res, "</tbody></table></div><h2>");
	h(res, T(r, "Add an OPD"));
	hraw(res, "</h2><form method=\"post\" action=\"/opd\" id=\"opd-new\">");
	html_csrf(r, res);
	static const struct {
		const char *id, *name, *label, *attrs;
	} fields[] = {
	    {"o-nama", "nama", "Name", "required maxlength=\"200\" placeholder=\"Dinas Kesehatan\""},
	    {"o-singkatan", "singkatan", "Abbreviation", ABBREV_ATTRS},
	    {"o-kepala", "kepala", "Head", "maxlength=\"200\""},
	    {"o-kontak", "kontak", "Contact", "maxlength=\"500\""},
	};
	for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
		hprintf(res, "<div class=\"field\"><label for=\"%s\">", fields[k].id);
		h(res, T(r, fields[k].label));
		hraw(res, "</label>");
		input(res, fields[k].id, fields[k].name, "", fields[k].attrs);
		hraw(res, "</div>");
	}
	hraw(res, "<button type=\"submit\">");
	h(res, T(r, "Add OPD"));
	hraw(res, "</button></form>");
	html_end(r, res);
	json_decref(list);
}

void page_opds(web_req *r, web_res *res)
{
	if (keeper(r, res))
		opd_page(r, res, NULL, NULL);
}

static void read_form(const web_req *r, opd_in *in)
{
	in->name = web_form(r, "nama");
	in->abbrev = web_form(r, "singkatan");
	in->head = web_form(r, "kepala");
	in->contact = web_form(r, "kontak");
}

void page_opd_add(web_req *r, web_res *res)
{
	if (!keeper(r, res))
		return;
	opd_in in;
	read_form(r, &in);
	sg_err e = {0};
	int64_t id;
	if (opd_add(r->app, r->who.user, &in, &id, &e) != 0) {
		res->status = web_status_of(&e);
		opd_page(r, res, web_err(r, &e), NULL);
		return;
	}
	web_redirect(res, "/opd");
}

void page_opd_update(web_req *r, web_res *res)
{
	if (!keeper(r, res))
		return;
	opd_in in;
	read_form(r, &in);
	sg_err e = {0};
	if (opd_update(r->app, r->who.user, r->path_arg, &in, &e) != 0) {
		res->status = web_status_of(&e);
		opd_page(r, res, web_err(r, &e), NULL);
		return;
	}
	web_redirect(res, "/opd");
}

void page_opd_delete(web_req *r, web_res *res)
{
	if (!keeper(r, res))
		return;
	sg_err e = {0};
	if (opd_delete(r->app, r->who.user, r->path_arg, &e) != 0) {
		res->status = web_status_of(&e);
		opd_page(r, res, web_err(r, &e), NULL);
		return;
	}
	web_redirect(res, "/opd");
}
