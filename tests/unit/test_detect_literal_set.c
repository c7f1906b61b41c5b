/*
 * test_detect_literal_set.c: the literal sets (literal_set.c) find what
 * Hyperscan finds for the same strings, and literal_strings reads the
 * strings sigma_value.c's tests stand for. The sets replace Hyperscan for
 * the thousands of command-line literals of SigmaHQ's rules; a string the
 * set missed would be a detection lost without a word, so the property is
 * checked against Hyperscan itself over random sets and values built to
 * hold, nearly hold and straddle their strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hs/hs.h>

#include "detect/sigma/rules_int.h"

static unsigned seed = 4242;
static unsigned rnd(unsigned n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 16) % n;
}

/* Bytes the strings and values are made of: few, so that windows repeat
 * and collide; both cases of two letters, the bytes of a UTF-8 dash, a
 * NUL, and the bytes Hyperscan's syntax would read as metacharacters. */
static const unsigned char ALPHABET[] = {'a', 'b', 'A', 'B', '-', '/', 0xE2, 0x80,
                                         0x93, 0,   '.', '\\', '[', '*', 'z'};

enum { SPECS_MAX = 400, STR_MAX = 24 };

typedef struct string {
	unsigned char bytes[STR_MAX], care[STR_MAX];
	size_t len;
} string;

/* The expression Hyperscan is given for a string: each byte that counts
 * as \xHH, each other as "." (with dot-all). */
static void expression(const string *s, char *out)
{
	char *p = out;
	for (size_t k = 0; k < s->len; k++)
		p += s->care[k] ? sprintf(p, "\\x%02X", s->bytes[k]) : sprintf(p, ".");
	*p = '\0';
}

static void on_set(void *ctx, int id)
{
	((unsigned char *)ctx)[id] = 1;
}

static int on_hs(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                 void *ctx)
{
	(void)from, (void)to, (void)flags;
	((unsigned char *)ctx)[id] = 1;
	return 0;
}

/* A value: pieces of the set's strings (whole, cut short, with a byte
 * changed or its case flipped) and bytes of the alphabet. */
