/*
 * smtp.h: one e-mail handed to an SMTP server (smtp.c).
 *
 * A plain-text message in UTF-8 (base64 body, RFC 2047 subject), with a
 * Message-ID made of its outbox number and the time it was written (the
 * same on every try, so a mailbox can drop a copy) and Auto-Submitted: auto-generated (RFC 3834:
 * no out-of-office answer comes back to it).
 */
#ifndef SG_NOTIFY_SMTP_H
#define SG_NOTIFY_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct notify_smtp {
	const char *url;  /* smtp://host:587 (STARTTLS) or smtps://host:465 */
	const char *user; /* NULL: no authentication */
	const char *password;
	const char *from;    /* "sigap <sigap@diskominfo.example.go.id>" or an address */
	const char *ca_file; /* NULL: the system's trust store */
	bool tls_required;   /* smtp://: STARTTLS or nothing */
	long timeout;        /* seconds the whole delivery may take */
	int zone_offset_min; /* the Date header's offset (WIB: 420) */
	const char *reply_to; /* an address for the Reply-To header; NULL: none */
} notify_smtp;

/* Whether s is an address sigap writes to: local@domain, printable
 * ASCII, no spaces, brackets, quotes or commas, at most 254 bytes. */
bool notify_email_valid(const char *s);
/* The address inside a From value ("Name <a@b>" or "a@b") into out;
 * false when it holds none or has a line break. */
bool notify_from_address(const char *from, char *out, size_t n);

/* Sends subject and text (UTF-8) to the address to, dated now, as
 * message delivery written at created (both make its Message-ID). 0 when
 * the server took it; -1 with why. */
int notify_smtp_send(const notify_smtp *s, const char *to, const char *subject, const char *text,
                     int64_t delivery, int64_t created, int64_t now, char *why, size_t why_n);

#endif
