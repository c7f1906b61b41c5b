/*
 * api_assets.c: /api/v1 for the Perangkat Daerah (OPD) and the register
 * of their assets: list with filters, show, create, update, retire, and
 * the register as CSV (export, and import of a text/csv body).
 *
 * The routes are open to every signed-in user (the route table) and the
 * app decides per object (assets.c): the CSIRT's staff see every asset,
 * an agen_siber its own OPD's (another OPD's asset is 404, as one that
 * does not exist), the keepers of the register change it. The API takes
 * bearer tokens only, never the session cookie, so it needs no CSRF
 * token (auth.c).
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "webutil.h"

enum { API_LIST_MAX = 256 };

/* ---- OPD ---- */

static bool opd_fields(web_res *res, json_t *b, opd_in *in)
{
	static const char *const keys[] = {"name", "abbrev", "head", "contact"};
	const char **dst[] = {&in->name, &in->abbrev, &in->head, &in->contact};
	for (size_t i = 0; i < 4; i++) {
		json_t *v = json_object_get(b, keys[i]);
		if (v && !json_is_string(v)) {
			char msg[80];
			snprintf(msg, sizeof msg, "%s must be a string", keys[i]);
			web_json_error(res, 400, "invalid", msg);
			return false;
		}
		*dst[i] = json_string_value(v);
	}
	return true;
}

/* What a caller who is neither CSIRT staff nor a keeper of OPDs (an
 * agen_siber, anyone else signed in) sees of an OPD: of its own OPD
 * everything but the names of its users; of another its number, name and
 * abbreviation, which lists need; its head, contact and counts are that
 * OPD's business. */
static void opd_trim(json_t *o, const asset_scope *s)
{
	if (s->read_all || s->keep_opd)
		return;
	json_object_del(o, "user_names");
	if (s->opd_id && json_integer_value(json_object_get(o, "id")) == s->opd_id)
		return;
	static const char *const others[] = {"head", "contact", "assets", "users"};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		json_object_del(o, others[i]);
}

void api_opd_list(web_req *r, web_res *res)
{
	sg_err e = {0};
	asset_scope s;
	if (asset_scope_of(r->app, r->who.user, &s, &e) != 0)
		return api_fail(res, &e);
	json_t *l = opd_list(r->app, &e);
	if (l == NULL)
		return api_fail(res, &e);
	size_t i;
	json_t *o;
	json_array_foreach (l, i, o)
		opd_trim(o, &s);
	web_json(res, 200, json_pack("{s:o}", "opd", l));
}

/* An OPD as the caller may see it (opd_trim). */
static json_t *opd_for(web_req *r, const char *ref, sg_err *e)
{
	asset_scope s;
	if (asset_scope_of(r->app, r->who.user, &s, e) != 0)
		return NULL;
	json_t *o = opd_get(r->app, ref, e);
	if (o)
		opd_trim(o, &s);
	return o;
}

void api_opd_get(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *o = opd_for(r, r->path_arg, &e);
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 200, o);
}

void api_opd_create(web_req *r, web_res *res)
{
	static const char *const keys[] = {"name", "abbrev", "head", "contact", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	opd_in in = {0};
	sg_err e = {0};
	int64_t id;
	if (!opd_fields(res, b, &in)) {
		json_decref(b);
		return;
	}
	if (opd_add(r->app, r->who.user, &in, &id, &e) != 0) {
		json_decref(b);
		return api_fail(res, &e);
	}
	json_decref(b);
	char ref[24];
	snprintf(ref, sizeof ref, "%lld", (long long)id);
	json_t *o = opd_for(r, ref, &e);
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 201, o);
}

void api_opd_update(web_req *r, web_res *res)
{
	static const char *const keys[] = {"name", "abbrev", "head", "contact", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	opd_in in = {0};
	sg_err e = {0};
	int64_t id;
	if (!opd_fields(res, b, &in)) {
		json_decref(b);
		return;
	}
	/* the OPD first: an unknown one is 404 whoever asks */
	if (opd_resolve(r->app, r->path_arg, &id, &e) != 0 ||
	    opd_update(r->app, r->who.user, r->path_arg, &in, &e) != 0) {
		json_decref(b);
		return api_fail(res, &e);
	}
	json_decref(b);
	char ref[24];
	snprintf(ref, sizeof ref, "%lld", (long long)id);
	json_t *o = opd_for(r, ref, &e);
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 200, o);
}

void api_opd_delete(web_req *r, web_res *res)
{
	sg_err e = {0};
	int64_t id;
	if (opd_resolve(r->app, r->path_arg, &id, &e) != 0 ||
	    opd_delete(r->app, r->who.user, r->path_arg, &e) != 0)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "deleted", 1));
}

