/*
 * syslog.c: syslog lines, RFC 3164 (BSD) and RFC 5424, into events.
 *
 * One forward pass with bounds checked at every byte; no allocation, no
 * copy: header parts and structured-data values are slices of the line.
 *
 * RFC 3164 as it is found in practice: "<PRI>" optional (files under
 * /var/log have none), the stamp "Mmm dd hh:mm:ss" (day space-padded) or
 * an RFC 3339 stamp (rsyslog's high-precision format), then the host,
 * then the tag "program[pid]:" (program may hold "(…)", as in
 * "sshd(pam_unix)[123]:", or a second word, as sysklogd's "syslogd 1.4.1:"
 * and login's "-- root[2421]:"), then the message. A tag without a host before
 * it ("Dec 10 06:55:46 sshd[1]: …") is recognised by its '[' or ':'.
 *
 * RFC 5424: "<PRI>1 STAMP HOST APP PROCID MSGID SD MSG", "-" for nil;
 * each SD parameter becomes a field named by its parameter name; values
 * keep their \" \\ \] escapes (unescaping would need a copy; matching on
 * escaped text is rare enough to do there).
 *
 * The MSG of RFC 5424 starts after the one space that ends SD; leading
 * spaces beyond it are dropped, as after an RFC 3164 tag. A relay that
 * turns a BSD line into RFC 5424 keeps the space that followed the tag:
 * rsyslog splits "sshd[1234]: Failed …" into APP-NAME, PROCID and a msg
 * property of " Failed …", and its RSYSLOG_SyslogProtocol23Format writes
 * "%STRUCTURED-DATA% %msg%", so the line reads "- - -  Failed …" (rsyslog's
 * own documentation of mmrm1stspace calls that first space unnecessary).
 * The message decoders match from the message's first word, so a kept
 * space left every sshd line from rsyslog undecoded. The raw line keeps it.
 *
 * Years: an RFC 3164 stamp has none; see bsd_epoch.
 */
#include <string.h>

#include "base/civil.h"
#include "detect/input/syslog.h"

typedef struct cursor {
	const char *p, *end;
} cursor;

static bool at_end(const cursor *c)
{
	return c->p >= c->end;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* n digits at p into *v; false when fewer are there. */
static bool digits(const char *p, const char *end, int n, int *v)
{
	if (end - p < n)
		return false;
	int x = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return false;
		x = x * 10 + (p[i] - '0');
	}
	*v = x;
	return true;
}

static int64_t epoch_of(int y, int mo, int d, int h, int mi, int s, int offset_min)
{
	return civil_days_from_date(y, mo, d) * 86400 + h * 3600 + mi * 60 + s -
	       (int64_t)offset_min * 60;
}

size_t det_parse_rfc3339(const char *p, size_t n, int64_t *out)
{
	const char *end = p + n, *q = p;
	int y, mo, d, h, mi, s;
	if (!digits(q, end, 4, &y) || end - q < 19 || q[4] != '-' || !digits(q + 5, end, 2, &mo) ||
	    q[7] != '-' || !digits(q + 8, end, 2, &d) || (q[10] != 'T' && q[10] != 't') ||
	    !digits(q + 11, end, 2, &h) || q[13] != ':' || !digits(q + 14, end, 2, &mi) ||
	    q[16] != ':' || !digits(q + 17, end, 2, &s))
		return 0;
	if (!civil_valid_date(y, mo, d) || h > 23 || mi > 59 || s > 60)
		return 0;
	q += 19;
	if (q < end && *q == '.') {
		q++;
		const char *f = q;
		while (q < end && is_digit(*q))
			q++;
		if (q == f)
			return 0;
	}
	int off = 0;
	if (q < end && (*q == 'Z' || *q == 'z')) {
		q++;
	} else if (q < end && (*q == '+' || *q == '-')) {
		int oh, om;
		if (!digits(q + 1, end, 2, &oh) || end - q < 6 || q[3] != ':' ||
		    !digits(q + 4, end, 2, &om) || oh > 23 || om > 59)
			return 0;
		off = (oh * 60 + om) * (*q == '-' ? -1 : 1);
		q += 6;
	} else {
		return 0; /* RFC 3339 requires the offset */
	}
	*out = epoch_of(y, mo, d, h, mi, s > 59 ? 59 : s, off);
	return (size_t)(q - p);
}

