/*
 * test_tmpl.c: the document template language (report/tmpl.h). The
 * header and each of its errors; every directive and how names are looked
 * up through nested loops; the canonical form of elements; each kind of
 * bad template with its message at its own line and column; the errors
 * and limits of rendering; a realistic template's output byte for byte;
 * hostile values still give well-formed XML.
 */
#include "helpers.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "report/tmpl.h"

/* Three header lines and "---": a body begins on line 5. */
#define HDR "id: uji\njudul: Uji\nkode: UJ\n---\n"

static tmpl *load_ok(const char *text)
{
	diags d = DIAGS_INIT;
	tmpl *t = tmpl_load(text, strlen(text), "uji.tmpl", &d);
	if (t == NULL) {
		diags_print(&d, stderr);
		fail_msg("the template does not load");
	}
	assert_int_equal(d.n, 0);
	diags_free(&d);
	return t;
}

/* The body rendered with ctx (JSON text); malloc'd. */
static char *render(const char *body, const char *ctx)
{
	char *text = malloc(strlen(HDR) + strlen(body) + 1);
	assert_non_null(text);
	strcpy(text, HDR);
	strcat(text, body);
	tmpl *t = load_ok(text);
	free(text);
	json_error_t je;
	json_t *c = json_loads(ctx, 0, &je);
	if (c == NULL)
		fail_msg("bad JSON in the test: %s", je.text);
	buf out = BUF_INIT;
	sg_err e = {0};
	if (tmpl_render(t, c, &out, &e) != 0)
		fail_msg("render: %s", e.msg);
	json_decref(c);
	tmpl_free(t);
	char *s = buf_steal(&out);
	return s ? s : strdup("");
}

static void assert_renders(const char *body, const char *ctx, const char *want)
{
	char *got = render(body, ctx);
	assert_string_equal(got, want);
	free(got);
}

/* The template does not load; its diagnostics in *d (diags_free them). */
static void load_bad(const char *text, diags *d)
{
	tmpl *t = tmpl_load(text, strlen(text), "uji.tmpl", d);
	if (t != NULL) {
		tmpl_free(t);
		fail_msg("the template loads: %s", text);
	}
	assert_true(d->n > 0);
}

/* The template has a problem at line:col with a message holding what
 * (the diagnostics come in the order of the file); returns how many
 * problems it has. */
static size_t assert_bad(const char *text, int line, int col, const char *what)
{
	diags d = DIAGS_INIT;
	load_bad(text, &d);
	size_t i = 0;
	while (i < d.n &&
	       (d.v[i].line != line || d.v[i].col != col || strstr(d.v[i].msg, what) == NULL))
		i++;
	if (i == d.n) {
		diags_print(&d, stderr);
		fail_msg("want %d:%d: …%s…", line, col, what);
	}
	assert_string_equal(d.v[i].file, "uji.tmpl");
	for (size_t k = 1; k < d.n; k++) /* in the order of the file */
		assert_true(d.v[k - 1].line < d.v[k].line ||
		            (d.v[k - 1].line == d.v[k].line && d.v[k - 1].col <= d.v[k].col));
	size_t n = d.n;
	diags_free(&d);
	return n;
}

/* The body alone is bad: its first problem at line:col. */
static size_t assert_bad_body(const char *body, int line, int col, const char *what)
{
	char text[4096];
	snprintf(text, sizeof text, "%s%s", HDR, body);
	return assert_bad(text, line, col, what);
}

/* ---- the header */

static void test_header(void **state)
{
	(void)state;
	tmpl *t = load_ok("id: insiden-formulir\njudul: Formulir Laporan Insiden\nkode: LI.2-a\n"
	                  "orientasi: lanskap\n---\n<p>x</p>\n");
	assert_string_equal(tmpl_id(t), "insiden-formulir");
	assert_string_equal(tmpl_judul(t), "Formulir Laporan Insiden");
	assert_string_equal(tmpl_kode(t), "LI.2-a");
	assert_true(tmpl_landscape(t));
	assert_string_equal(tmpl_file(t), "uji.tmpl");
	tmpl_free(t);

	/* orientasi potret when absent; a byte-order mark, CRLF lines, blank
	 * lines and spaces around values are taken; an empty body renders
	 * nothing */
	t = load_ok("\xEF\xBB\xBFid:uji\r\n\r\n  judul:   Surat  Tugas  \r\nkode: ST\r\n---\r\n");
	assert_false(tmpl_landscape(t));
	assert_string_equal(tmpl_id(t), "uji");
	assert_string_equal(tmpl_judul(t), "Surat  Tugas");
	buf out = BUF_INIT;
	sg_err e = {0};
	assert_int_equal(tmpl_render(t, NULL, &out, &e), 0);
	assert_string_equal(buf_str(&out), "");
	tmpl_free(t);
	t = load_ok("id: a\njudul: b\nkode: c\norientasi: potret\n---\n");
	assert_false(tmpl_landscape(t));
	tmpl_free(t);
	/* a caller that wants no diagnostics */
	assert_null(tmpl_load("id: a\n", 6, NULL, NULL));
	const char *ok = "id: a\njudul: b\nkode: c\n---\nx";
	t = tmpl_load(ok, strlen(ok), NULL, NULL);
	assert_non_null(t);
	assert_string_equal(tmpl_file(t), "template");
	tmpl_free(t);
}

