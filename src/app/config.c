/*
 * config.c: sigap.conf, an INI file read with libinih.
 *
 *   [database]  path = ./var/sigap.db
 *   [sop]       dir = ./sops            extra or replacement SOP files
 *   [evidence]  dir = (beside the database) max_size = 25M
 *   [kalender]  zona = Asia/Jakarta     jam_kerja = 07:30-16:00
 *               hari_kerja = senin, selasa, rabu, kamis, jumat
 *               libur = 2026-12-25, 2026-12-31
 *   [web]       listen = 127.0.0.1:8080  threads = 0 (one per core)
 *               tls_cert = …  tls_key = …  body_max = 1M
 *               user = sigap  (who sigap serve becomes when started as
 *                   root, once its ports are bound)
 *               sandbox = on  (Landlock and seccomp once started;
 *                   base/sandbox.h)
 *               session_idle = 30m  session_max = 12h
 *               report_limit = 10     public reports per address per hour
 *               body_memory = 64M     bodies held in memory by all requests
 *               upload_inflight = 512M  files being received by all requests
 *               max_connections = 512  max_connections_per_address = 64
 *               header_timeout = 20s  body_timeout = 60s  body_min_rate = 8K
 *               metrics_allow = 127.0.0.1, 10.0.0.0/8  (addresses /metrics
 *                                   answers without sign-in; none by default)
 *               trusted_proxies = 10.0.0.5  (load balancers whose
 *                                   X-Forwarded-For names the client)
 *               metrics_period = 15s  (how often the case gauges are computed)
 *               status_limit = 60     report status checks (/lapor/status and
 *                                     its API) per address per hour
 *               link_days = 7         days a link for an outside actor's
 *                                     step (/tautan/…) works
 *   [detect]    rules = DIR (besides the shipped ones)  mapping = FILE
 *               placeholders = FILE (values of |expand placeholders)
 *               fold_window = 10m  ioc_reload = 5m
 *               cache = DIR (compiled rule databases; default cache/rules
 *                       beside the database; off: none)
 *   [inputs]    wazuh_alerts = /var/ossec/logs/alerts/alerts.json
 *               wazuh_alerts_rotated = GLOB (its rotated files besides PATH.N)
 *               syslog_udp = ADDR:PORT  syslog_tcp = ADDR:PORT
 *               relp = ADDR:PORT      (RELP, acknowledged once committed)
 *               max_line = 64K  queue = 100000 (lines waiting for detection)
 *               syslog_timezone = UTC  (the zone of syslog stamps that carry
 *                   none; default [kalender] zona)  syslog_udp_timezone,
 *                   syslog_tcp_timezone, relp_timezone: the same per input
 *   [kerentanan] due_critical = 7  due_high = 30  due_medium = 90
 *               due_low = 120   (calendar days from a finding's first
 *                                sighting, or its reopening, to its due
 *                                date; CISA KEV's due date when earlier)
 *               max_report_size = 256M  (a scanner report uploaded on
 *                                the web or the API; the command line
 *                                takes any size)
 *   [vuln_intel] update = off  (sigap vuln intel update fetches the URLs
 *                below; off by default: everything imports from files)
 *               kev_url = URL  epss_url = URL  cve_url = URL (a CVE JSON 5
 *               record)  timeout = 10m  max_size = 200M (refused before
 *               download when announced larger, stopped when it grows
 *               past)  ca_file = FILE (TLS trust; verification always on)
 *
 *   [notify]    webhook_url = URL  (every message POSTed there as JSON,
 *                   signed; none: no message is written)
 *               webhook_secret = TEXT (16 characters or more: the HMAC-SHA256
 *                   key of X-Sigap-Signature; required with webhook_url)
 *               events = langkah, ditutup, peringatan  (what is sent; all
 *                   by default)
 *               timeout = 30s  retry_after = 30s (doubling, at most 1h)
 *               retry_max = 10  ca_file = FILE
 *               link_base = https://sigap.example.go.id (links to cases and
 *                   alerts in messages; none: no link)
 *               smtp_url = smtp://mail.example.go.id:587 (STARTTLS required)
 *                   or smtps://…:465; none: no e-mail
 *               smtp_user = …  smtp_password = …  smtp_from = sigap <a@b>
 *               smtp_tls = required | none (none: a relay on this host)
 *               telegram_token = 123456:ABC…  (the bot: a Telegram message to
 *                   each user who gave a chat; none: no Telegram)
 *               telegram_api = https://api.telegram.org (or a gateway)
 *               sla_warn_before = 1h (a step's role is warned this long
 *                   before its standard time runs out)  sla_check = 30s
 *
 *   [pantau]    interval = 10m (between two checks of a site, unless the
 *                   site says otherwise)  timeout = 30s  lambat = 5s (a
 *                   page taking longer is slow)  serentak = 16 (fetches at
 *                   once)  sertifikat = 30 (days before a certificate
 *                   ends that it is told)  max_halaman = 2M
 *                   agen = … (the browser's User-Agent)
 *                   agen_crawler = … (Googlebot's)  ca_file = FILE
 *                   aturan = DIR (more content rules, rules/monitor/)
 *                   simpan = 90d (how long each check's figures are kept)
 *                   alamat_dalam = tolak (loopback, private and link-local
 *                   addresses refused, redirects' too; izinkan: fetched)
 *
 *   [dokumen]   instansi, dinas, alamat, kontak (the letterhead), kota (where
 *               documents are signed), logo = FILE.png, nomor =
 *               {seq}/{kode}/{unit}/{tahun} (the number pattern), unit = CSIRT,
 *               templates = DIR (more NAME.tmpl files); the admin page
 *               /admin/dokumen comes first (documents.c)
 *   [penandatangan] ROLE.jabatan, ROLE.nama, ROLE.nip: the signatories
 *   [intake]    url = imaps://mail.example.go.id/INBOX (reports by e-mail;
 *               none: no intake), user, password, ca_file, tls = required |
 *               none (imap:// to this host), poll = 60s, timeout = 60s,
 *               max_size = 25M (mail_intake.c)
 *
 * Every key is optional; an unknown section or key is an error naming its
 * line, so a typing mistake never silently falls back to a default.
 * etc/sigap.conf.example is the documented example.
 */
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "base/fsutil.h"
#include "notify/smtp.h"
#include "report/pdf.h"

typedef struct parse_ctx {
	app_config *c;
	sg_err *e;        /* the key's handler's error */
	sg_err first;     /* the first line's error */
	int first_line;
	bool failed;
	bool store_named; /* [database] path or url given */
	const char *path;
	diags *all;       /* every line's error (app_config_check); NULL: none */
	int line;         /* of the key being read */
	int newlines;     /* read so far */
	FILE *f;
} parse_ctx;

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (p == NULL)
		abort();
	return p;
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static int parse_size(const char *v, long *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (end == v || n <= 0)
		return -1;
	long mul = 1;
	if (*end == 'K' || *end == 'k')
		mul = 1024, end++;
	else if (*end == 'M' || *end == 'm')
		mul = 1024 * 1024, end++;
	if (*end != '\0' || n > (1L << 40) / mul)
		return -1;
	*out = n * mul;
	return 0;
}

