/*
 * outbox_sla.c: telling of standard times (waktu baku) running out.
 *
 * Every [notify] sla_check seconds a server's sender reads the open
 * cases, works out when each current step's standard time ends on the
 * working calendar (sla_due, as the case page shows it), and tells:
 *   tenggat.segera  within sla_warn_before of the end: the step's role;
 *   tenggat.lewat   past the end: the step's role, and the kabid.
 * Each once a visit of the step (its step_started_at): the case row
 * keeps the visit told (sla_warned_visit, sla_breached_visit), set by a
 * conditional UPDATE in the transaction that writes the messages, so two
 * nodes checking at once tell it once, and a step sent back and done
 * again is a new visit, told again.
 */
#include <stdlib.h>
#include <string.h>

#include "case_row.h"
#include "outbox_int.h"

typedef struct due_step {
	char ticket[32];
	int64_t visit;
	news_kind kind;
} due_step;

/* Tells one step's news, once: false when another node did. */
static int tell(app *a, const due_step *d, sg_err *e)
{
	const char *col = d->kind == NEWS_SLA_SOON ? "sla_warned_visit" : "sla_breached_visit";
	char sql[300];
	snprintf(sql, sizeof sql,
	         "UPDATE cases SET %s = ? WHERE ticket = ? AND status = 'open' "
	         "AND step_started_at = ? AND (%s IS NULL OR %s <> ?)",
	         col, col, col);
	if (db_begin(a->db, e) != 0)
		return -1;
	if (db_run(a->db, e, sql, "isii", d->visit, d->ticket, d->visit, d->visit) != 0)
		goto fail;
	if (db_changes(a->db) == 1 && outbox_case_news(a, d->ticket, NULL, d->kind, e) != 0)
		goto fail;
	return db_commit(a->db, e) == 0 ? 0 : -1;
fail:
	db_rollback(a->db);
	return -1;
}

int outbox_sla_round(app *a, sg_err *e)
{
	if (!(a->cfg.nt_events & NOTIFY_EV_SLA) ||
	    (!a->cfg.nt_webhook_url && !a->cfg.nt_smtp_url && !a->cfg.nt_telegram_token))
		return 0;
	db_stmt *st;
	if (db_prepare(a->db,
	               "SELECT " CASE_ROW_COLUMNS ", ticket, sla_warned_visit, sla_breached_visit "
	               "FROM cases WHERE status = 'open'",
	               &st, e) != 0)
		return -1;
	int64_t now = app_now(a);
	due_step *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		case_row row;
		case_row_read(st, &row);
		int64_t warned = db_col_null(st, 7) ? -1 : db_col_int(st, 7);
		int64_t breached = db_col_null(st, 8) ? -1 : db_col_int(st, 8);
		if (breached == row.step_started_at)
			continue; /* told all there is to tell of this visit */
		const sop_entry *en;
		const sop_procedure *proc = case_procedure(a, &row, &en, NULL);
		int idx = proc ? sop_step_index(proc, row.step_no) : -1;
		if (idx < 0 || proc->steps[idx].waktu.unit == WAKTU_NONE)
			continue;
		int64_t due = sla_due(&a->cfg.cal, &proc->steps[idx].waktu, row.step_started_at);
		news_kind kind;
		if (now >= due)
			kind = NEWS_SLA_LATE;
		else if (now >= due - a->cfg.nt_sla_warn && warned != row.step_started_at)
			kind = NEWS_SLA_SOON;
		else
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			due_step *nv = realloc(v, cap * sizeof *v);
			if (nv == NULL)
				abort();
			v = nv;
		}
		snprintf(v[n].ticket, sizeof v[n].ticket, "%s", db_col_text(st, 6));
		v[n].visit = row.step_started_at;
		v[n].kind = kind;
		n++;
	}
	db_finalize(st);
	int out = rc < 0 ? -1 : 0;
	for (size_t i = 0; i < n && out == 0; i++)
		out = tell(a, &v[i], e);
	free(v);
	return out;
}
