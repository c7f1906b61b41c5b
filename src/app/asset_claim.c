/*
 * asset_claim.c: what matched no asset, matched again when the register
 * changes.
 *
 * An alert or a finding that named no registered asset is kept and
 * listed for an officer to attach, never dropped. When an asset is added,
 * or its identifiers change, the unmatched ones that now resolve to it are
 * attached in the same transaction as the change (assets.c calls
 * asset_claim), each in the logbook:
 *
 *   alerts    the identities unmatched alerts named (alert_identities:
 *             one row a distinct agent, host, address and URL, not one
 *             an alert) are put through asset_find again;
 *   findings  the distinct hosts (and host names beside them) of
 *             unattached findings, the same way (findings_import.c's
 *             rule: the host, then the name).
 *
 * Only a match to the asset that changed is taken: the others did not
 * change, so nothing else can newly match them.
 *
 * Cost: one asset_find (a handful of index probes) a distinct identity or
 * host, at most ASSET_CLAIM_MAX of each, newest first; these are the
 * machines sigap has seen but nobody registered (hundreds in a
 * kabupaten), not the alerts (millions). Past the bound, the rest stay
 * listed for an officer (sigap alert list --unmatched, sigap vuln list
 * --unmatched) and the logbook entry says the bound was reached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "findings.h"

enum { ASSET_CLAIM_NAMED = 200 };

static int claim_alerts(app *a, int64_t asset_id, json_t *ids, bool *capped, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT i.id, i.agent_id, i.agent_name, i.host, i.address, i.url "
	                    "FROM alert_identities i WHERE EXISTS (SELECT 1 FROM alert_unmatched u "
	                    "WHERE u.identity_id = i.id) ORDER BY i.last_seen DESC LIMIT ?",
	                    "i", (int64_t)ASSET_CLAIM_MAX + 1) != 0)
		return -1;
	json_t *hits = json_array(); /* the identities that now resolve to asset_id */
	int rc, n = 0;
	while ((rc = db_step(st, e)) == DB_ROW) {
		if (++n > ASSET_CLAIM_MAX) {
			*capped = true;
			break;
		}
		int64_t found = 0;
		if (asset_find(a, db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3),
		               db_col_text(st, 5), &found, e) != 0 ||
		    (found == 0 && *db_col_text(st, 4) &&
		     asset_find(a, NULL, NULL, db_col_text(st, 4), NULL, &found, e) != 0)) {
			rc = -1;
			break;
		}
		if (found == asset_id)
			json_array_append_new(hits, json_integer(db_col_int(st, 0)));
	}
	db_finalize(st);
	size_t i;
	json_t *h;
	json_array_foreach(hits, i, h) {
		if (rc < 0)
			break;
		int64_t ident = json_integer_value(h);
		db_stmt *q;
		if (db_prepare_bind(a->db, &q, e,
		                    "SELECT alert_id FROM alert_unmatched WHERE identity_id = ? "
		                    "ORDER BY alert_id",
		                    "i", ident) != 0) {
			rc = -1;
			break;
		}
		while ((rc = db_step(q, e)) == DB_ROW)
			json_array_append_new(ids, json_integer(db_col_int(q, 0)));
		db_finalize(q);
		if (rc < 0 ||
		    db_run(a->db, e,
		           "UPDATE alerts SET asset_id = ? WHERE id IN "
		           "(SELECT alert_id FROM alert_unmatched WHERE identity_id = ?)",
		           "ii", asset_id, ident) != 0 ||
		    db_run(a->db, e, "DELETE FROM alert_unmatched WHERE identity_id = ?", "i", ident) != 0)
			rc = -1;
	}
	json_decref(hits);
	return rc < 0 ? -1 : 0;
}

static int claim_findings(app *a, const char *actor, int64_t asset_id, json_t *ids,
                          bool *capped, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT host, COALESCE(hostname, ''), MAX(last_seen) FROM findings "
	                    "WHERE asset_id IS NULL GROUP BY 1, 2 ORDER BY 3 DESC LIMIT ?",
	                    "i", (int64_t)ASSET_CLAIM_MAX + 1) != 0)
		return -1;
	json_t *hosts = json_array();
	int rc, n = 0;
	while ((rc = db_step(st, e)) == DB_ROW) {
		if (++n > ASSET_CLAIM_MAX) {
			*capped = true;
			break;
		}
		int64_t found = 0;
		const char *host = db_col_text(st, 0), *name = db_col_text(st, 1);
		if (asset_find(a, NULL, NULL, host, NULL, &found, e) != 0 ||
		    (found == 0 && *name && asset_find(a, NULL, NULL, name, NULL, &found, e) != 0)) {
			rc = -1;
			break;
		}
		if (found == asset_id)
			json_array_append_new(hosts, json_pack("[s, s]", host, name));
	}
	db_finalize(st);
	size_t i;
	json_t *h;
	json_array_foreach(hosts, i, h) {
		if (rc < 0)
			break;
		db_stmt *q;
		if (db_prepare_bind(a->db, &q, e,
		                    "SELECT id FROM findings WHERE asset_id IS NULL AND host = ? "
		                    "AND COALESCE(hostname, '') = ? ORDER BY id",
		                    "ss", json_string_value(json_array_get(h, 0)),
		                    json_string_value(json_array_get(h, 1))) != 0) {
			rc = -1;
			break;
		}
		json_t *these = json_array();
		while ((rc = db_step(q, e)) == DB_ROW)
			json_array_append_new(these, json_integer(db_col_int(q, 0)));
		db_finalize(q);
		size_t k;
		json_t *f;
		json_array_foreach(these, k, f) {
			if (rc < 0)
				break;
			if (finding_attach_one(a, actor, json_integer_value(f), asset_id, e) != 0)
				rc = -1;
			else
				json_array_append(ids, f);
		}
		json_decref(these);
	}
	json_decref(hosts);
	return rc < 0 ? -1 : 0;
}

int asset_claim(app *a, const char *actor, int64_t asset_id, asset_claim_result *out, sg_err *e)
{
	asset_claim_result ignore;
	if (out == NULL)
		out = &ignore;
	memset(out, 0, sizeof *out);
	json_t *alerts = json_array(), *findings = json_array();
	bool capped = false;
	int rc = claim_alerts(a, asset_id, alerts, &capped, e) != 0 ||
	                 claim_findings(a, actor, asset_id, findings, &capped, e) != 0
	             ? -1
	             : 0;
	out->alerts = (int64_t)json_array_size(alerts);
	out->findings = (int64_t)json_array_size(findings);
	out->capped = capped;
	json_decref(findings); /* each finding has its own finding.attach entry */
	if (rc != 0 || (out->alerts == 0 && !capped)) {
		json_decref(alerts);
		return rc;
	}
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)asset_id);
	/* the numbers of the first ASSET_CLAIM_NAMED alerts, and how many */
	while (json_array_size(alerts) > ASSET_CLAIM_NAMED)
		json_array_remove(alerts, json_array_size(alerts) - 1);
	return logbook_record(a, actor, "asset.claim", "asset", key,
	                      json_pack("{s:I, s:o, s:I, s:b}", "alerts", (json_int_t)out->alerts,
	                                "alert_ids", alerts, "findings", (json_int_t)out->findings,
	                                "bounded", capped),
	                      e);
}
