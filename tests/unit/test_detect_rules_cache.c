/*
 * test_detect_rules_cache.c: the cache of compiled pattern databases. A
 * set compiled once is read back while its patterns are the same; a
 * changed pattern is a new key; a cache file cut short, with a bit
 * flipped anywhere, or rewritten with a valid checksum around counts, a
 * state or a key compiling never gives is compiled again and rewritten;
 * a cache that cannot be written leaves the rules working. Every set,
 * cached or not, must match the same events the same way.
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

#include "base/hash.h"
#include "detect/input/parse.h"
#include "detect/sigma/rules.h"
#include "helpers.h"

#define PC "logsource: {product: windows, category: process_creation}\n"
#define SYSMON "\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1"

/* A back-reference Hyperscan runs only as a prefilter (PCRE2 confirms),
 * a plain literal, and a word list. */
#define RULE_RE                                                                                   \
	"title: re-backref\n" PC                                                                  \
	"detection: {sel: {CommandLine|re: '(whoami) /priv \\1'}, condition: sel}\n"
#define RULE_LIST                                                                                 \
	"title: list\n" PC                                                                        \
	"detection: {sel: {Image|endswith: ['\\cmd.exe', '\\powershell.exe']}, condition: sel}\n"
static const char RULES[] = RULE_RE "---\ntitle: contains\n" PC
                            "detection: {sel: {CommandLine|contains: 'whoami'}, condition: "
                            "sel}\n---\n" RULE_LIST;

static char hits[1024];

static void collect(void *ctx, const det_rule *r, const det_event *e)
{
	(void)ctx, (void)e;
	if (hits[0])
		strcat(hits, ";");
	strncat(hits, r->title, sizeof hits - strlen(hits) - 2);
}

static det_rules *load(const char *yaml, const char *dir, det_cache_state *st)
{
	det_rules *rs = det_rules_new();
	det_rules_set_cache(rs, dir);
	diags d = DIAGS_INIT;
	assert_true(det_rules_add(rs, yaml, strlen(yaml), "test.yml", &d) > 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(det_rules_compile(rs, &d), 0);
	diags_free(&d);
	*st = det_rules_cache_state(rs, NULL);
	return rs;
}

static const char *run(const det_rules *rs, const char *image, const char *cmd)
{
	static const det_syslog_opts opts = {2026, 420};
	static det_event ev;
	char line[1024];
	snprintf(line, sizeof line,
	         "{\"Event\":{\"System\":{" SYSMON "},\"EventData\":{\"Image\":\"%s\","
	         "\"CommandLine\":\"%s\"}}}",
	         image, cmd);
	const char *why;
	hits[0] = '\0';
	if (det_parse_line(line, strlen(line), &opts, &ev, &why) != 0)
		fail_msg("line not parsed: %s", why);
	det_matcher *m = det_matcher_new(rs);
	det_match(m, &ev, collect, NULL);
	det_matcher_free(m);
	return hits;
}

/* The events every set of RULES must match as it does uncached. */
static void check_matches(const det_rules *rs)
{
	assert_string_equal(run(rs, "C:\\\\Windows\\\\cmd.exe", "whoami /priv whoami"),
	                    "re-backref;contains;list");
	assert_string_equal(run(rs, "C:\\\\Tools\\\\x.exe", "whoami /priv nobody"), "contains");
	assert_string_equal(run(rs, "C:\\\\Windows\\\\PowerShell.exe", "dir"), "list");
}

/* The cache files in dir; the name of the last in *name. */
static int cache_files(const char *dir, char *name, size_t n)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return 0;
	int count = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len > 5 && strcmp(de->d_name + len - 5, ".hsdb") == 0) {
			count++;
			if (name)
				snprintf(name, n, "%s/%s", dir, de->d_name);
		}
	}
	closedir(d);
	return count;
}

static void write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void expect(const char *yaml, const char *dir, det_cache_state want)
{
	det_cache_state st;
	det_rules *rs = load(yaml, dir, &st);
	if (st != want) {
		const char *note;
		det_rules_cache_state(rs, &note);
		fail_msg("cache state %d, expected %d (%s)", (int)st, (int)want, note ? note : "");
	}
	check_matches(rs);
	det_rules_free(rs);
}

static void stored_then_read_back(void **state)
{
	(void)state;
	char *dir = scratch_new();
	char cache[4096];
	snprintf(cache, sizeof cache, "%s/var/cache/rules", dir);
	det_cache_state st;
	det_rules *plain = load(RULES, NULL, &st);
	assert_int_equal(st, DET_CACHE_OFF);
	check_matches(plain);
	det_rules_free(plain);
	expect(RULES, cache, DET_CACHE_STORED); /* created with its parents */
	assert_int_equal(cache_files(cache, NULL, 0), 1);
	det_rules *rs = load(RULES, cache, &st);
	assert_int_equal(st, DET_CACHE_HIT);
	const char *note;
	det_rules_cache_state(rs, &note);
	assert_non_null(strstr(note, "read from"));
	check_matches(rs);
	det_rules_free(rs);
	scratch_free(dir);
}

