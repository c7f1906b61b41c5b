/* fuzz_regex.c: the reading of a regular expression for the text every
 * match must contain (factor.c), and for the few strings it stands for
 * (literal.c's literal_strings, which literal_set.c scans for instead).
 * Input: an expression, a NUL, a subject. Besides not crashing, the
 * reading must never claim a factor or a byte count that a match PCRE2
 * finds in the subject lacks, and PCRE2 must find a match exactly when
 * the subject holds one of the strings: either would lose a detection
 * silently. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#include "detect/sigma/rules_int.h"

static bool holds_factor(const re_factor_set *f, const unsigned char *t, size_t n)
{
	for (int k = 0; k < f->n; k++)
		for (size_t i = 0; i + f->len[k] <= n; i++) {
			size_t j = 0;
			while (j < f->len[k] && lit_fold(t[i + j]) == f->s[k][j])
				j++;
			if (j == f->len[k])
				return true;
		}
	return false;
}

static bool holds_counts(const re_counts *c, const unsigned char *t, size_t n)
{
	for (int k = 0; k < c->n; k++) {
		int have = 0;
		for (size_t i = 0; i < n; i++)
			have += (int)(c->set[k][t[i] / 64] >> (t[i] % 64) & 1);
		if (have < c->k[k])
			return false;
	}
	return true;
}

/* Whether t holds one of the strings, with or without case (a byte that
 * does not count stands for any). */
static bool holds_string(const lit_string *s, int n, const unsigned char *t, size_t len,
                         bool cased)
{
	for (int k = 0; k < n; k++)
		for (size_t i = 0; i + s[k].len <= len; i++) {
			size_t j = 0;
			while (j < s[k].len &&
			       (!s[k].care[j] || (cased ? t[i + j] == s[k].bytes[j]
			                                : lit_fold(t[i + j]) == lit_fold(s[k].bytes[j]))))
				j++;
			if (j == s[k].len)
				return true;
		}
	return false;
}

/* The strings of expr against PCRE2 in one of four modes (with or without
 * case, with or without dot-all), chosen by the expression's length: PCRE2
 * must match exactly when the subject holds one of them. */
static void check_strings(const char *expr, size_t elen, const unsigned char *subject,
                          size_t slen)
{
	bool cased = elen % 2, dotall = elen / 2 % 2;
	lit_string strs[LIT_STRINGS_MAX];
	int n = literal_strings(expr, dotall, strs);
	if (n == 0)
		return;
	int code;
	PCRE2_SIZE at;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)expr, elen,
	                               (cased ? 0 : PCRE2_CASELESS) | (dotall ? PCRE2_DOTALL : 0),
	                               &code, &at, NULL);
	if (re) {
		pcre2_match_data *md = pcre2_match_data_create(1, NULL);
		int rc = pcre2_match(re, subject, slen, 0, 0, md, NULL);
		if ((rc >= 0 || rc == PCRE2_ERROR_NOMATCH) &&
		    (rc >= 0) != holds_string(strs, n, subject, slen, cased))
			abort();
		pcre2_match_data_free(md);
		pcre2_code_free(re);
	}
	for (int k = 0; k < n; k++)
		free(strs[k].bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	if (n > 4096)
		return 0;
	const uint8_t *nul = memchr(data, 0, n);
	size_t elen = nul ? (size_t)(nul - data) : n;
	char *expr = malloc(elen + 1);
	if (expr == NULL)
		return 0;
	memcpy(expr, data, elen);
	expr[elen] = '\0';
	const unsigned char *subject = nul ? nul + 1 : (const unsigned char *)"";
	size_t slen = nul ? n - elen - 1 : 0;
	re_factor_set f;
	re_counts c;
	bool has_f = re_factor(expr, &f), has_c = re_count_needs(expr, &c);
	check_strings(expr, elen, subject, slen);
	if (has_f || has_c) {
		int code;
		PCRE2_SIZE at;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)expr, elen, PCRE2_CASELESS | PCRE2_DOTALL,
		                               &code, &at, NULL);
		if (re) {
			pcre2_match_data *md = pcre2_match_data_create(1, NULL);
			pcre2_match_context *mc = pcre2_match_context_create(NULL);
			pcre2_set_match_limit(mc, 100000);
			if (pcre2_match(re, subject, slen, 0, 0, md, mc) >= 0 &&
			    ((has_f && !holds_factor(&f, subject, slen)) ||
			     (has_c && !holds_counts(&c, subject, slen))))
				abort();
			pcre2_match_context_free(mc);
			pcre2_match_data_free(md);
			pcre2_code_free(re);
		}
	}
	free(expr);
	return 0;
}
