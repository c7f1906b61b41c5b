/*
 * pdf_table.c: a table of a document's body laid out (pdf_layout.h).
 *
 * Column widths come from lebar (percent) on the first row's cells, the
 * rest of the width shared equally; colspan spans columns. A row is as
 * tall as its tallest cell, its cells padded, framed unless the table is
 * tanpa-garis (a table that only lays text out, in the body's letters).
 * A row that does not fit the room left goes to the next page, below the
 * table's header rows (thead, or a first row of th cells) repeated; a row
 * taller than a page is split by lines, each cell going on where it
 * stopped. Rows are laid out one at a time, so a long table costs the
 * memory of one row (and of the header rows, kept to be repeated).
 */
#include "report/pdf_layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_COLS = 64 }; /* columns of a table */

static const double PAD_X = 4, PAD_Y = 3;
/* A row is split where it stands only when this much room is left;
 * otherwise it starts on the next page. */
static const double MIN_SPLIT = 40;

typedef struct tcell {
	int col, span;
	bool th;
	pdf_tb t;
} tcell;

typedef struct trow {
	tcell *c;
	int n;
} trow;

typedef struct rowlist {
	const xmlNode **v;
	size_t n, cap;
} rowlist;

typedef struct ttable {
	double colx[MAX_COLS + 1];
	int ncol;
	bool grid;
	pdf_style st;
	trow *head;
	size_t nhead;
	double head_h;
	bool repeat;  /* the header rows go on top of each continued page */
	double top_y; /* below the header on a page the table continues on */
} ttable;

static bool cell_like(const xmlNode *c)
{
	return c->type == XML_ELEMENT_NODE || (pdf_is_text(c) && !pdf_blank(c));
}

static void rows_add(rowlist *r, const xmlNode *n)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 32;
		r->v = realloc(r->v, r->cap * sizeof *r->v);
		if (!r->v)
			abort();
	}
	r->v[r->n++] = n;
}

/* The rows of table n: thead's go to head, the others to body in order;
 * a stray node is a row of its own, one cell across. */
static void rows_collect(const xmlNode *n, rowlist *head, rowlist *body)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		pdf_elem k = pdf_kind(c);
		if (k == K_THEAD || k == K_TBODY) {
			for (const xmlNode *r = c->children; r; r = r->next)
				if (cell_like(r))
					rows_add(k == K_THEAD ? head : body, r);
		} else if (cell_like(c)) {
			rows_add(body, c);
		}
	}
}

static int cell_span(const xmlNode *c)
{
	return c->type == XML_ELEMENT_NODE ? pdf_attr_int(c, "colspan", 1, 20, 1) : 1;
}

/* Columns a row asks for (a stray row: 1). */
static int row_cols(const xmlNode *r)
{
	if (pdf_kind(r) != K_TR)
		return 1;
	int n = 0;
	for (const xmlNode *c = r->children; c; c = c->next)
		if (cell_like(c))
			n += cell_span(c);
	return n;
}

static bool row_all_th(const xmlNode *r)
{
	int n = 0;
	if (pdf_kind(r) != K_TR)
		return false;
	for (const xmlNode *c = r->children; c; c = c->next)
		if (cell_like(c) && (n++, pdf_kind(c) != K_TH))
			return false;
	return n > 0;
}

/* Column edges: lebar on the first row's cells, the rest of the width
 * shared equally (each free column at least 4%). */
static void table_cols(ttable *T, const xmlNode *first, double x, double w)
{
	double pct[MAX_COLS] = {0};
	bool set[MAX_COLS] = {false};
	int col = 0;
	for (const xmlNode *c = first && pdf_kind(first) == K_TR ? first->children : NULL;
	     c && col < T->ncol; c = c->next) {
		if (!cell_like(c))
			continue;
		int span = cell_span(c);
		span = span > T->ncol - col ? T->ncol - col : span;
		int lebar = c->type == XML_ELEMENT_NODE ? pdf_attr_int(c, "lebar", 1, 100, 0) : 0;
		for (int k = 0; lebar && k < span; k++) {
			pct[col + k] = (double)lebar / span;
			set[col + k] = true;
		}
		col += span;
	}
	double sum = 0;
	int nfree = 0;
	for (int k = 0; k < T->ncol; k++) {
		sum += pct[k];
		nfree += !set[k];
	}
	double rest = 100 - sum;
	if (nfree > 0 && rest < 4.0 * nfree) {
		for (int k = 0; k < T->ncol; k++)
			pct[k] *= (100 - 4.0 * nfree) / sum;
		rest = 4.0 * nfree;
	}
	double total = 0;
	for (int k = 0; k < T->ncol; k++) {
		if (!set[k])
			pct[k] = rest / nfree;
		total += pct[k];
	}
	T->colx[0] = x;
	for (int k = 0; k < T->ncol; k++)
		T->colx[k + 1] = T->colx[k] + w * pct[k] / total;
}

