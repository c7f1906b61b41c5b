/*
 * load.c: reads an SOP file (YAML, docs/sop-format.md) into the model of
 * sop.h, reporting every problem as FILE:LINE:COL: message.
 *
 * The loader is table-driven, in the way of Suricata's keyword tables: each
 * mapping of the format (the SOP, a role, a procedure, a step, a decision,
 * a branch, a field) has a table of its keys, each with a kind and the
 * place in the struct it fills. Unknown keys, duplicate keys, missing keys
 * and values of the wrong kind are reported where they stand and loading
 * goes on, so one run names all the problems of a file. Flow checks that
 * need the whole procedure (targets, reachability) are in validate.c.
 *
 * Cost: O(nodes) with the visit cap of ydoc.h; memory: one arena.
 */
#include "sop.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/fsutil.h"
#include "base/ydoc.h"

typedef struct loader {
	ydoc *y;
	diags *d;
	sop *s;
	int errors;
} loader;

typedef enum { K_STR, K_STRLIST, K_INT, K_BOOL, K_FN } key_kind;

typedef int (*key_fn)(loader *l, yaml_node_t *val, void *obj);

typedef struct key_spec {
	const char *key;
	key_kind kind;
	size_t off;       /* where the value goes in obj */
	size_t count_off; /* K_STRLIST: where the count goes */
	bool required;
	key_fn fn;        /* K_FN */
} key_spec;

#define FIELD(T, f) offsetof(T, f)

static void err_at(loader *l, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void err_at(loader *l, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diags_add(l->d, l->y->file, n ? ydoc_line(n) : 0, n ? ydoc_col(n) : 0, "%s", msg);
	l->errors++;
}

static bool visit(loader *l, const yaml_node_t *n)
{
	if (ydoc_visit(l->y))
		return true;
	if (l->y->visits == YDOC_MAX_VISITS + 1)
		err_at(l, n, "document too large or too deeply aliased (more than %d nodes)",
		       YDOC_MAX_VISITS);
	return false;
}

static const char *get_str(loader *l, yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE) {
		err_at(l, n, "%s must be text, not %s", what, ydoc_kind_name(n));
		return NULL;
	}
	if (ydoc_is_null(n))
		return NULL;
	const char *s = ydoc_scalar(n);
	/* Trim: YAML block scalars keep a final newline. */
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return arena_strndup(&l->s->mem, s, len);
}

static int get_int(loader *l, yaml_node_t *n, const char *what, int *out)
{
	const char *s = ydoc_scalar(n);
	if (s == NULL) {
		err_at(l, n, "%s must be a number, not %s", what, ydoc_kind_name(n));
		return -1;
	}
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno || v < 1 || v > 9999) {
		err_at(l, n, "%s must be a whole number from 1 to 9999, not '%s'", what, s);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int get_bool(loader *l, yaml_node_t *n, const char *what, bool *out)
{
	const char *s = ydoc_scalar(n);
	if (s && (strcmp(s, "true") == 0 || strcmp(s, "ya") == 0)) {
		*out = true;
		return 0;
	}
	if (s && (strcmp(s, "false") == 0 || strcmp(s, "tidak") == 0)) {
		*out = false;
		return 0;
	}
	err_at(l, n, "%s must be true or false", what);
	return -1;
}

/* A list of text, or one text standing for a list of one. */
static int get_strlist(loader *l, yaml_node_t *n, const char *what, const char ***out,
		       size_t *count)
{
	if (n->type == YAML_SCALAR_NODE) {
		if (ydoc_is_null(n)) {
			*out = NULL;
			*count = 0;
			return 0;
		}
		*out = arena_calloc(&l->s->mem, 1, sizeof **out);
		(*out)[0] = get_str(l, n, what);
		*count = 1;
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		err_at(l, n, "%s must be a list of text, not %s", what, ydoc_kind_name(n));
		return -1;
	}
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	const char **v = arena_calloc(&l->s->mem, cap ? cap : 1, sizeof *v);
	size_t k = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *item = ydoc_get(l->y, *it);
		if (!visit(l, item))
			return -1;
		const char *s = get_str(l, item, what);
		if (s)
			v[k++] = s;
	}
	*out = v;
	*count = k;
	return 0;
}

