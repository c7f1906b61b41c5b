/*
 * csv.c: reading and writing RFC 4180 records (see csv.h).
 *
 * One pass over the bytes; a record's fields are copied once into the
 * reader's buffer (quotes undone), so the cost is O(bytes).
 */
#include <stdbool.h>
#include <string.h>

#include "csv.h"

void csv_open(csv_reader *r, const char *data, size_t n)
{
	memset(r, 0, sizeof *r);
	if (n >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		data += 3, n -= 3;
	r->p = data;
	r->end = data + n;
	r->line = 1;
	r->delim = ',';
	bool quoted = false, semi = false;
	for (const char *p = data; p < r->end && (quoted || (*p != '\n' && *p != '\r')); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == ',')
			return;
		else if (!quoted && *p == ';')
			semi = true;
	}
	if (semi)
		r->delim = ';';
}

void csv_close(csv_reader *r)
{
	buf_free(&r->text);
}

static int end_field(csv_reader *r, size_t start, sg_err *e)
{
	if (r->n == CSV_MAX_FIELDS)
		return sg_err_set(e, SG_EINVAL, "more than %d fields", CSV_MAX_FIELDS);
	buf_putc(&r->text, '\0');
	r->off[r->n++] = start;
	return 0;
}

int csv_next(csv_reader *r, sg_err *e)
{
	/* blank lines between records are nothing */
	while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) {
		if (*r->p == '\n')
			r->line++;
		r->p++;
	}
	if (r->p >= r->end)
		return 0;
	buf_reset(&r->text);
	r->n = 0;
	r->rec_line = r->line;
	size_t start = 0;
	bool quoted = false, was_quoted = false;
	const char *p = r->p;
	for (; p < r->end; p++) {
		char c = *p;
		if (quoted) {
			if (c == '"') {
				if (p + 1 < r->end && p[1] == '"') {
					buf_putc(&r->text, '"');
					p++;
				} else {
					quoted = false;
				}
			} else {
				if (c == '\n')
					r->line++;
				buf_putc(&r->text, c);
			}
			continue;
		}
		if (c == '"' && !was_quoted && r->text.len == start) {
			quoted = was_quoted = true;
		} else if (c == r->delim) {
			if (end_field(r, start, e) != 0)
				return -1;
			start = r->text.len;
			was_quoted = false;
		} else if (c == '\n' || c == '\r') {
			break;
		} else {
			buf_putc(&r->text, c);
		}
	}
	if (quoted)
		return sg_err_set(e, SG_EINVAL, "a quote left open");
	if (end_field(r, start, e) != 0)
		return -1;
	if (p < r->end && *p == '\r')
		p++;
	if (p < r->end && *p == '\n') {
		p++;
		r->line++;
	}
	r->p = p;
	for (size_t i = 0; i < r->n; i++)
		r->field[i] = r->text.data + r->off[i];
	return 1;
}

/* Whether s would be read by a spreadsheet as a formula once its guard
 * is dropped: ^'*[=+-@\t\r] (OWASP's list of CSV injection starts). */
static bool formula_like(const char *s)
{
	while (*s == '\'')
		s++;
	return *s && strchr("=+-@\t\r", *s) != NULL;
}

void csv_put(buf *b, const char *s, char delim)
{
	bool guard = formula_like(s);
	size_t n = strlen(s);
	/* a byte order mark opening the file would be skipped unquoted */
	bool quote = guard || (n && (s[0] == ' ' || s[n - 1] == ' ')) || strchr(s, delim) ||
		     strchr(s, '"') || strchr(s, '\n') || strchr(s, '\r') ||
		     strncmp(s, "\xef\xbb\xbf", 3) == 0;
	if (!quote) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (guard)
		buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

const char *csv_unguard(const char *s)
{
	return s[0] == '\'' && formula_like(s + 1) ? s + 1 : s;
}