static void test_header_errors(void **state)
{
	(void)state;
	assert_bad("judul: Uji\nkode: UJ\n---\n", 1, 1, "the header has no id");
	assert_bad("id: uji\nkode: UJ\n---\n", 1, 1, "the header has no judul");
	assert_bad("id: uji\njudul: Uji\n---\n", 1, 1, "the header has no kode");
	assert_bad("id: uji\njudul: Uji\nkode: UJ\nnomor: 1\n---\n", 4, 1,
	           "unknown header key \"nomor\"");
	assert_bad("id: uji\njudul: Uji\n  warna: merah\nkode: UJ\n---\n", 3, 3,
	           "unknown header key \"warna\"");
	assert_bad("id: uji\njudul: Uji\nkode: UJ\nid: lain\n---\n", 4, 1,
	           "id is given twice (first on line 1)");
	assert_bad("id: Uji_Satu\njudul: Uji\nkode: UJ\n---\n", 1, 5, "id is the template's name");
	assert_bad("id: uji\njudul: Uji\nkode: U J\n---\n", 3, 7, "kode is written with");
	assert_bad("id: uji\njudul: Uji\nkode: UJ\norientasi: miring\n---\n", 4, 12,
	           "orientasi is potret or lanskap, not \"miring\"");
	assert_bad("id: uji\njudul:\nkode: UJ\n---\n", 2, 7, "judul is empty");
	assert_bad("id: uji\nJudul Uji\nkode: UJ\n---\n", 2, 1, "a header line is \"key: value\"");
	assert_bad("<h1>Tanpa kepala</h1>\n", 1, 1, "no line \"---\" ends the header");
	/* all of them at once, in the order of the file */
	diags d = DIAGS_INIT;
	load_bad("warna: merah\nid: X\n---\n<p>\n", &d);
	assert_int_equal(d.n, 5);
	assert_non_null(strstr(d.v[0].msg, "unknown header key \"warna\""));
	assert_non_null(strstr(d.v[1].msg, "no judul"));
	assert_non_null(strstr(d.v[2].msg, "no kode"));
	assert_int_equal(d.v[3].line, 2); /* id X */
	assert_int_equal(d.v[3].col, 5);
	assert_int_equal(d.v[4].line, 4);
	assert_non_null(strstr(d.v[4].msg, "<p> is not closed"));
	diags_free(&d);
}

/* ---- values */

static void test_values(void **state)
{
	(void)state;
	const char *ctx =
	    "{\"s\": \"Trenggalek\", \"i\": 42, \"neg\": -7, \"r1\": 2.50, \"r2\": 3.14159,"
	    " \"r3\": 2.0, \"r4\": -0.001, \"r5\": 0.1, \"t\": true, \"f\": false, \"n\": null,"
	    " \"kasus\": {\"tiket\": \"INS-2025-0001\", \"pelapor\": {\"nama\": \"Sari\"}}}";
	assert_renders("<p>{{s}}|{{i}}|{{neg}}|{{r1}}|{{r2}}|{{r3}}|{{r4}}|{{r5}}</p>", ctx,
	               "<p>Trenggalek|42|-7|2.5|3.14|2|0|0.1</p>");
	assert_renders("[{{t}}][{{f}}][{{n}}][{{tidak_ada}}][{{kasus.tidak}}][{{s.panjang}}]", ctx,
	               "[Ya][][][][][]");
	assert_renders("{{kasus.tiket}} {{ kasus.pelapor.nama }}", ctx, "INS-2025-0001 Sari");
	assert_renders("a{{! a comment\n over two lines }}b", ctx, "ab");
}

static void test_escaping(void **state)
{
	(void)state;
	assert_renders("<p>{{v}}</p>", "{\"v\": \"<script>&\\\"\"}",
	               "<p>&lt;script&gt;&amp;&quot;</p>");
	assert_renders("{{v}}", "{\"v\": \"</p><p class=\\\"x\\\">\"}",
	               "&lt;/p&gt;&lt;p class=&quot;x&quot;&gt;");
	/* what XML cannot hold is dropped (controls) or replaced (U+FFFE) */
	assert_renders("{{v}}", "{\"v\": \"a\\u0001bc\\ufffed\\te\"}",
	               "abc\xEF\xBF\xBD"
	               "d\te");
	/* a line break of a value is a line break on paper; CR dropped */
	assert_renders("<p>{{v}}</p>", "{\"v\": \"1. Isolasi\\r\\n2. Pulihkan\\n<b>\"}",
	               "<p>1. Isolasi<br/>2. Pulihkan<br/>&lt;b&gt;</p>");
	/* a value cannot reorder the text around it (U+202E, U+2067) */
	assert_renders("<p>{{v}}</p>", "{\"v\": \"a\\u202eexe.pdf\\u2067b\"}", "<p>aexe.pdfb</p>");
	/* non-ASCII text stays as it is */
	assert_renders("{{v}}", "{\"v\": \"Kepala Dinas — Ibu Ŝ ✓\"}", "Kepala Dinas — Ibu Ŝ ✓");
	/* text of the template is copied as written, entities and all */
	assert_renders("<p>A &amp; B &lt;C&gt; &quot;&apos; &#169; é</p>", "{}",
	               "<p>A &amp; B &lt;C&gt; &quot;&apos; &#169; é</p>");
}

