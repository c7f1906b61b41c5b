/*
 * literal_set.c: the thousands of strings Hyperscan would scan one field
 * for, found by looking each window of the value up in bitmaps (prefilter)
 * and comparing the few strings filed under it (verify), not by Hyperscan.
 *
 * Why: SigmaHQ's rules test a Sysmon command line for 8,396 plain
 * literals (3,750 of them emoji). Hyperscan finds a set that size with
 * its bucketed shift-or, whose false alarms grow with the set: on the
 * benchmark corpus's command lines (58 bytes) it cost 1,265 cycles a
 * value alone, 169 with 250 of them, 463 with 1,000, 832 with 4,000.
 * Here the cost per byte hardly depends on the set's size (a few bit
 * tests a byte): 450 cycles for all of them, 350 for 1,000. Below about
 * 500 literals Hyperscan is the faster, so a slot gets a set only when
 * LIT_SET_MIN of its patterns or more can be written as strings.
 *
 * Which: a plain string test without anchors, whatever its case; a
 * windash test (five strings a dash) and a "?" wildcard (a byte that does
 * not count) as literal.c's literal_strings reads them, and a rule's own
 * expression that is a few strings; a factored expression's factor
 * (factor.c; PCRE2 confirms it as before). Not: anchored tests
 * (anchored.c's), an expression of more than LIT_STRINGS_MAX strings (three
 * windash dashes), a string over 65,535 bytes; those stay Hyperscan's (or
 * lit_find's, compile.c, for a literal too long for Hyperscan). A set
 * serves the entries all its patterns serve together, not a database's
 * group, and is built at every start from the patterns (milliseconds for
 * SigmaHQ's), not kept in the cache.
 *
 * A string is filed under one window of its bytes that count, folded to
 * lower case unless the test is cased: of its longest run of such bytes,
 * one of 8 bytes, else 4, 2 or 1, the one fewest of the set's strings
 * contain, so that "\windows\" or ".exe", which are in hundreds of them
 * and most command lines, are not what a string is looked up by: over
 * the corpus 14 comparisons a value, most of them true hits. A value is
 * folded once; at each of its bytes the two-byte window is tested in a
 * direct bitmap (8 KiB), the four-byte one hashed in a bitmap of the
 * four-byte windows and of the eight-byte ones' first four (32 KiB; most
 * bytes stop there), then in the four's and the eight's own; a window
 * whose bit is set is looked up in the table of windows, whose strings
 * are compared whole where they would stand in the value. More than
 * LIT_BUCKET_MAX strings under one window (only a hostile or odd rule
 * set has them) would make each byte showing it compare them all: such a
 * set is not made.
 *
 * The comparison is Hyperscan's test for the same pattern (caseless means
 * ASCII letters fold, other bytes as they are), so a set's hits go to the
 * same marks (match.c) and nothing downstream knows the difference.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/sigma/rules_int.h"

enum { WIN_BITS = 18 };
_Static_assert((int)FACTOR_MAX <= (int)LIT_STRINGS_MAX, "a factor's strings fit");

enum { NO_CARE = UINT32_MAX, POOL_MAX = INT32_MAX };
typedef struct lit_entry {
	int pattern;
	uint32_t bytes : 31; /* its bytes in pool, folded unless cased */
	uint32_t cased : 1;
	uint32_t care;       /* its care bytes in pool (0: any byte); NO_CARE */
	uint16_t len, off;   /* its length; where its window starts in it */
} lit_entry;

/* A window and the strings filed under it: the first here, as most
 * windows have one (a probe reads one cache line), the others at
 * entries[more .. more + n - 1). */
typedef struct lit_bucket {
	uint64_t key; /* the window's bytes */
	lit_entry first;
	uint32_t more;
	uint32_t n : 28;
	uint32_t width : 4; /* 1, 2, 4 or 8; 0: a free place */
} lit_bucket;

