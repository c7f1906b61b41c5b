/*
 * download.c: how an evidence file leaves the server: under the name it
 * was attached with, made safe, and with a content type a browser cannot
 * turn into a page of this site.
 *
 * The name is the uploader's: it may hold path separators ("../../x"),
 * quotes that would end the header's quoted string, control characters
 * (a line break would split the header), markup and shell or Windows
 * specials (< > : * ? | %), or bytes that are not UTF-8. The
 * last path component is kept, those characters dropped and leading dots
 * removed; Content-Disposition then carries it twice (RFC 6266): an ASCII
 * filename="…" with every other byte as '_', for old clients, and
 * filename*=UTF-8''… percent-encoded (RFC 8187), which browsers prefer.
 *
 * The type comes from a small allow-list by extension; everything else is
 * application/octet-stream. Only images and PDF, which a browser shows
 * without running anything of the site, are served inline; every other
 * file is an attachment, so an uploaded .html or .svg is saved, never
 * rendered. X-Content-Type-Options: nosniff is on every answer
 * (request.c), so the browser keeps to the type given.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "download.h"
#include "webutil.h"

enum { NAME_MAX_BYTES = 180 };

static const struct {
	const char *ext, *type;
	bool inline_ok;
} types[] = {
    {"pdf", "application/pdf", true},
    {"png", "image/png", true},
    {"jpg", "image/jpeg", true},
    {"jpeg", "image/jpeg", true},
    {"gif", "image/gif", true},
    {"txt", "text/plain; charset=utf-8", false},
    {"log", "text/plain; charset=utf-8", false},
    {"csv", "text/csv; charset=utf-8", false},
    {"json", "application/json", false},
};

void download_safe_name(const char *in, const char *fallback, char *out, size_t n)
{
	const char *base = in ? in : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)base; *p && k + 1 < n; p++) {
		if (*p < 0x20 || *p == 0x7f || strchr("\"'`;<>:*?|%", *p))
			continue;
		if (k == 0 && (*p == '.' || *p == ' '))
			continue;
		out[k++] = (char)*p;
	}
	out[k] = '\0';
	/* Cut to a bound on a character boundary, then drop an invalid tail. */
	if (k > NAME_MAX_BYTES) {
		k = NAME_MAX_BYTES;
		while (k > 0 && ((unsigned char)out[k] & 0xC0) == 0x80)
			k--;
		out[k] = '\0';
	}
	while (k > 0 && (out[k - 1] == ' ' || out[k - 1] == '.'))
		out[--k] = '\0';
	if (k == 0 || !utf8_valid(out, k))
		snprintf(out, n, "%s", fallback);
}

const char *download_type(const char *name, bool *inline_ok)
{
	const char *dot = strrchr(name, '.');
	*inline_ok = false;
	if (dot)
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcasecmp(dot + 1, types[i].ext) == 0) {
				*inline_ok = types[i].inline_ok;
				return types[i].type;
			}
	return "application/octet-stream";
}

void download_evidence(web_res *res, char *path, const char *filename, const char *sha256)
{
	char fallback[32], name[NAME_MAX_BYTES + 8];
	snprintf(fallback, sizeof fallback, "bukti-%.12s", sha256);
	download_safe_name(filename, fallback, name, sizeof name);
	bool inline_ok;
	res->file_path = path;
	res->content_type = download_type(name, &inline_ok);
	buf d = BUF_INIT;
	buf_printf(&d, "%s; filename=\"", inline_ok ? "inline" : "attachment");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		buf_putc(&d, *p < 0x80 && *p != '\\' && *p != '%' ? (char)*p : '_');
	buf_puts(&d, "\"; filename*=UTF-8''");
	webutil_urlencode(&d, name, false);
	web_res_header(res, "Content-Disposition", buf_str(&d));
	buf_free(&d);
}
