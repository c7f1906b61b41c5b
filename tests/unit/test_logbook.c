/*
 * test_logbook.c: the logbook's hash chain. Entries are appended by every
 * change; altering, deleting or reordering a stored entry with plain SQL
 * is found by verify, which names the first broken entry.
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

static void fill(app *a, int n)
{
	sg_err e = {0};
	for (int i = 0; i < n; i++) {
		char object[32];
		snprintf(object, sizeof object, "test:%d", i + 1);
		json_t *d = json_pack("{s:i, s:s}", "i", i + 1, "catatan", "entri \"uji\" ✓");
		assert_int_equal(db_begin(a->db, &e), 0);
		assert_int_equal(logbook_append(a, "tester", "test.write", object, d, &e), 0);
		assert_int_equal(db_commit(a->db, &e), 0);
		json_decref(d);
	}
}

/* Runs SQL on the app's store behind its back, on a connection of its
 * own (the SQLite file or the PostgreSQL database alike). */
static void tamper(app *a, const char *sql)
{
	db *conn;
	sg_err e = {0};
	if (db_open(a->cfg.db_path, DB_OPEN_EXISTING, &conn, &e) != 0 || db_exec(conn, sql, &e) != 0)
		fail_msg("tamper: %s", e.msg);
	db_close(conn);
}

static void verify_broken_at(app *a, int64_t seq, const char *reason)
{
	logbook_report rep;
	sg_err e = {0};
	assert_int_equal(logbook_verify(a, &rep, &e), -1);
	assert_int_equal(e.code, SG_EINTEGRITY);
	assert_int_equal(rep.broken_seq, seq);
	if (strstr(rep.reason, reason) == NULL)
		fail_msg("expected '%s' in '%s'", reason, rep.reason);
}

static void test_chain_verifies(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 10:00"));
	fill(&a, 5);
	logbook_report rep;
	sg_err e = {0};
	assert_int_equal(logbook_verify(&a, &rep, &e), 0);
	assert_int_equal(rep.entries, 5);
	assert_int_equal(rep.broken_seq, 0);
	assert_int_equal(strlen(rep.head), 64);
	json_t *list = logbook_list(&a, NULL, 2, NULL, &e);
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "seq")), 5);
	json_decref(list);
	list = logbook_list(&a, "test:3", 0, NULL, &e);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	app_close(&a);
	scratch_free(dir);
}

static void test_altered_details(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 10:00"));
	fill(&a, 5);
	tamper(&a, "UPDATE logbook SET details = '{\"i\":99}' WHERE seq = 3");
	verify_broken_at(&a, 3, "content was changed");
	app_close(&a);
	scratch_free(dir);
}

static void test_altered_actor_and_time(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 10:00"));
	fill(&a, 4);
	tamper(&a, "UPDATE logbook SET at = at + 60 WHERE seq = 2");
	verify_broken_at(&a, 2, "content was changed");
	app_close(&a);
	scratch_free(dir);
}

static void test_rehashed_entry_breaks_the_next(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 10:00"));
	fill(&a, 4);
	/* A forger who rewrites entry 2 and its hash still breaks entry 3. */
	tamper(&a, "UPDATE logbook SET hash = '0000000000000000000000000000000000000000000000000000000000000001' WHERE seq = 2");
	verify_broken_at(&a, 2, "content was changed");
	app_close(&a);
	scratch_free(dir);
}

static void test_deleted_entry(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 10:00"));
	fill(&a, 5);
	tamper(&a, "DELETE FROM logbook WHERE seq = 2");
	verify_broken_at(&a, 2, "missing");
	app_close(&a);
	scratch_free(dir);
}

static void test_changes_are_logged(void **state)
{
	(void)state;
	char *dir = scratch_new();
	app a;
	test_app_open(&a, dir, wib("2026-11-23 10:00"));
	test_user(&a, "petugas1", "petugas");
	sg_err e = {0};
	json_t *list = logbook_list(&a, "user:petugas1", 0, NULL, &e);
	assert_int_equal(json_array_size(list), 1);
	json_t *entry = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(entry, "action")), "user.add");
	assert_string_equal(json_string_value(json_object_get(entry, "actor")), "test");
	/* The password never reaches the logbook. */
	char *text = json_dumps(entry, 0);
	assert_null(strstr(text, "password-123"));
	free(text);
	json_decref(list);
	app_close(&a);
	scratch_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_verifies),
		cmocka_unit_test(test_altered_details),
		cmocka_unit_test(test_altered_actor_and_time),
		cmocka_unit_test(test_rehashed_entry_breaks_the_next),
		cmocka_unit_test(test_deleted_entry),
		cmocka_unit_test(test_changes_are_logged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
