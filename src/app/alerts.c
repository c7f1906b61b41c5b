/*
 * alerts.c: alerts raised by detection, and their triage.
 *
 * Detection calls alert_record for each match, inside a transaction the
 * caller batches (a live input writes many a second). A match folds into
 * the undecided alert of the same fold key seen within the window, else
 * it opens a new one; either way the hour's hit count of its rule or
 * indicator grows. Triage is the officer's: a status with a reason, and
 * "open a case", which starts a case of the CTI SOP with the alerts
 * linked. Decisions and cases are written to the logbook; raising alerts
 * is not, since a machine raises them by the thousand.
 *
 * An alert belongs to cases through alert_cases rows: the CTI case that
 * triages it, and the cases that case hands over to (case_handover.c). The
 * CTI case's verdict (a branch with alerts: in the SOP) decides its
 * alerts in the step's own transaction (alert_case_verdict).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "col_json.h"

static const char *const statuses[] = {"new", "triage", "false_positive", "true_positive", NULL};
static const char *const levels[] = {"informational", "low", "medium", "high", "critical", NULL};

bool alert_status_valid(const char *s)
{
	for (int i = 0; s && statuses[i]; i++)
		if (strcmp(s, statuses[i]) == 0)
			return true;
	return false;
}

bool alert_may_triage(const json_t *roles)
{
	size_t i;
	const json_t *r;
	json_array_foreach(roles, i, r) {
		const char *s = json_string_value(r);
		if (s && (strcmp(s, "ttis") == 0 || strcmp(s, "kabid") == 0))
			return true;
	}
	return false;
}

/* The actor must hold a role of triage. */
static int check_triage(app *a, const char *actor, sg_err *e)
{
	json_t *roles = user_roles(a, actor, e);
	if (roles == NULL)
		return -1;
	bool ok = alert_may_triage(roles);
	json_decref(roles);
	return ok ? 0 : sg_err_set(e, SG_EPERM, "%s may not triage alerts (roles ttis, kabid)", actor);
}

static bool level_valid(const char *s)
{
	for (int i = 0; s && levels[i]; i++)
		if (strcmp(s, levels[i]) == 0)
			return true;
	return false;
}

static const char ALERT_INSERT[] =
    "INSERT INTO alerts (kind, rule_id, indicator_id, title, level, tags, indicators, fold_key, "
    "asset, source_ip, first_seen, last_seen, event, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int alert_record(app *a, const alert_in *in, int64_t window, alert_out *out, sg_err *e)
{
	const char *level = level_valid(in->level) ? in->level : "medium";
	char key[600];
	if (strcmp(in->kind, "rule") == 0)
		snprintf(key, sizeof key, "rule:%s|%s|%s", in->rule_id ? in->rule_id : in->title,
		         in->asset ? in->asset : "", in->source_ip ? in->source_ip : "");
	else /* the title names the indicator's type and value */
		snprintf(key, sizeof key, "indicator:%.400s|%s|%s", in->title,
		         in->asset ? in->asset : "", in->source_ip ? in->source_ip : "");
	int64_t at = in->at, id = 0;
	int r = db_query_int(a->db, e, &id,
	                     "SELECT id FROM alerts WHERE fold_key = ? AND status IN ('new', 'triage') "
	                     "AND last_seen >= ? ORDER BY last_seen DESC LIMIT 1",
	                     "si", key, at - window);
	if (r < 0)
		return -1;
	out->folded = r == DB_ROW;
	if (out->folded) {
		if (db_run(a->db, e,
		           "UPDATE alerts SET count = count + 1, "
		           "last_seen = CASE WHEN last_seen < ? THEN ? ELSE last_seen END WHERE id = ?",
		           "iii", at, at, id) != 0)
			return -1;
	} else {
		char *tags = in->tags ? json_dumps(in->tags, JSON_COMPACT) : NULL;
		char *iocs = in->indicators && json_array_size(in->indicators)
		                 ? json_dumps(in->indicators, JSON_COMPACT)
		                 : NULL;
		char *event = json_dumps(in->event, JSON_COMPACT);
		/* indicator_id is NULL for a rule: 'n' binds NULL and takes no argument */
		r = in->indicator_id
		        ? db_query_int(a->db, e, &id, ALERT_INSERT, "ssisssssssiisi", in->kind,
		                       in->rule_id, in->indicator_id, in->title, level, tags, iocs, key,
		                       in->asset, in->source_ip, at, at, event ? event : "{}",
		                       app_now(a))
		        : db_query_int(a->db, e, &id, ALERT_INSERT, "ssnsssssssiisi", in->kind,
		                       in->rule_id, in->title, level, tags, iocs, key, in->asset,
		                       in->source_ip, at, at, event ? event : "{}", app_now(a));
		free(tags);
		free(iocs);
		free(event);
		if (r != DB_ROW)
			return -1;
	}
	out->id = id;
	char ref[300];
	if (strcmp(in->kind, "rule") == 0)
		snprintf(ref, sizeof ref, "rule:%s", in->rule_id ? in->rule_id : in->title);
	else if (in->indicator_id)
		snprintf(ref, sizeof ref, "indicator:%lld", (long long)in->indicator_id);
	else
		return 0; /* an indicator read from a file has no page to chart it */
	return db_run(a->db, e,
	              "INSERT INTO detect_hits (ref, hour, hits) VALUES (?, ?, 1) "
	              "ON CONFLICT (ref, hour) DO UPDATE SET hits = detect_hits.hits + 1",
	              "si", ref, at - ((at % 3600) + 3600) % 3600);
}

