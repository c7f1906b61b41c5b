/*
 * literal.c: a pattern that is nothing but a literal, read back as its
 * bytes, and a search for such bytes without case.
 *
 * sigma_value.c writes a plain Sigma string test (contains, startswith,
 * endswith, equality, no wildcard) as letters, digits and \xHH escapes
 * between an optional '^' and an optional '\z'. Those need no regular
 * expression engine: anchored.c finds the anchored ones by walking tries,
 * and the matcher tests a short one left out of the databases (compile.c's
 * "lazy" patterns: "\", "#", " -e") with lit_find instead of PCRE2, whose
 * set-up cost per call is many times the search. A rule's own regular
 * expression that is only a literal ("\n\n\n\n\n\n", "\.lnk") is read
 * the same way by literal_of_re, which also knows the escapes of single
 * characters and the bytes that stand for themselves. Caseless here is what
 * Hyperscan and PCRE2 do without UTF-8 mode: ASCII letters fold, other
 * bytes compare as they are.
 *
 * literal_strings reads a little more of sigma_value.c's writing: the
 * strings a test stands for when they are few, for literal_set.c. A "?"
 * wildcard is "." (any byte, dot-all), a windash dash
 * "(?:-|/|\xE2\x80[\x93-\x95])" five strings of one to three bytes; a
 * byte that is no metacharacter stands for itself, as in PCRE.
 */
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "detect/sigma/rules_int.h"


static bool alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The byte an escape "\c" stands for in PCRE syntax when it is one
 * byte (\n, \t, \r, \f, \e, \a, or a backslash before printable ASCII
 * that is not a letter or digit); -1 when it is anything else (a class
 * such as \s or \v, a back-reference, an octal or Unicode escape). */
static int escaped(char c)
{
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'f': return '\f';
	case 'e': return 0x1B;
	case 'a': return 0x07;
	}
	return c > ' ' && c < 0x7F && !alnum(c) ? c : -1;
}

/* A byte that stands for itself in a regular expression without the
 * extended flag: printable ASCII but the metacharacters. */
static bool plain_byte(char c)
{
	return c >= ' ' && c < 0x7F && strchr("\\^$.[]|()?*+{}", c) == NULL;
}

static size_t read_literal(const char *expr, unsigned char *out, bool *start, bool *end,
                           bool re)
{
	size_t n = strlen(expr), k = 0;
	*start = n > 0 && expr[0] == '^';
	*end = n >= 2 && expr[n - 2] == '\\' && expr[n - 1] == 'z';
	size_t i = *start ? 1 : 0, stop = *end ? n - 2 : n;
	while (i < stop) {
		char c = expr[i];
		int hi = i + 4 <= stop ? hex_digit_value((unsigned char)expr[i + 2]) : -1;
		int lo = hi >= 0 ? hex_digit_value((unsigned char)expr[i + 3]) : -1;
		if (alnum(c) || (re && plain_byte(c))) {
			out[k++] = (unsigned char)c;
			i++;
		} else if (c == '\\' && expr[i + 1] == 'x' && lo >= 0) {
			out[k++] = (unsigned char)(hi << 4 | lo);
			i += 4;
		} else if (re && c == '\\' && i + 2 <= stop && escaped(expr[i + 1]) >= 0) {
			out[k++] = (unsigned char)escaped(expr[i + 1]);
			i += 2;
		} else {
			return 0;
		}
	}
	return k;
}

size_t literal_of(const char *expr, unsigned char *out, bool *start, bool *end)
{
	return read_literal(expr, out, start, end, false);
}

size_t literal_of_re(const char *expr, unsigned char *out, bool *start, bool *end)
{
	return read_literal(expr, out, start, end, true);
}

/* ---- the few strings of a pattern ---- */

/* A string being built: len bytes, and for each whether it counts (0:
 * any byte stands there), in arrays of cap that double as they fill, so
 * that reading a long expression a byte at a time is linear. */
