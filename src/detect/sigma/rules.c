/*
 * rules.c: the rule set: its arena, field slots, atoms, patterns and
 * rules, and loading rules from files and from the binary.
 *
 * Field slots: every field name a rule tests gets a slot number; the
 * event field names the mapping gives as its aliases ("CommandLine" ←
 * "ProcessCommandLine") are entered in the same hash table, linked to
 * that slot. One event name may answer to several Sigma names (the
 * webserver taxonomy's cs-user-agent and the proxy's c-useragent are one
 * header), so an entry holds its own slot and a chain of linked ones,
 * and the matcher sorts an event's fields into slots with one lookup each. Patterns are deduplicated by (slot, flags, expression):
 * the hundred rules that test Image|endswith '\powershell.exe' share one.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/embed.h"
#include "base/fsutil.h"
#include "base/hugemem.h"
#include "base/ydoc.h"
#include "detect/sigma/rules_cache.h"

extern const embed_file sigap_builtin_rules[];

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 16;
	p = realloc(p, *cap * size);
	if (p == NULL)
		abort();
	return p;
}

static uint64_t hash_bytes(const char *s, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

#define FNV_BASIS 14695981039346656037ULL

/* The hash of a field name or value: eight bytes a step, since the matcher hashes
 * every field name of every event a rule may test (a Sysmon event has
 * forty, some thirty bytes long); the last step reads the name's last
 * eight bytes (overlapping the one before), and a name shorter than
 * eight is read in two overlapping halves, so there is no loop of
 * single bytes. */
uint64_t rules_hash(const char *s, size_t n)
{
	uint64_t h = (uint64_t)n * 0x9E3779B97F4A7C15ULL, w;
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8) {
			memcpy(&w, s + i, 8);
			h = (h ^ w) * 0xff51afd7ed558ccdULL;
			h ^= h >> 32;
		}
		memcpy(&w, s + n - 8, 8);
	} else if (n >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		w = (uint64_t)hi << 32 | lo;
	} else {
		w = n ? (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
		            (uint64_t)(unsigned char)s[n - 1] << 16
		      : 0;
	}
	h = (h ^ w) * 0xff51afd7ed558ccdULL;
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 32);
}

static slot_name *find(const det_rules *rs, const char *name, size_t n)
{
	if (rs->cap_names == 0 || !rules_name_maybe(rs, name, n))
		return NULL;
	size_t mask = rs->cap_names - 1;
	uint64_t h = rules_hash(name, n);
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		slot_name *e = &rs->names[i];
		if (e->name == NULL)
			return NULL;
		if (e->hash == (uint32_t)h && e->len == n && memcmp(e->name, name, n) == 0)
			return e;
	}
}

const slot_name *rules_field_slots(const det_rules *rs, const char *name, size_t n)
{
	return find(rs, name, n);
}

/* The entry of name, added (with no slot yet) when absent. */
static slot_name *entry(det_rules *rs, const char *name)
{
	slot_name *e = find(rs, name, strlen(name));
	if (e)
		return e;
	if ((rs->n_names + 1) * 10 > rs->cap_names * 7) {
		size_t old_cap = rs->cap_names;
		slot_name *old = rs->names;
		rs->cap_names = old_cap ? old_cap * 2 : 64;
		rs->names = calloc(rs->cap_names, sizeof *rs->names);
		if (rs->names == NULL)
			abort();
		for (size_t i = 0; i < old_cap; i++) {
			if (old[i].name == NULL)
				continue;
			size_t j = rules_hash(old[i].name, old[i].len) & (rs->cap_names - 1);
			while (rs->names[j].name)
				j = (j + 1) & (rs->cap_names - 1);
			rs->names[j] = old[i];
		}
		free(old);
	}
	size_t mask = rs->cap_names - 1, len = strlen(name);
	uint64_t h = rules_hash(name, len);
	size_t i = h & mask;
	while (rs->names[i].name)
		i = (i + 1) & mask;
	rs->names[i] = (slot_name){arena_strdup(&rs->a, name), (uint32_t)h, (uint32_t)len, -1, -1};
	unsigned bit = rules_name_bit(name, len);
	rs->name_filter[bit / 64] |= 1ULL << (bit % 64);
	rs->n_names++;
	return &rs->names[i];
}

/* The value of event field name also goes to slot. O(Sigma names the
 * mapping gives that event name), a handful. */
static void link_slot(det_rules *rs, const char *name, int slot)
{
	slot_name *e = entry(rs, name);
	if (e->own == slot)
		return;
	for (int l = e->link; l >= 0; l = rs->links[l].next)
		if (rs->links[l].slot == slot)
			return;
	rs->links = grow(rs->links, &rs->cap_links, rs->n_links, sizeof *rs->links);
	rs->links[rs->n_links] = (slot_link){slot, e->link};
	e->link = (int)rs->n_links++;
}

