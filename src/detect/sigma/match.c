/*
 * match.c: one event against a compiled rule set (prefilter, then verify).
 *
 *  1. Sort the event's fields into slots: a field's name is found among
 *     the few the matcher's table holds under its (length, first, last
 *     byte) bit, compared inline.
 *  2. Find the logsource entries the event belongs to, as a bitset: only
 *     the entries whose key test its format or a value of a key field
 *     names are tried (compile.c's index), a few hash lookups an event.
 *     The answer is remembered for the last few keys of format and
 *     where-field values (ls_memo).
 *     An event of no entry a rule is fed by stops here.
 *  3. Scan each value with those of its slot's Hyperscan databases that
 *     serve one of the event's entries, walk its slot's tries of
 *     anchored literals (anchored.c), count its bytes for the count
 *     tests and look its windows up in its literal set (literal_set.c);
 *     a pattern that fires marks itself and puts the rules it wakes on
 *     the candidate list (once each).
 *  4. Add the rules that must always be evaluated, when one of their
 *     entries holds; keep the candidates whose logsource the event
 *     belongs to; evaluate their conditions, reading pattern tests from
 *     the marks and computing the others (exists, numbers, CIDR, field
 *     references, PCRE2 confirmation).
 *
 * Marks are generation numbers, so nothing is cleared between events.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect/sigma/rules_int.h"

/* Values an event puts into slots: each field once, and again for each
 * further Sigma name the mapping gives it; beyond this the rest are
 * dropped (a mapping gives a field two or three names, not four). */
enum { MAX_VALUES = 4 * DET_MAX_FIELDS + 8, NAME_BITS = 4096 };

/* The entries an event belongs to follow from its format and the values of
 * the few slots the entries' where tests read (Channel, EventID, program,
 * type, decoder.name in the shipped mapping): values of a category, a few
 * dozen distinct in a real log (loghub's Linux log names 30 programs in
 * 2,000 lines, five of them on 95 % of the lines). The matcher keeps the
 * answer for the last LS_MEMO keys, one a hash place; a key is the format
 * and each where slot's values with their lengths, compared whole, so a
 * hit is the answer the tests would give. A key over LS_KEY_MAX bytes is
 * not kept. Finding the entries cost about 470 instructions an event over
 * the benchmark corpus; with the memo about 150 (the key, its hash and
 * compare). */
enum { LS_MEMO = 64, LS_KEY_MAX = 120 };
typedef struct ls_memo {
	uint64_t hash;
	uint32_t len; /* 0: empty */
	ls_bits ls;
	unsigned char key[LS_KEY_MAX];
} ls_memo;

struct det_matcher {
	const det_rules *rs;
	hs_scratch_t *scratch;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *jit_stack;
	uint32_t gen;
	/* Per pattern: the event it last fired in, and the rules it wakes,
	 * side by side so that a firing reads one cache line for both (the
	 * pattern records are 80 bytes apart): wake >= 0 is the one rule it
	 * wakes, -1 none, -2 - k the list at wakes[k] ending in -1. */
	struct mark {
		uint32_t gen;
		int32_t wake;
	} *marks;
	int *wakes;
	uint32_t *slot_gen;
	/* Per rule, for the event gen: whether it is on the candidate list,
	 * and which of its two waking clauses have fired (one record, as a
	 * firing pattern touches it for each rule it wakes). */
	struct woken {
		uint32_t gen;
		unsigned char seen;
		bool listed;
	} *woken;
	uint32_t *tested_gen; /* pattern not run exactly, confirmed this event */
	uint32_t ls_gen[MAX_LOGSOURCES]; /* entry decided for this event ... */
	bool ls_val[MAX_LOGSOURCES];     /* ... and whether it holds */
	ls_bits ls;                      /* the entries the event belongs to */
	int *where_slots;                /* the slots where tests read */
	int n_where_slots;
	ls_memo memo[LS_MEMO];
	/* The index's answers that do not depend on the event's values: the
	 * entries keyed by each format, those with no test, and per key slot
	 * those its "*" (any value) names. */
	const ls_key *format_key[DET_FMT_ACCESS + 1];
	const ls_key *no_key;
	const ls_key **star_key;
	const slot_name *header[5];      /* host, program, pid, msgid, message */
	/* The names of rs that lead to a slot, by their bit in the name
	 * filter (rules_name_bit): those of bit b are names[name_at[b]] ..
	 * names[name_at[b + 1] - 1]. Most of an event's names have a bit no
	 * name has, which the filter says; the rest compare a length or two
	 * and their bytes, without the hash and the call rules_field_slots
	 * costs (four to six fields an event). */
	uint32_t name_at[NAME_BITS + 1];
	struct name_ref {
		const char *name;
		size_t len;
		const slot_name *e;
	} *names;
	int *slot_first;
	int *cands;
	size_t n_cands;
	unsigned char *folded; /* a value folded for a literal set */
	size_t cap_folded;
	det_str vals[MAX_VALUES];
	int next[MAX_VALUES], vslot[MAX_VALUES];
	int n_vals;
};

