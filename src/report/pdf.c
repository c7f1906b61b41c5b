/*
 * pdf.c: a rendered document laid out as a PDF (pdf.h): the pages, the
 * letterhead, the marks every page carries, the QR code; the blocks of
 * the body are pdf_layout.c's.
 *
 * Input. The body (tmpl_render's XHTML fragment) is wrapped in <body> and
 * parsed by libxml2 without network, DTD or entity substitution (an
 * undefined entity is a well-formedness error); an element outside
 * tmpl.h's list is refused (SG_EINVAL). The logo is read before anything
 * is laid out, so a missing one fails at once (SG_EIO).
 *
 * Two passes. "Halaman X dari Y" needs Y before page 1 is drawn, so the
 * document is laid out twice with the same PangoContext (the same fonts,
 * hinting off, 72 units an inch: the same line breaks): pass 1 draws
 * nothing and counts pages, stopping at PDF_MAX_PAGES (SG_ETOOBIG);
 * pass 2 draws into a cairo PDF surface that writes into the caller's
 * buf. Nothing of pass 1 is kept; laying out is cheap next to drawing.
 * The context has a font map of its own, let go with it: a server's
 * threads keep no font caches between documents (about 5 ms a document
 * to build them again).
 *
 * A page: A4 portrait or landscape, a 2 cm column. At its top right and
 * bottom right the TLP label (FIRST TLP 2.0: the label's colour on
 * black); at its bottom left "Nomor: ..." and at its right "Halaman X
 * dari Y"; across it, under everything, a draft's mark. Page 1 starts
 * with the letterhead: the logo left, the lines centred, a thick and a
 * thin rule. After the body, the QR code of the verification URL (vector
 * squares, a quiet zone of four modules) with the short code under it
 * and where to check the document beside it.
 *
 * The PDF's title, author and dates come from the pdf_doc, so the same
 * input gives the same bytes.
 */
#include "report/pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <libxml/parser.h>
#include <qrencode.h>

#include "report/pdf_layout.h"

#define CM (72.0 / 2.54)

enum { BODY_MAX = 16 * 1024 * 1024, URL_MAX = 1024 };

static const double A4_SHORT = 595.28, A4_LONG = 841.89, A4_DIAGONAL = 1031.0854;
static const double MARGIN_X = 2.0 * CM, MARGIN_TOP = 2.2 * CM, MARGIN_BOTTOM = 2.3 * CM;
static const char SANS[] = "DejaVu Sans";

typedef struct doc {
	const pdf_doc *d;
	double pw, ph;
	cairo_surface_t *logo;
	QRcode *qr;
	int total; /* pages: known in pass 2 */
} doc;

static bool set(const char *s)
{
	return s && *s;
}

/* ---- input */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
	xmlInitParser();
}

static xmlDoc *parse_body(const char *body, sg_err *e)
{
	buf b = BUF_INIT;
	buf_puts(&b, "<body>");
	buf_puts(&b, body);
	buf_puts(&b, "</body>");
	xmlParserCtxtPtr ctx = xmlNewParserCtxt();
	if (!ctx) {
		buf_free(&b);
		sg_err_set(e, SG_ENOMEM, "the document's body cannot be parsed: out of memory");
		return NULL;
	}
	xmlDoc *x = xmlCtxtReadMemory(ctx, b.data, (int)b.len, "body", "UTF-8",
	                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	                                  XML_PARSE_IGNORE_ENC);
	if (!x || !ctx->wellFormed) {
		const xmlError *er = xmlCtxtGetLastError(ctx);
		char msg[300] = "malformed";
		int line = 0, col = 0;
		if (er && er->message) {
			snprintf(msg, sizeof msg, "%s", er->message);
			msg[strcspn(msg, "\n")] = '\0';
			line = er->line;
			col = er->int2 - (er->line == 1 ? 6 : 0); /* "<body>" is not the caller's */
		}
		sg_err_set(e, SG_EINVAL,
		           "the document's body is not well-formed XHTML (line %d, column %d): %s",
		           line, col, msg);
		xmlFreeDoc(x);
		x = NULL;
	}
	xmlFreeParserCtxt(ctx);
	buf_free(&b);
	return x;
}

