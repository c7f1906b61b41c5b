/*
 * vuln.c: sigap vuln …: vulnerability findings on the command line: the
 * list with its filters, one finding with its history, decisions on one
 * or many, attaching unmatched findings to an asset, and the import of a
 * scanner report through src/vuln/'s parsers. The family's table
 * routes each subcommand (intel: vuln_intel.c); the findings' commands
 * call app/findings.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/findings.h"
#include "cli.h"
#include "vuln/scan.h"

static const char usage[] =
    "usage: sigap vuln import [--scanner auto|openvas|nmap|nuclei|wpscan] [--asset ID]\n"
    "                         [--partial] [--as USER] [--json] FILE...\n"
    "       sigap vuln list [--opd OPD] [--asset ID] [--severity S | --min-severity S]\n"
    "                       [--state STATE|open] [--overdue] [--unmatched] [--cve CVE]\n"
    "                       [--search TEXT] [--kev yes|no] [--min-epss SCORE]\n"
    "                       [--sort due|severity|last_seen|first_seen|id|epss|kev]\n"
    "                       [--limit N] [--offset N] [--as USER] [--json]\n"
    "       sigap vuln show ID [--as USER] [--json]\n"
    "       sigap vuln decide ID... STATE --as USER [--reason TEXT]\n"
    "                         [--until DATE --approver USER]\n"
    "       sigap vuln attach ID... --asset ID --as USER\n"
    "       sigap vuln patch ID... --as USER [--json]\n"
    "       sigap vuln link TICKET ID... --as USER\n"
    "       sigap vuln intel import [--kind auto|cve|kev|epss] FILE|DIR...\n"
    "       sigap vuln intel show CVE-ID [--json]\n"
    "\n"
    "import  scanner reports (Greenbone/OpenVAS XML or CSV, Nmap XML, Nuclei JSON,\n"
    "        WPScan JSON) into findings ('sigap vuln import --help')\n"
    "list    findings, the soonest due first (--sort to change); S is info, low,\n"
    "        medium, high or critical; open is baru, terverifikasi, dalam_perbaikan\n"
    "        and dibuka_kembali; --overdue: open and past the due date; --unmatched:\n"
    "        findings of hosts no asset has; --kev yes: a CVE of it is in CISA KEV\n"
    "        (no: none is); --min-epss: its highest EPSS score at least SCORE (0 to\n"
    "        1); --as: as USER may see them\n"
    "show    one finding whole, with its CVEs, the scanner's text and its history\n"
    "decide  moves findings to STATE together (all or none): terverifikasi,\n"
    "        positif_palsu, risiko_diterima, dalam_perbaikan, diperbaiki or\n"
    "        dibuka_kembali; all but terverifikasi need --reason; risiko_diterima\n"
    "        needs --until (the acceptance's expiry) and --approver (a kabid)\n"
    "attach  puts findings of hosts no asset has on an asset (merged with the\n"
    "        asset's own finding of the same vulnerability and endpoint)\n"
    "patch   starts a case of SOP patch from findings (one asset, or one software\n"
    "        across assets of one OPD): linked to them, its first step offered\n"
    "        their assets, CVEs, KEV/EPSS and the scanner's solutions; the\n"
    "        findings go to dalam_perbaikan\n"
    "link    links findings of one asset to a CTI case's vulnerability\n"
    "        assessment (step 5), shown with its FP/FN decision\n"
    "\n"
    "intel   CVE records, CISA KEV and FIRST EPSS imported from files, and what\n"
    "        is known of one CVE ('sigap vuln intel --help')\n"
    "\n"
    "Findings come from scanner reports (docs/findings.md).\n";

static int parse_id(const char *s, int64_t *out)
{
	char *end;
	if (strncasecmp(s, "FND-", 4) == 0)
		s += 4;
	long long v = strtoll(s, &end, 10);
	if (*s == '\0' || *end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

static const char *str_or(json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : dflt;
}

static void print_header(void)
{
	printf("%-9s %-14s %-5s %-6s %-16s %-17s %-24s %-14s %s\n", _("FINDING"), _("SEVERITY"),
	       _("CVSS"), _("EPSS"), _("STATE"), _("DUE"), _("ASSET"), _("ENDPOINT"), _("TITLE"));
}

static void print_row(const app *a, json_t *r)
{
	char due[64], asset[64];
	json_t *d = json_object_get(r, "due_at");
	if (json_is_integer(d)) {
		civil_format_id_date(json_integer_value(d), a->cfg.cal.zone, due, sizeof due);
		if (json_is_true(json_object_get(r, "overdue")))
			strncat(due, "!", sizeof due - strlen(due) - 1);
	} else {
		snprintf(due, sizeof due, "-");
	}
	json_t *as = json_object_get(r, "asset");
	if (json_is_object(as))
		snprintf(asset, sizeof asset, "%.40s", str_or(as, "name", "-"));
	else
		snprintf(asset, sizeof asset, "(%.40s)", str_or(r, "host", "-"));
	const char *ep = str_or(r, "endpoint", "");
	/* the severity marked KEV (R: with known ransomware use), the
	 * highest of CVSS 4.0 and 3.1, EPSS as a percentage */
	char sev[24], cvss[16] = "-", epss[16] = "-";
	snprintf(sev, sizeof sev, "%s%s", str_or(r, "severity", "-"),
	         json_is_true(json_object_get(r, "kev_ransomware")) ? " KEV-R"
	         : json_is_true(json_object_get(r, "kev"))          ? " KEV"
	                                                            : "");
	json_t *s4 = json_object_get(r, "cvss4_score"), *s3 = json_object_get(r, "cvss3_score");
	if (json_is_number(s4) || json_is_number(s3))
		snprintf(cvss, sizeof cvss, "%.1f", json_number_value(json_is_number(s4) ? s4 : s3));
	json_t *ep_score = json_object_get(r, "epss");
	if (json_is_number(ep_score))
		snprintf(epss, sizeof epss, "%.1f%%", 100 * json_number_value(ep_score));
	printf("FND-%-5lld %-14s %-5s %-6s %-16s %-17s %-24s %-14s %s\n",
	       (long long)json_integer_value(json_object_get(r, "id")), sev, cvss, epss,
	       str_or(r, "state", "-"), due, asset, *ep ? ep : "-", str_or(r, "title", "-"));
}

