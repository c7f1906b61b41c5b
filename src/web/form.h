/*
 * form.h: request bodies into parameters: application/x-www-form-urlencoded
 * and multipart/form-data (RFC 7578), parsed from a body already in memory.
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

enum { FORM_MAX_FIELDS = 200, FORM_MAX_PARTS = 64, FORM_MAX_PART_HEADER = 4096 };

int form_parse_urlencoded(const char *body, size_t len, web_params *out, sg_err *e);
/* content_type is the whole header value (carries the boundary). File
 * parts point into body; body must outlive out. */
int form_parse_multipart(const char *content_type, const char *body, size_t len, web_params *params,
                         web_files *files, sg_err *e);
/* Checks a name or value: valid UTF-8, no NUL. */
bool form_text_ok(const char *s, size_t n);

#endif
