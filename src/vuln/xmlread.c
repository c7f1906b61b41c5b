/*
 * xmlread.c: the streaming XML reader of the scanner parsers (xmlread.h).
 *
 * Safety. libxml2 is asked for no network (XML_PARSE_NONET), no DTD
 * loading, no entity substitution (neither XML_PARSE_DTDLOAD nor
 * XML_PARSE_NOENT) and no XInclude, and to read UTF-8 whatever the
 * document declares (XML_PARSE_IGNORE_ENC), so an encoding such as UTF-7
 * or EBCDIC cannot hide markup from the byte scan below. Scanner reports
 * never declare entities (Nmap writes a bare `<!DOCTYPE nmaprun>`), while
 * XXE and "billion laughs" files must: so the read callback scans every
 * byte for "<!ENTITY" and stops the read there, before libxml2 parses the
 * declaration, and refuses NUL bytes (UTF-16 or UTF-32 text, where the
 * scan would not see the markup). A DOCTYPE node whose internal subset
 * still holds entities, or an entity reference node, is refused too.
 * The cost is one memchr pass over the bytes.
 *
 * Memory. The reader keeps only the nodes on the path to the current one
 * (no xmlTextReaderExpand, no preserve); libxml2's own limits without
 * XML_PARSE_HUGE bound a text node (10 MB) and the depth (256).
 */
#include <pthread.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "xmlread.h"

static const char entity_decl[] = "<!ENTITY";

/* Why a document is refused before libxml2 reads it (x->why); fail()
 * gives each its own message, so the pages can translate it. */
static const char why_entity_decl[] = "entity declaration", why_nul[] = "NUL byte",
		  why_dtd_entities[] = "DOCTYPE entities", why_entity_ref[] = "entity reference";

/* Scans p[0..n) (after the tail of the previous block) for the entity
 * declaration or a NUL byte; counts lines. */
static bool scan_block(vx *x, const char *p, size_t n)
{
	char join[16];
	size_t k = n < sizeof entity_decl - 1 ? n : sizeof entity_decl - 2;
	memcpy(join, x->tail, x->tail_n);
	memcpy(join + x->tail_n, p, k);
	if (memmem(join, x->tail_n + k, entity_decl, sizeof entity_decl - 1)) {
		x->why = why_entity_decl;
		return false;
	}
	const char *end = p + n;
	for (const char *q = p; q < end;) {
		const char *lt = memchr(q, '<', (size_t)(end - q));
		const char *nl = memchr(q, '\n', (size_t)((lt ? lt : end) - q));
		while (nl) {
			x->line++;
			nl = memchr(nl + 1, '\n', (size_t)((lt ? lt : end) - nl - 1));
		}
		if (!lt)
			break;
		if ((size_t)(end - lt) >= sizeof entity_decl - 1 &&
		    memcmp(lt, entity_decl, sizeof entity_decl - 1) == 0) {
			x->why = why_entity_decl;
			return false;
		}
		q = lt + 1;
	}
	if (memchr(p, '\0', n)) {
		x->why = why_nul;
		return false;
	}
	size_t t = n < sizeof entity_decl - 2 ? n : sizeof entity_decl - 2;
	if (x->tail_n + t > sizeof entity_decl - 2) { /* keep the last 7 bytes seen */
		char all[16];
		memcpy(all, x->tail, x->tail_n);
		memcpy(all + x->tail_n, p + n - t, t);
		size_t m = x->tail_n + t, keep = sizeof entity_decl - 2;
		memcpy(x->tail, all + m - keep, keep);
		x->tail_n = keep;
	} else {
		memcpy(x->tail + x->tail_n, p + n - t, t);
		x->tail_n += t;
	}
	return true;
}

static int read_cb(void *ctx, char *out, int len)
{
	vx *x = ctx;
	if (x->entity)
		return -1;
	size_t n = fread(out, 1, (size_t)len, x->s->f);
	if (n == 0)
		return ferror(x->s->f) ? -1 : 0;
	if (!scan_block(x, out, n)) {
		x->entity = true;
		return -1;
	}
	return (int)n;
}

