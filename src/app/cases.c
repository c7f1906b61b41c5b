/*
 * cases.c: cases, the runs of SOP procedures.
 *
 * A case is opened on a procedure (case_new), stands on one step at a
 * time, and is advanced by a user holding that step's role (case_step),
 * with the step's form values and, at a decision, one of its labels, until
 * the flow ends. sop/engine.c decides what is allowed and where it leads;
 * this file stores it: one transaction per change, with its step run
 * (who, started, finished, decision, values, SLA) and its logbook entries.
 * Tickets are numbered per procedure prefix and year: INS-2026-0001.
 *
 * A step whose actor is an outside role (the reporter, the police) may
 * also be completed on that actor's behalf by a holder of a staff role
 * the SOP names for it (atas_nama), recording the channel and the real
 * actor's name; or by the outside actor itself through a single-use link
 * (case_links.c). Sending back and reopening are in case_flows.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "base/buf.h"
#include "base/hash.h"
#include "base/utf8.h"
#include "case_row.h"
#include "outbox_int.h"
#include "classify.h"
#include "findings.h"

enum { TITLE_MAX = 300, MAX_FILES = 16 };

typedef struct pending_file {
	char sha[65];
	int64_t size;
	const char *filename;
	const char *field;
	const evidence_file *file; /* received in the spool; NULL: evidence already stored */
	bool placed;
	char stored_name[256]; /* the file name of a reference */
} pending_file;

static const sop_field *find_field(const sop_field *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return &f[i];
	return NULL;
}

static const case_upload *find_upload(const case_upload *u, size_t n, const char *field)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(u[i].field, field) == 0)
			return &u[i];
	return NULL;
}

/* A file field's value names evidence the actor may already read: its
 * SHA-256 (hex, either case, optionally after "sha256:"). */
static int file_reference(app *a, const char *actor, const sop_field *f, const char *value,
			  pending_file *pf, sg_err *e)
{
	char sha[65];
	const char *v = strncmp(value, "sha256:", 7) == 0 ? value + 7 : value;
	size_t n = strlen(v);
	if (n == 64 && strspn(v, "0123456789abcdefABCDEF") == 64) {
		for (size_t i = 0; i < 64; i++)
			sha[i] = (char)tolower((unsigned char)v[i]);
		sha[64] = '\0';
		if (evidence_visible(a, actor, sha, &pf->size, pf->stored_name, e) == 0) {
			memcpy(pf->sha, sha, sizeof sha);
			pf->filename = pf->stored_name;
			return 0;
		}
		if (e->code != SG_ENOTFOUND)
			return -1;
	}
	return sg_err_set(e, SG_EINVAL,
			  "field '%s' takes a file: send it as an upload, or give the SHA-256 of "
			  "evidence already attached to a case you may see (on the command line: "
			  "--file %s=PATH)",
			  f->name, f->name);
}

/* Checks the values and turns them into the JSON object to store. A file
 * field's value is an upload of that field's name (received into the
 * spool) or a reference to evidence the actor may already read; nothing a
 * caller sends is opened as a path. The files are returned for attachment. */
static json_t *collect_values(app *a, const char *actor, const sop_field *fields, size_t nf,
			      const sop_value *v, size_t nv, const case_upload *up, size_t n_up,
			      pending_file *files, size_t *n_files, sg_err *e)
{
	if (sop_values_check(fields, nf, v, nv, e) != 0)
		return NULL;
	/* a ref to an asset names one of the register the actor may see */
	for (size_t i = 0; i < nv; i++) {
		const sop_field *f = find_field(fields, nf, v[i].name);
		if (f && f->type == FIELD_REF && f->entity && strcmp(f->entity, "asset") == 0 &&
		    *v[i].value && asset_ref_check(a, actor, f->name, v[i].value, e) != 0)
			return NULL;
		/* and a ref to a policy one of the library in force */
		if (f && f->type == FIELD_REF && f->entity && strcmp(f->entity, "policy") == 0 &&
		    *v[i].value && policy_ref_check(a, f->name, v[i].value, e) != 0)
			return NULL;
	}
	for (size_t i = 0; i < n_up; i++) {
		const sop_field *f = find_field(fields, nf, up[i].field);
		if (f && f->type != FIELD_FILE) {
			sg_err_set(e, SG_EINVAL, "field '%s' takes text, not a file", up[i].field);
			return NULL;
		}
	}
	json_t *out = json_object();
	*n_files = 0;
	for (size_t i = 0; i < nv; i++) {
		const sop_field *f = find_field(fields, nf, v[i].name);
		if (*v[i].value == '\0')
			continue;
		if (f->type != FIELD_FILE) {
			json_object_set_new(out, v[i].name, json_string(v[i].value));
			continue;
		}
		if (*n_files == MAX_FILES) {
			json_decref(out);
			sg_err_set(e, SG_EINVAL, "at most %d files at once", MAX_FILES);
			return NULL;
		}
		pending_file *pf = &files[(*n_files)++];
		memset(pf, 0, sizeof *pf);
		const case_upload *u = find_upload(up, n_up, f->name);
		if (u) {
			memcpy(pf->sha, u->file->sha256, sizeof pf->sha);
			pf->size = u->file->size;
			pf->filename = u->filename;
			pf->file = u->file;
		} else if (file_reference(a, actor, f, v[i].value, pf, e) != 0) {
			json_decref(out);
			return NULL;
		}
		pf->field = f->name;
		if (f->required && pf->size == 0) {
			/* a required document is a document: an empty file is not */
			json_decref(out);
			sg_err_set(e, SG_EINVAL, "field '%s' needs a document, and the file given is empty",
				   f->name);
			return NULL;
		}
		json_object_set_new(out, v[i].name, json_pack("{s:s, s:s, s:I}", "sha256", pf->sha,
							      "filename", pf->filename, "size",
							      (json_int_t)pf->size));
	}
	return out;
}

/* Inside the change's transaction: received files into the store, then
 * their custody records. */
static int attach_files(app *a, int64_t case_id, pending_file *files, size_t n,
			const char *actor, const char *origin, sg_err *e)
{
	for (size_t i = 0; i < n; i++) {
		if (files[i].file) {
			if (evidence_place(a, files[i].file, e) != 0)
				return -1;
			files[i].placed = true;
		}
		if (evidence_attach(a, case_id, files[i].sha, files[i].size, files[i].filename,
				    files[i].field, actor, origin, e) != 0)
			return -1;
	}
	return 0;
}

