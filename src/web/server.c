/*
 * server.c: the HTTP server: libmicrohttpd with a thread pool, started and
 * stopped. A request's path through sigap is request.c's; the guard of
 * connections (admission, deadlines) is conn.c's.
 *
 * Each worker thread owns one app (its own SQLite connection; SQLite in
 * WAL mode lets readers run beside the one writer), opened on the
 * thread's first request. At start, files a crashed sigap left in the
 * evidence spool are settled (evidence_spool.c). SIGTERM stops accepting,
 * waits for requests in flight (up to 30 s) and closes the databases.
 * libmicrohttpd's own messages are logged once each and then counted,
 * so a flood of broken connections cannot flood the log.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "base/log.h"
#include "base/netaddr.h"
#include "base/sd_notify.h"
#include "conn.h"
#include "i18n.h"
#include "metrics.h"
#include "request.h"
#include "server.h"
#include "watchdog.h"

enum { UPLOAD_SLACK = 1024 * 1024, DRAIN_SECONDS = 30 };

typedef struct server {
	const web_options *o;
	pthread_mutex_t apps_lock;
	app **apps;
	size_t n_apps;
} server;

static server S;
static __thread app *thread_app;
/* The SOP registry every worker serves: read at the start and at each
 * reload (web_sops_reload), whose number sops_gen moves; a worker copies
 * it when it opens and at its next request after a reload, so no worker
 * serves files read at another moment. */
static pthread_mutex_t sops_mu = PTHREAD_MUTEX_INITIALIZER;
static sop_registry sops_now;
static atomic_ullong sops_gen;
static __thread unsigned long long thread_sops_gen;

/* The worker's registry replaced by a copy of sops_now. */
static void take_sops(app *a)
{
	sop_registry fresh;
	diags d = DIAGS_INIT;
	pthread_mutex_lock(&sops_mu);
	thread_sops_gen = atomic_load(&sops_gen);
	int rc = sops_copy(&fresh, &sops_now, &d);
	pthread_mutex_unlock(&sops_mu);
	if (rc == 0) {
		sops_free(&a->sops);
		a->sops = fresh;
	} else {
		sops_free(&fresh); /* checked texts: not expected */
	}
	diags_free(&d);
}

/* sops_now becomes a copy of the registry r (read and checked). */
void web_sops_publish(const sop_registry *r)
{
	sop_registry fresh;
	diags d = DIAGS_INIT;
	if (sops_copy(&fresh, r, &d) == 0) {
		pthread_mutex_lock(&sops_mu);
		sops_free(&sops_now);
		sops_now = fresh;
		atomic_fetch_add(&sops_gen, 1);
		pthread_mutex_unlock(&sops_mu);
	} else {
		sops_free(&fresh);
	}
	diags_free(&d);
}

ingest *web_ingest(void)
{
	return S.o ? S.o->ingest : NULL;
}

/* The app of this worker thread, opened on first use, and again at the
 * first request after a reload of the configuration (SIGHUP); one that
 * cannot be opened then leaves the worker on the one it has, tried again
 * at the next request. */
static app *worker_app(sg_err *e)
{
	if (thread_app && !app_config_current(thread_app)) {
		app *fresh = calloc(1, sizeof *fresh);
		sg_err oe = {0};
		if (fresh && S.o->open_app(fresh, &oe) == 0) {
			pthread_mutex_lock(&S.apps_lock);
			for (size_t i = 0; i < S.n_apps; i++)
				if (S.apps[i] == thread_app)
					S.apps[i] = fresh;
			pthread_mutex_unlock(&S.apps_lock);
			app_close(thread_app);
			free(thread_app);
			thread_app = fresh;
			take_sops(fresh);
		} else {
			free(fresh);
			log_say(LOG_WARN, "a worker keeps the configuration it had: %s", oe.msg);
		}
	}
	if (thread_app) {
		if (atomic_load(&sops_gen) != thread_sops_gen)
			take_sops(thread_app);
		return thread_app;
	}
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
	if (atomic_load(&sops_gen) == 0)
		web_sops_publish(&a->sops); /* the first: the registry of the start */
	take_sops(a);
	return a;
}

int web_sops_reload(sg_err *e)
{
	/* a whole app opened checks every SOP file and every hand-over */
	app a;
	if (S.o == NULL)
		return sg_err_set(e, SG_EBUSY, "the web server is not running yet");
	if (S.o->open_app(&a, e) != 0)
		return -1;
	log_say(LOG_INFO, "SOP registry read again: %zu SOPs", a.sops.n);
	web_sops_publish(&a.sops);
	app_close(&a);
	return 0;
}

/* ---- starting and stopping ---- */

/* What sigap serve made ready before it gave up root (web_prebind). */
static int prebound_fd = -1;
static char *prebound_cert, *prebound_key;

