/*
 * rules.c: loading the website monitor's content rules and reading texts
 * against them (rules.h).
 *
 * A rule file is one YAML mapping:
 *
 *   id: judi-online
 *   judul: Promosi judi online
 *   jenis: judi            # judi | deface | konten
 *   tingkat: critical      # informational | low | medium | high | critical
 *   ambang: 3              # points from which a page is a finding
 *   lemah_maks: 3          # the most the weak words add up to (none: no bound)
 *   kuat: [slot gacor, maxwin]     # 3 points each
 *   lemah: [rtp, scatter]          # 1 point each
 *   pola: ['slot\s*(88|777)']      # Hyperscan patterns, 3 points each
 *
 * Words match whole (a word character may not touch either end), any
 * case, a space in a word standing for any run of white space. Each sign
 * counts once however often it appears. Every sign of every rule goes
 * into one Hyperscan database (ids are sign numbers); the strong words
 * also go, without their spaces and not held to word ends, into a second
 * database for host names.
 */
#include <ctype.h>
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/embed.h"
#include "base/fsutil.h"
#include "base/ydoc.h"
#include "rules.h"

extern const embed_file sigap_builtin_monitor_rules[];

enum { KUAT = 3, LEMAH = 1, RULE_FILE_MAX = 1 << 20, SIGNS_MAX = 20000 };

typedef struct sign {
	int rule;
	int points;
	char *text; /* as the file writes it */
	bool no_som; /* a pattern Hyperscan cannot place the start of (a long
	              * bounded repeat): shown as written, not by its match */
} sign;

struct mon_rules {
	mon_rule *rules;
	size_t n, cap;
	sign *signs;
	size_t n_signs, cap_signs;
	hs_database_t *db;      /* every sign */
	hs_database_t *host_db; /* strong words without spaces */
	unsigned *host_sign;    /* host_db id -> sign */
	size_t n_host;
};

struct mon_scan {
	const mon_rules *r;
	hs_scratch_t *scratch, *host_scratch;
	unsigned char *seen; /* per sign */
	char (*found)[48];   /* per pattern sign: the text it first matched */
	const char *text;    /* the text being scanned */
};

static const char *const kind_names[] = {"judi", "deface", "konten"};
static const char *const levels[] = {"informational", "low", "medium", "high", "critical"};

/* A word as a Hyperscan expression: metacharacters escaped, a space any
 * run of white space, held to word ends where the word starts or ends
 * with a word character. */
static char *word_expr(const char *w)
{
	size_t n = strlen(w);
	char *out = malloc(n * 4 + 16);
	if (!out)
		abort();
	size_t o = 0;
	if (isalnum((unsigned char)w[0]))
		o += (size_t)sprintf(out + o, "\\b");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];
		if (c == ' ') {
			while (w[i + 1] == ' ')
				i++;
			o += (size_t)sprintf(out + o, "\\s+");
		} else if (isalnum(c) || c >= 0x80) {
			out[o++] = (char)c;
		} else {
			o += (size_t)sprintf(out + o, "\\x%02x", c);
		}
	}
	if (n && isalnum((unsigned char)w[n - 1]))
		o += (size_t)sprintf(out + o, "\\b");
	out[o] = '\0';
	return out;
}

/* A strong word for host names: its letters and digits only. */
static char *host_expr(const char *w)
{
	char *out = malloc(strlen(w) + 1);
	if (!out)
		abort();
	size_t o = 0;
	for (const char *p = w; *p; p++)
		if (isalnum((unsigned char)*p))
			out[o++] = (char)tolower((unsigned char)*p);
	out[o] = '\0';
	return out;
}

static int add_sign(mon_rules *r, int rule, int points, const char *text)
{
	if (r->n_signs == SIGNS_MAX)
		return -1;
	if (r->n_signs == r->cap_signs) {
		r->cap_signs = r->cap_signs ? r->cap_signs * 2 : 64;
		r->signs = realloc(r->signs, r->cap_signs * sizeof *r->signs);
		if (!r->signs)
			abort();
	}
	r->signs[r->n_signs++] = (sign){rule, points, strdup(text), false};
	return 0;
}

/* Checks one pattern alone, for an error at its place: with the start of
 * its match (to show it), else without (*no_som). */