/* Column 17 is the case that took the alert in (its first link), 18 the
 * case whose verdict decided it: both ids, told to a viewer by
 * alert_row only as far as it may see them. */
static const char ALERT_COLS[] =
    "a.id, a.kind, a.rule_id, a.indicator_id, a.title, a.level, a.tags, a.indicators, a.asset, "
    "a.source_ip, a.first_seen, a.last_seen, a.count, a.status, a.reason, a.decided_by, "
    "a.decided_at, (SELECT ac.case_id FROM alert_cases ac WHERE ac.alert_id = a.id "
    "ORDER BY ac.linked_at, ac.case_id LIMIT 1), a.reason_case";

/* What v sees of the case numbered id, and its ticket (ticket_n bytes). */
static int sight_by_id(app *a, const case_viewer *v, int64_t id, case_sight *sight, char *ticket,
                       size_t ticket_n, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT ticket, procedure_id, tlp FROM cases WHERE id = ?",
	                    "i", id) != 0)
		return -1;
	int rc = db_step(st, e);
	*sight = CASE_SEE_NONE;
	if (rc == DB_ROW) {
		snprintf(ticket, ticket_n, "%s", db_col_text(st, 0));
		rc = case_sight_of(a, v, id, db_col_text(st, 1),
		                   db_col_null(st, 2) ? NULL : db_col_text(st, 2), sight, e);
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* One alert as v may see it: "case" is its first case if v may know it;
 * a reason written by a case's verdict is that case's report, shown only
 * to who sees the case whole ("reason_case" names it then), otherwise
 * withheld ("reason_withheld": true). */
static json_t *alert_row(app *a, const case_viewer *v, db_stmt *st, sg_err *e)
{
	json_t *r = json_pack("{s:I, s:s, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:s, "
	                      "s:o, s:o, s:o, s:n}",
	                      "id", (json_int_t)db_col_int(st, 0), "kind", db_col_text(st, 1), "rule_id",
	                      col_json_text(st, 2), "indicator_id", col_json_int(st, 3), "title",
	                      db_col_text(st, 4), "level", db_col_text(st, 5), "tags", col_json_doc(st, 6),
	                      "indicators", col_json_doc(st, 7), "asset", col_json_text(st, 8),
	                      "source_ip", col_json_text(st, 9), "first_seen",
	                      (json_int_t)db_col_int(st, 10), "last_seen", (json_int_t)db_col_int(st, 11),
	                      "count", (json_int_t)db_col_int(st, 12), "status", db_col_text(st, 13),
	                      "reason", col_json_text(st, 14), "decided_by", col_json_text(st, 15),
	                      "decided_at", col_json_int(st, 16), "case");
	char ticket[64];
	case_sight sight;
	if (!db_col_null(st, 17)) {
		if (sight_by_id(a, v, db_col_int(st, 17), &sight, ticket, sizeof ticket, e) != 0)
			goto fail;
		if (sight != CASE_SEE_NONE)
			json_object_set_new(r, "case", json_string(ticket));
	}
	if (!db_col_null(st, 18)) {
		if (sight_by_id(a, v, db_col_int(st, 18), &sight, ticket, sizeof ticket, e) != 0)
			goto fail;
		if (sight == CASE_SEE_FULL) {
			json_object_set_new(r, "reason_case", json_string(ticket));
		} else {
			json_object_set_new(r, "reason", json_null());
			json_object_set_new(r, "reason_withheld", json_true());
		}
	}
	return r;
fail:
	json_decref(r);
	return NULL;
}

/* Rows of st as v may see them (alert_row), or NULL with e set. */
static json_t *alert_rows(app *a, const case_viewer *v, db_stmt *st, sg_err *e)
{
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_t *r = alert_row(a, v, st, e);
		if (r == NULL) {
			rc = -1;
			break;
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

json_t *alert_list(app *a, const alert_filter *f, int64_t *total, sg_err *e)
{
	if (f->status && !alert_status_valid(f->status)) {
		sg_err_set(e, SG_EINVAL, "unknown alert status \"%s\"", f->status);
		return NULL;
	}
	if (f->level && !level_valid(f->level)) {
		sg_err_set(e, SG_EINVAL, "unknown alert level \"%s\"", f->level);
		return NULL;
	}
	static const char where[] =
	    " FROM alerts a "
	    "WHERE (? IS NULL OR a.status = ?) AND (? IS NULL OR a.level = ?) "
	    "AND (? IS NULL OR a.rule_id = ?) AND (? = 0 OR a.indicator_id = ?) "
	    "AND (? IS NULL OR a.asset = ?) AND a.last_seen >= ?";
	char sql[1600];
	if (total) {
		snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", where);
		if (db_query_int(a->db, e, total, sql, "ssssssiissi", f->status, f->status, f->level,
		                 f->level, f->rule_id, f->rule_id, f->indicator_id, f->indicator_id,
		                 f->asset, f->asset, f->since) < 0)
			return NULL;
	}
	snprintf(sql, sizeof sql, "SELECT %s%s ORDER BY a.last_seen DESC, a.id DESC LIMIT ? OFFSET ?",
	         ALERT_COLS, where);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, sql, "ssssssiissiii", f->status, f->status, f->level,
	                    f->level, f->rule_id, f->rule_id, f->indicator_id, f->indicator_id,
	                    f->asset, f->asset, f->since, (int64_t)(f->limit > 0 ? f->limit : 50),
	                    (int64_t)(f->offset > 0 ? f->offset : 0)) != 0)
		return NULL;
	case_viewer v;
	if (case_viewer_load(a, f->viewer, &v, e) != 0) {
		db_finalize(st);
		return NULL;
	}
	json_t *out = alert_rows(a, &v, st, e);
	case_viewer_free(&v);
	return out;
}

/* The cases an alert is linked to that v may see, oldest link first. */
static json_t *cases_of(app *a, int64_t id, const case_viewer *v, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT c.ticket, c.title, c.status, c.procedure_id, ac.linked_at, "
	                    "ac.linked_by, c.id, c.tlp FROM alert_cases ac "
	                    "JOIN cases c ON c.id = ac.case_id "
	                    "WHERE ac.alert_id = ? ORDER BY ac.linked_at, c.id",
	                    "i", id) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		case_sight sight;
		if (case_sight_of(a, v, db_col_int(st, 6), db_col_text(st, 3),
		                  db_col_null(st, 7) ? NULL : db_col_text(st, 7), &sight, e) != 0) {
			rc = -1;
			break;
		}
		if (sight == CASE_SEE_NONE)
			continue;
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "ticket",
		                                     db_col_text(st, 0), "title", db_col_text(st, 1),
		                                     "status", db_col_text(st, 2), "procedure",
		                                     db_col_text(st, 3), "linked_at",
		                                     (json_int_t)db_col_int(st, 4), "linked_by",
		                                     db_col_text(st, 5)));
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* A correlation's member events (raise.c stores them by time, rule and
 * member alert): each with its alert's title, asset, source address and
 * the start of its first event, so the page shows what made it fire.
 * O(members), one lookup each. */
