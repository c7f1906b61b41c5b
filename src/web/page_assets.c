/*
 * page_assets.c: the register of assets (sistem elektronik) as pages:
 * /aset, the list grouped by OPD with its filters, the CSV download and
 * upload; /aset/{id}, one asset with its particulars, software, findings,
 * alerts, cases and history; the forms that add, change and retire one.
 *
 * The routes are open to every signed-in user and app/ decides per
 * object, as the API does (docs/assets.md): the CSIRT's staff see every
 * asset, an agen_siber its own OPD's (another OPD's asset is "not found",
 * exactly as one that does not exist), the keepers change them; whoever
 * sees nothing (admin, outside actors) gets an empty register. The forms
 * are offered only to who may send them, and the app checks again.
 *
 * The CSV upload is a multipart route that takes a file (PAGE_UP): its
 * gate refuses, before a byte of the body is read, a caller who may
 * change no asset and a declared length over [web] body_max (the API's
 * limit for a CSV body: some thousands of assets; a larger register
 * imports with `sigap asset import`); the file itself waits in the
 * evidence spool, is read once, and is removed with the request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/findings.h"
#include "handlers.h"
#include "html.h"
#include "i18n.h"
#include "webutil.h"

enum { ASSETS_PER_PAGE = 100, LIST_LINES_MAX = 256, ASSET_FINDINGS_MAX = 50,
       ASSET_ALERTS_MAX = 20, ASSET_HISTORY_MAX = 50, ASSET_CHOICES_MAX = 2000 };
/* The multipart envelope around the CSV file: the boundaries, the part
 * headers and the CSRF field. */
enum { CSV_UPLOAD_SLACK = 16 * 1024 };

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static const char *query(const web_req *r, const char *name)
{
	const char *v = web_query(r, name);
	return v && *v ? v : NULL;
}

/* ---- the register's words in the request's language ---- */

static const char *kind_label(const web_req *r, const char *k)
{
	if (strcmp(k, "aplikasi") == 0)
		return T(r, "Application");
	if (strcmp(k, "situs_web") == 0)
		return T(r, "Website");
	if (strcmp(k, "server") == 0)
		return T(r, "Server");
	if (strcmp(k, "jaringan") == 0)
		return T(r, "Network");
	if (strcmp(k, "perangkat") == 0)
		return T(r, "Device");
	return k;
}

static const char *kse_label(const web_req *r, const char *k)
{
	if (strcmp(k, "strategis") == 0)
		return T(r, "Strategic");
	if (strcmp(k, "tinggi") == 0)
		return T(r, "High");
	if (strcmp(k, "rendah") == 0)
		return T(r, "Low");
	return k;
}

static const char *criticality_label(const web_req *r, const char *k)
{
	if (strcmp(k, "rendah") == 0)
		return T(r, "Low");
	if (strcmp(k, "sedang") == 0)
		return T(r, "Medium");
	if (strcmp(k, "tinggi") == 0)
		return T(r, "High");
	if (strcmp(k, "kritis") == 0)
		return T(r, "Critical");
	return k;
}

static void option(web_res *res, const char *value, const char *label, const char *current)
{
	hraw(res, "<option value=\"");
	h(res, value);
	hraw(res, current && strcmp(current, value) == 0 ? "\" selected>" : "\">");
	h(res, label);
	hraw(res, "</option>");
}

static void choice_select(const web_req *r, web_res *res, const char *id, const char *name,
			  const char *const *values, const char *(*label)(const web_req *, const char *),
			  const char *current, const char *empty)
{
	hprintf(res, "<select id=\"%s\" name=\"%s\"%s>", id, name, empty ? "" : " required");
	option(res, "", empty ? empty : "", current);
	for (size_t i = 0; values[i]; i++)
		option(res, values[i], label(r, values[i]), current);
	hraw(res, "</select>");
}

/* The OPDs a form may name: all of them for who keeps every asset, its
 * own for an agen_siber. */
static void opd_select(const web_req *r, web_res *res, const char *id, const char *name,
		       const asset_scope *s, const char *current, const char *empty)
{
	sg_err e = {0};
	json_t *opds = opd_list(r->app, &e);
	hprintf(res, "<select id=\"%s\" name=\"%s\"%s>", id, name, empty ? "" : " required");
	if (empty || s->read_all)
		option(res, "", empty ? empty : "", current);
	size_t i;
	json_t *o;
	json_array_foreach(opds, i, o) {
		json_int_t oid = json_integer_value(json_object_get(o, "id"));
		if (!s->read_all && oid != s->opd_id)
			continue;
		char label[400];
		snprintf(label, sizeof label, "%s (%s)", str(o, "name"), str(o, "abbrev"));
		option(res, str(o, "abbrev"), label, current);
	}
	hraw(res, "</select>");
	json_decref(opds);
}

/* ---- /aset: the register ---- */

static void import_errors(const web_req *r, web_res *res, const diags *d)
{
	hraw(res, "<ul class=\"notice error\" id=\"import-errors\">");
	for (size_t i = 0; i < d->n; i++) {
		hraw(res, "<li>");
		if (d->v[i].line > 0)
			hprintf(res, "%s %d: ", T(r, "Line"), d->v[i].line);
		h(res, d->v[i].msg);
		hraw(res, "</li>");
	}
	if (d->dropped)
		hprintf(res, "<li>… %zu %s</li>", d->dropped, T(r, "more"));
	hraw(res, "</ul>");
}

