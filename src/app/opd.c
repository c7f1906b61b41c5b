/*
 * opd.c: the Perangkat Daerah (OPD) the CSIRT serves, and the OPD a user
 * belongs to.
 *
 * An OPD is the owner (PSE) of the sistem elektronik in the register; its
 * people are users with an OPD, and an agen_siber (the OPD's cyber agent)
 * must have one, since its sight of the register is its OPD's assets.
 * OPDs are kept by admin (who also places users in them) and kabid. An
 * OPD no asset and no user belongs to may be deleted (a mistake made
 * when typing it in); one in use is refused: its assets' history names
 * it. Every change is one transaction with its logbook entry.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "asset_ident.h"
#include "col_json.h"

enum { OPD_NAME_MAX = 200, OPD_ABBREV_MAX = 32, OPD_TEXT_MAX = 500 };

static int check_keeper(app *a, const char *actor, sg_err *e)
{
	asset_scope s;
	if (asset_scope_of(a, actor, &s, e) != 0)
		return -1;
	if (!s.keep_opd)
		return sg_err_set(e, SG_EPERM, "%s may not change OPDs (roles admin, kabid)", actor);
	return 0;
}

/* The abbreviation in upper case: letters, digits, '-', '_', '.'. */
static int norm_abbrev(const char *s, char out[OPD_ABBREV_MAX + 1], sg_err *e)
{
	size_t n = strlen(s);
	if (n < 2 || n > OPD_ABBREV_MAX)
		return sg_err_set(e, SG_EINVAL, "an OPD's abbreviation is 2 to %d characters, not '%s'",
				  OPD_ABBREV_MAX, s);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && !strchr("-_.", c))
			return sg_err_set(e, SG_EINVAL,
					  "an OPD's abbreviation holds letters, digits, '-', '_' and '.' only, "
					  "not '%s'",
					  s);
		out[i] = (char)toupper(c);
	}
	if (!isalpha((unsigned char)out[0]))
		return sg_err_set(e, SG_EINVAL, "an OPD's abbreviation begins with a letter, not '%s'", s);
	out[n] = '\0';
	return 0;
}

int opd_resolve(app *a, const char *ref, int64_t *id, sg_err *e)
{
	*id = 0;
	if (ref == NULL || *ref == '\0')
		return sg_err_set(e, SG_EINVAL, "name the OPD by its abbreviation");
	bool digits = strspn(ref, "0123456789") == strlen(ref) && strlen(ref) < 18;
	int rc;
	if (digits) {
		rc = db_query_int(a->db, e, id, "SELECT id FROM opd WHERE id = ?", "i",
				  (int64_t)strtoll(ref, NULL, 10));
	} else {
		char ab[OPD_ABBREV_MAX + 1];
		sg_err ignore;
		if (norm_abbrev(ref, ab, &ignore) != 0)
			return sg_err_set(e, SG_ENOTFOUND, "no OPD '%s' (see 'sigap opd list')", ref);
		rc = db_query_int(a->db, e, id, "SELECT id FROM opd WHERE abbrev = ?", "s", ab);
	}
	if (rc < 0)
		return -1;
	if (rc == DB_DONE)
		return sg_err_set(e, SG_ENOTFOUND, "no OPD '%s' (see 'sigap opd list')", ref);
	return 0;
}

/* Checks the fields given; abbrev normalised into ab. */
static int check_in(const opd_in *in, bool create, char ab[OPD_ABBREV_MAX + 1], sg_err *e)
{
	if (create && (in->name == NULL || in->abbrev == NULL))
		return sg_err_set(e, SG_EINVAL, "an OPD needs a name and an abbreviation");
	if (in->name && asset_text_check("the OPD's name", in->name, OPD_NAME_MAX, true, false, e) != 0)
		return -1;
	if (in->abbrev && norm_abbrev(in->abbrev, ab, e) != 0)
		return -1;
	if (in->head && asset_text_check("the OPD's head", in->head, OPD_TEXT_MAX, false, false, e) != 0)
		return -1;
	if (in->contact &&
	    asset_text_check("the OPD's contact", in->contact, OPD_TEXT_MAX, false, false, e) != 0)
		return -1;
	return 0;
}

