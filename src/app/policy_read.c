/*
 * policy_read.c: reading the library of policies (policies.c writes it;
 * docs/policies.md): the list, one policy with its versions, one version
 * with its text, the line diff of two versions, who has read the
 * published one, and what the public sees.
 *
 * Sight: the public reads the published version of each policy in force
 * and nothing else; every signed-in user reads the library (policies are
 * the organisation's rules for its staff), with every version and state.
 * Who has read a published version is shown to the staff who keep the
 * library (the SOP's roles) and to each reader of their own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/textdiff.h"
#include "case_row.h"
#include "col_json.h"

#define POLICY_COLUMNS                                                                             \
	"SELECT p.id, p.title, p.kind, p.status, p.review_months, p.next_review_at, "               \
	"p.revoked_at, p.revoked_by, p.revoke_reason, p.created_at, p.updated_at, "                 \
	"(SELECT MAX(v.version) FROM policy_versions v WHERE v.policy_id = p.id), "                 \
	"(SELECT MAX(v.version) FROM policy_versions v WHERE v.policy_id = p.id AND v.state = "     \
	"'dipublikasikan'), rc.ticket, rc.status FROM policies p LEFT JOIN cases rc ON rc.id = "    \
	"p.review_case_id "

static json_t *policy_row(app *a, db_stmt *st)
{
	json_t *o = json_pack(
	    "{s:I, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o}", "id",
	    (json_int_t)db_col_int(st, 0), "title", col_json_text(st, 1), "kind",
	    col_json_text(st, 2), "status", col_json_text(st, 3), "review_months",
	    (json_int_t)db_col_int(st, 4), "next_review_at", col_json_int(st, 5), "withdrawn_at",
	    col_json_int(st, 6), "withdrawn_by", col_json_text(st, 7), "withdraw_reason",
	    col_json_text(st, 8), "created_at", (json_int_t)db_col_int(st, 9), "updated_at",
	    (json_int_t)db_col_int(st, 10), "latest_version", col_json_int(st, 11),
	    "published_version", col_json_int(st, 12));
	json_object_set_new(o, "review_case",
	                    db_col_null(st, 13) ? json_null()
	                                        : json_pack("{s:o, s:b}", "ticket",
	                                                    col_json_text(st, 13), "open",
	                                                    strcmp(db_col_text(st, 14), "open") == 0));
	json_object_set_new(o, "review_due",
	                    json_boolean(!db_col_null(st, 5) && db_col_int(st, 5) <= app_now(a)));
	return o;
}

json_t *policy_list(app *a, bool published_only, sg_err *e)
{
	db_stmt *st;
	if (db_prepare(a->db,
	               published_only
	                   ? POLICY_COLUMNS "WHERE p.status = 'aktif' AND EXISTS (SELECT 1 FROM "
	                                    "policy_versions v WHERE v.policy_id = p.id AND v.state = "
	                                    "'dipublikasikan') ORDER BY p.kind, p.title, p.id"
	                   : POLICY_COLUMNS "ORDER BY p.status, p.kind, p.title, p.id",
	               &st, e) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(out, policy_row(a, st));
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

#define VERSION_COLUMNS                                                                            \
	"SELECT v.id, v.version, v.state, v.sha256, v.ratified_by, v.ratified_number, "            \
	"v.ratified_on, v.ratified_at, v.published_at, c.ticket, pc.ticket, v.created_by, "        \
	"v.created_at, v.updated_at, v.body FROM policy_versions v JOIN cases c ON c.id = "        \
	"v.case_id LEFT JOIN cases pc ON pc.id = v.published_case_id "

static json_t *version_row(db_stmt *st, bool body)
{
	json_t *o = json_pack(
	    "{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I}", "version",
	    (json_int_t)db_col_int(st, 1), "state", col_json_text(st, 2), "sha256",
	    col_json_text(st, 3), "ratified_by", col_json_text(st, 4), "number",
	    col_json_text(st, 5), "ratified_on", col_json_text(st, 6), "ratified_at",
	    col_json_int(st, 7), "published_at", col_json_int(st, 8), "case", col_json_text(st, 9),
	    "publication_case", col_json_text(st, 10), "created_by", col_json_text(st, 11),
	    "created_at", (json_int_t)db_col_int(st, 12), "updated_at",
	    (json_int_t)db_col_int(st, 13));
	if (body)
		json_object_set_new(o, "text", col_json_text(st, 14));
	return o;
}

static json_t *controls_of(app *a, int64_t version_id, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT ref FROM policy_controls WHERE version_id = ? ORDER BY ref", "i",
	                    version_id) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		const char *ref = db_col_text(st, 0);
		const ctl_control *c = controls_find_ref(&a->ctls, ref);
		json_array_append_new(out,
		                      json_pack("{s:s, s:s?}", "ref", ref, "title", c ? c->title : NULL));
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* Who of each OPD has read version_id: [{opd, read: [names], unread:
 * [names]}], the users without an OPD last ("" as its name). */
