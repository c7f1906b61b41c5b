/*
 * case_assets.c: the assets a case is about.
 *
 * A case is linked to assets three ways (case_assets.via): an SOP step
 * stores a ref field of entity asset ("field": the patch SOP's system, an
 * incident's affected system), the alerts a CTI case is opened for bring
 * their assets ("alert"), and an officer attaches one by hand ("hand").
 * Several assets a case: a CTI case may triage alerts of two servers, a
 * patch case one software across many assets. Links are kept when the
 * field is later changed (the case was about that asset then), never
 * removed.
 *
 * The links decide an agen_siber's constituency: it sees (its part of)
 * the cases of its OPD's assets (case_access.c, CASE_OPD_SQL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "col_json.h"

int case_asset_link(app *a, int64_t case_id, const char *ticket, int64_t asset_id,
                    const char *via, const char *actor, sg_err *e)
{
	int64_t had = 0;
	if (db_query_int(a->db, e, &had,
	                 "SELECT COUNT(*) FROM case_assets WHERE case_id = ? AND asset_id = ?", "ii",
	                 case_id, asset_id) != DB_ROW)
		return -1;
	if (had)
		return 0;
	if (db_run(a->db, e,
	           "INSERT INTO case_assets (case_id, asset_id, via, linked_at, linked_by) "
	           "VALUES (?, ?, ?, ?, ?)",
	           "iisis", case_id, asset_id, via, app_now(a),
	           actor ? actor : "sigap") != 0)
		return -1;
	return logbook_record(a, actor ? actor : "sigap", "case.asset", "case", ticket,
	                      json_pack("{s:I, s:s}", "asset", (json_int_t)asset_id, "via", via), e);
}

int case_assets_from_values(app *a, int64_t case_id, const char *ticket, const sop_field *fields,
                            size_t nf, json_t *values, const char *actor, sg_err *e)
{
	for (size_t i = 0; i < nf; i++) {
		const sop_field *f = &fields[i];
		if (f->type != FIELD_REF || f->entity == NULL || strcmp(f->entity, "asset") != 0)
			continue;
		const char *v = json_string_value(json_object_get(values, f->name));
		if (v == NULL || *v == '\0')
			continue;
		/* collect_values checked it names an asset in service the actor sees */
		int64_t id = strtoll(v, NULL, 10);
		if (id > 0 && case_asset_link(a, case_id, ticket, id, "field", actor, e) != 0)
			return -1;
	}
	return 0;
}

int case_asset_attach(app *a, const char *actor, const char *ticket, int64_t asset_id, sg_err *e)
{
	char value[24];
	snprintf(value, sizeof value, "%lld", (long long)asset_id);
	if (actor == NULL || strchr(actor, ':'))
		return sg_err_set(e, SG_EPERM, "an asset is attached to a case by a named user (--as USER)");
	if (db_begin(a->db, e) != 0)
		return -1;
	int64_t case_id = 0;
	case_viewer v;
	if (case_need_sight(a, actor, ticket, CASE_SEE_FULL, e) != 0)
		goto fail;
	if (case_viewer_load(a, actor, &v, e) != 0)
		goto fail;
	bool csirt = v.csirt;
	case_viewer_free(&v);
	if (!csirt) {
		sg_err_set(e, SG_EPERM, "%s may not attach assets to cases (the CSIRT's staff)", actor);
		goto fail;
	}
	if (asset_ref_check(a, actor, "asset", value, e) != 0 ||
	    db_query_int(a->db, e, &case_id, "SELECT id FROM cases WHERE ticket = ?", "s", ticket) !=
	        DB_ROW ||
	    case_asset_link(a, case_id, ticket, asset_id, "hand", actor, e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

json_t *case_assets_list(app *a, int64_t case_id, const char *viewer, sg_err *e)
{
	asset_scope s;
	if (asset_scope_of(a, viewer, &s, e) != 0)
		return NULL;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT s.id, s.name, o.abbrev, ca.via, ca.linked_at, ca.linked_by, s.opd_id "
	                    "FROM case_assets ca JOIN assets s ON s.id = ca.asset_id "
	                    "JOIN opd o ON o.id = s.opd_id WHERE ca.case_id = ? ORDER BY ca.linked_at, s.id",
	                    "i", case_id) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		if (!s.read_all && !(s.opd_id && s.opd_id == db_col_int(st, 6)))
			continue; /* another OPD's asset: not the viewer's to know */
		json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}", "id",
		                                     (json_int_t)db_col_int(st, 0), "name",
		                                     db_col_text(st, 1), "opd", db_col_text(st, 2), "via",
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
