/*
 * sigma_expand.c: placeholders, the values of |expand.
 *
 * A Sigma value with the expand modifier names placeholders between
 * percent signs ('%Admins_Workstations%'): lists a site keeps of its own
 * (domain controllers, administrators' workstations) that the rule author
 * cannot know. As pySigma's value-list placeholder transformation and
 * sigma-cli do, sigap fills them from a YAML file that maps each name to
 * a list of values:
 *
 *   Admins_Workstations: [ADM-PC01, ADM-PC02]
 *   known_cdcs: ['dc01.kab.go.id', '10.1.1.5']
 *
 * A value becomes one value per combination of its placeholders' values
 * (their OR), each then read as any Sigma string is (wildcards stay
 * wildcards). A placeholder the file does not give, or gives no value,
 * refuses the rule with its place and reason; the other rules still load.
 * Cost: the product of the lists' lengths per value, bounded by
 * EXPAND_MAX so a value cannot grow without end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ydoc.h"
#include "detect/sigma/rules_int.h"

/* Values one Sigma value may expand to: far above a site's list of
 * hosts or accounts, far below what would exhaust memory. */
enum { EXPAND_MAX = 100000 };

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

static const placeholder *find(const det_rules *rs, const char *name, size_t n)
{
	for (int i = 0; i < rs->n_placeholders; i++)
		if (strncmp(rs->placeholders[i].name, name, n) == 0 &&
		    rs->placeholders[i].name[n] == '\0')
			return &rs->placeholders[i];
	return NULL;
}

int det_rules_set_placeholders(det_rules *rs, const char *data, size_t n, const char *file,
                               diags *d)
{
	if (rs->n_rules > 0 || rs->n_corrs > 0) {
		diags_add(d, file, 0, 0, "placeholders must be set before rules are added");
		return -1;
	}
	ydoc y;
	ydoc_open(&y, data, n, file);
	int rc = -1, got = ydoc_next(&y, d);
	yaml_node_t *root = got == 1 ? ydoc_root(&y) : NULL;
	if (got == 0 || (got == 1 && root == NULL)) {
		rs->n_placeholders = 0; /* an empty file gives no placeholder */
		rc = 0;
	} else if (root && root->type != YAML_MAPPING_NODE) {
		diags_add(d, file, ydoc_line(root), ydoc_col(root),
		          "placeholders are a map of names to lists of values");
	} else if (root) {
		size_t count =
		    (size_t)(root->data.mapping.pairs.top - root->data.mapping.pairs.start);
		placeholder *ps = arena_calloc(&rs->a, count + 1, sizeof *ps);
		int np = 0;
		rc = 0;
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		     p < root->data.mapping.pairs.top && rc == 0; p++) {
			yaml_node_t *kn = ydoc_get(&y, p->key), *vn = ydoc_get(&y, p->value);
			const char *k = ydoc_scalar(kn);
			size_t kl = k ? strlen(k) : 0;
			/* "%name%" is accepted for "name", as the rule writes it. */
			if (kl > 2 && k[0] == '%' && k[kl - 1] == '%')
				k++, kl -= 2;
			bool ok = kl > 0;
			for (size_t i = 0; i < kl && ok; i++)
				ok = name_char(k[i]);
			if (!ok) {
				diags_add(d, file, ydoc_line(kn), ydoc_col(kn),
				          "a placeholder name is letters, digits, '_', '-' or '.'");
				rc = -1;
				break;
			}
			placeholder *ph = &ps[np++];
			ph->name = arena_strndup(&rs->a, k, kl);
			if (vn->type == YAML_SCALAR_NODE) {
				ph->values = arena_alloc(&rs->a, sizeof *ph->values);
				ph->values[0] = arena_strdup(&rs->a, ydoc_scalar(vn));
				ph->n_values = 1;
				continue;
			}
			if (vn->type != YAML_SEQUENCE_NODE) {
				diags_add(d, file, ydoc_line(vn), ydoc_col(vn),
				          "placeholder '%s' needs a list of values", ph->name);
				rc = -1;
				break;
			}
			size_t nv =
			    (size_t)(vn->data.sequence.items.top - vn->data.sequence.items.start);
			ph->values = arena_calloc(&rs->a, nv + 1, sizeof *ph->values);
			for (size_t i = 0; i < nv; i++) {
				yaml_node_t *it = ydoc_get(&y, vn->data.sequence.items.start[i]);
				const char *s = ydoc_scalar(it);
				if (s == NULL) {
					diags_add(d, file, ydoc_line(it), ydoc_col(it),
					          "placeholder '%s': a value is a string",
					          ph->name);
					rc = -1;
					break;
				}
				ph->values[ph->n_values++] = arena_strdup(&rs->a, s);
			}
		}
		if (rc == 0) {
			rs->placeholders = ps;
			rs->n_placeholders = np;
		}
	}
	ydoc_close(&y);
	return rc;
}

int expand_value(det_rules *rs, const char *v, char ***out, char *err, size_t errn)
{
	char **cur = malloc(sizeof *cur);
	if (cur == NULL)
		abort();
	size_t n = 1;
	cur[0] = arena_strdup(&rs->a, "");
	const char *p = v;
	while (*p) {
		/* The literal text up to the next "%name%". */
		const char *open = strchr(p, '%'), *close = NULL;
		while (open) {
			close = open + 1;
			while (name_char(*close))
				close++;
			if (*close == '%' && close > open + 1)
				break;
			open = strchr(open + 1, '%');
		}
		size_t lit = open ? (size_t)(open - p) : strlen(p);
		for (size_t i = 0; lit && i < n; i++) {
			size_t have = strlen(cur[i]);
			char *s = arena_alloc(&rs->a, have + lit + 1);
			memcpy(s, cur[i], have);
			memcpy(s + have, p, lit);
			s[have + lit] = '\0';
			cur[i] = s;
		}
		if (open == NULL)
			break;
		const placeholder *ph = find(rs, open + 1, (size_t)(close - open - 1));
		if (ph == NULL || ph->n_values == 0) {
			snprintf(err, errn,
			         "placeholder %%%.*s%% has %s (give its values in the placeholders "
			         "file: "
			         "[detect] placeholders, or --placeholders)",
			         (int)(close - open - 1), open + 1,
			         ph ? "an empty list" : "no value");
			free(cur);
			return -1;
		}
		if (n * (size_t)ph->n_values > EXPAND_MAX) {
			snprintf(err, errn, "placeholders expand this value to more than %d values",
			         EXPAND_MAX);
			free(cur);
			return -1;
		}
		size_t nn = n * (size_t)ph->n_values;
		char **next = malloc(nn * sizeof *next);
		if (next == NULL)
			abort();
		for (size_t i = 0; i < n; i++)
			for (int j = 0; j < ph->n_values; j++) {
				size_t have = strlen(cur[i]), add = strlen(ph->values[j]);
				char *s = arena_alloc(&rs->a, have + add + 1);
				memcpy(s, cur[i], have);
				memcpy(s + have, ph->values[j], add + 1);
				next[i * (size_t)ph->n_values + (size_t)j] = s;
			}
		free(cur);
		cur = next;
		n = nn;
		p = close + 1;
	}
	*out = cur;
	return (int)n;
}
