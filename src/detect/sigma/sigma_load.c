/*
 * sigma_load.c: Sigma rule documents (specification 2.x) into rules.
 *
 * A document is walked once: its metadata (title, id, status, level,
 * tags, logsource, falsepositives, author, description) is kept; its
 * detection section becomes a tree: a selection that is a map is the AND
 * of its field tests, a list of maps their OR, a list of plain values a
 * keyword search (OR, or AND under '|all'); a field test with a list of
 * values is their OR (AND with |all). Every value becomes atoms (see
 * rules_int.h). Whatever the engine cannot honour is refused with its
 * place and reason, and only that rule is skipped.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ydoc.h"
#include "detect/sigma/rules_int.h"

typedef struct loader {
	det_rules *rs;
	ydoc *y;
	const char *file;
	diags *d;
	int rule_index;
	int *used_patterns; /* registered with the rule only once it loads */
	int n_used, cap_used;
	bool failed;
} loader;

static void problem(loader *l, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void problem(loader *l, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!l->failed)
		diags_add(l->d, l->file, n ? ydoc_line(n) : 0, n ? ydoc_col(n) : 0, "%s", msg);
	l->failed = true;
}

static const char *str(loader *l, yaml_node_t *n, const char *what)
{
	if (n == NULL)
		return NULL;
	const char *s = ydoc_scalar(n);
	if (s == NULL) {
		problem(l, n, "%s must be a string, not a %s", what, ydoc_kind_name(n));
		return NULL;
	}
	return arena_strdup(&l->rs->a, s);
}

static const char **strlist(loader *l, yaml_node_t *n, const char *what, size_t *count)
{
	*count = 0;
	if (n == NULL)
		return NULL;
	if (n->type != YAML_SEQUENCE_NODE) {
		problem(l, n, "%s must be a list", what);
		return NULL;
	}
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	const char **v = arena_calloc(&l->rs->a, cap + 1, sizeof *v);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *item = ydoc_get(l->y, *it);
		const char *s = ydoc_scalar(item);
		if (s == NULL) {
			problem(l, item, "%s must hold strings", what);
			return NULL;
		}
		v[(*count)++] = arena_strdup(&l->rs->a, s);
	}
	return v;
}

static node *leaf(loader *l, int atom_index)
{
	node *n = arena_alloc(&l->rs->a, sizeof *n);
	n->kind = NODE_ATOM;
	n->atom = atom_index;
	return n;
}

static node *combine(loader *l, node_kind kind, node **kids, int n)
{
	if (n == 1)
		return kids[0];
	node *g = arena_alloc(&l->rs->a, sizeof *g);
	g->kind = kind;
	g->n_kid = n;
	g->kid = arena_alloc(&l->rs->a, (size_t)n * sizeof *kids);
	memcpy(g->kid, kids, (size_t)n * sizeof *kids);
	return g;
}

static node *negation(loader *l, node *k)
{
	node *n = arena_alloc(&l->rs->a, sizeof *n);
	n->kind = NODE_NOT;
	n->kid = arena_alloc(&l->rs->a, sizeof *n->kid);
	n->kid[0] = k;
	n->n_kid = 1;
	return n;
}

static void use_pattern(loader *l, int p)
{
	for (int i = 0; i < l->n_used; i++)
		if (l->used_patterns[i] == p)
			return;
	if (l->n_used == l->cap_used) {
		l->cap_used = l->cap_used ? l->cap_used * 2 : 16;
		l->used_patterns = realloc(l->used_patterns, (size_t)l->cap_used * sizeof(int));
		if (l->used_patterns == NULL)
			abort();
	}
	l->used_patterns[l->n_used++] = p;
}

static bool parse_cidr(const char *v, atom *a)
{
	char addr[64];
	const char *slash = strchr(v, '/');
	size_t n = slash ? (size_t)(slash - v) : strlen(v);
	if (n >= sizeof addr)
		return false;
	memcpy(addr, v, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET, addr, a->net) == 1)
		a->family = 4;
	else if (inet_pton(AF_INET6, addr, a->net) == 1)
		a->family = 6;
	else
		return false;
	int max = a->family == 4 ? 32 : 128;
	a->bits = max;
	if (slash) {
		char *end;
		long b = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1 || b < 0 || b > max)
			return false;
		a->bits = (int)b;
	}
	return true;
}