/* "90", "90s", "30m", "12h", "7d" into seconds. */
static int parse_duration(const char *v, int64_t *out)
{
	char *end;
	long long n = strtoll(v, &end, 10);
	if (end == v || n <= 0 || n > 10LL * 365 * 86400)
		return -1;
	int64_t mul = 1;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		mul = 60, end++;
	else if (*end == 'h')
		mul = 3600, end++;
	else if (*end == 'd')
		mul = 86400, end++;
	if (*end != '\0' || n > 10LL * 365 * 86400 / mul) /* ten years at most, in seconds too */
		return -1;
	*out = n * mul;
	return 0;
}

static int parse_count(const char *v, int max, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (end == v || *end != '\0' || n < 0 || n > max)
		return -1;
	*out = (int)n;
	return 0;
}

static int on_web_key(parse_ctx *p, const char *name, const char *value)
{
	app_config *c = p->c;
	long size;
	if (strcmp(name, "listen") == 0)
		set_str(&c->web_listen, value);
	else if (strcmp(name, "tls_cert") == 0)
		set_str(&c->tls_cert, value);
	else if (strcmp(name, "tls_key") == 0)
		set_str(&c->tls_key, value);
	else if (strcmp(name, "sandbox") == 0) {
		if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0)
			return sg_err_set(p->e, SG_EINVAL, "sandbox '%s' must be on or off", value);
		c->web_sandbox = strcmp(value, "on") == 0;
	} else if (strcmp(name, "user") == 0) {
		if (!*value || strlen(value) > 32 || strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789_-.") !=
		                                           strlen(value))
			return sg_err_set(p->e, SG_EINVAL, "user '%s' must be a user name", value);
		set_str(&c->web_user, value);
	}
	else if (strcmp(name, "threads") == 0) {
		if (parse_count(value, 256, &c->web_threads) != 0)
			return sg_err_set(p->e, SG_EINVAL, "threads '%s' must be 0 to 256", value);
	} else if (strcmp(name, "report_limit") == 0) {
		if (parse_count(value, 100000, &c->report_limit) != 0)
			return sg_err_set(p->e, SG_EINVAL, "report_limit '%s' must be 0 to 100000", value);
	} else if (strcmp(name, "link_days") == 0) {
		if (parse_count(value, 365, &c->link_days) != 0 || c->link_days < 1)
			return sg_err_set(p->e, SG_EINVAL, "link_days '%s' must be 1 to 365", value);
	} else if (strcmp(name, "status_limit") == 0) {
		if (parse_count(value, 100000, &c->status_limit) != 0)
			return sg_err_set(p->e, SG_EINVAL, "status_limit '%s' must be 0 to 100000", value);
	} else if (strcmp(name, "body_max") == 0 || strcmp(name, "body_memory") == 0 ||
		   strcmp(name, "upload_inflight") == 0 || strcmp(name, "body_min_rate") == 0) {
		if (parse_size(value, &size) != 0)
			return sg_err_set(p->e, SG_EINVAL, "%s '%s' must be a size such as 1M", name,
					  value);
		long *dst = strcmp(name, "body_max") == 0	   ? &c->web_body_max
			    : strcmp(name, "body_memory") == 0 ? &c->web_body_memory
			    : strcmp(name, "body_min_rate") == 0 ? &c->web_body_min_rate
								 : &c->web_upload_inflight;
		*dst = size;
	} else if (strcmp(name, "max_connections") == 0 ||
		   strcmp(name, "max_connections_per_address") == 0) {
		int *dst = name[15] ? &c->web_max_per_address : &c->web_max_connections;
		if (parse_count(value, 100000, dst) != 0 || *dst < 1)
			return sg_err_set(p->e, SG_EINVAL, "%s '%s' must be 1 to 100000", name, value);
	} else if (strcmp(name, "header_timeout") == 0 || strcmp(name, "body_timeout") == 0 ||
		   strcmp(name, "metrics_period") == 0) {
		if (parse_duration(value, name[0] == 'h'   ? &c->web_header_timeout
					  : name[0] == 'b' ? &c->web_body_timeout
							   : &c->web_metrics_period) != 0)
			return sg_err_set(p->e, SG_EINVAL, "%s '%s' must be a duration such as 20s",
					  name, value);
	} else if (strcmp(name, "metrics_allow") == 0) {
		set_str(&c->web_metrics_allow, value);
	} else if (strcmp(name, "trusted_proxies") == 0) {
		set_str(&c->web_trusted_proxies, value);
	} else if (strcmp(name, "session_idle") == 0 || strcmp(name, "session_max") == 0) {
		int64_t *dst = name[8] == 'i' ? &c->session_idle : &c->session_max;
		if (parse_duration(value, dst) != 0)
			return sg_err_set(p->e, SG_EINVAL, "%s '%s' must be a duration such as 30m or 12h",
					  name, value);
	} else {
		return sg_err_set(p->e, SG_EINVAL, "unknown key '%s' in section [web]", name);
	}
	return 0;
}

static int on_detect_key(parse_ctx *p, const char *name, const char *value)
{
	app_config *c = p->c;
	if (strcmp(name, "rules") == 0)
		set_str(&c->detect_rules, value);
	else if (strcmp(name, "mapping") == 0)
		set_str(&c->detect_mapping, value);
	else if (strcmp(name, "placeholders") == 0)
		set_str(&c->detect_placeholders, value);
	else if (strcmp(name, "cache") == 0) {
		if (*value == '\0')
			return sg_err_set(p->e, SG_EINVAL, "cache must be a directory, or off");
		set_str(&c->detect_cache, value);
	}
	else if (strcmp(name, "fold_window") == 0 || strcmp(name, "ioc_reload") == 0) {
		if (parse_duration(value, name[0] == 'f' ? &c->fold_window : &c->ioc_reload) != 0)
			return sg_err_set(p->e, SG_EINVAL, "%s '%s' must be a duration such as 10m",
					  name, value);
	} else {
		return sg_err_set(p->e, SG_EINVAL, "unknown key '%s' in section [detect]", name);
	}
	return 0;
}

