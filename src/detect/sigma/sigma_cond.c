/*
 * sigma_cond.c: a Sigma condition into a tree over the rule's selections.
 *
 *   expr    := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | primary
 *   primary := '(' expr ')' | ('1' | 'any' | 'all') 'of' (PATTERN | 'them') | NAME
 *
 * Precedence as the specification gives it (or < and < not < x of <
 * parentheses). "them" is every selection whose name does not start with
 * '_'; a PATTERN matches names with '*' as any run. The selection trees
 * are shared, not copied: a tree is read-only once built. A pipe ("|
 * count() > 5", Sigma 1's aggregations) is refused with a pointer to
 * correlation rules.
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "detect/sigma/rules_int.h"

typedef struct parser {
	arena *a;
	const char *p;
	const cond_sel *sels;
	int n_sels;
	char *err;
	size_t errn;
	int depth;
} parser;

typedef struct token {
	const char *p;
	size_t n;
} token;

static bool is_name(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '*' || c == '-' || c == '.';
}

static token peek(parser *ps)
{
	const char *p = ps->p;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p != '\0' && !is_name(*p))
		return (token){p, 1}; /* ( ) | and anything else, one byte */
	const char *s = p;
	while (is_name(*p))
		p++;
	return (token){s, (size_t)(p - s)};
}

static token next(parser *ps)
{
	token t = peek(ps);
	ps->p = t.p + t.n;
	return t;
}

static bool is_word(token t, const char *w)
{
	return t.n == strlen(w) && strncasecmp(t.p, w, t.n) == 0;
}

static node *fail(parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static node *fail(parser *ps, const char *fmt, ...)
{
	if (ps->err[0] == '\0') {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errn, fmt, ap);
		va_end(ap);
	}
	return NULL;
}

static node *group(parser *ps, node_kind kind, node **kids, int n)
{
	if (n == 1)
		return kids[0];
	node *g = arena_alloc(ps->a, sizeof *g);
	g->kind = kind;
	g->n_kid = n;
	g->kid = arena_alloc(ps->a, (size_t)n * sizeof *kids);
	memcpy(g->kid, kids, (size_t)n * sizeof *kids);
	return g;
}

static node *expr(parser *ps);

static node *of(parser *ps, bool all)
{
	token what = next(ps);
	if (what.n == 0)
		return fail(ps, "'of' needs a selection pattern or 'them'");
	bool them = is_word(what, "them");
	char pat[128];
	if (what.n >= sizeof pat)
		return fail(ps, "selection pattern too long: '%.*s'", (int)what.n, what.p);
	memcpy(pat, what.p, what.n);
	pat[what.n] = '\0';
	node *kids[256];
	int n = 0;
	for (int i = 0; i < ps->n_sels && n < 256; i++) {
		const char *name = ps->sels[i].name;
		if (them ? name[0] != '_' : fnmatch(pat, name, 0) == 0)
			kids[n++] = ps->sels[i].tree;
	}
	if (n == 0)
		return fail(ps, "no selection matches '%.*s'", (int)what.n, what.p);
	return group(ps, all ? NODE_AND : NODE_OR, kids, n);
}

static node *primary(parser *ps)
{
	token t = next(ps);
	if (t.n == 0)
		return fail(ps, "condition ends too early");
	if (t.n == 1 && t.p[0] == '|')
		return fail(
		    ps, "aggregations ('| count() …') are not supported; write a correlation rule");
	if (t.n == 1 && t.p[0] == '(') {
		if (++ps->depth > 64)
			return fail(ps, "condition nested too deeply");
		node *inner = expr(ps);
		ps->depth--;
		token close = next(ps);
		if (inner && !(close.n == 1 && close.p[0] == ')'))
			return fail(ps, "missing ')' before '%.*s'", (int)close.n, close.p);
		return inner;
	}
	bool one = is_word(t, "1") || is_word(t, "any"), all = is_word(t, "all");
	if ((one || all) && is_word(peek(ps), "of")) {
		next(ps);
		return of(ps, all);
	}
	if (is_word(t, "and") || is_word(t, "or") || is_word(t, "not") || is_word(t, "of") ||
	    (t.n == 1 && t.p[0] == ')'))
		return fail(ps, "unexpected '%.*s'", (int)t.n, t.p);
	for (int i = 0; i < ps->n_sels; i++)
		if (strlen(ps->sels[i].name) == t.n && memcmp(ps->sels[i].name, t.p, t.n) == 0)
			return ps->sels[i].tree;
	return fail(ps, "unknown selection '%.*s'", (int)t.n, t.p);
}

static node *unary(parser *ps)
{
	if (is_word(peek(ps), "not")) {
		next(ps);
		if (++ps->depth > 64)
			return fail(ps, "condition nested too deeply");
		node *k = unary(ps);
		ps->depth--;
		if (k == NULL)
			return NULL;
		node *n = arena_alloc(ps->a, sizeof *n);
		n->kind = NODE_NOT;
		n->kid = arena_alloc(ps->a, sizeof *n->kid);
		n->kid[0] = k;
		n->n_kid = 1;
		return n;
	}
	return primary(ps);
}

static node *chain(parser *ps, const char *op, node_kind kind, node *(*sub)(parser *))
{
	node *kids[256];
	int n = 0;
	do {
		if (n == 256)
			return fail(ps, "too many operands of '%s'", op);
		node *k = sub(ps);
		if (k == NULL)
			return NULL;
		kids[n++] = k;
	} while (is_word(peek(ps), op) && next(ps).n);
	return group(ps, kind, kids, n);
}

static node *and_expr(parser *ps)
{
	return chain(ps, "and", NODE_AND, unary);
}

static node *expr(parser *ps)
{
	return chain(ps, "or", NODE_OR, and_expr);
}

node *cond_parse(arena *a, const char *text, const cond_sel *sels, int n_sels, char *err,
                 size_t errn)
{
	parser ps = {a, text, sels, n_sels, err, errn, 0};
	err[0] = '\0';
	node *n = expr(&ps);
	if (n == NULL)
		return NULL;
	token rest = peek(&ps);
	if (rest.n == 1 && rest.p[0] == '|')
		return fail(
		    &ps,
		    "aggregations ('| count() …') are not supported; write a correlation rule");
	if (rest.n)
		return fail(&ps, "unexpected '%.*s'", (int)rest.n, rest.p);
	return n;
}