static void a_changed_pattern_is_a_new_key(void **state)
{
	(void)state;
	char *dir = scratch_new();
	expect(RULES, dir, DET_CACHE_STORED);
	/* a new title, level or description changes no database */
	char renamed[sizeof RULES + 16];
	snprintf(renamed, sizeof renamed, "%s", RULES);
	memcpy(strstr(renamed, "title: list"), "title: LIST", 11);
	det_cache_state st;
	det_rules *rs = load(renamed, dir, &st);
	assert_int_equal(st, DET_CACHE_HIT);
	det_rules_free(rs);
	/* one more word in a list is another set of patterns */
	const char *more = RULE_RE "---\ntitle: contains\n" PC
	    "detection: {sel: {CommandLine|contains: 'whoami'}, condition: sel}\n---\n"
	    "title: list\n" PC
	    "detection: {sel: {Image|endswith: ['\\cmd.exe', '\\powershell.exe', '\\wscript.exe']}, "
	    "condition: sel}\n";
	expect(more, dir, DET_CACHE_STORED);
	assert_int_equal(cache_files(dir, NULL, 0), 2);
	expect(more, dir, DET_CACHE_HIT);
	expect(RULES, dir, DET_CACHE_HIT);
	scratch_free(dir);
}

static void a_damaged_file_is_compiled_again(void **state)
{
	(void)state;
	char *dir = scratch_new();
	expect(RULES, dir, DET_CACHE_STORED);
	char path[4096];
	assert_int_equal(cache_files(dir, path, sizeof path), 1);
	size_t len;
	char *good = read_all(path, &len);
	assert_non_null(good);
	assert_true(len > 200);
	char *bad = malloc(len);
	assert_non_null(bad);

	/* cut short anywhere */
	const size_t cuts[] = {0, 5, 8, 80, 90, len / 2, len - 65, len - 1};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		write_file(path, good, cuts[i]);
		expect(RULES, dir, DET_CACHE_REBUILT);
		expect(RULES, dir, DET_CACHE_HIT); /* rewritten whole */
	}
	/* one bit flipped: header, key, counts, states, lengths, Hyperscan's
	 * bytes, checksum */
	for (size_t at = 0; at < len; at += len / 37 + 1) {
		memcpy(bad, good, len);
		bad[at] ^= (char)(1 << (at % 8));
		write_file(path, bad, len);
		expect(RULES, dir, DET_CACHE_REBUILT);
	}
	/* a valid checksum around what compiling never gives: a state of 9, a
	 * count of slots one more, a file of another key under this key's
	 * name */
	const size_t at[] = {8 + 64 + 8, 8 + 64, 8};
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		memcpy(bad, good, len);
		bad[at[i]] = i == 0 ? 9 : i == 1 ? (char)(bad[at[i]] + 1) : bad[8] == 'a' ? 'b' : 'a';
		char sum[SHA256_HEX_LEN + 1];
		sha256_hex(bad, len - SHA256_HEX_LEN, sum);
		memcpy(bad + len - SHA256_HEX_LEN, sum, SHA256_HEX_LEN);
		write_file(path, bad, len);
		expect(RULES, dir, DET_CACHE_REBUILT);
	}
	expect(RULES, dir, DET_CACHE_HIT);
	free(bad);
	free(good);
	scratch_free(dir);
}

static void an_unwritable_cache_leaves_the_rules_working(void **state)
{
	(void)state;
	char *dir = scratch_new();
	char file[4096], cache[4200];
	snprintf(file, sizeof file, "%s/not-a-directory", dir);
	write_file(file, "x", 1);
	snprintf(cache, sizeof cache, "%s/rules", file);
	det_cache_state st;
	det_rules *rs = load(RULES, cache, &st);
	assert_int_equal(st, DET_CACHE_FAILED);
	const char *note;
	det_rules_cache_state(rs, &note);
	assert_non_null(strstr(note, "cannot be written"));
	check_matches(rs);
	det_rules_free(rs);
	scratch_free(dir);
}

static void nothing_to_keep_without_patterns(void **state)
{
	(void)state;
	char *dir = scratch_new();
	det_cache_state st;
	det_rules *rs =
	    load("title: n\n" PC "detection: {sel: {ProcessId|gt: 4}, condition: sel}\n", dir, &st);
	assert_int_equal(st, DET_CACHE_OFF);
	assert_int_equal(cache_files(dir, NULL, 0), 0);
	det_rules_free(rs);
	scratch_free(dir);
}

int main(void)
{
	hash_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(stored_then_read_back),
	    cmocka_unit_test(a_changed_pattern_is_a_new_key),
	    cmocka_unit_test(a_damaged_file_is_compiled_again),
	    cmocka_unit_test(an_unwritable_cache_leaves_the_rules_working),
	    cmocka_unit_test(nothing_to_keep_without_patterns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
