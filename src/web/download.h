/*
 * download.h: evidence files as downloads: a safe name in an RFC 6266
 * Content-Disposition and a content type from a small allow-list
 * (download.c).
 */
#ifndef SG_WEB_DOWNLOAD_H
#define SG_WEB_DOWNLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"

/* The last path component of in without control characters, quotes,
 * backquotes, semicolons and leading dots or spaces, at most 180 bytes of
 * valid UTF-8; fallback when nothing is left. */
void download_safe_name(const char *in, const char *fallback, char *out, size_t n);
/* The content type of a file name by its extension (allow-list; else
 * application/octet-stream); *inline_ok for images and PDF. */
const char *download_type(const char *name, bool *inline_ok);
/* Sends the stored file at path (taken over: freed with res) under the
 * name it was attached with. */
void download_evidence(web_res *res, char *path, const char *filename, const char *sha256);

#endif
