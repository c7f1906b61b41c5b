/*
 * asset_ident.c: the normal forms of an asset's identifiers.
 *
 * The register keeps addresses, ranges, URLs and host names in the form
 * asset_find compares them in, so a lookup is an index probe rather than
 * a parse of every stored row. Addresses become fixed-width hex: a range
 * is its first and last address, and "inside" is lo <= x <= hi as text.
 * Everything here is pure (no SQL); inet_pton/inet_ntop do the address
 * syntax, so what the C library accepts is what the register accepts.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset_ident.h"
#include "base/utf8.h"

static void to_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

int asset_addr_parse(const char *s, asset_addr *out, sg_err *e)
{
	memset(out, 0, sizeof *out);
	char buf[64];
	size_t len = strlen(s);
	if (len == 0 || len >= sizeof buf)
		return sg_err_set(e, SG_EINVAL, "'%s' is not an IP address or CIDR range", s);
	memcpy(buf, s, len + 1);
	char *slash = strchr(buf, '/');
	int prefix = -1;
	if (slash) {
		*slash = '\0';
		char *end;
		const char *p = slash + 1;
		if (!isdigit((unsigned char)*p) || strlen(p) > 3)
			return sg_err_set(e, SG_EINVAL, "'%s' has no valid prefix length after '/'", s);
		prefix = (int)strtol(p, &end, 10);
		if (*end)
			return sg_err_set(e, SG_EINVAL, "'%s' has no valid prefix length after '/'", s);
	}
	unsigned char b[16];
	int family, bytes;
	if (inet_pton(AF_INET, buf, b) == 1) {
		family = 4, bytes = 4;
	} else if (inet_pton(AF_INET6, buf, b) == 1) {
		family = 6, bytes = 16;
		static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (memcmp(b, mapped, 12) == 0 && (prefix < 0 || prefix >= 96)) {
			memmove(b, b + 12, 4);
			family = 4, bytes = 4;
			if (prefix >= 0)
				prefix -= 96;
		}
	} else {
		return sg_err_set(e, SG_EINVAL, "'%s' is not an IP address or CIDR range", s);
	}
	int max = bytes * 8;
	if (prefix < 0)
		prefix = max;
	if (prefix > max)
		return sg_err_set(e, SG_EINVAL, "'%s': an IPv%d prefix length is at most %d", s, family,
				  max);
	unsigned char lo[16], hi[16];
	for (int i = 0; i < bytes; i++) {
		int keep = prefix - 8 * i; /* network bits in this byte */
		unsigned char mask = keep >= 8 ? 0xff : keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
		lo[i] = b[i] & mask;
		hi[i] = b[i] | (unsigned char)~mask;
	}
	char text[INET6_ADDRSTRLEN];
	if (memcmp(lo, b, (size_t)bytes) != 0) {
		inet_ntop(family == 4 ? AF_INET : AF_INET6, lo, text, sizeof text);
		return sg_err_set(e, SG_EINVAL,
				  "'%s' has host bits set: the range is %s/%d", s, text, prefix);
	}
	out->family = family;
	out->prefix = prefix;
	to_hex(lo, (size_t)bytes, out->lo);
	to_hex(hi, (size_t)bytes, out->hi);
	inet_ntop(family == 4 ? AF_INET : AF_INET6, b, text, sizeof text);
	if (prefix == max)
		snprintf(out->value, sizeof out->value, "%s", text);
	else
		snprintf(out->value, sizeof out->value, "%s/%d", text, prefix);
	return 0;
}

int asset_host_norm(const char *s, char out[ASSET_HOST_MAX + 1], sg_err *e)
{
	size_t n = strlen(s);
	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 0 || n > ASSET_HOST_MAX)
		return sg_err_set(e, SG_EINVAL, "'%s' is not a host name", s);
	size_t label = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (label == 0)
				return sg_err_set(e, SG_EINVAL, "host name '%s' has an empty label", s);
			label = 0;
		} else if (isalnum(c) || c == '-' || c == '_') {
			if (++label > 63)
				return sg_err_set(e, SG_EINVAL,
						  "host name '%s' has a label longer than 63 characters", s);
		} else {
			return sg_err_set(e, SG_EINVAL,
					  "host name '%s' may hold only letters, digits, '-', '_' and '.'", s);
		}
		out[i] = (char)tolower(c);
	}
	if (label == 0)
		return sg_err_set(e, SG_EINVAL, "host name '%s' has an empty label", s);
	out[n] = '\0';
	return 0;
}

