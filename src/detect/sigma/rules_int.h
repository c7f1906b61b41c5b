/*
 * rules_int.h: the compiled form of Sigma rules, shared by the loader
 * (sigma_load.c, sigma_cond.c, sigma_value.c), the mapping
 * (mapping.c), the pattern compiler (compile.c) and the matcher
 * (match.c). Not for use outside src/detect.
 *
 * A rule is a condition tree (node) over tests (atom). An atom tests the
 * values of one field slot: slots are the Sigma field names rules use,
 * numbered once for the whole set. An event field name leads to every
 * slot it answers to: its own, when it is a Sigma name a rule tests, and
 * each Sigma name the mapping gives it (the access log's cs-uri-query is
 * also the proxy taxonomy's c-uri-query), so an event's fields are sorted
 * into slots with one hash lookup each. String and regular-expression atoms become patterns
 * (deduplicated across rules) in their slot's Hyperscan database.
 */
#ifndef SG_DETECT_RULES_INT_H
#define SG_DETECT_RULES_INT_H

#include <stdint.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs/hs.h>
#include <pcre2.h>

#include "base/arena.h"
#include "detect/sigma/rules.h"

/* Logsource entries of the mapping: the Windows channels and Sysmon
 * events SigmaHQ names, Linux programs, web servers, CEF. */
enum { SLOT_KEYWORDS = 0, MAX_LOGSOURCES = 256 };

/* A set of logsource entries, one bit each. */
typedef struct ls_bits {
	uint64_t w[MAX_LOGSOURCES / 64];
} ls_bits;

static inline void ls_set(ls_bits *b, int i)
{
	b->w[i / 64] |= 1ULL << (i % 64);
}

static inline bool ls_empty(const ls_bits *b)
{
	for (int i = 0; i < MAX_LOGSOURCES / 64; i++)
		if (b->w[i])
			return false;
	return true;
}

/* Whether two sets share an entry. */
static inline bool ls_meet(const ls_bits *a, const ls_bits *b)
{
	uint64_t x = 0;
	for (int i = 0; i < MAX_LOGSOURCES / 64; i++)
		x |= a->w[i] & b->w[i];
	return x != 0;
}

/* The lowest entry of a set that is not empty. */
static inline int ls_first(const ls_bits *b)
{
	for (int i = 0; i < MAX_LOGSOURCES / 64; i++)
		if (b->w[i])
			return i * 64 + __builtin_ctzll(b->w[i]);
	return -1;
}

static inline void ls_or(ls_bits *a, const ls_bits *b)
{
	for (int i = 0; i < MAX_LOGSOURCES / 64; i++)
		a->w[i] |= b->w[i];
}

typedef enum {
	ATOM_PATTERN, /* Sigma string or regular expression: a pattern */
	ATOM_ANY,     /* "*": the field has a non-empty value */
	ATOM_EMPTY,   /* '': the field is there and empty */
	ATOM_NULL,    /* null: the field is absent or empty */
	ATOM_EXISTS,  /* |exists: true / false (num = 1 / 0) */
	ATOM_NUM,     /* |gt |gte |lt |lte */
	ATOM_CIDR,    /* |cidr */
	ATOM_FIELDREF /* |fieldref: another field's value */
} atom_kind;

typedef enum { CMP_EQ, CMP_GT, CMP_GTE, CMP_LT, CMP_LTE } cmp_op;

typedef struct atom {
	atom_kind kind;
	int slot;
	bool negate; /* |neq */
	int pattern; /* ATOM_PATTERN: index into rs->patterns */
	cmp_op cmp;  /* ATOM_NUM */
	double num;
	uint8_t net[16]; /* ATOM_CIDR: address, 4 or 16 bytes */
	int family, bits;
	int ref_slot; /* ATOM_FIELDREF */
	int ref_mode; /* 0 equal, 1 contains, 2 startswith, 3 endswith */
	bool cased;
} atom;

typedef enum { NODE_ATOM, NODE_AND, NODE_OR, NODE_NOT, NODE_TRUE, NODE_FALSE } node_kind;

