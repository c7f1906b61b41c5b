/*
 * anchored.c: the literal tests tied to an end of a value (startswith,
 * endswith and a whole-value equality, without case and wildcards), found
 * by walking a tree from that end instead of by Hyperscan.
 *
 * Why: in SigmaHQ's rules most tests of Image, ParentImage and
 * OriginalFileName are "endswith \powershell.exe" or an exact path, and
 * Hyperscan runs such a pattern (a literal with ^ or \z) through its
 * anchored and end-of-data machinery at a fixed cost per scan: the 950
 * of them in the Image database cost about 870 cycles a Sysmon event,
 * the 250 of the CommandLine database about 560, the 320 of ParentImage
 * 600. A walk from the start (prefixes, equalities) and one from the end
 * (suffixes) stop at the first byte no pattern continues with: 380, 90
 * and 230 cycles on the same values.
 *
 * A pattern goes here only when its expression is exactly such a literal
 * as sigma_value.c writes one (literal.c) and its flags are the plain
 * string test's (caseless, dot-all, single match), so the walk finds what
 * Hyperscan would: caseless means ASCII letters fold, other bytes compare
 * as they are (Hyperscan without HS_FLAG_UTF8 does the same). Its hits go
 * to the same marks as Hyperscan's (match.c), so nothing downstream knows
 * the difference.
 *
 * The trees are radix trees: a run of bytes that no pattern ends in and
 * no other pattern branches from is one edge, compared eight bytes at a
 * time (the deep part of "\WindowsPowerShell\v1.0\powershell.exe" is
 * shared by few patterns), so a walk takes one table look-up a branch,
 * not a byte: a plain trie, one dependent look-up a byte, cost about what
 * Hyperscan did. The nodes of every slot's two trees share one table of
 * edges keyed by (node, first byte), open addressing; a node's patterns
 * are a chain of terms. Building is O(bytes of the patterns); a walk is
 * O(bytes of the value) and usually much less.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/sigma/rules_int.h"

static size_t edge_slot(uint32_t key, size_t mask)
{
	return (size_t)((key * 0x9E3779B1u) >> 7) & mask;
}

/* The edge from node at whose label starts with byte c; NULL when none. */
static const anchor_edge *edge(const anchors *t, int at, unsigned char c)
{
	uint32_t key = (uint32_t)at << 8 | c;
	for (size_t i = edge_slot(key, t->mask);; i = (i + 1) & t->mask) {
		const anchor_edge *e = &t->edges[i];
		if (e->child == 0)
			return NULL;
		if (e->key == key)
			return e;
	}
}

/* The plain trie the radix trees are made from: one node a byte. */
typedef struct plain {
	int *first, *next, *term; /* first child, next sibling, first term */
	unsigned char *byte;      /* the byte of the edge into the node */
	int n, cap;
} plain;

static int plain_node(plain *b, unsigned char c)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 1024;
		b->first = realloc(b->first, (size_t)b->cap * sizeof *b->first);
		b->next = realloc(b->next, (size_t)b->cap * sizeof *b->next);
		b->term = realloc(b->term, (size_t)b->cap * sizeof *b->term);
		b->byte = realloc(b->byte, (size_t)b->cap);
		if (!b->first || !b->next || !b->term || !b->byte)
			abort();
	}
	b->first[b->n] = b->next[b->n] = b->term[b->n] = -1;
	b->byte[b->n] = c;
	return b->n++;
}

/* Adds the bytes lit[0..n) below plain node at, from the start or
 * (backward) from the end, ending in a new term for pattern id. */
static void insert(anchors *t, plain *b, int at, const unsigned char *lit, size_t n, bool backward,
                   int id, bool whole)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = lit_fold(lit[backward ? n - 1 - i : i]);
		int k = b->first[at];
		while (k >= 0 && b->byte[k] != c)
			k = b->next[k];
		if (k < 0) {
			k = plain_node(b, c);
			b->next[k] = b->first[at];
			b->first[at] = k;
		}
		at = k;
	}
	if (t->n_terms == t->cap_terms) {
		t->cap_terms = t->cap_terms ? t->cap_terms * 2 : 256;
		t->terms = realloc(t->terms, (size_t)t->cap_terms * sizeof *t->terms);
		if (t->terms == NULL)
			abort();
	}
	t->terms[t->n_terms] = (anchor_term){id, whole, b->term[at]};
	b->term[at] = t->n_terms++;
}

static void put_edge(anchors *t, int at, anchor_edge e)
{
	e.key = (uint32_t)at << 8 | t->pool[e.off];
	size_t i = edge_slot(e.key, t->mask);
	while (t->edges[i].child != 0)
		i = (i + 1) & t->mask;
	t->edges[i] = e;
}

/* The radix node of plain node u (below radix node parent): u's byte and
 * those of the chain of single children without terms below it make its
 * label, kept in the order the bytes stand in a value (reversed in a
 * tree of suffixes), so a walk compares it eight bytes at a time.
 * Recursion is as deep as the tree has branches. */
