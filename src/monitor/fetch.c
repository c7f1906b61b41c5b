/*
 * fetch.c: the monitor's transfers through one libcurl multi handle
 * (fetch.h).
 *
 * At most concurrency transfers are in flight; each new one starts as
 * one ends, so a thousand URLs cost a thousand small transfers spread
 * over one thread, with connections to the same site reused.
 *
 * The certificate is always verified. A site whose certificate is
 * refused (expired, or its name or issuer wrong: what a visitor's
 * browser warns of) is recorded as such, then fetched once more without
 * trusting it, so its expiry and its content are still read (a defaced
 * site may also have an expired certificate). The end of validity comes
 * from libcurl's certificate information (CURLOPT_CERTINFO, the first
 * certificate of the chain is the site's).
 *
 * An address of an internal network (loopback, private, link-local) is
 * refused unless allow_internal: checked on every connection, the
 * redirects' included, once it is made and before the request is sent
 * (CURLOPT_PREREQFUNCTION), so a watched site that redirects to the
 * server's own network does not have sigap fetch and keep what is there.
 *
 * A body is kept up to max_body bytes; the transfer stops there and the
 * result says the body was cut. Bodies are asked compressed (gzip,
 * deflate, as libcurl supports) and stored decoded.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fetch.h"

typedef struct slot {
	CURL *h;
	bool internal; /* refused: the connection was to an internal address */
	char refused_ip[64];
	size_t index;
	mon_fetch_res *res;
	const mon_fetch_opts *o;
	bool insecure; /* the second try after a refused certificate */
	size_t cap;
	char curl_err[CURL_ERROR_SIZE];
} slot;

bool mon_address_internal(const char *ip)
{
	unsigned char a[16];
	if (inet_pton(AF_INET, ip, a) == 1) {
	v4:
		return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 169 && a[1] == 254) ||
		       (a[0] == 172 && (a[1] & 0xF0) == 16) || (a[0] == 192 && a[1] == 168) ||
		       (a[0] == 100 && (a[1] & 0xC0) == 64) || a[0] >= 224;
	}
	if (inet_pton(AF_INET6, ip, a) != 1)
		return true;
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (memcmp(a, mapped, 12) == 0) {
		memmove(a, a + 12, 4);
		goto v4;
	}
	bool zero = true;
	for (int i = 0; i < 15; i++)
		zero &= a[i] == 0;
	return (zero && (a[15] == 0 || a[15] == 1)) || (a[0] & 0xFE) == 0xFC ||
	       (a[0] == 0xFE && (a[1] & 0xC0) == 0x80) || a[0] == 0xFF;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ctx)
{
	slot *s = ctx;
	mon_fetch_res *r = s->res;
	size_t n = size * nmemb;
	size_t room = s->o->max_body > r->body_len ? s->o->max_body - r->body_len : 0;
	size_t take = n < room ? n : room;
	if (r->body_len + take + 1 > s->cap) {
		size_t want = s->cap ? s->cap * 2 : 16384;
		while (want < r->body_len + take + 1)
			want *= 2;
		if (want > s->o->max_body + 1) /* never more than the limit holds */
			want = s->o->max_body + 1;
		char *nb = realloc(r->body, want);
		if (!nb)
			return 0;
		r->body = nb;
		s->cap = want;
	}
	memcpy(r->body + r->body_len, p, take);
	r->body_len += take;
	r->body[r->body_len] = '\0';
	if (take < n) {
		r->body_cut = true;
		return 0; /* stops the transfer: what is kept is enough */
	}
	return n;
}

