/*
 * escape.h: copying text up to its next backslash, 16 bytes a step.
 *
 * Both escape undoers of the readers (JSON's in json.c, Wazuh's doubled
 * Windows escapes in winevent.c) copy the runs between backslashes; in
 * Wazuh alerts a Windows path has one every few bytes, where a memchr and
 * a memcpy call a run cost more than the run. They copy 16 bytes at once
 * and learn where in them the first backslash is.
 */
#ifndef SG_DETECT_ESCAPE_H
#define SG_DETECT_ESCAPE_H

#if defined(__SSE2__)
#include <emmintrin.h>

/* Copies the 16 bytes at src to dst (both must have them) and returns a
 * bit for each backslash among them, bit i for src[i]. */
static inline unsigned copy16_backslashes(char *dst, const char *src)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)src);
	_mm_storeu_si128((__m128i *)(void *)dst, v);
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
}
#endif

#endif
