/*
 * evidence.c: evidence files, stored by content and kept with a chain of
 * custody.
 *
 * A file is stored once under its SHA-256 (EVIDENCE_DIR/ab/abcdef…), read
 * only, so its name proves its content. It gets there from the spool
 * (evidence_spool.c) inside the transaction of the change that attaches
 * it. Each attachment to a case is a custody record: which case, which
 * content, the file name it came with, who, when and from where. Size is
 * limited by [evidence] max_size, checked while the file is received.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"

int evidence_row(app *a, const char *sha, int64_t size, int64_t now, sg_err *e)
{
	return db_run(a->db, e,
		      "INSERT INTO evidence (sha256, size, first_seen) VALUES (?, ?, ?) "
		      "ON CONFLICT (sha256) DO NOTHING",
		      "sii", sha, size, now);
}

int evidence_attach(app *a, int64_t case_id, const char *sha, int64_t size, const char *filename,
		    const char *field, const char *actor, const char *origin, sg_err *e)
{
	int64_t now = app_now(a);
	if (evidence_row(a, sha, size, now, e) != 0)
		return -1;
	return db_run(a->db, e,
		      "INSERT INTO case_evidence (case_id, sha256, filename, field, added_by, added_at, origin) "
		      "VALUES (?, ?, ?, ?, ?, ?, ?)",
		      "issssis", case_id, sha, filename, field, actor, now, origin);
}

int evidence_path(app *a, const char *sha, char *out, size_t n)
{
	if (a->cfg.evidence_dir == NULL || strlen(sha) != 64 ||
	    strspn(sha, "0123456789abcdef") != 64)
		return -1;
	int w = snprintf(out, n, "%s/%.2s/%s", a->cfg.evidence_dir, sha, sha);
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

/* A content is visible to a user through any case it is attached to that
 * the user sees whole, or, seeing a case only in part (an outside actor),
 * through the files the user attached to it. An unattached content
 * (nothing committed names it) is visible to nobody; the public reporter
 * ("publik") and nobody ("") see none; NULL (the machine's owner) all. */
int evidence_visible(app *a, const char *user, const char *sha, int64_t *size,
		     char filename[256], sg_err *e)
{
	if ((user != NULL && (*user == '\0' || strcmp(user, "publik") == 0)) ||
	    strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)
		return sg_err_set(e, SG_ENOTFOUND, "no evidence with this SHA-256");
	case_viewer v;
	if (case_viewer_load(a, user, &v, e) != 0)
		return -1;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT ev.size, ce.filename, ce.added_by, c.id, c.procedure_id, c.tlp "
			    "FROM case_evidence ce JOIN evidence ev ON ev.sha256 = ce.sha256 "
			    "JOIN cases c ON c.id = ce.case_id WHERE ce.sha256 = ? ORDER BY ce.id",
			    "s", sha) != 0) {
		case_viewer_free(&v);
		return -1;
	}
	int rc;
	bool found = false;
	while (!found && (rc = db_step(st, e)) == DB_ROW) {
		case_sight sight;
		if (case_sight_of(a, &v, db_col_int(st, 3), db_col_text(st, 4),
				  db_col_null(st, 5) ? NULL : db_col_text(st, 5), &sight, e) != 0) {
			rc = -1;
			break;
		}
		found = sight == CASE_SEE_FULL ||
			(sight == CASE_SEE_LIMITED && strcmp(db_col_text(st, 2), v.user) == 0);
		if (found) {
			*size = db_col_int(st, 0);
			snprintf(filename, 256, "%s", db_col_text(st, 1));
		}
	}
	db_finalize(st);
	case_viewer_free(&v);
	if (found)
		return 0;
	if (rc < 0)
		return -1;
	return sg_err_set(e, SG_ENOTFOUND, "no evidence with this SHA-256");
}
