/*
 * report_monthly.c: the monthly report to the Kepala Dinas: the incidents
 * of a month by ENISA class and by priority, SLA compliance per
 * procedure, the SIEM alerts triaged (TRUE / FALSE POSITIVE), and the
 * vulnerability findings open and past due at the month's end. Counts
 * only: the report names no case, so a TLP:RED case adds one to a count
 * and nothing else. The cases counted are those the reporting user may
 * see (case_access.c); only the roles that receive or prepare the report
 * (kabid, kepala_dinas, ttis) may ask for it.
 *
 * The figures become a context for the template laporan-bulanan
 * (templates/laporan-bulanan.tmpl, docs/templates.md), rendered like any
 * document (documents.c): on screen, or as PDF. Its charts are bars of
 * block characters in the figures' tables (batang), so the same template
 * draws them on screen and on paper.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "app/classify.h"
#include "base/civil.h"
#include "case_row.h"

/* The instants [from, to) of a month in the calendar's zone. */
static void month_span(const app *a, int year, int month, int64_t *from, int64_t *to)
{
	civil c = {year, month, 1, 0, 0, 0, 0};
	*from = civil_to_epoch(&c, a->cfg.cal.zone);
	c.month = month == 12 ? 1 : month + 1;
	c.year = month == 12 ? year + 1 : year;
	*to = civil_to_epoch(&c, a->cfg.cal.zone);
}

/* A bar of n out of max as block characters, at most 30 of them. */
static json_t *bar(int64_t n, int64_t max)
{
	char out[30 * 3 + 1] = "";
	int k = max > 0 ? (int)((n * 30 + max - 1) / max) : 0;
	for (int i = 0; i < k && i < 30; i++)
		strcat(out, "\xe2\x96\x88"); /* U+2588 FULL BLOCK */
	return json_string(out);
}

/* Rows [{KEY: label, jumlah, batang}] of a grouped count; label_of turns
 * the stored value into words. */
static json_t *grouped(app *a, const case_viewer *v, const char *sql_head, const char *sql_tail,
		       int64_t from, int64_t to, const char *key,
		       const char *(*label_of)(const char *), sg_err *e)
{
	db_stmt *st;
	if (case_prepare_visible(a, v, sql_head, sql_tail, &st, e) != 0)
		return NULL;
	int k = case_visible_first(v);
	if (db_bind_int(st, k, from) != 0 || db_bind_int(st, k + 1, to) != 0) {
		db_finalize(st);
		sg_err_set(e, SG_EDB, "cannot bind the report's month");
		return NULL;
	}
	json_t *rows = json_array();
	int64_t max = 0;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		const char *val = db_col_null(st, 0) ? "" : db_col_text(st, 0);
		int64_t n = db_col_int(st, 1);
		max = n > max ? n : max;
		json_array_append_new(rows, json_pack("{s:s, s:I}", key, label_of(val), "jumlah",
						      (json_int_t)n));
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		json_decref(rows);
		return NULL;
	}
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	    json_object_set_new(r, "batang", bar(json_integer_value(json_object_get(r, "jumlah")), max));
	return rows;
}

static const char *enisa_words(const char *code)
{
	const char *l = *code ? enisa_label(code, false) : NULL;
	return l ? l : *code ? code : "Belum dikategorikan";
}

static const char *priority_words(const char *p)
{
	return *p ? p : "Belum ditetapkan";
}

static int64_t sum_of(json_t *rows)
{
	int64_t n = 0;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) n += json_integer_value(json_object_get(r, "jumlah"));
	return n;
}

/* SLA compliance of the step runs finished in the month, per procedure. */
static json_t *sla_rows(app *a, const case_viewer *v, int64_t from, int64_t to, sg_err *e)
{
	db_stmt *st;
	if (case_prepare_visible(a, v,
				 "SELECT c.procedure_id, COUNT(*), COALESCE(SUM(r.sla_met), 0) FROM step_runs r "
				 "JOIN cases c ON c.id = r.case_id WHERE ",
				 " AND r.finished_at >= ? AND r.finished_at < ? AND r.kind <> 'buka_kembali' "
				 "GROUP BY c.procedure_id ORDER BY c.procedure_id",
				 &st, e) != 0)
		return NULL;
	int k = case_visible_first(v);
	if (db_bind_int(st, k, from) != 0 || db_bind_int(st, k + 1, to) != 0) {
		db_finalize(st);
		sg_err_set(e, SG_EDB, "cannot bind the report's month");
		return NULL;
	}
	json_t *rows = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		const char *pid = db_col_text(st, 0);
		int64_t runs = db_col_int(st, 1), met = db_col_int(st, 2);
		const sop_procedure *p = NULL;
		sops_find_procedure(&a->sops, pid, &p);
		char pct[16];
		snprintf(pct, sizeof pct, "%.0f%%", runs ? 100.0 * (double)met / (double)runs : 100.0);
		json_array_append_new(rows, json_pack("{s:s, s:I, s:I, s:s, s:o}", "prosedur",
						      p && p->nama ? p->nama : pid, "langkah",
						      (json_int_t)runs, "tepat", (json_int_t)met, "persen",
						      pct, "batang", bar(met, runs)));
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		json_decref(rows);
		return NULL;
	}
	return rows;
}