typedef struct node {
	node_kind kind;
	int atom;          /* NODE_ATOM */
	struct node **kid; /* NODE_AND, NODE_OR (n_kid), NODE_NOT (1) */
	int n_kid;
} node;

/* A literal test (literal.c): bytes, letters folded to lower case unless
 * cased, tied to the start, the end, both (the whole value) or neither
 * (contains). */
typedef struct lit_test {
	unsigned char *bytes;
	size_t n;
	bool start, end;
	bool cased; /* bytes compared as they are */
} lit_test;

static inline unsigned char lit_fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

/* lit_fold on eight bytes at once: each byte in 'A'..'Z' gains 0x20. */
static inline uint64_t lit_fold8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t low7 = w & 0x7F * ones;
	uint64_t ge_a = low7 + (0x80 - 'A') * ones; /* top bit: low7 >= 'A' */
	uint64_t gt_z = low7 + (0x7F - 'Z') * ones; /* top bit: low7 > 'Z' */
	uint64_t upper = ge_a & ~gt_z & ~w & 0x80 * ones;
	return w | upper >> 2;
}

/* Whether v[0..n), folded, is folded[0..n). */
static inline bool lit_same(const unsigned char *v, const unsigned char *folded, size_t n)
{
	for (; n >= 8; v += 8, folded += 8, n -= 8) {
		uint64_t a, b;
		memcpy(&a, v, 8);
		memcpy(&b, folded, 8);
		if (lit_fold8(a) != b)
			return false;
	}
	for (; n; n--)
		if (lit_fold(*v++) != *folded++)
			return false;
	return true;
}

/* The bytes of expr when it is a literal as sigma_value.c writes one
 * ("^" and "\z" optional; letters, digits, \xHH), as written (not
 * folded), with *start and *end saying which anchors it has; their count,
 * 0 when expr is anything else. out holds strlen(expr) bytes. */
size_t literal_of(const char *expr, unsigned char *out, bool *start, bool *end);
/* The same for a rule's own regular expression (no extended flag): also
 * the escapes of one byte ("\n", "\.", "\\") and the printable bytes
 * that are not metacharacters. */
size_t literal_of_re(const char *expr, unsigned char *out, bool *start, bool *end);
/* The strings a pattern written as sigma_value.c writes a Sigma string
 * without anchors stands for, when they are at most LIT_STRINGS_MAX:
 * bytes (letters, digits, \xHH, printable non-metacharacters), "." (any
 * byte; dot-all only), classes of bytes, groups of alternatives
 * ("(?:-|/|\xE2\x80[\x93-\x95])"). Into out, each string's
 * bytes (malloc'd, the caller frees them) followed by its care bytes (0:
 * any byte stands there); their count, 0 when expr is anything else. */
enum { LIT_STRINGS_MAX = 64 };
typedef struct lit_string {
	unsigned char *bytes, *care;
	size_t len;
} lit_string;
int literal_strings(const char *expr, bool dotall, lit_string *out);
/* Whether the value passes the test (without case unless l->cased). */
bool lit_find(const lit_test *l, const char *value, size_t n);

/* Strings one of which every match of a regular expression contains,
 * letters folded to lower case (factor.c). */
enum { FACTOR_MAX = 16, FACTOR_LEN = 40, FACTOR_MIN = 4 };
typedef struct re_factor_set {
	int n;
	unsigned char len[FACTOR_MAX];
	unsigned char s[FACTOR_MAX][FACTOR_LEN];
} re_factor_set;
/* Whether expr (Hyperscan's syntax) holds a repeat Hyperscan needs an
 * automaton for (".*", "\\s+", "{1,256}") and every match of it contains
 * one of a set of strings of at least FACTOR_MIN bytes; that set into
 * *out. False also when expr is not read. */
bool re_factor(const char *expr, re_factor_set *out);
/* Byte counts every match of a regular expression needs: at least k[i]
 * bytes of the value in set[i] (sets of a few uncommon bytes: "+" 14
 * times, "[0-7]" 7 times), for one with no factor that Hyperscan would
 * need an automaton for (factor.c). */