static int on_inputs_key(parse_ctx *p, const char *name, const char *value)
{
	app_config *c = p->c;
	long size;
	if (strcmp(name, "wazuh_alerts") == 0)
		set_str(&c->in_wazuh_alerts, value);
	else if (strcmp(name, "wazuh_alerts_rotated") == 0)
		set_str(&c->in_wazuh_rotated, value);
	else if (strcmp(name, "syslog_udp") == 0)
		set_str(&c->in_syslog_udp, value);
	else if (strcmp(name, "syslog_tcp") == 0)
		set_str(&c->in_syslog_tcp, value);
	else if (strcmp(name, "relp") == 0)
		set_str(&c->in_relp, value);
	else if (strcmp(name, "syslog_timezone") == 0 || strcmp(name, "syslog_udp_timezone") == 0 ||
		 strcmp(name, "syslog_tcp_timezone") == 0 || strcmp(name, "relp_timezone") == 0) {
		const civil_zone *z = civil_zone_find(value);
		if (z == NULL)
			return sg_err_set(p->e, SG_EINVAL,
					  "%s '%s' is not a known time zone (use UTC, Asia/Jakarta, "
					  "Asia/Makassar or Asia/Jayapura)",
					  name, value);
		if (strcmp(name, "syslog_udp_timezone") == 0)
			c->in_zone_udp = z;
		else if (strcmp(name, "syslog_tcp_timezone") == 0)
			c->in_zone_tcp = z;
		else if (strcmp(name, "relp_timezone") == 0)
			c->in_zone_relp = z;
		else
			c->in_zone = z;
	} else if (strcmp(name, "max_line") == 0) {
		if (parse_size(value, &size) != 0 || size < 1024 || size > 16L * 1024 * 1024)
			return sg_err_set(p->e, SG_EINVAL, "max_line '%s' must be a size from 1K to 16M",
					  value);
		c->in_max_line = size;
	} else if (strcmp(name, "queue") == 0) {
		if (parse_count(value, 10000000, &c->in_queue) != 0 || c->in_queue < 100)
			return sg_err_set(p->e, SG_EINVAL, "queue '%s' must be 100 to 10000000", value);
	} else {
		return sg_err_set(p->e, SG_EINVAL, "unknown key '%s' in section [inputs]", name);
	}
	return 0;
}

/* [pengecualian] masa_maksimal = MONTHS (1 to 60), pengingat = DAYS… (up
 * to EXC_REMIND_MAX numbers of 1 to 365, "" for none). */
static int on_exception_key(parse_ctx *p, const char *name, const char *value)
{
	app_config *c = p->c;
	if (strcmp(name, "masa_maksimal") == 0) {
		if (parse_count(value, 60, &c->exc_max_months) != 0 || c->exc_max_months < 1)
			return sg_err_set(p->e, SG_EINVAL,
			                  "masa_maksimal '%s' must be 1 to 60 months", value);
		return 0;
	}
	if (strcmp(name, "pengingat") != 0)
		return sg_err_set(p->e, SG_EINVAL, "unknown key '%s' in section [pengecualian]",
		                  name);
	int days[EXC_REMIND_MAX + 1] = {0}, n = 0;
	for (const char *s = value + strspn(value, " \t,"); *s; s += strspn(s, " \t,")) {
		char word[16];
		size_t len = strcspn(s, " \t,");
		int d = 0;
		if (len >= sizeof word || n == EXC_REMIND_MAX)
			goto bad;
		memcpy(word, s, len);
		word[len] = '\0';
		if (parse_count(word, 365, &d) != 0 || d < 1)
			goto bad;
		days[n++] = d;
		s += len;
	}
	/* largest first, each once */
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (days[j] > days[i]) {
				int t = days[i];
				days[i] = days[j];
				days[j] = t;
			}
	for (int i = 1; i < n; i++)
		if (days[i] == days[i - 1])
			goto bad;
	memcpy(c->exc_remind, days, sizeof days);
	return 0;
bad:
	return sg_err_set(p->e, SG_EINVAL,
	                  "pengingat '%s' must be up to %d different numbers of days, 1 to 365 "
	                  "(30 7 1)",
	                  value, EXC_REMIND_MAX);
}

static int on_kerentanan_key(parse_ctx *p, const char *name, const char *value)
{
	app_config *c = p->c;
	if (strcmp(name, "max_report_size") == 0) {
		if (parse_size(value, &c->vuln_report_max) != 0)
			return sg_err_set(p->e, SG_EINVAL,
					  "max_report_size '%s' must be a size such as 256M", value);
		return 0;
	}
	int *dst = strcmp(name, "due_critical") == 0 ? &c->vuln_due_critical
		   : strcmp(name, "due_high") == 0   ? &c->vuln_due_high
		   : strcmp(name, "due_medium") == 0 ? &c->vuln_due_medium
		   : strcmp(name, "due_low") == 0    ? &c->vuln_due_low
						     : NULL;
	if (dst == NULL)
		return sg_err_set(p->e, SG_EINVAL, "unknown key '%s' in section [kerentanan]", name);
	if (parse_count(value, 3650, dst) != 0 || *dst < 1)
		return sg_err_set(p->e, SG_EINVAL, "%s '%s' must be 1 to 3650 days", name, value);
	return 0;
}

static int on_vuln_intel_key(parse_ctx *p, const char *name, const char *value)
{
	app_config *c = p->c;
	if (strcmp(name, "update") == 0) {
		if (strcmp(value, "on") == 0 || strcmp(value, "true") == 0 || strcmp(value, "yes") == 0)
			c->vi_update = true;
		else if (strcmp(value, "off") == 0 || strcmp(value, "false") == 0 ||
			 strcmp(value, "no") == 0)
			c->vi_update = false;
		else
			return sg_err_set(p->e, SG_EINVAL, "update '%s' must be on or off", value);
	} else if (strcmp(name, "kev_url") == 0 || strcmp(name, "epss_url") == 0 ||
		   strcmp(name, "cve_url") == 0) {
		if (strncmp(value, "https://", 8) != 0 && strncmp(value, "http://", 7) != 0)
			return sg_err_set(p->e, SG_EINVAL, "%s '%s' must be an http:// or https:// URL",
					  name, value);
		set_str(name[0] == 'k' ? &c->vi_kev_url : name[0] == 'e' ? &c->vi_epss_url
									  : &c->vi_cve_url,
			value);
	} else if (strcmp(name, "timeout") == 0) {
		if (parse_duration(value, &c->vi_timeout) != 0)
			return sg_err_set(p->e, SG_EINVAL, "timeout '%s' must be a duration such as 10m",
					  value);
	} else if (strcmp(name, "max_size") == 0) {
		if (parse_size(value, &c->vi_max_size) != 0)
			return sg_err_set(p->e, SG_EINVAL, "max_size '%s' must be a size such as 200M",
					  value);
	} else if (strcmp(name, "ca_file") == 0) {
		set_str(&c->vi_ca_file, value);
	} else {
		return sg_err_set(p->e, SG_EINVAL, "unknown key '%s' in section [vuln_intel]", name);
	}
	return 0;
}

