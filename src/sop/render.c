/*
 * render.c: the SOP document renderer (see render.h).
 *
 * The flowchart is drawn cell by cell. Each actor cell of the procedure
 * table holds an SVG stretched over the cell (position: absolute), and
 * every shape in it is placed in percentages of the cell (x = 50% is the
 * centre, y = 50% the middle of the row), with fixed pixel offsets hung on
 * those anchors through nested <svg> elements. The browser sizes the rows
 * from the text columns, and the drawing follows, so symbols and
 * connectors stay aligned whatever the fonts, the page width or the
 * printer, and a printed table still breaks between rows.
 *
 * Symbols follow Permenpan RB 35/2012: the first step and the end are
 * terminators (rounded), a decision is a diamond, other steps are
 * rectangles. Connectors are orthogonal: to the next row straight down;
 * to the next row in another column, across then down; further or back,
 * across to a lane at the edge of a column, along it, and into the
 * target's side. Branches to the end of the flow go to the end row: the
 * procedure's own "Selesai" row, or a row added for it.
 *
 * Cost: O(rows × actors + edges × rows) shapes.
 */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Symbol sizes in CSS pixels; an actor column is 26mm (about 98px). */
enum { SYM_W = 58, SYM_H = 26, DIA_W = 60, DIA_H = 36, ARROW = 5 };
static const double LANE_STEP = 6.0; /* lane spacing, in % of a column */

typedef struct grid {
	size_t rows, cols;
	buf *lines; /* rows × cols: connectors, drawn first */
	buf *shapes; /* rows × cols: symbols and labels, drawn on top */
	int *lanes_left, *lanes_right; /* per column, lanes used */
} grid;

static buf *cell(grid *g, buf *layer, size_t r, size_t c)
{
	return &layer[r * g->cols + c];
}

/* A line within one cell between two points each given as a percentage
 * anchor plus a pixel offset: (x%, y% + dy px). */
static void seg(grid *g, size_t r, size_t c, double x1, double y1, double x2, double y2)
{
	buf_printf(cell(g, g->lines, r, c),
		   "<line x1=\"%.1f%%\" y1=\"%.1f%%\" x2=\"%.1f%%\" y2=\"%.1f%%\" class=\"c\"/>", x1, y1,
		   x2, y2);
}

/* An arrowhead whose tip is at the cell centre offset by (dx, dy) px,
 * pointing in direction (ux, uy) (a unit axis vector). */
static void arrow(grid *g, size_t r, size_t c, int dx, int dy, int ux, int uy)
{
	int bx = dx - ux * ARROW * 2, by = dy - uy * ARROW * 2;
	buf_printf(cell(g, g->shapes, r, c),
		   "<svg x=\"50%%\" y=\"50%%\" overflow=\"visible\"><polygon class=\"a\" "
		   "points=\"%d,%d %d,%d %d,%d\"/></svg>",
		   dx, dy, bx - uy * ARROW, by - ux * ARROW, bx + uy * ARROW, by + ux * ARROW);
}

static void label(grid *g, size_t r, size_t c, int dx, int dy, const char *anchor, const char *text)
{
	buf *b = cell(g, g->shapes, r, c);
	buf_printf(b, "<svg x=\"50%%\" y=\"50%%\" overflow=\"visible\"><text x=\"%d\" y=\"%d\" "
		      "text-anchor=\"%s\" class=\"l\">",
		   dx, dy, anchor);
	buf_put_html(b, text);
	buf_puts(b, "</text></svg>");
}

typedef enum { SHAPE_PROCESS, SHAPE_DECISION, SHAPE_TERMINATOR } shape_kind;

static void symbol(grid *g, size_t r, size_t c, shape_kind k, int no, bool current)
{
	buf *b = cell(g, g->shapes, r, c);
	buf_printf(b, "<svg x=\"50%%\" y=\"50%%\" overflow=\"visible\"><g class=\"s%s\" data-step=\"%d\">",
		   current ? " now" : "", no);
	switch (k) {
	case SHAPE_DECISION:
		buf_printf(b, "<polygon points=\"0,%d %d,0 0,%d %d,0\"/>", -DIA_H / 2, DIA_W / 2,
			   DIA_H / 2, -DIA_W / 2);
		break;
	case SHAPE_TERMINATOR:
		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"%d\"/>", -SYM_W / 2,
			   -SYM_H / 2, SYM_W, SYM_H, SYM_H / 2);
		break;
	default:
		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", -SYM_W / 2,
			   -SYM_H / 2, SYM_W, SYM_H);
	}
	if (no > 0)
		buf_printf(b, "<text x=\"0\" y=\"4\" text-anchor=\"middle\" class=\"n\">%d</text>", no);
	buf_puts(b, "</g></svg>");
}

