/*
 * pg_sql.c: sigap's SQL, written once in the dialect SQLite and
 * PostgreSQL share, made PostgreSQL's where the two still differ
 * (pg_sql.h). The PostgreSQL driver passes every statement through it, so
 * callers never see the difference.
 *
 * What changes, outside string literals, quoted names, dollar-quoted
 * bodies and comments:
 *   ?  ?N                  $N (a bare ? is one more than the largest so far,
 *                          as SQLite numbers it)
 *   INSERT OR IGNORE …     INSERT … ON CONFLICT DO NOTHING
 *   MAX(a, b)  MIN(a, b)   GREATEST(a, b)  LEAST(a, b) (the scalar forms:
 *                          two arguments or more; MAX(x) stays the aggregate)
 *   LIKE                   ILIKE (SQLite's LIKE ignores case)
 *   group_concat(x[, s])   string_agg(CAST(x AS TEXT), s or ',')
 *   json_each(x)           json_array_elements_text(CAST(x AS json))
 *   json_extract(x, '$.a') (CAST(x AS json) #>> '{a}')
 *   PRAGMA …;              nothing (SQLite's own settings)
 *   AND +x                 AND x (SQLite's unary plus keeping its planner
 *                          off an index on x; text has no unary plus here)
 *   T MATCH ?              T.doc @@ sigap_tsquery(?) (full-text search: the
 *                          FTS5 table T is a table with a tsvector column
 *                          doc on PostgreSQL, migrations/pg/)
 * Everything else is passed through as written: the common dialect is
 * the callers' to keep (docs/architecture.md, "Two stores").
 */
#include "pg_sql.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"

typedef struct tr {
	const char *s; /* the statement */
	size_t i, n;   /* position, length */
	int max_param; /* the largest $N written */
	buf out;
	const char *fail; /* why it cannot be translated */
} tr;

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Whether the word at s[i..] is w (any case) and ends there. */
static bool word_at(const tr *t, size_t i, const char *w)
{
	size_t k = strlen(w);
	if (i + k > t->n || strncasecmp(t->s + i, w, k) != 0)
		return false;
	if (i > 0 && word_char(t->s[i - 1]))
		return false;
	return i + k == t->n || !word_char(t->s[i + k]);
}

static size_t skip_space(const tr *t, size_t i)
{
	while (i < t->n && isspace((unsigned char)t->s[i]))
		i++;
	return i;
}

/* The end (one past) of the literal, quoted name or comment at i, or i
 * when none starts there. */
static size_t opaque_end(const tr *t, size_t i)
{
	const char *s = t->s;
	char c = s[i];
	if (c == '\'' || c == '"') {
		size_t j = i + 1;
		while (j < t->n) {
			if (s[j] == c) {
				if (j + 1 < t->n && s[j + 1] == c) {
					j += 2; /* a doubled quote */
					continue;
				}
				return j + 1;
			}
			j++;
		}
		return t->n;
	}
	if (c == '$') { /* a dollar-quoted body: $$ … $$ or $tag$ … $tag$ */
		size_t j = i + 1;
		while (j < t->n && (isalpha((unsigned char)s[j]) || s[j] == '_'))
			j++;
		if (j < t->n && s[j] == '$') {
			size_t tag = j + 1 - i;
			for (size_t k = j + 1; k + tag <= t->n; k++)
				if (memcmp(s + k, s + i, tag) == 0)
					return k + tag;
			return t->n;
		}
		return i;
	}
	if (c == '-' && i + 1 < t->n && s[i + 1] == '-') {
		const char *nl = memchr(s + i, '\n', t->n - i);
		return nl ? (size_t)(nl - s) + 1 : t->n;
	}
	if (c == '/' && i + 1 < t->n && s[i + 1] == '*') {
		const char *end = strstr(s + i + 2, "*/");
		return end && (size_t)(end - s) < t->n ? (size_t)(end - s) + 2 : t->n;
	}
	return i;
}

