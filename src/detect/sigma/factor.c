/*
 * factor.c: the text every match of a regular expression must contain.
 *
 * Hyperscan scans plain strings and finite sets of them (the windash
 * alternations, "[Pp]rogram") fast, whatever their number. A pattern that
 * needs an automaton (".*" between two words, "\s+", "[^\\]{1,256}") costs
 * every scan of its database, match or not: in SigmaHQ's CommandLine
 * database 94 such patterns cost as much as the 8,300 literals beside
 * them, and one Sigma wildcard ("\vsimmersiveactivatehelper*.exe") two
 * fifths of an Image scan. Most of them hold a literal any match must
 * contain ("\vsimmersiveactivatehelper", "EventCode=", "compress-archive
 * -path"), so compile.c gives Hyperscan that literal instead and PCRE2
 * confirms the pattern when a rule reads it (prefilter, then verify; see
 * Suricata's fast pattern and RE2's prefilter).
 *
 * The expression is read once, recursive descent, each part described by
 * two string sets (letters folded to lower case):
 *   exact  every string the part matches, when they are few and short;
 *   req    strings one of which every match of the part contains.
 * A sequence multiplies its parts' exact sets while they stay small and
 * keeps the best required set met on the way; an alternation unites its
 * branches' sets, and requires nothing when one branch requires nothing;
 * a part that may be absent (*, ?, {0,n}) requires nothing. A set is as
 * good as its shortest string. Anything not understood (a back-reference,
 * a Unicode property, an extended-mode pattern) gives no factor, so the
 * pattern stays Hyperscan's: the reading may only lose a factor, never
 * claim one that a match can lack. Zero-width parts (anchors, look-arounds)
 * match the empty string here, which only weakens what is required.
 *
 * Costs: O(length of expr x FACTOR_MAX^2) time; about 14 KiB of stack a
 * nesting level of groups, at most FACTOR_DEPTH (16) of them: a deeper
 * expression is not read.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/hash.h"
#include "detect/sigma/rules_int.h"

enum { FACTOR_DEPTH = 16 };

/* A set of strings; n < 0: not known (too many, too long, or any). */
typedef re_factor_set sset;

/* Byte counts every match needs: at least k[i] bytes of the value in
 * set[i], for sets of a few uncommon bytes (see selective). */
enum { NEEDS_MAX = 8 };
typedef struct needs {
	int n;
	uint16_t k[NEEDS_MAX];
	uint64_t set[NEEDS_MAX][4];
} needs;

typedef struct part {
	sset exact; /* n < 0: not a small finite set */
	sset req;   /* n < 0: nothing known to be required */
	needs cnt;
} part;

typedef struct reader {
	const char *p;
	bool bad;  /* not understood: no factor */
	bool open; /* holds a repeat not written out as strings (".*", "\s+",
	            * "{1,256}"): what Hyperscan needs an automaton for */
	int depth;
} reader;

static const sset UNKNOWN = {.n = -1};

/* Bytes too common in logs and command lines for a count of them to say
 * anything: letters, white space and the punctuation of paths, options
 * and quoting. */
static bool common_byte(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ' ' || c == '\t' ||
	       c == '\n' || c == '\r' || c == '\0' || strchr("-/\\.:\"'_,=", (int)c) != NULL;
}

/* Whether a set is worth counting: at most eight bytes, none common. */
static bool selective(const uint64_t set[4])
{
	int n = 0;
	for (unsigned c = 0; c < 256; c++)
		if (set[c / 64] >> (c % 64) & 1) {
			if (common_byte(c) || ++n > 8)
				return false;
		}
	return n > 0;
}

/* x + y: the counts of two parts in sequence (their bytes are apart). */
static void needs_add(needs *x, const needs *y)
{
	for (int j = 0; j < y->n; j++) {
		int i = 0;
		while (i < x->n && memcmp(x->set[i], y->set[j], sizeof x->set[i]) != 0)
			i++;
		if (i < x->n) {
			x->k[i] = (uint16_t)(x->k[i] + y->k[j] > 60000 ? 60000 : x->k[i] + y->k[j]);
		} else if (x->n < NEEDS_MAX) { /* else left out: a weaker need */
			memcpy(x->set[x->n], y->set[j], sizeof x->set[0]);
			x->k[x->n++] = y->k[j];
		}
	}
}

