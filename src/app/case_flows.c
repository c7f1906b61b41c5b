/*
 * case_flows.c: a case going back: sent back from its current step to an
 * earlier one, or reopened after it closed.
 *
 * The SOP's flowchart stays as the seed drew it: these are not branches
 * of the procedure but corrections of a run of it ("the draft goes back
 * to the team", "the incident was not over"). Each is one transaction
 * that writes a step run of its own kind (kembalikan, buka_kembali) with
 * the reason, moves the case, restarts the target step's clock (its
 * standard time counts again from now) and appends to the logbook. The
 * target must be a step this case has passed, so a case never jumps
 * ahead of what was done. Both need sight of the case (case_access.c):
 * one who may not know it is told it does not exist. O(step runs of the
 * case).
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/utf8.h"
#include "case_row.h"

enum { REASON_MAX = 2000 };

static int check_reason(const char *reason, sg_err *e)
{
	size_t n = reason ? strlen(reason) : 0;
	if (n == 0 || strspn(reason, " \t\r\n") == n) /* blanks are no reason */
		return sg_err_set(e, SG_EINVAL, "give the reason");
	if (n > REASON_MAX)
		return sg_err_set(e, SG_EINVAL, "the reason is too long (%zu bytes; at most %d)", n,
				  REASON_MAX);
	if (!utf8_valid(reason, n))
		return sg_err_set(e, SG_EINVAL, "the reason is not valid UTF-8 text");
	for (const char *p = reason; *p; p++)
		if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') ||
		    *p == 0x7f)
			return sg_err_set(e, SG_EINVAL, "the reason contains control characters");
	return 0;
}

/* Whether the case completed step no at least once. */
static int step_passed(app *a, int64_t case_id, int no, bool *passed, sg_err *e)
{
	int64_t n = 0;
	if (db_query_int(a->db, e, &n,
			 "SELECT COUNT(*) FROM step_runs WHERE case_id = ? AND step_no = ? AND "
			 "kind = 'step'",
			 "ii", case_id, (int64_t)no) != DB_ROW)
		return -1;
	*passed = n > 0;
	return 0;
}

/* The step run that records the move and the case standing on target. */
static int record_move(app *a, const case_row *row, const char *kind, int from_no,
		       const char *role, const char *user, int64_t started, const char *waktu,
		       const sla_result *sla, int target_no, const char *reason, sg_err *e)
{
	int64_t seq = 0, now = app_now(a);
	if (db_query_int(a->db, e, &seq,
			 "SELECT COALESCE(MAX(seq), 0) + 1 FROM step_runs WHERE case_id = ?", "i",
			 row->id) != DB_ROW)
		return -1;
	if (db_run(a->db, e,
		   "INSERT INTO step_runs (case_id, seq, step_no, role, actor, started_at, "
		   "finished_at, next_step_no, waktu, due_at, spent_seconds, sla_met, kind, reason) "
		   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		   "iiissiiisiiiss", row->id, seq, (int64_t)from_no, role, user, started, now,
		   (int64_t)target_no, waktu, sla ? sla->due : (int64_t)0, sla ? sla->spent : now - started,
		   (int64_t)(sla ? sla->met : 1), kind, reason) != 0)
		return -1;
	return db_run(a->db, e,
		      "UPDATE cases SET status = 'open', step_no = ?, step_started_at = ?, "
		      "closed_at = NULL WHERE id = ?",
		      "iii", (int64_t)target_no, now, row->id);
}