static void squeeze(anchors *t, const plain *b, int parent, int u, bool backward)
{
	uint32_t off = (uint32_t)t->n_pool;
	t->pool[t->n_pool++] = b->byte[u];
	while (b->term[u] < 0 && b->first[u] >= 0 && b->next[b->first[u]] < 0) {
		u = b->first[u];
		t->pool[t->n_pool++] = b->byte[u];
	}
	uint32_t len = (uint32_t)t->n_pool - off;
	int at = t->n_nodes++;
	put_edge(t, parent, (anchor_edge){0, at, b->term[u], off, len});
	if (backward) /* stored as the bytes stand in the value */
		for (uint32_t i = 0; i < len / 2; i++) {
			unsigned char c = t->pool[off + i];
			t->pool[off + i] = t->pool[off + len - 1 - i];
			t->pool[off + len - 1 - i] = c;
		}
	for (int k = b->first[u]; k >= 0; k = b->next[k])
		squeeze(t, b, at, k, backward);
}

void anchors_build(det_rules *rs, const ls_bits *pls)
{
	anchors *t = &rs->anchors;
	const unsigned simple = HS_FLAG_CASELESS | HS_FLAG_DOTALL | HS_FLAG_SINGLEMATCH;
	t->root = malloc(((size_t)rs->n_slots * 2 + 1) * sizeof *t->root);
	t->ls = calloc((size_t)rs->n_slots + 1, sizeof *t->ls);
	int *plain_root = malloc(((size_t)rs->n_slots * 2 + 1) * sizeof *plain_root);
	if (t->root == NULL || t->ls == NULL || plain_root == NULL)
		abort();
	for (int s = 0; s < rs->n_slots * 2; s++)
		t->root[s] = plain_root[s] = -1;
	plain b = {0};
	size_t bytes = 0;
	for (size_t i = 0; i < rs->n_patterns; i++) {
		pattern *p = &rs->patterns[i];
		p->anchored = false;
		if (p->n_rules == 0 || p->lazy || p->pcre_only || p->prefilter ||
		    p->flags != simple || ls_empty(&pls[i]))
			continue;
		unsigned char *lit = malloc(strlen(p->expr) + 1);
		if (lit == NULL)
			abort();
		bool start, end;
		size_t k = literal_of(p->expr, lit, &start, &end);
		if (k > 0 && (start || end)) {
			/* startswith and equality from the start, endswith from
			 * the end */
			int *root = &plain_root[p->slot * 2 + (start ? 0 : 1)];
			if (*root < 0)
				*root = plain_node(&b, 0);
			insert(t, &b, *root, lit, k, !start, (int)i, start && end);
			ls_or(&t->ls[p->slot], &pls[i]);
			p->anchored = true;
			bytes += k;
		}
		free(lit);
	}
	if (b.n > 0) {
		/* One edge a radix node: a plain node starts one when its
		 * parent is a root, has a term or has other children. The
		 * table at most half full, as small as that allows (it is
		 * read at every branch of every walk). */
		size_t edges = 0;
		bool *root = calloc((size_t)b.n, sizeof *root);
		if (root == NULL)
			abort();
		for (int s = 0; s < rs->n_slots * 2; s++)
			if (plain_root[s] >= 0)
				root[plain_root[s]] = true;
		for (int u = 0; u < b.n; u++) {
			int kids = 0;
			for (int k = b.first[u]; k >= 0; k = b.next[k])
				kids++;
			edges += kids > 1 || b.term[u] >= 0 || root[u] ? (size_t)kids : 0;
		}
		free(root);
		size_t cap = 64;
		while (cap < edges * 2)
			cap *= 2;
		t->edges = calloc(cap, sizeof *t->edges);
		t->pool = malloc(bytes + 1);
		if (t->edges == NULL || t->pool == NULL)
			abort();
		t->mask = cap - 1;
		t->n_nodes = 1; /* node 0 is no child: child 0 marks a free edge */
		for (int s = 0; s < rs->n_slots * 2; s++) {
			if (plain_root[s] < 0)
				continue;
			t->root[s] = t->n_nodes++;
			for (int k = b.first[plain_root[s]]; k >= 0; k = b.next[k])
				squeeze(t, &b, t->root[s], k, s % 2 == 1);
		}
	}
	free(b.first);
	free(b.next);
	free(b.term);
	free(b.byte);
	free(plain_root);
}

void anchors_free(anchors *t)
{
	free(t->edges);
	free(t->pool);
	free(t->terms);
	free(t->root);
	free(t->ls);
	memset(t, 0, sizeof *t);
}

/* One tree from root over p[0..n), from the start or (backward) from the
 * end. A root has no term (no literal is empty). */
static void walk(const anchors *t, int at, const char *p, size_t n, bool backward,
                 void (*hit)(void *ctx, int pattern), void *ctx)
{
	const unsigned char *v = (const unsigned char *)p;
	for (size_t i = 0; i < n;) { /* i: bytes used */
		const anchor_edge *e = edge(t, at, lit_fold(v[backward ? n - 1 - i : i]));
		if (e == NULL || e->len > n - i ||
		    !lit_same(backward ? v + n - i - e->len : v + i, t->pool + e->off, e->len))
			return;
		i += e->len;
		for (int k = e->term; k >= 0; k = t->terms[k].next)
			if (!t->terms[k].whole || i == n)
				hit(ctx, t->terms[k].pattern);
		at = e->child;
	}
}

void anchors_walk(const anchors *t, int slot, const char *p, size_t n,
                  void (*hit)(void *ctx, int pattern), void *ctx)
{
	if (t->root[slot * 2] >= 0)
		walk(t, t->root[slot * 2], p, n, false, hit, ctx);
	if (t->root[slot * 2 + 1] >= 0)
		walk(t, t->root[slot * 2 + 1], p, n, true, hit, ctx);
}
