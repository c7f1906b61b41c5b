/*
 * case_links.c: single-case links through which an outside actor (the
 * reporter, the police, an applicant) completes its own step of a case
 * without an account.
 *
 * A staff member of the case issues a link for the case's current step
 * when that step's actor is an outside role, naming whom it is for. The
 * link holds a random token (LINK_TOKEN_LEN characters, about 158 bits)
 * shown once to the issuer; the store keeps only its SHA-256, so a copy
 * of the database opens no step. A link is bound to one visit of one step
 * (the case, the step, the instant the case came to it): it works once,
 * until [web] link_days pass, and is revoked when the step is done
 * another way, when the case is sent back, or by its issuer. What it
 * shows is the ticket, the step's description, Kelengkapan and form, and
 * what the issuer chose to hand over with it (the case's report, some of
 * its evidence files, served only through the link while it works):
 * never the other steps' values, comments or other evidence. Issue, use and revocation are in
 * the logbook. Issuing, listing and revoking need full sight of the case
 * (case_access.c); the link itself needs no account. Each function is
 * O(links of the case) at most.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/hash.h"
#include "case_row.h"

_Static_assert(sizeof ((case_link_info *)0)->recipient == PERSON_NAME_MAX + 1,
	       "case_link_info holds a whole recipient name");

static const char *link_state(int64_t now, int64_t expires, bool used, bool revoked)
{
	if (used)
		return "dipakai";
	if (revoked)
		return "dicabut";
	return now >= expires ? "kedaluwarsa" : "aktif";
}

/* Whether user may revoke links for the case's current step: a role the
 * SOP names to act on the step's outside role's behalf, or any staff role
 * of the case's SOP (an outside role does not count). Issuing takes the
 * first (case_link_issue). */
static int may_issue(const sop *s, const sop_step *st, const char *ticket, const char *user,
		     json_t *roles, sg_err *e)
{
	if (step_actor_check(s, st, ticket, user, roles, true, e) == 0 || roles_staff_of(s, roles))
		return 0;
	return sg_err_set(e, SG_EPERM,
			  "user '%s' holds no staff role of %s, and so may not revoke its links",
			  user, ticket);
}

/* Inside the issue's transaction: records what link id hands over; each
 * file must be evidence of the case. */
static int material_record(app *a, int64_t link_id, int64_t case_id, const char *ticket,
			   const link_material *m, sg_err *e)
{
	if (m == NULL)
		return 0;
	if (m->report &&
	    db_run(a->db, e, "UPDATE step_links SET share_report = 1 WHERE id = ?", "i", link_id) != 0)
		return -1;
	for (size_t i = 0; i < m->n_evidence; i++) {
		int64_t has = 0;
		if (db_query_int(a->db, e, &has,
				 "SELECT EXISTS (SELECT 1 FROM case_evidence WHERE case_id = ? AND "
				 "sha256 = ?)",
				 "is", case_id, m->evidence[i]) < 0)
			return -1;
		if (!has)
			return sg_err_set(e, SG_EINVAL, "%s has no evidence %s to hand over with a link",
					  ticket, m->evidence[i]);
		if (db_run(a->db, e,
			   "INSERT OR IGNORE INTO step_link_evidence (link_id, sha256) VALUES (?, ?)",
			   "is", link_id, m->evidence[i]) != 0)
			return -1;
	}
	return 0;
}