static json_t *readers(app *a, int64_t version_id, sg_err *e)
{
	/* the organisation's staff read its policies; a reporter's or an
	 * applicant's account is not asked to */
	json_t *roles = policy_insider_roles(a);
	buf sql = BUF_INIT;
	buf_puts(&sql, "SELECT COALESCE(o.name, ''), u.name, COALESCE(u.full_name, ''), k.at FROM "
	               "users u LEFT JOIN opd o ON o.id = u.opd_id LEFT JOIN policy_acks k ON "
	               "k.version_id = ? AND k.user_name = u.name WHERE u.disabled = 0 AND EXISTS "
	               "(SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN (");
	for (size_t i = 0; i < json_array_size(roles); i++)
		buf_puts(&sql, i ? ", ?" : "?");
	buf_puts(&sql, ")) ORDER BY o.name IS NULL, o.name, u.name");
	db_stmt *st;
	int prc = db_prepare(a->db, buf_str(&sql), &st, e);
	buf_free(&sql);
	if (prc != 0) {
		json_decref(roles);
		return NULL;
	}
	db_bind_int(st, 1, version_id);
	for (size_t i = 0; i < json_array_size(roles); i++)
		db_bind_text(st, (int)i + 2, json_string_value(json_array_get(roles, i)));
	json_t *out = json_array(), *cur = NULL;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		const char *opd = db_col_text(st, 0);
		if (cur == NULL || strcmp(json_string_value(json_object_get(cur, "opd")), opd) != 0) {
			cur = json_pack("{s:s, s:[], s:[]}", "opd", opd, "read", "unread");
			json_array_append_new(out, cur);
		}
		json_t *who = json_pack("{s:o, s:o}", "name", col_json_text(st, 1), "full_name",
		                        col_json_text(st, 2));
		if (!db_col_null(st, 3))
			json_object_set_new(who, "at", json_integer(db_col_int(st, 3)));
		json_array_append_new(json_object_get(cur, db_col_null(st, 3) ? "unread" : "read"), who);
	}
	db_finalize(st);
	json_decref(roles);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int64_t policy_of_ticket(app *a, const char *ticket, sg_err *e)
{
	int64_t id = 0;
	int rc = db_query_int(a->db, e, &id,
	                      "SELECT v.policy_id FROM policy_versions v JOIN cases c ON c.id = "
	                      "v.case_id WHERE c.ticket = ? ORDER BY v.version DESC LIMIT 1",
	                      "s", ticket);
	return rc == DB_ROW ? id : rc == DB_DONE ? 0 : -1;
}