/* Walks a mapping against its key table, filling obj. */
static int load_map(loader *l, yaml_node_t *map, const key_spec *keys, void *obj,
		    const char *what)
{
	if (map->type != YAML_MAPPING_NODE) {
		err_at(l, map, "%s must be a mapping of keys, not %s", what, ydoc_kind_name(map));
		return -1;
	}
	size_t nkeys = 0;
	while (keys[nkeys].key)
		nkeys++;
	bool seen[64] = {false};
	if (nkeys > 64)
		abort();
	int before = l->errors;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = ydoc_get(l->y, p->key), *vn = ydoc_get(l->y, p->value);
		if (!visit(l, kn) || !visit(l, vn))
			return -1;
		const char *k = ydoc_scalar(kn);
		if (k == NULL) {
			err_at(l, kn, "a key of %s must be text", what);
			continue;
		}
		size_t i;
		for (i = 0; i < nkeys && strcmp(keys[i].key, k) != 0; i++)
			;
		if (i == nkeys) {
			char known[600] = "";
			for (size_t j = 0; j < nkeys; j++) {
				strncat(known, j ? ", " : "", sizeof known - strlen(known) - 1);
				strncat(known, keys[j].key, sizeof known - strlen(known) - 1);
			}
			err_at(l, kn, "unknown key '%s' in %s (known keys: %s)", k, what, known);
			continue;
		}
		if (seen[i]) {
			err_at(l, kn, "key '%s' is given twice in %s", k, what);
			continue;
		}
		seen[i] = true;
		const key_spec *ks = &keys[i];
		char *base = obj;
		switch (ks->kind) {
		case K_STR:
			*(const char **)(base + ks->off) = get_str(l, vn, k);
			break;
		case K_STRLIST:
			get_strlist(l, vn, k, (const char ***)(base + ks->off),
				    (size_t *)(base + ks->count_off));
			break;
		case K_INT:
			get_int(l, vn, k, (int *)(base + ks->off));
			break;
		case K_BOOL:
			get_bool(l, vn, k, (bool *)(base + ks->off));
			break;
		case K_FN:
			ks->fn(l, vn, obj);
			break;
		}
	}
	for (size_t i = 0; i < nkeys; i++)
		if (keys[i].required && !seen[i])
			err_at(l, map, "%s has no '%s'", what, keys[i].key);
	return l->errors == before ? 0 : -1;
}

/* ---- fields ---------------------------------------------------------- */

static const char *const field_types[] = {
	[FIELD_TEXT] = "text", [FIELD_TEXTAREA] = "textarea", [FIELD_SELECT] = "select",
	[FIELD_DATE] = "date", [FIELD_NUMBER] = "number",     [FIELD_FILE] = "file",
	[FIELD_REF] = "ref",
};

/* Entities a ref field may point at (the domain of DESIGN.md). */
static const char *const ref_entities[] = {"asset", "alert", "indicator", "finding", "patch",
					   "exception", "policy", "case", "user", "risk",
					   "control", NULL};

const char *sop_field_type_name(sop_field_type t)
{
	return (size_t)t < sizeof field_types / sizeof field_types[0] ? field_types[t] : "?";
}

static int field_type(loader *l, yaml_node_t *n, void *obj)
{
	sop_field *f = obj;
	const char *s = ydoc_scalar(n);
	for (size_t i = 0; s && i < sizeof field_types / sizeof field_types[0]; i++)
		if (strcmp(s, field_types[i]) == 0) {
			f->type = (sop_field_type)i;
			return 0;
		}
	err_at(l, n, "unknown field type '%s' (known: text, textarea, select, date, number, file, ref)",
	       s ? s : "");
	return -1;
}

static bool is_ident(const char *s)
{
	if (s == NULL || !(islower((unsigned char)*s)))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static const key_spec field_keys[] = {
	{"name", K_STR, FIELD(sop_field, name), 0, true, NULL},
	{"label", K_STR, FIELD(sop_field, label), 0, true, NULL},
	{"type", K_FN, 0, 0, true, field_type},
	{"required", K_BOOL, FIELD(sop_field, required), 0, false, NULL},
	{"options", K_STRLIST, FIELD(sop_field, options), FIELD(sop_field, n_options), false, NULL},
	{"entity", K_STR, FIELD(sop_field, entity), 0, false, NULL},
	{"help", K_STR, FIELD(sop_field, help), 0, false, NULL},
	{"publik", K_BOOL, FIELD(sop_field, publik), 0, false, NULL},
	{"banyak", K_BOOL, FIELD(sop_field, banyak), 0, false, NULL},
	{NULL, 0, 0, 0, false, NULL},
};

static int load_fields(loader *l, yaml_node_t *n, sop_field **out, size_t *count)
{
	if (n->type != YAML_SEQUENCE_NODE) {
		err_at(l, n, "fields must be a list, not %s", ydoc_kind_name(n));
		return -1;
	}
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	sop_field *v = arena_calloc(&l->s->mem, cap ? cap : 1, sizeof *v);
	size_t k = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *fn = ydoc_get(l->y, *it);
		if (!visit(l, fn))
			return -1;
		sop_field *f = &v[k];
		memset(f, 0, sizeof *f); /* a slot a refused field left behind */
		f->line = ydoc_line(fn);
		f->col = ydoc_col(fn);
		if (load_map(l, fn, field_keys, f, "a field") != 0)
			continue;
		if (!is_ident(f->name)) {
			err_at(l, fn, "field name '%s' must be lower case letters, digits and _", f->name);
			continue;
		}
		for (size_t j = 0; j < k; j++)
			if (strcmp(v[j].name, f->name) == 0)
				err_at(l, fn, "field '%s' is defined twice", f->name);
		if (f->type == FIELD_SELECT && f->n_options == 0)
			err_at(l, fn, "select field '%s' has no options", f->name);
		if (f->type != FIELD_SELECT && f->n_options)
			err_at(l, fn, "field '%s' has options but is not a select", f->name);
		if (f->type == FIELD_REF) {
			size_t e;
			for (e = 0; ref_entities[e] && (!f->entity || strcmp(f->entity, ref_entities[e])); e++)
				;
			if (!ref_entities[e])
				err_at(l, fn, "ref field '%s' needs an entity (asset, alert, indicator, finding, patch, exception, policy, case, user, risk, control)",
				       f->name);
		} else if (f->entity) {
			err_at(l, fn, "field '%s' has an entity but is not a ref", f->name);
		}
		if (f->banyak && f->type != FIELD_REF)
			err_at(l, fn, "field '%s' has banyak (several ids) but is not a ref", f->name);
		k++;
	}
	*out = v;
	*count = k;
	return 0;
}

