/*
 * imap.c: a small IMAP client for the mailbox of reports (see imap.h).
 *
 * libcurl does the connection: TCP, TLS (implicit, or STARTTLS which it
 * requires), the certificate's verification and the login (SASL PLAIN or
 * LOGIN, whichever the server offers). It is asked for no more than that
 * (CURLOPT_CONNECT_ONLY): the few commands after the login are written
 * here, on the connection libcurl opened, through curl_easy_send and
 * curl_easy_recv. libcurl's own IMAP requests do not fit: fetching a
 * message by URL sends UID FETCH BODY[] on a mailbox it SELECTs, which
 * marks the message \Seen as it is read (a message whose case was then
 * not written would be lost to the next poll), and the answer to a
 * CUSTOMREQUEST is cut into lines with no regard to literals (a message's
 * line that starts with "* " or with the command's tag would be read as
 * the server's). Here a command's answer is read as RFC 3501 writes it:
 * lines, each of which may end in a literal {N} followed by N bytes.
 *
 * One call is one connection: log in, EXAMINE (read-only: reading marks
 * nothing) or SELECT the mailbox, one or two commands, LOGOUT. The
 * mailbox's UIDVALIDITY comes from the EXAMINE or SELECT of the same
 * connection, so it belongs to the UIDs read there.
 *
 * The server is not trusted to be well-formed: every answer line is at
 * most ANSWER_MAX bytes (the literals of a message apart), a literal is
 * kept only when it is the message asked for and within the caller's
 * max, every number is range-checked, nesting is bounded, and every
 * command has timeout seconds from when it is sent until its tagged
 * answer. After an error the connection is closed without LOGOUT (the
 * stream may be out of step). Errors are a sentence naming the server;
 * the password never appears in one (libcurl sends it; it is in no URL:
 * a URL with a user or password is refused).
 */
#include "imap.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum {
	ANSWER_MAX = 1024 * 1024, /* bytes of one answer, literals apart */
	LITS_MAX = 8,             /* literals in one answer */
	DEPTH_MAX = 16,           /* lists in lists */
	MAILBOX_MAX = 200,        /* bytes of the mailbox's name */
	SHOWN_MAX = 200,          /* bytes of the server's text in a message */
};

typedef struct literal {
	size_t at;  /* offset in the text just after its "{N}" */
	size_t off; /* where it is in the sink; SIZE_MAX: dropped */
	uint64_t len;
} literal;

/* One answer: its lines joined, without CRLF, each literal's "{N}" left
 * in the text and its bytes in the sink (when there is one) or dropped. */
typedef struct response {
	buf text;
	literal lits[LITS_MAX];
	size_t nlits;
	buf *sink;         /* NULL: literals are read and dropped */
	size_t sink_start; /* the sink's length when this answer began */
	size_t sink_max;   /* bytes of literals the sink may hold */
	uint64_t too_long; /* a literal larger than the sink could take */
} response;

typedef struct session {
	CURL *h;
	curl_socket_t fd;
	long timeout;
	int64_t deadline; /* ms, CLOCK_MONOTONIC: the running command's end */
	unsigned tag;
	char tagstr[16];
	char in[16384]; /* bytes received, in[off..len) not yet read */
	size_t off, len;
	char where[300];                     /* imaps://host:port, for messages */
	char mailbox[MAILBOX_MAX + 1];       /* its name */
	char mailbox_q[2 * MAILBOX_MAX + 3]; /* as an IMAP quoted string */
	char *why;
	size_t why_n;
	bool broken;  /* the stream is out of step: no LOGOUT */
	bool closing; /* LOGOUT sent: its BYE is expected */
} session;

/* ---- messages ------------------------------------------------------ */

