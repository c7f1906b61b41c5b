/*
 * webutil.c: see webutil.h.
 */
#include <string.h>
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

char *webutil_trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* The lines of a textarea, trimmed (webutil.h). */
bool webutil_split_lines(char *text, const char **v, size_t *n, size_t max)
{
	*n = 0;
	for (char *line = text; line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *t = webutil_trim(line);
		if (*t) {
			if (*n == max)
				return false;
			v[(*n)++] = t;
		}
		line = nl ? nl + 1 : NULL;
	}
	return true;
}
