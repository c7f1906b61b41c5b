/*
 * test_detect_syslog.c: the syslog parser: RFC 3164 and 5424 by hand,
 * the real loghub Linux and OpenSSH logs checked field by field against
 * their structured CSV (skipped when ../shared/data is absent), and
 * damaged lines that must be refused or parsed within the buffer; the
 * RFC 5424 lines rsyslog forwards, and the year of a BSD stamp against a
 * fixed receive time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"

#include "base/civil.h"
#include "detect/input/syslog.h"

static const det_syslog_opts WIB = {2026, 420};

static void assert_str(det_str s, const char *want)
{
	char got[512];
	snprintf(got, sizeof got, "%.*s", (int)s.n, s.p);
	assert_string_equal(got, want);
}

static int parse(const char *line, det_event *ev)
{
	return det_syslog_parse(line, strlen(line), &WIB, ev);
}

static void rfc3164(void **state)
{
	(void)state;
	static det_event ev;
	assert_int_equal(parse("<38>Nov 23 08:00:01 web01 sshd[1234]: Failed password for root from "
			       "203.0.113.7 port 52144 ssh2",
			       &ev),
			 0);
	assert_int_equal(ev.format, DET_FMT_SYSLOG3164);
	assert_int_equal(ev.facility, 4);
	assert_int_equal(ev.severity, 6);
	assert_str(ev.host, "web01");
	assert_str(ev.program, "sshd");
	assert_str(ev.pid, "1234");
	assert_str(ev.message, "Failed password for root from 203.0.113.7 port 52144 ssh2");
	int64_t want;
	assert_int_equal(civil_parse("2026-11-23T08:00:01+07:00", civil_zone_default(), &want), 0);
	assert_int_equal(ev.time, want);

	/* A file line: no PRI, a space-padded day, a tag with parentheses,
	 * a trailing space and CR. */
	assert_int_equal(parse("Dec  4 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown \r", &ev), 0);
	assert_int_equal(ev.facility, -1);
	assert_str(ev.host, "combo");
	assert_str(ev.program, "sshd(pam_unix)");
	assert_str(ev.pid, "19939");
	assert_str(ev.message, "check pass; user unknown");

	/* No pid; no host; RFC 3339 stamp; no tag. */
	assert_int_equal(parse("Nov 23 08:00:01 host kernel: usb 1-1: new device", &ev), 0);
	assert_str(ev.program, "kernel");
	assert_int_equal(ev.pid.n, 0);
	assert_str(ev.message, "usb 1-1: new device");
	assert_int_equal(parse("Nov 23 08:00:01 sudo[77]: pam_unix(sudo:session): opened", &ev), 0);
	assert_int_equal(ev.host.n, 0);
	assert_str(ev.program, "sudo");
	assert_int_equal(parse("2026-11-23T08:00:01.123456+07:00 db01 postgres[9]: ready", &ev), 0);
	assert_str(ev.host, "db01");
	assert_int_equal(ev.time, want);
	assert_int_equal(parse("Nov 23 08:00:01 host last message repeated 3 times", &ev), 0);
	assert_int_equal(ev.program.n, 0);
	assert_str(ev.message, "last message repeated 3 times");
	/* PRI without a stamp. */
	assert_int_equal(parse("<13>su: FAILED SU (to root) budi on pts/0", &ev), 0);
	assert_str(ev.program, "su");
	assert_int_equal(ev.time, 0);
}

