/*
 * users.c: user accounts and their roles.
 *
 * Roles are the pelaksana of the SOPs (petugas, ttis, kabid, …) plus
 * "admin", who manages accounts and nothing else: completing a step needs
 * the step's own role. Passwords are stored only as Argon2id hashes
 * (libsodium, interactive limits: 2 passes, 64 MiB); a generated password
 * is one-time: the account must change it at first login.
 *
 * A new password ends the user's other sessions (the one that changed it
 * stays); disabling an account or changing its roles ends all of them.
 * API tokens are separate credentials the user manages at /token: a
 * password change keeps them and says how many stay valid; a disabled
 * user's tokens are refused (user_roles) and a role change holds for
 * them at once, since roles are read at every request. The logbook says
 * how many sessions ended.
 */
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "app.h"
#include "case_row.h"
#include "base/hash.h"
#include "base/utf8.h"
#include "col_json.h"
#include "notify/smtp.h"

enum { PASSWORD_MIN = 10, PASSWORD_MAX = 1024 };

static bool valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 64 || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

/* Checks a new password's length and hashes it with Argon2id. */
static int hash_password(const char *password, char hash[crypto_pwhash_STRBYTES], sg_err *e)
{
	size_t plen = strlen(password);
	if (plen < PASSWORD_MIN || plen > PASSWORD_MAX || !utf8_valid(password, plen))
		return sg_err_set(e, SG_EINVAL, "a password must be %d to %d characters of UTF-8 text",
				  PASSWORD_MIN, PASSWORD_MAX);
	if (crypto_pwhash_str_alg(hash, password, plen, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return sg_err_set(e, SG_ENOMEM, "not enough memory to hash the password");
	return 0;
}

/* Ends the sessions of a user (but the one whose id hash is keep_hash,
 * when not NULL) into *ended. Call inside a transaction. */
static int end_sessions(app *a, int64_t user_id, const char *keep_hash, int64_t *ended, sg_err *e)
{
	if (db_run(a->db, e, "DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", "is",
		   user_id, keep_hash ? keep_hash : "") != 0)
		return -1;
	*ended = db_changes(a->db);
	return 0;
}

int user_change_password(app *a, const char *name, const char *old_password,
			 const char *new_password, const char *keep_sid, const char *origin,
			 password_change *out, sg_err *e)
{
	password_change none;
	if (out == NULL)
		out = &none;
	memset(out, 0, sizeof *out);
	int64_t wait;
	if (session_check_password(a, name, old_password, origin, &wait, e) != 0)
		return e->code == SG_EPERM ? sg_err_set(e, SG_EPERM, "the current password is wrong")
					   : -1;
	if (strcmp(old_password, new_password) == 0)
		return sg_err_set(e, SG_EINVAL, "the new password must differ from the current one");
	char hash[crypto_pwhash_STRBYTES];
	if (hash_password(new_password, hash, e) != 0)
		return -1;
	if (db_begin(a->db, e) != 0)
		return -1;
	int64_t id = 0;
	int rc = db_query_int(a->db, e, &id,
			      "UPDATE users SET password_hash = ?, must_change_password = 0 "
			      "WHERE name = ? RETURNING id",
			      "ss", hash, name);
	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			sg_err_set(e, SG_ENOTFOUND, "no user '%s'", name);
		goto fail;
	}
	/* Whoever else holds a session of this user (a stolen cookie, a
	 * forgotten browser) is signed out; the one asking stays. */
	char keep[65];
	if (keep_sid && strlen(keep_sid) == 64)
		sha256_hex(keep_sid, 64, keep);
	if (end_sessions(a, id, keep_sid && strlen(keep_sid) == 64 ? keep : NULL,
			 &out->sessions_ended, e) != 0)
		goto fail;
	/* API tokens are separate credentials, revoked one by one at /token:
	 * they stay, and the caller says so. */
	if (db_query_int(a->db, e, &out->tokens_active,
			 "SELECT COUNT(*) FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL",
			 "i", id) != DB_ROW)
		goto fail;
	char object[80];
	snprintf(object, sizeof object, "user:%s", name);
	json_t *d = json_pack("{s:I, s:I}", "sessions_ended", (json_int_t)out->sessions_ended,
			      "tokens_active", (json_int_t)out->tokens_active);
	rc = logbook_append(a, name, "user.password", object, d, e);
	json_decref(d);
	if (rc != 0 || db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}

void user_generate_password(char out[17])
{
	random_token(out, 16);
}

/* The roles given, checked as user_add checks them. */
static int check_roles(app *a, const char *const *roles, size_t n, sg_err *e)
{
	if (n == 0)
		return sg_err_set(e, SG_EINVAL, "give the user at least one role (--role)");
	for (size_t i = 0; i < n; i++) {
		if (!sops_role_known(&a->sops, roles[i]))
			return sg_err_set(e, SG_EINVAL,
					  "unknown role '%s' (see 'sigap user roles' for the roles of the SOPs)",
					  roles[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(roles[i], roles[j]) == 0)
				return sg_err_set(e, SG_EINVAL, "role '%s' is given twice", roles[i]);
	}
	return 0;
}

static bool has_agent(const char *const *roles, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(roles[i], "agen_siber") == 0)
			return true;
	return false;
}

int user_add(app *a, const char *actor, const char *name, const char *const *roles,
	     size_t n_roles, const char *password, bool must_change, sg_err *e)
{
	return user_add_opd(a, actor, name, roles, n_roles, password, must_change, NULL, e);
}

int user_add_opd(app *a, const char *actor, const char *name, const char *const *roles,
		 size_t n_roles, const char *password, bool must_change, const char *opd, sg_err *e)
{
	if (!valid_name(name))
		return sg_err_set(e, SG_EINVAL,
				  "user name '%s' must be 2 to 64 lower case letters, digits, '.', '_' or '-'",
				  name);
	/* The actors sigap writes without an account: the public form
	 * ("publik") and a single-case link ("tautan"). An account of that
	 * name would be taken for them (case_participants, case_access.c). */
	if (strcmp(name, "publik") == 0 || strcmp(name, "tautan") == 0)
		return sg_err_set(e, SG_EINVAL, "the user name '%s' is reserved for sigap's own records", name);
	if (check_roles(a, roles, n_roles, e) != 0)
		return -1;
	if (opd == NULL && has_agent(roles, n_roles))
		return sg_err_set(e, SG_EINVAL,
				  "an agen_siber acts for an OPD: give the user's OPD (--opd ABBREVIATION)");
	char hash[crypto_pwhash_STRBYTES];
	if (hash_password(password, hash, e) != 0)
		return -1;

	if (db_begin(a->db, e) != 0)
		return -1;
	int64_t id = 0, opd_id = 0;
	if (opd && opd_resolve(a, opd, &opd_id, e) != 0)
		goto fail;
	int rc = db_query_int(a->db, e, &id,
			      "INSERT INTO users (name, password_hash, must_change_password, created_at, opd_id) "
			      "VALUES (?, ?, ?, ?, ?) RETURNING id",
			      opd_id ? "ssiii" : "ssiin", name, hash, (int64_t)must_change, app_now(a),
			      opd_id);
	if (rc != DB_ROW) {
		if (e && e->code == SG_ECONFLICT)
			sg_err_set(e, SG_ECONFLICT, "user '%s' already exists", name);
		goto fail;
	}
	json_t *jr = json_array();
	for (size_t i = 0; i < n_roles; i++) {
		json_array_append_new(jr, json_string(roles[i]));
		if (db_run(a->db, e, "INSERT INTO user_roles (user_id, role) VALUES (?, ?)", "is", id,
			   roles[i]) != 0) {
			json_decref(jr);
			goto fail;
		}
	}
	json_t *details = json_pack("{s:s, s:o, s:b}", "name", name, "roles", jr,
				    "must_change_password", must_change);
	if (opd_id)
		json_object_set_new(details, "opd", json_integer(opd_id));
	char object[80];
	snprintf(object, sizeof object, "user:%s", name);
	rc = logbook_append(a, actor, "user.add", object, details, e);
	json_decref(details);
	if (rc != 0)
		goto fail;
	return db_commit(a->db, e);
fail:
	db_rollback(a->db);
	return -1;
}

/* Whether roles differ from the roles the user holds. */
static int roles_differ(app *a, int64_t id, const char *const *roles, size_t n, bool *differ,
			sg_err *e)
{
	int64_t held = 0;
	if (db_query_int(a->db, e, &held, "SELECT COUNT(*) FROM user_roles WHERE user_id = ?", "i",
			 id) != DB_ROW)
		return -1;
	*differ = held != (int64_t)n;
	for (size_t i = 0; i < n && !*differ; i++) {
		int64_t has = 0;
		if (db_query_int(a->db, e, &has,
				 "SELECT COUNT(*) FROM user_roles WHERE user_id = ? AND role = ?", "is",
				 id, roles[i]) != DB_ROW)
			return -1;
		*differ = has == 0;
	}
	return 0;
}

int user_update(app *a, const char *actor, const char *name, const char *const *roles,
		size_t n_roles, int disabled, int64_t *sessions_ended, sg_err *e)
{
	int64_t ended_none;
	if (sessions_ended == NULL)
		sessions_ended = &ended_none;
	*sessions_ended = 0;
	if (roles && check_roles(a, roles, n_roles, e) != 0)
		return -1;
	if (disabled == 1 && strcmp(actor, name) == 0)
		return sg_err_set(e, SG_EINVAL, "you cannot disable your own account");
	if (roles && strcmp(actor, name) == 0) {
		bool admin = false;
		for (size_t i = 0; i < n_roles; i++)
			admin |= strcmp(roles[i], "admin") == 0;
		if (!admin)
			return sg_err_set(e, SG_EINVAL, "you cannot take the admin role from your own account");
		/* Nor give itself a role it does not hold: an administrator who
		 * made itself kabid would read every case (need-to-know). Another
		 * administrator grants it, in the logbook under that name. */
		sg_err ignore;
		json_t *held = user_roles(a, actor, &ignore);
		for (size_t i = 0; i < n_roles; i++)
			if (!roles_hold(held, roles[i])) {
				json_decref(held);
				return sg_err_set(e, SG_EPERM,
						  "you cannot give your own account the role '%s': another "
						  "administrator must",
						  roles[i]);
			}
		json_decref(held);
	}
	if (db_begin(a->db, e) != 0)
		return -1;
	int64_t id = 0;
	int rc = db_query_int(a->db, e, &id, "SELECT id FROM users WHERE name = ?", "s", name);
	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			sg_err_set(e, SG_ENOTFOUND, "no user '%s'", name);
		goto fail;
	}
	if (roles && has_agent(roles, n_roles)) {
		int64_t opd_id = 0;
		if (db_query_int(a->db, e, &opd_id, "SELECT COALESCE(opd_id, 0) FROM users WHERE id = ?",
				 "i", id) != DB_ROW)
			goto fail;
		if (opd_id == 0) {
			sg_err_set(e, SG_EINVAL,
				   "an agen_siber acts for an OPD: place %s in one first (sigap user opd)",
				   name);
			goto fail;
		}
	}
	json_t *d = json_pack("{s:s}", "name", name);
	app_roles_forget(a); /* what this request knew of roles is read again */
	bool new_roles = false;
	if (roles && roles_differ(a, id, roles, n_roles, &new_roles, e) != 0)
		goto fail_d;
	if (roles) {
		json_t *jr = json_array();
		for (size_t i = 0; i < n_roles; i++)
			json_array_append_new(jr, json_string(roles[i]));
		json_object_set_new(d, "roles", jr);
		if (db_run(a->db, e, "DELETE FROM user_roles WHERE user_id = ?", "i", id) != 0)
			goto fail_d;
		for (size_t i = 0; i < n_roles; i++)
			if (db_run(a->db, e, "INSERT INTO user_roles (user_id, role) VALUES (?, ?)", "is",
				   id, roles[i]) != 0)
				goto fail_d;
	}
	if (disabled >= 0) {
		json_object_set_new(d, "disabled", json_boolean(disabled));
		if (db_run(a->db, e, "UPDATE users SET disabled = ? WHERE id = ?", "ii",
			   (int64_t)disabled, id) != 0)
			goto fail_d;
	}
	/* A disabled account is signed out everywhere at once; so is one whose
	 * roles changed, so no session goes on with roles it no longer has. */
	if (disabled == 1 || new_roles) {
		if (end_sessions(a, id, NULL, sessions_ended, e) != 0)
			goto fail_d;
		json_object_set_new(d, "sessions_ended", json_integer(*sessions_ended));
	}
	char object[80];
	snprintf(object, sizeof object, "user:%s", name);
	rc = logbook_append(a, actor, "user.update", object, d, e);
	json_decref(d);
	if (rc != 0 || db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail_d:
	json_decref(d);
fail:
	db_rollback(a->db);
	return -1;
}

json_t *user_list(app *a, sg_err *e)
{
	db_stmt *st;
	if (db_prepare(a->db,
		       "SELECT u.name, u.disabled, u.must_change_password, u.created_at, "
		       "(SELECT group_concat(role, ',') FROM (SELECT role FROM user_roles r "
		       " WHERE r.user_id = u.id ORDER BY role) AS ur), "
		       "(SELECT abbrev FROM opd o WHERE o.id = u.opd_id) "
		       "FROM users u ORDER BY u.name",
		       &st, e) != 0)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_t *roles = json_array();
		const char *csv = db_col_text(st, 4);
		while (csv && *csv) {
			size_t n = strcspn(csv, ",");
			json_array_append_new(roles, json_stringn(csv, n));
			csv += n + (csv[n] == ',');
		}
		json_array_append_new(out, json_pack("{s:s, s:o, s:b, s:b, s:I}", "name",
						     db_col_text(st, 0), "roles", roles, "disabled",
						     (int)db_col_int(st, 1), "must_change_password",
						     (int)db_col_int(st, 2), "created_at",
						     (json_int_t)db_col_int(st, 3)));
		json_object_set_new(json_array_get(out, json_array_size(out) - 1), "opd",
				    db_col_null(st, 5) ? json_null() : json_string(db_col_text(st, 5)));
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *user_roles(app *a, const char *name, sg_err *e)
{
	if (a->memo_roles && strcmp(a->memo_user, name) == 0)
		return json_copy(a->memo_roles);
	int64_t disabled = 0;
	int rc = db_query_int(a->db, e, &disabled, "SELECT disabled FROM users WHERE name = ?", "s", name);
	if (rc < 0)
		return NULL;
	if (rc == DB_DONE) {
		sg_err_set(e, SG_ENOTFOUND, "no user '%s'", name);
		return NULL;
	}
	if (disabled) {
		sg_err_set(e, SG_EPERM, "user '%s' is disabled", name);
		return NULL;
	}
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT role FROM user_roles r JOIN users u ON u.id = r.user_id "
			    "WHERE u.name = ? ORDER BY role",
			    "s", name) != 0)
		return NULL;
	json_t *out = json_array();
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(out, json_string(db_col_text(st, 0)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	if (a->memo_request && strlen(name) < sizeof a->memo_user) {
		json_decref(a->memo_roles);
		a->memo_roles = json_copy(out);
		snprintf(a->memo_user, sizeof a->memo_user, "%s", name);
	}
	return out;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	char pw[17];
	random_token(pw, 16);
	if (crypto_pwhash_str_alg(dummy_hash, pw, 16, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		dummy_hash[0] = '\0';
}

int user_check_password(app *a, const char *name, const char *password, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
			    "SELECT password_hash, disabled FROM users WHERE name = ?", "s", name) != 0)
		return -1;
	int rc = db_step(st, e);
	bool ok = false, disabled = false;
	if (rc == DB_ROW) {
		ok = crypto_pwhash_str_verify(db_col_text(st, 0), password, strlen(password)) == 0;
		disabled = db_col_int(st, 1) != 0;
	} else if (rc == DB_DONE) {
		/* An unknown name costs the same time as a wrong password, so
		 * the answer's timing does not tell which names exist. */
		pthread_once(&dummy_once, make_dummy);
		if (crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
			ok = false; /* a random password nobody knows */
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	if (!ok || disabled)
		return sg_err_set(e, SG_EPERM, "wrong user name or password");
	return 0;
}

int user_holds(app *a, const char *user, const char *role, sg_err *e)
{
	json_t *roles = user_roles(a, user, e);
	if (roles == NULL)
		return -1;
	bool ok = roles_hold(roles, role);
	json_decref(roles);
	return ok ? 1 : 0;
}

/* ---- a user's address for messages (outbox.c) ---- */

static bool hhmm(const char *s, int *min)
{
	if (!(s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' && s[2] == ':' &&
	      s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9'))
		return false;
	int h = (s[0] - '0') * 10 + (s[1] - '0');
	*min = h * 60 + (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24;
}

static bool quiet_parse(const char *s, int *from, int *to)
{
	return s && strlen(s) == 11 && s[5] == '-' && hhmm(s, from) && hhmm(s + 6, to) &&
	       *from != *to;
}

bool telegram_chat_valid(const char *s)
{
	size_t n = strlen(s);
	if (s[0] == '@')
		return n >= 6 && n <= 33 &&
		       strspn(s + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
		           n - 1;
	size_t sign = s[0] == '-';
	return n > sign && n - sign <= 20 && strspn(s + sign, "0123456789") == n - sign;
}

bool quiet_hours_valid(const char *s)
{
	int f, t;
	return quiet_parse(s, &f, &t);
}

int64_t quiet_hours_end(const char *q, const civil_zone *z, int64_t now)
{
	int from, to;
	if (!quiet_parse(q, &from, &to))
		return now;
	int64_t local = now + (int64_t)z->offset_min * 60;
	int64_t sec = ((local % 86400) + 86400) % 86400; /* of the local day */
	int64_t a = from * 60, b = to * 60;
	if (a < b) /* 12:00-13:00 */
		return sec >= a && sec < b ? now + (b - sec) : now;
	if (sec >= a) /* 22:00-06:00, before midnight */
		return now + (86400 - sec) + b;
	return sec < b ? now + (b - sec) : now;
}

json_t *user_contact(app *a, const char *actor, const char *name, sg_err *e)
{
	/* the user, an admin, or the machine's owner (the command line) */
	if (strcmp(actor, name) != 0 && strncmp(actor, "cli:", 4) != 0) {
		sg_err ignore = {0};
		if (user_holds(a, actor, "admin", &ignore) != 1) {
			sg_err_set(e, SG_EPERM, "a user's contact is theirs and the admin's");
			return NULL;
		}
	}
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT email, notify_email, quiet_hours, telegram_chat, language "
	                    "FROM users WHERE name = ?",
	                    "s", name) != 0)
		return NULL;
	json_t *out = NULL;
	int rc = db_step(st, e);
	if (rc == DB_ROW)
		out = json_pack("{s:s, s:o, s:b, s:o, s:o, s:s}", "user", name, "email",
		                col_json_text(st, 0), "email_on", db_col_int(st, 1) != 0,
		                "quiet_hours", col_json_text(st, 2), "telegram_chat",
		                col_json_text(st, 3), "language", db_col_text(st, 4));
	else if (rc == DB_DONE)
		sg_err_set(e, SG_ENOTFOUND, "no user '%s'", name);
	db_finalize(st);
	return out;
}

int user_set_contact(app *a, const char *actor, const char *name, const user_contact_in *in,
                     sg_err *e)
{
	json_t *before = user_contact(a, actor, name, e);
	if (before == NULL)
		return -1;
	json_decref(before);
	if (in->email && *in->email && !notify_email_valid(in->email))
		return sg_err_set(e, SG_EINVAL,
		                  "'%s' is not an e-mail address sigap writes to (name@domain, "
		                  "without spaces)",
		                  in->email);
	if (in->quiet_hours && *in->quiet_hours && !quiet_hours_valid(in->quiet_hours))
		return sg_err_set(e, SG_EINVAL,
		                  "quiet hours '%s' must be two times of day, such as 22:00-06:00",
		                  in->quiet_hours);
	if (in->telegram_chat && *in->telegram_chat && !telegram_chat_valid(in->telegram_chat))
		return sg_err_set(e, SG_EINVAL,
		                  "'%s' is not a Telegram chat: its number (from the bot's "
		                  "getUpdates, or @userinfobot) or @name",
		                  in->telegram_chat);
	if (in->language && strcmp(in->language, "id") != 0 && strcmp(in->language, "en") != 0)
		return sg_err_set(e, SG_EINVAL,
		                  "language '%s' must be id (Bahasa Indonesia) or en (English)",
		                  in->language);
	if (db_begin(a->db, e) != 0)
		return -1;
	if ((in->language && db_run(a->db, e, "UPDATE users SET language = ? WHERE name = ?", "ss",
	                            in->language, name) != 0) ||
	    (in->telegram_chat &&
	     db_run(a->db, e, "UPDATE users SET telegram_chat = ? WHERE name = ?", "ss",
	            *in->telegram_chat ? in->telegram_chat : NULL, name) != 0) ||
	    (in->email && db_run(a->db, e, "UPDATE users SET email = ? WHERE name = ?", "ss",
	                         *in->email ? in->email : NULL, name) != 0) ||
	    (in->email_on >= 0 &&
	     db_run(a->db, e, "UPDATE users SET notify_email = ? WHERE name = ?", "is",
	            (int64_t)(in->email_on != 0), name) != 0) ||
	    (in->quiet_hours && db_run(a->db, e, "UPDATE users SET quiet_hours = ? WHERE name = ?",
	                               "ss", *in->quiet_hours ? in->quiet_hours : NULL, name) != 0))
		goto fail;
	json_t *after = user_contact(a, actor, name, e);
	if (after == NULL)
		goto fail;
	char object[96];
	snprintf(object, sizeof object, "user:%s", name);
	int rc = logbook_append(a, actor, "user.contact", object, after, e);
	json_decref(after);
	if (rc != 0 || db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}