int case_link_issue(app *a, const char *ticket, const char *user, const char *recipient,
		    const link_material *m, const char *origin, char token[LINK_TOKEN_LEN + 1],
		    int64_t *id, int64_t *expires_at, sg_err *e)
{
	token[0] = '\0';
	if (check_person_name(recipient, e) != 0)
		return -1;
	if (m && m->n_evidence > LINK_MAX_EVIDENCE)
		return sg_err_set(e, SG_EINVAL, "a link hands over at most %d evidence files",
				  LINK_MAX_EVIDENCE);
	json_t *roles = NULL;
	if (db_begin(a->db, e) != 0)
		return -1;
	case_row row;
	const sop_entry *en;
	const sop_procedure *proc;
	const sop_step *st;
	if (case_need_sight(a, user, ticket, CASE_SEE_FULL, e) != 0 ||
	    step_standing(a, ticket, &row, &en, &proc, &st, e) != 0)
		goto fail;
	if (!sop_role_outside(en->sop, st->role)) {
		sg_err_set(e, SG_ESTATE,
			   "step %d of %s is done by %s, which is not an outside role: a link is "
			   "issued only for the step of an outside actor",
			   st->no, ticket, sop_role_name(en->sop, st->role));
		goto fail;
	}
	if ((roles = user_roles(a, user, e)) == NULL)
		goto fail;
	/* Issuing hands the step to someone outside: only a role the SOP names
	 * to act for that outside role may (atas_nama), as for completing it
	 * on its behalf; and never on a case the outside may not see. */
	if (step_actor_check(en->sop, st, ticket, user, roles, true, e) != 0)
		goto fail;
	char tlp[32] = "";
	{
		db_stmt *ts;
		if (db_prepare_bind(a->db, &ts, e, "SELECT tlp FROM cases WHERE id = ?", "i",
				    row.id) != 0)
			goto fail;
		if (db_step(ts, e) == DB_ROW && !db_col_null(ts, 0))
			snprintf(tlp, sizeof tlp, "%s", db_col_text(ts, 0));
		db_finalize(ts);
	}
	if (strcmp(tlp, "TLP:RED") == 0 || strcmp(tlp, "TLP:AMBER+STRICT") == 0) {
		sg_err_set(e, SG_ESTATE,
			   "case %s is %s: it is not shared outside the team, so no link is "
			   "issued for it (complete the step on the actor's behalf instead)",
			   ticket, tlp);
		goto fail;
	}
	char tok[LINK_TOKEN_LEN + 1], hash[65];
	random_token(tok, LINK_TOKEN_LEN);
	sha256_hex(tok, LINK_TOKEN_LEN, hash);
	int64_t now = app_now(a);
	*expires_at = now + (int64_t)a->cfg.link_days * 86400;
	if (db_query_int(a->db, e, id,
			 "INSERT INTO step_links (case_id, step_no, step_started_at, token_hash, "
			 "recipient, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
			 "RETURNING id",
			 "iiisssii", row.id, (int64_t)st->no, row.step_started_at, hash, recipient, user,
			 now, *expires_at) != DB_ROW)
		goto fail;
	if (material_record(a, *id, row.id, ticket, m, e) != 0)
		goto fail;
	json_t *files = json_array();
	for (size_t i = 0; m && i < m->n_evidence; i++)
		json_array_append_new(files, json_string(m->evidence[i]));
	if (logbook_record(a, user, "case.link.issue", "case", ticket,
			   json_pack("{s:s, s:I, s:i, s:s, s:s, s:I, s:s, s:b, s:o}", "ticket", ticket,
				     "link", (json_int_t)*id, "step", st->no, "role", st->role,
				     "recipient", recipient, "expires_at", (json_int_t)*expires_at,
				     "origin", origin ? origin : "", "report", m && m->report,
				     "evidence", files),
			   e) != 0)
		goto fail;
	if (db_commit(a->db, e) != 0)
		goto fail;
	json_decref(roles);
	memcpy(token, tok, sizeof tok);
	return 0;
fail:
	db_rollback(a->db);
	json_decref(roles);
	return -1;
}

json_t *case_links(app *a, const char *ticket, const char *viewer, sg_err *e)
{
	case_row row;
	if (case_need_sight(a, viewer, ticket, CASE_SEE_FULL, e) != 0 ||
	    load_case_row(a, ticket, &row, e) != 0)
		return NULL;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT id, step_no, recipient, created_by, created_at, expires_at, used_at, "
			    "revoked_at, revoked_by FROM step_links WHERE case_id = ? ORDER BY id DESC",
			    "i", row.id) != 0)
		return NULL;
	int64_t now = app_now(a);
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_t *o = json_pack("{s:I, s:i, s:s, s:s, s:I, s:I}", "id",
				      (json_int_t)db_col_int(st, 0), "step_no", (int)db_col_int(st, 1),
				      "recipient", db_col_text(st, 2), "created_by", db_col_text(st, 3),
				      "created_at", (json_int_t)db_col_int(st, 4), "expires_at",
				      (json_int_t)db_col_int(st, 5));
		bool used = !db_col_null(st, 6), revoked = !db_col_null(st, 7);
		if (used)
			json_object_set_new(o, "used_at", json_integer(db_col_int(st, 6)));
		if (revoked) {
			json_object_set_new(o, "revoked_at", json_integer(db_col_int(st, 7)));
			json_object_set_new(o, "revoked_by", json_string(db_col_text(st, 8)));
		}
		json_object_set_new(o, "state", json_string(link_state(now, db_col_int(st, 5), used,
									 revoked)));
		json_array_append_new(arr, o);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

