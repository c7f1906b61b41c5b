/*
 * md_blocks.h: a Markdown text as the blocks a document template lays out
 * (md_blocks.c): the policy library's texts in its PDF documents.
 */
#ifndef SG_MD_BLOCKS_H
#define SG_MD_BLOCKS_H

#include <jansson.h>

/* The blocks of text (CommonMark), in order: {"judul": TEXT} for a
 * heading of level 1, {"subjudul": TEXT} for the deeper ones, {"butir":
 * TEXT} for a list item's paragraph ("1. " or "• " before it, indented by
 * nesting), {"kode": TEXT} for a code block, {"paragraf": TEXT} for the
 * rest. Inline marks (emphasis, links, code) keep their text only; raw
 * HTML is dropped. NULL only when out of memory. */
json_t *md_blocks(const char *text);

#endif
