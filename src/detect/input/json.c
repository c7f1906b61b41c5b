/*
 * json.c: an in-situ JSON reader for log lines.
 *
 * jansson builds a tree of allocated nodes for every line; at IDS speed
 * that is the cost of the whole pipeline. This reader makes one pass and
 * no allocation: a value without escapes is a slice of the line; a value
 * with escapes is unescaped once into the event's scratch space, and so
 * are the dotted names of nested fields. It checks what it reads (UTF-8
 * inside strings, escapes including surrogate pairs, number syntax,
 * nesting depth) and refuses the line otherwise, so no malformed input
 * reaches the matcher. A string is checked in the same pass that finds
 * its end, skipping plain ASCII 16 bytes at a time, and past its first
 * backslash 64 bytes at a time (which bytes the backslashes escape is
 * bit arithmetic, not a step per escape: Windows paths in Wazuh alerts
 * are full of them): O(line), and about one compare for a short key or
 * value. Unescaping and dotted names copy 16 bytes at a time.
 */
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/utf8.h"
#include "detect/input/escape.h"
#include "detect/input/json.h"
#include "detect/input/syslog.h"

enum { MAX_DEPTH = 32, MAX_NAME = 512, SLACK = 16 };

typedef struct reader {
	const char *p, *end;
	det_event *ev;
	const char *why;
	char name[MAX_NAME + SLACK]; /* the dotted name of the current value */
	size_t name_len;
	int depth;
	int muted; /* > 0 inside a value whose name did not fit: read, not kept */
} reader;

static void ws(reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int fail(reader *r, const char *why)
{
	if (r->why == NULL)
		r->why = why;
	return -1;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

#if defined(__SSE2__)
/* A bit for each of the 16 bytes at p that a string's scan must look at:
 * '"', '\\', a control character or a byte of a non-ASCII character. */
static inline unsigned stop_bits(const char *p)
{
	const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'),
		      space = _mm_set1_epi8(0x20);
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	/* A signed compare: bytes of 0x80 and above are below ' ' too. */
	__m128i stop = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
		_mm_cmplt_epi8(v, space));
	return (unsigned)_mm_movemask_epi8(stop);
}
#endif

/* The first byte from p on that a string's scan must look at (see
 * stop_bits); end when there is none. Strings in logs are long runs of
 * plain ASCII, so the run is skipped 16 bytes at a time with SSE2 (every
 * x86-64 has it), else 8 at a time with a mask, and only the bytes it
 * stops at are looked at one by one. */
static const char *plain_run(const char *p, const char *end)
{
#if defined(__SSE2__)
	while (end - p >= 16) {
		unsigned bits = stop_bits(p);
		if (bits)
			return p + __builtin_ctz(bits);
		p += 16;
	}
#else
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	while (end - p >= 8) {
		uint64_t w, q, b;
		memcpy(&w, p, 8);
		q = w ^ (ones * '"');
		b = w ^ (ones * '\\');
		/* a zero byte in q or b; a byte below 0x20 or above 0x7f in w */
		if ((((q - ones) & ~q) | ((b - ones) & ~b) | (w - ones * 0x20) | w) & high)
			break;
		p += 8;
	}
#endif
	for (; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
			return p;
	}
	return end;
}

/* The string at r->p (on its opening quote): its text between the quotes
 * into *raw, whether it holds escapes into *escaped; r->p goes past the
 * closing quote. One pass checks it: no control character, closed, valid
 * UTF-8 (the refusals in that order, as a reader that checked each in
 * turn would give them). The byte after a backslash is taken as it is
 * (a bad escape is refused when the string is unescaped). */
static int scan_string(reader *r, det_str *raw, bool *escaped)
{
	const char *s = ++r->p, *p = s, *end = r->end;
	bool bad_utf8 = false;
	*escaped = false;
	for (;;) {
		p = plain_run(p, end);
		if (p >= end)
			return fail(r, "a string is not closed (truncated line?)");
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(r, "a control character inside a string");
		if (c == '\\') {
			*escaped = true;
			if (++p >= end)
				return fail(r, "a string is not closed (truncated line?)");
			if ((unsigned char)*p < 0x80) {
				p++;
				continue;
			}
			/* else the escaped byte starts a character: checked below */
		}
		/* A non-ASCII character: its bytes (0x80..0xBF after the first)
		 * are never a quote, a backslash or a control character. */
		size_t n = bad_utf8 ? 0 : utf8_sequence(p, (size_t)(end - p));
		if (n == 0) {
			bad_utf8 = true;
			n = 1;
		}
		p += n;
	}
	if (bad_utf8)
		return fail(r, "invalid UTF-8 inside a string");
	*raw = (det_str){s, (size_t)(p - s)};
	r->p = p + 1;
	return 0;
}

#if defined(__SSE2__)
/* What a string's scan must know of 64 bytes at p: a bit for each quote,
 * each backslash, and each other byte it must look at (a control
 * character or a byte of a non-ASCII character). */
typedef struct block_bits {
	uint64_t quote, backslash, other;
} block_bits;

static inline block_bits block_bits_at(const char *p)
{
	const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'),
		      space = _mm_set1_epi8(0x20);
	block_bits b = {0, 0, 0};
	for (int i = 0; i < 4; i++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
		b.quote |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << (16 * i);
		b.backslash |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash))
			       << (16 * i);
		/* signed: bytes of 0x80 and above are below ' ' too */
		b.other |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, space)) << (16 * i);
	}
	return b;
}

