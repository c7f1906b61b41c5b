/*
 * ydoc.c: YAML documents with marks, over libyaml's document loader
 * (see ydoc.h).
 */
#include "ydoc.h"

#include <stdbool.h>
#include <string.h>

void ydoc_open(ydoc *y, const char *data, size_t len, const char *file)
{
	memset(y, 0, sizeof *y);
	y->file = file;
	y->data = data;
	y->len = len;
	yaml_parser_initialize(&y->parser);
	yaml_parser_set_input_string(&y->parser, (const unsigned char *)data, len);
	y->parser_open = true;
}

/* The innermost '[' or '{' of data[0..n) left open, outside quotes and
 * comments, into at (index, line, column); false when none is. */
static bool open_bracket(const char *data, size_t n, yaml_mark_t *at)
{
	enum { DEPTH = 64 };
	yaml_mark_t stack[DEPTH];
	int depth = 0;
	size_t line = 0, col = 0;
	char quote = 0;
	bool comment = false;
	for (size_t i = 0; i < n; i++) {
		char c = data[i];
		if (comment) {
			comment = c != '\n';
		} else if (quote) {
			if (quote == '"' && c == '\\' && i + 1 < n) {
				i++;
				col++;
			} else if (c == quote) {
				quote = 0;
			}
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '#' && (i == 0 || data[i - 1] == ' ' || data[i - 1] == '\t' ||
		                        data[i - 1] == '\n')) {
			comment = true;
		} else if ((c == '[' || c == '{') && depth < DEPTH) {
			stack[depth++] = (yaml_mark_t){i, line, col};
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
		if (c == '\n') {
			line++;
			col = 0;
		} else {
			col++;
		}
	}
	if (depth == 0)
		return false;
	*at = stack[depth - 1];
	return true;
}

int ydoc_next(ydoc *y, diags *d)
{
	if (y->doc_open) {
		yaml_document_delete(&y->doc);
		y->doc_open = false;
	}
	y->visits = 0;
	if (!yaml_parser_load(&y->parser, &y->doc)) {
		yaml_mark_t at = y->parser.problem_mark;
		if (y->parser.error == YAML_READER_ERROR) {
			/* The reader gives a byte offset, not a mark: count lines. */
			at.line = at.column = 0;
			for (size_t i = 0; i < y->parser.problem_offset && i < y->len; i++) {
				if (y->data[i] == '\n') {
					at.line++;
					at.column = 0;
				} else {
					at.column++;
				}
			}
		}
		const yaml_mark_t *m = &at;
		const char *what = y->parser.problem ? y->parser.problem : "invalid YAML";
		/* the construct left open is named where it began ("while parsing
		 * a flow sequence" started at 1:7), besides where it was noticed:
		 * often the end of the file */
		yaml_mark_t begun = y->parser.context_mark;
		const char *context = y->parser.context;
		/* a flow node awaited at the end: libyaml's context is the
		 * node's own place; the bracket left open is the one to name */
		if (context && strstr(context, "flow") && begun.index == at.index &&
		    open_bracket(y->data, at.index < y->len ? at.index : y->len, &begun))
			context = y->data[begun.index] == '[' ? "while parsing a flow sequence"
			                                       : "while parsing a flow mapping";
		if (context)
			diags_add(d, y->file, (int)m->line + 1, (int)m->column + 1,
				  "%s (begun at %d:%d) %s", context, (int)begun.line + 1,
				  (int)begun.column + 1, what);
		else
			diags_add(d, y->file, (int)m->line + 1, (int)m->column + 1, "%s", what);
		return -1;
	}
	y->doc_open = true;
	return yaml_document_get_root_node(&y->doc) ? 1 : 0;
}

void ydoc_close(ydoc *y)
{
	if (y->doc_open)
		yaml_document_delete(&y->doc);
	if (y->parser_open)
		yaml_parser_delete(&y->parser);
	y->doc_open = y->parser_open = false;
}

yaml_node_t *ydoc_root(ydoc *y)
{
	return y->doc_open ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *ydoc_get(ydoc *y, int id)
{
	return yaml_document_get_node(&y->doc, id);
}

bool ydoc_visit(ydoc *y)
{
	return ++y->visits <= YDOC_MAX_VISITS;
}

const char *ydoc_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

bool ydoc_is_null(const yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return false;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = (const char *)n->data.scalar.value;
	return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	       strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

const char *ydoc_kind_name(const yaml_node_t *n)
{
	if (n == NULL)
		return "nothing";
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a scalar";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

yaml_node_t *ydoc_map_get(ydoc *y, yaml_node_t *map, const char *key)
{
	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = ydoc_scalar(ydoc_get(y, p->key));
		if (k && strcmp(k, key) == 0)
			return ydoc_get(y, p->value);
	}
	return NULL;
}
