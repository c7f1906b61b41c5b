/*
 * form.c: urlencoded and multipart request bodies into parameters and
 * files. See form.h for the rules; every loop here is linear in the body.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "form.h"

bool form_text_ok(const char *s, size_t n)
{
	return memchr(s, '\0', n) == NULL && utf8_valid(s, n);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes one urlencoded component in place into out (len bytes at most);
 * returns the decoded length or -1 on a bad escape. */
static long url_decode(const char *s, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			out[k++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= n)
				return -1;
			int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			out[k++] = (char)(h * 16 + l);
			i += 2;
		} else {
			out[k++] = s[i];
		}
	}
	return (long)k;
}

int form_parse_urlencoded(const char *body, size_t len, web_params *out, sg_err *e)
{
	char *tmp = malloc(len + 1);
	if (tmp == NULL)
		return sg_err_set(e, SG_ENOMEM, "out of memory reading the form");
	size_t i = 0;
	int r = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && body[end] != '&')
			end++;
		if (end > i) {
			size_t eq = i;
			while (eq < end && body[eq] != '=')
				eq++;
			if (out->n == FORM_MAX_FIELDS) {
				r = sg_err_set(e, SG_EINVAL, "the form has more than %d fields",
				               FORM_MAX_FIELDS);
				break;
			}
			long nl = url_decode(body + i, eq - i, tmp);
			if (nl < 0 || !form_text_ok(tmp, (size_t)nl)) {
				r = sg_err_set(e, SG_EINVAL,
				               "a field name of the form is not valid text");
				break;
			}
			size_t vstart = eq < end ? eq + 1 : end;
			long vl = url_decode(body + vstart, end - vstart, tmp + nl);
			if (vl < 0 || !form_text_ok(tmp + nl, (size_t)vl)) {
				tmp[nl] = '\0';
				r = sg_err_set(
				    e, SG_EINVAL,
				    "the value of form field '%.60s' is not valid UTF-8 text", tmp);
				break;
			}
			web_params_add(out, tmp, (size_t)nl, tmp + nl, (size_t)vl);
		}
		i = end + 1;
	}
	free(tmp);
	if (r != 0)
		web_params_free(out);
	return r;
}

/* The value of a parameter in a header such as
 * `form-data; name="x"; filename="y"` into out; quoted or token. Returns
 * the length, or -1 when absent or malformed. */
static long header_param(const char *h, size_t hn, const char *key, char *out, size_t cap)
{
	size_t kl = strlen(key);
	size_t i = 0;
	while (i < hn) {
		/* at a ';' boundary: skip to the next parameter */
		while (i < hn && h[i] != ';')
			i++;
		if (i == hn)
			return -1;
		i++;
		while (i < hn && (h[i] == ' ' || h[i] == '\t'))
			i++;
		if (hn - i > kl && strncasecmp(h + i, key, kl) == 0 && h[i + kl] == '=') {
			i += kl + 1;
			size_t k = 0;
			if (i < hn && h[i] == '"') {
				i++;
				while (i < hn && h[i] != '"') {
					if (h[i] == '\\' && i + 1 < hn)
						i++;
					if (k + 1 >= cap)
						return -1;
					out[k++] = h[i++];
				}
				if (i == hn)
					return -1; /* unterminated quote */
			} else {
				while (i < hn && h[i] != ';' && h[i] != ' ' && h[i] != '\t') {
					if (k + 1 >= cap)
						return -1;
					out[k++] = h[i++];
				}
			}
			out[k] = '\0';
			return (long)k;
		}
	}
	return -1;
}

/* Finds a header line's value (case-insensitive name) in a part's header
 * block; returns its start and length through v/vn. */
static bool part_header(const char *h, size_t hn, const char *name, const char **v, size_t *vn)
{
	size_t nl = strlen(name);
	size_t i = 0;
	while (i < hn) {
		size_t end = i;
		while (end + 1 < hn && !(h[end] == '\r' && h[end + 1] == '\n'))
			end++;
		if (end + 1 >= hn)
			end = hn;
		if (end - i > nl && strncasecmp(h + i, name, nl) == 0 && h[i + nl] == ':') {
			size_t s = i + nl + 1;
			while (s < end && (h[s] == ' ' || h[s] == '\t'))
				s++;
			*v = h + s;
			*vn = end - s;
			return true;
		}
		i = end + 2;
	}
	return false;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/'), *b = strrchr(p, '\\');
	if (b && (!s || b > s))
		s = b;
	return s ? s + 1 : p;
}

