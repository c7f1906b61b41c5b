/*
 * test_detect_decode.c: the message decoders: sshd, sudo, su and account
 * changes by hand, lines no decoder knows, and every sshd login line of
 * the real loghub OpenSSH log (skipped when ../shared/data is absent);
 * which lines the inputs count as unrecognised (det_event_is_bare); the
 * registry's programs, each to its reader; holes ending at a literal
 * whose first byte comes earlier; Windows values when scratch is full,
 * and Wazuh's doubled escapes undone at every offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/input/decode.h"
#include "detect/input/parse.h"
#include "detect/input/syslog.h"

static det_event ev;
static const det_syslog_opts OPTS = {2026, 420};
/* 2026-11-23 08:00:01 WIB */
static const int64_t wib_epoch = 1795395601;

static void decode(const char *line)
{
	assert_int_equal(det_syslog_parse(line, strlen(line), &OPTS, &ev), 0);
	det_decode(&ev);
}

static void field(const char *name, const char *want)
{
	det_str v;
	if (!det_event_get(&ev, name, &v))
		fail_msg("no field %s", name);
	char got[512];
	snprintf(got, sizeof got, "%.*s", (int)v.n, v.p);
	assert_string_equal(got, want);
}

static void sshd(void **state)
{
	(void)state;
	decode("Nov 23 08:00:01 web01 sshd[1]: Failed password for invalid user oracle from 203.0.113.7 port 52144 ssh2");
	field("action", "ssh_login_failed");
	field("srcuser", "oracle");
	field("srcip", "203.0.113.7");
	field("srcport", "52144");
	field("method", "password");
	decode("Nov 23 08:00:01 web01 sshd[1]: Failed publickey for root from 2001:db8::5 port 41000 ssh2: RSA SHA256:x");
	field("srcuser", "root");
	field("srcip", "2001:db8::5");
	decode("Nov 23 08:00:01 web01 sshd[1]: Accepted publickey for budi from 10.20.1.5 port 50000 ssh2");
	field("action", "ssh_login_success");
	field("srcuser", "budi");
	decode("Nov 23 08:00:01 web01 sshd[1]: Invalid user admin from 198.51.100.4 port 1234");
	field("action", "ssh_invalid_user");
	field("srcip", "198.51.100.4");
	/* rsyslog's RFC 5424 forwarding keeps the space after "sshd[1]:" */
	decode("<13>1 2026-12-03T08:35:22.580011+00:00 vm sshd 1234 - -  Failed password for invalid "
	       "user admin from 203.0.113.9 port 52144 ssh2");
	field("action", "ssh_login_failed");
	field("srcip", "203.0.113.9");
	decode("Nov 23 08:00:01 web01 sshd[1]: Server listening on 0.0.0.0 port 22.");
	assert_int_equal(ev.n_fields, 0);
}

static void sudo_su_accounts(void **state)
{
	(void)state;
	decode("Nov 23 08:00:01 web01 sudo[9]:     budi : TTY=pts/0 ; PWD=/home/budi ; USER=root ; COMMAND=/usr/bin/cat /etc/shadow");
	field("action", "sudo_command");
	field("srcuser", "budi");
	field("dstuser", "root");
	field("tty", "pts/0");
	field("pwd", "/home/budi");
	field("command", "/usr/bin/cat /etc/shadow");
	decode("Nov 23 08:00:01 web01 sudo[9]: tamu : user NOT in sudoers ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/bash");
	field("action", "sudo_denied");
	field("srcuser", "tamu");
	decode("Nov 23 08:00:01 web01 su[9]: FAILED SU (to root) budi on pts/0");
	field("action", "su_failed");
	field("dstuser", "root");
	field("srcuser", "budi");
	decode("Nov 23 08:00:01 web01 useradd[9]: new user: name=backdoor, UID=0, GID=0, home=/root, shell=/bin/bash");
	field("action", "user_added");
	field("dstuser", "backdoor");
	field("uid", "0");
	field("shell", "/bin/bash");
	decode("Nov 23 08:00:01 web01 groupadd[9]: new group: name=ops, GID=1001");
	field("group", "ops");
	decode("Nov 23 08:00:01 web01 usermod[9]: add 'budi' to group 'sudo'");
	field("action", "user_added_to_group");
	field("group", "sudo");
	/* A program without decoder, and a known program with an unknown line. */
	decode("Nov 23 08:00:01 web01 cron[9]: (root) CMD (run-parts /etc/cron.hourly)");
	assert_int_equal(ev.n_fields, 0);
	decode("Nov 23 08:00:01 web01 sudo[9]: pam_unix(sudo:session): session closed for user root");
	assert_int_equal(ev.n_fields, 0);
}

