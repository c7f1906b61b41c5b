/*
 * compile.c: a rule set's patterns into Hyperscan databases per field
 * slot and group of logsource entries, the index that finds an event's
 * entries, and the list of rules to evaluate on every event of their
 * logsources.
 *
 * A slot's patterns are split by the logsource entries of the rules that
 * use them (compile_slot): an event is scanned only with the databases
 * of the entries it belongs to, so the web-server keywords do not scan
 * syslog lines, and patterns of rules no entry feeds are not scanned at
 * all.
 *
 * Hyperscan runs most patterns exactly. One it cannot run exactly (a
 * back-reference, a look-around) is retried in Hyperscan's prefilter
 * mode, which finds a superset of its matches; PCRE2 (JIT) then confirms
 * each hit. One it cannot run at all is left to PCRE2 alone. The
 * compiler names the pattern that fails, so each retry moves one pattern
 * down a step and the loop ends.
 *
 * Which patterns wake a rule (Suricata's "fast pattern"): the condition
 * is reduced to clauses, each a set of patterns one of which must fire
 * for the condition to hold ("Image ends with \\certutil.exe or
 * OriginalFileName is CertUtil.exe" and "CommandLine contains urlcache"
 * are two clauses of one rule). The rule is woken only by the patterns of
 * its most selective clause: the one whose weakest pattern has the
 * longest literal text, discounted for patterns many rules share (the
 * hundred rules that test Image|endswith '\\powershell.exe' should not
 * all wake whenever PowerShell runs).
 *
 * A rule needs evaluating on every event of its logsources when its
 * condition can hold with no Hyperscan pattern firing ("not filter", an
 * "exists" test, a number comparison). That is found by evaluating the
 * condition over three values: pattern tests false, every other test
 * unknown. In SigmaHQ's set two are so: "Execution Of Non-Existing File"
 * (an Image with no backslash) and "Execution of Suspicious File Type
 * Extension" (an Image not ending in a known extension), both Windows
 * process creation, so the matcher runs them on those events only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/sigma/rules_cache.h"

/* A pattern whose longest literal is this short or shorter ("0", ":",
 * "-s", "dd") fires on most lines and slows the scan of every line; when
 * it wakes no rule it is left to PCRE2, asked only by a woken rule. */
enum { LAZY_LITERAL = 3 };

enum { F, T, U };

static int static_eval(const det_rules *rs, const node *n)
{
	switch (n->kind) {
	case NODE_TRUE: return T;
	case NODE_FALSE: return F;
	case NODE_ATOM: {
		const atom *a = &rs->atoms[n->atom];
		if (a->kind == ATOM_PATTERN && !rs->patterns[a->pattern].pcre_only &&
		    !rs->patterns[a->pattern].lazy)
			return F;
		return U;
	}
	case NODE_NOT: {
		int v = static_eval(rs, n->kid[0]);
		return v == U ? U : v == T ? F : T;
	}
	case NODE_AND: {
		int r = T;
		for (int i = 0; i < n->n_kid; i++) {
			int v = static_eval(rs, n->kid[i]);
			if (v == F)
				return F;
			if (v == U)
				r = U;
		}
		return r;
	}
	case NODE_OR: {
		int r = F;
		for (int i = 0; i < n->n_kid; i++) {
			int v = static_eval(rs, n->kid[i]);
			if (v == T)
				return T;
			if (v == U)
				r = U;
		}
		return r;
	}
	}
	return U;
}