typedef struct building {
	unsigned char *bytes, *care;
	size_t len, cap;
} building;

typedef struct strings {
	building v[LIT_STRINGS_MAX];
	int n;
} strings;

static void strings_free(strings *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->v[i].bytes), free(s->v[i].care);
	s->n = 0;
}

static void append(building *b, const unsigned char *bytes, const unsigned char *care, size_t n)
{
	if (n == 0)
		return;
	if (b->len + n > b->cap) {
		b->cap = b->len + n > 2 * b->cap ? b->len + n : 2 * b->cap;
		b->bytes = realloc(b->bytes, b->cap);
		b->care = realloc(b->care, b->cap);
		if (b->bytes == NULL || b->care == NULL)
			abort();
	}
	memcpy(b->bytes + b->len, bytes, n);
	memcpy(b->care + b->len, care, n);
	b->len += n;
}

/* Each string of *s followed by each of choices (the product); false when
 * that is more than LIT_STRINGS_MAX strings. One choice is appended in
 * place; a product of several at least doubles the count, so it happens
 * at most six times an expression. */
static bool strings_times(strings *s, const strings *choices)
{
	if (s->n * choices->n > LIT_STRINGS_MAX)
		return false;
	if (choices->n == 1) {
		for (int i = 0; i < s->n; i++)
			append(&s->v[i], choices->v[0].bytes, choices->v[0].care, choices->v[0].len);
		return true;
	}
	strings out = {.n = 0};
	for (int i = 0; i < s->n; i++)
		for (int k = 0; k < choices->n; k++) {
			building *c = &out.v[out.n++];
			*c = (building){0};
			append(c, s->v[i].bytes, s->v[i].care, s->v[i].len);
			append(c, choices->v[k].bytes, choices->v[k].care, choices->v[k].len);
		}
	strings_free(s);
	*s = out;
	return true;
}

/* One string of no byte, to append to. */
static void no_byte(strings *c)
{
	c->n = 1;
	c->v[0] = (building){0};
}

/* One string of one byte (care: whether it counts) as the choices. */
static void one_byte(strings *c, unsigned char byte, bool care)
{
	unsigned char counts = care;
	no_byte(c);
	append(&c->v[0], &byte, &counts, 1);
}

/* The byte of a letter, a digit, \xHH or an escape of one byte ("\$",
 * "\.", "\n") at expr[*i] (moving past it); -1 when none stands there. */
static int plain_at(const char *expr, size_t *i)
{
	const char *p = expr + *i;
	if (alnum(*p)) {
		(*i)++;
		return (unsigned char)*p;
	}
	int hi = p[0] == '\\' && p[1] == 'x' && p[2] ? hex_digit_value((unsigned char)p[2]) : -1;
	int lo = hi >= 0 && p[3] ? hex_digit_value((unsigned char)p[3]) : -1;
	if (lo >= 0) {
		*i += 4;
		return hi << 4 | lo;
	}
	if (p[0] == '\\' && p[1] && escaped(p[1]) >= 0) {
		*i += 2;
		return escaped(p[1]);
	}
	return -1;
}

/* The unit at expr[*i] into choices: a byte, "." (dot-all only), a class
 * of bytes and ranges, or a group "(?:a|b)" of sequences of those (without
 * "." and groups). False when it is none of these or has too many. */
