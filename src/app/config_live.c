/*
 * config_live.c: what a running server may take from a reloaded
 * configuration, and what it took once at the start.
 *
 * sigap serve keeps the bytes of sigap.conf it read (config_text) and
 * parses them at every app it opens: the web workers, the outbox sender,
 * the mail intake and the website monitor each hold one. SIGHUP reads
 * the file again; when it and everything it names load, its bytes
 * replace the running ones and the generation moves, and each holder
 * opens a new app at its next request or round (app_config_current). So
 * the calendar, the letterhead, the due days of findings, the sessions'
 * times, the notification settings and the like change without a
 * restart.
 *
 * Some keys were used once, before any app: the addresses bound, the
 * limits handed to the HTTP server and the connection guard, the inputs'
 * listeners and files, the sandbox's directories and user, the store
 * itself. A reload cannot move those; the table below names them, and
 * app_config_keep_fixed gives a fresh configuration the running values,
 * naming each that differed, so the log says what waits for a restart
 * and no part of the server reads a value the rest does not run with.
 */
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

typedef enum { K_STR, K_INT, K_LONG, K_I64, K_BOOL, K_PTR } key_kind;

static const struct fixed_key {
	const char *name;
	size_t off;
	key_kind kind;
} fixed[] = {
    {"[database] path", offsetof(app_config, db_path), K_STR},
    {"[evidence] dir", offsetof(app_config, evidence_dir), K_STR},
    /* the inputs read syslog stamps without a zone in it, and the log's
     * lines are written in it, from the start */
    {"[kalender] zona", offsetof(app_config, cal.zone), K_PTR},
    {"[evidence] max_size", offsetof(app_config, evidence_max), K_LONG},
    {"[web] listen", offsetof(app_config, web_listen), K_STR},
    {"[web] threads", offsetof(app_config, web_threads), K_INT},
    {"[web] body_max", offsetof(app_config, web_body_max), K_LONG},
    {"[web] body_memory", offsetof(app_config, web_body_memory), K_LONG},
    {"[web] upload_inflight", offsetof(app_config, web_upload_inflight), K_LONG},
    {"[web] max_connections", offsetof(app_config, web_max_connections), K_INT},
    {"[web] max_connections_per_address", offsetof(app_config, web_max_per_address), K_INT},
    {"[web] header_timeout", offsetof(app_config, web_header_timeout), K_I64},
    {"[web] body_timeout", offsetof(app_config, web_body_timeout), K_I64},
    {"[web] body_min_rate", offsetof(app_config, web_body_min_rate), K_LONG},
    {"[web] metrics_allow", offsetof(app_config, web_metrics_allow), K_STR},
    {"[web] trusted_proxies", offsetof(app_config, web_trusted_proxies), K_STR},
    {"[web] metrics_period", offsetof(app_config, web_metrics_period), K_I64},
    {"[web] tls_cert", offsetof(app_config, tls_cert), K_STR},
    {"[web] tls_key", offsetof(app_config, tls_key), K_STR},
    {"[web] user", offsetof(app_config, web_user), K_STR},
    {"[web] sandbox", offsetof(app_config, web_sandbox), K_BOOL},
    {"[detect] cache", offsetof(app_config, detect_cache), K_STR},
    {"[detect] fold_window", offsetof(app_config, fold_window), K_I64},
    {"[detect] ioc_reload", offsetof(app_config, ioc_reload), K_I64},
    {"[inputs] wazuh_alerts", offsetof(app_config, in_wazuh_alerts), K_STR},
    {"[inputs] wazuh_alerts_rotated", offsetof(app_config, in_wazuh_rotated), K_STR},
    {"[inputs] syslog_udp", offsetof(app_config, in_syslog_udp), K_STR},
    {"[inputs] syslog_tcp", offsetof(app_config, in_syslog_tcp), K_STR},
    {"[inputs] relp", offsetof(app_config, in_relp), K_STR},
    {"[inputs] syslog_timezone", offsetof(app_config, in_zone), K_PTR},
    {"[inputs] syslog_udp_timezone", offsetof(app_config, in_zone_udp), K_PTR},
    {"[inputs] syslog_tcp_timezone", offsetof(app_config, in_zone_tcp), K_PTR},
    {"[inputs] relp_timezone", offsetof(app_config, in_zone_relp), K_PTR},
    {"[inputs] max_line", offsetof(app_config, in_max_line), K_LONG},
    {"[inputs] queue", offsetof(app_config, in_queue), K_INT},
    {"[kerentanan] max_report_size", offsetof(app_config, vuln_report_max), K_LONG},
    {"[pantau] aturan", offsetof(app_config, mon_rules), K_STR},
};