/* The instant of a stamp without a year. With o->year the year is that
 * one. Otherwise it is the latest year in which the stamp is at most
 * DET_SYSLOG_SKEW after o->now (the receive time; the skew allows for a
 * sender's clock running fast): a line is never placed in the future, and
 * one a year old is read as a year old. Years are tried from the one after
 * now's down to eight before it, which holds a leap year for "Feb 29"; a
 * day no year has ("Apr 31") is read as the 28th, as before. */
static int64_t bsd_epoch(const det_syslog_opts *o, int mo, int d, int h, int mi, int s)
{
	if (o->year)
		return epoch_of(o->year, mo, civil_valid_date(o->year, mo, d) ? d : 28, h, mi, s,
				o->offset_min);
	int64_t local = o->now + (int64_t)o->offset_min * 60;
	int64_t day = local / 86400 - (local % 86400 < 0);
	int y0, m0, d0;
	civil_date_from_days(day, &y0, &m0, &d0);
	for (int pass = 0; pass < 2; pass++) {
		int dd = pass == 0 ? d : 28;
		for (int y = y0 + 1; y >= y0 - 8; y--) {
			if (!civil_valid_date(y, mo, dd))
				continue;
			int64_t t = epoch_of(y, mo, dd, h, mi, s, o->offset_min);
			if (t <= o->now + DET_SYSLOG_SKEW)
				return t;
		}
	}
	/* not reached: the 28th of any month of last year is before now */
	return epoch_of(y0 - 1, mo, 28, h, mi, s, o->offset_min);
}

/* "Mmm dd hh:mm:ss" at c->p (15 bytes). */
static bool bsd_stamp(cursor *c, const det_syslog_opts *o, int64_t *out)
{
	const char *p = c->p;
	if (c->end - p < 15 || p[3] != ' ' || p[6] != ' ' || p[9] != ':' || p[12] != ':')
		return false;
	int mo = civil_month_abbr(p);
	int d, h, mi, s;
	if (mo == 0)
		return false;
	if (p[4] == ' ') {
		if (!digits(p + 5, c->end, 1, &d))
			return false;
	} else if (!digits(p + 4, c->end, 2, &d)) {
		return false;
	}
	if (!digits(p + 7, c->end, 2, &h) || !digits(p + 10, c->end, 2, &mi) ||
	    !digits(p + 13, c->end, 2, &s) || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return false;
	*out = bsd_epoch(o, mo, d, h, mi, s > 59 ? 59 : s);
	c->p += 15;
	return true;
}

/* The next space-delimited token. */
static det_str token(cursor *c)
{
	const char *s = c->p, *sp = memchr(s, ' ', (size_t)(c->end - s));
	c->p = sp ? sp : c->end;
	return (det_str){s, (size_t)(c->p - s)};
}

static void skip_spaces(cursor *c)
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
}

/* "<PRI>" at the start: 0..191. */
static bool pri(cursor *c, det_event *ev)
{
	if (at_end(c) || *c->p != '<')
		return false;
	const char *q = c->p + 1;
	int v = 0, nd = 0;
	while (q < c->end && is_digit(*q) && nd < 3) {
		v = v * 10 + (*q - '0');
		q++;
		nd++;
	}
	if (nd == 0 || q >= c->end || *q != '>' || v > 191)
		return false;
	ev->facility = v / 8;
	ev->severity = v % 8;
	c->p = q + 1;
	return true;
}

/* "program[pid]:" or "program:" at c->p, the program of at most
 * max_words words; on success the cursor stands on the message. */
static bool tag(cursor *c, det_event *ev, int max_words)
{
	const char *s = c->p, *q = s;
	int depth = 0, words = 1;
	for (; q < c->end && *q != ':' && !(*q == '[' && depth == 0); q++) {
		if (*q == '(')
			depth++;
		else if (*q == ')' && depth > 0)
			depth--;
		else if (*q == ' ' && (++words > max_words || q - s > 32))
			break; /* a tag is one word, or two ("syslogd 1.4.1:", "-- root[1]:") */
	}
	if (q == s || q >= c->end || *q == ' ' || q[-1] == ' ')
		return false;
	det_str program = {s, (size_t)(q - s)}, pid = {q, 0};
	if (*q == '[') {
		const char *ps = ++q;
		while (q < c->end && *q != ']')
			q++;
		if (q >= c->end)
			return false;
		pid = (det_str){ps, (size_t)(q - ps)};
		q++;
	}
	if (q >= c->end || *q != ':')
		return false;
	ev->program = program;
	ev->pid = pid;
	c->p = q + 1;
	skip_spaces(c); /* the message starts at its first non-space */
	return true;
}