/* Half extents of the symbol of a row, for where connectors meet it. */
static void extents(shape_kind k, int *hw, int *hh)
{
	*hw = k == SHAPE_DECISION ? DIA_W / 2 : SYM_W / 2;
	*hh = k == SHAPE_DECISION ? DIA_H / 2 : SYM_H / 2;
}

typedef struct row_info {
	size_t col;
	shape_kind kind;
} row_info;

/* Draws a horizontal run in row r from column position xa (column index
 * plus fraction) to xb, cell by cell. */
static void hrun(grid *g, size_t r, double xa, double xb)
{
	double lo = xa < xb ? xa : xb, hi = xa < xb ? xb : xa;
	for (size_t c = (size_t)lo; c < g->cols && (double)c < hi; c++) {
		double a = lo > (double)c ? (lo - (double)c) * 100 : 0;
		double b = hi < (double)(c + 1) ? (hi - (double)c) * 100 : 100;
		if (b > a)
			seg(g, r, c, a, 50, b, 50);
	}
}

/* A vertical run in column c at fraction fx from the middle of row ra to
 * the middle of row rb. */
static void vrun(grid *g, size_t c, double fx, size_t ra, size_t rb)
{
	size_t lo = ra < rb ? ra : rb, hi = ra < rb ? rb : ra;
	for (size_t r = lo; r <= hi; r++)
		seg(g, r, c, fx * 100, r == lo ? 50 : 0, fx * 100, r == hi ? 50 : 100);
}

static bool column_clear(const row_info *rows, size_t c, size_t from, size_t to)
{
	for (size_t r = from; r < to; r++)
		if (rows[r].col == c)
			return false;
	return true;
}

typedef enum { EXIT_DOWN, EXIT_RIGHT, EXIT_LEFT } exit_side;

/* Routes one connector from row i to row j. */
static void route(grid *g, const row_info *rows, size_t i, size_t j, exit_side side,
		  const char *text)
{
	size_t a = rows[i].col, b = rows[j].col;
	int shw, shh, thw, thh;
	extents(rows[i].kind, &shw, &shh);
	extents(rows[j].kind, &thw, &thh);
	if (side == EXIT_DOWN) {
		/* Same column, next row (checked by the caller). */
		seg(g, i, a, 50, 50, 50, 100);
		seg(g, j, b, 50, 0, 50, 50);
		arrow(g, j, b, 0, -thh, 0, 1);
		if (text)
			label(g, i, a, 4, shh + 10, "start", text);
		return;
	}
	int dir = side == EXIT_RIGHT ? 1 : -1;
	if (text)
		label(g, i, a, dir * (shw + 3), -3, dir > 0 ? "start" : "end", text);
	/* Into the top of the target, down its column's centre, when that
	 * column is clear between the rows and the target lies ahead on the
	 * exit side. */
	bool ahead = (dir > 0 && b > a) || (dir < 0 && b < a);
	if (j > i && ahead && column_clear(rows, b, i + 1, j)) {
		hrun(g, i, (double)a + 0.5, (double)b + 0.5);
		vrun(g, b, 0.5, i, j);
		arrow(g, j, b, 0, -thh, 0, 1);
		return;
	}
	/* Otherwise along a lane: at the near edge of the target column when
	 * the target lies ahead, else at the exit-side edge of the own column. */
	size_t lc = ahead ? b : a;
	bool lane_right = ahead ? dir < 0 : dir > 0;
	int *used = lane_right ? &g->lanes_right[lc] : &g->lanes_left[lc];
	double fx = lane_right ? 0.94 - *used * LANE_STEP / 100 : 0.06 + *used * LANE_STEP / 100;
	if (*used < 2)
		(*used)++;
	hrun(g, i, (double)a + 0.5, (double)lc + fx);
	vrun(g, lc, fx, i, j);
	double lx = (double)lc + fx, tx = (double)b + 0.5;
	hrun(g, j, lx, tx);
	int in = lx < tx ? 1 : -1; /* the arrow travels right (1) or left */
	arrow(g, j, b, -in * thw, 0, in, 0);
}

