/*
 * md_blocks.c: Markdown to the blocks of a document (md_blocks.h), by
 * walking cmark's tree. A template escapes every value it prints, so the
 * text cannot carry markup into a PDF: structure is what the blocks say,
 * and the template decides how each kind looks.
 */
#include "md_blocks.h"

#include <cmark.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"

/* The plain text under node: its text, code and line breaks (a soft
 * break a space), raw HTML left out. */
static void text_of(cmark_node *node, buf *out)
{
	for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			buf_puts(out, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_SOFTBREAK:
			buf_puts(out, " ");
			break;
		case CMARK_NODE_LINEBREAK:
			buf_puts(out, "\n");
			break;
		case CMARK_NODE_HTML_INLINE:
			break;
		default:
			text_of(c, out);
		}
	}
}

/* The marker of the list item that holds paragraph p ("" when none),
 * indented two spaces a level of nesting. */
static void marker(cmark_node *p, buf *out)
{
	cmark_node *item = cmark_node_parent(p);
	if (item == NULL || cmark_node_get_type(item) != CMARK_NODE_ITEM ||
	    cmark_node_first_child(item) != p)
		return;
	int depth = 0;
	for (cmark_node *n = cmark_node_parent(item); n; n = cmark_node_parent(n))
		depth += cmark_node_get_type(n) == CMARK_NODE_LIST;
	for (int i = 1; i < depth; i++)
		buf_puts(out, "  ");
	cmark_node *list = cmark_node_parent(item);
	if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
		int n = cmark_node_get_list_start(list);
		for (cmark_node *s = cmark_node_first_child(list); s && s != item; s = cmark_node_next(s))
			n++;
		buf_printf(out, "%d. ", n);
	} else {
		buf_puts(out, "\xe2\x80\xa2 "); /* • */
	}
}

json_t *md_blocks(const char *text)
{
	cmark_node *doc = cmark_parse_document(text, strlen(text), CMARK_OPT_VALIDATE_UTF8);
	if (doc == NULL)
		return NULL;
	json_t *out = json_array();
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		buf b = BUF_INIT;
		const char *kind = NULL;
		if (t == CMARK_NODE_HEADING) {
			kind = cmark_node_get_heading_level(n) == 1 ? "judul" : "subjudul";
			text_of(n, &b);
		} else if (t == CMARK_NODE_PARAGRAPH) {
			marker(n, &b);
			kind = b.len ? "butir" : "paragraf";
			text_of(n, &b);
		} else if (t == CMARK_NODE_CODE_BLOCK) {
			kind = "kode";
			buf_puts(&b, cmark_node_get_literal(n));
			while (b.len && buf_str(&b)[b.len - 1] == '\n')
				b.data[--b.len] = '\0';
		}
		if (kind && b.len)
			json_array_append_new(out, json_pack("{s:s}", kind, buf_str(&b)));
		buf_free(&b);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return out;
}