static void rfc5424(void **state)
{
	(void)state;
	static det_event ev;
	const char *l = "<165>1 2026-11-23T01:00:01.003Z mymachine.example.com evntslog 4711 ID47 "
			"[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]"
			"[meta note=\"a \\\"quoted\\\" ]\"] \xEF\xBB\xBF" "An application event";
	assert_int_equal(parse(l, &ev), 0);
	assert_int_equal(ev.format, DET_FMT_SYSLOG5424);
	assert_int_equal(ev.facility, 20);
	assert_int_equal(ev.severity, 5);
	assert_str(ev.host, "mymachine.example.com");
	assert_str(ev.program, "evntslog");
	assert_str(ev.pid, "4711");
	assert_str(ev.msgid, "ID47");
	assert_str(ev.message, "An application event");
	assert_int_equal(ev.n_fields, 4);
	det_str v;
	assert_true(det_event_get(&ev, "eventID", &v));
	assert_str(v, "1011");
	assert_true(det_event_get(&ev, "note", &v));
	assert_str(v, "a \\\"quoted\\\" ]");
	int64_t want;
	civil_parse("2026-11-23T01:00:01Z", civil_zone_default(), &want);
	assert_int_equal(ev.time, want);
	/* Nil fields and no message. */
	assert_int_equal(parse("<34>1 - - - - - -", &ev), 0);
	assert_int_equal(ev.host.n + ev.program.n + ev.message.n, 0);
	/* Broken: unterminated SD, bad stamp. */
	assert_int_equal(parse("<34>1 2026-11-23T01:00:01Z h a p m [id k=\"v", &ev), -1);
	assert_int_equal(parse("<34>1 2026-13-23T01:00:01Z h a p m - x", &ev), -1);
	assert_int_equal(ev.raw.n, strlen("<34>1 2026-13-23T01:00:01Z h a p m - x"));
}

/* What rsyslog's omfwd sends with RSYSLOG_SyslogProtocol23Format for
 * `logger -t sshd --id=1234 "Failed …"` (captured from rsyslog 8.2302):
 * the space after "sshd[1234]:" stays in its msg property, so two spaces
 * follow SD. The message starts at its first word, as RFC 3164's does. */
static void rsyslog_protocol23(void **state)
{
	(void)state;
	static det_event ev;
	const char *l = "<13>1 2026-12-03T08:35:22.580011+00:00 vm sshd 1234 - -  Failed password for "
			"invalid user admin from 203.0.113.9 port 52144 ssh2\n";
	assert_int_equal(det_syslog_parse(l, strlen(l) - 1, &WIB, &ev), 0);
	assert_int_equal(ev.format, DET_FMT_SYSLOG5424);
	assert_str(ev.program, "sshd");
	assert_str(ev.pid, "1234");
	assert_str(ev.message,
		   "Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2");
	assert_int_equal(ev.raw.n, strlen(l) - 1); /* the raw line keeps it */
	/* after structured data too, and after a BOM */
	assert_int_equal(parse("<13>1 - h sshd 1 - [a b=\"c\"]  Invalid user x from 192.0.2.1", &ev), 0);
	assert_str(ev.message, "Invalid user x from 192.0.2.1");
	assert_int_equal(parse("<13>1 - h sshd 1 - - \xEF\xBB\xBF Invalid user x", &ev), 0);
	assert_str(ev.message, "Invalid user x");
	assert_int_equal(parse("<13>1 - h sshd 1 - -   ", &ev), 0);
	assert_int_equal(ev.message.n, 0);
}

/* The instant of "STAMP h p: m" (a BSD stamp) received at now in zone off. */
static int64_t bsd_at(const char *stamp, int64_t now, int off)
{
	char line[64];
	snprintf(line, sizeof line, "%s h p: m", stamp);
	det_syslog_opts o = {0, off, now};
	static det_event ev;
	assert_int_equal(det_syslog_parse(line, strlen(line), &o, &ev), 0);
	return ev.time;
}

static int64_t at(const char *rfc3339)
{
	int64_t t;
	assert_int_equal(civil_parse(rfc3339, civil_zone_default(), &t), 0);
	return t;
}

/* A BSD stamp has no year: the latest year that puts it no more than a
 * day (DET_SYSLOG_SKEW) after the receive time. */
