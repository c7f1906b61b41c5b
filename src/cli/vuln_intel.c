/*
 * vuln_intel.c: sigap vuln intel import | update | show: the
 * vulnerability intelligence of the store, imported from files (offline:
 * a kabupaten's link is slow) or, where the link allows and sigap.conf
 * turns it on, fetched from the configured URLs; and looked up one CVE
 * at a time.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "usage: sigap vuln intel import [--kind auto|cve|kev|epss] FILE|DIR...\n"
    "       sigap vuln intel update [--only kev|epss|cve]\n"
    "       sigap vuln intel show CVE-ID [--json]\n"
    "\n"
    "import  reads CVE JSON 5 records (a file, or a directory such as a clone of\n"
    "        the cvelistV5 repository, walked for CVE-*.json), CISA's Known\n"
    "        Exploited Vulnerabilities catalog (known_exploited_vulnerabilities.json\n"
    "        or .csv) and FIRST's daily EPSS scores (epss_scores-DATE.csv, plain or\n"
    "        gzip, with its #model_version line); the kind is told from the file\n"
    "        unless --kind says it. Each file or directory is stored whole, in\n"
    "        one transaction, or not at all; a newer file updates what is stored.\n"
    "        The summary counts records new, changed and unchanged, and what a\n"
    "        change moves: KEV due dates, EPSS scores. Records a file gets wrong\n"
    "        are refused and reported as FILE:LINE: reason; the rest are stored.\n"
    "        A CVE record older than the stored one and an EPSS score of an\n"
    "        earlier day leave the stored one as it is.\n"
    "update  downloads the KEV catalog, the EPSS scores and a CVE record from\n"
    "        the URLs of sigap.conf's [vuln_intel] section (kev_url, epss_url,\n"
    "        cve_url; off unless update = on) and imports each as 'import'\n"
    "        does; a download that fails (an HTTP error, a timeout, a file over\n"
    "        max_size, a file not of the kind) stores nothing and says why\n"
    "show    what is stored of one CVE: its record and CVSS scores, its KEV\n"
    "        entry, its EPSS score; exit 1 when nothing is\n";

/* Progress on a terminal: files done of the total, at most four times a
 * second. */
typedef struct progress {
	const char *path;
	struct timespec last;
	bool shown;
} progress;

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	progress *p = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double since = (double)(now.tv_sec - p->last.tv_sec) + (now.tv_nsec - p->last.tv_nsec) / 1e9;
	if (done != total && done != 0 && since < 0.25)
		return;
	p->last = now;
	p->shown = true;
	fprintf(stderr, _("\r%s: %llu of %llu files read"), p->path, (unsigned long long)done,
	        (unsigned long long)total);
	fflush(stderr);
}

static void print_summary(const char *path, const vi_import_result *r)
{
	unsigned long long n = r->counts.read, refused = r->counts.refused;
	printf("%s: %s", path, vi_kind_name(r->kind));
	if (r->kind == VI_CVE)
		{
		unsigned long long files = (unsigned long long)r->counts.files;
		printf(ngettext(", %llu file", ", %llu files", files), files);
		printf(ngettext(", %llu record", ", %llu records", n), n);
	}
	else if (r->kind == VI_KEV)
		printf(ngettext(" (catalog %s), %llu entry", " (catalog %s), %llu entries", n),
		       r->version[0] ? r->version : "CSV", n);
	else
		printf(ngettext(" (model %s, scores of %s%s), %llu score",
		                " (model %s, scores of %s%s), %llu scores", n),
		       r->version, r->published, r->gzip ? ", gzip" : "", n);
	printf(_(": %lld new, %lld changed"), (long long)r->added, (long long)r->changed);
	if (r->kind == VI_KEV)
		printf(ngettext(" (%lld due date moved, %lld ransomware use changed)",
		                " (%lld due dates moved, %lld ransomware use changed)",
		                (unsigned long)r->kev_due_changed),
		       (long long)r->kev_due_changed, (long long)r->kev_ransomware_changed);
	if (r->kind == VI_EPSS)
		printf(ngettext(" (%lld score moved)", " (%lld scores moved)", (unsigned long)r->epss_moved),
		       (long long)r->epss_moved);
	printf(_(", %lld unchanged"), (long long)r->unchanged);
	if (r->older)
		printf(_(", %lld older than stored (kept the stored)"), (long long)r->older);
	printf(_("; %llu refused\n"), refused);
	if (r->kind == VI_KEV && r->findings_due_moved)
		printf(ngettext("%s: the due date of %lld open finding moved\n",
		                "%s: due dates of %lld open findings moved\n",
		                (unsigned long)r->findings_due_moved),
		       path, (long long)r->findings_due_moved);
}