/* ---- steps ----------------------------------------------------------- */

/* "next": a step number or "selesai"/"end". */
static int parse_target(loader *l, yaml_node_t *n, int *target_no)
{
	const char *s = ydoc_scalar(n);
	if (s && (strcasecmp(s, "selesai") == 0 || strcmp(s, "end") == 0)) {
		*target_no = 0;
		return 0;
	}
	if (s == NULL) {
		err_at(l, n, "next must be a step number or 'selesai', not %s", ydoc_kind_name(n));
		return -1;
	}
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || *end || v < 1 || v > 9999) {
		err_at(l, n, "next must be a step number or 'selesai', not '%s'", s);
		return -1;
	}
	*target_no = (int)v;
	return 0;
}

static int step_next(loader *l, yaml_node_t *n, void *obj)
{
	sop_step *st = obj;
	st->next_line = ydoc_line(n);
	st->next_col = ydoc_col(n);
	return parse_target(l, n, &st->next_no);
}

static int branch_next(loader *l, yaml_node_t *n, void *obj)
{
	sop_branch *b = obj;
	return parse_target(l, n, &b->target_no);
}

/* "start": the procedure a hand-over opens; checked against the other
 * SOPs by sop_check_starts, here only its form. */
static int branch_start(loader *l, yaml_node_t *n, void *obj)
{
	sop_branch *b = obj;
	b->start_line = ydoc_line(n);
	b->start_col = ydoc_col(n);
	b->start = get_str(l, n, "start");
	if (b->start == NULL || *b->start == '\0') {
		err_at(l, n, "start must name a procedure (an SOP id, or SOP/procedure)");
		return -1;
	}
	return 0;
}

/* "carry": {field of the new case: field of this one}. */
static int branch_carry(loader *l, yaml_node_t *n, void *obj)
{
	sop_branch *b = obj;
	b->carry_line = ydoc_line(n);
	b->carry_col = ydoc_col(n);
	if (n->type != YAML_MAPPING_NODE) {
		err_at(l, n, "carry must be a mapping (field of the new case: field of this case), "
			     "not %s", ydoc_kind_name(n));
		return -1;
	}
	size_t cap = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	b->carry_to = arena_calloc(&l->s->mem, cap ? cap : 1, sizeof *b->carry_to);
	b->carry_from = arena_calloc(&l->s->mem, cap ? cap : 1, sizeof *b->carry_from);
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = ydoc_get(l->y, p->key), *vn = ydoc_get(l->y, p->value);
		if (!visit(l, kn) || !visit(l, vn))
			return -1;
		const char *to = get_str(l, kn, "a carry field"), *from = get_str(l, vn, "a carry field");
		if (!is_ident(to) || !is_ident(from)) {
			err_at(l, kn, "carry names fields: lower case letters, digits and _");
			continue;
		}
		b->carry_to[b->n_carry] = to;
		b->carry_from[b->n_carry++] = from;
	}
	return 0;
}

static int branch_alerts(loader *l, yaml_node_t *n, void *obj)
{
	sop_branch *b = obj;
	const char *s = ydoc_scalar(n);
	if (s && (strcmp(s, "true_positive") == 0 || strcmp(s, "false_positive") == 0)) {
		b->alerts = strcmp(s, "true_positive") == 0 ? "true_positive" : "false_positive";
		return 0;
	}
	err_at(l, n, "alerts must be true_positive or false_positive, not '%s'", s ? s : "");
	return -1;
}

static const key_spec branch_keys[] = {
	{"label", K_STR, FIELD(sop_branch, label), 0, true, NULL},
	{"next", K_FN, 0, 0, true, branch_next},
	{"wajib", K_STRLIST, FIELD(sop_branch, wajib), FIELD(sop_branch, n_wajib), false, NULL},
	{"start", K_FN, 0, 0, false, branch_start},
	{"carry", K_FN, 0, 0, false, branch_carry},
	{"alerts", K_FN, 0, 0, false, branch_alerts},
	{NULL, 0, 0, 0, false, NULL},
};

static int decision_branches(loader *l, yaml_node_t *n, void *obj)
{
	sop_step *st = obj;
	if (n->type != YAML_SEQUENCE_NODE) {
		err_at(l, n, "branches must be a list, not %s", ydoc_kind_name(n));
		return -1;
	}
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	st->branches = arena_calloc(&l->s->mem, cap ? cap : 1, sizeof *st->branches);
	st->n_branches = 0; /* a decision given twice (reported) starts again */
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *bn = ydoc_get(l->y, *it);
		if (!visit(l, bn))
			return -1;
		sop_branch *b = &st->branches[st->n_branches];
		memset(b, 0, sizeof *b); /* a slot a refused branch left behind */
		b->line = ydoc_line(bn);
		b->col = ydoc_col(bn);
		b->target_no = -1;
		if (load_map(l, bn, branch_keys, b, "a branch") != 0 || b->label == NULL)
			continue; /* reported by load_map */
		for (size_t j = 0; j < st->n_branches; j++)
			if (strcasecmp(st->branches[j].label, b->label) == 0)
				err_at(l, bn, "step %d: branch '%s' is given twice", st->no, b->label);
		if (b->n_carry && b->start == NULL)
			err_at(l, bn, "step %d: branch '%s' carries fields but starts no case (start)",
			       st->no, b->label);
		st->n_branches++;
	}
	if (st->n_branches < 2)
		err_at(l, n, "step %d: a decision needs at least two branches", st->no);
	return 0;
}

