/*
 * change_marks.c: telling every running sigap that another changed what
 * it holds in memory (see app.h).
 *
 * A node keeps in memory the indicators and the rules detection runs and
 * the SOP registry. Another node, or the command line, may change them:
 * an indicator import bumps the mark "indicators" in its own transaction;
 * `sigap rules reload` and `sigap sop reload` bump "rules" and "sops"
 * once they have checked the files. Each `sigap serve` reads the marks
 * once a second (one watcher thread, its own connection) and reloads
 * what moved. The same on SQLite and PostgreSQL, and nothing is missed
 * while a node is away from its store: a mark is read, not received
 * (docs/architecture.md, "Two stores").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/ticker.h"
#include "app.h"

enum { MARKS_MAX = 16, WATCH_EVERY_MS = 1000 };

typedef struct marks {
	char name[MARKS_MAX][32];
	int64_t gen[MARKS_MAX];
	int n;
} marks;

struct app_mark_watch {
	int (*open_app)(app *a, sg_err *e);
	void (*moved)(void *ctx, const char *name);
	void *ctx;
	marks seen;
	ticker *t;
	app a; /* the watcher thread's, while open */
	bool open, failing;
};

int app_mark_changed(app *a, const char *name, sg_err *e)
{
	return db_run(a->db, e,
	              "INSERT INTO change_marks (name, gen) VALUES (?, 1) "
	              "ON CONFLICT (name) DO UPDATE SET gen = change_marks.gen + 1",
	              "s", name);
}

static int read_marks(app *a, marks *m, sg_err *e)
{
	db_stmt *st;
	if (db_prepare(a->db, "SELECT name, gen FROM change_marks ORDER BY name", &st, e) != 0)
		return -1;
	m->n = 0;
	int rc;
	while ((rc = db_step(st, e)) == DB_ROW && m->n < MARKS_MAX) {
		snprintf(m->name[m->n], sizeof m->name[m->n], "%s", db_col_text(st, 0));
		m->gen[m->n++] = db_col_int(st, 1);
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int64_t gen_of(const marks *m, const char *name)
{
	for (int i = 0; i < m->n; i++)
		if (strcmp(m->name[i], name) == 0)
			return m->gen[i];
	return 0;
}

static long watch_round(ticker *t, void *arg)
{
	app_mark_watch *w = arg;
	sg_err e = {0};
	marks now;
	(void)t;
	if (!w->open)
		w->open = w->open_app(&w->a, &e) == 0;
	if (w->open && read_marks(&w->a, &now, &e) == 0) {
		if (w->failing)
			log_say(LOG_INFO, "change marks: read again");
		w->failing = false;
		for (int i = 0; i < now.n; i++)
			if (now.gen[i] != gen_of(&w->seen, now.name[i]))
				w->moved(w->ctx, now.name[i]);
		w->seen = now;
	} else if (!w->failing) {
		/* said once an outage; the next read that works says so */
		log_say(LOG_WARN, "change marks cannot be read (retried every second): %s", e.msg);
		w->failing = true;
	}
	return WATCH_EVERY_MS;
}

static void watch_done(void *arg)
{
	app_mark_watch *w = arg;
	if (w->open)
		app_close(&w->a);
}

app_mark_watch *app_mark_watch_start(int (*open_app)(app *a, sg_err *e),
                                     void (*moved)(void *ctx, const char *name), void *ctx,
                                     sg_err *e)
{
	app_mark_watch *w = calloc(1, sizeof *w);
	if (w == NULL)
		abort();
	*w = (app_mark_watch){.open_app = open_app, .moved = moved, .ctx = ctx};
	/* what is held now was read after these marks: only a later move counts */
	app a;
	if (open_app(&a, e) != 0) {
		free(w);
		return NULL;
	}
	int rc = read_marks(&a, &w->seen, e);
	app_close(&a);
	if (rc != 0) {
		free(w);
		return NULL;
	}
	w->t = ticker_start(WATCH_EVERY_MS, watch_round, watch_done, w);
	if (!w->t) {
		free(w);
		sg_err_set(e, SG_EIO, "the change-mark watcher cannot start");
		return NULL;
	}
	return w;
}

void app_mark_watch_stop(app_mark_watch *w)
{
	if (w == NULL)
		return;
	ticker_stop(w->t);
	free(w);
}