struct lit_set {
	uint64_t two[65536 / 64];               /* two-byte windows, direct */
	uint64_t four[(1u << WIN_BITS) / 64];   /* four-byte windows, hashed */
	uint64_t eight[(1u << WIN_BITS) / 64];  /* eight-byte windows, hashed */
	uint64_t quad[(1u << WIN_BITS) / 64];   /* four's, and the first four
	                                         * bytes of eight's */
	bool one[256];                          /* one-byte literals */
	bool has_one;
	lit_bucket *buckets;
	size_t mask;
	lit_entry *entries;
	unsigned char *pool;
	ls_bits ls; /* the entries its patterns serve */
};

static inline uint32_t win_hash(uint64_t w, int width)
{
	return width == 4 ? (uint32_t)w * 0x9E3779B1u >> (32 - WIN_BITS)
	                  : (uint32_t)(w * 0x9E3779B97F4A7C15ULL >> (64 - WIN_BITS));
}

static inline size_t bucket_slot(uint64_t key, int width, size_t mask)
{
	return (size_t)((key ^ (uint64_t)width << 59) * 0xC2B2AE3D27D4EB4FULL >> 29) & mask;
}

static const lit_bucket *bucket(const lit_set *s, uint64_t key, int width)
{
	for (size_t i = bucket_slot(key, width, s->mask);; i = (i + 1) & s->mask) {
		const lit_bucket *b = &s->buckets[i];
		if (b->width == 0)
			return NULL;
		if (b->key == key && b->width == width)
			return b;
	}
}

static uint64_t window(const unsigned char *p, int width)
{
	uint64_t w = 0;
	memcpy(&w, p, (size_t)width); /* little-endian, as the scan reads */
	return w;
}

/* ---- building ---- */

/* How many of the set's strings hold each window: open addressing. */
typedef struct gram_count {
	uint64_t key;
	int count, last; /* last: the string that counted it last */
	uint8_t width;
} gram_count;

typedef struct gram_table {
	gram_count *g;
	size_t mask;
} gram_table;

static gram_count *gram(gram_table *t, uint64_t key, int width)
{
	size_t i = bucket_slot(key, width, t->mask);
	while (t->g[i].width != 0 && !(t->g[i].key == key && t->g[i].width == width))
		i = (i + 1) & t->mask;
	if (t->g[i].width == 0)
		t->g[i] = (gram_count){key, 0, -1, (uint8_t)width};
	return &t->g[i];
}

typedef struct lit_in {
	const lit_spec *spec;
	const unsigned char *folded;
	int width;
	uint16_t off;
	uint64_t key;
} lit_in;

/* Whether in[i] starts a window of its own in the sorted strings. */
static bool new_window(const lit_in *in, int i)
{
	return i == 0 || in[i - 1].width != in[i].width || in[i - 1].key != in[i].key;
}

static int by_window(const void *a, const void *b)
{
	const lit_in *x = a, *y = b;
	if (x->width != y->width)
		return x->width - y->width;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->spec->pattern - y->spec->pattern;
}

/* Whether the width bytes of l from o on all count. */
static bool cared(const lit_spec *l, size_t o, int width)
{
	for (int k = 0; l->care && k < width; k++)
		if (!l->care[o + (size_t)k])
			return false;
	return true;
}

int lit_spec_width(const lit_spec *l)
{
	size_t run = 0, longest = 0;
	for (size_t k = 0; k < l->len; k++) {
		run = !l->care || l->care[k] ? run + 1 : 0;
		longest = run > longest ? run : longest;
	}
	return longest >= 8 ? 8 : longest >= 4 ? 4 : longest >= 2 ? 2 : (int)longest;
}

