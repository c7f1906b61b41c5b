/*
 * pdf_layout.c: the body of a document (tmpl_render's XHTML, parsed by
 * pdf.c) laid out in a flow (pdf_layout.h), block after block down the
 * page's column, breaking pages where a block does not fit.
 *
 * The text of a block is pdf_text.c's: markup made of its inline nodes,
 * placed line by line, so a paragraph is never clipped and never lost,
 * however long; on a page with nothing on it yet at least one line is
 * placed, so every page break makes progress. Tables are pdf_table.c's.
 *
 * The blocks here: runs of inline nodes and p as paragraphs (justified,
 * or as the classes tengah kanan say; tebal kecil judul too), h1-h3 (kept
 * with what follows), ul/ol with a hanging marker, hr, div.kotak (a
 * frame, a piece on each page it runs over), div.ttd (the signature
 * block: measured first on an endless page, moved whole to the next page
 * when it does not fit, set centred in the right half of the column).
 */
#include "report/pdf_layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double BOX_PAD = 6;
/* A column narrower than this gets no further frame or indent. */
static const double NARROW = 72;

/* ---- the elements */

static const char *const kind_name[] = {NULL, "h1", "h2", "h3",    "p",     "b",     "i",
                                        "u",  "br", "hr", "table", "thead", "tbody", "tr",
                                        "th", "td", "ul", "ol",    "li",    "div",   "span"};

pdf_elem pdf_kind(const xmlNode *n)
{
	if (n->type != XML_ELEMENT_NODE || n->ns != NULL)
		return K_OTHER;
	for (size_t k = 1; k < sizeof kind_name / sizeof kind_name[0]; k++)
		if (strcmp((const char *)n->name, kind_name[k]) == 0)
			return (pdf_elem)k;
	return K_OTHER;
}

bool pdf_is_text(const xmlNode *n)
{
	return n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE;
}

bool pdf_blank(const xmlNode *n)
{
	for (const char *p = (const char *)n->content; p && *p; p++)
		if (!strchr(" \t\r\n", *p))
			return false;
	return true;
}

bool pdf_is_inline(const xmlNode *n)
{
	if (pdf_is_text(n))
		return true;
	pdf_elem k = pdf_kind(n);
	return k == K_B || k == K_I || k == K_U || k == K_BR || k == K_SPAN;
}

/* An attribute's value (NULL: absent). */
static const char *attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (a->ns == NULL && strcmp((const char *)a->name, name) == 0)
			return a->children && a->children->type == XML_TEXT_NODE &&
			               !a->children->next
			           ? (const char *)a->children->content
			           : "";
	return NULL;
}

/* A whole number attribute in [lo, hi] ("30" or "30%"); def otherwise. */
int pdf_attr_int(const xmlNode *n, const char *name, int lo, int hi, int def)
{
	const char *v = attr(n, name);
	if (!v)
		return def;
	char *end;
	long x = strtol(v, &end, 10);
	if (end == v || (*end && strcmp(end, "%") != 0) || x < lo || x > hi)
		return def;
	return (int)x;
}

bool pdf_has_class(const xmlNode *n, const char *cls)
{
	const char *v = n->type == XML_ELEMENT_NODE ? attr(n, "class") : NULL;
	size_t len = strlen(cls);
	while (v && *v) {
		v += strspn(v, " \t\r\n");
		size_t w = strcspn(v, " \t\r\n");
		if (w == len && memcmp(v, cls, len) == 0)
			return true;
		v += w;
	}
	return false;
}

int pdf_check_body(const xmlNode *body, sg_err *e)
{
	for (const xmlNode *n = body->children; n; n = n->next) {
		if (n->type == XML_ENTITY_REF_NODE || n->type == XML_ENTITY_NODE)
			return sg_err_set(
			    e, SG_EINVAL,
			    "the document's body refers to the entity &%s;: only &amp; &lt; "
			    "&gt; &quot; &apos; and character references are allowed",
			    (const char *)n->name);
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (pdf_kind(n) == K_OTHER)
			return sg_err_set(
			    e, SG_EINVAL,
			    "line %ld of the document's body: <%s%s%s> is not an element the PDF "
			    "layout knows (h1 h2 h3 p b i u br hr table thead tbody tr th td ul "
			    "ol li div span)",
			    xmlGetLineNo(n),
			    n->ns && n->ns->prefix ? (const char *)n->ns->prefix : "",
			    n->ns && n->ns->prefix ? ":" : "", (const char *)n->name);
		if (pdf_check_body(n, e) < 0)
			return -1;
	}
	return 0;
}