static void grid_init(grid *g, size_t rows, size_t cols)
{
	g->rows = rows;
	g->cols = cols;
	g->lines = calloc(rows * cols, sizeof *g->lines);
	g->shapes = calloc(rows * cols, sizeof *g->shapes);
	g->lanes_left = calloc(cols, sizeof *g->lanes_left);
	g->lanes_right = calloc(cols, sizeof *g->lanes_right);
	if (!g->lines || !g->shapes || !g->lanes_left || !g->lanes_right)
		abort();
}

static void grid_free(grid *g)
{
	for (size_t i = 0; i < g->rows * g->cols; i++) {
		buf_free(&g->lines[i]);
		buf_free(&g->shapes[i]);
	}
	free(g->lines);
	free(g->shapes);
	free(g->lanes_left);
	free(g->lanes_right);
}

/* The row a step index leads to: the step's own row, or the end row for
 * SOP_END. */
static size_t target_row(int target, size_t end_row)
{
	return target == SOP_END ? end_row : (size_t)target;
}

static void put_list_cell(buf *out, const char *const *v, size_t n)
{
	if (n == 1) {
		buf_put_html(out, v[0]);
		return;
	}
	if (n == 0)
		return;
	buf_puts(out, "<ul>");
	for (size_t i = 0; i < n; i++) {
		buf_puts(out, "<li>");
		buf_put_html(out, v[i]);
		buf_puts(out, "</li>");
	}
	buf_puts(out, "</ul>");
}

/* A role acting on no step of any procedure of s (a supervisor that only
 * reopens, buka_kembali) draws no column: the flowchart stays the seed's.
 * col[r] is role r's column, or -1; returns the number of columns. */
static size_t actor_columns(const sop *s, int *col)
{
	size_t cols = 0;
	for (size_t r = 0; r < s->n_roles; r++) {
		bool acts = false;
		for (size_t q = 0; q < s->n_procs && !acts; q++)
			for (size_t i = 0; i < s->procs[q].n_steps && !acts; i++)
				acts = s->procs[q].steps[i].role_index == (int)r;
		col[r] = acts ? (int)cols++ : -1;
	}
	return cols;
}

