/*
 * ioc_value.c: indicator types and the normal form of indicator values.
 *
 * Feeds write one value many ways: upper-case hashes, domains with a
 * trailing dot or a "*." wildcard, ranges with host bits set, and
 * defanged text ("hxxp://evil[.]id") so nobody clicks it. Every value is
 * brought to one normal form here, once at import, so lookups compare
 * bytes.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "detect/ioc/ioc_int.h"

static const struct {
	const char *name;
	ioc_type type;
} type_names[] = {
    {"ipv4", IOC_IPV4},        {"ipv6", IOC_IPV6},          {"cidr", IOC_CIDR},
    {"domain", IOC_DOMAIN},    {"url", IOC_URL},            {"email", IOC_EMAIL},
    {"md5", IOC_MD5},          {"sha1", IOC_SHA1},          {"sha256", IOC_SHA256},
    /* spellings of MISP, STIX and common CSV feeds */
    {"ip", IOC_IPV4},          {"ip-src", IOC_IPV4},        {"ip-dst", IOC_IPV4},
    {"ipv4-addr", IOC_IPV4},   {"ipv6-addr", IOC_IPV6},     {"ip-range", IOC_CIDR},
    {"domain-name", IOC_DOMAIN}, {"hostname", IOC_DOMAIN},  {"fqdn", IOC_DOMAIN},
    {"uri", IOC_URL},          {"link", IOC_URL},           {"email-addr", IOC_EMAIL},
    {"email-src", IOC_EMAIL},  {"email-dst", IOC_EMAIL},    {"e-mail", IOC_EMAIL},
    {"sha-1", IOC_SHA1},       {"sha-256", IOC_SHA256},
};

const char *ioc_type_name(ioc_type t)
{
	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
		if (type_names[i].type == t)
			return type_names[i].name;
	return "none";
}

ioc_type ioc_type_parse(const char *name)
{
	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
		if (strcasecmp(type_names[i].name, name) == 0)
			return type_names[i].type;
	return IOC_NONE;
}

bool ioc_domain_ok(const char *p, size_t n)
{
	if (n < 3 || n > 253)
		return false;
	size_t label = 0, labels = 1, last = 0;
	bool tld_alpha = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '.') {
			if (label == 0 || p[i - 1] == '-')
				return false;
			labels++;
			label = 0;
			last = i + 1;
			tld_alpha = false;
			continue;
		}
		if (!(isalnum(c) || c == '-' || c == '_'))
			return false;
		if (label == 0 && c == '-')
			return false;
		if (isalpha(c))
			tld_alpha = true;
		if (++label > 63)
			return false;
	}
	/* a top-level label: letters (or an xn-- name), never all digits */
	return labels >= 2 && label >= 2 && tld_alpha && isalpha((unsigned char)p[last]);
}

int ioc_parse_ipv4(const char *p, size_t n, unsigned char out[4])
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= n || p[i] != '.')
				return -1;
			i++;
		}
		size_t start = i;
		unsigned v = 0;
		while (i < n && p[i] >= '0' && p[i] <= '9' && i - start < 3)
			v = v * 10 + (unsigned)(p[i++] - '0');
		if (i == start || v > 255 || (p[start] == '0' && i - start > 1))
			return -1;
		out[part] = (unsigned char)v;
	}
	return i == n ? 0 : -1;
}

int ioc_parse_ipv6(const char *p, size_t n, unsigned char out[16])
{
	char tmp[INET6_ADDRSTRLEN + 1];
	if (n >= sizeof tmp || n < 2)
		return -1;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	return inet_pton(AF_INET6, tmp, out) == 1 ? 0 : -1;
}

/* Undoes the usual defanging into out (NUL-terminated); -1 if too long. */
static int refang(const char *v, size_t n, char *out, size_t *len)
{
	static const struct {
		const char *from, *to;
	} subst[] = {{"[.]", "."}, {"(.)", "."}, {"{.}", "."}, {"[dot]", "."}, {"(dot)", "."},
	             {"[:]", ":"}, {"[@]", "@"}, {"[at]", "@"}, {"(at)", "@"}, {"[/]", "/"},
	             {"[://]", "://"}};
	size_t o = 0;
	while (n && isspace((unsigned char)*v))
		v++, n--;
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	if (n >= 4 && (strncasecmp(v, "hxxp", 4) == 0 || strncasecmp(v, "hxtp", 4) == 0)) {
		memcpy(out, "http", 4);
		o = 4;
		v += 4;
		n -= 4;
	}
	for (size_t i = 0; i < n;) {
		bool done = false;
		if (v[i] == '[' || v[i] == '(' || v[i] == '{')
			for (size_t k = 0; k < sizeof subst / sizeof subst[0]; k++) {
				size_t fl = strlen(subst[k].from);
				if (fl <= n - i && strncasecmp(v + i, subst[k].from, fl) == 0) {
					size_t tl = strlen(subst[k].to);
					if (o + tl > IOC_VALUE_MAX)
						return -1;
					memcpy(out + o, subst[k].to, tl);
					o += tl;
					i += fl;
					done = true;
					break;
				}
			}
		if (done)
			continue;
		if (o + 1 > IOC_VALUE_MAX)
			return -1;
		out[o++] = v[i++];
	}
	out[o] = '\0';
	*len = o;
	return 0;
}

static void lower(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (char)tolower((unsigned char)p[i]);
}

