/*
 * test_detect_json.c: the in-situ JSON reader: flattening, escapes,
 * numbers and literals, Wazuh alerts (a line written for this test, and
 * Wazuh's own sample and Windows events when ../shared/data is there),
 * every kind of malformed line refused with a reason (the first of
 * several, and whatever stops the string reader at every offset), runs
 * of backslashes at every offset of long strings and across the line's
 * end, empty strings and keys, field and scratch limits (escaped values
 * and names at every room left, names around the longest kept, deep
 * nesting past it), and damaged lines that must never read outside their
 * buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"

#include "base/civil.h"
#include "detect/input/json.h"

static det_event ev; /* 11 KiB: not on the stack of every test */

static void assert_str(det_str s, const char *want)
{
	char got[1024];
	snprintf(got, sizeof got, "%.*s", (int)s.n, s.p);
	assert_string_equal(got, want);
}

static void assert_field(const char *name, const char *want)
{
	det_str v;
	if (!det_event_get(&ev, name, &v))
		fail_msg("no field %s", name);
	assert_str(v, want);
}

static int parse(const char *line, const char **why)
{
	return det_json_parse(line, strlen(line), &ev, why);
}

static void flattening(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(parse("{\"a\": 1, \"b\": {\"c\": \"x\", \"d\": {\"e\": true}}, \"f\": [\"p\", "
			       "\"q\", {\"g\": null}], \"h\": -2.5e3, \"i\": {}, \"j\": []}",
			       &why),
			 0);
	assert_int_equal(ev.format, DET_FMT_JSON);
	assert_field("a", "1");
	assert_field("b.c", "x");
	assert_field("b.d.e", "true");
	assert_field("f.g", "null");
	assert_field("h", "-2.5e3");
	/* Each element of an array is a field of the array's name. */
	size_t n = 0;
	for (size_t i = 0; i < ev.n_fields; i++)
		n += det_str_eq(ev.fields[i].name, "f");
	assert_int_equal(n, 2);
	/* A value without escapes is a slice of the line itself. */
	det_str v;
	det_event_get(&ev, "b.c", &v);
	assert_true(v.p > ev.raw.p && v.p < ev.raw.p + ev.raw.n);
}

/* A JSON line's message and host: "message" before "msg", "host" before
 * "hostname", whatever their order in the line. */
static void header_of_json_line(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(parse("{\"msg\": \"short\", \"message\": \"Failed password for root\", "
			       "\"hostname\": \"h2\", \"host\": \"web01\"}",
			       &why),
			 0);
	assert_str(ev.message, "Failed password for root");
	assert_str(ev.host, "web01");
	assert_int_equal(parse("{\"hostname\": \"h2\", \"msg\": \"short\"}", &why), 0);
	assert_str(ev.message, "short");
	assert_str(ev.host, "h2");
	assert_int_equal(parse("{\"a\": \"b\"}", &why), 0);
	assert_int_equal(ev.message.n, 0);
	assert_int_equal(ev.host.n, 0);
}

static void escapes(void **state)
{
	(void)state;
	const char *why = NULL;
	/* Wazuh's Windows values: the JSON string "C:\\\\Windows" holds two
	 * backslashes, which the reader keeps (normalising is the mapper's). */
	assert_int_equal(parse("{\"image\": \"C:\\\\\\\\Windows\\\\\\\\cmd.exe\", \"q\": \"say \\\"hi\\\"\", "
			       "\"u\": \"caf\\u00e9 \\ud83d\\ude00\", \"s\": \"a\\/b\\tc\"}",
			       &why),
			 0);
	assert_field("image", "C:\\\\Windows\\\\cmd.exe");
	assert_field("q", "say \"hi\"");
	assert_field("u", "caf\xC3\xA9 \xF0\x9F\x98\x80");
	assert_field("s", "a/b\tc");
	/* An escaped key. */
	assert_int_equal(parse("{\"k\\u0065y\": 1}", &why), 0);
	assert_field("key", "1");
}

