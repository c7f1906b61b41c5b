/*
 * api.c: /api/v1 apart from cases: the OpenAPI document, the caller,
 * dashboard figures, SOPs, the logbook, users and tokens; and the helpers
 * every API handler uses (api.h).
 *
 * Every answer is JSON; every error is {"error": {"code", "message"}}
 * with the HTTP status saying its kind. Bodies are JSON objects with a
 * closed set of keys: an unknown key is a 400, never silently ignored;
 * so is an unknown query parameter of the routes that check theirs
 * (api_query: the findings, their imports, the assets).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "app/findings.h"
#include "base/civil.h"
#include "base/embed.h"
#include "handlers.h"
#include "webutil.h"

extern const embed_file sigap_api_docs[];

bool api_is_multipart(const web_req *r)
{
	return r->content_type && strncasecmp(r->content_type, "multipart/form-data", 19) == 0;
}

bool api_query(const web_req *r, web_res *res, const char *const *allowed)
{
	for (size_t i = 0; i < r->query.n; i++) {
		const char *name = r->query.v[i].name;
		/* "?&limit=1", "a=1&&b=2": no parameter at all */
		bool known = name[0] == '\0' || strcmp(name, "lang") == 0;
		for (size_t k = 0; allowed[k] && !known; k++)
			known = strcmp(name, allowed[k]) == 0;
		if (known)
			continue;
		buf msg = BUF_INIT;
		buf_puts(&msg, "unknown query parameter '");
		buf_puts(&msg, name);
		buf_puts(&msg, "'; this address takes ");
		for (size_t k = 0; allowed[k]; k++)
			buf_printf(&msg, "%s%s", k ? ", " : "", allowed[k]);
		if (allowed[0] == NULL)
			buf_puts(&msg, "none");
		web_json_error(res, 400, "invalid", buf_str(&msg));
		buf_free(&msg);
		return false;
	}
	return true;
}

void api_fail(web_res *res, const sg_err *e)
{
	web_json_error(res, web_status_of(e), web_code_of(e),
	               e->msg[0] ? e->msg : sg_code_name(e->code));
}

json_t *api_body(web_req *r, web_res *res, const char *const *allowed)
{
	if (r->content_type == NULL || strncasecmp(r->content_type, "application/json", 16) != 0) {
		web_json_error(res, 415, "unsupported_media_type",
		               "send the body as application/json");
		return NULL;
	}
	json_error_t je;
	json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL) {
		char msg[300];
		snprintf(msg, sizeof msg, "the body is not valid JSON: %s (line %d, column %d)",
		         je.text, je.line, je.column);
		web_json_error(res, 400, "invalid", msg);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		web_json_error(res, 400, "invalid", "the body must be a JSON object");
		return NULL;
	}
	const char *k;
	json_t *v;
	json_object_foreach (j, k, v) {
		bool known = false;
		for (const char *const *a = allowed; *a && !known; a++)
			known = strcmp(*a, k) == 0;
		if (!known) {
			char msg[200];
			snprintf(msg, sizeof msg, "unknown key '%.60s' in the body", k);
			json_decref(j);
			web_json_error(res, 400, "invalid", msg);
			return NULL;
		}
	}
	return j;
}

int api_values(web_res *res, json_t *obj, const char *what, sop_value *out, size_t *n)
{
	*n = 0;
	if (obj == NULL || json_is_null(obj))
		return 0;
	char msg[200];
	if (!json_is_object(obj)) {
		snprintf(msg, sizeof msg, "'%s' must be an object of field names and text values",
		         what);
		web_json_error(res, 400, "invalid", msg);
		return -1;
	}
	const char *k;
	json_t *v;
	json_object_foreach (obj, k, v) {
		if (!json_is_string(v)) {
			snprintf(msg, sizeof msg, "%s.%.60s must be a string", what, k);
			web_json_error(res, 400, "invalid", msg);
			return -1;
		}
		if (*n == API_MAX_VALUES) {
			web_json_error(res, 400, "invalid", "too many values");
			return -1;
		}
		out[(*n)++] = (sop_value){k, json_string_value(v)};
	}
	return 0;
}

void api_openapi(web_req *r, web_res *res)
{
	(void)r;
	for (const embed_file *f = sigap_api_docs; f->name; f++)
		if (strcmp(f->name, "openapi.json") == 0) {
			res->content_type = "application/json";
			buf_append(&res->body, f->data, f->len);
			return;
		}
	web_json_error(res, 404, "not_found", "no OpenAPI document in this build");
}

void api_me(web_req *r, web_res *res)
{
	web_json(res, 200,
	         json_pack("{s:s, s:O, s:b}", "user", r->who.user, "roles", r->who.roles,
	                   "via_token", r->via_token));
}