enum { COUNT_NEEDS = 4 };
typedef struct re_counts {
	int n;
	uint16_t k[COUNT_NEEDS];
	uint64_t set[COUNT_NEEDS][4];
} re_counts;
bool re_count_needs(const char *expr, re_counts *out);

/* How a pattern's firing wakes a rule (pattern.wake): alone (the rule
 * goes on the candidate list), or as one of two clauses that must both
 * have fired in the event (compile.c, choose_wakes). */
enum { WAKE_ALONE = 0, WAKE_A = 1, WAKE_B = 2 };

/* One distinct pattern: a regular expression for Hyperscan (and PCRE2
 * where Hyperscan cannot run it exactly) on one slot. */
typedef struct pattern {
	char *expr;
	unsigned flags; /* HS_FLAG_* */
	int slot;
	int *rules; /* rules that use it */
	int n_rules, cap_rules;
	int *wake; /* rules it wakes, each rule * 4 + a WAKE_ kind (compile.c) */
	int n_wake, cap_wake;
	bool prefilter; /* Hyperscan runs an approximation; PCRE2 confirms */
	bool pcre_only; /* Hyperscan cannot run it at all */
	bool lazy;      /* short and wakes no rule: tested by PCRE2 only when a
	                 * woken rule asks (compile.c) */
	bool anchored;  /* a caseless literal at the start or end of the value:
	                 * found by a trie walk, not Hyperscan (anchored.c) */
	bool in_set;    /* strings anywhere in the value (a literal, its windash
	                 * or "?" forms, a factor), of a slot with thousands:
	                 * found by literal_set.c, not Hyperscan */
	pcre2_code *re; /* set when prefilter, pcre_only, lazy, factor or counts */
	lit_test *lit;  /* lazy or PCRE2-only, and a literal: tested by
	                 * lit_find, not re (compile.c) */
	re_factor_set *factor; /* Hyperscan scans these strings instead of
	                        * expr; PCRE2 (re) confirms (compile.c) */
	re_counts *counts;     /* not scanned: fires when the value holds
	                        * these bytes; PCRE2 confirms (match.c) */
} pattern;

/* A rule's condition as the matcher reads it (compile.c): the tree's
 * nodes in preorder in one array, each with the index past its subtree
 * (an AND's or OR's operands follow it, the next at the previous one's
 * end), so evaluating a rule reads a few cache lines instead of nodes
 * spread over the arena; a test of a pattern scanned exactly (Hyperscan
 * or anchored.c) names the pattern, whose mark is read without the atom
 * and the pattern record. */
typedef struct step {
	node_kind kind;
	int pattern; /* NODE_ATOM of a scanned pattern: its index; else -1 */
	int atom;    /* NODE_ATOM */
	int end;     /* index past this step's subtree */
} step;

typedef struct rule {
	det_rule pub;
	node *cond;
	step *steps; /* cond laid out for the matcher, at compile */
	ls_bits logsources; /* bit i: mapping logsource i feeds this rule */
	bool always;         /* the condition can hold with no pattern firing */
	int *feeds;          /* correlations this rule is a member of ... */
	int *feeds_member;   /* ... and its place in each one's rule list */
	int n_feeds;
} rule;

/* A correlation rule (Sigma correlation specification 2.x). */
typedef enum { CORR_EVENT_COUNT, CORR_VALUE_COUNT, CORR_TEMPORAL, CORR_TEMPORAL_ORDERED } corr_type;
typedef enum { CORR_GT, CORR_GTE, CORR_EQ } corr_op;

/* A field a correlation reads from its member events, as the names it is
 * looked up by in turn: its own, then the others the mapping gives it
 * (header: one of the event's header members, as det_event_get answers
 * them). Resolved once at compile, so an observation compares lengths and
 * bytes only (correlate.c). */
typedef struct corr_name {
	const char *name;
	size_t len;
	bool header;
} corr_name;

typedef struct corr_field {
	corr_name *names;
	int n;
} corr_field;

