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
 * set-up cost per call is many times the search. Caseless here is what
 * Hyperscan and PCRE2 do without UTF-8 mode: ASCII letters fold, other
 * bytes compare as they are.
 */
#include <string.h>

#include "detect/sigma/rules_int.h"

static int hex(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	                              : -1;
}

size_t literal_of(const char *expr, unsigned char *out, bool *start, bool *end)
{
	size_t n = strlen(expr), k = 0;
	*start = n > 0 && expr[0] == '^';
	*end = n >= 2 && expr[n - 2] == '\\' && expr[n - 1] == 'z';
	size_t i = *start ? 1 : 0, stop = *end ? n - 2 : n;
	while (i < stop) {
		char c = expr[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			out[k++] = (unsigned char)c;
			i++;
		} else if (c == '\\' && i + 4 <= stop && expr[i + 1] == 'x' &&
		           hex(expr[i + 2]) >= 0 && hex(expr[i + 3]) >= 0) {
			out[k++] = (unsigned char)(hex(expr[i + 2]) << 4 | hex(expr[i + 3]));
			i += 4;
		} else {
			return 0;
		}
	}
	return k;
}

bool lit_find(const lit_test *l, const char *value, size_t n)
{
	const unsigned char *v = (const unsigned char *)value;
	if (l->n > n)
		return false;
	if (l->start)
		return (!l->end || l->n == n) && lit_same(v, l->bytes, l->n);
	if (l->end)
		return lit_same(v + n - l->n, l->bytes, l->n);
	/* Candidates by the first byte: memchr when it has no case, else a
	 * loop where c | 0x20 is the letter in either case. */
	unsigned char first = l->bytes[0];
	const unsigned char *last = v + n - l->n, *at = v;
	if (first < 'a' || first > 'z') {
		while (at <= last && (at = memchr(at, first, (size_t)(last - at) + 1)) != NULL) {
			if (lit_same(at + 1, l->bytes + 1, l->n - 1))
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