static void asset_rows(const web_req *r, web_res *res, json_t *list)
{
	const char *group = NULL;
	size_t i;
	json_t *a;
	json_array_foreach(list, i, a) {
		json_t *opd = json_object_get(a, "opd");
		if (group == NULL || strcmp(group, str(opd, "abbrev")) != 0) {
			if (group)
				hraw(res, "</tbody></table></div>");
			group = str(opd, "abbrev");
			hraw(res, "<h2 class=\"opd-group\">");
			h(res, str(opd, "name"));
			hraw(res, " <span class=\"muted\">(");
			h(res, group);
			hraw(res, ")</span></h2><div class=\"scroll\">");
			/* the number first: the findings' and the import's forms ask
			 * for it */
			html_thead(res, "list assets", T(r, "Asset number"), T(r, "Name"), T(r, "Kind"),
				   T(r, "KSE category"),
				   T(r, "Criticality"), T(r, "Wazuh agent"), T(r, "Software"), NULL);
		}
		json_int_t id = json_integer_value(json_object_get(a, "id"));
		hprintf(res, "<tr><td class=\"num\" data-asset-number>%lld</td><td><a href=\"/aset/%lld\">",
			(long long)id, (long long)id);
		h(res, str(a, "name"));
		hraw(res, "</a>");
		if (json_is_integer(json_object_get(a, "retired_at"))) {
			hraw(res, " <span class=\"badge late\">");
			h(res, T(r, "retired"));
			hraw(res, "</span>");
		}
		hraw(res, "</td><td>");
		h(res, kind_label(r, str(a, "kind")));
		hraw(res, "</td><td>");
		h(res, kse_label(r, str(a, "kse")));
		hraw(res, "</td><td>");
		h(res, criticality_label(r, str(a, "criticality")));
		hraw(res, "</td><td>");
		h(res, str(a, "wazuh_agent_name"));
		hraw(res, "</td><td class=\"num\">");
		html_int(r, res, json_integer_value(json_object_get(a, "software")));
		hraw(res, "</td></tr>");
	}
	if (group)
		hraw(res, "</tbody></table></div>");
}

/* The register page; notice (ok) or error above it, and the bad rows of
 * a refused import (NULL: none). */
static void assets_page(web_req *r, web_res *res, const char *notice, const char *error,
			const diags *bad)
{
	sg_err e = {0};
	asset_scope s;
	if (asset_scope_of(r->app, r->who.user, &s, &e) != 0) {
		html_message_page(r, res, 500, T(r, "Assets"), web_err(r, &e));
		return;
	}
	asset_filter f = {.opd = query(r, "opd"), .kind = query(r, "jenis"), .kse = query(r, "kse"),
			  .q = query(r, "q"), .limit = ASSETS_PER_PAGE, .viewer = r->who.user};
	f.retired = query(r, "pensiun") != NULL;
	int64_t page = 1;
	const char *hal = query(r, "hal");
	if (hal && !webutil_int(hal, 1, 1000000, &page))
		page = 1;
	f.offset = (int)((page - 1) * ASSETS_PER_PAGE);
	int64_t total = 0;
	json_t *list = NULL;
	if (f.q && strlen(f.q) > 200)
		sg_err_set(&e, SG_EINVAL, "the search text is longer than 200 bytes");
	else
		list = asset_list(r->app, &f, &total, &e);
	if (list == NULL && res->status == 0)
		res->status = web_status_of(&e);
	html_begin(r, res, T(r, "Assets"), NAV_ASSETS);
	hraw(res, "<div class=\"titlebar\"><h1>");
	h(res, T(r, "Register of assets"));
	hraw(res, "</h1>");
	bool writes = asset_scope_writes(&s, 0);
	if (writes) {
		hraw(res, "<a class=\"button\" href=\"/aset/baru\" id=\"asset-new\">");
		h(res, T(r, "Add an asset"));
		hraw(res, "</a>");
	}
	hraw(res, "</div><p class=\"lead\">");
	h(res, T(r, "The electronic systems (sistem elektronik) of the Perangkat Daerah the CSIRT "
		    "serves, by OPD. Alerts and scanner findings are matched to them."));
	hraw(res, "</p>");
	if (error)
		html_notice(res, "error", error);
	else if (list == NULL)
		html_notice(res, "error", web_err(r, &e));
	if (bad && bad->n)
		import_errors(r, res, bad);
	if (notice)
		html_notice(res, "ok", notice);
	if (!s.read_all && s.opd_id == 0) {
		html_notice(res, "info", T(r, "You see no asset: the register is shown to the CSIRT's "
					      "staff and to the cyber agent (agen_siber) of each OPD."));
		html_end(r, res);
		json_decref(list);
		return;
	}
	hraw(res, "<form class=\"filters\" method=\"get\" action=\"/aset\">");
	if (s.read_all) {
		hraw(res, "<label>");
		h(res, T(r, "OPD"));
		hraw(res, " ");
		opd_select(r, res, "q-opd", "opd", &s, f.opd, T(r, "(all)"));
		hraw(res, "</label>");
	}
	hraw(res, "<label>");
	h(res, T(r, "Kind"));
	hraw(res, " ");
	choice_select(r, res, "q-jenis", "jenis", asset_kinds, kind_label, f.kind, T(r, "(all)"));
	hraw(res, "</label><label>");
	h(res, T(r, "KSE category"));
	hraw(res, " ");
	choice_select(r, res, "q-kse", "kse", asset_kse_levels, kse_label, f.kse, T(r, "(all)"));
	hraw(res, "</label><label>");
	h(res, T(r, "Search"));
	hraw(res, " <input type=\"search\" name=\"q\" maxlength=\"200\" value=\"");
	h(res, f.q);
	hraw(res, "\"></label><label class=\"check\"><input type=\"checkbox\" name=\"pensiun\" "
		  "value=\"1\"");
	hraw(res, f.retired ? " checked>" : ">");
	h(res, T(r, "retired ones too"));
	hraw(res, "</label><button type=\"submit\">");
	h(res, T(r, "Show"));
	hraw(res, "</button></form>");
	if (list) {
		hraw(res, "<p class=\"total\">");
		html_int(r, res, total);
		hraw(res, " ");
		h(res, T(r, "assets"));
		hraw(res, "</p>");
		if (json_array_size(list) == 0) {
			hraw(res, "<p class=\"empty\">");
			h(res, T(r, "No assets."));
			hraw(res, "</p>");
		}
		asset_rows(r, res, list);
		int64_t pages = (total + ASSETS_PER_PAGE - 1) / ASSETS_PER_PAGE;
		if (pages > 1) {
			hraw(res, "<nav class=\"pager\">");
			if (page > 1)
				html_page_link(r, res, "/aset", page - 1, T(r, "Previous"), "prev");
			hprintf(res, " <span>%lld / %lld</span> ", (long long)page, (long long)pages);
			if (page < pages)
				html_page_link(r, res, "/aset", page + 1, T(r, "Next"), "next");
			hraw(res, "</nav>");
		}
	}
	/* CSV: the download of what this page's OPD filter shows, the upload
	 * for who may change assets */
	hraw(res, "<section class=\"panel\"><h2>");
	h(res, T(r, "CSV"));
	hraw(res, "</h2><p><a class=\"button secondary\" id=\"asset-export\" href=\"/aset/ekspor");
	if (f.opd) {
		buf q = BUF_INIT;
		webutil_urlencode(&q, f.opd, false);
		hraw(res, "?opd=");
		h(res, buf_str(&q));
		buf_free(&q);
	}
	hraw(res, "\">");
	h(res, T(r, "Download as CSV"));
	hraw(res, "</a></p>");
	if (writes) {
		hraw(res, "<form method=\"post\" action=\"/aset/impor\" enctype=\"multipart/form-data\">");
		html_csrf(r, res);
		hraw(res, "<div class=\"field\"><label for=\"csv-file\">");
		h(res, T(r, "Import a CSV file"));
		hraw(res, "</label><input type=\"file\" id=\"csv-file\" name=\"berkas\" "
			  "accept=\".csv,text/csv\" required><small>");
		h(res, T(r, "A header row, then one asset a row (the columns of the download). A row "
			    "whose OPD already has an asset of that name changes it. All rows or none: "
			    "every bad row is listed by its line and nothing is stored."));
		hraw(res, "</small></div><button type=\"submit\">");
		h(res, T(r, "Import"));
		hraw(res, "</button></form>");
	}
	hraw(res, "</section>");
	html_end(r, res);
	json_decref(list);
}