static const char *format_name(det_format f)
{
	static const char *const names[] = {"unknown", "syslog", "syslog", "json",
	                                    "wazuh",   "cef",    "auditd", "access"};
	return (size_t)f < sizeof names / sizeof names[0] ? names[f] : "unknown";
}

/* m->names and m->name_at from rs's names that lead to a slot. */
static void index_names(det_matcher *m)
{
	const det_rules *rs = m->rs;
	size_t n = 0;
	for (size_t i = 0; i < rs->cap_names; i++) {
		const slot_name *e = &rs->names[i];
		if (e->name && e->len > 0 && (e->own >= 0 || e->link >= 0))
			m->name_at[rules_name_bit(e->name, e->len) + 1]++, n++;
	}
	if ((m->names = calloc(n + 1, sizeof *m->names)) == NULL)
		abort();
	for (int b = 0; b < NAME_BITS; b++)
		m->name_at[b + 1] += m->name_at[b];
	uint32_t fill[NAME_BITS];
	memcpy(fill, m->name_at, sizeof fill);
	for (size_t i = 0; i < rs->cap_names; i++) {
		const slot_name *e = &rs->names[i];
		if (e->name && e->len > 0 && (e->own >= 0 || e->link >= 0))
			m->names[fill[rules_name_bit(e->name, e->len)]++] =
			    (struct name_ref){e->name, e->len, e};
	}
}

/* Whether a[0..n) and b[0..n) hold the same bytes: eight at a time, the
 * last eight (or four) overlapping, reading nothing past either end. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8) {
			memcpy(&x, a + i, 8), memcpy(&y, b + i, 8);
			if (x != y)
				return false;
		}
		memcpy(&x, a + n - 8, 8), memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		uint32_t u, v, u2, v2;
		memcpy(&u, a, 4), memcpy(&v, b, 4), memcpy(&u2, a + n - 4, 4), memcpy(&v2, b + n - 4, 4);
		return u == v && u2 == v2;
	}
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* The entry of an event field name (rules_field_slots' answer for the
 * names that lead to a slot); NULL for the others. */
static inline const slot_name *name_slots(const det_matcher *m, const char *name, size_t n)
{
	if (!rules_name_maybe(m->rs, name, n)) /* 512 bytes, in cache */
		return NULL;
	unsigned b = rules_name_bit(name, n);
	for (unsigned i = m->name_at[b]; i < m->name_at[b + 1]; i++)
		if (m->names[i].len == n && same_bytes(m->names[i].name, name, n))
			return m->names[i].e;
	return NULL;
}

