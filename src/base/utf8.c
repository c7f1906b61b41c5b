/*
 * utf8.c: strict UTF-8 validation (see utf8.h), after the table in
 * RFC 3629 section 4. O(len).
 */
#include "utf8.h"

bool utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;
	while (s < end) {
		unsigned c = *s;
		if (c < 0x80) {
			s++;
			continue;
		}
		size_t n;
		unsigned lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			if (c == 0xE0) lo = 0xA0;
			if (c == 0xED) hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			if (c == 0xF0) lo = 0x90;
			if (c == 0xF4) hi = 0x8F;
		} else {
			return false;
		}
		if ((size_t)(end - s) <= n)
			return false;
		if (s[1] < lo || s[1] > hi)
			return false;
		for (size_t i = 2; i <= n; i++)
			if (s[i] < 0x80 || s[i] > 0xBF)
				return false;
		s += n + 1;
	}
	return true;
}

size_t utf8_length(const char *str)
{
	size_t n = 0;
	for (const unsigned char *s = (const unsigned char *)str; *s; s++)
		if ((*s & 0xC0) != 0x80)
			n++;
	return n;
}
