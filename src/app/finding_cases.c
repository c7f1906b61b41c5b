/*
 * finding_cases.c: the SOPs acting on findings (findings.h; docs/findings.md).
 *
 * Three things join findings and cases (finding_cases, 0017):
 *
 *   patch       an officer starts a case of SOP patch from findings: the
 *               findings go to dalam_perbaikan, the case names the asset
 *               and the patch, and its first step (monitoring, whose
 *               decision "needed or not" stays the administrator's) is
 *               offered what the findings know: assets, CVEs with KEV and
 *               EPSS (vuln_intel_priority), due dates and the scanner's
 *               solutions, as a draft (step_drafts) the form shows; the
 *               case is linked to their assets (case_assets), so it is in
 *               the constituency of their OPD's agen_siber;
 *   assessment  a CTI case's vulnerability assessment (step 5) links the
 *               findings of the asset it checked; the FP/FN decision
 *               (step 6) is taken with them on the page;
 *   handover    a case opened by a hand-over from one of those
 *               (case_handover.c) carries its findings.
 *
 * A rescan closes the loop. Step 6 of SOP patch is "implementation,
 * verified with the SIEM and vulnerability assessment"; when an import
 * finds none of a patch case's findings any more (findings_import.c
 * marks them diperbaiki), the verification is what sigap can give: the
 * step's field PATCH_VERIFY_FIELD drafted from the import, the report
 * attached to the case as evidence, a comment and a logbook entry. The
 * step also asks whether an anomaly followed, which only a person
 * watching the SIEM can answer: the step is not completed for them.
 * A finding that comes back while the case is open is said on the case,
 * and the drafted verification goes.
 *
 * Cost: starting a case reads each finding and its CVEs (two indexed
 * reads per CVE for KEV and EPSS); an import's pass reads its own history
 * rows (finding_history by finding) and the links of the cases they touch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/civil.h"
#include "case_row.h"
#include "col_json.h"
#include "findings.h"

/* The procedure a patch case runs, and the field of its implementation
 * step that a rescan's verification fills (sops/patch.yaml step 6). */
static const char PATCH_PROC[] = "patch";
static const char PATCH_VERIFY_FIELD[] = "hasil_pengujian";
/* The procedure whose vulnerability assessment links findings. */
static const char CTI_PROC[] = "cti";
enum { TITLE_MAX = 300, PATCH_FIELD_MAX = 1000, DRAFT_MAX = 60000 };

/* What a finding is, as a patch case needs it. */
typedef struct patch_item {
	int64_t id, asset_id, opd_id, due_at;
	char state[32], severity[16];
	char *title, *asset_name, *opd, *endpoint, *solution, *component, *version, *vuln_key;
	json_t *cves;
} patch_item;

static void item_free(patch_item *it)
{
	free(it->title);
	free(it->asset_name);
	free(it->opd);
	free(it->endpoint);
	free(it->solution);
	free(it->component);
	free(it->version);
	free(it->vuln_key);
	json_decref(it->cves);
}

static char *col_dup(db_stmt *st, int col)
{
	return db_col_null(st, col) ? NULL : strdup(db_col_text(st, col));
}

static int item_load(app *a, int64_t id, patch_item *it, sg_err *e)
{
	memset(it, 0, sizeof *it);
	it->id = id;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT f.asset_id, a.opd_id, f.state, f.severity, f.title, a.name, "
	                    "o.abbrev, f.endpoint, t.solution, f.component, f.component_version, "
	                    "f.vuln_key, f.due_at FROM findings f LEFT JOIN assets a ON "
	                    "a.id = f.asset_id LEFT JOIN opd o ON o.id = a.opd_id "
	                    "LEFT JOIN finding_texts t ON t.id = f.text_id WHERE f.id = ?",
	                    "i", id) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		it->asset_id = db_col_null(st, 0) ? 0 : db_col_int(st, 0);
		it->opd_id = db_col_null(st, 1) ? 0 : db_col_int(st, 1);
		snprintf(it->state, sizeof it->state, "%s", db_col_text(st, 2));
		snprintf(it->severity, sizeof it->severity, "%s", db_col_text(st, 3));
		it->title = col_dup(st, 4);
		it->asset_name = col_dup(st, 5);
		it->opd = col_dup(st, 6);
		it->endpoint = col_dup(st, 7);
		it->solution = col_dup(st, 8);
		it->component = col_dup(st, 9);
		it->version = col_dup(st, 10);
		it->vuln_key = col_dup(st, 11);
		it->due_at = db_col_null(st, 12) ? 0 : db_col_int(st, 12);
	}
	db_finalize(st);
	if (rc == DB_DONE)
		return sg_err_set(e, SG_ENOTFOUND, "no finding %lld", (long long)id);
	if (rc < 0)
		return -1;
	if (it->title == NULL || it->vuln_key == NULL)
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT cve FROM finding_cves WHERE finding_id = ? ORDER BY cve", "i",
	                    id) != 0)
		return -1;
	it->cves = json_array();
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(it->cves, json_string(db_col_text(st, 0)));
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The ticket of an open patch case the finding is already in ("" none). */
static int open_patch_case(app *a, int64_t id, char ticket[32], sg_err *e)
{
	ticket[0] = '\0';
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT c.ticket FROM finding_cases l JOIN cases c ON c.id = l.case_id "
	                    "WHERE l.finding_id = ? AND l.kind = 'patch' AND c.status = 'open' "
	                    "ORDER BY c.id LIMIT 1",
	                    "i", id) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		snprintf(ticket, 32, "%s", db_col_text(st, 0));
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* Whether the findings of several assets are one software: the same
 * component named by each, or the same vulnerability identity. */
