/*
 * server.c: the HTTP server: libmicrohttpd with a thread pool, and the
 * path of every request through sigap:
 *
 *   headers ─ body (bounded) ─ route ─ who (auth.c) ─ access ─ form/JSON
 *   ─ CSRF ─ handler ─ security headers ─ response ─ access log, metrics
 *
 * Each worker thread owns one app (its own SQLite connection; SQLite in
 * WAL mode lets readers run beside the one writer), opened on the
 * thread's first request. Bodies are read into memory up to a limit:
 * [web] body_max for forms and JSON, [evidence] max_size plus 1 MiB for
 * multipart uploads; beyond it the rest is read and dropped and the answer
 * is 413, so the client sees the status rather than a reset connection.
 * SIGTERM stops accepting, waits for requests in flight (up to 30 s) and
 * closes the databases.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "base/civil.h"
#include "form.h"
#include "html.h"
#include "i18n.h"
#include "metrics.h"
#include "ratelimit.h"
#include "router.h"
#include "server.h"
#include "webutil.h"

enum { UPLOAD_SLACK = 1024 * 1024, DRAIN_SECONDS = 30 };

typedef struct server {
	const web_options *o;
	long body_max;
	long upload_max;
	bool tls;
	atomic_int in_flight;
	pthread_mutex_t apps_lock;
	app **apps;
	size_t n_apps;
} server;

static server S;
static __thread app *thread_app;

ingest *web_ingest(void)
{
	return S.o ? S.o->ingest : NULL;
}

typedef struct req_state {
	buf body;
	size_t limit;
	bool too_large;
	bool multipart;
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

/* The app of this worker thread, opened on first use. */
static app *worker_app(sg_err *e)
{
	if (thread_app)
		return thread_app;
	app *a = calloc(1, sizeof *a);
	if (a == NULL || S.o->open_app(a, e) != 0) {
		free(a);
		return NULL;
	}
	pthread_mutex_lock(&S.apps_lock);
	app **v = realloc(S.apps, (S.n_apps + 1) * sizeof *v);
	if (v == NULL)
		abort();
	S.apps = v;
	S.apps[S.n_apps++] = a;
	pthread_mutex_unlock(&S.apps_lock);
	thread_app = a;
	return a;
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

static bool is_api(const char *url)
{
	return strncmp(url, "/api/", 5) == 0;
}

/* An error in the form the route speaks: JSON under /api, a page
 * elsewhere. */
static void fail(web_req *r, web_res *res, bool api, int status, const char *code,
                 const char *message)
{
	if (api)
		web_json_error(res, status, code, message);
	else
		html_message_page(r, res, status,
		                  status == 404 ? T(r, "Not found") : T(r, "Request refused"),
		                  message);
}

static bool loopback(const char *addr)
{
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 ||
	       strncmp(addr, "::ffff:127.", 11) == 0;
}

/* Reads the body into form parameters or leaves it raw (JSON). */
static int parse_body(web_req *r, req_state *st, sg_err *e)
{
	r->body = st->body.data ? st->body.data : "";
	r->body_len = st->body.len;
	const char *ct = r->content_type ? r->content_type : "";
	if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
		return form_parse_urlencoded(r->body, r->body_len, &r->form, e);
	if (strncasecmp(ct, "multipart/form-data", 19) == 0)
		return form_parse_multipart(ct, r->body, r->body_len, &r->form, &r->files, e);
	return 0;
}

static void dispatch(web_req *r, web_res *res, req_state *st)
{
	bool api = is_api(r->path);
	bool mismatch;
	const web_route *rt = router_match(r->method, r->path, &r->path_arg, &mismatch);
	if (rt == NULL) {
		st->route = mismatch ? "(method)" : "(none)";
		if (mismatch)
			fail(r, res, api, 405, "method_not_allowed",
			     T(r, "This address does not take that method."));
		else
			fail(r, res, api, 404, "not_found",
			     T(r, "There is no page at this address."));
		return;
	}
	st->route = rt->pattern;
	r->route = rt->pattern;
	api = rt->kind == ROUTE_API;
	if (st->too_large) {
		fail(r, res, api, 413, "too_large",
		     T(r, "The request is larger than this server accepts."));
		return;
	}
	if (rt->kind == ROUTE_STATIC) {
		rt->handler(r, res);
		return;
	}
	sg_err e = {0};
	if (auth_identify(r, res, api, &e) != 0) {
		fail(r, res, api, web_status_of(&e) == 500 ? 500 : 401, "unauthorized",
		     api ? e.msg : web_err(r, &e));
		return;
	}
	snprintf(st->user, sizeof st->user, "%s", r->signed_in ? r->who.user : "");
	switch (rt->access) {
	case ACCESS_PUBLIC: break;
	case ACCESS_METRICS:
		/* A request relayed by a proxy on this host is not local. */
		if ((loopback(r->client) && !web_header(r, "X-Forwarded-For") &&
		     !web_header(r, "Forwarded")) ||
		    (r->signed_in && web_has_role(r, "admin")))
			break;
		fail(r, res, api, 403, "forbidden",
		     T(r, "Metrics are served to this host and to administrators only."));
		return;
	case ACCESS_USER:
	case ACCESS_ADMIN:
	case ACCESS_TRIAGE:
		if (!r->signed_in) {
			if (!api && strcmp(r->method, "GET") == 0) {
				buf loc = BUF_INIT;
				buf_puts(&loc, "/login?next=");
				webutil_urlencode(&loc, r->path, true);
				web_redirect(res, buf_str(&loc));
				buf_free(&loc);
			} else {
				fail(r, res, api, 401, "unauthorized",
				     T(r, "Please sign in first."));
			}
			return;
		}
		if (rt->access == ACCESS_ADMIN && !web_has_role(r, "admin")) {
			fail(r, res, api, 403, "forbidden",
			     T(r, "Only administrators may do this."));
			return;
		}
		if (rt->access == ACCESS_TRIAGE && !web_has_role(r, "ttis") &&
		    !web_has_role(r, "kabid") && !web_has_role(r, "admin")) {
			fail(r, res, api, 403, "forbidden",
			     T(r, "Alerts and threat indicators are handled by TTIS."));
			return;
		}
		break;
	}
	/* A one-time password must be replaced before anything else. */
	if (r->signed_in && r->who.must_change_password && rt->access != ACCESS_PUBLIC &&
	    strcmp(rt->pattern, "/akun/sandi") != 0 && strcmp(rt->pattern, "/logout") != 0) {
		if (!api && strcmp(r->method, "GET") == 0)
			web_redirect(res, "/akun/sandi");
		else
			fail(r, res, api, 403, "password_change_required",
			     T(r, "Change your one-time password first."));
		return;
	}
	if (parse_body(r, st, &e) != 0) {
		fail(r, res, api, 400, "invalid", api ? e.msg : web_err(r, &e));
		return;
	}
	if (!api && strcmp(r->method, "POST") == 0 && auth_check_csrf(r, &e) != 0) {
		fail(r, res, api, 403, "csrf",
		     T(r, "The form has expired or did not come from this site. Please open the "
		          "page again and resend it."));
		return;
	}
	rt->handler(r, res);
}

static const char CSP[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
                          "base-uri 'none'; connect-src 'self'";

static enum MHD_Result send_response(struct MHD_Connection *c, web_req *r, web_res *res,
                                     req_state *st)
{
	struct MHD_Response *mr = NULL;
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
			fail(r, res, is_api(r->path), 404, "not_found",
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
	if (S.tls)
		MHD_add_response_header(mr, "Strict-Transport-Security", "max-age=31536000");
	if (res->no_store || r->signed_in)
		MHD_add_response_header(mr, "Cache-Control", "no-store");
	for (size_t i = 0; i < res->n_headers; i++)
		MHD_add_response_header(mr, res->headers[i][0], res->headers[i][1]);
	st->status = res->status ? res->status : 200;
	enum MHD_Result q = MHD_queue_response(c, (unsigned)st->status, mr);
	MHD_destroy_response(mr);
	return q;
}

static void res_free(web_res *res)
{
	buf_free(&res->body);
	free(res->file_path);
	for (size_t i = 0; i < res->n_headers; i++) {
		free(res->headers[i][0]);
		free(res->headers[i][1]);
	}
}

static void req_free(web_req *r)
{
	web_params_free(&r->query);
	web_params_free(&r->form);
	web_files_free(&r->files);
	free(r->path_arg);
	session_info_free(&r->who);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)version;
	req_state *st = *con_cls;
	if (st == NULL) {
		st = calloc(1, sizeof *st);
		if (st == NULL)
			return MHD_NO;
		st->t0 = now_ns();
		st->route = "(none)";
		snprintf(st->method, sizeof st->method, "%s", method);
		snprintf(st->path, sizeof st->path, "%s", url);
		atomic_fetch_add(&S.in_flight, 1);
		*con_cls = st;
		const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
		st->multipart = ct && strncasecmp(ct, "multipart/form-data", 19) == 0;
		st->limit = (size_t)(st->multipart ? S.upload_max : S.body_max);
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (st->too_large || st->body.len + n > st->limit) {
			st->too_large = true;
			buf_free(&st->body);
			return MHD_YES; /* read and drop, answer 413 at the end */
		}
		buf_append(&st->body, upload, n);
		return MHD_YES;
	}

	web_req r = {0};
	web_res res = {0};
	r.conn = c;
	r.method = method;
	r.path = url;
	r.tls = S.tls;
	r.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	client_address(c, r.client, sizeof r.client);
	sg_err e = {0};
	r.app = worker_app(&e);
	query_ctx q = {&r.query, false};
	MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, on_query, &q);
	auth_language(&r);
	if (r.app == NULL) {
		fprintf(stderr, "sigap: cannot open the database: %s\n", e.msg);
		web_json_error(&res, 503, "unavailable", "the database cannot be opened");
	} else if (!form_text_ok(url, strlen(url)) || q.bad) {
		fail(&r, &res, is_api(url), 400, "invalid",
		     T(&r, "The address is not valid text."));
	} else {
		dispatch(&r, &res, st);
	}
	if (r.lang_from_query)
		web_res_cookie(&res, &r, "sigap_lang", r.lang == LANG_ID ? "id" : "en", 31536000);
	enum MHD_Result ret = send_response(c, &r, &res, st);
	req_free(&r);
	res_free(&res);
	buf_free(&st->body);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)toe;
	req_state *st = *con_cls;
	if (st == NULL)
		return;
	double ms = (double)(now_ns() - st->t0) / 1e6;
	metrics_request(st->route, st->status, ms / 1000.0);
	if (S.o->access_log) {
		char addr[64], at[40];
		client_address(c, addr, sizeof addr);
		civil_format_rfc3339(time(NULL), civil_zone_default(), at, sizeof at);
		json_t *line = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:f, s:s}", "at", at,
		                         "remote", addr, "method", st->method, "path", st->path,
		                         "route", st->route, "status", st->status, "bytes",
		                         (json_int_t)st->bytes, "ms", ms, "user", st->user);
		char *s = json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(4));
		if (s) {
			fprintf(stderr, "%s\n", s);
			free(s);
		}
		json_decref(line);
	}
	buf_free(&st->body);
	free(st);
	*con_cls = NULL;
	atomic_fetch_sub(&S.in_flight, 1);
}

