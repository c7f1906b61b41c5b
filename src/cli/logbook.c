/*
 * logbook.c: sigap logbook list | verify.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"usage: sigap logbook list [--limit N] [--object OBJECT] [--json]\n"
	"       sigap logbook verify\n"
	"\n"
	"list    the newest entries of the logbook keamanan siber (default 50);\n"
	"        --object case:INS-2026-0001 shows one object's entries\n"
	"verify  walks the hash chain from the first entry; names the first\n"
	"        broken entry and exits 1 if the logbook was altered\n";

static int list_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"limit", required_argument, NULL, 'n'},
					     {"object", required_argument, NULL, 'o'},
					     {"json", no_argument, NULL, 'j'},
					     CLI_COMMON_OPTS,
					     {0}};
	int limit = 50;
	const char *object = NULL;
	bool as_json = false;
	int c;
	while ((c = getopt_long(argc, argv, "hn:", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'n':
			if ((limit = cli_parse_limit(optarg)) == 0)
				return cli_usage_error(usage, "--limit must be 1 to 100000");
			break;
		case 'o': object = optarg; break;
		case 'j': as_json = true; break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *list = logbook_list(&a, object, limit, NULL, &e);
	if (list == NULL) {
		app_close(&a);
		return cli_fail(&e);
	}
	if (as_json) {
		cli_print_json(list);
	} else {
		size_t i;
		json_t *o;
		json_array_foreach(list, i, o) {
			char when[64];
			char *details = json_dumps(json_object_get(o, "details"), JSON_COMPACT);
			printf("%6lld  %s  %-22s %-14s %-22s %s\n",
			       (long long)json_integer_value(json_object_get(o, "seq")),
			       cli_time(&a, json_integer_value(json_object_get(o, "at")), when, sizeof when),
			       json_string_value(json_object_get(o, "actor")),
			       json_string_value(json_object_get(o, "action")),
			       json_string_value(json_object_get(o, "object")), details ? details : "");
			free(details);
		}
	}
	json_decref(list);
	app_close(&a);
	return EXIT_OK;
}

static int verify_cmd(int argc, char **argv)
{
	int rc0 = cli_simple_opts(argc, argv, usage, NULL);
	if (rc0 >= 0)
		return rc0;
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	/* read as it is: a backup checked stays the file it was */
	app a;
	if (cli_open(&a, DB_OPEN_READONLY) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	logbook_report rep;
	int rc = EXIT_OK;
	if (logbook_verify(&a, &rep, &e) != 0) {
		rc = cli_fail(&e);
	} else {
		printf(ngettext("Logbook intact: %lld entry, chain head %s\n",
		                "Logbook intact: %lld entries, chain head %s\n", (unsigned long)rep.entries),
		       (long long)rep.entries, rep.head);
	}
	app_close(&a);
	return rc;
}

int cmd_logbook(int argc, char **argv)
{
	static const cli_sub subs[] = {
		{"list", list_cmd},
		{"verify", verify_cmd},
		{NULL, NULL},
	};
	return cli_dispatch(argc, argv, usage, "logbook", subs);
}
