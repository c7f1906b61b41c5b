/*
 * server.h: `sigap serve`: the HTTP server over libmicrohttpd.
 */
#ifndef SG_WEB_SERVER_H
#define SG_WEB_SERVER_H

#include <sys/socket.h>

#include "app/app.h"
#include "ingest/ingest.h"

typedef struct web_options {
	const char *listen;   /* ADDR:PORT; port 0 picks a free one */
	int threads;          /* 0: one per core, at least 2 */
	const char *tls_cert; /* PEM files; both or neither */
	const char *tls_key;
	bool access_log; /* one JSON line per request on stderr */
	/* Opens the app of one worker thread (each has its own database
	 * connection); called in that thread. */
	int (*open_app)(app *a, sg_err *e);
	ingest *ingest; /* the live inputs and detection; NULL: none */
	/* called at SIGHUP (in the thread that waits for signals) */
	void (*reload)(void *ctx);
	void *reload_ctx;
	/* called once the address is bound (ADDR:PORT as bound), before any
	 * signal is awaited; a -1 (with e) stops the server at once and is
	 * web_serve's answer. And at the stop, after the last request
	 * (stopped). */
	int (*started)(void *ctx, const char *bound, sg_err *e);
	void (*stopped)(void *ctx);
	void *started_ctx;
} web_options;

/* Checks the SOP files (as a new app would read them) and has every
 * worker read them again at its next request; -1 with e, and nothing
 * changed, when they do not load. */
int web_sops_reload(sg_err *e);
/* Every worker serves a copy of r (read and checked) from its next request. */
void web_sops_publish(const sop_registry *r);

/* The running pipeline (for the ingest route and /metrics); NULL when
 * the server runs without one. */
ingest *web_ingest(void);

/* Serves until SIGTERM or SIGINT (SIGHUP: o->reload), then lets requests in flight finish
 * and returns 0; -1 with e when it cannot start. Prints
 * "sigap: listening on http://ADDR:PORT" on stdout once ready. */
int web_serve(const web_options *o, sg_err *e);
/* Binds o's address and reads its TLS pair now, for web_serve to take
 * later: what sigap serve does as root before it gives root up. */
int web_prebind(const web_options *o, sg_err *e);

#endif