static cairo_status_t read_png(void *closure, unsigned char *data, unsigned int len)
{
	return fread(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_READ_ERROR;
}

/* The PNG at path decoded, after its size was checked from the file and
 * its header: a logo of more than PDF_LOGO_MAX_BYTES or PDF_LOGO_MAX_PX
 * on a side is refused before any pixel is decoded, so a render's cost
 * is bounded whatever file the configuration names. */
static cairo_surface_t *logo_read(const char *path, sg_err *e)
{
	/* opened without waiting (a FIFO would block an open for reading),
	 * then taken only when it is a regular file */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	FILE *fp = fd >= 0 ? fdopen(fd, "rb") : NULL;
	if (!fp) {
		sg_err_set(e, SG_EIO, "the letterhead's logo %s cannot be read: %s", path,
		           strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	unsigned char h[24];
	struct stat st;
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(fp);
		sg_err_set(e, SG_EIO, "the letterhead's logo %s is not a regular file", path);
		return NULL;
	}
	if (fread(h, 1, 24, fp) != 24 ||
	    memcmp(h, "\x89PNG\r\n\x1a\n", 8) != 0 || memcmp(h + 12, "IHDR", 4) != 0) {
		fclose(fp);
		sg_err_set(e, SG_EIO, "the letterhead's logo %s is not a PNG image", path);
		return NULL;
	}
	uint32_t w = (uint32_t)h[16] << 24 | (uint32_t)h[17] << 16 | (uint32_t)h[18] << 8 | h[19];
	uint32_t ht = (uint32_t)h[20] << 24 | (uint32_t)h[21] << 16 | (uint32_t)h[22] << 8 | h[23];
	if (st.st_size > PDF_LOGO_MAX_BYTES || w > PDF_LOGO_MAX_PX || ht > PDF_LOGO_MAX_PX) {
		fclose(fp);
		sg_err_set(e, SG_ETOOBIG,
		           "the letterhead's logo %s is %ux%u pixels and %lld bytes: at most %dx%d "
		           "pixels and %d bytes (2.2 cm tall needs no more than 600 pixels)",
		           path, w, ht, (long long)st.st_size, PDF_LOGO_MAX_PX, PDF_LOGO_MAX_PX,
		           PDF_LOGO_MAX_BYTES);
		return NULL;
	}
	rewind(fp);
	cairo_surface_t *img = cairo_image_surface_create_from_png_stream(read_png, fp);
	fclose(fp);
	cairo_status_t cs = cairo_surface_status(img);
	if (cs != CAIRO_STATUS_SUCCESS || cairo_image_surface_get_width(img) <= 0 ||
	    cairo_image_surface_get_height(img) <= 0) {
		cairo_surface_destroy(img);
		sg_err_set(e, SG_EIO, "the letterhead's logo %s cannot be read as a PNG image: %s",
		           path,
		           cs == CAIRO_STATUS_NO_MEMORY ? "its data is damaged or too large to decode"
		           : cs                         ? cairo_status_to_string(cs)
		                                        : "no pixels");
		return NULL;
	}
	return img;
}

int pdf_logo_check(const char *path, sg_err *e)
{
	cairo_surface_t *img = logo_read(path, e);
	if (img == NULL)
		return -1;
	cairo_surface_destroy(img);
	return 0;
}

static int load_logo(doc *s, sg_err *e)
{
	const pdf_kop *k = s->d->kop;
	if (!k || !set(k->logo_png))
		return 0;
	s->logo = logo_read(k->logo_png, e);
	return s->logo ? 0 : -1;
}

static int make_qr(doc *s, sg_err *e)
{
	const char *url = s->d->verify_url;
	if (!set(url))
		return 0;
	if (strlen(url) > URL_MAX)
		return sg_err_set(e, SG_EINVAL, "the verification URL is longer than %d bytes",
		                  URL_MAX);
	s->qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!s->qr)
		return sg_err_set(e, errno == ENOMEM ? SG_ENOMEM : SG_EINVAL,
		                  "the verification URL cannot be put in a QR code: %s",
		                  strerror(errno));
	return 0;
}

/* ---- the marks of every page */

static void set_rgb(cairo_t *cr, unsigned rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
	                     (rgb & 255) / 255.0);
}