lit_set *lit_set_build(const lit_spec *specs, int n)
{
	lit_set *s = calloc(1, sizeof *s);
	lit_in *in = calloc((size_t)n + 1, sizeof *in);
	if (s == NULL || in == NULL)
		abort();
	size_t pool_len = 0;
	for (int i = 0; i < n; i++)
		pool_len += specs[i].len;
	gram_table t = {0};
	size_t cap = 64;
	while (cap < pool_len * 2 + 2)
		cap *= 2;
	t.g = calloc(cap, sizeof *t.g);
	t.mask = cap - 1;
	unsigned char *folded = malloc(pool_len + 1);
	s->pool = malloc(2 * pool_len + 1); /* bytes, then care bytes */
	if (t.g == NULL || folded == NULL || s->pool == NULL)
		abort();
	/* each string's width, and the windows of that width it holds,
	 * counted once a string */
	size_t at = 0;
	for (int i = 0; i < n; i++) {
		const lit_spec *l = &specs[i];
		unsigned char *f = folded + at;
		for (size_t k = 0; k < l->len; k++)
			f[k] = lit_fold(l->bytes[k]);
		at += l->len;
		in[i] = (lit_in){l, f, lit_spec_width(l), 0, 0};
		for (size_t o = 0; o + (size_t)in[i].width <= l->len; o++) {
			if (!cared(l, o, in[i].width))
				continue;
			gram_count *g = gram(&t, window(f + o, in[i].width), in[i].width);
			if (g->last != i)
				g->count++, g->last = i;
		}
	}
	/* each under its window fewest strings hold (the first of those) */
	for (int i = 0; i < n; i++) {
		lit_in *l = &in[i];
		int best = -1;
		for (size_t o = 0; o + (size_t)l->width <= l->spec->len; o++) {
			if (!cared(l->spec, o, l->width))
				continue;
			int c = gram(&t, window(l->folded + o, l->width), l->width)->count;
			if (best < 0 || c < best)
				best = c, l->off = (uint16_t)o;
		}
		l->key = window(l->folded + l->off, l->width);
	}
	free(t.g);
	qsort(in, (size_t)n, sizeof *in, by_window);
	/* a bucket a window, at most half of them used; strings crowded
	 * under one window would make every byte that shows it compare them
	 * all: such a set is not made */
	size_t keys = 0;
	for (int i = 0, run = 0; i < n; i++) {
		run = new_window(in, i) ? 1 : run + 1;
		keys += run == 1;
		if (run > LIT_BUCKET_MAX) {
			free(folded);
			free(in);
			free(s->pool);
			free(s);
			return NULL;
		}
	}
	s->entries = calloc((size_t)n + 1, sizeof *s->entries);
	cap = 64;
	while (cap < keys * 2)
		cap *= 2;
	s->buckets = calloc(cap, sizeof *s->buckets);
	if (s->entries == NULL || s->buckets == NULL)
		abort();
	s->mask = cap - 1;
	at = 0;
	size_t b = 0; /* the bucket of the window being filled */
	for (int i = 0; i < n; i++) {
		const lit_in *l = &in[i];
		const lit_spec *sp = l->spec;
		memcpy(s->pool + at, sp->cased ? sp->bytes : l->folded, sp->len);
		uint32_t care = NO_CARE;
		if (sp->care && memchr(sp->care, 0, sp->len)) {
			care = (uint32_t)(pool_len + at);
			memcpy(s->pool + care, sp->care, sp->len);
		}
		s->entries[i] = (lit_entry){sp->pattern, (uint32_t)at, sp->cased, care,
		                            (uint16_t)sp->len, l->off};
		at += sp->len;
		if (!new_window(in, i)) {
			s->buckets[b].n++;
			continue;
		}
		b = bucket_slot(l->key, l->width, s->mask);
		while (s->buckets[b].width != 0)
			b = (b + 1) & s->mask;
		s->buckets[b] = (lit_bucket){l->key, s->entries[i], (uint32_t)i + 1, 1,
		                             (uint32_t)l->width};
		uint32_t h = l->width == 2 ? (uint32_t)l->key : win_hash(l->key, l->width);
		if (l->width == 1)
			s->one[l->key] = s->has_one = true;
		else if (l->width == 2)
			s->two[h / 64] |= 1ULL << h % 64;
		else if (l->width == 4)
			s->four[h / 64] |= 1ULL << h % 64;
		else
			s->eight[h / 64] |= 1ULL << h % 64;
		if (l->width >= 4) {
			uint32_t q = win_hash(l->key & 0xFFFFFFFF, 4);
			s->quad[q / 64] |= 1ULL << q % 64;
		}
	}
	free(folded);
	free(in);
	return s;
}

void lit_set_free(lit_set *s)
{
	if (s == NULL)
		return;
	free(s->buckets);
	free(s->entries);
	free(s->pool);
	free(s);
}

const ls_bits *lit_set_ls(const lit_set *s)
{
	return &s->ls;
}