static void error_cb(void *ctx, xmlErrorPtr err)
{
	vx *x = ctx;
	if (!err || err->level < XML_ERR_ERROR || x->err[0])
		return;
	snprintf(x->err, sizeof x->err, "%s", err->message ? err->message : "malformed XML");
	size_t n = strlen(x->err);
	while (n && (x->err[n - 1] == '\n' || x->err[n - 1] == ' '))
		x->err[--n] = '\0';
	x->err_line = err->line;
	x->err_col = err->int2;
	x->err_code = err->code;
}

/* Some tools put a comment (a licence notice) or blank lines before the
 * XML declaration, which XML forbids ("XML declaration allowed only at
 * the start"): the read then starts at the declaration, and line numbers
 * count the lines passed over. The blank space scan.c found before the
 * report (s->lead) is passed over first. */
static int skip_lead(vx *x)
{
	char head[VULN_SNIFF];
	if (x->s->lead && fseek(x->s->f, x->s->lead, SEEK_SET) != 0)
		return sg_err_set(x->s->e, SG_EIO, "%s: cannot be read twice", x->s->name);
	size_t n = fread(head, 1, sizeof head, x->s->f), i = 0;
	while (i < n) {
		if (vuln_blank(head[i])) {
			i++;
		} else if (n - i >= 4 && memcmp(head + i, "<!--", 4) == 0) {
			const char *end = memmem(head + i + 4, n - i - 4, "-->", 3);
			if (!end)
				break;
			i = (size_t)(end - head) + 3;
		} else {
			break;
		}
	}
	bool skip = (i > 0 || x->s->lead > 0) && n - i >= 5 && memcmp(head + i, "<?xml", 5) == 0;
	if (skip) {
		x->line_base += x->s->lead_lines;
		for (size_t k = 0; k < i; k++)
			x->line_base += head[k] == '\n';
	}
	if (fseek(x->s->f, skip ? x->s->lead + (long)i : 0, SEEK_SET) != 0)
		return sg_err_set(x->s->e, SG_EIO, "%s: cannot be read twice", x->s->name);
	return 0;
}

/* libxml2's global state is set up once, before any thread reads: its
 * own lazy set-up is not safe when two imports start at once (web). */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
	xmlInitParser();
}

int vx_open(vx *x, vuln_src *s)
{
	pthread_once(&xml_once, xml_init);
	memset(x, 0, sizeof *x);
	x->s = s;
	if (skip_lead(x) != 0)
		return -1;
	x->line = 1 + (uint64_t)x->line_base;
	xmlTextReaderPtr r = xmlReaderForIO(read_cb, NULL, x, s->name, "UTF-8",
	                                    XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_BIG_LINES |
	                                            XML_PARSE_COMPACT);
	if (!r)
		return sg_err_set(s->e, SG_ENOMEM, "%s: cannot start the XML reader", s->name);
	xmlTextReaderSetStructuredErrorHandler(r, error_cb, x);
	x->reader = r;
	return 0;
}

void vx_close(vx *x)
{
	if (x->reader)
		xmlFreeTextReader(x->reader);
	x->reader = NULL;
}

int vx_line(const vx *x)
{
	xmlNodePtr node = xmlTextReaderCurrentNode(x->reader);
	long line = node ? xmlGetLineNo(node) : -1;
	if (line <= 0)
		line = xmlTextReaderGetParserLineNumber(x->reader);
	return (int)line + x->line_base;
}

const char *vx_at(const vx *x, int d)
{
	return d >= 1 && d <= x->depth && d <= VX_DEPTH ? x->path[d - 1] : "";
}

