/*
 * case_notes.c: what officers add to a case beside its steps: comments
 * (internal notes, never shown to a public reporter), evidence added
 * outside a step, the assignee, and the people named on a case by hand.
 * Each change is one transaction with its logbook entry.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/utf8.h"
#include "case_row.h"

enum { COMMENT_MAX = 20000 };

/* Checks body as a comment: 0, or -1 with e. */
static int comment_check(const char *body, sg_err *e)
{
	size_t n = strlen(body);
	if (n == 0)
		return sg_err_set(e, SG_EINVAL, "the comment is empty");
	if (n > COMMENT_MAX)
		return sg_err_set(e, SG_EINVAL, "the comment is too long (%zu bytes; at most %d)",
		                  n, COMMENT_MAX);
	if (!utf8_valid(body, n))
		return sg_err_set(e, SG_EINVAL, "the comment is not valid UTF-8 text");
	return 0;
}

/* Inside the caller's transaction (row held): the comment and its
 * logbook entry. */
static int comment_insert(app *a, const case_row *row, const char *ticket, const char *author,
                          const char *body, const char *origin, sg_err *e)
{
	if (db_run(a->db, e,
	           "INSERT INTO comments (case_id, author, body, created_at) VALUES (?, ?, ?, ?)",
	           "issi", row->id, author, body, app_now(a)) != 0)
		return -1;
	return logbook_record(a, author, "case.comment", "case", ticket,
	                      json_pack("{s:s, s:s, s:s}", "ticket", ticket, "body", body,
	                                "origin", origin ? origin : ""),
	                      e);
}

int case_comment(app *a, const char *ticket, const char *user, const char *body, const char *origin,
                 sg_err *e)
{
	if (case_need_sight(a, user, ticket, CASE_SEE_FULL, e) != 0)
		return -1; /* who may not write here learns nothing of the body's faults */
	if (comment_check(body, e) != 0)
		return -1;
	case_row row;
	if (case_begin_whole(a, user, ticket, &row, e) != 0)
		return -1;
	if (comment_insert(a, &row, ticket, user, body, origin, e) != 0 || db_commit(a->db, e) != 0) {
		db_rollback(a->db);
		return -1;
	}
	return 0;
}

int case_comment_as(app *a, const char *ticket, const char *author, const char *body,
                    const char *origin, sg_err *e)
{
	if (comment_check(body, e) != 0 || db_begin(a->db, e) != 0)
		return -1;
	case_row row;
	if (load_case_row(a, ticket, &row, e) != 0 ||
	    comment_insert(a, &row, ticket, author, body, origin, e) != 0 || db_commit(a->db, e) != 0) {
		db_rollback(a->db);
		return -1;
	}
	return 0;
}

