/*
 * exception_read.c: reading exceptions to the ISMS (exceptions.c writes
 * them; docs/exceptions.md): one whole, and the list by view.
 *
 * Sight is the risk register's: the CSIRT's staff read every exception,
 * an agen_siber those of its OPD, anyone else none ("not found", as for
 * one that does not exist). Step 5 of the SOP (the excepted system
 * watched while the exception is in force) reads the alerts raised on
 * its assets, and on the assets of its findings, since its approval.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/civil.h"
#include "case_row.h"
#include "col_json.h"
#include "controls.h"
#include "exception_int.h"

const char *const exception_views[] = {"berlaku", "segera", "kedaluwarsa", "diajukan", "semua",
                                       NULL};

enum { DAY = 86400, SOON_DAYS = 30, ALERTS_SHOWN = 50 };

static json_t *day_json(app *a, db_stmt *st, int col, int64_t shift)
{
	if (db_col_null(st, col))
		return json_null();
	char d[16];
	civil_format_day(db_col_int(st, col) + shift, a->cfg.cal.zone, d);
	return json_string(d);
}

#define EXC_COLUMNS                                                                                \
	"SELECT x.id, c.ticket, c.title, c.status, x.state, x.opd_id, o.abbrev, o.name, "          \
	"x.policy_clause, x.reason, x.compensating, x.requested_by, x.requested_until, "           \
	"x.starts_at, x.expires_at, x.decided_by, x.decided_at, x.decision_note, x.ended_at, "     \
	"x.ended_by, x.end_reason, x.replaces_id, x.created_at, x.updated_at, "                    \
	"(SELECT COUNT(*) FROM exception_items i WHERE i.exception_id = x.id AND i.kind = "       \
	"'finding'), (SELECT COUNT(*) FROM exception_risks r WHERE r.exception_id = x.id) "        \
	"FROM exceptions x JOIN cases c ON c.id = x.case_id LEFT JOIN opd o ON o.id = x.opd_id "

static json_t *row_json(app *a, db_stmt *st)
{
	int64_t now = app_now(a);
	json_t *o = json_pack(
	    "{s:I, s:{s:o, s:o, s:b}, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
	    "s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I}",
	    "id", (json_int_t)db_col_int(st, 0), "case", "ticket", col_json_text(st, 1), "title",
	    col_json_text(st, 2), "open", strcmp(db_col_text(st, 3), "open") == 0, "state",
	    col_json_text(st, 4), "opd",
	    db_col_null(st, 5) ? json_null()
	                       : json_pack("{s:I, s:o, s:o}", "id", (json_int_t)db_col_int(st, 5),
	                                   "abbrev", col_json_text(st, 6), "name",
	                                   col_json_text(st, 7)),
	    "policy_clause", col_json_text(st, 8), "reason", col_json_text(st, 9), "compensating",
	    col_json_text(st, 10), "requested_by", col_json_text(st, 11), "requested_until",
	    day_json(a, st, 12, 0), "starts", day_json(a, st, 13, 0), "until",
	    day_json(a, st, 14, -DAY), "decided_by", col_json_text(st, 15), "decided_at",
	    col_json_int(st, 16), "decision_note", col_json_text(st, 17), "ended_at",
	    col_json_int(st, 18), "ended_by", col_json_text(st, 19), "end_reason",
	    col_json_text(st, 20), "replaces", col_json_int(st, 21), "created_at",
	    (json_int_t)db_col_int(st, 22), "updated_at", (json_int_t)db_col_int(st, 23),
	    "findings_count", (json_int_t)db_col_int(st, 24), "risks_count",
	    (json_int_t)db_col_int(st, 25));
	const char *state = db_col_text(st, 4);
	if (!db_col_null(st, 14) &&
	    (strcmp(state, "berlaku") == 0 || strcmp(state, "disetujui") == 0)) {
		int64_t left = (db_col_int(st, 14) - now + DAY - 1) / DAY;
		json_object_set_new(o, "days_left", json_integer(left > 0 ? left : 0));
	}
	return o;
}

static json_t *controls_of(app *a, int64_t id, json_t **assets, json_t **findings, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT i.kind, i.ref, i.prior_state, i.taken_at IS NOT NULL, s.name, "
	                    "o.abbrev, f.title, f.severity, f.state FROM exception_items i LEFT JOIN "
	                    "assets s ON " ITEM_ASSET " LEFT JOIN opd o ON o.id = s.opd_id LEFT JOIN "
	                    "findings f ON " ITEM_FINDING " WHERE i.exception_id = ? ORDER BY "
	                    "i.kind, i.ref",
	                    "i", id) != 0)
		return NULL;
	json_t *ctl = json_array();
	*assets = json_array();
	*findings = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		const char *k = db_col_text(st, 0), *ref = db_col_text(st, 1);
		if (strcmp(k, "control") == 0) {
			const ctl_control *c = controls_find_ref(&a->ctls, ref);
			json_array_append_new(ctl, json_pack("{s:s, s:s?}", "ref", ref, "title",
			                                     c ? c->title : NULL));
		} else if (strcmp(k, "asset") == 0) {
			json_array_append_new(*assets,
			                      json_pack("{s:I, s:o, s:o}", "id",
			                                (json_int_t)strtoll(ref, NULL, 10), "name",
			                                col_json_text(st, 4), "opd", col_json_text(st, 5)));
		} else {
			json_array_append_new(
			    *findings,
			    json_pack("{s:I, s:o, s:o, s:o, s:o, s:b}", "id",
			              (json_int_t)strtoll(ref, NULL, 10), "title", col_json_text(st, 6),
			              "severity", col_json_text(st, 7), "state", col_json_text(st, 8),
			              "prior_state", col_json_text(st, 2), "held", db_col_int(st, 3) != 0));
		}
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(ctl);
		json_decref(*assets);
		json_decref(*findings);
		return NULL;
	}
	return ctl;
}

static json_t *risks_of(app *a, int64_t id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT r.id, r.title, r.likelihood, r.impact, r.residual_likelihood, "
	                    "r.residual_impact, r.status FROM exception_risks x JOIN risks r ON r.id "
	                    "= x.risk_id WHERE x.exception_id = ? ORDER BY r.id",
	                    "i", id) != 0)
		return NULL;
	const risk_matrix *m = &a->cfg.risk;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		int l = (int)db_col_int(st, 2), i = (int)db_col_int(st, 3);
		int v = risk_level(m, l, i);
		json_t *r = json_pack("{s:I, s:o, s:o, s:{s:i, s:s}}", "id",
		                      (json_int_t)db_col_int(st, 0), "title", col_json_text(st, 1),
		                      "status", col_json_text(st, 6), "inherent", "level", v, "name",
		                      v ? m->level[v - 1] : "?");
		if (db_col_null(st, 4)) {
			json_object_set_new(r, "residual", json_null());
		} else {
			int rv = risk_level(m, (int)db_col_int(st, 4), (int)db_col_int(st, 5));
			json_object_set_new(r, "residual", json_pack("{s:i, s:s}", "level", rv, "name",
			                                             rv ? m->level[rv - 1] : "?"));
		}
		json_array_append_new(out, r);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* The alerts raised on the exception's assets (its own and its
 * findings') since it was approved, newest first: {total, shown: [...]}. */
