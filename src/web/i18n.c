/*
 * i18n.c: the Indonesian catalog, parsed from po/id.po (compiled in) into
 * an open-addressing hash table at start. Lookups are O(1) and read-only,
 * so worker threads share the table without locks.
 *
 * The .po reader understands what msgfmt writes and people edit: comments,
 * msgctxt (ignored), msgid / msgstr with continued "…" lines and the C
 * escapes \n \t \" \\. A fuzzy or empty translation falls back to the
 * msgid, as gettext does.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embed.h"
#include "base/utf8.h"
#include "i18n.h"

extern const embed_file sigap_catalogs[];

typedef struct entry {
	char *id;
	char *str;
} entry;

static entry *table;
static size_t cap, count;

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void put(char *id, char *str)
{
	if ((count + 1) * 2 > cap) {
		size_t ncap = cap ? cap * 2 : 512;
		entry *nt = calloc(ncap, sizeof *nt);
		if (nt == NULL)
			abort();
		for (size_t i = 0; i < cap; i++)
			if (table[i].id) {
				size_t j = fnv(table[i].id) & (ncap - 1);
				while (nt[j].id)
					j = (j + 1) & (ncap - 1);
				nt[j] = table[i];
			}
		free(table);
		table = nt;
		cap = ncap;
	}
	size_t j = fnv(id) & (cap - 1);
	while (table[j].id) {
		if (strcmp(table[j].id, id) == 0) {
			free(table[j].str);
			free(id);
			table[j].str = str;
			return;
		}
		j = (j + 1) & (cap - 1);
	}
	table[j].id = id;
	table[j].str = str;
	count++;
}

const char *tr(web_lang lang, const char *msgid)
{
	if (lang != LANG_ID || cap == 0)
		return msgid;
	size_t j = fnv(msgid) & (cap - 1);
	while (table[j].id) {
		if (strcmp(table[j].id, msgid) == 0)
			return table[j].str;
		j = (j + 1) & (cap - 1);
	}
	return msgid;
}

size_t i18n_count(void)
{
	return count;
}

typedef struct po_reader {
	const char *p, *end;
	int line;
} po_reader;

/* Reads one "…" string at r->p (after spaces) and appends it, unescaped,
 * to out. Returns 0, or -1 when the line holds no string. */
static int read_quoted(po_reader *r, buf *out)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t'))
		r->p++;
	if (r->p == r->end || *r->p != '"')
		return -1;
	r->p++;
	while (r->p < r->end && *r->p != '"') {
		char c = *r->p++;
		if (c == '\n')
			return -1;
		if (c == '\\' && r->p < r->end) {
			char x = *r->p++;
			c = x == 'n' ? '\n' : x == 't' ? '\t' : x;
		}
		buf_putc(out, c);
	}
	if (r->p == r->end)
		return -1;
	r->p++;
	while (r->p < r->end && *r->p != '\n') {
		if (*r->p != ' ' && *r->p != '\t' && *r->p != '\r')
			return -1;
		r->p++;
	}
	return 0;
}

static void next_line(po_reader *r)
{
	while (r->p < r->end && *r->p != '\n')
		r->p++;
	if (r->p < r->end) {
		r->p++;
		r->line++;
	}
}

static bool at_keyword(po_reader *r, const char *kw)
{
	size_t n = strlen(kw);
	if ((size_t)(r->end - r->p) > n && memcmp(r->p, kw, n) == 0 &&
	    (r->p[n] == ' ' || r->p[n] == '\t')) {
		r->p += n;
		return true;
	}
	return false;
}

/* A keyword's string and its continuation lines. */
static int read_string(po_reader *r, buf *out)
{
	if (read_quoted(r, out) != 0)
		return -1;
	next_line(r);
	while (r->p < r->end && *r->p == '"') {
		if (read_quoted(r, out) != 0)
			return -1;
		next_line(r);
	}
	return 0;
}

int i18n_load_po(const char *text, size_t len, sg_err *e)
{
	if (!utf8_valid(text, len))
		return sg_err_set(e, SG_EINVAL, "the catalog is not UTF-8");
	po_reader r = {text, text + len, 1};
	buf id = BUF_INIT, str = BUF_INIT;
	bool fuzzy = false;
	while (r.p < r.end) {
		if (*r.p == '#') {
			const char *eol = memchr(r.p, '\n', (size_t)(r.end - r.p));
			size_t n = eol ? (size_t)(eol - r.p) : (size_t)(r.end - r.p);
			if (n > 1 && r.p[1] == ',' && memmem(r.p, n, "fuzzy", 5))
				fuzzy = true;
			next_line(&r);
			continue;
		}
		if (*r.p == '\n' || *r.p == '\r') {
			next_line(&r);
			continue;
		}
		if (at_keyword(&r, "msgctxt")) {
			buf_reset(&id);
			if (read_string(&r, &id) != 0)
				goto bad;
			continue;
		}
		if (!at_keyword(&r, "msgid"))
			goto bad;
		buf_reset(&id);
		buf_reset(&str);
		if (read_string(&r, &id) != 0 || !at_keyword(&r, "msgstr") ||
		    read_string(&r, &str) != 0)
			goto bad;
		if (id.len && str.len && !fuzzy)
			put(buf_steal(&id), buf_steal(&str));
		fuzzy = false;
	}
	buf_free(&id);
	buf_free(&str);
	return 0;
bad:
	buf_free(&id);
	buf_free(&str);
	return sg_err_set(e, SG_EINVAL, "po/id.po:%d: not a catalog line (msgid, msgstr or \"…\")",
	                  r.line);
}

int i18n_init(sg_err *e)
{
	for (const embed_file *f = sigap_catalogs; f->name; f++)
		if (strcmp(f->name, "id.po") == 0)
			return i18n_load_po(f->data, f->len, e);
	return 0;
}

const char *web_err(web_req *r, const sg_err *e)
{
	if (r->lang != LANG_ID || e->fmt == NULL)
		return e->msg;
	const char *t = tr(LANG_ID, e->fmt);
	if (t == e->fmt)
		return e->msg;
	if (e->pre == NULL)
		return sg_err_localize(e, t, r->errbuf, sizeof r->errbuf);
	/* "nothing decided: finding 3 is …": the prefix, then the message */
	char body[sizeof r->errbuf];
	if (strcmp(sg_err_localize(e, t, body, sizeof body), e->msg) == 0)
		return e->msg; /* the translation did not fit: the English whole */
	snprintf(r->errbuf, sizeof r->errbuf, "%.150s: %.1000s", tr(LANG_ID, e->pre), body);
	return r->errbuf;
}
