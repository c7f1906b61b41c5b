/*
 * request.c: the path of one request through sigap:
 *
 *   headers ─ route ─ who (auth.c) ─ access ─ case sight ─ gate ─ body (bounded)
 *   ─ form/JSON ─ CSRF ─ handler ─ security headers ─ response ─ log, metrics
 *
 * libmicrohttpd calls the access handler once when the headers are in,
 * before any of the body is read, then with each piece of the body, then
 * once more at its end. So everything that can refuse a request without
 * its body is decided on the first call: the route, the caller, the
 * route's access, the route's gate (may this caller send here: the case
 * exists and is theirs to act on; the address has reports left), and the
 * body's limit, which depends on all of these: [web] body_max for every
 * route, the upload limit ([evidence] max_size + 1 MiB) only for routes
 * that take files, from callers their gate lets through; for a scanner
 * report's routes [kerentanan] max_report_size instead (the file, its
 * spool too), refused with a page or error that says the limit and how a
 * larger report is imported (sigap vuln import). A declared
 * Content-Length over the limit is refused before a byte is read.
 *
 * Bodies:
 *  - forms and JSON are held in memory, and all requests together hold at
 *    most [web] body_memory bytes of them: beyond it the answer is 503
 *    (counted in /metrics), so a flood of bodies cannot take the memory;
 *  - multipart bodies are read as they arrive (form.c, multipart.c):
 *    their fields in memory within body_max, their files straight into
 *    the evidence spool on disk, all requests together at most [web]
 *    upload_inflight bytes of files at a time (the public's, half of it,
 *    so staff uploads always find room); a route that takes no
 *    files refuses a file part. A spooled file is removed when the
 *    request ends unless the handler's change stored it.
 *  - an API route that takes a file as its whole body (a scanner report,
 *    routes.c's API_RAW) receives a body that is not multipart straight
 *    into the evidence spool, within the upload limit and upload_inflight
 *    as a file part; the handler finds it as the file "body".
 *  - a refused request's body is read and dropped up to twice the upload
 *    limit (so a client still sending sees the answer rather than a
 *    reset; dropping costs no memory, and the connection guard's deadline
 *    bounds the time), or not at all when the client asked
 *    "Expect: 100-continue"; past the bound the answer goes out and the
 *    connection closes.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/utf8.h"
#include "auth.h"
#include "base/civil.h"
#include "conn.h"
#include "form.h"
#include "html.h"
#include "i18n.h"
#include "metrics.h"
#include "request.h"
#include "router.h"
#include "webutil.h"

static request_config C;
static atomic_long mem_held, spool_held, anon_spool_held;
static atomic_int in_flight, own_threads;

void request_configure(const request_config *c)
{
	C = *c;
}

int request_in_flight(void)
{
	return atomic_load(&in_flight);
}

int request_own_threads(void)
{
	return atomic_load(&own_threads);
}

typedef enum { BODY_NONE, BODY_MEMORY, BODY_MULTIPART, BODY_SPOOL } body_mode;

typedef struct req_state {
	web_req r;
	web_res res;
	const web_route *rt;
	bool api;
	uint64_t serial; /* this request among all (the roles memo, app.h) */
	bool answered; /* res holds the answer; the body is dropped */
	bool queued;   /* the answer is on its way */
	atomic_int own; /* own_thread route: 1 its handler runs, 2 it has run */
	body_mode mode;
	size_t limit; /* body bytes at most */
	bool report;  /* the limit is a scanner report's (max_report_size) */
	size_t got;   /* body bytes read (kept or dropped) */
	size_t drain; /* bytes of a refused body read and dropped at most */
	buf body;
	form_reader *form;
	evidence_spool *sp; /* BODY_SPOOL: the body being received */
	long mem, spool; /* bytes counted against body_memory, upload_inflight */
	bool anon_spool; /* spool counted in the public's half of upload_inflight */
	int64_t t0;
	int status;
	size_t bytes;
	const char *route;
	char user[65];
	char method[8];
	char path[160];
} req_state;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- reading the request off libmicrohttpd ---- */