typedef struct corr {
	det_rule pub;
	corr_type type;
	const char **refs; /* member rules by id or name, as written */
	size_t n_refs;
	int *members;      /* resolved at compile: rule indices */
	const det_rule **member_rules; /* the same, as rules (arena) */
	const char **group_by;
	size_t n_group;
	const char **alias_field; /* [g * n_refs + member]: the field that stands
	                           * for group-by g in that member's events; NULL:
	                           * the group-by name itself */
	int64_t timespan;  /* seconds */
	corr_op op;
	int64_t threshold;
	const char *field; /* value_count: the field whose distinct values count */
	bool generate;     /* members also report their own matches */
	corr_field *group_fields; /* [g * n_refs + member]: group-by g as read
	                           * from that member's events (compile) */
	corr_field value_field;   /* value_count: field, as read (compile) */
	int col;
	bool dropped;      /* a member could not be resolved */
} corr;

typedef struct where {
	int slot; /* -1: the event's format */
	const char **values;
	size_t *lens; /* of values (compile.c) */
	int n_values;
} where;

typedef struct logsource {
	const char *product, *category, *service;
	where *where;
	int n_where;
} logsource;

typedef struct rules_cache rules_cache;

/* An event field name and the slots its value goes to: own (the slot of
 * the Sigma field of that name; -1 when no rule tests it) and the chain
 * of links from link (the Sigma names the mapping gives it). The hash and
 * length are kept so that a lookup compares bytes only on a true hit. */
typedef struct slot_name {
	const char *name;
	uint32_t hash;
	uint32_t len;
	int own;
	int link; /* index in det_rules.links; -1 ends the chain */
} slot_name;

typedef struct slot_link {
	int slot;
	int next;
} slot_link;

/* One Hyperscan database of a slot: the patterns of the rules fed by one
 * group of logsource entries (compile.c), scanned only for an event that
 * belongs to one of them. */
typedef struct slot_db {
	hs_database_t *db;
	ls_bits ls;
} slot_db;

/* The count tests of one slot (compile.c): a value's bytes are counted
 * into the slot's sets (bits[b]: the sets byte b is in), and a test fires
 * its pattern when each of its counts is reached (match.c). */
enum { COUNT_SETS = 32 };
typedef struct count_test {
	int pattern;
	int n;
	uint8_t set[COUNT_NEEDS];
	uint16_t k[COUNT_NEEDS];
	ls_bits ls; /* the entries its rules are fed by */
} count_test;

typedef struct count_slot {
	uint32_t bits[256];
	int n_sets;
	count_test *tests;
	int n_tests;
	ls_bits ls; /* the entries any test serves */
} count_slot;
void rules_free_counts(det_rules *rs); /* rules.c */

/* The logsource entries whose key test (their "format", else their first
 * "where" field) a value passes: slot -1 is the format; value "*" any
 * non-empty value. The matcher finds an event's entries through these
 * instead of trying every entry (match.c). */
typedef struct ls_key {
	int slot;
	const char *value;
	size_t n;
	int *entries;
	int n_entries;
} ls_key;

/* The entries keyed by (slot, the n bytes at value) (compile.c); NULL
 * when none. */
const ls_key *rules_ls_key(const det_rules *rs, int slot, const char *value, size_t n);

/* The tries of anchored literals (anchored.c): per slot a root for
 * prefixes and equalities (root[2 * slot]) and one for suffixes, walked
 * backward (root[2 * slot + 1]); -1 when none. */
typedef struct anchor_edge {
	uint32_t key;      /* node << 8 | first byte of the label */
	int child;         /* the node it leads to; 0: a free entry */
	int term;          /* the child's first term, -1 none */
	uint32_t off, len; /* its label in pool: letters folded to lower
	                    * case, the bytes as they stand in a value */
} anchor_edge;

typedef struct anchor_term {
	int pattern;
	bool whole; /* fires only when the walk has used the whole value */
	int next;   /* the node's next term; -1 ends */
} anchor_term;

typedef struct anchors {
	anchor_edge *edges; /* what a walk reads at a branch, in one place */
	size_t mask;
	int n_nodes;
	unsigned char *pool;
	size_t n_pool;
	anchor_term *terms;
	int n_terms, cap_terms;
	int *root;
	ls_bits *ls; /* per slot: the entries its anchored patterns serve */
} anchors;