/* Each answer's status line and Location header: the redirect chain. */
static size_t on_header(char *p, size_t size, size_t nmemb, void *ctx)
{
	slot *s = ctx;
	mon_fetch_res *r = s->res;
	size_t n = size * nmemb;
	if (n > 9 && strncasecmp(p, "location:", 9) == 0) {
		size_t len = strlen(r->redirects);
		const char *v = p + 9;
		size_t vn = n - 9;
		while (vn && (*v == ' ' || *v == '\t'))
			v++, vn--;
		while (vn && (v[vn - 1] == '\r' || v[vn - 1] == '\n' || v[vn - 1] == ' '))
			vn--;
		long code = 0;
		curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &code);
		if (len + vn + 16 < sizeof r->redirects)
			snprintf(r->redirects + len, sizeof r->redirects - len, "%s%ld %.*s",
			         len ? "; " : "", code, (int)vn, v);
	}
	return n;
}

static int on_connected(void *ctx, char *ip, char *local_ip, int port, int local_port)
{
	(void)local_ip, (void)port, (void)local_port;
	slot *s = ctx;
	if (s->o->allow_internal || !mon_address_internal(ip))
		return CURL_PREREQFUNC_OK;
	s->internal = true;
	snprintf(s->refused_ip, sizeof s->refused_ip, "%s", ip);
	return CURL_PREREQFUNC_ABORT;
}

static CURL *easy_for(slot *s, const mon_fetch_req *q)
{
	CURL *h = curl_easy_init();
	if (!h)
		return NULL;
	const mon_fetch_opts *o = s->o;
	curl_easy_setopt(h, CURLOPT_URL, q->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, o->max_redirects);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, s->insecure ? 0L : 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, s->insecure ? 0L : 2L);
	if (o->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file);
	curl_easy_setopt(h, CURLOPT_CERTINFO, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_USERAGENT, q->agent);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->curl_err);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PRIVATE, s);
	/* straight to the site: a proxy from the environment (http_proxy and
	 * the like) would hide the address the refusal above must see */
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, on_connected);
	curl_easy_setopt(h, CURLOPT_PREREQDATA, s);
	s->internal = false;
	s->curl_err[0] = '\0';
	s->h = h;
	return h;
}

/* "Jan  2 03:04:05 2027 GMT" (OpenSSL's form) into epoch seconds. */
static int64_t cert_time(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *end = strptime(s, "%b %d %H:%M:%S %Y", &tm);
	if (!end)
		return 0;
	return (int64_t)timegm(&tm);
}

