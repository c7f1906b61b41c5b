/*
 * webhook.c: delivering one message to a webhook receiver (see
 * webhook.h): libcurl, http and https only, redirects not followed (a
 * signed message goes where it was configured to go, nowhere else), TLS
 * always verified, the receiver's answer read and dropped past 64 KiB.
 */
#include "webhook.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "transfer.h"

enum { ANSWER_KEPT = 64 * 1024 };

void notify_sign(const char *secret, int64_t t, const char *body, size_t n, char out[65])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char stamp[32];
	int k = snprintf(stamp, sizeof stamp, "%" PRId64 ".", t);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)stamp, (unsigned long long)k);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

/* The answer's body is not needed; reading it lets the connection end
 * cleanly. More than ANSWER_KEPT stops the transfer (an error). */
static size_t on_answer(char *p, size_t size, size_t nmemb, void *user)
{
	(void)p;
	size_t *seen = user;
	*seen += size * nmemb;
	return *seen > ANSWER_KEPT ? 0 : size * nmemb;
}

int notify_webhook_post(const notify_webhook *w, const char *event, int64_t delivery,
                        const char *body, int64_t now, char *why, size_t why_n)
{
	CURL *h = curl_easy_init();
	if (h == NULL) {
		snprintf(why, why_n, "cannot start a delivery (out of memory)");
		return -1;
	}
	size_t n = strlen(body);
	char sig[65], line[200];
	notify_sign(w->secret, now, body, n, sig);
	struct curl_slist *hd =
	    curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
	snprintf(line, sizeof line, "X-Sigap-Event: %s", event);
	hd = curl_slist_append(hd, line);
	snprintf(line, sizeof line, "X-Sigap-Delivery: %" PRId64, delivery);
	hd = curl_slist_append(hd, line);
	snprintf(line, sizeof line, "X-Sigap-Signature: t=%" PRId64 ",v1=%s", now, sig);
	hd = curl_slist_append(hd, line);
	hd = curl_slist_append(hd, "Expect:"); /* no 100-continue round trip */
	char err[CURL_ERROR_SIZE] = "";
	size_t seen = 0;
	notify_http_setup(h, w->url, w->ca_file, w->timeout, err);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_answer);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &seen);
	CURLcode rc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	curl_slist_free_all(hd);
	/* a 2xx is a delivery, even with an answer too long to read */
	if ((rc == CURLE_OK || rc == CURLE_WRITE_ERROR) && status >= 200 && status <= 299)
		return 0;
	if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && status > 0))
		snprintf(why, why_n, "the receiver answered HTTP %ld", status);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(why, why_n, "no answer within %ld s ([notify] timeout)", w->timeout);
	else
		snprintf(why, why_n, "%s", err[0] ? err : curl_easy_strerror(rc));
	return -1;
}