/* Marks the patterns that are anchored literals (pls: the entries each
 * pattern serves; one no entry feeds is left out) and builds their
 * tries. */
void anchors_build(det_rules *rs, const ls_bits *pls);
void anchors_free(anchors *t);
/* Calls hit for each anchored pattern of slot the value p[0..n) passes. */
void anchors_walk(const anchors *t, int slot, const char *p, size_t n,
                  void (*hit)(void *ctx, int pattern), void *ctx);

/* The many strings one slot is tested for (literal_set.c): a slot with
 * LIT_SET_MIN patterns or more that are strings has them in a set, marked
 * in_set. */
enum { LIT_SET_MIN = 1000, LIT_BUCKET_MAX = 64 };
typedef struct lit_spec {
	int pattern;
	const unsigned char *bytes; /* as written */
	const unsigned char *care;  /* per byte, 0: any byte; NULL: all count */
	size_t len;                 /* 1 .. 65535 */
	bool cased;
} lit_spec;
typedef struct lit_set lit_set;
/* Sets rs->lit_sets and the patterns' in_set (pls: the entries each
 * pattern serves); after anchors_build, find_factors and build_counts. */
void lit_sets_build(det_rules *rs, const ls_bits *pls);
void lit_sets_free(det_rules *rs);
/* The width of the window a string is filed under: 8, 4, 2 or 1 by its
 * longest run of bytes that count; 0 when it has none. */
int lit_spec_width(const lit_spec *l);
/* A set of strings, each with width > 0; NULL when more than
 * LIT_BUCKET_MAX of them would be filed under one window (the slot's
 * patterns then stay Hyperscan's). */
lit_set *lit_set_build(const lit_spec *specs, int n);
void lit_set_free(lit_set *s);
/* The entries the set's patterns serve. */
const ls_bits *lit_set_ls(const lit_set *s);
/* Calls hit for each pattern of the set the value p[0..n) contains; buf
 * holds n + 8 bytes (the value folded). */
void lit_set_scan(const lit_set *s, const char *p, size_t n, unsigned char *buf,
                  void (*hit)(void *ctx, int pattern), void *ctx);

/* A placeholder of |expand and the values the site gives it
 * (sigma_expand.c). */
typedef struct placeholder {
	const char *name;
	const char **values;
	int n_values;
} placeholder;

struct det_rules {
	arena a;
	rule **rules;
	size_t n_rules, cap_rules;
	atom *atoms;
	size_t n_atoms, cap_atoms;
	pattern *patterns;
	size_t n_patterns, cap_patterns;
	int *pattern_index; /* open addressing over (slot, flags, expr) */
	size_t cap_pattern_index;
	/* Field names (event side) → slots, open addressing; and per slot its
	 * rule-side name. */
	slot_name *names;
	size_t cap_names, n_names;
	uint64_t name_filter[64]; /* bit (length, first, last byte) of each name */
	slot_link *links;
	size_t n_links, cap_links;
	const char **slot_label;
	int n_slots, cap_slots;
	/* The mapping: Sigma field → other event field names; logsources. */
	const char **alias_from, **alias_to;
	int n_alias, cap_alias;
	logsource logsources[MAX_LOGSOURCES];
	int n_logsources;
	placeholder *placeholders;
	int n_placeholders;
	bool compiled;
	/* Per slot s: its databases dbs[slot_dbs[s]] .. dbs[slot_dbs[s + 1] - 1],
	 * one per group of logsource entries its patterns serve. A pattern's
	 * Hyperscan id is its index in patterns. */
	slot_db *dbs;
	int *slot_dbs;
	int n_dbs;
	ls_bits used; /* the entries some rule is fed by */
	ls_key *keys; /* open addressing over (slot, value) */
	size_t cap_keys;
	int *key_slots; /* the slots some entry's key test reads */
	int n_key_slots;
	anchors anchors;
	count_slot **counted; /* per slot: its count tests, NULL when none */
	lit_set **lit_sets;   /* per slot: its literal set, NULL when none */
	/* Every keyword test finds in a text what it finds in any longer text
	 * holding it (a plain Sigma string, wildcards allowed): then the
	 * message of a JSON event that is a slice of its line, as the JSON
	 * reader leaves a string without escapes, need not be tested apart
	 * from the line (compile.c, match.c). */
	bool keywords_in_line;
	int *always; /* rules to evaluate on every event of their logsources */
	int n_always;
	size_t unmapped;
	corr **corrs;
	size_t n_corrs, cap_corrs;
	rules_cache *cache; /* compiled databases on disk (rules_cache.c) */
};