static bool one_software(const patch_item *v, size_t n)
{
	bool component = v[0].component && *v[0].component, key = true;
	for (size_t i = 1; i < n; i++) {
		component = component && v[i].component &&
		            strcasecmp(v[i].component, v[0].component) == 0;
		key = key && strcmp(v[i].vuln_key, v[0].vuln_key) == 0;
	}
	return component || key;
}

/* Checks each finding may be patched, and that together they make one
 * patch case. */
static int items_check(app *a, const patch_item *v, size_t n, size_t *n_assets, sg_err *e)
{
	*n_assets = 0;
	for (size_t i = 0; i < n; i++) {
		const patch_item *it = &v[i];
		for (size_t j = 0; j < i; j++)
			if (v[j].id == it->id)
				return sg_err_set(e, SG_EINVAL, "finding %lld is given twice",
				                  (long long)it->id);
		if (it->asset_id == 0)
			return sg_err_set(e, SG_ESTATE,
			                  "finding %lld is on no asset; attach it to one first "
			                  "(sigap vuln attach)",
			                  (long long)it->id);
		char in[32];
		if (open_patch_case(a, it->id, in, e) != 0)
			return -1;
		if (in[0])
			return sg_err_set(e, SG_ESTATE, "finding %lld is already in patch case %s",
			                  (long long)it->id, in);
		if (!finding_state_open(it->state) || strcmp(it->state, "dalam_perbaikan") == 0)
			return sg_err_set(e, SG_ESTATE,
			                  "finding %lld is %s; a patch case is started from open "
			                  "findings (baru, terverifikasi, dibuka_kembali)",
			                  (long long)it->id, it->state);
		if (it->opd_id != v[0].opd_id)
			return sg_err_set(e, SG_EINVAL,
			                  "finding %lld is of OPD %s and finding %lld of OPD %s: a "
			                  "patch case serves the administrator of one OPD; start one "
			                  "per OPD",
			                  (long long)it->id, it->opd ? it->opd : "-",
			                  (long long)v[0].id, v[0].opd ? v[0].opd : "-");
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= v[j].asset_id == it->asset_id;
		if (!seen)
			(*n_assets)++;
	}
	if (*n_assets > 1 && !one_software(v, n))
		return sg_err_set(e, SG_EINVAL,
		                  "the findings are on %zu assets and name no common software "
		                  "(component or vulnerability): a patch case is one asset, or one "
		                  "software across assets",
		                  *n_assets);
	return 0;
}

/* Cuts s to at most max bytes without splitting a UTF-8 character. */
static void clip_utf8(char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	s[max] = '\0';
}

/* The patch the case is about: the software (and version) when the
 * findings name one, else their CVEs, else the first title. */
static void patch_name(const patch_item *v, size_t n, buf *out)
{
	if (v[0].component && *v[0].component && one_software(v, n) &&
	    (n == 1 || v[1].component)) {
		buf_puts(out, v[0].component);
		if (v[0].version && *v[0].version)
			buf_printf(out, " %s", v[0].version);
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j;
		json_t *c;
		json_array_foreach(v[i].cves, j, c) {
			if (strstr(buf_str(out), json_string_value(c)))
				continue;
			buf_printf(out, "%s%s", k++ ? ", " : "", json_string_value(c));
		}
	}
	if (k == 0)
		buf_puts(out, v[0].title);
}

