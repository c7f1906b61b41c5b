/*
 * alert.c: sigap alert list | show | decide | case: triage of the alerts
 * detection raised.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: sigap alert list [--status S] [--level L] [--rule ID] [--asset NAME]\n"
    "                        [--asset-id ID] [--unmatched] [--since DATE] [--limit N]\n"
    "                        [--as USER] [--json]\n"
    "       sigap alert show ID [--as USER] [--json]\n"
    "       sigap alert decide ID triage|false_positive|true_positive --as USER\n"
    "                          [--reason TEXT]\n"
    "       sigap alert case ID... --as USER\n"
    "       sigap alert attach ID... --asset ID --as USER\n"
    "\n"
    "list    alerts, last seen first; S is new, triage, false_positive or\n"
    "        true_positive; L informational, low, medium, high or critical;\n"
    "        --asset is the text the event named, --asset-id the register's asset;\n"
    "        --unmatched: alerts attached to no asset; --as: as USER may see them\n"
    "        (an agen_siber its OPD's)\n"
    "show    one alert with the event that raised it and the indicators it held\n"
    "decide  records a triage decision; false_positive and true_positive need\n"
    "        --reason (in the logbook)\n"
    "case    opens a case of the CTI SOP for the alerts and links them\n"
    "attach  puts alerts on an asset of the register (those that matched none,\n"
    "        or a correction), in the logbook\n"
    "\n"
    "Alerts are raised by sigap serve's inputs and by 'sigap detect --store'.\n";

static int parse_id(const char *s, int64_t *out)
{
	char *end;
	if (strncasecmp(s, "ALR-", 4) == 0)
		s += 4;
	long long v = strtoll(s, &end, 10);
	if (*s == '\0' || *end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

static void print_alert_header(void)
{
	printf("%-10s %-13s %-14s %5s  %-22s %-16s %-14s %s\n", _("ALERT"), _("LEVEL"), _("STATUS"),
	       _("COUNT"), _("LAST SEEN"), _("ASSET"), _("CASE"), _("TITLE"));
}

static void print_alert_line(const app *a, json_t *r)
{
	char when[64];
	cli_time(a, json_integer_value(json_object_get(r, "last_seen")), when, sizeof when);
	const char *asset = json_string_value(json_object_get(r, "asset"));
	const char *ticket = json_string_value(json_object_get(r, "case"));
	printf("ALR-%-6lld %-13s %-14s %5lld  %-22s %-16s %-14s %s\n",
	       (long long)json_integer_value(json_object_get(r, "id")),
	       json_string_value(json_object_get(r, "level")),
	       json_string_value(json_object_get(r, "status")),
	       (long long)json_integer_value(json_object_get(r, "count")), when,
	       asset ? asset : "-", ticket ? ticket : "-",
	       json_string_value(json_object_get(r, "title")));
}

static int list_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"status", required_argument, NULL, 's'},
	                                     {"level", required_argument, NULL, 'l'},
	                                     {"rule", required_argument, NULL, 'r'},
	                                     {"asset", required_argument, NULL, 'a'},
	                                     {"asset-id", required_argument, NULL, 'A'},
	                                     {"unmatched", no_argument, NULL, 'u'},
	                                     {"as", required_argument, NULL, 'w'},
	                                     {"since", required_argument, NULL, 'S'},
	                                     {"limit", required_argument, NULL, 'n'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     CLI_COMMON_OPTS,
	                                     {0}};
	alert_filter f = {0};
	bool as_json = false;
	const char *since = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 's': f.status = optarg; break;
		case 'l': f.level = optarg; break;
		case 'r': f.rule_id = optarg; break;
		case 'a': f.asset = optarg; break;
		case 'A':
			if (parse_id(optarg, &f.asset_id) != 0)
				return cli_usage_error(usage, "--asset-id takes an asset's number");
			break;
		case 'u': f.unmatched = true; break;
		case 'w': f.viewer = optarg; break;
		case 'S': since = optarg; break;
		case 'j': as_json = true; break;
		case 'n':
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
	if (since && civil_parse(since, a.cfg.cal.zone, &f.since) != 0) {
		app_close(&a);
		return cli_usage_error(usage, "--since takes a date (YYYY-MM-DD[ HH:MM])");
	}
	sg_err e = {0};
	alert_pager pg = {0};
	json_t *rows = alert_list(&a, &f, &pg, &e);
	int rc = EXIT_OK;
	if (rows == NULL) {
		rc = cli_fail(&e);
	} else if (pg.total_more && !as_json) { /* counting stopped at ALERT_COUNT_CAP */
		print_alert_header();
		size_t i;
		json_t *r;
		json_array_foreach(rows, i, r)
			print_alert_line(&a, r);
		printf(_("%zu of more than %lld shown\n"), json_array_size(rows), (long long)pg.total);
		json_decref(rows);
	} else if (pg.total_more) {
		json_t *o = json_pack("{s:I, s:b, s:o}", "total", (json_int_t)pg.total, "total_more", 1,
		                      "alerts", rows);
		cli_print_json(o);
		json_decref(o);
	} else {
		cli_print_page(&a, rows, pg.total, "alerts", as_json, print_alert_header,
		               print_alert_line);
	}
	app_close(&a);
	return rc;
}