static int on_pantau_key(parse_ctx *p, const char *name, const char *value)
{
	app_config *c = p->c;
	int64_t *dur = strcmp(name, "interval") == 0 ? &c->mon_interval
	               : strcmp(name, "timeout") == 0 ? &c->mon_timeout
	               : strcmp(name, "lambat") == 0  ? &c->mon_slow
	                                              : NULL;
	if (strcmp(name, "simpan") == 0) {
		if (parse_duration(value, &c->mon_keep) != 0 || c->mon_keep < 86400)
			return sg_err_set(p->e, SG_EINVAL,
			                  "simpan '%s' must be a duration of a day or more, such as 90d",
			                  value);
	} else if (dur) {
		if (parse_duration(value, dur) != 0 || *dur < 1 || *dur > 7 * 86400)
			return sg_err_set(p->e, SG_EINVAL,
			                  "%s '%s' must be a duration from 1s to 7d, such as 10m", name,
			                  value);
	} else if (strcmp(name, "serentak") == 0) {
		if (parse_count(value, 1000, &c->mon_concurrency) != 0 || c->mon_concurrency < 1)
			return sg_err_set(p->e, SG_EINVAL, "serentak '%s' must be 1 to 1000", value);
	} else if (strcmp(name, "sertifikat") == 0) {
		if (parse_count(value, 365, &c->mon_cert_warn) != 0)
			return sg_err_set(p->e, SG_EINVAL, "sertifikat '%s' must be 0 to 365 days", value);
	} else if (strcmp(name, "max_halaman") == 0) {
		if (parse_size(value, &c->mon_max_page) != 0 || c->mon_max_page < 4096 ||
		    c->mon_max_page > 64L * 1024 * 1024)
			return sg_err_set(p->e, SG_EINVAL,
			                  "max_halaman '%s' must be a size from 4K to 64M, such as 2M", value);
	} else if (strcmp(name, "agen") == 0 || strcmp(name, "agen_crawler") == 0) {
		if (!*value || strlen(value) > 512 || strpbrk(value, "\r\n"))
			return sg_err_set(p->e, SG_EINVAL, "%s must be one line of 1 to 512 characters",
			                  name);
		set_str(name[4] ? &c->mon_crawler_agent : &c->mon_agent, value);
	} else if (strcmp(name, "alamat_dalam") == 0) {
		if (strcmp(value, "izinkan") == 0)
			c->mon_internal = true;
		else if (strcmp(value, "tolak") == 0)
			c->mon_internal = false;
		else
			return sg_err_set(p->e, SG_EINVAL, "alamat_dalam '%s' must be tolak or izinkan",
			                  value);
	} else if (strcmp(name, "ca_file") == 0) {
		set_str(&c->mon_ca_file, value);
	} else if (strcmp(name, "aturan") == 0) {
		set_str(&c->mon_rules, value);
	} else {
		return sg_err_set(p->e, SG_EINVAL, "unknown key '%s' in section [pantau]", name);
	}
	return 0;
}

static int on_notify_events(parse_ctx *p, const char *value)
{
	unsigned ev = 0;
	char one[32];
	for (const char *s = value; *s;) {
		size_t n = strcspn(s, ", ");
		if (n > 0) {
			snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), s);
			unsigned bit = strcmp(one, "langkah") == 0      ? NOTIFY_EV_STEP
			               : strcmp(one, "ditutup") == 0    ? NOTIFY_EV_CLOSED
			               : strcmp(one, "peringatan") == 0 ? NOTIFY_EV_ALERT
			               : strcmp(one, "tenggat") == 0    ? NOTIFY_EV_SLA
			                                                : 0;
			if (bit == 0)
				return sg_err_set(p->e, SG_EINVAL,
				                  "events: '%s' is not langkah, ditutup, peringatan or "
				                  "tenggat",
				                  one);
			ev |= bit;
		}
		s += n;
		s += strspn(s, ", ");
	}
	if (ev == 0)
		return sg_err_set(p->e, SG_EINVAL,
		                  "events names nothing: give langkah, ditutup, peringatan and/or "
		                  "tenggat (or leave the key out: all)");
	p->c->nt_events = ev;
	return 0;
}

/* A URL sigap connects to: its scheme, then a host, no space or control
 * character anywhere. */
static bool url_plain(const char *v, const char *scheme)
{
	size_t n = strlen(scheme);
	if (strncmp(v, scheme, n) != 0 || v[n] == '\0' || v[n] == '/' || v[n] == ':')
		return false;
	for (const char *q = v; *q; q++)
		if ((unsigned char)*q <= ' ' || *q == 0x7f)
			return false;
	return true;
}

/* A From value sigap writes as it is: printable ASCII, and a display
 * name without the characters that would make it two mailboxes. */
static bool from_plain(const char *v)
{
	const char *lt = strrchr(v, '<');
	for (const char *q = v; *q; q++) {
		if ((unsigned char)*q < ' ' || (unsigned char)*q >= 0x7f)
			return false;
		if (lt && q < lt && strchr(",;:\"@()[]\\", *q))
			return false;
	}
	return true;
}

static int on_notify_key(parse_ctx *p, const char *name, const char *value)
{
	app_config *c = p->c;
	if (strcmp(name, "webhook_url") == 0 || strcmp(name, "link_base") == 0) {
		if (!url_plain(value, "https://") && !url_plain(value, "http://"))
			return sg_err_set(p->e, SG_EINVAL,
			                  "%s '%s' must be an http:// or https:// URL with a host and "
			                  "no spaces",
			                  name, value);
		set_str(name[0] == 'w' ? &c->nt_webhook_url : &c->nt_link_base, value);
	} else if (strcmp(name, "webhook_secret") == 0) {
		if (strlen(value) < 16)
			return sg_err_set(p->e, SG_EINVAL,
			                  "webhook_secret must be 16 characters or more");
		set_str(&c->nt_webhook_secret, value);
	} else if (strcmp(name, "events") == 0) {
		return on_notify_events(p, value);
	} else if (strcmp(name, "timeout") == 0 || strcmp(name, "retry_after") == 0) {
		int64_t *dst = name[0] == 't' ? &c->nt_timeout : &c->nt_retry_after;
		if (parse_duration(value, dst) != 0 || *dst < 1 || *dst > 3600)
			return sg_err_set(p->e, SG_EINVAL, "%s '%s' must be a duration from 1s to 1h",
			                  name, value);
	} else if (strcmp(name, "sla_warn_before") == 0 || strcmp(name, "sla_check") == 0) {
		int64_t *dst = name[4] == 'w' ? &c->nt_sla_warn : &c->nt_sla_check;
		int64_t most = name[4] == 'w' ? 7 * 86400 : 3600;
		if (parse_duration(value, dst) != 0 || *dst < 1 || *dst > most)
			return sg_err_set(p->e, SG_EINVAL, "%s '%s' must be a duration from 1s to %s",
			                  name, value, name[4] == 'w' ? "7d" : "1h");
	} else if (strcmp(name, "retry_max") == 0) {
		if (parse_count(value, 100, &c->nt_retry_max) != 0 || c->nt_retry_max < 1)
			return sg_err_set(p->e, SG_EINVAL, "retry_max '%s' must be 1 to 100", value);
	} else if (strcmp(name, "ca_file") == 0) {
		if (access(value, R_OK) != 0)
			return sg_err_set(p->e, SG_EINVAL, "ca_file %s cannot be read: %s", value,
			                  strerror(errno));
		set_str(&c->nt_ca_file, value);
	} else if (strcmp(name, "smtp_url") == 0) {
		if (!url_plain(value, "smtp://") && !url_plain(value, "smtps://"))
			return sg_err_set(p->e, SG_EINVAL,
			                  "smtp_url '%s' must be smtp://HOST:PORT (STARTTLS) or "
			                  "smtps://HOST:PORT",
			                  value);
		set_str(&c->nt_smtp_url, value);
	} else if (strcmp(name, "telegram_token") == 0) {
		/* digits, ':', then letters, digits, '-' and '_' (BotFather's form) */
		size_t d = strspn(value, "0123456789");
		if (d == 0 || value[d] != ':' || strlen(value + d + 1) < 20 ||
		    strspn(value + d + 1,
		           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
		        strlen(value + d + 1))
			return sg_err_set(p->e, SG_EINVAL,
			                  "telegram_token must be a bot token as BotFather gives it "
			                  "(digits, ':', then letters and digits)");
		set_str(&c->nt_telegram_token, value);
	} else if (strcmp(name, "telegram_api") == 0) {
		if (!url_plain(value, "https://") && !url_plain(value, "http://"))
			return sg_err_set(p->e, SG_EINVAL,
			                  "telegram_api '%s' must be an http:// or https:// URL with a "
			                  "host and no spaces",
			                  value);
		set_str(&c->nt_telegram_api, value);
	} else if (strcmp(name, "smtp_user") == 0) {
		set_str(&c->nt_smtp_user, value);
	} else if (strcmp(name, "smtp_password") == 0) {
		set_str(&c->nt_smtp_password, value);
	} else if (strcmp(name, "smtp_from") == 0) {
		char addr[256];
		if (!notify_from_address(value, addr, sizeof addr) || !from_plain(value))
			return sg_err_set(p->e, SG_EINVAL,
			                  "smtp_from '%s' must be an address, or a name and <address> "
			                  "(ASCII, without , ; : \" @ in the name)",
			                  value);
		set_str(&c->nt_smtp_from, value);
	} else if (strcmp(name, "smtp_tls") == 0) {
		if (strcmp(value, "required") != 0 && strcmp(value, "none") != 0)
			return sg_err_set(p->e, SG_EINVAL, "smtp_tls '%s' must be required or none",
			                  value);
		c->nt_smtp_plain = strcmp(value, "none") == 0;
	} else {
		return sg_err_set(p->e, SG_EINVAL, "unknown key '%s' in section [notify]", name);
	}
	return 0;
}

bool doc_nip_valid(const char *v)
{
	int digits = 0;
	for (const char *p = v; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != ' ')
			return false;
	}
	return digits == 18;
}

