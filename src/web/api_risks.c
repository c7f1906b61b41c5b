/*
 * api_risks.c: /api/v1 for the risk register (app/risks.c): the list with
 * its heat map, one risk with its history, create, change, and the matrix
 * of [risiko]; and the catalogue of controls risks, exceptions and
 * policies name (app/controls.c).
 *
 * The routes are open to every signed-in user (the route table) and the
 * app decides per object: the CSIRT's staff read every risk, an
 * agen_siber its OPD's (another is 404, as one that does not exist), the
 * keepers change them. Bearer tokens only: no CSRF token (auth.c).
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "webutil.h"

static const char *const risk_keys[] = {
    "title",  "description", "opd",     "threat", "vulnerability", "likelihood", "impact",
    "residual_likelihood", "residual_impact", "treatment", "treatment_plan", "owner", "review",
    "assets", "status",      NULL};

/* The body as a risk_in (assets into ids, at most 64); false when a value
 * has the wrong type, answered 400. */
static bool risk_fields(web_res *res, json_t *b, risk_in *in, int64_t ids[64])
{
	memset(in, 0, sizeof *in);
	static const char *const texts[] = {"title",     "description",    "opd",   "threat",
	                                    "vulnerability", "treatment", "treatment_plan",
	                                    "owner",     "review",         "status"};
	const char **dst[] = {&in->title,     &in->description,    &in->opd,   &in->threat,
	                      &in->vulnerability, &in->treatment, &in->treatment_plan,
	                      &in->owner,     &in->review,         &in->status};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		json_t *v = json_object_get(b, texts[i]);
		if (v && json_is_null(v) && (strcmp(texts[i], "opd") == 0 || strcmp(texts[i], "owner") == 0)) {
			*dst[i] = ""; /* none */
			continue;
		}
		if (v && !json_is_string(v)) {
			char msg[80];
			snprintf(msg, sizeof msg, "%s must be a string", texts[i]);
			web_json_error(res, 400, "invalid", msg);
			return false;
		}
		*dst[i] = json_string_value(v);
	}
	static const char *const steps[] = {"likelihood", "impact", "residual_likelihood",
	                                    "residual_impact"};
	int *sdst[] = {&in->likelihood, &in->impact, &in->residual_likelihood, &in->residual_impact};
	for (size_t i = 0; i < 4; i++) {
		json_t *v = json_object_get(b, steps[i]);
		if (v && json_is_null(v) && i >= 2) {
			*sdst[i] = -1; /* the residual cleared */
			continue;
		}
		if (v && (!json_is_integer(v) || json_integer_value(v) < 1 ||
		          json_integer_value(v) > 100)) {
			char msg[96];
			snprintf(msg, sizeof msg, "%s must be a step of the matrix (a whole number, 1 the lowest)",
			         steps[i]);
			web_json_error(res, 400, "invalid", msg);
			return false;
		}
		if (v)
			*sdst[i] = (int)json_integer_value(v);
	}
	json_t *as = json_object_get(b, "assets");
	if (as) {
		if (!json_is_array(as) || json_array_size(as) > 64) {
			web_json_error(res, 400, "invalid", "assets must be a list of asset numbers (at most 64)");
			return false;
		}
		size_t i;
		json_t *v;
		json_array_foreach(as, i, v) {
			if (!json_is_integer(v) || json_integer_value(v) < 1) {
				web_json_error(res, 400, "invalid", "assets must be a list of asset numbers (at most 64)");
				return false;
			}
			ids[i] = json_integer_value(v);
		}
		in->assets = ids;
		in->n_assets = json_array_size(as);
		in->set_assets = true;
	}
	return true;
}

static bool path_risk(web_req *r, web_res *res, int64_t *id)
{
	if (webutil_int(r->path_arg ? r->path_arg : "", 1, INT64_MAX, id))
		return true;
	web_json_error(res, 404, "not_found", "no such risk");
	return false;
}

void api_risks(web_req *r, web_res *res)
{
	risk_filter f = {0};
	const char *st = web_query(r, "status"), *lv = web_query(r, "level"), *opd = web_query(r, "opd");
	sg_err e = {0};
	int64_t level = 0;
	if (st && *st && strcmp(st, "aktif") != 0 && strcmp(st, "ditutup") != 0)
		return web_json_error(res, 400, "invalid", "status must be aktif or ditutup");
	if (lv && *lv && !webutil_int(lv, 1, r->app->cfg.risk.n_levels, &level))
		return web_json_error(res, 400, "invalid", "level must be a level number of the matrix");
	if (opd && *opd && opd_resolve(r->app, opd, &f.opd_id, &e) != 0)
		return api_fail(res, &e);
	f.status = st && *st ? st : NULL;
	f.level = (int)level;
	json_t *l = risk_list(r->app, r->who.user, &f, &e);
	if (l == NULL)
		return api_fail(res, &e);
	web_json(res, 200, l);
}

void api_risk_matrix(web_req *r, web_res *res)
{
	web_json(res, 200, risk_matrix_json(&r->app->cfg.risk));
}

void api_risk_get(web_req *r, web_res *res)
{
	int64_t id;
	if (!path_risk(r, res, &id))
		return;
	sg_err e = {0};
	json_t *o = risk_get(r->app, r->who.user, id, &e);
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, 200, o);
}

static void write_risk(web_req *r, web_res *res, bool create)
{
	int64_t id = 0;
	if (!create && !path_risk(r, res, &id))
		return;
	json_t *b = api_body(r, res, risk_keys);
	if (b == NULL)
		return;
	risk_in in;
	int64_t ids[64];
	sg_err e = {0};
	if (!risk_fields(res, b, &in, ids)) {
		json_decref(b);
		return;
	}
	int rc;
	if (create) {
		rc = in.status ? sg_err_set(&e, SG_EINVAL, "a new risk is aktif: give no status")
		               : risk_create(r->app, r->who.user, &in, &id, &e);
	} else {
		/* one the caller may not see is not found, whatever the body */
		json_t *seen = risk_get(r->app, r->who.user, id, &e);
		rc = seen ? risk_update(r->app, r->who.user, id, &in, &e) : -1;
		json_decref(seen);
	}
	json_decref(b);
	json_t *o = rc == 0 ? risk_get(r->app, r->who.user, id, &e) : NULL;
	if (o == NULL)
		return api_fail(res, &e);
	web_json(res, create ? 201 : 200, o);
}

void api_risk_create(web_req *r, web_res *res)
{
	write_risk(r, res, true);
}

void api_risk_update(web_req *r, web_res *res)
{
	write_risk(r, res, false);
}

/* GET /api/v1/controls?framework=&q=: the catalogue of controls
 * (controls.c), for every signed-in user: it is no one's secret. */
void api_controls(web_req *r, web_res *res)
{
	const char *fw = web_query(r, "framework"), *q = web_query(r, "q");
	if (fw && *fw && r->app->ctls.n) {
		bool known = false;
		for (size_t i = 0; i < r->app->ctls.n; i++)
			known |= strcmp(r->app->ctls.v[i].id, fw) == 0;
		if (!known)
			return web_json_error(res, 404, "not_found", "no such framework");
	}
	web_json(res, 200, json_pack("{s:o}", "frameworks", controls_json(&r->app->ctls, fw, q)));
}
