/*
 * exceptions.c: exceptions to the ISMS, the records of SOP pengecualian
 * (seed 000; docs/exceptions.md). exception_read.c reads them.
 *
 * A case of the SOP writes its exception as it goes, at the steps its
 * SOP marks with catat: (sop/load.c checks they carry the fields):
 *
 *   pengecualian.permohonan  the request (step 1) makes the exception,
 *                            state diajukan: what is excepted (controls
 *                            of the catalogue, a policy clause, the
 *                            case's asset, vulnerability findings), why,
 *                            the compensating controls, the validity
 *                            asked for;
 *   pengecualian.risiko      the Daftar Risiko (step 2): rows of the risk
 *                            register linked to it;
 *   pengecualian.keputusan   the Kepala Dinas' decision (step 3): the
 *                            first branch approves it from a start day
 *                            to an expiry within [pengecualian]
 *                            masa_maksimal (default 12 months), the other
 *                            refuses it (ditolak).
 *
 * Each runs inside the step's transaction (cases.c's advance): a refusal
 * (an expiry in the past or too far, approval without risks, a control
 * not in the catalogue…) leaves the step undone and nothing changed.
 *
 * An approved exception is disetujui until its start, berlaku (in force)
 * until its expiry, then kedaluwarsa; exception_round makes those moves
 * (the outbox's sender runs it every [notify] sla_check seconds, and so
 * does `sigap exception round`) and writes the reminders before expiry
 * ([pengecualian] pengingat, default 30, 7 and 1 days). While in force
 * the findings it names are risiko_diterima (until the expiry, approved
 * by the decider); when it ends (expiry, revocation, change) each goes
 * back to the state it had, its due date moved by the time it spent
 * excepted, unless somebody decided it otherwise meanwhile.
 *
 * Changing an approved exception's scope or expiry voids the approval:
 * the exception is revoked (dicabut) and a new one, with the change,
 * opens with a new case of the SOP (linked to the old one, kind
 * pengajuan_ulang), whose first step is offered the changed request as a
 * draft; the risks weighed for the old one are linked to the new.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/civil.h"
#include "base/utf8.h"
#include "case_row.h"
#include "col_json.h"
#include "exception_int.h"
#include "findings.h"
#include "outbox_int.h"

static const char *const CHANGERS[] = {"tim_teknis", "kabid", "kepala_dinas", NULL};
static const char *const REVOKERS[] = {"kabid", "kepala_dinas", NULL};

enum { TEXT_MAX = 8000, CLAUSE_MAX = 500, DAY = 86400 };

/* ---- who may do what ---- */

int exception_scope_of(app *a, const char *user, exception_scope *s, sg_err *e)
{
	memset(s, 0, sizeof *s);
	asset_scope as;
	if (asset_scope_of(a, user, &as, e) != 0)
		return -1;
	s->read_all = as.read_all;
	s->opd_id = as.read_all ? 0 : as.opd_id;
	if (user_is_owner(user)) {
		s->change = s->revoke = true;
		return 0;
	}
	sg_err ignore;
	json_t *roles = user_roles(a, user, &ignore);
	for (size_t i = 0; roles && CHANGERS[i]; i++)
		s->change |= roles_hold(roles, CHANGERS[i]);
	for (size_t i = 0; roles && REVOKERS[i]; i++)
		s->revoke |= roles_hold(roles, REVOKERS[i]);
	json_decref(roles);
	/* who sees no exception changes none */
	if (!s->read_all && s->opd_id == 0)
		s->change = s->revoke = false;
	return 0;
}

/* ---- the request's scope ---- */

/* What an exception excepts, as written on a request or a change. */
typedef struct scope {
	char controls[SOP_REFS_MAX][65];
	size_t n_controls;
	int64_t findings[SOP_REFS_MAX];
	size_t n_findings;
	int64_t asset_id; /* the case's asset; 0: none */
	const char *clause;
	int64_t until;    /* the last day asked for (start of that day) */
} scope;

/* "YYYY-MM-DD" (what) as the start of that day in the calendar's zone. */
static int parse_day(app *a, const char *what, const char *v, int64_t *out, sg_err *e)
{
	if (v == NULL || strlen(v) != 10 || civil_parse(v, a->cfg.cal.zone, out) != 0)
		return sg_err_set(e, SG_EINVAL, "%s '%s' must be a date, YYYY-MM-DD", what,
		                  v ? v : "");
	return 0;
}

static int64_t today(app *a)
{
	return civil_local_day(app_now(a), a->cfg.cal.zone) * DAY -
	       (int64_t)a->cfg.cal.zone->offset_min * 60;
}

static int parse_controls(app *a, const char *v, scope *s, sg_err *e)
{
	s->n_controls = 0;
	if (v == NULL || *v == '\0')
		return 0;
	if (sop_ref_list(v, s->controls, SOP_REFS_MAX, &s->n_controls) != 0)
		return sg_err_set(e, SG_EINVAL,
		                  "the controls are codes of the catalogue separated by commas (at "
		                  "most %d), not '%s'",
		                  SOP_REFS_MAX, v);
	for (size_t i = 0; i < s->n_controls; i++) {
		if (controls_check_ref(&a->ctls, s->controls[i], e) != 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->controls[j], s->controls[i]) == 0)
				return sg_err_set(e, SG_EINVAL, "the control '%s' is named twice",
				                  s->controls[i]);
	}
	return 0;
}

/* The findings named (ids): each one actor sees, open (its due date
 * runs), and not in another exception being decided or in force. */
