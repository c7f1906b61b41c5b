/*
 * cef.c: ArcSight Common Event Format, as firewalls, proxies and WAFs send it:
 *
 *   CEF:0|Vendor|Product|1.0|100|Blocked request|7|src=203.0.113.9 dst=10.0.0.5 request=/x
 * act=blocked
 *
 * The seven header fields become cefVersion, deviceVendor, deviceProduct,
 * deviceVersion, deviceEventClassId, name and severity; each extension
 * pair a field named by its key (src, dst, spt, suser, request, act, …).
 * A value runs up to the space before the next "key="; the escapes of the
 * format (\| in the header, \= \\ \n \r in values) are undone, into the
 * event's scratch, only for values that hold a backslash.
 */
#include <string.h>

#include "detect/input/cef.h"

static det_str unescape(det_event *ev, det_str v)
{
	if (memchr(v.p, '\\', v.n) == NULL)
		return v;
	char buf[2048];
	size_t o = 0;
	for (size_t i = 0; i < v.n && o < sizeof buf; i++) {
		char ch = v.p[i];
		if (ch == '\\' && i + 1 < v.n) {
			ch = v.p[++i];
			ch = ch == 'n' ? '\n' : ch == 'r' ? '\r' : ch;
		}
		buf[o++] = ch;
	}
	char *kept = det_event_keep(ev, buf, o);
	return kept ? (det_str){kept, o} : v;
}

static bool key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '.' || ch == '[' || ch == ']' || ch == '-';
}

/* Whether "key=" starts at p (an unescaped '=' after key characters). */
static const char *key_end(const char *p, const char *end)
{
	const char *q = p;
	while (q < end && key_char(*q))
		q++;
	return q > p && q < end && *q == '=' ? q : NULL;
}

static void extension(det_event *ev, const char *p, const char *end)
{
	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		const char *ke = key_end(p, end);
		if (ke == NULL)
			return;
		det_str key = {p, (size_t)(ke - p)};
		const char *v = ke + 1, *q = v, *stop = end;
		while (q < end) {
			if (*q == '\\' && q + 1 < end) {
				q += 2;
				continue;
			}
			if (*q == ' ' && key_end(q + 1, end)) {
				stop = q;
				break;
			}
			q++;
		}
		det_str val = unescape(ev, (det_str){v, (size_t)(stop - v)});
		det_event_add(ev, key.p, key.n, val.p, val.n);
		p = stop;
	}
}

int det_cef_parse(const char *line, size_t n, det_event *ev)
{
	static const char *const names[] = {"cefVersion",    "deviceVendor",       "deviceProduct",
	                                    "deviceVersion", "deviceEventClassId", "name",
	                                    "severity"};
	const char *p = line, *end = line + n;
	if (n < 4 || memcmp(p, "CEF:", 4) != 0)
		return -1;
	p += 4;
	det_str header[7];
	for (int i = 0; i < 7; i++) {
		const char *s = p;
		while (p < end && *p != '|') {
			if (*p == '\\' && p + 1 < end)
				p++;
			p++;
		}
		if (p >= end)
			return -1; /* fewer than seven header fields */
		header[i] = (det_str){s, (size_t)(p - s)};
		p++;
	}
	for (int i = 0; i < 7; i++) {
		det_str v = unescape(ev, header[i]);
		det_event_add(ev, names[i], strlen(names[i]), v.p, v.n);
	}
	extension(ev, p, end);
	return 0;
}