static node *value_text(loader *l, yaml_node_t *vn, const char *v, int slot, const value_mods *m);

/* One value of a field test into a node (an atom or an OR of patterns);
 * with |expand, the OR of the values its placeholders stand for. */
static node *value_node(loader *l, yaml_node_t *vn, int slot, const value_mods *m)
{
	const char *v = ydoc_scalar(vn);
	if (v == NULL) {
		problem(l, vn, "a value must be a string, number or null, not a %s",
		        ydoc_kind_name(vn));
		return NULL;
	}
	if (!m->expand)
		return value_text(l, vn, v, slot, m);
	char **vals, why[300];
	int n = expand_value(l->rs, v, &vals, why, sizeof why);
	if (n < 0) {
		problem(l, vn, "%s", why);
		return NULL;
	}
	value_mods plain = *m;
	plain.expand = false;
	node **kids = arena_alloc(&l->rs->a, (size_t)n * sizeof *kids);
	for (int i = 0; i < n; i++)
		if ((kids[i] = value_text(l, vn, vals[i], slot, &plain)) == NULL) {
			free(vals);
			return NULL;
		}
	free(vals);
	return combine(l, NODE_OR, kids, n);
}

/* A value's text (as written, or filled from placeholders) into a node. */
static node *value_text(loader *l, yaml_node_t *vn, const char *v, int slot, const value_mods *m)
{
	atom a = {.slot = slot, .cased = m->cased};
	if (m->exists) {
		if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0) {
			problem(l, vn, "exists takes true or false");
			return NULL;
		}
		a.kind = ATOM_EXISTS;
		a.num = v[0] == 't';
		return leaf(l, rules_atom(l->rs, &a));
	}
	if (ydoc_is_null(vn) && vn->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    strcmp(v, "") != 0) {
		a.kind = ATOM_NULL;
		return leaf(l, rules_atom(l->rs, &a));
	}
	if (m->numeric) {
		char *end;
		a.num = strtod(v, &end);
		if (*v == '\0' || *end) {
			problem(l, vn, "'%s' is not a number", v);
			return NULL;
		}
		a.kind = ATOM_NUM;
		a.cmp = m->cmp;
		return leaf(l, rules_atom(l->rs, &a));
	}
	if (m->cidr) {
		if (!parse_cidr(v, &a)) {
			problem(l, vn, "'%s' is not an address range (CIDR)", v);
			return NULL;
		}
		a.kind = ATOM_CIDR;
		return leaf(l, rules_atom(l->rs, &a));
	}
	if (m->fieldref) {
		a.kind = ATOM_FIELDREF;
		a.ref_slot = rules_slot(l->rs, v);
		a.ref_mode = m->contains ? 1 : m->startswith ? 2 : m->endswith ? 3 : 0;
		return leaf(l, rules_atom(l->rs, &a));
	}
	if (!m->re && !m->base64 && !m->base64offset && !m->utf16) {
		if (*v == '\0' && !m->contains && !m->startswith && !m->endswith) {
			a.kind = ATOM_EMPTY;
			return leaf(l, rules_atom(l->rs, &a));
		}
		if (v[strspn(v, "*")] == '\0' && *v) {
			a.kind = ATOM_ANY;
			return leaf(l, rules_atom(l->rs, &a));
		}
	}
	char **exprs, why[160];
	if (m->re) {
		int code;
		PCRE2_SIZE at;
		pcre2_code *re =
		    pcre2_compile((PCRE2_SPTR)v, PCRE2_ZERO_TERMINATED, 0, &code, &at, NULL);
		if (re == NULL) {
			PCRE2_UCHAR msg[120];
			pcre2_get_error_message(code, msg, sizeof msg);
			problem(l, vn, "regular expression: %s at offset %zu", (char *)msg,
			        (size_t)at);
			return NULL;
		}
		pcre2_code_free(re);
	}
	int n = value_patterns(&l->rs->a, v, m, &exprs, why, sizeof why);
	if (n < 0) {
		problem(l, vn, "%s", why);
		return NULL;
	}
	unsigned flags = HS_FLAG_SINGLEMATCH;
	if (m->re)
		flags |= (m->re_i ? HS_FLAG_CASELESS : 0) | (m->re_m ? HS_FLAG_MULTILINE : 0) |
		         (m->re_s ? HS_FLAG_DOTALL : 0);
	else
		flags |= HS_FLAG_DOTALL |
		         (m->cased || m->base64 || m->base64offset ? 0 : HS_FLAG_CASELESS);
	node *kids[8];
	for (int i = 0; i < n && i < 8; i++) {
		int p = rules_pattern(l->rs, slot, exprs[i], flags);
		use_pattern(l, p);
		a.kind = ATOM_PATTERN;
		a.pattern = p;
		kids[i] = leaf(l, rules_atom(l->rs, &a));
	}
	return combine(l, NODE_OR, kids, n < 8 ? n : 8);
}

