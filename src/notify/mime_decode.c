/*
 * mime_decode.c: the e-mail parser's decoders (see mime_decode.h).
 *
 * Every function here reads its input once, front to back, and writes
 * through an mbuf whose capacity doubles, so each is linear in its input.
 * The charsets are the ones a mailbox of an Indonesian local government
 * receives in practice: UTF-8, US-ASCII, and the Western legacy ones
 * (iso-8859-1 read as windows-1252, as mail clients and browsers do, so
 * Outlook's curly quotes and dashes come out right). Any other charset is
 * read as UTF-8, its bytes that are not replaced by U+FFFD.
 */
#include "mime_decode.h"
#include "base/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/civil.h"
#include "base/utf8.h"

/* ---- mbuf */

static bool mbuf_reserve(mbuf *b, size_t extra)
{
	if (b->oom)
		return false;
	if (extra > SIZE_MAX - b->n - 1) {
		b->oom = true;
		return false;
	}
	size_t need = b->n + extra + 1;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			b->oom = true;
			return false;
		}
		cap *= 2;
	}
	char *p = realloc(b->p, cap);
	if (p == NULL) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void mbuf_put(mbuf *b, const void *s, size_t n)
{
	if (n == 0 || !mbuf_reserve(b, n))
		return;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void mbuf_putc(mbuf *b, char ch)
{
	if (b->n + 2 > b->cap && !mbuf_reserve(b, 1))
		return;
	b->p[b->n++] = ch;
	b->p[b->n] = '\0';
}

void mbuf_put_cp(mbuf *b, uint32_t cp)
{
	char u[4];
	if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		cp = 0xFFFD;
	if (cp < 0x80) {
		mbuf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		mbuf_put(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		mbuf_put(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		mbuf_put(b, u, 4);
	}
}

void mbuf_free(mbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

char *mbuf_take(mbuf *b)
{
	if (b->oom) {
		mbuf_free(b);
		return NULL;
	}
	char *s = b->p;
	if (s == NULL && (s = strdup("")) == NULL)
		b->oom = true;
	b->p = NULL;
	b->n = b->cap = 0;
	return s;
}

void sink_put(mime_sink *k, const void *s, size_t n)
{
	k->size += n;
	if (k->over)
		return;
	if (n > k->cap - k->b.n) {
		k->over = true;
		mbuf_free(&k->b);
		return;
	}
	mbuf_put(&k->b, s, n);
}

/* ---- charsets */

mime_cs mime_charset(const char *name, size_t n)
{
	static const char *const utf8[] = {
	    "utf-8",     "utf8", "us-ascii",          "ascii", "ansi_x3.4-1968",
	    "iso646-us", "us",   "unicode-1-1-utf-8", ""};
	static const char *const w1252[] = {
	    "iso-8859-1",   "iso8859-1",  "iso_8859-1", "latin1",  "latin-1",
	    "l1",           "iso-ir-100", "cp819",      "ibm819",  "iso_8859-1:1987",
	    "windows-1252", "cp1252",     "x-cp1252",   "cp-1252", "win-1252"};
	while (n > 0 && (*name == ' ' || *name == '\t' || *name == '"')) {
		name++;
		n--;
	}
	while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t' || name[n - 1] == '"'))
		n--;
	char low[32];
	if (n >= sizeof low)
		return MIME_CS_UNKNOWN;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
	low[n] = '\0';
	for (size_t i = 0; i < sizeof utf8 / sizeof *utf8; i++)
		if (strcmp(low, utf8[i]) == 0)
			return MIME_CS_UTF8;
	for (size_t i = 0; i < sizeof w1252 / sizeof *w1252; i++)
		if (strcmp(low, w1252[i]) == 0)
			return MIME_CS_1252;
	return MIME_CS_UNKNOWN;
}

/* windows-1252's 0x80..0x9F; 0 where it has no character. */
static const uint16_t w1252_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* The length of the run of ASCII bytes at s. */
static size_t ascii_run(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (unsigned char)s[i] < 0x80)
		i++;
	return i;
}

size_t mime_to_utf8(mbuf *out, const char *s, size_t n, mime_cs cs)
{
	size_t bad = 0, i = 0;
	while (i < n) {
		size_t run = ascii_run(s + i, n - i);
		mbuf_put(out, s + i, run);
		i += run;
		if (i >= n)
			break;
		unsigned char c = (unsigned char)s[i];
		if (cs == MIME_CS_1252) {
			uint32_t cp = c >= 0xA0 ? c : w1252_hi[c - 0x80];
			bad += cp == 0;
			mbuf_put_cp(out, cp ? cp : 0xFFFD);
			i++;
			continue;
		}
		size_t k = utf8_sequence(s + i, n - i);
		if (k == 0) {
			bad++;
			mbuf_put_cp(out, 0xFFFD);
			i++;
		} else {
			mbuf_put(out, s + i, k);
			i += k;
		}
	}
	return bad;
}

/* ---- base64 and quoted-printable */

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* The bytes of an incomplete quantum (have sextets in acc). */
static size_t b64_tail(uint32_t acc, int have, unsigned char *o, mime_dec_result *r)
{
	if (have == 1)
		r->partial = true;
	if (have == 2) {
		o[0] = (unsigned char)(acc >> 4);
		return 1;
	}
	if (have == 3) {
		o[0] = (unsigned char)(acc >> 10);
		o[1] = (unsigned char)(acc >> 2);
		return 2;
	}
	return 0;
}

mime_dec_result mime_base64(const char *s, size_t n, mime_sink *k)
{
	mime_dec_result r = {0};
	unsigned char out[4096];
	size_t o = 0;
	uint32_t acc = 0;
	int have = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int v = b64_value(c);
		if (o > sizeof out - 8) {
			sink_put(k, out, o);
			o = 0;
		}
		if (v >= 0) {
			/* after padding too: blocks encoded apart, then joined */
			acc = acc << 6 | (uint32_t)v;
			if (++have == 4) {
				out[o++] = (unsigned char)(acc >> 16);
				out[o++] = (unsigned char)(acc >> 8);
				out[o++] = (unsigned char)acc;
				acc = 0;
				have = 0;
			}
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			continue;
		} else if (c == '=') {
			o += b64_tail(acc, have, out + o, &r);
			acc = 0;
			have = 0;
		} else {
			r.bad = true;
			r.bad_at = i;
			break;
		}
	}
	o += b64_tail(acc, have, out + o, &r);
	sink_put(k, out, o);
	return r;
}

/* One line's content (no line end, no soft break) of quoted-printable. */
static void qp_line(const char *s, size_t from, size_t to, mime_sink *k, mime_dec_result *r)
{
	unsigned char out[1024];
	size_t o = 0;
	for (size_t i = from; i < to; i++) {
		unsigned char c = (unsigned char)s[i];
		int h, l;
		if (c == '=' && i + 2 < to && (h = hex_digit_value((unsigned char)s[i + 1])) >= 0 &&
		    (l = hex_digit_value((unsigned char)s[i + 2])) >= 0) {
			out[o++] = (unsigned char)(h << 4 | l);
			i += 2;
		} else {
			if (c == '=' && !r->bad) {
				r->bad = true;
				r->bad_at = i;
			}
			out[o++] = c;
		}
		if (o == sizeof out) {
			sink_put(k, out, o);
			o = 0;
		}
	}
	sink_put(k, out, o);
}

mime_dec_result mime_qp(const char *s, size_t n, mime_sink *k)
{
	mime_dec_result r = {0};
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) : n;
		size_t le = end;
		bool crlf = le > i && s[le - 1] == '\r';
		if (crlf)
			le--;
		while (le > i && (s[le - 1] == ' ' || s[le - 1] == '\t'))
			le--;
		bool soft = le > i && s[le - 1] == '=';
		if (soft)
			le--;
		qp_line(s, i, le, k, &r);
		if (nl && !soft)
			sink_put(k, crlf ? "\r\n" : "\n", crlf ? 2 : 1);
		i = nl ? end + 1 : n;
	}
	return r;
}