/* ---- directives */

static void test_each(void **state)
{
	(void)state;
	const char *ctx =
	    "{\"xs\": [\"a\", \"b\", \"c\"], \"kosong\": [], \"o\": {\"ys\": [1, 2]}}";
	assert_renders("{{#each xs}}[{{@no}}:{{.}}]{{/each}}", ctx, "[1:a][2:b][3:c]");
	assert_renders("{{#each xs}}{{.}}{{else}}tidak ada{{/each}}", ctx, "abc");
	assert_renders("{{#each kosong}}{{.}}{{else}}tidak ada{{/each}}", ctx, "tidak ada");
	assert_renders("{{#each hilang}}{{.}}{{else}}tidak ada{{/each}}", ctx, "tidak ada");
	assert_renders("{{#each o.ys}}{{.}};{{/each}}", ctx, "1;2;");
	assert_renders("{{#each xs}}{{/each}}", ctx, "");
}

static void test_lookup_outwards(void **state)
{
	(void)state;
	const char *ctx =
	    "{\"kota\": \"Trenggalek\", \"nama\": \"akar\","
	    " \"kasus\": [{\"tiket\": \"INS-1\", \"langkah\": [{\"uraian\": \"Terima\"},"
	    " {\"uraian\": \"Analisis\", \"nama\": \"Budi\"}]},"
	    " {\"tiket\": \"INS-2\", \"langkah\": []}]}";
	/* uraian from the inner item, tiket from the outer, kota from the
	 * top; nama from the inner item when it has one, else outwards */
	assert_renders(
	    "{{#each kasus}}{{#each langkah}}{{tiket}}/{{@no}} {{uraian}} {{nama}} {{kota}};"
	    "{{else}}{{tiket}}/{{@no}} kosong;{{/each}}{{/each}}",
	    ctx, "INS-1/1 Terima akar Trenggalek;INS-1/2 Analisis Budi Trenggalek;INS-2/2 kosong;");
	/* a path's first name found is where the rest is looked up: no
	 * going outwards after it */
	assert_renders("{{#each kasus}}[{{langkah.uraian}}]{{/each}}", ctx, "[][]");
	/* '.' at the top is the context: an object */
	assert_renders("{{#if .}}ada{{/if}}", ctx, "ada");
}

static void test_if_unless(void **state)
{
	(void)state;
	const char *ctx =
	    "{\"s\": \"x\", \"e\": \"\", \"z\": 0, \"nz\": 3, \"rz\": 0.0, \"r\": 0.5, \"t\": true,"
	    " \"f\": false, \"n\": null, \"a\": [1], \"ea\": [], \"o\": {}}";
	const char *yes[] = {"s", "nz", "r", "t", "a", "o"};
	const char *no[] = {"e", "z", "rz", "f", "n", "ea", "hilang"};
	char body[200];
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		snprintf(body, sizeof body,
		         "{{#if %s}}Y{{else}}N{{/if}}{{#unless %s}}U{{else}}E{{/unless}}", yes[i],
		         yes[i]);
		assert_renders(body, ctx, "YE");
	}
	for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
		snprintf(body, sizeof body,
		         "{{#if %s}}Y{{else}}N{{/if}}{{#unless %s}}U{{else}}E{{/unless}}", no[i],
		         no[i]);
		assert_renders(body, ctx, "NU");
	}
	assert_renders("{{#if s}}Y{{/if}}{{#unless s}}U{{/unless}}", ctx, "Y");
	/* @no in a condition: inside a loop, always true */
	assert_renders("{{#each a}}{{#if @no}}{{@no}}{{/if}}{{/each}}", ctx, "1");
}

static void test_elements(void **state)
{
	(void)state;
	/* attributes in a fixed order, class names as written once spaced */
	assert_renders(
	    "<table class=\"tanpa-garis\"><tr><td  class=\" kanan   tebal\"\n lebar = \"30\" "
	    "colspan=\"2\" >x</td><th/></tr></table>",
	    "{}",
	    "<table class=\"tanpa-garis\"><tr><td lebar=\"30\" width=\"30%\" colspan=\"2\" class=\"kanan tebal\">x</td>"
	    "<th></th></tr></table>");
	assert_renders("<p>a<br />b<br/><hr class=\"kecil\"/></p>", "{}",
	               "<p>a<br/>b<br/><hr class=\"kecil\"/></p>");
	assert_renders(
	    "<div class=\"ttd kotak judul tengah kecil\"><span class=\"tebal\"><b><i><u>x</u></i></b>"
	    "</span></div><ul><li>1</li></ul><ol><li>2</li></ol><h1>a</h1><h2>b</h2><h3>c</h3>",
	    "{}",
	    "<div class=\"ttd kotak judul tengah kecil\"><span class=\"tebal\"><b><i><u>x</u></i></b>"
	    "</span></div><ul><li>1</li></ul><ol><li>2</li></ol><h1>a</h1><h2>b</h2><h3>c</h3>");
	assert_renders("<table><thead><tr><th lebar=\"100\" colspan=\"20\">h</th></tr></thead>"
	               "<tbody><tr><td lebar=\"1\" colspan=\"1\">d</td></tr></tbody></table>",
	               "{}",
	               "<table><thead><tr><th lebar=\"100\" width=\"100%\" colspan=\"20\">h</th>"
	               "</tr></thead><tbody><tr><td lebar=\"1\" width=\"1%\" colspan=\"1\">d</td>"
	               "</tr></tbody></table>");
}

