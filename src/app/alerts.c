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
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/buf.h"
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

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* A new alert's asset: the one given, else asset_find on what the event
 * named (agent id and name, host, URL, then the address as a host), else
 * none and its identity kept (alert_identities, alert_unmatched) to be
 * matched again when the register changes. Cost: asset_find's index
 * probes and one or two writes, once an alert, never a folded repeat. */
static int alert_attach_new(app *a, const alert_in *in, int64_t id, sg_err *e)
{
	int64_t asset_id = in->asset_id;
	if (asset_id == 0 &&
	    asset_find(a, in->agent_id, in->agent_name, in->host, in->url, &asset_id, e) != 0)
		return -1;
	if (asset_id == 0 && in->address && *in->address &&
	    asset_find(a, NULL, NULL, in->address, NULL, &asset_id, e) != 0)
		return -1;
	if (asset_id)
		return db_run(a->db, e, "UPDATE alerts SET asset_id = ? WHERE id = ?", "ii", asset_id,
		              id);
	int64_t ident = 0;
	if (db_query_int(a->db, e, &ident,
	                 "INSERT INTO alert_identities (agent_id, agent_name, host, address, url, "
	                 "last_seen) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (agent_id, agent_name, "
	                 "host, address, url) DO UPDATE SET last_seen = "
	                 "MAX(alert_identities.last_seen, excluded.last_seen) RETURNING id",
	                 "sssssi", nz(in->agent_id), nz(in->agent_name), nz(in->host),
	                 nz(in->address), nz(in->url), app_now(a)) != DB_ROW)
		return -1;
	return db_run(a->db, e, "INSERT INTO alert_unmatched (alert_id, identity_id) VALUES (?, ?)",
	              "ii", id, ident);
}

int alert_level_rank(const char *s)
{
	for (int i = 0; levels[i]; i++)
		if (strcmp(levels[i], s) == 0)
			return i;
	return -1;
}

/* An open alert takes a newer match's title and event, and its level when
 * higher; a level that rises to high or critical is told as a new one is. */
static int alert_refresh(app *a, int64_t id, const alert_in *in, const char *level, sg_err *e)
{
	char was[24] = "";
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT level FROM alerts WHERE id = ?", "i", id) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		snprintf(was, sizeof was, "%s", db_col_text(st, 0));
	db_finalize(st);
	if (rc < 0)
		return -1;
	bool rises = alert_level_rank(level) > alert_level_rank(was);
	char *event = json_dumps(in->event, JSON_COMPACT);
	int r = db_run(a->db, e, "UPDATE alerts SET title = ?, event = ?, level = ? WHERE id = ?",
	               "sssi", in->title, event ? event : "{}", rises ? level : was, id);
	free(event);
	if (r != 0)
		return -1;
	return rises ? outbox_alert(a, id, in, level, e) : 0;
}

static const char ALERT_INSERT[] =
    "INSERT INTO alerts (kind, rule_id, indicator_id, title, level, tags, indicators, fold_key, "
    "asset, source_ip, first_seen, last_seen, event, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int alert_record(app *a, const alert_in *in, int64_t window, alert_out *out, sg_err *e)
{
	const char *level = level_valid(in->level) ? in->level : "medium";
	char key[600];
	/* a rule's match, or the website monitor's finding (kind monitor:
	 * rule_id "monitor:KIND", asset the page's URL) */
	if (strcmp(in->kind, "rule") == 0 || strcmp(in->kind, "monitor") == 0)
		snprintf(key, sizeof key, "%s:%s|%s|%s", in->kind, in->rule_id ? in->rule_id : in->title,
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
		if (in->refresh && alert_refresh(a, id, in, level, e) != 0)
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
		if (r != DB_ROW || alert_attach_new(a, in, id, e) != 0 ||
		    outbox_alert(a, id, in, level, e) != 0)
			return -1;
	}
	out->id = id;
	char ref[300];
	if (strcmp(in->kind, "rule") == 0)
		snprintf(ref, sizeof ref, "rule:%s", in->rule_id ? in->rule_id : in->title);
	else if (in->indicator_id)
		snprintf(ref, sizeof ref, "indicator:%lld", (long long)in->indicator_id);
	else
		return 0; /* an indicator read from a file has no page to chart it, nor
		           * the monitor's finding (its site's page charts it) */
	return db_run(a->db, e,
	              "INSERT INTO detect_hits (ref, hour, hits) VALUES (?, ?, 1) "
	              "ON CONFLICT (ref, hour) DO UPDATE SET hits = detect_hits.hits + 1",
	              "si", ref, at - ((at % 3600) + 3600) % 3600);
}