const char *web_header(const web_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *web_cookie(const web_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

typedef struct query_ctx {
	web_params *p;
	bool bad;
} query_ctx;

static enum MHD_Result on_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	query_ctx *q = cls;
	if (value == NULL)
		value = "", value_size = 0;
	if (q->p->n >= FORM_MAX_FIELDS || !form_text_ok(key, key_size) ||
	    !form_text_ok(value, value_size)) {
		q->bad = true;
		return MHD_NO;
	}
	web_params_add(q->p, key, key_size, value, value_size);
	return MHD_YES;
}

static void client_address(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, n, "?");
	if (ci == NULL || ci->client_addr == NULL)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
		          (socklen_t)n);
}

/* The client behind a trusted load balancer ([web] trusted_proxies):
 * X-Forwarded-For read from its right end, past every trusted address, to
 * the first that is not (the one a trusted proxy saw; those to its left
 * are the client's own words). A header that names none well leaves the
 * peer's address. */
static void forwarded_client(struct MHD_Connection *c, char *out, size_t n)
{
	if (C.proxies == NULL || !addr_list_has(C.proxies, out))
		return;
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
	if (h == NULL)
		return;
	size_t end = strlen(h);
	while (end > 0) {
		size_t start = end;
		while (start > 0 && h[start - 1] != ',')
			start--;
		char one[64];
		size_t a = start, b = end;
		while (a < b && (h[a] == ' ' || h[a] == '\t'))
			a++;
		while (b > a && (h[b - 1] == ' ' || h[b - 1] == '\t'))
			b--;
		if (b - a == 0 || b - a >= sizeof one)
			return;
		memcpy(one, h + a, b - a);
		one[b - a] = '\0';
		unsigned char bin[16];
		if (inet_pton(AF_INET, one, bin) != 1 && inet_pton(AF_INET6, one, bin) != 1)
			return;
		if (!addr_list_has(C.proxies, one)) {
			snprintf(out, n, "%s", one);
			return;
		}
		end = start > 0 ? start - 1 : 0;
	}
}

static bool is_api(const char *url)
{
	return strncmp(url, "/api/", 5) == 0;
}

/* An error in the form the route speaks: under /api the one JSON shape,
 * {"error": {"code", "message"}}, with the API's English message (as its
 * handlers' and the app's errors: a client reads one language whatever
 * the cookie or ?lang says); elsewhere a page in the reader's language.
 * The body that follows, if any, is dropped. */
/* Whether the caller is CSIRT staff (ACCESS_STAFF): the need-to-know
 * rule's own answer, from the roles the session holds. */
static bool csirt_staff(web_req *r)
{
	case_viewer v;
	sg_err e = {0};
	if (case_viewer_with_roles(r->app, r->who.user, r->who.roles, &v, &e) != 0)
		return false;
	bool staff = v.csirt;
	case_viewer_free(&v);
	return staff;
}

static void refuse(req_state *st, int status, const char *code, const char *api_message,
                   const char *page_message)
{
	web_req *r = &st->r;
	web_res *res = &st->res;
	buf_reset(&res->body);
	if (st->api)
		web_json_error(res, status, code, api_message);
	else
		html_message_page(r, res, status,
		                  status == 404 ? T(r, "Not found") : T(r, "Request refused"),
		                  page_message);
	st->answered = true;
}

static void refuse_err(req_state *st, const sg_err *e)
{
	int status = web_status_of(e);
	refuse(st, status, web_code_of(e), e->msg, web_err(&st->r, e));
}

/* A size as "256 MiB" (or KiB when it is not a whole number of MiB). */
static void size_text(long n, char *out, size_t cap)
{
	if (n % (1024 * 1024) == 0)
		snprintf(out, cap, "%ld MiB", n / (1024 * 1024));
	else
		snprintf(out, cap, "%ld KiB", n / 1024);
}

/* A scanner report over [kerentanan] max_report_size: the limit, and how
 * a larger report is imported (on the server, from its disk). */
