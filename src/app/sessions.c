/*
 * sessions.c: signing in: browser sessions, API tokens and the back-off
 * after failed logins.
 *
 * A session id and an API token are random (256 and 200 bits) and live
 * only with their holder; the database keeps their SHA-256, so a copy of
 * it opens nothing. A session ends after [web] session_idle seconds
 * without a request or session_max seconds after login, whichever comes
 * first. Each session carries its own CSRF token.
 *
 * Failed logins are counted in the database (table login_throttle, so the
 * counts hold across restarts and across several sigap nodes) in three
 * scopes, each with its own free failures before the first wait, then
 * 2 s doubling at each failure up to 15 minutes:
 *
 *   pair     one client address and one user name: 5 free. Guessing one
 *            account's password from one address.
 *   address  one client address, whatever the names: 20 free. Password
 *            spraying: a few passwords tried on many names. An IPv6
 *            client counts by its /64, which one host commonly holds whole.
 *   name     one user name, whatever the addresses: 10 free. An attacker
 *            rotating addresses. This wait holds only for addresses that
 *            have themselves failed for the name in the last day; an
 *            address with no failures for it is never kept out, so
 *            strangers cannot lock the owner (the admin included) out
 *            of an account: the owner signs in from a clean address.
 *
 * An attempt waits for the longest lock that holds for it, and is refused
 * without a check (and without a write) while it lasts. A checked attempt
 * is counted before the password is checked, in one transaction, so
 * parallel attempts cannot slip past a lock the first ones earn; a right
 * password takes the count back and clears its address's failures for
 * the name. One failure is forgiven for every 15 minutes without one, so
 * occasional typing mistakes (an office behind one address) never add
 * up, while an attacker is held to about four checked tries an hour a
 * scope once the wait has reached 15 minutes; rows quiet for a day are
 * deleted. An attacker with many addresses still gets one try a name from
 * each fresh address (the price of never locking the owner out) within
 * each address's own free failures. Behind a proxy every client has the
 * proxy's address, so the address and pair scopes count all clients
 * together. Each lock is written to the logbook once, when it begins
 * (user.login_backoff on "user:NAME" or "address:ADDR").
 */
#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/hash.h"

enum {
	PAIR_FREE = 5,
	ADDRESS_FREE = 20,
	NAME_FREE = 10,
	LOCK_MAX = 900,    /* the longest wait, seconds */
	FORGIVE = 900,     /* one failure forgiven per this many quiet seconds */
	DIRTY_FOR = 86400, /* a row is forgotten a day after its last failure */
	SEEN_GRANULARITY = 60
};

static void random_hex(char *out, size_t bytes)
{
	unsigned char raw[64];
	randombytes_buf(raw, bytes);
	sodium_bin2hex(out, bytes * 2 + 1, raw, bytes);
}

/* ---- the back-off after failed logins ---- */

/* The three counts of failed logins, each a row of login_throttle. */
enum { SCOPE_ADDRESS, SCOPE_PAIR, SCOPE_NAME, N_SCOPES };

static const struct {
	const char *scope;
	int64_t free; /* failures before the first wait */
} SCOPES[N_SCOPES] = {
    [SCOPE_ADDRESS] = {"address", ADDRESS_FREE},
    [SCOPE_PAIR] = {"pair", PAIR_FREE},
    [SCOPE_NAME] = {"name", NAME_FREE},
};

typedef struct throttle_row {
	char subject[160];
	bool exists;
	int64_t failures, last_at, locked_until; /* as read */
	int64_t new_failures, new_locked;        /* as written for this attempt */
} throttle_row;

typedef struct throttle {
	throttle_row row[N_SCOPES];
	int64_t now;
} throttle;

/* The wait after `failures` failures of a scope: none while free, then
 * 2 s doubling at each failure, 15 minutes at most. */
static int64_t backoff(int64_t failures, int64_t free)
{
	if (failures < free)
		return 0;
	int64_t wait = 2;
	for (int64_t i = free; i < failures && wait < LOCK_MAX; i++)
		wait *= 2;
	return wait < LOCK_MAX ? wait : LOCK_MAX;
}

