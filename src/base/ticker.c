/*
 * ticker.c: a thread of rounds of work with waits between them (ticker.h).
 *
 * The wait is a timed wait on a condition, so ticker_stop ends it at
 * once instead of after a sleep; the clock is CLOCK_MONOTONIC, so a
 * clock set back by an hour does not hold a round back by an hour.
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "ticker.h"

struct ticker {
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t wake;
	bool stopping;
	long first_ms;
	ticker_round round;
	void (*done)(void *ctx);
	void *ctx;
};

/* Waits ms or until stopped; whether it was stopped. */
static bool wait_ms(ticker *t, long ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&t->mu);
	while (!t->stopping && pthread_cond_timedwait(&t->wake, &t->mu, &ts) == 0)
		;
	bool stop = t->stopping;
	pthread_mutex_unlock(&t->mu);
	return stop;
}

static void *run(void *arg)
{
	ticker *t = arg;
	long ms = t->first_ms;
	while (!(ms > 0 ? wait_ms(t, ms) : ticker_stopping(t)))
		ms = t->round(t, t->ctx);
	if (t->done)
		t->done(t->ctx);
	return NULL;
}

ticker *ticker_start(long first_ms, ticker_round round, void (*done)(void *ctx), void *ctx)
{
	ticker *t = calloc(1, sizeof *t);
	if (!t)
		abort();
	*t = (ticker){.first_ms = first_ms, .round = round, .done = done, .ctx = ctx};
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&t->tid, NULL, run, t) != 0) {
		pthread_mutex_destroy(&t->mu);
		pthread_cond_destroy(&t->wake);
		free(t);
		return NULL;
	}
	return t;
}

bool ticker_stopping(ticker *t)
{
	pthread_mutex_lock(&t->mu);
	bool stop = t->stopping;
	pthread_mutex_unlock(&t->mu);
	return stop;
}

void ticker_stop(ticker *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->mu);
	t->stopping = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->tid, NULL);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->wake);
	free(t);
}
