/*
 * rules.c: sigap rules check | list | reload: Sigma rule files, loaded
 * as sigap detect loads them; the loading itself, shared with detect; and
 * the reload of every running server's rules.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "detect/sigma/correlate.h"
#include "detect/sigma/rules.h"

static const char rules_usage[] =
    "usage: sigap rules check [--mapping FILE] [--placeholders FILE] PATH...\n"
    "       sigap rules list [--mapping FILE] [--placeholders FILE] [PATH...]\n"
    "       sigap rules reload\n"
    "\n"
    "check   loads Sigma rule files and reports each rule that cannot be loaded\n"
    "        (FILE:LINE:COL: reason); exit 0 when all load, 1 otherwise\n"
    "list    id, level, logsource and title of each rule (default: the shipped rules)\n"
    "reload  loads the rules as [detect] in sigap.conf names them, as sigap serve\n"
    "        does; when every one loads, every sigap serve on this store runs\n"
    "        them within a second or two, without a restart (one that does not\n"
    "        load is reported and nothing changes)\n"
    "\n"
    "  --mapping FILE       logsource and field mapping (default: rules/mapping.yaml)\n"
    "  --placeholders FILE  values of the placeholders of |expand: a YAML map of\n"
    "                       names to lists (without it such rules are refused)\n";

/* An empty rule set with the mapping and placeholders files of f;
 * NULL after printing why. */
static det_rules *new_rules(const rules_files *f)
{
	diags d = DIAGS_INIT;
	det_rules *rs = det_rules_open(f->mapping, f->placeholders, &d);
	diags_print(&d, stderr);
	diags_free(&d);
	return rs;
}

/* The options of sigap rules check/list: --mapping, --placeholders and
 * --help. Returns -1 to go on, else the exit code. */
