/*
 * markdown.h: a policy's Markdown text as HTML on a page (markdown.c).
 */
#ifndef SG_WEB_MARKDOWN_H
#define SG_WEB_MARKDOWN_H

#include "http.h"

/* text (CommonMark) as HTML into res, inside <div class="markdown">:
 * raw HTML in the text is dropped and links other than http(s), mailto
 * and relative ones are removed, so nothing a writer types runs or
 * restyles the page. */
void html_markdown(web_res *res, const char *text);

#endif
