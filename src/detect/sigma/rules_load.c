/*
 * rules_load.c: a rule set as a program runs it.
 *
 * The mapping file and the placeholders file first (both change how a
 * rule reads, so they come before any rule), then the shipped rules and
 * the named files and directories, then the pattern databases, compiled
 * or read back from the cache. `sigap serve` (ingest/reload.c) and the
 * command line (cli/rules.c: sigap detect, rules list, rules reload) load
 * through these two functions; what they do with a rule that does not
 * load, and how they say so, stays with them.
 */
#include <stdlib.h>

#include "base/fsutil.h"
#include "rules.h"

/* The largest mapping or placeholders file read. */
#define SIDE_FILE_MAX (1 << 20)

/* Reads file and hands it to set; -1 with the problems in d. */
static int side_file(det_rules *rs, const char *file,
                     int (*set)(det_rules *, const char *, size_t, const char *, diags *), diags *d)
{
	size_t len;
	char why[200];
	char *text = fs_read_file(file, SIDE_FILE_MAX, &len, why, sizeof why);
	if (text == NULL) {
		diags_add(d, file, 0, 0, "%s", why);
		return -1;
	}
	int rc = set(rs, text, len, file, d);
	free(text);
	return rc;
}

det_rules *det_rules_open(const char *mapping, const char *placeholders, diags *d)
{
	det_rules *rs = det_rules_new();
	if ((mapping && side_file(rs, mapping, det_rules_set_mapping, d) != 0) ||
	    (placeholders && side_file(rs, placeholders, det_rules_set_placeholders, d) != 0)) {
		det_rules_free(rs);
		return NULL;
	}
	return rs;
}

det_rules *det_rules_load(const det_rules_source *src, diags *d, char *why, size_t why_n)
{
	size_t at = d->n;
	det_rules *rs = det_rules_open(src->mapping, src->placeholders, d);
	if (rs == NULL)
		goto refused;
	if (src->builtin)
		det_rules_add_builtin(rs, d);
	for (int i = 0; i < src->n_paths; i++) {
		at = d->n;
		if (det_rules_add_path(rs, src->paths[i], d) < 0)
			goto refused;
	}
	det_rules_set_cache(rs, src->cache);
	at = d->n;
	if (det_rules_compile(rs, d) != 0)
		goto refused;
	return rs;
refused:
	diags_at(d, at, why, why_n);
	det_rules_free(rs);
	return NULL;
}
