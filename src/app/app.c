/*
 * app.c: opening and closing the application context (see app.h).
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/hash.h"

int app_open(app *a, app_config *cfg, db_open_mode mode, sg_err *e)
{
	memset(a, 0, sizeof *a);
	a->cfg = *cfg;
	memset(cfg, 0, sizeof *cfg);
	/* the evidence beside the store, whatever the working directory,
	 * unless the configuration names its place */
	/* several nodes on PostgreSQL: their evidence in one directory they
	 * share, which only the configuration can name (app_evidence_ready) */
	if (a->cfg.evidence_dir == NULL && !db_target_is_postgres(a->cfg.db_path))
		a->cfg.evidence_dir = app_evidence_dir_default(a->cfg.db_path);
	if (hash_init() != 0)
		return sg_err_set(e, SG_EIO, "cannot initialise libsodium");
	diags d = DIAGS_INIT;
	const char *check = NULL; /* the command that lists every problem */
	if (sops_load(&a->sops, a->cfg.sops_dir, &d) != 0)
		check = "sigap sop validate";
	else if (templates_load(&a->tmpls, a->cfg.doc_templates, &d) != 0 ||
		 templates_check_sops(&a->tmpls, &a->sops, &d) != 0)
		check = "sigap document check";
	else if (controls_load(&a->ctls, a->cfg.ctl_dir, &d) != 0)
		check = "sigap control check";
	if (check) {
		char first[1200];
		diags_first(&d, first, sizeof first);
		sg_err_set(e, SG_EINVAL, "%s%s%s%s", first, d.n > 1 ? " (and more; run '" : "",
			   d.n > 1 ? check : "", d.n > 1 ? "')" : "");
		diags_free(&d);
		app_close(a);
		return -1;
	}
	diags_free(&d);
	if (doc_signers_check(a->cfg.doc_conf, &a->sops, e) != 0) {
		app_close(a);
		return -1;
	}
	if (db_open(a->cfg.db_path, mode, &a->db, e) != 0) {
		app_close(a);
		return -1;
	}
	return 0;
}

void app_roles_forget(app *a)
{
	json_decref(a->memo_roles);
	a->memo_roles = NULL;
	a->memo_user[0] = '\0';
}

void app_roles_memo(app *a, uint64_t request)
{
	if (request == a->memo_request && request != 0)
		return;
	app_roles_forget(a);
	a->memo_request = request;
}

void app_close(app *a)
{
	app_roles_memo(a, 0);
	db_close(a->db);
	sops_free(&a->sops);
	templates_free(&a->tmpls);
	controls_free(&a->ctls);
	app_config_free(&a->cfg);
	memset(a, 0, sizeof *a);
}

int app_evidence_ready(const app *a, sg_err *e)
{
	if (a->cfg.evidence_dir)
		return 0;
	return sg_err_set(e, SG_EINVAL,
	                  "a PostgreSQL store keeps its evidence in a directory every sigap node "
	                  "shares: set dir in the [evidence] section of sigap.conf");
}

int64_t app_now(const app *a)
{
	return a->fixed_now ? a->fixed_now : (int64_t)time(NULL);
}
