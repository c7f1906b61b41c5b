/*
 * mime.c: an e-mail read into what the mail intake needs (see mime.h).
 *
 * The message is walked once, as a tree of entities: each entity's
 * headers are read (unfolded, only the ones sigap uses kept), then its
 * body is either a multipart, cut at its boundary lines into child
 * entities, or a leaf: an attachment, decoded into mime_part, or a
 * candidate for the text (the first text/plain and the first text/html
 * outside attachments are remembered, and only the chosen one is decoded
 * at the end). The top entity's headers also give the sender, subject,
 * ids and the marks of automatic mail.
 *
 * Costs. Each multipart level looks for its own boundary with memmem over
 * its body, so a byte is looked at once per level it is nested in, and
 * levels are at most max_depth (never more than MIME_DEPTH_CAP): the walk
 * recurses no deeper. Every decoder is linear (mime_decode.c,
 * mime_text.c). Attachments past max_parts are counted, not decoded;
 * problems past MIME_MAX_PROBLEMS likewise.
 *
 * Leniency. Mail in the wild is often malformed, and a citizen's report
 * must not be lost to a mailer's bug: a multipart without its closing
 * line ends at the end of its body, one whose boundary never appears is
 * read as plain text, a header line without a colon is skipped (or, when
 * no blank line follows it, begins the body), bad base64 stops with what
 * was decoded kept, a bad quoted-printable escape is kept as it is. Each
 * of these is recorded as a problem naming the part (IMAP's numbering).
 */
#include "mime.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "mime_parse.h"

/* ---- problems and small helpers */

quoted mp_quote(const char *s, size_t n)
{
	quoted q;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (o >= 40) {
			memcpy(q.s + o, "...", 3);
			o += 3;
			break;
		}
		size_t k = utf8_sequence(s + i, n - i);
		unsigned char c = (unsigned char)s[i];
		if (k == 0 || (k == 1 && (c < 0x20 || c == 0x7f)) ||
		    (k == 2 && c == 0xC2 && (unsigned char)s[i + 1] < 0xA0)) {
			q.s[o++] = '?';
			i += k ? k : 1;
		} else {
			memcpy(q.s + o, s + i, k);
			o += k;
			i += k;
		}
	}
	q.s[o] = '\0';
	return q;
}

quoted mp_quote_str(const char *s)
{
	return mp_quote(s, strlen(s));
}

static void mp_add_problem(ctx *c, char *text)
{
	mime_msg *m = c->m;
	if (text == NULL) {
		c->oom = true;
		return;
	}
	if (m->n_problems == c->problems_cap) {
		size_t cap = c->problems_cap ? c->problems_cap * 2 : 8;
		char **v = realloc(m->problems, cap * sizeof *v);
		if (v == NULL) {
			free(text);
			c->oom = true;
			return;
		}
		m->problems = v;
		c->problems_cap = cap;
	}
	m->problems[m->n_problems++] = text;
}

void mp_problem(ctx *c, const char *fmt, ...)
{
	if (c->m->n_problems >= MIME_MAX_PROBLEMS) {
		c->problems_dropped++;
		return;
	}
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	mp_add_problem(c, strdup(text));
}

/* The string in b (NULL when memory ran out: then c->oom). */
char *mp_take(ctx *c, mbuf *b)
{
	char *s = mbuf_take(b);
	if (s == NULL)
		c->oom = true;
	return s;
}

char *mp_dup(ctx *c, const char *s)
{
	char *d = strdup(s);
	if (d == NULL)
		c->oom = true;
	return d;
}

static void mp_path_set(ctx *c, size_t len)
{
	c->path_len = len;
	c->path[len] = '\0';
	if (len == 0)
		snprintf(c->where, sizeof c->where, "the message");
	else
		snprintf(c->where, sizeof c->where, "part %s", c->path);
}

static void mp_path_push(ctx *c, size_t idx)
{
	size_t len = c->path_len;
	int k = snprintf(c->path + len, sizeof c->path - len, len ? ".%zu" : "%zu", idx);
	mp_path_set(c, k > 0 && (size_t)k < sizeof c->path - len ? len + (size_t)k : len);
}

bool mp_all_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

