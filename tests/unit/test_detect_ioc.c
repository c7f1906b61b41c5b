/*
 * test_detect_ioc.c: indicator values and the indicator set: the normal
 * form of every type (defanged, upper-case, wildcard, host bits), exact
 * and parent-domain and range lookups, observables found in syslog and
 * Wazuh events, one hit per indicator per event, observables at every
 * offset and next to the ends of a text, words that run on past a block
 * of sixteen bytes or end at bytes that are not ASCII, file names not
 * taken for domains, in words with colons (a part
 * between colons, an IPv6 address), fields that repeat the message
 * or another field looked up once, a set of 200,000
 * indicators in which every one is found and random values are not (in
 * at most 72 bytes an indicator), and every field of an indicator kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/ioc/ioc.h"
#include "detect/engine/event.h"
#include "detect/input/parse.h"

static void norm(const char *in, ioc_type want, ioc_type type, const char *out)
{
	char buf[IOC_VALUE_MAX + 1];
	size_t n = 0;
	ioc_type got = ioc_normalise(in, strlen(in), want, buf, &n);
	if (got != type)
		fail_msg("%s: type %s, expected %s", in, ioc_type_name(got), ioc_type_name(type));
	if (out && (n != strlen(out) || strcmp(buf, out) != 0))
		fail_msg("%s: \"%s\" (%zu bytes), expected \"%s\"", in, buf, n, out);
}

static void test_normalise(void **state)
{
	(void)state;
	norm("192.0.2.7", IOC_NONE, IOC_IPV4, "192.0.2.7");
	norm(" 192.0.2[.]7 ", IOC_NONE, IOC_IPV4, "192.0.2.7");
	norm("192.0.2.07", IOC_NONE, IOC_NONE, NULL); /* leading zero: ambiguous */
	norm("256.1.1.1", IOC_NONE, IOC_NONE, NULL);
	norm("2001:DB8::0:1", IOC_NONE, IOC_IPV6, "2001:db8::1");
	norm("198.51.100.77/24", IOC_NONE, IOC_CIDR, "198.51.100.0/24");
	norm("10.0.0.9/32", IOC_CIDR, IOC_IPV4, "10.0.0.9");
	norm("2001:db8:ff:7::1/48", IOC_NONE, IOC_CIDR, "2001:db8:ff::/48");
	norm("10.0.0.0/33", IOC_NONE, IOC_NONE, NULL);
	norm("Evil-Domain.Example.ID.", IOC_NONE, IOC_DOMAIN, "evil-domain.example.id");
	norm("*.phish.example", IOC_NONE, IOC_DOMAIN, "phish.example");
	norm("evil[.]example(.)id", IOC_NONE, IOC_DOMAIN, "evil.example.id");
	norm("localhost", IOC_NONE, IOC_NONE, NULL);
	norm("1.2.3", IOC_NONE, IOC_NONE, NULL);
	norm("-bad.example", IOC_NONE, IOC_NONE, NULL);
	norm("hxxps://Login.Example.ID/Path?Q=1", IOC_NONE, IOC_URL, "https://login.example.id/Path?Q=1");
	norm("http://EVIL.example/", IOC_NONE, IOC_URL, "http://evil.example");
	norm("http://198.51.100.9:8080/x", IOC_NONE, IOC_URL, "http://198.51.100.9:8080/x");
	norm("http:///nohost", IOC_NONE, IOC_NONE, NULL);
	norm("Admin[at]Phish.Example", IOC_NONE, IOC_EMAIL, "admin@phish.example");
	norm("D41D8CD98F00B204E9800998ECF8427E", IOC_NONE, IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e");
	norm("da39a3ee5e6b4b0d3255bfef95601890afd80709", IOC_NONE, IOC_SHA1, NULL);
	norm("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", IOC_NONE,
	     IOC_SHA256, NULL);
	norm("d41d8cd98f00b204e9800998ecf8427", IOC_NONE, IOC_NONE, NULL); /* 31 digits */
	/* spaces and control bytes belong to no type (found by fuzz_lists) */
	norm("ad\x1bmin@phish.example", IOC_NONE, IOC_NONE, NULL);
	norm("http://evil.example/a b", IOC_NONE, IOC_NONE, NULL);
	/* a declared type must fit the value */
	norm("evil.example", IOC_IPV4, IOC_NONE, NULL);
	norm("2001:db8::1", IOC_IPV4, IOC_IPV6, "2001:db8::1");
	norm("d41d8cd98f00b204e9800998ecf8427e", IOC_SHA1, IOC_NONE, NULL);
	assert_int_equal(ioc_type_parse("ip-dst"), IOC_IPV4);
	assert_int_equal(ioc_type_parse("domain-name"), IOC_DOMAIN);
	assert_int_equal(ioc_type_parse("SHA-256"), IOC_SHA256);
	assert_int_equal(ioc_type_parse("mutex"), IOC_NONE);
	assert_string_equal(ioc_type_name(IOC_CIDR), "cidr");
}

