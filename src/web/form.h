/*
 * form.h: request bodies into parameters: application/x-www-form-urlencoded
 * from a body in memory, and multipart/form-data (RFC 7578) as it arrives,
 * its file parts received into the evidence spool.
 *
 * The parsers trust nothing: every length is checked against the buffer,
 * names and values must be UTF-8 without NUL, the number of fields and
 * parts is bounded, and any malformation is an error with a message,
 * leaving the output empty. They are pure functions, fuzzed in tests.
 */
#ifndef SG_WEB_FORM_H
#define SG_WEB_FORM_H

#include "base/err.h"
#include "http.h"

enum { FORM_MAX_FIELDS = 200 };

int form_parse_urlencoded(const char *body, size_t len, web_params *out, sg_err *e);
/* A multipart body read piece by piece. content_type is the whole header
 * value (it carries the boundary). Fields go to params, at most text_max
 * bytes of them (SG_ETOOBIG beyond); file parts to files, received into
 * the evidence spool of the app spool, or refused when spool is NULL. */
typedef struct form_reader form_reader;
form_reader *form_multipart_new(const char *content_type, app *spool, size_t text_max,
                                web_params *params, web_files *files, sg_err *e);
/* Files of f each at most max bytes instead of [evidence] max_size (a
 * scanner report's route: [kerentanan] max_report_size). */
void form_multipart_file_max(form_reader *f, int64_t max);
/* Whether the part being read is a file (a refusal is then the file's). */
bool form_multipart_in_file(const form_reader *f);
int form_multipart_feed(form_reader *f, const char *p, size_t n, sg_err *e);
/* The body ended: -1 unless it was whole. */
int form_multipart_finish(form_reader *f, sg_err *e);
/* Bytes of field values held so far. */
size_t form_multipart_text_bytes(const form_reader *f);
/* Frees the reader; a file part being received is removed. */
void form_multipart_free(form_reader *f);
/* Checks a name or value: valid UTF-8, no NUL. */
bool form_text_ok(const char *s, size_t n);

#endif
