/*
 * ioc.c: the indicator set (hash table, Bloom filter, radix trees) and
 * the search for observables in events.
 *
 * Keys are a class byte and the value's normal form; addresses are keyed
 * by their bytes, an IPv4 address (and an IPv6 address that is one,
 * ::ffff:a.b.c.d) by its 4, so that one address written two ways is one
 * key. Slots hold a 32-bit tag of the hash and the entry index, so a
 * probe touches the entry only on a likely hit. In front of the table
 * is a Bloom filter for each key class (so the addresses' filter, which
 * most lookups touch, is the only one they keep in cache), blocked: the
 * five bits of a key lie in one 64-byte block, so a miss, the common
 * answer, costs one memory access; at 10 bits a key about 1 key in 100
 * that is not held passes it. Ranges live in a plain binary trie per
 * family (a node a bit of prefix): feeds carry few ranges and many
 * addresses, and the walk stops at the first absent child; the IPv4
 * tree's first 16 levels are one step (build_top).
 *
 * Memory, 64 bytes an indicator in `make bench`: an entry is 20 bytes
 * of offsets (value, source, TLP, description) and two small numbers;
 * every string lives in one text buffer, the key and the value of an
 * indicator side by side (the value of a domain, URL, e-mail address or
 * hash is its key past the class byte); sources, TLP labels and
 * descriptions are interned, as feeds repeat them; the times and the
 * store's row id are columns of 8 bytes an indicator, made only once an
 * indicator has one. The hash table is built by ioc_set_finish, sized to
 * the count (at most 3/4 full, 8 bytes a slot: about 10.7 bytes an
 * indicator), which also drops repeated values then, keeping the first.
 * The Bloom filters take 1.25 bytes an indicator (from 1 MiB of them,
 * some 840,000 indicators, they grow to fill their last 2 MiB page:
 * 2.1 bytes for a million). The slots and the filters are asked for in
 * huge pages (table_alloc). So an indicator costs 20 + 10.7 + 1.25
 * bytes, its key and value text (an IPv4 address 21
 * bytes, a domain its length + 4, a SHA-256 68), and 8 bytes for each of
 * id, first seen, last seen and expiry the set holds; `make bench`'s
 * million (no times or ids) take 61 MiB (docs/performance.md).
 * A callback gets an `ioc` filled from the entry for the call; its
 * strings point into the set and live as long as it.
 *
 * The observable search is a tokenizer over the message and the field
 * values: runs of host-name characters (letters, digits, '.', '-', '_',
 * ':', '@') are told apart by what they contain (an '@' an e-mail address,
 * colons an IPv6 address or host:port, only hex digits at 32/40/64 a
 * hash, dots a dotted address or a domain); "scheme://" starts a URL that
 * runs to the next space or quote. Most words are none of these: the
 * text is read sixteen bytes a step for the bytes every observable holds
 * ('.', ':', '@', or a whole block of 16 hex digits); a block that has
 * one is classified whole (vector_cls), and the bounds and byte classes
 * of the words around its marks are bit operations on that, read byte
 * by byte only where a word runs past the block; a word under 4 bytes
 * is passed over, and so is one with a colon that cannot hold an
 * observable (a clock time, "sshd:"), in one pass before it would be
 * split at its colons. Text an event holds twice is read
 * once: the message inside a field that holds it (Wazuh's full_log),
 * and a field that is another name for a value (the Windows fields under
 * Sigma's names). A Wazuh alert's own bookkeeping (rule.*, decoder.*,
 * manager.*, cluster.*, the alert's id and time, the predecoder's program
 * and time) is Wazuh's text, not the event's, and is not looked at: an
 * observable a rule's description names comes from a field of data.*,
 * which is. The lookups of an event's words are queued and made
 * together at its end (or when 32 wait), their memory asked for when
 * queued, so that their reads of tables out of cache overlap.
 */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base/hugemem.h"
#include "detect/ioc/ioc_int.h"

enum { K_ADDR = 1, K_DOMAIN, K_URL, K_EMAIL, K_HASH, K_ADDR4 };

/* An indicator. str is the offset in text of, by type:
 *   cidr             the value, NUL-ended
 *   ipv4, ipv6       u16 key length, the key, the value NUL-ended
 *   the others       u16 key length, the key (class byte + value), NUL
 * source, tlp and desc are interned strings (index + 1; 0: none). */
typedef struct entry {
	uint32_t str;
	uint32_t source, tlp, desc;
	uint8_t type; /* ioc_type; IOC_NONE: a repeat dropped by finish */
	int8_t confidence;
} entry;

enum { COL_ID, COL_FIRST, COL_LAST, COL_EXPIRES, N_COLS };

typedef struct slot {
	uint32_t tag;
	uint32_t idx; /* entry index + 1; 0 when free */
} slot;

/* A blocked Bloom filter: a key's FILTER_PROBES bits lie in one block
 * of 64 bytes, one cache line, so a key costs one memory access. */
typedef struct filter {
	uint64_t *bits; /* 8 words a block; in the set's filter_mem */
	size_t blocks;
} filter;

enum { N_KLASS = K_ADDR4 + 1, FILTER_BITS = 10, FILTER_PROBES = 5 };

typedef struct tnode {
	uint32_t child[2];
	uint32_t entry; /* entry index + 1 of the range ending here */
} tnode;

/* What the IPv4 tree holds for a /16: the node at depth 16 (0: none);
 * the ranges of /16 or wider that hold it (offset + 1 into top_entries;
 * 0: none); a bit for each /24 in it that the tree below the node may
 * hold a range for. One cache line or less. */
typedef struct top16 {
	uint32_t node, above;
	uint64_t below[4];
} top16;

typedef struct trie {
	tnode *v;
	size_t n, cap;
} trie;

/* Interned strings: their offsets in text, and an open-addressing table
 * of their indices (index + 1; 0 free). */
typedef struct strtab {
	uint32_t *off;
	size_t n, cap;
	uint32_t *ht;
	size_t hmask;
} strtab;

struct ioc_set {
	char *text; /* every string and key; offsets are 32-bit */
	size_t text_n, text_cap;
	entry *v;
	size_t n, cap;
	size_t dups;    /* values given again: ranges at add, the rest at finish */
	size_t dropped; /* entries finish marked as repeats */
	int64_t *col[N_COLS]; /* NULL until an indicator has the value */
	strtab tags;          /* sources and TLP labels */
	strtab descs;         /* descriptions */
	slot *slots;
	size_t n_slots;
	filter filters[N_KLASS]; /* by the class byte of the key */
	uint64_t *filter_mem;    /* every class's blocks, one after another */
	size_t filter_blocks;
	bool filtered; /* the filters are built */
	trie ranges[2]; /* [0] IPv4, [1] IPv6 */
	/* The IPv4 tree's first 16 levels as one step (built by finish): a
	 * bit for each /16 the tree has anything for (8 KiB: most addresses,
	 * in no range, stop there), and for each such /16, in order, a top16;
	 * top_rank[w]: the /16s with a bit before word w of top_any. */
	uint64_t *top_any;
	uint32_t *top_rank;
	top16 *top;
	size_t n_top;
	uint32_t *top_entries; /* lists of ranges, each 0-ended */
	size_t n_top_entries;
};

static inline uint64_t mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static uint64_t key_hash(const unsigned char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)n * 0xff51afd7ed558ccdull);
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = mix(h ^ w, 0xbf58476d1ce4e5b9ull);
		p += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, p, n);
	return mix(h ^ w, 0x94d049bb133111ebull);
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (q == NULL)
		abort();
	return q;
}

/* n zeroed bytes for a table read at random, one cache line a lookup
 * (the hash slots, the Bloom filters), in huge pages from 2 MiB up
 * (base/hugemem.h), the tail past the last whole one in small pages, so
 * that nothing is held beyond the n bytes. On this project's shared VM
 * they took away about a third of the scan's rare long stalls
 * (docs/performance.md, indicator scan). */
