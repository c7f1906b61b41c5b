/*
 * findings.c: vulnerability findings as officers read and decide them:
 * the list with its filters, one finding with its history, decisions on
 * one or many findings, attaching unmatched ones to an asset, and due
 * dates (findings.h; the import is findings_import.c).
 *
 * States (docs/findings.md):
 *
 *   baru ──► terverifikasi ──► dalam_perbaikan ──► diperbaiki ──► dibuka_kembali
 *     └──────────┴─► positif_palsu, risiko_diterima ─┘   (by hand or by a rescan)
 *
 * An import creates a finding as baru, reopens a diperbaiki one that is
 * seen again (dibuka_kembali, its due clock restarted) and, for a full
 * rescan, marks diperbaiki the open findings of the rescanned targets the
 * report no longer has. Everything else is an officer's decision, with a
 * reason where the state needs one (the transitions table below), one
 * transaction for any number of findings, each change a history row and
 * a logbook entry.
 *
 * Need-to-know: CSIRT staff (a staff role of some SOP other than
 * agen_siber) see and decide all findings; an agen_siber sees the
 * findings of its OPD's assets (users.opd_id, 0013_assets.sql) and
 * decides none; unattached findings are the CSIRT's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/civil.h"
#include "case_row.h"
#include "col_json.h"
#include "findings.h"

static const char *const severities[] = {"info", "low", "medium", "high", "critical", NULL};

const char *finding_severity_name(int severity)
{
	return severity >= 0 && severity <= 4 ? severities[severity] : NULL;
}

static int severity_rank(const char *s)
{
	for (int i = 0; s && severities[i]; i++)
		if (strcmp(s, severities[i]) == 0)
			return i;
	return -1;
}

/* A state, whether it is open (its due date runs), whether a decision
 * into it needs a reason, and the states it may be decided into by hand. */
typedef struct state_rule {
	const char *name;
	bool open;
	bool needs_reason;
	const char *to[6];
} state_rule;

static const state_rule rules[] = {
    {"baru", true, false,
     {"terverifikasi", "positif_palsu", "risiko_diterima", "dalam_perbaikan", "diperbaiki"}},
    {"terverifikasi", true, false,
     {"positif_palsu", "risiko_diterima", "dalam_perbaikan", "diperbaiki"}},
    {"positif_palsu", false, true, {"dibuka_kembali"}},
    {"risiko_diterima", false, true, {"dibuka_kembali", "diperbaiki"}},
    {"dalam_perbaikan", true, true, {"terverifikasi", "risiko_diterima", "diperbaiki"}},
    {"diperbaiki", false, true, {"dibuka_kembali"}},
    {"dibuka_kembali", true, true,
     {"terverifikasi", "positif_palsu", "risiko_diterima", "dalam_perbaikan", "diperbaiki"}},
};
enum { N_STATES = sizeof rules / sizeof rules[0] };

static const state_rule *rule_of(const char *s)
{
	for (size_t i = 0; s && i < N_STATES; i++)
		if (strcmp(s, rules[i].name) == 0)
			return &rules[i];
	return NULL;
}

bool finding_state_valid(const char *s)
{
	return rule_of(s) != NULL;
}

bool finding_state_open(const char *s)
{
	const state_rule *r = rule_of(s);
	return r && r->open;
}

void finding_transitions(const char *from, char *out, size_t n)
{
	const state_rule *r = rule_of(from);
	size_t k = 0;
	out[0] = '\0';
	for (int i = 0; r && i < 6 && r->to[i]; i++) {
		int w = snprintf(out + k, n - k, "%s%s", i ? ", " : "", r->to[i]);
		if (w < 0 || (size_t)w >= n - k)
			break;
		k += (size_t)w;
	}
}

static bool may_become(const char *from, const char *to)
{
	const state_rule *r = rule_of(from);
	for (int i = 0; r && i < 6 && r->to[i]; i++)
		if (strcmp(r->to[i], to) == 0)
			return true;
	return false;
}

/* The open states as SQL, for lists and the import's "no longer present". */
#define OPEN_STATES "('baru', 'terverifikasi', 'dalam_perbaikan', 'dibuka_kembali')"
#define SEVERITY_RANK                                                                       \
	"CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 "   \
	"WHEN 'low' THEN 1 ELSE 0 END"

int64_t finding_due_at(const app_config *c, const char *severity, int64_t start, int64_t kev_due)
{
	int days = 0;
	switch (severity_rank(severity)) {
	case 1: days = c->vuln_due_low; break;
	case 2: days = c->vuln_due_medium; break;
	case 3: days = c->vuln_due_high; break;
	case 4: days = c->vuln_due_critical; break;
	default: days = 0; break; /* info: no due date of its own */
	}
	int64_t due = days > 0 ? start + (int64_t)days * 86400 : 0;
	if (kev_due > 0 && (due == 0 || kev_due < due))
		due = kev_due;
	return due;
}

/* ---- who sees what ---- */

typedef struct finding_viewer {
	bool all;       /* CSIRT staff, or the machine's owner */
	bool named;     /* a user account (not the command line's owner) */
	int64_t opd_id; /* an agen_siber's OPD; 0: none */
} finding_viewer;

static int viewer_load(app *a, const char *user, finding_viewer *v, sg_err *e)
{
	memset(v, 0, sizeof *v);
	if (user == NULL || strncmp(user, "cli:", 4) == 0) {
		v->all = true;
		return 0;
	}
	sg_err ignore;
	json_t *roles = *user ? user_roles(a, user, &ignore) : NULL;
	if (roles == NULL)
		return 0; /* unknown or disabled: sees nothing */
	v->named = true;
	/* CSIRT staff: a staff role of some SOP; agen_siber, whatever the
	 * SOPs make of it, is the OPD's agent and not the CSIRT's */
	json_t *staff = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(roles, i, r) if (strcmp(json_string_value(r), "agen_siber") != 0)
	    json_array_append(staff, r);
	case_viewer cv;
	int rc = case_viewer_with_roles(a, user, staff, &cv, e);
	json_decref(staff);
	if (rc != 0) {
		json_decref(roles);
		return -1;
	}
	v->all = cv.csirt;
	case_viewer_free(&cv);
	if (!v->all && roles_hold(roles, "agen_siber")) {
		int64_t opd = 0;
		if (db_query_int(a->db, e, &opd, "SELECT opd_id FROM users WHERE name = ?", "s",
		                 user) < 0) {
			json_decref(roles);
			return -1;
		}
		v->opd_id = opd;
	}
	json_decref(roles);
	return 0;
}