/* A realistic template: an incident form with a table over a list. */
static const char form[] =
    "id: insiden-formulir\n"
    "judul: Formulir Laporan Insiden\n"
    "kode: LI\n"
    "orientasi: potret\n"
    "---\n"
    "{{! Formulir yang diisi petugas saat insiden diterima }}\n"
    "<h1 class=\"judul tengah\">FORMULIR LAPORAN INSIDEN</h1>\n"
    "<p class=\"tengah\">Nomor: {{dokumen.nomor}}</p>\n"
    "<table>\n"
    "<thead><tr><th lebar=\"8\">No</th><th lebar=\"62\">Langkah</th><th lebar=\"30\">Waktu</th></tr></thead>\n"
    "<tbody>\n"
    "{{#each langkah}}<tr><td class=\"tengah\">{{@no}}</td><td>{{uraian}}"
    "{{#if catatan}}<br/><span class=\"kecil\">{{catatan}}</span>{{/if}}</td>"
    "<td class=\"kanan\">{{waktu}} menit</td></tr>\n"
    "{{else}}<tr><td colspan=\"3\">Belum ada langkah.</td></tr>\n"
    "{{/each}}</tbody>\n"
    "</table>\n"
    "{{#unless selesai}}<div class=\"kotak\">Penanganan masih berjalan &amp; dipantau.</div>{{/unless}}\n"
    "<div class=\"ttd\"><p>{{kota}}, {{tanggal}}</p><p>{{petugas.jabatan}}</p>"
    "<p class=\"tebal\"><u>{{petugas.nama}}</u></p><p>NIP. {{petugas.nip}}</p></div>\n";

static const char form_ctx[] =
    "{\"dokumen\": {\"nomor\": \"LI/0007/CSIRT-TGX/2025\"}, \"kota\": \"Trenggalek\","
    " \"tanggal\": \"2 Desember 2025\", \"selesai\": false,"
    " \"petugas\": {\"nama\": \"Sari Dewi, S.Kom\", \"jabatan\": \"Ketua TTIS\", \"nip\": \"198501012010012001\"},"
    " \"langkah\": [{\"uraian\": \"Laporan diterima\", \"waktu\": 5},"
    " {\"uraian\": \"Analisis <log> web & DNS\", \"waktu\": 180, \"catatan\": \"Temuan \\\"defacement\\\"\"},"
    " {\"uraian\": \"Pemulihan\", \"waktu\": 2.5}]}";

static const char form_want[] =
    "\n"
    "<h1 class=\"judul tengah\">FORMULIR LAPORAN INSIDEN</h1>\n"
    "<p class=\"tengah\">Nomor: LI/0007/CSIRT-TGX/2025</p>\n"
    "<table>\n"
    "<thead><tr><th lebar=\"8\" width=\"8%\">No</th><th lebar=\"62\" width=\"62%\">Langkah</th>"
    "<th lebar=\"30\" width=\"30%\">Waktu</th></tr></thead>\n"
    "<tbody>\n"
    "<tr><td class=\"tengah\">1</td><td>Laporan diterima</td><td class=\"kanan\">5 menit</td></tr>\n"
    "<tr><td class=\"tengah\">2</td><td>Analisis &lt;log&gt; web &amp; DNS<br/><span class=\"kecil\">"
    "Temuan &quot;defacement&quot;</span></td><td class=\"kanan\">180 menit</td></tr>\n"
    "<tr><td class=\"tengah\">3</td><td>Pemulihan</td><td class=\"kanan\">2.5 menit</td></tr>\n"
    "</tbody>\n"
    "</table>\n"
    "<div class=\"kotak\">Penanganan masih berjalan &amp; dipantau.</div>\n"
    "<div class=\"ttd\"><p>Trenggalek, 2 Desember 2025</p><p>Ketua TTIS</p>"
    "<p class=\"tebal\"><u>Sari Dewi, S.Kom</u></p><p>NIP. 198501012010012001</p></div>\n";

static void test_realistic(void **state)
{
	(void)state;
	tmpl *t = load_ok(form);
	assert_string_equal(tmpl_id(t), "insiden-formulir");
	json_t *c = json_loads(form_ctx, 0, NULL);
	assert_non_null(c);
	buf out = BUF_INIT;
	buf_puts(&out, "[before]");
	sg_err e = {0};
	assert_int_equal(tmpl_render(t, c, &out, &e), 0);
	assert_string_equal(buf_str(&out) + 8, form_want);
	assert_memory_equal(buf_str(&out), "[before]", 8);
	buf_free(&out);

	/* no steps: the else row */
	json_object_set_new(c, "langkah", json_array());
	json_object_set_new(c, "selesai", json_true());
	assert_int_equal(tmpl_render(t, c, &out, &e), 0);
	assert_non_null(
	    strstr(buf_str(&out),
	           "<tbody>\n<tr><td colspan=\"3\">Belum ada langkah.</td></tr>\n</tbody>"));
	assert_null(strstr(buf_str(&out), "kotak"));
	buf_free(&out);
	json_decref(c);
	tmpl_free(t);
}