static int rules_opts(int argc, char **argv, rules_files *f)
{
	static const struct option opts[] = {{"mapping", required_argument, NULL, 'm'},
	                                     {"placeholders", required_argument, NULL, 'p'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {0}};
	int c;
	while ((c = getopt_long(argc, argv, "hm:p:", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(rules_usage, stdout);
			return EXIT_OK;
		}
		if (c == 'm')
			f->mapping = optarg;
		else if (c == 'p')
			f->placeholders = optarg;
		else {
			fputs(rules_usage, stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}

/* Loads the mapping, placeholders and rules (det_rules_load); NULL after
 * printing why. */
det_rules *cli_load_rules(const rules_files *f, const char **paths, int n_paths, bool builtin,
                          bool report_summary)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	diags d = DIAGS_INIT;
	d.limit = 100000;
	det_rules_source src = {.mapping = f->mapping,
	                        .placeholders = f->placeholders,
	                        .cache = f->cache,
	                        .paths = paths,
	                        .n_paths = n_paths,
	                        .builtin = n_paths == 0 || builtin};
	char why[1400];
	det_rules *rs = det_rules_load(&src, &d, why, sizeof why);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	diags_print(&d, stderr);
	if (rs == NULL) {
		diags_free(&d);
		return NULL;
	}
	const char *note;
	det_cache_state cs = det_rules_cache_state(rs, &note);
	if (report_summary || d.n)
		fprintf(stderr,
		        "sigap: %zu rules and %zu correlations loaded, %zu not loaded, in %.2f s%s\n",
		        det_rules_count(rs), det_rules_n_correlations(rs), d.n + d.dropped,
		        (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		        cs == DET_CACHE_HIT ? " (pattern databases from the cache)" : "");
	if (note && (report_summary || cs == DET_CACHE_REBUILT || cs == DET_CACHE_FAILED))
		fprintf(stderr, "sigap: %s\n", note);
	if (det_rules_count(rs) == 0 || (f->every_rule && d.n + d.dropped > 0)) {
		if (det_rules_count(rs) == 0)
			fprintf(stderr, "sigap: no rule could be loaded\n");
		diags_free(&d);
		det_rules_free(rs);
		return NULL;
	}
	diags_free(&d);
	return rs;
}

static int rules_check(int argc, char **argv)
{
	rules_files f = {0};
	int rc0 = rules_opts(argc, argv, &f);
	if (rc0 >= 0)
		return rc0;
	if (optind == argc)
		return cli_usage_error(rules_usage, "give rule files or directories");
	det_rules *rs = new_rules(&f);
	if (rs == NULL)
		return EXIT_ERR;
	diags d = DIAGS_INIT;
	d.limit = 100000;
	for (int i = optind; i < argc; i++)
		det_rules_add_path(rs, argv[i], &d);
	det_rules_compile(rs, &d);
	diags_print(&d, stdout);
	printf("%zu rules and %zu correlations loaded, %zu not loaded, %zu with a logsource no "
	       "input feeds\n",
	       det_rules_count(rs), det_rules_n_correlations(rs), d.n + d.dropped,
	       det_rules_unmapped(rs));
	int rc = d.n + d.dropped ? EXIT_ERR : EXIT_OK;
	diags_free(&d);
	det_rules_free(rs);
	return rc;
}

static int rules_list(int argc, char **argv)
{
	rules_files f = {0};
	int rc0 = rules_opts(argc, argv, &f);
	if (rc0 >= 0)
		return rc0;
	det_rules *rs = cli_load_rules(&f, (const char **)argv + optind, argc - optind, false, false);
	if (rs == NULL)
		return EXIT_ERR;
	for (size_t i = 0; i < det_rules_count(rs); i++) {
		const det_rule *r = det_rules_get(rs, i);
		printf("%-36s  %-13s  %s/%s/%s  %s\n", r->id ? r->id : "-",
		       r->level ? r->level : "-", r->product ? r->product : "*",
		       r->category ? r->category : "*", r->service ? r->service : "*", r->title);
	}
	for (size_t i = 0; i < det_rules_n_correlations(rs); i++) {
		const det_rule *r = det_rules_correlation(rs, i);
		printf("%-36s  %-13s  %-17s  %s\n", r->id ? r->id : "-", r->level ? r->level : "-",
		       r->correlation, r->title);
	}
	det_rules_free(rs);
	return EXIT_OK;
}

/* Checks the configured rules, then moves the change mark "rules" that
 * every sigap serve on the store reads (app/change_marks.c). */
static int rules_reload(int argc, char **argv)
{
	int rc = cli_simple_opts(argc, argv, rules_usage, NULL);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(rules_usage, "unexpected argument '%s'", argv[optind]);
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	char *cache = app_rules_cache_dir(&a.cfg, NULL);
	rules_files f = {.mapping = a.cfg.detect_mapping,
	                 .placeholders = a.cfg.detect_placeholders,
	                 .cache = cache,
	                 .every_rule = true}; /* a broken file is fixed, not dropped */
	const char *dir = a.cfg.detect_rules;
	det_rules *rs = cli_load_rules(&f, &dir, dir ? 1 : 0, true, true);
	free(cache);
	if (rs == NULL) {
		fprintf(stderr, "sigap: the rules were not reloaded; the servers run the ones they "
		                "have\n");
		app_close(&a);
		return EXIT_ERR;
	}
	size_t n = det_rules_count(rs), nc = det_rules_n_correlations(rs);
	det_rules_free(rs);
	sg_err e = {0};
	if (app_mark_changed(&a, "rules", &e) != 0) {
		app_close(&a);
		return cli_fail(&e);
	}
	app_close(&a);
	printf(_("%zu rules and %zu correlations checked; every sigap serve on this store runs "
	         "them within a second or two\n"),
	       n, nc);
	return EXIT_OK;
}

int cmd_rules(int argc, char **argv)
{
	static const cli_sub subs[] = {
	    {"check", rules_check}, {"list", rules_list}, {"reload", rules_reload}, {NULL, NULL}};
	return cli_dispatch(argc, argv, rules_usage, "rules", subs);
}