/* One CVE's KEV and EPSS, as the draft writes them. */
static int cve_line(app *a, const char *cve, buf *out, sg_err *e)
{
	vuln_cve_priority p;
	if (vuln_intel_priority(a, cve, &p, e) != 0)
		return -1;
	buf_puts(out, cve);
	if (p.kev || p.epss >= 0) {
		buf_puts(out, " (");
		if (p.kev)
			buf_printf(out, "KEV, tenggat %s%s", p.kev_due,
			           p.kev_ransomware ? ", dipakai ransomware" : "");
		if (p.epss >= 0)
			buf_printf(out, "%sEPSS %.3f, persentil %.3f", p.kev ? "; " : "", p.epss,
			           p.percentile);
		buf_putc(out, ')');
	}
	return 0;
}

/* The first step's text: what the findings say, for the administrator
 * who decides whether the patch is needed. */
static int monitoring_draft(app *a, const patch_item *v, size_t n, buf *out, sg_err *e)
{
	buf_printf(out, "Temuan kerentanan (%zu) dari pemindai:\n", n);
	for (size_t i = 0; i < n; i++) {
		const patch_item *it = &v[i];
		buf_printf(out, "- FND-%lld [%s] %s; aset %s (aset %lld, OPD %s)", (long long)it->id,
		           it->severity, it->title, it->asset_name ? it->asset_name : "-",
		           (long long)it->asset_id, it->opd ? it->opd : "-");
		if (it->endpoint && *it->endpoint)
			buf_printf(out, ", %s", it->endpoint);
		if (it->component && *it->component)
			buf_printf(out, "; perangkat lunak %s%s%s", it->component,
			           it->version && *it->version ? " " : "",
			           it->version ? it->version : "");
		if (it->due_at) {
			char due[64];
			civil_format_id_date(it->due_at, a->cfg.cal.zone, due, sizeof due);
			buf_printf(out, "; jatuh tempo %s", due);
		}
		buf_putc(out, '\n');
		size_t j;
		json_t *c;
		json_array_foreach(it->cves, j, c) {
			buf_puts(out, "  ");
			if (cve_line(a, json_string_value(c), out, e) != 0)
				return -1;
			buf_putc(out, '\n');
		}
	}
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		if (v[i].solution == NULL || *v[i].solution == '\0')
			continue;
		bool same = false;
		for (size_t j = 0; j < i; j++)
			same |= v[j].solution && strcmp(v[j].solution, v[i].solution) == 0;
		if (same)
			continue;
		if (!any)
			buf_puts(out, "Solusi menurut pemindai:\n");
		any = true;
		buf_printf(out, "- FND-%lld: %s\n", (long long)v[i].id, v[i].solution);
	}
	return 0;
}

/* The first text field of a step (the draft's home), NULL when none. */
static const sop_field *text_field(const sop_step *st, const char *name)
{
	for (size_t i = 0; i < st->n_fields; i++)
		if (name ? strcmp(st->fields[i].name, name) == 0
		         : st->fields[i].type == FIELD_TEXTAREA || st->fields[i].type == FIELD_TEXT)
			return &st->fields[i];
	return NULL;
}

/* Inside a transaction: the draft of a case's step (replacing one). */
static int draft_put(app *a, int64_t case_id, int step_no, const char *field, const char *text,
                     const char *source, const char *actor, sg_err *e)
{
	json_t *vals = json_pack("{s:s}", field, text);
	char *s = json_dumps(vals, JSON_COMPACT);
	json_decref(vals);
	if (s == NULL)
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	int rc = db_run(a->db, e,
	                "INSERT INTO step_drafts (case_id, step_no, form_values, source, at, actor) "
	                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, step_no) DO UPDATE SET "
	                "form_values = excluded.form_values, source = excluded.source, "
	                "at = excluded.at, actor = excluded.actor",
	                "iissis", case_id, (int64_t)step_no, s, source, app_now(a), actor);
	free(s);
	return rc;
}

json_t *step_draft_get(app *a, int64_t case_id, int step_no, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT form_values, source, at, actor FROM step_drafts "
	                    "WHERE case_id = ? AND step_no = ?",
	                    "ii", case_id, (int64_t)step_no) != 0)
		return NULL;
	int rc = db_step(st, e);
	json_t *out = NULL;
	if (rc == DB_ROW)
		out = json_pack("{s:o, s:s, s:I, s:s}", "values", col_json_doc(st, 0), "source",
		                db_col_text(st, 1), "at", (json_int_t)db_col_int(st, 2), "actor",
		                db_col_text(st, 3));
	else if (rc == DB_DONE)
		out = json_null();
	db_finalize(st);
	return out;
}

