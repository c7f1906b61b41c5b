/*
 * mime.h: an e-mail as the mail intake needs it (mime.c).
 *
 * sigap polls a mailbox over IMAP and opens an incident case for each
 * citizen's e-mail (app/mail_intake.c): the subject becomes the title, the
 * text the description, the sender the reporter, the attachments evidence.
 * mime_parse reads the raw message (RFC 5322 headers, MIME bodies) into
 * that: decoded UTF-8 strings and decoded attachment bytes, and a list of
 * what could not be read, in sentences an officer can act on. The raw
 * message itself is always kept as evidence, so nothing is lost when a
 * part cannot be read.
 *
 * The input is hostile: mime_parse never fails on it. Every string it
 * gives is valid UTF-8 (bytes of a charset it cannot convert become
 * U+FFFD), its work is linear in the message's size (nesting is bounded by
 * max_depth, never deeper than MIME_DEPTH_CAP), and what it keeps is
 * bounded by the limits.
 */
#ifndef SG_NOTIFY_MIME_H
#define SG_NOTIFY_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct mime_limits {
	size_t max_parts;      /* attachments kept at most (64) */
	int max_depth;         /* multipart nesting (8); at most MIME_DEPTH_CAP */
	size_t max_part_bytes; /* an attachment larger than this (decoded) is not kept: too_big */
	size_t max_text_bytes; /* the text body is cut here (1 MiB), noted as a problem */
} mime_limits;

/* A field left 0 (or lim NULL) takes its default. */
#define MIME_LIMITS_DEFAULT {64, 8, (size_t)25 << 20, (size_t)1 << 20}

enum {
	MIME_DEPTH_CAP = 32,     /* max_depth is clamped to this */
	MIME_MAX_PROBLEMS = 50,  /* problems listed, then a line each for attachments not kept
	                          * and problems not listed */
	MIME_HEADER_MAX = 65536, /* bytes of a header's value read; the rest is cut (a problem) */
	MIME_FILENAME_MAX = 200, /* bytes of a filename (cut before its extension) */
};

typedef struct mime_part {
	char *filename; /* decoded (RFC 2231 and RFC 2047), base name only (no '/' '\\', no leading
	                 * dots, no control chars), never NULL: "lampiran-N" when none given,
	                 * "pesan-N.eml" for a message/rfc822 (N: its place among the parts, from 1)
	                 */
	char *content_type;  /* lower case "image/png"; "application/octet-stream" when none */
	unsigned char *data; /* decoded bytes; NULL/0 when too_big (or empty) */
	size_t len;
	size_t size; /* decoded size (known also when too_big) */
	bool too_big; /* not a problem of its own: the caller tells it with the name and size */
} mime_part;

typedef struct mime_msg {
	char *from_name; /* decoded display name, UTF-8, one line; NULL none */
	char *from_addr; /* the address, lower case; NULL when none could be read */
	char *subject;   /* decoded (RFC 2047; utf-8, us-ascii, iso-8859-1, windows-1252), unfolded,
	                  * one line (whitespace runs made one space, trimmed); NULL none */
	char *message_id, *in_reply_to; /* without angle brackets (the first id); NULL none */
	char *auto_submitted;           /* lower case keyword ("auto-replied"), NULL absent */
	char *precedence;               /* lower case keyword ("bulk"), NULL absent */
	bool list;                      /* List-Id or List-Unsubscribe present */
	bool bounce;    /* a delivery report: Return-Path <>, or multipart/report */
	bool autoreply; /* X-Autoreply or X-Autorespond present (vacation programs) */
	char *text;       /* the text in UTF-8, lines ending in "\n", no control characters
	                   * but tabs, trailing spaces and blank lines at either end taken
	                   * off: the first text/plain outside attachments, else the first
	                   * text/html with its tags stripped (script, style and head
	                   * dropped) and the 5 entities, &nbsp; and numeric references
	                   * decoded; NULL when there is none */
	mime_part *parts; /* attachments: parts with Content-Disposition attachment, or a
	                   * filename, or of a type other than text/plain and text/html */
	size_t n_parts;
	char **problems; /* what could not be read, in order: "part 3: unknown transfer
	                  * encoding 'x-uue', kept as it is" (parts are named as IMAP
	                  * numbers them: 2, 2.1, ...; the top entity is "the message") */
	size_t n_problems;
	int64_t date; /* the Date header as Unix time, 0 when absent or unreadable */
} mime_msg;

/* Parses a raw message. Never fails on malformed input: it reads what it
 * can and records problems (a missing boundary, a bad base64, an
 * unterminated multipart, a charset it cannot convert (then bytes that are
 * not UTF-8 are replaced by U+FFFD)). Returns 0, or -1 with e set only for
 * SG_ENOMEM (out is then empty: nothing to free). */
int mime_parse(const char *raw, size_t len, const mime_limits *lim, mime_msg *out, sg_err *e);
void mime_msg_free(mime_msg *m);

#endif
