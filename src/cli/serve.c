/*
 * serve.c: sigap serve: the web application and JSON API (src/web/).
 */
#include <curl/curl.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "base/log.h"
#include "base/sandbox.h"
#include "cli.h"
#include "serve_config.h"
#include "web/router.h"
#include "web/server.h"

static const char usage[] =
	"usage: sigap serve [--listen ADDR:PORT] [--threads N] [--tls-cert FILE --tls-key FILE]\n"
	"                   [--wazuh-alerts FILE] [--syslog-udp ADDR:PORT] [--syslog-tcp ADDR:PORT]\n"
	"                   [--relp ADDR:PORT] [--quiet] [--log-level LEVEL] [--routes] [--check]\n"
	"\n"
	"Serves the web application and the JSON API (/api/v1) until SIGTERM or\n"
	"SIGINT, then finishes the requests in flight and exits. SIGHUP reads the\n"
	"configuration file again, with the rules, SOPs, templates and catalogues\n"
	"it names, and the stored indicators: all of it runs from then on, or, when\n"
	"any of it does not load, none of it (the log says why). The keys used once\n"
	"at the start (addresses, limits of the HTTP server, the inputs, the store,\n"
	"the sandbox) are named in the log and wait for a restart. 'sigap rules\n"
	"reload' and 'sigap sop reload' reload the rules or SOPs of every node.\n"
	"\n"
	"  --listen ADDR:PORT  address to listen on (default [web] listen, else\n"
	"                      127.0.0.1:8080); port 0 picks a free port\n"
	"  --threads N         worker threads (default [web] threads, else one per core)\n"
	"  --tls-cert FILE     serve HTTPS with this PEM certificate ...\n"
	"  --tls-key FILE      ... and this PEM private key\n"
	"  --wazuh-alerts FILE follow Wazuh's alerts.json (default [inputs] wazuh_alerts)\n"
	"  --syslog-udp A:P    receive syslog over UDP (default [inputs] syslog_udp)\n"
	"  --syslog-tcp A:P    receive syslog over TCP (default [inputs] syslog_tcp)\n"
	"  --relp A:P          receive syslog over RELP, each message acknowledged once\n"
	"                      committed (rsyslog's omrelp; default [inputs] relp)\n"
	"  --quiet             no access log (the request lines)\n"
	"  --log-level LEVEL   the least level logged: debug, info (the default, with\n"
	"                      a line per request), warn or error\n"
	"\n"
	"The log is written on standard error, a JSON object a line: at (the time,\n"
	"RFC 3339 in [kalender] zona), level, msg, and the fields of the line (a\n"
	"request's remote, method, path, route, status, bytes, ms, user).\n"
	"\n"
	"  --routes            print the route table as JSON and exit\n"
	"  --check             check the configuration and everything this would load\n"
	"                      (sigap config check), then exit: 0 when all is well\n"
	"\n"
	"What the inputs and POST /api/v1/ingest/wazuh receive is matched against the\n"
	"Sigma rules and the stored threat indicators; matches become alerts.\n";

/* serve's own options over the configuration's, at every parse of it
 * (serve_config.c), so a reload compares like with like: --listen (the
 * documents' verification links without [notify] link_base name it),
 * the TLS pair and the inputs. */
static const char *opt_listen, *opt_cert, *opt_key;
static const char *opt_wazuh, *opt_udp, *opt_tcp, *opt_relp;

static void serve_options(app_config *c)
{
	cli_take(&c->web_listen, opt_listen);
	cli_take(&c->tls_cert, opt_cert);
	cli_take(&c->tls_key, opt_key);
	cli_take(&c->in_wazuh_alerts, opt_wazuh);
	cli_take(&c->in_syslog_udp, opt_udp);
	cli_take(&c->in_syslog_tcp, opt_tcp);
	cli_take(&c->in_relp, opt_relp);
}

static int open_worker_app(app *a, sg_err *e)
{
	app_config cfg;
	unsigned gen;
	if (serve_config_open(&cfg, &gen, e) != 0)
		return -1;
	if (app_open(a, &cfg, DB_OPEN_EXISTING, e) != 0)
		return -1;
	a->cfg_gen = gen;
	return 0;
}