static void refuse_report_too_large(req_state *st)
{
	web_req *r = &st->r;
	char size[32], api[400], page[600];
	size_text(C.report_max, size, sizeof size);
	snprintf(api, sizeof api,
	         "the scanner report is larger than an upload may be (%s, [kerentanan] "
	         "max_report_size); import a larger report on the server with: sigap vuln "
	         "import FILE",
	         size);
	snprintf(page, sizeof page, "%s (%s, [kerentanan] max_report_size). %s",
	         T(r, "The scanner report is larger than an upload may be"), size,
	         T(r, "A larger report is imported on the server, from its disk, with: sigap vuln "
	              "import FILE (the command line takes a report of any size)."));
	buf_reset(&st->res.body);
	if (st->api)
		web_json_error(&st->res, 413, "too_large", api);
	else
		html_message_page(r, &st->res, 413, T(r, "The report is too large"), page);
	st->answered = true;
}

static void refuse_too_large(req_state *st)
{
	metrics_refusal(REFUSED_TOO_LARGE);
	if (st->report) {
		refuse_report_too_large(st);
		return;
	}
	refuse(st, 413, "too_large", "the request is larger than this server accepts",
	       T(&st->r, "The request is larger than this server accepts."));
}

/* ---- before the body: route, caller, access, gate, limit ---- */

static bool content_is(const web_req *r, const char *type)
{
	return r->content_type && strncasecmp(r->content_type, type, strlen(type)) == 0;
}