int asset_url_parse(const char *s, asset_url *out, sg_err *e)
{
	memset(out, 0, sizeof *out);
	size_t len = strlen(s);
	if (len > ASSET_URL_MAX)
		return sg_err_set(e, SG_EINVAL, "a URL is at most %d bytes", ASSET_URL_MAX);
	const char *sep = strstr(s, "://");
	char scheme[16];
	size_t sn = sep ? (size_t)(sep - s) : 0;
	if (sn == 0 || sn >= sizeof scheme || !isalpha((unsigned char)s[0]))
		return sg_err_set(e, SG_EINVAL, "'%s' is not an absolute URL (scheme://host/path)", s);
	for (size_t i = 0; i < sn; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && c != '+' && c != '-' && c != '.')
			return sg_err_set(e, SG_EINVAL, "'%s' is not an absolute URL (scheme://host/path)", s);
		scheme[i] = (char)tolower(c);
	}
	scheme[sn] = '\0';
	const char *auth = sep + 3;
	size_t an = strcspn(auth, "/?#");
	const char *rest = auth + an;
	/* user information is not part of where a system is */
	const char *at = memchr(auth, '@', an);
	if (at) {
		an -= (size_t)(at + 1 - auth);
		auth = at + 1;
	}
	char hostbuf[ASSET_HOST_MAX + 1];
	const char *port = NULL;
	size_t hn;
	if (an > 0 && auth[0] == '[') {
		const char *close = memchr(auth, ']', an);
		if (close == NULL)
			return sg_err_set(e, SG_EINVAL, "URL '%s' has an unclosed '[' in its host", s);
		hn = (size_t)(close - auth - 1);
		if (hn >= sizeof hostbuf)
			return sg_err_set(e, SG_EINVAL, "URL '%s' has no valid host", s);
		memcpy(hostbuf, auth + 1, hn);
		hostbuf[hn] = '\0';
		if (close + 1 < auth + an) {
			if (close[1] != ':')
				return sg_err_set(e, SG_EINVAL, "URL '%s' has no valid host", s);
			port = close + 2;
		}
		unsigned char b[16];
		if (inet_pton(AF_INET6, hostbuf, b) != 1)
			return sg_err_set(e, SG_EINVAL, "URL '%s' has no valid IPv6 address in brackets", s);
		char text[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, b, text, sizeof text);
		snprintf(out->host, sizeof out->host, "%s", text);
	} else {
		const char *colon = memchr(auth, ':', an);
		hn = colon ? (size_t)(colon - auth) : an;
		if (hn == 0 || hn >= sizeof hostbuf)
			return sg_err_set(e, SG_EINVAL, "URL '%s' has no valid host", s);
		memcpy(hostbuf, auth, hn);
		hostbuf[hn] = '\0';
		if (colon)
			port = colon + 1;
		sg_err ignore;
		if (asset_host_norm(hostbuf, out->host, &ignore) != 0)
			return sg_err_set(e, SG_EINVAL, "URL '%s' has no valid host", s);
	}
	long portno = 0;
	if (port) {
		size_t pn = (size_t)(auth + an - port);
		char pbuf[8];
		if (pn == 0 || pn > 5)
			return sg_err_set(e, SG_EINVAL, "URL '%s' has no valid port", s);
		memcpy(pbuf, port, pn);
		pbuf[pn] = '\0';
		char *end;
		portno = strtol(pbuf, &end, 10);
		if (*end || portno < 1 || portno > 65535 || !isdigit((unsigned char)pbuf[0]))
			return sg_err_set(e, SG_EINVAL, "URL '%s' has no valid port", s);
	}
	if ((strcmp(scheme, "http") == 0 && portno == 80) ||
	    (strcmp(scheme, "https") == 0 && portno == 443))
		portno = 0;
	bool v6 = strchr(out->host, ':') != NULL;
	if (portno)
		snprintf(out->origin, sizeof out->origin, v6 ? "%s://[%s]:%ld" : "%s://%s:%ld", scheme,
			 out->host, portno);
	else
		snprintf(out->origin, sizeof out->origin, v6 ? "%s://[%s]" : "%s://%s", scheme,
			 out->host);
	size_t pn = strcspn(rest, "?#");
	if (pn == 0) {
		strcpy(out->path, "/");
	} else {
		memcpy(out->path, rest, pn);
		out->path[pn] = '\0';
	}
	for (const char *p = out->path; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return sg_err_set(e, SG_EINVAL, "URL '%s' has a space or control character", s);
	return 0;
}

