/*
 * templates.c: the document templates registry: the templates compiled
 * into the binary (templates/NAME.tmpl), then the *.tmpl files of [dokumen]
 * templates, which add templates or replace a shipped one with the same
 * id, so a Diskominfo rewords a letter without code. Once SOPs and
 * templates are loaded, every step's dokumen: is checked against them
 * (templates_check_sops), so a server never starts with a document it
 * cannot write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/embed.h"
#include "base/fsutil.h"
#include "report/tmpl.h"

extern const embed_file sigap_builtin_templates[];

/* Adds t, or replaces the template of the same id. */
static void put(tmpl_registry *r, tmpl *t)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(tmpl_id(r->v[i]), tmpl_id(t)) == 0) {
			tmpl_free(r->v[i]);
			r->v[i] = t;
			return;
		}
	tmpl **v = realloc(r->v, (r->n + 1) * sizeof *v);
	if (v == NULL)
		abort();
	r->v = v;
	r->v[r->n++] = t;
}

enum { TEMPLATE_MAX = 256 * 1024 };

/* A template of the directory: its id must not be another file's of the
 * same directory (which one would win is no officer's guess); replacing a
 * shipped one is what the directory is for. */
static int load_file(tmpl_registry *r, const char *path, diags *d)
{
	char why[300];
	size_t len = 0;
	char *text = fs_read_file(path, TEMPLATE_MAX, &len, why, sizeof why);
	if (text == NULL) {
		diags_add(d, path, 0, 0, "%s (a template is a regular NAME.tmpl file of at most %d bytes)",
			  why, TEMPLATE_MAX);
		return -1;
	}
	tmpl *t = tmpl_load(text, len, path, d);
	free(text);
	if (t == NULL)
		return -1;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(tmpl_id(r->v[i]), tmpl_id(t)) == 0 &&
		    strncmp(tmpl_file(r->v[i]), "builtin:", 8) != 0) {
			diags_add(d, path, 1, 1, "template id '%s' is already that of %s", tmpl_id(t),
				  tmpl_file(r->v[i]));
			tmpl_free(t);
			return -1;
		}
	put(r, t);
	return 0;
}

int templates_load(tmpl_registry *r, const char *dir, diags *d)
{
	memset(r, 0, sizeof *r);
	int errors = 0;
	for (const embed_file *f = sigap_builtin_templates; f->name; f++) {
		char name[256];
		snprintf(name, sizeof name, "builtin:%s", f->name);
		tmpl *t = tmpl_load(f->data, f->len, name, d);
		if (t)
			put(r, t);
		else
			errors++;
	}
	if (dir) {
		size_t n = 0;
		char **names = fs_list_dir(dir, ".tmpl", &n);
		if (names == NULL) {
			diags_add(d, dir, 0, 0, "cannot open the template directory ([dokumen] templates)");
			errors++;
		}
		for (size_t i = 0; names && i < n; i++) {
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", dir, names[i]);
			if (load_file(r, path, d) != 0)
				errors++;
		}
		fs_names_free(names, n);
	}
	return errors ? -1 : 0;
}

void templates_free(tmpl_registry *r)
{
	for (size_t i = 0; i < r->n; i++)
		tmpl_free(r->v[i]);
	free(r->v);
	memset(r, 0, sizeof *r);
}

const tmpl *templates_find(const tmpl_registry *r, const char *id)
{
	for (size_t i = 0; id && i < r->n; i++)
		if (strcmp(tmpl_id(r->v[i]), id) == 0)
			return r->v[i];
	return NULL;
}

static bool known(const char *id, void *ctx)
{
	return templates_find(ctx, id) != NULL;
}

int templates_check_sops(const tmpl_registry *t, const sop_registry *s, diags *d)
{
	int problems = 0;
	for (size_t i = 0; i < s->n; i++)
		problems += sop_check_docs(s->v[i].sop, known, (void *)t, d);
	return problems;
}
