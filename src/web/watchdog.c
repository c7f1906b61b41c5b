/*
 * watchdog.c: the service manager's watchdog (systemd's WatchdogSec=).
 *
 * While sigap serve answers, a thread tells the manager so every half
 * period ("WATCHDOG=1", base/sd_notify.h). It asks the server itself,
 * as a client would: GET /healthz on the bound port over loopback, which
 * goes through a worker thread of libmicrohttpd and reads the store. A
 * server whose workers are all stuck, or whose store does not answer,
 * stops telling the manager, which restarts it. Nothing runs when the
 * manager asked for no watchdog.
 */
#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/sd_notify.h"
#include "base/ticker.h"
#include "watchdog.h"

struct web_watchdog {
	ticker *t;
	bool failing;
	int64_t period_us;
	char url[160];
};

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

/* Whether the server answers /healthz with 200 within the half period. */
static bool answers(const web_watchdog *w)
{
	CURL *h = curl_easy_init();
	if (!h)
		return false;
	long timeout_ms = (long)(w->period_us / 2000);
	curl_easy_setopt(h, CURLOPT_URL, w->url);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms > 100 ? timeout_ms : 100L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	/* itself, over loopback: its certificate is for its public name */
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	long status = 0;
	bool ok = curl_easy_perform(h) == CURLE_OK &&
	          curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status == 200;
	curl_easy_cleanup(h);
	return ok;
}

static long watch(ticker *t, void *arg)
{
	web_watchdog *w = arg;
	(void)t;
	if (answers(w)) {
		sd_say("WATCHDOG=1");
		if (w->failing)
			log_say(LOG_INFO, "watchdog: the server answers again");
		w->failing = false;
	} else if (!w->failing) {
		log_say(LOG_WARN, "watchdog: the server does not answer %s; the service manager "
		                  "is not told it lives",
		        w->url);
		w->failing = true;
	}
	return (long)(w->period_us / 2000);
}

web_watchdog *web_watchdog_start(bool tls, const char *host, unsigned port)
{
	int64_t us = sd_watchdog_usec();
	if (us <= 0)
		return NULL;
	web_watchdog *w = calloc(1, sizeof *w);
	if (!w)
		abort();
	w->period_us = us;
	/* a server bound to every address is asked on loopback */
	bool any = strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0;
	bool v6 = !any && strchr(host, ':') != NULL;
	snprintf(w->url, sizeof w->url, "%s://%s%s%s:%u/healthz", tls ? "https" : "http",
	         v6 ? "[" : "", any ? "127.0.0.1" : host, v6 ? "]" : "", port);
	if (strcmp(host, "::") == 0)
		snprintf(w->url, sizeof w->url, "%s://[::1]:%u/healthz", tls ? "https" : "http", port);
	/* the first at once: the manager counts from READY=1 */
	w->t = ticker_start(0, watch, NULL, w);
	if (!w->t) {
		free(w);
		log_say(LOG_WARN, "watchdog: cannot start; the service manager will restart sigap");
		return NULL;
	}
	log_say(LOG_INFO, "watchdog: %s every %.1f s", w->url, (double)us / 2e6);
	return w;
}

void web_watchdog_stop(web_watchdog *w)
{
	if (!w)
		return;
	ticker_stop(w->t);
	free(w);
}
