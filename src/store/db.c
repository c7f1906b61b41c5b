/*
 * db.c: the database interface of db.h, dispatching to a driver.
 *
 * Keeps the connection and the driver together, offers the convenience
 * calls (prepare-and-bind, run, query one integer) once for all drivers,
 * and applies migrations when a database is opened.
 *
 * Prepared statements are kept per connection, keyed by their SQL text:
 * the app prepares the same few dozen statements over and over (a live
 * input writes an alert with four of them), and parsing SQL was a tenth
 * of that work. A statement in use is never handed out twice; a finalized
 * one is reset and returned to the cache.
 */
#include "db.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db_driver.h"

enum { STMT_CACHE = 64 };

typedef struct cached_stmt {
	char *sql;
	const char *asked; /* where the caller's text was when it last asked */
	uint64_t hash;
	void *st;
	bool in_use;
} cached_stmt;

struct db {
	const db_driver *drv;
	void *conn;
	int version;
	bool in_tx;
	int depth; /* savepoints open inside the transaction (db_begin nested) */
	cached_stmt cache[STMT_CACHE];
	int n_cache, next_victim;
};

struct db_stmt {
	const db_driver *drv;
	void *st;
	cached_stmt *slot; /* NULL when not cached */
};

static uint64_t sql_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* A free slot for a new statement: an empty one, or the next one not in
 * use, whose statement is finalized; NULL when all are in use. */
static cached_stmt *cache_slot(db *d)
{
	if (d->n_cache < STMT_CACHE)
		return &d->cache[d->n_cache++];
	for (int k = 0; k < STMT_CACHE; k++) {
		cached_stmt *c = &d->cache[(d->next_victim + k) % STMT_CACHE];
		if (!c->in_use) {
			d->next_victim = (d->next_victim + k + 1) % STMT_CACHE;
			d->drv->finalize(c->st);
			free(c->sql);
			memset(c, 0, sizeof *c);
			return c;
		}
	}
	return NULL;
}

bool db_target_is_postgres(const char *target)
{
	return strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0;
}

/* Appends len bytes of p to out (n bytes), as far as they fit. */
static void put(char *out, size_t n, size_t *k, const char *p, size_t len)
{
	while (len-- > 0 && *k + 1 < n)
		out[(*k)++] = *p++;
	out[*k] = '\0';
}

void db_target_shown(const char *t, char *out, size_t n)
{
	size_t k = 0;
	out[0] = '\0';
	if (!db_target_is_postgres(t)) {
		put(out, n, &k, t, strlen(t));
		return;
	}
	/* postgresql://user:PASSWORD@host… */
	const char *p = t, *auth = strstr(t, "://") + 3;
	const char *end = auth + strcspn(auth, "/?");
	const char *at = memchr(auth, '@', (size_t)(end - auth));
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon) {
		put(out, n, &k, t, (size_t)(colon + 1 - t));
		put(out, n, &k, "***", 3);
		p = at;
	}
	/* …?password=PASSWORD&… */
	const char *q = strchr(p, '?');
	put(out, n, &k, p, q ? (size_t)(q + 1 - p) : strlen(p));
	for (p = q ? q + 1 : ""; *p;) {
		size_t len = strcspn(p, "&");
		if (strncmp(p, "password=", 9) == 0) {
			put(out, n, &k, p, 9);
			put(out, n, &k, "***", 3);
		} else {
			put(out, n, &k, p, len);
		}
		p += len;
		if (*p == '&')
			put(out, n, &k, p++, 1);
	}
}