static void *table_alloc(size_t n)
{
	void *p = hugemem_alloc(n, 0);
	if (p == NULL)
		abort();
	memset(p, 0, n);
	return p;
}

static uint32_t trie_node(trie *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	memset(&t->v[t->n], 0, sizeof t->v[0]);
	return (uint32_t)t->n++;
}

/* File names look like domains ("auth.log", "index.php"); endings that
 * are no top-level domain are not looked up. Endings that are both (.sh,
 * .zip, .py) stay domains. An ending is compared as one number: its
 * bytes, at most 7, lower-cased, found in a small open-addressing table
 * (cls_init fills it; most lookups read one slot). */
static const char *const file_ext[] = {
    "bak", "bat",  "cfg",   "class", "conf", "css",    "csv",    "dat",  "db",   "dll",
    "exe", "gif",  "htm",   "html",  "ico",  "ini",    "jar",    "jpeg", "jpg",  "js",
    "json", "lock", "log",  "mount", "msi",  "old",    "php",    "pid",  "png",  "ps1",
    "service", "socket", "sqlite", "svg", "swp", "sys", "target", "timer", "tmp", "txt",
    "vbs", "xml",  "yaml",  "yml"};
enum { N_FILE_EXT = sizeof file_ext / sizeof file_ext[0], FILE_EXT_SLOTS = 128 };
static uint64_t file_ext_key[FILE_EXT_SLOTS]; /* 0: empty */

static inline size_t ext_slot(uint64_t k)
{
	return (size_t)((k * 0x9e3779b97f4a7c15ull) >> 57);
}

/* The ending of n bytes at p as a number; 0 when longer than 7. */
static uint64_t ext_key(const char *p, size_t n)
{
	if (n >= 8)
		return 0;
	uint64_t k = 0;
	for (size_t i = 0; i < n; i++)
		k |= (uint64_t)((unsigned char)p[i] | 0x20) << (8 * i);
	return k;
}

/* Character classes of the tokenizer. */
enum { C_WORD = 1, C_DIG = 2, C_HEX = 4, C_ALPHA = 8, C_DOT = 16, C_COLON = 32, C_AT = 64,
       C_DASH = 128 };
static unsigned char cls[256];

static void cls_init(void)
{
	for (int c = '0'; c <= '9'; c++)
		cls[c] = C_WORD | C_DIG;
	for (int c = 'a'; c <= 'z'; c++)
		cls[c] = cls[c - 32] = C_WORD | (c <= 'f' ? C_HEX : C_ALPHA);
	cls['.'] = C_WORD | C_DOT;
	cls[':'] = C_WORD | C_COLON;
	cls['@'] = C_WORD | C_AT;
	cls['-'] = cls['_'] = C_WORD | C_DASH;
	for (size_t i = 0; i < N_FILE_EXT; i++) {
		uint64_t k = ext_key(file_ext[i], strlen(file_ext[i]));
		size_t at = ext_slot(k);
		while (file_ext_key[at])
			at = (at + 1) % FILE_EXT_SLOTS;
		file_ext_key[at] = k;
	}
}

ioc_set *ioc_set_new(void)
{
	ioc_set *s = calloc(1, sizeof *s);
	if (s == NULL)
		abort();
	trie_node(&s->ranges[0]);
	trie_node(&s->ranges[1]);
	if (cls['a'] == 0)
		cls_init(); /* before any thread scans */
	return s;
}

static void strtab_free(strtab *t)
{
	free(t->off);
	free(t->ht);
}

void ioc_set_free(ioc_set *s)
{
	if (s == NULL)
		return;
	free(s->text);
	free(s->v);
	for (int c = 0; c < N_COLS; c++)
		free(s->col[c]);
	strtab_free(&s->tags);
	strtab_free(&s->descs);
	free(s->slots);
	free(s->filter_mem);
	free(s->ranges[0].v);
	free(s->ranges[1].v);
	free(s->top_any);
	free(s->top_rank);
	free(s->top);
	free(s->top_entries);
	free(s);
}

size_t ioc_set_count(const ioc_set *s)
{
	return s->n - s->dropped;
}

size_t ioc_set_duplicates(const ioc_set *s)
{
	return s->dups;
}

static size_t strtab_memory(const strtab *t)
{
	return t->cap * sizeof *t->off + (t->ht ? (t->hmask + 1) * sizeof *t->ht : 0);
}

size_t ioc_set_memory(const ioc_set *s)
{
	size_t m = s->cap * sizeof *s->v + s->n_slots * sizeof *s->slots + s->text_cap;
	for (int c = 0; c < N_COLS; c++)
		m += s->col[c] ? s->cap * sizeof(int64_t) : 0;
	m += strtab_memory(&s->tags) + strtab_memory(&s->descs);
	m += s->filter_blocks * 64;
	m += (s->ranges[0].cap + s->ranges[1].cap) * sizeof(tnode);
	m += s->top_any ? 65536 / 8 + 1024 * sizeof(uint32_t) + s->n_top * sizeof(top16) +
	                      s->n_top_entries * sizeof(uint32_t)
	                : 0;
	return m;
}

/* Room for n more bytes of text; its offset, or -1 past 4 GiB. */
static int64_t text_room(ioc_set *s, size_t n)
{
	if (s->text_n + n >= UINT32_MAX)
		return -1;
	if (s->text_n + n > s->text_cap) {
		size_t cap = s->text_cap ? s->text_cap : 1 << 16;
		while (s->text_n + n > cap)
			cap *= 2;
		s->text = xrealloc(s->text, cap);
		s->text_cap = cap;
	}
	return (int64_t)s->text_n;
}

/* ---- interned strings ---- */

static const char *strtab_get(const ioc_set *s, const strtab *t, uint32_t i)
{
	return i ? s->text + t->off[i - 1] : NULL;
}

static void strtab_put(const ioc_set *s, strtab *t, uint32_t idx)
{
	const char *str = s->text + t->off[idx - 1];
	size_t i = key_hash((const unsigned char *)str, strlen(str)) & t->hmask;
	while (t->ht[i])
		i = (i + 1) & t->hmask;
	t->ht[i] = idx;
}

/* str's index + 1 in t, added when new; 0 for none or empty, -1 when the
 * text is full. O(length) expected. */
static int64_t intern(ioc_set *s, strtab *t, const char *str)
{
	if (str == NULL || *str == '\0')
		return 0;
	size_t len = strlen(str);
	if (t->ht) {
		for (size_t i = key_hash((const unsigned char *)str, len) & t->hmask; t->ht[i];
		     i = (i + 1) & t->hmask)
			if (strcmp(s->text + t->off[t->ht[i] - 1], str) == 0)
				return t->ht[i];
	}
	int64_t at = text_room(s, len + 1);
	if (at < 0 || t->n >= UINT32_MAX - 1)
		return -1;
	memcpy(s->text + at, str, len + 1);
	s->text_n += len + 1;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->off = xrealloc(t->off, t->cap * sizeof *t->off);
	}
	t->off[t->n++] = (uint32_t)at;
	if (t->n * 2 > (t->ht ? t->hmask + 1 : 0)) {
		free(t->ht);
		size_t cap = 32;
		while (cap < t->n * 4)
			cap *= 2;
		t->ht = calloc(cap, sizeof *t->ht);
		if (t->ht == NULL)
			abort();
		t->hmask = cap - 1;
		for (size_t i = 1; i <= t->n; i++)
			strtab_put(s, t, (uint32_t)i);
	} else {
		strtab_put(s, t, (uint32_t)t->n);
	}
	return (int64_t)t->n;
}

/* ---- entries ---- */

static inline const unsigned char *entry_key(const ioc_set *s, const entry *e, size_t *kn)
{
	const unsigned char *p = (const unsigned char *)s->text + e->str;
	uint16_t n;
	memcpy(&n, p, 2);
	*kn = n;
	return p + 2;
}

