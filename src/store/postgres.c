/*
 * postgres.c: the PostgreSQL driver of db.h (libpq), for several sigap
 * nodes on one database server.
 *
 * A statement is sigap's SQL made PostgreSQL's by pg_sql.c, run with its
 * parameters by PQexecParams when first stepped; its rows are then read
 * from the result one step at a time. The whole result is fetched at
 * once, so a caller may run other statements on the connection while it
 * reads one, as it may on SQLite.
 *
 * A statement run again (db.c keeps them per connection, by their SQL) is
 * prepared on the server (PQprepare) and from then on executed by name:
 * the server parses it once and may keep its plan, where PQexecParams had
 * it parsed and planned at every run. A statement run once costs no extra
 * round trip. Prepared statements live as long as the server's session:
 * each connection counts those its cache let go, and past STALE_MAX it
 * drops them all (DEALLOCATE ALL, outside a transaction) and the live
 * ones are prepared again at their next run; a new session (after a
 * reconnection) likewise starts with none.
 *
 * Parameters carry the type their binding gives: an integer is int8, a
 * real float8, text and NULL are left to the server to infer from where
 * they stand. A parameter the server cannot infer (`? IS NULL` alone) is
 * sent as text from then on. A boolean column read as an integer is 1 or
 * 0, as SQLite gives it.
 *
 * Failures carry sigap's codes: a broken constraint is SG_ECONFLICT; a
 * lock not granted, a deadlock, a serialization failure or a server gone
 * is SG_EBUSY (a web client gets 503 with Retry-After); the rest SG_EDB.
 *
 * A connection lost (the server restarted, the network cut) is made again
 * by the next statement that runs outside a transaction, so a node
 * recovers by itself once the server is back. Inside a transaction
 * nothing is retried: its statements fail with SG_EBUSY until the caller
 * rolls it back, and none of its work was committed.
 */
#include <libpq-fe.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "db_driver.h"
#include "pg_sql.h"

enum { BOOLOID = 16, INT8OID = 20, TEXTOID = 25, FLOAT8OID = 701 };
enum { STALE_MAX = 64 };

extern const embed_file sigap_migrations_pg[];

typedef struct pg_conn {
	PGconn *pg;
	int64_t changes;
	bool in_tx; /* between db.c's BEGIN and its COMMIT or ROLLBACK */
	/* the server's prepared statements: valid while session is the
	 * statement's; stale: those let go and not yet dropped */
	uint64_t session;
	unsigned next_name;
	int stale;
} pg_conn;

typedef struct pg_param {
	char *value; /* NULL: SQL NULL */
	bool owned;
	char num[32]; /* an integer's or a real's text */
} pg_param;

typedef struct pg_stmt {
	pg_conn *c;
	char *sql;
	int n;
	pg_param *p;
	Oid *types;
	bool *as_text; /* the server could not infer it: sent as text */
	PGresult *res;
	int row, rows;
	int runs;
	uint64_t session; /* prepared in this session of the connection (0: not) */
	char name[16];
} pg_stmt;

/* The failure of a result (or of the connection when res is NULL). */
static int fail(pg_conn *c, const PGresult *res, sg_err *e, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg);
	char text[400];
	snprintf(text, sizeof text, "%s", msg && *msg ? msg : "PostgreSQL error");
	if (state == NULL) /* libpq's own words: their first line says it */
		text[strcspn(text, "\n")] = '\0';
	size_t n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	if (PQstatus(c->pg) == CONNECTION_BAD ||
	    (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0))) {
		/* libpq's words name the server's host or socket: the log has
		 * them (once in ten seconds), the caller's client does not */
		static _Atomic long long logged_at;
		long long now = (long long)time(NULL);
		if (now - atomic_load(&logged_at) >= 10) {
			atomic_store(&logged_at, now);
			log_say(LOG_ERROR, "the database server cannot be reached: %s", text);
		}
		return sg_err_set(e, SG_EBUSY,
		                  "the database server cannot be reached; try again in a few seconds");
	}
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	              strcmp(state, "55P03") == 0))
		return sg_err_set(e, SG_EBUSY,
		                  "the database is busy with another change (a long import or a "
		                  "backup); try again in a few seconds");
	sg_code code = state && strncmp(state, "23", 2) == 0 ? SG_ECONFLICT : SG_EDB;
	return sg_err_set(e, code, "%s: %s", what, text);
}