static bool starts(det_str s, const char *p)
{
	size_t n = strlen(p);
	return s.n >= n && memcmp(s.p, p, n) == 0;
}

static void loghub_openssh(void **state)
{
	(void)state;
	FILE *f = fopen(SIGAP_SOURCE_ROOT "/../shared/data/logs/loghub/OpenSSH/OpenSSH_2k.log", "rb");
	if (f == NULL)
		skip();
	char line[4096];
	det_syslog_opts o = {2005, 0};
	int failed = 0, accepted = 0, invalid = 0, decoded = 0;
	while (fgets(line, sizeof line, f)) {
		size_t n = strcspn(line, "\r\n");
		assert_int_equal(det_syslog_parse(line, n, &o, &ev), 0);
		bool f1 = starts(ev.message, "Failed password for");
		bool a1 = starts(ev.message, "Accepted password for");
		bool i1 = starts(ev.message, "Invalid user ");
		decoded += det_decode(&ev) > 0;
		det_str action, ip;
		if (f1 || a1 || i1) {
			assert_true(det_event_get(&ev, "action", &action));
			assert_true(det_event_get(&ev, "srcip", &ip));
			/* The address is in the message where the decoder found it. */
			assert_true(ip.p > ev.message.p && ip.p + ip.n <= ev.message.p + ev.message.n);
			assert_true(ip.n >= 7 && strspn(ip.p, "0123456789.") >= ip.n);
		}
		failed += f1 && det_str_eq(action, "ssh_login_failed");
		accepted += a1 && det_str_eq(action, "ssh_login_success");
		invalid += i1 && det_str_eq(action, "ssh_invalid_user");
	}
	fclose(f);
	/* Counted in the log with grep: 518 failed, 1 accepted, 113 invalid. */
	assert_int_equal(failed, 518);
	assert_int_equal(accepted, 1);
	assert_int_equal(invalid, 113);
	assert_true(decoded > 1000);
}

/* Any line through the format sniffer. */
static void parse(const char *line)
{
	const char *why;
	if (det_parse_line(line, strlen(line), &OPTS, &ev, &why) != 0)
		fail_msg("not parsed: %s", why);
}

static void access_log(void **state)
{
	(void)state;
	parse("203.0.113.9 - budi [23/Nov/2026:08:00:01 +0700] \"GET /layanan/izin.php?id=7&x=1 HTTP/1.1\" 404 512 \"https://kab.go.id/\" \"Mozilla/5.0 (X11)\"");
	assert_int_equal(ev.format, DET_FMT_ACCESS);
	assert_int_equal(ev.time, wib_epoch);
	field("c-ip", "203.0.113.9");
	field("cs-user", "budi");
	field("cs-method", "GET");
	field("c-uri", "/layanan/izin.php?id=7&x=1");
	field("cs-uri-stem", "/layanan/izin.php");
	field("cs-uri-query", "id=7&x=1");
	field("c-uri-extension", "php");
	field("cs-version", "HTTP/1.1");
	field("sc-status", "404");
	field("sc-bytes", "512");
	field("cs-referer", "https://kab.go.id/");
	field("c-useragent", "Mozilla/5.0 (X11)");
	/* Common format (no referer, agent), and a garbage request line. */
	parse("2001:db8::7 - - [23/Nov/2026:08:00:01 +0700] \"\\x16\\x03\\x01\" 400 0");
	assert_int_equal(ev.format, DET_FMT_ACCESS);
	field("c-uri", "\\x16\\x03\\x01");
	/* Relayed by syslog. */
	parse("Nov 23 08:00:01 web01 nginx: 10.1.1.1 - - [23/Nov/2026:08:00:01 +0700] \"POST /login HTTP/2.0\" 302 0 \"-\" \"curl/8\"");
	assert_int_equal(ev.format, DET_FMT_SYSLOG3164);
	field("cs-method", "POST");
	det_str v;
	assert_false(det_event_get(&ev, "cs-referer", &v)); /* "-" is no value */
	/* Not access logs: a bad stamp, a missing quote. */
	parse("10.1.1.1 - - [23/Nov/2026:08:00:01] \"GET / HTTP/1.1\" 200 1");
	assert_int_not_equal(ev.format, DET_FMT_ACCESS);
	parse("10.1.1.1 - - [23/Nov/2026:08:00:01 +0700] \"GET / HTTP/1.1 200 1");
	assert_int_not_equal(ev.format, DET_FMT_ACCESS);
}

