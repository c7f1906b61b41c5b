/*
 * ticker.h: a thread that does one round of work, waits, and does the
 * next, until it is stopped (ticker.c).
 *
 * The server's background work is of this shape: the outbox's sender,
 * the mailbox's poller, the website monitor, the change marks' watcher,
 * the watchdog. Each keeps its own state in ctx, touched by its thread
 * alone; the ticker owns the thread, the wait and the stop.
 */
#ifndef SG_TICKER_H
#define SG_TICKER_H

#include <stdbool.h>

typedef struct ticker ticker;

/* One round; returns the milliseconds to wait before the next. */
typedef long (*ticker_round)(ticker *t, void *ctx);

/* Starts a thread that waits first_ms, then calls round(t, ctx) and waits
 * what it returns, until ticker_stop; then done(ctx) (when not NULL), on
 * the same thread. NULL when the thread cannot be made. */
ticker *ticker_start(long first_ms, ticker_round round, void (*done)(void *ctx), void *ctx);
/* Whether ticker_stop was called: a long round ends early. */
bool ticker_stopping(ticker *t);
/* Ends the wait or the round in course, joins the thread (done has run)
 * and frees t. NULL is nothing. */
void ticker_stop(ticker *t);

#endif