/* After a rollback: what attach_files put in the store goes again. */
static void unplace_files(app *a, const pending_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (files[i].placed)
			evidence_unplace(a, files[i].file);
}

/* The rank of a TLP 2.0 label in sharing (a case without one is held as
 * TLP:AMBER, case_access.c). */
static int tlp_rank(const char *tlp)
{
	static const char *const order[] = {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER",
					    "TLP:AMBER+STRICT", "TLP:RED"};
	for (int i = 0; i < 5; i++)
		if (tlp && strcmp(tlp, order[i]) == 0)
			return i;
	return 2;
}

/* Sets the case attributes the values carry (classify.c). A change of TLP
 * is written to the logbook, a lowering (wider sharing) said so: raising
 * needs nothing more, as every read asks the stored label. */
static int apply_attrs(app *a, int64_t case_id, const char *ticket, const char *actor,
		       const case_attrs *at, sg_err *e)
{
	if (!at->category && !at->type && !at->priority && !at->tlp)
		return 0;
	if (at->tlp) {
		char old[32] = "";
		db_stmt *st;
		if (db_prepare_bind(a->db, &st, e, "SELECT tlp FROM cases WHERE id = ?", "i",
				    case_id) != 0)
			return -1;
		if (db_step(st, e) == DB_ROW && !db_col_null(st, 0))
			snprintf(old, sizeof old, "%s", db_col_text(st, 0));
		db_finalize(st);
		if (strcmp(old, at->tlp) != 0) {
			/* a title written into a message before the label is
			 * withheld before the message goes */
			if (strcmp(at->tlp, "TLP:RED") == 0 && outbox_withhold_title(a, ticket, e) != 0)
				return -1;
			bool lowered = tlp_rank(at->tlp) < tlp_rank(old[0] ? old : NULL);
			if (logbook_record(a, actor, lowered ? "case.tlp_lowered" : "case.tlp", "case",
					   ticket,
					   json_pack("{s:s, s:s?, s:s}", "ticket", ticket, "from",
						     old[0] ? old : NULL, "to", at->tlp),
					   e) != 0)
				return -1;
		}
	}
	return db_run(a->db, e,
		      "UPDATE cases SET category = COALESCE(?, category), "
		      "incident_type = COALESCE(?, incident_type), priority = COALESCE(?, priority), "
		      "tlp = COALESCE(?, tlp) WHERE id = ?",
		      "ssssi", at->category, at->type, at->priority, at->tlp, case_id);
}

int case_set_tlp(app *a, const char *ticket, const char *user, const char *tlp, sg_err *e)
{
	bool known = false;
	for (size_t i = 0; tlp && tlp_labels[i]; i++)
		known |= strcmp(tlp, tlp_labels[i]) == 0;
	if (!known)
		return sg_err_set(e, SG_EINVAL,
				  "'%s' is not a TLP 2.0 label (TLP:CLEAR, TLP:GREEN, TLP:AMBER, "
				  "TLP:AMBER+STRICT, TLP:RED)",
				  tlp ? tlp : "");
	case_row row;
	if (case_begin_whole(a, user, ticket, &row, e) != 0)
		return -1;
	case_attrs at = {.tlp = tlp};
	if (apply_attrs(a, row.id, ticket, user, &at, e) != 0 || db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

static int check_title(const char *t, sg_err *e)
{
	size_t n = strlen(t);
	if (n == 0)
		return sg_err_set(e, SG_EINVAL, "the title is empty");
	if (n > TITLE_MAX)
		return sg_err_set(e, SG_EINVAL, "the title is too long (%zu bytes; at most %d)", n, TITLE_MAX);
	if (!utf8_valid(t, n))
		return sg_err_set(e, SG_EINVAL, "the title is not valid UTF-8 text");
	for (const char *p = t; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return sg_err_set(e, SG_EINVAL, "the title contains control characters");
	return 0;
}

/* An outside actor's step is done: an assignment to an outside actor (a
 * holder of no staff role of the SOP: the police assigned step 7) was for
 * that step, and ends, so the team's next step is never in its worklist.
 * The name cleared goes into who (for the logbook), "" when none. */
static int end_outside_assignment(app *a, const sop *s, int64_t case_id, char *who, size_t n,
				  sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT assignee FROM cases WHERE id = ?", "i",
			    case_id) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW && !db_col_null(st, 0))
		snprintf(who, n, "%s", db_col_text(st, 0));
	db_finalize(st);
	if (rc < 0)
		return -1;
	if (*who == '\0')
		return 0;
	sg_err ignore;
	json_t *roles = user_roles(a, who, &ignore);
	bool staff = roles_staff_of(s, roles);
	json_decref(roles);
	if (staff) {
		*who = '\0';
		return 0;
	}
	return db_run(a->db, e, "UPDATE cases SET assignee = NULL WHERE id = ?", "i", case_id);
}

/* Records the SOP text a case starts on, once per distinct text. */
static int register_version(app *a, const sop_entry *en, const char *actor, sg_err *e)
{
	if (db_run(a->db, e,
		   "INSERT INTO sop_versions (sha256, sop_id, source, body, first_seen) "
		   "VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
		   "ssssi", en->sha256, en->sop->id, en->source, en->text, app_now(a)) != 0)
		return -1;
	if (db_changes(a->db) == 0)
		return 0;
	json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "sop", en->sop->id, "nomor",
			      en->sop->nomor, "sha256", en->sha256, "source", en->source);
	char object[128];
	snprintf(object, sizeof object, "sop:%s", en->sop->id);
	int r = logbook_append(a, actor, "sop.register", object, d, e);
	json_decref(d);
	return r;
}

static int advance(app *a, const case_step_req *req, step_by by, const char *link_hash,
		   case_step_result *out, sg_err *e);

