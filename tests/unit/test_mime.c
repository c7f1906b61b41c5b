/*
 * test_mime.c: the e-mail parser of the mail intake (notify/mime.h).
 * Messages as real mailers write them (tests/data/mail: Thunderbird,
 * Outlook, Gmail, an out-of-office reply, a mailing list), each read to
 * its exact fields, text and attachment bytes; then each piece on its own
 * (headers, addresses, encoded words, filenames, transfer encodings,
 * charsets, HTML, dates) and each kind of malformed message with its exact
 * problems; the limits (nesting, attachments, sizes, problems); binary
 * garbage; and a 25 MB message in bounded time. Every message parsed is
 * also checked for what the intake relies on: valid UTF-8 everywhere,
 * one-line fields without control characters, base-name filenames.
 */
#include "helpers.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/utf8.h"
#include "notify/mime.h"

/* ---- helpers */

static void assert_line(const char *s)
{
	if (s == NULL)
		return;
	assert_true(utf8_valid(s, strlen(s)));
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		assert_true(*p >= 0x20 && *p != 0x7f);
		if (*p == 0xC2)
			assert_true(p[1] >= 0xA0); /* no C1 control */
	}
}

/* What every parse must give, whatever the input. */
static void check_invariants(const mime_msg *m, const mime_limits *given)
{
	mime_limits d = MIME_LIMITS_DEFAULT, l = given ? *given : d;
	l.max_parts = l.max_parts ? l.max_parts : d.max_parts;
	l.max_part_bytes = l.max_part_bytes ? l.max_part_bytes : d.max_part_bytes;
	l.max_text_bytes = l.max_text_bytes ? l.max_text_bytes : d.max_text_bytes;
	const mime_limits *lim = &l;
	assert_line(m->from_name);
	assert_line(m->from_addr);
	assert_line(m->subject);
	assert_line(m->message_id);
	assert_line(m->in_reply_to);
	assert_line(m->auto_submitted);
	assert_line(m->precedence);
	if (m->from_addr)
		for (const char *p = m->from_addr; *p; p++)
			assert_false(*p >= 'A' && *p <= 'Z');
	if (m->text) {
		size_t n = strlen(m->text);
		assert_true(utf8_valid(m->text, n));
		assert_true(n > 0 && n <= lim->max_text_bytes);
		for (const unsigned char *p = (const unsigned char *)m->text; *p; p++)
			assert_true(*p >= 0x20 || *p == '\n' || *p == '\t');
	}
	assert_true(m->n_parts <= lim->max_parts);
	for (size_t i = 0; i < m->n_parts; i++) {
		const mime_part *p = &m->parts[i];
		assert_non_null(p->filename);
		assert_line(p->filename);
		assert_true(p->filename[0] != '\0' && p->filename[0] != '.');
		assert_null(strchr(p->filename, '/'));
		assert_null(strchr(p->filename, '\\'));
		assert_true(strlen(p->filename) <= MIME_FILENAME_MAX);
		assert_non_null(p->content_type);
		assert_line(p->content_type);
		if (p->too_big) {
			assert_null(p->data);
			assert_int_equal(p->len, 0);
			assert_true(p->size > lim->max_part_bytes);
		} else {
			assert_int_equal(p->len, p->size);
			assert_true(p->len == 0 || p->data != NULL);
		}
	}
	assert_true(m->n_problems <= MIME_MAX_PROBLEMS + 2);
	for (size_t i = 0; i < m->n_problems; i++)
		assert_line(m->problems[i]);
}

static mime_msg parse_lim(const char *raw, size_t n, const mime_limits *lim)
{
	mime_msg m;
	sg_err e = {0};
	assert_int_equal(mime_parse(raw, n, lim, &m, &e), 0);
	check_invariants(&m, lim);
	return m;
}

static mime_msg parse(const char *raw)
{
	return parse_lim(raw, strlen(raw), NULL);
}

static mime_msg parse_file(const char *name)
{
	char rel[256];
	snprintf(rel, sizeof rel, "tests/data/mail/%s", name);
	size_t n;
	char *raw = read_all(src_path(rel), &n);
	if (raw == NULL)
		fail_msg("cannot read %s", rel);
	mime_msg m = parse_lim(raw, n, NULL);
	free(raw);
	return m;
}

/* The problems of m are exactly the arguments (NULL-terminated). */
static void assert_problems(const mime_msg *m, ...)
{
	va_list ap;
	va_start(ap, m);
	size_t i = 0;
	for (const char *want; (want = va_arg(ap, const char *)) != NULL; i++) {
		if (i >= m->n_problems)
			fail_msg("problem %zu missing: %s", i, want);
		assert_string_equal(m->problems[i], want);
	}
	va_end(ap);
	if (i != m->n_problems)
		fail_msg("unexpected problem: %s", m->problems[i]);
}

/* The text of the message whose headers are hdr and body body (LF). */
static void assert_text(const char *hdr, const char *body, const char *want)
{
	char raw[8192];
	snprintf(raw, sizeof raw, "From: a@example.id\n%s%s\n%s", hdr, *hdr ? "\n" : "", body);
	mime_msg m = parse(raw);
	if (want == NULL)
		assert_null(m.text);
	else
		assert_string_equal(m.text, want);
	mime_msg_free(&m);
}

/* ---- messages as mailers write them */

