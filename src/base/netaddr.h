/*
 * netaddr.h: an address to listen on, ADDR:PORT (netaddr.c).
 */
#ifndef SG_NETADDR_H
#define SG_NETADDR_H

#include <stdbool.h>
#include <sys/socket.h>

#include "err.h"

/* "127.0.0.1:8080", "[::1]:8080", ":514" (every IPv4 address) or
 * "0.0.0.0:0" (a free port) into ss: a numeric address only (a name
 * would be resolved again at every start, and may not be this host's),
 * a port 0 to 65535. -1 with e saying what is wrong. */
int netaddr_parse(const char *s, struct sockaddr_storage *ss, socklen_t *len, bool *v6, sg_err *e);

#endif