det_matcher *det_matcher_new(const det_rules *rs)
{
	det_matcher *m = calloc(1, sizeof *m);
	if (m == NULL)
		abort();
	m->rs = rs;
	for (int i = 0; i < rs->n_dbs; i++)
		if (hs_alloc_scratch(rs->dbs[i].db, &m->scratch) != HS_SUCCESS)
			abort();
	static const char *const header[] = {"host", "program", "pid", "msgid", "message"};
	for (int i = 0; i < 5; i++)
		m->header[i] = rules_field_slots(rs, header[i], strlen(header[i]));
	for (int f = 0; f <= DET_FMT_ACCESS; f++) {
		const char *name = format_name((det_format)f);
		m->format_key[f] = rules_ls_key(rs, -1, name, strlen(name));
	}
	m->no_key = rules_ls_key(rs, -2, "", 0);
	m->where_slots = malloc(((size_t)rs->n_slots + 1) * sizeof *m->where_slots);
	if (m->where_slots == NULL)
		abort();
	for (int s = 0; s < rs->n_slots; s++) {
		bool used = false;
		for (int i = 0; i < rs->n_key_slots && !used; i++)
			used = rs->key_slots[i] == s;
		for (int i = 0; i < rs->n_logsources && !used; i++)
			for (int w = 0; w < rs->logsources[i].n_where && !used; w++)
				used = rs->logsources[i].where[w].slot == s;
		if (used)
			m->where_slots[m->n_where_slots++] = s;
	}
	index_names(m);
	m->star_key = calloc((size_t)rs->n_key_slots + 1, sizeof *m->star_key);
	if (m->star_key == NULL)
		abort();
	for (int i = 0; i < rs->n_key_slots; i++)
		m->star_key[i] = rules_ls_key(rs, rs->key_slots[i], "*", 1);
	m->md = pcre2_match_data_create(1, NULL);
	/* JIT code keeps its backtracking on this stack: PCRE2's 32 KiB
	 * default gives up on a repeat of a few thousand ("abcd(?:x|yz)*efgh"
	 * over "yz" 5,000 times), which Hyperscan, running the pattern
	 * before it was factored, did not. */
	m->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	m->mc = pcre2_match_context_create(NULL);
	if (m->jit_stack && m->mc)
		pcre2_jit_stack_assign(m->mc, NULL, m->jit_stack);
	m->marks = calloc(rs->n_patterns + 1, sizeof *m->marks);
	size_t n_wakes = 0;
	for (size_t i = 0; i < rs->n_patterns; i++)
		n_wakes += rs->patterns[i].n_wake > 1 ? (size_t)rs->patterns[i].n_wake + 1 : 0;
	m->wakes = malloc((n_wakes + 1) * sizeof *m->wakes);
	if (m->marks == NULL || m->wakes == NULL)
		abort();
	n_wakes = 0;
	for (size_t i = 0; i < rs->n_patterns; i++) {
		const pattern *p = &rs->patterns[i];
		if (p->n_wake <= 1) {
			m->marks[i].wake = p->n_wake ? p->wake[0] : -1;
			continue;
		}
		m->marks[i].wake = -2 - (int32_t)n_wakes;
		for (int k = 0; k < p->n_wake; k++)
			m->wakes[n_wakes++] = p->wake[k];
		m->wakes[n_wakes++] = -1;
	}
	m->tested_gen = calloc(rs->n_patterns + 1, sizeof *m->tested_gen);
	m->woken = calloc(rs->n_rules + 1, sizeof *m->woken);
	m->slot_gen = calloc((size_t)rs->n_slots, sizeof *m->slot_gen);
	m->slot_first = calloc((size_t)rs->n_slots, sizeof *m->slot_first);
	m->cands = malloc((rs->n_rules + 1) * sizeof *m->cands);
	if (!m->md || !m->jit_stack || !m->mc || !m->tested_gen || !m->woken || !m->slot_gen ||
	    !m->slot_first || !m->cands)
		abort();
	return m;
}

void det_matcher_free(det_matcher *m)
{
	if (m == NULL)
		return;
	hs_free_scratch(m->scratch);
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mc);
	pcre2_jit_stack_free(m->jit_stack);
	free(m->marks);
	free(m->wakes);
	free(m->tested_gen);
	free(m->woken);
	free(m->slot_gen);
	free(m->slot_first);
	free(m->cands);
	free(m->star_key);
	free(m->where_slots);
	free(m->names);
	free(m->folded);
	free(m);
}

static void put(det_matcher *m, int slot, det_str v)
{
	if (slot < 0 || m->n_vals == MAX_VALUES)
		return;
	int i = m->n_vals++;
	m->vals[i] = v;
	m->vslot[i] = slot;
	if (m->slot_gen[slot] != m->gen) {
		m->slot_gen[slot] = m->gen;
		m->next[i] = -1;
	} else {
		m->next[i] = m->slot_first[slot];
	}
	m->slot_first[slot] = i;
}

static int first(const det_matcher *m, int slot)
{
	return m->slot_gen[slot] == m->gen ? m->slot_first[slot] : -1;
}

/* A field's value into every slot its name answers to. */
static void put_entry(det_matcher *m, const slot_name *e, det_str v)
{
	if (e == NULL)
		return;
	put(m, e->own, v);
	for (int l = e->link; l >= 0; l = m->rs->links[l].next)
		put(m, m->rs->links[l].slot, v);
}

