/*
 * config.c: sigap config check [FILE] (and sigap serve --check):
 * everything sigap serve would load, checked without starting it, each
 * problem as FILE:LINE: message, so a sysadmin finds a typing mistake
 * before a restart does:
 *   - the configuration file, every line (not only the first bad one);
 *   - the store: it exists and its schema is not newer than this binary;
 *   - the SOP files ([sop] dir or --sops), the document templates and
 *     the signatories every SOP's documents need;
 *   - the Sigma rules with the field mapping and placeholders ([detect]);
 *   - the website monitor's content rules ([pantau] aturan);
 *   - the catalogues of controls ([kontrol] dir);
 *   - the TLS certificate and key: readable, a pair, not expired;
 *   - the addresses to listen on (the web, syslog, RELP): well formed;
 *   - the files named: CA files, the letterhead's logo.
 * Nothing is written: the store is opened as it is, not migrated.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "base/log.h"
#include "base/netaddr.h"
#include "base/utf8.h"
#include "cli.h"
#include "web/addrlist.h"
#include "detect/sigma/rules.h"
#include "monitor/rules.h"

static const char usage[] =
    "usage: sigap config check [FILE]\n"
    "\n"
    "Checks FILE (default: --config, $SIGAP_CONFIG, else ./sigap.conf, else,\n"
    "for " SIGAP_INSTALLED ", " SIGAP_SYSCONF ") and\n"
    "everything sigap serve would load with it: the store, the SOP files, the\n"
    "document templates, the Sigma rules and their mapping, the website\n"
    "monitor's rules, the catalogues of controls, the TLS certificate and key,\n"
    "the addresses to listen on and the files it names. Every problem is\n"
    "printed as FILE:LINE: message; nothing is changed (the store is not\n"
    "migrated). Exits 0 when there is none, 1 otherwise.\n"
    "\n"
    "sigap serve --check does the same with serve's options.\n";

/* A file named in the configuration: readable. */
static void readable(diags *d, const char *conf, const app_config *c, const char *key,
                     const char *path)
{
	if (path && access(path, R_OK) != 0)
		diags_add(d, conf, app_config_line(c, key), 0, "%s: %s: %s", key, path,
		          strerror(errno));
}

/* The first port an unprivileged process may bind (net.ipv4.
 * ip_unprivileged_port_start; 1024 when it cannot be read). */
static unsigned unprivileged_port_start(void)
{
	unsigned v = 1024;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "r");
	if (f) {
		if (fscanf(f, "%u", &v) != 1)
			v = 1024;
		fclose(f);
	}
	return v;
}

/* Whether this process binds any port: root, or CAP_NET_BIND_SERVICE. */
static bool may_bind_low(void)
{
	if (geteuid() == 0)
		return true;
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct c[2] = {{0}};
	return syscall(SYS_capget, &h, c) == 0 && (c[0].effective & (1u << CAP_NET_BIND_SERVICE));
}

/* An address to listen on: as sigap serve and its inputs read it
 * (netaddr_parse); a port under 1024 needs root or
 * CAP_NET_BIND_SERVICE. */
static void listen_ok(diags *d, const char *conf, int line, const char *key, const char *spec)
{
	if (!spec || !*spec)
		return;
	struct sockaddr_storage ss;
	socklen_t sl;
	bool v6;
	sg_err e = {0};
	if (netaddr_parse(spec, &ss, &sl, &v6, &e) != 0) {
		diags_add(d, conf, line, 0, "%s = %s: %s", key, spec, e.msg);
		return;
	}
	unsigned port = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
	                         : ((struct sockaddr_in *)&ss)->sin_port);
	/* an address of this host: bound for a moment, on a port the
	 * kernel picks, so a running server's port is not disturbed */
	struct sockaddr_storage probe = ss;
	if (v6)
		((struct sockaddr_in6 *)&probe)->sin6_port = 0;
	else
		((struct sockaddr_in *)&probe)->sin_port = 0;
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&probe, sl) != 0 && errno == EADDRNOTAVAIL)
		diags_add(d, conf, line, 0, "%s = %s: not an address of this host", key, spec);
	if (fd >= 0)
		close(fd);
	/* a port this process could not bind is said, not counted: the
	 * service may well have what this check lacks (root, or the unit's
	 * drop-in giving CAP_NET_BIND_SERVICE) */
	if (port > 0 && port < unprivileged_port_start() && !may_bind_low())
		log_say(LOG_WARN,
		        "note: %s:%d: %s = %s: a port under %u needs root (sigap drops to its user "
		        "after binding) or CAP_NET_BIND_SERVICE, which this check runs without",
		        conf, line, key, spec, unprivileged_port_start());
}