static int fail(vx *x)
{
	vuln_src *s = x->s;
	unsigned long long line = (unsigned long long)x->line;
	if (x->entity && x->why == why_entity_decl)
		return sg_err_set(s->e, SG_EINVAL,
		                  "%s:%llu: declares an XML entity (<!ENTITY): refused, as XXE and "
		                  "entity-expansion (billion laughs) files do; scanner reports declare "
		                  "none",
		                  s->name, line);
	if (x->entity && x->why == why_nul)
		return sg_err_set(s->e, SG_EINVAL,
		                  "%s:%llu: holds a NUL byte: sigap reads XML reports in UTF-8 (not "
		                  "UTF-16 or UTF-32)",
		                  s->name, line);
	if (x->entity && x->why == why_dtd_entities)
		return sg_err_set(s->e, SG_EINVAL, "%s:%llu: declares XML entities in its DOCTYPE: refused",
		                  s->name, line);
	if (x->entity)
		return sg_err_set(s->e, SG_EINVAL, "%s:%llu: refers to an XML entity: refused", s->name,
		                  line);
	/* libxml2's reader says "Extra content at the end of the document"
	 * of a file that ends with elements open: a report cut short (a copy
	 * or a download that stopped) */
	if (x->err[0] && x->err_code == XML_ERR_DOCUMENT_END && x->depth > 0)
		return sg_err_set(s->e, SG_EINVAL,
		                  "%s:%d: the report ends inside <%s>, before its elements close: "
		                  "the file is cut short (copy it again whole)",
		                  s->name, x->err_line + x->line_base, vx_at(x, x->depth));
	if (x->err[0])
		return sg_err_set(s->e, SG_EINVAL, "%s:%d:%d: not well-formed XML: %s", s->name,
		                  x->err_line + x->line_base, x->err_col, x->err);
	return sg_err_set(s->e, SG_EINVAL, "%s:%d: not well-formed XML", s->name, vx_line(x));
}

int vx_next(vx *x)
{
	xmlTextReaderPtr r = x->reader;
	if (x->pending_end) {
		x->pending_end = false;
		x->kind = VX_END;
		x->name = vx_at(x, x->depth);
		return 1;
	}
	if (x->kind == VX_END && x->depth > 0)
		x->depth--; /* the element ended on the previous call is closed now */
	for (;;) {
		int rc = xmlTextReaderRead(r);
		if (rc < 0 || x->entity || x->err[0])
			return fail(x);
		if (rc == 0) {
			x->kind = VX_TEXT; /* nothing open any more */
			return 0;
		}
		switch (xmlTextReaderNodeType(r)) {
		case XML_READER_TYPE_ELEMENT: {
			const char *name = (const char *)xmlTextReaderConstLocalName(r);
			x->depth++;
			if (x->depth <= VX_DEPTH)
				x->path[x->depth - 1] = name ? name : "";
			x->kind = VX_START;
			x->name = vx_at(x, x->depth);
			x->pending_end = xmlTextReaderIsEmptyElement(r) == 1;
			return 1;
		}
		case XML_READER_TYPE_END_ELEMENT:
			x->kind = VX_END;
			x->name = vx_at(x, x->depth);
			return 1;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			x->kind = VX_TEXT;
			x->text = v ? v : "";
			x->text_len = strlen(x->text);
			return 1;
		}
		case XML_READER_TYPE_DOCUMENT_TYPE: {
			/* the node, not xmlTextReaderCurrentDoc: that would make the
			 * reader keep the whole document */
			xmlNodePtr node = xmlTextReaderCurrentNode(r);
			xmlDtdPtr dtd = node && node->type == XML_DTD_NODE ? (xmlDtdPtr)node : NULL;
			if (dtd && (dtd->entities || dtd->pentities)) {
				x->entity = true;
				x->why = why_dtd_entities;
				x->line = (uint64_t)vx_line(x);
				return fail(x);
			}
			break;
		}
		case XML_READER_TYPE_ENTITY_REFERENCE:
			x->entity = true;
			x->why = why_entity_ref;
			x->line = (uint64_t)vx_line(x);
			return fail(x);
		default:
			break; /* comments, processing instructions */
		}
	}
}

bool vx_attr(vx *x, const char *name, buf *out)
{
	buf_reset(out);
	xmlChar *v = xmlTextReaderGetAttribute(x->reader, (const xmlChar *)name);
	if (!v)
		return false;
	buf_puts(out, (const char *)v);
	xmlFree(v);
	return true;
}