static bool pattern_ok(const char *expr, bool *no_som, char *why, size_t n)
{
	hs_database_t *db = NULL;
	hs_compile_error_t *err = NULL;
	*no_som = false;
	if (hs_compile(expr, HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST, HS_MODE_BLOCK,
	               NULL, &db, &err) == HS_SUCCESS) {
		hs_free_database(db);
		return true;
	}
	hs_free_compile_error(err);
	if (hs_compile(expr, HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_SINGLEMATCH, HS_MODE_BLOCK,
	               NULL, &db, &err) == HS_SUCCESS) {
		hs_free_database(db);
		*no_som = true;
		return true;
	}
	snprintf(why, n, "%s", err->message);
	hs_free_compile_error(err);
	return false;
}

/* The words or patterns of key (a sequence of strings) as signs. */
static int read_signs(mon_rules *r, ydoc *y, yaml_node_t *map, const char *key, int points,
                      bool pattern, const char *file, diags *d)
{
	yaml_node_t *seq = ydoc_map_get(y, map, key);
	if (!seq)
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE) {
		diags_add(d, file, ydoc_line(seq), ydoc_col(seq), "%s: expected a list, found %s", key,
		          ydoc_kind_name(seq));
		return -1;
	}
	int rc = 0;
	for (yaml_node_item_t *it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *v = ydoc_get(y, *it);
		if (!v || !ydoc_visit(y))
			return -1;
		const char *s = ydoc_scalar(v);
		if (!s || !*s || strlen(s) > 200) {
			diags_add(d, file, ydoc_line(v), ydoc_col(v),
			          "%s: each entry is a text of 1 to 200 characters", key);
			rc = -1;
			continue;
		}
		char why[256];
		bool no_som = false;
		if (pattern && !pattern_ok(s, &no_som, why, sizeof why)) {
			diags_add(d, file, ydoc_line(v), ydoc_col(v), "pola '%s': %s", s, why);
			rc = -1;
			continue;
		}
		if (!pattern) {
			size_t word = 0;
			for (const char *p = s; *p; p++)
				word += isalnum((unsigned char)*p) != 0;
			if (word < 2) {
				diags_add(d, file, ydoc_line(v), ydoc_col(v),
				          "%s: '%s' needs at least two letters or digits", key, s);
				rc = -1;
				continue;
			}
		}
		if (add_sign(r, (int)r->n, pattern ? -points : points, s) != 0) {
			diags_add(d, file, ydoc_line(v), ydoc_col(v), "more than %d signs in all",
			          SIGNS_MAX);
			return -1;
		}
		r->signs[r->n_signs - 1].no_som = no_som;
	}
	return rc;
}