static const char OWN_ALERT[] =
	"{\"timestamp\":\"2026-11-23T08:00:01.123+0700\",\"rule\":{\"level\":10,\"description\":"
	"\"sshd: brute force\",\"id\":\"5712\",\"mitre\":{\"id\":[\"T1110\"]},\"groups\":[\"syslog\","
	"\"sshd\"]},\"agent\":{\"id\":\"003\",\"name\":\"simpeg-app01\",\"ip\":\"10.20.1.15\"},"
	"\"manager\":{\"name\":\"wazuh\"},\"id\":\"1763859601.12345\",\"full_log\":\"Nov 23 08:00:01 "
	"simpeg-app01 sshd[991]: Invalid user admin from 203.0.113.9 port 40022\",\"predecoder\":"
	"{\"program_name\":\"sshd\",\"timestamp\":\"Nov 23 08:00:01\",\"hostname\":\"simpeg-app01\"},"
	"\"decoder\":{\"parent\":\"sshd\",\"name\":\"sshd\"},\"data\":{\"srcip\":\"203.0.113.9\","
	"\"srcuser\":\"admin\"},\"location\":\"/var/log/secure\"}";

static void wazuh_alert(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(parse(OWN_ALERT, &why), 0);
	assert_int_equal(ev.format, DET_FMT_WAZUH);
	assert_str(ev.host, "simpeg-app01");
	assert_str(ev.program, "sshd");
	/* the message is the relayed line's, after "sshd[991]: ", as in syslog;
	 * the whole line stays in full_log */
	assert_str(ev.message, "Invalid user admin from 203.0.113.9 port 40022");
	assert_field("full_log", "Nov 23 08:00:01 simpeg-app01 sshd[991]: Invalid user admin from "
				 "203.0.113.9 port 40022");
	int64_t want;
	civil_parse("2026-11-23T01:00:01Z", civil_zone_default(), &want);
	assert_int_equal(ev.time, want);
	assert_field("rule.id", "5712");
	assert_field("rule.mitre.id", "T1110");
	assert_field("data.srcip", "203.0.113.9");
	assert_field("agent.ip", "10.20.1.15");
}

static void wazuh_sample(void **state)
{
	(void)state;
	size_t n;
	char *b = read_all(SIGAP_SOURCE_ROOT "/../shared/data/wazuh/alerts_sample.jsonl", &n);
	if (b == NULL)
		skip();
	while (n && (b[n - 1] == '\n' || b[n - 1] == '\r'))
		n--;
	const char *why = NULL;
	assert_int_equal(det_json_parse(b, n, &ev, &why), 0);
	assert_int_equal(ev.format, DET_FMT_WAZUH);
	assert_str(ev.host, "localhost.localdomain");
	assert_str(ev.program, "sshd");
	assert_field("rule.id", "5712");
	assert_field("data.srcip", "172.17.1.1");
	assert_true(ev.time > 0);
	free(b);
}

/* Every Windows event in Wazuh's ruleset tests ("log N pass = {…}") reads,
 * with the fields Sigma's Windows rules need. */
static void wazuh_windows(void **state)
{
	(void)state;
	static const char *const files[] = {"sysmon_eid_1.ini", "win_security.ini",
					    "win_event_channel.ini"};
	size_t events = 0;
	for (size_t f = 0; f < 3; f++) {
		char path[512];
		snprintf(path, sizeof path, "%s/../shared/data/wazuh/ruleset-tests/%s", SIGAP_SOURCE_ROOT,
			 files[f]);
		size_t n;
		char *b = read_all(path, &n);
		if (b == NULL)
			skip();
		for (char *line = strtok(b, "\n"); line; line = strtok(NULL, "\n")) {
			char *j = strstr(line, " = {");
			if (strncmp(line, "log ", 4) != 0 || j == NULL)
				continue;
			j += 3;
			const char *why = NULL;
			if (det_json_parse(j, strlen(j), &ev, &why) != 0)
				fail_msg("%s: %s: %.80s", files[f], why, j);
			det_str v;
			assert_true(det_event_get(&ev, "win.system.eventID", &v));
			if (f == 0) {
				assert_true(det_event_get(&ev, "win.eventdata.image", &v));
				assert_true(det_event_get(&ev, "win.eventdata.commandLine", &v));
			}
			events++;
		}
		free(b);
	}
	assert_true(events >= 70);
}

