/*
 * pdf_text.c: the text of a document's body, from inline nodes to lines
 * on a page (pdf_layout.h).
 *
 * Markup. A run of inline nodes (text, b i u span br) becomes Pango
 * markup: whitespace collapsed as HTML does, & < > escaped, b i u and
 * span.tebal span.kecil as Pango's tags, br a line break. A block found
 * where inline text is expected (a p in a table cell, a list in a span)
 * is flattened into lines of text, so no text is ever dropped.
 *
 * Chunks. Pango silently loses text past a few hundred KiB in one
 * layout, and some of its work grows with the square of a layout's
 * lines, so a run is cut into chunks, each its own layout made only when
 * the lines before it are placed: at a space after about CHUNK bytes,
 * after BREAKS line breaks, and inside a word of more than WORD bytes
 * (tags closed and opened again). A layout's end is a line's end, so
 * only the last two of these can show, and only in text no document has.
 *
 * Placing. A text block (pdf_tb) is placed line by line: the lines whose
 * bottom fits the room given go there, the rest wait for the next call
 * (the next page, the next piece of a table row).
 */
#include "report/pdf_layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	CHUNK = 48 * 1024, /* bytes of markup in one layout, about */
	BREAKS = 100,      /* line breaks in one layout, at most */
	WORD = 512,        /* bytes of a word without a space in one layout */
};

/* ---- styles: how a block's text is set */

void pdf_style_classes(pdf_style *s, const xmlNode *n)
{
	if (pdf_has_class(n, "tengah") || pdf_has_class(n, "judul")) {
		s->align = PANGO_ALIGN_CENTER;
		s->justify = false;
	}
	if (pdf_has_class(n, "kanan")) {
		s->align = PANGO_ALIGN_RIGHT;
		s->justify = false;
	}
	if (pdf_has_class(n, "tebal"))
		s->bold = true;
	if (pdf_has_class(n, "kecil") && !s->small) {
		s->small = true;
		s->size *= 0.85;
	}
	if (pdf_has_class(n, "judul")) {
		s->bold = true;
		s->size = s->size < 14 ? 14 : s->size;
	}
}

static PangoLayout *new_layout(pdf_flow *f, const pdf_style *st, double width)
{
	PangoLayout *l = pango_layout_new(f->pc);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, st->family);
	pango_font_description_set_size(fd, (gint)(st->size * PANGO_SCALE + 0.5));
	pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(fd, st->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(pdf_max(width, 1) * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, st->align);
	pango_layout_set_justify(l, st->justify);
	return l;
}

/* ---- inline nodes to Pango markup */

void pdf_inl_init(pdf_inl *s)
{
	memset(s, 0, sizeof *s);
	s->bol = s->space = true;
	buf_puts(&s->cur, "");
}

void pdf_inl_free(pdf_inl *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->chunk[i]);
	free(s->chunk);
	buf_free(&s->cur);
}

/* Ends the chunk (its tags closed) and starts the next (opened again).
 * A layout's end is a line's end: a line break just before it is
 * dropped, or it would show as an empty line. */
static void inl_cut(pdf_inl *s)
{
	if (s->cur.len && s->cur.data[s->cur.len - 1] == '\n')
		s->cur.data[--s->cur.len] = '\0';
	for (int i = s->depth; i-- > 0;)
		buf_printf(&s->cur, "</%s>", s->tag[i]);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 4;
		s->chunk = realloc(s->chunk, s->cap * sizeof *s->chunk);
		if (!s->chunk)
			abort();
	}
	s->chunk[s->n++] = buf_steal(&s->cur);
	s->pending = false;
	s->breaks = 0;
	s->word = 0;
	buf_puts(&s->cur, "");
	for (int i = 0; i < s->depth; i++)
		buf_printf(&s->cur, "<%s>", s->tag[i]);
	s->bol = s->space = true;
}

static bool inl_open(pdf_inl *s, const char *tag)
{
	if (s->depth == PDF_TAGS)
		return false;
	s->tag[s->depth++] = tag;
	buf_printf(&s->cur, "<%s>", tag);
	return true;
}

static void inl_close(pdf_inl *s)
{
	buf_printf(&s->cur, "</%s>", s->tag[--s->depth]);
}

void pdf_inl_text(pdf_inl *s, const char *t)
{
	for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			s->word = 0;
			if (!s->bol && !s->space) {
				buf_putc(&s->cur, ' ');
				s->space = true;
				if (s->cur.len > CHUNK)
					inl_cut(s);
			}
			continue;
		}
		/* Pango breaks a word wider than the column letter by letter,
		 * in time the square of its length: a longer one is cut
		 * between two characters (it spans lines anyway) */
		if (++s->word > WORD && (*p & 0xC0) != 0x80)
			inl_cut(s);
		if (*p == '&')
			buf_puts(&s->cur, "&amp;");
		else if (*p == '<')
			buf_puts(&s->cur, "&lt;");
		else if (*p == '>')
			buf_puts(&s->cur, "&gt;");
		else
			buf_putc(&s->cur, (char)*p);
		s->bol = s->space = false;
		s->content = s->pending = true;
	}
}

