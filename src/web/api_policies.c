/*
 * api_policies.c: /api/v1 for the library of policies (app/policies.c,
 * policy_read.c): the list, one policy (or one of its versions with its
 * text), the diff of two versions, rewriting a draft sent back, "I have
 * read it", and withdrawal. A policy is drafted, approved, ratified,
 * published and evaluated on its cases (POST /api/v1/cases/{ticket}/steps).
 *
 * Every signed-in user reads the library; the app decides who writes.
 * Bearer tokens only: no CSRF token (auth.c).
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "webutil.h"

static bool path_policy(web_req *r, web_res *res, int64_t *id)
{
	if (webutil_int(r->path_arg ? r->path_arg : "", 1, INT64_MAX, id))
		return true;
	web_json_error(res, 404, "not_found", "no such policy");
	return false;
}

void api_policies(web_req *r, web_res *res)
{
	sg_err e = {0};
	const char *p = web_query(r, "published");
	bool published = (p && strcmp(p, "1") == 0) || !policy_insider(r->app, r->who.user);
	json_t *l = policy_list(r->app, published, &e);
	if (l == NULL)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:o}", "policies", l));
}

/* GET /api/v1/policies/{id}[?version=N] */
void api_policy_get(web_req *r, web_res *res)
{
	int64_t id, n = 0;
	if (!path_policy(r, res, &id))
		return;
	const char *v = web_query(r, "version");
	if (v && *v && !webutil_int(v, 1, 100000, &n))
		return web_json_error(res, 400, "invalid", "version is a version number");
	sg_err e = {0};
	/* who is not of the organisation reads what the public reads */
	if (!policy_insider(r->app, r->who.user)) {
		json_t *o = n ? NULL : policy_get(r->app, NULL, id, true, &e);
		if (o == NULL)
			return web_json_error(res, 404, "not_found", "no such policy");
		return web_json(res, 200, o);
	}
	json_t *o = policy_get(r->app, r->who.user, id, false, &e);
	if (o && n) {
		json_decref(o);
		o = policy_version(r->app, id, (int)n, &e);
	}
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 200, o);
}

/* GET /api/v1/policies/{id}/diff?from=N&to=M */
void api_policy_diff(web_req *r, web_res *res)
{
	int64_t id, from, to;
	if (!path_policy(r, res, &id))
		return;
	const char *f = web_query(r, "from"), *t = web_query(r, "to");
	if (!f || !t || !webutil_int(f, 1, 100000, &from) || !webutil_int(t, 1, 100000, &to))
		return web_json_error(res, 400, "invalid", "from and to are version numbers");
	sg_err e = {0};
	if (!policy_insider(r->app, r->who.user))
		return web_json_error(res, 404, "not_found", "no such policy");
	json_t *d = policy_diff(r->app, id, (int)from, (int)to, &e);
	if (d == NULL)
		return api_fail(res, &e);
	web_json(res, 200, d);
}

/* PUT /api/v1/policies/{id}/text {version, text}: a draft sent back. */
void api_policy_text(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_policy(r, res, &id))
		return;
	static const char *const keys[] = {"version", "text", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	json_t *v = json_object_get(b, "version"), *t = json_object_get(b, "text");
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100000 ||
	    !json_is_string(t)) {
		json_decref(b);
		return web_json_error(res, 400, "invalid",
		                      "give version (a version number) and text (a string)");
	}
	sg_err e = {0};
	int n = (int)json_integer_value(v);
	int rc = policy_edit(r->app, r->who.user, id, n, json_string_value(t), &e);
	json_decref(b);
	json_t *o = rc == 0 ? policy_version(r->app, id, n, &e) : NULL;
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 200, o);
}

/* POST /api/v1/policies/{id}/ack */
void api_policy_ack(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_policy(r, res, &id))
		return;
	sg_err e = {0};
	json_t *o = policy_ack(r->app, r->who.user, id, &e) == 0
	                ? policy_get(r->app, r->who.user, id, false, &e)
	                : NULL;
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 200, o);
}

/* POST /api/v1/policies/{id}/withdraw {why} */
void api_policy_withdraw(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_policy(r, res, &id))
		return;
	static const char *const keys[] = {"why", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	json_t *w = json_object_get(b, "why");
	if (w && !json_is_string(w)) {
		json_decref(b);
		return web_json_error(res, 400, "invalid", "why must be a string");
	}
	sg_err e = {0};
	int rc = policy_withdraw(r->app, r->who.user, id, json_string_value(w), &e);
	json_decref(b);
	json_t *o = rc == 0 ? policy_get(r->app, r->who.user, id, false, &e) : NULL;
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 200, o);
}
