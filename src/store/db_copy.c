/*
 * db_copy.c: a whole installation copied from one store to another
 * (SQLite to PostgreSQL, PostgreSQL to SQLite, or alike), for
 * `sigap db copy` (db.h).
 *
 * The target is a new store at the same schema version; its tables are
 * read from its own catalog, and each is filled from the source's table
 * of the same name, column by column, in one transaction. Two kinds of
 * table:
 *   - a table of record is copied as it is, in an order where every
 *     table comes after those its foreign keys name;
 *   - a table the schema's triggers keep (counts, the case search,
 *     participants), and that no foreign key names, is emptied and copied
 *     after all the others: the triggers fired by the copy wrote rows
 *     into it that the source's own rows replace.
 * Every value travels as text, a real as its 17 digits, so the stored
 * text of the logbook's details, which its hash covers, arrives byte for
 * byte. Rows go in batches of one multi-row INSERT each. On PostgreSQL
 * the schema's triggers are off for the copy when the target's user owns
 * the tables (set_triggers), and each identity sequence is then set past
 * the largest id copied. The caller checks the row counts (db_copy_counts) and the
 * logbook's chain on the target.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "db_driver.h"

enum { MAX_TABLES = 256, MAX_COLS = 128 };

typedef struct table {
	char *name;
	bool derived; /* written by triggers and named by no foreign key */
	bool virtual_; /* an FTS5 table on SQLite: its key is rowid */
	bool done;
} table;

typedef struct schema {
	table t[MAX_TABLES];
	int n;
	char *(*fk)[2]; /* (table, the table it names) */
	int n_fk;
} schema;

static bool is_pg(db *d)
{
	return strcmp(db_store_name(d), "postgres") == 0;
}

static void schema_free(schema *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->t[i].name);
	for (int i = 0; i < s->n_fk; i++) {
		free(s->fk[i][0]);
		free(s->fk[i][1]);
	}
	free(s->fk);
	memset(s, 0, sizeof *s);
}

static table *find(schema *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->t[i].name, name) == 0)
			return &s->t[i];
	return NULL;
}

/* The names a trigger's body writes: after INTO, UPDATE and DELETE FROM
 * (UPDATE OF / UPDATE ON of the trigger's own head skipped). */
static void mark_written(schema *s, const char *body)
{
	const char *p = body;
	while (*p) {
		const char *w = p;
		while (*p && (isalnum((unsigned char)*p) || *p == '_'))
			p++;
		size_t n = (size_t)(p - w);
		bool into = n == 4 && strncasecmp(w, "INTO", 4) == 0;
		bool update = n == 6 && strncasecmp(w, "UPDATE", 6) == 0;
		bool from = n == 4 && strncasecmp(w, "FROM", 4) == 0;
		if (into || update || from) {
			const char *q = p;
			while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
				q++;
			const char *name = q;
			while (*q && (isalnum((unsigned char)*q) || *q == '_'))
				q++;
			char word[128];
			size_t k = (size_t)(q - name);
			if (k > 0 && k < sizeof word) {
				memcpy(word, name, k);
				word[k] = '\0';
				table *t = find(s, word);
				/* FROM is a DELETE's only: a SELECT reads */
				if (t && (!from || (w >= body + 7 && strncasecmp(w - 7, "DELETE ", 7) == 0)))
					t->derived = true;
			}
		}
		if (*p && p == w)
			p++;
	}
}