static int link_add(app *a, int64_t id, int64_t case_id, const char *kind, const char *actor,
                    sg_err *e)
{
	return db_run(a->db, e,
	              "INSERT INTO finding_cases (finding_id, case_id, kind, linked_at, linked_by) "
	              "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
	              "iisis", id, case_id, kind, app_now(a), actor);
}

/* Inside the transaction: the case, its links, the findings' states, the
 * first step's draft. */
static int patch_write(app *a, const char *actor, const char *origin, const patch_item *v,
                       size_t n, size_t n_assets, char ticket[32], sg_err *e)
{
	const sop_procedure *proc;
	const sop_entry *en = sops_find_procedure(&a->sops, PATCH_PROC, &proc);
	buf name = BUF_INIT, draft = BUF_INIT;
	char title[TITLE_MAX + 1], aset[32];
	int64_t case_id = 0;
	json_t *fields = json_object(), *ids = json_array();
	int rc = -1;
	patch_name(v, n, &name);
	char *pn = strdup(buf_str(&name));
	if (pn == NULL) {
		sg_err_set(e, SG_ENOMEM, "out of memory");
		goto out;
	}
	clip_utf8(pn, PATCH_FIELD_MAX);
	json_object_set_new(fields, "patch", json_string(pn));
	if (n_assets == 1) {
		snprintf(aset, sizeof aset, "%lld", (long long)v[0].asset_id);
		json_object_set_new(fields, "aset", json_string(aset));
		snprintf(title, sizeof title, "Patch %s — %s", pn,
		         v[0].asset_name ? v[0].asset_name : "-");
	} else {
		snprintf(title, sizeof title, "Patch %s — %zu aset %s", pn, n_assets,
		         v[0].opd ? v[0].opd : "");
	}
	free(pn);
	clip_utf8(title, TITLE_MAX);
	if (case_insert(a, en, proc, title, fields, actor, NULL, ticket, &case_id, e) != 0)
		goto out;
	/* the assets it is about (case_assets.c): the one its field names, or
	 * each asset of the findings the officer chose */
	if (n_assets == 1 &&
	    case_assets_from_values(a, case_id, ticket, proc->fields, proc->n_fields, fields, actor,
	                            e) != 0)
		goto out;
	for (size_t i = 0; n_assets > 1 && i < n; i++)
		if (case_asset_link(a, case_id, ticket, v[i].asset_id, "hand", actor, e) != 0)
			goto out;
	if (logbook_record(a, actor, "case.create", "case", ticket,
	                   json_pack("{s:s, s:s, s:s, s:O, s:i, s:s}", "ticket", ticket,
	                             "procedure", proc->id, "title", title, "fields", fields, "step",
	                             proc->steps[0].no, "origin", origin ? origin : ""),
	                   e) != 0 ||
	    outbox_case(a, ticket, actor, e) != 0)
		goto out;
	char reason[96];
	snprintf(reason, sizeof reason, "kasus patch %s", ticket);
	finding_decision d = {.state = "dalam_perbaikan", .reason = reason, .actor = actor};
	for (size_t i = 0; i < n; i++) {
		if (link_add(a, v[i].id, case_id, "patch", actor, e) != 0 ||
		    finding_decide_one(a, &d, v[i].id, e) != 0)
			goto out;
		json_array_append_new(ids, json_integer(v[i].id));
	}
	const sop_field *f = text_field(&proc->steps[0], NULL);
	if (f) {
		if (monitoring_draft(a, v, n, &draft, e) != 0)
			goto out;
		char *text = strdup(buf_str(&draft));
		if (text == NULL) {
			sg_err_set(e, SG_ENOMEM, "out of memory");
			goto out;
		}
		clip_utf8(text, DRAFT_MAX);
		rc = draft_put(a, case_id, proc->steps[0].no, f->name, text, "findings", actor, e);
		free(text);
		if (rc != 0)
			goto out;
		rc = -1;
	}
	rc = logbook_record(a, actor, "vuln.patch", "case", ticket,
	                    json_pack("{s:O, s:s?}", "findings", ids, "draft_field",
	                              f ? f->name : NULL),
	                    e);
out:
	buf_free(&name);
	buf_free(&draft);
	json_decref(fields);
	json_decref(ids);
	return rc;
}

