/*
 * db_driver.h: what a store implementation provides (see db.h). db.c
 * holds the one table in use; sqlite.c fills it today. Only store/ sees
 * this file.
 */
#ifndef SG_DB_DRIVER_H
#define SG_DB_DRIVER_H

#include "base/embed.h"
#include "db.h"

typedef struct db_driver {
	const char *name;
	int (*open)(const char *target, db_open_mode mode, void **conn, sg_err *e);
	void (*close)(void *conn);
	int (*exec)(void *conn, const char *sql, sg_err *e);
	int (*prepare)(void *conn, const char *sql, void **stmt, sg_err *e);
	int (*bind_int)(void *stmt, int idx, int64_t v);
	/* held: s outlives the statement's run (no copy needed) */
	int (*bind_text)(void *stmt, int idx, const char *s, bool held);
	int (*bind_null)(void *stmt, int idx);
	int (*bind_real)(void *stmt, int idx, double v);
	int (*step)(void *stmt, sg_err *e);
	int64_t (*col_int)(void *stmt, int col);
	double (*col_real)(void *stmt, int col);
	const char *(*col_text)(void *stmt, int col);
	bool (*col_null)(void *stmt, int col);
	int (*reset)(void *stmt);
	void (*finalize)(void *stmt);
	const char *begin_sql; /* "BEGIN IMMEDIATE" */
	int64_t (*changes)(void *conn);
	int64_t (*last_id)(void *conn); /* the id of the connection's last INSERT */
	/* whether a write waits for another connection's transaction (the
	 * default) or fails at once with SG_EBUSY */
	void (*wait_for_writers)(void *conn, bool wait);
	/* the schema's migrations (migrate.c), in order; the first may be a
	 * baseline creating a later version whole */
	const struct embed_file *migrations;
	/* taken first in each migration's transaction, so that nodes
	 * starting together migrate once (NULL: BEGIN serialises writers) */
	const char *schema_lock_sql;
	/* db_serialize's statement, taking the name as its one parameter
	 * (NULL: nothing to do) */
	const char *serialize_sql;
	/* a consistent copy of the open store into a new file (NULL: the
	 * store has its own tools, pg_dump) */
	int (*backup)(void *conn, const char *path, void (*progress)(int left, int total, void *),
	              void *arg, sg_err *e);
	/* counts the tables named by its one parameter (0 or 1) */
	const char *table_count_sql;
} db_driver;

extern const db_driver db_sqlite_driver;
extern const db_driver db_postgres_driver;

/* The driver of an open database. */
const db_driver *db_driver_of(db *d);

/* migrate.c: brings the schema up to date inside a transaction. */
int db_migrate(db *d, sg_err *e);
/* Records the schema version migrate.c found or applied. */
void db_set_version(db *d, int v);

#endif