/* ---- load errors: each kind at its place */

static void test_errors_tags(void **state)
{
	(void)state;
	assert_bad_body("<p>a</p>\n<p>\n    <blink>x</blink></p>\n", 7, 5,
	                "unknown element <blink>");
	assert_bad_body("<p>x <br> y</p>\n", 5, 6, "<br> is written <br/>");
	assert_bad_body("<p>x</p><br></br>\n", 5, 9, "<br> is written <br/>");
	assert_bad_body("<p style=\"color: red\">x</p>\n", 5, 4, "unknown attribute style");
	assert_bad_body("<p lebar=\"30\">x</p>\n", 5, 4, "lebar is an attribute of th and td only");
	assert_bad_body("<p class=\"kotak\">x</p>\n", 5, 11, "class kotak is for div only, not p");
	assert_bad_body("<table><tr><td class=\"tebal ttd\">x</td></tr></table>\n", 5, 29,
	                "class ttd is for div only, not td");
	assert_bad_body("<p class=\"tengah\" class=\"kanan\">x</p>\n", 5, 19,
	                "attribute class is given twice");
	assert_bad_body("<p class='tengah'>x</p>\n", 5, 10, "is written in double quotes");
	assert_bad_body("<p class=tengah>x</p>\n", 5, 10, "is written in double quotes");
	assert_bad_body("<p class>x</p>\n", 5, 4, "attribute class has no value");
	assert_bad_body("<p class=\"tengah>x</p>\n", 5, 10, "is not closed by '\"'");
	assert_bad_body("<p class=\"{{gaya}}\">x</p>\n", 5, 11, "no directives inside tags");
	assert_bad_body("<p {{gaya}}>x</p>\n", 5, 4, "no directives inside tags");
	assert_bad_body("<p>x</p>\n<p\n", 6, 1, "<p is not closed by '>'");
	assert_bad_body("<!-- catatan -->\n", 5, 1, "a comment is written {{! … }}");
	/* elements that do not close */
	assert_bad_body("<table>\n<tr><td><b>x</td></tr>\n</table>\n", 6, 13,
	                "</td> while <b> opened at 6:9 is still open");
	assert_bad_body("<p>x</b></p>\n", 5, 5, "</b> does not close <p> opened at 5:1");
	assert_bad_body("<p>x</p></p>\n", 5, 9, "</p> closes no open element");
	assert_bad_body("<p>x</p></br>\n", 5, 9, "<br/> has no end tag");
	assert_bad_body("<div>\n<p>x\n</div>\n", 7, 1,
	                "</div> while <p> opened at 6:1 is still open");
	assert_bad_body("<div><p>x</p>\n", 5, 1, "<div> is not closed");
	assert_bad_body("x</font>\n", 5, 2, "unknown element </font>");
	/* tables and lists */
	assert_bad_body("<td>x</td>\n", 5, 1, "<td> stands directly inside tr");
	assert_bad_body("<table><td>x</td></table>\n", 5, 8,
	                "<td> cannot stand directly inside <table>");
	assert_bad_body("<table><tr>\n  x<td>y</td></tr></table>\n", 6, 3,
	                "text cannot stand directly inside <tr>");
	assert_bad_body("<ul><li>a</li>{{b}}</ul>\n", 5, 15,
	                "a value cannot stand directly inside <ul>");
	assert_bad_body("<ul><p>a</p></ul>\n", 5, 5,
	                "<p> cannot stand directly inside <ul>, which holds li");
	assert_bad_body("<li>a</li>\n", 5, 1, "<li> stands directly inside ul or ol");
	assert_bad_body("<tr><td>a</td></tr>\n", 5, 1,
	                "<tr> stands directly inside table, thead or tbody");
}

static void test_errors_attributes(void **state)
{
	(void)state;
	assert_bad_body("<p class=\"tengah merah\">x</p>\n", 5, 18, "unknown class \"merah\"");
	assert_bad_body("<p class=\"\">x</p>\n", 5, 11, "class is empty");
	assert_bad_body("<p class=\"tebal tebal\">x</p>\n", 5, 17, "class tebal is given twice");
	assert_bad_body("<table><tr><td lebar=\"0\">x</td></tr></table>\n", 5, 23,
	                "lebar is a column's width in percent");
	assert_bad_body("<table><tr><td lebar=\"101\">x</td></tr></table>\n", 5, 23, "not \"101\"");
	assert_bad_body("<table><tr><td lebar=\"30%\">x</td></tr></table>\n", 5, 23, "not \"30%\"");
	assert_bad_body("<table><tr><td colspan=\"21\">x</td></tr></table>\n", 5, 25,
	                "colspan is the columns a cell spans");
	assert_bad_body("<table><tr><td colspan=\"dua\">x</td></tr></table>\n", 5, 25,
	                "not \"dua\"");
}