static const char *entry_value(const ioc_set *s, const entry *e)
{
	if (e->type == IOC_CIDR)
		return s->text + e->str;
	size_t kn;
	const unsigned char *k = entry_key(s, e, &kn);
	if (e->type == IOC_IPV4 || e->type == IOC_IPV6)
		return (const char *)k + kn;
	return (const char *)k + 1;
}

static void ioc_of(const ioc_set *s, const entry *e, ioc *out)
{
	size_t i = (size_t)(e - s->v);
	int64_t *dst[N_COLS] = {&out->id, &out->first_seen, &out->last_seen, &out->expires};
	out->type = (ioc_type)e->type;
	out->value = entry_value(s, e);
	out->source = strtab_get(s, &s->tags, e->source);
	out->tlp = strtab_get(s, &s->tags, e->tlp);
	out->description = strtab_get(s, &s->descs, e->desc);
	out->confidence = e->confidence;
	for (int c = 0; c < N_COLS; c++)
		*dst[c] = s->col[c] ? s->col[c][i] : 0;
}

/* The block of key hash h, and the FILTER_PROBES bits in it (9 bits of
 * a second hash each: a word of the 8, a bit of the 64). */
static inline const uint64_t *filter_block(const filter *f, uint64_t h, uint64_t *g)
{
	*g = mix(h, 0x9e3779b97f4a7c15ull);
	return f->bits + 8 * (size_t)(((h >> 32) * f->blocks) >> 32);
}

static inline bool filter_has(const filter *f, uint64_t h)
{
	if (f->blocks == 0)
		return false;
	uint64_t g;
	const uint64_t *b = filter_block(f, h, &g);
	uint64_t all = 1;
	for (int j = 0; j < FILTER_PROBES; j++, g >>= 9)
		all &= b[g & 7] >> ((g >> 3) & 63);
	return all & 1;
}

static void filter_add(filter *f, uint64_t h)
{
	uint64_t g;
	uint64_t *b = (uint64_t *)filter_block(f, h, &g);
	for (int j = 0; j < FILTER_PROBES; j++, g >>= 9)
		b[g & 7] |= 1ull << ((g >> 3) & 63);
}

/* The first slot of hash h: its low 32 bits scaled to the table. */
static inline size_t slot_of(const ioc_set *s, uint64_t h)
{
	return (size_t)(((uint64_t)(uint32_t)h * s->n_slots) >> 32);
}

/* The table's part of find, for a key its filter let through. */
static const entry *probe(const ioc_set *s, const unsigned char *k, size_t kn, uint64_t h)
{
	uint32_t tag = (uint32_t)(h >> 32);
	for (size_t i = slot_of(s, h);;) {
		slot sl = s->slots[i];
		if (sl.idx == 0)
			return NULL;
		if (sl.tag == tag) {
			const entry *e = &s->v[sl.idx - 1];
			size_t en;
			const unsigned char *ek = entry_key(s, e, &en);
			if (en == kn && memcmp(ek, k, kn) == 0)
				return e;
		}
		if (++i == s->n_slots)
			i = 0;
	}
}

static const entry *find(const ioc_set *s, const unsigned char *k, size_t kn, uint64_t h)
{
	if (s->n_slots == 0 || (s->filtered && !filter_has(&s->filters[k[0]], h)))
		return NULL;
	return probe(s, k, kn, h);
}

/* The key of an address: K_ADDR4 and 4 bytes for IPv4 (also written as
 * ::ffff:a.b.c.d), K_ADDR and 16 bytes for the rest; its length. */
static size_t addr_key(const unsigned char *a, bool v4, unsigned char *k)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (!v4 && memcmp(a, mapped, 12) == 0) {
		a += 12;
		v4 = true;
	}
	if (v4) {
		k[0] = K_ADDR4;
		memcpy(k + 1, a, 4);
		return 5;
	}
	k[0] = K_ADDR;
	memcpy(k + 1, a, 16);
	return 17;
}

/* The key of a normalised value of type t; its length. */
static size_t make_key(ioc_type t, const char *v, size_t n, unsigned char *k)
{
	unsigned char a[16];
	switch (t) {
	case IOC_IPV4: ioc_parse_ipv4(v, n, a); return addr_key(a, true, k);
	case IOC_IPV6: ioc_parse_ipv6(v, n, a); return addr_key(a, false, k);
	case IOC_DOMAIN: k[0] = K_DOMAIN; break;
	case IOC_URL: k[0] = K_URL; break;
	case IOC_EMAIL: k[0] = K_EMAIL; break;
	default: k[0] = K_HASH; break;
	}
	memcpy(k + 1, v, n);
	return n + 1;
}

static int add_range(ioc_set *s, const char *v, uint32_t idx)
{
	const char *slash = strchr(v, '/');
	unsigned char a[16];
	bool v4 = ioc_parse_ipv4(v, (size_t)(slash - v), a) == 0;
	if (!v4)
		ioc_parse_ipv6(v, (size_t)(slash - v), a);
	int bits = atoi(slash + 1);
	trie *t = &s->ranges[v4 ? 0 : 1];
	uint32_t node = 0;
	for (int b = 0; b < bits; b++) {
		int bit = (a[b / 8] >> (7 - b % 8)) & 1;
		if (t->v[node].child[bit] == 0) {
			uint32_t nn = trie_node(t);
			t->v[node].child[bit] = nn;
		}
		node = t->v[node].child[bit];
	}
	if (t->v[node].entry)
		return -1;
	t->v[node].entry = idx;
	return 0;
}

static void grow_entries(ioc_set *s)
{
	s->cap = s->cap ? s->cap * 2 : 1024;
	s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	for (int c = 0; c < N_COLS; c++)
		if (s->col[c]) {
			s->col[c] = xrealloc(s->col[c], s->cap * sizeof(int64_t));
			memset(s->col[c] + s->n, 0, (s->cap - s->n) * sizeof(int64_t));
		}
}

int ioc_set_add(ioc_set *s, const ioc *in)
{
	char norm[IOC_VALUE_MAX + 1];
	size_t nn;
	ioc_type t;
	if (in->value == NULL ||
	    (t = ioc_normalise(in->value, strlen(in->value), in->type, norm, &nn)) == IOC_NONE)
		return -1; /* a range of one address is taken as the address */
	if (s->n >= UINT32_MAX - 1)
		return -1;
	int64_t source = intern(s, &s->tags, in->source), tlp = intern(s, &s->tags, in->tlp),
	        desc = intern(s, &s->descs, in->description);
	if (source < 0 || tlp < 0 || desc < 0)
		return -1;
	unsigned char k[IOC_VALUE_MAX + 2];
	size_t kn = 0, need = nn + 1;
	if (t != IOC_CIDR) {
		kn = make_key(t, norm, nn, k);
		need = 2 + kn + (t == IOC_IPV4 || t == IOC_IPV6 ? nn : 0) + 1;
	}
	int64_t at = text_room(s, need);
	if (at < 0)
		return -1;
	if (s->n == s->cap)
		grow_entries(s);
	char *p = s->text + at;
	if (t == IOC_CIDR) {
		memcpy(p, norm, nn);
		p[nn] = '\0';
		if (add_range(s, p, (uint32_t)s->n + 1) != 0) {
			s->dups++; /* the tree holds the first; this one is not kept */
			return 0;
		}
	} else {
		uint16_t kn16 = (uint16_t)kn;
		memcpy(p, &kn16, 2);
		memcpy(p + 2, k, kn);
		size_t vn = t == IOC_IPV4 || t == IOC_IPV6 ? nn : 0;
		memcpy(p + 2 + kn, norm, vn);
		p[2 + kn + vn] = '\0';
	}
	s->text_n += need;
	entry *e = &s->v[s->n];
	*e = (entry){(uint32_t)at, (uint32_t)source, (uint32_t)tlp, (uint32_t)desc, (uint8_t)t,
	             (int8_t)(in->confidence < -1 ? -1 : in->confidence > 100 ? 100 : in->confidence)};
	const int64_t cols[N_COLS] = {in->id, in->first_seen, in->last_seen, in->expires};
	for (int c = 0; c < N_COLS; c++) {
		if (cols[c] == 0 && s->col[c] == NULL)
			continue;
		if (s->col[c] == NULL && (s->col[c] = calloc(s->cap, sizeof(int64_t))) == NULL)
			abort();
		s->col[c][s->n] = cols[c];
	}
	s->n++;
	return 0;
}

