/*
 * mime_header.c: the headers of an e-mail's entities (see mime_parse.h):
 * reading them (folded lines, CRLF or LF, names in any case, lines
 * without a colon), their parameters (quoted strings, RFC 2231 charsets
 * and continuations, RFC 2047 words in filenames as Outlook and Gmail
 * write them), and the top entity's: the sender's name and address, the
 * subject, the date, the ids and the marks of automatic mail.
 *
 * Only the headers sigap uses are unfolded and kept, each cut at
 * MIME_HEADER_MAX bytes, so a message of a million header lines costs one
 * pass over them and no memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "mime_parse.h"

/* ---- headers */

static const char *const header_names[H_N] = {"content-type",
                                              "content-transfer-encoding",
                                              "content-disposition",
                                              "from",
                                              "subject",
                                              "date",
                                              "message-id",
                                              "in-reply-to",
                                              "auto-submitted",
                                              "precedence",
                                              "list-id",
                                              "list-unsubscribe",
                                              "return-path",
                                              "x-autoreply",
                                              "x-autorespond"};

void mp_hdrs_free(hdrs *h)
{
	for (size_t i = 0; i < H_N; i++)
		free(h->v[i]);
}

/* The value v (n bytes, its line breaks still in) unfolded: line breaks
 * out, NUL made a space, trimmed, cut at MIME_HEADER_MAX. */
static char *unfold(ctx *c, const char *name, size_t name_len, const char *v, size_t n)
{
	mbuf b = {0};
	size_t i = 0;
	while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n'))
		i++;
	for (; i < n; i++) {
		if (b.n >= MIME_HEADER_MAX) {
			mp_problem(
			    c, "%s: the %s header is longer than %d bytes; the rest is not read",
			    c->where, mp_quote(name, name_len).s, MIME_HEADER_MAX);
			break;
		}
		if (v[i] != '\r' && v[i] != '\n')
			mbuf_putc(&b, v[i] ? v[i] : ' ');
	}
	while (b.n > 0 && (b.p[b.n - 1] == ' ' || b.p[b.n - 1] == '\t'))
		b.p[--b.n] = '\0';
	return mp_take(c, &b);
}

static void on_header(ctx *c, hdrs *h, const char *name, size_t name_len, const char *v, size_t n)
{
	for (size_t i = 0; i < h->n_names; i++)
		if (strlen(header_names[i]) == name_len &&
		    strncasecmp(header_names[i], name, name_len) == 0) {
			if (h->v[i] == NULL)
				h->v[i] = unfold(c, name, name_len, v, n);
			return;
		}
}

/* The line at i: its content ends at *eol (a CR before the LF left out),
 * the next line begins at *next. */
static void line_at(const char *s, size_t n, size_t i, size_t *eol, size_t *next)
{
	const char *nl = memchr(s + i, '\n', n - i);
	size_t e = nl ? (size_t)(nl - s) : n;
	*next = nl ? e + 1 : n;
	if (e > i && s[e - 1] == '\r')
		e--;
	*eol = e;
}

/* The length of the field name the line [i, eol) begins with, spaces
 * before its colon included, 0 when it does not begin with one; *colon
 * where the colon is. */