/* TLP 2.0's colours (TLP:WHITE of 1.0 is CLEAR's white). */
static unsigned tlp_colour(const char *tlp)
{
	const char *c = strncasecmp(tlp, "TLP:", 4) == 0 ? tlp + 4 : tlp;
	if (strncasecmp(c, "RED", 3) == 0)
		return 0xFF2B2B;
	if (strncasecmp(c, "AMBER", 5) == 0)
		return 0xFFC000;
	if (strncasecmp(c, "GREEN", 5) == 0)
		return 0x33FF00;
	return 0xFFFFFF;
}

/* The TLP label with its right edge at xr and its middle on row ym, in
 * its colour on a black box (12 points, as TLP 2.0 asks). Returns its
 * width. */
static double tlp_label(pdf_flow *f, const doc *s, double xr, double ym)
{
	PangoLayout *l = pdf_text(f, s->d->tlp, SANS, 12, true, 0, PANGO_ALIGN_LEFT);
	double w = pdf_text_width(l) + 10, h = pdf_text_height(l) + 2;
	if (f->draw) {
		cairo_set_source_rgb(f->cr, 0, 0, 0);
		cairo_rectangle(f->cr, xr - w, ym - h / 2, w, h);
		cairo_fill(f->cr);
		set_rgb(f->cr, tlp_colour(s->d->tlp));
		pdf_text_show(f, l, xr - w + 5, ym - h / 2 + 1);
		cairo_set_source_rgb(f->cr, 0, 0, 0);
	}
	g_object_unref(l);
	return w;
}

/* A draft's mark: large light grey letters along the page's diagonal. */
static void draft_mark(pdf_flow *f, const doc *s)
{
	PangoLayout *l = pdf_text(f, s->d->draft_mark, SANS, 100, true, 0, PANGO_ALIGN_LEFT);
	double w = pdf_text_width(l), h = pdf_text_height(l);
	double k = w > 0 ? pdf_min(0.6 * A4_DIAGONAL / w, 1.6) : 1;
	/* turned from the bottom left corner towards the top right one */
	double c = s->pw / A4_DIAGONAL, sn = s->ph / A4_DIAGONAL;
	cairo_matrix_t m;
	cairo_matrix_init(&m, c, -sn, sn, c, s->pw / 2, s->ph / 2);
	cairo_save(f->cr);
	cairo_transform(f->cr, &m);
	cairo_scale(f->cr, k, k);
	cairo_set_source_rgb(f->cr, 0.86, 0.86, 0.86);
	pdf_text_show(f, l, -w / 2, -h / 2);
	cairo_restore(f->cr);
	g_object_unref(l);
}

static void page_begin(pdf_flow *f)
{
	const doc *s = f->doc;
	if (!f->draw)
		return;
	if (set(s->d->draft_mark))
		draft_mark(f, s);
	if (set(s->d->tlp))
		tlp_label(f, s, s->pw - MARGIN_X, 1.1 * CM);
	cairo_set_source_rgb(f->cr, 0, 0, 0);
}

/* The footer: "Nomor: ..." left, "Halaman X dari Y" right, the TLP label
 * at the right edge; then the page is done. */