/* The sender of [notify]'s messages and the poller of [intake]'s mailbox
 * (reports by e-mail), once the address is this
 * process's: the node is its host and bound address, the same at every
 * start, so what it was delivering when it last stopped is told apart
 * (app/outbox_send.c); a second serve refused the port takes nothing
 * over. */
typedef struct workers {
	outbox_sender *out;
	mail_intake *in; /* [intake]'s poller, when a mailbox is configured */
	monitor_watch *watch; /* the website monitor's checks */
	bool intake;
} workers;

static int start_sender(void *ctx, const char *bound, sg_err *e)
{
	char host[128] = "", node[300];
	gethostname(host, sizeof host - 1);
	snprintf(node, sizeof node, "%s %s", host, bound);
	workers *w = ctx;
	w->out = outbox_sender_start(open_worker_app, node, e);
	if (w->out == NULL)
		return -1;
	w->in = mail_intake_start(open_worker_app, w->intake, e);
	if (!w->in)
		return -1;
	w->watch = monitor_watch_start(open_worker_app, node, e);
	return w->watch ? 0 : -1;
}

static void stop_sender(void *ctx)
{
	workers *w = ctx;
	monitor_watch_stop(w->watch);
	w->watch = NULL;
	mail_intake_stop(w->in);
	outbox_sender_stop(w->out);
	w->in = NULL;
	w->out = NULL;
}

/* Reloads and the change marks' watcher may meet: one at a time. */
static pthread_mutex_t reload_mu = PTHREAD_MUTEX_INITIALIZER;

/* What a moved change mark (app/change_marks.c) has this server read
 * again, as the running configuration names it; what cannot be read
 * replaces nothing. */
static void on_mark(void *ctx, const char *what)
{
	ingest *g = ctx;
	sg_err e = {0};
	pthread_mutex_lock(&reload_mu);
	if (strcmp(what, "rules") == 0) {
		app_config cfg;
		unsigned gen;
		if (serve_config_open(&cfg, &gen, &e) != 0 || ingest_reload_rules(g, &cfg, &e) != 0)
			log_say(LOG_WARN, "the rules were not reloaded; detection runs the ones it has: %s",
			        e.msg);
		app_config_free(&cfg);
	} else if (strcmp(what, "indicators") == 0) {
		ingest_reload_indicators(g);
	} else if (strcmp(what, "sops") == 0 && web_sops_reload(&e) != 0) {
		log_say(LOG_WARN, "the SOPs were not reloaded; the server keeps the ones it has: %s",
		        e.msg);
	}
	pthread_mutex_unlock(&reload_mu);
}

/* SIGHUP: sigap.conf, the rules, the SOPs, the templates and catalogues
 * it names, read again and made the running set together, or not at all;
 * the indicators read again from the store. The keys taken once at the
 * start are named and keep their running values (config_live.c). */
static void hangup(ingest *g)
{
	const char *path = serve_config_path();
	log_say(LOG_INFO, "SIGHUP received: reading %s, the rules, the SOPs and the indicators again",
	        path ? path : "the configuration (no file: the defaults)");
	serve_reload r;
	diags d = DIAGS_INIT;
	if (serve_config_prepare(&r, &d) != 0) {
		log_diags(LOG_ERROR, &d);
		log_say(LOG_ERROR,
		        "the configuration was not reloaded (%zu problem%s): the server runs on as it "
		        "was, and nothing else was read again",
		        d.n + d.dropped, d.n + d.dropped == 1 ? "" : "s");
		diags_free(&d);
		return;
	}
	diags_free(&d);
	for (size_t i = 0; i < r.n_changed; i++)
		log_say(LOG_WARN,
		        "%s changed: it takes effect when sigap serve restarts (check it first: "
		        "sigap config check); until then the running value stays",
		        r.changed[i]);
	sg_err e = {0};
	const det_rules *now = ingest_rules_hold(g);
	det_rules *rs = ingest_load_rules(&r.cfg, now, &e);
	ingest_rules_drop(g, now);
	app a;
	if (rs == NULL || app_open(&a, &r.cfg, DB_OPEN_EXISTING, &e) != 0) {
		log_say(LOG_ERROR,
		        "the reload was refused: %s; the server runs on with the configuration, rules "
		        "and SOPs it had",
		        e.msg);
		if (rs)
			det_rules_free(rs);
		serve_config_discard(&r);
		return;
	}
	size_t n_rules = det_rules_count(rs), n_sops = a.sops.n, n_fixed = r.n_changed;
	ingest_use_rules(g, rs);
	serve_config_commit(&r);
	web_sops_publish(&a.sops);
	app_close(&a);
	serve_config_discard(&r);
	ingest_reload_indicators(g);
	log_say(LOG_INFO,
	        "reloaded: the configuration (%zu key%s waiting for a restart), %zu Sigma rules, "
	        "%zu SOPs; the indicators are read again",
	        n_fixed, n_fixed == 1 ? "" : "s", n_rules, n_sops);
}