static void put_header(det_matcher *m, int i, det_str v)
{
	if (v.n)
		put_entry(m, m->header[i], v);
}

static void index_event(det_matcher *m, const det_event *ev)
{
	m->n_vals = 0;
	put(m, SLOT_KEYWORDS, ev->raw);
	/* A JSON event's message, unescaped (its keywords may hold a quote or
	 * a backslash the line has escaped); one that is a slice of the line
	 * had nothing to unescape, and a keyword in it is in the line. */
	if ((ev->format == DET_FMT_JSON || ev->format == DET_FMT_WAZUH) && ev->message.n &&
	    !(m->rs->keywords_in_line && ev->message.p >= ev->raw.p &&
	      ev->message.p + ev->message.n <= ev->raw.p + ev->raw.n))
		put(m, SLOT_KEYWORDS, ev->message);
	put_header(m, 0, ev->host);
	put_header(m, 1, ev->program);
	put_header(m, 2, ev->pid);
	put_header(m, 3, ev->msgid);
	put_header(m, 4, ev->message);
	for (size_t i = 0; i < ev->n_fields; i++) {
		const det_field *f = &ev->fields[i];
		put_entry(m, name_slots(m, f->name.p, f->name.n), f->value);
	}
}

/* Rule r's record for this event, started afresh at its first touch. */
static inline struct woken *woken(det_matcher *m, int r)
{
	struct woken *w = &m->woken[r];
	if (w->gen != m->gen)
		*w = (struct woken){m->gen, 0, false};
	return w;
}

static void candidate(det_matcher *m, int r)
{
	struct woken *w = woken(m, r);
	if (!w->listed) {
		w->listed = true;
		m->cands[m->n_cands++] = r;
	}
}

/* A wake entry (rule * 4 + WAKE_ kind): the rule is a candidate now, or
 * once both its waking clauses have fired in this event. */
static inline void wake_rule(det_matcher *m, int e)
{
	int r = e >> 2, kind = e & 3;
	if (kind != WAKE_ALONE && (woken(m, r)->seen |= (unsigned char)kind) != (WAKE_A | WAKE_B))
		return;
	candidate(m, r);
}

/* Pattern id fired: mark it, and wake its rules the first time. */
static void fired(void *ctx, int id)
{
	det_matcher *m = ctx;
	struct mark *k = &m->marks[id];
	if (k->gen == m->gen)
		return;
	k->gen = m->gen;
	if (k->wake >= 0)
		wake_rule(m, k->wake);
	else if (k->wake < -1)
		for (const int *w = &m->wakes[-2 - k->wake]; *w >= 0; w++)
			wake_rule(m, *w);
}

static int on_hit(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                  void *ctx)
{
	(void)from, (void)to, (void)flags;
	fired(ctx, (int)id);
	return 0;
}


/* The count tests of a slot over one value (see count_slot): each that
 * passes fires its pattern, which PCRE2 confirms if a rule reads it. */
static void count_bytes(det_matcher *m, const count_slot *cs, const char *text, size_t n)
{
	uint32_t c[COUNT_SETS] = {0}; /* a value is under 4 GiB */
	const unsigned char *v = (const unsigned char *)text;
	for (size_t i = 0; i < n; i++)
		for (uint32_t b = cs->bits[v[i]]; b; b &= b - 1)
			c[__builtin_ctz(b)]++;
	for (int t = 0; t < cs->n_tests; t++) {
		const count_test *x = &cs->tests[t];
		int k = 0;
		while (k < x->n && c[x->set[k]] >= x->k[k])
			k++;
		if (k == x->n && ls_meet(&x->ls, &m->ls))
			fired(m, x->pattern);
	}
}

static void scan_set(det_matcher *m, const lit_set *set, const char *text, size_t n)
{
	if (n + 8 > m->cap_folded) {
		m->cap_folded = n + 8 > 2 * m->cap_folded ? n + 8 : 2 * m->cap_folded;
		free(m->folded);
		if ((m->folded = malloc(m->cap_folded)) == NULL)
			abort();
	}
	lit_set_scan(set, text, n, m->folded, fired, m);
}

/* Whether the event belongs to logsource entry i, decided once an event
 * and only for entries a candidate rule names: O(where values) each, so
 * the hundred entries of the mapping cost nothing for rules of one. */
