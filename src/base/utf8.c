/*
 * utf8.c: strict UTF-8 validation (see utf8.h), after the table in
 * RFC 3629 section 4. O(len).
 *
 * Most text sigap reads is ASCII, so utf8_valid skips eight ASCII bytes at
 * a time (one load and one mask) and decodes only what is left.
 */
#include <stdint.h>
#include <string.h>

#include "utf8.h"

size_t utf8_sequence(const char *str, size_t avail)
{
	const unsigned char *s = (const unsigned char *)str;
	if (avail == 0)
		return 0;
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
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
		return 0;
	}
	if (avail <= n)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i <= n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n + 1;
}

bool utf8_valid(const char *s, size_t len)
{
	const char *end = s + len;
	while (s < end) {
		uint64_t w;
		if (end - s >= 8 && (memcpy(&w, s, 8), (w & 0x8080808080808080u) == 0)) {
			s += 8;
			continue;
		}
		size_t n = utf8_sequence(s, (size_t)(end - s));
		if (n == 0)
			return false;
		s += n;
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