static int import_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"kind", required_argument, NULL, 'k'}, CLI_COMMON_OPTS, {0}};
	vi_kind kind = VI_AUTO;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'k':
			if (vi_kind_parse(optarg) < 0)
				return cli_usage_error(usage, "unknown kind \"%s\"", optarg);
			kind = (vi_kind)vi_kind_parse(optarg);
			break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "give one file or directory or more");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	int rc = EXIT_OK;
	for (int i = optind; i < argc; i++) {
		diags d = DIAGS_INIT;
		d.limit = 20;
		vi_import_result r;
		sg_err e = {0};
		progress p = {argv[i], {0, 0}, false};
		bool tty = isatty(2);
		int ok = vuln_intel_import(&a, cli_actor(), argv[i], kind, tty ? on_progress : NULL, &p,
		                           &r, &d, &e);
		if (p.shown)
			fputc('\n', stderr);
		diags_print(&d, stderr);
		if (d.dropped)
			fprintf(stderr, _("%s: %zu more problems not shown\n"), argv[i], d.dropped);
		if (ok != 0) {
			cli_fail(&e);
			rc = EXIT_ERR;
		} else {
			print_summary(argv[i], &r);
		}
		diags_free(&d);
	}
	app_close(&a);
	return rc;
}

/* Bytes downloaded on a terminal, at most four times a second. */
typedef struct dl_progress {
	const char *url;
	struct timespec last;
	bool shown;
} dl_progress;

static void on_download(void *ctx, uint64_t done, uint64_t total)
{
	dl_progress *p = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double since = (double)(now.tv_sec - p->last.tv_sec) + (now.tv_nsec - p->last.tv_nsec) / 1e9;
	if (since < 0.25 || p->url == NULL)
		return;
	p->last = now;
	p->shown = true;
	if (total)
		fprintf(stderr, _("\r%s: %llu of %llu KB"), p->url,
		        (unsigned long long)(done / 1024), (unsigned long long)(total / 1024));
	else
		fprintf(stderr, _("\r%s: %llu KB"), p->url, (unsigned long long)(done / 1024));
	fflush(stderr);
}

static void on_update(void *ctx, vi_kind kind, const char *url, const vi_import_result *r,
                      const diags *d, const sg_err *e)
{
	(void)kind;
	dl_progress *p = ctx;
	if (p->shown)
		fputc('\n', stderr);
	p->shown = false;
	diags_print(d, stderr);
	if (r)
		print_summary(url, r);
	else
		cli_fail(e);
}

static int update_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"only", required_argument, NULL, 'o'}, CLI_COMMON_OPTS, {0}};
	vi_kind only = VI_AUTO;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'o':
			if (vi_kind_parse(optarg) <= 0)
				return cli_usage_error(usage, "--only is kev, epss or cve, not \"%s\"",
				                       optarg);
			only = (vi_kind)vi_kind_parse(optarg);
			break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(usage, "update takes no file: the URLs are in sigap.conf");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	dl_progress p = {NULL, {0, 0}, false};
	bool tty = isatty(2);
	sg_err e = {0};
	int rc = vuln_intel_update(&a, cli_actor(), only, tty ? on_download : NULL, on_update, &p, &e);
	if (rc != 0)
		cli_fail(&e);
	app_close(&a);
	return rc == 0 ? EXIT_OK : EXIT_ERR;
}

enum { REFS_SHOWN = 8 };

static const char *text_or(json_t *o, const char *key, const char *none)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : none;
}

