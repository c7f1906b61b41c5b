/*
 * engine.c: transitions and form checks of a procedure (see engine.h).
 * Pure functions over the model; O(branches) and O(fields × values).
 */
#include "engine.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/civil.h"
#include "base/utf8.h"

static void list_labels(const sop_step *st, char *out, size_t n)
{
	out[0] = '\0';
	for (size_t b = 0; b < st->n_branches; b++) {
		strncat(out, b ? "', '" : "'", n - strlen(out) - 1);
		strncat(out, st->branches[b].label, n - strlen(out) - 1);
	}
	strncat(out, "'", n - strlen(out) - 1);
}

int sop_step_next(const sop_step *st, const char *decision, int *next, sg_err *e)
{
	if (st->n_branches == 0) {
		if (decision && *decision)
			return sg_err_set(e, SG_EINVAL, "step %d is not a decision; drop the decision '%s'",
					  st->no, decision);
		*next = st->next;
		return 0;
	}
	char labels[600];
	list_labels(st, labels, sizeof labels);
	if (decision == NULL || *decision == '\0')
		return sg_err_set(e, SG_EINVAL, "step %d is a decision: choose one of %s", st->no, labels);
	for (size_t b = 0; b < st->n_branches; b++)
		if (strcasecmp(st->branches[b].label, decision) == 0) {
			*next = st->branches[b].target;
			return 0;
		}
	return sg_err_set(e, SG_EINVAL, "step %d has no decision '%s': choose one of %s", st->no,
			  decision, labels);
}

int sop_branch_check(const sop_step *st, const char *decision, const sop_value *v,
		     size_t n_values, sg_err *e)
{
	for (size_t b = 0; b < st->n_branches; b++) {
		const sop_branch *br = &st->branches[b];
		if (decision == NULL || strcasecmp(br->label, decision) != 0)
			continue;
		for (size_t k = 0; k < br->n_wajib; k++) {
			bool found = false;
			for (size_t i = 0; i < n_values && !found; i++)
				found = strcmp(v[i].name, br->wajib[k]) == 0 && *v[i].value;
			const char *label = br->wajib[k];
			for (size_t f = 0; f < st->n_fields; f++)
				if (strcmp(st->fields[f].name, br->wajib[k]) == 0)
					label = st->fields[f].label;
			if (!found)
				return sg_err_set(e, SG_EINVAL,
						  "the decision '%s' needs the field '%s' (%s)",
						  br->label, br->wajib[k], label);
		}
	}
	return 0;
}

bool sop_closes(const sop_procedure *p, int next)
{
	return next == SOP_END || p->steps[next].terminator;
}

static bool valid_number(const char *s)
{
	char *end;
	if (*s == '\0' || isspace((unsigned char)*s))
		return false;
	strtod(s, &end);
	return *end == '\0';
}

static bool valid_ref(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!isalnum((unsigned char)s[n]) && !strchr("._:-", s[n]))
			return false;
	return n >= 1 && n <= 64;
}

int sop_ref_list(const char *v, char (*out)[65], size_t max, size_t *n)
{
	*n = 0;
	for (const char *p = v;;) {
		p += strspn(p, " \t");
		size_t len = strcspn(p, ",");
		size_t end = len;
		while (end && (p[end - 1] == ' ' || p[end - 1] == '\t'))
			end--;
		if (end) {
			char id[65];
			if (end > 64 || *n == max)
				return -1;
			memcpy(id, p, end);
			id[end] = '\0';
			if (!valid_ref(id))
				return -1;
			if (out)
				memcpy(out[*n], id, end + 1);
			(*n)++;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	return 0;
}

static bool has_control(const char *s, bool multiline)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == 0x7f || (c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))))
			return true;
	}
	return false;
}

