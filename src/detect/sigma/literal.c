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
 */
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