json_t *policy_get(app *a, const char *viewer, int64_t id, bool published_only, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, POLICY_COLUMNS "WHERE p.id = ?", "i", id) != 0)
		return NULL;
	json_t *o = NULL;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		o = policy_row(a, st);
	db_finalize(st);
	if (o && published_only &&
	    (json_is_null(json_object_get(o, "published_version")) ||
	     strcmp(json_string_value(json_object_get(o, "status")), "aktif") != 0)) {
		json_decref(o);
		o = NULL;
		rc = DB_DONE;
	}
	if (rc == DB_DONE)
		sg_err_set(e, SG_ENOTFOUND, "no policy %lld", (long long)id);
	if (o == NULL)
		return NULL;
	/* the versions, newest first; the public only the published one */
	if (db_prepare_bind(a->db, &st, e,
	                    published_only ? VERSION_COLUMNS "WHERE v.policy_id = ? AND v.state = "
	                                                     "'dipublikasikan' ORDER BY v.version "
	                                                     "DESC LIMIT 1"
	                                   : VERSION_COLUMNS "WHERE v.policy_id = ? ORDER BY "
	                                                     "v.version DESC",
	                    "i", id) != 0) {
		json_decref(o);
		return NULL;
	}
	json_t *versions = json_array();
	int64_t published_id = 0;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_t *v = version_row(st, false);
		if (published_id == 0 && strcmp(db_col_text(st, 2), "dipublikasikan") == 0) {
			published_id = db_col_int(st, 0);
			json_object_set_new(o, "published",
			                    json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "version",
			                              (json_int_t)db_col_int(st, 1), "text",
			                              col_json_text(st, 14), "sha256",
			                              col_json_text(st, 3), "number",
			                              col_json_text(st, 5), "ratified_on",
			                              col_json_text(st, 6), "ratified_by",
			                              col_json_text(st, 4), "published_at",
			                              col_json_int(st, 8)));
		}
		json_object_set_new(v, "id_", json_integer(db_col_int(st, 0)));
		json_array_append_new(versions, v);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(versions);
		json_decref(o);
		return NULL;
	}
	/* the public reads the published text alone (in "published") */
	if (published_only) {
		json_decref(versions);
		json_object_del(o, "review_case");
		json_object_del(o, "withdrawn_by");
		return o;
	}
	/* each version's controls (the internal view) */
	size_t i;
	json_t *v;
	json_array_foreach(versions, i, v) {
		json_t *c = controls_of(a, json_integer_value(json_object_get(v, "id_")), e);
		if (c == NULL) {
			json_decref(versions);
			json_decref(o);
			return NULL;
		}
		json_object_set_new(v, "controls", c);
		json_object_del(v, "id_");
	}
	json_object_set_new(o, "versions", versions);
	/* each asks the viewer's roles: once each */
	bool may_edit = policy_may(a, viewer, POLICY_EDIT),
	     may_withdraw = policy_may(a, viewer, POLICY_WITHDRAW), keeper = may_edit || may_withdraw;
	if (published_id) {
		json_t *rd = readers(a, published_id, e);
		if (rd == NULL) {
			json_decref(o);
			return NULL;
		}
		/* who read it: for the library's keepers; a reader sees their own */
		bool mine = false;
		json_t *g, *w;
		size_t k, j;
		json_array_foreach(rd, k, g) {
			json_array_foreach(json_object_get(g, "read"), j, w) {
				const char *n = json_string_value(json_object_get(w, "name"));
				mine |= viewer && strcmp(n, viewer) == 0;
			}
		}
		json_object_set_new(o, "read_by_me", json_boolean(mine));
		if (keeper)
			json_object_set_new(o, "readers", rd);
		else
			json_decref(rd);
	}
	char object[40];
	snprintf(object, sizeof object, "policy:%lld", (long long)id);
	json_t *h = logbook_list(a, object, 100, NULL, e);
	if (h == NULL) {
		json_decref(o);
		return NULL;
	}
	/* who read it is the keepers' to see, and each reader's own */
	for (size_t k = json_array_size(h); !keeper && k-- > 0;) {
		json_t *x = json_array_get(h, k);
		const char *act = json_string_value(json_object_get(x, "action"));
		const char *who = json_string_value(json_object_get(x, "actor"));
		if (act && strcmp(act, "policy.ack") == 0 && !(viewer && who && strcmp(who, viewer) == 0))
			json_array_remove(h, k);
	}
	json_object_set_new(o, "history", h);
	json_object_set_new(o, "may_edit", json_boolean(may_edit));
	bool in_force = strcmp(json_string_value(json_object_get(o, "status")), "aktif") == 0;
	json_object_set_new(o, "may_withdraw", json_boolean(may_withdraw && in_force));
	return o;
}