void page_asset_choices(const web_req *r, web_res *res, const char *list_id)
{
	asset_filter f = {.limit = ASSET_CHOICES_MAX, .viewer = r->who.user};
	sg_err e = {0};
	json_t *list = asset_list(r->app, &f, NULL, &e);
	hraw(res, "<datalist id=\"");
	h(res, list_id);
	hraw(res, "\">");
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x) {
		hprintf(res, "<option value=\"%lld\" label=\"",
		        (long long)json_integer_value(json_object_get(x, "id")));
		h(res, str(x, "name"));
		hraw(res, " (");
		h(res, str(json_object_get(x, "opd"), "abbrev"));
		hraw(res, ")\">");
	}
	hraw(res, "</datalist>");
	json_decref(list);
}

void page_assets(web_req *r, web_res *res)
{
	assets_page(r, res, NULL, NULL, NULL);
}

void page_assets_export(web_req *r, web_res *res)
{
	sg_err e = {0};
	buf out = BUF_INIT;
	if (asset_export_csv(r->app, r->who.user, query(r, "opd"), &out, &e) != 0) {
		buf_free(&out);
		res->status = web_status_of(&e);
		assets_page(r, res, NULL, web_err(r, &e), NULL);
		return;
	}
	res->status = 200;
	res->content_type = "text/csv; charset=utf-8";
	res->no_store = true;
	web_res_header(res, "Content-Disposition", "attachment; filename=\"aset.csv\"");
	buf_append(&res->body, out.data ? out.data : "", out.len);
	buf_free(&out);
}

bool gate_assets_import_page(web_req *r, web_res *res)
{
	sg_err e = {0};
	asset_scope s;
	if (asset_scope_of(r->app, r->who.user, &s, &e) != 0) {
		html_message_page(r, res, 500, T(r, "Request refused"), web_err(r, &e));
		return false;
	}
	if (!asset_scope_writes(&s, 0)) {
		html_message_page(r, res, 403, T(r, "Request refused"),
				  T(r, "Only the keepers of the register (administrator, tim_teknis, "
				       "ttis, kabid) and an OPD's cyber agent may import assets."));
		return false;
	}
	const char *cl = web_header(r, "Content-Length");
	int64_t n;
	if (cl && webutil_int(cl, 0, INT64_MAX, &n) &&
	    n > r->app->cfg.web_body_max + CSV_UPLOAD_SLACK) {
		char msg[300];
		snprintf(msg, sizeof msg, "%s (%lld KiB). %s", T(r, "The CSV file is larger than this page takes"),
			 (long long)(r->app->cfg.web_body_max / 1024),
			 T(r, "A larger register imports with: sigap asset import FILE"));
		html_message_page(r, res, 413, T(r, "Request refused"), msg);
		return false;
	}
	return true;
}

/* The uploaded file into memory (at most max bytes); NULL with a message. */
static char *read_upload(const web_file *f, long max, size_t *n, sg_err *e)
{
	if (f->file.size > max) {
		sg_err_set(e, SG_ETOOBIG, "the CSV file is larger than this page takes (%ld KiB); a "
					  "larger register imports with: sigap asset import FILE",
			   max / 1024);
		return NULL;
	}
	FILE *fp = fopen(f->file.path, "rb");
	if (fp == NULL) {
		sg_err_set(e, SG_EIO, "the uploaded file cannot be read");
		return NULL;
	}
	char *data = malloc((size_t)f->file.size + 1);
	if (data == NULL)
		abort();
	*n = fread(data, 1, (size_t)f->file.size, fp);
	fclose(fp);
	data[*n] = '\0';
	return data;
}

