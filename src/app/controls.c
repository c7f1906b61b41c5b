/*
 * controls.c: the catalogue of controls (docs/controls.md): the security
 * controls of frameworks an exception or a policy clause can name. A
 * framework is a YAML data file, not code:
 *
 *   framework: indeks-kami-4        an id: lower case, digits, '-', '.'
 *   name: Indeks KAMI 4.0
 *   source: …                        where it comes from (optional)
 *   controls:
 *     - id: III                      unique in the framework
 *       title: Pengelolaan Risiko
 *       description: …               (optional)
 *
 * The frameworks compiled into the binary (controls/NAME.yaml: the areas of
 * Indeks KAMI 4.0 and the process of Peraturan BSSN No. 4 Tahun 2021, in
 * the project's own words) come first, then the *.yaml files of [kontrol]
 * dir, which add frameworks (a Diskominfo loads its own copy of ISO/IEC
 * 27001:2022 Annex A, which sigap may not ship) or replace a shipped one
 * of the same id. Every problem is reported as FILE:LINE:COL and the
 * catalogue is refused whole, so a server never starts on half of it.
 */
#include "controls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embed.h"
#include "base/fsutil.h"
#include "base/utf8.h"
#include "base/ydoc.h"

extern const embed_file sigap_builtin_controls[];

enum { ID_MAX = 40, NAME_MAX_ = 200, TEXT_MAX = 4000, CONTROLS_MAX = 2000 };

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (p == NULL)
		abort();
	return p;
}

static void framework_free(ctl_framework *f)
{
	free(f->id);
	free(f->name);
	free(f->source);
	free(f->file);
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].id);
		free(f->v[i].title);
		free(f->v[i].description);
	}
	free(f->v);
	memset(f, 0, sizeof *f);
}

static bool id_ok(const char *s, bool lower)
{
	size_t n = strlen(s);
	if (n == 0 || n > ID_MAX)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		      (!lower && ((*p >= 'A' && *p <= 'Z') || *p == '_'))))
			return false;
	return true;
}

/* A text of the file at n: a scalar, UTF-8, without control characters
 * but line ends, at most max bytes; NULL (reported) otherwise. */
static const char *text(ydoc *y, yaml_node_t *n, const char *what, size_t max, diags *d)
{
	const char *s = n ? ydoc_scalar(n) : NULL;
	if (s == NULL) {
		diags_add(d, y->file, n ? ydoc_line(n) : 1, n ? ydoc_col(n) : 1, "%s must be a text", what);
		return NULL;
	}
	if (strlen(s) > max || !utf8_valid(s, strlen(s))) {
		diags_add(d, y->file, ydoc_line(n), ydoc_col(n),
		          "%s must be UTF-8 text of at most %zu bytes", what, max);
		return NULL;
	}
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n') {
			diags_add(d, y->file, ydoc_line(n), ydoc_col(n), "%s holds a control character",
			          what);
			return NULL;
		}
	return s;
}

