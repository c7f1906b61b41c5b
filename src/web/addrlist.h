/*
 * addrlist.h: lists of addresses and ranges from the configuration
 * ([web] metrics_allow, [web] trusted_proxies), and whether an address is
 * in one.
 */
#ifndef SG_WEB_ADDRLIST_H
#define SG_WEB_ADDRLIST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "base/err.h"

enum { ADDR_LIST_MAX = 64 };

typedef struct addr_list {
	struct {
		uint8_t addr[16]; /* IPv4 as IPv4-mapped IPv6 */
		int bits;
	} v[ADDR_LIST_MAX];
	int n;
} addr_list;

/* Reads "127.0.0.1, 10.0.0.0/8, ::1" (NULL: an empty list); -1 with e
 * naming key when an item is no address or range, or there are too many. */
int addr_list_parse(addr_list *l, const char *text, const char *key, sg_err *e);
/* Whether the address (text, as inet_ntop writes it) is in the list. */
bool addr_list_has(const addr_list *l, const char *addr);
/* The same for a socket address. */
bool addr_list_has_sockaddr(const addr_list *l, const struct sockaddr *sa);

#endif