/* A number pattern of the Tata Naskah Dinas: text with {seq} (or {seq:N},
 * zero-padded to N digits) and {kode} (sequences count each kind of
 * document apart: without it two kinds would share numbers), and any of
 * {unit} {tahun} {bulan} {bulan_romawi}. */
int doc_number_pattern_valid(const char *v)
{
	bool seq = false, kode = strstr(v, "{kode}") != NULL;
	for (const char *p = v; *p; p++) {
		if (*p == '}')
			return false;
		if (*p != '{')
			continue;
		const char *end = strchr(p, '}');
		if (end == NULL)
			return false;
		size_t n = (size_t)(end - p - 1);
		const char *w = p + 1;
		if ((n == 3 && strncmp(w, "seq", 3) == 0) ||
		    (n == 5 && strncmp(w, "seq:", 4) == 0 && w[4] >= '1' && w[4] <= '6'))
			seq = true;
		else if (!((n == 4 && strncmp(w, "kode", 4) == 0) || (n == 4 && strncmp(w, "unit", 4) == 0) ||
			   (n == 5 && strncmp(w, "tahun", 5) == 0) || (n == 5 && strncmp(w, "bulan", 5) == 0) ||
			   (n == 12 && strncmp(w, "bulan_romawi", 12) == 0)))
			return false;
		p = end;
	}
	return seq && kode && strlen(v) <= 120;
}

static int on_dokumen_key(parse_ctx *p, const char *name, const char *value)
{
	app_config *c = p->c;
	if (strcmp(name, "templates") == 0) {
		set_str(&c->doc_templates, value);
		return 0;
	}
	if (strcmp(name, "logo") == 0) {
		/* decoded once here, so a corrupt or huge logo is refused at
		 * start rather than at the first document issued */
		if (pdf_logo_check(value, p->e) != 0)
			return -1;
		set_str(&c->doc_logo, value);
		return 0;
	}
	static const char *const keys[] = {"instansi", "dinas", "alamat", "kontak", "kota", "unit",
					   "nomor", NULL};
	for (const char *const *k = keys; *k; k++)
		if (strcmp(name, *k) == 0) {
			if (strcmp(name, "nomor") == 0 && !doc_number_pattern_valid(value))
				return sg_err_set(p->e, SG_EINVAL,
				                  "nomor '%s' must be a pattern with {seq} (or {seq:3}) "
				                  "and {kode}, and any of {unit} {tahun} {bulan} {bulan_romawi}",
				                  value);
			if (strlen(value) > 300)
				return sg_err_set(p->e, SG_EINVAL, "%s is longer than 300 characters", name);
			json_object_set_new(c->doc_conf, name, json_string(value));
			return 0;
		}
	return sg_err_set(p->e, SG_EINVAL, "unknown key '%s' in section [dokumen]", name);
}

/* ROLE.jabatan, ROLE.nama, ROLE.nip */
static int on_signer_key(parse_ctx *p, const char *name, const char *value)
{
	const char *dot = strchr(name, '.');
	size_t rl = dot ? (size_t)(dot - name) : 0;
	if (dot == NULL || rl == 0 || rl > 40 || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != rl ||
	    (strcmp(dot, ".jabatan") != 0 && strcmp(dot, ".nama") != 0 && strcmp(dot, ".nip") != 0))
		return sg_err_set(p->e, SG_EINVAL,
		                  "unknown key '%s' in section [penandatangan] (write ROLE.jabatan, "
		                  "ROLE.nama or ROLE.nip, as kabid.nama)",
		                  name);
	if (strcmp(dot, ".nip") == 0 && !doc_nip_valid(value))
		return sg_err_set(p->e, SG_EINVAL,
		                  "%s '%s' must be an NIP: 18 digits, spaces allowed", name, value);
	if (strlen(value) > 200)
		return sg_err_set(p->e, SG_EINVAL, "%s is longer than 200 characters", name);
	char key[64];
	snprintf(key, sizeof key, "ttd.%s", name);
	json_object_set_new(p->c->doc_conf, key, json_string(value));
	return 0;
}

