/*
 * tmpl.h: the language of the document templates (templates/NAME.tmpl).
 *
 * A template is a data file a Diskominfo may edit without code: a header of
 * "key: value" lines, a line "---", then a body written in a small subset of
 * XHTML with directives. docs/templates.md is the reference.
 *
 *   id: insiden-formulir          the template's name, [a-z0-9-]+
 *   judul: Formulir Laporan Insiden
 *   kode: LI                      the document kind in its number, [A-Za-z0-9.-]+
 *   orientasi: potret             or lanskap
 *   ---
 *   <h1>FORMULIR LAPORAN INSIDEN</h1>
 *   <p>Nomor: {{dokumen.nomor}}</p>
 *   <table>{{#each langkah}}<tr><td>{{no}}</td><td>{{uraian}}</td></tr>{{/each}}</table>
 *
 * Directives:
 *   {{path}}                       the value at path, escaped. A path is
 *                                  names joined by "." (kasus.tiket); "."
 *                                  alone is the current item of a loop;
 *                                  @no is the 1-based position in the loop.
 *                                  A name is looked up in the current item,
 *                                  then outwards to the top (as Mustache).
 *                                  Strings print as they are (escaped; a
 *                                  line break as <br/>; the characters
 *                                  XML cannot hold dropped or replaced
 *                                  by U+FFFD), integers in
 *                                  decimal, reals with at most 2 decimals
 *                                  and no trailing zeros, true as "Ya",
 *                                  false and null as nothing; arrays and
 *                                  objects are an error at render time.
 *   {{#each path}}…{{else}}…{{/each}}   the body once per element of an
 *                                  array; else when it is empty, null or
 *                                  missing; any other value is an error
 *                                  at render time
 *   {{#if path}}…{{else}}…{{/if}}  the body when the value is true: a
 *                                  non-empty string or array, a non-zero
 *                                  number, true, an object
 *   {{#unless path}}…{{/unless}}   the body when it is not
 *   {{! a comment }}               may span lines; ends at the first }}
 *
 * Elements: h1 h2 h3 p b i u br hr table thead tbody tr th td ul ol li div
 * span; br and hr are written <br/> and <hr/> (and only so); another
 * element may be written empty as <td/>. Tables and lists keep their
 * shape: thead, tbody and tr stand directly in a table (tr also in thead
 * and tbody), th and td in a tr, li in a ul or ol, and no text or value
 * stands between them. Attributes: class on any element, one or more of
 * the names in TMPL_CLASSES; lebar on th and td (a column width in
 * percent, 1-100); colspan on th and td (1-20). Attribute values are
 * literal (no directives inside tags). Text outside tags is copied as
 * written; "&", "<" and ">" in it must be written &amp; &lt; &gt; (the
 * five XML entities and decimal character references are accepted).
 * The file is UTF-8 (a byte-order mark and CRLF line ends are accepted)
 * without control characters but tab and line ends.
 *
 * The loader checks everything it can before a template is used: the
 * header, every tag and attribute against the lists above, that elements
 * nest and close within each directive's block, that every directive is
 * closed, that paths are well-formed. Each problem is one diagnostic
 * FILE:LINE:COL (1-based; a column counts characters), all of them, in
 * the order of the file. So the rendered body is always well-formed XHTML
 * of the allowed elements with every value escaped: web/ embeds it in a
 * page, report/pdf.c lays it out. Elements come out in one form:
 * <td lebar="30" colspan="2" class="kanan tebal">, <br/>, <td></td>.
 *
 * A loaded template owns its memory; tmpl_free releases it. Rendering does
 * not change it, so one template may render on several threads at once.
 */
#ifndef SG_TMPL_H
#define SG_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/err.h"

/* The class names a template may use: what pdf.c and print.css know. */
#define TMPL_CLASSES "tengah kanan ttd tebal kecil kotak tanpa-garis judul"

typedef struct tmpl tmpl;

/* Loads a template from text; file names it in diagnostics. Returns NULL
 * with at least one diagnostic in d (NULL: none wanted) when the text is
 * not a valid template. Templates larger than 256 KiB are refused;
 * elements and directives nest at most 64 deep, loops at most 16. */
tmpl *tmpl_load(const char *text, size_t len, const char *file, diags *d);
void tmpl_free(tmpl *t);

const char *tmpl_id(const tmpl *t);
const char *tmpl_judul(const tmpl *t);
const char *tmpl_kode(const tmpl *t);
bool tmpl_landscape(const tmpl *t);
const char *tmpl_file(const tmpl *t);

/* Renders the body of t with ctx (a JSON object) and appends the XHTML
 * fragment to out. Returns 0, or -1 with e set (SG_EINVAL: a value of the
 * wrong kind, such as an object printed, naming the template's FILE:LINE:COL
 * of the directive). Loops nest at most 16 deep; output larger than 16 MiB
 * is refused (SG_ETOOBIG), and so is a rendering of more than 16 Mi steps
 * (nodes and loop items visited: loops over huge lists that write
 * nothing). On failure out is left as it was. ctx NULL: no values. */
int tmpl_render(const tmpl *t, const json_t *ctx, buf *out, sg_err *e);

#endif
