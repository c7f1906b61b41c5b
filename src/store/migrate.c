/*
 * migrate.c: versioned schema migrations.
 *
 * The migrations are the files src/store/migrations/NNNN_name.sql, compiled
 * into the binary in order; migration N brings the schema to version N.
 * PostgreSQL has its own files (src/store/migrations/pg/), numbered the
 * same: its first, 0022_baseline.sql, creates version 22 whole (no
 * PostgreSQL store is older), and from there each version has a file for
 * each store (docs/architecture.md, "Two stores").
 *
 * Opening a database applies the pending ones, each in a transaction with
 * the version bump, so a crash leaves the schema at a whole version.
 * Several nodes opening one PostgreSQL database at once migrate it once:
 * each migration's transaction first takes the driver's schema lock and
 * reads the version again. A database whose version is newer than the
 * newest migration here was written by a newer sigap and is refused:
 * this binary would not know its tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embed.h"
#include "db_driver.h"

extern const embed_file sigap_migrations[];

int db_schema_latest(void)
{
	int n = 0;
	while (sigap_migrations[n].name)
		n++;
	return n;
}

static int migration_number(const char *name)
{
	return atoi(name);
}

/* The stored version, 0 when none is recorded; -1 with e set. */
static int read_version(db *d, int64_t *v, sg_err *e)
{
	*v = 0;
	return db_query_int(d, e, v, "SELECT COALESCE(MAX(version), 0) FROM schema_version", "") < 0
	           ? -1
	           : 0;
}

static int newer(int64_t v, int latest, sg_err *e)
{
	return sg_err_set(e, SG_ESCHEMA,
	                  "the database has schema version %lld, newer than this sigap knows (%d); "
	                  "use the sigap release that wrote it, or a newer one",
	                  (long long)v, latest);
}

/* One pending migration applied under the schema lock: 1 when one was,
 * 0 when none was pending, -1 with e set. */
static int migrate_one(db *d, const db_driver *drv, int latest, sg_err *e)
{
	if (db_begin(d, e) != 0)
		return -1;
	int64_t v = 0;
	if ((drv->schema_lock_sql && db_exec(d, drv->schema_lock_sql, e) != 0) ||
	    db_exec(d, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", e) !=
	        0 ||
	    read_version(d, &v, e) != 0) {
		db_rollback(d);
		return sg_err_prefix(e, "cannot read the schema version");
	}
	if (v >= latest) {
		db_rollback(d);
		return v > latest ? newer(v, latest, e) : 0;
	}
	const embed_file *m = NULL;
	for (const embed_file *f = drv->migrations; f->name && m == NULL; f++) {
		int n = migration_number(f->name);
		if (n == v + 1 || (v == 0 && f == drv->migrations))
			m = f;
	}
	if (m == NULL) {
		db_rollback(d);
		return sg_err_set(e, SG_ESCHEMA,
		                  "no %s migration from schema version %lld: this store cannot be "
		                  "brought up to date by this sigap",
		                  drv->name, (long long)v);
	}
	int to = migration_number(m->name);
	if (db_exec(d, m->data, e) != 0 ||
	    db_run(d, e, "INSERT INTO schema_version (version) VALUES (?)", "i", (int64_t)to) != 0) {
		db_rollback(d);
		return sg_err_prefix(e, "migration %s failed", m->name);
	}
	return db_commit(d, e) != 0 ? -1 : 1;
}

int db_migrate(db *d, sg_err *e)
{
	const db_driver *drv = db_driver_of(d);
	int latest = db_schema_latest();
	/* the common case, a store up to date, takes no lock */
	int64_t v = 0, made = 0;
	sg_err quiet = {0};
	if (db_query_int(d, &quiet, &made, drv->table_count_sql, "s", "schema_version") == DB_ROW &&
	    made > 0 && read_version(d, &v, &quiet) == 0 && v == latest) {
		db_set_version(d, latest);
		return 0;
	}
	if (v > latest)
		return newer(v, latest, e);
	int r;
	while ((r = migrate_one(d, drv, latest, e)) == 1)
		;
	if (r < 0)
		return -1;
	db_set_version(d, latest);
	return 0;
}