/* ---- assets ---- */

typedef struct asset_body {
	asset_in in;
	const char *urls[API_LIST_MAX], *hosts[API_LIST_MAX], *addrs[API_LIST_MAX];
	asset_sw sw[API_LIST_MAX];
} asset_body;

static const char *const asset_keys[] = {
    "opd", "name", "kind", "kse", "criticality", "contact", "notes", "wazuh_agent_name",
    "wazuh_agent_id", "urls", "hosts", "addresses", "software", NULL};

/* A list of strings into v; false after answering 400. */
static bool strings(web_res *res, json_t *b, const char *key, const char **v, size_t *n, bool *has)
{
	json_t *a = json_object_get(b, key);
	if (a == NULL)
		return true;
	char msg[120];
	if (!json_is_array(a) || json_array_size(a) > API_LIST_MAX) {
		snprintf(msg, sizeof msg, "%s must be an array of at most %d strings", key, API_LIST_MAX);
		web_json_error(res, 400, "invalid", msg);
		return false;
	}
	*has = true;
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x) {
		if (!json_is_string(x)) {
			snprintf(msg, sizeof msg, "%s must be an array of strings", key);
			web_json_error(res, 400, "invalid", msg);
			return false;
		}
		v[(*n)++] = json_string_value(x);
	}
	return true;
}

/* The body's fields into ab->in (strings borrowed from b); false after
 * answering 400. A null text field clears it. */
static bool asset_fields(web_res *res, json_t *b, asset_body *ab)
{
	memset(ab, 0, sizeof *ab);
	asset_in *in = &ab->in;
	const char **text[] = {&in->opd, &in->name, &in->kind, &in->kse, &in->criticality,
			       &in->contact, &in->notes, &in->agent_name, &in->agent_id};
	for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
		json_t *v = json_object_get(b, asset_keys[i]);
		if (v == NULL)
			continue;
		if (json_is_null(v)) {
			*text[i] = "";
			continue;
		}
		if (!json_is_string(v)) {
			char msg[80];
			snprintf(msg, sizeof msg, "%s must be a string", asset_keys[i]);
			web_json_error(res, 400, "invalid", msg);
			return false;
		}
		*text[i] = json_string_value(v);
	}
	in->urls = ab->urls;
	in->hosts = ab->hosts;
	in->addresses = ab->addrs;
	in->software = ab->sw;
	if (!strings(res, b, "urls", ab->urls, &in->n_urls, &in->has_urls) ||
	    !strings(res, b, "hosts", ab->hosts, &in->n_hosts, &in->has_hosts) ||
	    !strings(res, b, "addresses", ab->addrs, &in->n_addresses, &in->has_addresses))
		return false;
	json_t *sw = json_object_get(b, "software");
	if (sw == NULL)
		return true;
	if (!json_is_array(sw) || json_array_size(sw) > API_LIST_MAX) {
		web_json_error(res, 400, "invalid",
			       "software must be an array of {\"name\", \"version\", \"cpe\"} objects");
		return false;
	}
	in->has_software = true;
	size_t i;
	json_t *x;
	json_array_foreach(sw, i, x) {
		json_t *nm = json_object_get(x, "name"), *ver = json_object_get(x, "version"),
		       *cpe = json_object_get(x, "cpe");
		if (!json_is_object(x) || !json_is_string(nm) || (ver && !json_is_string(ver) && !json_is_null(ver)) ||
		    (cpe && !json_is_string(cpe) && !json_is_null(cpe))) {
			web_json_error(res, 400, "invalid",
				       "software must be an array of {\"name\", \"version\", \"cpe\"} objects");
			return false;
		}
		ab->sw[in->n_software++] =
		    (asset_sw){json_string_value(nm), json_string_value(ver), json_string_value(cpe)};
	}
	return true;
}

static bool path_asset(web_req *r, web_res *res, int64_t *id)
{
	if (webutil_int(r->path_arg ? r->path_arg : "", 1, INT64_MAX, id))
		return true;
	web_json_error(res, 404, "not_found", "no such asset");
	return false;
}

static const char *query_str(web_req *r, const char *name)
{
	const char *v = web_query(r, name);
	return v && *v ? v : NULL;
}

