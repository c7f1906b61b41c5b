/*
 * api_cases.c: /api/v1/cases and the public reports: list and search,
 * open, read, complete a step, comments, assignee, evidence.
 *
 * A step or a new case takes its values either as JSON
 * ({"decision": …, "values": {…}}, and for a step done on an outside
 * actor's behalf "on_behalf" and "channel") or, to send files, as
 * multipart/form-data whose fields are named as the SOP's fields (plus
 * "decision", "procedure", "title").
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "filter.h"
#include "download.h"
#include "handlers.h"
#include "webutil.h"

enum { API_PAGE_MAX = 500 };

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

void api_cases(web_req *r, web_res *res)
{
	case_filter f;
	sg_err e = {0};
	if (filter_read(r, FILTER_API, &f, API_PAGE_MAX, &e) != 0)
		return api_fail(res, &e);
	if (!web_query(r, "limit"))
		f.limit = 50;
	int64_t total;
	if (case_count(r->app, &f, &total, &e) != 0)
		return api_fail(res, &e);
	json_t *list = case_list(r->app, &f, &e);
	if (list == NULL)
		return api_fail(res, &e);
	web_json(res, 200,
	         json_pack("{s:I, s:i, s:i, s:o}", "total", (json_int_t)total, "limit", f.limit,
	                   "offset", f.offset, "cases", list));
}

/* The uploads of a multipart request for fields of an SOP. */
static size_t uploads_of(const web_req *r, case_upload *u, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->files.n && n < max; i++)
		u[n++] = (case_upload){r->files.v[i].field, r->files.v[i].filename,
		                       &r->files.v[i].file};
	return n;
}

/* Multipart values: every form field but the reserved ones, and a value
 * naming each file. */
static size_t multipart_values(const web_req *r, const char *const *reserved, sop_value *v,
                               size_t max, const case_upload *u, size_t nu)
{
	size_t n = 0;
	for (size_t i = 0; i < r->form.n && n < max; i++) {
		bool skip = false;
		for (const char *const *k = reserved; *k; k++)
			skip |= strcmp(*k, r->form.v[i].name) == 0;
		if (!skip)
			v[n++] = (sop_value){r->form.v[i].name, r->form.v[i].value};
	}
	for (size_t i = 0; i < nu && n < max; i++)
		v[n++] = (sop_value){u[i].field, u[i].filename};
	return n;
}

void api_case_create(web_req *r, web_res *res)
{
	sop_value v[API_MAX_VALUES];
	case_upload u[16];
	size_t nv = 0, nu = 0;
	const char *procedure, *title;
	json_t *b = NULL;
	if (api_is_multipart(r)) {
		static const char *const reserved[] = {"procedure", "title", NULL};
		procedure = web_form(r, "procedure");
		title = web_form(r, "title");
		nu = uploads_of(r, u, 16);
		nv = multipart_values(r, reserved, v, API_MAX_VALUES, u, nu);
	} else {
		static const char *const keys[] = {"procedure", "title", "fields", NULL};
		if ((b = api_body(r, res, keys)) == NULL)
			return;
		procedure = jstr(b, "procedure");
		title = jstr(b, "title");
		if (api_values(res, json_object_get(b, "fields"), "fields", v, &nv) != 0) {
			json_decref(b);
			return;
		}
	}
	if (procedure == NULL) {
		json_decref(b);
		web_json_error(res, 400, "invalid", "give the procedure (e.g. \"insiden\")");
		return;
	}
	case_new_req req = {.procedure_id = procedure,
	                    .title = title,
	                    .fields = v,
	                    .n_fields = nv,
	                    .actor = r->who.user,
	                    .origin = r->client,
	                    .uploads = u,
	                    .n_uploads = nu};
	char ticket[32];
	sg_err e = {0};
	int rc = case_new(r->app, &req, ticket, &e);
	json_decref(b);
	if (rc != 0)
		return api_fail(res, &e);
	json_t *c = case_get(r->app, ticket, r->who.user, &e);
	if (c == NULL)
		return api_fail(res, &e);
	char loc[64];
	snprintf(loc, sizeof loc, "/api/v1/cases/%s", ticket);
	web_res_header(res, "Location", loc);
	web_json(res, 201, c);
}

void api_case_get(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *c = case_get(r->app, r->path_arg, r->who.user, &e);
	if (c == NULL)
		return api_fail(res, &e);
	web_json(res, 200, c);
}

