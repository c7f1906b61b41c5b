/*
 * log.c: the lines a running sigap writes on standard error (log.h).
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "civil.h"
#include "log.h"

static atomic_bool as_json;
static atomic_int least = LOG_INFO;
static FILE *sink; /* NULL: standard error */
static _Atomic(const civil_zone *) zone; /* of "at"; NULL: the default (WIB) */

void log_sink(FILE *f)
{
	sink = f;
}

static const char *const names[] = {"debug", "info", "warn", "error"};

void log_set_zone(const civil_zone *z)
{
	atomic_store(&zone, z);
}

void log_setup(bool json, log_level min)
{
	atomic_store(&as_json, json);
	atomic_store(&least, (int)min);
}

int log_level_parse(const char *s, log_level *out)
{
	for (int i = 0; i < 4; i++)
		if (s && strcmp(s, names[i]) == 0) {
			*out = (log_level)i;
			return 0;
		}
	return -1;
}

bool log_on(log_level l)
{
	return (int)l >= atomic_load(&least);
}

/* s as a JSON string's body: quotes, backslashes and control characters
 * escaped (the bytes are UTF-8 as they came). */
static void put_escaped(buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c == '\t')
			buf_puts(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\u%04x", c);
		else
			buf_putc(b, (char)c);
	}
}

static void emit(log_level l, const char *fields, const char *msg)
{
	buf b = {0};
	if (atomic_load(&as_json)) {
		char at[40];
		const civil_zone *z = atomic_load(&zone);
		civil_format_rfc3339((int64_t)time(NULL), z ? z : civil_zone_default(), at, sizeof at);
		buf_printf(&b, "{\"at\":\"%s\",\"level\":\"%s\",\"msg\":\"", at, names[l]);
		put_escaped(&b, msg);
		buf_putc(&b, '"');
		/* the fields' members, without their braces */
		if (fields && fields[0] == '{') {
			size_t n = strlen(fields);
			while (n > 1 && fields[n - 1] != '}')
				n--;
			if (n > 2) {
				buf_putc(&b, ',');
				buf_append(&b, fields + 1, n - 2);
			}
		}
		buf_puts(&b, "}\n");
	} else {
		buf_printf(&b, "sigap: %s", msg);
		if (fields && strcmp(fields, "{}") != 0)
			buf_printf(&b, " %s", fields);
		buf_putc(&b, '\n');
	}
	fputs(b.data ? b.data : "", sink ? sink : stderr);
	buf_free(&b);
}

static void emit_v(log_level l, const char *fields, const char *fmt, va_list ap)
{
	char small[1024];
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	if (n >= (int)sizeof small) {
		char *big = malloc((size_t)n + 1);
		if (big) {
			vsnprintf(big, (size_t)n + 1, fmt, copy);
			emit(l, fields, big);
			free(big);
			va_end(copy);
			return;
		}
	}
	va_end(copy);
	emit(l, fields, n < 0 ? fmt : small);
}

void log_say(log_level l, const char *fmt, ...)
{
	if (!log_on(l))
		return;
	va_list ap;
	va_start(ap, fmt);
	emit_v(l, NULL, fmt, ap);
	va_end(ap);
}

void log_with(log_level l, const char *fields, const char *fmt, ...)
{
	if (!log_on(l))
		return;
	va_list ap;
	va_start(ap, fmt);
	emit_v(l, fields, fmt, ap);
	va_end(ap);
}

void log_diags(log_level l, const diags *d)
{
	if (!log_on(l))
		return;
	for (size_t i = 0; i < d->n; i++) {
		char line[2048];
		diags_at(d, i, line, sizeof line);
		const diag *x = &d->v[i];
		buf f = {0};
		buf_puts(&f, "{\"file\":\"");
		put_escaped(&f, x->file ? x->file : "");
		buf_printf(&f, "\",\"line\":%d,\"col\":%d}", x->line, x->col);
		emit(l, atomic_load(&as_json) ? f.data : NULL, line);
		buf_free(&f);
	}
	if (d->dropped) {
		char line[2048];
		diags_at(d, d->n, line, sizeof line);
		emit(l, NULL, line);
	}
}
