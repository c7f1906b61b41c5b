/*
 * vuln_report.c: the vulnerability report of one OPD, for printing
 * (web/page_vuln_report.c draws it): the OPD's assets in service, each
 * with its open findings by severity (the most severe, then the soonest
 * due, first) with due dates, overdue marks, KEV and the highest EPSS of
 * their CVEs, and the summary counts.
 *
 * Who may read it follows the findings' need-to-know (findings.c): CSIRT
 * staff any OPD's, an agen_siber its own OPD's; for anyone else, and for
 * another OPD, the answer is the one of an OPD that does not exist
 * (SG_ENOTFOUND), so the report tells nothing of who exists.
 *
 * Cost: O(the OPD's open findings) with their CVEs; a report of a few
 * thousand findings is a few thousand rows.
 */
#include <stdlib.h>
#include <string.h>

#include "findings.h"

#define OPEN "('baru', 'terverifikasi', 'dalam_perbaikan', 'dibuka_kembali')"

static const char *const SEVERITIES[] = {"critical", "high", "medium", "low", "info"};

/* The OPD named by abbreviation (any case) or number, if viewer may read
 * its report: {id, abbrev, name, head, contact}. */
static json_t *opd_of(app *a, const char *opd, const char *viewer, sg_err *e)
{
	bool all;
	int64_t own;
	if (finding_scope(a, viewer, &all, &own, e) != 0)
		return NULL;
	char *end;
	long long num = opd ? strtoll(opd, &end, 10) : 0;
	if (opd == NULL || *opd == '\0' || !(*end == '\0' || num == 0))
		num = -1;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT id, abbrev, name, head, contact FROM opd "
	                    "WHERE abbrev = upper(?) OR id = ?",
	                    "si", opd ? opd : "", (int64_t)num) != 0)
		return NULL;
	int rc = db_step(st, e);
	json_t *o = NULL;
	if (rc == DB_ROW && (all || db_col_int(st, 0) == own))
		o = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0),
		              "abbrev", db_col_text(st, 1), "name", db_col_text(st, 2), "head",
		              db_col_text(st, 3), "contact", db_col_text(st, 4));
	db_finalize(st);
	if (rc < 0)
		return NULL;
	if (o == NULL)
		sg_err_set(e, SG_ENOTFOUND, "no OPD %s", opd ? opd : "");
	return o;
}

/* KEV and EPSS of a finding's CVEs: {cves, kev, kev_due, epss}. */
static int intel_of(app *a, int64_t id, json_t *f, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT c.cve, k.due_date, p.epss FROM finding_cves c "
	                    "LEFT JOIN vuln_kev k ON k.cve_id = c.cve "
	                    "LEFT JOIN vuln_epss p ON p.cve_id = c.cve "
	                    "WHERE c.finding_id = ? ORDER BY c.cve",
	                    "i", id) != 0)
		return -1;
	json_t *cves = json_array();
	bool kev = false;
	double epss = -1;
	char due[16] = "";
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_array_append_new(cves, json_string(db_col_text(st, 0)));
		if (!db_col_null(st, 1)) {
			const char *d = db_col_text(st, 1);
			if (!kev || strcmp(d, due) < 0)
				snprintf(due, sizeof due, "%s", d);
			kev = true;
		}
		if (!db_col_null(st, 2) && db_col_real(st, 2) > epss)
			epss = db_col_real(st, 2);
	}
	db_finalize(st);
	json_object_set_new(f, "cves", cves);
	json_object_set_new(f, "kev", json_boolean(kev));
	json_object_set_new(f, "kev_due_date", kev ? json_string(due) : json_null());
	json_object_set_new(f, "epss", epss >= 0 ? json_real(epss) : json_null());
	return rc == DB_DONE ? 0 : -1;
}

json_t *vuln_opd_report(app *a, const char *opd, const char *viewer, sg_err *e)
{
	json_t *o = opd_of(a, opd, viewer, e);
	if (o == NULL)
		return NULL;
	int64_t now = app_now(a);
	json_t *out = json_pack("{s:o, s:I}", "opd", o, "generated_at", (json_int_t)now);
	json_t *assets = json_array();
	json_object_set_new(out, "assets", assets);
	int64_t count[5] = {0}, overdue = 0, kev = 0;
	db_stmt *st;
	if (db_prepare_bind(
	        a->db, &st, e,
	        "SELECT s.id, s.name, s.kind, s.kse, s.criticality, f.id, f.title, f.severity, "
	        "f.state, f.due_at, f.endpoint, f.first_seen, f.last_seen, f.cvss3_score "
	        "FROM assets s LEFT JOIN findings f ON f.asset_id = s.id AND f.state IN " OPEN
	        " WHERE s.opd_id = ? AND s.retired_at IS NULL ORDER BY s.name, s.id, "
	        "CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 "
	        "WHEN 'low' THEN 1 ELSE 0 END DESC, f.due_at IS NULL, f.due_at, f.id",
	        "i", (int64_t)json_integer_value(json_object_get(o, "id"))) != 0)
		goto fail;
	json_t *cur = NULL;
	int64_t cur_id = 0;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		if (cur == NULL || db_col_int(st, 0) != cur_id) {
			cur_id = db_col_int(st, 0);
			cur = json_pack("{s:I, s:s, s:s, s:o, s:o, s:[]}", "id", (json_int_t)cur_id,
			                "name", db_col_text(st, 1), "kind", db_col_text(st, 2), "kse",
			                db_col_null(st, 3) ? json_null() : json_string(db_col_text(st, 3)),
			                "criticality",
			                db_col_null(st, 4) ? json_null() : json_string(db_col_text(st, 4)),
			                "findings");
			json_array_append_new(assets, cur);
		}
		if (db_col_null(st, 5))
			continue; /* an asset with no open finding */
		int64_t fid = db_col_int(st, 5);
		const char *sev = db_col_text(st, 7);
		bool late = !db_col_null(st, 9) && db_col_int(st, 9) < now;
		json_t *f = json_pack(
		    "{s:I, s:s, s:s, s:s, s:o, s:b, s:s, s:I, s:I, s:o}", "id", (json_int_t)fid, "title",
		    db_col_text(st, 6), "severity", sev, "state", db_col_text(st, 8), "due_at",
		    db_col_null(st, 9) ? json_null() : json_integer(db_col_int(st, 9)), "overdue", late,
		    "endpoint", db_col_text(st, 10), "first_seen", (json_int_t)db_col_int(st, 11),
		    "last_seen", (json_int_t)db_col_int(st, 12), "cvss3_score",
		    db_col_null(st, 13) ? json_null() : json_real(db_col_real(st, 13)));
		json_array_append_new(json_object_get(cur, "findings"), f);
		if (intel_of(a, fid, f, e) != 0) {
			rc = -1;
			break;
		}
		for (int i = 0; i < 5; i++)
			if (strcmp(sev, SEVERITIES[i]) == 0)
				count[i]++;
		overdue += late;
		kev += json_is_true(json_object_get(f, "kev"));
	}
	db_finalize(st);
	if (rc < 0)
		goto fail;
	json_t *sum = json_pack("{s:I, s:I, s:I}", "assets", (json_int_t)json_array_size(assets),
	                        "overdue", (json_int_t)overdue, "kev", (json_int_t)kev);
	int64_t open = 0;
	for (int i = 0; i < 5; i++) {
		json_object_set_new(sum, SEVERITIES[i], json_integer(count[i]));
		open += count[i];
	}
	json_object_set_new(sum, "open", json_integer(open));
	json_object_set_new(out, "summary", sum);
	return out;
fail:
	json_decref(out);
	return NULL;
}