int case_link_revoke(app *a, const char *ticket, const char *user, int64_t id, sg_err *e)
{
	json_t *roles = NULL;
	case_row row;
	if (case_begin_whole(a, user, ticket, &row, e) != 0)
		return -1;
	db_stmt *q;
	if (db_prepare_bind(a->db, &q, e,
			    "SELECT created_by, expires_at, used_at IS NOT NULL, revoked_at IS NOT NULL "
			    "FROM step_links WHERE id = ? AND case_id = ?",
			    "ii", id, row.id) != 0)
		goto fail;
	int rc = db_step(q, e);
	char issuer[128] = "";
	int64_t expires = 0;
	bool used = false, revoked = false;
	if (rc == DB_ROW) {
		snprintf(issuer, sizeof issuer, "%s", db_col_text(q, 0));
		expires = db_col_int(q, 1);
		used = db_col_int(q, 2);
		revoked = db_col_int(q, 3);
	}
	db_finalize(q);
	if (rc == DB_DONE)
		sg_err_set(e, SG_ENOTFOUND, "case %s has no link %lld", ticket, (long long)id);
	if (rc != DB_ROW)
		goto fail;
	if (strcmp(issuer, user) != 0) {
		const sop_entry *en;
		const sop_procedure *proc;
		const sop_step *st;
		if (step_standing(a, ticket, &row, &en, &proc, &st, e) != 0)
			goto fail;
		if ((roles = user_roles(a, user, e)) == NULL ||
		    may_issue(en->sop, st, ticket, user, roles, e) != 0)
			goto fail;
	}
	const char *state = link_state(app_now(a), expires, used, revoked);
	if (strcmp(state, "aktif") != 0) {
		sg_err_set(e, SG_ESTATE, "link %lld of %s is not active (%s)", (long long)id, ticket,
			   state);
		goto fail;
	}
	if (db_run(a->db, e, "UPDATE step_links SET revoked_at = ?, revoked_by = ? WHERE id = ?",
		   "isi", app_now(a), user, id) != 0)
		goto fail;
	if (logbook_record(a, user, "case.link.revoke", "case", ticket,
			   json_pack("{s:s, s:I, s:s}", "ticket", ticket, "link", (json_int_t)id,
				     "why", "issuer"),
			   e) != 0)
		goto fail;
	if (db_commit(a->db, e) != 0)
		goto fail;
	json_decref(roles);
	return 0;
fail:
	db_rollback(a->db);
	json_decref(roles);
	return -1;
}

int links_revoke_open(app *a, int64_t case_id, const char *ticket, const char *actor,
		      const char *why, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "UPDATE step_links SET revoked_at = ?, revoked_by = ? WHERE case_id = ? AND "
			    "used_at IS NULL AND revoked_at IS NULL RETURNING id",
			    "isi", app_now(a), actor, case_id) != 0)
		return -1;
	json_t *ids = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(ids, json_integer(db_col_int(st, 0)));
	db_finalize(st);
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id)
	{
		if (rc < 0)
			break;
		if (logbook_record(a, actor, "case.link.revoke", "case", ticket,
				   json_pack("{s:s, s:O, s:s}", "ticket", ticket, "link", id, "why", why),
				   e) != 0)
			rc = -1;
	}
	json_decref(ids);
	return rc < 0 ? -1 : 0;
}

/* The link of a token: its row's state and where it leads. */
typedef struct link_row {
	int64_t id, case_id, step_started_at, expires_at;
	int step_no;
	bool used, revoked, share_report;
	char recipient[PERSON_NAME_MAX + 1];
	char ticket[32];
} link_row;

