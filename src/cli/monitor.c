/*
 * monitor.c: sigap monitor check: a one-off check of public web pages,
 * as the website monitor checks the sites it watches (src/monitor/,
 * docs/monitor.md), printing what it found. Each page is fetched as a
 * browser and as a search-engine crawler, read, and judged by the
 * content rules (rules/monitor/ and [pantau] aturan).
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "monitor/analyse.h"

static const char usage[] =
    "usage: sigap monitor check [options] URL...\n"
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

/* The page at path on url's site. */
static char *page_url(const char *url, const char *path)
{
	const char *host = strstr(url, "://");
	const char *slash = host ? strchr(host + 3, '/') : NULL;
	size_t base = slash ? (size_t)(slash - url) : strlen(url);
	size_t n = base + strlen(path) + 2;
	char *out = malloc(n);
	if (!out)
		abort();
	snprintf(out, n, "%.*s%s%s", (int)base, url, path[0] == '/' ? "" : "/", path);
	return out;
}

static int check(int argc, char **argv)
{
	static const struct option opts[] = {
		{"path", required_argument, NULL, 'p'},     {"ignore", required_argument, NULL, 'i'},
		{"rules", required_argument, NULL, 'r'},    {"no-crawler", no_argument, NULL, 'n'},
		{"timeout", required_argument, NULL, 't'},  {"slow", required_argument, NULL, 's'},
		{"ca-file", required_argument, NULL, 'c'},  {"json", no_argument, NULL, 'j'},
		CLI_COMMON_OPTS, {0}};
	const char *paths[64], *rule_paths[64];
	mon_selector ignore[64];
	size_t n_paths = 0, n_rules = 0, n_ignore = 0;
	bool crawler = true, as_json = false;
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
		if (strncmp(argv[i], "http://", 7) != 0 && strncmp(argv[i], "https://", 8) != 0)
			return cli_usage_error(usage, "'%s' is not an http:// or https:// URL", argv[i]);
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
			urls[p] = k == 0 ? strdup(argv[optind + i]) : page_url(argv[optind + i], paths[k - 1]);
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

int cmd_monitor(int argc, char **argv)
{
	static const cli_sub subs[] = {{"check", check}, {NULL, NULL}};
	return cli_dispatch(argc, argv, usage, "monitor", subs);
}