/* A user name as a key: at most 64 bytes (no user has a longer one), cut
 * on a character boundary. */
static void name_key(const char *name, char out[65])
{
	size_t n = strlen(name);
	if (n > 64) {
		n = 64;
		while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, name, n);
	out[n] = '\0';
}

/* The address a count is kept for: an IPv6 client by its /64, which one
 * host is commonly given whole (counting each of its addresses apart would
 * give it 2^64 fresh addresses); an IPv4 client, mapped into IPv6 or not,
 * by its address. */
void app_address_key(const char *origin, char *out, size_t n)
{
	struct in6_addr a6;
	if (strchr(origin, ':') && inet_pton(AF_INET6, origin, &a6) == 1) {
		char text[INET6_ADDRSTRLEN];
		if (IN6_IS_ADDR_V4MAPPED(&a6)) {
			inet_ntop(AF_INET, &a6.s6_addr[12], text, sizeof text);
			snprintf(out, n, "%s", text);
			return;
		}
		memset(&a6.s6_addr[8], 0, 8);
		inet_ntop(AF_INET6, &a6, text, sizeof text);
		snprintf(out, n, "%s/64", text);
		return;
	}
	snprintf(out, n, "%s", origin);
}

/* A row counts while its last failure is less than a day old. */
static int throttle_read(app *a, throttle_row *t, const char *scope, int64_t now, sg_err *e)
{
	db_stmt *st;
	if (db_prepare_bind(a->db, &st, e,
	                    "SELECT failures, last_at, locked_until FROM login_throttle "
	                    "WHERE scope = ? AND subject = ?",
	                    "ss", scope, t->subject) != 0)
		return -1;
	int rc = db_step(st, e);
	t->exists = rc == DB_ROW && db_col_int(st, 1) >= now - DIRTY_FOR;
	if (t->exists) {
		t->failures = db_col_int(st, 0);
		t->last_at = db_col_int(st, 1);
		t->locked_until = db_col_int(st, 2);
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* Reads the three rows and the wait that holds for this attempt: the
 * longest lock among them, the name's only for an address that has
 * failed for the name (a clean address is never kept out by strangers). */
static int throttle_wait(app *a, throttle *t, int64_t *wait, sg_err *e)
{
	*wait = 0;
	for (int i = 0; i < N_SCOPES; i++)
		if (throttle_read(a, &t->row[i], SCOPES[i].scope, t->now, e) != 0)
			return -1;
	for (int i = 0; i < N_SCOPES; i++) {
		const throttle_row *r = &t->row[i];
		if (i == SCOPE_NAME && !t->row[SCOPE_PAIR].exists)
			continue;
		if (r->exists && r->locked_until - t->now > *wait)
			*wait = r->locked_until - t->now;
	}
	return 0;
}

/*
 * Before a password is checked: the wait this attempt must still sit out
 * (*wait > 0: refused, nothing counted), or the attempt is counted as a
 * failure in all three scopes at once, in one transaction, so parallel
 * attempts cannot slip past a lock the earlier ones will earn; a correct
 * password then takes its count back (throttle_undo).
 */
static int throttle_enter(app *a, throttle *t, const char *name, const char *origin, int64_t *wait,
                          sg_err *e)
{
	char nk[65], ak[64];
	name_key(name, nk);
	app_address_key(origin, ak, sizeof ak);
	memset(t, 0, sizeof *t);
	t->now = app_now(a);
	snprintf(t->row[SCOPE_ADDRESS].subject, sizeof t->row[0].subject, "%s", ak);
	snprintf(t->row[SCOPE_PAIR].subject, sizeof t->row[0].subject, "%s %s", ak, nk);
	snprintf(t->row[SCOPE_NAME].subject, sizeof t->row[0].subject, "%s", nk);
	/* A refused attempt writes nothing: a flood of them only reads. */
	if (throttle_wait(a, t, wait, e) != 0)
		return -1;
	if (*wait > 0)
		return 0;
	if (db_begin(a->db, e) != 0)
		return -1;
	/* Again inside the transaction, which no other attempt's overlaps
	 * (on PostgreSQL, other nodes' too): another may have counted. */
	if (db_serialize(a->db, "login", e) != 0)
		goto fail;
	if (throttle_wait(a, t, wait, e) != 0)
		goto fail;
	if (*wait > 0)
		return db_commit(a->db, e);
	/* Rows quiet for a day are forgotten, and with them an address's
	 * failures for a name: it is clean again. */
	if (db_run(a->db, e, "DELETE FROM login_throttle WHERE last_at < ?", "i",
	           t->now - DIRTY_FOR) != 0)
		goto fail;
	for (int i = 0; i < N_SCOPES; i++) {
		throttle_row *r = &t->row[i];
		int64_t kept = 0;
		if (r->exists) {
			/* One failure is forgiven for each FORGIVE seconds without
			 * one, so a trickle of typing mistakes never adds up. */
			kept = r->failures - (t->now - r->last_at) / FORGIVE;
			if (kept < 0)
				kept = 0;
		}
		r->new_failures = kept + 1;
		int64_t w = backoff(r->new_failures, SCOPES[i].free);
		r->new_locked = w ? t->now + w : 0;
		if (r->exists && r->locked_until > r->new_locked)
			r->new_locked = r->locked_until; /* a lock is never shortened */
		if (db_run(a->db, e,
		           "INSERT INTO login_throttle (scope, subject, failures, last_at, "
		           "locked_until) "
		           "VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope, subject) DO UPDATE SET "
		           "failures = excluded.failures, last_at = excluded.last_at, "
		           "locked_until = excluded.locked_until",
		           "ssiii", SCOPES[i].scope, r->subject, r->new_failures, t->now,
		           r->new_locked) != 0)
			goto fail;
	}
	return db_commit(a->db, e);
fail:
	db_rollback(a->db);
	return -1;
}

/* The password was right: the address's failures for this name are
 * forgotten, and the attempt's count is taken back from the address and
 * the name (as it was, unless another attempt has counted since). Call
 * inside a transaction. */
static int throttle_undo(app *a, const throttle *t, sg_err *e)
{
	if (db_run(a->db, e, "DELETE FROM login_throttle WHERE scope = ? AND subject = ?", "ss",
	           SCOPES[SCOPE_PAIR].scope, t->row[SCOPE_PAIR].subject) != 0)
		return -1;
	for (int i = 0; i < N_SCOPES; i++) {
		const throttle_row *r = &t->row[i];
		if (i == SCOPE_PAIR)
			continue;
		if (db_run(a->db, e,
		           "UPDATE login_throttle SET failures = ?, last_at = ?, locked_until = ? "
		           "WHERE scope = ? AND subject = ? AND failures = ? AND last_at = ? AND "
		           "locked_until = ?",
		           "iiissiii", r->exists ? r->failures : 0, r->exists ? r->last_at : t->now,
		           r->exists ? r->locked_until : 0, SCOPES[i].scope, r->subject,
		           r->new_failures, t->now, r->new_locked) != 0)
			return -1;
		if (db_changes(a->db) == 0 &&
		    db_run(a->db, e,
		           "UPDATE login_throttle SET failures = failures - 1 "
		           "WHERE scope = ? AND subject = ? AND failures > 0",
		           "ss", SCOPES[i].scope, r->subject) != 0)
			return -1;
		if (db_run(a->db, e,
		           "DELETE FROM login_throttle WHERE scope = ? AND subject = ? AND "
		           "failures = 0 AND locked_until <= ?",
		           "ssi", SCOPES[i].scope, r->subject, t->now) != 0)
			return -1;
	}
	return 0;
}

/* The password was wrong: a wait that begins with this failure (the
 * scope's count has just reached its free failures) goes to the logbook,
 * once a lock and not once a try. */
static void throttle_log(app *a, const throttle *t, const char *name, const char *origin)
{
	sg_err e;
	bool begun = false;
	for (int i = 0; i < N_SCOPES; i++)
		begun |= t->row[i].new_failures == SCOPES[i].free;
	if (!begun || db_begin(a->db, &e) != 0)
		return;
	for (int i = 0; i < N_SCOPES; i++) {
		const throttle_row *r = &t->row[i];
		if (r->new_failures != SCOPES[i].free)
			continue;
		char nk[65], object[200];
		name_key(name, nk);
		if (i == SCOPE_ADDRESS)
			snprintf(object, sizeof object, "address:%s",
			         t->row[SCOPE_ADDRESS].subject);
		else
			snprintf(object, sizeof object, "user:%s", nk);
		json_t *d = json_pack("{s:s, s:s, s:I, s:I}", "scope", SCOPES[i].scope, "origin",
		                      origin, "failures", (json_int_t)r->new_failures, "wait",
		                      (json_int_t)(r->new_locked - t->now));
		int rc = logbook_append(a, "sigap", "user.login_backoff", object, d, &e);
		json_decref(d);
		if (rc != 0) {
			db_rollback(a->db);
			return;
		}
	}
	if (db_commit(a->db, &e) != 0)
		db_rollback(a->db);
}

int session_check_password(app *a, const char *name, const char *password, const char *origin,
                           int64_t *wait, sg_err *e)
{
	*wait = 0;
	if (origin == NULL || *origin == '\0')
		origin = "?";
	throttle t;
	if (throttle_enter(a, &t, name, origin, wait, e) != 0)
		return -1;
	if (*wait > 0)
		return sg_err_set(e, SG_ESTATE,
		                  "too many failed sign-ins; try again in %lld seconds",
		                  (long long)*wait);
	if (user_check_password(a, name, password, e) != 0) {
		if (e->code == SG_EPERM)
			throttle_log(a, &t, name, origin);
		return -1;
	}
	if (db_begin(a->db, e) != 0)
		return -1;
	if (throttle_undo(a, &t, e) != 0 || db_commit(a->db, e) != 0) {
		db_rollback(a->db);
		return -1;
	}
	return 0;
}

int session_login(app *a, const char *name, const char *password, const char *origin, char sid[65],
                  int64_t *wait, sg_err *e)
{
	sid[0] = '\0';
	*wait = 0;
	if (origin == NULL || *origin == '\0')
		origin = "?";
	throttle t;
	if (throttle_enter(a, &t, name, origin, wait, e) != 0)
		return -1;
	if (*wait > 0)
		return sg_err_set(e, SG_ESTATE,
		                  "too many failed sign-ins; try again in %lld seconds",
		                  (long long)*wait);
	if (user_check_password(a, name, password, e) != 0) {
		if (e->code == SG_EPERM)
			throttle_log(a, &t, name, origin);
		return -1;
	}
	char csrf[65], hash[65];
	random_hex(sid, 32);
	random_hex(csrf, 32);
	sha256_hex(sid, 64, hash);
	int64_t now = app_now(a);
	if (db_begin(a->db, e) != 0)
		return -1;
	if (throttle_undo(a, &t, e) != 0 ||
	    db_run(a->db, e,
	           "INSERT INTO sessions (id_hash, user_id, csrf, created_at, seen_at, origin) "
	           "SELECT ?, id, ?, ?, ?, ? FROM users WHERE name = ?",
	           "ssiiss", hash, csrf, now, now, origin, name) != 0)
		goto fail;
	int r = logbook_record(a, name, "user.login", "user", name,
	                       json_pack("{s:s}", "origin", origin), e);
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
	/* One write a minute at most, not one a request, and none that
	 * would wait for another's long change (an import): the next
	 * request writes it */
	if (now - seen >= SEEN_GRANULARITY)
		db_run_nowait(a->db, NULL, "UPDATE sessions SET seen_at = ? WHERE id_hash = ?", "is",
		              now, hash);
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
		db_run_nowait(a->db, NULL,
		              "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", "is", now,
		              hash);
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