static int read_schema(db *d, schema *s, sg_err *e)
{
	memset(s, 0, sizeof *s);
	bool pg = is_pg(d);
	db_stmt *st;
	const char *tables_sql =
		pg ? "SELECT tablename, 0 FROM pg_tables WHERE schemaname = current_schema() "
		     "AND tablename <> 'schema_version' ORDER BY 1"
		   : "SELECT m.name, m.sql LIKE 'CREATE VIRTUAL TABLE%' FROM sqlite_master m "
		     "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> "
		     "'schema_version' AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE "
		     "v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND "
		     "substr(m.name, 1, length(v.name) + 1) = v.name || '_') ORDER BY 1";
	if (db_prepare(d, tables_sql, &st, e) != 0)
		return -1;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW && s->n < MAX_TABLES) {
		s->t[s->n].name = strdup(db_col_text(st, 0));
		s->t[s->n].virtual_ = db_col_int(st, 1) != 0;
		s->n++;
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	if (rc == DB_ROW)
		return sg_err_set(e, SG_EDB, "more than %d tables", MAX_TABLES);
	const char *fk_sql =
		pg ? "SELECT CAST(conrelid::regclass AS TEXT), CAST(confrelid::regclass AS TEXT) FROM "
		     "pg_constraint WHERE contype = 'f' AND connamespace = "
		     "CAST(current_schema() AS regnamespace)"
		   : "SELECT m.name, p.\"table\" FROM sqlite_master m JOIN "
		     "pragma_foreign_key_list(m.name) p WHERE m.type = 'table'";
	if (db_prepare(d, fk_sql, &st, e) != 0)
		return -1;
	while ((rc = db_step(st, e)) == DB_ROW) {
		char *(*fk)[2] = realloc(s->fk, (size_t)(s->n_fk + 1) * sizeof *fk);
		if (fk == NULL)
			abort();
		s->fk = fk;
		s->fk[s->n_fk][0] = strdup(db_col_text(st, 0));
		s->fk[s->n_fk][1] = strdup(db_col_text(st, 1));
		s->n_fk++;
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	const char *trig_sql = pg ? "SELECT p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = "
	                            "t.tgfoid WHERE NOT t.tgisinternal"
	                          : "SELECT sql FROM sqlite_master WHERE type = 'trigger'";
	if (db_prepare(d, trig_sql, &st, e) != 0)
		return -1;
	while ((rc = db_step(st, e)) == DB_ROW)
		mark_written(s, db_col_text(st, 0));
	db_finalize(st);
	if (rc < 0)
		return -1;
	for (int i = 0; i < s->n_fk; i++) {
		table *t = find(s, s->fk[i][1]);
		if (t)
			t->derived = false;
	}
	return 0;
}

/* The copied columns of table t in the target: name and whether it is a
 * real. */
static int columns(db *to, const table *t, char **name, bool *real, int *n, sg_err *e)
{
	*n = 0;
	if (t->virtual_) {
		name[(*n)++] = strdup("rowid");
		real[0] = false;
	}
	db_stmt *st;
	if (db_prepare_bind(to, &st, e,
	                    is_pg(to) ? "SELECT column_name, data_type FROM information_schema.columns "
	                                "WHERE table_schema = current_schema() AND table_name = ? "
	                                "AND is_generated = 'NEVER' ORDER BY ordinal_position"
	                              : "SELECT name, type FROM pragma_table_info(?) ORDER BY cid",
	                    "s", t->name) != 0)
		return -1;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW && *n < MAX_COLS) {
		const char *type = db_col_text(st, 1);
		real[*n] = type && (strcasecmp(type, "REAL") == 0 || strcasecmp(type, "DOUBLE") == 0 ||
		                    strcasecmp(type, "double precision") == 0);
		name[(*n)++] = strdup(db_col_text(st, 0));
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* Rows travel in batches of one multi-row INSERT: on PostgreSQL a
 * statement is a round trip to the server, and one a row made a copy of
 * 466,843 rows take five minutes. A batch is at most BATCH_ROWS rows, at
 * most BATCH_PARAMS values (SQLite allows 32,766 parameters a statement,
 * PostgreSQL 65,535) and at most BATCH_BYTES of text. */
enum { BATCH_ROWS = 500, BATCH_PARAMS = 30000, BATCH_BYTES = 8 << 20 };

typedef struct cell {
	enum { CELL_NULL, CELL_REAL, CELL_TEXT } kind;
	double real;
	size_t at; /* CELL_TEXT: its offset in the batch's text */
} cell;

typedef struct batch {
	const table *t;
	int n_cols, max_rows, rows;
	char **col;
	cell *cells; /* rows × n_cols */
	buf text;    /* the text values, each NUL-terminated */
	buf sql;     /* the INSERT of sql_rows rows */
	int sql_rows;
} batch;

/* Inserts the rows gathered, then forgets them. The statement is written
 * again only when a batch's size differs from the last one's (the last
 * batch of a table). */
static int flush(db *to, batch *b, sg_err *e)
{
	if (b->rows == 0)
		return 0;
	if (b->sql_rows != b->rows) {
		buf_reset(&b->sql);
		buf_printf(&b->sql, "INSERT INTO %s (", b->t->name);
		for (int i = 0; i < b->n_cols; i++)
			buf_printf(&b->sql, "%s%s", i ? ", " : "", b->col[i]);
		buf_puts(&b->sql, ") VALUES ");
		for (int r = 0; r < b->rows; r++) {
			buf_puts(&b->sql, r ? ", (" : "(");
			for (int i = 0; i < b->n_cols; i++)
				buf_puts(&b->sql, i ? ", ?" : "?");
			buf_putc(&b->sql, ')');
		}
		b->sql_rows = b->rows;
	}
	db_stmt *dst;
	if (db_prepare(to, buf_str(&b->sql), &dst, e) != 0)
		return -1;
	for (int k = 0; k < b->rows * b->n_cols; k++) {
		const cell *c = &b->cells[k];
		if (c->kind == CELL_NULL)
			db_bind_null(dst, k + 1);
		else if (c->kind == CELL_REAL)
			db_bind_real(dst, k + 1, c->real);
		else
			db_bind_text(dst, k + 1, b->text.data + c->at);
	}
	int rc = db_step(dst, e);
	db_finalize(dst);
	if (rc < 0)
		return sg_err_prefix(e, "table %s", b->t->name);
	b->rows = 0;
	buf_reset(&b->text);
	return 0;
}

static int copy_table(db *from, db *to, const table *t, int64_t *rows, sg_err *e)
{
	char *col[MAX_COLS];
	bool real[MAX_COLS];
	int n = 0, r = -1;
	buf sel = BUF_INIT;
	batch b = {.t = t, .col = col, .text = BUF_INIT, .sql = BUF_INIT};
	db_stmt *src = NULL;
	if (columns(to, t, col, real, &n, e) != 0)
		goto out;
	b.n_cols = n;
	b.max_rows = n ? BATCH_PARAMS / n : 1;
	if (b.max_rows > BATCH_ROWS)
		b.max_rows = BATCH_ROWS;
	b.cells = malloc((size_t)b.max_rows * (size_t)(n ? n : 1) * sizeof *b.cells);
	if (b.cells == NULL)
		abort();
	buf_puts(&sel, "SELECT ");
	for (int i = 0; i < n; i++)
		buf_printf(&sel, "%s%s", i ? ", " : "", col[i]);
	buf_printf(&sel, " FROM %s", t->name);
	if (t->derived) {
		char del[200];
		snprintf(del, sizeof del, "DELETE FROM %s", t->name);
		if (db_exec(to, del, e) != 0)
			goto out;
	}
	if (db_prepare(from, buf_str(&sel), &src, e) != 0)
		goto out;
	int rc;
	*rows = 0;
	while ((rc = db_step(src, e)) == DB_ROW) {
		cell *row = &b.cells[b.rows * n];
		for (int i = 0; i < n; i++) {
			if (db_col_null(src, i)) {
				row[i].kind = CELL_NULL;
			} else if (real[i]) {
				row[i].kind = CELL_REAL;
				row[i].real = db_col_real(src, i);
			} else {
				const char *v = db_col_text(src, i);
				row[i].kind = CELL_TEXT;
				row[i].at = b.text.len;
				buf_append(&b.text, v, strlen(v) + 1);
			}
		}
		b.rows++;
		(*rows)++;
		if ((b.rows == b.max_rows || b.text.len >= BATCH_BYTES) && flush(to, &b, e) != 0)
			goto out;
	}
	if (rc < 0 || flush(to, &b, e) != 0)
		goto out;
	r = 0;
out:
	db_finalize(src);
	for (int i = 0; i < n; i++)
		free(col[i]);
	free(b.cells);
	buf_free(&b.text);
	buf_free(&b.sql);
	buf_free(&sel);
	return r;
}

/* On PostgreSQL: each identity sequence past the largest id copied. */
static int reset_sequences(db *to, sg_err *e)
{
	db_stmt *st;
	if (db_prepare(to,
	               "SELECT table_name, column_name FROM information_schema.columns WHERE "
	               "table_schema = current_schema() AND is_identity = 'YES'",
	               &st, e) != 0)
		return -1;
	int rc;
	buf sql = BUF_INIT;
	while ((rc = db_step(st, e)) == DB_ROW)
		buf_printf(&sql,
		           "SELECT setval(pg_get_serial_sequence('%s', '%s'), COALESCE((SELECT "
		           "MAX(%s) FROM %s), 0) + 1, false);",
		           db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 1),
		           db_col_text(st, 0));
	db_finalize(st);
	int r = rc < 0 ? -1 : *buf_str(&sql) ? db_exec(to, buf_str(&sql), e) : 0;
	buf_free(&sql);
	return r;
}

/* Whether the target's user owns every table of the schema, and may so
 * turn their triggers off (PostgreSQL). */
static bool owns_tables(db *to)
{
	int64_t others = 1;
	sg_err ignored = {0};
	return db_query_int(to, &ignored, &others,
	                    "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() "
	                    "AND NOT pg_has_role(tableowner, 'USAGE')",
	                    "") == DB_ROW &&
	       others == 0;
}

/* The schema's own triggers off (on) on every table of the target, on
 * PostgreSQL, for the copy's transaction: what they keep (counts, the case
 * search, participants, a finding's EPSS and KEV) is copied from the
 * source as it is, and each one's work was wasted, the count rows'
 * above all: ten thousand cases updated one row of case_counts ten
 * thousand times in one transaction, each update longer than the one
 * before. The foreign keys' triggers are the system's and stay on. */
static int set_triggers(db *to, const schema *s, bool on, sg_err *e)
{
	for (int i = 0; i < s->n; i++) {
		char sql[200];
		snprintf(sql, sizeof sql, "ALTER TABLE %s %s TRIGGER USER", s->t[i].name,
		         on ? "ENABLE" : "DISABLE");
		if (db_exec(to, sql, e) != 0)
			return -1;
	}
	return 0;
}

/* Whether a table of record of the target already holds rows. */
static int target_empty(db *to, schema *s, sg_err *e)
{
	for (int i = 0; i < s->n; i++) {
		if (s->t[i].derived)
			continue;
		char sql[200];
		int64_t any = 0;
		snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM (SELECT 1 FROM %s LIMIT 1) AS one",
		         s->t[i].name);
		if (db_query_int(to, e, &any, sql, "") != DB_ROW)
			return -1;
		if (any)
			return sg_err_set(e, SG_ECONFLICT,
			                  "the target already holds data (table %s): copy into a new, "
			                  "empty store",
			                  s->t[i].name);
	}
	return 0;
}