/* The first position in [from, end), outside literals, quoted names and
 * comments, where stop holds at the parenthesis depth of from; end when
 * there is none. Every search of the translator is one of these. */
static size_t find_outer(const tr *t, size_t from, size_t end,
                         bool (*stop)(const tr *t, size_t i))
{
	int depth = 0;
	for (size_t i = from; i < end;) {
		size_t e = opaque_end(t, i);
		if (e != i) {
			i = e;
			continue;
		}
		if (depth == 0 && stop(t, i))
			return i;
		if (t->s[i] == '(')
			depth++;
		else if (t->s[i] == ')')
			depth--;
		i++;
	}
	return end;
}

static bool at_close(const tr *t, size_t i)
{
	return t->s[i] == ')';
}

static bool at_comma(const tr *t, size_t i)
{
	return t->s[i] == ',';
}

static bool at_semicolon(const tr *t, size_t i)
{
	return t->s[i] == ';';
}

static bool at_returning(const tr *t, size_t i)
{
	return word_at(t, i, "RETURNING");
}

/* The position of the parenthesis closing the one at open; t->n when it
 * is never closed. */
static size_t close_paren(const tr *t, size_t open)
{
	return find_outer(t, open + 1, t->n, at_close);
}

/* The position of the first comma between the parentheses at open and
 * close, at their own depth, or close. */
static size_t first_comma(const tr *t, size_t open, size_t close)
{
	return find_outer(t, open + 1, close, at_comma);
}

/* The number of commas between the parentheses at open and close, at
 * their own depth. */
static int commas_in(const tr *t, size_t open, size_t close)
{
	int n = 0;
	for (size_t c = first_comma(t, open, close); c < close; c = first_comma(t, c, close))
		n++;
	return n;
}

static void translate_range(tr *t, size_t end, bool *ignore);
static bool unary_plus(const tr *t, size_t i);

static void trim_space(buf *b)
{
	while (b->len > 0 && isspace((unsigned char)b->data[b->len - 1]))
		b->data[--b->len] = '\0';
}

/* group_concat(x[, sep]) at i (the word), its parenthesis at open. */
static void group_concat(tr *t, size_t open)
{
	size_t close = close_paren(t, open);
	int commas = close == t->n ? 0 : commas_in(t, open, close);
	if (close == t->n || commas > 1) {
		t->fail = "group_concat takes one or two arguments";
		return;
	}
	/* the first argument's end: the comma, or the close */
	size_t arg_end = first_comma(t, open, close);
	buf_puts(&t->out, "string_agg(CAST(");
	t->i = open + 1;
	translate_range(t, arg_end, NULL);
	buf_puts(&t->out, " AS TEXT)");
	if (commas == 1) {
		t->i = arg_end; /* ", sep" */
		translate_range(t, close, NULL);
	} else {
		buf_puts(&t->out, ", ','");
	}
	buf_putc(&t->out, ')');
	t->i = close + 1;
}

/* json_each(x) (an array's elements, column value) and json_extract(x,
 * '$.a.b') (a member's text), the parenthesis at open. */
static void json_call(tr *t, size_t open, bool each)
{
	size_t close = close_paren(t, open);
	if (close == t->n || commas_in(t, open, close) != (each ? 0 : 1)) {
		t->fail = each ? "json_each takes one argument" : "json_extract takes two arguments";
		return;
	}
	size_t comma = first_comma(t, open, close);
	buf_puts(&t->out, each ? "json_array_elements_text(CAST(" : "(CAST(");
	t->i = open + 1;
	translate_range(t, comma, NULL);
	buf_puts(&t->out, " AS json)");
	if (each) {
		buf_putc(&t->out, ')');
		t->i = close + 1;
		return;
	}
	/* the path, a literal '$.a.b': #>> '{a,b}' */
	size_t p = skip_space(t, comma + 1);
	size_t q = opaque_end(t, p);
	if (t->s[p] != '\'' || q > close || q < p + 3 || t->s[p + 1] != '$') {
		t->fail = "json_extract takes a literal path '$.member'";
		return;
	}
	buf_puts(&t->out, " #>> '{");
	for (size_t k = p + 2; k + 1 < q; k++) {
		char c = t->s[k];
		if (c == '.') {
			if (k > p + 2)
				buf_putc(&t->out, ',');
		} else if (word_char(c)) {
			buf_putc(&t->out, c);
		} else {
			t->fail = "json_extract takes a path of plain member names";
			return;
		}
	}
	buf_puts(&t->out, "}')");
	t->i = close + 1;
}