static int parse_findings(app *a, const char *actor, const char *v, int64_t self, scope *s,
                          sg_err *e)
{
	s->n_findings = 0;
	if (v == NULL || *v == '\0')
		return 0;
	char ids[SOP_REFS_MAX][65];
	size_t n = 0;
	if (sop_ref_list(v, ids, SOP_REFS_MAX, &n) != 0)
		return sg_err_set(e, SG_EINVAL,
		                  "the findings are their numbers separated by commas (at most %d), "
		                  "not '%s'",
		                  SOP_REFS_MAX, v);
	bool all = false;
	int64_t opd = 0;
	if (finding_scope(a, user_is_owner(actor) ? NULL : actor, &all, &opd, e) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char *end;
		/* FND-12, as the pages write a finding, or 12 */
		const char *num = strncasecmp(ids[i], "FND-", 4) == 0 ? ids[i] + 4 : ids[i];
		long long id = strtoll(num, &end, 10);
		if (*end || id <= 0 || *num == '+' || *num == '-')
			return sg_err_set(e, SG_EINVAL, "'%s' is not the number of a finding", ids[i]);
		snprintf(ids[i], sizeof ids[i], "%lld", id); /* the ref as stored */
		db_stmt *st;
		if (db_prepare_bind(a->db, &st, e,
		                    "SELECT f.state, COALESCE(s.opd_id, 0) FROM findings f LEFT JOIN "
		                    "assets s ON s.id = f.asset_id WHERE f.id = ?",
		                    "i", (int64_t)id) != 0)
			return -1;
		int rc = db_step(st, e);
		char state[32] = "";
		int64_t f_opd = 0;
		if (rc == DB_ROW) {
			snprintf(state, sizeof state, "%s", db_col_text(st, 0));
			f_opd = db_col_int(st, 1);
		}
		db_finalize(st);
		if (rc < 0)
			return -1;
		if (rc == DB_DONE || (!all && (opd == 0 || f_opd != opd)))
			return sg_err_set(e, SG_EINVAL, "no finding %lld", id);
		int64_t held = 0; /* taken by the exception a change replaces */
		if (!finding_state_open(state) && self &&
		    db_query_int(a->db, e, &held,
		                 "SELECT COUNT(*) FROM exception_items WHERE exception_id = ? AND "
		                 "kind = 'finding' AND ref = ? AND taken_at IS NOT NULL",
		                 "is", self, ids[i]) != DB_ROW)
			return -1;
		if (!finding_state_open(state) && !held)
			return sg_err_set(e, SG_EINVAL,
			                  "finding %lld is %s: only an open finding (its due date "
			                  "running) is excepted",
			                  id, state);
		int64_t other = 0;
		if (db_query_int(a->db, e, &other,
		                 "SELECT COALESCE(MAX(x.id), 0) FROM exception_items i JOIN exceptions "
		                 "x ON x.id = i.exception_id WHERE i.kind = 'finding' AND i.ref = ? AND "
		                 "x.state IN ('diajukan', 'disetujui', 'berlaku') AND x.id <> ?",
		                 "si", ids[i], self) != DB_ROW)
			return -1;
		if (other)
			return sg_err_set(e, SG_ESTATE,
			                  "finding %lld is already in exception %lld, requested or in "
			                  "force",
			                  id, (long long)other);
		for (size_t j = 0; j < s->n_findings; j++)
			if (s->findings[j] == id)
				return sg_err_set(e, SG_EINVAL, "finding %lld is named twice", id);
		s->findings[s->n_findings++] = id;
	}
	return 0;
}

static int check_text(const char *what, const char *v, size_t max, bool required, sg_err *e)
{
	if (required && (v == NULL || v[strspn(v, " \t\r\n")] == '\0'))
		return sg_err_set(e, SG_EINVAL, "%s must not be empty", what);
	if (v == NULL)
		return 0;
	if (!utf8_valid(v, strlen(v)))
		return sg_err_set(e, SG_EINVAL, "%s is not UTF-8 text", what);
	if (utf8_length(v) > max)
		return sg_err_set(e, SG_EINVAL, "%s is longer than %zu characters", what, max);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') || *p == 0x7f)
			return sg_err_set(e, SG_EINVAL, "%s holds a control character", what);
	return 0;
}

/* Something is excepted, and the validity asked for is a day to come. */
static int check_scope(app *a, const scope *s, sg_err *e)
{
	if (check_text("the policy clause", s->clause, CLAUSE_MAX, false, e) != 0)
		return -1;
	if (s->n_controls == 0 && s->n_findings == 0 && s->asset_id == 0 &&
	    (s->clause == NULL || s->clause[strspn(s->clause, " \t")] == '\0'))
		return sg_err_set(e, SG_EINVAL,
		                  "say what is excepted: a control of the catalogue, a policy clause, "
		                  "the asset or vulnerability findings");
	if (s->until < today(a))
		return sg_err_set(e, SG_EINVAL,
		                  "the exception cannot end on a day already past");
	return 0;
}

/* ---- the records ---- */

static int64_t of_case(app *a, int64_t case_id, char state[16], sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT id, state FROM exceptions WHERE case_id = ?",
	                    "i", case_id) != 0)
		return -1;
	int64_t id = 0;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		id = db_col_int(st, 0);
		snprintf(state, 16, "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	return rc < 0 ? -1 : id;
}

int64_t exception_of_ticket(app *a, const char *ticket, sg_err *e)
{
	int64_t id = 0;
	int rc = db_query_int(a->db, e, &id,
	                      "SELECT x.id FROM exceptions x JOIN cases c ON c.id = x.case_id WHERE "
	                      "c.ticket = ?",
	                      "s", ticket);
	return rc == DB_ROW ? id : rc == DB_DONE ? 0 : -1;
}

static int put_items(app *a, int64_t id, const scope *s, sg_err *e)
{
	if (db_run(a->db, e, "DELETE FROM exception_items WHERE exception_id = ?", "i", id) != 0)
		return -1;
	for (size_t i = 0; i < s->n_controls; i++)
		if (db_run(a->db, e,
		           "INSERT INTO exception_items (exception_id, kind, ref) VALUES (?, "
		           "'control', ?)",
		           "is", id, s->controls[i]) != 0)
			return -1;
	for (size_t i = 0; i < s->n_findings; i++) {
		char ref[24];
		snprintf(ref, sizeof ref, "%lld", (long long)s->findings[i]);
		if (db_run(a->db, e,
		           "INSERT INTO exception_items (exception_id, kind, ref) VALUES (?, "
		           "'finding', ?)",
		           "is", id, ref) != 0)
			return -1;
	}
	if (s->asset_id) {
		char ref[24];
		snprintf(ref, sizeof ref, "%lld", (long long)s->asset_id);
		if (db_run(a->db, e,
		           "INSERT INTO exception_items (exception_id, kind, ref) VALUES (?, 'asset', "
		           "?)",
		           "is", id, ref) != 0)
			return -1;
	}
	return 0;
}

