/*
 * utf8.h: strict UTF-8 validation (no overlongs, no surrogates, nothing
 * above U+10FFFF), for every text that enters sigap from outside.
 */
#ifndef SG_UTF8_H
#define SG_UTF8_H

#include <stdbool.h>
#include <stddef.h>

bool utf8_valid(const char *s, size_t len);
/* The length (1 to 4) of the valid UTF-8 sequence at s, which has avail
 * bytes; 0 when the bytes there are not one (or avail is 0). */
size_t utf8_sequence(const char *s, size_t avail);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s);

#endif