void sop_render_procedure(const sop *s, const sop_procedure *p, int highlight_no, buf *out)
{
	int *col = calloc(s->n_roles ? s->n_roles : 1, sizeof *col);
	if (col == NULL)
		abort();
	size_t n = p->n_steps, cols = actor_columns(s, col);
	/* End row: the last terminator row, or one added after the steps. */
	size_t end_row = n;
	for (size_t i = 0; i < n; i++)
		if (p->steps[i].terminator)
			end_row = i;
	bool extra_end = end_row == n;
	size_t rows = n + (extra_end ? 1 : 0);
	row_info *ri = calloc(rows, sizeof *ri);
	if (ri == NULL)
		abort();
	for (size_t i = 0; i < n; i++) {
		const sop_step *st = &p->steps[i];
		if (st->terminator) {
			ri[i].col = i > 0 ? ri[i - 1].col : 0;
			ri[i].kind = SHAPE_TERMINATOR;
		} else {
			ri[i].col = st->role_index >= 0 ? (size_t)col[st->role_index] : 0;
			ri[i].kind = st->n_branches ? SHAPE_DECISION
						    : i == 0 ? SHAPE_TERMINATOR : SHAPE_PROCESS;
		}
	}
	if (extra_end) {
		ri[n].col = ri[n - 1].col;
		ri[n].kind = SHAPE_TERMINATOR;
	}
	grid g;
	grid_init(&g, rows, cols);
	for (size_t i = 0; i < n; i++) {
		const sop_step *st = &p->steps[i];
		if (st->terminator)
			continue;
		size_t nb = st->n_branches ? st->n_branches : 1;
		bool used_right = false, used_left = false;
		for (size_t k = 0; k < nb; k++) {
			int target = st->n_branches ? st->branches[k].target : st->next;
			const char *text = st->n_branches ? st->branches[k].label : NULL;
			size_t j = target_row(target, end_row);
			if (j == i)
				continue;
			exit_side side;
			size_t a = ri[i].col, b = ri[j].col;
			if (j == i + 1 && a == b) {
				side = EXIT_DOWN;
			} else {
				side = b < a ? EXIT_LEFT : EXIT_RIGHT;
				if ((side == EXIT_RIGHT && used_right) || (side == EXIT_LEFT && used_left))
					side = side == EXIT_RIGHT ? EXIT_LEFT : EXIT_RIGHT;
			}
			if (side == EXIT_RIGHT)
				used_right = true;
			if (side == EXIT_LEFT)
				used_left = true;
			route(&g, ri, i, j, side, text);
		}
	}
	for (size_t i = 0; i < rows; i++) {
		int no = i < n ? p->steps[i].no : 0;
		symbol(&g, i, ri[i].col, ri[i].kind, i < n && !p->steps[i].terminator ? no : 0,
		       highlight_no > 0 && no == highlight_no);
	}

	/* Five or more actor columns are narrowed (DOCUMENT_CSS) so the table
	 * still fits A4 landscape and a 1280-pixel screen. */
	buf_printf(out, "<table class=\"prosedur%s\"><colgroup><col class=\"no\"><col class=\"uraian\">",
		   cols >= 7 ? " aktor-7" : cols == 6 ? " aktor-6" : cols == 5 ? " aktor-5" : "");
	for (size_t c = 0; c < cols; c++)
		buf_puts(out, "<col class=\"aktor\">");
	buf_puts(out, "<col class=\"kelengkapan\"><col class=\"waktu\"><col class=\"output\">"
		      "<col class=\"ket\"></colgroup><thead><tr><th rowspan=\"2\">No</th>"
		      "<th rowspan=\"2\">Uraian Prosedur</th>");
	buf_printf(out, "<th colspan=\"%zu\">Pelaksana</th><th colspan=\"3\">Mutu Baku</th>"
			"<th rowspan=\"2\">Keterangan</th></tr><tr>",
		   cols);
	for (size_t r = 0; r < s->n_roles; r++) {
		if (col[r] < 0)
			continue;
		buf_puts(out, "<th class=\"aktor\">");
		buf_put_html(out, s->roles[r].nama);
		buf_puts(out, "</th>");
	}
	buf_puts(out, "<th>Kelengkapan</th><th>Waktu</th><th>Output</th></tr></thead><tbody>");
	for (size_t i = 0; i < rows; i++) {
		const sop_step *st = i < n ? &p->steps[i] : NULL;
		bool now = st && highlight_no > 0 && st->no == highlight_no;
		buf_printf(out, "<tr%s>", now ? " class=\"now\"" : "");
		if (st)
			buf_printf(out, "<td class=\"no\">%d</td><td>", st->no);
		else
			buf_puts(out, "<td class=\"no\"></td><td>");
		buf_put_html(out, st ? st->uraian : "Selesai");
		buf_puts(out, "</td>");
		for (size_t c = 0; c < cols; c++) {
			buf_puts(out, "<td class=\"aktor\"><svg class=\"flow\" aria-hidden=\"true\">");
			buf_append(out, g.lines[i * cols + c].data ? g.lines[i * cols + c].data : "",
				   g.lines[i * cols + c].len);
			buf_append(out, g.shapes[i * cols + c].data ? g.shapes[i * cols + c].data : "",
				   g.shapes[i * cols + c].len);
			buf_puts(out, "</svg></td>");
		}
		buf_puts(out, "<td>");
		if (st)
			put_list_cell(out, st->kelengkapan, st->n_kelengkapan);
		buf_puts(out, "</td><td class=\"waktu\">");
		if (st && st->waktu.text && st->waktu.unit != WAKTU_NONE)
			buf_put_html(out, st->waktu.text);
		buf_puts(out, "</td><td>");
		if (st && st->output)
			buf_put_html(out, st->output);
		buf_puts(out, "</td><td>");
		if (st && st->keterangan)
			buf_put_html(out, st->keterangan);
		/* hand-overs: the SOP this one leads into (docs/sop-format.md) */
		bool written = st && st->keterangan;
		for (size_t b = 0; st && b < st->n_branches; b++) {
			if (st->branches[b].start == NULL)
				continue;
			buf_puts(out, written ? "<br>" : "");
			written = true;
			buf_puts(out, "Jika ");
			buf_put_html(out, st->branches[b].label);
			buf_puts(out, ": dilanjutkan dengan prosedur ");
			buf_put_html(out, st->branches[b].start);
		}
		buf_puts(out, "</td></tr>");
	}
	buf_puts(out, "</tbody></table>");
	grid_free(&g);
	free(ri);
	free(col);
}