bool mp_has_8bit(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

const char *mp_bytes_are(size_t n)
{
	return n == 1 ? "byte is" : "bytes are";
}

void mp_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

/* What mime_words found wrong in a header's text, as problems. */
void mp_words_problems(ctx *c, const char *what, const mime_words_result *r)
{
	if (r->unknown_cs[0])
		mp_problem(c, "%s: %s: unknown charset '%s'; read as UTF-8", c->where, what,
		           mp_quote_str(r->unknown_cs).s);
	if (r->bad_bytes)
		mp_problem(c, "%s: %s: %zu %s not valid UTF-8 (replaced by U+FFFD)", c->where, what,
		           r->bad_bytes, mp_bytes_are(r->bad_bytes));
}

/* ---- leaves: attachments and the text */

/* The body b (n bytes) decoded by its transfer encoding into k. */
static void decode(ctx *c, const char *where, const char *enc, const char *b, size_t n,
                   mime_sink *k)
{
	mime_dec_result r;
	if (strcmp(enc, "base64") == 0) {
		r = mime_base64(b, n, k);
		unsigned char ch = r.bad ? (unsigned char)b[r.bad_at] : 0;
		if (r.bad && ch > ' ' && ch < 0x7f)
			mp_problem(
			    c,
			    "%s: bad base64 ('%c' at byte %zu of its body); the rest is not read",
			    where, ch, r.bad_at);
		else if (r.bad)
			mp_problem(
			    c,
			    "%s: bad base64 (byte 0x%02X at byte %zu of its body); the rest is "
			    "not read",
			    where, ch, r.bad_at);
		if (r.partial)
			mp_problem(c,
			           "%s: the base64 ends in the middle of a byte; the last bits are "
			           "dropped",
			           where);
	} else if (strcmp(enc, "quoted-printable") == 0) {
		r = mime_qp(b, n, k);
		if (r.bad)
			mp_problem(
			    c,
			    "%s: a bad quoted-printable escape '%s' (at byte %zu) is kept as it is",
			    where, mp_quote(b + r.bad_at, n - r.bad_at < 3 ? n - r.bad_at : 3).s,
			    r.bad_at);
	} else {
		if (enc[0] && strcmp(enc, "7bit") != 0 && strcmp(enc, "8bit") != 0 &&
		    strcmp(enc, "binary") != 0)
			mp_problem(c, "%s: unknown transfer encoding '%s', kept as it is", where,
			           mp_quote_str(enc).s);
		sink_put(k, b, n);
	}
	if (k->b.oom)
		c->oom = true;
}

/* The bidirectional controls out of s (U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069): "foto\u202Efdp.exe" shows as "fotoexe.pdf". */
static void strip_bidi(char *s)
{
	char *o = s;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		bool bidi = p[0] == 0xE2 && ((p[1] == 0x80 && (p[2] == 0x8E || p[2] == 0x8F ||
		                                               (p[2] >= 0xAA && p[2] <= 0xAE))) ||
		                             (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9));
		if (bidi)
			p += 3;
		else
			*o++ = (char)*p++;
	}
	*o = '\0';
}

/* A filename as sigap keeps it: one line without control characters,
 * no bidirectional controls, its base name (after the last '/' or '\'),
 * no leading dots or spaces,
 * at most MIME_FILENAME_MAX bytes (cut before its extension); NULL when
 * nothing is left. */
static char *base_name(ctx *c, const char *s)
{
	mbuf b = {0};
	mime_line_clean(&b, s, strlen(s));
	char *f = mp_take(c, &b);
	if (f == NULL)
		return NULL;
	strip_bidi(f);
	char *slash = strrchr(f, '/'), *bslash = strrchr(f, '\\');
	char *start = slash > bslash ? slash + 1 : bslash ? bslash + 1 : f;
	start += strspn(start, ". ");
	size_t len = strlen(start);
	memmove(f, start, len + 1);
	if (len > MIME_FILENAME_MAX) {
		char *dot = strrchr(f, '.');
		size_t ext = dot && len - (size_t)(dot - f) <= 16 ? len - (size_t)(dot - f) : 0;
		size_t stem = MIME_FILENAME_MAX - ext;
		while (stem > 0 && ((unsigned char)f[stem] & 0xC0) == 0x80)
			stem--;
		memmove(f + stem, f + len - ext, ext + 1);
	}
	if (f[0] == '\0') {
		free(f);
		return NULL;
	}
	return f;
}