/* why = "WHERE: text" (the server's URL first); -1. */
static int fail(session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(session *s, const char *fmt, ...)
{
	char text[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	snprintf(s->why, s->why_n, "%s: %s", s->where, text);
	return -1;
}

/* At most SHOWN_MAX bytes of the server's text, printable ASCII only
 * (anything else as '?'), for a message. */
static const char *shown(const char *t, char out[SHOWN_MAX + 1])
{
	size_t i = 0;
	for (; t[i] && i < SHOWN_MAX; i++)
		out[i] = t[i] >= 0x20 && t[i] < 0x7f ? t[i] : '?';
	out[i] = '\0';
	return out;
}

/* ---- the URL and the connection ------------------------------------- */

static bool local_host(const char *h)
{
	if (strcasecmp(h, "localhost") == 0 || strcmp(h, "[::1]") == 0 || strcmp(h, "::1") == 0)
		return true;
	struct in_addr a;
	return inet_pton(AF_INET, h, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

static const char BAD_MAILBOX[] = "the mailbox in [intake] url must be a name in printable ASCII, "
                                  "without ';' parameters, such as "
                                  "imaps://mail.example.go.id/INBOX";

/* The mailbox named by the URL's path ("/INBOX"; none: INBOX), checked
 * and quoted. */
static int mailbox_of(session *s, const char *path)
{
	while (*path == '/')
		path++;
	size_t n = strlen(path);
	while (n > 0 && path[n - 1] == '/')
		n--;
	if (n == 0) {
		path = "INBOX";
		n = 5;
	}
	if (n > MAILBOX_MAX) {
		snprintf(s->why, s->why_n,
		         "the mailbox's name in [intake] url is longer than %d bytes", MAILBOX_MAX);
		return -1;
	}
	char *q = s->mailbox_q;
	*q++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)path[i];
		if (ch < 0x20 || ch >= 0x7f || ch == ';') {
			snprintf(s->why, s->why_n, "%s", BAD_MAILBOX);
			return -1;
		}
		if (ch == '"' || ch == '\\')
			*q++ = '\\';
		*q++ = (char)ch;
	}
	*q++ = '"';
	*q = '\0';
	memcpy(s->mailbox, path, n);
	s->mailbox[n] = '\0';
	return 0;
}

/* Checks c->url; fills s->where and s->mailbox; *base: the URL libcurl
 * connects to (scheme://host:port/, curl_free it). */
static int parse_url(session *s, const imap_conf *c, char **base)
{
	*base = NULL;
	if (c->url == NULL || c->url[0] == '\0') {
		snprintf(s->why, s->why_n, "no mailbox URL ([intake] url)");
		return -1;
	}
	bool secret = strchr(c->url, '@') != NULL; /* may hold a password: never shown */
	CURLU *u = curl_url();
	if (u == NULL) {
		snprintf(s->why, s->why_n, "out of memory");
		return -1;
	}
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *part = NULL;
	int rc = -1;
	if (curl_url_set(u, CURLUPART_URL, c->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		if (secret)
			snprintf(s->why, s->why_n, "[intake] url is not a URL");
		else
			snprintf(s->why, s->why_n, "[intake] url '%s' is not a URL", c->url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &part, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &part, 0) == CURLUE_OK) {
		snprintf(s->why, s->why_n,
		         "[intake] url holds a user or password: give them as [intake] user and "
		         "password, never in the URL");
		goto out;
	}
	if (strcmp(scheme, "imaps") != 0 && strcmp(scheme, "imap") != 0) {
		snprintf(s->why, s->why_n, "[intake] url must be imaps:// or imap://, not %s://",
		         scheme);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_QUERY, &part, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &part, 0) == CURLUE_OK) {
		snprintf(s->why, s->why_n,
		         "[intake] url must name a mailbox only, such as "
		         "imaps://mail.example.go.id/INBOX");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		snprintf(s->why, s->why_n, "[intake] url names no port");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) != CURLUE_OK) {
		/* libcurl decodes no control character */
		snprintf(s->why, s->why_n, "%s", BAD_MAILBOX);
		goto out;
	}
	snprintf(s->where, sizeof s->where, "%s://%s:%s", scheme, host, port);
	if (mailbox_of(s, path) != 0)
		goto out;
	if (strcmp(scheme, "imap") == 0 && c->plain_ok && !local_host(host)) {
		snprintf(s->why, s->why_n,
		         "%s: IMAP without TLS ([intake] tls = none) is only for a server on this "
		         "host, and %s is not: use imaps:// or imap:// with STARTTLS",
		         s->where, host);
		goto out;
	}
	if (curl_url_set(u, CURLUPART_PATH, "/", 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, base, 0) != CURLUE_OK) {
		snprintf(s->why, s->why_n, "out of memory");
		goto out;
	}
	rc = 0;
out:
	curl_free(part);
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

static size_t drop(char *p, size_t size, size_t nmemb, void *user)
{
	(void)p;
	(void)user;
	return size * nmemb;
}

/* Connected and logged in, or -1 with why. */
static int session_open(session *s, const imap_conf *c, char *why, size_t why_n)
{
	memset(s, 0, sizeof *s);
	s->fd = CURL_SOCKET_BAD;
	s->why = why;
	s->why_n = why_n;
	s->timeout = c->timeout > 0 ? c->timeout : 60;
	if (why_n)
		why[0] = '\0';
	char *base = NULL;
	if (parse_url(s, c, &base) != 0)
		return -1;
	if (c->user == NULL || c->user[0] == '\0') {
		curl_free(base);
		snprintf(why, why_n, "%s: no user to log in as ([intake] user)", s->where);
		return -1;
	}
	s->h = curl_easy_init();
	if (s->h == NULL) {
		curl_free(base);
		snprintf(why, why_n, "%s: cannot start a connection (out of memory)", s->where);
		return -1;
	}
	char err[CURL_ERROR_SIZE] = "";
	bool plain = c->plain_ok && strncmp(s->where, "imap:", 5) == 0;
	curl_easy_setopt(s->h, CURLOPT_URL, base);
	curl_easy_setopt(s->h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(s->h, CURLOPT_USE_SSL,
	                 plain ? (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
	curl_easy_setopt(s->h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(s->h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->ca_file)
		curl_easy_setopt(s->h, CURLOPT_CAINFO, c->ca_file);
	curl_easy_setopt(s->h, CURLOPT_USERNAME, c->user);
	curl_easy_setopt(s->h, CURLOPT_PASSWORD, c->password ? c->password : "");
	curl_easy_setopt(s->h, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(s->h, CURLOPT_TIMEOUT, s->timeout);
	curl_easy_setopt(s->h, CURLOPT_CONNECTTIMEOUT, s->timeout < 10 ? s->timeout : 10L);
	curl_easy_setopt(s->h, CURLOPT_SERVER_RESPONSE_TIMEOUT, s->timeout);
	curl_easy_setopt(s->h, CURLOPT_WRITEFUNCTION, drop);
	curl_easy_setopt(s->h, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(s->h, CURLOPT_NOSIGNAL, 1L);
	CURLcode rc = curl_easy_perform(s->h);
	curl_free(base);
	curl_easy_setopt(s->h, CURLOPT_ERRORBUFFER, NULL);
	const char *detail = err[0] ? err : curl_easy_strerror(rc);
	char user[SHOWN_MAX + 1];
	switch (rc) {
	case CURLE_OK: break;
	case CURLE_LOGIN_DENIED:
		fail(s,
		     "the server refused the login of user '%s': check [intake] user and password",
		     shown(c->user, user));
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		fail(s, "the server's TLS certificate is not trusted (%s)%s", detail,
		     c->ca_file ? ": is [intake] ca_file its CA?"
		                : ": if its CA is a private one, name it in [intake] ca_file");
		break;
	case CURLE_SSL_CACERT_BADFILE:
		fail(s, "cannot use the CA file '%s' ([intake] ca_file): %s",
		     c->ca_file ? c->ca_file : "", detail);
		break;
	case CURLE_USE_SSL_FAILED:
		fail(s,
		     "the server offers no STARTTLS: use imaps://, or tls = none for a server on "
		     "this host");
		break;
	case CURLE_OPERATION_TIMEDOUT:
		/* an imap:// URL on a port that speaks TLS at once waits for a
		 * greeting that never comes */
		fail(s, "no answer within %ld s ([intake] timeout)%s", s->timeout,
		     strncmp(c->url, "imap://", 7) == 0
		         ? ": if the port is the imaps one (993), write imaps:// in [intake] url"
		         : "");
		break;
	case CURLE_SSL_CONNECT_ERROR:
		fail(s, "%s%s", detail,
		     strncmp(c->url, "imaps://", 8) == 0 && strstr(detail, "wrong version")
		         ? ": the port does not speak TLS at once; for port 143 write imap:// "
		           "(STARTTLS) in [intake] url"
		         : "");
		break;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
		fail(s, "%s: check the host and port of [intake] url", detail);
		break;
	default: fail(s, "%s", detail); break;
	}
	if (rc != CURLE_OK)
		return -1;
	curl_socket_t fd = CURL_SOCKET_BAD;
	if (curl_easy_getinfo(s->h, CURLINFO_ACTIVESOCKET, &fd) != CURLE_OK ||
	    fd == CURL_SOCKET_BAD)
		return fail(s, "the connection was lost after the login");
	s->fd = fd;
	return 0;
}

/* ---- bytes in and out ------------------------------------------------ */

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Waits until the socket is ready for events, within the deadline. */
static int wait_for(session *s, short events)
{
	for (;;) {
		int64_t left = s->deadline - now_ms();
		if (left <= 0)
			return fail(s, "no answer within %ld s ([intake] timeout)", s->timeout);
		struct pollfd p = {.fd = s->fd, .events = events};
		int k = poll(&p, 1, left > 1000 ? 1000 : (int)left);
		if (k > 0)
			return 0;
		if (k < 0 && errno != EINTR)
			return fail(s, "waiting for the server: %s", strerror(errno));
	}
}

static int send_all(session *s, const char *p, size_t n)
{
	while (n > 0) {
		size_t k = 0;
		CURLcode rc = curl_easy_send(s->h, p, n, &k);
		if (rc == CURLE_OK) {
			p += k;
			n -= k;
		} else if (rc != CURLE_AGAIN) {
			return fail(s, "cannot send to the server: %s", curl_easy_strerror(rc));
		} else if (wait_for(s, POLLOUT) != 0) {
			return -1;
		}
	}
	return 0;
}

/* More bytes into s->in (which has been read whole). libcurl's TLS may
 * hold bytes the socket no longer shows: it is read until it has none
 * (CURLE_AGAIN) before the socket is waited for. */
static int fill(session *s)
{
	s->off = s->len = 0;
	for (;;) {
		size_t k = 0;
		CURLcode rc = curl_easy_recv(s->h, s->in, sizeof s->in, &k);
		if (rc == CURLE_OK) {
			if (k == 0)
				return fail(s, "the server closed the connection");
			s->len = k;
			return 0;
		}
		if (rc != CURLE_AGAIN)
			return fail(s, "reading the server's answer: %s", curl_easy_strerror(rc));
		if (wait_for(s, POLLIN) != 0)
			return -1;
	}
}

/* One line into r->text, without its CRLF. */
static int read_line(session *s, response *r)
{
	for (;;) {
		if (s->off == s->len && fill(s) != 0)
			return -1;
		const char *p = s->in + s->off;
		size_t avail = s->len - s->off;
		const char *nl = memchr(p, '\n', avail);
		size_t k = nl ? (size_t)(nl - p) : avail;
		if (k > ANSWER_MAX - r->text.len)
			return fail(s, "an answer longer than %d bytes", ANSWER_MAX);
		if (memchr(p, '\0', k))
			return fail(s, "a NUL byte in an answer");
		buf_append(&r->text, p, k);
		s->off += k + (nl != NULL);
		if (nl) {
			if (r->text.len > 0 && r->text.data[r->text.len - 1] == '\r')
				r->text.data[--r->text.len] = '\0';
			return 0;
		}
	}
}

/* Whether the text from line on ends in a literal "{N}": *n. */
static bool literal_at_end(const buf *t, size_t line, uint64_t *n)
{
	if (t->len < line + 3 || t->data[t->len - 1] != '}')
		return false;
	size_t i = t->len - 1, digits = 0;
	while (i > line && t->data[i - 1] >= '0' && t->data[i - 1] <= '9') {
		i--;
		digits++;
	}
	if (digits == 0 || digits > 12 || i == line || t->data[i - 1] != '{')
		return false;
	uint64_t v = 0;
	for (size_t j = i; j < t->len - 1; j++)
		v = v * 10 + (uint64_t)(t->data[j] - '0');
	*n = v;
	return true;
}

/* n bytes of a literal, appended to sink (NULL: dropped). */
static int read_bytes(session *s, buf *sink, uint64_t n)
{
	while (n > 0) {
		if (s->off == s->len && fill(s) != 0)
			return -1;
		size_t k = s->len - s->off;
		if (k > n)
			k = (size_t)n;
		if (sink)
			buf_append(sink, s->in + s->off, k);
		s->off += k;
		n -= k;
	}
	return 0;
}

/* One answer: a line, and when it ends in a literal, the literal and the
 * line that goes on after it, and so on. -2: a literal larger than the
 * sink may take (r->too_long). */
static int read_response(session *s, response *r)
{
	buf_reset(&r->text);
	r->nlits = 0;
	r->too_long = 0;
	r->sink_start = r->sink ? r->sink->len : 0;
	uint64_t kept = 0;
	for (;;) {
		size_t line = r->text.len;
		if (read_line(s, r) != 0)
			return -1;
		uint64_t n;
		if (!literal_at_end(&r->text, line, &n))
			return 0;
		if (r->nlits == LITS_MAX)
			return fail(s, "more than %d literals in one answer", LITS_MAX);
		literal *l = &r->lits[r->nlits++];
		l->at = r->text.len;
		l->len = n;
		l->off = SIZE_MAX;
		if (r->sink) {
			if (n > r->sink_max - kept) {
				r->too_long = n;
				fail(s, "an answer of %" PRIu64 " bytes, more than the %zu allowed",
				     n, r->sink_max);
				return -2;
			}
			l->off = r->sink->len;
			buf_reserve(r->sink, (size_t)n);
			kept += n;
		}
		if (read_bytes(s, r->sink, n) != 0)
			return -1;
	}
}

/* ---- commands -------------------------------------------------------- */

typedef int (*on_untagged)(session *s, response *r, void *ctx);

/* Sends one command (cmd: without its tag) and reads the answers until
 * its tagged one, handing each untagged one to f. 0 when it is OK. */
static int command(session *s, response *r, on_untagged f, void *ctx, const char *cmd)
{
	char line[512];
	snprintf(s->tagstr, sizeof s->tagstr, "sg%u", ++s->tag);
	int k = snprintf(line, sizeof line, "%s %s\r\n", s->tagstr, cmd);
	if (k < 0 || (size_t)k >= sizeof line)
		return fail(s, "a command too long");
	s->deadline = now_ms() + (int64_t)s->timeout * 1000;
	/* any failure but the server's NO or BAD leaves the stream out of step */
	s->broken = true;
	if (send_all(s, line, (size_t)k) != 0)
		return -1;
	size_t tl = strlen(s->tagstr);
	char seen[SHOWN_MAX + 1];
	for (;;) {
		int rc = read_response(s, r);
		if (rc != 0)
			return rc;
		const char *t = buf_str(&r->text);
		if (strncmp(t, s->tagstr, tl) == 0 && t[tl] == ' ') {
			s->broken = false;
			t += tl + 1;
			if (strncasecmp(t, "OK", 2) == 0 && (t[2] == ' ' || t[2] == '\0'))
				return 0;
			return fail(s, "the server refused %s: %s", cmd, shown(t, seen));
		}
		if (t[0] == '*' && t[1] == ' ') {
			if (strncasecmp(t + 2, "BYE", 3) == 0 && (t[5] == ' ' || t[5] == '\0') &&
			    !s->closing)
				return fail(s, "the server ended the session: %s",
				            shown(t + 2, seen));
			if (f && f(s, r, ctx) != 0)
				return -1;
			continue;
		}
		return fail(s, "an answer out of step with %s: %s", cmd, shown(t, seen));
	}
}

/* Digits at p (at most 20, no overflow): *v and *end; false when none. */
static bool number(const char *p, const char **end, uint64_t *v)
{
	uint64_t x = 0;
	const char *q = p;
	while (*q >= '0' && *q <= '9') {
		unsigned d = (unsigned)(*q - '0');
		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
		q++;
	}
	if (q == p)
		return false;
	*end = q;
	*v = x;
	return true;
}

/* "* OK [UIDVALIDITY n]" in the answer to EXAMINE or SELECT. */
static int on_select(session *s, response *r, void *ctx)
{
	uint32_t *validity = ctx;
	const char *t = buf_str(&r->text);
	if (strncasecmp(t, "* OK [UIDVALIDITY ", 18) != 0)
		return 0;
	uint64_t v;
	const char *e;
	if (!number(t + 18, &e, &v) || *e != ']' || v == 0 || v > UINT32_MAX)
		return fail(s, "a UIDVALIDITY out of form");
	*validity = (uint32_t)v;
	return 0;
}

/* EXAMINE (read-only) or SELECT the mailbox; checks its UIDVALIDITY
 * against c->uidvalidity. */
static int open_mailbox(session *s, response *r, const imap_conf *c, bool write, uint32_t *validity)
{
	char cmd[sizeof s->mailbox_q + 16];
	snprintf(cmd, sizeof cmd, "%s %s", write ? "SELECT" : "EXAMINE", s->mailbox_q);
	*validity = 0;
	if (command(s, r, on_select, validity, cmd) != 0)
		return -1;
	if (*validity == 0)
		return fail(s, "the server told no UIDVALIDITY of mailbox %s", s->mailbox_q);
	if (c->uidvalidity && *validity != c->uidvalidity)
		return fail(s,
		            "the UIDVALIDITY of mailbox %s is now %" PRIu32 ", not %" PRIu32
		            ": its UIDs name other messages; list them again",
		            s->mailbox_q, *validity, c->uidvalidity);
	return 0;
}

/* LOGOUT when the session is in step (its answer waited for at most 5 s,
 * a failure not told: the caller's why is kept), then the connection
 * closed. (libcurl sends no LOGOUT on a CONNECT_ONLY connection.) */
static void session_end(session *s)
{
	if (s->h == NULL)
		return;
	if (!s->broken && s->fd != CURL_SOCKET_BAD) {
		char ignored[64];
		response r = {.text = BUF_INIT};
		s->why = ignored;
		s->why_n = sizeof ignored;
		s->timeout = s->timeout < 5 ? s->timeout : 5;
		s->closing = true;
		command(s, &r, NULL, NULL, "LOGOUT");
		buf_free(&r.text);
	}
	curl_easy_cleanup(s->h);
	s->h = NULL;
}

/* ---- SEARCH ---------------------------------------------------------- */

typedef struct uid_list {
	uint32_t *v;
	size_t n, cap;
} uid_list;

/* "* SEARCH 3 7 9" (each a UID). */
static int on_search(session *s, response *r, void *ctx)
{
	uid_list *l = ctx;
	const char *t = buf_str(&r->text);
	if (strncasecmp(t, "* SEARCH", 8) != 0 || (t[8] != ' ' && t[8] != '\0'))
		return 0;
	if (r->nlits)
		return fail(s, "an answer to UID SEARCH out of form");
	const char *p = t + 8;
	while (*p == ' ') {
		p++;
		if (*p == '\0')
			break;
		uint64_t v;
		const char *e;
		if (!number(p, &e, &v) || v == 0 || v > UINT32_MAX || (*e != ' ' && *e != '\0'))
			return fail(s, "an answer to UID SEARCH out of form");
		if (l->n == l->cap) {
			/* at most ANSWER_MAX / 2 numbers fit in the answer's text */
			size_t cap = l->cap ? l->cap * 2 : 64;
			uint32_t *nv = realloc(l->v, cap * sizeof *nv);
			if (nv == NULL)
				return fail(s, "out of memory");
			l->v = nv;
			l->cap = cap;
		}
		l->v[l->n++] = (uint32_t)v;
		p = e;
	}
	if (*p != '\0')
		return fail(s, "an answer to UID SEARCH out of form");
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

int imap_unseen(const imap_conf *c, uint32_t *uidvalidity, uint32_t *uids, size_t max, size_t *n,
                char *why, size_t why_n)
{
	*n = 0;
	*uidvalidity = 0;
	session s;
	if (session_open(&s, c, why, why_n) != 0) {
		session_end(&s);
		return -1;
	}
	response r = {.text = BUF_INIT};
	uid_list l = {0};
	uint32_t validity;
	int rc = open_mailbox(&s, &r, c, false, &validity);
	if (rc == 0)
		rc = command(&s, &r, on_search, &l, "UID SEARCH UNSEEN") ? -1 : 0;
	session_end(&s);
	buf_free(&r.text);
	if (rc == 0) {
		if (l.n)
			qsort(l.v, l.n, sizeof *l.v, cmp_u32);
		size_t k = 0;
		for (size_t i = 0; i < l.n && k < max; i++)
			if (k == 0 || l.v[i] != uids[k - 1])
				uids[k++] = l.v[i];
		*n = k;
		*uidvalidity = validity;
	}
	free(l.v);
	return rc;
}

/* ---- FETCH ----------------------------------------------------------- */

/* What one FETCH answer ("* 4 FETCH (UID 9 RFC822.SIZE 120 ...)") holds. */
typedef struct fetched {
	bool fetch; /* it is a FETCH answer */
	bool has_uid, has_size, has_flags, seen;
	uint32_t uid;
	int64_t size;
	enum { BODY_NONE, BODY_LITERAL, BODY_QUOTED, BODY_NIL } body;
	size_t lit;        /* BODY_LITERAL: which literal */
	const char *q;     /* BODY_QUOTED: from the opening quote */
	const char *q_end; /* its closing quote */
} fetched;

typedef struct scan {
	const char *text; /* the answer's text, for the literals' offsets */
	const char *p;
	const response *r;
} scan;

/* A literal "{N}" at p whose bytes the answer holds: its index. */
static int scan_literal(scan *sc, size_t *which)
{
	const char *q = sc->p + 1;
	uint64_t v;
	const char *e;
	if (!number(q, &e, &v) || *e != '}')
		return -1;
	size_t at = (size_t)(e + 1 - sc->text);
	for (size_t i = 0; i < sc->r->nlits; i++)
		if (sc->r->lits[i].at == at && sc->r->lits[i].len == v) {
			*which = i;
			sc->p = e + 1;
			return 0;
		}
	return -1;
}

/* A quoted string at p: past its closing quote. */
static int scan_quoted(scan *sc)
{
	const char *q = sc->p + 1;
	for (; *q && *q != '"'; q++)
		if (*q == '\\' && *++q == '\0')
			return -1;
	if (*q != '"')
		return -1;
	sc->p = q + 1;
	return 0;
}

/* Any value: an atom or number, a quoted string, a literal, a list. */
static int scan_value(scan *sc, int depth)
{
	size_t lit;
	switch (*sc->p) {
	case '"': return scan_quoted(sc);
	case '{': return scan_literal(sc, &lit);
	case '(':
		if (depth >= DEPTH_MAX)
			return -1;
		sc->p++;
		for (;;) {
			while (*sc->p == ' ')
				sc->p++;
			if (*sc->p == ')') {
				sc->p++;
				return 0;
			}
			if (*sc->p == '\0' || scan_value(sc, depth + 1) != 0)
				return -1;
		}
	default: {
		const char *start = sc->p;
		while (*sc->p && *sc->p != ' ' && *sc->p != '(' && *sc->p != ')') {
			if (*sc->p == '[') { /* BODY[HEADER.FIELDS (A B)] */
				const char *close = strchr(sc->p, ']');
				if (close == NULL)
					return -1;
				sc->p = close;
			}
			sc->p++;
		}
		return sc->p > start ? 0 : -1;
	}
	}
}

/* FLAGS (...): whether \Seen is among them. */
static int scan_flags(scan *sc, bool *seen)
{
	if (*sc->p != '(')
		return -1;
	sc->p++;
	*seen = false;
	for (;;) {
		while (*sc->p == ' ')
			sc->p++;
		if (*sc->p == ')') {
			sc->p++;
			return 0;
		}
		const char *start = sc->p;
		if (scan_value(sc, DEPTH_MAX) != 0) /* flags are atoms: no lists */
			return -1;
		if (sc->p - start == 5 && strncasecmp(start, "\\Seen", 5) == 0)
			*seen = true;
	}
}

static bool item_is(const char *name, size_t n, const char *want)
{
	return n == strlen(want) && strncasecmp(name, want, n) == 0;
}

/* Reads a FETCH answer's items; f->fetch false when it is another
 * answer. -1: a FETCH answer out of form. */
static int parse_fetch(const response *r, fetched *f)
{
	memset(f, 0, sizeof *f);
	const char *t = buf_str(&r->text);
	scan sc = {.text = t, .p = t + 2, .r = r};
	uint64_t v;
	const char *e;
	if (!number(sc.p, &e, &v) || strncasecmp(e, " FETCH ", 7) != 0)
		return 0;
	f->fetch = true;
	sc.p = e + 7;
	if (*sc.p != '(')
		return -1;
	sc.p++;
	for (;;) {
		while (*sc.p == ' ')
			sc.p++;
		if (*sc.p == ')') {
			sc.p++;
			break;
		}
		const char *name = sc.p;
		while (*sc.p && *sc.p != ' ' && *sc.p != '(' && *sc.p != ')') {
			if (*sc.p == '[') {
				const char *close = strchr(sc.p, ']');
				if (close == NULL)
					return -1;
				sc.p = close;
			}
			sc.p++;
		}
		size_t n = (size_t)(sc.p - name);
		if (n == 0 || *sc.p != ' ')
			return -1;
		sc.p++;
		if (item_is(name, n, "UID")) {
			if (!number(sc.p, &e, &v) || v == 0 || v > UINT32_MAX)
				return -1;
			f->has_uid = true;
			f->uid = (uint32_t)v;
			sc.p = e;
		} else if (item_is(name, n, "RFC822.SIZE")) {
			if (!number(sc.p, &e, &v) || v > INT64_MAX)
				return -1;
			f->has_size = true;
			f->size = (int64_t)v;
			sc.p = e;
		} else if (item_is(name, n, "FLAGS")) {
			if (scan_flags(&sc, &f->seen) != 0)
				return -1;
			f->has_flags = true;
		} else if (item_is(name, n, "BODY[]")) {
			if (*sc.p == '{') {
				if (scan_literal(&sc, &f->lit) != 0)
					return -1;
				f->body = BODY_LITERAL;
			} else if (*sc.p == '"') {
				f->q = sc.p;
				if (scan_quoted(&sc) != 0)
					return -1;
				f->q_end = sc.p - 1;
				f->body = BODY_QUOTED;
			} else if (strncasecmp(sc.p, "NIL", 3) == 0) {
				sc.p += 3;
				f->body = BODY_NIL;
			} else {
				return -1;
			}
		} else if (scan_value(&sc, 0) != 0) {
			return -1;
		}
		if (*sc.p != ' ' && *sc.p != ')')
			return -1;
	}
	return *sc.p == '\0' ? 0 : -1;
}

typedef struct fetch_ctx {
	uint32_t uid;
	bool found;
	int64_t size;
	bool seen;
	buf *out;
	size_t max;
	uint64_t too_long; /* a quoted body over max */
} fetch_ctx;

/* The answer to UID FETCH n (RFC822.SIZE) or (FLAGS). */
static int on_fetch_meta(session *s, response *r, void *ctx)
{
	fetch_ctx *fc = ctx;
	fetched f;
	if (parse_fetch(r, &f) != 0)
		return fail(s, "a FETCH answer out of form");
	if (!f.fetch || !f.has_uid || f.uid != fc->uid)
		return 0; /* about another message */
	if (f.has_size) {
		fc->found = true;
		fc->size = f.size;
	}
	if (f.has_flags) {
		fc->found = true;
		fc->seen = f.seen;
	}
	return 0;
}

/* The answer to UID FETCH n (BODY.PEEK[]): the message is kept in out,
 * any other answer's literals dropped from it. */
static int on_fetch_body(session *s, response *r, void *ctx)
{
	fetch_ctx *fc = ctx;
	fetched f;
	if (parse_fetch(r, &f) != 0)
		return fail(s, "a FETCH answer out of form");
	bool ours = f.fetch && f.has_uid && f.uid == fc->uid && f.body != BODY_NONE && !fc->found;
	if (!ours) {
		if (r->sink) {
			r->sink->len = r->sink_start;
			if (r->sink->data)
				r->sink->data[r->sink->len] = '\0';
		}
		return 0;
	}
	buf *out = fc->out;
	if (f.body == BODY_NIL)
		return fail(s, "the server gave no content for message UID %" PRIu32, fc->uid);
	if (f.body == BODY_LITERAL) {
		const literal *l = &r->lits[f.lit];
		memmove(out->data, out->data + l->off, (size_t)l->len);
		out->len = (size_t)l->len;
		out->data[out->len] = '\0';
	} else { /* a quoted string, unescaped */
		buf_reset(out);
		size_t len = 0;
		for (const char *p = f.q + 1; p < f.q_end; p++, len++)
			p += *p == '\\';
		if (len > fc->max) {
			fc->too_long = len;
			return fail(s, "an answer of %zu bytes, more than the %zu allowed", len,
			            fc->max);
		}
		for (const char *p = f.q + 1; p < f.q_end; p++) {
			p += *p == '\\';
			buf_putc(out, *p);
		}
	}
	fc->found = true;
	r->sink = NULL; /* anything after it is dropped */
	return 0;
}

static int too_large(session *s, uint32_t uid, uint64_t size, size_t max)
{
	return fail(s,
	            "message UID %" PRIu32 " is %" PRIu64 " bytes, more than the %zu allowed "
	            "([intake] max_size)",
	            uid, size, max);
}

int imap_fetch(const imap_conf *c, uint32_t uid, size_t max, buf *out, int64_t *size, char *why,
               size_t why_n)
{
	*size = -1;
	buf_reset(out);
	session s;
	if (session_open(&s, c, why, why_n) != 0) {
		session_end(&s);
		return -1;
	}
	response r = {.text = BUF_INIT};
	fetch_ctx fc = {.uid = uid, .out = out, .max = max};
	char cmd[64];
	uint32_t validity;
	int rc = open_mailbox(&s, &r, c, false, &validity);
	if (rc == 0) {
		snprintf(cmd, sizeof cmd, "UID FETCH %" PRIu32 " (RFC822.SIZE)", uid);
		rc = command(&s, &r, on_fetch_meta, &fc, cmd) ? -1 : 0;
	}
	if (rc == 0 && !fc.found)
		rc = fail(&s, "no message with UID %" PRIu32 " in mailbox %s", uid, s.mailbox_q);
	if (rc == 0)
		*size = fc.size;
	if (rc == 0 && (uint64_t)fc.size > max) {
		rc = too_large(&s, uid, (uint64_t)fc.size, max);
	}
	if (rc == 0) {
		snprintf(cmd, sizeof cmd, "UID FETCH %" PRIu32 " (BODY.PEEK[])", uid);
		fc.found = false;
		r.sink = out;
		r.sink_max = max;
		int k = command(&s, &r, on_fetch_body, &fc, cmd);
		uint64_t over = r.too_long ? r.too_long : fc.too_long;
		if (over) { /* the size told was not the message's */
			*size = over > INT64_MAX ? INT64_MAX : (int64_t)over;
			too_large(&s, uid, over, max);
			rc = -1;
		} else if (k != 0) {
			rc = -1;
		} else if (!fc.found) {
			rc = fail(&s, "no message with UID %" PRIu32 " in mailbox %s", uid,
			          s.mailbox_q);
		}
	}
	session_end(&s);
	buf_free(&r.text);
	if (rc != 0)
		buf_reset(out);
	else
		*size = (int64_t)out->len;
	return rc;
}

/* ---- STORE ----------------------------------------------------------- */

int imap_mark_seen(const imap_conf *c, uint32_t uid, bool flag, char *why, size_t why_n)
{
	session s;
	if (session_open(&s, c, why, why_n) != 0) {
		session_end(&s);
		return -1;
	}
	response r = {.text = BUF_INIT};
	fetch_ctx fc = {.uid = uid};
	char cmd[64];
	uint32_t validity;
	int rc = open_mailbox(&s, &r, c, true, &validity);
	if (rc == 0) {
		snprintf(cmd, sizeof cmd, "UID STORE %" PRIu32 " +FLAGS.SILENT (%s)", uid,
			 flag ? "\\Seen \\Flagged" : "\\Seen");
		rc = command(&s, &r, on_fetch_meta, &fc, cmd) ? -1 : 0;
	}
	if (rc == 0) {
		fc.found = false;
		snprintf(cmd, sizeof cmd, "UID FETCH %" PRIu32 " (FLAGS)", uid);
		rc = command(&s, &r, on_fetch_meta, &fc, cmd) ? -1 : 0;
	}
	if (rc == 0 && !fc.found)
		rc = fail(&s, "no message with UID %" PRIu32 " in mailbox %s", uid, s.mailbox_q);
	else if (rc == 0 && !fc.seen)
		rc = fail(&s, "the server left message UID %" PRIu32 " without \\Seen", uid);
	session_end(&s);
	buf_free(&r.text);
	return rc;
}