int case_assign(app *a, const char *ticket, const char *actor, const char *assignee, sg_err *e)
{
	if (assignee && *assignee == '\0')
		assignee = NULL;
	case_row row;
	if (case_begin_whole(a, actor, ticket, &row, e) != 0)
		return -1;
	if (!row.open) {
		sg_err_set(e, SG_ESTATE, "case %s is closed; it cannot be assigned", ticket);
		goto fail;
	}
	const sop_entry *en;
	const sop_procedure *proc = case_procedure(a, &row, &en, e);
	if (proc == NULL)
		goto fail;
	int idx = sop_step_index(proc, row.step_no);
	if (idx < 0) {
		sg_err_set(e, SG_EINTEGRITY, "case %s stands on a step its SOP does not have",
		           ticket);
		goto fail;
	}
	/* Whoever sees the whole case may hand its current step to a holder of
	 * the step's role, an outside actor's included (who then sees the
	 * parts addressed to it): case_need_sight above. */
	const char *role = proc->steps[idx].role;
	if (assignee) {
		int h = user_holds(a, assignee, role, e);
		if (h <= 0) {
			if (h == 0)
				sg_err_set(
				    e, SG_EINVAL,
				    "user '%s' does not hold the role '%s' of the current step",
				    assignee, role);
			goto fail;
		}
		/* An outside actor never sees an AMBER+STRICT case: assigning it
		 * would strand the step with someone who cannot open it. */
		int64_t strict = 0;
		if (sop_role_outside(en->sop, role) &&
		    db_query_int(a->db, e, &strict,
		                 "SELECT COALESCE(tlp, '') = 'TLP:AMBER+STRICT' FROM cases WHERE id = ?", "i",
		                 row.id) < 0)
			goto fail;
		if (strict) {
			sg_err_set(e, SG_ESTATE,
			           "case %s is TLP:AMBER+STRICT, which an outside actor does not see: "
			           "complete the step on their behalf instead",
			           ticket);
			goto fail;
		}
	}
	if (db_run(a->db, e, "UPDATE cases SET assignee = ? WHERE id = ?", "si", assignee,
	           row.id) != 0)
		goto fail;
	int r = logbook_record(a, actor, "case.assign", "case", ticket,
	                       json_pack("{s:s, s:s?}", "ticket", ticket, "assignee", assignee), e);
	if (r != 0 || db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

int case_attach(app *a, const char *ticket, const char *user, const case_upload *u,
                const char *origin, char sha[65], sg_err *e)
{
	if (u->filename == NULL || *u->filename == '\0' || strlen(u->filename) > 255)
		return sg_err_set(e, SG_EINVAL,
		                  "the evidence file needs a name of at most 255 bytes");
	const evidence_file *f = u->file;
	snprintf(sha, 65, "%s", f->sha256);
	bool placed = false;
	if (db_begin(a->db, e) != 0)
		return -1;
	case_row row;
	if ((strcmp(user, "publik") != 0 && case_may_attach(a, ticket, user, e) != 0) ||
	    load_case_row(a, ticket, &row, e) != 0 || evidence_place(a, f, e) != 0)
		goto fail;
	placed = true;
	if (evidence_attach(a, row.id, sha, f->size, u->filename, NULL, user, origin, e) != 0)
		goto fail;
	int r = logbook_record(a, user, "case.evidence", "case", ticket,
	                       json_pack("{s:s, s:s, s:s, s:I, s:s}", "ticket", ticket, "sha256",
	                                 sha, "filename", u->filename, "size", (json_int_t)f->size,
	                                 "origin", origin ? origin : ""),
	                       e);
	if (r != 0 || db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	if (placed)
		evidence_unplace(a, f);
	return -1;
}

int case_name_person(app *a, const char *ticket, const char *actor, const char *person,
		     sg_err *e)
{
	if (person == NULL || *person == '\0')
		return sg_err_set(e, SG_EINVAL, "give the user to name on the case");
	json_t *roles = NULL;
	case_row row;
	if (case_begin_whole(a, actor, ticket, &row, e) != 0)
		return -1;
	const sop_entry *en;
	if (case_procedure(a, &row, &en, e) == NULL)
		goto fail;
	/* A staff member of the SOP only (a supervisor who reopens counts):
	 * naming hands the case whole, which an outside actor never gets. */
	sg_err none;
	roles = user_roles(a, person, &none);
	if (!roles_staff_of(en->sop, roles)) {
		sg_err_set(e, SG_EINVAL,
			   "user '%s' holds no staff role of %s (an enabled account is needed)",
			   person, en->sop->id);
		goto fail;
	}
	int64_t already = 0;
	if (db_query_int(a->db, e, &already,
			 "SELECT COUNT(*) FROM case_participants WHERE case_id = ? AND user_name = ?",
			 "is", row.id, person) < 0)
		goto fail;
	if (already) {
		sg_err_set(e, SG_ESTATE, "user '%s' is named on %s already", person, ticket);
		goto fail;
	}
	if (db_run(a->db, e, "INSERT INTO case_participants (case_id, user_name) VALUES (?, ?)",
		   "is", row.id, person) != 0 ||
	    logbook_record(a, actor, "case.name", "case", ticket,
			   json_pack("{s:s, s:s}", "ticket", ticket, "person", person), e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	json_decref(roles);
	return 0;
fail:
	db_rollback(a->db);
	json_decref(roles);
	return -1;
}