static void attach(ctx *c, const ent *e, const char *b, size_t n)
{
	mime_msg *m = c->m;
	if (m->n_parts >= c->lim.max_parts) {
		c->parts_dropped++;
		return;
	}
	if (m->n_parts == c->parts_cap) {
		size_t cap = c->parts_cap ? c->parts_cap * 2 : 4;
		mime_part *v = realloc(m->parts, cap * sizeof *v);
		if (v == NULL) {
			c->oom = true;
			return;
		}
		m->parts = v;
		c->parts_cap = cap;
	}
	mime_part *p = &m->parts[m->n_parts++];
	memset(p, 0, sizeof *p);
	mime_sink k = {.cap = c->lim.max_part_bytes};
	decode(c, c->where, e->enc, b, n, &k);
	p->size = k.size;
	p->too_big = k.over;
	p->len = k.over ? 0 : k.b.n;
	p->data = (unsigned char *)k.b.p;
	p->filename = e->filename ? base_name(c, e->filename) : NULL;
	if (p->filename == NULL) {
		char name[40];
		bool eml = strcmp(e->type, "message/rfc822") == 0 ||
		           strcmp(e->type, "message/global") == 0;
		snprintf(name, sizeof name, eml ? "pesan-%zu.eml" : "lampiran-%zu", m->n_parts);
		p->filename = mp_dup(c, name);
	}
	p->content_type = mp_dup(c, e->type[0] ? e->type : "application/octet-stream");
}

static void leaf(ctx *c, const ent *e, const char *b, size_t n)
{
	const char *type = e->type[0] ? e->type : "text/plain";
	bool plain = strcmp(type, "text/plain") == 0, html = strcmp(type, "text/html") == 0;
	if (e->attachment || e->filename || !(plain || html)) {
		attach(c, e, b, n);
		return;
	}
	text_src *t = plain ? &c->plain : &c->html;
	if (t->set || mp_all_space(b, n))
		return;
	*t = (text_src){.set = true, .body = b, .len = n};
	snprintf(t->enc, sizeof t->enc, "%s", e->enc);
	snprintf(t->charset, sizeof t->charset, "%s", e->charset);
	t->flowed = e->flowed;
	t->delsp = e->delsp;
	snprintf(t->where, sizeof t->where, "%s", c->where);
}

/* The chosen text decoded, converted, cleaned and cut into m->text. */
static void take_text(ctx *c)
{
	text_src *t = c->plain.set ? &c->plain : c->html.set ? &c->html : NULL;
	if (t == NULL)
		return;
	mime_sink k = {.cap = SIZE_MAX};
	decode(c, t->where, t->enc, t->body, t->len, &k);
	mbuf u = {0}, out = {0};
	mime_cs kind = mime_charset(t->charset, strlen(t->charset));
	size_t bad = mime_to_utf8(&u, k.b.p, k.b.n, kind);
	if (kind == MIME_CS_UNKNOWN && mp_has_8bit(k.b.p, k.b.n))
		mp_problem(c,
		           "%s: unknown charset '%s'; the text is read as UTF-8: %zu %s not valid "
		           "in it (replaced by U+FFFD)",
		           t->where, mp_quote_str(t->charset).s, bad, mp_bytes_are(bad));
	else if (bad)
		mp_problem(c, "%s: in the text, %zu %s not valid %s (replaced by U+FFFD)", t->where,
		           bad, mp_bytes_are(bad), kind == MIME_CS_1252 ? "windows-1252" : "UTF-8");
	mbuf_free(&k.b);
	if (t == &c->html) {
		mbuf h = {0};
		mime_html_text(&h, u.p ? u.p : "", u.n);
		mime_text_clean(&out, h.p ? h.p : "", h.n);
		out.oom |= h.oom;
		mbuf_free(&h);
	} else if (t->flowed) {
		mbuf f = {0};
		mime_unflow(&f, u.p ? u.p : "", u.n, t->delsp);
		mime_text_clean(&out, f.p ? f.p : "", f.n);
		out.oom |= f.oom;
		mbuf_free(&f);
	} else {
		mime_text_clean(&out, u.p ? u.p : "", u.n);
	}
	out.oom |= u.oom;
	mbuf_free(&u);
	if (out.n > c->lim.max_text_bytes) {
		size_t cut = c->lim.max_text_bytes;
		while (cut > 0 && ((unsigned char)out.p[cut] & 0xC0) == 0x80)
			cut--;
		out.p[out.n = cut] = '\0';
		mp_problem(c, "the text is longer than %zu bytes; it is cut there",
		           c->lim.max_text_bytes);
	}
	if (out.n > 0 || out.oom)
		c->m->text = mp_take(c, &out); /* else NULL: nothing but blank */
	mbuf_free(&out);
}

