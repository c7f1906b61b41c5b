/*
 * serve_config.c: the configuration sigap serve runs with.
 *
 * The file is read once at the start, and its bytes kept: every app the
 * server opens (a web worker's, the outbox sender's, the website
 * monitor's) parses those bytes, not the file, so an edit half made, or
 * a file replaced, never reaches one part and not the others. SIGHUP
 * (serve.c) reads the file again: serve_config_prepare checks every
 * line, as `sigap config check` does, and gives the fixed keys their
 * running values (app_config_keep_fixed); the caller loads what the new
 * configuration names (rules, SOPs, templates), and only when all of it
 * loads does serve_config_commit make it the running one. The
 * generation moves, and each holder of an app opens a new one at its
 * next turn (app_config_current).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "serve_config.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char *path_read;      /* NULL: no file, the defaults */
static config_text running;  /* the bytes the server runs on */
static const app_config *fixed; /* the start's configuration */
static void (*options)(app_config *c); /* serve's own, over the file's */

/* Parses t (named path) into c with the overrides and the fixed keys. */
static int parse(app_config *c, const config_text *t, sg_err *e)
{
	if (app_config_load_text(c, path_read, path_read ? t : NULL, e) != 0) {
		app_config_free(c);
		return -1;
	}
	cli_config_overrides(c);
	if (options)
		options(c);
	if (fixed)
		app_config_keep_fixed(c, fixed, NULL, 0);
	return 0;
}

int serve_config_start(const char *path, void (*serve_options)(app_config *c), app_config *start,
                       sg_err *e)
{
	options = serve_options;
	if (path) {
		if (app_config_read_text(path, &running, e) != 0)
			return -1;
		path_read = strdup(path);
		if (!path_read)
			abort();
	}
	if (parse(start, &running, e) != 0)
		return -1;
	fixed = start;
	app_config_generation_move(); /* 1: apps know they are serve's */
	return 0;
}

int serve_config_open(app_config *c, unsigned *gen, sg_err *e)
{
	pthread_mutex_lock(&mu);
	*gen = app_config_generation();
	int rc = parse(c, &running, e);
	pthread_mutex_unlock(&mu);
	return rc;
}

int serve_config_prepare(serve_reload *r, diags *d)
{
	memset(r, 0, sizeof *r);
	if (path_read) {
		sg_err e = {0};
		if (app_config_read_text(path_read, &r->text, &e) != 0) {
			size_t pl = strlen(path_read);
			bool named = strncmp(e.msg, path_read, pl) == 0 && e.msg[pl] == ':';
			diags_add(d, path_read, 0, 0, "%s", named ? e.msg + pl + 2 : e.msg);
			return -1;
		}
		app_config check;
		int bad = app_config_check_text(&check, path_read, &r->text, d);
		app_config_free(&check);
		if (bad) {
			app_config_text_free(&r->text);
			return -1;
		}
	}
	sg_err e = {0};
	if (app_config_load_text(&r->cfg, path_read, path_read ? &r->text : NULL, &e) != 0) {
		diags_add(d, path_read ? path_read : "sigap.conf", 0, 0, "%s", e.msg);
		serve_config_discard(r);
		return -1;
	}
	cli_config_overrides(&r->cfg);
	if (options)
		options(&r->cfg);
	r->n_changed = app_config_keep_fixed(&r->cfg, fixed, r->changed,
	                                     sizeof r->changed / sizeof r->changed[0]);
	return 0;
}

void serve_config_commit(serve_reload *r)
{
	pthread_mutex_lock(&mu);
	config_text old = running;
	running = r->text;
	r->text = (config_text){0};
	app_config_generation_move();
	pthread_mutex_unlock(&mu);
	app_config_text_free(&old);
}

void serve_config_discard(serve_reload *r)
{
	app_config_text_free(&r->text);
	app_config_free(&r->cfg);
	memset(r, 0, sizeof *r);
}

const char *serve_config_path(void)
{
	return path_read;
}