/* Styles of the document itself, scoped to .sopdoc so a page can embed it. */
#define DOCUMENT_CSS \
	".sopdoc{font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif;font-size:8.5pt;" \
	"color:#000}" \
	".sopdoc table{border-collapse:collapse;width:100%;margin-bottom:4mm}" \
	".sopdoc th,.sopdoc td{border:1px solid #000;padding:1.2mm;vertical-align:top;" \
	"text-align:left}" \
	".sopdoc th{background:#eee;text-align:center;vertical-align:middle}" \
	".sopdoc .identitas td.kop{width:45%;text-align:center;vertical-align:middle;" \
	"font-weight:bold;font-size:11pt}.sopdoc .identitas th{width:18%;text-align:left}" \
	".sopdoc .uraian-sop td{width:50%}.sopdoc .uraian-sop th{width:50%}" \
	".sopdoc ol,.sopdoc ul{margin:0;padding-left:5mm}" \
	".sopdoc h2{font-size:10pt;margin:5mm 0 2mm}" \
	".prosedur{table-layout:fixed}.prosedur col.no{width:7mm}.prosedur col.uraian{width:56mm}" \
	".prosedur col.aktor{width:26mm}.prosedur col.kelengkapan{width:34mm}" \
	".prosedur col.waktu{width:15mm}.prosedur col.output{width:30mm}" \
	".prosedur col.ket{width:30mm}" \
	/* 277mm (A4 landscape less margins) = 172mm of text columns + the actors */ \
	".prosedur.aktor-5 col.aktor{width:21mm}" \
	".prosedur.aktor-6 col.uraian{width:50mm}.prosedur.aktor-6 col.kelengkapan{width:30mm}" \
	".prosedur.aktor-6 col.aktor{width:19mm}" \
	".prosedur.aktor-7 col.uraian{width:44mm}.prosedur.aktor-7 col.kelengkapan{width:28mm}" \
	".prosedur.aktor-7 col.output{width:26mm}.prosedur.aktor-7 col.ket{width:26mm}" \
	".prosedur.aktor-7 col.aktor{width:16mm}" \
	".prosedur thead{display:table-header-group}" \
	".prosedur tr{page-break-inside:avoid;break-inside:avoid}" \
	".prosedur td{height:15mm}.prosedur td.no,.prosedur td.waktu{text-align:center}" \
	".prosedur td.aktor{position:relative;padding:0}" \
	".prosedur th.aktor{font-size:7pt}" \
	".prosedur tr.now td{background:#fff7d6}" \
	"svg.flow{position:absolute;left:0;top:0;width:100%;height:100%;overflow:visible}" \
	"svg.flow .c{stroke:#000;stroke-width:1.2}" \
	"svg.flow .a{fill:#000}" \
	"svg.flow .s rect,svg.flow .s polygon{fill:#fff;stroke:#000;stroke-width:1.4}" \
	"svg.flow .s.now rect,svg.flow .s.now polygon{fill:#ffd23f;stroke-width:2.4}" \
	"svg.flow .n{font-size:9px;fill:#555}" \
	"svg.flow .l{font-size:9px;fill:#000}" \
	".prosedur-blok{break-before:page}.prosedur-blok:first-of-type{break-before:auto}"

const char *sop_render_css(void)
{
	return "@page{size:A4 landscape;margin:10mm}"
	       "body{margin:0 auto;max-width:277mm}"
	       "@media screen{body{padding:6mm}}" DOCUMENT_CSS;
}

const char *sop_render_css_document(void)
{
	return DOCUMENT_CSS;
}

