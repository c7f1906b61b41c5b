/*
 * init.c: sigap init [--demo]: creates the database (and its directory)
 * or upgrades its schema; with --demo, adds the demo users and a demo case.
 */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "base/fsutil.h"
#include "cli.h"

static const char usage[] =
	"usage: sigap init [--demo]\n"
	"\n"
	"Creates the database, or brings an existing one to this sigap's schema.\n"
	"\n"
	"  --demo   also add demo users (printed with their password) and a demo\n"
	"           incident case advanced a few steps; done once, skipped after\n";

/* The directory of a SQLite file, made when missing; a PostgreSQL URL
 * names no directory. */
static int make_parent(const char *path)
{
	sg_err e = {0};
	if (db_target_check(path, &e) != 0) {
		cli_fail(&e);
		return -1;
	}
	if (db_target_is_postgres(path))
		return 0;
	if (strncmp(path, "sqlite:", 7) == 0)
		path += 7;
	char *copy = strdup(path);
	if (copy == NULL)
		abort();
	int r = fs_mkdir_p(dirname(copy), &e);
	free(copy);
	if (r != 0)
		cli_fail(&e);
	return r;
}

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {{"demo", no_argument, NULL, 'd'}, CLI_COMMON_OPTS, {0}};
	bool demo = false;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		if (c == 'd') {
			demo = true;
			continue;
		}
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (optind < argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	app_config cfg;
	if (cli_config(&cfg) != 0)
		return EXIT_ERR;
	if (make_parent(cfg.db_path) != 0) {
		app_config_free(&cfg);
		return EXIT_ERR;
	}
	app a;
	sg_err e = {0};
	if (app_open(&a, &cfg, DB_OPEN_CREATE, &e) != 0)
		return cli_fail(&e);
	char shown[1024];
	db_target_shown(a.cfg.db_path, shown, sizeof shown);
	printf(_("Database %s is ready (schema version %d).\n"), shown, db_schema_version(a.db));
	int rc = EXIT_OK;
	if (demo) {
		char ticket[32];
		if (demo_seed(&a, ticket, &e) != 0) {
			rc = cli_fail(&e);
		} else {
			if (ticket[0])
				printf(_("Demo data added: case %s, and these users, each with the "
					 "password '%s':\n"), ticket, demo_password);
			else
				printf(_("Demo data was already there. Demo users (password '%s' unless "
					 "changed since):\n"), demo_password);
			json_t *users = user_list(&a, &e);
			size_t i;
			json_t *u;
			json_array_foreach(users, i, u) {
				char *roles = json_dumps(json_object_get(u, "roles"), JSON_COMPACT);
				printf("  %-14s %s\n", json_string_value(json_object_get(u, "name")), roles);
				free(roles);
			}
			json_decref(users);
		}
	}
	app_close(&a);
	return rc;
}