/* Column 17 is the case that took the alert in (its first link), 18 the
 * case whose verdict decided it: both ids, told to a viewer by
 * alert_row only as far as it may see them; 19 and 20 the asset it is
 * attached to and its name. */
static const char ALERT_COLS[] =
    "a.id, a.kind, a.rule_id, a.indicator_id, a.title, a.level, a.tags, a.indicators, a.asset, "
    "a.source_ip, a.first_seen, a.last_seen, a.count, a.status, a.reason, a.decided_by, "
    "a.decided_at, (SELECT ac.case_id FROM alert_cases ac WHERE ac.alert_id = a.id "
    "ORDER BY ac.linked_at, ac.case_id LIMIT 1), a.reason_case, a.asset_id, "
    "(SELECT s.name FROM assets s WHERE s.id = a.asset_id)";

/* What a viewer sees of the cases a list names, asked once a case: the
 * rows of a list share a few cases (one CTI case triages many alerts). */
enum { SIGHT_CACHE = 32 };
typedef struct sight_cache {
	const case_viewer *v;
	bool brief; /* the list page's columns only (alert_filter.brief) */
	size_t n, next;
	struct {
		int64_t id;
		case_sight sight;
		char ticket[32];
	} c[SIGHT_CACHE];
} sight_cache;

/* What the viewer sees of the case numbered id, and its ticket. */
static int sight_by_id(app *a, sight_cache *sc, int64_t id, case_sight *sight,
                       const char **ticket, sg_err *e)
{
	for (size_t i = 0; i < sc->n; i++)
		if (sc->c[i].id == id) {
			*sight = sc->c[i].sight;
			*ticket = sc->c[i].ticket;
			return 0;
		}
	size_t k = sc->n < SIGHT_CACHE ? sc->n++ : sc->next++ % SIGHT_CACHE;
	sc->c[k].id = 0; /* filled only when read whole */
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT ticket, procedure_id, tlp FROM cases WHERE id = ?",
	                    "i", id) != 0)
		return -1;
	int rc = db_step(st, e);
	*sight = CASE_SEE_NONE;
	sc->c[k].ticket[0] = '\0';
	if (rc == DB_ROW) {
		snprintf(sc->c[k].ticket, sizeof sc->c[k].ticket, "%s", db_col_text(st, 0));
		rc = case_sight_of(a, sc->v, id, db_col_text(st, 1),
		                   db_col_null(st, 2) ? NULL : db_col_text(st, 2), sight, e);
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	sc->c[k].id = id;
	sc->c[k].sight = *sight;
	*ticket = sc->c[k].ticket;
	return 0;
}

/* One alert as the viewer may see it: "case" is its first case if the
 * viewer may know it; a reason written by a case's verdict is that case's
 * report, shown only to who sees the case whole ("reason_case" names it
 * then), otherwise withheld ("reason_withheld": true). */
