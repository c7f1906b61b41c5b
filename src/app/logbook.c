/*
 * logbook.c: the logbook keamanan siber, a hash chain in the database.
 *
 * Every change sigap makes appends one entry in the same transaction as
 * the change: sequence, instant, actor, action, object, details (JSON) and
 * the previous entry's hash. The entry's hash is SHA-256 over its
 * canonical form, the compact JSON array
 *   [seq, at, actor, action, object, details, prev_hash]
 * (details as the stored text), so changing any stored byte of any entry,
 * or removing or reordering entries, breaks the chain from there on, and
 * `sigap logbook verify` names the first broken entry. Cutting entries off
 * the end leaves a shorter valid chain: the head hash that verify prints
 * is what an officer records outside sigap (in the monthly report) to
 * detect that too.
 *
 * Appending reads the last entry and writes the next in the caller's
 * write transaction (BEGIN IMMEDIATE), so appends are serialised.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/buf.h"
#include "base/hash.h"

static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

static void entry_hash(int64_t seq, int64_t at, const char *actor, const char *action,
		       const char *object, const char *details, const char *prev, char out[65])
{
	json_t *arr = json_pack("[I, I, s, s, s, s, s]", (json_int_t)seq, (json_int_t)at, actor, action,
				object, details, prev);
	char *canon = json_dumps(arr, JSON_COMPACT);
	sha256_hex(canon, strlen(canon), out);
	free(canon);
	json_decref(arr);
}

int logbook_append(app *a, const char *actor, const char *action, const char *object,
		   json_t *details, sg_err *e)
{
	json_t *empty = NULL;
	if (details == NULL)
		details = empty = json_object();
	char *text = json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(empty);
	if (text == NULL)
		return sg_err_set(e, SG_EINVAL, "logbook details are not JSON");

	int64_t seq = 1;
	char prev[65];
	memcpy(prev, genesis, sizeof prev);
	db_stmt *st;
	int r = -1;
	/* one chain whatever the number of nodes: the last entry read and
	 * the next written while no other writer can append (db_serialize;
	 * an append outside a caller's transaction has one of its own) */
	bool own_tx = !db_in_tx(a->db);
	if (own_tx && db_begin(a->db, e) != 0)
		goto out;
	if (db_serialize(a->db, "logbook", e) != 0 ||
	    db_prepare(a->db, "SELECT seq, hash FROM logbook ORDER BY seq DESC LIMIT 1", &st, e) != 0)
		goto out;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		seq = db_col_int(st, 0) + 1;
		snprintf(prev, sizeof prev, "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	if (rc < 0)
		goto out;
	int64_t at = app_now(a);
	char hash[65];
	entry_hash(seq, at, actor, action, object, text, prev, hash);
	r = db_run(a->db, e,
		   "INSERT INTO logbook (seq, at, actor, action, object, details, prev_hash, hash) "
		   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		   "iissssss", seq, at, actor, action, object, text, prev, hash);
	if (own_tx && r == 0)
		r = db_commit(a->db, e);
out:
	if (own_tx && r != 0)
		db_rollback(a->db);
	free(text);
	return r;
}