void page_assets_import(web_req *r, web_res *res)
{
	const web_file *f = web_file_get(r, "berkas");
	sg_err e = {0};
	if (f == NULL || f->file.path[0] == '\0') {
		res->status = 400;
		assets_page(r, res, NULL, T(r, "Choose a CSV file to import."), NULL);
		return;
	}
	size_t n = 0;
	char *data = read_upload(f, r->app->cfg.web_body_max, &n, &e);
	if (data == NULL) {
		res->status = web_status_of(&e);
		assets_page(r, res, NULL, web_err(r, &e), NULL);
		return;
	}
	diags d = DIAGS_INIT;
	d.limit = 1000;
	asset_import_result ir = {0};
	int rc = asset_import_csv(r->app, r->who.user, f->filename ? f->filename : "upload.csv",
				  data, n, &ir, &d, &e);
	free(data);
	if (rc != 0) {
		res->status = web_status_of(&e);
		assets_page(r, res, NULL, web_err(r, &e), &d);
		diags_free(&d);
		return;
	}
	diags_free(&d);
	char msg[200];
	snprintf(msg, sizeof msg, "%s: %lld %s, %lld %s.", T(r, "Imported"), (long long)ir.added,
		 T(r, "added"), (long long)ir.updated, T(r, "changed"));
	assets_page(r, res, msg, NULL, NULL);
}

/* ---- /aset/{id}: one asset ---- */

static void dl_text(web_res *res, const char *term, const char *value)
{
	hraw(res, "<dt>");
	h(res, term);
	hraw(res, "</dt><dd>");
	h(res, *value ? value : "—");
	hraw(res, "</dd>");
}

static void dl_list(const web_req *r, web_res *res, const char *term, json_t *list,
		    const char *cls)
{
	(void)r;
	hraw(res, "<dt>");
	h(res, term);
	hprintf(res, "</dt><dd><ul class=\"plain %s\">", cls);
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		hraw(res, "<li><code>");
		h(res, json_string_value(v));
		hraw(res, "</code></li>");
	}
	if (json_array_size(list) == 0)
		hraw(res, "<li>—</li>");
	hraw(res, "</ul></dd>");
}

static void findings_section(web_req *r, web_res *res, int64_t id)
{
	finding_filter ff = {.asset_id = id, .sort = FINDING_SORT_DUE,
			     .limit = ASSET_FINDINGS_MAX, .viewer = r->who.user};
	sg_err e = {0};
	int64_t total = 0;
	json_t *list = finding_list(r->app, &ff, &total, &e);
	hraw(res, "<section id=\"findings\"><h2>");
	h(res, T(r, "Vulnerability findings"));
	hraw(res, "</h2>");
	if (list == NULL) {
		html_notice(res, "error", web_err(r, &e));
		hraw(res, "</section>");
		return;
	}
	if (json_array_size(list) == 0) {
		hraw(res, "<p class=\"empty\">");
		h(res, T(r, "No findings."));
		hraw(res, "</p></section>");
		json_decref(list);
		return;
	}
	hraw(res, "<p class=\"total\">");
	html_int(r, res, total);
	hraw(res, " ");
	h(res, T(r, "findings"));
	if (total > ASSET_FINDINGS_MAX) {
		/* the rest on the findings list (/kerentanan, its asset filter) */
		hraw(res, " (");
		h(res, T(r, "the first by due date"));
		hprintf(res, ") · <a href=\"/kerentanan?asset=%lld\">", (long long)id);
		h(res, T(r, "all findings of this asset"));
		hraw(res, "</a>");
	}
	hraw(res, "</p><div class=\"scroll\">");
	html_thead(res, "list", T(r, "Finding"), T(r, "Severity"), T(r, "State"), T(r, "Due"),
		   T(r, "Endpoint"), T(r, "Last seen"), NULL);
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x) {
		bool late = json_is_true(json_object_get(x, "overdue"));
		json_int_t fid = json_integer_value(json_object_get(x, "id"));
		hprintf(res, "<tr%s><td><a href=\"/kerentanan/%lld\">", late ? " class=\"late\"" : "",
			(long long)fid);
		h(res, str(x, "title"));
		hraw(res, "</a></td><td>");
		const char *sev = str(x, "severity");
		html_alert_level(r, res, strcmp(sev, "info") == 0 ? "informational" : sev);
		hraw(res, "</td><td>");
		h(res, html_finding_state(r, str(x, "state")));
		hraw(res, "</td><td>");
		json_t *due = json_object_get(x, "due_at");
		if (json_is_integer(due))
			html_date(r, res, json_integer_value(due));
		else
			hraw(res, "—");
		if (late) {
			hraw(res, " <span class=\"badge late\">");
			h(res, T(r, "overdue"));
			hraw(res, "</span>");
		}
		hraw(res, "</td><td>");
		h(res, str(x, "endpoint"));
		hraw(res, "</td><td>");
		html_time(r, res, json_integer_value(json_object_get(x, "last_seen")));
		hraw(res, "</td></tr>");
	}
	hraw(res, "</tbody></table></div></section>");
	json_decref(list);
}

static void alerts_section(web_req *r, web_res *res, int64_t id)
{
	if (!asset_alerts_visible(r->app, r->who.user))
		return;
	sg_err e = {0};
	json_t *list = asset_alerts(r->app, id, r->who.user, ASSET_ALERTS_MAX, &e);
	hraw(res, "<section id=\"alerts\"><h2>");
	h(res, T(r, "Alerts"));
	hraw(res, "</h2>");
	if (list == NULL) {
		html_notice(res, "error", web_err(r, &e));
	} else if (json_array_size(list) == 0) {
		hraw(res, "<p class=\"empty\">");
		h(res, T(r, "No alerts."));
		hraw(res, "</p>");
	} else {
		hraw(res, "<div class=\"scroll\">");
		html_thead(res, "list", "#", T(r, "Alert"), T(r, "Level"), T(r, "Status"),
			   T(r, "Count"), T(r, "Last seen"), NULL);
		size_t i;
		json_t *x;
		json_array_foreach(list, i, x) {
			long long aid = (long long)json_integer_value(json_object_get(x, "id"));
			hprintf(res, "<tr><td>ALR-%lld</td><td><a href=\"/peringatan/%lld\">", aid, aid);
			h(res, str(x, "title"));
			hraw(res, "</a></td><td>");
			html_alert_level(r, res, str(x, "level"));
			hraw(res, "</td><td>");
			h(res, html_alert_status(r, str(x, "status")));
			hraw(res, "</td><td class=\"num\">");
			html_int(r, res, json_integer_value(json_object_get(x, "count")));
			hraw(res, "</td><td>");
			html_time(r, res, json_integer_value(json_object_get(x, "last_seen")));
			hraw(res, "</td></tr>");
		}
		hraw(res, "</tbody></table></div>");
	}
	hraw(res, "</section>");
	json_decref(list);
}