/* Decides, from the headers alone, whether and how the body is read. */
static void admit(req_state *st, struct MHD_Connection *c)
{
	web_req *r = &st->r;
	web_res *res = &st->res;
	bool mismatch;
	st->rt = router_match(r->method, r->path, &r->path_arg, &mismatch);
	if (st->rt == NULL) {
		st->route = mismatch ? "(method)" : "(none)";
		if (mismatch) {
			char msg[80];
			snprintf(msg, sizeof msg, "this address does not take the method %.20s",
			         r->method);
			refuse(st, 405, "method_not_allowed", msg,
			       T(r, "This address does not take that method."));
		} else {
			refuse(st, 404, "not_found", "no API route at this address",
			       T(r, "There is no page at this address."));
		}
		return;
	}
	const web_route *rt = st->rt;
	st->route = r->route = rt->pattern;
	st->api = rt->kind == ROUTE_API;
	st->mode = BODY_MEMORY;
	st->limit = (size_t)C.body_max;
	if (rt->kind == ROUTE_STATIC)
		return;
	sg_err e = {0};
	/* A scraper of /metrics signs in with an administrator's API token. */
	bool bearer = st->api || (rt->access == ACCESS_METRICS && web_header(r, "Authorization"));
	if (auth_identify(r, res, bearer, &e) != 0) {
		/* the store failed or is busy (500, 503), not the caller */
		int status = web_status_of(&e);
		bool broken = status >= 500;
		refuse(st, broken ? status : 401, broken ? web_code_of(&e) : "unauthorized", e.msg,
		       web_err(r, &e));
		return;
	}
	snprintf(st->user, sizeof st->user, "%s", r->signed_in ? r->who.user : "");
	switch (rt->access) {
	case ACCESS_PUBLIC: break;
	case ACCESS_METRICS:
		if (web_metrics_allowed(r))
			break;
		refuse(st, 403, "forbidden",
		       "metrics are served to the addresses [web] metrics_allow lists and to "
		       "administrators only",
		       T(r, "Metrics are served to the addresses [web] metrics_allow lists and to "
		            "administrators only."));
		return;
	case ACCESS_USER:
	case ACCESS_ADMIN:
	case ACCESS_TRIAGE:
	case ACCESS_STAFF:
	case ACCESS_ALERTS:
		if (!r->signed_in) {
			if (!st->api && strcmp(r->method, "GET") == 0) {
				buf loc = BUF_INIT;
				buf_puts(&loc, "/login?next=");
				webutil_urlencode(&loc, r->path, true);
				web_redirect(res, buf_str(&loc));
				buf_free(&loc);
				st->answered = true;
			} else {
				refuse(st, 401, "unauthorized",
				       "this route needs an API token: send the header "
				       "'Authorization: Bearer TOKEN' (sigap token new USER makes one)",
				       T(r, "Please sign in first."));
			}
			return;
		}
		if (rt->access == ACCESS_ADMIN && !web_has_role(r, "admin")) {
			refuse(st, 403, "forbidden", "only administrators may do this",
			       T(r, "Only administrators may do this."));
			return;
		}
		if (rt->access == ACCESS_STAFF && !csirt_staff(r)) {
			refuse(st, 403, "forbidden",
			       "this is for the CSIRT's staff: holders of a role that acts on an SOP's "
			       "steps",
			       T(r, "Only the CSIRT's staff may see this."));
			return;
		}
		if (rt->access == ACCESS_ALERTS && !alert_may_triage(r->who.roles) &&
		    !web_has_role(r, "agen_siber")) {
			refuse(st, 403, "forbidden",
			       "alerts are read by the roles ttis and kabid, and by an agen_siber for "
			       "its OPD",
			       T(r, "Alerts are read by TTIS and by the cyber agents of the OPDs."));
			return;
		}
		if (rt->access == ACCESS_TRIAGE && !alert_may_triage(r->who.roles)) {
			refuse(st, 403, "forbidden",
			       "alerts and threat indicators are handled by the roles ttis, kabid and admin",
			       T(r, "Alerts and threat indicators are handled by TTIS."));
			return;
		}
		break;
	}
	/* A one-time password must be replaced before anything else. */
	if (r->signed_in && r->who.must_change_password && rt->access != ACCESS_PUBLIC &&
	    strcmp(rt->pattern, "/akun/sandi") != 0 && strcmp(rt->pattern, "/logout") != 0) {
		if (!st->api && strcmp(r->method, "GET") == 0) {
			web_redirect(res, "/akun/sandi");
			st->answered = true;
		} else {
			refuse(st, 403, "password_change_required",
			       "change the one-time password first (PUT /api/v1/me/password)",
			       T(r, "Change your one-time password first."));
		}
		return;
	}
	/* Need-to-know, before the body: a case the caller may not know is
	 * answered 404 on every route that names it, whatever it was sent.
	 * Reading needs some sight of it; writing the whole case's sight,
	 * but at a step (the routes with a gate: steps and their files),
	 * which an outside actor may do on what is addressed to it. */
	if (r->signed_in && r->path_arg && strstr(rt->pattern, "{ticket}")) {
		sg_err se = {0};
		case_sight need = strcmp(r->method, "GET") == 0 || rt->gate ? CASE_SEE_LIMITED
									     : CASE_SEE_FULL;
		if (case_need_sight(r->app, r->who.user, r->path_arg, need, &se) != 0) {
			refuse_err(st, &se);
			return;
		}
	}
	if (rt->gate && !rt->gate(r, res)) {
		st->answered = true;
		return;
	}
	/* a scanner report has its own limit: reports reach hundreds of MB */
	long upload_max = rt->report ? C.report_max + (long)C.body_max : C.upload_max;
	if (content_is(r, "multipart/form-data")) {
		st->mode = BODY_MULTIPART;
		if (rt->uploads) {
			st->limit = (size_t)upload_max;
			st->report = rt->report;
		}
		st->form = form_multipart_new(r->content_type, rt->uploads ? r->app : NULL,
		                              (size_t)C.body_max, &r->form, &r->files, &e);
		if (st->form == NULL) {
			refuse_err(st, &e);
			return;
		}
		if (rt->report)
			form_multipart_file_max(st->form, C.report_max);
	} else if (rt->raw && rt->uploads) {
		st->mode = BODY_SPOOL;
		st->limit = (size_t)C.report_max;
		st->report = rt->report;
	}
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (cl) {
		char *end;
		errno = 0;
		unsigned long long n = strtoull(cl, &end, 10);
		if (errno == 0 && *end == '\0' && n > st->limit)
			refuse_too_large(st);
	}
}

/* ---- the body ---- */