int case_insert(app *a, const sop_entry *en, const sop_procedure *proc, const char *title,
		json_t *fields, const char *actor, const char *tracking_hash, char ticket[32],
		int64_t *case_id, sg_err *e)
{
	case_attrs attrs;
	if (classify_values(fields, &attrs, e) != 0)
		return -1;
	int64_t now = app_now(a);
	civil c;
	civil_from_epoch(now, a->cfg.cal.zone, &c);
	if (register_version(a, en, actor, e) != 0)
		return -1;
	int64_t number = 0;
	if (db_query_int(a->db, e, &number,
			 "INSERT INTO ticket_counters (prefix, year, last) VALUES (?, ?, 1) "
			 "ON CONFLICT (prefix, year) DO UPDATE SET last = ticket_counters.last + 1 "
			 "RETURNING last",
			 "si", proc->ticket_prefix, (int64_t)c.year) != DB_ROW)
		return -1;
	snprintf(ticket, 32, "%s-%04d-%04lld", proc->ticket_prefix, c.year, (long long)number);
	char *fields_text = json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = db_query_int(a->db, e, case_id,
			      "INSERT INTO cases (ticket, sop_id, procedure_id, sop_sha256, title, fields, "
			      "status, step_no, step_started_at, created_at, created_by, tracking_hash) "
			      "VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?) RETURNING id",
			      "ssssssiiiss", ticket, en->sop->id, proc->id, en->sha256, title,
			      fields_text, (int64_t)proc->steps[0].no, now, now, actor, tracking_hash);
	free(fields_text);
	if (rc != DB_ROW)
		return -1;
	return apply_attrs(a, *case_id, ticket, actor, &attrs, e);
}

static int case_create(app *a, const case_new_req *req, char ticket[32], const char *tracking,
		       sg_err *e)
{
	const sop_procedure *proc;
	const sop_entry *en = sops_find_procedure(&a->sops, req->procedure_id, &proc);
	if (en == NULL)
		return sg_err_set(e, SG_ENOTFOUND, "no SOP procedure '%s' (see 'sigap sop list')",
				  req->procedure_id);
	if (case_may_open(a, req->actor, en->sop, proc, e) != 0)
		return -1;
	const char *title = req->title ? req->title : proc->nama;
	if (check_title(title, e) != 0)
		return -1;
	pending_file files[MAX_FILES];
	size_t n_files;
	json_t *fields = collect_values(a, req->actor, proc->fields, proc->n_fields, req->fields,
					req->n_fields, req->uploads, req->n_uploads, files, &n_files, e);
	if (fields == NULL)
		return -1;
	char tracking_hash[65] = "";
	if (tracking)
		sha256_hex(tracking, strlen(tracking), tracking_hash);
	const sop_step *first = &proc->steps[0];

	if (db_begin(a->db, e) != 0)
		goto fail_nodb;
	int64_t case_id = 0;
	if (case_insert(a, en, proc, title, fields, req->actor, tracking ? tracking_hash : NULL,
			ticket, &case_id, e) != 0)
		goto fail;
	if (attach_files(a, case_id, files, n_files, req->actor, req->origin, e) != 0 ||
	    case_assets_from_values(a, case_id, ticket, proc->fields, proc->n_fields, fields,
				    req->actor, e) != 0)
		goto fail;
	json_t *d = json_pack("{s:s, s:s, s:s, s:O, s:i, s:s}", "ticket", ticket, "procedure",
			      proc->id, "title", title, "fields", fields, "step", first->no,
			      "origin", req->origin ? req->origin : "");
	char object[64];
	snprintf(object, sizeof object, "case:%s", ticket);
	int r = logbook_append(a, req->actor, "case.create", object, d, e);
	json_decref(d);
	/* its first step waits for its role */
	if (r != 0 || outbox_case(a, ticket, req->actor, e) != 0 ||
	    (tracking && outbox_reporter(a, ticket, fields, tracking, e) != 0) ||
	    db_commit(a->db, e) != 0)
		goto fail;
	json_decref(fields);
	return 0;
fail:
	db_rollback(a->db);
	unplace_files(a, files, n_files);
fail_nodb:
	json_decref(fields);
	ticket[0] = '\0';
	return -1;
}

int case_new(app *a, const case_new_req *req, char ticket[32], sg_err *e)
{
	if (case_create(a, req, ticket, NULL, e) != 0)
		return -1;
	/* An agen_siber reports for its OPD as the reporter (pelapor): its
	 * report is made when filed, as the public form's is. */
	const sop_procedure *proc;
	sops_find_procedure(&a->sops, req->procedure_id, &proc);
	sg_err ignore;
	json_t *roles = req->actor && !strchr(req->actor, ':') ? user_roles(a, req->actor, &ignore)
							      : NULL;
	bool reporter = roles && case_opd_reporter(proc, roles);
	json_decref(roles);
	if (!reporter)
		return 0;
	case_step_req sr = {.ticket = ticket, .user = req->actor, .origin = req->origin};
	case_step_result out;
	return advance(a, &sr, BY_PUBLIC_REPORTER, NULL, &out, e);
}

int case_report_public(app *a, const case_new_req *req, char ticket[32], char tracking[21],
		       sg_err *e)
{
	random_token(tracking, 16);
	if (case_create(a, req, ticket, tracking, e) != 0) {
		tracking[0] = '\0';
		return -1;
	}
	/* The form is the reporter's first step ("the report is made") when
	 * the procedure gives that step to the reporter. */
	const sop_procedure *proc;
	sops_find_procedure(&a->sops, req->procedure_id, &proc);
	if (strcmp(proc->steps[0].role, "pelapor") != 0)
		return 0;
	case_step_req sr = {.ticket = ticket, .user = req->actor, .origin = req->origin};
	case_step_result out;
	return advance(a, &sr, BY_PUBLIC_REPORTER, NULL, &out, e);
}

void case_row_read(db_stmt *st, case_row *row)
{
	row->id = db_col_int(st, 0);
	snprintf(row->procedure_id, sizeof row->procedure_id, "%s", db_col_text(st, 1));
	snprintf(row->sha, sizeof row->sha, "%s", db_col_text(st, 2));
	row->open = strcmp(db_col_text(st, 3), "open") == 0;
	row->step_no = (int)db_col_int(st, 4);
	row->step_started_at = db_col_int(st, 5);
}

int load_case_row(app *a, const char *ticket, case_row *row, sg_err *e)
{
	/* read to be changed: inside a transaction the case is held until it
	 * ends, so two nodes never advance it from the same step (db.h) */
	if (db_in_tx(a->db)) {
		char name[96];
		snprintf(name, sizeof name, "case:%s", ticket);
		if (db_serialize(a->db, name, e) != 0)
			return -1;
	}
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, "SELECT " CASE_ROW_COLUMNS " FROM cases WHERE ticket = ?",
			    "s", ticket) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		case_row_read(st, row);
	db_finalize(st);
	if (rc == DB_DONE)
		return sg_err_set(e, SG_ENOTFOUND, "no case '%s'", ticket);
	return rc == DB_ROW ? 0 : -1;
}

