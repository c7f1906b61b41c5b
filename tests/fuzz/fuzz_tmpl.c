/* fuzz_tmpl.c: document templates (report/tmpl.h): loading (header,
 * tags, entities, directives, nesting) and, when a template loads,
 * rendering it against a small context with nested lists, numbers and
 * text that needs escaping. A template that loads must render to
 * well-formed XML (libxml2 reads it, no entities but the five, no DTD)
 * whose every tag is one of the language's; rendering fails only with
 * the errors tmpl.h names, leaving the output as it was. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "fuzz_common.h"

#include "report/tmpl.h"

static const char ctx_text[] =
    "{\"judul\": \"Laporan <b>&amp;\\\"\", \"n\": 3, \"r\": 2.50, \"t\": true, \"f\": false, \"z\": null,"
    " \"dokumen\": {\"nomor\": \"LI/0001/2025\", \"tanggal\": \"2 Desember 2025\"},"
    " \"langkah\": [{\"no\": 1, \"uraian\": \"Terima ]]> laporan\", \"sub\": [\"a\", \"<x>\"]},"
    "  {\"no\": 2, \"uraian\": \"Analisis & tindak\", \"sub\": []}, {\"no\": 3, \"sub\": [[1, 2], {\"a\": 1}]}],"
    " \"xs\": [\"x\", \"y\"], \"kosong\": [], \"o\": {\"a\": {\"b\": \"c\"}}}";

static json_t *ctx;

/* Each '<' in out begins "<name", "</name" of an allowed element. */
static void check_tags(const char *s, size_t n)
{
	static const char *const names[] = {"h1", "h2", "h3",    "p",     "b",     "i",   "u",
	                                    "br", "hr", "table", "thead", "tbody", "tr",  "th",
	                                    "td", "ul", "ol",    "li",    "div",   "span"};
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '<')
			continue;
		size_t k = i + 1 + (i + 1 < n && s[i + 1] == '/');
		size_t e = k;
		while (e < n && ((s[e] >= 'a' && s[e] <= 'z') || (s[e] >= '0' && s[e] <= '9')))
			e++;
		bool ok = false;
		for (size_t j = 0; j < sizeof names / sizeof *names; j++)
			if (strlen(names[j]) == e - k && memcmp(names[j], s + k, e - k) == 0)
				ok = true;
		if (!ok || e >= n || (s[e] != '>' && s[e] != ' ' && s[e] != '/'))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	if (ctx == NULL && (ctx = json_loads(ctx_text, 0, NULL)) == NULL)
		abort();
	diags d = DIAGS_INIT;
	tmpl *t = tmpl_load((const char *)data, n, "fuzz.tmpl", &d);
	if (t == NULL && d.n == 0)
		abort(); /* refused without a word */
	diags_free(&d);
	if (t == NULL)
		return 0;
	buf out = BUF_INIT;
	sg_err e = {0};
	buf_puts(&out, "<r>");
	if (tmpl_render(t, ctx, &out, &e) == 0) {
		check_tags(out.data + 3, out.len - 3);
		buf_puts(&out, "</r>");
		xmlDocPtr doc = xmlReadMemory(out.data, (int)out.len, "out.xml", "UTF-8",
		                              XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOERROR |
		                                  XML_PARSE_NOWARNING);
		if (doc == NULL)
			abort(); /* not well-formed */
		xmlFreeDoc(doc);
	} else if ((e.code != SG_EINVAL && e.code != SG_ETOOBIG) || out.len != 3) {
		abort();
	}
	buf_free(&out);
	tmpl_free(t);
	return 0;
}
