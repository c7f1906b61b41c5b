/*
 * multipart.c: multipart/form-data read as it arrives (see multipart.h).
 *
 * The body is seen as if it began with CRLF, so every boundary, the first
 * included, is the delimiter CRLF "--" boundary. A window holds the bytes
 * not yet decided: in a part's content, everything but the last (length
 * of the delimiter - 1) bytes is handed on at each piece, since only those
 * can begin a delimiter split across pieces; in a header block, the block
 * up to MP_MAX_HEADER bytes. So the window stays within one piece plus a
 * header block, and each byte is searched at most twice.
 *
 *   preamble ─ delimiter ─ "\r\n" ─ headers ─ "\r\n\r\n" ─ content ─ delimiter ─ …
 *                        └ "--" ─ epilogue (ignored) ─ end
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "multipart.h"

/* Content is handed on in pieces of at most this many bytes. */
enum { WINDOW = 64 * 1024 };

typedef enum {
	MP_PREAMBLE,
	MP_AFTER_DELIM,
	MP_HEADERS,
	MP_CONTENT,
	MP_EPILOGUE,
	MP_FAILED
} mp_state;

struct mp_reader {
	const mp_sink *sink;
	void *ctx;
	mp_state state;
	char delim[84]; /* "\r\n--" boundary */
	size_t dl;
	int parts;
	char *win; /* undecided bytes */
	size_t len, cap;
};

/* The value of a parameter in a header such as
 * `form-data; name="x"; filename="y"` into out; quoted or token. Returns
 * the length, or -1 when absent or malformed. */
static long header_param(const char *h, size_t hn, const char *key, char *out, size_t cap)
{
	size_t kl = strlen(key);
	size_t i = 0;
	while (i < hn) {
		/* at a ';' boundary: skip to the next parameter */
		while (i < hn && h[i] != ';')
			i++;
		if (i == hn)
			return -1;
		i++;
		while (i < hn && (h[i] == ' ' || h[i] == '\t'))
			i++;
		if (hn - i > kl && strncasecmp(h + i, key, kl) == 0 && h[i + kl] == '=') {
			i += kl + 1;
			size_t k = 0;
			if (i < hn && h[i] == '"') {
				i++;
				while (i < hn && h[i] != '"') {
					if (h[i] == '\\' && i + 1 < hn)
						i++;
					if (k + 1 >= cap)
						return -1;
					out[k++] = h[i++];
				}
				if (i == hn)
					return -1; /* unterminated quote */
			} else {
				while (i < hn && h[i] != ';' && h[i] != ' ' && h[i] != '\t') {
					if (k + 1 >= cap)
						return -1;
					out[k++] = h[i++];
				}
			}
			out[k] = '\0';
			return (long)k;
		}
	}
	return -1;
}

/* Finds a header line's value (case-insensitive name) in a part's header
 * block; returns its start and length through v/vn. */
static bool part_header(const char *h, size_t hn, const char *name, const char **v, size_t *vn)
{
	size_t nl = strlen(name);
	size_t i = 0;
	while (i < hn) {
		size_t end = i;
		while (end + 1 < hn && !(h[end] == '\r' && h[end + 1] == '\n'))
			end++;
		if (end + 1 >= hn)
			end = hn;
		if (end - i > nl && strncasecmp(h + i, name, nl) == 0 && h[i + nl] == ':') {
			size_t s = i + nl + 1;
			while (s < end && (h[s] == ' ' || h[s] == '\t'))
				s++;
			*v = h + s;
			*vn = end - s;
			return true;
		}
		i = end + 2;
	}
	return false;
}

mp_reader *mp_new(const char *content_type, const mp_sink *sink, void *ctx, sg_err *e)
{
	char boundary[80];
	long bl =
	    header_param(content_type, strlen(content_type), "boundary", boundary, sizeof boundary);
	if (bl <= 0 || bl > 70) {
		sg_err_set(e, SG_EINVAL, "multipart body without a valid boundary");
		return NULL;
	}
	mp_reader *m = calloc(1, sizeof *m);
	if (m == NULL) {
		sg_err_set(e, SG_ENOMEM, "out of memory reading the form");
		return NULL;
	}
	m->sink = sink;
	m->ctx = ctx;
	m->dl = (size_t)snprintf(m->delim, sizeof m->delim, "\r\n--%s", boundary);
	m->cap = WINDOW + sizeof m->delim;
	m->win = malloc(m->cap);
	if (m->win == NULL) {
		free(m);
		sg_err_set(e, SG_ENOMEM, "out of memory reading the form");
		return NULL;
	}
	memcpy(m->win, "\r\n", 2); /* the CRLF the first delimiter lacks */
	m->len = 2;
	return m;
}

void mp_free(mp_reader *m)
{
	if (m == NULL)
		return;
	free(m->win);
	free(m);
}

static int malformed(mp_reader *m, sg_err *e)
{
	m->state = MP_FAILED;
	return sg_err_set(e, SG_EINVAL, "the multipart form is malformed");
}

