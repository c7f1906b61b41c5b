/*
 * vuln.c: sigap vuln …: vulnerabilities. The family's table routes each
 * subcommand to the file that holds it (intel: vuln_intel.c).
 */
#include "cli.h"

static const char usage[] =
    "usage: sigap vuln intel import [--kind auto|cve|kev|epss] FILE|DIR...\n"
    "       sigap vuln intel show CVE-ID [--json]\n"
    "\n"
    "intel   CVE records, CISA KEV and FIRST EPSS imported from files, and what\n"
    "        is known of one CVE ('sigap vuln intel --help')\n";

int cmd_vuln(int argc, char **argv)
{
	static const cli_sub subs[] = {{"intel", cmd_vuln_intel}, {NULL, NULL}};
	return cli_dispatch(argc, argv, usage, "vuln", subs);
}
