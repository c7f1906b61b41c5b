/*
 * case_query.c: finding cases: the filters of the case list (SOP, step,
 * status, priority, category, TLP, assignee, dates), full-text search over
 * the case_search index (titles, form values, comments) and pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/buf.h"
#include "case_row.h"
#include "col_json.h"

/* The WHERE clause of a filter and its parameters, in order. At most 16
 * parameters; each is text or an integer. */
typedef struct filter_sql {
	buf where;
	const char *text[16];
	int64_t num[16];
	char kind[17];
	int n;
} filter_sql;

static void fs_text(filter_sql *q, const char *cond, const char *v)
{
	buf_puts(&q->where, cond);
	q->text[q->n] = v;
	q->kind[q->n++] = 's';
}

static void fs_int(filter_sql *q, const char *cond, int64_t v)
{
	buf_puts(&q->where, cond);
	q->num[q->n] = v;
	q->kind[q->n++] = 'i';
}

/* Whether v sees less than every case (case_access.c). */
static bool restricted(const case_viewer *v)
{
	return !v->all;
}

static void filter_build(const case_filter *f, const case_viewer *v, filter_sql *q)
{
	memset(q, 0, sizeof *q);
	buf_puts(&q->where, " WHERE 1 = 1");
	if (f->procedure_id) {
		fs_text(q, " AND (c.procedure_id = ?", f->procedure_id);
		fs_text(q, " OR c.sop_id = ?)", f->procedure_id);
	}
	if (f->open_only)
		buf_puts(&q->where, " AND c.status = 'open'");
	if (f->closed_only)
		buf_puts(&q->where, " AND c.status = 'closed'");
	if (f->step_no > 0)
		fs_int(q, " AND c.step_no = ?", f->step_no);
	if (f->priority)
		fs_text(q, " AND c.priority = ?", f->priority);
	if (f->category)
		fs_text(q, " AND c.category = ?", f->category);
	if (f->assignee)
		fs_text(q, " AND c.assignee = ?", f->assignee);
	if (f->tlp)
		fs_text(q, " AND c.tlp = ?", f->tlp);
	if (f->created_from)
		fs_int(q, " AND c.created_at >= ?", f->created_from);
	if (f->created_to)
		fs_int(q, " AND c.created_at <= ?", f->created_to);
	if (f->query)
		fs_text(q, " AND c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)",
		        f->query);
	if (restricted(v)) { /* need-to-know: CASE_VISIBLE_SQL's three parameters */
		/* A search reads, and these filters ask, what a limited view
		 * hides (the team's words, the step, classification, assignee):
		 * they match only cases seen whole, or a filter would answer the
		 * question the hidden column does not. */
		bool hidden = f->query || f->step_no > 0 || f->priority || f->category || f->assignee;
		buf_puts(&q->where, " AND ");
		fs_text(q, hidden ? CASE_FULL_SQL : CASE_VISIBLE_SQL, v->staff_procs);
		q->text[q->n] = v->user;
		q->kind[q->n++] = 's';
		q->num[q->n] = v->csirt;
		q->kind[q->n++] = 'i';
	}
}

static int filter_bind(db_stmt *st, const filter_sql *q)
{
	for (int i = 0; i < q->n; i++) {
		int r = q->kind[i] == 's' ? db_bind_text(st, i + 1, q->text[i])
		                          : db_bind_int(st, i + 1, q->num[i]);
		if (r != 0)
			return -1;
	}
	return 0;
}

/* Words of a search box into an FTS5 query: each word quoted (so no
 * operator syntax reaches FTS5) and required; a word typed with a final
 * '*' matches as a prefix ("ransom*"). Whole words are the default because
 * a prefix query costs about ten times as much on a large index. */
static char *fts_query(const char *text)
{
	buf b = BUF_INIT;
	const char *p = text;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		size_t n = (size_t)(p - start);
		bool prefix = n > 1 && start[n - 1] == '*';
		if (prefix)
			n--;
		if (n == 0 || (n == 1 && *start == '*'))
			continue;
		if (b.len)
			buf_putc(&b, ' ');
		buf_putc(&b, '"');
		for (size_t i = 0; i < n; i++) {
			if (start[i] == '"')
				buf_putc(&b, '"');
			buf_putc(&b, start[i]);
		}
		buf_puts(&b, prefix ? "\"*" : "\"");
	}
	return b.len ? buf_steal(&b) : (buf_free(&b), NULL);
}