static size_t field_name(const char *s, size_t i, size_t eol, size_t *colon)
{
	size_t j = i;
	while (j < eol && s[j] > ' ' && s[j] < 0x7f && s[j] != ':')
		j++;
	size_t name_end = j;
	while (j < eol && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (name_end == i || j >= eol || s[j] != ':')
		return 0;
	*colon = j;
	return name_end - i;
}

/* Whether a blank line follows i in s. */
static bool blank_ahead(const char *s, size_t n, size_t i)
{
	return memmem(s + i, n - i, "\n\n", 2) || memmem(s + i, n - i, "\n\r\n", 3);
}

/* Reads the headers at s into h; returns where the body begins. */
size_t mp_read_headers(ctx *c, const char *s, size_t n, hdrs *h)
{
	size_t i = 0, eol, next, colon;
	if (c->path_len == 0 && n >= 5 && memcmp(s, "From ", 5) == 0) /* an mbox line */
		line_at(s, n, 0, &eol, &i);
	bool first = true;
	int blank = -1; /* whether a blank line follows (-1: not looked yet) */
	while (i < n) {
		line_at(s, n, i, &eol, &next);
		if (eol == i)
			return next;
		size_t name_len = s[i] == ' ' || s[i] == '\t' ? 0 : field_name(s, i, eol, &colon);
		if (name_len == 0) {
			if (blank < 0 && !first)
				blank = blank_ahead(s, n, i);
			quoted line = mp_quote(s + i, eol - i);
			if (first || blank == 0) {
				mp_problem(
				    c,
				    "%s: the line '%s' is not a header and no blank line comes "
				    "before it; the body is read from there",
				    c->where, line.s);
				return i;
			}
			mp_problem(c,
			           "%s: the line '%s' among the headers is not a header (name: "
			           "value); it is skipped",
			           c->where, line.s);
			do /* with its folded lines */
				line_at(s, n, i = next, &eol, &next);
			while (i < n && (s[i] == ' ' || s[i] == '\t') && eol > i);
			continue;
		}
		size_t end = next;
		while (end < n && (s[end] == ' ' || s[end] == '\t'))
			line_at(s, n, end, &eol, &end); /* folded */
		on_header(c, h, s + i, name_len, s + colon + 1, end - colon - 1);
		i = end;
		first = false;
	}
	return n;
}

/* ---- header parameters (RFC 2045, RFC 2231) */

typedef struct param {
	char name[40];   /* lower case, without its section */
	int section;     /* -1: none */
	bool ext;        /* name*=: charset'language'%XX */
	size_t off, len; /* the value (unquoted) in params.store */
} param;

typedef struct params {
	param p[PARAMS_MAX];
	size_t n;
	mbuf store;
} params;

/* The name of a parameter (before '=') split into base, section, ext. */
static bool param_name(param *p, const char *s, size_t n)
{
	const char *star = memchr(s, '*', n);
	size_t base = star ? (size_t)(star - s) : n;
	if (base == 0 || base >= sizeof p->name)
		return false;
	memcpy(p->name, s, base);
	p->name[base] = '\0';
	mp_lower(p->name);
	p->section = -1;
	p->ext = false;
	if (!star)
		return true;
	size_t i = base + 1;
	if (i < n && s[i] >= '0' && s[i] <= '9') {
		int sec = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && sec < 100000)
			sec = sec * 10 + (s[i++] - '0');
		p->section = sec;
		if (i < n && s[i] == '*') {
			p->ext = true;
			i++;
		}
	} else {
		p->ext = true;
	}
	return i == n;
}

/* The parameters of v (after its first ';'). */
static void params_read(const char *v, params *ps)
{
	const char *s = strchr(v, ';');
	ps->n = 0;
	if (s == NULL)
		return;
	while (*s) {
		while (*s == ';' || *s == ' ' || *s == '\t')
			s++;
		size_t nl = strcspn(s, "=; \t");
		const char *name = s;
		s += nl;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s != '=') {
			s += strcspn(s, ";");
			continue;
		}
		s++;
		while (*s == ' ' || *s == '\t')
			s++;
		param p;
		bool ok = nl > 0 && param_name(&p, name, nl);
		p.off = ps->store.n;
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && s[1])
					s++;
				mbuf_putc(&ps->store, *s);
			}
			if (*s == '"')
				s++;
			s += strcspn(s, ";");
		} else {
			size_t k = strcspn(s, ";");
			size_t t = k;
			while (t > 0 && (s[t - 1] == ' ' || s[t - 1] == '\t'))
				t--;
			mbuf_put(&ps->store, s, t);
			s += k;
		}
		p.len = ps->store.n - p.off;
		if (ok && ps->n < PARAMS_MAX)
			ps->p[ps->n++] = p;
	}
}

