/*
 * compile.c: a rule set's patterns into one Hyperscan database per field
 * slot, and the list of rules to evaluate on every event.
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
 * A rule needs evaluating on every event when its condition can hold
 * with no Hyperscan pattern firing ("not filter", an "exists" test, a
 * number comparison). That is found by evaluating the condition over
 * three values: pattern tests false, every other test unknown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/sigma/rules_cache.h"

enum { F, T, U };

static int static_eval(const det_rules *rs, const node *n)
{
	switch (n->kind) {
	case NODE_TRUE: return T;
	case NODE_FALSE: return F;
	case NODE_ATOM: {
		const atom *a = &rs->atoms[n->atom];
		if (a->kind == ATOM_PATTERN && !rs->patterns[a->pattern].pcre_only)
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

/* Builds the database of one slot; -1 on an error not tied to a pattern. */
static int compile_slot(det_rules *rs, int slot, diags *d)
{
	int *ids = malloc(rs->n_patterns * sizeof *ids);
	const char **exprs = malloc(rs->n_patterns * sizeof *exprs);
	unsigned *flags = malloc(rs->n_patterns * sizeof *flags);
	unsigned *hs_ids = malloc(rs->n_patterns * sizeof *hs_ids);
	int rc = 0;
	for (;;) {
		int n = 0;
		for (size_t i = 0; i < rs->n_patterns; i++) {
			pattern *p = &rs->patterns[i];
			if (p->slot != slot || p->pcre_only || p->n_rules == 0)
				continue;
			ids[n] = (int)i;
			exprs[n] = p->expr;
			flags[n] = p->flags | (p->prefilter ? HS_FLAG_PREFILTER : 0);
			hs_ids[n] = (unsigned)i;
			n++;
		}
		if (n == 0)
			break;
		hs_compile_error_t *err = NULL;
		hs_database_t *db = NULL;
		if (hs_compile_multi(exprs, flags, hs_ids, (unsigned)n, HS_MODE_BLOCK, NULL, &db,
		                     &err) == HS_SUCCESS) {
			rs->db[slot] = db;
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
		pattern *p = &rs->patterns[ids[bad]];
		if (!p->prefilter)
			p->prefilter = true;
		else
			p->pcre_only = true, p->prefilter = false;
		if (p->re == NULL && (p->re = rules_pcre_of(p)) == NULL) {
			p->pcre_only = false;
			p->prefilter = false;
			p->n_rules = 0; /* cannot happen: the loader checked it */
		}
	}
	free(ids);
	free(exprs);
	free(flags);
	free(hs_ids);
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
		if (a->kind == ATOM_PATTERN && !rs->patterns[a->pattern].pcre_only) {
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

static void wake(pattern *p, int r)
{
	if (p->n_wake > 0 && p->wake[p->n_wake - 1] == r)
		return;
	if (p->n_wake == p->cap_wake) {
		p->cap_wake = p->cap_wake ? p->cap_wake * 2 : 2;
		p->wake = realloc(p->wake, (size_t)p->cap_wake * sizeof(int));
		if (p->wake == NULL)
			abort();
	}
	p->wake[p->n_wake++] = r;
}

int det_rules_compile(det_rules *rs, diags *d)
{
	if (rs->compiled)
		return 0;
	corr_resolve(rs, d);
	rs->db = calloc((size_t)rs->n_slots, sizeof *rs->db);
	if (rs->db == NULL)
		abort();
	if (rules_cache_load(rs) != 0) {
		for (int s = 0; s < rs->n_slots; s++)
			if (compile_slot(rs, s, d) != 0)
				return -1;
		rules_cache_store(rs);
	}
	rs->always = malloc((rs->n_rules + 1) * sizeof *rs->always);
	if (rs->always == NULL)
		abort();
	for (size_t i = 0; i < rs->n_rules; i++) {
		rule *r = rs->rules[i];
		clauses cs = clauses_of(rs, r->cond);
		int b = best_clause(rs, &cs);
		r->always = b < 0 || static_eval(rs, r->cond) != F;
		if (r->always && !ls_empty(&r->logsources))
			rs->always[rs->n_always++] = (int)i;
		else if (!r->always)
			for (int k = 0; k < cs.c[b].n; k++)
				wake(&rs->patterns[cs.c[b].p[k]], (int)i);
		clauses_free(&cs);
	}
	rs->compiled = true;
	return 0;
}