int finding_patch_may_open(app *a, const char *actor, sg_err *e)
{
	if (finding_check_staff(a, actor, e) != 0)
		return -1;
	const sop_procedure *proc;
	const sop_entry *en = sops_find_procedure(&a->sops, PATCH_PROC, &proc);
	if (en == NULL)
		return sg_err_set(e, SG_ENOTFOUND, "no SOP procedure '%s' is loaded", PATCH_PROC);
	return case_may_open(a, actor, en->sop, proc, e);
}

int finding_patch_open(app *a, const char *actor, const int64_t *ids, size_t n,
                       const char *origin, char ticket[32], sg_err *e)
{
	ticket[0] = '\0';
	if (n == 0 || n > FINDING_BULK_MAX)
		return sg_err_set(e, SG_EINVAL, "start a patch case from 1 to %d findings",
		                  FINDING_BULK_MAX);
	if (finding_patch_may_open(a, actor, e) != 0)
		return -1;
	patch_item *v = calloc(n, sizeof *v);
	if (v == NULL)
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	int rc = -1;
	size_t loaded = 0, n_assets = 0;
	if (db_begin(a->db, e) != 0)
		goto out;
	for (; loaded < n; loaded++)
		if (item_load(a, ids[loaded], &v[loaded], e) != 0) {
			loaded++;
			goto rollback;
		}
	if (items_check(a, v, n, &n_assets, e) != 0 ||
	    patch_write(a, actor, origin, v, n, n_assets, ticket, e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto rollback;
	rc = 0;
	goto out;
rollback:
	db_rollback(a->db);
	ticket[0] = '\0';
out:
	for (size_t i = 0; i < loaded; i++)
		item_free(&v[i]);
	free(v);
	return rc;
}

/* ---- a CTI case's vulnerability assessment ---- */

int finding_case_link(app *a, const char *actor, const char *ticket, const int64_t *ids,
                      size_t n, sg_err *e)
{
	if (n == 0 || n > FINDING_BULK_MAX)
		return sg_err_set(e, SG_EINVAL, "link 1 to %d findings at once", FINDING_BULK_MAX);
	if (finding_check_staff(a, actor, e) != 0)
		return -1;
	case_row row;
	if (case_begin_whole(a, actor, ticket, &row, e) != 0)
		return -1;
	if (strcmp(row.procedure_id, CTI_PROC) != 0) {
		sg_err_set(e, SG_EINVAL,
		           "case %s is not a CTI case: findings are linked to a CTI case's "
		           "vulnerability assessment; a patch case is started from findings "
		           "(sigap vuln patch)",
		           ticket);
		goto fail;
	}
	if (!row.open) {
		sg_err_set(e, SG_ESTATE, "case %s is closed", ticket);
		goto fail;
	}
	json_t *linked = json_array();
	int64_t asset = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t aid = 0;
		int rc = db_query_int(a->db, e, &aid,
		                      "SELECT COALESCE(asset_id, 0) FROM findings WHERE id = ?", "i",
		                      ids[i]);
		if (rc == DB_DONE)
			sg_err_set(e, SG_ENOTFOUND, "no finding %lld", (long long)ids[i]);
		else if (rc == DB_ROW && aid == 0)
			sg_err_set(e, SG_ESTATE,
			           "finding %lld is on no asset; attach it to one first (sigap vuln "
			           "attach)",
			           (long long)ids[i]);
		else if (rc == DB_ROW && asset && aid != asset)
			sg_err_set(e, SG_EINVAL,
			           "finding %lld is on asset %lld and finding %lld on asset %lld: an "
			           "assessment links the findings of one asset",
			           (long long)ids[i], (long long)aid, (long long)ids[0],
			           (long long)asset);
		if (rc != DB_ROW || aid == 0 || (asset && aid != asset) ||
		    link_add(a, ids[i], row.id, "assessment", actor, e) != 0) {
			json_decref(linked);
			goto fail;
		}
		asset = aid;
		json_array_append_new(linked, json_integer(ids[i]));
	}
	if (logbook_record(a, actor, "vuln.assessment", "case", ticket,
	                   json_pack("{s:o, s:I}", "findings", linked, "asset", (json_int_t)asset),
	                   e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

json_t *finding_list_case(app *a, int64_t case_id, const char *opd_of, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT f.id, l.kind, f.title, f.severity, f.state, f.asset_id, a.name, "
	                    "f.endpoint, f.due_at, l.linked_at, l.linked_by FROM finding_cases l "
	                    "JOIN findings f ON f.id = l.finding_id LEFT JOIN assets a ON "
	                    "a.id = f.asset_id WHERE l.case_id = ? AND (? IS NULL OR a.opd_id = "
	                    "(SELECT opd_id FROM users WHERE name = ?)) ORDER BY f.id",
	                    "iss", case_id, opd_of, opd_of) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		const char *state = db_col_text(st, 4);
		bool overdue = !db_col_null(st, 8) && db_col_int(st, 8) < app_now(a) &&
		               finding_state_open(state);
		json_t *asset = db_col_null(st, 5)
		                    ? json_null()
		                    : json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(st, 5),
		                                "name", db_col_text(st, 6));
		json_array_append_new(
		    out, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:b, s:I, s:s}", "id",
		                   (json_int_t)id, "kind", db_col_text(st, 1), "title",
		                   db_col_text(st, 2), "severity", db_col_text(st, 3), "state", state,
		                   "asset", asset, "endpoint", db_col_text(st, 7), "due_at",
		                   col_json_int(st, 8), "overdue", overdue, "linked_at",
		                   (json_int_t)db_col_int(st, 9), "linked_by", db_col_text(st, 10)));
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		json_decref(out);
		return NULL;
	}
	/* the CVEs, after the statement is done */
	size_t i;
	json_t *f;
	json_array_foreach(out, i, f) {
		db_stmt *c;
		if (db_prepare_bind(a->db, &c, e,
		                    "SELECT cve FROM finding_cves WHERE finding_id = ? ORDER BY cve", "i",
		                    (int64_t)json_integer_value(json_object_get(f, "id"))) != 0) {
			json_decref(out);
			return NULL;
		}
		json_t *cves = json_array();
		while ((rc = db_step(c, e)) == DB_ROW)
			json_array_append_new(cves, json_string(db_col_text(c, 0)));
		db_finalize(c);
		json_object_set_new(f, "cves", cves);
		if (rc != DB_DONE) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

/* ---- what an import tells the patch cases ---- */

/* An import's report as a case's evidence and what the comment says of it. */
typedef struct import_facts {
	char sha[65], filename[256], scanner[32], when[64];
	int64_t size;
} import_facts;

static int import_facts_load(app *a, int64_t import_id, import_facts *f, sg_err *e)
{
	memset(f, 0, sizeof *f);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT sha256, filename, size, scanner, imported_at FROM vuln_imports "
	                    "WHERE id = ?",
	                    "i", import_id) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		snprintf(f->sha, sizeof f->sha, "%s", db_col_text(st, 0));
		snprintf(f->filename, sizeof f->filename, "%s",
		         *db_col_text(st, 1) ? db_col_text(st, 1) : "laporan-pemindaian");
		f->size = db_col_int(st, 2);
		snprintf(f->scanner, sizeof f->scanner, "%s", db_col_text(st, 3));
		civil_format_id(db_col_int(st, 4), a->cfg.cal.zone, f->when, sizeof f->when);
	}
	db_finalize(st);
	if (rc == DB_DONE)
		return sg_err_set(e, SG_ENOTFOUND, "no import %lld", (long long)import_id);
	return rc == DB_ROW ? 0 : -1;
}