/* The OPD an exception is of: its asset's, else its first finding's
 * asset's, else the requester's (an agen_siber's); 0: none. */
static int scope_opd(app *a, const scope *s, const char *actor, int64_t *opd, sg_err *e)
{
	*opd = 0;
	int rc = DB_DONE;
	if (s->asset_id)
		rc = db_query_int(a->db, e, opd, "SELECT opd_id FROM assets WHERE id = ?", "i",
		                  s->asset_id);
	for (size_t i = 0; *opd == 0 && rc != -1 && i < s->n_findings; i++)
		rc = db_query_int(a->db, e, opd,
		                  "SELECT COALESCE(s.opd_id, 0) FROM findings f LEFT JOIN assets s ON "
		                  "s.id = f.asset_id WHERE f.id = ?",
		                  "i", s->findings[i]);
	if (*opd == 0 && rc != -1 && !user_is_owner(actor))
		rc = db_query_int(a->db, e, opd, "SELECT COALESCE(opd_id, 0) FROM users WHERE name = ?",
		                  "s", actor);
	return rc == -1 ? -1 : 0;
}

static const char *value(json_t *values, const char *name)
{
	const char *v = json_string_value(json_object_get(values, name));
	return v ? v : "";
}

static int log_exception(app *a, const char *actor, const char *action, int64_t id, json_t *d,
                         sg_err *e)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", (long long)id);
	return logbook_record(a, actor, action, "exception", oid, d, e);
}

/* The case's fields: its asset (the procedure's ref field "aset"). */
static int case_asset(app *a, int64_t case_id, int64_t *asset_id, sg_err *e)
{
	db_stmt *st;
	*asset_id = 0;
	if (db_prepare_bind(a->db, &st, e, "SELECT fields FROM cases WHERE id = ?", "i", case_id) !=
	    0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		json_t *f = col_json_doc(st, 0);
		const char *v = json_string_value(json_object_get(f, "aset"));
		if (v && *v)
			*asset_id = strtoll(v, NULL, 10);
		json_decref(f);
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int on_request(app *a, const branch_taken *t, sg_err *e)
{
	char state[16] = "";
	int64_t id = of_case(a, t->row->id, state, e);
	if (id < 0)
		return -1;
	if (id && strcmp(state, "diajukan") != 0)
		return sg_err_set(e, SG_ESTATE,
		                  "exception %lld of this case is %s already; change it on its page "
		                  "(/pengecualian/%lld)",
		                  (long long)id, state, (long long)id);
	scope s = {.clause = value(t->values, "klausul_kebijakan")};
	if (case_asset(a, t->row->id, &s.asset_id, e) != 0 ||
	    parse_day(a, "berlaku_sampai", value(t->values, "berlaku_sampai"), &s.until, e) != 0 ||
	    parse_controls(a, value(t->values, "kontrol"), &s, e) != 0 ||
	    parse_findings(a, t->actor, value(t->values, "temuan"), id, &s, e) != 0 ||
	    check_scope(a, &s, e) != 0)
		return -1;
	const char *reason = value(t->values, "alasan"), *comp = value(t->values, "kompensasi");
	if (check_text("the reason", reason, TEXT_MAX, true, e) != 0 ||
	    check_text("the compensating controls", comp, TEXT_MAX, true, e) != 0)
		return -1;
	int64_t opd = 0, now = app_now(a);
	if (scope_opd(a, &s, t->actor, &opd, e) != 0)
		return -1;
	/* who asked: the applicant the step was done on behalf of (its run
	 * is stored already, with who recorded it), else who did it */
	char who[256];
	snprintf(who, sizeof who, "%s", t->actor);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT on_behalf_of FROM step_runs WHERE case_id = ? AND on_behalf_of "
	                    "IS NOT NULL AND seq = (SELECT MAX(seq) FROM step_runs WHERE case_id = ?)",
	                    "ii", t->row->id, t->row->id) != 0)
		return -1;
	if (db_step(st, e) == DB_ROW)
		snprintf(who, sizeof who, "%s", db_col_text(st, 0));
	db_finalize(st);
	if (id == 0) {
		if (db_insert(a->db, e, &id,
		              "INSERT INTO exceptions (case_id, opd_id, policy_clause, reason, "
		              "compensating, requested_by, requested_until, created_at, updated_at) "
		              "VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?)",
		              "iissssiii", t->row->id, opd, s.clause, reason, comp, who, s.until,
		              now, now) != 0)
			return -1;
	} else if (db_run(a->db, e,
	                  "UPDATE exceptions SET opd_id = NULLIF(?, 0), policy_clause = ?, reason = "
	                  "?, compensating = ?, requested_by = ?, requested_until = ?, updated_at "
	                  "= ? WHERE id = ?",
	                  "issssiii", opd, s.clause, reason, comp, who, s.until, now, id) != 0) {
		return -1;
	}
	if (put_items(a, id, &s, e) != 0)
		return -1;
	return log_exception(a, t->actor, "exception.request", id,
	                     json_pack("{s:s, s:s, s:i, s:i}", "ticket", t->ticket, "until",
	                               value(t->values, "berlaku_sampai"), "controls",
	                               (int)s.n_controls, "findings", (int)s.n_findings),
	                     e);
}

/* The exception a later step of the case writes on: one requested. */
static int64_t requested(app *a, const branch_taken *t, sg_err *e)
{
	char state[16] = "";
	int64_t id = of_case(a, t->row->id, state, e);
	if (id == 0)
		sg_err_set(e, SG_ESTATE,
		           "case %s has no exception requested: its request step writes it first",
		           t->ticket);
	else if (id > 0 && strcmp(state, "diajukan") != 0)
		sg_err_set(e, SG_ESTATE, "exception %lld is %s: it was decided already", (long long)id,
		           state);
	else
		return id;
	return -1;
}