/* The caller's tasks (tasks.c): {"total", "tasks": [...], "findings":
 * [...], "findings_total"}, the most urgent first: steps of cases, and the
 * overdue findings waiting for the caller (finding_cases.c; "total"
 * counts both); ?limit 1 to 1000 (default 100) of each. */
void api_my_tasks(web_req *r, web_res *res)
{
	int64_t limit = 100;
	const char *l = web_query(r, "limit");
	if (l && !webutil_int(l, 1, 1000, &limit)) {
		web_json_error(res, 400, "invalid", "limit must be 1 to 1000");
		return;
	}
	sg_err e = {0};
	int64_t total;
	if (tasks_count(r->app, r->who.user, r->who.roles, 0, &total, &e) != 0)
		return api_fail(res, &e);
	json_t *list = tasks_of(r->app, r->who.user, r->who.roles, (int)limit, &e);
	if (list == NULL)
		return api_fail(res, &e);
	int64_t n_findings = 0;
	json_t *findings = finding_tasks(r->app, r->who.user, r->who.roles, (int)limit,
	                                 &n_findings, &e);
	if (findings == NULL) {
		json_decref(list);
		return api_fail(res, &e);
	}
	json_t *o = json_pack("{s:I, s:o, s:o, s:I}", "total", (json_int_t)total, "tasks", list,
	                      "findings", findings, "findings_total", (json_int_t)n_findings);
	/* the exceptions ending within 30 days, for who may have them
	 * changed (exceptions.c): not counted in total, they wait for no step */
	json_t *ex = exception_list(r->app, r->who.user, "segera", &e);
	json_object_set_new(o, "exceptions_ending",
	                    ex && json_is_true(json_object_get(ex, "may_change"))
	                        ? json_incref(json_object_get(ex, "exceptions"))
	                        : json_array());
	json_decref(ex);
	web_json(res, 200, o);
}

void api_password(web_req *r, web_res *res)
{
	static const char *const keys[] = {"current", "new", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	const char *cur = json_string_value(json_object_get(b, "current"));
	const char *nw = json_string_value(json_object_get(b, "new"));
	sg_err e = {0};
	password_change done;
	/* A session (none with a token) stays; every other one ends. */
	int rc = cur && nw ? user_change_password(r->app, r->who.user, cur, nw,
	                                          r->via_token ? NULL : r->sid, r->client, &done,
	                                          &e)
	                   : sg_err_set(&e, SG_EINVAL, "give current and new (strings)");
	json_decref(b);
	if (rc != 0 && e.code == SG_ESTATE) { /* the sign-in back-off holds */
		web_json_error(res, 429, "too_many_requests", e.msg);
		web_res_header(res, "Retry-After", "60");
		return;
	}
	if (rc != 0)
		return api_fail(res, &e);
	char note[300];
	snprintf(note, sizeof note,
	         "%lld API token(s) stay valid: a password change does not revoke them; revoke "
	         "those you no longer trust with DELETE /api/v1/tokens/{id} or at /token",
	         (long long)done.tokens_active);
	web_json(res, 200,
	         json_pack("{s:s, s:b, s:I, s:I, s:s}", "user", r->who.user, "changed", 1,
	                   "sessions_ended", (json_int_t)done.sessions_ended, "tokens_active",
	                   (json_int_t)done.tokens_active, "note", note));
}

void api_dashboard(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *d = dashboard_get(r->app, r->who.user, &e);
	if (d == NULL)
		return api_fail(res, &e);
	web_json(res, 200, d);
}

void api_sops(web_req *r, web_res *res)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < r->app->sops.n; i++) {
		const sop_entry *en = &r->app->sops.v[i];
		json_t *procs = json_array();
		for (size_t j = 0; j < en->sop->n_procs; j++) {
			const sop_procedure *p = &en->sop->procs[j];
			json_array_append_new(procs,
			                      json_pack("{s:s, s:s, s:s, s:I}", "id", p->id, "nama",
			                                p->nama, "ticket_prefix", p->ticket_prefix,
			                                "steps", (json_int_t)p->n_steps));
		}
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", en->sop->id,
		                                     "nomor", en->sop->nomor, "nama", en->sop->nama,
		                                     "sha256", en->sha256, "procedures", procs));
	}
	web_json(res, 200, json_pack("{s:o}", "sops", arr));
}

/* One SOP: particulars, its procedures with their case fields and steps
 * (actor, standard time, output, decision labels, form fields), and the
 * YAML text it was loaded from. */
