/*
 * test_detect_correlate.c: the correlator over long runs (src/detect/sigma/
 * correlate.c): windows of dropped groups are reused for new ones, with
 * their entries and text blocks, and nothing of an earlier group shows in
 * a later firing; an observation copied by its bytes in use (as
 * `sigap detect` keeps them) correlates as the original does; excerpts
 * can be left out. test_detect_rules.c covers each correlation type on
 * its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/input/parse.h"
#include "detect/sigma/correlate.h"
#include "detect/sigma/rules.h"

static const char RULES[] =
    "title: Failed password\nname: failed\n"
    "logsource: {product: linux, service: sshd}\n"
    "detection: {sel: {action: ssh_login_failed}, condition: sel}\n"
    "---\ntitle: Guessing\ncorrelation:\n  type: event_count\n"
    "  rules: [failed]\n  group-by: [srcip]\n  timespan: 60s\n  condition: {gte: 3}\n"
    "---\ntitle: Spraying\ncorrelation:\n  type: value_count\n"
    "  rules: [failed]\n  group-by: [srcip]\n  timespan: 60s\n"
    "  condition: {field: srcuser, gte: 3}\n"
    "---\ntitle: Pairs\ncorrelation:\n  type: event_count\n"
    "  rules: [failed]\n  group-by: [srcip, srcuser]\n  timespan: 60s\n"
    "  condition: {gte: 2}\n";

static const det_syslog_opts OPTS = {2026, 420};
static det_event ev;
static det_rules *rs;
static const det_rule *failed;
static det_correlator *corr;

/* The firings so far, as "title(key,count):excerpt|excerpt;". */
static char fired[8192];

static det_rules *load(void)
{
	det_rules *r = det_rules_new();
	diags d = DIAGS_INIT;
	assert_int_equal(det_rules_add(r, RULES, strlen(RULES), "c.yml", &d), 4);
	assert_int_equal(det_rules_compile(r, &d), 0);
	assert_int_equal(d.n, 0);
	diags_free(&d);
	return r;
}

static void note(const det_corr_match *m)
{
	char one[1024];
	int n = snprintf(one, sizeof one, "%s(%s,%lld):", m->rule->title, m->key,
			 (long long)m->count);
	for (size_t i = 0; i < m->n_members && n < (int)sizeof one; i++)
		n += snprintf(one + n, sizeof one - (size_t)n, "%s%s", i ? "|" : "",
			      m->members[i].excerpt);
	size_t at = strlen(fired);
	if (at + strlen(one) + 2 <= sizeof fired) /* later firings are not kept */
		snprintf(fired + at, sizeof fired - at, "%s;", one);
}

/* A failed password from an address for a user at time t, its
 * observations copied by their bytes in use into blocks of exactly that
 * size (so that a read past them is caught under a sanitizer) and fed. */
static void failure(const char *user, const char *from, int64_t t, bool excerpts)
{
	char line[256];
	snprintf(line, sizeof line,
		 "Nov 23 08:00:01 web01 sshd[1]: Failed password for %s from %s port 1 ssh2",
		 user, from);
	const char *why;
	assert_int_equal(det_parse_line(line, strlen(line), &OPTS, &ev, &why), 0);
	det_obs obs[8];
	size_t n = det_corr_observe(rs, failed, &ev, t, excerpts, obs, 8);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		size_t size = det_obs_size(&obs[i]);
		det_obs *copy = malloc(size);
		assert_non_null(copy);
		memcpy(copy, &obs[i], size);
		det_corr_match m;
		if (det_correlate(corr, copy, &m))
			note(&m);
		free(copy);
	}
}

static void setup(void)
{
	rs = load();
	failed = det_rules_get(rs, 0);
	corr = det_correlator_new(rs);
	fired[0] = '\0';
}

static void teardown(void)
{
	det_correlator_free(corr);
	det_rules_free(rs);
}

/* An observation's texts: the key, the value, the excerpt, one after
 * another, and its size counts only those. */
static void observation_layout(void **state)
{
	(void)state;
	setup();
	const char *line = "Nov 23 08:00:01 web01 sshd[1]: Failed password for budi from "
			   "203.0.113.9 port 1 ssh2";
	const char *why;
	assert_int_equal(det_parse_line(line, strlen(line), &OPTS, &ev, &why), 0);
	det_obs obs[8];
	assert_int_equal(det_corr_observe(rs, failed, &ev, 100, true, obs, 8), 3);
	assert_string_equal(det_obs_key(&obs[0]), "203.0.113.9");
	assert_string_equal(det_obs_value(&obs[0]), "");
	assert_string_equal(det_obs_excerpt(&obs[0]),
			    "Failed password for budi from 203.0.113.9 port 1 ssh2");
	assert_string_equal(det_obs_value(&obs[1]), "budi");
	assert_string_equal(det_obs_key(&obs[2]), "203.0.113.9|budi");
	assert_string_equal(det_obs_excerpt(&obs[2]), det_obs_excerpt(&obs[0]));
	assert_int_equal(det_obs_size(&obs[1]),
			 offsetof(det_obs, text) + strlen("203.0.113.9") + strlen("budi") +
			     strlen(det_obs_excerpt(&obs[1])) + 3);
	/* left out: the excerpt is empty, the rest the same */
	assert_int_equal(det_corr_observe(rs, failed, &ev, 100, false, obs, 8), 3);
	assert_string_equal(det_obs_excerpt(&obs[1]), "");
	assert_string_equal(det_obs_value(&obs[1]), "budi");
	assert_string_equal(det_obs_key(&obs[2]), "203.0.113.9|budi");
	teardown();
}

