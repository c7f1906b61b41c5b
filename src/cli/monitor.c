/*
 * monitor.c: sigap monitor: the website monitor's command line
 * (docs/monitor.md). check is a one-off check of any public web pages,
 * printing what it found, with no store; add, edit, stop, start, list,
 * show, baseline and run work on the sites the store watches, as the
 * pages do (app/monitor.c, app/monitor_check.c).
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "monitor/analyse.h"

static const char usage[] =
    "usage: sigap monitor check [options] URL...\n"
    "       sigap monitor add ASSET URL [--every DUR] [--path P]... [--ignore SEL]...\n"
    "                         [--sitemap] [--as USER]\n"
    "       sigap monitor edit ID [--every DUR] [--path P]... [--ignore SEL]...\n"
    "                         [--sitemap | --no-sitemap] [--as USER]\n"
    "       sigap monitor stop|start ID [--as USER]\n"
    "       sigap monitor list [--state S] [--json] [--as USER]\n"
    "       sigap monitor show ID [--json] [--as USER]\n"
    "       sigap monitor baseline ID [--as USER]\n"
    "       sigap monitor run [--all] [--json]\n"
    "\n"
    "add       watches URL (one of asset ASSET's URLs) every DUR (10m: [pantau]\n"
    "          interval), with more pages of the site (--path /profil) and dynamic\n"
    "          regions left out of every page (--ignore); edit replaces a list it\n"
    "          is given and keeps the other (one empty value, '', empties it)\n"
    "stop      stops checking a site (its history stays); start resumes\n"
    "list      the watched sites, worst first; --state baru, normal, lambat,\n"
    "          sertifikat, berubah, turun, injeksi or deface\n"
    "show      a site: its accepted pages, its last checks, its findings with\n"
    "          their evidence (the SHA-256 of what was kept: /bukti/SHA256 on the\n"
    "          web) and difference\n"
    "baseline  the pages as the last check read them become what later checks\n"
    "          compare with (the CTI SOP's officers: roles ttis, kabid)\n"
    "run       checks the sites that are due now (--all: every site) and records\n"
    "          what it found, as sigap serve does every few seconds\n"
    "\n"
    "\n"
    "Fetches each URL as a browser and as a search-engine crawler (Googlebot's\n"
    "User-Agent) and prints what the website monitor finds there: no answer,\n"
    "an error status, slowness, a redirect to another domain, a refused or\n"
    "expiring certificate, defacement, online-gambling promotion, cloaking\n"
    "(the crawler shown what the visitor is not), links hidden from visitors\n"
    "that lead off the site.\n"
    "\n"
    "  --path PATH      also check PATH on each URL's site (repeatable)\n"
    "  --ignore SEL     leave out a dynamic region: tag, #id, .class, tag#id or\n"
    "                   tag.class (repeatable)\n"
    "  --rules PATH     more content rules, a file or a directory (repeatable;\n"
    "                   besides the shipped ones and [pantau] aturan)\n"
    "  --no-crawler     fetch as a browser only\n"
    "  --timeout SEC    seconds a fetch may take ([pantau] timeout, 30)\n"
    "  --slow MS        a page slower than this is slow ([pantau] lambat, 5000)\n"
    "  --ca-file FILE   trust this CA besides the system's ([pantau] ca_file)\n"
    "  --internal       fetch loopback, private and link-local addresses too\n"
    "                   (refused otherwise, redirects' too: [pantau] alamat_dalam)\n"
    "  --json           print the checks as JSON\n"
    "\n"
    "Exit status: 0 nothing found, 3 something found, 1 error, 2 usage.\n";

enum { EXIT_FOUND = 3, MAX_PAGES = 1000 };

static const char *identity(const char *s)
{
	return s;
}

static json_t *finding_json(const mon_finding *f)
{
	char sentence[1400];
	mon_finding_sentence(f, identity, sentence, sizeof sentence);
	json_t *j = json_pack("{s:s, s:s, s:s, s:b}", "kind", mon_kind_code(f->kind), "level",
	                      f->level, "text", sentence, "crawler_only", f->crawler);
	if (f->rule[0])
		json_object_set_new(j, "rule", json_string(f->rule));
	return j;
}

static json_t *fetch_json(const mon_fetch_res *r)
{
	json_t *j = json_pack("{s:b, s:I, s:I, s:I, s:s, s:s, s:b}", "reached", r->reached, "status",
	                      (json_int_t)r->status, "ms", (json_int_t)(r->total_us / 1000),
	                      "first_byte_ms", (json_int_t)(r->ttfb_us / 1000), "final_url",
	                      r->final_url ? r->final_url : "", "address", r->address, "cut",
	                      r->body_cut);
	if (r->redirects[0])
		json_object_set_new(j, "redirects", json_string(r->redirects));
	if (r->cert_not_after)
		json_object_set_new(j, "certificate_ends", json_integer(r->cert_not_after));
	if (r->error[0])
		json_object_set_new(j, "error", json_string(r->error));
	return j;
}

static void print_check(const char *url, const mon_fetch_res *b, const mon_findings *fs,
                        int64_t now)
{
	if (b->reached)
		printf("%s  HTTP %ld  %lld ms (first byte %lld ms)%s%s\n", url, b->status,
		       (long long)(b->total_us / 1000), (long long)(b->ttfb_us / 1000),
		       b->address[0] ? "  " : "", b->address);
	else
		printf("%s  no answer\n", url);
	if (b->redirects[0])
		printf("  redirects: %s\n", b->redirects);
	if (b->cert_not_after) {
		char when[64];
		time_t t = (time_t)b->cert_not_after;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
		if (b->cert_not_after < now)
			printf("  certificate ended %s\n", when);
		else
			printf("  certificate ends %s (%lld days)\n", when,
			       (long long)((b->cert_not_after - now) / 86400));
	}
	if (fs->n == 0)
		printf("  nothing found\n");
	for (size_t i = 0; i < fs->n; i++) {
		char sentence[1400];
		mon_finding_sentence(&fs->v[i], identity, sentence, sizeof sentence);
		printf("  [%s] %s: %s\n", fs->v[i].level, mon_kind_code(fs->v[i].kind), sentence);
	}
}

static int check(int argc, char **argv)
{
	static const struct option opts[] = {
		{"path", required_argument, NULL, 'p'},     {"ignore", required_argument, NULL, 'i'},
		{"rules", required_argument, NULL, 'r'},    {"no-crawler", no_argument, NULL, 'n'},
		{"timeout", required_argument, NULL, 't'},  {"slow", required_argument, NULL, 's'},
		{"ca-file", required_argument, NULL, 'c'},  {"json", no_argument, NULL, 'j'},
		{"internal", no_argument, NULL, 'I'},       CLI_COMMON_OPTS, {0}};
	const char *paths[64], *rule_paths[64];
	mon_selector ignore[64];
	size_t n_paths = 0, n_rules = 0, n_ignore = 0;
	bool crawler = true, as_json = false, internal = false;
	long timeout = 0, slow = -1;
	const char *ca_file = NULL;
	int c;
	sg_err e = {0};
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'p':
			if (n_paths == 64)
				return cli_usage_error(usage, "at most 64 --path");
			paths[n_paths++] = optarg;
			break;
		case 'i':
			if (n_ignore == 64)
				return cli_usage_error(usage, "at most 64 --ignore");
			if (!mon_selector_parse(optarg, &ignore[n_ignore], &e))
				return cli_usage_error(usage, "%s", e.msg);
			n_ignore++;
			break;
		case 'r':
			if (n_rules == 64)
				return cli_usage_error(usage, "at most 64 --rules");
			rule_paths[n_rules++] = optarg;
			break;
		case 'n':
			crawler = false;
			break;
		case 't':
			timeout = strtol(optarg, &end, 10);
			if (*end || timeout < 1 || timeout > 3600)
				return cli_usage_error(usage, "--timeout: 1 to 3600 seconds");
			break;
		case 's':
			slow = strtol(optarg, &end, 10);
			if (*end || slow < 0 || slow > 3600000)
				return cli_usage_error(usage, "--slow: 0 to 3600000 ms");
			break;
		case 'c':
			ca_file = optarg;
			break;
		case 'j':
			as_json = true;
			break;
		case 'I':
			internal = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		default:
			if (!cli_common_opt(c))
				return cli_usage_error(usage, NULL);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "no URL to check");
	int n_urls = argc - optind;
	for (int i = optind; i < argc; i++)
		if (monitor_check_url(argv[i], &e) != 0)
			return cli_usage_error(usage, "%s", e.msg);
	for (size_t i = 0; i < n_paths; i++)
		if (paths[i][0] != '/')
			return cli_usage_error(usage, "--path '%s' must begin with '/'", paths[i]);
	if (ca_file && access(ca_file, R_OK) != 0)
		return cli_usage_error(usage, "--ca-file %s cannot be read", ca_file);
	if ((size_t)n_urls * (n_paths + 1) > MAX_PAGES)
		return cli_usage_error(usage, "at most %d pages at once", MAX_PAGES);
	app_config cfg;
	if (cli_config(&cfg) != 0)
		return EXIT_ERR;
	if (cfg.mon_rules)
		rule_paths[n_rules++] = cfg.mon_rules;
	diags d = DIAGS_INIT;
	mon_rules *rules = mon_rules_load(rule_paths, n_rules, true, &d);
	diags_print(&d, stderr);
	diags_free(&d);
	if (!rules) {
		app_config_free(&cfg);
		fprintf(stderr, "sigap: the content rules were not loaded\n");
		return EXIT_ERR;
	}
	/* The pages: each URL, then its paths; each as a browser, then as a crawler. */
	size_t n_pages = (size_t)n_urls * (n_paths + 1);
	size_t views = crawler ? 2 : 1;
	char **urls = calloc(n_pages, sizeof *urls);
	mon_fetch_req *reqs = calloc(n_pages * views, sizeof *reqs);
	mon_fetch_res *res = calloc(n_pages * views, sizeof *res);
	if (!urls || !reqs || !res)
		abort();
	for (int i = 0; i < n_urls; i++)
		for (size_t k = 0; k <= n_paths; k++) {
			size_t p = (size_t)i * (n_paths + 1) + k;
			urls[p] = k == 0 ? strdup(argv[optind + i]) : mon_page_url(argv[optind + i], paths[k - 1]);
			reqs[p * views] = (mon_fetch_req){urls[p], cfg.mon_agent};
			if (crawler)
				reqs[p * views + 1] = (mon_fetch_req){urls[p], cfg.mon_crawler_agent};
		}
	mon_fetch_opts fo = {
		.timeout_ms = (timeout ? timeout : (long)cfg.mon_timeout) * 1000L,
		.connect_timeout_ms = 10000,
		.max_body = (size_t)cfg.mon_max_page,
		.concurrency = cfg.mon_concurrency,
		.max_redirects = 10,
		.ca_file = ca_file ? ca_file : cfg.mon_ca_file,
		.allow_internal = internal || cfg.mon_internal,
	};
	if (fo.connect_timeout_ms > fo.timeout_ms)
		fo.connect_timeout_ms = fo.timeout_ms;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = EXIT_OK;
	if (mon_fetch_all(reqs, res, n_pages * views, &fo, NULL, NULL) != 0) {
		fprintf(stderr, "sigap: cannot start the transfers (out of memory)\n");
		rc = EXIT_ERR;
	}
	mon_scan *scan = mon_scan_new(rules);
	mon_limits lim = {
		.now = (int64_t)time(NULL),
		.slow_ms = slow >= 0 ? slow : (long)cfg.mon_slow * 1000L,
		.cert_warn_days = cfg.mon_cert_warn,
		.changed_min = 0,
		.replaced_min = 0.8,
	};
	json_t *out = json_array();
	for (size_t p = 0; rc != EXIT_ERR && p < n_pages; p++) {
		mon_fetch_res *b = &res[p * views], *cr = crawler ? &res[p * views + 1] : NULL;
		mon_page bp, cp;
		bool have_b = b->reached && mon_page_parse(b->body, b->body_len, b->final_url, ignore,
		                                           n_ignore, &bp, &e) == 0;
		bool have_c = cr && cr->reached &&
		              mon_page_parse(cr->body, cr->body_len, cr->final_url, ignore, n_ignore,
		                             &cp, &e) == 0;
		mon_findings fs = {0};
		mon_analyse(urls[p], b, have_b ? &bp : NULL, cr, have_c ? &cp : NULL, NULL, scan, &lim,
		            &fs);
		if (fs.n > 0 && rc == EXIT_OK)
			rc = EXIT_FOUND;
		if (as_json) {
			json_t *fj = json_array();
			for (size_t i = 0; i < fs.n; i++)
				json_array_append_new(fj, finding_json(&fs.v[i]));
			json_t *one = json_pack("{s:s, s:o, s:o}", "url", urls[p], "browser",
			                        fetch_json(b), "findings", fj);
			if (cr)
				json_object_set_new(one, "crawler", fetch_json(cr));
			if (have_b)
				json_object_set_new(one, "title", json_string(bp.title));
			json_array_append_new(out, one);
		} else {
			print_check(urls[p], b, &fs, lim.now);
		}
		mon_findings_free(&fs);
		if (have_b)
			mon_page_free(&bp);
		if (have_c)
			mon_page_free(&cp);
	}
	if (as_json && rc != EXIT_ERR)
		cli_print_json(out);
	json_decref(out);
	mon_scan_free(scan);
	mon_rules_free(rules);
	for (size_t i = 0; i < n_pages * views; i++)
		mon_fetch_res_free(&res[i]);
	for (size_t p = 0; p < n_pages; p++)
		free(urls[p]);
	free(urls);
	free(reqs);
	free(res);
	app_config_free(&cfg);
	return rc;
}

