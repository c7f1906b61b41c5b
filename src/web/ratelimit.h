/*
 * ratelimit.h: how often one client address may send a public report,
 * and, counted apart, check a report's status.
 */
#ifndef SG_WEB_RATELIMIT_H
#define SG_WEB_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

/* per_hour reports per address per hour; 0 turns the limit off. */
void ratelimit_configure(int per_hour);
/* Takes one report from the address's allowance; false when spent, with
 * *retry_after the seconds until the next one is allowed. */
bool ratelimit_take(const char *addr, int64_t now, int64_t *retry_after);
/* Takes one status check (/lapor/status and its API share it) from the
 * address's allowance of per_hour an hour (0: no limit); false when
 * spent, with *retry_after the seconds until the next one is allowed. */
bool ratelimit_take_status(const char *addr, int per_hour, int64_t now, int64_t *retry_after);

#endif
