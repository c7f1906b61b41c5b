/*
 * ioc.h: threat indicators, held for lookup at line rate.
 *
 * An ioc_set holds indicators of every type (addresses, ranges, domains,
 * URLs, e-mail addresses, file hashes) in the forms detection needs:
 * exact values in one open-addressing hash table keyed by type and
 * normalised value, with a blocked Bloom filter in front of it so that
 * the many observables that are not indicators cost one cache line
 * each; address ranges in a binary radix tree per address family,
 * walked to the longest prefix. A domain matches its own subdomains, an
 * address matches every range that holds it. A set is built once and is
 * then read-only, shared by every thread.
 *
 * ioc_scan finds the observables of an event (addresses, domains, URLs,
 * e-mail addresses and hashes in the message and every field value) and
 * looks each up once.
 */
#ifndef SG_DETECT_IOC_H
#define SG_DETECT_IOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/engine/event.h"

typedef enum {
	IOC_NONE = 0,
	IOC_IPV4,
	IOC_IPV6,
	IOC_CIDR,
	IOC_DOMAIN,
	IOC_URL,
	IOC_EMAIL,
	IOC_MD5,
	IOC_SHA1,
	IOC_SHA256
} ioc_type;

/* "ipv4", "ipv6", "cidr", "domain", "url", "email", "md5", "sha1", "sha256". */
const char *ioc_type_name(ioc_type t);
/* The type of a name above (also MISP and STIX spellings such as
 * "ip-dst", "domain-name", "hostname", "sha-256"); IOC_NONE if unknown. */
ioc_type ioc_type_parse(const char *name);

enum { IOC_VALUE_MAX = 2048 };

/* Tells the type of a value and writes its normal form to out (at most
 * IOC_VALUE_MAX bytes and a NUL): addresses as inet_ntop writes them,
 * ranges with their host bits cleared, domains, e-mail addresses and
 * hashes in lower case, URLs with scheme and host in lower case. Defanged
 * forms ("hxxp://", "evil[.]com", "a[at]b.id") are taken too. When want
 * is not IOC_NONE the value must be of that type (an address given as a
 * "cidr" of one host is an address). Returns the type, IOC_NONE when the
 * value is none of them. */
ioc_type ioc_normalise(const char *v, size_t n, ioc_type want, char *out, size_t *out_len);

typedef struct ioc {
	ioc_type type;
	const char *value; /* normal form */
	const char *source, *tlp, *description;
	int confidence;    /* 0..100; -1 when the source gives none */
	int64_t first_seen, last_seen, expires; /* seconds; 0 when unknown / never */
	int64_t id;        /* the row in the store; 0 when read from a file */
} ioc;

typedef struct ioc_set ioc_set;

ioc_set *ioc_set_new(void);
void ioc_set_free(ioc_set *s);
/* Copies in (strings included) into the set, in normal form
 * (ioc_normalise; a range of one address is kept as the address). A
 * value already held is kept as it was first given and counted in
 * ioc_set_duplicates (ranges at once, the rest by ioc_set_finish).
 * Returns 0, or -1 when in->value is not of its type (or the set's 4 GiB
 * of text are full). */
int ioc_set_add(ioc_set *s, const ioc *in);
/* Builds the hash table and the Bloom filter; call once after the last
 * add and before any lookup. */
void ioc_set_finish(ioc_set *s);
/* Indicators held (after finish: repeats not counted). */
size_t ioc_set_count(const ioc_set *s);
size_t ioc_set_duplicates(const ioc_set *s);
/* Bytes the set holds (tables, tree, strings). */
size_t ioc_set_memory(const ioc_set *s);

/* hit: filled for this call only (copy it to keep it); its strings live
 * as long as the set. observed: the text of the event (or the value
 * searched) that hit. */
typedef void (*ioc_hit_fn)(void *ctx, const ioc *hit, const char *observed, size_t observed_len);

/* Every indicator a value matches: itself, the domains it is a
 * subdomain of, the ranges holding an address, the host of a URL or of
 * an e-mail address. Returns the number of hits. */
int ioc_set_match(const ioc_set *s, const char *value, size_t n, ioc_hit_fn fn, void *ctx);

/* Looks up every observable of ev (each distinct one once); returns the
 * number of hits. Thread-safe on a finished set. */
int ioc_scan(const ioc_set *s, const det_event *ev, ioc_hit_fn fn, void *ctx);

/* ioc_scan in two halves, for a caller with other work to do on the same
 * event (the engine matches its rules): ioc_scan_begin finds ev's
 * observables and asks for the memory their lookups will read;
 * ioc_scan_end makes the lookups and returns the number of hits. The
 * hits are those of ioc_scan, told in the same order; most are told by
 * ioc_scan_end, some by ioc_scan_begin (when an event has more lookups
 * than are kept pending). ev must stay as it is in between. One pending
 * scan a thread: p is the caller's. */
typedef struct ioc_pending ioc_pending;
ioc_pending *ioc_pending_new(void);
void ioc_pending_free(ioc_pending *p);
void ioc_scan_begin(ioc_pending *p, const ioc_set *s, const det_event *ev, ioc_hit_fn fn,
                    void *ctx);
int ioc_scan_end(ioc_pending *p);

#endif
