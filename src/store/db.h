/*
 * db.h: the small database interface every part of sigap speaks.
 *
 * Open, prepare, bind, step, read columns, transactions: the few verbs
 * sigap needs, over SQLite (sqlite.c) and PostgreSQL (postgres.c), behind
 * the driver table of db_driver.h, so callers never change when the store
 * does. SQL is written once in the common dialect both understand:
 * `?` placeholders (a PostgreSQL driver numbers them), INSERT … RETURNING,
 * integers for instants (seconds since the epoch). Values reach SQL only
 * as bound parameters.
 */
#ifndef SG_DB_H
#define SG_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

typedef struct db db;
typedef struct db_stmt db_stmt;

enum { DB_DONE = 0, DB_ROW = 1 };

typedef enum {
	DB_OPEN_EXISTING = 0, /* refuse a database that does not exist yet */
	DB_OPEN_CREATE = 1,
	/* an existing database read as it is: not migrated, not switched to
	 * WAL, nothing written (a backup checked with logbook verify stays
	 * the file it was) */
	DB_OPEN_READONLY = 2
} db_open_mode;

/* Opens the database at target: a PostgreSQL URL (postgres://… or
 * postgresql://…, as libpq reads it), or a SQLite file (a path, or
 * sqlite:PATH). Applies pending migrations; refuses a schema newer than
 * this binary (SG_ESCHEMA). */
int db_open(const char *target, db_open_mode mode, db **out, sg_err *e);
void db_close(db *d);
/* Whether target names a PostgreSQL database. */
bool db_target_is_postgres(const char *target);
/* 0 when target may name a store; -1 with e (SG_EINVAL) when it names
 * none sigap has: a scheme it does not know (a path must not look like a
 * URL), or no file to hold the data ("", sqlite:, :memory:). */
int db_target_check(const char *target, sg_err *e);
/* target as it may be shown (a message, a log): a PostgreSQL URL's
 * password written ***. */
void db_target_shown(const char *target, char *out, size_t n);
/* "sqlite" or "postgres". */
const char *db_store_name(db *d);

/* Opens target as it is, migrating nothing, and reads its schema version
 * (0: none yet): what sigap config check tells of the store. -1 when it
 * cannot be opened (a SQLite file that does not exist included). */
int db_probe(const char *target, int *version, sg_err *e);

/* A SQLite backup put back in place of the SQLite store at path (not in
 * use: stopped first), checked first (intact, sigap's schema, not newer
 * than latest); *version is the backup's schema version. The store is
 * then opened (migrated) by the caller. */
int sqlite_restore(const char *path, const char *from, int latest, int *version, sg_err *e);

/* Schema version of the open database and of this binary. */
int db_schema_version(db *d);
int db_schema_latest(void);

/* Runs SQL without parameters (may hold several statements). */
int db_exec(db *d, const char *sql, sg_err *e);

int db_prepare(db *d, const char *sql, db_stmt **out, sg_err *e);
/* Prepares and binds in one call. fmt has one letter a parameter:
 * 'i' int64_t, 's' const char * (NULL binds NULL), 'r' double, 'n' NULL. */
int db_prepare_bind(db *d, db_stmt **out, sg_err *e, const char *sql, const char *fmt, ...);
int db_bind_int(db_stmt *st, int idx, int64_t v);
int db_bind_text(db_stmt *st, int idx, const char *s);
int db_bind_null(db_stmt *st, int idx);
/* A real number (a CVSS or EPSS score: REAL columns). */
int db_bind_real(db_stmt *st, int idx, double v);
/* DB_ROW, DB_DONE, or -1 with e filled. */
int db_step(db_stmt *st, sg_err *e);
int64_t db_col_int(db_stmt *st, int col);
double db_col_real(db_stmt *st, int col);
/* NULL for SQL NULL; valid until the next step or finalize. */
const char *db_col_text(db_stmt *st, int col);
bool db_col_null(db_stmt *st, int col);
int db_reset(db_stmt *st);
void db_finalize(db_stmt *st);

/* Runs a statement that returns no rows (or ignores them). */
int db_run(db *d, sg_err *e, const char *sql, const char *fmt, ...);
/* db_run for a write worth doing only when it costs no wait (a
 * session's last-seen time): when another connection holds the store's
 * write lock it fails at once with SG_EBUSY instead of waiting. */
int db_run_nowait(db *d, sg_err *e, const char *sql, const char *fmt, ...);
/* Runs a query and reads column 0 of its first row as an integer;
 * returns DB_ROW, DB_DONE (no row) or -1. */
int db_query_int(db *d, sg_err *e, int64_t *out, const char *sql, const char *fmt, ...);

/* Runs an INSERT of one row (written without RETURNING) and gives the
 * new row's INTEGER PRIMARY KEY. For writers of many rows in one
 * transaction: SQLite keeps a statement journal for a statement with
 * RETURNING (every page the statement touches copied first, so the
 * statement alone can be undone); the SQLite driver reads the id from
 * the connection instead. Returns 0 or -1 with e filled. */
int db_insert(db *d, sg_err *e, int64_t *id, const char *sql, const char *fmt, ...);

/* A write transaction (BEGIN IMMEDIATE on SQLite: writers queue up front
 * instead of failing half-way). Inside one, db_begin opens a savepoint
 * and its db_commit or db_rollback ends that savepoint only: the outer
 * transaction's end decides for all. */
int db_begin(db *d, sg_err *e);
int db_commit(db *d, sg_err *e);
void db_rollback(db *d);
/* Whether a transaction is open (db_begin without its end yet). */
bool db_in_tx(db *d);
/* Within a transaction: waits until no other transaction holds the
 * name, and holds it until this one ends; for a writer that reads what
 * it then appends (the logbook's chain). A no-op on SQLite, whose write
 * transactions already run one at a time; an advisory lock on
 * PostgreSQL, where several nodes write at once. */
int db_serialize(db *d, const char *name, sg_err *e);
/* A consistent copy of a running SQLite store into the new file path
 * (progress: pages left of total, after each step; may be NULL). A
 * PostgreSQL store is refused: pg_dump is its tool (docs/operations.md). */
int db_backup(db *d, const char *path, void (*progress)(int left, int total, void *), void *arg,
              sg_err *e);
/* Copies every row of from into to, a new store at the same schema
 * version, in one transaction (db_copy.c); progress is told each table
 * and its rows. The target must hold no data. */
typedef void (*db_copy_progress)(const char *table, int64_t rows, void *arg);
int db_copy(db *from, db *to, db_copy_progress progress, void *arg, sg_err *e);
/* 0 when every table holds as many rows in to as in from; 1 with the
 * first difference said in differs; -1 with e set. */
int db_copy_counts(db *from, db *to, char *differs, size_t cap, sg_err *e);
/* Rows changed by the last statement. */
int64_t db_changes(db *d);

#endif
