/*
 * tasks.c: "Tugas saya", what waits for a user: the open cases whose
 * current step is done by a role the user holds, and the open cases
 * assigned to the user, the most urgent first.
 *
 * A step of an outside role (the reporter, the police, the applicant:
 * sop_role.luar) is a task for a holder of that role and for the staff
 * the SOP names to act on its behalf (atas_nama): the outsider does not
 * sign in to remind itself, so the officer who will telephone it, send
 * it a link or take its letter must see that it waits.
 *
 * The steps a user's roles do are known from the SOPs, not the database:
 * the pairs (procedure, step number) of every loaded SOP version whose
 * actor the user holds. The count is then one query over two indexes
 * (cases_by_step, cases_by_assignee), O(tasks) and not O(cases); the
 * navigation of every page asks it with a cap (it shows "99+"), so its
 * cost is bounded whatever the backlog: under 0.1 ms capped at 100,
 * against 3.4 ms uncapped, for 6,700 tasks among 20,000 cases. The list runs the same query and
 * then checks each case against the SOP version it actually runs on (a
 * revised SOP may give a step number another actor): a case whose own
 * version gives the step to a role the user lacks is left out unless it
 * is assigned to them. The count may count such a case; the revision
 * would have to renumber a running procedure's steps for that to happen.
 *
 * The count also counts the overdue findings waiting for the user (the
 * patch SOP's administrator, an OPD's agen_siber: finding_cases.c), which
 * the pages and the API list beside the cases (finding_tasks).
 *
 * Need-to-know (case_access.c) holds here as everywhere: a case the user
 * may not see is neither listed nor counted, whatever its step's role.
 *
 * Due times depend on the working calendar, so the list computes them per
 * case (sla_due), as the dashboard does, but only for the first `limit`
 * cases of each step (by start; the due time grows with it): the query
 * reads O(tasks) rows, the list builds and sorts O(steps x limit).
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/buf.h"
#include "case_row.h"
#include "col_json.h"
#include "findings.h"

/* The pairs are bound twice: at most 2 x 2 x 2000 + 7 parameters, within
 * SQLite's 32,766. */
enum { TASKS_MAX_PAIRS = 2000 };

typedef struct step_pairs {
	const char *proc[TASKS_MAX_PAIRS];
	int no[TASKS_MAX_PAIRS];
	size_t n;
} step_pairs;

/* Whether roles act on st: its role, or a role that may act on its
 * behalf. */
static bool acts_on(const sop *s, const sop_step *st, json_t *roles)
{
	if (roles_hold(roles, st->role))
		return true;
	size_t i;
	json_t *r;
	json_array_foreach(roles, i, r) if (sop_role_on_behalf(s, st->role, json_string_value(r)))
		return true;
	return false;
}

static void pairs_of_sop(const sop *s, json_t *roles, step_pairs *p)
{
	for (size_t k = 0; k < s->n_procs; k++) {
		const sop_procedure *proc = &s->procs[k];
		for (size_t i = 0; i < proc->n_steps && p->n < TASKS_MAX_PAIRS; i++) {
			const sop_step *st = &proc->steps[i];
			if (st->terminator || st->role == NULL || !acts_on(s, st, roles))
				continue;
			bool seen = false;
			for (size_t j = 0; j < p->n && !seen; j++)
				seen = p->no[j] == st->no && strcmp(p->proc[j], proc->id) == 0;
			if (!seen) {
				p->proc[p->n] = proc->id;
				p->no[p->n++] = st->no;
			}
		}
	}
}

/* The (procedure, step) pairs of the roles, from the current SOPs and the
 * older versions loaded so far. O(steps of all SOPs x pairs). */
static void pairs_of(app *a, json_t *roles, step_pairs *p)
{
	p->n = 0;
	for (size_t i = 0; i < a->sops.n; i++)
		pairs_of_sop(a->sops.v[i].sop, roles, p);
	for (size_t i = 0; i < a->sops.n_versions; i++)
		pairs_of_sop(a->sops.versions[i]->sop, roles, p);
}

/* "(?, ?), (?, ?), …": the pairs as a VALUES list. */
static void pairs_values(buf *sql, const step_pairs *p)
{
	for (size_t i = 0; i < p->n; i++)
		buf_puts(sql, i ? ", (?, ?)" : "(?, ?)");
}