static const key_spec decision_keys[] = {
	{"question", K_STR, FIELD(sop_step, question), 0, false, NULL},
	{"branches", K_FN, 0, 0, true, decision_branches},
	{NULL, 0, 0, 0, false, NULL},
};

static int step_decision(loader *l, yaml_node_t *n, void *obj)
{
	return load_map(l, n, decision_keys, obj, "a decision");
}

static int step_waktu(loader *l, yaml_node_t *n, void *obj)
{
	sop_step *st = obj;
	const char *s = get_str(l, n, "waktu");
	if (s == NULL)
		s = "";
	int r = sop_waktu_parse(s, &st->waktu);
	st->waktu.text = s; /* given, even when unreadable: one error, not two */
	if (r != 0) {
		err_at(l, n, "cannot read the time '%s' (write it as 'N Menit', 'N Jam' or 'N Hari')", s);
		return -1;
	}
	return 0;
}

static int step_fields(loader *l, yaml_node_t *n, void *obj)
{
	sop_step *st = obj;
	return load_fields(l, n, &st->fields, &st->n_fields);
}

static const key_spec doc_keys[] = {
	{"template", K_STR, FIELD(sop_doc, template_id), 0, true, NULL},
	{"judul", K_STR, FIELD(sop_doc, judul), 0, false, NULL},
	{"ttd", K_STR, FIELD(sop_doc, ttd), 0, false, NULL},
	{"cabang", K_STR, FIELD(sop_doc, cabang), 0, false, NULL},
	{NULL, 0, 0, 0, false, NULL},
};

/* A template id: lower case letters, digits and '-'. */
static bool is_template_id(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(s);
}

/* "dokumen": one document {template, judul, ttd}, or a list of them. */
static int step_dokumen(loader *l, yaml_node_t *n, void *obj)
{
	sop_step *st = obj;
	yaml_node_item_t one = 0, *first = &one, *last = &one + 1;
	if (n->type == YAML_SEQUENCE_NODE) {
		first = n->data.sequence.items.start;
		last = n->data.sequence.items.top;
	} else if (n->type != YAML_MAPPING_NODE) {
		err_at(l, n, "dokumen must be a document ({template: …, judul: …}) or a list of "
			     "them, not %s", ydoc_kind_name(n));
		return -1;
	}
	size_t cap = (size_t)(last - first);
	st->docs = arena_calloc(&l->s->mem, cap ? cap : 1, sizeof *st->docs);
	st->n_docs = 0;
	for (yaml_node_item_t *it = first; it < last; it++) {
		yaml_node_t *dn = n->type == YAML_SEQUENCE_NODE ? ydoc_get(l->y, *it) : n;
		if (!visit(l, dn))
			return -1;
		sop_doc *d = &st->docs[st->n_docs];
		memset(d, 0, sizeof *d);
		d->line = ydoc_line(dn);
		d->col = ydoc_col(dn);
		if (load_map(l, dn, doc_keys, d, "a document") != 0 || d->template_id == NULL)
			continue; /* reported by load_map */
		if (!is_template_id(d->template_id)) {
			err_at(l, dn, "template '%s' must be a template id: lower case letters, digits "
				      "and -", d->template_id);
			continue;
		}
		for (size_t j = 0; j < st->n_docs; j++)
			if (strcmp(st->docs[j].template_id, d->template_id) == 0)
				err_at(l, dn, "template '%s' is given twice on this step", d->template_id);
		st->n_docs++;
	}
	return 0;
}

static const key_spec step_keys[] = {
	{"no", K_INT, FIELD(sop_step, no), 0, true, NULL},
	{"uraian", K_STR, FIELD(sop_step, uraian), 0, true, NULL},
	{"pelaksana", K_STR, FIELD(sop_step, role), 0, false, NULL},
	{"kelengkapan", K_STRLIST, FIELD(sop_step, kelengkapan), FIELD(sop_step, n_kelengkapan), false, NULL},
	{"waktu", K_FN, 0, 0, false, step_waktu},
	{"output", K_STR, FIELD(sop_step, output), 0, false, NULL},
	{"keterangan", K_STR, FIELD(sop_step, keterangan), 0, false, NULL},
	{"tahap_publik", K_STR, FIELD(sop_step, tahap_publik), 0, false, NULL},
	{"end", K_BOOL, FIELD(sop_step, terminator), 0, false, NULL},
	{"next", K_FN, 0, 0, false, step_next},
	{"decision", K_FN, 0, 0, false, step_decision},
	{"fields", K_FN, 0, 0, false, step_fields},
	{"dokumen", K_FN, 0, 0, false, step_dokumen},
	{"catat", K_STR, FIELD(sop_step, catat), 0, false, NULL},
	{NULL, 0, 0, 0, false, NULL},
};

/* What a step that writes a record (catat:) must carry: the fields the
 * record is made of, each of its type (and entity, for a ref), and for a
 * decision two branches, the first of which approves. */