void api_assets(web_req *r, web_res *res)
{
	static const char *const known[] = {"opd", "kind", "kse", "q", "retired", "limit",
	                                    "offset", NULL};
	if (!api_query(r, res, known))
		return;
	asset_filter f = {.opd = query_str(r, "opd"), .kind = query_str(r, "kind"),
			  .kse = query_str(r, "kse"), .q = query_str(r, "q"),
			  .viewer = r->who.user};
	const char *ret = query_str(r, "retired");
	f.retired = ret && (strcmp(ret, "1") == 0 || strcmp(ret, "true") == 0);
	int64_t limit = 100, offset = 0;
	const char *l = query_str(r, "limit"), *o = query_str(r, "offset");
	if ((l && !webutil_int(l, 1, 1000, &limit)) || (o && !webutil_int(o, 0, INT32_MAX, &offset)))
		return web_json_error(res, 400, "invalid",
				      "limit must be a number from 1 to 1000, offset one from 0");
	f.limit = (int)limit;
	f.offset = (int)offset;
	sg_err e = {0};
	int64_t total = 0;
	json_t *list = asset_list(r->app, &f, &total, &e);
	if (list == NULL)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:I, s:o}", "total", (json_int_t)total, "assets", list));
}

void api_asset_get(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_asset(r, res, &id))
		return;
	sg_err e = {0};
	json_t *o = asset_get(r->app, id, r->who.user, &e);
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 200, o);
}

void api_asset_create(web_req *r, web_res *res)
{
	json_t *b = api_body(r, res, asset_keys);
	if (b == NULL)
		return;
	asset_body *ab = malloc(sizeof *ab);
	if (ab == NULL)
		abort();
	sg_err e = {0};
	int64_t id = 0;
	json_t *o = NULL;
	if (asset_fields(res, b, ab)) {
		if (asset_add(r->app, r->who.user, &ab->in, &id, &e) == 0)
			o = asset_get(r->app, id, r->who.user, &e);
		if (o)
			web_json(res, 201, o);
		else
			api_fail(res, &e);
	}
	free(ab);
	json_decref(b);
}

void api_asset_update(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_asset(r, res, &id))
		return;
	json_t *b = api_body(r, res, asset_keys);
	if (b == NULL)
		return;
	asset_body *ab = malloc(sizeof *ab);
	if (ab == NULL)
		abort();
	sg_err e = {0};
	json_t *o = NULL;
	if (asset_fields(res, b, ab)) {
		if (asset_update(r->app, r->who.user, id, &ab->in, &e) == 0)
			o = asset_get(r->app, id, r->who.user, &e);
		if (o)
			web_json(res, 200, o);
		else
			api_fail(res, &e);
	}
	free(ab);
	json_decref(b);
}

void api_asset_retire(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_asset(r, res, &id))
		return;
	static const char *const keys[] = {"reason", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	sg_err e = {0};
	json_t *o = NULL;
	const char *reason = json_string_value(json_object_get(b, "reason"));
	if (reason == NULL)
		sg_err_set(&e, SG_EINVAL, "say why the asset is retired (a reason)");
	else if (asset_retire(r->app, r->who.user, id, reason, &e) == 0)
		o = asset_get(r->app, id, r->who.user, &e);
	json_decref(b);
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 200, o);
}

void api_assets_export(web_req *r, web_res *res)
{
	sg_err e = {0};
	buf out = BUF_INIT;
	if (asset_export_csv(r->app, r->who.user, query_str(r, "opd"), &out, &e) != 0) {
		buf_free(&out);
		return api_fail(res, &e);
	}
	res->status = 200;
	res->content_type = "text/csv; charset=utf-8";
	res->no_store = true;
	web_res_header(res, "Content-Disposition", "attachment; filename=\"aset.csv\"");
	buf_append(&res->body, out.data ? out.data : "", out.len);
	buf_free(&out);
}

void api_assets_import(web_req *r, web_res *res)
{
	if (r->content_type == NULL || strncasecmp(r->content_type, "text/csv", 8) != 0)
		return web_json_error(res, 415, "unsupported_media_type",
				      "send the register as text/csv (a header row, then a row an asset)");
	const char *name = query_str(r, "name");
	sg_err e = {0};
	diags d = DIAGS_INIT;
	d.limit = 1000;
	asset_import_result ir;
	if (asset_import_csv(r->app, r->who.user, name ? name : "upload.csv", r->body, r->body_len,
			     &ir, &d, &e) != 0) {
		json_t *lines = json_array();
		for (size_t i = 0; i < d.n; i++)
			json_array_append_new(lines, json_pack("{s:i, s:s}", "line", d.v[i].line, "message",
							       d.v[i].msg));
		diags_free(&d);
		web_json(res, web_status_of(&e),
			 json_pack("{s:{s:s, s:s, s:o}}", "error", "code", web_code_of(&e), "message",
				   e.msg, "lines", lines));
		return;
	}
	diags_free(&d);
	web_json(res, 200, json_pack("{s:I, s:I}", "added", (json_int_t)ir.added, "updated",
				     (json_int_t)ir.updated));
}
