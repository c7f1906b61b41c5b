/*
 * xmlread.h: the safe streaming XML reader the XML report parsers share
 * (OpenVAS, Nmap): libxml2's xmlTextReader over the report's FILE, with
 * network access, DTD loading and entity substitution off, the document
 * read as UTF-8 whatever it declares, and any document that declares an
 * entity refused before libxml2 parses the declaration (see xmlread.c).
 *
 * It hands the parser a flat stream of element starts, ends and text with
 * the path of open elements, so a parser keeps only the fields of the
 * element it is in; libxml2 frees each node once the reader moves past it.
 */
#ifndef SG_VULN_XMLREAD_H
#define SG_VULN_XMLREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "scan_int.h"

enum { VX_DEPTH = 64 }; /* names kept of open elements (libxml2 stops at 256) */

typedef enum { VX_START, VX_END, VX_TEXT } vx_kind;

typedef struct vx {
	void *reader; /* xmlTextReaderPtr */
	vuln_src *s;
	vx_kind kind;
	const char *name;  /* local name of the element started or ended */
	const char *text;  /* VX_TEXT: the text (valid until the next vx_next) */
	size_t text_len;
	int depth;         /* open elements, the current one included */
	const char *path[VX_DEPTH];
	bool pending_end;  /* an empty element's end is still to be given */
	/* the byte scan of the read callback */
	bool entity;       /* "<!ENTITY" or a NUL byte was met */
	const char *why;   /* its message */
	uint64_t line;     /* lines read so far (for the scan's message) */
	char tail[8];
	size_t tail_n;
	/* the first error libxml2 reported */
	char err[400];
	int err_line, err_col;
	int err_code;  /* libxml2's (xmlParserErrors) */
	int line_base; /* lines before the XML declaration, passed over */
} vx;

/* Opens s->f; -1 with s->e set. */
int vx_open(vx *x, vuln_src *s);
void vx_close(vx *x);
/* The next start, end or text: 1, 0 at the end of the document, -1 with
 * s->e set ("file:line:col: …"). */
int vx_next(vx *x);
/* The attribute of the element just started into out (reset first);
 * false when it has none. */
bool vx_attr(vx *x, const char *name, buf *out);
/* The name of the open element at depth d (1 = root), "" past VX_DEPTH. */
const char *vx_at(const vx *x, int d);
/* The line of the current node (else the line the parser is at). */
int vx_line(const vx *x);

#endif