/* Whether a and b are the same address and port (a port 0 is any). */
static bool same_address(const char *a, const char *b)
{
	struct sockaddr_storage x, y;
	socklen_t xl, yl;
	bool v6;
	sg_err e = {0};
	if (!a || !b || netaddr_parse(a, &x, &xl, &v6, &e) != 0 || netaddr_parse(b, &y, &yl, &v6, &e) != 0)
		return false;
	if (x.ss_family != y.ss_family)
		return false;
	if (x.ss_family == AF_INET) {
		struct sockaddr_in *p = (struct sockaddr_in *)&x, *q = (struct sockaddr_in *)&y;
		return p->sin_port && p->sin_port == q->sin_port &&
		       p->sin_addr.s_addr == q->sin_addr.s_addr;
	}
	struct sockaddr_in6 *p = (struct sockaddr_in6 *)&x, *q = (struct sockaddr_in6 *)&y;
	return p->sin6_port && p->sin6_port == q->sin6_port &&
	       memcmp(&p->sin6_addr, &q->sin6_addr, sizeof p->sin6_addr) == 0;
}

/* The TLS pair: both readable PEM, the key the certificate's, the
 * certificate not expired (and told when it ends within 30 days). */
void cli_tls_check(diags *d, const char *conf, const app_config *c, const char *cert,
                   const char *key)
{
	int lc = c ? app_config_line(c, "[web] tls_cert") : 0;
	int lk = c ? app_config_line(c, "[web] tls_key") : 0;
	if (!cert && !key)
		return;
	if (!cert || !key) {
		diags_add(d, conf, lc ? lc : lk, 0, "[web] tls_cert and tls_key go together");
		return;
	}
	/* read whole first: a FIFO or a device is refused, not waited on */
	char why[200];
	size_t len;
	char *pem = fs_read_file(cert, 1024 * 1024, &len, why, sizeof why);
	BIO *bio = pem ? BIO_new_mem_buf(pem, (int)len) : NULL;
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	bool read = pem != NULL;
	free(pem);
	if (!x) {
		diags_add(d, conf, lc, 0, "[web] tls_cert: %s: %s", cert,
		          read ? "not a PEM certificate" : why);
		return;
	}
	pem = fs_read_file(key, 1024 * 1024, &len, why, sizeof why);
	bio = pem ? BIO_new_mem_buf(pem, (int)len) : NULL;
	EVP_PKEY *k = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	read = pem != NULL;
	if (pem)
		OPENSSL_cleanse(pem, len); /* a private key does not linger */
	free(pem);
	if (!k)
		diags_add(d, conf, lk, 0, "[web] tls_key: %s: %s", key,
		          read ? "not a PEM private key (without a passphrase)" : why);
	else if (X509_check_private_key(x, k) != 1)
		diags_add(d, conf, lk, 0, "[web] tls_key: %s is not the key of %s", key, cert);
	int days = 0, secs = 0;
	if (ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(x)) == 1) {
		if (days < 0 || (days == 0 && secs < 0))
			diags_add(d, conf, lc, 0, "[web] tls_cert: %s has expired", cert);
		else if (days < 30)
			log_say(LOG_WARN, "note: [web] tls_cert %s ends in %d days", cert, days);
	}
	EVP_PKEY_free(k);
	X509_free(x);
}

/* Whether dir is a directory, or can be made: its nearest existing
 * ancestor a writable directory on a file system that takes files (not
 * read-only, not /proc or /sys). Nothing is made. */