static bool unit_at(const char *expr, size_t *i, bool dotall, bool in_group, strings *c)
{
	int b = plain_at(expr, i);
	if (b < 0 && plain_byte(expr[*i])) /* windash's "-" and "/" */
		b = (unsigned char)expr[(*i)++];
	if (b >= 0) {
		one_byte(c, (unsigned char)b, true);
		return true;
	}
	if (expr[*i] == '.' && dotall && !in_group) {
		(*i)++;
		one_byte(c, 0, false);
		return true;
	}
	if (expr[*i] == '[') { /* bytes and ranges; not negated */
		(*i)++;
		c->n = 0;
		while (expr[*i] != ']') {
			int lo = plain_at(expr, i), hi = lo;
			if (lo >= 0 && expr[*i] == '-' && expr[*i + 1] != ']') {
				(*i)++;
				hi = plain_at(expr, i);
			}
			if (lo < 0 || hi < lo || c->n + (hi - lo + 1) > LIT_STRINGS_MAX) {
				strings_free(c);
				return false;
			}
			for (int x = lo; x <= hi; x++) {
				strings one;
				one_byte(&one, (unsigned char)x, true);
				c->v[c->n++] = one.v[0];
			}
		}
		(*i)++;
		return c->n > 0;
	}
	if (strncmp(expr + *i, "(?:", 3) == 0 && !in_group) {
		*i += 3;
		c->n = 0;
		for (;;) { /* one alternative: a sequence of bytes and classes */
			strings alt;
			no_byte(&alt);
			while (expr[*i] != '|' && expr[*i] != ')') {
				strings u = {.n = 0};
				bool ok = unit_at(expr, i, dotall, true, &u) && strings_times(&alt, &u);
				strings_free(&u);
				if (!ok) {
					strings_free(&alt);
					strings_free(c);
					return false;
				}
			}
			if (c->n + alt.n > LIT_STRINGS_MAX) {
				strings_free(&alt);
				strings_free(c);
				return false;
			}
			for (int k = 0; k < alt.n; k++)
				c->v[c->n++] = alt.v[k];
			if (expr[(*i)++] == ')')
				return true;
		}
	}
	return false;
}

int literal_strings(const char *expr, bool dotall, lit_string *out)
{
	strings s;
	no_byte(&s);
	size_t i = 0;
	while (expr[i]) {
		strings u = {.n = 0};
		bool ok = unit_at(expr, &i, dotall, false, &u) && strings_times(&s, &u);
		strings_free(&u);
		if (!ok) {
			strings_free(&s);
			return 0;
		}
	}
	for (int k = 0; k < s.n; k++)
		if (s.v[k].len == 0) { /* "(?:|a)": a string of no byte */
			strings_free(&s);
			return 0;
		}
	for (int k = 0; k < s.n; k++) { /* the bytes, then the care bytes */
		building *b = &s.v[k];
		out[k].len = b->len;
		if ((out[k].bytes = malloc(2 * b->len)) == NULL)
			abort();
		out[k].care = out[k].bytes + b->len;
		memcpy(out[k].bytes, b->bytes, b->len);
		memcpy(out[k].care, b->care, b->len);
	}
	int n = s.n;
	strings_free(&s);
	return n;
}

/* Whether the n bytes at v are the test's bytes from offset off on, in
 * its case rule. */
static inline bool same_at(const lit_test *l, const unsigned char *v, size_t off, size_t n)
{
	return l->cased ? memcmp(v, l->bytes + off, n) == 0 : lit_same(v, l->bytes + off, n);
}

bool lit_find(const lit_test *l, const char *value, size_t n)
{
	const unsigned char *v = (const unsigned char *)value;
	if (l->n > n)
		return false;
	if (l->start)
		return (!l->end || l->n == n) && same_at(l, v, 0, l->n);
	if (l->end)
		return same_at(l, v + n - l->n, 0, l->n);
	/* Candidates by the first byte: memchr when it has no case (or the
	 * test is cased), else a loop where c | 0x20 is the letter in either
	 * case. memchr rather than memmem, whose set-up costs more than these
	 * short values' search. */
	unsigned char first = l->bytes[0];
	const unsigned char *last = v + n - l->n, *at = v;
	if (l->cased || first < 'a' || first > 'z') {
		while (at <= last && (at = memchr(at, first, (size_t)(last - at) + 1)) != NULL) {
			if (same_at(l, at + 1, 1, l->n - 1))
				return true;
			at++;
		}
		return false;
	}
	for (; at <= last; at++)
		if ((*at | 0x20) == first && lit_same(at + 1, l->bytes + 1, l->n - 1))
			return true;
	return false;
}