/* What both of two branches need: the sets they share, the smaller count. */
static void needs_meet(needs *x, const needs *y)
{
	needs out = {0};
	for (int i = 0; i < x->n; i++)
		for (int j = 0; j < y->n; j++)
			if (memcmp(x->set[i], y->set[j], sizeof x->set[i]) == 0) {
				memcpy(out.set[out.n], x->set[i], sizeof out.set[0]);
				out.k[out.n++] = x->k[i] < y->k[j] ? x->k[i] : y->k[j];
			}
	*x = out;
}

static void needs_times(needs *x, int lo)
{
	if (lo <= 0) {
		x->n = 0;
		return;
	}
	for (int i = 0; i < x->n; i++)
		x->k[i] = (uint16_t)((long)x->k[i] * lo > 60000 ? 60000 : x->k[i] * lo);
}

/* One byte of a set the value must hold, when the set is worth counting. */
static needs needs_one(const uint64_t set[4])
{
	needs x = {0};
	if (selective(set)) {
		memcpy(x.set[0], set, sizeof x.set[0]);
		x.k[0] = 1;
		x.n = 1;
	}
	return x;
}

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

/* A set's worth as a factor: its shortest string's length; 0 when it is
 * unknown, empty or holds the empty string. */
static int worth(const sset *x)
{
	if (x->n <= 0)
		return 0;
	int w = FACTOR_LEN;
	for (int i = 0; i < x->n; i++)
		if (x->len[i] < w)
			w = x->len[i];
	return w;
}

/* The better of two required sets: the worthier, then the smaller. */
static void keep_better(sset *best, const sset *x)
{
	int a = worth(best), b = worth(x);
	if (b > a || (b == a && b > 0 && x->n < best->n))
		*best = *x;
}

static bool has(const sset *x, const unsigned char *s, int n)
{
	for (int i = 0; i < x->n; i++)
		if (x->len[i] == n && memcmp(x->s[i], s, (size_t)n) == 0)
			return true;
	return false;
}

/* Adds s to x; false when x is full. */
static bool add(sset *x, const unsigned char *s, int n)
{
	if (has(x, s, n))
		return true;
	if (x->n >= FACTOR_MAX)
		return false;
	memcpy(x->s[x->n], s, (size_t)n);
	x->len[x->n++] = (unsigned char)n;
	return true;
}

/* a ∪ b into out; false when it does not fit. */
static bool unite(sset *out, const sset *a, const sset *b)
{
	*out = *a;
	for (int i = 0; i < b->n; i++)
		if (!add(out, b->s[i], b->len[i]))
			return false;
	return true;
}

/* Every a[i] followed by every b[j] into out; false when the product has
 * too many strings or a string too long. */
static bool product(sset *out, const sset *a, const sset *b)
{
	out->n = 0;
	for (int i = 0; i < a->n; i++)
		for (int j = 0; j < b->n; j++) {
			int n = a->len[i] + b->len[j];
			if (n > FACTOR_LEN)
				return false;
			unsigned char s[FACTOR_LEN];
			memcpy(s, a->s[i], a->len[i]);
			memcpy(s + a->len[i], b->s[j], b->len[j]);
			if (!add(out, s, n))
				return false;
		}
	return true;
}

static part any_part(void)
{
	return (part){UNKNOWN, UNKNOWN};
}

static part empty_part(void) /* matches "" only: an anchor, a look-around */
{
	part x = {.exact = {.n = 1}, .req = UNKNOWN};
	return x;
}

static part byte_part(unsigned char c)
{
	part x = {.exact = {.n = 1}, .req = UNKNOWN};
	x.exact.len[0] = 1;
	x.exact.s[0][0] = fold(c);
	if (!common_byte(c)) {
		x.cnt.set[0][c / 64] = 1ULL << (c % 64);
		x.cnt.k[0] = 1;
		x.cnt.n = 1;
	}
	return x;
}

