/*
 * textdiff.c: line diff by Myers' greedy algorithm ("An O(ND) Difference
 * Algorithm and Its Variations", 1986), keeping each round's frontier so
 * that the path can be walked back. Lines are compared by length, then
 * bytes. Memory is O((D+1)^2) for the frontiers, bounded by max_d.
 */
#include "textdiff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct line {
	const char *s;
	size_t len;
} line;

/* The lines of t (a last line without a newline counts; an empty text
 * has none); -1 past max. */
static long split(const char *t, line **out, size_t max)
{
	size_t cap = 64, n = 0;
	line *v = malloc(cap * sizeof *v);
	if (v == NULL)
		return -1;
	for (const char *p = t; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (n == max) {
			free(v);
			return -1;
		}
		if (n == cap) {
			line *w = realloc(v, (cap *= 2) * sizeof *v);
			if (w == NULL) {
				free(v);
				return -1;
			}
			v = w;
		}
		/* a carriage return before the newline is not part of the line */
		v[n++] = (line){p, len && p[len - 1] == '\r' ? len - 1 : len};
		p += len + (nl != NULL);
	}
	*out = v;
	return (long)n;
}

static int same(const line *x, const line *y)
{
	return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

int textdiff(const char *a, const char *b, size_t max_lines, size_t max_d, diff_line **out,
             size_t *n_out)
{
	line *x = NULL, *y = NULL;
	long n = split(a, &x, max_lines), m = n < 0 ? -1 : split(b, &y, max_lines);
	if (n < 0 || m < 0) {
		free(x);
		return -1;
	}
	long max = n + m;
	if ((size_t)max > max_d)
		max = (long)max_d;
	/* v[d] is the frontier after d edits: furthest x on each diagonal k
	 * (index k + d), 2d+1 entries */
	long **v = calloc((size_t)max + 1, sizeof *v);
	long d_end = -1;
	if (v == NULL)
		goto fail;
	for (long d = 0; d <= max && d_end < 0; d++) {
		v[d] = malloc((size_t)(2 * d + 1) * sizeof **v);
		if (v[d] == NULL)
			goto fail;
		for (long k = -d; k <= d; k += 2) {
			long px;
			if (d == 0)
				px = 0;
			else if (k == -d || (k != d && v[d - 1][k - 1 + (d - 1)] < v[d - 1][k + 1 + (d - 1)]))
				px = v[d - 1][k + 1 + (d - 1)]; /* down: an insertion */
			else
				px = v[d - 1][k - 1 + (d - 1)] + 1; /* right: a deletion */
			long py = px - k;
			while (px < n && py < m && same(&x[px], &y[py])) {
				px++;
				py++;
			}
			v[d][k + d] = px;
			if (px >= n && py >= m) {
				d_end = d;
				break;
			}
		}
	}
	if (d_end < 0)
		goto fail; /* further apart than max_d */
	/* walk back from (n, m) to (0, 0), writing the script from its end */
	size_t total = (size_t)(n + m), k_out = total;
	diff_line *s = malloc((total ? total : 1) * sizeof *s);
	if (s == NULL)
		goto fail;
	long px = n, py = m;
	for (long d = d_end; d >= 0; d--) {
		long k = px - py, prev_k, prev_x;
		if (d == 0) {
			prev_k = 0;
			prev_x = 0;
		} else if (k == -d || (k != d && v[d - 1][k - 1 + (d - 1)] < v[d - 1][k + 1 + (d - 1)])) {
			prev_k = k + 1;
			prev_x = v[d - 1][prev_k + (d - 1)];
		} else {
			prev_k = k - 1;
			prev_x = v[d - 1][prev_k + (d - 1)];
		}
		long prev_y = prev_x - prev_k;
		/* the snake: equal lines back to where this edit ended */
		long start_x = d == 0 ? 0 : (prev_k == k + 1 ? prev_x : prev_x + 1);
		while (px > start_x) {
			px--;
			py--;
			s[--k_out] = (diff_line){DIFF_SAME, x[px].s, x[px].len};
		}
		if (d > 0) {
			if (prev_k == k + 1) /* an insertion of y[prev_y] */
				s[--k_out] = (diff_line){DIFF_ADD, y[prev_y].s, y[prev_y].len};
			else /* a deletion of x[prev_x] */
				s[--k_out] = (diff_line){DIFF_DEL, x[prev_x].s, x[prev_x].len};
		}
		px = prev_x;
		py = prev_y;
	}
	size_t used = total - k_out;
	memmove(s, s + k_out, used * sizeof *s);
	/* deletions before the insertions that replace them */
	for (size_t i = 0; i < used;) {
		size_t j = i;
		while (j < used && s[j].op != DIFF_SAME)
			j++;
		if (j - i > 1) {
			diff_line *tmp = malloc((j - i) * sizeof *tmp);
			if (tmp == NULL) {
				free(s);
				goto fail;
			}
			size_t t = 0;
			for (size_t q = i; q < j; q++)
				if (s[q].op == DIFF_DEL)
					tmp[t++] = s[q];
			for (size_t q = i; q < j; q++)
				if (s[q].op == DIFF_ADD)
					tmp[t++] = s[q];
			memcpy(s + i, tmp, (j - i) * sizeof *tmp);
			free(tmp);
		}
		i = j + 1;
	}
	for (long d = 0; d <= max; d++)
		free(v[d]);
	free(v);
	free(x);
	free(y);
	*out = s;
	*n_out = used;
	return 0;
fail:
	if (v)
		for (long d = 0; d <= max; d++)
			free(v[d]);
	free(v);
	free(x);
	free(y);
	return -1;
}