static int prepare_filtered(app *a, const case_filter *f, const case_viewer *v,
                            const char *select, const char *tail,
                            db_stmt **st, int *n_params, sg_err *e)
{
	case_filter g = *f;
	char *q = f->query ? fts_query(f->query) : NULL;
	g.query = q;
	filter_sql fs;
	filter_build(&g, v, &fs);
	buf sql = BUF_INIT;
	buf_puts(&sql, select);
	buf_puts(&sql, buf_str(&fs.where));
	buf_puts(&sql, tail);
	int r = db_prepare(a->db, buf_str(&sql), st, e);
	if (r == 0 && filter_bind(*st, &fs) != 0) {
		db_finalize(*st);
		r = sg_err_set(e, SG_EDB, "cannot bind the case filter");
	}
	*n_params = fs.n;
	/* FTS5 copies bound text at bind time (SQLITE_TRANSIENT in sqlite.c). */
	free(q);
	buf_free(&sql);
	buf_free(&fs.where);
	return r;
}

/* A filter on nothing but the status, for a viewer who sees every case:
 * answered from case_counts. */
static bool no_filter_but_status(const case_filter *f)
{
	return !f->procedure_id && !f->step_no && !f->priority && !f->category && !f->assignee &&
	       !f->tlp && !f->created_from && !f->created_to && !f->query;
}

static bool status_only(const case_filter *f, const case_viewer *v)
{
	return !restricted(v) && no_filter_but_status(f);
}

/* The same for a viewer who sees only some cases: the staff's share from
 * case_counts_by (kept by triggers, migration 0007), plus the cases it is
 * named on outside that share, plus for an agen_siber the cases of its
 * OPD's assets outside both; CASE_VISIBLE_SQL split in sums, each
 * answered from an index instead of a pass over every case. */
static int count_visible(app *a, const case_filter *f, const case_viewer *v, int64_t *out,
			 sg_err *e)
{
	const char *which = f->open_only ? "open" : f->closed_only ? "closed" : NULL;
	int64_t staff = 0, named = 0;
	if (db_query_int(a->db, e, &staff,
			 "SELECT COALESCE(SUM(n), 0) FROM case_counts_by "
			 "WHERE procedure_id IN (SELECT value FROM json_each(?)) AND tlp_class <> 'red' "
			 "AND (? IS NULL OR status = ?)",
			 "sss", v->staff_procs, which, which) != DB_ROW)
		return -1;
	if (db_query_int(a->db, e, &named,
			 "SELECT COUNT(*) FROM case_participants p JOIN cases c ON c.id = p.case_id "
			 "WHERE p.user_name = ? AND (? IS NULL OR c.status = ?) "
			 "AND NOT (c.procedure_id IN (SELECT value FROM json_each(?)) "
			 "AND COALESCE(c.tlp, '') <> 'TLP:RED') "
			 "AND (? = 1 OR COALESCE(c.tlp, '') <> 'TLP:AMBER+STRICT')",
			 "ssssi", v->user, which, which, v->staff_procs, (int64_t)v->csirt) != DB_ROW)
		return -1;
	int64_t opd = 0;
	if (v->opd_id &&
	    db_query_int(a->db, e, &opd,
			 "SELECT COUNT(DISTINCT c.id) FROM case_assets ca "
			 "JOIN assets s ON s.id = ca.asset_id JOIN cases c ON c.id = ca.case_id "
			 "WHERE s.opd_id = ? AND (? IS NULL OR c.status = ?) "
			 "AND COALESCE(c.tlp, '') NOT IN ('TLP:RED', 'TLP:AMBER+STRICT') "
			 "AND c.procedure_id NOT IN (SELECT value FROM json_each(?)) "
			 "AND NOT EXISTS (SELECT 1 FROM case_participants p WHERE p.case_id = c.id "
			 "AND p.user_name = ?)",
			 "issss", v->opd_id, which, which, v->staff_procs, v->user) != DB_ROW)
		return -1;
	*out = staff + named + opd;
	return 0;
}

/* A filter on nothing but the search words: the index counts its matches
 * (every case has one row in case_search), four times cheaper than
 * joining them to the cases. */
static bool query_only(const case_filter *f, const case_viewer *v)
{
	case_filter g = *f;
	g.query = NULL;
	return f->query && status_only(&g, v) && !f->open_only && !f->closed_only;
}

