/*
 * test_detect_decode.c: the message decoders: sshd, sudo, su and account
 * changes by hand, lines no decoder knows, and every sshd login line of
 * the real loghub OpenSSH log (skipped when ../shared/data is absent).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/decode.h"
#include "detect/syslog.h"

static det_event ev;
static const det_syslog_opts OPTS = {2026, 420};

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sshd),
		cmocka_unit_test(sudo_su_accounts),
		cmocka_unit_test(loghub_openssh),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
