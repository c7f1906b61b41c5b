/*
 * dashboard_vuln.c: the vulnerability figures of the dashboard: open
 * critical and high findings per OPD, the findings in CISA's KEV past
 * their due date, and the mean time to remediate per severity over the
 * last 90 days (from first seen to fixed, for the findings fixed in the
 * window).
 *
 * Who sees what follows the findings' need-to-know (findings.c): CSIRT
 * staff every OPD (and the findings no asset holds), an agen_siber its
 * own OPD, anyone else none (the figures are then null).
 *
 * Cost: the counts per OPD read finding_counts (0018_finding_list.sql:
 * a few thousand rows whatever the number of findings); past due for
 * staff finding_counts' overdue total (the kept days due,
 * 0020_finding_filters.sql), for an agen_siber one pass over its OPD's
 * findings (the list's overdue total); KEV past due
 * starts from the catalog's CVEs (a thousand or so) through the CVE
 * index; the time to remediate reads the findings fixed in the window
 * through findings_by_fixed.
 */
#include <string.h>

#include "findings.h"

enum { MTTR_DAYS = 90 };

#define OPEN "('baru', 'terverifikasi', 'dalam_perbaikan', 'dibuka_kembali')"

/* [{id, abbrev, name, critical, high}] per OPD in scope, most critical
 * first; the OPD of an agen_siber even when it has none. */
static json_t *per_opd(app *a, int64_t opd, int64_t *crit, int64_t *high, sg_err *e)
{
	db_stmt *st;
	const char *sql =
	    "SELECT o.id, o.abbrev, o.name, "
	    "COALESCE(SUM(CASE WHEN c.severity = 'critical' THEN c.n END), 0), "
	    "COALESCE(SUM(CASE WHEN c.severity = 'high' THEN c.n END), 0) FROM opd o "
	    "LEFT JOIN assets s ON s.opd_id = o.id LEFT JOIN finding_counts c ON c.asset_id = s.id "
	    "AND c.severity IN ('critical', 'high') AND c.state IN " OPEN " WHERE (? = 0 OR o.id = ?) "
	    "GROUP BY o.id ORDER BY 4 DESC, 5 DESC, o.abbrev";
	if (db_prepare_bind(a->db, &st, e, sql, "ii", opd, opd) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		int64_t c = db_col_int(st, 3), h = db_col_int(st, 4);
		*crit += c;
		*high += h;
		json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:I, s:I}", "id",
		                                     (json_int_t)db_col_int(st, 0), "abbrev",
		                                     db_col_text(st, 1), "name", db_col_text(st, 2),
		                                     "critical", (json_int_t)c, "high", (json_int_t)h));
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* Open critical and high findings no asset holds (staff only). */
static int unmatched(app *a, json_t *out, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT COALESCE(SUM(CASE WHEN severity = 'critical' THEN n END), 0), "
	                    "COALESCE(SUM(CASE WHEN severity = 'high' THEN n END), 0) "
	                    "FROM finding_counts WHERE asset_id = 0 AND severity IN ('critical', "
	                    "'high') AND state IN " OPEN,
	                    "") != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		json_object_set_new(out, "unmatched",
		                    json_pack("{s:I, s:I}", "critical", (json_int_t)db_col_int(st, 0),
		                              "high", (json_int_t)db_col_int(st, 1)));
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

/* Open findings with a CVE in CISA's KEV whose due date has passed. */
static int kev_overdue(app *a, bool all, int64_t opd, int64_t now, int64_t *n, sg_err *e)
{
	int rc = all ? db_query_int(a->db, e, n,
	                            "SELECT COUNT(DISTINCT f.id) FROM vuln_kev k "
	                            "JOIN finding_cves c ON c.cve = k.cve_id "
	                            "JOIN findings f ON f.id = c.finding_id "
	                            "WHERE f.state IN " OPEN " AND f.due_at < ?",
	                            "i", now)
	             : db_query_int(a->db, e, n,
	                            "SELECT COUNT(DISTINCT f.id) FROM vuln_kev k "
	                            "JOIN finding_cves c ON c.cve = k.cve_id "
	                            "JOIN findings f ON f.id = c.finding_id "
	                            "JOIN assets s ON s.id = f.asset_id "
	                            "WHERE f.state IN " OPEN " AND f.due_at < ? AND s.opd_id = ?",
	                            "ii", now, opd);
	return rc == DB_ROW ? 0 : -1;
}