/* The ids of the tasks: the cases at the role's steps, then (UNION ALL)
 * the assigned ones at other steps, each arm under need-to-know. No case
 * is in both arms, so nothing has to be made distinct and a LIMIT stops
 * the query early (a UNION would first gather every id). Parameters, in
 * order: the pairs, the viewer's three, the user, the pairs, the
 * viewer's three. */
static void tasks_ids(buf *sql, const step_pairs *p, const case_viewer *v)
{
	if (p->n) {
		/* The pairs drive the join (CROSS JOIN keeps them outside), so
		 * each is one search of cases_by_step. */
		buf_puts(sql, "SELECT c.id FROM (VALUES ");
		pairs_values(sql, p);
		buf_puts(sql, ") v CROSS JOIN cases c WHERE c.procedure_id = v.column1 AND "
		              "c.step_no = v.column2 AND c.status = 'open'");
		if (!v->all) {
			buf_puts(sql, " AND ");
			buf_puts(sql, CASE_VISIBLE_SQL);
		}
		buf_puts(sql, " UNION ALL ");
	}
	buf_puts(sql, "SELECT c.id FROM cases c WHERE c.status = 'open' AND c.assignee = ?");
	if (p->n) {
		buf_puts(sql, " AND NOT EXISTS (SELECT 1 FROM (VALUES ");
		pairs_values(sql, p);
		buf_puts(sql, ") w WHERE w.column1 = c.procedure_id AND w.column2 = c.step_no)");
	}
	if (!v->all) {
		buf_puts(sql, " AND ");
		buf_puts(sql, CASE_VISIBLE_SQL);
	}
}

static int bind_pairs(db_stmt *st, int *k, const step_pairs *p)
{
	for (size_t i = 0; i < p->n; i++) {
		if (db_bind_text(st, *k, p->proc[i]) != 0 || db_bind_int(st, *k + 1, p->no[i]) != 0)
			return -1;
		*k += 2;
	}
	return 0;
}

/* Prepares sql (built around tasks_ids) and binds tasks_ids' parameters
 * from 1; *next is the index after them. */
static int prepare_tasks(app *a, const buf *sql, const char *user, const step_pairs *p,
                         const case_viewer *v, db_stmt **st, int *next, sg_err *e)
{
	if (db_prepare(a->db, buf_str(sql), st, e) != 0)
		return -1;
	int k = 1;
	if (bind_pairs(*st, &k, p) != 0)
		goto bind;
	if (p->n && !v->all) {
		if (case_visible_bind(*st, k, v) != 0)
			goto bind;
		k += 3;
	}
	if (db_bind_text(*st, k++, user) != 0 || bind_pairs(*st, &k, p) != 0)
		goto bind;
	if (!v->all) {
		if (case_visible_bind(*st, k, v) != 0)
			goto bind;
		k += 3;
	}
	*next = k;
	return 0;
bind:
	db_finalize(*st);
	return sg_err_set(e, SG_EDB, "cannot bind the task query");
}

/* The roles given, or the user's own (a new reference either way). */
static json_t *roles_of(app *a, const char *user, json_t *roles, sg_err *e)
{
	return roles ? json_incref(roles) : user_roles(a, user, e);
}

static json_t *task_of_row(app *a, db_stmt *st, const char *user, json_t *roles, bool unattended);

/* The TLP:RED cases the user is named on, as CSIRT staff, whose current
 * step nobody named on them can do (case_unattended): the user is asked
 * to assign it. Counted into *n, and added to out when given. Open RED
 * cases are few (cases_by_tlp, 0025_open_red_cases.sql); a staff member
 * is named on thousands of cases, so the read starts from the RED ones
 * and probes each for the user. */
