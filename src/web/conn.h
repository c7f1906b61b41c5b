/*
 * conn.h: the guard of the server's connections (conn.c): who may
 * connect, how long a request may take to arrive, and room for new
 * clients when the table is full. Internal to web/.
 */
#ifndef SG_WEB_CONN_H
#define SG_WEB_CONN_H

#include <microhttpd.h>
#include <stdint.h>
#include <sys/socket.h>

#include "addrlist.h"
#include "base/buf.h"

typedef struct conn_config {
	int max_connections; /* open at once, at most */
	int per_address;     /* open at once from one client address, at most */
	int header_timeout;  /* seconds from connecting (or the end of the previous
	                      * request) to the end of the next request's headers */
	int body_timeout;    /* seconds a body may take before body_min_rate applies */
	long body_min_rate;  /* bytes a second a longer body must keep */
	const addr_list *proxies; /* load balancers: no per_address limit (the
	                           * clients behind one share its address) */
} conn_config;

/* Starts the watchdog thread; 0 or -1. */
int conn_start(const conn_config *c);
void conn_stop(void);
/* The connections libmicrohttpd must allow so that it never refuses (and
 * logs) one the guard admitted. */
int conn_table_size(void);

/* libmicrohttpd's accept policy and connection notifications. */
enum MHD_Result conn_on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
void conn_on_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                    enum MHD_ConnectionNotificationCode code);

/* The phases of a request on a connection (request.c). */
void conn_request_headers(struct MHD_Connection *c);
void conn_request_progress(struct MHD_Connection *c, size_t bytes);
void conn_request_handling(struct MHD_Connection *c); /* the body is in */
void conn_request_answered(struct MHD_Connection *c);
void conn_request_done(struct MHD_Connection *c);

/* Open connections and what the guard refused or closed, in Prometheus
 * text format. */
void conn_metrics(buf *out);

#endif
