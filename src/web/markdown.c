/*
 * markdown.c: Markdown to HTML for the policy library's pages, with
 * cmark, the CommonMark reference implementation (libcmark, Debian's
 * package; docs/architecture.md says why a dependency beyond DESIGN.md).
 * cmark's default rendering is the safe one: raw HTML blocks and inline
 * HTML become comments, and javascript:, vbscript:, file: and data:
 * links (but images of a few types) are emptied. Invalid UTF-8 is
 * replaced (CMARK_OPT_VALIDATE_UTF8). The page's CSP forbids inline
 * script and style besides.
 */
#include "markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

void html_markdown(web_res *res, const char *text)
{
	char *out = cmark_markdown_to_html(text, strlen(text),
	                                   CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
	hraw(res, "<div class=\"markdown\">");
	if (out)
		hraw(res, out);
	hraw(res, "</div>");
	free(out);
}