static int pick(const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static const char *known_keys[] = {"id", "judul", "jenis", "tingkat", "ambang",
                                   "lemah_maks", "kuat", "lemah", "pola"};

static int load_text(mon_rules *r, const char *data, size_t len, const char *file, diags *d)
{
	ydoc y;
	ydoc_open(&y, data, len, file);
	int rc = ydoc_next(&y, d);
	if (rc <= 0) {
		if (rc == 0)
			diags_add(d, file, 1, 1, "empty rule file");
		ydoc_close(&y);
		return -1;
	}
	yaml_node_t *root = ydoc_root(&y);
	if (!root || root->type != YAML_MAPPING_NODE) {
		diags_add(d, file, root ? ydoc_line(root) : 1, root ? ydoc_col(root) : 1,
		          "a rule is a mapping (id, judul, jenis, tingkat, kuat, lemah, pola)");
		ydoc_close(&y);
		return -1;
	}
	int bad = 0;
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
	     pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = ydoc_get(&y, pr->key);
		const char *ks = k ? ydoc_scalar(k) : NULL;
		if (pick(ks, known_keys, sizeof known_keys / sizeof known_keys[0]) < 0) {
			diags_add(d, file, k ? ydoc_line(k) : 0, k ? ydoc_col(k) : 0,
			          "unknown key '%s' (id, judul, jenis, tingkat, ambang, lemah_maks, kuat, "
			          "lemah, pola)",
			          ks ? ks : "?");
			bad = 1;
		}
	}
	mon_rule rule = {.threshold = 3, .weak_max = -1};
	yaml_node_t *v;
	const char *id = (v = ydoc_map_get(&y, root, "id")) ? ydoc_scalar(v) : NULL;
	if (!id || !*id || strlen(id) > 64 || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(id)) {
		diags_add(d, file, v ? ydoc_line(v) : ydoc_line(root), v ? ydoc_col(v) : ydoc_col(root),
		          "id: 1 to 64 of a-z, 0-9, '-' and '_'");
		bad = 1;
	}
	for (size_t i = 0; id && i < r->n; i++)
		if (strcmp(r->rules[i].id, id) == 0) {
			diags_add(d, file, ydoc_line(v), ydoc_col(v), "id '%s' is already the id of %s", id,
			          r->rules[i].file);
			bad = 1;
		}
	const char *title = (v = ydoc_map_get(&y, root, "judul")) ? ydoc_scalar(v) : NULL;
	if (!title || !*title || strlen(title) > 200) {
		diags_add(d, file, v ? ydoc_line(v) : ydoc_line(root), v ? ydoc_col(v) : ydoc_col(root),
		          "judul: the rule's title, 1 to 200 characters");
		bad = 1;
	}
	v = ydoc_map_get(&y, root, "jenis");
	int kind = pick(v ? ydoc_scalar(v) : NULL, kind_names, 3);
	if (kind < 0) {
		diags_add(d, file, v ? ydoc_line(v) : ydoc_line(root), v ? ydoc_col(v) : ydoc_col(root),
		          "jenis: judi, deface or konten");
		bad = 1;
	}
	v = ydoc_map_get(&y, root, "tingkat");
	int level = v ? pick(ydoc_scalar(v), levels, 5) : 3;
	if (level < 0) {
		diags_add(d, file, ydoc_line(v), ydoc_col(v),
		          "tingkat: informational, low, medium, high or critical");
		bad = 1;
	}
	if ((v = ydoc_map_get(&y, root, "ambang"))) {
		const char *s = ydoc_scalar(v);
		char *end = NULL;
		long t = s ? strtol(s, &end, 10) : 0;
		if (!s || !*s || *end || t < 1 || t > 1000) {
			diags_add(d, file, ydoc_line(v), ydoc_col(v), "ambang: a whole number from 1 to 1000");
			bad = 1;
		} else
			rule.threshold = (int)t;
	}
	if ((v = ydoc_map_get(&y, root, "lemah_maks"))) {
		const char *s = ydoc_scalar(v);
		char *end = NULL;
		long t = s ? strtol(s, &end, 10) : 0;
		if (!s || !*s || *end || t < 0 || t > 1000) {
			diags_add(d, file, ydoc_line(v), ydoc_col(v),
			          "lemah_maks: a whole number from 0 to 1000");
			bad = 1;
		} else
			rule.weak_max = (int)t;
	}
	size_t first_sign = r->n_signs;
	if (read_signs(r, &y, root, "kuat", KUAT, false, file, d) != 0 ||
	    read_signs(r, &y, root, "lemah", LEMAH, false, file, d) != 0 ||
	    read_signs(r, &y, root, "pola", KUAT, true, file, d) != 0)
		bad = 1;
	if (!bad && r->n_signs == first_sign) {
		diags_add(d, file, ydoc_line(root), ydoc_col(root),
		          "the rule has no sign: give kuat, lemah or pola");
		bad = 1;
	}
	if (bad) {
		while (r->n_signs > first_sign)
			free(r->signs[--r->n_signs].text);
		ydoc_close(&y);
		return -1;
	}
	rule.id = strdup(id);
	rule.title = strdup(title);
	rule.file = strdup(file);
	rule.kind = (mon_rule_kind)kind;
	snprintf(rule.level, sizeof rule.level, "%s", levels[level]);
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->rules = realloc(r->rules, r->cap * sizeof *r->rules);
		if (!r->rules)
			abort();
	}
	r->rules[r->n++] = rule;
	ydoc_close(&y);
	return 0;
}

static int load_path(mon_rules *r, const char *path, diags *d)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		diags_add(d, path, 0, 0, "cannot read: no such file or directory");
		return -1;
	}
	if (S_ISDIR(sb.st_mode)) {
		size_t n = 0;
		char **names = fs_list_dir(path, ".yaml", &n);
		size_t m = 0;
		char **more = fs_list_dir(path, ".yml", &m);
		int rc = names || more ? 0 : -1;
		if (rc)
			diags_add(d, path, 0, 0, "cannot read the directory");
		for (size_t pass = 0; pass < 2; pass++) {
			char **v = pass ? more : names;
			size_t k = pass ? m : n;
			for (size_t i = 0; i < k; i++) {
				char full[4096];
				snprintf(full, sizeof full, "%s/%s", path, v[i]);
				if (load_path(r, full, d) != 0)
					rc = -1;
			}
		}
		fs_names_free(names, n);
		fs_names_free(more, m);
		return rc;
	}
	char why[256];
	size_t len;
	char *data = fs_read_file(path, RULE_FILE_MAX, &len, why, sizeof why);
	if (!data) {
		diags_add(d, path, 0, 0, "cannot read: %s", why);
		return -1;
	}
	int rc = load_text(r, data, len, path, d);
	free(data);
	return rc;
}

