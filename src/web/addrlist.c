/*
 * addrlist.c: lists of addresses and ranges (see addrlist.h). Every
 * address is held as IPv6, an IPv4 one mapped into it, so one comparison
 * of leading bits serves both families.
 */
#include "addrlist.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_addr(const char *s, uint8_t out[16], int *family_bits)
{
	struct in_addr a4;
	memset(out, 0, 16);
	if (inet_pton(AF_INET, s, &a4) == 1) {
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &a4, 4);
		*family_bits = 32;
		return true;
	}
	*family_bits = 128;
	return inet_pton(AF_INET6, s, out) == 1;
}

int addr_list_parse(addr_list *l, const char *text, const char *key, sg_err *e)
{
	l->n = 0;
	if (text == NULL)
		return 0;
	char *copy = strdup(text), *save = NULL;
	if (copy == NULL)
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	int rc = 0;
	for (char *t = strtok_r(copy, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
		char shown[80];
		snprintf(shown, sizeof shown, "%s", t);
		char *slash = strchr(t, '/');
		int bits = -1, max;
		if (slash) {
			*slash = '\0';
			char *end;
			bits = (int)strtol(slash + 1, &end, 10);
			if (*end != '\0' || end == slash + 1 || bits < 0)
				bits = -2;
		}
		if (l->n == ADDR_LIST_MAX || !parse_addr(t, l->v[l->n].addr, &max) || bits == -2 ||
		    bits > max) {
			rc = sg_err_set(e, SG_EINVAL,
			                "[web] %s: '%s' is not an address or range (give at most %d, "
			                "such as 127.0.0.1, 10.0.0.0/8 or ::1)",
			                key, shown, ADDR_LIST_MAX);
			break;
		}
		l->v[l->n].bits = bits < 0 ? 128 : bits + (max == 32 ? 96 : 0);
		l->n++;
	}
	free(copy);
	return rc;
}

static bool has(const addr_list *l, const uint8_t a[16])
{
	for (int i = 0; i < l->n; i++) {
		int full = l->v[i].bits / 8, rest = l->v[i].bits % 8;
		if (memcmp(a, l->v[i].addr, (size_t)full) != 0)
			continue;
		uint8_t mask = (uint8_t)(0xff << (8 - rest));
		if (rest == 0 || (a[full] & mask) == (l->v[i].addr[full] & mask))
			return true;
	}
	return false;
}

bool addr_list_has(const addr_list *l, const char *addr)
{
	uint8_t a[16];
	int bits;
	return l->n > 0 && parse_addr(addr, a, &bits) && has(l, a);
}

bool addr_list_has_sockaddr(const addr_list *l, const struct sockaddr *sa)
{
	uint8_t a[16] = {0};
	if (sa == NULL || l->n == 0)
		return false;
	if (sa->sa_family == AF_INET) {
		a[10] = a[11] = 0xff;
		memcpy(a + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		memcpy(a, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	} else {
		return false;
	}
	return has(l, a);
}