/* "Field|mod|mod: value(s)"; an empty field name is a keyword search. */
static node *field_test(loader *l, yaml_node_t *kn, yaml_node_t *vn)
{
	const char *key = ydoc_scalar(kn);
	if (key == NULL) {
		problem(l, kn, "a field name must be a string");
		return NULL;
	}
	const char *bar = strchr(key, '|');
	char field[256];
	size_t fn = bar ? (size_t)(bar - key) : strlen(key);
	if (fn >= sizeof field) {
		problem(l, kn, "field name too long");
		return NULL;
	}
	memcpy(field, key, fn);
	field[fn] = '\0';
	value_mods m;
	char why[160];
	if (value_parse_mods(bar ? bar + 1 : "", &m, why, sizeof why) != 0) {
		problem(l, kn, "%s", why);
		return NULL;
	}
	int slot = fn ? rules_slot(l->rs, field) : SLOT_KEYWORDS;
	if (fn == 0 && !m.re && !m.base64 && !m.base64offset)
		m.contains = true; /* keywords match anywhere in the event */
	/* As many values as the list holds (SigmaHQ's vulnerable-driver rule
	 * lists 4,432 hashes); the document's visit budget (ydoc_visit) is
	 * the only bound, so the size is the file's, not a constant's. */
	node *one, **kids = &one;
	int n = 0;
	if (vn->type == YAML_SEQUENCE_NODE) {
		int count = (int)(vn->data.sequence.items.top - vn->data.sequence.items.start);
		if (count == 0) {
			problem(l, vn, "empty list of values for '%s'", key);
			return NULL;
		}
		kids = arena_alloc(&l->rs->a, (size_t)count * sizeof *kids);
		for (yaml_node_item_t *it = vn->data.sequence.items.start;
		     it < vn->data.sequence.items.top; it++) {
			if (!ydoc_visit(l->y)) {
				problem(l, vn, "the document is too large to walk (more than %d nodes)",
				        YDOC_MAX_VISITS);
				return NULL;
			}
			node *k = value_node(l, ydoc_get(l->y, *it), slot, &m);
			if (k == NULL)
				return NULL;
			kids[n++] = k;
		}
	} else {
		node *k = value_node(l, vn, slot, &m);
		if (k == NULL)
			return NULL;
		kids[n++] = k;
	}
	if (m.all && n == 1 && vn->type != YAML_SEQUENCE_NODE) {
		problem(l, kn, "all needs a list of values");
		return NULL;
	}
	node *t = combine(l, m.all ? NODE_AND : NODE_OR, kids, n);
	return m.neq ? negation(l, t) : t;
}

static node *map_test(loader *l, yaml_node_t *map)
{
	node *kids[256];
	int n = 0;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		if (n == 256) {
			problem(l, map, "too many fields in one selection");
			return NULL;
		}
		node *k = field_test(l, ydoc_get(l->y, p->key), ydoc_get(l->y, p->value));
		if (k == NULL)
			return NULL;
		kids[n++] = k;
	}
	if (n == 0) {
		problem(l, map, "empty selection");
		return NULL;
	}
	return combine(l, NODE_AND, kids, n);
}