static void test_errors_text(void **state)
{
	(void)state;
	assert_bad_body("<p>nilai < 5</p>\n", 5, 10, "'<' in text is written &lt;");
	assert_bad_body("<p>nilai > 5</p>\n", 5, 10, "'>' in text is written &gt;");
	assert_bad_body("<p>Tom & Jerry</p>\n", 5, 8, "write a lone & as &amp;");
	assert_bad_body("<p>a&nbsp;b</p>\n", 5, 5, "unknown entity &nbsp;");
	assert_bad_body("<p>a&#xA9;b</p>\n", 5, 5, "is hexadecimal");
	assert_bad_body("<p>a&#0;b</p>\n", 5, 5, "&#0; is not a character");
	assert_bad_body("<p>a&#1114112;b</p>\n", 5, 5, "is not a character");
	/* columns count characters: é is one */
	assert_bad_body("<p>Kafé \xC3\x28</p>\n", 5, 9, "invalid UTF-8");
	assert_bad("id: uji\njudul: Uji \xFF\nkode: UJ\n---\n", 2, 12, "invalid UTF-8");
	assert_bad_body("<p>a\x01</p>\n", 5, 5, "control character U+0001");
	assert_bad_body("<p>a\xEF\xBF\xBE</p>\n", 5, 5, "U+FFFE is not a character");
	/* a NUL byte, within the given length */
	diags d = DIAGS_INIT;
	const char nul[] = HDR "<p>a\0b</p>\n";
	assert_null(tmpl_load(nul, sizeof nul - 1, "uji.tmpl", &d));
	assert_int_equal(d.v[0].line, 5);
	assert_int_equal(d.v[0].col, 5);
	assert_non_null(strstr(d.v[0].msg, "U+0000"));
	diags_free(&d);
}

static void test_errors_directives(void **state)
{
	(void)state;
	/* an unclosed block: where it opened */
	assert_bad_body("<p>a</p>\n  {{#each langkah}}\n<p>{{uraian}}</p>\n", 6, 3,
	                "{{#each langkah}} is not closed by {{/each}}");
	assert_bad_body("{{#if a}}x{{/each}}{{/if}}", 5, 11,
	                "{{/each}} closes the {{#if a}} at 5:1");
	assert_bad_body("x{{/if}}", 5, 2, "{{/if}} without {{#if}}");
	assert_bad_body("x{{else}}", 5, 2, "{{else}} outside {{#each}}, {{#if}} or {{#unless}}");
	assert_bad_body("{{#if a}}x{{else}}y{{else}}z{{/if}}", 5, 20,
	                "a second {{else}} in the {{#if a}} at 5:1");
	/* an element left open across {{else}} or the block's end: said
	 * once, not again at its end tag */
	assert_int_equal(assert_bad_body("{{#if a}}<p>x{{else}}y</p>{{/if}}", 5, 14,
	                                 "<p> opened at 5:10 is not closed before {{else}}"),
	                 1);
	assert_int_equal(assert_bad_body("{{#each xs}}\n<p>{{.}}\n{{/each}}</p>", 7, 1,
	                                 "<p> opened at 6:1 is not closed before {{/each}}"),
	                 1);
	/* nor close one opened outside the block */
	assert_bad_body("<p>{{#if a}}x</p>{{/if}}", 5, 14,
	                "</p> closes <p> opened at 5:1, outside the {{#if a}} at 5:4");
	assert_bad_body("{{#foreach xs}}{{/foreach}}", 5, 1, "unknown directive {{#foreach}}");
	assert_bad_body("{{#eachxs}}{{/each}}", 5, 1, "unknown directive {{#eachxs}}");
	assert_bad_body("{{#each}}{{/each}}", 5, 8, "a path is missing");
	assert_int_equal(
	    assert_bad_body("{{#each xs}}{{/each xs}}", 5, 21, "{{/each}} takes no path"), 1);
	assert_bad_body("{{^a}}x{{/a}}", 5, 1, "is written {{#unless");
	assert_bad_body("a {{{html}}}", 5, 3, "values are always escaped");
	assert_bad_body("a {{>bagian}}", 5, 3, "is not part of the language");
	assert_bad_body("a {{nama\n}}", 5, 3, "{{ is not closed by }} on its line");
	assert_bad_body("a {{! catatan\n", 5, 3, "a comment {{! is not closed by }}");
	/* paths */
	assert_bad_body("<p>{{ kasus..tiket }}</p>", 5, 13, "bad path \"kasus..tiket\"");
	assert_bad_body("<p>{{kasus-tiket}}</p>", 5, 11, "bad path");
	assert_bad_body("<p>{{kasus.}}</p>", 5, 12, "bad path");
	assert_bad_body("<p>{{@nomor}}</p>", 5, 6, "unknown @nomor");
	assert_bad_body("<p>{{@no}}</p>", 5, 6, "@no is used outside {{#each}}");
	assert_bad_body("{{#each xs}}{{else}}{{@no}}{{/each}}", 5, 23,
	                "@no is used outside {{#each}}");
	assert_bad_body("{{#each @no}}{{/each}}", 5, 9, "@no is a number, not a list");
}

