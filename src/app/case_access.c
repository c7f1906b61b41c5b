/*
 * case_access.c: need-to-know, the one rule that decides whether a user
 * may see a case, and how much of it.
 *
 * Every path that shows a case asks here: the case list and its counts,
 * full-text search, the dashboard, the case page, its report, evidence,
 * comments, the logbook, the JSON API and the command line's --as. Lists
 * put CASE_VISIBLE_SQL in their WHERE clause; a single case asks
 * case_sight_of. Both say the same thing (app.h states the rule):
 *
 *   staff        holds a role that acts on a step of the case's procedure,
 *                or a role of its SOP that may reopen its cases
 *                (buka_kembali: the supervisor, kabid)
 *                and is not an outside role (luar) of its SOP;
 *   participant  a row in case_participants (kept by triggers: who opened
 *                the case, was assigned it, completed a step of it);
 *   csirt        staff of some procedure: not an outside actor, not only
 *                an administrator;
 *   constituency an agen_siber and a case linked to an asset of its OPD
 *                (case_assets): it sees its part, as an outside reporter
 *                sees its own report, unless the case is TLP:RED or
 *                TLP:AMBER+STRICT (the CSIRT's and the named people's only).
 *
 * The staff procedures of a user are worked out from the SOPs loaded now
 * (the registry), so a role added to a step in an SOP file widens its
 * staff at the next start, and a case of an SOP version no longer loaded
 * keeps its procedure's current staff.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_row.h"

/* The user is bound once: its row leads to its participations and, for
 * an agen_siber, its OPD (each an index probe per case). */
const char CASE_VISIBLE_SQL[] =
	"((c.procedure_id IN (SELECT value FROM json_each(?)) AND COALESCE(c.tlp, '') <> 'TLP:RED')"
	" OR EXISTS (SELECT 1 FROM users u WHERE u.name = ? AND ("
	"EXISTS (SELECT 1 FROM case_participants p WHERE p.case_id = c.id AND p.user_name = u.name"
	" AND (? = 1 OR COALESCE(c.tlp, '') <> 'TLP:AMBER+STRICT'))"
	" OR (" CASE_OPD_SQL("u") "))))";

/* The cases v sees whole (CASE_SEE_FULL): what a search may read, and
 * what a filter on a field a limited view hides may match. An outside
 * actor sees only its part of any case, so words only the team wrote
 * must not find the case for it. Parameters as CASE_VISIBLE_SQL's. */
const char CASE_FULL_SQL[] =
	"((c.procedure_id IN (SELECT value FROM json_each(?)) AND COALESCE(c.tlp, '') <> 'TLP:RED')"
	" OR EXISTS (SELECT 1 FROM case_participants p WHERE p.case_id = c.id AND p.user_name = ?"
	" AND ? = 1))";

/* Whether roles hold a role that acts on a step of proc as staff, or a
 * supervising role of its SOP that may reopen its cases (buka_kembali). */
static bool staff_of(const sop *s, const sop_procedure *proc, json_t *roles)
{
	for (size_t i = 0; i < s->n_roles; i++)
		if (s->roles[i].buka_kembali && roles_hold(roles, s->roles[i].id))
			return true;
	for (size_t i = 0; i < proc->n_steps; i++) {
		const char *role = proc->steps[i].role;
		if (role == NULL || sop_role_outside(s, role))
			continue;
		size_t k;
		json_t *r;
		json_array_foreach(roles, k, r) if (strcmp(json_string_value(r), role) == 0) return true;
	}
	return false;
}

int case_viewer_load(app *a, const char *user, case_viewer *v, sg_err *e)
{
	return case_viewer_with_roles(a, user, NULL, v, e);
}

int case_viewer_with_roles(app *a, const char *user, json_t *held, case_viewer *v, sg_err *e)
{
	memset(v, 0, sizeof *v);
	/* "cli:USER@HOST" is the command line acting without --as: the
	 * machine's owner. No account can bear the name (users.c allows no
	 * ':'), and only cli/ writes it. */
	if (user == NULL || strncmp(user, "cli:", 4) == 0) {
		v->all = true;
		return 0;
	}
	json_t *procs = json_array();
	json_t *roles = NULL;
	if (*user != '\0' && strlen(user) < sizeof v->user) {
		snprintf(v->user, sizeof v->user, "%s", user);
		sg_err ignore;
		roles = held ? json_incref(held)
		             : user_roles(a, user, &ignore); /* unknown or disabled: no roles */
	}
	if (roles != NULL)
		for (size_t i = 0; i < a->sops.n; i++) {
			const sop *s = a->sops.v[i].sop;
			for (size_t p = 0; p < s->n_procs; p++)
				if (staff_of(s, &s->procs[p], roles))
					json_array_append_new(procs, json_string(s->procs[p].id));
		}
	v->admin = roles != NULL && roles_hold(roles, "admin");
	if (roles != NULL && roles_hold(roles, "agen_siber") &&
	    db_query_int(a->db, e, &v->opd_id, "SELECT COALESCE(opd_id, 0) FROM users WHERE name = ?",
			 "s", user) < 0) {
		json_decref(roles);
		json_decref(procs);
		return -1;
	}
	json_decref(roles);
	v->csirt = json_array_size(procs) > 0;
	v->procs = procs; /* kept: case_sight_of asks it, the SQL binds its text */
	v->staff_procs = json_dumps(procs, JSON_COMPACT);
	if (v->staff_procs == NULL) {
		case_viewer_free(v);
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	}
	return 0;
}

void case_viewer_free(case_viewer *v)
{
	free(v->staff_procs);
	v->staff_procs = NULL;
	json_decref(v->procs);
	v->procs = NULL;
}

