/*
 * sessions.c: signing in: browser sessions, API tokens and the back-off
 * after failed logins.
 *
 * A session id and an API token are random (256 and 200 bits) and live
 * only with their holder; the database keeps their SHA-256, so a copy of
 * it opens nothing. A session ends after [web] session_idle seconds
 * without a request or session_max seconds after login, whichever comes
 * first. Each session carries its own CSRF token. After five failed logins
 * for one user name, each further attempt waits twice as long as the one
 * before (2 s, 4 s, … up to 15 minutes); the count is kept in the database,
 * so it holds across restarts and across several sigap nodes.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/hash.h"

enum { FREE_FAILURES = 5, LOCK_MAX = 900, SEEN_GRANULARITY = 60 };

static void random_hex(char *out, size_t bytes)
{
	unsigned char raw[64];
	randombytes_buf(raw, bytes);
	sodium_bin2hex(out, bytes * 2 + 1, raw, bytes);
}

/* Seconds the user must still wait, 0 when a login may be tried. */
static int64_t locked_for(app *a, const char *name, sg_err *e)
{
	int64_t until = 0;
	int rc = db_query_int(a->db, e, &until,
	                      "SELECT locked_until FROM login_failures WHERE name = ?", "s", name);
	if (rc < 0)
		return -1;
	int64_t now = app_now(a);
	return rc == DB_ROW && until > now ? until - now : 0;
}

static void record_failure(app *a, const char *name, const char *origin)
{
	int64_t now = app_now(a), failures = 0;
	sg_err e;
	if (db_begin(a->db, &e) != 0)
		return;
	if (db_query_int(a->db, &e, &failures,
	                 "INSERT INTO login_failures (name, failures, last_at, locked_until) "
	                 "VALUES (?, 1, ?, 0) ON CONFLICT (name) DO UPDATE SET "
	                 "failures = login_failures.failures + 1, last_at = excluded.last_at "
	                 "RETURNING failures",
	                 "si", name, now) != DB_ROW)
		goto fail;
	if (failures >= FREE_FAILURES) {
		int64_t wait = 2;
		for (int64_t i = FREE_FAILURES; i < failures && wait < LOCK_MAX; i++)
			wait *= 2;
		if (wait > LOCK_MAX)
			wait = LOCK_MAX;
		if (db_run(a->db, &e, "UPDATE login_failures SET locked_until = ? WHERE name = ?",
		           "is", now + wait, name) != 0)
			goto fail;
		if (failures == FREE_FAILURES) {
			json_t *d = json_pack("{s:s, s:I}", "origin", origin ? origin : "",
			                      "failures", (json_int_t)failures);
			char object[96];
			snprintf(object, sizeof object, "user:%s", name);
			int r = logbook_append(a, "sigap", "user.login_backoff", object, d, &e);
			json_decref(d);
			if (r != 0)
				goto fail;
		}
	}
	if (db_commit(a->db, &e) == 0)
		return;
fail:
	db_rollback(a->db);
}