int finding_sees_all(app *a, const char *user, bool *all, sg_err *e)
{
	finding_viewer v;
	if (viewer_load(a, user, &v, e) != 0)
		return -1;
	*all = v.all;
	return 0;
}

int finding_scope(app *a, const char *viewer, bool *all, int64_t *opd_id, sg_err *e)
{
	finding_viewer v;
	if (viewer_load(a, viewer, &v, e) != 0)
		return -1;
	*all = v.all;
	*opd_id = v.all ? 0 : v.opd_id;
	return 0;
}

int finding_check_staff_to(app *a, const char *actor, finding_act act, sg_err *e)
{
	if (actor == NULL || *actor == '\0' || strncmp(actor, "cli:", 4) == 0)
		return sg_err_set(e, SG_EPERM, "a decision on a finding is made by a named user");
	finding_viewer v;
	if (viewer_load(a, actor, &v, e) != 0)
		return -1;
	if (!v.named)
		return sg_err_set(e, SG_EPERM, "%s is not an active user", actor);
	if (v.all)
		return 0;
	/* each act its own message (a literal: its msgid) */
	switch (act) {
	case FINDING_ACT_IMPORT:
		return sg_err_set(e, SG_EPERM, "%s may not import scanner reports (CSIRT staff only)",
		                  actor);
	case FINDING_ACT_ATTACH:
		return sg_err_set(e, SG_EPERM,
		                  "%s may not attach findings to assets (CSIRT staff only)", actor);
	case FINDING_ACT_DECIDE:
	default:
		return sg_err_set(e, SG_EPERM, "%s may not decide findings (CSIRT staff only)", actor);
	}
}

int finding_check_staff(app *a, const char *actor, sg_err *e)
{
	return finding_check_staff_to(a, actor, FINDING_ACT_DECIDE, e);
}

int finding_check_decider(app *a, const char *actor, sg_err *e)
{
	if (finding_check_staff(a, actor, e) != 0)
		return -1;
	/* of the CSIRT, those whose SOPs act on findings: the patch SOP's
	 * staff and the CTI SOP's (its vulnerability assessment) */
	sg_err ignore;
	json_t *roles = user_roles(a, actor, &ignore);
	bool acts = false;
	static const char *const acting[] = {"patch", "cti"};
	for (size_t i = 0; roles && i < sizeof acting / sizeof acting[0]; i++) {
		const sop_entry *s = sops_find(&a->sops, acting[i]);
		acts |= s && roles_staff_of(s->sop, roles);
	}
	json_decref(roles);
	if (!acts)
		return sg_err_set(e, SG_EPERM,
		                  "%s may not decide findings (the staff of the patch and CTI SOPs "
		                  "decide them)",
		                  actor);
	return 0;
}

/* ---- the list ---- */

/* Parameters of a dynamic query, bound in order: strings as JSON strings,
 * numbers as JSON integers. */
static int prepare_with(app *a, const char *sql, json_t *vals, db_stmt **st, sg_err *e)
{
	if (db_prepare(a->db, sql, st, e) != 0)
		return -1;
	size_t i;
	json_t *x;
	json_array_foreach(vals, i, x) {
		int rc = json_is_string(x) ? db_bind_text(*st, (int)i + 1, json_string_value(x))
		         : json_is_real(x) ? db_bind_real(*st, (int)i + 1, json_real_value(x))
		                           : db_bind_int(*st, (int)i + 1, json_integer_value(x));
		if (rc != 0) {
			db_finalize(*st);
			return sg_err_set(e, SG_EDB, "cannot bind the finding filter");
		}
	}
	return 0;
}

static const char FINDING_FROM[] =
    " FROM findings f LEFT JOIN assets a ON a.id = f.asset_id LEFT JOIN opd o ON o.id = a.opd_id";

/* Appends the pattern of a LIKE that finds s anywhere (%, _ and \ in s
 * taken literally). */
static json_t *like_anywhere(const char *s)
{
	buf b = BUF_INIT;
	buf_putc(&b, '%');
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *s);
	}
	buf_putc(&b, '%');
	json_t *j = json_string(buf_str(&b));
	buf_free(&b);
	return j;
}

/* Where a total is counted from: the findings themselves, or the counts
 * the triggers keep (0018_finding_list.sql, 0020_finding_filters.sql)
 * under the findings' column names: per severity and state
 * (finding_totals: the whole list, a severity, a state); per OPD,
 * severity, state, KEV and EPSS band (finding_opd_counts); per asset,
 * severity and state (finding_counts, asset 0: none); the open findings
 * with a due date per day due and severity (finding_due_days) with
 * today's passed part. */
typedef enum count_source {
	FROM_FINDINGS,
	FROM_TOTALS,
	FROM_OPD_COUNTS,
	FROM_ASSET_COUNTS,
	FROM_DUE_DAYS
} count_source;

/* The band of an EPSS score as findings.epss_band keeps it: 0 below 1 %,
 * then 1 %, 10 %, 50 % and 90 %. */
static int epss_band_of(double x)
{
	return (x >= 0.01) + (x >= 0.1) + (x >= 0.5) + (x >= 0.9);
}

/* Whether "an EPSS score at least x" is exactly a band (the thresholds
 * /kerentanan offers); another x is tested on the CVEs as well. */
static bool epss_on_band(double x)
{
	return x == 0.01 || x == 0.1 || x == 0.5 || x == 0.9;
}

/* The source that can give f's total as v sees it: a kept count when
 * one holds every filter's column, else the findings. */
static count_source count_from(const finding_filter *f, const finding_viewer *v)
{
	if (f->cve || (f->q && *f->q) || (f->min_epss > 0 && !epss_on_band(f->min_epss)))
		return FROM_FINDINGS;
	if (f->overdue)
		return v->all && f->opd == NULL && f->asset_id == 0 && !f->unmatched && f->kev == 0 &&
		               f->min_epss <= 0 && (f->state == NULL || strcmp(f->state, "open") == 0)
		           ? FROM_DUE_DAYS
		           : FROM_FINDINGS;
	if (f->asset_id || f->unmatched)
		return f->kev || f->min_epss > 0 ? FROM_FINDINGS : FROM_ASSET_COUNTS;
	if (v->all && f->opd == NULL && f->kev == 0 && f->min_epss <= 0)
		return FROM_TOTALS;
	return FROM_OPD_COUNTS;
}

/* The WHERE of the list (listing, src FROM_FINDINGS) or of its total
 * from src.
 * An OPD's findings (an agen_siber's, the OPD filter) are f.opd_id's,
 * which the OPD order indexes lead with (0018_finding_list.sql); KEV and
 * EPSS are the finding's kev and epss_band, which the default order's
 * index holds (0020_finding_filters.sql). */
