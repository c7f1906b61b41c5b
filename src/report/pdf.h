/*
 * pdf.h: a rendered document laid out as a PDF with cairo and pango.
 *
 * The body is the XHTML fragment tmpl_render writes (the elements and
 * classes tmpl.h lists, well-formed, values escaped). pdf.c parses it with
 * libxml2 (no DTD, no entities beyond the five XML ones, no network) and
 * lays it out on A4 pages, portrait or landscape: the letterhead (kop
 * surat) on the first page, headings, paragraphs, lists, tables whose rows
 * continue on the next page with the header row repeated, the signature
 * block. Every page carries the TLP marking at its top and bottom (when
 * there is one), the document's number and "Halaman X dari Y". An issued
 * document has a QR code of its verification URL and the short code under
 * it at the end of the last page. Fonts: DejaVu Serif and Sans, embedded
 * (subset) by cairo. pdf.c has the passes and the page's parts;
 * pdf_layout.c, pdf_text.c and pdf_table.c the body's blocks.
 *
 * Nothing here reads a path a client sent: the logo is a path from
 * sigap.conf, read by the caller's configuration.
 */
#ifndef SG_PDF_H
#define SG_PDF_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

/* The letterhead (kop surat): each line may be NULL or empty. */
typedef struct pdf_kop {
	const char *logo_png; /* PNG file from [dokumen] logo; NULL: none */
	const char *instansi; /* "PEMERINTAH KABUPATEN TRENGGALEK" */
	const char *dinas;    /* "DINAS KOMUNIKASI DAN INFORMATIKA" */
	const char *alamat;   /* "Jl. Dr. Sutomo No. 1, Trenggalek 66312" */
	const char *kontak;   /* "Telepon (0355) 791234, surel csirt@…" */
} pdf_kop;

typedef struct pdf_doc {
	const char *body; /* XHTML fragment (tmpl_render) */
	bool landscape;
	const pdf_kop *kop;      /* NULL: no letterhead */
	const char *tlp;         /* "TLP:AMBER"; NULL or "": none */
	const char *nomor;       /* the document's number; NULL: a draft */
	const char *verify_url;  /* the QR code's content; NULL: no QR */
	const char *verify_code; /* printed under the QR code */
	const char *draft_mark;  /* a draft's marking on every page ("DRAF");
	                          * NULL: none */
	const char *title;       /* PDF metadata title */
	const char *author;      /* PDF metadata author (the instansi) */
	int64_t created;         /* Unix time, PDF metadata creation date */
} pdf_doc;

/* A logo larger than this is refused before it is decoded. */
#define PDF_LOGO_MAX_BYTES (2 * 1024 * 1024)
#define PDF_LOGO_MAX_PX 4000

/* Whether the PNG at path can be a letterhead's logo: a regular file, a
 * PNG within the limits above that decodes whole. -1 with e set (the
 * message names the path) when not. */
int pdf_logo_check(const char *path, sg_err *e);

/* Lays d out and appends the PDF's bytes to out. Returns the number of
 * pages, or -1 with e set and out as it was: SG_EINVAL: the body is not
 * well-formed, refers to an entity other than the five XML ones, has an
 * element outside tmpl.h's list or a table of more than 64 columns, or
 * the verification URL is longer than 1024 bytes; SG_EIO: the logo
 * cannot be read as a PNG (the message names its path); SG_ETOOBIG: the
 * body is larger than 16 MiB, or the document would have more than 2,000
 * pages. The same d gives the same bytes. Nothing is kept between calls
 * (each has a font map of its own), so threads may render at once. */
int pdf_render(const pdf_doc *d, buf *out, sg_err *e);

#endif
