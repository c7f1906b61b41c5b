/*
 * vintel_int.h: what the vulnerability-intelligence readers share: a
 * source of lines (a file, gzip or plain, or a buffer) read in chunks,
 * and CSV records over it (RFC 4180: quoted fields may hold commas,
 * doubled quotes and line breaks).
 */
#ifndef SG_VINTEL_INT_H
#define SG_VINTEL_INT_H

#include <jansson.h>
#include <sys/types.h>
#include <zlib.h>

#include "vintel.h"

/* A file larger than this is refused (the KEV catalog is 1.5 MB, a day
 * of EPSS 10 MB unpacked, the largest CVE record well under 5 MB). */
enum { VI_FILE_MAX = 512 * 1024 * 1024, VI_LINE_MAX = 1024 * 1024, VI_CSV_COLS = 32 };

typedef struct vi_src {
	const char *name;
	gzFile gz;            /* a file, read through zlib (plain files pass as they are) */
	const char *p, *end;  /* a buffer, or the unread part of chunk */
	char *chunk;          /* what gzread gave last */
	char *inflated;       /* a gzip buffer, unpacked */
	char *line;           /* the line last returned, NUL-ended */
	size_t cap;
	int line_no;          /* of the line last returned */
	bool failed;          /* a read error or a line too long: in diags */
	diags *d;
} vi_src;

/* Opens a file or a buffer; *gzip tells whether it was gzip. -1 with the
 * reason in d. */
int vi_src_file(vi_src *s, const char *path, bool *gzip, diags *d);
int vi_src_buffer(vi_src *s, const char *data, size_t n, const char *name, bool *gzip,
		  diags *d);
/* The next line, without its \n or \r\n, NUL-ended in *out; its length,
 * or -1 at the end (or on a failure: s->failed). O(line). */
ssize_t vi_src_next(vi_src *s, char **out);
void vi_src_close(vi_src *s);

typedef struct vi_csv {
	char *rec; /* the record's text, lines joined by \n, split in place */
	size_t len, cap;
	char *f[VI_CSV_COLS];
	int n;         /* fields (those past VI_CSV_COLS are dropped) */
	int line;      /* the record's first line */
} vi_csv;

/* The next CSV record of s split into c->f: 1, or 0 at the end; -1 when
 * a quote is left open to the end or a record passes VI_LINE_MAX (in
 * diags). Blank lines are skipped. */
int vi_csv_next(vi_csv *c, vi_src *s);
void vi_csv_free(vi_csv *c);

/* The text of a string member of o, or NULL. */
const char *vi_str(const json_t *o, const char *key);
/* s without the spaces and tabs around it (cut in place). */
char *vi_trim(char *s);
/* A quoted excerpt of s for a message: at most 60 bytes, control bytes
 * as '?'. */
const char *vi_shown(const char *s, char out[72]);

#endif