int case_send_back(app *a, const char *ticket, const char *user, int step_no,
		   const char *reason, const char *origin, sg_err *e)
{
	if (check_reason(reason, e) != 0)
		return -1;
	if (step_no <= 0)
		return sg_err_set(e, SG_EINVAL, "give the step to send the case back to");
	json_t *roles = NULL;
	if (db_begin(a->db, e) != 0)
		return -1;
	case_row row;
	const sop_entry *en;
	const sop_procedure *proc;
	const sop_step *st;
	if (case_need_sight(a, user, ticket, CASE_SEE_LIMITED, e) != 0 ||
	    step_standing(a, ticket, &row, &en, &proc, &st, e) != 0)
		goto fail;
	if ((roles = user_roles(a, user, e)) == NULL)
		goto fail;
	if (step_actor_check(en->sop, st, ticket, user, roles, false, e) != 0 &&
	    step_actor_check(en->sop, st, ticket, user, roles, true, e) != 0) {
		sg_err_set(e, SG_EPERM,
			   "user '%s' may not complete step %d of %s, and so may not send it back",
			   user, st->no, ticket);
		goto fail;
	}
	int target = sop_step_index(proc, step_no);
	int here = (int)(st - proc->steps);
	if (target < 0 || proc->steps[target].terminator) {
		sg_err_set(e, SG_EINVAL, "procedure %s has no step %d to send the case back to",
			   proc->id, step_no);
		goto fail;
	}
	if (target >= here) {
		sg_err_set(e, SG_EINVAL,
			   "step %d is not before step %d, where %s stands: a case is sent back "
			   "only to an earlier step",
			   step_no, st->no, ticket);
		goto fail;
	}
	bool passed;
	if (step_passed(a, row.id, step_no, &passed, e) != 0)
		goto fail;
	if (!passed) {
		sg_err_set(e, SG_EINVAL,
			   "case %s has not passed step %d: it can be sent back only to a step "
			   "it went through",
			   ticket, step_no);
		goto fail;
	}
	sla_result sla;
	sla_measure(&a->cfg.cal, &st->waktu, row.step_started_at, app_now(a), &sla);
	if (st->waktu.unit == WAKTU_NONE)
		sla.due = 0;
	if (record_move(a, &row, "kembalikan", st->no, st->role, user, row.step_started_at,
			st->waktu.text ? st->waktu.text : "", &sla, step_no, reason, e) != 0)
		goto fail;
	if (links_revoke_open(a, row.id, ticket, user, "sent_back", e) != 0)
		goto fail;
	if (logbook_record(a, user, "case.send_back", "case", ticket,
			   json_pack("{s:s, s:i, s:i, s:s, s:s}", "ticket", ticket, "from", st->no,
				     "to", step_no, "reason", reason, "origin", origin ? origin : ""),
			   e) != 0)
		goto fail;
	if (outbox_case(a, ticket, user, e) != 0 || db_commit(a->db, e) != 0)
		goto fail;
	json_decref(roles);
	return 0;
fail:
	db_rollback(a->db);
	json_decref(roles);
	return -1;
}

/* The role of s marked buka_kembali that roles hold, or NULL. */
static const char *reopening_role(const sop *s, json_t *roles)
{
	for (size_t i = 0; i < s->n_roles; i++)
		if (s->roles[i].buka_kembali && roles_hold(roles, s->roles[i].id))
			return s->roles[i].id;
	return NULL;
}

int case_reopen(app *a, const char *ticket, const char *user, int step_no, const char *reason,
		const char *origin, sg_err *e)
{
	if (check_reason(reason, e) != 0)
		return -1;
	json_t *roles = NULL;
	case_row row;
	if (case_begin_whole(a, user, ticket, &row, e) != 0)
		return -1;
	if ((roles = user_roles(a, user, e)) == NULL)
		goto fail;
	const sop_entry *en;
	const sop_procedure *proc = case_procedure(a, &row, &en, e);
	if (proc == NULL)
		goto fail;
	const char *as = reopening_role(en->sop, roles);
	if (as == NULL) {
		sg_err_set(e, SG_EPERM,
			   "only a holder of a role the SOP lets reopen its cases (buka_kembali) "
			   "may reopen a case");
		goto fail;
	}
	if (row.open) {
		sg_err_set(e, SG_ESTATE, "case %s is open; only a closed case is reopened", ticket);
		goto fail;
	}
	int64_t last = 0, closed_at = 0;
	if (db_query_int(a->db, e, &last,
			 "SELECT step_no FROM step_runs WHERE case_id = ? AND kind = 'step' "
			 "ORDER BY seq DESC LIMIT 1",
			 "i", row.id) < 0 ||
	    db_query_int(a->db, e, &closed_at, "SELECT closed_at FROM cases WHERE id = ?", "i",
			 row.id) < 0)
		goto fail;
	if (step_no <= 0)
		step_no = (int)last;
	int target = sop_step_index(proc, step_no);
	bool passed = false;
	if (target < 0 || proc->steps[target].terminator) {
		sg_err_set(e, SG_EINVAL, "procedure %s has no step %d to reopen the case at",
			   proc->id, step_no);
		goto fail;
	}
	if (step_passed(a, row.id, step_no, &passed, e) != 0)
		goto fail;
	if (!passed) {
		sg_err_set(e, SG_EINVAL,
			   "case %s has not passed step %d: it can be reopened only at a step it "
			   "went through",
			   ticket, step_no);
		goto fail;
	}
	if (record_move(a, &row, "buka_kembali", step_no, as, user, closed_at, "", NULL,
			step_no, reason, e) != 0)
		goto fail;
	if (logbook_record(a, user, "case.reopen", "case", ticket,
			   json_pack("{s:s, s:i, s:s, s:s}", "ticket", ticket, "step", step_no,
				     "reason", reason, "origin", origin ? origin : ""),
			   e) != 0)
		goto fail;
	if (outbox_case(a, ticket, user, e) != 0 || db_commit(a->db, e) != 0)
		goto fail;
	json_decref(roles);
	return 0;
fail:
	db_rollback(a->db);
	json_decref(roles);
	return -1;
}
