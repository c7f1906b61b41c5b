/*
 * dashboard.c: the figures of the dashboard and of /metrics: open cases
 * per procedure and step, steps past or near their standard time, open
 * cases by category and priority, and SLA compliance per SOP; the
 * vulnerability figures come from dashboard_vuln.c.
 *
 * Every figure but /metrics' counts only the cases the viewer may see
 * (case_access.c).
 *
 * Due times depend on the working calendar, so they are computed here for
 * each open case rather than stored: O(open cases) per call, which a CSIRT
 * with thousands of open cases still answers in milliseconds.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/buf.h"
#include "case_row.h"
#include "findings.h"

enum { SOON_SECONDS = 4 * 3600, DUE_LIST_MAX = 20 };

static int by_due(const void *x, const void *y)
{
	json_int_t a = json_integer_value(json_object_get(*(json_t *const *)x, "due_at"));
	json_int_t b = json_integer_value(json_object_get(*(json_t *const *)y, "due_at"));
	return a < b ? -1 : a > b;
}


/* Open cases v may see: counts per procedure and step, and the steps due. */
static int open_cases(app *a, const case_viewer *v, json_t *out, sg_err *e)
{
	db_stmt *st;
	if (case_prepare_visible(a, v,
			    "SELECT c.id, c.procedure_id, c.sop_sha256, c.status, c.step_no, "
			    "c.step_started_at, c.ticket, c.title FROM cases c WHERE ",
			    " AND c.status = 'open' ORDER BY c.procedure_id, c.step_no", &st, e) != 0)
		return -1;
	json_t *per = json_object(), *due = json_array();
	int64_t now = app_now(a), overdue = 0, soon = 0, open = 0;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		case_row row;
		case_row_read(st, &row);
		open++;
		const sop_entry *en;
		const sop_procedure *proc = case_procedure(a, &row, &en, NULL);
		int idx = proc ? sop_step_index(proc, row.step_no) : -1;
		json_t *p = json_object_get(per, row.procedure_id);
		if (p == NULL) {
			p = json_pack("{s:s, s:i, s:o}", "nama",
			              proc ? proc->nama : row.procedure_id, "total", 0, "steps",
			              json_object());
			json_object_set_new(per, row.procedure_id, p);
		}
		json_object_set_new(
		    p, "total", json_integer(json_integer_value(json_object_get(p, "total")) + 1));
		char no[16];
		snprintf(no, sizeof no, "%d", row.step_no);
		json_t *steps = json_object_get(p, "steps");
		json_t *sn = json_object_get(steps, no);
		if (sn == NULL) {
			sn = json_pack("{s:i, s:s, s:i}", "no", row.step_no, "uraian",
			               idx >= 0 ? proc->steps[idx].uraian : "", "count", 0);
			json_object_set_new(steps, no, sn);
		}
		json_object_set_new(
		    sn, "count",
		    json_integer(json_integer_value(json_object_get(sn, "count")) + 1));
		if (idx < 0 || proc->steps[idx].waktu.unit == WAKTU_NONE)
			continue;
		int64_t d = sla_due(&a->cfg.cal, &proc->steps[idx].waktu, row.step_started_at);
		if (d < now)
			overdue++;
		else if (d - now <= SOON_SECONDS)
			soon++;
		else
			continue;
		json_array_append_new(due,
		                      json_pack("{s:s, s:s, s:s, s:i, s:s, s:I, s:b}", "ticket",
		                                db_col_text(st, 6), "title", db_col_text(st, 7),
		                                "procedure", row.procedure_id, "step", row.step_no,
		                                "role", proc->steps[idx].role, "due_at",
		                                (json_int_t)d, "overdue", d < now));
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(per);
		json_decref(due);
		return -1;
	}
	/* The most urgent first, a page's worth. */
	size_t n = json_array_size(due);
	json_t **sorted = malloc((n ? n : 1) * sizeof *sorted);
	for (size_t i = 0; i < n; i++)
		sorted[i] = json_incref(json_array_get(due, i));
	qsort(sorted, n, sizeof *sorted, by_due);
	json_t *top = json_array();
	for (size_t i = 0; i < n; i++) {
		if (i < DUE_LIST_MAX)
			json_array_append(top, sorted[i]);
		json_decref(sorted[i]);
	}
	free(sorted);
	json_decref(due);
	json_object_set_new(out, "open", json_integer(open));
	json_object_set_new(out, "overdue", json_integer(overdue));
	json_object_set_new(out, "due_soon", json_integer(soon));
	json_object_set_new(out, "by_procedure", per);
	json_object_set_new(out, "due", top);
	return 0;
}

