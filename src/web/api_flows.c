/*
 * api_flows.c: /api/v1/cases/{ticket}/send-back, /reopen and /links: a
 * case sent back to an earlier step, a closed case reopened, and the
 * single-use links of an outside actor's step (app/case_flows.c,
 * app/case_links.c hold the rules; this is their JSON face).
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "handlers.h"

/* A positive whole number under key k, or 0 (absent); -1 when not one. */
static int64_t jint(json_t *b, const char *k)
{
	json_t *v = json_object_get(b, k);
	if (v == NULL || json_is_null(v))
		return 0;
	return json_is_integer(v) && json_integer_value(v) > 0 ? json_integer_value(v) : -1;
}

static void answer_case(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *c = case_get(r->app, r->path_arg, r->who.user, &e);
	if (c == NULL)
		return api_fail(res, &e);
	web_json(res, 200, c);
}

void api_case_send_back(web_req *r, web_res *res)
{
	static const char *const keys[] = {"step", "reason", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	int64_t step = jint(b, "step");
	sg_err e = {0};
	int rc = step < 0 ? sg_err_set(&e, SG_EINVAL, "step must be a step number")
	                  : case_send_back(r->app, r->path_arg, r->who.user, (int)step,
	                                   json_string_value(json_object_get(b, "reason")),
	                                   r->client, &e);
	json_decref(b);
	if (rc != 0)
		return api_fail(res, &e);
	answer_case(r, res);
}

void api_case_reopen(web_req *r, web_res *res)
{
	static const char *const keys[] = {"step", "reason", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	int64_t step = jint(b, "step");
	sg_err e = {0};
	int rc = step < 0 ? sg_err_set(&e, SG_EINVAL, "step must be a step number")
	                  : case_reopen(r->app, r->path_arg, r->who.user, (int)step,
	                                json_string_value(json_object_get(b, "reason")), r->client,
	                                &e);
	json_decref(b);
	if (rc != 0)
		return api_fail(res, &e);
	answer_case(r, res);
}

void api_case_links(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *l = case_links(r->app, r->path_arg, r->who.user, &e);
	if (l == NULL)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:o}", "links", l));
}

void api_case_link_new(web_req *r, web_res *res)
{
	static const char *const keys[] = {"recipient", "report", "evidence", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	char token[LINK_TOKEN_LEN + 1];
	int64_t id = 0, expires = 0;
	sg_err e = {0};
	json_t *rep = json_object_get(b, "report"), *ev = json_object_get(b, "evidence");
	const char *files[LINK_MAX_EVIDENCE + 1];
	link_material m = {.report = json_is_true(rep), .evidence = files};
	int rc = 0;
	if (rep && !json_is_boolean(rep))
		rc = sg_err_set(&e, SG_EINVAL, "report must be true or false");
	else if (ev && !json_is_array(ev))
		rc = sg_err_set(&e, SG_EINVAL, "evidence must be a list of SHA-256 hashes");
	size_t i;
	json_t *x;
	json_array_foreach (ev, i, x) {
		if (rc || !json_is_string(x)) {
			rc = rc ? rc : sg_err_set(&e, SG_EINVAL, "evidence must be a list of SHA-256 hashes");
			break;
		}
		if (m.n_evidence <= LINK_MAX_EVIDENCE)
			files[m.n_evidence++] = json_string_value(x);
	}
	if (rc == 0)
		rc = case_link_issue(r->app, r->path_arg, r->who.user,
		                     json_string_value(json_object_get(b, "recipient")), &m, r->client,
		                     token, &id, &expires, &e);
	json_decref(b);
	if (rc != 0)
		return api_fail(res, &e);
	char path[64];
	snprintf(path, sizeof path, "/tautan/%s", token);
	res->no_store = true;
	web_json(res, 201,
	         json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)id, "token", token, "path",
	                   path, "expires_at", (json_int_t)expires));
}

void api_case_link_revoke(web_req *r, web_res *res)
{
	static const char *const keys[] = {"id", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	int64_t id = jint(b, "id");
	json_decref(b);
	sg_err e = {0};
	if (id <= 0)
		sg_err_set(&e, SG_EINVAL, "give the id of the link to revoke");
	if (id <= 0 || case_link_revoke(r->app, r->path_arg, r->who.user, id, &e) != 0)
		return api_fail(res, &e);
	api_case_links(r, res);
}
