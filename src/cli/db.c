/*
 * db.c: sigap db copy | backup | restore: moving and keeping a whole
 * installation.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"usage: sigap db copy --from PATH_OR_URL --to PATH_OR_URL\n"
	"       sigap db backup FILE\n"
	"       sigap db restore FILE\n"
	"\n"
	"copy    copies every row of an installation into a new, empty store:\n"
	"        SQLite to PostgreSQL when one server is not enough, or back;\n"
	"        a store is a SQLite file (PATH or sqlite:PATH) or a PostgreSQL\n"
	"        database (postgresql://…); the target is created or migrated,\n"
	"        must hold no data, and is checked after the copy: the same\n"
	"        rows in every table, and an intact logbook chain. Stop sigap\n"
	"        on the source first. The evidence files are not in the store:\n"
	"        copy the evidence directory beside it too (rsync -a).\n"
	"backup  a consistent copy of the running SQLite installation (--db,\n"
	"        $SIGAP_DB or [database] path) into the new file FILE, while\n"
	"        sigap keeps serving; a PostgreSQL store is backed up with\n"
	"        pg_dump (docs/operations.md)\n"
	"restore puts the backup FILE in place of the SQLite store (--db,\n"
	"        $SIGAP_DB or [database] path): FILE is checked first (an intact\n"
	"        SQLite file holding sigap's schema, not newer than this sigap's,\n"
	"        its logbook chain intact),\n"
	"        the store must be in no one's hands (stop sigap serve first),\n"
	"        then the store is brought to this sigap's schema and its logbook\n"
	"        chain verified; a PostgreSQL store is restored with pg_restore\n";

static void table_done(const char *table, int64_t rows, void *arg)
{
	(void)arg;
	fprintf(stderr, "  %-28s %lld\n", table, (long long)rows);
}

static int copy_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
	                                     {"to", required_argument, NULL, 't'},
	                                     CLI_COMMON_OPTS,
	                                     {0}};
	const char *from = NULL, *to = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (from == NULL || to == NULL)
		return cli_usage_error(usage, "give both --from and --to");
	if (strcmp(from, to) == 0)
		return cli_usage_error(usage, "--from and --to name the same store");
	sg_err e = {0};
	db *src = NULL, *dst = NULL;
	if (db_open(from, DB_OPEN_EXISTING, &src, &e) != 0) {
		sg_err_prefix(&e, "--from");
		return cli_fail(&e);
	}
	if (db_open(to, DB_OPEN_CREATE, &dst, &e) != 0) {
		sg_err_prefix(&e, "--to");
		db_close(src);
		return cli_fail(&e);
	}
	char from_shown[1024], to_shown[1024];
	db_target_shown(from, from_shown, sizeof from_shown);
	db_target_shown(to, to_shown, sizeof to_shown);
	fprintf(stderr, "copying %s (%s) to %s (%s):\n", from_shown, db_store_name(src), to_shown,
	        db_store_name(dst));
	int rc = EXIT_ERR;
	char differs[300];
	if (db_copy(src, dst, table_done, NULL, &e) != 0) {
		cli_fail(&e);
		goto out;
	}
	int same = db_copy_counts(src, dst, differs, sizeof differs, &e);
	if (same < 0) {
		cli_fail(&e);
		goto out;
	}
	if (same > 0) {
		fprintf(stderr, "sigap: the copy differs from its source: %s\n", differs);
		goto out;
	}
	/* the logbook's check reads the store only */
	app target;
	memset(&target, 0, sizeof target);
	target.db = dst;
	logbook_report rep;
	if (logbook_verify(&target, &rep, &e) != 0) {
		cli_fail(&e);
		goto out;
	}
	printf("Copied: every table holds the rows of its source; logbook intact: %lld entries, "
	       "chain head %s\n",
	       (long long)rep.entries, rep.head);
	rc = EXIT_OK;
out:
	db_close(src);
	db_close(dst);
	return rc;
}

static void pages_left(int left, int total, void *arg)
{
	int *last = arg;
	int pct = total > 0 ? (int)(100 - (int64_t)left * 100 / total) : 100;
	if (pct / 10 != *last / 10 || left == 0) {
		fprintf(stderr, "\r  %3d%% of %d pages", pct, total);
		*last = pct;
	}
}

