/*
 * asset_related.c: what the store holds about one asset besides the
 * asset itself, for its page: its history in the logbook, the alerts
 * raised on it, and the cases that name it.
 *
 * Each answers only a viewer who may see the asset (asset_get's rule:
 * another OPD's asset is "not found"), and each keeps its own rule on
 * top: alerts are the triage roles' (alert_may_triage) and an agen_siber's
 * for its OPD, cases follow
 * need-to-know (CASE_VISIBLE_SQL).
 *
 * How they are found (migration 0016, docs/assets.md):
 *  - alerts carry the asset they were attached to (alerts.asset_id: by
 *    asset_find when raised, by the register's claim, or by hand), so an
 *    asset's alerts are an index range (alerts_by_asset_id), newest
 *    first; an agen_siber reads those of its OPD's assets;
 *  - cases are linked to assets in case_assets (an SOP field of entity
 *    asset, the alerts a CTI case was opened for, an officer's hand), an
 *    index range too (case_assets_by_asset), filtered by need-to-know.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/buf.h"
#include "case_row.h"
#include "col_json.h"

/* The asset when viewer may see it (else SG_ENOTFOUND, as asset_get). */
static int check_sight(app *a, int64_t id, const char *viewer, sg_err *e)
{
	json_t *o = asset_get(a, id, viewer, e);
	if (o == NULL)
		return -1;
	json_decref(o);
	return 0;
}

json_t *asset_history(app *a, int64_t id, const char *viewer, int limit, sg_err *e)
{
	if (check_sight(a, id, viewer, e) != 0)
		return NULL;
	/* The entries on the asset are the asset's: whoever sees it reads
	 * them (an agen_siber its own OPD's, though the rest of the logbook
	 * is the team's). */
	char object[32];
	snprintf(object, sizeof object, "asset:%lld", (long long)id);
	return logbook_list(a, object, limit, NULL, e);
}

bool asset_alerts_visible(app *a, const char *viewer)
{
	if (viewer == NULL || strncmp(viewer, "cli:", 4) == 0)
		return true;
	sg_err ignore;
	json_t *roles = user_roles(a, viewer, &ignore);
	/* an agen_siber reads its OPD's assets' alerts (alert_assets.c); the
	 * asset's own sight was checked already */
	bool ok = roles && (alert_may_triage(roles) || roles_hold(roles, "agen_siber"));
	json_decref(roles);
	return ok;
}

json_t *asset_alerts(app *a, int64_t id, const char *viewer, int limit, sg_err *e)
{
	if (check_sight(a, id, viewer, e) != 0)
		return NULL;
	json_t *out = json_array();
	if (!asset_alerts_visible(a, viewer))
		return out;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT id, title, level, status, count, last_seen, asset FROM alerts "
			    "WHERE asset_id = ? ORDER BY last_seen DESC, id DESC LIMIT ?",
			    "ii", id, (int64_t)(limit > 0 ? limit : 20)) != 0) {
		json_decref(out);
		return NULL;
	}
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(
		    out, json_pack("{s:I, s:o, s:o, s:o, s:I, s:I, s:o}", "id",
				   (json_int_t)db_col_int(st, 0), "title", col_json_text(st, 1), "level",
				   col_json_text(st, 2), "status", col_json_text(st, 3), "count",
				   (json_int_t)db_col_int(st, 4), "last_seen",
				   (json_int_t)db_col_int(st, 5), "asset", col_json_text(st, 6)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *asset_cases(app *a, int64_t id, const char *viewer, sg_err *e)
{
	if (check_sight(a, id, viewer, e) != 0)
		return NULL;
	case_viewer v;
	if (case_viewer_load(a, viewer, &v, e) != 0)
		return NULL;
	buf sql = BUF_INIT;
	buf_puts(&sql, "SELECT c.ticket, c.title, c.status, c.step_no, c.created_at, c.procedure_id, "
		       "ca.via FROM case_assets ca JOIN cases c ON c.id = ca.case_id "
		       "WHERE ca.asset_id = ? AND ");
	buf_puts(&sql, v.all ? "1" : CASE_VISIBLE_SQL);
	buf_puts(&sql, " ORDER BY c.created_at DESC, c.id DESC");
	db_stmt *st;
	int rc = db_prepare(a->db, buf_str(&sql), &st, e);
	buf_free(&sql);
	if (rc == 0 && (db_bind_int(st, 1, id) != 0 || (!v.all && case_visible_bind(st, 2, &v) != 0))) {
		db_finalize(st);
		rc = sg_err_set(e, SG_EDB, "cannot bind the cases of an asset");
	}
	case_viewer_free(&v);
	if (rc != 0)
		return NULL;
	json_t *out = json_array();
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(
		    out, json_pack("{s:s, s:o, s:o, s:o, s:I, s:o, s:o}", "ticket", db_col_text(st, 0),
				   "title", col_json_text(st, 1), "status", col_json_text(st, 2), "step",
				   col_json_int(st, 3), "created_at", (json_int_t)db_col_int(st, 4),
				   "procedure", col_json_text(st, 5), "via", col_json_text(st, 6)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}
