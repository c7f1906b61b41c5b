/*
 * buf.h: a growable byte buffer, always NUL-terminated.
 *
 * Everything sigap writes piece by piece (HTML, SVG, JSON canonical forms,
 * SQL-free text reports) goes through buf. Lengths are checked before every
 * copy; on out-of-memory the process aborts, as there is no sensible
 * recovery for a writer half done.
 */
#ifndef SG_BUF_H
#define SG_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
	char *data; /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
} buf;

#define BUF_INIT {NULL, 0, 0}

void buf_free(buf *b);
void buf_reset(buf *b);
void buf_reserve(buf *b, size_t extra);
void buf_append(buf *b, const void *p, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
/* The text so far ("" when empty); stays owned by b. */
const char *buf_str(const buf *b);
/* Hands the text to the caller (free() it) and empties b. */
char *buf_steal(buf *b);

/* HTML/XML text with & < > " ' escaped. */
void buf_put_html(buf *b, const char *s);

#endif
