/*
 * telegram.c: a message through a bot (see telegram.h): libcurl, http
 * and https only, redirects not followed, TLS always verified. The URL
 * holds the bot's token, so no error text is built from it: what fails
 * is told by libcurl's error (host, connection, TLS) or by the API's own
 * description.
 */
#include "telegram.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "transfer.h"

enum { ANSWER_MAX = 64 * 1024 };

static size_t on_answer(char *p, size_t size, size_t nmemb, void *user)
{
	buf *b = user;
	size_t n = size * nmemb;
	if (b->len + n > ANSWER_MAX)
		return 0;
	buf_append(b, p, n);
	return n;
}

int notify_telegram_send(const notify_telegram *t, const char *chat, const char *text, char *why,
                         size_t why_n)
{
	json_t *req = json_pack("{s:s, s:s, s:b}", "chat_id", chat, "text", text,
	                        "disable_web_page_preview", 1);
	char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	CURL *h = body ? curl_easy_init() : NULL;
	if (h == NULL) {
		free(body);
		snprintf(why, why_n, "cannot start a delivery (out of memory)");
		return -1;
	}
	size_t k = strlen(t->api);
	buf url = BUF_INIT, answer = BUF_INIT;
	buf_printf(&url, "%.*s/bot%s/sendMessage", (int)(k && t->api[k - 1] == '/' ? k - 1 : k),
	           t->api, t->token);
	struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
	char err[CURL_ERROR_SIZE] = "";
	notify_http_setup(h, buf_str(&url), t->ca_file, t->timeout, err);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_answer);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
	CURLcode rc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	curl_slist_free_all(hd);
	buf_free(&url);
	free(body);
	int out = -1;
	json_t *ans = rc == CURLE_OK ? json_loadb(buf_str(&answer), answer.len, 0, NULL) : NULL;
	if (ans && json_is_true(json_object_get(ans, "ok")))
		out = 0;
	else if (ans && json_is_string(json_object_get(ans, "description")))
		snprintf(why, why_n, "Telegram answered %ld: %.200s", status,
		         json_string_value(json_object_get(ans, "description")));
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(why, why_n, "no answer within %ld s ([notify] timeout)", t->timeout);
	else if (rc == CURLE_OK)
		snprintf(why, why_n, "the Telegram API answered HTTP %ld", status);
	else
		snprintf(why, why_n, "%s", err[0] ? err : curl_easy_strerror(rc));
	json_decref(ans);
	buf_free(&answer);
	return out;
}
