/*
 * pdf_layout.h: what the files of the PDF layout share; not part of the
 * API (pdf.h is). pdf.c: the passes, pages, letterhead, footer, QR code;
 * pdf_layout.c: the elements, the flow and the body's blocks;
 * pdf_text.c: inline nodes to Pango markup, text placed line by line;
 * pdf_table.c: tables.
 *
 * A flow is the cursor of one pass over the document: the column text is
 * laid out in, the row where the next block goes, the page it is on.
 * Lengths are PDF points (1/72 inch), y grows downwards.
 */
#ifndef SG_PDF_LAYOUT_H
#define SG_PDF_LAYOUT_H

#include <stdbool.h>

#include <cairo.h>
#include <libxml/tree.h>
#include <pango/pangocairo.h>

#include "base/buf.h"
#include "base/err.h"

/* sigap does not link libm: the two it would take from there. */
static inline double pdf_min(double a, double b)
{
	return a < b ? a : b;
}

static inline double pdf_max(double a, double b)
{
	return a > b ? a : b;
}

/* At most this many pages: a hostile template or value cannot make
 * unbounded work (pdf.h's SG_ETOOBIG). */
enum { PDF_MAX_PAGES = 2000 };

/* A height no page reaches: a measuring flow's bottom, the rest of a
 * text block whose later chunks are not laid out yet. */
#define PDF_BIG 1e9

/* An open div.kotak: its frame is drawn when it closes, and a piece of it
 * on every page it runs over. */
typedef struct pdf_box pdf_box;
struct pdf_box {
	pdf_box *up; /* the box around this one, or NULL */
	double x, w; /* the frame's left edge and width */
	double y0;   /* its top on the current page */
};

typedef struct pdf_flow pdf_flow;
struct pdf_flow {
	cairo_t *cr;        /* NULL while counting pages */
	PangoContext *pc;   /* one for both passes: the same line breaks */
	bool draw;          /* false: count pages (pass 1) or measure */
	bool measure;       /* an endless page: heights only, no page breaks */
	double left, width; /* the page's text column */
	double top, bottom; /* the rows text may use on a page */
	double y;           /* where the next block starts */
	double gap;         /* space owed before the next block */
	bool fresh;         /* nothing placed on this page yet */
	double tail;        /* room the body's last block keeps below it
	                     * for what pdf.c places after (the QR code) */
	int page;           /* 1-based */
	pdf_box *boxes;     /* innermost open box */
	/* pdf.c: ends the page and starts the next (its marks, y = top).
	 * Returns -1 with e set past PDF_MAX_PAGES. */
	int (*next_page)(pdf_flow *f);
	void *doc; /* pdf.c's state for next_page */
	sg_err *e;
	bool failed; /* e is set: every step returns at once */
};

/* ---- the elements (pdf_layout.c) */

typedef enum {
	K_OTHER,
	K_H1,
	K_H2,
	K_H3,
	K_P,
	K_B,
	K_I,
	K_U,
	K_BR,
	K_HR,
	K_TABLE,
	K_THEAD,
	K_TBODY,
	K_TR,
	K_TH,
	K_TD,
	K_UL,
	K_OL,
	K_LI,
	K_DIV,
	K_SPAN
} pdf_elem;

/* The element n is (K_OTHER: not an element, or not one of tmpl.h's). */
pdf_elem pdf_kind(const xmlNode *n);
bool pdf_is_text(const xmlNode *n);   /* text or CDATA */
bool pdf_blank(const xmlNode *n);     /* whitespace only */
bool pdf_is_inline(const xmlNode *n); /* text, b i u br span */
/* A whole number attribute in [lo, hi] ("30" or "30%"); def otherwise. */
int pdf_attr_int(const xmlNode *n, const char *name, int lo, int hi, int def);
bool pdf_has_class(const xmlNode *n, const char *cls);

/* Refuses (SG_EINVAL, naming it) a node of body that the layout does
 * not know: an element outside tmpl.h's list, or an entity reference. */
int pdf_check_body(const xmlNode *body, sg_err *e);

/* ---- text (pdf_text.c) */

/* How a block's text is set. */
typedef struct pdf_style {
	const char *family;
	double size; /* points */
	bool bold, italic, small;
	PangoAlignment align;
	bool justify;
	double gap; /* space after a paragraph */
} pdf_style;

/* The classes of n (tengah kanan tebal kecil judul) applied to s. */
void pdf_style_classes(pdf_style *s, const xmlNode *n);