static int backup_cmd(int argc, char **argv)
{
	int rc0 = cli_simple_opts(argc, argv, usage, NULL);
	if (rc0 >= 0)
		return rc0;
	if (optind + 1 != argc || argv[optind][0] == '\0')
		return cli_usage_error(usage, "give the backup FILE");
	const char *path = argv[optind];
	app_config cfg;
	if (cli_config(&cfg) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	db *d = NULL;
	int last = -10, rc = EXIT_OK;
	/* the store as it is, not migrated: a backup taken with a new
	 * binary before the upgrade is a copy of the store before it */
	if (db_open(cfg.db_path, DB_OPEN_READONLY, &d, &e) != 0) {
		rc = cli_fail(&e);
	} else if (db_backup(d, path, pages_left, &last, &e) != 0) {
		if (last >= 0)
			fputc('\n', stderr);
		rc = cli_fail(&e);
	} else {
		fputc('\n', stderr);
		printf("Backup written: %s\n", path);
	}
	db_close(d);
	app_config_free(&cfg);
	return rc;
}

/* Whether the backup at path, a store sigap reads, has a logbook chain
 * that does not hold (e says why): read as it is, before anything is
 * replaced. */
static bool backup_chain_broken(const app_config *cfg, const char *path, sg_err *e)
{
	app_config c;
	if (app_config_load(&c, NULL, e) != 0)
		return true;
	free(c.db_path);
	c.db_path = strdup(path);
	c.evidence_dir = strdup(cfg->evidence_dir ? cfg->evidence_dir : "/nonexistent");
	if (!c.db_path || !c.evidence_dir)
		abort();
	app a;
	sg_err quiet = {0};
	if (app_open(&a, &c, DB_OPEN_READONLY, &quiet) != 0)
		return false; /* not a store sigap reads: sqlite_restore says what it is */
	logbook_report rep;
	bool broken = logbook_verify(&a, &rep, e) != 0;
	app_close(&a);
	if (broken)
		sg_err_prefix(e, "the backup %s was not restored: its logbook chain does not hold", path);
	return broken;
}

static int restore_cmd(int argc, char **argv)
{
	int rc0 = cli_simple_opts(argc, argv, usage, NULL);
	if (rc0 >= 0)
		return rc0;
	if (optind + 1 != argc || argv[optind][0] == '\0')
		return cli_usage_error(usage, "give the backup FILE");
	const char *from = argv[optind];
	app_config cfg;
	if (cli_config(&cfg) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	int rc = EXIT_OK, version = 0;
	if (db_target_is_postgres(cfg.db_path)) {
		sg_err_set(&e, SG_EINVAL,
		           "a PostgreSQL store is restored with pg_restore (docs/operations.md)");
		rc = cli_fail(&e);
	} else if (backup_chain_broken(&cfg, from, &e)) {
		/* a store is never replaced by a backup its own logbook refutes */
		rc = cli_fail(&e);
	} else if (sqlite_restore(strncmp(cfg.db_path, "sqlite:", 7) == 0 ? cfg.db_path + 7
	                                                                   : cfg.db_path,
	                          from, db_schema_latest(), &version, &e) != 0) {
		rc = cli_fail(&e);
	}
	app_config_free(&cfg);
	if (rc != EXIT_OK)
		return rc;
	/* opened: brought to this sigap's schema; then its chain walked */
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	logbook_report rep;
	if (logbook_verify(&a, &rep, &e) != 0) {
		app_close(&a);
		return cli_fail(&e);
	}
	printf("Restored %s (schema %d, now %d); logbook: %lld entries, chain intact\n", from,
	       version, db_schema_version(a.db), (long long)rep.entries);
	app_close(&a);
	return EXIT_OK;
}

int cmd_db(int argc, char **argv)
{
	static const cli_sub subs[] = {
		{"copy", copy_cmd},
		{"backup", backup_cmd},
		{"restore", restore_cmd},
		{NULL, NULL},
	};
	return cli_dispatch(argc, argv, usage, "db", subs);
}
