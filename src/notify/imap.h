/*
 * imap.h: the mailbox of reports by e-mail, read over IMAP (imap.c).
 *
 * Three questions, each on a connection of its own (opened, logged in,
 * closed): which messages are new (not \Seen), what one message is
 * (whole, as it was received), and "this one is taken" (\Seen set). A
 * message is only read with BODY.PEEK[] on a mailbox opened read-only, so
 * reading never marks it: a message whose case could not be written stays
 * new and is tried again; only imap_mark_seen marks it.
 *
 * TLS is always verified (imaps://, or imap:// with STARTTLS required);
 * imap:// without TLS only to a server on this host. Every answer is
 * bounded: in time (timeout, per command) and in size (a line of the
 * server's at most 1 MiB, a message at most the caller's max), so a
 * hostile or broken server costs a failed poll, nothing more. The
 * password is never part of a message.
 */
#ifndef SG_NOTIFY_IMAP_H
#define SG_NOTIFY_IMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

typedef struct imap_conf {
	const char *url; /* imaps://host:993/INBOX, or imap://host:143/INBOX (STARTTLS
	                    required unless plain_ok); no mailbox: INBOX */
	const char *user, *password;
	const char *ca_file;  /* NULL: the system's trust store */
	long timeout;         /* seconds one command may take (and the login) */
	bool plain_ok;        /* imap:// without TLS: only for a server on this host */
	uint32_t uidvalidity; /* 0, or the one imap_unseen told: imap_fetch and
	                         imap_mark_seen then refuse a mailbox whose
	                         UIDVALIDITY is another (its UIDs name other
	                         messages) */
} imap_conf;

/* The mailbox's UIDVALIDITY and the UIDs of the messages without \Seen,
 * ascending, the lowest max of them (*n). 0, or -1 with why. */
int imap_unseen(const imap_conf *c, uint32_t *uidvalidity, uint32_t *uids, size_t max, size_t *n,
                char *why, size_t why_n);

/* Message uid whole (RFC822: its header and body, CRLF lines, as the
 * server keeps it) into out (emptied first), at most max bytes; \Seen is
 * left as it was. *size: the message's size when the server told it,
 * else -1. A message larger than max: -1, *size above max and why saying
 * so; any other failure: -1 with *size -1 or at most max. */
int imap_fetch(const imap_conf *c, uint32_t uid, size_t max, buf *out, int64_t *size, char *why,
               size_t why_n);

/* Sets \Seen on message uid (checked: -1 when there is no such message),
 * and \Flagged with flag: a message left for an officer to read in the
 * mailbox itself. */
int imap_mark_seen(const imap_conf *c, uint32_t uid, bool flag, char *why, size_t why_n);

#endif
