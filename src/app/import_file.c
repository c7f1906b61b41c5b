/*
 * import_file.c: who may read the stored file of a scanner report.
 *
 * An import keeps its report in the evidence store under its SHA-256
 * (findings_import.c), not attached to a case, so the need-to-know rule
 * of case evidence (evidence_visible) does not reach it. A report is the
 * CSIRT's: it names every host the scanner looked at, of every OPD, so
 * its readers are the CSIRT's staff (finding_check_staff) and the
 * machine's owner; an agen_siber reads its OPD's findings, not the
 * report (the finding page does not link it: finding_report_readable).
 * The pages the website monitor kept are read by whoever reads their site
 * (monitor_evidence_visible).
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "findings.h"

bool finding_report_readable(app *a, const char *user)
{
	sg_err e = {0};
	return user == NULL || finding_check_staff(a, user, &e) == 0;
}

int evidence_or_report_visible(app *a, const char *user, const char *sha, int64_t *size,
                               char filename[256], sg_err *e)
{
	if (evidence_visible(a, user, sha, size, filename, e) == 0)
		return 0;
	if (e->code != SG_ENOTFOUND)
		return -1;
	/* a page the website monitor kept, of a site the user reads */
	sg_err me = {0};
	if (monitor_evidence_visible(a, user, sha, size, filename, &me) == 0)
		return 0;
	if (me.code != SG_ENOTFOUND)
		return *e = me, -1;
	if (!finding_report_readable(a, user))
		return -1;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT size, filename FROM vuln_imports WHERE sha256 = ? "
	                    "ORDER BY id DESC LIMIT 1",
	                    "s", sha) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		*size = db_col_int(st, 0);
		snprintf(filename, 256, "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	if (rc == DB_ROW)
		return 0;
	if (rc < 0)
		return -1;
	return sg_err_set(e, SG_ENOTFOUND, "no evidence with this SHA-256");
}

int vuln_import_scanner(app *a, int64_t id, char *out, size_t n, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT scanner FROM vuln_imports WHERE id = ?", "i",
	                    id) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		snprintf(out, n, "%s", db_col_text(st, 0));
	db_finalize(st);
	if (rc == DB_ROW)
		return 0;
	return rc < 0 ? -1 : sg_err_set(e, SG_ENOTFOUND, "no import %lld", (long long)id);
}