void api_sop(web_req *r, web_res *res)
{
	const sop_entry *en = sops_find(&r->app->sops, r->path_arg);
	if (en == NULL) {
		web_json_error(res, 404, "not_found", "no SOP with this id");
		return;
	}
	json_t *procs = json_array();
	for (size_t i = 0; i < en->sop->n_procs; i++) {
		const sop_procedure *p = &en->sop->procs[i];
		json_t *steps = json_array();
		for (size_t k = 0; k < p->n_steps; k++) {
			const sop_step *st = &p->steps[k];
			json_t *o = json_pack(
			    "{s:i, s:s, s:s, s:s, s:s?, s:o}", "no", st->no, "uraian", st->uraian,
			    "role", st->role, "waktu", st->waktu.text ? st->waktu.text : "",
			    "output", st->output, "fields", sop_fields_json(st->fields, st->n_fields));
			if (st->n_branches) {
				json_t *labels = json_array();
				for (size_t b = 0; b < st->n_branches; b++)
					json_array_append_new(labels,
					                      json_string(st->branches[b].label));
				json_object_set_new(o, "decision", labels);
			}
			json_array_append_new(steps, o);
		}
		json_array_append_new(
		    procs, json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", p->id, "nama", p->nama,
		                     "ticket_prefix", p->ticket_prefix, "fields",
		                     sop_fields_json(p->fields, p->n_fields), "steps", steps));
	}
	web_json(res, 200,
	         json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "id", en->sop->id, "nomor",
	                   en->sop->nomor, "nama", en->sop->nama, "sha256", en->sha256, "source",
	                   en->source, "procedures", procs, "yaml", en->text));
}

/* Entries newest first, filtered as the logbook page filters them:
 * actor, kind (case, or an action such as case.step), object, from and
 * to (dates, whole days in the configured zone), limit and offset;
 * {"entries", "total"}. */
void api_logbook(web_req *r, web_res *res)
{
	int64_t limit = 100, offset = 0;
	const char *l = web_query(r, "limit"), *o = web_query(r, "offset");
	if (l && !webutil_int(l, 1, 1000, &limit)) {
		web_json_error(res, 400, "invalid", "limit must be 1 to 1000");
		return;
	}
	if (o && !webutil_int(o, 0, 1000000000, &offset)) {
		web_json_error(res, 400, "invalid", "offset must be 0 to 1000000000");
		return;
	}
	logbook_filter f = {.actor = web_query(r, "actor"),
	                    .kind = web_query(r, "kind"),
	                    .object = web_query(r, "object"),
	                    .viewer = r->who.user,
	                    .limit = (int)limit,
	                    .offset = (int)offset};
	const civil_zone *z = r->app->cfg.cal.zone;
	const char *from = web_query(r, "from"), *to = web_query(r, "to");
	if ((from && civil_parse(from, z, &f.from) != 0) || (to && civil_parse(to, z, &f.to) != 0)) {
		web_json_error(res, 400, "invalid", "from and to must be dates such as 2026-11-23");
		return;
	}
	if (to)
		f.to += 86400 - 1; /* a date includes its whole day */
	sg_err e = {0};
	int64_t total;
	json_t *list = logbook_query(r->app, &f, &total, &e);
	if (list == NULL)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:o, s:I}", "entries", list, "total", (json_int_t)total));
}

void api_logbook_verify(web_req *r, web_res *res)
{
	sg_err e = {0};
	logbook_report rep;
	int rc = logbook_verify(r->app, &rep, &e);
	if (rc != 0 && e.code != SG_EINTEGRITY)
		return api_fail(res, &e);
	json_t *o = json_pack("{s:b, s:I, s:s}", "whole", rc == 0, "entries",
	                      (json_int_t)rep.entries, "head", rep.head);
	if (rc != 0) {
		json_object_set_new(o, "broken_seq", json_integer(rep.broken_seq));
		json_object_set_new(o, "reason", json_string(rep.reason));
	}
	web_json(res, 200, o);
}

void api_users(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *u = user_list(r->app, &e);
	if (u == NULL)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:o}", "users", u));
}