typedef struct record_field {
	const char *name;
	sop_field_type type;
	const char *entity;
} record_field;
static const struct sop_record_spec {
	const char *name;
	record_field fields[4];
	bool decision;
} sop_records[] = {
	{"pengecualian.permohonan",
	 {{"alasan", FIELD_TEXTAREA, NULL},
	  {"kompensasi", FIELD_TEXTAREA, NULL},
	  {"berlaku_sampai", FIELD_DATE, NULL}},
	 false},
	{"pengecualian.risiko", {{"risiko", FIELD_REF, "risk"}}, false},
	{"pengecualian.keputusan",
	 {{"berlaku_mulai", FIELD_DATE, NULL}, {"berlaku_sampai", FIELD_DATE, NULL}},
	 true},
	{"kebijakan.draf",
	 {{"judul_kebijakan", FIELD_TEXT, NULL},
	  {"jenis_dokumen", FIELD_SELECT, NULL},
	  {"teks", FIELD_TEXTAREA, NULL}},
	 false},
	{"kebijakan.verifikasi", {{NULL, 0, NULL}}, true},
	{"kebijakan.pengesahan",
	 {{"tanggal_pengesahan", FIELD_DATE, NULL}, {"nomor_kebijakan", FIELD_TEXT, NULL}},
	 true},
	{"kebijakan.publikasi", {{NULL, 0, NULL}}, false},
	{"kebijakan.evaluasi", {{NULL, 0, NULL}}, true},
};

static void check_record(loader *l, yaml_node_t *n, const sop_step *st)
{
	const struct sop_record_spec *r = NULL;
	char known[400] = "";
	for (size_t i = 0; i < sizeof sop_records / sizeof sop_records[0]; i++) {
		if (strcmp(sop_records[i].name, st->catat) == 0)
			r = &sop_records[i];
		strncat(known, i ? ", " : "", sizeof known - strlen(known) - 1);
		strncat(known, sop_records[i].name, sizeof known - strlen(known) - 1);
	}
	if (r == NULL) {
		err_at(l, n, "step %d: catat '%s' is not a record sigap writes (%s)", st->no,
		       st->catat, known);
		return;
	}
	for (size_t k = 0; k < 4 && r->fields[k].name; k++) {
		const record_field *want = &r->fields[k];
		const sop_field *f = NULL;
		for (size_t j = 0; j < st->n_fields && !f; j++)
			if (st->fields[j].name && strcmp(st->fields[j].name, want->name) == 0)
				f = &st->fields[j];
		if (f == NULL || f->type != want->type ||
		    (want->entity && (f->entity == NULL || strcmp(f->entity, want->entity) != 0)))
			err_at(l, n, "step %d: catat '%s' needs a field '%s' of type %s%s%s", st->no,
			       st->catat, want->name, field_types[want->type],
			       want->entity ? " with entity " : "", want->entity ? want->entity : "");
	}
	if (r->decision && st->n_branches != 2)
		err_at(l, n, "step %d: catat '%s' is a decision of two branches (the first: "
			     "approved, or for an evaluation: revise)", st->no, st->catat);
}

/* Checks of one step that need nothing but the step and the roles. */
static void check_step(loader *l, yaml_node_t *n, sop_step *st, bool has_waktu)
{
	if (st->terminator) {
		if (st->n_branches || st->next_no > 0 || st->n_fields || st->n_docs)
			err_at(l, n, "step %d is an end row: it can have no next, decision, fields or "
				     "documents", st->no);
		return;
	}
	if (st->role == NULL) {
		err_at(l, n, "step %d has no actor (pelaksana)", st->no);
	} else {
		st->role_index = -1;
		for (size_t i = 0; i < l->s->n_roles; i++)
			if (l->s->roles[i].id && strcmp(l->s->roles[i].id, st->role) == 0)
				st->role_index = (int)i;
		if (st->role_index < 0) {
			char known[400] = "";
			for (size_t i = 0; i < l->s->n_roles; i++) {
				strncat(known, i ? ", " : "", sizeof known - strlen(known) - 1);
				strncat(known, l->s->roles[i].id ? l->s->roles[i].id : "?",
					sizeof known - strlen(known) - 1);
			}
			err_at(l, n, "step %d: unknown role '%s' (pelaksana of this SOP: %s)", st->no,
			       st->role, known);
		}
	}
	if (!has_waktu)
		err_at(l, n, "step %d has no standard time (waktu)", st->no);
	for (size_t i = 0; i < st->n_docs; i++) {
		const char *c = st->docs[i].cabang;
		bool found = c == NULL;
		for (size_t b = 0; b < st->n_branches && !found; b++)
			found = st->branches[b].label && strcmp(st->branches[b].label, c) == 0;
		if (!found) {
			diags_add(l->d, l->y->file, st->docs[i].line, st->docs[i].col,
				  "step %d: document '%s' belongs to branch '%s', which is not a "
				  "branch of this step",
				  st->no, st->docs[i].template_id, c);
			l->errors++;
		}
	}
	for (size_t i = 0; i < st->n_docs; i++)
		if (st->docs[i].ttd && sop_find_role(l->s, st->docs[i].ttd) == NULL) {
			diags_add(l->d, l->y->file, st->docs[i].line, st->docs[i].col,
				  "step %d: document '%s' is signed by '%s', which is not a role of "
				  "this SOP (pelaksana)",
				  st->no, st->docs[i].template_id, st->docs[i].ttd);
			l->errors++;
		}
	if (st->n_branches && st->next_no != -1)
		err_at(l, n, "step %d has both next and a decision; give one", st->no);
	if (st->catat)
		check_record(l, n, st);
	/* A branch's wajib names fields of this step. O(branches x wajib x fields). */
	for (size_t b = 0; b < st->n_branches; b++)
		for (size_t k = 0; k < st->branches[b].n_wajib; k++) {
			const char *w = st->branches[b].wajib[k];
			bool found = w == NULL; /* reported where it was read */
			for (size_t f = 0; f < st->n_fields && !found; f++)
				found = st->fields[f].name && strcmp(st->fields[f].name, w) == 0;
			if (!found)
				err_at(l, n, "step %d: branch '%s' needs field '%s', which the step "
				       "does not have",
				       st->no, st->branches[b].label, st->branches[b].wajib[k]);
		}
}