/* "\xHH" after the backslash and x; -1 for any other form. */
static int hex_byte(reader *r)
{
	int a = hex_digit_value((unsigned char)r->p[0]),
	    b = a >= 0 ? hex_digit_value((unsigned char)r->p[1]) : -1;
	if (b < 0)
		return -1;
	r->p += 2;
	return a * 16 + b;
}

/* An escape's byte, or -1 for an escape that is a class or zero-width
 * (*zero set), or -2 for one not understood. r->p is past the backslash. */
static int escape(reader *r, bool *zero)
{
	*zero = false;
	char c = *r->p++;
	switch (c) {
	case '\0': r->p--; return -2;
	case 'x': {
		int b = hex_byte(r);
		return b >= 0 ? b : -2; /* \x{...} and one-digit forms: not read */
	}
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 'f': return '\f';
	case 'a': return 7;
	case 'e': return 27;
	case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G': *zero = true; return -1;
	case 's': case 'S': case 'w': case 'W': case 'd': case 'D': case 'h': case 'H':
	case 'v': case 'V': case 'N': case 'R': case 'X': case 'C': return -1;
	}
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return -2; /* back-references, octal, \p{..}, \Q, \c, \k, \g ... */
	return (unsigned char)c; /* an escaped metacharacter or other byte */
}

/* A bracket class from past '['; its bytes as a set when at most four
 * (letters folded), else unknown. */
static part bracket(reader *r)
{
	bool in[256] = {false}, wide = false, neg = false;
	uint64_t raw[4] = {0}; /* the bytes as written, not folded */
	if (*r->p == '^')
		neg = true, r->p++;
	bool first = true;
	for (;;) {
		char c = *r->p;
		if (c == '\0') {
			r->bad = true;
			return any_part();
		}
		if (c == ']' && !first) {
			r->p++;
			break;
		}
		first = false;
		int lo;
		r->p++;
		if (c == '[' && (*r->p == ':' || *r->p == '.' || *r->p == '=')) {
			r->bad = true; /* POSIX classes: not read here */
			return any_part();
		}
		if (c == '\\') {
			bool zero;
			lo = escape(r, &zero);
			if (lo == -2) {
				r->bad = true;
				return any_part();
			}
			if (lo < 0) { /* \s, \w, \d ... inside the class */
				wide = true;
				continue;
			}
		} else {
			lo = (unsigned char)c;
		}
		int hi = lo;
		if (r->p[0] == '-' && r->p[1] != ']' && r->p[1] != '\0') {
			r->p++;
			char d = *r->p++;
			if (d == '\\') {
				bool zero;
				hi = escape(r, &zero);
				if (hi < 0) {
					r->bad = true;
					return any_part();
				}
			} else {
				hi = (unsigned char)d;
			}
			if (hi < lo) {
				r->bad = true;
				return any_part();
			}
		}
		if (hi - lo > 8)
			wide = true;
		else
			for (int b = lo; b <= hi; b++)
				in[fold((unsigned char)b)] = true, raw[b / 64] |= 1ULL << (b % 64);
	}
	if (neg || wide)
		return any_part();
	part x = {.exact = {.n = 0}, .req = UNKNOWN, .cnt = needs_one(raw)};
	for (int b = 0; b < 256; b++)
		if (in[b]) {
			unsigned char s = (unsigned char)b;
			if (!add(&x.exact, &s, 1) || x.exact.n > 4) {
				x.exact = UNKNOWN;
				return x;
			}
		}
	return x;
}

static part alternation(reader *r);

