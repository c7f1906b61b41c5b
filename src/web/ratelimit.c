/*
 * ratelimit.c: a token bucket per client address for the public report
 * form: [web] report_limit reports an hour, refilled continuously. The
 * buckets live in a fixed table of 4096 slots hashed by address (a
 * collision shares a bucket, which errs on the strict side), so a flood
 * of addresses cannot grow memory. One mutex: reports are rare.
 */
#include <pthread.h>
#include <string.h>

#include "ratelimit.h"

enum { SLOTS = 4096 };

typedef struct bucket {
	double tokens;
	int64_t at;
	bool used;
} bucket;

static bucket table[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int per_hour_limit = 10;

void ratelimit_configure(int per_hour)
{
	pthread_mutex_lock(&lock);
	per_hour_limit = per_hour;
	memset(table, 0, sizeof table);
	pthread_mutex_unlock(&lock);
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

bool ratelimit_take(const char *addr, int64_t now)
{
	if (per_hour_limit <= 0)
		return true;
	pthread_mutex_lock(&lock);
	bucket *b = &table[hash(addr) % SLOTS];
	double cap = per_hour_limit;
	if (!b->used) {
		b->used = true;
		b->tokens = cap;
		b->at = now;
	}
	b->tokens += (double)(now - b->at) * cap / 3600.0;
	if (b->tokens > cap)
		b->tokens = cap;
	b->at = now;
	bool ok = b->tokens >= 1.0;
	if (ok)
		b->tokens -= 1.0;
	pthread_mutex_unlock(&lock);
	return ok;
}
