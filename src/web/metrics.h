/*
 * metrics.h: what /metrics exposes (Prometheus text format 0.0.4), and
 * to whom.
 */
#ifndef SG_WEB_METRICS_H
#define SG_WEB_METRICS_H

#include <stdbool.h>

#include "app/app.h"
#include "base/buf.h"
#include "http.h"

/* Reads [web] metrics_allow: addresses and CIDR ranges, separated by
 * commas or spaces (NULL: none). */
int metrics_configure(const char *allow, sg_err *e);
/* Whether r may read /metrics: its client address is allowed, or it is
 * an administrator. Never inferred from forwarding headers. */
bool web_metrics_allowed(const web_req *r);

/* Counts one finished request: its route pattern, status and duration. */
void metrics_request(const char *route, int status, double seconds);

typedef enum {
	REFUSED_TOO_LARGE,       /* a body over its route's limit (413) */
	REFUSED_BODY_MEMORY,     /* bodies in memory at [web] body_memory (503) */
	REFUSED_UPLOAD_INFLIGHT, /* files being received at upload_inflight (503) */
	REFUSED_N
} web_refusal;
void metrics_refusal(web_refusal why);

/* Counts a message of the HTTP library by its format; true the first
 * time a format is seen (log it then, count it after). */
bool metrics_library_message(const char *fmt);

/* The case gauges (open cases, steps past their standard time, steps that
 * missed it) are computed now with the app now, then by a thread of their
 * own every period seconds with its own app; a scrape reads them from
 * memory. */
int metrics_gauges_start(app *now, int (*open_app)(app *a, sg_err *e), int period, sg_err *e);
void metrics_gauges_stop(void);

/* Writes every metric kept in memory. */
void metrics_write(buf *out);

#endif
