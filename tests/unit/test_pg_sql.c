/*
 * test_pg_sql.c: sigap's SQL made PostgreSQL's (src/store/pg_sql.c):
 * parameters numbered, the SQLite forms that PostgreSQL spells otherwise
 * rewritten, and nothing changed inside literals, quoted names, comments
 * or dollar-quoted bodies.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "store/pg_sql.h"

/* sql translated is want, taking n parameters. */
static void same(const char *sql, const char *want, int n)
{
	sg_err e = {0};
	int got_n = -1;
	char *got = pg_sql_translate(sql, &got_n, &e);
	if (got == NULL)
		fail_msg("%s: %s", sql, e.msg);
	if (strcmp(got, want) != 0)
		fail_msg("%s\n  got:  %s\n  want: %s", sql, got, want);
	assert_int_equal(got_n, n);
	free(got);
}

static void refused(const char *sql, const char *why)
{
	sg_err e = {0};
	char *got = pg_sql_translate(sql, NULL, &e);
	if (got != NULL)
		fail_msg("%s was translated: %s", sql, got);
	assert_non_null(strstr(e.msg, why));
}

static void test_parameters(void **state)
{
	(void)state;
	same("SELECT ?, ?", "SELECT $1, $2", 2);
	/* a bare ? follows the largest number so far, as in SQLite */
	same("WHERE a = ?2 AND b = ?1 AND c = ?", "WHERE a = $2 AND b = $1 AND c = $3", 3);
	same("WHERE (?1 IS NULL OR s = ?1)", "WHERE ($1 IS NULL OR s = $1)", 1);
	/* a ? used once and only tested for NULL is given a type */
	same("WHERE (? IS NULL OR a = ?) AND (? is  not\tnull)",
	     "WHERE ($1::text IS NULL OR a = $2) AND ($3::text is  not\tnull)", 3);
	same("WHERE ? IS NULLIF", "WHERE $1 IS NULLIF", 1);
	same("SELECT 1", "SELECT 1", 0);
	same("", "", 0);
	refused("SELECT ?70000", "out of range");
	refused("SELECT ?0", "out of range");
}

static void test_opaque_text(void **state)
{
	(void)state;
	same("SELECT '?', 'it''s ? LIKE', \"a?\" FROM t -- ? LIKE\nWHERE x = ?",
	     "SELECT '?', 'it''s ? LIKE', \"a?\" FROM t -- ? LIKE\nWHERE x = $1", 1);
	same("/* MAX(a, b) ? */ SELECT ?", "/* MAX(a, b) ? */ SELECT $1", 1);
	same("CREATE FUNCTION f() RETURNS int AS $$ SELECT MAX(1, 2) LIKE ?; $$ LANGUAGE sql",
	     "CREATE FUNCTION f() RETURNS int AS $$ SELECT MAX(1, 2) LIKE ?; $$ LANGUAGE sql", 0);
	same("SELECT $body$ ? $body$, ?", "SELECT $body$ ? $body$, $1", 1);
	/* a literal, comment or body never closed runs to the end untouched */
	same("SELECT 'open ?", "SELECT 'open ?", 0);
	same("SELECT 1 /* open ?", "SELECT 1 /* open ?", 0);
}

static void test_insert_or_ignore(void **state)
{
	(void)state;
	same("INSERT OR IGNORE INTO t (a) VALUES (?)",
	     "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING", 1);
	same("insert or ignore into t (a, b) SELECT ?, id FROM u WHERE n = ?\n",
	     "insert into t (a, b) SELECT $1, id FROM u WHERE n = $2 ON CONFLICT DO NOTHING", 2);
	same("INSERT OR IGNORE INTO t (a) VALUES (?) RETURNING id",
	     "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id", 1);
	/* RETURNING inside a subquery is not the statement's */
	same("INSERT OR IGNORE INTO t (a) VALUES ((SELECT 'RETURNING'))",
	     "INSERT INTO t (a) VALUES ((SELECT 'RETURNING')) ON CONFLICT DO NOTHING", 0);
	/* one statement's clause, not the next one's */
	same("INSERT OR IGNORE INTO a VALUES (1); INSERT INTO b VALUES (2)",
	     "INSERT INTO a VALUES (1) ON CONFLICT DO NOTHING; INSERT INTO b VALUES (2)", 0);
	same("INSERT INTO t VALUES (1) ON CONFLICT (a) DO UPDATE SET n = n + excluded.n",
	     "INSERT INTO t VALUES (1) ON CONFLICT (a) DO UPDATE SET n = n + excluded.n", 0);
}