static char *read_file(const char *path, sg_err *e);

int web_prebind(const web_options *o, sg_err *e)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	bool v6 = false;
	if (netaddr_parse(o->listen, &ss, &sl, &v6, e) != 0)
		return -1;
	if ((o->tls_cert == NULL) != (o->tls_key == NULL))
		return sg_err_set(e, SG_EINVAL, "TLS needs both --tls-cert and --tls-key");
	if (o->tls_cert) {
		/* read as root: the key may be readable by root alone */
		prebound_cert = read_file(o->tls_cert, e);
		prebound_key = prebound_cert ? read_file(o->tls_key, e) : NULL;
		if (!prebound_key) {
			free(prebound_cert);
			prebound_cert = NULL;
			return -1;
		}
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd >= 0 && v6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, SOMAXCONN) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return sg_err_set(e, SG_EIO, "cannot listen on %s: %s", o->listen, strerror(err));
	}
	prebound_fd = fd;
	return 0;
}

static char *read_file(const char *path, sg_err *e)
{
	char why[200];
	size_t len;
	char *text = fs_read_file(path, 1024 * 1024, &len, why, sizeof why);
	if (!text)
		sg_err_set(e, SG_EIO, "cannot read %s: %s", path, why);
	return text;
}

/* libmicrohttpd's messages: each format is logged the first time, then
 * counted (metrics_library_message); a flood of resets or broken TLS
 * handshakes would otherwise write a line each. */
static void log_mhd(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	if (!metrics_library_message(fmt))
		return;
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_say(LOG_WARN, "http: %s (further messages like this one are counted in /metrics)", msg);
}