static int count(app *a, int64_t *out, sg_err *e, const char *sql, int64_t from, int64_t to)
{
	return db_query_int(a->db, e, out, sql, "ii", from, to) < 0 ? -1 : 0;
}

/* Alerts decided in the month (triage is the CSIRT's: counted whole). */
static json_t *alert_figures(app *a, int64_t from, int64_t to, sg_err *e)
{
	int64_t created = 0, tp = 0, fp = 0, waiting = 0;
	if (count(a, &created, e, "SELECT COUNT(*) FROM alerts WHERE first_seen >= ? AND first_seen < ?",
		  from, to) != 0 ||
	    count(a, &tp, e,
		  "SELECT COUNT(*) FROM alerts WHERE status = 'true_positive' AND decided_at >= ? "
		  "AND decided_at < ?",
		  from, to) != 0 ||
	    count(a, &fp, e,
		  "SELECT COUNT(*) FROM alerts WHERE status = 'false_positive' AND decided_at >= ? "
		  "AND decided_at < ?",
		  from, to) != 0 ||
	    count(a, &waiting, e,
		  "SELECT COUNT(*) FROM alerts WHERE status IN ('new', 'triage') AND first_seen >= ? "
		  "AND first_seen < ?",
		  from, to) != 0)
		return NULL;
	int64_t max = tp > fp ? tp : fp;
	max = waiting > max ? waiting : max;
	return json_pack("{s:I, s:I, s:I, s:I, s:[{s:s, s:I, s:o}, {s:s, s:I, s:o}, {s:s, s:I, s:o}]}",
			 "baru", (json_int_t)created, "true_positive", (json_int_t)tp, "false_positive",
			 (json_int_t)fp, "belum", (json_int_t)waiting, "rincian", "status",
			 "TRUE POSITIVE", "jumlah", (json_int_t)tp, "batang", bar(tp, max), "status",
			 "FALSE POSITIVE", "jumlah", (json_int_t)fp, "batang", bar(fp, max), "status",
			 "Belum diputuskan", "jumlah", (json_int_t)waiting, "batang", bar(waiting, max));
}

/* Findings open at the month's end, and of them past their due date, by
 * severity. */
static json_t *finding_figures(app *a, int64_t to, sg_err *e)
{
	static const char *const sev[][2] = {{"critical", "Kritis"}, {"high", "Tinggi"},
					     {"medium", "Sedang"},   {"low", "Rendah"},
					     {"info", "Informasi"}};
	json_t *rows = json_array();
	int64_t open_all = 0, late_all = 0;
	for (size_t i = 0; i < 5; i++) {
		int64_t open = 0, late = 0;
		if (db_query_int(a->db, e, &open,
				 "SELECT COUNT(*) FROM findings WHERE severity = ? AND first_seen < ? AND "
				 "state IN ('baru', 'terverifikasi', 'dalam_perbaikan', 'dibuka_kembali')",
				 "si", sev[i][0], to) < 0 ||
		    db_query_int(a->db, e, &late,
				 "SELECT COUNT(*) FROM findings WHERE severity = ? AND first_seen < ? AND "
				 "state IN ('baru', 'terverifikasi', 'dalam_perbaikan', 'dibuka_kembali') "
				 "AND due_at IS NOT NULL AND due_at < ?",
				 "sii", sev[i][0], to, to) < 0) {
			json_decref(rows);
			return NULL;
		}
		open_all += open;
		late_all += late;
		json_array_append_new(rows, json_pack("{s:s, s:I, s:I}", "keparahan", sev[i][1],
						      "terbuka", (json_int_t)open, "lewat",
						      (json_int_t)late));
	}
	return json_pack("{s:I, s:I, s:o}", "terbuka", (json_int_t)open_all, "lewat",
			 (json_int_t)late_all, "per_keparahan", rows);
}

int report_monthly_month(const char *text, int *year, int *month)
{
	int y, m;
	char tail;
	if (text == NULL || sscanf(text, "%4d-%2d%c", &y, &m, &tail) != 2 || strlen(text) != 7 ||
	    y < 2000 || y > 2200 || m < 1 || m > 12)
		return -1;
	*year = y;
	*month = m;
	return 0;
}