int case_begin_whole(app *a, const char *user, const char *ticket, case_row *row, sg_err *e)
{
	if (db_begin(a->db, e) != 0)
		return -1;
	if (case_need_sight(a, user, ticket, CASE_SEE_FULL, e) != 0 ||
	    load_case_row(a, ticket, row, e) != 0) {
		db_rollback(a->db);
		return -1;
	}
	return 0;
}

/* The procedure and step a case row stands on. */
const sop_procedure *case_procedure(app *a, const case_row *row, const sop_entry **en,
					   sg_err *e)
{
	*en = sops_version(a, row->sha, e);
	if (*en == NULL)
		return NULL;
	const sop_procedure *p = sop_find_procedure((*en)->sop, row->procedure_id);
	if (p == NULL)
		sg_err_set(e, SG_EINTEGRITY, "the SOP of this case has no procedure '%s'",
			   row->procedure_id);
	return p;
}

bool roles_hold(json_t *roles, const char *role)
{
	size_t i;
	json_t *r;
	json_array_foreach(roles, i, r) if (strcmp(json_string_value(r), role) == 0) return true;
	return false;
}

bool roles_staff_of(const sop *s, json_t *roles)
{
	size_t i;
	json_t *r;
	json_array_foreach (roles, i, r) {
		const char *role = json_string_value(r);
		if (role && sop_find_role(s, role) && !sop_role_outside(s, role))
			return true;
	}
	return false;
}

const char *const case_channels[] = {"telepon", "surat", "surel", "datang langsung", NULL};

bool case_channel_valid(const char *channel)
{
	for (const char *const *c = case_channels; channel && *c; c++)
		if (strcmp(*c, channel) == 0)
			return true;
	return false;
}

int check_person_name(const char *name, sg_err *e)
{
	size_t n = name ? strlen(name) : 0;
	size_t blank = 0;
	while (blank < n && (name[blank] == ' ' || name[blank] == '\t'))
		blank++;
	if (n == 0 || blank == n) /* "   " names nobody */
		return sg_err_set(e, SG_EINVAL, "give the name of the person");
	if (n > PERSON_NAME_MAX)
		return sg_err_set(e, SG_EINVAL, "the name is too long (%zu bytes; at most %d)", n,
				  PERSON_NAME_MAX);
	if (!utf8_valid(name, n))
		return sg_err_set(e, SG_EINVAL, "the name is not valid UTF-8 text");
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return sg_err_set(e, SG_EINVAL, "the name contains control characters");
	return 0;
}

/* A staff role of the user that the SOP lets complete role_id's steps on
 * its behalf, or NULL. O(roles held x atas_nama). */
static const char *on_behalf_role(const sop *s, json_t *roles, const char *role_id)
{
	size_t i;
	json_t *r;
	json_array_foreach(roles, i, r) if (sop_role_on_behalf(s, role_id, json_string_value(r)))
		return json_string_value(r);
	return NULL;
}

int step_actor_check(const sop *s, const sop_step *st, const char *ticket, const char *user,
		     json_t *roles, bool on_behalf, sg_err *e)
{
	if (!on_behalf && roles_hold(roles, st->role))
		return 0;
	if (on_behalf && on_behalf_role(s, roles, st->role))
		return 0;
	if (on_behalf && !sop_role_outside(s, st->role))
		return sg_err_set(e, SG_EINVAL,
				  "step %d of %s is done by %s, which is not an outside role: it "
				  "cannot be completed on anyone's behalf",
				  st->no, ticket, sop_role_name(s, st->role));
	if (!on_behalf && on_behalf_role(s, roles, st->role))
		return sg_err_set(e, SG_EPERM,
				  "user '%s' does not hold the role '%s' (%s) that step %d of %s "
				  "needs, but may complete it on its behalf: give the name of the "
				  "%s and the channel (%s)",
				  user, st->role, sop_role_name(s, st->role), st->no, ticket,
				  sop_role_name(s, st->role), "telepon, surat, surel, datang langsung");
	if (on_behalf)
		return sg_err_set(e, SG_EPERM,
				  "user '%s' holds no role that may complete step %d of %s on behalf "
				  "of the %s",
				  user, st->no, ticket, sop_role_name(s, st->role));
	return sg_err_set(e, SG_EPERM,
			  "user '%s' does not hold the role '%s' (%s) that step %d of %s needs", user,
			  st->role, sop_role_name(s, st->role), st->no, ticket);
}

int step_standing(app *a, const char *ticket, case_row *row, const sop_entry **en,
		  const sop_procedure **proc, const sop_step **st, sg_err *e)
{
	if (load_case_row(a, ticket, row, e) != 0)
		return -1;
	if (!row->open)
		return sg_err_set(e, SG_ESTATE, "case %s is closed; a closed case cannot be advanced",
				  ticket);
	*proc = case_procedure(a, row, en, e);
	if (*proc == NULL)
		return -1;
	int idx = sop_step_index(*proc, row->step_no);
	if (idx < 0)
		return sg_err_set(e, SG_EINTEGRITY,
				  "case %s stands on step %d, which its SOP does not have", ticket,
				  row->step_no);
	*st = &(*proc)->steps[idx];
	return 0;
}

/* Advances a case by one step. by says who acts: a user (who holds the
 * step's role, or completes it on an outside actor's behalf), the public
 * reporter's own first step (case_report_public), or the recipient of a
 * link (link_hash: the SHA-256 of its token, claimed in this transaction). */