static int check_value(const sop_field *f, const char *v, sg_err *e)
{
	size_t len = strlen(v);
	size_t max = f->type == FIELD_TEXTAREA ? SOP_VALUE_MAX_TEXTAREA : SOP_VALUE_MAX_TEXT;
	if (len > max)
		return sg_err_set(e, SG_EINVAL, "field '%s' is too long (%zu bytes; at most %zu)",
				  f->name, len, max);
	if (!utf8_valid(v, len))
		return sg_err_set(e, SG_EINVAL, "field '%s' is not valid UTF-8 text", f->name);
	if (has_control(v, f->type == FIELD_TEXTAREA))
		return sg_err_set(e, SG_EINVAL, "field '%s' contains control characters", f->name);
	switch (f->type) {
	case FIELD_NUMBER:
		if (!valid_number(v))
			return sg_err_set(e, SG_EINVAL, "field '%s' must be a number, not '%s'", f->name, v);
		break;
	case FIELD_DATE: {
		int64_t t;
		if (len != 10 || civil_parse(v, civil_zone_default(), &t) != 0)
			return sg_err_set(e, SG_EINVAL, "field '%s' must be a date YYYY-MM-DD, not '%s'",
					  f->name, v);
		break;
	}
	case FIELD_SELECT: {
		for (size_t i = 0; i < f->n_options; i++)
			if (strcmp(f->options[i], v) == 0)
				return 0;
		char opts[800] = "";
		for (size_t i = 0; i < f->n_options; i++) {
			strncat(opts, i ? "', '" : "'", sizeof opts - strlen(opts) - 1);
			strncat(opts, f->options[i], sizeof opts - strlen(opts) - 1);
		}
		strncat(opts, "'", sizeof opts - strlen(opts) - 1);
		return sg_err_set(e, SG_EINVAL, "field '%s' has no option '%s': choose one of %s",
				  f->name, v, opts);
	}
	case FIELD_REF:
		if (f->banyak) {
			size_t n = 0;
			if (sop_ref_list(v, NULL, SOP_REFS_MAX, &n) != 0)
				return sg_err_set(e, SG_EINVAL,
						  "field '%s' names each %s by its id, separated by "
						  "commas (at most %d), not '%s'",
						  f->name, f->entity, SOP_REFS_MAX, v);
		} else if (!valid_ref(v)) {
			return sg_err_set(e, SG_EINVAL, "field '%s' must name the %s by its id, not '%s'",
					  f->name, f->entity, v);
		}
		break;
	default:
		break;
	}
	return 0;
}

int sop_values_check(const sop_field *fields, size_t n_fields, const sop_value *v,
		     size_t n_values, sg_err *e)
{
	for (size_t i = 0; i < n_values; i++) {
		const sop_field *f = NULL;
		for (size_t j = 0; j < n_fields && !f; j++)
			if (strcmp(fields[j].name, v[i].name) == 0)
				f = &fields[j];
		if (f == NULL) {
			char names[800] = "";
			for (size_t j = 0; j < n_fields; j++) {
				strncat(names, j ? ", " : "", sizeof names - strlen(names) - 1);
				strncat(names, fields[j].name, sizeof names - strlen(names) - 1);
			}
			return sg_err_set(e, SG_EINVAL, "unknown field '%s' (fields here: %s)", v[i].name,
					  n_fields ? names : "none");
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(v[k].name, v[i].name) == 0)
				return sg_err_set(e, SG_EINVAL, "field '%s' is given twice", v[i].name);
		if (*v[i].value && check_value(f, v[i].value, e) != 0)
			return -1;
	}
	for (size_t j = 0; j < n_fields; j++) {
		if (!fields[j].required)
			continue;
		bool found = false;
		for (size_t i = 0; i < n_values && !found; i++)
			found = strcmp(v[i].name, fields[j].name) == 0 && *v[i].value;
		if (!found)
			return sg_err_set(e, SG_EINVAL, "required field '%s' (%s) is missing",
					  fields[j].name, fields[j].label);
	}
	return 0;
}

bool sop_role_allowed(const sop_step *st, const char *const *roles, size_t n_roles)
{
	if (st->role == NULL)
		return false;
	for (size_t i = 0; i < n_roles; i++)
		if (strcmp(roles[i], st->role) == 0)
			return true;
	return false;
}
