/*
 * log.h: what a running sigap tells its operator, one line a message on
 * standard error, in one of two forms:
 *   - JSON (sigap serve): {"at":"2026-12-05T10:00:00+07:00","level":"warn",
 *     "msg":"…", …fields}: journald and any log shipper keep and parse it,
 *     and the access log's lines are the same objects;
 *   - text (the other commands, run by a person): "sigap: …".
 * Lines under the level set are not written. A line is written with one
 * call, so lines of several threads never interleave.
 */
#ifndef SG_LOG_H
#define SG_LOG_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

typedef enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

/* The form and the least level written (the default: text, info). */
void log_setup(bool json, log_level min);
/* The zone of the time of each line (sigap serve: [kalender] zona). */
struct civil_zone;
void log_set_zone(const struct civil_zone *z);
/* Where the lines go (NULL: standard error, the default): for tests. */
void log_sink(FILE *f);
/* "debug", "info", "warn" or "error"; -1 for another word. */
int log_level_parse(const char *s, log_level *out);
/* Whether a line of level l is written. */
bool log_on(log_level l);

/* A message. */
void log_say(log_level l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A message with fields: fields is a JSON object's text ("{…}", NULL:
 * none), its members written after "msg" (in the text form, after the
 * message). */
void log_with(log_level l, const char *fields, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Each of d's problems a line ("FILE:LINE:COL: message", with file, line
 * and col as fields in JSON), and a line for those past its limit. */
void log_diags(log_level l, const diags *d);

#endif
