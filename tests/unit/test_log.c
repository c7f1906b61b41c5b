/*
 * test_log.c: the log's two forms (base/log.h): a JSON object a line with
 * at, level, msg and the fields after them, every string escaped so each
 * line parses; the text form "sigap: msg"; lines under the level set not
 * written; a diagnostic with its file, line and column.
 */
#include "helpers.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

/* What the log wrote while fn ran, as one string (malloc'd). */
static char *capture(void (*fn)(void))
{
	FILE *f = tmpfile();
	assert_non_null(f);
	log_sink(f);
	fn();
	log_sink(NULL);
	long n = ftell(f);
	assert_true(n >= 0);
	char *text = calloc(1, (size_t)n + 1);
	assert_non_null(text);
	rewind(f);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

static void say_hostile(void)
{
	log_say(LOG_WARN, "a \"quoted\" name\\path\n\ttab \x01 and UTF-8: Rp 1.000 — tahap");
}

static void request_line(void)
{
	log_with(LOG_INFO, "{\"path\":\"/healthz\",\"status\":200}", "request");
}

static void under_level(void)
{
	log_say(LOG_DEBUG, "too fine");
	log_say(LOG_INFO, "also under warn");
	log_say(LOG_ERROR, "kept");
}

static void one_diag(void)
{
	diags d = DIAGS_INIT;
	diags_add(&d, "rules/x.yml", 8, 3, "placeholder %%nowhere%% has no value");
	log_diags(LOG_WARN, &d);
	diags_free(&d);
}

static void test_json_lines(void **state)
{
	(void)state;
	log_setup(true, LOG_INFO);
	char *t = capture(say_hostile);
	/* one line, and it parses back to the message as it was */
	assert_non_null(strchr(t, '\n'));
	assert_int_equal(strchr(t, '\n')[1], '\0');
	json_error_t err;
	json_t *j = json_loads(t, 0, &err);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "level")), "warn");
	assert_string_equal(json_string_value(json_object_get(j, "msg")),
	                    "a \"quoted\" name\\path\n\ttab \x01 and UTF-8: Rp 1.000 — tahap");
	/* the time, RFC 3339 with its offset */
	const char *at = json_string_value(json_object_get(j, "at"));
	assert_non_null(at);
	assert_int_equal(strlen(at), 25);
	assert_true(at[10] == 'T' && (at[19] == '+' || at[19] == '-'));
	json_decref(j);
	free(t);
	/* the fields follow msg */
	t = capture(request_line);
	j = json_loads(t, 0, &err);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "msg")), "request");
	assert_string_equal(json_string_value(json_object_get(j, "path")), "/healthz");
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 200);
	assert_true(strstr(t, "\"msg\":\"request\",\"path\"") != NULL);
	json_decref(j);
	free(t);
	/* a diagnostic: its text, and where as fields */
	t = capture(one_diag);
	j = json_loads(t, 0, &err);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "msg")),
	                    "rules/x.yml:8:3: placeholder %nowhere% has no value");
	assert_int_equal(json_integer_value(json_object_get(j, "line")), 8);
	assert_int_equal(json_integer_value(json_object_get(j, "col")), 3);
	json_decref(j);
	free(t);
}

static void test_levels_and_text(void **state)
{
	(void)state;
	log_setup(false, LOG_WARN);
	assert_false(log_on(LOG_INFO));
	assert_true(log_on(LOG_ERROR));
	char *t = capture(under_level);
	assert_string_equal(t, "sigap: kept\n");
	free(t);
	log_setup(false, LOG_INFO);
	t = capture(request_line);
	assert_string_equal(t, "sigap: request {\"path\":\"/healthz\",\"status\":200}\n");
	free(t);
	log_level l;
	assert_int_equal(log_level_parse("debug", &l), 0);
	assert_int_equal(l, LOG_DEBUG);
	assert_int_equal(log_level_parse("warn", &l), 0);
	assert_int_equal(l, LOG_WARN);
	assert_int_equal(log_level_parse("verbose", &l), -1);
	assert_int_equal(log_level_parse(NULL, &l), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_lines),
		cmocka_unit_test(test_levels_and_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