/* The next table to copy: a table of record whose foreign keys all name
 * tables copied, else a kept one; NULL when none is left. */
static table *next_table(schema *s)
{
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < s->n; i++) {
			table *t = &s->t[i];
			if (t->done || t->derived != (pass == 1))
				continue;
			bool ready = true;
			for (int k = 0; k < s->n_fk && ready; k++) {
				if (strcmp(s->fk[k][0], t->name) != 0 || strcmp(s->fk[k][1], t->name) == 0)
					continue;
				table *ref = find(s, s->fk[k][1]);
				ready = ref == NULL || ref->done;
			}
			if (ready)
				return t;
		}
	}
	return NULL;
}

int db_copy(db *from, db *to, db_copy_progress progress, void *arg, sg_err *e)
{
	if (db_schema_version(from) != db_schema_version(to))
		return sg_err_set(e, SG_ESCHEMA, "the stores are at schema versions %d and %d",
		                  db_schema_version(from), db_schema_version(to));
	schema s;
	if (read_schema(to, &s, e) != 0) {
		schema_free(&s);
		return -1;
	}
	int r = -1;
	if (target_empty(to, &s, e) != 0)
		goto out;
	bool quiet = is_pg(to) && owns_tables(to); /* asked outside the transaction,
	                                            * which a failed query would end */
	if (db_begin(to, e) != 0)
		goto out;
	if (quiet && set_triggers(to, &s, false, e) != 0) {
		db_rollback(to);
		goto out;
	}
	int copied = 0;
	for (table *t; (t = next_table(&s)) != NULL; copied++) {
		int64_t rows = 0;
		if (copy_table(from, to, t, &rows, e) != 0) {
			db_rollback(to);
			goto out;
		}
		t->done = true;
		if (progress)
			progress(t->name, rows, arg);
	}
	if (copied < s.n) {
		db_rollback(to);
		sg_err_set(e, SG_EDB, "the target's foreign keys form a cycle");
		goto out;
	}
	if ((quiet && set_triggers(to, &s, true, e) != 0) ||
	    (is_pg(to) && reset_sequences(to, e) != 0) || db_commit(to, e) != 0) {
		db_rollback(to);
		goto out;
	}
	r = 0;
out:
	schema_free(&s);
	return r;
}

int db_copy_counts(db *from, db *to, char *differs, size_t cap, sg_err *e)
{
	schema s;
	if (read_schema(to, &s, e) != 0) {
		schema_free(&s);
		return -1;
	}
	int r = 0;
	differs[0] = '\0';
	for (int i = 0; i < s.n && r == 0; i++) {
		char sql[200];
		int64_t a = -1, b = -1;
		snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", s.t[i].name);
		if (db_query_int(from, e, &a, sql, "") != DB_ROW ||
		    db_query_int(to, e, &b, sql, "") != DB_ROW) {
			r = -1;
			break;
		}
		if (a != b) {
			snprintf(differs, cap, "%s: %lld rows in the source, %lld in the target",
			         s.t[i].name, (long long)a, (long long)b);
			r = 1;
		}
	}
	schema_free(&s);
	return r;
}
