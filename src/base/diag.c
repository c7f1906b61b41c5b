/*
 * diag.c: diagnostics list (see diag.h).
 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (p == NULL)
		abort();
	return p;
}

void diags_add(diags *d, const char *file, int line, int col, const char *fmt, ...)
{
	if (d->n >= (d->limit ? d->limit : DIAGS_MAX)) {
		d->dropped++;
		return;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->v = realloc(d->v, d->cap * sizeof *d->v);
		if (d->v == NULL)
			abort();
	}
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	d->v[d->n++] = (diag){xstrdup(file), line, col, xstrdup(msg)};
}

void diags_free(diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

static void format_one(const diag *g, char *out, size_t n)
{
	if (g->line > 0 && g->col > 0)
		snprintf(out, n, "%s:%d:%d: %s", g->file, g->line, g->col, g->msg);
	else if (g->line > 0)
		snprintf(out, n, "%s:%d: %s", g->file, g->line, g->msg);
	else
		snprintf(out, n, "%s: %s", g->file, g->msg);
}

void diags_print(const diags *d, FILE *out)
{
	char line[1400];
	for (size_t i = 0; i < d->n; i++) {
		format_one(&d->v[i], line, sizeof line);
		fprintf(out, "%s\n", line);
	}
}

void diags_first(const diags *d, char *out, size_t n)
{
	diags_at(d, 0, out, n);
}

void diags_at(const diags *d, size_t i, char *out, size_t n)
{
	if (i < d->n)
		format_one(&d->v[i], out, n);
	else if (d->n == 0 && d->dropped == 0)
		snprintf(out, n, "no error");
	else
		snprintf(out, n, "more problems than are kept (%zu); the first are above",
		         d->n + d->dropped);
}