int rules_slot(det_rules *rs, const char *sigma_name)
{
	slot_name *e = entry(rs, sigma_name);
	if (e->own >= 0)
		return e->own;
	size_t cap = (size_t)rs->cap_slots;
	rs->slot_label = grow(rs->slot_label, &cap, (size_t)rs->n_slots, sizeof *rs->slot_label);
	rs->cap_slots = (int)cap;
	int s = rs->n_slots++;
	rs->slot_label[s] = e->name;
	e->own = s;
	for (int i = 0; i < rs->n_alias; i++)
		if (strcmp(rs->alias_from[i], sigma_name) == 0)
			link_slot(rs, rs->alias_to[i], s);
	return s;
}

int rules_atom(det_rules *rs, const atom *a)
{
	rs->atoms = grow(rs->atoms, &rs->cap_atoms, rs->n_atoms, sizeof *rs->atoms);
	rs->atoms[rs->n_atoms] = *a;
	return (int)rs->n_atoms++;
}

static uint64_t pattern_hash(int slot, unsigned flags, const char *expr)
{
	uint64_t h = hash_bytes((const char *)&slot, sizeof slot, FNV_BASIS);
	h = hash_bytes((const char *)&flags, sizeof flags, h);
	return hash_bytes(expr, strlen(expr), h);
}

int rules_pattern(det_rules *rs, int slot, const char *expr, unsigned flags)
{
	if ((rs->n_patterns + 1) * 2 > rs->cap_pattern_index) {
		free(rs->pattern_index);
		rs->cap_pattern_index = rs->cap_pattern_index ? rs->cap_pattern_index * 2 : 256;
		rs->pattern_index = malloc(rs->cap_pattern_index * sizeof(int));
		if (rs->pattern_index == NULL)
			abort();
		memset(rs->pattern_index, 0xff, rs->cap_pattern_index * sizeof(int));
		for (size_t i = 0; i < rs->n_patterns; i++) {
			const pattern *p = &rs->patterns[i];
			size_t j =
			    pattern_hash(p->slot, p->flags, p->expr) & (rs->cap_pattern_index - 1);
			while (rs->pattern_index[j] >= 0)
				j = (j + 1) & (rs->cap_pattern_index - 1);
			rs->pattern_index[j] = (int)i;
		}
	}
	size_t mask = rs->cap_pattern_index - 1, j = pattern_hash(slot, flags, expr) & mask;
	for (; rs->pattern_index[j] >= 0; j = (j + 1) & mask) {
		/* Entries past n_patterns were dropped with a refused rule. */
		int i = rs->pattern_index[j];
		if ((size_t)i >= rs->n_patterns)
			continue;
		const pattern *p = &rs->patterns[i];
		if (p->slot == slot && p->flags == flags && strcmp(p->expr, expr) == 0)
			return i;
	}
	rs->patterns = grow(rs->patterns, &rs->cap_patterns, rs->n_patterns, sizeof *rs->patterns);
	rs->patterns[rs->n_patterns] =
	    (pattern){.expr = arena_strdup(&rs->a, expr), .flags = flags, .slot = slot};
	rs->pattern_index[j] = (int)rs->n_patterns;
	return (int)rs->n_patterns++;
}

int rules_add_rule(det_rules *rs, rule *r)
{
	rs->rules = grow(rs->rules, &rs->cap_rules, rs->n_rules, sizeof *rs->rules);
	r->logsources = mapping_rule_logsources(rs, &r->pub);
	if (ls_empty(&r->logsources))
		rs->unmapped++;
	rs->rules[rs->n_rules] = r;
	return (int)rs->n_rules++;
}

int rules_add_corr(det_rules *rs, corr *c)
{
	rs->corrs = grow(rs->corrs, &rs->cap_corrs, rs->n_corrs, sizeof *rs->corrs);
	rs->corrs[rs->n_corrs] = c;
	return (int)rs->n_corrs++;
}

extern const embed_file sigap_builtin_mapping[];

/* Hyperscan's databases, compiled or read back from the cache, in huge
 * pages from 2 MiB (hugemem.h): SigmaHQ's CommandLine database is 2.3
 * MiB, and a Sysmon event's scan of it reads all over it. Rounded up to
 * whole huge pages, so the database's tail is covered too (at most 2 MiB
 * more for the one database so large). */
static void *database_alloc(size_t n)
{
	return hugemem_alloc(n, 1);
}

static void use_huge_pages(void)
{
	hs_set_database_allocator(database_alloc, free);
}

det_rules *det_rules_new(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, use_huge_pages);
	det_rules *rs = calloc(1, sizeof *rs);
	if (rs == NULL)
		abort();
	arena_init(&rs->a);
	rules_slot(rs, "(keywords)"); /* slot 0 */
	diags d = DIAGS_INIT;
	const embed_file *f = sigap_builtin_mapping;
	if (mapping_load(rs, f->data, f->len, f->name, &d) != 0) {
		diags_print(&d, stderr); /* the shipped mapping is tested; this is a build error */
		abort();
	}
	diags_free(&d);
	return rs;
}