static size_t value_of(const string *strs, int n, unsigned char *out, size_t cap)
{
	size_t len = 0, want = rnd(3) == 0 ? rnd(4) : rnd(80);
	while (len < want && len + STR_MAX < cap) {
		if (rnd(2)) {
			out[len++] = ALPHABET[rnd(sizeof ALPHABET)];
			continue;
		}
		const string *s = &strs[rnd((unsigned)n)];
		size_t take = rnd(4) == 0 ? rnd((unsigned)s->len + 1) : s->len;
		for (size_t k = 0; k < take; k++) {
			unsigned char c = s->care[k] ? s->bytes[k] : ALPHABET[rnd(sizeof ALPHABET)];
			if (rnd(3) == 0 && c >= 'a' && c <= 'z')
				c = (unsigned char)(c - 32);
			else if (rnd(3) == 0 && c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
			out[len++] = c;
		}
		if (rnd(8) == 0 && len > 0)
			out[len - 1 - rnd((unsigned)len)] = ALPHABET[rnd(sizeof ALPHABET)];
	}
	return len;
}

/* Property: over random sets (each string of a pattern, a pattern of one
 * to three strings, cased or not, some bytes not counting), the patterns a
 * set finds in a value are exactly those Hyperscan finds. */
static void set_finds_what_hyperscan_finds(void **state)
{
	(void)state;
	int sets = 0, values = 0, found = 0, crowded = 0;
	for (int round = 0; round < 60; round++) { /* Hyperscan's compiles take the time */
		int n_patterns = 1 + (int)rnd(round % 4 == 0 ? SPECS_MAX / 3 : 12);
		string strs[SPECS_MAX];
		lit_spec specs[SPECS_MAX];
		bool cased[SPECS_MAX];
		int first[SPECS_MAX]; /* a pattern's first string */
		const char *exprs[SPECS_MAX];
		char exprbuf[SPECS_MAX][STR_MAX * 4 + 1];
		unsigned flags[SPECS_MAX], ids[SPECS_MAX];
		int n = 0;
		for (int p = 0; p < n_patterns; p++) {
			cased[p] = rnd(4) == 0;
			first[p] = n;
			for (int k = 1 + (int)rnd(3); k > 0 && n < SPECS_MAX; k--) {
				string *s = &strs[n];
				s->len = 1 + rnd(rnd(2) ? 4 : STR_MAX);
				for (size_t j = 0; j < s->len; j++) {
					s->bytes[j] = ALPHABET[rnd(sizeof ALPHABET)];
					s->care[j] = rnd(6) != 0;
				}
				s->care[rnd((unsigned)s->len)] = 1;
				lit_spec l = {p, s->bytes, s->care, s->len, cased[p]};
				if (memchr(s->care, 0, s->len) == NULL)
					l.care = rnd(2) ? NULL : s->care;
				specs[n] = l;
				expression(s, exprbuf[n]);
				exprs[n] = exprbuf[n];
				flags[n] = HS_FLAG_DOTALL | HS_FLAG_SINGLEMATCH | (cased[p] ? 0 : HS_FLAG_CASELESS);
				ids[n] = (unsigned)p;
				n++;
			}
		}
		lit_set *set = lit_set_build(specs, n);
		if (set == NULL) { /* crowded under one window: Hyperscan's */
			crowded++;
			continue;
		}
		hs_database_t *db = NULL;
		hs_compile_error_t *err = NULL;
		if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &err) !=
		    HS_SUCCESS)
			fail_msg("Hyperscan refused %s: %s", exprs[err->expression], err->message);
		hs_scratch_t *scratch = NULL;
		assert_int_equal(hs_alloc_scratch(db, &scratch), HS_SUCCESS);
		for (int v = 0; v < 300; v++) {
			unsigned char value[512], buf[512 + 8];
			size_t len = value_of(strs, n, value, sizeof value - 8);
			unsigned char by_set[SPECS_MAX] = {0}, by_hs[SPECS_MAX] = {0};
			lit_set_scan(set, (const char *)value, len, buf, on_set, by_set);
			hs_scan(db, (const char *)value, (unsigned)len, 0, scratch, on_hs, by_hs);
			for (int p = 0; p < n_patterns; p++) {
				if (by_set[p] != by_hs[p])
					fail_msg("round %d, pattern %d (%s, %s): the set says %d, Hyperscan %d "
					         "over %zu bytes",
					         round, p, exprs[first[p]], cased[p] ? "cased" : "caseless", by_set[p],
					         by_hs[p], len);
				found += by_hs[p];
			}
			values++;
		}
		hs_free_scratch(scratch);
		hs_free_database(db);
		lit_set_free(set);
		sets++;
	}
	/* the property was tried on values that hold strings */
	print_message("%d sets (%d crowded), %d values, %d patterns found\n", sets, crowded, values,
	              found);
	if (found < 3000 || crowded > 6)
		fail_msg("only %d patterns found in %d values of %d sets", found, values, sets);
}

/* A value of thousands of bytes, and each string at the very start and
 * end of a value of its own length: the windows read past the end. */
static void set_at_the_edges(void **state)
{
	(void)state;
	static const char *const words[] = {"x", "ab", "abc", "abcd", "abcdefg", "abcdefgh",
	                                    "abcdefghijklmnopq"};
	enum { N = sizeof words / sizeof words[0] };
	lit_spec specs[N];
	for (int i = 0; i < N; i++)
		specs[i] = (lit_spec){i, (const unsigned char *)words[i], NULL, strlen(words[i]), false};
	lit_set *set = lit_set_build(specs, N);
	for (int i = 0; i < N; i++) {
		unsigned char seen[N] = {0}, buf[64];
		size_t len = strlen(words[i]);
		lit_set_scan(set, words[i], len, buf, on_set, seen);
		for (int k = 0; k < N; k++) /* each word is the start of the longer */
			assert_int_equal(seen[k], k <= i && (k > 0 || i == 0));
	}
	size_t big = 100000;
	char *v = malloc(big);
	unsigned char *buf = malloc(big + 8), seen[N] = {0};
	assert_non_null(v);
	assert_non_null(buf);
	memset(v, 'q', big);
	memcpy(v + big - 17, "ABCDEFGHIJKLMNOPQ", 17);
	lit_set_scan(set, v, big, buf, on_set, seen);
	for (int k = 1; k < N; k++)
		assert_int_equal(seen[k], 1);
	assert_int_equal(seen[0], 0);
	memset(seen, 0, sizeof seen);
	lit_set_scan(set, v, big - 1, buf, on_set, seen); /* the last byte cut */
	assert_int_equal(seen[N - 1], 0);
	assert_int_equal(seen[5], 1);
	free(v);
	free(buf);
	lit_set_free(set);
}