static int on_intake_key(parse_ctx *p, const char *name, const char *value)
{
	app_config *c = p->c;
	if (strcmp(name, "url") == 0) {
		if (!url_plain(value, "imaps://") && !url_plain(value, "imap://"))
			return sg_err_set(p->e, SG_EINVAL,
			                  "url '%s' must be an imaps:// (or imap:// with STARTTLS) URL "
			                  "of the mailbox, such as imaps://mail.example.go.id/INBOX",
			                  value);
		set_str(&c->in_mail_url, value);
	} else if (strcmp(name, "user") == 0) {
		set_str(&c->in_mail_user, value);
	} else if (strcmp(name, "address") == 0) {
		if (!notify_email_valid(value))
			return sg_err_set(p->e, SG_EINVAL,
			                  "address '%s' must be the mailbox's e-mail address "
			                  "(lapor@diskominfo.example.go.id)",
			                  value);
		set_str(&c->in_mail_address, value);
	} else if (strcmp(name, "password") == 0) {
		set_str(&c->in_mail_password, value);
	} else if (strcmp(name, "ca_file") == 0) {
		set_str(&c->in_mail_ca_file, value);
	} else if (strcmp(name, "tls") == 0) {
		if (strcmp(value, "required") != 0 && strcmp(value, "none") != 0)
			return sg_err_set(p->e, SG_EINVAL, "tls '%s' must be required or none", value);
		c->in_mail_plain = strcmp(value, "none") == 0;
	} else if (strcmp(name, "poll") == 0 || strcmp(name, "timeout") == 0) {
		int64_t *dst = name[0] == 'p' ? &c->in_mail_poll : &c->in_mail_timeout;
		if (parse_duration(value, dst) != 0 || *dst < 1 || *dst > 86400)
			return sg_err_set(p->e, SG_EINVAL, "%s '%s' must be a duration from 1s to 1d",
			                  name, value);
	} else if (strcmp(name, "max_size") == 0) {
		if (parse_size(value, &c->in_mail_max) != 0 || c->in_mail_max > 1024L * 1024 * 1024)
			return sg_err_set(p->e, SG_EINVAL, "max_size '%s' must be a size up to 1G, such as 25M",
			                  value);
	} else {
		return sg_err_set(p->e, SG_EINVAL, "unknown key '%s' in section [intake]", name);
	}
	return 0;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	parse_ctx *p = user;
	app_config *c = p->c;
	int r = 0;
	/* where each key stands, for the checks made after reading */
	char where[160];
	snprintf(where, sizeof where, "[%s] %s", section, name);
	if (p->line > 0) {
		json_object_set_new(c->key_lines, where, json_integer(p->line));
		snprintf(where, sizeof where, "[%s]", section);
		if (!json_object_get(c->key_lines, where))
			json_object_set_new(c->key_lines, where, json_integer(p->line));
	}
	if (strcmp(section, "database") == 0 &&
	    (strcmp(name, "path") == 0 || strcmp(name, "url") == 0)) {
		/* path: a SQLite file; url: postgres://… (or sqlite:PATH); one
		 * store, named once */
		if (p->store_named)
			r = sg_err_set(p->e, SG_EINVAL,
			               "[database] names its store twice (path and url, or one of "
			               "them again): keep one");
		p->store_named = true;
		set_str(&c->db_path, value);
	} else if (strcmp(section, "sop") == 0 && strcmp(name, "dir") == 0) {
		set_str(&c->sops_dir, value);
	} else if (strcmp(section, "evidence") == 0 && strcmp(name, "dir") == 0) {
		set_str(&c->evidence_dir, value);
	} else if (strcmp(section, "evidence") == 0 && strcmp(name, "max_size") == 0) {
		if (parse_size(value, &c->evidence_max) != 0)
			r = sg_err_set(p->e, SG_EINVAL, "max_size '%s' must be a size such as 25M", value);
	} else if (strcmp(section, "kalender") == 0 && strcmp(name, "zona") == 0) {
		r = sla_calendar_set_zone(&c->cal, value, p->e);
	} else if (strcmp(section, "kalender") == 0 && strcmp(name, "jam_kerja") == 0) {
		r = sla_calendar_set_hours(&c->cal, value, p->e);
	} else if (strcmp(section, "kalender") == 0 && strcmp(name, "hari_kerja") == 0) {
		r = sla_calendar_set_weekdays(&c->cal, value, p->e);
	} else if (strcmp(section, "kalender") == 0 && strcmp(name, "libur") == 0) {
		r = sla_calendar_add_holidays(&c->cal, value, p->e);
	} else if (strcmp(section, "web") == 0) {
		r = on_web_key(p, name, value);
	} else if (strcmp(section, "detect") == 0) {
		r = on_detect_key(p, name, value);
	} else if (strcmp(section, "inputs") == 0) {
		r = on_inputs_key(p, name, value);
	} else if (strcmp(section, "kerentanan") == 0) {
		r = on_kerentanan_key(p, name, value);
	} else if (strcmp(section, "vuln_intel") == 0) {
		r = on_vuln_intel_key(p, name, value);
	} else if (strcmp(section, "notify") == 0) {
		r = on_notify_key(p, name, value);
	} else if (strcmp(section, "intake") == 0) {
		r = on_intake_key(p, name, value);
	} else if (strcmp(section, "dokumen") == 0) {
		r = on_dokumen_key(p, name, value);
	} else if (strcmp(section, "penandatangan") == 0) {
		r = on_signer_key(p, name, value);
	} else if (strcmp(section, "kontrol") == 0 && strcmp(name, "dir") == 0) {
		set_str(&c->ctl_dir, value);
	} else if (strcmp(section, "risiko") == 0) {
		r = risk_matrix_key(&c->risk, name, value, p->e);
	} else if (strcmp(section, "pengecualian") == 0) {
		r = on_exception_key(p, name, value);
	} else if (strcmp(section, "pantau") == 0) {
		r = on_pantau_key(p, name, value);
	} else {
		r = sg_err_set(p->e, SG_EINVAL, "unknown key '%s' in section [%s]", name, section);
	}
	if (r != 0) {
		if (!p->failed) {
			p->first = *p->e;
			p->first_line = p->line;
		}
		p->failed = true;
		if (p->all)
			diags_add(p->all, p->path, p->line, 0, "%s", p->e->msg);
	}
	return r == 0; /* inih: 0 marks this line as the error; reading goes on */
}

/* inih's reader, counting the lines: a key's handler knows its line. */
static char *read_line(char *str, int num, void *stream)
{
	parse_ctx *p = stream;
	char *s = fgets(str, num, p->f);
	if (!s)
		return NULL;
	p->line = p->newlines + 1;
	size_t n = strlen(s);
	if (n && s[n - 1] == '\n')
		p->newlines++;
	return s;
}

/* The checks across keys once every line is read: each that fails is
 * told to bad (the key at fault, for its line, and the message, naming
 * no file); the number of them. */
typedef void (*coherence_fail)(void *ctx, const char *key, const char *msg);

static int config_coherent(app_config *c, coherence_fail bad, void *ctx)
{
	int n = 0;
#define FAIL(key, msg) (bad(ctx, (key), (msg)), n++)
	if (c->nt_smtp_password && c->nt_smtp_user == NULL)
		FAIL("[notify] smtp_password", "[notify] smtp_password needs smtp_user");
	if (c->nt_smtp_plain && c->nt_smtp_user && c->nt_smtp_url &&
	    strncmp(c->nt_smtp_url, "smtp://127.0.0.1", 16) != 0 &&
	    strncmp(c->nt_smtp_url, "smtp://localhost", 16) != 0 &&
	    strncmp(c->nt_smtp_url, "smtp://[::1]", 12) != 0)
		FAIL("[notify] smtp_tls",
		     "[notify] smtp_tls = none would send smtp_user's password in clear to another "
		     "host: use STARTTLS (smtp_tls = required) or a relay on this host");
	if (c->nt_smtp_url && c->nt_smtp_from == NULL)
		FAIL("[notify] smtp_url", "[notify] smtp_url needs smtp_from (the sender's address)");
	if (c->in_mail_url && (c->in_mail_user == NULL || c->in_mail_password == NULL))
		FAIL("[intake] url", "[intake] url needs user and password (the mailbox's login)");
	/* where a reporter's answer to sigap's e-mail goes: the mailbox's
	 * address, or its login when that is one */
	if (c->in_mail_url && c->in_mail_address == NULL && c->in_mail_user &&
	    notify_email_valid(c->in_mail_user))
		set_str(&c->in_mail_address, c->in_mail_user);
	if ((c->nt_webhook_url != NULL) != (c->nt_webhook_secret != NULL))
		FAIL(c->nt_webhook_url ? "[notify] webhook_url" : "[notify] webhook_secret",
		     "[notify] webhook_url and webhook_secret go together (the receiver checks each "
		     "message's signature with the secret)");
	sg_err e = {0};
	if (risk_matrix_check(&c->risk, &e) != 0)
		FAIL("[risiko]", e.msg);
#undef FAIL
	return n;
}