static void test_errors_many(void **state)
{
	(void)state;
	/* every problem, each where it stands */
	diags d = DIAGS_INIT;
	load_bad(HDR "<p class=\"merah\">a < b</p>\n<x>\n{{#if}}\n", &d);
	assert_int_equal(d.n, 6);
	int want[][2] = {{5, 11}, {5, 20}, {6, 1}, {6, 1}, {7, 1}, {7, 6}};
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(d.v[i].line, want[i][0]);
		assert_int_equal(d.v[i].col, want[i][1]);
	}
	assert_non_null(strstr(d.v[2].msg, "unknown element <x>"));
	assert_non_null(strstr(d.v[3].msg, "<x> is not closed"));
	assert_non_null(strstr(d.v[4].msg, "{{#if}} is not closed by {{/if}}"));
	diags_free(&d);

	/* bounded by the list's limit */
	buf b = BUF_INIT;
	buf_puts(&b, HDR);
	for (int i = 0; i < 500; i++)
		buf_puts(&b, "a < b\n");
	d.limit = 20;
	load_bad(buf_str(&b), &d);
	assert_int_equal(d.n, 20);
	assert_int_equal(d.dropped, 480);
	diags_free(&d);
	buf_free(&b);
}

static void test_errors_limits(void **state)
{
	(void)state;
	/* loops 16 deep load, 17 do not */
	buf b = BUF_INIT;
	buf_puts(&b, HDR);
	for (int i = 0; i < 16; i++)
		buf_puts(&b, "{{#each xs}}");
	buf_puts(&b, "{{@no}}");
	for (int i = 0; i < 16; i++)
		buf_puts(&b, "{{/each}}");
	tmpl *t = load_ok(buf_str(&b));
	json_t *c = json_loads("{\"xs\": [1]}", 0, NULL);
	buf out = BUF_INIT;
	sg_err e = {0};
	assert_int_equal(tmpl_render(t, c, &out, &e), 0);
	assert_string_equal(buf_str(&out), "1");
	buf_free(&out);
	tmpl_free(t);
	buf_reset(&b);
	buf_puts(&b, HDR);
	for (int i = 0; i < 17; i++)
		buf_puts(&b, "{{#each xs}}");
	for (int i = 0; i < 17; i++)
		buf_puts(&b, "{{/each}}");
	assert_bad(buf_str(&b), 5, 193, "{{#each}} is nested more than 16 deep");

	/* elements and blocks 64 deep at most */
	buf_reset(&b);
	buf_puts(&b, HDR);
	for (int i = 0; i < 65; i++)
		buf_puts(&b, "<b>");
	assert_bad(buf_str(&b), 5, 193, "nested more than 64 deep");

	/* 256 KiB */
	buf_reset(&b);
	buf_puts(&b, HDR);
	while (b.len <= 256 * 1024)
		buf_puts(&b, "<p>isi</p>\n");
	diags d = DIAGS_INIT;
	assert_null(tmpl_load(b.data, b.len, "uji.tmpl", &d));
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg, "larger than 256 KiB"));
	diags_free(&d);
	buf_free(&b);
	json_decref(c);
}

/* ---- render errors */

static void test_render_errors(void **state)
{
	(void)state;
	tmpl *t = load_ok(HDR "<p>Kasus:\n   {{kasus}}</p>{{#each s}}{{/each}}{{daftar}}");
	json_t *c = json_loads("{\"kasus\": {\"tiket\": \"INS-1\"}}", 0, NULL);
	buf out = BUF_INIT;
	buf_puts(&out, "awal");
	sg_err e = {0};
	assert_int_equal(tmpl_render(t, c, &out, &e), -1);
	assert_int_equal(e.code, SG_EINVAL);
	assert_string_equal(e.msg, "uji.tmpl:6:4: {{kasus}} is an object, which cannot be printed");
	assert_string_equal(buf_str(&out), "awal"); /* nothing half written */

	json_object_set_new(c, "kasus", json_string("INS-1"));
	json_object_set_new(c, "s", json_string("bukan daftar"));
	assert_int_equal(tmpl_render(t, c, &out, &e), -1);
	assert_int_equal(e.code, SG_EINVAL);
	assert_string_equal(e.msg, "uji.tmpl:6:17: {{#each s}}: s is text, not a list");

	json_object_del(c, "s");
	json_object_set_new(c, "daftar", json_pack("[i]", 1));
	assert_int_equal(tmpl_render(t, c, &out, &e), -1);
	assert_string_equal(e.msg, "uji.tmpl:6:37: {{daftar}} is a list, which cannot be printed");

	json_object_del(c, "daftar");
	assert_int_equal(tmpl_render(t, c, &out, &e), 0);
	assert_string_equal(buf_str(&out), "awal<p>Kasus:\n   INS-1</p>");

	/* the context is an object */
	json_t *arr = json_array();
	assert_int_equal(tmpl_render(t, arr, &out, &e), -1);
	assert_int_equal(e.code, SG_EINVAL);
	json_decref(arr);
	buf_free(&out);
	json_decref(c);
	tmpl_free(t);
}