/* The bytes of a block that a backslash escapes: those after an odd run
 * of backslashes, the run's first not itself escaped. *carry is 1 when
 * the block's first byte is escaped (the block before ended in an odd
 * run), and becomes whether the next block's is. No loop over the runs:
 * subtracting each run's start from the bit after its end turns the
 * run's bits to the alternating pattern of its parity (simdjson's). */
static inline uint64_t escaped_bits(uint64_t backslash, uint64_t *carry)
{
	const uint64_t odd = 0xAAAAAAAAAAAAAAAAu;
	uint64_t start = backslash & ~*carry; /* an escaped first byte escapes nothing */
	uint64_t code = ((((start << 1) | odd) - start) ^ odd);
	uint64_t escaped = code ^ (backslash | *carry);
	*carry = (code & backslash) >> 63;
	return escaped;
}

/* The string at r->p (on its opening quote), as scan_string reads it:
 * the plain ASCII up to its first backslash skipped 16 bytes at a time,
 * then the rest 64 bytes at a time, where the closing quote is the first
 * one no backslash escapes, found with no loop over the escapes (a
 * Windows path in a Wazuh alert has one every few bytes). A string with a
 * control or a non-ASCII byte is left to scan_string, which checks them
 * and tells what is wrong; so is a string not closed. The last bytes of
 * the line are read from a copy padded with a control character. */
static int scan_blocks(reader *r, det_str *raw, bool *escaped)
{
	const char *s = r->p + 1, *p = plain_run(s, r->end);
	if (p < r->end && *p == '"') {
		*raw = (det_str){s, (size_t)(p - s)};
		*escaped = false;
		r->p = p + 1;
		return 0;
	}
	if (p >= r->end || *p != '\\')
		return scan_string(r, raw, escaped);
	uint64_t carry = 0; /* p is on a backslash no other escapes */
	while (p < r->end) {
		block_bits b;
		if (r->end - p >= 64) {
			b = block_bits_at(p);
		} else {
			char tail[64];
			memset(tail, 0x01, sizeof tail);
			memcpy(tail, p, (size_t)(r->end - p));
			b = block_bits_at(tail);
		}
		uint64_t esc = escaped_bits(b.backslash, &carry);
		uint64_t quote = b.quote & ~esc;
		uint64_t before = quote ? (quote & -quote) - 1 : ~(uint64_t)0;
		if (b.other & before)
			break;
		if (quote) {
			const char *q = p + __builtin_ctzll(quote);
			*raw = (det_str){s, (size_t)(q - s)};
			*escaped = true;
			r->p = q + 1;
			return 0;
		}
		p += 64;
	}
	return scan_string(r, raw, escaped);
}
#endif

/* The string at r->p (on its opening quote): the common case first,
 * plain ASCII closed within the 16 bytes after the opening quote (most
 * keys and values of a log line), which one look at stop_bits settles;
 * then 64 bytes at a time. */
static inline int read_string(reader *r, det_str *raw, bool *escaped)
{
#if defined(__SSE2__)
	const char *s = r->p + 1;
	if (r->end - s >= 16) {
		unsigned bits = stop_bits(s);
		if (bits && s[__builtin_ctz(bits)] == '"') {
			size_t n = (size_t)__builtin_ctz(bits);
			*raw = (det_str){s, n};
			*escaped = false;
			r->p = s + n + 1;
			return 0;
		}
	}
	return scan_blocks(r, raw, escaped);
#else
	return scan_string(r, raw, escaped);
#endif
}