static void message(cursor *c, det_event *ev)
{
	const char *e = c->end;
	while (e > c->p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	ev->message = (det_str){c->p, (size_t)(e - c->p)};
}

static int parse_3164(cursor *c, const det_syslog_opts *o, det_event *ev, bool had_pri)
{
	bool stamped = bsd_stamp(c, o, &ev->time);
	if (!stamped) {
		size_t n = det_parse_rfc3339(c->p, (size_t)(c->end - c->p), &ev->time);
		if (n > 0 && c->p + n < c->end && c->p[n] == ' ') {
			c->p += n;
			stamped = true;
		}
	}
	if (!stamped && !had_pri)
		return -1; /* neither PRI nor stamp: not syslog */
	skip_spaces(c);
	ev->format = DET_FMT_SYSLOG3164;
	cursor save = *c;
	if (stamped && tag(c, ev, 1)) { /* no host before the tag */
		message(c, ev);
		return 0;
	}
	*c = save;
	if (stamped) {
		ev->host = token(c);
		skip_spaces(c);
	}
	save = *c;
	if (!tag(c, ev, 2))
		*c = save; /* no tag: the rest is the message */
	message(c, ev);
	return 0;
}

/* An RFC 5424 header field: "-" is nil. */
static det_str field5424(cursor *c)
{
	det_str t = token(c);
	if (c->p < c->end)
		c->p++; /* the space */
	return t.n == 1 && t.p[0] == '-' ? (det_str){t.p, 0} : t;
}

static int structured_data(cursor *c, det_event *ev)
{
	if (!at_end(c) && *c->p == '-') {
		c->p++;
		return 0;
	}
	while (!at_end(c) && *c->p == '[') {
		c->p++;
		while (!at_end(c) && *c->p != ' ' && *c->p != ']')
			c->p++; /* SD-ID */
		for (;;) {
			if (at_end(c))
				return -1;
			if (*c->p == ']') {
				c->p++;
				break;
			}
			if (*c->p != ' ')
				return -1;
			c->p++;
			const char *name = c->p;
			while (!at_end(c) && *c->p != '=' && *c->p != ' ' && *c->p != ']')
				c->p++;
			if (at_end(c) || *c->p != '=' || c->p == name || c->end - c->p < 2 ||
			    c->p[1] != '"')
				return -1;
			size_t nl = (size_t)(c->p - name);
			c->p += 2;
			const char *val = c->p;
			while (!at_end(c) && *c->p != '"') {
				if (*c->p == '\\' && c->end - c->p >= 2)
					c->p++;
				c->p++;
			}
			if (at_end(c))
				return -1;
			det_event_add(ev, name, nl, val, (size_t)(c->p - val));
			c->p++; /* the closing quote */
		}
	}
	return 0;
}

static int parse_5424(cursor *c, det_event *ev)
{
	c->p += 2; /* "1 " */
	det_str stamp = field5424(c);
	if (stamp.n && det_parse_rfc3339(stamp.p, stamp.n, &ev->time) != stamp.n)
		return -1;
	ev->host = field5424(c);
	ev->program = field5424(c);
	ev->pid = field5424(c);
	ev->msgid = field5424(c);
	if (structured_data(c, ev) != 0)
		return -1;
	if (!at_end(c) && *c->p == ' ')
		c->p++;
	if (c->end - c->p >= 3 && memcmp(c->p, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3; /* the BOM of a UTF-8 message */
	skip_spaces(c); /* the space rsyslog keeps after "sshd[1]:" (see above) */
	ev->format = DET_FMT_SYSLOG5424;
	message(c, ev);
	return 0;
}

int det_syslog_parse(const char *line, size_t n, const det_syslog_opts *o, det_event *ev)
{
	if (n && line[n - 1] == '\r')
		n--;
	det_event_reset(ev, line, n);
	cursor c = {line, line + n};
	bool had_pri = pri(&c, ev);
	int r;
	if (had_pri && c.end - c.p >= 2 && c.p[0] == '1' && c.p[1] == ' ')
		r = parse_5424(&c, ev);
	else
		r = parse_3164(&c, o, ev, had_pri);
	if (r != 0)
		det_event_reset(ev, line, n);
	return r;
}