static int correlation_members(app *a, json_t *event, sg_err *e)
{
	json_t *members = json_object_get(json_object_get(event, "correlation"), "members");
	size_t i;
	json_t *m;
	json_array_foreach(members, i, m) {
		json_int_t id = json_integer_value(json_object_get(m, "alert"));
		if (id <= 0)
			continue;
		db_stmt *st;
		if (db_prepare_bind(a->db, &st, e,
		                    "SELECT title, asset, source_ip, substr(json_extract(event, '$.raw'), "
		                    "1, 300) FROM alerts WHERE id = ?",
		                    "i", (int64_t)id) != 0)
			return -1;
		int rc = db_step(st, e);
		if (rc == DB_ROW)
			json_object_set_new(m, "alert_detail",
			                    json_pack("{s:s, s:o, s:o, s:o}", "title", db_col_text(st, 0),
			                              "asset", col_json_text(st, 1), "source_ip",
			                              col_json_text(st, 2), "raw", col_json_text(st, 3)));
		db_finalize(st);
		if (rc < 0)
			return -1;
	}
	return 0;
}

json_t *alert_get(app *a, int64_t id, const char *viewer, sg_err *e)
{
	char sql[800];
	snprintf(sql, sizeof sql, "SELECT %s, a.event FROM alerts a WHERE a.id = ?", ALERT_COLS);
	case_viewer v;
	if (case_viewer_load(a, viewer, &v, e) != 0)
		return NULL;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, sql, "i", id) != 0) {
		case_viewer_free(&v);
		return NULL;
	}
	json_t *out = NULL;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		out = alert_row(a, &v, st, e);
		if (out)
			json_object_set_new(out, "event", col_json_doc(st, 19));
	} else if (rc == DB_DONE) {
		sg_err_set(e, SG_ENOTFOUND, "no alert %lld", (long long)id);
	}
	db_finalize(st);
	if (out == NULL) {
		case_viewer_free(&v);
		return NULL;
	}
	json_t *cases = cases_of(a, id, &v, e);
	case_viewer_free(&v);
	if (cases == NULL || correlation_members(a, json_object_get(out, "event"), e) != 0) {
		json_decref(cases);
		json_decref(out);
		return NULL;
	}
	json_object_set_new(out, "cases", cases);
	return out;
}