static void add(ioc_set *s, ioc_type t, const char *v, const char *source)
{
	ioc i = {.type = t, .value = v, .source = source, .tlp = "amber", .confidence = 80};
	if (ioc_set_add(s, &i) != 0)
		fail_msg("cannot add %s", v);
}

typedef struct hits {
	int n;
	char what[16][160];
} hits;

static void on_hit(void *ctx, const ioc *hit, const char *obs, size_t on)
{
	hits *h = ctx;
	if (h->n < 16)
		snprintf(h->what[h->n], sizeof h->what[0], "%s %s <%.*s> %s", ioc_type_name(hit->type),
		         hit->value, (int)on, obs, hit->source ? hit->source : "-");
	h->n++;
}

static ioc_set *sample_set(void)
{
	ioc_set *s = ioc_set_new();
	add(s, IOC_IPV4, "203.0.113.9", "feed-a");
	add(s, IOC_CIDR, "198.51.100.0/24", "feed-b");
	add(s, IOC_CIDR, "198.51.0.0/16", "feed-b");
	add(s, IOC_IPV6, "2001:db8::bad", "feed-a");
	add(s, IOC_CIDR, "2001:db8:ff::/48", "feed-a");
	add(s, IOC_DOMAIN, "phish.example", "feed-c");
	add(s, IOC_URL, "http://dl.example.net/payload.sh", "feed-c");
	add(s, IOC_EMAIL, "ceo@phish.example", "feed-c");
	add(s, IOC_MD5, "44d88612fea8a8f36de82e1278abb02f", "feed-d");
	add(s, IOC_SHA256, "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
	    "feed-d");
	/* a value already held is kept once */
	add(s, IOC_IPV4, "203.0.113.9", "feed-z");
	add(s, IOC_CIDR, "198.51.100.0/24", "feed-z");
	ioc_set_finish(s);
	assert_int_equal(ioc_set_count(s), 10);
	assert_int_equal(ioc_set_duplicates(s), 2);
	return s;
}

static int match(const ioc_set *s, const char *v, hits *h)
{
	memset(h, 0, sizeof *h);
	return ioc_set_match(s, v, strlen(v), on_hit, h);
}

static void test_lookup(void **state)
{
	(void)state;
	ioc_set *s = sample_set();
	hits h;
	assert_int_equal(match(s, "203.0.113.9", &h), 1);
	assert_string_equal(h.what[0], "ipv4 203.0.113.9 <203.0.113.9> feed-a");
	assert_int_equal(match(s, "203.0.113.10", &h), 0);
	/* an address inside two ranges hits both, widest first */
	assert_int_equal(match(s, "198.51.100.200", &h), 2);
	assert_string_equal(h.what[0], "cidr 198.51.0.0/16 <198.51.100.200> feed-b");
	assert_string_equal(h.what[1], "cidr 198.51.100.0/24 <198.51.100.200> feed-b");
	assert_int_equal(match(s, "198.51.7.1", &h), 1);
	assert_int_equal(match(s, "198.52.0.1", &h), 0);
	assert_int_equal(match(s, "2001:DB8:0::BAD", &h), 1);
	assert_int_equal(match(s, "2001:db8:ff:1::5", &h), 1);
	assert_string_equal(h.what[0], "cidr 2001:db8:ff::/48 <2001:db8:ff:1::5> feed-a");
	assert_int_equal(match(s, "2001:db8:fe::5", &h), 0);
	/* a subdomain matches its parent; a look-alike does not */
	assert_int_equal(match(s, "login.secure.PHISH.example", &h), 1);
	assert_int_equal(match(s, "phish.example", &h), 1);
	assert_int_equal(match(s, "notphish.example", &h), 0);
	assert_int_equal(match(s, "example", &h), 0);
	/* a URL hits itself and the domain of its host */
	assert_int_equal(match(s, "HTTP://dl.example.net/payload.sh", &h), 1);
	assert_int_equal(match(s, "https://www.phish.example/login", &h), 1);
	assert_string_equal(h.what[0],
	                    "domain phish.example <https://www.phish.example/login> feed-c");
	assert_int_equal(match(s, "ceo@phish.example", &h), 2); /* the address and its domain */
	assert_int_equal(match(s, "44D88612FEA8A8F36DE82E1278ABB02F", &h), 1);
	assert_int_equal(match(s, "198.51.100.0/24", &h), 1);
	assert_int_equal(match(s, "nonsense", &h), 0);
	ioc_set_free(s);

	/* nested ranges above and below the tree's /16 step */
	s = ioc_set_new();
	add(s, IOC_CIDR, "10.0.0.0/8", "n");
	add(s, IOC_CIDR, "10.1.0.0/16", "n");
	add(s, IOC_CIDR, "10.1.2.0/24", "n");
	add(s, IOC_CIDR, "10.1.2.3/32", "n"); /* an address, said as a range */
	add(s, IOC_CIDR, "0.0.0.0/0", "n");
	ioc_set_finish(s);
	assert_int_equal(match(s, "10.1.2.3", &h), 5);
	assert_string_equal(h.what[0], "ipv4 10.1.2.3 <10.1.2.3> n");
	assert_string_equal(h.what[1], "cidr 0.0.0.0/0 <10.1.2.3> n");
	assert_int_equal(match(s, "10.1.9.9", &h), 3);
	assert_int_equal(match(s, "10.2.0.1", &h), 2);
	assert_int_equal(match(s, "11.0.0.1", &h), 1);
	ioc_set_free(s);

	/* ranges between /16 and /24 and below /24: each /24 they cover */
	s = ioc_set_new();
	add(s, IOC_CIDR, "172.16.16.0/20", "n");
	add(s, IOC_CIDR, "192.0.2.128/25", "n");
	add(s, IOC_CIDR, "192.0.2.192/26", "n");
	ioc_set_finish(s);
	assert_int_equal(match(s, "172.16.16.1", &h), 1);
	assert_int_equal(match(s, "172.16.31.200", &h), 1);
	assert_int_equal(match(s, "172.16.32.1", &h), 0);
	assert_int_equal(match(s, "172.16.15.255", &h), 0);
	assert_int_equal(match(s, "192.0.2.200", &h), 2);
	assert_string_equal(h.what[0], "cidr 192.0.2.128/25 <192.0.2.200> n");
	assert_int_equal(match(s, "192.0.2.129", &h), 1);
	assert_int_equal(match(s, "192.0.2.100", &h), 0);
	assert_int_equal(match(s, "192.0.3.200", &h), 0);
	ioc_set_free(s);
}