static int list_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"opd", required_argument, NULL, 'o'},
	                                     {"asset", required_argument, NULL, 'a'},
	                                     {"severity", required_argument, NULL, 's'},
	                                     {"min-severity", required_argument, NULL, 'm'},
	                                     {"state", required_argument, NULL, 't'},
	                                     {"overdue", no_argument, NULL, 'd'},
	                                     {"unmatched", no_argument, NULL, 'u'},
	                                     {"cve", required_argument, NULL, 'c'},
	                                     {"search", required_argument, NULL, 'q'},
	                                     {"kev", required_argument, NULL, 'k'},
	                                     {"min-epss", required_argument, NULL, 'e'},
	                                     {"sort", required_argument, NULL, 'S'},
	                                     {"limit", required_argument, NULL, 'n'},
	                                     {"offset", required_argument, NULL, 'O'},
	                                     {"as", required_argument, NULL, 'A'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     CLI_COMMON_OPTS,
	                                     {0}};
	finding_filter f = {0};
	bool as_json = false;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'o': f.opd = optarg; break;
		case 'a':
			if (parse_id(optarg, &f.asset_id) != 0)
				return cli_usage_error(usage, "--asset takes an asset number");
			break;
		case 's':
		case 'm':
			if (f.severity)
				return cli_usage_error(usage, "give --severity or --min-severity once");
			f.severity = optarg;
			f.min_severity = c == 'm';
			break;
		case 't': f.state = optarg; break;
		case 'd': f.overdue = true; break;
		case 'u': f.unmatched = true; break;
		case 'c': f.cve = optarg; break;
		case 'q': f.q = optarg; break;
		case 'k':
			if (strcmp(optarg, "yes") == 0)
				f.kev = 1;
			else if (strcmp(optarg, "no") == 0)
				f.kev = -1;
			else
				return cli_usage_error(usage, "--kev takes yes or no");
			break;
		case 'e': {
			char *end;
			double v = strtod(optarg, &end);
			if (*optarg == '\0' || *end || !(v >= 0 && v <= 1))
				return cli_usage_error(usage, "--min-epss takes a score from 0 to 1");
			f.min_epss = v;
			break;
		}
		case 'S':
			if (!finding_sort_parse(optarg, &f.sort))
				return cli_usage_error(usage, "--sort takes due, severity, last_seen, "
				                              "first_seen, id, epss or kev");
			break;
		case 'n':
			f.limit = cli_parse_limit(optarg);
			if (f.limit == 0)
				return cli_usage_error(usage, "--limit takes 1 to 100000");
			break;
		case 'O': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 0 || v > 100000000)
				return cli_usage_error(usage, "--offset takes 0 or more");
			f.offset = (int)v;
			break;
		}
		case 'A': f.viewer = optarg; break;
		case 'j': as_json = true; break;
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
	json_t *rows = finding_list(&a, &f, &total, &e);
	int rc = EXIT_OK;
	if (rows == NULL)
		rc = cli_fail(&e);
	else
		cli_print_page(&a, rows, total, "findings", as_json, print_header, print_row);
	app_close(&a);
	return rc;
}