/* "(" read: a group, a look-around, inline options. */
static part group(reader *r)
{
	bool zero_width = false;
	if (*r->p == '?') {
		r->p++;
		char c = *r->p;
		if (c == ':' || c == '>' || c == '|') {
			r->p++;
		} else if (c == '=' || c == '!') {
			r->p++, zero_width = true;
		} else if (c == '<' && (r->p[1] == '=' || r->p[1] == '!')) {
			r->p += 2, zero_width = true;
		} else if (c == '<' || c == 'P' || c == '\'') { /* named group */
			if (c == 'P')
				r->p++;
			char close = *r->p == '\'' ? '\'' : '>';
			if (*r->p != '<' && *r->p != '\'') {
				r->bad = true;
				return any_part();
			}
			/* a name is letters, digits and '_': "(?<*" is a
			 * look-behind (non-atomic), not a name */
			const char *end = r->p + 1;
			while ((*end >= 'a' && *end <= 'z') || (*end >= 'A' && *end <= 'Z') ||
			       (*end >= '0' && *end <= '9') || *end == '_')
				end++;
			if (end == r->p + 1 || *end != close) {
				r->bad = true;
				return any_part();
			}
			r->p = end + 1;
		} else if (c == '#') { /* comment */
			const char *end = strchr(r->p, ')');
			if (end == NULL) {
				r->bad = true;
				return any_part();
			}
			r->p = end + 1;
			return empty_part();
		} else { /* options: (?i) (?i-s) (?i:...) */
			while (*r->p && strchr("imsnUJ-", *r->p))
				r->p++;
			if (*r->p == ')') {
				r->p++;
				return empty_part();
			}
			if (*r->p != ':') { /* x (extended) and anything else */
				r->bad = true;
				return any_part();
			}
			r->p++;
		}
	}
	part x = alternation(r);
	if (*r->p != ')') {
		r->bad = true;
		return any_part();
	}
	r->p++;
	return zero_width ? empty_part() : x;
}

static part one_atom(reader *r)
{
	char c = *r->p++;
	switch (c) {
	case '(': return group(r);
	case '[': return bracket(r);
	case '.': return any_part();
	case '^':
	case '$': return empty_part();
	case '\\': {
		bool zero;
		int b = escape(r, &zero);
		if (b == -2) {
			r->bad = true;
			return any_part();
		}
		return zero ? empty_part() : b < 0 ? any_part() : byte_part((unsigned char)b);
	}
	case '{': /* not a quantifier by 10.42's reading, but 10.43 reads "{,3}"
	           * and "{ 2}" as repeats: not read */
	case '*':
	case '+':
	case '?':
	case ')':
	case '|': break; /* a quantifier with nothing to repeat */
	default: return byte_part((unsigned char)c);
	}
	r->bad = true;
	return any_part();
}

/* A quantifier's bounds at r->p, if one is there; hi < 0: no bound. */
static bool quantifier(reader *r, int *lo, int *hi)
{
	const char *q = r->p;
	switch (*q) {
	case '*': *lo = 0, *hi = -1, r->p++; break;
	case '+': *lo = 1, *hi = -1, r->p++; break;
	case '?': *lo = 0, *hi = 1, r->p++; break;
	case '{': {
		const char *s = q + 1;
		int a = 0, b, digits = 0;
		for (; *s >= '0' && *s <= '9' && a < 100000; s++, digits++)
			a = a * 10 + (*s - '0');
		if (!digits)
			return false; /* then not read (one_atom) */
		b = a;
		if (*s == ',') {
			s++;
			int n = 0;
			b = 0;
			for (; *s >= '0' && *s <= '9' && b < 100000; s++, n++)
				b = b * 10 + (*s - '0');
			if (n == 0)
				b = -1;
		}
		if (*s != '}')
			return false;
		*lo = a, *hi = b;
		r->p = s + 1;
		break;
	}
	default: return false;
	}
	if (*r->p == '?' || *r->p == '+') /* lazy, possessive */
		r->p++;
	return true;
}

/* x repeated lo to hi times (hi < 0: without bound). */
static part repeat(reader *r, const part *x, int lo, int hi)
{
	part out = any_part();
	out.cnt = x->cnt;
	needs_times(&out.cnt, lo);
	if (x->exact.n >= 0 && hi >= 0 && hi <= 3) {
		sset all = {.n = 0}, power = {.n = 1};
		bool fits = true;
		for (int k = 0; k <= hi && fits; k++) {
			if (k >= lo)
				fits = unite(&all, &all, &power);
			sset next;
			if (fits && k < hi)
				fits = product(&next, &power, &x->exact), power = next;
		}
		if (fits) {
			out.exact = all;
			return out;
		}
	}
	r->open = true;
	if (lo >= 1) {
		keep_better(&out.req, &x->req);
		keep_better(&out.req, &x->exact);
	}
	return out;
}