static void year_of_bsd_stamp(void **state)
{
	(void)state;
	/* a December line received on 2 January is last year's */
	assert_int_equal(bsd_at("Dec 31 23:59:00", at("2027-01-02T10:00:00+07:00"), 420),
			 at("2026-12-31T23:59:00+07:00"));
	/* a minute ahead of the clock stays in this year */
	assert_int_equal(bsd_at("Dec  3 08:01:00", at("2026-12-03T08:00:00+07:00"), 420),
			 at("2026-12-03T08:01:00+07:00"));
	/* nine days ahead is a year ago, never the future */
	assert_int_equal(bsd_at("Dec 12 08:00:00", at("2026-12-03T08:00:00+07:00"), 420),
			 at("2025-12-12T08:00:00+07:00"));
	/* the skew is a day: inside it this year, past it last year */
	assert_int_equal(bsd_at("Dec  4 08:00:00", at("2026-12-03T08:00:00+07:00"), 420),
			 at("2026-12-04T08:00:00+07:00"));
	assert_int_equal(bsd_at("Dec  4 08:00:01", at("2026-12-03T08:00:00+07:00"), 420),
			 at("2025-12-04T08:00:01+07:00"));
	/* a sender a minute fast at midnight on New Year's Eve: next year */
	assert_int_equal(bsd_at("Jan  1 00:00:30", at("2026-12-31T23:59:50+07:00"), 420),
			 at("2027-01-01T00:00:30+07:00"));
	/* the year is that of the zone's date: 1 January 01:00 WIB is still
	 * 31 December in UTC */
	assert_int_equal(bsd_at("Jan  1 00:30:00", at("2027-01-01T01:00:00+07:00"), 420),
			 at("2027-01-01T00:30:00+07:00"));
	/* the stamp read in the input's zone (a cloud host logging in UTC) */
	assert_int_equal(bsd_at("Dec  3 01:00:00", at("2026-12-03T08:00:00+07:00"), 0),
			 at("2026-12-03T01:00:00Z"));
	/* 29 February: the last leap year */
	assert_int_equal(bsd_at("Feb 29 10:00:00", at("2027-03-01T10:00:00+07:00"), 420),
			 at("2024-02-29T10:00:00+07:00"));
	assert_int_equal(bsd_at("Feb 29 10:00:00", at("2028-03-01T10:00:00+07:00"), 420),
			 at("2028-02-29T10:00:00+07:00"));
	/* a given year (sigap detect --year) is kept as it is */
	det_syslog_opts o = {2005, 420, at("2026-12-03T08:00:00+07:00")};
	static det_event ev;
	assert_int_equal(det_syslog_parse("Dec 12 08:00:00 h p: m", 22, &o, &ev), 0);
	assert_int_equal(ev.time, at("2005-12-12T08:00:00+07:00"));
	/* any clock, any stamp: never past the skew, never a year or more
	 * before it (the closest such year) */
	srand(12);
	for (int i = 0; i < 20000; i++) {
		int64_t now = at("2020-01-01T00:00:00Z") + (int64_t)rand() % (10LL * 366 * 86400);
		static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
						  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
		char stamp[32];
		int m = rand() % 12, d = 1 + rand() % 28;
		snprintf(stamp, sizeof stamp, "%s %2d %02d:%02d:%02d", mon[m], d, rand() % 24,
			 rand() % 60, rand() % 60);
		int off = (rand() % 3) * 420;
		int64_t t = bsd_at(stamp, now, off);
		if (t > now + DET_SYSLOG_SKEW || t <= now + DET_SYSLOG_SKEW - 366LL * 86400)
			fail_msg("%s received at %lld (zone %+d min): %lld", stamp, (long long)now, off,
				 (long long)t);
	}
}

static void not_syslog(void **state)
{
	(void)state;
	static det_event ev;
	static const char *const lines[] = {
		"", "hello world", "{\"json\": 1}", "<999>Nov 23 08:00:01 h p: m",
		"[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok", "Nov 23 8:00:01 h p: m",
		"<12", "<>x",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		assert_int_equal(parse(lines[i], &ev), -1);
}

/* ---- the real logs ---- */

/* Splits a CSV record at p into up to max cells (quotes as in RFC 4180);
 * cells are NUL-terminated in place. Returns the next record. */
static char *csv_record(char *p, char **cells, int max, int *n)
{
	*n = 0;
	while (*p && *n < max) {
		char *w = p, *cell = p;
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else if (*p == '\0') {
					break;
				} else {
					*w++ = *p++;
				}
			}
		} else {
			while (*p && *p != ',' && *p != '\n' && *p != '\r')
				*w++ = *p++;
		}
		char end = *p;
		*w = '\0'; /* may overwrite the separator at p: end keeps it */
		cells[(*n)++] = cell;
		if (end != '\0')
			p++;
		if (end == ',')
			continue;
		while (*p == '\r' || *p == '\n')
			p++;
		break;
	}
	return p;
}