static int comment_add(app *a, int64_t case_id, const char *ticket, const char *actor,
                       const char *body, sg_err *e)
{
	if (db_run(a->db, e,
	           "INSERT INTO comments (case_id, author, body, created_at) VALUES (?, ?, ?, ?)",
	           "issi", case_id, actor, body, app_now(a)) != 0)
		return -1;
	return logbook_record(a, actor, "case.comment", "case", ticket,
	                      json_pack("{s:s, s:s, s:s}", "ticket", ticket, "body", body, "origin",
	                                "sigap"),
	                      e);
}

/* The step of a case's procedure holding field (0: none). */
static int step_with_field(app *a, const char *ticket, const char *field, case_row *row,
                           sg_err *e)
{
	if (load_case_row(a, ticket, row, e) != 0)
		return -1;
	const sop_entry *en;
	const sop_procedure *proc = case_procedure(a, row, &en, e);
	if (proc == NULL)
		return -1;
	for (size_t i = 0; i < proc->n_steps; i++)
		if (text_field(&proc->steps[i], field))
			return proc->steps[i].no;
	return 0;
}

/* One patch case all of whose findings this import no longer found. */
static int rescan_record(app *a, int64_t case_id, const char *ticket, int64_t import_id,
                         const import_facts *im, const char *actor, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT f.id, f.title, COALESCE(a.name, f.host), f.endpoint "
	                    "FROM finding_cases l JOIN findings f ON f.id = l.finding_id "
	                    "LEFT JOIN assets a ON a.id = f.asset_id "
	                    "WHERE l.case_id = ? AND l.kind = 'patch' ORDER BY f.id",
	                    "i", case_id) != 0)
		return -1;
	buf text = BUF_INIT;
	json_t *ids = json_array();
	buf_printf(&text,
	           "Pemindaian ulang (impor kerentanan %lld: %s, pemindai %s, %s) tidak lagi "
	           "menemukan temuan kasus ini; temuan ditandai diperbaiki:\n",
	           (long long)import_id, im->filename, im->scanner, im->when);
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		buf_printf(&text, "- FND-%lld %s; %s%s%s\n", (long long)db_col_int(st, 0),
		           db_col_text(st, 1), db_col_text(st, 2), *db_col_text(st, 3) ? ", " : "",
		           db_col_text(st, 3));
		json_array_append_new(ids, json_integer(db_col_int(st, 0)));
	}
	db_finalize(st);
	buf_printf(&text, "Laporan pemindaian terlampir sebagai bukti (SHA-256 %s).", im->sha);
	case_row row;
	int step = rc == DB_DONE ? step_with_field(a, ticket, PATCH_VERIFY_FIELD, &row, e) : -1;
	char source[48], origin[64];
	snprintf(source, sizeof source, "vuln_import:%lld", (long long)import_id);
	snprintf(origin, sizeof origin, "impor kerentanan %lld", (long long)import_id);
	int r = -1;
	if (step < 0)
		goto out;
	if (step > 0 &&
	    draft_put(a, case_id, step, PATCH_VERIFY_FIELD, buf_str(&text), source, actor, e) != 0)
		goto out;
	if (evidence_attach(a, case_id, im->sha, im->size, im->filename, NULL, actor, origin, e) !=
	        0 ||
	    comment_add(a, case_id, ticket, actor, buf_str(&text), e) != 0)
		goto out;
	r = logbook_record(a, actor, "case.rescan", "case", ticket,
	                   json_pack("{s:I, s:O, s:s, s:i}", "import", (json_int_t)import_id,
	                             "findings", ids, "sha256", im->sha, "step", step),
	                   e);
