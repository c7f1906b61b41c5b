/*
 * cli.c: what every command shares: the global options, opening the app,
 * error reporting and the identity of the person at the terminal.
 */
#include "base/log.h"
#include "cli.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

cli_globals cli_g;

bool cli_common_opt(int c)
{
	switch (c) {
	case 0x100: cli_g.db = optarg; return true;
	case 0x101: cli_g.config = optarg; return true;
	case 0x102: cli_g.sops = optarg; return true;
	default: return false;
	}
}

int cli_simple_opts(int argc, char **argv, const char *usage, bool *as_json)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, CLI_COMMON_OPTS, {0}};
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		if (c == 'j' && as_json) {
			*as_json = true;
			continue;
		}
		if (c == 'j')
			return cli_usage_error(usage, "this command has no --json");
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	return -1;
}

int cli_dispatch(int argc, char **argv, const char *usage, const char *family, const cli_sub *subs)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (const cli_sub *s = subs; s->name; s++)
		if (strcmp(argv[1], s->name) == 0)
			return s->fn(argc - 1, argv + 1);
	return cli_usage_error(usage, "unknown %s command '%s'", family, argv[1]);
}

int cli_parse_limit(const char *arg)
{
	char *end;
	long v = strtol(arg, &end, 10);
	return end != arg && *end == '\0' && v >= 1 && v <= 100000 ? (int)v : 0;
}

void cli_print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	putchar('\n');
}

void cli_print_page(const app *a, json_t *rows, int64_t total, const char *key, bool as_json,
                    void (*header)(void), void (*row)(const app *a, json_t *r))
{
	if (as_json) {
		json_t *o = json_pack("{s:I, s:o}", "total", (json_int_t)total, key, rows);
		cli_print_json(o);
		json_decref(o);
		return;
	}
	header();
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		row(a, r);
	printf(_("%zu of %lld shown\n"), json_array_size(rows), (long long)total);
	json_decref(rows);
}

const char *cli_config_path(void)
{
	if (cli_g.config)
		return cli_g.config;
	const char *env = getenv("SIGAP_CONFIG");
	if (env && *env)
		return env;
	if (access("sigap.conf", F_OK) == 0)
		return "sigap.conf";
	/* the installed binary (make install, the package) reads the
	 * sysadmin's, so that `sudo -u sigap sigap case list` reads what the
	 * service reads; a build in a source tree never does, so `make run`
	 * cannot put demo users into the store of the installed service */
	static int installed = -1;
	if (installed < 0) {
		char *self = realpath("/proc/self/exe", NULL);
		installed = self && strcmp(self, SIGAP_INSTALLED) == 0;
		free(self);
	}
	return installed && access(SIGAP_SYSCONF, F_OK) == 0 ? SIGAP_SYSCONF : NULL;
}

void cli_take(char **slot, const char *v)
{
	if (!v)
		return;
	free(*slot);
	if (!(*slot = strdup(v)))
		abort();
}

int cli_config(app_config *cfg)
{
	sg_err e = {0};
	if (app_config_load(cfg, cli_config_path(), &e) != 0) {
		cli_fail(&e);
		app_config_free(cfg);
		return -1;
	}
	cli_config_overrides(cfg);
	return 0;
}

void cli_config_overrides(app_config *cfg)
{
	const char *env;
	if (cli_g.db)
		cli_take(&cfg->db_path, cli_g.db);
	else if ((env = getenv("SIGAP_DB")) && *env)
		cli_take(&cfg->db_path, env);
	if (cli_g.sops)
		cli_take(&cfg->sops_dir, cli_g.sops);
	else if ((env = getenv("SIGAP_SOPS")) && *env)
		cli_take(&cfg->sops_dir, env);
}

int cli_open(app *a, db_open_mode mode)
{
	app_config cfg;
	if (cli_config(&cfg) != 0)
		return -1;
	sg_err e = {0};
	if (app_open(a, &cfg, mode, &e) != 0) {
		cli_fail(&e);
		return -1;
	}
	return 0;
}

int cli_open_as(app *a, const char *as)
{
	if (cli_open(a, DB_OPEN_EXISTING) != 0)
		return -1;
	sg_err e = {0};
	if (as) {
		json_t *roles = user_roles(a, as, &e);
		if (roles == NULL) {
			app_close(a);
			cli_fail(&e);
			return -1;
		}
		json_decref(roles);
	}
	return 0;
}

int cli_fail(const sg_err *e)
{
	log_say(LOG_ERROR, "%s", e->msg[0] ? e->msg : sg_code_name(e->code));
	return EXIT_ERR;
}

int cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;
	fputs("sigap: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage);
	return EXIT_USAGE;
}

const char *cli_actor(void)
{
	static char actor[200];
	if (actor[0] == '\0') {
		struct passwd *pw = getpwuid(getuid());
		char host[64] = "localhost";
		gethostname(host, sizeof host - 1);
		snprintf(actor, sizeof actor, "cli:%s@%s", pw ? pw->pw_name : "unknown", host);
	}
	return actor;
}

const char *cli_origin(void)
{
	static char origin[100];
	if (origin[0] == '\0') {
		char host[64] = "localhost";
		gethostname(host, sizeof host - 1);
		snprintf(origin, sizeof origin, "cli:%s", host);
	}
	return origin;
}

bool cli_parse_field(char *arg, sop_value *out)
{
	char *eq = strchr(arg, '=');
	if (eq == NULL || eq == arg)
		return false;
	*eq = '\0';
	out->name = arg;
	out->value = eq + 1;
	return true;
}

const char *cli_time(const app *a, json_int_t t, char *out, size_t n)
{
	if (t <= 0)
		snprintf(out, n, "-");
	else {
		char when[48];
		civil_format_id_short(t, a->cfg.cal.zone, when, sizeof when);
		snprintf(out, n, "%s %s", when, a->cfg.cal.zone->abbr);
	}
	return out;
}
