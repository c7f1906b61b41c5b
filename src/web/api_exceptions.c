/*
 * api_exceptions.c: /api/v1 for exceptions to the ISMS
 * (app/exceptions.c, exception_read.c): the list by view, one exception
 * whole, a change (which voids the approval and opens a new case) and a
 * revocation. An exception is made, weighed and decided on its case
 * (POST /api/v1/cases/{ticket}/steps), as the SOP runs.
 *
 * The routes are open to every signed-in user (the route table) and the
 * app decides per object: the CSIRT's staff read every exception, an
 * agen_siber its OPD's (another is 404, as one that does not exist).
 * Bearer tokens only: no CSRF token (auth.c).
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "webutil.h"

static bool path_exception(web_req *r, web_res *res, int64_t *id)
{
	if (webutil_int(r->path_arg ? r->path_arg : "", 1, INT64_MAX, id))
		return true;
	web_json_error(res, 404, "not_found", "no such exception");
	return false;
}

void api_exceptions(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *l = exception_list(r->app, r->who.user, web_query(r, "view"), &e);
	if (l == NULL)
		return api_fail(res, &e);
	web_json(res, 200, l);
}

void api_exception_get(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_exception(r, res, &id))
		return;
	sg_err e = {0};
	json_t *o = exception_get(r->app, r->who.user, id, &e);
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 200, o);
}

/* The body's strings of keys (NULL when absent); false, answered 400,
 * when one is not a string. */
static bool strings(web_res *res, json_t *b, const char *const keys[], const char **out[])
{
	for (size_t i = 0; keys[i]; i++) {
		json_t *v = json_object_get(b, keys[i]);
		if (v && !json_is_string(v)) {
			char msg[80];
			snprintf(msg, sizeof msg, "%s must be a string", keys[i]);
			web_json_error(res, 400, "invalid", msg);
			return false;
		}
		*out[i] = json_string_value(v);
	}
	return true;
}

/* PUT /api/v1/exceptions/{id}: {controls, findings, clause, until, why}. */
void api_exception_change(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_exception(r, res, &id))
		return;
	static const char *const keys[] = {"controls", "findings", "clause", "until", "why", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	exception_change_in in = {0};
	const char **dst[] = {&in.controls, &in.findings, &in.clause, &in.until, &in.why};
	if (!strings(res, b, keys, dst)) {
		json_decref(b);
		return;
	}
	sg_err e = {0};
	char ticket[32] = "";
	int64_t new_id = 0;
	int rc = exception_change(r->app, r->who.user, id, &in, ticket, &new_id, &e);
	json_decref(b);
	json_t *o = rc == 0 ? exception_get(r->app, r->who.user, new_id, &e) : NULL;
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 201, o);
}

/* POST /api/v1/exceptions/{id}/revoke: {why}. */
void api_exception_revoke(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_exception(r, res, &id))
		return;
	static const char *const keys[] = {"why", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	const char *why = NULL;
	const char **dst[] = {&why};
	if (!strings(res, b, keys, dst)) {
		json_decref(b);
		return;
	}
	sg_err e = {0};
	int rc = exception_revoke(r->app, r->who.user, id, why, &e);
	json_decref(b);
	json_t *o = rc == 0 ? exception_get(r->app, r->who.user, id, &e) : NULL;
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 200, o);
}