static int on_risks(app *a, const branch_taken *t, sg_err *e)
{
	int64_t id = requested(a, t, e);
	if (id < 0)
		return -1;
	char ids[SOP_REFS_MAX][65];
	size_t n = 0;
	if (sop_ref_list(value(t->values, "risiko"), ids, SOP_REFS_MAX, &n) != 0 || n == 0)
		return sg_err_set(e, SG_EINVAL,
		                  "the Daftar Risiko names the register's risks by their numbers, "
		                  "separated by commas");
	/* the register as the actor sees it (the machine's owner: all) */
	const char *viewer = user_is_owner(t->actor) ? NULL : t->actor;
	if (db_run(a->db, e, "DELETE FROM exception_risks WHERE exception_id = ?", "i", id) != 0)
		return -1;
	json_t *linked = json_array();
	for (size_t i = 0; i < n; i++) {
		char *end;
		long long rid = strtoll(ids[i], &end, 10);
		sg_err ignore;
		json_t *r = *end || rid <= 0 ? NULL : risk_get(a, viewer, rid, &ignore);
		const char *status = r ? json_string_value(json_object_get(r, "status")) : NULL;
		int rc = 0;
		if (r == NULL)
			rc = sg_err_set(e, SG_EINVAL, "no risk %s in the register (/risiko)", ids[i]);
		else if (strcmp(status, "aktif") != 0)
			rc = sg_err_set(e, SG_EINVAL, "risk %lld is closed (ditutup)", rid);
		json_decref(r);
		if (rc == 0)
			rc = db_run(a->db, e,
			            "INSERT INTO exception_risks (exception_id, risk_id) VALUES (?, ?) "
			            "ON CONFLICT DO NOTHING",
			            "ii", id, (int64_t)rid);
		if (rc != 0) {
			json_decref(linked);
			return -1;
		}
		json_array_append_new(linked, json_integer(rid));
	}
	if (db_run(a->db, e, "UPDATE exceptions SET updated_at = ? WHERE id = ?", "ii", app_now(a),
	           id) != 0) {
		json_decref(linked);
		return -1;
	}
	return log_exception(a, t->actor, "exception.risks", id,
	                     json_pack("{s:s, s:o}", "ticket", t->ticket, "risks", linked), e);
}

/* Inside a transaction: the findings of exception id that are open go
 * to risiko_diterima until expires, each remembering its state. */
static int take_findings(app *a, int64_t id, const char *ticket, int64_t expires,
                         const char *approver, const char *actor, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT f.id, f.state FROM exception_items i JOIN findings f ON "
	                    ITEM_FINDING " WHERE i.exception_id = ? AND i.kind = 'finding' ORDER BY "
	                    "f.id",
	                    "i", id) != 0)
		return -1;
	int64_t fid[SOP_REFS_MAX];
	char from[SOP_REFS_MAX][32];
	size_t n = 0;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW && n < SOP_REFS_MAX) {
		if (!finding_state_open(db_col_text(st, 1)))
			continue; /* decided otherwise since the request */
		fid[n] = db_col_int(st, 0);
		snprintf(from[n++], 32, "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	int64_t now = app_now(a);
	char why[120];
	snprintf(why, sizeof why, "pengecualian %lld (kasus %s)", (long long)id, ticket);
	for (size_t i = 0; i < n; i++) {
		char ref[24];
		snprintf(ref, sizeof ref, "%lld", (long long)fid[i]);
		if (db_run(a->db, e,
		           "UPDATE findings SET state = 'risiko_diterima', state_reason = ?, state_by "
		           "= ?, state_at = ?, accepted_until = ?, approved_by = ? WHERE id = ?",
		           "ssiisi", why, actor, now, expires, approver, fid[i]) != 0 ||
		    db_run(a->db, e,
		           "UPDATE exception_items SET prior_state = ?, taken_at = ? WHERE "
		           "exception_id = ? AND kind = 'finding' AND ref = ?",
		           "siis", from[i], now, id, ref) != 0 ||
		    finding_history_add(a, fid[i], actor, from[i], "risiko_diterima", why, 0, e) != 0)
			return -1;
	}
	return 0;
}

/* Inside a transaction: the findings exception id took go back to the
 * state they had, their due clock moved by the time they spent excepted;
 * one decided otherwise meanwhile (no longer risiko_diterima) stays. */
static int release_findings(app *a, int64_t id, const char *ticket, const char *what,
                            const char *actor, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT f.id, i.prior_state, i.taken_at, f.sla_start FROM "
	                    "exception_items i JOIN findings f ON " ITEM_FINDING " WHERE "
	                    "i.exception_id = ? AND i.kind = 'finding' AND i.taken_at IS NOT NULL "
	                    "AND f.state = 'risiko_diterima' ORDER BY f.id",
	                    "i", id) != 0)
		return -1;
	struct {
		int64_t id, taken, start;
		char to[32];
	} f[SOP_REFS_MAX];
	size_t n = 0;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW && n < SOP_REFS_MAX) {
		f[n].id = db_col_int(st, 0);
		snprintf(f[n].to, sizeof f[n].to, "%s", db_col_text(st, 1));
		f[n].taken = db_col_int(st, 2);
		f[n++].start = db_col_int(st, 3);
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	int64_t now = app_now(a);
	char why[160];
	snprintf(why, sizeof why, "pengecualian %lld (kasus %s) %s", (long long)id, ticket, what);
	for (size_t i = 0; i < n; i++) {
		int64_t paused = now > f[i].taken ? now - f[i].taken : 0;
		if (db_run(a->db, e,
		           "UPDATE findings SET state = ?, state_reason = ?, state_by = ?, state_at = "
		           "?, accepted_until = NULL, approved_by = NULL WHERE id = ?",
		           "sssii", f[i].to, why, actor, now, f[i].id) != 0 ||
		    (f[i].start && finding_due_restart(a, f[i].id, f[i].start + paused, e) != 0) ||
		    finding_history_add(a, f[i].id, actor, "risiko_diterima", f[i].to, why, 0, e) != 0)
			return -1;
	}
	return db_run(a->db, e,
	              "UPDATE exception_items SET taken_at = NULL WHERE exception_id = ? AND kind = "
	              "'finding'",
	              "i", id);
}