static void row_free(trow *r)
{
	for (int i = 0; i < r->n; i++)
		pdf_tb_free(&r->c[i].t);
	free(r->c);
	r->c = NULL;
	r->n = 0;
}

static void cell_add(trow *r, const ttable *T, const xmlNode *c, int col, int span,
                     const pdf_style *rs)
{
	tcell *cell = &r->c[r->n++];
	cell->col = col;
	cell->span = span;
	cell->th = pdf_kind(c) == K_TH;
	pdf_style cs = *rs;
	if (cell->th) {
		cs.bold = true;
		cs.align = PANGO_ALIGN_CENTER;
	}
	if (c->type == XML_ELEMENT_NODE)
		pdf_style_classes(&cs, c);
	pdf_inl s;
	pdf_inl_init(&s);
	if (pdf_kind(c) == K_TD || cell->th)
		pdf_inl_children(&s, c);
	else
		pdf_inl_node(&s, c);
	pdf_inl_finish(&s);
	pdf_tb_init(&cell->t, &s, &cs, T->colx[col + span] - T->colx[col] - 2 * PAD_X);
	pdf_inl_free(&s);
}

static void row_build(const ttable *T, const xmlNode *rn, trow *r)
{
	r->c = calloc(MAX_COLS, sizeof *r->c);
	r->n = 0;
	if (!r->c)
		abort();
	if (pdf_kind(rn) != K_TR) {
		cell_add(r, T, rn, 0, T->ncol, &T->st);
		return;
	}
	pdf_style rs = T->st;
	pdf_style_classes(&rs, rn);
	int col = 0;
	for (const xmlNode *c = rn->children; c && col < T->ncol; c = c->next) {
		if (!cell_like(c))
			continue;
		int span = cell_span(c);
		span = span > T->ncol - col ? T->ncol - col : span;
		cell_add(r, T, c, col, span, &rs);
		col += span;
	}
}

/* The height of what is left of row r; -1: error. */
static double row_rest(pdf_flow *f, trow *r)
{
	double h = 0;
	for (int i = 0; i < r->n; i++) {
		if (pdf_tb_fill(f, &r->c[i].t) < 0)
			return -1;
		h = pdf_max(h, pdf_tb_rest(&r->c[i].t));
	}
	return h + 2 * PAD_Y;
}

/* Draws the part of row r that fits in a piece h tall at y: th shading,
 * the lines of each cell that fit, the cells' borders. */
static int row_piece(pdf_flow *f, const ttable *T, trow *r, double h, bool force)
{
	double y = f->y;
	for (int i = 0; f->draw && i < r->n; i++) {
		const tcell *c = &r->c[i];
		if (!c->th)
			continue;
		cairo_set_source_rgb(f->cr, 0.88, 0.88, 0.88);
		cairo_rectangle(f->cr, T->colx[c->col], y,
		                T->colx[c->col + c->span] - T->colx[c->col], h);
		cairo_fill(f->cr);
		cairo_set_source_rgb(f->cr, 0, 0, 0);
	}
	bool placed = false;
	for (int pass = 0; pass < 2 && !placed; pass++) /* pass 1: force a line */
		for (int i = 0; i < r->n; i++) {
			tcell *c = &r->c[i];
			double u = pdf_tb_place(f, &c->t, T->colx[c->col] + PAD_X, y + PAD_Y,
			                        h - 2 * PAD_Y, pass == 1 && force);
			if (u < 0)
				return -1;
			placed |= u > 0 || pass == 1 || !force;
		}
	for (int i = 0; f->draw && T->grid && i < r->n; i++) {
		const tcell *c = &r->c[i];
		cairo_set_line_width(f->cr, 0.5);
		cairo_rectangle(f->cr, T->colx[c->col], y,
		                T->colx[c->col + c->span] - T->colx[c->col], h);
		cairo_stroke(f->cr);
	}
	f->y = y + h;
	f->fresh = false;
	return 0;
}