/* Sets the bit of each /24 that the walk down from node (at depth
 * 16 + d, its prefix x of d bits below the /16) may find a range at or
 * under: those under a range, and each that reaches depth 24. O(nodes
 * to depth 24). */
static void mark_below(const trie *t, uint32_t node, int d, unsigned x, uint64_t below[4])
{
	if ((d > 0 && t->v[node].entry) || d == 8) {
		for (unsigned y = x << (8 - d); y < (x + 1) << (8 - d); y++)
			below[y / 64] |= 1ull << (y % 64);
		return;
	}
	for (unsigned bit = 0; bit < 2; bit++)
		if (t->v[node].child[bit])
			mark_below(t, t->v[node].child[bit], d + 1, x << 1 | bit, below);
}

/* The first 16 levels of the IPv4 tree as one step: a range lookup then
 * costs a bit of an 8 KiB map, and for the few addresses whose /16 the
 * tree has anything for, one top16 and the walk of the last 16 bits when
 * their /24 may hold a range, instead of 32 dependent accesses over the
 * whole tree. */
static void build_top(ioc_set *s)
{
	const trie *t = &s->ranges[0];
	free(s->top_any);
	free(s->top_rank);
	free(s->top);
	free(s->top_entries);
	size_t cap = 1024, top_cap = 256;
	s->top_any = calloc(65536 / 64, sizeof *s->top_any);
	s->top_rank = calloc(65536 / 64, sizeof *s->top_rank);
	s->top = malloc(top_cap * sizeof *s->top);
	s->top_entries = malloc(cap * sizeof *s->top_entries);
	s->n_top = s->n_top_entries = 0;
	if (s->top_any == NULL || s->top_rank == NULL || s->top == NULL || s->top_entries == NULL)
		abort();
	for (uint32_t hi = 0; hi < 65536; hi++) {
		if (hi % 64 == 0)
			s->top_rank[hi / 64] = (uint32_t)s->n_top;
		uint32_t node = 0, found[17];
		int nf = 0;
		if (t->v[0].entry) /* 0.0.0.0/0 */
			found[nf++] = t->v[0].entry;
		for (int b = 0; b < 16 && (node || b == 0); b++) {
			node = t->v[node].child[(hi >> (15 - b)) & 1];
			if (node && t->v[node].entry)
				found[nf++] = t->v[node].entry;
		}
		if (node == 0 && nf == 0)
			continue;
		s->top_any[hi / 64] |= 1ull << (hi % 64);
		if (s->n_top == top_cap) {
			top_cap *= 2;
			s->top = xrealloc(s->top, top_cap * sizeof *s->top);
		}
		top16 *q = &s->top[s->n_top++];
		*q = (top16){.node = node};
		if (node)
			mark_below(t, node, 0, 0, q->below);
		if (nf == 0)
			continue;
		if (s->n_top_entries + (size_t)nf + 1 > cap) {
			cap *= 2;
			s->top_entries = xrealloc(s->top_entries, cap * sizeof *s->top_entries);
		}
		q->above = (uint32_t)s->n_top_entries + 1;
		for (int i = 0; i < nf; i++)
			s->top_entries[s->n_top_entries++] = found[i];
		s->top_entries[s->n_top_entries++] = 0;
	}
}

/* Shrinks the arrays that grew by doubling to what they hold. */
static void fit(ioc_set *s)
{
	if (s->n == 0)
		return;
	if (s->cap > s->n) {
		s->v = xrealloc(s->v, s->n * sizeof *s->v);
		for (int c = 0; c < N_COLS; c++)
			if (s->col[c])
				s->col[c] = xrealloc(s->col[c], s->n * sizeof(int64_t));
		s->cap = s->n;
	}
	if (s->text_cap > s->text_n && s->text_n) {
		s->text = xrealloc(s->text, s->text_n);
		s->text_cap = s->text_n;
	}
}

void ioc_set_finish(ioc_set *s)
{
	fit(s);
	if (s->ranges[0].v[0].child[0] || s->ranges[0].v[0].child[1] || s->ranges[0].v[0].entry)
		build_top(s);
	size_t keyed = 0, of_class[N_KLASS] = {0};
	for (size_t i = 0; i < s->n; i++) {
		const entry *e = &s->v[i];
		if (e->type == IOC_CIDR || e->type == IOC_NONE)
			continue;
		size_t kn;
		of_class[entry_key(s, e, &kn)[0]]++;
		keyed++;
	}
	free(s->slots);
	free(s->filter_mem);
	s->filtered = false; /* find() below looks at the table alone */
	/* FILTER_BITS a key, in one block of memory for all classes; from
	 * half a huge page up, grown to fill its last huge page (more bits
	 * a key: fewer misses pass) */
	size_t blocks[N_KLASS], total = 0;
	for (int c = 0; c < N_KLASS; c++)
		total += blocks[c] = (of_class[c] * FILTER_BITS + 511) / 512;
	if (total * 64 >= HUGEMEM_PAGE / 2) {
		size_t room = (total * 64 + HUGEMEM_PAGE - 1) / HUGEMEM_PAGE * HUGEMEM_PAGE / 64;
		for (int c = 0; c < N_KLASS; c++)
			blocks[c] = blocks[c] * room / total; /* a few of room left unused */
		total = room;
	}
	s->filter_blocks = total;
	s->filter_mem = total ? table_alloc(total * 64) : NULL;
	for (size_t c = 0, at = 0; c < N_KLASS; at += blocks[c], c++)
		s->filters[c] = (filter){blocks[c] ? s->filter_mem + 8 * at : NULL, blocks[c]};
	s->n_slots = keyed + keyed / 3 + 16; /* at most 3/4 full */
	s->slots = table_alloc(s->n_slots * sizeof *s->slots);
	for (size_t i = 0; i < s->n; i++) {
		entry *e = &s->v[i];
		if (e->type == IOC_CIDR || e->type == IOC_NONE)
			continue;
		size_t kn;
		const unsigned char *k = entry_key(s, e, &kn);
		uint64_t h = key_hash(k, kn);
		if (find(s, k, kn, h)) {
			e->type = IOC_NONE; /* a repeat: the first is kept */
			s->dups++;
			s->dropped++;
			continue;
		}
		size_t at = slot_of(s, h);
		while (s->slots[at].idx)
			if (++at == s->n_slots)
				at = 0;
		s->slots[at] = (slot){(uint32_t)(h >> 32), (uint32_t)i + 1};
		filter_add(&s->filters[k[0]], h);
	}
	s->filtered = true;
}

/* ---- lookups ---- */

/* A lookup is not made where its word is found: its key is hashed, the
 * memory it will read is asked for (__builtin_prefetch: the Bloom
 * block, the /16's record of the ranges) and it waits in the scan's
 * list of pending lookups, made in order when the event is read (or the
 * list is full). With a million indicators the filters and the ranges'
 * records are mostly out of cache; asked for early, their reads overlap
 * the rest of the event's words and each other instead of each stopping
 * the scan. Those that pass a filter (1 in 100 misses, and the hits)
 * then have their hash slot asked for before any is read. */
enum { SEEN_MAX = 64, HITS_MAX = 32, PENDING_MAX = 32, KEYS_MAX = 4096 };

