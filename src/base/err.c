/*
 * err.c: filling and naming sg_err values (see err.h).
 */
#include "err.h"

#include <stdarg.h>
#include <stdbool.h>
#include <sys/types.h>
#include <stdio.h>
#include <string.h>

/* The length of the conversion at p (just after its '%'): flags, width,
 * precision, length modifier and the conversion letter. */
static size_t spec_len(const char *p)
{
	size_t i = 0;
	while (p[i] && strchr("-+ #0", p[i]))
		i++;
	while (p[i] == '*' || (p[i] >= '0' && p[i] <= '9') || p[i] == '.')
		i++;
	while (p[i] && strchr("hlzjt", p[i]))
		i++;
	return p[i] ? i + 1 : i;
}

/* The one conversion printed here is cut out of fmt, which the compiler
 * checked against the arguments at the sg_err_set call (format attribute
 * in err.h), so the non-literal formats below are safe. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* Prints each argument of fmt on its own into e->args, reading ap as
 * vsnprintf does. Only the conversions sigap's messages use are read;
 * anything else leaves e->fmt NULL (no translation, the English stays). */
static void save_args(sg_err *e, const char *fmt, va_list ap)
{
	e->fmt = fmt;
	e->n_args = 0;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		size_t n = spec_len(p + 1);
		char spec[32];
		if (n == 0 || n + 2 > sizeof spec || e->n_args == SG_ERR_ARGS) {
			e->fmt = NULL;
			return;
		}
		memcpy(spec, p, n + 1);
		spec[n + 1] = '\0';
		char conv = spec[n];
		bool star = strchr(spec, '*') != NULL;
		bool ll = strstr(spec, "ll") != NULL, l = !ll && strchr(spec, 'l') != NULL;
		bool z = strchr(spec, 'z') != NULL;
		char *out = e->args[e->n_args++];
		size_t cap = sizeof e->args[0];
		int w = star ? va_arg(ap, int) : 0;
		if (conv == 's') {
			const char *v = va_arg(ap, const char *);
			star ? snprintf(out, cap, spec, w, v) : snprintf(out, cap, spec, v);
		} else if (conv == 'c' && !star) {
			snprintf(out, cap, spec, va_arg(ap, int));
		} else if (strchr("di", conv) && !star) {
			if (ll)
				snprintf(out, cap, spec, va_arg(ap, long long));
			else if (l)
				snprintf(out, cap, spec, va_arg(ap, long));
			else if (z)
				snprintf(out, cap, spec, va_arg(ap, ssize_t));
			else
				snprintf(out, cap, spec, va_arg(ap, int));
		} else if (strchr("uxX", conv) && !star) {
			if (ll)
				snprintf(out, cap, spec, va_arg(ap, unsigned long long));
			else if (l)
				snprintf(out, cap, spec, va_arg(ap, unsigned long));
			else if (z)
				snprintf(out, cap, spec, va_arg(ap, size_t));
			else
				snprintf(out, cap, spec, va_arg(ap, unsigned));
		} else {
			e->fmt = NULL;
			return;
		}
		p += n;
	}
}

#pragma GCC diagnostic pop

int sg_err_set(sg_err *e, sg_code code, const char *fmt, ...)
{
	if (e == NULL)
		return -1;
	e->code = code;
	e->pre = NULL;
	va_list ap;
	va_start(ap, fmt);
	va_list aq;
	va_copy(aq, ap);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	save_args(e, fmt, aq);
	va_end(aq);
	va_end(ap);
	return -1;
}

const char *sg_err_localize(const sg_err *e, const char *tfmt, char *out, size_t n)
{
	if (e->fmt == NULL || tfmt == NULL) {
		snprintf(out, n, "%s", e->msg);
		return out;
	}
	size_t k = 0;
	int arg = 0;
	for (const char *p = tfmt; *p && k + 1 < n; p++) {
		if (*p != '%') {
			out[k++] = *p;
			continue;
		}
		if (p[1] == '%') {
			out[k++] = '%';
			p++;
			continue;
		}
		size_t sl = spec_len(p + 1);
		if (sl == 0 || arg == e->n_args)
			goto fallback;
		for (const char *a = e->args[arg++]; *a && k + 1 < n; a++)
			out[k++] = *a;
		p += sl;
	}
	out[k] = '\0';
	if (arg != e->n_args)
		goto fallback;
	return out;
fallback:
	snprintf(out, n, "%s", e->msg);
	return out;
}

int sg_err_prefix(sg_err *e, const char *fmt, ...)
{
	if (e == NULL)
		return -1;
	char prefix[512], old[sizeof e->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof old);
	size_t n = strlen(prefix);
	if (n > sizeof e->msg - 3)
		n = sizeof e->msg - 3;
	memcpy(e->msg, prefix, n);
	memcpy(e->msg + n, ": ", 2);
	size_t rest = sizeof e->msg - n - 3;
	size_t m = strnlen(old, rest);
	memcpy(e->msg + n + 2, old, m);
	e->msg[n + 2 + m] = '\0';
	e->fmt = NULL; /* the prefix is not part of any msgid */
	e->pre = NULL;
	return -1;
}

int sg_err_prefix_msgid(sg_err *e, const char *msgid)
{
	if (e == NULL)
		return -1;
	const char *fmt = e->fmt, *pre = e->pre;
	sg_err_prefix(e, "%s", msgid);
	/* one prefix kept with the message's own format; a second one, or
	 * one before a message that cannot be rebuilt, is text */
	if (pre == NULL && fmt != NULL) {
		e->fmt = fmt;
		e->pre = msgid;
	}
	return -1;
}

void sg_err_clear(sg_err *e)
{
	if (e) {
		e->code = SG_OK;
		e->msg[0] = '\0';
		e->fmt = NULL;
		e->n_args = 0;
		e->pre = NULL;
	}
}

const char *sg_code_name(sg_code code)
{
	static const char *const names[] = {
		[SG_OK] = "ok",
		[SG_EINVAL] = "invalid input",
		[SG_ENOTFOUND] = "not found",
		[SG_EPERM] = "permission denied",
		[SG_ESTATE] = "not allowed in this state",
		[SG_ECONFLICT] = "already exists",
		[SG_EIO] = "input/output error",
		[SG_EDB] = "database error",
		[SG_ESCHEMA] = "database schema too new",
		[SG_ENOMEM] = "out of memory",
		[SG_EINTEGRITY] = "integrity check failed",
		[SG_ETOOBIG] = "too large",
		[SG_EBUSY] = "busy",
	};
	if ((size_t)code < sizeof names / sizeof names[0] && names[code])
		return names[code];
	return "unknown error";
}