static void day_text(app *a, int64_t t, char out[16])
{
	civil_format_day(t, a->cfg.cal.zone, out);
}

/* An approval's period: start no earlier than today, the last day no
 * earlier than the start and within masa_maksimal of it. */
static int check_period(app *a, int64_t start, int64_t last, int64_t asked, sg_err *e)
{
	if (start < today(a))
		return sg_err_set(e, SG_EINVAL, "an exception cannot start on a day already past");
	int64_t latest = civil_add_months(today(a), a->cfg.cal.zone, a->cfg.exc_max_months);
	if (start >= latest) {
		char day[16];
		day_text(a, latest, day);
		return sg_err_set(e, SG_EINVAL,
		                  "an exception starts within the longest period it may be approved "
		                  "for: before %s",
		                  day);
	}
	if (last < today(a))
		return sg_err_set(e, SG_EINVAL,
		                  "the expiry lies in the past: an exception ends on a day to come");
	if (last < start)
		return sg_err_set(e, SG_EINVAL, "the expiry lies before the start");
	int64_t limit = civil_add_months(start, a->cfg.cal.zone, a->cfg.exc_max_months);
	if (last >= limit) {
		char day[16];
		day_text(a, limit, day);
		return sg_err_set(e, SG_EINVAL,
		                  "an exception is approved for %d months at most ([pengecualian] "
		                  "masa_maksimal): it must end before %s",
		                  a->cfg.exc_max_months, day);
	}
	if (last > asked) {
		char day[16];
		day_text(a, asked, day);
		return sg_err_set(e, SG_EINVAL,
		                  "the approval cannot go beyond the period requested (until %s); a "
		                  "longer one is a new request",
		                  day);
	}
	return 0;
}

static int on_decision(app *a, const branch_taken *t, sg_err *e)
{
	int64_t id = requested(a, t, e);
	if (id < 0)
		return -1;
	int64_t now = app_now(a);
	const char *note = value(t->values, "catatan_persetujuan");
	if (strcmp(t->decision, t->st->branches[0].label) != 0) {
		if (db_run(a->db, e,
		           "UPDATE exceptions SET state = 'ditolak', decided_by = ?, decided_at = ?, "
		           "decision_note = ?, updated_at = ? WHERE id = ?",
		           "sisii", t->actor, now, note, now, id) != 0)
			return -1;
		return log_exception(a, t->actor, "exception.refuse", id,
		                     json_pack("{s:s}", "ticket", t->ticket), e);
	}
	int64_t risks = 0, asked = 0;
	if (db_query_int(a->db, e, &risks,
	                 "SELECT COUNT(*) FROM exception_risks WHERE exception_id = ?", "i",
	                 id) != DB_ROW ||
	    db_query_int(a->db, e, &asked, "SELECT requested_until FROM exceptions WHERE id = ?",
	                 "i", id) != DB_ROW)
		return -1;
	if (risks == 0)
		return sg_err_set(e, SG_ESTATE,
		                  "an exception is approved on its Daftar Risiko: link the register's "
		                  "risks at the risk analysis step first");
	int64_t closed = 0;
	if (db_query_int(a->db, e, &closed,
	                 "SELECT COALESCE(MIN(r.id), 0) FROM exception_risks x JOIN risks r ON r.id = "
	                 "x.risk_id WHERE x.exception_id = ? AND r.status <> 'aktif'",
	                 "i", id) != DB_ROW)
		return -1;
	if (closed)
		return sg_err_set(e, SG_ESTATE,
		                  "risk %lld of its Daftar Risiko was closed since the analysis: send "
		                  "the case back to the risk analysis to weigh it on open risks",
		                  (long long)closed);
	int64_t start = today(a), last = asked;
	const char *vs = value(t->values, "berlaku_mulai"), *vu = value(t->values, "berlaku_sampai");
	if ((*vs && parse_day(a, "berlaku_mulai", vs, &start, e) != 0) ||
	    (*vu && parse_day(a, "berlaku_sampai", vu, &last, e) != 0))
		return -1;
	if (check_period(a, start, last, asked, e) != 0)
		return -1;
	int64_t expires = last + DAY;
	bool now_in_force = start <= now;
	if (db_run(a->db, e,
	           "UPDATE exceptions SET state = ?, starts_at = ?, expires_at = ?, decided_by = ?, "
	           "decided_at = ?, decision_note = ?, updated_at = ? WHERE id = ?",
	           "siisisii", now_in_force ? "berlaku" : "disetujui", start, expires, t->actor, now,
	           note, now, id) != 0)
		return -1;
	if (now_in_force && take_findings(a, id, t->ticket, expires, t->actor, t->actor, e) != 0)
		return -1;
	char s1[16], s2[16];
	day_text(a, start, s1);
	day_text(a, last, s2);
	return log_exception(a, t->actor, "exception.approve", id,
	                     json_pack("{s:s, s:s, s:s, s:I}", "ticket", t->ticket, "from", s1,
	                               "until", s2, "risks", (json_int_t)risks),
	                     e);
}

int exception_on_step(app *a, const branch_taken *t, sg_err *e)
{
	const char *c = t->st->catat;
	if (c == NULL)
		return 0;
	if (strcmp(c, "pengecualian.permohonan") == 0)
		return on_request(a, t, e);
	if (strcmp(c, "pengecualian.risiko") == 0)
		return on_risks(a, t, e);
	if (strcmp(c, "pengecualian.keputusan") == 0 && t->decision)
		return on_decision(a, t, e);
	return 0;
}

/* ---- change and revocation ---- */

typedef struct stored {
	int64_t id, case_id, expires, opd_id;
	char state[16], ticket[32];
} stored;

