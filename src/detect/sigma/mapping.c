/*
 * mapping.c: which events feed which Sigma logsources, and which event
 * fields stand for which Sigma fields (rules/mapping.yaml).
 *
 *   fields:
 *     CommandLine: [ProcessCommandLine]    # Security 4688 names
 *   logsources:
 *     - product: windows
 *       category: process_creation
 *       where: {Channel: Security, EventID: "4688"}
 *
 * An event belongs to a logsource entry when each "where" field has one
 * of the listed values ("*": any value; the pseudo-field "format" is the
 * parser that read the line: syslog, json, wazuh, cef, auditd, access).
 * A rule is fed by every entry that agrees with the product, category
 * and service the rule names, so a rule that says only "product: linux"
 * sees every Linux entry. Up to MAX_LOGSOURCES entries, one bit each.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/ydoc.h"
#include "detect/sigma/rules_int.h"

static const char *opt_str(det_rules *rs, ydoc *y, yaml_node_t *map, const char *key)
{
	const char *s = ydoc_scalar(ydoc_map_get(y, map, key) ? ydoc_map_get(y, map, key) : NULL);
	return s ? arena_strdup(&rs->a, s) : NULL;
}

/* A scalar or a list of scalars into an array; -1 when it is neither. */
static int scalars(det_rules *rs, ydoc *y, yaml_node_t *n, const char ***out)
{
	if (n->type == YAML_SCALAR_NODE) {
		*out = arena_alloc(&rs->a, sizeof **out);
		(*out)[0] = arena_strdup(&rs->a, ydoc_scalar(n));
		return 1;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return -1;
	int count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
	*out = arena_calloc(&rs->a, (size_t)count + 1, sizeof **out);
	for (int i = 0; i < count; i++) {
		const char *s = ydoc_scalar(ydoc_get(y, n->data.sequence.items.start[i]));
		if (s == NULL)
			return -1;
		(*out)[i] = arena_strdup(&rs->a, s);
	}
	return count;
}

static int load_fields(det_rules *rs, ydoc *y, yaml_node_t *f, const char *file, diags *d)
{
	if (f->type != YAML_MAPPING_NODE) {
		diags_add(d, file, ydoc_line(f), ydoc_col(f), "fields must be a map");
		return -1;
	}
	for (yaml_node_pair_t *p = f->data.mapping.pairs.start; p < f->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = ydoc_get(y, p->key), *vn = ydoc_get(y, p->value);
		const char **names;
		int n = scalars(rs, y, vn, &names);
		if (ydoc_scalar(kn) == NULL || n < 0) {
			diags_add(d, file, ydoc_line(vn), ydoc_col(vn),
			          "a field maps to an event field name or a list of them");
			return -1;
		}
		for (int i = 0; i < n; i++) {
			size_t cap = (size_t)rs->cap_alias;
			if (rs->n_alias == rs->cap_alias) {
				cap = cap ? cap * 2 : 32;
				rs->alias_from = realloc(rs->alias_from, cap * sizeof(char *));
				rs->alias_to = realloc(rs->alias_to, cap * sizeof(char *));
				if (rs->alias_from == NULL || rs->alias_to == NULL)
					abort();
				rs->cap_alias = (int)cap;
			}
			rs->alias_from[rs->n_alias] = arena_strdup(&rs->a, ydoc_scalar(kn));
			rs->alias_to[rs->n_alias++] = names[i];
		}
	}
	return 0;
}

static int load_logsources(det_rules *rs, ydoc *y, yaml_node_t *l, const char *file, diags *d)
{
	if (l->type != YAML_SEQUENCE_NODE) {
		diags_add(d, file, ydoc_line(l), ydoc_col(l), "logsources must be a list");
		return -1;
	}
	for (yaml_node_item_t *it = l->data.sequence.items.start; it < l->data.sequence.items.top;
	     it++) {
		yaml_node_t *e = ydoc_get(y, *it), *w = ydoc_map_get(y, e, "where");
		if (rs->n_logsources == MAX_LOGSOURCES) {
			diags_add(d, file, ydoc_line(e), ydoc_col(e), "more than %d logsources",
			          MAX_LOGSOURCES);
			return -1;
		}
		if (e->type != YAML_MAPPING_NODE || w == NULL || w->type != YAML_MAPPING_NODE) {
			diags_add(d, file, ydoc_line(e), ydoc_col(e),
			          "a logsource needs product, category or service and a where map");
			return -1;
		}
		logsource *ls = &rs->logsources[rs->n_logsources];
		ls->product = opt_str(rs, y, e, "product");
		ls->category = opt_str(rs, y, e, "category");
		ls->service = opt_str(rs, y, e, "service");
		ls->n_where = (int)(w->data.mapping.pairs.top - w->data.mapping.pairs.start);
		ls->where = arena_calloc(&rs->a, (size_t)ls->n_where + 1, sizeof *ls->where);
		for (int i = 0; i < ls->n_where; i++) {
			yaml_node_pair_t *p = &w->data.mapping.pairs.start[i];
			const char *k = ydoc_scalar(ydoc_get(y, p->key));
			yaml_node_t *vn = ydoc_get(y, p->value);
			where *wh = &ls->where[i];
			wh->n_values = k ? scalars(rs, y, vn, &wh->values) : -1;
			if (wh->n_values < 1) {
				diags_add(d, file, ydoc_line(vn), ydoc_col(vn),
				          "a where value is a string or a list of strings");
				return -1;
			}
			wh->slot = strcmp(k, "format") == 0 ? -1 : rules_slot(rs, k);
		}
		rs->n_logsources++;
	}
	return 0;
}

int mapping_load(det_rules *rs, const char *data, size_t n, const char *file, diags *d)
{
	ydoc y;
	ydoc_open(&y, data, n, file);
	int rc = -1;
	if (ydoc_next(&y, d) == 1) {
		yaml_node_t *root = ydoc_root(&y), *f = ydoc_map_get(&y, root, "fields"),
		            *l = ydoc_map_get(&y, root, "logsources");
		if (l == NULL)
			diags_add(d, file, 1, 1, "the mapping has no logsources");
		else if ((f == NULL || load_fields(rs, &y, f, file, d) == 0) &&
		         load_logsources(rs, &y, l, file, d) == 0)
			rc = 0;
	}
	ydoc_close(&y);
	return rc;
}

static bool agrees(const char *wanted, const char *entry)
{
	return wanted == NULL || (entry != NULL && strcasecmp(wanted, entry) == 0);
}

ls_bits mapping_rule_logsources(const det_rules *rs, const det_rule *r)
{
	ls_bits bits = {{0}};
	for (int i = 0; i < rs->n_logsources; i++) {
		const logsource *ls = &rs->logsources[i];
		if (agrees(r->product, ls->product) && agrees(r->category, ls->category) &&
		    agrees(r->service, ls->service))
			ls_set(&bits, i);
	}
	return bits;
}
