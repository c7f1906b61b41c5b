/*
 * err.c: filling and naming sg_err values (see err.h).
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int sg_err_set(sg_err *e, sg_code code, const char *fmt, ...)
{
	if (e == NULL)
		return -1;
	e->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
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
	return -1;
}

void sg_err_clear(sg_err *e)
{
	if (e) {
		e->code = SG_OK;
		e->msg[0] = '\0';
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
	};
	if ((size_t)code < sizeof names / sizeof names[0] && names[code])
		return names[code];
	return "unknown error";
}
