/*
 * page_case_assets.c: the assets a case is about, on the case's page
 * (case_assets.c links them: an SOP field, the alerts of a CTI case, or
 * by hand), and the form that attaches one by hand (POST
 * /kasus/{ticket}/aset), as `sigap case asset` and POST
 * /api/v1/cases/{ticket}/assets do.
 *
 * Who may attach: the CSIRT's staff who see the whole case (the app
 * checks it again: case_asset_attach), and only an asset they may see
 * (asset_ref_check). The form is shown to them only; its number is the
 * one /aset lists.
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Whether the reader may attach assets to case c: the CSIRT's staff who
 * see it whole. */
static bool may_attach(const web_req *r, json_t *c)
{
	if (strcmp(str(c, "sight"), "full") != 0)
		return false;
	case_viewer v;
	sg_err e = {0};
	if (case_viewer_load(r->app, r->who.user, &v, &e) != 0)
		return false;
	bool staff = v.csirt;
	case_viewer_free(&v);
	return staff;
}

static void attach_form(const web_req *r, web_res *res, json_t *c)
{
	hraw(res, "<form method=\"post\" class=\"inline\" id=\"case-asset-form\" action=\"/kasus/");
	h(res, str(c, "ticket"));
	hraw(res, "/aset\">");
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"case-asset\">");
	h(res, T(r, "Asset (its number, or type part of its name)"));
	hraw(res, "</label><input type=\"number\" min=\"1\" id=\"case-asset\" name=\"asset\" "
	          "list=\"case-asset-choices\" required>");
	page_asset_choices(r, res, "case-asset-choices");
	hraw(res, "<small><a href=\"/aset\">");
	h(res, T(r, "The numbers are on the register of assets"));
	hraw(res, "</a></small></div><button type=\"submit\">");
	h(res, T(r, "Attach the asset"));
	hraw(res, "</button></form>");
}

void page_case_assets_panel(const web_req *r, web_res *res, json_t *c)
{
	json_t *assets = json_object_get(c, "assets");
	bool attach = may_attach(r, c);
	if (json_array_size(assets) == 0 && !attach)
		return;
	hraw(res, "<section class=\"panel\" id=\"aset\"><h2>");
	h(res, T(r, "Assets of this case"));
	hraw(res, "</h2>");
	if (json_array_size(assets)) {
		html_thead(res, "list", T(r, "Asset"), T(r, "OPD"), T(r, "Linked by"), NULL);
		size_t i;
		json_t *as;
		json_array_foreach (assets, i, as) {
			hprintf(res, "<tr><td><a href=\"/aset/%lld\">",
			        (long long)json_integer_value(json_object_get(as, "id")));
			h(res, str(as, "name"));
			hraw(res, "</a></td><td>");
			h(res, str(as, "opd"));
			hraw(res, "</td><td>");
			const char *via = str(as, "via");
			h(res, strcmp(via, "field") == 0   ? T(r, "a field of the SOP")
			       : strcmp(via, "alert") == 0 ? T(r, "an alert of the case")
			                                   : T(r, "attached by hand"));
			hraw(res, " · ");
			h(res, str(as, "linked_by"));
			hraw(res, "</td></tr>");
		}
		hraw(res, "</tbody></table>");
	} else {
		hraw(res, "<p class=\"empty\">");
		h(res, T(r, "No asset is attached to this case yet."));
		hraw(res, "</p>");
	}
	if (attach)
		attach_form(r, res, c);
	hraw(res, "</section>\n");
}

/* POST /kasus/{ticket}/aset: attaches the asset, back to the case's
 * assets; a refusal is shown above the case. */
void page_case_asset_attach(web_req *r, web_res *res)
{
	int64_t asset = 0;
	sg_err e = {0};
	if (!webutil_int(web_form(r, "asset"), 1, INT64_MAX, &asset))
		sg_err_set(&e, SG_EINVAL, "asset must be an asset's number");
	else if (case_asset_attach(r->app, r->who.user, r->path_arg, asset, &e) == 0) {
		char loc[128];
		snprintf(loc, sizeof loc, "/kasus/%s?ok=1#aset", r->path_arg);
		web_redirect(res, loc);
		return;
	}
	res->status = web_status_of(&e);
	page_case_render(r, res, web_err(r, &e), NULL);
}