json_t *report_monthly(app *a, const char *user, int year, int month, sg_err *e)
{
	int may = 0;
	static const char *const roles[] = {"kabid", "kepala_dinas", "ttis"};
	for (size_t i = 0; i < 3 && may == 0; i++)
		if ((may = user_holds(a, user, roles[i], e)) < 0)
			return NULL;
	if (may != 1) {
		sg_err_set(e, SG_EPERM, "the monthly report is for the Kabid, the Kepala Dinas and TTIS");
		return NULL;
	}
	case_viewer v;
	if (case_viewer_load(a, user, &v, e) != 0)
		return NULL;
	int64_t from, to;
	month_span(a, year, month, &from, &to);
	json_t *out = NULL;
	json_t *by_class = grouped(a, &v, "SELECT c.category, COUNT(*) FROM cases c WHERE ",
				   " AND c.procedure_id = 'insiden' AND c.created_at >= ? AND "
				   "c.created_at < ? GROUP BY c.category ORDER BY COUNT(*) DESC, c.category",
				   from, to, "kategori", enisa_words, e);
	json_t *by_priority =
	    by_class ? grouped(a, &v, "SELECT c.priority, COUNT(*) FROM cases c WHERE ",
			       " AND c.procedure_id = 'insiden' AND c.created_at >= ? AND c.created_at < ? "
			       "GROUP BY c.priority ORDER BY COUNT(*) DESC, c.priority",
			       from, to, "prioritas", priority_words, e)
		     : NULL;
	json_t *by_proc = by_priority ? grouped(a, &v, "SELECT c.procedure_id, COUNT(*) FROM cases c WHERE ",
						" AND c.created_at >= ? AND c.created_at < ? GROUP BY "
						"c.procedure_id ORDER BY c.procedure_id",
						from, to, "prosedur", priority_words, e)
				      : NULL;
	json_t *closed = by_proc ? grouped(a, &v, "SELECT c.procedure_id, COUNT(*) FROM cases c WHERE ",
					   " AND c.closed_at >= ? AND c.closed_at < ? GROUP BY "
					   "c.procedure_id ORDER BY c.procedure_id",
					   from, to, "prosedur", priority_words, e)
				 : NULL;
	json_t *sla = closed ? sla_rows(a, &v, from, to, e) : NULL;
	json_t *alerts = sla ? alert_figures(a, from, to, e) : NULL;
	json_t *findings = alerts ? finding_figures(a, to, e) : NULL;
	if (findings) {
		char name[64], first[64], last[64], code[16];
		snprintf(name, sizeof name, "%s %d", civil_month_id(month), year);
		snprintf(code, sizeof code, "%04d-%02d", year, month);
		civil_format_id_date(from, a->cfg.cal.zone, first, sizeof first);
		civil_format_id_date(to - 1, a->cfg.cal.zone, last, sizeof last);
		/* procedures by their names */
		json_t *both[] = {by_proc, closed}, *r;
		for (int k = 0; k < 2; k++) {
			size_t i;
			json_array_foreach(both[k], i, r)
			{
				const sop_procedure *p = NULL;
				sops_find_procedure(&a->sops, json_string_value(json_object_get(r, "prosedur")),
						    &p);
				if (p && p->nama)
					json_object_set_new(r, "prosedur", json_string(p->nama));
			}
		}
		out = json_pack("{s:{s:s, s:s, s:s, s:s}, s:{s:I, s:O, s:O}, s:O, s:O, s:O, s:O, s:O}",
				"periode", "bulan", name, "mulai", first, "akhir", last, "kode", code,
				"insiden", "jumlah", (json_int_t)sum_of(by_class), "per_kategori",
				by_class, "per_prioritas", by_priority, "kasus_dibuka", by_proc,
				"kasus_ditutup", closed, "sla", sla, "peringatan", alerts, "temuan",
				findings);
	}
	json_decref(by_class);
	json_decref(by_priority);
	json_decref(by_proc);
	json_decref(closed);
	json_decref(sla);
	json_decref(alerts);
	json_decref(findings);
	case_viewer_free(&v);
	return out;
}

int report_monthly_render(app *a, const char *user, int year, int month, bool pdf, buf *out,
			  sg_err *e)
{
	json_t *ctx = report_monthly(a, user, year, month, e);
	if (ctx == NULL)
		return -1;
	/* written by the Kabid to the Kepala Dinas: the kabid signs it */
	int r = document_render_free(a, "laporan-bulanan", ctx, "kabid", user, pdf, out, e);
	json_decref(ctx);
	return r;
}
