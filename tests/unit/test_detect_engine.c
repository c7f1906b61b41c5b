/*
 * test_detect_engine.c: the one detection engine both drivers use
 * (src/detect/engine/engine.c): what a line yields, in what order, and the one
 * time rule (the event's time, else the time it was received).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "detect/engine/engine.h"

static const char RULES[] =
    "title: Failed password\nname: failed\nlevel: low\n"
    "logsource: {product: linux, service: sshd}\n"
    "detection: {sel: {action: ssh_login_failed}, condition: sel}\n"
    "---\ntitle: Accepted\nname: accepted\nlogsource: {product: linux, service: sshd}\n"
    "detection: {sel: {action: ssh_login_success}, condition: sel}\n"
    "---\ntitle: Brute force\nlevel: high\ncorrelation:\n  type: event_count\n"
    "  rules: [failed]\n  group-by: [srcip]\n  timespan: 60s\n  condition: {gte: 3}\n"
    "  generate: true\n";

/* What the callbacks saw, in order. */
static char seen[4096];
static int64_t fired_first, fired_last, obs_time[16];
static char obs_excerpt[16][DET_OBS_TEXT];
static size_t n_obs;

static void note(const char *s)
{
	strncat(seen, s, sizeof seen - strlen(seen) - 1);
}

static uint64_t on_match(void *ctx, const det_rule *r, const det_event *ev, const det_hit *hits,
			 size_t n_hits)
{
	(void)ctx;
	(void)ev;
	(void)hits;
	char one[128];
	snprintf(one, sizeof one, "match:%s/%zu;", r->name, n_hits);
	note(one);
	return 7;
}

static void on_hit(void *ctx, const det_hit *h, const det_event *ev)
{
	(void)ctx;
	(void)ev;
	char one[128];
	snprintf(one, sizeof one, "hit:%s;", h->ioc->value);
	note(one);
}

static void on_observe(void *ctx, const det_obs *o)
{
	(void)ctx;
	assert_int_equal(o->ref, 7); /* what the driver made of the match */
	if (n_obs < 16) {
		snprintf(obs_excerpt[n_obs], DET_OBS_TEXT, "%s", det_obs_excerpt(o));
		obs_time[n_obs++] = o->time;
	}
	note("obs;");
}

static void on_correlation(void *ctx, const det_corr_match *m, const det_event *ev)
{
	(void)ctx;
	(void)ev;
	fired_first = m->first;
	fired_last = m->last;
	char one[128];
	snprintf(one, sizeof one, "corr:%s/%lld;", m->rule->title, (long long)m->count);
	note(one);
}

static void on_unparsed(void *ctx, const char *why)
{
	(void)ctx;
	(void)why;
	note("unparsed;");
}

static det_rules *rules(void)
{
	det_rules *rs = det_rules_new();
	diags d = DIAGS_INIT;
	assert_int_equal(det_rules_add(rs, RULES, strlen(RULES), "e.yml", &d), 3);
	assert_int_equal(det_rules_compile(rs, &d), 0);
	diags_free(&d);
	return rs;
}

/* A failed login as a JSON line: it carries no time of its own. */
static const char TIMELESS[] =
    "{\"program\":\"sshd\",\"action\":\"ssh_login_failed\",\"srcip\":\"203.0.113.5\"}";

static const det_syslog_opts OPTS = {2026, 420};

/* Correlating in the engine: events without a time are placed at the time
 * they were received, not at 0 (the hunting command correlated them at 0,
 * the server at the receive time, before there was one engine). */