static void cases_section(web_req *r, web_res *res, int64_t id)
{
	sg_err e = {0};
	json_t *list = asset_cases(r->app, id, r->who.user, &e);
	hraw(res, "<section id=\"cases\"><h2>");
	h(res, T(r, "Cases"));
	hraw(res, "</h2>");
	if (list == NULL) {
		html_notice(res, "error", web_err(r, &e));
	} else if (json_array_size(list) == 0) {
		hraw(res, "<p class=\"empty\">");
		h(res, T(r, "No case names this asset."));
		hraw(res, "</p>");
	} else {
		hraw(res, "<div class=\"scroll\">");
		html_thead(res, "list", T(r, "Ticket"), T(r, "Title"), T(r, "Status"), T(r, "Opened"),
			   NULL);
		size_t i;
		json_t *x;
		json_array_foreach(list, i, x) {
			hraw(res, "<tr><td><a href=\"/kasus/");
			h(res, str(x, "ticket"));
			hraw(res, "\">");
			h(res, str(x, "ticket"));
			hraw(res, "</a></td><td>");
			h(res, str(x, "title"));
			hraw(res, "</td><td>");
			h(res, strcmp(str(x, "status"), "open") == 0 ? T(r, "open") : T(r, "closed"));
			hraw(res, "</td><td>");
			html_time(r, res, json_integer_value(json_object_get(x, "created_at")));
			hraw(res, "</td></tr>");
		}
		hraw(res, "</tbody></table></div>");
	}
	hraw(res, "</section>");
	json_decref(list);
}

static bool path_id(web_req *r, int64_t *id)
{
	return webutil_int(r->path_arg ? r->path_arg : "", 1, INT64_MAX, id);
}

static void not_found(web_req *r, web_res *res)
{
	html_message_page(r, res, 404, T(r, "Not found"), T(r, "There is no such asset."));
}

/* The asset's page; error above it (NULL: none). */
static void asset_page(web_req *r, web_res *res, int64_t id, const char *error, const char *notice)
{
	sg_err e = {0};
	json_t *a = asset_get(r->app, id, r->who.user, &e);
	asset_scope s;
	if (a == NULL) {
		if (e.code == SG_ENOTFOUND)
			return not_found(r, res);
		html_message_page(r, res, web_status_of(&e), T(r, "Assets"), web_err(r, &e));
		return;
	}
	if (asset_scope_of(r->app, r->who.user, &s, &e) != 0)
		memset(&s, 0, sizeof s);
	json_t *opd = json_object_get(a, "opd");
	bool retired = json_is_integer(json_object_get(a, "retired_at"));
	bool writes = !retired &&
		      asset_scope_writes(&s, json_integer_value(json_object_get(opd, "id")));
	html_begin(r, res, str(a, "name"), NAV_ASSETS);
	hraw(res, "<p class=\"crumbs\"><a href=\"/aset\">");
	h(res, T(r, "Assets"));
	hraw(res, "</a> › ");
	h(res, str(opd, "abbrev"));
	hraw(res, "</p><div class=\"titlebar\"><h1 id=\"asset-name\">");
	h(res, str(a, "name"));
	hraw(res, "</h1>");
	if (writes) {
		hprintf(res, "<a class=\"button\" href=\"/aset/%lld/ubah\" id=\"asset-edit\">",
			(long long)id);
		h(res, T(r, "Edit"));
		hraw(res, "</a>");
	}
	hraw(res, "</div>");
	if (error)
		html_notice(res, "error", error);
	if (notice)
		html_notice(res, "ok", notice);
	if (retired) {
		hraw(res, "<p class=\"notice info\" role=\"status\">");
		h(res, T(r, "Retired"));
		hraw(res, " ");
		html_date(r, res, json_integer_value(json_object_get(a, "retired_at")));
		hraw(res, ": ");
		h(res, str(a, "retired_reason"));
		hraw(res, "</p>");
	}
	hprintf(res, "<dl class=\"facts\"><dt>%s</dt><dd id=\"asset-number\">%lld</dd>",
		T(r, "Asset number"), (long long)id);
	dl_text(res, T(r, "Kind"), kind_label(r, str(a, "kind")));
	char owner[400];
	snprintf(owner, sizeof owner, "%s (%s)", str(opd, "name"), str(opd, "abbrev"));
	dl_text(res, T(r, "Owner OPD"), owner);
	dl_text(res, T(r, "Contact"), str(a, "contact"));
	dl_text(res, T(r, "KSE category"), kse_label(r, str(a, "kse")));
	dl_text(res, T(r, "Criticality"), criticality_label(r, str(a, "criticality")));
	char agent[300] = "";
	if (*str(a, "wazuh_agent_name") || *str(a, "wazuh_agent_id"))
		snprintf(agent, sizeof agent, "%s%s%s%s", str(a, "wazuh_agent_name"),
			 *str(a, "wazuh_agent_id") ? " (ID " : "", str(a, "wazuh_agent_id"),
			 *str(a, "wazuh_agent_id") ? ")" : "");
	dl_text(res, T(r, "Wazuh agent"), agent);
	dl_list(r, res, T(r, "URLs"), json_object_get(a, "urls"), "urls");
	dl_list(r, res, T(r, "Host names"), json_object_get(a, "hosts"), "hosts");
	dl_list(r, res, T(r, "Addresses and ranges"), json_object_get(a, "addresses"), "addresses");
	dl_text(res, T(r, "Notes"), str(a, "notes"));
	hraw(res, "<dt>");
	h(res, T(r, "Registered"));
	hraw(res, "</dt><dd>");
	html_time(r, res, json_integer_value(json_object_get(a, "created_at")));
	hraw(res, " · ");
	h(res, str(a, "created_by"));
	hraw(res, "</dd></dl>");

	json_t *sw = json_object_get(a, "software");
	hraw(res, "<section id=\"software\"><h2>");
	h(res, T(r, "Software"));
	hraw(res, "</h2>");
	if (json_array_size(sw) == 0) {
		hraw(res, "<p class=\"empty\">");
		h(res, T(r, "No software registered."));
		hraw(res, "</p>");
	} else {
		hraw(res, "<div class=\"scroll\">");
		html_thead(res, "list", T(r, "Name"), T(r, "Version"), "CPE 2.3", NULL);
		size_t i;
		json_t *x;
		json_array_foreach(sw, i, x) {
			hraw(res, "<tr><td>");
			h(res, str(x, "name"));
			hraw(res, "</td><td>");
			h(res, str(x, "version"));
			hraw(res, "</td><td>");
			if (*str(x, "cpe")) {
				hraw(res, "<code>");
				h(res, str(x, "cpe"));
				hraw(res, "</code>");
			}
			hraw(res, "</td></tr>");
		}
		hraw(res, "</tbody></table></div>");
	}
	hraw(res, "</section>");

	findings_section(r, res, id);
	alerts_section(r, res, id);
	cases_section(r, res, id);

	json_t *hist = asset_history(r->app, id, r->who.user, ASSET_HISTORY_MAX, &e);
	hraw(res, "<section id=\"history\"><h2>");
	h(res, T(r, "History"));
	hraw(res, "</h2>");
	if (hist)
		html_logbook_table(r, res, hist);
	else
		html_notice(res, "error", web_err(r, &e));
	hraw(res, "</section>");
	json_decref(hist);

	if (writes) {
		hraw(res, "<section class=\"panel\" id=\"retire\"><h2>");
		h(res, T(r, "Retire"));
		hraw(res, "</h2>");
		hprintf(res, "<form method=\"post\" action=\"/aset/%lld/pensiun\">", (long long)id);
		html_csrf(r, res);
		hraw(res, "<div class=\"field\"><label for=\"retire-reason\">");
		h(res, T(r, "Retire this asset: the reason"));
		hraw(res, "</label><textarea id=\"retire-reason\" name=\"alasan\" rows=\"2\" required "
			  "maxlength=\"2000\"></textarea><small>");
		h(res, T(r, "A retired asset stays in the register with its findings, alerts, cases "
			    "and history, changes no more and matches nothing."));
		hraw(res, "</small></div><button type=\"submit\" class=\"danger\">");
		h(res, T(r, "Retire"));
		hraw(res, "</button></form></section>");
	}
	html_end(r, res);
	json_decref(a);
}