/* Counts n more bytes against a shared ceiling; false when it is reached. */
static bool hold(atomic_long *shared, long ceiling, long *mine, long n)
{
	long before = atomic_fetch_add(shared, n);
	if (before + n > ceiling) {
		atomic_fetch_sub(shared, n);
		return false;
	}
	*mine += n;
	return true;
}

static void release(req_state *st)
{
	atomic_fetch_sub(&mem_held, st->mem);
	atomic_fetch_sub(st->anon_spool ? &anon_spool_held : &spool_held, st->spool);
	st->mem = st->spool = 0;
}

static void busy(req_state *st, web_refusal why)
{
	metrics_refusal(why);
	refuse(st, 503, "busy",
	       "the server is receiving too much at the moment; send again in a little while",
	       T(&st->r, "The server is receiving too much at the moment. Please send again in a "
	                 "little while."));
	web_res_header(&st->res, "Retry-After", "5");
}

/* The next piece of a body that is being kept. */
static void take_body(req_state *st, const char *p, size_t n)
{
	if (n > st->limit - st->got) {
		refuse_too_large(st);
		return;
	}
	st->got += n;
	if (st->mode == BODY_MEMORY) {
		if (!hold(&mem_held, C.body_memory, &st->mem, (long)n)) {
			busy(st, REFUSED_BODY_MEMORY);
			return;
		}
		buf_append(&st->body, p, n);
		return;
	}
	sg_err e = {0};
	if (st->mode == BODY_SPOOL) {
		st->anon_spool = !st->r.signed_in;
		if (!hold(st->anon_spool ? &anon_spool_held : &spool_held,
		          st->anon_spool ? C.upload_inflight / 2 : C.upload_inflight, &st->spool,
		          (long)n)) {
			busy(st, REFUSED_UPLOAD_INFLIGHT);
			return;
		}
		if ((st->sp == NULL &&
		     (st->sp = st->rt->report ? evidence_spool_open_max(st->r.app, C.report_max, &e)
		                              : evidence_spool_open(st->r.app, &e)) == NULL) ||
		    evidence_spool_write(st->sp, p, n, &e) != 0) {
			if (e.code == SG_ETOOBIG)
				refuse_too_large(st);
			else
				refuse_err(st, &e);
		}
		return;
	}
	/* multipart: files count against upload_inflight, fields against
	 * body_memory (what the reader holds beyond what was counted) */
	size_t text_before = form_multipart_text_bytes(st->form);
	if (form_multipart_feed(st->form, p, n, &e) != 0) {
		if (e.code == SG_ETOOBIG && st->rt->report && form_multipart_in_file(st->form)) {
			refuse_too_large(st); /* the report, not the fields */
			return;
		}
		if (e.code == SG_ETOOBIG)
			metrics_refusal(REFUSED_TOO_LARGE);
		refuse_err(st, &e);
		return;
	}
	long text = (long)(form_multipart_text_bytes(st->form) - text_before);
	if (text && !hold(&mem_held, C.body_memory, &st->mem, text)) {
		busy(st, REFUSED_BODY_MEMORY);
		return;
	}
	/* Files from the public (the report form) may take half of
	 * upload_inflight at most, so staff uploads always find room. */
	st->anon_spool = !st->r.signed_in;
	if (st->rt->uploads &&
	    !(st->anon_spool
	          ? hold(&anon_spool_held, C.upload_inflight / 2, &st->spool, (long)n - text)
	          : hold(&spool_held, C.upload_inflight, &st->spool, (long)n - text)))
		busy(st, REFUSED_UPLOAD_INFLIGHT);
}