static void filter_where(app *a, const finding_filter *f, const finding_viewer *v,
                         count_source src, bool listing, buf *sql, json_t *vals)
{
	buf_puts(sql, " WHERE 1 = 1");
	if (!v->all) {
		buf_puts(sql, src == FROM_ASSET_COUNTS
		                  ? " AND f.asset_id IN (SELECT id FROM assets WHERE opd_id = ?)"
		                  : " AND f.opd_id = ?");
		/* none: nothing (opd 0 is the counts' "no asset") */
		json_array_append_new(vals, json_integer(v->opd_id > 0 ? v->opd_id : -1));
	}
	if (f->opd) {
		char *end;
		long long id = strtoll(f->opd, &end, 10);
		buf_puts(sql, src == FROM_ASSET_COUNTS
		                  ? " AND f.asset_id IN (SELECT id FROM assets WHERE opd_id = "
		                  : " AND f.opd_id = (");
		buf_puts(sql, "(SELECT id FROM opd WHERE abbrev = upper(?) OR id = ? LIMIT 1))");
		json_array_append_new(vals, json_string(f->opd));
		json_array_append_new(vals, json_integer(*end == '\0' && end != f->opd ? id : -1));
	}
	if (f->asset_id) {
		buf_puts(sql, " AND f.asset_id = ?");
		json_array_append_new(vals, json_integer(f->asset_id));
	}
	if (f->unmatched)
		buf_puts(sql, src == FROM_ASSET_COUNTS ? " AND f.asset_id = 0" : " AND f.asset_id IS NULL");
	if (f->severity) {
		buf_printf(sql, " AND %s %s ?", SEVERITY_RANK, f->min_severity ? ">=" : "=");
		json_array_append_new(vals, json_integer(severity_rank(f->severity)));
	}
	/* the open states are most findings: walking the list's order index
	 * beats reading them by state and sorting them (the + keeps SQLite
	 * from choosing findings_by_state); finding_due_days holds only open
	 * findings */
	if (f->state && strcmp(f->state, "open") == 0) {
		if (src != FROM_DUE_DAYS)
			buf_puts(sql, " AND +f.state IN " OPEN_STATES);
	} else if (f->state) {
		buf_puts(sql, " AND f.state = ?");
		json_array_append_new(vals, json_string(f->state));
	}
	if (f->overdue && src == FROM_FINDINGS) {
		/* listed by walking the order index, where the overdue come
		 * first; counted on a range of an index led by the state or
		 * the OPD, then (due_at IS NULL) and the due date */
		buf_puts(sql, listing ? " AND f.due_at IS NOT NULL AND f.due_at < ? AND +f.state IN "
		                        OPEN_STATES
		                      : " AND (f.due_at IS NULL) = FALSE AND f.due_at < ? AND f.state IN "
		                        OPEN_STATES);
		json_array_append_new(vals, json_integer(app_now(a)));
	}
	if (f->cve) {
		buf_puts(sql, " AND f.id IN (SELECT finding_id FROM finding_cves WHERE cve = upper(?))");
		json_array_append_new(vals, json_string(f->cve));
	}
	if (f->kev)
		buf_puts(sql, f->kev < 0 ? " AND f.kev = 0" : " AND f.kev = 1");
	if (f->min_epss > 0) {
		buf_printf(sql, " AND f.epss_band >= %d", epss_band_of(f->min_epss));
		/* between the bands: the band's findings tested on their CVEs */
		if (!epss_on_band(f->min_epss)) {
			buf_puts(sql, " AND EXISTS (SELECT 1 FROM finding_cves c JOIN vuln_epss x "
			              "ON x.cve_id = c.cve WHERE c.finding_id = f.id AND x.epss >= ?)");
			json_array_append_new(vals, json_real(f->min_epss));
		}
	}
	if (f->q && *f->q) {
		buf_puts(sql, " AND (f.title LIKE ? ESCAPE '\\' OR f.host LIKE ? ESCAPE '\\' OR "
		              "f.endpoint LIKE ? ESCAPE '\\' OR f.vuln_key LIKE ? ESCAPE '\\')");
		for (int i = 0; i < 4; i++)
			json_array_append_new(vals, like_anywhere(f->q));
	}
}

/* The FROM of a count from src, its own parameters appended to vals
 * (before the WHERE's). The overdue: the days due before today summed,
 * and today's findings due before now counted on findings_by_state. */
static void count_source_sql(app *a, count_source src, buf *sql, json_t *vals)
{
	switch (src) {
	case FROM_TOTALS: buf_puts(sql, " FROM finding_totals f"); break;
	case FROM_OPD_COUNTS: buf_puts(sql, " FROM finding_opd_counts f"); break;
	case FROM_ASSET_COUNTS: buf_puts(sql, " FROM finding_counts f"); break;
	case FROM_DUE_DAYS: {
		int64_t now = app_now(a), today = now >= 0 ? now / 86400 : (now - 86399) / 86400;
		buf_puts(sql, " FROM (SELECT severity, n FROM finding_due_days WHERE day < ? "
		              "UNION ALL SELECT severity, 1 FROM findings WHERE state IN " OPEN_STATES
		              " AND (due_at IS NULL) = FALSE AND due_at >= ? AND due_at < ?) f");
		json_array_append_new(vals, json_integer(today));
		json_array_append_new(vals, json_integer(today * 86400));
		json_array_append_new(vals, json_integer(now));
		break;
	}
	case FROM_FINDINGS:
	default: buf_puts(sql, " FROM findings f"); break;
	}
}

/* The list's ORDER BY. Of one severity, the default order leaves its
 * rank out, so findings_by_severity_order, led by the rank, gives the
 * order as it is (SQLite would sort every finding of the severity by id
 * when their due dates tie: the info findings, without one). */
static const char *order_by(const finding_filter *f)
{
	if (f->sort == FINDING_SORT_DUE && f->severity && !f->min_severity)
		return " ORDER BY f.due_at IS NULL, f.due_at, f.id";
	switch (f->sort) {
	case FINDING_SORT_SEVERITY:
		return " ORDER BY " SEVERITY_RANK " DESC, f.due_at IS NULL, f.due_at, f.id";
	case FINDING_SORT_LAST_SEEN: return " ORDER BY f.last_seen DESC, f.id DESC";
	case FINDING_SORT_FIRST_SEEN: return " ORDER BY f.first_seen DESC, f.id DESC";
	case FINDING_SORT_ID: return " ORDER BY f.id";
	case FINDING_SORT_EPSS:
		return " ORDER BY (SELECT MAX(x.epss) FROM finding_cves c JOIN vuln_epss x "
		       "ON x.cve_id = c.cve WHERE c.finding_id = f.id) DESC NULLS LAST, "
		       "f.due_at IS NULL, f.due_at, f.id";
	case FINDING_SORT_KEV:
		return " ORDER BY EXISTS (SELECT 1 FROM finding_cves c JOIN vuln_kev k "
		       "ON k.cve_id = c.cve WHERE c.finding_id = f.id) DESC, "
		       "f.due_at IS NULL, f.due_at, " SEVERITY_RANK " DESC, f.id";
	case FINDING_SORT_DUE:
	default: return " ORDER BY f.due_at IS NULL, f.due_at, " SEVERITY_RANK " DESC, f.id";
	}
}