static int advance(app *a, const case_step_req *req, step_by by, const char *link_hash,
		   case_step_result *out, sg_err *e)
{
	memset(out, 0, sizeof *out);
	json_t *roles = NULL, *values = NULL, *d = NULL;
	pending_file files[MAX_FILES];
	size_t n_files = 0;
	char *values_text = NULL;
	bool on_behalf = by == BY_USER && req->on_behalf != NULL;
	if (on_behalf && check_person_name(req->on_behalf, e) != 0)
		return -1;
	if (on_behalf && !case_channel_valid(req->channel))
		return sg_err_set(e, SG_EINVAL,
				  "the channel '%s' is not one of telepon, surat, surel, datang langsung",
				  req->channel ? req->channel : "");
	if (!on_behalf && by == BY_USER && req->channel)
		return sg_err_set(e, SG_EINVAL,
				  "a channel is given only with the name of the actor on whose behalf "
				  "the step is done");

	if (db_begin(a->db, e) != 0)
		return -1;
	case_row row;
	if (by == BY_USER &&
	    case_need_sight(a, req->user, req->ticket, CASE_SEE_LIMITED, e) != 0)
		goto fail;
	const sop_entry *en;
	const sop_procedure *proc;
	const sop_step *st;
	if (step_standing(a, req->ticket, &row, &en, &proc, &st, e) != 0)
		goto fail;
	if (req->expect_step > 0 &&
	    (st->no != req->expect_step ||
	     (req->expect_visit > 0 && row.step_started_at != req->expect_visit))) {
		sg_err_set(e, SG_ESTATE,
			   "case %s has moved on since the form was loaded (it stands at step %d "
			   "now): nothing was saved; look at the case again",
			   req->ticket, st->no);
		goto fail;
	}
	int64_t now = app_now(a);
	const char *actor = req->user, *behalf = on_behalf ? req->on_behalf : NULL;
	const char *channel = on_behalf ? req->channel : NULL;
	char recipient[PERSON_NAME_MAX + 1];
	int64_t link_id = 0;
	if (by == BY_USER) {
		if ((roles = user_roles(a, req->user, e)) == NULL)
			goto fail;
		if (step_actor_check(en->sop, st, req->ticket, req->user, roles, on_behalf, e) != 0)
			goto fail;
	} else if (by == BY_LINK) {
		if (link_claim(a, link_hash, &row, now, &link_id, recipient, e) != 0)
			goto fail;
		actor = LINK_ACTOR;
		behalf = recipient;
		channel = "tautan";
	}
	int next;
	if (sop_step_next(st, req->decision, &next, e) != 0 ||
	    sop_branch_check(st, req->decision, req->values, req->n_values, e) != 0)
		goto fail;
	values = collect_values(a, actor, st->fields, st->n_fields, req->values,
				req->n_values, req->uploads, req->n_uploads, files, &n_files, e);
	if (values == NULL)
		goto fail;
	case_attrs attrs;
	if (classify_values(values, &attrs, e) != 0 || apply_attrs(a, row.id, req->ticket, req->user, &attrs, e) != 0)
		goto fail;
	sla_measure(&a->cfg.cal, &st->waktu, row.step_started_at, now, &out->sla);
	out->closed = sop_closes(proc, next);
	out->next_no = out->closed ? 0 : proc->steps[next].no;
	/* The label as the SOP spells it (sop_step_next matched it already). */
	const char *decision = NULL;
	for (size_t b = 0; b < st->n_branches; b++)
		if (strcasecmp(st->branches[b].label, req->decision) == 0)
			decision = st->branches[b].label;

	int64_t seq = 0;
	if (db_query_int(a->db, e, &seq,
			 "SELECT COALESCE(MAX(seq), 0) + 1 FROM step_runs WHERE case_id = ?", "i",
			 row.id) != DB_ROW)
		goto fail;
	values_text = json_dumps(values, JSON_COMPACT | JSON_SORT_KEYS);
	if (db_run(a->db, e,
		   "INSERT INTO step_runs (case_id, seq, step_no, role, actor, started_at, finished_at, "
		   "decision, next_step_no, form_values, waktu, due_at, spent_seconds, sla_met, "
		   "on_behalf_of, channel) "
		   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		   "iiissiisissiiiss", row.id, seq, (int64_t)st->no, st->role, actor,
		   row.step_started_at, now, decision, (int64_t)out->next_no, values_text,
		   st->waktu.text ? st->waktu.text : "",
		   st->waktu.unit == WAKTU_NONE ? (int64_t)0 : out->sla.due, out->sla.spent,
		   (int64_t)out->sla.met, behalf, channel) != 0)
		goto fail;
	if (out->closed
		    ? db_run(a->db, e,
			     "UPDATE cases SET status = 'closed', step_no = NULL, step_started_at = NULL, "
			     "closed_at = ? WHERE id = ?",
			     "ii", now, row.id)
		    : db_run(a->db, e, "UPDATE cases SET step_no = ?, step_started_at = ? WHERE id = ?",
			     "iii", (int64_t)out->next_no, now, row.id))
		goto fail;
	char unassigned[128] = "";
	if (sop_role_outside(en->sop, st->role) &&
	    end_outside_assignment(a, en->sop, row.id, unassigned, sizeof unassigned, e) != 0)
		goto fail;
	if (attach_files(a, row.id, files, n_files, actor, req->origin, e) != 0 ||
	    case_assets_from_values(a, row.id, req->ticket, st->fields, st->n_fields, values, actor,
				    e) != 0)
		goto fail;
	char object[64];
	snprintf(object, sizeof object, "case:%s", req->ticket);
	d = json_pack("{s:s, s:i, s:s, s:s?, s:O, s:i, s:b, s:I, s:s}", "ticket", req->ticket, "step",
		      st->no, "role", st->role, "decision", decision, "values", values, "next",
		      out->next_no, "sla_met", out->sla.met, "due", (json_int_t)out->sla.due, "origin",
		      req->origin ? req->origin : "");
	if (behalf) {
		json_object_set_new(d, "on_behalf_of", json_string(behalf));
		json_object_set_new(d, "channel", json_string(channel));
	}
	if (link_id)
		json_object_set_new(d, "link", json_integer(link_id));
	if (*unassigned)
		json_object_set_new(d, "unassigned", json_string(unassigned));
	if (logbook_append(a, actor, "case.step", object, d, e) != 0)
		goto fail;
	if (out->closed) {
		json_decref(d);
		d = json_pack("{s:s, s:i}", "ticket", req->ticket, "last_step", st->no);
		if (logbook_append(a, actor, "case.close", object, d, e) != 0)
			goto fail;
	}
	branch_taken taken = {&row, req->ticket, proc, st, decision, values, actor, req->origin};
	if (exception_on_step(a, &taken, e) != 0 || policy_on_step(a, &taken, e) != 0 ||
	    (decision && case_branch_taken(a, &taken, e) != 0))
		goto fail;
	/* The step is done: links still open for it no longer lead anywhere. */
	if (links_revoke_open(a, row.id, req->ticket, actor, "step_done", e) != 0)
		goto fail;
	/* what the case waits for now, or that it closed */
	if (outbox_case(a, req->ticket, actor, e) != 0)
		goto fail;
	if (db_commit(a->db, e) != 0)
		goto fail;
	json_decref(roles);
	json_decref(values);
	json_decref(d);
	free(values_text);
	return 0;
fail:
	db_rollback(a->db);
	unplace_files(a, files, n_files);
	json_decref(roles);
	json_decref(values);
	json_decref(d);
	free(values_text);
	return -1;
}

