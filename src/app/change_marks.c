/*
 * change_marks.c: telling every running sigap that another changed what
 * it holds in memory (see app.h).
 *
 * A node keeps the indicators in memory for detection. Another node, or
 * the command line, may import or expire them; the change bumps a number
 * in the table change_marks in its own transaction, and each node's
 * detection reads that number once a second and reloads when it moved.
 * The same on SQLite and PostgreSQL, and nothing is missed while a node
 * is away from its store: a mark is read, not received
 * (docs/architecture.md, "Two stores").
 */
#include "app.h"

int app_mark_changed(app *a, const char *name, sg_err *e)
{
	return db_run(a->db, e,
	              "INSERT INTO change_marks (name, gen) VALUES (?, 1) "
	              "ON CONFLICT (name) DO UPDATE SET gen = change_marks.gen + 1",
	              "s", name);
}

int app_change_mark(app *a, const char *name, int64_t *gen, sg_err *e)
{
	*gen = 0;
	return db_query_int(a->db, e, gen, "SELECT gen FROM change_marks WHERE name = ?", "s",
	                    name) < 0
	           ? -1
	           : 0;
}