bool finding_sort_parse(const char *s, finding_sort *out)
{
	static const char *const names[] = {"due", "severity", "last_seen", "first_seen",
	                                    "id",  "epss",     "kev"};
	for (int i = 0; i < 7; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (finding_sort)i;
			return true;
		}
	return false;
}

/* A CVSS score stored as REAL, as a JSON number (null when none). */
static json_t *col_score(db_stmt *st, int col)
{
	return db_col_null(st, col) ? json_null() : json_real(strtod(db_col_text(st, col), NULL));
}

/* The CVEs of a finding, in order, with what CISA KEV and FIRST EPSS
 * say of them, summed up into o: kev (any in the catalog), the dates of
 * the entry due soonest, kev_ransomware (any with known ransomware use),
 * and the highest EPSS score with its percentile. Two primary-key probes
 * a CVE, so a page of the list costs what it shows. */
static json_t *cves_of(app *a, int64_t id, json_t *o, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT c.cve, k.date_added, k.due_date, k.ransomware, x.epss, "
	                    "x.percentile FROM finding_cves c "
	                    "LEFT JOIN vuln_kev k ON k.cve_id = c.cve "
	                    "LEFT JOIN vuln_epss x ON x.cve_id = c.cve "
	                    "WHERE c.finding_id = ? ORDER BY c.cve",
	                    "i", id) != 0)
		return NULL;
	json_t *out = json_array();
	bool kev = false, ransom = false;
	char added[16] = "", due[16] = "";
	double epss = -1, pct = -1;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_array_append_new(out, json_string(db_col_text(st, 0)));
		if (!db_col_null(st, 2)) {
			kev = true;
			if (*due == '\0' || strcmp(db_col_text(st, 2), due) < 0) {
				snprintf(added, sizeof added, "%s", db_col_text(st, 1));
				snprintf(due, sizeof due, "%s", db_col_text(st, 2));
			}
			if (strcmp(db_col_text(st, 3), "Known") == 0)
				ransom = true;
		}
		if (!db_col_null(st, 4)) {
			double x = strtod(db_col_text(st, 4), NULL);
			if (x > epss) {
				epss = x;
				pct = strtod(db_col_text(st, 5), NULL);
			}
		}
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	json_object_set_new(o, "kev", json_boolean(kev));
	json_object_set_new(o, "kev_ransomware", json_boolean(ransom));
	json_object_set_new(o, "kev_date_added", kev ? json_string(added) : json_null());
	json_object_set_new(o, "kev_due_date", kev ? json_string(due) : json_null());
	json_object_set_new(o, "epss", epss >= 0 ? json_real(epss) : json_null());
	json_object_set_new(o, "epss_percentile", epss >= 0 ? json_real(pct) : json_null());
	return out;
}

static const char FINDING_COLS[] =
    "f.id, f.asset_id, a.name, o.abbrev, f.host, f.endpoint, f.vuln_key, f.scanner, f.title, "
    "f.severity, f.cvss3_score, f.cvss4_score, f.state, f.due_at, f.first_seen, f.last_seen, "
    "f.times_seen";

/* A row of FINDING_COLS as the list gives it. */
static json_t *finding_row(app *a, db_stmt *st, sg_err *e)
{
	int64_t id = db_col_int(st, 0);
	json_t *prio = json_object();
	json_t *cves = cves_of(a, id, prio, e);
	if (cves == NULL) {
		json_decref(prio);
		return NULL;
	}
	json_t *asset = db_col_null(st, 1)
	                    ? json_null()
	                    : json_pack("{s:I, s:s, s:o}", "id", (json_int_t)db_col_int(st, 1),
	                                "name", db_col_text(st, 2), "opd", col_json_text(st, 3));
	const char *state = db_col_text(st, 12);
	bool overdue = !db_col_null(st, 13) && db_col_int(st, 13) < app_now(a) &&
	               finding_state_open(state);
	json_t *row = json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o, "
	                 "s:b, s:I, s:I, s:I}",
	                 "id", (json_int_t)id, "asset", asset, "host", db_col_text(st, 4),
	                 "endpoint", db_col_text(st, 5), "vuln_key", db_col_text(st, 6), "scanner",
	                 db_col_text(st, 7), "title", db_col_text(st, 8), "severity",
	                 db_col_text(st, 9), "cvss3_score", col_score(st, 10), "cvss4_score",
	                 col_score(st, 11), "cves", cves, "state", state, "due_at",
	                 col_json_int(st, 13), "overdue", overdue, "first_seen",
	                 (json_int_t)db_col_int(st, 14), "last_seen", (json_int_t)db_col_int(st, 15),
	                 "times_seen", (json_int_t)db_col_int(st, 16));
	if (row)
		json_object_update(row, prio);
	json_decref(prio);
	return row;
}

