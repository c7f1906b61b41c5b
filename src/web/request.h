/*
 * request.h: the path of one request through sigap (request.c), driven by
 * server.c's libmicrohttpd callbacks. Internal to web/.
 */
#ifndef SG_WEB_REQUEST_H
#define SG_WEB_REQUEST_H

#include <microhttpd.h>
#include <stdbool.h>

#include "addrlist.h"
#include "app/app.h"

typedef struct request_config {
	long body_max;        /* a form or JSON body, at most */
	long upload_max;      /* a body with files, at most */
	long report_max;      /* a scanner report ([kerentanan] max_report_size) */
	long body_memory;     /* bytes of bodies held in memory by all requests */
	long upload_inflight; /* bytes of files being received by all requests */
	bool tls;
	bool access_log;
	int idle_timeout;     /* seconds a kept-alive connection may wait (Keep-Alive) */
	const addr_list *proxies; /* whose X-Forwarded-For names the client */
	app *(*worker_app)(sg_err *e); /* the calling worker's app */
	int (*open_app)(app *a, sg_err *e); /* an app of its own (own_thread routes) */
} request_config;

/* Requests whose handler runs on a thread of its own now (a server
 * stopping waits for them: their connections are suspended). */
int request_own_threads(void);

void request_configure(const request_config *c);

/* libmicrohttpd's access handler and completion callback. */
enum MHD_Result request_on_access(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls);
void request_on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                          enum MHD_RequestTerminationCode toe);

/* Requests begun and not yet completed (for the drain at SIGTERM). */
int request_in_flight(void);

#endif
