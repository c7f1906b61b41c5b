/*
 * webhook.h: one message POSTed to a receiver, signed (webhook.c).
 *
 * The receiver is told what it got and can check it came from sigap:
 *   Content-Type: application/json; charset=utf-8
 *   X-Sigap-Event: langkah.menunggu            (the body's "event")
 *   X-Sigap-Delivery: 42                       (the message's number: the
 *                                               same on every retry)
 *   X-Sigap-Signature: t=1733300000,v1=<hex>   (HMAC-SHA256 under the
 *                                               shared secret of the bytes
 *                                               "<t>.<body>")
 * A receiver recomputes v1, compares it in constant time, refuses a t
 * far from its clock (a replay), and keeps delivery numbers it has seen
 * (a message is retried until a 2xx answer). docs/notifications.md.
 */
#ifndef SG_NOTIFY_WEBHOOK_H
#define SG_NOTIFY_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

typedef struct notify_webhook {
	const char *url;
	const char *secret;
	const char *ca_file; /* NULL: the system's trust store */
	long timeout;        /* seconds the whole delivery may take */
} notify_webhook;

/* The signature's v1: hex HMAC-SHA256 under secret of "<t>.<body>". */
void notify_sign(const char *secret, int64_t t, const char *body, size_t n, char out[65]);

/* POSTs body (JSON) to w->url signed at time now. 0 when the receiver
 * answered 2xx; -1 with why (its status, or what failed on the way). */
int notify_webhook_post(const notify_webhook *w, const char *event, int64_t delivery,
                        const char *body, int64_t now, char *why, size_t why_n);

#endif
