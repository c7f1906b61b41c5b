/*
 * sigma_value.c: what a Sigma value with its modifiers tests, as regular
 * expressions for Hyperscan (and PCRE2).
 *
 * A plain value is a case-insensitive match of the whole field with the
 * wildcards '*' (any run) and '?' (one character); '\' escapes '*', '?'
 * and itself, and is literal before anything else (so C:\Windows needs
 * no escaping). contains / startswith / endswith lift the anchors;
 * windash lets a dash that starts a word be any of - / – — ―; utf16le,
 * utf16be, utf16 (BOM) and wide re-encode the text, base64 and
 * base64offset encode it (one or three patterns, matched with case);
 * re passes the expression through with its i, m, s flags.
 * Every literal byte that is not a letter or digit is written as \xHH,
 * so no value can inject regular-expression syntax.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "detect/sigma/rules_int.h"

int value_parse_mods(const char *mods, value_mods *m, char *err, size_t errn)
{
	memset(m, 0, sizeof *m);
	const char *p = mods;
	while (*p) {
		const char *e = strchr(p, '|');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char w[32];
		if (n == 0 || n >= sizeof w) {
			snprintf(err, errn, "empty or too long modifier in '%s'", mods);
			return -1;
		}
		memcpy(w, p, n);
		w[n] = '\0';
		if (strcmp(w, "contains") == 0)
			m->contains = true;
		else if (strcmp(w, "startswith") == 0)
			m->startswith = true;
		else if (strcmp(w, "endswith") == 0)
			m->endswith = true;
		else if (strcmp(w, "all") == 0)
			m->all = true;
		else if (strcmp(w, "re") == 0)
			m->re = true;
		else if (strcmp(w, "i") == 0)
			m->re_i = true;
		else if (strcmp(w, "m") == 0)
			m->re_m = true;
		else if (strcmp(w, "s") == 0)
			m->re_s = true;
		else if (strcmp(w, "cased") == 0)
			m->cased = true;
		else if (strcmp(w, "windash") == 0)
			m->windash = true;
		else if (strcmp(w, "base64") == 0)
			m->base64 = true;
		else if (strcmp(w, "base64offset") == 0)
			m->base64offset = true;
		else if (strcmp(w, "utf16le") == 0 || strcmp(w, "wide") == 0)
			m->utf16 = 1;
		else if (strcmp(w, "utf16be") == 0)
			m->utf16 = 2;
		else if (strcmp(w, "utf16") == 0)
			m->utf16 = 3;
		else if (strcmp(w, "cidr") == 0)
			m->cidr = true;
		else if (strcmp(w, "exists") == 0)
			m->exists = true;
		else if (strcmp(w, "fieldref") == 0)
			m->fieldref = true;
		else if (strcmp(w, "neq") == 0)
			m->neq = true;
		else if (strcmp(w, "gt") == 0)
			m->numeric = true, m->cmp = CMP_GT;
		else if (strcmp(w, "gte") == 0)
			m->numeric = true, m->cmp = CMP_GTE;
		else if (strcmp(w, "lt") == 0)
			m->numeric = true, m->cmp = CMP_LT;
		else if (strcmp(w, "lte") == 0)
			m->numeric = true, m->cmp = CMP_LTE;
		else if (strcmp(w, "expand") == 0)
			m->expand = true;
		else {
			snprintf(err, errn, "unknown modifier '%s'", w);
			return -1;
		}
		p += n;
		if (*p == '|')
			p++;
	}
	if ((m->re_i || m->re_m || m->re_s) && !m->re) {
		snprintf(err, errn, "modifiers i, m and s need re");
		return -1;
	}
	if (m->re && (m->contains || m->startswith || m->endswith || m->windash || m->base64 ||
	              m->base64offset)) {
		snprintf(err, errn, "re cannot be combined with string modifiers");
		return -1;
	}
	if (m->base64 && m->base64offset) {
		snprintf(err, errn, "base64 and base64offset exclude each other");
		return -1;
	}
	return 0;
}

/* A value as a sequence of units: a literal byte, any run, one char,
 * or a dash of windash. */
enum { U_STAR = 256, U_ONE, U_DASH };

static int *units_of(const char *v, size_t *n_out, const value_mods *m)
{
	size_t n = strlen(v), k = 0;
	int *u = malloc((n + 1) * sizeof *u);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v[i];
		if (ch == '\\' && (v[i + 1] == '*' || v[i + 1] == '?' || v[i + 1] == '\\'))
			u[k++] = (unsigned char)v[++i];
		else if (ch == '*')
			u[k++] = U_STAR;
		else if (ch == '?')
			u[k++] = U_ONE;
		else
			u[k++] = ch;
	}
	if (m->windash) {
		/* A dash or slash that starts a word: after a non-word byte (or
		 * at the start) and before a word byte. Also the three long
		 * dashes in UTF-8 (E2 80 93/94/95), which take three units. */
		for (size_t i = 0; i < k; i++) {
			bool before =
			    i == 0 || (u[i - 1] < 256 &&
			               !(u[i - 1] == '_' || u[i - 1] >= 0x80 ||
			                 (u[i - 1] >= '0' && u[i - 1] <= '9') ||
			                 ((u[i - 1] | 0x20) >= 'a' && (u[i - 1] | 0x20) <= 'z')));
			size_t len = 0;
			if (u[i] == '-' || u[i] == '/')
				len = 1;
			else if (u[i] == 0xE2 && i + 2 < k && u[i + 1] == 0x80 &&
			         (u[i + 2] == 0x93 || u[i + 2] == 0x94 || u[i + 2] == 0x95))
				len = 3;
			if (len == 0 || !before || i + len >= k || u[i + len] >= 256)
				continue;
			int nx = u[i + len];
			bool word = nx == '_' || (nx >= '0' && nx <= '9') ||
			            ((nx | 0x20) >= 'a' && (nx | 0x20) <= 'z');
			if (!word)
				continue;
			u[i] = U_DASH;
			if (len == 3) {
				memmove(u + i + 1, u + i + 3, (k - i - 3) * sizeof *u);
				k -= 2;
			}
		}
	}
	*n_out = k;
	return u;
}