bool asset_path_covers(const char *registered, const char *requested)
{
	size_t n = strlen(registered);
	/* "/simpeg" is the directory "/simpeg/" asked without its slash */
	if (n > 1 && registered[n - 1] == '/' && strlen(requested) == n - 1 &&
	    strncmp(registered, requested, n - 1) == 0)
		return true;
	if (strncmp(registered, requested, n) != 0)
		return false;
	return requested[n] == '\0' || registered[n - 1] == '/' || requested[n] == '/';
}

int asset_cpe_check(const char *s, sg_err *e)
{
	if (strncmp(s, "cpe:2.3:", 8) != 0)
		return sg_err_set(e, SG_EINVAL, "'%s' is not a CPE 2.3 string: it must begin 'cpe:2.3:'", s);
	int field = 2;       /* components after "cpe" and "2.3" */
	size_t flen = 0;     /* bytes of the current component */
	const char *start = s + 8;
	for (const char *p = start;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == ':' || c == '\0') {
			if (flen == 0)
				return sg_err_set(e, SG_EINVAL, "CPE '%s': component %d is empty (use * for any)",
						  s, field + 1);
			if (field == 2 && !(flen == 1 && strchr("aoh*-", *start)))
				return sg_err_set(e, SG_EINVAL,
						  "CPE '%s': the part must be a, o or h (application, operating "
						  "system, hardware)",
						  s);
			field++;
			if (c == '\0')
				break;
			flen = 0;
			start = p + 1;
			continue;
		}
		if (c <= ' ' || c >= 0x7f)
			return sg_err_set(e, SG_EINVAL,
					  "CPE '%s': only printable ASCII without spaces (escape with '\\')", s);
		if (c == '\\') {
			unsigned char nx = (unsigned char)p[1];
			if (nx <= ' ' || nx >= 0x7f)
				return sg_err_set(e, SG_EINVAL, "CPE '%s': a '\\' must escape a character", s);
			p++;
			flen += 2;
			continue;
		}
		flen++;
	}
	if (field != 13)
		return sg_err_set(e, SG_EINVAL,
				  "CPE '%s' has %d components; CPE 2.3 has 13 "
				  "(cpe:2.3:part:vendor:product:version:update:edition:language:"
				  "sw_edition:target_sw:target_hw:other)",
				  s, field);
	return 0;
}

int asset_text_check(const char *what, const char *v, size_t max, bool required, bool multiline,
		     sg_err *e)
{
	size_t n = strlen(v);
	if (required && n == 0)
		return sg_err_set(e, SG_EINVAL, "%s is required", what);
	if (n > max)
		return sg_err_set(e, SG_EINVAL, "%s is too long (%zu bytes; at most %zu)", what, n, max);
	if (!utf8_valid(v, n))
		return sg_err_set(e, SG_EINVAL, "%s is not valid UTF-8 text", what);
	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == 0x7f || (c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))))
			return sg_err_set(e, SG_EINVAL, "%s contains control characters", what);
	}
	return 0;
}
