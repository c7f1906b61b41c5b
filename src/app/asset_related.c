/*
 * asset_related.c: what the store holds about one asset besides the
 * asset itself, for its page: its history in the logbook, the alerts
 * raised on it, and the cases that name it.
 *
 * Each answers only a viewer who may see the asset (asset_get's rule:
 * another OPD's asset is "not found"), and each keeps its own rule on
 * top: alerts are the triage roles' (alert_may_triage), cases follow
 * need-to-know (CASE_VISIBLE_SQL).
 *
 * How they are found today:
 *  - alerts keep the asset as the text the event named (Wazuh's agent
 *    name, else the syslog host: raise.c), so an asset's alerts are
 *    those whose text is its agent name, one of its host names or one
 *    of its single addresses, exactly (an index probe each on
 *    alerts.asset, then the newest `limit`);
 *  - cases name an asset through a `ref` field with `entity: asset` (the
 *    patch SOP's `aset`, the exceptions SOP's), procedure fields in
 *    cases.fields and step fields in step_runs.form_values: for each such
 *    field of the loaded SOPs, the cases of its procedure are read
 *    (cases_by_procedure) and their value compared, O(cases of those
 *    procedures).
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
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
	bool ok = roles && alert_may_triage(roles);
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
	if (db_prepare_bind(
		a->db, &st, e,
		"SELECT id, title, level, status, count, last_seen, asset FROM alerts "
		"WHERE asset IN (SELECT wazuh_agent_name FROM assets WHERE id = ?1 "
		"AND wazuh_agent_name IS NOT NULL AND wazuh_agent_name <> '' "
		"UNION SELECT host FROM asset_hosts WHERE asset_id = ?1 "
		"UNION SELECT value FROM asset_addresses WHERE asset_id = ?1 AND instr(value, '/') = 0) "
		"ORDER BY last_seen DESC, id DESC LIMIT ?2",
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

/* The cases of procedure proc whose field (a procedure field, or a step
 * field when in_steps) holds the asset's number, that v may see, into
 * out. */
static int cases_naming(app *a, const case_viewer *v, const char *proc, const char *field,
			bool in_steps, const char *value, json_t *out, sg_err *e)
{
	buf sql = BUF_INIT;
	buf_puts(&sql, "SELECT c.ticket, c.title, c.status, c.step_no, c.created_at, c.procedure_id "
		       "FROM cases c WHERE c.procedure_id = ? AND ");
	if (in_steps)
		buf_puts(&sql, "EXISTS (SELECT 1 FROM step_runs r WHERE r.case_id = c.id AND "
			       "CAST(json_extract(r.form_values, '$.\"' || ? || '\"') AS TEXT) = ?)");
	else
		buf_puts(&sql, "CAST(json_extract(c.fields, '$.\"' || ? || '\"') AS TEXT) = ?");
	buf_puts(&sql, " AND ");
	buf_puts(&sql, v->all ? "1" : CASE_VISIBLE_SQL);
	db_stmt *st;
	int rc = db_prepare(a->db, buf_str(&sql), &st, e);
	buf_free(&sql);
	if (rc != 0)
		return -1;
	if (db_bind_text(st, 1, proc) != 0 || db_bind_text(st, 2, field) != 0 ||
	    db_bind_text(st, 3, value) != 0 || (!v->all && case_visible_bind(st, 4, v) != 0)) {
		db_finalize(st);
		return sg_err_set(e, SG_EDB, "cannot bind the cases of an asset");
	}
	while ((rc = db_step(st, e)) == DB_ROW) {
		const char *ticket = db_col_text(st, 0);
		bool seen = false;
		size_t i;
		json_t *c;
		json_array_foreach(out, i, c) seen |=
		    strcmp(json_string_value(json_object_get(c, "ticket")), ticket) == 0;
		if (!seen)
			json_array_append_new(
			    out, json_pack("{s:s, s:o, s:o, s:o, s:I, s:o, s:s}", "ticket", ticket,
					   "title", col_json_text(st, 1), "status", col_json_text(st, 2),
					   "step", col_json_int(st, 3), "created_at",
					   (json_int_t)db_col_int(st, 4), "procedure",
					   col_json_text(st, 5), "field", field));
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int newest_first(const void *x, const void *y)
{
	json_int_t a = json_integer_value(json_object_get(*(json_t *const *)x, "created_at"));
	json_int_t b = json_integer_value(json_object_get(*(json_t *const *)y, "created_at"));
	return a < b ? 1 : a > b ? -1 : 0;
}

json_t *asset_cases(app *a, int64_t id, const char *viewer, sg_err *e)
{
	if (check_sight(a, id, viewer, e) != 0)
		return NULL;
	case_viewer v;
	if (case_viewer_load(a, viewer, &v, e) != 0)
		return NULL;
	char value[24];
	snprintf(value, sizeof value, "%lld", (long long)id);
	json_t *found = json_array();
	int rc = 0;
	for (size_t i = 0; i < a->sops.n && rc == 0; i++) {
		const sop *s = a->sops.v[i].sop;
		for (size_t p = 0; p < s->n_procs && rc == 0; p++) {
			const sop_procedure *proc = &s->procs[p];
			for (size_t f = 0; f < proc->n_fields && rc == 0; f++) {
				const sop_field *fd = &proc->fields[f];
				if (fd->type == FIELD_REF && fd->entity && strcmp(fd->entity, "asset") == 0)
					rc = cases_naming(a, &v, proc->id, fd->name, false, value, found, e);
			}
			for (size_t k = 0; k < proc->n_steps && rc == 0; k++)
				for (size_t f = 0; f < proc->steps[k].n_fields && rc == 0; f++) {
					const sop_field *fd = &proc->steps[k].fields[f];
					if (fd->type == FIELD_REF && fd->entity &&
					    strcmp(fd->entity, "asset") == 0)
						rc = cases_naming(a, &v, proc->id, fd->name, true, value,
								  found, e);
				}
		}
	}
	case_viewer_free(&v);
	if (rc != 0) {
		json_decref(found);
		return NULL;
	}
	/* newest first: a json array sorted through its elements */
	size_t n = json_array_size(found);
	json_t **items = calloc(n ? n : 1, sizeof *items);
	if (items == NULL)
		abort();
	for (size_t i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(found, i));
	qsort(items, n, sizeof *items, newest_first);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, items[i]);
	free(items);
	json_decref(found);
	return out;
}
