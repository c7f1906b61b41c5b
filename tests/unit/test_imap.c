/*
 * test_imap.c: the IMAP client of the mail intake (notify/imap.c)
 * against a real Dovecot, private to the test (tests/imap/dovecot.sh,
 * started in a scratch directory, stopped at the end), and against a
 * hostile one played here.
 *
 * Dovecot: three messages delivered (one with lines an IMAP reader could
 * take for the server's: "* BYE", a tag, a literal's "{5}"), listed
 * unseen in UID order with a UIDVALIDITY, fetched byte for byte without
 * becoming seen, the largest refused under a smaller max with its size,
 * one marked seen and the other two left; STARTTLS, and IMAP without TLS
 * to this host when allowed; a wrong password, a wrong CA, a mailbox that
 * is not there, URLs refused before any connection (with a password, or
 * without TLS to another host). When dovecot is not installed these are
 * skipped with a message.
 *
 * The hostile server (a child process on 127.0.0.1, one scripted answer
 * per case): no UIDVALIDITY, SEARCH out of form or of 2 MiB, a literal
 * announced larger than max, a size told smaller than the message, a
 * FETCH answer for another message first, lists nested deep, a NUL byte,
 * silence past the timeout. Each must end in -1 with a reason (or the
 * right message), never a crash or an allocation past the bounds (run
 * under ASan too).
 */
#include "helpers.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "notify/imap.h"

static const char USER[] = "sigap-intake";
static const char PASSWORD[] = "sandi-kotak-uji";
enum { NMSG = 3 };

static struct {
	char *dir;
	bool up;
	char imaps[128], imap[128], ca[4096];
	buf msg[NMSG];
	uint32_t uid[NMSG];
	uint32_t validity;
} srv;

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static const char *dovecot_bin(void)
{
	const char *d = getenv("DOVECOT");
	return d && *d ? d : "/usr/sbin/dovecot";
}