/* Started as root: the web's and the inputs' ports are bound and the TLS
 * pair read now, then the process becomes [web] user (sigap) for good,
 * its own supplementary groups with it (a member of wazuh reads Wazuh's
 * alerts.json), before the store is opened or any input is read. */
static int drop_root(const app_config *cfg, const web_options *wo, sg_err *e)
{
	const char *name = cfg->web_user ? cfg->web_user : "sigap";
	struct passwd *pw = getpwnam(name);
	if (!pw && !cfg->web_user) {
		/* a developer's machine (make run as root): said, not refused */
		log_say(LOG_WARN,
		        "running as root: there is no user sigap to become once the ports are bound "
		        "(adduser --system --group sigap, or name one in [web] user)");
		return 0;
	}
	if (!pw)
		return sg_err_set(e, SG_EPERM,
		                  "[web] user '%s' does not exist: sigap serve binds its ports as root, "
		                  "then becomes that user",
		                  name);
	if (pw->pw_uid == 0)
		return sg_err_set(e, SG_EPERM, "[web] user '%s' is root: name an unprivileged user",
		                  name);
	uid_t uid = pw->pw_uid;
	gid_t gid = pw->pw_gid;
	if (web_prebind(wo, e) != 0 || ingest_prebind(cfg, e) != 0)
		return -1;
	if (initgroups(name, gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0)
		return sg_err_set(e, SG_EPERM, "cannot become the user '%s': %s", name, strerror(errno));
	if (setuid(0) == 0 || seteuid(0) == 0)
		return sg_err_set(e, SG_EPERM, "root could be taken back after becoming '%s'", name);
	log_say(LOG_INFO, "running as %s (uid %u, gid %u); the ports were bound as root", name,
	        (unsigned)uid, (unsigned)gid);
	return 0;
}

/* Started by an unprivileged user with a capability (the unit's drop-in
 * for port 514: AmbientCapabilities=CAP_NET_BIND_SERVICE): the ports are
 * bound now, then every capability is given up, ambient ones included,
 * before any input is read. Without one, nothing to do. */
static int drop_caps(const app_config *cfg, const web_options *wo, sg_err *e)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{0}};
	if (syscall(SYS_capget, &h, d) != 0)
		return 0;
	if (!(d[0].effective | d[1].effective | d[0].permitted | d[1].permitted))
		return 0;
	if (web_prebind(wo, e) != 0 || ingest_prebind(cfg, e) != 0)
		return -1;
	memset(d, 0, sizeof d);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 ||
	    syscall(SYS_capset, &h, d) != 0)
		return sg_err_set(e, SG_EPERM, "cannot give up the capabilities once the ports are "
		                               "bound: %s", strerror(errno));
	log_say(LOG_INFO, "the ports were bound with the capabilities given; none is kept");
	return 0;
}

/* Landlock, then seccomp on every thread: writes only in the store's,
 * the evidence's and the caches' directories and the temporary ones, no
 * program executed, none of the system calls a service never needs. A
 * kernel without Landlock is said, not fatal. */