/* One framework from a file's text, into f; -1 when any problem. */
static int parse(const char *data, size_t len, const char *file, ctl_framework *f, diags *d)
{
	memset(f, 0, sizeof *f);
	size_t before = d->n;
	if (len > YDOC_MAX_BYTES) {
		diags_add(d, file, 0, 0, "file too large (a catalogue may have at most %d bytes)",
		          YDOC_MAX_BYTES);
		return -1;
	}
	ydoc y;
	ydoc_open(&y, data, len, file);
	int got = ydoc_next(&y, d);
	yaml_node_t *root = got == 1 ? ydoc_root(&y) : NULL;
	if (got == 0)
		diags_add(d, file, 1, 1, "the file is empty: it holds no framework");
	if (root && root->type != YAML_MAPPING_NODE) {
		diags_add(d, file, ydoc_line(root), ydoc_col(root),
		          "a catalogue is a mapping of framework, name, source and controls");
		root = NULL;
	}
	if (root) {
		static const char *const keys[] = {"framework", "name", "source", "controls", NULL};
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		     p < root->data.mapping.pairs.top; p++) {
			yaml_node_t *k = ydoc_get(&y, p->key);
			const char *ks = ydoc_scalar(k);
			size_t i = 0;
			while (keys[i] && (ks == NULL || strcmp(ks, keys[i]) != 0))
				i++;
			if (keys[i] == NULL)
				diags_add(d, file, ydoc_line(k), ydoc_col(k),
				          "unknown key '%s' (framework, name, source, controls)",
				          ks ? ks : "?");
		}
		yaml_node_t *fw = ydoc_map_get(&y, root, "framework");
		const char *id = fw ? text(&y, fw, "framework", ID_MAX, d) : NULL;
		if (fw == NULL)
			diags_add(d, file, ydoc_line(root), ydoc_col(root), "framework is missing");
		else if (id && !id_ok(id, true))
			diags_add(d, file, ydoc_line(fw), ydoc_col(fw),
			          "framework '%s' must be an id: lower-case letters, digits, '-' and '.'",
			          id);
		yaml_node_t *nm = ydoc_map_get(&y, root, "name");
		const char *name = nm ? text(&y, nm, "name", NAME_MAX_, d) : NULL;
		if (nm == NULL)
			diags_add(d, file, ydoc_line(root), ydoc_col(root), "name is missing");
		yaml_node_t *src = ydoc_map_get(&y, root, "source");
		const char *source = src ? text(&y, src, "source", NAME_MAX_, d) : NULL;
		f->id = xstrdup(id);
		f->name = xstrdup(name);
		f->source = xstrdup(source);
		f->file = xstrdup(file);
		yaml_node_t *cs = ydoc_map_get(&y, root, "controls");
		if (cs == NULL || cs->type != YAML_SEQUENCE_NODE ||
		    cs->data.sequence.items.top == cs->data.sequence.items.start) {
			yaml_node_t *at = cs ? cs : root;
			diags_add(d, file, ydoc_line(at), ydoc_col(at),
			          "controls must be a list of controls (id, title, description)");
		} else {
			size_t n = (size_t)(cs->data.sequence.items.top - cs->data.sequence.items.start);
			if (n > CONTROLS_MAX)
				diags_add(d, file, ydoc_line(cs), ydoc_col(cs),
				          "at most %d controls a framework", CONTROLS_MAX);
			f->v = calloc(n, sizeof *f->v);
			if (f->v == NULL)
				abort();
			for (size_t i = 0; i < n && i < CONTROLS_MAX && ydoc_visit(&y); i++) {
				yaml_node_t *c = ydoc_get(&y, cs->data.sequence.items.start[i]);
				if (c == NULL || c->type != YAML_MAPPING_NODE) {
					diags_add(d, file, c ? ydoc_line(c) : 1, c ? ydoc_col(c) : 1,
					          "a control is a mapping of id, title and description");
					continue;
				}
				for (yaml_node_pair_t *p = c->data.mapping.pairs.start;
				     p < c->data.mapping.pairs.top; p++) {
					yaml_node_t *k = ydoc_get(&y, p->key);
					const char *ks = ydoc_scalar(k);
					if (!ks || (strcmp(ks, "id") && strcmp(ks, "title") &&
					            strcmp(ks, "description")))
						diags_add(d, file, ydoc_line(k), ydoc_col(k),
						          "unknown key '%s' of a control (id, title, "
						          "description)",
						          ks ? ks : "?");
				}
				yaml_node_t *ci = ydoc_map_get(&y, c, "id"), *ct = ydoc_map_get(&y, c, "title"),
				            *cd = ydoc_map_get(&y, c, "description");
				const char *cid = ci ? text(&y, ci, "id", ID_MAX, d) : NULL;
				const char *ctt = ct ? text(&y, ct, "title", NAME_MAX_, d) : NULL;
				const char *cdd = cd ? text(&y, cd, "description", TEXT_MAX, d) : "";
				if (ci == NULL || ct == NULL) {
					diags_add(d, file, ydoc_line(c), ydoc_col(c),
					          "a control needs its id and title");
					continue;
				}
				if (cid && !id_ok(cid, false)) {
					diags_add(d, file, ydoc_line(ci), ydoc_col(ci),
					          "control id '%s' must be letters, digits, '-', '_' and '.'",
					          cid);
					continue;
				}
				if (cid == NULL || ctt == NULL || cdd == NULL)
					continue;
				bool twice = false;
				for (size_t k = 0; k < f->n; k++)
					twice |= strcmp(f->v[k].id, cid) == 0;
				if (twice) {
					diags_add(d, file, ydoc_line(ci), ydoc_col(ci),
					          "control id '%s' is given twice", cid);
					continue;
				}
				f->v[f->n++] = (ctl_control){xstrdup(cid), xstrdup(ctt), xstrdup(cdd)};
			}
		}
		if (ydoc_next(&y, NULL) == 1)
			diags_add(d, file, 1, 1, "one framework a file: a second document follows");
	}
	ydoc_close(&y);
	if (d->n > before || got != 1) {
		framework_free(f);
		return -1;
	}
	return 0;
}

