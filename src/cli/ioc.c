/*
 * ioc.c: sigap ioc import | list | search | expire: the threat indicators
 * of the store.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "usage: sigap ioc import [--format auto|misp|stix|csv|plain] [--source NAME]\n"
    "                        [--tlp LABEL] [--confidence N] [--expires DAYS]\n"
    "                        [--column NAME] [--type TYPE] FILE|DIR...\n"
    "       sigap ioc list [--type TYPE] [--source NAME] [--value PREFIX] [--expired]\n"
    "                      [--limit N] [--json]\n"
    "       sigap ioc search VALUE [--json]\n"
    "       sigap ioc expire [--dry-run]\n"
    "\n"
    "import  reads MISP feeds (a directory with manifest.json, or the manifest),\n"
    "        MISP event files (with or without the {\"Event\": ...} wrapper), STIX 2.1\n"
    "        and 2.0 bundles, CSV lists with a header row naming a value column\n"
    "        (value, indicator, ioc, observable; abuse.ch's URLhaus, ThreatFox and\n"
    "        Feodo Tracker exports as published), and plain lists (a value a\n"
    "        line); the format is told from the file unless --format says it.\n"
    "        Each file is stored whole or not at all. What a file holds that\n"
    "        cannot be used is reported as FILE:LINE: reason and counted; what\n"
    "        is left out by choice is counted under its reason.\n"
    "          --source NAME     the feed's name (default: the organisation or the\n"
    "                            reporter the feed names, else the file name)\n"
    "          --tlp LABEL       TLP where the feed gives none (clear, green, amber,\n"
    "                            amber+strict, red)\n"
    "          --confidence N    0 to 100, where the feed gives none\n"
    "          --expires DAYS    an indicator without its own expiry ends DAYS after\n"
    "                            it was last seen (default: never)\n"
    "          --column NAME     CSV: the header's column that holds the values\n"
    "          --type TYPE       CSV and plain lists: the type of every value the\n"
    "                            file does not type (default: told from the value)\n"
    "list    stored indicators, newest first (not expired ones unless --expired)\n"
    "search  the stored indicators VALUE matches as detection matches it: the value,\n"
    "        the domains it is a subdomain of, the ranges that hold an address, the\n"
    "        host of a URL; exit 0 when one does, 1 when none does\n"
    "expire  deletes the indicators past their expiry\n"
    "\n"
    "Types: ipv4 ipv6 cidr domain url email md5 sha1 sha256.\n";

static int import_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
	                                     {"source", required_argument, NULL, 's'},
	                                     {"tlp", required_argument, NULL, 't'},
	                                     {"confidence", required_argument, NULL, 'c'},
	                                     {"expires", required_argument, NULL, 'x'},
	                                     {"column", required_argument, NULL, 'k'},
	                                     {"type", required_argument, NULL, 'y'},
	                                     CLI_COMMON_OPTS,
	                                     {0}};
	intel_format fmt = INTEL_AUTO;
	intel_defaults def = {NULL, NULL, -1, 0, 0, NULL, IOC_NONE};
	int c;
	char *end;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'f':
			if (intel_format_parse(optarg) < 0)
				return cli_usage_error(usage, "unknown format \"%s\"", optarg);
			fmt = (intel_format)intel_format_parse(optarg);
			break;
		case 's':
			if (*optarg == '\0' || strlen(optarg) > 200)
				return cli_usage_error(usage, "a source name is 1 to 200 characters");
			def.source = optarg;
			break;
		case 't':
			def.tlp = intel_tlp(optarg);
			if (def.tlp == NULL)
				return cli_usage_error(usage, "\"%s\" is not a TLP label", optarg);
			break;
		case 'c':
			def.confidence = (int)strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || def.confidence < 0 || def.confidence > 100)
				return cli_usage_error(usage, "--confidence takes 0 to 100");
			break;
		case 'x': {
			long days = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || days < 1 || days > 36500)
				return cli_usage_error(usage, "--expires takes a number of days");
			def.expire_after = (int64_t)days * 86400;
			break;
		}
		case 'k':
			if (*optarg == '\0' || strlen(optarg) > 100)
				return cli_usage_error(usage, "a column name is 1 to 100 characters");
			def.column = optarg;
			break;
		case 'y':
			def.type = ioc_type_parse(optarg);
			if (def.type == IOC_NONE)
				return cli_usage_error(usage, "\"%s\" is not an indicator type", optarg);
			break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "give one feed file or directory or more");
	if (def.column && fmt != INTEL_AUTO && fmt != INTEL_CSV)
		return cli_usage_error(usage, "--column is for CSV lists");
	if (def.type != IOC_NONE && fmt != INTEL_AUTO && fmt != INTEL_CSV && fmt != INTEL_PLAIN)
		return cli_usage_error(usage, "--type is for CSV and plain lists");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	def.now = app_now(&a);
	int rc = EXIT_OK;
	for (int i = optind; i < argc; i++) {
		diags d = DIAGS_INIT;
		d.limit = 20;
		ioc_import_result r;
		sg_err e = {0};
		if (isatty(2))
			fprintf(stderr, _("%s: reading…\r"), argv[i]);
		int ok = ioc_import(&a, cli_actor(), argv[i], fmt, &def, &r, &d, &e);
		diags_print(&d, stderr);
		if (d.dropped)
			fprintf(stderr, _("%s: %zu more problems not shown\n"), argv[i], d.dropped);
		if (ok != 0) {
			cli_fail(&e);
			rc = EXIT_ERR;
		} else {
			printf(_("%s: %s, %llu indicators: %lld new, %lld updated; %llu left out, %llu "
			         "invalid\n"),
			       argv[i], intel_format_name(r.counts.format),
			       (unsigned long long)r.counts.kept, (long long)r.added, (long long)r.updated,
			       (unsigned long long)r.counts.skipped, (unsigned long long)r.counts.invalid);
			if (r.counts.skipped) {
				char why[2048];
				intel_left_out_text(&r.counts, why, sizeof why);
				printf(_("%s: left out: %s\n"), argv[i], why);
			}
		}
		diags_free(&d);
	}
	app_close(&a);
	return rc;
}

static void print_row(const app *a, json_t *r)
{
	char when[64] = "-";
	json_t *exp = json_object_get(r, "expires_at");
	if (json_is_integer(exp))
		cli_time(a, json_integer_value(exp), when, sizeof when);
	json_t *conf = json_object_get(r, "confidence");
	char cbuf[8] = "-";
	if (json_is_integer(conf))
		snprintf(cbuf, sizeof cbuf, "%lld", (long long)json_integer_value(conf));
	const char *tlp = json_string_value(json_object_get(r, "tlp"));
	printf("%-7lld %-6s %-44s %-24s %-17s %-4s %s%s\n",
	       (long long)json_integer_value(json_object_get(r, "id")),
	       json_string_value(json_object_get(r, "type")),
	       json_string_value(json_object_get(r, "value")),
	       json_string_value(json_object_get(r, "source")), tlp ? tlp : "-", cbuf, when,
	       json_is_true(json_object_get(r, "expired")) ? _(" (expired)") : "");
}

static void print_header(void)
{
	printf("%-7s %-6s %-44s %-24s %-17s %-4s %s\n", _("ID"), _("TYPE"), _("VALUE"), _("SOURCE"),
	       "TLP", _("CONF"), _("EXPIRES"));
}

static int list_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"type", required_argument, NULL, 't'},
	                                     {"source", required_argument, NULL, 's'},
	                                     {"value", required_argument, NULL, 'v'},
	                                     {"expired", no_argument, NULL, 'x'},
	                                     {"limit", required_argument, NULL, 'l'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     CLI_COMMON_OPTS,
	                                     {0}};
	ioc_filter f = {0};
	bool as_json = false;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 't': f.type = optarg; break;
		case 's': f.source = optarg; break;
		case 'v': f.q = optarg; break;
		case 'x': f.expired = true; break;
		case 'j': as_json = true; break;
		case 'l':
			f.limit = cli_parse_limit(optarg);
			if (f.limit == 0)
				return cli_usage_error(usage, "--limit takes 1 to 100000");
			break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(usage, "list takes no arguments");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	int64_t total = 0;
	json_t *rows = ioc_list(&a, &f, &total, &e);
	int rc = EXIT_OK;
	if (rows == NULL)
		rc = cli_fail(&e);
	else
		cli_print_page(&a, rows, total, "indicators", as_json, print_header, print_row);
	app_close(&a);
	return rc;
}

static int search_cmd(int argc, char **argv)
{
	bool as_json = false;
	int rc0 = cli_simple_opts(argc, argv, usage, &as_json);
	if (rc0 >= 0)
		return rc0;
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one value");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *rows = ioc_search(&a, argv[optind], &e);
	int rc;
	if (rows == NULL) {
		rc = e.code == SG_EINVAL ? (cli_fail(&e), EXIT_USAGE) : cli_fail(&e);
	} else {
		rc = json_array_size(rows) ? EXIT_OK : EXIT_ERR;
		if (as_json) {
			cli_print_json(rows);
		} else if (json_array_size(rows) == 0) {
			printf(_("%s: no stored indicator matches\n"), argv[optind]);
		} else {
			print_header();
			size_t i;
			json_t *r;
			json_array_foreach(rows, i, r)
				print_row(&a, r);
		}
	}
	json_decref(rows);
	app_close(&a);
	return rc;
}

static int expire_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dry-run", no_argument, NULL, 'n'}, CLI_COMMON_OPTS, {0}};
	bool dry = false;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		if (c == 'n') {
			dry = true;
			continue;
		}
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (optind != argc)
		return cli_usage_error(usage, "expire takes no arguments");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	int64_t n = 0;
	int rc = EXIT_OK;
	if (ioc_expire(&a, cli_actor(), dry, &n, &e) != 0)
		rc = cli_fail(&e);
	else
		printf(dry ? _("%lld indicators are past their expiry\n")
		           : _("%lld expired indicators deleted\n"),
		       (long long)n);
	app_close(&a);
	return rc;
}

int cmd_ioc(int argc, char **argv)
{
	static const cli_sub subs[] = {{"import", import_cmd}, {"list", list_cmd},
	                               {"search", search_cmd}, {"expire", expire_cmd},
	                               {NULL, NULL}};
	return cli_dispatch(argc, argv, usage, "ioc", subs);
}