/* What a pending lookup is: a key in the table, or an address in the
 * ranges of IPv4 or IPv6. */
enum { P_KEY, P_RANGE4, P_RANGE6 };

typedef struct queued {
	const char *obs; /* the observed text reported on a hit */
	size_t on;
	uint64_t h, g;        /* P_KEY: the key's hash, its filter bits */
	const uint64_t *blk;  /* P_KEY: its filter block; NULL: no filter */
	const top16 *q;       /* P_RANGE4: the /16's record (NULL: none) */
	uint16_t at, kn;      /* the key (or address) at keys + at */
	uint8_t what;
	bool pass; /* P_KEY: the filter lets it through */
} queued;

typedef struct scan {
	const ioc_set *s;
	ioc_hit_fn fn;
	void *ctx;
	int hits;
	uint64_t seen[SEEN_MAX];
	int n_seen;
	const entry *hit[HITS_MAX];
	int n_hit;
	queued pend[PENDING_MAX];
	int n_pend;
	size_t keys_n;
	unsigned char keys[KEYS_MAX]; /* the pending keys, one after another */
} scan;

/* Only the counts: the lists are read up to their counts. */
static void scan_init(scan *sc, const ioc_set *s, ioc_hit_fn fn, void *ctx)
{
	sc->s = s;
	sc->fn = fn;
	sc->ctx = ctx;
	sc->hits = sc->n_seen = sc->n_hit = sc->n_pend = 0;
	sc->keys_n = 0;
}

/* A part of a text, by offsets: [from, to). */
typedef struct span {
	size_t from, to;
} span;

static const span NO_SPAN = {0, 0};

static void report(scan *sc, const entry *e, const char *obs, size_t on)
{
	for (int i = 0; i < sc->n_hit; i++)
		if (sc->hit[i] == e)
			return;
	if (sc->n_hit < HITS_MAX)
		sc->hit[sc->n_hit++] = e;
	sc->hits++;
	ioc i;
	ioc_of(sc->s, e, &i);
	sc->fn(sc->ctx, &i, obs, on);
}

/* Whether the key hash h was looked up already in this event. */
static bool seen(scan *sc, uint64_t h)
{
	for (int i = 0; i < sc->n_seen; i++)
		if (sc->seen[i] == h)
			return true;
	if (sc->n_seen < SEEN_MAX)
		sc->seen[sc->n_seen++] = h;
	return false;
}

/* The ranges that hold address a, from the root of its tree (or, for
 * IPv4 with the top table, from the /16's record q). */
static void walk_ranges(scan *sc, const unsigned char *a, bool v4, const top16 *q, const char *obs,
                        size_t on)
{
	const ioc_set *s = sc->s;
	const trie *t = &s->ranges[v4 ? 0 : 1];
	uint32_t node = 0;
	int b = 0;
	if (t->v[0].entry && !(v4 && s->top_any)) /* ::/0 */
		report(sc, &s->v[t->v[0].entry - 1], obs, on);
	if (v4 && s->top_any) {
		for (uint32_t i = q->above; i && s->top_entries[i - 1]; i++)
			report(sc, &s->v[s->top_entries[i - 1] - 1], obs, on);
		if (q->node == 0 || !(q->below[a[2] / 64] & (1ull << (a[2] % 64))))
			return;
		node = q->node;
		b = 16;
	}
	for (; b < (v4 ? 32 : 128); b++) {
		node = t->v[node].child[(a[b / 8] >> (7 - b % 8)) & 1];
		if (node == 0)
			break;
		if (t->v[node].entry)
			report(sc, &s->v[t->v[node].entry - 1], obs, on);
	}
}

/* Makes the pending lookups, in the order they were asked for: first
 * each key's filter test (their blocks were asked for when they were
 * queued), asking for the hash slot of those that pass, then the table
 * probes and range walks, reporting as the lookups would have one by
 * one. */
static void flush(scan *sc)
{
	const ioc_set *s = sc->s;
	for (int i = 0; i < sc->n_pend; i++) {
		queued *pd = &sc->pend[i];
		if (pd->what != P_KEY || pd->blk == NULL)
			continue;
		uint64_t all = 1, g = pd->g;
		for (int j = 0; j < FILTER_PROBES; j++, g >>= 9)
			all &= pd->blk[g & 7] >> ((g >> 3) & 63);
		pd->pass = all & 1;
		if (pd->pass)
			__builtin_prefetch(&s->slots[slot_of(s, pd->h)]);
	}
	for (int i = 0; i < sc->n_pend; i++) {
		const queued *pd = &sc->pend[i];
		const unsigned char *k = sc->keys + pd->at;
		if (pd->what != P_KEY) {
			walk_ranges(sc, k, pd->what == P_RANGE4, pd->q, pd->obs, pd->on);
			continue;
		}
		const entry *e = pd->pass ? probe(s, k, pd->kn, pd->h) : NULL;
		if (e)
			report(sc, e, pd->obs, pd->on);
	}
	sc->n_pend = 0;
	sc->keys_n = 0;
}

/* Room for a pending lookup of a key of kn bytes (at most KEYS_MAX):
 * where its bytes go; the pending ones are made first when full. */
static unsigned char *key_room(scan *sc, size_t kn)
{
	if (sc->n_pend == PENDING_MAX || sc->keys_n + kn > KEYS_MAX)
		flush(sc);
	return sc->keys + sc->keys_n;
}

/* Queues the lookup of the key of kn bytes that key_room placed. */
static void lookup_key(scan *sc, size_t kn, const char *obs, size_t on)
{
	const unsigned char *k = sc->keys + sc->keys_n;
	uint64_t h = key_hash(k, kn);
	if (seen(sc, h) || sc->s->n_slots == 0)
		return;
	const filter *f = &sc->s->filters[k[0]];
	queued *pd = &sc->pend[sc->n_pend++];
	*pd = (queued){.obs = obs, .on = on, .h = h, .at = (uint16_t)sc->keys_n, .kn = (uint16_t)kn,
	                .what = P_KEY};
	if (f->blocks) {
		pd->blk = filter_block(f, h, &pd->g);
		__builtin_prefetch(pd->blk);
	}
	sc->keys_n += kn;
}

static void lookup_text(scan *sc, int klass, const char *p, size_t n, const char *obs, size_t on)
{
	if (n > IOC_VALUE_MAX)
		return;
	unsigned char *k = key_room(sc, n + 1);
	k[0] = (unsigned char)klass;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		k[i + 1] = c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
	}
	lookup_key(sc, n + 1, obs, on);
}

static void lookup_addr(scan *sc, const unsigned char *a, bool v4, const char *obs, size_t on)
{
	unsigned char *k = key_room(sc, 17);
	lookup_key(sc, addr_key(a, v4, k), obs, on);
	const ioc_set *s = sc->s;
	const trie *t = &s->ranges[v4 ? 0 : 1];
	if (t->v[0].child[0] == 0 && t->v[0].child[1] == 0 && t->v[0].entry == 0)
		return;
	const top16 *q = NULL;
	if (v4 && s->top_any) {
		uint32_t hi = (uint32_t)a[0] << 8 | a[1];
		uint64_t w = s->top_any[hi / 64], bit = 1ull << (hi % 64);
		if (!(w & bit))
			return; /* no range holds an address of this /16 */
		q = &s->top[s->top_rank[hi / 64] + (size_t)__builtin_popcountll(w & (bit - 1))];
		__builtin_prefetch(q);
	}
	size_t an = v4 ? 4 : 16;
	unsigned char *ka = key_room(sc, an);
	memcpy(ka, a, an);
	sc->pend[sc->n_pend++] = (queued){.obs = obs, .on = on, .q = q, .at = (uint16_t)sc->keys_n,
	                                   .kn = (uint16_t)an, .what = v4 ? P_RANGE4 : P_RANGE6};
	sc->keys_n += an;
}