/* Adds f, or replaces the framework of the same id. */
static void put(ctl_registry *r, ctl_framework *f)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].id, f->id) == 0) {
			framework_free(&r->v[i]);
			r->v[i] = *f;
			return;
		}
	ctl_framework *v = realloc(r->v, (r->n + 1) * sizeof *v);
	if (v == NULL)
		abort();
	r->v = v;
	r->v[r->n++] = *f;
}

int controls_parse(const char *data, size_t len, const char *file, ctl_registry *r, diags *d)
{
	ctl_framework f;
	if (parse(data, len, file, &f, d) != 0)
		return -1;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].id, f.id) == 0 && strncmp(r->v[i].file, "builtin:", 8) != 0) {
			diags_add(d, file, 1, 1, "framework '%s' is already that of %s", f.id,
			          r->v[i].file);
			framework_free(&f);
			return -1;
		}
	put(r, &f);
	return 0;
}

int controls_load(ctl_registry *r, const char *dir, diags *d)
{
	memset(r, 0, sizeof *r);
	int errors = 0;
	for (const embed_file *e = sigap_builtin_controls; e->name; e++) {
		char name[256];
		snprintf(name, sizeof name, "builtin:%s", e->name);
		errors += controls_parse(e->data, e->len, name, r, d) != 0;
	}
	if (dir == NULL)
		return errors ? -1 : 0;
	size_t n = 0;
	char **names = fs_list_dir(dir, ".yaml", &n);
	if (names == NULL) {
		diags_add(d, dir, 0, 0, "cannot open the directory of control catalogues ([kontrol] dir)");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char path[4096], why[300];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		size_t len = 0;
		char *text = fs_read_file(path, YDOC_MAX_BYTES, &len, why, sizeof why);
		if (text == NULL) {
			diags_add(d, path, 0, 0,
			          "%s (a catalogue is a regular NAME.yaml file of at most %d bytes)", why,
			          YDOC_MAX_BYTES);
			errors++;
			continue;
		}
		errors += controls_parse(text, len, path, r, d) != 0;
		free(text);
	}
	fs_names_free(names, n);
	return errors ? -1 : 0;
}

void controls_free(ctl_registry *r)
{
	for (size_t i = 0; i < r->n; i++)
		framework_free(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof *r);
}

const ctl_control *controls_find(const ctl_registry *r, const char *framework, const char *id)
{
	for (size_t i = 0; framework && i < r->n; i++)
		if (strcmp(r->v[i].id, framework) == 0)
			for (size_t k = 0; id && k < r->v[i].n; k++)
				if (strcmp(r->v[i].v[k].id, id) == 0)
					return &r->v[i].v[k];
	return NULL;
}

const ctl_control *controls_find_ref(const ctl_registry *r, const char *ref)
{
	const char *colon = ref ? strchr(ref, ':') : NULL;
	if (colon == NULL || colon - ref > 64)
		return NULL;
	char fw[65];
	memcpy(fw, ref, (size_t)(colon - ref));
	fw[colon - ref] = '\0';
	return controls_find(r, fw, colon + 1);
}

int controls_check_ref(const ctl_registry *r, const char *ref, sg_err *e)
{
	if (controls_find_ref(r, ref) == NULL)
		return sg_err_set(e, SG_EINVAL,
		                  "the control '%s' is not in the catalogue (/kontrol): write it as "
		                  "FRAMEWORK:ID, for example indeks-kami-4:III",
		                  ref);
	return 0;
}

/* Whether needle is in s, any case (ASCII). */
static bool has(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	for (; *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return true;
	return false;
}

json_t *controls_json(const ctl_registry *r, const char *framework, const char *q)
{
	json_t *out = json_array();
	for (size_t i = 0; i < r->n; i++) {
		const ctl_framework *f = &r->v[i];
		if (framework && *framework && strcmp(f->id, framework) != 0)
			continue;
		json_t *cs = json_array();
		for (size_t k = 0; k < f->n; k++) {
			const ctl_control *c = &f->v[k];
			if (q && *q && !has(c->id, q) && !has(c->title, q) && !has(c->description, q))
				continue;
			json_array_append_new(cs, json_pack("{s:s, s:s, s:s}", "id", c->id, "title",
			                                    c->title, "description", c->description));
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b, s:o}", "framework", f->id,
		                                     "name", f->name, "source", f->source, "shipped",
		                                     strncmp(f->file, "builtin:", 8) == 0, "controls",
		                                     cs));
	}
	return out;
}
