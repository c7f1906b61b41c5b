/*
 * alert_assets.c: alerts and the register of assets: who reads which
 * alerts, and an officer attaching an alert to an asset by hand.
 *
 * An alert is attached to its asset when it is raised (alerts.c,
 * asset_find on what the event named) or when the register later learns
 * the machine (asset_claim.c). What matched nothing stays listed
 * (alert_filter.unmatched) until an officer attaches it here.
 *
 * Reading alerts is the CTI SOP's triage (ttis, kabid), who see them all
 * (the routes admit them, src/web/routes.c: ACCESS_ALERTS); an agen_siber
 * sees the alerts of its own OPD's assets, read-only: its constituency,
 * as docs/architecture.md's need-to-know rule says. An alert of another
 * OPD, or of no asset, is "not found" to it.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "case_row.h"

int alert_reader(app *a, const char *viewer, int64_t *opd_id, sg_err *e)
{
	*opd_id = 0;
	if (viewer == NULL || strncmp(viewer, "cli:", 4) == 0)
		return 0;
	sg_err ignore;
	json_t *roles = *viewer ? user_roles(a, viewer, &ignore) : NULL;
	if (roles == NULL)
		return sg_err_set(e, SG_EPERM, "%s is not an active user", viewer);
	int rc = 0;
	if (!alert_may_triage(roles) && roles_hold(roles, "agen_siber")) {
		rc = db_query_int(a->db, e, opd_id, "SELECT COALESCE(opd_id, 0) FROM users WHERE name = ?",
		                  "s", viewer) < 0
		         ? -1
		         : 0;
		if (rc == 0 && *opd_id == 0)
			rc = sg_err_set(e, SG_EPERM, "%s belongs to no OPD, so sees no alerts", viewer);
	}
	json_decref(roles);
	return rc;
}

/* Inside the transaction: one alert onto asset_id. */
static int attach_one(app *a, const char *actor, int64_t id, int64_t asset_id, sg_err *e)
{
	int64_t had = 0;
	int rc = db_query_int(a->db, e, &had, "SELECT COALESCE(asset_id, 0) FROM alerts WHERE id = ?",
	                      "i", id);
	if (rc < 0)
		return -1;
	if (rc == DB_DONE)
		return sg_err_set(e, SG_ENOTFOUND, "no alert %lld", (long long)id);
	if (had == asset_id)
		return 0; /* already there: nothing to write */
	char oid[32];
	snprintf(oid, sizeof oid, "%lld", (long long)id);
	json_t *d = json_pack("{s:I}", "asset", (json_int_t)asset_id);
	json_object_set_new(d, "from", had ? json_integer(had) : json_null());
	if (db_run(a->db, e, "UPDATE alerts SET asset_id = ? WHERE id = ?", "ii", asset_id, id) != 0 ||
	    db_run(a->db, e, "DELETE FROM alert_unmatched WHERE alert_id = ?", "i", id) != 0) {
		json_decref(d);
		return -1;
	}
	return logbook_record(a, actor, "alert.attach", "alert", oid, d, e);
}

int alert_attach(app *a, const char *actor, const int64_t *ids, size_t n, int64_t asset_id,
                 sg_err *e)
{
	if (n == 0 || n > 500)
		return sg_err_set(e, SG_EINVAL, "attach 1 to 500 alerts at once");
	if (actor == NULL || strchr(actor, ':'))
		return sg_err_set(e, SG_EPERM, "an alert is attached by a named user (--as USER)");
	json_t *roles = user_roles(a, actor, e);
	if (roles == NULL)
		return -1;
	bool ok = alert_may_triage(roles);
	json_decref(roles);
	if (!ok)
		return sg_err_set(e, SG_EPERM, "%s may not attach alerts (roles ttis, kabid)", actor);
	int64_t found = 0;
	if (db_query_int(a->db, e, &found,
	                 "SELECT COUNT(*) FROM assets WHERE id = ? AND retired_at IS NULL", "i",
	                 asset_id) < 0)
		return -1;
	if (found == 0)
		return sg_err_set(e, SG_ENOTFOUND, "no asset %lld in service", (long long)asset_id);
	if (db_begin(a->db, e) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (attach_one(a, actor, ids[i], asset_id, e) != 0) {
			db_rollback(a->db);
			if (n > 1)
				sg_err_prefix(e, "nothing attached");
			return -1;
		}
	return db_commit(a->db, e);
}