pcre2_code *rules_pcre_of(const pattern *p)
{
	uint32_t opts = (p->flags & HS_FLAG_CASELESS ? PCRE2_CASELESS : 0) |
	                (p->flags & HS_FLAG_MULTILINE ? PCRE2_MULTILINE : 0) |
	                (p->flags & HS_FLAG_DOTALL ? PCRE2_DOTALL : 0);
	int code;
	PCRE2_SIZE at;
	/* The loader checked every regular expression; "\z" of the pattern
	 * writer is PCRE syntax too. */
	pcre2_code *re =
	    pcre2_compile((PCRE2_SPTR)p->expr, PCRE2_ZERO_TERMINATED, opts, &code, &at, NULL);
	if (re)
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

/* A pattern tested outside Hyperscan (lazy, or one Hyperscan refuses)
 * that is a literal is tested by lit_find rather than PCRE2 (literal.c):
 * a plain Sigma string, or a rule's regular expression that is only bytes
 * ("\n\n\n\n\n\n" of the LNK padding rule cost 1,128 cycles a Sysmon event
 * in PCRE2, lit_find 285). A literal of any length: Hyperscan refuses one
 * of a few thousand bytes, PCRE2 one of 32,767. With the multi-line flag
 * a '^' is a line's start, which a literal test cannot say. */
void rules_literal_test(det_rules *rs, pattern *p)
{
	const unsigned known = HS_FLAG_CASELESS | HS_FLAG_DOTALL | HS_FLAG_MULTILINE |
	                       HS_FLAG_SINGLEMATCH;
	if ((p->flags & ~known) != 0)
		return;
	unsigned char *bytes = arena_alloc(&rs->a, strlen(p->expr) + 1);
	bool start, end;
	size_t n = literal_of_re(p->expr, bytes, &start, &end);
	if (n == 0 || (start && (p->flags & HS_FLAG_MULTILINE)))
		return;
	bool cased = !(p->flags & HS_FLAG_CASELESS);
	for (size_t i = 0; i < n && !cased; i++)
		bytes[i] = lit_fold(bytes[i]);
	p->lit = arena_alloc(&rs->a, sizeof *p->lit);
	*p->lit = (lit_test){bytes, n, start, end, cased};
}

/* A factor's string as Hyperscan's expression: every byte as \xHH. */
static char *factor_expr(const unsigned char *b, int n)
{
	static const char hexd[] = "0123456789ABCDEF";
	char *e = malloc((size_t)n * 4 + 1), *o = e;
	if (e == NULL)
		abort();
	for (int i = 0; i < n; i++)
		*o++ = '\\', *o++ = 'x', *o++ = hexd[b[i] >> 4], *o++ = hexd[b[i] & 15];
	*o = '\0';
	return e;
}

/* Builds the database of the patterns ids[0..n) of one slot (marked
 * in_db); appends it to rs->dbs with the entries ls it serves. A pattern
 * with a factor goes in as its factor's strings, caseless, each under the
 * pattern's id. -1 on an error not tied to a pattern. */
static int compile_group(det_rules *rs, int slot, const int *group, int n_group, ls_bits ls,
                         diags *d)
{
	size_t cap = 0;
	for (int k = 0; k < n_group; k++) {
		const pattern *p = &rs->patterns[group[k]];
		cap += p->factor ? (size_t)p->factor->n : 1;
	}
	const char **exprs = malloc((cap + 1) * sizeof *exprs);
	char **made = malloc((cap + 1) * sizeof *made);
	unsigned *flags = malloc((cap + 1) * sizeof *flags);
	unsigned *hs_ids = malloc((cap + 1) * sizeof *hs_ids);
	int *ids = malloc((cap + 1) * sizeof *ids);
	if (!exprs || !made || !flags || !hs_ids || !ids)
		abort();
	int rc = 0, n_made = 0;
	for (;;) {
		int n = 0;
		for (int k = 0; k < n_group; k++) {
			pattern *p = &rs->patterns[group[k]];
			if (p->pcre_only || p->lazy || p->anchored || p->in_set || p->counts ||
			    p->n_rules == 0)
				continue;
			if (p->factor) {
				for (int f = 0; f < p->factor->n; f++) {
					ids[n] = group[k];
					exprs[n] = made[n_made++] =
					    factor_expr(p->factor->s[f], p->factor->len[f]);
					flags[n] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
					hs_ids[n] = (unsigned)group[k];
					n++;
				}
				continue;
			}
			ids[n] = group[k];
			exprs[n] = p->expr;
			flags[n] = p->flags | (p->prefilter ? HS_FLAG_PREFILTER : 0);
			hs_ids[n] = (unsigned)group[k];
			n++;
		}
		if (n == 0)
			break;
		hs_compile_error_t *err = NULL;
		hs_database_t *db = NULL;
		int ok = hs_compile_multi(exprs, flags, hs_ids, (unsigned)n, HS_MODE_BLOCK, NULL, &db,
		                          &err) == HS_SUCCESS;
		while (n_made > 0)
			free(made[--n_made]);
		if (ok) {
			rs->dbs = realloc(rs->dbs, (size_t)(rs->n_dbs + 1) * sizeof *rs->dbs);
			if (rs->dbs == NULL)
				abort();
			rs->dbs[rs->n_dbs++] = (slot_db){db, ls};
			break;
		}
		int bad = err->expression;
		if (bad < 0) {
			diags_add(d, "(rules)", 0, 0, "pattern database for field %s: %s",
			          rs->slot_label[slot], err->message);
			hs_free_compile_error(err);
			rc = -1;
			break;
		}
		hs_free_compile_error(err);
		/* refused: an approximation PCRE2 confirms, else PCRE2 alone; a
		 * literal (too long for Hyperscan) goes to lit_find at once */
		pattern *p = &rs->patterns[ids[bad]];
		if (p->lit == NULL)
			rules_literal_test(rs, p);
		if (!p->prefilter && p->lit == NULL)
			p->prefilter = true;
		else
			p->pcre_only = true, p->prefilter = false;
		if (p->lit == NULL && p->re == NULL && (p->re = rules_pcre_of(p)) == NULL) {
			p->pcre_only = false;
			p->prefilter = false;
			p->n_rules = 0;
			diags_add(d, "(rules)", 0, 0,
			          "a test of field %s is too long to run: the rules using it cannot "
			          "fire",
			          rs->slot_label[slot]);
		}
	}
	free(ids);
	free(exprs);
	free(made);
	free(flags);
	free(hs_ids);
	return rc;
}

static int uf_root(int *up, int i)
{
	while (up[i] != i)
		i = up[i] = up[up[i]];
	return i;
}

/* Whether logsource entries a and b name the same product (or none). */
static bool same_product(const det_rules *rs, int a, int b)
{
	const char *pa = rs->logsources[a].product, *pb = rs->logsources[b].product;
	return pa == pb || (pa && pb && strcmp(pa, pb) == 0);
}

/* The databases of one slot. A pattern serves the entries that feed the
 * rules using it; entries of one product that share a pattern are joined
 * (union-find), and each group of joined entries gets one database, of
 * every pattern that serves one of its entries. So the keywords of Linux
 * rules and those of web-server rules are two databases, and an nginx
 * line is scanned with the second alone; a pattern whose rules no entry
 * feeds is in none, as no rule of it can be evaluated.
 *
 * Entries of two products are not joined by the patterns they share, as
 * no event is of both: the hundred command-line tests that Windows and
 * Linux process creation share are compiled into each one's database,
 * so that a Sysmon event is not scanned with the 300 Linux ones (two of
 * them, `\s-[^-\s]{0,20}d` and its `i` twin, have no literal to start
 * from and cost a sixth of the scan). An event that belonged to entries
 * of two groups would be scanned with both databases; a pattern that
 * fires in both is marked once. */
static int compile_slot(det_rules *rs, int slot, const ls_bits *pls, diags *d)
{
	int up[MAX_LOGSOURCES];
	for (int i = 0; i < MAX_LOGSOURCES; i++)
		up[i] = i;
	int *ids = malloc((rs->n_patterns + 1) * sizeof *ids), n = 0;
	if (ids == NULL)
		abort();
	ls_bits all = {{0}}; /* the entries the slot's patterns serve */
	for (size_t i = 0; i < rs->n_patterns; i++) {
		const pattern *p = &rs->patterns[i];
		if (p->slot != slot || p->n_rules == 0 || p->anchored || p->in_set ||
		    ls_empty(&pls[i]))
			continue;
		ids[n++] = (int)i;
		ls_or(&all, &pls[i]);
		/* each entry joins the pattern's first entry of its product */
		int first[MAX_LOGSOURCES], n_first = 0;
		for (int w = 0; w < MAX_LOGSOURCES / 64; w++)
			for (uint64_t b = pls[i].w[w]; b; b &= b - 1) {
				int e = w * 64 + __builtin_ctzll(b), k = 0;
				while (k < n_first && !same_product(rs, first[k], e))
					k++;
				if (k == n_first)
					first[n_first++] = e;
				else
					up[uf_root(up, e)] = uf_root(up, first[k]);
			}
	}
	int rc = 0, *group = malloc(((size_t)n + 1) * sizeof *group);
	if (group == NULL)
		abort();
	/* A database a group, in the order of the groups' lowest entries,
	 * serving the group's entries only. */
	for (int e = 0; e < MAX_LOGSOURCES && rc == 0; e++) {
		if (!(all.w[e / 64] >> (e % 64) & 1) || uf_root(up, e) != e)
			continue;
		ls_bits ls = {{0}};
		for (int x = e; x < MAX_LOGSOURCES; x++)
			if (all.w[x / 64] >> (x % 64) & 1 && uf_root(up, x) == e)
				ls_set(&ls, x);
		int n_group = 0;
		for (int k = 0; k < n; k++)
			if (ls_meet(&pls[ids[k]], &ls))
				group[n_group++] = ids[k];
		rc = compile_group(rs, slot, group, n_group, ls, d);
	}
	free(group);
	free(ids);
	return rc;
}

typedef struct clause {
	int *p;
	int n;
} clause;

typedef struct clauses {
	clause *c;
	int n;
} clauses;

static void clauses_free(clauses *cs)
{
	for (int i = 0; i < cs->n; i++)
		free(cs->c[i].p);
	free(cs->c);
	cs->c = NULL;
	cs->n = 0;
}

static void clauses_push(clauses *cs, clause c)
{
	cs->c = realloc(cs->c, (size_t)(cs->n + 1) * sizeof *cs->c);
	if (cs->c == NULL)
		abort();
	cs->c[cs->n++] = c;
}

/* Longest run of literal text in a pattern: letters, digits, \xHH. */
static int literal_run(const char *e)
{
	int best = 0, run = 0;
	for (const char *p = e; *p;) {
		if (p[0] == '\\' && p[1] == 'x' && p[2] && p[3]) {
			run++;
			p += 4;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		           (*p >= '0' && *p <= '9')) {
			run++;
			p++;
		} else {
			run = 0;
			p++;
		}
		if (run > best)
			best = run;
	}
	return best;
}

static int pattern_score(const det_rules *rs, int i)
{
	const pattern *p = &rs->patterns[i];
	int shared = 0;
	for (int n = p->n_rules; n > 1; n >>= 1)
		shared++;
	return literal_run(p->expr) * 4 - shared * 6;
}

static int clause_score(const det_rules *rs, const clause *c)
{
	int worst = 1 << 30;
	for (int i = 0; i < c->n; i++) {
		int s = pattern_score(rs, c->p[i]);
		if (s < worst)
			worst = s;
	}
	return worst * 64 - c->n; /* ties: fewer patterns */
}

static int best_clause(const det_rules *rs, const clauses *cs)
{
	int best = -1, best_score = 0;
	for (int i = 0; i < cs->n; i++) {
		int s = clause_score(rs, &cs->c[i]);
		if (best < 0 || s > best_score)
			best = i, best_score = s;
	}
	return best;
}

/* The clauses of n: sets of patterns, one of each must fire for n to hold.
 * None: n can hold with no pattern firing. */
static clauses clauses_of(const det_rules *rs, const node *n)
{
	clauses out = {NULL, 0};
	switch (n->kind) {
	case NODE_ATOM: {
		const atom *a = &rs->atoms[n->atom];
		if (a->kind == ATOM_PATTERN && !rs->patterns[a->pattern].pcre_only &&
		    !rs->patterns[a->pattern].lazy) {
			clause c = {malloc(sizeof(int)), 1};
			c.p[0] = a->pattern;
			clauses_push(&out, c);
		}
		return out;
	}
	case NODE_AND:
		/* Any clause of any operand is a clause of the whole. */
		for (int i = 0; i < n->n_kid; i++) {
			clauses k = clauses_of(rs, n->kid[i]);
			for (int j = 0; j < k.n; j++)
				clauses_push(&out, k.c[j]);
			free(k.c);
		}
		return out;
	case NODE_OR: {
		/* One clause: the union of each operand's best clause. */
		clause u = {NULL, 0};
		for (int i = 0; i < n->n_kid; i++) {
			clauses k = clauses_of(rs, n->kid[i]);
			int b = best_clause(rs, &k);
			if (b < 0) {
				clauses_free(&k);
				free(u.p);
				return out;
			}
			u.p = realloc(u.p, (size_t)(u.n + k.c[b].n) * sizeof(int));
			if (u.p == NULL)
				abort();
			memcpy(u.p + u.n, k.c[b].p, (size_t)k.c[b].n * sizeof(int));
			u.n += k.c[b].n;
			clauses_free(&k);
		}
		clauses_push(&out, u);
		return out;
	}
	default: return out; /* NOT, TRUE, FALSE: nothing required */
	}
}

static void wake(pattern *p, int r, int kind)
{
	int w = r * 4 + kind;
	if (p->n_wake > 0 && p->wake[p->n_wake - 1] == w)
		return;
	if (p->n_wake == p->cap_wake) {
		p->cap_wake = p->cap_wake ? p->cap_wake * 2 : 2;
		p->wake = realloc(p->wake, (size_t)p->cap_wake * sizeof(int));
		if (p->wake == NULL)
			abort();
	}
	p->wake[p->n_wake++] = w;
}

/* A pattern tested by more rules than this is taken for a common one
 * (\powershell.exe, \cmd.exe): as a rule's second waking clause it would
 * be touched for each of them whenever it fires. */
enum { PAIR_SHARED_MAX = 8 };

/* The clause of cs after best that is most selective and has no pattern
 * shared by more than PAIR_SHARED_MAX rules; -1 when none. */
static int second_clause(const det_rules *rs, const clauses *cs, int best)
{
	int second = -1, score = 0;
	for (int i = 0; i < cs->n; i++) {
		bool shared = false;
		for (int k = 0; k < cs->c[i].n && !shared; k++)
			shared = rs->patterns[cs->c[i].p[k]].n_rules > PAIR_SHARED_MAX;
		if (i == best || shared)
			continue;
		int s = clause_score(rs, &cs->c[i]);
		if (second < 0 || s > score)
			second = i, score = s;
	}
	return second;
}

/* The rules each pattern wakes, and the rules to run on every event of
 * their logsources. With pairs, a rule with two clauses is woken only
 * once a pattern of each has fired: each is needed for the condition to
 * hold, and the most selective one alone is often common (every process
 * a user starts has explorer.exe as its parent, and that wakes the
 * eleven rules whose best clause it is). */
static void choose_wakes(det_rules *rs, bool pairs)
{
	for (size_t i = 0; i < rs->n_patterns; i++)
		rs->patterns[i].n_wake = 0;
	if (rs->always == NULL)
		rs->always = malloc((rs->n_rules + 1) * sizeof *rs->always);
	if (rs->always == NULL)
		abort();
	rs->n_always = 0;
	for (size_t i = 0; i < rs->n_rules; i++) {
		rule *r = rs->rules[i];
		clauses cs = clauses_of(rs, r->cond);
		int b = best_clause(rs, &cs);
		r->always = b < 0 || static_eval(rs, r->cond) != F;
		if (r->always && !ls_empty(&r->logsources))
			rs->always[rs->n_always++] = (int)i;
		else if (!r->always) {
			int b2 = pairs ? second_clause(rs, &cs, b) : -1;
			for (int k = 0; k < cs.c[b].n; k++)
				wake(&rs->patterns[cs.c[b].p[k]], (int)i, b2 >= 0 ? WAKE_A : WAKE_ALONE);
			for (int k = 0; b2 >= 0 && k < cs.c[b2].n; k++)
				wake(&rs->patterns[cs.c[b2].p[k]], (int)i, WAKE_B);
		}
		clauses_free(&cs);
	}
}

static uint64_t key_hash(int slot, const char *value, size_t n)
{
	return rules_hash(value, n) ^ (uint64_t)(slot + 2) * 0x9E3779B97F4A7C15ULL;
}

const ls_key *rules_ls_key(const det_rules *rs, int slot, const char *value, size_t n)
{
	size_t mask = rs->cap_keys - 1;
	for (size_t i = key_hash(slot, value, n) & mask;; i = (i + 1) & mask) {
		const ls_key *k = &rs->keys[i];
		if (k->value == NULL)
			return NULL;
		if (k->slot == slot && k->n == n && (n == 0 || memcmp(k->value, value, n) == 0))
			return k;
	}
}

static void key_add(det_rules *rs, int slot, const char *value, int entry)
{
	size_t n = strlen(value), mask = rs->cap_keys - 1, i;
	for (i = key_hash(slot, value, n) & mask; rs->keys[i].value; i = (i + 1) & mask)
		if (rs->keys[i].slot == slot && rs->keys[i].n == n &&
		    memcmp(rs->keys[i].value, value, n) == 0)
			break;
	ls_key *k = &rs->keys[i];
	if (k->value == NULL)
		*k = (ls_key){slot, value, n, NULL, 0};
	else if (k->entries[k->n_entries - 1] == entry)
		return;
	k->entries = realloc(k->entries, (size_t)(k->n_entries + 1) * sizeof *k->entries);
	if (k->entries == NULL)
		abort();
	k->entries[k->n_entries++] = entry;
}

/* The key test of every entry some rule is fed by: its "format" test,
 * else its first "where" test (slot -2: an entry with no test). */
static void build_keys(det_rules *rs)
{
	size_t values = 1;
	for (int e = 0; e < rs->n_logsources; e++)
		for (int w = 0; w < rs->logsources[e].n_where; w++)
			values += (size_t)rs->logsources[e].where[w].n_values;
	rs->cap_keys = 16;
	while (rs->cap_keys < values * 2)
		rs->cap_keys *= 2;
	rs->keys = calloc(rs->cap_keys, sizeof *rs->keys);
	for (int e = 0; e < rs->n_logsources; e++)
		for (int w = 0; w < rs->logsources[e].n_where; w++) {
			where *wh = &rs->logsources[e].where[w];
			wh->lens =
			    arena_alloc(&rs->a, ((size_t)wh->n_values + 1) * sizeof *wh->lens);
			for (int v = 0; v < wh->n_values; v++)
				wh->lens[v] = strlen(wh->values[v]);
		}
	rs->key_slots = malloc(((size_t)rs->n_logsources + 1) * sizeof *rs->key_slots);
	if (rs->keys == NULL || rs->key_slots == NULL)
		abort();
	for (int e = 0; e < rs->n_logsources; e++) {
		if (!(rs->used.w[e / 64] >> (e % 64) & 1))
			continue;
		const logsource *ls = &rs->logsources[e];
		if (ls->n_where == 0) {
			key_add(rs, -2, "", e);
			continue;
		}
		const where *key = &ls->where[0];
		for (int w = 0; w < ls->n_where; w++)
			if (ls->where[w].slot < 0)
				key = &ls->where[w];
		for (int v = 0; v < key->n_values; v++)
			key_add(rs, key->slot, key->values[v], e);
		bool known = key->slot < 0;
		for (int i = 0; i < rs->n_key_slots && !known; i++)
			known = rs->key_slots[i] == key->slot;
		if (!known)
			rs->key_slots[rs->n_key_slots++] = key->slot;
	}
}

static int count_nodes(const node *n)
{
	int c = 1;
	if (n->kind == NODE_AND || n->kind == NODE_OR || n->kind == NODE_NOT)
		for (int i = 0; i < (n->kind == NODE_NOT ? 1 : n->n_kid); i++)
			c += count_nodes(n->kid[i]);
	return c;
}

/* What evaluating the subtree n costs the matcher, roughly: a scanned
 * pattern's mark is one read (an approximation's too, and PCRE2 only
 * when it fired); a lazy literal a search of the values; a PCRE2 test
 * many times that. */
static int cost(const det_rules *rs, const node *n)
{
	switch (n->kind) {
	case NODE_ATOM: {
		const atom *a = &rs->atoms[n->atom];
		if (a->kind != ATOM_PATTERN)
			return a->kind == ATOM_EXISTS ? 1 : 4;
		const pattern *p = &rs->patterns[a->pattern];
		if (pattern_exact(p))
			return 1;
		if (!p->lazy && !p->pcre_only)
			return 2; /* an approximation's mark: PCRE2 only once it fired */
		return p->lit ? 4 : 32;
	}
	case NODE_AND:
	case NODE_OR: {
		int c = 0;
		for (int k = 0; k < n->n_kid; k++)
			c += cost(rs, n->kid[k]);
		return c;
	}
	case NODE_NOT: return cost(rs, n->kid[0]);
	default: return 0;
	}
}

typedef struct costed {
	const node *n;
	int cost, at;
} costed;

static int by_cost(const void *a, const void *b)
{
	const costed *x = a, *y = b;
	return x->cost != y->cost ? (x->cost > y->cost) - (x->cost < y->cost) : x->at - y->at;
}

/* Writes the subtree n from steps[i] on (see step in rules_int.h), once
 * the patterns' states are final; returns the index past it. The
 * operands of AND and OR are laid out cheapest first, since either stops
 * at the first operand that decides it: a rule woken by one pattern whose
 * other selection's marks are false fails before its lazy or PCRE2 tests
 * are run (ClickFix's "#" on every Sysmon event explorer.exe starts). */
static int lay_out(const det_rules *rs, const node *n, step *steps, int i)
{
	step *x = &steps[i];
	*x = (step){n->kind, -1, -1, 0};
	int next = i + 1;
	if (n->kind == NODE_ATOM) {
		const atom *a = &rs->atoms[n->atom];
		const pattern *p = a->kind == ATOM_PATTERN ? &rs->patterns[a->pattern] : NULL;
		x->atom = n->atom;
		if (p && pattern_exact(p))
			x->pattern = a->pattern;
	} else if (n->kind == NODE_NOT) {
		next = lay_out(rs, n->kid[0], steps, next);
	} else if (n->kind == NODE_AND || n->kind == NODE_OR) {
		costed *kids = malloc((size_t)n->n_kid * sizeof *kids + 1);
		if (kids == NULL)
			abort();
		for (int k = 0; k < n->n_kid; k++)
			kids[k] = (costed){n->kid[k], cost(rs, n->kid[k]), k};
		qsort(kids, (size_t)n->n_kid, sizeof *kids, by_cost);
		for (int k = 0; k < n->n_kid; k++)
			next = lay_out(rs, kids[k].n, steps, next);
		free(kids);
	}
	steps[i].end = next;
	return next;
}


/* The patterns Hyperscan would need an automaton for: one that holds a
 * factor (factor.c) has the factor scanned instead; one that holds none
 * but needs a few uncommon bytes is not scanned, its bytes are counted
 * (build_counts). PCRE2 confirms either when a rule reads it. */
static void find_factors(det_rules *rs)
{
	for (size_t i = 0; i < rs->n_patterns; i++) {
		pattern *p = &rs->patterns[i];
		/* a repeat is written with one of these (a Sigma string's own
		 * bytes are \xHH): the 8,000 plain literals are not read */
		if (p->n_rules == 0 || p->lazy || p->anchored || p->pcre_only || p->prefilter ||
		    strpbrk(p->expr, "*+?{") == NULL)
			continue;
		re_factor_set f;
		re_counts c;
		bool factored = re_factor(p->expr, &f);
		if (!factored && !re_count_needs(p->expr, &c))
			continue;
		if (p->re == NULL && (p->re = rules_pcre_of(p)) == NULL)
			continue;
		if (factored) {
			p->factor = arena_alloc(&rs->a, sizeof *p->factor);
			*p->factor = f;
		} else {
			p->counts = arena_alloc(&rs->a, sizeof *p->counts);
			*p->counts = c;
		}
	}
}

/* The index of set in cs's sets, added when new; -1 when the slot has
 * COUNT_SETS already. */
static int count_set(count_slot *cs, const uint64_t set[4], uint64_t (*sets)[4])
{
	for (int i = 0; i < cs->n_sets; i++)
		if (memcmp(sets[i], set, sizeof sets[i]) == 0)
			return i;
	if (cs->n_sets == COUNT_SETS)
		return -1;
	memcpy(sets[cs->n_sets], set, sizeof sets[0]);
	for (unsigned b = 0; b < 256; b++)
		if (set[b / 64] >> (b % 64) & 1)
			cs->bits[b] |= 1u << cs->n_sets;
	return cs->n_sets++;
}

/* Each slot's count tests, from the patterns find_factors gave counts
 * (pls: the entries each pattern serves). A pattern whose sets do not fit
 * goes back to Hyperscan. */
static void build_counts(det_rules *rs, const ls_bits *pls)
{
	rules_free_counts(rs); /* of a compile that failed before */
	rs->counted = calloc((size_t)rs->n_slots + 1, sizeof *rs->counted);
	if (rs->counted == NULL)
		abort();
	uint64_t(*sets)[4] = calloc((size_t)rs->n_slots * COUNT_SETS + 1, sizeof *sets);
	if (sets == NULL)
		abort();
	for (size_t i = 0; i < rs->n_patterns; i++) {
		pattern *p = &rs->patterns[i];
		if (p->counts == NULL)
			continue;
		if (ls_empty(&pls[i])) {
			p->counts = NULL; /* no entry feeds its rules: never tested */
			continue;
		}
		count_slot *cs = rs->counted[p->slot];
		if (cs == NULL && (cs = rs->counted[p->slot] = calloc(1, sizeof *cs)) == NULL)
			abort();
		count_test t = {.pattern = (int)i, .n = p->counts->n, .ls = pls[i]};
		int first_sets = cs->n_sets;
		for (int k = 0; k < t.n; k++) {
			int at = count_set(cs, p->counts->set[k], sets + (size_t)p->slot * COUNT_SETS);
			if (at < 0) { /* full: this pattern stays Hyperscan's */
				for (unsigned b = 0; b < 256; b++)
					cs->bits[b] &= (uint32_t)((1ULL << first_sets) - 1);
				cs->n_sets = first_sets;
				p->counts = NULL;
				break;
			}
			t.set[k] = (uint8_t)at;
			t.k[k] = p->counts->k[k];
		}
		if (p->counts == NULL)
			continue;
		cs->tests = realloc(cs->tests, (size_t)(cs->n_tests + 1) * sizeof *cs->tests);
		if (cs->tests == NULL)
			abort();
		cs->tests[cs->n_tests++] = t;
		ls_or(&cs->ls, &pls[i]);
	}
	free(sets);
}

/* Whether a pattern found in a text is surely found in any text that
 * holds it: one written as sigma_value.c writes a Sigma string (letters,
 * digits, \xHH, and ".", ".*" for its wildcards). Anything else may read
 * what lies around its match: an anchor, a word boundary, a look-around,
 * an atomic group or a possessive repeat, a backtracking verb. */
static bool found_in_any_holder(const char *expr)
{
	for (const char *p = expr; *p;) {
		if (p[0] == '\\' && p[1] == 'x' && p[2] && p[3])
			p += 4;
		else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		         (*p >= '0' && *p <= '9') || *p == '.' || *p == '*')
			p++;
		else
			return false;
	}
	return true;
}