/* ---- starting and stopping ---- */

static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, bool *v6,
                        sg_err *e)
{
	char host[128];
	const char *colon = strrchr(s, ':');
	if (colon == NULL || colon[1] == '\0')
		return sg_err_set(e, SG_EINVAL, "listen address '%s' must be ADDR:PORT", s);
	size_t hn = (size_t)(colon - s);
	if (hn >= sizeof host)
		return sg_err_set(e, SG_EINVAL, "listen address '%s' is too long", s);
	memcpy(host, s, hn);
	host[hn] = '\0';
	if (hn >= 2 && host[0] == '[' && host[hn - 1] == ']') {
		memmove(host, host + 1, hn - 2);
		host[hn - 2] = '\0';
	}
	if (host[0] == '\0')
		snprintf(host, sizeof host, "0.0.0.0");
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 0 || port > 65535)
		return sg_err_set(e, SG_EINVAL, "port '%s' must be a number from 0 to 65535",
		                  colon + 1);
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV}, *ai;
	char ps[8];
	snprintf(ps, sizeof ps, "%ld", port);
	if (getaddrinfo(host, ps, &hints, &ai) != 0)
		return sg_err_set(e, SG_EINVAL,
		                  "'%s' is not an IP address (give a number, not a name)", host);
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	*v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	return 0;
}