/* ---- RFC 2047 encoded words */

typedef struct word {
	size_t len;       /* of the whole word, "=?" to "?=" */
	char cs[48];      /* its charset, language dropped */
	char enc;         /* 'B' or 'Q' */
	const char *text; /* the encoded text */
	size_t text_len;
} word;

enum { WORD_TEXT_MAX = 1024 };

/* Whether s (n bytes, beginning "=?") begins an encoded word. */
static bool parse_word(const char *s, size_t n, word *w)
{
	size_t j = 2, cs = 0;
	while (j < n && s[j] != '?') {
		unsigned char c = (unsigned char)s[j];
		if (c <= ' ' || c >= 0x7f || cs + 1 >= sizeof w->cs)
			return false;
		w->cs[cs++] = (char)c;
		j++;
	}
	w->cs[cs] = '\0';
	char *star = strchr(w->cs, '*');
	if (star)
		*star = '\0';
	if (cs == 0 || j + 2 >= n || s[j + 2] != '?')
		return false;
	char e = s[j + 1];
	if (e != 'B' && e != 'b' && e != 'Q' && e != 'q')
		return false;
	w->enc = (char)(e & ~0x20);
	size_t t = j + 3, end = t;
	while (end < n && end - t <= WORD_TEXT_MAX && s[end] != '?') {
		unsigned char c = (unsigned char)s[end];
		if (c <= ' ' || c >= 0x7f)
			return false;
		end++;
	}
	if (end + 1 >= n || s[end] != '?' || s[end + 1] != '=')
		return false;
	w->text = s + t;
	w->text_len = end - t;
	w->len = end + 2;
	return true;
}