static int proc_steps(loader *l, yaml_node_t *n, void *obj)
{
	sop_procedure *p = obj;
	if (n->type != YAML_SEQUENCE_NODE) {
		err_at(l, n, "langkah must be a list of steps, not %s", ydoc_kind_name(n));
		return -1;
	}
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	p->steps = arena_calloc(&l->s->mem, cap ? cap : 1, sizeof *p->steps);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *sn = ydoc_get(l->y, *it);
		if (!visit(l, sn))
			return -1;
		sop_step *st = &p->steps[p->n_steps];
		memset(st, 0, sizeof *st); /* a slot a refused step left behind */
		st->line = ydoc_line(sn);
		st->col = ydoc_col(sn);
		st->next_no = -1;
		st->next = SOP_END;
		if (load_map(l, sn, step_keys, st, "a step") != 0 && st->no == 0)
			continue;
		bool has_waktu = st->waktu.text != NULL;
		for (size_t j = 0; j < p->n_steps; j++)
			if (p->steps[j].no == st->no)
				err_at(l, sn, "step number %d is used twice (first at line %d)", st->no,
				       p->steps[j].line);
		check_step(l, sn, st, has_waktu);
		p->n_steps++;
	}
	if (p->n_steps == 0)
		err_at(l, n, "a procedure needs at least one step");
	return 0;
}

static int proc_fields(loader *l, yaml_node_t *n, void *obj)
{
	sop_procedure *p = obj;
	return load_fields(l, n, &p->fields, &p->n_fields);
}

static const key_spec proc_keys[] = {
	{"id", K_STR, FIELD(sop_procedure, key), 0, false, NULL},
	{"nama", K_STR, FIELD(sop_procedure, nama), 0, true, NULL},
	{"ticket_prefix", K_STR, FIELD(sop_procedure, ticket_prefix), 0, false, NULL},
	{"fields", K_FN, 0, 0, false, proc_fields},
	{"langkah", K_FN, 0, 0, true, proc_steps},
	{NULL, 0, 0, 0, false, NULL},
};

/* ---- the SOP --------------------------------------------------------- */

static const key_spec role_keys[] = {
	{"id", K_STR, FIELD(sop_role, id), 0, true, NULL},
	{"nama", K_STR, FIELD(sop_role, nama), 0, true, NULL},
	{"luar", K_BOOL, FIELD(sop_role, luar), 0, false, NULL},
	{"atas_nama", K_STRLIST, FIELD(sop_role, atas_nama), FIELD(sop_role, n_atas_nama), false, NULL},
	{"buka_kembali", K_BOOL, FIELD(sop_role, buka_kembali), 0, false, NULL},
	{NULL, 0, 0, 0, false, NULL},
};

static int sop_roles(loader *l, yaml_node_t *n, void *obj)
{
	sop *s = obj;
	if (n->type != YAML_SEQUENCE_NODE) {
		err_at(l, n, "pelaksana must be a list of roles, not %s", ydoc_kind_name(n));
		return -1;
	}
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	s->roles = arena_calloc(&s->mem, cap ? cap : 1, sizeof *s->roles);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *rn = ydoc_get(l->y, *it);
		if (!visit(l, rn))
			return -1;
		sop_role *r = &s->roles[s->n_roles];
		memset(r, 0, sizeof *r); /* a slot a refused role left behind */
		r->line = ydoc_line(rn);
		r->col = ydoc_col(rn);
		if (load_map(l, rn, role_keys, r, "a role") != 0)
			continue;
		if (!is_ident(r->id)) {
			err_at(l, rn, "role id '%s' must be lower case letters, digits and _", r->id);
			continue;
		}
		if (strcmp(r->id, "admin") == 0) {
			err_at(l, rn, "role id 'admin' is reserved for sigap's administrators");
			continue;
		}
		for (size_t j = 0; j < s->n_roles; j++)
			if (strcmp(s->roles[j].id, r->id) == 0)
				err_at(l, rn, "role '%s' is defined twice", r->id);
		s->n_roles++;
	}
	if (s->n_roles == 0)
		err_at(l, n, "an SOP needs at least one role (pelaksana)");
	/* atas_nama names staff roles of this SOP, once all are known */
	for (size_t i = 0; i < s->n_roles; i++) {
		sop_role *r = &s->roles[i];
		if (r->n_atas_nama > 0 && !r->luar)
			l->errors++, diags_add(l->d, l->y->file, r->line, r->col,
				    "role '%s': atas_nama is for an outside role (luar: true)", r->id);
		if (r->buka_kembali && r->luar)
			l->errors++, diags_add(l->d, l->y->file, r->line, r->col,
				    "role '%s': an outside role (luar: true) may not reopen cases "
				    "(buka_kembali)", r->id);
		for (size_t k = 0; k < r->n_atas_nama; k++) {
			const sop_role *o = NULL;
			for (size_t j = 0; j < s->n_roles; j++)
				if (strcmp(s->roles[j].id, r->atas_nama[k]) == 0)
					o = &s->roles[j];
			if (o == NULL)
				l->errors++, diags_add(l->d, l->y->file, r->line, r->col,
					    "role '%s': atas_nama names '%s', which is not a role of this SOP",
					    r->id, r->atas_nama[k]);
			else if (o->luar)
				l->errors++, diags_add(l->d, l->y->file, r->line, r->col,
					    "role '%s': atas_nama names '%s', an outside role itself",
					    r->id, r->atas_nama[k]);
		}
	}
	return 0;
}