void api_user_add(web_req *r, web_res *res)
{
	static const char *const keys[] = {"name", "roles", "password", "opd", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	const char *name = json_string_value(json_object_get(b, "name"));
	json_t *roles = json_object_get(b, "roles");
	json_t *pw = json_object_get(b, "password");
	json_t *opd = json_object_get(b, "opd");
	if (name == NULL || !json_is_array(roles) || json_array_size(roles) > 32 ||
	    (pw && !json_is_string(pw)) || (opd && !json_is_string(opd) && !json_is_null(opd))) {
		json_decref(b);
		web_json_error(
		    res, 400, "invalid",
		    "give name (string), roles (array of role ids) and optionally password and opd "
		    "(the abbreviation of the user's OPD)");
		return;
	}
	const char *rv[32];
	size_t n = 0, i;
	json_t *ro;
	json_array_foreach (roles, i, ro) {
		if (!json_is_string(ro)) {
			json_decref(b);
			web_json_error(res, 400, "invalid", "roles must be strings");
			return;
		}
		rv[n++] = json_string_value(ro);
	}
	char generated[17];
	const char *password = pw ? json_string_value(pw) : NULL;
	if (password == NULL) {
		user_generate_password(generated);
		password = generated;
	}
	sg_err e = {0};
	if (user_add_opd(r->app, r->who.user, name, rv, n, password, pw == NULL,
	                 json_string_value(opd), &e) != 0) {
		json_decref(b);
		return api_fail(res, &e);
	}
	json_t *o = json_pack("{s:s, s:O}", "name", name, "roles", roles);
	if (json_is_string(opd))
		json_object_set(o, "opd", opd);
	if (pw == NULL)
		json_object_set_new(o, "one_time_password", json_string(generated));
	json_decref(b);
	res->no_store = true;
	web_json(res, 201, o);
}

void api_tokens(web_req *r, web_res *res)
{
	sg_err e = {0};
	json_t *t = token_list(r->app, r->who.user, &e);
	if (t == NULL)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:o}", "tokens", t));
}

void api_token_new(web_req *r, web_res *res)
{
	static const char *const keys[] = {"name", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	char token[45];
	sg_err e = {0};
	const char *name = json_string_value(json_object_get(b, "name"));
	if (token_new(r->app, r->who.user, r->who.user, name, token, &e) != 0) {
		json_decref(b);
		return api_fail(res, &e);
	}
	json_decref(b);
	res->no_store = true;
	web_json(res, 201, json_pack("{s:s}", "token", token));
}

void api_token_revoke(web_req *r, web_res *res)
{
	int64_t id;
	if (!webutil_int(r->path_arg, 1, INT64_MAX, &id)) {
		web_json_error(res, 404, "not_found", "no such token");
		return;
	}
	sg_err e = {0};
	if (token_revoke(r->app, r->who.user, r->who.user, id, &e) != 0)
		return api_fail(res, &e);
	web_json(res, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "revoked", 1));
}

void api_user_update(web_req *r, web_res *res)
{
	static const char *const keys[] = {"roles", "disabled", "opd", NULL};
	json_t *b = api_body(r, res, keys);
	if (b == NULL)
		return;
	json_t *roles = json_object_get(b, "roles"), *dis = json_object_get(b, "disabled");
	json_t *opd = json_object_get(b, "opd");
	const char *rv[32];
	size_t n = 0, i;
	json_t *ro;
	sg_err e = {0};
	if ((roles && (!json_is_array(roles) || json_array_size(roles) > 32)) ||
	    (dis && !json_is_boolean(dis)) || (opd && !json_is_string(opd) && !json_is_null(opd))) {
		json_decref(b);
		web_json_error(res, 400, "invalid",
		               "roles must be an array of role ids, disabled a boolean, opd an OPD's "
		               "abbreviation or null");
		return;
	}
	json_array_foreach (roles, i, ro) {
		if (!json_is_string(ro)) {
			json_decref(b);
			web_json_error(res, 400, "invalid", "roles must be strings");
			return;
		}
		rv[n++] = json_string_value(ro);
	}
	int64_t ended = 0;
	/* A new OPD before the roles (an agen_siber needs one); leaving an
	 * OPD after them (a user no longer an agen_siber may have none). Two
	 * changes, each whole in the logbook. */
	int rc = 0;
	if (json_is_string(opd))
		rc = user_set_opd(r->app, r->who.user, r->path_arg, json_string_value(opd), &e);
	if (rc == 0 && (roles || dis))
		rc = user_update(r->app, r->who.user, r->path_arg, roles ? rv : NULL, n,
		                 dis ? json_is_true(dis) : -1, &ended, &e);
	if (rc == 0 && json_is_null(opd))
		rc = user_set_opd(r->app, r->who.user, r->path_arg, NULL, &e);
	json_decref(b);
	if (rc != 0)
		return api_fail(res, &e);
	json_t *list = user_list(r->app, &e);
	json_array_foreach (list, i, ro)
		if (strcmp(json_string_value(json_object_get(ro, "name")), r->path_arg) == 0) {
			json_object_set_new(ro, "sessions_ended", json_integer(ended));
			web_json(res, 200, json_incref(ro));
			break;
		}
	json_decref(list);
}
