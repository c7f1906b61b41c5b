/*
 * migrate.c: versioned schema migrations.
 *
 * The migrations are the files src/store/migrations/NNNN_name.sql, compiled
 * into the binary in order; migration N brings the schema to version N.
 * Opening a database applies the pending ones, each in a transaction with
 * the version bump, so a crash leaves the schema at a whole version. A
 * database whose version is newer than the newest migration here was
 * written by a newer sigap and is refused: this binary would not know its
 * tables.
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

int db_migrate(db *d, sg_err *e)
{
	if (db_exec(d, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", e) != 0)
		return sg_err_prefix(e, "cannot create schema_version");
	int64_t v = 0;
	int r = db_query_int(d, e, &v, "SELECT MAX(version) FROM schema_version", "");
	if (r < 0)
		return -1;
	int latest = db_schema_latest();
	if (v > latest)
		return sg_err_set(e, SG_ESCHEMA,
				  "the database has schema version %lld, newer than this sigap knows (%d); "
				  "use the sigap release that wrote it, or a newer one",
				  (long long)v, latest);
	for (int i = (int)v; i < latest; i++) {
		const embed_file *m = &sigap_migrations[i];
		if (migration_number(m->name) != i + 1)
			return sg_err_set(e, SG_EDB, "migration %s is out of order (expected %04d_…)",
					  m->name, i + 1);
		if (db_begin(d, e) != 0)
			return -1;
		if (db_exec(d, m->data, e) != 0 ||
		    db_run(d, e, "INSERT INTO schema_version (version) VALUES (?)", "i", (int64_t)(i + 1)) != 0) {
			db_rollback(d);
			return sg_err_prefix(e, "migration %s failed", m->name);
		}
		if (db_commit(d, e) != 0)
			return -1;
	}
	db_set_version(d, latest);
	return 0;
}