static void page_end(pdf_flow *f)
{
	const doc *s = f->doc;
	if (!f->draw)
		return;
	double ym = s->ph - 1.2 * CM, xr = s->pw - MARGIN_X;
	if (set(s->d->tlp))
		xr -= tlp_label(f, s, xr, ym) + 12;
	char pg[64];
	snprintf(pg, sizeof pg, "Halaman %d dari %d", f->page, s->total);
	PangoLayout *l = pdf_text(f, pg, SANS, 8, false, 0, PANGO_ALIGN_LEFT);
	double pw = pdf_text_width(l);
	pdf_text_show(f, l, xr - pw, ym - pdf_text_height(l) / 2);
	g_object_unref(l);
	if (set(s->d->nomor)) {
		buf b = BUF_INIT;
		buf_printf(&b, "Nomor: %s", s->d->nomor);
		l = pdf_text(f, buf_str(&b), SANS, 8, false, xr - pw - 18 - MARGIN_X,
		             PANGO_ALIGN_LEFT);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pdf_text_show(f, l, MARGIN_X, ym - pdf_text_height(l) / 2);
		g_object_unref(l);
		buf_free(&b);
	}
	cairo_show_page(f->cr);
}

static int next_page(pdf_flow *f)
{
	page_end(f);
	if (f->page >= PDF_MAX_PAGES)
		return sg_err_set(f->e, SG_ETOOBIG, "the document would run past %d pages",
		                  PDF_MAX_PAGES);
	f->page++;
	page_begin(f);
	return 0;
}

/* ---- the letterhead */

static bool has_kop(const pdf_kop *k)
{
	return k && (set(k->logo_png) || set(k->instansi) || set(k->dinas) || set(k->alamat) ||
	             set(k->kontak));
}

static void kop_logo(pdf_flow *f, const doc *s, double y, double sc)
{
	if (!f->draw)
		return;
	cairo_save(f->cr);
	cairo_translate(f->cr, f->left, y);
	cairo_scale(f->cr, sc, sc);
	cairo_set_source_surface(f->cr, s->logo, 0, 0);
	cairo_paint(f->cr);
	cairo_restore(f->cr);
}

/* The logo 2.2 cm tall at the left; the lines centred on the page (or,
 * when that leaves them too little room, right of the logo); a thick and
 * a thin rule across the column under both. */
static void kop(pdf_flow *f, const doc *s)
{
	const pdf_kop *k = s->d->kop;
	double lw = 0, lh = 0, sc = 1;
	if (s->logo) {
		double iw = cairo_image_surface_get_width(s->logo),
		       ih = cairo_image_surface_get_height(s->logo);
		sc = pdf_min(2.2 * CM / ih, 3.5 * CM / iw);
		lw = iw * sc;
		lh = ih * sc;
	}
	double tx = f->left, tw = f->width;
	if (lw > 0) {
		double side = lw + 0.4 * CM;
		tx += side;
		tw -= f->width - 2 * side >= f->width / 2 ? 2 * side : side;
	}
	const char *text[4] = {k->instansi, k->dinas, k->alamat, k->kontak};
	static const double size[4] = {14, 16, 10, 10};
	PangoLayout *l[4] = {NULL};
	double th = 0;
	for (int i = 0; i < 4; i++)
		if (set(text[i])) {
			l[i] = pdf_text(f, text[i], SANS, size[i], i < 2, tw, PANGO_ALIGN_CENTER);
			th += pdf_text_height(l[i]) + (i == 1 ? 2 : 0);
		}
	double bh = pdf_max(lh, th), y = f->y;
	if (s->logo)
		kop_logo(f, s, y + (bh - lh) / 2, sc);
	double ty = y + (bh - th) / 2;
	for (int i = 0; i < 4; i++)
		if (l[i]) {
			pdf_text_show(f, l[i], tx, ty);
			ty += pdf_text_height(l[i]) + (i == 1 ? 2 : 0);
			g_object_unref(l[i]);
		}
	double r = y + bh + 6;
	pdf_rule(f, f->left, f->left + f->width, r + 1.25, 2.5);
	pdf_rule(f, f->left, f->left + f->width, r + 4.5, 0.75);
	f->y = r + 5 + 14;
	f->fresh = false;
}

/* ---- the QR code */

/* The modules as squares, the quiet zone white (a draft's mark may run
 * under it), a row's dark run one rectangle, all filled at once. */