static int count_as(app *a, const case_filter *f, const case_viewer *v, int64_t *out, sg_err *e)
{
	db_stmt *st;
	int n;
	if (status_only(f, v)) {
		const char *which = f->open_only ? "open" : f->closed_only ? "closed" : NULL;
		int rc = db_query_int(
		    a->db, e, out,
		    "SELECT COALESCE(SUM(n), 0) FROM case_counts WHERE ? IS NULL OR status = ?",
		    "ss", which, which);
		return rc == DB_ROW ? 0 : -1;
	}
	if (restricted(v) && no_filter_but_status(f))
		return count_visible(a, f, v, out, e);
	if (query_only(f, v)) {
		char *q = fts_query(f->query);
		if (q == NULL) { /* no words: no search, as the list does */
			case_filter g = *f;
			g.query = NULL;
			return count_as(a, &g, v, out, e);
		}
		int rc = db_query_int(a->db, e, out,
		                      "SELECT COUNT(*) FROM case_search WHERE case_search MATCH ?",
		                      "s", q);
		free(q);
		return rc == DB_ROW ? 0 : -1;
	}
	if (prepare_filtered(a, f, v, "SELECT COUNT(*) FROM cases c", "", &st, &n, e) != 0)
		return -1;
	int rc = db_step(st, e);
	*out = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

int case_count(app *a, const case_filter *f, int64_t *out, sg_err *e)
{
	case_viewer v;
	if (case_viewer_load(a, f->viewer, &v, e) != 0)
		return -1;
	int r = count_as(a, f, &v, out, e);
	case_viewer_free(&v);
	return r;
}

/* A list row of a case v sees only in part: no classification, assignee,
 * step or due time, only the public stage the case stands at
 * (limit_to_own in cases.c hides the same on the case). stage: the
 * current step's tahap_publik, NULL when closed or unknown. */
static int limited_row(app *a, const case_viewer *v, db_stmt *st, const char *stage, json_t *o)
{
	case_sight sight;
	sg_err e;
	if (case_sight_of(a, v, db_col_int(st, 12), db_col_text(st, 1),
			  db_col_null(st, 10) ? NULL : db_col_text(st, 10), &sight, &e) != 0)
		return -1;
	if (sight == CASE_SEE_FULL)
		return 0;
	static const char *const hidden[] = {"category", "priority", "assignee"};
	for (int i = 0; i < 3; i++)
		json_object_set_new(o, hidden[i], json_null());
	if (json_object_get(o, "step"))
		json_object_set_new(o, "step", json_pack("{s:s}", "stage", stage ? stage : "-"));
	return 0;
}

json_t *case_list(app *a, const case_filter *f, sg_err *e)
{
	case_viewer v;
	if (case_viewer_load(a, f->viewer, &v, e) != 0)
		return NULL;
	db_stmt *st;
	int n;
	int r = prepare_filtered(
	        a, f, &v,
	        "SELECT c.ticket, c.procedure_id, c.sop_sha256, c.title, c.status, "
	        "c.step_no, c.step_started_at, c.created_at, c.category, c.priority, c.tlp, "
	        "c.assignee, c.id FROM cases c",
	        " ORDER BY c.id DESC LIMIT ? OFFSET ?", &st, &n, e);
	if (r != 0) {
		case_viewer_free(&v);
		return NULL;
	}
	if (db_bind_int(st, n + 1, f->limit > 0 ? f->limit : 100) != 0 ||
	    db_bind_int(st, n + 2, f->offset > 0 ? f->offset : 0) != 0) {
		db_finalize(st);
		case_viewer_free(&v);
		sg_err_set(e, SG_EDB, "cannot bind the page of the case list");
		return NULL;
	}
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:o}", "ticket",
		                      db_col_text(st, 0), "procedure", db_col_text(st, 1), "title",
		                      db_col_text(st, 3), "status", db_col_text(st, 4),
		                      "created_at", (json_int_t)db_col_int(st, 7), "category",
		                      col_json_text(st, 8), "priority", col_json_text(st, 9), "tlp",
		                      col_json_text(st, 10), "assignee", col_json_text(st, 11));
		const char *stage = NULL;
		if (!db_col_null(st, 5)) {
			case_row row = {.step_no = (int)db_col_int(st, 5)};
			snprintf(row.procedure_id, sizeof row.procedure_id, "%s",
			         db_col_text(st, 1));
			snprintf(row.sha, sizeof row.sha, "%s", db_col_text(st, 2));
			const sop_entry *en;
			const sop_procedure *proc = case_procedure(a, &row, &en, NULL);
			int idx = proc ? sop_step_index(proc, row.step_no) : -1;
			json_t *step = json_pack("{s:i}", "no", row.step_no);
			if (idx >= 0) {
				const sop_step *s = &proc->steps[idx];
				stage = s->tahap_publik ? s->tahap_publik : s->uraian;
				json_object_set_new(step, "uraian", json_string(s->uraian));
				json_object_set_new(step, "role", json_string(s->role));
				if (s->waktu.unit != WAKTU_NONE) {
					int64_t due =
					    sla_due(&a->cfg.cal, &s->waktu, db_col_int(st, 6));
					json_object_set_new(step, "due_at", json_integer(due));
					json_object_set_new(step, "overdue",
					                    json_boolean(app_now(a) > due));
				}
			}
			json_object_set_new(o, "step", step);
		}
		/* Only an outside actor (not CSIRT staff) can see a case in part:
		 * its row then says no more than its case page. */
		if (restricted(&v) && !v.csirt && limited_row(a, &v, st, stage, o) != 0) {
			json_decref(o);
			rc = -1;
			break;
		}
		json_array_append_new(arr, o);
	}
	db_finalize(st);
	case_viewer_free(&v);
	if (rc < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}