json_t *finding_list(app *a, const finding_filter *f, int64_t *total, sg_err *e)
{
	if (f->severity && severity_rank(f->severity) < 0) {
		sg_err_set(e, SG_EINVAL,
		           "unknown severity \"%s\" (info, low, medium, high or critical)", f->severity);
		return NULL;
	}
	if (f->state && strcmp(f->state, "open") != 0 && !finding_state_valid(f->state)) {
		sg_err_set(e, SG_EINVAL,
		           "unknown finding state \"%s\" (open, baru, terverifikasi, positif_palsu, "
		           "risiko_diterima, dalam_perbaikan, diperbaiki or dibuka_kembali)",
		           f->state);
		return NULL;
	}
	if (f->min_epss < 0 || f->min_epss > 1) {
		sg_err_set(e, SG_EINVAL, "a minimum EPSS score is from 0 to 1 (0.5 is 50%%)");
		return NULL;
	}
	finding_viewer v;
	if (viewer_load(a, f->viewer, &v, e) != 0)
		return NULL;
	buf sql = BUF_INIT;
	json_t *vals = json_array();
	json_t *out = NULL;
	db_stmt *st;
	/* the counts the triggers keep answer the filters on their columns,
	 * standing in for the findings under the same names */
	if (total) {
		count_source src = count_from(f, &v);
		buf_puts(&sql, src == FROM_FINDINGS ? "SELECT COUNT(*)" : "SELECT COALESCE(SUM(f.n), 0)");
		count_source_sql(a, src, &sql, vals);
		filter_where(a, f, &v, src, false, &sql, vals);
		if (prepare_with(a, buf_str(&sql), vals, &st, e) != 0)
			goto done;
		int rc = db_step(st, e);
		if (rc == DB_ROW)
			*total = db_col_int(st, 0);
		db_finalize(st);
		if (rc != DB_ROW)
			goto done;
		buf_reset(&sql);
		json_array_clear(vals);
	}
	buf_printf(&sql, "SELECT %s", FINDING_COLS);
	buf_puts(&sql, FINDING_FROM);
	filter_where(a, f, &v, FROM_FINDINGS, true, &sql, vals);
	buf_puts(&sql, order_by(f));
	buf_puts(&sql, " LIMIT ? OFFSET ?");
	json_array_append_new(vals, json_integer(f->limit > 0 ? f->limit : 50));
	json_array_append_new(vals, json_integer(f->offset > 0 ? f->offset : 0));
	if (prepare_with(a, buf_str(&sql), vals, &st, e) != 0)
		goto done;
	out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_t *r = finding_row(a, st, e);
		if (r == NULL) {
			rc = -1;
			break;
		}
		json_array_append_new(out, r);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		out = NULL;
	}
done:
	buf_free(&sql);
	json_decref(vals);
	return out;
}

int finding_counts(app *a, const finding_filter *f, int64_t out[5], sg_err *e)
{
	memset(out, 0, 5 * sizeof *out);
	if (f->severity && severity_rank(f->severity) < 0)
		return sg_err_set(e, SG_EINVAL,
		                  "unknown severity \"%s\" (info, low, medium, high or critical)",
		                  f->severity);
	if (f->min_epss < 0 || f->min_epss > 1)
		return sg_err_set(e, SG_EINVAL, "a minimum EPSS score is from 0 to 1 (0.5 is 50%%)");
	finding_viewer v;
	if (viewer_load(a, f->viewer, &v, e) != 0)
		return -1;
	buf sql = BUF_INIT;
	json_t *vals = json_array();
	/* from the counts the triggers keep when they answer the filter (as
	 * finding_list's total), else one pass over the matches */
	count_source src = count_from(f, &v);
	buf_puts(&sql, src == FROM_FINDINGS ? "SELECT f.severity, COUNT(*)"
	                                    : "SELECT f.severity, SUM(f.n)");
	count_source_sql(a, src, &sql, vals);
	filter_where(a, f, &v, src, false, &sql, vals);
	buf_puts(&sql, " GROUP BY f.severity");
	db_stmt *st;
	int rc = prepare_with(a, buf_str(&sql), vals, &st, e);
	buf_free(&sql);
	json_decref(vals);
	if (rc != 0)
		return -1;
	while ((rc = db_step(st, e)) == DB_ROW) {
		int k = severity_rank(db_col_text(st, 0));
		if (k >= 0)
			out[k] = db_col_int(st, 1);
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/* ---- one finding ---- */

static json_t *history_of(app *a, int64_t id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT at, actor, from_state, to_state, reason, import_id "
	                    "FROM finding_history WHERE finding_id = ? ORDER BY id",
	                    "i", id) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(
		    out, json_pack("{s:I, s:s, s:o, s:s, s:o, s:o}", "at", (json_int_t)db_col_int(st, 0),
		                   "actor", db_col_text(st, 1), "from", col_json_text(st, 2), "to",
		                   db_col_text(st, 3), "reason", col_json_text(st, 4), "import",
		                   col_json_int(st, 5)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static json_t *import_brief(app *a, int64_t id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT filename, sha256, scanner, format, imported_by, imported_at "
	                    "FROM vuln_imports WHERE id = ?",
	                    "i", id) != 0)
		return NULL;
	json_t *out = NULL;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		out = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)id,
		                "filename", db_col_text(st, 0), "sha256", db_col_text(st, 1),
		                "scanner", db_col_text(st, 2), "format", db_col_text(st, 3),
		                "imported_by", db_col_text(st, 4), "imported_at",
		                (json_int_t)db_col_int(st, 5));
	else if (rc == DB_DONE)
		out = json_null();
	db_finalize(st);
	return out;
}

json_t *finding_get(app *a, int64_t id, const char *viewer, sg_err *e)
{
	finding_viewer v;
	if (viewer_load(a, viewer, &v, e) != 0)
		return NULL;
	char sql[1200];
	snprintf(sql, sizeof sql,
	         "SELECT %s, f.hostname, t.cvss3_vector, t.cvss4_vector, t.cwe, t.description, "
	         "t.solution, COALESCE(t.refs, '[]'), f.evidence, f.component, f.component_version, "
	         "f.state_reason, f.state_by, f.state_at, f.accepted_until, f.approved_by, "
	         "f.sla_start, f.fixed_at, f.first_import, f.last_import, a.opd_id%s "
	         "LEFT JOIN finding_texts t ON t.id = f.text_id WHERE f.id = ?",
	         FINDING_COLS, FINDING_FROM);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, sql, "i", id) != 0)
		return NULL;
	json_t *out = NULL;
	int64_t first_import = 0, last_import = 0;
	int rc = db_step(st, e);
	if (rc == DB_ROW && (v.all || (!db_col_null(st, 36) && db_col_int(st, 36) == v.opd_id &&
	                               v.opd_id != 0))) {
		out = finding_row(a, st, e);
		if (out) {
			static const char *const names[] = {
			    "hostname", "cvss3_vector", "cvss4_vector", "cwe", "description", "solution"};
			for (int i = 0; i < 6; i++)
				json_object_set_new(out, names[i], col_json_text(st, 17 + i));
			json_object_set_new(out, "refs", col_json_doc(st, 23));
			json_object_set_new(out, "evidence", col_json_text(st, 24));
			json_object_set_new(out, "component", col_json_text(st, 25));
			json_object_set_new(out, "component_version", col_json_text(st, 26));
			json_object_set_new(out, "state_reason", col_json_text(st, 27));
			json_object_set_new(out, "state_by", col_json_text(st, 28));
			json_object_set_new(out, "state_at", col_json_int(st, 29));
			json_object_set_new(out, "accepted_until", col_json_int(st, 30));
			json_object_set_new(out, "approved_by", col_json_text(st, 31));
			json_object_set_new(out, "sla_start", json_integer(db_col_int(st, 32)));
			json_object_set_new(out, "fixed_at", col_json_int(st, 33));
			first_import = db_col_int(st, 34);
			last_import = db_col_int(st, 35);
		}
	} else if (rc != -1) {
		sg_err_set(e, SG_ENOTFOUND, "no finding %lld", (long long)id);
	}
	db_finalize(st);
	if (out == NULL)
		return NULL;
	json_t *hist = history_of(a, id, e);
	json_t *fi = hist ? import_brief(a, first_import, e) : NULL;
	json_t *li = fi ? import_brief(a, last_import, e) : NULL;
	if (li == NULL) {
		json_decref(hist);
		json_decref(fi);
		json_decref(out);
		return NULL;
	}
	/* the report's hash names a file only the CSIRT's staff may fetch */
	if (!finding_report_readable(a, viewer)) {
		if (json_is_object(fi))
			json_object_del(fi, "sha256");
		if (json_is_object(li))
			json_object_del(li, "sha256");
	}
	json_object_set_new(out, "history", hist);
	json_object_set_new(out, "first_import", fi);
	json_object_set_new(out, "last_import", li);
	json_t *intel = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(out, "cves"), i, c) {
		sg_err ne = {0};
		json_t *x = vuln_intel_cve(a, json_string_value(c), &ne);
		if (x == NULL && ne.code != SG_ENOTFOUND && ne.code != SG_EINVAL) {
			*e = ne;
			json_decref(intel);
			json_decref(out);
			return NULL;
		}
		json_array_append_new(intel, x ? x
		                                 : json_pack("{s:s, s:n, s:n, s:n}", "cve",
		                                             json_string_value(c), "record", "kev",
		                                             "epss"));
	}
	json_object_set_new(out, "cve_intel", intel);
	return out;
}

