/*
 * watchdog.h: telling the service manager the server answers
 * (watchdog.c).
 */
#ifndef SG_WEB_WATCHDOG_H
#define SG_WEB_WATCHDOG_H

#include <stdbool.h>

typedef struct web_watchdog web_watchdog;

/* Starts asking http(s)://host:port/healthz every half of the period the
 * manager asked for ($WATCHDOG_USEC); NULL when it asked for none. */
web_watchdog *web_watchdog_start(bool tls, const char *host, unsigned port);
void web_watchdog_stop(web_watchdog *w);

#endif