static int compile(mon_rules *r, diags *d)
{
	size_t n = r->n_signs;
	if (n == 0)
		return 0;
	const char **exprs = calloc(n, sizeof *exprs);
	unsigned *flags = calloc(n, sizeof *flags), *ids = calloc(n, sizeof *ids);
	const char **hexprs = calloc(n, sizeof *hexprs);
	unsigned *hflags = calloc(n, sizeof *hflags);
	r->host_sign = calloc(n, sizeof *r->host_sign);
	if (!exprs || !flags || !ids || !hexprs || !hflags || !r->host_sign)
		abort();
	for (size_t i = 0; i < n; i++) {
		const sign *s = &r->signs[i];
		exprs[i] = s->points < 0 ? strdup(s->text) : word_expr(s->text);
		/* a pattern's match is shown as the text it matched: its start is needed */
		flags[i] = HS_FLAG_CASELESS | HS_FLAG_UTF8 |
		           (s->points < 0 && !s->no_som ? HS_FLAG_SOM_LEFTMOST : HS_FLAG_SINGLEMATCH);
		ids[i] = (unsigned)i;
		if (s->points == KUAT) {
			hexprs[r->n_host] = host_expr(s->text);
			hflags[r->n_host] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
			r->host_sign[r->n_host++] = (unsigned)i;
		}
	}
	int rc = 0;
	hs_compile_error_t *err = NULL;
	if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &r->db, &err) !=
	    HS_SUCCESS) {
		diags_add(d, "(monitor rules)", 0, 0, "cannot compile the signs: %s", err->message);
		hs_free_compile_error(err);
		rc = -1;
	}
	if (rc == 0 && r->n_host > 0) {
		unsigned *hids = calloc(r->n_host, sizeof *hids);
		if (!hids)
			abort();
		for (size_t i = 0; i < r->n_host; i++)
			hids[i] = (unsigned)i;
		if (hs_compile_multi(hexprs, hflags, hids, (unsigned)r->n_host, HS_MODE_BLOCK, NULL,
		                     &r->host_db, &err) != HS_SUCCESS) {
			diags_add(d, "(monitor rules)", 0, 0, "cannot compile the host signs: %s",
			          err->message);
			hs_free_compile_error(err);
			rc = -1;
		}
		free(hids);
	}
	for (size_t i = 0; i < n; i++)
		free((void *)exprs[i]);
	for (size_t i = 0; i < r->n_host; i++)
		free((void *)hexprs[i]);
	free(exprs);
	free(flags);
	free(ids);
	free(hexprs);
	free(hflags);
	return rc;
}

mon_rules *mon_rules_load(const char *const *paths, size_t n_paths, bool builtin, diags *d)
{
	mon_rules *r = calloc(1, sizeof *r);
	if (!r)
		abort();
	int rc = 0;
	for (const embed_file *f = sigap_builtin_monitor_rules; builtin && f->name; f++) {
		char name[128];
		snprintf(name, sizeof name, "rules/monitor/%s", f->name);
		if (load_text(r, f->data, f->len, name, d) != 0)
			rc = -1;
	}
	for (size_t i = 0; i < n_paths; i++)
		if (load_path(r, paths[i], d) != 0)
			rc = -1;
	if (rc == 0 && compile(r, d) != 0)
		rc = -1;
	if (rc != 0) {
		mon_rules_free(r);
		return NULL;
	}
	return r;
}

void mon_rules_free(mon_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->rules[i].id);
		free(r->rules[i].title);
		free(r->rules[i].file);
	}
	for (size_t i = 0; i < r->n_signs; i++)
		free(r->signs[i].text);
	free(r->rules);
	free(r->signs);
	free(r->host_sign);
	hs_free_database(r->db);
	hs_free_database(r->host_db);
	free(r);
}

