/*
 * serve_config.h: the configuration sigap serve runs with (serve_config.c).
 */
#ifndef SIGAP_SERVE_CONFIG_H
#define SIGAP_SERVE_CONFIG_H

#include "app/app.h"
#include "base/diag.h"

/* Reads the configuration file (path; NULL: none, the defaults) once and
 * parses it into start, the command line's overrides applied (--db,
 * SIGAP_DB, --sops, SIGAP_SOPS), then serve_options (serve's own options
 * over the file's; NULL: none), as at every later parse. start is the
 * running configuration's fixed part for as long as the server runs:
 * the caller keeps it. */
int serve_config_start(const char *path, void (*serve_options)(app_config *c), app_config *start,
                       sg_err *e);
/* The running configuration, parsed again from the bytes kept: what each
 * app the server opens reads; *gen its generation. */
int serve_config_open(app_config *c, unsigned *gen, sg_err *e);

/* A reload read and checked, not yet running. */
typedef struct serve_reload {
	config_text text;
	app_config cfg;        /* the new configuration, its fixed keys the running ones */
	const char *changed[64]; /* the fixed keys that differed (config_live.c) */
	size_t n_changed;
} serve_reload;
/* Reads the file again and checks it: 0 with r filled, or -1 with every
 * problem in d (FILE:LINE: message) and nothing changed. */
int serve_config_prepare(serve_reload *r, diags *d);
/* r's bytes become the running configuration; the generation moves.
 * r->cfg is left to the caller (free it or hand it to app_open). */
void serve_config_commit(serve_reload *r);
void serve_config_discard(serve_reload *r);
/* The path read (NULL: none). */
const char *serve_config_path(void);

#endif
