/*
 * test_utf8.c: strict UTF-8 validation: the sequences RFC 3629 allows and
 * the ones it does not (overlongs, surrogates, above U+10FFFF, cut short),
 * one sequence alone (utf8_sequence), and whole strings checked against a
 * byte-at-a-time reading of the RFC's table at every length and offset,
 * for the eight-byte ASCII skip of utf8_valid.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

/* RFC 3629's table read a byte at a time: the reference. */
static bool reference_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t more;
		unsigned lo = 0x80, hi = 0xBF;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			more = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			more = 2;
			lo = c == 0xE0 ? 0xA0 : 0x80;
			hi = c == 0xED ? 0x9F : 0xBF;
		} else if (c >= 0xF0 && c <= 0xF4) {
			more = 3;
			lo = c == 0xF0 ? 0x90 : 0x80;
			hi = c == 0xF4 ? 0x8F : 0xBF;
		} else {
			return false;
		}
		if (n - i <= more || s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t k = 2; k <= more; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return false;
		i += more + 1;
	}
	return true;
}

static void sequences(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t len; /* of the sequence; 0: not one */
	} cases[] = {
		{"a", 1},
		{"\x7F", 1},
		{"\xC3\xA9", 2},
		{"\xDF\xBF", 2},
		{"\xE0\xA0\x80", 3},
		{"\xE2\x82\xAC", 3},
		{"\xED\x9F\xBF", 3},
		{"\xEF\xBF\xBF", 3},
		{"\xF0\x90\x80\x80", 4},
		{"\xF4\x8F\xBF\xBF", 4},
		{"\x80", 0},             /* a continuation byte alone */
		{"\xC0\xAF", 0},         /* overlong '/' */
		{"\xC1\xBF", 0},         /* overlong */
		{"\xE0\x9F\xBF", 0},     /* overlong */
		{"\xED\xA0\x80", 0},     /* a UTF-16 surrogate */
		{"\xF0\x8F\xBF\xBF", 0}, /* overlong */
		{"\xF4\x90\x80\x80", 0}, /* above U+10FFFF */
		{"\xF5\x80\x80\x80", 0},
		{"\xFF", 0},
		{"\xC3(", 0},            /* a continuation missing */
		{"\xE2\x82(", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = strlen(cases[i].s);
		assert_int_equal(utf8_sequence(cases[i].s, n), cases[i].len);
		assert_int_equal(utf8_valid(cases[i].s, n), cases[i].len == n);
		/* cut short, a sequence is none */
		if (cases[i].len > 1)
			assert_int_equal(utf8_sequence(cases[i].s, cases[i].len - 1), 0);
	}
	assert_int_equal(utf8_sequence("a", 0), 0);
	assert_true(utf8_valid("", 0));
}

/* Strings of mostly ASCII with one or two other bytes anywhere: the
 * eight-byte skip agrees with the reference at every length and place,
 * and reads nothing past the string (a sanitizer build checks that). */
static void every_offset(void **state)
{
	(void)state;
	static const char *const others[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xC3",
					      "\xED\xA0\x80", "\x80", "\xFF", "\xF4\x90\x80\x80"};
	size_t checked = 0, valid = 0;
	for (size_t o = 0; o < sizeof others / sizeof others[0]; o++)
		for (size_t n = 0; n <= 24; n++)
			for (size_t k = 0; k <= n; k++) {
				size_t ol = strlen(others[o]), len = n + ol;
				unsigned char *s = malloc(len);
				memset(s, 'x', len);
				memcpy(s + k, others[o], ol);
				bool want = reference_valid(s, len);
				assert_int_equal(utf8_valid((const char *)s, len), want);
				/* cut anywhere */
				for (size_t cut = 0; cut <= len; cut++)
					assert_int_equal(utf8_valid((const char *)s, cut), reference_valid(s, cut));
				checked++;
				valid += want;
				free(s);
			}
	assert_true(valid > 0 && valid < checked);
	/* random bytes, half of them ASCII */
	srand(7);
	for (int i = 0; i < 20000; i++) {
		unsigned char s[40];
		size_t len = (size_t)rand() % sizeof s;
		for (size_t k = 0; k < len; k++)
			s[k] = (unsigned char)(rand() % 2 ? rand() % 0x80 : 0x80 + rand() % 0x80);
		assert_int_equal(utf8_valid((const char *)s, len), reference_valid(s, len));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sequences),
		cmocka_unit_test(every_offset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