/* ---- decisions ---- */

/* The end of day YYYY-MM-DD in the calendar's zone (the last second a
 * deadline of that date still meets); 0 when s is no such date. */
static int64_t end_of_date(const app *a, const char *s)
{
	int y, m, d;
	char tail;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || !civil_valid_date(y, m, d))
		return 0;
	return (civil_days_from_date(y, m, d) + 1) * 86400 -
	       (int64_t)a->cfg.cal.zone->offset_min * 60 - 1;
}

/* CISA KEV's deadline for a finding whose clock starts at start: the
 * earliest due date of its CVEs in the catalog (vuln_kev). A deadline that
 * had already passed when the clock started (the CVE entered KEV long
 * before sigap saw the finding, the usual case) is not met by making the
 * finding overdue on arrival: the catalog's own time to remedy (due date
 * less date added, two or three weeks) then runs from start. 0: none of
 * its CVEs is in KEV. */
int finding_kev_due(app *a, int64_t id, int64_t start, int64_t *out, sg_err *e)
{
	*out = 0;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT k.date_added, k.due_date FROM finding_cves c "
	                    "JOIN vuln_kev k ON k.cve_id = c.cve WHERE c.finding_id = ?",
	                    "i", id) != 0)
		return -1;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		int64_t added = end_of_date(a, db_col_text(st, 0));
		int64_t due = end_of_date(a, db_col_text(st, 1));
		if (due == 0)
			continue;
		if (due < start)
			due = start + (added > 0 && added < due ? due - added : 0);
		if (*out == 0 || due < *out)
			*out = due;
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

int finding_due_restart(app *a, int64_t id, int64_t start, sg_err *e)
{
	char sev[16] = "";
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT severity FROM findings WHERE id = ?", "i", id) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		snprintf(sev, sizeof sev, "%s", db_col_text(st, 0));
	db_finalize(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? sg_err_set(e, SG_ENOTFOUND, "no finding %lld", (long long)id) : -1;
	int64_t kev_due;
	if (finding_kev_due(a, id, start, &kev_due, e) != 0)
		return -1;
	int64_t due = finding_due_at(&a->cfg, sev, start, kev_due);
	return due > 0 ? db_run(a->db, e, "UPDATE findings SET sla_start = ?, due_at = ? WHERE id = ?",
	                        "iii", start, due, id)
	               : db_run(a->db, e,
	                        "UPDATE findings SET sla_start = ?, due_at = NULL WHERE id = ?", "ii",
	                        start, id);
}

int findings_kev_reweigh(app *a, int64_t intel_import, int64_t *changed, sg_err *e)
{
	*changed = 0;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT DISTINCT f.id, f.severity, f.sla_start, f.due_at FROM findings f "
	                    "JOIN finding_cves c ON c.finding_id = f.id "
	                    "JOIN vuln_kev k ON k.cve_id = c.cve "
	                    "WHERE k.import_id = ? AND f.state IN " OPEN_STATES,
	                    "i", intel_import) != 0)
		return -1;
	struct row { int64_t id, start, due; char sev[16]; } *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			struct row *nv = realloc(v, cap * sizeof *v);
			if (nv == NULL) {
				rc = sg_err_set(e, SG_ENOMEM, "out of memory");
				break;
			}
			v = nv;
		}
		v[n].id = db_col_int(st, 0);
		snprintf(v[n].sev, sizeof v[n].sev, "%s", db_col_text(st, 1));
		v[n].start = db_col_int(st, 2);
		v[n].due = db_col_null(st, 3) ? 0 : db_col_int(st, 3);
		n++;
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(v);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t kev_due;
		if (finding_kev_due(a, v[i].id, v[i].start, &kev_due, e) != 0)
			goto fail;
		int64_t due = finding_due_at(&a->cfg, v[i].sev, v[i].start, kev_due);
		if (due == v[i].due)
			continue;
		if (db_run(a->db, e, "UPDATE findings SET due_at = ? WHERE id = ?", "ii", due, v[i].id) !=
		    0)
			goto fail;
		(*changed)++;
	}
	free(v);
	return 0;
fail:
	free(v);
	return -1;
}