static void list_row(buf *out, const char *h1, const char *const *v1, size_t n1, const char *h2,
		     const char *const *v2, size_t n2)
{
	buf_puts(out, "<tr><th>");
	buf_put_html(out, h1);
	buf_puts(out, "</th><th>");
	buf_put_html(out, h2);
	buf_puts(out, "</th></tr><tr><td>");
	if (n1) {
		buf_puts(out, "<ol>");
		for (size_t i = 0; i < n1; i++) {
			buf_puts(out, "<li>");
			buf_put_html(out, v1[i]);
			buf_puts(out, "</li>");
		}
		buf_puts(out, "</ol>");
	} else {
		buf_puts(out, "-");
	}
	buf_puts(out, "</td><td>");
	if (n2) {
		buf_puts(out, "<ol>");
		for (size_t i = 0; i < n2; i++) {
			buf_puts(out, "<li>");
			buf_put_html(out, v2[i]);
			buf_puts(out, "</li>");
		}
		buf_puts(out, "</ol>");
	} else {
		buf_puts(out, "-");
	}
	buf_puts(out, "</td></tr>");
}

static void id_row(buf *out, const char *name, const char *value)
{
	buf_puts(out, "<tr><th>");
	buf_put_html(out, name);
	buf_puts(out, "</th><td>");
	buf_put_html(out, value && *value ? value : "-");
	buf_puts(out, "</td></tr>");
}

void sop_render_html(const sop *s, buf *out)
{
	buf_puts(out, "<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
	buf_put_html(out, s->nama);
	buf_puts(out, "</title><style>");
	buf_puts(out, sop_render_css());
	buf_puts(out, "</style></head><body><div class=\"sopdoc\">");
	sop_render_document(s, out);
	buf_puts(out, "</div></body></html>\n");
}

void sop_render_document(const sop *s, buf *out)
{
	/* Identity: the kop (agency) beside the SOP's particulars. */
	buf_puts(out, "<table class=\"identitas\"><tr><td class=\"kop\" rowspan=\"6\">");
	buf_put_html(out, s->instansi ? s->instansi : "");
	buf_puts(out, "</td>");
	bool first = true; /* the first row shares its <tr> with the kop */
	const char *rows[][2] = {
		{"Nomor SOP", s->nomor},
		{"Tanggal Pembuatan", s->tanggal_pembuatan},
		{"Tanggal Revisi", s->tanggal_revisi},
		{s->tanggal_efektif && !s->tanggal_pengesahan ? "Tanggal Efektif" : "Tanggal Pengesahan",
		 s->tanggal_pengesahan ? s->tanggal_pengesahan : s->tanggal_efektif},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (!first)
			buf_puts(out, "<tr>");
		first = false;
		buf_puts(out, "<th>");
		buf_put_html(out, rows[i][0]);
		buf_puts(out, "</th><td>");
		buf_put_html(out, rows[i][1] && *rows[i][1] ? rows[i][1] : "-");
		buf_puts(out, "</td></tr>");
	}
	buf_puts(out, "<tr><th>Disahkan Oleh</th><td>");
	if (s->disahkan_oleh.nama) {
		buf_put_html(out, s->disahkan_oleh.jabatan);
		buf_puts(out, "<br><br><u>");
		buf_put_html(out, s->disahkan_oleh.nama);
		buf_puts(out, "</u>");
		if (s->disahkan_oleh.nip) {
			buf_puts(out, "<br>");
			if (strncmp(s->disahkan_oleh.nip, "NI", 2) != 0)
				buf_puts(out, "NIP. ");
			buf_put_html(out, s->disahkan_oleh.nip);
		}
	} else {
		buf_puts(out, "-");
	}
	buf_puts(out, "</td></tr>");
	id_row(out, "Nama SOP", s->nama);
	buf_puts(out, "</table>");

	buf_puts(out, "<table class=\"uraian-sop\">");
	list_row(out, "Dasar Hukum", s->dasar_hukum, s->n_dasar_hukum, "Kualifikasi Pelaksana",
		 s->kualifikasi, s->n_kualifikasi);
	list_row(out, "Keterkaitan", s->keterkaitan, s->n_keterkaitan, "Peralatan/Perlengkapan",
		 s->perlengkapan, s->n_perlengkapan);
	list_row(out, "Peringatan", s->peringatan, s->n_peringatan, "Pencatatan dan Pendataan",
		 s->pencatatan, s->n_pencatatan);
	buf_puts(out, "</table>");

	for (size_t i = 0; i < s->n_procs; i++) {
		buf_puts(out, "<section class=\"prosedur-blok\"><h2>");
		buf_put_html(out, s->procs[i].nama);
		buf_puts(out, "</h2>");
		sop_render_procedure(s, &s->procs[i], 0, out);
		buf_puts(out, "</section>");
	}
}
