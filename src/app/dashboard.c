/*
 * dashboard.c: the figures of the dashboard and of /metrics: open cases
 * per procedure and step, steps past or near their standard time, open
 * cases by category and priority, and SLA compliance per SOP.
 *
 * Due times depend on the working calendar, so they are computed here for
 * each open case rather than stored: O(open cases) per call, which a CSIRT
 * with thousands of open cases still answers in milliseconds.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_row.h"

enum { SOON_SECONDS = 4 * 3600, DUE_LIST_MAX = 20 };

static int by_due(const void *x, const void *y)
{
	json_int_t a = json_integer_value(json_object_get(*(json_t *const *)x, "due_at"));
	json_int_t b = json_integer_value(json_object_get(*(json_t *const *)y, "due_at"));
	return a < b ? -1 : a > b;
}

/* Open cases: counts per procedure and step, and the steps due. */
static int open_cases(app *a, json_t *out, sg_err *e)
{
	db_stmt *st;
	if (db_prepare(a->db,
	               "SELECT " CASE_ROW_COLUMNS
	               ", ticket, title FROM cases WHERE status = 'open' "
	               "ORDER BY procedure_id, step_no",
	               &st, e) != 0)
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
	json_t **v = malloc((n ? n : 1) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(due, i));
	qsort(v, n, sizeof *v, by_due);
	json_t *top = json_array();
	for (size_t i = 0; i < n; i++) {
		if (i < DUE_LIST_MAX)
			json_array_append(top, v[i]);
		json_decref(v[i]);
	}
	free(v);
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

/* Open cases grouped by one attribute column ("category", "priority"). */
static json_t *group_open(app *a, const char *column, sg_err *e)
{
	char sql[200];
	snprintf(sql, sizeof sql,
	         "SELECT COALESCE(%s, ''), COUNT(*) FROM cases WHERE status = 'open' GROUP BY 1 "
	         "ORDER BY 2 DESC",
	         column);
	db_stmt *st;
	if (db_prepare(a->db, sql, &st, e) != 0)
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

json_t *dashboard_get(app *a, sg_err *e)
{
	json_t *out = json_object();
	if (open_cases(a, out, e) != 0)
		goto fail;
	json_t *cat = group_open(a, "category", e);
	json_t *prio = cat ? group_open(a, "priority", e) : NULL;
	if (prio == NULL) {
		json_decref(cat);
		goto fail;
	}
	json_object_set_new(out, "by_category", cat);
	json_object_set_new(out, "by_priority", prio);
	json_t *comp = json_array();
	json_object_set_new(out, "compliance", comp);
	int64_t now = app_now(a);
	for (size_t i = 0; i < a->sops.n; i++) {
		const sop *s = a->sops.v[i].sop;
		json_t *d30 = sla_compliance(a, s->id, now - 30 * 86400, e);
		json_t *d90 = d30 ? sla_compliance(a, s->id, now - 90 * 86400, e) : NULL;
		if (d90 == NULL) {
			json_decref(d30);
			goto fail;
		}
		json_array_append_new(comp, json_pack("{s:s, s:s, s:o, s:o}", "sop", s->id, "nama",
		                                      s->nama, "d30", d30, "d90", d90));
	}
	return out;
fail:
	json_decref(out);
	return NULL;
}