static node *selection(loader *l, yaml_node_t *v)
{
	if (v->type == YAML_MAPPING_NODE)
		return map_test(l, v);
	if (v->type == YAML_SCALAR_NODE) {
		value_mods m = {.contains = true};
		return value_node(l, v, SLOT_KEYWORDS, &m);
	}
	int count = (int)(v->data.sequence.items.top - v->data.sequence.items.start);
	node **kids = arena_alloc(&l->rs->a, ((size_t)count + 1) * sizeof *kids);
	int n = 0;
	bool maps = false, scalars = false;
	value_mods m = {.contains = true};
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	     it++) {
		yaml_node_t *item = ydoc_get(l->y, *it);
		if (!ydoc_visit(l->y)) {
			problem(l, v, "the document is too large to walk (more than %d nodes)",
			        YDOC_MAX_VISITS);
			return NULL;
		}
		node *k;
		if (item->type == YAML_MAPPING_NODE) {
			maps = true;
			k = map_test(l, item);
		} else {
			scalars = true;
			k = value_node(l, item, SLOT_KEYWORDS, &m);
		}
		if (k == NULL)
			return NULL;
		kids[n++] = k;
	}
	if (n == 0) {
		problem(l, v, "empty selection");
		return NULL;
	}
	if (maps && scalars) {
		problem(l, v, "a selection list mixes maps and keywords");
		return NULL;
	}
	return combine(l, NODE_OR, kids, n);
}

static node *detection(loader *l, yaml_node_t *det)
{
	if (det == NULL) {
		problem(l, ydoc_root(l->y), "no detection");
		return NULL;
	}
	if (det->type != YAML_MAPPING_NODE) {
		problem(l, det, "detection must be a map");
		return NULL;
	}
	cond_sel sels[256];
	int n = 0;
	yaml_node_t *cond = NULL;
	for (yaml_node_pair_t *p = det->data.mapping.pairs.start; p < det->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = ydoc_get(l->y, p->key), *vn = ydoc_get(l->y, p->value);
		const char *name = ydoc_scalar(kn);
		if (name == NULL) {
			problem(l, kn, "a selection name must be a string");
			return NULL;
		}
		if (strcmp(name, "condition") == 0) {
			cond = vn;
			continue;
		}
		if (strcmp(name, "timeframe") == 0) {
			problem(l, kn,
			        "timeframe is Sigma 1's aggregation; write a correlation rule");
			return NULL;
		}
		if (n == 256) {
			problem(l, kn, "too many selections");
			return NULL;
		}
		node *t = selection(l, vn);
		if (t == NULL)
			return NULL;
		sels[n++] = (cond_sel){arena_strdup(&l->rs->a, name), t};
	}
	if (cond == NULL) {
		problem(l, det, "detection has no condition");
		return NULL;
	}
	/* A list of conditions is their OR. */
	node *kids[16];
	int nk = 0;
	yaml_node_item_t *it = NULL, *end = NULL;
	if (cond->type == YAML_SEQUENCE_NODE) {
		it = cond->data.sequence.items.start;
		end = cond->data.sequence.items.top;
	}
	for (yaml_node_t *c = it ? (it < end ? ydoc_get(l->y, *it) : NULL) : cond; c;
	     c = it && ++it < end ? ydoc_get(l->y, *it) : NULL) {
		const char *text = ydoc_scalar(c);
		if (text == NULL || nk == 16) {
			problem(l, c, "condition must be a string");
			return NULL;
		}
		char why[200];
		node *t = cond_parse(&l->rs->a, text, sels, n, why, sizeof why);
		if (t == NULL) {
			problem(l, c, "condition: %s", why);
			return NULL;
		}
		kids[nk++] = t;
	}
	if (nk == 0) {
		problem(l, cond, "empty condition");
		return NULL;
	}
	return combine(l, NODE_OR, kids, nk);
}

static int level_rank(const char *level)
{
	static const char *const levels[] = {"informational", "low", "medium", "high", "critical"};
	for (int i = 0; i < 5; i++)
		if (level && strcmp(level, levels[i]) == 0)
			return i;
	return -1;
}