static const param *param_find(const params *ps, const char *name, int section, int ext)
{
	for (size_t i = 0; i < ps->n; i++)
		if (ps->p[i].section == section && (ext < 0 || ps->p[i].ext == ext) &&
		    strcmp(ps->p[i].name, name) == 0)
			return &ps->p[i];
	return NULL;
}

static const char *param_value(const params *ps, const param *p)
{
	return ps->store.p ? ps->store.p + p->off : "";
}

/* An RFC 2231 value's charset'language' prefix: *cs and its length;
 * returns where the text begins (v itself when there is no prefix). */
static size_t ext_prefix(const char *v, size_t n, size_t *cs_len)
{
	const char *q1 = memchr(v, '\'', n);
	const char *q2 = q1 ? memchr(q1 + 1, '\'', n - (size_t)(q1 - v) - 1) : NULL;
	*cs_len = q2 ? (size_t)(q1 - v) : 0;
	return q2 ? (size_t)(q2 - v) + 1 : 0;
}

/* The value of the parameter name in UTF-8 into out: RFC 2231 (with its
 * charset and continuations) first, else the plain one with any RFC 2047
 * words (not standard, but what Outlook and Gmail write); false when
 * absent. */
static bool param_get(ctx *c, const params *ps, const char *name, const char *what, mbuf *out)
{
	/* the sections of name by number (a section past PARAMS_MAX cannot
	 * follow on from 0), or name*= alone in [0] */
	const param *sec[PARAMS_MAX] = {0};
	const param *single = param_find(ps, name, -1, 1);
	if (single)
		sec[0] = single;
	for (size_t i = 0; i < ps->n && !single; i++) {
		const param *p = &ps->p[i];
		if (p->section >= 0 && p->section < PARAMS_MAX && !sec[p->section] &&
		    strcmp(p->name, name) == 0)
			sec[p->section] = p;
	}
	if (sec[0] == NULL) {
		const param *p = param_find(ps, name, -1, 0);
		if (p == NULL)
			return false;
		mime_words_result r;
		mime_words(out, param_value(ps, p), p->len, &r);
		mp_words_problems(c, what, &r);
		return true;
	}
	mbuf raw = {0};
	char cs[48] = "";
	for (size_t k = 0; k < PARAMS_MAX && sec[k]; k++) {
		const char *v = param_value(ps, sec[k]);
		size_t n = sec[k]->len;
		if (sec[k]->ext && k == 0) {
			size_t cs_len, skip = ext_prefix(v, n, &cs_len);
			snprintf(cs, sizeof cs, "%.*s", (int)(cs_len < sizeof cs ? cs_len : 0), v);
			v += skip;
			n -= skip;
		}
		if (sec[k]->ext)
			mime_pct_decode(&raw, v, n);
		else
			mbuf_put(&raw, v, n);
	}
	mime_cs kind = mime_charset(cs, strlen(cs));
	if (kind == MIME_CS_UNKNOWN && mp_has_8bit(raw.p, raw.n))
		mp_problem(c, "%s: %s: unknown charset '%s'; read as UTF-8", c->where, what,
		           mp_quote_str(cs).s);
	size_t bad = mime_to_utf8(out, raw.p, raw.n, kind);
	if (bad && kind != MIME_CS_UNKNOWN)
		mp_problem(c, "%s: %s: %zu %s not valid %s (replaced by U+FFFD)", c->where, what,
		           bad, mp_bytes_are(bad), kind == MIME_CS_1252 ? "windows-1252" : "UTF-8");
	if (raw.oom)
		c->oom = true;
	mbuf_free(&raw);
	return true;
}

/* ---- what an entity is */

static bool token_char(char ch)
{
	return ch > ' ' && ch < 0x7f && !strchr("()<>@,;:\\\"/[]?=", ch);
}