static void test_functions(void **state)
{
	(void)state;
	same("UPDATE f SET kev = MAX(kev, ?1) WHERE id = ?2",
	     "UPDATE f SET kev = GREATEST(kev, $1) WHERE id = $2", 2);
	same("SELECT MAX(x), min(y) FROM t", "SELECT MAX(x), min(y) FROM t", 0);
	same("SELECT MIN(a, (SELECT MAX(b) FROM u), 3)", "SELECT LEAST(a, (SELECT MAX(b) FROM u), 3)",
	     0);
	same("SELECT max (a, b), MAXIMUM(a, b)", "SELECT GREATEST (a, b), MAXIMUM(a, b)", 0);
	same("WHERE name LIKE ? ESCAPE '\\' AND x NOT LIKE 'a%'",
	     "WHERE name ILIKE $1 ESCAPE '\\' AND x NOT ILIKE 'a%'", 1);
	same("SELECT liked, unlike FROM t", "SELECT liked, unlike FROM t", 0);
	same("SELECT group_concat(name) FROM t", "SELECT string_agg(CAST(name AS TEXT), ',') FROM t",
	     0);
	same("SELECT group_concat(a || ?, '; ') FROM t",
	     "SELECT string_agg(CAST(a || $1 AS TEXT), '; ') FROM t", 1);
	refused("SELECT group_concat(a, b, c) FROM t", "one or two arguments");
	refused("SELECT group_concat(a", "one or two arguments");
}

static void test_json_and_pragma(void **state)
{
	(void)state;
	same("WHERE p IN (SELECT value FROM json_each(?))",
	     "WHERE p IN (SELECT value FROM json_array_elements_text(CAST($1 AS json)))", 1);
	same("SELECT substr(json_extract(event, '$.raw'), 1, ?)",
	     "SELECT substr((CAST(event AS json) #>> '{raw}'), 1, $1)", 1);
	same("SELECT json_extract(e, '$.a.b_c')", "SELECT (CAST(e AS json) #>> '{a,b_c}')", 0);
	refused("SELECT json_extract(e, ?)", "literal path");
	refused("SELECT json_extract(e, '$.a[0]')", "plain member names");
	refused("SELECT json_each(a, b)", "one argument");
	same("PRAGMA synchronous = FULL", "", 0);
	same("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY", "", 0);
	same("PRAGMA a = 1; SELECT ?", "SELECT $1", 1);
}

static void test_match(void **state)
{
	(void)state;
	same("c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)",
	     "c.id IN (SELECT rowid FROM case_search WHERE case_search.doc @@ sigap_tsquery($1))", 1);
	same("WHERE s MATCH ?3", "WHERE s.doc @@ sigap_tsquery($3)", 3);
	refused("WHERE s MATCH 'x'", "MATCH takes a parameter");
}

/* SQLite's unary plus before a name goes; addition and signs stay. */
static void test_unary_plus(void **state)
{
	(void)state;
	same("WHERE a = 1 AND +f.state IN ('x')", "WHERE a = 1 AND f.state IN ('x')", 0);
	same("ORDER BY +x, +y", "ORDER BY x, y", 0);
	same("WHERE (+s = ?)", "WHERE (s = $1)", 1);
	same("SELECT a + b, n+1, 2 + ?", "SELECT a + b, n+1, 2 + $1", 1);
	same("SELECT +1, '+x'", "SELECT +1, '+x'", 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parameters),       cmocka_unit_test(test_opaque_text),
	    cmocka_unit_test(test_insert_or_ignore), cmocka_unit_test(test_functions),
	    cmocka_unit_test(test_json_and_pragma), cmocka_unit_test(test_match),
	    cmocka_unit_test(test_unary_plus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