void page_asset(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_id(r, &id))
		return not_found(r, res);
	asset_page(r, res, id, NULL, NULL);
}

void page_asset_retire(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_id(r, &id))
		return not_found(r, res);
	sg_err e = {0};
	const char *reason = web_form(r, "alasan");
	if (asset_retire(r->app, r->who.user, id, reason ? reason : "", &e) != 0) {
		if (e.code == SG_ENOTFOUND)
			return not_found(r, res);
		res->status = web_status_of(&e);
		asset_page(r, res, id, web_err(r, &e), NULL);
		return;
	}
	char loc[48];
	snprintf(loc, sizeof loc, "/aset/%lld", (long long)id);
	web_redirect(res, loc);
}

/* ---- the form: add and change ---- */

/* What the form shows: an asset read back, or what was sent. */
typedef struct asset_form {
	const char *opd, *name, *kind, *kse, *criticality, *contact, *agent_name, *agent_id, *notes;
	buf urls, hosts, addrs, software;
} asset_form;

static void lines_of(json_t *list, buf *out)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		buf_puts(out, json_string_value(v));
		buf_putc(out, '\n');
	}
}

static void form_from_asset(asset_form *f, json_t *a)
{
	memset(f, 0, sizeof *f);
	f->opd = str(json_object_get(a, "opd"), "abbrev");
	f->name = str(a, "name");
	f->kind = str(a, "kind");
	f->kse = str(a, "kse");
	f->criticality = str(a, "criticality");
	f->contact = str(a, "contact");
	f->agent_name = str(a, "wazuh_agent_name");
	f->agent_id = str(a, "wazuh_agent_id");
	f->notes = str(a, "notes");
	lines_of(json_object_get(a, "urls"), &f->urls);
	lines_of(json_object_get(a, "hosts"), &f->hosts);
	lines_of(json_object_get(a, "addresses"), &f->addrs);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(a, "software"), i, x) {
		buf_puts(&f->software, str(x, "name"));
		if (*str(x, "version") || *str(x, "cpe")) {
			buf_printf(&f->software, " | %s", str(x, "version"));
			if (*str(x, "cpe"))
				buf_printf(&f->software, " | %s", str(x, "cpe"));
		}
		buf_putc(&f->software, '\n');
	}
}

static const char *form_or(const web_req *r, const char *name)
{
	const char *v = web_form(r, name);
	return v ? v : "";
}

static void form_from_request(asset_form *f, const web_req *r)
{
	memset(f, 0, sizeof *f);
	f->opd = form_or(r, "opd");
	f->name = form_or(r, "nama");
	f->kind = form_or(r, "jenis");
	f->kse = form_or(r, "kse");
	f->criticality = form_or(r, "kritikalitas");
	f->contact = form_or(r, "kontak");
	f->agent_name = form_or(r, "agen_nama");
	f->agent_id = form_or(r, "agen_id");
	f->notes = form_or(r, "catatan");
	buf_puts(&f->urls, form_or(r, "url"));
	buf_puts(&f->hosts, form_or(r, "host"));
	buf_puts(&f->addrs, form_or(r, "alamat"));
	buf_puts(&f->software, form_or(r, "perangkat_lunak"));
}

