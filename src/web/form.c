/*
 * form.c: urlencoded and multipart request bodies into parameters and
 * files. See form.h for the rules; every loop here is linear in the body.
 * A multipart body is read as it arrives (multipart.c): its fields are
 * kept in memory within a limit, its files go to the evidence spool.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <stdio.h>

#include "base/utf8.h"
#include "base/hash.h"
#include "form.h"
#include "multipart.h"

bool form_text_ok(const char *s, size_t n)
{
	return memchr(s, '\0', n) == NULL && utf8_valid(s, n);
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
			int h = hex_digit_value(s[i + 1]), l = hex_digit_value(s[i + 2]);
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

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/'), *b = strrchr(p, '\\');
	if (b && (!s || b > s))
		s = b;
	return s ? s + 1 : p;
}

/* ---- multipart/form-data into parameters and spooled files ---- */

struct form_reader {
	mp_reader *mp;
	app *spool; /* NULL: file parts are refused */
	int64_t file_max; /* 0: [evidence] max_size */
	size_t text_max, text_bytes;
	web_params *params;
	web_files *files;
	/* the part being read */
	bool is_file;
	char name[MP_MAX_NAME];
	char filename[MP_MAX_NAME];
	char ctype[128];
	buf text;
	evidence_spool *sp; /* opened at a file part's first byte */
};

static int part_begin(void *ctx, const char *name, const char *filename, const char *ctype,
                      sg_err *e)
{
	form_reader *f = ctx;
	f->is_file = filename != NULL;
	snprintf(f->name, sizeof f->name, "%s", name);
	snprintf(f->ctype, sizeof f->ctype, "%s", ctype);
	buf_reset(&f->text);
	if (!f->is_file)
		return f->params->n == FORM_MAX_FIELDS
		           ? sg_err_set(e, SG_EINVAL, "the form has more than %d fields",
		                        FORM_MAX_FIELDS)
		           : 0;
	if (f->spool == NULL)
		return sg_err_set(e, SG_EINVAL, "this address takes no files");
	const char *bn = base_name(filename);
	if (!form_text_ok(bn, strlen(bn)))
		return sg_err_set(e, SG_EINVAL,
		                  "the name of an uploaded file is not valid UTF-8 text");
	snprintf(f->filename, sizeof f->filename, "%s", bn);
	return 0;
}

static evidence_spool *spool_open(form_reader *f, sg_err *e)
{
	return f->file_max ? evidence_spool_open_max(f->spool, f->file_max, e)
	                   : evidence_spool_open(f->spool, e);
}

static int part_data(void *ctx, const char *p, size_t n, sg_err *e)
{
	form_reader *f = ctx;
	if (!f->is_file) {
		if (n > f->text_max - f->text_bytes)
			return sg_err_set(e, SG_ETOOBIG,
			                  "the form's fields are larger than this server accepts");
		f->text_bytes += n;
		buf_append(&f->text, p, n);
		return 0;
	}
	if (f->sp == NULL && (f->sp = spool_open(f, e)) == NULL)
		return -1;
	return evidence_spool_write(f->sp, p, n, e);
}

static int part_end(void *ctx, sg_err *e)
{
	form_reader *f = ctx;
	if (!f->is_file) {
		if (!form_text_ok(f->text.data ? f->text.data : "", f->text.len))
			return sg_err_set(e, SG_EINVAL,
			                  "the value of form field '%.60s' is not valid UTF-8 text",
			                  f->name);
		web_params_add(f->params, f->name, strlen(f->name),
		               f->text.data ? f->text.data : "", f->text.len);
		return 0;
	}
	/* A file input left empty sends a part with no name and no data. */
	if (f->sp == NULL && f->filename[0] == '\0')
		return 0;
	if (f->sp == NULL && (f->sp = spool_open(f, e)) == NULL)
		return -1;
	evidence_file ef;
	evidence_spool *sp = f->sp;
	f->sp = NULL;
	if (evidence_spool_close(sp, &ef, e) != 0)
		return -1;
	web_files *w = f->files;
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 4;
		w->v = realloc(w->v, w->cap * sizeof *w->v);
		if (w->v == NULL)
			abort();
	}
	web_file *wf = &w->v[w->n++];
	wf->field = strdup(f->name);
	wf->filename = strdup(f->filename[0] ? f->filename : "berkas");
	wf->content_type = strdup(f->ctype);
	if (!wf->field || !wf->filename || !wf->content_type)
		abort();
	wf->file = ef;
	return 0;
}

static const mp_sink form_sink = {part_begin, part_data, part_end};

form_reader *form_multipart_new(const char *content_type, app *spool, size_t text_max,
                                web_params *params, web_files *files, sg_err *e)
{
	form_reader *f = calloc(1, sizeof *f);
	if (f == NULL) {
		sg_err_set(e, SG_ENOMEM, "out of memory reading the form");
		return NULL;
	}
	f->spool = spool;
	f->text_max = text_max;
	f->params = params;
	f->files = files;
	if ((f->mp = mp_new(content_type, &form_sink, f, e)) == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

void form_multipart_file_max(form_reader *f, int64_t max)
{
	f->file_max = max;
}

bool form_multipart_in_file(const form_reader *f)
{
	return f->is_file;
}

int form_multipart_feed(form_reader *f, const char *p, size_t n, sg_err *e)
{
	return mp_feed(f->mp, p, n, e);
}

int form_multipart_finish(form_reader *f, sg_err *e)
{
	return mp_finish(f->mp, e);
}

size_t form_multipart_text_bytes(const form_reader *f)
{
	return f->text_bytes;
}

void form_multipart_free(form_reader *f)
{
	if (f == NULL)
		return;
	evidence_spool_abort(f->sp);
	buf_free(&f->text);
	mp_free(f->mp);
	free(f);
}
