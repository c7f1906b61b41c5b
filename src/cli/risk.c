/*
 * risk.c: sigap risk add | edit | list | show | matrix: the risk register
 * from the command line (app/risks.c, docs/risks.md).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: sigap risk add --title TEXT --likelihood N --impact N --treatment T\n"
    "                      [FIELDS] [--as USER]\n"
    "       sigap risk edit ID [FIELDS] [--title TEXT] [--likelihood N] [--impact N]\n"
    "                      [--treatment T] [--status aktif|ditutup] [--as USER]\n"
    "       sigap risk list [--status aktif|ditutup] [--level N] [--opd OPD] [--json]\n"
    "                       [--as USER]\n"
    "       sigap risk show ID [--json] [--as USER]\n"
    "       sigap risk matrix [--json]\n"
    "\n"
    "FIELDS:\n"
    "  --description TEXT  --threat TEXT  --vulnerability TEXT  --plan TEXT\n"
    "  --opd OPD            the OPD it concerns (abbreviation; '' none)\n"
    "  --asset ID...        the assets it concerns (replaces the list; '' none)\n"
    "  --residual L,I       likelihood and impact after treatment ('' clears)\n"
    "  --owner USER         who answers for it ('' none)\n"
    "  --review YYYY-MM-DD  the next review (on add, without it: the level's\n"
    "                       cadence in [risiko])\n"
    "\n"
    "Likelihood and impact are steps of the matrix of [risiko], 1 the lowest\n"
    "(sigap risk matrix shows them); T is terima, mitigasi, alihkan or hindari.\n"
    "add     enters a risk; edit changes the fields given (a closed risk:\n"
    "        --status ditutup); list the risks by review date, the open ones by\n"
    "        default; show one with its levels, assets and history.\n"
    "With --as USER the command acts with that user's rights (the register is\n"
    "kept by tim_teknis, kabid, kepala_dinas and ttis; an agen_siber sees its\n"
    "OPD's risks); without it, as the machine's owner.\n";

enum { ASSETS_MAX = 64 };

typedef struct risk_opts {
	risk_in in;
	int64_t assets[ASSETS_MAX];
	const char *as, *filter_status;
	int level;
	bool json;
} risk_opts;

static int step_of(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end || v < 1 || v > 100)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse(int argc, char **argv, risk_opts *o)
{
	static const struct option opts[] = {{"title", required_argument, NULL, 't'},
	                                     {"description", required_argument, NULL, 'd'},
	                                     {"threat", required_argument, NULL, 'T'},
	                                     {"vulnerability", required_argument, NULL, 'v'},
	                                     {"plan", required_argument, NULL, 'p'},
	                                     {"opd", required_argument, NULL, 'o'},
	                                     {"asset", required_argument, NULL, 'a'},
	                                     {"likelihood", required_argument, NULL, 'l'},
	                                     {"impact", required_argument, NULL, 'i'},
	                                     {"residual", required_argument, NULL, 'r'},
	                                     {"treatment", required_argument, NULL, 'm'},
	                                     {"owner", required_argument, NULL, 'w'},
	                                     {"review", required_argument, NULL, 'R'},
	                                     {"status", required_argument, NULL, 's'},
	                                     {"level", required_argument, NULL, 'L'},
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
		case 't': o->in.title = optarg; break;
		case 'd': o->in.description = optarg; break;
		case 'T': o->in.threat = optarg; break;
		case 'v': o->in.vulnerability = optarg; break;
		case 'p': o->in.treatment_plan = optarg; break;
		case 'o': o->in.opd = optarg; break;
		case 'm': o->in.treatment = optarg; break;
		case 'w': o->in.owner = optarg; break;
		case 'R': o->in.review = optarg; break;
		case 's': o->in.status = o->filter_status = optarg; break;
		case 'A': o->as = optarg; break;
		case 'j': o->json = true; break;
		case 'a':
			o->in.set_assets = true;
			if (*optarg == '\0')
				break;
			if (o->in.n_assets == ASSETS_MAX)
				return cli_usage_error(usage, "at most %d assets", ASSETS_MAX);
			{
				char *end;
				long long v = strtoll(optarg, &end, 10);
				if (*end || v < 1)
					return cli_usage_error(usage, "--asset takes an asset number");
				o->assets[o->in.n_assets++] = v;
			}
			o->in.assets = o->assets;
			break;
		case 'l':
			if (step_of(optarg, &o->in.likelihood) != 0)
				return cli_usage_error(usage, "--likelihood takes a step of the matrix");
			break;
		case 'i':
			if (step_of(optarg, &o->in.impact) != 0)
				return cli_usage_error(usage, "--impact takes a step of the matrix");
			break;
		case 'L':
			if (step_of(optarg, &o->level) != 0)
				return cli_usage_error(usage, "--level takes a level number of the matrix");
			break;
		case 'r':
			if (*optarg == '\0') {
				o->in.residual_likelihood = o->in.residual_impact = -1;
			} else {
				char l[8], i[8], rest[2];
				if (sscanf(optarg, "%7[0-9],%7[0-9]%1s", l, i, rest) != 2 ||
				    step_of(l, &o->in.residual_likelihood) != 0 ||
				    step_of(i, &o->in.residual_impact) != 0)
					return cli_usage_error(usage,
					                       "--residual takes LIKELIHOOD,IMPACT (as 2,3)");
			}
			break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	return -1;
}

static void print_risk(const app *a, json_t *r, bool full)
{
	json_t *res = json_object_get(r, "residual");
	printf("%-5lld %-14s %-14s %-9s %-10s %s\n",
	       (long long)json_integer_value(json_object_get(r, "id")),
	       json_string_value(json_object_get(json_object_get(r, "inherent"), "name")),
	       json_is_null(res) ? "-" : json_string_value(json_object_get(res, "name")),
	       json_string_value(json_object_get(r, "treatment")),
	       json_string_value(json_object_get(r, "review")),
	       json_string_value(json_object_get(r, "title")));
	if (!full)
		return;
	json_t *opd = json_object_get(r, "opd");
	const char *keys[] = {"description", "threat", "vulnerability", "treatment_plan", "owner"};
	const char *names[] = {"Description", "Threat", "Vulnerability", "Treatment plan", "Owner"};
	printf("  %-15s %s\n", _("Status:"), json_string_value(json_object_get(r, "status")));
	printf("  %-15s %s\n", "OPD:", json_is_null(opd) ? "-" : json_string_value(json_object_get(opd, "abbrev")));
	printf("  %-15s %s × %s\n", _("Inherent:"),
	       json_string_value(json_object_get(json_object_get(r, "likelihood"), "name")),
	       json_string_value(json_object_get(json_object_get(r, "impact"), "name")));
	for (size_t k = 0; k < 5; k++) {
		const char *v = json_string_value(json_object_get(r, keys[k]));
		if (v && *v)
			printf("  %s: %s\n", _(names[k]), v);
	}
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(r, "assets"), i, x)
		printf("  %s %lld %s (%s)\n", _("Asset"), (long long)json_integer_value(json_object_get(x, "id")),
		       json_string_value(json_object_get(x, "name")),
		       json_string_value(json_object_get(x, "opd")));
	json_array_foreach(json_object_get(r, "history"), i, x) {
		char t[64];
		cli_time(a, json_integer_value(json_object_get(x, "at")), t, sizeof t);
		const char *fields =
		    json_string_value(json_object_get(json_object_get(x, "details"), "fields"));
		printf("  %s %s %s%s%s\n", t, json_string_value(json_object_get(x, "action")),
		       json_string_value(json_object_get(x, "actor")), fields ? ": " : "",
		       fields ? fields : "");
	}
}

static int show_id(app *a, const char *as, int64_t id, bool json)
{
	sg_err e = {0};
	json_t *r = risk_get(a, as, id, &e);
	if (r == NULL)
		return cli_fail(&e);
	if (json)
		cli_print_json(r);
	else
		print_risk(a, r, true);
	json_decref(r);
	return EXIT_OK;
}

static int id_arg(int argc, char **argv, int64_t *id)
{
	char *end;
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one risk number");
	long long v = strtoll(argv[optind], &end, 10);
	if (*end || v < 1)
		return cli_usage_error(usage, "'%s' is not a risk number", argv[optind]);
	*id = v;
	return -1;
}

static int add_cmd(int argc, char **argv)
{
	risk_opts o;
	int rc = parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (o.in.status)
		return cli_usage_error(usage, "a new risk is aktif: give no --status");
	app a;
	if (cli_open_as(&a, o.as) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	int64_t id;
	const char *actor = o.as ? o.as : cli_actor();
	rc = risk_create(&a, actor, &o.in, &id, &e) != 0 ? cli_fail(&e)
	                                                   : show_id(&a, actor, id, o.json);
	app_close(&a);
	return rc;
}

static int edit_cmd(int argc, char **argv)
{
	risk_opts o;
	int64_t id;
	int rc = parse(argc, argv, &o);
	if (rc >= 0 || (rc = id_arg(argc, argv, &id)) >= 0)
		return rc;
	app a;
	if (cli_open_as(&a, o.as) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	const char *actor = o.as ? o.as : cli_actor();
	json_t *seen = risk_get(&a, actor, id, &e);
	rc = seen == NULL || risk_update(&a, actor, id, &o.in, &e) != 0
	         ? cli_fail(&e)
	         : show_id(&a, actor, id, o.json);
	json_decref(seen);
	app_close(&a);
	return rc;
}

static int show_cmd(int argc, char **argv)
{
	risk_opts o;
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

static int list_cmd(int argc, char **argv)
{
	risk_opts o;
	int rc = parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	app a;
	if (cli_open_as(&a, o.as) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	if (o.filter_status && strcmp(o.filter_status, "aktif") != 0 &&
	    strcmp(o.filter_status, "ditutup") != 0 && strcmp(o.filter_status, "semua") != 0) {
		app_close(&a);
		return cli_usage_error(usage, "--status is aktif, ditutup or semua");
	}
	if (o.level > a.cfg.risk.n_levels) {
		app_close(&a);
		return cli_usage_error(usage, "--level is a level of the matrix, 1 to %d",
		                       a.cfg.risk.n_levels);
	}
	risk_filter f = {.status = o.filter_status ? o.filter_status : "aktif", .level = o.level};
	if (o.filter_status && strcmp(o.filter_status, "semua") == 0)
		f.status = NULL;
	if (o.in.opd && *o.in.opd && opd_resolve(&a, o.in.opd, &f.opd_id, &e) != 0) {
		app_close(&a);
		return cli_fail(&e);
	}
	json_t *l = risk_list(&a, o.as ? o.as : cli_actor(), &f, &e);
	if (l == NULL) {
		app_close(&a);
		return cli_fail(&e);
	}
	json_t *rows = json_object_get(l, "risks");
	if (o.json) {
		cli_print_json(rows);
	} else if (json_array_size(rows) == 0) {
		printf(_("No risk matches.\n"));
	} else {
		printf("%-5s %-14s %-14s %-9s %-10s %s\n", _("NO"), _("INHERENT"), _("RESIDUAL"),
		       _("TREATMENT"), _("REVIEW"), _("TITLE"));
		size_t i;
		json_t *x;
		json_array_foreach(rows, i, x)
			print_risk(&a, x, false);
	}
	json_decref(l);
	app_close(&a);
	return EXIT_OK;
}

static int matrix_cmd(int argc, char **argv)
{
	risk_opts o;
	int rc = parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
	app_config cfg;
	if (cli_config(&cfg) != 0)
		return EXIT_ERR;
	const risk_matrix *m = &cfg.risk;
	if (o.json) {
		json_t *j = risk_matrix_json(m);
		cli_print_json(j);
		json_decref(j);
	} else {
		/* the likelihoods from the highest down, as the heat map */
		for (int l = m->n_likelihood; l >= 1; l--) {
			printf("%d %-18s", l, m->likelihood[l - 1]);
			for (int i = 1; i <= m->n_impact; i++)
				printf(" %d", risk_level(m, l, i));
			printf("\n");
		}
		printf("%s:", _("Impact"));
		for (int i = 1; i <= m->n_impact; i++)
			printf(" %d=%s", i, m->impact[i - 1]);
		printf("\n%s:", _("Levels"));
		for (int v = 1; v <= m->n_levels; v++)
			printf(" %d=%s (%d %s)", v, m->level[v - 1], m->review_days[v - 1], _("days"));
		printf("\n");
	}
	app_config_free(&cfg);
	return EXIT_OK;
}

int cmd_risk(int argc, char **argv)
{
	static const cli_sub subs[] = {
	    {"add", add_cmd},   {"edit", edit_cmd},     {"list", list_cmd},
	    {"show", show_cmd}, {"matrix", matrix_cmd}, {NULL, NULL},
	};
	return cli_dispatch(argc, argv, usage, "risk", subs);
}