/* Each line of LOG against its CSV: columns of host, program, pid and
 * content given by index (-1: not in the CSV). */
static void check_log(const char *name, int c_host, int c_prog, int c_pid, int c_content)
{
	char logp[512], csvp[600];
	snprintf(logp, sizeof logp, "%s/../shared/data/logs/loghub/%s/%s_2k.log", SIGAP_SOURCE_ROOT, name, name);
	snprintf(csvp, sizeof csvp, "%s_structured.csv", logp);
	size_t ln, cn;
	char *log = read_all(logp, &ln), *csv = read_all(csvp, &cn);
	if (log == NULL || csv == NULL) {
		free(log);
		free(csv);
		skip();
	}
	char *cells[16];
	int nc;
	char *rec = csv_record(csv, cells, 16, &nc); /* the header */
	det_syslog_opts o = {2005, 0};
	size_t lines = 0;
	for (char *p = log; p < log + ln;) {
		char *nl = memchr(p, '\n', (size_t)(log + ln - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(log + ln - p);
		static det_event ev;
		if (det_syslog_parse(p, len, &o, &ev) != 0)
			fail_msg("%s line %zu not parsed: %.*s", name, lines + 1, (int)len, p);
		rec = csv_record(rec, cells, 16, &nc);
		char want[2048];
		if (c_host >= 0)
			assert_str(ev.host, cells[c_host]);
		assert_str(ev.program, c_prog >= 0 ? cells[c_prog] : "sshd");
		assert_str(ev.pid, cells[c_pid]);
		/* The CSV trims the content; so does the parser. */
		snprintf(want, sizeof want, "%s", cells[c_content]);
		size_t wl = strlen(want);
		while (wl && want[wl - 1] == ' ')
			want[--wl] = '\0';
		assert_str(ev.message, want);
		lines++;
		p = nl ? nl + 1 : log + ln;
	}
	assert_int_equal(lines, 2000);
	free(log);
	free(csv);
}

static void loghub_linux(void **state)
{
	(void)state;
	/* LineId,Month,Date,Time,Level(host),Component,PID,Content,… */
	check_log("Linux", 4, 5, 6, 7);
}

static void loghub_openssh(void **state)
{
	(void)state;
	/* LineId,Date,Day,Time,Component(host),Pid,Content,… */
	check_log("OpenSSH", 4, -1, 5, 6);
}

/* Damaged lines: every slice the parser returns lies inside the line. */
static void mutations(void **state)
{
	(void)state;
	static const char *const seeds[] = {
		"<38>Nov 23 08:00:01 web01 sshd[1234]: Failed password for root",
		"<165>1 2026-11-23T01:00:01.003Z host app 1 ID [a b=\"c\" d=\"e\\\"\"] msg",
		"2026-11-23T08:00:01+07:00 db01 postgres[9]: ready",
	};
	srand(11);
	int parsed = 0;
	for (int i = 0; i < 60000; i++) {
		const char *seed = seeds[i % 3];
		size_t n = strlen(seed), len = (size_t)rand() % (n + 1);
		char *b = malloc(len ? len : 1);
		memcpy(b, seed, len);
		for (int k = rand() % 4; k > 0 && len; k--)
			b[rand() % len] = (char)(rand() % 256);
		static det_event ev;
		if (det_syslog_parse(b, len, &WIB, &ev) == 0) {
			parsed++;
			const det_str parts[] = {ev.host, ev.program, ev.pid, ev.msgid, ev.message};
			for (size_t k = 0; k < 5; k++)
				assert_true(parts[k].p >= b && parts[k].p + parts[k].n <= b + len);
			for (size_t k = 0; k < ev.n_fields; k++)
				assert_true(ev.fields[k].value.p + ev.fields[k].value.n <= b + len);
		}
		free(b);
	}
	assert_true(parsed > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc3164),      cmocka_unit_test(rfc5424),
		cmocka_unit_test(rsyslog_protocol23), cmocka_unit_test(year_of_bsd_stamp),
		cmocka_unit_test(not_syslog),   cmocka_unit_test(loghub_linux),
		cmocka_unit_test(loghub_openssh), cmocka_unit_test(mutations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
