/*
 * sops.c: the SOP registry: the five seed SOPs compiled into the binary,
 * then the *.yaml files of the configured directory, which add SOPs or
 * replace a built-in one with the same id. A Diskominfo adds its own SOP
 * by dropping a file there; no code changes.
 *
 * A branch may hand over to a procedure of another SOP (start:): once
 * all are loaded, every such target is checked against the registry, so
 * a server never starts with a hand-over to nowhere.
 *
 * Cases keep the hash of the SOP text they started on (sop_versions), so
 * a revised file never changes the flow of a running case: sops_version
 * finds the old text in the database and loads it once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/embed.h"
#include "base/fsutil.h"
#include "base/hash.h"
#include "base/ydoc.h"

extern const embed_file sigap_builtin_sops[];

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (p == NULL)
		abort();
	return p;
}

static void entry_free(sop_entry *en)
{
	sop_free(en->sop);
	free(en->text);
	free(en->source);
}

/* Adds (or replaces by SOP id) a loaded SOP. */
static void put(sop_registry *r, sop *s, const char *text, size_t len, const char *source)
{
	sop_entry en = {s, NULL, xstrdup(source), ""};
	en.text = malloc(len + 1);
	if (en.text == NULL)
		abort();
	memcpy(en.text, text, len);
	en.text[len] = '\0';
	sha256_hex(text, len, en.sha256);
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].sop->id, s->id) == 0) {
			entry_free(&r->v[i]);
			r->v[i] = en;
			return;
		}
	sop_entry *v = realloc(r->v, (r->n + 1) * sizeof *v);
	if (v == NULL)
		abort();
	r->v = v;
	r->v[r->n++] = en;
}

static int load_text(sop_registry *r, const char *text, size_t len, const char *name,
		     const char *source, diags *d)
{
	sop *s = sop_load(text, len, name, d);
	if (s == NULL)
		return -1;
	put(r, s, text, len, source);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(sop_registry *r, const char *dir, diags *d)
{
	size_t n = 0;
	char **names = fs_list_dir(dir, ".yaml", &n);
	if (names == NULL) {
		diags_add(d, dir, 0, 0, "cannot open the SOP directory");
		return -1;
	}
	int errors = 0;
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		char why[300];
		size_t len = 0;
		char *text = fs_read_file(path, YDOC_MAX_BYTES, &len, why, sizeof why);
		if (text == NULL) {
			diags_add(d, path, 0, 0, "%s (an SOP is a regular file of at most %d bytes)", why,
				  YDOC_MAX_BYTES);
			errors++;
		} else if (load_text(r, text, len, path, path, d) != 0) {
			errors++;
		}
		free(text);
	}
	fs_names_free(names, n);
	return errors ? -1 : 0;
}

/* Two procedures must not share a ticket prefix: they would share a
 * ticket sequence. */
static int check_prefixes(const sop_registry *r, diags *d)
{
	int errors = 0;
	for (size_t i = 0; i < r->n; i++)
		for (size_t p = 0; p < r->v[i].sop->n_procs; p++) {
			const sop_procedure *a = &r->v[i].sop->procs[p];
			for (size_t j = i; j < r->n; j++)
				for (size_t q = (j == i ? p + 1 : 0); q < r->v[j].sop->n_procs; q++) {
					const sop_procedure *b = &r->v[j].sop->procs[q];
					if (strcmp(a->ticket_prefix, b->ticket_prefix) == 0) {
						diags_add(d, r->v[j].sop->file, b->line, b->col,
							  "ticket prefix '%s' of '%s' is already used by '%s'",
							  b->ticket_prefix, b->id, a->id);
						errors++;
					}
				}
		}
	return errors;
}

int sops_check_starts(const sop_registry *r, const sop *const *extra, size_t n_extra, diags *d)
{
	/* The extra ones first, so a target is looked up in them before the
	 * registered SOP of the same id they replace. */
	size_t n = r->n + n_extra;
	const sop **all = malloc((n ? n : 1) * sizeof *all);
	if (all == NULL)
		abort();
	for (size_t i = 0; i < n_extra; i++)
		all[i] = extra[i];
	for (size_t i = 0; i < r->n; i++)
		all[n_extra + i] = r->v[i].sop;
	int errors = 0;
	for (size_t i = 0; i < (n_extra ? n_extra : n); i++)
		errors += sop_check_starts(all[i], all, n, d);
	free(all);
	return errors;
}

int sops_load(sop_registry *r, const char *dir, diags *d)
{
	memset(r, 0, sizeof *r);
	int errors = 0;
	for (const embed_file *f = sigap_builtin_sops; f->name; f++) {
		char name[256];
		snprintf(name, sizeof name, "builtin:%s", f->name);
		if (load_text(r, f->data, f->len, name, name, d) != 0)
			errors++;
	}
	if (dir && load_dir(r, dir, d) != 0)
		errors++;
	errors += check_prefixes(r, d);
	errors += sops_check_starts(r, NULL, 0, d);
	return errors ? -1 : 0;
}

