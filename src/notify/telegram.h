/*
 * telegram.h: one message sent by a Telegram bot (telegram.c).
 *
 * The Bot API's sendMessage, as JSON over HTTPS to the configured API
 * base (https://api.telegram.org, or a gateway where the office allows
 * only one way out). Plain text: no Markdown or HTML parsing, so nothing
 * a user typed (a case's title) is read as markup.
 */
#ifndef SG_NOTIFY_TELEGRAM_H
#define SG_NOTIFY_TELEGRAM_H

#include <stddef.h>

typedef struct notify_telegram {
	const char *api;     /* base URL, without /bot… */
	const char *token;   /* the bot's token: never in a message or a log */
	const char *ca_file; /* NULL: the system's trust store */
	long timeout;        /* seconds the whole delivery may take */
} notify_telegram;

/* Sends text to chat (an id or @name). 0 when the API answered ok; -1
 * with why (its description, or what failed on the way). */
int notify_telegram_send(const notify_telegram *t, const char *chat, const char *text, char *why,
                         size_t why_n);

#endif