json_t *alert_list_case(app *a, int64_t case_id, const case_viewer *v, sg_err *e)
{
	char sql[900];
	snprintf(sql, sizeof sql,
	         "SELECT %s FROM alert_cases l JOIN alerts a ON a.id = l.alert_id "
	         "WHERE l.case_id = ? ORDER BY a.id",
	         ALERT_COLS);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, sql, "i", case_id) != 0)
		return NULL;
	static const case_viewer owner = {.all = true};
	return alert_rows(a, v ? v : &owner, st, e);
}

int alert_case_verdict(app *a, int64_t case_id, const char *ticket, const char *status,
                       const char *reason, const char *actor, sg_err *e)
{
	assert(strcmp(status, "true_positive") == 0 || strcmp(status, "false_positive") == 0);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT a.id, a.status FROM alert_cases l JOIN alerts a ON a.id = l.alert_id "
	                    "WHERE l.case_id = ? AND a.status <> ? ORDER BY a.id",
	                    "is", case_id, status) != 0)
		return -1;
	json_t *todo = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(todo, json_pack("[I, s]", (json_int_t)db_col_int(st, 0),
		                                      db_col_text(st, 1)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(todo);
		return -1;
	}
	size_t i;
	json_t *t;
	json_array_foreach(todo, i, t) {
		int64_t id = json_integer_value(json_array_get(t, 0));
		char oid[32];
		snprintf(oid, sizeof oid, "%lld", (long long)id);
		if (db_run(a->db, e,
		           "UPDATE alerts SET status = ?, reason = ?, decided_by = ?, decided_at = ?, "
		           "reason_case = ? WHERE id = ?",
		           "sssiii", status, reason, actor, app_now(a), case_id, id) != 0 ||
		    logbook_record(a, actor, "alert.decide", "alert", oid,
		                   json_pack("{s:s, s:s, s:s}", "from",
		                             json_string_value(json_array_get(t, 1)), "to", status,
		                             "case", ticket), /* the reason is the case's */
		                   e) != 0) {
			rc = -1;
			break;
		}
	}
	json_decref(todo);
	return rc < 0 ? -1 : 0;
}