/* The escaped text of a string (raw, checked by scan_string) unescaped
 * into o, which has room for cap bytes, at least raw.n: unescaped text is
 * never longer. The length written into *out_n. The runs between
 * backslashes are copied 16 bytes at a time (Windows paths in Wazuh
 * alerts have one every few bytes, where a memchr and a memcpy call a
 * run cost more than the run): a copy may write past the run's end, not
 * past cap, and read past the string, not past the line. */
static int unescape(reader *r, det_str raw, char *o, size_t cap, size_t *out_n)
{
	const char *p = raw.p, *e = raw.p + raw.n;
	size_t k = 0;
	while (p < e) {
#if defined(__SSE2__)
		if (r->end - p >= 16 && cap - k >= 16) {
			unsigned bits = copy16_backslashes(o + k, p);
			size_t left = (size_t)(e - p);
			if (left < 16)
				bits |= 1u << left; /* the string's end stops the run */
			if (bits == 0) {
				p += 16;
				k += 16;
				continue;
			}
			size_t run = (size_t)__builtin_ctz(bits);
			p += run;
			k += run;
			if (p >= e)
				break;
		} else
#endif
		{
			const char *b = memchr(p, '\\', (size_t)(e - p));
			size_t run = (size_t)((b ? b : e) - p);
			memcpy(o + k, p, run);
			k += run;
			if (b == NULL)
				break;
			p = b;
		}
		p++; /* on the escape's letter: scan_string saw one follow */
		switch (*p) {
		case '"': o[k++] = '"'; break;
		case '\\': o[k++] = '\\'; break;
		case '/': o[k++] = '/'; break;
		case 'b': o[k++] = '\b'; break;
		case 'f': o[k++] = '\f'; break;
		case 'n': o[k++] = '\n'; break;
		case 'r': o[k++] = '\r'; break;
		case 't': o[k++] = '\t'; break;
		case 'u': {
			unsigned cp, lo;
			if (e - p < 5 || hex4(p + 1, &cp) != 0)
				return fail(r, "a bad \\u escape");
			p += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (e - p < 7 || p[1] != '\\' || p[2] != 'u' || hex4(p + 3, &lo) != 0 ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return fail(r, "a lone UTF-16 surrogate");
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				return fail(r, "a lone UTF-16 surrogate");
			}
			if (cp == 0)
				return fail(r, "a NUL character (\\u0000) inside a string");
			k += put_utf8(o + k, cp);
			break;
		}
		default: return fail(r, "an unknown escape inside a string");
		}
		p++;
	}
	*out_n = k;
	return 0;
}

/* A string value at r->p (on its opening quote) into *out: a slice of the
 * line when it has no escapes, else unescaped into scratch. 1 when it
 * does not fit there (its escapes unread): the caller drops the field. */
static int string_value(reader *r, det_str *out)
{
	det_str raw;
	bool escaped;
	if (read_string(r, &raw, &escaped) != 0)
		return -1;
	if (!escaped) {
		*out = raw;
		return 0;
	}
	if (raw.n > r->ev->scratch_cap - r->ev->scratch_used)
		return 1;
	char *o = r->ev->scratch + r->ev->scratch_used;
	size_t k;
	if (unescape(r, raw, o, r->ev->scratch_cap - r->ev->scratch_used, &k) != 0)
		return -1;
	r->ev->scratch_used += k;
	*out = (det_str){o, k};
	return 0;
}

/* An object key at r->p into *out: a slice of the line, or unescaped into
 * buf (cap bytes). 1 when it is longer than cap (its escapes unread): the
 * caller reads the key's value and keeps nothing of it. */
static int string_key(reader *r, det_str *out, char *buf, size_t cap)
{
	det_str raw;
	bool escaped;
	if (read_string(r, &raw, &escaped) != 0)
		return -1;
	if (raw.n > cap)
		return 1;
	if (!escaped) {
		*out = raw;
		return 0;
	}
	size_t k;
	if (unescape(r, raw, buf, cap, &k) != 0)
		return -1;
	*out = (det_str){buf, k};
	return 0;
}

static int number(reader *r, det_str *out)
{
	const char *s = r->p;
	if (r->p < r->end && *r->p == '-')
		r->p++;
	const char *d = r->p;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
		r->p++;
	if (r->p == d || (r->p - d > 1 && *d == '0'))
		return fail(r, "a malformed number");
	if (r->p < r->end && *r->p == '.') {
		d = ++r->p;
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
		if (r->p == d)
			return fail(r, "a malformed number");
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		d = r->p;
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
		if (r->p == d)
			return fail(r, "a malformed number");
	}
	*out = (det_str){s, (size_t)(r->p - s)};
	return 0;
}