static void form_free(asset_form *f)
{
	buf_free(&f->urls);
	buf_free(&f->hosts);
	buf_free(&f->addrs);
	buf_free(&f->software);
}

static void text_field(web_res *res, const char *id, const char *name, const char *label,
		       const char *value, const char *extra, const char *help)
{
	hprintf(res, "<div class=\"field\"><label for=\"%s\">", id);
	h(res, label);
	hprintf(res, "</label><input type=\"text\" id=\"%s\" name=\"%s\" value=\"", id, name);
	h(res, value);
	hprintf(res, "\" %s>", extra);
	if (help) {
		hraw(res, "<small>");
		h(res, help);
		hraw(res, "</small>");
	}
	hraw(res, "</div>");
}

static void area_field(web_res *res, const char *id, const char *name, const char *label,
		       const char *value, const char *help)
{
	hprintf(res, "<div class=\"field\"><label for=\"%s\">", id);
	h(res, label);
	hprintf(res, "</label><textarea id=\"%s\" name=\"%s\" rows=\"3\">", id, name);
	h(res, value);
	hraw(res, "</textarea>");
	if (help) {
		hraw(res, "<small>");
		h(res, help);
		hraw(res, "</small>");
	}
	hraw(res, "</div>");
}

/* The add (id 0) or change form. */
static void form_page(web_req *r, web_res *res, int64_t id, const asset_form *f, const char *error)
{
	sg_err e = {0};
	asset_scope s;
	if (asset_scope_of(r->app, r->who.user, &s, &e) != 0)
		memset(&s, 0, sizeof s);
	const char *title = id ? T(r, "Edit an asset") : T(r, "Add an asset");
	html_begin(r, res, title, NAV_ASSETS);
	hraw(res, "<p class=\"crumbs\"><a href=\"/aset\">");
	h(res, T(r, "Assets"));
	hraw(res, "</a>");
	if (id) {
		hprintf(res, " › <a href=\"/aset/%lld\">", (long long)id);
		h(res, f->name);
		hraw(res, "</a>");
	}
	hraw(res, "</p><h1>");
	h(res, title);
	hraw(res, "</h1>");
	if (error)
		html_notice(res, "error", error);
	if (id)
		hprintf(res, "<form method=\"post\" class=\"asset-form\" action=\"/aset/%lld/ubah\">",
			(long long)id);
	else
		hraw(res, "<form method=\"post\" class=\"asset-form\" action=\"/aset/baru\">");
	html_csrf(r, res);
	hraw(res, "<div class=\"field\"><label for=\"a-opd\">");
	h(res, T(r, "Owner OPD"));
	hraw(res, "</label>");
	opd_select(r, res, "a-opd", "opd", &s, f->opd, NULL);
	hraw(res, "</div>");
	text_field(res, "a-nama", "nama", T(r, "Name"), f->name, "required maxlength=\"200\"", NULL);
	hraw(res, "<div class=\"field\"><label for=\"a-jenis\">");
	h(res, T(r, "Kind"));
	hraw(res, "</label>");
	choice_select(r, res, "a-jenis", "jenis", asset_kinds, kind_label, f->kind, NULL);
	hraw(res, "</div><div class=\"field\"><label for=\"a-kse\">");
	h(res, T(r, "KSE category"));
	hraw(res, "</label>");
	choice_select(r, res, "a-kse", "kse", asset_kse_levels, kse_label, f->kse,
		      T(r, "(not categorised)"));
	hraw(res, "<small>");
	h(res, T(r, "BSSN's Kategori Sistem Elektronik."));
	hraw(res, "</small></div><div class=\"field\"><label for=\"a-kritikalitas\">");
	h(res, T(r, "Criticality"));
	hraw(res, "</label>");
	choice_select(r, res, "a-kritikalitas", "kritikalitas", asset_criticalities,
		      criticality_label, f->criticality, T(r, "(not assessed)"));
	hraw(res, "</div>");
	text_field(res, "a-kontak", "kontak", T(r, "Contact"), f->contact, "maxlength=\"500\"", NULL);
	text_field(res, "a-agen-nama", "agen_nama", T(r, "Wazuh agent name"), f->agent_name,
		   "maxlength=\"200\"", NULL);
	text_field(res, "a-agen-id", "agen_id", T(r, "Wazuh agent ID"), f->agent_id,
		   "maxlength=\"10\" inputmode=\"numeric\" pattern=\"[0-9]+\"",
		   T(r, "Digits, as Wazuh shows it: 001."));
	area_field(res, "a-url", "url", T(r, "URLs"), buf_str(&f->urls),
		   T(r, "One a line: https://simpeg.contohkab.go.id/"));
	area_field(res, "a-host", "host", T(r, "Host names"), buf_str(&f->hosts),
		   T(r, "One a line."));
	area_field(res, "a-alamat", "alamat", T(r, "Addresses and ranges"), buf_str(&f->addrs),
		   T(r, "One a line: an address or a CIDR range (10.20.1.10, 10.20.0.0/16)."));
	area_field(res, "a-perangkat-lunak", "perangkat_lunak", T(r, "Software"),
		   buf_str(&f->software),
		   T(r, "One component a line: NAME | VERSION | CPE 2.3 (version and CPE optional)."));
	area_field(res, "a-catatan", "catatan", T(r, "Notes"), f->notes, NULL);
	hraw(res, "<button type=\"submit\">");
	h(res, id ? T(r, "Save") : T(r, "Add asset"));
	hraw(res, "</button></form>");
	html_end(r, res);
}

typedef struct asset_post {
	asset_in in;
	char *urls_text, *hosts_text, *addrs_text, *sw_text;
	const char *urls[LIST_LINES_MAX], *hosts[LIST_LINES_MAX], *addrs[LIST_LINES_MAX];
	const char *sw_lines[LIST_LINES_MAX];
	asset_sw sw[LIST_LINES_MAX];
} asset_post;

static char *dup_form(const web_req *r, const char *name)
{
	char *s = strdup(form_or(r, name));
	if (s == NULL)
		abort();
	return s;
}

