/*
 * netaddr.c: an address to listen on, read the one way every listener
 * of sigap serve reads it (the web, syslog over UDP and TCP, RELP) and
 * `sigap config check` checks it.
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netaddr.h"

int netaddr_parse(const char *s, struct sockaddr_storage *ss, socklen_t *len, bool *v6, sg_err *e)
{
	char host[128];
	const char *colon = strrchr(s, ':');
	if (colon == NULL || colon[1] == '\0')
		return sg_err_set(e, SG_EINVAL, "listen address '%s' must be ADDR:PORT", s);
	size_t hn = (size_t)(colon - s);
	if (hn >= sizeof host)
		return sg_err_set(e, SG_EINVAL, "listen address '%s' is too long", s);
	memcpy(host, s, hn);
	host[hn] = '\0';
	if (hn >= 2 && host[0] == '[' && host[hn - 1] == ']') {
		memmove(host, host + 1, hn - 2);
		host[hn - 2] = '\0';
	}
	if (host[0] == '\0')
		snprintf(host, sizeof host, "0.0.0.0");
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 0 || port > 65535)
		return sg_err_set(e, SG_EINVAL, "port '%s' must be a number from 0 to 65535",
		                  colon + 1);
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV}, *ai;
	char ps[8];
	snprintf(ps, sizeof ps, "%ld", port);
	if (getaddrinfo(host, ps, &hints, &ai) != 0)
		return sg_err_set(e, SG_EINVAL,
		                  "'%s' is not an IP address (give a number, not a name)", host);
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	*v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	return 0;
}

