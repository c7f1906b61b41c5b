/*
 * ratelimit.h: how often one client address may send a public report.
 */
#ifndef SG_WEB_RATELIMIT_H
#define SG_WEB_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

/* per_hour reports per address per hour; 0 turns the limit off. */
void ratelimit_configure(int per_hour);
/* Takes one report from the address's allowance; false when spent. */
bool ratelimit_take(const char *addr, int64_t now);

#endif