static void give_up(const app_config *cfg, const char *evidence)
{
	char dbdir[4096] = "", ev[4096] = "", cache_dir[4096] = "";
	if (!db_target_is_postgres(cfg->db_path)) {
		const char *path = strncmp(cfg->db_path, "sqlite:", 7) == 0 ? cfg->db_path + 7 : cfg->db_path;
		char *real = realpath(path, NULL);
		if (real) {
			char *slash = strrchr(real, '/');
			if (slash)
				*slash = '\0';
			snprintf(dbdir, sizeof dbdir, "%s", real[0] ? real : "/");
			free(real);
		}
	}
	/* made now if missing: nothing can be made outside them afterwards */
	sg_err e = {0};
	if (evidence && (fs_mkdir_p(evidence, &e) != 0 || !realpath(evidence, ev)))
		ev[0] = '\0';
	char *cache = app_rules_cache_dir(cfg, NULL);
	if (cache && (fs_mkdir_p(cache, &e) != 0 || !realpath(cache, cache_dir)))
		cache_dir[0] = '\0';
	free(cache);
	const char *w[] = {dbdir[0] ? dbdir : NULL, ev[0] ? ev : NULL,
	                   cache_dir[0] ? cache_dir : NULL, "/tmp", "/var/tmp", "/dev/null"};
	char note[300];
	int r = sandbox_files(w, sizeof w / sizeof w[0], note, sizeof note);
	log_say(r < 0 ? LOG_WARN : LOG_INFO, "%s", note);
	r = sandbox_syscalls(note, sizeof note);
	log_say(r < 0 ? LOG_WARN : LOG_INFO, "%s", note);
}

static void on_hangup(void *g)
{
	pthread_mutex_lock(&reload_mu);
	hangup(g);
	pthread_mutex_unlock(&reload_mu);
}