static void auditd(void **state)
{
	(void)state;
	parse("type=EXECVE msg=audit(1764000001.250:4242): argc=3 a0=\"chmod\" a1=\"+s\" a2=2F746D702F782079");
	assert_int_equal(ev.format, DET_FMT_AUDITD);
	assert_int_equal(ev.time, 1764000001);
	field("type", "EXECVE");
	field("audit_id", "1764000001.250:4242");
	field("a0", "chmod");
	field("a2", "/tmp/x y");
	field("CommandLine", "chmod +s /tmp/x y");
	/* SYSCALL arguments are numbers in hex and stay so. */
	parse("type=SYSCALL msg=audit(1764000001.250:4243): arch=c000003e syscall=59 success=yes a0=55d0 comm=\"chmod\" exe=\"/usr/bin/chmod\" key=\"perm\"");
	field("a0", "55d0");
	field("exe", "/usr/bin/chmod");
	field("key", "perm");
	/* User-space records: the nested msg='…' is read as pairs. */
	parse("node=web01 type=USER_AUTH msg=audit(1764000001.300:9): pid=1 uid=0 auid=4294967295 msg='op=PAM:authentication grantors=? acct=\"root\" exe=\"/usr/sbin/sshd\" res=failed'");
	assert_true(det_str_eq(ev.host, "web01"));
	field("op", "PAM:authentication");
	field("acct", "root");
	field("res", "failed");
	/* Not audit records. */
	parse("type=EXECVE argc=3");
	assert_int_not_equal(ev.format, DET_FMT_AUDITD);
}

static void cef(void **state)
{
	(void)state;
	parse("CEF:0|Fortinet|Forti\\|Web|7.0|20000010|SQL Injection|8|src=203.0.113.9 dst=10.1.1.5 request=/a b?x\\=1 act=blocked msg=line1\\nline2");
	assert_int_equal(ev.format, DET_FMT_CEF);
	field("deviceVendor", "Fortinet");
	field("deviceProduct", "Forti|Web");
	field("deviceEventClassId", "20000010");
	field("name", "SQL Injection");
	field("severity", "8");
	field("src", "203.0.113.9");
	field("request", "/a b?x=1");
	field("act", "blocked");
	field("msg", "line1\nline2");
	/* After a syslog header. */
	parse("<134>Nov 23 08:00:01 fw01 CEF:0|Palo Alto|PAN-OS|10|THREAT|url|3|src=10.0.0.1 suser=budi");
	assert_int_equal(ev.format, DET_FMT_SYSLOG3164);
	field("suser", "budi");
	/* Too few header fields: no CEF fields. */
	parse("CEF:0|a|b|c");
	assert_int_equal(ev.n_fields, 0);
}

static void windows(void **state)
{
	(void)state;
	/* Wazuh's agent form: camelCase, backslashes escaped twice. */
	parse("{\"win\":{\"system\":{\"providerName\":\"Microsoft-Windows-Sysmon\",\"eventID\":\"1\",\"channel\":\"Microsoft-Windows-Sysmon/Operational\",\"computer\":\"PC-01\",\"systemTime\":\"2026-11-23T01:00:01.5Z\"},\"eventdata\":{\"image\":\"C:\\\\\\\\Windows\\\\\\\\System32\\\\\\\\cmd.exe\",\"commandLine\":\"\\\\\\\"C:\\\\\\\\x.exe\\\\\\\" /c\"}}}");
	field("Provider_Name", "Microsoft-Windows-Sysmon");
	field("EventID", "1");
	field("Channel", "Microsoft-Windows-Sysmon/Operational");
	field("Image", "C:\\Windows\\System32\\cmd.exe");
	field("CommandLine", "\"C:\\x.exe\" /c");
	assert_true(det_str_eq(ev.host, "PC-01"));
	assert_int_equal(ev.time, 1795395601);
	/* An exported event log: Event.System with #attributes. */
	parse("{\"Event\":{\"System\":{\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-Security-Auditing\"}},\"EventID\":{\"#attributes\":{\"Qualifiers\":\"\"},\"#text\":4688},\"Channel\":\"Security\"},\"EventData\":{\"NewProcessName\":\"C:\\\\Windows\\\\notepad.exe\"}}}");
	field("Provider_Name", "Microsoft-Windows-Security-Auditing");
	field("EventID", "4688");
	field("NewProcessName", "C:\\Windows\\notepad.exe");
}

/* Every Sysmon event of Wazuh's sysmon_eid_1 tests gets Sigma's names
 * with single backslashes. */