int session_login(app *a, const char *name, const char *password, const char *origin, char sid[65],
                  sg_err *e)
{
	int64_t wait = locked_for(a, name, e);
	if (wait < 0)
		return -1;
	if (wait > 0)
		return sg_err_set(e, SG_ESTATE,
		                  "too many failed logins for this user; try again in %lld seconds",
		                  (long long)wait);
	if (user_check_password(a, name, password, e) != 0) {
		if (e->code == SG_EPERM)
			record_failure(a, name, origin);
		return -1;
	}
	char csrf[65], hash[65];
	random_hex(sid, 32);
	random_hex(csrf, 32);
	sha256_hex(sid, 64, hash);
	int64_t now = app_now(a);
	if (db_begin(a->db, e) != 0)
		return -1;
	if (db_run(a->db, e, "DELETE FROM login_failures WHERE name = ?", "s", name) != 0 ||
	    db_run(a->db, e,
	           "INSERT INTO sessions (id_hash, user_id, csrf, created_at, seen_at, origin) "
	           "SELECT ?, id, ?, ?, ?, ? FROM users WHERE name = ?",
	           "ssiiss", hash, csrf, now, now, origin ? origin : "", name) != 0)
		goto fail;
	int r = logbook_record(a, name, "user.login", "user", name,
	                       json_pack("{s:s}", "origin", origin ? origin : ""), e);
	if (r != 0 || db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	sid[0] = '\0';
	return -1;
}

int session_get(app *a, const char *sid, session_info *out, sg_err *e)
{
	memset(out, 0, sizeof *out);
	if (strlen(sid) != 64)
		return sg_err_set(e, SG_ENOTFOUND, "no such session");
	char hash[65];
	sha256_hex(sid, 64, hash);
	db_stmt *st;
	if (db_prepare_bind(
	        a->db, &st, e,
	        "SELECT u.name, s.csrf, s.created_at, s.seen_at, u.disabled, "
	        "u.must_change_password FROM sessions s JOIN users u ON u.id = s.user_id "
	        "WHERE s.id_hash = ?",
	        "s", hash) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc != DB_ROW) {
		db_finalize(st);
		return rc < 0 ? -1 : sg_err_set(e, SG_ENOTFOUND, "no such session");
	}
	snprintf(out->user, sizeof out->user, "%s", db_col_text(st, 0));
	snprintf(out->csrf, sizeof out->csrf, "%s", db_col_text(st, 1));
	int64_t created = db_col_int(st, 2), seen = db_col_int(st, 3);
	bool disabled = db_col_int(st, 4) != 0;
	out->must_change_password = db_col_int(st, 5) != 0;
	db_finalize(st);
	int64_t now = app_now(a);
	if (disabled || now - seen > a->cfg.session_idle || now - created > a->cfg.session_max) {
		db_run(a->db, NULL, "DELETE FROM sessions WHERE id_hash = ?", "s", hash);
		return sg_err_set(e, SG_ENOTFOUND, "the session has expired");
	}
	/* One write a minute at most, not one a request. */
	if (now - seen >= SEEN_GRANULARITY)
		db_run(a->db, NULL, "UPDATE sessions SET seen_at = ? WHERE id_hash = ?", "is", now,
		       hash);
	out->roles = user_roles(a, out->user, e);
	return out->roles ? 0 : -1;
}

void session_info_free(session_info *s)
{
	json_decref(s->roles);
	s->roles = NULL;
}

void session_logout(app *a, const char *sid)
{
	char hash[65];
	sha256_hex(sid, strlen(sid), hash);
	db_run(a->db, NULL, "DELETE FROM sessions WHERE id_hash = ?", "s", hash);
}

int token_new(app *a, const char *actor, const char *user, const char *name, char token[45],
              sg_err *e)
{
	if (name == NULL || *name == '\0' || strlen(name) > 100)
		return sg_err_set(e, SG_EINVAL, "a token needs a name of 1 to 100 characters");
	memcpy(token, "sgp_", 4);
	random_token(token + 4, 40);
	char hash[65];
	sha256_hex(token, 44, hash);
	if (db_begin(a->db, e) != 0)
		return -1;
	int64_t id = 0;
	int rc = db_query_int(a->db, e, &id,
	                      "INSERT INTO api_tokens (user_id, name, token_hash, created_at) "
	                      "SELECT id, ?, ?, ? FROM users WHERE name = ? RETURNING id",
	                      "ssis", name, hash, app_now(a), user);
	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			sg_err_set(e, SG_ENOTFOUND, "no user '%s'", user);
		goto fail;
	}
	int r = logbook_record(
	    a, actor, "token.create", "user", user,
	    json_pack("{s:s, s:s, s:I}", "user", user, "name", name, "id", (json_int_t)id), e);
	if (r != 0 || db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	token[0] = '\0';
	return -1;
}

int token_check(app *a, const char *token, session_info *out, sg_err *e)
{
	memset(out, 0, sizeof *out);
	if (strlen(token) != 44 || strncmp(token, "sgp_", 4) != 0)
		return sg_err_set(e, SG_ENOTFOUND, "not a sigap API token");
	char hash[65];
	sha256_hex(token, 44, hash);
	db_stmt *st;
	if (db_prepare_bind(
	        a->db, &st, e,
	        "SELECT u.name, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id "
	        "WHERE t.token_hash = ? AND t.revoked_at IS NULL",
	        "s", hash) != 0)
		return -1;
	int rc = db_step(st, e);
	if (rc != DB_ROW) {
		db_finalize(st);
		return rc < 0 ? -1 : sg_err_set(e, SG_ENOTFOUND, "unknown or revoked API token");
	}
	snprintf(out->user, sizeof out->user, "%s", db_col_text(st, 0));
	int64_t last = db_col_int(st, 1), now = app_now(a);
	db_finalize(st);
	if (now - last >= SEEN_GRANULARITY)
		db_run(a->db, NULL, "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?",
		       "is", now, hash);
	out->roles = user_roles(a, out->user, e);
	return out->roles ? 0 : -1;
}

json_t *token_list(app *a, const char *user, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT t.id, t.name, t.created_at, t.last_used_at, t.revoked_at "
	                    "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.name = ? "
	                    "ORDER BY t.id",
	                    "s", user) != 0)
		return NULL;
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW) {
		json_t *o =
		    json_pack("{s:I, s:s, s:I}", "id", (json_int_t)db_col_int(st, 0), "name",
		              db_col_text(st, 1), "created_at", (json_int_t)db_col_int(st, 2));
		json_object_set_new(o, "last_used_at",
		                    db_col_null(st, 3) ? json_null()
		                                       : json_integer(db_col_int(st, 3)));
		json_object_set_new(o, "revoked_at",
		                    db_col_null(st, 4) ? json_null()
		                                       : json_integer(db_col_int(st, 4)));
		json_array_append_new(arr, o);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

int token_revoke(app *a, const char *actor, const char *user, int64_t id, sg_err *e)
{
	if (db_begin(a->db, e) != 0)
		return -1;
	if (db_run(a->db, e,
	           "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL AND "
	           "user_id = (SELECT id FROM users WHERE name = ?)",
	           "iis", app_now(a), id, user) != 0)
		goto fail;
	if (db_changes(a->db) == 0) {
		sg_err_set(e, SG_ENOTFOUND, "user '%s' has no active token %lld", user,
		           (long long)id);
		goto fail;
	}
	int r = logbook_record(a, actor, "token.revoke", "user", user,
	                       json_pack("{s:s, s:I}", "user", user, "id", (json_int_t)id), e);
	if (r != 0 || db_commit(a->db, e) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(a->db);
	return -1;
}
