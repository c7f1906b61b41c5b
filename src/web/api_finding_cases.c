/*
 * api_finding_cases.c: the JSON API of the SOPs acting on findings
 * (app/finding_cases.c): a patch case started from findings, and findings
 * linked to a CTI case's vulnerability assessment. Both take a body
 * {"findings": [ID, ...]}.
 */
#include <stdlib.h>

#include "api.h"
#include "app/findings.h"
#include "handlers.h"

/* The finding numbers of a body's "findings" into a new array (*n of
 * them), or NULL after answering 400. */
static int64_t *body_ids(web_req *r, web_res *res, size_t *n)
{
	static const char *const keys[] = {"findings", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return NULL;
	json_t *ids = json_object_get(b, "findings");
	*n = json_array_size(ids);
	bool ok = json_is_array(ids) && *n >= 1 && *n <= FINDING_BULK_MAX;
	int64_t *v = ok ? calloc(*n, sizeof *v) : NULL;
	for (size_t i = 0; v && i < *n; i++) {
		json_t *x = json_array_get(ids, i);
		if (!json_is_integer(x) || json_integer_value(x) <= 0) {
			free(v);
			v = NULL;
		} else {
			v[i] = json_integer_value(x);
		}
	}
	json_decref(b);
	if (v == NULL)
		web_json_error(res, 400, "invalid",
		               "findings must be a list of 1 to 1000 finding numbers");
	return v;
}

/* POST /api/v1/findings/patch: 201 with the new case. */
void api_findings_patch(web_req *r, web_res *res)
{
	size_t n;
	int64_t *ids = body_ids(r, res, &n);
	if (ids == NULL)
		return;
	sg_err e = {0};
	char ticket[32];
	int rc = finding_patch_open(r->app, r->who.user, ids, n, r->client, ticket, &e);
	free(ids);
	if (rc != 0)
		return api_fail(res, &e);
	json_t *c = case_get(r->app, ticket, r->who.user, &e);
	if (c == NULL)
		return api_fail(res, &e);
	web_json(res, 201, c);
}

/* GET /api/v1/cases/{ticket}/findings: the findings linked to a case. */
void api_case_findings(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *c = case_get(r->app, r->path_arg, r->who.user, &e);
	if (c == NULL)
		return api_fail(res, &e);
	json_t *f = json_incref(json_object_get(c, "findings"));
	json_decref(c);
	web_json(res, 200, json_pack("{s:o}", "findings", f ? f : json_array()));
}

/* POST /api/v1/cases/{ticket}/findings: findings of one asset linked to
 * a CTI case's vulnerability assessment; answers the linked findings. */
void api_case_findings_link(web_req *r, web_res *res)
{
	size_t n;
	int64_t *ids = body_ids(r, res, &n);
	if (ids == NULL)
		return;
	sg_err e = {0};
	int rc = finding_case_link(r->app, r->who.user, r->path_arg, ids, n, &e);
	free(ids);
	if (rc != 0)
		return api_fail(res, &e);
	api_case_findings(r, res);
}
