/*
 * http.c: the pieces of web_req and web_res that do not touch the
 * network: parameter lists, response headers and cookies, JSON answers and
 * the mapping of app error codes to HTTP statuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

static char *xstrndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p == NULL)
		abort();
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void web_params_add(web_params *p, const char *name, size_t nlen, const char *value, size_t vlen)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->v = realloc(p->v, p->cap * sizeof *p->v);
		if (p->v == NULL)
			abort();
	}
	p->v[p->n].name = xstrndup(name, nlen);
	p->v[p->n].value = xstrndup(value, vlen);
	p->n++;
}

void web_params_free(web_params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].value);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

void web_files_free(web_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].field);
		free(f->v[i].filename);
		free(f->v[i].content_type);
		evidence_file_discard(&f->v[i].file);
	}
	free(f->v);
	memset(f, 0, sizeof *f);
}

static const char *param(const web_params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return p->v[i].value;
	return NULL;
}

bool web_has_role(const web_req *r, const char *role)
{
	size_t i;
	json_t *v;
	json_array_foreach (r->who.roles, i, v)
		if (strcmp(json_string_value(v), role) == 0)
			return true;
	return false;
}

const char *web_query(const web_req *r, const char *name)
{
	return param(&r->query, name);
}

const char *web_form(const web_req *r, const char *name)
{
	return param(&r->form, name);
}

const web_file *web_file_get(const web_req *r, const char *field)
{
	for (size_t i = 0; i < r->files.n; i++)
		if (strcmp(r->files.v[i].field, field) == 0)
			return &r->files.v[i];
	return NULL;
}

void web_res_header(web_res *res, const char *name, const char *value)
{
	if (res->n_headers == WEB_MAX_HEADERS)
		abort(); /* a handler bug: the limit is far above any use */
	res->headers[res->n_headers][0] = xstrndup(name, strlen(name));
	res->headers[res->n_headers][1] = xstrndup(value, strlen(value));
	res->n_headers++;
}

void web_res_cookie(web_res *res, const web_req *r, const char *name, const char *value,
                    long max_age)
{
	char v[512];
	snprintf(v, sizeof v, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s; Max-Age=%ld", name,
	         value, r->tls ? "; Secure" : "", max_age);
	web_res_header(res, "Set-Cookie", v);
}

void web_redirect(web_res *res, const char *location)
{
	res->status = 303;
	web_res_header(res, "Location", location);
}

void web_json(web_res *res, int status, json_t *j)
{
	res->status = status;
	res->content_type = "application/json";
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(10));
	buf_puts(&res->body, s);
	buf_putc(&res->body, '\n');
	free(s);
	json_decref(j);
}

void web_json_error(web_res *res, int status, const char *code, const char *message)
{
	buf_reset(&res->body);
	web_json(res, status,
	         json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message));
}

int web_status_of(const sg_err *e)
{
	switch (e->code) {
	case SG_EINVAL: return 400;
	case SG_ENOTFOUND: return 404;
	case SG_EPERM: return 403;
	case SG_ESTATE: return 409;
	case SG_ECONFLICT: return 409;
	case SG_ETOOBIG: return 413;
	case SG_EBUSY: return 503;
	default: return 500;
	}
}

const char *web_code_of(const sg_err *e)
{
	switch (e->code) {
	case SG_EINVAL: return "invalid";
	case SG_ENOTFOUND: return "not_found";
	case SG_EPERM: return "forbidden";
	case SG_ESTATE: return "conflict";
	case SG_ECONFLICT: return "conflict";
	case SG_ETOOBIG: return "too_large";
	case SG_EBUSY: return "busy";
	default: return "internal";
	}
}