/* ---- the flow */

/* Starts a block: the space owed (at least before) unless at a page's
 * top. */
void pdf_flow_open(pdf_flow *f, double before)
{
	if (before > f->gap)
		f->gap = before;
	if (!f->fresh)
		f->y += f->gap;
	f->gap = 0;
}

static void box_frame(pdf_flow *f, const pdf_box *b, double y1)
{
	if (!f->draw || y1 <= b->y0)
		return;
	cairo_set_line_width(f->cr, 0.75);
	cairo_rectangle(f->cr, b->x, b->y0, b->w, y1 - b->y0);
	cairo_stroke(f->cr);
}

int pdf_flow_break(pdf_flow *f)
{
	if (f->failed)
		return -1;
	if (f->measure) { /* no page ends: what follows is placed anyway */
		f->fresh = true;
		return 0;
	}
	for (pdf_box *b = f->boxes; b; b = b->up)
		box_frame(f, b, f->bottom);
	if (f->next_page(f) < 0) {
		f->failed = true;
		return -1;
	}
	f->y = f->top;
	f->fresh = true;
	f->gap = 0;
	for (pdf_box *b = f->boxes; b; b = b->up) {
		b->y0 = f->top;
		f->y += BOX_PAD;
	}
	return 0;
}

/* Breaks the page when h does not fit below y and the page has
 * something on it already. */
int pdf_flow_need(pdf_flow *f, double h)
{
	if (!f->fresh && f->y + h > f->bottom)
		return pdf_flow_break(f);
	return 0;
}

/* Places t from y on, over as many pages as it takes. */
static int flow_tb(pdf_flow *f, pdf_tb *t, double x)
{
	for (;;) {
		double used = pdf_tb_place(f, t, x, f->y, f->bottom - f->y, f->fresh);
		if (used < 0 || pdf_tb_fill(f, t) < 0)
			return -1;
		if (used > 0) {
			f->y += used;
			f->fresh = false;
		}
		if (pdf_tb_done(t))
			return 0;
		if (pdf_flow_break(f) < 0)
			return -1;
	}
}

/* A paragraph of the markup in s (taken). keep: the room wanted below
 * its first line too (headings stay with what follows). */
static int flow_para(pdf_flow *f, pdf_inl *s, const pdf_style *st, double x, double w,
                     double before, double keep)
{
	if (!pdf_inl_finish(s)) {
		pdf_inl_free(s);
		return 0;
	}
	pdf_tb t;
	pdf_tb_init(&t, s, st, w);
	pdf_inl_free(s);
	pdf_flow_open(f, before);
	int rc = pdf_tb_fill(f, &t);
	if (rc == 0 && keep > 0)
		rc = pdf_flow_need(f, pdf_min(pdf_tb_rest(&t), f->bottom - f->top) + keep);
	if (rc == 0)
		rc = flow_tb(f, &t, x);
	pdf_tb_free(&t);
	f->gap = st->gap;
	return rc;
}

/* The children of n as one paragraph, blocks among them flattened. */
static int flow_text_of(pdf_flow *f, const xmlNode *n, const pdf_style *st, double x, double w,
                        double before, double keep)
{
	pdf_inl s;
	pdf_inl_init(&s);
	pdf_inl_children(&s, n);
	return flow_para(f, &s, st, x, w, before, keep);
}

static int flow_range(pdf_flow *f, const xmlNode *from, const xmlNode *to, double x, double w,
                      const pdf_style *st);

static int flow_heading(pdf_flow *f, const xmlNode *n, pdf_elem k, double x, double w,
                        const pdf_style *st)
{
	static const double size[] = {14, 12, 11}, before[] = {12, 10, 8};
	int i = k == K_H1 ? 0 : k == K_H2 ? 1 : 2;
	pdf_style s = *st;
	s.size = size[i];
	s.bold = true;
	s.italic = k == K_H3;
	s.justify = false;
	s.gap = 4;
	pdf_style_classes(&s, n);
	if (pdf_has_class(n, "judul"))
		s.gap = 10;
	return flow_text_of(f, n, &s, x, w, before[i], 3 * st->size);
}