/* A line break (br): a space before it is dropped. Pango counts the
 * characters from a layout's start for each of its paragraphs, so many
 * breaks in one layout cost their square: a chunk ends after BREAKS of
 * them (where it changes nothing, a layout's end being a line's end). */
static void inl_break(pdf_inl *s)
{
	if (s->cur.len && s->cur.data[s->cur.len - 1] == ' ')
		s->cur.data[--s->cur.len] = '\0';
	buf_putc(&s->cur, '\n');
	s->bol = s->space = s->content = s->pending = true;
	s->word = 0;
	if (s->cur.len > CHUNK || ++s->breaks >= BREAKS)
		inl_cut(s);
}

/* A new line unless at one: a block flattened into text starts there. */
static void inl_line(pdf_inl *s)
{
	if (!s->bol)
		inl_break(s);
}

void pdf_inl_children(pdf_inl *s, const xmlNode *n)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		pdf_inl_node(s, c);
}

/* A list flattened: one line an item, its marker written out. */
static void inl_list(pdf_inl *s, const xmlNode *n, bool ordered)
{
	int no = 0;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (pdf_is_text(c) && pdf_blank(c))
			continue;
		inl_line(s);
		if (pdf_kind(c) == K_LI) {
			char mark[24];
			snprintf(mark, sizeof mark, ordered ? "%d. " : "\u2022 ", ++no);
			pdf_inl_text(s, mark);
		}
		pdf_inl_node(s, c);
	}
	inl_line(s);
}

void pdf_inl_node(pdf_inl *s, const xmlNode *n)
{
	if (pdf_is_text(n)) {
		pdf_inl_text(s, (const char *)n->content);
		return;
	}
	if (n->type != XML_ELEMENT_NODE)
		return;
	pdf_elem k = pdf_kind(n);
	const char *t1 = NULL, *t2 = NULL;
	switch (k) {
	case K_BR: inl_break(s); return;
	case K_B: t1 = "b"; break;
	case K_I: t1 = "i"; break;
	case K_U: t1 = "u"; break;
	case K_SPAN:
		t1 = pdf_has_class(n, "tebal") ? "b" : NULL;
		t2 = pdf_has_class(n, "kecil") ? "small" : NULL;
		break;
	case K_UL:
	case K_OL: inl_list(s, n, k == K_OL); return;
	case K_H1:
	case K_H2:
	case K_H3:
		inl_line(s);
		t1 = "b";
		break;
	default: /* a block where text is expected: its own lines */
		inl_line(s);
		t1 = pdf_has_class(n, "tebal") ? "b" : NULL;
		break;
	}
	bool o1 = t1 && inl_open(s, t1), o2 = t2 && inl_open(s, t2);
	pdf_inl_children(s, n);
	if (o2)
		inl_close(s);
	if (o1)
		inl_close(s);
	if (!pdf_is_inline(n))
		inl_line(s);
}

/* Ends the markup (the last line break dropped by inl_cut, as HTML does
 * not show one at a block's end). Returns whether there is anything to
 * lay out; the chunks stay in s (an empty one when there is nothing, no
 * empty one after the last when a cut fell at the very end). */
