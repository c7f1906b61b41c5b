/*
 * main.c: command dispatch: sigap [GLOBAL OPTIONS] COMMAND [ARGS].
 *
 * Each command family lives in src/cli/; this file only finds it.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

static const char usage[] =
	"usage: sigap [--db PATH] [--config FILE] [--sops DIR] COMMAND [ARGS]\n"
	"\n"
	"sigap runs a CSIRT's standard operating procedures (SOPs).\n"
	"\n"
	"commands:\n"
	"  init      create or upgrade the database (--demo adds demo data)\n"
	"  sop       list, show, validate and render SOPs\n"
	"  case      open, list, show and advance cases\n"
	"  user      add and list users and their roles\n"
	"  logbook   list and verify the logbook keamanan siber\n"
	"  serve     run the web application and the JSON API\n"
	"  token     create, list and revoke API tokens\n"
	"  detect    hunt through log files with Sigma rules and indicators\n"
	"  rules     check and list Sigma rule files\n"
	"  ioc       import, list, search and expire threat indicators\n"
	"  alert     list, show and decide alerts; open a CTI case for them\n"
	"  opd       add, edit, list and show the Perangkat Daerah (OPD)\n"
	"  asset     the register of the OPDs' assets: add, edit, list, CSV\n"
	"  risk      the risk register: add, edit, list, show; the matrix of [risiko]\n"
	"  exception exceptions to the ISMS: list, show, change, revoke, round\n"
	"  policy    the library of policies: list, show, diff, withdraw, round\n"
	"  control   the catalogue of controls (Indeks KAMI, BSSN 4/2021, your own)\n"
	"  vuln      vulnerability findings (list, show, decide) and intelligence:\n"
	"            CVE, CISA KEV and EPSS imported from files\n"
	"  db        copy an installation between stores; back up and restore a\n"
	"            SQLite store\n"
	"  document  the SOP steps' output documents: draft, issue (numbered PDF with\n"
	"            a QR code), verify, check templates\n"
	"  intake    poll the mailbox of reports by e-mail once\n"
	"  monitor   check the OPDs' public websites: defacement, gambling\n"
	"            injection, cloaking, outages, certificates\n"
	"  config    check the configuration and everything sigap serve would load\n"
	"\n"
	"options:\n"
	"  --db STORE     the store: a SQLite file or postgresql://… (default\n"
	"                 $SIGAP_DB, else [database] in sigap.conf, else ./var/sigap.db)\n"
	"  --config FILE  configuration (default $SIGAP_CONFIG, else ./sigap.conf,\n"
	"                 else, for " SIGAP_INSTALLED ", " SIGAP_SYSCONF "\n"
	"                 when present)\n"
	"  --sops DIR     extra SOP files (default $SIGAP_SOPS)\n"
	"  --help         this help; 'sigap COMMAND --help' for a command\n"
	"  --version      the version\n";

static const struct {
	const char *name;
	int (*fn)(int, char **);
} commands[] = {
	{"init", cmd_init},
	{"sop", cmd_sop},
	{"case", cmd_case},
	{"user", cmd_user},
	{"logbook", cmd_logbook},
	{"serve", cmd_serve},
	{"token", cmd_token},
	{"detect", cmd_detect},
	{"rules", cmd_rules},
	{"ioc", cmd_ioc},
	{"alert", cmd_alert},
	{"opd", cmd_opd},
	{"asset", cmd_asset},
	{"risk", cmd_risk},
	{"exception", cmd_exception},
	{"policy", cmd_policy},
	{"control", cmd_control},
	{"vuln", cmd_vuln},
	{"db", cmd_db},
	{"document", cmd_document},
	{"intake", cmd_intake},
	{"monitor", cmd_monitor},
	{"config", cmd_config},
};

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* The database holds password hashes and case data: nothing sigap
	 * creates is readable by other users. */
	umask(027);
	static const struct option opts[] = {CLI_COMMON_OPTS, {"version", no_argument, NULL, 'V'}, {0}};
	int c;
	/* '+': stop at the command name; the command parses the rest. */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (cli_common_opt(c))
			continue;
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		if (c == 'V') {
			printf("sigap %s\n", SIGAP_VERSION);
			return EXIT_OK;
		}
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[optind];
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(name, commands[i].name) == 0) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;
			optind = 0; /* glibc: start the next getopt afresh */
			return commands[i].fn(sub_argc, sub_argv);
		}
	fprintf(stderr, "sigap: unknown command '%s'\n%s", name, usage);
	return EXIT_USAGE;
}