static void word_decode(const word *w, mime_sink *k)
{
	if (w->enc == 'B') {
		mime_base64(w->text, w->text_len, k);
		return;
	}
	for (size_t i = 0; i < w->text_len; i++) {
		unsigned char c = (unsigned char)w->text[i];
		int h, l;
		if (c == '_') {
			c = ' ';
		} else if (c == '=' && i + 2 < w->text_len &&
		           (h = hex_digit_value((unsigned char)w->text[i + 1])) >= 0 &&
		           (l = hex_digit_value((unsigned char)w->text[i + 2])) >= 0) {
			c = (unsigned char)(h << 4 | l);
			i += 2;
		}
		sink_put(k, &c, 1);
	}
}

/* The decoded bytes held in pend (charset cs) into out. */
static void words_flush(mbuf *out, mime_sink *pend, const char *cs, mime_words_result *r)
{
	if (pend->b.n == 0)
		return;
	mime_cs kind = mime_charset(cs, strlen(cs));
	if (kind == MIME_CS_UNKNOWN && r->unknown_cs[0] == '\0' &&
	    ascii_run(pend->b.p, pend->b.n) < pend->b.n)
		snprintf(r->unknown_cs, sizeof r->unknown_cs, "%s", cs);
	r->bad_bytes += mime_to_utf8(out, pend->b.p, pend->b.n, kind);
	pend->b.n = 0;
}

static bool all_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

void mime_words(mbuf *out, const char *s, size_t n, mime_words_result *r)
{
	memset(r, 0, sizeof *r);
	mime_sink pend = {.cap = SIZE_MAX};
	char cs[48] = "";
	size_t raw = 0, i = 0;
	bool last_word = false;
	word w;
	while (i + 1 < n) {
		if (s[i] != '=' || s[i + 1] != '?' || !parse_word(s + i, n - i, &w)) {
			i++;
			continue;
		}
		if (!last_word || !all_space(s + raw, i - raw)) {
			words_flush(out, &pend, cs, r);
			r->bad_bytes += mime_to_utf8(out, s + raw, i - raw, MIME_CS_UTF8);
		}
		if (strcasecmp(cs, w.cs) != 0)
			words_flush(out, &pend, cs, r);
		memcpy(cs, w.cs, sizeof cs);
		word_decode(&w, &pend);
		i += w.len;
		raw = i;
		last_word = true;
	}
	words_flush(out, &pend, cs, r);
	r->bad_bytes += mime_to_utf8(out, s + raw, n - raw, MIME_CS_UTF8);
	if (pend.b.oom)
		out->oom = true;
	mbuf_free(&pend.b);
}

void mime_pct_decode(mbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (s[i] == '%' && i + 2 < n && (h = hex_digit_value((unsigned char)s[i + 1])) >= 0 &&
		    (l = hex_digit_value((unsigned char)s[i + 2])) >= 0) {
			mbuf_putc(out, (char)(h << 4 | l));
			i += 2;
		} else {
			mbuf_putc(out, s[i]);
		}
	}
}