enum { DOMAIN_MAX = 253 }; /* a domain's bytes at most (ioc_domain_ok) */

/* A domain and each parent of it with two labels or more: the domain
 * lower-cased once, its dots found in the same pass, each key copied
 * from that. O(n × labels). */
static void lookup_domain(scan *sc, const char *p, size_t n, const char *obs, size_t on)
{
	if (n > DOMAIN_MAX) /* the callers took it through ioc_domain_ok */
		return;
	unsigned char low[DOMAIN_MAX];
	size_t after[DOMAIN_MAX / 2], dots = 0; /* where the labels after a dot begin */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		low[i] = c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
		if (c == '.')
			after[dots++] = i + 1;
	}
	/* the domain, then the part after each dot but the last */
	for (size_t d = 0;; d++) {
		size_t from = d ? after[d - 1] : 0, kn = n - from + 1;
		unsigned char *k = key_room(sc, kn);
		k[0] = K_DOMAIN;
		memcpy(k + 1, low + from, kn - 1);
		lookup_key(sc, kn, obs, on);
		if (d + 1 >= dots)
			return;
	}
}

static void lookup_host(scan *sc, const char *p, size_t n, const char *obs, size_t on)
{
	unsigned char a[16];
	if (n > 2 && p[0] == '[' && p[n - 1] == ']') {
		if (ioc_parse_ipv6(p + 1, n - 2, a) == 0)
			lookup_addr(sc, a, false, obs, on);
	} else if (ioc_parse_ipv4(p, n, a) == 0) {
		lookup_addr(sc, a, true, obs, on);
	} else if (ioc_domain_ok(p, n)) {
		lookup_domain(sc, p, n, obs, on);
	}
}

static void lookup_url(scan *sc, const char *p, size_t n)
{
	char u[IOC_VALUE_MAX + 1];
	if (n > IOC_VALUE_MAX)
		return;
	memcpy(u, p, n);
	size_t un = ioc_url_normalise(u, n);
	if (un == 0)
		return;
	lookup_text(sc, K_URL, u, un, p, n);
	const char *auth = strstr(u, "://") + 3, *end = u + un, *path = auth;
	while (path < end && *path != '/' && *path != '?' && *path != '#')
		path++;
	const char *host = auth;
	for (const char *c = auth; c < path; c++)
		if (*c == '@')
			host = c + 1;
	const char *hend = path;
	if (*host != '[')
		for (const char *c = host; c < path; c++)
			if (*c == ':') {
				hend = c;
				break;
			}
	lookup_host(sc, host, (size_t)(hend - host), p, n);
}

static bool url_stop(unsigned char c)
{
	return c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '\\' ||
	       c == 0x7f;
}

static void token(scan *sc, const char *p, size_t n, unsigned fl);

static bool file_name(const char *p, size_t n)
{
	/* the last dot, among the last 8 bytes: an ending is at most 7 */
	size_t d = n, stop = n > 8 ? n - 8 : 0;
	while (d > stop && p[d - 1] != '.')
		d--;
	if (d == stop)
		return false;
	uint64_t k = ext_key(p + d, n - d);
	if (k == 0)
		return false;
	for (size_t at = ext_slot(k); file_ext_key[at]; at = (at + 1) % FILE_EXT_SLOTS)
		if (file_ext_key[at] == k)
			return true;
	return false;
}

/* Whether a run of hex digits, colons and dots has the colons of an
 * IPv6 address: eight groups, six and a dotted IPv4 address, or "::".
 * Clock times ("08:00:01") are turned away before inet_pton. */
static bool ipv6_shape(const char *p, size_t n)
{
	size_t colons = 0;
	bool dbl = false;
	for (size_t i = 0; i < n; i++)
		if (p[i] == ':') {
			colons++;
			dbl |= i > 0 && p[i - 1] == ':';
		}
	return dbl || colons == 7 || (colons == 6 && memchr(p, '.', n));
}

/* host:port, user:host…: each part alone. */
static void token_parts(scan *sc, const char *p, size_t n)
{
	const char *end = p + n;
	while (p < end) {
		const char *c = memchr(p, ':', (size_t)(end - p));
		const char *e = c ? c : end;
		if (e > p)
			token(sc, p, (size_t)(e - p), 0);
		p = e + 1;
	}
}

/* A word: what it holds tells its type. fl: the classes of its bytes
 * when the caller has them, else 0. */
static void token(scan *sc, const char *p, size_t n, unsigned fl)
{
	size_t was = n;
	while (n && (cls[(unsigned char)*p] & (C_DOT | C_COLON | C_DASH)))
		p++, n--;
	while (n && (cls[(unsigned char)p[n - 1]] & (C_DOT | C_COLON | C_DASH)))
		n--;
	if (n < 4)
		return;
	if (n != was || fl == 0) {
		fl = 0;
		for (size_t i = 0; i < n; i++)
			fl |= cls[(unsigned char)p[i]];
	}
	if (fl & C_AT) {
		const char *at = memrchr(p, '@', n);
		size_t dn = n - (size_t)(at - p) - 1;
		if (at > p && !memchr(p, ':', n) && ioc_domain_ok(at + 1, dn)) {
			lookup_text(sc, K_EMAIL, p, n, p, n);
			lookup_domain(sc, at + 1, dn, p, n);
		}
		return;
	}
	unsigned char a[16];
	if (fl & C_COLON) {
		if (!(fl & (C_ALPHA | C_DASH)) && ipv6_shape(p, n) && ioc_parse_ipv6(p, n, a) == 0)
			lookup_addr(sc, a, false, p, n);
		else
			token_parts(sc, p, n);
		return;
	}
	if (!(fl & ~(unsigned)(C_WORD | C_DIG | C_HEX))) {
		if (n == 32 || n == 40 || n == 64)
			lookup_text(sc, K_HASH, p, n, p, n);
		return;
	}
	if (!(fl & C_DOT))
		return;
	if (!(fl & ~(unsigned)(C_WORD | C_DIG | C_DOT))) {
		if (ioc_parse_ipv4(p, n, a) == 0)
			lookup_addr(sc, a, true, p, n);
		return;
	}
	if (!file_name(p, n) && ioc_domain_ok(p, n))
		lookup_domain(sc, p, n, p, n);
}

/* Whether a word with a colon and no '@' may hold an observable, one
 * pass over its bytes before token() splits it: an IPv6 address (six
 * colons or "::"), a hash (32 bytes or more), or a part between colons
 * (token_parts) with a dot inside it and either three dots (an IPv4
 * address) or a byte other than a digit (a domain). So clock times
 * ("08:00:01", "2026-11-23T00:00:02.000", "[23/Nov/2026:08:00:01"),
 * "sshd:" and "SHA256:abc", most of the words with a colon, cost no call
 * and no split. A dot counts once a letter or digit follows it in its
 * part: token() trims the dots at a part's end. Errs towards yes. */
static bool may_hold(const char *p, size_t n)
{
	if (n >= 32)
		return true;
	unsigned part = 0; /* the classes of the part so far */
	size_t dots = 0, pending = 0, colons = 0;
	for (size_t k = 0; k < n; k++) {
		unsigned c = cls[(unsigned char)p[k]];
		if (c & C_COLON) {
			if (k + 1 < n && p[k + 1] == ':')
				return true; /* "::" */
			if (dots >= 3 || (dots && (part & (C_HEX | C_ALPHA | C_DASH))))
				return true;
			colons++;
			part = 0;
			dots = pending = 0;
			continue;
		}
		if (c & C_DOT) {
			pending++;
		} else if (c & (C_DIG | C_HEX | C_ALPHA)) {
			dots += pending;
			pending = 0;
		}
		part |= c;
	}
	/* six colons: the shape of an IPv6 address (ipv6_shape) */
	return colons >= 6 || dots >= 3 || (dots && (part & (C_HEX | C_ALPHA | C_DASH)));
}