static void files_add(web_files *f, const char *field, const char *filename, const char *ctype,
                      const char *data, size_t len)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 4;
		f->v = realloc(f->v, f->cap * sizeof *f->v);
		if (f->v == NULL)
			abort();
	}
	web_file *w = &f->v[f->n++];
	w->field = strdup(field);
	w->filename = strdup(filename);
	w->content_type = strdup(ctype);
	if (!w->field || !w->filename || !w->content_type)
		abort();
	w->data = data;
	w->len = len;
}

int form_parse_multipart(const char *content_type, const char *body, size_t len, web_params *params,
                         web_files *files, sg_err *e)
{
	char boundary[80];
	long bl =
	    header_param(content_type, strlen(content_type), "boundary", boundary, sizeof boundary);
	if (bl <= 0 || bl > 70)
		return sg_err_set(e, SG_EINVAL, "multipart body without a valid boundary");
	char delim[84];
	int dl = snprintf(delim, sizeof delim, "\r\n--%s", boundary);
	/* The first delimiter has no CRLF before it (a preamble may precede). */
	const char *p;
	if (len >= (size_t)dl - 2 && memcmp(body, delim + 2, (size_t)dl - 2) == 0)
		p = body + dl - 2;
	else {
		p = memmem(body, len, delim, (size_t)dl);
		if (p == NULL)
			goto bad;
		p += dl;
	}
	const char *end = body + len;
	int parts = 0;
	for (;;) {
		/* after a delimiter: "--" ends the body, CRLF starts a part */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			goto bad;
		p += 2;
		if (++parts > FORM_MAX_PARTS) {
			sg_err_set(e, SG_EINVAL, "the form has more than %d parts", FORM_MAX_PARTS);
			goto fail;
		}
		size_t avail = (size_t)(end - p);
		const char *hend = memmem(
		    p, avail < FORM_MAX_PART_HEADER ? avail : FORM_MAX_PART_HEADER, "\r\n\r\n", 4);
		const char *content;
		size_t hn;
		if (avail >= 2 && p[0] == '\r' && p[1] == '\n') {
			hn = 0; /* a part with no headers */
			content = p + 2;
		} else if (hend) {
			hn = (size_t)(hend - p);
			content = hend + 4;
		} else {
			goto bad;
		}
		const char *next = memmem(content, (size_t)(end - content), delim, (size_t)dl);
		if (next == NULL)
			goto bad;
		size_t cn = (size_t)(next - content);
		const char *cd, *ct = "application/octet-stream";
		size_t cdn, ctn = 0;
		char name[256], filename[256], ctype[128];
		if (!part_header(p, hn, "Content-Disposition", &cd, &cdn) || cdn < 9 ||
		    strncasecmp(cd, "form-data", 9) != 0 ||
		    header_param(cd, cdn, "name", name, sizeof name) <= 0 ||
		    !form_text_ok(name, strlen(name)))
			goto bad;
		long fl = header_param(cd, cdn, "filename", filename, sizeof filename);
		const char *ctv;
		if (part_header(p, hn, "Content-Type", &ctv, &ctn)) {
			if (ctn >= sizeof ctype)
				goto bad;
			memcpy(ctype, ctv, ctn);
			ctype[ctn] = '\0';
			ct = ctype;
		}
		if (fl >= 0) {
			const char *bn = base_name(filename);
			if (!form_text_ok(bn, strlen(bn))) {
				sg_err_set(e, SG_EINVAL,
				           "the name of an uploaded file is not valid UTF-8 text");
				goto fail;
			}
			/* A file input left empty sends a part with no name and no data. */
			if (*bn || cn)
				files_add(files, name, *bn ? bn : "berkas", ct, content, cn);
		} else {
			if (params->n == FORM_MAX_FIELDS) {
				sg_err_set(e, SG_EINVAL, "the form has more than %d fields",
				           FORM_MAX_FIELDS);
				goto fail;
			}
			if (!form_text_ok(content, cn)) {
				sg_err_set(
				    e, SG_EINVAL,
				    "the value of form field '%.60s' is not valid UTF-8 text",
				    name);
				goto fail;
			}
			web_params_add(params, name, strlen(name), content, cn);
		}
		p = next + dl;
	}
bad:
	sg_err_set(e, SG_EINVAL, "the multipart form is malformed");
fail:
	web_params_free(params);
	web_files_free(files);
	return -1;
}