static void test_thunderbird(void **state)
{
	(void)state;
	mime_msg m = parse_file("thunderbird.eml");
	assert_string_equal(m.from_name, "Sari Wulandari");
	assert_string_equal(m.from_addr, "sari.wulandari@example.co.id");
	assert_string_equal(m.subject, "Laporan: tampilan situs kecamatan berubah");
	assert_string_equal(m.message_id, "7c2a1f0e-3b5d-4e8a-9f61-2d4b8c9e0a11@example.co.id");
	assert_null(m.in_reply_to);
	assert_null(m.auto_submitted);
	assert_null(m.precedence);
	assert_false(m.list);
	assert_int_equal(m.date, wib("2024-12-03 09:15:02"));
	/* format=flowed: the line ending in a space joins the next */
	assert_string_equal(m.text,
	                    "Selamat pagi Tim CSIRT,\n\n"
	                    "Sejak pukul 08.00 WIB halaman depan situs kecamatan menampilkan "
	                    "gambar dan tulisan yang bukan milik kami. Tangkapan layar "
	                    "terlampir.\n\nSalam,\nSari \xE2\x80\x93 Operator TIK Kecamatan");
	assert_int_equal(m.n_parts, 1);
	const mime_part *p = &m.parts[0];
	assert_string_equal(p->filename, "tangkapan-layar.png");
	assert_string_equal(p->content_type, "image/png");
	assert_false(p->too_big);
	assert_int_equal(p->len, 76);
	assert_int_equal(p->size, 76);
	assert_memory_equal(p->data, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x08", 24);
	assert_memory_equal(p->data + 64, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
	assert_problems(&m, NULL);
	mime_msg_free(&m);
}

static void test_outlook(void **state)
{
	(void)state;
	mime_msg m = parse_file("outlook.eml");
	assert_string_equal(m.from_name, "Wibowo, Agus (Dinas Pendidikan)");
	assert_string_equal(m.from_addr, "agus.wibowo@disdik.example.go.id");
	assert_string_equal(m.subject, "Surel \xE2\x80\x9Ctagihan pajak\xE2\x80\x9D mencurigakan");
	assert_string_equal(m.message_id, "PS2PR01MB25815A1F0C8B4E2D9A3C7B11D4F02@PS2PR01MB2581."
	                                  "apcprd01.prod.exchangelabs.com");
	assert_int_equal(m.date, wib("2024-12-04 09:41:18"));
	/* HTML only, windows-1252 quoted-printable: head and style dropped,
	 * paragraphs one a line, the &nbsp; ones blank lines, entities */
	assert_string_equal(
	    m.text, "Yth. Tim CSIRT Diskominfo,\n\n"
	            "Kami menerima surel \xE2\x80\x9Ctagihan pajak\xE2\x80\x9D dengan tautan "
	            "mencurigakan \xE2\x80\x93 lima pegawai sudah mengekliknya.\n"
	            "Alamat pengirim: pajak@example.net & <tidak dikenal>\n\n"
	            "Hormat kami,\nBagian Umum \xE2\x80\xA6 Dinas Pendidikan");
	assert_int_equal(m.n_parts, 0);
	assert_problems(&m, NULL);
	mime_msg_free(&m);
}

static void test_gmail(void **state)
{
	(void)state;
	mime_msg m = parse_file("gmail.eml");
	/* two B words, the em dash split between them */
	assert_string_equal(m.subject, "Situs desa diretas \xE2\x80\x94 mohon bantuan");
	assert_string_equal(m.from_name, "Budi Santoso (Kades Sukamaju)");
	assert_string_equal(m.from_addr, "budi.santoso.kades@gmail.com");
	assert_string_equal(m.message_id, "CAF3k9xPq2+Yw5n1vR0t8sUe=Zb4mJ7hK_c6aLd@mail.gmail.com");
	assert_int_equal(m.date, wib("2024-12-05 10:02:44"));
	/* text/plain (base64) preferred to its HTML alternative */
	assert_string_equal(m.text,
	                    "Halo CSIRT,\n\nSitus desa Sukamaju (sukamaju.desa.example.id) "
	                    "diretas pagi ini: halaman depannya diganti.\nLaporan insiden "
	                    "terlampir.\n\nTerima kasih,\nBudi Santoso\nKepala Desa Sukamaju");
	assert_int_equal(m.n_parts, 1);
	/* filename*= (RFC 2231) wins over name="=?UTF-8?Q?...?=" */
	assert_string_equal(m.parts[0].filename, "laporan insiden.pdf");
	assert_string_equal(m.parts[0].content_type, "application/pdf");
	const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R "
	                   ">>\n%%EOF\n";
	assert_int_equal(m.parts[0].len, sizeof pdf - 1);
	assert_memory_equal(m.parts[0].data, pdf, sizeof pdf - 1);
	assert_problems(&m, NULL);
	mime_msg_free(&m);
}

static void test_gmail_html_only(void **state)
{
	(void)state;
	/* the same message without its text/plain: the HTML's text */
	size_t n;
	char *raw = read_all(src_path("tests/data/mail/gmail.eml"), &n);
	assert_non_null(raw);
	char *plain = strstr(raw, "Content-Type: text/plain");
	assert_non_null(plain);
	memcpy(plain, "Content-Type: text/xlain", 24);
	mime_msg m = parse_lim(raw, n, NULL);
	assert_string_equal(m.text,
	                    "Halo CSIRT,\n\nSitus desa Sukamaju (sukamaju.desa.example.id) "
	                    "diretas pagi ini: halaman depannya diganti.\nLaporan insiden "
	                    "terlampir.\n\nTerima kasih,\nBudi Santoso\nKepala Desa Sukamaju");
	/* a text/xlain is no text: an attachment */
	assert_int_equal(m.n_parts, 2);
	assert_string_equal(m.parts[0].filename, "lampiran-1");
	assert_string_equal(m.parts[0].content_type, "text/xlain");
	assert_string_equal(m.parts[1].filename, "laporan insiden.pdf");
	mime_msg_free(&m);
	free(raw);
}

static void test_autoreply(void **state)
{
	(void)state;
	mime_msg m = parse_file("autoreply.eml");
	assert_string_equal(m.auto_submitted, "auto-replied");
	assert_string_equal(m.precedence, "bulk");
	assert_false(m.list);
	assert_string_equal(m.in_reply_to, "sigap.42.1733475000@trenggalekkab.example.go.id");
	assert_string_equal(m.message_id, "auto.20241206163000.1234@dinkes.example.go.id");
	assert_string_equal(m.subject,
	                    "Balasan otomatis: [INS-2024-0042] Laporan Anda kami terima");
	/* iso-8859-1 read as windows-1252: =96 is an en dash */
	assert_string_equal(m.text, "Saya sedang cuti sampai 9 Desember 2024. Untuk hal mendesak "
	                            "hubungi\nBapak Andi (ext. 214) \xE2\x80\x93 terima kasih.");
	assert_problems(&m, NULL);
	mime_msg_free(&m);
}

static void test_list(void **state)
{
	(void)state;
	mime_msg m = parse_file("list.eml");
	assert_true(m.list);
	assert_string_equal(m.precedence, "list");
	assert_null(m.auto_submitted);
	assert_string_equal(m.from_name, "Forum CSIRT Jatim");
	assert_string_equal(m.from_addr, "forum@lists.csirt-jatim.example.id");
	assert_string_equal(m.text,
	                    "Rekan-rekan,\n\nMohon segera perbarui plugin formulir ke versi "
	                    "terbaru.\n\n_______________________________________________\n"
	                    "Forum-CSIRT mailing list");
	assert_problems(&m, NULL);
	mime_msg_free(&m);
	/* List-Unsubscribe alone is enough; Auto-Submitted: no is kept */
	m = parse("From: a@example.id\nlist-unsubscribe: <mailto:x@y>\nAuto-Submitted: No\n\nx");
	assert_true(m.list);
	assert_string_equal(m.auto_submitted, "no");
	assert_false(m.bounce);
	assert_false(m.autoreply);
	mime_msg_free(&m);
}

/* Delivery reports and vacation programs, as the intake must know them
 * (a null Return-Path, multipart/report, X-Autoreply); a sender's name
 * loses its bidi overrides without a trace. */
static void test_automatic(void **state)
{
	(void)state;
	mime_msg m = parse("Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.id\n\nx");
	assert_true(m.bounce);
	mime_msg_free(&m);
	m = parse("Return-Path: < >\nFrom: a@example.id\n\nx");
	assert_true(m.bounce);
	mime_msg_free(&m);
	m = parse("Return-Path: <warga@example.id>\nFrom: a@example.id\n\nx");
	assert_false(m.bounce);
	mime_msg_free(&m);
	m = parse("From: a@example.id\nContent-Type: multipart/report; report-type=delivery-status; "
	          "boundary=r\n\n--r\nContent-Type: text/plain\n\ngagal\n--r--\n");
	assert_true(m.bounce);
	mime_msg_free(&m);
	m = parse("From: a@example.id\nX-Autoreply: yes\n\nx");
	assert_true(m.autoreply);
	assert_false(m.bounce);
	mime_msg_free(&m);
	m = parse("From: =?utf-8?Q?Petugas_=E2=80=AEnasiR?= <a@example.id>\nSubject: "
	          "=?utf-8?Q?a=E2=81=A6b?=\n\nx");
	assert_string_equal(m.from_name, "Petugas nasiR");
	assert_string_equal(m.subject, "ab");
	mime_msg_free(&m);
}

/* ---- headers */

static void test_headers(void **state)
{
	(void)state;
	/* folding (spaces and tabs), names in any case, CRLF, the first of
	 * two, a value with no space after the colon */
	const char *crlf = "FROM:Sari <sari@example.id>\r\n"
	                   "sUbJeCt: Situs\r\n   desa\r\n\tdiretas\r\n"
	                   "Subject: kedua\r\n"
	                   "Message-Id:\r\n <abc@x>\r\n\r\nIsi\r\nbaris dua\r\n";
	mime_msg m = parse(crlf);
	assert_string_equal(m.from_addr, "sari@example.id");
	assert_string_equal(m.from_name, "Sari");
	assert_string_equal(m.subject, "Situs desa diretas");
	assert_string_equal(m.message_id, "abc@x");
	assert_string_equal(m.text, "Isi\nbaris dua");
	assert_problems(&m, NULL);
	mime_msg_free(&m);

	/* a line without a colon is skipped when a blank line follows */
	m = parse("From: a@example.id\nSubject: x\nX-Broken header line\n  folded\n"
	          "Content-Type: text/plain\n\nbody\n");
	assert_string_equal(m.subject, "x");
	assert_string_equal(m.text, "body");
	assert_problems(&m,
	                "the message: the line 'X-Broken header line' among the headers is not a "
	                "header (name: value); it is skipped",
	                NULL);
	mime_msg_free(&m);

	/* ... and begins the body when none does */
	m = parse("From: a@example.id\nSubject: x\nTidak ada baris kosong\nsetelah kepala\n");
	assert_string_equal(m.text, "Tidak ada baris kosong\nsetelah kepala");
	assert_problems(&m,
	                "the message: the line 'Tidak ada baris kosong' is not a header and no "
	                "blank line comes before it; the body is read from there",
	                NULL);
	mime_msg_free(&m);

	/* an mbox "From " line; no body at all; no From */
	m = parse("From sari@example.id Tue Dec  3 09:15:02 2024\nFrom: sari@example.id\n");
	assert_string_equal(m.from_addr, "sari@example.id");
	assert_null(m.text);
	assert_problems(&m, NULL);
	mime_msg_free(&m);
	m = parse("Subject: tanpa pengirim\n\nisi");
	assert_null(m.from_addr);
	assert_null(m.from_name);
	assert_problems(&m, "the message has no From header", NULL);
	mime_msg_free(&m);

	/* empty values; ids in their forms */
	m = parse("From: a@example.id\nSubject: \nAuto-Submitted:\nIn-Reply-To: <a@x> <b@y>\n"
	          "Message-ID: tanpa-kurung@x\n\n");
	assert_null(m.subject);
	assert_null(m.auto_submitted);
	assert_string_equal(m.in_reply_to, "a@x");
	assert_string_equal(m.message_id, "tanpa-kurung@x");
	mime_msg_free(&m);
	m = parse("From: a@example.id\nMessage-ID: <>\nIn-Reply-To: <a b@x>\n\n");
	assert_null(m.message_id);
	assert_null(m.in_reply_to);
	assert_problems(&m, "the Message-ID header '<>' holds no message id that can be read",
	                "the In-Reply-To header '<a b@x>' holds no message id that can be read",
	                NULL);
	mime_msg_free(&m);
}

static void test_long_header(void **state)
{
	(void)state;
	size_t n = 200000;
	char *raw = malloc(n + 64);
	assert_non_null(raw);
	strcpy(raw, "From: a@example.id\nSubject: ");
	size_t k = strlen(raw);
	memset(raw + k, 'x', n);
	strcpy(raw + k + n, "\n\nisi");
	mime_msg m = parse(raw);
	assert_int_equal(strlen(m.subject), MIME_HEADER_MAX);
	assert_string_equal(m.text, "isi");
	assert_problems(&m,
	                "the message: the Subject header is longer than 65536 bytes; the rest is "
	                "not read",
	                NULL);
	mime_msg_free(&m);
	free(raw);
}

static void test_addresses(void **state)
{
	(void)state;
	static const struct {
		const char *from, *name, *addr;
	} cases[] = {
	    {"Sari Dewi <Sari.Dewi@Example.ID>", "Sari Dewi", "sari.dewi@example.id"},
	    {"sari@example.id (Sari Dewi)", "Sari Dewi", "sari@example.id"},
	    {"\"Dewi, Sari \\\"Ria\\\"\" <sari@example.id>", "Dewi, Sari \"Ria\"",
	     "sari@example.id"},
	    {"<sari@example.id>", NULL, "sari@example.id"},
	    {"sari@example.id", NULL, "sari@example.id"},
	    {"  Sari   Dewi   <sari@example.id>  ", "Sari Dewi", "sari@example.id"},
	    {"=?utf-8?Q?Sari_D=C3=A9wi?= <sari@example.id>", "Sari D\xC3\xA9wi", "sari@example.id"},
	    {"\"=?iso-8859-1?Q?J=FCrgen?=\" <j@example.de>", "J\xC3\xBCrgen", "j@example.de"},
	    {"Doe, John <j@example.id>", "Doe, John", "j@example.id"},
	    {"'Sari' <sari@example.id>", "Sari", "sari@example.id"},
	    {"a@example.id, b@example.id", NULL, "a@example.id"},
	    {"Tim <tim@example.id>, Ani <ani@example.id>", "Tim", "tim@example.id"},
	    {"Kelompok: Ani <ani@example.id>, b@x.id;", "Ani", "ani@example.id"},
	    {"Sari (Dinkes) <sari@example.id>", "Sari", "sari@example.id"},
	    {"<@relay.example:sari@example.id>", NULL, "sari@example.id"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char raw[512];
		snprintf(raw, sizeof raw, "From: %s\n\nx", cases[i].from);
		mime_msg m = parse(raw);
		if (cases[i].name)
			assert_string_equal(m.from_name, cases[i].name);
		else
			assert_null(m.from_name);
		assert_string_equal(m.from_addr, cases[i].addr);
		assert_problems(&m, NULL);
		mime_msg_free(&m);
	}
	static const char *const bad[] = {"Sari Dewi",    "undisclosed-recipients:;",
	                                  "<sari>",       "Sari <sari @ example .id",
	                                  "<a@b\x01>",    "<@x>",
	                                  "<a@b\xC2\x8E>"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char raw[512], want[256];
		snprintf(raw, sizeof raw, "From: %s\n\nx", bad[i]);
		mime_msg m = parse(raw);
		if (i != 3)
			assert_null(m.from_addr);
		else /* no '>': the rest is the address, spaces out */
			assert_string_equal(m.from_addr, "sari@example.id");
		if (i != 3) {
			snprintf(want, sizeof want,
			         "the From header '%s' holds no address that can be read",
			         i == 4 || i == 6 ? "<a@b?>" : bad[i]);
			assert_problems(&m, want, NULL);
		}
		mime_msg_free(&m);
	}
}

/* ---- encoded words (RFC 2047) */

static void assert_subject(const char *raw_subject, const char *want)
{
	char raw[1024];
	snprintf(raw, sizeof raw, "From: a@example.id\nSubject: %s\n\n", raw_subject);
	mime_msg m = parse(raw);
	assert_string_equal(m.subject, want);
	assert_problems(&m, NULL);
	mime_msg_free(&m);
}

static void test_encoded_words(void **state)
{
	(void)state;
	assert_subject("=?UTF-8?B?U2l0dXMgZGVzYQ==?=", "Situs desa");
	assert_subject("=?utf-8?q?Situs_desa_=E2=80=94_diretas?=",
	               "Situs desa \xE2\x80\x94 diretas");
	/* adjacent words: the space between them dropped, text around kept */
	assert_subject("Re: =?utf-8?q?Situs?= =?utf-8?q?_desa?=  akhir", "Re: Situs desa akhir");
	assert_subject("=?utf-8?q?a?=\t =?utf-8?q?b?=", "ab");
	/* a character split between two words of one charset */
	assert_subject("=?utf-8?b?8J+Y?= =?utf-8?b?gA==?=", "\xF0\x9F\x98\x80");
	/* two charsets side by side, a language tag (RFC 2231) */
	assert_subject("=?iso-8859-1?q?caf=E9?= =?windows-1252?q?=80?= =?utf-8*id?q?ok?=",
	               "caf\xC3\xA9\xE2\x82\xAC"
	               "ok");
	/* not words: kept as written */
	assert_subject("=?utf-8?x?abc?= =? a ?= =?utf-8?q?tanpa akhir", "=?utf-8?x?abc?= =? a ?= "
	                                                                "=?utf-8?q?tanpa akhir");
	assert_subject("harga =?", "harga =?");
	/* control characters in a word become spaces: one line */
	assert_subject("=?utf-8?q?baris=0Adua=09tiga?=", "baris dua tiga");
	/* raw UTF-8 (RFC 6532) */
	assert_subject("Situs desa \xE2\x80\x94 diretas", "Situs desa \xE2\x80\x94 diretas");

	mime_msg m = parse("From: a@example.id\nSubject: =?koi8-r?b?8NLJ18XU?= dan \xFF\n\n");
	assert_string_equal(m.subject,
	                    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
	                    "\xEF\xBF\xBD dan \xEF\xBF\xBD");
	assert_problems(
	    &m, "the message: the Subject: unknown charset 'koi8-r'; read as UTF-8",
	    "the message: the Subject: 7 bytes are not valid UTF-8 (replaced by U+FFFD)", NULL);
	mime_msg_free(&m);
}

/* ---- attachments: names, kinds, limits */

/* One attachment with headers hdr and body, its name and type. */
static void assert_part(const char *hdr, const char *want_name, const char *want_type)
{
	char raw[2048];
	snprintf(raw, sizeof raw,
	         "From: a@example.id\nContent-Type: multipart/mixed; boundary=b\n\n--b\n%s\n\nisi\n"
	         "--b--\n",
	         hdr);
	mime_msg m = parse(raw);
	assert_int_equal(m.n_parts, 1);
	assert_string_equal(m.parts[0].filename, want_name);
	assert_string_equal(m.parts[0].content_type, want_type);
	assert_int_equal(m.parts[0].len, 3);
	assert_memory_equal(m.parts[0].data, "isi", 3);
	mime_msg_free(&m);
}

static void test_filenames(void **state)
{
	(void)state;
	assert_part("Content-Type: application/pdf; name=\"laporan.pdf\"", "laporan.pdf",
	            "application/pdf");
	assert_part("Content-Type: Application/PDF\nContent-Disposition: attachment; "
	            "filename=laporan.pdf",
	            "laporan.pdf", "application/pdf");
	/* RFC 2231 with a charset, continuations, encoded and not */
	assert_part("Content-Type: application/pdf\nContent-Disposition: attachment;\n"
	            " filename*0*=iso-8859-1'id'r%E9sum%E9%20;\n filename*1=\"laporan \";\n"
	            " filename*2*=%E9.pdf",
	            "r\xC3\xA9sum\xC3\xA9 laporan \xC3\xA9.pdf", "application/pdf");
	assert_part("Content-Disposition: attachment; filename*=UTF-8''laporan%20insiden.pdf",
	            "laporan insiden.pdf", "application/octet-stream");
	assert_part("Content-Disposition: attachment; filename*=''tanpa%20charset.txt",
	            "tanpa charset.txt", "application/octet-stream");
	/* RFC 2047 in a quoted name, as Outlook writes it */
	assert_part("Content-Type: image/jpeg; name=\"=?utf-8?B?Zm90byBzaXR1cy5qcGc=?=\"",
	            "foto situs.jpg", "image/jpeg");
	/* base names only: no path, no leading dots, no control characters */
	assert_part("Content-Type: application/x-msdownload; "
	            "name=\"C:\\\\Users\\\\sari\\\\..\\\\..\\\\evil.exe\"",
	            "evil.exe", "application/x-msdownload");
	assert_part("Content-Disposition: attachment; filename=\"../../etc/.htaccess\"", "htaccess",
	            "application/octet-stream");
	assert_part("Content-Disposition: attachment; filename*=utf-8''a%0Ab%09c%7F%C2%85d.txt",
	            "a b c d.txt", "application/octet-stream");
	assert_part("Content-Disposition: attachment; filename*=utf-8''foto%E2%80%AEfdp.exe",
	            "fotofdp.exe", "application/octet-stream");
	assert_part("Content-Disposition: attachment; filename=\"...\"", "lampiran-1",
	            "application/octet-stream");
	assert_part("Content-Disposition: attachment", "lampiran-1", "application/octet-stream");
	assert_part("Content-Type: image/png", "lampiran-1", "image/png");
	assert_part("Content-Type: message/rfc822", "pesan-1.eml", "message/rfc822");
	/* text with a filename, or disposed as attachment, is an attachment */
	assert_part("Content-Type: text/plain; name=catatan.txt", "catatan.txt", "text/plain");
	assert_part("Content-Type: text/html\nContent-Disposition: attachment", "lampiran-1",
	            "text/html");
	assert_part("Content-Type: text/calendar", "lampiran-1", "text/calendar");

	/* a name too long: cut before its extension, on a character */
	char hdr[1024] = "Content-Disposition: attachment; filename=\"";
	for (int i = 0; i < 150; i++)
		strcat(hdr, "\xC3\xA9");
	strcat(hdr, ".pdf\"");
	char want[256] = "";
	for (int i = 0; i < 98; i++)
		strcat(want, "\xC3\xA9");
	strcat(want, ".pdf");
	assert_part(hdr, want, "application/octet-stream");
}

static void test_rfc822_and_digest(void **state)
{
	(void)state;
	mime_msg m = parse("From: a@example.id\nContent-Type: multipart/mixed; boundary=b\n\n"
	                   "--b\nContent-Type: text/plain\n\nTeruskan surel penipuan ini.\n"
	                   "--b\nContent-Type: message/rfc822\n\nFrom: penipu@example.net\n"
	                   "Subject: Hadiah\n\nAnda menang!\n"
	                   "--b\nContent-Type: multipart/digest; boundary=d\n\n"
	                   "--d\n\nFrom: x@y\n\nsatu\n--d\nContent-Type: text/plain\n\ndua\n--d--\n"
	                   "--b--\n");
	assert_string_equal(m.text, "Teruskan surel penipuan ini.");
	assert_int_equal(m.n_parts, 2);
	assert_string_equal(m.parts[0].filename, "pesan-1.eml");
	assert_string_equal(m.parts[0].content_type, "message/rfc822");
	const char eml[] = "From: penipu@example.net\nSubject: Hadiah\n\nAnda menang!";
	assert_int_equal(m.parts[0].len, sizeof eml - 1);
	assert_memory_equal(m.parts[0].data, eml, sizeof eml - 1);
	/* a digest's part is a message/rfc822 unless it says otherwise */
	assert_string_equal(m.parts[1].filename, "pesan-2.eml");
	assert_memory_equal(m.parts[1].data, "From: x@y\n\nsatu", 15);
	/* the message's own subject is not the attached one's */
	assert_null(m.subject);
	assert_problems(&m, NULL);
	mime_msg_free(&m);
}

/* ---- transfer encodings and charsets */

static void test_transfer_encodings(void **state)
{
	(void)state;
	const char *qp = "Content-Transfer-Encoding: Quoted-Printable";
	assert_text(qp,
	            "Baris panjang yang dipe=\ncah=3D dua.  \nBaris=20\n=C3=A9=c3=a9 =\t \nakhir",
	            "Baris panjang yang dipecah= dua.\nBaris\n\xC3\xA9\xC3\xA9 akhir");
	const char *b64 = "Content-Transfer-Encoding: base64";
	assert_text(b64, " SGFs\r\nbyBk\tdW5p\nYQ==\n\n", "Halo dunia");
	assert_text(b64, "SGFsbyBkdW5pYQ", "Halo dunia"); /* padding missing */
	assert_text("Content-Transfer-Encoding: 8bit", "Caf\xC3\xA9", "Caf\xC3\xA9");
	assert_text("Content-Transfer-Encoding: binary", "a\r\nb", "a\nb");

	mime_msg m =
	    parse("From: a@example.id\nContent-Transfer-Encoding: base64\n\nSGFsbyBkdW5pYQ==\n"
	          "SGFsbyB!dW5pYQ==\n");
	assert_string_equal(m.text, "Halo duniaHalo");
	assert_problems(&m,
	                "the message: bad base64 ('!' at byte 24 of its body); the rest is not "
	                "read",
	                NULL);
	mime_msg_free(&m);
	m = parse("From: a@example.id\nContent-Transfer-Encoding: base64\n\nSGFsbyBkdW5pYQ==_x\n");
	assert_string_equal(m.text, "Halo dunia");
	assert_problems(&m,
	                "the message: bad base64 ('_' at byte 16 of its body); the rest is not "
	                "read",
	                NULL);
	mime_msg_free(&m);
	m = parse("From: a@example.id\nContent-Transfer-Encoding: "
	          "base64\n\nSGFsbyBkdW5pYQ==\xE2\x80\x94");
	assert_problems(&m,
	                "the message: bad base64 (byte 0xE2 at byte 16 of its body); the rest is "
	                "not read",
	                NULL);
	mime_msg_free(&m);
	m = parse("From: a@example.id\nContent-Transfer-Encoding: base64\n\nSGFsbyBkdW5p\nA");
	assert_string_equal(m.text, "Halo duni");
	assert_problems(&m,
	                "the message: the base64 ends in the middle of a byte; the last bits are "
	                "dropped",
	                NULL);
	mime_msg_free(&m);
	m = parse(
	    "From: a@example.id\nContent-Transfer-Encoding: quoted-printable\n\n1+1=2 =C3=A9=\n");
	assert_string_equal(m.text, "1+1=2 \xC3\xA9");
	assert_problems(&m,
	                "the message: a bad quoted-printable escape '=2 ' (at byte 3) is kept as "
	                "it is",
	                NULL);
	mime_msg_free(&m);

	m = parse(
	    "From: a@example.id\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nteks\n--b\n"
	    "Content-Type: application/octet-stream\nContent-Transfer-Encoding: x-uue\n\n"
	    "begin 644 a\n--b--\n");
	assert_string_equal(m.text, "teks");
	assert_int_equal(m.n_parts, 1);
	assert_memory_equal(m.parts[0].data, "begin 644 a", 11);
	assert_problems(&m, "part 2: unknown transfer encoding 'x-uue', kept as it is", NULL);
	mime_msg_free(&m);
}

static void test_charsets(void **state)
{
	(void)state;
	assert_text("Content-Type: text/plain; charset=\"UTF-8\"", "Caf\xC3\xA9 \xE2\x80\x94",
	            "Caf\xC3\xA9 \xE2\x80\x94");
	assert_text("Content-Type: text/plain; charset=ISO-8859-1", "Caf\xE9 \x93kutip\x94",
	            "Caf\xC3\xA9 \xE2\x80\x9Ckutip\xE2\x80\x9D");
	assert_text("Content-Type: text/plain; charset=windows-1252", "\x80 5.000 \x85",
	            "\xE2\x82\xAC 5.000 \xE2\x80\xA6");
	assert_text("Content-Type: text/plain; charset=latin1", "\xFC\xE9", "\xC3\xBC\xC3\xA9");
	/* undeclared (US-ASCII) but UTF-8: taken as it is */
	assert_text("", "Caf\xC3\xA9", "Caf\xC3\xA9");
	/* an unknown charset whose bytes are ASCII: nothing to say */
	assert_text("Content-Type: text/plain; charset=gb2312", "hanya ascii", "hanya ascii");

	mime_msg m = parse("From: a@example.id\nContent-Type: text/plain; charset=koi8-r\n\n"
	                   "\xF0\xD2\xC9\xD7\xC5\xD4 ok");
	assert_string_equal(m.text, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
	                            "\xEF\xBF\xBD ok");
	assert_problems(&m,
	                "the message: unknown charset 'koi8-r'; the text is read as UTF-8: 6 bytes "
	                "are not valid in it (replaced by U+FFFD)",
	                NULL);
	mime_msg_free(&m);
	m = parse("From: a@example.id\nContent-Type: text/plain; charset=utf-8\n\n"
	          "Caf\xE9 \xC0\xAF \xED\xA0\x80 ok");
	assert_string_equal(m.text, "Caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD "
	                            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD ok");
	assert_problems(
	    &m, "the message: in the text, 6 bytes are not valid UTF-8 (replaced by U+FFFD)", NULL);
	mime_msg_free(&m);
	/* windows-1252's five holes */
	m = parse("From: a@example.id\nContent-Type: text/plain; charset=cp1252\n\na\x81"
	          "b");
	assert_string_equal(m.text, "a\xEF\xBF\xBD"
	                            "b");
	assert_problems(&m,
	                "the message: in the text, 1 byte is not valid windows-1252 (replaced by "
	                "U+FFFD)",
	                NULL);
	mime_msg_free(&m);
}

static void test_text_cleaning(void **state)
{
	(void)state;
	/* blank lines and spaces at the ends, CR, trailing spaces, control
	 * characters (C0, DEL, C1), a byte-order mark */
	assert_text("",
	            "\xEF\xBB\xBF\n\n  \n  Menjorok\r\nbaris\x01 dua \t\rtiga\x7F\xC2\x85\n\n\n"
	            "\tempat\n \n\n",
	            "  Menjorok\nbaris dua\ntiga\n\n\n\tempat");
	/* only blank: no text (and not chosen over a later one) */
	assert_text("", " \n\n", NULL);
	/* format=flowed with DelSp, quotes, space-stuffing, signature */
	assert_text(
	    "Content-Type: text/plain; format=flowed; delsp=yes",
	    "Satu kata- \nsambung dan \nlanjut.\n> kutip \n> bersambung\n>> dalam\n From "
	    "awal\n-- \nSari",
	    "Satu kata-sambung danlanjut.\n> kutipbersambung\n>> dalam\nFrom awal\n--\nSari");
	/* the first text/plain outside attachments; an inline text/plain
	 * later is not text */
	mime_msg m = parse("From: a@example.id\nContent-Type: multipart/mixed; boundary=b\n\n"
	                   "--b\nContent-Type: text/plain; name=a.txt\n\nlampiran\n"
	                   "--b\nContent-Type: text/html\n\n<p>html</p>\n"
	                   "--b\nContent-Type: text/plain\n\npertama\n"
	                   "--b\nContent-Type: text/plain\n\nkedua\n--b--\n");
	assert_string_equal(m.text, "pertama");
	assert_int_equal(m.n_parts, 1);
	mime_msg_free(&m);
}

static void test_html(void **state)
{
	(void)state;
	const char *h = "Content-Type: text/html; charset=utf-8";
	assert_text(h,
	            "<!DOCTYPE html><html><head><title>Judul</title><style>p{x:1}</style>"
	            "<script>alert('<p>')</script></head><body>"
	            "<h1>Laporan</h1><p>Satu  \n  dua<br>tiga<br/><br>empat</p>"
	            "<!-- komentar <p>x</p> --><div>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;"
	            " &#65;&#x42;&#X43; &#0; &#xD800; &#99999999; &copy; & ; &amp</div>"
	            "<table><tr><td>k1</td><td>k2</td></tr><tr><td>k3</td></tr></table>"
	            "<ul><li>satu</li><li>dua</li></ul>5 < 6 dan 7 > 6"
	            "<img src=\"a>b.png\" alt='x>y'>akhir</body></html>",
	            "Laporan\nSatu dua\ntiga\n\nempat\n"
	            "a <b> & \"c\" 'd' ABC \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD &copy; & ; &amp\n"
	            "k1 k2\nk3\nsatu\ndua\n5 < 6 dan 7 > 6akhir");
	/* never closed: a script runs to the end, a tag too */
	assert_text(h, "awal<script>tidak ditutup", "awal");
	assert_text(h, "awal<a href='tidak ditutup>x", "awal");
	assert_text(h, "awal<!-- tidak ditutup", "awal");
	/* a head never closed is not dropped */
	assert_text(h, "<head><p>isi", "isi");
	/* whitespace only: no text */
	assert_text(h, "<p>&nbsp;</p>", NULL);
}

/* ---- dates */

static void test_dates(void **state)
{
	(void)state;
	static const struct {
		const char *date, *wib;
		int sec;
	} cases[] = {
	    {"Tue, 3 Dec 2024 09:15:02 +0700", "2024-12-03 09:15", 2},
	    {"3 Dec 2024 09:15 +0700", "2024-12-03 09:15", 0},
	    {"Tue, 03 Dec 2024 02:15:02 GMT", "2024-12-03 09:15", 2},
	    {"Tue,  3 Dec 2024 02:15:02 +0000 (UTC)", "2024-12-03 09:15", 2},
	    {"tue, 3 dec 2024 09:15:02 WIB", "2024-12-03 09:15", 2},
	    {"Mon, 2 Dec 2024 22:15:02 -0500", "2024-12-03 10:15", 2},
	    {"Tue, 3 Dec 24 02:15:02 UT", "2024-12-03 09:15", 2},
	    {"Tue, 3 December 2024 10:15:02 WITA", "2024-12-03 09:15", 2},
	    {"Tue, 31 Dec 2024 23:59:60 +0700", "2024-12-31 23:59", 59},
	    {"2024-12-03 09:15:02+07:00", "2024-12-03 09:15", 2},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char raw[256];
		snprintf(raw, sizeof raw, "From: a@example.id\nDate: %s\n\n", cases[i].date);
		mime_msg m = parse(raw);
		if (m.date != wib(cases[i].wib) + cases[i].sec)
			fail_msg("%s: %lld", cases[i].date, (long long)m.date);
		assert_problems(&m, NULL);
		mime_msg_free(&m);
	}
	static const char *const bad[] = {"kemarin",
	                                  "Tue, 31 Feb 2024 10:00:00 +0700",
	                                  "Tue, 3 Dec 2024 25:00:00 +0700",
	                                  "3 Dex 2024 10:00 +0700",
	                                  "Tue, 3 Dec 2024 10:00:00 +9999",
	                                  "3 Dec 2024 10",
	                                  "3 Dec 2024 10:"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char raw[256], want[256];
		snprintf(raw, sizeof raw, "From: a@example.id\nDate: %s\n\n", bad[i]);
		snprintf(want, sizeof want, "the Date header '%s' cannot be read", bad[i]);
		mime_msg m = parse(raw);
		assert_int_equal(m.date, 0);
		assert_problems(&m, want, NULL);
		mime_msg_free(&m);
	}
}

/* ---- malformed structure */

static void test_missing_close_boundary(void **state)
{
	(void)state;
	mime_msg m = parse("From: a@example.id\nSubject: x\nContent-Type: multipart/mixed; "
	                   "boundary=XYZ\n\n--XYZ\nContent-Type: text/plain\n\nHalo\n--XYZ\n"
	                   "Content-Type: application/octet-stream\nContent-Transfer-Encoding: "
	                   "base64\n\naGVsbG8gd29ybGQ=\n");
	assert_string_equal(m.text, "Halo");
	assert_int_equal(m.n_parts, 1);
	assert_string_equal(m.parts[0].filename, "lampiran-1");
	assert_int_equal(m.parts[0].len, 11);
	assert_memory_equal(m.parts[0].data, "hello world", 11);
	assert_problems(&m,
	                "the message: its multipart/mixed is not closed (no line '--XYZ--'); its "
	                "last part runs to its end",
	                NULL);
	mime_msg_free(&m);
	/* nested, the inner one not closed: the outer still reads on */
	m = parse("From: a@example.id\nContent-Type: multipart/mixed; boundary=o\n\n--o\n"
	          "Content-Type: multipart/alternative; boundary=i\n\n--i\n\nteks\n"
	          "--o\nContent-Type: image/gif\n\nGIF89a\n--o--\n");
	assert_string_equal(m.text, "teks");
	assert_int_equal(m.n_parts, 1);
	assert_string_equal(m.parts[0].content_type, "image/gif");
	assert_problems(&m,
	                "part 1: its multipart/alternative is not closed (no line '--i--'); its "
	                "last part runs to its end",
	                NULL);
	mime_msg_free(&m);
}

static void test_boundary_never_seen(void **state)
{
	(void)state;
	mime_msg m = parse("From: a@example.id\nContent-Type: multipart/mixed; boundary=XYZ\n\n"
	                   "Halo, ini teks.\n--ABC\n");
	assert_string_equal(m.text, "Halo, ini teks.\n--ABC");
	assert_int_equal(m.n_parts, 0);
	assert_problems(&m,
	                "the message: the boundary 'XYZ' of its multipart/mixed never appears; its "
	                "body is read as plain text",
	                NULL);
	mime_msg_free(&m);
	m = parse("From: a@example.id\nContent-Type: multipart/mixed\n\nteks saja\n");
	assert_string_equal(m.text, "teks saja");
	assert_problems(&m,
	                "the message: its multipart/mixed has no boundary; its body is read as "
	                "plain text",
	                NULL);
	mime_msg_free(&m);
	/* boundary lines: spaces may follow, a longer line is no boundary,
	 * the preamble and epilogue are not text */
	m = parse(
	    "From: a@example.id\nContent-Type: multipart/mixed; boundary=\"b b\"\n\n"
	    "pembuka\r\n--b b  \r\n\r\nsatu\r\n--b bc\r\nmasih satu\r\n--b b-- \r\npenutup\r\n");
	assert_string_equal(m.text, "satu\n--b bc\nmasih satu");
	assert_problems(&m, NULL);
	mime_msg_free(&m);
	m = parse("From: a@example.id\nContent-Type: nonsense\n\nteks\n");
	assert_string_equal(m.text, "teks");
	assert_problems(&m,
	                "the message: the Content-Type 'nonsense' cannot be read; taken as "
	                "text/plain",
	                NULL);
	mime_msg_free(&m);
}

static void test_deep_nesting(void **state)
{
	(void)state;
	enum { LEVELS = 10000 };
	buf b = BUF_INIT;
	buf_puts(&b, "From: a@example.id\nContent-Type: multipart/mixed; boundary=b0\n\n");
	for (int i = 0; i < LEVELS; i++)
		buf_printf(&b, "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i, i + 1);
	buf_printf(&b, "--b%d\nContent-Type: text/plain\n\nterdalam\n--b%d--\n", LEVELS, LEVELS);
	for (int i = LEVELS - 1; i >= 0; i--)
		buf_printf(&b, "--b%d--\n", i);
	mime_msg m = parse_lim(b.data, b.len, NULL);
	assert_null(m.text);
	assert_problems(&m,
	                "part 1.1.1.1.1.1.1.1: its multipart/mixed is nested deeper than 8 levels; "
	                "it is not read",
	                NULL);
	mime_msg_free(&m);
	/* max_depth 2: the top multipart and one inside it */
	mime_limits lim = {64, 2, 1000, 1000};
	m = parse_lim(b.data, b.len, &lim);
	assert_problems(&m,
	                "part 1.1: its multipart/mixed is nested deeper than 2 levels; it is not "
	                "read",
	                NULL);
	mime_msg_free(&m);
	/* asked for more than the cap: the cap */
	lim.max_depth = 1000000;
	m = parse_lim(b.data, b.len, &lim);
	assert_int_equal(m.n_problems, 1);
	assert_non_null(strstr(m.problems[0], "nested deeper than 32 levels"));
	mime_msg_free(&m);
	buf_free(&b);
}

static void test_many_attachments(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	buf_puts(&b, "From: a@example.id\nContent-Type: multipart/mixed; boundary=b\n\n"
	             "--b\n\nLihat lampiran.\n");
	for (int i = 1; i <= 1000; i++)
		buf_printf(&b,
		           "--b\nContent-Type: image/jpeg; name=\"foto-%d.jpg\"\n"
		           "Content-Transfer-Encoding: base64\n\n/9j/\n",
		           i);
	buf_puts(&b, "--b--\n");
	mime_msg m = parse_lim(b.data, b.len, NULL);
	assert_string_equal(m.text, "Lihat lampiran.");
	assert_int_equal(m.n_parts, 64);
	assert_string_equal(m.parts[0].filename, "foto-1.jpg");
	assert_string_equal(m.parts[63].filename, "foto-64.jpg");
	assert_memory_equal(m.parts[63].data, "\xFF\xD8\xFF", 3);
	assert_problems(&m, "936 more attachments are not kept (at most 64 are)", NULL);
	mime_msg_free(&m);
	mime_limits lim = {3, 8, 100, 100};
	m = parse_lim(b.data, b.len, &lim);
	assert_int_equal(m.n_parts, 3);
	assert_problems(&m, "997 more attachments are not kept (at most 3 are)", NULL);
	mime_msg_free(&m);
	buf_free(&b);
}

static void test_too_big(void **state)
{
	(void)state;
	/* 3000 bytes decoded (4000 of base64), the limit 2999; 3000 fits */
	buf b = BUF_INIT;
	buf_puts(&b, "From: a@example.id\nContent-Type: multipart/mixed; boundary=b\n\n"
	             "--b\nContent-Type: application/zip; name=bukti.zip\n"
	             "Content-Transfer-Encoding: base64\n\n");
	for (int i = 0; i < 4000 / 76; i++)
		buf_puts(&b, "QUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQ"
		             "UJDQUJD\r\n");
	buf_puts(
	    &b, "QUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJD\r\n--b\nContent-Type: image/png\n"
	        "Content-Disposition: attachment; filename=kecil.png\n\nPNG\n--b--\n");
	mime_limits lim = {64, 8, 2999, 1000};
	mime_msg m = parse_lim(b.data, b.len, &lim);
	assert_int_equal(m.n_parts, 2);
	assert_true(m.parts[0].too_big);
	assert_int_equal(m.parts[0].size, 3000);
	assert_null(m.parts[0].data);
	assert_int_equal(m.parts[0].len, 0);
	assert_string_equal(m.parts[0].filename, "bukti.zip");
	assert_string_equal(m.parts[0].content_type, "application/zip");
	assert_false(m.parts[1].too_big);
	assert_int_equal(m.parts[1].len, 3);
	assert_problems(&m, NULL);
	mime_msg_free(&m);
	lim.max_part_bytes = 3000;
	m = parse_lim(b.data, b.len, &lim);
	assert_false(m.parts[0].too_big);
	assert_int_equal(m.parts[0].len, 3000);
	assert_memory_equal(m.parts[0].data + 2997, "ABC", 3);
	mime_msg_free(&m);
	/* 8bit, too big */
	lim.max_part_bytes = 2;
	m = parse_lim(b.data, b.len, &lim);
	assert_true(m.parts[1].too_big);
	assert_int_equal(m.parts[1].size, 3);
	mime_msg_free(&m);
	buf_free(&b);
}

static void test_text_limit(void **state)
{
	(void)state;
	/* cut on a character: 10 bytes would split the third é */
	mime_limits lim = {64, 8, 1000, 13};
	const char *raw = "From: a@example.id\n\nab\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9xyz";
	mime_msg m = parse_lim(raw, strlen(raw), &lim);
	assert_string_equal(m.text, "ab\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9xyz");
	assert_problems(&m, NULL);
	mime_msg_free(&m);
	lim.max_text_bytes = 10;
	m = parse_lim(raw, strlen(raw), &lim);
	assert_string_equal(m.text, "ab\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9");
	assert_problems(&m, "the text is longer than 10 bytes; it is cut there", NULL);
	mime_msg_free(&m);
	lim.max_text_bytes = 9; /* inside the fourth \xC3\xA9: cut before it */
	m = parse_lim(raw, strlen(raw), &lim);
	assert_string_equal(m.text, "ab\xC3\xA9\xC3\xA9\xC3\xA9");
	assert_problems(&m, "the text is longer than 9 bytes; it is cut there", NULL);
	mime_msg_free(&m);
}

static void test_problem_cap(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	buf_puts(&b, "From: a@example.id\n");
	for (int i = 0; i < 80; i++)
		buf_printf(&b, "Rusak %d\n", i);
	buf_puts(&b, "\nisi");
	mime_msg m = parse_lim(b.data, b.len, NULL);
	assert_int_equal(m.n_problems, MIME_MAX_PROBLEMS + 1);
	assert_string_equal(m.problems[0], "the message: the line 'Rusak 0' among the headers is "
	                                   "not a header (name: value); it is skipped");
	assert_string_equal(m.problems[MIME_MAX_PROBLEMS], "30 more problems are not listed");
	assert_string_equal(m.text, "isi");
	mime_msg_free(&m);
	buf_free(&b);
}

static void test_limits_default(void **state)
{
	(void)state;
	/* NULL limits and zero fields are the defaults */
	mime_limits zero = {0, 0, 0, 0};
	mime_msg m = parse_lim("From: a@example.id\n\nx", 21, &zero);
	assert_string_equal(m.text, "x");
	mime_msg_free(&m);
	m = parse_lim(NULL, 0, NULL);
	assert_null(m.text);
	assert_null(m.from_addr);
	assert_problems(&m, "the message has no From header", NULL);
	mime_msg_free(&m);
	mime_msg_free(&m); /* twice is harmless */
}

/* ---- hostile input */

static void test_binary_garbage(void **state)
{
	(void)state;
	const char garbage[] =
	    "\x00\xFF\xFE\x01GIF89a\x00\x00\r\n\x80\x81\x1B[31m\xC3\n\n\x7F\xE2\x82";
	mime_msg m = parse_lim(garbage, sizeof garbage - 1, NULL);
	assert_null(m.from_addr);
	assert_null(m.subject);
	assert_int_equal(m.date, 0);
	assert_int_equal(m.n_parts, 0);
	/* the NUL, ESC, DEL and the bytes that are not UTF-8 gone or replaced */
	assert_string_equal(m.text, "\xEF\xBF\xBD\xEF\xBF\xBDGIF89a\n\xEF\xBF\xBD\xEF\xBF\xBD[31m"
	                            "\xEF\xBF\xBD\n\n\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_problems(
	    &m,
	    "the message: the line '????GIF89a?\?' is not a header and no blank line "
	    "comes before it; the body is read from there",
	    "the message has no From header",
	    "the message: in the text, 7 bytes are not valid UTF-8 (replaced by U+FFFD)", NULL);
	mime_msg_free(&m);

	/* random bytes and random MIME-ish tokens: no crash, invariants hold */
	static const char *const tokens[] = {"\n",
	                                     "\r\n",
	                                     "--b\n",
	                                     "--b--\n",
	                                     "Content-Type: multipart/mixed; boundary=b\n",
	                                     ": ",
	                                     "=?utf-8?B?",
	                                     "?=",
	                                     "=?x?q?",
	                                     "Content-Transfer-Encoding: base64\n",
	                                     "<p>",
	                                     "&#x",
	                                     ";",
	                                     "\"",
	                                     "Content-Type: text/html\n",
	                                     "filename*0*=",
	                                     "''%",
	                                     "From: ",
	                                     "<a@b>",
	                                     "Content-Disposition: attachment\n",
	                                     "\xC3",
	                                     "\xFF",
	                                     "=\n",
	                                     "=3D",
	                                     "Content-Transfer-Encoding: quoted-printable\n"};
	uint32_t seed = 12345;
	char *raw = malloc(1 << 16);
	assert_non_null(raw);
	for (int round = 0; round < 300; round++) {
		size_t n = 0, want = 1 + (size_t)(round * 211) % 60000;
		while (n < want) {
			seed = seed * 1103515245u + 12345u;
			uint32_t r = seed >> 8;
			if (r % 3 == 0) {
				const char *t = tokens[r / 3 % (sizeof tokens / sizeof *tokens)];
				size_t k = strlen(t);
				if (n + k > want)
					break;
				memcpy(raw + n, t, k);
				n += k;
			} else {
				raw[n++] = (char)(r >> 4);
			}
		}
		mime_limits lim = {5, 3, 100, 200};
		m = parse_lim(raw, n, round % 2 ? &lim : NULL);
		mime_msg_free(&m);
	}
	free(raw);
}

static void test_big_message_time(void **state)
{
	(void)state;
	/* 25 MB: a text of 4 MB in quoted-printable, an attachment of 15 MB
	 * in base64, then 10,000 small parts */
	buf b = BUF_INIT;
	buf_puts(&b, "From: Sari <sari@example.id>\nSubject: besar\nContent-Type: multipart/mixed; "
	             "boundary=B\n\n--B\nContent-Type: text/plain; charset=utf-8\n"
	             "Content-Transfer-Encoding: quoted-printable\n\n");
	while (b.len < 4000000)
		buf_puts(
		    &b,
		    "Baris laporan insiden: situs desa diretas =E2=80=94 mohon bantuan segera=\n"
		    " dari tim.\n");
	buf_puts(&b, "--B\nContent-Type: application/octet-stream; name=bukti.bin\n"
	             "Content-Transfer-Encoding: base64\n\n");
	size_t lines = 0;
	for (; b.len < 24000000; lines++)
		buf_puts(&b, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5e"
		             "jAxMjM0\n");
	for (int i = 0; i < 10000; i++)
		buf_puts(&b, "--B\nContent-Type: image/png\n\nPNG\n");
	buf_puts(&b, "--B--\n");
	assert_true(b.len > 24000000);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	mime_msg m = parse_lim(b.data, b.len, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("# %zu bytes parsed in %.0f ms\n", b.len, ms);
	/* well under a second optimised; sanitizers and debug builds are
	 * several times slower, and a quadratic walk would take minutes */
	assert_true(ms < 8000);
	assert_int_equal(m.n_parts, 64);
	assert_int_equal(m.parts[0].size, lines * 57);
	assert_memory_equal(m.parts[0].data,
	                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz01234", 57);
	assert_int_equal(strlen(m.text), (size_t)1 << 20);
	mime_msg_free(&m);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_thunderbird),
	    cmocka_unit_test(test_outlook),
	    cmocka_unit_test(test_gmail),
	    cmocka_unit_test(test_gmail_html_only),
	    cmocka_unit_test(test_autoreply),
	    cmocka_unit_test(test_list), cmocka_unit_test(test_automatic),
	    cmocka_unit_test(test_headers),
	    cmocka_unit_test(test_long_header),
	    cmocka_unit_test(test_addresses),
	    cmocka_unit_test(test_encoded_words),
	    cmocka_unit_test(test_filenames),
	    cmocka_unit_test(test_rfc822_and_digest),
	    cmocka_unit_test(test_transfer_encodings),
	    cmocka_unit_test(test_charsets),
	    cmocka_unit_test(test_text_cleaning),
	    cmocka_unit_test(test_html),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_missing_close_boundary),
	    cmocka_unit_test(test_boundary_never_seen),
	    cmocka_unit_test(test_deep_nesting),
	    cmocka_unit_test(test_many_attachments),
	    cmocka_unit_test(test_too_big),
	    cmocka_unit_test(test_text_limit),
	    cmocka_unit_test(test_problem_cap),
	    cmocka_unit_test(test_limits_default),
	    cmocka_unit_test(test_binary_garbage),
	    cmocka_unit_test(test_big_message_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