/* Whether s (n bytes) begins, after blanks, with IS NULL or IS NOT NULL. */
static bool tested_for_null(const char *s, size_t n)
{
	size_t k = 0;
	while (k < n && isspace((unsigned char)s[k]))
		k++;
	if (n - k < 7 || strncasecmp(s + k, "IS", 2) != 0 || !isspace((unsigned char)s[k + 2]))
		return false;
	k += 3;
	while (k < n && isspace((unsigned char)s[k]))
		k++;
	if (n - k >= 4 && strncasecmp(s + k, "NOT", 3) == 0 && isspace((unsigned char)s[k + 3])) {
		k += 4;
		while (k < n && isspace((unsigned char)s[k]))
			k++;
	}
	return n - k >= 4 && strncasecmp(s + k, "NULL", 4) == 0 &&
	       (n - k == 4 || !word_char(s[k + 4]));
}

/* Translates s[t->i .. end) into t->out. *ignore (when not NULL) is set by
 * an INSERT OR IGNORE, whose ON CONFLICT clause the caller adds. */
static void translate_range(tr *t, size_t end, bool *ignore)
{
	const char *s = t->s;
	while (t->i < end && t->fail == NULL) {
		size_t i = t->i;
		size_t e = opaque_end(t, i);
		if (e != i) {
			buf_append(&t->out, s + i, e - i);
			t->i = e;
			continue;
		}
		char c = s[i];
		if (c == '?') {
			size_t j = i + 1;
			int num = 0;
			while (j < end && isdigit((unsigned char)s[j]) && num < 100000)
				num = num * 10 + (s[j++] - '0');
			if (j == i + 1)
				num = t->max_param + 1;
			if (num < 1 || num > 65535) {
				t->fail = "a parameter number out of range";
				return;
			}
			if (num > t->max_param)
				t->max_param = num;
			buf_printf(&t->out, "$%d", num);
			/* "? IS NULL" alone says nothing of the parameter's type:
			 * PostgreSQL refuses to guess (42P18). A ? used once is
			 * tested as text, which every type is cast to. */
			if (j == i + 1 && tested_for_null(s + j, end - j))
				buf_puts(&t->out, "::text");
			t->i = j;
			continue;
		}
		if (c == '+' && unary_plus(t, i)) {
			t->i = i + 1;
			continue;
		}
		if (!word_char(c) || (i > 0 && word_char(s[i - 1]))) {
			buf_putc(&t->out, c);
			t->i = i + 1;
			continue;
		}
		size_t w = i;
		while (w < end && word_char(s[w]))
			w++;
		if (ignore && word_at(t, i, "INSERT")) {
			size_t k = skip_space(t, w);
			if (word_at(t, k, "OR")) {
				size_t k2 = skip_space(t, k + 2);
				if (word_at(t, k2, "IGNORE")) {
					buf_append(&t->out, s + i, w - i);
					*ignore = true;
					t->i = k2 + 6;
					continue;
				}
			}
		}
		if (word_at(t, i, "MAX") || word_at(t, i, "MIN") || word_at(t, i, "group_concat")) {
			size_t open = skip_space(t, w);
			if (open < end && s[open] == '(') {
				if (word_at(t, i, "group_concat")) {
					group_concat(t, open);
					continue;
				}
				size_t close = close_paren(t, open);
				if (close < t->n && first_comma(t, open, close) < close) {
					buf_puts(&t->out, toupper((unsigned char)s[i + 1]) == 'A' ? "GREATEST"
					                                                       : "LEAST");
					t->i = w;
					continue;
				}
			}
		}
		if (word_at(t, i, "MATCH")) {
			/* "case_search MATCH ?": the table's search column */
			size_t q = skip_space(t, w);
			if (q >= end || s[q] != '?') {
				t->fail = "MATCH takes a parameter";
				return;
			}
			trim_space(&t->out);
			buf_puts(&t->out, ".doc @@ sigap_tsquery(");
			size_t r = q + 1;
			while (r < end && isdigit((unsigned char)s[r]))
				r++;
			t->i = q;
			translate_range(t, r, NULL);
			buf_putc(&t->out, ')');
			continue;
		}
		if (word_at(t, i, "json_each") || word_at(t, i, "json_extract")) {
			size_t open = skip_space(t, w);
			if (open < end && s[open] == '(') {
				json_call(t, open, word_at(t, i, "json_each"));
				continue;
			}
		}
		if (word_at(t, i, "LIKE")) {
			buf_puts(&t->out, "ILIKE");
			t->i = w;
			continue;
		}
		buf_append(&t->out, s + i, w - i);
		t->i = w;
	}
}

