/*
 * api_monitor.c: /api/v1/monitor for the website monitor (app/monitor.c,
 * app/monitor_check.c; docs/monitor.md): the watched sites, one site with
 * its findings, checks and accepted pages, watching a URL of an asset,
 * changing or stopping it, checking it now, accepting its baseline.
 *
 * The routes are open to every signed-in user (the route table) and the
 * app decides per object, as for the register: the CSIRT's staff read
 * every site, an agen_siber its OPD's (another is 404, as one that does
 * not exist); the register's keepers watch and change; the CTI SOP's
 * officers check now and accept baselines. Bearer tokens only: no CSRF
 * token (auth.c).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "handlers.h"
#include "webutil.h"

static const char *const site_keys[] = {"asset", "url", "period", "paths", "regions",
                                        "sitemap", "enabled", NULL};

/* A list of strings of the body (at most max), into v. */
static bool strings(web_res *res, json_t *b, const char *key, const char **v, size_t max,
                    size_t *n)
{
	json_t *a = json_object_get(b, key);
	*n = 0;
	if (!a)
		return true;
	char msg[96];
	snprintf(msg, sizeof msg, "%s must be a list of at most %zu strings", key, max);
	if (!json_is_array(a) || json_array_size(a) > max) {
		web_json_error(res, 400, "invalid", msg);
		return false;
	}
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x) {
		if (!json_is_string(x)) {
			web_json_error(res, 400, "invalid", msg);
			return false;
		}
		v[(*n)++] = json_string_value(x);
	}
	return true;
}

static bool site_fields(web_res *res, json_t *b, monitor_site_in *in, const char **paths,
                        const char **regions)
{
	memset(in, 0, sizeof *in);
	json_t *v;
	if ((v = json_object_get(b, "asset")) && (!json_is_integer(v) || json_integer_value(v) < 1)) {
		web_json_error(res, 400, "invalid", "asset must be an asset number");
		return false;
	}
	in->asset_id = json_integer_value(v);
	if ((v = json_object_get(b, "url")) && !json_is_string(v)) {
		web_json_error(res, 400, "invalid", "url must be a string");
		return false;
	}
	in->url = json_string_value(v);
	if ((v = json_object_get(b, "period")) && !json_is_integer(v)) {
		web_json_error(res, 400, "invalid", "period must be a number of seconds");
		return false;
	}
	in->period = json_integer_value(v);
	if ((v = json_object_get(b, "sitemap")) && !json_is_boolean(v)) {
		web_json_error(res, 400, "invalid", "sitemap must be true or false");
		return false;
	}
	in->sitemap = json_is_true(v);
	if ((v = json_object_get(b, "enabled")) && !json_is_boolean(v)) {
		web_json_error(res, 400, "invalid", "enabled must be true or false");
		return false;
	}
	if (!strings(res, b, "paths", paths, 64, &in->n_paths) ||
	    !strings(res, b, "regions", regions, 64, &in->n_regions))
		return false;
	in->paths = paths;
	in->regions = regions;
	return true;
}

static bool path_site(web_req *r, web_res *res, int64_t *id)
{
	if (webutil_int(r->path_arg ? r->path_arg : "", 1, INT64_MAX, id))
		return true;
	web_json_error(res, 404, "not_found", "no such site");
	return false;
}

void api_monitor_sites(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *l = monitor_site_list(r->app, r->who.user, web_query(r, "state"), &e);
	if (!l)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:o}", "sites", l));
}

void api_monitor_site(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_site(r, res, &id))
		return;
	sg_err e = {0};
	json_t *o = monitor_site_get(r->app, r->who.user, id, &e);
	if (!o)
		return api_fail(res, &e);
	web_json(res, 200, o);
}

void api_monitor_add(web_req *r, web_res *res)
{
	json_t *b = api_body(r, res, site_keys);
	if (!b)
		return;
	monitor_site_in in;
	const char *paths[64], *regions[64];
	sg_err e = {0};
	int64_t id = 0;
	int rc = -1;
	if (site_fields(res, b, &in, paths, regions)) {
		if (json_object_get(b, "enabled"))
			sg_err_set(&e, SG_EINVAL, "a new site is watched: give no enabled");
		else
			rc = monitor_site_add(r->app, r->who.user, &in, &id, &e);
		json_t *o = rc == 0 ? monitor_site_get(r->app, r->who.user, id, &e) : NULL;
		if (o)
			web_json(res, 201, o);
		else
			api_fail(res, &e);
	}
	json_decref(b);
}