/* n bytes from src to dst, 16 at a time: names are short, and a call to
 * memcpy costs more than copying them. Up to 15 bytes past n are read and
 * written: the caller makes sure both sides have them. */
static inline void copy16(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i += 16)
		memcpy(dst + i, src + i, 16);
}

/* Adds the current name with a value; the name goes to scratch. */
static void add(reader *r, det_str v)
{
	det_event *ev = r->ev;
	size_t n = r->name_len, room = ev->scratch_cap - ev->scratch_used;
	if (r->muted || n > room) {
		ev->dropped_fields++;
		return;
	}
	char *name = ev->scratch + ev->scratch_used;
	if (room - n >= SLACK)
		copy16(name, r->name, n); /* r->name has SLACK bytes past MAX_NAME */
	else
		memcpy(name, r->name, n);
	ev->scratch_used += n;
	det_event_add(ev, name, n, v.p, v.n);
}

static int value(reader *r);

static int object(reader *r)
{
	if (++r->depth > MAX_DEPTH)
		return fail(r, "nesting deeper than 32 levels");
	r->p++; /* { */
	size_t base = r->name_len;
	ws(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		r->depth--;
		return 0;
	}
	for (;;) {
		ws(r);
		if (r->p >= r->end || *r->p != '"')
			return fail(r, "an object key is not a string (truncated line?)");
		char key[MAX_NAME + SLACK];
		det_str k;
		int s = string_key(r, &k, key, MAX_NAME);
		if (s < 0)
			return -1;
		/* The dotted name: "parent.key" (too long a name drops the field). */
		bool fits = s == 0 && base + 1 + k.n < MAX_NAME;
		if (fits) {
			size_t at = base;
			if (base)
				r->name[at++] = '.';
			/* 16 bytes at a time when the key has them after it: key
			 * and r->name have SLACK bytes past MAX_NAME, and a key in
			 * the line usually has its value after it */
			if (k.p == key || r->end - k.p >= (ptrdiff_t)(k.n + SLACK))
				copy16(r->name + at, k.p, k.n);
			else
				memcpy(r->name + at, k.p, k.n);
			r->name_len = at + k.n;
		}
		ws(r);
		if (r->p >= r->end || *r->p != ':')
			return fail(r, "a ':' is missing after an object key");
		r->p++;
		ws(r);
		r->muted += !fits; /* a name too long: its value is read, not kept */
		if (value(r) != 0)
			return -1;
		r->muted -= !fits;
		r->name_len = base;
		ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			r->depth--;
			return 0;
		}
		return fail(r, "a ',' or '}' is missing in an object (truncated line?)");
	}
}

static int array(reader *r)
{
	if (++r->depth > MAX_DEPTH)
		return fail(r, "nesting deeper than 32 levels");
	r->p++; /* [ */
	ws(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		r->depth--;
		return 0;
	}
	for (;;) {
		ws(r);
		if (value(r) != 0)
			return -1;
		ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			r->depth--;
			return 0;
		}
		return fail(r, "a ',' or ']' is missing in an array (truncated line?)");
	}
}

static bool literal(reader *r, const char *word, size_t n)
{
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return false;
	add(r, (det_str){r->p, n});
	r->p += n;
	return true;
}

static int value(reader *r)
{
	if (r->p >= r->end)
		return fail(r, "a value is missing (truncated line?)");
	det_str v;
	switch (*r->p) {
	case '{': return object(r);
	case '[': return array(r);
	case '"': {
		int s = string_value(r, &v);
		if (s < 0)
			return -1;
		if (s > 0)
			r->ev->dropped_fields++;
		else
			add(r, v);
		return 0;
	}
	case 't': return literal(r, "true", 4) ? 0 : fail(r, "an unknown word");
	case 'f': return literal(r, "false", 5) ? 0 : fail(r, "an unknown word");
	case 'n': return literal(r, "null", 4) ? 0 : fail(r, "an unknown word");
	default:
		if (number(r, &v) != 0)
			return -1;
		add(r, v);
		return 0;
	}
}

/* Wazuh's "2026-11-23T08:00:01.123+0700": RFC 3339 but for the colon in
 * the offset. */