/* ---- the tree */

static void entity(ctx *c, const char *s, size_t n, int depth, bool digest_child);

/* The position after a delimiter line "--b" or "--b--" (spaces may
 * follow) beginning at ls; 0 when there is none there. */
static size_t delimiter(const char *s, size_t n, size_t ls, const char *b, size_t bl, bool *close)
{
	if (n - ls < bl + 2 || s[ls] != '-' || s[ls + 1] != '-' || memcmp(s + ls + 2, b, bl) != 0)
		return 0;
	size_t k = ls + 2 + bl;
	*close = k + 1 < n && s[k] == '-' && s[k + 1] == '-';
	k += *close ? 2 : 0;
	while (k < n && (s[k] == ' ' || s[k] == '\t'))
		k++;
	if (k < n && s[k] == '\r')
		k++;
	if (k == n)
		return n;
	return s[k] == '\n' ? k + 1 : 0;
}

/* The next delimiter line at or after from: the body before it ends at
 * *at (its line break left out), the next part begins at *after. */
static bool delimiter_find(const char *s, size_t n, size_t from, const char *b, size_t bl,
                           size_t *at, size_t *after, bool *close)
{
	if ((from == 0 || s[from - 1] == '\n') && (*after = delimiter(s, n, from, b, bl, close))) {
		*at = from;
		return true;
	}
	char needle[BOUNDARY_MAX + 4] = "\n--";
	memcpy(needle + 3, b, bl);
	for (size_t pos = from; pos < n;) {
		const char *hit = memmem(s + pos, n - pos, needle, bl + 3);
		if (hit == NULL)
			return false;
		size_t h = (size_t)(hit - s);
		if ((*after = delimiter(s, n, h + 1, b, bl, close)) != 0) {
			*at = h > from && s[h - 1] == '\r' ? h - 1 : h;
			return true;
		}
		pos = h + 1;
	}
	return false;
}

/* A multipart's body whose boundary is missing or never seen: read as
 * plain text, so what the sender wrote is not lost. */
static void as_plain_text(ctx *c, const char *b, size_t n)
{
	ent e;
	memset(&e, 0, sizeof e);
	leaf(c, &e, b, n);
}

static void multipart(ctx *c, const ent *e, const char *s, size_t n, int depth)
{
	size_t bl = strlen(e->boundary), at, after;
	bool close;
	if (!delimiter_find(s, n, 0, e->boundary, bl, &at, &after, &close)) {
		mp_problem(
		    c,
		    "%s: the boundary '%s' of its %s never appears; its body is read as plain "
		    "text",
		    c->where, mp_quote_str(e->boundary).s, e->type);
		as_plain_text(c, s, n);
		return;
	}
	bool digest = strcmp(e->type, "multipart/digest") == 0;
	size_t len = c->path_len;
	for (size_t idx = 1; !close && !c->oom; idx++) {
		size_t start = after;
		bool found = delimiter_find(s, n, start, e->boundary, bl, &at, &after, &close);
		mp_path_push(c, idx);
		entity(c, s + start, (found ? at : n) - start, depth, digest);
		mp_path_set(c, len);
		if (!found) {
			mp_problem(
			    c,
			    "%s: its %s is not closed (no line '--%s--'); its last part runs to "
			    "its end",
			    c->where, e->type, mp_quote_str(e->boundary).s);
			break;
		}
	}
}