/* --as (required when need_as), --reason, --until, --approver, --asset
 * and --json, with the common options. */
typedef struct act_opts {
	const char *as, *reason, *until, *approver;
	int64_t asset;
	bool json;
} act_opts;

static int act_parse(int argc, char **argv, act_opts *o, bool need_as)
{
	static const struct option opts[] = {{"as", required_argument, NULL, 'a'},
	                                     {"reason", required_argument, NULL, 'r'},
	                                     {"until", required_argument, NULL, 'u'},
	                                     {"approver", required_argument, NULL, 'p'},
	                                     {"asset", required_argument, NULL, 'A'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     CLI_COMMON_OPTS,
	                                     {0}};
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(usage, stdout); return EXIT_OK;
		case 'a': o->as = optarg; break;
		case 'r': o->reason = optarg; break;
		case 'u': o->until = optarg; break;
		case 'p': o->approver = optarg; break;
		case 'j': o->json = true; break;
		case 'A':
			if (parse_id(optarg, &o->asset) != 0)
				return cli_usage_error(usage, "--asset takes an asset number");
			break;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (need_as && o->as == NULL)
		return cli_usage_error(usage, "say who decides with --as USER");
	return -1;
}

static void print_finding(const app *a, json_t *r)
{
	char when[64], when2[64];
	json_t *as = json_object_get(r, "asset");
	printf("FND-%lld  %s\n", (long long)json_integer_value(json_object_get(r, "id")),
	       str_or(r, "title", "-"));
	printf(_("severity:   %s"), str_or(r, "severity", "-"));
	json_t *s3 = json_object_get(r, "cvss3_score"), *s4 = json_object_get(r, "cvss4_score");
	if (json_is_number(s3))
		printf("  CVSS 3.1 %.1f %s", json_number_value(s3), str_or(r, "cvss3_vector", ""));
	if (json_is_number(s4))
		printf("  CVSS 4.0 %.1f %s", json_number_value(s4), str_or(r, "cvss4_vector", ""));
	putchar('\n');
	if (json_is_true(json_object_get(r, "kev")))
		printf(_("CISA KEV:   added %s, due %s%s\n"), str_or(r, "kev_date_added", "-"),
		       str_or(r, "kev_due_date", "-"),
		       json_is_true(json_object_get(r, "kev_ransomware"))
		           ? _(", known ransomware use")
		           : "");
	if (json_is_number(json_object_get(r, "epss")))
		printf(_("EPSS:       %.1f%% (percentile %.1f)\n"),
		       100 * json_number_value(json_object_get(r, "epss")),
		       100 * json_number_value(json_object_get(r, "epss_percentile")));
	printf(_("state:      %s\n"), str_or(r, "state", "-"));
	if (json_is_string(json_object_get(r, "state_reason")))
		printf(_("reason:     %s (%s)\n"), str_or(r, "state_reason", ""),
		       str_or(r, "state_by", "-"));
	if (json_is_integer(json_object_get(r, "accepted_until")))
		printf(_("accepted:   until %s, approved by %s\n"),
		       cli_time(a, json_integer_value(json_object_get(r, "accepted_until")), when,
		                sizeof when),
		       str_or(r, "approved_by", "-"));
	json_t *due = json_object_get(r, "due_at");
	printf(_("due:        %s%s\n"),
	       json_is_integer(due) ? cli_time(a, json_integer_value(due), when, sizeof when) : "-",
	       json_is_true(json_object_get(r, "overdue")) ? _(" (overdue)") : "");
	if (json_is_object(as))
		printf(_("asset:      %lld %s (%s)\n"),
		       (long long)json_integer_value(json_object_get(as, "id")),
		       str_or(as, "name", "-"), str_or(as, "opd", "-"));
	else
		printf(_("asset:      none: attach it with 'sigap vuln attach'\n"));
	printf(_("host:       %s%s%s\n"), str_or(r, "host", "-"),
	       json_is_string(json_object_get(r, "hostname")) ? " " : "",
	       str_or(r, "hostname", ""));
	printf(_("endpoint:   %s\n"), *str_or(r, "endpoint", "") ? str_or(r, "endpoint", "") : "-");
	printf(_("identity:   %s (%s)\n"), str_or(r, "vuln_key", "-"), str_or(r, "scanner", "-"));
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(r, "cves"), i, x)
		printf(_("cve:        %s\n"), json_string_value(x));
	if (json_is_string(json_object_get(r, "cwe")))
		printf(_("cwe:        %s\n"), str_or(r, "cwe", ""));
	if (json_is_string(json_object_get(r, "component")))
		printf(_("component:  %s %s\n"), str_or(r, "component", ""),
		       str_or(r, "component_version", ""));
	printf(_("seen:       %lld times, %s to %s\n"),
	       (long long)json_integer_value(json_object_get(r, "times_seen")),
	       cli_time(a, json_integer_value(json_object_get(r, "first_seen")), when, sizeof when),
	       cli_time(a, json_integer_value(json_object_get(r, "last_seen")), when2,
	                sizeof when2));
	json_t *li = json_object_get(r, "last_import");
	if (json_is_object(li))
		printf(_("report:     %s (sha256 %s)\n"), str_or(li, "filename", "-"),
		       str_or(li, "sha256", "-"));
	if (json_is_string(json_object_get(r, "description")))
		printf(_("\ndescription:\n%s\n"), str_or(r, "description", ""));
	if (json_is_string(json_object_get(r, "solution")))
		printf(_("\nsolution:\n%s\n"), str_or(r, "solution", ""));
	json_array_foreach(json_object_get(r, "refs"), i, x)
		printf(_("reference:  %s\n"), json_string_value(x));
	if (json_is_string(json_object_get(r, "evidence")))
		printf(_("\nevidence:\n%s\n"), str_or(r, "evidence", ""));
	printf(_("\nhistory:\n"));
	json_array_foreach(json_object_get(r, "history"), i, x) {
		const char *from = json_string_value(json_object_get(x, "from"));
		const char *reason = json_string_value(json_object_get(x, "reason"));
		printf("  %s  %-12s %s -> %s%s%s\n",
		       cli_time(a, json_integer_value(json_object_get(x, "at")), when, sizeof when),
		       str_or(x, "actor", "-"), from ? from : "-", str_or(x, "to", "-"),
		       reason ? ": " : "", reason ? reason : "");
	}
}