static void read_certinfo(slot *s)
{
	struct curl_certinfo *ci = NULL;
	if (curl_easy_getinfo(s->h, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci ||
	    ci->num_of_certs < 1)
		return;
	for (struct curl_slist *l = ci->certinfo[0]; l; l = l->next) {
		if (strncmp(l->data, "Expire date:", 12) == 0)
			s->res->cert_not_after = cert_time(l->data + 12);
		else if (strncmp(l->data, "Subject:", 8) == 0)
			snprintf(s->res->cert_subject, sizeof s->res->cert_subject, "%s", l->data + 8);
	}
}

static bool cert_problem(CURLcode c)
{
	return c == CURLE_PEER_FAILED_VERIFICATION || c == CURLE_SSL_CACERT_BADFILE ||
	       c == CURLE_SSL_ISSUER_ERROR || c == CURLE_SSL_INVALIDCERTSTATUS;
}

/* A transfer ended; true when it starts again (without trust). */
static bool finish(slot *s, CURLcode c)
{
	mon_fetch_res *r = s->res;
	if (cert_problem(c) && !s->insecure) {
		r->cert_refused = true;
		snprintf(r->error, sizeof r->error, "%s", s->curl_err[0] ? s->curl_err : curl_easy_strerror(c));
		return true;
	}
	long status = 0, redirects = 0;
	curl_off_t ttfb = 0, total = 0;
	char *url = NULL, *ip = NULL, *ctype = NULL;
	curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(s->h, CURLINFO_REDIRECT_COUNT, &redirects);
	curl_easy_getinfo(s->h, CURLINFO_STARTTRANSFER_TIME_T, &ttfb);
	curl_easy_getinfo(s->h, CURLINFO_TOTAL_TIME_T, &total);
	curl_easy_getinfo(s->h, CURLINFO_EFFECTIVE_URL, &url);
	curl_easy_getinfo(s->h, CURLINFO_PRIMARY_IP, &ip);
	curl_easy_getinfo(s->h, CURLINFO_CONTENT_TYPE, &ctype);
	r->status = status;
	r->n_redirects = redirects;
	r->ttfb_us = ttfb;
	r->total_us = total;
	free(r->final_url);
	r->final_url = strdup(url ? url : "");
	snprintf(r->address, sizeof r->address, "%s", ip ? ip : "");
	snprintf(r->content_type, sizeof r->content_type, "%s", ctype ? ctype : "");
	read_certinfo(s);
	bool cut_by_us = c == CURLE_WRITE_ERROR && r->body_cut;
	r->reached = status > 0 && (c == CURLE_OK || cut_by_us);
	if (s->internal) {
		r->reached = false;
		snprintf(r->error, sizeof r->error,
		         "%s is an address of an internal network: refused ([pantau] alamat_dalam = "
		         "izinkan allows it)",
		         s->refused_ip);
	} else if (!r->reached && !r->cert_refused) {
		snprintf(r->error, sizeof r->error, "%s",
		         s->curl_err[0] ? s->curl_err : curl_easy_strerror(c));
	}
	if (!r->body) {
		r->body = strdup("");
		if (!r->body)
			abort();
	}
	return false;
}

int mon_fetch_all(const mon_fetch_req *reqs, mon_fetch_res *res, size_t n,
                  const mon_fetch_opts *o, mon_fetch_done_fn done, void *ctx)
{
	for (size_t i = 0; i < n; i++)
		memset(&res[i], 0, sizeof res[i]);
	if (n == 0)
		return 0;
	CURLM *m = curl_multi_init();
	if (!m)
		return -1;
	int conc = o->concurrency > 0 ? o->concurrency : 1;
	if ((size_t)conc > n)
		conc = (int)n;
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)conc);
	slot *slots = calloc((size_t)conc, sizeof *slots);
	if (!slots) {
		curl_multi_cleanup(m);
		return -1;
	}
	size_t next = 0, ended = 0;
	int rc = 0;
	/* Fills a free slot with the next request. */
	for (int k = 0; k < conc; k++) {
		slot *s = &slots[k];
		s->o = o;
		s->index = next;
		s->res = &res[next];
		if (!easy_for(s, &reqs[next]) || curl_multi_add_handle(m, s->h) != CURLM_OK) {
			rc = -1;
			goto out;
		}
		next++;
	}
	while (ended < n) {
		int running = 0;
		curl_multi_perform(m, &running);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(m, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			slot *s = NULL;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
			CURLcode c = msg->data.result;
			curl_multi_remove_handle(m, s->h);
			bool again = finish(s, c);
			curl_easy_cleanup(s->h);
			s->h = NULL;
			if (again) {
				s->insecure = true;
				free(s->res->body);
				s->res->body = NULL;
				s->res->body_len = 0;
				s->res->redirects[0] = '\0';
				s->cap = 0;
				if (!easy_for(s, &reqs[s->index]) || curl_multi_add_handle(m, s->h) != CURLM_OK) {
					rc = -1;
					goto out;
				}
				continue;
			}
			ended++;
			if (done)
				done(ctx, s->index, s->res);
			if (next < n) {
				s->index = next;
				s->res = &res[next];
				s->insecure = false;
				s->cap = 0;
				if (!easy_for(s, &reqs[next]) || curl_multi_add_handle(m, s->h) != CURLM_OK) {
					rc = -1;
					goto out;
				}
				next++;
			}
		}
		if (ended < n)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	}
out:
	for (int k = 0; k < conc; k++)
		if (slots[k].h) {
			curl_multi_remove_handle(m, slots[k].h);
			curl_easy_cleanup(slots[k].h);
		}
	free(slots);
	curl_multi_cleanup(m);
	return rc;
}

void mon_fetch_res_free(mon_fetch_res *r)
{
	free(r->final_url);
	free(r->body);
	memset(r, 0, sizeof *r);
}