/* Looks up the word [s, i) when it can be an observable (a URL when it
 * is "scheme://"); fl: the classes of its bytes; returns where the search
 * goes on. A word or URL wholly inside skip was looked up already. */
static size_t word(scan *sc, const char *p, size_t n, size_t s, size_t i, unsigned fl, span skip)
{
	/* most words are none of the forms: no dot, colon or '@', and not
	 * a run of hex digits as long as a hash */
	if (!(fl & (C_DOT | C_COLON | C_AT)) &&
	    ((fl & (C_ALPHA | C_DASH)) || (i - s != 32 && i - s != 40 && i - s != 64)))
		return i;
	/* "scheme://…": a URL to the next space or quote */
	if (i + 1 < n && p[i - 1] == ':' && p[i] == '/' && p[i + 1] == '/' && i - s >= 3) {
		size_t e = i + 2;
		while (e < n && !url_stop((unsigned char)p[e]))
			e++;
		while (e > i + 2 && strchr(".,;:)]}!?", p[e - 1]))
			e--;
		if (s < skip.from || e > skip.to)
			lookup_url(sc, p + s, e - s);
		return e;
	}
	/* token() looks at nothing under 4 bytes ("5.0", "a:b") */
	if (i - s < 4 || (s >= skip.from && i <= skip.to))
		return i;
	if ((fl & (C_AT | C_COLON)) != C_COLON || may_hold(p + s, i - s))
		token(sc, p + s, i - s, fl);
	return i;
}

/* Sixteen bytes of text as a vector: GCC's and Clang's vector extension,
 * SSE2 on x86-64, NEON on ARM, plain code elsewhere. */
typedef unsigned char v16 __attribute__((vector_size(16)));
typedef uint64_t v2u64 __attribute__((vector_size(16)));

/* Marks the bytes of the 16 in v that can start the look for an
 * observable: m gets 0xff at each '.', ':' and '@' (bytes 0-7 in m[0]). */
static inline void vector_marks(v16 v, uint64_t m[2])
{
	v16 sp = (v16)(v == '.') | (v16)(v == ':') | (v16)(v == '@');
	memcpy(m, &sp, 16);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	m[0] = __builtin_bswap64(m[0]);
	m[1] = __builtin_bswap64(m[1]);
#endif
}

/* Whether all 16 bytes of v are hex digits: 32 hex digits in a row, the
 * shortest hash, hold a whole block of 16 wherever the blocks begin. */
static inline bool vector_hex(v16 v)
{
	v16 h = (v16)((v16)(v - '0') < 10) | (v16)((v16)((v | 0x20) - 'a') < 6);
	uint64_t hw[2];
	memcpy(hw, &h, 16);
	return (hw[0] & hw[1]) == ~0ull;
}

/* Clears the marks of the bytes before byte off (< 16) of a block. */
static inline void marks_from(uint64_t m[2], size_t off)
{
	if (off >= 8) {
		m[0] = 0;
		m[1] &= ~0ull << ((off - 8) * 8);
	} else if (off) {
		m[0] &= ~0ull << (off * 8);
	}
}

/* The classes of the 16 bytes of v, each as cls[] gives it. */
static inline v16 vector_cls(v16 v)
{
	v16 low = v | 0x20;
	return ((v16)((v16)(v - '0') < 10) & (C_WORD | C_DIG)) |
	       ((v16)((v16)(low - 'a') < 6) & (C_WORD | C_HEX)) |
	       ((v16)((v16)(low - 'g') < 20) & (C_WORD | C_ALPHA)) |
	       ((v16)(v == '.') & (C_WORD | C_DOT)) | ((v16)(v == ':') & (C_WORD | C_COLON)) |
	       ((v16)(v == '@') & (C_WORD | C_AT)) |
	       ((v16)((v == '-') | (v == '_')) & (C_WORD | C_DASH));
}

/* Bit j: byte j of the classes c is no word byte. */
static inline unsigned lanes_none(v16 c)
{
	v16 z = (v16)(c == 0);
#ifdef __SSE2__
	return (unsigned)_mm_movemask_epi8((__m128i)z);
#else
	uint64_t w[2];
	memcpy(w, &z, 16);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w[0] = __builtin_bswap64(w[0]);
	w[1] = __builtin_bswap64(w[1]);
#endif
	/* bit 0 of each byte gathered into the top byte */
	const uint64_t gather = 0x0102040810204080ull, low = 0x0101010101010101ull;
	return (unsigned)(((w[0] & low) * gather) >> 56 | ((w[1] & low) * gather) >> 56 << 8);
#endif
}

