/*
 * auditd.c: Linux audit records, as auditd writes them to
 * /var/log/audit/audit.log or relays them through syslog:
 *
 *   type=EXECVE msg=audit(1764, ...: argc=3 a0="chmod" a1="+x" a2=2F746D702F78
 *   node=web01 type=USER_AUTH msg=audit(…): pid=1 uid=0 msg='op=PAM:authentication acct="root"
 * res=failed'
 *
 * Every key=value pair becomes a field named by its key ("type", "a0",
 * "exe", "key", …), as the SigmaHQ auditd rules name them. Quotes are
 * removed; the nested msg='…' of user-space records is read as pairs
 * too. auditd writes a value in hex when it holds a space or a quote
 * (proctitle, EXECVE arguments, paths, comm, exe); those are decoded into
 * the event's scratch, so a rule sees "/tmp/x y" and not 2F746D…. The
 * SYSCALL record's a0..a3 are numbers in hex and stay as they are.
 * An EXECVE record also gets CommandLine, its arguments joined, for
 * Sigma's linux process_creation rules.
 */
#include <string.h>

#include "detect/input/auditd.h"
#include "base/hash.h"

/* Keys whose unquoted value auditd encodes in hex. */
static bool hex_encoded(det_str key, bool execve)
{
	static const char *const keys[] = {"proctitle", "exe", "comm", "cwd", "name",
	                                   "path",      "cmd", "data", "acct"};
	if (execve && key.n >= 2 && key.p[0] == 'a' && key.p[1] >= '0' && key.p[1] <= '9')
		return true;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (det_str_eq(key, keys[i]))
			return true;
	return false;
}

/* Decodes v when it is all hex digits (an even count); the NULs that
 * separate proctitle's arguments become spaces. */
static det_str unhex(det_event *ev, det_str v)
{
	if (v.n < 2 || v.n % 2 || v.n / 2 > 4096)
		return v;
	char buf[4096];
	for (size_t i = 0; i < v.n; i += 2) {
		int hi = hex_digit_value(v.p[i]), lo = hex_digit_value(v.p[i + 1]);
		if (hi < 0 || lo < 0)
			return v;
		char ch = (char)(hi << 4 | lo);
		buf[i / 2] = ch == '\0' ? ' ' : ch;
	}
	char *kept = det_event_keep(ev, buf, v.n / 2);
	return kept ? (det_str){kept, v.n / 2} : v;
}

/* Reads key=value pairs in [p, end) into ev. */
static void pairs(det_event *ev, const char *p, const char *end, bool execve)
{
	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		const char *k = p;
		while (p < end && *p != '=' && *p != ' ')
			p++;
		if (p >= end || *p != '=' || p == k) {
			while (p < end && *p != ' ')
				p++;
			continue;
		}
		det_str key = {k, (size_t)(p - k)};
		p++;
		det_str v;
		if (p < end && (*p == '"' || *p == '\'')) {
			char q = *p++;
			const char *s = p;
			while (p < end && *p != q)
				p++;
			v = (det_str){s, (size_t)(p - s)};
			if (p < end)
				p++;
			if (q == '\'' && det_str_eq(key, "msg")) {
				pairs(ev, v.p, v.p + v.n, execve);
				continue;
			}
		} else {
			const char *s = p;
			while (p < end && *p != ' ')
				p++;
			v = (det_str){s, (size_t)(p - s)};
			if (hex_encoded(key, execve))
				v = unhex(ev, v);
		}
		det_event_add(ev, key.p, key.n, v.p, v.n);
	}
}

/* EXECVE's arguments a0 a1 … joined as Sigma's CommandLine. */
static void command_line(det_event *ev, size_t first)
{
	char buf[4096];
	size_t o = 0;
	for (size_t i = first; i < ev->n_fields; i++) {
		det_field *f = &ev->fields[i];
		if (f->name.n < 2 || f->name.p[0] != 'a' || f->name.p[1] < '0' ||
		    f->name.p[1] > '9' || o + f->value.n + 1 > sizeof buf)
			continue;
		if (o)
			buf[o++] = ' ';
		memcpy(buf + o, f->value.p, f->value.n);
		o += f->value.n;
	}
	char *kept = o ? det_event_keep(ev, buf, o) : NULL;
	if (kept)
		det_event_add(ev, "CommandLine", 11, kept, o);
}

int det_auditd_parse(const char *line, size_t n, det_event *ev)
{
	const char *p = line, *end = line + n;
	det_str node = {0};
	if (n > 5 && memcmp(p, "node=", 5) == 0) {
		const char *sp = memchr(p, ' ', n);
		if (sp == NULL)
			return -1;
		node = (det_str){p + 5, (size_t)(sp - p - 5)};
		p = sp + 1;
	}
	if (end - p < 5 || memcmp(p, "type=", 5) != 0)
		return -1;
	const char *t = p + 5, *te = t;
	while (te < end && *te != ' ')
		te++;
	static const char audit[] = " msg=audit(";
	size_t al = sizeof audit - 1;
	if ((size_t)(end - te) < al || memcmp(te, audit, al) != 0)
		return -1;
	const char *s = te + al;
	int64_t secs = 0;
	const char *q = s;
	while (q < end && *q >= '0' && *q <= '9' && q - s < 12)
		secs = secs * 10 + (*q++ - '0');
	const char *close = memchr(q, ')', (size_t)(end - q));
	if (q == s || close == NULL || close + 1 >= end || close[1] != ':')
		return -1;
	det_str type = {t, (size_t)(te - t)};
	ev->time = secs;
	if (node.n) {
		ev->host = node;
		det_event_add(ev, "node", 4, node.p, node.n);
	}
	det_event_add(ev, "type", 4, type.p, type.n);
	det_event_add(ev, "audit_id", 8, s, (size_t)(close - s));
	size_t first = ev->n_fields;
	bool execve = det_str_eq(type, "EXECVE");
	pairs(ev, close + 2, end, execve);
	if (execve)
		command_line(ev, first);
	return 0;
}
