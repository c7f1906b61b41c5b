/*
 * router.h: the route table. Each route is a method, a path pattern with
 * at most one {parameter} segment, who may call it, and its handler. The
 * table is the one place that says who may do what: server.c checks the
 * access before any handler runs, and the role-matrix test walks every
 * route as every role (`sigap serve --routes` prints the table).
 */
#ifndef SG_WEB_ROUTER_H
#define SG_WEB_ROUTER_H

#include "http.h"

typedef enum {
	ACCESS_PUBLIC, /* anyone, signed in or not */
	ACCESS_USER,   /* any signed-in user; the app checks step roles */
	ACCESS_ADMIN,  /* users with the admin role */
	ACCESS_TRIAGE, /* the CTI SOP's people: roles ttis, kabid (not admin,
			* who manages accounts and reads no case content) */
	ACCESS_METRICS, /* loopback clients, or admins */
	ACCESS_STAFF,  /* the CSIRT: holders of a role that acts on some SOP's
			* steps other than an outside role (case_access.c) */
	ACCESS_ALERTS  /* reading alerts: the triage roles, and an agen_siber,
			* whom the app shows its OPD's assets' alerts only */
} web_access;

typedef enum { ROUTE_PAGE, ROUTE_API, ROUTE_STATIC } route_kind;

typedef void (*web_handler)(web_req *r, web_res *res);
/* A check of a request before its body is read, after the caller and the
 * route's access are known: may this caller send this here (the case
 * exists and the user may act on it, the address has reports left)?
 * false after filling res with the answer; the body is then not kept. */
typedef bool (*web_gate)(web_req *r, web_res *res);

typedef struct web_route {
	const char *method;
	const char *pattern; /* "/kasus/{ticket}" */
	web_access access;
	route_kind kind;
	web_handler handler;
	const char *summary; /* for the OpenAPI check and --routes */
	bool uploads;        /* takes files (multipart), up to the upload limit */
	web_gate gate;       /* NULL: none */
	bool raw;            /* with uploads, an API route whose body is itself the
			      * file (not multipart): it goes to the evidence spool
			      * as the file "body" (request.c) */
	bool report;         /* with uploads, a scanner report's: its file up to
			      * [kerentanan] max_report_size, not [evidence]
			      * max_size, and a refusal that says how to import a
			      * larger one */
	bool own_thread;     /* the handler may take long (a website check, up
			      * to [pantau] timeout): it runs on a thread of its
			      * own with an app of its own while the connection
			      * is suspended, so the worker's other connections
			      * go on (request.c) */
} web_route;

extern const web_route web_routes[];
extern const size_t web_n_routes;

/* Finds the route of a method and path; *arg receives the decoded
 * {parameter} (malloc'd, or NULL). Returns NULL when none matches, with
 * *method_mismatch set when the path exists under another method. */
const web_route *router_match(const char *method, const char *path, char **arg,
                              bool *method_mismatch);
const char *web_access_name(web_access a);
/* The route table as JSON: [{method, pattern, access, kind}]. */
json_t *router_table(void);

#endif