/* A sequence of quantified atoms, up to '|', ')' or the end. */
static part sequence(reader *r)
{
	sset run = {.n = 1}; /* the exact strings of the parts read since the last inexact one */
	sset best = UNKNOWN;
	needs cnt = {0};
	bool exact = true;
	while (*r->p && *r->p != '|' && *r->p != ')' && !r->bad) {
		part x = one_atom(r);
		int lo, hi;
		while (!r->bad && quantifier(r, &lo, &hi))
			x = repeat(r, &x, lo, hi);
		needs_add(&cnt, &x.cnt);
		keep_better(&best, &x.req);
		if (x.exact.n >= 0) {
			sset next;
			if (product(&next, &run, &x.exact)) {
				run = next;
				continue;
			}
			keep_better(&best, &run);
			run = x.exact;
		} else {
			keep_better(&best, &run);
			run = (sset){.n = 1};
		}
		exact = false;
	}
	part out = any_part();
	if (exact)
		out.exact = run;
	else
		keep_better(&best, &run);
	out.req = best;
	out.cnt = cnt;
	return out;
}

static part alternation(reader *r)
{
	if (++r->depth > FACTOR_DEPTH) {
		r->bad = true;
		return any_part();
	}
	part out = sequence(r);
	bool exact = out.exact.n >= 0;
	sset req = out.exact.n >= 0 && worth(&out.exact) > worth(&out.req) ? out.exact : out.req;
	bool required = worth(&req) > 0;
	while (*r->p == '|' && !r->bad) {
		r->p++;
		part x = sequence(r);
		needs_meet(&out.cnt, &x.cnt);
		if (exact && x.exact.n >= 0 && unite(&out.exact, &out.exact, &x.exact))
			;
		else
			exact = false;
		sset xr = x.exact.n >= 0 && worth(&x.exact) > worth(&x.req) ? x.exact : x.req;
		if (required && (worth(&xr) == 0 || !unite(&req, &req, &xr)))
			required = false;
	}
	r->depth--;
	if (!exact)
		out.exact = UNKNOWN;
	out.req = required ? req : UNKNOWN;
	return out;
}

/* Whether a need is worth a test: a count of digits only from four on,
 * as a number or two is in most lines. */
static bool worth_counting(const uint64_t set[4], int k)
{
	bool digits = (set[0] >> '0' & 0x3FF) != 0;
	return k >= (digits ? 4 : 1);
}

/* expr read whole into *x; false when it is not, or holds no repeat
 * Hyperscan needs an automaton for (then Hyperscan scans it well). */
static bool read_open(const char *expr, part *x)
{
	reader r = {expr, false, false, 0};
	*x = alternation(&r);
	return !r.bad && *r.p == '\0' && r.open;
}

bool re_count_needs(const char *expr, re_counts *out)
{
	part x;
	if (!read_open(expr, &x))
		return false;
	out->n = 0;
	/* the largest counts first: the test fails soonest on them */
	bool used[NEEDS_MAX] = {false};
	while (out->n < COUNT_NEEDS) {
		int best = -1;
		for (int i = 0; i < x.cnt.n; i++)
			if (!used[i] && worth_counting(x.cnt.set[i], x.cnt.k[i]) &&
			    (best < 0 || x.cnt.k[i] > x.cnt.k[best]))
				best = i;
		if (best < 0)
			break;
		used[best] = true;
		memcpy(out->set[out->n], x.cnt.set[best], sizeof out->set[0]);
		out->k[out->n++] = x.cnt.k[best];
	}
	return out->n > 0;
}

bool re_factor(const char *expr, re_factor_set *out)
{
	part x;
	if (!read_open(expr, &x) || worth(&x.req) < FACTOR_MIN)
		return false;
	*out = x.req;
	return true;
}
