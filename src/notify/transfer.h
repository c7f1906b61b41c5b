/*
 * transfer.h: what every delivery over HTTP sets on its libcurl handle
 * (transfer.c), so the webhook and the Telegram bot keep one policy:
 * http and https only, no redirect followed (a message goes where it was
 * configured to go), TLS always verified, bounded in time, no signals.
 */
#ifndef SG_NOTIFY_TRANSFER_H
#define SG_NOTIFY_TRANSFER_H

#include <curl/curl.h>

/* Sets url and that policy on h; ca_file NULL: the system's trust store;
 * err receives libcurl's error text (CURL_ERROR_SIZE bytes). */
void notify_http_setup(CURL *h, const char *url, const char *ca_file, long timeout, char *err);

#endif
