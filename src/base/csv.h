/*
 * csv.h: RFC 4180 comma-separated values, read from a buffer and written
 * into one, for the registers sigap imports and exports (assets).
 *
 * The reader takes quoted fields with doubled quotes and line breaks
 * inside, CRLF or LF line ends, a UTF-8 byte order mark before the header
 * (spreadsheets write one), and a delimiter of ',' or ';' (a spreadsheet
 * set to Indonesian writes ';'). Each record carries the line it starts
 * on, so a problem is reported where the file has it.
 */
#ifndef SG_CSV_H
#define SG_CSV_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

enum { CSV_MAX_FIELDS = 64 };

typedef struct csv_reader {
	const char *p, *end;
	int line;      /* the line the next record starts on */
	char delim;
	buf text;      /* the current record's fields, NUL after each */
	size_t off[CSV_MAX_FIELDS];
	const char *field[CSV_MAX_FIELDS];
	size_t n;      /* fields of the current record */
	int rec_line;  /* the line the current record starts on */
} csv_reader;

/* Starts reading data; the delimiter is told from the first line (';'
 * when it holds a ';' outside quotes and no ','). */
void csv_open(csv_reader *r, const char *data, size_t n);
void csv_close(csv_reader *r);
/* The next record into r->field[0..r->n), the line it starts on in
 * r->rec_line: 1, 0 at the end, -1 with e filled for a quote left open
 * or too many fields (the record's line in r->rec_line). Blank lines are
 * skipped. */
int csv_next(csv_reader *r, sg_err *e);

/* Appends s as one field: quoted when it holds the delimiter, a quote, a
 * line break or spaces at either end. A field that begins with = + - @
 * or a tab (after any ') gets a leading ' so that a spreadsheet shows it
 * as text instead of running it as a formula; csv_unguard undoes that, so
 * csv_unguard(read(csv_put(s))) is s (tests/fuzz/fuzz_csv.c). */
void csv_put(buf *b, const char *s, char delim);
/* s without the ' csv_put added (a pointer into s). */
const char *csv_unguard(const char *s);

#endif