static int unattended_red(app *a, const char *user, const case_viewer *v, json_t *roles,
			  json_t *out, int64_t *n, sg_err *e)
{
	*n = 0;
	if (v->all || !v->csirt)
		return 0;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT " CASE_ROW_COLUMNS ", ticket, title, priority, assignee, category "
			    "FROM cases c WHERE c.status = 'open' AND c.tlp = 'TLP:RED' AND EXISTS "
			    "(SELECT 1 FROM case_participants p WHERE p.case_id = c.id AND "
			    "p.user_name = ?)",
			    "s", user) != 0)
		return -1;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		case_row row;
		case_row_read(st, &row);
		const sop_entry *en;
		const sop_procedure *proc = case_procedure(a, &row, &en, NULL);
		int idx = proc ? sop_step_index(proc, row.step_no) : -1;
		bool un = false;
		if (idx < 0 || case_unattended(a, en->sop, &proc->steps[idx], row.id, &un, e) != 0) {
			if (idx >= 0) {
				rc = -1;
				break;
			}
			continue;
		}
		if (!un)
			continue;
		(*n)++;
		json_t *t = out ? task_of_row(a, st, user, roles, true) : NULL;
		if (t)
			json_array_append_new(out, t);
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int tasks_count(app *a, const char *user, json_t *roles, int64_t cap, int64_t *out, sg_err *e)
{
	*out = 0;
	json_t *held = roles_of(a, user, roles, e);
	if (held == NULL)
		return -1;
	step_pairs *p = malloc(sizeof *p);
	if (p == NULL)
		abort();
	pairs_of(a, held, p);
	case_viewer v;
	int r = case_viewer_with_roles(a, user, held, &v, e);
	db_stmt *st = NULL;
	int next = 0;
	if (r == 0) {
		/* With a cap the query stops after cap cases. */
		buf sql = BUF_INIT;
		buf_puts(&sql, "SELECT COUNT(*) FROM (");
		tasks_ids(&sql, p, &v);
		buf_puts(&sql, " LIMIT ?) AS capped");
		r = prepare_tasks(a, &sql, user, p, &v, &st, &next, e);
		buf_free(&sql);
		if (r == 0 && db_bind_int(st, next, cap > 0 ? cap : INT64_MAX) != 0) {
			db_finalize(st);
			r = sg_err_set(e, SG_EDB, "cannot bind the task query");
		}
	}
	int64_t unattended = 0;
	if (r == 0 && unattended_red(a, user, &v, held, NULL, &unattended, e) != 0) {
		db_finalize(st);
		r = -1;
	}
	case_viewer_free(&v);
	free(p);
	json_decref(held);
	if (r != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		*out = db_col_int(st, 0) + unattended;
	db_finalize(st);
	if (rc != DB_ROW)
		return -1;
	/* and the overdue findings that wait for the user (finding_cases.c) */
	int64_t overdue = 0;
	if (finding_tasks_count(a, user, roles, cap, &overdue, e) != 0)
		return -1;
	*out += overdue;
	return 0;
}

/* Due first (earliest first), then the steps without a standard time,
 * longest waiting first. */
static int by_urgency(const void *x, const void *y)
{
	json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	json_t *da = json_object_get(json_object_get(a, "step"), "due_at");
	json_t *dbb = json_object_get(json_object_get(b, "step"), "due_at");
	if (da && !dbb)
		return -1;
	if (dbb && !da)
		return 1;
	json_int_t ka = da ? json_integer_value(da)
	                   : json_integer_value(json_object_get(json_object_get(a, "step"), "started_at"));
	json_int_t kb = dbb ? json_integer_value(dbb)
	                   : json_integer_value(json_object_get(json_object_get(b, "step"), "started_at"));
	if (ka != kb)
		return ka < kb ? -1 : 1;
	return strcmp(json_string_value(json_object_get(a, "ticket")),
	              json_string_value(json_object_get(b, "ticket")));
}

/* One task: the case and its current step as the SOP version it runs on
 * draws it; NULL when the user neither holds the step's role nor is the
 * assignee, nor is asked to assign it (unattended). */
static json_t *task_of_row(app *a, db_stmt *st, const char *user, json_t *roles, bool unattended)
{
	case_row row;
	case_row_read(st, &row);
	const char *assignee = db_col_null(st, 9) ? NULL : db_col_text(st, 9);
	bool assigned = assignee && strcmp(assignee, user) == 0;
	const sop_entry *en;
	const sop_procedure *proc = case_procedure(a, &row, &en, NULL);
	int idx = proc ? sop_step_index(proc, row.step_no) : -1;
	const sop_step *s = idx >= 0 ? &proc->steps[idx] : NULL;
	bool by_role = s && s->role && acts_on(en->sop, s, roles);
	if (!by_role && !assigned && !unattended)
		return NULL;
	json_t *step = json_pack("{s:i, s:I}", "no", row.step_no, "started_at",
	                         (json_int_t)row.step_started_at);
	if (s) {
		json_object_set_new(step, "uraian", json_string(s->uraian));
		json_object_set_new(step, "role", json_string(s->role));
		json_object_set_new(step, "role_nama",
		                    json_string(sop_role_name(en->sop, s->role)));
		if (s->waktu.unit != WAKTU_NONE) {
			int64_t due = sla_due(&a->cfg.cal, &s->waktu, row.step_started_at);
			if (s->waktu.text)
				json_object_set_new(step, "waktu", json_string(s->waktu.text));
			json_object_set_new(step, "due_at", json_integer(due));
			json_object_set_new(step, "overdue", json_boolean(app_now(a) > due));
		}
	}
	json_t *why = json_array();
	if (by_role)
		json_array_append_new(why, json_string("role"));
	if (assigned)
		json_array_append_new(why, json_string("assigned"));
	if (unattended)
		json_array_append_new(why, json_string("unattended"));
	/* An outside actor (no staff role of the SOP) sees its part of a case:
	 * no classification or assignee, as on its list rows (case_query.c). */
	bool staff = proc && roles_staff_of(en->sop, roles);
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "ticket",
	                 db_col_text(st, 6), "title", db_col_text(st, 7), "procedure",
	                 row.procedure_id, "procedure_nama", proc ? proc->nama : row.procedure_id,
	                 "priority", staff ? col_json_text(st, 8) : json_null(), "assignee",
	                 staff ? col_json_text(st, 9) : json_null(), "category",
	                 staff ? col_json_text(st, 10) : json_null(), "step", step, "why", why);
}