enum { PDF_TAGS = 32 }; /* inline tags kept open across a chunk's cut */

/* Inline nodes being written as Pango markup, in chunks. */
typedef struct pdf_inl {
	buf cur;      /* the chunk being written */
	char **chunk; /* the chunks done */
	size_t n, cap;
	const char *tag[PDF_TAGS]; /* tags open, outermost first */
	int depth;
	bool bol;     /* at a line's start: spaces are dropped */
	bool space;   /* the last thing written is a space */
	bool content; /* text or a line break was written */
	bool pending; /* ... since the last chunk was cut */
	int breaks;   /* line breaks in the chunk */
	size_t word;  /* bytes since the last space */
} pdf_inl;

void pdf_inl_init(pdf_inl *s);
void pdf_inl_free(pdf_inl *s);
void pdf_inl_text(pdf_inl *s, const char *t);    /* text, escaped */
void pdf_inl_node(pdf_inl *s, const xmlNode *n); /* a node and its children */
void pdf_inl_children(pdf_inl *s, const xmlNode *n);
/* Ends the markup; whether it has anything to show (there is at least
 * one chunk, maybe empty, either way). */
bool pdf_inl_finish(pdf_inl *s);

/* A line of a laid out chunk, where it lies in its layout. */
typedef struct pdf_tline {
	PangoLayoutLine *line;
	double y0, y1, base, x;
} pdf_tline;

/* A text block: markup placed line by line, its chunks laid out one at
 * a time as the lines before them are placed. */
typedef struct pdf_tb {
	char **chunk;
	size_t nchunk, ci; /* ci: the next chunk to lay out */
	pdf_style st;
	double width;
	PangoLayout *lay; /* chunk ci - 1 */
	pdf_tline *v;
	int n, cap, next; /* its lines, the first not placed yet */
} pdf_tb;

/* Takes the chunks of s (which still needs pdf_inl_free). */
void pdf_tb_init(pdf_tb *t, pdf_inl *s, const pdf_style *st, double width);
void pdf_tb_free(pdf_tb *t);
/* Back to the first line (a header row placed again). */
void pdf_tb_rewind(pdf_tb *t);
/* Lays out chunks until a line waits or none is left; -1: f->e set. */
int pdf_tb_fill(pdf_flow *f, pdf_tb *t);
bool pdf_tb_done(const pdf_tb *t);
/* The height of what is left (after pdf_tb_fill); PDF_BIG while chunks
 * wait, their text being more than a page. */
double pdf_tb_rest(const pdf_tb *t);
/* Places (draws, when f->draw) the lines that fit in avail below y at
 * left edge x; with force, at least one. Returns the height used, or -1
 * with f->e set. */
double pdf_tb_place(pdf_flow *f, pdf_tb *t, double x, double y, double avail, bool force);

/* ---- the flow (pdf_layout.c) */

/* Lays out the children of body from f->y on, breaking pages as needed.
 * Returns 0, or -1 with f->e set. */
int pdf_flow_body(pdf_flow *f, const xmlNode *body);

/* Starts a block: the space owed (at least before) unless at a page's
 * top. */
void pdf_flow_open(pdf_flow *f, double before);

/* Ends the page (the frames of open boxes, then f->next_page) and goes
 * on at the top of the next. Returns -1 with f->e set at the limit. */
int pdf_flow_break(pdf_flow *f);

/* Breaks the page when h does not fit below y and the page has something
 * on it already. */
int pdf_flow_need(pdf_flow *f, double h);

/* ---- tables (pdf_table.c) */

/* Table n in the column x .. x + w; st: the body's style around it. */
int pdf_flow_table(pdf_flow *f, const xmlNode *n, double x, double w, const pdf_style *st);

/* ---- for pdf.c (pdf_text.c) */

/* A layout of plain text (not markup: any string is safe) in family at
 * size points; width <= 0: one line per paragraph, no wrapping. */
PangoLayout *pdf_text(pdf_flow *f, const char *text, const char *family, double size, bool bold,
                      double width, PangoAlignment align);
/* Its height in points. */
double pdf_text_height(PangoLayout *l);
double pdf_text_width(PangoLayout *l);
/* Draws l with its top left corner at (x, y) in the current colour,
 * when f->draw. */
void pdf_text_show(pdf_flow *f, PangoLayout *l, double x, double y);
/* A horizontal rule of line width lw centred on row y, when f->draw. */
void pdf_rule(pdf_flow *f, double x0, double x1, double y, double lw);

#endif