static void wazuh_sysmon(void **state)
{
	(void)state;
	FILE *f = fopen(SIGAP_SOURCE_ROOT "/../shared/data/wazuh/ruleset-tests/sysmon_eid_1.ini", "rb");
	if (f == NULL)
		skip();
	static char line[65536];
	int events = 0;
	while (fgets(line, sizeof line, f)) {
		char *j = strstr(line, " pass = {");
		if (strncmp(line, "log ", 4) != 0 || j == NULL)
			continue;
		parse(j + 8);
		det_str image, cmd, id;
		assert_true(det_event_get(&ev, "Image", &image));
		assert_true(det_event_get(&ev, "CommandLine", &cmd));
		assert_true(det_event_get(&ev, "EventID", &id) && det_str_eq(id, "1"));
		assert_true(image.n > 3 && image.p[2] == '\\' && image.p[3] != '\\');
		for (size_t i = 0; i + 1 < image.n; i++)
			assert_false(image.p[i] == '\\' && image.p[i + 1] == '\\');
		events++;
	}
	fclose(f);
	assert_int_equal(events, 63);
}

/* Each program in the registry reaches its reader, and only its own
 * name does: a name that merely starts or ends like one is decoded by
 * nothing. */
static void programs(void **state)
{
	(void)state;
	static const char access[] = "10.1.1.1 - - [23/Nov/2026:08:00:01 +0700] \"GET /x HTTP/1.1\" 200 1";
	static const char audit[] = "type=USER_LOGIN msg=audit(1795395601.123:42): pid=1 uid=0 res=failed";
	static const struct {
		const char *program, *message, *field, *want;
	} cases[] = {
		{"nginx", access, "cs-method", "GET"},
		{"apache2", access, "cs-method", "GET"},
		{"httpd", access, "cs-method", "GET"},
		{"apache", access, "cs-method", "GET"},
		{"audit", audit, "res", "failed"},
		{"auditd", audit, "res", "failed"},
		{"audispd", audit, "res", "failed"},
		{"audisp-syslog", audit, "res", "failed"},
		{"su(pam_unix)", "FAILED su for root by budi", "action", "su_failed"},
		{"gpasswd", "add 'budi' to group 'sudo'", "group", "sudo"},
		{"userdel", "delete user 'tamu'", "action", "user_deleted"},
		{"sshd(pam_unix)", "session closed for user budi", "action", "ssh_session_closed"},
	};
	static const char *const strangers[] = {"nginx2", "ngin", "ssh", "sshd2", "sudoedit",
						"audisp", "Sshd", "su(pam)"};
	char line[512];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(line, sizeof line, "Nov 23 08:00:01 h %s[7]: %s", cases[i].program,
			 cases[i].message);
		parse(line);
		field(cases[i].field, cases[i].want);
	}
	for (size_t i = 0; i < sizeof strangers / sizeof strangers[0]; i++) {
		snprintf(line, sizeof line, "Nov 23 08:00:01 h %s[7]: %s", strangers[i], access);
		parse(line);
		if (ev.n_fields != 0)
			fail_msg("%s decoded", strangers[i]);
		snprintf(line, sizeof line,
			 "Nov 23 08:00:01 h %s[7]: Failed password for budi from 10.1.1.1 port 22 ssh2",
			 strangers[i]);
		parse(line);
		assert_int_equal(ev.n_fields, 0);
	}
}

/* A hole takes the text up to the whole literal after it, not up to the
 * literal's first byte; a literal may be the message's last byte. */
static void literals(void **state)
{
	(void)state;
	decode("Nov 23 08:00:01 web01 sshd[1]: Failed password for invalid user a b c from 203.0.113.7 port 22 ssh2");
	field("srcuser", "a b c");
	field("srcip", "203.0.113.7");
	decode("Nov 23 08:00:01 web01 sshd[1]: Invalid user f fr fro from 203.0.113.8 port 9");
	field("srcuser", "f fr fro");
	field("srcip", "203.0.113.8");
	decode("Nov 23 08:00:01 web01 sshd[1]: Received disconnect from 203.0.113.9:");
	field("action", "ssh_disconnect");
	field("srcip", "203.0.113.9");
	/* the literal missing: not this template */
	decode("Nov 23 08:00:01 web01 sshd[1]: Received disconnect from 203.0.113.9");
	assert_int_equal(ev.n_fields, 0);
}

/* A Windows event of Wazuh's with filler bytes of escaped text after its
 * command line: {"win":{"eventdata":{"commandLine":"<50 doubled
 * backslashes>"}},"f":"\n<filler>"}. */