static int scan_line(const ioc_set *s, const char *line, hits *h)
{
	static det_event ev;
	static const det_syslog_opts so = {2026, 420};
	const char *why;
	memset(h, 0, sizeof *h);
	det_parse_line(line, strlen(line), &so, &ev, &why);
	return ioc_scan(s, &ev, on_hit, h);
}

static void test_scan_events(void **state)
{
	(void)state;
	ioc_set *s = sample_set();
	hits h;
	assert_int_equal(
	    scan_line(s,
	              "Nov 23 08:00:01 web01 sshd[811]: Failed password for root from 203.0.113.9 "
	              "port 52114 ssh2",
	              &h),
	    1);
	assert_string_equal(h.what[0], "ipv4 203.0.113.9 <203.0.113.9> feed-a");
	/* the same address twice, in the message and in a decoded field: one hit */
	assert_int_equal(
	    scan_line(s,
	              "Nov 23 08:00:02 web01 sshd[811]: Accepted password for budi from "
	              "203.0.113.9 port 4 ssh2; again 203.0.113.9",
	              &h),
	    1);
	assert_int_equal(scan_line(s,
	                           "Nov 23 08:00:03 web01 proxy: GET "
	                           "\"http://dl.example.net/payload.sh\" from 198.51.100.4:443",
	                           &h),
	                 3);
	assert_string_equal(h.what[0], "url http://dl.example.net/payload.sh "
	                               "<http://dl.example.net/payload.sh> feed-c");
	assert_string_equal(h.what[1], "cidr 198.51.0.0/16 <198.51.100.4> feed-b");
	assert_string_equal(h.what[2], "cidr 198.51.100.0/24 <198.51.100.4> feed-b");
	assert_int_equal(scan_line(s,
	                           "Nov 23 08:00:04 mail01 postfix/smtpd[7]: from=<CEO@phish.example>"
	                           " md5=44d88612fea8a8f36de82e1278abb02f.",
	                           &h),
	                 3);
	assert_int_equal(
	    scan_line(s,
	              "{\"timestamp\":\"2026-11-23T08:00:05.000+0700\",\"agent\":{\"name\":\"ws-01\"},"
	              "\"data\":{\"win\":{\"eventdata\":{\"hashes\":\"SHA256="
	              "275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F,IMPHASH=00\","
	              "\"destinationIp\":\"2001:db8:ff::7\"}}},\"full_log\":\"x\"}",
	              &h),
	    2);
	/* a Wazuh alert: its own bookkeeping (the rule's description and
	 * groups, the decoder, the manager) holds no observable of the event;
	 * the same address in data.* and the agent's address are looked up */
#define WAZUH_ALERT                                                                         \
	"{\"timestamp\":\"2026-11-23T08:00:07.000+0700\",\"rule\":{\"level\":5,"              \
	"\"description\":\"Blocked 203.0.113.9 (www.phish.example)\",\"id\":\"100200\","       \
	"\"groups\":[\"phish.example\"]},\"agent\":{\"id\":\"001\",\"name\":\"fw01\","     \
	"\"ip\":\"%s\"},\"manager\":{\"name\":\"phish.example\"},\"id\":\"1.2\","           \
	"\"decoder\":{\"name\":\"phish.example\"},\"data\":{%s},"                          \
	"\"location\":\"/var/log/fw.log\"}"
	char line[1024];
	snprintf(line, sizeof line, WAZUH_ALERT, "10.0.0.1", "\"action\":\"drop\"");
	assert_int_equal(scan_line(s, line, &h), 0);
	snprintf(line, sizeof line, WAZUH_ALERT, "10.0.0.1", "\"srcip\":\"203.0.113.9\"");
	assert_int_equal(scan_line(s, line, &h), 1);
	assert_string_equal(h.what[0], "ipv4 203.0.113.9 <203.0.113.9> feed-a");
	snprintf(line, sizeof line, WAZUH_ALERT, "203.0.113.9", "\"action\":\"drop\"");
	assert_int_equal(scan_line(s, line, &h), 1);
	/* the same fields in a JSON line that is not a Wazuh alert are its own */
	assert_true(scan_line(s, "{\"rule\":{\"description\":\"from 203.0.113.9\"}}", &h) == 1);
#undef WAZUH_ALERT
	assert_int_equal(
	    scan_line(s,
	              "Nov 23 08:00:06 web01 nginx: 192.0.2.1 - - [23/Nov/2026:08:00:06 +0700] \"GET "
	              "/index.php HTTP/1.1\" 200 12 \"-\" \"curl/8.0\"",
	              &h),
	    0);
	ioc_set_free(s);
}

