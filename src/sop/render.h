/*
 * render.h: the official SOP document (Permenpan RB 35/2012 layout) as
 * HTML: the identity table, legal basis, qualifications, related SOPs,
 * equipment, warnings, records, and each procedure as a table with one
 * column per actor holding the flowchart (SVG), beside the Kelengkapan,
 * Waktu, Output and Keterangan columns. Printable on A4 landscape; works
 * without JavaScript. All text goes through the HTML-escaping writer.
 */
#ifndef SG_SOP_RENDER_H
#define SG_SOP_RENDER_H

#include "base/buf.h"
#include "sop.h"

/* A whole standalone HTML page, styles included. */
void sop_render_html(const sop *s, buf *out);

/* The document itself, without <html> and styles: for embedding in a
 * page that links sop_render_css(). */
void sop_render_document(const sop *s, buf *out);

/* One procedure table (a fragment), with the step numbered highlight_no
 * marked as current (0: none): the case page uses it. */
void sop_render_procedure(const sop *s, const sop_procedure *p, int highlight_no, buf *out);

/* The style sheet of the standalone page (page size and margins too). */
const char *sop_render_css(void);
/* The styles of the document alone, scoped to an element of class
 * "sopdoc" that holds the fragments. */
const char *sop_render_css_document(void);

#endif