static void timeless_at_receive_time(void **state)
{
	(void)state;
	det_rules *rs = rules();
	det_correlator *c = det_correlator_new(rs);
	det_engine *g = det_engine_new(rs, NULL, c);
	det_engine_out out = {NULL, on_match, on_hit, on_observe, on_correlation, on_unparsed};
	seen[0] = '\0';
	for (int i = 0; i < 3; i++)
		assert_int_equal(det_engine_line(g, TIMELESS, strlen(TIMELESS), &OPTS, 1000 + 20 * i,
						 &out), 0);
	assert_string_equal(seen, "match:failed/0;match:failed/0;match:failed/0;corr:Brute force/3;");
	assert_int_equal(fired_first, 1000);
	assert_int_equal(fired_last, 1040);
	/* 61 s apart: outside the window, nothing fires */
	seen[0] = '\0';
	for (int i = 0; i < 3; i++)
		det_engine_line(g, TIMELESS, strlen(TIMELESS), &OPTS, 5000 + 61 * i, &out);
	assert_null(strstr(seen, "corr:"));
	det_engine_free(g);
	det_correlator_free(c);
	det_rules_free(rs);
}

/* Without a correlator the driver gets the observations, in line order,
 * each at the event's own time when it has one. */
static void observations_for_the_driver(void **state)
{
	(void)state;
	det_rules *rs = rules();
	det_engine *g = det_engine_new(rs, NULL, NULL);
	det_engine_out out = {NULL, on_match, on_hit, on_observe, NULL, on_unparsed};
	seen[0] = '\0';
	n_obs = 0;
	const char *stamped = "Nov 23 08:00:01 web01 sshd[1]: Failed password for root from "
			      "203.0.113.5 port 1 ssh2";
	det_engine_line(g, stamped, strlen(stamped), &OPTS, 99, &out);
	det_engine_line(g, TIMELESS, strlen(TIMELESS), &OPTS, 1234, &out);
	assert_string_equal(seen, "match:failed/0;obs;match:failed/0;obs;");
	assert_int_equal(n_obs, 2);
	assert_true(obs_time[0] > 1700000000); /* its own stamp, 23 November */
	assert_int_equal(obs_time[1], 1234);
	/* each carries the start of its event's message, for the alert of a
	 * firing; a driver that raises none has them left out */
	assert_string_equal(obs_excerpt[0], "Failed password for root from 203.0.113.5 port 1 ssh2");
	assert_string_equal(obs_excerpt[1], TIMELESS);
	out.no_member_text = true;
	n_obs = 0;
	det_engine_line(g, stamped, strlen(stamped), &OPTS, 99, &out);
	assert_int_equal(n_obs, 1);
	assert_string_equal(obs_excerpt[0], "");
	det_engine_free(g);
	det_rules_free(rs);
}

/* Indicators: each rule match carries the event's hits, and the hits come
 * after the matches; a line that does not parse is said so and still
 * looked up as text. */
static void indicators_and_bad_lines(void **state)
{
	(void)state;
	det_rules *rs = rules();
	ioc_set *s = ioc_set_new();
	ioc bad = {.type = IOC_IPV4, .value = "203.0.113.5", .confidence = -1};
	assert_int_equal(ioc_set_add(s, &bad), 0);
	ioc_set_finish(s);
	det_engine *g = det_engine_new(rs, s, NULL);
	det_engine_out out = {NULL, on_match, on_hit, NULL, NULL, on_unparsed};
	seen[0] = '\0';
	det_engine_line(g, TIMELESS, strlen(TIMELESS), &OPTS, 1, &out);
	assert_string_equal(seen, "match:failed/1;hit:203.0.113.5;");
	seen[0] = '\0';
	const char *junk = "{\"broken\": 203.0.113.5";
	assert_int_equal(det_engine_line(g, junk, strlen(junk), &OPTS, 1, &out), -1);
	assert_non_null(strstr(seen, "unparsed;"));
	/* reloaded indicators: none now */
	det_engine_set_iocs(g, NULL);
	seen[0] = '\0';
	det_engine_line(g, TIMELESS, strlen(TIMELESS), &OPTS, 1, &out);
	assert_string_equal(seen, "match:failed/0;");
	det_engine_free(g);
	ioc_set_free(s);
	det_rules_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(timeless_at_receive_time),
	    cmocka_unit_test(observations_for_the_driver),
	    cmocka_unit_test(indicators_and_bad_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