/* See det_rules.keywords_in_line. */
static bool keywords_in_line(const det_rules *rs)
{
	for (size_t i = 0; i < rs->n_atoms; i++) {
		const atom *a = &rs->atoms[i];
		if (a->slot != SLOT_KEYWORDS)
			continue;
		if (a->kind != ATOM_PATTERN || a->negate ||
		    !found_in_any_holder(rs->patterns[a->pattern].expr))
			return false;
	}
	return true;
}

int det_rules_compile(det_rules *rs, diags *d)
{
	if (rs->compiled)
		return 0;
	corr_resolve(rs, d);
	/* The entries each pattern serves: those feeding the rules using it. */
	ls_bits *pls = calloc(rs->n_patterns + 1, sizeof *pls);
	rs->slot_dbs = calloc((size_t)rs->n_slots + 1, sizeof *rs->slot_dbs);
	if (pls == NULL || rs->slot_dbs == NULL)
		abort();
	for (size_t i = 0; i < rs->n_patterns; i++)
		for (int k = 0; k < rs->patterns[i].n_rules; k++)
			ls_or(&pls[i], &rs->rules[rs->patterns[i].rules[k]]->logsources);
	for (size_t i = 0; i < rs->n_rules; i++)
		ls_or(&rs->used, &rs->rules[i]->logsources);
	build_keys(rs);
	/* Which patterns wake which rules, as if every pattern were scanned;
	 * the short ones that wake none are then left out of the databases,
	 * and the choice is made again with what the databases hold. */
	choose_wakes(rs, false);
	for (size_t i = 0; i < rs->n_patterns; i++) {
		pattern *p = &rs->patterns[i];
		if (p->n_rules > 0 && p->n_wake == 0 && !ls_empty(&pls[i]) &&
		    literal_run(p->expr) <= LAZY_LITERAL &&
		    (p->re || (p->re = rules_pcre_of(p)) != NULL)) {
			p->lazy = true;
			rules_literal_test(rs, p);
		}
	}
	anchors_build(rs, pls);
	rs->keywords_in_line = keywords_in_line(rs);
	find_factors(rs);
	build_counts(rs, pls);
	lit_sets_build(rs, pls);
	int rc = 0;
	if (rules_cache_load(rs, pls) != 0) {
		for (int s = 0; s < rs->n_slots && rc == 0; s++) {
			rs->slot_dbs[s] = rs->n_dbs;
			rc = compile_slot(rs, s, pls, d);
		}
		rs->slot_dbs[rs->n_slots] = rs->n_dbs;
		if (rc == 0)
			rules_cache_store(rs);
	}
	free(pls);
	if (rc != 0)
		return -1;
	choose_wakes(rs, true);
	for (size_t i = 0; i < rs->n_rules; i++) {
		rule *r = rs->rules[i];
		r->steps = arena_alloc(&rs->a, (size_t)count_nodes(r->cond) * sizeof *r->steps);
		lay_out(rs, r->cond, r->steps, 0);
	}
	rs->compiled = true;
	return 0;
}