/* The exception as the scope may see it (SG_ENOTFOUND otherwise). */
static int load_stored(app *a, const exception_scope *s, int64_t id, stored *x, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT x.id, x.case_id, COALESCE(x.expires_at, 0), "
	                    "COALESCE(x.opd_id, 0), x.state, c.ticket FROM exceptions x JOIN cases "
	                    "c ON c.id = x.case_id WHERE x.id = ?",
	                    "i", id) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		x->id = db_col_int(st, 0);
		x->case_id = db_col_int(st, 1);
		x->expires = db_col_int(st, 2);
		x->opd_id = db_col_int(st, 3);
		snprintf(x->state, sizeof x->state, "%s", db_col_text(st, 4));
		snprintf(x->ticket, sizeof x->ticket, "%s", db_col_text(st, 5));
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	if (rc == DB_DONE || (!s->read_all && (s->opd_id == 0 || x->opd_id != s->opd_id)))
		return sg_err_set(e, SG_ENOTFOUND, "no exception %lld", (long long)id);
	return 0;
}

static bool approved(const char *state)
{
	return strcmp(state, "disetujui") == 0 || strcmp(state, "berlaku") == 0;
}

/* Inside a transaction: x ends as dicabut, its findings released. */
static int end_revoked(app *a, const stored *x, const char *actor, const char *why, sg_err *e)
{
	int64_t now = app_now(a);
	if (db_run(a->db, e,
	           "UPDATE exceptions SET state = 'dicabut', ended_at = ?, ended_by = ?, "
	           "end_reason = ?, updated_at = ? WHERE id = ?",
	           "issii", now, actor, why, now, x->id) != 0)
		return -1;
	return strcmp(x->state, "berlaku") == 0
	           ? release_findings(a, x->id, x->ticket, "dicabut", actor, e)
	           : 0;
}