/* "90s", "5m", "1h", "7d" into seconds; -1 when it is not one. */
static int64_t timespan(const char *s)
{
	char *end;
	long long n = s ? strtoll(s, &end, 10) : 0;
	if (s == NULL || end == s || n <= 0 || n > 366LL * 86400)
		return -1;
	int64_t mul = *end == 's' ? 1 : *end == 'm' ? 60 : *end == 'h' ? 3600 : *end == 'd' ? 86400 : 0;
	return mul && end[1] == '\0' ? n * mul : -1;
}

/* The title, id, level, tags… a correlation rule shares with others. */
static void meta(loader *l, yaml_node_t *root, det_rule *p)
{
	p->file = arena_strdup(&l->rs->a, l->file);
	p->line = ydoc_line(root);
	p->title = str(l, ydoc_map_get(l->y, root, "title"), "title");
	if (p->title == NULL && !l->failed)
		problem(l, root, "the rule has no title");
	p->id = str(l, ydoc_map_get(l->y, root, "id"), "id");
	p->name = str(l, ydoc_map_get(l->y, root, "name"), "name");
	p->status = str(l, ydoc_map_get(l->y, root, "status"), "status");
	p->description = str(l, ydoc_map_get(l->y, root, "description"), "description");
	p->author = str(l, ydoc_map_get(l->y, root, "author"), "author");
	yaml_node_t *lv = ydoc_map_get(l->y, root, "level");
	p->level = str(l, lv, "level");
	p->level_rank = p->level ? level_rank(p->level) : 2;
	if (p->level && p->level_rank < 0)
		problem(l, lv, "unknown level '%s' (informational, low, medium, high, critical)",
		        p->level);
	p->tags = strlist(l, ydoc_map_get(l->y, root, "tags"), "tags", &p->n_tags);
	p->falsepositives =
	    strlist(l, ydoc_map_get(l->y, root, "falsepositives"), "falsepositives", &p->n_falsepositives);
}

/* aliases: {ALIAS: {RULE: FIELD, …}, …}: ALIAS may stand in group-by for
 * a field named differently in each member's events. */
static void aliases(loader *l, corr *c, yaml_node_t *al)
{
	if (al->type != YAML_MAPPING_NODE) {
		problem(l, al, "aliases must be a map of alias names to {rule: field}");
		return;
	}
	c->alias_field = arena_calloc(&l->rs->a, c->n_group * c->n_refs + 1, sizeof(char *));
	for (yaml_node_pair_t *p = al->data.mapping.pairs.start; p < al->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = ydoc_get(l->y, p->key), *vn = ydoc_get(l->y, p->value);
		const char *name = ydoc_scalar(kn);
		size_t g = 0;
		while (name && g < c->n_group && strcmp(c->group_by[g], name) != 0)
			g++;
		if (name == NULL || g == c->n_group) {
			problem(l, kn, "alias '%s' is not in group-by", name ? name : "?");
			return;
		}
		if (vn->type != YAML_MAPPING_NODE) {
			problem(l, vn, "an alias maps rule names to field names");
			return;
		}
		for (yaml_node_pair_t *q = vn->data.mapping.pairs.start;
		     q < vn->data.mapping.pairs.top; q++) {
			yaml_node_t *rn = ydoc_get(l->y, q->key), *fn = ydoc_get(l->y, q->value);
			const char *ref = ydoc_scalar(rn), *field = ydoc_scalar(fn);
			size_t m = 0;
			while (ref && m < c->n_refs && strcmp(c->refs[m], ref) != 0)
				m++;
			if (ref == NULL || field == NULL || m == c->n_refs) {
				problem(l, rn, "alias '%s': '%s' is not one of the correlated rules", name,
				        ref ? ref : "?");
				return;
			}
			c->alias_field[g * c->n_refs + m] = arena_strdup(&l->rs->a, field);
		}
	}
}

/* A correlation rule: event_count, value_count, temporal or
 * temporal_ordered over member rules, grouped, in a timespan. What a
 * streaming engine cannot honour is refused with its reason. */