/* Many connections need many descriptors: raise the soft limit to the
 * hard one, as a service manager would. */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
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
	const app_config *cfg = &first->cfg;
	evidence_recovery rec;
	if (evidence_recover(first, &rec, e) != 0)
		return -1;
	if (rec.partial || rec.committed || rec.rolled_back)
		log_say(LOG_WARN,
		        "evidence spool after a stop: %d partial files removed, %d stored, "
		        "%d of changes not committed removed",
		        rec.partial, rec.committed, rec.rolled_back);
	/* the load balancers in front: their X-Forwarded-For names the client */
	static addr_list proxies;
	if (addr_list_parse(&proxies, cfg->web_trusted_proxies, "trusted_proxies", e) != 0)
		return -1;
	request_config rc = {.body_max = cfg->web_body_max,
	                     .upload_max = cfg->evidence_max + UPLOAD_SLACK,
	                     .report_max = cfg->vuln_report_max,
	                     .body_memory = cfg->web_body_memory,
	                     .upload_inflight = cfg->web_upload_inflight,
	                     .access_log = o->access_log,
	                     .idle_timeout = (int)cfg->web_header_timeout,
	                     .proxies = &proxies,
	                     .worker_app = worker_app,
	                     .open_app = o->open_app};

	/* what can be refused is refused before any thread starts */
	struct sockaddr_storage ss;
	socklen_t sl;
	bool v6 = false;
	if (netaddr_parse(o->listen, &ss, &sl, &v6, e) != 0)
		return -1;
	int threads = o->threads;
	if (threads <= 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cores < 2 ? 2 : (int)cores;
	}
	char *cert = NULL, *key = NULL;
	if ((o->tls_cert == NULL) != (o->tls_key == NULL))
		return sg_err_set(e, SG_EINVAL, "TLS needs both --tls-cert and --tls-key");
	if (prebound_cert) {
		cert = prebound_cert;
		key = prebound_key;
		prebound_cert = prebound_key = NULL;
		rc.tls = true;
	} else if (o->tls_cert) {
		cert = read_file(o->tls_cert, e);
		key = cert ? read_file(o->tls_key, e) : NULL;
		if (key == NULL) {
			free(cert);
			return -1;
		}
		rc.tls = true;
	}
	if (metrics_configure(cfg->web_metrics_allow, e) != 0 ||
	    metrics_gauges_start(first, o->open_app, (int)cfg->web_metrics_period, e) != 0) {
		free(cert);
		free(key);
		return -1;
	}
	request_configure(&rc);
	raise_fd_limit();
	conn_config cc = {.max_connections = cfg->web_max_connections,
	                  .per_address = cfg->web_max_per_address,
	                  .header_timeout = (int)cfg->web_header_timeout,
	                  .body_timeout = (int)cfg->web_body_timeout,
	                  .body_min_rate = cfg->web_body_min_rate,
	                  .proxies = &proxies};
	if (conn_start(&cc) != 0) {
		metrics_gauges_stop();
		free(cert);
		free(key);
		return sg_err_set(e, SG_ENOMEM, "the connection guard cannot start");
	}
	/* Block the stop signals in every thread; this one waits for them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned flags =
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_EPOLL |
	    MHD_ALLOW_SUSPEND_RESUME;
	if (v6)
		flags |= MHD_USE_IPv6;
	if (rc.tls)
		flags |= MHD_USE_TLS;
	struct MHD_OptionItem tls_opts[] = {
	    {MHD_OPTION_HTTPS_MEM_CERT, 0, cert},
	    {MHD_OPTION_HTTPS_MEM_KEY, 0, key},
	    {MHD_OPTION_END, 0, NULL},
	};
	/* libmicrohttpd's idle timeout stays as a backstop for slow readers of
	 * answers; the guard's deadlines bound requests. Its connection limit
	 * is above the guard's, so the guard alone refuses. */
	struct MHD_OptionItem where[] = {
	    {prebound_fd >= 0 ? MHD_OPTION_LISTEN_SOCKET : MHD_OPTION_SOCK_ADDR,
	     prebound_fd >= 0 ? prebound_fd : 0, prebound_fd >= 0 ? NULL : (void *)&ss},
	    {MHD_OPTION_END, 0, NULL},
	};
	struct MHD_Daemon *d = MHD_start_daemon(
	    flags, 0, conn_on_accept, NULL, request_on_access, NULL, MHD_OPTION_EXTERNAL_LOGGER,
	    log_mhd, NULL, MHD_OPTION_ARRAY, where,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)conn_table_size() + 16,
	    MHD_OPTION_NOTIFY_CONNECTION, conn_on_notify, NULL, MHD_OPTION_NOTIFY_COMPLETED,
	    request_on_completed, NULL, MHD_OPTION_ARRAY, rc.tls ? tls_opts : &tls_opts[2],
	    MHD_OPTION_END);
	if (d == NULL) {
		conn_stop();
		metrics_gauges_stop();
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
	unsigned port = di ? di->port : 0;
	struct sockaddr_storage got;
	socklen_t gl = sizeof got;
	if (!port && prebound_fd >= 0 && getsockname(prebound_fd, (struct sockaddr *)&got, &gl) == 0)
		port = ntohs(got.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&got)->sin6_port
		                                       : ((struct sockaddr_in *)&got)->sin_port);
	prebound_fd = -1; /* libmicrohttpd's now */
	char bound[96];
	snprintf(bound, sizeof bound, "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "", port);
	int sig = 0, result = 0;
	if (o->started && o->started(o->started_ctx, bound, e) != 0) {
		result = -1;
		goto stop;
	}
	printf("sigap: listening on %s://%s (%d threads)\n", rc.tls ? "https" : "http", bound,
	       threads);
	log_say(LOG_INFO, "listening on %s://%s (%d threads)", rc.tls ? "https" : "http", bound,
	        threads);
	/* the service manager (Type=notify): ready now, and alive while the
	 * server answers */
	char status[200];
	snprintf(status, sizeof status, "READY=1\nSTATUS=listening on %s://%s",
	         rc.tls ? "https" : "http", bound);
	sd_say(status);
	web_watchdog *wd = web_watchdog_start(rc.tls, host, port);
	fflush(stdout);

	/* SIGHUP reloads (o->reload) and serving goes on */
	while (sigwait(&stop, &sig) == 0 && sig == SIGHUP) {
		if (o->reload)
			o->reload(o->reload_ctx);
	}
	log_say(LOG_INFO, "%s received; finishing the requests in flight",
	        sig == SIGTERM ? "SIGTERM" : "SIGINT");
	sd_say("STOPPING=1");
	web_watchdog_stop(wd);
stop:;
	MHD_socket ls = MHD_quiesce_daemon(d);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	for (int i = 0; i < DRAIN_SECONDS * 20 && request_in_flight() > 0; i++)
		usleep(50000);
	/* a handler on a thread of its own (a website check) ends within its
	 * timeouts; its connection is suspended and must be resumed first */
	if (request_own_threads() > 0)
		log_say(LOG_INFO, "waiting for %d long request%s to end", request_own_threads(),
		        request_own_threads() == 1 ? "" : "s");
	while (request_own_threads() > 0)
		usleep(50000);
	MHD_stop_daemon(d);
	if (o->stopped)
		o->stopped(o->started_ctx);
	conn_stop();
	metrics_gauges_stop();
	pthread_mutex_lock(&S.apps_lock);
	for (size_t i = 0; i < S.n_apps; i++) {
		app_close(S.apps[i]);
		free(S.apps[i]);
	}
	free(S.apps);
	S.apps = NULL;
	S.n_apps = 0;
	pthread_mutex_unlock(&S.apps_lock);
	pthread_mutex_lock(&sops_mu);
	sops_free(&sops_now);
	atomic_store(&sops_gen, 0);
	pthread_mutex_unlock(&sops_mu);
	free(cert);
	free(key);
	pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
	log_say(LOG_INFO, "stopped");
	return result;
}
