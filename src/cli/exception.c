/*
 * exception.c: sigap exception list | show | change | revoke | round:
 * exceptions to the ISMS from the command line (app/exceptions.c,
 * docs/exceptions.md). An exception is requested, weighed and decided on
 * its case (sigap case step), as SOP pengecualian runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: sigap exception list [--view V] [--json] [--as USER]\n"
    "       sigap exception show ID [--json] [--as USER]\n"
    "       sigap exception change ID --why TEXT [--controls LIST] [--findings LIST]\n"
    "                              [--clause TEXT] [--until YYYY-MM-DD] [--as USER]\n"
    "       sigap exception revoke ID --why TEXT [--as USER]\n"
    "       sigap exception round\n"
    "\n"
    "list    the exceptions by view: berlaku (in force, the default), segera\n"
    "        (ending within 30 days), kedaluwarsa, diajukan, semua.\n"
    "show    one with what it excepts, its risks, period, alerts since approval\n"
    "        and history.\n"
    "change  an approved exception's controls (FRAMEWORK:ID, comma-separated),\n"
    "        findings (numbers), policy clause or last day: the approval is void\n"
    "        (the exception is revoked) and a new case of the SOP asks for the\n"
    "        change to be approved; '' empties a list.\n"
    "revoke  ends an approved exception now (kabid, kepala_dinas).\n"
    "round   starts the approved exceptions whose day has come, ends the ones\n"
    "        past expiry (their findings back to their states) and writes the\n"
    "        reminders of [pengecualian] pengingat; sigap serve does this on its\n"
    "        own every [notify] sla_check seconds.\n"
    "With --as USER the command acts with that user's rights; without it, as the\n"
    "machine's owner.\n";

typedef struct exc_opts {
	exception_change_in in;
	const char *as, *view;
	bool json;
} exc_opts;

static int parse(int argc, char **argv, exc_opts *o)
{
	static const struct option opts[] = {{"controls", required_argument, NULL, 'c'},
	                                     {"findings", required_argument, NULL, 'f'},
	                                     {"clause", required_argument, NULL, 'k'},
	                                     {"until", required_argument, NULL, 'u'},
	                                     {"why", required_argument, NULL, 'w'},
	                                     {"view", required_argument, NULL, 'v'},
	                                     {"as", required_argument, NULL, 'A'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     CLI_COMMON_OPTS,
	                                     {0}};
	memset(o, 0, sizeof *o);
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'c': o->in.controls = optarg; break;
		case 'f': o->in.findings = optarg; break;
		case 'k': o->in.clause = optarg; break;
		case 'u': o->in.until = optarg; break;
		case 'w': o->in.why = optarg; break;
		case 'v': o->view = optarg; break;
		case 'A': o->as = optarg; break;
		case 'j': o->json = true; break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	return -1;
}

static const char *s(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v && *v ? v : "-";
}

static void print_row(json_t *x)
{
	json_t *left = json_object_get(x, "days_left");
	char days[16] = "-";
	if (left)
		snprintf(days, sizeof days, "%lld", (long long)json_integer_value(left));
	printf("%-5lld %-18s %-12s %-10s %-10s %-5s %s\n",
	       (long long)json_integer_value(json_object_get(x, "id")),
	       s(json_object_get(x, "case"), "ticket"), s(x, "state"), s(x, "starts"), s(x, "until"),
	       days, s(json_object_get(x, "case"), "title"));
}

static void print_whole(const app *a, json_t *x)
{
	print_row(x);
	printf("  %s: %s\n", _("Reason"), s(x, "reason"));
	printf("  %s: %s\n", _("Compensating controls"), s(x, "compensating"));
	if (*s(x, "policy_clause") != '-')
		printf("  %s: %s\n", _("Policy clause"), s(x, "policy_clause"));
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(x, "controls"), i, v)
		printf("  %s %s %s\n", _("Control"), s(v, "ref"), s(v, "title"));
	json_array_foreach(json_object_get(x, "assets"), i, v)
		printf("  %s %lld %s\n", _("Asset"), (long long)json_integer_value(json_object_get(v, "id")),
		       s(v, "name"));
	json_array_foreach(json_object_get(x, "findings"), i, v)
		printf("  %s %lld %s (%s)\n", _("Finding"),
		       (long long)json_integer_value(json_object_get(v, "id")), s(v, "title"),
		       s(v, "state"));
	json_array_foreach(json_object_get(x, "risks"), i, v)
		printf("  %s %lld %s (%s)\n", _("Risk"), (long long)json_integer_value(json_object_get(v, "id")),
		       s(v, "title"), s(json_object_get(v, "inherent"), "name"));
	json_t *al = json_object_get(x, "alerts");
	if (json_is_object(al))
		printf("  %s: %lld\n", _("Alerts since approval"),
		       (long long)json_integer_value(json_object_get(al, "total")));
	json_array_foreach(json_object_get(x, "history"), i, v) {
		char t[64];
		cli_time(a, json_integer_value(json_object_get(v, "at")), t, sizeof t);
		printf("  %s %s %s\n", t, s(v, "action"), s(v, "actor"));
	}
}

static int id_arg(int argc, char **argv, int64_t *id)
{
	char *end;
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one exception number");
	errno = 0;
	long long v = strtoll(argv[optind], &end, 10);
	if (*argv[optind] == '\0' || *end || v < 1 || errno == ERANGE)
		return cli_usage_error(usage, "'%s' is not an exception number", argv[optind]);
	*id = v;
	return -1;
}

static int show_id(app *a, const char *as, int64_t id, bool json)
{
	sg_err e = {0};
	json_t *x = exception_get(a, as, id, &e);
	if (x == NULL)
		return cli_fail(&e);
	if (json)
		cli_print_json(x);
	else
		print_whole(a, x);
	json_decref(x);
	return EXIT_OK;
}

static int list_cmd(int argc, char **argv)
{
	exc_opts o;
	int rc = parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	size_t k = 0;
	while (o.view && exception_views[k] && strcmp(exception_views[k], o.view) != 0)
		k++;
	if (o.view && exception_views[k] == NULL)
		return cli_usage_error(usage,
		                       "--view is berlaku, segera, kedaluwarsa, diajukan or semua");
	app a;
	if (cli_open_as(&a, o.as) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *l = exception_list(&a, o.as ? o.as : cli_actor(), o.view, &e);
	if (l == NULL) {
		app_close(&a);
		return cli_fail(&e);
	}
	json_t *rows = json_object_get(l, "exceptions");
	if (o.json) {
		cli_print_json(rows);
	} else if (json_array_size(rows) == 0) {
		printf(_("No exception in this view.\n"));
	} else {
		printf("%-5s %-18s %-12s %-10s %-10s %-5s %s\n", _("NO"), _("CASE"), _("STATE"),
		       _("FROM"), _("UNTIL"), _("DAYS"), _("TITLE"));
		size_t i;
		json_t *x;
		json_array_foreach(rows, i, x)
			print_row(x);
	}
	json_decref(l);
	app_close(&a);
	return EXIT_OK;
}

static int show_cmd(int argc, char **argv)
{
	exc_opts o;
	int64_t id;
	int rc = parse(argc, argv, &o);
	if (rc >= 0 || (rc = id_arg(argc, argv, &id)) >= 0)
		return rc;
	app a;
	if (cli_open_as(&a, o.as) != 0)
		return EXIT_ERR;
	rc = show_id(&a, o.as ? o.as : cli_actor(), id, o.json);
	app_close(&a);
	return rc;
}

static int change_cmd(int argc, char **argv)
{
	exc_opts o;
	int64_t id;
	int rc = parse(argc, argv, &o);
	if (rc >= 0 || (rc = id_arg(argc, argv, &id)) >= 0)
		return rc;
	if (o.in.why == NULL)
		return cli_usage_error(usage, "say why with --why");
	app a;
	if (cli_open_as(&a, o.as) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	char ticket[32];
	int64_t new_id = 0;
	const char *actor = o.as ? o.as : cli_actor();
	if (exception_change(&a, actor, id, &o.in, ticket, &new_id, &e) != 0) {
		rc = cli_fail(&e);
	} else {
		if (!o.json)
			printf(_("Exception %lld is revoked; the change is exception %lld of case %s, "
			         "to be approved.\n"),
			       (long long)id, (long long)new_id, ticket);
		rc = show_id(&a, actor, new_id, o.json);
	}
	app_close(&a);
	return rc;
}

static int revoke_cmd(int argc, char **argv)
{
	exc_opts o;
	int64_t id;
	int rc = parse(argc, argv, &o);
	if (rc >= 0 || (rc = id_arg(argc, argv, &id)) >= 0)
		return rc;
	if (o.in.why == NULL)
		return cli_usage_error(usage, "say why with --why");
	app a;
	if (cli_open_as(&a, o.as) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	const char *actor = o.as ? o.as : cli_actor();
	rc = exception_revoke(&a, actor, id, o.in.why, &e) != 0 ? cli_fail(&e)
	                                                          : show_id(&a, actor, id, o.json);
	app_close(&a);
	return rc;
}

static int round_cmd(int argc, char **argv)
{
	exc_opts o;
	int rc = parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	app a;
	if (cli_open_as(&a, o.as) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	int moved = 0;
	rc = exception_round(&a, &moved, &e) != 0 ? cli_fail(&e) : EXIT_OK;
	if (rc == EXIT_OK)
		printf(_("%d changes (started, ended, reminded).\n"), moved);
	app_close(&a);
	return rc;
}

int cmd_exception(int argc, char **argv)
{
	static const cli_sub subs[] = {
	    {"list", list_cmd},     {"show", show_cmd},   {"change", change_cmd},
	    {"revoke", revoke_cmd}, {"round", round_cmd}, {NULL, NULL},
	};
	return cli_dispatch(argc, argv, usage, "exception", subs);
}