bool pdf_inl_finish(pdf_inl *s)
{
	buf *b = &s->cur;
	while (b->len && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	if (s->pending || s->n == 0)
		inl_cut(s);
	return s->content;
}

/* ---- text blocks: markup placed line by line */

/* Takes the chunks of s. */
void pdf_tb_init(pdf_tb *t, pdf_inl *s, const pdf_style *st, double width)
{
	memset(t, 0, sizeof *t);
	t->chunk = s->chunk;
	t->nchunk = s->n;
	s->chunk = NULL;
	s->n = s->cap = 0;
	t->st = *st;
	t->width = width;
}

void pdf_tb_free(pdf_tb *t)
{
	if (t->lay)
		g_object_unref(t->lay);
	for (size_t i = 0; i < t->nchunk; i++)
		free(t->chunk[i]);
	free(t->chunk);
	free(t->v);
	memset(t, 0, sizeof *t);
}

void pdf_tb_rewind(pdf_tb *t)
{
	if (t->lay)
		g_object_unref(t->lay);
	t->lay = NULL;
	t->ci = 0;
	t->n = t->next = 0;
}

static int tb_layout(pdf_flow *f, pdf_tb *t)
{
	PangoAttrList *attrs = NULL;
	char *text = NULL;
	GError *ge = NULL;
	if (!pango_parse_markup(t->chunk[t->ci++], -1, 0, &attrs, &text, NULL, &ge)) {
		sg_err_set(f->e, SG_EINVAL, "the document's text cannot be laid out: %s",
		           ge ? ge->message : "bad markup");
		g_clear_error(&ge);
		f->failed = true;
		return -1;
	}
	if (t->lay)
		g_object_unref(t->lay);
	t->lay = new_layout(f, &t->st, t->width);
	pango_layout_set_text(t->lay, text, -1);
	pango_layout_set_attributes(t->lay, attrs);
	pango_attr_list_unref(attrs);
	g_free(text);
	int n = pango_layout_get_line_count(t->lay);
	if (n > t->cap) {
		t->cap = n;
		t->v = realloc(t->v, (size_t)n * sizeof *t->v);
		if (!t->v)
			abort();
	}
	PangoLayoutIter *it = pango_layout_get_iter(t->lay);
	int i = 0;
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		pdf_tline *l = &t->v[i++];
		l->line = pango_layout_iter_get_line_readonly(it);
		l->y0 = (double)r.y / PANGO_SCALE;
		l->y1 = (double)(r.y + r.height) / PANGO_SCALE;
		l->x = (double)r.x / PANGO_SCALE;
		l->base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
	} while (i < n && pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	t->n = i;
	t->next = 0;
	return 0;
}

/* Lays out chunks until a line waits to be placed or none is left. */
int pdf_tb_fill(pdf_flow *f, pdf_tb *t)
{
	while (t->next >= t->n && t->ci < t->nchunk)
		if (tb_layout(f, t) < 0)
			return -1;
	return 0;
}

bool pdf_tb_done(const pdf_tb *t)
{
	return t->next >= t->n && t->ci >= t->nchunk;
}

/* The height of what is left to place (after pdf_tb_fill); PDF_BIG
 * while chunks wait: their text is more than a page. */
double pdf_tb_rest(const pdf_tb *t)
{
	if (t->ci < t->nchunk)
		return PDF_BIG;
	return t->next < t->n ? t->v[t->n - 1].y1 - t->v[t->next].y0 : 0;
}

/* Places the lines that fit in avail below y at left edge x (with force,
 * at least one). Returns the height used, or -1 with f->e set. */
double pdf_tb_place(pdf_flow *f, pdf_tb *t, double x, double y, double avail, bool force)
{
	double used = 0;
	for (;;) {
		if (pdf_tb_fill(f, t) < 0)
			return -1;
		if (t->next >= t->n)
			return used;
		const pdf_tline *l = &t->v[t->next];
		double h = l->y1 - l->y0;
		if (used + h > avail + 0.01 && !(force && used == 0))
			return used;
		if (f->draw) {
			cairo_move_to(f->cr, x + l->x, y + used + l->base - l->y0);
			pango_cairo_show_layout_line(f->cr, l->line);
		}
		used += h;
		t->next++;
	}
}

/* ---- plain text and rules, for pdf.c */

PangoLayout *pdf_text(pdf_flow *f, const char *text, const char *family, double size, bool bold,
                      double width, PangoAlignment align)
{
	pdf_style s = {family, size, bold, false, false, align, false, 0};
	PangoLayout *l = new_layout(f, &s, width);
	if (g_utf8_validate(text, -1, NULL)) {
		pango_layout_set_text(l, text, -1);
	} else {
		char *v = g_utf8_make_valid(text, -1);
		pango_layout_set_text(l, v, -1);
		g_free(v);
	}
	return l;
}

double pdf_text_height(PangoLayout *l)
{
	PangoRectangle r;
	pango_layout_get_extents(l, NULL, &r);
	return (double)r.height / PANGO_SCALE;
}

double pdf_text_width(PangoLayout *l)
{
	PangoRectangle r;
	pango_layout_get_extents(l, NULL, &r);
	return (double)(r.x + r.width) / PANGO_SCALE;
}

void pdf_text_show(pdf_flow *f, PangoLayout *l, double x, double y)
{
	if (!f->draw)
		return;
	cairo_move_to(f->cr, x, y);
	pango_cairo_show_layout(f->cr, l);
}

void pdf_rule(pdf_flow *f, double x0, double x1, double y, double lw)
{
	if (!f->draw)
		return;
	cairo_set_line_width(f->cr, lw);
	cairo_move_to(f->cr, x0, y);
	cairo_line_to(f->cr, x1, y);
	cairo_stroke(f->cr);
}