int det_rules_set_mapping(det_rules *rs, const char *data, size_t n, const char *file, diags *d)
{
	if (rs->n_rules > 0) {
		diags_add(d, file, 0, 0, "the mapping must be set before rules are added");
		return -1;
	}
	rs->n_alias = 0;
	rs->n_logsources = 0;
	free(rs->names);
	rs->names = NULL;
	rs->n_names = rs->cap_names = 0;
	memset(rs->name_filter, 0, sizeof rs->name_filter);
	rs->n_links = 0;
	rs->n_slots = 0;
	rules_slot(rs, "(keywords)");
	return mapping_load(rs, data, n, file, d);
}

void rules_free_counts(det_rules *rs)
{
	for (int s = 0; rs->counted && s < rs->n_slots; s++)
		if (rs->counted[s]) {
			free(rs->counted[s]->tests);
			free(rs->counted[s]);
		}
	free(rs->counted);
	rs->counted = NULL;
}

void det_rules_free(det_rules *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->n_patterns; i++) {
		free(rs->patterns[i].rules);
		free(rs->patterns[i].wake);
		if (rs->patterns[i].re)
			pcre2_code_free(rs->patterns[i].re);
	}
	for (int i = 0; i < rs->n_dbs; i++)
		hs_free_database(rs->dbs[i].db);
	free(rs->dbs);
	free(rs->slot_dbs);
	rules_free_counts(rs);
	lit_sets_free(rs);
	anchors_free(&rs->anchors);
	for (size_t i = 0; i < rs->cap_keys; i++)
		free(rs->keys[i].entries);
	free(rs->keys);
	free(rs->key_slots);
	free(rs->always);
	free(rs->patterns);
	free(rs->pattern_index);
	free(rs->atoms);
	for (size_t i = 0; i < rs->n_rules; i++) {
		free(rs->rules[i]->feeds);
		free(rs->rules[i]->feeds_member);
	}
	for (size_t i = 0; i < rs->n_corrs; i++)
		free(rs->corrs[i]->members);
	free(rs->corrs);
	free(rs->rules);
	free(rs->names);
	free(rs->links);
	free(rs->slot_label);
	free(rs->alias_from);
	free(rs->alias_to);
	rules_cache_free(rs->cache);
	arena_free(&rs->a);
	free(rs);
}

size_t det_rules_count(const det_rules *rs)
{
	return rs->n_rules;
}

const det_rule *det_rules_get(const det_rules *rs, size_t i)
{
	return i < rs->n_rules ? &rs->rules[i]->pub : NULL;
}

size_t det_rules_unmapped(const det_rules *rs)
{
	return rs->unmapped;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool yaml_name(const char *n)
{
	size_t l = strlen(n);
	return (l > 4 && strcmp(n + l - 4, ".yml") == 0) ||
	       (l > 5 && strcmp(n + l - 5, ".yaml") == 0);
}

static int add_file(det_rules *rs, const char *path, diags *d)
{
	size_t n;
	char why[160];
	char *text = fs_read_file(path, YDOC_MAX_BYTES, &n, why, sizeof why);
	if (text == NULL) {
		diags_add(d, path, 0, 0, "%s", why);
		return 0;
	}
	int added = det_rules_add(rs, text, n, path, d);
	free(text);
	return added;
}

static int add_dir(det_rules *rs, const char *dir, diags *d, int depth)
{
	DIR *dh = opendir(dir);
	if (dh == NULL) {
		diags_add(d, dir, 0, 0, "cannot open the directory");
		return 0;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(dh)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = grow(names, &cap, n, sizeof *names);
		names[n++] = strdup(de->d_name);
	}
	closedir(dh);
	if (n > 0) /* an empty directory has no list to sort (qsort wants one) */
		qsort(names, n, sizeof *names, cmp_str);
	int added = 0;
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			/* rules/monitor/ holds the website monitor's content rules,
			 * beside the Sigma rules as mapping.yaml is: not Sigma */
			bool monitor = depth == 0 && strcmp(names[i], "monitor") == 0;
			if (depth < 16 && !monitor)
				added += add_dir(rs, path, d, depth + 1);
		} else if (yaml_name(names[i]) && strcmp(names[i], "mapping.yaml") != 0) {
			added += add_file(rs, path, d);
		}
		free(names[i]);
	}
	free(names);
	return added;
}

int det_rules_add_path(det_rules *rs, const char *path, diags *d)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		diags_add(d, path, 0, 0, "no such file or directory");
		return -1;
	}
	return S_ISDIR(st.st_mode) ? add_dir(rs, path, d, 0) : add_file(rs, path, d);
}

int det_rules_add_builtin(det_rules *rs, diags *d)
{
	int added = 0;
	for (const embed_file *f = sigap_builtin_rules; f->name; f++) {
		char name[256];
		snprintf(name, sizeof name, "rules/%s", f->name);
		added += det_rules_add(rs, f->data, f->len, name, d);
	}
	return added;
}