static json_t *alerts_since(app *a, int64_t id, int64_t since, sg_err *e)
{
	static const char where[] =
	    "FROM alerts WHERE last_seen >= ? AND asset_id IN (SELECT s.id FROM exception_items i "
	    "JOIN assets s ON " ITEM_ASSET " WHERE i.exception_id = ? AND i.kind = 'asset' UNION "
	    "SELECT f.asset_id FROM exception_items i JOIN findings f ON " ITEM_FINDING " WHERE "
	    "i.exception_id = ? AND i.kind = 'finding' AND f.asset_id IS NOT NULL)";
	int64_t total = 0;
	char sql[800];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) %s", where);
	if (db_query_int(a->db, e, &total, sql, "iii", since, id, id) != DB_ROW)
		return NULL;
	snprintf(sql, sizeof sql,
	         "SELECT id, title, level, asset, first_seen, last_seen, count, status %s ORDER BY "
	         "last_seen DESC, id DESC LIMIT %d",
	         where, ALERTS_SHOWN);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, sql, "iii", since, id, id) != 0)
		return NULL;
	json_t *shown = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(
		    shown, json_pack("{s:I, s:o, s:o, s:o, s:I, s:I, s:I, s:o}", "id",
		                     (json_int_t)db_col_int(st, 0), "title", col_json_text(st, 1),
		                     "level", col_json_text(st, 2), "asset", col_json_text(st, 3),
		                     "first_seen", (json_int_t)db_col_int(st, 4), "last_seen",
		                     (json_int_t)db_col_int(st, 5), "count",
		                     (json_int_t)db_col_int(st, 6), "status", col_json_text(st, 7)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(shown);
		return NULL;
	}
	return json_pack("{s:I, s:I, s:o}", "since", (json_int_t)since, "total", (json_int_t)total,
	                 "shown", shown);
}