/* Refuses a name or abbreviation another OPD (not self) holds. */
static int check_unique(app *a, const opd_in *in, const char *ab, int64_t self, sg_err *e)
{
	int64_t other = 0;
	int rc;
	if (in->name) {
		rc = db_query_int(a->db, e, &other, "SELECT id FROM opd WHERE lower(name) = lower(?) AND id <> ?",
				  "si", in->name, self);
		if (rc < 0)
			return -1;
		if (rc == DB_ROW)
			return sg_err_set(e, SG_ECONFLICT, "an OPD named '%s' already exists", in->name);
	}
	if (in->abbrev) {
		rc = db_query_int(a->db, e, &other, "SELECT id FROM opd WHERE abbrev = ? AND id <> ?",
				  "si", ab, self);
		if (rc < 0)
			return -1;
		if (rc == DB_ROW)
			return sg_err_set(e, SG_ECONFLICT, "an OPD with the abbreviation '%s' already exists",
					  ab);
	}
	return 0;
}

static json_t *in_json(const opd_in *in, const char *ab)
{
	json_t *d = json_object();
	if (in->name)
		json_object_set_new(d, "name", json_string(in->name));
	if (in->abbrev)
		json_object_set_new(d, "abbrev", json_string(ab));
	if (in->head)
		json_object_set_new(d, "head", json_string(in->head));
	if (in->contact)
		json_object_set_new(d, "contact", json_string(in->contact));
	return d;
}