static bool entry_holds(det_matcher *m, const det_event *ev, int i)
{
	if (m->ls_gen[i] == m->gen)
		return m->ls_val[i];
	const logsource *ls = &m->rs->logsources[i];
	bool ok = true;
	for (int w = 0; w < ls->n_where && ok; w++) {
		const where *wh = &ls->where[w];
		ok = false;
		for (int k = 0; k < wh->n_values && !ok; k++) {
			const char *want = wh->values[k];
			size_t len = wh->lens[k];
			if (wh->slot < 0) {
				ok = strcmp(want, format_name(ev->format)) == 0;
				continue;
			}
			bool any = len == 1 && want[0] == '*';
			for (int v = first(m, wh->slot); v >= 0 && !ok; v = m->next[v])
				ok = any ? m->vals[v].n > 0
				         : m->vals[v].n == len &&
				               (len == 0 || memcmp(m->vals[v].p, want, len) == 0);
		}
	}
	m->ls_gen[i] = m->gen;
	m->ls_val[i] = ok;
	return ok;
}

static void try_key(det_matcher *m, const det_event *ev, const ls_key *k)
{
	for (int i = 0; k && i < k->n_entries; i++)
		if (entry_holds(m, ev, k->entries[i]))
			ls_set(&m->ls, k->entries[i]);
}

/* The entries the event belongs to, into m->ls: those whose key test
 * passes and the rest of whose tests hold. */
static void find_logsources(det_matcher *m, const det_event *ev)
{
	const det_rules *rs = m->rs;
	memset(&m->ls, 0, sizeof m->ls);
	det_format f = (unsigned)ev->format <= DET_FMT_ACCESS ? ev->format : DET_FMT_UNKNOWN;
	try_key(m, ev, m->format_key[f]);
	try_key(m, ev, m->no_key);
	for (int i = 0; i < rs->n_key_slots; i++) {
		int s = rs->key_slots[i], v0 = first(m, s);
		if (v0 < 0)
			continue;
		for (int v = v0; v >= 0; v = m->next[v])
			try_key(m, ev, rules_ls_key(rs, s, m->vals[v].p, m->vals[v].n));
		try_key(m, ev, m->star_key[i]);
	}
}

/* The memo key of the event (see ls_memo) into k; its length, 0 when it
 * is longer than LS_KEY_MAX. */
static size_t ls_key_of(const det_matcher *m, const det_event *ev, unsigned char *k)
{
	size_t n = 0;
	k[n++] = (unsigned char)ev->format;
	for (int i = 0; i < m->n_where_slots; i++)
		for (int v = first(m, m->where_slots[i]); v >= 0; v = m->next[v]) {
			size_t len = m->vals[v].n;
			if (len + 3 > LS_KEY_MAX - n)
				return 0;
			k[n++] = (unsigned char)i;
			k[n++] = (unsigned char)len;
			if (len)
				memcpy(k + n, m->vals[v].p, len);
			n += len;
		}
	return n;
}

static void event_logsources(det_matcher *m, const det_event *ev)
{
	unsigned char key[LS_KEY_MAX];
	size_t n = m->n_where_slots < 256 ? ls_key_of(m, ev, key) : 0;
	if (n == 0) {
		find_logsources(m, ev);
		return;
	}
	uint64_t h = rules_hash((const char *)key, n);
	ls_memo *x = &m->memo[h % LS_MEMO];
	if (x->len == n && x->hash == h && memcmp(x->key, key, n) == 0) {
		m->ls = x->ls;
		return;
	}
	find_logsources(m, ev);
	*x = (ls_memo){.hash = h, .len = (uint32_t)n, .ls = m->ls};
	memcpy(x->key, key, n);
}

static bool number_of(det_str s, double *out)
{
	char tmp[64];
	if (s.n == 0 || s.n >= sizeof tmp)
		return false;
	memcpy(tmp, s.p, s.n);
	tmp[s.n] = '\0';
	char *end;
	*out = strtod(tmp, &end);
	return *end == '\0';
}

static bool in_net(det_str s, const atom *a)
{
	char tmp[64];
	uint8_t addr[16];
	if (s.n == 0 || s.n >= sizeof tmp)
		return false;
	memcpy(tmp, s.p, s.n);
	tmp[s.n] = '\0';
	if (inet_pton(a->family == 4 ? AF_INET : AF_INET6, tmp, addr) != 1)
		return false;
	int full = a->bits / 8, rest = a->bits % 8;
	if (memcmp(addr, a->net, (size_t)full) != 0)
		return false;
	return rest == 0 || ((addr[full] ^ a->net[full]) & (0xFF00 >> rest)) == 0;
}