/* The body has ended: into form parameters, or left raw (JSON). */
static int finish_body(req_state *st, sg_err *e)
{
	web_req *r = &st->r;
	r->body = st->body.data ? st->body.data : "";
	r->body_len = st->body.len;
	if (st->mode == BODY_MULTIPART)
		return form_multipart_finish(st->form, e);
	if (st->mode == BODY_SPOOL) {
		if (st->sp == NULL)
			return 0; /* no body: no file */
		evidence_spool *sp = st->sp;
		st->sp = NULL;
		evidence_file ef;
		if (evidence_spool_close(sp, &ef, e) != 0)
			return -1;
		web_files *w = &r->files;
		w->cap = 1;
		w->v = calloc(1, sizeof *w->v);
		if (w->v == NULL)
			abort();
		web_file *wf = &w->v[w->n++];
		const char *name = web_query(r, "filename");
		wf->field = strdup("body");
		wf->filename = strdup(name && *name ? name : "laporan");
		wf->content_type = strdup(r->content_type ? r->content_type : "");
		if (!wf->field || !wf->filename || !wf->content_type)
			abort();
		wf->file = ef;
		return 0;
	}
	if (content_is(r, "application/x-www-form-urlencoded"))
		return form_parse_urlencoded(r->body, r->body_len, &r->form, e);
	return 0;
}

static void run_handler(req_state *st)
{
	web_req *r = &st->r;
	sg_err e = {0};
	app_roles_memo(r->app, st->serial);
	if (st->rt->kind != ROUTE_STATIC && finish_body(st, &e) != 0) {
		refuse(st, 400, "invalid", e.msg, web_err(r, &e));
		return;
	}
	if (!st->api && st->rt->kind != ROUTE_STATIC && strcmp(r->method, "POST") == 0 &&
	    auth_check_csrf(r, &e) != 0) {
		refuse(st, 403, "csrf", "the form has expired or did not come from this site",
		       T(r, "The form has expired or did not come from this site. Please open the "
		            "page again and resend it."));
		return;
	}
	st->rt->handler(r, &st->res);
}

/* An own_thread route's handler, on its thread, with an app of its own;
 * then the connection is resumed and answered on its worker. */
static void *own_thread_main(void *arg)
{
	req_state *st = arg;
	app *worker = st->r.app, a;
	sg_err e = {0};
	if (C.open_app(&a, &e) == 0) {
		st->r.app = &a;
		run_handler(st);
		app_close(&a);
	} else {
		log_say(LOG_ERROR, "cannot open the database: %s", e.msg);
		web_json_error(&st->res, 503, "unavailable", "the database cannot be opened");
	}
	st->r.app = worker;
	struct MHD_Connection *c = st->r.conn;
	atomic_store(&st->own, 2);
	MHD_resume_connection(c);
	atomic_fetch_sub(&own_threads, 1);
	return NULL;
}

/* Starts the handler of st on a thread of its own, the connection
 * suspended meanwhile; false when it cannot (then it runs here). */
static bool own_thread_start(struct MHD_Connection *c, req_state *st)
{
	if (!C.open_app)
		return false;
	pthread_attr_t at;
	pthread_t tid;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	atomic_store(&st->own, 1);
	atomic_fetch_add(&own_threads, 1);
	MHD_suspend_connection(c);
	int rc = pthread_create(&tid, &at, own_thread_main, st);
	pthread_attr_destroy(&at);
	if (rc == 0)
		return true;
	atomic_fetch_sub(&own_threads, 1);
	atomic_store(&st->own, 0);
	MHD_resume_connection(c);
	return false;
}

/* ---- the answer ---- */