/* Keys read in a second pass by sop_load, once the roles are known
 * whatever their order in the file: prosedur and ticket_prefix. */
static int second_pass(loader *l, yaml_node_t *n, void *obj)
{
	(void)l;
	(void)obj;
	(void)n;
	return 0;
}

static int sop_disahkan(loader *l, yaml_node_t *n, void *obj);

static const key_spec sop_keys[] = {
	{"id", K_STR, FIELD(sop, id), 0, true, NULL},
	{"nama", K_STR, FIELD(sop, nama), 0, true, NULL},
	{"nomor", K_STR, FIELD(sop, nomor), 0, true, NULL},
	{"instansi", K_STR, FIELD(sop, instansi), 0, false, NULL},
	{"tanggal_pembuatan", K_STR, FIELD(sop, tanggal_pembuatan), 0, false, NULL},
	{"tanggal_revisi", K_STR, FIELD(sop, tanggal_revisi), 0, false, NULL},
	{"tanggal_pengesahan", K_STR, FIELD(sop, tanggal_pengesahan), 0, false, NULL},
	{"tanggal_efektif", K_STR, FIELD(sop, tanggal_efektif), 0, false, NULL},
	{"disahkan_oleh", K_FN, 0, 0, false, sop_disahkan},
	{"dasar_hukum", K_STRLIST, FIELD(sop, dasar_hukum), FIELD(sop, n_dasar_hukum), false, NULL},
	{"kualifikasi_pelaksana", K_STRLIST, FIELD(sop, kualifikasi), FIELD(sop, n_kualifikasi), false, NULL},
	{"keterkaitan", K_STRLIST, FIELD(sop, keterkaitan), FIELD(sop, n_keterkaitan), false, NULL},
	{"perlengkapan", K_STRLIST, FIELD(sop, perlengkapan), FIELD(sop, n_perlengkapan), false, NULL},
	{"peringatan", K_STRLIST, FIELD(sop, peringatan), FIELD(sop, n_peringatan), false, NULL},
	{"pencatatan_pendataan", K_STRLIST, FIELD(sop, pencatatan), FIELD(sop, n_pencatatan), false, NULL},
	{"ticket_prefix", K_FN, 0, 0, false, second_pass},
	{"pelaksana", K_FN, 0, 0, true, sop_roles},
	{"prosedur", K_FN, 0, 0, true, second_pass},
	{NULL, 0, 0, 0, false, NULL},
};

typedef struct disahkan {
	const char *jabatan, *nama, *nip;
} disahkan;

static const key_spec disahkan_keys[] = {
	{"jabatan", K_STR, FIELD(disahkan, jabatan), 0, true, NULL},
	{"nama", K_STR, FIELD(disahkan, nama), 0, true, NULL},
	{"nip", K_STR, FIELD(disahkan, nip), 0, false, NULL},
	{NULL, 0, 0, 0, false, NULL},
};

static int sop_disahkan(loader *l, yaml_node_t *n, void *obj)
{
	sop *s = obj;
	disahkan d = {0};
	int r = load_map(l, n, disahkan_keys, &d, "disahkan_oleh");
	s->disahkan_oleh.jabatan = d.jabatan;
	s->disahkan_oleh.nama = d.nama;
	s->disahkan_oleh.nip = d.nip;
	return r;
}

static yaml_node_t *map_get(ydoc *y, yaml_node_t *map, const char *key)
{
	if (map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = ydoc_scalar(ydoc_get(y, p->key));
		if (k && strcmp(k, key) == 0)
			return ydoc_get(y, p->value);
	}
	return NULL;
}