int case_visible_bind(db_stmt *st, int first, const case_viewer *v)
{
	if (db_bind_text(st, first, v->staff_procs) != 0 || db_bind_text(st, first + 1, v->user) != 0 ||
	    db_bind_int(st, first + 2, v->csirt) != 0)
		return -1;
	return 0;
}

int case_sight_of(app *a, const case_viewer *v, int64_t case_id, const char *procedure_id,
		  const char *tlp, case_sight *out, sg_err *e)
{
	*out = CASE_SEE_NONE;
	if (v->all) {
		*out = CASE_SEE_FULL;
		return 0;
	}
	if (v->user[0] == '\0')
		return 0;
	bool staff = roles_hold(v->procs, procedure_id);
	int64_t n = 0;
	if (db_query_int(a->db, e, &n,
			 "SELECT COUNT(*) FROM case_participants WHERE case_id = ? AND user_name = ?",
			 "is", case_id, v->user) != DB_ROW)
		return -1;
	bool part = n > 0;
	if (!part && !staff && v->opd_id) {
		/* the constituency: a case of the agen_siber's OPD's assets */
		if (db_query_int(a->db, e, &n,
				 "SELECT COUNT(*) FROM case_assets ca JOIN assets s ON s.id = ca.asset_id "
				 "WHERE ca.case_id = ? AND s.opd_id = ? AND COALESCE(?, '') NOT IN "
				 "('TLP:RED', 'TLP:AMBER+STRICT')",
				 "iis", case_id, v->opd_id, tlp) != DB_ROW)
			return -1;
		if (n > 0) {
			*out = CASE_SEE_LIMITED;
			return 0;
		}
	}
	const char *label = tlp ? tlp : "TLP:AMBER";
	if (strcmp(label, "TLP:RED") == 0)
		*out = !part ? CASE_SEE_NONE : v->csirt ? CASE_SEE_FULL : CASE_SEE_LIMITED;
	else if (strcmp(label, "TLP:AMBER+STRICT") == 0)
		*out = staff || (part && v->csirt) ? CASE_SEE_FULL : CASE_SEE_NONE;
	else if (staff || (part && v->csirt))
		*out = CASE_SEE_FULL;
	else if (part)
		*out = CASE_SEE_LIMITED; /* an outside actor: its part, at every label */
	return 0;
}

int case_sight_ticket(app *a, const char *user, const char *ticket, case_sight *out, sg_err *e)
{
	*out = CASE_SEE_NONE;
	case_viewer v;
	if (case_viewer_load(a, user, &v, e) != 0)
		return -1;
	db_stmt *st;
	int rc = db_prepare_bind(a->db, &st, e, "SELECT id, procedure_id, tlp FROM cases WHERE ticket = ?",
				 "s", ticket);
	if (rc == 0) {
		rc = db_step(st, e);
		if (rc == DB_ROW)
			rc = case_sight_of(a, &v, db_col_int(st, 0), db_col_text(st, 1),
					   db_col_null(st, 2) ? NULL : db_col_text(st, 2), out, e);
		else if (rc == DB_DONE)
			rc = 0;
		db_finalize(st);
	}
	case_viewer_free(&v);
	if (rc != 0)
		return -1;
	if (*out == CASE_SEE_NONE)
		return sg_err_set(e, SG_ENOTFOUND, "no case '%s'", ticket);
	return 0;
}

int case_need_sight(app *a, const char *user, const char *ticket, case_sight need, sg_err *e)
{
	if (user == NULL)
		return 0;
	case_sight s;
	if (case_sight_ticket(a, user, ticket, &s, e) != 0)
		return -1;
	if (s < need)
		return sg_err_set(e, SG_EPERM,
				  "case %s is open to you only in the parts addressed to you", ticket);
	return 0;
}

bool case_opd_reporter(const sop_procedure *proc, json_t *roles)
{
	return proc->n_steps > 0 && proc->steps[0].role &&
	       strcmp(proc->steps[0].role, "pelapor") == 0 && roles_hold(roles, "agen_siber") &&
	       !roles_hold(roles, "pelapor");
}

int case_may_open(app *a, const char *actor, const sop *s, const sop_procedure *proc, sg_err *e)
{
	if (actor == NULL || strchr(actor, ':') || strcmp(actor, "publik") == 0)
		return 0; /* the machine's owner, sigap itself, the public form */
	json_t *roles = user_roles(a, actor, e);
	if (roles == NULL)
		return -1;
	bool ok = staff_of(s, proc, roles) ||
		  (proc->n_steps > 0 && proc->steps[0].role &&
		   json_array_size(roles) > 0 && roles_hold(roles, proc->steps[0].role)) ||
		  case_opd_reporter(proc, roles);
	json_decref(roles);
	if (!ok)
		return sg_err_set(e, SG_EPERM,
				  "user '%s' may not open a case of %s: that takes a role of its staff, "
				  "or the role of its first step ('%s')",
				  actor, proc->id, proc->steps[0].role ? proc->steps[0].role : "");
	return 0;
}

int case_prepare_visible(app *a, const case_viewer *v, const char *head, const char *tail,
			   db_stmt **st, sg_err *e)
{
	bool restrict_ = v != NULL && !v->all;
	buf sql = BUF_INIT;
	buf_puts(&sql, head);
	buf_puts(&sql, restrict_ ? CASE_VISIBLE_SQL : "1 = 1");
	buf_puts(&sql, tail);
	int r = db_prepare(a->db, buf_str(&sql), st, e);
	buf_free(&sql);
	if (r == 0 && restrict_ && case_visible_bind(*st, 1, v) != 0) {
		db_finalize(*st);
		return sg_err_set(e, SG_EDB, "cannot bind the need-to-know condition");
	}
	return r;
}

int case_visible_first(const case_viewer *v)
{
	return v != NULL && !v->all ? 4 : 1;
}