/* 200,000 indicators of mixed types: every one found, none of 200,000
 * other values, and duplicates kept once. */
static void test_large_set(void **state)
{
	(void)state;
	ioc_set *s = ioc_set_new();
	char v[128];
	uint64_t x = 42;
	enum { N = 200000 };
	for (int i = 0; i < N; i++) {
		ioc_type t;
		switch (i % 4) {
		case 0:
			t = IOC_IPV4;
			snprintf(v, sizeof v, "%d.%d.%d.%d", 1 + (i >> 16) % 200, (i >> 8) & 255, i & 255,
			         (i * 7) % 256);
			break;
		case 1:
			t = IOC_DOMAIN;
			snprintf(v, sizeof v, "host%d.bad%d.example", i, i % 97);
			break;
		case 2:
			t = IOC_SHA1;
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			snprintf(v, sizeof v, "%016llx%016llx%08x", (unsigned long long)x,
			         (unsigned long long)(x * 31), (unsigned)i);
			break;
		default:
			t = IOC_URL;
			snprintf(v, sizeof v, "http://cdn%d.example.org/p/%d", i % 1000, i);
			break;
		}
		ioc in = {.type = t, .value = v, .source = "gen"};
		assert_int_equal(ioc_set_add(s, &in), 0);
	}
	ioc_set_finish(s);
	size_t held = ioc_set_count(s);
	assert_true(held + ioc_set_duplicates(s) == N);
	assert_true(held > N - 2000);
	/* the domains: each found by a subdomain of it */
	for (int i = 1; i < N; i += 4) {
		snprintf(v, sizeof v, "www.host%d.bad%d.example", i, i % 97);
		hits h;
		if (match(s, v, &h) != 1)
			fail_msg("%s not found", v);
	}
	int found = 0;
	for (int i = 0; i < N; i++) {
		snprintf(v, sizeof v, "miss%d.other%d.example", i, i);
		hits h;
		found += match(s, v, &h);
		snprintf(v, sizeof v, "http://cdn%d.example.org/p/%d", i % 1000, i + N);
		found += match(s, v, &h);
	}
	assert_int_equal(found, 0);
	/* about 65 bytes an indicator here (docs/performance.md): a 20-byte
	 * entry, 10.7 of hash slots, 1.25 of Bloom filters, the key and value
	 * text (these average 33 bytes); the source is held once */
	size_t per = ioc_set_memory(s) / held;
	if (per < 40 || per > 72)
		fail_msg("%zu bytes an indicator", per);
	ioc_set_free(s);
}

/* Scans text as a line of no known format: the indicator scan reads the
 * whole of it. The text is copied to a block of its exact size, so that a
 * read past its end shows under AddressSanitizer. */
static int scan_raw(const ioc_set *s, const char *text, hits *h)
{
	static det_event ev;
	size_t n = strlen(text);
	char *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, text, n);
	det_event_reset(&ev, copy, n);
	memset(h, 0, sizeof *h);
	int got = ioc_scan(s, &ev, on_hit, h);
	free(copy);
	return got;
}

/* The scan passes over words without a dot, colon or '@' sixteen bytes
 * at a time (texts under sixteen bytes as two words): an observable is
 * found at every offset, next to either end of the text, whatever the
 * text's length. */