static int flow_hr(pdf_flow *f, double x, double w)
{
	pdf_flow_open(f, 4);
	if (pdf_flow_need(f, 8) < 0)
		return -1;
	pdf_rule(f, x, x + w, f->y + 4, 0.5);
	f->y += 8;
	f->fresh = false;
	f->gap = 4;
	return 0;
}

/* The marker of a list item, its right edge at x + w - 5; returns its
 * height (-1: error). */
static double list_marker(pdf_flow *f, const char *mark, double x, double w, const pdf_style *st)
{
	pdf_style ms = *st;
	ms.align = PANGO_ALIGN_RIGHT;
	ms.justify = false;
	pdf_inl s;
	pdf_inl_init(&s);
	pdf_inl_text(&s, mark);
	pdf_inl_finish(&s);
	pdf_tb t;
	pdf_tb_init(&t, &s, &ms, w - 5);
	pdf_inl_free(&s);
	double h = -1;
	if (pdf_tb_fill(f, &t) == 0) {
		h = pdf_tb_rest(&t);
		if (pdf_flow_need(f, h) < 0 || pdf_tb_place(f, &t, x, f->y, PDF_BIG, true) < 0)
			h = -1;
	}
	pdf_tb_free(&t);
	return h;
}

static int flow_list(pdf_flow *f, const xmlNode *n, double x, double w, const pdf_style *st,
                     bool ordered)
{
	pdf_style is = *st;
	is.gap = 2;
	double ind = ordered ? 24 : 16;
	if (w - ind < NARROW) /* lists nested past sense: no more indents */
		ind = 0;
	int no = 0;
	pdf_flow_open(f, 0);
	for (const xmlNode *c = n->children; c && !f->failed;) {
		if (pdf_kind(c) != K_LI) { /* stray nodes: indented, no marker */
			const xmlNode *d = c;
			while (d && pdf_kind(d) != K_LI)
				d = d->next;
			if (flow_range(f, c, d, x + ind, w - ind, &is) < 0)
				return -1;
			c = d;
			continue;
		}
		char mark[24];
		snprintf(mark, sizeof mark, ordered ? "%d." : "\u2022", ++no);
		pdf_flow_open(f, 0);
		double h = ind > 0 ? list_marker(f, mark, x, ind, st) : 0;
		if (h < 0)
			return -1;
		int page = f->page;
		double y0 = f->y;
		if (flow_range(f, c->children, NULL, x + ind, w - ind, &is) < 0)
			return -1;
		if (f->page == page && f->y < y0 + h)
			f->y = y0 + h; /* an empty item still takes its line */
		f->fresh = false;
		f->gap = is.gap;
		c = c->next;
	}
	f->gap = st->gap;
	return f->failed ? -1 : 0;
}

/* ---- div: frames and the signature block */

static int flow_kotak(pdf_flow *f, const xmlNode *n, double x, double w, const pdf_style *st)
{
	if (w < NARROW) /* boxes nested past sense: no more frames */
		return flow_range(f, n->children, NULL, x, w, st);
	pdf_flow_open(f, 6);
	if (pdf_flow_need(f, 2 * BOX_PAD + 2 * st->size) < 0)
		return -1;
	pdf_box b = {f->boxes, x, w, f->y};
	f->boxes = &b;
	f->y += BOX_PAD;
	int rc = flow_range(f, n->children, NULL, x + BOX_PAD, w - 2 * BOX_PAD, st);
	f->boxes = b.up;
	if (rc < 0)
		return -1;
	f->y = pdf_min(f->y + BOX_PAD, f->bottom);
	box_frame(f, &b, f->y);
	f->fresh = false;
	f->gap = st->gap;
	return 0;
}

/* The signature block: the right half of the column, centred, kept on
 * one page when it fits on one. */
