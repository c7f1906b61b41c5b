/*
 * http.h: a request as the handlers see it, and the response they fill.
 *
 * server.c reads a request off libmicrohttpd (headers, query), finds its
 * route and who is asking (auth.c) before any of the body is read, then
 * reads the body within the route's limit (form.c; uploaded files go to
 * the evidence spool, never to memory); the router then calls one handler
 * with a web_req and a web_res.
 * Handlers never touch libmicrohttpd: they read parameters, call app/,
 * and write HTML (through html.c) or JSON into the response.
 */
#ifndef SG_WEB_HTTP_H
#define SG_WEB_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "base/buf.h"

typedef struct web_param {
	char *name;
	char *value; /* NUL-terminated; may hold no NUL inside (checked) */
} web_param;

typedef struct web_file {
	char *field;
	char *filename; /* as the client sent it, base name only */
	char *content_type;
	evidence_file file; /* received into the evidence spool; removed with the
	                     * request unless a change stored it */
} web_file;

typedef struct web_params {
	web_param *v;
	size_t n, cap;
} web_params;

typedef struct web_files {
	web_file *v;
	size_t n, cap;
} web_files;

typedef enum { LANG_ID = 0, LANG_EN = 1 } web_lang;

typedef struct web_req {
	app *app;
	const char *method;
	const char *path;  /* decoded path, no query */
	const char *route; /* the route pattern that matched, for logs */
	char client[64];   /* peer address */
	bool tls;
	web_params query;
	web_params form; /* urlencoded or multipart fields */
	web_files files;
	const char *body; /* raw body (JSON API) */
	size_t body_len;
	const char *content_type;
	char *path_arg; /* the {…} part of the route, decoded */
	/* Set by auth.c. */
	bool signed_in;
	bool via_token;
	session_info who;
	char sid[65];       /* session id from the cookie */
	char anon_csrf[65]; /* CSRF token of a visitor without a session */
	web_lang lang;
	bool lang_from_query;
	void *conn;        /* struct MHD_Connection *, for headers */
	char errbuf[1200]; /* web_err's translation of an app error */
} web_req;

enum { WEB_MAX_HEADERS = 12 };

typedef struct web_res {
	int status;
	const char *content_type;
	buf body;
	char *headers[WEB_MAX_HEADERS][2]; /* owned name, value */
	size_t n_headers;
	char *file_path; /* owned: serve this file instead of body */
	bool no_store;   /* Cache-Control: no-store */
} web_res;

/* Whether the signed-in caller holds a role. */
bool web_has_role(const web_req *r, const char *role);

/* Parameters. NULL when absent. */
const char *web_query(const web_req *r, const char *name);
const char *web_form(const web_req *r, const char *name);
const web_file *web_file_get(const web_req *r, const char *field);
/* The request's header value (NULL when absent). */
const char *web_header(const web_req *r, const char *name);
const char *web_cookie(const web_req *r, const char *name);

void web_params_add(web_params *p, const char *name, size_t nlen, const char *value, size_t vlen);
void web_params_free(web_params *p);
void web_files_free(web_files *f);

void web_res_header(web_res *res, const char *name, const char *value);
void web_res_cookie(web_res *res, const web_req *r, const char *name, const char *value,
                    long max_age);
void web_redirect(web_res *res, const char *location);
/* A JSON body: the API's success answers. Steals j. */
void web_json(web_res *res, int status, json_t *j);
/* {"error": {"code": …, "message": …}} with the status. */
void web_json_error(web_res *res, int status, const char *code, const char *message);
/* The HTTP status of an app error code. */
int web_status_of(const sg_err *e);
const char *web_code_of(const sg_err *e);

#endif