out:
	buf_free(&text);
	json_decref(ids);
	return r;
}

int finding_cases_rescan(app *a, int64_t import_id, const char *actor, sg_err *e)
{
	/* the open patch cases of the findings this import made diperbaiki,
	 * and how many of their findings are not diperbaiki */
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT c.id, c.ticket, (SELECT COUNT(*) FROM finding_cases m JOIN "
	                    "findings g ON g.id = m.finding_id WHERE m.case_id = c.id AND "
	                    "m.kind = 'patch' AND g.state <> 'diperbaiki') FROM cases c WHERE "
	                    "c.status = 'open' AND c.id IN (SELECT l.case_id FROM finding_history "
	                    "h JOIN finding_cases l ON l.finding_id = h.finding_id AND l.kind = "
	                    "'patch' WHERE h.import_id = ? AND h.to_state = 'diperbaiki') "
	                    "ORDER BY c.id",
	                    "i", import_id) != 0)
		return -1;
	json_t *todo = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		if (db_col_int(st, 2) == 0)
			json_array_append_new(todo, json_pack("[I, s]", (json_int_t)db_col_int(st, 0),
			                                      db_col_text(st, 1)));
	db_finalize(st);
	if (rc != DB_DONE || json_array_size(todo) == 0) {
		json_decref(todo);
		return rc == DB_DONE ? 0 : -1;
	}
	import_facts im;
	int r = import_facts_load(a, import_id, &im, e);
	size_t i;
	json_t *t;
	json_array_foreach(todo, i, t) {
		if (r != 0)
			break;
		r = rescan_record(a, json_integer_value(json_array_get(t, 0)),
		                  json_string_value(json_array_get(t, 1)), import_id, &im, actor, e);
	}
	json_decref(todo);
	return r;
}