json_t *tasks_of(app *a, const char *user, json_t *roles, int limit, sg_err *e)
{
	if (limit <= 0)
		limit = 100;
	json_t *held = roles_of(a, user, roles, e);
	if (held == NULL)
		return NULL;
	step_pairs *p = malloc(sizeof *p);
	if (p == NULL)
		abort();
	pairs_of(a, held, p);
	case_viewer v;
	int r = case_viewer_with_roles(a, user, held, &v, e);
	db_stmt *st = NULL;
	if (r == 0) {
		buf sql = BUF_INIT;
		int next;
		buf_puts(&sql, "SELECT " CASE_ROW_COLUMNS ", ticket, title, priority, assignee, "
		               "category FROM cases WHERE id IN (");
		tasks_ids(&sql, p, &v);
		/* Within one step of one SOP version the due time grows with the
		 * start, so only the first limit of each such group can be among
		 * the limit most urgent: the rest are read but not built. */
		buf_puts(&sql, ") ORDER BY procedure_id, step_no, sop_sha256, step_started_at, id");
		r = prepare_tasks(a, &sql, user, p, &v, &st, &next, e);
		buf_free(&sql);
	}
	free(p);
	if (r != 0) {
		case_viewer_free(&v);
		json_decref(held);
		return NULL;
	}
	json_t *all = json_array();
	int rc, in_group = 0;
	char group[256] = "";
	while ((rc = db_step(st, e)) == DB_ROW) {
		char key[256];
		snprintf(key, sizeof key, "%s/%lld/%s", db_col_text(st, 1),
		         (long long)db_col_int(st, 4), db_col_text(st, 2));
		if (strcmp(key, group) != 0) {
			snprintf(group, sizeof group, "%s", key);
			in_group = 0;
		}
		if (in_group >= limit)
			continue;
		json_t *t = task_of_row(a, st, user, held, false);
		if (t) {
			json_array_append_new(all, t);
			in_group++;
		}
	}
	db_finalize(st);
	int64_t n_unattended;
	if (rc >= 0 && unattended_red(a, user, &v, held, all, &n_unattended, e) != 0)
		rc = -1;
	case_viewer_free(&v);
	json_decref(held);
	if (rc < 0) {
		json_decref(all);
		return NULL;
	}
	size_t n = json_array_size(all);
	json_t **sorted = malloc((n ? n : 1) * sizeof *sorted);
	if (sorted == NULL)
		abort();
	for (size_t i = 0; i < n; i++)
		sorted[i] = json_array_get(all, i);
	qsort(sorted, n, sizeof *sorted, by_urgency);
	json_t *out = json_array();
	for (size_t i = 0; i < n && (int)i < limit; i++)
		json_array_append(out, sorted[i]);
	free(sorted);
	json_decref(all);
	return out;
}