static void test_scan_offsets(void **state)
{
	(void)state;
	ioc_set *s = sample_set();
	static const struct {
		const char *obs;
		const char *hit;
	} cases[] = {
	    {"203.0.113.9", "ipv4 203.0.113.9 <203.0.113.9> feed-a"},
	    {"198.51.7.1", "cidr 198.51.0.0/16 <198.51.7.1> feed-b"},
	    {"2001:DB8::BAD", "ipv6 2001:db8::bad <2001:DB8::BAD> feed-a"},
	    {"www.Phish.example", "domain phish.example <www.Phish.example> feed-c"},
	    {"44D88612FEA8A8F36DE82E1278ABB02F",
	     "md5 44d88612fea8a8f36de82e1278abb02f <44D88612FEA8A8F36DE82E1278ABB02F> feed-d"},
	    {"275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F",
	     "sha256 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f "
	     "<275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F> feed-d"},
	    {"http://dl.example.net/payload.sh",
	     "url http://dl.example.net/payload.sh <http://dl.example.net/payload.sh> feed-c"},
	};
	char text[256];
	hits h;
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
		for (int before = 0; before < 40; before++)
			for (int after = 0; after < 20; after += 3) {
				/* words before and after: letters, then a space */
				int o = 0;
				for (int k = 0; k < before; k++)
					text[o++] = k + 1 == before ? ' ' : (char)('a' + k % 26);
				o += snprintf(text + o, sizeof text - (size_t)o, "%s", cases[c].obs);
				for (int k = 0; k < after; k++)
					text[o++] = k == 0 ? ' ' : 'z';
				text[o] = '\0';
				if (scan_raw(s, text, &h) != 1 || strcmp(h.what[0], cases[c].hit) != 0)
					fail_msg("\"%s\": %d hits, first \"%s\"", text, h.n, h.n ? h.what[0] : "");
			}
	/* not observables: hex runs one short and one long of a hash, a hash
	 * run on into a word, clock times, versions, file names */
	const char *none[] = {
	    "44D88612FEA8A8F36DE82E1278ABB02",
	    "44D88612FEA8A8F36DE82E1278ABB02F0",
	    "id 44d88612fea8a8f36de82e1278abb02fz",
	    "at 08:00:01 and 2026-11-23T08:00:01.000+0700",
	    "HTTP/1.1 Mozilla/5.0 (Windows NT 10.0)",
	    "/var/log/auth.log C:\\Windows\\explorer.exe",
	    "a", "ab.", ":::", "@@", "...............................................",
	};
	for (size_t c = 0; c < sizeof none / sizeof none[0]; c++)
		if (scan_raw(s, none[c], &h) != 0)
			fail_msg("\"%s\": %s", none[c], h.what[0]);
	/* words with a colon: each part between colons is looked at, and
	 * the whole word as an IPv6 address; clock times and "sshd:" are
	 * passed over before that (may_hold), these are not */
	static const struct {
		const char *text, *hit;
	} colon[] = {
	    {"t=08:00:01:203.0.113.9", "ipv4 203.0.113.9 <203.0.113.9> feed-a"},
	    {"to 203.0.113.9.:443", "ipv4 203.0.113.9 <203.0.113.9> feed-a"},
	    {"at 2001:db8:0:0:0:0:0:bad", "ipv6 2001:db8::bad <2001:db8:0:0:0:0:0:bad> feed-a"},
	    {"at 2001:db8:ff::7.", "cidr 2001:db8:ff::/48 <2001:db8:ff::7> feed-a"},
	    {"peer=::ffff:198.51.7.1", "cidr 198.51.0.0/16 <198.51.7.1> feed-b"},
	    {"user:www.phish.example:22", "domain phish.example <www.phish.example> feed-c"},
	    {"08:00:01:phish.example.", "domain phish.example <phish.example> feed-c"},
	    {"md5:44D88612FEA8A8F36DE82E1278ABB02F",
	     "md5 44d88612fea8a8f36de82e1278abb02f <44D88612FEA8A8F36DE82E1278ABB02F> feed-d"},
	};
	for (size_t c = 0; c < sizeof colon / sizeof colon[0]; c++)
		if (scan_raw(s, colon[c].text, &h) != 1 || strcmp(h.what[0], colon[c].hit) != 0)
			fail_msg("\"%s\": %d hits, first \"%s\"", colon[c].text, h.n,
			         h.n ? h.what[0] : "");
	/* a URL at the end of the text, its full stop left out */
	assert_int_equal(scan_raw(s, "see http://dl.example.net/payload.sh.", &h), 1);
	/* a host:port and an e-mail address, each at the very end */
	assert_int_equal(scan_raw(s, "to 203.0.113.9:443", &h), 1);
	assert_int_equal(scan_raw(s, "from CEO@phish.example", &h), 2);
	ioc_set_free(s);
}

/* A word's bounds are found sixteen bytes at a time from the block that
 * holds its mark: a word that runs on past the block's edge (before or
 * after the mark, by any length), one next to bytes that are not ASCII,
 * one at the text's end are the whole word, whatever the offset. */