static int link_find(app *a, const char *token_hash, link_row *l, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT l.id, l.case_id, l.step_no, l.step_started_at, l.expires_at, "
			    "l.used_at IS NOT NULL, l.revoked_at IS NOT NULL, l.recipient, c.ticket, "
			    "l.share_report FROM step_links l JOIN cases c ON c.id = l.case_id WHERE l.token_hash = ?",
			    "s", token_hash) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		l->id = db_col_int(st, 0);
		l->case_id = db_col_int(st, 1);
		l->step_no = (int)db_col_int(st, 2);
		l->step_started_at = db_col_int(st, 3);
		l->expires_at = db_col_int(st, 4);
		l->used = db_col_int(st, 5);
		l->revoked = db_col_int(st, 6);
		snprintf(l->recipient, sizeof l->recipient, "%s", db_col_text(st, 7));
		snprintf(l->ticket, sizeof l->ticket, "%s", db_col_text(st, 8));
		l->share_report = db_col_int(st, 9);
	}
	db_finalize(st);
	if (rc == DB_DONE)
		return sg_err_set(e, SG_ENOTFOUND, "there is no link with this address");
	return rc == DB_ROW ? 0 : -1;
}

/* Whether the link still leads to the step it was issued for. */
static int link_usable(const link_row *l, const case_row *row, int64_t now, sg_err *e)
{
	if (l->used)
		return sg_err_set(e, SG_ESTATE, "this link has been used already: it works once");
	if (l->revoked)
		return sg_err_set(e, SG_ESTATE, "this link has been revoked");
	if (now >= l->expires_at)
		return sg_err_set(e, SG_ESTATE, "this link has expired");
	if (!row->open || row->step_no != l->step_no || row->step_started_at != l->step_started_at)
		return sg_err_set(e, SG_ESTATE, "the step this link was issued for is no longer "
						"waiting: the link has been revoked");
	return 0;
}

static int token_hash_of(const char *token, char hash[65], sg_err *e)
{
	if (token == NULL || strlen(token) != LINK_TOKEN_LEN)
		return sg_err_set(e, SG_ENOTFOUND, "there is no link with this address");
	sha256_hex(token, LINK_TOKEN_LEN, hash);
	return 0;
}

int link_claim(app *a, const char *token_hash, const case_row *row, int64_t now,
	       int64_t *link_id, char recipient[PERSON_NAME_MAX + 1], sg_err *e)
{
	link_row l;
	if (link_find(a, token_hash, &l, e) != 0)
		return -1;
	if (l.case_id != row->id)
		return sg_err_set(e, SG_ENOTFOUND, "there is no link with this address for %s",
				  l.ticket);
	if (link_usable(&l, row, now, e) != 0)
		return -1;
	if (db_run(a->db, e, "UPDATE step_links SET used_at = ? WHERE id = ?", "ii", now, l.id) != 0)
		return -1;
	*link_id = l.id;
	memcpy(recipient, l.recipient, sizeof l.recipient);
	return logbook_record(a, LINK_ACTOR, "case.link.use", "case", l.ticket,
			      json_pack("{s:s, s:I, s:i, s:s}", "ticket", l.ticket, "link",
					(json_int_t)l.id, "step", l.step_no, "recipient", l.recipient),
			      e);
}

/* The link of a token and the case it leads to, checked usable. */
static int link_open(app *a, const char *token, char hash[65], link_row *l, case_row *row,
		     sg_err *e)
{
	if (token_hash_of(token, hash, e) != 0 || link_find(a, hash, l, e) != 0 ||
	    load_case_row(a, l->ticket, row, e) != 0)
		return -1;
	return link_usable(l, row, app_now(a), e);
}

int case_link_check(app *a, const char *token, sg_err *e)
{
	char hash[65];
	link_row l;
	case_row row;
	return link_open(a, token, hash, &l, &row, e);
}

/* The case's report as its actor reads it: the procedure's case fields,
 * labelled, that have a value (files are handed over as evidence). */