static void print_cve(const app *a, json_t *v)
{
	json_t *rec = json_object_get(v, "record"), *kev = json_object_get(v, "kev"),
	       *epss = json_object_get(v, "epss");
	printf("%s\n", json_string_value(json_object_get(v, "cve")));
	if (json_is_object(rec)) {
		char pub[64], upd[64];
		printf(_("State:       %s (%s)\n"), text_or(rec, "state", "-"),
		       text_or(rec, "assigner", "-"));
		if (json_string_value(json_object_get(rec, "title")))
			printf(_("Title:       %s\n"), text_or(rec, "title", "-"));
		printf(_("Published:   %s; updated %s\n"),
		       cli_time(a, json_integer_value(json_object_get(rec, "date_published")), pub,
		                sizeof pub),
		       cli_time(a, json_integer_value(json_object_get(rec, "date_updated")), upd,
		                sizeof upd));
		const char *names[] = {"4.0", "3.1", "3.0", "2.0"};
		json_t *cvss = json_object_get(rec, "cvss");
		for (size_t i = 0; i < 4; i++) {
			json_t *s = json_object_get(cvss, names[i]);
			if (s)
				printf(_("CVSS %s:    %.1f %s %s (from %s)\n"), names[i],
				       json_number_value(json_object_get(s, "score")),
				       text_or(s, "severity", ""), text_or(s, "vector", "-"),
				       text_or(s, "source", "-"));
		}
		if (json_object_size(cvss) == 0)
			printf(_("CVSS:        none given\n"));
		size_t i;
		json_t *x;
		if (json_array_size(json_object_get(rec, "cwes"))) {
			printf("CWE:        ");
			json_array_foreach(json_object_get(rec, "cwes"), i, x)
				printf(" %s", json_string_value(x));
			putchar('\n');
		}
		json_array_foreach(json_object_get(rec, "affected"), i, x)
			printf(_("Affected:    %s %s\n"), text_or(x, "vendor", "-"),
			       text_or(x, "product", "-"));
		printf(_("Description: %s\n"), text_or(rec, "description", "-"));
		/* Log4Shell's record has 50 references: the first few, the rest in --json */
		json_t *refs = json_object_get(rec, "references");
		json_array_foreach(refs, i, x) {
			if (i == REFS_SHOWN) {
				printf(_("             and %zu more (--json lists them)\n"),
				       json_array_size(refs) - REFS_SHOWN);
				break;
			}
			printf(_("Reference:   %s\n"), json_string_value(x));
		}
	} else {
		printf(_("Record:      not imported\n"));
	}
	if (json_is_object(kev)) {
		printf(_("KEV:         %s (%s %s); added %s, due %s; ransomware use %s\n"),
		       text_or(kev, "name", "-"), text_or(kev, "vendor", "-"),
		       text_or(kev, "product", "-"), text_or(kev, "date_added", "-"),
		       text_or(kev, "due_date", "-"), text_or(kev, "ransomware", "-"));
		printf(_("             required action: %s\n"), text_or(kev, "required_action", "-"));
	} else {
		printf(_("KEV:         not in the catalog imported\n"));
	}
	if (json_is_object(epss))
		printf(_("EPSS:        %.5f (percentile %.5f), model %s, scores of %s\n"),
		       json_number_value(json_object_get(epss, "score")),
		       json_number_value(json_object_get(epss, "percentile")),
		       text_or(epss, "model_version", "-"), text_or(epss, "score_date", "-"));
	else
		printf(_("EPSS:        no score imported\n"));
}

static int show_cmd(int argc, char **argv)
{
	bool as_json = false;
	int rc0 = cli_simple_opts(argc, argv, usage, &as_json);
	if (rc0 >= 0)
		return rc0;
	if (optind != argc - 1)
		return cli_usage_error(usage, "give one CVE id");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *v = vuln_intel_cve(&a, argv[optind], &e);
	int rc = EXIT_OK;
	if (v == NULL) {
		rc = e.code == SG_EINVAL ? (cli_fail(&e), EXIT_USAGE) : cli_fail(&e);
	} else if (as_json) {
		cli_print_json(v);
	} else {
		print_cve(&a, v);
	}
	json_decref(v);
	app_close(&a);
	return rc;
}

int cmd_vuln_intel(int argc, char **argv)
{
	static const cli_sub subs[] = {{"import", import_cmd}, {"update", update_cmd},
	                                     {"show", show_cmd}, {NULL, NULL}};
	return cli_dispatch(argc, argv, usage, "vuln intel", subs);
}
