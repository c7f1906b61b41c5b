/*
 * webutil.c: see webutil.h.
 */
#include <errno.h>
#include <stdlib.h>

#include "webutil.h"

bool webutil_local_path(const char *s)
{
	if (s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '\\')
			return false;
	return true;
}

bool webutil_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (s == NULL || *s == '\0')
		return false;
	/* one way to write a number: digits, a minus only where one may
	 * stand, no sign before a positive and no leading zero */
	const char *d = s + (*s == '-' && min < 0);
	if (*d < '0' || *d > '9' || (*d == '0' && d[1] != '\0'))
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

void webutil_urlencode(buf *out, const char *s, bool keep_slash)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' ||
			     (keep_slash && *p == '/');
		if (plain)
			buf_putc(out, (char)*p);
		else
			buf_printf(out, "%%%02X", *p);
	}
}
