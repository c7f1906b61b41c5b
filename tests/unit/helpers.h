/*
 * helpers.h: what the unit tests share: a scratch directory, an app on a
 * fresh database there with a fixed clock, users with roles, and paths
 * into the source tree.
 */
#ifndef SG_TEST_HELPERS_H
#define SG_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/app.h"

/* A new empty directory under $TMPDIR, removed by scratch_free. */
char *scratch_new(void);
void scratch_free(char *dir);

/* Whether the tests run on PostgreSQL (SIGAP_TEST_PG, tests/run.sh). */
bool test_on_postgres(void);
/* The target of a new store: dir/sigap.db, or a new PostgreSQL database
 * on SIGAP_TEST_PG's server; false when that cannot be created. */
bool test_store_target(const char *dir, char *out, size_t cap);
/* An app on a new database in dir, clock fixed at now (UTC seconds). */
void test_app_open(app *a, const char *dir, int64_t now);
/* Adds a user holding one role (password "password-123"). */
void test_user(app *a, const char *name, const char *role);

/* SIGAP_SOURCE_ROOT/rel */
const char *src_path(const char *rel);
/* A whole file, NUL-terminated (malloc'd, *n its length); NULL when it
 * cannot be read. */
char *read_all(const char *path, size_t *n);

/* Epoch seconds of a local WIB time "YYYY-MM-DD HH:MM". */
int64_t wib(const char *s);

/* Rows in a table: a check that a refused write changed nothing. */
int64_t count_rows(app *a, const char *table);


/* ---- walks: paths through a procedure that together take every branch */

#define WALK_MAX 64

typedef struct walk {
	size_t n;
	int idx[WALK_MAX];            /* the step completed */
	const char *decision[WALK_MAX]; /* the label chosen there, or NULL */
	int next[WALK_MAX];           /* where that leads: index or SOP_END */
} walk;

/* Fills walks[] with one path per edge of p (each from the first step to
 * a close, taking that edge); returns how many. */
size_t walks_covering(const sop_procedure *p, walk *walks, size_t max);
#endif