static bool all_hex(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	return true;
}

/* An address or a range; the type, or IOC_NONE. */
static ioc_type address(char *s, size_t n, char *out, size_t *out_len)
{
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	unsigned char a[16];
	int bits;
	bool v4 = ioc_parse_ipv4(s, an, a) == 0;
	if (!v4 && ioc_parse_ipv6(s, an, a) != 0)
		return IOC_NONE;
	int full = v4 ? 32 : 128;
	bits = full;
	if (slash) {
		const char *q = slash + 1;
		size_t qn = n - an - 1;
		if (qn == 0 || qn > 3)
			return IOC_NONE;
		bits = 0;
		for (size_t i = 0; i < qn; i++) {
			if (q[i] < '0' || q[i] > '9')
				return IOC_NONE;
			bits = bits * 10 + (q[i] - '0');
		}
		if (bits > full)
			return IOC_NONE;
		for (int b = bits; b < full; b++)
			a[b / 8] &= (unsigned char)~(0x80u >> (b % 8));
	}
	char text[INET6_ADDRSTRLEN];
	inet_ntop(v4 ? AF_INET : AF_INET6, a, text, sizeof text);
	if (bits == full) {
		*out_len = (size_t)snprintf(out, IOC_VALUE_MAX + 1, "%s", text);
		return v4 ? IOC_IPV4 : IOC_IPV6;
	}
	*out_len = (size_t)snprintf(out, IOC_VALUE_MAX + 1, "%s/%d", text, bits);
	return IOC_CIDR;
}

bool ioc_host_ok(const char *p, size_t n)
{
	unsigned char a[16];
	if (n > 2 && p[0] == '[' && p[n - 1] == ']')
		return ioc_parse_ipv6(p + 1, n - 2, a) == 0;
	return ioc_parse_ipv4(p, n, a) == 0 || ioc_domain_ok(p, n);
}

size_t ioc_url_normalise(char *s, size_t n)
{
	char *sep = memmem(s, n, "://", 3);
	if (sep == NULL || sep == s)
		return 0;
	for (char *c = s; c < sep; c++)
		if (!(isalnum((unsigned char)*c) || *c == '+' || *c == '-' || *c == '.'))
			return 0;
	char *auth = sep + 3, *end = s + n, *path = auth;
	while (path < end && *path != '/' && *path != '?' && *path != '#')
		path++;
	if (path == auth)
		return 0;
	lower(s, (size_t)(path - s));
	/* the host: after any user info, before any port */
	char *host = auth;
	for (char *c = auth; c < path; c++)
		if (*c == '@')
			host = c + 1;
	char *hend = path;
	if (*host == '[') {
		char *rb = memchr(host, ']', (size_t)(path - host));
		if (rb == NULL)
			return 0;
		hend = rb + 1;
	} else {
		for (char *c = host; c < path; c++)
			if (*c == ':') {
				hend = c;
				break;
			}
	}
	if (!ioc_host_ok(host, (size_t)(hend - host)))
		return 0;
	if (end - path == 1 && *path == '/')
		end = path; /* "http://evil.id/" is "http://evil.id" */
	return (size_t)(end - s);
}

ioc_type ioc_normalise(const char *v, size_t n, ioc_type want, char *out, size_t *out_len)
{
	char s[IOC_VALUE_MAX + 1];
	size_t len;
	ioc_type t = IOC_NONE;
	if (n > IOC_VALUE_MAX || refang(v, n, s, &len) != 0 || len == 0)
		return IOC_NONE;
	for (size_t i = 0; i < len; i++) /* no type holds spaces or control bytes */
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return IOC_NONE;
	if (memmem(s, len, "://", 3)) {
		size_t un = ioc_url_normalise(s, len);
		if (un) {
			memcpy(out, s, un);
			out[un] = '\0';
			*out_len = un;
			t = IOC_URL;
		}
	} else if ((t = address(s, len, out, out_len)) != IOC_NONE) {
		/* an address or a range */
	} else if (memchr(s, '@', len)) {
		char *at = memrchr(s, '@', len);
		size_t dn = len - (size_t)(at - s) - 1;
		if (at > s && ioc_domain_ok(at + 1, dn)) {
			lower(s, len);
			memcpy(out, s, len + 1);
			*out_len = len;
			t = IOC_EMAIL;
		}
	} else if ((len == 32 || len == 40 || len == 64) && all_hex(s, len)) {
		lower(s, len);
		memcpy(out, s, len + 1);
		*out_len = len;
		t = len == 32 ? IOC_MD5 : len == 40 ? IOC_SHA1 : IOC_SHA256;
	} else {
		char *d = s;
		if (len > 2 && d[0] == '*' && d[1] == '.')
			d += 2, len -= 2;
		if (len && d[len - 1] == '.')
			len--;
		if (ioc_domain_ok(d, len)) {
			lower(d, len);
			memcpy(out, d, len);
			out[len] = '\0';
			*out_len = len;
			t = IOC_DOMAIN;
		}
	}
	if (want == IOC_NONE || t == want)
		return t;
	bool addr_want = want == IOC_IPV4 || want == IOC_IPV6 || want == IOC_CIDR;
	bool addr_got = t == IOC_IPV4 || t == IOC_IPV6 || t == IOC_CIDR;
	return addr_want && addr_got ? t : IOC_NONE;
}
