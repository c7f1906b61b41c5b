/*
 * embed.h: files compiled into the binary by tools/embed.c (the SQL
 * migrations and the five seed SOPs), so a sigap binary works on its own.
 * Each table ends with an entry whose name is NULL.
 */
#ifndef SG_EMBED_H
#define SG_EMBED_H

#include <stddef.h>

typedef struct embed_file {
	const char *name; /* base name: "0001_base.sql" */
	const char *data; /* NUL-terminated */
	size_t len;
} embed_file;

#endif