static void test_scan_word_edges(void **state)
{
	(void)state;
	ioc_set *s = sample_set();
	char text[256];
	hits h;
	for (int at = 0; at < 40; at++) {
		char lead[64];
		for (int k = 0; k < at; k++)
			lead[k] = (char)('a' + k % 26);
		lead[at] = '\0';
		/* glued on before or after, the word is another one */
		snprintf(text, sizeof text, "%sphish.example", lead);
		assert_int_equal(scan_raw(s, text, &h), at == 0);
		snprintf(text, sizeof text, "%s 203.0.113.9%s", lead, lead);
		if (scan_raw(s, text, &h) != (at == 0))
			fail_msg("\"%s\": %d hits", text, h.n);
		snprintf(text, sizeof text, "x%s 44D88612FEA8A8F36DE82E1278ABB02F%s", lead, lead);
		if (scan_raw(s, text, &h) != (at == 0))
			fail_msg("\"%s\": %d hits", text, h.n);
		/* a long word: its parent domains still looked up */
		snprintf(text, sizeof text, "%s %s.x.phish.example. and", lead, lead);
		if (scan_raw(s, text, &h) != 1)
			fail_msg("\"%s\": %d hits", text, h.n);
		/* bytes of UTF-8 ("é", "—") end a word on either side */
		snprintf(text, sizeof text, "%s\xc3\xa9" "203.0.113.9\xe2\x80\x94%s", lead, lead);
		if (scan_raw(s, text, &h) != 1 || strcmp(h.what[0], "ipv4 203.0.113.9 <203.0.113.9> feed-a"))
			fail_msg("\"%s\": %d hits", text, h.n);
		/* at the text's very end, the text any length */
		snprintf(text, sizeof text, "%s\xc3\xa9phish.example", lead);
		if (scan_raw(s, text, &h) != 1)
			fail_msg("\"%s\": %d hits", text, h.n);
	}
	ioc_set_free(s);
}

/* Words that end as a file name does (".log", ".exe", ".service", in
 * any case) are not looked up as domains, even one a feed lists; other
 * endings, those that are top-level domains too (".sh") among them,
 * are. */
static void test_scan_file_names(void **state)
{
	(void)state;
	ioc_set *s = ioc_set_new();
	const char *held[] = {"auth.log", "explorer.exe", "nginx.service", "drop.sh",
	                      "app.jsonl", "x.logs", "y.lo"};
	for (size_t k = 0; k < sizeof held / sizeof held[0]; k++)
		add(s, IOC_DOMAIN, held[k], "feed-f");
	ioc_set_finish(s);
	hits h;
	const char *files[] = {"/var/log/auth.log", "C:\\Windows\\EXPLORER.EXE", "nginx.Service",
	                       "a.b.auth.log."};
	for (size_t k = 0; k < sizeof files / sizeof files[0]; k++)
		if (scan_raw(s, files[k], &h) != 0)
			fail_msg("\"%s\": %s", files[k], h.what[0]);
	const char *domains[] = {"get drop.sh now", "app.jsonl", "X.LOGS", "see y.lo."};
	for (size_t k = 0; k < sizeof domains / sizeof domains[0]; k++)
		if (scan_raw(s, domains[k], &h) != 1)
			fail_msg("\"%s\": %d hits", domains[k], h.n);
	ioc_set_free(s);
}

/* Fields that repeat text already scanned: the message inside a field
 * that holds it (Wazuh's full_log) and a field that is another name for
 * a value (the Windows fields under Sigma's names) are looked up once;
 * a URL of the field that runs on past the message's end is its own. */
static void test_scan_repeats(void **state)
{
	(void)state;
	ioc_set *s = sample_set();
	static det_event ev;
	hits h;
	const char *line = "Nov 23 08:00:01 web01 proxy: GET http://dl.example.net/payload.sh "
	                   "from 203.0.113.9";
	size_t n = strlen(line);
	det_event_reset(&ev, line, n);
	const char *msg = strstr(line, "GET");
	/* the message ends inside the URL: "http://dl.example.net/pay" */
	ev.message = (det_str){msg, (size_t)(strstr(line, "load.sh") - msg)};
	det_event_add(&ev, "full_log", 8, line, n);
	det_event_add(&ev, "srcip", 5, strstr(line, "203."), 11);
	det_event_add(&ev, "again", 5, line, n);
	memset(&h, 0, sizeof h);
	assert_int_equal(ioc_scan(s, &ev, on_hit, &h), 2);
	assert_string_equal(h.what[0], "url http://dl.example.net/payload.sh "
	                               "<http://dl.example.net/payload.sh> feed-c");
	assert_string_equal(h.what[1], "ipv4 203.0.113.9 <203.0.113.9> feed-a");
	/* the message whole: its hits come first, the field adds none */
	ev.message = (det_str){msg, n - (size_t)(msg - line)};
	memset(&h, 0, sizeof h);
	assert_int_equal(ioc_scan(s, &ev, on_hit, &h), 2);
	assert_string_equal(h.what[1], "ipv4 203.0.113.9 <203.0.113.9> feed-a");
	/* a field that goes back in the text but is no other name for one:
	 * scanned */
	const char *rec = "www.phish.example 203.0.113.9";
	det_event_reset(&ev, rec, strlen(rec));
	det_event_add(&ev, "dst", 3, rec + 18, 11);
	det_event_add(&ev, "all", 3, rec, strlen(rec));
	memset(&h, 0, sizeof h);
	assert_int_equal(ioc_scan(s, &ev, on_hit, &h), 2);
	assert_string_equal(h.what[1], "domain phish.example <www.phish.example> feed-c");
	ioc_set_free(s);
}

/* The hits of a text, in order, with what was observed. */
typedef struct hit_list {
	int n;
	char what[256][48];
} hit_list;