/* More than LIT_BUCKET_MAX strings with one window only: no set (each
 * byte showing that window would compare them all). */
static void crowded_set_refused(void **state)
{
	(void)state;
	unsigned char bytes[LIT_BUCKET_MAX + 1][3], care[3] = {1, 1, 0};
	lit_spec specs[LIT_BUCKET_MAX + 1];
	for (int i = 0; i <= LIT_BUCKET_MAX; i++) {
		memcpy(bytes[i], "ab", 2);
		bytes[i][2] = (unsigned char)i;
		specs[i] = (lit_spec){i, bytes[i], care, 3, false};
	}
	assert_null(lit_set_build(specs, LIT_BUCKET_MAX + 1));
	lit_set *set = lit_set_build(specs, LIT_BUCKET_MAX);
	assert_non_null(set);
	unsigned char seen[LIT_BUCKET_MAX + 1] = {0}, buf[16];
	lit_set_scan(set, "xABz", 4, buf, on_set, seen);
	for (int i = 0; i < LIT_BUCKET_MAX; i++)
		assert_int_equal(seen[i], 1);
	lit_set_free(set);
}

/* Fails unless expr stands for the strings want, joined by ';', a byte
 * that does not count written '?' ("" for none). */
static void expect_strings(const char *expr, bool dotall, const char *want)
{
	lit_string out[LIT_STRINGS_MAX];
	int n = literal_strings(expr, dotall, out);
	char got[4096] = "";
	for (int k = 0; k < n; k++) {
		if (k)
			strcat(got, ";");
		for (size_t j = 0; j < out[k].len; j++) {
			char c[8];
			unsigned char b = out[k].bytes[j];
			if (!out[k].care[j])
				strcpy(c, "?");
			else if (b >= ' ' && b < 0x7F)
				snprintf(c, sizeof c, "%c", b);
			else
				snprintf(c, sizeof c, "<%02X>", b);
			strcat(got, c);
		}
		free(out[k].bytes);
	}
	if (strcmp(got, want) != 0)
		fail_msg("%s: got '%s', want '%s'", expr, got, want);
}

static void strings_of_sigma_tests(void **state)
{
	(void)state;
	expect_strings("whoami", true, "whoami");
	expect_strings("\\x5Cwho\\x2Eexe", true, "\\who.exe");
	expect_strings("a.c", true, "a?c");
	expect_strings("a.c", false, ""); /* "." is not every byte without dot-all */
	expect_strings("\\x20(?:-|/|\\xE2\\x80[\\x93-\\x95])s\\x20", true,
	               " -s ; /s ; <E2><80><93>s ; <E2><80><94>s ; <E2><80><95>s ");
	expect_strings("(?:-|/)a(?:-|/)", true, "-a-;-a/;/a-;/a/");
	expect_strings("x[a-c]", true, "xa;xb;xc");
	expect_strings("a(?:|b)c", true, "ac;abc");
	/* a rule's own expression: escapes of one byte */
	expect_strings("\\$VerbosePreference\\.ToString\\(", true, "$VerbosePreference.ToString(");
	expect_strings("a[\\-\\]]\\n", true, "a-<0A>;a]<0A>");
	expect_strings("a\\d", true, "");
	expect_strings("a\\", true, "");
	/* anchored (anchored.c's), repeats, negated classes: not a few strings */
	expect_strings("^abc", true, "");
	expect_strings("abc\\z", true, "");
	expect_strings("a.*b", true, "");
	expect_strings("a+", true, "");
	expect_strings("[^a]b", true, "");
	expect_strings("(?:a|(?:b|c))", true, "");
	expect_strings("(?:|)", true, "");
	expect_strings("ab[", true, "");
	expect_strings("(?:ab", true, "");
	expect_strings("\\x4", true, "");
	/* three windash dashes are 125 strings: more than LIT_STRINGS_MAX */
	expect_strings("(?:-|/|\\xE2\\x80[\\x93-\\x95])a(?:-|/|\\xE2\\x80[\\x93-\\x95])b"
	               "(?:-|/|\\xE2\\x80[\\x93-\\x95])",
	               true, "");
	expect_strings("[\\x00-\\xFF]", true, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(set_finds_what_hyperscan_finds),
	    cmocka_unit_test(set_at_the_edges),
	    cmocka_unit_test(crowded_set_refused),
	    cmocka_unit_test(strings_of_sigma_tests),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