static void load_procs(loader *l, yaml_node_t *n, const char *sop_prefix)
{
	sop *s = l->s;
	if (n->type != YAML_SEQUENCE_NODE) {
		err_at(l, n, "prosedur must be a list of procedures, not %s", ydoc_kind_name(n));
		return;
	}
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	s->procs = arena_calloc(&s->mem, cap ? cap : 1, sizeof *s->procs);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *pn = ydoc_get(l->y, *it);
		if (!visit(l, pn))
			return;
		sop_procedure *p = &s->procs[s->n_procs];
		memset(p, 0, sizeof *p); /* a slot a refused procedure left behind */
		p->line = ydoc_line(pn);
		p->col = ydoc_col(pn);
		load_map(l, pn, proc_keys, p, "a procedure");
		if (cap > 1 && p->key == NULL) {
			err_at(l, pn, "an SOP with several procedures needs an id for each");
			continue;
		}
		if (p->key && !is_ident(p->key)) {
			err_at(l, pn, "procedure id '%s' must be lower case letters, digits and _", p->key);
			continue;
		}
		if (s->id == NULL)
			continue;
		if (cap > 1) {
			size_t len = strlen(s->id) + 1 + strlen(p->key) + 1;
			char *id = arena_alloc(&s->mem, len);
			snprintf(id, len, "%s/%s", s->id, p->key);
			p->id = id;
		} else {
			p->id = s->id;
		}
		for (size_t j = 0; j < s->n_procs; j++)
			if (strcmp(s->procs[j].id, p->id) == 0)
				err_at(l, pn, "procedure '%s' is defined twice", p->id);
		if (p->ticket_prefix == NULL)
			p->ticket_prefix = sop_prefix;
		if (p->ticket_prefix == NULL)
			err_at(l, pn, "procedure '%s' has no ticket_prefix (give it here or on the SOP)", p->id);
		s->n_procs++;
	}
	if (cap == 0)
		err_at(l, n, "an SOP needs at least one procedure");
}

static bool valid_prefix(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!isupper((unsigned char)s[n]) && !isdigit((unsigned char)s[n]))
			return false;
	return n >= 2 && n <= 8;
}

sop *sop_load(const char *text, size_t len, const char *file, diags *d)
{
	sop *s = calloc(1, sizeof *s);
	if (s == NULL)
		abort();
	arena_init(&s->mem);
	s->file = arena_strdup(&s->mem, file);
	ydoc y;
	ydoc_open(&y, text, len, s->file);
	loader l = {&y, d, s, 0};
	int r = ydoc_next(&y, d);
	if (r < 0) {
		l.errors++;
	} else if (r == 0) {
		diags_add(d, file, 1, 1, "the file holds no SOP");
		l.errors++;
	} else {
		yaml_node_t *root = ydoc_root(&y);
		load_map(&l, root, sop_keys, s, "the SOP");
		if (s->id && !is_ident(s->id))
			err_at(&l, map_get(&y, root, "id"), "SOP id '%s' must be lower case letters, digits and _",
			       s->id);
		const char *prefix = NULL;
		yaml_node_t *pn = map_get(&y, root, "ticket_prefix");
		if (pn)
			prefix = get_str(&l, pn, "ticket_prefix");
		yaml_node_t *procs = map_get(&y, root, "prosedur");
		if (procs)
			load_procs(&l, procs, prefix);
		for (size_t i = 0; i < s->n_procs; i++)
			if (s->procs[i].ticket_prefix && !valid_prefix(s->procs[i].ticket_prefix))
				err_at(&l, pn ? pn : root,
				       "ticket_prefix '%s' must be 2 to 8 capital letters or digits",
				       s->procs[i].ticket_prefix);
		if (l.errors == 0) {
			int more = ydoc_next(&y, d);
			if (more != 0) {
				if (more > 0)
					err_at(&l, ydoc_root(&y), "an SOP file holds one document; this is a second");
				else
					l.errors++;
			}
		}
	}
	ydoc_close(&y);
	if (l.errors == 0)
		l.errors += sop_validate(s, d);
	if (l.errors) {
		sop_free(s);
		return NULL;
	}
	return s;
}

sop *sop_load_file(const char *path, diags *d)
{
	size_t n;
	char why[200];
	char *text = fs_read_file(path, YDOC_MAX_BYTES, &n, why, sizeof why);
	if (text == NULL) {
		diags_add(d, path, 0, 0, "%s", why);
		return NULL;
	}
	sop *s = sop_load(text, n, path, d);
	free(text);
	return s;
}

void sop_free(sop *s)
{
	if (s == NULL)
		return;
	arena_free(&s->mem);
	free(s);
}

const sop_procedure *sop_find_procedure(const sop *s, const char *id)
{
	for (size_t i = 0; i < s->n_procs; i++)
		if (strcmp(s->procs[i].id, id) == 0)
			return &s->procs[i];
	return NULL;
}

const sop_role *sop_find_role(const sop *s, const char *id)
{
	for (size_t i = 0; i < s->n_roles; i++)
		if (strcmp(s->roles[i].id, id) == 0)
			return &s->roles[i];
	return NULL;
}

bool sop_role_outside(const sop *s, const char *role_id)
{
	const sop_role *r = role_id ? sop_find_role(s, role_id) : NULL;
	return r != NULL && r->luar;
}

bool sop_role_on_behalf(const sop *s, const char *role_id, const char *staff_role)
{
	const sop_role *r = role_id ? sop_find_role(s, role_id) : NULL;
	if (r == NULL || !r->luar || staff_role == NULL)
		return false;
	for (size_t i = 0; i < r->n_atas_nama; i++)
		if (strcmp(r->atas_nama[i], staff_role) == 0)
			return true;
	return false;
}

bool sop_role_reopens(const sop *s, const char *role_id)
{
	const sop_role *r = role_id ? sop_find_role(s, role_id) : NULL;
	return r != NULL && r->buka_kembali;
}

const char *sop_role_name(const sop *s, const char *role_id)
{
	const sop_role *r = role_id ? sop_find_role(s, role_id) : NULL;
	return r ? r->nama : role_id;
}

int sop_step_index(const sop_procedure *p, int no)
{
	for (size_t i = 0; i < p->n_steps; i++)
		if (p->steps[i].no == no)
			return (int)i;
	return -1;
}