/* The type/subtype at the head of v, lower case, into out; false when it
 * is not one. */
static bool media_type(const char *v, char *out, size_t cap)
{
	size_t n = strcspn(v, ";");
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	const char *slash = memchr(v, '/', n);
	if (slash == NULL || n >= cap || slash == v || (size_t)(slash - v) + 1 == n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (v + i != slash && !token_char(v[i]))
			return false;
	memcpy(out, v, n);
	out[n] = '\0';
	mp_lower(out);
	return true;
}

static void content_type(ctx *c, const char *v, ent *e, params *ps, mbuf *fname)
{
	if (!media_type(v, e->type, sizeof e->type)) {
		mp_problem(c, "%s: the Content-Type '%s' cannot be read; taken as text/plain",
		           c->where, mp_quote_str(v).s);
		e->type[0] = '\0';
	}
	params_read(v, ps);
	const param *p = param_find(ps, "charset", -1, 0);
	if (p)
		snprintf(e->charset, sizeof e->charset, "%.*s", (int)(p->len < 47 ? p->len : 47),
		         param_value(ps, p));
	p = param_find(ps, "format", -1, 0);
	e->flowed = p && p->len == 6 && strncasecmp(param_value(ps, p), "flowed", 6) == 0;
	p = param_find(ps, "delsp", -1, 0);
	e->delsp = p && p->len == 3 && strncasecmp(param_value(ps, p), "yes", 3) == 0;
	if ((p = param_find(ps, "boundary", -1, 0)) != NULL) {
		if (p->len == 0 || p->len > BOUNDARY_MAX)
			mp_problem(c, "%s: the boundary is %zu bytes long; it is not used",
			           c->where, p->len);
		else {
			memcpy(e->boundary, param_value(ps, p), p->len);
			e->boundary[p->len] = '\0';
			e->has_boundary = true;
		}
	}
	if (param_get(c, ps, "name", "the attachment's name", fname))
		e->filename = mp_take(c, fname);
}

static void disposition(ctx *c, const char *v, ent *e, params *ps, mbuf *fname)
{
	size_t n = strcspn(v, "; \t");
	e->attachment = n > 0 && !(n == 6 && strncasecmp(v, "inline", 6) == 0);
	params_read(v, ps);
	if (param_get(c, ps, "filename", "the attachment's name", fname)) {
		free(e->filename);
		e->filename = mp_take(c, fname);
	}
}

/* What the headers h say of the entity; digest_child: a part of a
 * multipart/digest, a message/rfc822 unless it says otherwise. */
void mp_entity_info(ctx *c, const hdrs *h, ent *e, bool digest_child)
{
	memset(e, 0, sizeof *e);
	params *ps = calloc(1, sizeof *ps);
	mbuf fname = {0};
	if (ps == NULL) {
		c->oom = true;
		return;
	}
	if (h->v[H_CTYPE])
		content_type(c, h->v[H_CTYPE], e, ps, &fname);
	else if (digest_child)
		snprintf(e->type, sizeof e->type, "message/rfc822");
	c->oom |= ps->store.oom;
	mbuf_free(&ps->store);
	if (h->v[H_CDISP])
		disposition(c, h->v[H_CDISP], e, ps, &fname);
	c->oom |= ps->store.oom || fname.oom;
	mbuf_free(&ps->store);
	mbuf_free(&fname);
	free(ps);
	if (h->v[H_CTE]) {
		snprintf(e->enc, sizeof e->enc, "%.*s", (int)strcspn(h->v[H_CTE], " \t;("),
		         h->v[H_CTE]);
		mp_lower(e->enc);
	}
}

/* ---- the top entity's headers */

/* An address as sigap keeps it: spaces out, a source route dropped, lower
 * case; NULL when it is not local@domain of printable characters. */
static char *address(ctx *c, const char *s, size_t n)
{
	mbuf b = {0};
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			mbuf_putc(&b, s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i]);
	char *a = mp_take(c, &b);
	if (a == NULL)
		return NULL;
	char *colon = strrchr(a, ':'); /* @relay,@relay:local@domain */
	if (colon && a[0] == '@')
		memmove(a, colon + 1, strlen(colon + 1) + 1);
	size_t len = strlen(a);
	char *at = strrchr(a, '@');
	bool ok = at && at != a && at[1] && len <= 254 && utf8_valid(a, len);
	for (const unsigned char *p = (const unsigned char *)a; ok && *p; p++)
		if (*p < 0x20 || *p == 0x7f || (*p == 0xC2 && p[1] < 0xA0) ||
		    strchr("<>()[],;:\\\"", *p))
			ok = false; /* C0 and C1 controls, specials */
	if (!ok) {
		free(a);
		return NULL;
	}
	return a;
}