void api_case_step(web_req *r, web_res *res)
{
	sop_value v[API_MAX_VALUES];
	case_upload u[16];
	size_t nv = 0, nu = 0;
	const char *decision, *on_behalf, *channel;
	json_t *b = NULL;
	int64_t seen_no = 0, seen_at = 0;
	if (api_is_multipart(r)) {
		static const char *const reserved[] = {"decision", "on_behalf", "channel", "step",
		                                       "step_started_at", NULL};
		const char *no = web_form(r, "step"), *at = web_form(r, "step_started_at");
		if ((no && !webutil_int(no, 1, 100000, &seen_no)) ||
		    (at && !webutil_int(at, 0, INT64_MAX, &seen_at))) {
			web_json_error(res, 400, "invalid",
			               "step and step_started_at are numbers: the step the caller saw");
			return;
		}
		decision = web_form(r, "decision");
		on_behalf = web_form(r, "on_behalf");
		channel = web_form(r, "channel");
		nu = uploads_of(r, u, 16);
		nv = multipart_values(r, reserved, v, API_MAX_VALUES, u, nu);
	} else {
		static const char *const keys[] = {"decision", "values", "on_behalf", "channel", "step",
		                                   "step_started_at", NULL};
		if ((b = api_body(r, res, keys)) == NULL)
			return;
		json_t *no = json_object_get(b, "step"), *at = json_object_get(b, "step_started_at");
		if ((no && !json_is_integer(no)) || (at && !json_is_integer(at))) {
			json_decref(b);
			web_json_error(res, 400, "invalid",
			               "step and step_started_at are numbers: the step the caller saw");
			return;
		}
		seen_no = no ? json_integer_value(no) : 0;
		seen_at = at ? json_integer_value(at) : 0;
		if (seen_no < 0 || seen_no > 100000 || seen_at < 0) {
			json_decref(b);
			web_json_error(res, 400, "invalid",
			               "step and step_started_at are numbers: the step the caller saw");
			return;
		}
		static const char *const strings[] = {"decision", "on_behalf", "channel"};
		for (int i = 0; i < 3; i++) {
			json_t *d = json_object_get(b, strings[i]);
			if (d && !json_is_string(d) && !json_is_null(d)) {
				json_decref(b);
				char msg[64];
				snprintf(msg, sizeof msg, "%s must be a string", strings[i]);
				web_json_error(res, 400, "invalid", msg);
				return;
			}
		}
		decision = jstr(b, "decision");
		on_behalf = jstr(b, "on_behalf");
		channel = jstr(b, "channel");
		if (api_values(res, json_object_get(b, "values"), "values", v, &nv) != 0) {
			json_decref(b);
			return;
		}
	}
	case_step_req req = {.ticket = r->path_arg,
	                     .user = r->who.user,
	                     .decision = decision,
	                     .values = v,
	                     .n_values = nv,
	                     .origin = r->client,
	                     .uploads = u,
	                     .n_uploads = nu,
	                     .on_behalf = on_behalf && *on_behalf ? on_behalf : NULL,
	                     .channel = channel && *channel ? channel : NULL,
	                     .expect_step = (int)seen_no,
	                     .expect_visit = seen_at};
	case_step_result out;
	sg_err e = {0};
	int rc = case_step(r->app, &req, &out, &e);
	json_decref(b);
	if (rc != 0)
		return api_fail(res, &e);
	json_t *c = case_get(r->app, r->path_arg, r->who.user, &e);
	if (c == NULL)
		return api_fail(res, &e);
	json_object_set_new(c, "step_result",
	                    json_pack("{s:b, s:i, s:b, s:I}", "closed", out.closed, "next_step",
	                              out.next_no, "sla_met", out.sla.met, "spent_seconds",
	                              (json_int_t)out.sla.spent));
	web_json(res, 200, c);
}

void api_case_comments(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *c = case_get(r->app, r->path_arg, r->who.user, &e);
	if (c == NULL)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:O}", "comments", json_object_get(c, "comments")));
	json_decref(c);
}