/* Thousands of one-time addresses, each group dropped once idle past its
 * minute, their windows reused: a later firing names only its own events,
 * and an address seen in an earlier, expired window starts afresh. */
static void reused_windows(void **state)
{
	(void)state;
	setup();
	char from[32], user[32];
	int64_t t = 1795395600;
	for (int i = 0; i < 20000; i++) {
		snprintf(from, sizeof from, "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
		snprintf(user, sizeof user, "u%d", i);
		failure(user, from, t + i / 4, true);
		if (i % 2 == 0)
			failure(user, from, t + i / 4, true); /* some groups hold two */
	}
	/* an address tried twice for one user is a pair; none reaches three */
	assert_non_null(strstr(fired, "Pairs(10.0.0.0|u0,2)"));
	assert_null(strstr(fired, "Guessing"));
	assert_null(strstr(fired, "Spraying"));
	fired[0] = '\0';
	t += 20000 / 4 + 1000;
	/* 10.0.0.7 was seen long ago: its old events do not count */
	failure("ani", "10.0.0.7", t, true);
	failure("budi", "10.0.0.7", t + 1, true);
	assert_string_equal(fired, "");
	failure("citra", "10.0.0.7", t + 2, true);
	assert_string_equal(
	    fired,
	    "Guessing(10.0.0.7,3):Failed password for ani from 10.0.0.7 port 1 ssh2|"
	    "Failed password for budi from 10.0.0.7 port 1 ssh2|"
	    "Failed password for citra from 10.0.0.7 port 1 ssh2;"
	    "Spraying(10.0.0.7,3):Failed password for ani from 10.0.0.7 port 1 ssh2|"
	    "Failed password for budi from 10.0.0.7 port 1 ssh2|"
	    "Failed password for citra from 10.0.0.7 port 1 ssh2;");
	teardown();
}

/* Time going back (a source whose clock or zone is behind the others'):
 * a new group that takes the window of a dropped one sees none of its
 * events, though they are within a minute of its own. */
static void reused_window_behind(void **state)
{
	(void)state;
	setup();
	char from[32];
	int64_t t = 1795395600;
	for (int i = 0; i < 600; i++) { /* two failures each at t */
		snprintf(from, sizeof from, "10.1.%d.%d", i >> 8, i & 255);
		failure("ani", from, t, true);
		failure("ani", from, t, true);
	}
	assert_null(strstr(fired, "Guessing"));
	fired[0] = '\0';
	/* much later: the table is rebuilt once, the first groups dropped and
	 * their windows kept for new ones (1,800 windows of 2,048 places) */
	for (int i = 0; i < 100; i++) {
		snprintf(from, sizeof from, "10.2.%d.%d", i >> 8, i & 255);
		failure("budi", from, t + 1000, true);
	}
	assert_string_equal(fired, "");
	failure("citra", "192.0.2.1", t - 5, true);
	assert_string_equal(fired, "");
	teardown();
}

/* value_count: values that left the timespan make room, those kept keep
 * their own excerpts; a value seen again is counted once, at its latest
 * event; entries reused after a firing show no excerpt of the events
 * before it. */
static void values_age_out(void **state)
{
	(void)state;
	setup();
	int64_t t = 1795395600;
	failure("ani", "198.51.100.1", t, true);
	failure("budi", "198.51.100.1", t + 50, true);
	/* ani ages out at t + 61: two distinct values within the minute */
	failure("citra", "198.51.100.1", t + 61, true);
	assert_null(strstr(fired, "Spraying"));
	failure("budi", "198.51.100.1", t + 62, true); /* again: still two */
	assert_null(strstr(fired, "Spraying"));
	fired[0] = '\0';
	failure("dewi", "198.51.100.1", t + 63, false); /* no excerpt kept */
	assert_string_equal(fired, "Spraying(198.51.100.1,3):"
				   "Failed password for budi from 198.51.100.1 port 1 ssh2|"
				   "Failed password for citra from 198.51.100.1 port 1 ssh2|;");
	/* the window starts afresh in the same blocks: no excerpt kept now */
	fired[0] = '\0';
	failure("eka", "198.51.100.1", t + 64, false);
	failure("fajar", "198.51.100.1", t + 65, false);
	failure("gita", "198.51.100.1", t + 66, false);
	assert_string_equal(fired, "Guessing(198.51.100.1,3):||;Spraying(198.51.100.1,3):||;");
	teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(observation_layout),
	    cmocka_unit_test(reused_windows),
	    cmocka_unit_test(reused_window_behind),
	    cmocka_unit_test(values_age_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