static void on_hit_list(void *ctx, const ioc *hit, const char *obs, size_t on)
{
	hit_list *l = ctx;
	if (l->n < 256)
		snprintf(l->what[l->n], sizeof l->what[0], "%s <%.*s>", ioc_type_name(hit->type),
		         on > 30 ? 30 : (int)on, obs);
	l->n++;
}

/* Lookups wait in a list of 32 (and 4 KiB of keys) while their memory is
 * asked for, and are made when the list is full and at the end of the
 * event: an event of many more observables and long keys than that gets
 * every hit, once, in the order of the text, across the list's refills
 * (a repeat after a refill included), whether scanned at once or in the
 * two halves the engine uses. */
static void test_scan_many_lookups(void **state)
{
	(void)state;
	ioc_set *s = ioc_set_new();
	char v[2100];
	for (int i = 0; i < 300; i += 12) {
		snprintf(v, sizeof v, "10.0.%d.%d", i / 100, i % 100);
		add(s, IOC_IPV4, v, "a");
	}
	add(s, IOC_CIDR, "10.9.0.0/16", "b");
	add(s, IOC_CIDR, "10.9.7.0/24", "b");
	add(s, IOC_DOMAIN, "bad.example", "c");
	/* a URL of 1,900 bytes: two of them do not fit the keys' 4 KiB */
	int o = snprintf(v, sizeof v, "http://long.example/");
	while (o < 1900)
		v[o++] = 'p';
	v[o] = '\0';
	add(s, IOC_URL, v, "d");
	ioc_set_finish(s);
	size_t cap = 64 * 1024, n = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	char expect[64][48];
	int ne = 0;
	for (int i = 0; i < 300; i++) {
		/* an address a word, every twelfth held; one in two ranges */
		char a[32];
		if (i == 7)
			snprintf(a, sizeof a, "10.9.7.7");
		else
			snprintf(a, sizeof a, "10.0.%d.%d", i / 100, i % 100);
		if (i == 7) {
			snprintf(expect[ne++], sizeof expect[0], "cidr <%s>", a);
			snprintf(expect[ne++], sizeof expect[0], "cidr <%s>", a);
		} else if (i % 12 == 0) {
			snprintf(expect[ne++], sizeof expect[0], "ipv4 <%s>", a);
		}
		n += (size_t)snprintf(text + n, cap - n, "%s x ", a);
		if (i == 40 || i == 160 || i == 290) {
			/* long URLs: the held one, then one a byte longer; hits
			 * the first time only */
			n += (size_t)snprintf(text + n, cap - n, "%s %sq www.bad.example ", v, v);
			if (i == 40) {
				snprintf(expect[ne++], sizeof expect[0], "url <%.30s>", v);
				snprintf(expect[ne++], sizeof expect[0], "domain <www.bad.example>");
			}
		}
	}
	/* repeats of an address and a range held, after many refills: no
	 * second hit */
	n += (size_t)snprintf(text + n, cap - n, "10.0.0.12 10.0.0.12 10.9.7.1");
	static det_event ev;
	det_event_reset(&ev, text, n);
	static hit_list l;
	l.n = 0;
	int got = ioc_scan(s, &ev, on_hit_list, &l);
	for (int i = 0; i < ne; i++)
		if (strcmp(l.what[i], expect[i]) != 0)
			fail_msg("hit %d: \"%s\", expected \"%s\"", i, l.what[i], expect[i]);
	if (got != ne || l.n != ne)
		fail_msg("%d hits (%d reported), %d expected", got, l.n, ne);
	/* the same in two halves (the engine's way), twice with one pending
	 * scan: the hits told while the list refilled, by ioc_scan_begin,
	 * then the rest by ioc_scan_end, in the same order; an empty set
	 * tells none */
	ioc_pending *p = ioc_pending_new();
	for (int round = 0; round < 2; round++) {
		static hit_list l2;
		l2.n = 0;
		ioc_scan_begin(p, s, &ev, on_hit_list, &l2);
		int early = l2.n;
		got = ioc_scan_end(p);
		assert_true(early > 0 && early < ne);
		if (got != ne || l2.n != ne)
			fail_msg("two halves: %d hits (%d reported), %d expected", got, l2.n, ne);
		for (int i = 0; i < ne; i++)
			assert_string_equal(l2.what[i], l.what[i]);
	}
	ioc_set *none = ioc_set_new();
	ioc_set_finish(none);
	l.n = 0;
	ioc_scan_begin(p, none, &ev, on_hit_list, &l);
	assert_int_equal(ioc_scan_end(p), 0);
	assert_int_equal(l.n, 0);
	ioc_set_free(none);
	ioc_pending_free(p);
	/* the same through ioc_set_match, one value */
	hits h;
	assert_int_equal(match(s, v, &h), 1);
	free(text);
	ioc_set_free(s);
}

/* A set whose Bloom filters pass 1 MiB together (the addresses' filter
 * alone here): they are grown to fill a 2 MiB huge page and the hash
 * slots lie in huge pages. Every class's filter still answers for its
 * own keys: each indicator found, no other value. */
