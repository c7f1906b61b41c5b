/*
 * access.c: web server access logs in the Common and Combined formats
 * (Apache's and Nginx's defaults):
 *
 *   203.0.113.9 - budi [23/Nov/2026:08:00:01 +0700] "GET /a.php?x=1 HTTP/1.1" 200 512 "ref" "UA"
 *
 * Fields are named as Sigma's webserver taxonomy names them (c-ip,
 * cs-method, c-uri, cs-uri-stem, cs-uri-query, c-uri-extension,
 * cs-version, sc-status, sc-bytes, cs-referer, c-useragent, cs-user), so
 * the SigmaHQ web rules match without a mapping. Values are slices of the
 * line; the request line keeps its escapes ("\x22"), as the server wrote it.
 */
#include <string.h>

#include "detect/input/access.h"
#include "base/civil.h"

typedef struct cursor {
	const char *p, *end;
} cursor;

static det_str until(cursor *c, char stop)
{
	const char *s = c->p, *at = memchr(s, stop, (size_t)(c->end - s));
	c->p = at ? at : c->end;
	return (det_str){s, (size_t)(c->p - s)};
}

static bool eat(cursor *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

/* A quoted string; Apache escapes '"' inside as \" so a backslash skips. */
static bool quoted(cursor *c, det_str *out)
{
	if (!eat(c, '"'))
		return false;
	const char *s = c->p, *q = memchr(s, '"', (size_t)(c->end - s));
	if (q && memchr(s, '\\', (size_t)(q - s)) == NULL) {
		c->p = q; /* no backslash before the quote: it closes the string */
	} else {
		while (c->p < c->end && *c->p != '"') {
			if (*c->p == '\\' && c->p + 1 < c->end)
				c->p++;
			c->p++;
		}
		if (c->p >= c->end)
			return false;
	}
	*out = (det_str){s, (size_t)(c->p - s)};
	c->p++;
	return true;
}

static int num(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + p[i] - '0';
	}
	return v;
}

/* "23/Nov/2026:08:00:01 +0700" (26 bytes). */
static bool stamp(det_str s, int64_t *out)
{
	const char *p = s.p;
	if (s.n != 26 || p[2] != '/' || p[6] != '/' || p[11] != ':' || p[14] != ':' ||
	    p[17] != ':' || p[20] != ' ' || (p[21] != '+' && p[21] != '-'))
		return false;
	int mo = civil_month_abbr(p + 3);
	int d = num(p, 2), y = num(p + 7, 4), h = num(p + 12, 2), mi = num(p + 15, 2),
	    sec = num(p + 18, 2), oh = num(p + 22, 2), om = num(p + 24, 2);
	if (mo == 0 || d < 0 || y < 0 || h < 0 || mi < 0 || sec < 0 || oh < 0 || om < 0 ||
	    !civil_valid_date(y, mo, d) || h > 23 || mi > 59 || sec > 60)
		return false;
	int off = (oh * 60 + om) * (p[21] == '-' ? -1 : 1);
	*out = civil_days_from_date(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off * 60;
	return true;
}

/* Adds a field unless its value is empty or "-" (the format's nil). */
static void add(det_event *ev, const char *name, size_t name_len, det_str v)
{
	if (v.n > 0 && !(v.n == 1 && v.p[0] == '-'))
		det_event_add(ev, name, name_len, v.p, v.n);
}
#define NAME(s) s, sizeof s - 1 /* a field name and its length */

/* Splits "METHOD URI VERSION" into its fields, the URI into stem, query
 * and extension. A request line that is not three words (a probe sending
 * garbage) is kept whole as c-uri. */
static void request(det_event *ev, det_str r)
{
	cursor c = {r.p, r.p + r.n};
	det_str method = until(&c, ' ');
	if (!eat(&c, ' ')) {
		add(ev, NAME("c-uri"), r);
		return;
	}
	/* The version is the last word: the URI may hold spaces in bad requests. */
	const char *last = c.end;
	while (last > c.p && last[-1] != ' ')
		last--;
	det_str uri = {c.p, (size_t)(last > c.p ? last - 1 - c.p : c.end - c.p)};
	det_str version = {last, (size_t)(c.end - last)};
	if (last <= c.p)
		version.n = 0;
	add(ev, NAME("cs-method"), method);
	add(ev, NAME("c-uri"), uri);
	add(ev, NAME("cs-version"), version);
	const char *q = memchr(uri.p, '?', uri.n);
	det_str stem = {uri.p, q ? (size_t)(q - uri.p) : uri.n};
	add(ev, NAME("cs-uri-stem"), stem);
	if (q)
		add(ev, NAME("cs-uri-query"), (det_str){q + 1, uri.n - stem.n - 1});
	for (size_t i = stem.n; i > 0; i--) {
		char ch = stem.p[i - 1];
		if (ch == '/')
			break;
		if (ch == '.') {
			add(ev, NAME("c-uri-extension"), (det_str){stem.p + i, stem.n - i});
			break;
		}
	}
}

int det_access_parse(const char *line, size_t n, det_event *ev)
{
	cursor c = {line, line + n};
	det_str ip = until(&c, ' '), ident, user, when, req, status, bytes, ref = {0}, ua = {0};
	if (ip.n == 0 || !eat(&c, ' '))
		return -1;
	ident = until(&c, ' ');
	if (!eat(&c, ' '))
		return -1;
	user = until(&c, ' ');
	(void)ident;
	if (!eat(&c, ' ') || !eat(&c, '['))
		return -1;
	when = until(&c, ']');
	int64_t t;
	if (!eat(&c, ']') || !stamp(when, &t) || !eat(&c, ' ') || !quoted(&c, &req) ||
	    !eat(&c, ' '))
		return -1;
	status = until(&c, ' ');
	if (status.n != 3 || num(status.p, 3) < 0 || !eat(&c, ' '))
		return -1;
	bytes = until(&c, ' ');
	if (eat(&c, ' ') && quoted(&c, &ref) && eat(&c, ' '))
		quoted(&c, &ua);
	ev->time = t;
	add(ev, NAME("c-ip"), ip);
	add(ev, NAME("cs-user"), user);
	request(ev, req);
	add(ev, NAME("sc-status"), status);
	add(ev, NAME("sc-bytes"), bytes);
	add(ev, NAME("cs-referer"), ref);
	add(ev, NAME("c-useragent"), ua);
	return 0;
}
