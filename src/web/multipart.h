/*
 * multipart.h: a multipart/form-data body (RFC 7578, RFC 2046 §5.1) read
 * as it arrives, in pieces of any size.
 *
 * The reader finds the parts and their headers and hands each part's
 * bytes to a sink as they come, so a 25 MB upload never sits in memory:
 * what the reader keeps is one part's header block (at most
 * MP_MAX_HEADER bytes) and the last few bytes that may begin a boundary.
 * Every byte is looked at a bounded number of times, so reading is linear
 * in the body whatever the split. Malformed input is an error with a
 * message, never a crash (fuzzed, and split at random in tests).
 */
#ifndef SG_WEB_MULTIPART_H
#define SG_WEB_MULTIPART_H

#include <stddef.h>

#include "base/err.h"

enum { MP_MAX_HEADER = 4096, MP_MAX_PARTS = 64, MP_MAX_NAME = 256 };

typedef struct mp_sink {
	/* A part begins: its form field name, and for a file part the file
	 * name as sent (NULL for a plain field) and its Content-Type (never
	 * NULL). Names are NUL-terminated and hold no NUL. */
	int (*begin)(void *ctx, const char *name, const char *filename, const char *content_type,
	             sg_err *e);
	/* The next bytes of the part's content. */
	int (*data)(void *ctx, const char *p, size_t n, sg_err *e);
	/* The part ended. */
	int (*end)(void *ctx, sg_err *e);
} mp_sink;

typedef struct mp_reader mp_reader;

/* content_type is the request's header value (it carries the boundary).
 * NULL with e when it names no valid boundary. */
mp_reader *mp_new(const char *content_type, const mp_sink *sink, void *ctx, sg_err *e);
/* Reads the next piece of the body; -1 with e when the body is malformed
 * or a sink refused (the reader then refuses everything after). */
int mp_feed(mp_reader *m, const char *p, size_t n, sg_err *e);
/* The body has ended: -1 unless the closing boundary was read. */
int mp_finish(mp_reader *m, sg_err *e);
void mp_free(mp_reader *m);

#endif