/* ---- the watched sites ---- */

typedef struct site_opts {
	const char *as, *state;
	const char *paths[64], *regions[64];
	size_t n_paths, n_regions;
	int64_t every;
	int sitemap; /* -1 unsaid */
	bool json, all, paths_given, regions_given;
} site_opts;

/* "90", "10m", "1h": seconds, or -1. */
static int64_t duration(const char *s)
{
	char *end;
	long long n = strtoll(s, &end, 10);
	if (end == s || n <= 0)
		return -1;
	int64_t mul = *end == 'm' ? 60 : *end == 'h' ? 3600 : *end == 'd' ? 86400 : 1;
	if (*end == 's' || mul > 1)
		end++;
	return *end ? -1 : n * mul;
}

/* Parses the options; returns -1 to go on, else the exit code. */
static int site_parse(int argc, char **argv, site_opts *o)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},      {"state", required_argument, NULL, 's'},
		{"path", required_argument, NULL, 'p'},    {"ignore", required_argument, NULL, 'i'},
		{"every", required_argument, NULL, 'e'},   {"sitemap", no_argument, NULL, 'm'},
		{"no-sitemap", no_argument, NULL, 'M'},    {"json", no_argument, NULL, 'j'},
		{"all", no_argument, NULL, 'A'},           CLI_COMMON_OPTS, {0}};
	memset(o, 0, sizeof *o);
	o->sitemap = -1;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			o->as = optarg;
			break;
		case 's':
			o->state = optarg;
			break;
		case 'p':
		case 'i':
			if ((c == 'p' ? o->n_paths : o->n_regions) == 64)
				return cli_usage_error(usage, "at most 64 --%s", c == 'p' ? "path" : "ignore");
			/* one empty value: the list is emptied */
			if (c == 'p') {
				o->paths_given = true;
				if (*optarg)
					o->paths[o->n_paths++] = optarg;
			} else {
				o->regions_given = true;
				if (*optarg)
					o->regions[o->n_regions++] = optarg;
			}
			break;
		case 'e':
			if ((o->every = duration(optarg)) < 0)
				return cli_usage_error(usage, "--every '%s': a duration such as 10m", optarg);
			break;
		case 'm':
		case 'M':
			o->sitemap = c == 'm';
			break;
		case 'j':
			o->json = true;
			break;
		case 'A':
			o->all = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		default:
			if (!cli_common_opt(c))
				return cli_usage_error(usage, NULL);
		}
	}
	return -1;
}

