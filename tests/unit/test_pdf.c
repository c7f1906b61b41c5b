/*
 * test_pdf.c: documents laid out as PDF (report/pdf.h), read back with
 * the tools a reader would use: pdfinfo (pages, page size, metadata),
 * pdftotext (the words, page by page), pdftoppm and zbarimg (the QR code
 * scanned from the page's picture). A check whose tool is not on PATH is
 * skipped with a message. The PDFs and pictures are kept in
 * tests/artifacts/pdf/ to look at.
 */
#include "helpers.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cairo.h>

#include "report/pdf.h"

static const char NOMOR[] = "000.1/123/406.010/2026";
static const char URL[] = "https://sigap.example.go.id/verifikasi/ABCD2345EF";

static bool have(const char *tool)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* Skips the rest of the test when tool is not installed. */
#define NEED(tool)                                                                                 \
	do {                                                                                       \
		if (!have(tool)) {                                                                 \
			print_message("# %s is not on PATH: this check is skipped\n", tool);       \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

static const char *art(const char *name)
{
	static char path[4][4096];
	static int k;
	k = (k + 1) % 4;
	mkdir(src_path("tests/artifacts"), 0755);
	mkdir(src_path("tests/artifacts/pdf"), 0755);
	snprintf(path[k], sizeof path[k], "%s/%s", src_path("tests/artifacts/pdf"), name);
	return path[k];
}

static void save(const char *path, const buf *b)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
	assert_int_equal(fclose(f), 0);
}

/* What a command printed (malloc'd). */
static char *output(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *output(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_append(&b, chunk, n);
	pclose(p);
	buf_puts(&b, "");
	return buf_steal(&b);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static int pdfinfo_pages(const char *pdf)
{
	char *info = output("pdfinfo '%s'", pdf);
	const char *p = strstr(info, "Pages:");
	int n = p ? atoi(p + 6) : -1;
	free(info);
	return n;
}

/* The value of a "Name:   value" line of pdfinfo's (a static copy). */
static const char *field(const char *info, const char *name)
{
	static char v[256];
	v[0] = '\0';
	for (const char *p = info; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, name, strlen(name)) == 0 && p[strlen(name)] == ':') {
			p += strlen(name) + 1;
			p += strspn(p, " ");
			snprintf(v, sizeof v, "%.*s", (int)strcspn(p, "\n"), p);
			break;
		}
	return v;
}

static char *page_text(const char *pdf, int page)
{
	return output("pdftotext -enc UTF-8 -f %d -l %d '%s' -", page, page, pdf);
}

/* A letterhead's logo: a shield, drawn here so the test needs no file. */
static const char *logo(void)
{
	const char *path = art("logo.png");
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 110, 130);
	cairo_t *cr = cairo_create(s);
	cairo_move_to(cr, 5, 5);
	cairo_line_to(cr, 105, 5);
	cairo_line_to(cr, 105, 70);
	cairo_curve_to(cr, 105, 100, 70, 120, 55, 127);
	cairo_curve_to(cr, 40, 120, 5, 100, 5, 70);
	cairo_close_path(cr);
	cairo_set_source_rgb(cr, 0.05, 0.35, 0.15);
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, 0.9, 0.75, 0.1);
	cairo_set_line_width(cr, 5);
	cairo_stroke(cr);
	cairo_arc(cr, 55, 55, 22, 0, 6.2832);
	cairo_fill(cr);
	cairo_destroy(cr);
	assert_int_equal(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
	return path;
}

static pdf_kop kop_of(const char *logo_png)
{
	return (pdf_kop){logo_png, "PEMERINTAH KABUPATEN TRENGGALEK",
	                 "DINAS KOMUNIKASI DAN INFORMATIKA",
	                 "Jl. Dr. Sutomo No. 1, Trenggalek 66312",
	                 "Telepon (0355) 791234, surel csirt@trenggalekkab.go.id"};
}

static pdf_doc doc_of(const char *body, const pdf_kop *kop)
{
	return (pdf_doc){body,
	                 false,
	                 kop,
	                 NULL,
	                 NULL,
	                 NULL,
	                 NULL,
	                 NULL,
	                 "Laporan Insiden",
	                 "Pemerintah Kabupaten Trenggalek",
	                 1796342400};
}

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* A report with a letterhead, a number, TLP:AMBER and a table of 120
 * rows: several pages, the header row on each, every mark on every page,
 * Indonesian text intact. */
static void test_long_table(void **state)
{
	(void)state;
	buf body = BUF_INIT;
	buf_puts(&body,
	         "<h1 class=\"judul\">LAPORAN PENANGANAN INSIDEN SIBER</h1>\n"
	         "<p>Yth. Kepala Dinas Komunikasi dan Informatika \xe2\x80\x94 Trenggalek</p>\n"
	         "<p>Dengan hormat, bersama ini kami sampaikan <b>rincian kejadian</b> yang "
	         "ditangani <i>Tim Tanggap Insiden Siber</i> selama triwulan berjalan, dengan "
	         "biaya pemulihan sebagai berikut.</p>\n"
	         "<p class=\"tengah\">Jumlah: <u>Rp 1.000.000,00</u> (satu juta rupiah)</p>\n"
	         "<table><thead><tr><th lebar=\"8\">No</th><th lebar=\"22\">Waktu (WIB)</th>"
	         "<th>Uraian Kejadian</th><th lebar=\"20\">Biaya</th></tr></thead><tbody>\n");
	for (int i = 1; i <= 120; i++)
		buf_printf(
		    &body,
		    "<tr><td class=\"tengah\">%d</td><td>%02d-11-2026 %02d:%02d</td>"
		    "<td>Kejadian ke-%d: percobaan masuk berulang ke server surel dinas "
		    "dari alamat 203.0.113.%d</td><td class=\"kanan\">Rp %d.000,00</td></tr>\n",
		    i, 1 + i % 28, i % 24, i % 60, i, i % 250, i * 5);
	buf_puts(
	    &body,
	    "</tbody></table>\n"
	    "<p>Demikian laporan ini kami sampaikan untuk dipergunakan sebagaimana "
	    "mestinya.</p>\n"
	    "<div class=\"ttd\"><p>Trenggalek, 4 Desember 2026</p>"
	    "<p>KEPALA DINAS KOMUNIKASI DAN INFORMATIKA</p><br/><br/><br/>"
	    "<p><b><u>Drs. BUDI SANTOSO, M.Si.</u></b></p><p>NIP. 19750101 200003 1 002</p></div>");
	pdf_kop kop = kop_of(logo());
	pdf_doc d = doc_of(buf_str(&body), &kop);
	d.tlp = "TLP:AMBER";
	d.nomor = NOMOR;
	buf out = BUF_INIT;
	sg_err e = {0};
	double t0 = seconds();
	int pages = pdf_render(&d, &out, &e);
	double took = seconds() - t0;
	if (pages < 0)
		fail_msg("%s", e.msg);
	print_message("# 120 rows: %d pages, %.0f ms, %zu bytes\n", pages, took * 1000, out.len);
	assert_true(pages > 1);
	assert_memory_equal(out.data, "%PDF-", 5);
	const char *pdf = art("table.pdf");
	save(pdf, &out);
	buf_free(&out);
	buf_free(&body);

	NEED("pdfinfo");
	NEED("pdftotext");
	assert_int_equal(pdfinfo_pages(pdf), pages);
	char *all = output("pdftotext -enc UTF-8 '%s' -", pdf);
	char want[128];
	snprintf(want, sizeof want, "Halaman 1 dari %d", pages);
	assert_non_null(strstr(all, want));
	snprintf(want, sizeof want, "Halaman %d dari %d", pages, pages);
	assert_non_null(strstr(all, want));
	assert_non_null(
	    strstr(all, "Kepala Dinas Komunikasi dan Informatika \xe2\x80\x94 Trenggalek"));
	assert_non_null(strstr(all, "Rp 1.000.000,00"));
	assert_non_null(strstr(all, "PEMERINTAH KABUPATEN TRENGGALEK"));
	assert_int_equal(count(all, "PEMERINTAH KABUPATEN TRENGGALEK"), 1); /* page 1 only */
	assert_non_null(strstr(all, "BUDI SANTOSO"));
	for (int i = 1; i <= 120; i++) {
		snprintf(want, sizeof want, "Kejadian ke-%d:", i);
		assert_int_equal(count(all, want), 1);
	}
	free(all);
	for (int p = 1; p <= pages; p++) {
		char *text = page_text(pdf, p);
		assert_int_equal(count(text, "TLP:AMBER"), 2); /* top and bottom */
		snprintf(want, sizeof want, "Nomor: %s", NOMOR);
		assert_non_null(strstr(text, want));
		snprintf(want, sizeof want, "Halaman %d dari %d", p, pages);
		assert_non_null(strstr(text, want));
		if (p > 1 && strstr(text, "Kejadian ke-")) /* the table goes on: its header too */
			assert_non_null(strstr(text, "Uraian Kejadian"));
		free(text);
	}
	char *p2 = page_text(pdf, 2);
	assert_non_null(strstr(p2, "Uraian Kejadian"));
	assert_non_null(strstr(p2, "Waktu (WIB)"));
	free(p2);
}

/* One cell of 5,000 words runs over several pages: split by lines, under
 * the header row (a first row of th), and not one word is lost. */
static void test_giant_cell(void **state)
{
	(void)state;
	buf body = BUF_INIT;
	buf_puts(&body,
	         "<table><tr><th lebar=\"15\">No</th><th>Uraian</th></tr><tr><td>1</td><td>");
	for (int i = 0; i < 5000; i++)
		buf_printf(&body, "kata%04d ", i);
	buf_puts(&body, "</td></tr></table><p>Selesai.</p>");
	pdf_doc d = doc_of(buf_str(&body), NULL);
	buf out = BUF_INIT;
	sg_err e = {0};
	int pages = pdf_render(&d, &out, &e);
	if (pages < 0)
		fail_msg("%s", e.msg);
	assert_true(pages >= 3);
	const char *pdf = art("giant-cell.pdf");
	save(pdf, &out);
	buf_free(&out);
	buf_free(&body);

	NEED("pdftotext");
	char *all = output("pdftotext -enc UTF-8 '%s' -", pdf);
	for (int i = 0; i < 5000; i++) {
		char w[16];
		snprintf(w, sizeof w, "kata%04d", i);
		if (count(all, w) != 1)
			fail_msg("%s appears %zu times", w, count(all, w));
	}
	assert_non_null(strstr(all, "Selesai."));
	free(all);
	for (int p = 2; p <= pages; p++) {
		char *text = page_text(pdf, p);
		if (strstr(text, "kata"))
			assert_non_null(strstr(text, "Uraian"));
		free(text);
	}
}

/* A paragraph longer than a page, and longer than one Pango layout holds
 * (over 300 KiB): split by lines over the pages, every word kept. */
static void test_long_paragraph(void **state)
{
	(void)state;
	buf body = BUF_INIT;
	buf_puts(&body, "<p>Awal.</p><p class=\"kecil\">");
	for (int i = 0; i < 60000; i++)
		buf_printf(&body, "%s<b>w%05d</b>", i ? " " : "", i);
	buf_puts(&body, "</p><p>Akhir.</p>");
	pdf_doc d = doc_of(buf_str(&body), NULL);
	buf out = BUF_INIT;
	sg_err e = {0};
	int pages = pdf_render(&d, &out, &e);
	if (pages < 0)
		fail_msg("%s", e.msg);
	assert_true(pages > 20);
	const char *pdf = art("long-paragraph.pdf");
	save(pdf, &out);
	buf_free(&out);
	buf_free(&body);

	NEED("pdftotext");
	char *all = output("pdftotext -enc UTF-8 '%s' -", pdf);
	for (int i = 0; i < 60000; i++) {
		char w[16];
		snprintf(w, sizeof w, "w%05d", i);
		if (!strstr(all, w))
			fail_msg("%s is lost", w);
	}
	assert_non_null(strstr(all, "Akhir."));
	free(all);
}

static void test_landscape(void **state)
{
	(void)state;
	pdf_doc d =
	    doc_of("<h1>Matriks Risiko</h1><table><tr><td>a</td><td>b</td></tr></table>", NULL);
	d.landscape = true;
	buf out = BUF_INIT;
	sg_err e = {0};
	assert_int_equal(pdf_render(&d, &out, &e), 1);
	const char *pdf = art("landscape.pdf");
	save(pdf, &out);
	buf_free(&out);

	NEED("pdfinfo");
	char *info = output("pdfinfo '%s'", pdf);
	const char *p = strstr(info, "Page size:");
	assert_non_null(p);
	double w = 0, h = 0;
	assert_int_equal(sscanf(p, "Page size: %lf x %lf", &w, &h), 2);
	assert_true(w > h);
	assert_true(w > 841 && w < 842.5 && h > 595 && h < 596);
	free(info);
}

static void refused(const char *body, sg_code code, const char *says)
{
	pdf_doc d = doc_of(body, NULL);
	buf out = BUF_INIT;
	sg_err e = {0};
	assert_int_equal(pdf_render(&d, &out, &e), -1);
	assert_int_equal(e.code, code);
	if (!strstr(e.msg, says))
		fail_msg("'%s' does not say '%s'", e.msg, says);
	assert_int_equal(out.len, 0);
	buf_free(&out);
}

/* A body that is not the XHTML tmpl_render writes is refused, and
 * nothing is written. */
static void test_bad_body(void **state)
{
	(void)state;
	refused("<p>a</p><script>alert(1)</script>", SG_EINVAL, "<script>");
	refused("<p><blink>a</blink></p>", SG_EINVAL, "<blink>");
	refused("<p>not closed", SG_EINVAL, "not well-formed");
	refused("<p>a</p></body><body>", SG_EINVAL, "not well-formed");
	refused("<p>&nbsp;</p>", SG_EINVAL, "not well-formed");
	refused("<!DOCTYPE x [<!ENTITY e \"e\">]><p>&e;</p>", SG_EINVAL, "not well-formed");
	refused("<p>a & b</p>", SG_EINVAL, "not well-formed");
	/* the five XML entities and character references are text */
	pdf_doc d = doc_of("<p>&lt;b&gt; &amp; &quot;&apos; &#8212; &#x41;</p>", NULL);
	buf out = BUF_INIT;
	sg_err e = {0};
	assert_int_equal(pdf_render(&d, &out, &e), 1);
	const char *pdf = art("entities.pdf");
	save(pdf, &out);
	buf_free(&out);
	NEED("pdftotext");
	char *all = output("pdftotext -enc UTF-8 '%s' -", pdf);
	assert_non_null(strstr(all, "<b> & \"' \xe2\x80\x94 A"));
	free(all);
}

static void test_limits(void **state)
{
	(void)state;
	size_t n = 16 * 1024 * 1024 + 1;
	char *big = malloc(n + 1);
	assert_non_null(big);
	memset(big, 'a', n);
	big[n] = '\0';
	refused(big, SG_ETOOBIG, "bytes");
	free(big);
	/* about 2,200 pages of short lines: stopped at 2,000 */
	buf body = BUF_INIT;
	buf_puts(&body, "<p>");
	for (int i = 0; i < 130000; i++)
		buf_puts(&body, "x<br/>");
	buf_puts(&body, "</p>");
	double t0 = seconds();
	refused(buf_str(&body), SG_ETOOBIG, "2000 pages");
	print_message("# past 2000 pages refused in %.1f s\n", seconds() - t0);
	buf_free(&body);
}

static void test_missing_logo(void **state)
{
	(void)state;
	pdf_kop kop = kop_of("/nonexistent/sigap/logo-kabupaten.png");
	pdf_doc d = doc_of("<p>Isi.</p>", &kop);
	buf out = BUF_INIT;
	sg_err e = {0};
	assert_int_equal(pdf_render(&d, &out, &e), -1);
	assert_int_equal(e.code, SG_EIO);
	assert_non_null(strstr(e.msg, "/nonexistent/sigap/logo-kabupaten.png"));
	/* a file that is not a PNG */
	kop.logo_png = src_path("tests/unit/test_pdf.c");
	assert_int_equal(pdf_render(&d, &out, &e), -1);
	assert_int_equal(e.code, SG_EIO);
	assert_non_null(strstr(e.msg, "test_pdf.c"));
	assert_int_equal(out.len, 0);
}

/* A logo is checked before it is decoded: one of more pixels than a
 * letterhead needs is refused from its header (the 1 KiB file below says
 * 30000 x 30000, which decoded would be 3.6 GB), and a PNG cut short is
 * found by pdf_logo_check, as the configuration calls it, not at render. */
static void test_logo_limits(void **state)
{
	(void)state;
	sg_err e = {0};
	assert_int_equal(pdf_logo_check(logo(), &e), 0);
	/* the shield's bytes with the header's width and height made huge */
	FILE *f = fopen(logo(), "rb");
	unsigned char png[65536];
	size_t n = fread(png, 1, sizeof png, f);
	fclose(f);
	assert_true(n > 100 && n < sizeof png);
	const char *big = art("logo-besar.png");
	unsigned char hdr[8] = {0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30};
	unsigned char copy[65536];
	memcpy(copy, png, n);
	memcpy(copy + 16, hdr, 8);
	f = fopen(big, "wb");
	fwrite(copy, 1, n, f);
	fclose(f);
	assert_int_equal(pdf_logo_check(big, &e), -1);
	assert_int_equal(e.code, SG_ETOOBIG);
	assert_non_null(strstr(e.msg, "30000x30000"));
	pdf_kop kop = kop_of(big);
	pdf_doc d = doc_of("<p>Isi.</p>", &kop);
	buf out = BUF_INIT;
	assert_int_equal(pdf_render(&d, &out, &e), -1);
	assert_int_equal(e.code, SG_ETOOBIG);
	/* cut short after the header: a PNG by its signature, not by its pixels */
	const char *cut = art("logo-terpotong.png");
	f = fopen(cut, "wb");
	fwrite(png, 1, n / 2, f);
	fclose(f);
	assert_int_equal(pdf_logo_check(cut, &e), -1);
	assert_int_equal(e.code, SG_EIO);
	assert_non_null(strstr(e.msg, "logo-terpotong.png"));
	/* a directory is no logo */
	assert_int_equal(pdf_logo_check("/tmp", &e), -1);
}

/* The QR code of an issued document scans as its URL. */
static void test_qr(void **state)
{
	(void)state;
	pdf_kop kop = kop_of(logo());
	pdf_doc d =
	    doc_of("<h1 class=\"judul\">SURAT KETERANGAN</h1><p>Isi surat.</p>"
	           "<div class=\"ttd\"><p>Kepala Dinas</p><br/><br/><p><b>NAMA</b></p></div>",
	           &kop);
	d.verify_url = URL;
	d.verify_code = "ABCD2345EF";
	d.nomor = NOMOR;
	d.tlp = "TLP:GREEN";
	buf out = BUF_INIT;
	sg_err e = {0};
	int pages = pdf_render(&d, &out, &e);
	if (pages < 0)
		fail_msg("%s", e.msg);
	const char *pdf = art("qr.pdf");
	save(pdf, &out);
	buf_free(&out);

	NEED("pdftotext");
	char *all = output("pdftotext -enc UTF-8 '%s' -", pdf);
	assert_non_null(strstr(all, "Keaslian dokumen ini dapat diperiksa di"));
	assert_non_null(strstr(all, URL));
	assert_non_null(strstr(all, "ABCD2345EF"));
	free(all);
	NEED("pdftoppm");
	NEED("zbarimg");
	const char *png = art("qr");
	char *r = output("pdftoppm -r 150 -png -singlefile -f %d -l %d '%s' '%s' 2>&1", pages,
	                 pages, pdf, png);
	free(r);
	char *scanned = output("zbarimg --raw -q '%s.png' 2>/dev/null", png);
	char want[256];
	snprintf(want, sizeof want, "%s\n", URL);
	assert_string_equal(scanned, want);
	free(scanned);
}

/* The QR code never stands alone on a last page: however long the body
 * before the signature, the page with the code also has the signatory. */
static void test_qr_not_alone(void **state)
{
	(void)state;
	NEED("pdftotext");
	const char *pdf = art("qr-ekor.pdf");
	int moved = 0;
	for (int n = 30; n <= 56; n++) {
		buf body = BUF_INIT;
		for (int i = 1; i <= n; i++)
			buf_printf(&body, "<p>Paragraf isi laporan nomor %d.</p>", i);
		buf_puts(&body, "<div class=\"ttd\"><p>Kepala Bidang</p><br/><br/>"
		                "<p><b>NAMA PENANDATANGAN</b></p></div>");
		pdf_doc d = doc_of(buf_str(&body), NULL);
		d.verify_url = URL;
		d.verify_code = "ABCD2345EF";
		d.nomor = NOMOR;
		buf out = BUF_INIT;
		sg_err e = {0};
		int pages = pdf_render(&d, &out, &e);
		if (pages < 0)
			fail_msg("%s", e.msg);
		save(pdf, &out);
		buf_free(&out);
		buf_free(&body);
		char *last = page_text(pdf, pages);
		if (strstr(last, "Keaslian dokumen") == NULL || strstr(last, "NAMA PENANDATANGAN") == NULL)
			fail_msg("%d paragraphs: the code and the signatory are apart on page %d", n, pages);
		/* the signature went over with the code: nothing of the body */
		moved += pages > 1 && strstr(last, "Paragraf isi") == NULL;
		free(last);
	}
	/* some length in the range puts the two on a page of their own */
	assert_true(moved > 0);
}

/* A draft: its mark on every page; lists, frames, rules and inline
 * markup; the same input gives the same bytes; the metadata. */
static void test_draft_blocks(void **state)
{
	(void)state;
	pdf_kop kop = kop_of(logo());
	pdf_doc d = doc_of(
	    "<h1 class=\"judul\">NOTA DINAS</h1>"
	    "<table class=\"tanpa-garis\"><tr><td lebar=\"20\">Kepada</td><td>: Kepala "
	    "Dinas</td></tr>"
	    "<tr><td>Dari</td><td>: Ketua Tim Tanggap Insiden</td></tr>"
	    "<tr><td>Perihal</td><td>: <b>Insiden <i>ransomware</i></b></td></tr></table><hr/>"
	    "<h2>A. Kronologi</h2>"
	    "<ol><li>Deteksi pada pukul 08.00 WIB.</li><li>Isolasi server <span class=\"tebal\">"
	    "SRV-01</span>.</li><li>Pemulihan:<ul><li>cadangan harian</li><li>uji integritas</li>"
	    "</ul></li></ol>"
	    "<h2>B. Rekomendasi</h2>"
	    "<div class=\"kotak\"><p class=\"tebal\">Catatan penting</p><p>Ganti seluruh kata "
	    "sandi akun layanan.<br/>Aktifkan autentikasi dua faktor.</p></div>"
	    "<p class=\"kanan\"><span class=\"kecil\">dicetak oleh sigap</span></p>"
	    "<h3>Lampiran</h3><ul><li>Log firewall</li><li>Daftar IOC</li></ul>"
	    "<div class=\"ttd\"><p>Trenggalek, 4 Desember 2026</p><p>Ketua Tim</p><br/><br/>"
	    "<p><u>NAMA KETUA</u></p></div>",
	    &kop);
	d.draft_mark = "DRAF";
	d.tlp = "TLP:RED";
	buf out = BUF_INIT, again = BUF_INIT;
	sg_err e = {0};
	int pages = pdf_render(&d, &out, &e);
	if (pages < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(pdf_render(&d, &again, &e), pages);
	assert_int_equal(out.len, again.len);
	assert_memory_equal(out.data, again.data, out.len);
	const char *pdf = art("draft.pdf");
	save(pdf, &out);
	buf_free(&out);
	buf_free(&again);

	NEED("pdftotext");
	NEED("pdfinfo");
	char *all = output("pdftotext -enc UTF-8 -raw '%s' -", pdf);
	assert_int_equal(count(all, "D\nR\nA\nF\n"), (size_t)pages); /* turned: a letter a line */
	assert_int_equal(count(all, "TLP:RED"), 2 * (size_t)pages);
	assert_null(strstr(all, "Nomor:")); /* a draft has no number yet */
	assert_non_null(strstr(all, "1."));
	assert_non_null(strstr(all, "3."));
	assert_non_null(strstr(all, "\xe2\x80\xa2"));
	assert_non_null(strstr(all, "Catatan penting"));
	assert_non_null(strstr(all, "Aktifkan autentikasi dua faktor."));
	assert_non_null(strstr(all, "NAMA KETUA"));
	free(all);
	char *info = output("pdfinfo -isodates '%s'", pdf);
	assert_string_equal(field(info, "Title"), "Laporan Insiden");
	assert_string_equal(field(info, "Author"), "Pemerintah Kabupaten Trenggalek");
	assert_string_equal(field(info, "CreationDate"), "2026-12-04T00:00:00Z");
	free(info);
	NEED("pdftoppm");
	free(
	    output("pdftoppm -r 60 -png -singlefile -f 1 -l 1 '%s' '%s'", pdf, art("draft-page1")));
}

/* The signature block is kept whole: when it does not fit under the
 * text, it goes to the next page with all its lines. */
static void test_ttd_kept_together(void **state)
{
	(void)state;
	buf body = BUF_INIT;
	for (int i = 0; i < 47; i++)
		buf_printf(&body, "<p>Baris pengisi nomor %d.</p>", i);
	buf_puts(&body, "<div class=\"ttd\"><p>Trenggalek, 4 Desember 2026</p><p>KEPALA DINAS</p>"
	                "<br/><br/><br/><p>PENANDA TANGAN</p><p>NIP. 19750101</p></div>");
	pdf_doc d = doc_of(buf_str(&body), NULL);
	buf out = BUF_INIT;
	sg_err e = {0};
	int pages = pdf_render(&d, &out, &e);
	if (pages < 0)
		fail_msg("%s", e.msg);
	const char *pdf = art("ttd.pdf");
	save(pdf, &out);
	buf_free(&out);
	buf_free(&body);
	NEED("pdftotext");
	int with_date = 0, with_name = 0;
	for (int p = 1; p <= pages; p++) {
		char *text = page_text(pdf, p);
		if (strstr(text, "Trenggalek, 4 Desember 2026"))
			with_date = p;
		if (strstr(text, "NIP. 19750101"))
			with_name = p;
		free(text);
	}
	assert_true(with_date > 0);
	assert_int_equal(with_date, with_name);
}

/* pdf_render lets its own fonts go, but cairo's font caches and
 * fontconfig's configuration live until the process ends, and fontconfig
 * keeps pointers as offsets the leak checker cannot follow: they are let
 * go here, so that it sees only what pdf_render itself left behind, with
 * no suppression. FcFini is looked up where Pango loaded it (the tests do
 * not link fontconfig themselves). */
static int release_fonts(void **state)
{
	(void)state;
	cairo_debug_reset_static_data();
	void (*fc_fini)(void);
	*(void **)&fc_fini = dlsym(RTLD_DEFAULT, "FcFini");
	if (fc_fini)
		fc_fini();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_long_table),     cmocka_unit_test(test_giant_cell),
	    cmocka_unit_test(test_long_paragraph), cmocka_unit_test(test_landscape),
	    cmocka_unit_test(test_bad_body),       cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_missing_logo),
	    cmocka_unit_test(test_logo_limits),   cmocka_unit_test(test_qr), cmocka_unit_test(test_qr_not_alone),
	    cmocka_unit_test(test_draft_blocks),   cmocka_unit_test(test_ttd_kept_together),
	};
	return cmocka_run_group_tests(tests, NULL, release_fonts);
}