int opd_add(app *a, const char *actor, const opd_in *in, int64_t *id, sg_err *e)
{
	char ab[OPD_ABBREV_MAX + 1] = "";
	if (check_in(in, true, ab, e) != 0 || check_keeper(a, actor, e) != 0)
		return -1;
	if (db_begin(a->db, e) != 0)
		return -1;
	if (check_unique(a, in, ab, 0, e) != 0)
		goto fail;
	int64_t now = app_now(a);
	if (db_query_int(a->db, e, id,
			 "INSERT INTO opd (name, abbrev, head, contact, created_at, updated_at) "
			 "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
			 "ssssii", in->name, ab, in->head ? in->head : "", in->contact ? in->contact : "",
			 now, now) != DB_ROW)
		goto fail;
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)*id);
	if (logbook_record(a, actor, "opd.add", "opd", key, in_json(in, ab), e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

int opd_update(app *a, const char *actor, const char *ref, const opd_in *in, sg_err *e)
{
	char ab[OPD_ABBREV_MAX + 1] = "";
	if (check_keeper(a, actor, e) != 0 || check_in(in, false, ab, e) != 0)
		return -1;
	if (!in->name && !in->abbrev && !in->head && !in->contact)
		return sg_err_set(e, SG_EINVAL, "nothing to change: give a name, abbreviation, head or contact");
	if (db_begin(a->db, e) != 0)
		return -1;
	int64_t id;
	if (opd_resolve(a, ref, &id, e) != 0 || check_unique(a, in, ab, id, e) != 0)
		goto fail;
	if (db_run(a->db, e,
		   "UPDATE opd SET name = COALESCE(?, name), abbrev = COALESCE(?, abbrev), "
		   "head = COALESCE(?, head), contact = COALESCE(?, contact), updated_at = ? WHERE id = ?",
		   "ssssii", in->name, in->abbrev ? ab : NULL, in->head, in->contact, app_now(a), id) != 0)
		goto fail;
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)id);
	if (logbook_record(a, actor, "opd.update", "opd", key, in_json(in, ab), e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

int opd_delete(app *a, const char *actor, const char *ref, sg_err *e)
{
	if (check_keeper(a, actor, e) != 0)
		return -1;
	if (db_begin(a->db, e) != 0)
		return -1;
	int64_t id, assets = 0, users = 0;
	if (opd_resolve(a, ref, &id, e) != 0 ||
	    db_query_int(a->db, e, &assets, "SELECT COUNT(*) FROM assets WHERE opd_id = ?", "i", id) !=
		DB_ROW ||
	    db_query_int(a->db, e, &users, "SELECT COUNT(*) FROM users WHERE opd_id = ?", "i", id) !=
		DB_ROW)
		goto fail;
	if (assets || users) {
		sg_err_set(e, SG_ESTATE,
			   "OPD '%s' has %lld assets and %lld users: it stays (retire its assets and "
			   "move its users first)",
			   ref, (long long)assets, (long long)users);
		goto fail;
	}
	if (db_run(a->db, e, "DELETE FROM opd WHERE id = ?", "i", id) != 0)
		goto fail;
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)id);
	if (logbook_record(a, actor, "opd.delete", "opd", key, json_pack("{s:s}", "ref", ref), e) != 0 ||
	    db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

#define OPD_COLUMNS                                                                                \
	"SELECT o.id, o.name, o.abbrev, o.head, o.contact, o.created_at, o.updated_at, "           \
	"(SELECT COUNT(*) FROM assets s WHERE s.opd_id = o.id AND s.retired_at IS NULL), "         \
	"(SELECT COUNT(*) FROM users u WHERE u.opd_id = o.id) FROM opd o "

static json_t *opd_row(db_stmt *st)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "name", col_json_text(st, 1), "abbrev",
			 col_json_text(st, 2), "head", col_json_text(st, 3), "contact",
			 col_json_text(st, 4), "created_at", (json_int_t)db_col_int(st, 5), "updated_at",
			 (json_int_t)db_col_int(st, 6), "assets", (json_int_t)db_col_int(st, 7), "users",
			 (json_int_t)db_col_int(st, 8));
}

json_t *opd_list(app *a, sg_err *e)
{
	db_stmt *st;
	if (db_prepare(a->db, OPD_COLUMNS "ORDER BY o.name", &st, e) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(out, opd_row(st));
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *opd_get(app *a, const char *ref, sg_err *e)
{
	int64_t id;
	if (opd_resolve(a, ref, &id, e) != 0)
		return NULL;
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e, OPD_COLUMNS "WHERE o.id = ?", "i", id) != 0)
		return NULL;
	json_t *o = NULL;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		o = opd_row(st);
	else if (rc == DB_DONE)
		sg_err_set(e, SG_ENOTFOUND, "no OPD '%s' (see 'sigap opd list')", ref);
	db_finalize(st);
	if (o) {
		sg_err ignore;
		json_t *users = json_array();
		if (db_prepare_bind(a->db, &st, &ignore,
				    "SELECT name FROM users WHERE opd_id = ? ORDER BY name", "i", id) == 0) {
			while (db_step(st, &ignore) == DB_ROW)
				json_array_append_new(users, json_string(db_col_text(st, 0)));
			db_finalize(st);
		}
		json_object_set_new(o, "user_names", users);
	}
	return o;
}

/* Inside a transaction: whether user (id) holds agen_siber. */
static int holds_agent(app *a, int64_t user_id, bool *out, sg_err *e)
{
	int64_t n = 0;
	if (db_query_int(a->db, e, &n,
			 "SELECT COUNT(*) FROM user_roles WHERE user_id = ? AND role = 'agen_siber'", "i",
			 user_id) != DB_ROW)
		return -1;
	*out = n > 0;
	return 0;
}

int user_set_opd(app *a, const char *actor, const char *user, const char *ref, sg_err *e)
{
	if (check_keeper(a, actor, e) != 0)
		return -1;
	if (db_begin(a->db, e) != 0)
		return -1;
	int64_t uid = 0, oid = 0;
	int rc = db_query_int(a->db, e, &uid, "SELECT id FROM users WHERE name = ?", "s", user);
	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			sg_err_set(e, SG_ENOTFOUND, "no user '%s'", user);
		goto fail;
	}
	if (ref && opd_resolve(a, ref, &oid, e) != 0)
		goto fail;
	bool agent = false;
	if (!ref) {
		if (holds_agent(a, uid, &agent, e) != 0)
			goto fail;
		if (agent) {
			sg_err_set(e, SG_EINVAL,
				   "%s is an agen_siber, who must belong to an OPD: give another OPD, or "
				   "take the role away first",
				   user);
			goto fail;
		}
	}
	if ((oid ? db_run(a->db, e, "UPDATE users SET opd_id = ? WHERE id = ?", "ii", oid, uid)
		 : db_run(a->db, e, "UPDATE users SET opd_id = NULL WHERE id = ?", "i", uid)) != 0)
		goto fail;
	json_t *d = json_pack("{s:s, s:o}", "name", user, "opd", oid ? json_integer(oid) : json_null());
	if (logbook_record(a, actor, "user.opd", "user", user, d, e) != 0 || db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}