int logbook_verify(app *a, logbook_report *rep, sg_err *e)
{
	memset(rep, 0, sizeof *rep);
	memcpy(rep->head, genesis, sizeof rep->head);
	db_stmt *st;
	if (db_prepare(a->db,
		       "SELECT seq, at, actor, action, object, details, prev_hash, hash "
		       "FROM logbook ORDER BY seq",
		       &st, e) != 0)
		return -1;
	int64_t expect = 1;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		int64_t seq = db_col_int(st, 0);
		const char *cols[6];
		for (int i = 0; i < 6; i++) {
			cols[i] = db_col_text(st, i + 2);
			if (cols[i] == NULL)
				cols[i] = "";
		}
		char hash[65];
		entry_hash(seq, db_col_int(st, 1), cols[0], cols[1], cols[2], cols[3], cols[4], hash);
		if (seq != expect)
			snprintf(rep->reason, sizeof rep->reason,
				 "entry %lld is missing: the sequence jumps from %lld to %lld",
				 (long long)expect, (long long)expect - 1, (long long)seq);
		else if (strcmp(cols[4], rep->head) != 0)
			snprintf(rep->reason, sizeof rep->reason,
				 "its previous hash does not match entry %lld", (long long)seq - 1);
		else if (strcmp(cols[5], hash) != 0)
			snprintf(rep->reason, sizeof rep->reason,
				 "its content was changed: the stored hash does not match");
		if (rep->reason[0]) {
			rep->broken_seq = seq != expect ? expect : seq;
			db_finalize(st);
			return sg_err_set(e, SG_EINTEGRITY, "logbook broken at entry %lld: %s",
					  (long long)rep->broken_seq, rep->reason);
		}
		snprintf(rep->head, sizeof rep->head, "%s", hash);
		rep->entries++;
		expect++;
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

json_t *logbook_list(app *a, const char *object, int limit, const char *viewer, sg_err *e)
{
	logbook_filter f = {.object = object, .limit = limit, .viewer = viewer};
	return logbook_query(a, &f, NULL, e);
}

/* The WHERE clause of a filter, with only the conditions given, and its
 * text and integer parameters in order; the need-to-know condition last. */
typedef struct logbook_where {
	buf sql;
	const char *text[2];
	int64_t num[2];
	char kind[8];
	int n;
} logbook_where;

static void where_build(const logbook_filter *f, const case_viewer *v, logbook_where *w)
{
	memset(w, 0, sizeof *w);
	buf_puts(&w->sql, " WHERE 1 = 1");
	int t = 0, k = 0;
	if (f->actor && *f->actor) {
		buf_puts(&w->sql, " AND actor = ?");
		w->text[t++] = f->actor;
		w->kind[w->n++] = 's';
	}
	if (f->kind && *f->kind) { /* "case" takes case.step, case.close, … */
		buf_puts(&w->sql, " AND (action = ? OR substr(action, 1, length(CAST(? AS TEXT)) + 1) = ? || '.')");
		for (int i = 0; i < 3; i++)
			w->kind[w->n++] = 'k'; /* bound from f->kind */
	}
	if (f->object && *f->object) {
		buf_puts(&w->sql, " AND object = ?");
		w->text[t++] = f->object;
		w->kind[w->n++] = 's';
	}
	if (f->from) {
		buf_puts(&w->sql, " AND at >= ?");
		w->num[k++] = f->from;
		w->kind[w->n++] = 'i';
	}
	if (f->to) {
		buf_puts(&w->sql, " AND at <= ?");
		w->num[k++] = f->to;
		w->kind[w->n++] = 'i';
	}
	/* The logbook is the team's: entries on a case only for CSIRT staff who
	 * see the case; the others (sign-ins, accounts, tokens, indicators)
	 * for CSIRT staff and administrators; nothing for an outside actor. */
	if (!v->all) {
		buf_puts(&w->sql, " AND ((object NOT LIKE 'case:%' AND ? = 1) OR (? = 1 AND EXISTS (SELECT 1 FROM "
		                  "cases c WHERE c.ticket = substr(logbook.object, 6) AND ");
		buf_puts(&w->sql, CASE_VISIBLE_SQL);
		buf_puts(&w->sql, ")))");
	}
}

/* Binds the parameters from 1; returns the next index, or -1. */
static int where_bind(db_stmt *st, const logbook_where *w, const logbook_filter *f,
                      const case_viewer *v)
{
	int t = 0, k = 0;
	for (int i = 0; i < w->n; i++) {
		int r;
		switch (w->kind[i]) {
		case 'k': r = db_bind_text(st, i + 1, f->kind); break;
		case 's': r = db_bind_text(st, i + 1, w->text[t++]); break;
		default: r = db_bind_int(st, i + 1, w->num[k++]); break;
		}
		if (r != 0)
			return -1;
	}
	int next = w->n + 1;
	if (!v->all) { /* staff or admin, staff, then CASE_VISIBLE_SQL's three */
		if (db_bind_int(st, next, v->csirt || v->admin) != 0 ||
		    db_bind_int(st, next + 1, v->csirt) != 0 || case_visible_bind(st, next + 2, v) != 0)
			return -1;
		next += 5;
	}
	return next;
}

json_t *logbook_query(app *a, const logbook_filter *f, int64_t *total, sg_err *e)
{
	case_viewer v;
	if (case_viewer_load(a, f->viewer, &v, e) != 0)
		return NULL;
	logbook_where w;
	where_build(f, &v, &w);
	buf sql = BUF_INIT;
	db_stmt *st;
	json_t *out = NULL;
	if (total) {
		buf_puts(&sql, "SELECT COUNT(*) FROM logbook");
		buf_puts(&sql, buf_str(&w.sql));
		if (db_prepare(a->db, buf_str(&sql), &st, e) != 0)
			goto done;
		if (where_bind(st, &w, f, &v) < 0) {
			db_finalize(st);
			sg_err_set(e, SG_EDB, "cannot bind the logbook filter");
			goto done;
		}
		int rc = db_step(st, e);
		*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
		db_finalize(st);
		if (rc != DB_ROW)
			goto done;
		buf_reset(&sql);
	}
	buf_puts(&sql, "SELECT seq, at, actor, action, object, details, hash FROM logbook");
	buf_puts(&sql, buf_str(&w.sql));
	buf_puts(&sql, " ORDER BY seq DESC LIMIT ? OFFSET ?");
	if (db_prepare(a->db, buf_str(&sql), &st, e) != 0)
		goto done;
	int next = where_bind(st, &w, f, &v);
	if (next < 0 || db_bind_int(st, next, f->limit > 0 ? f->limit : 100) != 0 ||
	    db_bind_int(st, next + 1, f->offset > 0 ? f->offset : 0) != 0) {
		db_finalize(st);
		sg_err_set(e, SG_EDB, "cannot bind the logbook filter");
		goto done;
	}
	out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_t *details = json_loads(db_col_text(st, 5), 0, NULL);
		json_array_append_new(out, json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:s}", "seq",
						     (json_int_t)db_col_int(st, 0), "at",
						     (json_int_t)db_col_int(st, 1), "actor", db_col_text(st, 2),
						     "action", db_col_text(st, 3), "object", db_col_text(st, 4),
						     "details", details ? details : json_null(), "hash",
						     db_col_text(st, 6)));
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		out = NULL;
	}
done:
	case_viewer_free(&v);
	buf_free(&sql);
	buf_free(&w.sql);
	return out;
}

int logbook_record(app *a, const char *actor, const char *action, const char *kind,
		   const char *id, json_t *details, sg_err *e)
{
	char object[160];
	snprintf(object, sizeof object, "%s:%s", kind, id);
	int r = logbook_append(a, actor, action, object, details, e);
	json_decref(details);
	return r;
}