void api_case_comment(web_req *r, web_res *res)
{
	static const char *const keys[] = {"body", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	const char *body = jstr(b, "body");
	sg_err e = {0};
	int rc = body ? case_comment(r->app, r->path_arg, r->who.user, body, r->client, &e)
	              : sg_err_set(&e, SG_EINVAL, "give the comment as body (a string)");
	json_decref(b);
	if (rc != 0)
		return api_fail(res, &e);
	api_case_comments(r, res);
	res->status = 201;
}

void api_case_assign(web_req *r, web_res *res)
{
	static const char *const keys[] = {"assignee", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	json_t *a = json_object_get(b, "assignee");
	sg_err e = {0};
	int rc = a == NULL || (!json_is_string(a) && !json_is_null(a))
	             ? sg_err_set(&e, SG_EINVAL, "assignee must be a user name or null")
	             : case_assign(r->app, r->path_arg, r->who.user, json_string_value(a), &e);
	json_decref(b);
	if (rc != 0)
		return api_fail(res, &e);
	api_case_get(r, res);
}

void api_case_tlp(web_req *r, web_res *res)
{
	static const char *const keys[] = {"tlp", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	json_t *t = json_object_get(b, "tlp");
	sg_err e = {0};
	int rc = !json_is_string(t)
	             ? sg_err_set(&e, SG_EINVAL, "tlp must be a TLP 2.0 label, e.g. \"TLP:RED\"")
	             : case_set_tlp(r->app, r->path_arg, r->who.user, json_string_value(t), &e);
	json_decref(b);
	if (rc != 0)
		return api_fail(res, &e);
	api_case_get(r, res);
}

void api_case_name(web_req *r, web_res *res)
{
	static const char *const keys[] = {"user", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	json_t *u = json_object_get(b, "user");
	sg_err e = {0};
	int rc = !json_is_string(u)
	             ? sg_err_set(&e, SG_EINVAL, "user must be a user name")
	             : case_name_person(r->app, r->path_arg, r->who.user, json_string_value(u), &e);
	json_decref(b);
	if (rc != 0)
		return api_fail(res, &e);
	api_case_get(r, res);
}

void api_case_asset(web_req *r, web_res *res)
{
	static const char *const keys[] = {"asset", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	json_t *v = json_object_get(b, "asset");
	int64_t asset = json_is_integer(v) ? json_integer_value(v) : 0;
	json_decref(b);
	sg_err e = {0};
	if (asset <= 0)
		sg_err_set(&e, SG_EINVAL, "asset must be an asset's number");
	if (asset <= 0 || case_asset_attach(r->app, r->who.user, r->path_arg, asset, &e) != 0)
		return api_fail(res, &e);
	api_case_get(r, res);
}

void api_case_evidence(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *c = case_get(r->app, r->path_arg, r->who.user, &e);
	if (c == NULL)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:O}", "evidence", json_object_get(c, "evidence")));
	json_decref(c);
}

void api_case_attach(web_req *r, web_res *res)
{
	const web_file *f = api_is_multipart(r) ? web_file_get(r, "file") : NULL;
	if (f == NULL) {
		web_json_error(res, 400, "invalid",
		               "send the file as multipart/form-data in a part named 'file'");
		return;
	}
	case_upload u = {"file", f->filename, &f->file};
	char sha[65];
	sg_err e = {0};
	if (case_attach(r->app, r->path_arg, r->who.user, &u, r->client, sha, &e) != 0)
		return api_fail(res, &e);
	web_json(res, 201,
	         json_pack("{s:s, s:s, s:I}", "sha256", sha, "filename", f->filename, "size",
	                   (json_int_t)f->file.size));
}

void api_evidence_get(web_req *r, web_res *res)
{
	char path[4200], name[256];
	int64_t size;
	sg_err e = {0};
	if (evidence_or_report_visible(r->app, r->who.user, r->path_arg, &size, name, &e) != 0)
		return api_fail(res, &e);
	if (evidence_path(r->app, r->path_arg, path, sizeof path) != 0) {
		web_json_error(res, 404, "not_found", "no evidence with this SHA-256");
		return;
	}
	download_evidence(res, strdup(path), name, r->path_arg);
}

bool gate_report_api(web_req *r, web_res *res)
{
	int64_t retry;
	sg_err e = {0};
	int taken = app_rate_take(r->app, "report", r->client, r->app->cfg.report_limit, time(NULL),
	                          &retry, &e);
	if (taken < 0) {
		api_fail(res, &e);
		return false;
	}
	if (taken)
		return true;
	char ra[24];
	snprintf(ra, sizeof ra, "%lld", (long long)retry);
	web_json_error(res, 429, "too_many_requests",
	               "too many reports from this address in the last hour");
	web_res_header(res, "Retry-After", ra);
	return false;
}

static bool gate(web_req *r, web_res *res, int (*may)(app *, const char *, const char *, sg_err *))
{
	sg_err e = {0};
	if (may(r->app, r->path_arg, r->who.user, &e) == 0)
		return true;
	api_fail(res, &e);
	return false;
}

bool gate_case_step_api(web_req *r, web_res *res)
{
	return gate(r, res, case_may_act);
}

bool gate_case_attach_api(web_req *r, web_res *res)
{
	return gate(r, res, case_may_attach);
}

void api_report(web_req *r, web_res *res)
{
	sop_value v[API_MAX_VALUES];
	case_upload u[16];
	size_t nv = 0, nu = 0;
	json_t *b = NULL;
	if (api_is_multipart(r)) {
		static const char *const reserved[] = {NULL};
		nu = uploads_of(r, u, 1);
		nv = multipart_values(r, reserved, v, API_MAX_VALUES, u, nu);
	} else {
		static const char *const keys[] = {"fields", NULL};
		if ((b = api_body(r, res, keys)) == NULL)
			return;
		if (api_values(res, json_object_get(b, "fields"), "fields", v, &nv) != 0) {
			json_decref(b);
			return;
		}
	}
	const char *system = NULL;
	for (size_t i = 0; i < nv; i++)
		if (strcmp(v[i].name, "sistem_terdampak") == 0)
			system = v[i].value;
	char title[200];
	snprintf(title, sizeof title, "Laporan publik: %.150s", system ? system : "");
	for (char *c = title; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
	case_new_req req = {.procedure_id = "insiden",
	                    .title = title,
	                    .fields = v,
	                    .n_fields = nv,
	                    .actor = "publik",
	                    .origin = r->client,
	                    .uploads = u,
	                    .n_uploads = nu};
	char ticket[32], code[21];
	sg_err e = {0};
	int rc = case_report_public(r->app, &req, ticket, code, &e);
	json_decref(b);
	if (rc != 0)
		return api_fail(res, &e);
	res->no_store = true;
	web_json(res, 201, json_pack("{s:s, s:s}", "ticket", ticket, "tracking", code));
}

void api_report_status(web_req *r, web_res *res)
{
	static const char *const keys[] = {"ticket", "tracking", NULL};
	int64_t retry;
	sg_err le = {0};
	int taken = app_rate_take(r->app, "status", r->client, r->app->cfg.status_limit, time(NULL),
	                          &retry, &le);
	if (taken < 0)
		return api_fail(res, &le);
	if (!taken) {
		char secs[24], msg[200];
		snprintf(secs, sizeof secs, "%lld", (long long)retry);
		snprintf(msg, sizeof msg,
		         "too many status checks from this address in the last hour; try again in "
		         "%lld seconds",
		         (long long)retry);
		web_json_error(res, 429, "too_many_requests", msg);
		web_res_header(res, "Retry-After", secs);
		return;
	}
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	const char *t = jstr(b, "ticket"), *code = jstr(b, "tracking");
	sg_err e = {0};
	json_t *s = t && code ? case_public_status(r->app, t, code, &e) : NULL;
	if (s == NULL && !(t && code))
		sg_err_set(&e, SG_EINVAL, "give ticket and tracking");
	json_decref(b);
	if (s == NULL)
		return api_fail(res, &e);
	web_json(res, 200, s);
}

void api_case_documents(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *d = documents_of_case(r->app, r->who.user, r->path_arg, &e);
	if (d == NULL)
		return api_fail(res, &e);
	web_json(res, 200, d);
}

/* {"step": N, "template": ID}: issues the document; 201 with its number,
 * verification code and SHA-256 once it is committed. */
void api_case_document_issue(web_req *r, web_res *res)
{
	static const char *const keys[] = {"step", "template", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	json_t *step = json_object_get(b, "step");
	const char *tid = jstr(b, "template");
	sg_err e = {0};
	doc_info d;
	int rc = !json_is_integer(step) || json_integer_value(step) < 1 ||
	                 json_integer_value(step) > 10000 || tid == NULL
	             ? sg_err_set(&e, SG_EINVAL,
	                          "give step (a step number) and template (a template id)")
	             : document_issue(r->app, r->who.user, r->path_arg,
	                              (int)json_integer_value(step), tid, &d, &e);
	json_decref(b);
	if (rc != 0)
		return api_fail(res, &e);
	char dl[100];
	snprintf(dl, sizeof dl, "/api/v1/evidence/%s", d.sha256);
	web_json(res, 201,
	         json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:s}", "number", d.number, "code", d.code,
	                   "sha256", d.sha256, "title", d.title, "pages", d.pages, "size",
	                   (json_int_t)d.size, "download", dl));
}

/* GET /api/v1/cases/{ticket}/export?format=stix|misp */
void api_case_export(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *j = case_export(r->app, r->who.user, r->path_arg, web_query(r, "format"), &e);
	if (j == NULL)
		return api_fail(res, &e);
	web_json(res, 200, j);
}