static void test_render_limits(void **state)
{
	(void)state;
	/* 16 MiB of output */
	tmpl *t = load_ok(HDR "{{#each xs}}{{big}}{{/each}}");
	char *big = malloc(1024 * 1024 + 1);
	memset(big, 'x', 1024 * 1024);
	big[1024 * 1024] = '\0';
	json_t *c = json_object();
	json_object_set_new(c, "big", json_string(big));
	json_t *xs = json_array();
	for (int i = 0; i < 16; i++)
		json_array_append_new(xs, json_integer(i));
	json_object_set(c, "xs", xs);
	buf out = BUF_INIT;
	sg_err e = {0};
	assert_int_equal(tmpl_render(t, c, &out, &e), 0); /* 16 MiB exactly */
	assert_int_equal(out.len, 16 * 1024 * 1024);
	buf_reset(&out);
	json_array_append_new(xs, json_integer(16));
	assert_int_equal(tmpl_render(t, c, &out, &e), -1);
	assert_int_equal(e.code, SG_ETOOBIG);
	assert_int_equal(out.len, 0);
	tmpl_free(t);

	/* loops that write nothing still end */
	t = load_ok(
	    HDR
	    "{{#each xs}}{{#each xs}}{{#each xs}}{{#each xs}}{{/each}}{{/each}}{{/each}}{{/each}}");
	json_array_clear(xs);
	for (int i = 0; i < 100; i++)
		json_array_append_new(xs, json_integer(i));
	assert_int_equal(tmpl_render(t, c, &out, &e), -1);
	assert_int_equal(e.code, SG_ETOOBIG);
	tmpl_free(t);
	json_decref(xs);
	json_decref(c);
	buf_free(&out);
	free(big);
}

/* ---- the output is well-formed XML whatever the values */

static const char *const hostile[] = {
    "</r><x>",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "&amp;",
    "&#0;",
    "&",
    "\"'",
    "<?xml?>",
    "\xC3\x28", /* not UTF-8 (jansson would refuse it: made below) */
    "\x01\x02\x1F",
    "\xEF\xBF\xBE\xEF\xBF\xBF",
    "<script>alert(1)</script>",
    "a\r\nb",
};

static void test_well_formed(void **state)
{
	(void)state;
	tmpl *t = load_ok(
	    HDR
	    "<h1 class=\"judul\">{{judul}}</h1>\n"
	    "<table><tr><th lebar=\"10\">No</th><th>Nilai</th></tr>\n"
	    "{{#each xs}}<tr><td>{{@no}}</td><td>{{.}}{{#if .}}]{{/if}}</td></tr>{{/each}}</table>\n"
	    "<p>{{a.b}} &amp; {{n}} {{r}} {{t}}</p>\n");
	json_t *c = json_object();
	json_t *xs = json_array();
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		json_t *s = json_stringn_nocheck(hostile[i], strlen(hostile[i]));
		json_array_append_new(xs, s);
		if (i == 0)
			json_object_set(c, "judul", s);
	}
	json_array_append_new(xs, json_stringn("nul\0byte", 8));
	json_object_set_new(c, "xs", xs);
	json_object_set_new(c, "a", json_pack("{s:s}", "b", "]]><r>"));
	json_object_set_new(c, "n", json_integer(-9223372036854775807LL - 1));
	json_object_set_new(c, "r", json_real(1e300));
	json_object_set_new(c, "t", json_true());
	buf out = BUF_INIT;
	buf_puts(&out, "<r>");
	sg_err e = {0};
	assert_int_equal(tmpl_render(t, c, &out, &e), 0);
	buf_puts(&out, "</r>");
	xmlDocPtr doc = xmlReadMemory(out.data, (int)out.len, "out.xml", "UTF-8", XML_PARSE_NONET);
	if (doc == NULL)
		fail_msg("not well-formed:\n%s", out.data);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "r");
	/* the first value came through as text, not as elements */
	xmlNodePtr h1 = root->children;
	assert_string_equal((const char *)h1->name, "h1");
	xmlChar *txt = xmlNodeGetContent(h1);
	assert_string_equal((const char *)txt, "</r><x>");
	xmlFree(txt);
	xmlFreeDoc(doc);
	buf_free(&out);
	json_decref(c);
	tmpl_free(t);
}

/* ---- one template on several threads */

typedef struct job {
	const tmpl *t;
	const json_t *c;
	int ok;
} job;

static void *render_many(void *arg)
{
	job *j = arg;
	for (int i = 0; i < 200; i++) {
		buf out = BUF_INIT;
		sg_err e = {0};
		if (tmpl_render(j->t, j->c, &out, &e) == 0 && strcmp(buf_str(&out), form_want) == 0)
			j->ok++;
		buf_free(&out);
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	tmpl *t = load_ok(form);
	json_t *c = json_loads(form_ctx, 0, NULL);
	pthread_t th[4];
	job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (job){t, c, 0};
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(jobs[i].ok, 200);
	}
	json_decref(c);
	tmpl_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_header),
	    cmocka_unit_test(test_header_errors),
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_escaping),
	    cmocka_unit_test(test_each),
	    cmocka_unit_test(test_lookup_outwards),
	    cmocka_unit_test(test_if_unless),
	    cmocka_unit_test(test_elements),
	    cmocka_unit_test(test_realistic),
	    cmocka_unit_test(test_errors_tags),
	    cmocka_unit_test(test_errors_attributes),
	    cmocka_unit_test(test_errors_text),
	    cmocka_unit_test(test_errors_directives),
	    cmocka_unit_test(test_errors_many),
	    cmocka_unit_test(test_errors_limits),
	    cmocka_unit_test(test_render_errors),
	    cmocka_unit_test(test_render_limits),
	    cmocka_unit_test(test_well_formed),
	    cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