static void consume(mp_reader *m, size_t n)
{
	memmove(m->win, m->win + n, m->len - n);
	m->len -= n;
}

/* A part's header block (without its final CRLF CRLF) begins the part. */
static int begin_part(mp_reader *m, const char *h, size_t hn, sg_err *e)
{
	if (++m->parts > MP_MAX_PARTS) {
		m->state = MP_FAILED;
		return sg_err_set(e, SG_EINVAL, "the form has more than %d parts", MP_MAX_PARTS);
	}
	const char *cd, *ctv;
	size_t cdn, ctn;
	char name[MP_MAX_NAME], filename[MP_MAX_NAME], ctype[128] = "application/octet-stream";
	if (!part_header(h, hn, "Content-Disposition", &cd, &cdn) || cdn < 9 ||
	    strncasecmp(cd, "form-data", 9) != 0)
		return malformed(m, e);
	long nl = header_param(cd, cdn, "name", name, sizeof name);
	if (nl <= 0 || strlen(name) != (size_t)nl || !utf8_valid(name, (size_t)nl))
		return malformed(m, e);
	long fl = header_param(cd, cdn, "filename", filename, sizeof filename);
	if (fl >= 0 && strlen(filename) != (size_t)fl)
		return malformed(m, e); /* a NUL inside the name */
	if (part_header(h, hn, "Content-Type", &ctv, &ctn)) {
		if (ctn >= sizeof ctype)
			return malformed(m, e);
		memcpy(ctype, ctv, ctn);
		ctype[ctn] = '\0';
	}
	if (m->sink->begin(m->ctx, name, fl >= 0 ? filename : NULL, ctype, e) != 0) {
		m->state = MP_FAILED;
		return -1;
	}
	return 0;
}

/* Hands on content bytes; a sink's refusal fails the reader. */
static int content(mp_reader *m, const char *p, size_t n, sg_err *e)
{
	if (n && m->sink->data(m->ctx, p, n, e) != 0) {
		m->state = MP_FAILED;
		return -1;
	}
	return 0;
}

/* Decides what the window allows; stops when it needs more bytes. */
static int run(mp_reader *m, sg_err *e)
{
	for (;;) {
		switch (m->state) {
		case MP_PREAMBLE:
		case MP_CONTENT: {
			const char *d = memmem(m->win, m->len, m->delim, m->dl);
			if (d == NULL) {
				size_t keep = m->dl - 1 < m->len ? m->dl - 1 : m->len;
				size_t out = m->len - keep;
				if (m->state == MP_CONTENT && content(m, m->win, out, e) != 0)
					return -1;
				consume(m, out);
				return 0;
			}
			size_t at = (size_t)(d - m->win);
			if (m->state == MP_CONTENT) {
				if (content(m, m->win, at, e) != 0)
					return -1;
				if (m->sink->end(m->ctx, e) != 0) {
					m->state = MP_FAILED;
					return -1;
				}
			}
			consume(m, at + m->dl);
			m->state = MP_AFTER_DELIM;
			break;
		}
		case MP_AFTER_DELIM:
			if (m->len < 2)
				return 0;
			if (m->win[0] == '-' && m->win[1] == '-') {
				m->state = MP_EPILOGUE;
				break;
			}
			if (m->win[0] != '\r' || m->win[1] != '\n')
				return malformed(m, e);
			consume(m, 2);
			m->state = MP_HEADERS;
			break;
		case MP_HEADERS: {
			size_t look = m->len < MP_MAX_HEADER + 4 ? m->len : MP_MAX_HEADER + 4;
			const char *end = memmem(m->win, look, "\r\n\r\n", 4);
			if (end == NULL) {
				if (m->len >= MP_MAX_HEADER + 4)
					return malformed(m, e);
				return 0;
			}
			size_t hn = (size_t)(end - m->win);
			if (begin_part(m, m->win, hn, e) != 0)
				return -1;
			consume(m, hn + 4);
			m->state = MP_CONTENT;
			break;
		}
		case MP_EPILOGUE: m->len = 0; return 0;
		case MP_FAILED: return sg_err_set(e, SG_EINVAL, "the multipart form is malformed");
		}
	}
}

int mp_feed(mp_reader *m, const char *p, size_t n, sg_err *e)
{
	while (n) {
		if (m->state == MP_FAILED)
			return sg_err_set(e, SG_EINVAL, "the multipart form is malformed");
		if (m->state == MP_EPILOGUE)
			return 0;
		size_t room = m->cap - m->len;
		size_t take = n < room ? n : room;
		memcpy(m->win + m->len, p, take);
		m->len += take;
		p += take;
		n -= take;
		if (run(m, e) != 0)
			return -1;
	}
	return 0;
}

int mp_finish(mp_reader *m, sg_err *e)
{
	if (m->state == MP_EPILOGUE)
		return 0;
	if (m->state == MP_FAILED)
		return sg_err_set(e, SG_EINVAL, "the multipart form is malformed");
	return malformed(m, e);
}