/* The next page, the header rows on top of it. */
static int table_break(pdf_flow *f, ttable *T)
{
	if (pdf_flow_break(f) < 0)
		return -1;
	for (size_t i = 0; T->repeat && i < T->nhead; i++) {
		trow *r = &T->head[i];
		for (int k = 0; k < r->n; k++)
			pdf_tb_rewind(&r->c[k].t);
		double h = row_rest(f, r);
		if (h < 0 || row_piece(f, T, r, h, true) < 0)
			return -1;
	}
	T->top_y = f->y;
	return 0;
}

static int place_row(pdf_flow *f, ttable *T, trow *r)
{
	for (;;) {
		double rest = row_rest(f, r), avail = f->bottom - f->y;
		if (rest < 0)
			return -1;
		if (rest <= avail + 0.01)
			return row_piece(f, T, r, rest, false);
		bool at_top = f->y <= T->top_y + 0.01;
		double page = f->bottom - f->top - (T->repeat ? T->head_h : 0);
		if (!at_top && (rest <= page || avail < MIN_SPLIT)) {
			if (table_break(f, T) < 0)
				return -1;
			continue;
		}
		if (row_piece(f, T, r, avail, at_top) < 0 || table_break(f, T) < 0)
			return -1;
	}
}

/* The header rows, laid out once for the whole table. */
static int table_head(pdf_flow *f, ttable *T, const rowlist *head)
{
	T->head = calloc(head->n ? head->n : 1, sizeof *T->head);
	if (!T->head)
		abort();
	T->head_h = 0;
	for (size_t i = 0; i < head->n; i++) {
		row_build(T, head->v[i], &T->head[i]);
		T->nhead++;
		double h = row_rest(f, &T->head[i]);
		if (h < 0)
			return -1;
		T->head_h += h;
	}
	return 0;
}

static int table_rows(pdf_flow *f, ttable *T, const rowlist *body)
{
	pdf_flow_open(f, 6);
	if (pdf_flow_need(f, pdf_min(T->head_h, (f->bottom - f->top) / 3) + MIN_SPLIT) < 0)
		return -1;
	T->top_y = f->fresh ? f->y : -PDF_BIG;
	for (size_t i = 0; i < T->nhead; i++)
		if (place_row(f, T, &T->head[i]) < 0)
			return -1;
	if (T->top_y > -PDF_BIG)
		T->top_y = f->y;
	T->repeat = T->nhead > 0 && T->head_h <= (f->bottom - f->top) / 3;
	for (size_t i = 0; i < body->n; i++) {
		trow r;
		row_build(T, body->v[i], &r);
		int rc = place_row(f, T, &r);
		row_free(&r);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int pdf_flow_table(pdf_flow *f, const xmlNode *n, double x, double w, const pdf_style *st)
{
	ttable T;
	memset(&T, 0, sizeof T);
	T.grid = !pdf_has_class(n, "tanpa-garis");
	/* a table without borders lays text out (Kepada, Dari, Hal): the
	 * body's letters; a table with them, a smaller sans */
	T.st = T.grid
	           ? (pdf_style){"DejaVu Sans", 9, false, false, false, PANGO_ALIGN_LEFT, false, 0}
	           : (pdf_style){st->family, st->size,         false, false,
	                         st->small,  PANGO_ALIGN_LEFT, false, 0};
	pdf_style_classes(&T.st, n);
	rowlist head = {0}, body = {0};
	rows_collect(n, &head, &body);
	if (head.n == 0 && body.n > 0 && row_all_th(body.v[0])) {
		rows_add(&head, body.v[0]);
		memmove(body.v, body.v + 1, --body.n * sizeof *body.v);
	}
	for (size_t i = 0; i < head.n + body.n; i++) {
		int c = row_cols(i < head.n ? head.v[i] : body.v[i - head.n]);
		T.ncol = c > T.ncol ? c : T.ncol;
	}
	int rc = 0;
	if (T.ncol > MAX_COLS)
		rc = sg_err_set(
		    f->e, SG_EINVAL,
		    "line %ld of the document's body: a table of %d columns; at most %d fit "
		    "a page",
		    xmlGetLineNo(n), T.ncol, MAX_COLS);
	if (rc == 0 && T.ncol > 0) {
		table_cols(&T, head.n ? head.v[0] : body.v[0], x, w);
		rc = table_head(f, &T, &head);
		if (rc == 0)
			rc = table_rows(f, &T, &body);
	}
	for (size_t i = 0; i < T.nhead; i++)
		row_free(&T.head[i]);
	free(T.head);
	free(head.v);
	free(body.v);
	f->failed |= rc < 0;
	f->gap = 8;
	return rc;
}
