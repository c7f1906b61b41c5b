/*
 * test_store.c: the database interface: migrations, a schema newer than
 * the binary, a missing database, bound parameters, transactions.
 */
#include "helpers.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* A new database file in a new scratch directory. */
static db *scratch_db(char **dir, char path[4200])
{
	*dir = scratch_new();
	snprintf(path, 4200, "%s/s.db", *dir);
	db *d;
	sg_err e = {0};
	if (db_open(path, DB_OPEN_CREATE, &d, &e) != 0)
		fail_msg("db_open: %s", e.msg);
	return d;
}

static void test_migrations_and_reopen(void **state)
{
	(void)state;
	char *dir, path[4200];
	db *d = scratch_db(&dir, path);
	sg_err e = {0};
	assert_int_equal(db_schema_version(d), db_schema_latest());
	assert_true(db_schema_latest() >= 1);
	db_close(d);
	/* Reopening applies nothing twice. */
	assert_int_equal(db_open(path, DB_OPEN_EXISTING, &d, &e), 0);
	int64_t n = 0;
	assert_int_equal(db_query_int(d, &e, &n, "SELECT COUNT(*) FROM schema_version", ""), DB_ROW);
	assert_int_equal(n, db_schema_latest());
	/* WAL and foreign keys are on. */
	db_stmt *st;
	assert_int_equal(db_prepare(d, "PRAGMA journal_mode", &st, &e), 0);
	assert_int_equal(db_step(st, &e), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "wal");
	db_finalize(st);
	assert_int_equal(db_query_int(d, &e, &n, "PRAGMA foreign_keys", ""), DB_ROW);
	assert_int_equal(n, 1);
	db_close(d);
	scratch_free(dir);
}

static void test_newer_schema_is_refused(void **state)
{
	(void)state;
	char *dir, path[4200];
	db *d = scratch_db(&dir, path);
	sg_err e = {0};
	assert_int_equal(db_run(d, &e, "INSERT INTO schema_version (version) VALUES (999)", ""), 0);
	db_close(d);
	assert_int_equal(db_open(path, DB_OPEN_EXISTING, &d, &e), -1);
	assert_null(d);
	assert_int_equal(e.code, SG_ESCHEMA);
	assert_non_null(strstr(e.msg, "schema version 999, newer than this sigap"));
	scratch_free(dir);
}

static void test_missing_database(void **state)
{
	(void)state;
	db *d;
	sg_err e = {0};
	assert_int_equal(db_open("/nonexistent/dir/x.db", DB_OPEN_EXISTING, &d, &e), -1);
	assert_int_equal(e.code, SG_ENOTFOUND);
	assert_non_null(strstr(e.msg, "sigap init"));
	assert_int_equal(db_open("postgres://localhost/sigap", DB_OPEN_CREATE, &d, &e), -1);
	assert_int_equal(e.code, SG_EINVAL);
}

static void test_bound_parameters_and_transactions(void **state)
{
	(void)state;
	char *dir, path[4200];
	db *d = scratch_db(&dir, path);
	sg_err e = {0};
	assert_int_equal(db_exec(d, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", &e), 0);
	const char *evil = "x'); DROP TABLE t; --";
	assert_int_equal(db_run(d, &e, "INSERT INTO t (v) VALUES (?)", "s", evil), 0);
	db_stmt *st;
	assert_int_equal(db_prepare_bind(d, &st, &e, "SELECT v FROM t WHERE v = ?", "s", evil), 0);
	assert_int_equal(db_step(st, &e), DB_ROW);
	assert_string_equal(db_col_text(st, 0), evil);
	db_finalize(st);
	/* A rolled back transaction leaves nothing. */
	assert_int_equal(db_begin(d, &e), 0);
	assert_int_equal(db_begin(d, &e), -1); /* not nested */
	assert_int_equal(db_run(d, &e, "INSERT INTO t (v) VALUES (?)", "s", "temp"), 0);
	db_rollback(d);
	int64_t n;
	assert_int_equal(db_query_int(d, &e, &n, "SELECT COUNT(*) FROM t", ""), DB_ROW);
	assert_int_equal(n, 1);
	/* A constraint violation is a conflict. */
	assert_int_equal(db_run(d, &e, "INSERT INTO t (id, v) VALUES (1, 'again')", ""), -1);
	assert_int_equal(e.code, SG_ECONFLICT);
	/* A syntax error is a database error with SQLite's message. */
	assert_int_equal(db_run(d, &e, "SELEKT 1", ""), -1);
	assert_int_equal(e.code, SG_EDB);
	db_close(d);
	scratch_free(dir);
}

/* db_insert: the new row's id, without RETURNING; a failed INSERT and a
 * statement that returns rows are errors, and no id is given. */
static void test_insert_gives_the_new_id(void **state)
{
	(void)state;
	char *dir, path[4200];
	db *d = scratch_db(&dir, path);
	sg_err e = {0};
	assert_int_equal(db_exec(d, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)", &e), 0);
	int64_t id = 0;
	assert_int_equal(db_insert(d, &e, &id, "INSERT INTO t (id, v) VALUES (41, ?)", "s", "a"), 0);
	assert_int_equal(id, 41);
	assert_int_equal(db_insert(d, &e, &id, "INSERT INTO t (v) VALUES (?)", "s", "b"), 0);
	assert_int_equal(id, 42);
	id = 0;
	assert_int_equal(db_insert(d, &e, &id, "INSERT INTO t (v) VALUES (?)", "s", "b"), -1);
	assert_int_equal(e.code, SG_ECONFLICT);
	assert_int_equal(id, 0);
	assert_int_equal(db_insert(d, &e, &id, "INSERT INTO t (v) VALUES (?) RETURNING id", "s", "c"),
	                 -1);
	assert_int_equal(e.code, SG_EDB);
	assert_int_equal(id, 0);
	db_close(d);
	scratch_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrations_and_reopen),
		cmocka_unit_test(test_newer_schema_is_refused),
		cmocka_unit_test(test_missing_database),
		cmocka_unit_test(test_bound_parameters_and_transactions),
		cmocka_unit_test(test_insert_gives_the_new_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