static int64_t wazuh_time(det_str t)
{
	char buf[40];
	int64_t out = 0;
	if (t.n < 24 || t.n > 32)
		return 0;
	memcpy(buf, t.p, t.n);
	size_t n = t.n;
	if ((buf[n - 5] == '+' || buf[n - 5] == '-') && buf[n - 3] != ':') {
		memmove(buf + n - 1, buf + n - 2, 2);
		buf[n - 2] = ':';
		n++;
	}
	return det_parse_rfc3339(buf, n, &out) == n ? out : 0;
}

/* The fields recognise reads, the first of each name. */
enum {
	R_RULE_ID, R_AGENT_NAME, R_MESSAGE, R_MSG, R_HOST, R_HOSTNAME, R_TIMESTAMP, R_PROGRAM, R_FULL_LOG,
	R_N
};

/* Which of them a name is, told by its length first; -1 for none. */
static int recognised(det_str name)
{
#define IS(s) (memcmp(name.p, s, sizeof s - 1) == 0)
	switch (name.n) {
	case 3: return IS("msg") ? R_MSG : -1;
	case 4: return IS("host") ? R_HOST : -1;
	case 7: return IS("rule.id") ? R_RULE_ID : IS("message") ? R_MESSAGE : -1;
	case 8: return IS("hostname") ? R_HOSTNAME : IS("full_log") ? R_FULL_LOG : -1;
	case 9: return IS("timestamp") ? R_TIMESTAMP : -1;
	case 10: return IS("agent.name") ? R_AGENT_NAME : -1;
	case 23: return IS("predecoder.program_name") ? R_PROGRAM : -1;
	default: return -1;
	}
#undef IS
}

/* The header of a Wazuh alert, or of another JSON line, from its fields:
 * one walk over them (det_event_get would walk them once a name). */
static void recognise(det_event *ev)
{
	const det_str *found[R_N] = {NULL};
	for (size_t i = 0; i < ev->n_fields; i++) {
		int k = recognised(ev->fields[i].name);
		if (k >= 0 && found[k] == NULL)
			found[k] = &ev->fields[i].value;
	}
	if (found[R_RULE_ID] == NULL || found[R_AGENT_NAME] == NULL) {
		/* another JSON line: its message is "message", else "msg"; its
		 * host "host", else "hostname" */
		const det_str *m = found[R_MESSAGE] ? found[R_MESSAGE] : found[R_MSG];
		const det_str *h = found[R_HOST] ? found[R_HOST] : found[R_HOSTNAME];
		if (m)
			ev->message = *m;
		if (h)
			ev->host = *h;
		return;
	}
	ev->format = DET_FMT_WAZUH;
	ev->host = *found[R_AGENT_NAME];
	if (found[R_TIMESTAMP])
		ev->time = wazuh_time(*found[R_TIMESTAMP]);
	if (found[R_PROGRAM])
		ev->program = *found[R_PROGRAM];
	if (found[R_FULL_LOG])
		ev->message = *found[R_FULL_LOG];
	/* A syslog line Wazuh relays: the message is what follows
	 * "program[pid]: ", so the decoders see it as they see syslog. */
	det_str prog = ev->program, m = ev->message;
	if (prog.n && m.n > prog.n) {
		const char *p = memmem(m.p, m.n, prog.p, prog.n), *end = m.p + m.n;
		if (p) {
			p += prog.n;
			if (p < end && *p == '[') {
				const char *rb = memchr(p, ']', (size_t)(end - p));
				p = rb ? rb + 1 : end;
			}
			if (end - p >= 2 && p[0] == ':' && p[1] == ' ') {
				ev->message.p = p + 2;
				ev->message.n = (size_t)(end - p - 2);
			}
		}
	}
}

int det_json_parse(const char *line, size_t n, det_event *ev, const char **why)
{
	if (n && line[n - 1] == '\r')
		n--;
	det_event_reset(ev, line, n);
	reader r; /* not zeroed as a whole: name is written before it is read */
	r.p = line;
	r.end = line + n;
	r.ev = ev;
	r.why = NULL;
	r.name_len = 0;
	r.depth = r.muted = 0;
	ws(&r);
	if (r.p >= r.end || *r.p != '{') {
		*why = "not a JSON object";
		return -1;
	}
	if (object(&r) != 0) {
		*why = r.why;
		det_event_reset(ev, line, n);
		return -1;
	}
	ws(&r);
	if (r.p != r.end) {
		*why = "bytes after the JSON object";
		det_event_reset(ev, line, n);
		return -1;
	}
	ev->format = DET_FMT_JSON;
	recognise(ev);
	return 0;
}