/* A display name (raw phrase) decoded: RFC 2047 words, one line,
 * quotes around it dropped; NULL when empty. */
static char *display_name(ctx *c, const char *s, size_t n)
{
	mbuf w = {0}, line = {0};
	mime_words_result r;
	mime_words(&w, s, n, &r);
	mp_words_problems(c, "the sender's name", &r);
	mime_line_clean(&line, w.p ? w.p : "", w.n);
	if (w.oom)
		line.oom = true;
	mbuf_free(&w);
	char *name = mp_take(c, &line);
	size_t len = name ? strlen(name) : 0;
	if (len >= 2 && (name[0] == '\'' || name[0] == '"') && name[len - 1] == name[0]) {
		memmove(name, name + 1, len - 2);
		name[len - 2] = '\0';
		len -= 2;
	}
	if (name && len == 0) {
		free(name);
		name = NULL;
	}
	return name;
}

/* The first mailbox of a From value, split as it is read: the phrase
 * (quotes undone, comments left out), the first comment, the address in
 * angle brackets. */
typedef struct mailbox {
	mbuf phrase, comment, angle;
	bool angled;
} mailbox;

static void mailbox_read(const char *v, mailbox *mb)
{
	bool in_q = false, in_angle = false, comment_done = false;
	int depth = 0;
	for (const char *s = v; *s; s++) {
		char ch = *s;
		mbuf *to = in_angle ? &mb->angle : &mb->phrase;
		if (depth > 0) {
			if (ch == '\\' && s[1])
				ch = *++s;
			else if (ch == '(')
				depth++;
			else if (ch == ')' && --depth == 0)
				comment_done = comment_done || mb->comment.n > 0;
			if (depth > 0 && !comment_done && mb->comment.n < MIME_HEADER_MAX)
				mbuf_putc(&mb->comment, ch);
		} else if (in_q) {
			if (ch == '\\' && s[1])
				mbuf_putc(to, *++s);
			else if (ch == '"')
				in_q = false;
			else
				mbuf_putc(to, ch);
		} else if (ch == '"') {
			in_q = true;
		} else if (ch == '(') {
			depth = 1;
			if (mb->phrase.n && !in_angle)
				mbuf_putc(&mb->phrase, ' ');
		} else if (in_angle) {
			if (ch == '>')
				in_angle = false;
			else
				mbuf_putc(&mb->angle, ch);
		} else if (ch == '<' && !mb->angled) {
			in_angle = mb->angled = true;
		} else if ((ch == ',' || ch == ';') &&
		           (mb->angled ||
		            (mb->phrase.p && memchr(mb->phrase.p, '@', mb->phrase.n)))) {
			break; /* the next mailbox */
		} else if (ch == ':' && !mb->angled) {
			mb->phrase.n = 0; /* a group's name */
		} else {
			mbuf_putc(&mb->phrase, ch);
		}
	}
}

