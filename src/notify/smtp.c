/*
 * smtp.c: an e-mail through libcurl's SMTP (see smtp.h). The message is
 * built whole in memory (a notification is a few KiB), lines ending in
 * CRLF; libcurl does the SMTP dialogue, STARTTLS, authentication and the
 * dot-stuffing of the DATA. Every header value is either checked ASCII
 * without line breaks (addresses, From) or encoded (the subject), so
 * text a user typed (a case's title) can never add a header.
 */
#include "smtp.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/civil.h"

bool notify_email_valid(const char *s)
{
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	if (n < 3 || n > 254 || at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@'))
		return false;
	for (const char *p = s; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
			return false;
	const char *dom = at + 1;
	return dom[0] != '.' && dom[strlen(dom) - 1] != '.' && !strstr(dom, "..");
}

bool notify_from_address(const char *from, char *out, size_t n)
{
	if (strpbrk(from, "\r\n"))
		return false;
	const char *lt = strrchr(from, '<');
	const char *start = lt ? lt + 1 : from;
	size_t len = lt ? strcspn(start, ">") : strlen(start);
	if (lt && start[len] != '>')
		return false;
	if (len == 0 || len >= n)
		return false;
	memcpy(out, start, len);
	out[len] = '\0';
	return notify_email_valid(out);
}

/* The subject as RFC 2047 encoded words of at most 45 bytes of UTF-8
 * each (60 of base64), cut between characters, folded. */
static void subject_header(buf *b, const char *subject)
{
	buf_puts(b, "Subject:");
	size_t n = strlen(subject), i = 0;
	char b64[128];
	while (i < n) {
		size_t k = n - i > 45 ? 45 : n - i;
		while (k > 0 && i + k < n && ((unsigned char)subject[i + k] & 0xC0) == 0x80)
			k--; /* not inside a character */
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)subject + i, k,
		                  sodium_base64_VARIANT_ORIGINAL);
		buf_printf(b, "%s=?UTF-8?B?%s?=", i ? "\r\n " : " ", b64);
		i += k;
	}
	buf_puts(b, "\r\n");
}

/* The body in base64, 76 characters a line. */
static void body_base64(buf *b, const char *text)
{
	size_t n = strlen(text);
	char line[128];
	for (size_t i = 0; i < n; i += 57) {
		size_t k = n - i > 57 ? 57 : n - i;
		sodium_bin2base64(line, sizeof line, (const unsigned char *)text + i, k,
		                  sodium_base64_VARIANT_ORIGINAL);
		buf_printf(b, "%s\r\n", line);
	}
}

/* RFC 5322's date: "Thu, 05 Dec 2026 14:30:00 +0700". */
static void date_header(buf *b, int64_t now, int offset_min)
{
	static const char *const days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	civil_zone z = {.offset_min = offset_min};
	civil c;
	civil_from_epoch(now, &z, &c);
	int64_t local_days = (now + offset_min * 60) / 86400;
	int off = offset_min < 0 ? -offset_min : offset_min;
	buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d %c%02d%02d\r\n",
	           days[((local_days % 7) + 7) % 7], c.day, months[c.month - 1], c.year, c.hour,
	           c.min, c.sec, offset_min < 0 ? '-' : '+', off / 60, off % 60);
}

typedef struct reader {
	const char *p;
	size_t left;
} reader;

static size_t feed(char *out, size_t size, size_t nmemb, void *user)
{
	reader *r = user;
	size_t k = size * nmemb < r->left ? size * nmemb : r->left;
	memcpy(out, r->p, k);
	r->p += k;
	r->left -= k;
	return k;
}

int notify_smtp_send(const notify_smtp *s, const char *to, const char *subject, const char *text,
                     int64_t delivery, int64_t created, int64_t now, char *why, size_t why_n)
{
	char from_addr[256];
	if (!notify_from_address(s->from, from_addr, sizeof from_addr)) {
		snprintf(why, why_n, "[notify] smtp_from '%s' holds no address", s->from);
		return -1;
	}
	if (!notify_email_valid(to)) {
		snprintf(why, why_n, "'%s' is not an e-mail address", to);
		return -1;
	}
	buf m = BUF_INIT;
	date_header(&m, now, s->zone_offset_min);
	buf_printf(&m, "From: %s\r\nTo: <%s>\r\n", s->from, to);
	if (s->reply_to && notify_email_valid(s->reply_to))
		buf_printf(&m, "Reply-To: <%s>\r\n", s->reply_to);
	subject_header(&m, subject);
	buf_printf(&m,
	           "Message-ID: <sigap.%" PRId64 ".%" PRId64 ".notify@%s>\r\n"
	           "MIME-Version: 1.0\r\n"
	           "Content-Type: text/plain; charset=utf-8\r\n"
	           "Content-Transfer-Encoding: base64\r\n"
	           "Auto-Submitted: auto-generated\r\n"
	           "X-Sigap-Delivery: %" PRId64 "\r\n\r\n",
	           delivery, created, strchr(from_addr, '@') + 1, delivery);
	body_base64(&m, text);
	CURL *h = curl_easy_init();
	if (h == NULL) {
		buf_free(&m);
		snprintf(why, why_n, "cannot start a delivery (out of memory)");
		return -1;
	}
	char rcpt[300], err[CURL_ERROR_SIZE] = "";
	snprintf(rcpt, sizeof rcpt, "<%s>", to);
	struct curl_slist *rc_list = curl_slist_append(NULL, rcpt);
	char mail_from[300];
	snprintf(mail_from, sizeof mail_from, "<%s>", from_addr);
	reader rd = {buf_str(&m), m.len};
	curl_easy_setopt(h, CURLOPT_URL, s->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	if (s->tls_required)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (s->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, s->ca_file);
	if (s->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, s->password ? s->password : "");
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rc_list);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, feed);
	curl_easy_setopt(h, CURLOPT_READDATA, &rd);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)m.len);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, s->timeout);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, s->timeout < 10 ? s->timeout : 10L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	CURLcode rc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	curl_slist_free_all(rc_list);
	buf_free(&m);
	if (rc == CURLE_OK)
		return 0;
	if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(why, why_n, "no answer within %ld s ([notify] timeout)", s->timeout);
	else if (code >= 400)
		snprintf(why, why_n, "the mail server answered %ld (%s)", code,
		         err[0] ? err : curl_easy_strerror(rc));
	else
		snprintf(why, why_n, "%s", err[0] ? err : curl_easy_strerror(rc));
	return -1;
}