/* The sight condition of an agen_siber ("" for the staff). */
#define OPD_SIGHT " AND x.opd_id = ?"

json_t *exception_get(app *a, const char *viewer, int64_t id, sg_err *e)
{
	exception_scope s;
	if (exception_scope_of(a, viewer, &s, e) != 0)
		return NULL;
	if (!s.read_all && s.opd_id == 0) {
		sg_err_set(e, SG_ENOTFOUND, "no exception %lld", (long long)id);
		return NULL;
	}
	db_stmt *st;
	int rc = s.read_all
	             ? db_prepare_bind(a->db, &st, e, EXC_COLUMNS "WHERE x.id = ?", "i", id)
	             : db_prepare_bind(a->db, &st, e, EXC_COLUMNS "WHERE x.id = ?" OPD_SIGHT, "ii",
	                               id, s.opd_id);
	if (rc != 0)
		return NULL;
	json_t *o = NULL;
	int64_t decided = 0;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		o = row_json(a, st);
		const char *state = db_col_text(st, 4);
		if (strcmp(state, "ditolak") != 0 && strcmp(state, "diajukan") != 0)
			decided = db_col_int(st, 16);
	}
	db_finalize(st);
	if (rc == DB_DONE)
		sg_err_set(e, SG_ENOTFOUND, "no exception %lld", (long long)id);
	if (o == NULL)
		return NULL;
	json_t *assets = NULL, *findings = NULL;
	json_t *ctl = controls_of(a, id, &assets, &findings, e), *risks = NULL, *alerts = NULL,
	       *h = NULL;
	char object[40];
	snprintf(object, sizeof object, "exception:%lld", (long long)id);
	int64_t replaced_by = 0;
	if (ctl == NULL || (risks = risks_of(a, id, e)) == NULL ||
	    (decided && (alerts = alerts_since(a, id, decided, e)) == NULL) ||
	    (h = logbook_list(a, object, 100, NULL, e)) == NULL ||
	    db_query_int(a->db, e, &replaced_by,
	                 "SELECT COALESCE(MAX(id), 0) FROM exceptions WHERE replaces_id = ?", "i",
	                 id) != DB_ROW) {
		json_decref(o);
		json_decref(ctl);
		json_decref(assets);
		json_decref(findings);
		json_decref(risks);
		json_decref(alerts);
		json_decref(h);
		return NULL;
	}
	json_object_set_new(o, "controls", ctl);
	json_object_set_new(o, "assets", assets);
	json_object_set_new(o, "findings", findings);
	json_object_set_new(o, "risks", risks);
	json_object_set_new(o, "alerts", alerts ? alerts : json_null());
	json_object_set_new(o, "history", h);
	json_object_set_new(o, "replaced_by", replaced_by ? json_integer(replaced_by) : json_null());
	const char *state = json_string_value(json_object_get(o, "state"));
	bool approved = strcmp(state, "berlaku") == 0 || strcmp(state, "disetujui") == 0;
	json_object_set_new(o, "may_change", json_boolean(s.change && approved));
	json_object_set_new(o, "may_revoke", json_boolean(s.revoke && approved));
	return o;
}