static void test_huge_tables(void **state)
{
	(void)state;
	ioc_set *s = ioc_set_new();
	char v[96];
	enum { N = 880000 };
	for (int i = 0; i < N; i++) {
		snprintf(v, sizeof v, "%d.%d.%d.%d", 11 + i / 65536, (i / 256) % 256, i % 256,
		         (i * 13) % 256);
		add(s, IOC_IPV4, v, "gen");
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(v, sizeof v, "host%d.bad.example", i);
		add(s, IOC_DOMAIN, v, "gen");
		snprintf(v, sizeof v, "%032x", i * 7919);
		add(s, IOC_MD5, v, "gen");
	}
	ioc_set_finish(s);
	assert_int_equal(ioc_set_count(s), N + 2000);
	hits h;
	int found = 0, other = 0;
	for (int i = 0; i < N; i += 7) {
		snprintf(v, sizeof v, "%d.%d.%d.%d", 11 + i / 65536, (i / 256) % 256, i % 256,
		         (i * 13) % 256);
		found += match(s, v, &h);
		snprintf(v, sizeof v, "%d.%d.%d.%d", 11 + i / 65536, (i / 256) % 256, i % 256,
		         (i * 13 + 1) % 256);
		other += match(s, v, &h);
	}
	assert_int_equal(found, (N + 6) / 7);
	assert_int_equal(other, 0);
	for (int i = 0; i < 1000; i++) {
		snprintf(v, sizeof v, "www.host%d.bad.example", i);
		found += match(s, v, &h);
		snprintf(v, sizeof v, "%032x", i * 7919);
		found += match(s, v, &h);
		snprintf(v, sizeof v, "%032x", i * 7919 + 1);
		other += match(s, v, &h);
	}
	assert_int_equal(found, (N + 6) / 7 + 2000);
	assert_int_equal(other, 0);
	ioc_set_free(s);
}

static const ioc *last;
static ioc kept;

static void keep(void *ctx, const ioc *hit, const char *obs, size_t on)
{
	(void)ctx, (void)obs, (void)on;
	kept = *hit;
	last = &kept;
}

/* What a hit carries: every field given, the strings held by the set;
 * an IPv4 address said as IPv6 (::ffff:a.b.c.d) is the same indicator. */
static void test_fields_kept(void **state)
{
	(void)state;
	ioc_set *s = ioc_set_new();
	char desc[64] = "botnet_cc; Mozi";
	ioc full = {.type = IOC_IPV4, .value = "203.0.113.9", .source = "urlhaus", .tlp = "TLP:RED",
	            .description = desc, .confidence = 90, .first_seen = 1795300000,
	            .last_seen = 1795400000, .expires = 1796000000, .id = 77};
	assert_int_equal(ioc_set_add(s, &full), 0);
	ioc bare = {.type = IOC_DOMAIN, .value = "Evil.Example", .confidence = -1};
	assert_int_equal(ioc_set_add(s, &bare), 0);
	ioc again = {.type = IOC_IPV6, .value = "::ffff:203.0.113.9", .source = "other"};
	assert_int_equal(ioc_set_add(s, &again), 0);
	strcpy(desc, "overwritten"); /* the set keeps its own copy */
	ioc_set_finish(s);
	assert_int_equal(ioc_set_count(s), 2);
	assert_int_equal(ioc_set_duplicates(s), 1);
	last = NULL;
	assert_int_equal(ioc_set_match(s, "::ffff:203.0.113.9", 18, keep, NULL), 1);
	assert_non_null(last);
	assert_int_equal(last->type, IOC_IPV4);
	assert_string_equal(last->value, "203.0.113.9");
	assert_string_equal(last->source, "urlhaus");
	assert_string_equal(last->tlp, "TLP:RED");
	assert_string_equal(last->description, "botnet_cc; Mozi");
	assert_int_equal(last->confidence, 90);
	assert_int_equal(last->first_seen, 1795300000);
	assert_int_equal(last->last_seen, 1795400000);
	assert_int_equal(last->expires, 1796000000);
	assert_int_equal(last->id, 77);
	assert_int_equal(ioc_set_match(s, "a.evil.example", 14, keep, NULL), 1);
	assert_string_equal(last->value, "evil.example");
	assert_null(last->source);
	assert_null(last->tlp);
	assert_null(last->description);
	assert_int_equal(last->confidence, -1);
	assert_int_equal(last->first_seen + last->last_seen + last->expires + last->id, 0);
	ioc_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_normalise),
	    cmocka_unit_test(test_lookup),
	    cmocka_unit_test(test_scan_events),
	    cmocka_unit_test(test_scan_offsets),
	    cmocka_unit_test(test_scan_word_edges),
	    cmocka_unit_test(test_scan_file_names),
	    cmocka_unit_test(test_scan_repeats),
	    cmocka_unit_test(test_scan_many_lookups),
	    cmocka_unit_test(test_large_set),
	    cmocka_unit_test(test_huge_tables),
	    cmocka_unit_test(test_fields_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