static void no_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* What every session of a connection starts with. */
static bool session_setup(pg_conn *c)
{
	PQsetNoticeProcessor(c->pg, no_notices, NULL);
	PGresult *r = PQexec(c->pg, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	return ok;
}

/* Before a statement: the connection is up, made again when it was lost
 * outside a transaction; -1 with e set (SG_EBUSY) when it is not. */
static int ensure_connected(pg_conn *c, sg_err *e)
{
	if (PQstatus(c->pg) == CONNECTION_OK)
		return 0;
	if (!c->in_tx) {
		PQreset(c->pg);
		c->session++; /* the old session's prepared statements are gone */
		c->stale = 0;
		if (PQstatus(c->pg) == CONNECTION_OK && session_setup(c))
			return 0;
	}
	return fail(c, NULL, e, "database");
}

/* The server gone while a connection was idle: its first statement finds
 * out. Outside a transaction a read is sent again on a new connection at
 * once (a read changed nothing; a write may have been done, and is not). */
static bool lost_idle(const pg_conn *c)
{
	return !c->in_tx && PQstatus(c->pg) == CONNECTION_BAD;
}

static int pg_open(const char *target, db_open_mode mode, void **out, sg_err *e)
{
	pg_conn *c = calloc(1, sizeof *c);
	if (c == NULL)
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	char shown[1024]; /* the URL without its password, for messages */
	db_target_shown(target, shown, sizeof shown);
	c->pg = PQconnectdb(target);
	if (c->pg == NULL || PQstatus(c->pg) != CONNECTION_OK) {
		char text[300];
		snprintf(text, sizeof text, "%s", c->pg ? PQerrorMessage(c->pg) : "out of memory");
		text[strcspn(text, "\n")] = '\0';
		PQfinish(c->pg);
		free(c);
		return sg_err_set(e, SG_EDB, "cannot open database %s: %s", shown, text);
	}
	c->session = 1;
	bool ok = session_setup(c);
	PGresult *r;
	if (ok && mode != DB_OPEN_CREATE) {
		r = PQexec(c->pg, "SELECT to_regclass('schema_version') IS NOT NULL");
		ok = PQresultStatus(r) == PGRES_TUPLES_OK;
		bool made = ok && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
		PQclear(r);
		if (ok && !made) {
			PQfinish(c->pg);
			free(c);
			return sg_err_set(e, SG_ENOTFOUND,
			                  "database %s does not exist; create it with 'sigap init'", shown);
		}
	}
	if (!ok) {
		int rc = fail(c, NULL, e, "cannot set up database");
		PQfinish(c->pg);
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static void pg_close(void *conn)
{
	pg_conn *c = conn;
	if (c == NULL)
		return;
	PQfinish(c->pg);
	free(c);
}

static int pg_exec(void *conn, const char *sql, sg_err *e)
{
	pg_conn *c = conn;
	bool begin = strncmp(sql, "BEGIN", 5) == 0;
	bool end = strcmp(sql, "COMMIT") == 0 || strcmp(sql, "ROLLBACK") == 0;
	if (end && sql[0] == 'R' && PQstatus(c->pg) != CONNECTION_OK) {
		c->in_tx = false; /* a lost connection took its transaction along */
		return 0;
	}
	char *q = pg_sql_translate(sql, NULL, e);
	if (q == NULL)
		return -1;
	int rc = 0;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (ensure_connected(c, e) != 0) {
			rc = -1;
			break;
		}
		if (begin)
			c->in_tx = true;
		else if (end)
			c->in_tx = false;
		PGresult *r = PQexec(c->pg, q);
		ExecStatusType st = PQresultStatus(r);
		rc = 0;
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
			rc = fail(c, r, e, "database");
		PQclear(r);
		if (rc == 0)
			break;
		if (begin)
			c->in_tx = false; /* no transaction was opened */
		/* a BEGIN on a connection the server dropped while idle is
		 * begun again on a new one */
		if (!begin || !lost_idle(c))
			break;
	}
	free(q);
	return rc;
}

static void param_clear(pg_param *p)
{
	if (p->owned)
		free(p->value);
	p->value = NULL;
	p->owned = false;
}

static int pg_prepare(void *conn, const char *sql, void **out, sg_err *e)
{
	pg_stmt *s = calloc(1, sizeof *s);
	if (s == NULL)
		return sg_err_set(e, SG_ENOMEM, "out of memory");
	s->c = conn;
	s->sql = pg_sql_translate(sql, &s->n, e);
	if (s->sql == NULL) {
		free(s);
		return -1;
	}
	if (s->n > 0) {
		s->p = calloc((size_t)s->n, sizeof *s->p);
		s->types = calloc((size_t)s->n, sizeof *s->types);
		s->as_text = calloc((size_t)s->n, sizeof *s->as_text);
		if (s->p == NULL || s->types == NULL || s->as_text == NULL) {
			free(s->p);
			free(s->types);
			free(s->as_text);
			free(s->sql);
			free(s);
			return sg_err_set(e, SG_ENOMEM, "out of memory");
		}
	}
	s->row = -1;
	*out = s;
	return 0;
}

/* Parameter idx (from 1) cleared for a new value sent as type (0: the
 * server infers it; text once it could not); NULL when out of range. */
static pg_param *param(pg_stmt *s, int idx, Oid type)
{
	if (idx < 1 || idx > s->n)
		return NULL;
	param_clear(&s->p[idx - 1]);
	s->types[idx - 1] = s->as_text[idx - 1] ? TEXTOID : type;
	return &s->p[idx - 1];
}

static int pg_bind_int(void *st, int idx, int64_t v)
{
	pg_stmt *s = st;
	pg_param *p = param(s, idx, INT8OID);
	if (p == NULL)
		return -1;
	snprintf(p->num, sizeof p->num, "%lld", (long long)v);
	p->value = p->num;
	return 0;
}

static int pg_bind_real(void *st, int idx, double v)
{
	pg_stmt *s = st;
	pg_param *p = param(s, idx, FLOAT8OID);
	if (p == NULL)
		return -1;
	snprintf(p->num, sizeof p->num, "%.17g", v);
	p->value = p->num;
	return 0;
}

static int pg_bind_text(void *st, int idx, const char *v, bool held)
{
	pg_stmt *s = st;
	pg_param *p = param(s, idx, 0);
	if (p == NULL)
		return -1;
	if (v) {
		p->value = held ? (char *)v : strdup(v);
		if (p->value == NULL)
			return -1;
		p->owned = !held;
	}
	return 0;
}

static int pg_bind_null(void *st, int idx)
{
	pg_stmt *s = st;
	return param(s, idx, 0) ? 0 : -1;
}

/* The parameter number of "could not determine data type of parameter
 * $N" (42P18, or 42P08 when its uses disagree), or 0. */
static int indeterminate(const PGresult *r, int n)
{
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	if (state == NULL || (strcmp(state, "42P18") != 0 && strcmp(state, "42P08") != 0) ||
	    msg == NULL)
		return 0;
	const char *d = strchr(msg, '$');
	int k = d ? atoi(d + 1) : 0;
	return k >= 1 && k <= n ? k : 0;
}

/* Whether r refused a parameter the server could not type, which is
 * sent as text from now on (and the statement may be sent again). */
static bool sent_as_text(pg_stmt *s, const PGresult *r)
{
	int k = indeterminate(r, s->n);
	if (k == 0 || s->as_text[k - 1])
		return false;
	s->as_text[k - 1] = true;
	s->types[k - 1] = TEXTOID;
	return true;
}

/* sigap's SQL the server refused (not a conflict nor a busy server): a
 * fault of sigap's, logged with its statement. */
static void log_refused(const pg_stmt *s, const sg_err *e)
{
	if (e && e->code == SG_EDB)
		log_say(LOG_ERROR, "PostgreSQL refused a statement: %s (statement: %s)", e->msg,
		        s->sql);
}

/* Prepares s on the server under a name of its own; a parameter the
 * server cannot infer is declared text, as at a first run. */
static int prepare(pg_stmt *s, sg_err *e)
{
	pg_conn *c = s->c;
	snprintf(s->name, sizeof s->name, "s%u", ++c->next_name);
	for (;;) {
		PGresult *r = PQprepare(c->pg, s->name, s->sql, s->n, s->types);
		if (PQresultStatus(r) == PGRES_COMMAND_OK) {
			PQclear(r);
			s->session = c->session;
			return 0;
		}
		if (sent_as_text(s, r)) {
			PQclear(r);
			continue;
		}
		int rc = fail(c, r, e, "database");
		log_refused(s, e);
		PQclear(r);
		return rc;
	}
}

static int run_once(pg_stmt *s, sg_err *e)
{
	const char **values = NULL;
	if (s->n > 0) {
		values = malloc((size_t)s->n * sizeof *values);
		if (values == NULL)
			return sg_err_set(e, SG_ENOMEM, "out of memory");
		for (int i = 0; i < s->n; i++)
			values[i] = s->p[i].value;
	}
	if (ensure_connected(s->c, e) != 0) {
		free(values);
		return -1;
	}
	pg_conn *c = s->c;
	if (c->stale >= STALE_MAX && !c->in_tx) {
		PGresult *r = PQexec(c->pg, "DEALLOCATE ALL");
		if (PQresultStatus(r) == PGRES_COMMAND_OK) {
			c->session++;
			c->stale = 0;
		}
		PQclear(r);
	}
	/* run before: prepared on the server (once a session), then by name */
	if (s->runs++ > 0 && s->session != c->session && prepare(s, e) != 0) {
		free(values);
		return -1;
	}
	for (;;) {
		PGresult *r = s->session == c->session
		                  ? PQexecPrepared(c->pg, s->name, s->n, values, NULL, NULL, 0)
		                  : PQexecParams(c->pg, s->sql, s->n, s->types, values, NULL, NULL, 0);
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK || st == PGRES_EMPTY_QUERY) {
			const char *n = PQcmdTuples(r);
			s->c->changes = n && *n ? strtoll(n, NULL, 10) : 0;
			s->res = r;
			s->rows = st == PGRES_TUPLES_OK ? PQntuples(r) : 0;
			s->row = -1;
			free(values);
			return 0;
		}
		if (sent_as_text(s, r)) {
			PQclear(r);
			continue;
		}
		int rc = fail(s->c, r, e, "database");
		log_refused(s, e);
		PQclear(r);
		free(values);
		return rc;
	}
}

static int run(pg_stmt *s, sg_err *e)
{
	if (run_once(s, e) == 0)
		return 0;
	if (!lost_idle(s->c) || strncmp(s->sql, "SELECT", 6) != 0)
		return -1;
	return run_once(s, e);
}

static int pg_step(void *st, sg_err *e)
{
	pg_stmt *s = st;
	if (s->res == NULL && run(s, e) != 0)
		return -1;
	if (s->row + 1 < s->rows) {
		s->row++;
		return DB_ROW;
	}
	s->row = s->rows;
	return DB_DONE;
}

static bool in_row(const pg_stmt *s, int col)
{
	return s->res && s->row >= 0 && s->row < s->rows && col >= 0 && col < PQnfields(s->res);
}

static bool pg_col_null(void *st, int col)
{
	pg_stmt *s = st;
	return !in_row(s, col) || PQgetisnull(s->res, s->row, col);
}

static const char *pg_col_text(void *st, int col)
{
	pg_stmt *s = st;
	if (pg_col_null(s, col))
		return NULL;
	const char *v = PQgetvalue(s->res, s->row, col);
	if (PQftype(s->res, col) == BOOLOID)
		return v[0] == 't' ? "1" : "0";
	return v;
}

static int64_t pg_col_int(void *st, int col)
{
	const char *v = pg_col_text(st, col);
	return v ? strtoll(v, NULL, 10) : 0;
}

static double pg_col_real(void *st, int col)
{
	const char *v = pg_col_text(st, col);
	return v ? strtod(v, NULL) : 0.0;
}

static int pg_reset(void *st)
{
	pg_stmt *s = st;
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->rows = 0;
	for (int i = 0; i < s->n; i++) {
		param_clear(&s->p[i]);
		s->types[i] = s->as_text[i] ? TEXTOID : 0;
	}
	return 0;
}

static void pg_finalize(void *st)
{
	pg_stmt *s = st;
	if (s == NULL)
		return;
	if (s->session == s->c->session)
		s->c->stale++; /* on the server until the next DEALLOCATE ALL */
	pg_reset(s);
	free(s->p);
	free(s->types);
	free(s->as_text);
	free(s->sql);
	free(s);
}

static int64_t pg_changes(void *conn)
{
	return ((pg_conn *)conn)->changes;
}

/* The id the connection's last INSERT took from its table's sequence. */
static int64_t pg_last_id(void *conn)
{
	pg_conn *c = conn;
	PGresult *r = PQexec(c->pg, "SELECT lastval()");
	int64_t id = 0;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return id;
}

/* A writer waits for the rows it needs as long as their holder keeps
 * them; PostgreSQL has no lock on the whole store to skip. */
static void pg_wait_for_writers(void *conn, bool wait)
{
	pg_conn *c = conn;
	PGresult *r = PQexec(c->pg, wait ? "SET lock_timeout = 0" : "SET lock_timeout = '10ms'");
	PQclear(r);
}

const db_driver db_postgres_driver = {
	.name = "postgres",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.bind_real = pg_bind_real,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_real = pg_col_real,
	.col_text = pg_col_text,
	.col_null = pg_col_null,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.begin_sql = "BEGIN",
	.changes = pg_changes,
	.last_id = pg_last_id,
	.wait_for_writers = pg_wait_for_writers,
	.migrations = sigap_migrations_pg,
	/* one number for sigap's schema among the server's advisory locks */
	.schema_lock_sql = "SELECT pg_advisory_xact_lock(7366961601)",
	.serialize_sql = "SELECT pg_advisory_xact_lock(hashtext('sigap:' || ?))",
	.table_count_sql = "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() "
	                   "AND tablename = ?",
};
