/*
 * webutil.h: small checks the handlers share.
 */
#ifndef SG_WEB_WEBUTIL_H
#define SG_WEB_WEBUTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"

/* A path on this site ("/kasus?x"), never "//host" or "http:…": the only
 * redirect targets taken from a request. */
bool webutil_local_path(const char *s);
/* Appends s percent-encoded: letters, digits and "-_." stay, and '/'
 * too when keep_slash (a path); every other byte becomes %XX. */
void webutil_urlencode(buf *out, const char *s, bool keep_slash);
/* A whole decimal number in [min, max], written plainly: digits (a
 * minus first where min allows), no plus sign, no leading zero. */
bool webutil_int(const char *s, int64_t min, int64_t max, int64_t *out);
/* s without its leading and trailing blanks (the tail cut in place). */
char *webutil_trim(char *s);
/* The lines of a textarea, trimmed, the empty ones left out, into v
 * (pointers into text, which is changed); false when there are more
 * than max. */
bool webutil_split_lines(char *text, const char **v, size_t *n, size_t max);

#endif
