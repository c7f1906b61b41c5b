/*
 * lines.c: bounded line reading (see lines.h). One buffer of twice the
 * bound; lines are found with memchr and handed out in place.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lines.h"

void lines_open(line_reader *r, int fd, size_t max_line)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
	r->max = max_line;
	r->cap = max_line * 2 + 1;
	r->buf = malloc(r->cap);
	if (r->buf == NULL)
		abort();
}

void lines_close(line_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* Moves the unread bytes to the front and reads more; -1 on error. */
static int fill(line_reader *r)
{
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	for (;;) {
		ssize_t got = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			r->eof = 1;
		r->end += (size_t)got;
		return 0;
	}
}

int lines_next(line_reader *r, const char **line, size_t *n)
{
	bool skipping = false; /* inside a line longer than the bound */
	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (nl) {
			size_t len = (size_t)(nl - (r->buf + r->start));
			const char *s = r->buf + r->start;
			r->start += len + 1;
			r->bytes += len + 1;
			if (skipping) {
				skipping = false;
				continue;
			}
			*line = s;
			*n = len;
			return 1;
		}
		size_t pending = r->end - r->start;
		if (pending > r->max || (skipping && pending > 0)) {
			if (!skipping)
				r->oversize++;
			skipping = true;
			r->bytes += pending;
			r->start = r->end = 0;
			pending = 0;
		}
		if (r->eof) {
			if (pending == 0)
				return 0;
			*line = r->buf + r->start;
			*n = pending;
			r->start = r->end;
			r->bytes += pending;
			return 1;
		}
		if (fill(r) != 0)
			return -1;
	}
}
