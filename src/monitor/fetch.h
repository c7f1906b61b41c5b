/*
 * fetch.h: fetching the monitored pages (libcurl multi): many at once,
 * a bounded number in flight, each with its timings, its redirects, its
 * certificate's end of validity and its body up to a limit.
 */
#ifndef SG_MON_FETCH_H
#define SG_MON_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mon_fetch_opts {
	long timeout_ms;         /* the whole transfer */
	long connect_timeout_ms;
	size_t max_body;         /* bytes kept of a body; the transfer stops there */
	int concurrency;         /* transfers in flight at once */
	long max_redirects;
	const char *ca_file;     /* trust besides the system's; NULL: the system's */
	bool allow_internal;     /* connect to loopback, private and link-local
	                          * addresses ([pantau] alamat_dalam = izinkan) */
} mon_fetch_opts;

/* Whether an address (text) is of an internal network: loopback,
 * private (RFC 1918, fc00::/7), link-local, shared (100.64.0.0/10),
 * unspecified, multicast or broadcast. A text that is no address is. */
bool mon_address_internal(const char *ip);

typedef struct mon_fetch_req {
	const char *url;
	const char *agent; /* the User-Agent header */
} mon_fetch_req;

typedef struct mon_fetch_res {
	bool reached;        /* an HTTP answer came (any status) */
	bool cert_refused;   /* the certificate was refused (expired, untrusted, wrong
	                      * name): the page was then read without trusting it */
	char error[256];     /* why not reached, or why the certificate was refused */
	long status;         /* the final answer's status */
	int64_t ttfb_us;     /* to the first byte of the final answer's body */
	int64_t total_us;
	char *final_url;     /* after redirects (malloc'd) */
	char redirects[1024]; /* "301 URL; 302 URL" each hop, "" none */
	long n_redirects;
	int64_t cert_not_after; /* the site's certificate's end (epoch s); 0: no TLS or unknown */
	char cert_subject[256];
	char address[64];    /* the address connected to */
	char *body;          /* NUL-terminated, malloc'd */
	size_t body_len;
	bool body_cut;       /* longer than max_body: the rest was not read */
	char content_type[128];
} mon_fetch_res;

/* Called after each transfer ends (for progress). */
typedef void (*mon_fetch_done_fn)(void *ctx, size_t index, const mon_fetch_res *res);

/* Fetches every request, at most o->concurrency at once; res[i] is the
 * outcome of reqs[i] (free each with mon_fetch_res_free). Only http and
 * https are followed, redirects included. -1 only when libcurl cannot
 * start (out of memory). */
int mon_fetch_all(const mon_fetch_req *reqs, mon_fetch_res *res, size_t n,
                  const mon_fetch_opts *o, mon_fetch_done_fn done, void *ctx);
void mon_fetch_res_free(mon_fetch_res *r);

#endif