/* The condition of a view. */
static const char *view_sql(const char *view)
{
	if (strcmp(view, "berlaku") == 0)
		return " AND x.state = 'berlaku'";
	if (strcmp(view, "segera") == 0)
		return " AND x.state IN ('berlaku', 'disetujui') AND x.expires_at <= ?";
	if (strcmp(view, "kedaluwarsa") == 0)
		return " AND x.state = 'kedaluwarsa'";
	if (strcmp(view, "diajukan") == 0)
		return " AND x.state = 'diajukan'";
	return "";
}

json_t *exception_list(app *a, const char *viewer, const char *view, sg_err *e)
{
	exception_scope s;
	if (exception_scope_of(a, viewer, &s, e) != 0)
		return NULL;
	if (view == NULL || *view == '\0')
		view = "berlaku";
	size_t v;
	for (v = 0; exception_views[v] && strcmp(exception_views[v], view) != 0; v++)
		;
	if (exception_views[v] == NULL) {
		sg_err_set(e, SG_EINVAL,
		           "unknown view '%s' (berlaku, segera, kedaluwarsa, diajukan, semua)", view);
		return NULL;
	}
	int64_t soon = app_now(a) + SOON_DAYS * DAY;
	json_t *rows = json_array(), *counts = json_object();
	/* each view's count, then the rows of the one asked (k == n: the
	 * list) */
	size_t n_views = 0;
	while (exception_views[n_views])
		n_views++;
	for (size_t k = 0; k <= n_views && (s.read_all || s.opd_id); k++) {
		bool listed = k == n_views;
		const char *w = listed ? exception_views[v] : exception_views[k];
		buf sql = BUF_INIT;
		buf_puts(&sql, listed ? EXC_COLUMNS : "SELECT COUNT(*) FROM exceptions x ");
		buf_puts(&sql, "WHERE 1 = 1");
		buf_puts(&sql, view_sql(w));
		if (!s.read_all)
			buf_puts(&sql, OPD_SIGHT);
		if (listed)
			buf_puts(&sql, strcmp(w, "semua") == 0 || strcmp(w, "kedaluwarsa") == 0
			                   ? " ORDER BY x.updated_at DESC, x.id DESC LIMIT 500"
			                   : " ORDER BY x.expires_at, x.id LIMIT 500");
		db_stmt *st;
		int rc = db_prepare(a->db, buf_str(&sql), &st, e);
		buf_free(&sql);
		if (rc != 0)
			goto fail;
		int b = 1;
		if (strcmp(w, "segera") == 0)
			db_bind_int(st, b++, soon);
		if (!s.read_all)
			db_bind_int(st, b++, s.opd_id);
		while ((rc = db_step(st, e)) == DB_ROW) {
			if (listed)
				json_array_append_new(rows, row_json(a, st));
			else
				json_object_set_new(counts, w, json_integer(db_col_int(st, 0)));
		}
		db_finalize(st);
		if (rc < 0)
			goto fail;
	}
	for (size_t k = 0; k < n_views; k++)
		if (json_object_get(counts, exception_views[k]) == NULL)
			json_object_set_new(counts, exception_views[k], json_integer(0));
	return json_pack("{s:s, s:o, s:o, s:b}", "view", exception_views[v], "exceptions", rows,
	                 "counts", counts, "may_change", s.change);
fail:
	json_decref(rows);
	json_decref(counts);
	return NULL;
}