static const char CSP[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
                          "base-uri 'none'; connect-src 'self'";

static enum MHD_Result send_response(struct MHD_Connection *c, req_state *st)
{
	web_req *r = &st->r;
	web_res *res = &st->res;
	struct MHD_Response *mr = NULL;
	if (r->lang_from_query)
		web_res_cookie(res, r, "sigap_lang", r->lang == LANG_ID ? "id" : "en", 31536000);
	if (res->file_path) {
		int fd = open(res->file_path, O_RDONLY | O_CLOEXEC);
		struct stat sb;
		if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
			mr = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
			st->bytes = (size_t)sb.st_size;
		} else {
			if (fd >= 0)
				close(fd);
			free(res->file_path);
			res->file_path = NULL;
			refuse(st, 404, "not_found", "the stored file is missing",
			       T(r, "The stored file is missing."));
		}
	}
	if (mr == NULL) {
		size_t len = res->body.len;
		char *data = buf_steal(&res->body);
		st->bytes = len;
		mr = MHD_create_response_from_buffer(len, data ? data : strdup(""),
		                                     MHD_RESPMEM_MUST_FREE);
	}
	if (mr == NULL)
		return MHD_NO;
	MHD_add_response_header(mr, "Content-Type",
	                        res->content_type ? res->content_type : "text/html; charset=utf-8");
	MHD_add_response_header(mr, "Content-Security-Policy", CSP);
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(mr, "X-Frame-Options", "DENY");
	MHD_add_response_header(mr, "Referrer-Policy", "same-origin");
	if (C.tls)
		MHD_add_response_header(mr, "Strict-Transport-Security", "max-age=31536000");
	/* the guard closes a kept-alive connection that waits longer than
	 * header_timeout for its next request; saying so lets a client
	 * drop it first instead of sending a request into a closing socket */
	if (C.idle_timeout > 0) {
		char ka[32];
		snprintf(ka, sizeof ka, "timeout=%d", C.idle_timeout);
		MHD_add_response_header(mr, "Keep-Alive", ka);
	}
	if (res->no_store || r->signed_in)
		MHD_add_response_header(mr, "Cache-Control", "no-store");
	bool retry_after = false;
	for (size_t i = 0; i < res->n_headers; i++) {
		MHD_add_response_header(mr, res->headers[i][0], res->headers[i][1]);
		retry_after |= strcasecmp(res->headers[i][0], "Retry-After") == 0;
	}
	st->status = res->status ? res->status : 200;
	/* every 503 says when to come back: a handler that met a store busy
	 * with another's long change (SG_EBUSY) set none of its own */
	if (st->status == 503 && !retry_after)
		MHD_add_response_header(mr, "Retry-After", "5");
	enum MHD_Result q = MHD_queue_response(c, (unsigned)st->status, mr);
	MHD_destroy_response(mr);
	st->queued = true;
	conn_request_answered(c);
	return q;
}

static void state_free(req_state *st)
{
	web_req *r = &st->r;
	web_res *res = &st->res;
	form_multipart_free(st->form);
	st->form = NULL;
	evidence_spool_abort(st->sp);
	st->sp = NULL;
	web_params_free(&r->query);
	web_params_free(&r->form);
	web_files_free(&r->files);
	free(r->path_arg);
	r->path_arg = NULL;
	session_info_free(&r->who);
	buf_free(&res->body);
	free(res->file_path);
	res->file_path = NULL;
	for (size_t i = 0; i < res->n_headers; i++) {
		free(res->headers[i][0]);
		free(res->headers[i][1]);
	}
	res->n_headers = 0;
	buf_free(&st->body);
	release(st);
}

/* ---- libmicrohttpd's callbacks ---- */

static req_state *begin(struct MHD_Connection *c, const char *url, const char *method)
{
	req_state *st = calloc(1, sizeof *st);
	if (st == NULL)
		return NULL;
	atomic_fetch_add(&in_flight, 1);
	st->t0 = now_ns();
	st->route = "(none)";
	snprintf(st->method, sizeof st->method, "%s", method);
	snprintf(st->path, sizeof st->path, "%s", url);
	web_req *r = &st->r;
	r->conn = c;
	r->method = method;
	r->path = url;
	r->tls = C.tls;
	r->content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	client_address(c, r->client, sizeof r->client);
	forwarded_client(c, r->client, sizeof r->client);
	st->api = is_api(url);
	sg_err e = {0};
	r->app = C.worker_app(&e);
	/* the roles asked within this request are read once (app.h); another
	 * request begun on this worker meanwhile starts its own */
	static atomic_ullong requests;
	st->serial = atomic_fetch_add(&requests, 1) + 1;
	if (r->app)
		app_roles_memo(r->app, st->serial);
	query_ctx q = {&r->query, false};
	MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, on_query, &q);
	auth_language(r);
	if (r->app == NULL) {
		log_say(LOG_ERROR, "cannot open the database: %s", e.msg);
		web_json_error(&st->res, 503, "unavailable", "the database cannot be opened");
		st->answered = true;
	} else if (!form_text_ok(url, strlen(url)) || q.bad) {
		refuse(st, 400, "invalid", "the address is not valid UTF-8 text",
		       T(r, "The address is not valid text."));
	} else {
		admit(st, c);
	}
	/* a refused body is read and dropped up to this many bytes: twice the
	 * largest body sigap takes, so a client that sent a little too much
	 * reads the answer; reading costs no memory */
	st->drain = 2 * (st->limit > (size_t)C.upload_max ? st->limit : (size_t)C.upload_max);
	return st;
}

