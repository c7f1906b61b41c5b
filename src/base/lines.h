/*
 * lines.h: lines from a file descriptor, with a bound on their length.
 *
 * Log readers (sigap detect, the alerts.json follower, the syslog TCP
 * listener) take lines from untrusted input: a line longer than the bound
 * is skipped up to its newline and counted, never buffered whole, so a
 * 1 GB line costs the reader max_line bytes of memory.
 */
#ifndef SG_LINES_H
#define SG_LINES_H

#include <stddef.h>
#include <stdint.h>

typedef struct line_reader {
	int fd;
	char *buf;
	size_t cap, start, end, max;
	int eof;
	uint64_t bytes;    /* consumed so far */
	uint64_t oversize; /* lines skipped for their length */
} line_reader;

void lines_open(line_reader *r, int fd, size_t max_line);
void lines_close(line_reader *r);
/* The next line without its '\n' (it stays valid until the next call).
 * 1: a line; 0: end of input; -1: read error (errno set). A last line
 * without a newline is returned too. */
int lines_next(line_reader *r, const char **line, size_t *n);

#endif