int case_step(app *a, const case_step_req *req, case_step_result *out, sg_err *e)
{
	return advance(a, req, BY_USER, NULL, out, e);
}

int case_step_link(app *a, const char *token_hash, const case_step_req *req,
		   case_step_result *out, sg_err *e)
{
	return advance(a, req, BY_LINK, token_hash, out, e);
}

int case_may_act(app *a, const char *ticket, const char *user, sg_err *e)
{
	case_row row;
	if (case_need_sight(a, user, ticket, CASE_SEE_LIMITED, e) != 0)
		return -1;
	const sop_entry *en;
	const sop_procedure *proc;
	const sop_step *st;
	if (step_standing(a, ticket, &row, &en, &proc, &st, e) != 0)
		return -1;
	json_t *roles = user_roles(a, user, e);
	if (roles == NULL)
		return -1;
	int rc = step_actor_check(en->sop, st, ticket, user, roles, false, e);
	if (rc != 0 && on_behalf_role(en->sop, roles, st->role))
		rc = 0;
	json_decref(roles);
	return rc;
}

int case_may_attach(app *a, const char *ticket, const char *user, sg_err *e)
{
	case_sight s = CASE_SEE_FULL;
	if (user != NULL && case_sight_ticket(a, user, ticket, &s, e) != 0)
		return -1;
	if (s == CASE_SEE_LIMITED && case_may_act(a, ticket, user, e) != 0)
		return sg_err_set(e, SG_EPERM,
				  "case %s takes your files only at a step addressed to you", ticket);
	return 0;
}

json_t *sop_fields_json(const sop_field *f, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:b}", "name", f[i].name, "label", f[i].label,
				      "type", sop_field_type_name(f[i].type), "required", f[i].required);
		if (f[i].n_options) {
			json_t *opts = json_array();
			for (size_t k = 0; k < f[i].n_options; k++)
				json_array_append_new(opts, json_string(f[i].options[k]));
			json_object_set_new(o, "options", opts);
		}
		if (f[i].entity)
			json_object_set_new(o, "entity", json_string(f[i].entity));
		if (f[i].banyak)
			json_object_set_new(o, "many", json_true());
		if (f[i].help)
			json_object_set_new(o, "help", json_string(f[i].help));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *current_step(app *a, const sop_entry *en, const sop_step *st, int64_t started)
{
	json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:I}", "no", st->no, "uraian", st->uraian,
			      "role", st->role, "role_nama", sop_role_name(en->sop, st->role), "waktu",
			      st->waktu.text ? st->waktu.text : "", "started_at", (json_int_t)started);
	if (st->output)
		json_object_set_new(o, "output", json_string(st->output));
	if (st->tahap_publik)
		json_object_set_new(o, "tahap_publik", json_string(st->tahap_publik));
	if (st->keterangan)
		json_object_set_new(o, "keterangan", json_string(st->keterangan));
	if (st->catat)
		json_object_set_new(o, "catat", json_string(st->catat));
	json_t *kel = json_array();
	for (size_t i = 0; i < st->n_kelengkapan; i++)
		json_array_append_new(kel, json_string(st->kelengkapan[i]));
	json_object_set_new(o, "kelengkapan", kel);
	if (st->waktu.unit != WAKTU_NONE) {
		int64_t due = sla_due(&a->cfg.cal, &st->waktu, started);
		json_object_set_new(o, "due_at", json_integer(due));
		json_object_set_new(o, "overdue", json_boolean(app_now(a) > due));
	}
	if (st->n_branches) {
		json_t *labels = json_array();
		for (size_t b = 0; b < st->n_branches; b++)
			json_array_append_new(labels, json_string(st->branches[b].label));
		json_t *dec = json_pack("{s:s?, s:o}", "question", st->question, "labels", labels);
		/* The fields a branch needs besides the required ones (wajib). */
		json_t *needs = json_object();
		for (size_t b = 0; b < st->n_branches; b++) {
			if (st->branches[b].n_wajib == 0)
				continue;
			json_t *names = json_array();
			for (size_t k = 0; k < st->branches[b].n_wajib; k++)
				json_array_append_new(names, json_string(st->branches[b].wajib[k]));
			json_object_set_new(needs, st->branches[b].label, names);
		}
		json_object_set_new(dec, "wajib", needs);
		json_object_set_new(o, "decision", dec);
	}
	json_object_set_new(o, "fields", sop_fields_json(st->fields, st->n_fields));
	return o;
}