int cmd_serve(int argc, char **argv)
{
	/* a SIGHUP in the first moments waits for the server to read it,
	 * instead of ending the process as its default action would */
	sigset_t hup;
	sigemptyset(&hup);
	sigaddset(&hup, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &hup, NULL);
	static const struct option opts[] = {{"listen", required_argument, NULL, 'l'},
					     {"threads", required_argument, NULL, 't'},
					     {"tls-cert", required_argument, NULL, 'c'},
					     {"tls-key", required_argument, NULL, 'k'},
					     {"quiet", no_argument, NULL, 'q'},
					     {"routes", no_argument, NULL, 'R'},
					     {"check", no_argument, NULL, 'K'},
					     {"log-level", required_argument, NULL, 'L'},
					     {"wazuh-alerts", required_argument, NULL, 'W'},
					     {"syslog-udp", required_argument, NULL, 'U'},
					     {"syslog-tcp", required_argument, NULL, 'T'},
					     {"relp", required_argument, NULL, 'P'},
					     CLI_COMMON_OPTS,
					     {0}};
	const char *listen = NULL, *cert = NULL, *key = NULL;
	const char *wazuh = NULL, *udp = NULL, *tcp = NULL, *relp = NULL;
	int threads = -1;
	bool quiet = false, check = false;
	log_level level = LOG_INFO;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'l': listen = optarg; break;
		case 'c': cert = optarg; break;
		case 'k': key = optarg; break;
		case 'q': quiet = true; break;
		case 'K': check = true; break;
		case 'L':
			if (log_level_parse(optarg, &level) != 0)
				return cli_usage_error(usage, "--log-level is debug, info, warn or error");
			break;
		case 'W': wazuh = optarg; break;
		case 'U': udp = optarg; break;
		case 'T': tcp = optarg; break;
		case 'P': relp = optarg; break;
		case 't': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256)
				return cli_usage_error(usage, "--threads must be 1 to 256");
			threads = (int)n;
			break;
		}
		case 'R': {
			json_t *t = router_table();
			cli_print_json(t);
			json_decref(t);
			return EXIT_OK;
		}
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (check) {
		cli_serve_opts so = {listen, cert, key, wazuh, udp, tcp, relp};
		return cli_config_check(cli_config_path(), &so) ? EXIT_ERR : EXIT_OK;
	}
	/* from here on, a JSON object a line (base/log.h) */
	log_setup(true, level);
	app_config cfg;
	sg_err e = {0};
	opt_listen = listen;
	opt_cert = cert;
	opt_key = key;
	opt_wazuh = wazuh;
	opt_udp = udp;
	opt_tcp = tcp;
	opt_relp = relp;
	if (serve_config_start(cli_config_path(), serve_options, &cfg, &e) != 0)
		return cli_fail(&e);
	log_set_zone(cfg.cal.zone);
	/* a TLS pair that cannot serve is said as such, not as an address
	 * that cannot be listened on */
	const char *tls_cert = cert ? cert : cfg.tls_cert, *tls_key = key ? key : cfg.tls_key;
	if ((tls_cert == NULL) != (tls_key == NULL)) {
		app_config_free(&cfg);
		sg_err_set(&e, SG_EINVAL,
		           "TLS needs both --tls-cert and --tls-key ([web] tls_cert and tls_key)");
		return cli_fail(&e);
	}
	diags td = DIAGS_INIT;
	cli_tls_check(&td,
	              cert || key ? "--tls-cert/--tls-key"
	                          : (cli_config_path() ? cli_config_path() : "sigap.conf"),
	              cert || key ? NULL : &cfg, tls_cert, tls_key);
	if (td.n > 0) {
		char first[600];
		diags_first(&td, first, sizeof first);
		diags_free(&td);
		app_config_free(&cfg);
		sg_err_set(&e, SG_EINVAL, "%s", first);
		return cli_fail(&e);
	}
	web_options pre = {.listen = listen ? listen : cfg.web_listen,
	                   .tls_cert = cert ? cert : cfg.tls_cert,
	                   .tls_key = key ? key : cfg.tls_key};
	if ((geteuid() == 0 ? drop_root(&cfg, &pre, &e) : drop_caps(&cfg, &pre, &e)) != 0) {
		app_config_free(&cfg);
		return cli_fail(&e);
	}
	/* the schema first (migrations), then detection, then the web */
	app first;
	if (open_worker_app(&first, &e) != 0) {
		app_config_free(&cfg);
		return cli_fail(&e);
	}
	/* a server takes reports and uploads: their place is known at start */
	if (app_evidence_ready(&first, &e) != 0) {
		app_close(&first);
		app_config_free(&cfg);
		return cli_fail(&e);
	}
	/* before any thread starts: what it gives up (base/sandbox.h) */
	if (cfg.web_sandbox)
		give_up(&cfg, first.cfg.evidence_dir);
	app_close(&first);
	/* the input threads inherit this: only web_serve's sigwait takes the
	 * stop signals */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	ingest *g = ingest_start(&cfg, open_worker_app, &e);
	if (g == NULL) {
		app_config_free(&cfg);
		return cli_fail(&e);
	}
	/* rules, indicators and SOPs changed by another node or the command
	 * line are read again within a second */
	app_mark_watch *w = app_mark_watch_start(open_worker_app, on_mark, g, &e);
	if (w == NULL) {
		ingest_stop(g);
		app_config_free(&cfg);
		return cli_fail(&e);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	workers wk = {NULL, NULL, NULL, cfg.in_mail_url != NULL};
	web_options o = {
		.listen = listen ? listen : cfg.web_listen,
		.threads = threads > 0 ? threads : cfg.web_threads,
		.tls_cert = cert ? cert : cfg.tls_cert,
		.tls_key = key ? key : cfg.tls_key,
		.access_log = !quiet,
		.open_app = open_worker_app,
		.ingest = g,
		.reload = on_hangup,
		.reload_ctx = g,
		.started = start_sender,
		.stopped = stop_sender,
		.started_ctx = &wk,
	};
	int rc = web_serve(&o, &e);
	app_mark_watch_stop(w);
	ingest_stop(g);
	app_config_free(&cfg);
	return rc == 0 ? EXIT_OK : cli_fail(&e);
}