/* The text of version n of policy id into *out (malloc'd); SG_ENOTFOUND
 * when there is none. */
static int version_text(app *a, int64_t id, int n, char **out, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT body FROM policy_versions WHERE policy_id = ? AND version = ?",
	                    "ii", id, (int64_t)n) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		*out = strdup(db_col_text(st, 0));
	db_finalize(st);
	if (rc == DB_DONE)
		return sg_err_set(e, SG_ENOTFOUND, "policy %lld has no version %d", (long long)id, n);
	return rc == DB_ROW ? 0 : -1;
}

json_t *policy_version(app *a, int64_t id, int n, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, VERSION_COLUMNS "WHERE v.policy_id = ? AND v.version = ?",
	                    "ii", id, (int64_t)n) != 0)
		return NULL;
	json_t *o = NULL;
	int64_t vid = 0;
	int rc = db_step(st, e);
	if (rc == DB_ROW) {
		o = version_row(st, true);
		vid = db_col_int(st, 0);
	}
	db_finalize(st);
	if (rc == DB_DONE)
		sg_err_set(e, SG_ENOTFOUND, "policy %lld has no version %d", (long long)id, n);
	if (o == NULL)
		return NULL;
	json_t *c = controls_of(a, vid, e);
	if (c == NULL) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "controls", c);
	json_object_set_new(o, "policy", json_integer(id));
	/* its attachments: the files of its drafting case's form fields (the
	 * plan, the draft, the signed ratified document); each opens for who
	 * sees that case (/bukti/SHA256) */
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT e.filename, e.sha256, e.field, e.added_at FROM case_evidence e "
	                    "WHERE e.id IN (SELECT MAX(x.id) FROM case_evidence x JOIN "
	                    "policy_versions v ON v.case_id = x.case_id WHERE v.id = ? AND x.field IS "
	                    "NOT NULL GROUP BY x.field) ORDER BY e.added_at, e.id",
	                    "i", vid) != 0) {
		json_decref(o);
		return NULL;
	}
	json_t *files = json_array();
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(files, json_pack("{s:o, s:o, s:o, s:I}", "filename",
		                                       col_json_text(st, 0), "sha256",
		                                       col_json_text(st, 1), "field",
		                                       col_json_text(st, 2), "added_at",
		                                       (json_int_t)db_col_int(st, 3)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(files);
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "attachments", files);
	return o;
}

/* Versions are at most 64 KiB: lines and edits are bounded so a diff
 * stays O(N D) within milliseconds. */
enum { DIFF_LINES_MAX = 20000, DIFF_EDITS_MAX = 4000 };

static json_t *diff_json(const char *x, const char *y, sg_err *e)
{
	diff_line *d = NULL;
	size_t n = 0;
	if (textdiff(x, y, DIFF_LINES_MAX, DIFF_EDITS_MAX, &d, &n) != 0) {
		sg_err_set(e, SG_EINVAL,
		           "the two versions differ in more than %d lines: compare them whole",
		           DIFF_EDITS_MAX);
		return NULL;
	}
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++) {
		char op[2] = {(char)d[i].op, 0};
		json_array_append_new(out, json_pack("{s:s, s:s%}", "op", op, "text", d[i].text,
		                                     d[i].len));
	}
	free(d);
	return out;
}

json_t *policy_diff(app *a, int64_t id, int from, int to, sg_err *e)
{
	char *x = NULL, *y = NULL;
	if (version_text(a, id, from, &x, e) != 0 || version_text(a, id, to, &y, e) != 0) {
		free(x);
		return NULL;
	}
	json_t *lines = diff_json(x, y, e);
	free(x);
	free(y);
	if (lines == NULL)
		return NULL;
	return json_pack("{s:I, s:i, s:i, s:o}", "policy", (json_int_t)id, "from", from, "to", to,
	                 "lines", lines);
}