static void lit(buf *b, int ch)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
		buf_putc(b, (char)ch);
	else
		buf_printf(b, "\\x%02X", ch);
}

/* One pattern from units [0, n): anchored unless contains/startswith/
 * endswith lift an end, and leading/trailing '*' lift it too. */
static char *regex_of(arena *a, const int *u, size_t n, bool anchor_start, bool anchor_end)
{
	size_t s = 0, e = n;
	while (s < e && u[s] == U_STAR)
		s++, anchor_start = false;
	while (e > s && u[e - 1] == U_STAR)
		e--, anchor_end = false;
	buf b = BUF_INIT;
	if (anchor_start)
		buf_puts(&b, "^");
	for (size_t i = s; i < e; i++) {
		if (u[i] == U_STAR)
			buf_puts(&b, ".*");
		else if (u[i] == U_ONE)
			buf_puts(&b, ".");
		else if (u[i] == U_DASH)
			buf_puts(&b, "(?:-|/|\\xE2\\x80[\\x93-\\x95])");
		else
			lit(&b, u[i]);
	}
	if (anchor_end)
		buf_puts(&b, "\\z");
	char *out = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return out;
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t b64(const unsigned char *in, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v =
		    in[i] << 16 | (i + 1 < n ? in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
		out[o++] = B64[v >> 18 & 63];
		out[o++] = B64[v >> 12 & 63];
		out[o++] = i + 1 < n ? B64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? B64[v & 63] : '=';
	}
	out[o] = '\0';
	return o;
}

/* The bytes of the value after the utf16 modifiers (wildcards are taken
 * literally once a value is to be encoded). */
static unsigned char *encoded_bytes(const int *u, size_t n, int utf16, size_t *out_n)
{
	unsigned char *o = malloc(n * 2 + 3);
	size_t k = 0;
	if (utf16 == 3)
		o[k++] = 0xFF, o[k++] = 0xFE;
	for (size_t i = 0; i < n; i++) {
		int ch = u[i] == U_STAR ? '*' : u[i] == U_ONE ? '?' : u[i] == U_DASH ? '-' : u[i];
		if (utf16 == 2)
			o[k++] = 0;
		o[k++] = (unsigned char)ch;
		if (utf16 == 1 || utf16 == 3)
			o[k++] = 0;
	}
	*out_n = k;
	return o;
}

static int push(arena *a, char ***out, int *n, char *expr)
{
	char **grown = arena_alloc(a, (size_t)(*n + 1) * sizeof *grown);
	if (*n)
		memcpy(grown, *out, (size_t)*n * sizeof *grown);
	grown[(*n)++] = expr;
	*out = grown;
	return *n;
}

int value_patterns(arena *a, const char *value, const value_mods *m, char ***out, char *err,
                   size_t errn)
{
	int count = 0;
	*out = NULL;
	if (m->re) {
		push(a, out, &count, arena_strdup(a, value));
		return count;
	}
	size_t n;
	int *u = units_of(value, &n, m);
	bool start = !(m->contains || m->endswith), end = !(m->contains || m->startswith);
	if (m->base64 || m->base64offset) {
		size_t bn;
		unsigned char *bytes = encoded_bytes(u, n, m->utf16, &bn);
		if (bn == 0) {
			free(bytes);
			free(u);
			snprintf(err, errn, "empty value for base64");
			return -1;
		}
		char *enc = malloc(bn * 2 + 8);
		unsigned char *shifted = malloc(bn + 2);
		int shifts = m->base64offset ? 3 : 1;
		for (int s = 0; s < shifts; s++) {
			/* Shifted by s bytes; the characters that depend on the
			 * unknown neighbours are cut off (the standard recipe). */
			memset(shifted, 0, (size_t)s);
			memcpy(shifted + s, bytes, bn);
			size_t en = b64(shifted, bn + (size_t)s, enc), from = 0, to = en;
			if (m->base64offset) {
				static const size_t cut_start[] = {0, 2, 3};
				static const size_t cut_end[] = {0, 3, 2}; /* by (bn + s) % 3 */
				from = cut_start[s];
				size_t rem = (bn + (size_t)s) % 3;
				to = en - (rem == 0 ? 0 : cut_end[rem]);
			}
			if (to <= from)
				continue;
			int *eu = malloc((to - from) * sizeof *eu);
			for (size_t i = from; i < to; i++)
				eu[i - from] = (unsigned char)enc[i];
			push(a, out, &count,
			     regex_of(a, eu, to - from, start && !m->base64offset,
			              end && !m->base64offset));
			free(eu);
		}
		free(shifted);
		free(enc);
		free(bytes);
		free(u);
		if (count == 0) {
			snprintf(err, errn, "value too short for base64offset");
			return -1;
		}
		return count;
	}
	if (m->utf16) {
		size_t bn;
		unsigned char *bytes = encoded_bytes(u, n, m->utf16, &bn);
		int *eu = malloc((bn + 1) * sizeof *eu);
		for (size_t i = 0; i < bn; i++)
			eu[i] = bytes[i];
		push(a, out, &count, regex_of(a, eu, bn, start, end));
		free(eu);
		free(bytes);
	} else {
		push(a, out, &count, regex_of(a, u, n, start, end));
	}
	free(u);
	return count;
}