int alert_decide(app *a, const char *actor, int64_t id, const char *status, const char *reason,
                 sg_err *e)
{
	if (!alert_status_valid(status) || strcmp(status, "new") == 0)
		return sg_err_set(e, SG_EINVAL,
		                  "an alert is decided as triage, false_positive or true_positive, "
		                  "not \"%s\"",
		                  status ? status : "");
	bool final = strcmp(status, "triage") != 0;
	if (final && (reason == NULL || strlen(reason) < 3))
		return sg_err_set(e, SG_EINVAL, "a decision of %s needs a reason", status);
	if (reason && strlen(reason) > 4000)
		return sg_err_set(e, SG_EINVAL, "a reason is at most 4000 characters");
	if (check_triage(a, actor, e) != 0)
		return -1;
	if (db_begin(a->db, e) != 0)
		return -1;
	char *old = NULL;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT status FROM alerts WHERE id = ?", "i", id) != 0)
		goto fail;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		old = strdup(db_col_text(st, 0));
	db_finalize(st);
	if (rc == DB_DONE)
		sg_err_set(e, SG_ENOTFOUND, "no alert %lld", (long long)id);
	if (old == NULL)
		goto fail;
	if (db_run(a->db, e,
	           "UPDATE alerts SET status = ?, reason = ?, decided_by = ?, decided_at = ?, "
	           "reason_case = NULL "
	           "WHERE id = ?",
	           "sssii", status, reason, actor, app_now(a), id) != 0)
		goto fail;
	char oid[32];
	snprintf(oid, sizeof oid, "%lld", (long long)id);
	if (logbook_record(a, actor, "alert.decide", "alert", oid,
	                   json_pack("{s:s, s:s, s:s?}", "from", old, "to", status, "reason", reason),
	                   e) != 0)
		goto fail;
	free(old);
	return db_commit(a->db, e);
fail:
	free(old);
	db_rollback(a->db);
	return -1;
}