static json_t *alert_row(app *a, sight_cache *sc, db_stmt *st, sg_err *e)
{
	const char *ticket;
	case_sight sight;
	json_t *r;
	if (sc->brief) /* the list page's columns only (alert_filter.brief) */
		r = json_pack(
		    "{s:I, s:s, s:s, s:s, s:I, s:I, s:o, s:n}", "id", (json_int_t)db_col_int(st, 0),
		    "title", db_col_text(st, 4), "level", db_col_text(st, 5), "status",
		    db_col_text(st, 13), "count", (json_int_t)db_col_int(st, 12), "last_seen",
		    (json_int_t)db_col_int(st, 11), "asset", col_json_text(st, 8), "case");
	else
		r = json_pack(
		    "{s:I, s:s, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:s, "
		    "s:o, s:o, s:o, s:n}",
		    "id", (json_int_t)db_col_int(st, 0), "kind", db_col_text(st, 1), "rule_id",
		    col_json_text(st, 2), "indicator_id", col_json_int(st, 3), "title",
		    db_col_text(st, 4), "level", db_col_text(st, 5), "tags", col_json_doc(st, 6),
		    "indicators", col_json_doc(st, 7), "asset", col_json_text(st, 8), "source_ip",
		    col_json_text(st, 9), "first_seen", (json_int_t)db_col_int(st, 10), "last_seen",
		    (json_int_t)db_col_int(st, 11), "count", (json_int_t)db_col_int(st, 12),
		    "status", db_col_text(st, 13), "reason", col_json_text(st, 14), "decided_by",
		    col_json_text(st, 15), "decided_at", col_json_int(st, 16), "case");
	/* the asset it belongs to (asset_id, its name), null when unmatched */
	json_object_set_new(r, "asset_id", col_json_int(st, 19));
	json_object_set_new(r, "asset_name", col_json_text(st, 20));
	if (!db_col_null(st, 17)) {
		if (sight_by_id(a, sc, db_col_int(st, 17), &sight, &ticket, e) != 0)
			goto fail;
		if (sight != CASE_SEE_NONE)
			json_object_set_new(r, "case", json_string(ticket));
	}
	if (!sc->brief && !db_col_null(st, 18)) {
		if (sight_by_id(a, sc, db_col_int(st, 18), &sight, &ticket, e) != 0)
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

/* Rows of st as v may see them (alert_row), at most max (0: all); st is
 * finalized. *more: a row past max was there. NULL with e set. */
static json_t *alert_rows(app *a, const case_viewer *v, bool brief, db_stmt *st, size_t max,
                          bool *more, sg_err *e)
{
	sight_cache *sc = calloc(1, sizeof *sc);
	json_t *out = json_array();
	int rc = -1;
	if (sc == NULL) {
		sg_err_set(e, SG_ENOMEM, "out of memory");
		goto done;
	}
	sc->v = v;
	sc->brief = brief;
	if (more)
		*more = false;
	while ((rc = db_step(st, e)) == DB_ROW) {
		if (max && json_array_size(out) == max) {
			if (more)
				*more = true;
			break;
		}
		json_t *r = alert_row(a, sc, st, e);
		if (r == NULL) {
			rc = -1;
			break;
		}
		json_array_append_new(out, r);
	}
done:
	free(sc);
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

bool alert_cursor_parse(const char *s, int64_t *seen, int64_t *id)
{
	char *end;
	if (s == NULL || *s < '0' || *s > '9')
		return false;
	long long t = strtoll(s, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return false;
	long long i = strtoll(end + 1, &end, 10);
	if (*end != '\0' || t < 0 || i <= 0 || t == LLONG_MAX || i == LLONG_MAX)
		return false;
	*seen = t;
	*id = i;
	return true;
}

void alert_cursor(const json_t *row, char *out, size_t n)
{
	snprintf(out, n, "%lld.%lld", (long long)json_integer_value(json_object_get(row, "last_seen")),
	         (long long)json_integer_value(json_object_get(row, "id")));
}

/* The WHERE of a filter into sql, with its values in order in vals
 * (strings as json strings, numbers as json integers); the cursor's
 * bound too when with_cursor. Each condition only when the filter has it,
 * so the planner sees which index serves it and the list's order. */
static void filter_where(const alert_filter *f, bool with_cursor, buf *sql, json_t *vals)
{
	buf_puts(sql, " FROM alerts a WHERE 1 = 1");
	/* Without statistics (nobody runs ANALYZE) the planner takes any
	 * index of an equality; it must take the narrowest: an asset's
	 * alerts are few, a rule's or an indicator's more, a status's or a
	 * level's a share of all. The others are then only checked ("+"
	 * keeps a term off the index): status and level together scan the
	 * status index (10 million alerts: a few thousand rows a page). */
	const char *cols[] = {"asset", "rule_id", "indicator_id", "status", "level"};
	const char *v[] = {f->asset, f->rule_id, NULL, f->status, f->level};
	bool indexed = false;
	for (int i = 0; i < 5; i++) {
		if (i == 2 ? f->indicator_id == 0 : v[i] == NULL)
			continue;
		buf_printf(sql, " AND %sa.%s = ?", indexed ? "+" : "", cols[i]);
		indexed = true;
		json_array_append_new(vals, i == 2 ? json_integer(f->indicator_id) : json_string(v[i]));
	}
	if (f->asset_id) {
		buf_printf(sql, " AND %sa.asset_id = ?", indexed ? "+" : "");
		indexed = true;
		json_array_append_new(vals, json_integer(f->asset_id));
	}
	if (f->opd_id) { /* an agen_siber's constituency: its OPD's assets */
		buf_puts(sql, " AND a.asset_id IN (SELECT id FROM assets WHERE opd_id = ?)");
		json_array_append_new(vals, json_integer(f->opd_id));
	}
	if (f->unmatched) /* served by the partial index alerts_unmatched */
		buf_puts(sql, " AND a.asset_id IS NULL");
	if (f->since > 0) {
		buf_puts(sql, " AND a.last_seen >= ?");
		json_array_append_new(vals, json_integer(f->since));
	}
	if (!with_cursor)
		return;
	/* the row-value order (last_seen, id), written so that the index
	 * range is on last_seen and the id only breaks ties */
	if (f->after_id) {
		buf_puts(sql, " AND a.last_seen <= ? AND (a.last_seen < ? OR a.id < ?)");
		json_array_append_new(vals, json_integer(f->after_seen));
		json_array_append_new(vals, json_integer(f->after_seen));
		json_array_append_new(vals, json_integer(f->after_id));
	} else if (f->before_id) {
		buf_puts(sql, " AND a.last_seen >= ? AND (a.last_seen > ? OR a.id > ?)");
		json_array_append_new(vals, json_integer(f->before_seen));
		json_array_append_new(vals, json_integer(f->before_seen));
		json_array_append_new(vals, json_integer(f->before_id));
	}
}

static int prepare_with(app *a, const char *sql, json_t *vals, db_stmt **st, sg_err *e)
{
	if (db_prepare(a->db, sql, st, e) != 0)
		return -1;
	size_t i;
	json_t *x;
	json_array_foreach(vals, i, x) {
		int rc = json_is_string(x) ? db_bind_text(*st, (int)i + 1, json_string_value(x))
		                           : db_bind_int(*st, (int)i + 1, json_integer_value(x));
		if (rc != 0) {
			db_finalize(*st);
			return sg_err_set(e, SG_EDB, "cannot bind the alert filter");
		}
	}
	return 0;
}

/* The total of f's matches: from the counts the triggers keep when the
 * filter is by asset, status and level only (0012_alert_counts.sql),
 * else counted up to ALERT_COUNT_CAP. */
static int alert_total(app *a, const alert_filter *f, alert_pager *pg, sg_err *e)
{
	pg->total_more = false;
	if (!f->rule_id && !f->indicator_id && f->since <= 0 && !f->asset_id && !f->opd_id &&
	    !f->unmatched)
		return (f->asset ? db_query_int(a->db, e, &pg->total,
		                                "SELECT COALESCE(SUM(n), 0) FROM alert_asset_counts "
		                                "WHERE asset = ?1 AND (?2 IS NULL OR status = ?2) "
		                                "AND (?3 IS NULL OR level = ?3)",
		                                "sss", f->asset, f->status, f->level)
		                 : db_query_int(a->db, e, &pg->total,
		                                "SELECT COALESCE(SUM(n), 0) FROM alert_counts "
		                                "WHERE (?1 IS NULL OR status = ?1) "
		                                "AND (?2 IS NULL OR level = ?2)",
		                                "ss", f->status, f->level)) < 0
		           ? -1
		           : 0;
	buf sql = BUF_INIT;
	json_t *vals = json_array();
	buf_puts(&sql, "SELECT COUNT(*) FROM (SELECT 1");
	filter_where(f, false, &sql, vals);
	buf_printf(&sql, " LIMIT %d) AS capped", ALERT_COUNT_CAP + 1);
	db_stmt *st;
	int rc = prepare_with(a, buf_str(&sql), vals, &st, e);
	buf_free(&sql);
	json_decref(vals);
	if (rc != 0)
		return -1;
	rc = db_step(st, e);
	if (rc == DB_ROW)
		pg->total = db_col_int(st, 0);
	db_finalize(st);
	if (rc != DB_ROW)
		return -1;
	if (pg->total > ALERT_COUNT_CAP) {
		pg->total = ALERT_COUNT_CAP;
		pg->total_more = true;
	}
	return 0;
}

/* One page of f: rows in the list's order (a page before a cursor is read
 * the other way and turned round); *more: a row past the page's end in
 * the direction read. */
static json_t *alert_page_rows(app *a, const alert_filter *f, const case_viewer *v, bool *more,
                               sg_err *e)
{
	int limit = f->limit > 0 ? f->limit : 50;
	bool back = f->before_id && !f->after_id;
	buf sql = BUF_INIT;
	json_t *vals = json_array();
	buf_printf(&sql, "SELECT %s", ALERT_COLS);
	filter_where(f, true, &sql, vals);
	/* the limit and offset bound, so each filter's SQL text is one
	 * prepared statement kept by the connection (db.c) */
	buf_printf(&sql, " ORDER BY a.last_seen %s, a.id %s LIMIT ? OFFSET ?", back ? "ASC" : "DESC",
	           back ? "ASC" : "DESC");
	json_array_append_new(vals, json_integer(limit + 1));
	json_array_append_new(vals, json_integer(f->offset > 0 && !f->after_id && !f->before_id
	                                             ? f->offset
	                                             : 0));
	db_stmt *st;
	int rc = prepare_with(a, buf_str(&sql), vals, &st, e);
	buf_free(&sql);
	json_decref(vals);
	if (rc != 0)
		return NULL;
	json_t *rows = alert_rows(a, v, f->brief, st, (size_t)limit, more, e);
	if (rows && back) {
		json_t *fwd = json_array();
		for (size_t i = json_array_size(rows); i-- > 0;)
			json_array_append(fwd, json_array_get(rows, i));
		json_decref(rows);
		rows = fwd;
	}
	return rows;
}

json_t *alert_list(app *a, const alert_filter *f, alert_pager *pg, sg_err *e)
{
	if (f->status && !alert_status_valid(f->status)) {
		sg_err_set(e, SG_EINVAL, "unknown alert status \"%s\"", f->status);
		return NULL;
	}
	if (f->level && !level_valid(f->level)) {
		sg_err_set(e, SG_EINVAL, "unknown alert level \"%s\"", f->level);
		return NULL;
	}
	alert_filter mine = *f; /* an agen_siber's: narrowed to its OPD */
	if (alert_reader(a, f->viewer, &mine.opd_id, e) != 0)
		return NULL;
	if (f->opd_id && mine.opd_id && f->opd_id != mine.opd_id)
		mine.opd_id = -1; /* another OPD's: none */
	else if (f->opd_id)
		mine.opd_id = f->opd_id;
	f = &mine;
	alert_pager ignored;
	if (pg == NULL)
		pg = &ignored;
	else if (alert_total(a, f, pg, e) != 0)
		return NULL;
	case_viewer v;
	if (case_viewer_load(a, f->viewer, &v, e) != 0)
		return NULL;
	bool more = false;
	json_t *out = alert_page_rows(a, f, &v, &more, e);
	if (out && f->before_id && !f->after_id) {
		pg->newer = more;
		pg->older = true;
		if (!more) { /* reached the newest: that is the first page */
			alert_filter first = *f;
			first.before_id = first.before_seen = 0;
			first.offset = 0;
			json_decref(out);
			out = alert_page_rows(a, &first, &v, &pg->older, e);
			pg->newer = false;
		}
	} else if (out) {
		pg->older = more;
		pg->newer = f->after_id != 0 || f->offset > 0;
	}
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
	int64_t opd = 0;
	if (alert_reader(a, viewer, &opd, e) != 0)
		return NULL;
	/* an agen_siber's: only an alert of its OPD's assets, else "no alert" */
	char sql[1000];
	snprintf(sql, sizeof sql,
	         "SELECT %s, a.event FROM alerts a WHERE a.id = ?1 AND (?2 = 0 OR a.asset_id IN "
	         "(SELECT id FROM assets WHERE opd_id = ?2))",
	         ALERT_COLS);
	case_viewer v;
	if (case_viewer_load(a, viewer, &v, e) != 0)
		return NULL;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, sql, "ii", id, opd) != 0) {
		case_viewer_free(&v);
		return NULL;
	}
	json_t *out = NULL;
	int rc = db_step(st, e);
	sight_cache *sc = calloc(1, sizeof *sc);
	if (sc == NULL) {
		rc = sg_err_set(e, SG_ENOMEM, "out of memory");
	} else if (rc == DB_ROW) {
		sc->v = &v;
		out = alert_row(a, sc, st, e);
		if (out)
			json_object_set_new(out, "event", col_json_doc(st, 21));
	} else if (rc == DB_DONE) {
		sg_err_set(e, SG_ENOTFOUND, "no alert %lld", (long long)id);
	}
	free(sc);
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
	return alert_rows(a, v ? v : &owner, false, st, 0, NULL, e);
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
	/* the case is about the assets of its alerts */
	int64_t case_id = 0;
	if (db_query_int(a->db, e, &case_id, "SELECT id FROM cases WHERE ticket = ?", "s", ticket) !=
	    DB_ROW)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		int64_t asset_id = 0;
		if (db_query_int(a->db, e, &asset_id,
		                 "SELECT COALESCE(asset_id, 0) FROM alerts WHERE id = ?", "i",
		                 ids[i]) < 0 ||
		    (asset_id &&
		     case_asset_link(a, case_id, ticket, asset_id, "alert", actor, e) != 0))
			goto fail;
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
	/* from the counts the triggers keep (0012_alert_counts.sql) */
	if (db_query_int(a->db, e, all,
	                 "SELECT COALESCE(SUM(n), 0) FROM alert_counts WHERE status = 'new'", "") < 0)
		return -1;
	return db_query_int(a->db, e, high,
	                    "SELECT COALESCE(SUM(n), 0) FROM alert_counts WHERE status = 'new' "
	                    "AND level IN ('high', 'critical')",
	                    "") < 0
	           ? -1
	           : 0;
}
