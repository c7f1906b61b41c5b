/*
 * mime_decode.h: the decoders under the e-mail parser (mime.c), each a
 * pure function from bytes to bytes, linear in its input: a growable
 * buffer that remembers running out of memory, charsets to UTF-8,
 * base64 and quoted-printable, RFC 2047 encoded words, RFC 2231
 * percent-encoding, HTML to text, text cleaning and the RFC 5322 date.
 * mime_decode.c has the byte decoders, mime_text.c the text ones.
 * They never record problems themselves: each tells what went wrong in
 * its result, and mime.c words it with the part's name.
 */
#ifndef SG_NOTIFY_MIME_DECODE_H
#define SG_NOTIFY_MIME_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- a byte buffer; out of memory is sticky (oom), checked at the end */

typedef struct mbuf {
	char *p; /* NUL-terminated once anything was put */
	size_t n, cap;
	bool oom;
} mbuf;

void mbuf_put(mbuf *b, const void *s, size_t n);
void mbuf_putc(mbuf *b, char ch);
/* The code point cp in UTF-8 (U+FFFD for a surrogate or beyond U+10FFFF). */
void mbuf_put_cp(mbuf *b, uint32_t cp);
void mbuf_free(mbuf *b);
/* The contents as a malloc'd string ("" when empty), b emptied; NULL when
 * memory ran out (b->oom stays set). */
char *mbuf_take(mbuf *b);

/* Where decoded bytes go: kept up to cap bytes, counted always (size).
 * Past cap the bytes kept are dropped and over is set. */
typedef struct mime_sink {
	mbuf b;
	size_t size, cap;
	bool over;
} mime_sink;

void sink_put(mime_sink *k, const void *s, size_t n);

/* ---- charsets */

typedef enum { MIME_CS_UTF8, MIME_CS_1252, MIME_CS_UNKNOWN } mime_cs;

/* The charset named (any case, surrounding quotes and spaces ignored):
 * utf-8 and us-ascii are read as UTF-8, iso-8859-1 as windows-1252 (as
 * browsers do); "" is us-ascii. */
mime_cs mime_charset(const char *name, size_t n);
/* s in charset cs (UNKNOWN: as UTF-8) into UTF-8 in out; returns how many
 * bytes were not valid and became U+FFFD. */
size_t mime_to_utf8(mbuf *out, const char *s, size_t n, mime_cs cs);

/* ---- transfer encodings */

typedef struct mime_dec_result {
	bool bad;      /* base64: a byte outside the alphabet (at bad_at), the rest not read;
	                * quoted-printable: an '=' not followed by two hex digits (kept) */
	size_t bad_at; /* offset in the input of the first bad byte */
	bool partial;  /* base64: the data ends inside a character (its bits dropped) */
} mime_dec_result;

mime_dec_result mime_base64(const char *s, size_t n, mime_sink *k);
mime_dec_result mime_qp(const char *s, size_t n, mime_sink *k);

/* ---- header words */

typedef struct mime_words_result {
	size_t bad_bytes;    /* bytes that were not UTF-8 (after the charset), replaced */
	char unknown_cs[48]; /* the first charset not known, "" none */
} mime_words_result;

/* An unfolded header text with RFC 2047 encoded words (B and Q, in any
 * charset mime_charset knows) into UTF-8: whitespace between two encoded
 * words is dropped, and adjacent words of one charset are joined before
 * conversion (a character may be split between them). Text outside the
 * words is read as UTF-8. */
void mime_words(mbuf *out, const char *s, size_t n, mime_words_result *r);
/* RFC 2231 %XX escapes of s into out (a bad escape is kept as it is). */
void mime_pct_decode(mbuf *out, const char *s, size_t n);

/* ---- text */

/* HTML (UTF-8) to text: tags stripped, comments, script, style, head and
 * title dropped, whitespace runs made one space, a line break for br and
 * the end of each block (p, div, li, tr, h1-h6, ...), &amp; &lt; &gt;
 * &quot; &apos; &nbsp; and &#N; &#xN; decoded. */
void mime_html_text(mbuf *out, const char *s, size_t n);
/* Text sent format=flowed (RFC 3676) as its paragraphs: a line ending
 * in a space joined with the next of the same quote depth (the space
 * dropped when delsp), space-stuffing undone, quoted lines as "> ". */
void mime_unflow(mbuf *out, const char *s, size_t n, bool delsp);
/* Text (UTF-8) as sigap stores it: CRLF and CR made LF, control
 * characters but tab and LF dropped (C1 too), a leading byte-order mark
 * dropped, trailing spaces and tabs of each line and blank lines at either
 * end taken off. */
void mime_text_clean(mbuf *out, const char *s, size_t n);
/* One line (UTF-8): control characters made spaces, whitespace runs one
 * space, trimmed. */
void mime_line_clean(mbuf *out, const char *s, size_t n);

/* The date of an RFC 5322 Date header ("Tue, 3 Dec 2024 09:15:02 +0700",
 * obsolete forms, zone names, and as a last resort "YYYY-MM-DD HH:MM:SS")
 * as Unix time; false when it cannot be read. */
bool mime_date(const char *s, int64_t *out);

#endif