static json_t *link_report(app *a, const sop_procedure *proc, int64_t case_id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT title, fields FROM cases WHERE id = ?", "i",
			    case_id) != 0)
		return NULL;
	if (db_step(st, e) != DB_ROW) {
		db_finalize(st);
		return NULL;
	}
	json_t *values = json_loads(db_col_text(st, 1), 0, NULL);
	json_t *fields = json_array();
	json_t *out = json_pack("{s:s, s:o}", "title", db_col_text(st, 0), "fields", fields);
	db_finalize(st);
	for (size_t i = 0; i < proc->n_fields; i++) {
		const sop_field *f = &proc->fields[i];
		const char *v = json_string_value(json_object_get(values, f->name));
		if (f->type == FIELD_FILE || v == NULL || *v == '\0')
			continue;
		json_array_append_new(fields, json_pack("{s:s, s:s}", "label",
							f->label ? f->label : f->name, "value", v));
	}
	json_decref(values);
	return out;
}

/* The evidence files a link hands over. */
static json_t *link_evidence(app *a, int64_t link_id, int64_t case_id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT le.sha256, ev.size, (SELECT ce.filename FROM case_evidence ce "
			    "WHERE ce.case_id = ? AND ce.sha256 = le.sha256 ORDER BY ce.id LIMIT 1) "
			    "FROM step_link_evidence le JOIN evidence ev ON ev.sha256 = le.sha256 "
			    "WHERE le.link_id = ? ORDER BY le.sha256",
			    "ii", case_id, link_id) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(out, json_pack("{s:s, s:I, s:s}", "sha256", db_col_text(st, 0),
						     "size", (json_int_t)db_col_int(st, 1), "name",
						     db_col_null(st, 2) ? "" : db_col_text(st, 2)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int case_link_view(app *a, const char *token, case_link_info *out, sg_err *e)
{
	char hash[65];
	link_row l;
	case_row row;
	memset(out, 0, sizeof *out);
	if (link_open(a, token, hash, &l, &row, e) != 0)
		return -1;
	const sop_entry *en;
	const sop_procedure *proc = case_procedure(a, &row, &en, e);
	if (proc == NULL)
		return -1;
	int idx = sop_step_index(proc, row.step_no);
	if (idx < 0)
		return sg_err_set(e, SG_EINTEGRITY, "the SOP of %s has no step %d", l.ticket,
				  row.step_no);
	memcpy(out->ticket, l.ticket, sizeof out->ticket);
	snprintf(out->recipient, sizeof out->recipient, "%s", l.recipient);
	out->expires_at = l.expires_at;
	out->sop = en->sop;
	out->step = &proc->steps[idx];
	if ((l.share_report && (out->report = link_report(a, proc, row.id, e)) == NULL) ||
	    (out->evidence = link_evidence(a, l.id, row.id, e)) == NULL) {
		case_link_info_free(out);
		return -1;
	}
	return 0;
}

void case_link_info_free(case_link_info *v)
{
	json_decref(v->report);
	json_decref(v->evidence);
	v->report = v->evidence = NULL;
}

int case_link_file(app *a, const char *token, const char *sha256, int64_t *size,
		   char filename[256], sg_err *e)
{
	char hash[65];
	link_row l;
	case_row row;
	if (link_open(a, token, hash, &l, &row, e) != 0)
		return -1;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT ev.size, ce.filename FROM step_link_evidence le "
			    "JOIN case_evidence ce ON ce.case_id = ? AND ce.sha256 = le.sha256 "
			    "JOIN evidence ev ON ev.sha256 = le.sha256 "
			    "WHERE le.link_id = ? AND le.sha256 = ? ORDER BY ce.id LIMIT 1",
			    "iis", row.id, l.id, sha256) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		*size = db_col_int(st, 0);
		snprintf(filename, 256, "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	if (rc == DB_DONE)
		return sg_err_set(e, SG_ENOTFOUND, "this link hands over no such file");
	return rc == DB_ROW ? 0 : -1;
}

int case_link_complete(app *a, const char *token, const case_step_req *req,
		       case_step_result *out, char ticket[32], sg_err *e)
{
	char hash[65];
	link_row l;
	ticket[0] = '\0';
	if (token_hash_of(token, hash, e) != 0 || link_find(a, hash, &l, e) != 0)
		return -1;
	case_step_req r = *req;
	r.ticket = l.ticket;
	r.user = LINK_ACTOR;
	r.on_behalf = r.channel = NULL;
	if (case_step_link(a, hash, &r, out, e) != 0)
		return -1;
	memcpy(ticket, l.ticket, 32);
	return 0;
}