static bool str_same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static void str_take(char **dst, const char *src)
{
	free(*dst);
	*dst = NULL;
	if (src && !(*dst = strdup(src)))
		abort();
}

/* The outbox's sender and the mailbox's poller run when their section
 * was set at the start: turning one on or off waits for a restart, and
 * until then the section runs as it was. Another address or password is
 * taken at the reload. */
static bool notify_on(const app_config *c)
{
	return c->nt_webhook_url || c->nt_smtp_url || c->nt_telegram_token;
}

static void keep_notify(app_config *fresh, const app_config *running)
{
	str_take(&fresh->nt_webhook_url, running->nt_webhook_url);
	str_take(&fresh->nt_webhook_secret, running->nt_webhook_secret);
	str_take(&fresh->nt_smtp_url, running->nt_smtp_url);
	str_take(&fresh->nt_smtp_user, running->nt_smtp_user);
	str_take(&fresh->nt_smtp_password, running->nt_smtp_password);
	str_take(&fresh->nt_smtp_from, running->nt_smtp_from);
	fresh->nt_smtp_plain = running->nt_smtp_plain;
	str_take(&fresh->nt_telegram_token, running->nt_telegram_token);
}

static void keep_intake(app_config *fresh, const app_config *running)
{
	str_take(&fresh->in_mail_url, running->in_mail_url);
	str_take(&fresh->in_mail_user, running->in_mail_user);
	str_take(&fresh->in_mail_password, running->in_mail_password);
	str_take(&fresh->in_mail_address, running->in_mail_address);
	str_take(&fresh->in_mail_ca_file, running->in_mail_ca_file);
	fresh->in_mail_plain = running->in_mail_plain;
}

size_t app_config_keep_fixed(app_config *fresh, const app_config *running, const char **changed,
                             size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		const struct fixed_key *k = &fixed[i];
		char *f = (char *)fresh + k->off;
		const char *r = (const char *)running + k->off;
		bool same = true;
		switch (k->kind) {
		case K_STR: {
			char **fs = (char **)f;
			char *const *rs = (char *const *)r;
			same = str_same(*fs, *rs);
			if (!same)
				str_take(fs, *rs);
			break;
		}
		case K_INT: same = *(int *)f == *(const int *)r; *(int *)f = *(const int *)r; break;
		case K_LONG: same = *(long *)f == *(const long *)r; *(long *)f = *(const long *)r; break;
		case K_I64:
			same = *(int64_t *)f == *(const int64_t *)r;
			*(int64_t *)f = *(const int64_t *)r;
			break;
		case K_BOOL: same = *(bool *)f == *(const bool *)r; *(bool *)f = *(const bool *)r; break;
		case K_PTR:
			same = *(const void **)f == *(const void *const *)r;
			*(const void **)f = *(const void *const *)r;
			break;
		}
		if (!same && n < max)
			changed[n++] = k->name;
	}
	if (notify_on(running) != notify_on(fresh)) {
		keep_notify(fresh, running);
		if (n < max)
			changed[n++] = "[notify] (a channel turned on or off: webhook_url, smtp_url, "
			               "telegram_token)";
	}
	if ((running->in_mail_url == NULL) != (fresh->in_mail_url == NULL)) {
		keep_intake(fresh, running);
		if (n < max)
			changed[n++] = "[intake] url (the mailbox turned on or off)";
	}
	return n;
}

static atomic_uint generation;

unsigned app_config_generation(void)
{
	return atomic_load(&generation);
}

void app_config_generation_move(void)
{
	atomic_fetch_add(&generation, 1);
}

bool app_config_current(const app *a)
{
	return a->cfg_gen == atomic_load(&generation);
}