/* [{severity, fixed, mean_days}] for critical to low: the findings fixed
 * since `since` and their mean days from first seen to fixed (null when
 * none was fixed). */
static json_t *mttr(app *a, bool all, int64_t opd, int64_t since, sg_err *e)
{
	db_stmt *st;
	int rc = all ? db_prepare_bind(a->db, &st, e,
	                               "SELECT f.severity, COUNT(*), AVG(f.fixed_at - f.first_seen) "
	                               "FROM findings f WHERE f.fixed_at >= ? AND "
	                               "f.state = 'diperbaiki' GROUP BY f.severity",
	                               "i", since)
	             : db_prepare_bind(a->db, &st, e,
	                               "SELECT f.severity, COUNT(*), AVG(f.fixed_at - f.first_seen) "
	                               "FROM findings f JOIN assets s ON s.id = f.asset_id "
	                               "WHERE f.fixed_at >= ? AND f.state = 'diperbaiki' "
	                               "AND s.opd_id = ? GROUP BY f.severity",
	                               "ii", since, opd);
	if (rc != 0)
		return NULL;
	static const char *const sevs[] = {"critical", "high", "medium", "low"};
	int64_t fixed[4] = {0};
	double mean[4] = {0};
	while ((rc = db_step(st, e)) == DB_ROW)
		for (int i = 0; i < 4; i++)
			if (strcmp(db_col_text(st, 0), sevs[i]) == 0) {
				fixed[i] = db_col_int(st, 1);
				mean[i] = db_col_real(st, 2) / 86400.0;
			}
	db_finalize(st);
	if (rc < 0)
		return NULL;
	json_t *out = json_array();
	for (int i = 0; i < 4; i++)
		json_array_append_new(out, json_pack("{s:s, s:I, s:o}", "severity", sevs[i], "fixed",
		                                     (json_int_t)fixed[i], "mean_days",
		                                     fixed[i] ? json_real(mean[i]) : json_null()));
	return out;
}

json_t *dashboard_findings(app *a, const char *viewer, sg_err *e)
{
	bool all;
	int64_t opd;
	if (finding_scope(a, viewer, &all, &opd, e) != 0)
		return NULL;
	if (!all && opd == 0)
		return json_null();
	int64_t now = app_now(a), crit = 0, high = 0, kev = 0;
	json_t *out = json_object();
	json_t *opds = per_opd(a, all ? 0 : opd, &crit, &high, e);
	if (opds == NULL)
		goto fail;
	json_object_set_new(out, "per_opd", opds);
	if (all && unmatched(a, out, e) != 0)
		goto fail;
	if (all) {
		json_t *u = json_object_get(out, "unmatched");
		crit += json_integer_value(json_object_get(u, "critical"));
		high += json_integer_value(json_object_get(u, "high"));
	}
	if (kev_overdue(a, all, opd, now, &kev, e) != 0)
		goto fail;
	/* every open finding past its due date, as the list's overdue filter
	 * counts it for the viewer (the kept days due for staff) */
	finding_filter od = {.overdue = true, .viewer = viewer};
	int64_t by_sev[5];
	if (finding_counts(a, &od, by_sev, e) != 0)
		goto fail;
	int64_t overdue = 0;
	for (int i = 0; i < 5; i++)
		overdue += by_sev[i];
	json_t *m = mttr(a, all, opd, now - (int64_t)MTTR_DAYS * 86400, e);
	if (m == NULL)
		goto fail;
	json_object_set_new(out, "mttr", m);
	json_object_set_new(out, "mttr_days", json_integer(MTTR_DAYS));
	json_object_set_new(out, "scope", json_string(all ? "all" : "opd"));
	json_object_set_new(out, "open_critical", json_integer(crit));
	json_object_set_new(out, "open_high", json_integer(high));
	json_object_set_new(out, "kev_overdue", json_integer(kev));
	json_object_set_new(out, "overdue", json_integer(overdue));
	return out;
fail:
	json_decref(out);
	return NULL;
}
