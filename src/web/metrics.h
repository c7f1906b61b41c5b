/*
 * metrics.h: counters for /metrics (Prometheus text format 0.0.4).
 */
#ifndef SG_WEB_METRICS_H
#define SG_WEB_METRICS_H

#include "base/buf.h"
#include "app/app.h"

/* Counts one finished request: its route pattern, status and duration. */
void metrics_request(const char *route, int status, double seconds);
/* Writes every metric; the case gauges are read from the database. */
int metrics_write(app *a, buf *out, sg_err *e);

#endif