int finding_cases_reopened(app *a, int64_t id, int64_t import_id, const char *actor,
                           sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT c.id, c.ticket FROM finding_cases l JOIN cases c ON "
	                    "c.id = l.case_id WHERE l.finding_id = ? AND l.kind = 'patch' AND "
	                    "c.status = 'open' ORDER BY c.id",
	                    "i", id) != 0)
		return -1;
	json_t *todo = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(todo, json_pack("[I, s]", (json_int_t)db_col_int(st, 0),
		                                      db_col_text(st, 1)));
	db_finalize(st);
	int r = rc == DB_DONE ? 0 : -1;
	size_t i;
	json_t *t;
	json_array_foreach(todo, i, t) {
		if (r != 0)
			break;
		int64_t case_id = json_integer_value(json_array_get(t, 0));
		const char *ticket = json_string_value(json_array_get(t, 1));
		char body[256];
		snprintf(body, sizeof body,
		         "FND-%lld ditemukan kembali oleh impor kerentanan %lld (dibuka kembali): "
		         "patch belum menutup kerentanan ini.",
		         (long long)id, (long long)import_id);
		r = db_run(a->db, e,
		           "DELETE FROM step_drafts WHERE case_id = ? AND source LIKE 'vuln_import:%'",
		           "i", case_id) != 0 ||
		            comment_add(a, case_id, ticket, actor, body, e) != 0 ||
		            logbook_record(a, actor, "case.finding_reopened", "case", ticket,
		                           json_pack("{s:I, s:I}", "finding", (json_int_t)id, "import",
		                                     (json_int_t)import_id),
		                           e) != 0
		        ? -1
		        : 0;
	}
	json_decref(todo);
	return r;
}

/* ---- overdue findings in Tugas saya ---- */

/* Whose overdue findings wait for user: 1 every one (a holder of the
 * role that monitors patches, the patch SOP's first step: its
 * administrator), 2 its OPD's (an agen_siber, *opd_id), 0 none. */
static int tasks_scope(app *a, const char *user, json_t *roles, int64_t *opd_id, sg_err *e)
{
	*opd_id = 0;
	if (user == NULL || *user == '\0')
		return 0;
	json_t *held = roles ? json_incref(roles) : NULL;
	if (held == NULL) {
		sg_err ignore;
		held = user_roles(a, user, &ignore);
		if (held == NULL)
			return 0;
	}
	const sop_procedure *proc;
	int scope = 0;
	if (sops_find_procedure(&a->sops, PATCH_PROC, &proc) && proc->n_steps &&
	    roles_hold(held, proc->steps[0].role))
		scope = 1;
	else if (roles_hold(held, "agen_siber"))
		scope = 2;
	json_decref(held);
	if (scope == 2 &&
	    db_query_int(a->db, e, opd_id, "SELECT COALESCE(opd_id, 0) FROM users WHERE name = ?",
	                 "s", user) < 0)
		return -1;
	return scope == 2 && *opd_id == 0 ? 0 : scope;
}

int finding_tasks_count(app *a, const char *user, json_t *roles, int64_t cap, int64_t *out,
                        sg_err *e)
{
	*out = 0;
	int64_t opd = 0;
	int scope = tasks_scope(a, user, roles, &opd, e);
	if (scope <= 0)
		return scope;
	/* the open states with a due date passed: a range of findings_by_state
	 * per state (state, due date null or not, due date), stopped at cap */
	return db_query_int(a->db, e, out,
	                    "SELECT COUNT(*) FROM (SELECT 1 FROM findings f LEFT JOIN assets a ON "
	                    "a.id = f.asset_id WHERE f.state IN ('baru', 'terverifikasi', "
	                    "'dalam_perbaikan', 'dibuka_kembali') AND (f.due_at IS NULL) = FALSE AND "
	                    "f.due_at < ? AND "
	                    "(? = 0 OR a.opd_id = ?) LIMIT ?) AS due",
	                    "iiii", app_now(a), opd, opd, cap > 0 ? cap : INT64_MAX) < 0
	           ? -1
	           : 0;
}

json_t *finding_tasks(app *a, const char *user, json_t *roles, int limit, int64_t *total,
                      sg_err *e)
{
	*total = 0;
	int64_t opd = 0;
	int scope = tasks_scope(a, user, roles, &opd, e);
	if (scope < 0)
		return NULL;
	if (scope == 0)
		return json_array();
	char opd_ref[32];
	snprintf(opd_ref, sizeof opd_ref, "%lld", (long long)opd);
	finding_filter f = {.overdue = true, .sort = FINDING_SORT_DUE, .limit = limit,
	                    .opd = scope == 2 ? opd_ref : NULL, .viewer = user};
	return finding_list(a, &f, total, e);
}