static int show_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"as", required_argument, NULL, 'w'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     CLI_COMMON_OPTS,
	                                     {0}};
	bool as_json = false;
	const char *viewer = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'w': viewer = optarg; break;
		case 'j': as_json = true; break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	int64_t id;
	if (optind != argc - 1 || parse_id(argv[optind], &id) != 0)
		return cli_usage_error(usage, "give one alert number");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *r = alert_get(&a, id, viewer, &e);
	int rc = EXIT_OK;
	if (r == NULL) {
		rc = cli_fail(&e);
	} else if (as_json) {
		cli_print_json(r);
	} else {
		char first[64], last[64];
		cli_time(&a, json_integer_value(json_object_get(r, "first_seen")), first, sizeof first);
		cli_time(&a, json_integer_value(json_object_get(r, "last_seen")), last, sizeof last);
		const char *s;
		printf("ALR-%lld  %s\n", (long long)id, json_string_value(json_object_get(r, "title")));
		printf(_("level:      %s\n"), json_string_value(json_object_get(r, "level")));
		printf(_("status:     %s\n"), json_string_value(json_object_get(r, "status")));
		if ((s = json_string_value(json_object_get(r, "reason"))))
			printf(_("reason:     %s (%s)\n"), s,
			       json_string_value(json_object_get(r, "decided_by")));
		if ((s = json_string_value(json_object_get(r, "rule_id"))))
			printf(_("rule:       %s\n"), s);
		if (json_integer_value(json_object_get(r, "asset_id")) > 0)
			printf(_("asset:      %lld %s (named %s)\n"),
			       (long long)json_integer_value(json_object_get(r, "asset_id")),
			       json_string_value(json_object_get(r, "asset_name")),
			       (s = json_string_value(json_object_get(r, "asset"))) ? s : "-");
		else
			printf(_("asset:      none (named %s)\n"),
			       (s = json_string_value(json_object_get(r, "asset"))) ? s : "-");
		printf(_("source:     %s\n"),
		       (s = json_string_value(json_object_get(r, "source_ip"))) ? s : "-");
		printf(_("seen:       %lld times, %s to %s\n"),
		       (long long)json_integer_value(json_object_get(r, "count")), first, last);
		printf(_("case:       %s\n"), (s = json_string_value(json_object_get(r, "case"))) ? s : "-");
		size_t i;
		json_t *t;
		json_array_foreach(json_object_get(r, "tags"), i, t)
			printf(_("tag:        %s\n"), json_string_value(t));
		json_array_foreach(json_object_get(r, "indicators"), i, t) {
			const char *src = json_string_value(json_object_get(t, "source"));
			const char *tlp = json_string_value(json_object_get(t, "tlp"));
			printf(_("indicator:  %s %s (%s, %s)\n"),
			       json_string_value(json_object_get(t, "type")),
			       json_string_value(json_object_get(t, "value")), src ? src : "-",
			       tlp ? tlp : "-");
		}
		printf(_("event:      %s\n"),
		       json_string_value(json_object_get(json_object_get(r, "event"), "raw")));
	}
	json_decref(r);
	app_close(&a);
	return rc;
}