static bool ref_match(det_str v, det_str r, int mode, bool cased)
{
	int (*cmp)(const char *, const char *, size_t) = cased ? strncmp : strncasecmp;
	if (mode == 0)
		return v.n == r.n && cmp(v.p, r.p, v.n) == 0;
	if (r.n > v.n)
		return false;
	if (mode == 2)
		return cmp(v.p, r.p, r.n) == 0;
	if (mode == 3)
		return cmp(v.p + v.n - r.n, r.p, r.n) == 0;
	for (size_t i = 0; i + r.n <= v.n; i++)
		if (cmp(v.p + i, r.p, r.n) == 0)
			return true;
	return false;
}

static bool atom_true(det_matcher *m, const atom *a)
{
	int v0 = first(m, a->slot);
	switch (a->kind) {
	case ATOM_PATTERN: {
		const pattern *p = &m->rs->patterns[a->pattern];
		struct mark *k = &m->marks[a->pattern];
		if (pattern_exact(p))
			return k->gen == m->gen;
		/* Scanned as an approximation (prefilter, factor): false unless
		 * it fired. Either way PCRE2 or lit_find decides, once an event:
		 * the answer is kept as the mark (cleared when false). */
		bool scanned = !p->lazy && !p->pcre_only;
		if (scanned && k->gen != m->gen)
			return false;
		if (m->tested_gen[a->pattern] == m->gen)
			return k->gen == m->gen;
		bool hit = false;
		for (int v = v0; v >= 0 && !hit && p->lit; v = m->next[v])
			hit = lit_find(p->lit, m->vals[v].p ? m->vals[v].p : "", m->vals[v].n);
		for (int v = v0; v >= 0 && !hit && p->re && !p->lit; v = m->next[v]) {
			PCRE2_SPTR text = (PCRE2_SPTR)(m->vals[v].p ? m->vals[v].p : "");
			int rc = pcre2_match(p->re, text, m->vals[v].n, 0, 0, m->md, m->mc);
			/* PCRE2 gave up (a limit): an approximation that fired
			 * stands, as Hyperscan's answer did before the pattern
			 * was factored; a test of PCRE2 alone does not hold */
			hit = rc >= 0 || (rc != PCRE2_ERROR_NOMATCH && scanned);
		}
		m->tested_gen[a->pattern] = m->gen;
		k->gen = hit ? m->gen : 0;
		return hit;
	}
	case ATOM_ANY:
		for (int v = v0; v >= 0; v = m->next[v])
			if (m->vals[v].n)
				return true;
		return false;
	case ATOM_EMPTY:
		for (int v = v0; v >= 0; v = m->next[v])
			if (m->vals[v].n == 0)
				return true;
		return false;
	case ATOM_NULL:
		for (int v = v0; v >= 0; v = m->next[v])
			if (m->vals[v].n && !det_str_eq(m->vals[v], "null"))
				return false;
		return true;
	case ATOM_EXISTS: return (v0 >= 0) == (a->num != 0);
	case ATOM_NUM:
		for (int v = v0; v >= 0; v = m->next[v]) {
			double x;
			if (!number_of(m->vals[v], &x))
				continue;
			if ((a->cmp == CMP_GT && x > a->num) ||
			    (a->cmp == CMP_GTE && x >= a->num) ||
			    (a->cmp == CMP_LT && x < a->num) ||
			    (a->cmp == CMP_LTE && x <= a->num) || (a->cmp == CMP_EQ && x == a->num))
				return true;
		}
		return false;
	case ATOM_CIDR:
		for (int v = v0; v >= 0; v = m->next[v])
			if (in_net(m->vals[v], a))
				return true;
		return false;
	case ATOM_FIELDREF:
		for (int v = v0; v >= 0; v = m->next[v])
			for (int r = first(m, a->ref_slot); r >= 0; r = m->next[r])
				if (ref_match(m->vals[v], m->vals[r], a->ref_mode, a->cased))
					return true;
		return false;
	}
	return false;
}

static bool eval(det_matcher *m, const step *s, int i);