static int show_cmd(int argc, char **argv)
{
	act_opts o = {0};
	int rc0 = act_parse(argc, argv, &o, false);
	if (rc0 >= 0)
		return rc0;
	int64_t id;
	if (optind != argc - 1 || parse_id(argv[optind], &id) != 0)
		return cli_usage_error(usage, "give one finding number");
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	sg_err e = {0};
	json_t *r = finding_get(&a, id, o.as, &e);
	int rc = EXIT_OK;
	if (r == NULL)
		rc = cli_fail(&e);
	else if (o.json)
		cli_print_json(r);
	else
		print_finding(&a, r);
	json_decref(r);
	app_close(&a);
	return rc;
}

/* The finding numbers argv[first] to argv[last - 1], 1 to
 * FINDING_BULK_MAX of them, into *ids (to free) and *n; -1, or a usage
 * error's code ("give BEFORE1 to N finding numbersAFTER" when there are
 * too few or too many) with nothing to free. */
static int read_ids(char **argv, int first, int last, const char *before, const char *after,
                    int64_t **ids, int *n)
{
	*n = last - first;
	*ids = NULL;
	if (*n < 1 || *n > FINDING_BULK_MAX)
		return cli_usage_error(usage, "give %s1 to %d finding numbers%s", before,
		                       FINDING_BULK_MAX, after);
	if ((*ids = calloc((size_t)*n, sizeof **ids)) == NULL)
		return EXIT_ERR;
	for (int i = first; i < last; i++)
		if (parse_id(argv[i], &(*ids)[i - first]) != 0) {
			free(*ids);
			*ids = NULL;
			return cli_usage_error(usage, "\"%s\" is not a finding number", argv[i]);
		}
	return -1;
}