/* The classes of bytes a..b-1 of c put together. */
static inline unsigned lanes_or(v16 c, unsigned a, unsigned b)
{
	/* 16 bytes of it from 16 - a: 0xff from byte a on; from 32 - b:
	 * 0xff before byte b (a, b <= 16) */
	static const unsigned char window[48] = {
	    [16] = 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	v16 from, before;
	memcpy(&from, window + 16 - a, 16);
	memcpy(&before, window + 32 - b, 16);
	c &= from & before;
	uint64_t w[2];
	memcpy(w, &c, 16);
	uint64_t x = w[0] | w[1];
	x |= x >> 32;
	x |= x >> 16;
	x |= x >> 8;
	return (unsigned)(x & 0xff);
}

/* The word that holds byte q of the block of 16 bytes at b, not
 * starting before i (c: the block's classes, none: its bytes that are
 * no word byte, bytes past the text's end among them): its start in *s,
 * its classes in *fl; returns its end. Inside the block it is a few
 * bit operations; a word that goes on past either edge is read on byte
 * by byte there. */
static inline size_t word_bounds(const char *p, size_t n, size_t b, v16 c, unsigned none,
                                 size_t i, size_t q, size_t *s, unsigned *fl)
{
	unsigned ql = (unsigned)(q - b), below = none & ((1u << ql) - 1), above = none >> ql;
	size_t st = below ? b + 32 - (size_t)__builtin_clz(below) : b;
	size_t e = above ? q + (size_t)__builtin_ctz(above) : b + 16;
	unsigned f = 0;
	if (st < i)
		st = i;
	else if (!below)
		while (st > i && (cls[(unsigned char)p[st - 1]] & C_WORD))
			f |= cls[(unsigned char)p[--st]];
	if (!above)
		while (e < n && (cls[(unsigned char)p[e]] & C_WORD))
			f |= cls[(unsigned char)p[e++]];
	size_t lo = st > b ? st - b : 0, hi = e < b + 16 ? e - b : 16;
	*s = st;
	*fl = f | lanes_or(c, (unsigned)lo, (unsigned)hi);
	return e;
}

/* Looks up the word that holds byte q of the block at b, not starting
 * before i; returns where the search goes on. */
static inline size_t word_at(scan *sc, const char *p, size_t n, size_t b, v16 c, unsigned none,
                             size_t i, size_t q, span skip)
{
	size_t s;
	unsigned fl;
	size_t e = word_bounds(p, n, b, c, none, i, q, &s, &fl);
	return word(sc, p, n, s, e, fl, skip);
}

/* Looks up the words that hold a mark of the block of 16 bytes at b (m:
 * its marks; hex: all 16 are hex digits), those words only, from i on;
 * returns where the search goes on. */
static size_t scan_block(scan *sc, const char *p, size_t n, size_t b, v16 v, uint64_t m[2],
                         bool hex, size_t i, span skip)
{
	v16 c = vector_cls(v);
	unsigned none = lanes_none(c);
	if (hex && i < b + 16)
		i = word_at(sc, p, n, b, c, none, i, b > i ? b : i, skip);
	while (i < b + 16) {
		if (i > b)
			marks_from(m, i - b);
		size_t q;
		if (m[0])
			q = b + (size_t)__builtin_ctzll(m[0]) / 8;
		else if (m[1])
			q = b + 8 + (size_t)__builtin_ctzll(m[1]) / 8;
		else
			break;
		i = word_at(sc, p, n, b, c, none, i, q, skip);
	}
	return i;
}

/* k (4 or 8) bytes at p as a number, the first the lowest. */
static inline uint64_t load_le(const char *p, size_t k)
{
	uint64_t w = 0;
	if (k == 8) {
		memcpy(&w, p, 8);
	} else {
		uint32_t x;
		memcpy(&x, p, 4);
		w = x;
	}
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = k == 8 ? __builtin_bswap64(w) : __builtin_bswap32((uint32_t)w);
#endif
	return w;
}

/* A text of fewer than 16 bytes as two words (bytes 0-7, 8-15), read
 * with two loads that may overlap, zeros past its end. */
static inline void short_words(const char *p, size_t n, uint64_t *a, uint64_t *b)
{
	*a = *b = 0;
	if (n >= 8) {
		*a = load_le(p, 8);
		if (n > 8)
			*b = load_le(p + n - 8, 8) >> (8 * (16 - n)); /* bytes 8.. of the text */
	} else if (n > 4) {
		*a = load_le(p, 4) | load_le(p + n - 4, 4) >> (8 * (8 - n)) << 32;
	} else {
		for (size_t i = 0; i < n; i++)
			*a |= (uint64_t)(unsigned char)p[i] << (8 * i);
	}
}

/* A text of fewer than 16 bytes as a vector in v (zeros past its end),
 * its marks as vector_marks gives them; whether there is one. */
static inline bool short_marks(const char *p, size_t n, v16 *v, uint64_t m[2])
{
	uint64_t a, b;
	short_words(p, n, &a, &b);
	/* a vector made of the two words in registers: a copy through memory
	 * would make the processor wait for the stores */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	a = __builtin_bswap64(a); /* the text's first byte first in memory */
	b = __builtin_bswap64(b);
#endif
	v2u64 w = {a, b};
	*v = (v16)w;
	vector_marks(*v, m); /* the zero bytes past the text are no marks */
	return (m[0] | m[1]) != 0;
}

/* Every observable of the text: the words that hold a '.', ':' or '@'
 * or a block of 16 hex digits (every observable does), found sixteen
 * bytes a step; the words between are passed over. The last block
 * overlaps the one before it; a text under 16 bytes is read as two
 * words. O(n). */
static void scan_text(scan *sc, const char *p, size_t n, span skip)
{
	uint64_t m[2];
	size_t i = 0; /* the words before i are done */
	if (n < 16) {
		v16 v;
		if (short_marks(p, n, &v, m))
			scan_block(sc, p, n, 0, v, m, false, 0, skip);
		return;
	}
	for (size_t b = 0;; b += 16) {
		if (b < (i & ~(size_t)15))
			b = i & ~(size_t)15;
		if (b + 16 > n)
			b = n - 16;
		v16 v;
		memcpy(&v, p + b, 16);
		vector_marks(v, m);
		bool hex = n >= 32 && vector_hex(v); /* no hash in less */
		if (hex || (m[0] | m[1]))
			i = scan_block(sc, p, n, b, v, m, hex, i, skip);
		if (b + 16 >= n || i >= n)
			return;
	}
}

int ioc_set_match(const ioc_set *s, const char *value, size_t n, ioc_hit_fn fn, void *ctx)
{
	scan sc;
	scan_init(&sc, s, fn, ctx);
	char norm[IOC_VALUE_MAX + 1];
	size_t nn;
	ioc_type t = ioc_normalise(value, n, IOC_NONE, norm, &nn);
	if (t == IOC_CIDR) {
		/* a range: the indicators inside it are not looked for; itself is */
		for (size_t i = 0; i < s->n; i++)
			if (s->v[i].type == IOC_CIDR && strcmp(s->text + s->v[i].str, norm) == 0)
				report(&sc, &s->v[i], value, n);
		return sc.hits;
	}
	if (t == IOC_URL)
		lookup_url(&sc, norm, nn);
	else if (t != IOC_NONE)
		scan_text(&sc, norm, nn, NO_SPAN);
	flush(&sc);
	return sc.hits;
}

static bool within(det_str inner, det_str outer)
{
	return outer.n && inner.p >= outer.p && inner.p + inner.n <= outer.p + outer.n;
}

/* Whether a field before i has the very slice v as its value. O(i). */
static bool same_value(const det_event *ev, size_t i, det_str v)
{
	for (size_t k = 0; k < i; k++)
		if (ev->fields[k].value.p == v.p && ev->fields[k].value.n == v.n)
			return true;
	return false;
}

/* Whether a Wazuh alert's field is Wazuh's own bookkeeping, not the
 * event's (see the top of the file). */
static bool wazuh_own(det_str n)
{
#define HAS(s) (n.n >= sizeof s - 1 && memcmp(n.p, s, sizeof s - 1) == 0)
#define IS(s) (n.n == sizeof s - 1 && memcmp(n.p, s, sizeof s - 1) == 0)
	if (n.n < 2)
		return false;
	switch (n.p[0]) { /* one compare for most names */
	case 'r':
		return HAS("rule.");
	case 'd':
		return HAS("decoder.");
	case 'm':
		return HAS("manager.");
	case 'c':
		return HAS("cluster.");
	case 't':
		return IS("timestamp");
	case 'i':
		return IS("id");
	case 'p':
		return IS("predecoder.program_name") || IS("predecoder.timestamp");
	default:
		return false;
	}
#undef HAS
#undef IS
}

/* The lookups of every observable of ev, queued (those beyond the queue
 * made at once). */
static void scan_event(scan *sc, const det_event *ev)
{
	if (ev->host.n)
		scan_text(sc, ev->host.p, ev->host.n, NO_SPAN);
	if (ev->message.n)
		scan_text(sc, ev->message.p, ev->message.n, NO_SPAN);
	else if (ev->n_fields == 0)
		scan_text(sc, ev->raw.p, ev->raw.n, NO_SPAN);
	uintptr_t last = 0;
	bool wazuh = ev->format == DET_FMT_WAZUH;
	for (size_t i = 0; i < ev->n_fields; i++) {
		det_str v = ev->fields[i].value;
		if (v.n < 4 || within(v, ev->message) || within(v, ev->host) ||
		    (wazuh && wazuh_own(ev->fields[i].name)))
			continue;
		/* fields are met in the order of the text; one that goes back
		 * may be another name for a value met already (the Windows
		 * fields under Sigma's names) */
		if ((uintptr_t)v.p <= last && same_value(ev, i, v))
			continue;
		last = (uintptr_t)v.p;
		/* a field that holds the message (Wazuh's full_log): the words
		 * of the message were looked up already */
		span skip = NO_SPAN;
		if (within(ev->message, v))
			skip = (span){(size_t)(ev->message.p - v.p),
			              (size_t)(ev->message.p - v.p) + ev->message.n};
		scan_text(sc, v.p, v.n, skip);
	}
}

int ioc_scan(const ioc_set *s, const det_event *ev, ioc_hit_fn fn, void *ctx)
{
	if (s->n == 0)
		return 0;
	scan sc;
	scan_init(&sc, s, fn, ctx);
	scan_event(&sc, ev);
	flush(&sc);
	return sc.hits;
}

struct ioc_pending {
	scan sc;
};

ioc_pending *ioc_pending_new(void)
{
	ioc_pending *p = malloc(sizeof *p);
	if (p == NULL)
		abort();
	return p;
}

void ioc_pending_free(ioc_pending *p)
{
	free(p);
}

void ioc_scan_begin(ioc_pending *p, const ioc_set *s, const det_event *ev, ioc_hit_fn fn,
                    void *ctx)
{
	scan_init(&p->sc, s, fn, ctx);
	if (s->n > 0)
		scan_event(&p->sc, ev);
}

int ioc_scan_end(ioc_pending *p)
{
	flush(&p->sc);
	return p->sc.hits;
}