static json_t *history(app *a, int64_t case_id, const sop_procedure *proc, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT seq, step_no, role, actor, started_at, finished_at, decision, "
			    "next_step_no, form_values, waktu, due_at, spent_seconds, sla_met, kind, "
			    "on_behalf_of, channel, reason FROM step_runs WHERE case_id = ? ORDER BY seq",
			    "i", case_id) != 0)
		return NULL;
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		int no = (int)db_col_int(st, 1);
		int idx = sop_step_index(proc, no);
		json_t *values = json_loads(db_col_text(st, 8), 0, NULL);
		json_t *o = json_pack(
			"{s:I, s:i, s:s, s:s, s:s, s:I, s:I, s:s?, s:i, s:o, s:s, s:I, s:I, s:b}", "seq",
			(json_int_t)db_col_int(st, 0), "step_no", no, "uraian",
			idx >= 0 ? proc->steps[idx].uraian : "", "role", db_col_text(st, 2), "actor",
			db_col_text(st, 3), "started_at", (json_int_t)db_col_int(st, 4), "finished_at",
			(json_int_t)db_col_int(st, 5), "decision", db_col_text(st, 6), "next_step_no",
			(int)db_col_int(st, 7), "values", values ? values : json_object(), "waktu",
			db_col_text(st, 9), "due_at", (json_int_t)db_col_int(st, 10), "spent_seconds",
			(json_int_t)db_col_int(st, 11), "sla_met", (int)db_col_int(st, 12));
		json_object_set_new(o, "kind", json_string(db_col_text(st, 13)));
		static const char *const extra[] = {"on_behalf_of", "channel", "reason"};
		for (int k = 0; k < 3; k++)
			if (!db_col_null(st, 14 + k))
				json_object_set_new(o, extra[k], json_string(db_col_text(st, 14 + k)));
		json_array_append_new(arr, o);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static json_t *evidence_of(app *a, int64_t case_id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT ce.sha256, ev.size, ce.filename, ce.field, ce.added_by, ce.added_at, "
			    "ce.origin FROM case_evidence ce JOIN evidence ev ON ev.sha256 = ce.sha256 "
			    "WHERE ce.case_id = ? ORDER BY ce.id",
			    "i", case_id) != 0)
		return NULL;
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:s, s:I, s:s, s:s?, s:s, s:I, s:s}", "sha256",
						     db_col_text(st, 0), "size",
						     (json_int_t)db_col_int(st, 1), "filename",
						     db_col_text(st, 2), "field", db_col_text(st, 3),
						     "added_by", db_col_text(st, 4), "added_at",
						     (json_int_t)db_col_int(st, 5), "origin",
						     db_col_text(st, 6)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static json_t *comments_of(app *a, int64_t case_id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT id, author, body, created_at FROM comments WHERE case_id = ? "
			    "ORDER BY id",
			    "i", case_id) != 0)
		return NULL;
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:I}", "id",
						     (json_int_t)db_col_int(st, 0), "author",
						     db_col_text(st, 1), "body", db_col_text(st, 2),
						     "created_at", (json_int_t)db_col_int(st, 3)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static json_t *case_read(app *a, const char *ticket, const case_viewer *v, sg_err *e);

/* Keeps the entries of arr whose key is user (an outside actor's own). */
static void keep_own(json_t *arr, const char *key, const char *user)
{
	for (size_t i = json_array_size(arr); i-- > 0;) {
		const char *who = json_string_value(json_object_get(json_array_get(arr, i), key));
		if (who == NULL || strcmp(who, user) != 0)
			json_array_remove(arr, i);
	}
}

/* What an outside actor may see of a case it takes part in under TLP:AMBER
 * or RED: where the case stands and what it gave itself; not the staff's
 * steps, notes, comments or evidence. */
static void limit_to_own(app *a, json_t *c, const char *user, const sop_procedure *proc)
{
	/* What the SOP writes for the outside actor (fields marked publik: the
	 * closing summary, why a report was not an incident, the answer to an
	 * applicant), from every step, before the team's steps are dropped. */
	json_t *pub = json_array();
	size_t i;
	json_t *run;
	json_array_foreach (json_object_get(c, "history"), i, run) {
		int idx = sop_step_index(proc, (int)json_integer_value(json_object_get(run, "step_no")));
		if (idx >= 0)
			case_public_values(proc->steps[idx].fields, proc->steps[idx].n_fields,
					   json_object_get(run, "values"),
					   json_integer_value(json_object_get(run, "finished_at")), pub);
	}
	json_object_set_new(c, "public", pub);
	const char *creator = json_string_value(json_object_get(c, "created_by"));
	if (creator == NULL || strcmp(creator, user) != 0)
		json_object_set_new(c, "fields", json_object());
	keep_own(json_object_get(c, "history"), "actor", user);
	keep_own(json_object_get(c, "evidence"), "added_by", user);
	json_array_clear(json_object_get(c, "comments"));
	json_array_clear(json_object_get(c, "links"));  /* the team's hand-overs */
	json_array_clear(json_object_get(c, "alerts")); /* and triage */
	json_array_clear(json_object_get(c, "findings"));
	static const char *const hidden[] = {"category", "incident_type", "priority", "assignee"};
	for (int h = 0; h < 4; h++)
		json_object_set_new(c, hidden[h], json_null());
	/* Where the case stands: its step when the step is the actor's own;
	 * else only its public stage (tahap_publik), never the step, its role
	 * or its question, which would tell a reporter which branch the team
	 * took (the police or not). The SLA figures count the team's steps. */
	json_t *cur = json_object_get(c, "current_step");
	sg_err ignore;
	if (json_is_object(cur) &&
	    case_may_act(a, json_string_value(json_object_get(c, "ticket")), user, &ignore) != 0) {
		const char *stage = json_string_value(json_object_get(cur, "tahap_publik"));
		if (stage == NULL)
			stage = json_string_value(json_object_get(cur, "uraian"));
		json_object_set_new(c, "current_step", json_pack("{s:s}", "stage", stage ? stage : ""));
	}
	json_object_del(c, "sla");
	json_object_del(c, "passed_steps"); /* the team's steps, by number */
}

json_t *case_get(app *a, const char *ticket, const char *viewer, sg_err *e)
{
	case_viewer v;
	if (case_viewer_load(a, viewer, &v, e) != 0)
		return NULL;
	json_t *c = case_read(a, ticket, &v, e);
	case_viewer_free(&v);
	return c;
}

/* A TLP:RED case is seen by the people named on it only: when none of
 * them (enabled) holds the current step's role, or for an outside actor's
 * step a role that may act for it, nobody can see the step to do it. The
 * step says so ("unattended": true) so the page warns whoever sees it to
 * assign it to a holder of the role, who is then named on the case, and
 * the CSIRT staff named on it find it in Tugas saya (tasks.c). */
int case_unattended(app *a, const sop *s, const sop_step *st, int64_t case_id, bool *out,
		    sg_err *e)
{
	json_t *roles = json_array();
	json_array_append_new(roles, json_string(st->role));
	const sop_role *r = sop_find_role(s, st->role);
	for (size_t i = 0; r && r->luar && i < r->n_atas_nama; i++)
		json_array_append_new(roles, json_string(r->atas_nama[i]));
	char *text = json_dumps(roles, JSON_COMPACT);
	json_decref(roles);
	if (text == NULL)
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	int64_t named = 0;
	int rc = db_query_int(a->db, e, &named,
			      "SELECT EXISTS (SELECT 1 FROM case_participants p "
			      "JOIN users u ON u.name = p.user_name AND u.disabled = 0 "
			      "JOIN user_roles ur ON ur.user_id = u.id "
			      "WHERE p.case_id = ? AND ur.role IN (SELECT value FROM json_each(?)))",
			      "is", case_id, text);
	free(text);
	if (rc < 0)
		return -1;
	*out = !named;
	return 0;
}

