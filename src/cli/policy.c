/*
 * policy.c: sigap policy list | show | diff | withdraw | round: the library
 * of policies from the command line (app/policies.c, docs/policies.md). A
 * policy is drafted, approved, ratified, published and evaluated on the
 * cases of SOP kebijakan (sigap case step).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: sigap policy list [--published] [--json]\n"
    "       sigap policy show ID [--version N] [--json] [--as USER]\n"
    "       sigap policy diff ID FROM TO\n"
    "       sigap policy withdraw ID --why TEXT [--as USER]\n"
    "       sigap policy round\n"
    "\n"
    "list      every policy with its state, latest and published version and\n"
    "          next review (--published: what the public page shows).\n"
    "show      one policy with its versions and history; --version N prints\n"
    "          that version's text (Markdown).\n"
    "diff      what changed from version FROM to version TO, line by line.\n"
    "withdraw  withdraws a policy (kabid, kepala_dinas).\n"
    "round     opens an evaluation case for each policy whose review has\n"
    "          fallen due; sigap serve does this on its own.\n";

typedef struct pol_opts {
	const char *as, *why;
	int version;
	bool json, published;
} pol_opts;

static int parse(int argc, char **argv, pol_opts *o)
{
	static const struct option opts[] = {{"version", required_argument, NULL, 'v'},
	                                     {"why", required_argument, NULL, 'w'},
	                                     {"published", no_argument, NULL, 'p'},
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
		case 'v': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 1 || v > 100000)
				return cli_usage_error(usage, "--version takes a version number");
			o->version = (int)v;
			break;
		}
		case 'w': o->why = optarg; break;
		case 'p': o->published = true; break;
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

static int num_arg(const char *a, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(a, &end, 10);
	if (*a == '\0' || *end || v < 1 || errno == ERANGE)
		return -1;
	*out = v;
	return 0;
}

static int list_cmd(int argc, char **argv)
{
	pol_opts o;
	int rc = parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *l = policy_list(&a, o.published, &e);
	if (l == NULL) {
		app_close(&a);
		return cli_fail(&e);
	}
	if (o.json) {
		cli_print_json(l);
	} else if (json_array_size(l) == 0) {
		printf(_("The library is empty.\n"));
	} else {
		printf("%-5s %-10s %-8s %-6s %-9s %s\n", _("NO"), _("KIND"), _("STATUS"), _("LATEST"),
		       _("PUBLISHED"), _("TITLE"));
		size_t i;
		json_t *x;
		json_array_foreach(l, i, x) {
			json_t *pv = json_object_get(x, "published_version");
			char pub[16] = "-";
			if (json_is_integer(pv))
				snprintf(pub, sizeof pub, "%lld", (long long)json_integer_value(pv));
			printf("%-5lld %-10s %-8s %-6lld %-9s %s\n",
			       (long long)json_integer_value(json_object_get(x, "id")), s(x, "kind"),
			       s(x, "status"),
			       (long long)json_integer_value(json_object_get(x, "latest_version")), pub,
			       s(x, "title"));
		}
	}
	json_decref(l);
	app_close(&a);
	return EXIT_OK;
}

static int show_cmd(int argc, char **argv)
{
	pol_opts o;
	int rc = parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	int64_t id;
	if (optind != argc - 1 || num_arg(argv[optind], &id) != 0)
		return cli_usage_error(usage, "give one policy number");
	app a;
	if (cli_open_as(&a, o.as) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	const char *as = o.as ? o.as : cli_actor();
	json_t *x = o.version ? policy_version(&a, id, o.version, &e)
	                      : policy_get(&a, as, id, false, &e);
	if (x == NULL) {
		app_close(&a);
		return cli_fail(&e);
	}
	if (o.json) {
		cli_print_json(x);
	} else if (o.version) {
		printf("%s %d: %s%s%s\n\n%s\n", _("Version"), o.version, s(x, "state"),
		       *s(x, "sha256") != '-' ? ", SHA-256 " : "",
		       *s(x, "sha256") != '-' ? s(x, "sha256") : "", s(x, "text"));
	} else {
		printf("%lld %s (%s, %s)\n", (long long)id, s(x, "title"), s(x, "kind"),
		       s(x, "status"));
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(x, "versions"), i, v)
			printf("  %s %lld %-14s %s %s\n", _("Version"),
			       (long long)json_integer_value(json_object_get(v, "version")),
			       s(v, "state"), s(v, "case"), s(v, "sha256"));
		json_array_foreach(json_object_get(x, "history"), i, v) {
			char t[64];
			cli_time(&a, json_integer_value(json_object_get(v, "at")), t, sizeof t);
			printf("  %s %s %s\n", t, s(v, "action"), s(v, "actor"));
		}
	}
	json_decref(x);
	app_close(&a);
	return EXIT_OK;
}

static int diff_cmd(int argc, char **argv)
{
	pol_opts o;
	int rc = parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	int64_t id, from, to;
	if (optind != argc - 3 || num_arg(argv[optind], &id) != 0 ||
	    num_arg(argv[optind + 1], &from) != 0 || num_arg(argv[optind + 2], &to) != 0)
		return cli_usage_error(usage, "give the policy and two version numbers");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *d = policy_diff(&a, id, (int)from, (int)to, &e);
	if (d == NULL) {
		app_close(&a);
		return cli_fail(&e);
	}
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(d, "lines"), i, x)
		printf("%s %s\n", s(x, "op"), json_string_value(json_object_get(x, "text")));
	json_decref(d);
	app_close(&a);
	return EXIT_OK;
}

static int withdraw_cmd(int argc, char **argv)
{
	pol_opts o;
	int rc = parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	int64_t id;
	if (optind != argc - 1 || num_arg(argv[optind], &id) != 0)
		return cli_usage_error(usage, "give one policy number");
	if (o.why == NULL)
		return cli_usage_error(usage, "say why with --why");
	app a;
	if (cli_open_as(&a, o.as) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	rc = policy_withdraw(&a, o.as ? o.as : cli_actor(), id, o.why, &e) != 0 ? cli_fail(&e)
	                                                                         : EXIT_OK;
	app_close(&a);
	return rc;
}

static int round_cmd(int argc, char **argv)
{
	pol_opts o;
	int rc = parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	int opened = 0;
	rc = policy_round(&a, &opened, &e) != 0 ? cli_fail(&e) : EXIT_OK;
	if (rc == EXIT_OK)
		printf(_("%d evaluation cases opened.\n"), opened);
	app_close(&a);
	return rc;
}

int cmd_policy(int argc, char **argv)
{
	static const cli_sub subs[] = {
	    {"list", list_cmd},         {"show", show_cmd},   {"diff", diff_cmd},
	    {"withdraw", withdraw_cmd}, {"round", round_cmd}, {NULL, NULL},
	};
	return cli_dispatch(argc, argv, usage, "policy", subs);
}