int alert_open_case(app *a, const char *actor, const int64_t *ids, size_t n, const char *origin,
                    char ticket[32], sg_err *e)
{
	if (n == 0 || n > 500)
		return sg_err_set(e, SG_EINVAL, "open a case for 1 to 500 alerts");
	if (check_triage(a, actor, e) != 0)
		return -1;
	json_t *first = alert_get(a, ids[0], NULL, e);
	if (first == NULL)
		return -1;
	for (size_t i = 1; i < n; i++) {
		int64_t found = 0;
		if (db_query_int(a->db, e, &found, "SELECT COUNT(*) FROM alerts WHERE id = ?", "i",
		                 ids[i]) < 0 ||
		    found == 0) {
			json_decref(first);
			return e->code ? -1 : sg_err_set(e, SG_ENOTFOUND, "no alert %lld", (long long)ids[i]);
		}
	}
	for (size_t i = 0; i < n; i++) {
		char in[32] = "";
		db_stmt *st;
		if (db_prepare_bind(a->db, &st, e,
		                    "SELECT c.ticket FROM alert_cases l JOIN cases c ON c.id = l.case_id "
		                    "WHERE l.alert_id = ? AND c.procedure_id = 'cti' LIMIT 1",
		                    "i", ids[i]) != 0) {
			json_decref(first);
			return -1;
		}
		int rc = db_step(st, e);
		if (rc == DB_ROW)
			snprintf(in, sizeof in, "%s", db_col_text(st, 0));
		db_finalize(st);
		if (rc < 0 || in[0]) {
			json_decref(first);
			return rc < 0 ? -1
			              : sg_err_set(e, SG_ESTATE, "alert %lld is already in case %s",
			                           (long long)ids[i], in);
		}
	}
	char ref[32], title[300], asset[256];
	snprintf(ref, sizeof ref, "ALR-%lld", (long long)ids[0]);
	const char *as = json_string_value(json_object_get(first, "asset"));
	snprintf(asset, sizeof asset, "%s", as ? as : "-");
	snprintf(title, sizeof title, "%.200s%s%.60s",
	         json_string_value(json_object_get(first, "title")), as ? " — " : "", as ? as : "");
	sop_value vals[2] = {{"alert", ref}, {"sistem", asset}};
	case_new_req req = {.procedure_id = "cti", .title = title, .fields = vals, .n_fields = 2,
	                    .actor = actor, .origin = origin};
	json_decref(first);
	if (case_new(a, &req, ticket, e) != 0)
		return -1;
	if (db_begin(a->db, e) != 0)
		return -1;
	json_t *linked = json_array();
	for (size_t i = 0; i < n; i++) {
		if (db_run(a->db, e,
		           "INSERT INTO alert_cases (alert_id, case_id, linked_at, linked_by) "
		           "SELECT ?, id, ?, ? FROM cases WHERE ticket = ? ON CONFLICT DO NOTHING",
		           "iiss", ids[i], app_now(a), actor, ticket) != 0 ||
		    db_run(a->db, e,
		           "UPDATE alerts SET status = 'triage' WHERE id = ? AND status = 'new'", "i",
		           ids[i]) != 0)
			goto fail;
		json_array_append_new(linked, json_integer(ids[i]));
	}
	if (logbook_record(a, actor, "alert.case", "case", ticket,
	                   json_pack("{s:o}", "alerts", linked), e) != 0) {
		linked = NULL;
		goto fail;
	}
	return db_commit(a->db, e);
fail:
	json_decref(linked);
	db_rollback(a->db);
	return -1;
}

json_t *alert_hits(app *a, const char *ref, int64_t since, int64_t bucket, sg_err *e)
{
	if (bucket < 3600)
		bucket = 3600;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT hour - (hour % ?), SUM(hits) FROM detect_hits "
	                    "WHERE ref = ? AND hour >= ? GROUP BY 1 ORDER BY 1",
	                    "isi", bucket, ref, since) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(out, json_pack("{s:I, s:I}", "at", (json_int_t)db_col_int(st, 0),
		                                     "hits", (json_int_t)db_col_int(st, 1)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int alert_undecided(app *a, int64_t *all, int64_t *high, sg_err *e)
{
	if (db_query_int(a->db, e, all, "SELECT COUNT(*) FROM alerts WHERE status = 'new'", "") < 0)
		return -1;
	return db_query_int(a->db, e, high,
	                    "SELECT COUNT(*) FROM alerts WHERE status = 'new' "
	                    "AND level IN ('high', 'critical')",
	                    "") < 0
	           ? -1
	           : 0;
}

