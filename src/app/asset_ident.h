/*
 * asset_ident.h: the identifiers an asset is known by, read and written
 * in one normal form (asset_ident.c), so that what the register stores
 * and what an alert or a scanner names compare as plain text.
 */
#ifndef SG_ASSET_IDENT_H
#define SG_ASSET_IDENT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

enum { ASSET_HOST_MAX = 253, ASSET_URL_MAX = 2048 };

/* An address or a range: "10.1.2.3", "10.1.0.0/16", "2001:db8::/32". */
typedef struct asset_addr {
	int family;    /* 4 or 6 */
	int prefix;    /* 32 or 128 for one address */
	char lo[33];   /* first address, fixed-width lower-case hex */
	char hi[33];   /* last address */
	char value[64]; /* written back: "10.1.0.0/16", "10.1.2.3" */
} asset_addr;

/* Reads an address or a CIDR range. A range with host bits set
 * ("10.1.2.3/16") is refused with the range it probably means; an
 * IPv4-mapped IPv6 address is read as the IPv4 address. */
int asset_addr_parse(const char *s, asset_addr *out, sg_err *e);

/* A URL split for matching. */
typedef struct asset_url {
	char origin[ASSET_HOST_MAX + 32]; /* "https://sim.dinkes.go.id:8443" */
	char host[ASSET_HOST_MAX + 1];    /* "sim.dinkes.go.id", "10.1.2.3", "2001:db8::1" */
	char path[ASSET_URL_MAX + 1];     /* "/" or "/app/": query and fragment dropped */
} asset_url;

/* Reads an absolute URL (scheme://host[:port][/path]): scheme and host in
 * lower case, the scheme's default port (http 80, https 443) left out. */
int asset_url_parse(const char *s, asset_url *out, sg_err *e);

/* A host name in lower case without a trailing dot: letters, digits,
 * '-', '_' and '.' in labels of 1 to 63 characters. */
int asset_host_norm(const char *s, char out[ASSET_HOST_MAX + 1], sg_err *e);

/* Checks a CPE 2.3 formatted string ("cpe:2.3:a:vendor:product:…"): 13
 * components separated by unescaped colons, part one of a, o, h, * or -,
 * no component empty, printable ASCII without spaces, a backslash always
 * escaping the next character. */
int asset_cpe_check(const char *s, sg_err *e);

/* Whether a registered URL path covers a requested one: equal, a prefix
 * ending at a '/' of either, or the directory asked without its slash. */
bool asset_path_covers(const char *registered, const char *requested);

/* A text field of the register: valid UTF-8 of at most max bytes, no
 * control characters but line breaks and tabs where multiline; required
 * ones not empty. what names it in the message. */
int asset_text_check(const char *what, const char *v, size_t max, bool required, bool multiline,
		     sg_err *e);

#endif