static corr *load_correlation(loader *l, yaml_node_t *root, yaml_node_t *cn)
{
	static const char *const types[] = {"event_count", "value_count", "temporal",
	                                    "temporal_ordered"};
	corr *c = arena_calloc(&l->rs->a, 1, sizeof *c);
	meta(l, root, &c->pub);
	if (cn->type != YAML_MAPPING_NODE) {
		problem(l, cn, "correlation must be a map");
		return NULL;
	}
	yaml_node_t *tn = ydoc_map_get(l->y, cn, "type");
	const char *type = str(l, tn, "type");
	int t = -1;
	for (int i = 0; type && i < 4; i++)
		if (strcmp(type, types[i]) == 0)
			t = i;
	if (t < 0) {
		problem(l, tn ? tn : cn,
		        "correlation type must be event_count, value_count, temporal or "
		        "temporal_ordered%s",
		        type ? " (value_sum, value_avg and value_percentile are not supported)" : "");
		return NULL;
	}
	c->type = (corr_type)t;
	c->pub.correlation = types[t];
	c->refs = strlist(l, ydoc_map_get(l->y, cn, "rules"), "rules", &c->n_refs);
	if (c->n_refs == 0 && !l->failed)
		problem(l, cn, "a correlation needs the rules it correlates");
	if ((c->type == CORR_TEMPORAL || c->type == CORR_TEMPORAL_ORDERED) && c->n_refs < 2 &&
	    !l->failed)
		problem(l, cn, "a temporal correlation needs two rules or more");
	if (c->n_refs > 32 && !l->failed)
		problem(l, cn, "a correlation of more than 32 rules is not supported");
	c->group_by = strlist(l, ydoc_map_get(l->y, cn, "group-by"), "group-by", &c->n_group);
	yaml_node_t *ts = ydoc_map_get(l->y, cn, "timespan");
	c->timespan = timespan(ydoc_scalar(ts));
	if (c->timespan < 0 && !l->failed)
		problem(l, ts ? ts : cn, "timespan must be a number and s, m, h or d (such as 5m)");
	yaml_node_t *al = ydoc_map_get(l->y, cn, "aliases");
	if (al && !l->failed)
		aliases(l, c, al);
	yaml_node_t *gen = ydoc_map_get(l->y, root, "generate");
	if (gen == NULL)
		gen = ydoc_map_get(l->y, cn, "generate");
	c->generate = gen && ydoc_scalar(gen) && strcmp(ydoc_scalar(gen), "true") == 0;
	yaml_node_t *cond = ydoc_map_get(l->y, cn, "condition");
	if (c->type == CORR_TEMPORAL || c->type == CORR_TEMPORAL_ORDERED) {
		/* all members, in the timespan (in order for temporal_ordered) */
		c->op = CORR_GTE;
		c->threshold = (int64_t)c->n_refs;
		if (cond && !l->failed)
			problem(l, cond, "a temporal correlation takes no condition here: all its "
			                 "rules must match");
	} else if (cond == NULL || cond->type != YAML_MAPPING_NODE) {
		if (!l->failed)
			problem(l, cond ? cond : cn, "the correlation needs a condition map (gte: N)");
	} else {
		int ops = 0;
		for (yaml_node_pair_t *p = cond->data.mapping.pairs.start;
		     p < cond->data.mapping.pairs.top && !l->failed; p++) {
			yaml_node_t *kn = ydoc_get(l->y, p->key), *vn = ydoc_get(l->y, p->value);
			const char *k = ydoc_scalar(kn), *v = ydoc_scalar(vn);
			if (k && strcmp(k, "field") == 0) {
				c->field = str(l, vn, "field");
				continue;
			}
			char *end = NULL;
			long long n = v ? strtoll(v, &end, 10) : -1;
			if (k == NULL || v == NULL || *end || n < 0 || n > 10000) {
				problem(l, vn ? vn : kn, "a condition count is a whole number up to 10000");
				continue;
			}
			if (strcmp(k, "gte") == 0)
				c->op = CORR_GTE;
			else if (strcmp(k, "gt") == 0)
				c->op = CORR_GT;
			else if (strcmp(k, "eq") == 0)
				c->op = CORR_EQ;
			else if (strcmp(k, "lt") == 0 || strcmp(k, "lte") == 0 || strcmp(k, "neq") == 0) {
				problem(l, kn, "'%s' cannot be decided before the timespan ends; sigap "
				               "matches as events arrive (use gt, gte or eq)",
				        k);
				continue;
			} else {
				problem(l, kn, "unknown condition '%s' (gt, gte, eq)", k);
				continue;
			}
			c->threshold = n + (c->op == CORR_GT);
			ops++;
		}
		if (!l->failed && ops != 1)
			problem(l, cond, "the condition needs exactly one of gt, gte, eq");
		if (!l->failed && c->threshold < 1)
			problem(l, cond, "the condition must ask for one event or more");
		if (!l->failed && c->type == CORR_VALUE_COUNT && c->field == NULL)
			problem(l, cond, "a value_count condition names its field");
	}
	c->col = ydoc_col(cn);
	return l->failed ? NULL : c;
}

