/*
 * mime_parse.h: what the two halves of the e-mail parser share: mime.c
 * (the tree of entities, attachments, the text, the interface) and
 * mime_header.c (headers, their parameters, the sender and the other
 * headers of the message). Not an interface: mime.h is.
 */
#ifndef SG_NOTIFY_MIME_PARSE_H
#define SG_NOTIFY_MIME_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "mime.h"
#include "mime_decode.h"

enum {
	BOUNDARY_MAX = 200, /* bytes of a boundary (RFC 2046: 70) */
	PARAMS_MAX = 64,    /* parameters of a header read (RFC 2231 sections too) */
	PATH_CAP = MIME_DEPTH_CAP * 21 + 1,
};

/* A leaf the text may come from: its body, unread until chosen. */
typedef struct text_src {
	bool set;
	const char *body;
	size_t len;
	char enc[32], charset[48];
	bool flowed, delsp; /* text/plain; format=flowed (RFC 3676) */
	char where[PATH_CAP + 8];
} text_src;

/* The parser's state. */
typedef struct ctx {
	mime_limits lim;
	mime_msg *m;
	bool oom;
	size_t parts_cap, problems_cap;
	size_t problems_dropped, parts_dropped;
	char path[PATH_CAP]; /* "2.1"; "" for the top entity */
	size_t path_len;
	char where[PATH_CAP + 8]; /* "part 2.1" or "the message" */
	text_src plain, html;
} ctx;

/* The headers sigap reads: the first three are every entity's. */
enum {
	H_CTYPE,
	H_CTE,
	H_CDISP,
	H_ENTITY,
	H_FROM = H_ENTITY,
	H_SUBJECT,
	H_DATE,
	H_MSGID,
	H_IRT,
	H_AUTOSUB,
	H_PREC,
	H_LISTID,
	H_LISTUNSUB,
	H_RETPATH,
	H_XAUTOREPLY,
	H_XAUTORESPOND,
	H_N
};

/* The values (unfolded, trimmed, first of each kept) of an entity's
 * headers: the top entity's all H_N, the others' H_ENTITY (n_names). */
typedef struct hdrs {
	char *v[H_N];
	size_t n_names;
} hdrs;

/* What an entity's headers say of it. */
typedef struct ent {
	char type[128]; /* lower case type/subtype; "" not given or unreadable */
	char charset[48];
	char boundary[BOUNDARY_MAX + 1];
	bool has_boundary;
	bool flowed, delsp;
	char enc[32];    /* transfer encoding, lower case; "" none */
	bool attachment; /* a Content-Disposition other than inline */
	char *filename;  /* decoded, not yet a base name; NULL none */
} ent;

/* s (n bytes) as it may be quoted in a problem: at most 40 bytes, control
 * characters and bytes that are not UTF-8 as '?', "..." when cut. */
typedef struct quoted {
	char s[56];
} quoted;

quoted mp_quote(const char *s, size_t n);
quoted mp_quote_str(const char *s);
/* A problem, printf-like; past MIME_MAX_PROBLEMS only counted. */
void mp_problem(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The string in b (NULL when memory ran out: then c->oom). */
char *mp_take(ctx *c, mbuf *b);
char *mp_dup(ctx *c, const char *s);
bool mp_all_space(const char *s, size_t n);
bool mp_has_8bit(const char *s, size_t n);
void mp_lower(char *s);
/* "byte is" or "bytes are", after a count n. */
const char *mp_bytes_are(size_t n);
/* What mime_words found wrong in what (a header's text), as problems. */
void mp_words_problems(ctx *c, const char *what, const mime_words_result *r);

/* Reads the headers at s into h; returns where the body begins. */
size_t mp_read_headers(ctx *c, const char *s, size_t n, hdrs *h);
void mp_hdrs_free(hdrs *h);
/* What the headers h say of the entity; digest_child: a part of a
 * multipart/digest, a message/rfc822 unless it says otherwise. */
void mp_entity_info(ctx *c, const hdrs *h, ent *e, bool digest_child);
/* The top entity's headers into c->m. */
void mp_message_headers(ctx *c, const hdrs *h);

#endif