int sla_gauges_get(app *a, sla_gauges *g, sg_err *e)
{
	memset(g, 0, sizeof *g);
	db_stmt *st;
	if (db_prepare(a->db, "SELECT " CASE_ROW_COLUMNS " FROM cases WHERE status = 'open'", &st,
	               e) != 0)
		return -1;
	int64_t now = app_now(a);
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		case_row row;
		case_row_read(st, &row);
		g->open++;
		const sop_entry *en;
		const sop_procedure *proc = case_procedure(a, &row, &en, NULL);
		int idx = proc ? sop_step_index(proc, row.step_no) : -1;
		if (idx >= 0 && proc->steps[idx].waktu.unit != WAKTU_NONE &&
		    sla_due(&a->cfg.cal, &proc->steps[idx].waktu, row.step_started_at) < now)
			g->overdue++;
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	return db_query_int(a->db, e, &g->missed,
	                    "SELECT COUNT(*) FROM step_runs WHERE sla_met = 0", "") < 0
	           ? -1
	           : 0;
}

/* Open cases v may see grouped by one attribute column ("category",
 * "priority"). */
static json_t *group_open(app *a, const case_viewer *v, const char *column, sg_err *e)
{
	char head[200];
	snprintf(head, sizeof head, "SELECT COALESCE(c.%s, ''), COUNT(*) FROM cases c WHERE ",
	         column);
	db_stmt *st;
	if (case_prepare_visible(a, v, head, " AND c.status = 'open' GROUP BY 1 ORDER BY 2 DESC", &st,
			    e) != 0)
		return NULL;
	json_t *o = json_object();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_object_set_new(o, db_col_text(st, 0), json_integer(db_col_int(st, 1)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *sla_compliance(app *a, const char *procedure_id, int64_t since, const case_viewer *v,
		       sg_err *e)
{
	int64_t runs = 0, met = 0;
	db_stmt *st;
	if (case_prepare_visible(a, v,
			    "SELECT COUNT(*), COALESCE(SUM(r.sla_met), 0) FROM step_runs r "
			    "JOIN cases c ON c.id = r.case_id WHERE ",
			    " AND (? IS NULL OR c.procedure_id = ? OR c.sop_id = ?) AND r.finished_at >= ? "
			    "AND r.kind <> 'buka_kembali'",
			    &st, e) != 0)
		return NULL;
	int k = case_visible_first(v);
	if (db_bind_text(st, k, procedure_id) != 0 || db_bind_text(st, k + 1, procedure_id) != 0 ||
	    db_bind_text(st, k + 2, procedure_id) != 0 || db_bind_int(st, k + 3, since) != 0) {
		db_finalize(st);
		sg_err_set(e, SG_EDB, "cannot bind the compliance query");
		return NULL;
	}
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		runs = db_col_int(st, 0);
		met = db_col_int(st, 1);
	}
	db_finalize(st);
	if (rc != DB_ROW)
		return NULL;
	return json_pack("{s:I, s:I, s:f}", "runs", (json_int_t)runs, "met", (json_int_t)met, "rate",
			 runs ? (double)met / (double)runs : 1.0);
}

json_t *dashboard_get(app *a, const char *viewer, sg_err *e)
{
	case_viewer vw;
	if (case_viewer_load(a, viewer, &vw, e) != 0)
		return NULL;
	const case_viewer *v = &vw;
	json_t *out = json_object();
	if (open_cases(a, v, out, e) != 0)
		goto fail;
	json_t *cat = group_open(a, v, "category", e);
	json_t *prio = cat ? group_open(a, v, "priority", e) : NULL;
	if (prio == NULL) {
		json_decref(cat);
		goto fail;
	}
	json_object_set_new(out, "by_category", cat);
	json_object_set_new(out, "by_priority", prio);
	if (!v->all && !v->csirt) {
		/* An outside actor sees its own cases counted, not the team's
		 * workload: no classification, nothing due (case_access.c). */
		json_object_set_new(out, "by_category", json_object());
		json_object_set_new(out, "by_priority", json_object());
		json_object_set_new(out, "due", json_array());
		json_object_set_new(out, "overdue", json_integer(0));
		json_object_set_new(out, "due_soon", json_integer(0));
		/* per procedure its count, not the steps its cases stand at */
		const char *k;
		json_t *p;
		json_object_foreach (json_object_get(out, "by_procedure"), k, p)
			json_object_del(p, "steps");
	}
	json_t *comp = json_array();
	json_object_set_new(out, "compliance", comp);
	int64_t now = app_now(a);
	/* SLA compliance counts the team's steps: not an outside actor's to read */
	for (size_t i = 0; (v->all || v->csirt) && i < a->sops.n; i++) {
		const sop *s = a->sops.v[i].sop;
		json_t *d30 = sla_compliance(a, s->id, now - 30 * 86400, v, e);
		json_t *d90 = d30 ? sla_compliance(a, s->id, now - 90 * 86400, v, e) : NULL;
		if (d90 == NULL) {
			json_decref(d30);
			goto fail;
		}
		json_array_append_new(comp, json_pack("{s:s, s:s, s:o, s:o}", "sop", s->id, "nama",
		                                      s->nama, "d30", d30, "d90", d90));
	}
	/* the vulnerability figures (dashboard_vuln.c): null for a viewer
	 * who sees no findings */
	json_t *vuln = dashboard_findings(a, viewer, e);
	if (vuln == NULL)
		goto fail;
	json_object_set_new(out, "findings", vuln);
	case_viewer_free(&vw);
	return out;
fail:
	case_viewer_free(&vw);
	json_decref(out);
	return NULL;
}