/* The site number of argument i; -1 after a usage error (*rc set). */
static int64_t number_arg(int argc, char **argv, const char *what, int *rc)
{
	char *end;
	long long id = optind < argc ? strtoll(argv[optind], &end, 10) : 0;
	if (optind >= argc || *end || id <= 0) {
		*rc = cli_usage_error(usage, "%s: give its number", what);
		return -1;
	}
	optind++;
	return id;
}

/* The options, one site's number and the store, for the commands on a
 * site; returns -1 to go on (the store open), else the exit code. */
static int open_site(int argc, char **argv, site_opts *o, int64_t *id, app *a)
{
	int rc = site_parse(argc, argv, o);
	if (rc >= 0)
		return rc;
	if ((*id = number_arg(argc, argv, "the site", &rc)) < 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(usage, "one site at a time");
	return cli_open_as(a, o->as) != 0 ? EXIT_ERR : -1;
}

static const char *actor_of(const site_opts *o)
{
	return o->as ? o->as : cli_actor();
}

static int add(int argc, char **argv)
{
	site_opts o;
	int rc = site_parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	int64_t asset = number_arg(argc, argv, "the asset", &rc);
	if (asset < 0)
		return rc;
	if (optind != argc - 1)
		return cli_usage_error(usage, "add takes an asset and one URL");
	app a;
	if (cli_open_as(&a, o.as) != 0)
		return EXIT_ERR;
	monitor_site_in in = {.asset_id = asset, .url = argv[optind], .period = o.every,
	                      .paths = o.paths, .n_paths = o.n_paths, .regions = o.regions,
	                      .n_regions = o.n_regions, .sitemap = o.sitemap == 1};
	sg_err e = {0};
	int64_t id = 0;
	rc = monitor_site_add(&a, actor_of(&o), &in, &id, &e) == 0 ? EXIT_OK : cli_fail(&e);
	if (rc == EXIT_OK)
		printf("site %lld: %s is watched; its first check is due now\n", (long long)id, in.url);
	app_close(&a);
	return rc;
}

static int edit(int argc, char **argv)
{
	site_opts o;
	int64_t id;
	app a;
	int rc = open_site(argc, argv, &o, &id, &a);
	if (rc >= 0)
		return rc;
	sg_err e = {0};
	json_t *cur = monitor_site_get(&a, NULL, id, &e);
	if (!cur) {
		app_close(&a);
		return cli_fail(&e);
	}
	/* what is not given stays as it is */
	const char *paths[64], *regions[64];
	size_t np = o.n_paths, nr = o.n_regions;
	memcpy(paths, o.paths, sizeof paths);
	memcpy(regions, o.regions, sizeof regions);
	if (!o.paths_given) {
		np = json_array_size(json_object_get(cur, "paths"));
		for (size_t i = 0; i < np && i < 64; i++)
			paths[i] = json_string_value(json_array_get(json_object_get(cur, "paths"), i));
	}
	if (!o.regions_given) {
		nr = json_array_size(json_object_get(cur, "regions"));
		for (size_t i = 0; i < nr && i < 64; i++)
			regions[i] = json_string_value(json_array_get(json_object_get(cur, "regions"), i));
	}
	monitor_site_in in = {
		.period = o.every ? o.every : json_integer_value(json_object_get(cur, "period")),
		.paths = paths, .n_paths = np < 64 ? np : 64, .regions = regions,
		.n_regions = nr < 64 ? nr : 64,
		.sitemap = o.sitemap >= 0 ? o.sitemap == 1 : json_is_true(json_object_get(cur, "sitemap"))};
	rc = monitor_site_edit(&a, actor_of(&o), id, &in, &e) == 0 ? EXIT_OK : cli_fail(&e);
	if (rc == EXIT_OK)
		printf("site %lld changed\n", (long long)id);
	json_decref(cur);
	app_close(&a);
	return rc;
}

static int enable(int argc, char **argv, bool on)
{
	site_opts o;
	int64_t id;
	app a;
	int rc = open_site(argc, argv, &o, &id, &a);
	if (rc >= 0)
		return rc;
	sg_err e = {0};
	rc = monitor_site_enable(&a, actor_of(&o), id, on, &e) == 0 ? EXIT_OK : cli_fail(&e);
	if (rc == EXIT_OK)
		printf(on ? "site %lld is watched again\n" : "site %lld is no longer checked\n",
		       (long long)id);
	app_close(&a);
	return rc;
}

static int stop(int argc, char **argv)
{
	return enable(argc, argv, false);
}

static int start(int argc, char **argv)
{
	return enable(argc, argv, true);
}

static const char *jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int list(int argc, char **argv)
{
	site_opts o;
	int rc = site_parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	app a;
	if (cli_open_as(&a, o.as) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *rows = monitor_site_list(&a, o.as, o.state, &e);
	if (!rows) {
		app_close(&a);
		return cli_fail(&e);
	}
	if (o.json) {
		cli_print_json(rows);
	} else {
		printf("%-5s %-10s %-12s %-7s %-8s %s\n", "SITE", "STATE", "OPD", "STATUS", "FOUND", "URL");
		size_t i;
		json_t *r;
		json_array_foreach(rows, i, r) {
			char status[16] = "-";
			if (json_is_integer(json_object_get(r, "last_status")))
				snprintf(status, sizeof status, "%lld",
				         (long long)json_integer_value(json_object_get(r, "last_status")));
			printf("%-5lld %-10s %-12s %-7s %-8lld %s%s\n",
			       (long long)json_integer_value(json_object_get(r, "id")),
			       jstr(r, "state"), jstr(json_object_get(json_object_get(r, "asset"), "opd"), "abbrev"),
			       status, (long long)json_integer_value(json_object_get(r, "open_findings")),
			       jstr(r, "url"), json_is_true(json_object_get(r, "enabled")) ? "" : " (stopped)");
		}
		printf("%zu site%s\n", json_array_size(rows), json_array_size(rows) == 1 ? "" : "s");
	}
	json_decref(rows);
	app_close(&a);
	return EXIT_OK;
}

static int show(int argc, char **argv)
{
	site_opts o;
	int64_t id;
	app a;
	int rc = open_site(argc, argv, &o, &id, &a);
	if (rc >= 0)
		return rc;
	sg_err e = {0};
	json_t *s = monitor_site_get(&a, o.as, id, &e);
	if (!s) {
		app_close(&a);
		return cli_fail(&e);
	}
	if (o.json) {
		cli_print_json(s);
	} else {
		json_t *asset = json_object_get(s, "asset");
		printf("site %lld  %s\n", (long long)id, jstr(s, "url"));
		printf("asset:     %lld %s (%s)\n", (long long)json_integer_value(json_object_get(asset, "id")),
		       jstr(asset, "name"), jstr(json_object_get(asset, "opd"), "abbrev"));
		printf("state:     %s%s\n", jstr(s, "state"),
		       json_is_true(json_object_get(s, "enabled")) ? "" : " (stopped)");
		printf("every:     %lld s\n", (long long)json_integer_value(json_object_get(s, "period")));
		char t[64];
		if (json_is_integer(json_object_get(s, "last_at")))
			printf("checked:   %s, HTTP %lld, %lld ms\n",
			       cli_time(&a, json_integer_value(json_object_get(s, "last_at")), t, sizeof t),
			       (long long)json_integer_value(json_object_get(s, "last_status")),
			       (long long)json_integer_value(json_object_get(s, "last_ms")));
		size_t i;
		json_t *f;
		printf("baseline:  %zu page%s accepted\n", json_array_size(json_object_get(s, "baselines")),
		       json_array_size(json_object_get(s, "baselines")) == 1 ? "" : "s");
		json_array_foreach(json_object_get(s, "baselines"), i, f)
			printf("  %s  by %s, %s  (page %s, text %s)\n", jstr(f, "page"),
			       jstr(f, "accepted_by"),
			       cli_time(&a, json_integer_value(json_object_get(f, "accepted_at")), t, sizeof t),
			       jstr(f, "body_sha256"), jstr(f, "text_sha256"));
		printf("checks:    the last %d of %zu\n",
		       json_array_size(json_object_get(s, "checks")) < 5
		           ? (int)json_array_size(json_object_get(s, "checks"))
		           : 5,
		       json_array_size(json_object_get(s, "checks")));
		json_array_foreach(json_object_get(s, "checks"), i, f) {
			if (i == 5)
				break;
			printf("  %s  HTTP %lld  %lld ms (first byte %lld ms)  %lld open\n",
			       cli_time(&a, json_integer_value(json_object_get(f, "at")), t, sizeof t),
			       (long long)json_integer_value(json_object_get(f, "status")),
			       (long long)json_integer_value(json_object_get(f, "ms")),
			       (long long)json_integer_value(json_object_get(f, "first_byte_ms")),
			       (long long)json_integer_value(json_object_get(f, "findings")));
		}
		printf("findings:\n");
		json_array_foreach(json_object_get(s, "findings"), i, f) {
			mon_finding m;
			monitor_finding_of(jstr(f, "kind"), json_object_get(f, "detail"), &m);
			char sentence[1400];
			mon_finding_sentence(&m, identity, sentence, sizeof sentence);
			printf("  %s %-9s %-22s %s  x%lld  %s\n",
			       json_is_integer(json_object_get(f, "resolved_at")) ? "resolved" : "OPEN    ",
			       jstr(f, "level"), jstr(f, "kind"), jstr(f, "page"),
			       (long long)json_integer_value(json_object_get(f, "count")), sentence);
			json_t *ev = json_object_get(f, "evidence");
			if (ev)
				printf("      evidence: %s (page) %s (text), %s as %s\n", jstr(ev, "body_sha256"),
				       jstr(ev, "text_sha256"), jstr(ev, "url"), jstr(ev, "agent"));
			const char *diff = json_string_value(json_object_get(f, "diff"));
			for (int l = 0; diff && *diff && l < 10; l++) {
				size_t len = strcspn(diff, "\n");
				printf("      %.*s\n", (int)len, diff);
				diff += len + (diff[len] == '\n');
			}
		}
	}
	json_decref(s);
	app_close(&a);
	return EXIT_OK;
}

static int baseline(int argc, char **argv)
{
	site_opts o;
	int64_t id;
	app a;
	int rc = open_site(argc, argv, &o, &id, &a);
	if (rc >= 0)
		return rc;
	sg_err e = {0};
	int pages = 0;
	rc = monitor_baseline_accept(&a, actor_of(&o), id, &pages, &e) == 0 ? EXIT_OK : cli_fail(&e);
	if (rc == EXIT_OK)
		printf("site %lld: %d page%s accepted as the baseline\n", (long long)id, pages,
		       pages == 1 ? "" : "s");
	app_close(&a);
	return rc;
}

static int run(int argc, char **argv)
{
	site_opts o;
	int rc = site_parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return cli_usage_error(usage, "run takes no argument");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	diags d = DIAGS_INIT;
	monitor_checker *c = monitor_checker_new(&a, &d);
	diags_print(&d, stderr);
	diags_free(&d);
	if (!c) {
		app_close(&a);
		fprintf(stderr, "sigap: the content rules were not loaded\n");
		return EXIT_ERR;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	char host[128] = "", node[160];
	gethostname(host, sizeof host - 1);
	snprintf(node, sizeof node, "%s sigap monitor run", host);
	monitor_result r;
	sg_err e = {0};
	/* a site that could not be recorded is told, after what the others gave */
	int failed = monitor_round(&a, c, node, o.all, &r, &e);
	if (o.json) {
		json_t *j = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "sites", (json_int_t)r.sites,
		                      "pages", (json_int_t)r.pages, "fetches", (json_int_t)r.fetches,
		                      "found", (json_int_t)r.found, "resolved", (json_int_t)r.resolved,
		                      "failed", (json_int_t)r.failed);
		cli_print_json(j);
		json_decref(j);
	} else {
		printf("%lld site%s checked (%lld pages, %lld fetches): %lld new finding%s, %lld "
		       "resolved%s\n",
		       (long long)r.sites, r.sites == 1 ? "" : "s", (long long)r.pages,
		       (long long)r.fetches, (long long)r.found, r.found == 1 ? "" : "s",
		       (long long)r.resolved, r.failed ? "; some not recorded (below)" : "");
	}
	rc = failed == 0 ? EXIT_OK : cli_fail(&e);
	monitor_checker_free(c);
	app_close(&a);
	return rc;
}

int cmd_monitor(int argc, char **argv)
{
	static const cli_sub subs[] = {{"check", check},       {"add", add},     {"edit", edit},
	                               {"stop", stop},         {"start", start}, {"list", list},
	                               {"show", show},         {"baseline", baseline},
	                               {"run", run},           {NULL, NULL}};
	return cli_dispatch(argc, argv, usage, "monitor", subs);
}