static void qr_draw(pdf_flow *f, const QRcode *q, double x, double y, double size)
{
	if (!f->draw)
		return;
	double m = size / (q->width + 8);
	cairo_set_source_rgb(f->cr, 1, 1, 1);
	cairo_rectangle(f->cr, x, y, size, size);
	cairo_fill(f->cr);
	cairo_set_source_rgb(f->cr, 0, 0, 0);
	for (int r = 0; r < q->width; r++)
		for (int c = 0; c < q->width;) {
			if (!(q->data[r * q->width + c] & 1)) {
				c++;
				continue;
			}
			int c0 = c;
			while (c < q->width && (q->data[r * q->width + c] & 1))
				c++;
			cairo_rectangle(f->cr, x + (c0 + 4) * m, y + (r + 4) * m, (c - c0) * m, m);
		}
	cairo_fill(f->cr);
}

/* The space before the QR block and the block's height. */
#define QR_BEFORE 18.0

/* The QR block at the end of the body, or with place false only its
 * height (the body keeps that much room under its last block, so the
 * code never stands alone on a last page). -1 when placing fails. */
static double qr_block(pdf_flow *f, const doc *s, bool place)
{
	const double size = 2.5 * CM, gap = 0.4 * CM;
	const pdf_doc *d = s->d;
	PangoLayout *code = set(d->verify_code) ? pdf_text(f, d->verify_code, SANS, 8, true, size,
	                                                   PANGO_ALIGN_CENTER)
	                                        : NULL;
	buf b = BUF_INIT;
	buf_printf(&b, "Keaslian dokumen ini dapat diperiksa di\n%s", d->verify_url);
	if (set(d->verify_code))
		buf_printf(&b, "\ndengan kode verifikasi %s", d->verify_code);
	PangoLayout *text = pdf_text(f, buf_str(&b), SANS, 8.5, false,
	                             pdf_min(f->width - size - gap, 10 * CM), PANGO_ALIGN_LEFT);
	buf_free(&b);
	double ch = code ? pdf_text_height(code) + 2 : 0, th = pdf_text_height(text);
	double h = pdf_max(size + ch, th);
	if (place) {
		if (!f->fresh)
			f->y += pdf_max(f->gap, QR_BEFORE);
		if (!f->fresh && f->y + h > f->bottom && pdf_flow_break(f) < 0)
			h = -1;
	}
	if (place && h >= 0) {
		qr_draw(f, s->qr, f->left, f->y, size);
		if (code)
			pdf_text_show(f, code, f->left, f->y + size + 2);
		pdf_text_show(f, text, f->left + size + gap, f->y + pdf_max(0, (size - th) / 2));
		f->y += h;
	}
	if (code)
		g_object_unref(code);
	g_object_unref(text);
	return h;
}

/* ---- the passes */