/* The commands on chosen findings. */
typedef enum bulk_kind { BULK_DECIDE, BULK_ATTACH, BULK_PATCH, BULK_LINK } bulk_kind;

/* One of them on ids[0..n) in the open store, said; word is decide's
 * state or link's ticket. The exit code. */
static int bulk_run(app *a, bulk_kind k, const act_opts *o, const char *word, const int64_t *ids,
                    int n)
{
	sg_err e = {0};
	int rc = EXIT_OK;
	switch (k) {
	case BULK_DECIDE: {
		finding_decision d = {.ids = ids, .n_ids = (size_t)n, .state = word,
		                      .reason = o->reason, .approver = o->approver, .actor = o->as};
		if (o->until) {
			if (civil_parse(o->until, a->cfg.cal.zone, &d.accepted_until) != 0)
				return cli_usage_error(usage, "--until takes a date (YYYY-MM-DD[ HH:MM])");
			if (strlen(o->until) == 10) /* a day: the acceptance holds through it */
				d.accepted_until += 86400 - 1;
		}
		if (finding_decide(a, &d, &e) != 0)
			return cli_fail(&e);
		for (int i = 0; i < n; i++) {
			int j = 0; /* a finding named twice was decided once */
			while (j < i && ids[j] != ids[i])
				j++;
			if (j == i)
				printf(_("FND-%lld: %s\n"), (long long)ids[i], word);
		}
		return rc;
	}
	case BULK_ATTACH:
		if (finding_attach(a, o->as, ids, (size_t)n, o->asset, &e) != 0)
			return cli_fail(&e);
		printf(ngettext("%d finding attached to asset %lld\n", "%d findings attached to asset %lld\n",
		                (unsigned long)n),
		       n, (long long)o->asset);
		return rc;
	case BULK_PATCH: {
		char ticket[32];
		if (finding_patch_open(a, o->as, ids, (size_t)n, cli_origin(), ticket, &e) != 0)
			return cli_fail(&e);
		if (!o->json) {
			printf(ngettext("%s: patch case for %d finding, now dalam_perbaikan\n",
			                "%s: patch case for %d findings, now dalam_perbaikan\n", (unsigned long)n),
			       ticket, n);
			return rc;
		}
		json_t *c = case_get(a, ticket, o->as, &e);
		if (c == NULL)
			rc = cli_fail(&e);
		else
			cli_print_json(c);
		json_decref(c);
		return rc;
	}
	default:
		if (finding_case_link(a, o->as, word, ids, (size_t)n, &e) != 0)
			return cli_fail(&e);
		printf(ngettext("%d finding linked to %s\n", "%d findings linked to %s\n", (unsigned long)n), n,
		       word);
		return rc;
	}
}