static json_t *case_read(app *a, const char *ticket, const case_viewer *v, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT " CASE_ROW_COLUMNS ", title, fields, created_at, created_by, "
			    "closed_at, category, incident_type, priority, tlp, assignee "
			    "FROM cases WHERE ticket = ?",
			    "s", ticket) != 0)
		return NULL;
	int rc = db_step(st, e);
	if (rc != DB_ROW) {
		db_finalize(st);
		if (rc == DB_DONE)
			sg_err_set(e, SG_ENOTFOUND, "no case '%s'", ticket);
		return NULL;
	}
	case_row row;
	case_row_read(st, &row);
	case_sight sight;
	if (case_sight_of(a, v, row.id, row.procedure_id,
			  db_col_null(st, 14) ? NULL : db_col_text(st, 14), &sight, e) != 0) {
		db_finalize(st);
		return NULL;
	}
	if (sight == CASE_SEE_NONE) {
		db_finalize(st);
		sg_err_set(e, SG_ENOTFOUND, "no case '%s'", ticket);
		return NULL;
	}
	json_t *fields = json_loads(db_col_text(st, 7), 0, NULL);
	json_t *c = json_pack("{s:s, s:I, s:s, s:s, s:o, s:I, s:s}", "ticket", ticket, "id",
			      (json_int_t)row.id, "status", row.open ? "open" : "closed", "title",
			      db_col_text(st, 6), "fields", fields ? fields : json_object(),
			      "created_at", (json_int_t)db_col_int(st, 8), "created_by",
			      db_col_text(st, 9));
	if (!db_col_null(st, 10))
		json_object_set_new(c, "closed_at", json_integer(db_col_int(st, 10)));
	static const char *const attr[] = {"category", "incident_type", "priority", "tlp", "assignee"};
	for (int i = 0; i < 5; i++)
		json_object_set_new(c, attr[i], db_col_null(st, 11 + i) ? json_null()
								 : json_string(db_col_text(st, 11 + i)));
	db_finalize(st);

	const sop_entry *en;
	const sop_procedure *proc = case_procedure(a, &row, &en, e);
	if (proc == NULL) {
		json_decref(c);
		return NULL;
	}
	json_object_set_new(c, "sop", json_pack("{s:s, s:s, s:s, s:s}", "id", en->sop->id, "nama",
						en->sop->nama, "nomor", en->sop->nomor, "sha256",
						en->sha256));
	json_object_set_new(c, "procedure", json_pack("{s:s, s:s}", "id", proc->id, "nama", proc->nama));
	int idx = row.open ? sop_step_index(proc, row.step_no) : -1;
	json_object_set_new(c, "current_step",
			    idx >= 0 ? current_step(a, en, &proc->steps[idx], row.step_started_at)
				     : json_null());
	bool unattended = false;
	if (idx >= 0 && strcmp(json_string_value(json_object_get(c, "tlp")) ?: "", "TLP:RED") == 0) {
		if (case_unattended(a, en->sop, &proc->steps[idx], row.id, &unattended, e) != 0) {
			json_decref(c);
			return NULL;
		}
		if (unattended)
			json_object_set_new(json_object_get(c, "current_step"), "unattended",
					    json_true());
	}
	json_t *h = history(a, row.id, proc, e);
	json_t *ev = h ? evidence_of(a, row.id, e) : NULL;
	json_t *cm = ev ? comments_of(a, row.id, e) : NULL;
	json_t *links = cm ? case_links_json(a, row.id, v, e) : NULL;
	json_t *alerts = links ? alert_list_case(a, row.id, v, e) : NULL;
	/* the assets it is about, those the viewer may see (case_assets.c) */
	json_t *assets = alerts ? case_assets_list(a, row.id, v->all ? NULL : v->user, e) : NULL;
	/* its findings: the CSIRT's all, anyone else its own OPD's (findings.c) */
	bool all_findings = v->all;
	int told = assets && !v->all ? finding_sees_all(a, v->user, &all_findings, e) : 0;
	json_t *findings = assets && told == 0
			       ? finding_list_case(a, row.id, all_findings ? NULL : v->user, e)
			       : NULL;
	json_t *draft = findings && idx >= 0 ? step_draft_get(a, row.id, row.step_no, e) : NULL;
	if (h == NULL || ev == NULL || cm == NULL || links == NULL || alerts == NULL ||
	    assets == NULL || findings == NULL || (idx >= 0 && draft == NULL)) {
		json_decref(h);
		json_decref(ev);
		json_decref(cm);
		json_decref(links);
		json_decref(alerts);
		json_decref(assets);
		json_decref(findings);
		json_decref(c);
		return NULL;
	}
	json_object_set_new(c, "assets", assets);
	/* what sigap drafted for the current step (finding_cases.c) */
	if (idx >= 0)
		json_object_set_new(json_object_get(c, "current_step"), "draft", draft);
	json_object_set_new(c, "findings", findings);
	json_object_set_new(c, "comments", cm);
	json_object_set_new(c, "links", links);
	json_object_set_new(c, "alerts", alerts);
	size_t i, met = 0;
	json_t *run;
	size_t runs = 0;
	json_t *passed = json_array();
	json_array_foreach(h, i, run)
	{
		const char *kind = json_string_value(json_object_get(run, "kind"));
		if (strcmp(kind, "buka_kembali") == 0)
			continue; /* a reopening is no step done in time or late */
		runs++;
		met += json_is_true(json_object_get(run, "sla_met"));
		json_t *no = json_object_get(run, "step_no");
		bool seen = strcmp(kind, "step") != 0;
		size_t k;
		json_t *p;
		json_array_foreach(passed, k, p) seen |= json_integer_value(p) == json_integer_value(no);
		if (!seen)
			json_array_append(passed, no);
	}
	/* The steps this case has completed: where it may be sent back or
	 * reopened (case_flows.c). */
	json_object_set_new(c, "passed_steps", passed);
	json_object_set_new(c, "sla", json_pack("{s:I, s:I, s:f}", "runs", (json_int_t)runs, "met",
						(json_int_t)met, "rate",
						runs ? (double)met / (double)runs : 1.0));
	json_object_set_new(c, "history", h);
	json_object_set_new(c, "evidence", ev);
	json_object_set_new(c, "sight", json_string(sight == CASE_SEE_FULL ? "full" : "limited"));
	if (sight == CASE_SEE_LIMITED)
		limit_to_own(a, c, v->user, proc);
	return c;
}