static void entity(ctx *c, const char *s, size_t n, int depth, bool digest_child)
{
	hdrs h = {.n_names = c->path_len == 0 ? H_N : H_ENTITY};
	size_t body = mp_read_headers(c, s, n, &h);
	if (c->path_len == 0)
		mp_message_headers(c, &h);
	ent e;
	mp_entity_info(c, &h, &e, digest_child);
	mp_hdrs_free(&h);
	if (c->path_len == 0 && strcmp(e.type, "multipart/report") == 0)
		c->m->bounce = true; /* a delivery or disposition report (RFC 6522) */
	const char *b = s + body;
	size_t bn = n - body;
	if (strncmp(e.type, "multipart/", 10) != 0)
		leaf(c, &e, b, bn);
	else if (depth >= c->lim.max_depth)
		mp_problem(c, "%s: its %s is nested deeper than %d levels; it is not read",
		           c->where, e.type, c->lim.max_depth);
	else if (!e.has_boundary) {
		mp_problem(c, "%s: its %s has no boundary; its body is read as plain text",
		           c->where, e.type);
		as_plain_text(c, b, bn);
	} else
		multipart(c, &e, b, bn, depth + 1);
	free(e.filename);
}

/* ---- the interface */

static void limits(ctx *c, const mime_limits *lim)
{
	mime_limits d = MIME_LIMITS_DEFAULT;
	c->lim = lim ? *lim : d;
	if (c->lim.max_parts == 0)
		c->lim.max_parts = d.max_parts;
	if (c->lim.max_depth <= 0)
		c->lim.max_depth = d.max_depth;
	if (c->lim.max_depth > MIME_DEPTH_CAP)
		c->lim.max_depth = MIME_DEPTH_CAP;
	if (c->lim.max_part_bytes == 0)
		c->lim.max_part_bytes = d.max_part_bytes;
	if (c->lim.max_text_bytes == 0)
		c->lim.max_text_bytes = d.max_text_bytes;
}

/* *s made valid UTF-8 if it is not (its bad bytes U+FFFD). Every
 * decoder already gives UTF-8: this is the last guard of what the intake
 * stores. */
static void valid_string(ctx *c, char **s)
{
	if (*s == NULL || utf8_valid(*s, strlen(*s)))
		return;
	mbuf b = {0};
	mime_to_utf8(&b, *s, strlen(*s), MIME_CS_UTF8);
	free(*s);
	*s = mp_take(c, &b);
}

static void valid_utf8(ctx *c)
{
	mime_msg *m = c->m;
	char **fields[] = {&m->from_name,   &m->from_addr,      &m->subject,    &m->message_id,
	                   &m->in_reply_to, &m->auto_submitted, &m->precedence, &m->text};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		valid_string(c, fields[i]);
	for (size_t i = 0; i < m->n_parts; i++) {
		valid_string(c, &m->parts[i].filename);
		valid_string(c, &m->parts[i].content_type);
	}
	for (size_t i = 0; i < m->n_problems; i++)
		valid_string(c, &m->problems[i]);
}

int mime_parse(const char *raw, size_t len, const mime_limits *lim, mime_msg *out, sg_err *e)
{
	memset(out, 0, sizeof *out);
	ctx *c = calloc(1, sizeof *c);
	if (c == NULL)
		return sg_err_set(e, SG_ENOMEM, "out of memory reading an e-mail");
	c->m = out;
	limits(c, lim);
	mp_path_set(c, 0);
	entity(c, raw ? raw : "", raw ? len : 0, 0, false);
	take_text(c);
	char line[160];
	if (c->parts_dropped) {
		snprintf(line, sizeof line, "%zu more attachments are not kept (at most %zu are)",
		         c->parts_dropped, c->lim.max_parts);
		mp_add_problem(c, strdup(line));
	}
	if (c->problems_dropped) {
		snprintf(line, sizeof line, "%zu more problems are not listed",
		         c->problems_dropped);
		mp_add_problem(c, strdup(line));
	}
	valid_utf8(c);
	bool oom = c->oom;
	free(c);
	if (oom) {
		mime_msg_free(out);
		return sg_err_set(e, SG_ENOMEM, "out of memory reading an e-mail");
	}
	return 0;
}

void mime_msg_free(mime_msg *m)
{
	free(m->from_name);
	free(m->from_addr);
	free(m->subject);
	free(m->message_id);
	free(m->in_reply_to);
	free(m->auto_submitted);
	free(m->precedence);
	free(m->text);
	for (size_t i = 0; i < m->n_parts; i++) {
		free(m->parts[i].filename);
		free(m->parts[i].content_type);
		free(m->parts[i].data);
	}
	free(m->parts);
	for (size_t i = 0; i < m->n_problems; i++)
		free(m->problems[i]);
	free(m->problems);
	memset(m, 0, sizeof *m);
}