/* decide (numbers, then the state), attach (--asset, numbers), patch
 * (numbers) and link (a ticket, then numbers): their options and
 * arguments read, the store opened, bulk_run. */
static int bulk_cmd(int argc, char **argv, bulk_kind k)
{
	act_opts o = {0};
	int rc = act_parse(argc, argv, &o, true);
	if (rc >= 0)
		return rc;
	if (k == BULK_ATTACH && o.asset == 0)
		return cli_usage_error(usage, "say which asset with --asset ID");
	int first = optind + (k == BULK_LINK ? 1 : 0), last = argc - (k == BULK_DECIDE ? 1 : 0);
	int n;
	int64_t *ids;
	if ((rc = read_ids(argv, first, last, k == BULK_LINK ? "a case's ticket and " : "",
	                   k == BULK_DECIDE ? " and the new state" : "", &ids, &n)) >= 0)
		return rc;
	const char *word = k == BULK_LINK ? argv[optind] : argv[argc - 1];
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0) {
		free(ids);
		return EXIT_ERR;
	}
	rc = bulk_run(&a, k, &o, word, ids, n);
	app_close(&a);
	free(ids);
	return rc;
}

static int decide_cmd(int argc, char **argv)
{
	return bulk_cmd(argc, argv, BULK_DECIDE);
}

static int attach_cmd(int argc, char **argv)
{
	return bulk_cmd(argc, argv, BULK_ATTACH);
}

static int patch_cmd(int argc, char **argv)
{
	return bulk_cmd(argc, argv, BULK_PATCH);
}

static int link_cmd(int argc, char **argv)
{
	return bulk_cmd(argc, argv, BULK_LINK);
}

/* ---- sigap vuln import ---- */

static const char import_usage[] =
    "usage: sigap vuln import [--scanner auto|openvas|nmap|nuclei|wpscan] [--asset ID]\n"
    "                         [--partial] [--as USER] [--json] FILE...\n"
    "\n"
    "Imports scanner reports into findings, each file in one transaction (all of\n"
    "it or nothing), the file kept as evidence under its SHA-256. A finding is one\n"
    "vulnerability on one endpoint (port or URL) of one asset: a re-import counts\n"
    "it seen again, a fixed one seen again is reopened, and the open findings of\n"
    "the report's targets that it no longer has are marked diperbaiki: only the\n"
    "same scanner's findings, only on the hosts the report scanned and, when it\n"
    "says which (Nmap), on the ports it scanned. Results of hosts no asset has\n"
    "are kept for 'sigap vuln attach'. FILE - reads the report from standard\n"
    "input (kept as stdin), once.\n"
    "  --scanner S   the report's scanner (default: told from the file)\n"
    "  --asset ID    every result on this asset instead of the register's match\n"
    "  --partial     a scan of some checks or ports only: nothing is marked\n"
    "                diperbaiki (the default is a full rescan of its targets)\n";

