/*
 * ioc_int.h: what the indicator files share inside detect/: the checks
 * and parsers of value forms, used both to normalise imported values
 * (ioc_value.c) and to find observables in event text (ioc.c).
 */
#ifndef SG_DETECT_IOC_INT_H
#define SG_DETECT_IOC_INT_H

#include "detect/ioc/ioc.h"

/* A host name of two labels or more, the last one alphabetic. */
bool ioc_domain_ok(const char *p, size_t n);
/* A domain, a dotted IPv4 address or an IPv6 address in brackets. */
bool ioc_host_ok(const char *p, size_t n);
/* Dotted decimal, no leading zeros; 0 or -1. */
int ioc_parse_ipv4(const char *p, size_t n, unsigned char out[4]);
/* Any form inet_pton takes; 0 or -1. */
int ioc_parse_ipv6(const char *p, size_t n, unsigned char out[16]);
/* Lower-cases scheme and authority of the URL in s, in place, and drops
 * a lone trailing "/"; the new length, 0 when s is not a URL with a
 * valid host. */
size_t ioc_url_normalise(char *s, size_t n);

#endif