/* Whether the '+' at i is SQLite's unary plus before a column name
 * ("AND +f.state IN …", which keeps SQLite's planner off an index): it
 * follows '(' or ',' or a keyword and comes before a name. */
static bool unary_plus(const tr *t, size_t i)
{
	size_t k = i + 1;
	while (k < t->n && isspace((unsigned char)t->s[k]))
		k++;
	if (k >= t->n || !(isalpha((unsigned char)t->s[k]) || t->s[k] == '_'))
		return false;
	size_t p = i;
	while (p > 0 && isspace((unsigned char)t->s[p - 1]))
		p--;
	if (p == 0 || t->s[p - 1] == '(' || t->s[p - 1] == ',')
		return true;
	size_t w = p;
	while (w > 0 && word_char(t->s[w - 1]))
		w--;
	static const char *const after[] = {"AND", "OR", "NOT", "WHERE", "BY", "ON", "SELECT",
	                                    "WHEN", "THEN", "ELSE", NULL};
	for (int j = 0; after[j]; j++)
		if (w < p && word_at(t, w, after[j]))
			return true;
	return false;
}

/* The position of the RETURNING at depth 0 of s[from .. end), or end. */
static size_t returning_at(const tr *t, size_t from, size_t end)
{
	return find_outer(t, from, end, at_returning);
}

/* The end of the statement that starts at from: its ';' at depth 0, or
 * the end of the text. */
static size_t statement_end(const tr *t, size_t from)
{
	return find_outer(t, from, t->n, at_semicolon);
}

char *pg_sql_translate(const char *sql, int *n_params, sg_err *e)
{
	tr t = {.s = sql, .n = strlen(sql), .out = BUF_INIT};
	while (t.i < t.n && t.fail == NULL) {
		size_t end = statement_end(&t, t.i);
		bool ignore = false;
		size_t start = t.i;
		if (word_at(&t, skip_space(&t, start), "PRAGMA")) {
			/* SQLite's own settings: nothing on PostgreSQL */
			t.i = end < t.n ? skip_space(&t, end + 1) : end;
			continue;
		}
		size_t ret = returning_at(&t, start, end);
		translate_range(&t, ret, &ignore);
		if (ignore) {
			trim_space(&t.out);
			buf_puts(&t.out, ret < end ? " ON CONFLICT DO NOTHING " : " ON CONFLICT DO NOTHING");
		}
		translate_range(&t, end, NULL);
		if (end < t.n) {
			buf_putc(&t.out, ';');
			t.i = end + 1;
		}
	}
	if (t.fail) {
		buf_free(&t.out);
		sg_err_set(e, SG_EDB, "cannot translate SQL for PostgreSQL: %s", t.fail);
		return NULL;
	}
	if (n_params)
		*n_params = t.max_param;
	char *out = buf_steal(&t.out);
	return out ? out : strdup("");
}