/* --as and --reason, with the common options. */
static int actor_opts(int argc, char **argv, const char **as, const char **reason)
{
	static const struct option opts[] = {{"as", required_argument, NULL, 'a'},
	                                     {"reason", required_argument, NULL, 'r'},
	                                     CLI_COMMON_OPTS,
	                                     {0}};
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		if (c == 'a')
			*as = optarg;
		else if (c == 'r' && reason)
			*reason = optarg;
		else {
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (*as == NULL)
		return cli_usage_error(usage, "say who decides with --as USER");
	return -1;
}

static int decide_cmd(int argc, char **argv)
{
	const char *as = NULL, *reason = NULL;
	int rc0 = actor_opts(argc, argv, &as, &reason);
	if (rc0 >= 0)
		return rc0;
	int64_t id;
	if (optind != argc - 2 || parse_id(argv[optind], &id) != 0)
		return cli_usage_error(usage, "give an alert number and a decision");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	int rc = EXIT_OK;
	if (alert_decide(&a, as, id, argv[optind + 1], reason, &e) != 0)
		rc = cli_fail(&e);
	else
		printf(_("ALR-%lld: %s\n"), (long long)id, argv[optind + 1]);
	app_close(&a);
	return rc;
}

static int case_cmd(int argc, char **argv)
{
	const char *as = NULL;
	int rc0 = actor_opts(argc, argv, &as, NULL);
	if (rc0 >= 0)
		return rc0;
	int n = argc - optind;
	if (n < 1 || n > 500)
		return cli_usage_error(usage, "give 1 to 500 alert numbers");
	int64_t ids[500];
	for (int i = 0; i < n; i++)
		if (parse_id(argv[optind + i], &ids[i]) != 0)
			return cli_usage_error(usage, "\"%s\" is not an alert number", argv[optind + i]);
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	char ticket[32];
	int rc = EXIT_OK;
	if (alert_open_case(&a, as, ids, (size_t)n, cli_origin(), ticket, &e) != 0)
		rc = cli_fail(&e);
	else
		printf("%s\n", ticket);
	app_close(&a);
	return rc;
}

static int attach_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"as", required_argument, NULL, 'w'},
	                                     {"asset", required_argument, NULL, 'a'},
	                                     CLI_COMMON_OPTS,
	                                     {0}};
	const char *as = NULL;
	int64_t asset = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'w': as = optarg; break;
		case 'a':
			if (parse_id(optarg, &asset) != 0)
				return cli_usage_error(usage, "--asset takes an asset's number");
			break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (as == NULL)
		return cli_usage_error(usage, "say who attaches with --as USER");
	if (asset == 0)
		return cli_usage_error(usage, "say which asset with --asset ID");
	int n = argc - optind;
	if (n < 1 || n > 500)
		return cli_usage_error(usage, "give 1 to 500 alert numbers");
	int64_t ids[500];
	for (int i = 0; i < n; i++)
		if (parse_id(argv[optind + i], &ids[i]) != 0)
			return cli_usage_error(usage, "\"%s\" is not an alert number", argv[optind + i]);
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	int rc = EXIT_OK;
	if (alert_attach(&a, as, ids, (size_t)n, asset, &e) != 0)
		rc = cli_fail(&e);
	else
		printf(_("%d alert(s) attached to asset %lld\n"), n, (long long)asset);
	app_close(&a);
	return rc;
}

int cmd_alert(int argc, char **argv)
{
	static const cli_sub subs[] = {{"list", list_cmd},     {"show", show_cmd},
	                               {"decide", decide_cmd}, {"case", case_cmd},
	                               {"attach", attach_cmd}, {NULL, NULL}};
	return cli_dispatch(argc, argv, usage, "alert", subs);
}