/* A factor's strings as lit_strings (caseless, every byte counts). */
static int factor_strings(const re_factor_set *f, lit_string *out)
{
	for (int k = 0; k < f->n; k++) {
		out[k].len = f->len[k];
		if ((out[k].bytes = malloc(2 * (size_t)f->len[k])) == NULL)
			abort();
		out[k].care = out[k].bytes + f->len[k];
		memcpy(out[k].bytes, f->s[k], f->len[k]);
		memset(out[k].care, 1, f->len[k]);
	}
	return f->n;
}

/* Whether a set may take pattern p (pls: the entries it serves): one
 * Hyperscan would scan, as its factor's strings or with the plain string
 * test's flags (with or without case), whose expression is not longer
 * than its strings may be (four characters a byte, "\\xHH"; twice that
 * for a group's alternatives). */
static bool may_take(const pattern *p, const ls_bits *pls)
{
	const unsigned plain = HS_FLAG_CASELESS | HS_FLAG_DOTALL | HS_FLAG_SINGLEMATCH;
	return p->n_rules > 0 && !p->lazy && !p->pcre_only && !p->prefilter && !p->anchored &&
	       !p->counts && !ls_empty(pls) && (p->factor || (p->flags & ~plain) == 0) &&
	       strlen(p->expr) <= 8 * (size_t)UINT16_MAX;
}

/* The strings of a pattern the set of its slot may take, into out (their
 * bytes malloc'd), their count; 0 when it stands for none the set can
 * hold: a factor's strings, or a test sigma_value.c wrote without anchors
 * standing for a few strings, each with a window of bytes that count. */
static int strings_of(const pattern *p, lit_string *out)
{
	if (p->factor)
		return factor_strings(p->factor, out);
	int n = literal_strings(p->expr, p->flags & HS_FLAG_DOTALL, out);
	bool ok = true;
	for (int k = 0; k < n; k++) {
		lit_spec l = {0, out[k].bytes, out[k].care, out[k].len, false};
		ok = ok && out[k].len <= UINT16_MAX && lit_spec_width(&l) > 0;
	}
	if (!ok) {
		for (int k = 0; k < n; k++)
			free(out[k].bytes);
		n = 0;
	}
	return n;
}

void lit_sets_build(det_rules *rs, const ls_bits *pls)
{
	lit_sets_free(rs); /* of a compile that failed before */
	rs->lit_sets = calloc((size_t)rs->n_slots + 1, sizeof *rs->lit_sets);
	/* per slot: its patterns' strings, and how many patterns */
	struct slot_specs {
		lit_spec *v;
		int n, cap, patterns;
		size_t bytes;
	} *by = calloc((size_t)rs->n_slots + 1, sizeof *by);
	if (rs->lit_sets == NULL || by == NULL)
		abort();
	/* only the slots with enough patterns a set may take are read */
	for (size_t i = 0; i < rs->n_patterns; i++) {
		rs->patterns[i].in_set = false;
		by[rs->patterns[i].slot].patterns += may_take(&rs->patterns[i], &pls[i]);
	}
	for (int slot = 0; slot < rs->n_slots; slot++)
		by[slot].patterns = by[slot].patterns >= LIT_SET_MIN ? 0 : -1;
	lit_string str[LIT_STRINGS_MAX];
	for (size_t i = 0; i < rs->n_patterns; i++) {
		pattern *p = &rs->patterns[i];
		if (by[p->slot].patterns < 0 || !may_take(p, &pls[i]))
			continue;
		int n = strings_of(p, str);
		if (n == 0)
			continue;
		struct slot_specs *b = &by[p->slot];
		if (b->n + n > b->cap) {
			b->cap = b->cap ? 2 * b->cap + n : 1024;
			if ((b->v = realloc(b->v, (size_t)b->cap * sizeof *b->v)) == NULL)
				abort();
		}
		bool cased = !p->factor && !(p->flags & HS_FLAG_CASELESS);
		for (int k = 0; k < n; k++) {
			b->v[b->n++] = (lit_spec){(int)i, str[k].bytes, str[k].care, str[k].len, cased};
			b->bytes += str[k].len;
		}
		b->patterns++;
	}
	for (int slot = 0; slot < rs->n_slots; slot++) {
		struct slot_specs *b = &by[slot];
		/* a pool's offsets are 31 bits: a gigabyte of strings (no
		 * rule set has that) stays Hyperscan's */
		lit_set *set = b->patterns >= LIT_SET_MIN && b->bytes < POOL_MAX / 2
		                   ? lit_set_build(b->v, b->n)
		                   : NULL;
		if (set) {
			rs->lit_sets[slot] = set;
			for (int k = 0; k < b->n; k++) {
				rs->patterns[b->v[k].pattern].in_set = true;
				ls_or(&set->ls, &pls[b->v[k].pattern]);
			}
		}
		for (int k = 0; k < b->n; k++)
			free((void *)b->v[k].bytes);
		free(b->v);
	}
	free(by);
}

