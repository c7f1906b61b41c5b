/*
 * diag.h: a list of diagnostics "FILE:LINE:COL: message".
 *
 * Loaders of user-written files (SOPs, Sigma rules, feeds) report every
 * problem they find, not just the first, each with the place it stands,
 * so an author fixes a file in one pass.
 */
#ifndef SG_DIAG_H
#define SG_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef struct diag {
	char *file;
	int line, col; /* 1-based; 0 when not known */
	char *msg;
} diag;

typedef struct diags {
	diag *v;
	size_t n, cap;
	size_t limit;   /* most kept; 0: DIAGS_MAX */
	size_t dropped; /* past the limit, counted */
} diags;

#define DIAGS_INIT {NULL, 0, 0}
/* More than this many are dropped unless limit says otherwise (a broken
 * file can yield thousands; a rule loader reports one a rule). */
#define DIAGS_MAX 100

void diags_add(diags *d, const char *file, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void diags_free(diags *d);
/* Writes one "FILE:LINE:COL: message" line each. */
void diags_print(const diags *d, FILE *out);
/* The first diagnostic as one string into out. */
void diags_first(const diags *d, char *out, size_t n);
/* Diagnostic i (0-based) as one string into out; past the last kept, a
 * sentence saying so. */
void diags_at(const diags *d, size_t i, char *out, size_t n);

#endif