/* Loads the document at the root into a rule; NULL when it was refused. */
static rule *load_rule(loader *l, yaml_node_t *root)
{
	if (root->type != YAML_MAPPING_NODE) {
		problem(l, root, "a rule must be a map");
		return NULL;
	}
	if (ydoc_map_get(l->y, root, "filter")) {
		problem(l, root,
		        "Sigma filters are not supported; add the filter to the rule's condition");
		return NULL;
	}
	if (ydoc_map_get(l->y, root, "action")) {
		problem(l, root,
		        "rule collections (action:) are not supported; one rule a document");
		return NULL;
	}
	rule *r = arena_alloc(&l->rs->a, sizeof *r);
	det_rule *p = &r->pub;
	meta(l, root, p);
	yaml_node_t *ls = ydoc_map_get(l->y, root, "logsource");
	if (ls == NULL || ls->type != YAML_MAPPING_NODE) {
		problem(l, ls ? ls : root, "the rule needs a logsource map");
	} else {
		p->product = str(l, ydoc_map_get(l->y, ls, "product"), "product");
		p->category = str(l, ydoc_map_get(l->y, ls, "category"), "category");
		p->service = str(l, ydoc_map_get(l->y, ls, "service"), "service");
	}
	if (l->failed)
		return NULL;
	r->cond = detection(l, ydoc_map_get(l->y, root, "detection"));
	if (r->cond == NULL)
		return NULL;
	return r;
}

int det_rules_add(det_rules *rs, const char *data, size_t n, const char *file, diags *d)
{
	if (rs->compiled) {
		diags_add(d, file, 0, 0, "rules are already compiled");
		return 0;
	}
	ydoc y;
	ydoc_open(&y, data, n, file);
	int added = 0, got;
	while ((got = ydoc_next(&y, d)) == 1) {
		yaml_node_t *root = ydoc_root(&y);
		if (root == NULL)
			continue;
		size_t atoms = rs->n_atoms, patterns = rs->n_patterns;
		loader l = {rs, &y, file, d, (int)rs->n_rules, NULL, 0, 0, false};
		yaml_node_t *cn = root->type == YAML_MAPPING_NODE ? ydoc_map_get(l.y, root, "correlation") : NULL;
		if (cn) {
			corr *c = load_correlation(&l, root, cn);
			if (c) {
				rules_add_corr(rs, c);
				added++;
			}
			continue;
		}
		rule *r = load_rule(&l, root);
		if (r == NULL) {
			/* Only this rule used what it added; drop it. */
			for (size_t i = patterns; i < rs->n_patterns; i++)
				free(rs->patterns[i].rules);
			rs->n_atoms = atoms;
			rs->n_patterns = patterns;
		} else {
			int index = rules_add_rule(rs, r);
			for (int i = 0; i < l.n_used; i++) {
				pattern *pt = &rs->patterns[l.used_patterns[i]];
				if (pt->n_rules == pt->cap_rules) {
					pt->cap_rules = pt->cap_rules ? pt->cap_rules * 2 : 2;
					pt->rules =
					    realloc(pt->rules, (size_t)pt->cap_rules * sizeof(int));
					if (pt->rules == NULL)
						abort();
				}
				pt->rules[pt->n_rules++] = index;
			}
			added++;
		}
		free(l.used_patterns);
	}
	ydoc_close(&y);
	return added;
}