int db_target_check(const char *target, sg_err *e)
{
	const char *file = strncmp(target, "sqlite:", 7) == 0 ? target + 7 : target;
	size_t scheme = strspn(target, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	if (!db_target_is_postgres(target) && scheme > 0 && strncmp(target + scheme, "://", 3) == 0)
		return sg_err_set(e, SG_EINVAL,
		                  "'%.*s://' is no store sigap knows: give a PostgreSQL URL "
		                  "(postgresql://…, in lower case) or a SQLite file (a path, or sqlite:PATH)",
		                  (int)scheme, target);
	if (*file == '\0' || strcmp(file, ":memory:") == 0 || strncmp(file, "file:", 5) == 0)
		return sg_err_set(e, SG_EINVAL,
		                  "'%s' names no file: a SQLite store is a file (a path, or sqlite:PATH)",
		                  target);
	return 0;
}

int db_open(const char *target, db_open_mode mode, db **out, sg_err *e)
{
	*out = NULL;
	if (db_target_check(target, e) != 0)
		return -1;
	db *d = calloc(1, sizeof *d);
	if (d == NULL)
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	d->drv = &db_sqlite_driver;
	if (db_target_is_postgres(target))
		d->drv = &db_postgres_driver;
	else if (strncmp(target, "sqlite:", 7) == 0)
		target += 7;
	if (d->drv->open(target, mode, &d->conn, e) != 0) {
		free(d);
		return -1;
	}
	if (mode == DB_OPEN_READONLY) {
		/* read as it is, but not a schema this binary does not know */
		int64_t v = 0;
		if (db_query_int(d, e, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_version", "") !=
		    DB_ROW) {
			db_close(d);
			return -1;
		}
		if (v > db_schema_latest()) {
			db_close(d);
			return sg_err_set(e, SG_ESCHEMA,
			                  "the database has schema version %lld, newer than this sigap "
			                  "knows (%d); use the sigap that wrote it",
			                  (long long)v, db_schema_latest());
		}
		db_set_version(d, (int)v);
	} else if (db_migrate(d, e) != 0) {
		db_close(d);
		return -1;
	}
	*out = d;
	return 0;
}

int db_probe(const char *target, int *version, sg_err *e)
{
	*version = 0;
	if (db_target_check(target, e) != 0)
		return -1;
	db d = {0};
	d.drv = &db_sqlite_driver;
	if (db_target_is_postgres(target))
		d.drv = &db_postgres_driver;
	else if (strncmp(target, "sqlite:", 7) == 0)
		target += 7;
	/* read as it is: a check writes nothing, not even WAL's header */
	if (d.drv->open(target, DB_OPEN_READONLY, &d.conn, e) != 0)
		return -1;
	sg_err quiet = {0};
	int64_t v = 0;
	int rc = 0;
	if (db_query_int(&d, &quiet, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_version", "") ==
	    DB_ROW)
		*version = (int)v;
	else if (!strstr(quiet.msg, "no such table") && !strstr(quiet.msg, "does not exist"))
		rc = sg_err_set(e, SG_EDB, "cannot be read: %s", quiet.msg); /* not "no schema" */
	for (int i = 0; i < d.n_cache; i++) {
		if (d.cache[i].st)
			d.drv->finalize(d.cache[i].st);
		free(d.cache[i].sql);
	}
	d.drv->close(d.conn);
	return rc;
}

const db_driver *db_driver_of(db *d)
{
	return d->drv;
}

const char *db_store_name(db *d)
{
	return d->drv->name;
}

void db_close(db *d)
{
	if (d == NULL)
		return;
	for (int i = 0; i < d->n_cache; i++) {
		if (d->cache[i].st)
			d->drv->finalize(d->cache[i].st);
		free(d->cache[i].sql);
	}
	d->drv->close(d->conn);
	free(d);
}

int db_exec(db *d, const char *sql, sg_err *e)
{
	return d->drv->exec(d->conn, sql, e);
}

int db_prepare(db *d, const char *sql, db_stmt **out, sg_err *e)
{
	*out = NULL;
	db_stmt *s = malloc(sizeof *s);
	if (s == NULL)
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	s->drv = d->drv;
	s->slot = NULL;
	/* A statement is nearly always a literal, asked for again from the
	 * same address: found by that, and its text compared whole, before
	 * the text is hashed byte by byte (a scanner import asks for six
	 * statements a result, of up to 600 bytes each). */
	cached_stmt *hit = NULL;
	for (int i = 0; i < d->n_cache && hit == NULL; i++) {
		cached_stmt *c = &d->cache[i];
		if (c->asked == sql && !c->in_use && c->st && strcmp(c->sql, sql) == 0)
			hit = c;
	}
	uint64_t h = hit ? 0 : sql_hash(sql);
	for (int i = 0; i < d->n_cache && hit == NULL; i++) {
		cached_stmt *c = &d->cache[i];
		if (!c->in_use && c->st && c->hash == h && strcmp(c->sql, sql) == 0)
			hit = c;
	}
	if (hit) {
		hit->asked = sql;
		hit->in_use = true;
		s->st = hit->st;
		s->slot = hit;
		*out = s;
		return 0;
	}
	if (d->drv->prepare(d->conn, sql, &s->st, e) != 0) {
		free(s);
		return -1;
	}
	cached_stmt *c = cache_slot(d);
	if (c && (c->sql = strdup(sql)) != NULL) {
		c->hash = h;
		c->asked = sql;
		c->st = s->st;
		c->in_use = true;
		s->slot = c;
	}
	*out = s;
	return 0;
}

/* held: the caller's strings outlive the statement's run (db_run,
 * db_insert and db_query_int step and reset it before they return), so
 * the driver need not copy them: a scanner import binds some 2 KB of
 * text a finding. */
static int bind_va(db_stmt *s, const char *fmt, va_list ap, bool held, sg_err *e)
{
	for (int i = 0; fmt[i]; i++) {
		int r;
		switch (fmt[i]) {
		case 'i': r = db_bind_int(s, i + 1, va_arg(ap, int64_t)); break;
		case 's': r = s->drv->bind_text(s->st, i + 1, va_arg(ap, const char *), held); break;
		case 'n': r = db_bind_null(s, i + 1); break;
		case 'r': r = db_bind_real(s, i + 1, va_arg(ap, double)); break;
		default: return sg_err_set(e, SG_EDB, "bad bind format '%c'", fmt[i]);
		}
		if (r != 0)
			return sg_err_set(e, SG_EDB, "cannot bind parameter %d", i + 1);
	}
	return 0;
}

/* Prepares sql and binds ap by fmt: the statement, or NULL with e set. */
static db_stmt *prepare_va(db *d, sg_err *e, const char *sql, const char *fmt, va_list ap,
			   bool held)
{
	db_stmt *s;
	if (db_prepare(d, sql, &s, e) != 0)
		return NULL;
	if (bind_va(s, fmt, ap, held, e) != 0) {
		db_finalize(s);
		return NULL;
	}
	return s;
}

int db_prepare_bind(db *d, db_stmt **out, sg_err *e, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	*out = prepare_va(d, e, sql, fmt, ap, false);
	va_end(ap);
	return *out ? 0 : -1;
}

int db_bind_int(db_stmt *s, int idx, int64_t v) { return s->drv->bind_int(s->st, idx, v); }
int db_bind_text(db_stmt *s, int idx, const char *v) { return s->drv->bind_text(s->st, idx, v, false); }
int db_bind_null(db_stmt *s, int idx) { return s->drv->bind_null(s->st, idx); }
int db_bind_real(db_stmt *s, int idx, double v) { return s->drv->bind_real(s->st, idx, v); }
int db_step(db_stmt *s, sg_err *e) { return s->drv->step(s->st, e); }
int64_t db_col_int(db_stmt *s, int col) { return s->drv->col_int(s->st, col); }
double db_col_real(db_stmt *s, int col) { return s->drv->col_real(s->st, col); }
const char *db_col_text(db_stmt *s, int col) { return s->drv->col_text(s->st, col); }
bool db_col_null(db_stmt *s, int col) { return s->drv->col_null(s->st, col); }
int db_reset(db_stmt *s) { return s->drv->reset(s->st); }

void db_finalize(db_stmt *s)
{
	if (s == NULL)
		return;
	if (s->slot) {
		s->drv->reset(s->st); /* bindings cleared, read ended */
		s->slot->in_use = false;
	} else {
		s->drv->finalize(s->st);
	}
	free(s);
}

int db_run(db *d, sg_err *e, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	db_stmt *s = prepare_va(d, e, sql, fmt, ap, true);
	va_end(ap);
	if (s == NULL)
		return -1;
	int r;
	while ((r = db_step(s, e)) == DB_ROW)
		;
	db_finalize(s);
	return r < 0 ? -1 : 0;
}

int db_run_nowait(db *d, sg_err *e, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	db_stmt *s = prepare_va(d, e, sql, fmt, ap, true);
	va_end(ap);
	if (s == NULL)
		return -1;
	d->drv->wait_for_writers(d->conn, false);
	int r;
	while ((r = db_step(s, e)) == DB_ROW)
		;
	d->drv->wait_for_writers(d->conn, true);
	db_finalize(s);
	return r < 0 ? -1 : 0;
}

int db_insert(db *d, sg_err *e, int64_t *id, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	db_stmt *s = prepare_va(d, e, sql, fmt, ap, true);
	va_end(ap);
	if (s == NULL)
		return -1;
	int r = db_step(s, e);
	if (r == DB_ROW)
		r = sg_err_set(e, SG_EDB, "db_insert: the statement returned rows");
	else if (r == DB_DONE)
		*id = d->drv->last_id(d->conn);
	db_finalize(s);
	return r;
}

int db_query_int(db *d, sg_err *e, int64_t *out, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	db_stmt *s = prepare_va(d, e, sql, fmt, ap, true);
	va_end(ap);
	if (s == NULL)
		return -1;
	int r = db_step(s, e);
	if (r == DB_ROW)
		*out = db_col_int(s, 0);
	db_finalize(s);
	return r;
}

/* Nested, a begin is a savepoint and its commit or rollback that of the
 * savepoint: a function that commits its own change may run inside a
 * caller's transaction, whose commit then makes the whole lasting. */
int db_begin(db *d, sg_err *e)
{
	if (d->in_tx) {
		char sql[48];
		snprintf(sql, sizeof sql, "SAVEPOINT sigap_%d", d->depth + 1);
		if (db_exec(d, sql, e) != 0)
			return -1;
		d->depth++;
		return 0;
	}
	if (db_exec(d, d->drv->begin_sql, e) != 0)
		return -1;
	d->in_tx = true;
	d->depth = 0;
	return 0;
}

int db_commit(db *d, sg_err *e)
{
	if (d->depth > 0) {
		char sql[48];
		snprintf(sql, sizeof sql, "RELEASE SAVEPOINT sigap_%d", d->depth);
		if (db_exec(d, sql, e) != 0) {
			/* the whole transaction is lost with it: the caller's own
			 * db_rollback after a failed commit then does nothing,
			 * rather than undo its caller's savepoint too */
			d->drv->exec(d->conn, "ROLLBACK", NULL);
			d->in_tx = false;
			d->depth = 0;
			return -1;
		}
		d->depth--;
		return 0;
	}
	if (db_exec(d, "COMMIT", e) != 0) {
		db_rollback(d);
		return -1;
	}
	d->in_tx = false;
	return 0;
}

void db_rollback(db *d)
{
	if (!d->in_tx)
		return;
	if (d->depth > 0) {
		char sql[96];
		snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT sigap_%d; RELEASE SAVEPOINT sigap_%d",
			 d->depth, d->depth);
		d->drv->exec(d->conn, sql, NULL);
		d->depth--;
		return;
	}
	d->drv->exec(d->conn, "ROLLBACK", NULL);
	d->in_tx = false;
}

bool db_in_tx(db *d)
{
	return d->in_tx;
}

int db_serialize(db *d, const char *name, sg_err *e)
{
	if (!d->in_tx)
		return sg_err_set(e, SG_EDB, "db_serialize(%s) outside a transaction", name);
	if (d->drv->serialize_sql == NULL)
		return 0;
	return db_run(d, e, d->drv->serialize_sql, "s", name);
}

int64_t db_changes(db *d)
{
	return d->drv->changes(d->conn);
}

int db_schema_version(db *d)
{
	return d->version;
}

void db_set_version(db *d, int v)
{
	d->version = v;
}

int db_backup(db *d, const char *path, void (*progress)(int left, int total, void *), void *arg,
              sg_err *e)
{
	if (d->drv->backup == NULL)
		return sg_err_set(e, SG_EINVAL,
		                  "a %s store is backed up with its own tools (pg_dump, streaming "
		                  "replication): see docs/operations.md",
		                  d->drv->name);
	return d->drv->backup(d->conn, path, progress, arg, e);
}
