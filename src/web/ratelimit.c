/*
 * ratelimit.c: token buckets per client address for the public pages:
 * the report form ([web] report_limit reports an hour) and, apart from
 * it, the report status check ([web] status_limit checks an hour, page
 * and API together), each refilled continuously. The buckets live in a
 * fixed table of 4096 slots a limit, hashed by address (a collision
 * shares a bucket, which errs on the strict side), so a flood of
 * addresses cannot grow memory. The hash is SipHash with a key drawn at
 * start, so nobody can choose an address that shares a victim's bucket;
 * an IPv6 client counts by its /64, as one host often holds the whole
 * block. One mutex a table: these are rare.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "ratelimit.h"

enum { SLOTS = 4096 };

typedef struct bucket {
	double tokens;
	int64_t at;
	bool used;
} bucket;

typedef struct limiter {
	bucket table[SLOTS];
	pthread_mutex_t lock;
	int per_hour;
} limiter;

static limiter reports = {.lock = PTHREAD_MUTEX_INITIALIZER, .per_hour = 10};
static limiter status = {.lock = PTHREAD_MUTEX_INITIALIZER, .per_hour = 60};

void ratelimit_configure(int per_hour)
{
	pthread_mutex_lock(&reports.lock);
	reports.per_hour = per_hour;
	memset(reports.table, 0, sizeof reports.table);
	pthread_mutex_unlock(&reports.lock);
}

static unsigned char key[crypto_shorthash_KEYBYTES];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void key_init(void)
{
	randombytes_buf(key, sizeof key);
}

static uint64_t hash(const char *addr)
{
	pthread_once(&key_once, key_init);
	unsigned char a[16];
	const void *in = addr;
	size_t n = strlen(addr);
	if (inet_pton(AF_INET6, addr, a) == 1) {
		memset(a + 8, 0, 8); /* the /64 */
		in = a;
		n = sizeof a;
	}
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, in, n, key);
	uint64_t v;
	memcpy(&v, h, sizeof v);
	return v;
}

/* per_hour < 0: the limiter's own. */
static bool take(limiter *l, int per_hour, const char *addr, int64_t now, int64_t *retry_after)
{
	if (retry_after)
		*retry_after = 0;
	pthread_mutex_lock(&l->lock);
	if (per_hour >= 0 && per_hour != l->per_hour) {
		l->per_hour = per_hour;
		memset(l->table, 0, sizeof l->table);
	}
	if (l->per_hour <= 0) {
		pthread_mutex_unlock(&l->lock);
		return true;
	}
	bucket *b = &l->table[hash(addr) % SLOTS];
	double cap = l->per_hour;
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
	else if (retry_after) {
		/* Seconds until the bucket holds one whole token again. */
		double s = (1.0 - b->tokens) * 3600.0 / cap;
		*retry_after = (int64_t)s + ((double)(int64_t)s < s);
		if (*retry_after < 1)
			*retry_after = 1;
	}
	pthread_mutex_unlock(&l->lock);
	return ok;
}

bool ratelimit_take(const char *addr, int64_t now, int64_t *retry_after)
{
	return take(&reports, -1, addr, now, retry_after);
}

bool ratelimit_take_status(const char *addr, int per_hour, int64_t now, int64_t *retry_after)
{
	return take(&status, per_hour, addr, now, retry_after);
}
