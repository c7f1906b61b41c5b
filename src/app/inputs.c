/*
 * inputs.c: where each live input stands, kept in the store.
 *
 * A followed file (Wazuh's alerts.json) is read from where the last
 * committed batch ended: its path, inode and byte offset are written in
 * the same transaction as that batch's alerts, so after a crash the input
 * resumes at the first line whose alerts are not on disk, and no line is
 * read twice or lost (ingest/follow.c uses it at start, pipeline.c writes
 * it per batch). One row per input name.
 */
#include "app.h"

int input_position_store(app *a, const char *name, const char *path, uint64_t inode,
			 int64_t position, sg_err *e)
{
	return db_run(a->db, e,
		      "INSERT INTO input_positions (name, path, inode, position, updated_at) "
		      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
		      "path = excluded.path, inode = excluded.inode, position = excluded.position, "
		      "updated_at = excluded.updated_at",
		      "ssiii", name, path, (int64_t)inode, position, app_now(a));
}

int input_position_load(app *a, const char *name, const char *path, uint64_t *inode,
			int64_t *position, int64_t *updated_at, sg_err *e)
{
	*inode = 0;
	*position = 0;
	*updated_at = 0;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT inode, position, updated_at FROM input_positions "
			    "WHERE name = ? AND path = ?",
			    "ss", name, path) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		*inode = (uint64_t)db_col_int(st, 0);
		*position = db_col_int(st, 1);
		*updated_at = db_col_int(st, 2);
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}