static bool dir_can_be(const char *dir, char *why, size_t n)
{
	char p[4096];
	snprintf(p, sizeof p, "%s", dir);
	struct stat sb;
	while (stat(p, &sb) != 0) {
		char *slash = strrchr(p, '/');
		if (!slash) {
			snprintf(p, sizeof p, ".");
			break;
		}
		if (slash == p)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (strcmp(p, "/") == 0)
			break;
	}
	if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(why, n, "%.300s is not a directory", p);
		return false;
	}
	struct statfs fs;
	if (statfs(p, &fs) == 0 &&
	    (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC || (fs.f_flags & ST_RDONLY))) {
		snprintf(why, n, "%.300s takes no files (read-only, or a kernel file system)", p);
		return false;
	}
	if (access(p, W_OK) != 0) {
		snprintf(why, n, strcmp(p, dir) == 0 ? "%.300s cannot be written: %s"
		                                     : "cannot be made in %.300s: %s",
		         p, strerror(errno));
		return false;
	}
	return true;
}

/* The problems a loader added from index from on that stand at no line
 * of the file path a key names (it cannot be opened, it is no
 * directory): told at the key's line of the configuration instead. */
static void at_key(diags *d, size_t from, const char *conf, const app_config *c, const char *key,
                   const char *path)
{
	int line = app_config_line(c, key);
	if (!path || !line)
		return;
	for (size_t i = from; i < d->n; i++) {
		diag *g = &d->v[i];
		if (g->line != 0 || !g->file || strcmp(g->file, path) != 0)
			continue;
		char *msg = NULL;
		if (asprintf(&msg, "%s %s: %s", key, path, g->msg) < 0)
			abort();
		char *file = strdup(conf);
		if (!file)
			abort();
		free(g->msg);
		free(g->file);
		g->msg = msg;
		g->file = file;
		g->line = line;
	}
}

static int by_line(const void *x, const void *y)
{
	const diag *a = x, *b = y;
	return (a->line > b->line) - (a->line < b->line);
}

