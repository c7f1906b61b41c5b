/*
 * opd.c: sigap opd add | edit | delete | list | show: the Perangkat
 * Daerah the CSIRT serves.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: sigap opd add ABBREVIATION --name NAME [--head NAME] [--contact TEXT]\n"
    "                     [--as USER]\n"
    "       sigap opd edit OPD [--name NAME] [--abbrev ABBREVIATION] [--head NAME]\n"
    "                      [--contact TEXT] [--as USER]\n"
    "       sigap opd delete OPD [--as USER]\n"
    "       sigap opd list [--json]\n"
    "       sigap opd show OPD [--json]\n"
    "\n"
    "add     a Perangkat Daerah: its abbreviation (DINKES; stored in upper\n"
    "        case), name (Dinas Kesehatan), head (kepala) and contact\n"
    "edit    changes the fields given\n"
    "delete  removes an OPD no asset and no user belongs to (a mistake); one in\n"
    "        use stays\n"
    "list    the OPDs with their counts of assets in service and users\n"
    "show    one OPD and its users\n"
    "\n"
    "OPD is the abbreviation (any case) or the number. OPDs are kept by the\n"
    "roles admin and kabid; without --as the command acts as the machine's\n"
    "owner. A user is placed in an OPD with 'sigap user opd'.\n";

/* Parses add/edit options into in; *as the --as user. */
static int parse_in(int argc, char **argv, opd_in *in, const char **as)
{
	static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
					     {"abbrev", required_argument, NULL, 'b'},
					     {"head", required_argument, NULL, 'k'},
					     {"contact", required_argument, NULL, 'c'},
					     {"as", required_argument, NULL, 'a'},
					     CLI_COMMON_OPTS,
					     {0}};
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'n': in->name = optarg; break;
		case 'b': in->abbrev = optarg; break;
		case 'k': in->head = optarg; break;
		case 'c': in->contact = optarg; break;
		case 'a': *as = optarg; break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one OPD");
	return -1;
}

static int add_cmd(int argc, char **argv)
{
	opd_in in = {0};
	const char *as = NULL;
	int rc = parse_in(argc, argv, &in, &as);
	if (rc >= 0)
		return rc;
	if (in.abbrev)
		return cli_usage_error(usage, "the abbreviation is the argument of add, not --abbrev");
	if (in.name == NULL)
		return cli_usage_error(usage, "give the OPD's --name");
	in.abbrev = argv[optind];
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	int64_t id;
	rc = EXIT_OK;
	if (opd_add(&a, as ? as : cli_actor(), &in, &id, &e) != 0)
		rc = cli_fail(&e);
	else
		printf(_("OPD %lld added.\n"), (long long)id);
	app_close(&a);
	return rc;
}

static int edit_cmd(int argc, char **argv)
{
	opd_in in = {0};
	const char *as = NULL;
	int rc = parse_in(argc, argv, &in, &as);
	if (rc >= 0)
		return rc;
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	rc = EXIT_OK;
	if (opd_update(&a, as ? as : cli_actor(), argv[optind], &in, &e) != 0)
		rc = cli_fail(&e);
	else
		printf(_("OPD %s changed.\n"), argv[optind]);
	app_close(&a);
	return rc;
}

static int delete_cmd(int argc, char **argv)
{
	opd_in in = {0};
	const char *as = NULL;
	int rc = parse_in(argc, argv, &in, &as);
	if (rc >= 0)
		return rc;
	if (in.name || in.abbrev || in.head || in.contact)
		return cli_usage_error(usage, "delete takes no fields");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	rc = EXIT_OK;
	if (opd_delete(&a, as ? as : cli_actor(), argv[optind], &e) != 0)
		rc = cli_fail(&e);
	else
		printf(_("OPD %s deleted.\n"), argv[optind]);
	app_close(&a);
	return rc;
}

static const char *s_of(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s && *s ? s : "-";
}

static int list_cmd(int argc, char **argv)
{
	bool as_json = false;
	int rc = cli_simple_opts(argc, argv, usage, &as_json);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *list = opd_list(&a, &e);
	if (list == NULL) {
		app_close(&a);
		return cli_fail(&e);
	}
	if (as_json) {
		cli_print_json(list);
	} else {
		printf("%-4s %-14s %6s %6s  %s\n", _("NO"), _("ABBREV"), _("ASSETS"), _("USERS"), _("NAME"));
		size_t i;
		json_t *o;
		json_array_foreach(list, i, o)
			printf("%-4lld %-14s %6lld %6lld  %s\n",
			       (long long)json_integer_value(json_object_get(o, "id")), s_of(o, "abbrev"),
			       (long long)json_integer_value(json_object_get(o, "assets")),
			       (long long)json_integer_value(json_object_get(o, "users")), s_of(o, "name"));
	}
	json_decref(list);
	app_close(&a);
	return EXIT_OK;
}

static int show_cmd(int argc, char **argv)
{
	bool as_json = false;
	int rc = cli_simple_opts(argc, argv, usage, &as_json);
	if (rc >= 0)
		return rc;
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one OPD");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *o = opd_get(&a, argv[optind], &e);
	if (o == NULL) {
		app_close(&a);
		return cli_fail(&e);
	}
	if (as_json) {
		cli_print_json(o);
	} else {
		printf("%-14s %s\n%-14s %s\n%-14s %s\n%-14s %s\n%-14s %lld\n", _("OPD:"), s_of(o, "name"),
		       _("Abbreviation:"), s_of(o, "abbrev"), _("Head:"), s_of(o, "head"),
		       _("Contact:"), s_of(o, "contact"), _("Assets:"),
		       (long long)json_integer_value(json_object_get(o, "assets")));
		printf("%-14s", _("Users:"));
		size_t i;
		json_t *u;
		json_array_foreach(json_object_get(o, "user_names"), i, u)
			printf(" %s", json_string_value(u));
		printf("\n");
	}
	json_decref(o);
	app_close(&a);
	return EXIT_OK;
}

int cmd_opd(int argc, char **argv)
{
	static const cli_sub subs[] = {
		{"add", add_cmd},   {"edit", edit_cmd}, {"delete", delete_cmd},
		{"list", list_cmd}, {"show", show_cmd}, {NULL, NULL},
	};
	return cli_dispatch(argc, argv, usage, "opd", subs);
}