static int flow_ttd(pdf_flow *f, const xmlNode *n, double x, double w, const pdf_style *st)
{
	pdf_style s = *st;
	s.align = PANGO_ALIGN_CENTER;
	s.justify = false;
	s.gap = 0;
	pdf_style_classes(&s, n);
	pdf_flow m = *f;
	m.draw = m.fresh = false;
	m.measure = true;
	m.y = m.top = m.gap = 0;
	m.bottom = PDF_BIG;
	m.boxes = NULL;
	if (flow_range(&m, n->children, NULL, x + w / 2, w / 2, &s) < 0) {
		f->failed = true;
		return -1;
	}
	pdf_flow_open(f, 18);
	if (m.y <= f->bottom - f->top && pdf_flow_need(f, m.y) < 0)
		return -1;
	if (flow_range(f, n->children, NULL, x + w / 2, w / 2, &s) < 0)
		return -1;
	f->gap = st->gap;
	return 0;
}

/* ---- blocks */

static int flow_block(pdf_flow *f, const xmlNode *n, double x, double w, const pdf_style *st)
{
	pdf_style s = *st;
	pdf_elem k = pdf_kind(n);
	switch (k) {
	case K_P: pdf_style_classes(&s, n); return flow_text_of(f, n, &s, x, w, 0, 0);
	case K_H1:
	case K_H2:
	case K_H3: return flow_heading(f, n, k, x, w, st);
	case K_HR: return flow_hr(f, x, w);
	case K_TABLE: return pdf_flow_table(f, n, x, w, st);
	case K_UL:
	case K_OL: pdf_style_classes(&s, n); return flow_list(f, n, x, w, &s, k == K_OL);
	default: /* div, and rows, cells or items out of place */
		pdf_style_classes(&s, n);
		if (pdf_has_class(n, "ttd"))
			return flow_ttd(f, n, x, w, &s);
		if (pdf_has_class(n, "kotak"))
			return flow_kotak(f, n, x, w, &s);
		return flow_range(f, n->children, NULL, x, w, &s);
	}
}

/* The nodes from .. to (exclusive): runs of inline nodes as paragraphs,
 * blocks each in its way. */
static int flow_range(pdf_flow *f, const xmlNode *from, const xmlNode *to, double x, double w,
                      const pdf_style *st)
{
	for (const xmlNode *n = from; n != to && !f->failed;) {
		if (pdf_is_inline(n)) {
			pdf_inl s;
			pdf_inl_init(&s);
			for (; n != to && pdf_is_inline(n); n = n->next)
				pdf_inl_node(&s, n);
			if (flow_para(f, &s, st, x, w, 0, 0) < 0)
				return -1;
			continue;
		}
		if (n->type == XML_ELEMENT_NODE && flow_block(f, n, x, w, st) < 0)
			return -1;
		n = n->next;
	}
	return f->failed ? -1 : 0;
}

/* The body's last block (an element with nothing but white space after
 * it), or NULL. */
static const xmlNode *last_block(const xmlNode *body)
{
	const xmlNode *last = NULL;
	for (const xmlNode *n = body->children; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && !pdf_is_inline(n))
			last = n;
		else if (n->type == XML_ELEMENT_NODE || (n->type == XML_TEXT_NODE &&
		                                         !xmlIsBlankNode((xmlNode *)n)))
			last = NULL;
	}
	return last;
}

/* The height n takes laid out from the top of an endless page. */
static int measure_block(const pdf_flow *f, const xmlNode *n, double x, double w,
                         const pdf_style *st, double *h)
{
	pdf_flow m = *f;
	m.draw = false;
	m.measure = m.fresh = true;
	m.y = m.top = m.gap = 0;
	m.bottom = PDF_BIG;
	m.boxes = NULL;
	int rc = flow_block(&m, n, x, w, st);
	*h = m.y;
	return rc;
}

int pdf_flow_body(pdf_flow *f, const xmlNode *body)
{
	pdf_style s = {"DejaVu Serif", 11, false, false, false, PANGO_ALIGN_LEFT, true, 6};
	const xmlNode *last = f->tail > 0 ? last_block(body) : NULL;
	if (last == NULL)
		return flow_range(f, body->children, NULL, f->left, f->width, &s);
	/* the last block goes to a new page with what follows it rather
	 * than leave that alone there, when the two fit on a page */
	double h;
	if (flow_range(f, body->children, last, f->left, f->width, &s) < 0 ||
	    measure_block(f, last, f->left, f->width, &s, &h) < 0) {
		f->failed = true;
		return -1;
	}
	if (h + f->tail <= f->bottom - f->top && pdf_flow_need(f, f->gap + h + f->tail) < 0)
		return -1;
	return flow_range(f, last, NULL, f->left, f->width, &s);
}