int finding_history_add(app *a, int64_t id, const char *actor, const char *from, const char *to,
                        const char *reason, int64_t import_id, sg_err *e)
{
	return import_id
	           ? db_run(a->db, e,
	                    "INSERT INTO finding_history (finding_id, at, actor, from_state, "
	                    "to_state, reason, import_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                    "iissssi", id, app_now(a), actor, from, to, reason, import_id)
	           : db_run(a->db, e,
	                    "INSERT INTO finding_history (finding_id, at, actor, from_state, "
	                    "to_state, reason) VALUES (?, ?, ?, ?, ?, ?)",
	                    "iissss", id, app_now(a), actor, from, to, reason);
}

/* Checks what a decision carries before any finding is read. */
static int decision_check(app *a, const finding_decision *d, sg_err *e)
{
	if (d->n_ids == 0 || d->n_ids > FINDING_BULK_MAX)
		return sg_err_set(e, SG_EINVAL, "decide 1 to %d findings at once", FINDING_BULK_MAX);
	const state_rule *to = rule_of(d->state);
	if (to == NULL)
		return sg_err_set(e, SG_EINVAL,
		                  "unknown finding state \"%s\" (terverifikasi, positif_palsu, "
		                  "risiko_diterima, dalam_perbaikan, diperbaiki or dibuka_kembali)",
		                  d->state ? d->state : "");
	if (strcmp(d->state, "baru") == 0)
		return sg_err_set(e, SG_EINVAL, "a finding is baru only when an import finds it");
	if (to->needs_reason && (d->reason == NULL || strlen(d->reason) < 3))
		return sg_err_set(e, SG_EINVAL,
		                  "a decision of %s needs a reason of at least three characters",
		                  d->state);
	if (d->reason && strlen(d->reason) > 4000)
		return sg_err_set(e, SG_EINVAL, "a reason is at most 4000 characters");
	bool accept = strcmp(d->state, "risiko_diterima") == 0;
	if (accept && d->accepted_until <= app_now(a))
		return sg_err_set(e, SG_EINVAL, "accepting a risk needs an expiry date in the future");
	/* an acceptance is looked at again within a year (the exceptions
	 * SOP's review), never accepted for good */
	if (accept && d->accepted_until > app_now(a) + 366 * 86400)
		return sg_err_set(e, SG_EINVAL, "a risk is accepted for one year at most");
	if (accept && (d->approver == NULL || *d->approver == '\0'))
		return sg_err_set(e, SG_EINVAL, "accepting a risk needs its approver");
	if (accept && strcmp(d->approver, d->actor) == 0)
		return sg_err_set(e, SG_EPERM,
		                  "a risk acceptance is approved by someone other than who decides it");
	if (finding_check_decider(a, d->actor, e) != 0)
		return -1;
	if (accept) {
		sg_err ignore;
		json_t *roles = user_roles(a, d->approver, &ignore);
		bool kabid = roles && roles_hold(roles, "kabid");
		json_decref(roles);
		if (!kabid)
			return sg_err_set(e, SG_EPERM,
			                  "the approver of a risk acceptance must be an active user "
			                  "holding kabid; %s is not",
			                  d->approver);
	}
	return 0;
}

int finding_decide_one(app *a, const finding_decision *d, int64_t id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT state FROM findings WHERE id = ?", "i", id) != 0)
		return -1;
	char from[32] = "";
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		snprintf(from, sizeof from, "%s", db_col_text(st, 0));
	db_finalize(st);
	if (rc == DB_DONE)
		return sg_err_set(e, SG_ENOTFOUND, "no finding %lld", (long long)id);
	if (rc < 0)
		return -1;
	if (strcmp(from, d->state) == 0)
		return sg_err_set(e, SG_ESTATE, "finding %lld is already %s", (long long)id, from);
	if (!may_become(from, d->state)) {
		char allowed[200];
		finding_transitions(from, allowed, sizeof allowed);
		return sg_err_set(e, SG_ESTATE,
		                  "finding %lld is %s and cannot become %s; from %s it may become: %s",
		                  (long long)id, from, d->state, from, allowed);
	}
	int64_t now = app_now(a);
	bool accept = strcmp(d->state, "risiko_diterima") == 0;
	bool fixed = strcmp(d->state, "diperbaiki") == 0;
	bool reopen = strcmp(d->state, "dibuka_kembali") == 0;
	/* reopened: the due clock starts again, as when a rescan finds it back */
	if (reopen && finding_due_restart(a, id, now, e) != 0)
		return -1;
	if (db_run(a->db, e,
	           "UPDATE findings SET state = ?, state_reason = ?, state_by = ?, state_at = ?, "
	           "accepted_until = CASE WHEN ? = 1 THEN ? END, approved_by = CASE WHEN ? = 1 THEN ? END, "
	           "fixed_at = CASE WHEN ? = 1 THEN ? END WHERE id = ?",
	           "sssiiiisiii", d->state, d->reason, d->actor, now, (int64_t)accept,
	           d->accepted_until, (int64_t)accept, d->approver, (int64_t)fixed, now, id) != 0)
		return -1;
	if (finding_history_add(a, id, d->actor, from, d->state, d->reason, 0, e) != 0)
		return -1;
	char oid[32];
	snprintf(oid, sizeof oid, "%lld", (long long)id);
	json_t *det = json_pack("{s:s, s:s, s:s?}", "from", from, "to", d->state, "reason", d->reason);
	if (accept) {
		json_object_set_new(det, "accepted_until", json_integer(d->accepted_until));
		json_object_set_new(det, "approver", json_string(d->approver));
	}
	return logbook_record(a, d->actor, "vuln.decide", "finding", oid, det, e);
}

/* The length of the blank character at s (ASCII white space, no-break
 * and the other Unicode spaces, the zero-width characters and the byte
 * order mark, as UTF-8); 0 when s starts with anything else. */
static size_t blank_len(const unsigned char *s)
{
	if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		return 1;
	if (s[0] == 0xc2 && s[1] == 0xa0) /* U+00A0 */
		return 2;
	if (s[0] == 0xe2 && s[1] == 0x80 && s[2] != 0 &&
	    ((s[2] >= 0x80 && s[2] <= 0x8f) || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf))
		return 3; /* U+2000..U+200F, U+2028, U+2029, U+202F */
	if (s[0] == 0xe2 && s[1] == 0x81 && (s[2] == 0x9f || s[2] == 0xa0))
		return 3; /* U+205F, U+2060 */
	if ((s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80) || /* U+3000 */
	    (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf))   /* U+FEFF */
		return 3;
	return 0;
}

/* s without the blank characters (blank_len) at either end, malloc'd;
 * NULL for NULL (and when out of memory, with *oom set). */
static char *reason_trimmed(const char *s, bool *oom)
{
	*oom = false;
	if (s == NULL)
		return NULL;
	const unsigned char *p = (const unsigned char *)s, *end;
	for (size_t k; (k = blank_len(p)) != 0;)
		p += k;
	end = p;
	for (const unsigned char *q = p; *q;) {
		size_t k = blank_len(q);
		if (k == 0) {
			q++;
			end = q;
		} else {
			q += k;
		}
	}
	char *out = strndup((const char *)p, (size_t)(end - p));
	*oom = out == NULL;
	return out;
}

size_t finding_ids_unique(int64_t *ids, size_t n)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < m && ids[j] != ids[i])
			j++;
		if (j == m)
			ids[m++] = ids[i];
	}
	return m;
}