int cli_config_check(const char *path, const cli_serve_opts *o)
{
	diags d = DIAGS_INIT;
	d.limit = 500; /* a binary file would make thousands */
	const char *conf = path ? path : "(defaults)";
	app_config cfg;
	if (app_config_check(&cfg, path, &d) == -2) {
		/* no configuration: what it would name is not guessed at */
		diags_print(&d, stderr);
		printf("%s: 1 problem\n", conf);
		diags_free(&d);
		app_config_free(&cfg);
		return 1;
	}
	cli_config_overrides(&cfg);
	if (o) {
		cli_take(&cfg.web_listen, o->listen);
		cli_take(&cfg.tls_cert, o->tls_cert);
		cli_take(&cfg.tls_key, o->tls_key);
		cli_take(&cfg.in_wazuh_alerts, o->wazuh);
		cli_take(&cfg.in_syslog_udp, o->udp);
		cli_take(&cfg.in_syslog_tcp, o->tcp);
		cli_take(&cfg.in_relp, o->relp);
	}
	size_t n_sops = 0, n_templates = 0, n_rules = 0, n_mon = 0;

	/* the store, as it is */
	int version = 0, latest = db_schema_latest();
	sg_err e = {0};
	char shown[512];
	db_target_shown(cfg.db_path, shown, sizeof shown);
	int dbl = app_config_line(&cfg, "[database] path");
	if (!dbl)
		dbl = app_config_line(&cfg, "[database] url");
	const char *envdb = getenv("SIGAP_DB");
	if ((envdb && *envdb) || cli_g.db)
		dbl = 0; /* named by --db or SIGAP_DB, not by the file */
	if (db_probe(cfg.db_path, &version, &e) != 0)
		diags_add(&d, conf, dbl, 0, "the store %s cannot be opened: %s", shown, e.msg);
	else if (version > latest)
		diags_add(&d, conf, dbl, 0,
		          "the store %s has schema version %d, newer than this sigap's %d: use the "
		          "sigap that wrote it",
		          shown, version, latest);
	else if (version == 0)
		diags_add(&d, conf, dbl, 0, "the store %s holds no sigap schema (sigap init creates it)",
		          shown);

	/* SOPs, templates, signatories */
	sop_registry s = {0};
	tmpl_registry t = {0};
	size_t mark = d.n;
	bool sops = sops_load(&s, cfg.sops_dir, &d) == 0;
	at_key(&d, mark, conf, &cfg, "[sop] dir", cfg.sops_dir);
	mark = d.n;
	bool tmpls = templates_load(&t, cfg.doc_templates, &d) == 0;
	at_key(&d, mark, conf, &cfg, "[dokumen] templates", cfg.doc_templates);
	if (sops && tmpls)
		templates_check_sops(&t, &s, &d);
	if (sops && s.n && doc_signers_check(cfg.doc_conf, &s, &e) != 0)
		diags_add(&d, conf, 0, 0, "%s", e.msg);
	n_sops = s.n;
	n_templates = t.n;
	sops_free(&s);
	templates_free(&t);

	/* detection's rules, with the mapping and placeholders */
	/* compiled afresh, no cache: a check writes nothing (the cache
	 * belongs to the service's user) */
	const char *dir = cfg.detect_rules;
	det_rules_source src = {.mapping = cfg.detect_mapping,
	                        .placeholders = cfg.detect_placeholders,
	                        .cache = NULL,
	                        .paths = &dir,
	                        .n_paths = dir ? 1 : 0,
	                        .builtin = true};
	char why[1400];
	size_t before_rules = d.n + d.dropped;
	mark = d.n;
	det_rules *rs = det_rules_load(&src, &d, why, sizeof why);
	at_key(&d, mark, conf, &cfg, "[detect] mapping", cfg.detect_mapping);
	at_key(&d, mark, conf, &cfg, "[detect] placeholders", cfg.detect_placeholders);
	at_key(&d, mark, conf, &cfg, "[detect] rules", cfg.detect_rules);
	if (!rs && d.n + d.dropped == before_rules) /* else told already, with its place */
		diags_add(&d, cfg.detect_rules ? cfg.detect_rules : conf,
		          app_config_line(&cfg, cfg.detect_rules ? "[detect] rules" : "[detect]"), 0, "%s",
		          why);
	n_rules = rs ? det_rules_count(rs) : 0;
	det_rules_free(rs);

	/* the website monitor's content rules */
	const char *mpaths[1] = {cfg.mon_rules};
	mark = d.n;
	mon_rules *mr = mon_rules_load(mpaths, cfg.mon_rules ? 1 : 0, true, &d);
	at_key(&d, mark, conf, &cfg, "[pantau] aturan", cfg.mon_rules);
	n_mon = mr ? mon_rules_count(mr) : 0;
	mon_rules_free(mr);

	/* the catalogues of controls */
	ctl_registry ctl = {0};
	mark = d.n;
	controls_load(&ctl, cfg.ctl_dir, &d);
	at_key(&d, mark, conf, &cfg, "[kontrol] dir", cfg.ctl_dir);
	controls_free(&ctl);

	/* TLS, addresses, files */
	/* an option of serve --check stands in no line */
	bool tls_opt = o && (o->tls_cert || o->tls_key);
	cli_tls_check(&d, tls_opt ? "sigap serve --tls-cert/--tls-key" : conf, tls_opt ? NULL : &cfg,
	              cfg.tls_cert, cfg.tls_key);
	static const struct {
		const char *key, *option;
		size_t off, opt;
	} addrs[] = {
	    {"[web] listen", "--listen", offsetof(app_config, web_listen), offsetof(cli_serve_opts, listen)},
	    {"[inputs] syslog_udp", "--syslog-udp", offsetof(app_config, in_syslog_udp),
	     offsetof(cli_serve_opts, udp)},
	    {"[inputs] syslog_tcp", "--syslog-tcp", offsetof(app_config, in_syslog_tcp),
	     offsetof(cli_serve_opts, tcp)},
	    {"[inputs] relp", "--relp", offsetof(app_config, in_relp), offsetof(cli_serve_opts, relp)},
	};
	for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
		const char *spec = *(char *const *)((const char *)&cfg + addrs[i].off);
		bool opt = o && *(const char *const *)((const char *)o + addrs[i].opt);
		/* given to serve --check: named as the option, at no line */
		listen_ok(&d, opt ? "sigap serve" : conf,
		          opt ? 0 : app_config_line(&cfg, addrs[i].key),
		          opt ? addrs[i].option : addrs[i].key, spec);
	}
	/* two TCP listeners on one address and port: the second cannot bind
	 * (syslog over UDP has a port of its own kind) */
	for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++)
		for (size_t j = i + 1; j < sizeof addrs / sizeof addrs[0]; j++) {
			const char *a = *(char *const *)((const char *)&cfg + addrs[i].off);
			const char *b = *(char *const *)((const char *)&cfg + addrs[j].off);
			if (i == 1 || j == 1 || !same_address(a, b))
				continue;
			diags_add(&d, conf, app_config_line(&cfg, addrs[j].key), 0,
			          "%s = %s: %s listens there already", addrs[j].key, b, addrs[i].key);
		}
	readable(&d, conf, &cfg, "[notify] ca_file", cfg.nt_ca_file);
	readable(&d, conf, &cfg, "[pantau] ca_file", cfg.mon_ca_file);
	readable(&d, conf, &cfg, "[vuln_intel] ca_file", cfg.vi_ca_file);
	readable(&d, conf, &cfg, "[intake] ca_file", cfg.in_mail_ca_file);
	readable(&d, conf, &cfg, "[dokumen] logo", cfg.doc_logo);

	/* what serve reads at its start besides: the address lists, the
	 * user it becomes, the evidence directory it makes */
	addr_list al;
	if (addr_list_parse(&al, cfg.web_metrics_allow, "metrics_allow", &e) != 0)
		diags_add(&d, conf, app_config_line(&cfg, "[web] metrics_allow"), 0, "%s", e.msg);
	if (addr_list_parse(&al, cfg.web_trusted_proxies, "trusted_proxies", &e) != 0)
		diags_add(&d, conf, app_config_line(&cfg, "[web] trusted_proxies"), 0, "%s", e.msg);
	if (cfg.web_user) {
		struct passwd *pw = getpwnam(cfg.web_user);
		if (!pw)
			diags_add(&d, conf, app_config_line(&cfg, "[web] user"), 0,
			          "[web] user '%s' does not exist (adduser --system --group %s)",
			          cfg.web_user, cfg.web_user);
		else if (pw->pw_uid == 0)
			diags_add(&d, conf, app_config_line(&cfg, "[web] user"), 0,
			          "[web] user '%s' is root: name an unprivileged user", cfg.web_user);
	}
	if (!cfg.evidence_dir && db_target_is_postgres(cfg.db_path))
		diags_add(&d, conf, app_config_line(&cfg, "[database] url"), 0,
		          "a PostgreSQL store keeps its evidence in a directory every sigap node "
		          "shares: name it in [evidence] dir");
	if (cfg.evidence_dir && !dir_can_be(cfg.evidence_dir, why, sizeof why))
		diags_add(&d, conf, app_config_line(&cfg, "[evidence] dir"), 0, "[evidence] dir %s: %s",
		          cfg.evidence_dir, why);

	/* the configuration's own problems first, in the order of its
	 * lines; those of the files it names after, as they were found */
	size_t first = 0;
	for (size_t i = 0; i < d.n; i++)
		if (d.v[i].file && strcmp(d.v[i].file, conf) == 0) {
			diag keep = d.v[i];
			memmove(d.v + first + 1, d.v + first, (i - first) * sizeof d.v[0]);
			d.v[first++] = keep;
		}
	if (first > 1)
		qsort(d.v, first, sizeof d.v[0], by_line);
	/* what a file says is shown, not obeyed: no control character
	 * reaches the terminal */
	for (size_t i = 0; i < d.n; i++) {
		char *m = d.v[i].msg;
		bool text = m && utf8_valid(m, strlen(m));
		for (char *c = m; c && *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f || (!text && (unsigned char)*c >= 0x80))
				*c = '?';
	}
	fflush(stdout);
	diags_print(&d, stderr);
	size_t problems = d.n + d.dropped;
	if (problems)
		printf("%s: %zu problem%s\n", conf, problems, problems == 1 ? "" : "s");
	else
		printf("%s: no problem: the store at schema %d of %d, %zu SOPs, %zu document templates, "
		       "%zu Sigma rules, %zu website content rules\n",
		       conf, version, latest, n_sops, n_templates, n_rules, n_mon);
	diags_free(&d);
	app_config_free(&cfg);
	return (int)(problems > 1000000 ? 1000000 : problems);
}

int cmd_config(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "check") != 0)
		return cli_usage_error(usage, argc < 2 ? "give a subcommand: check"
		                                       : "unknown subcommand '%s'",
		                       argv[1]);
	if (argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	if (argc > 3)
		return cli_usage_error(usage, "check takes one FILE at most");
	return cli_config_check(argc == 3 ? argv[2] : cli_config_path(), NULL) ? EXIT_ERR : EXIT_OK;
}