void api_monitor_edit(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_site(r, res, &id))
		return;
	sg_err e = {0};
	/* one the caller may not see is not found, whatever the body */
	json_t *cur = monitor_site_get(r->app, r->who.user, id, &e);
	if (!cur)
		return api_fail(res, &e);
	json_t *b = api_body(r, res, site_keys);
	if (!b) {
		json_decref(cur);
		return;
	}
	monitor_site_in in;
	const char *paths[64], *regions[64];
	if (site_fields(res, b, &in, paths, regions)) {
		int rc = 0;
		if (json_object_get(b, "asset") || json_object_get(b, "url"))
			rc = sg_err_set(&e, SG_EINVAL,
			                "a site's asset and URL stay: stop it and watch the new URL");
		/* what the body leaves out stays as it is */
		const char *kp[64], *kr[64];
		if (!json_object_get(b, "paths")) {
			in.n_paths = json_array_size(json_object_get(cur, "paths"));
			for (size_t i = 0; i < in.n_paths && i < 64; i++)
				kp[i] = json_string_value(json_array_get(json_object_get(cur, "paths"), i));
			in.paths = kp;
		}
		if (!json_object_get(b, "regions")) {
			in.n_regions = json_array_size(json_object_get(cur, "regions"));
			for (size_t i = 0; i < in.n_regions && i < 64; i++)
				kr[i] = json_string_value(json_array_get(json_object_get(cur, "regions"), i));
			in.regions = kr;
		}
		if (!json_object_get(b, "period"))
			in.period = json_integer_value(json_object_get(cur, "period"));
		if (!json_object_get(b, "sitemap"))
			in.sitemap = json_is_true(json_object_get(cur, "sitemap"));
		json_t *en = json_object_get(b, "enabled");
		bool settings = json_object_get(b, "paths") || json_object_get(b, "regions") ||
		                json_object_get(b, "period") || json_object_get(b, "sitemap");
		if (rc == 0 && settings)
			rc = monitor_site_edit(r->app, r->who.user, id, &in, &e);
		if (rc == 0 && en && json_is_true(en) != json_is_true(json_object_get(cur, "enabled")))
			rc = monitor_site_enable(r->app, r->who.user, id, json_is_true(en), &e);
		json_t *o = rc == 0 ? monitor_site_get(r->app, r->who.user, id, &e) : NULL;
		if (o)
			web_json(res, 200, o);
		else
			api_fail(res, &e);
	}
	json_decref(b);
	json_decref(cur);
}

void monitor_node_name(char *out, size_t n)
{
	char host[128] = "";
	gethostname(host, sizeof host - 1);
	snprintf(out, n, "%s web", host);
}

void api_monitor_check(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_site(r, res, &id))
		return;
	sg_err e = {0};
	json_t *cur = monitor_site_get(r->app, r->who.user, id, &e);
	if (!cur)
		return api_fail(res, &e);
	json_decref(cur);
	char node[200];
	monitor_node_name(node, sizeof node);
	monitor_result m;
	if (monitor_site_check_now(r->app, r->who.user, id, node, &m, &e) != 0)
		return api_fail(res, &e);
	json_t *o = monitor_site_get(r->app, r->who.user, id, &e);
	if (!o)
		return api_fail(res, &e);
	json_object_set_new(o, "check",
	                    json_pack("{s:I, s:I, s:I, s:I}", "pages", (json_int_t)m.pages, "fetches",
	                              (json_int_t)m.fetches, "found", (json_int_t)m.found, "resolved",
	                              (json_int_t)m.resolved));
	web_json(res, 200, o);
}

void api_monitor_baseline(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_site(r, res, &id))
		return;
	sg_err e = {0};
	json_t *cur = monitor_site_get(r->app, r->who.user, id, &e);
	if (!cur)
		return api_fail(res, &e);
	json_decref(cur);
	int pages = 0;
	if (monitor_baseline_accept(r->app, r->who.user, id, &pages, &e) != 0)
		return api_fail(res, &e);
	json_t *o = monitor_site_get(r->app, r->who.user, id, &e);
	if (!o)
		return api_fail(res, &e);
	json_object_set_new(o, "accepted", json_integer(pages));
	web_json(res, 200, o);
}