int exception_revoke(app *a, const char *actor, int64_t id, const char *why, sg_err *e)
{
	exception_scope s;
	if (exception_scope_of(a, actor, &s, e) != 0)
		return -1;
	if (check_text("the reason", why, TEXT_MAX, true, e) != 0)
		return -1;
	if (db_begin(a->db, e) != 0)
		return -1;
	stored x;
	if (load_stored(a, &s, id, &x, e) != 0)
		goto fail;
	if (!s.revoke) {
		sg_err_set(e, SG_EPERM,
		           "only the Kepala Bidang or the Kepala Dinas revokes an exception");
		goto fail;
	}
	if (!approved(x.state)) {
		sg_err_set(e, SG_ESTATE, "exception %lld is %s: only an approved one is revoked",
		           (long long)id, x.state);
		goto fail;
	}
	if (end_revoked(a, &x, actor, why, e) != 0 ||
	    log_exception(a, actor, "exception.revoke", id,
	                  json_pack("{s:s, s:s}", "ticket", x.ticket, "reason", why), e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

/* The scope of a stored exception, as a change starts from. */
static int stored_scope(app *a, int64_t id, scope *s, char **clause, int64_t *until, sg_err *e)
{
	memset(s, 0, sizeof *s);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT kind, ref FROM exception_items WHERE exception_id = ? ORDER BY "
	                    "kind, ref",
	                    "i", id) != 0)
		return -1;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		const char *k = db_col_text(st, 0), *r = db_col_text(st, 1);
		if (strcmp(k, "control") == 0 && s->n_controls < SOP_REFS_MAX)
			snprintf(s->controls[s->n_controls++], 65, "%s", r);
		else if (strcmp(k, "finding") == 0 && s->n_findings < SOP_REFS_MAX)
			s->findings[s->n_findings++] = strtoll(r, NULL, 10);
		else if (strcmp(k, "asset") == 0)
			s->asset_id = strtoll(r, NULL, 10);
	}
	db_finalize(st);
	if (rc < 0 ||
	    db_prepare_bind(a->db, &st, e,
	                    "SELECT policy_clause, COALESCE(expires_at - 86400, requested_until) "
	                    "FROM exceptions WHERE id = ?",
	                    "i", id) != 0)
		return -1;
	if ((rc = db_step(st, e)) == DB_ROW) {
		*clause = strdup(db_col_text(st, 0));
		*until = db_col_int(st, 1);
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

static int by_text(const void *x, const void *y)
{
	return strcmp(x, y);
}

static int by_id(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* The scope's lists in one order, so that two are compared as sets. */
static void sort_scope(scope *s)
{
	qsort(s->controls, s->n_controls, sizeof s->controls[0], by_text);
	qsort(s->findings, s->n_findings, sizeof s->findings[0], by_id);
}

static void controls_text(const scope *s, buf *b)
{
	for (size_t i = 0; i < s->n_controls; i++)
		buf_printf(b, "%s%s", i ? ", " : "", s->controls[i]);
}

static void findings_text(const scope *s, buf *b)
{
	for (size_t i = 0; i < s->n_findings; i++)
		buf_printf(b, "%s%lld", i ? ", " : "", (long long)s->findings[i]);
}

/* The new case of a change: of the procedure the old one ran, its case
 * fields and title, linked to it; its first step drafted with the
 * changed request. */
static int open_again(app *a, const stored *x, const char *actor, const scope *s,
                      const char *clause, const char *until, const char *reason,
                      const char *comp, const char *why, char ticket[32], int64_t *case_id,
                      sg_err *e)
{
	case_row row;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT " CASE_ROW_COLUMNS ", title, fields FROM cases WHERE id = ?",
	                    "i", x->case_id) != 0)
		return -1;
	int rc = db_step(st, e);
	char *title = NULL;
	json_t *fields = NULL;
	if (rc == DB_ROW) {
		case_row_read(st, &row);
		title = strdup(db_col_text(st, 6));
		fields = col_json_doc(st, 7);
	}
	db_finalize(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? sg_err_set(e, SG_EINTEGRITY, "the case of exception %lld is gone",
		                                  (long long)x->id)
		                     : -1;
	const sop_entry *en;
	const sop_procedure *old = case_procedure(a, &row, &en, e), *proc = NULL;
	/* the procedure as it runs now (a revision since is what applies) */
	const sop_entry *now_en = old ? sops_find_procedure(&a->sops, old->id, &proc) : NULL;
	rc = -1;
	if (now_en == NULL || proc == NULL) {
		if (old)
			sg_err_set(e, SG_ENOTFOUND, "the procedure %s is not loaded", old->id);
		goto out;
	}
	char t2[400];
	snprintf(t2, sizeof t2, "Pengajuan ulang %s: %s", x->ticket, title);
	if (utf8_length(t2) > 200) /* a case title's limit */
		snprintf(t2, sizeof t2, "Pengajuan ulang pengecualian %s", x->ticket);
	if (case_insert(a, now_en, proc, t2, fields, actor, NULL, ticket, case_id, e) != 0)
		goto out;
	if (db_run(a->db, e,
	           "INSERT INTO case_links (from_case, to_case, kind, note, at, actor) VALUES (?, ?, "
	           "'pengajuan_ulang', ?, ?, ?)",
	           "iisis", x->case_id, *case_id, why, app_now(a), actor) != 0)
		goto out;
	/* the first step's draft: the request as changed */
	buf c = BUF_INIT, f = BUF_INIT;
	controls_text(s, &c);
	findings_text(s, &f);
	json_t *draft = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kontrol", buf_str(&c),
	                          "klausul_kebijakan", clause, "temuan", buf_str(&f), "alasan",
	                          reason, "kompensasi", comp, "berlaku_sampai", until);
	buf_free(&c);
	buf_free(&f);
	char *text = json_dumps(draft, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(draft);
	char source[48];
	snprintf(source, sizeof source, "exception:%lld", (long long)x->id);
	rc = db_run(a->db, e,
	            "INSERT INTO step_drafts (case_id, step_no, form_values, source, at, actor) "
	            "VALUES (?, ?, ?, ?, ?, ?)",
	            "iissis", *case_id, (int64_t)proc->steps[0].no, text, source, app_now(a),
	            actor);
	free(text);
	if (rc == 0)
		rc = case_assets_from_values(a, *case_id, ticket, proc->fields, proc->n_fields, fields,
		                             actor, e);
	if (rc == 0)
		rc = logbook_record(a, actor, "case.create", "case", ticket,
		                    json_pack("{s:s, s:s, s:s}", "procedure", proc->id, "title", t2,
		                              "from", x->ticket),
		                    e);
	if (rc == 0)
		rc = outbox_case(a, ticket, actor, e);
out:
	free(title);
	json_decref(fields);
	return rc;
}

int exception_change(app *a, const char *actor, int64_t id, const exception_change_in *in,
                     char ticket[32], int64_t *new_id, sg_err *e)
{
	exception_scope sc;
	if (exception_scope_of(a, actor, &sc, e) != 0)
		return -1;
	if (check_text("the reason for the change", in->why, TEXT_MAX, true, e) != 0)
		return -1;
	if (db_begin(a->db, e) != 0)
		return -1;
	char *clause = NULL, *reason = NULL, *comp = NULL;
	stored x;
	scope old, s;
	int64_t old_until = 0;
	if (load_stored(a, &sc, id, &x, e) != 0)
		goto fail;
	if (!sc.change) {
		sg_err_set(e, SG_EPERM,
		           "only the Tim Teknis, the Kepala Bidang or the Kepala Dinas asks for a "
		           "change of an exception");
		goto fail;
	}
	if (!approved(x.state)) {
		sg_err_set(e, SG_ESTATE,
		           "exception %lld is %s: only an approved one is changed (a request is "
		           "changed on its case)",
		           (long long)id, x.state);
		goto fail;
	}
	if (stored_scope(a, id, &old, &clause, &old_until, e) != 0)
		goto fail;
	s = old;
	s.clause = in->clause ? in->clause : clause;
	s.until = old_until;
	if ((in->controls && parse_controls(a, in->controls, &s, e) != 0) ||
	    (in->findings && parse_findings(a, actor, in->findings, id, &s, e) != 0) ||
	    (in->until && *in->until && parse_day(a, "berlaku_sampai", in->until, &s.until, e) != 0) ||
	    check_scope(a, &s, e) != 0)
		goto fail;
	sort_scope(&old);
	sort_scope(&s);
	buf b1 = BUF_INIT, b2 = BUF_INIT, b3 = BUF_INIT, b4 = BUF_INIT;
	controls_text(&old, &b1);
	controls_text(&s, &b2);
	findings_text(&old, &b3);
	findings_text(&s, &b4);
	bool same = strcmp(buf_str(&b1), buf_str(&b2)) == 0 &&
	            strcmp(buf_str(&b3), buf_str(&b4)) == 0 && strcmp(clause, s.clause) == 0 &&
	            old_until == s.until;
	json_t *d = json_pack("{s:s, s:{s:s, s:s, s:s}, s:s}", "ticket", x.ticket, "scope",
	                      "controls", buf_str(&b2), "findings", buf_str(&b4), "clause", s.clause,
	                      "reason", in->why);
	buf_free(&b1);
	buf_free(&b2);
	buf_free(&b3);
	buf_free(&b4);
	if (same) {
		json_decref(d);
		sg_err_set(e, SG_EINVAL, "nothing changed: give other controls, findings, clause or "
		                         "expiry");
		goto fail;
	}
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT reason, compensating FROM exceptions WHERE id = ?",
	                    "i", id) != 0) {
		json_decref(d);
		goto fail;
	}
	if (db_step(st, e) == DB_ROW) {
		reason = strdup(db_col_text(st, 0));
		comp = strdup(db_col_text(st, 1));
	}
	db_finalize(st);
	char until[16], why[200];
	day_text(a, s.until, until);
	int64_t case_id = 0, opd = 0, now = app_now(a);
	snprintf(why, sizeof why, "diubah; diajukan ulang (pengecualian %lld)", (long long)id);
	if (reason == NULL || comp == NULL || end_revoked(a, &x, actor, why, e) != 0 ||
	    open_again(a, &x, actor, &s, s.clause, until, reason, comp, in->why, ticket, &case_id,
	               e) != 0 ||
	    scope_opd(a, &s, actor, &opd, e) != 0 ||
	    db_insert(a->db, e, new_id,
	              "INSERT INTO exceptions (case_id, replaces_id, opd_id, policy_clause, reason, "
	              "compensating, requested_by, requested_until, created_at, updated_at) VALUES "
	              "(?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?)",
	              "iiissssiii", case_id, id, opd ? opd : x.opd_id, s.clause, reason, comp, actor,
	              s.until, now, now) != 0 ||
	    put_items(a, *new_id, &s, e) != 0 ||
	    db_run(a->db, e,
	           "INSERT INTO exception_risks (exception_id, risk_id) SELECT ?, risk_id FROM "
	           "exception_risks WHERE exception_id = ?",
	           "ii", *new_id, id) != 0) {
		json_decref(d);
		goto fail;
	}
	json_object_set_new(d, "new_exception", json_integer(*new_id));
	json_object_set_new(d, "new_ticket", json_string(ticket));
	if (log_exception(a, actor, "exception.change", id, d, e) != 0 ||
	    log_exception(a, actor, "exception.request", *new_id,
	                  json_pack("{s:s, s:s, s:I}", "ticket", ticket, "until", until, "replaces",
	                            (json_int_t)id),
	                  e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	free(clause);
	free(reason);
	free(comp);
	return 0;
fail:
	db_rollback(a->db);
	free(clause);
	free(reason);
	free(comp);
	return -1;
}

/* ---- time: start, expiry, reminders ---- */

/* The ids of exceptions in state whose instant column is at or before
 * now (at most max). */
static int due(app *a, const char *state, const char *column, int64_t now, int64_t *ids,
               char (*tickets)[32], int64_t *exp, int max, sg_err *e)
{
	char sql[300];
	snprintf(sql, sizeof sql,
	         "SELECT x.id, c.ticket, x.expires_at FROM exceptions x JOIN cases c ON c.id = "
	         "x.case_id WHERE x.state = ? AND x.%s <= ? ORDER BY x.id LIMIT %d",
	         column, max);
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, sql, "si", state, now) != 0)
		return -1;
	int n = 0, rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		ids[n] = db_col_int(st, 0);
		snprintf(tickets[n], 32, "%s", db_col_text(st, 1));
		exp[n++] = db_col_int(st, 2);
	}
	db_finalize(st);
	return rc < 0 ? -1 : n;
}