void lit_sets_free(det_rules *rs)
{
	for (int s = 0; rs->lit_sets && s < rs->n_slots; s++)
		lit_set_free(rs->lit_sets[s]);
	free(rs->lit_sets);
	rs->lit_sets = NULL;
}

/* ---- scanning ---- */

/* memcmp(a, b, n) == 0 inline: the strings are short and the call
 * costs as much as the comparison. */
static inline bool same_bytes(const unsigned char *a, const unsigned char *b, size_t n)
{
	for (; n >= 8; a += 8, b += 8, n -= 8) {
		uint64_t x, y;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return false;
	}
	for (; n; n--)
		if (*a++ != *b++)
			return false;
	return true;
}

static bool same_cared(const unsigned char *at, const unsigned char *want,
                       const unsigned char *care, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (care[k] && at[k] != want[k])
			return false;
	return true;
}

/* The literals filed under the window of the given width at byte i of the
 * value (v as it is, f folded, both n bytes). */
static void verify(const lit_set *s, uint64_t key, int width, size_t i, const unsigned char *v,
                   const unsigned char *f, size_t n, void (*hit)(void *ctx, int pattern),
                   void *ctx)
{
	const lit_bucket *b = bucket(s, key, width);
	if (b == NULL)
		return;
	for (uint32_t k = 0; k < b->n; k++) {
		const lit_entry *e = k ? &s->entries[b->more + k - 1] : &b->first;
		if (e->off > i || i - e->off + e->len > n)
			continue;
		if (e->len == width && !e->cased && e->care == NO_CARE) {
			hit(ctx, e->pattern); /* the window is the whole string */
			continue;
		}
		const unsigned char *at = (e->cased ? v : f) + (i - e->off), *want = s->pool + e->bytes;
		if (e->care == NO_CARE ? same_bytes(at, want, e->len)
		                       : same_cared(at, want, s->pool + e->care, e->len))
			hit(ctx, e->pattern);
	}
}

void lit_set_scan(const lit_set *s, const char *value, size_t n, unsigned char *buf,
                  void (*hit)(void *ctx, int pattern), void *ctx)
{
	const unsigned char *v = (const unsigned char *)value;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, v + i, 8);
		w = lit_fold8(w);
		memcpy(buf + i, &w, 8);
	}
	for (; i < n; i++)
		buf[i] = lit_fold(v[i]);
	memset(buf + n, 0, 8); /* windows past the end: verify rejects them */
	for (i = 0; i < n; i++) {
		uint64_t w;
		memcpy(&w, buf + i, 8);
		if (s->has_one && s->one[buf[i]])
			verify(s, buf[i], 1, i, v, buf, n, hit, ctx);
		uint32_t h2 = (uint32_t)w & 0xFFFF;
		if (s->two[h2 / 64] >> h2 % 64 & 1)
			verify(s, h2, 2, i, v, buf, n, hit, ctx);
		uint32_t h4 = win_hash(w & 0xFFFFFFFF, 4);
		if (!(s->quad[h4 / 64] >> h4 % 64 & 1))
			continue; /* most bytes: no window of four or eight here */
		if (s->four[h4 / 64] >> h4 % 64 & 1)
			verify(s, w & 0xFFFFFFFF, 4, i, v, buf, n, hit, ctx);
		uint32_t h8 = win_hash(w, 8);
		if (s->eight[h8 / 64] >> h8 % 64 & 1)
			verify(s, w, 8, i, v, buf, n, hit, ctx);
	}
}