int finding_decide(app *a, const finding_decision *d, sg_err *e)
{
	if (d->n_ids == 0 || d->n_ids > FINDING_BULK_MAX)
		return sg_err_set(e, SG_EINVAL, "decide 1 to %d findings at once", FINDING_BULK_MAX);
	/* the reason as stored: without blanks around it, so that blanks
	 * alone are no reason; each finding once, however often it is named */
	finding_decision t = *d;
	bool oom;
	char *reason = reason_trimmed(d->reason, &oom);
	int64_t *ids = malloc(d->n_ids * sizeof *ids);
	if (oom || ids == NULL) {
		free(reason);
		free(ids);
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	}
	memcpy(ids, d->ids, d->n_ids * sizeof *ids);
	size_t n = finding_ids_unique(ids, d->n_ids);
	t.reason = reason;
	t.ids = ids;
	t.n_ids = n;
	int rc = decision_check(a, &t, e) != 0 || db_begin(a->db, e) != 0 ? -1 : 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (finding_decide_one(a, &t, ids[i], e) != 0) {
			db_rollback(a->db);
			if (n > 1)
				sg_err_prefix_msgid(e, "nothing decided");
			rc = -1;
		}
	if (rc == 0)
		rc = db_commit(a->db, e);
	free(reason);
	free(ids);
	return rc;
}

/* ---- attaching unmatched findings ---- */

/* Merges the unattached finding src into dst (the asset's finding of the
 * same identity and endpoint). */
static int merge_into(app *a, int64_t src, int64_t dst, sg_err *e)
{
	return db_run(a->db, e,
	              "UPDATE findings SET times_seen = times_seen + (SELECT times_seen FROM "
	              "findings WHERE id = ?1), first_seen = MIN(first_seen, (SELECT first_seen "
	              "FROM findings WHERE id = ?1)), last_seen = MAX(last_seen, (SELECT "
	              "last_seen FROM findings WHERE id = ?1)) WHERE id = ?2",
	              "ii", src, dst) != 0 ||
	               db_run(a->db, e,
	                      "INSERT OR IGNORE INTO finding_cves (finding_id, cve) "
	                      "SELECT ?, cve FROM finding_cves WHERE finding_id = ?",
	                      "ii", dst, src) != 0 ||
	               /* what KEV and EPSS say of the CVEs merged in: src's own
	                  (0021_finding_import_rows.sql) */
	               db_run(a->db, e,
	                      "UPDATE findings SET kev = MAX(findings.kev, s.k), "
	                      "epss_band = MAX(findings.epss_band, s.b) FROM (SELECT kev AS k, "
	                      "epss_band AS b FROM findings WHERE id = ?1) AS s WHERE findings.id = ?2 "
	                      "AND (findings.kev < s.k OR findings.epss_band < s.b)",
	                      "ii", src, dst) != 0 ||
	               db_run(a->db, e,
	                      "UPDATE finding_history SET finding_id = ? WHERE finding_id = ?", "ii",
	                      dst, src) != 0 ||
	               db_run(a->db, e, "DELETE FROM findings WHERE id = ?", "i", src) != 0
	           ? -1
	           : 0;
}

int finding_attach_one(app *a, const char *actor, int64_t id, int64_t asset_id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT asset_id, vuln_key, endpoint, state FROM findings WHERE id = ?",
	                    "i", id) != 0)
		return -1;
	int rc = db_step(st, e);
	char *key = NULL, *endpoint = NULL, *state = NULL;
	bool attached = false;
	if (rc == DB_ROW) {
		attached = !db_col_null(st, 0);
		key = strdup(db_col_text(st, 1));
		endpoint = strdup(db_col_text(st, 2));
		state = strdup(db_col_text(st, 3));
	}
	db_finalize(st);
	if (rc == DB_DONE)
		rc = sg_err_set(e, SG_ENOTFOUND, "no finding %lld", (long long)id);
	else if (rc == DB_ROW && attached)
		rc = sg_err_set(e, SG_ESTATE, "finding %lld is already on an asset", (long long)id);
	else if (rc == DB_ROW && (key == NULL || endpoint == NULL || state == NULL))
		rc = sg_err_set(e, SG_ENOMEM, "out of memory");
	if (rc != DB_ROW || attached) {
		free(key);
		free(endpoint);
		free(state);
		return -1;
	}
	int64_t dst = 0;
	rc = db_query_int(a->db, e, &dst,
	                  "SELECT id FROM findings WHERE asset_id = ? AND vuln_key = ? AND endpoint = ?",
	                  "iss", asset_id, key, endpoint);
	char oid[32], reason[64];
	snprintf(oid, sizeof oid, "%lld", (long long)id);
	snprintf(reason, sizeof reason, "attached to asset %lld", (long long)asset_id);
	json_t *det = json_pack("{s:I}", "asset", (json_int_t)asset_id);
	if (rc == DB_ROW) {
		json_object_set_new(det, "merged_into", json_integer(dst));
		rc = finding_history_add(a, id, actor, state, state, reason, 0, e) != 0 ||
		             merge_into(a, id, dst, e) != 0
		         ? -1
		         : 0;
	} else if (rc == DB_DONE) {
		rc = db_run(a->db, e, "UPDATE findings SET asset_id = ? WHERE id = ?", "ii", asset_id,
		            id) != 0 ||
		             finding_history_add(a, id, actor, state, state, reason, 0, e) != 0
		         ? -1
		         : 0;
	}
	free(key);
	free(endpoint);
	free(state);
	if (rc != 0) {
		json_decref(det);
		return -1;
	}
	return logbook_record(a, actor, "vuln.attach", "finding", oid, det, e);
}

int finding_attach(app *a, const char *actor, const int64_t *ids, size_t n, int64_t asset_id,
                   sg_err *e)
{
	if (n == 0 || n > FINDING_BULK_MAX)
		return sg_err_set(e, SG_EINVAL, "attach 1 to %d findings at once", FINDING_BULK_MAX);
	if (finding_check_staff_to(a, actor, FINDING_ACT_ATTACH, e) != 0)
		return -1;
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
		if (finding_attach_one(a, actor, ids[i], asset_id, e) != 0) {
			db_rollback(a->db);
			if (n > 1)
				sg_err_prefix(e, "nothing attached");
			return -1;
		}
	return db_commit(a->db, e);
}