/* What a scanner's parser skips, and why (docs/vuln.md). */
static void print_skipped(vuln_scanner sc, long long n)
{
	switch (sc) {
	case VULN_OPENVAS:
		printf(_(", %lld skipped: results Greenbone marks False Positive, Debug or Error"), n);
		break;
	case VULN_NMAP: printf(_(", %lld skipped: hosts down and ports not open"), n); break;
	case VULN_WPSCAN:
		printf(_(", %lld skipped: WPScan's interesting findings (headers, robots.txt, "
		         "XML-RPC, readme files) are observations, not vulnerabilities; they stay "
		         "in the kept report"),
		       n);
		break;
	default: printf(_(", %lld skipped by the parser"), n); break;
	}
}

static void print_summary(const char *path, const vuln_import_summary *s, vuln_scanner sc)
{
	printf(s->results == 1 ? _("%s: %lld result: %lld new, %lld seen again, %lld reopened, "
	                           "%lld no longer present, %lld without an asset")
	                       : _("%s: %lld results: %lld new, %lld seen again, %lld reopened, "
	                           "%lld no longer present, %lld without an asset"),
	       path, (long long)s->results, (long long)s->new_count, (long long)s->seen_again,
	       (long long)s->reopened, (long long)s->gone, (long long)s->unmatched);
	if (s->unscanned)
		printf(_(", %lld left open on ports the report did not scan"), (long long)s->unscanned);
	if (s->partial)
		printf(_(" (a partial scan: nothing was marked no longer present)"));
	if (s->repeated)
		printf(_(", %lld repeated in the report"), (long long)s->repeated);
	if (s->severity_unknown)
		printf(_(", %lld with a severity the scanner did not give or sigap does not know "
		         "(stored as info)"),
		       (long long)s->severity_unknown);
	if (s->skipped)
		print_skipped(sc, (long long)s->skipped);
	printf(_(" (import %lld)\n"), (long long)s->import_id);
}

/* How messages and the summary name a report given as path ("-" is
 * standard input). */
static const char *report_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "standard input" : path;
}

/* One file (a pipe or a device as well), imported in one transaction and
 * kept as the store's copy of exactly what was parsed: it is copied into
 * the evidence spool as the parser reads it (vuln_import_read), and a
 * file that changes meanwhile is refused. A failure that does not name
 * the file (the store busy, a refusal of the import) is given its name. */
static int import_one(app *a, const char *path, const vuln_import_req *base,
                      vuln_import_summary *sum, vuln_scanner *scanner, sg_err *e)
{
	vuln_import_req req = *base;
	bool in = strcmp(path, "-") == 0; /* a report piped in */
	const char *slash = strrchr(path, '/');
	req.filename = in ? "stdin" : slash ? slash + 1 : path;
	req.shown_as = report_name(path);
	req.empty_refused = in;
	struct stat st;
	if (!in && stat(path, &st) == 0 && S_ISFIFO(st.st_mode)) {
		/* open waits for a writer; a writer that failed writes nothing */
		fprintf(stderr, _("sigap: %s is a named pipe: waiting for what is written into it\n"),
		        path);
		req.empty_refused = true;
	}
	int fd = in ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sg_err_set(e, SG_EIO, "cannot open %s: %s", req.shown_as, strerror(errno));
	int rc = vuln_import_read(a, &req, fd, sum, e);
	if (rc != 0 && strstr(e->msg, req.shown_as) == NULL)
		sg_err_prefix(e, "%s", req.shown_as);
	if (rc == 0)
		*scanner = sum->scanner;
	return rc;
}