/* The posted form into p->in; -1 with a message when a list is too long
 * or a software line is malformed. */
static int read_post(const web_req *r, asset_post *p, sg_err *e)
{
	memset(p, 0, sizeof *p);
	asset_in *in = &p->in;
	in->opd = form_or(r, "opd");
	in->name = form_or(r, "nama");
	in->kind = form_or(r, "jenis");
	in->kse = form_or(r, "kse");
	in->criticality = form_or(r, "kritikalitas");
	in->contact = form_or(r, "kontak");
	in->agent_name = form_or(r, "agen_nama");
	in->agent_id = form_or(r, "agen_id");
	in->notes = form_or(r, "catatan");
	p->urls_text = dup_form(r, "url");
	p->hosts_text = dup_form(r, "host");
	p->addrs_text = dup_form(r, "alamat");
	p->sw_text = dup_form(r, "perangkat_lunak");
	in->urls = p->urls;
	in->hosts = p->hosts;
	in->addresses = p->addrs;
	in->software = p->sw;
	in->has_urls = in->has_hosts = in->has_addresses = in->has_software = true;
	size_t n_sw = 0;
	if (!webutil_split_lines(p->urls_text, p->urls, &in->n_urls, LIST_LINES_MAX) ||
	    !webutil_split_lines(p->hosts_text, p->hosts, &in->n_hosts, LIST_LINES_MAX) ||
	    !webutil_split_lines(p->addrs_text, p->addrs, &in->n_addresses, LIST_LINES_MAX) ||
	    !webutil_split_lines(p->sw_text, p->sw_lines, &n_sw, LIST_LINES_MAX))
		return sg_err_set(e, SG_EINVAL, "a list holds more than %d lines", LIST_LINES_MAX);
	for (size_t i = 0; i < n_sw; i++) {
		char *parts[3] = {(char *)p->sw_lines[i], NULL, NULL};
		for (int k = 1; k < 3; k++) {
			char *bar = parts[k - 1] ? strchr(parts[k - 1], '|') : NULL;
			if (bar) {
				*bar = '\0';
				parts[k] = bar + 1;
			}
		}
		if (parts[2] && strchr(parts[2], '|'))
			return sg_err_set(e, SG_EINVAL,
					  "software line %zu: write NAME | VERSION | CPE, with at most "
					  "two '|'",
					  i + 1);
		p->sw[i] = (asset_sw){webutil_trim(parts[0]), parts[1] ? webutil_trim(parts[1]) : NULL,
				      parts[2] ? webutil_trim(parts[2]) : NULL};
	}
	in->n_software = n_sw;
	return 0;
}

static void post_free(asset_post *p)
{
	free(p->urls_text);
	free(p->hosts_text);
	free(p->addrs_text);
	free(p->sw_text);
}

static asset_post *post_new(void)
{
	asset_post *p = malloc(sizeof *p);
	if (p == NULL)
		abort();
	return p;
}

/* Whether the caller may add some asset; else the refusal is written. */
static bool may_add(web_req *r, web_res *res)
{
	sg_err e = {0};
	asset_scope s;
	if (asset_scope_of(r->app, r->who.user, &s, &e) == 0 && asset_scope_writes(&s, 0))
		return true;
	html_message_page(r, res, 403, T(r, "Request refused"),
			  T(r, "Only the keepers of the register (administrator, tim_teknis, "
			       "ttis, kabid) and an OPD's cyber agent may add assets."));
	return false;
}

void page_asset_new_form(web_req *r, web_res *res)
{
	if (!may_add(r, res))
		return;
	asset_form f;
	memset(&f, 0, sizeof f);
	f.opd = web_query(r, "opd");
	form_page(r, res, 0, &f, NULL);
	form_free(&f);
}

void page_asset_new(web_req *r, web_res *res)
{
	if (!may_add(r, res))
		return;
	asset_post *p = post_new();
	sg_err e = {0};
	int64_t id = 0;
	if (read_post(r, p, &e) == 0)
		asset_add(r->app, r->who.user, &p->in, &id, &e);
	post_free(p);
	free(p);
	if (id == 0) {
		res->status = web_status_of(&e);
		asset_form f;
		form_from_request(&f, r);
		form_page(r, res, 0, &f, web_err(r, &e));
		form_free(&f);
		return;
	}
	char loc[48];
	snprintf(loc, sizeof loc, "/aset/%lld", (long long)id);
	web_redirect(res, loc);
}

void page_asset_edit_form(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_id(r, &id))
		return not_found(r, res);
	sg_err e = {0};
	json_t *a = asset_get(r->app, id, r->who.user, &e);
	if (a == NULL)
		return not_found(r, res);
	asset_scope s;
	if (asset_scope_of(r->app, r->who.user, &s, &e) != 0 ||
	    !asset_scope_writes(&s, json_integer_value(json_object_get(json_object_get(a, "opd"), "id"))) ||
	    json_is_integer(json_object_get(a, "retired_at"))) {
		json_decref(a);
		html_message_page(r, res, 403, T(r, "Request refused"),
				  T(r, "You may not change this asset (a retired one changes no more)."));
		return;
	}
	asset_form f;
	form_from_asset(&f, a);
	form_page(r, res, id, &f, NULL);
	form_free(&f);
	json_decref(a);
}

void page_asset_edit(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_id(r, &id))
		return not_found(r, res);
	asset_post *p = post_new();
	sg_err e = {0};
	int rc = read_post(r, p, &e);
	if (rc == 0)
		rc = asset_update(r->app, r->who.user, id, &p->in, &e);
	post_free(p);
	free(p);
	if (rc != 0) {
		if (e.code == SG_ENOTFOUND)
			return not_found(r, res);
		res->status = web_status_of(&e);
		asset_form f;
		form_from_request(&f, r);
		form_page(r, res, id, &f, web_err(r, &e));
		form_free(&f);
		return;
	}
	char loc[48];
	snprintf(loc, sizeof loc, "/aset/%lld", (long long)id);
	web_redirect(res, loc);
}