#define NEED_SERVER()                                                                              \
	do {                                                                                       \
		if (!srv.up) {                                                                     \
			print_message("# no private Dovecot (dovecot-imapd not installed?): "      \
			              "this check is skipped\n");                                  \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

static imap_conf conf(const char *base)
{
	static char url[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(url[k], sizeof url[k], "%s/INBOX", base);
	return (imap_conf){url[k], USER, PASSWORD, srv.ca, 10, false, 0};
}

static void write_file(const char *path, const buf *b)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
	assert_int_equal(fclose(f), 0);
}

static int start(void **state)
{
	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < NMSG; i++)
		srv.msg[i] = (buf)BUF_INIT;
	/* CRLF lines: Dovecot serves them as stored */
	buf_puts(&srv.msg[0],
	         "From: Warga <warga@contoh.example>\r\nTo: csirt@example.go.id\r\n"
	         "Subject: Situs kami diretas\r\nMessage-ID: <satu@contoh.example>\r\n\r\n"
	         "Halaman depan berubah sejak pagi.\r\n");
	buf_puts(&srv.msg[1], "From: Dinas <dinas@contoh.example>\r\nSubject: Lampiran aneh\r\n"
	                      "Message-ID: <dua@contoh.example>\r\n\r\n"
	                      "* BYE this line is the message's, not the server's\r\n"
	                      "sg3 OK neither is this one\r\n"
	                      "A003 OK nor this\r\n"
	                      "a line ending like a literal {5}\r\n"
	                      "hello\r\n"
	                      "\r\n.\r\n");
	buf_puts(&srv.msg[2], "From: Besar <besar@contoh.example>\r\nSubject: Pesan panjang\r\n"
	                      "Message-ID: <tiga@contoh.example>\r\n\r\n");
	for (int i = 0; i < 400; i++)
		buf_printf(&srv.msg[2],
		           "Baris %03d dari pesan yang panjang, untuk batas ukuran.\r\n", i);
	struct stat st;
	if (stat(dovecot_bin(), &st) != 0) {
		print_message(
		    "# %s is not installed (dovecot-imapd, scripts/install-deps.sh --test): "
		    "the checks against Dovecot are skipped\n",
		    dovecot_bin());
		return 0;
	}
	srv.dir = scratch_new();
	char cmd[8192], line[8192] = "";
	snprintf(cmd, sizeof cmd, "'%s' start '%s'", src_path("tests/imap/dovecot.sh"), srv.dir);
	double t0 = now_s();
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	if (fgets(line, sizeof line, p) == NULL)
		line[0] = '\0';
	int st_rc = pclose(p);
	if (st_rc != 0 || sscanf(line, "%127s %4095s %127s", srv.imaps, srv.ca, srv.imap) != 3) {
		print_message("# dovecot.sh start failed (%d): %s\n", st_rc, line);
		return -1;
	}
	print_message("# Dovecot started in %.2f s: %s", now_s() - t0, line);
	for (int i = 0; i < NMSG; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/m%d.eml", srv.dir, i);
		write_file(path, &srv.msg[i]);
		snprintf(cmd, sizeof cmd, "'%s' deliver '%s' %s '%s'",
		         src_path("tests/imap/dovecot.sh"), srv.dir, USER, path);
		if (system(cmd) != 0)
			return -1;
	}
	srv.up = true;
	return 0;
}

static int stop(void **state)
{
	(void)state;
	if (srv.dir) {
		char cmd[8192];
		snprintf(cmd, sizeof cmd, "'%s' stop '%s'", src_path("tests/imap/dovecot.sh"),
		         srv.dir);
		if (system(cmd) != 0)
			fprintf(stderr, "dovecot.sh stop failed\n");
		if (getenv("SIGAP_KEEP_IMAP"))
			fprintf(stderr, "kept %s\n", srv.dir);
		else
			scratch_free(srv.dir);
		srv.dir = NULL;
	}
	for (int i = 0; i < NMSG; i++)
		buf_free(&srv.msg[i]);
	curl_global_cleanup();
	return 0;
}

/* ---- against Dovecot -------------------------------------------------- */

static void test_unseen(void **state)
{
	(void)state;
	NEED_SERVER();
	imap_conf c = conf(srv.imaps);
	uint32_t uids[8], validity = 0;
	size_t n = 99;
	char why[600] = "";
	double t0 = now_s();
	if (imap_unseen(&c, &validity, uids, 8, &n, why, sizeof why) != 0)
		fail_msg("imap_unseen: %s", why);
	print_message("# imap_unseen in %.3f s\n", now_s() - t0);
	assert_int_equal(n, NMSG);
	assert_true(validity != 0);
	for (size_t i = 1; i < n; i++)
		assert_true(uids[i - 1] < uids[i]);
	memcpy(srv.uid, uids, sizeof srv.uid);
	srv.validity = validity;
	/* max cuts the list to its lowest */
	uint32_t one[1];
	uint32_t v2;
	assert_int_equal(imap_unseen(&c, &v2, one, 1, &n, why, sizeof why), 0);
	assert_int_equal(n, 1);
	assert_int_equal(one[0], uids[0]);
	assert_int_equal(v2, validity);
}

static void test_fetch_exact(void **state)
{
	(void)state;
	NEED_SERVER();
	imap_conf c = conf(srv.imaps);
	c.uidvalidity = srv.validity;
	bool matched[NMSG] = {false};
	char why[600] = "";
	for (int i = 0; i < NMSG; i++) {
		buf out = BUF_INIT;
		int64_t size = 0;
		double t0 = now_s();
		if (imap_fetch(&c, srv.uid[i], 1 << 20, &out, &size, why, sizeof why) != 0)
			fail_msg("imap_fetch %u: %s", srv.uid[i], why);
		print_message("# imap_fetch UID %u: %zu bytes in %.3f s\n", srv.uid[i], out.len,
		              now_s() - t0);
		assert_int_equal(size, (int64_t)out.len);
		int which = -1;
		for (int j = 0; j < NMSG; j++)
			if (out.len == srv.msg[j].len &&
			    memcmp(out.data, srv.msg[j].data, out.len) == 0)
				which = j;
		if (which < 0)
			fail_msg("UID %u is none of the messages delivered:\n%s", srv.uid[i],
			         buf_str(&out));
		assert_false(matched[which]);
		matched[which] = true;
		buf_free(&out);
	}
	/* reading marked none of them */
	uint32_t uids[8], validity;
	size_t n;
	assert_int_equal(imap_unseen(&c, &validity, uids, 8, &n, why, sizeof why), 0);
	assert_int_equal(n, NMSG);
}

static void test_fetch_too_large(void **state)
{
	(void)state;
	NEED_SERVER();
	imap_conf c = conf(srv.imaps);
	/* the largest message is the last delivered */
	size_t len = srv.msg[2].len;
	uint32_t uid = 0;
	buf out = BUF_INIT;
	int64_t size = 0;
	char why[600] = "";
	for (int i = 0; i < NMSG && !uid; i++) {
		assert_int_equal(imap_fetch(&c, srv.uid[i], 1 << 20, &out, &size, why, sizeof why),
		                 0);
		if (out.len == len)
			uid = srv.uid[i];
	}
	assert_true(uid != 0);
	buf_puts(&out, "left from before");
	assert_int_equal(imap_fetch(&c, uid, len - 1, &out, &size, why, sizeof why), -1);
	assert_int_equal(size, (int64_t)len);
	assert_int_equal(out.len, 0);
	char want[64];
	snprintf(want, sizeof want, "%zu bytes, more than the %zu allowed", len, len - 1);
	if (strstr(why, want) == NULL)
		fail_msg("why: %s", why);
	/* exactly max is taken */
	assert_int_equal(imap_fetch(&c, uid, len, &out, &size, why, sizeof why), 0);
	assert_int_equal(out.len, len);
	/* a UID that is not there */
	assert_int_equal(imap_fetch(&c, 4000000000u, len, &out, &size, why, sizeof why), -1);
	assert_non_null(strstr(why, "no message with UID 4000000000"));
	assert_true(size <= (int64_t)len);
	buf_free(&out);
}

static void test_mark_seen(void **state)
{
	(void)state;
	NEED_SERVER();
	imap_conf c = conf(srv.imaps);
	c.uidvalidity = srv.validity;
	char why[600] = "";
	double t0 = now_s();
	if (imap_mark_seen(&c, srv.uid[0], false, why, sizeof why) != 0)
		fail_msg("imap_mark_seen: %s", why);
	print_message("# imap_mark_seen in %.3f s\n", now_s() - t0);
	uint32_t uids[8], validity;
	size_t n;
	assert_int_equal(imap_unseen(&c, &validity, uids, 8, &n, why, sizeof why), 0);
	assert_int_equal(n, NMSG - 1);
	assert_int_equal(uids[0], srv.uid[1]);
	assert_int_equal(uids[1], srv.uid[2]);
	assert_int_equal(validity, srv.validity);
	/* again: still fine */
	assert_int_equal(imap_mark_seen(&c, srv.uid[0], false, why, sizeof why), 0);
	/* no such message */
	assert_int_equal(imap_mark_seen(&c, 4000000000u, false, why, sizeof why), -1);
	assert_non_null(strstr(why, "no message with UID 4000000000"));
	/* a mailbox whose UIDVALIDITY changed: its UIDs are not ours */
	c.uidvalidity = srv.validity + 1;
	assert_int_equal(imap_mark_seen(&c, srv.uid[1], false, why, sizeof why), -1);
	assert_non_null(strstr(why, "UIDVALIDITY"));
	buf out = BUF_INIT;
	int64_t size;
	assert_int_equal(imap_fetch(&c, srv.uid[1], 1 << 20, &out, &size, why, sizeof why), -1);
	assert_non_null(strstr(why, "UIDVALIDITY"));
	buf_free(&out);
	c.uidvalidity = 0;
	assert_int_equal(imap_unseen(&c, &validity, uids, 8, &n, why, sizeof why), 0);
	assert_int_equal(n, NMSG - 1);
}

static void test_starttls(void **state)
{
	(void)state;
	NEED_SERVER();
	imap_conf c = conf(srv.imap); /* imap://: STARTTLS, required */
	uint32_t uids[8], validity;
	size_t n;
	char why[600] = "";
	if (imap_unseen(&c, &validity, uids, 8, &n, why, sizeof why) != 0)
		fail_msg("STARTTLS: %s", why);
	assert_int_equal(n, NMSG - 1);
	assert_int_equal(validity, srv.validity);
	/* without TLS, allowed for this host (Dovecot takes a login from
	 * 127.0.0.1 as secured) */
	c.plain_ok = true;
	c.ca_file = "/nonexistent/ca.pem"; /* not used */
	if (imap_unseen(&c, &validity, uids, 8, &n, why, sizeof why) != 0)
		fail_msg("plain to 127.0.0.1: %s", why);
	assert_int_equal(n, NMSG - 1);
}

static void test_wrong_password(void **state)
{
	(void)state;
	NEED_SERVER();
	imap_conf c = conf(srv.imaps);
	c.password = "salah-kata-sandi-7788";
	uint32_t uids[8], validity;
	size_t n;
	char why[600] = "";
	double t0 = now_s();
	assert_int_equal(imap_unseen(&c, &validity, uids, 8, &n, why, sizeof why), -1);
	print_message("# refused login in %.3f s: %s\n", now_s() - t0, why);
	assert_non_null(strstr(why, "refused the login of user 'sigap-intake'"));
	assert_non_null(strstr(why, "[intake] user and password"));
	assert_null(strstr(why, "salah-kata-sandi"));
	assert_null(strstr(why, PASSWORD));
	/* the other user's password does not open this mailbox either */
	c.password = "sandi-lain-uji";
	assert_int_equal(imap_mark_seen(&c, srv.uid[1], false, why, sizeof why), -1);
	assert_null(strstr(why, "sandi-lain-uji"));
	/* nothing changed */
	c.password = PASSWORD;
	assert_int_equal(imap_unseen(&c, &validity, uids, 8, &n, why, sizeof why), 0);
	assert_int_equal(n, NMSG - 1);
}

static void test_wrong_ca(void **state)
{
	(void)state;
	NEED_SERVER();
	char other[4200], cmd[9000];
	snprintf(other, sizeof other, "%s/other-ca.pem", srv.dir);
	snprintf(
	    cmd, sizeof cmd,
	    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
	    "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 -keyout '%s.key' -out '%s' "
	    ">/dev/null 2>&1",
	    other, other);
	if (system(cmd) != 0) {
		print_message("# openssl is not on PATH: this check is skipped\n");
		skip();
	}
	uint32_t uids[8], validity;
	size_t n;
	char why[600] = "";
	const char *bases[] = {srv.imaps, srv.imap};
	for (int i = 0; i < 2; i++) {
		imap_conf c = conf(bases[i]);
		c.ca_file = other;
		assert_int_equal(imap_unseen(&c, &validity, uids, 8, &n, why, sizeof why), -1);
		print_message("# wrong CA: %s\n", why);
		assert_non_null(strstr(why, "certificate is not trusted"));
		assert_null(strstr(why, PASSWORD));
		/* the system's store does not know a self-signed one */
		c.ca_file = NULL;
		assert_int_equal(imap_unseen(&c, &validity, uids, 8, &n, why, sizeof why), -1);
		assert_non_null(strstr(why, "certificate is not trusted"));
		assert_non_null(strstr(why, "[intake] ca_file"));
	}
	imap_conf c = conf(srv.imaps);
	c.ca_file = "/nonexistent/ca.pem";
	assert_int_equal(imap_unseen(&c, &validity, uids, 8, &n, why, sizeof why), -1);
	assert_non_null(strstr(why, "/nonexistent/ca.pem"));
}

static void test_no_mailbox(void **state)
{
	(void)state;
	NEED_SERVER();
	imap_conf c = conf(srv.imaps);
	char url[256];
	snprintf(url, sizeof url, "%s/Tidak-Ada", srv.imaps);
	c.url = url;
	uint32_t uids[8], validity;
	size_t n;
	char why[600] = "";
	assert_int_equal(imap_unseen(&c, &validity, uids, 8, &n, why, sizeof why), -1);
	print_message("# %s\n", why);
	assert_non_null(strstr(why, "refused EXAMINE \"Tidak-Ada\""));
	/* no path: INBOX */
	c.url = srv.imaps;
	assert_int_equal(imap_unseen(&c, &validity, uids, 8, &n, why, sizeof why), 0);
	assert_int_equal(n, NMSG - 1);
}

/* Refused from the configuration alone: no connection is tried (the
 * addresses are TEST-NET, where a connection would hang until the
 * timeout). */
static void test_refused_before_connecting(void **state)
{
	(void)state;
	struct {
		const char *url;
		const char *user;
		bool plain_ok;
		const char *why;
	} cases[] = {
	    {"imap://192.0.2.1:143/INBOX", USER, true, "only for a server on this host"},
	    {"imap://mail.example.go.id/INBOX", USER, true, "only for a server on this host"},
	    {"imaps://sigap-intake:rahasia-di-url@192.0.2.1/INBOX", USER, false,
	     "never in the URL"},
	    {"imaps://sigap-intake@192.0.2.1/INBOX", USER, false, "never in the URL"},
	    {"https://192.0.2.1/INBOX", USER, false, "must be imaps:// or imap://"},
	    {"pop3s://192.0.2.1/INBOX", USER, false, "must be imaps:// or imap://"},
	    {"imaps://192.0.2.1/INBOX;UID=3", USER, false, "without ';' parameters"},
	    {"imaps://192.0.2.1/INBOX?ALL", USER, false, "a mailbox only"},
	    {"imaps://192.0.2.1/Kotak%0AMasuk", USER, false, "a name in printable ASCII"},
	    {"imaps://192.0.2.1/INBOX", NULL, false, "no user"},
	    {"", USER, false, "no mailbox URL"},
	    {"bukan url sama sekali", USER, false, "not a URL"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		imap_conf c = {
		    cases[i].url, cases[i].user, "rahasia-di-conf", NULL, 30, cases[i].plain_ok, 0};
		uint32_t uids[4], validity;
		size_t n;
		char why[600] = "";
		double t0 = now_s();
		assert_int_equal(imap_unseen(&c, &validity, uids, 4, &n, why, sizeof why), -1);
		assert_true(now_s() - t0 < 1.0);
		if (strstr(why, cases[i].why) == NULL)
			fail_msg("%s: %s", cases[i].url, why);
		assert_null(strstr(why, "rahasia"));
	}
}

/* ---- against a hostile server ---------------------------------------- */

typedef void (*answer_fn)(int fd, const char *tag, const char *cmd);

static void say(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t k = send(fd, s, n, MSG_NOSIGNAL);
		if (k <= 0)
			return;
		s += k;
		n -= (size_t)k;
	}
}

static void sayf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sayf(int fd, const char *fmt, ...)
{
	buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	say(fd, b.data, b.len);
	buf_free(&b);
}

/* One connection: greeting, CAPABILITY and LOGIN as any server, the
 * mailbox with UIDVALIDITY 7, then answer() for every UID command. */
static void serve(int fd, answer_fn answer, bool no_validity)
{
	sayf(fd, "* OK fake IMAP ready\r\n");
	char line[4096];
	size_t n = 0;
	for (;;) {
		char ch;
		if (recv(fd, &ch, 1, 0) != 1)
			return;
		if (ch != '\n') {
			if (n < sizeof line - 1)
				line[n++] = ch;
			continue;
		}
		if (n && line[n - 1] == '\r')
			n--;
		line[n] = '\0';
		n = 0;
		char tag[32] = "", word[32] = "";
		if (sscanf(line, "%31s %31s", tag, word) != 2)
			continue;
		const char *rest = line + strlen(tag) + 1;
		if (strcasecmp(word, "CAPABILITY") == 0)
			sayf(fd, "* CAPABILITY IMAP4rev1\r\n%s OK done\r\n", tag);
		else if (strcasecmp(word, "LOGIN") == 0)
			sayf(fd, "%s OK logged in\r\n", tag);
		else if (strcasecmp(word, "EXAMINE") == 0 || strcasecmp(word, "SELECT") == 0)
			sayf(fd, "* 3 EXISTS\r\n%s%s OK done\r\n",
			     no_validity ? "" : "* OK [UIDVALIDITY 7] UIDs valid\r\n", tag);
		else if (strcasecmp(word, "LOGOUT") == 0) {
			sayf(fd, "* BYE\r\n%s OK bye\r\n", tag);
			return;
		} else
			answer(fd, tag, rest);
	}
}

/* A server on 127.0.0.1 in a child process: its port; *pid to end it. */
static int hostile(answer_fn answer, bool no_validity, pid_t *pid)
{
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(ls >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(ls, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(ls, 8), 0);
	socklen_t al = sizeof a;
	assert_int_equal(getsockname(ls, (struct sockaddr *)&a, &al), 0);
	*pid = fork();
	assert_true(*pid >= 0);
	if (*pid == 0) {
		for (;;) {
			int fd = accept(ls, NULL, NULL);
			if (fd < 0)
				_exit(0);
			serve(fd, answer, no_validity);
			close(fd);
		}
	}
	close(ls);
	return ntohs(a.sin_port);
}

static void end_hostile(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static imap_conf hostile_conf(int port, long timeout)
{
	static char url[64];
	snprintf(url, sizeof url, "imap://127.0.0.1:%d/INBOX", port);
	return (imap_conf){url, "u", "p", NULL, timeout, true, 0};
}

static void ans_search_garbage(int fd, const char *tag, const char *cmd)
{
	(void)cmd;
	sayf(fd, "* SEARCH 1 2 x3\r\n%s OK done\r\n", tag);
}

static void ans_search_huge(int fd, const char *tag, const char *cmd)
{
	(void)cmd;
	static char chunk[65536];
	for (size_t i = 0; i + 2 <= sizeof chunk; i += 2)
		memcpy(chunk + i, " 1", 2);
	say(fd, "* SEARCH", 8);
	for (int i = 0; i < 32; i++) /* 2 MiB */
		say(fd, chunk, sizeof chunk);
	sayf(fd, "\r\n%s OK done\r\n", tag);
}

static void ans_search_unsorted(int fd, const char *tag, const char *cmd)
{
	(void)cmd;
	sayf(fd, "* SEARCH 9 4294967295 3 9 5\r\n* 4 EXISTS\r\n%s OK done\r\n", tag);
}

static void ans_search_overflow(int fd, const char *tag, const char *cmd)
{
	(void)cmd;
	sayf(fd, "* SEARCH 3 4294967296\r\n%s OK done\r\n", tag);
}

static void ans_silent(int fd, const char *tag, const char *cmd)
{
	(void)fd;
	(void)tag;
	(void)cmd;
}

static void ans_nul(int fd, const char *tag, const char *cmd)
{
	(void)cmd;
	say(fd, "* SEARCH 1\0 2\r\n", 15);
	sayf(fd, "%s OK done\r\n", tag);
}

/* RFC822.SIZE small, BODY[] a literal announced as 900 MB (never sent). */
static void ans_huge_literal(int fd, const char *tag, const char *cmd)
{
	if (strstr(cmd, "RFC822.SIZE"))
		sayf(fd, "* 1 FETCH (UID 1 RFC822.SIZE 10)\r\n%s OK done\r\n", tag);
	else
		sayf(fd, "* 1 FETCH (UID 1 BODY[] {900000000}\r\nabc");
}

/* RFC822.SIZE told as 10, the message 5000 bytes. */
static void ans_size_lie(int fd, const char *tag, const char *cmd)
{
	if (strstr(cmd, "RFC822.SIZE")) {
		sayf(fd, "* 1 FETCH (UID 1 RFC822.SIZE 10)\r\n%s OK done\r\n", tag);
		return;
	}
	sayf(fd, "* 1 FETCH (UID 1 BODY[] {5000}\r\n");
	char body[5000];
	memset(body, 'x', sizeof body);
	say(fd, body, sizeof body);
	sayf(fd, ")\r\n%s OK done\r\n", tag);
}

/* Another message's FETCH first (with a literal), unsolicited flags, then
 * ours with the UID after the body and a literal in the middle of it. */
static void ans_interleaved(int fd, const char *tag, const char *cmd)
{
	if (strstr(cmd, "RFC822.SIZE")) {
		sayf(fd,
		     "* 2 FETCH (FLAGS (\\Seen))\r\n* 1 FETCH (UID 1 RFC822.SIZE 13)\r\n"
		     "%s OK done\r\n",
		     tag);
		return;
	}
	sayf(fd,
	     "* 2 FETCH (UID 2 BODY[] {6}\r\nbukan!)\r\n"
	     "* 1 FETCH (BODY[] {13}\r\n* BYE\r\nsg9 OK UID 1 FLAGS (\\Seen))\r\n"
	     "* 3 FETCH (UID 3 BODY[HEADER.FIELDS (FROM)] {4}\r\nab\r\n)\r\n"
	     "%s OK done\r\n",
	     tag);
}

static void ans_deep(int fd, const char *tag, const char *cmd)
{
	(void)cmd;
	buf b = BUF_INIT;
	buf_puts(&b, "* 1 FETCH (UID 1 X ");
	for (int i = 0; i < 100000; i++)
		buf_putc(&b, '(');
	buf_puts(&b, "\r\n");
	buf_printf(&b, "%s OK done\r\n", tag);
	say(fd, b.data, b.len);
	buf_free(&b);
}

static void ans_quoted_body(int fd, const char *tag, const char *cmd)
{
	if (strstr(cmd, "RFC822.SIZE"))
		sayf(fd, "* 1 FETCH (UID 1 RFC822.SIZE 3)\r\n%s OK done\r\n", tag);
	else
		sayf(fd, "* 1 FETCH (UID 1 BODY[] \"a \\\"q\\\" \\\\\")\r\n%s OK done\r\n", tag);
}

static void ans_many_literals(int fd, const char *tag, const char *cmd)
{
	(void)cmd;
	buf b = BUF_INIT;
	buf_puts(&b, "* 1 FETCH (UID 1 X (");
	for (int i = 0; i < 50; i++)
		buf_puts(&b, " {1}\r\nz");
	buf_printf(&b, "))\r\n%s OK done\r\n", tag);
	say(fd, b.data, b.len);
	buf_free(&b);
}

static void ans_store_ignored(int fd, const char *tag, const char *cmd)
{
	if (strstr(cmd, "(FLAGS)"))
		sayf(fd, "* 1 FETCH (UID 1 FLAGS (\\Answered))\r\n%s OK done\r\n", tag);
	else
		sayf(fd, "%s OK done\r\n", tag);
}

static void ans_refuse(int fd, const char *tag, const char *cmd)
{
	(void)cmd;
	sayf(fd, "%s NO [SERVERBUG] \x01\xff internal error\r\n", tag);
}

static void expect_unseen_fail(answer_fn f, bool no_validity, long timeout, const char *want)
{
	pid_t pid;
	int port = hostile(f, no_validity, &pid);
	imap_conf c = hostile_conf(port, timeout);
	uint32_t uids[4], validity;
	size_t n;
	char why[600] = "";
	int rc = imap_unseen(&c, &validity, uids, 4, &n, why, sizeof why);
	end_hostile(pid);
	assert_int_equal(rc, -1);
	assert_int_equal(n, 0);
	if (strstr(why, want) == NULL)
		fail_msg("want '%s', got: %s", want, why);
}

static void test_hostile_lists(void **state)
{
	(void)state;
	expect_unseen_fail(ans_search_garbage, false, 5, "answer to UID SEARCH out of form");
	expect_unseen_fail(ans_search_overflow, false, 5, "answer to UID SEARCH out of form");
	expect_unseen_fail(ans_search_huge, false, 5, "an answer longer than 1048576 bytes");
	expect_unseen_fail(ans_search_garbage, true, 5, "told no UIDVALIDITY");
	expect_unseen_fail(ans_nul, false, 5, "a NUL byte");
	expect_unseen_fail(ans_refuse, false, 5,
	                   "refused UID SEARCH UNSEEN: NO [SERVERBUG] ?? internal");
	double t0 = now_s();
	expect_unseen_fail(ans_silent, false, 1, "no answer within 1 s ([intake] timeout)");
	double took = now_s() - t0;
	print_message("# silent server given up after %.2f s\n", took);
	assert_true(took >= 0.9 && took < 5);

	/* unsorted, repeated: ascending, once each, the lowest max */
	pid_t pid;
	int port = hostile(ans_search_unsorted, false, &pid);
	imap_conf c = hostile_conf(port, 5);
	uint32_t uids[3], validity;
	size_t n;
	char why[600] = "";
	int rc = imap_unseen(&c, &validity, uids, 3, &n, why, sizeof why);
	end_hostile(pid);
	if (rc != 0)
		fail_msg("%s", why);
	assert_int_equal(validity, 7);
	assert_int_equal(n, 3);
	assert_int_equal(uids[0], 3);
	assert_int_equal(uids[1], 5);
	assert_int_equal(uids[2], 9);
}

static int fetch_from(answer_fn f, size_t max, buf *out, int64_t *size, char *why, size_t n)
{
	pid_t pid;
	int port = hostile(f, false, &pid);
	imap_conf c = hostile_conf(port, 5);
	int rc = imap_fetch(&c, 1, max, out, size, why, n);
	end_hostile(pid);
	return rc;
}

static void test_hostile_fetch(void **state)
{
	(void)state;
	buf out = BUF_INIT;
	int64_t size;
	char why[600];

	/* a literal larger than max: refused when announced, nothing kept */
	assert_int_equal(fetch_from(ans_huge_literal, 1000, &out, &size, why, sizeof why), -1);
	assert_int_equal(size, 900000000);
	assert_int_equal(out.len, 0);
	assert_true(out.cap < 100000);
	assert_non_null(strstr(why, "900000000 bytes, more than the 1000 allowed"));

	/* told 10 bytes, sent 5000 */
	assert_int_equal(fetch_from(ans_size_lie, 1000, &out, &size, why, sizeof why), -1);
	assert_int_equal(size, 5000);
	assert_int_equal(out.len, 0);
	/* and with room for it: the message is what was sent */
	assert_int_equal(fetch_from(ans_size_lie, 8000, &out, &size, why, sizeof why), 0);
	assert_int_equal(out.len, 5000);
	assert_int_equal(size, 5000);

	/* the message among other answers, with server-like lines inside */
	if (fetch_from(ans_interleaved, 1000, &out, &size, why, sizeof why) != 0)
		fail_msg("%s", why);
	assert_int_equal(out.len, 13);
	assert_memory_equal(out.data, "* BYE\r\nsg9 OK", 13);

	/* a quoted string as the body */
	if (fetch_from(ans_quoted_body, 1000, &out, &size, why, sizeof why) != 0)
		fail_msg("%s", why);
	assert_string_equal(buf_str(&out), "a \"q\" \\");
	assert_int_equal(fetch_from(ans_quoted_body, 5, &out, &size, why, sizeof why), -1);
	assert_int_equal(size, 7);

	/* deep lists, too many literals */
	assert_int_equal(fetch_from(ans_deep, 1000, &out, &size, why, sizeof why), -1);
	assert_non_null(strstr(why, "out of form"));
	assert_int_equal(fetch_from(ans_many_literals, 1000, &out, &size, why, sizeof why), -1);
	assert_non_null(strstr(why, "literals in one answer"));
	buf_free(&out);

	/* a server that does not keep \Seen */
	pid_t pid;
	int port = hostile(ans_store_ignored, false, &pid);
	imap_conf c = hostile_conf(port, 5);
	int rc = imap_mark_seen(&c, 1, false, why, sizeof why);
	end_hostile(pid);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(why, "without \\Seen"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unseen),
	    cmocka_unit_test(test_fetch_exact),
	    cmocka_unit_test(test_fetch_too_large),
	    cmocka_unit_test(test_mark_seen),
	    cmocka_unit_test(test_starttls),
	    cmocka_unit_test(test_wrong_password),
	    cmocka_unit_test(test_wrong_ca),
	    cmocka_unit_test(test_no_mailbox),
	    cmocka_unit_test(test_refused_before_connecting),
	    cmocka_unit_test(test_hostile_lists),
	    cmocka_unit_test(test_hostile_fetch),
	};
	return cmocka_run_group_tests(tests, start, stop);
}
