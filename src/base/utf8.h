/*
 * utf8.h: strict UTF-8 validation (no overlongs, no surrogates, nothing
 * above U+10FFFF), for every text that enters sigap from outside.
 */
#ifndef SG_UTF8_H
#define SG_UTF8_H

#include <stdbool.h>
#include <stddef.h>

bool utf8_valid(const char *s, size_t len);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s);

#endif