static void windows_with_filler(char *line, size_t filler)
{
	size_t at = (size_t)sprintf(line, "{\"win\":{\"eventdata\":{\"commandLine\":\"");
	for (int i = 0; i < 50; i++)
		at += (size_t)sprintf(line + at, "\\\\\\\\");
	at += (size_t)sprintf(line + at, "\"}},\"f\":\"\\n");
	memset(line + at, 'x', filler);
	at += filler;
	sprintf(line + at, "\"}");
	parse(line);
}

/* Wazuh's Windows values are undone into the event's scratch whatever
 * else the line holds: escaped text around and far past the scratch
 * space's first size does not leave a command line doubled (Sigma's
 * "\\cmd.exe" would not match it) nor drop its Sigma name. */
static void windows_scratch_full(void **state)
{
	(void)state;
	static char line[4 * DET_SCRATCH + 512];
	static const size_t fillers[] = {0, 100, DET_SCRATCH - 200, DET_SCRATCH - 136,
	                                 DET_SCRATCH - 137, DET_SCRATCH, 4 * DET_SCRATCH};
	for (size_t c = 0; c < sizeof fillers / sizeof fillers[0]; c++) {
		windows_with_filler(line, fillers[c]);
		det_str v;
		assert_true(det_event_get(&ev, "CommandLine", &v));
		assert_int_equal(v.n, 50);
		assert_int_equal(ev.dropped_fields, 0);
		assert_true(ev.scratch_used <= ev.scratch_cap);
	}
}

/* Wazuh's doubled escapes undone at every offset of values around the
 * 16 bytes the undoing copies at a time: "\\\\" and "\\\"" become one
 * byte, a backslash before anything else stays. */
static void windows_undoubled_everywhere(void **state)
{
	(void)state;
	static const struct {
		const char *json,
		    *undone; /* in the line; once JSON's escapes and Wazuh's are undone */
	} specials[] = {
	    {"\\\\\\\\", "\\"},           {"\\\\\\\"", "\""},       {"\\\\x", "\\x"},
	    {"\\\\\\\\\\\\\\\\", "\\\\"}, {"\\\\\\\\\\\\", "\\\\"},
	};
	static char line[512], want[256];
	for (size_t s = 0; s < sizeof specials / sizeof specials[0]; s++)
		for (size_t before = 0; before <= 40; before++)
			for (size_t after = 0; after <= 40; after++) {
				size_t at = (size_t)sprintf(
				           line, "{\"win\":{\"eventdata\":{\"image\":\""),
				       w = 0;
				for (size_t i = 0; i < before; i++)
					line[at++] = want[w++] = (char)('a' + i % 26);
				at += (size_t)sprintf(line + at, "%s", specials[s].json);
				w += (size_t)sprintf(want + w, "%s", specials[s].undone);
				for (size_t i = 0; i < after; i++)
					line[at++] = want[w++] = (char)('A' + i % 26);
				want[w] = '\0';
				sprintf(line + at, "\"}}}");
				parse(line);
				field("Image", want);
			}
}

/* What the inputs count as unrecognised: raw text only, or a known format
 * that yielded no field. */
static void bare_lines(void **state)
{
	(void)state;
	static const char *const bare[] = {
	    "just some words from a misconfigured sender",
	    "{}",
	    "{\"a\": [], \"b\": {}}",
	};
	static const char *const known[] = {
	    "<34>Nov 23 09:00:00 web01 sshd[42]: Failed password for budi from 203.0.113.7 port 4242 ssh2",
	    "{\"rule\": {\"id\": \"5710\"}}",
	    "CEF:0|Fortinet|FortiGate|7.0|1|blocked|5|src=203.0.113.7",
	    "type=USER_LOGIN msg=audit(1795395601.123:42): pid=1 uid=0 res=failed",
	    "203.0.113.9 - - [23/Nov/2026:08:00:01 +0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"",
	};
	for (size_t i = 0; i < sizeof bare / sizeof bare[0]; i++) {
		parse(bare[i]);
		if (!det_event_is_bare(&ev))
			fail_msg("not bare: %s", bare[i]);
	}
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		parse(known[i]);
		if (det_event_is_bare(&ev))
			fail_msg("bare: %s", known[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sshd),
		cmocka_unit_test(sudo_su_accounts),
		cmocka_unit_test(loghub_openssh),
		cmocka_unit_test(access_log),
		cmocka_unit_test(auditd),
		cmocka_unit_test(cef),
		cmocka_unit_test(windows),
		cmocka_unit_test(windows_scratch_full),
		cmocka_unit_test(windows_undoubled_everywhere),
		cmocka_unit_test(wazuh_sysmon),
		cmocka_unit_test(programs),
		cmocka_unit_test(literals),
		cmocka_unit_test(bare_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