/* The first failure, for a load: into e, at the key's line in path. */
typedef struct first_fail {
	const app_config *c;
	const char *path;
	sg_err *e;
	bool set;
} first_fail;

static void keep_first(void *ctx, const char *key, const char *msg)
{
	first_fail *f = ctx;
	if (f->set)
		return;
	f->set = true;
	int at = app_config_line(f->c, key);
	if (at)
		sg_err_set(f->e, SG_EINVAL, "%s:%d: %s", f->path, at, msg);
	else
		sg_err_set(f->e, SG_EINVAL, "%s: %s", f->path, msg);
}

/* Every failure, for a check: into d at the key's line. */
typedef struct all_fails {
	const app_config *c;
	const char *path;
	diags *d;
} all_fails;

static void keep_all(void *ctx, const char *key, const char *msg)
{
	all_fails *f = ctx;
	diags_add(f->d, f->path, app_config_line(f->c, key), 0, "%s", msg);
}

int app_config_line(const app_config *c, const char *key)
{
	return c->key_lines ? (int)json_integer_value(json_object_get(c->key_lines, key)) : 0;
}

/* Every line inih refuses, as its reader (ini.c, ini_parse_stream) would
 * (a section without its ']', a line neither key = value nor key: value
 * nor a comment nor a continuation), not only the first it returns. */
static void refused_lines(const config_text *t, const char *path, diags *d)
{
	bool after_key = false;
	int n = 0;
	for (size_t i = 0; i < t->len;) {
		size_t j = i;
		while (j < t->len && t->bytes[j] != '\n')
			j++;
		n++;
		size_t a = i, b = j;
		if (n == 1 && b - a >= 3 && memcmp(t->bytes + a, "\xEF\xBB\xBF", 3) == 0)
			a += 3;
		size_t lead = a;
		while (a < b && (t->bytes[a] == ' ' || t->bytes[a] == '\t' || t->bytes[a] == '\r'))
			a++;
		while (b > a && (t->bytes[b - 1] == ' ' || t->bytes[b - 1] == '\t' || t->bytes[b - 1] == '\r'))
			b--;
		const char *l = t->bytes + a;
		size_t len = b - a;
		if (len == 0 || *l == ';' || *l == '#') {
			/* blank or a comment */
		} else if (after_key && a > lead) {
			/* a continuation of the key above */
		} else if (*l == '[') {
			if (!memchr(l, ']', len))
				diags_add(d, path, n, 0, "a section without its ']' (expected [section])");
			after_key = false;
		} else if (!memchr(l, '=', len) && !memchr(l, ':', len)) {
			diags_add(d, path, n, 0, "not an INI line (expected key = value or [section])");
		} else {
			after_key = true;
		}
		i = j + 1;
	}
}

static int by_line(const void *x, const void *y)
{
	const diag *a = x, *b = y;
	return (a->line > b->line) - (a->line < b->line);
}

/* Reads the configuration into c (defaults set first), each line's error
 * into p: from text when it is given (the bytes a running server keeps,
 * named path in messages), else from the file path. -1: cannot be
 * opened; -2: not a regular file, or a read failed; else inih's first
 * bad line (0: none). */
static int config_read(const char *path, const config_text *text, parse_ctx *p)
{
	if (text) {
		p->f = text->len ? fmemopen((void *)text->bytes, text->len, "r") : fopen("/dev/null", "r");
		if (!p->f)
			return -2;
	} else {
		/* read whole first: a FIFO or a device is refused, not waited on */
		config_text own;
		sg_err e = {0};
		int r = app_config_read_text(path, &own, &e);
		if (r != 0)
			return r;
		int line = config_read(path, &own, p);
		app_config_text_free(&own);
		return line;
	}
	int line = ini_parse_stream(read_line, p, on_key, p);
	bool failed = ferror(p->f) != 0;
	fclose(p->f);
	p->f = NULL;
	return failed ? -2 : line;
}

int app_config_read_text(const char *path, config_text *out, sg_err *e)
{
	*out = (config_text){0};
	char why[200];
	out->bytes = fs_read_file(path, CONFIG_MAX_BYTES, &out->len, why, sizeof why);
	if (out->bytes)
		return 0;
	if (strncmp(why, "cannot open", 11) == 0) {
		sg_err_set(e, SG_EIO, "%s: cannot open the configuration file: %s", path,
		           why + (why[11] == ':' ? 13 : 11));
		return -1;
	}
	sg_err_set(e, SG_EINVAL,
	           "%s: not a configuration file (a regular file of 1 MiB at most, read whole)",
	           path);
	return -2;
}

void app_config_text_free(config_text *t)
{
	free(t->bytes);
	*t = (config_text){0};
}

static int config_load(app_config *c, const char *path, const config_text *text, sg_err *e)
{
	memset(c, 0, sizeof *c);
	c->db_path = xstrdup("./var/sigap.db");
	/* evidence_dir stays NULL unless set: app_open puts it beside the
	 * database, wherever --db or SIGAP_DB move that */
	c->evidence_max = 25L * 1024 * 1024;
	c->web_listen = xstrdup("127.0.0.1:8080");
	c->web_sandbox = true;
	c->web_body_max = 1024L * 1024;
	c->web_body_memory = 64L * 1024 * 1024;
	c->web_upload_inflight = 512L * 1024 * 1024;
	c->web_max_connections = 512;
	c->web_max_per_address = 64;
	c->web_header_timeout = 20;
	c->web_body_timeout = 60;
	c->web_body_min_rate = 8 * 1024;
	c->web_metrics_period = 15;
	c->session_idle = 30 * 60;
	c->session_max = 12 * 3600;
	c->report_limit = 10;
	c->status_limit = 60;
	c->link_days = 7;
	c->fold_window = ALERT_FOLD_WINDOW;
	c->ioc_reload = 300;
	c->in_max_line = 64 * 1024;
	c->in_queue = 100000;
	c->vuln_due_critical = 7; /* DefectDojo's defaults, and the issue's */
	c->vuln_due_high = 30;
	c->vuln_due_medium = 90;
	c->vuln_due_low = 120;
	c->vuln_report_max = 256L * 1024 * 1024;
	c->vi_timeout = 600;
	c->vi_max_size = 200L * 1024 * 1024;
	c->nt_events = NOTIFY_EV_ALL;
	c->nt_timeout = 30;
	c->nt_retry_after = 30;
	c->nt_retry_max = 10;
	c->nt_sla_warn = 3600;
	c->nt_sla_check = 30;
	c->exc_max_months = 12;
	c->exc_remind[0] = 30;
	c->exc_remind[1] = 7;
	c->exc_remind[2] = 1;
	c->nt_telegram_api = xstrdup("https://api.telegram.org");
	c->mon_interval = 600;
	c->mon_timeout = 30;
	c->mon_slow = 5;
	c->mon_concurrency = 16;
	c->mon_cert_warn = 30;
	c->mon_keep = 90 * 86400;
	c->mon_max_page = 2L * 1024 * 1024;
	c->mon_agent = xstrdup(MON_BROWSER_AGENT);
	c->mon_crawler_agent = xstrdup(MON_CRAWLER_AGENT);
	c->in_mail_poll = 60;
	c->in_mail_timeout = 60;
	c->in_mail_max = 25L * 1024 * 1024;
	c->doc_conf = json_object();
	c->key_lines = json_object();
	if (c->doc_conf == NULL || c->key_lines == NULL)
		abort();
	json_object_set_new(c->doc_conf, "nomor", json_string("{seq}/{kode}/{unit}/{tahun}"));
	json_object_set_new(c->doc_conf, "unit", json_string("CSIRT"));
	sla_calendar_default(&c->cal);
	risk_matrix_default(&c->risk);
	if (path == NULL)
		return 0;
	sg_err scratch = {0};
	parse_ctx p = {.c = c, .e = &scratch, .path = path};
	int line = config_read(path, text, &p);
	if (line == -1)
		return sg_err_set(e, SG_EIO, "%s: cannot open the configuration file: %s", path,
		                  strerror(errno));
	if (line == -2)
		return sg_err_set(e, SG_EINVAL,
		                  "%s: not a configuration file (a regular file of 1 MiB at most, "
		                  "read whole)",
		                  path);
	if (line != 0) {
		if (p.failed) {
			*e = p.first;
			return sg_err_prefix(e, "%s:%d", path, p.first_line);
		}
		return sg_err_set(e, SG_EINVAL, "%s:%d: not an INI line (expected key = value or [section])",
				  path, line);
	}
	first_fail f = {c, path, e, false};
	return config_coherent(c, keep_first, &f) ? -1 : 0;
}