/* Fonts as a PDF wants them: no hinting, 1 unit a point. */
static PangoContext *make_context(void)
{
	PangoFontMap *fm = pango_cairo_font_map_new();
	PangoContext *pc = pango_font_map_create_context(fm);
	g_object_unref(fm);
	pango_cairo_context_set_resolution(pc, 72);
	cairo_font_options_t *o = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(o, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(o, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, o);
	cairo_font_options_destroy(o);
	pango_context_set_round_glyph_positions(pc, FALSE);
	pango_context_set_language(pc, pango_language_from_string("id"));
	return pc;
}

static pdf_flow flow_init(doc *s, PangoContext *pc, cairo_t *cr, sg_err *e)
{
	pdf_flow f;
	memset(&f, 0, sizeof f);
	f.cr = cr;
	f.draw = cr != NULL;
	f.pc = pc;
	f.left = MARGIN_X;
	f.width = s->pw - 2 * MARGIN_X;
	f.top = f.y = MARGIN_TOP;
	f.bottom = s->ph - MARGIN_BOTTOM;
	f.fresh = true;
	f.page = 1;
	f.next_page = next_page;
	f.doc = s;
	f.e = e;
	return f;
}

/* One pass: returns the pages, or -1 with e set. */
static int run(doc *s, pdf_flow *f, const xmlNode *body)
{
	page_begin(f);
	if (has_kop(s->d->kop))
		kop(f, s);
	f->tail = s->qr ? QR_BEFORE + qr_block(f, s, false) : 0;
	if (pdf_flow_body(f, body) < 0 || (s->qr && qr_block(f, s, true) < 0))
		return -1;
	page_end(f);
	return f->page;
}

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

static void meta(cairo_surface_t *sf, cairo_pdf_metadata_t key, const char *v)
{
	if (!set(v))
		return;
	char *ok = g_utf8_make_valid(v, -1);
	cairo_pdf_surface_set_metadata(sf, key, ok);
	g_free(ok);
}

static void metadata(cairo_surface_t *sf, const pdf_doc *d)
{
	meta(sf, CAIRO_PDF_METADATA_TITLE, d->title);
	meta(sf, CAIRO_PDF_METADATA_AUTHOR, d->author);
	meta(sf, CAIRO_PDF_METADATA_CREATOR, "sigap");
	char date[32];
	struct tm tm;
	time_t t = (time_t)d->created;
	if (gmtime_r(&t, &tm) && strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		meta(sf, CAIRO_PDF_METADATA_CREATE_DATE, date);
		meta(sf, CAIRO_PDF_METADATA_MOD_DATE, date);
	}
}

/* Pass 2: the pages drawn into out (left as it was on failure). */
static int draw(doc *s, PangoContext *pc, const xmlNode *body, buf *out, sg_err *e)
{
	size_t start = out->len;
	cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(write_buf, out, s->pw, s->ph);
	metadata(sf, s->d);
	cairo_t *cr = cairo_create(sf);
	pdf_flow f = flow_init(s, pc, cr, e);
	int pages = run(s, &f, body);
	cairo_destroy(cr);
	cairo_surface_finish(sf);
	cairo_status_t st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	if (pages > 0 && st != CAIRO_STATUS_SUCCESS)
		pages = sg_err_set(e, SG_EIO, "the PDF cannot be written: %s",
		                   cairo_status_to_string(st));
	if (pages > 0 && pages != s->total)
		pages = sg_err_set(e, SG_EIO, "the PDF's layout gave %d pages, then %d", s->total,
		                   pages);
	if (pages < 0 && out->data) {
		out->len = start;
		out->data[start] = '\0';
	}
	return pages;
}

static int render(doc *s, const xmlNode *body, buf *out, sg_err *e)
{
	PangoContext *pc = make_context();
	pdf_flow f = flow_init(s, pc, NULL, e);
	int pages = run(s, &f, body);
	if (pages > 0) {
		s->total = pages;
		pages = draw(s, pc, body, out, e);
	}
	g_object_unref(pc);
	return pages;
}

int pdf_render(const pdf_doc *d, buf *out, sg_err *e)
{
	if (!d || !d->body || !out)
		return sg_err_set(e, SG_EINVAL, "no document to lay out");
	size_t n = strlen(d->body);
	if (n > BODY_MAX)
		return sg_err_set(e, SG_ETOOBIG,
		                  "the document's body is %zu bytes; at most %d are laid out", n,
		                  BODY_MAX);
	pthread_once(&xml_once, xml_init);
	doc s = {.d = d,
	         .pw = d->landscape ? A4_LONG : A4_SHORT,
	         .ph = d->landscape ? A4_SHORT : A4_LONG};
	xmlDoc *x = parse_body(d->body, e);
	if (!x)
		return -1;
	const xmlNode *body = xmlDocGetRootElement(x);
	int rc = -1;
	if (pdf_check_body(body, e) == 0 && load_logo(&s, e) == 0 && make_qr(&s, e) == 0)
		rc = render(&s, body, out, e);
	xmlFreeDoc(x);
	if (s.logo)
		cairo_surface_destroy(s.logo);
	if (s.qr)
		QRcode_free(s.qr);
	return rc;
}