static char *read_file(const char *path, sg_err *e)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		sg_err_set(e, SG_EIO, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 1024 * 1024)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_steal(&b);
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("sigap: http: ", stderr);
	vfprintf(stderr, fmt, ap);
}

int web_serve(const web_options *o, sg_err *e)
{
	memset(&S, 0, sizeof S);
	S.o = o;
	pthread_mutex_init(&S.apps_lock, NULL);
	if (i18n_init(e) != 0)
		return -1;
	/* The first app runs the migrations before any worker opens one. */
	app *first = worker_app(e);
	if (first == NULL)
		return -1;
	S.body_max = first->cfg.web_body_max;
	S.upload_max = first->cfg.evidence_max + UPLOAD_SLACK;
	ratelimit_configure(first->cfg.report_limit);

	struct sockaddr_storage ss;
	socklen_t sl;
	bool v6 = false;
	if (parse_listen(o->listen, &ss, &sl, &v6, e) != 0)
		return -1;
	int threads = o->threads;
	if (threads <= 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cores < 2 ? 2 : (int)cores;
	}
	char *cert = NULL, *key = NULL;
	if ((o->tls_cert == NULL) != (o->tls_key == NULL))
		return sg_err_set(e, SG_EINVAL, "TLS needs both --tls-cert and --tls-key");
	if (o->tls_cert) {
		cert = read_file(o->tls_cert, e);
		key = cert ? read_file(o->tls_key, e) : NULL;
		if (key == NULL) {
			free(cert);
			return -1;
		}
		S.tls = true;
	}
	/* Block the stop signals in every thread; this one waits for them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned flags =
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_EPOLL;
	if (v6)
		flags |= MHD_USE_IPv6;
	if (S.tls)
		flags |= MHD_USE_TLS;
	struct MHD_OptionItem tls_opts[] = {
	    {MHD_OPTION_HTTPS_MEM_CERT, 0, cert},
	    {MHD_OPTION_HTTPS_MEM_KEY, 0, key},
	    {MHD_OPTION_END, 0, NULL},
	};
	struct MHD_Daemon *d = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned)200, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_ARRAY,
	    S.tls ? tls_opts : &tls_opts[2], MHD_OPTION_END);
	if (d == NULL) {
		free(cert);
		free(key);
		pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
		return sg_err_set(e, SG_EIO,
		                  "cannot listen on %s (in use, or not an address of this host?)",
		                  o->listen);
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[64];
	if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
	printf("sigap: listening on %s://%s%s%s:%u (%d threads)\n", S.tls ? "https" : "http",
	       v6 ? "[" : "", host, v6 ? "]" : "", di ? di->port : 0, threads);
	fflush(stdout);

	int sig = 0;
	sigwait(&stop, &sig);
	fprintf(stderr, "sigap: %s received; finishing the requests in flight\n",
	        sig == SIGTERM ? "SIGTERM" : "SIGINT");
	MHD_socket ls = MHD_quiesce_daemon(d);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	for (int i = 0; i < DRAIN_SECONDS * 20 && atomic_load(&S.in_flight) > 0; i++)
		usleep(50000);
	MHD_stop_daemon(d);
	pthread_mutex_lock(&S.apps_lock);
	for (size_t i = 0; i < S.n_apps; i++) {
		app_close(S.apps[i]);
		free(S.apps[i]);
	}
	free(S.apps);
	S.apps = NULL;
	S.n_apps = 0;
	pthread_mutex_unlock(&S.apps_lock);
	free(cert);
	free(key);
	pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
	fprintf(stderr, "sigap: stopped\n");
	return 0;
}