int app_config_load(app_config *c, const char *path, sg_err *e)
{
	return config_load(c, path, NULL, e);
}

int app_config_load_text(app_config *c, const char *path, const config_text *text, sg_err *e)
{
	return config_load(c, path, text, e);
}

static int config_check(app_config *c, const char *path, const config_text *text, diags *d)
{
	size_t before = d->n;
	sg_err scratch = {0}, e = {0};
	if (app_config_load(c, NULL, &e) != 0)
		return -1;
	if (path == NULL)
		return 0;
	/* read once: parsed, then looked at again for the lines inih refused */
	config_text own = {0};
	if (!text) {
		if (app_config_read_text(path, &own, &e) != 0) {
			size_t pl = strlen(path);
			bool named = strncmp(e.msg, path, pl) == 0 && e.msg[pl] == ':';
			diags_add(d, path, 0, 0, "%s", named ? e.msg + pl + 2 : e.msg);
			return -2;
		}
		text = &own;
	}
	parse_ctx p = {.c = c, .e = &scratch, .path = path, .all = d};
	int line = config_read(path, text, &p);
	if (line < 0) {
		diags_add(d, path, 0, 0,
		          "not a configuration file (a regular file of 1 MiB at most, read whole)");
		app_config_text_free(&own);
		return -2;
	}
	/* the lines inih refused (it tells the first only), then the checks
	 * across keys, each at its key's line; all in the order of the file */
	if (line != 0)
		refused_lines(text, path, d);
	app_config_text_free(&own);
	all_fails f = {c, path, d};
	config_coherent(c, keep_all, &f);
	if (d->n > before)
		qsort(d->v + before, d->n - before, sizeof d->v[0], by_line);
	return d->n > before ? -1 : 0;
}

int app_config_check(app_config *c, const char *path, diags *d)
{
	return config_check(c, path, NULL, d);
}

int app_config_check_text(app_config *c, const char *path, const config_text *text, diags *d)
{
	return config_check(c, path, text, d);
}

void app_config_free(app_config *c)
{
	free(c->db_path);
	free(c->sops_dir);
	free(c->evidence_dir);
	free(c->web_listen);
	free(c->tls_cert);
	free(c->tls_key);
	free(c->web_user);
	free(c->web_metrics_allow);
	free(c->web_trusted_proxies);
	free(c->detect_rules);
	free(c->detect_mapping);
	free(c->detect_placeholders);
	free(c->detect_cache);
	free(c->in_wazuh_alerts);
	free(c->in_wazuh_rotated);
	free(c->in_syslog_udp);
	free(c->in_syslog_tcp);
	free(c->in_relp);
	free(c->vi_kev_url);
	free(c->vi_epss_url);
	free(c->vi_cve_url);
	free(c->vi_ca_file);
	free(c->mon_agent);
	free(c->mon_crawler_agent);
	free(c->mon_ca_file);
	free(c->mon_rules);
	free(c->nt_webhook_url);
	free(c->nt_webhook_secret);
	free(c->nt_ca_file);
	free(c->nt_link_base);
	free(c->nt_smtp_url);
	free(c->nt_smtp_user);
	free(c->nt_smtp_password);
	free(c->nt_smtp_from);
	free(c->nt_telegram_token);
	free(c->nt_telegram_api);
	free(c->in_mail_url);
	free(c->in_mail_user);
	free(c->in_mail_address);
	free(c->ctl_dir);
	free(c->in_mail_password);
	free(c->in_mail_ca_file);
	free(c->doc_templates);
	free(c->doc_logo);
	json_decref(c->doc_conf);
	json_decref(c->key_lines);
	sla_calendar_free(&c->cal);
	memset(c, 0, sizeof *c);
}

/* The directory a SQLite store's own files go beside, malloc'd (a
 * PostgreSQL database has no file here: its callers ask only of SQLite). */
static char *store_dir(const char *db_path)
{
	if (strncmp(db_path, "sqlite:", 7) == 0)
		db_path += 7;
	const char *slash = strrchr(db_path, '/');
	if (slash == NULL)
		return xstrdup(".");
	if (slash == db_path)
		return xstrdup(""); /* a database at the root: /evidence */
	char *dir = strndup(db_path, (size_t)(slash - db_path));
	if (dir == NULL)
		abort();
	return dir;
}

/* dir + "/" + leaf, malloc'd; dir is freed. */
static char *below(char *dir, const char *leaf)
{
	size_t n = strlen(dir) + strlen(leaf) + 2;
	char *out = malloc(n);
	if (out == NULL)
		abort();
	snprintf(out, n, "%s/%s", dir, leaf);
	free(dir);
	return out;
}

char *app_evidence_dir_default(const char *db_path)
{
	return below(store_dir(db_path), "evidence");
}

char *app_rules_cache_dir(const app_config *c, bool *is_default)
{
	if (is_default)
		*is_default = c->detect_cache == NULL;
	if (c->detect_cache)
		return strcmp(c->detect_cache, "off") == 0 ? NULL : xstrdup(c->detect_cache);
	/* a PostgreSQL URL names no directory of this machine: a node
	 * caches only where [detect] cache says */
	if (db_target_is_postgres(c->db_path))
		return NULL;
	return below(store_dir(c->db_path), "cache/rules");
}