static bool expects_continue(struct MHD_Connection *c)
{
	const char *x = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Expect");
	return x && strcasecmp(x, "100-continue") == 0;
}

enum MHD_Result request_on_access(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)version;
	req_state *st = *con_cls;
	if (st == NULL) {
		if ((st = begin(c, url, method)) == NULL)
			return MHD_NO;
		*con_cls = st;
		conn_request_headers(c);
		/* Refused on its headers: a client waiting for "100 Continue"
		 * gets the answer instead and sends no body. */
		if (st->answered && expects_continue(c))
			return send_response(c, st);
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (st->queued)
			return MHD_YES;
		conn_request_progress(c, n);
		if (!st->answered) {
			take_body(st, upload, n);
			if (st->answered) {
				/* what was kept goes now; the rest is dropped */
				release(st);
				buf_free(&st->body);
				form_multipart_free(st->form);
				st->form = NULL;
				evidence_spool_abort(st->sp);
				st->sp = NULL;
				web_files_free(&st->r.files);
				st->got = 0;
			}
			return MHD_YES;
		}
		st->got += n;
		if (st->got > st->drain)
			return send_response(c, st); /* then the connection closes */
		return MHD_YES;
	}
	if (st->queued)
		return MHD_YES;
	int own = atomic_load(&st->own);
	if (own == 1)
		return MHD_YES; /* still running on its thread */
	if (own == 0) {
		conn_request_handling(c);
		if (!st->answered && st->rt && st->rt->own_thread && own_thread_start(c, st))
			return MHD_YES;
		if (!st->answered)
			run_handler(st);
	}
	return send_response(c, st);
}

/* s as the log can hold it: a copy, each byte of an invalid UTF-8 text
 * from 0x80 up shown as '?'. */
static char *loggable(const char *s)
{
	char *out = strdup(s ? s : "");
	if (!out)
		abort();
	if (!utf8_valid(out, strlen(out)))
		for (char *p = out; *p; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
	return out;
}

void request_on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                          enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)toe;
	req_state *st = *con_cls;
	if (st == NULL)
		return;
	double ms = (double)(now_ns() - st->t0) / 1e6;
	metrics_request(st->route, st->status, ms / 1000.0);
	if (C.access_log && log_on(LOG_INFO)) {
		/* A link's token is a credential: the log keeps the route, not it,
		 * whether or not the request reached the route (a bad method, a
		 * bad query, bytes that are no UTF-8) */
		bool routed = st->route && strstr(st->route, "{token}") != NULL;
		bool secret = routed || strncmp(st->path, "/tautan/", 8) == 0;
		/* what a client sent is logged even when it is no UTF-8 (a probe
		 * leaves its line): such bytes are shown as '?' */
		char *method = loggable(st->method),
		     *path = loggable(routed ? st->route : secret ? "/tautan/{token}" : st->path);
		json_t *line =
		    json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:f, s:s}", "remote", st->r.client,
		              "method", method, "path", path, "route",
		              st->route, "status", st->status, "bytes", (json_int_t)st->bytes, "ms",
		              ms, "user", st->user);
		free(method);
		free(path);
		char *s = json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(4));
		if (s)
			log_with(LOG_INFO, s, "request");
		free(s);
		json_decref(line);
	}
	state_free(st);
	free(st);
	*con_cls = NULL;
	conn_request_done(c);
	atomic_fetch_sub(&in_flight, 1);
}
