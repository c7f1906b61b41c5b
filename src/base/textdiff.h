/*
 * textdiff.h: the line diff of two texts (Myers' O((N+M)D) algorithm),
 * for showing what changed between two versions of a document.
 */
#ifndef SG_TEXTDIFF_H
#define SG_TEXTDIFF_H

#include <stddef.h>

typedef enum { DIFF_SAME = ' ', DIFF_DEL = '-', DIFF_ADD = '+' } diff_op;

typedef struct diff_line {
	diff_op op;
	const char *text; /* into the text it came from; not NUL-terminated */
	size_t len;       /* without the newline */
} diff_line;

/* The lines of a then b as an edit script from a to b, shortest first
 * (equal lines kept, deleted lines of a before the added lines of b that
 * replace them). *out is malloc'd (free it), *n its length. -1 when a
 * text has more than max_lines lines or the edit is longer than max_d
 * (the work is O((N+M) max_d)); the caller says the texts are too far
 * apart to show. */
int textdiff(const char *a, const char *b, size_t max_lines, size_t max_d, diff_line **out,
             size_t *n);

#endif