/* An operand of AND or OR: a scanned pattern's mark is read in the loop. */
static inline bool operand(det_matcher *m, const step *s, int k)
{
	return s[k].pattern >= 0 ? m->marks[s[k].pattern].gen == m->gen : eval(m, s, k);
}

/* Whether the condition subtree at steps[i] holds (see step in
 * rules_int.h). */
static bool eval(det_matcher *m, const step *s, int i)
{
	switch (s[i].kind) {
	case NODE_TRUE: return true;
	case NODE_FALSE: return false;
	case NODE_ATOM:
		return s[i].pattern >= 0 ? m->marks[s[i].pattern].gen == m->gen
		                         : atom_true(m, &m->rs->atoms[s[i].atom]);
	case NODE_NOT: return !operand(m, s, i + 1);
	case NODE_AND:
		for (int k = i + 1; k < s[i].end; k = s[k].end)
			if (!operand(m, s, k))
				return false;
		return true;
	case NODE_OR:
		for (int k = i + 1; k < s[i].end; k = s[k].end)
			if (operand(m, s, k))
				return true;
		return false;
	}
	return false;
}

/* Sorts a[0..n) ascending: insertion, as a candidate list holds a few
 * rules (qsort's setup cost more than the sort). */
static void sort_ints(int *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		int x = a[i];
		size_t j = i;
		for (; j > 0 && a[j - 1] > x; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

int det_match(det_matcher *m, const det_event *ev, det_match_fn fn, void *ctx)
{
	const det_rules *rs = m->rs;
	if (++m->gen == 0) {
		/* Wrapped after four billion events: start the marks afresh. */
		for (size_t i = 0; i < rs->n_patterns; i++)
			m->marks[i].gen = 0;
		memset(m->tested_gen, 0, rs->n_patterns * sizeof *m->tested_gen);
		memset(m->woken, 0, rs->n_rules * sizeof *m->woken);
		memset(m->slot_gen, 0, (size_t)rs->n_slots * sizeof *m->slot_gen);
		memset(m->ls_gen, 0, sizeof m->ls_gen);
		m->gen = 1;
	}
	m->n_cands = 0;
	index_event(m, ev);
	event_logsources(m, ev);
	if (ls_empty(&m->ls))
		return 0; /* no rule is fed by this event */
	for (int v = 0; v < m->n_vals; v++) {
		int s = m->vslot[v];
		const char *text = m->vals[v].p ? m->vals[v].p : "";
		for (int d = rs->slot_dbs[s]; d < rs->slot_dbs[s + 1]; d++)
			if (ls_meet(&rs->dbs[d].ls, &m->ls))
				hs_scan(rs->dbs[d].db, text, (unsigned)m->vals[v].n, 0, m->scratch,
				        on_hit, m);
		if (ls_meet(&rs->anchors.ls[s], &m->ls))
			anchors_walk(&rs->anchors, s, text, m->vals[v].n, fired, m);
		const count_slot *cs = rs->counted[s];
		if (cs && ls_meet(&cs->ls, &m->ls))
			count_bytes(m, cs, text, m->vals[v].n);
		const lit_set *set = rs->lit_sets[s];
		if (set && ls_meet(lit_set_ls(set), &m->ls))
			scan_set(m, set, text, m->vals[v].n);
	}
	for (int i = 0; i < rs->n_always; i++)
		if (ls_meet(&rs->rules[rs->always[i]]->logsources, &m->ls))
			candidate(m, rs->always[i]);
	if (m->n_cands == 0)
		return 0;
	/* In load order, so output is stable whatever order patterns fired. */
	sort_ints(m->cands, m->n_cands);
	/* The woken rules' records, then their steps, are asked for all at
	 * once, so that their cache misses overlap instead of coming one
	 * after another as each rule is evaluated. */
	for (size_t i = 0; i < m->n_cands; i++)
		__builtin_prefetch(rs->rules[m->cands[i]]);
	for (size_t i = 0; i < m->n_cands; i++)
		__builtin_prefetch(rs->rules[m->cands[i]]->steps);
	int matched = 0;
	for (size_t i = 0; i < m->n_cands; i++) {
		const rule *r = rs->rules[m->cands[i]];
		if (ls_meet(&r->logsources, &m->ls) && eval(m, r->steps, 0)) {
			matched++;
			if (fn)
				fn(ctx, &r->pub, ev);
		}
	}
	return matched;
}