int sops_copy(sop_registry *dst, const sop_registry *src, diags *d)
{
	memset(dst, 0, sizeof *dst);
	int errors = 0;
	for (size_t i = 0; i < src->n; i++)
		if (load_text(dst, src->v[i].text, strlen(src->v[i].text), src->v[i].source,
		              src->v[i].source, d) != 0)
			errors++;
	return errors ? -1 : 0;
}

void sops_free(sop_registry *r)
{
	for (size_t i = 0; i < r->n; i++)
		entry_free(&r->v[i]);
	for (size_t i = 0; i < r->n_versions; i++) {
		entry_free(r->versions[i]);
		free(r->versions[i]);
	}
	free(r->v);
	free(r->versions);
	memset(r, 0, sizeof *r);
}

const sop_entry *sops_find(const sop_registry *r, const char *sop_id)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].sop->id, sop_id) == 0)
			return &r->v[i];
	return NULL;
}

const sop_entry *sops_find_procedure(const sop_registry *r, const char *proc_id,
				     const sop_procedure **proc)
{
	for (size_t i = 0; i < r->n; i++) {
		const sop_procedure *p = sop_find_procedure(r->v[i].sop, proc_id);
		if (p) {
			*proc = p;
			return &r->v[i];
		}
	}
	return NULL;
}

const sop_entry *sops_version(app *a, const char *sha, sg_err *e)
{
	sop_registry *r = &a->sops;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].sha256, sha) == 0)
			return &r->v[i];
	for (size_t i = 0; i < r->n_versions; i++)
		if (strcmp(r->versions[i]->sha256, sha) == 0)
			return r->versions[i];
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT body, source FROM sop_versions WHERE sha256 = ?",
			    "s", sha) != 0)
		return NULL;
	int rc = db_step(st, e);
	if (rc != DB_ROW) {
		db_finalize(st);
		if (rc == DB_DONE)
			sg_err_set(e, SG_ENOTFOUND, "SOP version %.12s is not in the database", sha);
		return NULL;
	}
	const char *body = db_col_text(st, 0);
	char name[128];
	snprintf(name, sizeof name, "sop-version:%.12s", sha);
	diags d = DIAGS_INIT;
	sop *s = sop_load(body, strlen(body), name, &d);
	if (s == NULL) {
		char first[1200];
		diags_first(&d, first, sizeof first);
		sg_err_set(e, SG_EINTEGRITY, "stored SOP version no longer loads: %s", first);
		diags_free(&d);
		db_finalize(st);
		return NULL;
	}
	diags_free(&d);
	sop_entry *en = malloc(sizeof *en);
	sop_entry **v = realloc(r->versions, (r->n_versions + 1) * sizeof *v);
	if (en == NULL || v == NULL)
		abort();
	*en = (sop_entry){s, xstrdup(body), xstrdup(db_col_text(st, 1)), ""};
	snprintf(en->sha256, sizeof en->sha256, "%s", sha);
	db_finalize(st);
	r->versions = v;
	r->versions[r->n_versions++] = en;
	return en;
}

/* The roles sigap itself gives meaning to, besides the SOPs' pelaksana:
 * admin keeps accounts (and OPDs); agen_siber is the cyber agent of an
 * OPD, who sees its OPD's register (assets.c). Neither acts on a step
 * unless an SOP names it. */
bool role_is_system(const char *role)
{
	return strcmp(role, "admin") == 0 || strcmp(role, "agen_siber") == 0;
}

bool sops_role_known(const sop_registry *r, const char *role)
{
	if (role_is_system(role))
		return true;
	for (size_t i = 0; i < r->n; i++)
		if (sop_find_role(r->v[i].sop, role))
			return true;
	return false;
}

json_t *sops_roles(const sop_registry *r)
{
	json_t *seen = json_object(); /* id -> nama of the first SOP naming it */
	json_object_set_new(seen, "admin", json_string("Administrator sigap"));
	json_object_set_new(seen, "agen_siber", json_string("Agen Siber Perangkat Daerah"));
	for (size_t i = 0; i < r->n; i++)
		for (size_t k = 0; k < r->v[i].sop->n_roles; k++) {
			const sop_role *ro = &r->v[i].sop->roles[k];
			if (!json_object_get(seen, ro->id))
				json_object_set_new(seen, ro->id, json_string(ro->nama));
		}
	/* jansson keeps insertion order; sort the keys for a stable list. */
	size_t n = json_object_size(seen), k = 0;
	const char **keys = malloc(n * sizeof *keys);
	if (keys == NULL)
		abort();
	const char *key;
	json_t *val;
	json_object_foreach(seen, key, val) keys[k++] = key;
	qsort(keys, n, sizeof *keys, cmp_str);
	json_t *out = json_array();
	for (k = 0; k < n; k++)
		json_array_append_new(out, json_pack("{s:s, s:O}", "id", keys[k], "nama",
						     json_object_get(seen, keys[k])));
	free(keys);
	json_decref(seen);
	return out;
}
