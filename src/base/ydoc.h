/*
 * ydoc.h: a YAML document with line and column for every node (libyaml).
 *
 * SOP files and Sigma rules are loaded as a libyaml node tree, then walked
 * against a schema by their own loaders; every node keeps its start mark
 * so each error names FILE:LINE:COL. Aliases are references into the same
 * tree, so a walker counts the nodes it visits (ydoc_visit) and stops a
 * "billion laughs" document before it costs more than YDOC_MAX_VISITS.
 */
#ifndef SG_YDOC_H
#define SG_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "diag.h"

#define YDOC_MAX_BYTES (1 << 20)
#define YDOC_MAX_VISITS 200000

typedef struct ydoc {
	yaml_parser_t parser;
	yaml_document_t doc;
	bool parser_open, doc_open;
	const char *file;
	const char *data; /* the text, for placing reader errors */
	size_t len;
	long visits;
} ydoc;

/* Starts reading YAML from data (not copied: it must outlive y). */
void ydoc_open(ydoc *y, const char *data, size_t len, const char *file);
/* Loads the next document. Returns 1 when loaded, 0 at the end of the
 * stream, -1 on a syntax error (reported to d). */
int ydoc_next(ydoc *y, diags *d);
void ydoc_close(ydoc *y);

yaml_node_t *ydoc_root(ydoc *y);
yaml_node_t *ydoc_get(ydoc *y, int id);
/* Counts a visited node; false once the document is too costly to walk. */
bool ydoc_visit(ydoc *y);

static inline int ydoc_line(const yaml_node_t *n) { return (int)n->start_mark.line + 1; }
static inline int ydoc_col(const yaml_node_t *n) { return (int)n->start_mark.column + 1; }

/* The value of key in mapping map (NULL when map is no mapping or has
 * no such key; the first when it is given twice). */
yaml_node_t *ydoc_map_get(ydoc *y, yaml_node_t *map, const char *key);
/* The scalar's text, or NULL for a non-scalar. */
const char *ydoc_scalar(const yaml_node_t *n);
/* True for a plain (unquoted) scalar "null", "~" or empty. */
bool ydoc_is_null(const yaml_node_t *n);

const char *ydoc_kind_name(const yaml_node_t *n);

#endif