size_t mon_rules_count(const mon_rules *r)
{
	return r ? r->n : 0;
}

const mon_rule *mon_rules_at(const mon_rules *r, size_t i)
{
	return &r->rules[i];
}

mon_scan *mon_scan_new(const mon_rules *r)
{
	mon_scan *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->r = r;
	s->seen = calloc(r->n_signs ? r->n_signs : 1, 1);
	s->found = calloc(r->n_signs ? r->n_signs : 1, sizeof *s->found);
	if (!s->seen || !s->found)
		abort();
	if ((r->db && hs_alloc_scratch(r->db, &s->scratch) != HS_SUCCESS) ||
	    (r->host_db && hs_alloc_scratch(r->host_db, &s->host_scratch) != HS_SUCCESS))
		abort(); /* out of memory */
	return s;
}

void mon_scan_free(mon_scan *s)
{
	if (!s)
		return;
	hs_free_scratch(s->scratch);
	hs_free_scratch(s->host_scratch);
	free(s->seen);
	free(s->found);
	free(s);
}

void mon_scan_reset(mon_scan *s)
{
	memset(s->seen, 0, s->r->n_signs ? s->r->n_signs : 1);
	memset(s->found, 0, (s->r->n_signs ? s->r->n_signs : 1) * sizeof *s->found);
}

static int on_sign(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                   void *ctx)
{
	(void)flags;
	mon_scan *s = ctx;
	if (s->seen[id])
		return 0;
	s->seen[id] = 1;
	if (s->r->signs[id].points < 0 && !s->r->signs[id].no_som && to > from) {
		/* what the pattern matched */
		size_t n = (size_t)(to - from);
		if (n >= sizeof s->found[id]) { /* cut on a character's start */
			n = sizeof s->found[id] - 1;
			while (n > 0 && ((unsigned char)s->text[from + n] & 0xC0) == 0x80)
				n--;
		}
		memcpy(s->found[id], s->text + from, n);
		s->found[id][n] = '\0';
		for (char *c = s->found[id]; *c; c++)
			if (*c == '\n')
				*c = ' ';
	}
	return 0;
}

static int on_host_sign(unsigned id, unsigned long long from, unsigned long long to,
                        unsigned flags, void *ctx)
{
	(void)from, (void)to, (void)flags;
	mon_scan *s = ctx;
	s->seen[s->r->host_sign[id]] = 1;
	return 0;
}

void mon_scan_text(mon_scan *s, const char *text, size_t len)
{
	if (!s->r->db || len == 0)
		return;
	/* Hyperscan's length is an unsigned int: a page is far below it */
	s->text = text;
	hs_scan(s->r->db, text, (unsigned)(len > 0x7fffffffu ? 0x7fffffffu : len), 0, s->scratch,
	        on_sign, s);
}

void mon_scan_host(mon_scan *s, const char *host)
{
	if (!s->r->host_db || !host || !*host)
		return;
	hs_scan(s->r->host_db, host, (unsigned)strlen(host), 0, s->host_scratch, on_host_sign, s);
}

size_t mon_scan_hits(const mon_scan *s, mon_rule_hit *out, size_t max)
{
	const mon_rules *r = s->r;
	size_t k = 0;
	for (size_t ri = 0; ri < r->n && k < max; ri++) {
		mon_rule_hit h = {.rule = &r->rules[ri]};
		size_t used = 0;
		int weak = 0;
		for (size_t i = 0; i < r->n_signs; i++) {
			if (r->signs[i].rule != (int)ri || !s->seen[i])
				continue;
			if (r->signs[i].points == LEMAH)
				weak += LEMAH;
			else
				h.score += abs(r->signs[i].points);
			/* a pattern is shown by what it matched (a host sign's match has none) */
			const char *shown = r->signs[i].points < 0 && s->found[i][0] ? s->found[i]
			                                                             : r->signs[i].text;
			if (strstr(h.signs, shown))
				continue;
			int w = snprintf(h.signs + used, sizeof h.signs - used, "%s%s", used ? "; " : "",
			                 shown);
			if (w > 0 && used + (size_t)w < sizeof h.signs)
				used += (size_t)w;
		}
		h.score += h.rule->weak_max >= 0 && weak > h.rule->weak_max ? h.rule->weak_max : weak;
		if (h.score >= h.rule->threshold)
			out[k++] = h;
	}
	return k;
}