static void from_header(ctx *c, const char *v)
{
	mime_msg *m = c->m;
	mailbox mb = {0};
	mailbox_read(v, &mb);
	mbuf *addr = mb.angled ? &mb.angle : &mb.phrase;
	m->from_addr = address(c, addr->p ? addr->p : "", addr->n);
	if (m->from_addr == NULL)
		mp_problem(c, "the From header '%s' holds no address that can be read",
		           mp_quote_str(v).s);
	if (mb.angled && mb.phrase.n && !mp_all_space(mb.phrase.p, mb.phrase.n))
		m->from_name = display_name(c, mb.phrase.p, mb.phrase.n);
	else if (mb.comment.n)
		m->from_name = display_name(c, mb.comment.p, mb.comment.n);
	if (mb.phrase.oom || mb.comment.oom || mb.angle.oom)
		c->oom = true;
	mbuf_free(&mb.phrase);
	mbuf_free(&mb.comment);
	mbuf_free(&mb.angle);
}

/* The first message id of v without its angle brackets; NULL (a
 * problem) when there is none that can be read. */
static char *message_id(ctx *c, const char *v, const char *what)
{
	const char *s = strchr(v, '<');
	size_t n = s ? strcspn(++s, ">") : strcspn(s = v, " \t");
	bool ok = n > 0 && n <= 998;
	for (size_t i = 0; ok && i < n; i++)
		ok = s[i] > ' ' && s[i] < 0x7f && s[i] != '<';
	if (!ok) {
		mp_problem(c, "the %s header '%s' holds no message id that can be read", what,
		           mp_quote_str(v).s);
		return NULL;
	}
	char *id = strndup(s, n);
	if (id == NULL)
		c->oom = true;
	return id;
}

/* The keyword v begins with (before ';', a space or a comment), lower
 * case; NULL when empty. */
static char *keyword(ctx *c, const char *v)
{
	size_t n = strcspn(v, "; \t(");
	if (n == 0)
		return NULL;
	mbuf b = {0};
	mime_line_clean(&b, v, n);
	char *k = mp_take(c, &b);
	if (k)
		mp_lower(k);
	return k;
}

void mp_message_headers(ctx *c, const hdrs *h)
{
	mime_msg *m = c->m;
	if (h->v[H_FROM])
		from_header(c, h->v[H_FROM]);
	else
		mp_problem(c, "the message has no From header");
	if (h->v[H_SUBJECT]) {
		mbuf w = {0}, line = {0};
		mime_words_result r;
		mime_words(&w, h->v[H_SUBJECT], strlen(h->v[H_SUBJECT]), &r);
		mp_words_problems(c, "the Subject", &r);
		mime_line_clean(&line, w.p ? w.p : "", w.n);
		line.oom |= w.oom;
		mbuf_free(&w);
		if (line.n || line.oom)
			m->subject = mp_take(c, &line); /* else NULL: blank */
		mbuf_free(&line);
	}
	if (h->v[H_DATE] && !mime_date(h->v[H_DATE], &m->date)) {
		m->date = 0;
		mp_problem(c, "the Date header '%s' cannot be read", mp_quote_str(h->v[H_DATE]).s);
	}
	if (h->v[H_MSGID])
		m->message_id = message_id(c, h->v[H_MSGID], "Message-ID");
	if (h->v[H_IRT] && h->v[H_IRT][0])
		m->in_reply_to = message_id(c, h->v[H_IRT], "In-Reply-To");
	if (h->v[H_AUTOSUB])
		m->auto_submitted = keyword(c, h->v[H_AUTOSUB]);
	if (h->v[H_PREC])
		m->precedence = keyword(c, h->v[H_PREC]);
	m->list = h->v[H_LISTID] || h->v[H_LISTUNSUB];
	/* a delivery report's envelope sender is null (RFC 5321 4.5.5) */
	m->bounce = h->v[H_RETPATH] && strspn(h->v[H_RETPATH], "<> \t") == strlen(h->v[H_RETPATH]) &&
	            strchr(h->v[H_RETPATH], '<') != NULL;
	m->autoreply = h->v[H_XAUTOREPLY] || h->v[H_XAUTORESPOND];
}
