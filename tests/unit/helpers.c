/*
 * helpers.c: shared test scaffolding (see helpers.h).
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

char *scratch_new(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = malloc(4096);
	snprintf(dir, 4096, "%s/sigap-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
	return dir;
}

void scratch_free(char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	free(dir);
}

bool test_on_postgres(void)
{
	const char *pg = getenv("SIGAP_TEST_PG");
	return pg && *pg;
}

/* With SIGAP_TEST_PG set (the query part of a libpq URL: "host=…&port=…
 * &user=…", as tests/pg/pg.sh's server takes it), each store is a new
 * PostgreSQL database on that server instead of a SQLite file. */
bool test_store_target(const char *dir, char *out, size_t cap)
{
	const char *pg = getenv("SIGAP_TEST_PG");
	if (pg == NULL || *pg == '\0') {
		snprintf(out, cap, "%s/sigap.db", dir);
		return true;
	}
	static int serial;
	char name[64], admin[1024], sql[128];
	snprintf(name, sizeof name, "t%ld_%d", (long)getpid(), ++serial);
	snprintf(admin, sizeof admin, "postgresql:///postgres?%s", pg);
	PGconn *c = PQconnectdb(admin);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
	bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "cannot create database %s: %s", name, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	snprintf(out, cap, "postgresql:///%s?%s", name, pg);
	return ok;
}

void test_app_open(app *a, const char *dir, int64_t now)
{
	app_config cfg;
	sg_err e = {0};
	assert_int_equal(app_config_load(&cfg, NULL, &e), 0);
	free(cfg.db_path);
	free(cfg.evidence_dir);
	cfg.db_path = malloc(4200);
	cfg.evidence_dir = malloc(4200);
	if (!test_store_target(dir, cfg.db_path, 4200))
		fail_msg("no PostgreSQL database for the test");
	snprintf(cfg.evidence_dir, 4200, "%s/evidence", dir);
	if (app_open(a, &cfg, DB_OPEN_CREATE, &e) != 0)
		fail_msg("app_open: %s", e.msg);
	a->fixed_now = now;
}

void test_user(app *a, const char *name, const char *role)
{
	sg_err e = {0};
	const char *roles[] = {role};
	if (user_add(a, "test", name, roles, 1, "password-123", false, &e) != 0)
		fail_msg("user_add %s: %s", name, e.msg);
}

const char *src_path(const char *rel)
{
	static char path[8][4096];
	static int k;
	k = (k + 1) % 8;
	snprintf(path[k], sizeof path[k], "%s/%s", SIGAP_SOURCE_ROOT, rel);
	return path[k];
}

int64_t wib(const char *s)
{
	int64_t t;
	if (civil_parse(s, civil_zone_find("Asia/Jakarta"), &t) != 0)
		fail_msg("bad time in test: %s", s);
	return t;
}

int64_t count_rows(app *a, const char *table)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	int64_t n = -1;
	sg_err e = {0};
	assert_int_equal(db_query_int(a->db, &e, &n, sql, ""), DB_ROW);
	return n;
}

/* The choices out of step i: (label, target). */
static size_t choices(const sop_step *st, const char **labels, int *targets)
{
	if (st->terminator)
		return 0;
	if (st->n_branches == 0) {
		labels[0] = NULL;
		targets[0] = st->next;
		return 1;
	}
	for (size_t b = 0; b < st->n_branches; b++) {
		labels[b] = st->branches[b].label;
		targets[b] = st->branches[b].target;
	}
	return st->n_branches;
}

/* Shortest path from `from` to `to` (a step index); appends to w. */
static int path_to(const sop_procedure *p, int from, int to, walk *w)
{
	int n = (int)p->n_steps, parent[256], via[256];
	const char *lab[256];
	if (n > 256)
		return -1;
	for (int i = 0; i < n; i++)
		parent[i] = -2;
	int queue[256], qh = 0, qt = 0;
	queue[qt++] = from;
	parent[from] = -1;
	while (qh < qt && parent[to] == -2) {
		int u = queue[qh++];
		const char *labels[32];
		int targets[32];
		size_t k = choices(&p->steps[u], labels, targets);
		for (size_t c = 0; c < k; c++) {
			int v = targets[c];
			if (v < 0 || parent[v] != -2)
				continue;
			parent[v] = u;
			via[v] = (int)c;
			lab[v] = labels[c];
			queue[qt++] = v;
		}
	}
	if (parent[to] == -2)
		return -1;
	int stack[256], depth = 0;
	for (int v = to; v != from; v = parent[v])
		stack[depth++] = v;
	while (depth--) {
		int v = stack[depth];
		(void)via;
		w->idx[w->n] = parent[v];
		w->decision[w->n] = lab[v];
		w->next[w->n] = v;
		w->n++;
	}
	return 0;
}

/* From step `from`, the shortest way to close; appends to w. */
static int path_to_end(const sop_procedure *p, int from, walk *w)
{
	int best = -1;
	size_t best_len = 1000;
	const char *best_label = NULL;
	int best_target = 0;
	for (size_t u = 0; u < p->n_steps; u++) {
		const char *labels[32];
		int targets[32];
		size_t k = choices(&p->steps[u], labels, targets);
		for (size_t c = 0; c < k; c++) {
			if (!sop_closes(p, targets[c]))
				continue;
			walk probe = {0};
			if ((int)u != from && path_to(p, from, (int)u, &probe) != 0)
				continue;
			if (probe.n < best_len) {
				best = (int)u;
				best_len = probe.n;
				best_label = labels[c];
				best_target = targets[c];
			}
		}
	}
	if (best < 0)
		return -1;
	if (best != from && path_to(p, from, best, w) != 0)
		return -1;
	w->idx[w->n] = best;
	w->decision[w->n] = best_label;
	w->next[w->n] = best_target;
	w->n++;
	return 0;
}

size_t walks_covering(const sop_procedure *p, walk *walks, size_t max)
{
	size_t count = 0;
	for (size_t i = 0; i < p->n_steps; i++) {
		const char *labels[32];
		int targets[32];
		size_t k = choices(&p->steps[i], labels, targets);
		for (size_t c = 0; c < k && count < max; c++) {
			walk *w = &walks[count];
			memset(w, 0, sizeof *w);
			if (i != 0 && path_to(p, 0, (int)i, w) != 0)
				fail_msg("step %d cannot be reached", p->steps[i].no);
			w->idx[w->n] = (int)i;
			w->decision[w->n] = labels[c];
			w->next[w->n] = targets[c];
			w->n++;
			if (!sop_closes(p, targets[c]) && path_to_end(p, targets[c], w) != 0)
				fail_msg("no way to the end from step %d", p->steps[targets[c]].no);
			count++;
		}
	}
	return count;
}

char *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)sz + 1);
	*n = fread(b, 1, (size_t)sz, f);
	b[*n] = '\0';
	fclose(f);
	return b;
}