enum { ROUND_BATCH = 100 };

static int round_in(app *a, int *moved, sg_err *e)
{
	int64_t now = app_now(a), ids[ROUND_BATCH], exp[ROUND_BATCH];
	char tickets[ROUND_BATCH][32];
	const char *me = "sigap";
	/* approved, and the start has come */
	int n = due(a, "disetujui", "starts_at", now, ids, tickets, exp, ROUND_BATCH, e);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		char approver[200] = "";
		db_stmt *st;
		if (db_prepare_bind(a->db, &st, e, "SELECT decided_by FROM exceptions WHERE id = ?", "i",
		                    ids[i]) != 0)
			return -1;
		if (db_step(st, e) == DB_ROW)
			snprintf(approver, sizeof approver, "%s", db_col_text(st, 0));
		db_finalize(st);
		if (db_run(a->db, e,
		           "UPDATE exceptions SET state = 'berlaku', updated_at = ? WHERE id = ?", "ii",
		           now, ids[i]) != 0 ||
		    take_findings(a, ids[i], tickets[i], exp[i], approver, me, e) != 0 ||
		    log_exception(a, me, "exception.start", ids[i],
		                  json_pack("{s:s}", "ticket", tickets[i]), e) != 0)
			return -1;
		(*moved)++;
	}
	/* ended: in force, or approved and never begun, past the expiry */
	for (int pass = 0; pass < 2; pass++) {
		const char *state = pass ? "disetujui" : "berlaku";
		n = due(a, state, "expires_at", now, ids, tickets, exp, ROUND_BATCH, e);
		if (n < 0)
			return -1;
		for (int i = 0; i < n; i++) {
			if (db_run(a->db, e,
			           "UPDATE exceptions SET state = 'kedaluwarsa', ended_at = ?, ended_by "
			           "= ?, updated_at = ? WHERE id = ?",
			           "isii", now, me, now, ids[i]) != 0 ||
			    (pass == 0 &&
			     release_findings(a, ids[i], tickets[i], "berakhir", me, e) != 0) ||
			    log_exception(a, me, "exception.expire", ids[i],
			                  json_pack("{s:s}", "ticket", tickets[i]), e) != 0)
				return -1;
			(*moved)++;
		}
	}
	/* reminders: the smallest threshold the days left fall within, once */
	const int *r = a->cfg.exc_remind;
	if (r[0] == 0)
		return 0;
	n = due(a, "berlaku", "expires_at", now + (int64_t)r[0] * DAY, ids, tickets, exp,
	        ROUND_BATCH, e);
	for (int i = 0; i < n; i++) {
		int64_t left = (exp[i] - now + DAY - 1) / DAY, reminded = 0;
		int t = 0;
		for (int k = 0; k < EXC_REMIND_MAX && r[k]; k++)
			if (left <= r[k])
				t = r[k];
		if (db_query_int(a->db, e, &reminded, "SELECT reminded FROM exceptions WHERE id = ?",
		                 "i", ids[i]) != DB_ROW)
			return -1;
		if (t == 0 || (reminded && reminded <= t))
			continue;
		if (db_run(a->db, e, "UPDATE exceptions SET reminded = ? WHERE id = ?", "ii", (int64_t)t,
		           ids[i]) != 0 ||
		    outbox_mail_exception(a, ids[i], tickets[i], (int)left, exp[i], e) != 0 ||
		    log_exception(a, me, "exception.remind", ids[i],
		                  json_pack("{s:s, s:I}", "ticket", tickets[i], "days", (json_int_t)left),
		                  e) != 0)
			return -1;
		(*moved)++;
	}
	return n < 0 ? -1 : 0;
}

int exception_round(app *a, int *moved, sg_err *e)
{
	int m = 0;
	if (db_begin(a->db, e) != 0)
		return -1;
	if (db_serialize(a->db, "pengecualian", e) != 0 || round_in(a, &m, e) != 0 ||
	    db_commit(a->db, e) != 0) {
		db_rollback(a->db);
		return -1;
	}
	if (moved)
		*moved = m;
	return 0;
}