static int import_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"scanner", required_argument, NULL, 's'},
	                                     {"asset", required_argument, NULL, 'a'},
	                                     {"partial", no_argument, NULL, 'p'},
	                                     {"as", required_argument, NULL, 'A'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     CLI_COMMON_OPTS,
	                                     {0}};
	vuln_import_req req = {.scanner = VULN_AUTO, .origin = cli_origin(), .actor = cli_actor()};
	bool as_json = false;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		switch (c) {
		case 'h': fputs(import_usage, stdout); return EXIT_OK;
		case 's':
			if (vuln_scanner_parse(optarg, &req.scanner) != 0)
				return cli_usage_error(import_usage, "--scanner takes auto, openvas, "
				                                     "nmap, nuclei or wpscan");
			break;
		case 'a':
			if (parse_id(optarg, &req.asset_id) != 0)
				return cli_usage_error(import_usage, "--asset takes an asset number");
			break;
		case 'p': req.partial = true; break;
		case 'A': req.actor = optarg; break;
		case 'j': as_json = true; break;
		default: fputs(import_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error(import_usage, "give one or more report files");
	int stdins = 0;
	for (int i = optind; i < argc; i++)
		stdins += strcmp(argv[i], "-") == 0;
	if (stdins > 1)
		return cli_usage_error(import_usage, "standard input (-) can be read once");
	/* closed, it would be the first file the store opens */
	if (stdins && fcntl(STDIN_FILENO, F_GETFD) < 0) {
		fprintf(stderr, _("sigap: cannot read standard input: %s\n"), strerror(errno));
		return EXIT_ERR;
	}
	if (stdins && isatty(STDIN_FILENO))
		fprintf(stderr, _("sigap: reading the report from the terminal; end it with Ctrl-D\n"));
	app a;
	if (cli_open(&a, DB_OPEN_EXISTING) != 0)
		return EXIT_ERR;
	/* what an import killed half-way left in the evidence spool (a machine
	 * that runs no sigap serve, which settles it at its start, would keep
	 * it for ever): settled first, the files of live imports left alone */
	evidence_recovery rec;
	sg_err re = {0};
	if (evidence_recover(&a, &rec, &re) != 0)
		cli_fail(&re);
	else if (rec.partial || rec.committed || rec.rolled_back)
		fprintf(stderr,
		        _("sigap: the evidence spool after an import that was stopped: %d partial "
		          "files removed, %d stored, %d of changes not committed removed\n"),
		        rec.partial, rec.committed, rec.rolled_back);
	int rc = EXIT_OK;
	json_t *out = json_array();
	for (int i = optind; i < argc; i++) {
		sg_err e = {0};
		vuln_import_summary s;
		vuln_scanner sc = VULN_AUTO;
		if (import_one(&a, argv[i], &req, &s, &sc, &e) != 0) {
			rc = cli_fail(&e);
			continue; /* each file is its own transaction */
		}
		if (as_json)
			json_array_append_new(
			    out, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}", "file",
			                   argv[i], "import", (json_int_t)s.import_id, "results",
			                   (json_int_t)s.results, "new", (json_int_t)s.new_count,
			                   "seen_again", (json_int_t)s.seen_again, "reopened",
			                   (json_int_t)s.reopened, "no_longer_present",
			                   (json_int_t)s.gone, "unmatched", (json_int_t)s.unmatched,
			                   "repeated", (json_int_t)s.repeated, "skipped",
			                   (json_int_t)s.skipped, "left_open_unscanned",
			                   (json_int_t)s.unscanned, "severity_unknown_as_info",
			                   (json_int_t)s.severity_unknown, "partial", s.partial));
		else
			print_summary(report_name(argv[i]), &s, sc);
	}
	if (as_json)
		cli_print_json(out);
	json_decref(out);
	app_close(&a);
	return rc;
}

int cmd_vuln(int argc, char **argv)
{
	static const cli_sub subs[] = {{"import", import_cmd},
	                               {"list", list_cmd},
	                               {"show", show_cmd},
	                               {"decide", decide_cmd},
	                               {"attach", attach_cmd},
	                               {"patch", patch_cmd},
	                               {"link", link_cmd},
	                               {"intel", cmd_vuln_intel},
	                               {NULL, NULL}};
	return cli_dispatch(argc, argv, usage, "vuln", subs);
}