static void refused(void **state)
{
	(void)state;
	static const struct {
		const char *line, *why;
	} bad[] = {
		{"", "not a JSON object"},
		{"[1, 2]", "not a JSON object"},
		{"{\"a\": \"unclosed", "a string is not closed (truncated line?)"},
		{"{\"a\": 1", "a ',' or '}' is missing in an object (truncated line?)"},
		{"{\"a\": [1, 2", "a ',' or ']' is missing in an array (truncated line?)"},
		{"{\"a\": }", "a malformed number"},
		{"{\"a\" 1}", "a ':' is missing after an object key"},
		{"{a: 1}", "an object key is not a string (truncated line?)"},
		{"{\"a\": \"\\x\"}", "an unknown escape inside a string"},
		{"{\"a\": \"\\u12\"}", "a bad \\u escape"},
		{"{\"a\": \"\\ud800\"}", "a lone UTF-16 surrogate"},
		{"{\"a\": \"\\u0000\"}", "a NUL character (\\u0000) inside a string"},
		{"{\"a\": \"\xC3\x28\"}", "invalid UTF-8 inside a string"},
		{"{\"a\": \"tab\there\"}", "a control character inside a string"},
		{"{\"a\": 012}", "a malformed number"},
		{"{\"a\": 1.}", "a malformed number"},
		{"{\"a\": tru}", "an unknown word"},
		{"{\"a\": 1} x", "bytes after the JSON object"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *why = NULL;
		assert_int_equal(parse(bad[i].line, &why), -1);
		assert_string_equal(why, bad[i].why);
		assert_int_equal(ev.n_fields, 0);
	}
	/* 33 levels of nesting. */
	char deep[200] = "";
	for (int i = 0; i < 33; i++)
		strcat(deep, "{\"a\":");
	strcat(deep, "1");
	for (int i = 0; i < 33; i++)
		strcat(deep, "}");
	const char *why = NULL;
	assert_int_equal(parse(deep, &why), -1);
	assert_string_equal(why, "nesting deeper than 32 levels");
}

/* A line holding one string value: {"k":"<prefix><special><suffix>"},
 * the value n bytes long with special at byte k of it, cut off after
 * the value (no closing quote) when open is true. */
static char *one_string(size_t n, size_t k, const char *special, bool open, size_t *len)
{
	size_t sl = strlen(special);
	char *b = malloc(n + sl + 16);
	size_t at = 0;
	at += (size_t)sprintf(b, "{\"k\":\"");
	for (size_t i = 0; i < n; i++) {
		if (i == k) {
			memcpy(b + at, special, sl);
			at += sl;
		}
		b[at++] = (char)('a' + i % 26);
	}
	if (k == n) {
		memcpy(b + at, special, sl);
		at += sl;
	}
	if (!open)
		at += (size_t)sprintf(b + at, "\"}");
	*len = at;
	return b;
}

/* The string reader skips plain ASCII many bytes at a time: whatever
 * stops it (a quote, an escape, a control character, a non-ASCII
 * character, valid or not) is found at every offset from the string's
 * start and every length around the width it skips, and the line's end
 * is never read past. */
static void every_offset(void **state)
{
	(void)state;
	static const struct {
		const char *special, *unescaped, *why; /* why: the refusal, or NULL */
	} cases[] = {
		{"\\n", "\n", NULL},
		{"\\\"", "\"", NULL},
		{"\\\\", "\\", NULL},
		{"\\u00e9", "\xC3\xA9", NULL},
		{"\\ud83d\\ude00", "\xF0\x9F\x98\x80", NULL},
		{"\xC3\xA9", "\xC3\xA9", NULL},
		{"\xE2\x82\xAC", "\xE2\x82\xAC", NULL},
		{"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80", NULL},
		{"\xC3", NULL, "invalid UTF-8 inside a string"},
		{"\xE2\x82", NULL, "invalid UTF-8 inside a string"},
		{"\xED\xA0\x80", NULL, "invalid UTF-8 inside a string"},     /* a surrogate */
		{"\xC0\xAF", NULL, "invalid UTF-8 inside a string"},         /* overlong */
		{"\xF4\x90\x80\x80", NULL, "invalid UTF-8 inside a string"}, /* above U+10FFFF */
		{"\xFF", NULL, "invalid UTF-8 inside a string"},
		{"\x01", NULL, "a control character inside a string"},
		{"\x1F", NULL, "a control character inside a string"},
		{"\\x", NULL, "an unknown escape inside a string"},
		{"\\ude00", NULL, "a lone UTF-16 surrogate"},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
		for (size_t n = 0; n <= 40; n++)
			for (size_t k = 0; k <= n; k++) {
				size_t len;
				char *b = one_string(n, k, cases[c].special, false, &len);
				/* exactly the line's bytes, so a read past it is caught
				 * by a sanitizer */
				char *line = malloc(len);
				memcpy(line, b, len);
				const char *why = NULL;
				int rc = det_json_parse(line, len, &ev, &why);
				if (cases[c].why) {
					assert_int_equal(rc, -1);
					assert_string_equal(why, cases[c].why);
				} else {
					assert_int_equal(rc, 0);
					assert_int_equal(ev.n_fields, 1);
					static const char letters[] =
						"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz";
					char want[128];
					snprintf(want, sizeof want, "%.*s%s%.*s", (int)k, letters,
						 cases[c].unescaped, (int)(n - k), &letters[k % 26]);
					assert_field("k", want);
				}
				free(line);
				free(b);
				/* The same string left open: never closed, whatever it holds
				 * before the end, but a control character comes first. */
				b = one_string(n, k, cases[c].special, true, &len);
				line = malloc(len);
				memcpy(line, b, len);
				assert_int_equal(det_json_parse(line, len, &ev, &why), -1);
				if (cases[c].special[0] == '\x01' || cases[c].special[0] == '\x1F')
					assert_string_equal(why, "a control character inside a string");
				else
					assert_string_equal(why, "a string is not closed (truncated line?)");
				free(line);
				free(b);
			}
}

/* A string with more than one fault gives the first in this order: a
 * control character (at its place), not closed, invalid UTF-8, then the
 * escapes, which are read last. */
static void refusal_order(void **state)
{
	(void)state;
	static const struct {
		const char *line, *why;
	} bad[] = {
		{"{\"a\": \"\xC3 x\x01\"}", "a control character inside a string"},
		{"{\"a\": \"\\x \xC3\"}", "invalid UTF-8 inside a string"},
		{"{\"a\": \"\xC3 unclosed", "a string is not closed (truncated line?)"},
		/* a backslash takes the byte after it, whatever it is */
		{"{\"a\": \"x\\", "a string is not closed (truncated line?)"},
		{"{\"a\": \"x\\\"}", "a string is not closed (truncated line?)"},
		{"{\"a\": \"\\\x01\"}", "an unknown escape inside a string"},
		{"{\"a\": \"\\\xC3\xA9\"}", "an unknown escape inside a string"},
		{"{\"a\": \"\\\xC3\"}", "invalid UTF-8 inside a string"},
		/* surrogates: a pair, halves alone, a half and something else */
		{"{\"a\": \"\\ud83d\"}", "a lone UTF-16 surrogate"},
		{"{\"a\": \"\\ud83d\\u0041\"}", "a lone UTF-16 surrogate"},
		{"{\"a\": \"\\ud83dx\\ude00\"}", "a lone UTF-16 surrogate"},
		{"{\"a\": \"\\ud83d\\ude0\"}", "a lone UTF-16 surrogate"},
		{"{\"a\": \"\\u12g4\"}", "a bad \\u escape"},
		/* keys are strings too */
		{"{\"\xC3\": 1}", "invalid UTF-8 inside a string"},
		{"{\"k\\q\": 1}", "an unknown escape inside a string"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *why = NULL;
		if (parse(bad[i].line, &why) != -1)
			fail_msg("accepted: %s", bad[i].line);
		assert_string_equal(why, bad[i].why);
	}
	const char *why = NULL;
	assert_int_equal(parse("{\"a\": \"\\uD83D\\uDE00|\\u00E9|\\u20ac\"}", &why), 0);
	assert_field("a", "\xF0\x9F\x98\x80|\xC3\xA9|\xE2\x82\xAC");
}

/* Empty strings and empty keys are values like any other. */
static void empty_values(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(parse("{\"a\": \"\", \"\": \"x\", \"b\": {\"\": \"\", \"c\": [\"\", \"\\\"\"]}}", &why), 0);
	assert_int_equal(ev.n_fields, 5);
	assert_field("a", "");
	assert_field("", "x");
	assert_field("b.", "");
	assert_str(ev.fields[3].name, "b.c");
	assert_str(ev.fields[3].value, "");
	assert_str(ev.fields[4].value, "\"");
	/* a key without escapes is not copied before its name is kept: the
	 * scratch holds the names (a, "", b., b.c twice) and the one
	 * unescaped value */
	assert_int_equal(ev.scratch_used, 1 + 0 + 2 + 3 + 3 + 1);
}

static void limits(void **state)
{
	(void)state;
	/* More fields than an event holds: counted, not lost silently. */
	char *b = malloc(200 * 12 + 8);
	strcpy(b, "{");
	for (int i = 0; i < 200; i++)
		sprintf(b + strlen(b), "%s\"k%03d\":1", i ? "," : "", i);
	strcat(b, "}");
	const char *why = NULL;
	assert_int_equal(det_json_parse(b, strlen(b), &ev, &why), 0);
	assert_int_equal(ev.n_fields, DET_MAX_FIELDS);
	assert_int_equal(ev.dropped_fields, 200 - DET_MAX_FIELDS);
	free(b);
	/* A 1 MB line with escapes: read whole, the value kept unescaped (a
	 * value padded past any fixed room must not fall out of the event:
	 * that would hide it from every rule). */
	size_t big = 1 << 20;
	b = malloc(big + 32);
	strcpy(b, "{\"k\":\"");
	size_t at = strlen(b);
	for (size_t i = 0; i < big / 2; i++, at += 2)
		memcpy(b + at, "\\n", 2);
	strcpy(b + at, "\",\"x\":\"y\"}");
	assert_int_equal(det_json_parse(b, strlen(b), &ev, &why), 0);
	assert_int_equal(ev.dropped_fields, 0);
	det_str k;
	assert_true(det_event_get(&ev, "k", &k));
	assert_int_equal(k.n, big / 2);
	assert_true(k.p[0] == '\n' && k.p[big / 2 - 1] == '\n');
	assert_field("x", "y");
	free(b);
}

static void mutations(void **state)
{
	(void)state;
	srand(5);
	size_t n = sizeof OWN_ALERT - 1;
	int parsed = 0;
	for (int i = 0; i < 40000; i++) {
		/* Truncated at a random place, or whole; then a byte or two hit. */
		size_t len = rand() % 2 ? n : (size_t)rand() % (n + 1);
		char *b = malloc(len ? len : 1);
		memcpy(b, OWN_ALERT, len);
		for (int k = rand() % 3; k > 0 && len; k--)
			b[rand() % len] = (char)(rand() % 256);
		const char *why = NULL;
		if (det_json_parse(b, len, &ev, &why) == 0) {
			parsed++;
			for (size_t f = 0; f < ev.n_fields; f++) {
				det_str v = ev.fields[f].value;
				bool in_line = v.p >= b && v.p + v.n <= b + len;
				bool in_scratch = v.p >= ev.scratch && v.p + v.n <= ev.scratch + ev.scratch_used;
				assert_true(in_line || in_scratch);
			}
		} else {
			assert_non_null(why);
		}
		free(b);
	}
	assert_true(parsed > 100);
}

/* Runs of backslashes of either parity at every offset of long strings,
 * across the 64-byte blocks the reader takes and the line's end: the
 * closing quote is the first one no backslash escapes, the text is
 * unescaped whole, and a control or non-ASCII byte after the escapes
 * (read byte by byte) is still checked where it stands. */
static void backslash_runs(void **state)
{
	(void)state;
	static const struct {
		const char *raw, *unescaped, *why;
	} ends[] = {
	    {"", "", NULL},
	    {"\\\"", "\"", NULL},
	    {"\\\\", "\\", NULL},
	    {"\\\"\\\"", "\"\"", NULL},
	    {"\\n", "\n", NULL},
	    {"\\u00e9", "\xC3\xA9", NULL},
	    {"\xC3\xA9", "\xC3\xA9", NULL},
	    {"\x01", NULL, "a control character inside a string"},
	    {"\xC3", NULL, "invalid UTF-8 inside a string"},
	    {"\\q", NULL, "an unknown escape inside a string"},
	};
	static const size_t afters[] = {0, 1, 15, 16, 17, 63, 64, 65, 130};
	static const char *const tails[] = {
	    "}",
	    ",\"z\":\"0123456789012345678901234567890123456789012345678901234567890123456789\"}"};
	char *want = malloc(1024), *b = malloc(1024);
	/* with an escape first, the runs after it cross the blocks' edges */
	for (int lead = 0; lead < 2; lead++)
		for (size_t e = 0; e < sizeof ends / sizeof ends[0]; e++)
			for (size_t before = 0; before <= 140; before++)
				for (size_t t = 0; t <= 3; t++) /* t backslashes, doubled */
					for (size_t a = 0; a < sizeof afters / sizeof afters[0];
					     a++)
						for (size_t tl = 0; tl < 2; tl++) {
							size_t at = (size_t)sprintf(
							           b, "{\"k\":\"%s",
							           lead ? "\\t" : ""),
							       w = 0;
							if (lead)
								want[w++] = '\t';
							for (size_t i = 0; i < before; i++)
								b[at++] = want[w++] =
								    (char)('a' + i % 26);
							for (size_t i = 0; i < t; i++) {
								b[at++] = '\\';
								b[at++] = '\\';
								want[w++] = '\\';
							}
							at += (size_t)sprintf(b + at, "%s",
							                      ends[e].raw);
							if (ends[e].unescaped)
								w += (size_t)sprintf(
								    want + w, "%s",
								    ends[e].unescaped);
							for (size_t i = 0; i < afters[a]; i++)
								b[at++] = want[w++] =
								    (char)('A' + i % 26);
							want[w] = '\0';
							at += (size_t)sprintf(b + at, "\"%s",
							                      tails[tl]);
							/* exactly the line's bytes: a read past it
							 * is caught by a sanitizer */
							char *line = malloc(at);
							memcpy(line, b, at);
							const char *why = NULL;
							int rc =
							    det_json_parse(line, at, &ev, &why);
							if (ends[e].why) {
								assert_int_equal(rc, -1);
								assert_string_equal(why,
								                    ends[e].why);
							} else {
								if (rc != 0)
									fail_msg(
									    "refused (%s): %.*s",
									    why, (int)at, line);
								assert_int_equal(ev.n_fields,
								                 1 + tl);
								assert_field("k", want);
							}
							/* cut before its closing quote: never
							 * closed */
							size_t cut = at - 1 - strlen(tails[tl]);
							memcpy(line, b, cut);
							assert_int_equal(
							    det_json_parse(line, cut, &ev, &why),
							    -1);
							if (e == 7)
								assert_string_equal(
								    why, "a control character "
								         "inside a string");
							else
								assert_string_equal(
								    why, "a string is not closed "
								         "(truncated line?)");
							free(line);
						}
	free(want);
	free(b);
}

/* Escaped values of every length around the scratch space's first size
 * and far past it: each kept whole and unescaped, with the names and
 * values after it, never past the scratch space's end. */
static void scratch_room(void **state)
{
	(void)state;
	enum { MOST = 3 * DET_SCRATCH + 100 };
	static char line[MOST + 256], want[64];
	static const char value[] = "C:\\\\\\\\Windows\\\\\\\\sys\\\"x\\\" /c \\\\u00e9 a";
	/* value, as the reader gives it */
	snprintf(want, sizeof want, "C:\\\\Windows\\\\sys\"x\" /c \\u00e9 a");
	for (size_t filler = 1; filler <= MOST; filler += filler < DET_SCRATCH - 120 ? 997 : 7) {
		size_t at = (size_t)sprintf(line, "{\"f\":\"\\n");
		memset(line + at, 'x', filler - 1);
		at += filler - 1;
		at += (size_t)sprintf(line + at, "\",\"long_name_of_a_value\":\"%s\",\"g\":1}",
		                      value);
		const char *why = NULL;
		assert_int_equal(det_json_parse(line, at, &ev, &why), 0);
		assert_true(ev.scratch_used <= ev.scratch_cap);
		assert_int_equal(ev.dropped_fields, 0);
		det_str v;
		assert_true(det_event_get(&ev, "f", &v));
		assert_int_equal(v.n, filler);
		assert_true(det_event_get(&ev, "long_name_of_a_value", &v));
		assert_str(v, want);
		assert_field("g", "1");
	}
}

/* Names around the longest kept (511 bytes with their parents and dots,
 * 510 for a member of the line's object):
 * kept whole or dropped, plain or escaped, nested or not, the key at the
 * line's very end or not; names past it at any depth drop only their own
 * values. */
static void long_names(void **state)
{
	(void)state;
	static char line[4096], name[1024];
	static const char *const parents[] = {"", "p", "data.win"};
	for (size_t pi = 0; pi < 3; pi++)
		for (size_t klen = 480; klen <= 530; klen++)
			for (int escaped = 0; escaped < 2; escaped++) {
				size_t at = (size_t)sprintf(line, "{"), depth = 0;
				/* "data.win" as two objects */
				const char *pp = parents[pi];
				while (*pp) {
					const char *dot = strchr(pp, '.');
					size_t l = dot ? (size_t)(dot - pp) : strlen(pp);
					at += (size_t)sprintf(line + at, "\"%.*s\":{", (int)l, pp);
					depth++;
					pp += l + (dot != NULL);
				}
				line[at++] = '"';
				for (size_t i = 0; i < klen; i++) {
					if (escaped && i == klen / 2) {
						at += (size_t)sprintf(line + at, "\\u0041");
						continue;
					}
					line[at++] = (char)('a' + i % 26);
				}
				at += (size_t)sprintf(line + at, "\":\"v\\\\w\"");
				for (size_t d = 0; d < depth; d++)
					line[at++] = '}';
				line[at++] = '}';
				size_t nl = (size_t)sprintf(name, "%s%s", parents[pi],
				                            *parents[pi] ? "." : "");
				for (size_t i = 0; i < klen; i++)
					name[nl++] =
					    escaped && i == klen / 2 ? 'A' : (char)('a' + i % 26);
				name[nl] = '\0';
				char *exact = malloc(at);
				memcpy(exact, line, at);
				const char *why = NULL;
				assert_int_equal(det_json_parse(exact, at, &ev, &why), 0);
				/* 511 bytes nested, 510 at the top (a dot's room kept); an
				 * escaped key unescaped if its text fits in 512 */
				bool fits = (*parents[pi] ? nl < 512 : nl < 511) &&
				            (!escaped || klen + 5 <= 512);
				if (ev.n_fields != fits)
					fail_msg("parent %s, key %zu bytes, escaped %d: %zu fields",
					         parents[pi], klen, escaped, ev.n_fields);
				assert_int_equal(ev.dropped_fields, !fits);
				if (fits) {
					assert_int_equal(ev.fields[0].name.n, nl);
					assert_memory_equal(ev.fields[0].name.p, name, nl);
					assert_str(ev.fields[0].value, "v\\w");
				}
				free(exact);
			}
	/* 30 levels of 20-byte keys: names past 511 bytes from the 25th on;
	 * the values beside them, higher up, are kept */
	size_t at = (size_t)sprintf(line, "{");
	for (int d = 0; d < 30; d++)
		at += (size_t)sprintf(line + at, "\"v\":%d,\"level_%02d_abcdefghijk\":{", d, d);
	at += (size_t)sprintf(line + at, "\"v\":\"x\"");
	for (int d = 0; d <= 30; d++)
		line[at++] = '}';
	const char *why = NULL;
	assert_int_equal(det_json_parse(line, at, &ev, &why), 0);
	assert_int_equal(ev.n_fields, 25);
	assert_int_equal(ev.dropped_fields, 6);
	assert_int_equal(ev.fields[24].name.n, 24 * 21 + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flattening),   cmocka_unit_test(header_of_json_line),
		cmocka_unit_test(escapes),
		cmocka_unit_test(wazuh_alert),  cmocka_unit_test(wazuh_sample),
		cmocka_unit_test(wazuh_windows), cmocka_unit_test(refused),
		cmocka_unit_test(every_offset), cmocka_unit_test(refusal_order),
		cmocka_unit_test(empty_values), cmocka_unit_test(limits),
		cmocka_unit_test(mutations),
		cmocka_unit_test(backslash_runs), cmocka_unit_test(scratch_room),
		cmocka_unit_test(long_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