/* Correlations: loading (sigma_load.c) and resolving members at compile
 * (correlate.c). */
int rules_add_corr(det_rules *rs, corr *c);
void corr_resolve(det_rules *rs, diags *d);

/* Slots. */
/* The slot of a Sigma field name, made on first use. */
int rules_slot(det_rules *rs, const char *sigma_name);
/* A hash of n bytes, eight at a time (rules.c). */
uint64_t rules_hash(const char *s, size_t n);
/* The entry of an event field name; NULL when its value goes to no slot. */
const slot_name *rules_field_slots(const det_rules *rs, const char *name, size_t n);
/* A name's bit in name_filter: most field names of an event go to no
 * slot, and the filter turns most of them away before they are hashed,
 * inline in the matcher's loop over fields. */
static inline unsigned rules_name_bit(const char *name, size_t n)
{
	return (unsigned)(n * 131 + (unsigned char)name[0] * 31 + (unsigned char)name[n - 1]) &
	       4095;
}
/* False when no slot has the name (true may still be none). */
static inline bool rules_name_maybe(const det_rules *rs, const char *name, size_t n)
{
	if (n == 0)
		return false;
	unsigned bit = rules_name_bit(name, n);
	return rs->name_filter[bit / 64] >> (bit % 64) & 1;
}

/* Whether a pattern's mark alone says if it holds: Hyperscan or the
 * anchored walk runs it exactly (not an approximation PCRE2 confirms, nor
 * a test made only when a rule asks). */
static inline bool pattern_exact(const pattern *p)
{
	return !p->prefilter && !p->pcre_only && !p->lazy && !p->factor && !p->counts;
}

/* Rules, atoms and patterns; return their index. */
int rules_add_rule(det_rules *rs, rule *r);
int rules_atom(det_rules *rs, const atom *a);
int rules_pattern(det_rules *rs, int slot, const char *expr, unsigned flags);

/* The condition string of a rule into a tree over its selections. */
typedef struct cond_sel {
	const char *name;
	node *tree;
} cond_sel;
node *cond_parse(arena *a, const char *text, const cond_sel *sels, int n_sels, char *err,
                 size_t errn);

/* Sigma value → the regular expression of its test ("contains",
 * wildcards, windash, base64, …); see sigma_value.c. */
typedef struct value_mods {
	bool contains, startswith, endswith, all, re, cased, windash;
	bool re_i, re_m, re_s;
	bool base64, base64offset;
	int utf16; /* 0 none, 1 le, 2 be, 3 with BOM (le) */
	bool cidr, exists, fieldref, neq, expand;
	cmp_op cmp;
	bool numeric;
} value_mods;
int value_parse_mods(const char *mods, value_mods *m, char *err, size_t errn);
/* Appends to out (arena strings) the regular expressions one Sigma value
 * stands for; returns their count, or -1 with a reason. */
int value_patterns(arena *a, const char *value, const value_mods *m, char ***out, char *err,
                   size_t errn);

/* The values a value with |expand stands for, its "%name%" placeholders
 * filled from the placeholders file (arena strings in a malloc'd array
 * *out); their count, or -1 with a reason. */
int expand_value(det_rules *rs, const char *value, char ***out, char *err, size_t errn);

/* The mapping file (rules/mapping.yaml): field aliases and logsources. */
int mapping_load(det_rules *rs, const char *data, size_t n, const char *file, diags *d);
ls_bits mapping_rule_logsources(const det_rules *rs, const det_rule *r);

#endif
